/* conn.c — a deadline for a request's head: the request line and its
 * headers must all have come within `deadline` seconds of the
 * connection's opening (TLS handshake included) or of the answer to its
 * previous request.  libmicrohttpd 0.9.75 has only an idle timeout,
 * which a client keeps from firing by sending a byte now and then.
 *
 * How: server.c tells the registry of each connection as libmicrohttpd
 * opens and closes it (MHD_OPTION_NOTIFY_CONNECTION, STARTED and
 * CLOSED), that its head is in (the first call of its request handler)
 * and that a request was answered (NOTIFY_COMPLETED: the clock starts
 * again for the next head).  One thread looks at the registry twice a
 * second and shutdown()s the sockets past their deadline; libmicrohttpd
 * then sees the socket end and closes the connection the usual way
 * (its own bookkeeping, the per-address count, the CLOSED notice).
 *
 * Why shutdown() cannot hit another connection's socket: libmicrohttpd
 * notifies CLOSED before it closes the descriptor (daemon.c,
 * MHD_cleanup_connections and new_connection_process_'s failure path),
 * and mr_conn_closed takes the registry's lock to remove the entry; the
 * reaper holds that same lock across its shutdown() calls.  So while
 * the reaper looks at an entry, its descriptor is still that
 * connection's, never a number the kernel has given to a new one.
 *
 * The registry also counts the open connections of each address group
 * (an IPv4 address, an IPv6 address's /64: mr_web_addr_group, the login
 * throttle's grouping): libmicrohttpd's own per-address limit counts
 * whole addresses, and a /64 holds 2^64 of them.  Its accept policy
 * callback (mr_conn_admit) takes a place in the group or refuses the
 * connection; the STARTED notice, next in the same thread, gives the
 * place to the connection's entry; CLOSED gives it back.  Should
 * libmicrohttpd fail between the two (out of memory), the thread's next
 * mr_conn_admit finds the place not taken and gives it back.
 */
#include "web/web_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "util/map.h"

/* An address group's open connections. */
struct mr_conn_group {
	struct mr_conn_group *next;      /* in its bucket */
	int n;
	char key[MR_CONN_GROUP_KEY];
};

struct mr_conn {
	struct mr_conn *prev, *next;
	struct mr_conn_group *group;     /* its place in its group's count, or NULL */
	int fd;
	int in_request;        /* its head is in: a handler has it, or it is answered */
	int cut;               /* shut down already */
	int64_t since_ms;      /* when the clock for its head started */
};

static void *reaper_main(void *payload)
{
	mr_conn_reg *r = payload;
	pthread_mutex_lock(&r->mu);
	while (!r->stop) {
		struct timespec ts;
		mr_web_deadline(&ts, 500);
		int rc = pthread_cond_timedwait(&r->cv, &r->mu, &ts);
		if (rc && rc != ETIMEDOUT)
			break;
		int64_t late = mr_web_ms() - (int64_t)r->deadline_s * 1000;
		for (struct mr_conn *c = r->head; c; c = c->next)
			if (!c->in_request && !c->cut && c->since_ms <= late) {
				shutdown(c->fd, SHUT_RDWR);
				c->cut = 1;
			}
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

int mr_web_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t a;
	if (pthread_condattr_init(&a))
		return -1;
	int rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC) || pthread_cond_init(cv, &a);
	pthread_condattr_destroy(&a);
	return rc ? -1 : 0;
}

void mr_web_deadline(struct timespec *ts, int64_t ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += (time_t)(ms / 1000);
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int mr_conn_reg_start(mr_conn_reg *r, int deadline_s, int per_group)
{
	memset(r->groups, 0, sizeof r->groups);
	r->head = NULL;
	r->deadline_s = deadline_s;
	r->per_group = per_group;
	r->stop = 0;
	atomic_store(&r->closed, 0);
	pthread_mutex_init(&r->mu, NULL);
	if (mr_web_cond_init(&r->cv)) {
		pthread_mutex_destroy(&r->mu);
		return -1;
	}
	if (pthread_create(&r->thread, NULL, reaper_main, r)) {
		pthread_cond_destroy(&r->cv);
		pthread_mutex_destroy(&r->mu);
		return -1;
	}
	return 0;
}

/* After the daemon stopped: every connection is closed (notified). */
void mr_conn_reg_stop(mr_conn_reg *r)
{
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	for (size_t i = 0; i < MR_CONN_BUCKETS; i++)   /* places never taken (see above) */
		for (struct mr_conn_group *g = r->groups[i], *next; g; g = next) {
			next = g->next;
			free(g);
		}
	memset(r->groups, 0, sizeof r->groups);
}

void mr_conn_group_key(const struct sockaddr *sa, char *out, size_t size)
{
	char peer[INET6_ADDRSTRLEN] = "";
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		          peer, sizeof peer);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          peer, sizeof peer);
	mr_web_addr_group(peer, out, size);
}

/* The bucket of a group's key.  (Not util/map.h's map: a group goes
 * when its last connection closes, else every group ever seen would stay,
 * and a map compares hashes only.) */
static size_t bucket_of(const char *key)
{
	return (size_t)(mr_hash_bytes(key, strlen(key), 0) % MR_CONN_BUCKETS);
}

/* Give a place back (the lock held). */
static void group_leave(mr_conn_reg *r, struct mr_conn_group *g)
{
	if (--g->n > 0)
		return;
	struct mr_conn_group **pp = &r->groups[bucket_of(g->key)];
	while (*pp != g)
		pp = &(*pp)->next;
	*pp = g->next;
	free(g);
}

/* The place mr_conn_admit took in this thread, not yet given to a
 * connection's entry. */
static _Thread_local struct mr_conn_group *pending;
static _Thread_local mr_conn_reg *pending_reg;

static int is_loopback(const struct sockaddr *sa)
{
	if (sa && sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa && sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return 0;
}

int mr_conn_admit(mr_conn_reg *r, const struct sockaddr *sa)
{
	if (atomic_load(&r->closed))
		return 0;
	char key[MR_CONN_GROUP_KEY];
	mr_conn_group_key(sa, key, sizeof key);
	pthread_mutex_lock(&r->mu);
	if (pending && pending_reg == r)   /* the last one never started */
		group_leave(r, pending);
	pending = NULL;
	struct mr_conn_group **bucket = &r->groups[bucket_of(key)], *g = *bucket;
	while (g && strcmp(g->key, key))
		g = g->next;
	int ok = 0;
	if (!g && (g = calloc(1, sizeof *g))) {
		snprintf(g->key, sizeof g->key, "%s", key);
		g->next = *bucket;
		*bucket = g;
	}
	if (g && (g->n < r->per_group || (r->loopback_free && is_loopback(sa)))) {
		g->n++;
		pending = g;
		pending_reg = r;
		ok = 1;
	}
	pthread_mutex_unlock(&r->mu);
	return ok;
}

void mr_conn_started(mr_conn_reg *r, void **ctx, int fd)
{
	struct mr_conn *c = calloc(1, sizeof *c);
	*ctx = c;
	pthread_mutex_lock(&r->mu);
	struct mr_conn_group *g = pending_reg == r ? pending : NULL;
	pending = NULL;
	if (!c) {              /* out of memory: only its idle timeout bounds it */
		if (g)
			group_leave(r, g);
		pthread_mutex_unlock(&r->mu);
		return;
	}
	c->fd = fd;
	c->group = g;
	c->since_ms = mr_web_ms();
	if ((c->next = r->head))
		r->head->prev = c;
	r->head = c;
	pthread_mutex_unlock(&r->mu);
}

void mr_conn_closed(mr_conn_reg *r, void **ctx)
{
	struct mr_conn *c = *ctx;
	if (!c)
		return;
	pthread_mutex_lock(&r->mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		r->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (c->group)
		group_leave(r, c->group);
	pthread_mutex_unlock(&r->mu);
	free(c);
	*ctx = NULL;
}

void mr_conn_head_in(mr_conn_reg *r, void *ctx, int in)
{
	struct mr_conn *c = ctx;
	if (!c)
		return;
	pthread_mutex_lock(&r->mu);
	c->in_request = in;
	if (!in)
		c->since_ms = mr_web_ms();
	pthread_mutex_unlock(&r->mu);
}

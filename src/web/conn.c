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
 */
#include "web/web_int.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct mr_conn {
	struct mr_conn *prev, *next;
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
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 500 * 1000 * 1000;
		if (ts.tv_nsec >= 1000 * 1000 * 1000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000 * 1000 * 1000;
		}
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

int mr_conn_reg_start(mr_conn_reg *r, int deadline_s)
{
	r->head = NULL;
	r->deadline_s = deadline_s;
	r->stop = 0;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
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
}

void mr_conn_started(mr_conn_reg *r, void **ctx, int fd)
{
	struct mr_conn *c = calloc(1, sizeof *c);
	*ctx = c;
	if (!c)
		return;              /* out of memory: only its idle timeout bounds it */
	c->fd = fd;
	c->since_ms = mr_web_ms();
	pthread_mutex_lock(&r->mu);
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

/* server.c — libmicrohttpd under mr_web_handle: its own thread pool,
 * one pooled database connection per thread, TLS through its GnuTLS
 * support, and the limits that keep a client from taking the server's
 * memory (headers in the connection's memory limit, bodies by route).
 *
 * Reads never wait behind writers.  A request that changes something
 * (any method but GET and HEAD) is suspended and handed to one writer
 * thread, which runs the changes one at a time; the pool's threads go
 * back to answering reads, which in WAL mode never wait for the write
 * lock.  A login (Argon2: a CPU's work for a while) goes to a twin of the
 * writer, the checker, one waiting per address: a flood of logins holds
 * up neither changes, nor reads, nor a login from another address.  A write waits for the lock (another process's import) up to
 * WRITE_WAIT_S in all, then is answered 503 with Retry-After.
 *
 * Slow clients: libmicrohttpd polls with epoll (MHD_USE_AUTO picks it on
 * Linux; select() would stop at FD_SETSIZE descriptors), so thousands of
 * idle sockets cost little; it refuses a connection past the total limit,
 * and conn.c refuses one past the per-address limit (by address group:
 * an IPv6 /64 counts as one address) and closes a connection whose
 * request head takes longer than the head deadline.  A request that
 * needs no session (the login) must have its body in by that deadline
 * too; others have passed their session check before their body is
 * read.  The process's descriptor limit is raised to fit the connections.
 *
 * Stopping: no new connection, no new request (503 with Connection:
 * close), MR_WEB_STOP_GRACE_S for the requests being worked on (every
 * callback counts, not only the handler's), then the caller ends the
 * process even if some still run.  A watchdog thread ends the process
 * should libmicrohttpd's own stop not return soon after.
 */
#include "web/web_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "util/file.h"

/* A connection's memory: the request line, headers and parsed query of
 * one request (and a small part of a body as it passes). */
#define HEADER_LIMIT (64u << 10)
#define WRITE_WAIT_S 30            /* a change waits at most this long, queued or locked */
#define CHECKPOINT_S 10            /* how often serve looks at the -wal's size */
#define IDLE_S 15                  /* a connection may sit this long with nothing sent */
#define MAX_CONNS 4000             /* defaults of mr_web_config's limits */
#define MAX_PER_ADDR 128
#define HEAD_S 10
/* Descriptors kept besides the connections: per pool thread its database
 * connection (the file, its -wal; the -shm is mapped) and libmicrohttpd's
 * epoll descriptor and wake-up pipe (an idle server holds about 4.5 a
 * thread), and 32 for the rest: the listening socket, the writer's
 * database connection, the server lock, an upload's file and directory,
 * standard streams, a PDF's fonts. */
#define FD_SPARE(npool) (32 + 5 * (int)(npool))
/* After the grace, how long libmicrohttpd's stop may take before the
 * watchdog ends the process. */
#define STOP_EXTRA_MS 1000

/* TLS: versions 1.2 and 1.3 only, AEAD ciphers only, forward-secret key
 * exchange; the server's order of preference (GnuTLS priority string). */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:" \
	"+AES-128-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:" \
	"%SERVER_PRECEDENCE"

struct conn {
	mr_buf body;
	size_t limit;
	int too_big;
	/* an upload goes to a file as it comes, never whole into memory */
	char dir[256], path[512];
	int lock;                 /* the directory's locked descriptor, or -1 */
	FILE *file;
	int write_failed;
	int head_in;              /* told conn.c its request is in */
	/* a change, suspended while the writer thread runs it */
	enum { FRESH, QUEUED, ANSWERED } state;
	struct MHD_Connection *con;
	struct conn *next;             /* in the writer's queue */
	time_t queued_at;
	mr_req rq;
	mr_resp rs;
	char peer[INET6_ADDRSTRLEN];
	char group[64];                /* peer's address group (mr_web_addr_group), once queued */
};

/* The one writer thread and its queue of suspended changes. */
struct writer {
	mr_web *w;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct conn *head, *tail;
	int stop;
	pthread_t thread;
	atomic_int finished;           /* the writer thread has ended */
	atomic_int busy;               /* pool threads inside a callback */
	atomic_int stopping;           /* no new request: 503 */
	mr_conn_reg *reg;              /* the head deadline's registry */
	struct writer *ck;             /* the login checker: a twin queue and thread, so
	                                  Argon2 holds neither the writer nor a pool thread */
};
#define CHECKS_QUEUED 64           /* logins waiting for the checker, at most */

struct args { mr_req *rq; size_t seen; };

static enum MHD_Result arg_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
	(void)kind;
	struct args *a = cls;
	if (a->seen++ < MR_WEB_MAX_ARGS) {
		a->rq->args[a->rq->nargs].key = key;
		a->rq->args[a->rq->nargs].value = value ? value : "";
		a->rq->nargs++;
	}
	return MHD_YES;
}

/* Content-Disposition for a download named `name` (no quotes, slashes or
 * control bytes: the handlers make it so): an ASCII name for old
 * clients, and RFC 6266's filename* with the UTF-8 one, e.g. a Chinese
 * login's. */
static char *disposition(const char *name)
{
	mr_buf b;
	mr_buf_init(&b);
	mr_buf_puts(&b, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		mr_buf_putc(&b, *p < 0x80 ? (char)*p : '_');
	mr_buf_puts(&b, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("!#$&+-.^_`|~", *p))
			mr_buf_putc(&b, (char)*p);
		else
			mr_buf_printf(&b, "%%%02X", *p);
	}
	if (mr_buf_oom(&b)) {
		mr_buf_release(&b);
		return NULL;
	}
	return mr_buf_detach(&b);
}

/* The address the connection comes from, as text ("" when unknown). */
static void socket_peer(struct MHD_Connection *con, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	out[0] = 0;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		          (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
		          (socklen_t)size);
}

/* The request whose callback this thread is in: the access log's line
 * names it (every answer is given inside on_request). */
static _Thread_local struct {
	const char *method, *url, *version;
	char peer[INET6_ADDRSTRLEN];       /* the client, once req_fill knows it */
	int secure;                        /* over TLS, merit's or the proxy's */
} current;

/* s into b as the combined format quotes it (nginx's escaping): '"', '\\'
 * and bytes outside printable ASCII as \xHH; "-" for none. */
static void log_quoted(mr_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s || !*s) {
		mr_buf_puts(b, "-");
		return;
	}
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
			char e[4] = { '\\', 'x', hex[ch >> 4], hex[ch & 15] };
			mr_buf_add(b, e, 4);
		} else {
			mr_buf_add(b, s, 1);
		}
	}
}

/* One line of the access log in the combined format (NCSA's, as nginx
 * and Apache write it): address, time, request, status, bytes, referrer,
 * user agent — so merit's own traffic is read by `merit ingest` and
 * goaccess.  The token of an invitation's or a survey's link is never
 * written: /invite/- and /s/-; no query string either (tokens travel
 * there too).  One write a line: lines of threads do not mix. */
static void access_line(struct MHD_Connection *con, const mr_web *w, int status, size_t bytes)
{
	FILE *f = w->cfg.access_log;
	if (!f || !current.method)
		return;
	char peer[INET6_ADDRSTRLEN], when[64];
	if (current.peer[0])                     /* the client behind a trusted proxy too */
		snprintf(peer, sizeof peer, "%s", current.peer);
	else
		socket_peer(con, peer, sizeof peer);
	if (!peer[0])
		snprintf(peer, sizeof peer, "-");
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
	const char *url = current.url ? current.url : "-";
	mr_buf b;
	mr_buf_init(&b);
	mr_buf_printf(&b, "%s - - [%s] \"", peer, when);
	log_quoted(&b, current.method);
	mr_buf_puts(&b, " ");
	if (!strncmp(url, "/invite/", 8))
		mr_buf_puts(&b, "/invite/-");
	else if (!strncmp(url, "/s/", 3))
		mr_buf_puts(&b, "/s/-");
	else
		log_quoted(&b, url);
	mr_buf_puts(&b, " ");
	log_quoted(&b, current.version ? current.version : "HTTP/1.1");
	mr_buf_printf(&b, "\" %d %zu \"", status, strcmp(current.method, "HEAD") ? bytes : 0);
	log_quoted(&b, MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_REFERER));
	mr_buf_puts(&b, "\" \"");
	log_quoted(&b, MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT));
	mr_buf_puts(&b, "\"\n");
	if (!mr_buf_oom(&b))
		fwrite(b.data, 1, b.len, f);
	mr_buf_release(&b);
}

static enum MHD_Result answer(struct MHD_Connection *con, const mr_web *w, mr_resp *rs)
{
	struct MHD_Response *r;
	char num[32];
	size_t bytes = rs->fixed ? rs->fixed_len : rs->body.len;
	if (rs->fixed) {
		r = MHD_create_response_from_buffer(rs->fixed_len, (void *)rs->fixed,
		                                    MHD_RESPMEM_PERSISTENT);
	} else {
		size_t len = rs->body.len;
		r = MHD_create_response_from_buffer(len, mr_buf_detach(&rs->body),
		                                    MHD_RESPMEM_MUST_FREE);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", rs->type);
	for (size_t i = 0; mr_web_headers[i]; i += 2)
		MHD_add_response_header(r, mr_web_headers[i], mr_web_headers[i + 1]);
	MHD_add_response_header(r, "Cache-Control", rs->cacheable ? "private, max-age=300"
	                                                          : "no-store");
	if (w->cfg.secure || current.secure)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	if (rs->cookie)
		MHD_add_response_header(r, "Set-Cookie", rs->cookie);
	if (rs->filename) {
		char *disp = disposition(rs->filename);
		if (disp)
			MHD_add_response_header(r, "Content-Disposition", disp);
		free(disp);
	}
	if (rs->retry_after) {
		snprintf(num, sizeof num, "%d", rs->retry_after);
		MHD_add_response_header(r, "Retry-After", num);
	}
	if (rs->allow)
		MHD_add_response_header(r, "Allow", rs->allow);
	if (rs->close)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ret = MHD_queue_response(con, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	if (ret == MHD_YES)
		access_line(con, w, rs->status, bytes);
	return ret;
}

/* {"error": msg}; with Connection: close when `closing` (the request's
 * body, if any, is then never read). */
static enum MHD_Result fail_as(struct MHD_Connection *con, const mr_web *w, int status,
                               const char *msg, int closing)
{
	mr_resp rs;
	mr_web_resp_init(&rs);
	rs.status = status;
	rs.close = closing;
	mr_buf_printf(&rs.body, "{\"error\":\"%s\"}", msg);
	enum MHD_Result ret = answer(con, w, &rs);
	mr_web_resp_release(&rs);
	return ret;
}

static enum MHD_Result fail(struct MHD_Connection *con, const mr_web *w, int status,
                            const char *msg)
{
	return fail_as(con, w, status, msg, 0);
}

/* Is the text address a loopback one (127.0.0.0/8, ::1, ::ffff:127.x)? */
static int loopback(const char *a)
{
	return !strncmp(a, "127.", 4) || !strcmp(a, "::1") || !strncmp(a, "::ffff:127.", 11);
}

/* Behind a proxy (--trust-proxy): the client of a request that came from
 * loopback is the last address of X-Forwarded-For — the one the proxy
 * added; those before it are what the client itself claimed.  0 with
 * peer set (or left: no header), -1 when the header's last entry is no
 * address. */
static int forwarded(struct MHD_Connection *con, char *peer, size_t peer_size)
{
	const char *xff = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return 0;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ' || *last == '\t')
		last++;
	size_t n = strcspn(last, " \t");
	char a[INET6_ADDRSTRLEN];
	unsigned char bin[16];
	if (n == 0 || n >= sizeof a || last[n + strspn(last + n, " \t")])
		return -1;
	memcpy(a, last, n);
	a[n] = 0;
	if (inet_pton(AF_INET, a, bin) != 1 && inet_pton(AF_INET6, a, bin) != 1)
		return -1;
	snprintf(peer, peer_size, "%s", a);
	return 0;
}

/* The request's parts from the connection (the body is added by the
 * caller): NULL, or why it is refused (400). */
static const char *req_fill(struct MHD_Connection *con, const mr_web *w, const char *method,
                            const char *url, mr_req *rq, char *peer, size_t peer_size)
{
	memset(rq, 0, sizeof *rq);
	rq->method = method;
	rq->path = url;
	rq->cookie = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	rq->csrf = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-CSRF-Token");
	rq->content_type = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
	                                               MHD_HTTP_HEADER_CONTENT_TYPE);
	socket_peer(con, peer, peer_size);
	rq->secure = w->cfg.secure;
	if (w->cfg.trust_proxy && loopback(peer)) {
		const char *proto = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-Forwarded-Proto");
		rq->secure |= proto && !strcmp(proto, "https");
		if (forwarded(con, peer, peer_size))
			return "X-Forwarded-For: its last entry (the proxy's) is not an IP address";
	}
	current.secure = rq->secure;
	rq->peer = peer;
	snprintf(current.peer, sizeof current.peer, "%s", peer);
	struct args a = { rq, 0 };
	MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, arg_iter, &a);
	return a.seen <= MR_WEB_MAX_ARGS ? NULL : "too many query arguments";
}

/* Before a body is read: would the request reach its handler (session,
 * CSRF token, role)?  MHD_YES to go on, else the answer queued: nobody
 * makes the server hold a body it would refuse. */
static enum MHD_Result admit_first(struct MHD_Connection *con, mr_web *w, const char *method,
                                   const char *url)
{
	mr_req rq;
	mr_resp rs;
	char peer[INET6_ADDRSTRLEN];
	const char *why = req_fill(con, w, method, url, &rq, peer, sizeof peer);
	if (why)
		return fail(con, w, 400, why);
	mr_web_resp_init(&rs);
	enum MHD_Result ret = mr_web_admit(w, &rq, &rs) ? MHD_YES : answer(con, w, &rs);
	mr_web_resp_release(&rs);
	return ret;
}

/* Before an upload's body is read: may this request upload at all?  Then
 * open the file it goes to.  MHD_YES to go on, else the answer queued. */
static enum MHD_Result upload_begin(struct MHD_Connection *con, mr_web *w, struct conn *cs,
                                    const char *method, const char *url)
{
	mr_req rq;
	mr_resp rs;
	char peer[INET6_ADDRSTRLEN];
	const char *why = req_fill(con, w, method, url, &rq, peer, sizeof peer);
	if (why)
		return fail(con, w, 400, why);
	mr_web_resp_init(&rs);
	if (!mr_web_admit(w, &rq, &rs)) {
		enum MHD_Result ret = answer(con, w, &rs);
		mr_web_resp_release(&rs);
		return ret;
	}
	mr_web_resp_release(&rs);
	const char *name = NULL;
	for (size_t i = 0; i < rq.nargs; i++)
		if (strcmp(rq.args[i].key, "file") == 0)
			name = mr_web_upload_name(rq.args[i].value);
	if (!name)
		return fail(con, w, 400, "say the file's name: ?file=NAME (not empty, no leading "
		            "dot, at most 200 bytes)");
	if (mr_web_upload_dir(cs->dir, sizeof cs->dir, &cs->lock))
		return fail(con, w, 500, "the server could not make a temporary file");
	snprintf(cs->path, sizeof cs->path, "%s/%s", cs->dir, name);
	if (!(cs->file = fopen(cs->path, "wbx")))
		return fail(con, w, 500, "the server could not make a temporary file");
	return MHD_YES;
}

/* The connection's entry in the registry (its socket context). */
static void *conn_entry(struct MHD_Connection *con)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(con, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* The request is in: conn.c's head deadline no longer applies to it. */
static void head_in(struct writer *wr, struct MHD_Connection *con, struct conn *cs)
{
	if (!cs->head_in) {
		mr_conn_head_in(wr->reg, conn_entry(con), 1);
		cs->head_in = 1;
	}
}

static enum MHD_Result on_request_work(struct writer *wr, struct MHD_Connection *con,
                                       const char *url, const char *method,
                                       const char *upload, size_t *upload_size,
                                       void **con_cls)
{
	mr_web *w = wr->w;
	struct conn *cs = *con_cls;
	if (cs && cs->state == ANSWERED) {    /* resumed: the writer's answer */
		enum MHD_Result ret = answer(con, w, &cs->rs);
		mr_web_resp_release(&cs->rs);
		cs->state = FRESH;
		return ret;
	}
	/* stopping: a new request (or one whose body is all in) is not begun */
	if (atomic_load(&wr->stopping) && (!cs || !*upload_size)) {
		mr_resp rs;
		mr_web_resp_init(&rs);
		rs.status = 503;
		rs.close = 1;
		rs.retry_after = 5;
		mr_buf_puts(&rs.body, "{\"error\":\"the server is stopping; try again in a moment\"}");
		enum MHD_Result ret = answer(con, w, &rs);
		mr_web_resp_release(&rs);
		return ret;
	}
	if (!cs) {
		if (!(cs = calloc(1, sizeof *cs)))
			return MHD_NO;
		mr_buf_init(&cs->body);
		cs->lock = -1;
		*con_cls = cs;
		mr_gate g;
		if (mr_web_gate(&g, w, con, method, url)) {
			head_in(wr, con, cs);
			return fail_as(con, w, g.status, g.msg, 1);
		}
		/* a request with no session yet (the login): its small body too
		 * must come within the head's deadline; the others are in (an
		 * upload may be slow: it passed its session check first) */
		if (!g.public_route)
			head_in(wr, con, cs);
		cs->limit = g.limit;
		if (mr_web_upload_route(url))
			return upload_begin(con, w, cs, method, url);
		if (g.public_route || !strcmp(method, "GET") || !strcmp(method, "HEAD") ||
		    strncmp(url, "/api/", 5) != 0)
			return MHD_YES;
		return admit_first(con, w, method, url);
	}
	if (*upload_size) {
		size_t have = cs->file ? (size_t)ftell(cs->file) : cs->body.len;
		if (have + *upload_size > cs->limit)
			cs->too_big = 1;
		else if (cs->file)
			cs->write_failed |= fwrite(upload, 1, *upload_size, cs->file) != *upload_size;
		else
			mr_buf_add(&cs->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	head_in(wr, con, cs);
	if (cs->too_big)
		return fail(con, w, 413, "the body is larger than the server takes");
	if (mr_buf_oom(&cs->body))
		return fail(con, w, 503, "the server is out of memory");
	if (cs->file) {
		int bad = fclose(cs->file) != 0 || cs->write_failed;
		cs->file = NULL;
		if (bad)
			return fail(con, w, 507, "the server could not keep the upload (disk full?)");
	}

	mr_req *rq = &cs->rq;
	const char *why = req_fill(con, w, method, url, rq, cs->peer, sizeof cs->peer);
	if (why)
		return fail(con, w, 400, why);
	rq->body = cs->body.len ? cs->body.data : NULL;
	rq->body_len = cs->body.len;
	rq->upload = cs->path[0] ? cs->path : NULL;
	mr_web_resp_init(&cs->rs);
	if (strcmp(method, "GET") && strcmp(method, "HEAD") && !strncmp(url, "/api/", 5)) {
		/* a change: to the writer, freeing this thread for reads; a login
		 * or a survey's answer to the checker, one waiting per address
		 * (login2) */
		struct writer *q = mr_web_checked_route(url) && wr->ck ? wr->ck : wr;
		cs->con = con;
		cs->state = QUEUED;
		cs->queued_at = time(NULL);
		pthread_mutex_lock(&q->mu);
		int busy = 0, n = 0;
		if (q != wr) {
			mr_web_addr_group(cs->peer, cs->group, sizeof cs->group);
			for (struct conn *o = q->head; o && !busy; o = o->next, n++)
				busy = !strcmp(cs->group, o->group);
		}
		if (q->stop || busy || n >= CHECKS_QUEUED) {  /* the writer may have ended */
			int stop = q->stop;
			pthread_mutex_unlock(&q->mu);
			cs->state = FRESH;
			cs->rs.status = busy ? 429 : 503;
			cs->rs.retry_after = stop ? 5 : 1;
			mr_buf_printf(&cs->rs.body, "{\"error\":\"%s\"}", stop ?
			              "the server is stopping; try again in a moment" : busy ?
			              "another login or answer from this address is being checked; try "
			              "again in a moment" : "the server is checking many logins; try again in a "
			              "moment");
			enum MHD_Result ret = answer(con, w, &cs->rs);
			mr_web_resp_release(&cs->rs);
			return ret;
		}
		MHD_suspend_connection(con);
		if (q->tail)
			q->tail->next = cs;
		else
			q->head = cs;
		q->tail = cs;
		pthread_cond_signal(&q->cv);
		pthread_mutex_unlock(&q->mu);
		return MHD_YES;
	}
	mr_web_handle(w, rq, &cs->rs);
	enum MHD_Result ret = answer(con, w, &cs->rs);
	mr_web_resp_release(&cs->rs);
	return ret;
}

/* Every call is counted in `busy` (the snapshot and session queries of a
 * first look, an upload's writes, a handler): stopping waits for them. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
	struct writer *wr = cls;
	atomic_fetch_add(&wr->busy, 1);
	current.method = method;
	current.url = url;
	current.version = version;
	const struct conn *known = *con_cls;      /* a change resumed after the writer */
	if (known && known->peer[0]) {
		snprintf(current.peer, sizeof current.peer, "%s", known->peer);
		current.secure = known->rq.secure;
	}
	enum MHD_Result ret = on_request_work(wr, con, url, method, upload, upload_size, con_cls);
	current.method = current.url = current.version = NULL;
	current.peer[0] = 0;
	current.secure = 0;
	atomic_fetch_sub(&wr->busy, 1);
	return ret;
}

/* The writer thread: each queued change in turn, then its connection
 * resumed to send the answer.  One that waited WRITE_WAIT_S in the
 * queue (behind a long import) is answered 503 without running; so are
 * those left when the server stops. */
static void *writer_main(void *payload)
{
	struct writer *wr = payload;
	pthread_mutex_lock(&wr->mu);
	for (;;) {
		while (!wr->head && !wr->stop)
			pthread_cond_wait(&wr->cv, &wr->mu);
		struct conn *cs = wr->head;
		if (!cs)
			break;
		if (!(wr->head = cs->next))
			wr->tail = NULL;
		cs->next = NULL;
		int stop = wr->stop;
		pthread_mutex_unlock(&wr->mu);
		if (stop || time(NULL) - cs->queued_at >= WRITE_WAIT_S) {
			cs->rs.status = 503;
			cs->rs.retry_after = 5;
			mr_buf_puts(&cs->rs.body, stop ? "{\"error\":\"the server is stopping\"}"
			            : "{\"error\":\"the database is busy; try again in a moment\"}");
		} else {
			mr_web_handle(wr->w, &cs->rq, &cs->rs);
		}
		cs->state = ANSWERED;
		MHD_resume_connection(cs->con);
		pthread_mutex_lock(&wr->mu);
	}
	pthread_mutex_unlock(&wr->mu);
	atomic_store(&wr->finished, 1);
	return NULL;
}

static void on_done(void *cls, struct MHD_Connection *con, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	struct writer *wr = cls;
	atomic_fetch_add(&wr->busy, 1);               /* work too: stopping waits for it */
	mr_conn_head_in(wr->reg, conn_entry(con), 0);     /* the next head's clock starts */
	struct conn *cs = *con_cls;
	if (cs) {
		if (cs->state != FRESH)
			mr_web_resp_release(&cs->rs);
		if (cs->file)
			fclose(cs->file);
		if (cs->path[0])
			unlink(cs->path);
		if (cs->dir[0])
			rmdir(cs->dir);
		if (cs->lock >= 0)
			close(cs->lock);
		mr_buf_release(&cs->body);
		free(cs);
		*con_cls = NULL;
	}
	atomic_fetch_sub(&wr->busy, 1);
}

static void on_connection(void *cls, struct MHD_Connection *con, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci)
			mr_conn_started(cls, socket_context, ci->connect_fd);
	} else {
		mr_conn_closed(cls, socket_context);
	}
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	(void)len;
	return mr_conn_admit(cls, addr) ? MHD_YES : MHD_NO;
}

/* Room for `want` connections in the descriptor limit, `spare` kept for
 * the rest: the soft limit raised towards the hard one.  How many
 * connections fit. */
static int fd_room(int want, int spare)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return want;
	rlim_t need = (rlim_t)want + (rlim_t)spare;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
		return rl.rlim_cur > 2 * (rlim_t)spare ? (int)(rl.rlim_cur - (rlim_t)spare) : spare;
	return want;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[1024];
	vsnprintf(line, sizeof line, fmt, ap);
	fprintf(stderr, "merit serve: %s", line);   /* one call: lines of threads do not mix */
}

/* ADDR:PORT or [V6]:PORT into a socket address. */
static int listen_parse(const char *listen, struct sockaddr_storage *out, socklen_t *len,
                        mr_err *err)
{
	char host[256];
	const char *colon = strrchr(listen, ':'), *h = listen;
	size_t hn;
	if (!colon || colon == listen)
		return mr_err_set(err, MR_EINVALID, "--listen \"%s\": say ADDR:PORT, e.g. "
		                  "127.0.0.1:8080 or [::1]:8080", listen);
	hn = (size_t)(colon - listen);
	if (*h == '[' && hn >= 2 && h[hn - 1] == ']') {
		h++;
		hn -= 2;
	}
	if (hn >= sizeof host)
		return mr_err_set(err, MR_EINVALID, "--listen \"%s\": the address is too long", listen);
	memcpy(host, h, hn);
	host[hn] = 0;
	char *end;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port > 65535)
		return mr_err_set(err, MR_EINVALID, "--listen \"%s\": the port is 0 to 65535", listen);
	struct addrinfo hints, *ai = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, colon + 1, &hints, &ai) || !ai)
		return mr_err_set(err, MR_EINVALID, "--listen \"%s\": \"%s\" is not an IP address",
		                  listen, host);
	memcpy(out, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* The watchdog: once armed, it ends the process at its deadline unless
 * disarmed first (libmicrohttpd's stop joins its threads, and one may be
 * in a callback nobody can cut short). */
static struct watchdog {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int armed, done;
	struct timespec until;
	pthread_t thread;
} dog;

static void *watchdog_main(void *payload)
{
	(void)payload;
	pthread_mutex_lock(&dog.mu);
	while (!dog.done) {
		int rc = dog.armed ? pthread_cond_timedwait(&dog.cv, &dog.mu, &dog.until)
		                   : pthread_cond_wait(&dog.cv, &dog.mu);
		if (rc == ETIMEDOUT && !dog.done) {
			fputs(MR_WEB_CUT_SHORT_MSG, stderr);
			fflush(stderr);
			_exit(0);
		}
	}
	pthread_mutex_unlock(&dog.mu);
	return NULL;
}

static void watchdog_arm(int64_t ms)
{
	pthread_mutex_lock(&dog.mu);
	mr_web_deadline(&dog.until, ms);
	dog.armed = 1;
	pthread_cond_signal(&dog.cv);
	pthread_mutex_unlock(&dog.mu);
}

/* Disarmed for good; joined when `join`. */
static void watchdog_end(int join)
{
	pthread_mutex_lock(&dog.mu);
	dog.done = 1;
	pthread_cond_signal(&dog.cv);
	pthread_mutex_unlock(&dog.mu);
	if (join)
		pthread_join(dog.thread, NULL);
}

/* Stopping: no new connection nor request, the writer told to stop (the
 * changes queued are answered 503 at once), and MR_WEB_STOP_GRACE_S for
 * the change being made and the requests being answered.  1 when all
 * ended. */
static int wind_down(struct MHD_Daemon *d, struct writer *wr)
{
	atomic_store(&wr->stopping, 1);
	/* no new connection: refused at accept (mr_conn_admit).  Not
	 * MHD_quiesce_daemon: it takes the listening socket out of each pool
	 * thread's epoll set while a thread at its connection limit may be
	 * doing the same, and libmicrohttpd 0.9.75 aborts on the second
	 * removal ("Failed to remove listen FD from epoll set") */
	(void)d;
	atomic_store(&wr->reg->closed, 1);
	for (struct writer *q = wr; q; q = q == wr ? wr->ck : NULL) {
		pthread_mutex_lock(&q->mu);
		q->stop = 1;
		pthread_cond_signal(&q->cv);
		pthread_mutex_unlock(&q->mu);
	}
	int64_t until = mr_web_ms() + MR_WEB_STOP_GRACE_S * 1000;
	while (!atomic_load(&wr->finished) || atomic_load(&wr->busy) ||
	       (wr->ck && !atomic_load(&wr->ck->finished))) {
		if (mr_web_ms() >= until)
			return 0;
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return 1;
}

int mr_web_serve(mr_web *w, const char *listen, const char *cert, const char *key,
                 volatile sig_atomic_t *stop, void (*ready)(const char *url, void *payload),
                 void *payload, mr_err *err)
{
	struct sockaddr_storage sa;
	socklen_t salen;
	char *pem_cert = NULL, *pem_key = NULL;
	size_t n;
	int rc;
	if ((rc = listen_parse(listen, &sa, &salen, err)))
		return rc;
	if (cert && ((rc = mr_file_read(&pem_cert, &n, cert, err)) ||
	             (rc = mr_file_read(&pem_key, &n, key, err))))
		goto done;
	int max_conns = w->cfg.max_conns > 0 ? w->cfg.max_conns : MAX_CONNS;
	int per_addr = w->cfg.max_per_addr > 0 ? w->cfg.max_per_addr : MAX_PER_ADDR;
	int head_s = w->cfg.head_timeout > 0 ? w->cfg.head_timeout : HEAD_S;
	int room = fd_room(max_conns, FD_SPARE(w->npool));
	if (room < max_conns) {
		fprintf(stderr, "merit serve: the open-file limit (ulimit -n) leaves room for %d "
		        "connections, not %d\n", room, max_conns);
		max_conns = room;
	}
	/* the registry and the writer: a static home, as a server cut short
	 * (MR_WEB_CUT_SHORT) leaves threads using them */
	static mr_conn_reg reg;
	static struct writer wr, ck;
	memset(&wr, 0, sizeof wr);
	memset(&ck, 0, sizeof ck);
	wr.w = ck.w = w;
	wr.reg = ck.reg = &reg;
	struct MHD_Daemon *d = NULL;
	memset(&dog, 0, sizeof dog);
	pthread_mutex_init(&dog.mu, NULL);
	if (mr_web_cond_init(&dog.cv) || pthread_create(&dog.thread, NULL, watchdog_main, NULL)) {
		rc = mr_err_set(err, MR_ENOMEM, "cannot start the watchdog thread");
		goto done;
	}
	reg.loopback_free = w->cfg.trust_proxy;    /* the proxy's connections */
	if (mr_conn_reg_start(&reg, head_s, per_addr)) {
		rc = mr_err_set(err, MR_ENOMEM, "cannot start the connection watcher thread");
		goto done_dog;
	}
	pthread_mutex_init(&wr.mu, NULL);
	pthread_cond_init(&wr.cv, NULL);
	pthread_mutex_init(&ck.mu, NULL);
	pthread_cond_init(&ck.cv, NULL);
	if (pthread_create(&wr.thread, NULL, writer_main, &wr)) {
		rc = mr_err_set(err, MR_ENOMEM, "cannot start the writer thread");
		goto done_wr;
	}
	if (!pthread_create(&ck.thread, NULL, writer_main, &ck))
		wr.ck = &ck;             /* else logins go to the writer */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME;
	if (sa.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (cert)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem tls[] = {
		{ cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, pem_cert },
		{ cert ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, pem_key },
		{ cert ? MHD_OPTION_HTTPS_PRIORITIES : MHD_OPTION_END, 0, (void *)TLS_PRIORITIES },
		{ MHD_OPTION_END, 0, NULL },
	};
	d = MHD_start_daemon(flags, 0, on_accept, &reg, on_request, &wr,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)w->npool,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_LIMIT,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)max_conns,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_S,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, &reg,
		MHD_OPTION_NOTIFY_COMPLETED, on_done, &wr,
		MHD_OPTION_ARRAY, tls,
		MHD_OPTION_END);
	if (!d) {
		rc = mr_err_set(err, MR_EIO, "cannot listen on %s (in use, or not this machine's "
		                "address%s)", listen, cert ? ", or the certificate and key do not "
		                "load" : "");
		goto done_thread;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char url[320], host[INET6_ADDRSTRLEN] = "";
	if (sa.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)&sa)->sin6_addr, host, sizeof host);
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)&sa)->sin_addr, host, sizeof host);
	snprintf(url, sizeof url, "%s://%s%s%s:%u/", cert ? "https" : "http",
	         sa.ss_family == AF_INET6 ? "[" : "", host, sa.ss_family == AF_INET6 ? "]" : "",
	         di ? (unsigned)di->port : 0u);
	if (ready)
		ready(url, payload);
	for (int tick = 1; !*stop; tick++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		if (tick % (CHECKPOINT_S * 10) == 0) {
			/* a -wal a commit could not cut (a reader was in the way) */
			mr_store *s = mr_web_pool_get(w);
			mr_store_checkpoint(s, 0);
			mr_web_pool_put(w, s);
		}
	}
done_thread:
	watchdog_arm(MR_WEB_STOP_GRACE_S * 1000 + STOP_EXTRA_MS);
	if (!wind_down(d, &wr)) {
		/* nothing the threads still at work asked of PostgreSQL is done
		 * (while the watchdog still bounds the cancels' connections) */
		mr_store_cancel_all();
		watchdog_end(0);
		*stop = MR_WEB_CUT_SHORT;     /* threads still at work: nothing is freed */
		return rc;
	}
	pthread_join(wr.thread, NULL);
	if (wr.ck)
		pthread_join(ck.thread, NULL);
	if (d)
		MHD_stop_daemon(d);
done_wr:
	pthread_cond_destroy(&wr.cv);
	pthread_mutex_destroy(&wr.mu);
	pthread_cond_destroy(&ck.cv);
	pthread_mutex_destroy(&ck.mu);
	mr_conn_reg_stop(&reg);
done_dog:
	watchdog_end(1);
	pthread_cond_destroy(&dog.cv);
	pthread_mutex_destroy(&dog.mu);
done:
	free(pem_cert);
	free(pem_key);
	return rc;
}

/* web.h — `merit serve`: the web door onto the same engine as the CLI.
 *
 * The app (mr_web) answers one request at a time per thread through
 * mr_web_handle, which knows nothing of sockets: server.c feeds it from
 * libmicrohttpd, the fuzzer from bytes, the tests from both.  Every route,
 * its method and who may call it are in one table (router.c).
 */
#ifndef MR_WEB_H
#define MR_WEB_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/err.h"

typedef struct mr_web mr_web;

typedef struct mr_web_config {
	const char *db;              /* the database file */
	int secure;                  /* served over TLS: cookies get Secure, HSTS is sent */
	int session_idle;            /* seconds a session may sit unused (default 1800) */
	int session_max;             /* seconds a session lasts at most (default 43200) */
	size_t max_body;             /* JSON and plan bodies (default 1 MiB) */
	size_t max_upload;           /* uploaded files (default 256 MiB) */
	int login_failures;          /* failed logins before a pause (default 5) */
	int login_pause;             /* seconds of that pause (default 60, doubling) */
	int64_t (*now)(void);        /* the clock, Unix seconds (tests may set it) */
	int gen_check_ms;            /* how long a reading of the data's generation is
	                                trusted (default 100 ms; tests may lengthen it) */
	int max_conns;               /* open connections in all (default 4000) */
	int max_per_addr;            /* open connections from one address (default 128) */
	int head_timeout;            /* seconds for a request's line and headers to come
	                                (default 10) */
	int request_time;            /* seconds a request's database work may take, but
	                                an upload's (default 30) */
	FILE *access_log;            /* a line per answer in the combined format, or NULL */
	int trust_proxy;             /* a request from loopback is a proxy's: its client is
	                                X-Forwarded-For's last address, and loopback is
	                                not held to max_per_addr */
} mr_web_config;

#define MR_WEB_MAX_ARGS 16

/* One request, as the server read it; everything borrowed. */
typedef struct mr_req {
	const char *method, *path;   /* path decoded, without the query */
	const char *cookie;          /* the Cookie header, or NULL */
	const char *csrf;            /* X-CSRF-Token, or NULL */
	const char *content_type;    /* or NULL */
	const char *peer;            /* the client's address, for throttling */
	int secure;                  /* came over TLS: merit's own, or a trusted proxy's
	                                (X-Forwarded-Proto: https); cookies get Secure */
	const char *body;            /* NULL when none */
	size_t body_len;
	const char *upload;          /* an upload route's body, already in this file; or NULL */
	struct mr_arg { const char *key, *value; } args[MR_WEB_MAX_ARGS];
	size_t nargs;                /* query arguments, decoded */
} mr_req;

/* The answer; mr_web_resp_release frees what it owns. */
typedef struct mr_resp {
	int status;
	const char *type;            /* Content-Type (static text) */
	mr_buf body;
	const void *fixed;           /* a body that lives forever (an asset), else NULL */
	size_t fixed_len;
	char *cookie;                /* Set-Cookie value, or NULL */
	char *filename;              /* download: Content-Disposition attachment */
	int retry_after;             /* seconds, 0 when none */
	int cacheable;               /* static asset: may be cached */
	const char *allow;           /* Allow header for 405 */
	int close;                   /* Connection: close (nothing more is read) */
} mr_resp;

void mr_web_resp_init(mr_resp *rs);
void mr_web_resp_release(mr_resp *rs);

/* Check the database opens and has a plan; keep a pool of `conns`
 * connections to it. */
int mr_web_new(mr_web **out, const mr_web_config *cfg, int conns, mr_err *err);
void mr_web_free(mr_web *w);             /* NULL is a no-op */

/* Answer one request.  Thread-safe. */
void mr_web_handle(mr_web *w, const mr_req *rq, mr_resp *rs);
/* Would the request (its body not read yet) reach its handler: route,
 * session, CSRF token, role?  1, or 0 with the answer in rs.  The server
 * asks before it takes an upload. */
int mr_web_admit(mr_web *w, const mr_req *rq, mr_resp *rs);
/* The file name an upload is kept under: `name`'s last part, when it is
 * a usable name (not empty, no leading dot, at most 200 bytes). */
const char *mr_web_upload_name(const char *name);
/* Make an upload's private directory $TMPDIR/merit-upload-XXXXXX, locked
 * (flock) for as long as *lock stays open: 0, or -1 with errno. */
int mr_web_upload_dir(char *dir, size_t size, int *lock);
/* Remove the upload directories no running server holds (a killed one's):
 * this user's own, named as merit names them, holding files only, never
 * through a symbolic link.  *dirs removed, their files' *bytes.  0, or -1
 * when $TMPDIR cannot be read. */
int mr_web_upload_sweep(long *dirs, long long *bytes);

/* The security headers every answer carries: name, value pairs, NULL-ended. */
extern const char *const mr_web_headers[];

/* Serve on `listen` (ADDR:PORT, [v6]:PORT; port 0 picks a free one) until
 * *stop is set.  ready(url, payload) is called once listening.  cert and
 * key (PEM files) turn on TLS.  Stopping, it takes no new connection and
 * gives the requests being worked on MR_WEB_STOP_GRACE_S seconds; when
 * some are still running then, it returns 0 with *stop set to
 * MR_WEB_CUT_SHORT: their threads still use `w`, so the caller must not
 * free it but end the process (_exit; an unfinished change is rolled
 * back by SQLite, the locks go with the process). */
#define MR_WEB_STOP_GRACE_S 3
#define MR_WEB_CUT_SHORT 2
/* What the process says when it ends with work cut short. */
#define MR_WEB_STR_(x) #x
#define MR_WEB_STR(x) MR_WEB_STR_(x)
#define MR_WEB_CUT_SHORT_MSG "merit: stopped (work still running after " \
	MR_WEB_STR(MR_WEB_STOP_GRACE_S) " s was cut short; a change not finished was not saved)\n"
int mr_web_serve(mr_web *w, const char *listen, const char *cert, const char *key,
                 volatile sig_atomic_t *stop, void (*ready)(const char *url, void *payload),
                 void *payload, mr_err *err);

/* The UI's files, built into the binary (assets.c, generated). */
int mr_web_asset(const char *path, const unsigned char **data, size_t *len,
                 const char **type);

#endif

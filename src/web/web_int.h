/* web_int.h — what the web files share: the app, the per-request
 * context, the route handlers and the helpers they answer with. */
#ifndef MR_WEB_INT_H
#define MR_WEB_INT_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>

#include "core/plan.h"
#include "ops/ops.h"
#include "report/appraise.h"
#include "store/store.h"
#include "web/web.h"

/* Everything computed at one generation of the data (cache.c): the plan,
 * the staff, and appraisals and scorecards as they are asked for.  Shared
 * by the requests that hold a reference; freed by the last one out. */
#define MR_SNAP_PERIODS 16
typedef struct mr_snap {
	int64_t gen;
	int refs;
	char *plan_yaml;
	mr_plan *plan;                  /* NULL when the database has no plan */
	mr_staff *staff;   size_t nstaff;
	struct mr_snap_period {
		char *label;
		mr_appraisal a;
		char **cards;               /* per person of a.result, the scorecard JSON */
		struct mr_snap_period *next_own;   /* a request's own ones, chained */
	} *per[MR_SNAP_PERIODS];
	size_t nper;
} mr_snap;

/* The failed-login table (login_throttle, session.c) keeps at most this
 * many rows; the oldest go first. */
#define MR_THROTTLE_ROWS 10000

/* A session as last read from the database, kept a second so a request
 * needs no query for it (sessions.c). */
struct mr_session_memo {
	unsigned char hash[32];
	char login[72], role[16], csrf[64];
	int64_t created, seen;
	int64_t read_ms;                 /* when read (monotonic ms); 0: empty slot */
	int64_t gen;                     /* the data's generation then: a change since
	                                    (a user disabled by the CLI) reads it again */
};
#define MR_SESSION_MEMOS 256
#define MR_SESSION_MEMO_MS 1000

struct mr_web {
	mr_web_config cfg;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_mutex_t build_mu;        /* one thread at a time builds a snapshot or appraisal */
	mr_store **pool;      size_t npool, nfree;
	mr_snap *snap;                   /* the newest, or NULL */
	int64_t snap_read_ms;            /* when its generation was last read */
	uint64_t epoch;                  /* moved by mr_web_stale */
	struct mr_session_memo memo[MR_SESSION_MEMOS];
	int64_t purged;                  /* when expired sessions were last removed */
};

/* One request being answered. */
typedef struct mr_ctx {
	mr_web *w;
	const mr_req *rq;
	mr_resp *rs;
	mr_store *s;                     /* a pooled connection, for this request */
	int64_t now;
	/* the user, when logged in */
	int user;
	mr_session ses;
	unsigned char token_hash[32];
	int admin, manager;
	const mr_staff *me;              /* the user's staff record (in snap), or NULL */
	mr_snap *snap;                   /* taken on first use */
	const char *tail;                /* the path after a prefix route's, e.g. a batch id */
	struct mr_snap_period *own;      /* appraisals the full snapshot could not keep:
	                                    they live until the request ends */
	mr_locale file_lang;             /* an upload's ?lang=: its errors' words (English
	                                    when not set), by mr_msg_tr_file */
} mr_ctx;

typedef int (*mr_handler)(mr_ctx *c);

/* ---- answering (router.c) ---- */
/* A JSON answer: takes the reference to `j`. */
int mr_web_json(mr_ctx *c, int status, json_t *j);
/* {"error": "…"} with `status`. */
int mr_web_fail(mr_ctx *c, int status, const char *fmt, ...) MR_PRINTF(3, 4);
/* An engine error, its code turned into a status; internal errors are
 * logged and answered without their details. */
int mr_web_err(mr_ctx *c, const mr_err *err);
/* End the handler's write transaction: commit when rc is 0, else (or when
 * the commit fails) roll back and answer the error — with 422 for a bad
 * or unknown row of an uploaded `file`.  Clears err; 0 when committed. */
int mr_web_commit(mr_ctx *c, int rc, mr_err *err, int file);
/* Start a write transaction on the plan the request works with: 0 (then
 * end it with mr_web_commit), a store error code in err (the same), or
 * -1 after answering 409 when there is no plan yet (nothing begun). */
int mr_web_begin_plan(mr_ctx *c, mr_err *err);
/* The query argument `key`, or NULL. */
const char *mr_web_arg(const mr_ctx *c, const char *key);
/* The body as a JSON object: NULL after answering 400. */
json_t *mr_web_body(mr_ctx *c);
/* A required string member of a JSON object: NULL after answering 400. */
const char *mr_web_str(mr_ctx *c, json_t *o, const char *key);
/* The period named by the query's `period`, else the newest cycle's:
 * -1 after answering. */
int mr_web_period(mr_ctx *c, mr_period *out);
/* The id at the start of c->tail ("12" or "12/…"): 0, or -1 after
 * answering 404 with `missing`. */
int mr_web_tail_id(mr_ctx *c, int64_t *out, const char *missing);

/* ---- data computed once per generation (cache.c) ---- */
/* The current snapshot (taken once per request): NULL after answering. */
mr_snap *mr_web_snap(mr_ctx *c);
/* The appraisal of `p` (snapshot-or-score, as `merit score`): NULL after
 * answering.  Borrowed from the snapshot. */
const struct mr_snap_period *mr_web_appraisal(mr_ctx *c, const mr_period *p);
void mr_snap_unref(mr_web *w, mr_snap *s);
/* Inside a write transaction: is the plan the request worked with (the
 * snapshot's) still the stored one?  0, or MR_EEXISTS (409) saying so. */
int mr_web_plan_check(mr_ctx *c, mr_err *err);
void mr_snap_period_free(struct mr_snap_period *sp);
/* Drop the cached snapshot (after a change this process made). */
void mr_web_stale(mr_web *w);
int mr_web_pool_init(mr_web *w, int conns, mr_err *err);
mr_store *mr_web_pool_get(mr_web *w);
void mr_web_pool_put(mr_web *w, mr_store *s);

/* ---- who may see whom (authz.c) ---- */
/* May the user see `login`'s scorecard, ratings, batches and reports? */
int mr_web_may_see(mr_ctx *c, const char *login);
/* Is the user `login`'s manager on record (direct), or anywhere above
 * them in the staff list's manager chain (!direct)?  Roles aside. */
int mr_web_manages(mr_ctx *c, const char *login, int direct);
/* May the user decide on (approve, reject) evidence `login` handed in:
 * an admin, or anyone above them in the staff list's manager chain;
 * never the person themselves. */
int mr_web_may_decide(mr_ctx *c, const char *login);
/* Are login's own results of `period` (final score, grade, bonus, rank)
 * withheld from the user?  Yes when the user is
 * login, not an admin, and `period` is not a cycle an admin released
 * (a period that is no cycle is never released).  `list`: the cycles,
 * when the caller has them (else read). */
int mr_web_withheld(mr_ctx *c, const char *period, const char *login,
                    const mr_cycle *list, size_t n);
/* The staff record of login in the snapshot, or NULL. */
const mr_staff *mr_web_staff(const mr_snap *snap, const char *login);

/* Milliseconds of a monotonic clock. */
int64_t mr_web_ms(void);

/* A condition variable whose timed waits use CLOCK_MONOTONIC (a clock
 * set back or forward does not stretch them): 0, or -1. */
int mr_web_cond_init(pthread_cond_t *cv);
/* For such a wait: `ms` milliseconds from now. */
void mr_web_deadline(struct timespec *ts, int64_t ms);

/* ---- connections (conn.c): a deadline for a request's head, and the
 * open connections per address group ---- */
#define MR_CONN_BUCKETS 4096
#define MR_CONN_GROUP_KEY 56             /* "2001:db8:1:2::/64", an IPv4 address */
typedef struct mr_conn_reg {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct mr_conn *head;            /* the open connections */
	struct mr_conn_group *groups[MR_CONN_BUCKETS];   /* their counts, hashed */
	int deadline_s;
	int per_group;                   /* the most open connections of one group */
	int loopback_free;               /* loopback is not held to per_group (a proxy's
	                                    connections: --trust-proxy) */
	atomic_int closed;               /* the server is stopping: no new connection */
	int stop;
	pthread_t thread;                /* the reaper */
} mr_conn_reg;
/* Start the reaper: 0, or -1 when the thread cannot start. */
int mr_conn_reg_start(mr_conn_reg *r, int deadline_s, int per_group);
/* Stop it, once every connection is closed. */
void mr_conn_reg_stop(mr_conn_reg *r);
/* libmicrohttpd's accept policy: 1 when the group of the client address
 * `sa` has fewer than per_group connections open (its place taken: the
 * next mr_conn_started in this thread is that connection), else 0. */
int mr_conn_admit(mr_conn_reg *r, const struct sockaddr *sa);
/* The group of a client address, as mr_web_addr_group names it. */
void mr_conn_group_key(const struct sockaddr *sa, char *out, size_t size);
/* A connection opened on socket fd: *ctx is its entry (NULL when out of
 * memory: then only the idle timeout bounds it). */
void mr_conn_started(mr_conn_reg *r, void **ctx, int fd);
/* ... closed: called before its descriptor is closed. */
void mr_conn_closed(mr_conn_reg *r, void **ctx);
/* Its request's head is in (in = 1), or its request was answered and the
 * clock for the next head starts (in = 0). */
void mr_conn_head_in(mr_conn_reg *r, void *ctx, int in);

/* ---- sessions (session.c) ---- */
/* Forget the remembered sessions of `login` (NULL: everyone's), after a
 * change to them: logout, a new password or role. */
void mr_web_sessions_forget(mr_web *w, const char *login);
/* Find the session of the request's cookie: 1 when logged in. */
int mr_web_session(mr_ctx *c);
/* A new random token (32 bytes, base64url, 43 characters) into out, and
 * the SHA-256 a token is kept by. */
void mr_web_token_new(char *out, size_t size);
void mr_web_token_hash(unsigned char out[32], const char *token, size_t len);
/* The value of cookie `name` in a Cookie header (NULL: none): *len bytes
 * at the result. */
const char *mr_web_cookie_get(const char *header, const char *name, size_t *len);
/* Is this the path of a public change a client could repeat at will (the
 * login, a survey's answer)?  Such requests go to the checker's queue,
 * one waiting per address (server.c). */
int mr_web_checked_route(const char *url);
/* Hash a new password into out: 0, or an answer given (api_write.c). */
int mr_web_hash_pw(mr_ctx *c, const char *pw, char out[MR_PW_HASH_SIZE]);
/* An upload as a file named as the user named it (?file=NAME): the
 * server's (streamed there as it came), or the body written to a private
 * directory.  0, or an answer given; mr_web_upload_drop either way. */
struct mr_upload {
	char dir[256];
	char path[512];
	int lock;                 /* the directory's locked descriptor, or -1 */
};
int mr_web_upload_save(mr_ctx *c, struct mr_upload *u);
void mr_web_upload_drop(struct mr_upload *u);
/* Is it a role: admin, manager or member? */
int mr_web_role_ok(const char *role);
int mr_web_csrf_ok(const mr_ctx *c);
/* The failed-login throttle's name for a client address: an IPv4 address
 * as it is (an IPv4-mapped IPv6 one too), an IPv6 address by its /64,
 * e.g. "2001:db8:1:2::/64"; "?" when none. */
void mr_web_addr_group(const char *peer, char *out, size_t size);
/* One more failed try on a throttle row at `now`: forgiven first when
 * the last failure, or the end of the pause, is over an hour ago; from
 * the limit-th failure on a pause of `pause` seconds, doubling, up to an
 * hour. */
void mr_web_throttle_count(mr_throttle_row *t, int limit, int pause, int64_t now);
/* Has `st` left (their staff --to date is before today)?  Their user may
 * not log in from the day after. */
int mr_web_staff_left(const mr_ctx *c, const mr_staff *st);

/* ---- a request's first look, before its body (gate.c) ---- */
struct MHD_Connection;
#define MR_WEB_REQUEST_S 30               /* a request's database work, seconds (--request-timeout) */
#define MR_WEB_PUBLIC_BODY (4u << 10)    /* a public route's body: a login and a password */
typedef struct mr_gate {
	int status;                  /* the refusal's status (400, 413), else 0 */
	const char *msg;             /* the refusal's message: static, JSON-safe text */
	size_t limit;                /* the most body bytes the request may send */
	int public_route;            /* its route needs no session (the login) */
} mr_gate;
/* At the first callback, headers in and no body read: 0 when the request
 * may go on (out->limit set), or -1 with out->status and out->msg: a
 * length told twice or two ways, a Transfer-Encoding other than chunked,
 * a body on a request that cannot carry one (anything but a POST or PUT
 * under /api/), a Content-Length over the route's limit. */
int mr_web_gate(mr_gate *out, const mr_web *w, struct MHD_Connection *con,
                const char *method, const char *url);
/* Is url a route whose body goes to a file (an upload)? */
int mr_web_upload_route(const char *url);
/* Is method and path a route anyone may call, without a session (router.c)? */
int mr_web_route_public(const char *method, const char *path);

/* ---- the plan as a form edits it (api_plan.c) ---- */
/* The plan as a JSON object with the plan file's keys (SPEC section 3):
 * what the form edits and sends back as a draft.  A new reference. */
json_t *mr_web_plan_json(const mr_plan *p);
/* A PUT of a JSON draft ({"plan": {…}} or {"yaml": "…"}): the plan and
 * the YAML to store (a JSON draft's as `merit plan export` writes it),
 * both the caller's; -1 after answering (422 with the problems). */
int mr_web_plan_from_json(mr_ctx *c, mr_plan **plan, char **yaml);
/* The language of the messages an answer words (a plan's problems, the
 * readiness list, why a person is not scored): ?lang= (en or zh-CN),
 * English when not given; -1 after answering 400. */
int mr_web_lang(mr_ctx *c, mr_locale *out);
/* err's problems (lines "NAME:LINE:COL: message") as a JSON array of
 * strings, each message in lang. */
json_t *mr_web_plan_problems(const mr_err *err, const char *name, mr_locale lang);

/* ---- handlers ---- */
#define MR_H(n) int mr_h_##n(mr_ctx *c)
MR_H(notify); MR_H(notify_add); MR_H(notify_rm); MR_H(notify_test); MR_H(notify_set);
MR_H(login); MR_H(logout); MR_H(me); MR_H(password);
MR_H(cycles); MR_H(cycle_move); MR_H(people);
MR_H(dashboard); MR_H(scorecard);
MR_H(ratings); MR_H(rate);
MR_H(peers); MR_H(peers_put); MR_H(calibrate);
MR_H(acks); MR_H(acknowledge); MR_H(readiness);
MR_H(batches); MR_H(batch); MR_H(batch_rm);
MR_H(import); MR_H(import_preview); MR_H(import_template); MR_H(sources); MR_H(ingest); MR_H(record);
MR_H(plan); MR_H(plan_yaml); MR_H(plan_put); MR_H(plan_check); MR_H(plan_whatif);
MR_H(users); MR_H(user_add); MR_H(user_put);
MR_H(audit); MR_H(report);
MR_H(evidence); MR_H(evidence_add); MR_H(evidence_decide); MR_H(evidence_file);
MR_H(todo);
MR_H(staff); MR_H(staff_add); MR_H(staff_put); MR_H(staff_import);
MR_H(owners); MR_H(owner_add); MR_H(owner_rm); MR_H(unassigned);
MR_H(invite_add); MR_H(invite); MR_H(invite_use);
MR_H(surveys); MR_H(survey_add); MR_H(survey_close); MR_H(survey_public); MR_H(survey_reply);
MR_H(probes); MR_H(probe_add); MR_H(probe_rm); MR_H(source_add); MR_H(source_rm);

#endif

/* fuzz_web.c — libFuzzer target for the web app's request handling:
 * mr_web_handle (web.h), the router, sessions, CSRF, roles and every
 * handler, without sockets.
 *
 * At start (LLVMFuzzerInitialize) a database is built in a temporary
 * directory through the engine (the built-in sales plan, five people, a
 * closed cycle with its snapshot and an open one, measurements, ratings,
 * three users: an admin, a manager and a member), and each user logs in
 * once through mr_web_handle for a session cookie and CSRF token.  That
 * file is the base: the working copy the app serves is put back from it
 * after any request that may have changed it (a 2xx to anything but GET or
 * HEAD, and any login), and every 2000 inputs.
 *
 * An input is read as:
 *   byte 0   method: GET POST PUT DELETE HEAD PATCH OPTIONS, or (7) a string
 *   byte 1   path: low 5 bits pick a real route (a prefix route takes a
 *            fuzzed tail; bit 5 adds one to any route), else a fuzzed path
 *   byte 2   Cookie: admin, manager, member, none, fuzzed, admin amid junk
 *   byte 3   X-CSRF-Token: the session's, none, fuzzed, another session's
 *   byte 4   Content-Type: json, json;charset, csv, yaml, text, octet, none,
 *            fuzzed
 *   byte 5   number of query arguments (0..16)
 *   byte 6   bit 0: a body (else none)
 * then the NUL-ended strings the header bytes asked for, in that order
 * (method, path or tail, cookie, csrf, content type), then per argument a
 * key byte (a known key, or a fuzzed string) and a value string; the rest
 * of the input is the body.
 *
 * The invariants, besides no crash, leak or sanitizer report:
 *   - the status is 200..599 and has a Content-Type;
 *   - every 4xx/5xx answer is a JSON object with a string "error", and
 *     none is a 500: the database is sound, so whatever went wrong was the
 *     request's, and the answer should say so;
 *   - no answer shows SQLite's own words (SQLITE, sqlite3, "no such
 *     table", "constraint failed", …) unless the request itself did;
 *   - an error answer, a GET and a HEAD leave the database as it was
 *     (PRAGMA data_version of a separate connection);
 *   - no upload or report file is left in the temporary directory.
 * Reproducers of findings: tests/fuzz/crashes/ (not in git).  -fork=1 -ignore_crashes=1 keeps going past a finding.
 *
 *   make fuzz && build/fuzz/fuzz_web -max_total_time=300 tests/fuzz/corpus/web
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/period.h"
#include "core/plan.h"
#include "ops/ops.h"
#include "report/plan_write.h"
#include "store/store.h"
#include "util/buf.h"
#include "web/web.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1795168800          /* 2026-11-20 10:00 UTC: sessions never age */
#define RESET_EVERY 2000

static char dir[64], tmpdir[96], base_db[128], work_db[128];
static mr_web *web;
static sqlite3 *probe;          /* a connection of our own: did the data change? */
static int dirty;
static unsigned long runs;

enum { S_ADMIN, S_MANAGER, S_MEMBER, NSESSIONS };
static const char *const logins[NSESSIONS] = { "root", "ed", "pro" };
static const char *const roles[NSESSIONS] = { "admin", "manager", "member" };
static char cookie[NSESSIONS][160], csrf[NSESSIONS][96];

static int64_t fixed_now(void)
{
	return NOW;
}

static void die(const char *what, const mr_err *err)
{
	fprintf(stderr, "fuzz_web: %s: %s\n", what, err && err->msg ? err->msg : "failed");
	abort();
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out;
	char buf[65536];
	size_t n;
	unlink(to);
	if (!in)
		return;                  /* no such file (a -wal that is not there) */
	if (!(out = fopen(to, "wb")))
		die(to, NULL);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			die(to, NULL);
	fclose(in);
	if (fclose(out))
		die(to, NULL);
}

static int64_t data_version(void)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(probe, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
		die("PRAGMA data_version", NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void web_open(const char *db)
{
	mr_err err = MR_ERR_INIT;
	mr_web_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.db = db;
	cfg.now = fixed_now;
	cfg.max_upload = 1u << 20;
	if (mr_web_new(&web, &cfg, 2, &err))
		die("mr_web_new", &err);
}

/* Put the working copy back as it was at the start. */
static void reset(void)
{
	char from[160], to[160];
	mr_web_free(web);
	web = NULL;
	if (probe)
		sqlite3_close(probe);
	probe = NULL;
	copy_file(base_db, work_db);
	snprintf(from, sizeof from, "%s-wal", base_db);
	snprintf(to, sizeof to, "%s-wal", work_db);
	copy_file(from, to);
	snprintf(to, sizeof to, "%s-shm", work_db);
	unlink(to);
	web_open(work_db);
	if (sqlite3_open_v2(work_db, &probe, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("opening the probe connection", NULL);
	data_version();
	dirty = 0;
}

/* ---- the base database ---- */

static void staff(mr_store *s, const char *login, const char *name, const char *pos,
                  const char *manager)
{
	mr_err err = MR_ERR_INIT;
	mr_staff st = { (char *)login, (char *)name, (char *)pos, (char *)manager,
	                MR_DAY_MIN, MR_DAY_MAX, 0, 0, 0 };
	if (mr_store_staff_put(s, &st, 1, &err))
		die("staff", &err);
}

static void cycle(mr_store *s, const mr_plan *plan, const char *verb, const char *period)
{
	mr_err err = MR_ERR_INIT;
	mr_period p;
	const char *state;
	if (mr_period_parse(&p, period, &err) ||
	    mr_op_cycle(s, plan, verb, &p, NULL, MR_OP_FORCE, &state, &err))
		die("cycle", &err);
}

static void record(mr_store *s, const mr_plan *plan, const char *ind, const char *login,
                   int y, int m, int d, double v, double of)
{
	mr_err err = MR_ERR_INIT;
	if (mr_op_record(s, plan, ind, login, mr_day_from_civil(y, m, d), v, of > 0, of, "fuzz seed",
	                 NULL, &err))
		die("record", &err);
}

/* A rating on the first of the person's position's criteria; a peer is
 * nominated first. */
static void rate(mr_store *s, const mr_plan *plan, const char *period, const char *login,
                 const char *pos, const char *kind, const char *rater, double stars)
{
	mr_err err = MR_ERR_INIT;
	mr_period p;
	size_t n;
	const char *crit[] = { mr_plan_criteria(plan, pos, &n)[0].key };
	double st[] = { stars };
	mr_rating_in r = { login, kind, rater, "seed comment", crit, st, 1 };
	if (mr_period_parse(&p, period, &err) ||
	    (strcmp(kind, "peer") == 0 && mr_op_peers(s, plan, &p, login, &rater, 1, &err)) ||
	    mr_op_rate(s, plan, &p, &r, &err))
		die("rate", &err);
}

static void build_base(void)
{
	mr_err err = MR_ERR_INIT;
	mr_store *s;
	mr_plan *plan;
	mr_buf yaml;
	if (mr_store_open(&s, base_db, &err) ||
	    mr_plan_builtin(&plan, MR_GOAL_SALES, MR_PERIOD_MONTH, &err))
		die("base", &err);
	mr_buf_init(&yaml);
	mr_plan_write(&yaml, plan);
	if (mr_buf_oom(&yaml))
		die("plan_write", NULL);
	mr_store_set_actor(s, "fuzz");
	if (mr_store_begin(s, &err) || mr_store_plan_put(s, yaml.data, &err))
		die("plan", &err);
	staff(s, "boss", "Boss", "manager", NULL);
	staff(s, "ed", "Ed Itor", "editor", "boss");
	staff(s, "pro", "Pro Moter", "promoter", "ed");
	staff(s, "dev", "Dev Eloper", "developer", "ed");
	staff(s, "sup", "Sup Port", "support", "boss");
	for (int i = 0; i < NSESSIONS; i++) {
		char hash[crypto_pwhash_STRBYTES], pw[32];
		snprintf(pw, sizeof pw, "password-%s", logins[i]);
		if (crypto_pwhash_str_alg(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_MIN,
		                          crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13))
			die("crypto_pwhash_str", NULL);
		if (mr_store_user_put(s, logins[i], roles[i], hash, 1, &err))
			die("user", &err);
	}
	/* October: data, ratings, closed (a snapshot) */
	cycle(s, plan, "open", "2026-10");
	record(s, plan, "online_sales", NULL, 2026, 10, 3, 420000, 0);
	record(s, plan, "opportunities", NULL, 2026, 10, 9, 250, 0);
	record(s, plan, "content_updates", "ed", 2026, 10, 12, 55, 0);
	record(s, plan, "promo_posts", "pro", 2026, 10, 14, 44, 0);
	record(s, plan, "task_completion", "dev", 2026, 10, 20, 91, 100);
	rate(s, plan, "2026-10", "ed", "editor", "self", "ed", 4);
	rate(s, plan, "2026-10", "ed", "editor", "manager", "boss", 3.5);
	rate(s, plan, "2026-10", "pro", "promoter", "peer", "dev", 5);
	cycle(s, plan, "review", "2026-10");
	cycle(s, plan, "close", "2026-10");
	/* November: open */
	cycle(s, plan, "open", "2026-11");
	record(s, plan, "online_sales", NULL, 2026, 11, 5, 180000, 0);
	record(s, plan, "content_updates", "ed", 2026, 11, 6, 30, 0);
	record(s, plan, "site_visits", "pro", 2026, 11, 7, 6400, 0);
	rate(s, plan, "2026-11", "pro", "promoter", "self", "pro", 3);
	rate(s, plan, "2026-11", "pro", "promoter", "manager", "ed", 4.5);
	if (mr_store_commit(s, &err))
		die("commit", &err);
	mr_buf_release(&yaml);
	mr_plan_free(plan);
	mr_store_close(s);
}

/* Log each user in once; the sessions stay in the base database. */
static void login_all(void)
{
	for (int i = 0; i < NSESSIONS; i++) {
		char body[128];
		mr_req rq;
		mr_resp rs;
		snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"password-%s\"}",
		         logins[i], logins[i]);
		memset(&rq, 0, sizeof rq);
		rq.method = "POST";
		rq.path = "/api/login";
		rq.content_type = "application/json";
		rq.peer = "127.0.0.1";
		rq.body = body;
		rq.body_len = strlen(body);
		mr_web_resp_init(&rs);
		mr_web_handle(web, &rq, &rs);
		mr_buf_putc(&rs.body, 0);
		if (rs.status != 200 || !rs.cookie) {
			fprintf(stderr, "fuzz_web: login %s: %d %s\n", logins[i], rs.status,
			        rs.body.data);
			abort();
		}
		size_t n = strcspn(rs.cookie, ";");
		if (n >= sizeof cookie[i])
			abort();
		memcpy(cookie[i], rs.cookie, n);
		cookie[i][n] = 0;
		json_t *j = json_loads(rs.body.data, 0, NULL);
		const char *t = json_string_value(json_object_get(j, "csrf"));
		if (!t || strlen(t) >= sizeof csrf[i])
			abort();
		snprintf(csrf[i], sizeof csrf[i], "%s", t);
		json_decref(j);
		mr_web_resp_release(&rs);
	}
}

static void cleanup(void)
{
	char p[192];
	mr_web_free(web);
	web = NULL;
	if (probe)
		sqlite3_close(probe);
	static const char *const names[] = { "base.db", "base.db-wal", "base.db-shm", "work.db",
	                                     "work.db-wal", "work.db-shm" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(tmpdir);
	rmdir(dir);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* libFuzzer's -fork jobs and crashes end without atexit: take away the
 * directories of runs whose process is gone. */
static void sweep(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *e;
	char p[300];
	if (!d)
		return;
	while ((e = readdir(d))) {
		long pid;
		if (sscanf(e->d_name, "merit-fuzz-web-%ld-", &pid) != 1 || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(p, sizeof p, "/tmp/%s", e->d_name);
		nftw(p, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	}
	closedir(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	sweep();
	snprintf(dir, sizeof dir, "/tmp/merit-fuzz-web-%ld-XXXXXX", (long)getpid());
	if (!mkdtemp(dir))
		abort();
	snprintf(tmpdir, sizeof tmpdir, "%s/tmp", dir);
	if (mkdir(tmpdir, 0700))
		abort();
	setenv("TMPDIR", tmpdir, 1);
	snprintf(base_db, sizeof base_db, "%s/base.db", dir);
	snprintf(work_db, sizeof work_db, "%s/work.db", dir);
	build_base();
	web_open(base_db);
	login_all();
	mr_web_free(web);                 /* the last connection out checkpoints */
	web = NULL;
	atexit(cleanup);
	reset();
	return 0;
}

/* ---- one input ---- */

struct in {
	char *p;                          /* a NUL-ended copy of the input */
	size_t n;                         /* bytes left */
};

static unsigned byte(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return (unsigned char)*in->p++;
}

/* The next NUL-ended string (the last one runs to the end). */
static const char *str(struct in *in)
{
	const char *s = in->p;
	size_t len = strnlen(in->p, in->n);
	in->p += len;
	in->n -= len;
	if (in->n) {                      /* step over the NUL */
		in->p++;
		in->n--;
	}
	return s;
}

static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH",
                                       "OPTIONS" };
static const struct { const char *path; int prefix; } paths[] = {
	{ "/api/login", 0 }, { "/api/logout", 0 }, { "/api/me", 0 }, { "/api/me/password", 0 },
	{ "/api/cycles", 0 }, { "/api/people", 0 }, { "/api/dashboard", 0 },
	{ "/api/scorecard", 0 }, { "/api/ratings", 0 }, { "/api/batches", 0 },
	{ "/api/batches/", 1 }, { "/api/import", 0 }, { "/api/ingest", 0 }, { "/api/record", 0 },
	{ "/api/plan", 0 }, { "/api/plan.yaml", 0 }, { "/api/users", 0 }, { "/api/users/", 1 },
	{ "/api/audit", 0 }, { "/api/report", 0 }, { "/", 0 }, { "/index.html", 0 },
	{ "/app.js", 0 }, { "/api/", 1 },
};
static const char *const ctypes[] = { "application/json", "application/json; charset=utf-8",
                                      "text/csv", "application/x-yaml", "text/plain",
                                      "application/octet-stream", NULL };
static const char *const keys[] = { "period", "login", "format", "kind", "file", "preset",
                                    "map", "date", "replace", "skip_bad", "site", "strict",
                                    "limit", "before" };
#define N(a) (sizeof (a) / sizeof (a)[0])

/* Words of SQLite's that must never reach a browser. */
static const char *const leaks[] = { "SQLITE", "sqlite3", "no such table", "no such column",
                                     "constraint failed", "syntax error", "database disk image",
                                     "misuse" };

static int has(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	for (size_t i = 0; s && i + w <= n; i++)
		if (s[i] == word[0] && memcmp(s + i, word, w) == 0)
			return 1;
	return 0;
}

static int has_ci(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	for (size_t i = 0; s && i + w <= n; i++)
		if (strncasecmp(s + i, word, w) == 0)
			return 1;
	return 0;
}

static void fail(const mr_req *rq, const mr_resp *rs, const char *why)
{
	fprintf(stderr, "fuzz_web: %s\n  %s %s (%zu args) -> %d %s\n  body: %.*s\n", why,
	        rq->method, rq->path, rq->nargs, rs->status, rs->type ? rs->type : "(no type)",
	        (int)(rs->body.len < 2000 ? rs->body.len : 2000),
	        rs->body.data ? rs->body.data : "");
	abort();
}


/* Files the app put in TMPDIR and did not take away. */
static void check_tmpdir(const mr_req *rq, const mr_resp *rs)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	if (!d)
		abort();
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			char why[512];
			snprintf(why, sizeof why, "left behind in TMPDIR: %s", e->d_name);
			closedir(d);
			fail(rq, rs, why);
		}
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in;
	mr_req rq;
	mr_resp rs;
	char path[4096], cookie_buf[4096];
	if (dirty || ++runs % RESET_EVERY == 0)
		reset();
	char *copy = malloc(size + 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = 0;
	in.p = copy;
	in.n = size;
	memset(&rq, 0, sizeof rq);
	rq.peer = "127.0.0.1";

	unsigned m = byte(&in), pb = byte(&in), sb = byte(&in), cb = byte(&in), tb = byte(&in),
	         nb = byte(&in), fb = byte(&in);
	rq.method = m % 8 < N(methods) ? methods[m % 8] : str(&in);
	if ((pb & 31) < N(paths)) {
		const char *tail = paths[pb & 31].prefix || (pb & 32) ? str(&in) : "";
		snprintf(path, sizeof path, "%s%s", paths[pb & 31].path, tail);
		rq.path = path;
	} else {
		rq.path = str(&in);
	}
	int who = -1;
	switch (sb % 6) {
	case 0: case 1: case 2:
		who = (int)(sb % 6);
		rq.cookie = cookie[who];
		break;
	case 3:
		break;
	case 4:
		rq.cookie = str(&in);
		break;
	default:
		who = S_ADMIN;
		snprintf(cookie_buf, sizeof cookie_buf, "theme=dark; %s; %s", cookie[who], str(&in));
		rq.cookie = cookie_buf;
	}
	switch (cb % 4) {
	case 0: rq.csrf = who >= 0 ? csrf[who] : NULL; break;
	case 1: break;
	case 2: rq.csrf = str(&in); break;
	default: rq.csrf = csrf[who >= 0 ? (who + 1) % NSESSIONS : S_ADMIN];
	}
	rq.content_type = tb % 8 < N(ctypes) ? ctypes[tb % 8] : str(&in);
	rq.nargs = nb % (MR_WEB_MAX_ARGS + 1);
	for (size_t i = 0; i < rq.nargs; i++) {
		unsigned k = byte(&in);
		rq.args[i].key = k % 20 < N(keys) ? keys[k % 20] : str(&in);
		rq.args[i].value = str(&in);
	}
	if (fb & 1) {
		rq.body = in.p;
		rq.body_len = in.n;
	}

	/* did the request itself say what must not come back? */
	int echo[N(leaks)];
	for (size_t l = 0; l < N(leaks); l++) {
		echo[l] = has_ci(rq.method, strlen(rq.method), leaks[l]) ||
		          has_ci(rq.path, strlen(rq.path), leaks[l]) ||
		          has_ci(rq.body, rq.body_len, leaks[l]);
		for (size_t i = 0; i < rq.nargs; i++)
			echo[l] |= has_ci(rq.args[i].key, strlen(rq.args[i].key), leaks[l]) ||
			           has_ci(rq.args[i].value, strlen(rq.args[i].value), leaks[l]);
	}

	int64_t before = data_version();
	mr_web_resp_init(&rs);
	mr_web_handle(web, &rq, &rs);

	if (rs.status < 200 || rs.status > 599)
		fail(&rq, &rs, "status out of 200..599");
	if (!rs.type)
		fail(&rq, &rs, "no Content-Type");
	if (rs.status == 500)
		fail(&rq, &rs, "500: a request the server should have answered");
	if (rs.status >= 400) {
		json_error_t je;
		json_t *j = json_loadb(rs.body.data ? rs.body.data : "", rs.body.len, 0, &je);
		if (rs.fixed || !j || !json_is_object(j) ||
		    !json_is_string(json_object_get(j, "error")) ||
		    !*json_string_value(json_object_get(j, "error")))
			fail(&rq, &rs, "an error answer that is not JSON with an \"error\"");
		json_decref(j);
		if (strncmp(rs.type, "application/json", 16) != 0)
			fail(&rq, &rs, "an error answer that is not application/json");
		if (rs.status == 405 && !rs.allow)
			fail(&rq, &rs, "405 without Allow");
		if (rs.status == 429 && rs.retry_after <= 0)
			fail(&rq, &rs, "429 without Retry-After");
	}
	for (size_t l = 0; l < N(leaks); l++)
		if (!echo[l] && has(rs.body.data, rs.body.len, leaks[l]))
			fail(&rq, &rs, "the answer shows SQLite's words");
	int64_t after = data_version();
	int safe = strcmp(rq.method, "GET") == 0 || strcmp(rq.method, "HEAD") == 0;
	if (after != before && (rs.status >= 400 || safe))
		fail(&rq, &rs, rs.status >= 400 ? "an error answer, yet the database changed"
		                                 : "a GET or HEAD changed the database");
	check_tmpdir(&rq, &rs);

	if (!safe && rs.status < 300)
		dirty = 1;
	if (strncmp(rq.path, "/api/login", 10) == 0)
		dirty = 1;                    /* the pause after failed logins is kept in memory */
	mr_web_resp_release(&rs);
	free(copy);
	return 0;
}

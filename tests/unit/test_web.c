/* test_web.c — the web door without a socket: mr_web_handle on a
 * temporary database.  Routing (404, 405, assets), the session cookie
 * read among other cookies, idle and absolute expiry on a test clock, the
 * CSRF check, the role check, who may see whom down a manager chain (and
 * a chain that loops in the data), that a cached appraisal is dropped
 * when the data changes under it, a reviewer and upward ratings, and a
 * dashboard that averages only the people scored.  The socket, TLS, limits and the full
 * roles × routes matrix are tested over loopback in tests/e2e/t04*. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/plan.h"
#include "ops/ops.h"
#include "report/plan_write.h"
#include "store/store.h"
#include "web/web.h"

static int64_t clock_now = 1800000000;
static int64_t test_clock(void) { return clock_now; }

typedef struct fx {
	char path[64];
	mr_web *w;
	char cookie[128], csrf[64];
} fx;

static void rm_db(const char *path)
{
	char p[80];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static void staff(mr_store *s, const char *login, const char *manager)
{
	mr_staff st = { (char *)login, (char *)login, (char *)"editor", (char *)manager,
	                MR_DAY_MIN, MR_DAY_MAX, 0, 0, 0 };
	mr_err err = MR_ERR_INIT;
	assert_int_equal(mr_store_staff_put(s, &st, 1, &err), 0);
}

/* A reviewer: no position, rates as someone's manager, never scored. */
static void reviewer(mr_store *s, const char *login)
{
	mr_staff st = { (char *)login, (char *)login, NULL, NULL, MR_DAY_MIN, MR_DAY_MAX, 0, 0, 1 };
	mr_err err = MR_ERR_INIT;
	assert_int_equal(mr_store_staff_put(s, &st, 1, &err), 0);
}

static void user(mr_store *s, const char *login, const char *role)
{
	char hash[crypto_pwhash_STRBYTES];
	mr_err err = MR_ERR_INIT;
	assert_int_equal(crypto_pwhash_str_alg(hash, "password1", 9, crypto_pwhash_OPSLIMIT_MIN,
	                                       crypto_pwhash_MEMLIMIT_MIN,
	                                       crypto_pwhash_ALG_ARGON2ID13), 0);
	assert_int_equal(mr_store_user_put(s, login, role, hash, 1, &err), 0);
}

/* A team: boss ← mid ← low; other under the reviewer rev; loop1 ↔ loop2
 * manage each other (as a database written before merit refused such a
 * loop may hold: made behind the store's back). */
static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	mr_store *s;
	mr_plan *plan;
	mr_buf yaml;
	mr_err err = MR_ERR_INIT;
	snprintf(f->path, sizeof f->path, "/tmp/merit-test-web-%d.db", (int)getpid());
	rm_db(f->path);
	assert_int_equal(mr_store_open(&s, f->path, &err), 0);
	assert_int_equal(mr_plan_builtin(&plan, MR_GOAL_SALES, MR_PERIOD_MONTH, &err), 0);
	mr_buf_init(&yaml);
	mr_plan_write(&yaml, plan);
	assert_int_equal(mr_store_begin(s, &err), 0);
	assert_int_equal(mr_store_plan_put(s, yaml.data, &err), 0);
	reviewer(s, "rev");
	staff(s, "boss", NULL);
	staff(s, "mid", "boss");
	staff(s, "low", "mid");
	staff(s, "other", "rev");
	staff(s, "loop1", NULL);
	staff(s, "loop2", "loop1");
	mr_staff st;
	assert_int_equal(mr_store_staff_get(s, "loop1", &st, &err), 0);
	free(st.manager);
	st.manager = strdup("loop2");
	assert_int_equal(mr_store_staff_put(s, &st, 0, &err), MR_EINVALID);   /* refused */
	mr_err_clear(&err);
	mr_staff_release(&st);
	user(s, "admin", "admin");
	user(s, "boss", "manager");
	user(s, "mid", "manager");
	user(s, "low", "member");
	user(s, "loop1", "manager");
	user(s, "rev", "member");
	mr_period p;
	const char *cy;
	assert_int_equal(mr_period_parse(&p, "2026-11", &err), 0);
	assert_int_equal(mr_op_cycle(s, plan, "open", &p, NULL, 0, &cy, &err), 0);
	/* peers: nominated (the default): boss and loop1 may peer-rate low */
	const char *peers[] = { "boss", "loop1" };
	assert_int_equal(mr_op_peers(s, plan, &p, "low", peers, 2, &err), 0);
	assert_int_equal(mr_store_commit(s, &err), 0);
	mr_store_close(s);
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "UPDATE staff SET manager = 'loop2' WHERE login = 'loop1'",
	                              NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	mr_buf_release(&yaml);
	mr_plan_free(plan);
	mr_web_config cfg = { 0 };
	cfg.db = f->path;
	cfg.now = test_clock;
	cfg.session_idle = 100;
	cfg.session_max = 1000;
	cfg.gen_check_ms = 600000;    /* the cached snapshot is trusted: changes made
	                                 here drop it; others' are not seen at once */
	assert_int_equal(mr_web_new(&f->w, &cfg, 2, &err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	mr_web_free(f->w);
	rm_db(f->path);
	free(f);
	return 0;
}

/* One request; the answer's body parsed when it is JSON (else NULL). */
static int call(fx *f, const char *method, const char *path, const char *query_login,
                const char *body, json_t **out)
{
	mr_req rq;
	mr_resp rs;
	memset(&rq, 0, sizeof rq);
	rq.method = method;
	rq.path = path;
	rq.cookie = f->cookie[0] ? f->cookie : NULL;
	rq.csrf = f->csrf[0] ? f->csrf : NULL;
	rq.peer = "127.0.0.1";
	rq.content_type = "application/json";
	rq.body = body;
	rq.body_len = body ? strlen(body) : 0;
	rq.args[0].key = "period";
	rq.args[0].value = "2026-11";
	rq.nargs = 1;
	if (query_login) {
		rq.args[1].key = "login";
		rq.args[1].value = query_login;
		rq.nargs = 2;
	}
	mr_web_resp_init(&rs);
	mr_web_handle(f->w, &rq, &rs);
	int status = rs.status;
	if (out)
		*out = rs.fixed ? NULL : json_loads(rs.body.data, 0, NULL);
	if (rs.cookie && strncmp(rs.cookie, "merit_session=", 14) == 0) {
		/* a browser sends it back among its other cookies */
		const char *end = strchr(rs.cookie, ';');
		snprintf(f->cookie, sizeof f->cookie, "theme=dark; %.*s; lang=zh",
		         (int)(end - rs.cookie), rs.cookie);
	}
	mr_web_resp_release(&rs);
	return status;
}

static void login(fx *f, const char *who)
{
	char body[128];
	json_t *j;
	f->cookie[0] = f->csrf[0] = 0;
	snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"password1\"}", who);
	assert_int_equal(call(f, "POST", "/api/login", NULL, body, &j), 200);
	snprintf(f->csrf, sizeof f->csrf, "%s", json_string_value(json_object_get(j, "csrf")));
	json_decref(j);
}

static void test_web__routes_and_assets(void **state)
{
	fx *f = *state;
	json_t *j;
	assert_int_equal(call(f, "GET", "/api/nothing", NULL, NULL, &j), 404);
	assert_non_null(json_object_get(j, "error"));
	json_decref(j);
	assert_int_equal(call(f, "PATCH", "/api/me", NULL, NULL, NULL), 405);
	assert_int_equal(call(f, "GET", "/", NULL, NULL, NULL), 200);
	assert_int_equal(call(f, "GET", "/app.js", NULL, NULL, NULL), 200);
	assert_int_equal(call(f, "GET", "/../merit.db", NULL, NULL, NULL), 404);
	assert_int_equal(call(f, "DELETE", "/", NULL, NULL, NULL), 405);
	/* a prefix route takes one more path segment, no more */
	login(f, "admin");
	assert_int_equal(call(f, "GET", "/api/batches/1/x", NULL, NULL, NULL), 404);
}

static void test_web__session_expiry(void **state)
{
	fx *f = *state;
	assert_int_equal(call(f, "GET", "/api/me", NULL, NULL, NULL), 401);
	login(f, "low");
	assert_int_equal(call(f, "GET", "/api/me", NULL, NULL, NULL), 200);
	clock_now += 99;                     /* idle just under the limit: still in */
	assert_int_equal(call(f, "GET", "/api/me", NULL, NULL, NULL), 200);
	clock_now += 99;                     /* that request kept it alive */
	assert_int_equal(call(f, "GET", "/api/me", NULL, NULL, NULL), 200);
	clock_now += 100;                    /* idle exactly 100 s: a session lasts at least S */
	assert_int_equal(call(f, "GET", "/api/me", NULL, NULL, NULL), 200);
	clock_now += 101;                    /* idle more than 100 s: over */
	assert_int_equal(call(f, "GET", "/api/me", NULL, NULL, NULL), 401);
	login(f, "low");
	for (int i = 0; i < 12; i++) {       /* busy, but 1000 s in all is the end */
		clock_now += 90;
		assert_int_equal(call(f, "GET", "/api/me", NULL, NULL, NULL), i < 11 ? 200 : 401);
	}
	login(f, "low");
	for (int i = 0; i < 10; i++) {       /* exactly 1000 s old: still in */
		clock_now += 100;
		assert_int_equal(call(f, "GET", "/api/me", NULL, NULL, NULL), 200);
	}
	clock_now += 1;                      /* 1001 s: over */
	assert_int_equal(call(f, "GET", "/api/me", NULL, NULL, NULL), 401);
	login(f, "low");
	assert_int_equal(call(f, "POST", "/api/logout", NULL, "{}", NULL), 200);
	assert_int_equal(call(f, "GET", "/api/me", NULL, NULL, NULL), 401);
}

static void test_web__csrf_and_roles(void **state)
{
	fx *f = *state;
	char good[64];
	login(f, "low");
	snprintf(good, sizeof good, "%s", f->csrf);
	f->csrf[0] = 0;
	assert_int_equal(call(f, "POST", "/api/logout", NULL, "{}", NULL), 403);
	snprintf(f->csrf, sizeof f->csrf, "%.*sx", (int)strlen(good) - 1, good);
	assert_int_equal(call(f, "POST", "/api/logout", NULL, "{}", NULL), 403);
	snprintf(f->csrf, sizeof f->csrf, "%s", good);
	/* a member is no admin */
	assert_int_equal(call(f, "GET", "/api/users", NULL, NULL, NULL), 403);
	assert_int_equal(call(f, "POST", "/api/cycles", NULL,
	                      "{\"period\":\"2026-11\",\"action\":\"review\"}", NULL), 403);
	login(f, "admin");
	assert_int_equal(call(f, "GET", "/api/users", NULL, NULL, NULL), 200);
}

/* The logins on the dashboard (ranked or not scored), joined by spaces,
 * sorted. */
static void ranking(fx *f, char *out, size_t size)
{
	json_t *j, *v;
	size_t i;
	char list[16][32];
	size_t n = 0;
	assert_int_equal(call(f, "GET", "/api/dashboard", NULL, NULL, &j), 200);
	json_array_foreach(json_object_get(j, "ranking"), i, v)
		if (n < 16)
			snprintf(list[n++], 32, "%s", json_string_value(json_object_get(v, "login")));
	json_array_foreach(json_object_get(j, "not_scored"), i, v)
		if (n < 16)
			snprintf(list[n++], 32, "%s", json_string_value(json_object_get(v, "login")));
	json_decref(j);
	qsort(list, n, sizeof list[0], (int (*)(const void *, const void *))strcmp);
	out[0] = 0;
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? " " : "", list[i]);
}

static void test_web__who_sees_whom(void **state)
{
	fx *f = *state;
	char r[256];
	login(f, "boss");
	ranking(f, r, sizeof r);
	assert_string_equal(r, "boss low mid");        /* down the chain, however deep */
	assert_int_equal(call(f, "GET", "/api/scorecard", "low", NULL, NULL), 200);
	assert_int_equal(call(f, "GET", "/api/scorecard", "other", NULL, NULL), 404);
	login(f, "mid");
	ranking(f, r, sizeof r);
	assert_string_equal(r, "low mid");             /* not up */
	assert_int_equal(call(f, "GET", "/api/scorecard", "boss", NULL, NULL), 404);
	login(f, "low");
	ranking(f, r, sizeof r);
	assert_string_equal(r, "low");
	assert_int_equal(call(f, "GET", "/api/scorecard", "mid", NULL, NULL), 404);
	assert_int_equal(call(f, "GET", "/api/scorecard", "nobody", NULL, NULL), 404);
	login(f, "loop1");                             /* a loop in the data ends */
	ranking(f, r, sizeof r);
	assert_string_equal(r, "loop1 loop2");
	login(f, "admin");
	ranking(f, r, sizeof r);
	assert_string_equal(r, "boss loop1 loop2 low mid other");
}

static void test_web__cache_follows_changes(void **state)
{
	fx *f = *state;
	json_t *j;
	login(f, "low");
	assert_int_equal(call(f, "GET", "/api/scorecard", NULL, NULL, &j), 200);
	json_t *self = json_object_get(json_object_get(j, "person"), "self_score");
	assert_true(json_is_null(self));
	json_decref(j);
	assert_int_equal(call(f, "POST", "/api/ratings", NULL,
	                      "{\"period\":\"2026-11\",\"login\":\"low\",\"by\":\"self\","
	                      "\"criteria\":{\"value\":4}}", NULL), 200);
	assert_int_equal(call(f, "GET", "/api/scorecard", NULL, NULL, &j), 200);
	self = json_object_get(json_object_get(j, "person"), "self_score");
	/* 4 of 5 stars on value (weight 50 of the editor's criteria); the
	 * unrated appeal and timeliness count 0: 80 × 50 ÷ 100 */
	assert_float_equal(json_number_value(self), 40.0, 1e-9);
	json_decref(j);
	/* a rating by someone with no right to give it changes nothing */
	assert_int_equal(call(f, "POST", "/api/ratings", NULL,
	                      "{\"period\":\"2026-11\",\"login\":\"low\",\"by\":\"manager\","
	                      "\"criteria\":{\"value\":1}}", NULL), 403);
}

/* Regression: with the snapshot's 16 period slots full (16 cycles asked
 * of someone not in them, so no history was read), a scorecard's own
 * appraisal was freed by its history loop and then used (ASan: heap use
 * after free; a crash without it). */
static void test_web__scorecard_past_full_cache(void **state)
{
	fx *f = *state;
	char period[16], body[96];
	mr_req rq;
	mr_resp rs;
	login(f, "admin");
	for (int m = 0; m < 18; m++) {        /* 2025-01 .. 2026-06 */
		snprintf(body, sizeof body, "{\"period\":\"%d-%02d\",\"action\":\"open\"}",
		         2025 + m / 12, m % 12 + 1);
		assert_int_equal(call(f, "POST", "/api/cycles", NULL, body, NULL), 200);
	}
	for (int m = 0; m < 16; m++) {
		snprintf(period, sizeof period, "%d-%02d", 2025 + m / 12, m % 12 + 1);
		memset(&rq, 0, sizeof rq);
		rq.method = "GET";
		rq.path = "/api/scorecard";
		rq.cookie = f->cookie;
		rq.args[0].key = "period";
		rq.args[0].value = period;
		rq.args[1].key = "login";
		rq.args[1].value = "nobody";
		rq.nargs = 2;
		mr_web_resp_init(&rs);
		mr_web_handle(f->w, &rq, &rs);
		assert_int_equal(rs.status, 404);
		mr_web_resp_release(&rs);
	}
	json_t *j;
	assert_int_equal(call(f, "GET", "/api/scorecard", "low", NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "period")), "2026-11");
	/* the history is the closed cycles' and this one's: none is closed */
	assert_int_equal(json_array_size(json_object_get(j, "history")), 1);
	json_decref(j);
}

/* A change worked out with one plan is refused when the plan changed
 * under it (here by another connection, as `merit plan import` would,
 * while the server still trusts its cached snapshot). */
static void test_web__plan_changed_meanwhile(void **state)
{
	fx *f = *state;
	mr_store *s;
	mr_err err = MR_ERR_INIT;
	char *yaml;
	login(f, "admin");
	assert_int_equal(call(f, "GET", "/api/dashboard", NULL, NULL, NULL), 200);
	assert_int_equal(mr_store_open(&s, f->path, &err), 0);
	assert_int_equal(mr_store_plan_get(s, &yaml, &err), 0);
	size_t n = strlen(yaml) + 32;
	char *changed = malloc(n);
	snprintf(changed, n, "%s# edited\n", yaml);
	assert_int_equal(mr_store_begin(s, &err), 0);
	assert_int_equal(mr_store_plan_put(s, changed, &err), 0);
	assert_int_equal(mr_store_commit(s, &err), 0);
	json_t *j;
	assert_int_equal(call(f, "POST", "/api/record", NULL, "{\"indicator\":\"online_sales\","
	                      "\"value\":5,\"login\":null,\"date\":\"2026-11-02\"}", &j), 409);
	assert_non_null(strstr(json_string_value(json_object_get(j, "error")), "plan changed"));
	json_decref(j);
	mr_store_close(s);
	free(yaml);
	free(changed);
}

/* A manager's rating is refused when the staff list named another
 * manager since the caller looked (ops: the rater must be the manager). */
static void test_web__manager_changed_meanwhile(void **state)
{
	fx *f = *state;
	mr_store *s;
	mr_plan *plan;
	mr_period p;
	mr_err err = MR_ERR_INIT;
	const char *crit[] = { "value" };          /* an editor's criterion */
	double stars[] = { 4 };
	assert_int_equal(mr_store_open(&s, f->path, &err), 0);
	assert_int_equal(mr_plan_builtin(&plan, MR_GOAL_SALES, MR_PERIOD_MONTH, &err), 0);
	assert_int_equal(mr_period_parse(&p, "2026-11", &err), 0);
	mr_rating_in r = { "low", "manager", "boss", NULL, crit, stars, 1 };
	assert_int_equal(mr_store_begin(s, &err), 0);
	assert_int_equal(mr_op_rate(s, plan, &p, &r, &err), MR_EDENIED);   /* low's is mid */
	mr_store_rollback(s);
	mr_err_clear(&err);
	r.rater = "mid";
	assert_int_equal(mr_store_begin(s, &err), 0);
	assert_int_equal(mr_op_rate(s, plan, &p, &r, &err), 0);
	mr_store_rollback(s);
	mr_plan_free(plan);
	mr_store_close(s);
}

/* A person sees what peers said, not who: no names, and an order that is
 * not the peers' logins' (the store's), new every time.  Two peers: over
 * 24 reads both orders appear (the chance they do not: 2 in 2^24). */
static void test_web__peers_unnamed_unordered(void **state)
{
	fx *f = *state;
	const char *peers[] = { "boss", "loop1" };
	char body[200];
	int seen[2] = { 0, 0 };
	for (int i = 0; i < 2; i++) {
		login(f, peers[i]);
		snprintf(body, sizeof body, "{\"period\":\"2026-11\",\"login\":\"low\",\"by\":"
		         "\"peer\",\"criteria\":{\"value\":%d},\"comment\":\"from %s\"}",
		         3 + i, peers[i]);
		assert_int_equal(call(f, "POST", "/api/ratings", NULL, body, NULL), 200);
	}
	login(f, "low");
	for (int i = 0; i < 24; i++) {
		json_t *j, *rec;
		assert_int_equal(call(f, "GET", "/api/ratings", "low", NULL, &j), 200);
		rec = json_object_get(j, "received");
		assert_int_equal(json_array_size(rec), 2);
		for (size_t k = 0; k < 2; k++)
			assert_true(json_is_null(json_object_get(json_array_get(rec, k), "rater")));
		const char *c0 = json_string_value(json_object_get(json_array_get(rec, 0), "comment"));
		seen[strcmp(c0, "from boss") == 0 ? 0 : 1]++;
		json_decref(j);
	}
	assert_true(seen[0] > 0 && seen[1] > 0);
}

/* The member of `arr` whose "login" is `login`, or NULL. */
static json_t *by_login(json_t *arr, const char *login)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(json_object_get(v, "login")), login) == 0)
			return v;
	return NULL;
}

/* A reviewer user rates their reports as their manager; a reviewer is
 * listed as one (no position) and never rated or scored. */
static void test_web__reviewer(void **state)
{
	fx *f = *state;
	json_t *j, *v;
	login(f, "rev");
	assert_int_equal(call(f, "GET", "/api/me", NULL, NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "reviewer")));
	assert_true(json_is_null(json_object_get(j, "position")));
	json_decref(j);
	assert_int_equal(call(f, "GET", "/api/people", NULL, NULL, &j), 200);
	v = by_login(j, "rev");
	assert_non_null(v);
	assert_true(json_is_true(json_object_get(v, "reviewer")));
	assert_true(json_is_null(json_object_get(v, "position")));
	assert_true(json_is_false(json_object_get(by_login(j, "other"), "reviewer")));
	json_decref(j);
	assert_int_equal(call(f, "GET", "/api/ratings", "other", NULL, &j), 200);
	v = json_object_get(j, "can");
	assert_true(json_is_true(json_object_get(v, "manager")));
	assert_true(json_is_false(json_object_get(v, "peer")));
	assert_true(json_is_false(json_object_get(v, "self")));
	json_decref(j);
	assert_int_equal(call(f, "POST", "/api/ratings", NULL,
	                      "{\"period\":\"2026-11\",\"login\":\"other\",\"by\":\"manager\","
	                      "\"criteria\":{\"value\":4}}", NULL), 200);
	/* never as a peer, and never rated or scored */
	assert_int_equal(call(f, "POST", "/api/ratings", NULL,
	                      "{\"period\":\"2026-11\",\"login\":\"low\",\"by\":\"peer\","
	                      "\"criteria\":{\"value\":4}}", NULL), 403);
	assert_int_equal(call(f, "GET", "/api/scorecard", "rev", NULL, NULL), 404);
	login(f, "admin");
	assert_int_equal(call(f, "GET", "/api/ratings", "rev", NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "reviewer")));
	assert_int_equal(json_array_size(json_object_get(j, "criteria")), 0);
	assert_true(json_is_false(json_object_get(json_object_get(j, "can"), "manager")));
	json_decref(j);
	assert_int_equal(call(f, "POST", "/api/ratings", NULL,
	                      "{\"period\":\"2026-11\",\"login\":\"rev\",\"by\":\"manager\","
	                      "\"criteria\":{\"value\":4}}", &j), 400);
	assert_non_null(strstr(json_string_value(json_object_get(j, "error")), "reviewer"));
	json_decref(j);
	assert_int_equal(call(f, "GET", "/api/ratings", "other", NULL, &j), 200);
	v = json_array_get(json_object_get(j, "received"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "kind")), "manager");
	assert_string_equal(json_string_value(json_object_get(v, "rater")), "rev");
	json_decref(j);
}

/* A direct report rates their manager upward; the manager sees what,
 * not who.  Someone who does not report to them is refused. */
static void test_web__upward(void **state)
{
	fx *f = *state;
	json_t *j, *v;
	const char *body = "{\"period\":\"2026-11\",\"login\":\"mid\",\"by\":\"upward\","
	                   "\"criteria\":{\"value\":3},\"comment\":\"from below\"}";
	login(f, "low");
	assert_int_equal(call(f, "GET", "/api/ratings", "mid", NULL, &j), 200);
	assert_true(json_is_true(json_object_get(json_object_get(j, "can"), "upward")));
	/* an editor is rated on the editor's criteria, and the form says its duties */
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(j, "criteria"), 0), "key")), "value");
	assert_non_null(strstr(json_string_value(json_object_get(j, "duties")), "content"));
	json_decref(j);
	assert_int_equal(call(f, "POST", "/api/ratings", NULL, body, NULL), 200);
	login(f, "boss");                   /* mid's manager, not their report */
	assert_int_equal(call(f, "GET", "/api/ratings", "mid", NULL, &j), 200);
	assert_true(json_is_false(json_object_get(json_object_get(j, "can"), "upward")));
	v = json_array_get(json_object_get(j, "received"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "rater")), "low");
	json_decref(j);
	assert_int_equal(call(f, "POST", "/api/ratings", NULL, body, &j), 403);
	assert_non_null(strstr(json_string_value(json_object_get(j, "error")), "does not report"));
	json_decref(j);
	login(f, "mid");
	assert_int_equal(call(f, "GET", "/api/ratings", "mid", NULL, &j), 200);
	v = json_array_get(json_object_get(j, "received"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "kind")), "upward");
	assert_true(json_is_null(json_object_get(v, "rater")));
	assert_string_equal(json_string_value(json_object_get(v, "comment")), "from below");
	json_decref(j);
}

/* Regression: the dashboard averaged everyone's final score into the
 * trend and ranked everyone, though a person not scored has no final
 * score (0 in the result). */
static void test_web__dashboard_scored_only(void **state)
{
	fx *f = *state;
	json_t *j, *v;
	login(f, "admin");
	assert_int_equal(call(f, "GET", "/api/dashboard", NULL, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "ranking")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "not_scored")), 6);
	assert_int_equal(json_array_size(json_object_get(j, "trends")), 0);
	v = by_login(json_object_get(j, "not_scored"), "boss");
	assert_non_null(strstr(json_string_value(json_object_get(v, "reason")), "coverage"));
	json_decref(j);
	/* boss: data for 70 % of an editor's KPI weight, each on target */
	assert_int_equal(call(f, "POST", "/api/record", NULL, "{\"indicator\":\"content_updates\","
	                      "\"value\":60,\"login\":\"boss\",\"date\":\"2026-11-03\"}", NULL), 200);
	assert_int_equal(call(f, "POST", "/api/record", NULL, "{\"indicator\":\"topics_produced\","
	                      "\"value\":4,\"login\":\"boss\",\"date\":\"2026-11-04\"}", NULL), 200);
	assert_int_equal(call(f, "GET", "/api/dashboard", NULL, NULL, &j), 200);
	v = json_object_get(j, "ranking");
	assert_int_equal(json_array_size(v), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 0), "login")), "boss");
	assert_true(json_is_false(json_object_get(json_array_get(v, 0), "complete")));
	assert_int_equal(json_array_size(json_object_get(j, "not_scored")), 5);
	v = json_array_get(json_object_get(j, "trends"), 0);
	assert_float_equal(json_number_value(json_object_get(v, "average")), 100.0, 1e-9);
	assert_int_equal(json_integer_value(json_object_get(v, "people")), 1);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_web__routes_and_assets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__session_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__csrf_and_roles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__who_sees_whom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__cache_follows_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__scorecard_past_full_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__plan_changed_meanwhile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__manager_changed_meanwhile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__peers_unnamed_unordered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__reviewer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__upward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__dashboard_scored_only, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

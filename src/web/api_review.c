/* api_review.c — the review cycle through the web: the rating form and
 * ratings (self, manager, nominated or open peers, upward), the peers a
 * manager nominates, an admin's calibration, the acknowledgement of a
 * closed result, and what stands between a cycle and its close.
 *
 * The rules are the operations' (ops/ops.h), the same as the CLI's: a
 * handler checks who the user is to the person (to answer 404 for a
 * person they may not see, and to offer only the forms that apply), then
 * asks the operation and answers with its reason.  Peers and direct
 * reports are never named to the person they rated.
 */
#include "web/web_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "ops/ops.h"

#define MAX_CRIT 64

/* The cycle's state for the period label, or NULL (none). */
static char *cycle_state(mr_ctx *c, const char *label)
{
	mr_cycle cy;
	mr_err err = MR_ERR_INIT;
	char *state = NULL;
	if (mr_store_cycle_get(c->s, label, &cy, NULL, &err) == 0) {
		state = strdup(cy.state);
		mr_cycle_release(&cy);
	}
	mr_err_clear(&err);
	return state;
}

/* The staff member `login` when the user may see them or is their manager
 * on record; else NULL after answering 404 (the same as no such person). */
static const mr_staff *person(mr_ctx *c, const char *login, const char *what)
{
	const mr_staff *who = mr_web_staff(c->snap, login);
	if (!who || (!mr_web_may_see(c, login) && !mr_web_manages(c, login, 1))) {
		mr_web_fail(c, 404, "no %s of %s", what, login);
		return NULL;
	}
	return who;
}

/* A JSON array of strings as a list (the JSON's strings, borrowed):
 * NULL after answering 400. */
static const char **str_array(mr_ctx *c, json_t *a, const char *field, size_t *n)
{
	size_t i;
	json_t *v;
	if (!json_is_array(a)) {
		mr_web_fail(c, 400, "field \"%s\" is required: a list of logins", field);
		return NULL;
	}
	const char **out = calloc(json_array_size(a) + 1, sizeof *out);
	if (!out) {
		mr_web_fail(c, 500, "out of memory");
		return NULL;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || !*json_string_value(v)) {
			free(out);
			mr_web_fail(c, 400, "field \"%s\": item %zu is not a login", field, i + 1);
			return NULL;
		}
		out[i] = json_string_value(v);
	}
	*n = json_array_size(a);
	return out;
}

/* An optional string member: 0 (with *out NULL when absent, null or
 * empty), or -1 after answering 400. */
static int opt_str(mr_ctx *c, json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (v && !json_is_null(v) && !json_is_string(v))
		return mr_web_fail(c, 400, "field \"%s\" must be a string", key);
	if (json_is_string(v) && *json_string_value(v))
		*out = json_string_value(v);
	return 0;
}

/* ---- ratings ---- */

/* Is `rater` among the peers nominated for `login` in `period`?  1 or 0,
 * or -1 after answering. */
static int is_nominated(mr_ctx *c, const char *period, const char *login, const char *rater)
{
	char **peers = NULL;
	size_t n = 0;
	mr_err err = MR_ERR_INIT;
	int found = 0;
	if (mr_store_peers_get(c->s, period, login, &peers, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		found |= strcmp(peers[i], rater) == 0;
	mr_str_list_free(peers, n);
	return found;
}

/* Which forms the user may fill for `who`, by the staff list: the peer
 * form before the plan's nominations are asked.  The operation has the
 * last word when the rating comes. */
struct may { int self, manager, peer, upward; };

static void may_rate(mr_ctx *c, const mr_staff *who, struct may *m)
{
	const char *me = c->ses.login;
	memset(m, 0, sizeof *m);
	if (who->reviewer)               /* reviewers rate; they are never rated */
		return;
	m->self = c->me && strcmp(who->login, me) == 0;
	m->manager = who->manager && strcmp(who->manager, me) == 0;
	/* a manager rates as manager, a reviewer only as someone's manager */
	m->peer = c->me && !c->me->reviewer && !m->self && !m->manager;
	m->upward = c->me && c->me->manager && strcmp(c->me->manager, who->login) == 0;
}

struct keyed { uint64_t h; const char *rater; json_t *entry; };

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	return x->h < y->h ? -1 : x->h > y->h;
}

/* The ratings received, one entry per kind and rater: self, manager, the
 * peers, the direct reports.  Unless `names`, peers and direct reports
 * come without their logins, in an order that says nothing of who they
 * are: by a keyed hash of the rater, the key new each time.  NULL when
 * out of memory. */
static json_t *received_json(const mr_rating_row *rows, size_t n, int names)
{
	static const char *const kinds[] = { "self", "manager", "peer", "upward" };
	unsigned char key[crypto_shorthash_KEYBYTES], h[crypto_shorthash_BYTES];
	struct keyed *e = calloc(n + 1, sizeof *e);
	json_t *out = json_array();
	if (!e || !out) {
		free(e);
		json_decref(out);
		return NULL;
	}
	randombytes_buf(key, sizeof key);
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		int hide = !names && k >= 2;
		size_t ne = 0, j;
		for (size_t i = 0; i < n; i++) {
			const mr_rating_row *r = &rows[i];
			if (strcmp(r->kind, kinds[k]) != 0)
				continue;
			for (j = 0; j < ne && strcmp(e[j].rater, r->rater) != 0; j++)
				;
			if (j == ne) {
				crypto_shorthash(h, (const unsigned char *)r->rater, strlen(r->rater), key);
				memcpy(&e[ne].h, h, sizeof e[ne].h);
				e[ne].rater = r->rater;
				e[ne++].entry = json_pack("{s:s, s:o, s:{}, s:o}", "kind", r->kind,
				                          "rater", hide ? json_null() : json_string(r->rater),
				                          "criteria", "comment",
				                          r->comment ? json_string(r->comment) : json_null());
			}
			json_object_set_new(json_object_get(e[j].entry, "criteria"), r->criterion,
			                    json_real(r->stars));
		}
		if (hide)
			qsort(e, ne, sizeof *e, by_key);
		for (j = 0; j < ne; j++)
			json_array_append_new(out, e[j].entry);
	}
	free(e);
	return out;
}

static json_t *criteria_json(const mr_criterion *cr, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:f}", "key", cr[i].key, "name",
		                      cr[i].name ? cr[i].name : cr[i].key, "weight", cr[i].weight));
	return a;
}

/* What the user gave `login` this period, by kind. */
static json_t *given_json(mr_ctx *c, const mr_rating_row *rows, size_t n)
{
	json_t *given = json_object();
	for (size_t i = 0; i < n; i++) {
		const mr_rating_row *r = &rows[i];
		if (strcmp(r->rater, c->ses.login) != 0)
			continue;
		json_t *g = json_object_get(given, r->kind);
		if (!g) {
			g = json_pack("{s:{}, s:o}", "criteria", "comment",
			              r->comment ? json_string(r->comment) : json_null());
			json_object_set_new(given, r->kind, g);
		}
		json_object_set_new(json_object_get(g, "criteria"), r->criterion, json_real(r->stars));
	}
	return given;
}

int mr_h_ratings(mr_ctx *c)
{
	mr_period p;
	mr_err err = MR_ERR_INIT;
	mr_rating_row *rows = NULL;
	size_t n = 0, ncrit = 0;
	struct may m;
	const char *login = mr_web_arg(c, "login");
	const mr_plan *plan = c->snap->plan;
	if (!login)
		login = c->ses.login;
	if (mr_web_period(c, &p))
		return -1;
	const mr_staff *who = mr_web_staff(c->snap, login);
	if (!who || !plan)
		return mr_web_fail(c, 404, "no one called %s to rate", login);
	may_rate(c, who, &m);
	int sees = mr_web_may_see(c, login);
	if (!sees && !m.self && !m.manager && !m.peer && !m.upward)
		return mr_web_fail(c, 404, "no one called %s to rate", login);
	if (m.peer && plan->peers == MR_PEERS_NOMINATED &&
	    (m.peer = is_nominated(c, p.label, login, c->ses.login)) < 0)
		return -1;
	char *state = cycle_state(c, p.label);
	int open = state && strcmp(state, "closed") != 0;
	if (mr_store_rating_list(c->s, p.label, login, &rows, &n, &err)) {
		free(state);
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	/* the person sees who their manager is, not which peer or report said what */
	int names = c->admin || (sees && strcmp(login, c->ses.login) != 0);
	const mr_criterion *cr = who->reviewer ? NULL : mr_plan_criteria(plan, who->position, &ncrit);
	const mr_position *pos = who->position ? mr_plan_position(plan, who->position) : NULL;
	json_t *received = sees ? received_json(rows, n, names) : json_array();
	json_t *root = received ? json_pack(
		"{s:s, s:s, s:s, s:s?, s:s?, s:b, s:s, s:s, s:i, s:o, s:{s:b, s:b, s:b, s:b},"
		" s:o, s:o}", "period", p.label, "login", login, "name", who->name,
		"position", who->position, "duties", pos ? pos->duties : NULL,
		"reviewer", who->reviewer, "state", state ? state : "none",
		"peers", mr_peers_name(plan->peers), "scale", plan->rating_scale,
		"criteria", criteria_json(cr, ncrit), "can", "self", open && m.self,
		"manager", open && m.manager, "peer", open && m.peer, "upward", open && m.upward,
		"given", given_json(c, rows, n), "received", received) : NULL;
	mr_rating_rows_free(rows, n);
	free(state);
	if (!root)
		return mr_web_fail(c, 500, "out of memory");
	return mr_web_json(c, 200, root);
}

int mr_h_rate(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_period p;
	const char *crit[MAX_CRIT], *comment;
	double stars[MAX_CRIT];
	size_t n = 0;
	struct may m;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *period = mr_web_str(c, b, "period");
	const char *login = period ? mr_web_str(c, b, "login") : NULL;
	const char *by = login ? mr_web_str(c, b, "by") : NULL;
	json_t *jc = json_object_get(b, "criteria");
	if (!by || opt_str(c, b, "comment", &comment))
		goto done;
	if (!json_is_object(jc) || !json_object_size(jc)) {
		mr_web_fail(c, 400, "field \"criteria\" is required: an object of KEY: stars");
		goto done;
	}
	if (mr_period_parse(&p, period, &err)) {
		mr_web_fail(c, 400, "period: %s", err.msg);
		goto done;
	}
	const mr_staff *who = mr_web_staff(c->snap, login);
	if (!who || !c->snap->plan) {
		mr_web_fail(c, 404, "no one called %s to rate", login);
		goto done;
	}
	int self = strcmp(by, "self") == 0, manager = strcmp(by, "manager") == 0,
	    peer = strcmp(by, "peer") == 0, upward = strcmp(by, "upward") == 0;
	if (!self && !manager && !peer && !upward) {
		mr_web_fail(c, 400, "field \"by\": say self, manager, peer or upward");
		goto done;
	}
	/* who the user is to the person; whether a peer was nominated, or the
	 * user reports to them, is the operation's to say (with its reason) */
	may_rate(c, who, &m);
	if (!who->reviewer && !((self && m.self) || (manager && m.manager) || (peer && m.peer) ||
	                        (upward && c->me && !m.self))) {
		mr_web_fail(c, 403, "you may not rate %s as %s", login, by);
		goto done;
	}
	const char *key;
	json_t *v;
	json_object_foreach(jc, key, v) {
		if (n == MAX_CRIT) {
			mr_web_fail(c, 400, "too many criteria");
			goto done;
		}
		if (!json_is_number(v)) {
			mr_web_fail(c, 400, "criteria.%s: stars are a number", key);
			goto done;
		}
		crit[n] = key;
		stars[n++] = json_number_value(v);
	}
	mr_rating_in r = { login, by, c->ses.login, comment, crit, stars, n };
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_web_plan_check(c, &err);
	if (!rc)
		rc = mr_op_rate(c->s, c->snap->plan, &p, &r, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{s:b, s:s, s:s, s:s}", "ok", 1, "period", p.label,
		                              "login", login, "by", by));
done:
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

/* ---- nominated peers ---- */

/* May the user see whom `login`'s peers are: an admin, the manager on
 * record, or a manager or reviewer above them. */
static int may_see_peers(mr_ctx *c, const char *login)
{
	return c->admin || mr_web_manages(c, login, 1) ||
	       ((c->manager || (c->me && c->me->reviewer)) && mr_web_manages(c, login, 0));
}

int mr_h_peers(mr_ctx *c)
{
	mr_period p;
	mr_err err = MR_ERR_INIT;
	char **peers = NULL;
	size_t n = 0, nrows = 0;
	mr_rating_row *rows = NULL;
	const char *login = mr_web_arg(c, "login");
	const mr_plan *plan = c->snap->plan;
	if (!login)
		return mr_web_fail(c, 400, "say whose peers: login=LOGIN");
	if (mr_web_period(c, &p))
		return -1;
	const mr_staff *who = person(c, login, "peers");
	if (!who)
		return -1;
	if (!plan)
		return mr_web_fail(c, 404, "there is no plan yet");
	if (!may_see_peers(c, login))
		return mr_web_fail(c, 403, "only %s's managers and an admin see whom they nominated",
		                   login);
	if (mr_store_peers_get(c->s, p.label, login, &peers, &n, &err) ||
	    mr_store_rating_list(c->s, p.label, login, &rows, &nrows, &err)) {
		mr_str_list_free(peers, n);
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	char *state = cycle_state(c, p.label);
	json_t *list = json_array(), *rated = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_string(peers[i]));
	for (size_t i = 0; i < nrows; i++) {
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(rows[k].kind, "peer") == 0 && strcmp(rows[k].rater, rows[i].rater) == 0;
		if (strcmp(rows[i].kind, "peer") == 0 && !seen)
			json_array_append_new(rated, json_string(rows[i].rater));
	}
	int edit = (c->admin || mr_web_manages(c, login, 1)) && !who->reviewer && state &&
	           strcmp(state, "closed") != 0 && plan->peers == MR_PEERS_NOMINATED;
	json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:b}", "period", p.label,
	                         "login", login, "state", state ? state : "none",
	                         "mode", mr_peers_name(plan->peers), "max", MR_PEERS_MAX,
	                         "peers", list, "rated", rated, "can_edit", edit);
	free(state);
	mr_str_list_free(peers, n);
	mr_rating_rows_free(rows, nrows);
	return mr_web_json(c, 200, root);
}

int mr_h_peers_put(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_period p;
	const char **peers = NULL;
	size_t n = 0;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *period = mr_web_str(c, b, "period");
	const char *login = period ? mr_web_str(c, b, "login") : NULL;
	if (!login || !(peers = str_array(c, json_object_get(b, "peers"), "peers", &n)))
		goto done;
	if (mr_period_parse(&p, period, &err)) {
		mr_web_fail(c, 400, "period: %s", err.msg);
		goto done;
	}
	const mr_staff *who = person(c, login, "peers");
	if (!who || !c->snap->plan) {
		if (who)
			mr_web_fail(c, 409, "there is no plan yet");
		goto done;
	}
	if (!c->admin && !mr_web_manages(c, login, 1)) {
		mr_web_fail(c, 403, "only %s's manager on record (%s) or an admin nominates their "
		            "peers", login, who->manager ? who->manager : "none");
		goto done;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_web_plan_check(c, &err);
	if (!rc)
		rc = mr_op_peers(c->s, c->snap->plan, &p, login, peers, n, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{s:s, s:s, s:O}", "period", p.label, "login", login,
		                              "peers", json_object_get(b, "peers")));
done:
	mr_err_clear(&err);
	free(peers);
	json_decref(b);
	return 0;
}

/* ---- calibration (an admin's; the route says so) ---- */

int mr_h_calibrate(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_period p;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *period = mr_web_str(c, b, "period");
	const char *login = period ? mr_web_str(c, b, "login") : NULL;
	const char *grade = login ? mr_web_str(c, b, "grade") : NULL;
	const char *reason = grade ? mr_web_str(c, b, "reason") : NULL;
	if (!reason)
		goto done;
	if (mr_period_parse(&p, period, &err)) {
		mr_web_fail(c, 400, "period: %s", err.msg);
		goto done;
	}
	if (!c->snap->plan) {
		mr_web_fail(c, 409, "there is no plan yet");
		goto done;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_web_plan_check(c, &err);
	if (!rc)
		rc = mr_op_calibrate(c->s, c->snap->plan, &p, login, grade, reason, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{s:b, s:s, s:s, s:s, s:s}", "ok", 1, "period", p.label,
		                              "login", login, "grade", grade, "reason", reason));
done:
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

/* ---- acknowledgement of a closed result ---- */

int mr_h_acks(mr_ctx *c)
{
	mr_period p;
	mr_err err = MR_ERR_INIT;
	mr_ack *list = NULL;
	size_t n = 0;
	const char *login = mr_web_arg(c, "login");
	if (!login)
		login = c->ses.login;
	if (mr_web_period(c, &p))
		return -1;
	const mr_staff *who = person(c, login, "result");
	if (!who)
		return -1;
	if (mr_store_ack_list(c->s, p.label, login, &list, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	char *state = cycle_state(c, p.label);
	/* the role the user would acknowledge in, unless done already */
	const char *role = who->reviewer || !state || strcmp(state, "closed") != 0 ? NULL
	                   : strcmp(login, c->ses.login) == 0
	                     ? (mr_web_withheld(c, p.label, login, NULL, 0) ? NULL : "self")
	                   : mr_web_manages(c, login, 1) ? "manager" : NULL;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (role && strcmp(list[i].role, role) == 0)
			role = NULL;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s?, s:s}", "role", list[i].role,
		                      "by", list[i].by, "comment", list[i].comment, "at", list[i].at));
	}
	json_t *root = json_pack("{s:s, s:s, s:s, s:o, s:s?}", "period", p.label, "login", login,
	                         "state", state ? state : "none", "acknowledgements", arr,
	                         "can", role);
	free(state);
	mr_ack_list_free(list, n);
	return mr_web_json(c, 200, root);
}

int mr_h_acknowledge(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_period p;
	const char *comment, *role = NULL;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *period = mr_web_str(c, b, "period");
	const char *login = period ? mr_web_str(c, b, "login") : NULL;
	if (!login || opt_str(c, b, "comment", &comment))
		goto done;
	if (mr_period_parse(&p, period, &err)) {
		mr_web_fail(c, 400, "period: %s", err.msg);
		goto done;
	}
	if (!person(c, login, "result"))
		goto done;
	/* nobody acknowledges a result they have not been shown (a cycle not
	 * closed is refused for that by the operation) */
	mr_cycle cy;
	if (mr_web_withheld(c, p.label, login, NULL, 0) &&
	    mr_store_cycle_find(c->s, p.label, &cy, NULL, &err) == 0) {
		int closed = strcmp(cy.state, "closed") == 0;
		mr_cycle_release(&cy);
		if (closed) {
			mr_web_fail(c, 409, "the results of %s are not released yet: an admin "
			            "releases them on the Cycles page", p.label);
			goto done;
		}
	}
	mr_err_clear(&err);
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_op_acknowledge(c->s, &p, login, c->ses.login, comment, &role, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{s:s, s:s, s:s, s:s}", "period", p.label,
		                              "login", login, "role", role, "by", c->ses.login));
done:
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

/* ---- readiness to close (an admin's; the route says so) ---- */

int mr_h_readiness(mr_ctx *c)
{
	mr_period p;
	mr_err err = MR_ERR_INIT;
	mr_readiness rd;
	mr_locale lang;
	if (mr_web_period(c, &p) || mr_web_lang(c, &lang))
		return -1;
	if (!c->snap->plan)
		return mr_web_fail(c, 404, "there is no plan yet");
	int rc = mr_store_begin_read(c->s, &err);
	if (!rc) {
		rc = mr_op_readiness(&rd, c->s, c->snap->plan, &p, &err);
		mr_store_rollback(c->s);
	}
	if (rc) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	json_t *items = json_array();
	mr_buf t;
	mr_buf_init(&t);
	for (size_t i = 0; i < rd.n; i++) {
		/* the text in the page's language (the English kept beside it) */
		mr_buf_reset(&t);
		mr_msg_tr(&t, rd.items[i].text, strlen(rd.items[i].text), lang);
		const char *text = mr_buf_oom(&t) ? rd.items[i].text : t.data;
		json_t *o = json_pack("{s:s, s:s?, s:s}", "kind", rd.items[i].kind,
		                      "login", rd.items[i].login, "text", text);
		if (o && lang != MR_LOCALE_EN)
			json_object_set_new(o, "text_en", json_string(rd.items[i].text));
		json_array_append_new(items, o);
	}
	mr_buf_release(&t);
	json_t *root = json_pack("{s:s, s:b, s:o}", "period", p.label, "ready", rd.n == 0,
	                         "items", items);
	mr_readiness_release(&rd);
	return mr_web_json(c, 200, root);
}

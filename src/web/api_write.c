/* api_write.c — the changes: cycles, ratings, a value by hand, the plan,
 * users.  Each is one transaction through the same operations as the CLI
 * (ops/ops.h); an error rolls it back and changes nothing.
 */
#include "web/web_int.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "ingest/plan_yaml.h"
#include "ops/ops.h"

#define MAX_CRIT 64

int mr_h_cycle_move(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_period p;
	const char *state = NULL;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *period = mr_web_str(c, b, "period");
	const char *action = period ? mr_web_str(c, b, "action") : NULL;
	json_t *jr = json_object_get(b, "reason");
	const char *reason = json_is_string(jr) ? json_string_value(jr) : NULL;
	unsigned flags = (json_is_true(json_object_get(b, "force")) ? MR_OP_FORCE : 0) |
	                 (json_is_true(json_object_get(b, "confirm")) ? MR_OP_CONFIRM : 0);
	if (!action)
		goto done;
	if (!c->snap->plan) {
		mr_web_fail(c, 409, "there is no plan yet");
		goto done;
	}
	if (mr_period_parse(&p, period, &err)) {
		mr_web_fail(c, 400, "period: %s", err.msg);
		goto done;
	}
	if (strcmp(action, "reopen") && reason && *reason) {
		mr_web_fail(c, 400, "a reason goes with reopen");
		goto done;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_web_plan_check(c, &err);
	if (!rc)
		rc = mr_op_cycle(c->s, c->snap->plan, action, &p, reason, flags, &state, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{ssso}", "period", p.label, "state",
		                              state ? json_string(state) : json_null()));
done:
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

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

/* Which forms the user may fill for `who`, by the staff list. */
static void may_rate(mr_ctx *c, const mr_staff *who, int *self, int *manager, int *peer)
{
	*self = c->me && strcmp(who->login, c->ses.login) == 0;
	*manager = who->manager && strcmp(who->manager, c->ses.login) == 0;
	*peer = c->me && !*self && !*manager;    /* a manager rates as manager, not as peer */
}

struct keyed { uint64_t h; json_t *entry; };

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	return x->h < y->h ? -1 : x->h > y->h;
}

/* The peers' entries (they come by the raters' logins) in an order that
 * says nothing of who they are: by a keyed hash of the rater, the key new
 * each time.  Entries are { kind, _rater, … }; others keep their place. */
static void shuffle_peers(json_t *received)
{
	unsigned char key[crypto_shorthash_KEYBYTES], h[crypto_shorthash_BYTES];
	size_t n = json_array_size(received), np = 0, i;
	struct keyed *k = calloc(n + 1, sizeof *k);
	json_t *v;
	if (!k)
		return;
	randombytes_buf(key, sizeof key);
	json_array_foreach(received, i, v) {
		const char *rater = json_string_value(json_object_get(v, "_rater"));
		if (strcmp(json_string_value(json_object_get(v, "kind")), "peer") || !rater)
			continue;
		crypto_shorthash(h, (const unsigned char *)rater, strlen(rater), key);
		memcpy(&k[np].h, h, sizeof k[np].h);
		k[np++].entry = json_incref(v);
	}
	qsort(k, np, sizeof *k, by_key);
	/* peers come last (self, manager, then peers): put them back in the new order */
	for (size_t t = 0; t < np; t++)
		json_array_remove(received, n - np);
	for (size_t t = 0; t < np; t++)
		json_array_append_new(received, k[t].entry);
	free(k);
}

int mr_h_ratings(mr_ctx *c)
{
	mr_period p;
	mr_err err = MR_ERR_INIT;
	mr_rating_row *rows = NULL;
	size_t n = 0;
	int self, manager, peer;
	const char *login = mr_web_arg(c, "login");
	const mr_plan *plan = c->snap->plan;
	if (!login)
		login = c->ses.login;
	if (mr_web_period(c, &p))
		return -1;
	const mr_staff *who = mr_web_staff(c->snap, login);
	if (!who || !plan)
		return mr_web_fail(c, 404, "no one called %s to rate", login);
	may_rate(c, who, &self, &manager, &peer);
	int sees = mr_web_may_see(c, login);
	if (!sees && !self && !manager && !peer)
		return mr_web_fail(c, 404, "no one called %s to rate", login);
	char *state = cycle_state(c, p.label);
	int open = state && strcmp(state, "closed") != 0;
	if (mr_store_rating_list(c->s, p.label, login, &rows, &n, &err)) {
		free(state);
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	/* the person sees who their manager is, not which peer said what */
	int names = c->admin || (sees && strcmp(login, c->ses.login) != 0);
	json_t *crit = json_array(), *given = json_object(), *received = json_array();
	for (size_t i = 0; i < plan->ncriteria; i++)
		json_array_append_new(crit, json_pack("{sssssf}", "key", plan->criteria[i].key, "name",
		                      plan->criteria[i].name ? plan->criteria[i].name
		                                             : plan->criteria[i].key,
		                      "weight", plan->criteria[i].weight));
	for (size_t i = 0; i < n; i++) {
		const mr_rating_row *r = &rows[i];
		if (strcmp(r->rater, c->ses.login) == 0) {
			json_t *g = json_object_get(given, r->kind);
			if (!g) {
				g = json_pack("{s{}so}", "criteria", "comment",
				              r->comment ? json_string(r->comment) : json_null());
				json_object_set_new(given, r->kind, g);
			}
			json_object_set_new(json_object_get(g, "criteria"), r->criterion,
			                    json_real(r->stars));
		}
		if (!sees)
			continue;
		/* one entry per (kind, rater): rows come ordered so */
		json_t *last = json_array_size(received)
		               ? json_array_get(received, json_array_size(received) - 1) : NULL;
		if (!last || strcmp(json_string_value(json_object_get(last, "kind")), r->kind) ||
		    strcmp(json_string_value(json_object_get(last, "_rater")), r->rater)) {
			int hide = !names && strcmp(r->kind, "peer") == 0;
			last = json_pack("{sssssos{}so}", "kind", r->kind, "_rater", r->rater, "rater",
			                 hide ? json_null() : json_string(r->rater), "criteria",
			                 "comment", r->comment ? json_string(r->comment) : json_null());
			json_array_append_new(received, last);
		}
		json_object_set_new(json_object_get(last, "criteria"), r->criterion,
		                    json_real(r->stars));
	}
	if (!names)
		shuffle_peers(received);
	size_t i;
	json_t *v;
	json_array_foreach(received, i, v)
		json_object_del(v, "_rater");
	mr_rating_rows_free(rows, n);
	json_t *root = json_pack("{sssssssssisos{sbsbsb}soso}", "period", p.label, "login", login,
	                         "name", who->name, "state", state ? state : "none",
	                         "scale", plan->rating_scale, "criteria", crit, "can",
	                         "self", open && self, "manager", open && manager,
	                         "peer", open && peer, "given", given, "received", received);
	free(state);
	return mr_web_json(c, 200, root);
}

int mr_h_rate(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_period p;
	const char *crit[MAX_CRIT];
	double stars[MAX_CRIT];
	size_t n = 0;
	int self, manager, peer;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *period = mr_web_str(c, b, "period");
	const char *login = period ? mr_web_str(c, b, "login") : NULL;
	const char *by = login ? mr_web_str(c, b, "by") : NULL;
	json_t *jc = json_object_get(b, "criteria"), *jm = json_object_get(b, "comment");
	if (!by)
		goto done;
	if (!json_is_object(jc) || !json_object_size(jc)) {
		mr_web_fail(c, 400, "field \"criteria\" is required: an object of KEY: stars");
		goto done;
	}
	if (jm && !json_is_null(jm) && !json_is_string(jm)) {
		mr_web_fail(c, 400, "field \"comment\" must be a string");
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
	may_rate(c, who, &self, &manager, &peer);
	if (!((strcmp(by, "self") == 0 && self) || (strcmp(by, "manager") == 0 && manager) ||
	      (strcmp(by, "peer") == 0 && peer))) {
		if (strcmp(by, "self") && strcmp(by, "manager") && strcmp(by, "peer"))
			mr_web_fail(c, 400, "field \"by\": say self, manager or peer");
		else
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
	mr_rating_in r = { login, by, c->ses.login,
	                   json_is_string(jm) && *json_string_value(jm) ? json_string_value(jm)
	                                                                : NULL,
	                   crit, stars, n };
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_web_plan_check(c, &err);
	if (!rc)
		rc = mr_op_rate(c->s, c->snap->plan, &p, &r, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{sbssssss}", "ok", 1, "period", p.label, "login", login,
		                              "by", by));
done:
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

int mr_h_record(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	int day;
	char text[256];
	int64_t batch = 0;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *ind = mr_web_str(c, b, "indicator");
	const char *date = ind ? mr_web_str(c, b, "date") : NULL;
	json_t *jv = json_object_get(b, "value"), *jl = json_object_get(b, "login"),
	       *jo = json_object_get(b, "of");
	if (!date)
		goto done;
	if (!json_is_number(jv) || !isfinite(json_number_value(jv)) ||
	    fabs(json_number_value(jv)) > 1e15) {
		mr_web_fail(c, 400, "field \"value\" is required: a number");
		goto done;
	}
	if (jl && !json_is_null(jl) && (!json_is_string(jl) || !*json_string_value(jl))) {
		mr_web_fail(c, 400, "field \"login\": a login, or null for the team");
		goto done;
	}
	if (jo && !json_is_null(jo) && (!json_is_number(jo) || json_number_value(jo) < 0 ||
	                                json_number_value(jo) > 1e15)) {
		mr_web_fail(c, 400, "field \"of\": the denominator, a number ≥ 0");
		goto done;
	}
	if (mr_day_parse(&day, date)) {
		mr_web_fail(c, 400, "field \"date\": \"%s\" is not a date (YYYY-MM-DD)", date);
		goto done;
	}
	if (!c->snap->plan) {
		mr_web_fail(c, 409, "there is no plan yet");
		goto done;
	}
	const char *login = json_is_string(jl) ? json_string_value(jl) : NULL;
	int has_den = json_is_number(jo);
	snprintf(text, sizeof text, "record %s %g %s", ind, json_number_value(jv),
	         login ? login : "team");
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_web_plan_check(c, &err);
	if (!rc)
		rc = mr_op_record(c->s, c->snap->plan, ind, login, day, json_number_value(jv), has_den,
		                  has_den ? json_number_value(jo) : 0, text, &batch, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{sI}", "batch", (json_int_t)batch));
done:
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

int mr_h_plan_put(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_plan *plan = NULL;
	const char *name = mr_web_arg(c, "file");
	char *yaml;
	if (!c->rq->body || !c->rq->body_len)
		return mr_web_fail(c, 400, "send the plan's YAML as the body");
	if (!(yaml = malloc(c->rq->body_len + 1)))
		return mr_web_fail(c, 500, "out of memory");
	memcpy(yaml, c->rq->body, c->rq->body_len);
	yaml[c->rq->body_len] = 0;
	if (strlen(yaml) != c->rq->body_len) {
		mr_web_fail(c, 422, "the plan is not text (it has a NUL byte)");
		goto done;
	}
	if (mr_plan_parse(&plan, yaml, c->rq->body_len, name && *name ? name : "plan.yaml",
	                  &err)) {
		json_t *problems = json_array();
		for (char *line = err.msg, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			json_array_append_new(problems, json_stringn(line, nl ? (size_t)(nl - line)
			                                                       : strlen(line)));
		}
		char msg[1024];
		snprintf(msg, sizeof msg, "the plan does not validate: %s",
		         err.lines > 1 ? "see the problems" : err.msg);
		mr_web_json(c, 422, json_pack("{ssso}", "error", msg, "problems", problems));
		goto done;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_op_plan_put(c->s, plan, yaml, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{sbss}", "ok", 1, "goal", mr_goal_name(plan->goal)));
done:
	mr_err_clear(&err);
	mr_plan_free(plan);
	free(yaml);
	return 0;
}

static int role_ok(const char *role)
{
	return role && (strcmp(role, "admin") == 0 || strcmp(role, "manager") == 0 ||
	                strcmp(role, "member") == 0);
}

static int login_ok(const char *l)
{
	size_t n = strlen(l);
	if (!n || n > 64)
		return 0;
	for (const char *p = l; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '/' || *p == '"' || *p == '\\')
			return 0;
	return 1;
}

/* Hash a new password into out: 0, or an answer given. */
static int hash_pw(mr_ctx *c, const char *pw, char out[MR_PW_HASH_SIZE])
{
	mr_err err = MR_ERR_INIT;
	int rc = mr_op_password_hash(out, pw, &err);
	if (rc)
		mr_web_err(c, &err);
	mr_err_clear(&err);
	return rc;
}

int mr_h_user_add(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	char hash[MR_PW_HASH_SIZE];
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *login = mr_web_str(c, b, "login");
	const char *role = login ? mr_web_str(c, b, "role") : NULL;
	const char *pw = role ? mr_web_str(c, b, "password") : NULL;
	if (!pw)
		goto done;
	if (!login_ok(login)) {
		mr_web_fail(c, 400, "field \"login\": 1 to 64 characters, no spaces, quotes or "
		            "slashes");
		goto done;
	}
	if (!role_ok(role)) {
		mr_web_fail(c, 400, "field \"role\": admin, manager or member");
		goto done;
	}
	if (hash_pw(c, pw, hash))
		goto done;
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_store_user_put(c->s, login, role, hash, 1, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 201, json_pack("{ssss}", "login", login, "role", role));
done:
	json_decref(b);
	return 0;
}

int mr_h_user_put(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	char hash[MR_PW_HASH_SIZE];
	const char *login = c->tail;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	json_t *jr = json_object_get(b, "role"), *jp = json_object_get(b, "password");
	const char *role = json_is_string(jr) ? json_string_value(jr) : NULL;
	const char *pw = json_is_string(jp) ? json_string_value(jp) : NULL;
	if ((jr && !role_ok(role)) || (jp && !pw) || (!jr && !jp)) {
		mr_web_fail(c, 400, "send \"role\" (admin, manager or member), \"password\", or both");
		goto done;
	}
	if (pw && hash_pw(c, pw, hash))
		goto done;
	if (role && strcmp(login, c->ses.login) == 0 && strcmp(role, "admin")) {
		mr_web_fail(c, 409, "an admin cannot take away their own admin role");
		goto done;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_store_user_put(c->s, login, role, pw ? hash : NULL, 0, &err);
	if (!rc && pw)   /* a new password ends the user's sessions */
		rc = mr_store_session_rm_login(c->s, login, NULL, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{sbss}", "ok", 1, "login", login));
	mr_web_sessions_forget(c->w, login);     /* a new role counts at once */
done:
	json_decref(b);
	return 0;
}

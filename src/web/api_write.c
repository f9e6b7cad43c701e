/* api_write.c — the changes: cycles, a value by hand, the plan, users
 * (ratings and the rest of the review cycle are api_review.c's).  Each is
 * one transaction through the same operations as the CLI (ops/ops.h); an
 * error rolls it back and changes nothing.
 */
#include "web/web_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ingest/plan_yaml.h"
#include "ops/ops.h"
#include "util/text.h"

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
	const char *ct = c->rq->content_type;
	char *yaml;
	if (ct && strncmp(ct, "application/json", 16) == 0) {   /* a draft from the form */
		if (mr_web_plan_from_json(c, &plan, &yaml))
			return -1;
		goto save;
	}
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
	const char *fname = name && *name ? name : "plan.yaml";
	mr_locale lang;
	if (mr_web_lang(c, &lang))
		goto done;
	if (mr_plan_parse(&plan, yaml, c->rq->body_len, fname, &err)) {
		json_t *problems = mr_web_plan_problems(&err, fname, lang);
		char msg[1024];
		snprintf(msg, sizeof msg, "the plan does not validate: %s",
		         err.lines > 1 ? "see the problems" : err.msg);
		mr_web_json(c, 422, json_pack("{ssssso}", "error", msg, "why", "plan_invalid",
		                              "problems", problems));
		goto done;
	}
save:;
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

int mr_web_role_ok(const char *role)
{
	return role && (strcmp(role, "admin") == 0 || strcmp(role, "manager") == 0 ||
	                strcmp(role, "member") == 0);
}

int mr_web_hash_pw(mr_ctx *c, const char *pw, char out[MR_PW_HASH_SIZE])
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
	if (mr_text_login_check(login, "login", &err)) {
		mr_web_err(c, &err);
		goto done;
	}
	if (!mr_web_role_ok(role)) {
		mr_web_fail(c, 400, "field \"role\": admin, manager or member");
		goto done;
	}
	if (mr_web_hash_pw(c, pw, hash))
		goto done;
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_store_user_put(c->s, login, role, hash, 1, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 201, json_pack("{ssss}", "login", login, "role", role));
done:
	mr_err_clear(&err);
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
	json_t *jd = json_object_get(b, "disabled");
	const char *role = json_is_string(jr) ? json_string_value(jr) : NULL;
	const char *pw = json_is_string(jp) ? json_string_value(jp) : NULL;
	if ((jr && !mr_web_role_ok(role)) || (jp && !pw) || (jd && !json_is_boolean(jd)) ||
	    (!jr && !jp && !jd)) {
		mr_web_fail(c, 400, "send \"role\" (admin, manager or member), \"password\", "
		            "\"disabled\" (true or false), or several");
		goto done;
	}
	if (pw && mr_web_hash_pw(c, pw, hash))
		goto done;
	if (role && strcmp(login, c->ses.login) == 0 && strcmp(role, "admin")) {
		mr_web_fail(c, 409, "an admin cannot take away their own admin role");
		goto done;
	}
	if (json_is_true(jd) && strcmp(login, c->ses.login) == 0) {
		mr_web_fail(c, 409, "an admin cannot disable themselves");
		goto done;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc && (role || pw))
		rc = mr_store_user_put(c->s, login, role, pw ? hash : NULL, 0, &err);
	if (!rc && pw)   /* a new password ends the user's sessions */
		rc = mr_store_session_rm_login(c->s, login, NULL, &err);
	if (!rc && jd)   /* disabling ends them too */
		rc = mr_store_user_disable(c->s, login, json_is_true(jd), &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{sbss}", "ok", 1, "login", login));
	mr_web_sessions_forget(c->w, login);     /* a new role counts at once */
done:
	json_decref(b);
	return 0;
}

/* api_survey.c — surveys: an admin makes one for an indicator and a
 * period and closes it (its score becomes a batch, ops/survey.c); anyone
 * with its link answers it, once per browser, while its cycle is open.
 *
 * The public routes (/api/s/TOKEN) say only the brand asked about and
 * whether the survey takes answers, never the indicator, the period, a
 * count or a score.  A respondent is the random id a cookie keeps
 * (merit_r, set by the GET, sent only to /api/s/); the database keeps its
 * SHA-256, once per survey.  That stops a second answer from the same
 * browser, not a person who clears their cookies or uses another
 * browser: README.md says so.  Bodies are limited like the login's
 * (gate.c), and a POST waits on the checker's queue, one per address
 * (server.c). */
#include "web/web_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "ops/ops.h"

#define RESPONDENT "merit_r"
#define RESPONDENT_LEN 43              /* mr_web_token_new's */
#define RESPONDENT_AGE (365 * 86400)   /* seconds the cookie is kept */

static json_t *survey_json(const mr_survey *sv)
{
	char link[96];
	snprintf(link, sizeof link, "/s/%s", sv->token);
	return json_pack("{sI ss ss ss ss ss ss sI so so ss ss so}", "id", (json_int_t)sv->id,
	                 "link", link, "indicator", sv->indicator, "period", sv->period,
	                 "brand", sv->brand, "questions", sv->questions, "state", sv->state,
	                 "answers", (json_int_t)sv->answers, "score",
	                 sv->answers ? json_real(mr_op_survey_score(sv->sum, sv->answers))
	                             : json_null(),
	                 "batch", sv->batch ? json_integer(sv->batch) : json_null(),
	                 "created_at", sv->created_at ? sv->created_at : "",
	                 "created_by", sv->created_by ? sv->created_by : "",
	                 "closed_at", sv->closed_at ? json_string(sv->closed_at) : json_null());
}

int mr_h_surveys(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_survey *list = NULL;
	size_t n = 0;
	if (mr_store_survey_list(c->s, &list, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, survey_json(&list[i]));
	mr_survey_list_free(list, n);
	return mr_web_json(c, 200, arr);
}

int mr_h_survey_add(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_survey sv;
	char token[64];
	int64_t id = 0;
	memset(&sv, 0, sizeof sv);
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *indicator = mr_web_str(c, b, "indicator");
	const char *period = indicator ? mr_web_str(c, b, "period") : NULL;
	const char *brand = period ? mr_web_str(c, b, "brand") : NULL;
	json_t *q = json_object_get(b, "questions");
	if (!brand)
		goto done;
	if (q && !json_is_null(q) && !json_is_string(q)) {
		mr_web_fail(c, 400, "field \"questions\": awareness or reputation");
		goto done;
	}
	mr_web_token_new(token, sizeof token);
	sv.token = strdup(token);
	sv.indicator = strdup(indicator);
	sv.period = strdup(period);
	sv.brand = strdup(brand);
	sv.questions = json_is_string(q) ? strdup(json_string_value(q)) : NULL;
	int rc = !sv.token || !sv.indicator || !sv.period || !sv.brand ||
	         (json_is_string(q) && !sv.questions) ? mr_err_nomem(&err) : 0;
	if (!rc && (rc = mr_web_begin_plan(c, &err)) < 0 && !err.code)
		goto done;
	if (!rc)
		rc = mr_op_survey_add(c->s, c->snap->plan, &sv, &id, &err);
	if (!mr_web_commit(c, rc, &err, 0)) {
		sv.id = id;
		sv.state = strdup("open");
		json_t *j = sv.state ? survey_json(&sv) : NULL;
		if (j)
			mr_web_json(c, 201, j);
		else
			mr_web_fail(c, 500, "the survey was made, but the answer could not be written; "
			            "reload the page");
	}
done:
	mr_err_clear(&err);
	mr_survey_release(&sv);
	json_decref(b);
	return 0;
}

int mr_h_survey_close(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	int64_t id, batch = 0;
	double score = 0;
	if (mr_web_tail_id(c, &id, "no such survey"))
		return -1;
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_op_survey_close(c->s, id, &batch, &score, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{sI ss sI sf}", "id", (json_int_t)id, "state",
		                              "closed", "batch", (json_int_t)batch, "score", score));
	return 0;
}

/* ---- the public link ---- */

/* The survey of the path's token: 0 with *sv filled, or -1 answered 404
 * (a malformed token and an unknown one alike). */
static int public_survey(mr_ctx *c, mr_survey *sv)
{
	mr_err err = MR_ERR_INIT;
	size_t len = strlen(c->tail);
	int rc = len < 16 || len > 64 || strspn(c->tail, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	                                                   "qrstuvwxyz0123456789-_") != len;
	if (!rc && (rc = mr_store_survey_by_token(c->s, c->tail, sv, &err)) != MR_ENOTFOUND &&
	    rc) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	mr_err_clear(&err);
	return rc ? mr_web_fail(c, 404, "this survey link is not valid") : 0;
}

/* The respondent's id from their cookie, hashed: 1, or 0 when they have
 * none (or one not of ours). */
static int respondent(mr_ctx *c, unsigned char hash[32])
{
	size_t len = 0;
	const char *v = c->rq->cookie ? mr_web_cookie_get(c->rq->cookie, RESPONDENT, &len) : NULL;
	if (!v || len != RESPONDENT_LEN)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", v[i]))
			return 0;
	mr_web_token_hash(hash, v, len);
	return 1;
}

int mr_h_survey_public(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_survey sv;
	unsigned char who[32];
	int answered = 0;
	if (public_survey(c, &sv))
		return -1;
	int known = respondent(c, who);
	if (!known) {
		char token[64], buf[160];
		mr_web_token_new(token, sizeof token);
		snprintf(buf, sizeof buf, RESPONDENT "=%s; Path=/api/s/; HttpOnly; SameSite=Strict; "
		         "Max-Age=%d%s", token, RESPONDENT_AGE, c->rq->secure ? "; Secure" : "");
		free(c->rs->cookie);
		c->rs->cookie = strdup(buf);
	}
	int open = mr_op_survey_open(c->s, &sv, &err) == 0;
	int rc = err.code && err.code != MR_EFROZEN ? err.code : 0;
	mr_err_clear(&err);
	if (!rc && known)
		rc = mr_store_survey_answered(c->s, sv.id, who, &answered, &err);
	if (rc)
		mr_web_err(c, &err);
	else
		mr_web_json(c, 200, json_pack("{ss ss sI sI sb sb}", "brand", sv.brand, "questions",
		                              sv.questions, "count", (json_int_t)MR_SURVEY_QUESTIONS,
		                              "scale", (json_int_t)5, "open", open, "answered",
		                              answered));
	mr_err_clear(&err);
	mr_survey_release(&sv);
	return 0;
}

int mr_h_survey_reply(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_survey sv;
	unsigned char who[32];
	int answers[MR_SURVEY_QUESTIONS];
	if (public_survey(c, &sv))
		return -1;
	mr_survey_release(&sv);
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	json_t *a = json_object_get(b, "answers");
	if (!json_is_array(a) || json_array_size(a) != MR_SURVEY_QUESTIONS) {
		mr_web_fail(c, 400, "field \"answers\": %d numbers from 1 to 5, one per question",
		            MR_SURVEY_QUESTIONS);
		goto done;
	}
	for (int i = 0; i < MR_SURVEY_QUESTIONS; i++) {
		json_t *v = json_array_get(a, (size_t)i);
		json_int_t x = json_is_integer(v) ? json_integer_value(v) : 0;
		if (x < 1 || x > 5) {
			mr_web_fail(c, 400, "field \"answers\": question %d takes a whole number from "
			            "1 to 5", i + 1);
			goto done;
		}
		answers[i] = (int)x;
	}
	if (!respondent(c, who)) {
		mr_web_fail(c, 400, "open the survey's link first, in a browser that keeps cookies: "
		            "it tells one respondent from another");
		goto done;
	}
	if (mr_store_set_actor(c->s, "survey respondent")) {
		mr_web_fail(c, 503, "the server is out of memory; try again in a moment");
		goto done;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_op_survey_answer(c->s, c->tail, who, answers, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 201, json_pack("{sb}", "answered", 1));
done:
	sodium_memzero(who, sizeof who);
	json_decref(b);
	return 0;
}

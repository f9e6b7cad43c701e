/* store_survey.c — surveys and their answers, each change audited.
 * What a survey asks, when it takes answers and how it scores are
 * ops/survey.c's rules. */
#include "store/store_int.h"

void mr_survey_release(mr_survey *sv)
{
	if (!sv)
		return;
	free(sv->token);
	free(sv->indicator);
	free(sv->period);
	free(sv->brand);
	free(sv->questions);
	free(sv->state);
	free(sv->created_at);
	free(sv->created_by);
	free(sv->closed_at);
	memset(sv, 0, sizeof *sv);
}

void mr_survey_list_free(mr_survey *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mr_survey_release(&list[i]);
	free(list);
}

#define SV_SELECT "SELECT s.id, s.token, s.indicator, s.period, s.brand, s.questions," \
	" s.state, s.created_at, s.created_by, s.closed_at, s.batch_id," \
	" (SELECT count(*) FROM survey_answer a WHERE a.survey_id = s.id)," \
	" (SELECT coalesce(sum(a1 + a2 + a3), 0) FROM survey_answer a" \
	"  WHERE a.survey_id = s.id) FROM survey s"

static void sv_fill(void *item, mr_stmt *st)
{
	mr_survey *sv = item;
	sv->id = mr_col_i64(st, 0);
	sv->token = mr_sql_col(st, 1);
	sv->indicator = mr_sql_col(st, 2);
	sv->period = mr_sql_col(st, 3);
	sv->brand = mr_sql_col(st, 4);
	sv->questions = mr_sql_col(st, 5);
	sv->state = mr_sql_col(st, 6);
	sv->created_at = mr_sql_col(st, 7);
	sv->created_by = mr_sql_col(st, 8);
	sv->closed_at = mr_sql_col(st, 9);
	sv->batch = mr_col_i64(st, 10);
	sv->answers = mr_col_i64(st, 11);
	sv->sum = mr_col_i64(st, 12);
}

/* The audit's picture of a survey: everything but the link's token. */
#define SV_JSON "SELECT json_object('indicator', indicator, 'period'," \
	" period, 'brand', brand, 'questions', questions, 'state'," \
	" state, 'batch', batch_id, 'answers', (SELECT count(*)" \
	" FROM survey_answer WHERE survey_id = survey.id))" \
	" FROM survey WHERE id = ?"

static char *sv_json(mr_store *s, int64_t id, mr_err *err)
{
	return mr_sql_json_row(s, SV_JSON, id, "survey", err);
}

static int sv_audit(mr_store *s, const char *action, int64_t id, const char *before,
                    mr_err *err)
{
	return mr_store_audit_row(s, action, SV_JSON, id, "survey", before, err);
}

int mr_store_survey_add(mr_store *s, const mr_survey *sv, int64_t *out_id, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO survey(token, indicator, period, brand,"
	                                  " questions, created_at, created_by) VALUES (?, ?, ?, ?,"
	                                  " ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)"
	                                  " RETURNING id", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, sv->token);
	mr_sql_text(st, 2, sv->indicator);
	mr_sql_text(st, 3, sv->period);
	mr_sql_text(st, 4, sv->brand);
	mr_sql_text(st, 5, sv->questions);
	mr_sql_text(st, 6, s->actor);
	int rc = mr_step_id(st, out_id) ? mr_q_err(s->q, err, "saving the survey of %s",
	                                           sv->indicator) : 0;
	mr_finalize(st);
	if (rc)
		return rc;
	return sv_audit(s, "survey add", *out_id, NULL, err);
}

static int sv_one(mr_store *s, const char *where, int64_t id, const char *token,
                  mr_survey *out, mr_err *err)
{
	memset(out, 0, sizeof *out);
	char sql[sizeof SV_SELECT + 64];
	snprintf(sql, sizeof sql, "%s WHERE %s", SV_SELECT, where);
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	if (!st)
		return MR_EDB;
	if (token)
		mr_sql_text(st, 1, token);
	else
		mr_bind_i64(st, 1, id);
	int r = mr_step(st), rc = 0;
	if (r == SQLITE_ROW) {
		sv_fill(out, st);
		if (!out->token || !out->indicator || !out->period || !out->brand ||
		    !out->questions || !out->state) {
			mr_survey_release(out);
			rc = mr_err_nomem(err);
		}
	} else if (r == SQLITE_DONE) {
		rc = token ? mr_err_set(err, MR_ENOTFOUND, "this survey link is not valid")
		           : mr_err_set(err, MR_ENOTFOUND, "no survey #%lld", (long long)id);
	} else {
		rc = mr_q_err(s->q, err, "reading a survey");
	}
	mr_finalize(st);
	return rc;
}

int mr_store_survey_get(mr_store *s, int64_t id, mr_survey *out, mr_err *err)
{
	return sv_one(s, "s.id = ?", id, NULL, out, err);
}

int mr_store_survey_by_token(mr_store *s, const char *token, mr_survey *out, mr_err *err)
{
	return sv_one(s, "s.token = ?", 0, token, out, err);
}

int mr_store_survey_list(mr_store *s, mr_survey **out, size_t *n, mr_err *err)
{
	void *items = NULL;
	mr_stmt *st = mr_sql_prepare(s, SV_SELECT " ORDER BY s.id DESC", err);
	*out = NULL;
	*n = 0;
	if (!st)
		return MR_EDB;
	int rc = mr_sql_collect(s, st, sizeof **out, sv_fill, &items, n, "listing surveys", err);
	*out = items;
	if (rc) {
		mr_survey_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int mr_store_survey_answer(mr_store *s, int64_t id, const unsigned char respondent[32],
                           const int *answers, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO survey_answer(survey_id, respondent,"
	                                  " a1, a2, a3, answered_at) VALUES (?, ?, ?, ?, ?,"
	                                  " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, id);
	mr_bind_blob(st, 2, respondent, 32);
	for (int q = 0; q < MR_SURVEY_QUESTIONS; q++)
		mr_bind_i64(st, 3 + q, answers[q]);
	int r = mr_step(st), rc = 0;
	if (r != SQLITE_DONE && mr_db_duplicate(s->q))
		rc = mr_err_set(err, MR_EEXISTS, "this browser has answered this survey already; "
		                "each respondent answers once");
	else if (r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "saving an answer to survey #%lld", (long long)id);
	mr_finalize(st);
	if (rc)
		return rc;
	char object[48], after[64];
	snprintf(object, sizeof object, "survey %lld", (long long)id);
	snprintf(after, sizeof after, "{\"answers\":[%d,%d,%d]}", answers[0], answers[1],
	         answers[2]);
	return mr_store_audit(s, "survey answer", object, NULL, after, err);
}

int mr_store_survey_answered(mr_store *s, int64_t id, const unsigned char respondent[32],
                             int *yes, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, "SELECT 1 FROM survey_answer WHERE survey_id = ?"
	                                  " AND respondent = ?", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, id);
	mr_bind_blob(st, 2, respondent, 32);
	int r = mr_step(st), rc = 0;
	if (r == SQLITE_ROW || r == SQLITE_DONE)
		*yes = r == SQLITE_ROW;
	else
		rc = mr_q_err(s->q, err, "reading the answers to survey #%lld", (long long)id);
	mr_finalize(st);
	return rc;
}

int mr_store_survey_close(mr_store *s, int64_t id, int64_t batch, mr_err *err)
{
	char *before = sv_json(s, id, err);
	int rc = 0;
	if (!before)
		return err->code ? err->code : MR_EDB;
	mr_stmt *st = mr_sql_prepare(s, "UPDATE survey SET state = 'closed', batch_id = ?,"
	                                  " closed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
	                                  " WHERE id = ? AND state = 'open'", err);
	if (!st) {
		free(before);
		return MR_EDB;
	}
	mr_bind_i64(st, 1, batch);
	mr_bind_i64(st, 2, id);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "closing survey #%lld", (long long)id);
	else if (mr_db_changes(s->q) == 0)
		rc = mr_err_set(err, MR_EEXISTS, "survey #%lld was closed already", (long long)id);
	mr_finalize(st);
	if (!rc)
		rc = sv_audit(s, "survey close", id, before, err);
	free(before);
	return rc;
}

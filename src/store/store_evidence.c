/* store_evidence.c — evidence a member hands in and their manager
 * decides on: the items, their attachments (kept in the row, beside the
 * data they prove) and the decisions, each change audited.  What an item
 * may be, and what its approval writes, are ops/evidence.c's rules. */
#include "store/store_int.h"

#include <jansson.h>

void mr_evidence_release(mr_evidence *e)
{
	if (!e)
		return;
	free(e->login);
	free(e->kind);
	free(e->indicator);
	free(e->url);
	free(e->platform);
	free(e->title);
	free(e->note);
	free(e->file_name);
	free(e->file_type);
	free(e->state);
	free(e->submitted_at);
	free(e->decided_by);
	free(e->decided_at);
	free(e->reason);
	memset(e, 0, sizeof *e);
}

void mr_evidence_list_free(mr_evidence *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mr_evidence_release(&list[i]);
	free(list);
}

#define EV_COLS "id, login, kind, indicator, day, value, denominator, url, platform, title," \
	" note, file_name, file_type, length(file), state, submitted_at, decided_by," \
	" decided_at, reason, batch_id"

static void ev_fill(void *item, mr_stmt *st)
{
	mr_evidence *e = item;
	e->id = mr_col_i64(st, 0);
	e->login = mr_sql_col(st, 1);
	e->kind = mr_sql_col(st, 2);
	e->indicator = mr_sql_col(st, 3);
	e->day = (int)mr_col_i64(st, 4);
	e->value = mr_col_f64(st, 5);
	e->has_den = mr_col_type(st, 6) != SQLITE_NULL;
	e->den = mr_col_f64(st, 6);
	e->url = mr_sql_col(st, 7);
	e->platform = mr_sql_col(st, 8);
	e->title = mr_sql_col(st, 9);
	e->note = mr_sql_col(st, 10);
	e->file_name = mr_sql_col(st, 11);
	e->file_type = mr_sql_col(st, 12);
	e->file_size = mr_col_i64(st, 13);
	e->state = mr_sql_col(st, 14);
	e->submitted_at = mr_sql_col(st, 15);
	e->decided_by = mr_sql_col(st, 16);
	e->decided_at = mr_sql_col(st, 17);
	e->reason = mr_sql_col(st, 18);
	e->batch = mr_col_i64(st, 19);
}

/* The audit's picture of an item: everything but the attachment's bytes. */
#define EV_JSON "SELECT json_object('login', login, 'kind', kind," \
	" 'indicator', indicator, 'day', day, 'value', value," \
	" 'denominator', denominator, 'url', url, 'platform'," \
	" platform, 'title', title, 'note', note, 'file_name'," \
	" file_name, 'file_type', file_type, 'file_size'," \
	" length(file), 'state', state, 'decided_by', decided_by," \
	" 'reason', reason, 'batch', batch_id)" \
	" FROM evidence WHERE id = ?"

static char *ev_json(mr_store *s, int64_t id, mr_err *err)
{
	return mr_sql_json_row(s, EV_JSON, id, "evidence", err);
}

static int ev_audit(mr_store *s, const char *action, int64_t id, const char *before,
                    mr_err *err)
{
	return mr_store_audit_row(s, action, EV_JSON, id, "evidence", before, err);
}

int mr_store_evidence_find_url(mr_store *s, const char *url_key, int64_t *out_id,
                               mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, "SELECT id FROM evidence WHERE url_key = ?"
	                                  " AND state <> 'rejected'", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, url_key);
	int r = mr_step(st), rc = 0;
	if (r == SQLITE_ROW)
		*out_id = mr_col_i64(st, 0);
	else if (r == SQLITE_DONE)
		rc = MR_ENOTFOUND;
	else
		rc = mr_q_err(s->q, err, "looking up earlier evidence");
	mr_finalize(st);
	return rc;
}

int mr_store_evidence_add(mr_store *s, const mr_evidence *e, const char *url_key,
                          const void *file, size_t file_len, int64_t *out_id, mr_err *err)
{
	int64_t earlier;
	int rc = url_key ? mr_store_evidence_find_url(s, url_key, &earlier, err) : MR_ENOTFOUND;
	if (rc == 0)
		return mr_err_set(err, MR_EEXISTS, "field \"url\": %s was handed in already "
		                  "(evidence #%lld)", e->url, (long long)earlier);
	if (rc != MR_ENOTFOUND)
		return rc;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO evidence(login, kind, indicator, day,"
	                                  " value, denominator, url, url_key, platform, title,"
	                                  " note, file_name, file_type, file, submitted_at)"
	                                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	                                  " strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) RETURNING id", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, e->login);
	mr_sql_text(st, 2, e->kind);
	mr_sql_text(st, 3, e->indicator);
	mr_bind_i64(st, 4, e->day);
	mr_bind_f64(st, 5, e->value);
	if (e->has_den)
		mr_bind_f64(st, 6, e->den);
	mr_sql_text(st, 7, e->url);
	mr_sql_text(st, 8, url_key);
	mr_sql_text(st, 9, e->platform);
	mr_sql_text(st, 10, e->title);
	mr_sql_text(st, 11, e->note);
	if (file) {
		mr_sql_text(st, 12, e->file_name);
		mr_sql_text(st, 13, e->file_type);
		mr_bind_blob(st, 14, file, file_len);
	}
	rc = mr_step_id(st, out_id) ? mr_q_err(s->q, err, "saving the evidence of %s", e->login) : 0;
	mr_finalize(st);
	if (rc)
		return rc;
	return ev_audit(s, "evidence add", *out_id, NULL, err);
}

int mr_store_evidence_get(mr_store *s, int64_t id, mr_evidence *out, mr_err *err)
{
	int rc = 0;
	memset(out, 0, sizeof *out);
	mr_stmt *st = mr_sql_prepare(s, "SELECT " EV_COLS " FROM evidence WHERE id = ?", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, id);
	int r = mr_step(st);
	if (r == SQLITE_ROW) {
		ev_fill(out, st);
		if (!out->login || !out->kind || !out->indicator || !out->state) {
			mr_evidence_release(out);
			rc = mr_err_nomem(err);
		}
	} else if (r == SQLITE_DONE) {
		rc = mr_err_set(err, MR_ENOTFOUND, "no evidence #%lld", (long long)id);
	} else {
		rc = mr_q_err(s->q, err, "reading evidence #%lld", (long long)id);
	}
	mr_finalize(st);
	return rc;
}

int mr_store_evidence_list(mr_store *s, const char *state, mr_evidence **out, size_t *n,
                           mr_err *err)
{
	void *items = NULL;
	mr_stmt *st = mr_sql_prepare(s, "SELECT " EV_COLS " FROM evidence"
	                                  " WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC", err);
	*out = NULL;
	*n = 0;
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, state);
	int rc = mr_sql_collect(s, st, sizeof **out, ev_fill, &items, n, "listing evidence", err);
	*out = items;
	if (rc) {
		mr_evidence_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int mr_store_evidence_decide(mr_store *s, int64_t id, const char *state, const char *reason,
                             int64_t batch, mr_err *err)
{
	char *before = ev_json(s, id, err);
	int rc = 0;
	if (!before)
		return err->code ? err->code : MR_EDB;
	mr_stmt *st = mr_sql_prepare(s, "UPDATE evidence SET state = ?, reason = ?,"
	                                  " batch_id = ?, decided_by = ?, decided_at ="
	                                  " strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
	                                  " WHERE id = ? AND state = 'pending'", err);
	if (!st) {
		free(before);
		return MR_EDB;
	}
	mr_sql_text(st, 1, state);
	mr_sql_text(st, 2, reason);
	if (batch)
		mr_bind_i64(st, 3, batch);
	mr_sql_text(st, 4, s->actor);
	mr_bind_i64(st, 5, id);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "deciding on evidence #%lld", (long long)id);
	else if (mr_db_changes(s->q) == 0)
		rc = mr_err_set(err, MR_EEXISTS, "evidence #%lld was decided on already",
		                (long long)id);
	mr_finalize(st);
	if (!rc)
		rc = ev_audit(s, strcmp(state, "approved") == 0 ? "evidence approve"
		                                                : "evidence reject", id, before, err);
	free(before);
	return rc;
}

int mr_store_evidence_file(mr_store *s, int64_t id, void **out, size_t *len, mr_err *err)
{
	int rc = 0;
	*out = NULL;
	*len = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT file FROM evidence WHERE id = ?", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, id);
	int r = mr_step(st);
	if (r == SQLITE_ROW && mr_col_type(st, 0) == SQLITE_BLOB) {
		const void *p = mr_col_blob(st, 0);
		size_t n = (size_t)mr_col_bytes(st, 0);
		if (!(*out = malloc(n ? n : 1)))
			rc = mr_err_nomem(err);
		else {
			memcpy(*out, p, n);
			*len = n;
		}
	} else if (r == SQLITE_DONE) {
		rc = mr_err_set(err, MR_ENOTFOUND, "no evidence #%lld", (long long)id);
	} else if (r != SQLITE_ROW) {
		rc = mr_q_err(s->q, err, "reading the attachment of evidence #%lld",
		                (long long)id);
	}
	mr_finalize(st);
	return rc;
}

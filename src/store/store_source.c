/* store_source.c — saved sources: an import's kind and options under a
 * name (`merit source`).  The options are JSON that ingest/source.c reads
 * and writes; the store only keeps them, audited like every change. */
#include "store/store_int.h"

#include <jansson.h>

void mr_source_row_release(mr_source_row *r)
{
	free(r->name);
	free(r->kind);
	free(r->options);
	free(r->created_at);
	free(r->created_by);
	memset(r, 0, sizeof *r);
}

void mr_source_rows_free(mr_source_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mr_source_row_release(&rows[i]);
	free(rows);
}

static void source_fill(void *item, mr_stmt *st)
{
	mr_source_row *r = item;
	r->name = mr_sql_col(st, 0);
	r->kind = mr_sql_col(st, 1);
	r->options = mr_sql_col(st, 2);
	r->created_at = mr_sql_col(st, 3);
	r->created_by = mr_sql_col(st, 4);
}

#define SOURCE_COLS "name, kind, options, created_at, created_by"

/* The audit's picture of a source: its kind and options in one object. */
static char *source_json(mr_store *s, const char *name, mr_err *err)
{
	char *out = NULL;
	mr_stmt *st = mr_sql_prepare(s, "SELECT json_object('name', name, 'kind', kind,"
	                                  " 'options', json(options)) FROM source WHERE name = ?",
	                                  err);
	if (!st)
		return NULL;
	mr_sql_text(st, 1, name);
	if (mr_step(st) == SQLITE_ROW)
		out = mr_sql_col(st, 0);
	mr_finalize(st);
	return out;
}

int mr_store_source_add(mr_store *s, const char *name, const char *kind,
                        const char *options, mr_err *err)
{
	char object[320], *after = NULL;
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT name FROM source WHERE name = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, name);
	if (mr_step(st) == SQLITE_ROW) {
		rc = mr_err_set(err, MR_EEXISTS, "there is a source \"%s\" already; remove it "
		                "first, or choose another name", (const char *)mr_col_text(st, 0));
		mr_err_hint(err, MR_HINT_NONE, "`merit source rm %s`", name);
	}
	mr_finalize(st);
	if (rc)
		return rc;
	st = mr_sql_prepare(s, "INSERT INTO source(" SOURCE_COLS ") VALUES (?, ?, ?,"
	                    " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, name);
	mr_sql_text(st, 2, kind);
	mr_sql_text(st, 3, options);
	mr_sql_text(st, 4, s->actor);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "saving the source \"%s\"", name);
	mr_finalize(st);
	if (rc)
		return rc;
	if (!(after = source_json(s, name, err)))
		return err->code ? err->code : mr_err_set(err, MR_EDB, "reading the source back");
	snprintf(object, sizeof object, "source %s", name);
	rc = mr_store_audit(s, "source add", object, NULL, after, err);
	free(after);
	return rc;
}

int mr_store_source_rm(mr_store *s, const char *name, mr_err *err)
{
	char object[320], *before = source_json(s, name, err);
	int rc = 0;
	if (!before) {
		if (err->code)
			return err->code;
		mr_err_set(err, MR_ENOTFOUND, "no source \"%s\"", name);
		mr_err_hint(err, MR_HINT_NONE, "see `merit source list`");
		return MR_ENOTFOUND;
	}
	json_t *j = json_loads(before, 0, NULL);     /* the name as saved, for the audit */
	snprintf(object, sizeof object, "source %s",
	         json_string_value(json_object_get(j, "name")) ?
	         json_string_value(json_object_get(j, "name")) : name);
	json_decref(j);
	mr_stmt *st = mr_sql_prepare(s, "DELETE FROM source WHERE name = ?", err);
	if (!st) {
		free(before);
		return MR_EDB;
	}
	mr_sql_text(st, 1, name);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "removing the source \"%s\"", name);
	mr_finalize(st);
	if (!rc)
		rc = mr_store_audit(s, "source rm", object, before, NULL, err);
	free(before);
	return rc;
}

int mr_store_source_get(mr_store *s, const char *name, mr_source_row *out, mr_err *err)
{
	int rc = 0;
	memset(out, 0, sizeof *out);
	mr_stmt *st = mr_sql_prepare(s, "SELECT " SOURCE_COLS " FROM source WHERE name = ?",
	                                  err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, name);
	int step = mr_step(st);
	if (step == SQLITE_ROW)
		source_fill(out, st);
	else if (step == SQLITE_DONE) {
		rc = mr_err_set(err, MR_ENOTFOUND, "no source \"%s\"", name);
		mr_err_hint(err, MR_HINT_NONE, "see `merit source list`, or save one with `merit source "
		            "add`");
	} else
		rc = mr_q_err(s->q, err, "reading the source \"%s\"", name);
	mr_finalize(st);
	if (!rc && (!out->name || !out->kind || !out->options)) {
		mr_source_row_release(out);
		rc = mr_err_nomem(err);
	}
	return rc;
}

int mr_store_source_list(mr_store *s, mr_source_row **out, size_t *n, mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s, "SELECT " SOURCE_COLS " FROM source ORDER BY name",
	                                  err);
	if (!st)
		return MR_EDB;
	int rc = mr_sql_collect(s, st, sizeof **out, source_fill, &items, n, "listing sources",
	                        err);
	*out = items;
	if (rc) {
		mr_source_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int mr_store_batch_newest(mr_store *s, const char *kind, char **out, mr_err *err)
{
	int rc = 0;
	*out = NULL;
	mr_stmt *st = mr_sql_prepare(s, "SELECT max(created_at) FROM batch WHERE source = ?",
	                                  err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, kind);
	if (mr_step(st) != SQLITE_ROW)
		rc = mr_q_err(s->q, err, "reading the newest batch of %s", kind);
	else if (mr_col_type(st, 0) != SQLITE_NULL && !(*out = mr_sql_col(st, 0)))
		rc = mr_err_nomem(err);
	mr_finalize(st);
	return rc;
}

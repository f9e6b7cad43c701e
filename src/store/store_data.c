/* store_data.c — import batches, measurements, cycles and ratings.
 *
 * Every measurement belongs to a batch (a file, or a manual record), so
 * every number on a scorecard can be traced to its file and line.  Closed
 * cycles are enforced by triggers (schema.c); here we turn their refusal
 * into a message that names the cycle.
 */
#include "store/store_int.h"
#include "util/text.h"

#include <sodium.h>

#include "util/utf8.h"

#include <jansson.h>

#include <inttypes.h>
#include <math.h>

#include "util/num.h"
#include "util/vec.h"

/* Name the closed cycle holding `day`, for a refusal message. */
static int frozen_err(mr_store *s, int day, const char *what, mr_err *err)
{
	char d[11], period[64] = "?";
	mr_stmt *st = mr_sql_prepare(s, "SELECT period FROM cycle WHERE state = 'closed'"
	                                  " AND ?1 BETWEEN first_day AND last_day LIMIT 1", NULL);
	if (st) {
		mr_bind_i64(st, 1, day);
		if (mr_step(st) == SQLITE_ROW)
			snprintf(period, sizeof period, "%s", (const char *)mr_col_text(st, 0));
		mr_finalize(st);
	}
	mr_day_format(d, day);
	mr_err_set(err, MR_EFROZEN, "%s dated %s: cycle %s is closed", what, d, period);
	mr_err_hint(err, MR_HINT_CYCLE_CLOSED, "reopen it with `merit cycle reopen %s --reason "
	            "TEXT`", period);
	return MR_EFROZEN;
}

void mr_batch_list_free(mr_batch *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].source);
		free(list[i].file);
		free(list[i].sha256);
		free(list[i].created_at);
		free(list[i].created_by);
	}
	free(list);
}

/* The first batch of `source` whose `col` (sha256 or rows_sha256) is
 * `hash`: MR_ENOTFOUND if none. */
static int batch_by_hash(mr_store *s, const char *col, const char *source, const char *hash,
                         int64_t *out, mr_err *err)
{
	char sql[128];
	int rc;
	snprintf(sql, sizeof sql, "SELECT id FROM batch WHERE source = ? AND %s = ?"
	         " ORDER BY id LIMIT 1", col);
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, source);
	mr_sql_text(st, 2, hash);
	int r = mr_step(st);
	if (r == SQLITE_ROW) {
		*out = mr_col_i64(st, 0);
		rc = 0;
	} else if (r == SQLITE_DONE) {
		rc = MR_ENOTFOUND;
	} else {
		rc = mr_q_err(s->q, err, "looking up earlier imports");
	}
	mr_finalize(st);
	return rc;
}

int mr_store_batch_find(mr_store *s, const char *source, const char *sha,
                        int64_t *out, mr_err *err)
{
	return batch_by_hash(s, "sha256", source, sha, out, err);
}

int mr_store_batch_find_rows(mr_store *s, const char *source, const char *rows_sha,
                             int64_t *out, mr_err *err)
{
	return batch_by_hash(s, "rows_sha256", source, rows_sha, out, err);
}

int mr_store_batch_rows_sha(mr_store *s, int64_t id, const char *rows_sha, mr_err *err)
{
	int rc = 0;
	if (s->stage) {
		mr_stage_batch_done(s, NULL, rows_sha, -1);
		return 0;
	}
	mr_stmt *st = mr_sql_prepare(s, "UPDATE batch SET rows_sha256 = ? WHERE id = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, rows_sha);
	mr_bind_i64(st, 2, id);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "recording the import's content");
	mr_finalize(st);
	return rc;
}

/* One JSON text column of batch id (sql: "UPDATE batch SET col = ? WHERE id = ?"). */
static int batch_set_text(mr_store *s, const char *sql, int64_t id, const char *json,
                          const char *what, mr_err *err)
{
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, json);
	mr_bind_i64(st, 2, id);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "recording %s", what);
	mr_finalize(st);
	return rc;
}

int mr_store_batch_unattributed(mr_store *s, int64_t id, const char *json, mr_err *err)
{
	if (s->stage)
		return mr_stage_unattributed(s, json, err);
	return batch_set_text(s, "UPDATE batch SET unattributed = ? WHERE id = ?", id, json,
	                      "what the import could not attribute", err);
}

int mr_store_batch_how(mr_store *s, int64_t id, const char *how_json, mr_err *err)
{
	if (s->stage)
		return mr_stage_how(s, how_json, err);
	return batch_set_text(s, "UPDATE batch SET how = ? WHERE id = ?", id, how_json,
	                      "how the import's numbers were measured", err);
}

void mr_unattributed_free(mr_unattributed *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].kind);
		free(list[i].value);
	}
	free(list);
}

static void unattributed_fill(void *item, mr_stmt *st)
{
	mr_unattributed *u = item;
	u->kind = mr_sql_col(st, 0);
	u->value = mr_sql_col(st, 1);
	u->rows = mr_col_i64(st, 2);
	u->batch = mr_col_i64(st, 3);
}

int mr_store_unattributed_list(mr_store *s, int batches, mr_unattributed **out, size_t *n,
                               mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s,
		"SELECT k, v, sum(r), max(id) FROM"
		" (SELECT json_extract(j.value, '$.kind') AS k, json_extract(j.value, '$.value') AS v,"
		"         CAST(json_extract(j.value, '$.rows') AS INTEGER) AS r, b.id AS id"
		"    FROM (SELECT id, unattributed FROM batch WHERE unattributed IS NOT NULL"
		"            AND id NOT IN (SELECT batch_id FROM loading)"
		"          ORDER BY id DESC LIMIT ?) AS b, json_each(b.unattributed) AS j) AS u"
		" WHERE k IS NOT NULL AND v IS NOT NULL"
		" GROUP BY k, v ORDER BY 3 DESC, k, v", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, batches);
	int rc = mr_sql_collect(s, st, sizeof **out, unattributed_fill, &items, n,
	                        "listing what imports could not attribute", err);
	*out = items;
	if (rc) {
		mr_unattributed_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* A cached statement: prepared once per store, reset for each use. */
static mr_stmt *cached(mr_store *s, int which, const char *sql, mr_err *err)
{
	if (!s->st[which])
		s->st[which] = mr_sql_prepare(s, sql, err);
	else
		mr_reset(s->st[which]);
	return s->st[which];
}

/* kind and key as the 64-bit BLAKE2b hash batch_key keeps */
static int64_t key_hash(const char *kind, const char *key)
{
	crypto_generichash_state g;
	unsigned char h[8];
	uint64_t v = 0;
	crypto_generichash_init(&g, NULL, 0, sizeof h);
	crypto_generichash_update(&g, (const unsigned char *)kind, strlen(kind) + 1);
	crypto_generichash_update(&g, (const unsigned char *)key, strlen(key));
	crypto_generichash_final(&g, h, sizeof h);
	for (int i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return (int64_t)v;
}

/* mr_store_batch_key while staging: the earlier batches' keys are in
 * the database, this import's in the stage. */
static int stage_key(mr_store *s, int64_t batch, int64_t k, int move, int64_t *out_owner,
                     mr_err *err)
{
	mr_stmt *st = cached(s, ST_KEY_OWNER, "SELECT batch_id FROM batch_key WHERE key = ?",
	                          err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, k);
	int r = mr_step(st), rc;
	*out_owner = r == SQLITE_ROW ? mr_col_i64(st, 0) : 0;
	mr_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return mr_q_err(s->q, err, "looking up the rows of earlier imports");
	if (r == SQLITE_ROW)   /* --replace (a move) is never staged */
		return move ? mr_err_set(err, MR_EDB, "a staged import cannot take rows over")
		            : MR_EEXISTS;
	if ((rc = mr_stage_key(s, k, err)) < 0)
		return rc;
	if (rc == 0)
		return 0;
	*out_owner = batch;
	return MR_EEXISTS;
}

int mr_store_batch_key(mr_store *s, int64_t batch, const char *kind, const char *key,
                       int move, int64_t *out_owner, mr_err *err)
{
	int64_t k = key_hash(kind, key);
	if (s->stage)
		return stage_key(s, batch, k, move, out_owner, err);
	mr_stmt *st = cached(s, ST_KEY_ADD, "INSERT INTO batch_key(key, batch_id)"
	                          " VALUES (?, ?) ON CONFLICT(key) DO NOTHING", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, k);
	mr_bind_i64(st, 2, batch);
	int r = mr_step(st), rc;
	if (r != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "recording the rows of the import");
		mr_reset(st);
		return rc;
	}
	mr_reset(st);
	if (mr_db_changes(s->q) == 1)
		return 0;
	if (!(st = cached(s, ST_KEY_OWNER, "SELECT batch_id FROM batch_key WHERE key = ?", err)))
		return MR_EDB;
	mr_bind_i64(st, 1, k);
	r = mr_step(st);
	*out_owner = r == SQLITE_ROW ? mr_col_i64(st, 0) : 0;
	if (r != SQLITE_ROW) {
		rc = mr_q_err(s->q, err, "looking up the rows of earlier imports");
		mr_reset(st);
		return rc;
	}
	mr_reset(st);
	if (!move || *out_owner == batch)
		return MR_EEXISTS;
	if (!(st = cached(s, ST_KEY_MOVE, "UPDATE batch_key SET batch_id = ? WHERE key = ?", err)))
		return MR_EDB;
	mr_bind_i64(st, 1, batch);
	mr_bind_i64(st, 2, k);
	r = mr_step(st);
	rc = r == SQLITE_DONE ? MR_EEXISTS : mr_q_err(s->q, err, "taking over the rows of "
	                                                "batch %lld", (long long)*out_owner);
	mr_reset(st);
	return rc;
}

int mr_store_batch_key_find(mr_store *s, const char *kind, const char *key,
                            int64_t *out_owner, mr_err *err)
{
	mr_stmt *st = cached(s, ST_KEY_OWNER, "SELECT batch_id FROM batch_key WHERE key = ?",
	                          err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, key_hash(kind, key));
	int r = mr_step(st), rc = 0;
	*out_owner = r == SQLITE_ROW ? mr_col_i64(st, 0) : 0;
	if (r == SQLITE_DONE)
		rc = MR_ENOTFOUND;
	else if (r != SQLITE_ROW)
		rc = mr_q_err(s->q, err, "looking up the rows of earlier imports");
	mr_reset(st);
	return rc;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int mr_store_batch_latest(mr_store *s, const char *source, const char *file,
                          int64_t except, int64_t *out_id, mr_err *err)
{
	int rc = MR_ENOTFOUND, r;
	char *kept = mr_text_clean(file);        /* as mr_store_batch_add keeps it */
	if (!kept)
		return mr_err_nomem(err);
	const char *want = base_name(kept);
	mr_stmt *st = mr_sql_prepare(s, "SELECT id, file FROM batch WHERE source = ? AND id <> ?"
	                                  " AND id NOT IN (SELECT batch_id FROM loading)"
	                                  " ORDER BY id DESC", err);
	if (!st) {
		free(kept);
		return MR_EDB;
	}
	mr_sql_text(st, 1, source);
	mr_bind_i64(st, 2, except);
	while ((r = mr_step(st)) == SQLITE_ROW) {
		const char *f = (const char *)mr_col_text(st, 1);
		if (f && strcmp(base_name(f), want) == 0) {
			*out_id = mr_col_i64(st, 0);
			rc = 0;
			break;
		}
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "looking up earlier imports of %s", want);
	mr_finalize(st);
	free(kept);
	return rc;
}

int mr_store_batch_add(mr_store *s, int64_t *out, const char *source,
                       const char *file, const char *sha, mr_err *err)
{
	int rc = 0;
	/* a file name is whatever bytes the file system (or a browser) gave:
	 * kept as UTF-8, NFC, each control character a '?' (util/text.h) */
	char *name = mr_text_clean(file);
	if (!name)
		return mr_err_nomem(err);
	file = name;
	if (s->stage) {
		rc = mr_stage_batch(s, source, file, out, err);
		free(name);
		return rc;
	}
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO batch(source, file, sha256, created_at,"
	                                  " created_by) VALUES (?, ?, ?,"
	                                  " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?) RETURNING id",
	                             err);
	if (!st) {
		free(name);
		return MR_EDB;
	}
	mr_sql_text(st, 1, source);
	mr_sql_text(st, 2, file);
	mr_sql_text(st, 3, sha);
	mr_sql_text(st, 4, s->actor);
	if (mr_step_id(st, out))
		rc = mr_q_err(s->q, err, "recording the import of %s", file);
	mr_finalize(st);
	free(name);
	return rc;
}

/* The batch's audit record in *out: 0, or an error (no such batch, a
 * failed query, no memory). */
static int batch_json(mr_store *s, int64_t id, char **out, mr_err *err)
{
	int rc = 0, r;
	*out = NULL;
	mr_stmt *st = mr_sql_prepare(s, "SELECT json_object('id', id, 'source', source,"
	                                  " 'file', file, 'sha256', sha256, 'rows', rows)"
	                                  " FROM batch WHERE id = ?", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, id);
	r = mr_step(st);
	if (r == SQLITE_ROW) {
		*out = mr_sql_col(st, 0);
		rc = *out ? 0 : mr_err_nomem(err);
	} else if (r == SQLITE_DONE) {
		rc = mr_err_set(err, MR_ENOTFOUND, "no batch %lld", (long long)id);
		mr_err_hint(err, MR_HINT_NONE, "see `merit batches`");
	} else {
		rc = mr_q_err(s->q, err, "reading batch %lld", (long long)id);
	}
	mr_finalize(st);
	return rc;
}

/* The day range of a batch filled in this transaction, or NULL. */
static struct mr_span *find_span(mr_store *s, int64_t batch)
{
	for (size_t i = s->nspans; i-- > 0;)
		if (s->spans[i].batch == batch)
			return &s->spans[i];
	return NULL;
}

int mr_store_batch_finish(mr_store *s, int64_t id, int64_t rows, const char *sha256,
                          mr_err *err)
{
	char object[32];
	int rc = mr_measure_flush(s, err);
	if (rc)
		return rc;
	if (s->stage) {
		mr_stage_batch_done(s, sha256, NULL, rows);
		return 0;
	}
	mr_stmt *st = mr_sql_prepare(s, "UPDATE batch SET rows = ?, sha256 = coalesce(?, sha256),"
	                                  " first_day = ?, last_day = ? WHERE id = ?", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, rows);
	mr_sql_text(st, 2, sha256);
	const struct mr_span *span = find_span(s, id);
	if (span) {
		mr_bind_i64(st, 3, span->first);
		mr_bind_i64(st, 4, span->last);
	}
	mr_bind_i64(st, 5, id);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "recording the import");
	mr_finalize(st);
	if (rc)
		return rc;
	char *after;
	if ((rc = batch_json(s, id, &after, err)))
		return rc;
	snprintf(object, sizeof object, "batch %lld", (long long)id);
	rc = mr_store_audit(s, "import", object, NULL, after, err);
	free(after);
	return rc;
}

int mr_store_batch_grow(mr_store *s, int64_t id, int64_t rows, mr_err *err)
{
	int rc = mr_measure_flush(s, err);
	if (rc)
		return rc;
	const struct mr_span *span = find_span(s, id);
	mr_stmt *st = mr_sql_prepare(s, span ?
	                             "UPDATE batch SET rows = rows + ?1,"
	                             " first_day = CASE WHEN first_day IS NULL OR ?2 < first_day"
	                             "   THEN ?2 ELSE first_day END,"
	                             " last_day = CASE WHEN last_day IS NULL OR ?3 > last_day"
	                             "   THEN ?3 ELSE last_day END"
	                             " WHERE id = ?4" :
	                             "UPDATE batch SET rows = rows + ?1 WHERE id = ?4", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, rows);
	if (span) {
		mr_bind_i64(st, 2, span->first);
		mr_bind_i64(st, 3, span->last);
	}
	mr_bind_i64(st, 4, id);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "recording the rows added to batch %lld", (long long)id);
	else if (mr_db_changes(s->q) != 1)
		rc = mr_err_set(err, MR_ENOTFOUND, "no batch %lld", (long long)id);
	mr_finalize(st);
	return rc;
}

/* A (first, last) day pair from a one-row query on batch `id`. */
static int day_range(mr_store *s, const char *sql, int64_t id, int *has, int *d1, int *d2,
                     mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, id);
	if (mr_step(st) == SQLITE_ROW && mr_col_type(st, 0) != SQLITE_NULL) {
		*has = 1;
		*d1 = (int)mr_col_i64(st, 0);
		*d2 = (int)mr_col_i64(st, 1);
	}
	mr_finalize(st);
	return 0;
}

/* Remove batch id; audited unless `quiet` (a batch this command made and
 * let go: nobody saw it, nothing happened to tell). */
static int batch_remove(mr_store *s, int64_t id, int quiet, mr_err *err)
{
	char object[32];
	int rc = mr_measure_flush(s, err), was;
	if (rc)
		return rc;
	char *before;
	if ((rc = batch_json(s, id, &before, err)))
		return rc;
	/* an import that died half-way: nobody read it, it just goes */
	if ((rc = mr_load_rm(s, id, &was, err)) || was) {
		free(before);
		return rc;
	}
	mr_stmt *st = mr_sql_prepare(s, "SELECT min(day) FROM measurement m JOIN cycle c"
	                                  " ON m.day BETWEEN c.first_day AND c.last_day"
	                                  " WHERE m.batch_id = ? AND c.state = 'closed'", err);
	if (!st) {
		rc = MR_EDB;
		goto done;
	}
	mr_bind_i64(st, 1, id);
	if (mr_step(st) == SQLITE_ROW && mr_col_type(st, 0) != SQLITE_NULL) {
		snprintf(object, sizeof object, "batch %lld", (long long)id);
		rc = frozen_err(s, (int)mr_col_i64(st, 0), object, err);
		goto done;
	}
	mr_finalize(st);
	st = NULL;
	int has_days = 0, d1 = 0, d2 = 0;
	/* the days it covers: as recorded, else (an unfinished batch) its rows' */
	if ((rc = day_range(s, "SELECT first_day, last_day FROM batch WHERE id = ?", id,
	                    &has_days, &d1, &d2, err)) ||
	    (!has_days && (rc = day_range(s, "SELECT min(day), max(day) FROM measurement"
	                                  " WHERE batch_id = ?", id, &has_days, &d1, &d2, err))))
		goto done;
	st = mr_sql_prepare(s, "DELETE FROM batch WHERE id = ?", err);
	if (!st) {
		rc = MR_EDB;
		goto done;
	}
	mr_bind_i64(st, 1, id);
	if (mr_step(st) != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "removing batch %lld", (long long)id);
		goto done;
	}
	/* the months it touched are summed again from what remains */
	if (has_days && (rc = mr_rollup_rebuild(s, mr_month_of(d1), mr_month_of(d2), err)))
		goto done;
	snprintf(object, sizeof object, "batch %lld", (long long)id);
	if (!quiet)
		rc = mr_store_audit(s, "batch rm", object, before, NULL, err);
done:
	mr_finalize(st);
	free(before);
	return rc;
}

int mr_store_batch_rm(mr_store *s, int64_t id, mr_err *err)
{
	return batch_remove(s, id, 0, err);
}

int mr_store_batch_days(mr_store *s, int64_t id, int *first, int *last, mr_err *err)
{
	int has = 0, rc = mr_measure_flush(s, err);
	*first = *last = 0;
	if (!rc)
		rc = day_range(s, "SELECT first_day, last_day FROM batch WHERE id = ?", id, &has, first,
		               last, err);
	if (!rc && !has)
		rc = day_range(s, "SELECT min(day), max(day) FROM measurement WHERE batch_id = ?", id,
		               &has, first, last, err);
	return rc;
}

int mr_store_batch_discard(mr_store *s, int64_t id, mr_err *err)
{
	return batch_remove(s, id, 1, err);
}

static void batch_fill(void *item, mr_stmt *st)
{
	mr_batch *b = item;
	b->id = mr_col_i64(st, 0);
	b->source = mr_sql_col(st, 1);
	b->file = mr_sql_col(st, 2);
	b->sha256 = mr_sql_col(st, 3);
	b->rows = mr_col_i64(st, 4);
	b->created_at = mr_sql_col(st, 5);
	b->created_by = mr_sql_col(st, 6);
	b->first_day = (int)mr_col_i64(st, 7);
	b->last_day = (int)mr_col_i64(st, 8);
}

int mr_store_batch_list(mr_store *s, mr_batch **out, size_t *n, mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s,
		"SELECT id, source, file, sha256, rows, created_at, created_by, first_day, last_day"
		" FROM batch WHERE id NOT IN (SELECT batch_id FROM loading) ORDER BY id", err);
	if (!st)
		return MR_EDB;
	int rc = mr_sql_collect(s, st, sizeof **out, batch_fill, &items, n, "listing batches", err);
	*out = items;
	if (rc) {
		mr_batch_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static void batch_fill_frozen(void *item, mr_stmt *st)
{
	batch_fill(item, st);
	((mr_batch *)item)->frozen = (int)mr_col_i64(st, 9);
}

int mr_store_batch_page(mr_store *s, const mr_batch_filter *f, mr_batch **out, size_t *n,
                        mr_err *err)
{
	void *items;
	/* the SQL is fixed text chosen by which filters are given: the values
	 * are bound */
	char sql[640];
	snprintf(sql, sizeof sql, "SELECT id, source, file, sha256, rows, created_at, created_by,"
	         " first_day, last_day, EXISTS(SELECT 1 FROM cycle c WHERE c.state = 'closed'"
	         " AND c.first_day <= b.last_day AND c.last_day >= b.first_day)"
	         " FROM batch b WHERE id NOT IN (SELECT batch_id FROM loading)%s%s"
	         " ORDER BY id DESC LIMIT ?4 OFFSET ?5",
	         f->source ? " AND source = ?1" : "",
	         f->first ? " AND first_day <= ?3 AND last_day >= ?2" : "");
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	if (!st)
		return MR_EDB;
	if (f->source)
		mr_sql_text(st, 1, f->source);
	mr_bind_i64(st, 2, f->first);
	mr_bind_i64(st, 3, f->last);
	mr_bind_i64(st, 4, f->limit > 0 ? f->limit : INT64_MAX);   /* (PostgreSQL refuses -1) */
	mr_bind_i64(st, 5, f->offset);
	int rc = mr_sql_collect(s, st, sizeof **out, batch_fill_frozen, &items, n,
	                        "listing batches", err);
	*out = items;
	if (rc) {
		mr_batch_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void mr_known_logins_clear(struct mr_known_logins *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
	mr_map_release(&k->map);
	memset(k, 0, sizeof *k);
}

/* Remember that login exists (when its hash is free: a second login of
 * one hash is looked up each time, still right); no memory to remember it:
 * asked again next time. */
static void login_remember(struct mr_known_logins *k, const char *login, uint64_t h)
{
	char *copy = strdup(login);
	char **slot = copy ? MR_VEC_PUSH(k->v, k->n, k->cap) : NULL;
	if (slot && mr_map_put(&k->map, h, (uint32_t)(k->n - 1)) == 0)
		*slot = copy;
	else {
		if (slot)
			k->n--;
		free(copy);
	}
}

static uint64_t login_hash(const char *login)
{
	return mr_hash_bytes(login, strlen(login), 0x6c6f67696e);
}

/* On PostgreSQL, every login at once when a transaction has asked for
 * LOGINS_ONE_BY_ONE: one round trip, not one a login (an import of 1,000
 * people's rows spent a quarter of a second on them), and a request that
 * names one person does not read the whole staff.  A login added later in
 * the transaction is still found by its own query. */
#define LOGINS_ONE_BY_ONE 8

static int logins_load_all(mr_store *s, mr_err *err)
{
	struct mr_known_logins *k = &s->known;
	mr_stmt *st = mr_sql_prepare(s, "SELECT login FROM staff", err);
	int r;
	k->all = 1;
	if (!st)
		return MR_EDB;
	while ((r = mr_step(st)) == SQLITE_ROW) {
		const char *login = mr_col_text(st, 0);
		uint64_t h = login ? login_hash(login) : 0;
		if (login && mr_map_get(&k->map, h) == MR_MAP_NONE)
			login_remember(k, login, h);
	}
	mr_finalize(st);
	return r == SQLITE_DONE ? 0 : mr_q_err(s->q, err, "reading the staff's logins");
}

static int login_exists(mr_store *s, const char *login, mr_err *err)
{
	struct mr_known_logins *k = &s->known;
	uint64_t h = login_hash(login);
	uint32_t at;
	int rc;
	at = mr_map_get(&k->map, h);
	if (at != MR_MAP_NONE && strcmp(k->v[at], login) == 0)
		return 0;
	if (!k->all && k->asked >= LOGINS_ONE_BY_ONE && mr_store_on_pg(s)) {
		if ((rc = logins_load_all(s, err)))
			return rc;
		at = mr_map_get(&k->map, h);
		if (at != MR_MAP_NONE && strcmp(k->v[at], login) == 0)
			return 0;
	}
	k->asked++;
	mr_stmt *st = s->st[ST_STAFF_EXISTS];
	if (!st && !(st = s->st[ST_STAFF_EXISTS] =
	             mr_sql_prepare(s, "SELECT 1 FROM staff WHERE login = ?", err)))
		return MR_EDB;
	mr_reset(st);
	mr_sql_text(st, 1, login);
	int r = mr_step(st);
	mr_reset(st);       /* hold no read cursor between rows */
	if (r == SQLITE_DONE) {
		mr_err_set(err, MR_ENOTFOUND, "unknown login \"%s\"", login);
		mr_err_hint(err, MR_HINT_STAFF_MISSING, "add them with `merit staff add`");
		return MR_ENOTFOUND;
	}
	if (r != SQLITE_ROW)
		return mr_q_err(s->q, err, "looking up login %s", login);
	if (at == MR_MAP_NONE)
		login_remember(k, login, h);
	return 0;
}

/* The closed cycles' day ranges, read once per transaction. */
static int load_closed(mr_store *s, mr_err *err)
{
	size_t n = 0, cap = 0;   /* ints in s->closed: two per cycle */
	int r;
	mr_stmt *st = mr_sql_prepare(s, "SELECT first_day, last_day FROM cycle"
	                                  " WHERE state = 'closed'", err);
	if (!st)
		return MR_EDB;
	free(s->closed);
	s->closed = NULL;
	s->nclosed = 0;
	while ((r = mr_step(st)) == SQLITE_ROW) {
		if (mr_vec_reserve(&s->closed, &cap, n, 2, sizeof *s->closed)) {
			mr_finalize(st);
			s->nclosed = -1;
			return mr_err_nomem(err);
		}
		s->closed[n++] = (int)mr_col_i64(st, 0);
		s->closed[n++] = (int)mr_col_i64(st, 1);
		s->nclosed++;
	}
	mr_finalize(st);
	if (r != SQLITE_DONE) {
		s->nclosed = -1;
		return mr_q_err(s->q, err, "reading closed cycles");
	}
	return 0;
}

/* Write the buffered rows with one multi-row INSERT (a statement per
 * row costs more than the row itself); *first the first row's id. */
static int measure_insert(mr_store *s, int64_t *first, mr_err *err)
{
	size_t n = s->nrows;
	int rc = 0;
	*first = 0;
	if (!n)
		return 0;
	mr_stmt *st = n == MR_ROWS_PER_INSERT ? s->st[ST_MEASURE_ADD] : NULL;
	if (!st) {
		st = mr_sql_rows(s, "INSERT INTO measurement(batch_id, subject_id, day, value,"
		                 " denominator, line)", "(?,?,?,?,?,?)", n, err);
		if (!st)
			return err && err->code ? err->code : MR_ENOMEM;
		if (n == MR_ROWS_PER_INSERT)
			s->st[ST_MEASURE_ADD] = st;
	}
	for (size_t i = 0; i < n; i++) {
		const struct mr_pending_row *r = &s->rows[i];
		int k = (int)i * 6;
		mr_bind_i64(st, k + 1, r->batch);
		mr_bind_i64(st, k + 2, r->subject);
		mr_bind_i64(st, k + 3, r->day);
		mr_bind_f64(st, k + 4, r->value);
		if (r->has_den)
			mr_bind_f64(st, k + 5, r->den);
		else
			mr_bind_null(st, k + 5);
		if (r->line > 0)
			mr_bind_i64(st, k + 6, r->line);
		else
			mr_bind_null(st, k + 6);
	}
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "saving measurements");
	/* One statement numbers its rows one after another (each is the
	 * largest id + 1), so the rows' ids follow from the last one; the
	 * monthly totals need them to settle a tie on the day. */
	*first = mr_db_last_id(s->q) - (int64_t)n + 1;
	mr_reset(st);
	if (st != s->st[ST_MEASURE_ADD])
		mr_finalize(st);
	return rc;
}

/* ---- PostgreSQL: measurements by COPY ----
 *
 * The rows go as COPY text with their ids given, not as INSERTs: a
 * statement's values are parsed one by one, COPY's rows in bulk.  One COPY
 * stays open until a flush (before a read, at the commit) or another
 * statement (mr_db_copy_stream), and takes MR_PG_COPY_BYTES at a time:
 * the server stores one part while merit reads the file for the next
 * (sent and ended part by part, the two waited for each other: a million
 * rows took 1.5 s longer).  The ids
 * go on from the table's largest, read once a transaction, as SQLite
 * numbers its rowids (schema_pg.c): the writer's advisory lock keeps any
 * other writer out meanwhile, so they go up as the rows come in (the
 * rollup's ties need that order), and a rolled-back import leaves no gap. */
#define MR_PG_COPY_BYTES (64u << 10)

void mr_measure_pg_drop(mr_store *s)
{
	mr_buf_release(&s->pgrows.text);
	s->pgrows.next = 0;
}

static int pg_rows_send(mr_store *s, mr_err *err)
{
	mr_buf *t = &s->pgrows.text;
	if (!t->len)
		return 0;
	int rc = mr_db_copy_stream(s->q, "COPY measurement(id, batch_id, subject_id, day, value,"
	                           " denominator, line) FROM STDIN", t->data, t->len,
	                           "saving measurements", err);
	mr_buf_reset(t);
	return rc;
}

static int pg_rows_add(mr_store *s, mr_err *err)
{
	struct mr_pg_rows *g = &s->pgrows;
	int rc = 0;
	for (size_t i = 0; !rc && i < s->nrows; i++) {
		const struct mr_pending_row *r = &s->rows[i];
		if (!g->next) {
			if ((rc = mr_db_int(s->q, "SELECT coalesce(max(id), 0) + 1 FROM measurement",
			                    &g->next, "numbering measurements", err)))
				break;
		}
		int64_t id = g->next++;
		mr_buf *b = &g->text;     /* (printf's formatting took a third of the time) */
		mr_buf_i64(b, id);
		mr_buf_putc(b, '\t');
		mr_buf_i64(b, r->batch);
		mr_buf_putc(b, '\t');
		mr_buf_i64(b, r->subject);
		mr_buf_putc(b, '\t');
		mr_buf_i64(b, r->day);
		mr_buf_putc(b, '\t');
		mr_buf_f64(b, r->value);
		mr_buf_putc(b, '\t');
		if (r->has_den)
			mr_buf_f64(b, r->den);
		else
			mr_buf_add(b, "\\N", 2);
		mr_buf_putc(b, '\t');
		if (r->line > 0)
			mr_buf_i64(b, r->line);
		else
			mr_buf_add(b, "\\N", 2);
		mr_buf_putc(b, '\n');
		if (mr_buf_oom(&g->text))
			rc = mr_err_nomem(err);
		else
			rc = mr_rollup_note(s, r->subject, r->day, r->value, r->has_den ? r->den : 0, id,
			                    err);
	}
	s->nrows = 0;
	if (!rc && g->text.len >= MR_PG_COPY_BYTES)
		rc = pg_rows_send(s, err);
	return rc;
}

/* The buffered rows on their way: written (SQLite), or COPY text (PostgreSQL). */
static int measure_spill(mr_store *s, mr_err *err)
{
	int64_t id;
	if (!s->nrows)
		return 0;
	if (s->stage)
		return mr_stage_rows(s, err);
	if (mr_store_on_pg(s))
		return pg_rows_add(s, err);
	int rc = measure_insert(s, &id, err);
	for (size_t i = 0; !rc && i < s->nrows; i++, id++) {
		const struct mr_pending_row *r = &s->rows[i];
		rc = mr_rollup_note(s, r->subject, r->day, r->value, r->has_den ? r->den : 0, id, err);
	}
	s->nrows = 0;
	return rc;
}

int mr_measure_flush(mr_store *s, mr_err *err)
{
	int rc = measure_spill(s, err);
	if (!rc && s->pgrows.text.len)
		rc = pg_rows_send(s, err);
	if (!rc && mr_store_on_pg(s))
		rc = mr_db_copy_settle(s->q, "saving measurements", err);
	return rc ? rc : mr_subject_flush(s, err);
}

int mr_measure_end(mr_store *s, mr_err *err)
{
	int rc = mr_measure_flush(s, err);
	if (mr_store_on_pg(s))
		mr_measure_pg_drop(s);       /* the next transaction numbers afresh */
	return rc;
}

int mr_store_measure_check(mr_store *s, const char *login, int day, mr_err *err)
{
	int rc;
	if (s->nclosed < 0 && (rc = load_closed(s, err)))
		return rc;
	for (int i = 0; i < s->nclosed; i++)
		if (day >= s->closed[2 * i] && day <= s->closed[2 * i + 1])
			return frozen_err(s, day, "a measurement", err);
	return login ? login_exists(s, login, err) : 0;
}

int mr_store_measure_add(mr_store *s, int64_t batch, const char *indicator,
                         const char *login, int day, double value,
                         int has_den, double den, long line, mr_err *err)
{
	int rc;
	if (!(fabs(value) <= MR_NUM_MAX) || (has_den && !(fabs(den) <= MR_NUM_MAX)))
		return mr_err_set(err, MR_EINVALID, "%s %g is out of range (at most %g)",
		                  fabs(value) <= MR_NUM_MAX ? "denominator" : "value",
		                  fabs(value) <= MR_NUM_MAX ? den : value, MR_NUM_MAX);
	if (s->nclosed < 0 && (rc = load_closed(s, err)))
		return rc;
	for (int i = 0; i < s->nclosed; i++)
		if (day >= s->closed[2 * i] && day <= s->closed[2 * i + 1])
			return frozen_err(s, day, "a measurement", err);
	if (login && (rc = login_exists(s, login, err)))
		return rc;
	int64_t subject;
	if ((rc = mr_subject_id(s, indicator, login, &subject, err)))
		return rc;
	struct mr_pending_row *r = &s->rows[s->nrows++];
	r->batch = batch;
	r->subject = subject;
	r->day = day;
	r->value = value;
	r->has_den = has_den;
	r->den = den;
	r->line = line;
	struct mr_span *span = find_span(s, batch);
	if (!span) {
		if (!(span = MR_VEC_PUSH(s->spans, s->nspans, s->capspans)))
			return mr_err_nomem(err);
		span->batch = batch;
		span->first = span->last = day;
	}
	if (day < span->first)
		span->first = day;
	if (day > span->last)
		span->last = day;
	return s->nrows == MR_ROWS_PER_INSERT ? measure_spill(s, err) : 0;
}

void mr_trace_free(mr_trace *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(t[i].indicator);
		free(t[i].source);
		free(t[i].file);
		free(t[i].how);
	}
	free(t);
}

static void trace_fill(void *item, mr_stmt *st)
{
	mr_trace *x = item;
	x->indicator = mr_sql_col(st, 0);
	x->batch = mr_col_i64(st, 1);
	x->source = mr_sql_col(st, 2);
	x->file = mr_sql_col(st, 3);
	x->count = (long)mr_col_i64(st, 4);
	x->first_line = (long)mr_col_i64(st, 5);
	x->last_line = (long)mr_col_i64(st, 6);
	x->how = mr_sql_col(st, 7);
}

int mr_store_trace(mr_store *s, const char *login, int team, int first, int last,
                   mr_trace **out, size_t *n, mr_err *err)
{
	void *items;
	int rc = mr_measure_flush(s, err);
	if (rc)
		return rc;
	mr_stmt *st = mr_sql_prepare(s,
		"SELECT u.indicator, b.id, b.source, b.file, count(*), min(m.line), max(m.line),"
		" b.how FROM subject u JOIN measurement m ON m.subject_id = u.id"
		" JOIN batch b ON b.id = m.batch_id"
		" WHERE m.day BETWEEN ?1 AND ?2 AND ((?3 AND u.login IS NULL) OR u.login = ?4)"
		" AND m.batch_id NOT IN (SELECT batch_id FROM loading)"
		" GROUP BY u.indicator, b.id ORDER BY u.indicator, b.id", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, first);
	mr_bind_i64(st, 2, last);
	mr_bind_i64(st, 3, team);
	mr_sql_text(st, 4, login);
	rc = mr_sql_collect(s, st, sizeof **out, trace_fill, &items, n,
	                    "tracing measurements", err);
	*out = items;
	if (rc) {
		mr_trace_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- cycles ---- */

void mr_cycle_release(mr_cycle *c)
{
	if (!c)
		return;
	free(c->period);
	free(c->state);
	free(c->updated_at);
	free(c->released_at);
	memset(c, 0, sizeof *c);
}

void mr_cycle_list_free(mr_cycle *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mr_cycle_release(&list[i]);
	free(list);
}

static int cycle_read(mr_store *s, const char *period, mr_cycle *out, char **snapshot,
                      int quiet, mr_err *err);

int mr_store_cycle_get(mr_store *s, const char *period, mr_cycle *out,
                       char **snapshot, mr_err *err)
{
	return cycle_read(s, period, out, snapshot, 0, err);
}

int mr_store_cycle_find(mr_store *s, const char *period, mr_cycle *out,
                        char **snapshot, mr_err *err)
{
	return cycle_read(s, period, out, snapshot, 1, err);
}

static int cycle_read(mr_store *s, const char *period, mr_cycle *out, char **snapshot,
                      int quiet, mr_err *err)
{
	int rc = 0;
	memset(out, 0, sizeof *out);
	if (snapshot)
		*snapshot = NULL;
	mr_stmt *st = mr_sql_prepare(s, "SELECT period, first_day, last_day, state, updated_at,"
	                                  " snapshot, released_at FROM cycle WHERE period = ?", err);
	if (!st)
		return MR_EDB;
	unsigned lost = mr_sql_lost();
	mr_sql_text(st, 1, period);
	int r = mr_step(st);
	if (r == SQLITE_ROW) {
		out->period = mr_sql_col(st, 0);
		out->first = (int)mr_col_i64(st, 1);
		out->last = (int)mr_col_i64(st, 2);
		out->state = mr_sql_col(st, 3);
		out->updated_at = mr_sql_col(st, 4);
		out->released_at = mr_sql_col(st, 6);
		if (snapshot)
			*snapshot = mr_sql_col(st, 5);
		if (mr_sql_lost() != lost) {
			mr_cycle_release(out);
			if (snapshot) {
				free(*snapshot);
				*snapshot = NULL;
			}
			rc = mr_err_set(err, MR_ENOMEM, "reading cycle %s: out of memory", period);
		}
	} else if (r == SQLITE_DONE && mr_sql_lost() != lost) {   /* the period not bound */
		rc = mr_err_set(err, MR_ENOMEM, "reading cycle %s: out of memory", period);
	} else if (r == SQLITE_DONE) {
		rc = quiet ? MR_ENOTFOUND :
		     mr_err_set(err, MR_ENOTFOUND, "no cycle %s", period);
		if (rc && !quiet)
			mr_err_hint(err, MR_HINT_CYCLE_MISSING, "open one with `merit cycle open %s`",
			            period);
	} else {
		rc = mr_q_err(s->q, err, "reading cycle %s", period);
	}
	mr_finalize(st);
	return rc;
}

int mr_store_cycle_put(mr_store *s, const char *period, int first, int last,
                       const char *state, const char *snapshot,
                       const char *reason, mr_err *err)
{
	mr_cycle old;
	int flushed = mr_measure_flush(s, err);   /* rows added before the change */
	if (flushed)
		return flushed;
	s->nclosed = -1;   /* closed ranges change: read them again */
	int rc = mr_store_cycle_find(s, period, &old, NULL, err), had = rc == 0;
	if (rc && rc != MR_ENOTFOUND)
		return rc;
	rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO cycle(period, first_day, last_day, state,"
	                                  " snapshot, updated_at) VALUES (?, ?, ?, ?, ?,"
	                                  " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
	                                  " ON CONFLICT(period) DO UPDATE SET state = excluded.state,"
	                                  " snapshot = excluded.snapshot, updated_at = excluded.updated_at",
	                                  err);
	if (!st) {
		rc = MR_EDB;
		goto done;
	}
	mr_sql_text(st, 1, period);
	mr_bind_i64(st, 2, first);
	mr_bind_i64(st, 3, last);
	mr_sql_text(st, 4, state);
	mr_sql_text(st, 5, snapshot);
	if (mr_step(st) != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "saving cycle %s", period);
		goto done;
	}
	json_t *b = had ? json_pack("{ss}", "state", old.state) : NULL;
	json_t *a = json_pack("{ss}", "state", state);
	if (reason)
		json_object_set_new(a, "reason", json_string(reason));
	char *bs = b ? json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	char *as = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
	char action[32];
	snprintf(action, sizeof action, "cycle %s", state);
	if ((had && !bs) || !as)
		rc = mr_err_nomem(err);
	else
		rc = mr_store_audit(s, action, period, bs, as, err);
	free(bs);
	free(as);
	json_decref(a);
	json_decref(b);
done:
	mr_finalize(st);
	if (had)
		mr_cycle_release(&old);
	return rc;
}

static void cycle_fill(void *item, mr_stmt *st)
{
	mr_cycle *c = item;
	c->period = mr_sql_col(st, 0);
	c->first = (int)mr_col_i64(st, 1);
	c->last = (int)mr_col_i64(st, 2);
	c->state = mr_sql_col(st, 3);
	c->updated_at = mr_sql_col(st, 4);
	c->released_at = mr_sql_col(st, 5);
}

int mr_store_cycle_list(mr_store *s, mr_cycle **out, size_t *n, mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s, "SELECT period, first_day, last_day, state, updated_at,"
	                                  " released_at FROM cycle ORDER BY first_day, last_day, period", err);
	if (!st)
		return MR_EDB;
	int rc = mr_sql_collect(s, st, sizeof **out, cycle_fill, &items, n, "listing cycles", err);
	*out = items;
	if (rc) {
		mr_cycle_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int mr_store_cycle_release(mr_store *s, const char *period, int on, mr_err *err)
{
	mr_cycle cur;
	int rc = mr_store_cycle_get(s, period, &cur, NULL, err);
	if (rc)
		return rc;
	int was = cur.released_at != NULL;
	mr_cycle_release(&cur);
	if (was == !!on)
		return mr_err_set(err, MR_EEXISTS, "cycle %s's results are %s already", period,
		                  on ? "released" : "withheld");
	mr_stmt *st = mr_sql_prepare(s, "UPDATE cycle SET released_at = CASE WHEN ? <> 0 THEN"
	                                  " strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END"
	                                  " WHERE period = ?", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, !!on);
	mr_sql_text(st, 2, period);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "releasing cycle %s", period);
	mr_finalize(st);
	if (!rc)
		rc = mr_store_audit(s, on ? "cycle release" : "cycle withhold", period,
		                    was ? "{\"released\":true}" : "{\"released\":false}",
		                    on ? "{\"released\":true}" : "{\"released\":false}", err);
	return rc;
}

/* ---- ratings ---- */

int mr_store_rating_put(mr_store *s, const char *period, const char *login,
                        const char *kind, const char *rater, const char *criterion,
                        double stars, const char *comment, mr_err *err)
{
	int rc = 0;
	char *before = NULL, object[256];
	if (comment && !mr_utf8_ok(comment))
		return mr_err_set(err, MR_EINVALID, "the comment is not UTF-8 text");
	/* a comment goes on a printed form and into a spreadsheet cell */
	if (comment && strlen(comment) > MR_COMMENT_MAX)
		return mr_err_set(err, MR_EINVALID, "the comment is %zu bytes long; at most %d "
		                  "(about %d Chinese characters) go on the form", strlen(comment),
		                  MR_COMMENT_MAX, MR_COMMENT_MAX / 3);
	int named = strcmp(kind, "peer") == 0 || strcmp(kind, "upward") == 0;
	snprintf(object, sizeof object, "rating %s %s by %s%s%s", period, login, kind,
	         named ? ":" : "", named ? rater : "");
	mr_stmt *st = mr_sql_prepare(s, "SELECT json_object('criterion', criterion, 'stars', stars,"
	                                  " 'comment', comment) FROM rating WHERE period = ? AND"
	                                  " login = ? AND kind = ? AND rater = ? AND criterion = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, period);
	mr_sql_text(st, 2, login);
	mr_sql_text(st, 3, kind);
	mr_sql_text(st, 4, rater);
	mr_sql_text(st, 5, criterion);
	int r = mr_step(st);
	if (r == SQLITE_ROW)
		before = mr_sql_col(st, 0);
	else if (r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "reading the rating of %s for %s", login, period);
	mr_finalize(st);
	if (rc)
		return rc;
	st = mr_sql_prepare(s, "INSERT INTO rating(period, login, kind, rater, criterion, stars,"
	                    " comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
	                    " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
	                    " ON CONFLICT(period, login, kind, rater, criterion) DO UPDATE SET"
	                    " stars = excluded.stars, comment = excluded.comment,"
	                    " created_at = excluded.created_at", err);
	if (!st) {
		free(before);
		return MR_EDB;
	}
	mr_sql_text(st, 1, period);
	mr_sql_text(st, 2, login);
	mr_sql_text(st, 3, kind);
	mr_sql_text(st, 4, rater);
	mr_sql_text(st, 5, criterion);
	mr_bind_f64(st, 6, stars);
	mr_sql_text(st, 7, comment);
	if (mr_step(st) != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "saving the rating of %s for %s", login, period);
	} else {
		json_t *a = json_pack("{sssf}", "criterion", criterion, "stars", stars);
		json_object_set_new(a, "comment", comment ? json_string(comment) : json_null());
		char *as = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
		rc = as ? mr_store_audit(s, "rate", object, before, as, err)
		        : mr_err_nomem(err);
		free(as);
		json_decref(a);
	}
	mr_finalize(st);
	free(before);
	return rc;
}

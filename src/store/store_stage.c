/* store_stage.c — a long import's writes kept aside, then written in one
 * short write transaction, so the write lock is held only to insert.
 *
 * mr_store_stage_begin opens a read transaction (with PRAGMA query_only:
 * a write nobody planned for fails instead of taking the lock) and notes
 * what an import's checks read (FINGERPRINT) and the next free ids of
 * batch, subject and measurement.  The import then runs as always; what it would write goes
 * aside: the batch (its id is the next free one), new subjects (the next
 * free ids), measurement rows (to a temporary file, 32 bytes a row, with
 * the rollup summed in memory as they pass), row keys (a hash set, 16
 * bytes a slot) and new shop customers.  Every check the import makes
 * reads the database as it was when the read began.
 *
 * mr_store_stage_commit then takes the write lock and reads the
 * fingerprint again.  When it changed, another process committed
 * something the checks relied on (a batch added or removed, with its
 * keys, rows and customers; a login added; a cycle closed; an ownership
 * rule or saved source changed) or the ids are taken: nothing is written,
 * it returns 1, and the caller runs the import again.  Otherwise every
 * check still holds and the ids are free, so the rows are written as they
 * are.  (PRAGMA data_version would do, but `merit serve` writes sessions
 * all the time: every import would run again.)
 *
 * Past MR_LOAD_PART rows (measurements, row keys and customers together)
 * one transaction would hold the lock too long (a 3,000,000-row import:
 * 2 s and more), so the rows go in parts, each its own transaction, under
 * a batch in the loading table that no reader looks at until the last
 * part takes it out (store_loading.c).  The first part checks the whole
 * fingerprint, adds the batch and its subjects and writes the range's
 * last measurement first, so the rows others add in between get higher
 * ids and the range stays the import's.  Every later part checks the
 * fingerprint's rules (logins, cycles, ownership, sources) again: when
 * one changed, or a row key or customer of the import was claimed by
 * another batch in between (its unique index says so), what was written
 * is removed and the import runs again.  Other imports wait meanwhile
 * (mr_store_stage_begin) or are refused (mr_store_loading_clear), so
 * none checks against half of it.  The monthly rollup and the batch's
 * record are written by the last part, with it.
 */
#include "store/store_int.h"
#include "util/vec.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

struct mr_stage_row {        /* a measurement as it waits: 32 bytes */
	int64_t subject;
	double value;
	double den;              /* NAN: none */
	int32_t day;
	uint32_t line;           /* 0: none */
};

/* What an import's checks read, as one text: equal texts, same answers. */
#define FINGERPRINT \
	"SELECT (SELECT count(*) || ':' || ifnull(max(id), 0) FROM batch) || ' ' ||" \
	" (SELECT ifnull(max(id), 0) FROM subject) || ' ' ||" \
	" (SELECT ifnull(max(id), 0) FROM measurement) || ' ' ||" RULES
/* Its rules: what the checks read besides the data. */
#define RULES \
	" (SELECT ifnull(group_concat(login, char(31)), '') FROM" \
	"  (SELECT login FROM staff ORDER BY login)) || ' ' ||" \
	" (SELECT ifnull(group_concat(period || '=' || state, ','), '') FROM" \
	"  (SELECT period, state FROM cycle ORDER BY period)) || ' ' ||" \
	" (SELECT ifnull(group_concat(kind || '=' || value || '=' || login, char(31)), '') FROM" \
	"  (SELECT kind, value, login FROM ownership ORDER BY kind, value)) || ' ' ||" \
	" (SELECT ifnull(group_concat(name || '=' || created_at, char(31)), '') FROM" \
	"  (SELECT name, created_at FROM source ORDER BY name))"

struct mr_stage {
	char *seen;                  /* FINGERPRINT when the read began */
	int64_t batch;               /* the batch's id (0: none added) */
	char *source, *file;
	int64_t next_subject, first_measure, next_measure;
	struct { int64_t id; char *indicator, *login; } *subj;
	size_t nsubj, capsubj;
	FILE *rows;                  /* struct mr_stage_row, in order */
	int64_t *keys;               /* open addressing; 0 marks a free slot */
	size_t nkeys, capkeys;
	int has_zero;                /* the key 0, which cannot be a slot's */
	struct { char *key, *order; int day; } *cust;
	size_t ncust, capcust;
	char sha[65], rows_sha[65];  /* the batch's, told when it was finished */
	char *unattributed;          /* what the import could not attribute (JSON) */
	char *how;                   /* how its numbers were measured (JSON), or NULL */
	int64_t nrows;
	/* written in parts: */
	char *rules;                 /* RULES when the read began */
	mr_rollup_acc pending;       /* the rollup, kept for the last part */
	struct mr_span span;         /* the batch's days */
	int has_span;
	int lock;                    /* the claim on the "-load" file; -1: none */
	int64_t rows_done, rows_end; /* records of rows written, to write */
	size_t keys_done, cust_done;
};

void mr_stage_free(mr_store *s)
{
	struct mr_stage *g = s->stage;
	if (!g)
		return;
	free(g->seen);
	free(g->source);
	free(g->file);
	for (size_t i = 0; i < g->nsubj; i++) {
		free(g->subj[i].indicator);
		free(g->subj[i].login);
	}
	free(g->subj);
	if (g->rows)
		fclose(g->rows);
	free(g->keys);
	for (size_t i = 0; i < g->ncust; i++) {
		free(g->cust[i].key);
		free(g->cust[i].order);
	}
	free(g->cust);
	free(g->rules);
	free(g->unattributed);
	free(g->how);
	free(g->pending.e);
	mr_map_release(&g->pending.map);
	mr_load_release(&g->lock);
	free(g);
	s->stage = NULL;
}

static int fingerprint_of(mr_store *s, const char *sql, char **out, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	int rc = 0;
	*out = NULL;
	if (!st)
		return MR_EDB;
	if (mr_step(st) != SQLITE_ROW)
		rc = mr_q_err(s->q, err, "reading the database");
	else if (!(*out = mr_sql_col(st, 0)))
		rc = mr_err_nomem(err);
	mr_finalize(st);
	return rc;
}

static int fingerprint(mr_store *s, char **out, mr_err *err)
{
	return fingerprint_of(s, FINGERPRINT, out, err);
}

static int one_int(mr_store *s, const char *sql, int64_t *out, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	int rc = 0;
	if (!st)
		return MR_EDB;
	if (mr_step(st) == SQLITE_ROW)
		*out = mr_col_i64(st, 0);
	else
		rc = mr_q_err(s->q, err, "reading the database");
	mr_finalize(st);
	return rc;
}

int mr_store_stage_begin(mr_store *s, mr_err *err)
{
	int rc = mr_store_writable(s, err);
	if (rc)
		return rc;
	/* what killed imports left goes first; one being written now is
	 * waited for, as long as the store waits for the lock; and the read
	 * begins only where no import is half-written (one may have written
	 * its first part since the sweep looked) */
	int64_t loading = 1;
	for (int waited = 0, live = 1; live || loading;) {
		if ((rc = mr_store_loading_sweep(s, &live, err)))
			return rc;
		if (live && waited >= s->wait_ms)
			return MR_EBUSY;
		if (live) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			waited += 100;
			mr_err_clear(err);
			continue;
		}
		if ((rc = mr_store_begin_read(s, err)))
			return rc;
		if ((rc = one_int(s, "SELECT count(*) FROM loading", &loading, err))) {
			mr_store_rollback(s);
			return rc;
		}
		if (loading)
			mr_store_rollback(s);   /* round again: wait for it */
	}
	struct mr_stage *g = calloc(1, sizeof *g);
	if (!g) {
		mr_store_rollback(s);
		return mr_err_nomem(err);
	}
	g->lock = -1;
	s->stage = g;
	s->nclosed = -1;
	s->nrows = 0;
	s->nspans = 0;
	if ((rc = fingerprint(s, &g->seen, err)) ||
	    (rc = fingerprint_of(s, "SELECT" RULES, &g->rules, err)) ||
	    (rc = one_int(s, "SELECT ifnull(max(id), 0) + 1 FROM batch", &g->batch, err)) ||
	    (rc = one_int(s, "SELECT ifnull(max(id), 0) + 1 FROM subject", &g->next_subject, err)) ||
	    (rc = one_int(s, "SELECT ifnull(max(id), 0) + 1 FROM measurement", &g->first_measure,
	                  err)))
		goto fail;
	g->batch = -g->batch;        /* not added yet: the id it will have, negated */
	g->next_measure = g->first_measure;
	if (!(g->rows = tmpfile())) {
		rc = mr_err_set(err, MR_EIO, "cannot make a temporary file for the import's rows "
		                "(is /tmp full?)");
		goto fail;
	}
	if (mr_db_run(s->q, "PRAGMA query_only = ON") != SQLITE_OK) {
		rc = mr_q_err(s->q, err, "starting to read");
		goto fail;
	}
	return 0;
fail:
	mr_store_rollback(s);
	return rc;
}

int mr_stage_batch(mr_store *s, const char *source, const char *file, int64_t *out,
                   mr_err *err)
{
	struct mr_stage *g = s->stage;
	if (g->batch > 0 || !(g->source = strdup(source)) || !(g->file = strdup(file)))
		return g->batch > 0 ? mr_err_set(err, MR_EDB, "one batch per staged import")
		                    : mr_err_nomem(err);
	*out = g->batch = -g->batch;
	return 0;
}

/* Copies of a (not NULL) and b (may be NULL): 0, or -1 with neither. */
static int two_copies(char **a_out, const char *a, char **b_out, const char *b)
{
	*a_out = strdup(a);
	*b_out = b ? strdup(b) : NULL;
	if (*a_out && (!b || *b_out))
		return 0;
	free(*a_out);
	free(*b_out);
	return -1;
}

void mr_stage_batch_done(mr_store *s, const char *sha, const char *rows_sha, int64_t rows)
{
	struct mr_stage *g = s->stage;
	if (sha)
		snprintf(g->sha, sizeof g->sha, "%s", sha);
	if (rows_sha)
		snprintf(g->rows_sha, sizeof g->rows_sha, "%s", rows_sha);
	if (rows >= 0)
		g->nrows = rows;
}

/* A copy of json (may be NULL) in *slot, for the batch's record. */
static int keep_json(char **slot, const char *json, mr_err *err)
{
	char *copy = json ? strdup(json) : NULL;
	if (json && !copy)
		return mr_err_nomem(err);
	free(*slot);
	*slot = copy;
	return 0;
}

int mr_stage_unattributed(mr_store *s, const char *json, mr_err *err)
{
	return keep_json(&s->stage->unattributed, json, err);
}

int mr_stage_how(mr_store *s, const char *json, mr_err *err)
{
	return keep_json(&s->stage->how, json, err);
}

int mr_stage_subject(mr_store *s, const char *indicator, const char *login, int64_t *out,
                     mr_err *err)
{
	struct mr_stage *g = s->stage;
	char *i, *l;
	if (mr_vec_grow(&g->subj, &g->capsubj, g->nsubj, sizeof *g->subj) ||
	    two_copies(&i, indicator, &l, login))
		return mr_err_nomem(err);
	g->subj[g->nsubj].id = *out = g->next_subject++;
	g->subj[g->nsubj].indicator = i;
	g->subj[g->nsubj].login = l;
	g->nsubj++;
	return 0;
}

int mr_stage_rows(mr_store *s, mr_err *err)
{
	struct mr_stage *g = s->stage;
	struct mr_stage_row out[MR_ROWS_PER_INSERT];
	int rc = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		const struct mr_pending_row *r = &s->rows[i];
		out[i].subject = r->subject;
		out[i].value = r->value;
		out[i].den = r->has_den ? r->den : NAN;
		out[i].day = r->day;
		out[i].line = r->line > 0 && r->line <= (long)UINT32_MAX ? (uint32_t)r->line : 0;
		if ((rc = mr_rollup_note(s, r->subject, r->day, r->value, r->has_den ? r->den : 0,
		                         g->next_measure++, err)))
			return rc;
	}
	if (fwrite(out, sizeof out[0], s->nrows, g->rows) != s->nrows)
		return mr_err_set(err, MR_EIO, "cannot keep the import's rows in a temporary file "
		                  "(disk full?)");
	s->nrows = 0;
	return 0;
}

static uint64_t mix(int64_t k)
{
	uint64_t x = (uint64_t)k;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdu;
	x ^= x >> 33;
	return x;
}

/* 1 when the key was in the set already, 0 when added, <0 on error. */
int mr_stage_key(mr_store *s, int64_t key, mr_err *err)
{
	struct mr_stage *g = s->stage;
	if (key == 0) {
		int had = g->has_zero;
		g->has_zero = 1;
		return had;
	}
	if (2 * (g->nkeys + 1) > g->capkeys) {
		size_t cap = g->capkeys ? g->capkeys * 2 : 1024;
		int64_t *t = calloc(cap, sizeof *t);
		if (!t)
			return mr_err_nomem(err);
		for (size_t i = 0; i < g->capkeys; i++) {
			if (!g->keys[i])
				continue;
			size_t j = mix(g->keys[i]) & (cap - 1);
			while (t[j])
				j = (j + 1) & (cap - 1);
			t[j] = g->keys[i];
		}
		free(g->keys);
		g->keys = t;
		g->capkeys = cap;
	}
	size_t j = mix(key) & (g->capkeys - 1);
	for (; g->keys[j]; j = (j + 1) & (g->capkeys - 1))
		if (g->keys[j] == key)
			return 1;
	g->keys[j] = key;
	g->nkeys++;
	return 0;
}

int mr_stage_customer(mr_store *s, const char *key, int day, const char *order, mr_err *err)
{
	struct mr_stage *g = s->stage;
	char *k, *o;
	if (mr_vec_grow(&g->cust, &g->capcust, g->ncust, sizeof *g->cust) ||
	    two_copies(&k, key, &o, order))
		return mr_err_nomem(err);
	g->cust[g->ncust].key = k;
	g->cust[g->ncust].order = o;
	g->cust[g->ncust].day = day;
	g->ncust++;
	return 0;
}

/* ---- the write: under the lock ---- */

static int write_subjects(mr_store *s, const struct mr_stage *g, mr_err *err)
{
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO subject(id, indicator, login)"
	                                  " VALUES (?, ?, ?)", err);
	if (!st)
		return MR_EDB;
	for (size_t i = 0; i < g->nsubj && !rc; i++) {
		mr_reset(st);
		mr_bind_i64(st, 1, g->subj[i].id);
		mr_sql_text(st, 2, g->subj[i].indicator);
		mr_sql_text(st, 3, g->subj[i].login);
		if (mr_step(st) != SQLITE_DONE)
			rc = mr_q_err(s->q, err, "saving the subject %s", g->subj[i].indicator);
	}
	mr_finalize(st);
	return rc;
}

/* An INSERT of n measurements with their ids. */
static mr_stmt *rows_insert(mr_store *s, size_t n, mr_err *err)
{
	return mr_sql_rows(s, "INSERT INTO measurement(id, batch_id, subject_id, day, value,"
	                   " denominator, line)", "(?,?,?,?,?,?,?)", n, err);
}

/* Records [from, from + n) of the rows file, each with its id: the rollup
 * counted them with these, and in parts others' rows go in between. */
static int write_rows(mr_store *s, struct mr_stage *g, int64_t from, int64_t n, mr_err *err)
{
	struct mr_stage_row in[MR_ROWS_PER_INSERT];
	mr_stmt *full = NULL, *st;
	int rc = 0;
	if (n <= 0)
		return 0;
	if (fflush(g->rows) || fseeko(g->rows, (off_t)from * (off_t)sizeof in[0], SEEK_SET))
		return mr_err_set(err, MR_EIO, "cannot read back the import's rows");
	while (!rc && n > 0) {
		size_t want = n < MR_ROWS_PER_INSERT ? (size_t)n : MR_ROWS_PER_INSERT;
		if (fread(in, sizeof in[0], want, g->rows) != want) {
			rc = mr_err_set(err, MR_EIO, "cannot read back the import's rows");
			break;
		}
		if (want == MR_ROWS_PER_INSERT && !full && !(full = rows_insert(s, want, err)))
			return MR_EDB;
		if (!(st = want == MR_ROWS_PER_INSERT ? full : rows_insert(s, want, err))) {
			mr_finalize(full);
			return MR_EDB;
		}
		for (size_t i = 0; i < want; i++) {
			int k = (int)i * 7;
			mr_bind_i64(st, k + 1, g->first_measure + from + (int64_t)i);
			mr_bind_i64(st, k + 2, g->batch);
			mr_bind_i64(st, k + 3, in[i].subject);
			mr_bind_i64(st, k + 4, in[i].day);
			mr_bind_f64(st, k + 5, in[i].value);
			if (isnan(in[i].den))
				mr_bind_null(st, k + 6);
			else
				mr_bind_f64(st, k + 6, in[i].den);
			if (in[i].line)
				mr_bind_i64(st, k + 7, in[i].line);
			else
				mr_bind_null(st, k + 7);
		}
		if (mr_step(st) != SQLITE_DONE)
			rc = mr_q_err(s->q, err, "saving measurements");
		mr_reset(st);
		if (st != full)
			mr_finalize(st);
		from += (int64_t)want;
		n -= (int64_t)want;
	}
	mr_finalize(full);
	return rc;
}

static int by_key(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The set's keys to the front of its table, in order (0 among them when
 * it is one): batch_key's B-tree takes them in order several times faster
 * than in hash order.  Done before the lock is taken; no lookups after. */
static int keys_sort(struct mr_stage *g, mr_err *err)
{
	size_t n = 0;
	for (size_t i = 0; i < g->capkeys; i++)
		if (g->keys[i])
			g->keys[n++] = g->keys[i];
	if (g->has_zero) {                   /* a table is never full; none may be there */
		if (n == g->capkeys) {
			int64_t *t = realloc(g->keys, (n + 1) * sizeof *t);
			if (!t)
				return mr_err_nomem(err);
			g->keys = t;
			g->capkeys = n + 1;
		}
		g->keys[n++] = 0;
	}
	g->nkeys = n;
	if (n)
		qsort(g->keys, n, sizeof *g->keys, by_key);
	return 0;
}

/* An INSERT of n keys of batch ?1 (one statement for many rows: a
 * statement each costs more than the row). */
static mr_stmt *keys_insert(mr_store *s, size_t n, int64_t batch, mr_err *err)
{
	/* (?,?1) each: the first ? is number 2, as ?1 is taken */
	mr_stmt *st = mr_sql_rows(s, "INSERT INTO batch_key(batch_id, key)", "(?1,?)", n, err);
	if (st)
		mr_bind_i64(st, 1, batch);
	return st;
}

#define KEYS_PER_INSERT 256

/* Keys [from, from + n) of the sorted set. */
static int write_keys(mr_store *s, const struct mr_stage *g, size_t from, size_t count,
                      mr_err *err)
{
	mr_stmt *full = NULL, *st;
	int rc = 0;
	for (size_t i = from; i < from + count && !rc; i += KEYS_PER_INSERT) {
		size_t n = from + count - i < KEYS_PER_INSERT ? from + count - i : KEYS_PER_INSERT;
		if (n == KEYS_PER_INSERT && !full)
			full = keys_insert(s, n, g->batch, err);
		st = n == KEYS_PER_INSERT ? full : keys_insert(s, n, g->batch, err);
		if (!st) {
			mr_finalize(full);
			return MR_EDB;
		}
		for (size_t k = 0; k < n; k++)
			mr_bind_i64(st, (int)k + 2, g->keys[i + k]);
		if (mr_step(st) != SQLITE_DONE)
			rc = mr_q_err(s->q, err, "recording the rows of the import");
		mr_reset(st);
		if (st != full)
			mr_finalize(st);
	}
	mr_finalize(full);
	return rc;
}

/* The next budget rows still to write: measurements, then keys, then
 * customers (s->stage is NULL: the writes are real). */
static int write_part(mr_store *s, struct mr_stage *g, int64_t budget, mr_err *err)
{
	int rc = 0;
	int64_t n = g->rows_end - g->rows_done < budget ? g->rows_end - g->rows_done : budget;
	if ((rc = write_rows(s, g, g->rows_done, n, err)))
		return rc;
	g->rows_done += n;
	budget -= n;
	size_t k = g->nkeys - g->keys_done < (uint64_t)budget ? g->nkeys - g->keys_done
	                                                       : (size_t)budget;
	if ((rc = write_keys(s, g, g->keys_done, k, err)))
		return rc;
	g->keys_done += k;
	budget -= (int64_t)k;
	for (; g->cust_done < g->ncust && budget > 0; g->cust_done++, budget--)
		if ((rc = mr_store_customer_put(s, g->cust[g->cust_done].key, g->cust[g->cust_done].day,
		                                g->cust[g->cust_done].order, g->batch, err)))
			return rc;
	return 0;
}

static int part_left(const struct mr_stage *g)
{
	return g->rows_done < g->rows_end || g->keys_done < g->nkeys || g->cust_done < g->ncust;
}

/* The batch's record, with the last of its rows: its sha, rows, days and
 * audit (mr_store_batch_finish). */
static int write_finish(mr_store *s, struct mr_stage *g, mr_err *err)
{
	int rc;
	if ((rc = mr_store_batch_rows_sha(s, g->batch, g->rows_sha[0] ? g->rows_sha : NULL, err)) ||
	    (g->unattributed &&
	     (rc = mr_store_batch_unattributed(s, g->batch, g->unattributed, err))) ||
	    (g->how && (rc = mr_store_batch_how(s, g->batch, g->how, err))))
		return rc;
	return mr_store_batch_finish(s, g->batch, g->nrows, g->sha[0] ? g->sha : NULL, err);
}

/* Was the last failure a unique index refusing a row (another batch
 * claimed a key or customer of this import in between)? */
static int claimed(mr_store *s, int rc)
{
	return rc == MR_EEXISTS || mr_db_constraint(s->q);
}

/* After the first part: the rest, each part a transaction that checks
 * the rules first; the last takes the batch out of loading.  0 done, 1 run
 * the import again, <0 an error; what was written is removed unless done. */
static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Between two parts, the lock is free as long as the part before held it,
 * up to 100 ms: a writer waiting for it (SQLite's busy handler tries again
 * every 100 ms at most) gets in, rather than finding it taken again at
 * once every time it looks. */
static void between_parts(int64_t since)
{
	int64_t held = now_ns() - since;
	if (held > 100 * 1000000)
		held = 100 * 1000000;
	if (held > 0) {
		struct timespec ts = { 0, (long)held };
		nanosleep(&ts, NULL);
	}
}

static int write_rest(mr_store *s, struct mr_stage *g, int64_t since, mr_err *err)
{
	int rc = 0, part = mr_load_part();
	char *now = NULL;
	for (;;) {
		between_parts(since);
		if ((rc = mr_store_begin(s, err)))
			break;
		since = now_ns();
		if ((rc = fingerprint_of(s, "SELECT" RULES, &now, err)))
			goto undo;
		if (strcmp(now, g->rules) != 0) {
			rc = 1;                /* a login, cycle, rule or source changed */
			goto undo;
		}
		free(now);
		now = NULL;
		if (!part_left(g))
			break;
		if ((rc = write_part(s, g, part, err))) {
			if (claimed(s, rc)) {
				mr_err_clear(err);     /* the run again says what it finds */
				rc = 1;
			}
			goto undo;
		}
		if ((rc = mr_store_commit(s, err)))
			goto out;
	}
	if (rc)
		goto out;
	/* the last part: in the write lock still */
	struct mr_span *sp = g->has_span ? MR_VEC_PUSH(s->spans, s->nspans, s->capspans) : NULL;
	if (g->has_span && !sp) {
		rc = mr_err_nomem(err);
		goto undo;
	}
	if (sp)
		*sp = g->span;
	mr_rollup_discard(s);
	s->pending = g->pending;
	memset(&g->pending, 0, sizeof g->pending);
	mr_stmt *st = mr_sql_prepare(s, "DELETE FROM loading WHERE batch_id = ?", err);
	if (!st) {
		rc = MR_EDB;
		goto undo;
	}
	mr_bind_i64(st, 1, g->batch);
	rc = mr_step(st) == SQLITE_DONE ? 0 : mr_q_err(s->q, err, "finishing the import");
	mr_finalize(st);
	if (rc || (rc = write_finish(s, g, err)))
		goto undo;
	if (!(rc = mr_store_commit(s, err)))
		return 0;
	goto out;
undo:
	free(now);
	mr_store_rollback(s);
out:;
	/* what the parts wrote goes (the claim is still held); if even that
	 * fails, the next import finds it unclaimed and removes it */
	mr_err spare = MR_ERR_INIT;
	mr_load_sweep_own(s, g->batch, &spare);
	mr_err_clear(&spare);
	return rc;
}

int mr_store_stage_commit(mr_store *s, mr_err *err)
{
	struct mr_stage *g = s->stage;
	int64_t id = 0;
	char *now = NULL;
	int rc;
	/* the import's own rows not yet aside */
	if ((rc = mr_measure_flush(s, err)) || (rc = keys_sort(g, err)))
		goto fail;
	mr_db_run(s->q, "PRAGMA query_only = OFF");
	/* the read ends; the write begins where it left off */
	mr_db_run(s->q, "COMMIT");
	if (mr_db_run(s->q, "BEGIN IMMEDIATE") != SQLITE_OK) {
		s->in_tx = 0;
		rc = mr_q_err(s->q, err, "starting to write the import");
		goto fail;
	}
	int64_t since = now_ns();
	if ((rc = fingerprint(s, &now, err)))
		goto fail;
	if (strcmp(now, g->seen) != 0) {
		free(now);
		mr_store_rollback(s);    /* another process changed what was checked */
		return 1;
	}
	free(now);
	if (g->batch <= 0) {
		rc = mr_err_set(err, MR_EDB, "a staged import without a batch");
		goto fail;
	}
	s->stage = NULL;             /* from here on the writes are real */
	if ((rc = mr_store_batch_add(s, &id, g->source, g->file, NULL, err)))
		goto fail_real;
	if (id != g->batch) {
		rc = mr_err_set(err, MR_EDB, "the batch's number moved while importing");
		goto fail_real;
	}
	int64_t nrec = g->next_measure - g->first_measure;
	int parted = (uint64_t)nrec + g->nkeys + g->ncust > (uint64_t)mr_load_part() &&
	             mr_load_parted(s);
	g->rows_end = nrec;
	if (!parted) {               /* all of it, now */
		if ((rc = write_subjects(s, g, err)) || (rc = write_part(s, g, INT64_MAX, err)) ||
		    (rc = write_finish(s, g, err)))
			goto fail_real;
		s->stage = g;
		mr_stage_free(s);
		return mr_store_commit(s, err);
	}
	/* in parts: the first, with the batch marked loading and claimed */
	if ((rc = mr_load_claim(s, g->batch, &g->lock, err)) == 1)
		rc = mr_err_set(err, MR_EDB, "batch %lld is claimed by another import already",
		                (long long)g->batch);
	if (rc)
		goto fail_real;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO loading(batch_id, first_id, last_id,"
	                                  " first_subject, last_subject) VALUES (?, ?, ?, ?, ?)",
	                                  err);
	if (!st) {
		rc = MR_EDB;
		goto fail_real;
	}
	mr_bind_i64(st, 1, g->batch);
	mr_bind_i64(st, 2, g->first_measure);
	mr_bind_i64(st, 3, g->next_measure - 1);
	mr_bind_i64(st, 4, g->nsubj ? g->subj[0].id : 1);
	mr_bind_i64(st, 5, g->nsubj ? g->subj[g->nsubj - 1].id : 0);
	rc = mr_step(st) == SQLITE_DONE ? 0 : mr_q_err(s->q, err, "starting the import");
	mr_finalize(st);
	if (rc || (rc = write_subjects(s, g, err)))
		goto fail_real;
	if (nrec > 0) {              /* the range's last id first: others' go above */
		if ((rc = write_rows(s, g, nrec - 1, 1, err)))
			goto fail_real;
		g->rows_end = nrec - 1;
	}
	if ((rc = write_part(s, g, mr_load_part(), err)))
		goto fail_real;
	for (size_t i = 0; i < s->nspans; i++)
		if (s->spans[i].batch == g->batch) {
			g->span = s->spans[i];
			g->has_span = 1;
		}
	g->pending = s->pending;     /* the rollup waits for the last part */
	memset(&s->pending, 0, sizeof s->pending);
	if ((rc = mr_store_commit(s, err)))
		goto fail_done;
	rc = write_rest(s, g, since, err);   /* s->stage stays NULL: the writes are real */
	s->stage = g;
	mr_stage_free(s);
	return rc;
fail_real:
	s->stage = g;
fail:
	mr_store_rollback(s);
	return rc;
fail_done:
	s->stage = g;
	mr_stage_free(s);
	return rc;
}

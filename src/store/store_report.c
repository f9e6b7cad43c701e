/* store_report.c — what reports read besides the scores: the ratings as
 * given (with their comments) and where every measurement came from, for
 * everyone in one pass.  Reads only; no audit records.
 */
#include "store/store_int.h"
#include "util/vec.h"

/* ---- ratings with comments ---- */

void mr_rating_rows_free(mr_rating_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].login);
		free(rows[i].kind);
		free(rows[i].rater);
		free(rows[i].criterion);
		free(rows[i].comment);
	}
	free(rows);
}

static void rating_fill(void *item, mr_stmt *st)
{
	mr_rating_row *r = item;
	r->login = mr_sql_col(st, 0);
	r->kind = mr_sql_col(st, 1);
	r->rater = mr_sql_col(st, 2);
	r->criterion = mr_sql_col(st, 3);
	r->stars = mr_col_f64(st, 4);
	r->comment = mr_sql_col(st, 5);
}

int mr_store_rating_list(mr_store *s, const char *period, const char *login,
                         mr_rating_row **out, size_t *n, mr_err *err)
{
	void *items = NULL;
	*out = NULL;
	*n = 0;
	mr_stmt *st = mr_sql_prepare(s,
		"SELECT login, kind, rater, criterion, stars, nullif(comment, '') FROM rating"
		" WHERE period = ?1 AND (?2 IS NULL OR login = ?2)"
		" ORDER BY login, CASE kind WHEN 'self' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END,"
		" rater, criterion", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, period);
	mr_sql_text(st, 2, login);
	int rc = mr_sql_collect(s, st, sizeof **out, rating_fill, &items, n,
	                        "listing ratings", err);
	*out = items;
	for (size_t i = 0; !rc && i < *n; i++)
		if (!(*out)[i].login || !(*out)[i].kind || !(*out)[i].rater || !(*out)[i].criterion)
			rc = mr_err_nomem(err);
	if (rc) {
		mr_rating_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- everyone's traces ---- */

void mr_subject_trace_free(mr_subject_trace *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free(t[i].login);
		free(t[i].t.indicator);
		free(t[i].t.source);
		free(t[i].t.file);
		free(t[i].t.how);
	}
	free(t);
}

/* Per subject, the batches its measurements in the period came from. */
typedef struct acc { int64_t batch; long count, lo, hi; int32_t next; } acc;

typedef struct named { char *login, *indicator; } named;

static int trace_cmp(const void *a, const void *b)
{
	const mr_subject_trace *x = a, *y = b;
	if (!x->login != !y->login)
		return x->login ? 1 : -1;
	int c = x->login ? strcmp(x->login, y->login) : 0;
	if (!c)
		c = strcmp(x->t.indicator, y->t.indicator);
	return c ? c : (x->t.batch > y->t.batch) - (x->t.batch < y->t.batch);
}

/* One pass over the period's rows (day index), folded in C by subject
 * and batch: far cheaper than letting SQLite sort them for a GROUP BY. */
int mr_store_trace_all(mr_store *s, int first, int last, mr_subject_trace **out,
                       size_t *n, mr_err *err)
{
	int64_t maxid = 0;
	int32_t *head = NULL;          /* per subject id: first acc + 1, 0 = none */
	acc *a = NULL;
	size_t na = 0, capa = 0, nout = 0;
	named *names = NULL;
	mr_subject_trace *t = NULL;
	int rc = mr_measure_flush(s, err), r;
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	if ((rc = mr_subject_max(s, &maxid, err)) || maxid <= 0)
		return rc;
	mr_stmt *st;
	if (!(head = calloc((size_t)maxid + 1, sizeof *head)) ||
	    !(names = calloc((size_t)maxid + 1, sizeof *names)))
		goto nomem;
	if (!(st = mr_sql_prepare(s, "SELECT subject_id, batch_id, line FROM measurement"
	                             " WHERE day BETWEEN ?1 AND ?2"
	                             " AND batch_id NOT IN (SELECT batch_id FROM loading)", err))) {
		rc = MR_EDB;
		goto done;
	}
	mr_bind_i64(st, 1, first);
	mr_bind_i64(st, 2, last);
	while ((r = mr_step(st)) == SQLITE_ROW) {
		int64_t sub = mr_col_i64(st, 0), batch = mr_col_i64(st, 1);
		long line = (long)mr_col_i64(st, 2);
		if (sub < 1 || sub > maxid)
			continue;
		int32_t k = head[sub] - 1;
		while (k >= 0 && a[k].batch != batch)
			k = a[k].next;
		if (k < 0) {
			if (mr_vec_grow(&a, &capa, na, sizeof *a)) {
				mr_finalize(st);
				goto nomem;
			}
			k = (int32_t)na++;
			a[k] = (acc){ batch, 0, line, line, head[sub] - 1 };
			head[sub] = k + 1;
		}
		a[k].count++;
		if (line < a[k].lo)
			a[k].lo = line;
		if (line > a[k].hi)
			a[k].hi = line;
	}
	if (r != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "tracing measurements");
		mr_finalize(st);
		goto done;
	}
	mr_finalize(st);
	if (!na)
		goto done;
	/* the subjects' names */
	if (!(st = mr_sql_prepare(s, "SELECT id, login, indicator FROM subject", err))) {
		rc = MR_EDB;
		goto done;
	}
	while ((r = mr_step(st)) == SQLITE_ROW) {
		int64_t id = mr_col_i64(st, 0);
		if (id < 1 || id > maxid || !head[id])
			continue;
		names[id].login = mr_sql_col(st, 1);
		if (!(names[id].indicator = mr_sql_col(st, 2)))
			rc = MR_ENOMEM;
	}
	mr_finalize(st);
	if (rc)
		goto nomem;
	if (!(t = calloc(na, sizeof *t)))
		goto nomem;
	for (int64_t id = 1; id <= maxid; id++) {
		for (int32_t k = head[id] - 1; k >= 0; k = a[k].next) {
			mr_subject_trace *x = &t[nout++];
			x->t.batch = a[k].batch;
			x->t.count = a[k].count;
			x->t.first_line = a[k].lo;
			x->t.last_line = a[k].hi;
			if ((names[id].login && !(x->login = strdup(names[id].login))) ||
			    !(x->t.indicator = strdup(names[id].indicator ? names[id].indicator : "")))
				goto nomem;
		}
	}
	/* the batches' sources and files */
	if (!(st = mr_sql_prepare(s, "SELECT source, file, how FROM batch WHERE id = ?", err))) {
		rc = MR_EDB;
		goto done;
	}
	qsort(t, nout, sizeof *t, trace_cmp);
	for (size_t i = 0; i < nout && !rc; i++) {
		mr_reset(st);
		mr_bind_i64(st, 1, t[i].t.batch);
		if (mr_step(st) == SQLITE_ROW) {
			t[i].t.source = mr_sql_col(st, 0);
			t[i].t.file = mr_sql_col(st, 1);
			if (mr_col_type(st, 2) != SQLITE_NULL && !(t[i].t.how = mr_sql_col(st, 2)))
				rc = mr_err_nomem(err);
		} else {
			t[i].t.source = strdup("");
			t[i].t.file = strdup("");
		}
		if (!t[i].t.source || !t[i].t.file)
			rc = mr_err_nomem(err);
	}
	mr_finalize(st);
	goto done;
nomem:
	rc = mr_err_nomem(err);
done:
	if (names)
		for (int64_t id = 0; id <= maxid; id++) {
			free(names[id].login);
			free(names[id].indicator);
		}
	free(names);
	free(head);
	free(a);
	if (rc) {
		mr_subject_trace_free(t, nout);
	} else {
		*out = t;
		*n = nout;
	}
	return rc;
}

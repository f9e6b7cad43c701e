/* store_rollup.c — monthly aggregates kept in step with the measurements.
 *
 * An import notes each measurement in an in-memory table keyed by
 * (subject, month); before the transaction commits, each entry is merged
 * into the stored rollup with one upsert.  Removing a batch rebuilds the
 * months it touched from the measurements that remain.  Scoring then
 * reads whole months from the rollup and only the partial months at a
 * period's edges from the measurements.
 */
#include "store/store_int.h"
#include "util/buf.h"

#include "util/vec.h"

int mr_month_of(int day)
{
	int y, m, d;
	mr_day_to_civil(day, &y, &m, &d);
	return y * 12 + m - 1;
}

/* (subject, month) as one key, exactly: months are below 2^20 */
static uint64_t key_of(int64_t subject, int month)
{
	return (uint64_t)subject << 20 | ((uint64_t)(unsigned)month & 0xfffff);
}

int mr_rollup_note(mr_store *s, int64_t subject, int day, double value, double den,
                   int64_t id, mr_err *err)
{
	mr_rollup_acc *a = &s->pending;
	int month = mr_month_of(day);
	uint64_t key = key_of(subject, month);
	uint32_t i = mr_map_get(&a->map, key);
	if (i == MR_MAP_NONE) {
		struct mr_rollup_entry *e = a->n < UINT32_MAX ? MR_VEC_PUSH(a->e, a->n, a->cap) : NULL;
		if (!e || mr_map_put(&a->map, key, (uint32_t)(a->n - 1))) {
			a->n -= e != NULL;
			return mr_err_nomem(err);
		}
		e->subject = subject;
		e->month = month;
		mr_agg_init(&e->agg);
		e->last_id = 0;
		i = (uint32_t)(a->n - 1);
	}
	struct mr_rollup_entry *e = &a->e[i];
	/* rows come in id order, so a tie on the day goes to this one */
	mr_agg_add(&e->agg, day, value, den);
	if (e->agg.last_day == day)
		e->last_id = id;
	return 0;
}

void mr_rollup_discard(mr_store *s)
{
	free(s->pending.e);
	mr_map_release(&s->pending.map);
	memset(&s->pending, 0, sizeof s->pending);
}

#define ROLLUP_INTO "INSERT INTO rollup AS r(subject_id, month, n, sum, den, min, max, last_day," \
	" last_id, last) "
/* a row already there takes in the new one */
#define ROLLUP_MERGE \
	" ON CONFLICT(month, subject_id) DO UPDATE SET n = r.n + excluded.n," \
	" sum = r.sum + excluded.sum, den = r.den + excluded.den," \
	" min = CASE WHEN excluded.min < r.min THEN excluded.min ELSE r.min END," \
	" max = CASE WHEN excluded.max > r.max THEN excluded.max ELSE r.max END," \
	" last = CASE WHEN excluded.last_day > r.last_day OR (excluded.last_day = r.last_day" \
	"   AND excluded.last_id > r.last_id) THEN excluded.last ELSE r.last END," \
	" last_id = CASE WHEN excluded.last_day > r.last_day OR (excluded.last_day =" \
	"   r.last_day AND excluded.last_id > r.last_id) THEN excluded.last_id" \
	"   ELSE r.last_id END," \
	" last_day = CASE WHEN excluded.last_day > r.last_day THEN excluded.last_day" \
	"   ELSE r.last_day END"

/* The upsert of n rollup rows at once, on SQLite (a statement a row costs
 * more than the row): NULL on error. */
static mr_stmt *rollup_put(mr_store *s, size_t n, mr_err *err)
{
	mr_buf sql;
	mr_buf_init(&sql);
	mr_buf_puts(&sql, ROLLUP_INTO "VALUES ");
	for (size_t i = 0; i < n; i++)
		mr_buf_puts(&sql, i ? ",(?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?)");
	mr_buf_puts(&sql, ROLLUP_MERGE);
	mr_stmt *st = mr_buf_oom(&sql) ? NULL : mr_sql_prepare(s, sql.data, err);
	if (mr_buf_oom(&sql))
		mr_err_nomem(err);
	mr_buf_release(&sql);
	return st;
}

/* PostgreSQL: ROLLUP_PG_ROWS rows a statement, each column as one array
 * (a year of 1,000 people's 10 indicators is 120,000 rows: 15 round trips,
 * not 1,875 of 64 rows' VALUES). */
#define ROLLUP_PG_ROWS 8192
#define ROLLUP_COLS 10

static int rollup_flush_pg(mr_store *s, mr_err *err)
{
	mr_rollup_acc *a = &s->pending;
	mr_buf col[ROLLUP_COLS];
	int rc = 0;
	mr_stmt *st = s->st[ST_ROLLUP_PUT];
	if (!st && !(st = s->st[ST_ROLLUP_PUT] = mr_sql_prepare(s, ROLLUP_INTO
	             "SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::float8[],"
	             " ?::float8[], ?::float8[], ?::float8[], ?::bigint[], ?::bigint[],"
	             " ?::float8[])" ROLLUP_MERGE, err))) {
		mr_rollup_discard(s);
		return err && err->code ? err->code : MR_EDB;
	}
	for (int c = 0; c < ROLLUP_COLS; c++)
		mr_buf_init(&col[c]);
	for (size_t done = 0; done < a->n && !rc;) {
		size_t n = a->n - done < ROLLUP_PG_ROWS ? a->n - done : ROLLUP_PG_ROWS;
		for (int c = 0; c < ROLLUP_COLS; c++) {
			mr_buf_reset(&col[c]);
			mr_buf_putc(&col[c], '{');
		}
		for (size_t i = 0; i < n; i++) {
			const struct mr_rollup_entry *e = &a->e[done + i];
			if (i)
				for (int c = 0; c < ROLLUP_COLS; c++)
					mr_buf_putc(&col[c], ',');
			mr_buf_i64(&col[0], e->subject);
			mr_buf_i64(&col[1], e->month);
			mr_buf_i64(&col[2], e->agg.n);
			mr_buf_f64(&col[3], e->agg.sum);
			mr_buf_f64(&col[4], e->agg.den);
			mr_buf_f64(&col[5], e->agg.min);
			mr_buf_f64(&col[6], e->agg.max);
			mr_buf_i64(&col[7], e->agg.last_day);
			mr_buf_i64(&col[8], e->last_id);
			mr_buf_f64(&col[9], e->agg.last);
		}
		mr_reset(st);
		for (int c = 0; c < ROLLUP_COLS && !rc; c++) {
			mr_buf_putc(&col[c], '}');
			/* (the placeholders are the SQL's ten: a bind fails for memory only) */
			if (mr_buf_oom(&col[c]) || mr_bind_text(st, c + 1, col[c].data, (int)col[c].len))
				rc = mr_err_nomem(err);
		}
		if (!rc && mr_step(st) != SQLITE_DONE)
			rc = mr_q_err(s->q, err, "updating the monthly totals");
		mr_reset(st);
		mr_clear(st);        /* the arrays' copies, megabytes, not kept till next time */
		done += n;
	}
	for (int c = 0; c < ROLLUP_COLS; c++)
		mr_buf_release(&col[c]);
	mr_rollup_discard(s);
	return rc;
}

int mr_rollup_flush(mr_store *s, mr_err *err)
{
	mr_rollup_acc *a = &s->pending;
	int rc = 0;
	if (mr_store_on_pg(s) && a->n)
		return rollup_flush_pg(s, err);
	for (size_t done = 0; done < a->n && !rc;) {
		/* each (subject, month) is once in the accumulator: no row of a
		 * statement updates another's */
		size_t n = a->n - done < MR_ROWS_PER_INSERT ? a->n - done : MR_ROWS_PER_INSERT;
		mr_stmt *st = n == MR_ROWS_PER_INSERT ? s->st[ST_ROLLUP_PUT] : NULL;
		if (!st && !(st = rollup_put(s, n, err))) {
			rc = err && err->code ? err->code : MR_EDB;
			break;
		}
		if (n == MR_ROWS_PER_INSERT)
			s->st[ST_ROLLUP_PUT] = st;
		mr_reset(st);
		for (size_t i = 0; i < n; i++) {
			const struct mr_rollup_entry *e = &a->e[done + i];
			int k = (int)i * 10;
			mr_bind_i64(st, k + 1, e->subject);
			mr_bind_i64(st, k + 2, e->month);
			mr_bind_i64(st, k + 3, e->agg.n);
			mr_bind_f64(st, k + 4, e->agg.sum);
			mr_bind_f64(st, k + 5, e->agg.den);
			mr_bind_f64(st, k + 6, e->agg.min);
			mr_bind_f64(st, k + 7, e->agg.max);
			mr_bind_i64(st, k + 8, e->agg.last_day);
			mr_bind_i64(st, k + 9, e->last_id);
			mr_bind_f64(st, k + 10, e->agg.last);
		}
		if (mr_step(st) != SQLITE_DONE)
			rc = mr_q_err(s->q, err, "updating the monthly totals");
		mr_reset(st);
		if (st != s->st[ST_ROLLUP_PUT])
			mr_finalize(st);
		done += n;
	}
	mr_rollup_discard(s);
	return rc;
}

static int first_day_of_month(int month)
{
	return mr_day_from_civil(month / 12, month % 12 + 1, 1);
}

int mr_rollup_rebuild(mr_store *s, int m1, int m2, mr_err *err)
{
	int rc = 0, r;
	mr_stmt *st;
	if ((rc = mr_measure_flush(s, err)) || (rc = mr_rollup_flush(s, err)))
		return rc;
	if (!(st = mr_sql_prepare(s, "DELETE FROM rollup WHERE month BETWEEN ? AND ?", err)))
		return MR_EDB;
	mr_bind_i64(st, 1, m1);
	mr_bind_i64(st, 2, m2);
	r = mr_step(st);
	mr_finalize(st);
	if (r != SQLITE_DONE)
		return mr_q_err(s->q, err, "clearing the monthly totals");
	if (!(st = mr_sql_prepare(s, "SELECT id, subject_id, day, value, denominator FROM measurement"
	                          " WHERE day BETWEEN ? AND ?"
	                          " AND batch_id NOT IN (SELECT batch_id FROM loading) ORDER BY id", err)))
		return MR_EDB;
	mr_bind_i64(st, 1, first_day_of_month(m1));
	mr_bind_i64(st, 2, first_day_of_month(m2 + 1) - 1);
	while (!rc && (r = mr_step(st)) == SQLITE_ROW)
		rc = mr_rollup_note(s, mr_col_i64(st, 1), (int)mr_col_i64(st, 2),
		                    mr_col_f64(st, 3), mr_col_f64(st, 4),
		                    mr_col_i64(st, 0), err);
	if (!rc && r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "reading measurements");
	mr_finalize(st);
	return rc ? rc : mr_rollup_flush(s, err);
}

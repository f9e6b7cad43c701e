/* store_load.c — gather what the scoring engine needs for one period.
 *
 * Measurements are read once and folded into one
 * accumulator per indicator and subject (core's mr_agg), so scoring a year
 * of daily data keeps memory to the number of subjects.
 */
#include "store/store_int.h"

#include "util/vec.h"

struct mr_loaded {
	mr_staff *staff;     size_t nstaff;
	mr_person *people;
	mr_actual *actuals;  size_t nactuals;
	mr_rating *ratings;  size_t nratings;
	mr_calibration *calibrations; size_t ncalibrations;
	char **strings;      size_t nstrings, capstrings;   /* owned copies */
};

void mr_loaded_free(mr_loaded *l)
{
	if (!l)
		return;
	mr_staff_list_free(l->staff, l->nstaff);
	free(l->people);
	free(l->actuals);
	free(l->ratings);
	free(l->calibrations);
	for (size_t i = 0; i < l->nstrings; i++)
		free(l->strings[i]);
	free(l->strings);
	free(l);
}

/* Keep a column's text for the life of l; NULL for SQL NULL. */
static const char *keep(mr_loaded *l, mr_stmt *st, int col, int *oom)
{
	if (mr_col_type(st, col) == SQLITE_NULL)
		return NULL;
	char *s;
	if (mr_vec_grow(&l->strings, &l->capstrings, l->nstrings, sizeof *l->strings) ||
	    !(s = mr_sql_col(st, col))) {
		*oom = 1;
		return NULL;
	}
	return l->strings[l->nstrings++] = s;
}

/* Stream the period's measurements into one accumulator per subject
 * (indicator and login): the subjects are read first into an array by id,
 * then each row is four numbers folded into its slot.  Memory grows with
 * subjects, not with rows. */
static int load_actuals(mr_store *s, mr_loaded *l, const mr_period *p, mr_err *err)
{
	int rc = 0, r, oom = 0;
	int64_t maxid = 0;
	mr_actual *by_id = NULL;     /* index = subject id */
	mr_stmt *st;
	if ((rc = mr_subject_max(s, &maxid, err)) || maxid <= 0)
		return rc;
	if (!(by_id = calloc((size_t)maxid + 1, sizeof *by_id)))
		return mr_err_nomem(err);
	if (!(st = mr_sql_prepare(s, "SELECT id, indicator, login FROM subject", err))) {
		free(by_id);
		return MR_EDB;
	}
	while ((r = mr_step(st)) == SQLITE_ROW && !oom) {
		int64_t id = mr_col_i64(st, 0);
		if (id < 1 || id > maxid)
			continue;
		by_id[id].indicator = keep(l, st, 1, &oom);
		by_id[id].login = keep(l, st, 2, &oom);
		mr_agg_init(&by_id[id].agg);
	}
	if (!oom && r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "reading the subjects");
	mr_finalize(st);
	if (rc) {
		free(by_id);
		return rc;
	}
	if (oom) {
		free(by_id);
		return mr_err_nomem(err);
	}

	/* Whole months come from the rollup; the partial months at the
	 * period's edges from the measurements themselves, in id order (a tie
	 * on the day goes to the later measurement, as mr_agg_add wants). */
	int m1 = mr_month_of(p->first), m2 = mr_month_of(p->last);
	int y, m, d;
	mr_day_to_civil(p->first, &y, &m, &d);
	if (d != 1)
		m1++;
	mr_day_to_civil(p->last + 1, &y, &m, &d);
	if (d != 1)
		m2--;
	int ranges[2][2], nranges = 0;
	if (m1 > m2) {                       /* no whole month: all from the rows */
		ranges[nranges][0] = p->first;
		ranges[nranges++][1] = p->last;
	} else {
		int start = mr_day_from_civil(m1 / 12, m1 % 12 + 1, 1);
		int end = mr_day_from_civil((m2 + 1) / 12, (m2 + 1) % 12 + 1, 1) - 1;
		if (p->first < start) {
			ranges[nranges][0] = p->first;
			ranges[nranges++][1] = start - 1;
		}
		if (p->last > end) {
			ranges[nranges][0] = end + 1;
			ranges[nranges++][1] = p->last;
		}
		if (!(st = mr_sql_prepare(s, "SELECT subject_id, n, sum, den, min, max, last_day, last"
		                          " FROM rollup WHERE month BETWEEN ? AND ?"
		                          " ORDER BY month", err))) {
			free(by_id);
			return MR_EDB;
		}
		mr_bind_i64(st, 1, m1);
		mr_bind_i64(st, 2, m2);
		while ((r = mr_step(st)) == SQLITE_ROW) {
			int64_t id = mr_col_i64(st, 0);
			mr_agg b;
			if (id < 1 || id > maxid)
				continue;
			b.n = (long)mr_col_i64(st, 1);
			b.sum = mr_col_f64(st, 2);
			b.den = mr_col_f64(st, 3);
			b.min = mr_col_f64(st, 4);
			b.max = mr_col_f64(st, 5);
			b.last_day = (int)mr_col_i64(st, 6);
			b.last = mr_col_f64(st, 7);
			mr_agg_merge(&by_id[id].agg, &b);
		}
		if (r != SQLITE_DONE)
			rc = mr_q_err(s->q, err, "reading the monthly totals");
		mr_finalize(st);
	}
	for (int k = 0; !rc && k < nranges; k++) {
		if (!(st = mr_sql_prepare(s, "SELECT subject_id, day, value, denominator FROM measurement"
		                          " WHERE day BETWEEN ? AND ?"
		                          " AND batch_id NOT IN (SELECT batch_id FROM loading)"
		                          " ORDER BY id", err))) {
			rc = MR_EDB;
			break;
		}
		mr_bind_i64(st, 1, ranges[k][0]);
		mr_bind_i64(st, 2, ranges[k][1]);
		while ((r = mr_step(st)) == SQLITE_ROW) {
			int64_t id = mr_col_i64(st, 0);
			if (id < 1 || id > maxid)
				continue;
			mr_agg_add(&by_id[id].agg, (int)mr_col_i64(st, 1),
			           mr_col_f64(st, 2), mr_col_f64(st, 3));
		}
		if (r != SQLITE_DONE)
			rc = mr_q_err(s->q, err, "reading measurements");
		mr_finalize(st);
	}

	/* Keep the subjects that had data in the period. */
	size_t n = 0;
	for (int64_t id = 1; !rc && id <= maxid; id++)
		if (by_id[id].agg.n && by_id[id].indicator)
			by_id[n++] = by_id[id];
	if (!rc) {
		l->actuals = by_id;
		l->nactuals = n;
	} else {
		free(by_id);
	}
	return rc;
}

static int load_ratings(mr_store *s, mr_loaded *l, const mr_period *p, mr_err *err)
{
	int r, oom = 0;
	size_t cap = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT login, kind, rater, criterion, stars"
	                                  " FROM rating WHERE period = ?"
	                                  " ORDER BY login, kind, rater, criterion", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, p->label);
	while ((r = mr_step(st)) == SQLITE_ROW) {
		mr_rating *x = MR_VEC_PUSH(l->ratings, l->nratings, cap);
		if (!x) {
			oom = 1;
			break;
		}
		const char *kind = (const char *)mr_col_text(st, 1);
		x->login = keep(l, st, 0, &oom);
		x->kind = strcmp(kind, "self") == 0 ? MR_RATER_SELF
		        : strcmp(kind, "manager") == 0 ? MR_RATER_MANAGER
		        : strcmp(kind, "upward") == 0 ? MR_RATER_UPWARD : MR_RATER_PEER;
		x->rater = keep(l, st, 2, &oom);
		x->criterion = keep(l, st, 3, &oom);
		x->stars = mr_col_f64(st, 4);
		if (oom)
			break;
	}
	int rc = oom ? mr_err_nomem(err)
	       : r != SQLITE_DONE && r != SQLITE_ROW ? mr_q_err(s->q, err, "reading ratings") : 0;
	mr_finalize(st);
	return rc;
}

static int load_calibrations(mr_store *s, mr_loaded *l, const mr_period *p, mr_err *err)
{
	int r, oom = 0;
	size_t cap = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT login, grade, reason FROM calibration"
	                                  " WHERE period = ? ORDER BY login", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, p->label);
	while ((r = mr_step(st)) == SQLITE_ROW) {
		mr_calibration *x = MR_VEC_PUSH(l->calibrations, l->ncalibrations, cap);
		if (!x) {
			oom = 1;
			break;
		}
		x->login = keep(l, st, 0, &oom);
		x->grade = keep(l, st, 1, &oom);
		x->reason = keep(l, st, 2, &oom);
		if (oom)
			break;
	}
	int rc = oom ? mr_err_nomem(err)
	       : r != SQLITE_DONE && r != SQLITE_ROW ? mr_q_err(s->q, err, "reading calibrations")
	       : 0;
	mr_finalize(st);
	return rc;
}

int mr_store_load(mr_store *s, const mr_plan *plan, const mr_period *period,
                  mr_score_input *in, mr_loaded **out, mr_err *err)
{
	int rc;
	mr_loaded *l = calloc(1, sizeof *l);
	*out = NULL;
	memset(in, 0, sizeof *in);
	if (!l)
		return mr_err_nomem(err);
	if ((rc = mr_measure_flush(s, err)) || (rc = mr_rollup_flush(s, err))) {
		free(l);
		return rc;
	}
	if ((rc = mr_store_staff_list(s, &l->staff, &l->nstaff, err)))
		goto fail;
	if (l->nstaff && !(l->people = calloc(l->nstaff, sizeof *l->people))) {
		rc = mr_err_nomem(err);
		goto fail;
	}
	for (size_t i = 0; i < l->nstaff; i++) {
		const mr_staff *st = &l->staff[i];
		mr_person *p = &l->people[i];
		p->login = st->login;
		p->name = st->name;
		p->position = st->position;
		p->reviewer = st->reviewer;
		p->manager = st->manager;
		p->from = st->from;
		p->to = st->to;
		p->has_base_bonus = st->has_base_bonus;
		p->base_bonus_cents = st->base_bonus_cents;
	}
	if ((rc = load_actuals(s, l, period, err)) || (rc = load_ratings(s, l, period, err)) ||
	    (rc = load_calibrations(s, l, period, err)))
		goto fail;
	in->plan = plan;
	in->period = *period;
	in->people = l->people;
	in->npeople = l->nstaff;
	in->actuals = l->actuals;
	in->nactuals = l->nactuals;
	in->ratings = l->ratings;
	in->nratings = l->nratings;
	in->calibrations = l->calibrations;
	in->ncalibrations = l->ncalibrations;
	*out = l;
	return 0;
fail:
	mr_loaded_free(l);
	return rc;
}

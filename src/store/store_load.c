/* store_load.c — gather what the scoring engine needs for one period.
 *
 * Measurements are aggregated inside SQLite (one pass over the
 * (indicator, login, day) index), so scoring a year of daily data reads
 * each row once and keeps only one accumulator per indicator and subject.
 */
#include "store/store_int.h"

struct mr_loaded {
	mr_staff *staff;     size_t nstaff;
	mr_person *people;
	mr_actual *actuals;  size_t nactuals;
	mr_rating *ratings;  size_t nratings;
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
	for (size_t i = 0; i < l->nstrings; i++)
		free(l->strings[i]);
	free(l->strings);
	free(l);
}

/* Keep a column's text for the life of l; NULL for SQL NULL. */
static const char *keep(mr_loaded *l, sqlite3_stmt *st, int col, int *oom)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	if (l->nstrings == l->capstrings) {
		size_t cap = l->capstrings ? l->capstrings * 2 : 64;
		char **p = realloc(l->strings, cap * sizeof *p);
		if (!p) {
			*oom = 1;
			return NULL;
		}
		l->strings = p;
		l->capstrings = cap;
	}
	char *s = mr_sql_col(st, col);
	if (!s) {
		*oom = 1;
		return NULL;
	}
	return l->strings[l->nstrings++] = s;
}

static int load_actuals(mr_store *s, mr_loaded *l, const mr_plan *plan,
                        const mr_period *p, mr_err *err)
{
	int rc = 0, r, oom = 0;
	size_t cap = 0;
	sqlite3_stmt *last = NULL;
	sqlite3_stmt *st = mr_sql_prepare(s,
		"SELECT indicator, login, count(*), sum(value), total(denominator),"
		" min(value), max(value), max(day) FROM measurement"
		" WHERE day BETWEEN ?1 AND ?2 GROUP BY indicator, login", err);
	if (!st)
		return MR_EDB;
	sqlite3_bind_int(st, 1, p->first);
	sqlite3_bind_int(st, 2, p->last);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (l->nactuals == cap) {
			cap = cap ? cap * 2 : 64;
			mr_actual *a = realloc(l->actuals, cap * sizeof *a);
			if (!a) {
				oom = 1;
				break;
			}
			l->actuals = a;
		}
		mr_actual *a = &l->actuals[l->nactuals++];
		memset(a, 0, sizeof *a);
		a->indicator = keep(l, st, 0, &oom);
		a->login = keep(l, st, 1, &oom);
		a->agg.n = (long)sqlite3_column_int64(st, 2);
		a->agg.sum = sqlite3_column_double(st, 3);
		a->agg.den = sqlite3_column_double(st, 4);
		a->agg.min = sqlite3_column_double(st, 5);
		a->agg.max = sqlite3_column_double(st, 6);
		a->agg.last_day = sqlite3_column_int(st, 7);
		a->agg.last = 0;
		if (oom)
			break;
	}
	if (oom)
		rc = mr_err_set(err, MR_ENOMEM, "out of memory");
	else if (r != SQLITE_DONE && r != SQLITE_ROW)
		rc = mr_sql_err(s->db, err, "reading measurements");
	sqlite3_finalize(st);
	if (rc)
		return rc;

	/* `last` needs the value on the latest day: one index probe each. */
	for (size_t i = 0; i < l->nactuals; i++) {
		mr_actual *a = &l->actuals[i];
		const mr_indicator *ind = mr_plan_indicator(plan, a->indicator);
		if (!ind || ind->aggregate != MR_AGG_LAST)
			continue;
		if (!last && !(last = mr_sql_prepare(s, "SELECT value FROM measurement"
		                    " WHERE indicator = ? AND login IS ? AND day = ?"
		                    " ORDER BY id DESC LIMIT 1", err)))
			return MR_EDB;
		sqlite3_reset(last);
		mr_sql_text(last, 1, a->indicator);
		mr_sql_text(last, 2, a->login);
		sqlite3_bind_int(last, 3, a->agg.last_day);
		if (sqlite3_step(last) == SQLITE_ROW)
			a->agg.last = sqlite3_column_double(last, 0);
	}
	sqlite3_finalize(last);
	return 0;
}

static int load_ratings(mr_store *s, mr_loaded *l, const mr_period *p, mr_err *err)
{
	int r, oom = 0;
	size_t cap = 0;
	sqlite3_stmt *st = mr_sql_prepare(s, "SELECT login, kind, rater, criterion, stars"
	                                  " FROM rating WHERE period = ?"
	                                  " ORDER BY login, kind, rater, criterion", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, p->label);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (l->nratings == cap) {
			cap = cap ? cap * 2 : 32;
			mr_rating *x = realloc(l->ratings, cap * sizeof *x);
			if (!x) {
				oom = 1;
				break;
			}
			l->ratings = x;
		}
		mr_rating *x = &l->ratings[l->nratings++];
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		x->login = keep(l, st, 0, &oom);
		x->kind = strcmp(kind, "self") == 0 ? MR_RATER_SELF
		        : strcmp(kind, "manager") == 0 ? MR_RATER_MANAGER : MR_RATER_PEER;
		x->rater = keep(l, st, 2, &oom);
		x->criterion = keep(l, st, 3, &oom);
		x->stars = sqlite3_column_double(st, 4);
		if (oom)
			break;
	}
	int rc = oom ? mr_err_set(err, MR_ENOMEM, "out of memory")
	       : r != SQLITE_DONE && r != SQLITE_ROW ? mr_sql_err(s->db, err, "reading ratings") : 0;
	sqlite3_finalize(st);
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
		return mr_err_set(err, MR_ENOMEM, "out of memory");
	if ((rc = mr_store_staff_list(s, &l->staff, &l->nstaff, err)))
		goto fail;
	if (l->nstaff && !(l->people = calloc(l->nstaff, sizeof *l->people))) {
		rc = mr_err_set(err, MR_ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < l->nstaff; i++) {
		const mr_staff *st = &l->staff[i];
		mr_person *p = &l->people[i];
		p->login = st->login;
		p->name = st->name;
		p->position = st->position;
		p->manager = st->manager;
		p->from = st->from;
		p->to = st->to;
		p->has_base_bonus = st->has_base_bonus;
		p->base_bonus_cents = st->base_bonus_cents;
	}
	if ((rc = load_actuals(s, l, plan, period, err)) || (rc = load_ratings(s, l, period, err)))
		goto fail;
	in->plan = plan;
	in->period = *period;
	in->people = l->people;
	in->npeople = l->nstaff;
	in->actuals = l->actuals;
	in->nactuals = l->nactuals;
	in->ratings = l->ratings;
	in->nratings = l->nratings;
	*out = l;
	return 0;
fail:
	mr_loaded_free(l);
	return rc;
}

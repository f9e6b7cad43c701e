/* store_load.c — gather what the scoring engine needs for one period.
 *
 * Measurements are read once, in day order, and folded into one
 * accumulator per indicator and subject (core's mr_agg), so scoring a year
 * of daily data keeps memory to the number of subjects.
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

/* Open addressing over (indicator, login) -> index into l->actuals. */
struct slot_map {
	size_t *slot;        /* index + 1; 0 = empty */
	size_t cap;          /* power of two */
};

static uint64_t hash2(const unsigned char *a, const unsigned char *b)
{
	uint64_t h = 1469598103934665603ull;       /* FNV-1a */
	for (; *a; a++)
		h = (h ^ *a) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	if (b)
		for (; *b; b++)
			h = (h ^ *b) * 1099511628211ull;
	return h;
}

static int same(const char *x, const unsigned char *y)
{
	if (!x || !y)
		return !x && !y;
	return strcmp(x, (const char *)y) == 0;
}

static int grow_map(struct slot_map *m, const mr_loaded *l)
{
	size_t cap = m->cap ? m->cap * 2 : 256;
	size_t *slot = calloc(cap, sizeof *slot);
	if (!slot)
		return -1;
	for (size_t i = 0; i < l->nactuals; i++) {
		const mr_actual *a = &l->actuals[i];
		size_t j = hash2((const unsigned char *)a->indicator,
		                 (const unsigned char *)a->login) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = i + 1;
	}
	free(m->slot);
	m->slot = slot;
	m->cap = cap;
	return 0;
}

/* Stream the period's measurements in day order (the day index) into one
 * accumulator per indicator and subject; memory grows with subjects, not
 * with rows. */
static int load_actuals(mr_store *s, mr_loaded *l, const mr_period *p, mr_err *err)
{
	int rc = 0, r = SQLITE_DONE, oom = 0;
	size_t cap = 0;
	struct slot_map map = { NULL, 0 };
	sqlite3_stmt *st = mr_sql_prepare(s,
		"SELECT indicator, login, day, value, denominator FROM measurement"
		" WHERE day BETWEEN ?1 AND ?2 ORDER BY day, id", err);
	if (!st)
		return MR_EDB;
	sqlite3_bind_int(st, 1, p->first);
	sqlite3_bind_int(st, 2, p->last);
	while (!oom && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *ind = sqlite3_column_text(st, 0);
		const unsigned char *login = sqlite3_column_text(st, 1);
		if (!ind)
			continue;
		if ((l->nactuals + 1) * 2 > map.cap && grow_map(&map, l)) {
			oom = 1;
			break;
		}
		size_t j = hash2(ind, login) & (map.cap - 1);
		while (map.slot[j]) {
			const mr_actual *a = &l->actuals[map.slot[j] - 1];
			if (same(a->indicator, ind) && same(a->login, login))
				break;
			j = (j + 1) & (map.cap - 1);
		}
		if (!map.slot[j]) {
			if (l->nactuals == cap) {
				cap = cap ? cap * 2 : 64;
				mr_actual *na = realloc(l->actuals, cap * sizeof *na);
				if (!na) {
					oom = 1;
					break;
				}
				l->actuals = na;
			}
			mr_actual *a = &l->actuals[l->nactuals];
			memset(a, 0, sizeof *a);
			a->indicator = keep(l, st, 0, &oom);
			a->login = keep(l, st, 1, &oom);
			mr_agg_init(&a->agg);
			map.slot[j] = ++l->nactuals;
		}
		mr_agg_add(&l->actuals[map.slot[j] - 1].agg, sqlite3_column_int(st, 2),
		           sqlite3_column_double(st, 3), sqlite3_column_double(st, 4));
	}
	if (oom)
		rc = mr_err_set(err, MR_ENOMEM, "out of memory");
	else if (r != SQLITE_DONE)
		rc = mr_sql_err(s->db, err, "reading measurements");
	sqlite3_finalize(st);
	free(map.slot);
	return rc;
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
	if ((rc = load_actuals(s, l, period, err)) || (rc = load_ratings(s, l, period, err)))
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

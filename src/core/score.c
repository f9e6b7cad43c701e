/* score.c — the appraisal itself (SPEC section 4), as pure computation.
 *
 * KPI and rating components, coverage and who is scored, the blend or
 * formula, and the run over a whole team (aggregates and the four rules
 * are in rule.c, grades and bonuses in grade.c).  Everything here is deterministic and free of I/O so that the CLI,
 * the web server and the tests all get the same numbers from the same
 * input.  Scores stay exact while computing; only the final score is
 * rounded (mr_round2), and that rounded value decides the grade.
 */
#include "core/score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/formula.h"
#include "util/buf.h"
#include "util/num.h"

static const char *const comp_names[MR_NCOMP] = { "kpi", "manager", "self", "peer", "upward" };

/* ---- ratings ---- */

int mr_rater_score(double *out, const mr_plan *p, const char *position, const mr_rating *r,
                   size_t n)
{
	double scale = p->rating_scale > 0 ? p->rating_scale : 5;
	double sum = 0;
	int rated = 0;
	size_t ncrit;
	const mr_criterion *crit = mr_plan_criteria(p, position, &ncrit);
	/* SPEC: Σ weight × points ÷ 100 — a criterion the rater left out
	 * counts 0 (the CLI says so when a rating leaves one out). */
	for (size_t c = 0; c < ncrit; c++) {
		const mr_rating *hit = NULL;
		for (size_t i = 0; i < n; i++)          /* the last rating wins */
			if (r[i].criterion && strcmp(r[i].criterion, crit[c].key) == 0)
				hit = &r[i];
		if (!hit)
			continue;
		rated = 1;
		sum += crit[c].weight * (hit->stars / scale * 100.0);
	}
	if (!rated)
		return MR_ENOTFOUND;
	*out = sum / 100.0;
	return 0;
}

/* ---- one person ---- */

static char *dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static const mr_position *find_position(const mr_plan *p, const char *key)
{
	for (size_t i = 0; key && i < p->npositions; i++)
		if (p->positions[i].key && strcmp(p->positions[i].key, key) == 0)
			return &p->positions[i];
	return NULL;
}

static const mr_indicator *find_indicator(const mr_plan *p, const char *key)
{
	for (size_t i = 0; key && i < p->nindicators; i++)
		if (p->indicators[i].key && strcmp(p->indicators[i].key, key) == 0)
			return &p->indicators[i];
	return NULL;
}

static int same(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Order of actuals: by indicator, then login, the team (NULL) first. */
static int cmp_subject(const char *ind_a, const char *login_a, const char *ind_b,
                       const char *login_b)
{
	int c = strcmp(ind_a ? ind_a : "", ind_b ? ind_b : "");
	if (c)
		return c;
	if (!login_a || !login_b)
		return !login_a ? (login_b ? -1 : 0) : 1;
	return strcmp(login_a, login_b);
}

static int by_subject(const void *a, const void *b)
{
	const mr_actual *x = a, *y = b;
	return cmp_subject(x->indicator, x->login, y->indicator, y->login);
}

/* The aggregate of `key` for `login` (NULL: the team), all matching
 * actuals folded together.  in->actuals is sorted by_subject (see
 * mr_score_run), so this is a binary search, not a scan: scoring a
 * thousand people stays linear in people × indicators. */
static void find_actual(mr_agg *out, const mr_score_input *in, const char *key,
                        const char *login)
{
	size_t lo = 0, hi = in->nactuals;
	mr_agg_init(out);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const mr_actual *m = &in->actuals[mid];
		if (cmp_subject(m->indicator, m->login, key, login) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < in->nactuals &&
	     same(in->actuals[i].indicator, key) && same(in->actuals[i].login, login); i++)
		mr_agg_merge(out, &in->actuals[i].agg);
}

/* Score one KPI into `out`.  `login` NULL: the team view (no overrides).
 * `scale` is the pro-rating factor, applied to sum indicators only. */
static int score_kpi(mr_ind_score *out, const mr_score_input *in, const mr_kpi *kpi,
                     const char *login, double scale, mr_err *err)
{
	const mr_plan *p = in->plan;
	const mr_indicator *ind = find_indicator(p, kpi->indicator);
	if (!ind)
		return mr_err_set(err, MR_EINVALID, "indicator \"%s\" is not in the plan",
		                  kpi->indicator ? kpi->indicator : "");
	mr_kpi k = *kpi;
	for (size_t i = 0; login && i < p->noverrides; i++) {
		const mr_override *o = &p->overrides[i];
		if (!same(o->login, login) || !same(o->indicator, ind->key))
			continue;
		if (o->has_target) {
			k.has_target = 1;
			k.target = o->target;
		}
		if (o->has_threshold) {
			k.has_threshold = 1;
			k.threshold = o->threshold;
		}
	}
	if (ind->aggregate != MR_AGG_SUM)
		scale = 1;
	out->key = dup(ind->key);
	out->name = dup(ind->name ? ind->name : ind->key);
	if (!out->key || !out->name)
		return mr_err_nomem(err);
	out->rule = k.rule;
	out->team = k.team;
	out->weight = k.weight;
	out->has_target = k.has_target;
	out->target = k.has_target ? k.target * scale : 0;
	mr_agg agg;
	find_actual(&agg, in, ind->key, k.team ? NULL : login);
	out->measurements = agg.n;
	if (mr_agg_value(&out->actual, &agg, ind->aggregate) == 0) {
		out->has_actual = 1;
		out->score = mr_rule_score(&k, ind->direction, out->actual, scale);
		out->scored = 1;
	} else {
		out->actual = 0;
		out->missing = 1;
		out->score = 0;
		out->scored = p->missing != MR_MISSING_SKIP;
	}
	return 0;
}

static void list_add(mr_buf *b, const char *name)
{
	if (b->len)
		mr_buf_puts(b, ", ");
	mr_buf_puts(b, name);
}

static char *list_take(mr_buf *b)
{
	return b->len ? mr_buf_detach(b) : (mr_buf_release(b), NULL);
}

/* The rating components of `login` (of `position`): data[c] set and
 * comp[c] filled for manager, self, peer and upward when someone rated at
 * least one of the position's criteria. */
static int rating_components(int *data, double *comp, const mr_score_input *in,
                             const char *login, const char *position)
{
	int rc = 0;
	mr_rating *mine = NULL;
	const char **raters = NULL;
	size_t n = 0, nr;
	mine = malloc((in->nratings ? in->nratings : 1) * sizeof *mine);
	raters = malloc((in->nratings ? in->nratings : 1) * sizeof *raters);
	if (!mine || !raters) {
		rc = MR_ENOMEM;
		goto done;
	}
	static const struct { int comp; mr_rater_kind kind; int per_rater; } kinds[] = {
		{ MR_COMP_SELF, MR_RATER_SELF, 0 },
		{ MR_COMP_MANAGER, MR_RATER_MANAGER, 1 },
		{ MR_COMP_PEER, MR_RATER_PEER, 1 },
		{ MR_COMP_UPWARD, MR_RATER_UPWARD, 1 },
	};
	for (size_t t = 0; t < sizeof kinds / sizeof *kinds; t++) {
		int c = kinds[t].comp;
		/* The distinct raters of this kind, in order of first rating. */
		nr = 0;
		for (size_t i = 0; i < in->nratings; i++) {
			const mr_rating *r = &in->ratings[i];
			if (r->kind != kinds[t].kind || !same(r->login, login))
				continue;
			size_t j = 0;
			while (j < nr && !(kinds[t].per_rater ? same(raters[j], r->rater) : 1))
				j++;
			if (j == nr)
				raters[nr++] = r->rater;
		}
		double sum = 0;
		int scored = 0;
		for (size_t j = 0; j < nr; j++) {
			n = 0;
			for (size_t i = 0; i < in->nratings; i++) {
				const mr_rating *r = &in->ratings[i];
				if (r->kind == kinds[t].kind && same(r->login, login)
				    && (!kinds[t].per_rater || same(r->rater, raters[j])))
					mine[n++] = *r;
			}
			double s;
			if (mr_rater_score(&s, in->plan, position, mine, n) == 0) {
				sum += s;
				scored++;
			}
		}
		if (scored) {
			data[c] = 1;
			comp[c] = sum / scored;
		}
	}
done:
	free(mine);
	free(raters);
	return rc;
}

typedef struct lookup_ctx {
	const mr_scorecard *sc;
	const int *data;          /* component has data */
} lookup_ctx;

static int formula_lookup(double *out, const char *name, void *payload)
{
	const lookup_ctx *x = payload;
	for (int c = 0; c < MR_NCOMP; c++)
		if (strcmp(name, comp_names[c]) == 0) {
			if (!x->data[c])
				return MR_ENOTFOUND;
			*out = x->sc->comp[c];
			return 0;
		}
	for (size_t i = 0; i < x->sc->nind; i++)
		if (strcmp(name, x->sc->ind[i].key) == 0) {
			if (x->sc->ind[i].missing)
				return MR_ENOTFOUND;
			*out = x->sc->ind[i].score;
			return 0;
		}
	return MR_ENOTFOUND;
}

/* The final score, comp/has/counted and left_out of one scorecard.
 * *grounded: the final rests on more than self, peer and upward ratings
 * (the KPI score, the manager's rating, or an indicator of the formula). */
static int final_score(mr_scorecard *sc, const mr_plan *p, const mr_formula *f,
                       const int *data, int *grounded, char **why_not, mr_err *err)
{
	mr_buf left;
	mr_buf_init(&left);
	double v = 0;
	if (!f) {
		double sw = 0, sum = 0;
		for (int c = 0; c < MR_NCOMP; c++) {
			if (p->blend[c] <= 0)
				continue;
			if (!data[c]) {
				list_add(&left, comp_names[c]);
				continue;
			}
			sc->counted[c] = 1;
			sw += p->blend[c];
			sum += p->blend[c] * sc->comp[c];
		}
		v = sw > 0 ? sum / sw : 0;
	} else {
		const char *const *names;
		size_t nn = mr_formula_names(f, &names);
		lookup_ctx x = { sc, data };
		mr_err ferr = MR_ERR_INIT;
		int rc = mr_formula_eval(&v, f, formula_lookup, &x, &ferr);
		if (rc == MR_EINVALID) {
			/* it divides by 0 for this person (a rating of 0, say): they
			 * are not scored, and say why; the others are */
			v = 0;
			if (!(*why_not = dup(ferr.msg ? ferr.msg : "formula: cannot be worked out")))
				rc = MR_ENOMEM;
			else
				rc = 0;
		}
		mr_err_clear(&ferr);
		if (rc) {
			mr_buf_release(&left);
			mr_err_set(err, rc, "scoring %s: %s", sc->login, mr_err_str(rc));
			return rc;
		}
		for (int c = 0; c < MR_NCOMP; c++)
			for (size_t i = 0; i < nn; i++)
				if (strcmp(names[i], comp_names[c]) == 0) {
					if (!data[c])
						list_add(&left, comp_names[c]);
					else
						sc->counted[c] = 1;
				}
		for (size_t i = 0; i < nn; i++) {
			double dummy;
			int is_comp = 0;
			for (int c = 0; c < MR_NCOMP; c++)
				is_comp |= strcmp(names[i], comp_names[c]) == 0;
			if (is_comp)
				continue;
			if (formula_lookup(&dummy, names[i], &x) == MR_ENOTFOUND)
				list_add(&left, names[i]);
			else
				*grounded = 1;
		}
	}
	*grounded |= sc->counted[MR_COMP_KPI] || sc->counted[MR_COMP_MANAGER];
	if (mr_buf_oom(&left)) {
		mr_buf_release(&left);
		return mr_err_nomem(err);
	}
	sc->left_out = list_take(&left);
	if (!isfinite(v)) {
		return mr_err_set(err, MR_EINVALID, "scoring %s: the final score is not a number "
		                  "(a measurement too large?)", sc->login);
	}
	sc->final = mr_round2(v);
	/* Show every component that has data, counted or not (a peer score
	 * with blend weight 0 is still worth seeing); left_out names what
	 * the final score could not count. */
	for (int c = 0; c < MR_NCOMP; c++)
		sc->has[c] = data[c];
	return 0;
}

/* Why a person is not scored (SPEC 4), into *out (NULL when they are):
 * under missing: skip, coverage below min_coverage, or a final that would
 * rest on self, peer and upward ratings alone.  Under zero and require
 * every KPI counts (0 without data), so everyone with a KPI is scored. */
static int not_scored_reason(char **out, const mr_scorecard *sc, const mr_plan *p,
                             int grounded)
{
	mr_buf b;
	*out = NULL;
	mr_buf_init(&b);
	/* the coverage as shown (2 decimals) decides, as the final score
	 * does the grade: 25.14 + 24.86 of 100 is 50, not 49.999… */
	if (p->missing != MR_MISSING_SKIP)
		return 0;
	if (mr_round2(sc->coverage) < p->min_coverage) {
		char have[32], need[32];
		mr_num_format(have, mr_round2(sc->coverage));
		mr_num_format(need, p->min_coverage);
		mr_buf_printf(&b, "KPI coverage %s%% is below the plan's min_coverage %s%%", have,
		              need);
		if (sc->missing)
			mr_buf_printf(&b, " (no data for %s)", sc->missing);
	} else if (!grounded) {
		mr_buf_puts(&b, "no KPI data and no manager rating counted: the final score "
		                "would rest on self, peer and upward ratings alone");
	} else {
		return 0;
	}
	if (mr_buf_oom(&b)) {
		mr_buf_release(&b);
		return MR_ENOMEM;
	}
	*out = mr_buf_detach(&b);
	return 0;
}

static int score_person(mr_scorecard *sc, const mr_score_input *in, const mr_person *pe,
                        int active, const mr_formula *f, mr_err *err)
{
	const mr_plan *p = in->plan;
	int rc = 0, grounded = 0;
	int data[MR_NCOMP] = { 0 };
	char *why_not = NULL;        /* the formula's reason, when it fails */
	mr_buf miss;
	mr_buf_init(&miss);
	const mr_position *pos = find_position(p, pe->position);
	if (!pos)
		return mr_err_set(err, MR_EINVALID, "%s: position \"%s\" is not in the plan",
		                  pe->login, pe->position ? pe->position : "");
	sc->login = dup(pe->login);
	sc->name = dup(pe->name ? pe->name : pe->login);
	sc->position = dup(pos->key);
	sc->active_days = active;
	sc->cycle_days = mr_period_days(&in->period);
	sc->ind = calloc(pos->nkpis ? pos->nkpis : 1, sizeof *sc->ind);
	if (!sc->login || !sc->name || !sc->position || !sc->ind) {
		rc = mr_err_nomem(err);
		goto done;
	}
	double scale = (double)active / (double)sc->cycle_days;
	double sw = 0, sum = 0, wall = 0, wdata = 0;
	for (size_t i = 0; i < pos->nkpis; i++) {
		mr_ind_score *is = &sc->ind[sc->nind++];
		if ((rc = score_kpi(is, in, &pos->kpis[i], pe->login, scale, err))) {
			mr_err_prefix(err, "scoring %s (position %s)", pe->login, pos->key);
			goto done;
		}
		wall += is->weight;
		if (is->missing)
			list_add(&miss, is->key);
		else
			wdata += is->weight;
		if (is->scored) {
			sw += is->weight;
			sum += is->weight * is->score;
		}
	}
	/* a position whose KPIs weigh nothing needs no data */
	sc->coverage = wall > 0 ? 100.0 * wdata / wall : 100.0;
	if (sw > 0) {
		data[MR_COMP_KPI] = 1;
		sc->comp[MR_COMP_KPI] = sum / sw;
	}
	if ((rc = rating_components(data, sc->comp, in, pe->login, pos->key))) {
		rc = mr_err_set(err, rc, "scoring: out of memory");
		goto done;
	}
	if ((rc = final_score(sc, p, f, data, &grounded, &why_not, err)))
		goto done;
	if (mr_buf_oom(&miss)) {
		rc = mr_err_nomem(err);
		goto done;
	}
	sc->missing = list_take(&miss);
	sc->complete = !sc->missing && !sc->left_out;
	if (not_scored_reason(&sc->not_scored, sc, p, grounded)) {
		rc = mr_err_nomem(err);
		goto done;
	}
	if (!sc->not_scored && why_not) {   /* scored, but for the formula */
		mr_buf b;
		mr_buf_init(&b);
		const char *w = strncmp(why_not, "formula: ", 9) == 0 ? why_not + 9 : why_not;
		mr_buf_printf(&b, "the plan's formula cannot be worked out for them: %s", w);
		if (mr_buf_oom(&b)) {
			rc = mr_err_nomem(err);
			goto done;
		}
		sc->not_scored = mr_buf_detach(&b);
	}
	sc->scored = !sc->not_scored;
	if (!sc->scored) {
		sc->final = 0;
		sc->complete = 0;
	}
done:
	free(why_not);
	mr_buf_release(&miss);
	return rc;
}

/* ---- the whole team ---- */

static int team_indicators(mr_result *r, const mr_score_input *in, mr_err *err)
{
	const mr_plan *p = in->plan;
	size_t n = 0;
	for (size_t i = 0; i < p->npositions; i++)
		n += p->positions[i].nkpis;
	r->team = calloc(n ? n : 1, sizeof *r->team);
	if (!r->team)
		return mr_err_nomem(err);
	for (size_t i = 0; i < p->npositions; i++)
		for (size_t j = 0; j < p->positions[i].nkpis; j++) {
			const mr_kpi *k = &p->positions[i].kpis[j];
			int seen = !k->team;
			for (size_t t = 0; !seen && t < r->nteam; t++)
				seen = same(r->team[t].key, k->indicator);
			if (seen)
				continue;
			int rc = score_kpi(&r->team[r->nteam++], in, k, NULL, 1.0, err);
			if (rc) {
				mr_err_prefix(err, "team indicators (position %s)", p->positions[i].key);
				return rc;
			}
		}
	return 0;
}

static int by_rank(const void *x, const void *y)
{
	const mr_scorecard *a = x, *b = y;
	if (a->scored != b->scored)
		return a->scored ? -1 : 1;
	if (a->final != b->final)
		return a->final > b->final ? -1 : 1;
	return strcmp(a->login, b->login);
}

static const mr_calibration *calibration_of(const mr_score_input *in, const char *login)
{
	const mr_calibration *hit = NULL;
	for (size_t i = 0; i < in->ncalibrations; i++)      /* the last one wins */
		if (same(in->calibrations[i].login, login))
			hit = &in->calibrations[i];
	return hit;
}

static size_t grade_index(const mr_plan *p, const char *grade)
{
	for (size_t g = 0; g < p->ngrades; g++)
		if (same(p->grades[g].grade, grade))
			return g;
	return p->ngrades;
}

/* Grades and bonuses for the scored people, r->people[0..n) (sorted by
 * rank); who[i] is the index in in->people of r->people[i].  A
 * calibration replaces the grade the bands and quotas gave its person, and
 * their bonus follows it; nobody else's grade moves. */
static int grade_and_pay(mr_result *r, const mr_score_input *in, const size_t *who,
                         size_t n, mr_err *err)
{
	const mr_plan *p = in->plan;
	int rc = 0;
	double *finals = malloc((n ? n : 1) * sizeof *finals);
	size_t *grade = malloc((n ? n : 1) * sizeof *grade);
	int64_t *raw = malloc((n ? n : 1) * sizeof *raw);
	int64_t *paid = malloc((n ? n : 1) * sizeof *paid);
	const char **logins = malloc((n ? n : 1) * sizeof *logins);
	if (!finals || !grade || !raw || !paid || !logins) {
		rc = mr_err_nomem(err);
		goto done;
	}
	if (p->ngrades == 0 || n == 0)
		goto done;                      /* no grades: no grade, no bonus */
	for (size_t i = 0; i < n; i++)
		finals[i] = r->people[i].final;
	if ((rc = mr_grade_assign(grade, p, finals, n))) {
		rc = mr_err_set(err, rc, "grading: out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		mr_scorecard *sc = &r->people[i];
		const mr_person *pe = &in->people[who[i]];
		const mr_position *pos = find_position(p, sc->position);
		const mr_calibration *cal = calibration_of(in, sc->login);
		int64_t base = 0;
		if (pe->has_base_bonus)
			base = pe->base_bonus_cents;
		else if (pos && pos->has_base_bonus)
			base = pos->base_bonus_cents;
		/* a forced distribution moved them below the grade their score reaches */
		sc->by_quota = grade[i] != mr_grade_band(p, sc->final);
		if (cal && grade_index(p, cal->grade) < p->ngrades) {
			grade[i] = grade_index(p, cal->grade);
			sc->by_quota = 0;
			sc->calibrated = 1;
			if (!(sc->calibration = dup(cal->reason ? cal->reason : ""))) {
				rc = mr_err_nomem(err);
				goto done;
			}
		}
		sc->grade = dup(p->grades[grade[i]].grade);
		if (!sc->grade) {
			rc = mr_err_nomem(err);
			goto done;
		}
		sc->has_base = 1;
		sc->base_bonus_cents = base;
		raw[i] = mr_bonus_raw(base, p->grades[grade[i]].coef);
		logins[i] = sc->login;
	}
	if (p->has_bonus_pool)
		mr_bonus_pool(paid, raw, logins, n, p->bonus_pool_cents);
	else
		memcpy(paid, raw, n * sizeof *raw);
	for (size_t i = 0; i < n; i++) {
		r->people[i].bonus_cents = paid[i];
		r->bonus_total_cents += paid[i];
	}
done:
	free(finals);
	free(grade);
	free(raw);
	free(paid);
	free(logins);
	return rc;
}

/* r->people sorted by rank, with who[] (their index in in->people)
 * following them. */
typedef struct ranked { mr_scorecard sc; size_t who; } ranked;

static int by_rank_ranked(const void *x, const void *y)
{
	return by_rank(&((const ranked *)x)->sc, &((const ranked *)y)->sc);
}

static int rank_people(mr_result *r, size_t *who)
{
	ranked *t = malloc((r->npeople ? r->npeople : 1) * sizeof *t);
	if (!t)
		return MR_ENOMEM;
	for (size_t i = 0; i < r->npeople; i++) {
		t[i].sc = r->people[i];
		t[i].who = who[i];
	}
	qsort(t, r->npeople, sizeof *t, by_rank_ranked);
	r->nscored = 0;
	for (size_t i = 0; i < r->npeople; i++) {
		r->people[i] = t[i].sc;
		who[i] = t[i].who;
		r->nscored += r->people[i].scored != 0;
	}
	free(t);
	return 0;
}

/* The components the final score counts: blend weight > 0, or named in
 * f, the plan's parsed formula (NULL when it has none). */
static void components(int *out, const mr_plan *p, const mr_formula *f)
{
	const char *const *names = NULL;
	size_t nn = f ? mr_formula_names(f, &names) : 0;
	for (int c = 0; c < MR_NCOMP; c++) {
		out[c] = !f && p->blend[c] > 0;
		for (size_t i = 0; i < nn; i++)
			out[c] |= strcmp(names[i], comp_names[c]) == 0;
	}
}

int mr_plan_components(int *out, const mr_plan *p, mr_err *err)
{
	mr_formula *f = NULL;
	const char **keys = NULL;
	int rc = 0;
	if (p->formula) {
		if (!(keys = malloc((p->nindicators ? p->nindicators : 1) * sizeof *keys)))
			return mr_err_nomem(err);
		for (size_t i = 0; i < p->nindicators; i++)
			keys[i] = p->indicators[i].key;
		rc = mr_formula_parse(&f, p->formula, keys, p->nindicators, err);
	}
	if (!rc)
		components(out, p, f);
	mr_formula_free(f);
	free(keys);
	return rc;
}

int mr_score_run(mr_result **out, const mr_score_input *given, mr_err *err)
{
	int rc = 0;
	mr_result *r = NULL;
	mr_formula *f = NULL;
	const char **keys = NULL;
	size_t *who = NULL;
	mr_actual *sorted = NULL;
	mr_score_input local;
	const mr_score_input *in = &local;
	*out = NULL;
	if (!given || !given->plan)
		return mr_err_set(err, MR_EINVALID, "scoring: no plan");
	/* Our own copy of the actuals, sorted for find_actual. */
	local = *given;
	if (given->nactuals) {
		sorted = malloc(given->nactuals * sizeof *sorted);
		if (!sorted)
			return mr_err_nomem(err);
		memcpy(sorted, given->actuals, given->nactuals * sizeof *sorted);
		qsort(sorted, given->nactuals, sizeof *sorted, by_subject);
		local.actuals = sorted;
	}
	const mr_plan *p = in->plan;
	if (in->period.last < in->period.first) {
		rc = mr_err_set(err, MR_EINVALID, "scoring: the period %s is empty",
		                in->period.label);
		goto done;
	}
	r = calloc(1, sizeof *r);
	keys = malloc((p->nindicators ? p->nindicators : 1) * sizeof *keys);
	if (!r || !keys) {
		rc = mr_err_nomem(err);
		goto done;
	}
	r->period = strdup(in->period.label);
	r->first = in->period.first;
	r->last = in->period.last;
	r->goal = p->goal;
	r->weighs_known = 1;
	r->people = calloc(in->npeople ? in->npeople : 1, sizeof *r->people);
	who = malloc((in->npeople ? in->npeople : 1) * sizeof *who);
	if (!r->period || !r->people || !who) {
		rc = mr_err_nomem(err);
		goto done;
	}
	if (p->formula) {
		for (size_t i = 0; i < p->nindicators; i++)
			keys[i] = p->indicators[i].key;
		if ((rc = mr_formula_parse(&f, p->formula, keys, p->nindicators, err)))
			goto done;
	}
	components(r->weighs, p, f);
	if ((rc = team_indicators(r, in, err)))
		goto done;
	for (size_t i = 0; i < in->npeople; i++) {
		const mr_person *pe = &in->people[i];
		int from = pe->from > in->period.first ? pe->from : in->period.first;
		int to = pe->to < in->period.last ? pe->to : in->period.last;
		if (from > to || !pe->login || pe->reviewer)
			continue;
		who[r->npeople] = i;
		mr_scorecard *sc = &r->people[r->npeople++];
		if ((rc = score_person(sc, in, pe, to - from + 1, f, err)))
			goto done;
	}
	if (rank_people(r, who)) {
		rc = mr_err_nomem(err);
		goto done;
	}
	if ((rc = grade_and_pay(r, in, who, r->nscored, err)))
		goto done;
	*out = r;
	r = NULL;
done:
	mr_result_free(r);
	mr_formula_free(f);
	free(keys);
	free(who);
	free(sorted);
	return rc;
}

static void ind_release(mr_ind_score *s)
{
	free(s->key);
	free(s->name);
}

void mr_result_free(mr_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nteam; i++)
		ind_release(&r->team[i]);
	free(r->team);
	for (size_t i = 0; i < r->npeople; i++) {
		mr_scorecard *sc = &r->people[i];
		free(sc->login);
		free(sc->name);
		free(sc->position);
		free(sc->grade);
		free(sc->missing);
		free(sc->left_out);
		free(sc->not_scored);
		free(sc->calibration);
		for (size_t j = 0; j < sc->nind; j++)
			ind_release(&sc->ind[j]);
		free(sc->ind);
	}
	free(r->people);
	free(r->period);
	free(r);
}

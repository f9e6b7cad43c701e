/* score.h — the appraisal itself (SPEC section 4): pure computation.
 *
 * Give it a plan, a period, the people, the aggregated measurements and
 * the ratings; get scorecards back.  No files, no database, no printing.
 * The result and everything in it belongs to the caller (mr_result_free);
 * the input is only read (its strings are borrowed and copied as needed).
 */
#ifndef MR_SCORE_H
#define MR_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/period.h"
#include "core/plan.h"
#include "util/err.h"

/* ---- aggregation of one indicator's measurements over a period ---- */

typedef struct mr_agg {
	long n;               /* measurements added */
	double sum;           /* Σ value */
	double den;           /* Σ denominator */
	double min, max;
	int last_day;         /* latest day seen */
	double last;          /* value on it (the one added last wins a tie) */
} mr_agg;

void mr_agg_init(mr_agg *a);
void mr_agg_add(mr_agg *a, int day, double value, double denominator);
/* Fold b into a, as if b's measurements had been added after a's. */
void mr_agg_merge(mr_agg *a, const mr_agg *b);
/* The period's value: sum; ratio = 100 × Σvalue ÷ Σdenominator; mean;
 * last; min; max.  MR_ENOTFOUND when there is no measurement, or for
 * ratio when Σdenominator is 0. */
int mr_agg_value(double *out, const mr_agg *a, mr_aggregate how);

/* ---- the four rules ---- */

/* Score of one KPI for actual `a`, by k->rule, k->target, k->threshold,
 * k->cap (default 100) and k->bands, for an indicator of direction `dir`.
 * `scale` multiplies every bound (target, threshold, band bounds): the
 * pro-rating factor for sum indicators, else 1.  Exact, not rounded. */
double mr_rule_score(const mr_kpi *k, mr_direction dir, double a, double scale);

/* ---- input ---- */

typedef struct mr_person {
	const char *login, *name, *position, *manager;   /* manager may be NULL */
	int from, to;             /* active days, inclusive; MR_DAY_MIN/MAX when open */
	int has_base_bonus;
	int64_t base_bonus_cents; /* the person's own, overriding the position's */
	int reviewer;             /* rates, is never scored (position may be NULL) */
} mr_person;

typedef struct mr_actual {
	const char *indicator;
	const char *login;        /* NULL: the team */
	mr_agg agg;
} mr_actual;

typedef enum { MR_RATER_SELF, MR_RATER_MANAGER, MR_RATER_PEER, MR_RATER_UPWARD } mr_rater_kind;

typedef struct mr_rating {
	const char *login;        /* who is rated */
	mr_rater_kind kind;
	const char *rater;        /* who rated */
	const char *criterion;
	double stars;
} mr_rating;

/* A grade an admin set by hand before the cycle closed (SPEC 2). */
typedef struct mr_calibration {
	const char *login;
	const char *grade;        /* a grade of the plan */
	const char *reason;
} mr_calibration;

typedef struct mr_score_input {
	const mr_plan *plan;
	mr_period period;
	const mr_person *people;   size_t npeople;
	const mr_actual *actuals;  size_t nactuals;
	const mr_rating *ratings;  size_t nratings;
	const mr_calibration *calibrations; size_t ncalibrations;
} mr_score_input;

/* ---- output ---- */

typedef struct mr_ind_score {
	char *key;
	char *name;
	mr_rule rule;
	int team;                 /* scored on the team's measurements */
	double weight;
	int has_actual;  double actual;
	int has_target;  double target;   /* after override and pro-rating */
	double score;             /* exact */
	int scored;               /* counted in the KPI score */
	int missing;              /* no measurements in the period */
	long measurements;
} mr_ind_score;

typedef struct mr_scorecard {
	char *login, *name, *position;
	int active_days, cycle_days;
	int has[MR_NCOMP];        /* component has data (counted or not) */
	int counted[MR_NCOMP];    /* component counts in the final score (weight > 0 and data) */
	double comp[MR_NCOMP];    /* exact component scores (kpi, manager, self, peer, upward) */
	double coverage;          /* percent of the KPI weight whose indicators have data */
	int scored;               /* has a final score, grade and bonus (SPEC 4) */
	char *not_scored;         /* why not, when !scored; else NULL */
	double final;             /* rounded to 2 decimals; decides the grade; 0 when !scored */
	char *grade;              /* NULL when !scored or the plan has no grades */
	int by_quota;             /* grade lowered by the forced distribution */
	int calibrated;           /* grade set by hand (calibration) */
	char *calibration;        /* its reason, when calibrated */
	int64_t bonus_cents;
	int has_base;             /* base_bonus_cents known (scored and graded now; a
	                           * snapshot does not keep it) */
	int64_t base_bonus_cents; /* the person's base bonus, else their position's */
	int complete;             /* every KPI has data and every weighted component a rating */
	char *missing;            /* "a, b": indicators with no data, or NULL */
	char *left_out;           /* "peer, self": weighted components with no rating, or NULL */
	mr_ind_score *ind;        size_t nind;
} mr_scorecard;

typedef struct mr_result {
	char *period;             /* the period's label */
	int first, last;          /* its days */
	mr_goal goal;
	int weighs[MR_NCOMP];     /* the plan counts the component (blend weight > 0 or
	                           * named in the formula) */
	int weighs_known;         /* 0: a snapshot from before merit kept `components` */
	mr_ind_score *team;       size_t nteam;    /* the team indicators */
	/* The scored first, by final score (highest first), then login: the
	 * ranking, people[0..nscored).  Then the people not scored, by login. */
	mr_scorecard *people;     size_t npeople;
	size_t nscored;
	int64_t bonus_total_cents;
} mr_result;

/* Score everyone in `in` with an active day in the period (reviewers are
 * never scored).  Ranked by final score (highest first), ties by login;
 * the people not scored (SPEC 4: coverage below min_coverage, or a final
 * that would rest on self, peer and upward ratings alone) come after,
 * with the reason.  Calibrations set the grade of the scored people they
 * name; the others' grades are not moved by them.  Errors: a person whose
 * position the plan lacks, a formula that divides by zero. */
int mr_score_run(mr_result **out, const mr_score_input *in, mr_err *err);
void mr_result_free(mr_result *r);   /* NULL is a no-op */

/* Which components (MR_COMP_*) plan p's final score counts: out[c] is 1
 * for a blend weight > 0 or, with a formula, for a name it uses (what
 * mr_result.weighs holds).  MR_EINVALID for a formula that does not parse. */
int mr_plan_components(int *out, const mr_plan *p, mr_err *err);

/* ---- pieces, exposed for the tests ---- */

/* One rater's score on the criteria of `position` (mr_plan_criteria):
 * Σ weight × (stars ÷ scale × 100) ÷ 100 (the weights total 100); a
 * criterion the rater left out counts 0.  MR_ENOTFOUND when the rater
 * rated none of those criteria. */
int mr_rater_score(double *out, const mr_plan *p, const char *position, const mr_rating *r,
                   size_t n);

/* The grade (index into p->grades) a final score reaches by the bands
 * alone: the first, highest first, whose min it reaches; else the last. */
size_t mr_grade_band(const mr_plan *p, double final);
/* Grades for `n` final scores (already rounded), by the plan's bands and
 * its forced distribution if any.  out[i] is an index into p->grades.
 * MR_EINVALID when the plan has no grades. */
int mr_grade_assign(size_t *out, const mr_plan *p, const double *finals, size_t n);

/* base × coef (× 10^-MR_COEF_SCALE) in cents, half up. */
int64_t mr_bonus_raw(int64_t base_cents, int64_t coef);

/* Share `pool` cents in proportion to raw[i]: floor in cents, then the
 * leftover cents one each to the largest remainders, ties by login.  When
 * Σraw is 0 everyone gets 0. */
void mr_bonus_pool(int64_t *out, const int64_t *raw, const char *const *logins,
                   size_t n, int64_t pool);

#endif

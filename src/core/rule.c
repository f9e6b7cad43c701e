/* rule.c — an indicator's value over a period and its score (SPEC
 * section 4): the aggregates (sum, ratio, mean, last, min, max) and the
 * four rules (ratio, linear, bands, binary) in both directions.  Exact,
 * not rounded; pure, like the rest of core/.
 */
#include "core/score.h"

#include <math.h>
#include <string.h>

/* ---- aggregation ---- */

void mr_agg_init(mr_agg *a)
{
	memset(a, 0, sizeof *a);
	a->last_day = MR_DAY_MIN;
}

void mr_agg_add(mr_agg *a, int day, double value, double denominator)
{
	if (a->n == 0 || value < a->min)
		a->min = value;
	if (a->n == 0 || value > a->max)
		a->max = value;
	if (a->n == 0 || day >= a->last_day) {
		a->last_day = day;
		a->last = value;
	}
	a->n++;
	a->sum += value;
	a->den += denominator;
}

/* Fold b into a, as if b's measurements had been added after a's. */
void mr_agg_merge(mr_agg *a, const mr_agg *b)
{
	if (b->n == 0)
		return;
	if (a->n == 0) {
		*a = *b;
		return;
	}
	if (b->min < a->min)
		a->min = b->min;
	if (b->max > a->max)
		a->max = b->max;
	if (b->last_day >= a->last_day) {
		a->last_day = b->last_day;
		a->last = b->last;
	}
	a->n += b->n;
	a->sum += b->sum;
	a->den += b->den;
}

int mr_agg_value(double *out, const mr_agg *a, mr_aggregate how)
{
	if (a->n == 0)
		return MR_ENOTFOUND;
	switch (how) {
	case MR_AGG_SUM:   *out = a->sum; return 0;
	case MR_AGG_MEAN:  *out = a->sum / (double)a->n; return 0;
	case MR_AGG_LAST:  *out = a->last; return 0;
	case MR_AGG_MIN:   *out = a->min; return 0;
	case MR_AGG_MAX:   *out = a->max; return 0;
	case MR_AGG_RATIO:
		if (a->den == 0)
			return MR_ENOTFOUND;
		*out = 100.0 * a->sum / a->den;
		return 0;
	}
	return MR_EINVALID;
}

/* ---- the four rules ---- */

/* a ≥ b and a ≤ b, forgiving the binary noise of a scaled bound
 * (30 × 10/30 may come out as 10.000000000000002). */
static int ge(double a, double b) { return a >= b - 1e-9 * fmax(1.0, fabs(b)); }
static int le(double a, double b) { return a <= b + 1e-9 * fmax(1.0, fabs(b)); }

static double clamp(double s, double cap)
{
	if (s > cap)
		s = cap;
	return s < 0 ? 0 : s;
}

double mr_rule_score(const mr_kpi *k, mr_direction dir, double a, double scale)
{
	double cap = k->has_cap ? k->cap : 100.0;
	double t = k->has_target ? k->target * scale : 0;
	int higher = dir != MR_DIR_LOWER;
	switch (k->rule) {
	case MR_RULE_RATIO:
		if (higher)
			return t > 0 ? clamp(100.0 * a / t, cap) : (a >= 0 ? cap : 0);
		return a <= 0 ? cap : clamp(100.0 * t / a, cap);
	case MR_RULE_LINEAR: {
		double th = k->has_threshold ? k->threshold * scale : 0;
		if (t == th)          /* a degenerate line: a step at the target */
			return (higher ? ge(a, t) : le(a, t)) ? clamp(100.0, cap) : 0;
		return clamp(100.0 * (a - th) / (t - th), cap);
	}
	case MR_RULE_BANDS: {
		int found = 0;
		double best = 0, points = 0;
		for (size_t i = 0; i < k->nbands; i++) {
			double b = k->bands[i].bound * scale;
			int reached = higher ? ge(a, b) : le(a, b);
			if (reached && (!found || (higher ? b > best : b < best))) {
				found = 1;
				best = b;
				points = k->bands[i].points;
			}
		}
		return found ? points : 0;
	}
	case MR_RULE_BINARY:
		return (higher ? ge(a, t) : le(a, t)) ? 100.0 : 0;
	}
	return 0;
}

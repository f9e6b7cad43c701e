/* plan.c — the appraisal scheme as data: defaults, the enum names, lookups
 * and the semantic checks every plan must pass (SPEC section 3).
 *
 * Pure C: no files, no printing.  Every problem mr_plan_validate finds
 * goes into the caller's mr_err as one "FILE:LINE:COL: message" line, so a
 * person fixing a plan sees all of them at once.  The built-in plans that
 * `merit init` writes are in plan_builtin.c.
 */
#include "core/plan.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/formula.h"
#include "util/num.h"

/* ---- enum names ---- */

static const char *const goal_names[] = { "none", "brand", "platform", "sales" };
static const char *const locale_names[] = { "en", "zh-CN" };
static const char *const period_names[] = { "month", "quarter", "half", "year" };
static const char *const missing_names[] = { "skip", "zero", "require" };
static const char *const unit_names[] = { "count", "currency", "percent", "rank",
                                          "hours", "score" };
static const char *const direction_names[] = { "higher", "lower" };
static const char *const aggregate_names[] = { "sum", "ratio", "mean", "last",
                                               "min", "max" };
static const char *const rule_names[] = { "ratio", "linear", "bands", "binary" };
static const char *const comp_names[] = { "kpi", "manager", "self", "peer", "upward" };
static const char *const peers_names[] = { "nominated", "open" };
const char *const mr_stage_names[MR_NSTAGES] = { "planning", "construction", "content",
                                                 "promotion", "evaluation" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? names[v] : "?";
}

static int parse_in(const char *const *names, size_t n, const char *s)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *mr_goal_name(mr_goal g) { return name_of(goal_names, COUNT(goal_names), (int)g); }
int mr_goal_parse(const char *s) { return parse_in(goal_names, COUNT(goal_names), s); }
const char *mr_locale_name(mr_locale l) { return name_of(locale_names, COUNT(locale_names), (int)l); }
int mr_locale_parse(const char *s) { return parse_in(locale_names, COUNT(locale_names), s); }
const char *mr_period_kind_name(mr_period_kind k) { return name_of(period_names, COUNT(period_names), (int)k); }
int mr_period_kind_parse(const char *s) { return parse_in(period_names, COUNT(period_names), s); }
const char *mr_missing_name(mr_missing m) { return name_of(missing_names, COUNT(missing_names), (int)m); }
int mr_missing_parse(const char *s) { return parse_in(missing_names, COUNT(missing_names), s); }
const char *mr_unit_name(mr_unit u) { return name_of(unit_names, COUNT(unit_names), (int)u); }
int mr_unit_parse(const char *s) { return parse_in(unit_names, COUNT(unit_names), s); }
const char *mr_direction_name(mr_direction d) { return name_of(direction_names, COUNT(direction_names), (int)d); }
int mr_direction_parse(const char *s) { return parse_in(direction_names, COUNT(direction_names), s); }
const char *mr_aggregate_name(mr_aggregate a) { return name_of(aggregate_names, COUNT(aggregate_names), (int)a); }
int mr_aggregate_parse(const char *s) { return parse_in(aggregate_names, COUNT(aggregate_names), s); }
const char *mr_rule_name(mr_rule r) { return name_of(rule_names, COUNT(rule_names), (int)r); }
int mr_rule_parse(const char *s) { return parse_in(rule_names, COUNT(rule_names), s); }
const char *mr_comp_name(int comp) { return name_of(comp_names, COUNT(comp_names), comp); }
const char *mr_peers_name(mr_peers m) { return name_of(peers_names, COUNT(peers_names), (int)m); }
int mr_peers_parse(const char *s) { return parse_in(peers_names, COUNT(peers_names), s); }

/* ---- life cycle ---- */

mr_plan *mr_plan_new(void)
{
	mr_plan *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->goal = MR_GOAL_NONE;
	p->period = MR_PERIOD_MONTH;
	p->missing = MR_MISSING_SKIP;
	p->rating_scale = 5;
	p->blend[MR_COMP_KPI] = 70;
	p->blend[MR_COMP_MANAGER] = 20;
	p->blend[MR_COMP_SELF] = 10;
	p->blend[MR_COMP_PEER] = 0;
	p->blend[MR_COMP_UPWARD] = 0;
	p->min_coverage = 50;
	p->peers = MR_PEERS_NOMINATED;
	return p;
}

void mr_plan_free(mr_plan *p)
{
	if (!p)
		return;
	free(p->company);
	free(p->currency);
	free(p->formula);
	for (size_t i = 0; i < p->ncriteria; i++) {
		free(p->criteria[i].key);
		free(p->criteria[i].name);
	}
	free(p->criteria);
	for (size_t i = 0; i < p->ngrades; i++)
		free(p->grades[i].grade);
	free(p->grades);
	for (size_t i = 0; i < p->nquotas; i++)
		free(p->quotas[i].grade);
	free(p->quotas);
	for (size_t i = 0; i < p->nindicators; i++) {
		free(p->indicators[i].key);
		free(p->indicators[i].name);
		free(p->indicators[i].source);
	}
	free(p->indicators);
	for (size_t i = 0; i < p->npositions; i++) {
		mr_position *pos = &p->positions[i];
		free(pos->key);
		free(pos->name);
		free(pos->stage);
		free(pos->duties);
		for (size_t j = 0; j < pos->ncriteria; j++) {
			free(pos->criteria[j].key);
			free(pos->criteria[j].name);
		}
		free(pos->criteria);
		for (size_t j = 0; j < pos->nkpis; j++) {
			free(pos->kpis[j].indicator);
			free(pos->kpis[j].bands);
		}
		free(pos->kpis);
	}
	free(p->positions);
	for (size_t i = 0; i < p->noverrides; i++) {
		free(p->overrides[i].login);
		free(p->overrides[i].indicator);
	}
	free(p->overrides);
	free(p);
}

/* ---- lookups ---- */

const mr_indicator *mr_plan_indicator(const mr_plan *p, const char *key)
{
	if (!p || !key)
		return NULL;
	for (size_t i = 0; i < p->nindicators; i++)
		if (p->indicators[i].key && strcmp(p->indicators[i].key, key) == 0)
			return &p->indicators[i];
	return NULL;
}

const mr_position *mr_plan_position(const mr_plan *p, const char *key)
{
	if (!p || !key)
		return NULL;
	for (size_t i = 0; i < p->npositions; i++)
		if (p->positions[i].key && strcmp(p->positions[i].key, key) == 0)
			return &p->positions[i];
	return NULL;
}

const mr_criterion *mr_plan_criteria(const mr_plan *p, const char *position, size_t *n)
{
	const mr_position *pos = mr_plan_position(p, position);
	if (pos && pos->has_criteria) {
		*n = pos->ncriteria;
		return pos->criteria;
	}
	*n = p->ncriteria;
	return p->criteria;
}

const mr_grade *mr_plan_grade(const mr_plan *p, const char *grade)
{
	if (!p || !grade)
		return NULL;
	for (size_t i = 0; i < p->ngrades; i++)
		if (p->grades[i].grade && strcmp(p->grades[i].grade, grade) == 0)
			return &p->grades[i];
	return NULL;
}

/* ---- validation ---- */

/* Past this many problems the rest are summarised in one line: a broken
 * file should not produce megabytes of messages. */
#define MAX_PROBLEMS 100

typedef struct check {
	const char *file;
	mr_err *err;
	int bad;          /* problems found */
} check;

/* One problem at `at`, in `field` (its path in the plan file, e.g.
 * "positions[1].kpis[0].weight"; NULL for none). */
MR_PRINTF(4, 5)
static void problem(check *c, mr_pos at, const char *field, const char *fmt, ...)
{
	c->bad++;
	if (c->err && c->err->lines > MAX_PROBLEMS)
		return;
	if (c->err && c->err->lines == MAX_PROBLEMS) {
		mr_err_add(c->err, MR_EINVALID, "%s: too many problems; the rest are not shown",
		           c->file ? c->file : "plan");
		return;
	}
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	for (char *s = msg; *s; s++)       /* one line per problem */
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	const char *f = c->file ? c->file : "plan";
	if (at.line > 0)
		mr_err_add_field(c->err, field, MR_EINVALID, "%s:%d:%d: %s", f, at.line, at.col, msg);
	else
		mr_err_add_field(c->err, field, MR_EINVALID, "%s: %s", f, msg);
}

/* A field's path, printf-style, in buf (cut short rather than overflow). */
#define FIELD_LEN 160
MR_PRINTF(2, 3)
static const char *path(char buf[FIELD_LEN], const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, FIELD_LEN, fmt, ap);
	va_end(ap);
	return buf;
}

/* A short, printable form of a string for messages. */
static const char *q(const char *s)
{
	return s ? s : "(none)";
}

static const char *fmtnum(char buf[32], double v)
{
	if (isfinite(v))
		snprintf(buf, 32, "%.10g", v);
	else
		snprintf(buf, 32, "%s", "not a number");
	return buf;
}

static int close100(double total)
{
	return fabs(total - 100.0) <= 1e-9;
}

/* Indicator keys are names in formulas: letters, digits and '_'. */
static int is_ident(const char *s)
{
	if (!s || !*s)
		return 0;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static void check_top(check *c, const mr_plan *p)
{
	char b1[32], f[FIELD_LEN];
	mr_pos none = { 0, 0 };
	if ((int)p->goal < 0 || (size_t)p->goal >= COUNT(goal_names))
		problem(c, none, "goal", "goal is not one of none, brand, platform, sales");
	if ((int)p->period < 0 || (size_t)p->period >= COUNT(period_names))
		problem(c, none, "period", "period is not one of month, quarter, half, year");
	if ((int)p->missing < 0 || (size_t)p->missing >= COUNT(missing_names))
		problem(c, none, "missing", "missing is not one of skip, zero, require");
	if (p->rating_scale < 1 || p->rating_scale > 100)
		problem(c, none, "rating_scale", "rating_scale %d is out of range: give 1 to 100",
		        p->rating_scale);
	if (p->has_bonus_pool && p->bonus_pool_cents < 0)
		problem(c, none, "bonus_pool", "bonus_pool is negative");
	else if (p->has_bonus_pool && p->bonus_pool_cents > MR_MONEY_MAX)
		problem(c, none, "bonus_pool", "bonus_pool is above 10000000000.00");

	double total = 0;
	int sane = 1;
	for (int i = 0; i < MR_NCOMP; i++) {
		double w = p->blend[i];
		if (!isfinite(w) || w < 0 || w > 100) {
			problem(c, p->at_blend, path(f, "blend.%s", comp_names[i]),
			        "blend weight %s is %s: give 0 to 100",
			        comp_names[i], fmtnum(b1, w));
			sane = 0;
		}
		total += w;
	}
	if (sane && !p->formula && !close100(total))
		problem(c, p->at_blend, "blend",
		        "blend weights total %s, not 100", fmtnum(b1, total));
	/* SPEC 4: a final never rests on self, peer and upward ratings alone */
	if (sane && !p->formula && close100(total) && p->blend[MR_COMP_KPI] <= 0 &&
	    p->blend[MR_COMP_MANAGER] <= 0)
		problem(c, p->at_blend, "blend",
		        "blend gives kpi and manager 0: a final score may not rest "
		        "on self, peer and upward ratings alone; give kpi or manager a weight");
	if (!isfinite(p->min_coverage) || p->min_coverage < 0 || p->min_coverage > 100)
		problem(c, p->at_min_coverage, "min_coverage",
		        "min_coverage %s is out of range: give 0 to 100 "
		        "(percent of a person's KPI weight that must have data)",
		        fmtnum(b1, p->min_coverage));
	if ((int)p->peers < 0 || (size_t)p->peers >= COUNT(peers_names))
		problem(c, none, "peers", "peers is not one of nominated, open");
}

/* One list of criteria: the plan's (whose = NULL) or a position's. */
static void check_criteria_list(check *c, const mr_criterion *list, size_t n, mr_pos at,
                                const char *whose, const char *base)
{
	char b1[32], in[96] = "", f[FIELD_LEN];
	if (whose)
		snprintf(in, sizeof in, "position \"%s\": ", whose);
	if (n == 0) {
		problem(c, at, base, "%sno criteria: give at least one, "
		        "e.g. {key: overall, name: Overall contribution, weight: 100}", in);
		return;
	}
	double total = 0;
	int sane = 1;
	for (size_t i = 0; i < n; i++) {
		const mr_criterion *cr = &list[i];
		if (!cr->key || !*cr->key)
			problem(c, cr->at, path(f, "%s[%zu].key", base, i),
			        "%scriterion has no key", in);
		for (size_t j = 0; cr->key && j < i; j++)
			if (list[j].key && strcmp(list[j].key, cr->key) == 0) {
				problem(c, cr->at, path(f, "%s[%zu].key", base, i),
				        "%scriterion \"%s\" is listed twice", in, cr->key);
				break;
			}
		if (!isfinite(cr->weight) || cr->weight < 0) {
			problem(c, cr->at, path(f, "%s[%zu].weight", base, i),
			        "%scriterion \"%s\": weight %s is negative", in,
			        q(cr->key), fmtnum(b1, cr->weight));
			sane = 0;
		}
		total += cr->weight;
	}
	if (sane && !close100(total))
		problem(c, at, base, "%scriteria weights total %s, not 100", in, fmtnum(b1, total));
}

static void check_criteria(check *c, const mr_plan *p)
{
	char f[FIELD_LEN];
	check_criteria_list(c, p->criteria, p->ncriteria, p->at_criteria, NULL, "criteria");
	for (size_t i = 0; i < p->npositions; i++) {
		const mr_position *pos = &p->positions[i];
		if (pos->has_criteria)
			check_criteria_list(c, pos->criteria, pos->ncriteria, pos->at_criteria,
			                    q(pos->key), path(f, "positions[%zu].criteria", i));
	}
}

static void check_grades(check *c, const mr_plan *p)
{
	char b1[32], b2[32], f[FIELD_LEN];
	if (p->ngrades == 0)
		problem(c, p->at_grades, "grades",
		        "no grades: give at least one, e.g. {grade: A, min: 0, bonus: 1.0}");
	for (size_t i = 0; i < p->ngrades; i++) {
		const mr_grade *g = &p->grades[i];
		if (!g->grade || !*g->grade)
			problem(c, g->at, path(f, "grades[%zu].grade", i), "grade has no name");
		else if (strlen(g->grade) > 16 || strpbrk(g->grade, "\",\t\r\n"))
			/* a grade is a label in tables, spreadsheet rules and CSV */
			problem(c, g->at, path(f, "grades[%zu].grade", i),
			        "grade \"%s\": a name of at most 16 bytes without quotes, "
			        "commas or line breaks, e.g. A or B+", q(g->grade));
		for (size_t j = 0; g->grade && j < i; j++)
			if (p->grades[j].grade && strcmp(p->grades[j].grade, g->grade) == 0) {
				problem(c, g->at, path(f, "grades[%zu].grade", i),
				        "grade \"%s\" is listed twice", g->grade);
				break;
			}
		if (!isfinite(g->min))
			problem(c, g->at, path(f, "grades[%zu].min", i),
			        "grade \"%s\": min is not a number", q(g->grade));
		else if (i + 1 == p->ngrades && g->min > 0 &&
		         (i == 0 || !isfinite(p->grades[i - 1].min) || g->min < p->grades[i - 1].min))
			problem(c, g->at, path(f, "grades[%zu].min", i),
			        "grade \"%s\": the lowest grade needs min 0, so that every "
			        "score gets a grade", q(g->grade));
		if (isfinite(g->min) && i > 0 && isfinite(p->grades[i - 1].min) &&
		    !(g->min < p->grades[i - 1].min))
			problem(c, g->at, path(f, "grades[%zu].min", i),
			        "grade \"%s\": min %s is not below the previous grade's %s; "
			        "list grades highest first", q(g->grade), fmtnum(b1, g->min),
			        fmtnum(b2, p->grades[i - 1].min));
		if (g->coef < 0)
			problem(c, g->at, path(f, "grades[%zu].bonus", i),
			        "grade \"%s\": bonus coefficient is negative", q(g->grade));
		else if (g->coef > MR_COEF_MAX)
			problem(c, g->at, path(f, "grades[%zu].bonus", i),
			        "grade \"%s\": bonus coefficient above 100", q(g->grade));
	}
	for (size_t i = 0; i < p->nquotas; i++) {
		const mr_quota *qu = &p->quotas[i];
		const char *qf = path(f, "distribution.%s", q(qu->grade));
		if (!mr_plan_grade(p, qu->grade))
			problem(c, qu->at, qf,
			        "distribution names grade \"%s\", which is not in grades",
			        q(qu->grade));
		for (size_t j = 0; qu->grade && j < i; j++)
			if (p->quotas[j].grade && strcmp(p->quotas[j].grade, qu->grade) == 0) {
				problem(c, qu->at, qf,
				        "distribution lists grade \"%s\" twice", qu->grade);
				break;
			}
		if (!isfinite(qu->pct) || qu->pct < 0 || qu->pct > 100)
			problem(c, qu->at, qf, "distribution %s: %s%% is out of range 0 to 100",
			        q(qu->grade), fmtnum(b1, qu->pct));
	}
}

static void check_indicators(check *c, const mr_plan *p)
{
	char f[FIELD_LEN];
	for (size_t i = 0; i < p->nindicators; i++) {
		const mr_indicator *in = &p->indicators[i];
		if (!in->key || !*in->key) {
			problem(c, in->at, path(f, "indicators[%zu].key", i),
			        "indicator has no key");
		} else if (!is_ident(in->key)) {
			problem(c, in->at, path(f, "indicators[%zu].key", i),
			        "indicator key \"%s\": use letters, digits and _ only, "
			        "starting with a letter (keys are names in formulas)", in->key);
		} else if (parse_in(comp_names, COUNT(comp_names), in->key) >= 0) {
			problem(c, in->at, path(f, "indicators[%zu].key", i),
			        "indicator key \"%s\" is reserved for the %s score "
			        "in formulas; choose another", in->key, in->key);
		}
		for (size_t j = 0; in->key && j < i; j++)
			if (p->indicators[j].key && strcmp(p->indicators[j].key, in->key) == 0) {
				problem(c, in->at, path(f, "indicators[%zu].key", i),
				        "indicator \"%s\" is listed twice", in->key);
				break;
			}
		if ((int)in->unit < 0 || (size_t)in->unit >= COUNT(unit_names))
			problem(c, in->at, path(f, "indicators[%zu].unit", i),
			        "indicator \"%s\": unknown unit", q(in->key));
		if ((int)in->direction < 0 || (size_t)in->direction >= COUNT(direction_names))
			problem(c, in->at, path(f, "indicators[%zu].direction", i),
			        "indicator \"%s\": unknown direction", q(in->key));
		if ((int)in->aggregate < 0 || (size_t)in->aggregate >= COUNT(aggregate_names))
			problem(c, in->at, path(f, "indicators[%zu].aggregate", i),
			        "indicator \"%s\": unknown aggregate", q(in->key));
	}
}

/* The rule's own needs; `dir` is -1 when the indicator is unknown.  `base`
 * is the kpi's path (or an override's, which changes its target). */
static void check_rule(check *c, const mr_position *pos, const mr_kpi *k, int dir,
                       const char *base)
{
	char b1[32], b2[32], f[FIELD_LEN];
#define AT(name) path(f, "%s.%s", base, name)
	const char *pk = q(pos->key), *ik = q(k->indicator);
	switch (k->rule) {
	case MR_RULE_RATIO:
		if (!k->has_target)
			problem(c, k->at, AT("target"),
			        "position \"%s\", kpi \"%s\": rule ratio needs a target", pk, ik);
		else if (!isfinite(k->target) || k->target <= 0)
			problem(c, k->at, AT("target"),
			        "position \"%s\", kpi \"%s\": target %s must be above 0 "
			        "for rule ratio", pk, ik, fmtnum(b1, k->target));
		break;
	case MR_RULE_BINARY:
		if (!k->has_target)
			problem(c, k->at, AT("target"),
			        "position \"%s\", kpi \"%s\": rule binary needs a target", pk, ik);
		break;
	case MR_RULE_LINEAR:
		if (!k->has_target) {
			problem(c, k->at, AT("target"),
			        "position \"%s\", kpi \"%s\": rule linear needs a target", pk, ik);
			break;
		}
		if (dir == MR_DIR_LOWER) {
			if (!k->has_threshold)
				problem(c, k->at, AT("threshold"),
				        "position \"%s\", kpi \"%s\": lower-better rule linear "
				        "needs a threshold above the target (the value that scores 0)", pk, ik);
			else if (!(k->threshold > k->target))
				problem(c, k->at, AT("threshold"),
				        "position \"%s\", kpi \"%s\": threshold %s must be above "
				        "target %s for a lower-better indicator", pk, ik,
				        fmtnum(b1, k->threshold), fmtnum(b2, k->target));
		} else if (dir == MR_DIR_HIGHER) {
			double th = k->has_threshold ? k->threshold : 0;
			if (!(th < k->target))
				problem(c, k->at, AT("threshold"),
				        "position \"%s\", kpi \"%s\": threshold %s must be below "
				        "target %s for a higher-better indicator", pk, ik,
				        fmtnum(b1, th), fmtnum(b2, k->target));
		}
		break;
	case MR_RULE_BANDS:
		if (k->nbands == 0) {
			problem(c, k->at, AT("bands"),
			        "position \"%s\", kpi \"%s\": rule bands needs bands, "
			        "e.g. bands: [[50, 0], [80, 60], [100, 100]]", pk, ik);
			break;
		}
		for (size_t i = 1; i < k->nbands; i++) {
			double prev = k->bands[i - 1].bound, cur = k->bands[i].bound;
			if (dir == MR_DIR_HIGHER && !(cur > prev)) {
				problem(c, k->at, AT("bands"),
				        "position \"%s\", kpi \"%s\": band bounds must rise "
				        "(worst first) for a higher-better indicator: %s after %s",
				        pk, ik, fmtnum(b1, cur), fmtnum(b2, prev));
				break;
			}
			if (dir == MR_DIR_LOWER && !(cur < prev)) {
				problem(c, k->at, AT("bands"),
				        "position \"%s\", kpi \"%s\": band bounds must fall "
				        "(worst first) for a lower-better indicator: %s after %s",
				        pk, ik, fmtnum(b1, cur), fmtnum(b2, prev));
				break;
			}
		}
		for (size_t i = 1; i < k->nbands; i++)
			if (!(k->bands[i].points > k->bands[i - 1].points)) {
				problem(c, k->at, AT("bands"),
				        "position \"%s\", kpi \"%s\": band points must rise "
				        "from worst to best: %s after %s", pk, ik,
				        fmtnum(b1, k->bands[i].points), fmtnum(b2, k->bands[i - 1].points));
				break;
			}
		for (size_t i = 0; i < k->nbands; i++)
			if (!isfinite(k->bands[i].bound) || !isfinite(k->bands[i].points)) {
				problem(c, k->at, AT("bands"),
				        "position \"%s\", kpi \"%s\": band %zu is not a number",
				        pk, ik, i + 1);
				break;
			}
		break;
	default:
		problem(c, k->at, AT("rule"), "position \"%s\", kpi \"%s\": unknown rule", pk, ik);
		return;
	}
	if (k->rule != MR_RULE_BANDS && k->nbands > 0)
		problem(c, k->at, AT("bands"),
		        "position \"%s\", kpi \"%s\": bands are only used by rule bands, "
		        "not %s", pk, ik, mr_rule_name(k->rule));
	if (k->has_cap && (!isfinite(k->cap) || k->cap <= 0))
		problem(c, k->at, AT("cap"), "position \"%s\", kpi \"%s\": cap %s must be above 0",
		        pk, ik, fmtnum(b1, k->cap));
	if ((k->has_target && !isfinite(k->target)) ||
	    (k->has_threshold && !isfinite(k->threshold)))
		problem(c, k->at, AT("target"),
		        "position \"%s\", kpi \"%s\": target or threshold is not a number",
		        pk, ik);
#undef AT
}

static void check_positions(check *c, const mr_plan *p)
{
	char b1[32], f[FIELD_LEN], kf[FIELD_LEN];
	for (size_t i = 0; i < p->npositions; i++) {
		const mr_position *pos = &p->positions[i];
		const char *pk = q(pos->key);
		if (!pos->key || !*pos->key)
			problem(c, pos->at, path(f, "positions[%zu].key", i),
			        "position has no key");
		for (size_t j = 0; pos->key && j < i; j++)
			if (p->positions[j].key && strcmp(p->positions[j].key, pos->key) == 0) {
				problem(c, pos->at, path(f, "positions[%zu].key", i),
				        "position \"%s\" is listed twice", pos->key);
				break;
			}
		if (!pos->stage)
			problem(c, pos->at, path(f, "positions[%zu].stage", i),
			        "position \"%s\" has no stage (planning, construction, "
			        "content, promotion or evaluation)", pk);
		else if (parse_in(mr_stage_names, MR_NSTAGES, pos->stage) < 0)
			problem(c, pos->at, path(f, "positions[%zu].stage", i),
			        "position \"%s\": stage \"%s\" is not one of planning, "
			        "construction, content, promotion, evaluation", pk, pos->stage);
		if (pos->has_base_bonus && pos->base_bonus_cents < 0)
			problem(c, pos->at, path(f, "positions[%zu].base_bonus", i),
			        "position \"%s\": base_bonus is negative", pk);
		else if (pos->has_base_bonus && pos->base_bonus_cents > MR_MONEY_MAX)
			problem(c, pos->at, path(f, "positions[%zu].base_bonus", i),
			        "position \"%s\": base_bonus is above 10000000000.00", pk);
		if (pos->nkpis == 0) {
			problem(c, pos->at, path(f, "positions[%zu].kpis", i),
			        "position \"%s\" has no kpis; give at least one, "
			        "weights totalling 100", pk);
			continue;
		}
		double total = 0;
		int sane = 1;
		for (size_t j = 0; j < pos->nkpis; j++) {
			const mr_kpi *k = &pos->kpis[j];
			const mr_indicator *in = NULL;
			path(kf, "positions[%zu].kpis[%zu]", i, j);
			if (!k->indicator || !*k->indicator) {
				problem(c, k->at, path(f, "%s.indicator", kf),
				        "position \"%s\": kpi has no indicator", pk);
			} else if (!(in = mr_plan_indicator(p, k->indicator))) {
				problem(c, k->at, path(f, "%s.indicator", kf),
				        "position \"%s\": kpi indicator \"%s\" is not in indicators",
				        pk, k->indicator);
			}
			for (size_t m = 0; k->indicator && m < j; m++)
				if (pos->kpis[m].indicator &&
				    strcmp(pos->kpis[m].indicator, k->indicator) == 0) {
					problem(c, k->at, path(f, "%s.indicator", kf),
					        "position \"%s\": indicator \"%s\" is listed twice",
					        pk, k->indicator);
					break;
				}
			if (!isfinite(k->weight) || k->weight < 0) {
				problem(c, k->at, path(f, "%s.weight", kf),
				        "position \"%s\", kpi \"%s\": weight %s is negative",
				        pk, q(k->indicator), fmtnum(b1, k->weight));
				sane = 0;
			}
			total += k->weight;
			check_rule(c, pos, k, in ? (int)in->direction : -1, kf);
		}
		if (sane && !close100(total))
			problem(c, pos->at, path(f, "positions[%zu].kpis", i),
			        "position \"%s\": kpi weights total %s, not 100",
			        pk, fmtnum(b1, total));
	}
}

static void check_overrides(check *c, const mr_plan *p)
{
	char f[FIELD_LEN], of[FIELD_LEN];
	for (size_t i = 0; i < p->noverrides; i++) {
		const mr_override *o = &p->overrides[i];
		path(of, "overrides[%zu]", i);
		if (!o->login || !*o->login)
			problem(c, o->at, path(f, "%s.login", of), "override has no login");
		if (!o->indicator || !*o->indicator)
			problem(c, o->at, path(f, "%s.indicator", of),
			        "override for \"%s\" has no indicator", q(o->login));
		else if (!mr_plan_indicator(p, o->indicator))
			problem(c, o->at, path(f, "%s.indicator", of),
			        "override for \"%s\": indicator \"%s\" is not in indicators",
			        q(o->login), o->indicator);
		if (!o->has_target && !o->has_threshold)
			problem(c, o->at, path(f, "%s.target", of),
			        "override for \"%s\" gives neither target nor threshold",
			        q(o->login));
		if ((o->has_target && !isfinite(o->target)) ||
		    (o->has_threshold && !isfinite(o->threshold)))
			problem(c, o->at, path(f, "%s.target", of),
			        "override for \"%s\": target or threshold is not a number",
			        q(o->login));
		/* the overridden rule must still make sense, in every position using it */
		int used = 0;
		for (size_t pi = 0; o->indicator && pi < p->npositions; pi++) {
			const mr_position *pos = &p->positions[pi];
			for (size_t ki = 0; ki < pos->nkpis; ki++) {
				const mr_kpi *k = &pos->kpis[ki];
				if (!k->indicator || strcmp(k->indicator, o->indicator) != 0)
					continue;
				const mr_indicator *in = mr_plan_indicator(p, k->indicator);
				mr_kpi copy = *k;
				used = 1;
				copy.at = o->at;
				if (o->has_target) {
					copy.has_target = 1;
					copy.target = o->target;
				}
				if (o->has_threshold) {
					copy.has_threshold = 1;
					copy.threshold = o->threshold;
				}
				check_rule(c, pos, &copy, in ? (int)in->direction : -1, of);
			}
		}
		if (o->indicator && mr_plan_indicator(p, o->indicator) && !used)
			problem(c, o->at, path(f, "%s.indicator", of),
			        "override for \"%s\": no position scores \"%s\"",
			        q(o->login), o->indicator);
		for (size_t j = 0; o->login && o->indicator && j < i; j++) {
			const mr_override *e = &p->overrides[j];
			if (e->login && e->indicator && strcmp(e->login, o->login) == 0 &&
			    strcmp(e->indicator, o->indicator) == 0) {
				problem(c, o->at, path(f, "%s.indicator", of),
				        "override for \"%s\" on \"%s\" is listed twice",
				        o->login, o->indicator);
				break;
			}
		}
	}
}

static int check_formula(check *c, const mr_plan *p)
{
	if (!p->formula)
		return 0;
	const char **names = calloc(p->nindicators + 1, sizeof *names);
	if (!names)
		return MR_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < p->nindicators; i++)
		if (p->indicators[i].key)
			names[n++] = p->indicators[i].key;
	mr_formula *f = NULL;
	mr_err fe = MR_ERR_INIT;
	int rc = mr_formula_parse(&f, p->formula, names, n, &fe);
	if (rc == MR_ENOMEM) {
		mr_err_clear(&fe);
		free(names);
		return MR_ENOMEM;
	}
	if (rc) {
		problem(c, p->at_formula, "formula", "%s", fe.msg ? fe.msg : "formula: invalid");
	} else {
		/* SPEC 4: a final never rests on self, peer and upward ratings
		 * alone, so the formula names kpi, manager or an indicator */
		const char *const *used;
		size_t nu = mr_formula_names(f, &used);
		int grounded = 0;
		for (size_t i = 0; i < nu; i++)
			grounded |= strcmp(used[i], "self") && strcmp(used[i], "peer") &&
			            strcmp(used[i], "upward");
		if (!grounded)
			problem(c, p->at_formula, "formula",
			        "formula uses only self, peer and upward ratings: a "
			        "final score may not rest on them alone; use kpi, manager or an "
			        "indicator too");
	}
	mr_formula_free(f);
	mr_err_clear(&fe);
	free(names);
	return 0;
}

int mr_plan_validate(const mr_plan *p, const char *file, mr_err *err)
{
	check c = { file, err, 0 };
	if (!p)
		return mr_err_add(err, MR_EINVALID, "%s: no plan", file ? file : "plan");
	check_top(&c, p);
	if (check_formula(&c, p) == MR_ENOMEM)
		return mr_err_add(err, MR_ENOMEM, "%s: out of memory", file ? file : "plan");
	check_criteria(&c, p);
	check_grades(&c, p);
	check_indicators(&c, p);
	check_positions(&c, p);
	check_overrides(&c, p);
	return c.bad ? MR_EINVALID : 0;
}


int mr_value_check(const mr_indicator *ind, double value, int has_den, double den,
                   int *of_den, char *msg, size_t n)
{
	*of_den = 0;
	if (!(fabs(value) <= MR_NUM_MAX))
		snprintf(msg, n, "value %g is out of range (at most %g)", value, MR_NUM_MAX);
	else if (has_den && !(fabs(den) <= MR_NUM_MAX) && (*of_den = 1))
		snprintf(msg, n, "denominator %g is out of range (at most %g)", den, MR_NUM_MAX);
	else if (value < 0 && ind->unit != MR_UNIT_CURRENCY && ind->unit != MR_UNIT_SCORE)
		snprintf(msg, n, "value %g is below 0: %s is in %s, which is never negative "
		         "(only currency and score are)", value, ind->key, mr_unit_name(ind->unit));
	else if (has_den && den < 0 && (*of_den = 1))
		snprintf(msg, n, "denominator %g is below 0", den);
	else if (has_den && den == 0 && value != 0 && (*of_den = 1))
		snprintf(msg, n, "denominator 0 under value %g: %s is a ratio, and a part of "
		         "nothing is no ratio (a day with nothing to measure needs no row)",
		         value, ind->key);
	else
		return 0;
	return 1;
}

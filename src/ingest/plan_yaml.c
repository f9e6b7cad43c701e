/* plan_yaml.c — read the plan file (SPEC section 3) into an mr_plan.
 *
 * A walk over the YAML tree with a fixed list of keys per mapping (see
 * yaml_tree.c for the checks on keys and scalars), then mr_plan_validate
 * for the semantics.  Both report every problem.  When a value could not
 * be read, the item it belongs to is "tainted": validation problems at
 * that item are consequences (a weight that is not a number makes the
 * total wrong) and are left out, so each message points at a real cause.
 */
#include "ingest/plan_yaml.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/yaml_tree.h"
#include "util/num.h"
#include "util/vec.h"

typedef struct reader {
	mr_yaml y;
	mr_plan *p;
	mr_pos *taint;
	size_t ntaint, captaint;
	/* enum names in enum order, from plan.h's *_name functions */
	const char *goal[4], *locale[2], *period[4], *missing[3], *peers[2], *unit[6], *dir[2], *agg[6], *rule[4];
} reader;

static const char *const scope_names[] = { "person", "team" };

static void taint(reader *r, mr_pos at)
{
	if (at.line <= 0)
		return;
	mr_pos *t = MR_VEC_PUSH(r->taint, r->ntaint, r->captaint);
	if (!t)
		r->y.nomem = 1;
	else
		*t = at;
}

static int tainted(const reader *r, int line, int col)
{
	for (size_t i = 0; i < r->ntaint; i++)
		if (r->taint[i].line == line && r->taint[i].col == col)
			return 1;
	return 0;
}

/* A required key is missing: reported only when the mapping had no other
 * problem (a misspelt key was already reported with a suggestion). */
static void required(reader *r, yaml_node_t *n, int bad_before, const char *what,
                     const char *key)
{
	if (r->y.bad == bad_before)
		mr_yaml_problem(&r->y, n, "%s has no %s", what, key);
}

static char *dup(reader *r, const char *s)
{
	char *d = strdup(s);
	if (!d)
		r->y.nomem = 1;
	return d;
}

/* Allocate `n` zeroed items for a list; 0 items needs no memory. */
static void *items_alloc(reader *r, long n, size_t size)
{
	if (n <= 0)
		return NULL;
	void *a = calloc((size_t)n, size);
	if (!a)
		r->y.nomem = 1;
	return a;
}

/* ---- criteria, grades, distribution ---- */

/* A list of criteria into *list, *n (the plan's, or a position's). */
static void read_criteria_list(reader *r, yaml_node_t *n, mr_criterion **list, size_t *nlist,
                               mr_pos *at)
{
	enum { C_KEY, C_NAME, C_WEIGHT, C_N };
	static const char *const keys[] = { "key", "name", "weight", NULL };
	yaml_node_item_t *items;
	*at = mr_yaml_pos(n);
	long count = mr_yaml_items(&r->y, n, "criteria", &items);
	if (count < 0) {
		taint(r, *at);
		return;
	}
	if (!(*list = items_alloc(r, count, sizeof **list)))
		return;
	for (long i = 0; i < count; i++) {
		yaml_node_t *c = mr_yaml_node(&r->y, items[i]), *v[C_N];
		if (!c)
			return;
		mr_criterion *cr = &(*list)[(*nlist)++];
		int bad = r->y.bad;
		cr->at = mr_yaml_pos(c);
		if (mr_yaml_fields(&r->y, c, "a criterion", keys, v) == 0) {
			mr_yaml_string(&r->y, v[C_KEY], "key", &cr->key);
			mr_yaml_string(&r->y, v[C_NAME], "name", &cr->name);
			if (mr_yaml_number(&r->y, v[C_WEIGHT], "weight", &cr->weight) == 0)
				required(r, c, bad, "the criterion", "weight");
			if (!cr->name && cr->key)
				cr->name = dup(r, cr->key);
		}
		if (r->y.bad != bad) {
			taint(r, cr->at);
			taint(r, *at);
		}
	}
}

static void read_criteria(reader *r, yaml_node_t *n)
{
	mr_plan *p = r->p;
	read_criteria_list(r, n, &p->criteria, &p->ncriteria, &p->at_criteria);
}

static void read_grades(reader *r, yaml_node_t *n)
{
	enum { G_GRADE, G_MIN, G_BONUS, G_N };
	static const char *const keys[] = { "grade", "min", "bonus", NULL };
	yaml_node_item_t *items;
	mr_plan *p = r->p;
	p->at_grades = mr_yaml_pos(n);
	long count = mr_yaml_items(&r->y, n, "grades", &items);
	if (count < 0) {
		taint(r, p->at_grades);
		return;
	}
	if (!(p->grades = items_alloc(r, count, sizeof *p->grades)))
		return;
	for (long i = 0; i < count; i++) {
		yaml_node_t *g = mr_yaml_node(&r->y, items[i]), *v[G_N];
		if (!g)
			return;
		mr_grade *gr = &p->grades[p->ngrades++];
		int bad = r->y.bad;
		gr->at = mr_yaml_pos(g);
		if (mr_yaml_fields(&r->y, g, "a grade", keys, v) == 0) {
			mr_yaml_string(&r->y, v[G_GRADE], "grade", &gr->grade);
			if (mr_yaml_number(&r->y, v[G_MIN], "min", &gr->min) == 0)
				required(r, g, bad, "the grade", "min");
			if (mr_yaml_fixed(&r->y, v[G_BONUS], "bonus", MR_COEF_SCALE, &gr->coef) == 0)
				required(r, g, bad, "the grade", "bonus (the coefficient, e.g. 1.0)");
		}
		if (r->y.bad != bad) {
			taint(r, gr->at);
			if (i + 1 < count) {            /* the next one compares its min */
				yaml_node_t *next = yaml_document_get_node(&r->y.doc, items[i + 1]);
				taint(r, mr_yaml_pos(next));
			}
		}
	}
}

static void read_distribution(reader *r, yaml_node_t *n)
{
	mr_plan *p = r->p;
	if (!n || mr_yaml_is_null(n))
		return;
	p->at_distribution = mr_yaml_pos(n);
	if (n->type != YAML_MAPPING_NODE) {
		mr_yaml_problem(&r->y, n, "distribution must be a mapping of grade to percent, "
		                "e.g. {S: 10, A: 20}");
		return;
	}
	long count = (long)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (!(p->quotas = items_alloc(r, count, sizeof *p->quotas)))
		return;
	for (long i = 0; i < count; i++) {
		yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
		yaml_node_t *k = mr_yaml_node(&r->y, pr->key), *v = mr_yaml_node(&r->y, pr->value);
		if (!k || !v)
			return;
		mr_quota *qu = &p->quotas[p->nquotas++];
		int bad = r->y.bad;
		qu->at = mr_yaml_pos(k);
		if (mr_yaml_string(&r->y, k, "a distribution grade", &qu->grade) == 0)
			mr_yaml_problem(&r->y, k, "distribution: a grade name is empty");
		if (mr_yaml_number(&r->y, v, "distribution percent", &qu->pct) == 0)
			required(r, k, bad, "the distribution grade", "percent");
		if (r->y.bad != bad)
			taint(r, qu->at);
	}
}

/* ---- indicators ---- */

static void read_indicators(reader *r, yaml_node_t *n)
{
	enum { I_KEY, I_NAME, I_UNIT, I_DIR, I_AGG, I_SOURCE, I_N };
	static const char *const keys[] = { "key", "name", "unit", "direction", "aggregate",
	                                    "source", NULL };
	yaml_node_item_t *items;
	mr_plan *p = r->p;
	long count = mr_yaml_items(&r->y, n, "indicators", &items);
	if (count <= 0 || !(p->indicators = items_alloc(r, count, sizeof *p->indicators)))
		return;
	for (long i = 0; i < count; i++) {
		yaml_node_t *in = mr_yaml_node(&r->y, items[i]), *v[I_N];
		if (!in)
			return;
		mr_indicator *ind = &p->indicators[p->nindicators++];
		int bad = r->y.bad, e;
		ind->at = mr_yaml_pos(in);
		if (mr_yaml_fields(&r->y, in, "an indicator", keys, v) == 0) {
			mr_yaml_string(&r->y, v[I_KEY], "key", &ind->key);
			mr_yaml_string(&r->y, v[I_NAME], "name", &ind->name);
			if (mr_yaml_enum(&r->y, v[I_UNIT], "unit", r->unit, 6, &e) == 1)
				ind->unit = (mr_unit)e;
			if (mr_yaml_enum(&r->y, v[I_DIR], "direction", r->dir, 2, &e) == 1)
				ind->direction = (mr_direction)e;
			if (mr_yaml_enum(&r->y, v[I_AGG], "aggregate", r->agg, 6, &e) == 1)
				ind->aggregate = (mr_aggregate)e;
			mr_yaml_string(&r->y, v[I_SOURCE], "source", &ind->source);
			if (!ind->source)
				ind->source = dup(r, "manual");
			if (!ind->name && ind->key)
				ind->name = dup(r, ind->key);
		}
		if (r->y.bad != bad)
			taint(r, ind->at);
	}
}

/* ---- positions and their KPIs ---- */

static void read_bands(reader *r, yaml_node_t *n, mr_kpi *k)
{
	yaml_node_item_t *items;
	long count = mr_yaml_items(&r->y, n, "bands", &items);
	if (count <= 0 || !(k->bands = items_alloc(r, count, sizeof *k->bands)))
		return;
	for (long i = 0; i < count; i++) {
		yaml_node_t *b = mr_yaml_node(&r->y, items[i]);
		yaml_node_item_t *pair;
		if (!b)
			return;
		mr_band *band = &k->bands[k->nbands++];
		long m = b->type == YAML_SEQUENCE_NODE ? mr_yaml_items(&r->y, b, "a band", &pair) : -1;
		if (m != 2) {
			mr_yaml_problem(&r->y, b, "a band must be a pair [bound, points], e.g. [80, 60]");
			continue;
		}
		yaml_node_t *bound = mr_yaml_node(&r->y, pair[0]);
		yaml_node_t *points = mr_yaml_node(&r->y, pair[1]);
		if (mr_yaml_number(&r->y, bound, "band bound", &band->bound) == 0)
			mr_yaml_problem(&r->y, b, "a band has no bound");
		if (mr_yaml_number(&r->y, points, "band points", &band->points) == 0)
			mr_yaml_problem(&r->y, b, "a band has no points");
	}
}

static void read_kpi(reader *r, yaml_node_t *n, mr_kpi *k)
{
	enum { K_IND, K_SCOPE, K_WEIGHT, K_RULE, K_TARGET, K_THRESHOLD, K_CAP, K_BANDS, K_N };
	static const char *const keys[] = { "indicator", "scope", "weight", "rule", "target",
	                                    "threshold", "cap", "bands", NULL };
	yaml_node_t *v[K_N];
	int bad = r->y.bad, e;
	if (mr_yaml_fields(&r->y, n, "a kpi", keys, v))
		return;
	mr_yaml_string(&r->y, v[K_IND], "indicator", &k->indicator);
	if (mr_yaml_enum(&r->y, v[K_SCOPE], "scope", scope_names, 2, &e) == 1)
		k->team = e;
	if (mr_yaml_number(&r->y, v[K_WEIGHT], "weight", &k->weight) == 0)
		required(r, n, bad, "the kpi", "weight");
	int has_rule = mr_yaml_enum(&r->y, v[K_RULE], "rule", r->rule, 4, &e);
	if (has_rule == 1)
		k->rule = (mr_rule)e;
	else if (has_rule == 0)
		required(r, n, bad, "the kpi", "rule (ratio, linear, bands or binary)");
	k->has_target = mr_yaml_number(&r->y, v[K_TARGET], "target", &k->target) == 1;
	k->has_threshold = mr_yaml_number(&r->y, v[K_THRESHOLD], "threshold", &k->threshold) == 1;
	k->has_cap = mr_yaml_number(&r->y, v[K_CAP], "cap", &k->cap) == 1;
	read_bands(r, v[K_BANDS], k);
}

static void read_position(reader *r, yaml_node_t *n, mr_position *pos)
{
	enum { P_KEY, P_NAME, P_STAGE, P_BONUS, P_KPIS, P_DUTIES, P_CRITERIA, P_N };
	static const char *const keys[] = { "key", "name", "stage", "base_bonus", "kpis",
	                                    "duties", "criteria", NULL };
	yaml_node_t *v[P_N];
	yaml_node_item_t *items;
	long count;
	int bad = r->y.bad;
	if (mr_yaml_fields(&r->y, n, "a position", keys, v))
		goto done;
	mr_yaml_string(&r->y, v[P_KEY], "key", &pos->key);
	mr_yaml_string(&r->y, v[P_NAME], "name", &pos->name);
	mr_yaml_string(&r->y, v[P_STAGE], "stage", &pos->stage);
	mr_yaml_string(&r->y, v[P_DUTIES], "duties", &pos->duties);
	if (v[P_CRITERIA] && !mr_yaml_is_null(v[P_CRITERIA])) {
		pos->has_criteria = 1;
		read_criteria_list(r, v[P_CRITERIA], &pos->criteria, &pos->ncriteria,
		                   &pos->at_criteria);
	}
	pos->has_base_bonus =
		mr_yaml_money(&r->y, v[P_BONUS], "base_bonus", &pos->base_bonus_cents) == 1;
	if (!pos->name && pos->key)
		pos->name = dup(r, pos->key);
	count = mr_yaml_items(&r->y, v[P_KPIS], "kpis", &items);
	if (count <= 0 || !(pos->kpis = items_alloc(r, count, sizeof *pos->kpis)))
		goto done;
	for (long i = 0; i < count; i++) {
		yaml_node_t *kn = mr_yaml_node(&r->y, items[i]);
		if (!kn)
			break;
		mr_kpi *k = &pos->kpis[pos->nkpis++];
		int kbad = r->y.bad;
		k->at = mr_yaml_pos(kn);
		read_kpi(r, kn, k);
		if (r->y.bad != kbad)
			taint(r, k->at);
	}
done:
	if (r->y.bad != bad)
		taint(r, pos->at);            /* its weights total */
}

static void read_positions(reader *r, yaml_node_t *n)
{
	yaml_node_item_t *items;
	mr_plan *p = r->p;
	long count = mr_yaml_items(&r->y, n, "positions", &items);
	if (count <= 0 || !(p->positions = items_alloc(r, count, sizeof *p->positions)))
		return;
	for (long i = 0; i < count; i++) {
		yaml_node_t *pn = mr_yaml_node(&r->y, items[i]);
		if (!pn)
			return;
		mr_position *pos = &p->positions[p->npositions++];
		pos->at = mr_yaml_pos(pn);
		read_position(r, pn, pos);
	}
}

static void read_overrides(reader *r, yaml_node_t *n)
{
	enum { O_LOGIN, O_IND, O_TARGET, O_THRESHOLD, O_N };
	static const char *const keys[] = { "login", "indicator", "target", "threshold", NULL };
	yaml_node_item_t *items;
	mr_plan *p = r->p;
	long count = mr_yaml_items(&r->y, n, "overrides", &items);
	if (count <= 0 || !(p->overrides = items_alloc(r, count, sizeof *p->overrides)))
		return;
	for (long i = 0; i < count; i++) {
		yaml_node_t *on = mr_yaml_node(&r->y, items[i]), *v[O_N];
		if (!on)
			return;
		mr_override *o = &p->overrides[p->noverrides++];
		int bad = r->y.bad;
		o->at = mr_yaml_pos(on);
		if (mr_yaml_fields(&r->y, on, "an override", keys, v) == 0) {
			mr_yaml_string(&r->y, v[O_LOGIN], "login", &o->login);
			mr_yaml_string(&r->y, v[O_IND], "indicator", &o->indicator);
			o->has_target = mr_yaml_number(&r->y, v[O_TARGET], "target", &o->target) == 1;
			o->has_threshold =
				mr_yaml_number(&r->y, v[O_THRESHOLD], "threshold", &o->threshold) == 1;
		}
		if (r->y.bad != bad)
			taint(r, o->at);
	}
}

/* ---- the top level ---- */

/* What a plan gets when it leaves out criteria or grades (SPEC section 3:
 * "a value with no key gets the default shown"): the built-in plan's
 * one criterion and five grades, moved over from it. */
static void defaults(reader *r, int criteria, int grades)
{
	mr_plan *b = NULL, *p = r->p;
	if (!criteria && !grades)
		return;
	if (mr_plan_builtin(&b, MR_GOAL_NONE, MR_PERIOD_MONTH, NULL)) {
		r->y.nomem = 1;
		return;
	}
	if (criteria) {
		p->criteria = b->criteria;
		p->ncriteria = b->ncriteria;
		b->criteria = NULL;
		b->ncriteria = 0;
	}
	if (grades) {
		p->grades = b->grades;
		p->ngrades = b->ngrades;
		b->grades = NULL;
		b->ngrades = 0;
	}
	mr_plan_free(b);
}

static void read_blend(reader *r, yaml_node_t *n)
{
	static const char *const keys[] = { "kpi", "manager", "self", "peer", "upward", NULL };
	yaml_node_t *v[MR_NCOMP];
	mr_plan *p = r->p;
	int bad = r->y.bad;
	if (!n || mr_yaml_is_null(n))
		return;
	p->at_blend = mr_yaml_pos(n);
	if (mr_yaml_fields(&r->y, n, "blend", keys, v) == 0) {
		/* Given, it is complete: a component it leaves out weighs 0. */
		for (int i = 0; i < MR_NCOMP; i++) {
			p->blend[i] = 0;
			mr_yaml_number(&r->y, v[i], keys[i], &p->blend[i]);
		}
	}
	if (r->y.bad != bad)
		taint(r, p->at_blend);
}

static void read_top(reader *r, yaml_node_t *root)
{
	enum { T_GOAL, T_PERIOD, T_MISSING, T_SCALE, T_BLEND, T_FORMULA, T_CRITERIA,
	       T_GRADES, T_DISTRIBUTION, T_POOL, T_INDICATORS, T_POSITIONS, T_OVERRIDES,
	       T_COMPANY, T_MIN_COVERAGE, T_PEERS, T_CURRENCY, T_LOCALE, T_N };
	static const char *const keys[] = { "goal", "period", "missing", "rating_scale",
		"blend", "formula", "criteria", "grades", "distribution", "bonus_pool",
		"indicators", "positions", "overrides", "company", "min_coverage", "peers", "currency", "locale", NULL };
	yaml_node_t *v[T_N];
	mr_plan *p = r->p;
	int e;
	double d;
	int64_t cents;
	if (mr_yaml_fields(&r->y, root, "the plan", keys, v))
		return;
	mr_yaml_string(&r->y, v[T_COMPANY], "company", &p->company);
	if (mr_yaml_string(&r->y, v[T_CURRENCY], "currency", &p->currency) == 1) {
		const char *c = p->currency;
		if (strlen(c) != 3 || strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
			mr_yaml_problem(&r->y, v[T_CURRENCY], "currency \"%s\" is not an ISO 4217 "
			                "code: three capital letters, like CNY, USD or EUR", c);
	}
	if (mr_yaml_enum(&r->y, v[T_LOCALE], "locale", r->locale, 2, &e) == 1) {
		p->has_locale = 1;
		p->locale = (mr_locale)e;
	}
	if (mr_yaml_enum(&r->y, v[T_GOAL], "goal", r->goal, 4, &e) == 1)
		p->goal = (mr_goal)e;
	if (mr_yaml_enum(&r->y, v[T_PERIOD], "period", r->period, 4, &e) == 1)
		p->period = (mr_period_kind)e;
	if (mr_yaml_enum(&r->y, v[T_MISSING], "missing", r->missing, 3, &e) == 1)
		p->missing = (mr_missing)e;
	if (mr_yaml_enum(&r->y, v[T_PEERS], "peers", r->peers, 2, &e) == 1)
		p->peers = (mr_peers)e;
	if (mr_yaml_number(&r->y, v[T_MIN_COVERAGE], "min_coverage", &d) == 1) {
		p->at_min_coverage = mr_yaml_pos(v[T_MIN_COVERAGE]);
		if (d >= 0 && d <= 100)
			p->min_coverage = d;
		else
			mr_yaml_problem(&r->y, v[T_MIN_COVERAGE], "min_coverage must be from 0 to 100 "
			                "(percent of a person's KPI weight that must have data)");
	}
	if (mr_yaml_number(&r->y, v[T_SCALE], "rating_scale", &d) == 1) {
		if (d >= 1 && d <= 100 && d == floor(d))
			p->rating_scale = (int)d;
		else
			mr_yaml_problem(&r->y, v[T_SCALE], "rating_scale must be a whole number "
			                "from 1 to 100");
	}
	read_blend(r, v[T_BLEND]);
	if (mr_yaml_string(&r->y, v[T_FORMULA], "formula", &p->formula) != 0)
		p->at_formula = mr_yaml_pos(v[T_FORMULA]);
	int no_criteria = !v[T_CRITERIA] || mr_yaml_is_null(v[T_CRITERIA]);
	int no_grades = !v[T_GRADES] || mr_yaml_is_null(v[T_GRADES]);
	defaults(r, no_criteria, no_grades);
	if (!no_criteria)
		read_criteria(r, v[T_CRITERIA]);
	if (!no_grades)
		read_grades(r, v[T_GRADES]);
	read_distribution(r, v[T_DISTRIBUTION]);
	if (mr_yaml_money(&r->y, v[T_POOL], "bonus_pool", &cents) == 1) {
		if (cents >= 0) {
			p->has_bonus_pool = 1;
			p->bonus_pool_cents = cents;
		} else {
			mr_yaml_problem(&r->y, v[T_POOL], "bonus_pool is negative");
		}
	}
	read_indicators(r, v[T_INDICATORS]);
	read_positions(r, v[T_POSITIONS]);
	read_overrides(r, v[T_OVERRIDES]);
}

/* ---- the messages, in file order ---- */

typedef struct line {
	int line, col;          /* 0 when the message has no position */
	size_t seq;             /* order of reporting, for equal positions */
	const char *s;
	size_t len;
	const char *field;      /* the path of the field it is in, or NULL */
} line;

static int line_cmp(const void *a, const void *b)
{
	const line *x = a, *y = b;
	if (!x->line != !y->line)
		return !x->line ? -1 : 1;       /* whole-file problems first */
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char too_many[] = "too many problems; the rest are not shown";

/* Split e's message into lines; validation lines at tainted items are
 * left out. */
static size_t split(reader *r, const mr_err *e, int validation, line *out, size_t n)
{
	size_t flen = strlen(r->y.file), i = 0;
	for (const char *msg = e->msg, *end; msg && *msg; msg = end ? end + 1 : NULL, i++) {
		end = strchr(msg, '\n');
		line l = { 0, 0, n, msg, end ? (size_t)(end - msg) : strlen(msg),
		           mr_err_field(e, i) };
		if (l.len > flen && strncmp(msg, r->y.file, flen) == 0 && msg[flen] == ':') {
			char *e1, *e2;
			long ln = strtol(msg + flen + 1, &e1, 10);
			if (*e1 == ':') {
				long c = strtol(e1 + 1, &e2, 10);
				if (*e2 == ':' && ln > 0 && ln < 1L << 30 && c > 0 && c < 1L << 30)
					l.line = (int)ln, l.col = (int)c;
			}
		}
		if (!validation || !l.line || !tainted(r, l.line, l.col))
			out[n++] = l;
	}
	return n;
}

static size_t count_lines(const char *s)
{
	size_t n = s && *s ? 1 : 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

/* Both reports, merged and sorted by position, at most MAX_SHOWN lines. */
#define MAX_SHOWN 100
static int report(reader *r, const mr_err *perr, const mr_err *verr, mr_err *err)
{
	size_t cap = count_lines(perr->msg) + count_lines(verr->msg), n = 0, shown = 0;
	int cut = 0;
	if (!err || !cap)
		return 0;
	line *lines = calloc(cap, sizeof *lines);
	if (!lines)
		return MR_ENOMEM;
	n = split(r, perr, 0, lines, n);
	n = split(r, verr, 1, lines, n);
	qsort(lines, n, sizeof *lines, line_cmp);
	for (size_t i = 0; i < n; i++) {
		size_t tl = sizeof too_many - 1;
		if (lines[i].len >= tl && !memcmp(lines[i].s + lines[i].len - tl, too_many, tl)) {
			cut = 1;
			continue;
		}
		if (shown == MAX_SHOWN) {
			cut = 1;
			break;
		}
		mr_err_add_field(err, lines[i].field, MR_EINVALID, "%.*s", (int)lines[i].len,
		                 lines[i].s);
		shown++;
	}
	if (cut)
		mr_err_add(err, MR_EINVALID, "%s: %s", r->y.file, too_many);
	free(lines);
	return 0;
}

int mr_plan_parse(mr_plan **out, const char *text, size_t len, const char *file,
                  mr_err *err)
{
	reader r;
	mr_err perr = MR_ERR_INIT, verr = MR_ERR_INIT;
	int rc, vrc = 0;
	*out = NULL;
	memset(&r, 0, sizeof r);
	for (int i = 0; i < 4; i++) {
		r.goal[i] = mr_goal_name((mr_goal)i);
		r.period[i] = mr_period_kind_name((mr_period_kind)i);
		r.rule[i] = mr_rule_name((mr_rule)i);
	}
	for (int i = 0; i < 3; i++)
		r.missing[i] = mr_missing_name((mr_missing)i);
	for (int i = 0; i < 2; i++) {
		r.peers[i] = mr_peers_name((mr_peers)i);
		r.locale[i] = mr_locale_name((mr_locale)i);
	}
	for (int i = 0; i < 6; i++) {
		r.unit[i] = mr_unit_name((mr_unit)i);
		r.agg[i] = mr_aggregate_name((mr_aggregate)i);
	}
	for (int i = 0; i < 2; i++)
		r.dir[i] = mr_direction_name((mr_direction)i);

	/* Problems go to perr and verr first, to be sorted into err. */
	rc = mr_yaml_load(&r.y, text, len, file, &perr);
	if (rc)
		goto done;
	yaml_node_t *root = mr_yaml_root(&r.y);
	if (!root) {
		mr_yaml_problem(&r.y, NULL, "the plan is empty");
		rc = MR_EINVALID;
		goto done;
	}
	if (root->type != YAML_MAPPING_NODE) {
		mr_yaml_problem(&r.y, root, "the plan must be a mapping of keys (goal, criteria, "
		                "indicators, positions, …), not a single value or a list");
		rc = MR_EINVALID;
		goto done;
	}
	if (!(r.p = mr_plan_new())) {
		rc = MR_ENOMEM;
		goto done;
	}
	read_top(&r, root);
	if (r.y.nomem) {
		rc = MR_ENOMEM;
		goto done;
	}
	/* a plan cut short by the size limit is not worth checking further */
	if (r.y.budget >= 0)
		vrc = mr_plan_validate(r.p, r.y.file, &verr);
	if (vrc == MR_ENOMEM) {
		rc = MR_ENOMEM;
		goto done;
	}
	rc = r.y.bad || vrc ? MR_EINVALID : 0;
	if (!rc) {
		*out = r.p;
		r.p = NULL;
	}
done:
	if (rc != MR_ENOMEM && report(&r, &perr, &verr, err) == MR_ENOMEM)
		rc = MR_ENOMEM;
	if (rc == MR_ENOMEM) {
		mr_plan_free(*out);
		*out = NULL;
		mr_err_add(err, MR_ENOMEM, "%s: out of memory", r.y.file ? r.y.file : "plan");
	}
	mr_err_clear(&perr);
	mr_err_clear(&verr);
	mr_plan_free(r.p);
	free(r.taint);
	mr_yaml_release(&r.y);
	return rc;
}

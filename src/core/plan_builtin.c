/* plan_builtin.c — the built-in plans `merit init --goal G` writes: the six
 * positions of SPEC section 1 with their indicators, default weights,
 * targets and base bonuses, each post's duties (from the seed article) and
 * the rating criteria that follow from them, the plan's own criterion (for
 * positions a company adds) and five grades.
 *
 * Data, not logic: a table per position, so changing a default target is a
 * one-number edit.  The result passes mr_plan_validate (a unit test checks
 * every goal and period).
 */
#include "core/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Targets are for a small enterprise over one month; a `sum` indicator's
 * target, threshold and band bounds scale with the period's months (3, 6,
 * 12), and so does the base bonus, which is paid once per cycle.  Ratio,
 * mean and last indicators are rates or levels and do not scale. */

#define NONE NAN
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct bi_indicator {
	const char *key, *name;
	mr_unit unit;
	mr_direction dir;
	mr_aggregate agg;
	const char *source;
} bi_indicator;

static const bi_indicator bi_indicators[] = {
	{ "online_sales", "Online sales revenue", MR_UNIT_CURRENCY, MR_DIR_HIGHER, MR_AGG_SUM, "orders" },
	{ "opportunities", "Business opportunities", MR_UNIT_COUNT, MR_DIR_HIGHER, MR_AGG_SUM, "leads" },
	{ "site_visits", "Website visits", MR_UNIT_COUNT, MR_DIR_HIGHER, MR_AGG_SUM, "logs" },
	{ "new_members", "New registered members", MR_UNIT_COUNT, MR_DIR_HIGHER, MR_AGG_SUM, "members" },
	{ "brand_awareness", "Brand awareness", MR_UNIT_SCORE, MR_DIR_HIGHER, MR_AGG_LAST, "manual" },
	{ "reputation", "Reputation", MR_UNIT_SCORE, MR_DIR_HIGHER, MR_AGG_LAST, "manual" },
	{ "content_updates", "Content updates", MR_UNIT_COUNT, MR_DIR_HIGHER, MR_AGG_SUM, "content" },
	{ "topics_produced", "Special topics produced", MR_UNIT_COUNT, MR_DIR_HIGHER, MR_AGG_SUM, "content" },
	{ "share_rate", "Share rate", MR_UNIT_PERCENT, MR_DIR_HIGHER, MR_AGG_RATIO, "content" },
	{ "promo_posts", "Promotion posts", MR_UNIT_COUNT, MR_DIR_HIGHER, MR_AGG_SUM, "posts" },
	{ "keyword_rank", "Keyword search rank", MR_UNIT_RANK, MR_DIR_LOWER, MR_AGG_MEAN, "ranks" },
	{ "online_customers", "New online customers", MR_UNIT_COUNT, MR_DIR_HIGHER, MR_AGG_SUM, "orders" },
	{ "design_completion", "Designs done on time", MR_UNIT_PERCENT, MR_DIR_HIGHER, MR_AGG_RATIO, "tasks" },
	{ "design_approval", "Designs approved at first review", MR_UNIT_PERCENT, MR_DIR_HIGHER, MR_AGG_RATIO, "tasks" },
	{ "task_completion", "Tasks done on time", MR_UNIT_PERCENT, MR_DIR_HIGHER, MR_AGG_RATIO, "tasks" },
	{ "uptime", "Uptime", MR_UNIT_PERCENT, MR_DIR_HIGHER, MR_AGG_RATIO, "uptime" },
};

typedef struct bi_kpi {
	const char *indicator;
	int team;
	double weight;
	mr_rule rule;
	double target, threshold, cap;      /* NONE when not given */
	const mr_band *bands;
	size_t nbands;
} bi_kpi;

static const mr_band rank_bands[] = { { 50, 0 }, { 20, 60 }, { 10, 80 }, { 3, 100 } };
static const mr_band uptime_bands[] = { { 99, 40 }, { 99.5, 70 }, { 99.9, 90 }, { 99.95, 100 } };

#define KPI(ind, team, w, rule, target, threshold, cap) \
	{ ind, team, w, rule, target, threshold, cap, NULL, 0 }
#define BANDS(ind, w, b) \
	{ ind, 0, w, MR_RULE_BANDS, NONE, NONE, NONE, b, COUNT(b) }

static const bi_kpi mgr_sales[] = {
	KPI("online_sales", 1, 60, MR_RULE_RATIO, 500000, NONE, 120),
	KPI("opportunities", 1, 40, MR_RULE_LINEAR, 300, 100, NONE),
};
static const bi_kpi mgr_platform[] = {
	KPI("site_visits", 1, 50, MR_RULE_RATIO, 30000, NONE, 120),
	KPI("new_members", 1, 50, MR_RULE_RATIO, 300, NONE, 120),
};
static const bi_kpi mgr_brand[] = {
	KPI("site_visits", 1, 40, MR_RULE_RATIO, 30000, NONE, 120),
	KPI("brand_awareness", 1, 30, MR_RULE_LINEAR, 80, 40, NONE),
	KPI("reputation", 1, 30, MR_RULE_LINEAR, 90, 60, NONE),
};
/* No goal: the manager still answers for the team's traffic and sales, so
 * the scorecard is not empty; the CLI says plainly that no goal is set. */
static const bi_kpi mgr_none[] = {
	KPI("site_visits", 1, 50, MR_RULE_RATIO, 30000, NONE, 120),
	KPI("online_sales", 1, 50, MR_RULE_RATIO, 500000, NONE, 120),
};
static const bi_kpi editor_kpis[] = {
	KPI("content_updates", 0, 40, MR_RULE_RATIO, 60, NONE, 120),
	KPI("topics_produced", 0, 30, MR_RULE_RATIO, 4, NONE, 120),
	KPI("share_rate", 0, 30, MR_RULE_RATIO, 5, NONE, 120),
};
static const bi_kpi promoter_kpis[] = {
	KPI("promo_posts", 0, 25, MR_RULE_RATIO, 40, NONE, 120),
	KPI("site_visits", 0, 25, MR_RULE_RATIO, 10000, NONE, 120),
	BANDS("keyword_rank", 20, rank_bands),
	KPI("online_customers", 0, 30, MR_RULE_RATIO, 50, NONE, 120),
};
static const bi_kpi designer_kpis[] = {
	KPI("design_completion", 0, 60, MR_RULE_LINEAR, 95, 60, NONE),
	KPI("design_approval", 0, 40, MR_RULE_LINEAR, 90, 50, NONE),
};
static const bi_kpi developer_kpis[] = {
	KPI("task_completion", 0, 100, MR_RULE_LINEAR, 95, 60, NONE),
};
static const bi_kpi support_kpis[] = {
	KPI("task_completion", 0, 50, MR_RULE_LINEAR, 95, 60, NONE),
	BANDS("uptime", 50, uptime_bands),
};

/* What each post is rated on: its duties in the seed article, each a
 * criterion a manager can judge. */
typedef struct bi_criterion { const char *key, *name; double weight; } bi_criterion;

static const bi_criterion mgr_crit[] = {
	{ "goal", "Carries out the operating goal", 50 },
	{ "system", "Makes the department's management system", 20 },
	{ "team", "Improves the team's fighting ability", 30 },
};
static const bi_criterion editor_crit[] = {
	{ "value", "Provides content of value to the market and sales", 50 },
	{ "appeal", "Content that moves readers to act", 30 },
	{ "timeliness", "Updates on time", 20 },
};
static const bi_criterion promoter_crit[] = {
	{ "analysis", "Analyses the enterprise's network performance", 30 },
	{ "strategy", "Puts forward the promotion strategy", 30 },
	{ "execution", "Carries out the promotion plan", 40 },
};
static const bi_criterion designer_crit[] = {
	{ "visual", "Expresses the enterprise's visual identity", 40 },
	{ "layout", "Designs the layout and advertising images", 40 },
	{ "coherence", "Holds the overall look of the web presence", 20 },
};
static const bi_criterion developer_crit[] = {
	{ "technology", "Keeps up with web technology", 30 },
	{ "functions", "Turns the operating strategy into site functions", 40 },
	{ "process", "Puts the business processes online", 30 },
};
static const bi_criterion support_crit[] = {
	{ "running", "Keeps the network resources running normally", 60 },
	{ "efficiency", "Keeps them running efficiently", 40 },
};

typedef struct bi_position {
	const char *key, *name, *stage, *duties;
	int64_t bonus_cents;
	const bi_kpi *kpis;
	size_t nkpis;
	const bi_criterion *crit;
	size_t ncrit;
} bi_position;

#define POS(key, name, stage, duties, bonus, kpis, crit) \
	{ key, name, stage, duties, bonus, kpis, COUNT(kpis), crit, COUNT(crit) }

static const bi_position bi_positions[] = {
	POS("manager", "Operations manager", "evaluation",
	    "Works with the enterprise's strategy, carries out the operating goal, makes the "
	    "department's management system and improves the team's fighting ability.",
	    800000, mgr_none, mgr_crit),                       /* kpis by goal */
	POS("editor", "Network editor", "content",
	    "Provides valuable content, in step with the enterprise's market and sales, that "
	    "moves readers to act.", 400000, editor_kpis, editor_crit),
	POS("promoter", "Network promotion", "promotion",
	    "Analyses the enterprise's network performance, puts forward the promotion strategy "
	    "and carries out the promotion plan.", 450000, promoter_kpis, promoter_crit),
	POS("designer", "Web art", "construction",
	    "Integrates the enterprise's visual expression, designs the site layout and "
	    "advertising images, and holds the overall look of the web presence.",
	    400000, designer_kpis, designer_crit),
	POS("developer", "Website development", "construction",
	    "Follows the development of web technology, turns the operating strategy into the "
	    "site's function modules and puts the business processes online.",
	    500000, developer_kpis, developer_crit),
	POS("support", "Technical support", "construction",
	    "Ensures and maintains the normal and efficient running of the network resources.",
	    350000, support_kpis, support_crit),
};

static const struct { const char *grade; double min; int64_t coef; } bi_grades[] = {
	{ "S", 95, 15000 }, { "A", 85, 12000 }, { "B", 70, 10000 }, { "C", 60, 8000 }, { "D", 0, 0 },
};

static const bi_indicator *bi_find(const char *key)
{
	for (size_t i = 0; i < COUNT(bi_indicators); i++)
		if (strcmp(bi_indicators[i].key, key) == 0)
			return &bi_indicators[i];
	return NULL;
}

/* Add the indicator `key` to the plan unless it is there. */
static int bi_add_indicator(mr_plan *p, const char *key)
{
	if (mr_plan_indicator(p, key))
		return 0;
	const bi_indicator *b = bi_find(key);
	mr_indicator *in = &p->indicators[p->nindicators];
	in->key = strdup(b->key);
	in->name = strdup(b->name);
	in->source = strdup(b->source);
	in->unit = b->unit;
	in->direction = b->dir;
	in->aggregate = b->agg;
	p->nindicators++;
	return in->key && in->name && in->source ? 0 : MR_ENOMEM;
}

static int bi_add_position(mr_plan *p, const bi_position *b, const bi_kpi *kpis,
                           size_t nkpis, int months)
{
	mr_position *pos = &p->positions[p->npositions++];
	pos->key = strdup(b->key);
	pos->name = strdup(b->name);
	pos->stage = strdup(b->stage);
	pos->duties = strdup(b->duties);
	pos->has_base_bonus = 1;
	pos->base_bonus_cents = b->bonus_cents * months;
	pos->kpis = calloc(nkpis, sizeof *pos->kpis);
	pos->has_criteria = 1;
	pos->criteria = calloc(b->ncrit, sizeof *pos->criteria);
	if (!pos->key || !pos->name || !pos->stage || !pos->duties || !pos->kpis ||
	    !pos->criteria)
		return MR_ENOMEM;
	for (size_t i = 0; i < b->ncrit; i++) {
		mr_criterion *c = &pos->criteria[pos->ncriteria++];
		c->key = strdup(b->crit[i].key);
		c->name = strdup(b->crit[i].name);
		c->weight = b->crit[i].weight;
		if (!c->key || !c->name)
			return MR_ENOMEM;
	}
	for (size_t i = 0; i < nkpis; i++) {
		const bi_kpi *bk = &kpis[i];
		mr_kpi *k = &pos->kpis[pos->nkpis++];
		double f = bi_find(bk->indicator)->agg == MR_AGG_SUM ? months : 1;
		k->indicator = strdup(bk->indicator);
		if (!k->indicator || bi_add_indicator(p, bk->indicator))
			return MR_ENOMEM;
		k->team = bk->team;
		k->weight = bk->weight;
		k->rule = bk->rule;
		if ((k->has_target = !isnan(bk->target)))
			k->target = bk->target * f;
		if ((k->has_threshold = !isnan(bk->threshold)))
			k->threshold = bk->threshold * f;
		if ((k->has_cap = !isnan(bk->cap)))
			k->cap = bk->cap;
		if (bk->nbands) {
			k->bands = calloc(bk->nbands, sizeof *k->bands);
			if (!k->bands)
				return MR_ENOMEM;
			for (size_t j = 0; j < bk->nbands; j++) {
				k->bands[j].bound = bk->bands[j].bound * f;
				k->bands[j].points = bk->bands[j].points;
			}
			k->nbands = bk->nbands;
		}
	}
	return 0;
}

int mr_plan_builtin(mr_plan **out, mr_goal goal, mr_period_kind period, mr_err *err)
{
	static const int months[] = { 1, 3, 6, 12 };
	int rc = MR_ENOMEM;
	*out = NULL;
	if ((int)goal < MR_GOAL_NONE || goal > MR_GOAL_SALES)
		return mr_err_set(err, MR_EINVALID, "unknown goal; give brand, platform, sales or none");
	if ((int)period < MR_PERIOD_MONTH || period > MR_PERIOD_YEAR)
		return mr_err_set(err, MR_EINVALID, "unknown period; give month, quarter, half or year");
	mr_plan *p = mr_plan_new();
	if (!p)
		goto done;
	p->goal = goal;
	p->period = period;
	p->criteria = calloc(1, sizeof *p->criteria);
	p->grades = calloc(COUNT(bi_grades), sizeof *p->grades);
	p->indicators = calloc(COUNT(bi_indicators), sizeof *p->indicators);
	p->positions = calloc(COUNT(bi_positions), sizeof *p->positions);
	if (!p->criteria || !p->grades || !p->indicators || !p->positions)
		goto done;
	p->ncriteria = 1;
	p->criteria[0].key = strdup("overall");
	p->criteria[0].name = strdup("Overall contribution");
	p->criteria[0].weight = 100;
	if (!p->criteria[0].key || !p->criteria[0].name)
		goto done;
	for (size_t i = 0; i < COUNT(bi_grades); i++) {
		mr_grade *g = &p->grades[p->ngrades++];
		g->min = bi_grades[i].min;
		g->coef = bi_grades[i].coef;
		if (!(g->grade = strdup(bi_grades[i].grade)))
			goto done;
	}
	for (size_t i = 0; i < COUNT(bi_positions); i++) {
		const bi_position *b = &bi_positions[i];
		const bi_kpi *kpis = b->kpis;
		size_t n = b->nkpis;
		if (i == 0) {
			switch (goal) {
			case MR_GOAL_SALES: kpis = mgr_sales; n = COUNT(mgr_sales); break;
			case MR_GOAL_PLATFORM: kpis = mgr_platform; n = COUNT(mgr_platform); break;
			case MR_GOAL_BRAND: kpis = mgr_brand; n = COUNT(mgr_brand); break;
			case MR_GOAL_NONE: break;
			}
		}
		if (bi_add_position(p, b, kpis, n, months[period]))
			goto done;
	}
	*out = p;
	p = NULL;
	rc = 0;
done:
	mr_plan_free(p);
	if (rc)
		mr_err_set(err, rc, "building the built-in plan: out of memory");
	return rc;
}

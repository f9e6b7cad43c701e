/* test_plan.c — the plan layer: built-in plans, the YAML reader with its
 * messages (each checked down to "plan.yaml:LINE:COL:"), validation of
 * every rule of SPEC section 3, and the writer's byte-identical round
 * trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "ingest/plan_yaml.h"
#include "report/plan_write.h"

/* ---- helpers ---- */

static char *export(const mr_plan *p)
{
	mr_buf b;
	mr_buf_init(&b);
	mr_plan_write(&b, p);
	assert_false(mr_buf_oom(&b));
	return mr_buf_detach(&b);
}

/* The leading decimal number of s (atoi is banned). */
static int atoi_free(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

/* Parse text that must be valid. */
static mr_plan *parse_ok(const char *text)
{
	mr_plan *p = NULL;
	mr_err e = MR_ERR_INIT;
	int rc = mr_plan_parse(&p, text, strlen(text), "plan.yaml", &e);
	if (rc)
		fprintf(stderr, "unexpected problems:\n%s\n", e.msg ? e.msg : "(none)");
	assert_int_equal(rc, 0);
	assert_non_null(p);
	assert_null(e.msg);
	mr_err_clear(&e);
	return p;
}

/* Parse text that must fail; returns the messages (free them). */
static char *parse_bad(const char *text, size_t *lines)
{
	mr_plan *p = (mr_plan *)&p;     /* must be set to NULL */
	mr_err e = MR_ERR_INIT;
	int rc = mr_plan_parse(&p, text, strlen(text), "plan.yaml", &e);
	assert_int_equal(rc, MR_EINVALID);
	assert_null(p);
	assert_non_null(e.msg);
	if (lines)
		*lines = e.lines;
	char *m = e.msg;
	e.msg = NULL;
	mr_err_clear(&e);
	return m;
}

/* Parse text that must fail; the field of the problem whose line has
 * `part` (NULL when it has none); fails when no line has it. */
static char *field_of(const char *text, const char *part)
{
	mr_plan *p = NULL;
	mr_err e = MR_ERR_INIT;
	char *found = NULL;
	int hit = 0;
	assert_int_equal(mr_plan_parse(&p, text, strlen(text), "plan.yaml", &e), MR_EINVALID);
	size_t i = 0;
	for (const char *s = e.msg, *end; s && *s && !hit; s = end ? end + 1 : NULL, i++) {
		end = strchr(s, '\n');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)len, s);
		if (strstr(line, part)) {
			hit = 1;
			if (mr_err_field(&e, i))
				found = strdup(mr_err_field(&e, i));
		}
	}
	if (!hit)
		fail_msg("expected a line with \"%s\" in:\n%s", part, e.msg);
	mr_err_clear(&e);
	return found;
}

static void expect_field(const char *text, const char *part, const char *field)
{
	char *f = field_of(text, part);
	if (!f || strcmp(f, field) != 0)
		fail_msg("the problem \"%s\" is at field %s, not %s", part, f ? f : "(none)", field);
	free(f);
}

/* Some line of msgs starts with `prefix` and contains `part`. */
static int has_line(const char *msgs, const char *prefix, const char *part)
{
	const char *s = msgs;
	while (s && *s) {
		const char *end = strchr(s, '\n');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)len, s);
		if (strncmp(line, prefix, strlen(prefix)) == 0 && (!part || strstr(line, part)))
			return 1;
		s = end ? end + 1 : NULL;
	}
	return 0;
}

static void expect(const char *msgs, const char *prefix, const char *part)
{
	if (!has_line(msgs, prefix, part))
		fail_msg("expected a line \"%s…%s\" in:\n%s", prefix, part ? part : "", msgs);
}

/* Parse must fail with exactly one problem, at prefix, containing part. */
static void expect_one(const char *text, const char *prefix, const char *part)
{
	size_t n = 0;
	char *m = parse_bad(text, &n);
	expect(m, prefix, part);
	if (n != 1)
		fail_msg("expected one problem, got %zu:\n%s", n, m);
	free(m);
}

/* A valid base plan; tests replace pieces of it.  Line numbers:
 *  1 indicators:
 *  2   - {key: sales, unit: currency}
 *  3   - {key: rank, unit: rank, direction: lower, aggregate: mean}
 *  4 positions:
 *  5   - key: seller
 *  6     stage: promotion
 *  7     kpis:
 *  8       - {indicator: sales, weight: 60, rule: ratio, target: 100}
 *  9       - {indicator: rank, weight: 40, rule: bands, bands: [[50, 0], [10, 100]]}
 */
#define L1 "indicators:\n"
#define L2 "  - {key: sales, unit: currency}\n"
#define L3 "  - {key: rank, unit: rank, direction: lower, aggregate: mean}\n"
#define L4 "positions:\n"
#define L5 "  - key: seller\n"
#define L6 "    stage: promotion\n"
#define L7 "    kpis:\n"
#define L8 "      - {indicator: sales, weight: 60, rule: ratio, target: 100}\n"
#define L9 "      - {indicator: rank, weight: 40, rule: bands, bands: [[50, 0], [10, 100]]}\n"

/* ---- built-in plans ---- */

static void test_plan__builtin_validates(void **state)
{
	(void)state;
	for (int g = MR_GOAL_NONE; g <= MR_GOAL_SALES; g++)
		for (int k = MR_PERIOD_MONTH; k <= MR_PERIOD_YEAR; k++) {
			mr_plan *p = NULL;
			mr_err e = MR_ERR_INIT;
			assert_int_equal(mr_plan_builtin(&p, (mr_goal)g, (mr_period_kind)k, &e), 0);
			assert_int_equal(p->goal, g);
			assert_int_equal(p->period, k);
			int rc = mr_plan_validate(p, NULL, &e);
			if (rc)
				fail_msg("builtin %d/%d: %s", g, k, e.msg);
			mr_plan_free(p);
			mr_err_clear(&e);
		}
}

static void test_plan__builtin_roundtrip(void **state)
{
	(void)state;
	for (int g = MR_GOAL_NONE; g <= MR_GOAL_SALES; g++)
		for (int k = MR_PERIOD_MONTH; k <= MR_PERIOD_YEAR; k++) {
			mr_plan *p = NULL;
			assert_int_equal(mr_plan_builtin(&p, (mr_goal)g, (mr_period_kind)k, NULL), 0);
			char *a = export(p);
			mr_plan *q = parse_ok(a);
			char *b = export(q);
			assert_string_equal(a, b);
			mr_plan_free(p);
			mr_plan_free(q);
			free(a);
			free(b);
		}
}

static void kpi_keys(const mr_position *pos, char *out, size_t size)
{
	out[0] = 0;
	for (size_t i = 0; i < pos->nkpis; i++) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s%s", i ? "," : "", pos->kpis[i].indicator,
		         pos->kpis[i].team ? "@team" : "");
	}
}

static void test_plan__builtin_positions(void **state)
{
	static const struct { mr_goal g; const char *mgr; } goals[] = {
		{ MR_GOAL_SALES, "online_sales@team,opportunities@team" },
		{ MR_GOAL_PLATFORM, "site_visits@team,new_members@team" },
		{ MR_GOAL_BRAND, "site_visits@team,brand_awareness@team,reputation@team" },
		{ MR_GOAL_NONE, "site_visits@team,online_sales@team" },
	};
	static const struct { const char *key, *stage, *kpis; } pos[] = {
		{ "editor", "content", "content_updates,topics_produced,share_rate" },
		{ "promoter", "promotion", "promo_posts,site_visits,keyword_rank,online_customers" },
		{ "designer", "construction", "design_completion,design_approval" },
		{ "developer", "construction", "task_completion" },
		{ "support", "construction", "task_completion,uptime" },
	};
	char keys[256];
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		mr_plan *p = NULL;
		assert_int_equal(mr_plan_builtin(&p, goals[i].g, MR_PERIOD_MONTH, NULL), 0);
		assert_int_equal(p->npositions, 6);
		const mr_position *m = mr_plan_position(p, "manager");
		assert_non_null(m);
		assert_string_equal(m->stage, "evaluation");
		assert_int_equal(m->base_bonus_cents, 800000);
		kpi_keys(m, keys, sizeof keys);
		assert_string_equal(keys, goals[i].mgr);
		for (size_t j = 0; j < 5; j++) {
			const mr_position *ps = mr_plan_position(p, pos[j].key);
			assert_non_null(ps);
			assert_string_equal(ps->stage, pos[j].stage);
			kpi_keys(ps, keys, sizeof keys);
			assert_string_equal(keys, pos[j].kpis);
		}
		/* every indicator used is declared, and only those */
		for (size_t j = 0; j < p->nindicators; j++) {
			int used = 0;
			for (size_t a = 0; a < p->npositions; a++)
				for (size_t b = 0; b < p->positions[a].nkpis; b++)
					used |= !strcmp(p->positions[a].kpis[b].indicator, p->indicators[j].key);
			assert_true(used);
		}
		assert_int_equal(p->ncriteria, 1);
		assert_string_equal(p->criteria[0].key, "overall");
		/* each post: its duties from the seed and criteria that fit them
		 * (a designer is not rated on the operating goal) */
		static const char *const crit[][2] = {
			{ "manager", "goal,system,team" }, { "editor", "value,appeal,timeliness" },
			{ "promoter", "analysis,strategy,execution" },
			{ "designer", "visual,layout,coherence" },
			{ "developer", "technology,functions,process" }, { "support", "running,efficiency" },
		};
		for (size_t j = 0; j < 6; j++) {
			const mr_position *ps = mr_plan_position(p, crit[j][0]);
			size_t nc, at = 0;
			const mr_criterion *c = mr_plan_criteria(p, crit[j][0], &nc);
			double total = 0;
			assert_true(ps->has_criteria);
			assert_non_null(ps->duties);
			keys[0] = 0;
			for (size_t k = 0; k < nc; k++) {
				at += (size_t)snprintf(keys + at, sizeof keys - at, "%s%s", k ? "," : "",
				                       c[k].key);
				total += c[k].weight;
			}
			assert_string_equal(keys, crit[j][1]);
			assert_float_equal(total, 100, 1e-9);
		}
		assert_non_null(strstr(mr_plan_position(p, "manager")->duties,
		                       "carries out the operating goal"));
		assert_int_equal(p->ngrades, 5);
		assert_string_equal(p->grades[4].grade, "D");
		assert_int_equal(p->grades[0].coef, 15000);
		assert_true(p->blend[0] == 70 && p->blend[1] == 20 && p->blend[2] == 10 && p->blend[3] == 0);
		assert_int_equal(p->missing, MR_MISSING_SKIP);
		mr_plan_free(p);
	}
}

static void test_plan__builtin_indicators(void **state)
{
	mr_plan *p = NULL;
	(void)state;
	assert_int_equal(mr_plan_builtin(&p, MR_GOAL_BRAND, MR_PERIOD_MONTH, NULL), 0);
	const mr_indicator *kr = mr_plan_indicator(p, "keyword_rank");
	assert_non_null(kr);
	assert_int_equal(kr->direction, MR_DIR_LOWER);
	assert_int_equal(kr->unit, MR_UNIT_RANK);
	assert_int_equal(kr->aggregate, MR_AGG_MEAN);
	assert_string_equal(kr->source, "ranks");
	const mr_indicator *up = mr_plan_indicator(p, "uptime");
	assert_int_equal(up->unit, MR_UNIT_PERCENT);
	assert_int_equal(up->aggregate, MR_AGG_RATIO);
	assert_int_equal(mr_plan_indicator(p, "design_completion")->aggregate, MR_AGG_RATIO);
	assert_int_equal(mr_plan_indicator(p, "design_approval")->unit, MR_UNIT_PERCENT);
	const mr_indicator *ba = mr_plan_indicator(p, "brand_awareness");
	assert_string_equal(ba->source, "manual");
	assert_int_equal(ba->unit, MR_UNIT_SCORE);
	assert_string_equal(mr_plan_indicator(p, "reputation")->source, "manual");
	assert_int_equal(mr_plan_indicator(p, "reputation")->unit, MR_UNIT_SCORE);
	assert_null(mr_plan_indicator(p, "online_sales"));
	assert_null(mr_plan_indicator(p, "nope"));
	const mr_position *pr = mr_plan_position(p, "promoter");
	assert_int_equal(pr->kpis[2].rule, MR_RULE_BANDS);
	assert_true(pr->kpis[2].nbands >= 2);
	mr_plan_free(p);
}

/* Sum indicators' targets scale with the period; rates do not. */
static void test_plan__builtin_period_scaling(void **state)
{
	mr_plan *m = NULL, *q = NULL;
	(void)state;
	assert_int_equal(mr_plan_builtin(&m, MR_GOAL_SALES, MR_PERIOD_MONTH, NULL), 0);
	assert_int_equal(mr_plan_builtin(&q, MR_GOAL_SALES, MR_PERIOD_QUARTER, NULL), 0);
	const mr_kpi *ms = &mr_plan_position(m, "manager")->kpis[0];
	const mr_kpi *qs = &mr_plan_position(q, "manager")->kpis[0];
	assert_string_equal(ms->indicator, "online_sales");
	assert_true(qs->target == 3 * ms->target);
	const mr_kpi *mo = &mr_plan_position(m, "manager")->kpis[1];
	const mr_kpi *qo = &mr_plan_position(q, "manager")->kpis[1];
	assert_true(qo->threshold == 3 * mo->threshold);
	const mr_kpi *md = &mr_plan_position(m, "developer")->kpis[0];
	const mr_kpi *qd = &mr_plan_position(q, "developer")->kpis[0];
	assert_true(qd->target == md->target);          /* a ratio */
	const mr_kpi *mk = &mr_plan_position(m, "promoter")->kpis[2];
	const mr_kpi *qk = &mr_plan_position(q, "promoter")->kpis[2];
	assert_true(qk->bands[0].bound == mk->bands[0].bound);   /* a mean */
	mr_plan_free(m);
	mr_plan_free(q);
}

/* ---- round trip ---- */

static const char rich[] =
	"# A hand-written plan with every feature.\n"
	"goal: brand\n"
	"period: quarter\n"
	"missing: require\n"
	"rating_scale: 10\n"
	"blend: {kpi: 50, manager: 25, self: 25, peer: 0}\n"
	"formula: \"(kpi + self + peer) / 3 + min(site_visits, 100) * 0\"\n"
	"criteria:\n"
	"  - key: quality\n"
	"    name: 工作质量\n"
	"    weight: 70\n"
	"  - {key: teamwork, name: \"Team: work\", weight: 30}\n"
	"grades:\n"
	"  - {grade: S, min: 95, bonus: 2}\n"
	"  - {grade: A, min: 85.5, bonus: 1.25}\n"
	"  - {grade: \"yes\", min: 60, bonus: 0.8}\n"
	"  - {grade: D, min: -1, bonus: 0}\n"
	"distribution: {S: 10, A: 20.5}\n"
	"bonus_pool: 50000.5\n"
	"indicators:\n"
	"  - {key: site_visits, name: 网站访问量, unit: count, direction: higher, aggregate: sum, source: logs}\n"
	"  - key: keyword_rank\n"
	"    name: \"Rank #1, [best]\"\n"
	"    unit: rank\n"
	"    direction: lower\n"
	"    aggregate: mean\n"
	"    source: ranks\n"
	"  - {key: response_hours, name: Response time, unit: hours, direction: lower, aggregate: max}\n"
	"  - {key: brand_awareness, unit: score, aggregate: last}\n"
	"  - {key: uptime, name: \"3D \\\"uptime\\\"\\tnow\", unit: percent, aggregate: ratio, source: uptime}\n"
	"  - {key: minval, name: \"yes\", unit: currency, aggregate: min, source: \"null\"}\n"
	"positions:\n"
	"  - key: manager\n"
	"    name: 运营经理\n"
	"    stage: evaluation\n"
	"    base_bonus: 8000\n"
	"    kpis:\n"
	"      - {indicator: site_visits, scope: team, weight: 50, rule: ratio, target: 90000, cap: 120}\n"
	"      - {indicator: brand_awareness, scope: team, weight: 50, rule: linear, target: 80, threshold: 40, cap: 110}\n"
	"  - key: promoter\n"
	"    stage: promotion\n"
	"    base_bonus: 4500.5\n"
	"    kpis:\n"
	"      - {indicator: keyword_rank, weight: 20, rule: bands, bands: [[50, 0], [20, 60], [10, 80.5], [3, 100]]}\n"
	"      - {indicator: response_hours, weight: 30, rule: linear, target: 2, threshold: 24}\n"
	"      - indicator: site_visits\n"
	"        scope: person\n"
	"        weight: 25.5\n"
	"        rule: binary\n"
	"        target: 1000\n"
	"      - {indicator: uptime, weight: 24.5, rule: bands, bands: [[99, 40], [99.9, 100]]}\n"
	"  - key: planner\n"
	"    name: Planner\n"
	"    stage: planning\n"
	"    kpis:\n"
	"      - {indicator: minval, weight: 100, rule: ratio, target: 0.001}\n"
	"overrides:\n"
	"  - {login: lina, indicator: site_visits, target: 30}\n"
	"  - {login: 王伟, indicator: response_hours, threshold: 12}\n"
	"  - {login: bob, indicator: response_hours, target: 1.5, threshold: 20}\n";

static void test_plan__rich_roundtrip(void **state)
{
	(void)state;
	mr_plan *p = parse_ok(rich);
	char *a = export(p);
	mr_plan *q = parse_ok(a);
	char *b = export(q);
	assert_string_equal(a, b);

	/* what was read */
	assert_int_equal(p->goal, MR_GOAL_BRAND);
	assert_int_equal(p->period, MR_PERIOD_QUARTER);
	assert_int_equal(p->missing, MR_MISSING_REQUIRE);
	assert_int_equal(p->rating_scale, 10);
	assert_true(p->blend[MR_COMP_SELF] == 25);
	assert_string_equal(p->formula, "(kpi + self + peer) / 3 + min(site_visits, 100) * 0");
	assert_int_equal(p->at_formula.line, 7);
	assert_int_equal(p->at_formula.col, 10);
	assert_string_equal(p->criteria[0].name, "工作质量");
	assert_string_equal(p->criteria[1].name, "Team: work");
	assert_int_equal(p->grades[1].coef, 12500);
	assert_int_equal(p->grades[0].coef, 20000);
	assert_string_equal(p->grades[2].grade, "yes");
	assert_int_equal(p->nquotas, 2);
	assert_true(p->quotas[1].pct == 20.5);
	assert_int_equal(p->has_bonus_pool, 1);
	assert_int_equal(p->bonus_pool_cents, 5000050);
	const mr_indicator *rt = mr_plan_indicator(p, "response_hours");
	assert_int_equal(rt->unit, MR_UNIT_HOURS);
	assert_int_equal(rt->aggregate, MR_AGG_MAX);
	assert_string_equal(rt->source, "manual");         /* the default */
	const mr_indicator *ba = mr_plan_indicator(p, "brand_awareness");
	assert_string_equal(ba->name, "brand_awareness");  /* name defaults to key */
	assert_int_equal(ba->direction, MR_DIR_HIGHER);
	assert_string_equal(mr_plan_indicator(p, "uptime")->name, "3D \"uptime\"\tnow");
	assert_string_equal(mr_plan_indicator(p, "minval")->source, "null");
	const mr_position *pr = mr_plan_position(p, "promoter");
	assert_string_equal(pr->name, "promoter");
	assert_int_equal(pr->base_bonus_cents, 450050);
	assert_int_equal(pr->at.line, 40);
	assert_int_equal(pr->at.col, 5);
	assert_int_equal(pr->nkpis, 4);
	assert_int_equal(pr->kpis[0].nbands, 4);
	assert_true(pr->kpis[0].bands[2].points == 80.5);
	assert_int_equal(pr->kpis[0].at.line, 44);
	assert_int_equal(pr->kpis[0].at.col, 9);
	assert_int_equal(pr->kpis[2].at.line, 46);
	assert_int_equal(pr->kpis[2].at.col, 9);
	assert_int_equal(pr->kpis[2].team, 0);
	assert_int_equal(pr->kpis[2].rule, MR_RULE_BINARY);
	assert_true(pr->kpis[2].weight == 25.5);
	const mr_position *mg = mr_plan_position(p, "manager");
	assert_int_equal(mg->kpis[0].team, 1);
	assert_int_equal(mg->kpis[1].has_cap, 1);
	assert_true(mg->kpis[1].cap == 110);
	assert_false(mg->kpis[0].has_threshold);
	assert_false(mr_plan_position(p, "planner")->has_base_bonus);
	assert_int_equal(p->noverrides, 3);
	assert_false(p->overrides[1].has_target);
	assert_true(p->overrides[1].has_threshold && p->overrides[1].threshold == 12);
	assert_string_equal(p->overrides[1].login, "王伟");

	/* how it was written */
	assert_non_null(strstr(a, "name: 运营经理\n"));
	assert_non_null(strstr(a, "name: 工作质量, weight: 70}"));
	assert_non_null(strstr(a, "name: \"Team: work\""));
	assert_non_null(strstr(a, "{grade: \"yes\", min: 60, bonus: 0.8}"));
	assert_non_null(strstr(a, "{grade: D, min: -1, bonus: 0.0}"));
	assert_non_null(strstr(a, "name: \"3D \\\"uptime\\\"\\tnow\""));
	assert_non_null(strstr(a, "source: \"null\"}"));
	assert_non_null(strstr(a, "bonus_pool: 50000.50"));
	assert_non_null(strstr(a, "base_bonus: 4500.50\n"));
	assert_non_null(strstr(a, "distribution: {S: 10, A: 20.5}"));
	assert_non_null(strstr(a, "formula: \"(kpi + self + peer) / 3 + min(site_visits, 100) * 0\""));
	assert_non_null(strstr(a, "bands: [[50, 0], [20, 60], [10, 80.5], [3, 100]]}"));
	assert_non_null(strstr(a, "{indicator: site_visits, scope: team, weight: 50, rule: ratio, "
	                          "target: 90000, cap: 120}"));
	assert_non_null(strstr(a, "target: 0.001}"));
	assert_non_null(strstr(a, "{login: 王伟, indicator: response_hours, threshold: 12}"));
	assert_null(strstr(a, "\\u"));                      /* no escaped Chinese */
	mr_plan_free(p);
	mr_plan_free(q);
	free(a);
	free(b);
}

/* Block and flow style read the same. */
static void test_plan__block_and_flow(void **state)
{
	static const char flow[] =
		"{indicators: [{key: sales, unit: currency}], positions: [{key: seller, "
		"stage: promotion, kpis: [{indicator: sales, weight: 100, rule: ratio, target: 5}]}], "
		"criteria: [{key: overall, weight: 100}]}\n";
	static const char block[] =
		"indicators:\n"
		"- key: sales\n"
		"  unit: currency\n"
		"positions:\n"
		"- key: seller\n"
		"  stage: promotion\n"
		"  kpis:\n"
		"  - indicator: sales\n"
		"    weight: 100\n"
		"    rule: ratio\n"
		"    target: 5\n"
		"criteria:\n"
		"- key: overall\n"
		"  weight: 100\n";
	(void)state;
	mr_plan *a = parse_ok(flow), *b = parse_ok(block);
	char *ta = export(a), *tb = export(b);
	assert_string_equal(ta, tb);
	mr_plan_free(a);
	mr_plan_free(b);
	free(ta);
	free(tb);
}

/* A problem's Chinese (msg_zh.c): fields put in place, a prefix that is
 * an English fragment translated, what the person wrote never translated,
 * a message the table lacks kept in English, English left alone. */
static void tr_is(const char *msg, mr_locale lang, const char *want)
{
	mr_buf b;
	mr_buf_init(&b);
	mr_msg_tr(&b, msg, strlen(msg), lang);
	mr_buf_puts(&b, "");
	assert_false(mr_buf_oom(&b));
	assert_string_equal(b.data, want);
	mr_buf_release(&b);
}

static void test_plan__problem_zh(void **state)
{
	(void)state;
	tr_is("position \"promoter\": kpi weights total 90, not 100", MR_LOCALE_ZH_CN,
	      "岗位“promoter”：考核项权重合计为 90，不是 100");
	tr_is("position \"ed\": criteria weights total 80, not 100", MR_LOCALE_ZH_CN,
	      "岗位“ed”：评分项权重合计为 80，不是 100");
	tr_is("the plan's formula cannot be worked out for them: division by zero (the '/' at "
	      "column 15)", MR_LOCALE_ZH_CN, "无法按方案的公式计算其得分：除数为零（第 15 列的“/”）");
	tr_is("criteria weights total 80, not 100", MR_LOCALE_ZH_CN, "评分项权重合计为 80，不是 100");
	/* a key named like a fragment is what the person wrote: kept */
	tr_is("position \"a kpi\" is listed twice", MR_LOCALE_ZH_CN, "岗位“a kpi”重复列出");
	tr_is("rule \"nope\" is not one of ratio, linear, bands or binary", MR_LOCALE_ZH_CN,
	      "rule“nope”不是 ratio, linear, bands 或 binary 之一");
	tr_is("a kpi must be a mapping of keys to values, not a list", MR_LOCALE_ZH_CN,
	      "考核项 必须是键到值的映射，不能是 列表");
	tr_is("distribution S: 120% is out of range 0 to 100", MR_LOCALE_ZH_CN,
	      "强制分布 S：120% 超出 0 到 100 的范围");
	tr_is("something merit never says", MR_LOCALE_ZH_CN, "something merit never says");
	tr_is("position \"x\" is listed twice", MR_LOCALE_EN, "position \"x\" is listed twice");
}

static void test_plan__chinese_names(void **state)
{
	static const char text[] =
		"criteria:\n"
		"  - {key: overall, name: 综合贡献, weight: 100}\n"
		"grades:\n"
		"  - {grade: 优秀, min: 90, bonus: 1.5}\n"
		"  - {grade: 合格, min: 0, bonus: 1}\n"
		"distribution: {优秀: 20}\n"
		"indicators:\n"
		"  - {key: visits, name: 网站访问量（次）, unit: count}\n"
		"positions:\n"
		"  - key: editor\n"
		"    name: 网络编辑\n"
		"    stage: content\n"
		"    kpis:\n"
		"      - {indicator: visits, weight: 100, rule: ratio, target: 10}\n"
		"overrides:\n"
		"  - {login: 李娜, indicator: visits, target: 8}\n";
	(void)state;
	mr_plan *p = parse_ok(text);
	assert_string_equal(p->grades[0].grade, "优秀");
	assert_string_equal(p->quotas[0].grade, "优秀");
	char *a = export(p);
	assert_non_null(strstr(a, "  - {grade: 优秀, min: 90, bonus: 1.5}\n"));
	assert_non_null(strstr(a, "distribution: {优秀: 20}"));
	assert_non_null(strstr(a, "name: 网站访问量（次）, unit: count,"));
	assert_non_null(strstr(a, "    name: 网络编辑\n"));
	assert_non_null(strstr(a, "{login: 李娜, indicator: visits, target: 8}"));
	mr_plan *q = parse_ok(a);
	char *b = export(q);
	assert_string_equal(a, b);
	assert_string_equal(mr_plan_position(q, "editor")->name, "网络编辑");
	mr_plan_free(p);
	mr_plan_free(q);
	free(a);
	free(b);
}

/* Text that YAML would read as something else is quoted, and escapes
 * round-trip: booleans, nulls, numbers, punctuation, line breaks, NEL
 * and line separators, control characters. */
static void test_plan__quoting(void **state)
{
	static const char *const names[] = {
		"yes", "No", "null", "~", "", "3D", "-x", "a: b", "a #b", "[x]", "{y}", "a,b",
		"say \"hi\"", "back\\slash", " lead", "trail ", "two\nlines", "tab\there",
		"nel\xC2\x85" "end", "ls\xE2\x80\xA8" "end", "bom\xEF\xBB\xBF", "del\x7F",
		"c1\xC2\x80", "ok plain-name (x) 100%", "日本語", "emoji \xF0\x9F\x98\x80", "*star",
		"&amp", "!tag", "%pct", "@at", "`tick", "|pipe", ">gt", "'single", "?q", ".5",
		"+1", "=", "1e3", "o'brien",
	};
	(void)state;
	mr_plan *p = NULL;
	assert_int_equal(mr_plan_builtin(&p, MR_GOAL_SALES, MR_PERIOD_MONTH, NULL), 0);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		free(p->criteria[0].name);
		p->criteria[0].name = strdup(names[i]);
		char *a = export(p);
		mr_plan *q = parse_ok(a);
		if (strcmp(q->criteria[0].name, names[i]) != 0)
			fail_msg("name %zu \"%s\" came back as \"%s\"", i, names[i], q->criteria[0].name);
		char *b = export(q);
		assert_string_equal(a, b);
		mr_plan_free(q);
		free(a);
		free(b);
	}
	/* plain when it can be */
	free(p->criteria[0].name);
	p->criteria[0].name = strdup("ok plain-name (x) 100%");
	char *a = export(p);
	assert_non_null(strstr(a, "name: ok plain-name (x) 100%, weight"));
	free(a);
	/* invalid UTF-8 from code is written as U+FFFD, still readable */
	free(p->criteria[0].name);
	p->criteria[0].name = strdup("bad\xFF" "byte");
	a = export(p);
	mr_plan *q = parse_ok(a);
	assert_string_equal(q->criteria[0].name, "bad\xEF\xBF\xBD" "byte");
	mr_plan_free(q);
	free(a);
	mr_plan_free(p);
}

/* Defaults for keys left out. */
static void test_plan__defaults(void **state)
{
	(void)state;
	mr_plan *n = mr_plan_new();
	assert_int_equal(n->goal, MR_GOAL_NONE);
	assert_int_equal(n->period, MR_PERIOD_MONTH);
	assert_int_equal(n->missing, MR_MISSING_SKIP);
	assert_int_equal(n->rating_scale, 5);
	assert_true(n->blend[0] == 70 && n->blend[1] == 20 && n->blend[2] == 10 && n->blend[3] == 0);
	assert_null(n->formula);
	assert_int_equal(n->ncriteria + n->ngrades + n->nindicators + n->npositions, 0);
	mr_plan_free(n);
	mr_plan_free(NULL);

	mr_plan *p = parse_ok(L1 L2 L3 L4 L5 L6 L7 L8 L9);
	assert_int_equal(p->goal, MR_GOAL_NONE);
	assert_int_equal(p->ncriteria, 1);
	assert_string_equal(p->criteria[0].key, "overall");
	assert_int_equal(p->ngrades, 5);
	assert_string_equal(p->grades[0].grade, "S");
	assert_int_equal(p->grades[3].coef, 8000);
	const mr_indicator *s = mr_plan_indicator(p, "sales");
	assert_int_equal(s->direction, MR_DIR_HIGHER);
	assert_int_equal(s->aggregate, MR_AGG_SUM);
	assert_string_equal(s->name, "sales");
	assert_string_equal(s->source, "manual");
	assert_int_equal(mr_plan_indicator(p, "rank")->unit, MR_UNIT_RANK);
	assert_string_equal(mr_plan_position(p, "seller")->name, "seller");
	assert_int_equal(mr_plan_position(p, "seller")->kpis[0].team, 0);
	assert_non_null(mr_plan_grade(p, "B"));
	assert_null(mr_plan_grade(p, "Z"));
	assert_null(mr_plan_position(p, "nobody"));
	mr_plan_free(p);

	/* a blend that is given is complete: left-out components weigh 0 */
	p = parse_ok("blend: {kpi: 100}\n" L1 L2 L3 L4 L5 L6 L7 L8 L9);
	assert_true(p->blend[0] == 100 && p->blend[1] == 0 && p->blend[2] == 0);
	mr_plan_free(p);
}


/* Issue 9's keys: min_coverage, peers, upward in the blend, a position's
 * duties and criteria; each problem at its line and column. */
static void test_plan__review_keys(void **state)
{
	(void)state;
	mr_plan *n = mr_plan_new();
	assert_float_equal(n->min_coverage, 50, 0);
	assert_int_equal(n->peers, MR_PEERS_NOMINATED);
	assert_float_equal(n->blend[MR_COMP_UPWARD], 0, 0);
	mr_plan_free(n);

	mr_plan *p = parse_ok("min_coverage: 75\npeers: open\n"
	                      "blend: {kpi: 50, manager: 20, self: 10, peer: 0, upward: 20}\n"
	                      L1 L2 L3 L4 L5 L6
	                      "    duties: Sells online; 在线销售。\n"
	                      "    criteria:\n"
	                      "      - {key: deals, name: Closes deals, weight: 70}\n"
	                      "      - {key: care, weight: 30}\n"
	                      L7 L8 L9);
	assert_float_equal(p->min_coverage, 75, 0);
	assert_int_equal(p->peers, MR_PEERS_OPEN);
	assert_float_equal(p->blend[MR_COMP_UPWARD], 20, 0);
	const mr_position *pos = mr_plan_position(p, "seller");
	assert_string_equal(pos->duties, "Sells online; 在线销售。");
	assert_true(pos->has_criteria);
	assert_int_equal(pos->ncriteria, 2);
	assert_string_equal(pos->criteria[1].name, "care");    /* the key when no name */
	size_t nc;
	assert_ptr_equal(mr_plan_criteria(p, "seller", &nc), pos->criteria);
	assert_ptr_equal(mr_plan_criteria(p, "nobody", &nc), p->criteria);
	/* written and read back the same */
	mr_buf b;
	mr_buf_init(&b);
	mr_plan_write(&b, p);
	mr_plan *q = parse_ok(b.data);
	const mr_position *qp = mr_plan_position(q, "seller");
	assert_string_equal(qp->duties, pos->duties);
	assert_int_equal(qp->ncriteria, 2);
	assert_string_equal(qp->criteria[0].key, "deals");
	assert_float_equal(qp->criteria[0].weight, 70, 0);
	assert_float_equal(q->min_coverage, 75, 0);
	assert_int_equal(q->peers, MR_PEERS_OPEN);
	assert_float_equal(q->blend[MR_COMP_UPWARD], 20, 0);
	mr_buf_release(&b);
	mr_plan_free(q);
	mr_plan_free(p);

	expect_one("min_coverage: 120\n" L1 L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:1:15: ",
	           "min_coverage must be from 0 to 100");
	expect_one("peers: everyone\n" L1 L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:1:8: ",
	           "nominated");
	expect_one(L1 L2 L3 L4 L5 L6
	           "    criteria:\n"
	           "      - {key: deals, weight: 70}\n"
	           L7 L8 L9, "plan.yaml:8:7: ",
	           "position \"seller\": criteria weights total 70, not 100");
	expect_one(L1 L2 L3 L4 L5 L6
	           "    criteria:\n"
	           "      - {key: deals, weight: 50}\n"
	           "      - {key: deals, weight: 50}\n"
	           L7 L8 L9, "plan.yaml:9:9: ",
	           "position \"seller\": criterion \"deals\" is listed twice");
	/* a final may not rest on self, peer and upward ratings alone: nor a
	 * formula's */
	expect_one("formula: \"(self + peer) / 2\"\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:10: ", "formula uses only self, peer and upward ratings");
	mr_plan *g = parse_ok("formula: \"(sales + self) / 2\"\n" L1 L2 L3 L4 L5 L6 L7 L8 L9);
	mr_plan_free(g);
	expect_one("blend: {kpi: 0, manager: 0, self: 50, peer: 25, upward: 25}\n"
	           L1 L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:1:8: ",
	           "may not rest on self, peer and upward ratings alone");
}

/* Issue 10's key: currency, ISO 4217; none by default; written and read
 * back; anything but three capital letters refused at its line:column. */
static void test_plan__currency(void **state)
{
	(void)state;
	mr_plan *n = mr_plan_new();
	assert_null(n->currency);
	char *text = export(n);
	assert_null(strstr(text, "currency"));      /* none named: none written */
	free(text);
	mr_plan_free(n);

	mr_plan *p = parse_ok("company: Shop\ncurrency: CNY\n" L1 L2 L3 L4 L5 L6 L7 L8 L9);
	assert_string_equal(p->currency, "CNY");
	text = export(p);
	assert_non_null(strstr(text, "\ncurrency: CNY"));
	mr_plan *q = parse_ok(text);
	assert_string_equal(q->currency, "CNY");
	char *again = export(q);
	assert_string_equal(again, text);           /* byte-identical round trip */
	free(again);
	free(text);
	mr_plan_free(q);
	mr_plan_free(p);

	expect_one("currency: cny\n" L1 L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:1:11: ",
	           "currency \"cny\" is not an ISO 4217 code: three capital letters");
	expect_one(L1 L2 L3 "currency: RMB¥\n" L4 L5 L6 L7 L8 L9, "plan.yaml:4:11: ",
	           "is not an ISO 4217 code");
	expect_one("currency: EURO\n" L1 L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:1:11: ",
	           "is not an ISO 4217 code");
	expect_one("currency: [USD]\n" L1 L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:1:11: ",
	           "currency");
}

static void test_plan__enum_names(void **state)
{
	(void)state;
	assert_string_equal(mr_goal_name(MR_GOAL_PLATFORM), "platform");
	assert_int_equal(mr_goal_parse("sales"), MR_GOAL_SALES);
	assert_int_equal(mr_goal_parse("none"), MR_GOAL_NONE);
	assert_int_equal(mr_goal_parse("Sales"), -1);
	assert_int_equal(mr_goal_parse(NULL), -1);
	assert_string_equal(mr_period_kind_name(MR_PERIOD_HALF), "half");
	assert_int_equal(mr_period_kind_parse("year"), MR_PERIOD_YEAR);
	assert_string_equal(mr_missing_name(MR_MISSING_REQUIRE), "require");
	assert_int_equal(mr_missing_parse("zero"), MR_MISSING_ZERO);
	assert_string_equal(mr_unit_name(MR_UNIT_HOURS), "hours");
	assert_int_equal(mr_unit_parse("score"), MR_UNIT_SCORE);
	assert_string_equal(mr_direction_name(MR_DIR_LOWER), "lower");
	assert_int_equal(mr_direction_parse("higher"), MR_DIR_HIGHER);
	assert_string_equal(mr_aggregate_name(MR_AGG_LAST), "last");
	assert_int_equal(mr_aggregate_parse("ratio"), MR_AGG_RATIO);
	assert_int_equal(mr_aggregate_parse("median"), -1);
	assert_string_equal(mr_rule_name(MR_RULE_BINARY), "binary");
	assert_int_equal(mr_rule_parse("bands"), MR_RULE_BANDS);
	assert_string_equal(mr_comp_name(MR_COMP_PEER), "peer");
	assert_string_equal(mr_comp_name(MR_COMP_KPI), "kpi");
	assert_string_equal(mr_comp_name(9), "?");
}

/* ---- messages, each at its place ---- */

static void test_plan__kpi_weights_total(void **state)
{
	(void)state;
	expect_one(L1 L2 L3 L4 L5 L6 L7 L8
	           "      - {indicator: rank, weight: 30, rule: bands, bands: [[50, 0], [10, 100]]}\n",
	           "plan.yaml:5:5: ", "position \"seller\": kpi weights total 90, not 100");
	/* within 1e-9 is 100 */
	mr_plan *p = parse_ok(L1 L2 L3 L4 L5 L6 L7
		"      - {indicator: sales, weight: 33.3333333333, rule: ratio, target: 100}\n"
		"      - {indicator: rank, weight: 66.6666666667, rule: bands, bands: [[50, 0], [10, 100]]}\n");
	mr_plan_free(p);
}

static void test_plan__criteria_and_blend_totals(void **state)
{
	(void)state;
	expect_one("criteria:\n"
	           "  - {key: a, weight: 50}\n"
	           "  - {key: b, weight: 40}\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:2:3: ", "criteria weights total 90, not 100");
	expect_one("blend: {kpi: 70, manager: 20, self: 20, peer: 0}\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:8: ", "blend weights total 110, not 100");
	/* with a formula the blend is ignored, but each weight must be sane */
	mr_plan *p = parse_ok("formula: kpi\nblend: {kpi: 70, manager: 20, self: 20, peer: 0}\n"
	                      L1 L2 L3 L4 L5 L6 L7 L8 L9);
	mr_plan_free(p);
	expect_one("formula: kpi\nblend: {kpi: 170, manager: 20, self: 20, peer: 0}\n"
	           L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:2:8: ", "blend weight kpi is 170");
	expect_one("criteria: []\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:11: ", "no criteria");
}

static void test_plan__unknown_indicator(void **state)
{
	(void)state;
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: salez, weight: 60, rule: ratio, target: 100}\n" L9,
	           "plan.yaml:8:9: ", "kpi indicator \"salez\" is not in indicators");
	expect_one(L1 L2 L3 L4 L5 L6 L7 L8 L9
	           "overrides:\n"
	           "  - {login: lina, indicator: rank, target: 3}\n"
	           "  - {login: lina, indicator: sale, target: 3}\n",
	           "plan.yaml:12:5: ", "override for \"lina\": indicator \"sale\" is not in indicators");
	expect_one(L1 L2 L3 L4 L5 L6 L7 L8 L9
	           "overrides:\n"
	           "  - {login: \"\", indicator: rank, target: 3}\n",
	           "plan.yaml:11:5: ", "override has no login");
	expect_one(L1 L2 L3 L4 L5 L6 L7 L8 L9
	           "overrides:\n"
	           "  - {login: x, indicator: rank}\n",
	           "plan.yaml:11:5: ", "neither target nor threshold");
	/* the overridden rule is checked like the plan's own: a ratio target > 0 */
	expect_one(L1 L2 L3 L4 L5 L6 L7 L8 L9
	           "overrides:\n"
	           "  - {login: x, indicator: sales, target: -5}\n",
	           "plan.yaml:11:5: ", "target");
	/* an indicator no position scores cannot be overridden */
	expect_one("indicators:\n  - {key: spare}\n" L2 L3 L4 L5 L6 L7 L8 L9
	           "overrides:\n"
	           "  - {login: x, indicator: spare, target: 5}\n",
	           "plan.yaml:12:5: ", "no position scores \"spare\"");
}

static void test_plan__bands_order(void **state)
{
	(void)state;
	/* lower-better: bounds must fall */
	expect_one(L1 L2 L3 L4 L5 L6 L7 L8
	           "      - {indicator: rank, weight: 40, rule: bands, bands: [[10, 0], [50, 100]]}\n",
	           "plan.yaml:9:9: ", "band bounds must fall (worst first) for a lower-better");
	/* higher-better: bounds must rise */
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: bands, bands: [[100, 0], [50, 60], [200, 100]]}\n"
	           L9,
	           "plan.yaml:8:9: ", "band bounds must rise (worst first) for a higher-better");
	/* equal bounds are not rising */
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: bands, bands: [[50, 0], [50, 100]]}\n" L9,
	           "plan.yaml:8:9: ", "band bounds must rise");
	/* points must rise strictly */
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: bands, bands: [[50, 60], [80, 60]]}\n" L9,
	           "plan.yaml:8:9: ", "band points must rise from worst to best: 60 after 60");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: bands}\n" L9,
	           "plan.yaml:8:9: ", "rule bands needs bands");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: ratio, target: 9, bands: [[1, 2]]}\n" L9,
	           "plan.yaml:8:9: ", "bands are only used by rule bands");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: bands, bands: [[1, 2, 3]]}\n" L9,
	           "plan.yaml:8:61: ", "a band must be a pair [bound, points]");
}

static void test_plan__rule_needs(void **state)
{
	(void)state;
	/* a lower-better linear needs a threshold above the target */
	expect_one(L1 L2 L3 L4 L5 L6 L7 L8
	           "      - {indicator: rank, weight: 40, rule: linear, target: 5}\n",
	           "plan.yaml:9:9: ", "lower-better rule linear needs a threshold");
	expect_one(L1 L2 L3 L4 L5 L6 L7 L8
	           "      - {indicator: rank, weight: 40, rule: linear, target: 5, threshold: 5}\n",
	           "plan.yaml:9:9: ", "threshold 5 must be above target 5");
	mr_plan *p = parse_ok(L1 L2 L3 L4 L5 L6 L7 L8
	           "      - {indicator: rank, weight: 40, rule: linear, target: 5, threshold: 30}\n");
	mr_plan_free(p);
	/* higher-better: threshold (default 0) below the target */
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: linear, target: 100, threshold: 100}\n" L9,
	           "plan.yaml:8:9: ", "threshold 100 must be below target 100");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: linear, target: -5}\n" L9,
	           "plan.yaml:8:9: ", "threshold 0 must be below target -5");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: linear}\n" L9,
	           "plan.yaml:8:9: ", "rule linear needs a target");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: ratio, target: 0}\n" L9,
	           "plan.yaml:8:9: ", "target 0 must be above 0 for rule ratio");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: binary}\n" L9,
	           "plan.yaml:8:9: ", "rule binary needs a target");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: ratio, target: 5, cap: 0}\n" L9,
	           "plan.yaml:8:9: ", "cap 0 must be above 0");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, target: 5}\n" L9,
	           "plan.yaml:8:9: ", "the kpi has no rule");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: -60, rule: ratio, target: 5}\n"
	           "      - {indicator: rank, weight: 160, rule: bands, bands: [[50, 0], [10, 100]]}\n",
	           "plan.yaml:8:9: ", "weight -60 is negative");
}

static void test_plan__unknown_key_suggestion(void **state)
{
	(void)state;
	/* a misspelt key: reported with the suggestion, and no follow-on
	 * "no weight" or "weights total" messages */
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, wieght: 60, rule: ratio, target: 100}\n" L9,
	           "plan.yaml:8:28: ", "unknown key \"wieght\" in a kpi; did you mean \"weight\"?");
	expect_one("perod: month\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:1: ", "did you mean \"period\"?");
	expect_one(L1 L2 L3 L4 L5 "    Stage: promotion\n" L7 L8 L9,
	           "plan.yaml:6:5: ", "did you mean \"stage\"?");
	/* nothing close: the known keys are listed */
	expect_one(L1 L2 L3 L4 L5 L6 L7 L8 L9 "colour: blue\n",
	           "plan.yaml:10:1: ", "unknown key \"colour\" in the plan; known keys are goal, period");
}

static void test_plan__duplicate_keys(void **state)
{
	(void)state;
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, weight: 60, rule: ratio, target: 100}\n" L9,
	           "plan.yaml:8:40: ", "duplicate key \"weight\" in a kpi (first at line 8, column 28)");
	expect_one("goal: sales\n" L1 L2 L3 L4 L5 L6 L7 L8 L9 "goal: brand\n",
	           "plan.yaml:11:1: ", "duplicate key \"goal\"");
	/* duplicate items */
	expect_one(L1 L2 "  - {key: sales, unit: count}\n" L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:3:5: ", "indicator \"sales\" is listed twice");
	expect_one(L1 L2 L3 L4 L5 L6 L7 L8 L9
	           "  - {key: seller, stage: content, kpis: [{indicator: sales, weight: 100, rule: "
	           "ratio, target: 1}]}\n",
	           "plan.yaml:10:5: ", "position \"seller\" is listed twice");
	expect_one("criteria:\n  - {key: a, weight: 50}\n  - {key: a, weight: 50}\n"
	           L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:3:5: ", "criterion \"a\" is listed twice");
	expect_one("grades:\n  - {grade: A, min: 50, bonus: 1}\n  - {grade: A, min: 0, bonus: 1}\n"
	           L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:3:5: ", "grade \"A\" is listed twice");
	expect_one(L1 L2 L3 L4 L5 L6 L7 L8 L9
	           "      - {indicator: sales, weight: 0, rule: ratio, target: 100}\n",
	           "plan.yaml:10:9: ", "indicator \"sales\" is listed twice");
}

static void test_plan__grades_and_distribution(void **state)
{
	(void)state;
	expect_one("grades:\n"
	           "  - {grade: A, min: 80, bonus: 1.2}\n"
	           "  - {grade: B, min: 85, bonus: 1}\n"
	           L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:3:5: ", "min 85 is not below the previous grade's 80");
	expect_one("grades:\n"
	           "  - {grade: A, min: 0, bonus: -1.2}\n"
	           L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:2:5: ", "bonus coefficient is negative");
	expect_one("grades:\n"
	           "  - {grade: A, min: 0, bonus: 101}\n"
	           L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:2:5: ", "bonus coefficient above 100");
	expect_one("grades:\n"
	           "  - {grade: A, min: 0, bonus: 1.23456}\n"
	           L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:2:31: ", "bonus \"1.23456\" is not a number with at most 4 decimals");
	expect_one("grades:\n"
	           "  - {grade: A, min: 0}\n"
	           L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:2:5: ", "the grade has no bonus");
	expect_one("grades:\n"
	           "  - {grade: A, min: 90, bonus: 1.5}\n"
	           "  - {grade: B, min: 60, bonus: 1}\n"
	           L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:3:5: ", "the lowest grade needs min 0");
	expect_one("grades: []\n" L1 L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:1:9: ", "no grades");
	expect_one("distribution: {S: 10, X: 5}\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:23: ", "distribution names grade \"X\", which is not in grades");
	expect_one("distribution: {S: 10, A: 101}\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:23: ", "101% is out of range 0 to 100");
	expect_one("distribution: {S: 10, S: 5}\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:23: ", "distribution lists grade \"S\" twice");
}

static void test_plan__top_level_values(void **state)
{
	(void)state;
	expect_one("rating_scale: 0\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:15: ", "rating_scale must be a whole number from 1 to 100");
	expect_one("rating_scale: 2.5\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:15: ", "rating_scale");
	expect_one("goal: sale\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:7: ", "goal \"sale\" is not one of none, brand, platform or sales; "
	           "did you mean \"sales\"?");
	expect_one("period: weekly\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:9: ", "period \"weekly\" is not one of month, quarter, half or year");
	expect_one("missing: ignore\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:10: ", "is not one of skip, zero or require");
	expect_one(L1 L2 L3 L4 L5 "    stage: sales\n" L7 L8 L9,
	           "plan.yaml:5:5: ", "stage \"sales\" is not one of planning, construction, "
	           "content, promotion, evaluation");
	expect_one(L1 L2 L3 L4 L5 L7 L8 L9, "plan.yaml:5:5: ", "has no stage");
	expect_one(L1 L2 L3 L4 L5 L6 "    kpis: []\n", "plan.yaml:5:5: ", "has no kpis");
	expect_one(L1 L2 L3 L4 L5 L6 "    base_bonus: -5\n" L7 L8 L9, "plan.yaml:5:5: ",
	           "base_bonus is negative");
	expect_one("bonus_pool: -5\n" L1 L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:1:13: ",
	           "bonus_pool is negative");
	expect_one(L1 "  - {key: \"bad key\"}\n" L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:2:5: ",
	           "indicator key \"bad key\": use letters, digits and _ only");
	expect_one(L1 "  - {key: self}\n" L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:2:5: ",
	           "indicator key \"self\" is reserved");
}

/* Amounts go from text straight to cents. */
static void test_plan__amounts(void **state)
{
	(void)state;
	mr_plan *p = parse_ok("bonus_pool: 12345678.91\n" L1 L2 L3 L4 L5 L6
	                      "    base_bonus: 0.07\n" L7 L8 L9);
	assert_int_equal(p->bonus_pool_cents, 1234567891);
	assert_int_equal(mr_plan_position(p, "seller")->base_bonus_cents, 7);
	char *a = export(p);
	assert_non_null(strstr(a, "bonus_pool: 12345678.91"));
	assert_non_null(strstr(a, "base_bonus: 0.07\n"));
	free(a);
	mr_plan_free(p);
	expect_one("bonus_pool: 12,5O\n" L1 L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:1:13: ",
	           "bonus_pool \"12,5O\" is not an amount");
	expect_one("bonus_pool: 1.234\n" L1 L2 L3 L4 L5 L6 L7 L8 L9, "plan.yaml:1:13: ",
	           "at most 2 decimals");
}

static void test_plan__wrong_types(void **state)
{
	(void)state;
	/* one message: the weight, not also the total it spoils */
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: abc, rule: ratio, target: 100}\n" L9,
	           "plan.yaml:8:36: ", "weight \"abc\" is not a number");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: \"60\", rule: ratio, target: 100}\n" L9,
	           "plan.yaml:8:36: ", "weight \"60\" is quoted text; write numbers without quotes");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: [60], rule: ratio, target: 100}\n" L9,
	           "plan.yaml:8:36: ", "weight must be a number, not a list");
	expect_one(L1 L2 L3 L4 L5 L6 L7
	           "      - {indicator: sales, weight: 60, rule: ratio, target: 100, scope: all}\n" L9,
	           "plan.yaml:8:73: ", "scope \"all\" is not one of person or team");
	expect_one(L1 "  - {key: sales, unit: cnt}\n" L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:2:24: ", "unit \"cnt\" is not one of count, currency, percent, rank, "
	           "hours or score; did you mean \"count\"?");
	expect_one(L1 L2 L3 L4 "  - seller\n",
	           "plan.yaml:5:5: ", "a position must be a mapping of keys to values, not a single value");
	expect_one(L1 L2 L3 L4 L5 L6 "    kpis: {indicator: sales}\n",
	           "plan.yaml:7:11: ", "kpis must be a list, not a mapping");
	expect_one("criteria: overall\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:11: ", "criteria must be a list, not a single value");
}

/* Every problem says which field it is in, as a path a form can find:
 * the reader's (types, keys, enums) and the validator's (totals, rules,
 * order) alike, in the same words. */
static void test_plan__fields(void **state)
{
	(void)state;
	expect_field(L1 L2 L3 L4 L5 L6 L7
	             "      - {indicator: sales, weight: abc, rule: ratio, target: 100}\n" L9,
	             "is not a number", "positions[0].kpis[0].weight");
	expect_field(L1 L2 L3 L4 L5 L6 L7
	             "      - {indicator: sales, weight: 50, rule: ratio, target: 100}\n" L9,
	             "kpi weights total 90", "positions[0].kpis");
	expect_field(L1 L2 L3 L4 L5 L6 L7
	             "      - {indicator: sales, weight: 60, rule: ratioo, target: 100}\n" L9,
	             "rule \"ratioo\"", "positions[0].kpis[0].rule");
	expect_field(L1 L2 L3 L4 L5 L6 L7 L8
	             "      - {indicator: rank, weight: 40, rule: bands, bands: [[10, 0], [50, 100]]}\n",
	             "band bounds must fall", "positions[0].kpis[1].bands");
	expect_field(L1 L2 L3 L4 L5 L6 L7 L8
	             "      - {indicator: rank, weight: 40, rule: bands, bands: [[50, 0], [10, x]]}\n",
	             "band points \"x\"", "positions[0].kpis[1].bands[1][1]");
	expect_field(L1 L2 L3 L4 L5 L6 L7
	             "      - {indicator: sales, weight: 60, rule: ratio}\n" L9,
	             "needs a target", "positions[0].kpis[0].target");
	expect_field(L1 L2 L3 L4 L5 L6 L7
	             "      - {indicator: sales, weigth: 60, rule: ratio, target: 100}\n" L9,
	             "unknown key \"weigth\"", "positions[0].kpis[0].weigth");
	expect_field(L1 L2 L3 L4 L5 "    stage: promo\n" L7 L8 L9,
	             "stage \"promo\"", "positions[0].stage");
	expect_field("grades:\n  - {grade: A, min: 50, bonus: 1}\n  - {grade: B, min: 60, bonus: 1}\n"
	             L1 L2 L3 L4 L5 L6 L7 L8 L9, "is not below", "grades[1].min");
	expect_field("distribution: {Z: 10}\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	             "which is not in grades", "distribution.Z");
	expect_field("blend: {kpi: 70, manager: 20, self: 20}\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	             "blend weights total 110", "blend");
	expect_field("criteria:\n  - {key: a, weight: 60}\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	             "criteria weights total 60", "criteria");
	expect_field("overrides:\n  - {login: ann, indicator: nope, target: 5}\n"
	             L1 L2 L3 L4 L5 L6 L7 L8 L9, "\"nope\" is not in indicators",
	             "overrides[0].indicator");
	/* JSON is YAML: the same paths address the JSON the web's form sends */
	expect_field("{\"indicators\": [{\"key\": \"sales\"}], \"positions\": [{\"key\": \"s\", "
	             "\"stage\": \"promotion\", \"kpis\": [{\"indicator\": \"sales\", "
	             "\"weight\": \"abc\", \"rule\": \"ratio\", \"target\": 1}]}]}",
	             "is not a number", "positions[0].kpis[0].weight");
	/* a problem of the whole text has no field */
	char *f = field_of("goal: [\n", "YAML syntax");
	assert_null(f);
	/* nor one whose path would be longer than MR_YAML_PATH_MAX */
	char text[1200];
	snprintf(text, sizeof text, "%0600d: 1\n" L1 L2 L3 L4 L5 L6 L7 L8 L9, 0);
	assert_null(field_of(text, "unknown key"));
}

static void test_plan__bad_formula(void **state)
{
	(void)state;
	expect_one("formula: \"(kpi + slef) / 2\"\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:10: ", "formula column 8: unknown name \"slef\"");
	expect_one("formula: (kpi + self\n" L1 L2 L3 L4 L5 L6 L7 L8 L9,
	           "plan.yaml:1:10: ", "formula column");
	/* indicator keys are names in the formula */
	mr_plan *p = parse_ok("formula: \"0.5 * kpi + 0.5 * max(sales, rank)\"\n"
	                      L1 L2 L3 L4 L5 L6 L7 L8 L9);
	mr_plan_free(p);
}

static void test_plan__malformed_yaml(void **state)
{
	size_t n;
	char *m;
	(void)state;
	m = parse_bad("goal: sales\npositions:\n  - key: [unclosed\n    stage: x\n", &n);
	assert_int_equal(n, 1);
	assert_true(strncmp(m, "plan.yaml:", 10) == 0);
	assert_non_null(strstr(m, "YAML syntax"));
	free(m);
	/* a tab where indentation is expected: libyaml's line and column */
	m = parse_bad("goal: sales\nperiod: month\n\tmissing: skip\n", &n);
	expect(m, "plan.yaml:3:1: ", "YAML syntax");
	free(m);
	m = parse_bad("goal: sales\n  period: month\n", &n);
	expect(m, "plan.yaml:2:9: ", "YAML syntax: mapping values are not allowed");
	free(m);
	m = parse_bad("goal: \"sales\n", &n);
	expect(m, "plan.yaml:", "YAML syntax");
	free(m);
	m = parse_bad("goal: *nowhere\n", &n);
	expect(m, "plan.yaml:1:7: ", "YAML syntax");
	free(m);
	/* not UTF-8 */
	m = parse_bad("goal: sales\nperiod: m\xFF" "nth\n", &n);
	expect(m, "plan.yaml:2:", "not valid text");
	free(m);
	m = parse_bad("", &n);
	expect(m, "plan.yaml: ", "the plan is empty");
	free(m);
	m = parse_bad("# only a comment\n", &n);
	expect(m, "plan.yaml: ", "the plan is empty");
	free(m);
	m = parse_bad("- a\n- b\n", &n);
	expect(m, "plan.yaml:1:1: ", "the plan must be a mapping");
	free(m);
	m = parse_bad(L1 L2 L3 L4 L5 L6 L7 L8 L9 "---\ngoal: sales\n", &n);
	expect(m, "plan.yaml:11:1: ", "a second YAML document");
	free(m);
}

/* Several problems in one file: every one reported, in file order. */
static void test_plan__many_problems(void **state)
{
	static const char text[] =
		"goal: sails\n"                                                  /* 1 */
		"blend: {kpi: 70, manager: 20, self: 20, peer: 0}\n"             /* 2 */
		"grades:\n"                                                      /* 3 */
		"  - {grade: A, min: 80, bonus: 1.2}\n"                          /* 4 */
		"  - {grade: B, min: 90, bonus: 1}\n"                            /* 5 */
		"indicators:\n"                                                  /* 6 */
		"  - {key: sales, unit: currency, colour: red}\n"                /* 7 */
		"  - {key: rank, unit: rank, direction: lower, aggregate: mean}\n"  /* 8 */
		"positions:\n"                                                   /* 9 */
		"  - key: seller\n"                                              /* 10 */
		"    stage: promotion\n"                                         /* 11 */
		"    kpis:\n"                                                    /* 12 */
		"      - {indicator: sales, weight: 60, rule: ratio, target: 100}\n"   /* 13 */
		"      - {indicator: rank, weight: 30, rule: linear, target: 3}\n"     /* 14 */
		"  - key: helper\n"                                              /* 15 */
		"    stage: content\n"                                           /* 16 */
		"    kpis:\n"                                                    /* 17 */
		"      - {indicator: nothing, weight: 100, rule: ratio, target: 1}\n"; /* 18 */
	size_t n;
	(void)state;
	char *m = parse_bad(text, &n);
	expect(m, "plan.yaml:1:7: ", "goal \"sails\"");
	expect(m, "plan.yaml:7:34: ", "unknown key \"colour\"");
	expect(m, "plan.yaml:2:8: ", "blend weights total 110");
	expect(m, "plan.yaml:5:5: ", "min 90 is not below");
	expect(m, "plan.yaml:14:9: ", "needs a threshold");
	expect(m, "plan.yaml:10:5: ", "kpi weights total 90");
	expect(m, "plan.yaml:18:9: ", "\"nothing\" is not in indicators");
	if (n != 7)
		fail_msg("expected 7 problems, got %zu:\n%s", n, m);
	/* in file order */
	int last = 0;
	for (const char *s = m; s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL) {
		int line = atoi_free(s + strlen("plan.yaml:"));
		assert_true(line >= last);
		last = line;
	}
	free(m);
}

/* Validation of a plan built in code: "plan" for the file, no position. */
static void test_plan__validate_in_code(void **state)
{
	(void)state;
	mr_plan *p = NULL;
	mr_err e = MR_ERR_INIT;
	assert_int_equal(mr_plan_builtin(&p, MR_GOAL_SALES, MR_PERIOD_MONTH, NULL), 0);
	p->rating_scale = 0;
	p->positions[0].kpis[0].weight = 50;
	p->grades[1].min = 99;
	assert_int_equal(mr_plan_validate(p, NULL, &e), MR_EINVALID);
	assert_int_equal(e.lines, 3);
	expect(e.msg, "plan: rating_scale 0 is out of range", NULL);
	expect(e.msg, "plan: position \"manager\": kpi weights total 90, not 100", NULL);
	expect(e.msg, "plan: grade \"A\": min 99 is not below", NULL);
	mr_err_clear(&e);
	assert_int_equal(mr_plan_validate(p, "x.yaml", &e), MR_EINVALID);
	expect(e.msg, "x.yaml: rating_scale", NULL);
	mr_err_clear(&e);
	mr_plan_free(p);
	/* an empty plan: no criteria, no grades */
	p = mr_plan_new();
	assert_int_equal(mr_plan_validate(p, NULL, &e), MR_EINVALID);
	expect(e.msg, "plan: no criteria", NULL);
	expect(e.msg, "plan: no grades", NULL);
	mr_err_clear(&e);
	mr_plan_free(p);
	assert_int_equal(mr_plan_builtin(&p, (mr_goal)7, MR_PERIOD_MONTH, &e), MR_EINVALID);
	assert_null(p);
	mr_err_clear(&e);
}

/* Aliases are fine, but cannot blow a small file up into a huge plan. */
static void test_plan__alias_budget(void **state)
{
	(void)state;
	mr_plan *p = parse_ok(L1 L2 L3 L4
		"  - key: seller\n"
		"    stage: promotion\n"
		"    kpis: &k\n"
		"      - {indicator: sales, weight: 60, rule: ratio, target: 100}\n"
		"      - {indicator: rank, weight: 40, rule: bands, bands: [[50, 0], [10, 100]]}\n"
		"  - {key: seller2, stage: promotion, kpis: *k}\n");
	assert_int_equal(mr_plan_position(p, "seller2")->nkpis, 2);
	mr_plan_free(p);

	/* 60 positions × 60 kpis × 60 bands: over 216000 values */
	mr_buf b;
	mr_buf_init(&b);
	mr_buf_puts(&b, "x: &b [[1, 1]");
	for (int i = 0; i < 59; i++)
		mr_buf_puts(&b, ", [1, 1]");
	mr_buf_puts(&b, "]\ny: &k [{indicator: i, weight: 1, rule: bands, bands: *b}");
	for (int i = 0; i < 59; i++)
		mr_buf_puts(&b, ", {indicator: i, weight: 1, rule: bands, bands: *b}");
	mr_buf_puts(&b, "]\npositions: [{key: p, stage: content, kpis: *k}");
	for (int i = 0; i < 59; i++)
		mr_buf_puts(&b, ", {key: p, stage: content, kpis: *k}");
	mr_buf_puts(&b, "]\n");
	char *m = parse_bad(b.data, NULL);
	expect(m, "plan.yaml: ", "the file is too large");
	free(m);
	mr_buf_release(&b);
}

/* Hundreds of problems are cut short, not all copied out. */
static void test_plan__problem_cap(void **state)
{
	(void)state;
	mr_buf b;
	size_t n;
	mr_buf_init(&b);
	for (int i = 0; i < 500; i++)
		mr_buf_printf(&b, "k%d: 1\n", i);
	char *m = parse_bad(b.data, &n);
	assert_true(n <= 102);
	expect(m, "plan.yaml: ", "too many problems");
	free(m);
	mr_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan__builtin_validates),
		cmocka_unit_test(test_plan__builtin_roundtrip),
		cmocka_unit_test(test_plan__builtin_positions),
		cmocka_unit_test(test_plan__builtin_indicators),
		cmocka_unit_test(test_plan__builtin_period_scaling),
		cmocka_unit_test(test_plan__rich_roundtrip),
		cmocka_unit_test(test_plan__block_and_flow),
		cmocka_unit_test(test_plan__problem_zh),
		cmocka_unit_test(test_plan__chinese_names),
		cmocka_unit_test(test_plan__quoting),
		cmocka_unit_test(test_plan__defaults),
		cmocka_unit_test(test_plan__review_keys),
		cmocka_unit_test(test_plan__currency),
		cmocka_unit_test(test_plan__enum_names),
		cmocka_unit_test(test_plan__kpi_weights_total),
		cmocka_unit_test(test_plan__criteria_and_blend_totals),
		cmocka_unit_test(test_plan__unknown_indicator),
		cmocka_unit_test(test_plan__bands_order),
		cmocka_unit_test(test_plan__rule_needs),
		cmocka_unit_test(test_plan__unknown_key_suggestion),
		cmocka_unit_test(test_plan__duplicate_keys),
		cmocka_unit_test(test_plan__grades_and_distribution),
		cmocka_unit_test(test_plan__top_level_values),
		cmocka_unit_test(test_plan__amounts),
		cmocka_unit_test(test_plan__wrong_types),
		cmocka_unit_test(test_plan__bad_formula),
		cmocka_unit_test(test_plan__malformed_yaml),
		cmocka_unit_test(test_plan__many_problems),
		cmocka_unit_test(test_plan__validate_in_code),
		cmocka_unit_test(test_plan__alias_budget),
		cmocka_unit_test(test_plan__problem_cap),
		cmocka_unit_test(test_plan__fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* plan.h — the appraisal scheme (SPEC section 3) as plain data.
 *
 * A plan is owned by whoever got it from mr_plan_new / mr_plan_builtin /
 * mr_plan_parse and freed with mr_plan_free; every string and array in it
 * belongs to the plan (heap-allocated, freed by mr_plan_free).  Each item
 * remembers where it was written (line, col: 1-based; 0 when built in) so
 * that validation can point at the place.
 */
#ifndef MR_PLAN_H
#define MR_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

typedef enum { MR_GOAL_NONE, MR_GOAL_BRAND, MR_GOAL_PLATFORM, MR_GOAL_SALES } mr_goal;
/* The language of reports and notices (the plan's `locale`). */
typedef enum { MR_LOCALE_EN, MR_LOCALE_ZH_CN } mr_locale;
typedef enum { MR_PERIOD_MONTH, MR_PERIOD_QUARTER, MR_PERIOD_HALF, MR_PERIOD_YEAR } mr_period_kind;
typedef enum { MR_MISSING_SKIP, MR_MISSING_ZERO, MR_MISSING_REQUIRE } mr_missing;
typedef enum { MR_UNIT_COUNT, MR_UNIT_CURRENCY, MR_UNIT_PERCENT, MR_UNIT_RANK,
               MR_UNIT_HOURS, MR_UNIT_SCORE } mr_unit;
typedef enum { MR_DIR_HIGHER, MR_DIR_LOWER } mr_direction;
typedef enum { MR_AGG_SUM, MR_AGG_RATIO, MR_AGG_MEAN, MR_AGG_LAST, MR_AGG_MIN,
               MR_AGG_MAX } mr_aggregate;
typedef enum { MR_RULE_RATIO, MR_RULE_LINEAR, MR_RULE_BANDS, MR_RULE_BINARY } mr_rule;
/* Who may peer-rate: the peers a manager or admin named for the person
 * and cycle (at most MR_PEERS_MAX), or anyone on the staff list. */
typedef enum { MR_PEERS_NOMINATED, MR_PEERS_OPEN } mr_peers;
#define MR_PEERS_MAX 5

typedef struct mr_pos { int line, col; } mr_pos;

typedef struct mr_indicator {
	char *key;
	char *name;
	mr_unit unit;
	mr_direction direction;
	mr_aggregate aggregate;
	char *source;              /* e.g. "orders", "manual"; may be NULL */
	mr_pos at;
} mr_indicator;

typedef struct mr_band {
	double bound;
	double points;
} mr_band;

typedef struct mr_kpi {
	char *indicator;           /* key into plan->indicators */
	int team;                  /* scope: team (1) or person (0, default) */
	double weight;             /* percent */
	mr_rule rule;
	int has_target;     double target;
	int has_threshold;  double threshold;
	int has_cap;        double cap;     /* default 100 */
	mr_band *bands;     size_t nbands;  /* rule bands: worst first */
	mr_pos at;
} mr_kpi;

/* The value chain's stages, in chain order (SPEC 1): a position's `stage`
 * is one of these words. */
#define MR_NSTAGES 5
extern const char *const mr_stage_names[MR_NSTAGES];

typedef struct mr_criterion {
	char *key;
	char *name;
	double weight;
	mr_pos at;
} mr_criterion;

typedef struct mr_position {
	char *key;
	char *name;
	char *stage;               /* planning|construction|content|promotion|evaluation */
	char *duties;              /* what the post does, as the forms show it; NULL when none */
	/* Its own rating criteria, replacing the plan's (has_criteria: the
	 * key was given; its weights total 100). */
	int has_criteria;
	mr_criterion *criteria;    size_t ncriteria;
	mr_pos at_criteria;
	int has_base_bonus;
	int64_t base_bonus_cents;
	mr_kpi *kpis;
	size_t nkpis;
	mr_pos at;
} mr_position;

#define MR_COEF_SCALE 4        /* bonus coefficients in 1/10000 */
#define MR_COEF_MAX 1000000    /* a coefficient of at most 100 */
/* The largest amount a plan or a person's base bonus may name, in cents
 * (10,000,000,000.00): bonuses of tens of thousands of people then still
 * add up inside 64 bits. */
#define MR_MONEY_MAX INT64_C(1000000000000)

typedef struct mr_grade {
	char *grade;
	double min;
	int64_t coef;              /* bonus coefficient × 10^MR_COEF_SCALE */
	mr_pos at;
} mr_grade;

typedef struct mr_quota {
	char *grade;
	double pct;
	mr_pos at;
} mr_quota;

typedef struct mr_override {
	char *login;
	char *indicator;
	int has_target;     double target;
	int has_threshold;  double threshold;
	mr_pos at;
} mr_override;

/* Blend weights, percent; indices MR_COMP_*. */
enum { MR_COMP_KPI, MR_COMP_MANAGER, MR_COMP_SELF, MR_COMP_PEER, MR_COMP_UPWARD, MR_NCOMP };

typedef struct mr_plan {
	char *company;             /* the organisation's name, for reports; NULL when none */
	char *currency;            /* ISO 4217 code order rows must be in; NULL: any one */
	int has_locale;            /* `locale` given (plan export writes it back) */
	mr_locale locale;          /* reports' language; default en */
	mr_goal goal;
	mr_period_kind period;
	mr_missing missing;
	double min_coverage;       /* percent of KPI weight with data to be scored; default 50 */
	mr_peers peers;            /* default nominated */
	int rating_scale;          /* default 5 */
	double blend[MR_NCOMP];    /* default 70 20 10 0 0 */
	char *formula;             /* NULL when none */
	mr_criterion *criteria;    size_t ncriteria;
	mr_grade *grades;          size_t ngrades;      /* highest first */
	mr_quota *quotas;          size_t nquotas;      /* distribution */
	int has_bonus_pool;        int64_t bonus_pool_cents;
	mr_indicator *indicators;  size_t nindicators;
	mr_position *positions;    size_t npositions;
	mr_override *overrides;    size_t noverrides;
	mr_pos at_blend, at_formula, at_criteria, at_grades, at_distribution, at_min_coverage;
} mr_plan;

/* An empty plan with the defaults of SPEC section 3 (no criteria, grades,
 * indicators or positions).  NULL when out of memory. */
mr_plan *mr_plan_new(void);
void mr_plan_free(mr_plan *p);          /* NULL is a no-op */

/* The built-in plan `merit init --goal G` writes: the six positions of
 * SPEC section 1 with their indicators, default weights and targets, the
 * goal's team indicators for the manager, one criterion, five grades. */
int mr_plan_builtin(mr_plan **out, mr_goal goal, mr_period_kind period, mr_err *err);

/* Check everything that is not syntax: weights totalling 100, known
 * indicator keys, rules with what they need (target; threshold for a
 * lower-better linear), band order, duplicate keys, grades highest first,
 * quotas naming grades, the formula.  Every problem is added to err as
 * "FILE:LINE:COL: message" (file may be NULL: then "plan"), with the path
 * of its field in the plan file ("positions[1].kpis[0].bands",
 * mr_err_field).  Returns 0 or MR_EINVALID. */
int mr_plan_validate(const mr_plan *p, const char *file, mr_err *err);

/* A message a person reads in the web app (one line: a plan's problem as
 * mr_plan_validate or the YAML reader words it, without its FILE:LINE:COL,
 * or a readiness item of ops.c) in `lang`, appended to out: English as it
 * is; Chinese from msg_zh.c's table, or English when the table lacks it. */
void mr_msg_tr(mr_buf *out, const char *msg, size_t len, mr_locale lang);
/* An import's or a log ingest's words (an error, its notes: lines, each
 * maybe led by FILE:LINE:COL or a sheet's row, kept) in `lang`, the same
 * way, from msg_zh.c's table of the importers' formats. */
void mr_msg_tr_file(mr_buf *out, const char *msg, size_t len, mr_locale lang);

/* Lookups; borrowed pointers or NULL. */
const mr_indicator *mr_plan_indicator(const mr_plan *p, const char *key);
/* Whether value (of den, for a ratio) can be a measurement of ind: within
 * ±MR_NUM_MAX; not below 0 unless ind is in currency or a score (a count,
 * a percent's parts, a rank or hours never are); a ratio's part not of a
 * denominator 0.  0 when it can; else 1, the reason in msg and *of_den set
 * when the denominator is at fault. */
int mr_value_check(const mr_indicator *ind, double value, int has_den, double den,
                   int *of_den, char *msg, size_t n);
const mr_position *mr_plan_position(const mr_plan *p, const char *key);
const mr_grade *mr_plan_grade(const mr_plan *p, const char *grade);
/* The criteria a person of `position` is rated on: the position's own
 * when it has them, else the plan's.  Borrowed; *n their count. */
const mr_criterion *mr_plan_criteria(const mr_plan *p, const char *position, size_t *n);

/* Names of enum values as the plan file writes them, and back.
 * The *_parse functions return the value, or -1 when unknown. */
const char *mr_goal_name(mr_goal g);
int mr_goal_parse(const char *s);
const char *mr_locale_name(mr_locale l);   /* "en", "zh-CN" */
int mr_locale_parse(const char *s);         /* -1 when not one of them */
const char *mr_period_kind_name(mr_period_kind k);
int mr_period_kind_parse(const char *s);
const char *mr_missing_name(mr_missing m);
int mr_missing_parse(const char *s);
const char *mr_unit_name(mr_unit u);
int mr_unit_parse(const char *s);
const char *mr_direction_name(mr_direction d);
int mr_direction_parse(const char *s);
const char *mr_aggregate_name(mr_aggregate a);
int mr_aggregate_parse(const char *s);
const char *mr_rule_name(mr_rule r);
int mr_rule_parse(const char *s);
const char *mr_comp_name(int comp);     /* "kpi", "manager", "self", "peer", "upward" */
const char *mr_peers_name(mr_peers m);
int mr_peers_parse(const char *s);

#endif

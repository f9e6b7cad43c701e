/* score_text.h — the appraisal as text for a terminal, and as CSV. */
#ifndef MR_SCORE_TEXT_H
#define MR_SCORE_TEXT_H

#include "core/score.h"
#include "store/store.h"
#include "util/buf.h"

/* The ranking table (everyone), with team indicators above it. */
void mr_score_table(mr_buf *out, const mr_result *r);
/* One person's scorecard from a report built for them (mr_report_build
 * with who): each indicator with the batches and lines it came from
 * (the team's for a team indicator), the components, the ratings (peers
 * and direct reports anonymous when the report was made so) and the
 * history. */
struct mr_report;
void mr_score_card(mr_buf *out, const struct mr_report *rep, const mr_plan *plan);

/* How one scorecard's final number comes about, computed once for the
 * card `merit score --who` prints and the web's scorecard (`explain`):
 * each counted indicator's weighted contribution to the KPI score, the
 * blend's (or the formula), the grade the bands give and the one given
 * (a quota or a calibration), base bonus × coefficient or the pool. */
typedef struct mr_explain {
	const mr_scorecard *card;
	double *part;             /* per indicator: weight ÷ kpi_weight × score (0: not counted) */
	double kpi_weight;        /* Σ the counted indicators' weights */
	const char *formula;      /* the plan's formula, else NULL: the blend */
	double blend[MR_NCOMP];   /* the counted components' blend weights (0: not counted) */
	double blend_total;
	double blend_part[MR_NCOMP];   /* blend ÷ blend_total × component score */
	int graded;               /* scored under a plan with grades */
	size_t band, grade;       /* the grade the bands give, the one given (plan->grades) */
	int has_base;
	int64_t base_cents, raw_cents;  /* raw: base × the given grade's coefficient */
	int pool;                 /* the plan shares a bonus pool */
	int64_t pool_cents;
} mr_explain;
/* 0, or MR_ENOMEM; then mr_explain_release. */
int mr_explain_make(mr_explain *e, const mr_plan *p, const mr_scorecard *c);
void mr_explain_release(mr_explain *e);
/* CSV: one row per person (who: one login or NULL). */
void mr_score_csv(mr_buf *out, const mr_result *r, const char *who);

/* Width in terminal columns of UTF-8 text (CJK counts 2). */
int mr_text_width(const char *s);

#endif

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
void mr_score_card(mr_buf *out, const struct mr_report *rep);
/* CSV: one row per person (who: one login or NULL). */
void mr_score_csv(mr_buf *out, const mr_result *r, const char *who);

/* Width in terminal columns of UTF-8 text (CJK counts 2). */
int mr_text_width(const char *s);

#endif

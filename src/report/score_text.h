/* score_text.h — the appraisal as text for a terminal, and as CSV. */
#ifndef MR_SCORE_TEXT_H
#define MR_SCORE_TEXT_H

#include "core/score.h"
#include "store/store.h"
#include "util/buf.h"

/* The ranking table (everyone), with team indicators above it. */
void mr_score_table(mr_buf *out, const mr_result *r);
/* One person's scorecard; with traces (may be NULL) where each number
 * came from. */
void mr_score_card(mr_buf *out, const mr_result *r, const mr_scorecard *c,
                   const mr_trace *t, size_t nt);
/* CSV: one row per person (who: one login or NULL). */
void mr_score_csv(mr_buf *out, const mr_result *r, const char *who);

/* Width in terminal columns of UTF-8 text (CJK counts 2). */
int mr_text_width(const char *s);

#endif

/* score_json.h — an appraisal result as JSON (SPEC section 6) and back.
 *
 * The JSON is what `merit score --json` prints, what `merit report
 * --format json` writes, and what a closed cycle keeps as its snapshot.
 * Scores are numbers rounded to 2 decimals; a component with no data is
 * null.
 */
#ifndef MR_SCORE_JSON_H
#define MR_SCORE_JSON_H

#include <jansson.h>

#include "core/score.h"
#include "util/err.h"

/* A new JSON text (free() it), pretty when indent.  `who` limits people
 * to one login when not NULL.  NULL when out of memory. */
char *mr_result_json(const mr_result *r, const char *who, int indent);
/* The pieces: one indicator (person: with `counted`), one person at `rank`. */
json_t *mr_ind_json(const mr_ind_score *s, int person);
json_t *mr_person_json(const mr_scorecard *c, size_t rank);
/* The explanation of c's final number (report/score_text.h, mr_explain)
 * under plan p, as the web's scorecard gives it; JSON null when c is not
 * scored, NULL when out of memory. */
json_t *mr_explain_json(const mr_plan *p, const mr_scorecard *c);
/* Rebuild a result from that JSON (a snapshot).  *out: mr_result_free. */
int mr_result_from_json(mr_result **out, const char *json, mr_err *err);
/* A snapshot from before merit kept which components count (schema 5)
 * has r->weighs_known 0: set them from `weighs` (the plan of the time; NULL:
 * what had data) and each person's counted[] from them. */
void mr_result_legacy_components(mr_result *r, const int *weighs);

#endif

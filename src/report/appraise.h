/* appraise.h — the appraisal as every door asks for it: the frozen
 * snapshot of a closed cycle, or a fresh score from the store.  The CLI
 * and the web call this; neither computes a score of its own.
 */
#ifndef MR_APPRAISE_H
#define MR_APPRAISE_H

#include "core/score.h"
#include "store/store.h"

typedef struct mr_appraisal {
	mr_result *result;       /* owned */
	int frozen;              /* from a closed cycle's snapshot */
	char *state;             /* the cycle's state, or NULL when no cycle */
} mr_appraisal;

void mr_appraisal_release(mr_appraisal *a);

/* Score `period` under `plan`.  With use_snapshot, a closed cycle gives
 * its snapshot instead (the plan is then not used). */
int mr_appraise(mr_appraisal *out, mr_store *s, const mr_plan *plan,
                const mr_period *period, int use_snapshot, mr_err *err);

#endif

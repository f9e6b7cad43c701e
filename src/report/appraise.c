/* appraise.c — snapshot or fresh score, one function for every door. */
#include "report/appraise.h"

#include "report/score_json.h"

void mr_appraisal_release(mr_appraisal *a)
{
	mr_result_free(a->result);
	free(a->state);
	memset(a, 0, sizeof *a);
}

int mr_appraise(mr_appraisal *out, mr_store *s, const mr_plan *plan,
                const mr_period *period, int use_snapshot, mr_err *err)
{
	mr_cycle cycle;
	char *snap = NULL;
	mr_err e2 = MR_ERR_INIT;
	mr_loaded *loaded = NULL;
	mr_score_input in;
	int rc;
	memset(out, 0, sizeof *out);
	rc = mr_store_cycle_get(s, period->label, &cycle, &snap, &e2);
	mr_err_clear(&e2);
	if (rc == 0) {
		out->state = cycle.state;
		cycle.state = NULL;
		mr_cycle_release(&cycle);
	} else if (rc != MR_ENOTFOUND) {
		return mr_store_cycle_get(s, period->label, &cycle, NULL, err);
	}
	if (use_snapshot && snap) {
		out->frozen = 1;
		rc = mr_result_from_json(&out->result, snap, err);
		free(snap);
		return rc;
	}
	free(snap);
	if ((rc = mr_store_load(s, plan, period, &in, &loaded, err)) == 0)
		rc = mr_score_run(&out->result, &in, err);
	mr_loaded_free(loaded);
	return rc;
}

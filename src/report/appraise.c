/* appraise.c — snapshot or fresh score, one function for every door. */
#include "report/appraise.h"

#include "report/score_json.h"

#include <string.h>

#include "ingest/plan_yaml.h"

/* Which components the plan counted when a cycle closed before snapshots
 * said so: those of the plan kept at the close's time `at`, else what had
 * data. */
static void legacy_components(mr_result *r, mr_store *s, const char *at)
{
	mr_err e = MR_ERR_INIT;
	char *yaml = NULL;
	mr_plan *plan = NULL;
	int weighs[MR_NCOMP];
	int known = mr_store_plan_at(s, at, &yaml, &e) == 0 &&
	            mr_plan_parse(&plan, yaml, strlen(yaml), NULL, &e) == 0 &&
	            mr_plan_components(weighs, plan, &e) == 0;
	mr_err_clear(&e);
	mr_plan_free(plan);
	free(yaml);
	mr_result_legacy_components(r, known ? weighs : NULL);
}

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
	char *closed_at = NULL;     /* the snapshot's time (the cycle's last change) */
	int rc;
	memset(out, 0, sizeof *out);
	rc = mr_store_cycle_get(s, period->label, &cycle, &snap, &e2);
	if (rc && rc != MR_ENOTFOUND)   /* not asked again: it may work then */
		mr_err_set(err, rc, "%s", e2.msg ? e2.msg : mr_err_str(rc));
	mr_err_clear(&e2);
	if (rc == 0) {
		out->state = cycle.state;
		closed_at = cycle.updated_at;
		cycle.state = cycle.updated_at = NULL;
		mr_cycle_release(&cycle);
	} else if (rc != MR_ENOTFOUND) {
		return rc;
	}
	if (use_snapshot && snap) {
		out->frozen = 1;
		rc = mr_result_from_json(&out->result, snap, err);
		free(snap);
		if (!rc && !out->result->weighs_known)
			legacy_components(out->result, s, closed_at);
		free(closed_at);
		return rc;
	}
	free(closed_at);
	free(snap);
	if ((rc = mr_store_load(s, plan, period, &in, &loaded, err)) == 0)
		rc = mr_score_run(&out->result, &in, err);
	mr_loaded_free(loaded);
	return rc;
}

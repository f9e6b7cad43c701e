/* ops.c — cycle moves, ratings and hand-typed values: the rules both the
 * CLI and the web server apply before the store writes anything. */
#include "ops/ops.h"

#include <math.h>
#include <sodium.h>
#include <string.h>

#include "report/appraise.h"
#include "report/score_json.h"
#include "util/buf.h"

int mr_op_cycle(mr_store *s, const mr_plan *plan, const char *verb, const mr_period *period,
                const char *reason, const char **new_state, mr_err *err)
{
	const char *p = period->label;
	mr_cycle cur;
	mr_err e2 = MR_ERR_INIT;
	int rc = mr_store_cycle_get(s, p, &cur, NULL, &e2), exists = rc == 0;
	const char *state = exists ? cur.state : NULL;
	char *snapshot = NULL;
	mr_err_clear(&e2);
	if (rc && rc != MR_ENOTFOUND)
		return mr_store_cycle_get(s, p, &cur, NULL, err);
	rc = 0;
	*new_state = NULL;

	if (strcmp(verb, "open") == 0) {
		if (exists && strcmp(state, "closed") == 0)
			rc = mr_err_set(err, MR_EFROZEN, "cycle %s is closed; reopen it with `merit "
			                "cycle reopen %s --reason TEXT`", p, p);
		else if (exists && strcmp(state, "open") == 0)
			rc = mr_err_set(err, MR_EEXISTS, "cycle %s is open already", p);
		else if (exists)
			rc = mr_err_set(err, MR_EINVALID, "cycle %s is in review; a cycle goes open → "
			                "review → closed (data and ratings are still taken in review)", p);
		*new_state = "open";
	} else if (strcmp(verb, "review") == 0) {
		if (!exists)
			rc = mr_err_set(err, MR_ENOTFOUND, "no cycle %s; open it first with `merit "
			                "cycle open %s`", p, p);
		else if (strcmp(state, "open") != 0)
			rc = mr_err_set(err, MR_EINVALID, "cycle %s is %s; only an open cycle goes to "
			                "review", p, state);
		*new_state = "review";
	} else if (strcmp(verb, "close") == 0) {
		if (!exists)
			rc = mr_err_set(err, MR_ENOTFOUND, "no cycle %s; open it first with `merit "
			                "cycle open %s`", p, p);
		else if (strcmp(state, "closed") == 0)
			rc = mr_err_set(err, MR_EEXISTS, "cycle %s is closed already", p);
		else if (strcmp(state, "review") != 0)
			rc = mr_err_set(err, MR_EINVALID, "cycle %s is %s; move it to review first "
			                "(`merit cycle review %s`) so self, manager and peer ratings "
			                "can be given", p, state, p);
		if (!rc) {
			mr_appraisal a;
			if (!(rc = mr_appraise(&a, s, plan, period, 0, err))) {
				if (!(snapshot = mr_result_json(a.result, NULL, 0)))
					rc = mr_err_set(err, MR_ENOMEM, "out of memory");
			}
			mr_appraisal_release(&a);
		}
		*new_state = "closed";
	} else if (strcmp(verb, "reopen") == 0) {
		if (!reason || !*reason)
			rc = mr_err_set(err, MR_EINVALID, "reopening needs a reason (it is kept in the "
			                "audit log)");
		else if (!exists || strcmp(state, "closed") != 0)
			rc = mr_err_set(err, MR_EINVALID, "cycle %s is not closed; only a closed "
			                "cycle is reopened", p);
		*new_state = "open";
	} else {
		rc = mr_err_set(err, MR_EINVALID, "\"%s\": say open, review, close or reopen", verb);
	}
	if (!rc)
		rc = mr_store_cycle_put(s, p, period->first, period->last, *new_state, snapshot,
		                        reason, err);
	free(snapshot);
	if (exists)
		mr_cycle_release(&cur);
	return rc;
}

int mr_op_rating_check(const mr_plan *plan, const mr_rating_in *r, mr_err *err)
{
	if (strcmp(r->kind, "self") && strcmp(r->kind, "manager") && strcmp(r->kind, "peer"))
		return mr_err_set(err, MR_EINVALID, "by \"%s\": say self, manager or peer", r->kind);
	if (!r->n)
		return mr_err_set(err, MR_EINVALID, "rate at least one criterion");
	for (size_t i = 0; i < r->n; i++) {
		int known = 0;
		for (size_t k = 0; k < plan->ncriteria; k++)
			known |= strcmp(plan->criteria[k].key, r->crit[i]) == 0;
		if (!known) {
			mr_buf b;
			mr_buf_init(&b);
			for (size_t k = 0; k < plan->ncriteria; k++)
				mr_buf_printf(&b, " %s", plan->criteria[k].key);
			mr_err_set(err, MR_EINVALID, "criterion \"%s\": the plan has no such "
			           "criterion; it has:%s", r->crit[i], b.data);
			mr_buf_release(&b);
			return MR_EINVALID;
		}
		double st = r->stars[i];
		if (!isfinite(st) || st < 1 || st > plan->rating_scale || floor(st * 2) != st * 2)
			return mr_err_set(err, MR_EINVALID, "criterion %s: %g stars; stars go from 1 to "
			                  "%d, in halves", r->crit[i], st, plan->rating_scale);
		for (size_t k = 0; k < i; k++)
			if (strcmp(r->crit[k], r->crit[i]) == 0)
				return mr_err_set(err, MR_EINVALID, "criterion %s given twice", r->crit[i]);
	}
	return 0;
}

int mr_op_rate(mr_store *s, const mr_plan *plan, const mr_period *p, const mr_rating_in *r,
               mr_err *err)
{
	mr_staff who, peer;
	mr_cycle cy;
	const char *rater = r->rater;
	int rc = mr_op_rating_check(plan, r, err);
	if (rc)
		return rc;
	if ((rc = mr_store_staff_get(s, r->login, &who, err)))
		return rc;
	if ((rc = mr_store_cycle_get(s, p->label, &cy, NULL, err)))
		goto done_who;
	if (strcmp(cy.state, "closed") == 0) {
		rc = mr_err_set(err, MR_EFROZEN, "cycle %s is closed: ratings are frozen (reopen "
		                "it with `merit cycle reopen %s --reason TEXT`)", cy.period, cy.period);
		goto done;
	}
	if (strcmp(r->kind, "self") == 0) {
		rater = r->login;
	} else if (strcmp(r->kind, "manager") == 0) {
		if (!who.manager) {
			rc = mr_err_set(err, MR_EINVALID, "%s has no manager on record; set one with "
			                "`merit staff set %s --manager LOGIN`", r->login, r->login);
			goto done;
		}
		if (r->rater && strcmp(r->rater, who.manager) != 0) {
			/* the caller checked an older staff list: the manager has changed */
			rc = mr_err_set(err, MR_EDENIED, "%s is no longer %s's manager on record",
			                r->rater, r->login);
			goto done;
		}
		rater = who.manager;
	} else {
		if (!rater || strcmp(rater, r->login) == 0) {
			rc = mr_err_set(err, MR_EINVALID, "peer \"%s\": a peer is someone else; rate "
			                "yourself as self", rater ? rater : "");
			goto done;
		}
		if ((rc = mr_store_staff_get(s, rater, &peer, err))) {
			mr_err_prefix(err, "peer");
			goto done;
		}
		mr_staff_release(&peer);
	}
	for (size_t i = 0; i < r->n && !rc; i++)
		rc = mr_store_rating_put(s, p->label, r->login, r->kind, rater, r->crit[i],
		                         r->stars[i], r->comment, err);
	if (rc == MR_EFROZEN)
		mr_err_prefix(err, "rating");
done:
	mr_cycle_release(&cy);
done_who:
	mr_staff_release(&who);
	return rc;
}

int mr_op_record(mr_store *s, const mr_plan *plan, const char *indicator, const char *login,
                 int day, double value, int has_den, double den, const char *text,
                 int64_t *out_batch, mr_err *err)
{
	const mr_indicator *ind = mr_plan_indicator(plan, indicator);
	int64_t batch = 0;
	int rc;
	if (!ind)
		return mr_err_set(err, MR_EINVALID, "indicator \"%s\" is not in the plan (see "
		                  "`merit plan show`)", indicator);
	if (ind->aggregate == MR_AGG_RATIO && !has_den)
		return mr_err_set(err, MR_EINVALID, "%s is a ratio: give its denominator with --of",
		                  indicator);
	if (ind->aggregate != MR_AGG_RATIO && has_den)
		return mr_err_set(err, MR_EINVALID, "%s is not a ratio: --of does not apply",
		                  indicator);
	rc = mr_store_batch_add(s, &batch, "manual", text, NULL, err);
	if (!rc)
		rc = mr_store_measure_add(s, batch, indicator, login, day, value, has_den, den, 0,
		                          err);
	if (!rc)
		rc = mr_store_batch_finish(s, batch, 1, NULL, err);
	if (!rc && out_batch)
		*out_batch = batch;
	return rc;
}

int mr_op_plan_put(mr_store *s, const mr_plan *plan, const char *yaml, mr_err *err)
{
	mr_staff *staff = NULL;
	size_t n = 0;
	int rc = mr_store_staff_list(s, &staff, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		if (!mr_plan_position(plan, staff[i].position))
			rc = mr_err_set(err, MR_EINVALID, "the plan has no position \"%s\", which %s "
			                "holds; keep it or move them first (`merit staff set %s "
			                "--position KEY`)", staff[i].position, staff[i].login,
			                staff[i].login);
	mr_staff_list_free(staff, n);
	return rc ? rc : mr_store_plan_put(s, yaml, err);
}

int mr_op_password_hash(char *out, const char *pw, mr_err *err)
{
	_Static_assert(MR_PW_HASH_SIZE == crypto_pwhash_STRBYTES, "the hash size");
	if (strlen(pw) < 8)
		return mr_err_set(err, MR_EINVALID, "the password must have at least 8 characters");
	if (sodium_init() < 0 ||
	    crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13))
		return mr_err_set(err, MR_ENOMEM, "hashing the password failed (out of memory?)");
	return 0;
}

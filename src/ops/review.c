/* review.c — the review cycle's rules, for both doors: who may rate whom
 * (self, manager, nominated or open peers, upward), nominating peers,
 * calibrating a grade before close, and acknowledging a closed result.
 * Every rule is checked here, inside the caller's transaction, so the CLI
 * and the web refuse the same things with the same reasons. */
#include "ops/ops.h"

#include <math.h>
#include <string.h>

#include "report/appraise.h"
#include "util/buf.h"

static int is(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

int mr_op_rating_check(const mr_plan *plan, const char *position, const mr_rating_in *r,
                       mr_err *err)
{
	size_t ncrit;
	const mr_criterion *crit = mr_plan_criteria(plan, position, &ncrit);
	if (!is(r->kind, "self") && !is(r->kind, "manager") && !is(r->kind, "peer") &&
	    !is(r->kind, "upward"))
		return mr_err_set(err, MR_EINVALID, "by \"%s\": say self, manager, peer or upward",
		                  r->kind ? r->kind : "");
	if (!r->n)
		return mr_err_set(err, MR_EINVALID, "rate at least one criterion");
	for (size_t i = 0; i < r->n; i++) {
		int known = 0;
		for (size_t k = 0; k < ncrit; k++)
			known |= is(crit[k].key, r->crit[i]);
		if (!known) {
			mr_buf b;
			mr_buf_init(&b);
			for (size_t k = 0; k < ncrit; k++)
				mr_buf_printf(&b, " %s", crit[k].key);
			mr_err_set(err, MR_EINVALID, "criterion \"%s\": a %s is not rated on it; the "
			           "criteria are:%s", r->crit[i], position ? position : "person",
			           b.data ? b.data : "");
			mr_buf_release(&b);
			return MR_EINVALID;
		}
		double st = r->stars[i];
		if (!isfinite(st) || st < 1 || st > plan->rating_scale || floor(st * 2) != st * 2)
			return mr_err_set(err, MR_EINVALID, "criterion %s: %g stars; stars go from 1 to "
			                  "%d, in halves", r->crit[i], st, plan->rating_scale);
		for (size_t k = 0; k < i; k++)
			if (is(r->crit[k], r->crit[i]))
				return mr_err_set(err, MR_EINVALID, "criterion %s given twice", r->crit[i]);
	}
	return 0;
}

/* A cycle that takes ratings, nominations and calibrations: there and not
 * closed. */
static int cycle_open(mr_store *s, const mr_period *p, const char *what, mr_err *err)
{
	mr_cycle cy;
	int rc = mr_store_cycle_get(s, p->label, &cy, NULL, err);
	if (rc)
		return rc;
	if (is(cy.state, "closed")) {
		rc = mr_err_set(err, MR_EFROZEN, "cycle %s is closed: %s are frozen", cy.period, what);
		mr_err_hint(err, MR_HINT_CYCLE_CLOSED, "reopen it with `merit cycle reopen %s "
		            "--reason TEXT`", cy.period);
	}
	mr_cycle_release(&cy);
	return rc;
}

/* The staff record of someone who can be rated: not a reviewer. */
static int ratable(mr_store *s, const char *login, mr_staff *out, mr_err *err)
{
	int rc = mr_store_staff_get(s, login, out, err);
	if (!rc && out->reviewer) {
		mr_staff_release(out);
		rc = mr_err_set(err, MR_EINVALID, "%s is a reviewer: reviewers rate others and are "
		                "never rated or scored", login);
	}
	return rc;
}

static int nominated(mr_store *s, const mr_period *p, const char *login, const char *peer,
                     int *out, mr_err *err)
{
	char **peers = NULL;
	size_t n = 0;
	int rc = mr_store_peers_get(s, p->label, login, &peers, &n, err);
	*out = 0;
	for (size_t i = 0; !rc && i < n; i++)
		*out |= is(peers[i], peer);
	mr_str_list_free(peers, n);
	return rc;
}

/* May `rater` give `login` (whose record is `who`) a rating of r->kind?
 * Sets *rater_out to the rater on record. */
static int may_rate(mr_store *s, const mr_plan *plan, const mr_period *p,
                    const mr_rating_in *r, const mr_staff *who, const char **rater_out,
                    mr_err *err)
{
	const char *rater = r->rater;
	mr_staff them;
	int rc = 0;
	if (is(r->kind, "self")) {
		*rater_out = r->login;
		return 0;
	}
	if (is(r->kind, "manager")) {
		if (!who->manager) {
			mr_err_set(err, MR_EINVALID, "%s has no manager on record; an admin sets one "
			           "in the staff list (the owner can be a reviewer)", r->login);
			mr_err_hint(err, MR_HINT_NONE, "`merit staff set %s --manager LOGIN`; a reviewer: "
			            "`merit staff add LOGIN --name NAME --reviewer`", r->login);
			return MR_EINVALID;
		}
		if (rater && !is(rater, who->manager))
			/* the caller checked an older staff list: the manager has changed */
			return mr_err_set(err, MR_EDENIED, "%s is not %s's manager on record (%s is)",
			                  rater, r->login, who->manager);
		*rater_out = who->manager;
		return 0;
	}
	if (!rater || is(rater, r->login))
		return mr_err_set(err, MR_EINVALID, "%s \"%s\": that is %s; rate yourself as self",
		                  r->kind, rater ? rater : "", r->login);
	if ((rc = mr_store_staff_get(s, rater, &them, err))) {
		mr_err_prefix(err, "%s", r->kind);
		return rc;
	}
	if (is(r->kind, "upward")) {
		if (!is(them.manager, r->login))
			rc = mr_err_set(err, MR_EDENIED, "%s does not report to %s: an upward rating "
			                "comes from a direct report about their manager", rater,
			                r->login);
	} else if (them.reviewer) {
		rc = mr_err_set(err, MR_EDENIED, "%s is a reviewer: a reviewer rates as someone's "
		                "manager, not as a peer", rater);
	} else if (is(who->manager, rater)) {
		rc = mr_err_set(err, MR_EDENIED, "%s is %s's manager on record: they rate as "
		                "manager, not as a peer", rater, r->login);
	} else if (plan->peers == MR_PEERS_NOMINATED) {
		int ok;
		/* who else is nominated is not said: that is the manager's list */
		if (!(rc = nominated(s, p, r->login, rater, &ok, err)) && !ok) {
			rc = mr_err_set(err, MR_EDENIED, "%s was not nominated to rate %s in %s (the "
			                "plan's peers: nominated); a manager or admin names the peers",
			                rater, r->login, p->label);
			mr_err_hint(err, MR_HINT_NONE, "`merit peers %s --period %s --set LOGIN,...`",
			            r->login, p->label);
		}
	}
	mr_staff_release(&them);
	*rater_out = rater;
	return rc;
}

int mr_op_rate(mr_store *s, const mr_plan *plan, const mr_period *p, const mr_rating_in *r,
               mr_err *err)
{
	mr_staff who;
	const char *rater = NULL;
	int rc = ratable(s, r->login, &who, err);
	if (rc)
		return rc;
	if ((rc = mr_op_rating_check(plan, who.position, r, err)) ||
	    (rc = cycle_open(s, p, "ratings", err)) ||
	    (rc = may_rate(s, plan, p, r, &who, &rater, err)))
		goto done;
	for (size_t i = 0; i < r->n && !rc; i++)
		rc = mr_store_rating_put(s, p->label, r->login, r->kind, rater, r->crit[i],
		                         r->stars[i], r->comment, err);
	if (rc == MR_EFROZEN)
		mr_err_prefix(err, "rating");
done:
	mr_staff_release(&who);
	return rc;
}

/* ---- nominated peers ---- */

int mr_op_peers(mr_store *s, const mr_plan *plan, const mr_period *p, const char *login,
                const char *const *peers, size_t n, mr_err *err)
{
	mr_staff who, them;
	int rc;
	if (plan->peers != MR_PEERS_NOMINATED)
		return mr_err_set(err, MR_EINVALID, "the plan has peers: open, so anyone on the staff "
		                  "list may peer-rate; nominating is for peers: nominated");
	if (n > MR_PEERS_MAX)
		return mr_err_set(err, MR_EINVALID, "%zu peers: nominate at most %d", n,
		                  MR_PEERS_MAX);
	if ((rc = ratable(s, login, &who, err)))
		return rc;
	if ((rc = cycle_open(s, p, "nominations", err)))
		goto done_who;
	/* a peer who has rated stays: their rating counts */
	mr_rating_row *rows = NULL;
	size_t nrows = 0;
	if ((rc = mr_store_rating_list(s, p->label, login, &rows, &nrows, err)))
		goto done_who;
	for (size_t i = 0; i < n && !rc; i++) {
		int rated = 0;
		for (size_t k = 0; k < nrows; k++)
			rated |= is(rows[k].kind, "peer") && is(rows[k].rater, peers[i]);
		if (is(peers[i], login)) {
			rc = mr_err_set(err, MR_EINVALID, "%s cannot be their own peer", login);
		} else if (is(peers[i], who.manager) && !rated) {
			rc = mr_err_set(err, MR_EINVALID, "%s is %s's manager on record: they rate as "
			                "manager, not as a peer", peers[i], login);
		} else if ((rc = mr_store_staff_get(s, peers[i], &them, err))) {
			mr_err_prefix(err, "peer");
		} else {
			/* one who became a reviewer after rating stays, as their rating does */
			if (them.reviewer && !rated)
				rc = mr_err_set(err, MR_EINVALID, "%s is a reviewer: a reviewer rates as "
				                "someone's manager, not as a peer", peers[i]);
			mr_staff_release(&them);
		}
		for (size_t k = 0; k < i && !rc; k++)
			if (is(peers[k], peers[i]))
				rc = mr_err_set(err, MR_EINVALID, "peer %s is named twice", peers[i]);
	}
	for (size_t i = 0; i < nrows && !rc; i++) {
		if (!is(rows[i].kind, "peer"))
			continue;
		int kept = 0;
		for (size_t k = 0; k < n; k++)
			kept |= is(peers[k], rows[i].rater);
		if (!kept)
			rc = mr_err_set(err, MR_EINVALID, "%s has rated %s in %s already; keep them among "
			                "the peers", rows[i].rater, login, p->label);
	}
	mr_rating_rows_free(rows, nrows);
	if (!rc)
		rc = mr_store_peers_set(s, p->label, login, peers, n, err);
done_who:
	mr_staff_release(&who);
	return rc;
}

/* ---- calibration ---- */

int mr_op_calibrate(mr_store *s, const mr_plan *plan, const mr_period *p, const char *login,
                    const char *grade, const char *reason, mr_err *err)
{
	mr_staff who;
	mr_appraisal a;
	int rc;
	if (!reason || !*reason)
		return mr_err_set(err, MR_EINVALID, "a calibration needs a reason (it is kept, shown "
		                  "and audited)");
	if (strlen(reason) > MR_COMMENT_MAX)
		return mr_err_set(err, MR_EINVALID, "the reason is %zu bytes long; at most %d",
		                  strlen(reason), MR_COMMENT_MAX);
	if (!mr_plan_grade(plan, grade)) {
		mr_buf b;
		mr_buf_init(&b);
		for (size_t i = 0; i < plan->ngrades; i++)
			mr_buf_printf(&b, " %s", plan->grades[i].grade);
		rc = mr_err_set(err, MR_EINVALID, "grade \"%s\" is not in the plan; its grades are:%s",
		                grade, b.data ? b.data : "");
		mr_buf_release(&b);
		return rc;
	}
	if ((rc = ratable(s, login, &who, err)))
		return rc;
	mr_staff_release(&who);
	if ((rc = cycle_open(s, p, "grades", err)))
		return rc;
	if ((rc = mr_appraise(&a, s, plan, p, 0, err)))
		return rc;
	const mr_scorecard *sc = NULL;
	for (size_t i = 0; i < a.result->npeople; i++)
		if (is(a.result->people[i].login, login))
			sc = &a.result->people[i];
	if (!sc)
		rc = mr_err_set(err, MR_EINVALID, "%s was not active in %s, so has no grade",
		                login, p->label);
	else if (!sc->scored)
		rc = mr_err_set(err, MR_EINVALID, "%s is not scored in %s (%s): a grade needs a "
		                "score", login, p->label, sc->not_scored);
	mr_appraisal_release(&a);
	return rc ? rc : mr_store_calibration_put(s, p->label, login, grade, reason, err);
}

/* ---- acknowledgement ---- */

int mr_op_acknowledge(mr_store *s, const mr_period *p, const char *login, const char *by,
                      const char *comment, const char **role, mr_err *err)
{
	mr_cycle cy;
	mr_staff who;
	int rc = mr_store_cycle_get(s, p->label, &cy, NULL, err);
	if (rc)
		return rc;
	int closed = is(cy.state, "closed");
	mr_cycle_release(&cy);
	if (!closed)
		return mr_err_set(err, MR_EINVALID, "cycle %s is not closed: a result is acknowledged "
		                  "once it is final", p->label);
	if ((rc = ratable(s, login, &who, err)))
		return rc;
	if (is(by, login))
		*role = "self";
	else if (is(by, who.manager))
		*role = "manager";
	else
		rc = mr_err_set(err, MR_EDENIED, "%s is neither %s nor their manager on record: only "
		                "they acknowledge the result", by, login);
	mr_staff_release(&who);
	return rc ? rc : mr_store_ack_put(s, p->label, login, *role, by, comment, err);
}

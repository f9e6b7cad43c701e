/* ops.c — cycle moves, ratings and hand-typed values: the rules both the
 * CLI and the web server apply before the store writes anything. */
#include "ops/ops.h"

#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <string.h>

#include "ops/notify.h"
#include "report/appraise.h"
#include "report/score_json.h"
#include "util/buf.h"
#include "util/vec.h"

/* ---- readiness ---- */

void mr_readiness_release(mr_readiness *r)
{
	for (size_t i = 0; r && i < r->n; i++) {
		free(r->items[i].login);
		free(r->items[i].text);
	}
	if (r) {
		free(r->items);
		memset(r, 0, sizeof *r);
	}
}

static int ready_add(mr_readiness *r, const char *kind, const char *login, const char *fmt, ...)
	MR_PRINTF(4, 5);
static int ready_add(mr_readiness *r, const char *kind, const char *login, const char *fmt, ...)
{
	mr_buf b;
	va_list ap;
	if (mr_vec_grow(&r->items, &r->cap, r->n, sizeof *r->items))
		return MR_ENOMEM;
	mr_ready_item *x = &r->items[r->n];
	mr_buf_init(&b);
	va_start(ap, fmt);
	mr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	x->kind = kind;
	x->login = login ? strdup(login) : NULL;
	x->text = mr_buf_oom(&b) ? NULL : mr_buf_detach(&b);
	if (!x->text || (login && !x->login)) {
		free(x->login);
		free(x->text);
		mr_buf_release(&b);
		return MR_ENOMEM;
	}
	r->n++;
	return 0;
}

/* Indicators nobody scored on them has data for: each personal
 * indicator key once (in the order people and their cards bring them),
 * then one pass over everyone's cards per key. */
static int ready_no_data(mr_readiness *r, const mr_result *res)
{
	const char **keys = NULL;
	size_t nkeys = 0, cap = 0;
	int rc = 0;
	for (size_t i = 0; !rc && i < res->nteam; i++)
		if (res->team[i].missing)
			rc = ready_add(r, "no_data", NULL, "no data for the team indicator %s",
			               res->team[i].key);
	for (size_t i = 0; !rc && i < res->npeople; i++)
		for (size_t k = 0; !rc && k < res->people[i].nind; k++) {
			const mr_ind_score *s = &res->people[i].ind[k];
			size_t j = 0;
			while (j < nkeys && strcmp(keys[j], s->key) != 0)
				j++;
			if (s->team || j < nkeys)
				continue;
			const char **slot = MR_VEC_PUSH(keys, nkeys, cap);
			if (!slot)
				rc = MR_ENOMEM;
			else
				*slot = s->key;
		}
	for (size_t j = 0; !rc && j < nkeys; j++) {
		int any = 0, people = 0;
		for (size_t i = 0; i < res->npeople; i++)
			for (size_t k = 0; k < res->people[i].nind; k++) {
				const mr_ind_score *s = &res->people[i].ind[k];
				if (!s->team && strcmp(s->key, keys[j]) == 0) {
					people++;
					any |= !s->missing;
				}
			}
		if (!any)
			rc = ready_add(r, "no_data", NULL, "no data for %s (%d %s scored on it)",
			               keys[j], people, people == 1 ? "person is" : "people are");
	}
	free(keys);
	return rc;
}

/* The ratings a person still owes or is owed: for each weighted rating
 * component with no rating yet. */
static int ready_owed(mr_readiness *r, mr_store *s, const mr_plan *plan, const mr_period *p,
                      const mr_result *res, const mr_scorecard *sc, const mr_staff *staff,
                      size_t nstaff, mr_err *err)
{
	const int *weighs = res->weighs;
	const mr_staff *who = NULL;
	int rc = 0;
	for (size_t i = 0; i < nstaff; i++)
		if (strcmp(staff[i].login, sc->login) == 0)
			who = &staff[i];
	if (weighs[MR_COMP_SELF] && !sc->has[MR_COMP_SELF])
		rc = ready_add(r, "rating_owed", sc->login, "%s has not rated themselves", sc->login);
	if (!rc && weighs[MR_COMP_MANAGER] && !sc->has[MR_COMP_MANAGER]) {
		if (who && who->manager)
			rc = ready_add(r, "rating_owed", sc->login, "%s has not rated %s (as manager)",
			               who->manager, sc->login);
		else
			rc = ready_add(r, "rating_owed", sc->login, "%s has no manager on record to "
			               "rate them (a reviewer can be one)", sc->login);
	}
	if (!rc && weighs[MR_COMP_PEER] && !sc->has[MR_COMP_PEER]) {
		char **peers = NULL;
		size_t n = 0;
		if (plan->peers == MR_PEERS_NOMINATED &&
		    (rc = mr_store_peers_get(s, p->label, sc->login, &peers, &n, err)))
			return rc;
		if (plan->peers == MR_PEERS_NOMINATED && n == 0)
			rc = ready_add(r, "rating_owed", sc->login, "no peers are nominated to rate %s",
			               sc->login);
		else
			rc = ready_add(r, "rating_owed", sc->login, "no peer has rated %s yet",
			               sc->login);
		mr_str_list_free(peers, n);
	}
	if (!rc && weighs[MR_COMP_UPWARD] && !sc->has[MR_COMP_UPWARD]) {
		int reports = 0;
		for (size_t i = 0; i < nstaff; i++)
			reports += staff[i].manager && strcmp(staff[i].manager, sc->login) == 0;
		if (reports)
			rc = ready_add(r, "rating_owed", sc->login, "none of %s's %d direct report%s "
			               "has rated them (upward)", sc->login, reports,
			               reports == 1 ? "" : "s");
	}
	return rc == MR_ENOMEM ? mr_err_set(err, rc, "out of memory") : rc;
}

int mr_op_readiness(mr_readiness *out, mr_store *s, const mr_plan *plan, const mr_period *p,
                    mr_err *err)
{
	mr_appraisal a;
	mr_staff *staff = NULL;
	size_t nstaff = 0;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = mr_appraise(&a, s, plan, p, 0, err)))
		return rc;
	if ((rc = mr_store_staff_list(s, &staff, &nstaff, err)))
		goto done;
	const mr_result *res = a.result;
	if ((rc = ready_no_data(out, res)))
		goto nomem;
	for (size_t i = res->nscored; i < res->npeople; i++)
		if ((rc = ready_add(out, "not_scored", res->people[i].login, "%s is not scored: %s",
		                    res->people[i].login, res->people[i].not_scored)))
			goto nomem;
	for (size_t i = 0; i < res->npeople && !rc; i++)
		rc = ready_owed(out, s, plan, p, res, &res->people[i], staff, nstaff, err);
	goto done;
nomem:
	rc = mr_err_nomem(err);
done:
	if (rc)
		mr_readiness_release(out);
	mr_staff_list_free(staff, nstaff);
	mr_appraisal_release(&a);
	return rc;
}

/* ---- cycles ---- */

/* A new cycle may not overlap another; one whose length is not the plan's
 * period is opened only when confirmed. */
static int check_new_cycle(mr_store *s, const mr_plan *plan, const mr_period *p,
                           unsigned flags, mr_err *err)
{
	mr_cycle *list = NULL;
	size_t n = 0;
	mr_buf b;
	int rc = mr_store_cycle_list(s, &list, &n, err);
	if (rc)
		return rc;
	mr_buf_init(&b);
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].period, p->label) != 0 && list[i].first <= p->last &&
		    p->first <= list[i].last)
			mr_buf_printf(&b, "%s%s (%s)", b.len ? ", " : "", list[i].period, list[i].state);
	if (b.len) {
		char d1[11], d2[11];
		mr_day_format(d1, p->first);
		mr_day_format(d2, p->last);
		rc = mr_err_set(err, MR_EINVALID, "cycle %s (%s to %s) overlaps %s: cycles may not "
		                "overlap, or a day's data would count in two appraisals", p->label, d1,
		                d2, b.data);
	}
	mr_buf_release(&b);
	mr_cycle_list_free(list, n);
	if (rc)
		return rc;
	mr_period natural;
	mr_period_of(&natural, plan->period, p->first);
	if ((natural.first != p->first || natural.last != p->last) && !(flags & MR_OP_CONFIRM))
		rc = mr_err_set(err, MR_ECONFIRM, "cycle %s is not one %s, the plan's period: "
		                "targets of sum indicators are set for a %s; confirm to open it "
		                "anyway", p->label, mr_period_kind_name(plan->period),
		                mr_period_kind_name(plan->period));
	return rc;
}

/* The readiness list as the message of MR_ECONFIRM. */
static int not_ready(const mr_readiness *rd, const char *label, mr_err *err)
{
	mr_buf b;
	mr_buf_init(&b);
	mr_buf_printf(&b, "cycle %s is not ready to close (%zu item%s); deal with them first, "
	              "or confirm to close it anyway:", label, rd->n, rd->n == 1 ? "" : "s");
	for (size_t i = 0; i < rd->n; i++)
		mr_buf_printf(&b, "\n  - %s", rd->items[i].text);
	int rc = mr_err_set(err, MR_ECONFIRM, "%s", b.data ? b.data : "not ready");
	mr_buf_release(&b);
	return rc;
}

static int close_cycle(mr_store *s, const mr_plan *plan, const mr_period *period,
                       unsigned flags, char **snapshot, mr_err *err)
{
	mr_readiness rd;
	mr_appraisal a;
	int rc = 0;
	if (!(flags & MR_OP_FORCE)) {
		if ((rc = mr_op_readiness(&rd, s, plan, period, err)))
			return rc;
		if (rd.n)
			rc = not_ready(&rd, period->label, err);
		mr_readiness_release(&rd);
		if (rc)
			return rc;
	}
	if (!(rc = mr_appraise(&a, s, plan, period, 0, err))) {
		if (!(*snapshot = mr_result_json(a.result, NULL, 0)))
			rc = mr_err_nomem(err);
	}
	mr_appraisal_release(&a);
	return rc;
}

static int remove_cycle(mr_store *s, const char *p, const char *state, mr_err *err)
{
	int64_t ratings = 0, calibrations = 0;
	int rc;
	if (strcmp(state, "closed") == 0)
		return mr_err_set(err, MR_EFROZEN, "cycle %s is closed: its results are kept", p);
	if ((rc = mr_store_cycle_counts(s, p, &ratings, &calibrations, err)))
		return rc;
	if (ratings || calibrations)
		return mr_err_set(err, MR_EINVALID, "cycle %s holds %lld rating%s and %lld "
		                  "calibration%s: only an empty cycle is removed", p,
		                  (long long)ratings, ratings == 1 ? "" : "s",
		                  (long long)calibrations, calibrations == 1 ? "" : "s");
	return mr_store_cycle_rm(s, p, err);
}

int mr_op_cycle(mr_store *s, const mr_plan *plan, const char *verb, const mr_period *period,
                const char *reason, unsigned flags, const char **new_state, mr_err *err)
{
	const char *p = period->label;
	mr_cycle cur;
	int rc = mr_store_cycle_find(s, p, &cur, NULL, err), exists = rc == 0;
	const char *state = exists ? cur.state : NULL;
	char *snapshot = NULL;
	if (rc && rc != MR_ENOTFOUND)
		return rc;
	rc = 0;
	*new_state = NULL;

	if (strcmp(verb, "open") == 0) {
		if (exists && strcmp(state, "closed") == 0) {
			rc = mr_err_set(err, MR_EFROZEN, "cycle %s is closed", p);
			mr_err_hint(err, MR_HINT_CYCLE_CLOSED, "reopen it with `merit cycle reopen %s "
			            "--reason TEXT`", p);
		} else if (exists && strcmp(state, "open") == 0)
			rc = mr_err_set(err, MR_EEXISTS, "cycle %s is open already", p);
		else if (exists)
			rc = mr_err_set(err, MR_EINVALID, "cycle %s is in review; a cycle goes open → "
			                "review → closed (data and ratings are still taken in review)", p);
		else
			rc = check_new_cycle(s, plan, period, flags, err);
		*new_state = "open";
	} else if (strcmp(verb, "review") == 0) {
		if (!exists) {
			rc = mr_err_set(err, MR_ENOTFOUND, "no cycle %s", p);
			mr_err_hint(err, MR_HINT_CYCLE_MISSING, "open it first with `merit cycle open "
			            "%s`", p);
		} else if (strcmp(state, "open") != 0)
			rc = mr_err_set(err, MR_EINVALID, "cycle %s is %s; only an open cycle goes to "
			                "review", p, state);
		*new_state = "review";
	} else if (strcmp(verb, "close") == 0) {
		if (!exists) {
			rc = mr_err_set(err, MR_ENOTFOUND, "no cycle %s", p);
			mr_err_hint(err, MR_HINT_CYCLE_MISSING, "open it first with `merit cycle open "
			            "%s`", p);
		} else if (strcmp(state, "closed") == 0)
			rc = mr_err_set(err, MR_EEXISTS, "cycle %s is closed already", p);
		else if (strcmp(state, "review") != 0) {
			rc = mr_err_set(err, MR_EINVALID, "cycle %s is %s; move it to review first, so "
			                "self, manager and peer ratings can be given", p, state);
			mr_err_hint(err, MR_HINT_CYCLE_REVIEW, "`merit cycle review %s`", p);
		}
		if (!rc)
			rc = close_cycle(s, plan, period, flags, &snapshot, err);
		*new_state = "closed";
	} else if (strcmp(verb, "reopen") == 0) {
		if (!reason || !*reason)
			rc = mr_err_set(err, MR_EINVALID, "reopening needs a reason (it is kept in the "
			                "audit log)");
		else if (!exists || strcmp(state, "closed") != 0)
			rc = mr_err_set(err, MR_EINVALID, "cycle %s is not closed; only a closed "
			                "cycle is reopened", p);
		*new_state = "open";
	} else if (strcmp(verb, "release") == 0 || strcmp(verb, "withhold") == 0) {
		rc = mr_store_cycle_release(s, p, verb[0] == 'r', err);
		*new_state = !exists ? NULL : strcmp(state, "open") == 0 ? "open" :
		             strcmp(state, "review") == 0 ? "review" : "closed";
		if (rc == MR_ENOTFOUND)
			mr_err_hint(err, MR_HINT_CYCLE_MISSING, "open it first with `merit cycle open "
			            "%s`", p);
		goto done;
	} else if (strcmp(verb, "rm") == 0) {
		if (!exists)
			rc = mr_err_set(err, MR_ENOTFOUND, "no cycle %s", p);
		else
			rc = remove_cycle(s, p, state, err);
		*new_state = NULL;
		goto done;
	} else {
		rc = mr_err_set(err, MR_EINVALID, "\"%s\": say open, review, close, reopen, release, "
		                "withhold or rm",
		                verb);
	}
	if (!rc)
		rc = mr_store_cycle_put(s, p, period->first, period->last, *new_state, snapshot,
		                        reason, err);
	/* acknowledgements were of the results now reopened */
	if (!rc && strcmp(verb, "reopen") == 0)
		rc = mr_store_ack_clear(s, p, err);
	/* told in the same transaction: a move rolled back tells nobody */
	if (!rc && strcmp(verb, "reopen") != 0)
		rc = mr_notify_cycle(s, plan, period, *new_state, err);
done:
	free(snapshot);
	if (exists)
		mr_cycle_release(&cur);
	return rc;
}

int mr_op_record(mr_store *s, const mr_plan *plan, const char *indicator, const char *login,
                 int day, double value, int has_den, double den, const char *text,
                 int64_t *out_batch, mr_err *err)
{
	const mr_indicator *ind = mr_plan_indicator(plan, indicator);
	int64_t batch = 0;
	int rc;
	if (!ind) {
		mr_err_set(err, MR_EINVALID, "indicator \"%s\" is not in the plan", indicator);
		mr_err_hint(err, MR_HINT_INDICATOR, "see `merit plan show`");
		return MR_EINVALID;
	}
	if (ind->aggregate == MR_AGG_RATIO && !has_den) {
		mr_err_set(err, MR_EINVALID, "%s is a ratio: it needs its denominator", indicator);
		mr_err_hint(err, MR_HINT_NONE, "give it with --of");
		return MR_EINVALID;
	}
	if (ind->aggregate != MR_AGG_RATIO && has_den)
		return mr_err_set(err, MR_EINVALID, "%s is not a ratio: a denominator does not apply",
		                  indicator);
	char why[400];
	int of_den;
	if (mr_value_check(ind, value, has_den, den, &of_den, why, sizeof why))
		return mr_err_set(err, MR_EINVALID, "%s", why);
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
		if (!staff[i].reviewer && !mr_plan_position(plan, staff[i].position)) {
			rc = mr_err_set(err, MR_EINVALID, "the plan has no position \"%s\", which %s "
			                "holds; keep it or move them first", staff[i].position,
			                staff[i].login);
			mr_err_hint(err, MR_HINT_NONE, "`merit staff set %s --position KEY`",
			            staff[i].login);
		}
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

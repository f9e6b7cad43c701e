/* api_todo.c — what the user has to do now, for the dashboard: the
 * ratings they owe in cycles not closed (self, as manager, as a nominated
 * peer, upward), the evidence waiting for their decision, the closed
 * results they have to acknowledge (their own, their direct reports'),
 * and for an admin the saved sources gone stale.  Each item names the
 * screen that does it; the rules are those of the forms themselves
 * (api_review.c, api_evidence.c), so an item done leaves the list.
 */
#include "web/web_int.h"

#include <string.h>

/* A saved source is stale when its kind has had no batch for this many
 * days (none at all: this many days after it was saved). */
#define STALE_DAYS 35

static int rated(const mr_rating_row *rows, size_t n, const char *login, const char *kind,
                 const char *rater)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].login, login) == 0 && strcmp(rows[i].kind, kind) == 0 &&
		    (!rater || (rows[i].rater && strcmp(rows[i].rater, rater) == 0)))
			return 1;
	return 0;
}

static void add_rate(mr_ctx *c, json_t *items, const char *period, const char *login,
                     const char *as)
{
	const mr_staff *st = mr_web_staff(c->snap, login);
	json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s?, s:s}", "kind", "rate",
	                      "period", period, "login", login, "name", st ? st->name : NULL,
	                      "as", as));
}

/* The ratings the user owes in the cycle of p: 0, or -1 after answering. */
static int owed(mr_ctx *c, const mr_period *p, json_t *items)
{
	mr_err err = MR_ERR_INIT;
	mr_rating_row *rows = NULL;
	size_t n = 0;
	const char *me = c->ses.login;
	const struct mr_snap_period *sp = mr_web_appraisal(c, p);
	if (!sp)
		return -1;
	const mr_result *res = sp->a.result;
	if (mr_store_rating_list(c->s, p->label, NULL, &rows, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	const mr_plan *plan = c->snap->plan;
	for (size_t i = 0; i < res->npeople; i++) {
		const char *who = res->people[i].login;
		const mr_staff *st = mr_web_staff(c->snap, who);
		int self = strcmp(who, me) == 0;
		if (!st || st->reviewer)
			continue;
		if (self && res->weighs[MR_COMP_SELF] && !rated(rows, n, who, "self", NULL))
			add_rate(c, items, p->label, who, "self");
		if (st->manager && strcmp(st->manager, me) == 0 && res->weighs[MR_COMP_MANAGER] &&
		    !rated(rows, n, who, "manager", NULL))
			add_rate(c, items, p->label, who, "manager");
		if (!self && res->weighs[MR_COMP_PEER] && plan->peers == MR_PEERS_NOMINATED &&
		    !rated(rows, n, who, "peer", me)) {
			char **peers = NULL;
			size_t np = 0;
			if (mr_store_peers_get(c->s, p->label, who, &peers, &np, &err) == 0)
				for (size_t k = 0; k < np; k++)
					if (strcmp(peers[k], me) == 0)
						add_rate(c, items, p->label, who, "peer");
			mr_str_list_free(peers, np);
			mr_err_clear(&err);
		}
		if (c->me && c->me->manager && strcmp(c->me->manager, who) == 0 &&
		    res->weighs[MR_COMP_UPWARD] && !rated(rows, n, who, "upward", me))
			add_rate(c, items, p->label, who, "upward");
	}
	mr_rating_rows_free(rows, n);
	return 0;
}

static int acked(const mr_ack *acks, size_t n, const char *login, const char *role)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(acks[i].login, login) == 0 && strcmp(acks[i].role, role) == 0)
			return 1;
	return 0;
}

/* The results of closed cycle cy the user acknowledges and has not (their
 * own once released to them). */
static int to_acknowledge(mr_ctx *c, const mr_cycle *cy, json_t *items)
{
	mr_err err = MR_ERR_INIT;
	mr_ack *acks = NULL;
	size_t n = 0;
	if (mr_store_ack_list(c->s, cy->period, NULL, &acks, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	for (size_t i = 0; i < c->snap->nstaff; i++) {
		const mr_staff *st = &c->snap->staff[i];
		const char *as = strcmp(st->login, c->ses.login) == 0 ? "self"
		                 : st->manager && strcmp(st->manager, c->ses.login) == 0 ? "manager"
		                 : NULL;
		if (!as || st->reviewer || st->from > cy->last || st->to < cy->first ||
		    acked(acks, n, st->login, as) || (*as == 's' && !c->admin && !cy->released_at))
			continue;
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind",
		                      "acknowledge", "period", cy->period, "login", st->login,
		                      "name", st->name, "as", as));
	}
	mr_ack_list_free(acks, n);
	return 0;
}

/* The saved sources whose kind has had no batch for STALE_DAYS days. */
static int stale_sources(mr_ctx *c, json_t *items)
{
	mr_err err = MR_ERR_INIT;
	mr_source_row *src = NULL;
	size_t n = 0;
	int rc = mr_store_source_list(c->s, &src, &n, &err), today = (int)(c->now / 86400);
	for (size_t i = 0; !rc && i < n; i++) {
		char *newest = NULL, date[11];
		int day;
		if ((rc = mr_store_batch_newest(c->s, src[i].kind, &newest, &err)))
			break;
		const char *since = newest ? newest : src[i].created_at;
		snprintf(date, sizeof date, "%s", since ? since : "");
		if (!mr_day_parse(&day, date) && today - day >= STALE_DAYS)
			json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s?, s:i}", "kind",
			                      "stale_source", "source", src[i].name, "source_kind",
			                      src[i].kind, "last_batch", newest, "days",
			                      today - day));
		free(newest);
	}
	mr_source_rows_free(src, n);
	if (rc) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	return 0;
}

/* The evidence waiting for the user's decision. */
static int approvals(mr_ctx *c, json_t *items)
{
	mr_err err = MR_ERR_INIT;
	mr_evidence *list = NULL;
	size_t n = 0;
	if (mr_store_evidence_list(c->s, "pending", &list, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	for (size_t i = n; i-- > 0;) {        /* the oldest first */
		const mr_evidence *e = &list[i];
		const mr_staff *st = mr_web_staff(c->snap, e->login);
		if (mr_web_may_decide(c, e->login))
			json_array_append_new(items, json_pack("{s:s, s:I, s:s, s:s?, s:s, s:s}", "kind",
			                      "approve", "id", (json_int_t)e->id, "login", e->login,
			                      "name", st ? st->name : NULL, "what", e->kind,
			                      "indicator", e->indicator));
	}
	mr_evidence_list_free(list, n);
	return 0;
}

int mr_h_todo(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_cycle *cycles = NULL;
	size_t n = 0;
	int rc = 0;
	json_t *items = json_array();
	if (mr_store_cycle_list(c->s, &cycles, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		json_decref(items);
		return -1;
	}
	for (size_t i = 0; !rc && c->snap->plan && i < n; i++) {
		if (strcmp(cycles[i].state, "closed")) {
			mr_period p;
			rc = mr_period_parse(&p, cycles[i].period, &err) ? 0 : owed(c, &p, items);
			mr_err_clear(&err);
		}
	}
	if (!rc)
		rc = approvals(c, items);
	for (size_t i = 0; !rc && i < n; i++)
		if (strcmp(cycles[i].state, "closed") == 0)
			rc = to_acknowledge(c, &cycles[i], items);
	if (!rc && c->admin)
		rc = stale_sources(c, items);
	mr_cycle_list_free(cycles, n);
	if (rc) {
		json_decref(items);
		return -1;
	}
	return mr_web_json(c, 200, json_pack("{s:o, s:i}", "items", items, "stale_days",
	                                     STALE_DAYS));
}

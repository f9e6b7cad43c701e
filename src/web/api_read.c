/* api_read.c — what people look at: cycles, the staff directory, the
 * dashboard, a scorecard with its derivation and history, the plan.
 * Scores come only from mr_web_appraisal (the engine's, cached per
 * generation); a person the user may not see is "not found".
 */
#include "web/web_int.h"

#include "report/report.h"

#include <stdio.h>
#include <string.h>

#include "report/score_json.h"
#include "util/num.h"

#define TREND_CYCLES 12

int mr_h_cycles(mr_ctx *c)
{
	mr_cycle *list = NULL;
	size_t n = 0;
	mr_err err = MR_ERR_INIT;
	if (mr_store_cycle_list(c->s, &list, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char d1[11], d2[11];
		mr_day_format(d1, list[i].first);
		mr_day_format(d2, list[i].last);
		json_array_append_new(arr, json_pack("{sssssssssssb}", "period", list[i].period,
		                      "from", d1, "to", d2, "state", list[i].state,
		                      "updated_at", list[i].updated_at, "released",
		                      list[i].released_at != NULL));
	}
	mr_cycle_list_free(list, n);
	return mr_web_json(c, 200, arr);
}

int mr_h_people(mr_ctx *c)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < c->snap->nstaff; i++) {
		const mr_staff *st = &c->snap->staff[i];
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s?, s:s?, s:b, s:b}", "login",
		                      st->login, "name", st->name, "position", st->position,
		                      "manager", st->manager, "reviewer", st->reviewer,
		                      "visible", mr_web_may_see(c, st->login)));
	}
	return mr_web_json(c, 200, arr);
}

static const mr_scorecard *card_of(const mr_result *r, const char *login, size_t *idx)
{
	for (size_t i = 0; i < r->npeople; i++)
		if (strcmp(r->people[i].login, login) == 0) {
			if (idx)
				*idx = i;
			return &r->people[i];
		}
	return NULL;
}

/* The cycles, oldest first, at most the newest `max`; *n of them. */
static mr_cycle *cycles_by_time(mr_ctx *c, size_t max, size_t *n, size_t *skip)
{
	mr_cycle *list = NULL;
	mr_err err = MR_ERR_INIT;
	*n = *skip = 0;
	if (mr_store_cycle_list(c->s, &list, n, &err)) {
		mr_cycle_list_free(list, *n);
		*n = 0;
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return NULL;
	}
	/* insertion sort by first day: a handful of cycles */
	for (size_t i = 1; i < *n; i++)
		for (size_t j = i; j > 0 && list[j].first < list[j - 1].first; j--) {
			mr_cycle t = list[j];
			list[j] = list[j - 1];
			list[j - 1] = t;
		}
	if (*n > max)
		*skip = *n - max;
	return list;
}

/* What a person does not see of their own result before it is released
 * (mr_web_withheld): nulled wherever a card or a ranking row has it.
 * What goes into it — indicators, the ratings they received, the
 * component scores — they see as it comes in. */
static const char *const withheld_keys[] = {
	"rank", "final_score", "grade", "grade_by_quota", "calibrated", "calibration_reason",
	"bonus_cents",
};

static void withhold(json_t *o)
{
	for (size_t i = 0; i < sizeof withheld_keys / sizeof withheld_keys[0]; i++)
		if (json_object_get(o, withheld_keys[i]))
			json_object_set_new(o, withheld_keys[i], json_null());
	json_object_set_new(o, "withheld", json_true());
}

/* The ranking (the scored, in rank order) and the people not scored,
 * of those the user may see. */
static void people_json(mr_ctx *c, const mr_result *r, json_t *ranking, json_t *not_scored,
                        int withheld, mr_locale lang)
{
	mr_buf why;
	mr_buf_init(&why);
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_scorecard *sc = &r->people[i];
		if (!mr_web_may_see(c, sc->login))
			continue;
		if (i < r->nscored) {
			json_t *row = json_pack(
				"{s:I, s:s, s:s, s:s, s:f, s:s?, s:b, s:b, s:f, s:I}", "rank",
				(json_int_t)i + 1, "login", sc->login, "name", sc->name, "position",
				sc->position, "final_score", mr_round2(sc->final), "grade", sc->grade,
				"calibrated", sc->calibrated, "complete", sc->complete, "coverage",
				mr_round2(sc->coverage), "bonus_cents", (json_int_t)sc->bonus_cents);
			if (withheld && strcmp(sc->login, c->ses.login) == 0)
				withhold(row);
			json_array_append_new(ranking, row);
		} else {
			/* why, in the page's language */
			const char *reason = sc->not_scored;
			if (reason && lang != MR_LOCALE_EN) {
				mr_buf_reset(&why);
				mr_msg_tr(&why, reason, strlen(reason), lang);
				if (!mr_buf_oom(&why))
					reason = why.data;
			}
			json_array_append_new(not_scored, json_pack(
				"{s:s, s:s, s:s, s:s?, s:f, s:b}", "login", sc->login, "name", sc->name,
				"position", sc->position, "reason", reason, "coverage",
				mr_round2(sc->coverage), "complete", sc->complete));
		}
	}
	mr_buf_release(&why);
}

/* The trend: per cycle, the average final score of the scored people the
 * user may see (a member: their own).  NULL after answering. */
static json_t *trend_json(mr_ctx *c)
{
	size_t n, skip;
	mr_cycle *list = cycles_by_time(c, TREND_CYCLES, &n, &skip);
	if (!list && c->rs->status >= 400)      /* answered */
		return NULL;
	json_t *trend = json_array();
	for (size_t i = skip; i < n; i++) {
		mr_period cp;
		mr_err err = MR_ERR_INIT;
		if (mr_period_parse(&cp, list[i].period, &err)) {
			mr_err_clear(&err);
			continue;
		}
		const struct mr_snap_period *csp = mr_web_appraisal(c, &cp);
		if (!csp) {
			json_decref(trend);
			trend = NULL;
			break;
		}
		double sum = 0;
		json_int_t people = 0;
		/* a person not scored has no final score: not a 0 to average */
		for (size_t k = 0; k < csp->a.result->nscored; k++) {
			const mr_scorecard *sc = &csp->a.result->people[k];
			if (mr_web_may_see(c, sc->login) &&
			    !mr_web_withheld(c, list[i].period, sc->login, list, n)) {
				sum += sc->final;
				people++;
			}
		}
		if (people)
			json_array_append_new(trend, json_pack("{s:s, s:s, s:f, s:I}", "period",
			                      list[i].period, "state", list[i].state, "average",
			                      mr_round2(sum / (double)people), "people", people));
	}
	mr_cycle_list_free(list, n);
	return trend;
}

int mr_h_dashboard(mr_ctx *c)
{
	mr_period p;
	mr_locale lang;
	if (mr_web_period(c, &p) || mr_web_lang(c, &lang))
		return -1;
	const struct mr_snap_period *sp = mr_web_appraisal(c, &p);
	if (!sp)
		return -1;
	const mr_result *r = sp->a.result;
	const mr_plan *plan = c->snap->plan;
	json_t *team = json_array(), *ranking = json_array(), *not_scored = json_array(),
	       *dist = json_array();
	int withheld = mr_web_withheld(c, p.label, c->ses.login, NULL, 0);
	for (size_t i = 0; i < r->nteam; i++)
		json_array_append_new(team, mr_ind_json(&r->team[i], 0));
	people_json(c, r, ranking, not_scored, withheld, lang);
	/* the whole team's grades, no names: only the scored have one (and
	 * not before release to one whose own grade is withheld) */
	for (size_t g = 0; g < plan->ngrades && !withheld; g++) {
		json_int_t count = 0;
		for (size_t i = 0; i < r->nscored; i++)
			count += r->people[i].grade && strcmp(r->people[i].grade, plan->grades[g].grade) == 0;
		json_array_append_new(dist, json_pack("{s:s, s:I}", "grade", plan->grades[g].grade,
		                                      "count", count));
	}
	json_t *root = json_pack("{s:s, s:s, s:b, s:s, s:o, s:o, s:o, s:o}", "period", r->period,
	                         "state", sp->a.state ? sp->a.state : "none",
	                         "frozen", sp->a.frozen, "goal", mr_goal_name(r->goal),
	                         "team", team, "ranking", ranking, "not_scored", not_scored,
	                         "distribution", dist);
	json_t *trend = trend_json(c);
	if (!trend) {
		json_decref(root);
		return -1;
	}
	json_object_set_new(root, "trends", trend);
	json_object_set_new(root, "released", json_boolean(!withheld));
	/* the uptime probe, for an admin: how many probes, when it last ran */
	if (c->admin) {
		mr_err err = MR_ERR_INIT;
		mr_probe *pl = NULL;
		size_t np = 0;
		if (mr_store_probe_list(c->s, &pl, &np, &err) == 0) {
			const char *last = NULL;
			for (size_t i = 0; i < np; i++)
				if (pl[i].last_at && (!last || strcmp(pl[i].last_at, last) > 0))
					last = pl[i].last_at;
			json_object_set_new(root, "probe", json_pack("{s:I, s:s?}", "probes", (json_int_t)np,
			                                             "last_at", last));
			mr_probe_list_free(pl, np);
		} else {
			fprintf(stderr, "merit serve: the dashboard's probe line: %s\n", err.msg);
		}
		mr_err_clear(&err);
	}
	return mr_web_json(c, 200, root);
}

/* The scorecard's JSON text: person, derivation, history — the one card
 * the CLI's `score --who` and the reports show (mr_report_build) — and
 * the components the plan counts (a component not among them is shown
 * as not counted). */
static char *card_build(mr_ctx *c, const mr_period *p, const char *login)
{
	mr_err err = MR_ERR_INIT;
	mr_report *rep = NULL;
	char *text = NULL, *out = NULL;
	json_t *card = NULL;
	int rc = mr_store_begin_read(c->s, &err);
	if (!rc) {
		rc = mr_report_build(&rep, c->s, c->snap->plan, p, login, 0, &err);
		mr_store_rollback(c->s);
	}
	if (rc) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return NULL;
	}
	if ((text = mr_report_card_json(rep, 0)) && (card = json_loads(text, 0, NULL))) {
		json_t *comps = json_array();
		for (int k = 0; k < MR_NCOMP; k++)
			if (rep->result->weighs[k])
				json_array_append_new(comps, json_string(mr_comp_name(k)));
		json_object_set_new(card, "components", comps);
		json_object_set_new(card, "explain", mr_explain_json(c->snap->plan,
		                                                      rep->people[0].card));
		out = json_dumps(card, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	}
	if (!out)
		mr_web_fail(c, 500, "out of memory");
	json_decref(card);
	free(text);
	mr_report_free(rep);
	return out;
}

/* The user's own card (`text`, taken): the result withheld in the
 * history's cycles not released, and in the card itself when its period
 * is not. */
static int card_own(mr_ctx *c, const mr_period *p, char *text)
{
	json_t *card = json_loads(text, 0, NULL);
	free(text);
	size_t n = 0, skip = 0, i;
	mr_cycle *list = cycles_by_time(c, (size_t)-1, &n, &skip);
	if (!list && c->rs->status >= 400) {
		json_decref(card);
		return -1;
	}
	if (!card) {
		mr_cycle_list_free(list, n);
		return mr_web_fail(c, 500, "out of memory");
	}
	int withheld = mr_web_withheld(c, p->label, c->ses.login, list, n);
	if (withheld) {
		withhold(json_object_get(card, "person"));
		json_object_set_new(card, "explain", json_null());
	}
	json_t *pt;
	json_array_foreach(json_object_get(card, "history"), i, pt) {
		const char *per = json_string_value(json_object_get(pt, "period"));
		if (!per || mr_web_withheld(c, per, c->ses.login, list, n))
			withhold(pt);
	}
	mr_cycle_list_free(list, n);
	json_object_set_new(card, "released", json_boolean(!withheld));
	return mr_web_json(c, 200, card);
}

int mr_h_scorecard(mr_ctx *c)
{
	mr_period p;
	const char *login = mr_web_arg(c, "login");
	size_t idx;
	if (!login)
		login = c->ses.login;
	if (mr_web_period(c, &p))
		return -1;
	if (!mr_web_may_see(c, login))
		return mr_web_fail(c, 404, "no scorecard of %s for %s", login, p.label);
	const struct mr_snap_period *sp = mr_web_appraisal(c, &p);
	if (!sp)
		return -1;
	const mr_scorecard *sc = card_of(sp->a.result, login, &idx);
	if (!sc)
		return mr_web_fail(c, 404, "no scorecard of %s for %s", login, p.label);
	pthread_mutex_lock(&c->w->mu);
	char *text = sp->cards[idx] ? strdup(sp->cards[idx]) : NULL;
	pthread_mutex_unlock(&c->w->mu);
	if (!text) {
		if (!(text = card_build(c, &p, login)))
			return -1;
		char *keep = strdup(text);
		pthread_mutex_lock(&c->w->mu);
		if (!sp->cards[idx]) {
			sp->cards[idx] = keep;
			keep = NULL;
		}
		pthread_mutex_unlock(&c->w->mu);
		free(keep);
	}
	if (!c->admin && strcmp(login, c->ses.login) == 0)
		return card_own(c, &p, text);
	c->rs->status = 200;
	c->rs->type = "application/json";
	mr_buf_reset(&c->rs->body);
	mr_buf_puts(&c->rs->body, text);
	free(text);
	return 0;
}

static const char *const unit_names[] = { "count", "currency", "percent", "rank", "hours",
                                          "score" };

int mr_h_plan(mr_ctx *c)
{
	const mr_plan *plan = c->snap->plan;
	char coef[32];
	if (!plan)
		return mr_web_fail(c, 404, "there is no plan yet: an admin uploads one on the Plan "
		                   "page");
	json_t *crit = json_array(), *pos = json_array(), *grades = json_array(),
	       *inds = json_array();
	for (size_t i = 0; i < plan->ncriteria; i++)
		json_array_append_new(crit, json_pack("{sssssf}", "key", plan->criteria[i].key, "name",
		                      plan->criteria[i].name ? plan->criteria[i].name
		                                             : plan->criteria[i].key,
		                      "weight", plan->criteria[i].weight));
	for (size_t i = 0; i < plan->nindicators; i++) {
		const mr_indicator *in = &plan->indicators[i];
		json_array_append_new(inds, json_pack("{ssssssssss?}", "key", in->key, "name",
		                      in->name ? in->name : in->key, "unit", unit_names[in->unit],
		                      "direction", in->direction == MR_DIR_LOWER ? "lower" : "higher",
		                      "source", in->source));
	}
	for (size_t i = 0; i < plan->npositions; i++) {
		const mr_position *ps = &plan->positions[i];
		json_t *k = json_array();
		for (size_t j = 0; j < ps->nkpis; j++) {
			const mr_kpi *kp = &ps->kpis[j];
			json_t *o = json_pack("{sssssfss}", "key", kp->indicator, "scope",
			                      kp->team ? "team" : "person", "weight", kp->weight,
			                      "rule", mr_rule_name(kp->rule));
			json_object_set_new(o, "target", kp->has_target ? json_real(kp->target)
			                                               : json_null());
			json_array_append_new(k, o);
		}
		json_array_append_new(pos, json_pack("{ssssssso}", "key", ps->key, "name",
		                      ps->name ? ps->name : ps->key, "stage",
		                      ps->stage ? ps->stage : "", "indicators", k));
	}
	for (size_t i = 0; i < plan->ngrades; i++) {
		mr_fixed_format(coef, plan->grades[i].coef, MR_COEF_SCALE, 0);
		json_array_append_new(grades, json_pack("{sssfss}", "name", plan->grades[i].grade,
		                      "min", plan->grades[i].min, "coef", coef));
	}
	/* "plan": the plan file's keys, what the plan form edits */
	return mr_web_json(c, 200, json_pack("{sssssssisososososo}", "yaml", c->snap->plan_yaml,
	                   "goal", mr_goal_name(plan->goal), "period",
	                   mr_period_kind_name(plan->period), "rating_scale", plan->rating_scale,
	                   "criteria", crit, "indicators", inds, "positions", pos,
	                   "grades", grades, "plan", mr_web_plan_json(plan)));
}

int mr_h_plan_yaml(mr_ctx *c)
{
	if (!c->snap->plan_yaml)
		return mr_web_fail(c, 404, "there is no plan yet");
	c->rs->status = 200;
	c->rs->type = "application/yaml; charset=utf-8";
	c->rs->filename = strdup("plan.yaml");
	mr_buf_puts(&c->rs->body, c->snap->plan_yaml);
	return 0;
}

int mr_h_users(mr_ctx *c)
{
	mr_user *list = NULL;
	size_t n = 0;
	mr_err err = MR_ERR_INIT;
	if (mr_store_user_list(c->s, &list, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const mr_staff *st = mr_web_staff(c->snap, list[i].login);
		json_array_append_new(arr, json_pack("{ssssssss?sbsbss?}", "login", list[i].login, "role",
		                      list[i].role, "created_at", list[i].created_at, "name",
		                      st ? st->name : NULL, "disabled", list[i].disabled,
		                      "left", mr_web_staff_left(c, st), "last_login",
		                      list[i].last_login));
	}
	mr_user_list_free(list, n);
	return mr_web_json(c, 200, arr);
}

/* A query argument that is a day YYYY-MM-DD, or absent: 0, or -1 after
 * answering 400. */
static int day_arg(mr_ctx *c, const char *key, const char **out)
{
	int day;
	const char *v = mr_web_arg(c, key);
	*out = v && *v ? v : NULL;
	if (*out && (strlen(*out) != 10 || mr_day_parse(&day, *out)))
		return mr_web_fail(c, 400, "%s: a day, YYYY-MM-DD", key);
	return 0;
}

int mr_h_audit(mr_ctx *c)
{
	const char *ls = mr_web_arg(c, "limit"), *bs = mr_web_arg(c, "before");
	const char *who = mr_web_arg(c, "who"), *action = mr_web_arg(c, "action");
	double limit = 100, before = 0;
	mr_audit_row *rows = NULL;
	size_t n = 0;
	mr_err err = MR_ERR_INIT;
	mr_audit_filter f = { .who = who && *who ? who : NULL,
	                      .action = action && *action ? action : NULL };
	if ((ls && (mr_num_parse(&limit, ls) || limit < 1 || limit > 1000 || limit != (int)limit)) ||
	    (bs && (mr_num_parse(&before, bs) || before < 0 || before > 9e15)))
		return mr_web_fail(c, 400, "limit is 1 to 1000 and before an audit id");
	if (day_arg(c, "from", &f.from) || day_arg(c, "to", &f.to))
		return -1;
	f.before = (int64_t)before;
	f.limit = (int)limit;
	if (mr_store_audit_list(c->s, &f, &rows, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{sIssssssssss?ss?}", "id", (json_int_t)rows[i].id,
		                      "at", rows[i].at, "who", rows[i].who, "action", rows[i].action,
		                      "object", rows[i].object, "before", rows[i].before,
		                      "after", rows[i].after));
	mr_audit_list_free(rows, n);
	return mr_web_json(c, 200, arr);
}

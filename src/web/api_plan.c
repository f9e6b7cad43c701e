/* api_plan.c — the plan as a form edits it: the plan as JSON in the
 * file's own shape (SPEC section 3), a draft checked with every problem
 * at its field, and the what-if of a draft against the current data.
 *
 * A draft is the plan file's keys as a JSON object, or the file's YAML.
 * JSON is YAML too, so a JSON draft is written out as text and read by
 * mr_plan_parse exactly as `merit plan import` reads a file: one
 * validator, whose problems carry the path of their field
 * ("positions[1].kpis[0].weight", the same path in the JSON object).
 */
#include "web/web_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/plan_yaml.h"
#include "report/plan_write.h"
#include "util/num.h"

/* The name a draft has in messages. */
#define DRAFT_NAME "draft"

/* ---- the plan as JSON ---- */

/* An amount in cents as a JSON number with its 2 decimals' value. */
static json_t *money(int64_t cents)
{
	char t[32];
	double d;
	mr_money_format(t, cents);
	return mr_num_parse(&d, t) ? json_null() : json_real(d);
}

static json_t *criteria_json(const mr_criterion *list, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{sssssf}", "key", list[i].key ? list[i].key : "",
		                      "name", list[i].name ? list[i].name : "",
		                      "weight", list[i].weight));
	return a;
}

static json_t *kpi_json(const mr_kpi *k)
{
	json_t *o = json_pack("{sssssfss}", "indicator", k->indicator ? k->indicator : "",
	                      "scope", k->team ? "team" : "person", "weight", k->weight,
	                      "rule", mr_rule_name(k->rule));
	if (k->has_target)
		json_object_set_new(o, "target", json_real(k->target));
	if (k->has_threshold)
		json_object_set_new(o, "threshold", json_real(k->threshold));
	if (k->has_cap)
		json_object_set_new(o, "cap", json_real(k->cap));
	if (k->nbands) {
		json_t *b = json_array();
		for (size_t i = 0; i < k->nbands; i++)
			json_array_append_new(b, json_pack("[ff]", k->bands[i].bound,
			                                   k->bands[i].points));
		json_object_set_new(o, "bands", b);
	}
	return o;
}

static json_t *position_json(const mr_position *ps)
{
	json_t *kpis = json_array();
	for (size_t j = 0; j < ps->nkpis; j++)
		json_array_append_new(kpis, kpi_json(&ps->kpis[j]));
	json_t *o = json_pack("{ssssss}", "key", ps->key ? ps->key : "",
	                      "name", ps->name ? ps->name : "", "stage", ps->stage ? ps->stage : "");
	if (ps->duties)
		json_object_set_new(o, "duties", json_string(ps->duties));
	if (ps->has_criteria)
		json_object_set_new(o, "criteria", criteria_json(ps->criteria, ps->ncriteria));
	if (ps->has_base_bonus)
		json_object_set_new(o, "base_bonus", money(ps->base_bonus_cents));
	json_object_set_new(o, "kpis", kpis);
	return o;
}

json_t *mr_web_plan_json(const mr_plan *p)
{
	char coef[40];
	json_t *o = json_object(), *blend = json_object(), *a;
	if (p->company)
		json_object_set_new(o, "company", json_string(p->company));
	if (p->has_locale)
		json_object_set_new(o, "locale", json_string(mr_locale_name(p->locale)));
	if (p->currency)
		json_object_set_new(o, "currency", json_string(p->currency));
	json_object_set_new(o, "goal", json_string(mr_goal_name(p->goal)));
	json_object_set_new(o, "period", json_string(mr_period_kind_name(p->period)));
	json_object_set_new(o, "missing", json_string(mr_missing_name(p->missing)));
	json_object_set_new(o, "min_coverage", json_real(p->min_coverage));
	json_object_set_new(o, "peers", json_string(mr_peers_name(p->peers)));
	json_object_set_new(o, "rating_scale", json_integer(p->rating_scale));
	for (int i = 0; i < MR_NCOMP; i++)
		json_object_set_new(blend, mr_comp_name(i), json_real(p->blend[i]));
	json_object_set_new(o, "blend", blend);
	if (p->formula)
		json_object_set_new(o, "formula", json_string(p->formula));
	json_object_set_new(o, "criteria", criteria_json(p->criteria, p->ncriteria));
	a = json_array();
	for (size_t i = 0; i < p->ngrades; i++) {
		double d = 0;
		mr_fixed_format(coef, p->grades[i].coef, MR_COEF_SCALE, 0);
		mr_num_parse(&d, coef);
		json_array_append_new(a, json_pack("{sssfsf}", "grade", p->grades[i].grade,
		                      "min", p->grades[i].min, "bonus", d));
	}
	json_object_set_new(o, "grades", a);
	if (p->nquotas) {
		json_t *d = json_object();
		for (size_t i = 0; i < p->nquotas; i++)
			json_object_set_new(d, p->quotas[i].grade, json_real(p->quotas[i].pct));
		json_object_set_new(o, "distribution", d);
	}
	if (p->has_bonus_pool)
		json_object_set_new(o, "bonus_pool", money(p->bonus_pool_cents));
	a = json_array();
	for (size_t i = 0; i < p->nindicators; i++) {
		const mr_indicator *in = &p->indicators[i];
		json_array_append_new(a, json_pack("{ssssssssssss?}", "key", in->key,
		                      "name", in->name ? in->name : in->key,
		                      "unit", mr_unit_name(in->unit),
		                      "direction", mr_direction_name(in->direction),
		                      "aggregate", mr_aggregate_name(in->aggregate),
		                      "source", in->source));
	}
	json_object_set_new(o, "indicators", a);
	a = json_array();
	for (size_t i = 0; i < p->npositions; i++)
		json_array_append_new(a, position_json(&p->positions[i]));
	json_object_set_new(o, "positions", a);
	if (p->noverrides) {
		a = json_array();
		for (size_t i = 0; i < p->noverrides; i++) {
			const mr_override *ov = &p->overrides[i];
			json_t *x = json_pack("{ssss}", "login", ov->login, "indicator", ov->indicator);
			if (ov->has_target)
				json_object_set_new(x, "target", json_real(ov->target));
			if (ov->has_threshold)
				json_object_set_new(x, "threshold", json_real(ov->threshold));
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "overrides", a);
	}
	return o;
}

/* ---- a draft ---- */

typedef struct draft {
	char *text;          /* what mr_plan_parse read: the YAML, or the JSON written out */
	int yaml;            /* it came as YAML (its problems have lines) */
	mr_plan *plan;       /* NULL when it has problems */
	mr_err err;          /* its problems */
} draft;

static void draft_release(draft *d)
{
	free(d->text);
	mr_plan_free(d->plan);
	mr_err_clear(&d->err);
}

/* Read body's "plan" (an object) or "yaml" (a string) into d: 0 when read
 * (d->plan NULL if it has problems), -1 after answering. */
static int draft_read(mr_ctx *c, json_t *body, draft *d)
{
	json_t *jp = json_object_get(body, "plan"), *jy = json_object_get(body, "yaml");
	memset(d, 0, sizeof *d);
	if (!jp == !jy || (jp && !json_is_object(jp)) || (jy && !json_is_string(jy))) {
		mr_web_fail(c, 400, "send the draft as \"plan\" (the plan file's keys as a JSON "
		            "object) or as \"yaml\" (the plan file's text), one of them");
		return -1;
	}
	if (jy) {
		d->yaml = 1;
		if (strlen(json_string_value(jy)) != json_string_length(jy)) {
			mr_web_fail(c, 422, "the plan is not text (it has a NUL byte)");
			return -1;
		}
		d->text = strdup(json_string_value(jy));
	} else {
		/* 15 digits: 0.1 is written 0.1, as a person typed it */
		d->text = json_dumps(jp, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	}
	if (!d->text) {
		mr_web_fail(c, 500, "out of memory");
		return -1;
	}
	int rc = mr_plan_parse(&d->plan, d->text, strlen(d->text), DRAFT_NAME, &d->err);
	if (rc == MR_ENOMEM) {
		mr_web_fail(c, 500, "out of memory");
		return -1;
	}
	return 0;
}

/* The message without its "NAME:LINE:COL: " (a JSON draft's positions
 * mean nothing to the person; the field says where). */
static const char *strip_at(const char *s, size_t len, const char *name, int *line, int *col,
                            size_t *rest)
{
	size_t n = strlen(name);
	*line = *col = 0;
	*rest = len;
	if (len <= n || strncmp(s, name, n) != 0 || s[n] != ':')
		return s;
	const char *p = s + n + 1, *end = s + len;
	char *e;
	long l = strtol(p, &e, 10), k = 0;
	if (e > p && e < end && *e == ':') {
		p = e + 1;
		k = strtol(p, &e, 10);
		if (e > p && e < end && *e == ':')
			*line = (int)l, *col = (int)k, p = e + 1;
		else
			p = s + n + 1;
	}
	while (p < end && *p == ' ')
		p++;
	*rest = (size_t)(end - p);
	return p;
}

int mr_web_lang(mr_ctx *c, mr_locale *out)
{
	const char *lang = mr_web_arg(c, "lang");
	int loc = lang && *lang ? mr_locale_parse(lang) : MR_LOCALE_EN;
	if (loc < 0)
		return mr_web_fail(c, 400, "lang: en or zh-CN");
	*out = (mr_locale)loc;
	return 0;
}

/* s[0..len) as JSON text, its "NAME:LINE:COL: " kept and the problem
 * after it in lang (in English, when out of memory). */
static json_t *problem_text(const char *s, size_t len, const char *name, mr_locale lang)
{
	int line, col;
	size_t rest;
	const char *msg = strip_at(s, len, name, &line, &col, &rest);
	mr_buf b;
	mr_buf_init(&b);
	mr_buf_add(&b, s, (size_t)(msg - s));
	mr_msg_tr(&b, msg, rest, lang);
	json_t *j = mr_buf_oom(&b) ? json_stringn(s, len) : json_stringn(b.data, b.len);
	mr_buf_release(&b);
	return j;
}

json_t *mr_web_plan_problems(const mr_err *err, const char *name, mr_locale lang)
{
	json_t *a = json_array();
	for (const char *m = err->msg, *nl; m && *m; m = nl ? nl + 1 : NULL) {
		nl = strchr(m, '\n');
		json_array_append_new(a, problem_text(m, nl ? (size_t)(nl - m) : strlen(m), name, lang));
	}
	return a;
}

/* [{field, message, line, col}] of d's problems, the message in lang (and
 * in English as message_en when lang is not English). */
static json_t *problems_json(const draft *d, mr_locale lang)
{
	json_t *a = json_array();
	size_t i = 0;
	for (const char *m = d->err.msg, *nl; m && *m; m = nl ? nl + 1 : NULL, i++) {
		nl = strchr(m, '\n');
		size_t len = nl ? (size_t)(nl - m) : strlen(m), rest;
		int line, col;
		const char *msg = strip_at(m, len, DRAFT_NAME, &line, &col, &rest);
		const char *field = mr_err_field(&d->err, i);
		json_t *o = json_object();
		json_object_set_new(o, "field", field ? json_string(field) : json_null());
		json_object_set_new(o, "message", problem_text(msg, rest, "", lang));
		if (lang != MR_LOCALE_EN)
			json_object_set_new(o, "message_en", json_stringn(msg, rest));
		if (d->yaml && line > 0) {
			json_object_set_new(o, "line", json_integer(line));
			json_object_set_new(o, "col", json_integer(col));
		}
		json_array_append_new(a, o);
	}
	return a;
}

int mr_h_plan_check(mr_ctx *c)
{
	draft d;
	mr_locale lang;
	if (mr_web_lang(c, &lang))
		return -1;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	if (draft_read(c, b, &d) == 0)
		mr_web_json(c, 200, json_pack("{sbso}", "ok", d.plan != NULL,
		                              "problems", problems_json(&d, lang)));
	draft_release(&d);
	json_decref(b);
	return 0;
}

/* ---- what-if ---- */

static const mr_scorecard *card_find(const mr_result *r, const char *login, size_t *rank)
{
	for (size_t i = 0; i < r->npeople; i++)
		if (strcmp(r->people[i].login, login) == 0) {
			/* the rank among the scored: equal finals share one */
			size_t k = i;
			while (k > 0 && r->people[k - 1].final == r->people[i].final)
				k--;
			*rank = k + 1;
			return &r->people[i];
		}
	return NULL;
}

static json_t *side_json(const mr_scorecard *sc, size_t rank)
{
	if (!sc)
		return json_null();
	if (!sc->scored)
		return json_pack("{sbss?}", "scored", 0, "why", sc->not_scored);
	return json_pack("{sbsfss?sIsI}", "scored", 1, "final", sc->final, "grade", sc->grade,
	                 "bonus_cents", (json_int_t)sc->bonus_cents, "rank", (json_int_t)rank);
}

static json_t *whatif_json(const mr_appraisal *now, const mr_appraisal *what)
{
	json_t *people = json_array();
	int moved = 0, grades = 0, bonuses = 0;
	for (size_t i = 0; i < what->result->npeople; i++) {
		const mr_scorecard *d = &what->result->people[i];
		size_t rn = 0, rd = 0;
		const mr_scorecard *n = card_find(now->result, d->login, &rn);
		card_find(what->result, d->login, &rd);
		int ns = n && n->scored, ds = d->scored;
		int rank_moved = ns != ds || (ns && rn != rd);
		int grade_changed = ns != ds ||
			(ns && strcmp(n->grade ? n->grade : "", d->grade ? d->grade : "") != 0);
		int64_t nb = ns ? n->bonus_cents : 0, db = ds ? d->bonus_cents : 0;
		moved += rank_moved;
		grades += grade_changed;
		bonuses += nb != db;
		json_array_append_new(people, json_pack("{sssssosososbsbsI}", "login", d->login,
		                      "name", d->name ? d->name : d->login,
		                      "position", d->position ? json_string(d->position) : json_null(),
		                      "now", side_json(n, rn), "draft", side_json(d, rd),
		                      "rank_moved", rank_moved, "grade_changed", grade_changed,
		                      "bonus_change_cents", (json_int_t)(db - nb)));
	}
	return json_pack("{sssbss?sos{sisisisIsI}}", "period", what->result->period,
	                 "frozen", now->frozen, "state", now->state, "people", people,
	                 "summary", "moved", moved, "grade_changes", grades,
	                 "bonus_changes", bonuses,
	                 "bonus_total_now_cents", (json_int_t)now->result->bonus_total_cents,
	                 "bonus_total_draft_cents", (json_int_t)what->result->bonus_total_cents);
}

int mr_h_plan_whatif(mr_ctx *c)
{
	draft d;
	mr_period p;
	mr_err err = MR_ERR_INIT;
	mr_appraisal now, what;
	mr_locale lang;
	memset(&now, 0, sizeof now);
	memset(&what, 0, sizeof what);
	if (mr_web_lang(c, &lang))
		return -1;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	json_t *jp = json_object_get(b, "period");
	if (draft_read(c, b, &d))
		goto done;
	if (!d.plan) {
		mr_web_json(c, 422, json_pack("{ssssso}", "error", "the draft has problems; "
		            "fix them first", "why", "plan_invalid", "problems", problems_json(&d, lang)));
		goto done;
	}
	if (!c->snap->plan) {
		mr_web_fail(c, 409, "there is no plan yet to compare with");
		goto done;
	}
	if (jp && !json_is_string(jp)) {
		mr_web_fail(c, 400, "field \"period\": a period such as 2026-11");
		goto done;
	}
	if (jp && mr_period_parse(&p, json_string_value(jp), &err)) {
		mr_web_fail(c, 400, "period: %s", err.msg);
		goto done;
	}
	if (!jp && mr_web_period(c, &p))
		goto done;
	/* one consistent view; the present is the frozen snapshot when the
	 * cycle is closed, as `merit score PERIOD --plan DRAFT` compares */
	int rc = mr_store_begin_read(c->s, &err);
	if (!rc)
		rc = mr_appraise(&now, c->s, c->snap->plan, &p, 1, &err);
	if (!rc)
		rc = mr_appraise(&what, c->s, d.plan, &p, 0, &err);
	mr_store_rollback(c->s);
	if (rc)
		mr_web_err(c, &err);
	else
		mr_web_json(c, 200, whatif_json(&now, &what));
done:
	mr_appraisal_release(&now);
	mr_appraisal_release(&what);
	mr_err_clear(&err);
	draft_release(&d);
	json_decref(b);
	return 0;
}

/* ---- saving a JSON draft ---- */

int mr_web_plan_from_json(mr_ctx *c, mr_plan **plan, char **yaml)
{
	draft d;
	mr_buf out;
	mr_locale lang;
	*plan = NULL;
	*yaml = NULL;
	if (mr_web_lang(c, &lang))
		return -1;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	int rc = draft_read(c, b, &d);
	json_decref(b);
	if (rc)
		goto done;
	if (!d.plan) {
		mr_web_json(c, 422, json_pack("{ssssso}", "error", "the plan does not validate: see "
		            "the problems", "why", "plan_invalid", "problems", problems_json(&d, lang)));
		rc = -1;
		goto done;
	}
	if (d.yaml) {           /* kept as the person wrote it, comments and all */
		*yaml = d.text;
		d.text = NULL;
	} else {                /* the file `merit plan export` writes */
		mr_buf_init(&out);
		mr_plan_write(&out, d.plan);
		if (mr_buf_oom(&out)) {
			mr_buf_release(&out);
			rc = mr_web_fail(c, 500, "out of memory");
			goto done;
		}
		*yaml = mr_buf_detach(&out);
	}
	*plan = d.plan;
	d.plan = NULL;
done:
	draft_release(&d);
	return rc;
}

/* score_json.c — mr_result <-> JSON, with jansson. */
#include "report/score_json.h"

#include <jansson.h>
#include <math.h>

#include "report/score_text.h"
#include "util/buf.h"
#include "util/num.h"

/* A number, or null for one JSON cannot hold (never expected: values are
 * bounded at import, but a NULL here would drop the key silently). */
static json_t *real(double v) { return isfinite(v) ? json_real(v) : json_null(); }
static json_t *num(double v) { return real(mr_round2(v)); }

json_t *mr_ind_json(const mr_ind_score *s, int person)
{
	json_t *o = json_object();
	json_object_set_new(o, "key", json_string(s->key));
	json_object_set_new(o, "name", json_string(s->name ? s->name : s->key));
	json_object_set_new(o, "rule", json_string(mr_rule_name(s->rule)));
	json_object_set_new(o, "scope", json_string(s->team ? "team" : "person"));
	json_object_set_new(o, "weight", real(s->weight));
	json_object_set_new(o, "actual", s->has_actual ? real(s->actual) : json_null());
	json_object_set_new(o, "target", s->has_target ? real(s->target) : json_null());
	json_object_set_new(o, "score", s->scored || !s->missing ? num(s->score) : json_null());
	if (person)
		json_object_set_new(o, "counted", json_boolean(s->scored));
	json_object_set_new(o, "missing", json_boolean(s->missing));
	json_object_set_new(o, "measurements", json_integer(s->measurements));
	return o;
}

static const char *const comp_keys[MR_NCOMP] = {
	"kpi_score", "manager_score", "self_score", "peer_score", "upward_score"
};

static json_t *comp_list(const int *on)
{
	json_t *a = json_array();
	for (int k = 0; k < MR_NCOMP; k++)
		if (on[k])
			json_array_append_new(a, json_string(mr_comp_name(k)));
	return a;
}

json_t *mr_person_json(const mr_scorecard *c, size_t rank)
{
	json_t *p = json_object(), *inds = json_array();
	json_object_set_new(p, "rank", c->scored ? json_integer((json_int_t)rank) : json_null());
	json_object_set_new(p, "login", json_string(c->login));
	json_object_set_new(p, "name", json_string(c->name));
	json_object_set_new(p, "position", json_string(c->position));
	for (int k = 0; k < MR_NCOMP; k++)
		json_object_set_new(p, comp_keys[k], c->has[k] ? num(c->comp[k]) : json_null());
	json_object_set_new(p, "counted", comp_list(c->counted));
	json_object_set_new(p, "final_score", c->scored ? num(c->final) : json_null());
	json_object_set_new(p, "scored", json_boolean(c->scored));
	json_object_set_new(p, "not_scored_reason",
	                    c->not_scored ? json_string(c->not_scored) : json_null());
	json_object_set_new(p, "coverage", num(c->coverage));
	json_object_set_new(p, "grade", c->grade ? json_string(c->grade) : json_null());
	json_object_set_new(p, "grade_by_quota", json_boolean(c->by_quota));
	json_object_set_new(p, "calibrated", json_boolean(c->calibrated));
	json_object_set_new(p, "calibration_reason",
	                    c->calibration ? json_string(c->calibration) : json_null());
	json_object_set_new(p, "bonus_cents", json_integer(c->bonus_cents));
	json_object_set_new(p, "complete", json_boolean(c->complete));
	json_object_set_new(p, "missing", c->missing ? json_string(c->missing) : json_null());
	json_object_set_new(p, "left_out", c->left_out ? json_string(c->left_out) : json_null());
	json_object_set_new(p, "active_days", json_integer(c->active_days));
	json_object_set_new(p, "cycle_days", json_integer(c->cycle_days));
	for (size_t k = 0; k < c->nind; k++)
		json_array_append_new(inds, mr_ind_json(&c->ind[k], 1));
	json_object_set_new(p, "indicators", inds);
	return p;
}

json_t *mr_explain_json(const mr_plan *p, const mr_scorecard *c)
{
	mr_explain e;
	char coef[32];
	if (!c->scored)
		return json_null();
	if (mr_explain_make(&e, p, c))
		return NULL;
	json_t *inds = json_array(), *blend = json_array(), *grades = json_array();
	for (size_t i = 0; i < c->nind; i++)
		if (c->ind[i].scored)
			json_array_append_new(inds, json_pack("{s:s, s:o, s:o, s:o}", "key", c->ind[i].key,
			                      "weight", real(c->ind[i].weight), "score",
			                      num(c->ind[i].score), "contribution", num(e.part[i])));
	for (int k = 0; k < MR_NCOMP; k++)
		if (e.blend[k])
			json_array_append_new(blend, json_pack("{s:s, s:o, s:o, s:o}", "component",
			                      mr_comp_name(k), "weight", real(e.blend[k]), "score",
			                      num(c->comp[k]), "contribution", num(e.blend_part[k])));
	for (size_t g = 0; g < p->ngrades && e.graded; g++) {
		mr_fixed_format(coef, p->grades[g].coef, MR_COEF_SCALE, 0);
		json_array_append_new(grades, json_pack("{s:s, s:o, s:s}", "grade", p->grades[g].grade,
		                      "min", real(p->grades[g].min), "coef", coef));
	}
	mr_fixed_format(coef, e.graded ? p->grades[e.grade].coef : 0, MR_COEF_SCALE, 0);
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:s?, s:o, s:o, s:o, s:s?, s:s?}",
	                      "kpi_score", c->has[MR_COMP_KPI] ? num(c->comp[MR_COMP_KPI])
	                                                       : json_null(),
	                      "kpi_weight", real(e.kpi_weight), "indicators", inds,
	                      "blend", blend, "formula", e.formula,
	                      "blend_weight", real(e.blend_total), "final_score", num(c->final),
	                      "grades", grades,
	                      "band_grade", e.graded ? p->grades[e.band].grade : NULL,
	                      "grade", c->grade);
	if (o && e.graded)
		json_object_set_new(o, "bonus", json_pack("{s:o, s:s, s:o, s:o, s:I}",
		                    "base_cents", e.has_base ? json_integer(e.base_cents) : json_null(),
		                    "coef", coef,
		                    "raw_cents", e.has_base ? json_integer(e.raw_cents) : json_null(),
		                    "pool_cents", e.pool ? json_integer(e.pool_cents) : json_null(),
		                    "bonus_cents", (json_int_t)c->bonus_cents));
	mr_explain_release(&e);
	return o;
}

char *mr_result_json(const mr_result *r, const char *who, int indent)
{
	char d1[11], d2[11];
	json_t *root = json_object(), *team = json_array(), *people = json_array();
	mr_day_format(d1, r->first);
	mr_day_format(d2, r->last);
	json_object_set_new(root, "period", json_string(r->period));
	json_object_set_new(root, "from", json_string(d1));
	json_object_set_new(root, "to", json_string(d2));
	json_object_set_new(root, "goal", json_string(mr_goal_name(r->goal)));
	json_object_set_new(root, "components", comp_list(r->weighs));
	for (size_t i = 0; i < r->nteam; i++)
		json_array_append_new(team, mr_ind_json(&r->team[i], 0));
	json_object_set_new(root, "team", team);
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_scorecard *c = &r->people[i];
		if (who && strcmp(who, c->login) != 0)
			continue;
		json_t *p = mr_person_json(c, i + 1);
		json_array_append_new(people, p);
	}
	json_object_set_new(root, "people", people);
	json_object_set_new(root, "scored", json_integer((json_int_t)r->nscored));
	json_object_set_new(root, "bonus_total_cents", json_integer(r->bonus_total_cents));
	size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) |
	               (indent ? JSON_INDENT(2) : JSON_COMPACT);
	char *s = json_dumps(root, flags);
	json_decref(root);
	return s;
}

/* ---- back from a snapshot ---- */

static char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? strdup(s) : NULL;
}

static int dbl(json_t *o, const char *k, double *out)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_number(v))
		return 0;
	*out = json_number_value(v);
	return 1;
}

static int ind_from(mr_ind_score *s, json_t *o)
{
	double w = 0;
	s->key = str(o, "key");
	s->name = str(o, "name");
	int rule = mr_rule_parse(json_string_value(json_object_get(o, "rule")));
	s->rule = rule < 0 ? MR_RULE_RATIO : (mr_rule)rule;
	const char *scope = json_string_value(json_object_get(o, "scope"));
	s->team = scope && strcmp(scope, "team") == 0;
	dbl(o, "weight", &w);
	s->weight = w;
	s->has_actual = dbl(o, "actual", &s->actual);
	s->has_target = dbl(o, "target", &s->target);
	int has_score = dbl(o, "score", &s->score);
	json_t *counted = json_object_get(o, "counted");
	s->scored = counted ? json_is_true(counted) : has_score;
	s->missing = json_is_true(json_object_get(o, "missing"));
	s->measurements = (long)json_integer_value(json_object_get(o, "measurements"));
	return s->key ? 0 : MR_EINVALID;
}

/* A list of component names into flags: 1, or 0 when there is no list
 * (a snapshot from before the lists; the flags are then all off and
 * mr_result_legacy_components works them out). */
static int comps_from(int *on, json_t *list)
{
	size_t i;
	json_t *v;
	for (int k = 0; k < MR_NCOMP; k++)
		on[k] = 0;
	json_array_foreach(list, i, v)
		for (int k = 0; k < MR_NCOMP; k++)
			if (json_is_string(v) && strcmp(json_string_value(v), mr_comp_name(k)) == 0)
				on[k] = 1;
	return list != NULL;
}

/* A snapshot's coverage from its indicators, when it did not keep it. */
static double coverage_of(const mr_scorecard *c)
{
	double all = 0, with = 0;
	for (size_t k = 0; k < c->nind; k++) {
		all += c->ind[k].weight;
		if (!c->ind[k].missing)
			with += c->ind[k].weight;
	}
	return all > 0 ? 100.0 * with / all : 100.0;
}

void mr_result_legacy_components(mr_result *r, const int *weighs)
{
	if (r->weighs_known)
		return;
	for (int k = 0; k < MR_NCOMP; k++) {
		int any = 0;
		for (size_t i = 0; i < r->npeople; i++)
			any |= r->people[i].has[k];
		/* the plan of the time when known, else what had data */
		r->weighs[k] = weighs ? weighs[k] : any;
	}
	for (size_t i = 0; i < r->npeople; i++) {
		mr_scorecard *c = &r->people[i];
		for (int k = 0; k < MR_NCOMP; k++)
			c->counted[k] = c->has[k] && r->weighs[k];
		/* complete meant less then: every KPI with data, every weighted
		 * rating given, as now */
		mr_buf miss;
		mr_buf_init(&miss);
		for (size_t k = 0; k < c->nind; k++)
			if (c->ind[k].missing)
				mr_buf_printf(&miss, "%s%s", miss.len ? ", " : "", c->ind[k].key);
		if (miss.len && !c->missing && !mr_buf_oom(&miss))
			c->missing = mr_buf_detach(&miss);
		mr_buf_release(&miss);
		c->complete &= !c->missing && !c->left_out;
	}
	r->weighs_known = 1;
}

int mr_result_from_json(mr_result **out, const char *text, mr_err *err)
{
	json_error_t je;
	memset(&je, 0, sizeof je);
	json_t *root = json_loads(text, 0, &je);
	mr_result *r = calloc(1, sizeof *r);
	int rc = 0;
	*out = NULL;
	if (!root || !r) {
		rc = mr_err_set(err, MR_EINVALID, "the cycle's snapshot is unreadable (line %d: %s)",
		                je.line, je.text);
		goto done;
	}
	r->period = str(root, "period");
	int g = mr_goal_parse(json_string_value(json_object_get(root, "goal")));
	r->goal = g < 0 ? MR_GOAL_NONE : (mr_goal)g;
	if (mr_day_parse(&r->first, json_string_value(json_object_get(root, "from"))) ||
	    mr_day_parse(&r->last, json_string_value(json_object_get(root, "to")))) {
		rc = mr_err_set(err, MR_EINVALID, "the cycle's snapshot has no dates");
		goto done;
	}
	r->bonus_total_cents = json_integer_value(json_object_get(root, "bonus_total_cents"));
	r->weighs_known = comps_from(r->weighs, json_object_get(root, "components"));
	json_t *team = json_object_get(root, "team"), *people = json_object_get(root, "people");
	r->nteam = json_array_size(team);
	r->npeople = json_array_size(people);
	r->team = calloc(r->nteam ? r->nteam : 1, sizeof *r->team);
	r->people = calloc(r->npeople ? r->npeople : 1, sizeof *r->people);
	if (!r->team || !r->people) {
		rc = mr_err_nomem(err);
		goto done;
	}
	for (size_t i = 0; i < r->nteam && !rc; i++)
		rc = ind_from(&r->team[i], json_array_get(team, i));
	for (size_t i = 0; i < r->npeople && !rc; i++) {
		json_t *p = json_array_get(people, i);
		mr_scorecard *c = &r->people[i];
		c->login = str(p, "login");
		c->name = str(p, "name");
		c->position = str(p, "position");
		for (int k = 0; k < MR_NCOMP; k++)
			c->has[k] = dbl(p, comp_keys[k], &c->comp[k]);
		comps_from(c->counted, json_object_get(p, "counted"));    /* legacy: see above */
		/* snapshots from before coverage (schema 5) scored everyone */
		json_t *scored = json_object_get(p, "scored");
		c->scored = scored ? json_is_true(scored) : 1;
		r->nscored += c->scored != 0;
		c->not_scored = str(p, "not_scored_reason");
		dbl(p, "final_score", &c->final);
		c->grade = str(p, "grade");
		c->by_quota = json_is_true(json_object_get(p, "grade_by_quota"));
		c->calibrated = json_is_true(json_object_get(p, "calibrated"));
		c->calibration = str(p, "calibration_reason");
		c->bonus_cents = json_integer_value(json_object_get(p, "bonus_cents"));
		c->complete = json_is_true(json_object_get(p, "complete"));
		c->missing = str(p, "missing");
		c->left_out = str(p, "left_out");
		c->active_days = (int)json_integer_value(json_object_get(p, "active_days"));
		c->cycle_days = (int)json_integer_value(json_object_get(p, "cycle_days"));
		json_t *inds = json_object_get(p, "indicators");
		c->nind = json_array_size(inds);
		c->ind = calloc(c->nind ? c->nind : 1, sizeof *c->ind);
		if (!c->ind) {
			rc = mr_err_nomem(err);
			break;
		}
		for (size_t k = 0; k < c->nind && !rc; k++)
			rc = ind_from(&c->ind[k], json_array_get(inds, k));
		if (!dbl(p, "coverage", &c->coverage))
			c->coverage = coverage_of(c);
		if (!c->login)
			rc = MR_EINVALID;
	}
	if (rc && !err->code)
		mr_err_set(err, rc, "the cycle's snapshot is incomplete");
done:
	json_decref(root);
	if (rc)
		mr_result_free(r);
	else
		*out = r;
	return rc;
}

/* card.c — one person's card as the web shows it: the one explanation of
 * a number (SPEC 2), made from the report model that the CLI's
 * `score --who` and every report use, so no door builds its own traces
 * or history. */
#include "report/report.h"

#include <jansson.h>

#include "report/score_json.h"
#include "util/num.h"

static json_t *traces_json(const mr_report *r, const mr_report_person *p)
{
	json_t *a = json_array();
	for (size_t i = 0; i < p->card->nind; i++) {
		const mr_ind_score *s = &p->card->ind[i];
		size_t n;
		const mr_subject_trace *t = mr_report_traces(r, p, s, &n);
		for (size_t k = 0; k < n; k++) {
			json_t *x = json_pack("{sssssIsssssIsIsI}", "indicator", s->key,
			                      "scope", s->team ? "team" : "person",
			                      "batch", (json_int_t)t[k].t.batch, "source", t[k].t.source,
			                      "file", t[k].t.file, "count", (json_int_t)t[k].t.count,
			                      "first_line", (json_int_t)t[k].t.first_line,
			                      "last_line", (json_int_t)t[k].t.last_line);
			/* how the batch's numbers were measured (schema 17), when it says */
			json_t *how = t[k].t.how ? json_loads(t[k].t.how, 0, NULL) : NULL;
			if (x && how)
				json_object_set_new(x, "how", how);
			else
				json_decref(how);
			json_array_append_new(a, x);
		}
	}
	return a;
}

static json_t *history_json(const mr_report *r, const mr_report_person *p)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nhistory; i++) {
		const mr_report_point *pt = &p->history[i];
		json_array_append_new(a, json_pack("{ssso so}", "period", r->history[i],
		                      "final_score", pt->has ? json_real(mr_round2(pt->final))
		                                             : json_null(),
		                      "grade", *pt->grade ? json_string(pt->grade) : json_null()));
	}
	return a;
}

static json_t *ratings_json(const mr_report_person *p)
{
	json_t *a = json_array();
	for (size_t i = 0; i < p->nratings; i++) {
		const mr_rating_row *g = &p->ratings[i];
		json_array_append_new(a, json_pack("{sssssssfso}", "kind", g->kind, "rater", g->rater,
		                      "criterion", g->criterion, "stars", g->stars, "comment",
		                      g->comment ? json_string(g->comment) : json_null()));
	}
	return a;
}

char *mr_report_card_json(const mr_report *r, int with_ratings)
{
	if (!r->who || r->npeople != 1)
		return NULL;
	const mr_report_person *p = &r->people[0];
	json_t *root = json_pack("{sssssbsososo}", "period", r->result->period,
	                         "state", r->state ? r->state : "none", "frozen", r->frozen,
	                         "person", mr_person_json(p->card, p->rank),
	                         "trace", traces_json(r, p), "history", history_json(r, p));
	if (!root)
		return NULL;
	if (with_ratings)
		json_object_set_new(root, "ratings", ratings_json(p));
	char *t = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(root);
	return t;
}

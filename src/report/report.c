/* report.c — the report model (report.h) and the one entry every door
 * calls: build it once, render it whole in memory in the format asked
 * for, then write it (mr_file_write: a checked temporary file renamed
 * into place).
 */
#include "report/report.h"
#include "util/vec.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <sodium.h>

#include "report/appraise.h"
#include "report/report_i18n.h"
#include "report/score_json.h"
#include "report/score_text.h"
#include "util/file.h"
#include "util/num.h"

#define MR_HISTORY_MAX 12     /* points in a person's history: this cycle and 11 before */

/* ---- small shared pieces ---- */

const char *mr_report_goal_text(const mr_report *r, mr_goal g)
{
	switch (g) {
	case MR_GOAL_BRAND: return MR_T(r, "brand — brand communication");
	case MR_GOAL_PLATFORM: return MR_T(r, "platform — build a platform");
	case MR_GOAL_SALES: return MR_T(r, "sales — sell products");
	default: return MR_T(r, "none — no operating goal is set");
	}
}

void mr_report_value(char *out, int has, double v)
{
	if (!has) {
		snprintf(out, 32, "-");
		return;
	}
	double r = mr_round2(v);
	if (fabs(r) < 1e15 && r == floor(r))
		snprintf(out, 32, "%.0f", r);
	else
		snprintf(out, 32, "%.2f", r);
}

const char *mr_report_grade_color(const mr_report *r, const char *grade)
{
	static const char *const palette[] = { "#57bb8a", "#b7e1a1", "#ffe599", "#f9b26b",
	                                       "#e67c73" };
	size_t n = r->ngrades, i;
	if (!grade)
		return "#dddddd";
	for (i = 0; i < n && strcmp(r->grades[i].grade, grade) != 0; i++)
		;
	if (i == n)
		return "#dddddd";
	if (n == 1)
		return palette[0];
	return palette[i * 4 / (n - 1)];
}

/* A rater kind as a document shows it: "manager", or 上级评. */
static const char *kind_text(const mr_report *r, const char *kind)
{
	if (r->lang == MR_LOCALE_EN)
		return kind;
	if (strcmp(kind, "self") == 0)
		return MR_T(r, "self");
	if (strcmp(kind, "manager") == 0)
		return MR_T(r, "manager");
	if (strcmp(kind, "peer") == 0)
		return MR_T(r, "peer");
	if (strcmp(kind, "upward") == 0)
		return MR_T(r, "upward");
	return kind;
}

const char *mr_report_kind(const mr_report *r, const char *kind)
{
	return kind_text(r, kind);
}

const char *mr_report_criterion_name(const mr_report *r, const mr_report_person *p,
                                     const char *key)
{
	for (size_t k = 0; r->lang != MR_LOCALE_EN && k < p->ncriteria; k++)
		if (strcmp(p->criteria[k].key, key) == 0)
			return p->criteria[k].name;
	return key;
}

const char *mr_report_ind_name(const mr_report *r, const mr_ind_score *s)
{
	const char *zh = mr_tr_key(r->lang, "ind", s->key);
	return zh ? zh : s->name ? s->name : s->key;
}

const char *mr_report_source(const mr_report *r, const char *source)
{
	const char *zh = mr_tr_key(r->lang, "source", source);
	return zh ? zh : source;
}

void mr_report_how(const mr_report *r, const char *how_json, mr_buf *b)
{
	json_t *how = how_json ? json_loads(how_json, 0, NULL) : NULL;
	const char *ins = json_string_value(json_object_get(how, "instrument"));
	const char *kw = json_string_value(json_object_get(how, "keyword"));
	if (ins && kw)
		mr_buf_printf(b, strcmp(ins, "baidu-index") == 0
		              ? MR_T(r, "Baidu Index: daily search index of “%s”")
		              : MR_T(r, "daily search index of “%s”"), kw);
	json_decref(how);
}

const char *mr_report_stage(const mr_report *r, const char *stage)
{
	if (!stage)
		return MR_T(r, "(no stage)");
	for (size_t i = 0; r->lang != MR_LOCALE_EN && i < MR_NSTAGES; i++)
		if (strcmp(stage, mr_stage_names[i]) == 0)
			return mr_tr(r->lang, mr_stage_names[i]);
	return stage;
}

int mr_report_in_stage(const mr_report_person *p, const char *stage)
{
	return stage ? p->stage && strcmp(p->stage, stage) == 0 : !p->stage;
}

size_t mr_report_stages(const mr_report *r, mr_report_stage_sum *out)
{
	size_t n = 0;
	/* the chain's stages in order, then the people whose position the
	 * plan no longer has (no stage) */
	for (size_t k = 0; k <= MR_NSTAGES; k++) {
		const char *word = k < MR_NSTAGES ? mr_stage_names[k] : NULL;
		mr_report_stage_sum t = { .stage = word };
		double sum = 0;
		for (size_t i = 0; i < r->npeople; i++) {
			const mr_report_person *p = &r->people[i];
			if (!mr_report_in_stage(p, word))
				continue;
			t.people++;
			if (p->card->scored) {
				t.scored++;
				sum += p->card->final;
				t.bonus_cents += p->card->bonus_cents;
			}
		}
		if (!t.people)
			continue;
		t.mean = t.scored ? mr_round2(sum / (double)t.scored) : 0;
		out[n++] = t;
	}
	return n;
}

const char *mr_report_rule(const mr_report *r, mr_rule rule)
{
	switch (rule) {
	case MR_RULE_RATIO: return MR_T(r, "ratio");
	case MR_RULE_LINEAR: return MR_T(r, "linear");
	case MR_RULE_BANDS: return MR_T(r, "bands");
	case MR_RULE_BINARY: return MR_T(r, "binary");
	default: return mr_rule_name(rule);
	}
}

void mr_report_rater(char *out, size_t n, const mr_report *r, const mr_rating_row *g)
{
	int anon = r->anonymous && (strcmp(g->kind, "peer") == 0 || strcmp(g->kind, "upward") == 0);
	if (strcmp(g->kind, "self") == 0 || anon)    /* anonymous: the rater is "peer 1" */
		snprintf(out, n, "%s", anon ? g->rater : kind_text(r, "self"));
	else
		snprintf(out, n, MR_T(r, "%s (%s)"), kind_text(r, g->kind), g->rater);
}

/* The indicators of c in `list` ("posts, rank", up to a ")"): as listed
 * in English, by the plan's names joined with 、 in Chinese. */
static void indicator_list(mr_buf *out, const mr_report *r, const mr_scorecard *c,
                           const char *list)
{
	if (r->lang == MR_LOCALE_EN) {
		mr_buf_puts(out, list);
		return;
	}
	for (int n = 0; *list && *list != ')'; n++) {
		size_t len = strcspn(list, ",)"), k;
		for (k = 0; k < c->nind; k++)
			if (strlen(c->ind[k].key) == len && strncmp(c->ind[k].key, list, len) == 0)
				break;
		if (n)
			mr_buf_puts(out, "、");
		if (k < c->nind)
			mr_buf_puts(out, mr_report_ind_name(r, &c->ind[k]));
		else
			mr_buf_add(out, list, len);
		list += len;
		while (*list == ',' || *list == ' ')
			list++;
	}
}

void mr_report_incomplete(mr_buf *out, const mr_report *r, const mr_scorecard *c)
{
	if (c->complete)
		return;
	if (c->missing) {
		mr_buf list;
		mr_buf_init(&list);
		indicator_list(&list, r, c, c->missing);
		mr_buf_printf(out, MR_T(r, "no data for %s"), list.data ? list.data : "");
		if (mr_buf_oom(&list))
			out->oom = 1;
		mr_buf_release(&list);
	}
	if (c->left_out) {
		if (c->missing)
			mr_buf_puts(out, MR_T(r, "; "));
		mr_buf_puts(out, MR_T(r, "no rating: "));
		mr_tr_list(out, r->lang, c->left_out);
	}
	if (!c->missing && !c->left_out && c->scored)
		mr_buf_puts(out, MR_T(r, "data missing"));
}

void mr_report_not_scored(mr_buf *out, const mr_report *r, const mr_scorecard *c)
{
	static const char grounded[] = "no KPI data and no manager rating counted: the final "
	                               "score would rest on self, peer and upward ratings alone";
	const char *why = c->not_scored ? c->not_scored : "";
	char have[32], need[32];
	int n = 0;
	if (r->lang == MR_LOCALE_EN) {
		mr_buf_puts(out, why);
		return;
	}
	/* the reasons core/score.c gives (also in frozen snapshots), in words */
	if (strcmp(why, grounded) == 0) {
		mr_buf_puts(out, MR_T(r, "no KPI data and no manager rating counted: the final score "
		                   "would rest on self, peer and upward ratings alone"));
		return;
	}
	if (sscanf(why, "KPI coverage %31[0-9.]%% is below the plan's min_coverage %31[0-9.]%%%n",
	           have, need, &n) == 2 && n > 0) {
		mr_buf_printf(out, MR_T(r, "KPI coverage %s%% is below the plan's min_coverage %s%%"),
		              have, need);
		if (strncmp(why + n, " (no data for ", 14) == 0) {
			mr_buf_puts(out, MR_T(r, " (no data for "));
			indicator_list(out, r, c, why + n + 14);     /* its ")" is dropped */
			mr_buf_puts(out, MR_T(r, ")"));
		}
		return;
	}
	mr_buf_puts(out, why);
}

int mr_report_counts(const mr_report *r, int k)
{
	return r->result->weighs[k];
}

void mr_report_not_counted(mr_buf *out, const mr_report *r, const mr_scorecard *c)
{
	int n = 0;
	for (int k = 0; k < MR_NCOMP; k++)
		if (c->has[k] && !mr_report_counts(r, k)) {
			if (n++)
				mr_buf_puts(out, MR_T(r, ", "));
			mr_tr_list(out, r->lang, mr_comp_name(k));
			mr_buf_printf(out, " %.2f", mr_round2(c->comp[k]));
		}
}

const char *mr_report_comp_title(const mr_report *r, int k)
{
	switch (k) {
	case MR_COMP_KPI: return MR_T(r, "KPI");
	case MR_COMP_MANAGER: return MR_T(r, "Manager");
	case MR_COMP_SELF: return MR_T(r, "Self");
	case MR_COMP_PEER: return MR_T(r, "Peer");
	case MR_COMP_UPWARD: return MR_T(r, "Upward");
	default: return "";
	}
}

void mr_report_ack_time(char *out, const char *at)
{
	/* stored as 2026-12-02T10:15:42.123Z */
	if (at && strlen(at) >= 16 && at[10] == 'T')
		snprintf(out, 32, "%.10s %.5s UTC", at, at + 11);
	else
		snprintf(out, 32, "%s", at ? at : "");
}

const mr_ack *mr_report_ack(const mr_report_person *p, const char *role)
{
	for (size_t i = 0; i < p->nacks; i++)
		if (strcmp(p->acks[i].role, role) == 0)
			return &p->acks[i];
	return NULL;
}

const mr_ind_score *mr_report_ind(const mr_report_person *p, const char *key)
{
	for (size_t i = 0; i < p->card->nind; i++)
		if (strcmp(p->card->ind[i].key, key) == 0)
			return &p->card->ind[i];
	return NULL;
}

/* Compare (login, indicator) with a trace's; NULL login (the team) first. */
static int trace_cmp(const char *login, const char *ind, const mr_subject_trace *t)
{
	if (!login != !t->login)
		return login ? 1 : -1;
	int c = login ? strcmp(login, t->login) : 0;
	return c ? c : strcmp(ind, t->t.indicator);
}

const mr_subject_trace *mr_report_traces(const mr_report *r, const mr_report_person *p,
                                         const mr_ind_score *s, size_t *n)
{
	const char *login = s->team ? NULL : p->card->login;
	size_t lo = 0, hi = r->ntraces;
	while (lo < hi) {               /* the first not below (login, key) */
		size_t mid = lo + (hi - lo) / 2;
		if (trace_cmp(login, s->key, &r->traces[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < r->ntraces && trace_cmp(login, s->key, &r->traces[end]) == 0)
		end++;
	*n = end - lo;
	return *n ? &r->traces[lo] : NULL;
}

/* ---- building ---- */

void mr_report_free(mr_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->people && i < r->npeople; i++) {
		free(r->people[i].position_name);
		free(r->people[i].stage);
		free(r->people[i].duties);
		for (size_t k = 0; r->people[i].criteria && k < r->people[i].ncriteria; k++) {
			free(r->people[i].criteria[k].key);
			free(r->people[i].criteria[k].name);
		}
		free(r->people[i].criteria);
		free(r->people[i].history);
	}
	free(r->people);
	for (size_t i = 0; r->grades && i < r->ngrades; i++)
		free(r->grades[i].grade);
	free(r->grades);
	for (size_t i = 0; r->history && i < r->nhistory; i++)
		free(r->history[i]);
	free(r->history);
	free(r->columns);
	mr_subject_trace_free(r->traces, r->ntraces);
	mr_rating_rows_free(r->ratings, r->nratings);
	mr_ack_list_free(r->acks, r->nacks);
	mr_result_free(r->result);
	free(r->state);
	free(r->company);
	free(r->who);
	free(r);
}

/* Not scored: say whether the login is unknown or was not active. */
int mr_report_who_missing(mr_store *s, const char *who, const mr_period *period, mr_err *err)
{
	mr_staff st;
	int rc = mr_store_staff_get(s, who, &st, err);
	if (rc == 0) {
		if (st.reviewer)
			rc = mr_err_set(err, MR_ENOTFOUND, "%s is a reviewer: reviewers rate others and "
			                "are never scored", who);
		else
			rc = mr_err_set(err, MR_ENOTFOUND, "%s was not active in %s, so has no score",
			                who, period->label);
		mr_staff_release(&st);
	}
	return rc;
}

static int add_grade(mr_report *r, const char *grade)
{
	for (size_t i = 0; i < r->ngrades; i++)
		if (strcmp(r->grades[i].grade, grade) == 0)
			return 0;
	if (mr_vec_grow(&r->grades, &r->capgrades, r->ngrades, sizeof *r->grades))
		return MR_ENOMEM;
	r->grades[r->ngrades].count = 0;
	if (!(r->grades[r->ngrades].grade = strdup(grade)))
		return MR_ENOMEM;
	r->ngrades++;
	return 0;
}

/* The plan's grades, best first, then any other a snapshot holds; counts. */
static int build_grades(mr_report *r, const mr_plan *plan)
{
	for (size_t i = 0; i < plan->ngrades; i++)
		if (add_grade(r, plan->grades[i].grade))
			return MR_ENOMEM;
	for (size_t i = 0; i < r->result->npeople; i++) {
		const char *g = r->result->people[i].grade;
		if (g && *g && add_grade(r, g))
			return MR_ENOMEM;
	}
	for (size_t i = 0; !r->who && i < r->result->npeople; i++) {
		const char *g = r->result->people[i].grade;
		for (size_t k = 0; g && k < r->ngrades; k++)
			if (strcmp(r->grades[k].grade, g) == 0)
				r->grades[k].count++;
	}
	return 0;
}

static size_t plan_order(const mr_plan *plan, const char *key)
{
	for (size_t i = 0; i < plan->nindicators; i++)
		if (strcmp(plan->indicators[i].key, key) == 0)
			return i;
	return plan->nindicators;
}

/* Every indicator anyone is scored on, in the plan's order. */
static int build_columns(mr_report *r, const mr_plan *plan)
{
	size_t cap = 0;
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_scorecard *c = r->people[i].card;
		for (size_t k = 0; k < c->nind; k++) {
			size_t j;
			for (j = 0; j < r->ncolumns && strcmp(r->columns[j]->key, c->ind[k].key); j++)
				;
			if (j < r->ncolumns)
				continue;
			if (mr_vec_grow(&r->columns, &cap, r->ncolumns, sizeof *r->columns))
				return MR_ENOMEM;
			/* insertion in plan order; equal (unknown) ones by key */
			size_t at = r->ncolumns, o = plan_order(plan, c->ind[k].key);
			while (at > 0) {
				const mr_ind_score *prev = r->columns[at - 1];
				size_t po = plan_order(plan, prev->key);
				if (po < o || (po == o && strcmp(prev->key, c->ind[k].key) < 0))
					break;
				r->columns[at] = prev;
				at--;
			}
			r->columns[at] = &c->ind[k];
			r->ncolumns++;
		}
	}
	return 0;
}

typedef struct by_login { const char *login; const mr_scorecard *card; } by_login;

static int by_login_cmp(const void *a, const void *b)
{
	return strcmp(((const by_login *)a)->login, ((const by_login *)b)->login);
}

static void point_of(mr_report_point *pt, const mr_scorecard *c)
{
	pt->has = c->scored;
	pt->final = c->final;
	snprintf(pt->grade, sizeof pt->grade, "%s", c->grade ? c->grade : "");
}

/* One past cycle's finals into column `col` of every person's history. */
static int history_from(mr_report *r, const mr_result *past, size_t col)
{
	by_login *idx = malloc((past->npeople ? past->npeople : 1) * sizeof *idx);
	if (!idx)
		return MR_ENOMEM;
	for (size_t i = 0; i < past->npeople; i++) {
		idx[i].login = past->people[i].login;
		idx[i].card = &past->people[i];
	}
	qsort(idx, past->npeople, sizeof *idx, by_login_cmp);
	for (size_t i = 0; i < r->npeople; i++) {
		by_login key = { r->people[i].card->login, NULL };
		const by_login *hit = bsearch(&key, idx, past->npeople, sizeof *idx, by_login_cmp);
		if (hit)
			point_of(&r->people[i].history[col], hit->card);
	}
	free(idx);
	return 0;
}

/* Final scores over the closed cycles that ended by this period's end,
 * the latest MR_HISTORY_MAX - 1 of them, then this period's. */
static int build_history(mr_report *r, mr_store *s, const mr_period *period, mr_err *err)
{
	mr_cycle *cycles = NULL;
	size_t nc = 0, *past = NULL, np = 0;
	int rc = mr_store_cycle_list(s, &cycles, &nc, err);
	if (rc)
		return rc;
	if (!(past = calloc(nc + 1, sizeof *past)))
		goto nomem;
	for (size_t i = 0; i < nc; i++)
		if (strcmp(cycles[i].state, "closed") == 0 && cycles[i].last <= period->last &&
		    strcmp(cycles[i].period, r->result->period) != 0)
			past[np++] = i;
	size_t skip = np > MR_HISTORY_MAX - 1 ? np - (MR_HISTORY_MAX - 1) : 0;
	r->nhistory = np - skip + 1;
	if (!(r->history = calloc(r->nhistory, sizeof *r->history)))
		goto nomem;
	for (size_t i = 0; i < r->npeople; i++)
		if (!(r->people[i].history = calloc(r->nhistory, sizeof *r->people[i].history)))
			goto nomem;
	for (size_t k = skip; k < np && !rc; k++) {
		size_t col = k - skip;
		mr_cycle c;
		char *snap = NULL;
		mr_result *res = NULL;
		if (!(r->history[col] = strdup(cycles[past[k]].period)))
			goto nomem;
		rc = mr_store_cycle_get(s, cycles[past[k]].period, &c, &snap, err);
		if (rc)
			break;
		mr_cycle_release(&c);
		if (snap && (rc = mr_result_from_json(&res, snap, err)) == 0)
			rc = history_from(r, res, col);
		if (rc == MR_ENOMEM && !err->code)
			mr_err_set(err, rc, "out of memory");
		mr_result_free(res);
		free(snap);
	}
	if (!rc) {
		size_t col = r->nhistory - 1;
		if (!(r->history[col] = strdup(r->result->period)))
			goto nomem;
		for (size_t i = 0; i < r->npeople; i++)
			point_of(&r->people[i].history[col], r->people[i].card);
	}
	mr_cycle_list_free(cycles, nc);
	free(past);
	return rc;
nomem:
	mr_cycle_list_free(cycles, nc);
	free(past);
	return mr_err_nomem(err);
}

/* The ratings of each person: a range of the sorted list. */
static void attach_ratings(mr_report *r)
{
	size_t k = 0;
	/* people are in rank order; the ratings by login: search each */
	for (size_t i = 0; i < r->npeople; i++) {
		const char *login = r->people[i].card->login;
		size_t lo = 0, hi = r->nratings;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(r->ratings[mid].login, login) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (k = lo; k < r->nratings && strcmp(r->ratings[k].login, login) == 0; k++)
			;
		r->people[i].ratings = k > lo ? &r->ratings[lo] : NULL;
		r->people[i].nratings = k - lo;
	}
}

/* The acknowledgements of each person: a range of the list (by login). */
static void attach_acks(mr_report *r)
{
	for (size_t i = 0; i < r->npeople; i++) {
		const char *login = r->people[i].card->login;
		size_t k = 0, n = 0;
		while (k < r->nacks && strcmp(r->acks[k].login, login) != 0)
			k++;
		while (k + n < r->nacks && strcmp(r->acks[k + n].login, login) == 0)
			n++;
		r->people[i].acks = n ? &r->acks[k] : NULL;
		r->people[i].nacks = n;
	}
}

/* What each person's form says of the post: its duties and the criteria
 * raters rate it on (the built-in plan's own texts in the report's
 * language). */
static int describe_position(mr_report_person *p, const mr_plan *plan,
                             const mr_position *pos, mr_locale lang)
{
	size_t n = 0;
	const mr_criterion *cr = mr_plan_criteria(plan, p->card->position, &n);
	if (pos && pos->duties && !(p->duties = strdup(mr_tr(lang, pos->duties))))
		return MR_ENOMEM;
	if (!cr || !n)
		return 0;
	if (!(p->criteria = calloc(n, sizeof *p->criteria)))
		return MR_ENOMEM;
	for (size_t k = 0; k < n; k++, p->ncriteria++) {
		mr_report_criterion *c = &p->criteria[k];
		c->key = strdup(cr[k].key);
		c->name = strdup(cr[k].name ? mr_tr(lang, cr[k].name) : cr[k].key);
		c->weight = cr[k].weight;
		if (!c->key || !c->name) {
			p->ncriteria++;       /* freed with the others */
			return MR_ENOMEM;
		}
	}
	return 0;
}

struct keyed_row { uint64_t h; mr_rating_row row; };

static int by_key(const void *a, const void *b)
{
	const struct keyed_row *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return strcmp(x->row.criterion, y->row.criterion);
}

/* Each person's peer rows in an order that says nothing of who the
 * peers are (the store lists them by login): by a keyed hash of the
 * rater, with a key new to every report. */
static int shuffle_peers(mr_report *r)
{
	unsigned char key[crypto_shorthash_KEYBYTES], h[crypto_shorthash_BYTES];
	randombytes_buf(key, sizeof key);
	for (size_t i = 0, j; i < r->nratings; i = j) {
		const mr_rating_row *first = &r->ratings[i];
		for (j = i; j < r->nratings && strcmp(r->ratings[j].login, first->login) == 0 &&
		            strcmp(r->ratings[j].kind, first->kind) == 0; j++)
			;
		if (strcmp(first->kind, "peer") != 0 && strcmp(first->kind, "upward") != 0)
			continue;
		struct keyed_row *k = malloc((j - i) * sizeof *k);
		if (!k)
			return MR_ENOMEM;
		for (size_t t = i; t < j; t++) {
			const char *rater = r->ratings[t].rater;
			crypto_shorthash(h, (const unsigned char *)rater, strlen(rater), key);
			memcpy(&k[t - i].h, h, sizeof k[t - i].h);
			k[t - i].row = r->ratings[t];
		}
		qsort(k, j - i, sizeof *k, by_key);
		for (size_t t = i; t < j; t++)
			r->ratings[t] = k[t - i].row;
		free(k);
	}
	return 0;
}

/* Peers as "peer 1", "peer 2", … and direct reports as "upward 1", … per
 * rated person, in the order their (shuffled) ratings come: the person's
 * own copy says what colleagues said, not who. */
static int anonymize_peers(mr_report *r)
{
	const char *login = NULL, *kind = NULL;
	char *prev = NULL;           /* the real name of the last anonymous row */
	int n = 0, rc = 0;
	for (size_t i = 0; i < r->nratings; i++) {
		mr_rating_row *g = &r->ratings[i];
		if (!login || strcmp(login, g->login) || strcmp(kind, g->kind)) {
			login = g->login;
			kind = g->kind;
			free(prev);
			prev = NULL;
			n = 0;
		}
		if (strcmp(g->kind, "peer") && strcmp(g->kind, "upward"))
			continue;
		if (!prev || strcmp(prev, g->rater))
			n++;
		char name[32], *anon;
		if (strcmp(g->kind, "peer") == 0)
			snprintf(name, sizeof name, MR_T(r, "peer %d"), n);
		else
			snprintf(name, sizeof name, MR_T(r, "upward %d"), n);
		if (!(anon = strdup(name))) {
			rc = MR_ENOMEM;
			break;
		}
		free(prev);
		prev = g->rater;
		g->rater = anon;
	}
	free(prev);
	return rc;
}

/* full: with traces, ratings and history (CSV and JSON need none). */
static int build(mr_report **out, mr_store *s, const mr_plan *plan, const mr_period *period,
                 const char *who, int full, unsigned flags, mr_err *err)
{
	mr_appraisal a;
	int rc;
	*out = NULL;
	mr_report *r = calloc(1, sizeof *r);
	if (!r)
		return mr_err_nomem(err);
	if ((rc = mr_appraise(&a, s, plan, period, !(flags & MR_REPORT_FRESH), err)))
		goto fail;
	r->result = a.result;
	r->frozen = a.frozen;
	r->state = a.state;
	r->rating_scale = plan->rating_scale;
	r->anonymous = (flags & MR_REPORT_ANON_PEERS) != 0;
	r->lang = flags & MR_REPORT_ZH ? MR_LOCALE_ZH_CN : MR_LOCALE_EN;
	if ((plan->company && !(r->company = strdup(plan->company))) ||
	    (who && !(r->who = strdup(who))))
		goto nomem;
	size_t n = r->result->npeople;
	if (who) {
		size_t i;
		for (i = 0; i < n && strcmp(r->result->people[i].login, who) != 0; i++)
			;
		if (i == n) {
			rc = mr_report_who_missing(s, who, period, err);
			goto fail;
		}
		if (!(r->people = calloc(1, sizeof *r->people)))
			goto nomem;
		r->npeople = 1;
		r->people[0].card = &r->result->people[i];
		r->people[0].rank = i < r->result->nscored ? i + 1 : 0;
	} else {
		if (!(r->people = calloc(n ? n : 1, sizeof *r->people)))
			goto nomem;
		r->npeople = n;
		for (size_t i = 0; i < n; i++) {
			r->people[i].card = &r->result->people[i];
			r->people[i].rank = i < r->result->nscored ? i + 1 : 0;
		}
	}
	for (size_t i = 0; i < r->npeople; i++) {
		mr_report_person *p = &r->people[i];
		const mr_position *pos = mr_plan_position(plan, p->card->position);
		const char *zh = mr_tr_key(r->lang, "pos", p->card->position);
		p->position_name = strdup(zh ? zh : pos && pos->name ? pos->name : p->card->position);
		if (!p->position_name || (pos && pos->stage && !(p->stage = strdup(pos->stage))) ||
		    describe_position(p, plan, pos, r->lang))
			goto nomem;
	}
	if (build_grades(r, plan) || build_columns(r, plan))
		goto nomem;
	if (!full) {
		*out = r;
		return 0;
	}
	if ((rc = mr_store_rating_list(s, r->result->period, who, &r->ratings, &r->nratings, err)) ||
	    (rc = mr_store_trace_all(s, r->result->first, r->result->last, &r->traces,
	                             &r->ntraces, err)) ||
	    (rc = build_history(r, s, period, err)))
		goto fail;
	/* a closed cycle's results are acknowledged (SPEC 2): the signed form shows it */
	if (r->frozen && (rc = mr_store_ack_list(s, r->result->period, who, &r->acks, &r->nacks, err)))
		goto fail;
	if (r->anonymous && (shuffle_peers(r) || anonymize_peers(r)))
		goto nomem;
	attach_ratings(r);
	attach_acks(r);
	*out = r;
	return 0;
nomem:
	rc = mr_err_nomem(err);
fail:
	if (!r->result)
		mr_appraisal_release(&a);
	mr_report_free(r);
	return rc;
}

int mr_report_build(mr_report **out, mr_store *s, const mr_plan *plan,
                    const mr_period *period, const char *who, unsigned flags, mr_err *err)
{
	return build(out, s, plan, period, who, 1, flags, err);
}

/* ---- the text formats: exactly what `merit score --json` / --csv give ---- */

int mr_report_csv(mr_buf *out, const mr_report *r, mr_err *err)
{
	mr_score_csv(out, r->result, r->who);
	return mr_buf_oom(out) ? mr_err_nomem(err) : 0;
}

int mr_report_json(mr_buf *out, const mr_report *r, mr_err *err)
{
	char *t = mr_result_json(r->result, r->who, 1);
	if (!t)
		return mr_err_nomem(err);
	mr_buf_puts(out, t);
	mr_buf_putc(out, '\n');
	free(t);
	return mr_buf_oom(out) ? mr_err_nomem(err) : 0;
}

int mr_report_html(mr_buf *out, const mr_report *r, mr_err *err)
{
	mr_report_html_buf(out, r);
	return mr_buf_oom(out) ? mr_err_nomem(err) : 0;
}

/* ---- the one entry ---- */

static const struct {
	const char *name, *mime;
	int (*render)(mr_buf *out, const mr_report *r, mr_err *err);
} formats[] = {
	{ "csv", "text/csv; charset=utf-8", mr_report_csv },
	{ "json", "application/json", mr_report_json },
	{ "html", "text/html; charset=utf-8", mr_report_html },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	  mr_report_xlsx },
	{ "pdf", "application/pdf", mr_report_pdf },
};
#define NFORMATS (sizeof formats / sizeof formats[0])

static int format_index(const char *format)
{
	for (size_t i = 0; format && i < NFORMATS; i++)
		if (strcmp(formats[i].name, format) == 0)
			return (int)i;
	return -1;
}

int mr_report_format_known(const char *format) { return format_index(format) >= 0; }

const char *mr_report_mime(const char *format)
{
	int i = format_index(format);
	return i < 0 ? NULL : formats[i].mime;
}

int mr_report_write(mr_store *s, const mr_plan *plan, const mr_period *period,
                    const char *format, const char *who, const char *path, unsigned flags,
                    mr_err *err)
{
	int fi = format_index(format), rc;
	mr_report *r = NULL;
	mr_buf b;
	if (fi < 0)
		return mr_err_set(err, MR_EINVALID, "unknown report format \"%s\": choose csv, json, "
		                  "html, xlsx or pdf", format ? format : "");
	if (!path || !*path)
		return mr_err_set(err, MR_EINVALID, "no file to write the report to");
	if ((rc = mr_store_begin_read(s, err)))
		return rc;
	rc = build(&r, s, plan, period, who, formats[fi].render != mr_report_csv &&
	           formats[fi].render != mr_report_json, flags, err);
	mr_store_rollback(s);
	if (rc)
		return rc;
	/* the whole document first: a file is written only once it is all made */
	mr_buf_init(&b);
	if ((rc = formats[fi].render(&b, r, err)))
		mr_err_prefix(err, "%s", strcmp(path, "-") == 0 ? "the report" : path);
	else
		rc = mr_file_write(path, b.data, b.len, err);
	mr_buf_release(&b);
	mr_report_free(r);
	return rc;
}

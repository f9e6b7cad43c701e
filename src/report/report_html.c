/* report_html.c — the report as one self-contained HTML file: inline CSS,
 * inline SVG charts, no scripts and no external requests, so it can be
 * sent by e-mail or opened anywhere.  Deterministic: no dates of its own.
 */
#include "report/report.h"

#include "report/report_i18n.h"
#include "report/report_svg.h"
#include "util/num.h"

static const char css[] =
	"body{font-family:'Noto Sans CJK SC','Noto Sans',Arial,sans-serif;color:#222;"
	"max-width:72em;margin:1em auto;padding:0 1em;font-size:14px}\n"
	"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.2em 0 .4em;"
	"border-bottom:1px solid #ccc}h3{font-size:1.05em;margin:1em 0 .3em}\n"
	".meta{color:#555;margin:.2em 0}\n"
	"table{border-collapse:collapse;margin:.4em 0}th,td{padding:.2em .6em;"
	"border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}\n"
	"th{background:#f3f3f3}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"tr.trace td{color:#666;font-size:.9em;border-bottom:none}\n"
	".grade{display:inline-block;min-width:1.6em;text-align:center;border-radius:3px;"
	"padding:0 .3em;font-weight:bold}\n"
	".result{font-size:1.15em;margin:.6em 0}.result b{font-size:1.2em}\n"
	".note{color:#8a4b00}.muted{color:#777}\n"
	"tr.incomplete td{background:#fff6e8}td.notes{min-width:16em;font-size:.9em}\n"
	"section.person{page-break-before:always;margin-top:2em}\n"
	"@media print{body{max-width:none}}\n";

static void esc(mr_buf *b, const char *s) { mr_xml_text(b, s ? s : ""); }

static void score_cell(mr_buf *b, int has, double v)
{
	if (has)
		mr_buf_printf(b, "<td class=\"n\">%.2f</td>", mr_round2(v));
	else
		mr_buf_puts(b, "<td class=\"n\">-</td>");
}

static void grade_badge(mr_buf *b, const mr_report *r, const mr_scorecard *c)
{
	mr_buf_printf(b, "<span class=\"grade\" style=\"background:%s\">",
	              mr_report_grade_color(r, c->grade));
	esc(b, c->grade && *c->grade ? c->grade : "-");
	mr_buf_puts(b, c->calibrated ? "^</span>" : c->by_quota ? "*</span>" : "</span>");
}

/* A cycle's state ("open", "review") as people read it. */
static const char *state_text(const mr_report *r, const char *state)
{
	if (strcmp(state, "open") == 0)
		return MR_T(r, "open");
	if (strcmp(state, "review") == 0)
		return MR_T(r, "review");
	return state;
}

static void head(mr_buf *b, const mr_report *r)
{
	char d1[11], d2[11];
	const mr_result *res = r->result;
	mr_day_format(d1, res->first);
	mr_day_format(d2, res->last);
	mr_buf_printf(b, "<!DOCTYPE html>\n<html%s><head><meta charset=\"utf-8\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	               "<title>", r->lang == MR_LOCALE_EN ? "" : " lang=\"zh-CN\"");
	mr_buf_puts(b, MR_T(r, "Appraisal "));
	esc(b, res->period);
	if (r->company) {
		mr_buf_puts(b, " — ");
		esc(b, r->company);
	}
	mr_buf_printf(b, "</title>\n<style>\n%s</style></head>\n<body>\n<header>\n", css);
	if (r->company) {
		mr_buf_puts(b, "<p class=\"meta\">");
		esc(b, r->company);
		mr_buf_puts(b, "</p>\n");
	}
	mr_buf_printf(b, "<h1>%s", MR_T(r, "Performance appraisal "));
	esc(b, res->period);
	mr_buf_puts(b, "</h1>\n<p class=\"meta\">");
	mr_buf_printf(b, MR_T(r, "%s to %s · operating goal: "), d1, d2);
	esc(b, mr_report_goal_text(r, res->goal));
	if (r->frozen)
		mr_buf_puts(b, MR_T(r, " · cycle closed: frozen results"));
	else if (r->state)
		mr_buf_printf(b, MR_T(r, " · cycle %s: results may still change"),
		              state_text(r, r->state));
	else
		mr_buf_puts(b, MR_T(r, " · no cycle: results may still change"));
	mr_buf_puts(b, "</p>\n</header>\n");
}

static void team_indicators(mr_buf *b, const mr_report *r)
{
	const mr_result *res = r->result;
	char a[32], t[32];
	if (!res->nteam)
		return;
	mr_buf_printf(b, "<h2>%s</h2>\n<table>\n<tr><th>%s</th>"
	              "<th class=\"n\">%s</th><th class=\"n\">%s</th>"
	              "<th class=\"n\">%s</th></tr>\n", MR_T(r, "Team indicators"),
	              MR_T(r, "Indicator"), MR_T(r, "Actual"), MR_T(r, "Target"), MR_T(r, "Score"));
	for (size_t i = 0; i < res->nteam; i++) {
		const mr_ind_score *s = &res->team[i];
		mr_report_value(a, s->has_actual, s->actual);
		mr_report_value(t, s->has_target, s->target);
		mr_buf_puts(b, "<tr><td>");
		esc(b, mr_report_ind_name(r, s));
		mr_buf_printf(b, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td>", a, t);
		score_cell(b, !s->missing, s->score);
		mr_buf_puts(b, "</tr>\n");
	}
	mr_buf_puts(b, "</table>\n");
}

/* The components the plan counts, as column headings. */
static void comp_heads(mr_buf *b, const mr_report *r)
{
	for (int k = 0; k < MR_NCOMP; k++)
		if (mr_report_counts(r, k))
			mr_buf_printf(b, "<th class=\"n\">%s</th>", mr_report_comp_title(r, k));
}

static void comp_cells(mr_buf *b, const mr_report *r, const mr_scorecard *c)
{
	for (int k = 0; k < MR_NCOMP; k++)
		if (mr_report_counts(r, k))
			score_cell(b, c->has[k], c->comp[k]);
}

/* A ranking row's notes: what is missing, a calibration, a score that
 * weighs 0 in the plan. */
static void row_notes(mr_buf *b, const mr_report *r, const mr_scorecard *c)
{
	mr_buf t;
	mr_buf_init(&t);
	const char *sep = "";
	mr_report_incomplete(&t, r, c);
	if (t.len) {
		mr_buf_printf(b, "<span class=\"note\">%s", MR_T(r, "incomplete: "));
		esc(b, t.data);
		mr_buf_puts(b, "</span>");
		sep = "<br>";
	}
	if (c->calibrated) {
		mr_buf_printf(b, "%s%s", sep, MR_T(r, "grade calibrated: "));
		esc(b, c->calibration);
		sep = "<br>";
	}
	mr_buf_reset(&t);
	mr_report_not_counted(&t, r, c);
	if (t.len) {
		mr_buf_printf(b, "%s<span class=\"muted\">%s", sep, MR_T(r, "not counted (weight 0): "));
		esc(b, t.data);
		mr_buf_puts(b, "</span>");
	}
	if (mr_buf_oom(&t))
		b->oom = 1;
	mr_buf_release(&t);
}

/* Why a person is not scored, escaped. */
static void why_not(mr_buf *b, const mr_report *r, const mr_scorecard *c)
{
	mr_buf t;
	mr_buf_init(&t);
	mr_report_not_scored(&t, r, c);
	esc(b, t.data);
	if (mr_buf_oom(&t))
		b->oom = 1;
	mr_buf_release(&t);
}

static void ranking(mr_buf *b, const mr_report *r)
{
	const mr_result *res = r->result;
	char money[32];
	mr_buf_printf(b, "<h2>%s</h2>\n<table>\n<tr><th class=\"n\">#</th><th>%s</th>"
	              "<th>%s</th><th>%s</th><th class=\"n\">%s</th>", MR_T(r, "Ranking"),
	              MR_T(r, "Name"), MR_T(r, "Login"), MR_T(r, "Position"), MR_T(r, "Coverage"));
	comp_heads(b, r);
	mr_buf_printf(b, "<th class=\"n\">%s</th><th>%s</th><th class=\"n\">%s</th>"
	              "<th>%s</th></tr>\n", MR_T(r, "Final"), MR_T(r, "Grade"), MR_T(r, "Bonus"),
	              MR_T(r, "Notes"));
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_report_person *p = &r->people[i];
		const mr_scorecard *c = p->card;
		if (!p->rank)
			continue;
		mr_buf_printf(b, "<tr%s><td class=\"n\">%zu</td><td><a href=\"#p-",
		              c->complete ? "" : " class=\"incomplete\"", p->rank);
		esc(b, c->login);
		mr_buf_puts(b, "\">");
		esc(b, c->name);
		mr_buf_puts(b, "</a></td><td>");
		esc(b, c->login);
		mr_buf_puts(b, "</td><td>");
		esc(b, p->position_name);
		mr_buf_printf(b, "</td><td class=\"n\">%.2f%%</td>", mr_round2(c->coverage));
		comp_cells(b, r, c);
		mr_buf_printf(b, "<td class=\"n\">%.2f</td><td>", c->final);
		grade_badge(b, r, c);
		mr_money_format(money, c->bonus_cents);
		mr_buf_printf(b, "</td><td class=\"n\">%s</td><td class=\"notes\">", money);
		row_notes(b, r, c);
		mr_buf_puts(b, "</td></tr>\n");
	}
	mr_buf_puts(b, "</table>\n");
	mr_money_format(money, res->bonus_total_cents);
	mr_buf_puts(b, "<p>");
	mr_buf_printf(b, res->nscored == 1 ? MR_T(r, "%zu person scored · bonus total %s") :
	              MR_T(r, "%zu people scored · bonus total %s"), res->nscored, money);
	mr_buf_puts(b, "</p>\n");
	int quota = 0, calibrated = 0;
	for (size_t i = 0; i < res->nscored; i++) {
		quota |= res->people[i].by_quota;
		calibrated |= res->people[i].calibrated;
	}
	if (quota)
		mr_buf_printf(b, "<p class=\"note\">%s</p>\n", MR_T(r, "* grade held down by the plan's "
		              "forced distribution (its quota for the higher grade is full)"));
	if (calibrated)
		mr_buf_printf(b, "<p class=\"note\">%s</p>\n", MR_T(r, "^ grade calibrated by hand by an "
		              "admin, with the reason given"));
}

/* The people not scored (SPEC 4), after the ranking: no rank, final
 * score, grade or bonus — the reason instead. */
static void not_scored(mr_buf *b, const mr_report *r)
{
	const mr_result *res = r->result;
	if (res->nscored == res->npeople)
		return;
	mr_buf_puts(b, "<h2>");
	mr_buf_printf(b, MR_T(r, "Not scored (%zu)"), res->npeople - res->nscored);
	mr_buf_printf(b, "</h2>\n<p>%s</p>\n<table>\n<tr>"
	              "<th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th>"
	              "<th>%s</th></tr>\n", MR_T(r, "No final score, grade or bonus, and not counted "
	              "in the grade distribution or the quotas."), MR_T(r, "Name"), MR_T(r, "Login"),
	              MR_T(r, "Position"), MR_T(r, "Coverage"), MR_T(r, "Why not"));
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_report_person *p = &r->people[i];
		const mr_scorecard *c = p->card;
		if (p->rank)
			continue;
		mr_buf_puts(b, "<tr class=\"incomplete\"><td><a href=\"#p-");
		esc(b, c->login);
		mr_buf_puts(b, "\">");
		esc(b, c->name);
		mr_buf_puts(b, "</a></td><td>");
		esc(b, c->login);
		mr_buf_puts(b, "</td><td>");
		esc(b, p->position_name);
		mr_buf_printf(b, "</td><td class=\"n\">%.2f%%</td><td>", mr_round2(c->coverage));
		why_not(b, r, c);
		mr_buf_puts(b, "</td></tr>\n");
	}
	mr_buf_puts(b, "</table>\n");
}

/* The team by value-chain stage (SPEC 1): each stage's people (ranked
 * order), the indicators they are scored on, how many are scored, their
 * mean final score and their bonus. */
static void stages(mr_buf *b, const mr_report *r)
{
	mr_report_stage_sum st[MR_NSTAGES + 1];
	size_t n = mr_report_stages(r, st);
	char money[32];
	mr_buf_printf(b, "<h2>%s</h2>\n<table class=\"stages\">\n<tr><th>%s</th><th>%s</th>"
	              "<th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
	              "<th class=\"n\">%s</th></tr>\n", MR_T(r, "By value-chain stage"),
	              MR_T(r, "Stage"), MR_T(r, "Members"), MR_T(r, "Indicators"), MR_T(r, "Scored"),
	              MR_T(r, "Mean final"), MR_T(r, "Bonus"));
	for (size_t k = 0; k < n; k++) {
		mr_buf_puts(b, "<tr><td>");
		esc(b, mr_report_stage(r, st[k].stage));
		mr_buf_puts(b, "</td><td>");
		const char *sep = "";
		for (size_t i = 0; i < r->npeople; i++) {
			if (!mr_report_in_stage(&r->people[i], st[k].stage))
				continue;
			mr_buf_puts(b, sep);
			esc(b, r->people[i].card->name);
			sep = MR_T(r, ", ");
		}
		mr_buf_puts(b, "</td><td>");
		sep = "";
		for (size_t j = 0; j < r->ncolumns; j++) {
			for (size_t i = 0; i < r->npeople; i++) {
				const mr_report_person *p = &r->people[i];
				if (mr_report_in_stage(p, st[k].stage) && mr_report_ind(p, r->columns[j]->key)) {
					mr_buf_puts(b, sep);
					esc(b, mr_report_ind_name(r, r->columns[j]));
					sep = MR_T(r, ", ");
					break;
				}
			}
		}
		mr_buf_printf(b, "</td><td class=\"n\">%zu / %zu</td>", st[k].scored, st[k].people);
		if (st[k].scored)
			mr_buf_printf(b, "<td class=\"n\">%.2f</td>", st[k].mean);
		else
			mr_buf_puts(b, "<td class=\"n\">–</td>");
		mr_money_format(money, st[k].bonus_cents);
		mr_buf_printf(b, "<td class=\"n\">%s</td></tr>\n", money);
	}
	mr_buf_puts(b, "</table>\n");
}

static void team(mr_buf *b, const mr_report *r)
{
	const mr_result *res = r->result;
	mr_svg_bar *bars = calloc(res->npeople + r->ngrades + 1, sizeof *bars);
	char (*texts)[16] = calloc(r->ngrades + 1, sizeof *texts);
	if (!bars || !texts) {
		b->oom = 1;
		goto done;
	}
	size_t maxn = 1;
	for (size_t i = 0; i < r->ngrades; i++) {
		if (r->grades[i].count > maxn)
			maxn = r->grades[i].count;
		snprintf(texts[i], sizeof texts[i], "%zu", r->grades[i].count);
		bars[i] = (mr_svg_bar){ r->grades[i].grade, (double)r->grades[i].count, texts[i],
		                        mr_report_grade_color(r, r->grades[i].grade) };
	}
	maxn = (maxn + 3) / 4 * 4;     /* whole numbers on the axis */
	mr_buf_printf(b, "<h2>%s</h2>\n", MR_T(r, "Grade distribution"));
	mr_svg_bars(b, MR_T(r, "People per grade (the people scored)"), bars, r->ngrades, (double)maxn,
	            60 + 70 * (int)r->ngrades, 200);
	/* the ranking only: the people not scored have no final score */
	for (size_t i = 0; i < res->nscored; i++)
		bars[i] = (mr_svg_bar){ res->people[i].name, res->people[i].final, NULL,
		                        mr_report_grade_color(r, res->people[i].grade) };
	mr_buf_printf(b, "<h2>%s</h2>\n", MR_T(r, "Final scores"));
	int w = res->nscored > 40 ? 720 : 60 + 60 * (int)res->nscored;
	mr_svg_bars(b, MR_T(r, "Final score per person scored, highest first"), bars, res->nscored, 100,
	            w < 240 ? 240 : w, 220);
	ranking(b, r);
	not_scored(b, r);
	stages(b, r);
done:
	free(bars);
	free(texts);
}

static void indicator_rows(mr_buf *b, const mr_report *r, const mr_report_person *p)
{
	char a[32], t[32];
	const mr_scorecard *c = p->card;
	mr_buf_printf(b, "<table>\n<tr><th>%s</th><th class=\"n\">%s</th><th>%s</th>"
	              "<th class=\"n\">%s</th><th class=\"n\">%s</th>"
	              "<th class=\"n\">%s</th><th>%s</th></tr>\n", MR_T(r, "Indicator"),
	              MR_T(r, "Weight"), MR_T(r, "Rule"), MR_T(r, "Actual"), MR_T(r, "Target"),
	              MR_T(r, "Score"), MR_T(r, "Data"));
	for (size_t i = 0; i < c->nind; i++) {
		const mr_ind_score *s = &c->ind[i];
		mr_report_value(a, s->has_actual, s->actual);
		mr_report_value(t, s->has_target, s->target);
		mr_buf_puts(b, "<tr><td>");
		esc(b, mr_report_ind_name(r, s));
		mr_buf_printf(b, "</td><td class=\"n\">%g%%</td><td>%s</td><td class=\"n\">%s</td>"
		              "<td class=\"n\">%s</td>", s->weight, mr_report_rule(r, s->rule), a, t);
		score_cell(b, !s->missing || s->scored, s->score);
		mr_buf_puts(b, "<td>");
		if (s->missing)
			mr_buf_puts(b, s->scored ? MR_T(r, "no data (scored 0)") :
			                           MR_T(r, "no data (left out)"));
		else
			mr_buf_printf(b, s->measurements == 1 ? MR_T(r, "%ld measurement") :
			              MR_T(r, "%ld measurements"), s->measurements);
		mr_buf_printf(b, "%s</td></tr>\n", !s->missing && s->team ? MR_T(r, " (team)") : "");
		size_t nt;
		const mr_subject_trace *tr = mr_report_traces(r, p, s, &nt);
		for (size_t k = 0; k < nt; k++) {
			mr_buf_puts(b, "<tr class=\"trace\"><td></td><td colspan=\"6\">");
			mr_buf_printf(b, MR_T(r, "from batch %lld, "), (long long)tr[k].t.batch);
			esc(b, mr_report_source(r, tr[k].t.source));
			mr_buf_putc(b, ' ');
			esc(b, tr[k].t.file);
			if (tr[k].t.first_line > 0)
				mr_buf_printf(b, MR_T(r, " lines %ld-%ld"), tr[k].t.first_line, tr[k].t.last_line);
			mr_buf_printf(b, tr[k].t.count == 1 ? MR_T(r, ": %ld measurement") :
			              MR_T(r, ": %ld measurements"), tr[k].t.count);
			if (tr[k].t.how) {
				mr_buf how;
				mr_buf_init(&how);
				mr_report_how(r, tr[k].t.how, &how);
				if (how.len) {
					mr_buf_puts(b, MR_T(r, "; measured by "));
					esc(b, how.data);
				}
				mr_buf_release(&how);
			}
			mr_buf_puts(b, "</td></tr>\n");
		}
	}
	mr_buf_puts(b, "</table>\n");
}

static void ratings(mr_buf *b, const mr_report *r, const mr_report_person *p)
{
	if (!p->nratings) {
		mr_buf_printf(b, "<p>%s</p>\n", MR_T(r, "No ratings."));
		return;
	}
	mr_buf_printf(b, "<table>\n<tr><th>%s</th><th>%s</th><th class=\"n\">", MR_T(r, "By"),
	              MR_T(r, "Criterion"));
	mr_buf_printf(b, MR_T(r, "Stars (of %d)"), r->rating_scale);
	mr_buf_printf(b, "</th><th>%s</th></tr>\n", MR_T(r, "Comment"));
	for (size_t i = 0; i < p->nratings; i++) {
		const mr_rating_row *g = &p->ratings[i];
		const mr_rating_row *prev = i ? &p->ratings[i - 1] : NULL;
		int same_rater = prev && strcmp(prev->kind, g->kind) == 0 &&
		                 strcmp(prev->rater, g->rater) == 0;
		mr_buf_puts(b, "<tr><td>");
		if (!same_rater) {
			char by[160];
			mr_report_rater(by, sizeof by, r, g);
			esc(b, by);
		}
		mr_buf_puts(b, "</td><td>");
		esc(b, mr_report_criterion_name(r, p, g->criterion));
		mr_buf_printf(b, "</td><td class=\"n\">%g</td><td>", g->stars);
		/* one comment given with several criteria is shown once */
		if (g->comment && !(same_rater && prev->comment && strcmp(prev->comment, g->comment) == 0))
			esc(b, g->comment);
		mr_buf_puts(b, "</td></tr>\n");
	}
	mr_buf_puts(b, "</table>\n");
}

/* What the post is: its duties and what raters rate it on. */
static void post(mr_buf *b, const mr_report *r, const mr_report_person *p)
{
	if (p->duties) {
		mr_buf_printf(b, "<p><b>%s</b> ", MR_T(r, "Duties:"));
		esc(b, p->duties);
		mr_buf_puts(b, "</p>\n");
	}
	if (!p->ncriteria)
		return;
	mr_buf_printf(b, "<p><b>%s</b> ", MR_T(r, "Rated on:"));
	for (size_t k = 0; k < p->ncriteria; k++) {
		if (k)
			mr_buf_puts(b, " · ");
		esc(b, p->criteria[k].name);
		mr_buf_printf(b, " (%g%%)", p->criteria[k].weight);
	}
	mr_buf_puts(b, "</p>\n");
}

static void result(mr_buf *b, const mr_report *r, const mr_report_person *p)
{
	const mr_scorecard *c = p->card;
	char money[32];
	mr_buf t;
	mr_buf_init(&t);
	mr_buf_printf(b, "<h3>%s</h3>\n<table>\n<tr>", MR_T(r, "Result"));
	comp_heads(b, r);
	mr_buf_puts(b, "</tr>\n<tr>");
	comp_cells(b, r, c);
	mr_buf_puts(b, "</tr>\n</table>\n");
	mr_report_not_counted(&t, r, c);
	if (t.len) {
		mr_buf_printf(b, "<p class=\"muted\">%s", MR_T(r, "Not counted (weight 0 in the plan): "));
		esc(b, t.data);
		mr_buf_puts(b, "</p>\n");
	}
	if (!c->scored) {
		mr_buf_printf(b, "<p class=\"result\"><b>%s</b> ", MR_T(r, "Not scored:"));
		why_not(b, r, c);
		mr_buf_printf(b, "</p>\n<p>%s</p>\n", MR_T(r, "No final score, grade or bonus."));
	} else {
		mr_money_format(money, c->bonus_cents);
		mr_buf_printf(b, "<p class=\"result\">%s<b>%.2f</b>%s", MR_T(r, "Final score "), c->final,
		              MR_T(r, " · grade "));
		grade_badge(b, r, c);
		mr_buf_printf(b, "%s%s<b>%s</b></p>\n", c->calibrated ? MR_T(r, " (calibrated)") : "",
		              MR_T(r, " · bonus "), money);
	}
	if (c->calibrated) {
		mr_buf_printf(b, "<p class=\"note\">%s",
		              MR_T(r, "^ grade calibrated by hand by an admin: "));
		esc(b, c->calibration);
		mr_buf_puts(b, "</p>\n");
	}
	if (c->by_quota)
		mr_buf_printf(b, "<p class=\"note\">%s</p>\n",
		              MR_T(r, "* grade held down by the forced distribution"));
	mr_buf_reset(&t);
	mr_report_incomplete(&t, r, c);
	if (t.len) {
		mr_buf_printf(b, "<p class=\"note\">%s", MR_T(r, "Incomplete: "));
		esc(b, t.data);
		mr_buf_puts(b, "</p>\n");
	}
	if (mr_buf_oom(&t))
		b->oom = 1;
	mr_buf_release(&t);
}

/* Who acknowledged the closed result, when, with what comment. */
static void acknowledgements(mr_buf *b, const mr_report *r, const mr_report_person *p)
{
	static const char *const role[2] = { "self", "manager" };
	const char *const title[2] = { MR_T(r, "Employee"), MR_T(r, "sign|Manager") };
	char at[32];
	if (!r->frozen)
		return;
	mr_buf_printf(b, "<h3>%s</h3>\n<table>\n", MR_T(r, "Acknowledgement"));
	for (int i = 0; i < 2; i++) {
		const mr_ack *a = mr_report_ack(p, role[i]);
		mr_buf_printf(b, "<tr><th>%s</th><td>", title[i]);
		if (!a) {
			mr_buf_printf(b, "%s</td></tr>\n", MR_T(r, "not acknowledged yet"));
			continue;
		}
		mr_report_ack_time(at, a->at);
		mr_buf_puts(b, MR_T(r, "acknowledged by "));
		esc(b, a->by);
		mr_buf_puts(b, MR_T(r, " on "));
		esc(b, at);
		if (a->comment && *a->comment) {
			mr_buf_puts(b, MR_T(r, ": "));
			esc(b, a->comment);
		}
		mr_buf_puts(b, "</td></tr>\n");
	}
	mr_buf_puts(b, "</table>\n");
}

static void person(mr_buf *b, const mr_report *r, const mr_report_person *p)
{
	const mr_scorecard *c = p->card;
	mr_buf_puts(b, "<section class=\"person\" id=\"p-");
	esc(b, c->login);
	mr_buf_puts(b, "\">\n<h2>");
	esc(b, c->name);
	mr_buf_puts(b, " (");
	esc(b, c->login);
	mr_buf_puts(b, ")</h2>\n<p class=\"meta\">");
	esc(b, p->position_name);
	if (p->stage) {
		mr_buf_puts(b, MR_T(r, " · stage: "));
		esc(b, mr_report_stage(r, p->stage));
	}
	if (!r->who && p->rank)
		mr_buf_printf(b, MR_T(r, " · rank %zu of %zu"), p->rank, r->result->nscored);
	else if (!p->rank)
		mr_buf_puts(b, MR_T(r, " · not scored"));
	if (c->active_days < c->cycle_days)
		mr_buf_printf(b, MR_T(r, " · active %d of %d days (sum targets pro-rated)"),
		              c->active_days, c->cycle_days);
	mr_buf_puts(b, "</p>\n<p class=\"meta\">");
	mr_buf_printf(b, MR_T(r, "KPI coverage %.2f%% (the share of the KPI weight with data)"),
	              mr_round2(c->coverage));
	mr_buf_puts(b, "</p>\n");
	post(b, r, p);
	mr_buf_printf(b, "<h3>%s</h3>\n", MR_T(r, "Indicators"));
	indicator_rows(b, r, p);
	mr_buf_printf(b, "<h3>%s</h3>\n", MR_T(r, "Ratings"));
	ratings(b, r, p);
	result(b, r, p);
	acknowledgements(b, r, p);
	double v[16];
	int has[16];
	size_t n = r->nhistory < 16 ? r->nhistory : 16;
	for (size_t i = 0; i < n; i++) {
		v[i] = mr_round2(p->history[i].final);
		has[i] = p->history[i].has;
	}
	mr_buf_printf(b, "<h3>%s</h3>\n", MR_T(r, "Final score over the cycles"));
	mr_svg_line(b, MR_T(r, "Final score over the cycles"), (const char *const *)r->history, v,
	            has, n, 100, 80 + 70 * (int)n, 200);
	mr_buf_puts(b, "</section>\n");
}

void mr_report_html_buf(mr_buf *b, const mr_report *r)
{
	head(b, r);
	team_indicators(b, r);
	if (!r->who)
		team(b, r);
	for (size_t i = 0; i < r->npeople; i++)
		person(b, r, &r->people[i]);
	if (!r->npeople)
		mr_buf_printf(b, "<p>%s</p>\n", MR_T(r, "Nobody was active in this period."));
	mr_buf_puts(b, "<footer><p class=\"meta\">merit</p></footer>\n</body></html>\n");
}

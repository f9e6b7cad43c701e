/* report_html.c — the report as one self-contained HTML file: inline CSS,
 * inline SVG charts, no scripts and no external requests, so it can be
 * sent by e-mail or opened anywhere.  Deterministic: no dates of its own.
 */
#include "report/report.h"

#include "report/report_svg.h"
#include "util/num.h"

static const char css[] =
	"body{font-family:'Noto Sans CJK SC','Noto Sans',Arial,sans-serif;color:#222;"
	"max-width:60em;margin:1em auto;padding:0 1em;font-size:14px}\n"
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
	".note{color:#8a4b00}\n"
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
	mr_buf_puts(b, c->by_quota ? "*</span>" : "</span>");
}

static void head(mr_buf *b, const mr_report *r)
{
	char d1[11], d2[11];
	const mr_result *res = r->result;
	mr_day_format(d1, res->first);
	mr_day_format(d2, res->last);
	mr_buf_puts(b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	               "<title>Appraisal ");
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
	mr_buf_puts(b, "<h1>Performance appraisal ");
	esc(b, res->period);
	mr_buf_printf(b, "</h1>\n<p class=\"meta\">%s to %s · operating goal: ", d1, d2);
	esc(b, mr_report_goal_text(res->goal));
	if (r->frozen)
		mr_buf_puts(b, " · cycle closed: frozen results");
	else if (r->state)
		mr_buf_printf(b, " · cycle %s: results may still change", r->state);
	else
		mr_buf_puts(b, " · no cycle: results may still change");
	mr_buf_puts(b, "</p>\n</header>\n");
}

static void team_indicators(mr_buf *b, const mr_result *res)
{
	char a[32], t[32];
	if (!res->nteam)
		return;
	mr_buf_puts(b, "<h2>Team indicators</h2>\n<table>\n<tr><th>Indicator</th>"
	               "<th class=\"n\">Actual</th><th class=\"n\">Target</th>"
	               "<th class=\"n\">Score</th></tr>\n");
	for (size_t i = 0; i < res->nteam; i++) {
		const mr_ind_score *s = &res->team[i];
		mr_report_value(a, s->has_actual, s->actual);
		mr_report_value(t, s->has_target, s->target);
		mr_buf_puts(b, "<tr><td>");
		esc(b, s->name ? s->name : s->key);
		mr_buf_printf(b, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td>", a, t);
		score_cell(b, !s->missing, s->score);
		mr_buf_puts(b, "</tr>\n");
	}
	mr_buf_puts(b, "</table>\n");
}

static void team(mr_buf *b, const mr_report *r)
{
	const mr_result *res = r->result;
	char money[32], text[32];
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
	mr_buf_puts(b, "<h2>Grade distribution</h2>\n");
	mr_svg_bars(b, "People per grade", bars, r->ngrades, (double)maxn, 60 + 70 * (int)r->ngrades,
	            200);
	for (size_t i = 0; i < res->npeople; i++)
		bars[i] = (mr_svg_bar){ res->people[i].name, res->people[i].final, NULL,
		                        mr_report_grade_color(r, res->people[i].grade) };
	mr_buf_puts(b, "<h2>Final scores</h2>\n");
	int w = res->npeople > 40 ? 720 : 60 + 60 * (int)res->npeople;
	mr_svg_bars(b, "Final score per person, highest first", bars, res->npeople, 100,
	            w < 240 ? 240 : w, 220);
	mr_buf_puts(b, "<h2>Ranking</h2>\n<table>\n<tr><th class=\"n\">#</th><th>Name</th>"
	               "<th>Login</th><th>Position</th><th class=\"n\">KPI</th>"
	               "<th class=\"n\">Manager</th><th class=\"n\">Self</th><th class=\"n\">Peer</th>"
	               "<th class=\"n\">Final</th><th>Grade</th><th class=\"n\">Bonus</th></tr>\n");
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_report_person *p = &r->people[i];
		const mr_scorecard *c = p->card;
		mr_buf_printf(b, "<tr><td class=\"n\">%zu</td><td><a href=\"#p-", p->rank);
		esc(b, c->login);
		mr_buf_puts(b, "\">");
		esc(b, c->name);
		mr_buf_puts(b, "</a></td><td>");
		esc(b, c->login);
		mr_buf_puts(b, "</td><td>");
		esc(b, p->position_name);
		mr_buf_puts(b, "</td>");
		for (int k = 0; k < MR_NCOMP; k++)
			score_cell(b, c->has[k], c->comp[k]);
		mr_buf_printf(b, "<td class=\"n\">%.2f</td><td>", c->final);
		grade_badge(b, r, c);
		mr_money_format(money, c->bonus_cents);
		mr_buf_printf(b, "</td><td class=\"n\">%s</td></tr>\n", money);
	}
	mr_buf_puts(b, "</table>\n");
	mr_money_format(money, res->bonus_total_cents);
	snprintf(text, sizeof text, "%zu", res->npeople);
	mr_buf_printf(b, "<p>%s people scored · bonus total %s</p>\n", text, money);
	for (size_t i = 0; i < res->npeople; i++)
		if (res->people[i].by_quota) {
			mr_buf_puts(b, "<p class=\"note\">* grade held down by the plan's forced "
			               "distribution (its quota for the higher grade is full)</p>\n");
			break;
		}
done:
	free(bars);
	free(texts);
}

static void indicator_rows(mr_buf *b, const mr_report *r, const mr_report_person *p)
{
	char a[32], t[32];
	const mr_scorecard *c = p->card;
	mr_buf_puts(b, "<table>\n<tr><th>Indicator</th><th class=\"n\">Weight</th><th>Rule</th>"
	               "<th class=\"n\">Actual</th><th class=\"n\">Target</th>"
	               "<th class=\"n\">Score</th><th>Data</th></tr>\n");
	for (size_t i = 0; i < c->nind; i++) {
		const mr_ind_score *s = &c->ind[i];
		mr_report_value(a, s->has_actual, s->actual);
		mr_report_value(t, s->has_target, s->target);
		mr_buf_puts(b, "<tr><td>");
		esc(b, s->name ? s->name : s->key);
		mr_buf_printf(b, "</td><td class=\"n\">%g%%</td><td>%s</td><td class=\"n\">%s</td>"
		              "<td class=\"n\">%s</td>", s->weight, mr_rule_name(s->rule), a, t);
		score_cell(b, !s->missing || s->scored, s->score);
		if (s->missing)
			mr_buf_printf(b, "<td>no data%s</td></tr>\n",
			              s->scored ? " (scored 0)" : " (left out)");
		else
			mr_buf_printf(b, "<td>%ld measurement%s%s</td></tr>\n", s->measurements,
			              s->measurements == 1 ? "" : "s", s->team ? " (team)" : "");
		size_t nt;
		const mr_subject_trace *tr = mr_report_traces(r, p, s, &nt);
		for (size_t k = 0; k < nt; k++) {
			mr_buf_printf(b, "<tr class=\"trace\"><td></td><td colspan=\"6\">from batch %lld, ",
			              (long long)tr[k].t.batch);
			esc(b, tr[k].t.source);
			mr_buf_putc(b, ' ');
			esc(b, tr[k].t.file);
			if (tr[k].t.first_line > 0)
				mr_buf_printf(b, " lines %ld-%ld", tr[k].t.first_line, tr[k].t.last_line);
			mr_buf_printf(b, ": %ld measurement%s</td></tr>\n", tr[k].t.count,
			              tr[k].t.count == 1 ? "" : "s");
		}
	}
	mr_buf_puts(b, "</table>\n");
}

static void ratings(mr_buf *b, const mr_report *r, const mr_report_person *p)
{
	if (!p->nratings) {
		mr_buf_puts(b, "<p>No ratings.</p>\n");
		return;
	}
	mr_buf_printf(b, "<table>\n<tr><th>By</th><th>Criterion</th><th class=\"n\">Stars "
	              "(of %d)</th><th>Comment</th></tr>\n", r->rating_scale);
	for (size_t i = 0; i < p->nratings; i++) {
		const mr_rating_row *g = &p->ratings[i];
		const mr_rating_row *prev = i ? &p->ratings[i - 1] : NULL;
		int same_rater = prev && strcmp(prev->kind, g->kind) == 0 &&
		                 strcmp(prev->rater, g->rater) == 0;
		mr_buf_puts(b, "<tr><td>");
		if (!same_rater) {
			esc(b, g->kind);
			if (strcmp(g->kind, "self") != 0) {
				mr_buf_puts(b, " (");
				esc(b, g->rater);
				mr_buf_putc(b, ')');
			}
		}
		mr_buf_puts(b, "</td><td>");
		esc(b, g->criterion);
		mr_buf_printf(b, "</td><td class=\"n\">%g</td><td>", g->stars);
		/* one comment given with several criteria is shown once */
		if (g->comment && !(same_rater && prev->comment && strcmp(prev->comment, g->comment) == 0))
			esc(b, g->comment);
		mr_buf_puts(b, "</td></tr>\n");
	}
	mr_buf_puts(b, "</table>\n");
}

static void person(mr_buf *b, const mr_report *r, const mr_report_person *p)
{
	const mr_scorecard *c = p->card;
	char money[32];
	mr_buf_puts(b, "<section class=\"person\" id=\"p-");
	esc(b, c->login);
	mr_buf_puts(b, "\">\n<h2>");
	esc(b, c->name);
	mr_buf_puts(b, " (");
	esc(b, c->login);
	mr_buf_puts(b, ")</h2>\n<p class=\"meta\">");
	esc(b, p->position_name);
	if (p->stage) {
		mr_buf_puts(b, " · stage: ");
		esc(b, p->stage);
	}
	if (!r->who)
		mr_buf_printf(b, " · rank %zu of %zu", p->rank, r->result->npeople);
	if (c->active_days < c->cycle_days)
		mr_buf_printf(b, " · active %d of %d days (sum targets pro-rated)", c->active_days,
		              c->cycle_days);
	mr_buf_puts(b, "</p>\n<h3>Indicators</h3>\n");
	indicator_rows(b, r, p);
	mr_buf_puts(b, "<h3>Ratings</h3>\n");
	ratings(b, r, p);
	mr_buf_puts(b, "<h3>Result</h3>\n<table>\n<tr>");
	static const char *const comp[MR_NCOMP] = { "KPI", "Manager", "Self", "Peer" };
	for (int k = 0; k < MR_NCOMP; k++)
		mr_buf_printf(b, "<th class=\"n\">%s</th>", comp[k]);
	mr_buf_puts(b, "</tr>\n<tr>");
	for (int k = 0; k < MR_NCOMP; k++)
		score_cell(b, c->has[k], c->comp[k]);
	mr_money_format(money, c->bonus_cents);
	mr_buf_printf(b, "</tr>\n</table>\n<p class=\"result\">Final score <b>%.2f</b> · grade ",
	              c->final);
	grade_badge(b, r, c);
	mr_buf_printf(b, " · bonus <b>%s</b></p>\n", money);
	if (c->by_quota)
		mr_buf_puts(b, "<p class=\"note\">* grade held down by the forced distribution</p>\n");
	if (c->left_out) {
		mr_buf_puts(b, "<p class=\"note\">Left out (no data): ");
		esc(b, c->left_out);
		mr_buf_puts(b, "</p>\n");
	}
	if (!c->complete) {
		mr_buf_puts(b, "<p class=\"note\">INCOMPLETE: missing ");
		esc(b, c->missing ? c->missing : "data");
		mr_buf_puts(b, "</p>\n");
	}
	double v[16];
	int has[16];
	size_t n = r->nhistory < 16 ? r->nhistory : 16;
	for (size_t i = 0; i < n; i++) {
		v[i] = mr_round2(p->history[i].final);
		has[i] = p->history[i].has;
	}
	mr_buf_puts(b, "<h3>Final score over the cycles</h3>\n");
	mr_svg_line(b, "Final score over the cycles", (const char *const *)r->history, v, has, n,
	            100, 80 + 70 * (int)n, 200);
	mr_buf_puts(b, "</section>\n");
}

void mr_report_html_buf(mr_buf *b, const mr_report *r)
{
	head(b, r);
	team_indicators(b, r->result);
	if (!r->who)
		team(b, r);
	for (size_t i = 0; i < r->npeople; i++)
		person(b, r, &r->people[i]);
	if (!r->npeople)
		mr_buf_puts(b, "<p>Nobody was active in this period.</p>\n");
	mr_buf_puts(b, "<footer><p class=\"meta\">merit</p></footer>\n</body></html>\n");
}

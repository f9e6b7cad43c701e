/* report_pdf.c — the report as a PDF, with cairo and pango: A4 pages,
 * the team summary (team indicators, the grade distribution, the
 * ranking, the people not scored and why) and per person the appraisal
 * form they sign: company, period, operating goal, position, its duties
 * and criteria, KPI coverage, the indicator table with where each number
 * came from, ratings and comments (peers anonymous in the person's copy),
 * the components the plan counts, final score, grade (calibrated or not)
 * and bonus, a chart of the final score over the cycles, and signature
 * lines with, once the cycle is closed, who acknowledged the result and
 * when.  Every page is numbered "page N of M".
 *
 * The document is laid out twice by the same code: once without drawing,
 * to count the pages, then for real.  Rows are one line (long text is
 * ellipsized) except comments, which wrap.  Text is set by
 * report_pdf_text.c: Chinese names render with the Noto CJK fonts.
 */
#include "report/report_pdf_int.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-fontmap.h>

#include <math.h>

#include "report/report_i18n.h"
#include "util/num.h"

static void hline(pdf *p, double x1, double x2, double y, double width, const char *hex)
{
	if (!p->draw)
		return;
	mr_pdf_color(p, hex);
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, x1, y);
	cairo_line_to(p->cr, x2, y);
	cairo_stroke(p->cr);
	mr_pdf_color(p, "#000000");
}

static void footer(pdf *p)
{
	char s[256];
	const mr_report *r = p->r;
	int n = snprintf(s, sizeof s, "%s%s", r->company ? r->company : "", r->company ? " · " : "");
	if (n > 0 && (size_t)n < sizeof s)
		snprintf(s + n, sizeof s - (size_t)n, MR_T(r, "Appraisal %s"), r->result->period);
	hline(p, MARGIN, PAGE_W - MARGIN, PAGE_H - MARGIN - 6, 0.5, "#999999");
	mr_pdf_text(p, MARGIN, PAGE_H - MARGIN, WIDTH * 0.7, s, &p->small, LEFT);
	snprintf(s, sizeof s, MR_T(r, "page %d of %d"), p->page, p->pages);
	mr_pdf_text(p, MARGIN + WIDTH * 0.7, PAGE_H - MARGIN, WIDTH * 0.3, s, &p->small, RIGHT);
}

static void new_page(pdf *p)
{
	footer(p);
	mr_pdf_flush(p);
	if (p->draw)
		cairo_show_page(p->cr);
	p->page++;
	p->y = TOP;
}

/* Room for h more points on this page, else a new page. */
static int need(pdf *p, double h)
{
	if (p->y + h <= BOTTOM)
		return 0;
	new_page(p);
	return 1;
}

/* ---- tables: fixed columns, one line a row ---- */

typedef struct col { const char *title; double w; int align; } col;

static void row(pdf *p, const col *c, int n, const char *const *cells, face *f)
{
	double x = MARGIN;
	for (int i = 0; i < n; i++) {
		mr_pdf_text(p, x + 2, p->y + 1, c[i].w - 4, cells[i], f, c[i].align);
		x += c[i].w;
	}
	p->y += ROW;
}

static void header(pdf *p, const col *c, int n)
{
	const char *cells[16];
	for (int i = 0; i < n && i < 16; i++)
		cells[i] = MR_T(p->r, c[i].title);
	if (p->draw) {
		mr_pdf_color(p, "#eeeeee");
		cairo_rectangle(p->cr, MARGIN, p->y, WIDTH, ROW);
		cairo_fill(p->cr);
		mr_pdf_color(p, "#000000");
	}
	row(p, c, n, cells, &p->bold);
}

/* A small line of text under the row just written, indented by `indent`
 * (a row's notes), in `color`. */
static void under_row(pdf *p, double indent, const char *text, const char *color)
{
	mr_pdf_color(p, color);
	mr_pdf_text(p, MARGIN + indent + 2, p->y - 2, WIDTH - indent - 2, text, &p->small, LEFT);
	mr_pdf_color(p, "#000000");
	p->y += ROW - 3;
}

static void heading(pdf *p, const char *s)
{
	need(p, 3 * ROW);
	p->y += 6;
	mr_pdf_text(p, MARGIN, p->y, WIDTH, s, &p->big, LEFT);
	p->y += ROW + 6;
}

static void score_text(char *out, int has, double v)
{
	if (has)
		snprintf(out, 32, "%.2f", mr_round2(v));
	else
		snprintf(out, 32, "-");
}

/* A paragraph the width of the page: one line as any other, or wrapped. */
static void para(pdf *p, const char *s, face *f)
{
	if (mr_pdf_fits(s, WIDTH, f)) {
		need(p, ROW);
		mr_pdf_text(p, MARGIN, p->y, WIDTH, s, f, LEFT);
		p->y += ROW;
		return;
	}
	int was = p->draw;
	p->draw = 0;
	double h = mr_pdf_wrapped(p, MARGIN, p->y, WIDTH, s, f);
	p->draw = was;
	need(p, h);
	p->y += mr_pdf_wrapped(p, MARGIN, p->y, WIDTH, s, f) + 3;
}

/* A percentage as shown: "100%", "66.67%".  out holds 40 bytes. */
static void pct_text(char *out, double v)
{
	char n[32];
	mr_report_value(n, 1, v);
	snprintf(out, 40, "%s%%", n);
}

/* ---- the top of a page: who, what period, what goal ---- */

static void masthead(pdf *p, const char *what)
{
	const mr_report *r = p->r;
	char s[512], d1[11], d2[11];
	if (r->company) {
		mr_pdf_text(p, MARGIN, p->y, WIDTH, r->company, &p->bold, LEFT);
		p->y += ROW + 2;
	}
	snprintf(s, sizeof s, "%s %s", what, r->result->period);
	mr_pdf_text(p, MARGIN, p->y, WIDTH, s, &p->title, LEFT);
	p->y += 26;
	mr_day_format(d1, r->result->first);
	mr_day_format(d2, r->result->last);
	snprintf(s, sizeof s, MR_T(r, "Period %s to %s · %s"), d1, d2,
	         r->frozen ? MR_T(r, "cycle closed: frozen results") :
	         r->state ? MR_T(r, "cycle not closed: results may still change") :
	                    MR_T(r, "no cycle: results may still change"));
	mr_pdf_text(p, MARGIN, p->y, WIDTH, s, &p->font, LEFT);
	p->y += ROW;
	snprintf(s, sizeof s, MR_T(r, "Operating goal: %s"), mr_report_goal_text(r, r->result->goal));
	mr_pdf_text(p, MARGIN, p->y, WIDTH, s, &p->font, LEFT);
	p->y += ROW;
	hline(p, MARGIN, PAGE_W - MARGIN, p->y + 2, 1, "#333333");
	p->y += 10;
}

/* ---- charts ---- */

static void bars(pdf *p, double h, const char *const *labels, const double *v,
                 const char *const *colors, const char *const *texts, size_t n, double max)
{
	need(p, h + 24);
	double x0 = MARGIN + 30, w = WIDTH - 30, top = p->y + 10, base = top + h;
	if (p->draw) {
		char s[32];
		for (int i = 0; i <= 4; i++) {
			double y = base - h * i / 4.0;
			hline(p, x0, x0 + w, y, 0.3, "#cccccc");
			snprintf(s, sizeof s, "%g", max * i / 4.0);
			mr_pdf_text(p, MARGIN, y - 6, 26, s, &p->small, RIGHT);
		}
		double slot = n ? w / (double)n : w, bw = n > 40 ? slot : slot * 0.6;
		for (size_t i = 0; i < n; i++) {
			double f = max > 0 ? v[i] / max : 0;
			f = f < 0 ? 0 : f > 1 ? 1 : f;
			double x = x0 + slot * (double)i + (slot - bw) / 2;
			mr_pdf_color(p, colors[i]);
			cairo_rectangle(p->cr, x, base - h * f, bw, h * f);
			cairo_fill(p->cr);
			mr_pdf_color(p, "#000000");
			if (n <= 40) {
				mr_pdf_text(p, x - 10, base + 2, bw + 20, labels[i], &p->small, CENTER);
				if (texts)
					mr_pdf_text(p, x - 10, base - h * f - 12, bw + 20, texts[i], &p->small, CENTER);
			}
		}
		hline(p, x0, x0 + w, base, 0.8, "#333333");
	}
	p->y = base + 18;
}

static void history_chart(pdf *p, const mr_report_person *rp)
{
	const mr_report *r = p->r;
	double h = 72;   /* short: the signature lines must fit under it */
	need(p, h + 40);
	heading(p, MR_T(p->r, "Final score over the cycles"));
	double x0 = MARGIN + 30, w = WIDTH - 30, top = p->y + 8, base = top + h;
	size_t n = r->nhistory;
	if (p->draw) {
		char s[32];
		for (int i = 0; i <= 4; i++) {
			double y = base - h * i / 4.0;
			hline(p, x0, x0 + w, y, 0.3, "#cccccc");
			snprintf(s, sizeof s, "%d", 25 * i);
			mr_pdf_text(p, MARGIN, y - 6, 26, s, &p->small, RIGHT);
		}
		double slot = n ? w / (double)n : w;
		mr_pdf_color(p, "#3b6ea5");
		cairo_set_line_width(p->cr, 1.8);
		int open = 0;
		for (size_t i = 0; i < n; i++) {
			double f = rp->history[i].final / 100.0;
			f = f < 0 ? 0 : f > 1 ? 1 : f;
			double x = x0 + slot * ((double)i + 0.5), y = base - h * f;
			if (!rp->history[i].has) {
				open = 0;
				continue;
			}
			if (open)
				cairo_line_to(p->cr, x, y);
			else
				cairo_move_to(p->cr, x, y);
			open = 1;
		}
		cairo_stroke(p->cr);
		mr_pdf_color(p, "#000000");
		for (size_t i = 0; i < n; i++) {
			double x = x0 + slot * ((double)i + 0.5);
			mr_pdf_text(p, x - slot / 2, base + 2, slot, r->history[i], &p->small, CENTER);
			if (!rp->history[i].has)
				continue;
			double f = rp->history[i].final / 100.0;
			f = f < 0 ? 0 : f > 1 ? 1 : f;
			mr_pdf_color(p, "#3b6ea5");
			cairo_arc(p->cr, x, base - h * f, 2.5, 0, 6.2832);
			cairo_fill(p->cr);
			mr_pdf_color(p, "#000000");
			snprintf(s, sizeof s, "%.2f", mr_round2(rp->history[i].final));
			mr_pdf_text(p, x - 30, base - h * f - 13, 60, s, &p->small, CENTER);
		}
		hline(p, x0, x0 + w, base, 0.8, "#333333");
	}
	p->y = base + 20;
}

/* ---- the team summary ---- */

static void team_indicators(pdf *p)
{
	const mr_result *res = p->r->result;
	static const col c[] = { { "Team indicator", 250, LEFT }, { "Actual", 85, RIGHT },
	                         { "Target", 85, RIGHT }, { "Score", 79, RIGHT } };
	char a[32], t[32], sc[32];
	if (!res->nteam)
		return;
	heading(p, MR_T(p->r, "Team indicators"));
	header(p, c, 4);
	for (size_t i = 0; i < res->nteam; i++) {
		const mr_ind_score *s = &res->team[i];
		need(p, ROW);
		mr_report_value(a, s->has_actual, s->actual);
		mr_report_value(t, s->has_target, s->target);
		score_text(sc, !s->missing, s->score);
		const char *cells[] = { mr_report_ind_name(p->r, s), a, t, sc };
		row(p, c, 4, cells, &p->font);
	}
}

/* A ranking row's notes, on a small line under it: what is missing, a
 * calibration, a score that weighs 0 in the plan.  Empty when none. */
static void row_notes(mr_buf *b, const mr_report *r, const mr_scorecard *c)
{
	mr_buf t;
	mr_buf_init(&t);
	mr_report_incomplete(&t, r, c);
	if (t.len)
		mr_buf_printf(b, "%s%s", MR_T(r, "incomplete: "), t.data);
	if (c->calibrated)
		mr_buf_printf(b, "%s%s%s", b->len ? " · " : "", MR_T(r, "grade calibrated: "),
		              c->calibration ? c->calibration : "");
	mr_buf_reset(&t);
	mr_report_not_counted(&t, r, c);
	if (t.len)
		mr_buf_printf(b, "%s%s%s", b->len ? " · " : "", MR_T(r, "not counted (weight 0): "),
		              t.data);
	if (mr_buf_oom(&t))
		b->oom = 1;
	mr_buf_release(&t);
}

static void ranking(pdf *p)
{
	const mr_report *r = p->r;
	const mr_result *res = r->result;
	static const col c[] = { { "#", 24, RIGHT }, { "Name", 105, LEFT }, { "Login", 62, LEFT },
	                         { "Position", 90, LEFT }, { "Cover", 40, RIGHT },
	                         { "KPI", 42, RIGHT }, { "Final", 42, RIGHT },
	                         { "Grade", 36, CENTER }, { "Bonus", 58.28, RIGHT } };
	enum { NC = sizeof c / sizeof c[0], GRADE = 7 };
	char rank[16], cov[40], kpi[32], fin[32], money[32], grade[16], s[128];
	double gx = MARGIN;
	for (int i = 0; i < GRADE; i++)
		gx += c[i].w;
	mr_buf notes;
	mr_buf_init(&notes);
	heading(p, MR_T(p->r, "Ranking"));
	header(p, c, NC);
	int quota = 0, calibrated = 0;
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_report_person *rp = &r->people[i];
		const mr_scorecard *sc = rp->card;
		if (!rp->rank)
			continue;
		mr_buf_reset(&notes);
		row_notes(&notes, r, sc);
		if (need(p, notes.len ? 2 * ROW - 3 : ROW))
			header(p, c, NC);
		quota |= sc->by_quota;
		calibrated |= sc->calibrated;
		snprintf(rank, sizeof rank, "%zu", rp->rank);
		pct_text(cov, sc->coverage);
		score_text(kpi, sc->has[MR_COMP_KPI], sc->comp[MR_COMP_KPI]);
		snprintf(fin, sizeof fin, "%.2f", sc->final);
		snprintf(grade, sizeof grade, "%s%s", sc->grade ? sc->grade : "-",
		         sc->calibrated ? "^" : sc->by_quota ? "*" : "");
		mr_money_format(money, sc->bonus_cents);
		if (p->draw) {
			mr_pdf_color(p, mr_report_grade_color(r, sc->grade));
			cairo_rectangle(p->cr, gx + 6, p->y + 1, 24, ROW - 2);
			cairo_fill(p->cr);
			mr_pdf_color(p, "#000000");
		}
		const char *cells[] = { rank, sc->name, sc->login, rp->position_name, cov, kpi, fin,
		                        grade, money };
		row(p, c, NC, cells, &p->font);
		if (notes.len)
			under_row(p, c[0].w, notes.data, "#8a4b00");
	}
	mr_buf_release(&notes);
	mr_money_format(money, res->bonus_total_cents);
	snprintf(s, sizeof s, res->nscored == 1 ? MR_T(r, "%zu person scored · bonus total %s") :
	         MR_T(r, "%zu people scored · bonus total %s"), res->nscored, money);
	need(p, 2 * ROW);
	p->y += 6;
	mr_pdf_text(p, MARGIN, p->y, WIDTH, s, &p->bold, LEFT);
	p->y += ROW;
	if (calibrated) {
		mr_pdf_text(p, MARGIN, p->y, WIDTH, MR_T(r, "^ grade calibrated by hand by an admin, with "
		            "the reason given"), &p->small, LEFT);
		p->y += ROW - 3;
	}
	if (quota) {
		mr_pdf_text(p, MARGIN, p->y, WIDTH, MR_T(r, "* grade held down by the plan's forced "
		            "distribution"), &p->small, LEFT);
		p->y += ROW - 3;
	}
}

/* The people not scored, after the ranking: the reason instead of a rank,
 * final score, grade and bonus. */
static void not_scored(pdf *p)
{
	const mr_report *r = p->r;
	const mr_result *res = r->result;
	static const col c[] = { { "Name", 105, LEFT }, { "Login", 62, LEFT },
	                         { "Position", 90, LEFT }, { "Cover", 40, RIGHT },
	                         { "Why not", 202.28, LEFT } };
	enum { NC = sizeof c / sizeof c[0] };
	char s[128], cov[40];
	if (res->nscored == res->npeople)
		return;
	snprintf(s, sizeof s, MR_T(r, "Not scored (%zu)"), res->npeople - res->nscored);
	heading(p, s);
	mr_pdf_text(p, MARGIN, p->y, WIDTH, MR_T(r, "No final score, grade or bonus; not counted in "
	            "the grade distribution or the quotas."), &p->font, LEFT);
	p->y += ROW + 2;
	header(p, c, NC);
	double x = MARGIN + WIDTH - c[NC - 1].w + 2, w = c[NC - 1].w - 4;
	mr_buf why;
	mr_buf_init(&why);
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_report_person *rp = &r->people[i];
		const mr_scorecard *sc = rp->card;
		if (rp->rank)
			continue;
		mr_buf_reset(&why);
		mr_report_not_scored(&why, r, sc);
		const char *reason = mr_buf_oom(&why) ? sc->not_scored : why.data;
		int was = p->draw;
		p->draw = 0;
		double h = mr_pdf_wrapped(p, 0, 0, w, reason, &p->font);
		p->draw = was;
		h = h > ROW ? h + 2 : ROW;
		if (need(p, h))
			header(p, c, NC);
		pct_text(cov, sc->coverage);
		const char *cells[] = { sc->name, sc->login, rp->position_name, cov };
		double y = p->y;
		row(p, c, NC - 1, cells, &p->font);
		mr_pdf_wrapped(p, x, y + 1, w, reason, &p->font);
		p->y = y + h;
	}
	mr_buf_release(&why);
}

/* The team by value-chain stage (SPEC 1): a row a stage — its people,
 * how many are scored, their mean final score and bonus — and under it, in
 * small, the indicators its people are scored on. */
static void stages(pdf *p)
{
	const mr_report *r = p->r;
	static const col c[] = { { "Stage", 90, LEFT }, { "Members", 230, LEFT },
	                         { "Scored", 55, RIGHT }, { "Mean final", 66, RIGHT },
	                         { "Bonus", 58.28, RIGHT } };
	enum { NC = sizeof c / sizeof c[0] };
	mr_report_stage_sum st[MR_NSTAGES + 1];
	size_t n = mr_report_stages(r, st);
	char scored[48], mean[32], money[32];
	mr_buf who, inds;
	mr_buf_init(&who);
	mr_buf_init(&inds);
	heading(p, MR_T(r, "By value-chain stage"));
	header(p, c, NC);
	for (size_t k = 0; k < n; k++) {
		mr_buf_reset(&who);
		mr_buf_reset(&inds);
		for (size_t i = 0; i < r->npeople; i++)
			if (mr_report_in_stage(&r->people[i], st[k].stage))
				mr_buf_printf(&who, "%s%s", who.len ? MR_T(r, ", ") : "",
				              r->people[i].card->name);
		for (size_t j = 0; j < r->ncolumns; j++)
			for (size_t i = 0; i < r->npeople; i++)
				if (mr_report_in_stage(&r->people[i], st[k].stage) &&
				    mr_report_ind(&r->people[i], r->columns[j]->key)) {
					mr_buf_printf(&inds, "%s%s", inds.len ? MR_T(r, ", ") : "",
					              mr_report_ind_name(r, r->columns[j]));
					break;
				}
		/* out of memory: the row without its names (the sums still hold) */
		const char *names = mr_buf_oom(&who) || !who.data ? "" : who.data;
		int has_inds = !mr_buf_oom(&inds) && inds.len;
		if (need(p, has_inds ? 2 * ROW - 3 : ROW))
			header(p, c, NC);
		snprintf(scored, sizeof scored, "%zu / %zu", st[k].scored, st[k].people);
		if (st[k].scored)
			snprintf(mean, sizeof mean, "%.2f", st[k].mean);
		else
			snprintf(mean, sizeof mean, "–");
		mr_money_format(money, st[k].bonus_cents);
		const char *cells[] = { mr_report_stage(r, st[k].stage), names, scored, mean, money };
		row(p, c, NC, cells, &p->font);
		if (has_inds)
			under_row(p, c[0].w, inds.data, "#555555");
	}
	mr_buf_release(&who);
	mr_buf_release(&inds);
}

static void team(pdf *p)
{
	const mr_report *r = p->r;
	masthead(p, MR_T(p->r, "Team appraisal"));
	team_indicators(p);
	size_t ng = r->ngrades;
	const char **labels = calloc(ng + 1, sizeof *labels);
	const char **colors = calloc(ng + 1, sizeof *colors);
	const char **texts = calloc(ng + 1, sizeof *texts);
	double *v = calloc(ng + 1, sizeof *v);
	char (*nums)[16] = calloc(ng + 1, sizeof *nums);
	if (labels && colors && texts && v && nums) {
		double max = 1;
		for (size_t i = 0; i < ng; i++) {
			labels[i] = r->grades[i].grade;
			colors[i] = mr_report_grade_color(r, labels[i]);
			v[i] = (double)r->grades[i].count;
			snprintf(nums[i], sizeof nums[i], "%zu", r->grades[i].count);
			texts[i] = nums[i];
			if (v[i] > max)
				max = v[i];
		}
		max = 4 * ceil(max / 4);    /* whole numbers on the axis */
		heading(p, MR_T(p->r, "Grade distribution"));
		bars(p, 110, labels, v, colors, texts, ng, max);
	}
	free(labels);
	free(colors);
	free(texts);
	free(v);
	free(nums);

	ranking(p);
	not_scored(p);
	stages(p);
}

/* ---- one person's form ---- */

static void indicators(pdf *p, const mr_report_person *rp)
{
	static const col c[] = { { "Indicator", 150, LEFT }, { "Weight", 45, RIGHT },
	                         { "Rule", 45, LEFT }, { "Actual", 70, RIGHT },
	                         { "Target", 70, RIGHT }, { "Score", 50, RIGHT },
	                         { "Data", 69.28, LEFT } };
	const mr_scorecard *sc = rp->card;
	char w[32], a[32], t[32], s[32], d[64], line[512];
	heading(p, MR_T(p->r, "Indicators"));
	header(p, c, 7);
	for (size_t i = 0; i < sc->nind; i++) {
		const mr_ind_score *in = &sc->ind[i];
		if (need(p, ROW))
			header(p, c, 7);
		snprintf(w, sizeof w, "%g%%", in->weight);
		mr_report_value(a, in->has_actual, in->actual);
		mr_report_value(t, in->has_target, in->target);
		score_text(s, !in->missing || in->scored, in->score);
		if (in->missing)
			snprintf(d, sizeof d, "%s", in->scored ? MR_T(p->r, "no data: 0") :
			                                         MR_T(p->r, "no data"));
		else
			snprintf(d, sizeof d, "%ld%s", in->measurements, in->team ? MR_T(p->r, " (team)") : "");
		const char *cells[] = { mr_report_ind_name(p->r, in), w, mr_report_rule(p->r, in->rule),
		                        a, t,
		                        s, d };
		row(p, c, 7, cells, &p->font);
		size_t nt;
		const mr_subject_trace *tr = mr_report_traces(p->r, rp, in, &nt);
		for (size_t k = 0; k < nt; k++) {
			need(p, ROW - 3);
			int n = snprintf(line, sizeof line, MR_T(p->r, "from batch %lld, "),
			                 (long long)tr[k].t.batch);
			if (n > 0 && (size_t)n < sizeof line)
				n += snprintf(line + n, sizeof line - (size_t)n, "%s %s",
				              mr_report_source(p->r, tr[k].t.source), tr[k].t.file);
			if (tr[k].t.first_line > 0 && n > 0 && (size_t)n < sizeof line)
				n += snprintf(line + n, sizeof line - (size_t)n, MR_T(p->r, " lines %ld-%ld"),
				              tr[k].t.first_line, tr[k].t.last_line);
			if (n > 0 && (size_t)n < sizeof line)
				n += snprintf(line + n, sizeof line - (size_t)n, tr[k].t.count == 1 ?
				              MR_T(p->r, ": %ld measurement") : MR_T(p->r, ": %ld measurements"),
				              tr[k].t.count);
			if (tr[k].t.how && n > 0 && (size_t)n < sizeof line) {
				mr_buf how;
				mr_buf_init(&how);
				mr_report_how(p->r, tr[k].t.how, &how);
				if (how.len)
					snprintf(line + n, sizeof line - (size_t)n, "%s%s",
					         MR_T(p->r, "; measured by "), how.data);
				mr_buf_release(&how);
			}
			mr_pdf_text(p, MARGIN + 14, p->y, WIDTH - 14, line, &p->small, LEFT);
			p->y += ROW - 3;
		}
	}
}

static void ratings(pdf *p, const mr_report_person *rp)
{
	static const col c[] = { { "By", 110, LEFT }, { "Criterion", 100, LEFT },
	                         { "Stars", 40, RIGHT }, { "Comment", 249.28, LEFT } };
	char by[160], stars[32], title[64];
	snprintf(title, sizeof title, MR_T(p->r, "Ratings (stars of %d)"), p->r->rating_scale);
	heading(p, title);
	if (!rp->nratings) {
		mr_pdf_text(p, MARGIN, p->y, WIDTH, MR_T(p->r, "No ratings."), &p->font, LEFT);
		p->y += ROW;
		return;
	}
	header(p, c, 4);
	for (size_t i = 0; i < rp->nratings; i++) {
		const mr_rating_row *g = &rp->ratings[i];
		const mr_rating_row *prev = i ? &rp->ratings[i - 1] : NULL;
		int same = prev && strcmp(prev->kind, g->kind) == 0 && strcmp(prev->rater, g->rater) == 0;
		const char *comment = g->comment;
		if (same && comment && prev->comment && strcmp(prev->comment, comment) == 0)
			comment = NULL;       /* one comment given with several criteria, shown once */
		/* a comment on one line is set as any cell; a longer one wraps */
		int one_line = !comment || mr_pdf_fits(comment, c[3].w - 4, &p->font);
		double ch = ROW;
		if (!one_line) {
			int was = p->draw;
			p->draw = 0;
			ch = mr_pdf_wrapped(p, 0, 0, c[3].w - 4, comment, &p->font);
			p->draw = was;
		}
		if (need(p, ch > ROW ? ch + 2 : ROW))
			header(p, c, 4);
		mr_report_rater(by, sizeof by, p->r, g);
		snprintf(stars, sizeof stars, "%g", g->stars);
		const char *cells[] = { same ? "" : by, mr_report_criterion_name(p->r, rp, g->criterion),
		                        stars };
		double y = p->y;
		row(p, c, 3, cells, &p->font);
		if (one_line)
			mr_pdf_text(p, MARGIN + 110 + 100 + 40 + 2, y + 1, c[3].w - 4, comment, &p->font, LEFT);
		else
			mr_pdf_wrapped(p, MARGIN + 110 + 100 + 40 + 2, y + 1, c[3].w - 4, comment, &p->font);
		p->y = y + (ch > ROW ? ch + 2 : ROW);
	}
}

static void result_block(pdf *p, const mr_report_person *rp)
{
	const mr_report *r = p->r;
	const mr_scorecard *c = rp->card;
	char s[512], v[32], money[32];
	mr_buf t;
	mr_buf_init(&t);
	heading(p, MR_T(p->r, "Result"));
	need(p, 3 * ROW + 20);
	/* the components the plan counts, side by side; one that weighs 0
	 * only apart, as not counted */
	double x = MARGIN;
	for (int k = 0; k < MR_NCOMP; k++) {
		if (!mr_report_counts(r, k))
			continue;
		score_text(v, c->has[k], c->comp[k]);
		snprintf(s, sizeof s, "%s %s", mr_report_comp_title(r, k), v);
		mr_pdf_text(p, x, p->y, WIDTH / MR_NCOMP, s, &p->font, LEFT);
		x += WIDTH / MR_NCOMP;
	}
	p->y += ROW;
	mr_report_not_counted(&t, r, c);
	if (t.len) {
		snprintf(s, sizeof s, "%s%s", MR_T(r, "Not counted (weight 0 in the plan): "), t.data);
		mr_pdf_color(p, "#666666");
		mr_pdf_text(p, MARGIN, p->y, WIDTH, s, &p->small, LEFT);
		mr_pdf_color(p, "#000000");
		p->y += ROW - 3;
	}
	p->y += 4;
	if (!c->scored) {
		mr_pdf_text(p, MARGIN, p->y, WIDTH, MR_T(r, "Not scored: no final score, grade or bonus"),
		            &p->big, LEFT);
		p->y += ROW + 6;
		mr_buf_reset(&t);
		mr_report_not_scored(&t, r, c);
		para(p, t.data && !mr_buf_oom(&t) ? t.data : "", &p->font);
	} else {
		mr_money_format(money, c->bonus_cents);
		if (p->draw) {
			mr_pdf_color(p, mr_report_grade_color(r, c->grade));
			cairo_rectangle(p->cr, MARGIN + 170, p->y - 2, 70, 22);
			cairo_fill(p->cr);
			mr_pdf_color(p, "#000000");
		}
		snprintf(s, sizeof s, MR_T(r, "Final score %.2f"), c->final);
		mr_pdf_text(p, MARGIN, p->y, 170, s, &p->big, LEFT);
		snprintf(s, sizeof s, MR_T(r, "Grade %s%s"), c->grade && *c->grade ? c->grade : "-",
		         c->calibrated ? "^" : c->by_quota ? "*" : "");
		mr_pdf_text(p, MARGIN + 174, p->y, 66, s, &p->big, LEFT);
		snprintf(s, sizeof s, MR_T(r, "Bonus %s"), money);
		mr_pdf_text(p, MARGIN + 260, p->y, WIDTH - 260, s, &p->big, LEFT);
		p->y += 26;
	}
	if (c->calibrated) {
		snprintf(s, sizeof s, MR_T(r, "^ grade calibrated by hand by an admin: %s"),
		         c->calibration ? c->calibration : "");
		para(p, s, &p->font);
	}
	if (c->by_quota) {
		mr_pdf_text(p, MARGIN, p->y, WIDTH, MR_T(r, "* grade held down by the forced distribution"),
		            &p->font, LEFT);
		p->y += ROW;
	}
	mr_buf_reset(&t);
	mr_report_incomplete(&t, r, c);
	if (t.len) {
		snprintf(s, sizeof s, MR_T(r, "INCOMPLETE: %s"), t.data);
		need(p, ROW);
		mr_pdf_text(p, MARGIN, p->y, WIDTH, s, &p->bold, LEFT);
		p->y += ROW;
	}
	mr_buf_release(&t);
}

/* Under a signature line: who acknowledged the closed result, when, and
 * their comment (or that nobody has yet); its height (drawn when
 * drawing). */
static double ack_note(pdf *p, double x, double y, double w, const mr_ack *a)
{
	char at[32], s[256];
	if (!a) {
		mr_pdf_text(p, x, y, w, MR_T(p->r, "Not acknowledged yet"), &p->small, LEFT);
		return ROW - 3;
	}
	mr_report_ack_time(at, a->at);
	snprintf(s, sizeof s, MR_T(p->r, "Acknowledged by %s on %s"), a->by, at);
	mr_pdf_text(p, x, y, w, s, &p->small, LEFT);
	double h = ROW - 3;
	if (a->comment && *a->comment)
		h += mr_pdf_wrapped(p, x, y + h, w, a->comment, &p->small);
	return h;
}

#define SIGN_ROOM 32.0     /* points to sign in, above a signature line */

static void signatures(pdf *p, const mr_report_person *rp)
{
	static const char *const who[] = { "Employee", "sign|Manager" };
	static const char *const role[] = { "self", "manager" };
	double w = WIDTH / 2 - 10, ah = 0;
	if (p->r->frozen) {          /* how tall the acknowledgements are */
		int was = p->draw;
		p->draw = 0;
		for (int i = 0; i < 2; i++) {
			double h = ack_note(p, 0, 0, w, mr_report_ack(rp, role[i]));
			ah = h > ah ? h : ah;
		}
		p->draw = was;
	}
	/* room to sign above the lines, the lines and their labels, the
	 * acknowledgements: at the foot of the page */
	double h = SIGN_ROOM + ROW + 4 + ah;
	need(p, h);
	p->y = p->y + h > BOTTOM ? p->y : BOTTOM - h;
	p->y += SIGN_ROOM;
	for (int i = 0; i < 2; i++) {
		double x = MARGIN + (double)i * (WIDTH / 2 + 10);
		hline(p, x, x + WIDTH / 2 - 90, p->y, 0.7, "#000000");
		hline(p, x + WIDTH / 2 - 80, x + WIDTH / 2 - 10, p->y, 0.7, "#000000");
		mr_pdf_text(p, x, p->y + 3, 150, MR_T(p->r, who[i]), &p->small, LEFT);
		mr_pdf_text(p, x + WIDTH / 2 - 80, p->y + 3, 70, MR_T(p->r, "Date"), &p->small, LEFT);
	}
	p->y += ROW + 4;
	if (!p->r->frozen)
		return;
	for (int i = 0; i < 2; i++)
		ack_note(p, MARGIN + (double)i * (WIDTH / 2 + 10), p->y, w, mr_report_ack(rp, role[i]));
	p->y += ah;
}

/* The post: its duties and what raters rate it on, whole however long. */
static void post(pdf *p, const mr_report_person *rp)
{
	mr_buf b;
	mr_buf_init(&b);
	if (rp->duties) {
		mr_buf_printf(&b, MR_T(p->r, "Duties: %s"), rp->duties);
		if (!mr_buf_oom(&b))
			para(p, b.data, &p->font);
		mr_buf_reset(&b);
	}
	if (rp->ncriteria) {
		mr_buf_puts(&b, MR_T(p->r, "Rated on:"));
		for (size_t k = 0; k < rp->ncriteria; k++)
			mr_buf_printf(&b, "%s %s (%g%%)", k ? " ·" : "", rp->criteria[k].name,
			              rp->criteria[k].weight);
		if (!mr_buf_oom(&b))
			para(p, b.data, &p->font);
	}
	mr_buf_release(&b);
}

static void person(pdf *p, const mr_report_person *rp)
{
	const mr_scorecard *c = rp->card;
	char s[512];
	masthead(p, MR_T(p->r, "Performance appraisal"));
	snprintf(s, sizeof s, "%s (%s)", c->name, c->login);
	mr_pdf_text(p, MARGIN, p->y, WIDTH, s, &p->big, LEFT);
	p->y += ROW + 6;
	const mr_report *r = p->r;
	int n = snprintf(s, sizeof s, MR_T(r, "Position: %s"), rp->position_name);
	if (rp->stage && n > 0 && (size_t)n < sizeof s)
		n += snprintf(s + n, sizeof s - (size_t)n, MR_T(r, " (stage: %s)"),
		              mr_report_stage(r, rp->stage));
	if (!r->who && rp->rank && n > 0 && (size_t)n < sizeof s)
		n += snprintf(s + n, sizeof s - (size_t)n, MR_T(r, " · rank %zu of %zu"), rp->rank,
		              r->result->nscored);
	else if (!rp->rank && n > 0 && (size_t)n < sizeof s)
		n += snprintf(s + n, sizeof s - (size_t)n, "%s", MR_T(r, " · not scored"));
	if (c->active_days < c->cycle_days && n > 0 && (size_t)n < sizeof s)
		snprintf(s + n, sizeof s - (size_t)n,
		         MR_T(r, " · active %d of %d days (sum targets pro-rated)"), c->active_days,
		         c->cycle_days);
	mr_pdf_text(p, MARGIN, p->y, WIDTH, s, &p->font, LEFT);
	p->y += ROW;
	snprintf(s, sizeof s, MR_T(r, "KPI coverage %.2f%% (the share of the KPI weight with data)"),
	         mr_round2(c->coverage));
	mr_pdf_text(p, MARGIN, p->y, WIDTH, s, &p->font, LEFT);
	p->y += ROW;
	post(p, rp);
	indicators(p, rp);
	ratings(p, rp);
	result_block(p, rp);
	history_chart(p, rp);
	signatures(p, rp);
}

/* The whole document: the team summary, then a form per person, each on
 * new pages. */
static void document(pdf *p)
{
	const mr_report *r = p->r;
	p->page = 1;
	p->y = TOP;
	int fresh = 1;
	if (!r->who) {
		team(p);
		fresh = 0;
	}
	for (size_t i = 0; i < r->npeople; i++) {
		if (!fresh)
			new_page(p);
		fresh = 0;
		person(p, &r->people[i]);
	}
	if (r->who == NULL && !r->npeople) {
		mr_pdf_text(p, MARGIN, p->y, WIDTH, MR_T(r, "Nobody was active in this period."), &p->font,
		            LEFT);
		p->y += ROW;
	}
	footer(p);
	mr_pdf_flush(p);
	if (p->draw)
		cairo_show_page(p->cr);
}

/* ---- the font maps, and letting go of the libraries' caches ----
 *
 * Text goes through pango's default font map, one per thread, kept for
 * the thread's life (a web worker writes many reports), released when
 * the thread ends or, for the thread that shuts down, below.
 *
 * Pango (1.50) looks a font pattern up in two threads of its own,
 * "[pango] FcFontSetMatch" and "[pango] FcFontSetSort", and waits only for
 * the answer it needs.  Each holds a reference to the font map until it
 * ends, so a font map, and with it its fonts (cairo scaled fonts and font
 * faces), can outlive its release by a moment, in another thread.
 * cairo_debug_reset_static_data() asserts when a cairo font is still
 * alive (and races with the thread that frees it), FcFini() likewise with
 * fontconfig's objects.  So each font map that set text is counted alive
 * until GObject has finalized it, in whichever thread lets go last, and
 * mr_report_shutdown() waits for the count to come to zero before it
 * tears anything down. */
static GMutex maps_lock;
static GCond maps_cond;
static int maps_alive;

static void font_map_gone(gpointer unused)
{
	(void)unused;
	g_mutex_lock(&maps_lock);
	maps_alive--;
	g_cond_broadcast(&maps_cond);
	g_mutex_unlock(&maps_lock);
}

/* This thread's font map, counted alive the first time. */
static PangoFontMap *font_map(void)
{
	PangoFontMap *fm = pango_cairo_font_map_get_default();
	if (g_object_get_data(G_OBJECT(fm), "merit-alive"))
		return fm;
	g_mutex_lock(&maps_lock);
	maps_alive++;
	g_mutex_unlock(&maps_lock);
	/* GObject's own finalize calls this, after pango's has freed the
	 * fonts; the data only has to be non-NULL */
	g_object_set_data_full(G_OBJECT(fm), "merit-alive", &maps_alive, font_map_gone);
	/* A new font map may have started FcInit() in another thread: wait
	 * for it here, so it never meets FcFini() */
	if (PANGO_IS_FC_FONT_MAP(fm))
		pango_fc_font_map_get_config(PANGO_FC_FONT_MAP(fm));
	return fm;
}

void mr_report_shutdown(void)
{
	pango_cairo_font_map_set_default(NULL);     /* this thread's */
	/* FcFontSetSort takes milliseconds.  Should a font map stay alive (a
	 * thread that set text still running, or pango's never letting go),
	 * leave the caches be rather than free what is still in use. */
	gint64 until = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
	g_mutex_lock(&maps_lock);
	while (maps_alive > 0 && g_cond_wait_until(&maps_cond, &maps_lock, until))
		;
	int alive = maps_alive;
	g_mutex_unlock(&maps_lock);
	if (alive)
		return;
	cairo_debug_reset_static_data();
	FcFini();
}

/* cairo's output: the document grows in memory (a failed allocation
 * stops cairo with CAIRO_STATUS_WRITE_ERROR, seen after finish). */
static cairo_status_t to_buf(void *payload, const unsigned char *data, unsigned int len)
{
	mr_buf *b = payload;
	mr_buf_add(b, data, len);
	return mr_buf_oom(b) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

int mr_report_pdf(mr_buf *out, const mr_report *r, mr_err *err)
{
	pdf p;
	int rc = 0;
	memset(&p, 0, sizeof p);
	p.r = r;
	p.surf = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	if (cairo_surface_status(p.surf) != CAIRO_STATUS_SUCCESS) {
		rc = mr_err_set(err, MR_ENOMEM, "making the PDF: %s",
		                cairo_status_to_string(cairo_surface_status(p.surf)));
		cairo_surface_destroy(p.surf);
		return rc;
	}
	/* Deterministic: the document's dates are the period's end, not now. */
	char date[32];
	int y, m, d;
	mr_day_to_civil(r->result->last, &y, &m, &d);
	snprintf(date, sizeof date, "%04d-%02d-%02dT00:00:00Z", y, m, d);
	/* (Only these two: cairo 1.16 leaks when given more metadata.) */
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_MOD_DATE, date);
	p.cr = cairo_create(p.surf);
	PangoContext *ctx = pango_font_map_create_context(font_map());
	pango_cairo_update_context(p.cr, ctx);
	p.lay = pango_layout_new(ctx);
	g_object_unref(ctx);
	mr_pdf_face_init(&p, &p.font, 9, 0);
	mr_pdf_face_init(&p, &p.bold, 9, 1);
	mr_pdf_face_init(&p, &p.small, 7.5, 0);
	mr_pdf_face_init(&p, &p.big, 12, 1);
	mr_pdf_face_init(&p, &p.title, 18, 1);
	/* count the pages, then draw them */
	p.draw = 0;
	document(&p);
	p.pages = p.page;
	p.draw = 1;
	document(&p);
	cairo_surface_finish(p.surf);
	cairo_status_t st = cairo_status(p.cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(p.surf);
	if (mr_buf_oom(out))
		rc = mr_err_set(err, MR_ENOMEM, "making the PDF: out of memory");
	else if (st != CAIRO_STATUS_SUCCESS)
		rc = mr_err_set(err, st == CAIRO_STATUS_NO_MEMORY ? MR_ENOMEM : MR_EIO,
		                "making the PDF: %s", cairo_status_to_string(st));
	mr_pdf_face_release(&p.font);
	mr_pdf_face_release(&p.bold);
	mr_pdf_face_release(&p.small);
	mr_pdf_face_release(&p.big);
	mr_pdf_face_release(&p.title);
	g_object_unref(p.lay);
	g_free(p.fixed);
	mr_pdf_segs_release(&p);
	cairo_destroy(p.cr);
	cairo_surface_destroy(p.surf);
	return rc;
}

/* report_xlsx.c — the report as an Excel workbook, with libxlsxwriter.
 *
 * Sheets: "Team" (one row a person, the ranking then the people not
 * scored: coverage, each indicator's actual, target and score, the
 * components the plan counts, final score, grade and bonus — empty cells
 * for the people not scored —, calibration, completeness, and the scores
 * that weigh 0 apart at the end; frozen header, autofilter, grades
 * coloured by conditional formatting), "Summary" (the team indicators;
 * the grade distribution and the ranking's final scores as native
 * charts), then one sheet per person (duties and criteria, indicators,
 * where each number came from, ratings with comments, the result and its
 * acknowledgement, the history).  Numbers are cells of numbers, as
 * `merit score --json` gives them: scores rounded to 2 decimals, actuals
 * and targets exact, bonuses in currency units.
 *
 * libxlsxwriter writes to a file name only (1.1.4 has no output buffer):
 * the workbook goes to an anonymous file in memory (a memfd, named to it
 * through /proc/self/fd), read back into the caller's buffer; so a full
 * disk never cuts it, and libxlsxwriter's own "[ERROR]" lines about the
 * file never reach the user.  The caller writes the bytes, checked.  Its
 * parts go through temporary files of its own (in $TMPDIR) whose writes it
 * does not check: every XML part of the result is read back with expat.
 */
#include "report/report.h"
#include "util/ascii.h"

#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <linux/memfd.h>
#include <strings.h>
#include <pthread.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <time.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "report/report_i18n.h"
#include "util/file.h"
#include "util/num.h"
#include "util/utf8.h"

typedef struct xl {
	lxw_workbook *wb;
	lxw_error err;                  /* the first failure */
	lxw_format *title, *bold, *head, *score, *num, *money, *pct, *pct2, *wrap;
	lxw_format **grade_fmt;         /* one fill per grade */
	const mr_report *r;
} xl;

static void note(xl *x, lxw_error e)
{
	if (e && !x->err)
		x->err = e;
}

#define CELL_MAX 32000             /* bytes; Excel takes 32,767 characters in a cell */

static void str(xl *x, lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
	char *fixed = NULL;
	/* a text cut to fit a buffer may end mid-character, and the workbook's
	 * XML takes only UTF-8: the cut bytes become U+FFFD; a cell too long
	 * for Excel is cut, at a character */
	if (s && strlen(s) > CELL_MAX) {
		size_t k = CELL_MAX;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		if ((fixed = malloc(k + 4))) {
			memcpy(fixed, s, k);
			memcpy(fixed + k, "\xe2\x80\xa6", 4);     /* … */
			s = fixed;
		}
	}
	if (s && !mr_utf8_ok(s)) {
		char *clean = mr_utf8_lossy(s);
		free(fixed);
		s = fixed = clean;
	}
	if (s && *s)
		note(x, worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, f));
	else if (f)
		note(x, worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col, f));
	free(fixed);
}

static void num(xl *x, lxw_worksheet *ws, int row, int col, int has, double v, lxw_format *f)
{
	if (has)
		note(x, worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, f));
}

static lxw_color_t rgb(const char *hex)
{
	return (lxw_color_t)strtoul(hex + 1, NULL, 16);
}

static lxw_format *fmt(xl *x, int bold, const char *numfmt)
{
	lxw_format *f = workbook_add_format(x->wb);
	if (f && bold)
		format_set_bold(f);
	if (f && numfmt)
		format_set_num_format(f, numfmt);
	return f;
}

static void formats(xl *x)
{
	x->title = fmt(x, 1, NULL);
	format_set_font_size(x->title, 14);
	x->bold = fmt(x, 1, NULL);
	x->head = fmt(x, 1, NULL);
	format_set_bg_color(x->head, 0xEEEEEE);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	format_set_text_wrap(x->head);
	x->score = fmt(x, 0, "0.00");
	x->num = fmt(x, 0, "#,##0.00");
	x->money = fmt(x, 0, "#,##0.00");
	x->pct = fmt(x, 0, "0\"%\"");
	x->pct2 = fmt(x, 0, "0.00\"%\"");
	x->wrap = fmt(x, 0, NULL);
	format_set_text_wrap(x->wrap);
	x->grade_fmt = calloc(x->r->ngrades + 1, sizeof *x->grade_fmt);
	for (size_t i = 0; x->grade_fmt && i < x->r->ngrades; i++) {
		x->grade_fmt[i] = workbook_add_format(x->wb);
		format_set_bg_color(x->grade_fmt[i],
		                    rgb(mr_report_grade_color(x->r, x->r->grades[i].grade)));
	}
}

/* Title lines at the top of a sheet: 2 rows. */
static void sheet_title(xl *x, lxw_worksheet *ws, const char *what)
{
	const mr_result *res = x->r->result;
	char line[512], d1[11], d2[11];
	mr_day_format(d1, res->first);
	mr_day_format(d2, res->last);
	snprintf(line, sizeof line, "%s%s%s %s", x->r->company ? x->r->company : "",
	         x->r->company ? " — " : "", what, res->period);
	str(x, ws, 0, 0, line, x->title);
	snprintf(line, sizeof line, MR_T(x->r, "%s to %s · operating goal: %s · %s"), d1, d2,
	         mr_report_goal_text(x->r, res->goal),
	         x->r->frozen ? MR_T(x->r, "cycle closed: frozen results") :
	                        MR_T(x->r, "results may still change"));
	str(x, ws, 1, 0, line, NULL);
}

/* ---- the team sheet ---- */

/* Is component k shown apart, as not counted: the plan weighs it 0 and
 * someone has a score for it? */
static int shown_apart(const mr_report *r, int k)
{
	if (mr_report_counts(r, k))
		return 0;
	for (size_t i = 0; i < r->npeople; i++)
		if (r->people[i].card->has[k])
			return 1;
	return 0;
}

/* One row a person: the ranking, then the people not scored (no rank,
 * final score, grade or bonus: empty cells, never a 0).  Returns the
 * column of the final score (for the summary's chart). */
static int team_sheet(xl *x, lxw_worksheet *ws)
{
	const mr_report *r = x->r;
	char h[300];
	int hr = 3, col = 0;
	sheet_title(x, ws, MR_T(x->r, "Performance appraisal"));
	str(x, ws, hr, col++, MR_T(x->r, "Rank"), x->head);
	str(x, ws, hr, col++, MR_T(x->r, "Login"), x->head);
	str(x, ws, hr, col++, MR_T(x->r, "Name"), x->head);
	str(x, ws, hr, col++, MR_T(x->r, "Position"), x->head);
	str(x, ws, hr, col++, MR_T(x->r, "Coverage"), x->head);
	for (size_t k = 0; k < r->ncolumns; k++) {
		const char *name = mr_report_ind_name(r, r->columns[k]);
		const char *const part[3] = { MR_T(r, "actual"), MR_T(r, "target"), MR_T(r, "score") };
		for (int j = 0; j < 3; j++) {
			snprintf(h, sizeof h, MR_T(r, "%s: %s"), name, part[j]);
			str(x, ws, hr, col++, h, x->head);
		}
	}
	int first_comp = col;
	for (int k = 0; k < MR_NCOMP; k++)
		if (mr_report_counts(r, k))
			str(x, ws, hr, col++, mr_report_comp_title(r, k), x->head);
	int final_col = col;
	str(x, ws, hr, col++, MR_T(x->r, "Final"), x->head);
	int grade_col = col;
	str(x, ws, hr, col++, MR_T(x->r, "Grade"), x->head);
	str(x, ws, hr, col++, MR_T(x->r, "Bonus"), x->head);
	str(x, ws, hr, col++, MR_T(x->r, "Calibrated"), x->head);
	str(x, ws, hr, col++, MR_T(x->r, "Complete"), x->head);
	str(x, ws, hr, col++, MR_T(x->r, "Missing"), x->head);
	str(x, ws, hr, col++, MR_T(x->r, "Scored"), x->head);
	str(x, ws, hr, col++, MR_T(x->r, "Note"), x->head);
	int notes_col = col - 1;
	for (int k = 0; k < MR_NCOMP; k++)
		if (shown_apart(r, k)) {
			snprintf(h, sizeof h, MR_T(r, "%s: not counted (weight 0)"),
			         mr_report_comp_title(r, k));
			str(x, ws, hr, col++, h, x->head);
		}
	int last_col = col - 1;
	mr_buf t;
	mr_buf_init(&t);
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_report_person *p = &r->people[i];
		const mr_scorecard *c = p->card;
		int row = hr + 1 + (int)i;
		col = 0;
		num(x, ws, row, col++, p->rank > 0, (double)p->rank, NULL);
		str(x, ws, row, col++, c->login, NULL);
		str(x, ws, row, col++, c->name, NULL);
		str(x, ws, row, col++, p->position_name, NULL);
		num(x, ws, row, col++, 1, mr_round2(c->coverage), x->pct2);
		for (size_t k = 0; k < r->ncolumns; k++) {
			const mr_ind_score *s = mr_report_ind(p, r->columns[k]->key);
			num(x, ws, row, col++, s && s->has_actual, s ? s->actual : 0, x->num);
			num(x, ws, row, col++, s && s->has_target, s ? s->target : 0, x->num);
			num(x, ws, row, col++, s && (!s->missing || s->scored),
			    s ? mr_round2(s->score) : 0, x->score);
		}
		for (int k = 0; k < MR_NCOMP; k++)
			if (mr_report_counts(r, k))
				num(x, ws, row, col++, c->has[k], mr_round2(c->comp[k]), x->score);
		num(x, ws, row, col++, c->scored, c->final, x->score);
		str(x, ws, row, col++, c->grade, NULL);
		num(x, ws, row, col++, c->scored, (double)c->bonus_cents / 100.0, x->money);
		str(x, ws, row, col++, c->calibrated ? MR_T(r, "yes") : MR_T(r, "no"), NULL);
		str(x, ws, row, col++, c->complete ? MR_T(r, "yes") : MR_T(r, "no"), NULL);
		mr_buf_reset(&t);
		mr_report_incomplete(&t, r, c);
		str(x, ws, row, col++, t.data, NULL);
		str(x, ws, row, col++, c->scored ? MR_T(r, "yes") : MR_T(r, "no"), NULL);
		mr_buf_reset(&t);
		if (!c->scored) {
			mr_buf_puts(&t, MR_T(r, "not scored: "));
			mr_report_not_scored(&t, r, c);
		} else if (c->calibrated)
			mr_buf_printf(&t, MR_T(r, "grade calibrated: %s"),
			              c->calibration ? c->calibration : "");
		else if (c->by_quota)
			mr_buf_puts(&t, MR_T(r, "grade held down by the forced distribution"));
		str(x, ws, row, col++, t.data, NULL);
		for (int k = 0; k < MR_NCOMP; k++)
			if (shown_apart(r, k))
				num(x, ws, row, col++, c->has[k], mr_round2(c->comp[k]), x->score);
	}
	if (mr_buf_oom(&t))
		note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
	mr_buf_release(&t);
	int last_row = hr + (int)r->npeople;
	worksheet_set_row(ws, (lxw_row_t)hr, 32, NULL);
	worksheet_set_column(ws, 0, 0, 6, NULL);
	worksheet_set_column(ws, 1, 1, 12, NULL);
	worksheet_set_column(ws, 2, 2, 18, NULL);
	worksheet_set_column(ws, 3, 3, 20, NULL);
	worksheet_set_column(ws, 4, 4, 10, NULL);
	worksheet_set_column(ws, 5, (lxw_col_t)(first_comp - 1 < 5 ? 5 : first_comp - 1), 12, NULL);
	worksheet_set_column(ws, (lxw_col_t)first_comp, (lxw_col_t)last_col, 10, NULL);
	worksheet_set_column(ws, (lxw_col_t)(notes_col - 2), (lxw_col_t)(notes_col - 2), 24, NULL);
	worksheet_set_column(ws, (lxw_col_t)notes_col, (lxw_col_t)notes_col, 40, NULL);
	worksheet_freeze_panes(ws, (lxw_row_t)(hr + 1), 3);
	note(x, worksheet_autofilter(ws, (lxw_row_t)hr, 0, (lxw_row_t)last_row, (lxw_col_t)last_col));
	if (!r->npeople || !x->grade_fmt)
		return final_col;
	for (size_t g = 0; g < r->ngrades; g++) {
		char quoted[64];
		snprintf(quoted, sizeof quoted, "\"%s\"", r->grades[g].grade);
		lxw_conditional_format cf;
		memset(&cf, 0, sizeof cf);
		cf.type = LXW_CONDITIONAL_TYPE_CELL;
		cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
		cf.value_string = quoted;
		cf.format = x->grade_fmt[g];
		note(x, worksheet_conditional_format_range(ws, (lxw_row_t)(hr + 1), (lxw_col_t)grade_col,
		                                           (lxw_row_t)last_row, (lxw_col_t)grade_col,
		                                           &cf));
	}
	return final_col;
}

/* ---- the summary sheet: team indicators and charts ---- */

static void summary_sheet(xl *x, lxw_worksheet *ws, const char *team_name, const char *sum_name,
                          int final_col)
{
	const mr_report *r = x->r;
	const mr_result *res = r->result;
	int row = 3;
	sheet_title(x, ws, MR_T(x->r, "Team summary"));
	worksheet_set_column(ws, 0, 0, 28, NULL);
	worksheet_set_column(ws, 1, 4, 12, NULL);
	if (res->nteam) {
		str(x, ws, row, 0, MR_T(x->r, "Team indicator"), x->head);
		str(x, ws, row, 1, MR_T(x->r, "Actual"), x->head);
		str(x, ws, row, 2, MR_T(x->r, "Target"), x->head);
		str(x, ws, row, 3, MR_T(x->r, "Score"), x->head);
		for (size_t i = 0; i < res->nteam; i++) {
			const mr_ind_score *s = &res->team[i];
			row++;
			str(x, ws, row, 0, mr_report_ind_name(r, s), NULL);
			num(x, ws, row, 1, s->has_actual, s->actual, x->num);
			num(x, ws, row, 2, s->has_target, s->target, x->num);
			num(x, ws, row, 3, !s->missing, mr_round2(s->score), x->score);
		}
		row += 2;
	}
	if (r->who)
		return;
	int dist_row = row;
	str(x, ws, row, 0, MR_T(x->r, "Grade"), x->head);
	str(x, ws, row, 1, MR_T(x->r, "People"), x->head);
	for (size_t g = 0; g < r->ngrades; g++) {
		row++;
		str(x, ws, row, 0, r->grades[g].grade, NULL);
		num(x, ws, row, 1, 1, (double)r->grades[g].count, NULL);
	}
	row += 2;
	str(x, ws, row, 0, MR_T(x->r, "People scored"), x->bold);
	num(x, ws, row, 1, 1, (double)res->nscored, NULL);
	str(x, ws, ++row, 0, MR_T(x->r, "People not scored"), x->bold);
	num(x, ws, row, 1, 1, (double)(res->npeople - res->nscored), NULL);
	str(x, ws, ++row, 0, MR_T(x->r, "Bonus total"), x->bold);
	num(x, ws, row, 1, 1, (double)res->bonus_total_cents / 100.0, x->money);

	/* the team by value-chain stage (SPEC 1) */
	mr_report_stage_sum st[MR_NSTAGES + 1];
	size_t nst = mr_report_stages(r, st);
	row += 2;
	str(x, ws, row, 0, MR_T(r, "By value-chain stage"), x->bold);
	static const char *const heads[] = { "Stage", "People", "People scored", "Mean final",
	                                     "Bonus" };
	row++;
	for (int k = 0; k < 5; k++)
		str(x, ws, row, k, MR_T(r, heads[k]), x->head);
	for (size_t k = 0; k < nst; k++) {
		row++;
		str(x, ws, row, 0, mr_report_stage(r, st[k].stage), NULL);
		num(x, ws, row, 1, 1, (double)st[k].people, NULL);
		num(x, ws, row, 2, 1, (double)st[k].scored, NULL);
		num(x, ws, row, 3, st[k].scored > 0, st[k].mean, x->score);
		num(x, ws, row, 4, 1, (double)st[k].bonus_cents / 100.0, x->money);
	}

	if (!r->ngrades)
		return;
	/* grade distribution: a column chart, each grade in its colour */
	lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
	if (!ch) {
		note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
	chart_series_set_categories(se, sum_name, (lxw_row_t)(dist_row + 1), 0,
	                            (lxw_row_t)(dist_row + (int)r->ngrades), 0);
	chart_series_set_values(se, sum_name, (lxw_row_t)(dist_row + 1), 1,
	                        (lxw_row_t)(dist_row + (int)r->ngrades), 1);
	chart_series_set_name(se, MR_T(r, "People"));
	lxw_chart_fill *fills = calloc(r->ngrades, sizeof *fills);
	lxw_chart_point *pts = calloc(r->ngrades, sizeof *pts);
	lxw_chart_point **pp = calloc(r->ngrades + 1, sizeof *pp);
	if (fills && pts && pp) {
		for (size_t g = 0; g < r->ngrades; g++) {
			fills[g].color = rgb(mr_report_grade_color(r, r->grades[g].grade));
			pts[g].fill = &fills[g];
			pp[g] = &pts[g];
		}
		note(x, chart_series_set_points(se, pp));
	}
	free(fills);
	free(pts);
	free(pp);
	chart_title_set_name(ch, MR_T(r, "Grade distribution"));
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	chart_axis_set_name(ch->y_axis, MR_T(r, "People"));
	note(x, worksheet_insert_chart(ws, 3, 5, ch));

	if (!res->nscored)
		return;
	/* final scores of the ranking, highest first, from the team sheet (the
	 * people not scored come after it, with no final score) */
	lxw_chart *fc = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
	if (!fc) {
		note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	lxw_chart_series *fs = chart_add_series(fc, NULL, NULL);
	chart_series_set_categories(fs, team_name, 4, 2, (lxw_row_t)(3 + res->nscored), 2);
	chart_series_set_values(fs, team_name, 4, (lxw_col_t)final_col, (lxw_row_t)(3 + res->nscored),
	                        (lxw_col_t)final_col);
	chart_series_set_name(fs, MR_T(r, "Final score"));
	chart_title_set_name(fc, MR_T(r, "Final scores"));
	chart_legend_set_position(fc, LXW_CHART_LEGEND_NONE);
	chart_axis_set_min(fc->y_axis, 0);
	chart_axis_set_max(fc->y_axis, 100);
	note(x, worksheet_insert_chart(ws, 19, 5, fc));
}

/* ---- one sheet per person ---- */

/* A sheet name from a login: at most 31 characters, none of []:*?/\,
 * unique (case-insensitively) among `used`. */
static void sheet_name(char *out, size_t cap, const char *login, char (*used)[32], size_t n)
{
	char base[32];
	size_t len = strlen(login), k = len < 28 ? len : 28;
	while (k > 0 && k < len && ((unsigned char)login[k] & 0xC0) == 0x80)
		k--;                         /* never cut a UTF-8 character in two */
	for (size_t i = 0; i < k; i++)
		base[i] = strchr("[]:*?/\\'", login[i]) ? '_' : login[i];
	base[k] = 0;
	if (!*base)
		snprintf(base, sizeof base, "person");
	snprintf(out, cap, "%s", base);
	for (int v = 2;; v++) {
		size_t i;
		for (i = 0; i < n && mr_ascii_casecmp(used[i], out) != 0; i++)
			;
		if (i == n)
			return;
		size_t b = strlen(base) < 19 ? strlen(base) : 19;
		while (b > 0 && ((unsigned char)base[b] & 0xC0) == 0x80)
			b--;                     /* the suffix never splits a character either */
		snprintf(out, cap, "%.*s~%d", (int)b, base, v);
	}
}

/* A person's result: the components the plan counts, the ones it weighs
 * 0 apart, the final score, grade and bonus (or why not scored), and who
 * acknowledged it.  Returns the next free row. */
static int result_rows(xl *x, lxw_worksheet *ws, int row, const mr_report_person *p)
{
	const mr_report *r = x->r;
	const mr_scorecard *c = p->card;
	char line[256];
	str(x, ws, row++, 0, MR_T(x->r, "Result"), x->bold);
	for (int k = 0; k < MR_NCOMP; k++) {
		if (!mr_report_counts(r, k))
			continue;
		snprintf(line, sizeof line, MR_T(r, "%s score"), mr_report_comp_title(r, k));
		str(x, ws, row, 0, line, NULL);
		if (c->has[k])
			num(x, ws, row, 1, 1, mr_round2(c->comp[k]), x->score);
		else
			str(x, ws, row, 1, "-", NULL);
		row++;
	}
	for (int k = 0; k < MR_NCOMP; k++) {
		if (mr_report_counts(r, k) || !c->has[k])
			continue;
		snprintf(line, sizeof line, MR_T(r, "%s score (not counted: weight 0)"),
		         mr_report_comp_title(r, k));
		str(x, ws, row, 0, line, NULL);
		num(x, ws, row++, 1, 1, mr_round2(c->comp[k]), x->score);
	}
	if (!c->scored) {
		str(x, ws, row, 0, MR_T(x->r, "Not scored"), x->bold);
		mr_buf why;
		mr_buf_init(&why);
		mr_report_not_scored(&why, r, c);
		str(x, ws, row++, 1, mr_buf_oom(&why) ? c->not_scored : why.data, NULL);
		mr_buf_release(&why);
		str(x, ws, row++, 0, MR_T(x->r, "no final score, grade or bonus"), NULL);
	} else {
		str(x, ws, row, 0, MR_T(x->r, "Final score"), x->bold);
		num(x, ws, row++, 1, 1, c->final, x->score);
		str(x, ws, row, 0, MR_T(x->r, "Grade"), x->bold);
		str(x, ws, row++, 1, c->grade, NULL);
		str(x, ws, row, 0, MR_T(x->r, "Bonus"), x->bold);
		num(x, ws, row++, 1, 1, (double)c->bonus_cents / 100.0, x->money);
	}
	if (c->calibrated) {
		str(x, ws, row, 0, MR_T(x->r, "Grade calibrated by an admin"), NULL);
		str(x, ws, row++, 1, c->calibration, NULL);
	}
	if (c->by_quota)
		str(x, ws, row++, 0, MR_T(x->r, "grade held down by the forced distribution"), NULL);
	mr_buf t;
	mr_buf_init(&t);
	mr_report_incomplete(&t, r, c);
	if (t.len) {
		str(x, ws, row, 0, MR_T(x->r, "Incomplete"), NULL);
		str(x, ws, row++, 1, t.data, NULL);
	}
	if (mr_buf_oom(&t))
		note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
	mr_buf_release(&t);
	if (!r->frozen)
		return row;
	static const char *const role[2] = { "self", "manager" };
	const char *const who[2] = { MR_T(r, "Acknowledged by the employee"),
	                             MR_T(r, "Acknowledged by the manager") };
	row++;
	for (int i = 0; i < 2; i++) {
		const mr_ack *a = mr_report_ack(p, role[i]);
		char at[32];
		str(x, ws, row, 0, who[i], NULL);
		if (!a) {
			str(x, ws, row++, 1, MR_T(x->r, "not yet"), NULL);
			continue;
		}
		mr_report_ack_time(at, a->at);
		snprintf(line, sizeof line, MR_T(r, "%s on %s"), a->by, at);
		str(x, ws, row, 1, line, NULL);
		str(x, ws, row++, 3, a->comment, NULL);
	}
	return row;
}

static void person_sheet(xl *x, lxw_worksheet *ws, const mr_report_person *p)
{
	const mr_report *r = x->r;
	const mr_scorecard *c = p->card;
	char line[512];
	int row = 0;
	snprintf(line, sizeof line, "%s (%s)", c->name, c->login);
	str(x, ws, row++, 0, line, x->title);
	int n = snprintf(line, sizeof line, "%s", p->position_name);
	if (p->stage && n > 0 && (size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, MR_T(r, " · stage %s"),
		              mr_report_stage(r, p->stage));
	if (n > 0 && (size_t)n < sizeof line)
		snprintf(line + n, sizeof line - (size_t)n, MR_T(r, " · period %s · operating goal: %s"),
		         r->result->period, mr_report_goal_text(r, r->result->goal));
	str(x, ws, row++, 0, line, NULL);
	snprintf(line, sizeof line,
	         MR_T(r, "KPI coverage %.2f%% (the share of the KPI weight with data)"),
	         mr_round2(c->coverage));
	if (c->active_days < c->cycle_days)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		         MR_T(r, " · active %d of %d days (sum targets pro-rated)"), c->active_days,
		         c->cycle_days);
	str(x, ws, row++, 0, line, NULL);
	if (p->duties) {
		str(x, ws, row, 0, MR_T(x->r, "Duties"), x->bold);
		str(x, ws, row++, 1, p->duties, NULL);
	}
	if (p->ncriteria) {
		str(x, ws, row, 0, MR_T(x->r, "Rated on"), x->bold);
		for (size_t k = 0; k < p->ncriteria; k++) {
			snprintf(line, sizeof line, "%s (%g%%)", p->criteria[k].name, p->criteria[k].weight);
			str(x, ws, row, 1 + (int)k, line, NULL);
		}
		row++;
	}
	worksheet_set_column(ws, 0, 0, 26, NULL);
	worksheet_set_column(ws, 1, 2, 12, NULL);
	worksheet_set_column(ws, 3, 8, 12, NULL);
	worksheet_set_column(ws, 9, 9, 40, NULL);

	static const char *const ih[] = { "Indicator", "Key", "Weight", "Rule", "Actual", "Target",
	                                  "Score", "Counted", "Measurements", "Scope" };
	row++;
	for (int k = 0; k < 10; k++)
		str(x, ws, row, k, MR_T(r, ih[k]), x->head);
	for (size_t i = 0; i < c->nind; i++) {
		const mr_ind_score *s = &c->ind[i];
		row++;
		str(x, ws, row, 0, mr_report_ind_name(r, s), NULL);
		str(x, ws, row, 1, s->key, NULL);
		num(x, ws, row, 2, 1, s->weight, x->pct);
		str(x, ws, row, 3, mr_report_rule(r, s->rule), NULL);
		num(x, ws, row, 4, s->has_actual, s->actual, x->num);
		num(x, ws, row, 5, s->has_target, s->target, x->num);
		num(x, ws, row, 6, !s->missing || s->scored, mr_round2(s->score), x->score);
		str(x, ws, row, 7, s->scored ? MR_T(r, "yes") : s->missing ? MR_T(r, "no data (left out)") :
		    MR_T(r, "no"), NULL);
		num(x, ws, row, 8, 1, (double)s->measurements, NULL);
		str(x, ws, row, 9, s->team ? MR_T(r, "team") : MR_T(r, "person"), NULL);
	}

	row += 2;
	str(x, ws, row, 0, MR_T(x->r, "Where the numbers came from"), x->bold);
	static const char *const th[] = { "Indicator", "Batch", "Source", "File", "First line",
	                                  "Last line", "Measurements" };
	row++;
	for (int k = 0; k < 7; k++)
		str(x, ws, row, k, MR_T(r, th[k]), x->head);
	for (size_t i = 0; i < c->nind; i++) {
		size_t nt;
		const mr_subject_trace *t = mr_report_traces(r, p, &c->ind[i], &nt);
		for (size_t k = 0; k < nt; k++) {
			row++;
			/* the key in English (as ever), the plan's name in Chinese */
			str(x, ws, row, 0, r->lang == MR_LOCALE_EN ? c->ind[i].key :
			    mr_report_ind_name(r, &c->ind[i]), NULL);
			num(x, ws, row, 1, 1, (double)t[k].t.batch, NULL);
			str(x, ws, row, 2, mr_report_source(r, t[k].t.source), NULL);
			str(x, ws, row, 3, t[k].t.file, NULL);
			num(x, ws, row, 4, t[k].t.first_line > 0, (double)t[k].t.first_line, NULL);
			num(x, ws, row, 5, t[k].t.first_line > 0, (double)t[k].t.last_line, NULL);
			num(x, ws, row, 6, 1, (double)t[k].t.count, NULL);
		}
	}

	row += 2;
	snprintf(line, sizeof line, MR_T(r, "Ratings (stars of %d)"), r->rating_scale);
	str(x, ws, row, 0, line, x->bold);
	static const char *const rh[] = { "By", "Rater", "Criterion", "Stars", "Comment" };
	row++;
	for (int k = 0; k < 5; k++)
		str(x, ws, row, k, MR_T(r, rh[k]), x->head);
	for (size_t i = 0; i < p->nratings; i++) {
		const mr_rating_row *g = &p->ratings[i];
		row++;
		str(x, ws, row, 0, mr_report_kind(r, g->kind), NULL);
		str(x, ws, row, 1, g->rater, NULL);
		str(x, ws, row, 2, mr_report_criterion_name(r, p, g->criterion), NULL);
		num(x, ws, row, 3, 1, g->stars, NULL);
		str(x, ws, row, 4, g->comment, x->wrap);
	}

	row += 2;
	row = result_rows(x, ws, row, p);
	row++;
	str(x, ws, row, 0, MR_T(x->r, "Final score over the cycles"), x->bold);
	row++;
	str(x, ws, row, 0, MR_T(x->r, "Period"), x->head);
	str(x, ws, row, 1, MR_T(x->r, "Final"), x->head);
	for (size_t i = 0; i < r->nhistory; i++) {
		row++;
		str(x, ws, row, 0, r->history[i], NULL);
		if (p->history[i].has)
			num(x, ws, row, 1, 1, p->history[i].final, x->score);
		else
			str(x, ws, row, 1, "-", NULL);
	}
}

/* Where the workbook is made: a memfd (fd >= 0, dir ""), else, without
 * memfd or /proc, a private temporary directory (fd -1). */
typedef struct book {
	int fd;
	char dir[256];
	char path[300];
} book;

static int book_open(book *b, mr_err *err)
{
	/* glibc names memfd_create only under _GNU_SOURCE; the system call is
	 * the same */
	b->fd = (int)syscall(SYS_memfd_create, "merit-report.xlsx", MFD_CLOEXEC);
	b->dir[0] = 0;
	if (b->fd >= 0) {
		snprintf(b->path, sizeof b->path, "/proc/self/fd/%d", b->fd);
		if (access(b->path, W_OK) == 0)
			return 0;
		close(b->fd);
		b->fd = -1;
	}
	if (mr_file_tempdir(b->dir, sizeof b->dir, "xlsx"))
		return mr_err_set(err, mr_err_errno(errno), "making a temporary directory for the "
		                  "workbook: %s", strerror(errno));
	snprintf(b->path, sizeof b->path, "%s/report.xlsx", b->dir);
	return 0;
}

/* Append the workbook's bytes to out. */
static int book_read(mr_buf *out, book *b, mr_err *err)
{
	int fd = b->fd >= 0 ? b->fd : open(b->path, O_RDONLY | O_CLOEXEC);
	char chunk[65536];
	ssize_t k = -1;
	off_t at = 0;
	while (fd >= 0 && (k = pread(fd, chunk, sizeof chunk, at)) > 0) {
		mr_buf_add(out, chunk, (size_t)k);
		at += k;
	}
	int e = errno;
	if (fd >= 0 && fd != b->fd)
		close(fd);
	if (k < 0)
		return mr_err_set(err, MR_EIO, "reading the workbook back: %s", strerror(e));
	return mr_buf_oom(out) ? mr_err_nomem(err) : 0;
}

static void book_close(book *b)
{
	if (b->fd >= 0)
		close(b->fd);
	if (b->dir[0]) {
		unlink(b->path);
		rmdir(b->dir);
	}
}

/* Is part i of the zip a whole XML document?  A part whose temporary
 * file could not be written comes out empty or cut short. */
static int part_whole(zip_t *z, zip_uint64_t i)
{
	zip_file_t *zf = zip_fopen_index(z, i, 0);
	XML_Parser xp = zf ? XML_ParserCreate(NULL) : NULL;
	char chunk[16384];
	zip_int64_t n = -1;
	int whole = xp != NULL;
	while (whole && (n = zip_fread(zf, chunk, sizeof chunk)) > 0)
		whole = XML_Parse(xp, chunk, (int)n, 0) == XML_STATUS_OK;
	whole = whole && n == 0 && XML_Parse(xp, NULL, 0, 1) == XML_STATUS_OK;
	if (xp)
		XML_ParserFree(xp);
	if (zf)
		zip_fclose(zf);
	return whole;
}

/* The workbook's part `part` came out cut: say why, as far as we can
 * tell (its temporary file is gone by now; what is left free is told). */
static int part_cut(const char *part, mr_err *err)
{
	const char *dir = getenv("TMPDIR");
	struct statvfs sv;
	if (!dir || !*dir)
		dir = P_tmpdir;
	if (statvfs(dir, &sv) != 0)
		return mr_err_set(err, MR_EIO, "making the workbook: its part %s came out cut short "
		                  "(libxlsxwriter's temporary files in %s: %s)", part, dir,
		                  strerror(errno));
	unsigned long long kib = (unsigned long long)sv.f_bavail * sv.f_frsize >> 10;
	if (kib < 1024 || sv.f_favail == 0)
		return mr_err_set(err, MR_EFULL, "making the workbook: libxlsxwriter's temporary "
		                  "files in %s: %s (%llu KiB free); its part %s came out cut short",
		                  dir, strerror(ENOSPC), kib, part);
	return mr_err_set(err, MR_EIO, "making the workbook: its part %s came out cut short "
	                  "(libxlsxwriter's temporary files in %s could not be written?)",
	                  part, dir);
}

static int ends_with(const char *s, const char *end)
{
	size_t a = strlen(s), b = strlen(end);
	return a >= b && memcmp(s + a - b, end, b) == 0;
}

/* Every XML part of the workbook in b whole. */
static int book_check(const mr_buf *b, mr_err *err)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(b->data, b->len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
	int rc = 0;
	if (!z) {
		if (src)
			zip_source_free(src);
		zip_error_fini(&ze);
		return part_cut("(the zip)", err);
	}
	zip_error_fini(&ze);
	zip_int64_t n = zip_get_num_entries(z, 0);
	for (zip_int64_t i = 0; i < n && !rc; i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
		if (name && (ends_with(name, ".xml") || ends_with(name, ".rels")) &&
		    !part_whole(z, (zip_uint64_t)i))
			rc = part_cut(name, err);
	}
	zip_discard(z);
	return rc;
}

int mr_report_xlsx(mr_buf *out, const mr_report *r, mr_err *err)
{
	xl x;
	book bk;
	int rc;
	memset(&x, 0, sizeof x);
	x.r = r;
	char (*used)[32] = calloc(r->npeople + 4, sizeof *used);
	if (!used)
		return mr_err_nomem(err);
	if ((rc = book_open(&bk, err))) {
		free(used);
		return rc;
	}
	x.wb = workbook_new(bk.path);
	if (!x.wb) {
		free(used);
		book_close(&bk);
		return mr_err_set(err, MR_ENOMEM, "making the workbook: out of memory");
	}	/* Deterministic: the document's date is the period's end, not now. */
	int y, mo, d;
	mr_day_to_civil(r->result->last, &y, &mo, &d);
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	char title[128];
	snprintf(title, sizeof title, MR_T(r, "Performance appraisal %s"), r->result->period);
	lxw_doc_properties props;
	memset(&props, 0, sizeof props);
	props.title = title;
	props.company = r->company;
	props.author = "merit";
	props.created = timegm(&tm);
	note(&x, workbook_set_properties(x.wb, &props));
	formats(&x);

	size_t nused = 0;
	const char *team_name = MR_T(r, "Team"), *sum_name = MR_T(r, "Summary");
	lxw_worksheet *team = workbook_add_worksheet(x.wb, team_name);
	lxw_worksheet *sum = workbook_add_worksheet(x.wb, sum_name);
	snprintf(used[nused++], 32, "%s", team_name);
	snprintf(used[nused++], 32, "%s", sum_name);
	snprintf(used[nused++], 32, "History");     /* reserved by Excel */
	if (!team || !sum)
		note(&x, LXW_ERROR_MEMORY_MALLOC_FAILED);
	else {
		int final_col = team_sheet(&x, team);
		summary_sheet(&x, sum, team_name, sum_name, final_col);
	}
	for (size_t i = 0; i < r->npeople && !x.err; i++) {
		char name[32];
		sheet_name(name, sizeof name, r->people[i].card->login, used, nused);
		snprintf(used[nused++], 32, "%s", name);
		lxw_worksheet *ws = workbook_add_worksheet(x.wb, name);
		if (!ws) {
			note(&x, LXW_ERROR_SHEETNAME_ALREADY_USED);
			break;
		}
		person_sheet(&x, ws, &r->people[i]);
	}
	/* libxlsxwriter formats the document's date with gmtime(), whose
	 * buffer is shared: one workbook at a time (the web writes several) */
	static pthread_mutex_t close_mu = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&close_mu);
	errno = 0;
	lxw_error e = workbook_close(x.wb);
	pthread_mutex_unlock(&close_mu);
	int e_no = errno;
	free(x.grade_fmt);
	free(used);
	if ((x.err ? x.err : e) == LXW_ERROR_MEMORY_MALLOC_FAILED)
		rc = mr_err_set(err, MR_ENOMEM, "making the workbook: out of memory");
	else if (x.err)
		rc = mr_err_set(err, MR_EIO, "making the workbook: %s", lxw_strerror(x.err));
	else if (e)     /* its temporary files could not be made, or the zip written */
		rc = mr_err_set(err, e_no ? mr_err_errno(e_no) : MR_EIO, "making the workbook: %s%s%s%s",
		                lxw_strerror(e), e_no ? " (" : "", e_no ? strerror(e_no) : "",
		                e_no ? ")" : "");
	else if (!(rc = book_read(out, &bk, err)))
		rc = book_check(out, err);
	book_close(&bk);
	return rc;
}

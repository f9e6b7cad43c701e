/* score_text.c — the appraisal for people at a terminal (aligned even
 * with Chinese names), and as CSV for spreadsheets. */
#include "report/score_text.h"

#include <math.h>
#include <wchar.h>

#include "report/report.h"
#include "util/num.h"
#include "util/text.h"

int mr_text_width(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int w = 0;
	size_t n = strlen(s);
	while (n) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			k = 1;
			w++;
		} else if (k == 0) {
			break;
		} else {
			int cw = wcwidth(wc);
			w += cw < 0 ? 1 : cw;
		}
		s += k;
		n -= k;
	}
	return w;
}

/* s padded to width; a control character an older database holds in a
 * name is escaped (util/text.h), never sent to the terminal */
static void pad(mr_buf *b, const char *s, int width)
{
	size_t at = b->len;
	mr_text_term(b, s);
	for (int w = mr_text_width(b->data + at); w < width; w++)
		mr_buf_putc(b, ' ');
}

/* s (NULL: nothing) escaped for the terminal: what a person typed (a
 * comment, a reason), a grade's name in an uploaded plan, a file's name */
static void term(mr_buf *b, const char *s)
{
	if (s)
		mr_text_term(b, s);
}

static void score_or_dash(mr_buf *b, int has, double v, int width)
{
	if (has)
		mr_buf_printf(b, "%*.2f", width, mr_round2(v));
	else
		mr_buf_printf(b, "%*s", width, "-");
}

static void value(char *out, size_t n, int has, double v)
{
	if (!has) {
		snprintf(out, n, "-");
		return;
	}
	double r = mr_round2(v);
	if (fabs(r) < 1e15 && r == floor(r))
		snprintf(out, n, "%.0f", r);
	else
		snprintf(out, n, "%.2f", r);
}

static void team_block(mr_buf *b, const mr_result *r)
{
	char d1[11], d2[11], a[32], t[32];
	mr_day_format(d1, r->first);
	mr_day_format(d2, r->last);
	mr_buf_printf(b, "Appraisal %s (%s to %s)", r->period, d1, d2);
	if (r->goal == MR_GOAL_NONE)
		mr_buf_printf(b, " — no operating goal is set\n");
	else
		mr_buf_printf(b, " — goal: %s\n", mr_goal_name(r->goal));
	if (!r->nteam)
		return;
	mr_buf_puts(b, "\nTeam indicators        actual       target    score\n");
	for (size_t i = 0; i < r->nteam; i++) {
		const mr_ind_score *s = &r->team[i];
		value(a, sizeof a, s->has_actual, s->actual);
		value(t, sizeof t, s->has_target, s->target);
		mr_buf_puts(b, "  ");
		pad(b, s->key, 18);
		mr_buf_printf(b, " %12s %12s ", a, t);
		score_or_dash(b, !s->missing, s->score, 8);
		mr_buf_putc(b, '\n');
	}
}

/* The ratings as given and the history of past closed cycles. */
static void card_tail(mr_buf *b, const mr_report *rep, const mr_report_person *rp)
{
	if (rp->nratings)
		mr_buf_puts(b, "\n  ratings (stars)\n");
	for (size_t i = 0; i < rp->nratings; i++) {
		const mr_rating_row *g = &rp->ratings[i];
		mr_buf_puts(b, "    ");
		pad(b, g->kind, 8);
		mr_buf_putc(b, ' ');
		pad(b, g->rater, 12);
		mr_buf_putc(b, ' ');
		pad(b, g->criterion, 14);
		mr_buf_printf(b, " %4.1f%s", g->stars, g->comment ? "  " : "");
		term(b, g->comment);
		mr_buf_putc(b, '\n');
	}
	if (rep->nhistory > 1) {
		mr_buf_puts(b, "\n  history");
		for (size_t i = 0; i < rep->nhistory; i++) {
			const mr_report_point *pt = &rp->history[i];
			if (pt->has)
			{
				mr_buf_printf(b, "  %s %.2f ", rep->history[i], mr_round2(pt->final));
				term(b, pt->grade);
			}
			else
				mr_buf_printf(b, "  %s -", rep->history[i]);
		}
		mr_buf_putc(b, '\n');
	}
}

/* What keeps a row from being complete: "no data for a, b; no manager
 * rating".  Empty when complete. */
static void incomplete_note(mr_buf *b, const mr_scorecard *c)
{
	if (c->complete || !c->scored)
		return;
	mr_buf_puts(b, "  incomplete:");
	if (c->missing)
		mr_buf_printf(b, " no data for %s%s", c->missing, c->left_out ? ";" : "");
	if (c->left_out)
		mr_buf_printf(b, " no rating: %s", c->left_out);
}

void mr_score_table(mr_buf *b, const mr_result *r)
{
	char money[32], cov[16];
	int wname = 4;
	team_block(b, r);
	for (size_t i = 0; i < r->npeople; i++) {
		int w = mr_text_width(r->people[i].name);
		if (w > wname)
			wname = w;
	}
	if (wname > 24)
		wname = 24;
	mr_buf_puts(b, "\n  # ");
	pad(b, "name", wname);
	mr_buf_puts(b, " login        position   cover");
	/* only the components the plan counts: a weight-0 score is not shown
	 * beside them as if it counted */
	for (int k = 0; k < MR_NCOMP; k++)
		if (r->weighs[k])
			mr_buf_printf(b, " %8s", mr_comp_name(k));
	mr_buf_puts(b, "    final grade        bonus\n");
	for (size_t i = 0; i < r->nscored; i++) {
		const mr_scorecard *c = &r->people[i];
		mr_buf_printf(b, "%3zu ", i + 1);
		pad(b, c->name, wname);
		mr_buf_putc(b, ' ');
		pad(b, c->login, 12);
		mr_buf_putc(b, ' ');
		pad(b, c->position, 10);
		snprintf(cov, sizeof cov, "%.0f%%", c->coverage);
		mr_buf_printf(b, " %5s", cov);
		for (int k = 0; k < MR_NCOMP; k++)
			if (r->weighs[k])
				score_or_dash(b, c->has[k] && c->counted[k], c->comp[k], 9);
		char grade[64];
		snprintf(grade, sizeof grade, "%s%s", c->grade ? c->grade : "-",
		         c->calibrated ? "^" : c->by_quota ? "*" : "");
		mr_buf_printf(b, " %8.2f ", c->final);
		pad(b, grade, 5);
		mr_money_format(money, c->bonus_cents);
		mr_buf_printf(b, " %12s", money);
		if (!c->complete)
			incomplete_note(b, c);
		else if (c->active_days < c->cycle_days)
			mr_buf_printf(b, "  (active %d of %d days)", c->active_days, c->cycle_days);
		mr_buf_putc(b, '\n');
	}
	if (!r->npeople)
		mr_buf_puts(b, "  nobody was active in this period\n");
	else if (!r->nscored)
		mr_buf_puts(b, "  nobody could be scored (see below)\n");
	int quota = 0, calibrated = 0;
	for (size_t i = 0; i < r->nscored; i++) {
		quota |= r->people[i].by_quota;
		calibrated |= r->people[i].calibrated;
	}
	if (quota)
		mr_buf_puts(b, "  * grade held down by the plan's forced distribution (its quota "
		               "for the higher grade is full)\n");
	if (calibrated)
		mr_buf_puts(b, "  ^ grade calibrated by hand (see the scorecard for the reason)\n");
	if (r->nscored < r->npeople) {
		mr_buf_printf(b, "\nNot scored (%zu): no final score, grade or bonus, and not counted "
		              "in the quotas\n", r->npeople - r->nscored);
		for (size_t i = r->nscored; i < r->npeople; i++) {
			const mr_scorecard *c = &r->people[i];
			mr_buf_puts(b, "    ");
			pad(b, c->name, wname);
			mr_buf_putc(b, ' ');
			pad(b, c->login, 12);
			mr_buf_putc(b, ' ');
			pad(b, c->position, 10);
			mr_buf_printf(b, " %s\n", c->not_scored ? c->not_scored : "");
		}
	}
	mr_money_format(money, r->bonus_total_cents);
	mr_buf_printf(b, "\nbonus total %s\n", money);
}

int mr_explain_make(mr_explain *e, const mr_plan *p, const mr_scorecard *c)
{
	memset(e, 0, sizeof *e);
	e->card = c;
	if (!(e->part = calloc(c->nind ? c->nind : 1, sizeof *e->part)))
		return MR_ENOMEM;
	for (size_t i = 0; i < c->nind; i++)
		if (c->ind[i].scored)
			e->kpi_weight += c->ind[i].weight;
	for (size_t i = 0; i < c->nind; i++)
		if (c->ind[i].scored && e->kpi_weight > 0)
			e->part[i] = c->ind[i].weight / e->kpi_weight * c->ind[i].score;
	e->formula = p->formula;
	for (int k = 0; k < MR_NCOMP && !p->formula; k++)
		if (c->counted[k] && p->blend[k] > 0) {
			e->blend[k] = p->blend[k];
			e->blend_total += p->blend[k];
		}
	for (int k = 0; k < MR_NCOMP && e->blend_total > 0; k++)
		e->blend_part[k] = e->blend[k] / e->blend_total * c->comp[k];
	e->graded = c->scored && c->grade && p->ngrades;
	if (e->graded) {
		e->band = mr_grade_band(p, c->final);
		e->grade = e->band;
		for (size_t g = 0; g < p->ngrades; g++)
			if (strcmp(p->grades[g].grade, c->grade) == 0)
				e->grade = g;
		e->has_base = c->has_base;
		e->base_cents = c->base_bonus_cents;
		e->raw_cents = mr_bonus_raw(c->base_bonus_cents, p->grades[e->grade].coef);
		e->pool = p->has_bonus_pool;
		e->pool_cents = p->bonus_pool_cents;
	}
	return 0;
}

void mr_explain_release(mr_explain *e)
{
	free(e->part);
	memset(e, 0, sizeof *e);
}

/* "How the final is made": the explanation's numbers (mr_explain). */
static void explain_text(mr_buf *b, const mr_plan *p, const mr_scorecard *c)
{
	mr_explain e;
	char money[32], base[32], coef[32];
	if (mr_explain_make(&e, p, c)) {
		mr_buf_puts(b, "  (the explanation could not be made: out of memory)\n");
		return;
	}
	mr_buf_puts(b, "\n  how the final is made\n");
	if (e.kpi_weight > 0) {
		mr_buf_printf(b, "    kpi %.2f = the counted indicators' weight %g%% shared by score:\n",
		              mr_round2(c->comp[MR_COMP_KPI]), e.kpi_weight);
		for (size_t i = 0; i < c->nind; i++) {
			if (!c->ind[i].scored)
				continue;
			mr_buf_puts(b, "      ");
			pad(b, c->ind[i].key, 20);
			mr_buf_printf(b, " %g/%g x %.2f = %.2f\n", c->ind[i].weight, e.kpi_weight,
			              mr_round2(c->ind[i].score), mr_round2(e.part[i]));
		}
	}
	if (e.formula) {
		mr_buf_puts(b, "    final = ");
		term(b, e.formula);
		mr_buf_printf(b, " = %.2f (the plan's formula)\n", c->final);
	} else if (e.blend_total > 0) {
		mr_buf_puts(b, "    final =");
		int first = 1;
		for (int k = 0; k < MR_NCOMP; k++) {
			if (!e.blend[k])
				continue;
			mr_buf_printf(b, "%s %s %g/%g x %.2f", first ? "" : " +", mr_comp_name(k),
			              e.blend[k], e.blend_total, mr_round2(c->comp[k]));
			first = 0;
		}
		mr_buf_printf(b, " = %.2f (the blend, over the components rated)\n", c->final);
	}
	if (e.graded) {
		mr_buf_puts(b, "    grades:");
		for (size_t g = 0; g < p->ngrades; g++) {
			mr_fixed_format(coef, p->grades[g].coef, MR_COEF_SCALE, 0);
			mr_buf_printf(b, "%s ", g ? "," : "");
			term(b, p->grades[g].grade);
			mr_buf_printf(b, " >= %g (x%s)", p->grades[g].min, coef);
		}
		mr_buf_printf(b, "\n    %.2f reaches ", c->final);
		term(b, p->grades[e.band].grade);
		if (c->calibrated) {
			mr_buf_puts(b, "; calibrated to ");
			term(b, c->grade);
		} else if (c->by_quota) {
			mr_buf_puts(b, "; held down to ");
			term(b, c->grade);
			mr_buf_puts(b, " by the forced distribution (the quota above is full)");
		}
		mr_buf_putc(b, '\n');
		mr_money_format(money, c->bonus_cents);
		mr_fixed_format(coef, p->grades[e.grade].coef, MR_COEF_SCALE, 0);
		if (e.has_base) {
			mr_money_format(base, e.base_cents);
			mr_buf_printf(b, "    bonus: base %s x %s = ", base, coef);
			mr_money_format(base, e.raw_cents);
			mr_buf_puts(b, base);
			if (e.pool) {
				mr_money_format(base, e.pool_cents);
				mr_buf_printf(b, ", a share of the pool %s: %s\n", base, money);
			} else {
				mr_buf_putc(b, '\n');
			}
		}
	}
	mr_explain_release(&e);
}

void mr_score_card(mr_buf *b, const mr_report *rep, const mr_plan *plan)
{
	char money[32], a[32], g[32];
	const mr_result *r = rep->result;
	const mr_report_person *rp = &rep->people[0];
	const mr_scorecard *c = rp->card;
	team_block(b, r);
	mr_buf_putc(b, '\n');
	mr_text_term(b, c->name);
	mr_buf_puts(b, " (");
	term(b, c->login);
	mr_buf_puts(b, "), ");
	term(b, c->position);
	if (c->active_days < c->cycle_days)
		mr_buf_printf(b, ", active %d of %d days (sum targets pro-rated)", c->active_days,
		              c->cycle_days);
	mr_buf_printf(b, "\nKPI coverage %.2f%% (the share of the KPI weight with data)\n",
	              mr_round2(c->coverage));
	mr_buf_puts(b, "\n  indicator            weight  rule        actual       target    score  data\n");
	for (size_t i = 0; i < c->nind; i++) {
		const mr_ind_score *s = &c->ind[i];
		value(a, sizeof a, s->has_actual, s->actual);
		value(g, sizeof g, s->has_target, s->target);
		mr_buf_puts(b, "  ");
		pad(b, s->key, 20);
		mr_buf_printf(b, " %5g%%  %-6s %12s %12s ", s->weight, mr_rule_name(s->rule), a, g);
		score_or_dash(b, !s->missing || s->scored, s->score, 8);
		if (s->missing)
			mr_buf_printf(b, "  no data%s", s->scored ? " (scored 0)" : " (left out)");
		else
			mr_buf_printf(b, "  %ld measurement%s%s", s->measurements,
			              s->measurements == 1 ? "" : "s", s->team ? " (team)" : "");
		mr_buf_putc(b, '\n');
		size_t nt;
		const mr_subject_trace *st = mr_report_traces(rep, rp, s, &nt);
		for (size_t k = 0; k < nt; k++) {
			const mr_trace *t = &st[k].t;
			mr_buf_printf(b, "      from batch %lld, ", (long long)t->batch);
			term(b, t->source);
			mr_buf_putc(b, ' ');
			term(b, t->file);
			if (t->first_line > 0)
				mr_buf_printf(b, " lines %ld-%ld", t->first_line, t->last_line);
			mr_buf_printf(b, ": %ld measurement%s", t->count, t->count == 1 ? "" : "s");
			if (t->how) {
				mr_buf how;
				mr_buf_init(&how);
				mr_report_how(rep, t->how, &how);
				if (how.len) {
					mr_buf_puts(b, "; measured by ");
					term(b, how.data);
				}
				mr_buf_release(&how);
			}
			mr_buf_putc(b, '\n');
		}
	}
	mr_buf_puts(b, "\n ");
	for (int k = 0; k < MR_NCOMP; k++) {
		if (!r->weighs[k])
			continue;
		mr_buf_printf(b, " %s ", mr_comp_name(k));
		if (c->has[k])
			mr_buf_printf(b, "%.2f", mr_round2(c->comp[k]));
		else
			mr_buf_puts(b, "-");
	}
	int shown = 0;
	for (int k = 0; k < MR_NCOMP; k++) {
		if (r->weighs[k] || !c->has[k])
			continue;
		mr_buf_printf(b, "%s%s %.2f", shown++ ? ", " : "   (not counted, weight 0: ",
		              mr_comp_name(k), mr_round2(c->comp[k]));
	}
	if (shown)
		mr_buf_putc(b, ')');
	mr_money_format(money, c->bonus_cents);
	if (!c->scored) {
		mr_buf_printf(b, "\n  NOT SCORED: %s\n  no final score, grade or bonus\n",
		              c->not_scored ? c->not_scored : "");
		card_tail(b, rep, rp);
		return;
	}
	mr_buf_printf(b, "\n  final %.2f  grade ", c->final);
	term(b, c->grade ? c->grade : "-");
	mr_buf_printf(b, "%s  bonus %s\n", c->calibrated ? " (calibrated)" :
	              c->by_quota ? " (held down by the forced distribution)" : "", money);
	if (c->calibrated) {
		mr_buf_puts(b, "  calibration: ");
		term(b, c->calibration);
		mr_buf_putc(b, '\n');
	}
	if (c->left_out)
		mr_buf_printf(b, "  not rated yet, so left out: %s\n", c->left_out);
	if (!c->complete)
		mr_buf_printf(b, "  INCOMPLETE:%s%s%s%s\n", c->missing ? " no data for " : "",
		              c->missing ? c->missing : "", c->left_out ? (c->missing ? ";" : "") : "",
		              c->left_out ? " a weighted rating is missing" : "");
	explain_text(b, plan, c);
	card_tail(b, rep, rp);
}

void mr_score_csv(mr_buf *b, const mr_result *r, const char *who)
{
	char money[32];
	mr_buf_puts(b, "period,rank,login,name,position,coverage,kpi_score,manager_score,"
	               "self_score,peer_score,upward_score,final_score,grade,calibrated,bonus,"
	               "complete,scored,missing,left_out,not_counted,not_scored_reason,calibration_reason\n");
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_scorecard *c = &r->people[i];
		if (who && strcmp(who, c->login) != 0)
			continue;
		mr_text_csv(b, r->period);
		if (c->scored)
			mr_buf_printf(b, ",%zu,", i + 1);
		else
			mr_buf_puts(b, ",,");
		mr_text_csv(b, c->login);
		mr_buf_putc(b, ',');
		mr_text_csv(b, c->name);
		mr_buf_putc(b, ',');
		mr_text_csv(b, c->position);
		mr_buf_printf(b, ",%.2f", mr_round2(c->coverage));
		mr_buf nc;
		mr_buf_init(&nc);
		for (int k = 0; k < MR_NCOMP; k++) {
			mr_buf_putc(b, ',');
			if (c->has[k])
				mr_buf_printf(b, "%.2f", mr_round2(c->comp[k]));
			if (c->has[k] && !c->counted[k])
				mr_buf_printf(&nc, "%s%s", nc.len ? " " : "", mr_comp_name(k));
		}
		mr_money_format(money, c->bonus_cents);
		if (c->scored)
			mr_buf_printf(b, ",%.2f,", c->final);
		else
			mr_buf_puts(b, ",,");
		/* not scored: no final score, grade or bonus — empty, never a 0 */
		mr_text_csv(b, c->grade ? c->grade : "");   /* a plan's grade is any text */
		mr_buf_printf(b, ",%s,%s,%s,%s,",
		              c->calibrated ? "yes" : "no", c->scored ? money : "",
		              c->complete ? "yes" : "no", c->scored ? "yes" : "no");
		mr_text_csv(b, c->missing ? c->missing : "");
		mr_buf_putc(b, ',');
		mr_text_csv(b, c->left_out ? c->left_out : "");
		mr_buf_putc(b, ',');
		mr_text_csv(b, nc.data ? nc.data : "");
		mr_buf_putc(b, ',');
		mr_text_csv(b, c->not_scored ? c->not_scored : "");
		mr_buf_putc(b, ',');
		mr_text_csv(b, c->calibration ? c->calibration : "");
		mr_buf_putc(b, '\n');
		mr_buf_release(&nc);
	}
}

/* score_text.c — the appraisal for people at a terminal (aligned even
 * with Chinese names), and as CSV for spreadsheets. */
#include "report/score_text.h"

#include <math.h>
#include <wchar.h>

#include "util/num.h"

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

static void pad(mr_buf *b, const char *s, int width)
{
	mr_buf_puts(b, s);
	for (int w = mr_text_width(s); w < width; w++)
		mr_buf_putc(b, ' ');
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

void mr_score_table(mr_buf *b, const mr_result *r)
{
	char money[32];
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
	mr_buf_puts(b, " login        position       kpi  manager     self     peer    final grade        bonus\n");
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_scorecard *c = &r->people[i];
		mr_buf_printf(b, "%3zu ", i + 1);
		pad(b, c->name, wname);
		mr_buf_putc(b, ' ');
		pad(b, c->login, 12);
		mr_buf_putc(b, ' ');
		pad(b, c->position, 10);
		for (int k = 0; k < MR_NCOMP; k++)
			score_or_dash(b, c->has[k], c->comp[k], 9);
		char grade[16];
		snprintf(grade, sizeof grade, "%s%s", c->grade ? c->grade : "-", c->by_quota ? "*" : "");
		mr_buf_printf(b, " %8.2f %-5s", c->final, grade);
		mr_money_format(money, c->bonus_cents);
		mr_buf_printf(b, " %12s", money);
		if (!c->complete)
			mr_buf_printf(b, "  incomplete: missing %s", c->missing ? c->missing : "data");
		else if (c->active_days < c->cycle_days)
			mr_buf_printf(b, "  (active %d of %d days)", c->active_days, c->cycle_days);
		mr_buf_putc(b, '\n');
	}
	if (!r->npeople)
		mr_buf_puts(b, "  nobody was active in this period\n");
	for (size_t i = 0; i < r->npeople; i++)
		if (r->people[i].by_quota) {
			mr_buf_puts(b, "  * grade held down by the plan's forced distribution (its quota "
			               "for the higher grade is full)\n");
			break;
		}
	mr_money_format(money, r->bonus_total_cents);
	mr_buf_printf(b, "\nbonus total %s\n", money);
}

void mr_score_card(mr_buf *b, const mr_result *r, const mr_scorecard *c,
                   const mr_trace *t, size_t nt)
{
	char money[32], a[32], g[32];
	team_block(b, r);
	mr_buf_printf(b, "\n%s (%s), %s", c->name, c->login, c->position);
	if (c->active_days < c->cycle_days)
		mr_buf_printf(b, ", active %d of %d days (sum targets pro-rated)", c->active_days,
		              c->cycle_days);
	mr_buf_puts(b, "\n\n  indicator            weight  rule        actual       target    score  data\n");
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
		for (size_t k = 0; k < nt; k++) {
			if (strcmp(t[k].indicator, s->key) != 0)
				continue;
			mr_buf_printf(b, "      from batch %lld, %s %s", (long long)t[k].batch,
			              t[k].source, t[k].file);
			if (t[k].first_line > 0)
				mr_buf_printf(b, " lines %ld-%ld", t[k].first_line, t[k].last_line);
			mr_buf_printf(b, ": %ld measurement%s\n", t[k].count, t[k].count == 1 ? "" : "s");
		}
	}
	static const char *const comp[MR_NCOMP] = { "kpi", "manager", "self", "peer" };
	mr_buf_puts(b, "\n ");
	for (int k = 0; k < MR_NCOMP; k++) {
		mr_buf_printf(b, " %s ", comp[k]);
		if (c->has[k])
			mr_buf_printf(b, "%.2f", mr_round2(c->comp[k]));
		else
			mr_buf_puts(b, "-");
	}
	mr_money_format(money, c->bonus_cents);
	mr_buf_printf(b, "\n  final %.2f  grade %s%s  bonus %s\n", c->final,
	              c->grade ? c->grade : "-",
	              c->by_quota ? " (held down by the forced distribution)" : "", money);
	if (c->left_out)
		mr_buf_printf(b, "  left out (no data): %s\n", c->left_out);
	if (!c->complete)
		mr_buf_printf(b, "  INCOMPLETE: missing %s\n", c->missing ? c->missing : "data");
}

static void csv_field(mr_buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		mr_buf_puts(b, s);
		return;
	}
	mr_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			mr_buf_putc(b, '"');
		mr_buf_putc(b, *s);
	}
	mr_buf_putc(b, '"');
}

void mr_score_csv(mr_buf *b, const mr_result *r, const char *who)
{
	char money[32];
	mr_buf_puts(b, "period,rank,login,name,position,kpi_score,manager_score,self_score,"
	               "peer_score,final_score,grade,bonus,complete,missing\n");
	for (size_t i = 0; i < r->npeople; i++) {
		const mr_scorecard *c = &r->people[i];
		if (who && strcmp(who, c->login) != 0)
			continue;
		csv_field(b, r->period);
		mr_buf_printf(b, ",%zu,", i + 1);
		csv_field(b, c->login);
		mr_buf_putc(b, ',');
		csv_field(b, c->name);
		mr_buf_putc(b, ',');
		csv_field(b, c->position);
		for (int k = 0; k < MR_NCOMP; k++) {
			mr_buf_putc(b, ',');
			if (c->has[k])
				mr_buf_printf(b, "%.2f", mr_round2(c->comp[k]));
		}
		mr_money_format(money, c->bonus_cents);
		mr_buf_printf(b, ",%.2f,%s,%s,%s,", c->final, c->grade ? c->grade : "", money,
		              c->complete ? "yes" : "no");
		csv_field(b, c->missing ? c->missing : "");
		mr_buf_putc(b, '\n');
	}
}

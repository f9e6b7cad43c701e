/* plan_write.c — emit a plan as the YAML file of SPEC section 3.
 *
 * Written by hand rather than through libyaml's emitter so the layout is
 * ours and fixed: flow mappings `- {key: …}` for list items, one position
 * per block, comments that say what each key means.  Numbers are printed
 * in the shortest form that reads back exactly, amounts as cents, so an
 * export read back and exported again is byte-identical.  Text is left
 * plain when YAML reads it back as the same text, else double-quoted with
 * escapes; UTF-8 (Chinese names, say) is written as it is.
 */
#include "report/plan_write.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/num.h"

#define COMMENT_COL 28      /* where end-of-line comments start */

/* ---- text ---- */

/* Decode one UTF-8 character at s; invalid bytes become U+FFFD. */
static uint32_t utf8_next(const unsigned char **sp)
{
	const unsigned char *s = *sp;
	uint32_t c = s[0];
	int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
	      : (c & 0xF8) == 0xF0 ? 3 : -1;
	if (n < 0) {
		*sp = s + 1;
		return 0xFFFD;
	}
	if (n > 0)
		c &= 0x3F >> n;
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*sp = s + 1;
			return 0xFFFD;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	static const uint32_t least[] = { 0, 0x80, 0x800, 0x10000 };
	if (c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*sp = s + 1;
		return 0xFFFD;
	}
	*sp = s + n + 1;
	return c;
}

/* Characters YAML takes as they are inside any scalar.  Line separators
 * (NEL, LS, PS) and the byte-order mark are left out: YAML treats them
 * specially. */
static int printable(uint32_t c)
{
	return (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF && c != 0x2028 &&
	       c != 0x2029) || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF) ||
	       (c >= 0x10000 && c <= 0x10FFFF);
}

static int ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char ca = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		if (ca != *b)
			return 0;
	}
	return *a == *b;
}

/* Whether s must be quoted to read back as the same text, in a flow
 * mapping: empty, words YAML reads as null or booleans, anything that
 * starts like a number or an indicator, contains YAML punctuation, or
 * has characters that need an escape. */
static int needs_quotes(const char *s)
{
	static const char *const words[] = { "null", "true", "false", "yes", "no", "on",
	                                     "off", "y", "n" };
	size_t len = strlen(s);
	if (len == 0 || s[0] == ' ' || s[len - 1] == ' ')
		return 1;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (ieq(s, words[i]))
			return 1;
	if (strchr("-?:,[]{}#&*!|>'\"%@`~.+=", s[0]) || (s[0] >= '0' && s[0] <= '9'))
		return 1;
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		const unsigned char *start = u;
		if (strchr(":#,[]{}\"\\", *u))
			return 1;
		uint32_t c = utf8_next(&u);
		/* invalid UTF-8 comes back as U+FFFD from a single byte */
		if (!printable(c) || (c == 0xFFFD && u - start != 3))
			return 1;
	}
	return 0;
}

static void put_quoted(mr_buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	mr_buf_putc(b, '"');
	while (*u) {
		const unsigned char *start = u;
		uint32_t c = utf8_next(&u);
		if (c == '"')
			mr_buf_puts(b, "\\\"");
		else if (c == '\\')
			mr_buf_puts(b, "\\\\");
		else if (c == '\n')
			mr_buf_puts(b, "\\n");
		else if (c == '\t')
			mr_buf_puts(b, "\\t");
		else if (c == '\r')
			mr_buf_puts(b, "\\r");
		else if (c == 0x85)
			mr_buf_puts(b, "\\N");
		else if (c == 0x2028)
			mr_buf_puts(b, "\\L");
		else if (c == 0x2029)
			mr_buf_puts(b, "\\P");
		else if (printable(c) && c != 0xFFFD)
			mr_buf_add(b, start, (size_t)(u - start));
		else if (c == 0xFFFD)
			mr_buf_puts(b, "\xEF\xBF\xBD");
		else if (c < 0x100)
			mr_buf_printf(b, "\\x%02X", (unsigned)c);
		else if (c < 0x10000)
			mr_buf_printf(b, "\\u%04X", (unsigned)c);
		else
			mr_buf_printf(b, "\\U%08X", (unsigned)c);
	}
	mr_buf_putc(b, '"');
}

static void put_str(mr_buf *b, const char *s)
{
	if (!s)
		s = "";
	if (needs_quotes(s))
		put_quoted(b, s);
	else
		mr_buf_puts(b, s);
}

/* mr_num_format's shortest form, but without an exponent for numbers
 * people write by hand: "70", not "7e+01".  Both read back exactly. */
static void put_num(mr_buf *b, double v)
{
	char t[32];
	mr_num_format(t, v);
	if (strchr(t, 'e') && fabs(v) >= 1e-4 && fabs(v) < 1e15) {
		for (int d = 0; d <= 17; d++) {
			snprintf(t, sizeof t, "%.*f", d, v);
			if (strtod(t, NULL) == v)
				break;
		}
		if (strtod(t, NULL) != v)
			mr_num_format(t, v);
	}
	mr_buf_puts(b, t);
}

static void put_money(mr_buf *b, int64_t cents)
{
	char t[32];
	mr_money_format(t, cents);
	mr_buf_puts(b, t);
}

/* End the line begun at `line_start` with a comment at COMMENT_COL. */
static void comment(mr_buf *b, size_t line_start, const char *text)
{
	size_t width = 0;
	for (size_t i = line_start; i < b->len; i++)
		if (((unsigned char)b->data[i] & 0xC0) != 0x80)
			width++;
	if (width >= COMMENT_COL - 1)
		width = COMMENT_COL - 3;     /* past the column: three spaces */
	do
		mr_buf_putc(b, ' ');
	while (++width < COMMENT_COL);
	mr_buf_puts(b, "# ");
	mr_buf_puts(b, text);
}

/* ---- sections ---- */

static void write_top(mr_buf *b, const mr_plan *p)
{
	size_t at = b->len;
	if (p->company) {
		mr_buf_puts(b, "company: ");
		put_quoted(b, p->company);
		comment(b, at, "the organisation's name, on reports");
		mr_buf_putc(b, '\n');
		at = b->len;
	}
	if (p->has_locale) {
		mr_buf_printf(b, "locale: %s", mr_locale_name(p->locale));
		comment(b, at, "en | zh-CN: the language of reports");
		mr_buf_putc(b, '\n');
		at = b->len;
	}
	if (p->currency) {
		mr_buf_printf(b, "currency: %s", p->currency);
		comment(b, at, "ISO 4217; order rows in another currency are refused");
		mr_buf_putc(b, '\n');
		at = b->len;
	}
	mr_buf_printf(b, "goal: %s", mr_goal_name(p->goal));
	comment(b, at, "brand | platform | sales | none");
	at = b->len + 1;
	mr_buf_printf(b, "\nperiod: %s", mr_period_kind_name(p->period));
	comment(b, at, "month | quarter | half | year");
	at = b->len + 1;
	mr_buf_printf(b, "\nmissing: %s", mr_missing_name(p->missing));
	comment(b, at, "skip | zero | require: data missing for an indicator");
	at = b->len + 1;
	mr_buf_puts(b, "\nmin_coverage: ");
	put_num(b, p->min_coverage);
	comment(b, at, "percent of KPI weight with data needed to be scored (under skip)");
	at = b->len + 1;
	mr_buf_printf(b, "\npeers: %s", mr_peers_name(p->peers));
	comment(b, at, "nominated (by the manager, up to 5) | open (anyone)");
	at = b->len + 1;
	mr_buf_printf(b, "\nrating_scale: %d", p->rating_scale);
	comment(b, at, "ratings are 1..rating_scale stars, halves allowed");
	at = b->len + 1;
	mr_buf_puts(b, "\nblend: {");
	for (int i = 0; i < MR_NCOMP; i++) {
		mr_buf_printf(b, "%s%s: ", i ? ", " : "", mr_comp_name(i));
		put_num(b, p->blend[i]);
	}
	mr_buf_putc(b, '}');
	comment(b, at, p->formula ? "percent; the formula replaces it" : "percent, total 100");
	mr_buf_putc(b, '\n');
	if (p->formula) {
		mr_buf_puts(b, "formula: ");
		put_quoted(b, p->formula);
		mr_buf_puts(b, "   # over kpi, manager, self, peer, upward and indicator keys\n");
	} else {
		mr_buf_puts(b, "# formula: \"(kpi + self + peer) / 3\"   # optional, replaces blend\n");
	}
}

static void write_criterion_items(mr_buf *b, const mr_criterion *list, size_t n,
                                  const char *indent)
{
	for (size_t i = 0; i < n; i++) {
		const mr_criterion *c = &list[i];
		mr_buf_printf(b, "%s- {key: ", indent);
		put_str(b, c->key);
		if (c->name) {
			mr_buf_puts(b, ", name: ");
			put_str(b, c->name);
		}
		mr_buf_puts(b, ", weight: ");
		put_num(b, c->weight);
		mr_buf_puts(b, "}\n");
	}
}

static void write_criteria_grades(mr_buf *b, const mr_plan *p)
{
	size_t at = b->len;
	mr_buf_puts(b, p->ncriteria ? "criteria:" : "criteria: []");
	comment(b, at, "what raters rate; weights total 100");
	mr_buf_putc(b, '\n');
	write_criterion_items(b, p->criteria, p->ncriteria, "  ");
	at = b->len;
	mr_buf_puts(b, p->ngrades ? "grades:" : "grades: []");
	comment(b, at, "highest first; bonus = coefficient of the base bonus");
	mr_buf_putc(b, '\n');
	for (size_t i = 0; i < p->ngrades; i++) {
		const mr_grade *g = &p->grades[i];
		char coef[40];
		mr_fixed_format(coef, g->coef, MR_COEF_SCALE, 1);
		mr_buf_puts(b, "  - {grade: ");
		put_str(b, g->grade);
		mr_buf_puts(b, ", min: ");
		put_num(b, g->min);
		mr_buf_printf(b, ", bonus: %s}\n", coef);
	}
	if (p->nquotas) {
		at = b->len;
		mr_buf_puts(b, "distribution: {");
		for (size_t i = 0; i < p->nquotas; i++) {
			if (i)
				mr_buf_puts(b, ", ");
			put_str(b, p->quotas[i].grade);
			mr_buf_puts(b, ": ");
			put_num(b, p->quotas[i].pct);
		}
		mr_buf_putc(b, '}');
		comment(b, at, "at most this percent of the people scored");
		mr_buf_putc(b, '\n');
	} else {
		mr_buf_puts(b, "# distribution: {S: 10, A: 20}   # optional quotas, percent of the "
		            "people scored\n");
	}
	if (p->has_bonus_pool) {
		at = b->len;
		mr_buf_puts(b, "bonus_pool: ");
		put_money(b, p->bonus_pool_cents);
		comment(b, at, "bonuses are shared out of this amount");
		mr_buf_putc(b, '\n');
	} else {
		mr_buf_puts(b, "# bonus_pool: 50000.00         # optional: share bonuses out of it\n");
	}
}

static void write_indicators(mr_buf *b, const mr_plan *p)
{
	size_t at = b->len;
	mr_buf_puts(b, p->nindicators ? "indicators:" : "indicators: []");
	comment(b, at, "every indicator the positions use");
	mr_buf_putc(b, '\n');
	for (size_t i = 0; i < p->nindicators; i++) {
		const mr_indicator *in = &p->indicators[i];
		mr_buf_puts(b, "  - {key: ");
		put_str(b, in->key);
		if (in->name) {
			mr_buf_puts(b, ", name: ");
			put_str(b, in->name);
		}
		mr_buf_printf(b, ", unit: %s,\n     direction: %s, aggregate: %s",
		              mr_unit_name(in->unit), mr_direction_name(in->direction),
		              mr_aggregate_name(in->aggregate));
		if (in->source) {
			mr_buf_puts(b, ", source: ");
			put_str(b, in->source);
		}
		mr_buf_puts(b, "}\n");
	}
}

static void write_kpi(mr_buf *b, const mr_kpi *k)
{
	mr_buf_puts(b, "      - {indicator: ");
	put_str(b, k->indicator);
	if (k->team)
		mr_buf_puts(b, ", scope: team");
	mr_buf_puts(b, ", weight: ");
	put_num(b, k->weight);
	mr_buf_printf(b, ", rule: %s", mr_rule_name(k->rule));
	if (k->has_target) {
		mr_buf_puts(b, ", target: ");
		put_num(b, k->target);
	}
	if (k->has_threshold) {
		mr_buf_puts(b, ", threshold: ");
		put_num(b, k->threshold);
	}
	if (k->has_cap) {
		mr_buf_puts(b, ", cap: ");
		put_num(b, k->cap);
	}
	if (k->nbands) {
		mr_buf_puts(b, ", bands: [");
		for (size_t i = 0; i < k->nbands; i++) {
			mr_buf_puts(b, i ? ", [" : "[");
			put_num(b, k->bands[i].bound);
			mr_buf_puts(b, ", ");
			put_num(b, k->bands[i].points);
			mr_buf_putc(b, ']');
		}
		mr_buf_putc(b, ']');
	}
	mr_buf_puts(b, "}\n");
}

static void write_positions(mr_buf *b, const mr_plan *p)
{
	mr_buf_puts(b, p->npositions ? "positions:\n" : "positions: []\n");
	for (size_t i = 0; i < p->npositions; i++) {
		const mr_position *pos = &p->positions[i];
		mr_buf_puts(b, "  - key: ");
		put_str(b, pos->key);
		if (pos->name) {
			mr_buf_puts(b, "\n    name: ");
			put_str(b, pos->name);
		}
		if (pos->stage) {
			mr_buf_puts(b, "\n    stage: ");
			put_str(b, pos->stage);
		}
		if (pos->duties) {
			mr_buf_puts(b, "\n    duties: ");
			put_str(b, pos->duties);
		}
		if (pos->has_base_bonus) {
			mr_buf_puts(b, "\n    base_bonus: ");
			put_money(b, pos->base_bonus_cents);
		}
		size_t at = b->len + 1;
		if (pos->has_criteria) {
			mr_buf_puts(b, pos->ncriteria ? "\n    criteria:" : "\n    criteria: []");
			comment(b, at, "this position's, replacing the plan's; weights total 100");
			mr_buf_putc(b, '\n');
			write_criterion_items(b, pos->criteria, pos->ncriteria, "      ");
			at = b->len;
		} else {
			mr_buf_putc(b, '\n');
		}
		mr_buf_puts(b, pos->nkpis ? "    kpis:" : "    kpis: []");
		comment(b, at, "weights total 100");
		mr_buf_putc(b, '\n');
		for (size_t j = 0; j < pos->nkpis; j++)
			write_kpi(b, &pos->kpis[j]);
	}
}

static void write_overrides(mr_buf *b, const mr_plan *p)
{
	if (!p->noverrides) {
		mr_buf_puts(b, "# overrides:                  # per-person targets, e.g.\n"
		               "#   - {login: lina, indicator: promo_posts, target: 30}\n");
		return;
	}
	size_t at = b->len;
	mr_buf_puts(b, "overrides:");
	comment(b, at, "per-person targets");
	mr_buf_putc(b, '\n');
	for (size_t i = 0; i < p->noverrides; i++) {
		const mr_override *o = &p->overrides[i];
		mr_buf_puts(b, "  - {login: ");
		put_str(b, o->login);
		mr_buf_puts(b, ", indicator: ");
		put_str(b, o->indicator);
		if (o->has_target) {
			mr_buf_puts(b, ", target: ");
			put_num(b, o->target);
		}
		if (o->has_threshold) {
			mr_buf_puts(b, ", threshold: ");
			put_num(b, o->threshold);
		}
		mr_buf_puts(b, "}\n");
	}
}

void mr_plan_write(mr_buf *out, const mr_plan *p)
{
	mr_buf_puts(out,
		"# merit plan: the appraisal scheme (indicators, weights, targets, grades,\n"
		"# bonus).  Edit it, then load it with `merit plan import FILE`; problems\n"
		"# are reported with their line and column.  The file is kept as written,\n"
		"# comments included.\n");
	write_top(out, p);
	write_criteria_grades(out, p);
	write_indicators(out, p);
	write_positions(out, p);
	write_overrides(out, p);
}

/* import_date.c — the dates exports write, read into days.
 *
 * ISO (2026-11-03), numbers with the day or the month first (03/11/2026,
 * 11/03/2026: the import's --date-order, or the file's own evidence, a
 * first number over 12 or a second one over 12, decides; both 12 or under
 * is ambiguous until then), a month's name in English, Spanish or Chinese
 * (16/Feb/17, 15/ene/26, 15/十一月/26, 3 Nov 2026, Nov 3, 2026,
 * 03-11月-26), and 2026年11月3日.  A time of day and zone may follow:
 * 21:52:39 -0400, T10:00:00Z, 3:29 PM, 12:00 a. m., 上午 9:30.
 */
#include "ingest/import_int.h"

#include "core/period.h"

static int digits(const char **p, int min, int max, int *out)
{
	int n = 0, v = 0;
	while (n < max && **p >= '0' && **p <= '9')
		v = v * 10 + (*(*p)++ - '0'), n++;
	*out = v;
	return n >= min && !(**p >= '0' && **p <= '9');
}

/* Month names, English and Spanish (full and short), and Chinese. */
static const struct { const char *name; int m; } months[] = {
	{ "january", 1 }, { "february", 2 }, { "march", 3 }, { "april", 4 }, { "may", 5 },
	{ "june", 6 }, { "july", 7 }, { "august", 8 }, { "september", 9 }, { "october", 10 },
	{ "november", 11 }, { "december", 12 },
	{ "jan", 1 }, { "feb", 2 }, { "mar", 3 }, { "apr", 4 }, { "jun", 6 }, { "jul", 7 },
	{ "aug", 8 }, { "sep", 9 }, { "sept", 9 }, { "oct", 10 }, { "nov", 11 }, { "dec", 12 },
	{ "enero", 1 }, { "febrero", 2 }, { "marzo", 3 }, { "abril", 4 }, { "mayo", 5 },
	{ "junio", 6 }, { "julio", 7 }, { "agosto", 8 }, { "septiembre", 9 },
	{ "setiembre", 9 }, { "octubre", 10 }, { "noviembre", 11 }, { "diciembre", 12 },
	{ "ene", 1 }, { "abr", 4 }, { "ago", 8 }, { "dic", 12 },
	{ "一月", 1 }, { "二月", 2 }, { "三月", 3 }, { "四月", 4 }, { "五月", 5 }, { "六月", 6 },
	{ "七月", 7 }, { "八月", 8 }, { "九月", 9 }, { "十月", 10 }, { "十一月", 11 },
	{ "十二月", 12 },
};

/* A month's name at *p (letters, or UTF-8 up to a separator or digit; one
 * trailing '.' allowed): its number, *p moved past it; 0 when none. */
static int month_name(const char **p)
{
	const char *s = *p;
	size_t n = 0;
	while (s[n] && ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	                (unsigned char)s[n] >= 0x80))
		n++;
	if (!n)
		return 0;
	for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
		const char *m = months[i].name;
		size_t k = 0;
		while (k < n && m[k] && mr_ascii_lower((unsigned char)s[k]) == (unsigned char)m[k])
			k++;
		if (k == n && !m[k]) {
			*p = s + n + (s[n] == '.');
			return months[i].m;
		}
	}
	return 0;
}

static int skip_word(const char **p, const char *w)
{
	size_t n = strlen(w), i = 0;
	while (i < n && (*p)[i] && mr_ascii_lower((unsigned char)(*p)[i]) == (unsigned char)w[i])
		i++;
	if (i < n)
		return 0;
	*p += n;
	return 1;
}

/* A time of day and zone, or nothing, to the end. */
static int time_tail(const char *p)
{
	static const char *const words[] = { "a. m.", "p. m.", "a.m.", "p.m.", "am", "pm",
		"utc", "gmt", "上午", "下午", "时", "分", "秒", NULL };
	while (*p) {
		int w = 0;
		for (int i = 0; words[i] && !w; i++)
			w = skip_word(&p, words[i]);
		if (w)
			continue;
		if (!strchr("0123456789:.+- TZ", *p))
			return 0;
		p++;
	}
	return 1;
}

/* 03/11/2026 read by order; *seen what its numbers say about the order. */
static int numeric(int a, int b, int order, int *seen, int *d, int *m)
{
	*seen = a > 12 && b <= 12 ? MR_DATE_DMY : b > 12 && a <= 12 ? MR_DATE_MDY
	      : a != b && a <= 12 ? MR_DATE_AMBIGUOUS : MR_DATE_UNTOLD;
	if (!order)
		order = *seen == MR_DATE_AMBIGUOUS ? 0 : *seen == MR_DATE_MDY ? MR_DATE_MDY
		      : MR_DATE_DMY;
	if (!order)
		return MR_EINVALID;
	*d = order == MR_DATE_DMY ? a : b;
	*m = order == MR_DATE_DMY ? b : a;
	return 0;
}

static int year(const char **p, int *y)
{
	const char *ys = *p;
	if (!digits(p, 2, 4, y) || *p - ys == 3)
		return 0;
	if (*p - ys == 2)
		*y += 2000;
	return 1;
}

int mr_imp_date_parse(int *day, const char *text, int order, int *seen)
{
	const char *p = text;
	int y = 0, m = 0, d = 0, a, b, rc, dummy;
	char iso[24];
	if (!seen)
		seen = &dummy;
	*seen = MR_DATE_UNTOLD;
	while (*p == ' ')
		p++;
	const char *start = p;
	if (digits(&p, 4, 4, &y) && (*p == '-' || strncmp(p, "年", 3) == 0)) {
		if (*p == '-') {                                    /* 2026-11-03 */
			p++;
			if (!digits(&p, 1, 2, &m) || *p++ != '-' || !digits(&p, 1, 2, &d))
				return MR_EINVALID;
		} else {                                            /* 2026年11月3日 */
			p += 3;
			if (!digits(&p, 1, 2, &m) || strncmp(p, "月", 3) != 0)
				return MR_EINVALID;
			p += 3;
			if (!digits(&p, 1, 2, &d) || strncmp(p, "日", 3) != 0)
				return MR_EINVALID;
			p += 3;
			while (*p == ' ')
				p++;
			if (*p && !time_tail(p))
				return MR_EINVALID;
			goto check;
		}
	} else if (p = start, digits(&p, 1, 2, &a)) {             /* 03/11/2026, 03/Nov/26 … */
		char sep = *p;
		if (sep != '/' && sep != '.' && sep != '-' && sep != ' ')
			return MR_EINVALID;
		p++;
		if (digits(&p, 1, 2, &b)) {
			if (strncmp(p, "月", 3) == 0) {                 /* 03-11月-26 */
				p += 3;
				d = a, m = b;
			} else if (sep == '/' || sep == '.') {
				if ((rc = numeric(a, b, order, seen, &d, &m)))
					return rc;
			} else {
				return MR_EINVALID;
			}
		} else if ((m = month_name(&p))) {
			d = a;
		} else {
			return MR_EINVALID;
		}
		if (*p++ != sep || !year(&p, &y))
			return MR_EINVALID;
	} else if (p = start, (m = month_name(&p))) {            /* Nov 3, 2026 */
		if (*p++ != ' ' || !digits(&p, 1, 2, &d))
			return MR_EINVALID;
		if (*p == ',')
			p++;
		if (*p++ != ' ' || !digits(&p, 4, 4, &y))
			return MR_EINVALID;
	} else {
		return MR_EINVALID;
	}
	if (*p && ((*p != ' ' && *p != 'T') || !time_tail(p)))
		return MR_EINVALID;
check:
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31)
		return MR_EINVALID;
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
	return mr_day_parse(day, iso);
}

int mr_imp_day(mr_imp *im, int f, int allow_empty, int *day, mr_err *err)
{
	int seen;
	if (!mr_imp_has(im, f) && im->o->has_date) {
		*day = im->o->date;
		return 0;
	}
	const char *v = mr_imp_get(im, f);
	*day = 0;
	if (!*v && allow_empty)
		return 0;
	if (mr_imp_date_parse(day, v, im->date_order, &seen) == 0)
		return 0;
	if (seen == MR_DATE_AMBIGUOUS) {
		int rc = mr_imp_bad(im, f, MR_EINVALID, err, "%s \"%s\" is ambiguous: day first or "
		                    "month first?", im->kind->fields[f], v);
		mr_err_hint(err, MR_HINT_DATE_ORDER, MR_IMP_HINT_DATE_ORDER);
		return rc;
	}
	char why[160] = "";
	if (im->date_order && im->order_line)
		snprintf(why, sizeof why, "; dates in this file are %s, as line %ld shows",
		         im->date_order == MR_DATE_DMY ? "day-first" : "month-first", im->order_line);
	else if (im->date_order)
		snprintf(why, sizeof why, "; dates were said to be %s",
		         im->date_order == MR_DATE_DMY ? "day first" : "month first");
	return mr_imp_bad(im, f, MR_EINVALID, err, "%s \"%s\" is not a date (2026-11-03, "
	                  "03/11/2026, 03/Nov/26, 15/ene/26, Nov 3, 2026 or 2026年11月3日; a time "
	                  "may follow)%s", im->kind->fields[f], v, why);
}

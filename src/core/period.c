/* period.c — civil dates as day numbers, and appraisal periods.
 *
 * Day arithmetic after Howard Hinnant's days_from_civil: exact for the
 * proleptic Gregorian calendar, no time zones, no libc time functions.
 */
#include "core/period.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int mr_day_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void mr_day_to_civil(int z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* n digits exactly at s; -1 when not. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int parse_day_n(int *out, const char *s, size_t len)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return MR_EINVALID;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return MR_EINVALID;
	*out = mr_day_from_civil(y, m, d);
	return 0;
}

int mr_day_parse(int *out, const char *s)
{
	return s ? parse_day_n(out, s, strlen(s)) : MR_EINVALID;
}

void mr_day_format(char *out, int day)
{
	int y, m, d;
	mr_day_to_civil(day, &y, &m, &d);
	unsigned v[3] = { (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u };
	out[0] = (char)('0' + v[0] / 1000);
	out[1] = (char)('0' + v[0] / 100 % 10);
	out[2] = (char)('0' + v[0] / 10 % 10);
	out[3] = (char)('0' + v[0] % 10);
	out[4] = out[7] = '-';
	out[5] = (char)('0' + v[1] / 10);
	out[6] = (char)('0' + v[1] % 10);
	out[8] = (char)('0' + v[2] / 10);
	out[9] = (char)('0' + v[2] % 10);
	out[10] = 0;
}

static void set(mr_period *p, int y1, int m1, int y2, int m2)
{
	p->first = mr_day_from_civil(y1, m1, 1);
	p->last = mr_day_from_civil(y2, m2, month_days(y2, m2));
}

int mr_period_parse(mr_period *out, const char *s, mr_err *err)
{
	size_t n = s ? strlen(s) : 0;
	int y = n >= 4 ? digits(s, 4) : -1;
	const char *dots = s ? strstr(s, "..") : NULL;
	memset(out, 0, sizeof *out);

	if (dots) {
		int a, b;
		if (parse_day_n(&a, s, (size_t)(dots - s)) ||
		    parse_day_n(&b, dots + 2, strlen(dots + 2)))
			goto bad;
		if (b < a)
			return mr_err_set(err, MR_EINVALID,
			                  "period \"%s\": the range ends before it starts", s);
		out->first = a;
		out->last = b;
	} else if (y < 1) {
		goto bad;
	} else if (n == 4) {
		set(out, y, 1, y, 12);
	} else if (n == 7 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4') {
		int q = s[6] - '0';
		set(out, y, 3 * q - 2, y, 3 * q);
	} else if (n == 7 && s[4] == '-' && s[5] == 'H' && (s[6] == '1' || s[6] == '2')) {
		int h = s[6] - '0';
		set(out, y, 6 * h - 5, y, 6 * h);
	} else if (n == 7 && s[4] == '-' && digits(s + 5, 2) >= 1 && digits(s + 5, 2) <= 12) {
		int m = digits(s + 5, 2);
		set(out, y, m, y, m);
	} else {
		goto bad;
	}
	snprintf(out->label, sizeof out->label, "%s", s);
	return 0;
bad:
	return mr_err_set(err, MR_EINVALID,
	                  "period \"%s\" is not one of YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY "
	                  "or YYYY-MM-DD..YYYY-MM-DD", s ? s : "");
}

void mr_period_of(mr_period *out, mr_period_kind kind, int day)
{
	int y, m, d;
	mr_day_to_civil(day, &y, &m, &d);
	memset(out, 0, sizeof *out);
	switch (kind) {
	case MR_PERIOD_MONTH:
		set(out, y, m, y, m);
		snprintf(out->label, sizeof out->label, "%04d-%02d", y, m);
		break;
	case MR_PERIOD_QUARTER: {
		int q = (m - 1) / 3 + 1;
		set(out, y, 3 * q - 2, y, 3 * q);
		snprintf(out->label, sizeof out->label, "%04d-Q%d", y, q);
		break;
	}
	case MR_PERIOD_HALF: {
		int h = m <= 6 ? 1 : 2;
		set(out, y, 6 * h - 5, y, 6 * h);
		snprintf(out->label, sizeof out->label, "%04d-H%d", y, h);
		break;
	}
	case MR_PERIOD_YEAR:
		set(out, y, 1, y, 12);
		snprintf(out->label, sizeof out->label, "%04d", y);
		break;
	}
}

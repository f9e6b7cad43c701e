/* num.c — decimal text to cents and numbers, and back. */
#include "util/num.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

int mr_fixed_parse(int64_t *out, const char *s, int scale)
{
	int neg = 0, digits = 0, frac = 0;
	int64_t v = 0;
	if (!s || scale < 0 || scale > 9)
		return MR_EINVALID;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	/* Accumulate as a negative number: its range reaches INT64_MIN. */
	for (; isdigit((unsigned char)*s); s++, digits++) {
		if (v < (INT64_MIN + (*s - '0')) / 10)
			return MR_EINVALID;
		v = v * 10 - (*s - '0');
	}
	if (*s == '.') {
		s++;
		for (; isdigit((unsigned char)*s); s++, digits++) {
			if (++frac > scale)
				return MR_EINVALID;
			if (v < (INT64_MIN + (*s - '0')) / 10)
				return MR_EINVALID;
			v = v * 10 - (*s - '0');
		}
	}
	if (*s || !digits)
		return MR_EINVALID;
	for (; frac < scale; frac++) {
		if (v < INT64_MIN / 10)
			return MR_EINVALID;
		v *= 10;
	}
	if (!neg && v == INT64_MIN)
		return MR_EINVALID;
	*out = neg ? v : -v;
	return 0;
}

void mr_fixed_format(char *out, int64_t v, int scale, int keep_point)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t p = 1;
	for (int i = 0; i < scale; i++)
		p *= 10;
	uint64_t ip = u / p, fp = u % p;
	int n = snprintf(out, 40, "%s%llu", v < 0 ? "-" : "",
	                 (unsigned long long)ip);
	if (scale == 0)
		return;
	char frac[16];
	snprintf(frac, sizeof frac, "%0*llu", scale, (unsigned long long)fp);
	int len = scale;
	while (len > 0 && frac[len - 1] == '0')
		len--;
	if (len == 0 && keep_point)
		len = 1;
	if (len > 0)
		snprintf(out + n, (size_t)(40 - n), ".%.*s", len, frac);
}

int mr_money_parse(int64_t *out, const char *text)
{
	return mr_fixed_parse(out, text, 2);
}

void mr_money_format(char *out, int64_t cents)
{
	uint64_t u = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	snprintf(out, 32, "%s%llu.%02llu", cents < 0 ? "-" : "",
	         (unsigned long long)(u / 100), (unsigned long long)(u % 100));
}

int mr_num_parse(double *out, const char *s)
{
	const char *p = s;
	if (!s || !*s)
		return MR_EINVALID;
	if (*p == '+' || *p == '-')
		p++;
	int digits = 0;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++, digits++;
	}
	if (!digits)
		return MR_EINVALID;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return MR_EINVALID;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p)
		return MR_EINVALID;
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (end != p || errno == ERANGE || !isfinite(v))
		return MR_EINVALID;
	*out = v;
	return 0;
}

void mr_num_format(char *out, double v)
{
	if (v == 0) {
		snprintf(out, 32, "0");
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {   /* whole numbers: 70, not 7e+01 */
		snprintf(out, 32, "%.0f", v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

double mr_round2(double v)
{
	double a = fabs(v) * 100.0;
	double f = floor(a);
	/* Binary noise: a decimal x.xx5 is often stored just below itself. */
	if (a - f >= 0.5 - 1e-7)
		f += 1.0;
	f /= 100.0;
	return v < 0 ? -f : f;
}

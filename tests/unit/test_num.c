/* test_num.c — the small shared utilities: money and fixed-point text to
 * integers and back (util/num.h), strict number parsing, the shortest
 * round-trip number format, half-away-from-zero rounding to cents with
 * binary noise; the growable buffer (util/buf.h) and the error record
 * (util/err.h: first error wins, added lines, prefixes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/num.h"

/* ---- helpers ---- */

/* Money text that must parse to `cents`. */
static void money_ok(const char *text, int64_t cents)
{
	int64_t v = -424242;
	int rc = mr_money_parse(&v, text);
	if (rc || v != cents)
		fprintf(stderr, "money \"%s\": rc %d, %lld cents (want %lld)\n", text, rc,
		        (long long)v, (long long)cents);
	assert_int_equal(rc, 0);
	assert_true(v == cents);
}

/* Money text that must be refused, leaving the output untouched. */
static void money_bad(const char *text)
{
	int64_t v = -424242;
	int rc = mr_money_parse(&v, text);
	if (rc != MR_EINVALID)
		fprintf(stderr, "money \"%s\" was accepted as %lld\n", text, (long long)v);
	assert_int_equal(rc, MR_EINVALID);
	assert_true(v == -424242);
}

static void money_fmt(int64_t cents, const char *want)
{
	char out[32];
	memset(out, 'x', sizeof out);
	mr_money_format(out, cents);
	assert_string_equal(out, want);
}

static void fixed_ok(const char *text, int scale, int64_t want)
{
	int64_t v = -424242;
	int rc = mr_fixed_parse(&v, text, scale);
	if (rc || v != want)
		fprintf(stderr, "fixed \"%s\" scale %d: rc %d, %lld (want %lld)\n", text, scale,
		        rc, (long long)v, (long long)want);
	assert_int_equal(rc, 0);
	assert_true(v == want);
}

static void fixed_bad(const char *text, int scale)
{
	int64_t v = -424242;
	assert_int_equal(mr_fixed_parse(&v, text, scale), MR_EINVALID);
	assert_true(v == -424242);
}

static void fixed_fmt(int64_t v, int scale, int keep_point, const char *want)
{
	char out[40];
	memset(out, 'x', sizeof out);
	mr_fixed_format(out, v, scale, keep_point);
	assert_string_equal(out, want);
}

static void num_ok(const char *text, double want)
{
	double v = -4242.0;
	int rc = mr_num_parse(&v, text);
	if (rc || v != want)
		fprintf(stderr, "number \"%s\": rc %d, %.17g (want %.17g)\n", text, rc, v, want);
	assert_int_equal(rc, 0);
	assert_true(v == want);
}

static void num_bad(const char *text)
{
	double v = -4242.0;
	int rc = mr_num_parse(&v, text);
	if (rc != MR_EINVALID)
		fprintf(stderr, "number \"%s\" was accepted as %.17g\n", text, v);
	assert_int_equal(rc, MR_EINVALID);
	assert_true(v == -4242.0);
}

/* Formats to `want` exactly, and that text reads back to v exactly. */
static void num_fmt(double v, const char *want)
{
	char out[32];
	double back = NAN;
	memset(out, 'x', sizeof out);
	mr_num_format(out, v);
	assert_string_equal(out, want);
	assert_int_equal(mr_num_parse(&back, out), 0);
	assert_true(back == v);
}

/* mr_round2(v) is exactly the double nearest `want`. */
static void round2(double v, double want)
{
	double r = mr_round2(v);
	if (r != want)
		fprintf(stderr, "round2(%.17g) = %.17g, want %.17g\n", v, r, want);
	assert_true(r == want);
}

/* ---- money ---- */

static void test_num__money_parse(void **state)
{
	(void)state;
	money_ok("1234.5", 123450);
	money_ok("1234.50", 123450);
	money_ok("1234", 123400);
	money_ok("-3", -300);
	money_ok("+3", 300);
	money_ok("0.01", 1);
	money_ok("-0.01", -1);
	money_ok("0", 0);
	money_ok("-0", 0);
	money_ok("000012.30", 1230);
	money_ok("99.99", 9999);
}

static void test_num__money_parse_rejects(void **state)
{
	(void)state;
	money_bad("12,50");       /* decimal comma */
	money_bad("12.5O");       /* letter O for zero */
	money_bad("1.234");       /* a third decimal */
	money_bad("1,234.00");    /* thousands separator */
	money_bad("");
	money_bad(".");
	money_bad("+");
	money_bad("-");
	money_bad("-.");
	money_bad(" 1");
	money_bad("1 ");
	money_bad("1e3");
	money_bad("0x10");
	money_bad("1.2.3");
	money_bad("--1");
	money_bad("$5");
	money_bad("5$");
	money_bad(NULL);
}

/* INT64_MAX cents is 92233720368547758.07. */
static void test_num__money_parse_overflow(void **state)
{
	(void)state;
	money_ok("92233720368547757.99", INT64_C(9223372036854775799));
	money_ok("92233720368547758", INT64_C(9223372036854775800));
	money_ok("-92233720368547757.99", -INT64_C(9223372036854775799));
	money_bad("92233720368547758.08");      /* INT64_MAX + 1 */
	money_bad("-92233720368547758.09");     /* INT64_MIN - 1 */
	money_bad("92233720368547758.10");
	money_bad("92233720368547759");         /* overflows when scaled to cents */
	money_bad("92233720368547760.00");
	money_bad("100000000000000000");
	money_bad("99999999999999999999");
	money_bad("9223372036854775807");       /* INT64_MAX units, ×100 overflows */
	money_bad("-99999999999999999999");
	money_bad("123456789012345678901234567890");
}

static void test_num__money_format(void **state)
{
	(void)state;
	money_fmt(123450, "1234.50");
	money_fmt(5, "0.05");
	money_fmt(50, "0.50");
	money_fmt(100, "1.00");
	money_fmt(0, "0.00");
	money_fmt(-5, "-0.05");
	money_fmt(-123450, "-1234.50");
	money_fmt(-100, "-1.00");
	money_fmt(INT64_MAX, "92233720368547758.07");
	money_fmt(INT64_MIN, "-92233720368547758.08");
}

/* Whatever is formatted parses back to the same cents. */
static void test_num__money_roundtrip(void **state)
{
	(void)state;
	static const int64_t v[] = { 0, 1, -1, 9, 10, 99, 100, 101, 123456, -987654321,
	                             INT64_C(9223372036854775799) };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char out[32];
		int64_t back = 0;
		mr_money_format(out, v[i]);
		assert_int_equal(mr_money_parse(&back, out), 0);
		assert_true(back == v[i]);
	}
}

/* Regression: the digit loop once refused the top values of int64
 * ("92233720368547758.07" is INT64_MAX cents) and INT64_MIN, so what
 * mr_money_format printed for them did not read back. */
static void test_num__parse_top_of_range(void **state)
{
	(void)state;
	char out[32];
	money_ok("92233720368547758", INT64_C(9223372036854775800));
	money_ok("92233720368547758.00", INT64_C(9223372036854775800));   /* fails today */
	money_ok("92233720368547758.07", INT64_MAX);                      /* fails today */
	money_ok("-92233720368547758.08", INT64_MIN);                     /* fails today */
	fixed_ok("9223372036.854775807", 9, INT64_MAX);                   /* fails today */
	mr_money_format(out, INT64_MIN);
	money_ok(out, INT64_MIN);
}

/* ---- fixed point ---- */

static void test_num__fixed_parse(void **state)
{
	(void)state;
	fixed_ok("1.25", 4, 12500);
	fixed_ok("-1.25", 4, -12500);
	fixed_ok("1.2345", 4, 12345);
	fixed_ok("0.0001", 4, 1);
	fixed_ok("7", 4, 70000);
	fixed_ok("7", 1, 70);
	fixed_ok("1.5", 1, 15);
	fixed_ok("0.000000001", 9, 1);
	fixed_ok("1", 9, 1000000000);
	fixed_ok("12", 0, 12);
	fixed_ok("-12", 0, -12);
	fixed_ok("9223372036.854775799", 9, INT64_C(9223372036854775799));
	fixed_bad("1.23456", 4);        /* more decimals than the scale */
	fixed_bad("1.5", 0);
	fixed_bad("0.0000000001", 9);
	fixed_bad("9223372037", 9);     /* ×10^9 overflows */
	fixed_bad("1", 10);             /* scale out of range */
	fixed_bad("1", -1);
	fixed_bad("", 4);
	fixed_bad(".", 4);
	fixed_bad("1,25", 4);
	fixed_bad("1.25x", 4);
	fixed_bad(" 1.25", 4);
	fixed_bad("1e2", 4);
	fixed_bad(NULL, 4);
}

static void test_num__fixed_format(void **state)
{
	(void)state;
	fixed_fmt(12500, 4, 0, "1.25");
	fixed_fmt(12500, 4, 1, "1.25");
	fixed_fmt(12345, 4, 0, "1.2345");
	fixed_fmt(10000, 4, 0, "1");
	fixed_fmt(10000, 4, 1, "1.0");
	fixed_fmt(0, 4, 0, "0");
	fixed_fmt(0, 4, 1, "0.0");
	fixed_fmt(1, 4, 0, "0.0001");
	fixed_fmt(-1, 4, 0, "-0.0001");
	fixed_fmt(-12500, 4, 1, "-1.25");
	fixed_fmt(-10000, 4, 1, "-1.0");
	fixed_fmt(15, 1, 0, "1.5");
	fixed_fmt(20, 1, 0, "2");
	fixed_fmt(20, 1, 1, "2.0");
	fixed_fmt(1, 9, 0, "0.000000001");
	fixed_fmt(1500000000, 9, 1, "1.5");
	fixed_fmt(42, 0, 0, "42");
	fixed_fmt(-42, 0, 0, "-42");
	fixed_fmt(INT64_MAX, 9, 0, "9223372036.854775807");
	fixed_fmt(INT64_MIN, 9, 0, "-9223372036.854775808");
	fixed_fmt(INT64_MIN, 2, 1, "-92233720368547758.08");
}

/* Formatting then parsing at the same scale gives the value back. */
static void test_num__fixed_roundtrip(void **state)
{
	(void)state;
	static const int64_t v[] = { 0, 1, -1, 10, 1200, 12345678, -987654321,
	                             INT64_MAX - 8, -(INT64_MAX - 8) };
	for (int scale = 1; scale <= 9; scale++)
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
			for (int keep = 0; keep <= 1; keep++) {
				char out[40];
				int64_t back = 0;
				mr_fixed_format(out, v[i], scale, keep);
				assert_int_equal(mr_fixed_parse(&back, out, scale), 0);
				assert_true(back == v[i]);
			}
}

/* ---- plain numbers ---- */

static void test_num__num_parse(void **state)
{
	(void)state;
	num_ok("70", 70);
	num_ok("-70", -70);
	num_ok("+70", 70);
	num_ok("0", 0);
	num_ok("0.1", 0.1);
	num_ok("123456.789", 123456.789);
	num_ok("1e3", 1000);
	num_ok("1E3", 1000);
	num_ok("1e+3", 1000);
	num_ok("2.5e-3", 0.0025);
	num_ok("-1.5E2", -150);
	num_ok("1e-7", 1e-7);
	num_ok("1e20", 1e20);
	num_ok("000123", 123);
}

static void test_num__num_parse_strict(void **state)
{
	(void)state;
	num_bad("");
	num_bad(" 1");
	num_bad("1 ");
	num_bad("\t1");
	num_bad("1\n");
	num_bad("0x10");
	num_bad("0X1p3");
	num_bad("inf");
	num_bad("-inf");
	num_bad("INF");
	num_bad("infinity");
	num_bad("nan");
	num_bad("NaN");
	num_bad("-nan");
	num_bad("1abc");
	num_bad("12,5");
	num_bad("12.5O");
	num_bad("1.2.3");
	num_bad(".");
	num_bad("+");
	num_bad("-");
	num_bad("+-1");
	num_bad("e3");
	num_bad(".e3");
	num_bad("1e");
	num_bad("1e+");
	num_bad("1e-");
	num_bad("1e3.5");
	num_bad("1e400");        /* out of range */
	num_bad("-1e400");
	num_bad(NULL);
}

static void test_num__num_format(void **state)
{
	(void)state;
	num_fmt(70, "70");
	num_fmt(-70, "-70");
	num_fmt(0, "0");
	num_fmt(-0.0, "0");
	num_fmt(0.1, "0.1");
	num_fmt(-0.1, "-0.1");
	num_fmt(2.5, "2.5");
	num_fmt(-2.5, "-2.5");
	num_fmt(1e-7, "1e-07");
	num_fmt(123456.789, "123456.789");
	num_fmt(-123456.789, "-123456.789");
	num_fmt(1e20, "1e+20");
	num_fmt(1e15, "1e+15");
	num_fmt(999999999999999.0, "999999999999999");
	num_fmt(0.1 + 0.2, "0.30000000000000004");
	num_fmt(1.0 / 3.0, "0.3333333333333333");
	num_fmt(72.125, "72.125");
	num_fmt(100.5, "100.5");
}

/* A spread of awkward doubles all read back exactly. */
static void test_num__num_format_roundtrip(void **state)
{
	(void)state;
	double v = 1.0;
	for (int i = 0; i < 2000; i++) {
		char out[32];
		double back = NAN;
		v = v * -1.37 + 0.011 * i;
		if (fabs(v) > 1e250)
			v = 1.0 / 7.0 + i;
		mr_num_format(out, v);
		assert_true(strlen(out) < 32);
		assert_int_equal(mr_num_parse(&back, out), 0);
		assert_true(back == v);
	}
	static const double edge[] = { 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
	                               -1.7976931348623157e308, 9007199254740993.0,
	                               0.1 * 3, 4.35, 0.000001, 123e-20 };
	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
		char out[32];
		double back = NAN;
		mr_num_format(out, edge[i]);
		if (edge[i] == 5e-324)   /* the denormal minimum: strtod says ERANGE */
			continue;
		assert_int_equal(mr_num_parse(&back, out), 0);
		assert_true(back == edge[i]);
	}
}

/* ---- rounding to cents ---- */

static void test_num__round2_half_away_from_zero(void **state)
{
	(void)state;
	round2(72.125, 72.13);      /* stored as 72.12499999… */
	round2(-72.125, -72.13);
	round2(84.995, 85.00);      /* carries into the units */
	round2(-84.995, -85.00);
	round2(0.005, 0.01);
	round2(-0.005, -0.01);
	round2(2.675, 2.68);        /* stored as 2.67499999999999982236431605997495353221893310546875 */
	round2(1.005, 1.01);        /* stored as 1.00499999999999989… */
	round2(0.125, 0.13);        /* exactly half in binary */
	round2(0.375, 0.38);
	round2(99.995, 100.00);
	round2(1.015, 1.02);
}

static void test_num__round2_below_and_above_half(void **state)
{
	(void)state;
	round2(1.004, 1.00);
	round2(-1.004, -1.00);
	round2(72.124, 72.12);
	round2(72.1249, 72.12);
	round2(72.126, 72.13);
	round2(0.0049, 0.00);
	round2(0.004, 0.00);
	round2(2.674, 2.67);
	round2(0, 0);
	round2(70, 70);
	round2(-70, -70);
	round2(72.13, 72.13);
	round2(33.333333333, 33.33);
	round2(66.666666666, 66.67);
	round2(100, 100);
	round2(123456.785, 123456.79);
	round2(123456.784, 123456.78);
}

/* ---- buffer ---- */

static void test_num__buf_basics(void **state)
{
	(void)state;
	mr_buf b;
	mr_buf_init(&b);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	mr_buf_puts(&b, "ab");
	mr_buf_putc(&b, 'c');
	mr_buf_add(&b, "defXYZ", 3);
	assert_string_equal(b.data, "abcdef");
	assert_int_equal(b.len, 6);
	mr_buf_add(&b, "", 0);
	assert_int_equal(b.len, 6);
	assert_false(mr_buf_oom(&b));
	mr_buf_release(&b);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	mr_buf_release(&b);          /* twice is harmless */
}

/* printf grows the buffer past its first 64 bytes, keeping what it held. */
static void test_num__buf_printf_growth(void **state)
{
	(void)state;
	mr_buf b;
	char want[2048];
	size_t n = 0;
	mr_buf_init(&b);
	mr_buf_printf(&b, "%s-%d", "start", 1);
	assert_string_equal(b.data, "start-1");
	n = (size_t)snprintf(want, sizeof want, "start-1");
	for (int i = 0; i < 100; i++) {
		mr_buf_printf(&b, "[%03d:%s]", i, "0123456789");
		n += (size_t)snprintf(want + n, sizeof want - n, "[%03d:%s]", i, "0123456789");
	}
	assert_int_equal(b.len, n);
	assert_int_equal(strlen(b.data), n);
	assert_string_equal(b.data, want);
	assert_true(b.cap > n);
	/* one printf much larger than the buffer */
	char big[300];
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = 0;
	mr_buf_reset(&b);
	mr_buf_printf(&b, "<%s>", big);
	assert_int_equal(b.len, 301);
	assert_int_equal(b.data[0], '<');
	assert_int_equal(b.data[300], '>');
	assert_int_equal(b.data[301], 0);
	assert_false(mr_buf_oom(&b));
	mr_buf_release(&b);
}

/* A printf that fills the room exactly, one over, and one short: each is
 * the text snprintf writes, and what did not fit is not left behind. */
static void test_num__buf_printf_edges(void **state)
{
	(void)state;
	for (size_t extra = 0; extra < 4; extra++) {
		mr_buf b;
		mr_buf_init(&b);
		mr_buf_puts(&b, "x");                 /* cap 64: 62 bytes of room before the NUL */
		size_t room = b.cap - b.len - 1;
		char text[128];
		memset(text, 'a', sizeof text);
		size_t n = room - 1 + extra;          /* room - 1, room, room + 1, room + 2 */
		text[n] = 0;
		mr_buf_printf(&b, "%s", text);
		assert_int_equal(b.len, 1 + n);
		assert_int_equal(strlen(b.data), 1 + n);
		assert_int_equal(b.data[0], 'x');
		assert_memory_equal(b.data + 1, text, n);
		mr_buf_printf(&b, "%d", 42);
		assert_int_equal(b.len, 3 + n);
		assert_string_equal(b.data + 1 + n, "42");
		mr_buf_release(&b);
	}
}

/* A text vsnprintf cannot write (a wide character the C locale has no
 * byte for) is not dropped silently: the buffer fails, as when memory
 * runs out, and what was there stays. */
static void test_num__buf_printf_unwritable(void **state)
{
	(void)state;
	mr_buf b;
	mr_buf_init(&b);
	mr_buf_puts(&b, "kept");
	assert_false(mr_buf_oom(&b));
	static const wchar_t zhong[] = { 0x4e2d, 0 };
	mr_buf_printf(&b, "%ls", zhong);
	assert_true(mr_buf_oom(&b));
	assert_string_equal(b.data, "kept");
	mr_buf_release(&b);
}

/* mr_buf_i64 and mr_buf_f64 write what %lld and %.17g write, whole
 * numbers (their fast way) and the rest alike. */
static void test_num__buf_numbers(void **state)
{
	(void)state;
	static const int64_t ints[] = { 0, 1, -1, 9, 10, -10, 123456789, INT64_MAX, INT64_MIN,
	                                INT64_MIN + 1, 9007199254740992LL, -9007199254740993LL };
	static const double reals[] = { 0.0, -0.0, 1.0, -1.0, 5.0, 0.1, -2.5, 1e15, 1e16, 1e17,
	                                 9007199254740991.0, 9007199254740992.0, -9007199254740991.0,
	                                 -9007199254740992.0, 9007199254740994.0, 1e300, -1e-300,
	                                 4.9e-324, 123456.75, 3e9, -3e9 };
	char want[64];
	mr_buf b;
	mr_buf_init(&b);
	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
		mr_buf_reset(&b);
		mr_buf_i64(&b, ints[i]);
		snprintf(want, sizeof want, "%lld", (long long)ints[i]);
		assert_string_equal(b.data, want);
		assert_int_equal(b.len, strlen(want));
	}
	for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
		mr_buf_reset(&b);
		mr_buf_f64(&b, reals[i]);
		snprintf(want, sizeof want, "%.17g", reals[i]);
		assert_string_equal(b.data, want);
	}
	double odd[] = { NAN, INFINITY, -INFINITY };
	for (size_t i = 0; i < 3; i++) {
		mr_buf_reset(&b);
		mr_buf_f64(&b, odd[i]);
		snprintf(want, sizeof want, "%.17g", odd[i]);
		assert_string_equal(b.data, want);
	}
	/* appended, not written over */
	mr_buf_reset(&b);
	mr_buf_i64(&b, 7);
	mr_buf_putc(&b, ',');
	mr_buf_f64(&b, 2.0);
	mr_buf_putc(&b, ',');
	mr_buf_f64(&b, 0.5);
	assert_string_equal(b.data, "7,2,0.5");
	mr_buf_release(&b);
}

static void test_num__buf_reset(void **state)
{
	(void)state;
	mr_buf b;
	mr_buf_init(&b);
	mr_buf_reset(&b);                         /* before any growth */
	assert_string_equal(b.data, "");
	for (int i = 0; i < 20; i++)
		mr_buf_puts(&b, "0123456789");
	size_t cap = b.cap;
	char *data = b.data;
	assert_true(cap >= 201);
	mr_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(b.cap, cap);             /* keeps the memory */
	assert_ptr_equal(b.data, data);
	mr_buf_puts(&b, "again");
	assert_string_equal(b.data, "again");
	assert_int_equal(b.len, 5);
	mr_buf_release(&b);
}

static void test_num__buf_detach(void **state)
{
	(void)state;
	mr_buf b;
	mr_buf_init(&b);
	for (int i = 0; i < 10; i++)
		mr_buf_printf(&b, "line %d of some length\n", i);
	size_t len = b.len;
	char *s = mr_buf_detach(&b);
	assert_non_null(s);
	assert_int_equal(strlen(s), len);
	assert_memory_equal(s, "line 0 of some length\nline 1", 28);
	/* the buffer is empty again and usable */
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_string_equal(b.data, "");
	assert_true(b.data != s);
	mr_buf_puts(&b, "x");
	assert_string_equal(b.data, "x");
	mr_buf_release(&b);
	free(s);
	/* an empty buffer detaches to an empty string the caller frees */
	mr_buf_init(&b);
	s = mr_buf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	mr_buf_release(&b);
}

/* ---- error record ---- */

static void test_num__err_first_wins(void **state)
{
	(void)state;
	mr_err e = MR_ERR_INIT;
	assert_int_equal(e.code, 0);
	assert_null(e.msg);
	assert_int_equal(mr_err_set(&e, MR_EINVALID, "orders.csv:%d:%d: amount \"%s\" is not a number",
	                            14, 3, "12,5O"), MR_EINVALID);
	assert_int_equal(e.code, MR_EINVALID);
	assert_string_equal(e.msg, "orders.csv:14:3: amount \"12,5O\" is not a number");
	assert_int_equal(e.lines, 1);
	/* a second error returns its own code but changes nothing */
	assert_int_equal(mr_err_set(&e, MR_EIO, "disk on fire"), MR_EIO);
	assert_int_equal(e.code, MR_EINVALID);
	assert_string_equal(e.msg, "orders.csv:14:3: amount \"12,5O\" is not a number");
	assert_int_equal(e.lines, 1);
	mr_err_clear(&e);
	assert_int_equal(e.code, 0);
	assert_null(e.msg);
	assert_int_equal(e.lines, 0);
	/* after clearing, the next error is recorded */
	mr_err_set(&e, MR_ENOTFOUND, "no %s", "ann");
	assert_int_equal(e.code, MR_ENOTFOUND);
	assert_string_equal(e.msg, "no ann");
	mr_err_release(&e);
	/* NULL: nothing recorded, the code still returned */
	assert_int_equal(mr_err_set(NULL, MR_EDB, "x"), MR_EDB);
	assert_int_equal(mr_err_add(NULL, MR_EDB, "x"), MR_EDB);
	mr_err_prefix(NULL, "x");
	mr_err_clear(NULL);
}

static void test_num__err_add_lines(void **state)
{
	(void)state;
	mr_err e = MR_ERR_INIT;
	assert_int_equal(mr_err_add(&e, MR_EINVALID, "plan.yaml:%d: first", 3), MR_EINVALID);
	assert_int_equal(e.code, MR_EINVALID);
	assert_int_equal(e.lines, 1);
	assert_string_equal(e.msg, "plan.yaml:3: first");
	assert_int_equal(mr_err_add(&e, MR_ENOTFOUND, "plan.yaml:%d: second", 7), MR_ENOTFOUND);
	assert_int_equal(mr_err_add(&e, MR_EINVALID, "plan.yaml:%d: third", 9), MR_EINVALID);
	assert_int_equal(e.code, MR_EINVALID);     /* the first code stays */
	assert_int_equal(e.lines, 3);
	assert_string_equal(e.msg, "plan.yaml:3: first\nplan.yaml:7: second\nplan.yaml:9: third");
	/* set after add changes nothing: an error is recorded already */
	mr_err_set(&e, MR_EIO, "late");
	assert_int_equal(e.lines, 3);
	assert_int_equal(e.code, MR_EINVALID);
	mr_err_clear(&e);
	/* add after set appends to the set message */
	mr_err_set(&e, MR_EEXISTS, "one");
	mr_err_add(&e, MR_EINVALID, "two");
	assert_int_equal(e.code, MR_EEXISTS);
	assert_int_equal(e.lines, 2);
	assert_string_equal(e.msg, "one\ntwo");
	mr_err_clear(&e);
}

static void test_num__err_prefix(void **state)
{
	(void)state;
	mr_err e = MR_ERR_INIT;
	mr_err_prefix(&e, "ignored");               /* no error yet: nothing */
	assert_int_equal(e.code, 0);
	assert_null(e.msg);
	mr_err_set(&e, MR_ENOTFOUND, "no staff member with login \"%s\"", "ghost");
	mr_err_prefix(&e, "--manager");
	assert_string_equal(e.msg, "--manager: no staff member with login \"ghost\"");
	mr_err_prefix(&e, "%s:%d", "staff.csv", 4);
	assert_string_equal(e.msg, "staff.csv:4: --manager: no staff member with login \"ghost\"");
	assert_int_equal(e.code, MR_ENOTFOUND);
	assert_int_equal(e.lines, 1);
	mr_err_clear(&e);
}

static void test_num__err_str(void **state)
{
	(void)state;
	assert_string_equal(mr_err_str(MR_OK), "ok");
	assert_string_equal(mr_err_str(MR_ENOTFOUND), "not found");
	assert_string_equal(mr_err_str(MR_EEXISTS), "already exists");
	assert_string_equal(mr_err_str(MR_EINVALID), "invalid input");
	assert_string_equal(mr_err_str(MR_EFROZEN), "the cycle is closed");
	assert_string_equal(mr_err_str(MR_EFULL), "the disk is full");
	assert_string_equal(mr_err_str(-99), "error");
	/* a write's errno: a full disk or quota is MR_EFULL, anything else I/O */
	assert_int_equal(mr_err_errno(ENOSPC), MR_EFULL);
	assert_int_equal(mr_err_errno(EDQUOT), MR_EFULL);
	assert_int_equal(mr_err_errno(EIO), MR_EIO);
	assert_int_equal(mr_err_errno(EACCES), MR_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num__money_parse),
		cmocka_unit_test(test_num__money_parse_rejects),
		cmocka_unit_test(test_num__money_parse_overflow),
		cmocka_unit_test(test_num__money_format),
		cmocka_unit_test(test_num__money_roundtrip),
		cmocka_unit_test(test_num__parse_top_of_range),
		cmocka_unit_test(test_num__fixed_parse),
		cmocka_unit_test(test_num__fixed_format),
		cmocka_unit_test(test_num__fixed_roundtrip),
		cmocka_unit_test(test_num__num_parse),
		cmocka_unit_test(test_num__num_parse_strict),
		cmocka_unit_test(test_num__num_format),
		cmocka_unit_test(test_num__num_format_roundtrip),
		cmocka_unit_test(test_num__round2_half_away_from_zero),
		cmocka_unit_test(test_num__round2_below_and_above_half),
		cmocka_unit_test(test_num__buf_basics),
		cmocka_unit_test(test_num__buf_printf_growth),
		cmocka_unit_test(test_num__buf_printf_edges),
		cmocka_unit_test(test_num__buf_printf_unwritable),
		cmocka_unit_test(test_num__buf_numbers),
		cmocka_unit_test(test_num__buf_reset),
		cmocka_unit_test(test_num__buf_detach),
		cmocka_unit_test(test_num__err_first_wins),
		cmocka_unit_test(test_num__err_add_lines),
		cmocka_unit_test(test_num__err_prefix),
		cmocka_unit_test(test_num__err_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_period.c — calendar days and appraisal periods (core/period.h):
 * day numbers against known dates and an independent day-by-day count
 * over 1900..2100, leap years, the strict YYYY-MM-DD reader, every period
 * form with its first and last day, the refusals and their message, the
 * period of each kind that holds a day, and period lengths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/period.h"

#define FORMS "YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or YYYY-MM-DD..YYYY-MM-DD"

/* ---- helpers ---- */

static int day(int y, int m, int d) { return mr_day_from_civil(y, m, d); }

/* Month lengths by the Gregorian rule, written out independently (C's %
 * keeps the sign, so y % 4 == 0 holds for negative years too). */
static int days_in(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = y % 400 == 0 || (y % 4 == 0 && y % 100 != 0);
	return m == 2 ? 28 + leap : n[m - 1];
}

static void day_ok(const char *text, int want)
{
	int v = -424242;
	int rc = mr_day_parse(&v, text);
	if (rc || v != want)
		fprintf(stderr, "day \"%s\": rc %d, %d (want %d)\n", text, rc, v, want);
	assert_int_equal(rc, 0);
	assert_int_equal(v, want);
}

static void day_bad(const char *text)
{
	int v = -424242;
	int rc = mr_day_parse(&v, text);
	if (rc != MR_EINVALID)
		fprintf(stderr, "day \"%s\" was accepted as %d\n", text, v);
	assert_int_equal(rc, MR_EINVALID);
	assert_int_equal(v, -424242);
}

/* `text` parses to [first, last] with the given label and length. */
static void period_ok(const char *text, int first, int last, const char *label, int ndays)
{
	mr_period p;
	mr_err e = MR_ERR_INIT;
	memset(&p, 0x5a, sizeof p);
	int rc = mr_period_parse(&p, text, &e);
	if (rc)
		fprintf(stderr, "period \"%s\": %s\n", text, e.msg ? e.msg : "?");
	assert_int_equal(rc, 0);
	assert_null(e.msg);
	assert_int_equal(p.first, first);
	assert_int_equal(p.last, last);
	assert_string_equal(p.label, label);
	assert_int_equal(mr_period_days(&p), ndays);
}

/* `text` is refused with the message naming the accepted forms. */
static void period_bad(const char *text)
{
	mr_period p;
	mr_err e = MR_ERR_INIT;
	char want[256];
	int rc = mr_period_parse(&p, text, &e);
	if (rc != MR_EINVALID)
		fprintf(stderr, "period \"%s\" was accepted: %d..%d\n", text, p.first, p.last);
	assert_int_equal(rc, MR_EINVALID);
	assert_int_equal(e.code, MR_EINVALID);
	snprintf(want, sizeof want, "period \"%s\" is not one of " FORMS, text);
	assert_non_null(e.msg);
	assert_string_equal(e.msg, want);
	mr_err_clear(&e);
}

/* mr_period_of(kind, d) is [first, last] labelled `label`. */
static void period_of(mr_period_kind kind, int d, int first, int last, const char *label)
{
	mr_period p;
	memset(&p, 0x5a, sizeof p);
	mr_period_of(&p, kind, d);
	assert_int_equal(p.first, first);
	assert_int_equal(p.last, last);
	assert_string_equal(p.label, label);
}

/* ---- day numbers ---- */

static void test_period__epoch_and_known_days(void **state)
{
	(void)state;
	int y, m, d;
	assert_int_equal(day(1970, 1, 1), 0);
	assert_int_equal(day(1970, 1, 2), 1);
	assert_int_equal(day(1969, 12, 31), -1);
	assert_int_equal(day(2000, 1, 1), 10957);
	assert_int_equal(day(2024, 2, 29), 19782);
	assert_int_equal(day(2026, 11, 1), 20758);
	assert_int_equal(day(1900, 1, 1), -25567);
	assert_int_equal(day(2100, 12, 31), 47846);
	assert_int_equal(day(1, 1, 1), -719162);
	mr_day_to_civil(0, &y, &m, &d);
	assert_int_equal(y, 1970);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
	mr_day_to_civil(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	mr_day_to_civil(19782, &y, &m, &d);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
}

/* Every day of 1900-01-01..2100-12-31, counted one by one: the numbers
 * are consecutive and read back to the same date. */
static void test_period__every_day_1900_2100(void **state)
{
	(void)state;
	int expect = day(1900, 1, 1), count = 0;
	for (int y = 1900; y <= 2100; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= days_in(y, m); d++) {
				int n = day(y, m, d), yy, mm, dd;
				if (n != expect)
					fprintf(stderr, "%04d-%02d-%02d is %d, want %d\n", y, m, d, n, expect);
				assert_int_equal(n, expect);
				mr_day_to_civil(n, &yy, &mm, &dd);
				assert_int_equal(yy, y);
				assert_int_equal(mm, m);
				assert_int_equal(dd, d);
				expect++;
				count++;
			}
	assert_int_equal(count, 73414);      /* 201 years, 49 of them leap */
	assert_int_equal(expect - 1, 47846);
}

/* From day number to date and back over the whole MR_DAY_MIN..MR_DAY_MAX
 * range (years -768..4707): each number's date is the day after the
 * previous number's; AD dates also go through the text form. */
static void test_period__wide_roundtrip(void **state)
{
	(void)state;
	int py = 0, pm = 0, pd = 0;
	for (int n = MR_DAY_MIN; n <= MR_DAY_MAX; n++) {
		int y, m, d;
		mr_day_to_civil(n, &y, &m, &d);
		assert_true(m >= 1 && m <= 12);
		assert_true(d >= 1 && d <= days_in(y, m));
		assert_int_equal(day(y, m, d), n);
		if (n > MR_DAY_MIN) {
			/* the successor of (py, pm, pd) */
			int ny = py, nm = pm, nd = pd + 1;
			if (nd > days_in(py, pm)) {
				nd = 1;
				if (++nm > 12) {
					nm = 1;
					ny++;
				}
			}
			if (y != ny || m != nm || d != nd)
				fprintf(stderr, "day %d is %d-%d-%d, after %d-%d-%d\n", n, y, m, d,
				        py, pm, pd);
			assert_int_equal(y, ny);
			assert_int_equal(m, nm);
			assert_int_equal(d, nd);
		}
		if (y >= 1 && y <= 9999 && n % 97 == 0) {
			char text[11];
			int back = 0;
			mr_day_format(text, n);
			assert_int_equal(mr_day_parse(&back, text), 0);
			assert_int_equal(back, n);
		}
		py = y;
		pm = m;
		pd = d;
	}
	mr_day_to_civil(MR_DAY_MIN, &py, &pm, &pd);
	assert_int_equal(py, -768);
	mr_day_to_civil(MR_DAY_MAX, &py, &pm, &pd);
	assert_int_equal(py, 4707);
}

static void test_period__leap_years(void **state)
{
	(void)state;
	day_ok("2024-02-29", day(2024, 2, 29));
	day_ok("2000-02-29", day(2000, 2, 29));
	day_ok("2400-02-29", day(2400, 2, 29));
	day_bad("2026-02-29");
	day_bad("1900-02-29");
	day_bad("2100-02-29");
	day_bad("2024-02-30");
	assert_int_equal(day(2024, 3, 1) - day(2024, 2, 28), 2);
	assert_int_equal(day(2026, 3, 1) - day(2026, 2, 28), 1);
	assert_int_equal(day(1900, 3, 1) - day(1900, 2, 28), 1);
	assert_int_equal(day(2000, 3, 1) - day(2000, 2, 28), 2);
	assert_int_equal(day(2025, 1, 1) - day(2024, 1, 1), 366);
	assert_int_equal(day(2027, 1, 1) - day(2026, 1, 1), 365);
	assert_int_equal(day(2001, 1, 1) - day(2000, 1, 1), 366);
	assert_int_equal(day(1901, 1, 1) - day(1900, 1, 1), 365);
}

static void test_period__day_parse(void **state)
{
	(void)state;
	day_ok("1970-01-01", 0);
	day_ok("2026-11-01", 20758);
	day_ok("2026-11-30", 20787);
	day_ok("2026-12-31", day(2026, 12, 31));
	day_ok("0001-01-01", -719162);
	day_ok("9999-12-31", day(9999, 12, 31));
}

static void test_period__day_parse_strict(void **state)
{
	(void)state;
	day_bad("2026-1-01");
	day_bad("2026-01-1");
	day_bad("2026-11-31");
	day_bad("2026-04-31");
	day_bad("20261101");
	day_bad("2026-11-01x");
	day_bad("2026-11-01 ");
	day_bad(" 2026-11-01");
	day_bad("2026-11-01T00:00");
	day_bad("2026/11/01");
	day_bad("2026.11.01");
	day_bad("2026-00-10");
	day_bad("2026-13-01");
	day_bad("2026-11-00");
	day_bad("0000-01-01");
	day_bad("-026-11-01");
	day_bad("+026-11-01");
	day_bad("2026-+1-01");
	day_bad("2026-1x-01");
	day_bad("26-11-01");
	day_bad("");
	day_bad(NULL);
}

static void test_period__day_format(void **state)
{
	(void)state;
	char out[11];
	memset(out, 'x', sizeof out);
	mr_day_format(out, 0);
	assert_string_equal(out, "1970-01-01");
	mr_day_format(out, 20758);
	assert_string_equal(out, "2026-11-01");
	mr_day_format(out, day(2024, 2, 29));
	assert_string_equal(out, "2024-02-29");
	mr_day_format(out, -719162);
	assert_string_equal(out, "0001-01-01");
	mr_day_format(out, day(9999, 12, 31));
	assert_string_equal(out, "9999-12-31");
}

/* ---- periods ---- */

static void test_period__month(void **state)
{
	(void)state;
	period_ok("2026-11", day(2026, 11, 1), day(2026, 11, 30), "2026-11", 30);
	period_ok("2026-01", day(2026, 1, 1), day(2026, 1, 31), "2026-01", 31);
	period_ok("2026-12", day(2026, 12, 1), day(2026, 12, 31), "2026-12", 31);
	period_ok("2026-02", day(2026, 2, 1), day(2026, 2, 28), "2026-02", 28);
	period_ok("2024-02", day(2024, 2, 1), day(2024, 2, 29), "2024-02", 29);
	period_ok("2000-02", day(2000, 2, 1), day(2000, 2, 29), "2000-02", 29);
	period_ok("1900-02", day(1900, 2, 1), day(1900, 2, 28), "1900-02", 28);
	period_ok("2026-04", day(2026, 4, 1), day(2026, 4, 30), "2026-04", 30);
}

static void test_period__quarter_half_year(void **state)
{
	(void)state;
	period_ok("2026-Q1", day(2026, 1, 1), day(2026, 3, 31), "2026-Q1", 90);
	period_ok("2024-Q1", day(2024, 1, 1), day(2024, 3, 31), "2024-Q1", 91);
	period_ok("2026-Q2", day(2026, 4, 1), day(2026, 6, 30), "2026-Q2", 91);
	period_ok("2026-Q3", day(2026, 7, 1), day(2026, 9, 30), "2026-Q3", 92);
	period_ok("2026-Q4", day(2026, 10, 1), day(2026, 12, 31), "2026-Q4", 92);
	period_ok("2026-H1", day(2026, 1, 1), day(2026, 6, 30), "2026-H1", 181);
	period_ok("2024-H1", day(2024, 1, 1), day(2024, 6, 30), "2024-H1", 182);
	period_ok("2026-H2", day(2026, 7, 1), day(2026, 12, 31), "2026-H2", 184);
	period_ok("2026", day(2026, 1, 1), day(2026, 12, 31), "2026", 365);
	period_ok("2024", day(2024, 1, 1), day(2024, 12, 31), "2024", 366);
}

static void test_period__range(void **state)
{
	(void)state;
	period_ok("2026-11-03..2026-11-20", day(2026, 11, 3), day(2026, 11, 20),
	          "2026-11-03..2026-11-20", 18);
	period_ok("2026-11-03..2026-11-03", day(2026, 11, 3), day(2026, 11, 3),
	          "2026-11-03..2026-11-03", 1);
	period_ok("2026-12-15..2027-01-15", day(2026, 12, 15), day(2027, 1, 15),
	          "2026-12-15..2027-01-15", 32);
	period_ok("2024-02-28..2024-03-01", day(2024, 2, 28), day(2024, 3, 1),
	          "2024-02-28..2024-03-01", 3);
}

static void test_period__reversed_range(void **state)
{
	(void)state;
	mr_period p;
	mr_err e = MR_ERR_INIT;
	assert_int_equal(mr_period_parse(&p, "2026-11-20..2026-11-03", &e), MR_EINVALID);
	assert_int_equal(e.code, MR_EINVALID);
	assert_string_equal(e.msg, "period \"2026-11-20..2026-11-03\": the range ends before it starts");
	mr_err_clear(&e);
	assert_int_equal(mr_period_parse(&p, "2026-11-04..2026-11-03", &e), MR_EINVALID);
	mr_err_clear(&e);
}

static void test_period__bad_forms(void **state)
{
	(void)state;
	period_bad("2026-13");
	period_bad("2026-00");
	period_bad("2026-Q5");
	period_bad("2026-Q0");
	period_bad("2026-H3");
	period_bad("2026-H0");
	period_bad("26-11");
	period_bad("");
	period_bad("0000");
	period_bad("2026-1");
	period_bad("2026-011");
	period_bad("2026-11-");
	period_bad("2026-11x");
	period_bad("2026 ");
	period_bad(" 2026");
	period_bad("2026-11-05");          /* a day is not a period; a range is */
	period_bad("2026/11");
	period_bad("2026-Q");
	period_bad("2026-Q12");
	period_bad("2026-H");
	period_bad("20261");
	period_bad("Q4-2026");
	period_bad("2026-11-03..");
	period_bad("..2026-11-20");
	period_bad("..");
	period_bad("2026-11-03...2026-11-20");
	period_bad("2026-11-03..2026-11-31");
	period_bad("2026-11..2026-12");
	period_bad("2026-11-03 ..2026-11-20");
}

/* The first error wins: a recorded error is kept. */
static void test_period__error_kept(void **state)
{
	(void)state;
	mr_period p;
	mr_err e = MR_ERR_INIT;
	mr_err_set(&e, MR_EIO, "earlier");
	assert_int_equal(mr_period_parse(&p, "2026-13", &e), MR_EINVALID);
	assert_int_equal(e.code, MR_EIO);
	assert_string_equal(e.msg, "earlier");
	mr_err_clear(&e);
	assert_int_equal(mr_period_parse(&p, "2026-13", NULL), MR_EINVALID);
	assert_int_equal(mr_period_parse(&p, "2026-12", NULL), 0);
	assert_int_equal(p.last, day(2026, 12, 31));
}

static void test_period__of_each_kind(void **state)
{
	(void)state;
	int d = day(2026, 11, 15);
	period_of(MR_PERIOD_MONTH, d, day(2026, 11, 1), day(2026, 11, 30), "2026-11");
	period_of(MR_PERIOD_QUARTER, d, day(2026, 10, 1), day(2026, 12, 31), "2026-Q4");
	period_of(MR_PERIOD_HALF, d, day(2026, 7, 1), day(2026, 12, 31), "2026-H2");
	period_of(MR_PERIOD_YEAR, d, day(2026, 1, 1), day(2026, 12, 31), "2026");
	/* the edges of each quarter and half */
	period_of(MR_PERIOD_QUARTER, day(2026, 1, 1), day(2026, 1, 1), day(2026, 3, 31), "2026-Q1");
	period_of(MR_PERIOD_QUARTER, day(2026, 3, 31), day(2026, 1, 1), day(2026, 3, 31), "2026-Q1");
	period_of(MR_PERIOD_QUARTER, day(2026, 4, 1), day(2026, 4, 1), day(2026, 6, 30), "2026-Q2");
	period_of(MR_PERIOD_QUARTER, day(2026, 9, 30), day(2026, 7, 1), day(2026, 9, 30), "2026-Q3");
	period_of(MR_PERIOD_QUARTER, day(2026, 12, 31), day(2026, 10, 1), day(2026, 12, 31), "2026-Q4");
	period_of(MR_PERIOD_HALF, day(2026, 6, 30), day(2026, 1, 1), day(2026, 6, 30), "2026-H1");
	period_of(MR_PERIOD_HALF, day(2026, 7, 1), day(2026, 7, 1), day(2026, 12, 31), "2026-H2");
	period_of(MR_PERIOD_MONTH, day(2024, 2, 29), day(2024, 2, 1), day(2024, 2, 29), "2024-02");
	period_of(MR_PERIOD_MONTH, day(2026, 2, 1), day(2026, 2, 1), day(2026, 2, 28), "2026-02");
	period_of(MR_PERIOD_YEAR, day(2024, 12, 31), day(2024, 1, 1), day(2024, 12, 31), "2024");
	period_of(MR_PERIOD_MONTH, 0, 0, 30, "1970-01");
}

/* For every day of two years and every kind: the period holds the day,
 * and its label reads back to the same range. */
static void test_period__of_reads_back(void **state)
{
	(void)state;
	static const mr_period_kind kinds[] = { MR_PERIOD_MONTH, MR_PERIOD_QUARTER,
	                                        MR_PERIOD_HALF, MR_PERIOD_YEAR };
	static const int len[] = { 7, 7, 7, 4 };
	for (int d = day(2024, 1, 1); d <= day(2025, 12, 31); d++)
		for (size_t k = 0; k < 4; k++) {
			mr_period p, q;
			mr_err e = MR_ERR_INIT;
			mr_period_of(&p, kinds[k], d);
			assert_true(p.first <= d && d <= p.last);
			assert_int_equal((int)strlen(p.label), len[k]);
			assert_int_equal(mr_period_parse(&q, p.label, &e), 0);
			assert_int_equal(q.first, p.first);
			assert_int_equal(q.last, p.last);
			assert_string_equal(q.label, p.label);
		}
}

static void test_period__days(void **state)
{
	(void)state;
	mr_period p = { 10, 10, "" };
	assert_int_equal(mr_period_days(&p), 1);
	p.last = 39;
	assert_int_equal(mr_period_days(&p), 30);
	p.first = -5;
	p.last = 5;
	assert_int_equal(mr_period_days(&p), 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_period__epoch_and_known_days),
		cmocka_unit_test(test_period__every_day_1900_2100),
		cmocka_unit_test(test_period__wide_roundtrip),
		cmocka_unit_test(test_period__leap_years),
		cmocka_unit_test(test_period__day_parse),
		cmocka_unit_test(test_period__day_parse_strict),
		cmocka_unit_test(test_period__day_format),
		cmocka_unit_test(test_period__month),
		cmocka_unit_test(test_period__quarter_half_year),
		cmocka_unit_test(test_period__range),
		cmocka_unit_test(test_period__reversed_range),
		cmocka_unit_test(test_period__bad_forms),
		cmocka_unit_test(test_period__error_kept),
		cmocka_unit_test(test_period__of_each_kind),
		cmocka_unit_test(test_period__of_reads_back),
		cmocka_unit_test(test_period__days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_import.c — the date forms the importers accept (import_int.h):
 * ISO with or without a time and zone, day-first numeric (Jira Server),
 * day/Mon/yy with AM/PM (Jira Cloud), and the boundaries that must fail
 * (no 31 November, no month 13, no 3-digit year, no trailing words). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/period.h"
#include "ingest/import_int.h"

static void date_is(const char *text, const char *want)
{
	int day = 0;
	char got[11] = "(error)";
	if (mr_imp_date_parse(&day, text) == 0)
		mr_day_format(got, day);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "date \"%s\": got %s, want %s\n", text, got, want);
	assert_string_equal(got, want);
}

static void test_import__date_iso(void **state)
{
	(void)state;
	date_is("2026-11-03", "2026-11-03");
	date_is("2026-1-3", "2026-01-03");
	date_is("2022-04-06 21:52:39 -0400", "2022-04-06");   /* Shopify */
	date_is("2020-02-19 10:36:26", "2020-02-19");         /* GitLab */
	date_is("2026-11-03T10:00:00Z", "2026-11-03");
	date_is("2026-11-24 10:00 AM", "2026-11-24");         /* Redmine */
	date_is("2024-02-29", "2024-02-29");
}

static void test_import__date_day_first(void **state)
{
	(void)state;
	date_is("16/02/2017 15:26", "2017-02-16");            /* Jira Server */
	date_is("1/2/2017", "2017-02-01");
	date_is("16/Feb/17 3:29 PM", "2017-02-16");           /* Jira Cloud */
	date_is("20/nov/2026", "2026-11-20");
	date_is("31/12/99", "2099-12-31");
}

static void test_import__date_bad(void **state)
{
	(void)state;
	date_is("", "(error)");
	date_is("2026-11-31", "(error)");
	date_is("2026-13-01", "(error)");
	date_is("2023-02-29", "(error)");
	date_is("31/11/2026", "(error)");
	date_is("16/Fev/17", "(error)");
	date_is("16/02/201", "(error)");
	date_is("2026/11/01", "(error)");
	date_is("2026-11-01x", "(error)");
	date_is("2026-11-01 yesterday", "(error)");
	date_is("11-03-2026", "(error)");
	date_is("0999-01-01", "(error)");
}

static void test_import__contains(void **state)
{
	(void)state;
	assert_true(mr_imp_contains("Web-Design, UI", "design"));
	assert_true(mr_imp_contains("DESIGN", "design"));
	assert_false(mr_imp_contains("desig", "design"));
	assert_false(mr_imp_contains("", "design"));
	assert_true(mr_imp_contains("anything", ""));
}

static void test_import__same_ci(void **state)
{
	(void)state;
	assert_true(mr_imp_same_ci("Paid", "paid"));
	assert_false(mr_imp_same_ci("unpaid", "paid"));
	assert_false(mr_imp_same_ci("pai", "paid"));
	assert_true(mr_imp_same_ci("", ""));
}

static void decoded_is(const char *in, size_t cap, const char *want)
{
	char out[64];
	assert_true(cap <= sizeof out);
	size_t n = mr_imp_url_decode(out, cap, in, strlen(in));
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

static void test_import__header_match(void **state)
{
	(void)state;
	assert_true(mr_imp_hdr_eq("Date", "date"));
	assert_true(mr_imp_hdr_eq(" \tDATE \t", "date"));
	assert_true(mr_imp_hdr_eq("\xEF\xBB\xBF" "date", "date"));        /* a BOM */
	assert_true(mr_imp_hdr_eq("\xC2\xA0" "Total\xC2\xA0", "Total"));  /* no-break spaces */
	assert_true(mr_imp_hdr_eq("订单编号 ", "订单编号"));                 /* Tmall's trailing space */
	assert_false(mr_imp_hdr_eq("dates", "date"));
	assert_false(mr_imp_hdr_eq("", "date"));
	assert_false(mr_imp_hdr_eq("da te", "date"));
	assert_true(mr_imp_hdr_one_of("Due Date|Due date", "due DATE"));
	assert_false(mr_imp_hdr_one_of("Due Date|Due date", "Due"));
	assert_true(mr_imp_hdr_eq_n("Site, main", "Site, main=site", 10));
}

static void test_import__url_decode(void **state)
{
	(void)state;
	decoded_is("spring%20sale", 64, "spring sale");
	decoded_is("spring+sale", 64, "spring sale");
	decoded_is("a%2Fb%2fc", 64, "a/b/c");
	decoded_is("100%", 64, "100%");          /* not an escape: kept */
	decoded_is("%4", 64, "%4");
	decoded_is("%zz", 64, "%zz");
	decoded_is("abcdef", 4, "abc");          /* cut to fit, NUL-terminated */
}

static void test_import__url_path(void **state)
{
	(void)state;
	assert_string_equal(mr_imp_url_path("https://example.com/blog/post-1"), "/blog/post-1");
	assert_string_equal(mr_imp_url_path("http://example.com:8080/a?b"), "/a?b");
	assert_string_equal(mr_imp_url_path("https://example.com"), "");
	assert_string_equal(mr_imp_url_path("/blog/post-1"), "/blog/post-1");
	assert_string_equal(mr_imp_url_path("/r?to=https://x.com/y"), "/r?to=https://x.com/y");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import__date_iso),
		cmocka_unit_test(test_import__date_day_first),
		cmocka_unit_test(test_import__date_bad),
		cmocka_unit_test(test_import__contains),
		cmocka_unit_test(test_import__same_ci),
		cmocka_unit_test(test_import__header_match),
		cmocka_unit_test(test_import__url_decode),
		cmocka_unit_test(test_import__url_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_import.c — the date forms the importers accept (import_int.h):
 * ISO with or without a time and zone, day-first or month-first numeric
 * (told, or by a number over 12; ambiguous otherwise), day/Mon/yy with
 * AM/PM (Jira Cloud), month names in English, Spanish and Chinese,
 * 2026年11月3日, and the boundaries that must fail (no 31 November, no
 * month 13, no 3-digit year, no trailing words); the value vocabularies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/period.h"
#include "core/plan.h"
#include "ingest/import.h"
#include "ingest/import_int.h"

/* text read in the order (0: as its numbers say) must give want; *seen
 * what the numbers said. */
static int date_as(const char *text, int order, const char *want)
{
	int day = 0, seen = -1;
	char got[11] = "(error)";
	if (mr_imp_date_parse(&day, text, order, &seen) == 0)
		mr_day_format(got, day);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "date \"%s\" (order %d): got %s, want %s\n", text, order, got, want);
	assert_string_equal(got, want);
	return seen;
}

static void date_is(const char *text, const char *want)
{
	date_as(text, 0, want);
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
	date_as("1/2/2017", MR_DATE_DMY, "2017-02-01");
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

/* Day first or month first: the numbers tell when one is over 12; told
 * by the caller otherwise; both 12 or under and different is ambiguous. */
static void test_import__date_order(void **state)
{
	(void)state;
	assert_int_equal(date_as("16/02/2017", 0, "2017-02-16"), MR_DATE_DMY);
	assert_int_equal(date_as("02/16/2017", 0, "2017-02-16"), MR_DATE_MDY);
	assert_int_equal(date_as("03/04/2026", 0, "(error)"), MR_DATE_AMBIGUOUS);
	assert_int_equal(date_as("03/04/2026", MR_DATE_DMY, "2026-04-03"), MR_DATE_AMBIGUOUS);
	assert_int_equal(date_as("03/04/2026", MR_DATE_MDY, "2026-03-04"), MR_DATE_AMBIGUOUS);
	assert_int_equal(date_as("04/04/2026", 0, "2026-04-04"), MR_DATE_UNTOLD);  /* either way */
	assert_int_equal(date_as("12/12/2026 10:00", 0, "2026-12-12"), MR_DATE_UNTOLD);
	assert_int_equal(date_as("2026-03-04", 0, "2026-03-04"), MR_DATE_UNTOLD);
	assert_int_equal(date_as("3/Apr/26", 0, "2026-04-03"), MR_DATE_UNTOLD);
	date_as("02/16/2017", MR_DATE_DMY, "(error)");      /* told day-first: month 16 */
	date_as("16/02/2017", MR_DATE_MDY, "(error)");
	date_as("13/13/2026", 0, "(error)");
	date_as("11.03.2026", MR_DATE_DMY, "2026-03-11");    /* dots, as German exports */
	date_as("11-03-2026", MR_DATE_DMY, "(error)");       /* numbers with '-': never */
}

/* Month names: English, Spanish (Jira in Spanish), Chinese; 2026年11月3日. */
static void test_import__date_names(void **state)
{
	(void)state;
	date_is("15/ene/26 12:00 AM", "2026-01-15");         /* Jira, Spanish */
	date_is("15/ENE/26 12:00 PM", "2026-01-15");
	date_is("1/abr/2026", "2026-04-01");
	date_is("9/ago/26 3:29 p. m.", "2026-08-09");
	date_is("30/sept/26", "2026-09-30");
	date_is("30/sep/26", "2026-09-30");
	date_is("24/dic/25 9:00 a. m.", "2025-12-24");
	date_is("3/mayo/2026", "2026-05-03");
	date_is("15/十一月/26 12:00 上午", "2026-11-15");      /* Jira, Chinese */
	date_is("1/一月/26", "2026-01-01");
	date_is("03-11月-26", "2026-11-03");
	date_is("3 Nov 2026", "2026-11-03");
	date_is("3-Nov-2026", "2026-11-03");
	date_is("3 November 2026", "2026-11-03");
	date_is("Nov 3, 2026", "2026-11-03");
	date_is("November 3 2026 10:00", "2026-11-03");
	date_is("3 Nov. 2026", "2026-11-03");
	date_is("2026年11月3日", "2026-11-03");
	date_is("2026年1月3日 14:30", "2026-01-03");
	date_is("2026年11月3日14:30:05", "2026-11-03");
	date_is("2026年11月3日 下午2:30", "2026-11-03");
	date_is("2026年2月30日", "(error)");
	date_is("2026年11月", "(error)");
	date_is("15/enx/26", "(error)");
	date_is("15/ene/26 tomorrow", "(error)");
	date_is("Nov 3 26", "(error)");
	date_is("15/十三月/26", "(error)");
	date_is("3/Nov-2026", "(error)");                    /* separators differ */
}

/* The built-in vocabularies: English and Chinese words, ASCII case and
 * spaces ignored; what the tables do not know is -1, not a guess. */
static void test_import__vocab(void **state)
{
	(void)state;
	assert_int_equal(mr_imp_vocab_find("orders", "status", "paid"), MR_STATUS_PAID);
	assert_int_equal(mr_imp_vocab_find("orders", "status", " Completed "), MR_STATUS_PAID);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "交易成功"), MR_STATUS_PAID);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "已完成"), MR_STATUS_PAID);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "已付款"), MR_STATUS_PAID);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "partially_refunded"), MR_STATUS_PAID);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "交易关闭"), MR_STATUS_CANCELLED);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "已取消"), MR_STATUS_CANCELLED);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "cancelled"), MR_STATUS_CANCELLED);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "voided"), MR_STATUS_CANCELLED);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "已退款"), MR_STATUS_REFUNDED);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "refunded"), MR_STATUS_REFUNDED);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "pending"), MR_STATUS_PENDING);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "等待买家付款"), MR_STATUS_PENDING);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "发货中"), -1);
	assert_int_equal(mr_imp_vocab_find("orders", "status", "paidx"), -1);
	assert_int_equal(mr_imp_vocab_find("orders", "source", "pos"), MR_SOURCE_POS);
	assert_int_equal(mr_imp_vocab_find("orders", "source", "shopify_draft_order"),
	                 MR_SOURCE_DRAFT);
	assert_int_equal(mr_imp_vocab_find("orders", "source", "web"), -1);  /* online: no word */
	assert_int_equal(mr_imp_vocab_find("content", "type", "专题"), MR_TYPE_TOPIC);
	assert_int_equal(mr_imp_vocab_find("content", "type", "Special"), MR_TYPE_TOPIC);
	assert_int_equal(mr_imp_vocab_find("content", "type", "special topic"), MR_TYPE_TOPIC);
	assert_int_equal(mr_imp_vocab_find("content", "type", "专题报道"), MR_TYPE_TOPIC);
	assert_int_equal(mr_imp_vocab_find("content", "type", "文章"), MR_TYPE_ARTICLE);
	assert_int_equal(mr_imp_vocab_find("content", "type", "article"), MR_TYPE_ARTICLE);
	assert_int_equal(mr_imp_vocab_find("content", "type", "视频"), MR_TYPE_OTHER);
	assert_int_equal(mr_imp_vocab_find("content", "type", "podcast"), -1);
	assert_int_equal(mr_imp_vocab_find("tasks", "first_review", "通过"), MR_VERDICT_APPROVED);
	assert_int_equal(mr_imp_vocab_find("tasks", "first_review", "approved"), MR_VERDICT_APPROVED);
	assert_int_equal(mr_imp_vocab_find("tasks", "first_review", "PASS"), MR_VERDICT_APPROVED);
	assert_int_equal(mr_imp_vocab_find("tasks", "first_review", "yes"), MR_VERDICT_APPROVED);
	assert_int_equal(mr_imp_vocab_find("tasks", "first_review", "驳回"), MR_VERDICT_REJECTED);
	assert_int_equal(mr_imp_vocab_find("tasks", "first_review", "不通过"), MR_VERDICT_REJECTED);
	assert_int_equal(mr_imp_vocab_find("tasks", "first_review", "rejected"), MR_VERDICT_REJECTED);
	assert_int_equal(mr_imp_vocab_find("tasks", "first_review", "no"), MR_VERDICT_REJECTED);
	assert_int_equal(mr_imp_vocab_find("tasks", "first_review", "maybe"), -1);
	assert_int_equal(mr_imp_vocab_find("tasks", "type", "bug"), -2);    /* no vocabulary */
	assert_int_equal(mr_imp_vocab_find("orders", "total", "1"), -2);
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

static void test_import__url_path(void **state)
{
	(void)state;
	assert_string_equal(mr_imp_url_path("https://example.com/blog/post-1"), "/blog/post-1");
	assert_string_equal(mr_imp_url_path("http://example.com:8080/a?b"), "/a?b");
	assert_string_equal(mr_imp_url_path("https://example.com"), "");
	assert_string_equal(mr_imp_url_path("/blog/post-1"), "/blog/post-1");
	assert_string_equal(mr_imp_url_path("/r?to=https://x.com/y"), "/r?to=https://x.com/y");
}

/* Every kind of import is in the words a message names them in, and the
 * messages that name them are in Chinese too: msg_zh.c matches them word
 * for word, so a kind added to one and not the other shows here. */
static void zh_differs(const char *en)
{
	mr_buf zh;
	mr_buf_init(&zh);
	mr_msg_tr_file(&zh, en, strlen(en), MR_LOCALE_ZH_CN);
	if (strcmp(zh.data, en) == 0)
		fprintf(stderr, "not translated: %s\n", en);
	assert_string_not_equal(zh.data, en);
	assert_non_null(strstr(zh.data, "index"));
	assert_non_null(strstr(zh.data, "visits"));
	mr_buf_release(&zh);
}

static void test_import__kinds_text(void **state)
{
	(void)state;
	size_t kinds = 0, words = 1;
	for (; mr_import_kinds[kinds]; kinds++) {
		char word[32];
		snprintf(word, sizeof word, " %s,", mr_import_kinds[kinds]);
		char text[256];
		snprintf(text, sizeof text, " %s,", MR_IMPORT_KINDS_TEXT);
		for (char *p = text; (p = strstr(p, " or ")); )
			memcpy(p, ",   ", 4);   /* "x or y" as "x,   y" */
		if (!strstr(text, word))
			fprintf(stderr, "%s is not in \"%s\"\n", mr_import_kinds[kinds], MR_IMPORT_KINDS_TEXT);
		assert_non_null(strstr(text, word));
	}
	for (const char *p = MR_IMPORT_KINDS_TEXT; *p; p++)
		words += *p == ',' || strncmp(p, " or ", 4) == 0;
	assert_int_equal(words, kinds);

	mr_import_opts o;
	memset(&o, 0, sizeof o);
	mr_err err = MR_ERR_INIT;
	assert_int_equal(mr_import_check("bogus", &o, &err), MR_EINVALID);
	zh_differs(err.msg);
	mr_err_clear(&err);
	mr_buf b;
	mr_buf_init(&b);
	assert_int_equal(mr_import_template("bogus", NULL, &b, &err), MR_EINVALID);
	zh_differs(err.msg);
	mr_err_clear(&err);
	mr_buf_release(&b);
	zh_differs("kind: one of " MR_IMPORT_KINDS_TEXT " (or a saved source)");
	zh_differs("kind: one of " MR_IMPORT_KINDS_TEXT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import__date_iso),
		cmocka_unit_test(test_import__date_day_first),
		cmocka_unit_test(test_import__date_bad),
		cmocka_unit_test(test_import__date_order),
		cmocka_unit_test(test_import__date_names),
		cmocka_unit_test(test_import__vocab),
		cmocka_unit_test(test_import__contains),
		cmocka_unit_test(test_import__same_ci),
		cmocka_unit_test(test_import__header_match),
		cmocka_unit_test(test_import__url_path),
		cmocka_unit_test(test_import__kinds_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

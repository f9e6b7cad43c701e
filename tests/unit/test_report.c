/* test_report.c — the pure pieces of the reports: SVG charts (escaping,
 * clamping, the many-bars form, gaps in a line), values as shown, grade
 * colours, the known formats and their MIME types, and what every
 * document says alike: who rated (anonymous or not), what keeps a row
 * from being complete, the scores that weigh 0, acknowledgements. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_svg.h"

static void test_report__xml_escape(void **state)
{
	(void)state;
	mr_buf b;
	mr_buf_init(&b);
	mr_xml_text(&b, "<a href=\"x\">Tom & 'Jerry'</a> 王小明");
	assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt; 王小明");
	mr_buf_reset(&b);
	mr_xml_text(&b, NULL);
	assert_string_equal(b.data, "");
	mr_buf_release(&b);
}

static void test_report__bars(void **state)
{
	(void)state;
	mr_buf b, c;
	mr_buf_init(&b);
	mr_buf_init(&c);
	const mr_svg_bar bars[] = {
		{ "S", 2, "2", "#57bb8a" },
		{ "<B>", 8, "8", "#ffe599" },   /* escaped */
		{ "D", 12, "12", "#e67c73" },   /* past max: clamped to the top */
		{ "E", -1, NULL, "#dddddd" },   /* below 0: no height */
	};
	mr_svg_bars(&b, "Grades & people", bars, 4, 8, 300, 200);
	mr_svg_bars(&c, "Grades & people", bars, 4, 8, 300, 200);
	assert_string_equal(b.data, c.data);                 /* deterministic */
	assert_non_null(strstr(b.data, "<title>Grades &amp; people</title>"));
	assert_non_null(strstr(b.data, ">&lt;B&gt;</text>"));
	assert_null(strstr(b.data, "<B>"));
	/* plot 154 high, slots (300 - 36 - 8) / 4 = 64 wide, bars 70 % of that:
	 * 8 and 12 both reach the top (max 8), 2 a quarter of it */
	assert_non_null(strstr(b.data, "y=\"133.50\" width=\"44.80\" height=\"38.50\" fill=\"#57bb8a\""));
	assert_non_null(strstr(b.data, "y=\"18.00\" width=\"44.80\" height=\"154.00\" fill=\"#ffe599\""));
	assert_non_null(strstr(b.data, "y=\"18.00\" width=\"44.80\" height=\"154.00\" fill=\"#e67c73\""));
	assert_non_null(strstr(b.data, "height=\"0.00\" fill=\"#dddddd\""));
	assert_int_equal(b.oom, 0);
	mr_buf_release(&b);
	mr_buf_release(&c);
}

static void test_report__many_bars_no_labels(void **state)
{
	(void)state;
	mr_buf b;
	mr_buf_init(&b);
	mr_svg_bar bars[41];
	for (int i = 0; i < 41; i++)
		bars[i] = (mr_svg_bar){ "label-x", 50, "50.00", "#123456" };
	mr_svg_bars(&b, "t", bars, 41, 100, 400, 200);
	assert_null(strstr(b.data, ">label-x</text>"));      /* too many to label */
	assert_non_null(strstr(b.data, "<title>label-x: 50.00</title>"));   /* but named */
	mr_buf_release(&b);
}

static void test_report__line_gaps(void **state)
{
	(void)state;
	mr_buf b;
	mr_buf_init(&b);
	const char *labels[] = { "2026-09", "2026-10", "2026-11", "2026-12" };
	const double v[] = { 50, 0, 75, 100 };
	const int has[] = { 1, 0, 1, 1 };
	mr_svg_line(&b, "history", labels, v, has, 4, 100, 300, 200);
	/* a gap splits the line in two polylines: one of one point, one of two */
	const char *first = strstr(b.data, "<polyline");
	assert_non_null(first);
	const char *second = strstr(first + 1, "<polyline");
	assert_non_null(second);
	assert_null(strstr(second + 1, "<polyline"));
	assert_non_null(strstr(b.data, ">75.00</text>"));
	assert_null(strstr(b.data, ">0.00</text>"));          /* no point where no score */
	assert_non_null(strstr(b.data, ">2026-12</text>"));
	mr_buf_release(&b);
}

static void test_report__value(void **state)
{
	(void)state;
	char s[32];
	mr_report_value(s, 0, 12);
	assert_string_equal(s, "-");
	mr_report_value(s, 1, 12);
	assert_string_equal(s, "12");
	mr_report_value(s, 1, 72.125);                        /* half away from zero */
	assert_string_equal(s, "72.13");
	mr_report_value(s, 1, -0.005);
	assert_string_equal(s, "-0.01");
	mr_report_value(s, 1, 5.0000000001);
	assert_string_equal(s, "5");
}

static void test_report__grade_colors(void **state)
{
	(void)state;
	mr_report_grade g[5] = { { "S", 0 }, { "A", 0 }, { "B", 0 }, { "C", 0 }, { "D", 0 } };
	mr_report r;
	memset(&r, 0, sizeof r);
	r.grades = g;
	r.ngrades = 5;
	assert_string_equal(mr_report_grade_color(&r, "S"), "#57bb8a");   /* best: green */
	assert_string_equal(mr_report_grade_color(&r, "D"), "#e67c73");   /* worst: red */
	assert_string_equal(mr_report_grade_color(&r, "B"), "#ffe599");
	assert_string_equal(mr_report_grade_color(&r, "Z"), "#dddddd");   /* unknown */
	assert_string_equal(mr_report_grade_color(&r, NULL), "#dddddd");
	r.ngrades = 2;                                         /* two grades: ends of the scale */
	assert_string_equal(mr_report_grade_color(&r, "S"), "#57bb8a");
	assert_string_equal(mr_report_grade_color(&r, "A"), "#e67c73");
	r.ngrades = 1;
	assert_string_equal(mr_report_grade_color(&r, "S"), "#57bb8a");
}

static void test_report__formats(void **state)
{
	(void)state;
	const char *known[] = { "csv", "json", "html", "xlsx", "pdf" };
	for (size_t i = 0; i < 5; i++) {
		assert_true(mr_report_format_known(known[i]));
		assert_non_null(mr_report_mime(known[i]));
	}
	assert_false(mr_report_format_known("docx"));
	assert_false(mr_report_format_known("PDF"));
	assert_false(mr_report_format_known(""));
	assert_false(mr_report_format_known(NULL));
	assert_null(mr_report_mime("docx"));
	assert_string_equal(mr_report_mime("pdf"), "application/pdf");
}

static void test_report__rater(void **state)
{
	(void)state;
	char s[64];
	mr_report r;
	memset(&r, 0, sizeof r);
	mr_rating_row self = { "wang", "self", "wang", "quality", 4, NULL };
	mr_rating_row mgr = { "wang", "manager", "boss", "quality", 4, NULL };
	mr_rating_row peer = { "wang", "peer", "xiaoli", "quality", 3, NULL };
	mr_rating_row up = { "wang", "upward", "zhou", "quality", 3, NULL };
	mr_report_rater(s, sizeof s, &r, &self);
	assert_string_equal(s, "self");
	mr_report_rater(s, sizeof s, &r, &mgr);
	assert_string_equal(s, "manager (boss)");
	mr_report_rater(s, sizeof s, &r, &peer);              /* the admin's copy names them */
	assert_string_equal(s, "peer (xiaoli)");
	mr_report_rater(s, sizeof s, &r, &up);
	assert_string_equal(s, "upward (zhou)");
	/* anonymous: the model renamed the raters "peer 1", "upward 1" */
	r.anonymous = 1;
	peer.rater = "peer 1";
	up.rater = "upward 1";
	mr_report_rater(s, sizeof s, &r, &peer);
	assert_string_equal(s, "peer 1");
	mr_report_rater(s, sizeof s, &r, &up);
	assert_string_equal(s, "upward 1");
	mr_report_rater(s, sizeof s, &r, &mgr);               /* the manager is never anonymous */
	assert_string_equal(s, "manager (boss)");
}

static void test_report__incomplete_and_not_counted(void **state)
{
	(void)state;
	mr_result res;
	mr_report r;
	mr_scorecard c;
	mr_buf b;
	memset(&res, 0, sizeof res);
	memset(&r, 0, sizeof r);
	memset(&c, 0, sizeof c);
	mr_buf_init(&b);
	r.result = &res;
	res.weighs[MR_COMP_KPI] = res.weighs[MR_COMP_MANAGER] = res.weighs[MR_COMP_UPWARD] = 1;
	c.scored = 1;
	c.complete = 1;
	mr_report_incomplete(&b, &r, &c);
	assert_int_equal(b.len, 0);                           /* complete: nothing to say */
	c.complete = 0;
	c.missing = "rank, posts";
	c.left_out = "manager";
	mr_report_incomplete(&b, &r, &c);
	assert_string_equal(b.data, "no data for rank, posts; no rating: manager");
	mr_buf_reset(&b);
	c.missing = NULL;
	mr_report_incomplete(&b, &r, &c);
	assert_string_equal(b.data, "no rating: manager");
	/* a score that weighs 0 (peer 60, upward weighs 10 and counts) */
	mr_buf_reset(&b);
	c.has[MR_COMP_KPI] = c.has[MR_COMP_PEER] = c.has[MR_COMP_UPWARD] = 1;
	c.comp[MR_COMP_PEER] = 60;
	c.comp[MR_COMP_UPWARD] = 80;
	c.comp[MR_COMP_SELF] = 99;                            /* no data: never shown */
	mr_report_not_counted(&b, &r, &c);
	assert_string_equal(b.data, "peer 60.00");
	assert_true(mr_report_counts(&r, MR_COMP_UPWARD));
	assert_false(mr_report_counts(&r, MR_COMP_PEER));
	assert_string_equal(mr_report_comp_title(&r, MR_COMP_UPWARD), "Upward");
	assert_string_equal(mr_report_comp_title(&r, MR_NCOMP), "");
	/* in Chinese: the same facts in the web app's words, lists with 、 */
	r.lang = MR_LOCALE_ZH_CN;
	mr_buf_reset(&b);
	c.missing = "rank, posts";
	c.left_out = "manager, self";
	mr_report_incomplete(&b, &r, &c);
	assert_string_equal(b.data, "无数据：rank、posts；尚无评分：上级评、自评");
	mr_buf_reset(&b);
	mr_report_not_counted(&b, &r, &c);
	assert_string_equal(b.data, "同事评 60.00");
	assert_string_equal(mr_report_comp_title(&r, MR_COMP_UPWARD), "下属评");
	assert_string_equal(mr_report_rule(&r, MR_RULE_BANDS), "分档");
	assert_string_equal(mr_report_goal_text(&r, MR_GOAL_SALES), "销售产品");
	mr_buf_reset(&b);
	c.scored = 0;
	c.not_scored = "KPI coverage 25% is below the plan's min_coverage 50% (no data for rank, posts)";
	mr_report_not_scored(&b, &r, &c);
	assert_string_equal(b.data, "KPI 覆盖率 25% 低于方案要求的最低覆盖率（min_coverage）50%"
	                            "（无数据：rank、posts）");
	mr_buf_reset(&b);
	c.not_scored = "a reason merit does not know";      /* kept as it is */
	mr_report_not_scored(&b, &r, &c);
	assert_string_equal(b.data, "a reason merit does not know");
	r.lang = MR_LOCALE_EN;
	mr_buf_reset(&b);
	c.not_scored = "KPI coverage 25% is below the plan's min_coverage 50% (no data for rank, posts)";
	mr_report_not_scored(&b, &r, &c);
	assert_string_equal(b.data, c.not_scored);
	mr_buf_release(&b);
}

static void test_report__acks(void **state)
{
	(void)state;
	char at[32];
	mr_ack acks[2] = { { "wang", "manager", "boss", NULL, "2026-12-03T08:05:00.000Z" },
	                   { "wang", "self", "wang", "同意", "2026-12-02T10:15:42.123Z" } };
	mr_report_person p;
	memset(&p, 0, sizeof p);
	assert_null(mr_report_ack(&p, "self"));
	p.acks = acks;
	p.nacks = 2;
	assert_ptr_equal(mr_report_ack(&p, "self"), &acks[1]);
	assert_ptr_equal(mr_report_ack(&p, "manager"), &acks[0]);
	mr_report_ack_time(at, acks[1].at);
	assert_string_equal(at, "2026-12-02 10:15 UTC");
	mr_report_ack_time(at, "yesterday");                  /* not ours: as it is */
	assert_string_equal(at, "yesterday");
	mr_report_ack_time(at, NULL);
	assert_string_equal(at, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report__xml_escape),
		cmocka_unit_test(test_report__bars),
		cmocka_unit_test(test_report__many_bars_no_labels),
		cmocka_unit_test(test_report__line_gaps),
		cmocka_unit_test(test_report__value),
		cmocka_unit_test(test_report__grade_colors),
		cmocka_unit_test(test_report__formats),
		cmocka_unit_test(test_report__rater),
		cmocka_unit_test(test_report__incomplete_and_not_counted),
		cmocka_unit_test(test_report__acks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

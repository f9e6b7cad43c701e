/* test_log.c — the access-log pieces: the format compiler (presets,
 * custom strings, errors with their column), the line parser (fields,
 * date and second of the day, strictness, the one tolerance of a line
 * cut inside its last quoted field, escaped quotes, IPv6), the request
 * target and static-file tests, the crawler test, and the per-day
 * aggregation against an in-memory store (visitors as GoAccess counts
 * them, visits after 30 idle minutes, crawlers kept out). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/period.h"
#include "ingest/log.h"

static mr_log_format *compile(const char *spec)
{
	mr_log_format *f = NULL;
	mr_err e = MR_ERR_INIT;
	assert_int_equal(mr_log_format_compile(&f, spec, &e), 0);
	return f;
}

static int parse(const mr_log_format *f, const char *line, mr_log_line *l, mr_log_bad *bad)
{
	return mr_log_parse(f, line, strlen(line), l, bad);
}

static int span_is(mr_log_span s, const char *want)
{
	return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

static void test_log__combined(void **state)
{
	(void)state;
	mr_log_format *f = compile("combined");
	mr_log_line l;
	mr_log_bad bad;
	assert_int_equal(parse(f, "83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /a.png HTTP/1.1\" "
	                 "200 203023 \"http://x/\" \"Mozilla/5.0 (Mac) \\\"q\\\" x\"", &l, &bad), 0);
	assert_true(span_is(l.f[MR_LF_HOST], "83.149.9.216"));
	assert_true(span_is(l.f[MR_LF_REQUEST], "GET /a.png HTTP/1.1"));
	assert_true(span_is(l.f[MR_LF_REFERER], "http://x/"));
	assert_true(span_is(l.f[MR_LF_AGENT], "Mozilla/5.0 (Mac) \\\"q\\\" x"));
	assert_int_equal(l.status, 200);
	assert_int_equal(l.day, mr_day_from_civil(2015, 5, 17));
	assert_int_equal(l.sec, 10 * 3600 + 5 * 60 + 3);
	assert_int_equal(l.cut, 0);
	/* cut inside the agent: kept, marked, the agent "-" (as GoAccess) */
	assert_int_equal(parse(f, "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 - "
	                 "\"-\" \"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html",
	                 &l, &bad), 0);
	assert_int_equal(l.cut, 1);
	assert_int_equal(l.f[MR_LF_AGENT].n, 0);
	/* cut inside the request: failed, at the end of the line */
	const char *early = "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1";
	assert_int_equal(parse(f, early, &l, &bad), MR_EINVALID);
	assert_int_equal(bad.col, strlen(early) + 1);
	/* no ident and user (the lnav line): "%h %^[" reads it, as GoAccess */
	assert_int_equal(parse(f, "192.168.202.254 [20/Jul/2009:22:59:29 +0000] \"GET / HTTP/1.0\" 404 "
	                 "46210 \"-\" \"gPXE/0.9.7\"", &l, &bad), 0);
	assert_int_equal(l.status, 404);
	/* a line ending inside the status: failed (GoAccess too: no blank
	 * after it) */
	assert_int_equal(parse(f, "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200",
	                 &l, &bad), MR_EINVALID);
	/* IPv6 and a 304 with "-" bytes */
	assert_int_equal(parse(f, "2001:db8::1 - - [29/Feb/2024:23:59:60 -0500] \"GET / HTTP/2\" 304 - \"-\" \"x\"",
	                 &l, &bad), 0);
	assert_int_equal(l.sec, 86400);
	mr_log_format_free(f);
}

static void test_log__bad_fields(void **state)
{
	(void)state;
	mr_log_format *f = compile("common");
	mr_log_line l;
	mr_log_bad bad;
	static const struct { const char *line; size_t col; } cases[] = {
		{ "1.2.3 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1", 1 },
		{ "256.1.1.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1", 1 },
		{ "host.example - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1", 1 },
		{ "1.2.3.4 - - [29/Feb/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1", 14 },
		{ "1.2.3.4 - - [17/Mai/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1", 14 },
		{ "1.2.3.4 - - [17/May/2015:24:05:03 +0000] \"GET / HTTP/1.1\" 200 1", 26 },
		{ "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 600 1", 59 },
		{ "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 099 1", 59 },
		/* no quotes: the text between fields is stepped over, as GoAccess
		 * does, and the request runs on to the end, with no closing quote */
		{ "1.2.3.4 - - [17/May/2015:10:05:03 +0000] GET / HTTP/1.1 200 1", 62 },
		{ "", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(parse(f, cases[i].line, &l, &bad), MR_EINVALID);
		if (bad.col != cases[i].col)
			fail_msg("case %zu: column %zu, wanted %zu (%s)", i, bad.col, cases[i].col, bad.why);
	}
	/* %b is last: it runs to the end of the line, so common reads
	 * combined lines */
	assert_int_equal(parse(f, "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 trailing",
	                 &l, &bad), 0);
	assert_int_equal(l.status, 200);
	assert_int_equal(parse(f, "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 404 512 "
	                 "\"http://a.example/\" \"Mozilla/5.0 (X11)\"", &l, &bad), 0);
	assert_int_equal(l.status, 404);
	/* the byte count is not checked (GoAccess takes a bad one for 0) */
	assert_int_equal(parse(f, "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1k trailing",
	                 &l, &bad), 0);
	mr_log_format_free(f);
}

static void test_log__format_strings(void **state)
{
	(void)state;
	mr_log_format *f = NULL;
	mr_err e = MR_ERR_INIT;
	assert_int_equal(mr_log_format_compile(&f, "%h %Q %t", &e), MR_EINVALID);
	assert_non_null(strstr(e.msg, "log format:4: unknown specifier \"%Q\""));
	mr_err_clear(&e);
	assert_int_equal(mr_log_format_compile(&f, "%h%d %t %r", &e), MR_EINVALID);
	assert_non_null(strstr(e.msg, ":3: a field must be separated"));
	mr_err_clear(&e);
	/* a word that names no format: the names are listed */
	assert_int_equal(mr_log_format_compile(&f, "iis", &e), MR_EINVALID);
	assert_non_null(strstr(e.msg, "no format has that name"));
	assert_non_null(strstr(e.msg, "w3c"));
	mr_err_clear(&e);
	assert_int_equal(mr_log_format_compile(&f, "%h %r", &e), MR_EINVALID);
	mr_err_clear(&e);
	assert_int_equal(mr_log_format_compile(&f, "%h %h %t", &e), MR_EINVALID);
	mr_err_clear(&e);
	assert_int_equal(mr_log_format_compile(&f, "%h %{Referer", &e), MR_EINVALID);
	mr_err_clear(&e);
	f = compile("%v:%p %h %l %u %t \\\"%r\\\" %>s %O \\\"%{Referer}i\\\" \\\"%{User-agent}i\\\"");
	assert_true(mr_log_format_has(f, MR_LF_VHOST));
	assert_true(mr_log_format_has(f, MR_LF_AGENT));
	mr_log_line l;
	mr_log_bad bad;
	assert_int_equal(parse(f, "shop.a:443 ::1 - bob [03/Nov/2026:08:00:00 +0800] \"GET / HTTP/1.1\" 200 9 "
	                 "\"-\" \"curl/8\"", &l, &bad), 0);
	assert_true(span_is(l.f[MR_LF_VHOST], "shop.a"));
	assert_true(span_is(l.f[MR_LF_USER], "bob"));
	assert_true(span_is(l.f[MR_LF_AGENT], "curl/8"));
	mr_log_format_free(f);
	f = compile("%h %^ [%^] %t \\\"%r\\\" %s 100%% %{X-Id}i");
	assert_int_equal(parse(f, "1.2.3.4 x [y z] [03/Nov/2026:08:00:00 +0800] \"GET / HTTP/1.1\" 201 100% abc",
	                 &l, &bad), 0);
	assert_int_equal(l.status, 201);
	mr_log_format_free(f);
}

static void test_log__target_static_crawler(void **state)
{
	(void)state;
	mr_log_span path, query;
	mr_log_span req = { "GET http://h.example/blog/x.html?utm_source=a&b=c HTTP/1.1", 57 };
	assert_int_equal(mr_log_request_target(req, &path, &query), 0);
	assert_true(span_is(path, "/blog/x.html"));
	assert_true(span_is(query, "utm_source=a&b=c"));
	mr_log_span bad = { "-", 1 }, bare = { "GET /a", 6 };
	assert_int_equal(mr_log_request_target(bad, &path, &query), MR_EINVALID);
	assert_int_equal(mr_log_request_target(bare, &path, &query), 0);
	assert_true(span_is(path, "/a"));
	assert_true(mr_log_is_static((mr_log_span){ "/a/B.PNG", 8 }));
	assert_true(mr_log_is_static((mr_log_span){ "/app.js", 7 }));
	assert_false(mr_log_is_static((mr_log_span){ "/blog/post.html", 15 }));
	assert_false(mr_log_is_static((mr_log_span){ "/css/", 5 }));
	assert_false(mr_log_is_static((mr_log_span){ "/x.css/y", 8 }));
	static const char *const bots[] = {
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"curl/8.4.0", "-", "", "python-requests/2.31", "Mozilla/5.0 (compatible; SemrushBot/7)",
		"Mozilla/5.0 (X11; Linux) HeadlessChrome/120.0", "facebookexternalhit/1.1",
	};
	for (size_t i = 0; i < sizeof bots / sizeof bots[0]; i++)
		if (!mr_log_is_crawler(bots[i], strlen(bots[i])))
			fail_msg("not a crawler: %s", bots[i]);
	static const char *const people[] = {
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
		"Opera/9.80 (Windows NT 6.1) Presto/2.12",
	};
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
		if (mr_log_is_crawler(people[i], strlen(people[i])))
			fail_msg("taken for a crawler: %s", people[i]);
}

/* The aggregation on an in-memory store: figures by hand. */
static void test_log__aggregate(void **state)
{
	(void)state;
	mr_store *s = NULL;
	mr_err e = MR_ERR_INIT;
	mr_log_agg *a = NULL;
	int64_t batch;
	int days;
	mr_log_format *f = compile("combined");
	assert_int_equal(mr_store_open(&s, ":memory:", &e), 0);
	assert_int_equal(mr_store_begin(s, &e), 0);
	assert_int_equal(mr_store_batch_add(s, &batch, "logs", "t.log", NULL, &e), 0);
	assert_int_equal(mr_log_agg_new(&a, s, NULL, 1, batch, &e), 0);
	static const char *const lines[] = {
		"1.1.1.1 - - [03/Nov/2026:08:00:00 +0800] \"GET / HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0 A\"",
		"1.1.1.1 - - [03/Nov/2026:08:30:00 +0800] \"GET /b HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0 A\"",   /* 30:00: same visit */
		"1.1.1.1 - - [03/Nov/2026:09:00:01 +0800] \"GET /c HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0+A\"",   /* 30:01, '+' is ' ' */
		"1.1.1.1 - - [03/Nov/2026:09:00:02 +0800] \"GET /d HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0 B\"",   /* new visitor */
		"2.2.2.2 - - [03/Nov/2026:09:00:03 +0800] \"GET /e HTTP/1.1\" 403 1 \"-\" \"Mozilla/5.0 A\"",   /* 4xx */
		"3.3.3.3 - - [03/Nov/2026:09:00:04 +0800] \"GET /f HTTP/1.1\" 500 1 \"-\" \"Mozilla/5.0 A\"",   /* 5xx counts */
		"4.4.4.4 - - [03/Nov/2026:09:00:05 +0800] \"GET /g HTTP/1.1\" 200 1 \"-\" \"Wget/1.21\"",       /* crawler */
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		mr_log_line l;
		mr_log_bad bad;
		assert_int_equal(parse(f, lines[i], &l, &bad), 0);
		assert_int_equal(mr_log_agg_line(a, &l, "default", 7, (long long)i + 1, &e), 0);
	}
	mr_log_agg_failed(a);
	assert_int_equal(mr_log_agg_finish(a, &days, &e), 0);
	assert_int_equal(days, 1);
	mr_traffic_day *t = NULL;
	size_t n = 0;
	assert_int_equal(mr_store_traffic_list(s, NULL, MR_DAY_MIN, MR_DAY_MAX, &t, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].site, "default");
	assert_int_equal(t[0].requests, 7);
	assert_int_equal(t[0].failed_lines, 1);
	assert_int_equal(t[0].page_views, 4);          /* 200s not from the crawler */
	assert_int_equal(t[0].visitors, 4);            /* A@1, B@1, A@3, wget@4 */
	assert_int_equal(t[0].human_visitors, 3);
	assert_int_equal(t[0].visits, 4);              /* A@1 twice, B@1, A@3 */
	assert_int_equal(t[0].crawler_requests, 1);
	mr_traffic_list_free(t, n);
	mr_log_agg_free(a);
	mr_store_rollback(s);
	mr_store_close(s);
	mr_log_format_free(f);
	mr_err_clear(&e);
}

/* GoAccess's presets on a line of each, the W3C #Fields line, JSON. */
static void test_log__presets(void **state)
{
	(void)state;
	static const struct { const char *fmt, *line, *host, *req; int day, sec, status; } cases[] = {
		{ "w3c", "2021-04-01 00:00:21 10.0.0.1 GET /a/b.asp x=1 80 - 10.0.0.2 Mozilla/5.0+(X11) - 200 0 0 65",
		  "10.0.0.2", "GET /a/b.asp?x=1 -", 18718, 21, 200 },
		{ "awsalb", "h2 2020-01-11T16:55:20.356586Z app/web/1 192.168.1.10:44325 10.0.0.1:80 0.01 0.1 0.0 "
		  "200 200 391 1079 \"GET https://w.example:443/ HTTP/2.0\" \"Mozilla/5.0\" ECDHE TLSv1.2 arn",
		  "192.168.1.10", "GET https://w.example:443/ HTTP/2.0", 18272, 16 * 3600 + 55 * 60 + 20, 200 },
		{ "cloudstorage", "\"1693206014339368\",\"172.71.142.38\",\"1\",\"\",\"GET\",\"/v1/k\",\"404\",\"0\","
		  "\"0\",\"1\",\"h\",\"-\",\"Mozilla/5.0\",\"id\",\"GET_Object\",\"b\",\"o\"",
		  "172.71.142.38", "GET /v1/k -", 19597, 7 * 3600 + 14, 404 },
		{ "caddy", "{\"ts\":1646861401.5241024,\"request\":{\"remote_ip\":\"127.0.0.2\",\"client_ip\":\"127.0.0.1\","
		  "\"method\":\"GET\",\"uri\":\"/a?b=\\u0031\",\"headers\":{\"User-Agent\":[\"curl/7.82.0\"]}},\"status\":200}",
		  "127.0.0.1", "GET /a?b=1 -", 19060, 77401, 200 },
		{ "json", "{\"time_iso8601\":\"2024-01-02T03:04:05+08:00\",\"remote_addr\":\"::1\",\"request\":\"GET / HTTP/1.1\","
		  "\"status\":\"301\"}", "::1", "GET / HTTP/1.1", 19724, 3 * 3600 + 245, 301 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mr_log_format *f = compile(cases[i].fmt);
		mr_log_line l;
		mr_log_bad bad;
		if (parse(f, cases[i].line, &l, &bad))
			fail_msg("%s: %s at %zu", cases[i].fmt, bad.why, bad.col);
		if (!span_is(l.f[MR_LF_HOST], cases[i].host) || !span_is(l.f[MR_LF_REQUEST], cases[i].req))
			fail_msg("%s: host %.*s request %.*s", cases[i].fmt, (int)l.f[MR_LF_HOST].n,
			         l.f[MR_LF_HOST].p, (int)l.f[MR_LF_REQUEST].n, l.f[MR_LF_REQUEST].p);
		assert_int_equal(l.day, cases[i].day);
		assert_int_equal(l.sec, cases[i].sec);
		assert_int_equal(l.status, cases[i].status);
		mr_log_format_free(f);
	}
	/* a #Fields line: the layout it lists */
	mr_log_format *f = compile("w3c");
	mr_err e = MR_ERR_INIT;
	const char *fields = "#Fields: time c-ip date cs-method cs-uri-stem sc-status";
	assert_int_equal(mr_log_format_fields(f, fields, strlen(fields), &e), 1);
	mr_log_line l;
	mr_log_bad bad;
	assert_int_equal(parse(f, "08:00:00 10.0.0.9 2026-11-03 GET /x 200", &l, &bad), 0);
	assert_true(span_is(l.f[MR_LF_HOST], "10.0.0.9"));
	assert_int_equal(l.day, mr_day_from_civil(2026, 11, 3));
	const char *nodate = "#Fields: time c-ip cs-method cs-uri-stem";
	assert_int_equal(mr_log_format_fields(f, nodate, strlen(nodate), &e), MR_EINVALID);
	mr_err_clear(&e);
	mr_log_format_free(f);
}

static void test_log__detect(void **state)
{
	(void)state;
	static const struct { const char *log, *name; } cases[] = {
		{ "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0\"\n", "combined" },
		{ "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5\n", "common" },
		{ "w.example:443 1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"M\"\n", "vcombined" },
		{ "#Fields: date time c-ip cs-method cs-uri-stem sc-status\n2026-11-03 08:00:00 1.2.3.4 GET / 200", "w3c" },
		{ "1.2.3.4 - - [02/Oct/2017:20:22:07 +0000] \"GET / HTTP/1.1\" 304 0 \"-\" \"M\" 262 \"h\" \"http://x\" 2ms\n",
		  "traefikclf" },
		{ "{\"remote_addr\":\"1.2.3.4\",\"time_local\":\"17/May/2015:10:05:03 +0000\",\"request\":\"GET / HTTP/1.1\"}\n",
		  "json" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mr_log_format *f = NULL;
		assert_int_equal(mr_log_format_detect(&f, cases[i].log, strlen(cases[i].log)), 0);
		if (strcmp(mr_log_format_name(f), cases[i].name) != 0)
			fail_msg("case %zu: %s, wanted %s", i, mr_log_format_name(f), cases[i].name);
		mr_log_format_free(f);
	}
	mr_log_format *f = NULL;
	assert_int_equal(mr_log_format_detect(&f, "hello\nworld\n", 12), MR_ENOTFOUND);
}

/* Line fingerprints: the n-th copy of a line is its own; another batch's
 * copies are matched one for one. */
static void test_log__fingerprints(void **state)
{
	(void)state;
	mr_store *s = NULL;
	mr_err e = MR_ERR_INIT;
	int64_t b1, b2;
	mr_log_lines *ls = NULL;
	assert_int_equal(mr_store_open(&s, ":memory:", &e), 0);
	assert_int_equal(mr_store_begin(s, &e), 0);
	assert_int_equal(mr_store_batch_add(s, &b1, "logs", "a.log", NULL, &e), 0);
	assert_int_equal(mr_log_lines_new(&ls, s, b1, &e), 0);
	assert_int_equal(mr_log_lines_seen(ls, 100, 1, mr_log_line_hash("x", 1), &e), 0);
	assert_int_equal(mr_log_lines_seen(ls, 100, 1, mr_log_line_hash("x", 1), &e), 0);   /* a second copy: new */
	assert_int_equal(mr_log_lines_seen(ls, 100, 2, mr_log_line_hash("x", 1), &e), 0);   /* another site */
	assert_int_equal(mr_log_lines_seen(ls, 101, 1, mr_log_line_hash("y", 1), &e), 0);
	assert_int_equal(mr_log_lines_seen(ls, 102, 1, mr_log_line_hash("z", 1), &e), 0);   /* day 100 written out */
	assert_int_equal(mr_log_lines_finish(ls, &e), 0);
	mr_log_lines_free(ls);
	assert_int_equal(mr_store_batch_add(s, &b2, "logs", "b.log", NULL, &e), 0);
	assert_int_equal(mr_log_lines_new(&ls, s, b2, &e), 0);
	assert_int_equal(mr_log_lines_seen(ls, 100, 1, mr_log_line_hash("x", 1), &e), 1);
	assert_int_equal(mr_log_lines_seen(ls, 100, 1, mr_log_line_hash("x", 1), &e), 1);
	assert_int_equal(mr_log_lines_seen(ls, 100, 1, mr_log_line_hash("x", 1), &e), 0);   /* a third copy */
	assert_int_equal(mr_log_lines_seen(ls, 101, 1, mr_log_line_hash("y", 1), &e), 1);
	assert_int_equal(mr_log_lines_seen(ls, 101, 1, mr_log_line_hash("w", 1), &e), 0);
	mr_log_lines_free(ls);
	mr_store_rollback(s);
	mr_store_close(s);
	mr_err_clear(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log__combined),
		cmocka_unit_test(test_log__bad_fields),
		cmocka_unit_test(test_log__format_strings),
		cmocka_unit_test(test_log__target_static_crawler),
		cmocka_unit_test(test_log__aggregate),
		cmocka_unit_test(test_log__presets),
		cmocka_unit_test(test_log__detect),
		cmocka_unit_test(test_log__fingerprints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

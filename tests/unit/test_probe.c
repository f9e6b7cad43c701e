/* test_probe.c — the uptime probe's pure parts (ingest/probe.h): durations
 * from text and back, which URLs can be probed, and which `own site` rule
 * values cover a URL.  The checks themselves run against real loopback
 * servers in tests/e2e/t0300-probe.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ingest/probe.h"

static void dur_ok(const char *text, int64_t ms)
{
	int64_t v = -1;
	int rc = mr_probe_duration_parse(&v, text);
	if (rc || v != ms)
		fprintf(stderr, "duration \"%s\": rc %d, %lld ms (want %lld)\n", text, rc,
		        (long long)v, (long long)ms);
	assert_int_equal(rc, 0);
	assert_int_equal(v, ms);
}

static void dur_bad(const char *text)
{
	int64_t v = 0;
	if (mr_probe_duration_parse(&v, text) != MR_EINVALID)
		fprintf(stderr, "duration \"%s\" should be refused\n", text);
	assert_int_equal(mr_probe_duration_parse(&v, text), MR_EINVALID);
}

static void test_probe__duration_parse(void **state)
{
	(void)state;
	dur_ok("500ms", 500);
	dur_ok("30s", 30000);
	dur_ok("30", 30000);
	dur_ok("5m", 300000);
	dur_ok("1h", 3600000);
	dur_ok("0s", 0);                    /* the range is the caller's to check */
	dur_ok("1000000000ms", 1000000000);
	dur_bad("");
	dur_bad("5x");
	dur_bad("s");
	dur_bad("-5s");
	dur_bad(" 5s");
	dur_bad("5s ");
	dur_bad("1.5s");
	dur_bad("5 s");
	dur_bad("5S");
	dur_bad("1000000001s");             /* bounded: no overflow */
	dur_bad("99999999999999999999h");
}

static void test_probe__duration_format(void **state)
{
	char out[32];
	(void)state;
	mr_probe_duration_format(out, 500);
	assert_string_equal(out, "500ms");
	mr_probe_duration_format(out, 1500);
	assert_string_equal(out, "1500ms");
	mr_probe_duration_format(out, 1000);
	assert_string_equal(out, "1s");
	mr_probe_duration_format(out, 90000);
	assert_string_equal(out, "90s");
	mr_probe_duration_format(out, 60000);
	assert_string_equal(out, "1m");
	mr_probe_duration_format(out, 7200000);
	assert_string_equal(out, "2h");
	mr_probe_duration_format(out, 24LL * 3600000);
	assert_string_equal(out, "24h");
}

static void url_ok(const char *url)
{
	mr_err err = MR_ERR_INIT;
	int rc = mr_probe_url_check(url, &err);
	if (rc)
		fprintf(stderr, "url \"%s\": %s\n", url, err.msg);
	assert_int_equal(rc, 0);
	mr_err_clear(&err);
}

static void url_bad(const char *url, const char *says)
{
	mr_err err = MR_ERR_INIT;
	int rc = mr_probe_url_check(url, &err);
	if (rc != MR_EINVALID || !err.msg || !strstr(err.msg, says))
		fprintf(stderr, "url \"%s\": rc %d, \"%s\" (want \"%s\")\n", url, rc,
		        err.msg ? err.msg : "", says);
	assert_int_equal(rc, MR_EINVALID);
	assert_non_null(strstr(err.msg, says));
	mr_err_clear(&err);
}

static void test_probe__url_check(void **state)
{
	(void)state;
	url_ok("http://127.0.0.1:8080/");
	url_ok("https://shop.example.com/health?full=1");
	url_ok("HTTP://example.com");
	url_ok("tcp://127.0.0.1:5432");
	url_ok("tcp://db.example.com:5432/");
	url_ok("tcp://[::1]:22");
	url_bad("ftp://example.com/", "not ftp://");
	url_bad("file:///etc/passwd", "not file://");
	url_bad("tcp://127.0.0.1", "needs a port");
	url_bad("tcp://127.0.0.1:22/x", "only tcp://HOST:PORT");
	url_bad("tcp://127.0.0.1:22?x=1", "only tcp://HOST:PORT");
	url_bad("tcp://u@127.0.0.1:22", "only tcp://HOST:PORT");
	url_bad("example.com", "URL \"example.com\"");
	url_bad("http://exa mple.com/", "URL \"http://exa mple.com/\"");
	url_bad("", "URL \"\"");
}

static void test_probe__site_matches(void **state)
{
	(void)state;
	assert_true(mr_probe_site_matches("https://Shop.Example.com/x", "shop.example.com"));
	assert_true(mr_probe_site_matches("https://shop.example.com/x", "shop.example.com:443"));
	assert_true(mr_probe_site_matches("http://shop.example.com:8080/", "shop.example.com:8080"));
	assert_false(mr_probe_site_matches("http://shop.example.com:8080/", "shop.example.com:80"));
	assert_true(mr_probe_site_matches("tcp://db.example.com:5432", "db.example.com"));
	assert_true(mr_probe_site_matches("tcp://db.example.com:5432", "db.example.com:5432"));
	assert_false(mr_probe_site_matches("https://example.com/", "shop.example.com"));
	assert_false(mr_probe_site_matches("https://shop.example.com.evil.net/", "shop.example.com"));
	/* a URL prefix ends at a boundary */
	assert_true(mr_probe_site_matches("https://shop.example.com/api/ping", "https://shop.example.com"));
	assert_true(mr_probe_site_matches("https://shop.example.com/api/ping", "https://shop.example.com/api/"));
	assert_true(mr_probe_site_matches("https://shop.example.com", "https://shop.example.com"));
	assert_false(mr_probe_site_matches("https://shop.example.com.evil.net/", "https://shop.example.com"));
	assert_false(mr_probe_site_matches("https://shop.example.com/apix", "https://shop.example.com/api"));
	assert_false(mr_probe_site_matches("https://shop.example.com/", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe__duration_parse),
		cmocka_unit_test(test_probe__duration_format),
		cmocka_unit_test(test_probe__url_check),
		cmocka_unit_test(test_probe__site_matches),
	};
	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}

/* test_attrib.c — whose is it (attrib.h): one decision for logs, orders,
 * leads and content.  Each case is written out by hand: the rule, the
 * value a row or a log line carries, and who should get it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "ingest/attrib.h"

static mr_attrib *rules(void)
{
	static mr_rule_row rows[] = {
		{ "channel", " Instagram ", "ig" },
		{ "campaign", "double-11", "camp" },
		{ "campaign", "spring sale", "spring" },
		{ "referrer", "https://www.weibo.com/u/1", "wb" },
		{ "referrer", "news.weibo.com", "news" },
		{ "url", "https://shop.example.com/blog/", "blog" },
		{ "url", "/blog/tea/", "tea" },
		{ "author", "zhao.lei", "zhao" },
		{ "keyword", "龙井茶", "lina" },
		{ "nonsense", "x", "nobody" },
	};
	mr_attrib *a;
	assert_int_equal(mr_attrib_new(&a, rows, sizeof rows / sizeof rows[0]), 0);
	return a;
}

static const char *who(const mr_attrib *a, int i)
{
	return i < 0 ? "(none)" : mr_attrib_login(a, i);
}

static const char *match(const mr_attrib *a, const char *kind, const char *v)
{
	return who(a, mr_attrib_match(a, (mr_own_kind)mr_attrib_kind(kind), v, strlen(v)));
}

static void test_attrib__match(void **state)
{
	(void)state;
	mr_attrib *a = rules();
	assert_string_equal(match(a, "channel", "instagram"), "ig");
	assert_string_equal(match(a, "channel", "  INSTAGRAM\t"), "ig");
	assert_string_equal(match(a, "channel", "instagram2"), "(none)");
	assert_string_equal(match(a, "channel", ""), "(none)");
	/* a referrer rule given as a URL names its host, "www." dropped;
	 * subdomains match, the most specific rule wins */
	assert_string_equal(match(a, "referrer", "https://weibo.com/p/9"), "wb");
	assert_string_equal(match(a, "referrer", "http://m.weibo.com/"), "wb");
	assert_string_equal(match(a, "referrer", "https://news.weibo.com/a"), "news");
	assert_string_equal(match(a, "referrer", "https://Www.Weibo.COM:443/x"), "wb");
	assert_string_equal(match(a, "referrer", "https://notweibo.com/"), "(none)");
	assert_string_equal(match(a, "referrer", "-"), "(none)");
	/* a url rule given as a URL names its path; the longest prefix wins;
	 * a row's URL is compared by its path, as the logs' paths are */
	assert_string_equal(match(a, "url", "/blog/post-1"), "blog");
	assert_string_equal(match(a, "url", "https://shop.example.com/blog/tea/longjing"), "tea");
	assert_string_equal(match(a, "url", "http://other.example/blog/x?y=1"), "blog");
	assert_string_equal(match(a, "url", "/Blog/post-1"), "(none)");   /* paths keep case */
	assert_string_equal(match(a, "url", "https://shop.example.com"), "(none)");
	assert_string_equal(match(a, "author", "Zhao.Lei"), "zhao");
	assert_string_equal(match(a, "keyword", "龙井茶"), "lina");
	assert_int_equal(mr_attrib_kind("nonsense"), -1);
	mr_attrib_free(a);
}

static const char *channel(const mr_attrib *a, const char *campaign, const char *source,
                           const char *url, const char *referrer, char *via)
{
	mr_attrib_from f = { campaign, strlen(campaign), source, strlen(source), url, strlen(url),
	                     referrer, strlen(referrer) };
	return who(a, mr_attrib_channel(a, &f, via, 64));
}

static void test_attrib__channel(void **state)
{
	(void)state;
	char via[64];
	mr_attrib *a = rules();
	/* campaign column, then utm_campaign, then source, then utm_source,
	 * then the referrer's host */
	assert_string_equal(channel(a, "double-11", "instagram", "", "", via), "camp");
	assert_string_equal(channel(a, "", "instagram", "/p?utm_campaign=spring+sale", "", via),
	                    "spring");
	assert_string_equal(channel(a, "", "instagram", "/p?utm_campaign=other", "", via), "ig");
	assert_string_equal(channel(a, "", "", "https://s.example/p?a=1&utm_source=Instagram#x",
	                            "https://weibo.com/", via), "ig");
	assert_string_equal(channel(a, "", "", "/p?utm_campaign=spring%20sale", "", via),
	                    "spring");
	assert_string_equal(channel(a, "", "", "/p?utm_source=x", "https://m.weibo.com/", via),
	                    "wb");
	/* what no rule claims is named: the source, else utm_source */
	assert_string_equal(channel(a, "", "Facebook ", "/p?utm_source=fb", "", via), "(none)");
	assert_string_equal(via, "Facebook");
	assert_string_equal(channel(a, "", "", "/p?utm_source=fb%2Bads", "", via), "(none)");
	assert_string_equal(via, "fb+ads");
	assert_string_equal(channel(a, "", "", "/p?xutm_source=ig", "", via), "(none)");
	assert_string_equal(via, "");
	mr_attrib_free(a);
}

/* the utm_source of url, decoded into a buffer of cap bytes */
static void query_is(const char *url, size_t cap, long n, const char *want)
{
	char out[64];
	assert_true(cap <= sizeof out);
	assert_int_equal(mr_attrib_query(out, cap, url, strlen(url), "utm_source"), n);
	if (want)
		assert_string_equal(out, want);
}

static void test_attrib__query(void **state)
{
	(void)state;
	query_is("/a?utm_source=%E9%BE%99", 64, 3, "\xE9\xBE\x99");
	query_is("/a?utm_source=spring%20sale", 64, 11, "spring sale");
	query_is("/a?utm_source=spring+sale", 64, 11, "spring sale");
	query_is("/a?utm_source=a%2Fb%2fc", 64, 5, "a/b/c");
	query_is("/a?utm_source=100%", 64, 4, "100%");        /* not an escape: kept */
	query_is("/a?utm_source=%4", 64, 2, "%4");
	query_is("/a?utm_source=%zz", 64, 3, "%zz");
	query_is("/a?utm_source=+ig+", 64, 2, "ig");          /* trimmed */
	query_is("/a?utm_source=abcdefghij", 8, 7, "abcdefg"); /* cut to fit */
	query_is("utm_source=ig&x=1", 64, 2, "ig");           /* a bare query */
	query_is("/a?x=1&UTM_SOURCE=ig", 64, 2, "ig");
	query_is("/a#utm_source=ig", 64, -1, NULL);           /* a fragment is not a query */
	query_is("/a?utm_sourcex=ig", 64, -1, NULL);
	query_is("/a", 64, -1, NULL);
}

/* Under a Turkish locale toupper/tolower map 'I' and 'i' to dotted and
 * dotless letters; a rule must match whatever the locale. */
static void test_attrib__locale(void **state)
{
	(void)state;
	if (!setlocale(LC_ALL, "tr_TR.UTF-8") && !setlocale(LC_ALL, "tr_TR.utf8"))
		skip();
	mr_attrib *a = rules();
	assert_string_equal(match(a, "channel", "INSTAGRAM"), "ig");
	assert_string_equal(match(a, "referrer", "https://WEIBO.COM/"), "wb");
	mr_attrib_free(a);
	setlocale(LC_ALL, "C");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attrib__match),
		cmocka_unit_test(test_attrib__channel),
		cmocka_unit_test(test_attrib__query),
		cmocka_unit_test(test_attrib__locale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

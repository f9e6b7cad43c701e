/* test_util.c — the one growable array (util/vec.h) and the one hash map
 * (util/map.h): growth, overflow refused, keys of every shape, and the
 * hash whose values databases keep, pinned to the values the log code
 * stored before the hash moved to util/; names, logins, terminal escaping
 * and CSV cells (util/text.h) at their boundaries; an error's hint and
 * fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/map.h"
#include "util/text.h"
#include "util/vec.h"

typedef struct item { int a; double b; } item;

static void vec_push_many(void **state)
{
	(void)state;
	item *v = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 100000; i++) {
		item *it = MR_VEC_PUSH(v, n, cap);
		assert_non_null(it);
		it->a = i;
		it->b = i / 2.0;
	}
	assert_int_equal(n, 100000);
	assert_true(cap >= n && cap < 2 * n + 16);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(v[i].a, i);
	free(v);
}

static void vec_overflow_refused(void **state)
{
	(void)state;
	item *v = NULL;
	size_t n = 0, cap = 0;
	assert_int_equal(mr_vec_reserve(&v, &cap, n, SIZE_MAX / 2, sizeof *v), MR_ENOMEM);
	assert_null(v);
	assert_int_equal(cap, 0);
	assert_non_null(MR_VEC_PUSH(v, n, cap));
	assert_int_equal(mr_vec_reserve(&v, &cap, n, SIZE_MAX, sizeof *v), MR_ENOMEM);
	assert_int_equal(n, 1);     /* unchanged by the refusal */
	assert_int_equal(cap, 16);
	assert_int_equal(mr_vec_reserve(&v, &cap, n, 100, sizeof *v), 0);
	assert_true(cap >= 101);
	free(v);
}

static void map_keys(void **state)
{
	(void)state;
	mr_map m = { 0 };
	assert_int_equal(mr_map_get(&m, 0), MR_MAP_NONE);
	assert_int_equal(mr_map_put(&m, 0, 7), 0);             /* key 0 is a key */
	assert_int_equal(mr_map_put(&m, UINT64_MAX, 0), 0);    /* value 0 is a value */
	assert_int_equal(mr_map_get(&m, 0), 7);
	assert_int_equal(mr_map_get(&m, UINT64_MAX), 0);
	assert_int_equal(mr_map_put(&m, 0, 8), 0);             /* replaced */
	assert_int_equal(mr_map_get(&m, 0), 8);
	assert_int_equal(mr_map_count(&m), 2);
	/* many keys that share low bits: the mix spreads them */
	for (uint32_t i = 1; i <= 200000; i++)
		assert_int_equal(mr_map_put(&m, (uint64_t)i << 32, i), 0);
	assert_int_equal(mr_map_count(&m), 200002);
	for (uint32_t i = 1; i <= 200000; i++)
		assert_int_equal(mr_map_get(&m, (uint64_t)i << 32), i);
	assert_int_equal(mr_map_get(&m, 1), MR_MAP_NONE);
	assert_true(m.cap >= 2 * m.n);
	mr_map_release(&m);
	assert_int_equal(mr_map_get(&m, 0), MR_MAP_NONE);
	assert_int_equal(mr_map_reserve(&m, 1000), 0);
	size_t cap = m.cap;
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(mr_map_put(&m, i, i), 0);
	assert_int_equal(m.cap, cap);                          /* no growth */
	mr_map_release(&m);
}

/* mr_log_hash's values before the hash moved here (sites, visitors and
 * articles are keyed by them in stored state) */
static void hash_pinned(void **state)
{
	(void)state;
	static const struct { const char *s; uint64_t seed, h; } want[] = {
		{ "", 0u, 0x0000000000000000ull },
		{ "", 3u, 0xb804fa07f4a2b79aull },
		{ "", 7u, 0x6a5253819ddff322ull },
		{ "", 11u, 0x2cca214d1bbe22cfull },
		{ "-", 0u, 0x4dcf26165c9ea0e0ull },
		{ "-", 3u, 0xa51c635f505eb1b4ull },
		{ "-", 7u, 0xbbc14394b7ffca1full },
		{ "-", 11u, 0x28c2df98d5102c46ull },
		{ "default", 0u, 0xedcd231848633e69ull },
		{ "default", 3u, 0xcda9af6321f50157ull },
		{ "default", 7u, 0xdef75e30cc1c5a9full },
		{ "default", 11u, 0x8b67b526417bea3dull },
		{ "Mozilla/5.0 (X11; Linux x86_64)", 0u, 0x245d924554fbb19bull },
		{ "Mozilla/5.0 (X11; Linux x86_64)", 3u, 0x78da3fd7757a7aefull },
		{ "Mozilla/5.0 (X11; Linux x86_64)", 7u, 0xb8089fd587c25e82ull },
		{ "Mozilla/5.0 (X11; Linux x86_64)", 11u, 0x920fcf31a3c14a45ull },
		{ "王芳 www.example.com/a", 0u, 0xc15c0aac1cbf6dc6ull },
		{ "王芳 www.example.com/a", 3u, 0xc13542a46311d3dcull },
		{ "王芳 www.example.com/a", 7u, 0x8941042345350595ull },
		{ "王芳 www.example.com/a", 11u, 0xa3d228b13427e94full },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_true(mr_hash_bytes(want[i].s, strlen(want[i].s), want[i].seed) == want[i].h);
}

static void text_login(void **state)
{
	(void)state;
	char l64[66];
	memset(l64, 'a', 64);
	l64[64] = 0;
	assert_true(mr_text_login_ok("ann"));
	assert_true(mr_text_login_ok("a.b-c_D9"));
	assert_true(mr_text_login_ok("-x"));
	assert_true(mr_text_login_ok(l64));
	l64[64] = 'a';
	l64[65] = 0;
	assert_false(mr_text_login_ok(l64));              /* 65 */
	const char *bad[] = { "", "=cmd|calc", "a\"b", "<svg>", "a b", "a/b", "a@b", "a,b",
	                      "\xe5\xbc\xa0", "a\x1b", "a\t", "a\x7f", "+1", NULL };
	for (size_t i = 0; bad[i]; i++)
		assert_false(mr_text_login_ok(bad[i]));
	assert_false(mr_text_login_ok(NULL));
	mr_err e = MR_ERR_INIT;
	assert_int_equal(mr_text_login_check("a\x1b[2J", "login", &e), MR_EINVALID);
	assert_string_equal(e.msg, "login \"a\\x1b[2J\": use " MR_LOGIN_RULE);
	mr_err_clear(&e);
	assert_int_equal(mr_text_login_check("ok", "login", &e), 0);
	assert_null(e.msg);
}

static void text_name(void **state)
{
	(void)state;
	mr_err e = MR_ERR_INIT;
	char *out = NULL;
	/* NFD in, NFC out; any language */
	assert_int_equal(mr_text_name(&out, "Jose\xcc\x81 \xe7\x8e\x8b", "the name", 0, &e), 0);
	assert_string_equal(out, "Jos\xc3\xa9 \xe7\x8e\x8b");
	free(out);
	/* each kind of control refused, naming the field and the code point */
	const struct { const char *s; const char *cp; } bad[] = {
		{ "a\tb", "U+0009" }, { "a\x1b[31m", "U+001B" }, { "a\x7f", "U+007F" },
		{ "a\xc2\x85", "U+0085" }, { "a\xc2\x9f", "U+009F" }, { "a\xe2\x80\xa8", "U+2028" },
		{ "a\xe2\x80\xaa", "U+202A" }, { "a\xe2\x80\xae", "U+202E" },
		{ "a\xe2\x81\xa6", "U+2066" }, { "a\xe2\x81\xa9", "U+2069" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(mr_text_name(&out, bad[i].s, "the name", 0, &e), MR_EINVALID);
		assert_null(out);
		assert_non_null(strstr(e.msg, bad[i].cp));
		assert_non_null(strstr(e.msg, "the name \"a"));
		assert_null(strchr(e.msg, 0x1b));
		mr_err_clear(&e);
	}
	/* the neighbours of the ranges are fine: U+00A0, U+2027, U+202F, U+2065, U+206A */
	const char *fine[] = { "a\xc2\xa0", "a\xe2\x80\xa7", "a\xe2\x80\xaf", "a\xe2\x81\xa5",
	                       "a\xe2\x81\xaa", "=cmd|calc", NULL };
	for (size_t i = 0; fine[i]; i++) {
		assert_int_equal(mr_text_name(&out, fine[i], "the name", 0, &e), 0);
		free(out);
	}
	assert_int_equal(mr_text_name(&out, "", "the name", 0, &e), MR_EINVALID);
	mr_err_clear(&e);
	assert_int_equal(mr_text_name(&out, "a\xff", "the name", 0, &e), MR_EINVALID);
	mr_err_clear(&e);
	/* the limit counts the composed bytes: é is 3 bytes in NFD, 2 in NFC */
	assert_int_equal(mr_text_name(&out, "e\xcc\x81", "the name", 2, &e), 0);
	free(out);
	assert_int_equal(mr_text_name(&out, "ee\xcc\x81", "the name", 2, &e), MR_EINVALID);
	assert_string_equal(e.msg, "the name is 3 bytes long; at most 2");
	mr_err_clear(&e);
}

static void text_clean_and_term(void **state)
{
	(void)state;
	char *c = mr_text_clean("\x1b[31mRED\x1b[0m\r\nX: 1\xe2\x80\xae.csv\xff Jose\xcc\x81");
	assert_string_equal(c, "?[31mRED?[0m??X: 1?.csv\xef\xbf\xbd Jos\xc3\xa9");
	free(c);
	char *t = mr_text_term_dup("a\x1b[2J\r\n\t\x7f\xc2\x85\xe2\x80\xae\xff\xe7\x8e\x8b\\");
	assert_string_equal(t, "a\\x1b[2J\\x0d\\x0a\\x09\\x7f\\u0085\\u202e\\xff\xe7\x8e\x8b\\");
	free(t);
	t = mr_text_term_dup("");
	assert_string_equal(t, "");
	free(t);
}

static void text_csv(void **state)
{
	(void)state;
	const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" }, { "", "" }, { "a,b", "\"a,b\"" }, { "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "=cmd|calc", "\"'=cmd|calc\"" }, { "+1", "\"'+1\"" }, { "-2+3", "\"'-2+3\"" },
		{ "@SUM(A1)", "\"'@SUM(A1)\"" }, { "\tx", "\"'\tx\"" }, { "\rx", "\"'\rx\"" },
		{ "=\"a\",b", "\"'=\"\"a\"\",b\"" }, { "a=b", "a=b" }, { "王=", "王=" },
		/* ';' separates cells where Excel's list separator is ';' (de, fr…) */
		{ "x;=1+1", "\"x;=1+1\"" }, { "A;B", "\"A;B\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mr_buf b;
		mr_buf_init(&b);
		mr_text_csv(&b, cases[i].in);
		assert_string_equal(b.data, cases[i].out);
		mr_buf_release(&b);
	}
}

static void err_hint(void **state)
{
	(void)state;
	mr_err e = MR_ERR_INIT, from = MR_ERR_INIT;
	mr_err_set(&e, MR_EFROZEN, "cycle %s is closed", "2026-11");
	mr_err_hint(&e, MR_HINT_CYCLE_CLOSED, "reopen it with `merit cycle reopen %s`", "2026-11");
	assert_string_equal(e.msg, "cycle 2026-11 is closed");
	assert_string_equal(e.cli_hint, "reopen it with `merit cycle reopen 2026-11`");
	assert_int_equal(e.hint, MR_HINT_CYCLE_CLOSED);
	/* a later error loses to the first, and so does its hint */
	mr_err_set(&e, MR_EEXISTS, "later");
	mr_err_hint(&e, MR_HINT_USER_EXISTS, "later hint");
	assert_string_equal(e.msg, "cycle 2026-11 is closed");
	assert_string_equal(e.cli_hint, "reopen it with `merit cycle reopen 2026-11`");
	assert_int_equal(e.hint, MR_HINT_CYCLE_CLOSED);
	/* an error made from another keeps its hint */
	mr_err_set(&from, MR_EINVALID, "x.csv:2:1: %s", e.msg);
	mr_err_hint_from(&from, &e);
	assert_string_equal(from.cli_hint, e.cli_hint);
	assert_int_equal(from.hint, MR_HINT_CYCLE_CLOSED);
	mr_err_clear(&e);
	assert_null(e.cli_hint);
	assert_int_equal(e.hint, MR_HINT_NONE);
	mr_err_clear(&from);
}

/* Each line of an error may say which field of the input it is in. */
static void err_fields(void **state)
{
	(void)state;
	mr_err e = MR_ERR_INIT;
	mr_err_add(&e, MR_EINVALID, "no field");
	assert_null(e.fields);
	assert_null(mr_err_field(&e, 0));
	mr_err_add_field(&e, "positions[1].kpis[0].weight", MR_EINVALID, "weight %s", "abc");
	mr_err_add(&e, MR_EINVALID, "none again");
	mr_err_add_field(&e, "blend", MR_EINVALID, "blend");
	assert_int_equal(e.lines, 4);
	assert_null(mr_err_field(&e, 0));
	assert_string_equal(mr_err_field(&e, 1), "positions[1].kpis[0].weight");
	assert_null(mr_err_field(&e, 2));
	assert_string_equal(mr_err_field(&e, 3), "blend");
	assert_null(mr_err_field(&e, 4));
	assert_string_equal(e.msg, "no field\nweight abc\nnone again\nblend");
	mr_err_clear(&e);
	assert_null(e.fields);
	/* the first line can have one; a cleared error starts again */
	mr_err_add_field(&e, "goal", MR_EINVALID, "goal");
	assert_string_equal(mr_err_field(&e, 0), "goal");
	mr_err_clear(&e);
	mr_err_set(&e, MR_EINVALID, "set");
	assert_null(mr_err_field(&e, 0));
	mr_err_clear(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vec_push_many),
		cmocka_unit_test(vec_overflow_refused),
		cmocka_unit_test(map_keys),
		cmocka_unit_test(hash_pinned),
		cmocka_unit_test(text_login),
		cmocka_unit_test(text_name),
		cmocka_unit_test(text_clean_and_term),
		cmocka_unit_test(text_csv),
		cmocka_unit_test(err_hint),
		cmocka_unit_test(err_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

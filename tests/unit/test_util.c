/* test_util.c — the one growable array (util/vec.h) and the one hash map
 * (util/map.h): growth, overflow refused, keys of every shape, and the
 * hash whose values databases keep, pinned to the values the log code
 * stored before the hash moved to util/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/map.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vec_push_many),
		cmocka_unit_test(vec_overflow_refused),
		cmocka_unit_test(map_keys),
		cmocka_unit_test(hash_pinned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

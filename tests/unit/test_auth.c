/* test_auth.c — the failed-login throttle's parts (issue 12): the name an
 * address is counted under (an IPv6 address by its /64), and the table's
 * bound in the database: a new key evicts the oldest row holding no
 * pause; when every row holds one the table is full, and only a forced
 * write (an address's) evicts; forgiven rows are purged; invented names'
 * rows go first and evict only each other; forgiveness counts from the
 * end of the pause (a fake clock).  The throttle over a socket is tested in
 * tests/web/auth_test.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "web/web_int.h"

static const char *group(const char *peer)
{
	static char out[80];
	mr_web_addr_group(peer, out, sizeof out);
	return out;
}

static void addr_groups(void **state)
{
	(void)state;
	assert_string_equal(group("192.0.2.7"), "192.0.2.7");
	assert_string_equal(group("192.0.2.8"), "192.0.2.8");
	/* two addresses in one /64 share a bucket; another /64 does not */
	assert_string_equal(group("2001:db8:1:2::1"), "2001:db8:1:2::/64");
	assert_string_equal(group("2001:db8:1:2:ffff:eeee:dddd:cccc"), "2001:db8:1:2::/64");
	assert_string_equal(group("2001:db8:1:3::1"), "2001:db8:1:3::/64");
	assert_string_equal(group("::1"), "::/64");
	/* an IPv4 client on an IPv6 socket is its IPv4 address */
	assert_string_equal(group("::ffff:192.0.2.7"), "192.0.2.7");
	assert_string_equal(group(""), "?");
	assert_string_equal(group(NULL), "?");
}

static void rm_db(const char *path)
{
	char p[96];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static long rows(mr_store *s, const char *key)
{
	mr_throttle_row r;
	mr_err e = MR_ERR_INIT;
	assert_int_equal(mr_store_throttle_get(s, key, &r, &e), 0);
	return r.fails;
}

static void put(mr_store *s, const char *key, int fails, int64_t last, int64_t until,
                int force, int want_full)
{
	mr_throttle_row r = { fails, last, until };
	mr_err e = MR_ERR_INIT;
	int full = -1;
	assert_int_equal(mr_store_begin(s, &e), 0);
	assert_int_equal(mr_store_throttle_put(s, key, &r, 1000, 3, force, &full, &e), 0);
	assert_int_equal(mr_store_commit(s, &e), 0);
	assert_int_equal(full, want_full);
}

/* A new database in /tmp: its name in path (64 bytes). */
static mr_store *open_tmp(char *path)
{
	snprintf(path, 64, "/tmp/merit-test-auth-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	mr_store *s = NULL;
	mr_err e = MR_ERR_INIT;
	assert_int_equal(mr_store_open(&s, path, &e), 0);
	return s;
}

static void table_bound(void **state)
{
	(void)state;
	char path[64];
	mr_store *s = open_tmp(path);
	mr_err e = MR_ERR_INIT;
	/* now is 1000, the bound 3 rows */
	put(s, "a:old", 1, 10, 0, 0, 0);           /* no pause, oldest */
	put(s, "p:paused", 5, 20, 2000, 0, 0);      /* paused */
	put(s, "a:young", 2, 30, 0, 0, 0);
	put(s, "p:new", 1, 40, 0, 0, 0);            /* evicts a:old, not the paused one */
	assert_int_equal(rows(s, "a:old"), 0);
	assert_int_equal(rows(s, "p:paused"), 5);
	put(s, "p:new", 6, 50, 3000, 0, 0);         /* an update never evicts */
	assert_int_equal(rows(s, "a:young"), 2);
	put(s, "p:newer", 1, 60, 0, 0, 0);          /* evicts a:young */
	assert_int_equal(rows(s, "a:young"), 0);
	put(s, "p:newer", 5, 61, 4000, 0, 0);       /* now every row holds a pause */
	put(s, "p:full", 1, 70, 0, 0, 1);           /* full: not written */
	assert_int_equal(rows(s, "p:full"), 0);
	assert_int_equal(rows(s, "p:paused"), 5);
	put(s, "a:addr", 1, 80, 0, MR_THROTTLE_ADDR, 0);   /* forced: the oldest goes */
	assert_int_equal(rows(s, "a:addr"), 1);
	assert_int_equal(rows(s, "p:paused"), 0);
	assert_int_equal(rows(s, "p:new"), 6);
	assert_int_equal(mr_store_throttle_rm(s, "p:new", &e), 0);
	assert_int_equal(rows(s, "p:new"), 0);
	/* forgiven rows go, paused ones stay */
	assert_int_equal(mr_store_throttle_purge(s, 1000, 100, &e), 0);
	assert_int_equal(rows(s, "a:addr"), 0);
	assert_int_equal(rows(s, "p:newer"), 5);
	mr_store_close(s);
	rm_db(path);
}

/* An invented name's row ("u:") goes before any other; a new one evicts
 * only such rows, so invented names cannot push a real login's rows out. */
static void guesses_go_first(void **state)
{
	(void)state;
	char path[64];
	mr_store *s = open_tmp(path);
	put(s, "p:old", 1, 10, 0, MR_THROTTLE_PAIR, 0);        /* the oldest, no pause */
	put(s, "u:guess1", 5, 20, 2000, MR_THROTTLE_GUESS, 0);  /* paused */
	put(s, "u:guess2", 1, 30, 0, MR_THROTTLE_GUESS, 0);
	put(s, "u:guess3", 1, 40, 0, MR_THROTTLE_GUESS, 0);     /* evicts u:guess2, not p:old */
	assert_int_equal(rows(s, "u:guess2"), 0);
	assert_int_equal(rows(s, "p:old"), 1);
	put(s, "p:real", 1, 50, 0, MR_THROTTLE_PAIR, 0);        /* evicts u:guess3, then */
	assert_int_equal(rows(s, "u:guess3"), 0);
	put(s, "p:real2", 1, 60, 0, MR_THROTTLE_PAIR, 0);       /* even the paused u:guess1 */
	assert_int_equal(rows(s, "u:guess1"), 0);
	assert_int_equal(rows(s, "p:old"), 1);
	put(s, "u:guess4", 1, 70, 0, MR_THROTTLE_GUESS, 1);     /* no "u:" row left: full */
	assert_int_equal(rows(s, "u:guess4"), 0);
	assert_int_equal(rows(s, "p:old"), 1);
	mr_store_close(s);
	rm_db(path);
}

/* Forgiveness counts from the end of the pause, on a fake clock: the
 * 11th failure's pause is capped at an hour; a try the second after it
 * ends is the 12th failure, paused again, not a fresh start. */
static void forgiven_after_pause(void **state)
{
	(void)state;
	mr_throttle_row t = { 0, 0, 0 };
	int64_t now = 1000000;
	for (int i = 0; i < 11; i++) {
		if (t.until > now)
			now = t.until + 1;          /* each try as soon as the pause ends */
		mr_web_throttle_count(&t, 5, 60, now);
	}
	assert_int_equal(t.fails, 11);
	assert_true(t.until == now + 3600);       /* 60 << 6 = 3840, capped */
	now = t.until + 1;
	mr_web_throttle_count(&t, 5, 60, now);
	assert_int_equal(t.fails, 12);
	assert_true(t.until == now + 3600);       /* paused again */
	/* an hour and a second after the pause's end: forgiven */
	now = t.until + 3601;
	mr_web_throttle_count(&t, 5, 60, now);
	assert_int_equal(t.fails, 1);
	/* an hour without a failure and no pause: forgiven too */
	t = (mr_throttle_row){ 3, now, 0 };
	mr_web_throttle_count(&t, 5, 60, now + 3601);
	assert_int_equal(t.fails, 1);
	t = (mr_throttle_row){ 3, now, 0 };
	mr_web_throttle_count(&t, 5, 60, now + 3600);
	assert_int_equal(t.fails, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addr_groups),
		cmocka_unit_test(table_bound),
		cmocka_unit_test(guesses_go_first),
		cmocka_unit_test(forgiven_after_pause),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_conn.c — the web server's per-address connection count (conn.c)
 * without a socket: addresses grouped as the login throttle groups them
 * (an IPv4 address, an IPv4-mapped IPv6 address as its IPv4 one, an IPv6
 * address by its /64), a group refused at its limit while another is
 * taken, a place given back when its connection closes, and a place whose
 * connection never started (libmicrohttpd out of memory) given back by
 * the next admission.  Over real sockets (::1, 127/8) the limit is tested
 * in tests/web/conn_test.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "web/web_int.h"

static struct sockaddr_storage addr(const char *text)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	if (strchr(text, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)(void *)&ss;
		a->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, text, &a->sin6_addr), 1);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)(void *)&ss;
		a->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, text, &a->sin_addr), 1);
	}
	return ss;
}

/* Admit a connection from `text` and, when admitted, start it: 1 or 0. */
static int open_from(mr_conn_reg *r, const char *text, void **ctx)
{
	struct sockaddr_storage ss = addr(text);
	*ctx = NULL;
	if (!mr_conn_admit(r, (const struct sockaddr *)&ss))
		return 0;
	mr_conn_started(r, ctx, -1);
	assert_non_null(*ctx);
	return 1;
}

static void conn_group_keys(void **state)
{
	(void)state;
	char key[MR_CONN_GROUP_KEY];
	struct sockaddr_storage ss = addr("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
	mr_conn_group_key((const struct sockaddr *)&ss, key, sizeof key);
	assert_string_equal(key, "2001:db8:1:2::/64");
	ss = addr("::ffff:192.0.2.7");
	mr_conn_group_key((const struct sockaddr *)&ss, key, sizeof key);
	assert_string_equal(key, "192.0.2.7");
	ss = addr("192.0.2.7");
	mr_conn_group_key((const struct sockaddr *)&ss, key, sizeof key);
	assert_string_equal(key, "192.0.2.7");
}

static void conn_limit_by_group(void **state)
{
	(void)state;
	static mr_conn_reg r;
	void *c[8];
	assert_int_equal(mr_conn_reg_start(&r, 3600, 2), 0);
	/* one /64: two addresses take its two places, a third is refused */
	assert_true(open_from(&r, "2001:db8:1:2::1", &c[0]));
	assert_true(open_from(&r, "2001:db8:1:2:ffff::2", &c[1]));
	assert_false(open_from(&r, "2001:db8:1:2:1234:5678:9abc:def0", &c[2]));
	/* the next /64 is another group */
	assert_true(open_from(&r, "2001:db8:1:3::1", &c[3]));
	/* IPv4, and the same address mapped into IPv6, are one group */
	assert_true(open_from(&r, "192.0.2.7", &c[4]));
	assert_true(open_from(&r, "::ffff:192.0.2.7", &c[5]));
	assert_false(open_from(&r, "192.0.2.7", &c[6]));
	assert_true(open_from(&r, "192.0.2.8", &c[7]));
	/* a connection closes: its group takes one more */
	mr_conn_closed(&r, &c[1]);
	assert_null(c[1]);
	assert_true(open_from(&r, "2001:db8:1:2::99", &c[1]));
	assert_false(open_from(&r, "2001:db8:1:2::100", &c[2]));
	/* admitted but never started (libmicrohttpd failed in between): the
	 * next admission in this thread gives that place back */
	mr_conn_closed(&r, &c[1]);
	struct sockaddr_storage ss = addr("2001:db8:1:2::5");
	assert_true(mr_conn_admit(&r, (const struct sockaddr *)&ss));
	assert_true(open_from(&r, "2001:db8:1:2::6", &c[1]));
	assert_false(open_from(&r, "2001:db8:1:2::7", &c[2]));
	int opened[] = { 0, 1, 3, 4, 5, 7 };
	for (size_t i = 0; i < sizeof opened / sizeof opened[0]; i++)
		mr_conn_closed(&r, &c[opened[i]]);
	/* all closed: every group is empty again */
	assert_true(open_from(&r, "2001:db8:1:2::8", &c[0]));
	assert_true(open_from(&r, "2001:db8:1:2::9", &c[1]));
	mr_conn_closed(&r, &c[0]);
	mr_conn_closed(&r, &c[1]);
	mr_conn_reg_stop(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conn_group_keys),
		cmocka_unit_test(conn_limit_by_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

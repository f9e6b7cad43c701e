/* ascii.h — case folding of ASCII letters only, whatever the locale.
 *
 * merit takes LC_CTYPE from the environment (for terminal widths and
 * UTF-8), and under a Turkish locale tolower('I') is not 'i': names,
 * schemes, hosts, user agents and keywords must compare the same for
 * everyone.  The one set of these functions for all of merit.
 */
#ifndef MR_ASCII_H
#define MR_ASCII_H

#include <stddef.h>

static inline int mr_ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

/* Exactly n bytes of each (spans need not end in NUL): <0, 0, >0. */
static inline int mr_ascii_memcasecmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int x = mr_ascii_lower((unsigned char)a[i]), y = mr_ascii_lower((unsigned char)b[i]);
		if (x != y)
			return x - y;
	}
	return 0;
}

/* strncasecmp: strings, up to n bytes or the first NUL. */
static inline int mr_ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int x = mr_ascii_lower((unsigned char)a[i]), y = mr_ascii_lower((unsigned char)b[i]);
		if (x != y || !x)
			return x - y;
	}
	return 0;
}

static inline int mr_ascii_casecmp(const char *a, const char *b)
{
	return mr_ascii_ncasecmp(a, b, (size_t)-1);
}

#endif

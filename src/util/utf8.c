/* utf8.c — UTF-8 validation, eight ASCII bytes at a time (log lines are
 * mostly ASCII, and this runs on every byte of every log). */
#include "util/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t mr_utf8_bad(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (!(w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		unsigned c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
		             c >= 0xf0 && c <= 0xf4 ? 4 : 0;
		if (!len || i + len > n)
			return i;
		for (size_t k = 1; k < len; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
		/* overlong three- and four-byte forms, surrogates, past U+10FFFF */
		if ((c == 0xe0 && p[i + 1] < 0xa0) || (c == 0xed && p[i + 1] > 0x9f) ||
		    (c == 0xf0 && p[i + 1] < 0x90) || (c == 0xf4 && p[i + 1] > 0x8f))
			return i;
		i += len;
	}
	return n;
}

int mr_utf8_ok(const char *s)
{
	size_t n = strlen(s);
	return mr_utf8_bad((const unsigned char *)s, n) == n;
}

char *mr_utf8_lossy(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = malloc(n * 3 + 1);      /* each bad byte takes three */
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t ok = mr_utf8_bad((const unsigned char *)s + i, n - i);
		memcpy(out + o, s + i, ok);
		o += ok;
		i += ok;
		if (i < n) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	out[o] = 0;
	return out;
}

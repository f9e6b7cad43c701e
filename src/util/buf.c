/* buf.c — growable byte buffer with sticky out-of-memory. */
#include "util/buf.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty[1];

void mr_buf_init(mr_buf *b)
{
	b->data = empty;
	b->len = b->cap = 0;
	b->oom = 0;
}

void mr_buf_release(mr_buf *b)
{
	if (b->cap)
		free(b->data);
	mr_buf_init(b);
}

void mr_buf_reset(mr_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = 0;
}

static int grow(mr_buf *b, size_t more)
{
	if (b->oom)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *d = realloc(b->cap ? b->data : NULL, cap);
	if (!d) {
		b->oom = 1;
		return -1;
	}
	if (!b->cap)
		d[0] = 0;
	b->data = d;
	b->cap = cap;
	return 0;
}

void mr_buf_add(mr_buf *b, const void *data, size_t len)
{
	if (grow(b, len))
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = 0;
}

void mr_buf_puts(mr_buf *b, const char *s) { mr_buf_add(b, s, strlen(s)); }

void mr_buf_putc(mr_buf *b, char c) { mr_buf_add(b, &c, 1); }

/* Printed into the room there is first: formatted once, not measured
 * and then formatted, unless it does not fit. */
void mr_buf_vprintf(mr_buf *b, const char *fmt, va_list ap)
{
	if (b->oom)
		return;
	size_t room = b->cap - b->len;   /* 0 before the first growth */
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n >= 0 && (size_t)n < room) {
		b->len += (size_t)n;
		return;
	}
	if (room)
		b->data[b->len] = 0;         /* what did not fit, taken back */
	if (n < 0) {                     /* a text that cannot be written (EILSEQ,
		                          * EOVERFLOW): lost, so the buffer fails
		                          * as when out of memory, not silently */
		b->oom = 1;
		return;
	}
	if (grow(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void mr_buf_i64(mr_buf *b, int64_t v)
{
	char d[24], *p = d + sizeof d;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	mr_buf_add(b, p, (size_t)(d + sizeof d - p));
}

void mr_buf_f64(mr_buf *b, double v)
{
	/* a whole number below 2^53 is its digits, as %.17g writes it */
	if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double)(int64_t)v &&
	    !(v == 0 && signbit(v)))
		mr_buf_i64(b, (int64_t)v);
	else
		mr_buf_printf(b, "%.17g", v);
}

void mr_buf_printf(mr_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mr_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *mr_buf_detach(mr_buf *b)
{
	char *d;
	if (b->oom) {
		mr_buf_release(b);
		return NULL;
	}
	if (b->cap)
		d = b->data;
	else
		d = calloc(1, 1);
	mr_buf_init(b);
	return d;
}

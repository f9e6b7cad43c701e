/* buf.c — growable byte buffer with sticky out-of-memory. */
#include "util/buf.h"

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

void mr_buf_vprintf(mr_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || grow(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
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

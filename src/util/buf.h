/* buf.h — a growable byte buffer, always NUL-terminated.
 *
 * The caller owns the struct (mr_buf_init / mr_buf_release).  Allocation
 * failure is sticky: the buffer stops growing and mr_buf_oom() says so,
 * so callers can build a whole text and check once at the end (a printf
 * that vsnprintf cannot write, too: its text is not dropped silently).
 */
#ifndef MR_BUF_H
#define MR_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct mr_buf {
	char *data;   /* NUL-terminated; "" after init */
	size_t len;
	size_t cap;
	int oom;
} mr_buf;

void mr_buf_init(mr_buf *b);
void mr_buf_release(mr_buf *b);
void mr_buf_reset(mr_buf *b);          /* len = 0, keeps memory */
void mr_buf_add(mr_buf *b, const void *data, size_t len);
void mr_buf_puts(mr_buf *b, const char *s);
void mr_buf_putc(mr_buf *b, char c);
void mr_buf_printf(mr_buf *b, const char *fmt, ...) MR_PRINTF(2, 3);
void mr_buf_vprintf(mr_buf *b, const char *fmt, va_list ap);
void mr_buf_i64(mr_buf *b, int64_t v);   /* its decimal digits */
void mr_buf_f64(mr_buf *b, double v);    /* as %.17g (exactly; whole numbers faster) */
/* Hand the data to the caller (free() it); the buffer is reset empty. */
char *mr_buf_detach(mr_buf *b);
static inline int mr_buf_oom(const mr_buf *b) { return b->oom; }

#endif

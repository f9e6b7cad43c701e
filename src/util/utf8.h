/* utf8.h — is this text well-formed UTF-8 (no overlong forms, surrogates
 * or code points past U+10FFFF)?  Every door checks what it takes in:
 * CSV fields, log lines, URLs. */
#ifndef MR_UTF8_H
#define MR_UTF8_H

#include <stddef.h>

/* The index of the first byte of p[0..n) that is not valid UTF-8, or n. */
size_t mr_utf8_bad(const unsigned char *p, size_t n);
/* A NUL-terminated string: 1 when all of it is valid UTF-8. */
int mr_utf8_ok(const char *s);
/* A copy of s with each byte that is not valid UTF-8 replaced by U+FFFD;
 * free() it.  NULL when out of memory. */
char *mr_utf8_lossy(const char *s);

#endif

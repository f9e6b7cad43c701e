/* text.c — logins, names, terminal escaping and CSV text cells (text.h).
 * Unicode itself (decoding, NFC) is utf8proc's. */
#include "util/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util/utf8.h"

int mr_text_login_ok(const char *login)
{
	size_t n = login ? strlen(login) : 0;
	if (!n || n > MR_LOGIN_MAX)
		return 0;
	for (const char *p = login; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

int mr_text_login_check(const char *login, const char *field, mr_err *err)
{
	if (mr_text_login_ok(login))
		return 0;
	char *shown = mr_text_term_dup(login ? login : "");
	if (!shown)
		return mr_err_nomem(err);
	mr_err_set(err, MR_EINVALID, "%s \"%s\": use %s", field, shown, MR_LOGIN_RULE);
	free(shown);
	return MR_EINVALID;
}

int mr_text_control(long c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* The next code point of s[0..n): its length, or -1 for a byte that is not
 * UTF-8 (then *c is that byte). */
static utf8proc_ssize_t next(const char *s, size_t n, long *c)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s,
	                                        (utf8proc_ssize_t)n, &cp);
	*c = len > 0 ? cp : (unsigned char)*s;
	return len > 0 ? len : -1;
}

void mr_text_term(mr_buf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		long c;
		utf8proc_ssize_t len = next(s + i, n - i, &c);
		if (len < 0 || c < 0x20 || c == 0x7f)
			mr_buf_printf(b, "\\x%02lx", c);
		else if (mr_text_control(c))
			mr_buf_printf(b, "\\u%04lx", c);
		else
			mr_buf_add(b, s + i, (size_t)len);
		i += len < 0 ? 1 : (size_t)len;
	}
}

char *mr_text_term_dup(const char *s)
{
	mr_buf b;
	mr_buf_init(&b);
	mr_text_term(&b, s);
	return mr_buf_detach(&b);     /* NULL when out of memory */
}

/* NFC of a valid UTF-8 s (utf8proc's, so malloc'd); NULL when out of memory. */
static char *nfc(const char *s)
{
	return (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}

int mr_text_name(char **out, const char *name, const char *field, size_t max, mr_err *err)
{
	*out = NULL;
	size_t n = strlen(name);
	if (!n)
		return mr_err_set(err, MR_EINVALID, "%s is empty", field);
	if (!mr_utf8_ok(name))
		return mr_err_set(err, MR_EINVALID, "%s is not UTF-8 text", field);
	for (size_t i = 0; i < n;) {
		long c;
		utf8proc_ssize_t len = next(name + i, n - i, &c);
		if (mr_text_control(c)) {
			char *shown = mr_text_term_dup(name);
			if (!shown)
				return mr_err_nomem(err);
			mr_err_set(err, MR_EINVALID, "%s \"%s\": a control character (U+%04lX) has no "
			           "place in a name", field, shown, c);
			free(shown);
			return MR_EINVALID;
		}
		i += (size_t)len;
	}
	char *t = nfc(name);
	if (!t)
		return mr_err_nomem(err);
	if (max && strlen(t) > max) {
		mr_err_set(err, MR_EINVALID, "%s is %zu bytes long; at most %zu", field, strlen(t), max);
		free(t);
		return MR_EINVALID;
	}
	*out = t;
	return 0;
}

char *mr_text_clean(const char *s)
{
	char *u = mr_utf8_lossy(s);
	if (!u)
		return NULL;
	size_t n = strlen(u), o = 0;
	for (size_t i = 0; i < n;) {
		long c;
		utf8proc_ssize_t len = next(u + i, n - i, &c);   /* valid: lossy made it so */
		if (mr_text_control(c))
			u[o++] = '?';
		else {
			memmove(u + o, u + i, (size_t)len);
			o += (size_t)len;
		}
		i += (size_t)len;
	}
	u[o] = 0;
	char *t = nfc(u);
	free(u);
	return t;
}

void mr_text_csv(mr_buf *b, const char *s)
{
	int formula = strchr("=+-@\t\r", *s) && *s;
	if (!formula && !strpbrk(s, ",;\"\r\n")) {   /* ';': Excel's separator in many locales */
		mr_buf_puts(b, s);
		return;
	}
	mr_buf_putc(b, '"');
	if (formula)
		mr_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			mr_buf_putc(b, '"');
		mr_buf_putc(b, *s);
	}
	mr_buf_putc(b, '"');
}

/* err.c — the error record: first error wins, validators may add more. */
#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *vformat(const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void fields_free(mr_err *e)
{
	for (size_t i = 0; e->fields && i < e->lines; i++)
		free(e->fields[i]);
	free(e->fields);
	e->fields = NULL;
}

/* Line e->lines - 1 was just added: give it `field`.  The array exists
 * once any line has a field; lines before that one have none. */
static void field_set(mr_err *e, const char *field)
{
	if (!field && !e->fields)
		return;
	char **f = realloc(e->fields, e->lines * sizeof *f);
	if (!f) {                   /* the messages stay; only their fields are lost */
		for (size_t i = 0; e->fields && i + 1 < e->lines; i++)
			free(e->fields[i]);
		free(e->fields);
		e->fields = NULL;
		return;
	}
	if (!e->fields)
		memset(f, 0, e->lines * sizeof *f);
	e->fields = f;
	f[e->lines - 1] = field ? strdup(field) : NULL;
}

int mr_err_set(mr_err *e, int code, const char *fmt, ...)
{
	if (e)
		e->open = 0;
	if (!e || e->code)
		return code;
	va_list ap;
	va_start(ap, fmt);
	fields_free(e);
	free(e->msg);
	e->msg = vformat(fmt, ap);
	va_end(ap);
	e->code = code;
	e->lines = 1;
	e->open = 1;
	return code;
}

void mr_err_hint(mr_err *e, int hint, const char *fmt, ...)
{
	if (!e || !e->open)
		return;
	va_list ap;
	va_start(ap, fmt);
	free(e->cli_hint);
	e->cli_hint = vformat(fmt, ap);
	va_end(ap);
	e->hint = hint;
	e->open = 0;
}

void mr_err_hint_from(mr_err *e, const mr_err *from)
{
	if (!e || !e->open || !from || (!from->hint && !from->cli_hint))
		return;
	free(e->cli_hint);
	e->cli_hint = from->cli_hint ? strdup(from->cli_hint) : NULL;
	e->hint = from->hint;
	e->open = 0;
}

static int vadd(mr_err *e, const char *field, int code, const char *fmt, va_list ap)
{
	if (!e)
		return code;
	e->open = 0;
	char *line = vformat(fmt, ap);
	if (!line)
		return code;
	if (!e->code || !e->msg) {
		free(e->msg);
		fields_free(e);
		e->msg = line;
		if (!e->code)
			e->code = code;
		e->lines = 1;
		field_set(e, field);
		return code;
	}
	size_t a = strlen(e->msg), b = strlen(line);
	char *m = realloc(e->msg, a + b + 2);
	if (m) {
		m[a] = '\n';
		memcpy(m + a + 1, line, b + 1);
		e->msg = m;
		e->lines++;
		field_set(e, field);
	}
	free(line);
	return code;
}

int mr_err_add(mr_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vadd(e, NULL, code, fmt, ap);
	va_end(ap);
	return rc;
}

int mr_err_add_field(mr_err *e, const char *field, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vadd(e, field, code, fmt, ap);
	va_end(ap);
	return rc;
}

const char *mr_err_field(const mr_err *e, size_t i)
{
	return e && e->fields && i < e->lines ? e->fields[i] : NULL;
}

void mr_err_prefix(mr_err *e, const char *fmt, ...)
{
	if (!e || !e->code)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *p = vformat(fmt, ap);
	va_end(ap);
	if (!p)
		return;
	const char *old = e->msg ? e->msg : mr_err_str(e->code);
	size_t a = strlen(p), b = strlen(old);
	char *m = malloc(a + b + 3);
	if (m) {
		memcpy(m, p, a);
		memcpy(m + a, ": ", 2);
		memcpy(m + a + 2, old, b + 1);
		free(e->msg);
		e->msg = m;
	}
	free(p);
}

void mr_err_clear(mr_err *e)
{
	if (!e)
		return;
	fields_free(e);
	free(e->msg);
	free(e->cli_hint);
	e->msg = NULL;
	e->cli_hint = NULL;
	e->code = 0;
	e->lines = 0;
	e->hint = MR_HINT_NONE;
	e->open = 0;
}

int mr_err_errno(int errnum)
{
	return errnum == ENOSPC || errnum == EDQUOT ? MR_EFULL : MR_EIO;
}

const char *mr_err_str(int code)
{
	switch (code) {
	case MR_OK: return "ok";
	case MR_ENOTFOUND: return "not found";
	case MR_EEXISTS: return "already exists";
	case MR_EINVALID: return "invalid input";
	case MR_EIO: return "input/output error";
	case MR_ENOMEM: return "out of memory";
	case MR_EFROZEN: return "the cycle is closed";
	case MR_EDB: return "database error";
	case MR_EDENIED: return "not allowed";
	case MR_ECONFIRM: return "needs confirmation";
	case MR_EFULL: return "the disk is full";
	case MR_EBUSY: return "the database is busy";
	case MR_ETIME: return "the time limit was reached";
	default: return "error";
	}
}

int mr_err_nomem(mr_err *e)
{
	/* the copy may fail too: then the message is mr_err_str's */
	if (e)
		e->open = 0;
	if (e && !e->code) {
		fields_free(e);
		free(e->msg);
		e->msg = strdup("out of memory");
		e->code = MR_ENOMEM;
		e->lines = 1;
	}
	return MR_ENOMEM;
}

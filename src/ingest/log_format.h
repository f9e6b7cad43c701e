/* log_format.h — web access log formats: a format string compiled once,
 * then applied to each line without allocating.
 *
 * Formats are Apache LogFormat strings (nginx's combined is the same
 * text).  The presets are `common`, `combined` and `vcombined`; a custom
 * string may use these specifiers:
 *
 *   %h %a  client address (must be an IPv4 or IPv6 address)
 *   %l     ident            %u     remote user
 *   %t     [day/Mon/year:hh:mm:ss zone]
 *   %r     request line     %s %>s status (100..599)
 *   %b %B %O  bytes, or -   %{Referer}i  referrer
 *   %{User-Agent}i  user agent           %v %V  virtual host
 *   %^ %p %D %T %I %{NAME}i  a field that is skipped
 *   %%     a literal percent sign; \" in the string is a quote
 *
 * A field runs up to the text that follows it in the format (a quoted
 * field up to its unescaped closing quote), the last one to the end of
 * the line; text after the last item is ignored.  Parsing is strict: a
 * line that does not match is reported, never guessed at.  One tolerance,
 * as GoAccess has it: a line cut inside its final quoted field (no
 * closing quote before the end of the line) keeps what is there.
 */
#ifndef MR_LOG_FORMAT_H
#define MR_LOG_FORMAT_H

#include <stddef.h>

#include "util/err.h"

typedef enum mr_log_field {
	MR_LF_HOST, MR_LF_IDENT, MR_LF_USER, MR_LF_TIME, MR_LF_REQUEST, MR_LF_STATUS,
	MR_LF_BYTES, MR_LF_REFERER, MR_LF_AGENT, MR_LF_VHOST, MR_LF_SKIP, MR_LF_COUNT
} mr_log_field;

typedef struct mr_log_format mr_log_format;

/* spec: "common", "combined", "vcombined" or a format string.  The
 * format must have %h and %t.  Errors name the column in the string. */
int mr_log_format_compile(mr_log_format **out, const char *spec, mr_err *err);
void mr_log_format_free(mr_log_format *f);          /* NULL is a no-op */
int mr_log_format_has(const mr_log_format *f, mr_log_field k);

typedef struct mr_log_span { const char *p; size_t n; } mr_log_span;

/* One parsed line; spans point into the line (borrowed). */
typedef struct mr_log_line {
	mr_log_span f[MR_LF_COUNT];   /* n == 0 and p == NULL when absent */
	int day;                      /* the date written in the line */
	int sec;                      /* seconds since that day's midnight */
	int status;
	int cut;                      /* the final quoted field had no closing quote */
} mr_log_line;

/* A bad line: the 1-based column and a static reason. */
typedef struct mr_log_bad { size_t col; const char *why; } mr_log_bad;

/* 0, or MR_EINVALID with *bad filled. */
int mr_log_parse(const mr_log_format *f, const char *line, size_t len,
                 mr_log_line *out, mr_log_bad *bad);

/* Helpers on the parsed request line "METHOD TARGET PROTOCOL": the path
 * (target up to '?', without scheme and host) and the query (after '?',
 * empty when none).  0, or MR_EINVALID when the request has no target. */
int mr_log_request_target(mr_log_span req, mr_log_span *path, mr_log_span *query);
/* Does the path name a static file (GoAccess's default extensions)? */
int mr_log_is_static(mr_log_span path);

#endif

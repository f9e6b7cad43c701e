/* log_format.h — web access log formats: a format compiled once, then
 * applied to each line without allocating.
 *
 * The named formats are GoAccess's predefined ones, its format strings
 * word for word (GoAccess src/settings.c): combined, vcombined, common,
 * vcommon, w3c, cloudfront, cloudstorage, awselb, awsalb, awss3, squid,
 * caddy, traefikclf; and `json`, JSON lines whose keys have common names
 * (nginx's `log_format ... escape=json` with $remote_addr, $time_local,
 * $request, $status, $http_user_agent ...).
 *
 * A format string is read in one of two dialects:
 *   - GoAccess's, when it has a date (%d or %x): %h address, %d date,
 *     %t time, %x date and time (ISO 8601, dd/Mon/yyyy:hh:mm:ss or a Unix
 *     time in s, ms, us or ns), %r request line, %m method, %U path,
 *     %q query, %H protocol, %s status, %b bytes, %R referrer,
 *     %u user agent, %v virtual host, %e user, %^ skipped, %~ skip
 *     blanks, %L %T %D %n %k %K %M %C skipped; a string that starts with
 *     `{` is a JSON template (GoAccess's JSON log format), its values
 *     format strings of the key's value;
 *   - else Apache's LogFormat (nginx's combined is the same text):
 *     %h %a address, %l ident, %u user, %t [time], %r request, %s %>s
 *     status, %b %B %O bytes, %{Referer}i, %{User-Agent}i, %v %V host,
 *     %m %U %q %H, %^ %p %D %T %I %{NAME}i skipped, %% a percent sign.
 * Dates are the ones written in the line; a Unix time is read in UTC.
 *
 * A field runs up to the character that follows it in the format (not
 * counting one escaped by a backslash), the last one to the end of the
 * line, as GoAccess reads them; the text between fields must be there.
 * A line that ends before its format does keeps what it has (GoAccess
 * counts it too) when it has an address, a date and a request; a
 * referrer or agent left without its closing quote is "-".
 */
#ifndef MR_LOG_FORMAT_H
#define MR_LOG_FORMAT_H

#include <stddef.h>

#include "util/ascii.h"
#include "util/err.h"

typedef enum mr_log_field {
	MR_LF_HOST, MR_LF_IDENT, MR_LF_USER, MR_LF_TIME, MR_LF_REQUEST, MR_LF_STATUS,
	MR_LF_BYTES, MR_LF_REFERER, MR_LF_AGENT, MR_LF_VHOST, MR_LF_SKIP, MR_LF_COUNT
} mr_log_field;

typedef struct mr_log_format mr_log_format;

/* The names of the predefined formats, for messages: "combined, ...". */
extern const char mr_log_format_names[];

/* spec: a name above (any case) or a format string.  A word that is not
 * a name is refused with the list of names.  The format must give the
 * client address and the date.  Errors name the column in the string. */
int mr_log_format_compile(mr_log_format **out, const char *spec, mr_err *err);
void mr_log_format_free(mr_log_format *f);          /* NULL is a no-op */
int mr_log_format_has(const mr_log_format *f, mr_log_field k);
/* Does it read #Fields lines (W3C, CloudFront: the layout may change
 * between lines)? */
int mr_log_format_reads_fields(const mr_log_format *f);
/* The preset's name, or "custom" (a detected format string: the string). */
const char *mr_log_format_name(const mr_log_format *f);

/* The format of the log whose first lines are buf[0..n) (whole lines:
 * the last one may lack its newline): the predefined one that reads the
 * most of its first 50 lines, compared strictly (the text between fields
 * too), then the one that leaves least of the first line unread (a W3C or
 * CloudFront log by its #Fields line).  0, or MR_ENOTFOUND when none
 * reads a line. */
int mr_log_format_detect(mr_log_format **out, const char *buf, size_t n);

/* A "#Fields: ..." line of a W3C or CloudFront log: the format becomes
 * the layout it lists (each log says its own).  1 when taken, 0 when the
 * format does not read #Fields lines or this is not one, or MR_EINVALID
 * (err set) when the line lacks the address or the date. */
int mr_log_format_fields(mr_log_format *f, const char *line, size_t n, mr_err *err);

typedef struct mr_log_span { const char *p; size_t n; } mr_log_span;

#define MR_LOG_SCRATCH 4096

/* One parsed line; spans point into the line or into scratch. */
typedef struct mr_log_line {
	mr_log_span f[MR_LF_COUNT];   /* n == 0 and p == NULL when absent */
	int day;                      /* the date written in the line */
	int sec;                      /* seconds since that day's midnight */
	int status;                   /* 0 when the format has none */
	int cut;                      /* the line ended before its format */
	size_t used;                  /* of scratch */
	char scratch[MR_LOG_SCRATCH]; /* unescaped JSON values, a request line
	                               * made of method, path and query */
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

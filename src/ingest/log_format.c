/* log_format.c — compile an access-log format string into a list of
 * literals and fields, and split a line by it.
 *
 * The line parser is on the hot path of `merit ingest` (millions of lines
 * a second): it allocates nothing, looks at each byte about once, and
 * validates only what the figures depend on — the client address, the
 * date and time, the status and the byte count.
 */
#include "ingest/log_format.h"

#include <arpa/inet.h>
#include <strings.h>

#include "core/period.h"

#define MAX_ITEMS 64
#define MAX_TEXT 1024

typedef struct item {
	int field;              /* mr_log_field, or -1 for literal text */
	const char *lit;        /* literal bytes (into text) */
	size_t n;
	int quoted;             /* a field between quotes: \" inside is escaped */
} item;

struct mr_log_format {
	item it[MAX_ITEMS];
	size_t n;
	unsigned has;           /* bit per mr_log_field */
	char text[MAX_TEXT];
};

static const char *const presets[][2] = {
	{ "common", "%h %l %u %t \"%r\" %>s %b" },
	{ "combined", "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" },
	{ "vcombined", "%v:%p %h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" },
};

void mr_log_format_free(mr_log_format *f)
{
	free(f);
}

int mr_log_format_has(const mr_log_format *f, mr_log_field k)
{
	return (f->has >> k) & 1u;
}

/* The field a %{NAME}i header names. */
static int header_field(const char *name, size_t n)
{
	if (n == 7 && strncasecmp(name, "referer", 7) == 0)
		return MR_LF_REFERER;
	if (n == 8 && strncasecmp(name, "referrer", 8) == 0)
		return MR_LF_REFERER;
	if (n == 10 && strncasecmp(name, "user-agent", 10) == 0)
		return MR_LF_AGENT;
	return MR_LF_SKIP;
}

static int letter_field(char c)
{
	switch (c) {
	case 'h': case 'a': return MR_LF_HOST;
	case 'l': return MR_LF_IDENT;
	case 'u': return MR_LF_USER;
	case 't': return MR_LF_TIME;
	case 'r': return MR_LF_REQUEST;
	case 's': return MR_LF_STATUS;
	case 'b': case 'B': case 'O': return MR_LF_BYTES;
	case 'v': case 'V': return MR_LF_VHOST;
	case '^': case 'p': case 'D': case 'T': case 'I': return MR_LF_SKIP;
	default: return -1;
	}
}

int mr_log_format_compile(mr_log_format **out, const char *spec, mr_err *err)
{
	int rc = 0;
	size_t tn = 0;
	*out = NULL;
	for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
		if (strcmp(spec, presets[i][0]) == 0)
			spec = presets[i][1];
	if (strlen(spec) >= MAX_TEXT)
		return mr_err_set(err, MR_EINVALID, "log format: longer than %d characters", MAX_TEXT - 1);
	mr_log_format *f = calloc(1, sizeof *f);
	if (!f)
		return mr_err_set(err, MR_ENOMEM, "log format: out of memory");
	for (size_t i = 0; spec[i];) {
		size_t col = i + 1;
		int field = -1;
		char c = spec[i];
		if (c == '%') {
			i++;
			while (spec[i] == '>' || spec[i] == '<')
				i++;
			if (spec[i] == '%') {
				c = '%';
				i++;
			} else if (spec[i] == '{') {
				const char *close = strchr(spec + i, '}');
				if (!close || !close[1]) {
					rc = mr_err_set(err, MR_EINVALID, "log format:%zu: %%{ without its "
					                "closing }NAME letter", col);
					goto done;
				}
				field = close[1] == 'i' ? header_field(spec + i + 1, (size_t)(close - spec - i - 1))
				                        : MR_LF_SKIP;
				i = (size_t)(close - spec) + 2;
			} else if (spec[i] && letter_field(spec[i]) >= 0) {
				field = letter_field(spec[i]);
				i++;
			} else {
				rc = mr_err_set(err, MR_EINVALID, "log format:%zu: unknown specifier \"%%%.1s\" "
				                "(known: %%h %%l %%u %%t %%r %%s %%b %%v %%^ "
				                "%%{Referer}i %%{User-Agent}i)", col, spec[i] ? spec + i : "");
				goto done;
			}
		} else if (c == '\\' && (spec[i + 1] == '"' || spec[i + 1] == '\\')) {
			c = spec[i + 1];
			i += 2;
		} else {
			i++;
		}
		if (f->n == MAX_ITEMS) {
			rc = mr_err_set(err, MR_EINVALID, "log format: more than %d items", MAX_ITEMS);
			goto done;
		}
		if (field < 0) {
			item *last = f->n ? &f->it[f->n - 1] : NULL;
			f->text[tn] = c;
			if (last && last->field < 0) {
				last->n++;
			} else {
				f->it[f->n++] = (item){ -1, f->text + tn, 1, 0 };
			}
			tn++;
			continue;
		}
		if (f->n && f->it[f->n - 1].field >= 0) {
			rc = mr_err_set(err, MR_EINVALID, "log format:%zu: a field must be separated "
			                "from the one before it by some text", col);
			goto done;
		}
		if (field != MR_LF_SKIP && (f->has >> field) & 1u) {
			rc = mr_err_set(err, MR_EINVALID, "log format:%zu: the same field twice", col);
			goto done;
		}
		f->has |= 1u << field;
		f->it[f->n++] = (item){ field, NULL, 0, 0 };
	}
	for (size_t i = 0; i < f->n; i++) {
		const item *prev = i ? &f->it[i - 1] : NULL, *next = i + 1 < f->n ? &f->it[i + 1] : NULL;
		if (f->it[i].field >= 0 && prev && next && prev->lit[prev->n - 1] == '"' &&
		    next->lit[0] == '"')
			f->it[i].quoted = 1;
	}
	if (!mr_log_format_has(f, MR_LF_HOST) || !mr_log_format_has(f, MR_LF_TIME)) {
		rc = mr_err_set(err, MR_EINVALID, "log format \"%s\": it needs the client address "
		                "(%%h) and the time (%%t)", spec);
		goto done;
	}
	*out = f;
	f = NULL;
done:
	free(f);
	return rc;
}

/* ---- field checks ---- */

static int is_ipv4(const char *p, size_t n)
{
	int parts = 0;
	size_t i = 0;
	while (i < n) {
		unsigned v = 0;
		size_t start = i;
		while (i < n && p[i] >= '0' && p[i] <= '9' && i - start < 3)
			v = v * 10 + (unsigned)(p[i++] - '0');
		if (i == start || v > 255 || (i - start > 1 && p[start] == '0'))
			return 0;
		parts++;
		if (i == n)
			break;
		if (p[i] != '.' || parts == 4)
			return 0;
		i++;
		if (i == n)
			return 0;
	}
	return parts == 4;
}

static int is_ip(const char *p, size_t n)
{
	if (n && n <= 15 && p[0] >= '0' && p[0] <= '9' && memchr(p, '.', n) && !memchr(p, ':', n))
		return is_ipv4(p, n);
	char buf[64];
	unsigned char addr[16];
	if (n < 2 || n >= sizeof buf || !memchr(p, ':', n))
		return 0;
	memcpy(buf, p, n);
	buf[n] = 0;
	return inet_pton(AF_INET6, buf, addr) == 1;
}

static int two(const char *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

static int month_of(const char *p)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char a = (char)(p[0] | 0x20), b = (char)(p[1] | 0x20), c = (char)(p[2] | 0x20);
	for (int m = 0; m < 12; m++)
		if (names[3 * m] == a && names[3 * m + 1] == b && names[3 * m + 2] == c)
			return m + 1;
	return 0;
}

/* "dd/Mon/yyyy:hh:mm:ss +zzzz" (26 bytes, without the brackets). */
static int parse_time(const char *p, size_t n, int *day, int *sec)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (n != 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' || p[14] != ':' ||
	    p[17] != ':' || p[20] != ' ' || (p[21] != '+' && p[21] != '-'))
		return -1;
	int d = two(p), m = month_of(p + 3), y1 = two(p + 7), y2 = two(p + 9);
	int hh = two(p + 12), mm = two(p + 15), ss = two(p + 18);
	if (d < 1 || !m || y1 < 0 || y2 < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
	    ss < 0 || ss > 60 || two(p + 22) < 0 || two(p + 24) < 0)
		return -1;
	int y = y1 * 100 + y2;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return -1;
	*day = mr_day_from_civil(y, m, d);
	*sec = hh * 3600 + mm * 60 + ss;
	return 0;
}

static int check_field(int field, const char *p, size_t n, mr_log_line *out)
{
	switch (field) {
	case MR_LF_HOST:
		return is_ip(p, n) ? 0 : -1;
	case MR_LF_STATUS:
		if (n != 3 || p[0] < '1' || p[0] > '5' || p[1] < '0' || p[1] > '9' ||
		    p[2] < '0' || p[2] > '9')
			return -1;
		out->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
		return 0;
	case MR_LF_BYTES:
		if (n == 1 && p[0] == '-')
			return 0;
		if (n == 0 || n > 20)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (p[i] < '0' || p[i] > '9')
				return -1;
		return 0;
	default:
		return 0;
	}
}

static const char *const field_why[MR_LF_COUNT] = {
	[MR_LF_HOST] = "the client address is not an IPv4 or IPv6 address",
	[MR_LF_TIME] = "the time is not [dd/Mon/yyyy:hh:mm:ss +zzzz]",
	[MR_LF_STATUS] = "the status is not a number from 100 to 599",
	[MR_LF_BYTES] = "the byte count is not a number or -",
};

/* Where a field that ends at byte c stops: the first c that is not
 * escaped by a backslash when the field is quoted.  NULL when none. */
static const char *field_end(const char *p, const char *e, char c, int quoted)
{
	for (;;) {
		const char *q = memchr(p, c, (size_t)(e - p));
		if (!q || !quoted)
			return q;
		size_t bs = 0;
		while (q - bs > p && *(q - bs - 1) == '\\')
			bs++;
		if (bs % 2 == 0)
			return q;
		p = q + 1;
	}
}

int mr_log_parse(const mr_log_format *f, const char *line, size_t len,
                 mr_log_line *out, mr_log_bad *bad)
{
	const char *p = line, *e = line + len;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < f->n; i++) {
		const item *it = &f->it[i];
		if (it->field < 0) {
			if ((size_t)(e - p) < it->n || memcmp(p, it->lit, it->n) != 0) {
				size_t k = 0;
				while (p + k < e && k < it->n && p[k] == it->lit[k])
					k++;
				bad->col = (size_t)(p - line) + k + 1;
				bad->why = p + k == e ? "the line ends early" : it->lit[k] == '"' ?
				           "a quote was expected here" : "the line does not match the format here";
				return MR_EINVALID;
			}
			p += it->n;
			continue;
		}
		const char *start = p, *end;
		if (it->field == MR_LF_TIME) {
			end = p < e && *p == '[' ? memchr(p, ']', (size_t)(e - p)) : NULL;
			if (!end || parse_time(p + 1, (size_t)(end - p - 1), &out->day, &out->sec)) {
				bad->col = (size_t)(p - line) + 1;
				bad->why = field_why[MR_LF_TIME];
				return MR_EINVALID;
			}
			out->f[MR_LF_TIME] = (mr_log_span){ p + 1, (size_t)(end - p - 1) };
			p = end + 1;
			continue;
		}
		if (i + 1 == f->n) {
			/* the last item: a field that may hold blanks runs to the end
			 * of the line, any other ends at its first blank (what
			 * follows, such as combined's referrer and agent after
			 * common's %b, is ignored) */
			end = e;
			if (!it->quoted && it->field != MR_LF_REQUEST && it->field != MR_LF_REFERER &&
			    it->field != MR_LF_AGENT) {
				end = start;
				while (end < e && *end != ' ' && *end != '\t')
					end++;
			}
		} else {
			const item *next = &f->it[i + 1];
			end = field_end(p, e, next->lit[0], it->quoted);
			if (!end) {
				if (it->quoted && i + 2 == f->n && next->n == 1) {
					out->cut = 1;    /* cut inside the final quoted field */
					end = e;
					i++;
				} else {
					bad->col = len + 1;
					bad->why = "the line ends early";
					return MR_EINVALID;
				}
			}
		}
		if (check_field(it->field, start, (size_t)(end - start), out)) {
			bad->col = (size_t)(start - line) + 1;
			bad->why = field_why[it->field];
			return MR_EINVALID;
		}
		if (it->field != MR_LF_SKIP)
			out->f[it->field] = (mr_log_span){ start, (size_t)(end - start) };
		p = end;
	}
	return 0;
}

int mr_log_request_target(mr_log_span req, mr_log_span *path, mr_log_span *query)
{
	const char *p = req.p, *e = req.p + req.n;
	const char *sp = p ? memchr(p, ' ', req.n) : NULL;
	if (!sp)
		return MR_EINVALID;
	const char *t = sp + 1, *te = e;
	while (te > t && te[-1] != ' ')
		te--;
	if (te > t)          /* "METHOD TARGET PROTOCOL": drop the protocol */
		te--;
	else
		te = e;
	if (te - t > 8 && (memcmp(t, "http://", 7) == 0 || memcmp(t, "https://", 8) == 0)) {
		const char *h = memchr(t, ':', (size_t)(te - t)) + 3;
		const char *slash = memchr(h, '/', (size_t)(te - h));
		t = slash ? slash : te;
	}
	if (t >= te || *t != '/')
		return MR_EINVALID;
	const char *q = memchr(t, '?', (size_t)(te - t));
	path->p = t;
	path->n = (size_t)((q ? q : te) - t);
	query->p = q ? q + 1 : te;
	query->n = q ? (size_t)(te - q - 1) : 0;
	return 0;
}

int mr_log_is_static(mr_log_span path)
{
	static const char *const exts[] = {
		"css", "js", "jpg", "png", "gif", "ico", "jpeg", "pdf", "csv", "mpeg", "mpg",
		"swf", "woff", "woff2", "xls", "xlsx", "doc", "docx", "ppt", "pptx", "txt",
		"zip", "ogg", "mp3", "mp4", "exe", "iso", "gz", "rar", "svg", "bmp", "tar",
		"tgz", "tiff", "tif", "ttf", "flv", "dmg", "xz", "zst", "webp", "map",
	};
	const char *e = path.p + path.n, *d = e;
	while (d > path.p && d[-1] != '.' && d[-1] != '/' && e - d <= 5)
		d--;
	if (d == path.p || d[-1] != '.')
		return 0;
	size_t n = (size_t)(e - d);
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (strlen(exts[i]) == n && strncasecmp(exts[i], d, n) == 0)
			return 1;
	return 0;
}

/* log_format.c — compile an access-log format (a GoAccess preset, a
 * GoAccess or Apache format string, a JSON template) into a list of
 * literals and fields, and split a line by it.
 *
 * One engine reads every text format: an Apache LogFormat string is
 * rewritten into GoAccess's dialect first (%t becomes [%d:%t %^], %u the
 * user, %{User-Agent}i %u ...), so presets and custom strings share one
 * parser, the one whose rules GoAccess follows (a field runs to the next
 * character of the format; a line may end early).  JSON lines are walked
 * by a small scanner that hands each value whose key path the template
 * names to the same parser, with that key's value format.
 *
 * The line parser is on the hot path of `merit ingest` (millions of lines
 * a second): it allocates nothing, looks at each byte about once, and
 * validates only what the figures depend on — the client address, the
 * date and time and the status.
 */
#include "ingest/log_format.h"

#include <arpa/inet.h>
#include <string.h>
#include <jansson.h>

#include "core/period.h"

#define MAX_ITEMS 160          /* a W3C #Fields line of 80 fields */
#define MAX_KEY_ITEMS 8        /* the format of a JSON value */
#define MAX_TEXT 1024
#define MAX_KEYS 48
#define MAX_PATH 128
#define MAX_DEPTH 16

/* item kinds beyond the public fields */
enum { K_LIT = -1, K_DATE = MR_LF_COUNT, K_CLOCK, K_DATETIME, K_METHOD, K_URL, K_QUERY,
       K_PROTO, K_TILDE, K_END };

typedef struct item {
	int kind;               /* a field, or K_LIT */
	const char *lit;        /* literal bytes (into the format's text) */
	size_t n;
} item;

typedef struct seq { item it[MAX_ITEMS]; size_t n; } seq;
typedef struct kseq { item it[MAX_KEY_ITEMS]; size_t n; } kseq;

/* A JSON key path ("request.headers.User-Agent") and its value's format. */
typedef struct jkey {
	char path[MAX_PATH];
	size_t pn;
	int leaf;               /* compare the last part of the path only */
	int prio;               /* a smaller one wins a field given twice */
	kseq s;
} jkey;

struct mr_log_format {
	const char *name;       /* the preset's, or "custom" */
	int fields;             /* reads #Fields lines: the separator, else 0 */
	int json;
	unsigned has;           /* bit per kind */
	seq s;
	jkey *keys;
	size_t nkeys;
	uint32_t ksig[MAX_KEYS];  /* each key's sig(): compared first */
	uint64_t kslot[64];       /* by sig_slot(): the keys (a bit each) of that slot */
	char text[MAX_TEXT];
	size_t tn;
};

/* GoAccess's predefined formats (src/settings.c), word for word.  The
 * Caddy one names client_ip (Caddy 2.7 and later); remote_ip, the older
 * name, is read when client_ip is not there (see compile_json). */
static const struct preset { const char *name, *spec; int fields; } presets[] = {
	{ "combined", "%h %^[%d:%t %^] \"%r\" %s %b \"%R\" \"%u\"", 0 },
	{ "vcombined", "%v:%^ %h %^[%d:%t %^] \"%r\" %s %b \"%R\" \"%u\"", 0 },
	{ "common", "%h %^[%d:%t %^] \"%r\" %s %b", 0 },
	{ "vcommon", "%v:%^ %h %^[%d:%t %^] \"%r\" %s %b", 0 },
	{ "w3c", "%d %t %^ %m %U %q %^ %^ %h %u %R %s %^ %^ %L", ' ' },
	{ "cloudfront", "%d\\t%t\\t%^\\t%b\\t%h\\t%m\\t%v\\t%U\\t%s\\t%R\\t%u\\t%q\\t%^\\t%C\\t%^\\t"
	  "%^\\t%^\\t%^\\t%T\\t%^\\t%K\\t%k\\t%^\\t%H\\t%^", '\t' },
	{ "cloudstorage", "\"%x\",\"%h\",%^,%^,\"%m\",\"%U\",\"%s\",%^,\"%b\",\"%D\",%^,\"%R\",\"%u\"", 0 },
	{ "awselb", "%^ %dT%t.%^ %^ %h:%^ %^ %^ %T %^ %s %^ %^ %b \"%r\" \"%u\" %k %K %^ \"%^\" \"%v\"", 0 },
	{ "awsalb", "%^ %dT%t.%^ %v %h:%^ %^ %^ %T %^ %s %^ %^ %b \"%r\" \"%u\" %k %K %^", 0 },
	{ "awss3", "%^ %v [%d:%t %^] %h %^\"%r\" %s %^ %b %^ %L %^ \"%R\" \"%u\"", 0 },
	{ "squid", "%^ %^ %^ %v %^: %x.%^ %~%L %h %^/%s %b %m %U", 0 },
	{ "caddy", "{ \"ts\": \"%x.%^\", \"request\": { \"client_ip\": \"%h\", \"proto\":"
	  "\"%H\", \"method\": \"%m\", \"host\": \"%v\", \"uri\": \"%U\", \"headers\": {"
	  "\"User-Agent\": [\"%u\"], \"Referer\": [\"%R\"] }, \"tls\": { \"cipher_suite\":"
	  "\"%k\", \"proto\": \"%K\" } }, \"duration\": \"%T\", \"size\": \"%b\","
	  "\"status\": \"%s\", \"resp_headers\": { \"Content-Type\": [\"%M\"] } }", 0 },
	{ "traefikclf", "%h - %e [%d:%t %^] \"%r\" %s %b \"%R\" \"%u\" %^ \"%v\" \"%U\" %Lms", 0 },
	{ "json", NULL, 0 },
};

/* Tried by detection after the presets: the real lines of two logs that
 * GoAccess's presets do not read (a Squid access.log is not prefixed by
 * syslog's fields; a classic ELB line starts with its time).  Told by
 * their format string. */
static const char *const detect_more[] = {
	"%x.%^ %~%L %h %^/%s %b %m %U",
	"%dT%t.%^ %^ %h:%^ %^ %^ %^ %^ %s %^ %^ %b \"%r\" \"%u\" %^",
};

const char mr_log_format_names[] = "combined, vcombined, common, vcommon, w3c, cloudfront, "
	"cloudstorage, awselb, awsalb, awss3, squid, caddy, traefikclf, json";

/* The `json` format: keys by their usual names (nginx's variables, Caddy's
 * and common loggers' keys), the first in this list winning a field. */
static const struct { const char *key, *spec; } json_names[] = {
	{ "client_ip", "%h" }, { "remote_addr", "%h" }, { "remote_ip", "%h" }, { "clientip", "%h" },
	{ "ip", "%h" },
	{ "time_local", "%d:%t %^" }, { "time_iso8601", "%x" }, { "timestamp", "%x" },
	{ "@timestamp", "%x" }, { "time", "%x" }, { "ts", "%x" }, { "msec", "%x" },
	{ "request", "%r" }, { "request_method", "%m" }, { "method", "%m" },
	{ "request_uri", "%U" }, { "uri", "%U" }, { "path", "%U" }, { "url", "%U" },
	{ "query_string", "%q" }, { "args", "%q" },
	{ "status", "%s" }, { "status_code", "%s" },
	{ "body_bytes_sent", "%b" }, { "bytes_sent", "%b" }, { "size", "%b" }, { "bytes", "%b" },
	{ "http_referer", "%R" }, { "http_referrer", "%R" }, { "referer", "%R" }, { "referrer", "%R" },
	{ "http_user_agent", "%u" }, { "user_agent", "%u" }, { "user-agent", "%u" },
	{ "useragent", "%u" }, { "agent", "%u" },
	{ "host", "%v" }, { "http_host", "%v" }, { "server_name", "%v" }, { "vhost", "%v" },
	{ "remote_user", "%e" },
};

void mr_log_format_free(mr_log_format *f)
{
	if (f)
		free(f->keys);
	free(f);
}

int mr_log_format_has(const mr_log_format *f, mr_log_field k)
{
	return (f->has >> k) & 1u;
}

int mr_log_format_reads_fields(const mr_log_format *f)
{
	return f->fields != 0;
}

const char *mr_log_format_name(const mr_log_format *f)
{
	return f->name;
}

/* ---- compiling ---- */

static int goaccess_kind(char c)
{
	switch (c) {
	case 'h': return MR_LF_HOST;
	case 'd': return K_DATE;
	case 't': return K_CLOCK;
	case 'x': return K_DATETIME;
	case 'r': return MR_LF_REQUEST;
	case 'm': return K_METHOD;
	case 'U': return K_URL;
	case 'q': return K_QUERY;
	case 'H': return K_PROTO;
	case 's': return MR_LF_STATUS;
	case 'b': return MR_LF_BYTES;
	case 'R': return MR_LF_REFERER;
	case 'u': return MR_LF_AGENT;
	case 'v': return MR_LF_VHOST;
	case 'e': return MR_LF_USER;
	case '~': return K_TILDE;
	case '^': case 'L': case 'T': case 'D': case 'n': case 'k': case 'K': case 'M': case 'C':
		return MR_LF_SKIP;
	default: return -1;
	}
}

/* Compile a GoAccess-dialect string into the items it[0..*n) (at most
 * cap; literals kept in f->text). */
static int compile_items(mr_log_format *f, item *it, size_t *n, size_t cap, const char *spec,
                         mr_err *err)
{
	for (size_t i = 0; spec[i];) {
		size_t col = i + 1;
		int kind = K_LIT;
		char c = spec[i];
		if (c == '%') {
			if (spec[i + 1] == '%') {
				i += 2;
			} else if ((kind = goaccess_kind(spec[i + 1])) < 0) {
				return mr_err_set(err, MR_EINVALID, "log format:%zu: unknown specifier "
				                  "\"%%%.1s\" (known: %%h %%d %%t %%x %%r %%m %%U %%q %%H "
				                  "%%s %%b %%R %%u %%v %%e %%^ %%~)", col,
				                  spec[i + 1] ? spec + i + 1 : "");
			} else {
				i += 2;
			}
		} else if (c == '\\' && spec[i + 1]) {
			c = spec[i + 1] == 't' ? '\t' : spec[i + 1] == 'n' ? '\n' : spec[i + 1];
			i += 2;
		} else {
			i++;
		}
		if (*n == cap)
			return mr_err_set(err, MR_EINVALID, "log format: more than %zu items", cap);
		if (kind == K_LIT) {
			item *last = *n ? &it[*n - 1] : NULL;
			if (f->tn >= MAX_TEXT)
				return mr_err_set(err, MR_EINVALID, "log format: longer than %d characters",
				                  MAX_TEXT - 1);
			f->text[f->tn] = c;
			if (last && last->kind == K_LIT && last->lit + last->n == f->text + f->tn)
				last->n++;
			else
				it[(*n)++] = (item){ K_LIT, f->text + f->tn, 1 };
			f->tn++;
			continue;
		}
		if (*n && it[*n - 1].kind != K_LIT && it[*n - 1].kind != K_TILDE &&
		    kind != K_TILDE)
			return mr_err_set(err, MR_EINVALID, "log format:%zu: a field must be separated "
			                  "from the one before it by some text", col);
		if (kind != MR_LF_SKIP && kind != K_TILDE && (f->has >> kind) & 1u)
			return mr_err_set(err, MR_EINVALID, "log format:%zu: the same field twice", col);
		f->has |= 1u << kind;
		it[(*n)++] = (item){ kind, NULL, 0 };
	}
	return 0;
}

/* An Apache LogFormat string rewritten in GoAccess's dialect. */
static int from_apache(char *out, size_t cap, const char *spec, mr_err *err)
{
	size_t o = 0;
	for (size_t i = 0; spec[i];) {
		size_t col = i + 1;
		const char *put;
		char one[3] = { 0 };
		if (spec[i] == '%') {
			i++;
			while (spec[i] == '>' || spec[i] == '<')
				i++;
			char c = spec[i];
			if (c == '{') {
				const char *close = strchr(spec + i, '}');
				if (!close || !close[1])
					return mr_err_set(err, MR_EINVALID, "log format:%zu: %%{ without its "
					                  "closing }NAME letter", col);
				const char *name = spec + i + 1;
				size_t n = (size_t)(close - name);
				put = "%^";
				if (close[1] == 'i' && ((n == 7 && !mr_ascii_memcasecmp(name, "referer", 7)) ||
				                        (n == 8 && !mr_ascii_memcasecmp(name, "referrer", 8))))
					put = "%R";
				else if (close[1] == 'i' && n == 10 && !mr_ascii_memcasecmp(name, "user-agent", 10))
					put = "%u";
				i = (size_t)(close - spec) + 2;
			} else {
				switch (c) {
				case 'h': case 'a': put = "%h"; break;
				case 'l': case '^': case 'p': case 'D': case 'T': case 'I': put = "%^"; break;
				case 'u': put = "%e"; break;
				case 't': put = "[%d:%t %^]"; break;
				case 'r': put = "%r"; break;
				case 's': put = "%s"; break;
				case 'b': case 'B': case 'O': put = "%b"; break;
				case 'v': case 'V': put = "%v"; break;
				case 'm': put = "%m"; break;
				case 'U': put = "%U"; break;
				case 'q': put = "%q"; break;
				case 'H': put = "%H"; break;
				case '%': put = "%%"; break;
				default:
					return mr_err_set(err, MR_EINVALID, "log format:%zu: unknown specifier "
					                  "\"%%%.1s\" (known: %%h %%l %%u %%t %%r %%s %%b %%v %%m "
					                  "%%U %%q %%H %%^ %%{Referer}i %%{User-Agent}i)", col,
					                  c ? spec + i : "");
				}
				i++;
			}
			/* a field right after %t: the bracket is the text between */
		} else if (spec[i] == '\\' && (spec[i + 1] == '"' || spec[i + 1] == '\\')) {
			one[0] = spec[i + 1] == '"' ? '"' : '\\';
			one[1] = spec[i + 1] == '\\' ? '\\' : 0;
			put = one;
			i += 2;
		} else {
			one[0] = spec[i];
			put = one;
			i++;
		}
		size_t n = strlen(put);
		if (o + n >= cap)
			return mr_err_set(err, MR_EINVALID, "log format: longer than %zu characters",
			                  cap - 1);
		memcpy(out + o, put, n);
		o += n;
	}
	out[o] = 0;
	return 0;
}

static int needs(mr_log_format *f, const char *spec, mr_err *err)
{
	int req = (f->has >> MR_LF_REQUEST & 1u) || (f->has >> K_URL & 1u);
	int date = (f->has >> K_DATE & 1u) || (f->has >> K_DATETIME & 1u);
	if (!(f->has >> MR_LF_HOST & 1u) || !date || !req)
		return mr_err_set(err, MR_EINVALID, "log format \"%s\": it needs the client address "
		                  "(%%h), the time (%%t, or %%d and %%t) and the request (%%r or %%U)",
		                  spec);
	if (f->has >> K_DATETIME & 1u)
		f->has |= 1u << MR_LF_TIME;
	if (f->has >> K_DATE & 1u)
		f->has |= 1u << MR_LF_TIME;
	if (f->has >> K_URL & 1u)
		f->has |= 1u << MR_LF_REQUEST;
	return 0;
}

/* A key path's length and last byte (case folded), and whether only its
 * last part counts: a cheap test that rules out most keys. */
static uint32_t sig(int leaf, const char *p, size_t n)
{
	return (uint32_t)leaf << 31 | (uint32_t)n << 8 | (n ? (uint32_t)mr_ascii_lower((unsigned char)p[n - 1]) : 0);
}

static unsigned sig_slot(uint32_t sg)
{
	return (unsigned)((sg * 0x9e3779b9u) >> 26);
}

static int add_key(mr_log_format *f, const char *path, int leaf, int prio, const char *spec,
                   mr_err *err)
{
	if (f->nkeys == MAX_KEYS)
		return mr_err_set(err, MR_EINVALID, "log format: more than %d JSON keys", MAX_KEYS);
	size_t pn = strlen(path);
	if (pn >= MAX_PATH)
		return mr_err_set(err, MR_EINVALID, "log format: the JSON key %s is too long", path);
	jkey *k = &f->keys[f->nkeys];
	memcpy(k->path, path, pn + 1);
	k->pn = pn;
	k->leaf = leaf;
	k->prio = prio;
	f->ksig[f->nkeys] = sig(leaf, path, pn);
	f->kslot[sig_slot(f->ksig[f->nkeys])] |= 1ull << f->nkeys;
	/* several keys may give one field (the first present wins) */
	unsigned had = f->has;
	f->has = 0;
	int rc = compile_items(f, k->s.it, &k->s.n, MAX_KEY_ITEMS, spec, err);
	f->has |= had;
	if (rc)
		mr_err_prefix(err, "JSON key \"%s\"", path);
	else
		f->nkeys++;
	return rc;
}

/* The string values of a template, each under its key path; an array's
 * first value under the array's key. */
static int walk_template(mr_log_format *f, json_t *v, char *path, size_t pn, mr_err *err)
{
	if (json_is_string(v))
		return add_key(f, path, 0, (int)f->nkeys, json_string_value(v), err);
	if (json_is_array(v))
		return json_array_size(v) ? walk_template(f, json_array_get(v, 0), path, pn, err) : 0;
	if (!json_is_object(v))
		return 0;
	const char *k;
	json_t *sub;
	json_object_foreach(v, k, sub) {
		size_t kn = strlen(k);
		if (pn + kn + 2 >= MAX_PATH)
			return mr_err_set(err, MR_EINVALID, "log format: a JSON key path is too long");
		size_t at = pn;
		if (pn)
			path[at++] = '.';
		memcpy(path + at, k, kn + 1);
		int rc = walk_template(f, sub, path, at + kn, err);
		path[pn] = 0;
		if (rc)
			return rc;
	}
	return 0;
}

static int compile_json(mr_log_format *f, const char *spec, mr_err *err)
{
	f->json = 1;
	f->keys = calloc(MAX_KEYS, sizeof *f->keys);
	if (!f->keys)
		return mr_err_nomem(err);
	f->has = 0;
	if (!spec) {   /* `json`: keys by their usual names */
		for (size_t i = 0; i < sizeof json_names / sizeof json_names[0]; i++) {
			int rc = add_key(f, json_names[i].key, 1, (int)i, json_names[i].spec, err);
			if (rc)
				return rc;
		}
		return 0;
	}
	json_error_t je;
	json_t *t = json_loads(spec, 0, &je);
	if (!t)
		return mr_err_set(err, MR_EINVALID, "log format:%d: not a JSON template: %s",
		                  je.position + 1, je.text);
	char path[MAX_PATH] = "";
	int rc = walk_template(f, t, path, 0, err);
	json_decref(t);
	if (!rc && f->name && strcmp(f->name, "caddy") == 0)   /* Caddy before 2.7 */
		rc = add_key(f, "request.remote_ip", 0, MAX_KEYS, "%h", err);
	return rc;
}

/* goaccess: the string is in GoAccess's dialect (a preset, or a custom
 * string with a date); else a custom one is Apache's. */
static int compile_spec(mr_log_format *f, const char *spec, int goaccess, mr_err *err)
{
	char buf[MAX_TEXT * 2];
	int rc;
	if (f->json || *spec == '{')
		rc = compile_json(f, f->json ? NULL : spec, err);
	else if (goaccess || strstr(spec, "%d") || strstr(spec, "%x"))
		rc = compile_items(f, f->s.it, &f->s.n, MAX_ITEMS, spec, err);
	else if (!(rc = from_apache(buf, sizeof buf, spec, err)))
		rc = compile_items(f, f->s.it, &f->s.n, MAX_ITEMS, buf, err);
	if (!rc)
		rc = needs(f, spec, err);
	return rc;
}

int mr_log_format_compile(mr_log_format **out, const char *spec, mr_err *err)
{
	const struct preset *pre = NULL;
	*out = NULL;
	size_t sn = strlen(spec);
	for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
		if (sn == strlen(presets[i].name) && !mr_ascii_memcasecmp(spec, presets[i].name, sn))
			pre = &presets[i];
	if (!pre && sn && strspn(spec, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                               "0123456789_-.") == sn)
		return mr_err_set(err, MR_EINVALID, "log format \"%s\": no format has that name (the "
		                  "names: %s; or give a format string such as '%%h %%^[%%d:%%t %%^] "
		                  "\"%%r\" %%s %%b')", spec, mr_log_format_names);
	if (sn >= MAX_TEXT)
		return mr_err_set(err, MR_EINVALID, "log format: longer than %d characters", MAX_TEXT - 1);
	mr_log_format *f = calloc(1, sizeof *f);
	if (!f)
		return mr_err_set(err, MR_ENOMEM, "log format: out of memory");
	f->name = pre ? pre->name : "custom";
	f->fields = pre ? pre->fields : 0;
	f->json = pre && !pre->spec;
	int rc = compile_spec(f, pre ? (pre->spec ? pre->spec : "") : spec, pre != NULL, err);
	if (rc) {
		mr_log_format_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

/* W3C extended log field names and GoAccess specifiers. */
static const char *w3c_spec(const char *p, size_t n)
{
	static const struct { const char *name, *spec; } names[] = {
		{ "date", "%d" }, { "time", "%t" }, { "c-ip", "%h" }, { "cs-method", "%m" },
		{ "cs-uri-stem", "%U" }, { "cs-uri-query", "%q" }, { "sc-status", "%s" },
		{ "sc-bytes", "%b" }, { "cs(user-agent)", "%u" }, { "cs(referer)", "%R" },
		{ "cs(referrer)", "%R" }, { "cs-host", "%v" }, { "cs(host)", "%v" },
		{ "cs-username", "%e" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == n && !mr_ascii_memcasecmp(p, names[i].name, n))
			return names[i].spec;
	return "%^";
}

int mr_log_format_fields(mr_log_format *f, const char *line, size_t n, mr_err *err)
{
	if (!f->fields || n < 8 || memcmp(line, "#Fields:", 8) != 0)
		return 0;
	char spec[MAX_TEXT];
	size_t o = 0;
	const char *p = line + 8, *e = line + n;
	int taken[K_END] = { 0 };
	while (p < e) {
		while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		const char *w = p;
		while (p < e && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (p == w)
			break;
		const char *s = w3c_spec(w, (size_t)(p - w));
		int k = goaccess_kind(s[1]);
		if (k != MR_LF_SKIP && taken[k]++)
			s = "%^";
		if (o + 4 >= sizeof spec)
			return mr_err_set(err, MR_EINVALID, "#Fields: too many fields");
		if (o)
			spec[o++] = (char)f->fields;
		memcpy(spec + o, s, 2);
		o += 2;
	}
	spec[o] = 0;
	mr_log_format g;
	memset(&g, 0, sizeof g);
	g.name = f->name;
	g.fields = f->fields;
	int rc = compile_items(&g, g.s.it, &g.s.n, MAX_ITEMS, spec, err);
	if (!rc)
		rc = needs(&g, spec, err);
	if (rc)
		return rc;
	/* the literals move with the struct: rebase them */
	for (size_t i = 0; i < g.s.n; i++)
		if (g.s.it[i].lit)
			g.s.it[i].lit = f->text + (g.s.it[i].lit - g.text);
	memcpy(f->text, g.text, sizeof f->text);
	f->tn = g.tn;
	f->s = g.s;
	f->has = g.has;
	return 1;
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

/* An IPv4 address is tried first, without looking for its dots or a
 * colon: is_ipv4 refuses anything else (a colon included), and what it
 * refuses without a colon is no IPv6 address either. */
static int is_ip(const char *p, size_t n)
{
	if (n && n <= 15 && p[0] >= '0' && p[0] <= '9' && is_ipv4(p, n))
		return 1;
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

static int civil(int y, int m, int d, int *day)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return -1;
	*day = mr_day_from_civil(y, m, d);
	return 0;
}

/* A Unix time of digits[.fraction], in s, ms, us or ns by its length. */
static int epoch(const char *p, size_t n, int *day, int *sec)
{
	size_t i = 0;
	unsigned long long v = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9' && i < 19)
		v = v * 10 + (unsigned)(p[i++] - '0');
	if (i == 0 || (i < n && p[i] != '.'))
		return -1;
	for (size_t j = i < n ? i + 1 : n; j < n; j++)
		if (p[j] < '0' || p[j] > '9')
			return -1;
	v /= i <= 11 ? 1 : i <= 14 ? 1000ull : i <= 17 ? 1000000ull : 1000000000ull;
	*day = mr_day_from_civil(1970, 1, 1) + (int)(v / 86400);
	*sec = (int)(v % 86400);
	return 0;
}

/* dd/Mon/yyyy, yyyy-mm-dd or a Unix time. */
static int parse_date_text(const char *p, size_t n, int *day)
{
	int sec;
	if (n == 11 && p[2] == '/' && p[6] == '/') {
		int y1 = two(p + 7), y2 = two(p + 9);
		return y1 < 0 || y2 < 0 ? -1 : civil(y1 * 100 + y2, month_of(p + 3), two(p), day);
	}
	if (n == 10 && p[4] == '-' && p[7] == '-') {
		int y1 = two(p), y2 = two(p + 2);
		return y1 < 0 || y2 < 0 ? -1 : civil(y1 * 100 + y2, two(p + 5), two(p + 8), day);
	}
	return epoch(p, n, day, &sec);
}

/* The same, remembering the last date read by this thread: a log's lines
 * come in time order, so most lines repeat the date of the line before. */
static int parse_date(const char *p, size_t n, int *day)
{
	static _Thread_local char last[11];
	static _Thread_local size_t lastn;
	static _Thread_local int lastday;
	if (n == lastn && n && memcmp(p, last, n) == 0) {
		*day = lastday;
		return 0;
	}
	if (parse_date_text(p, n, day))
		return -1;
	if (n <= sizeof last) {
		memcpy(last, p, n);
		lastn = n;
		lastday = *day;
	}
	return 0;
}

/* hh:mm:ss (a second 60 allowed) */
static int parse_clock(const char *p, size_t n, int *sec)
{
	if (n != 8 || p[2] != ':' || p[5] != ':')
		return -1;
	int hh = two(p), mm = two(p + 3), ss = two(p + 6);
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
		return -1;
	*sec = hh * 3600 + mm * 60 + ss;
	return 0;
}

/* ISO 8601 (yyyy-mm-ddThh:mm:ss...), dd/Mon/yyyy:hh:mm:ss... or a Unix
 * time: the date and time written, any zone or fraction after them left. */
static int parse_datetime(const char *p, size_t n, int *day, int *sec)
{
	if (n >= 19 && p[4] == '-' && (p[10] == 'T' || p[10] == ' '))
		return parse_date(p, 10, day) || parse_clock(p + 11, 8, sec) ? -1 : 0;
	if (n >= 20 && p[2] == '/' && p[11] == ':')
		return parse_date(p, 11, day) || parse_clock(p + 12, 8, sec) ? -1 : 0;
	return epoch(p, n, day, sec);
}

static const char *const kind_why[K_END] = {
	[MR_LF_HOST] = "the client address is not an IPv4 or IPv6 address",
	[MR_LF_STATUS] = "the status is not a number from 100 to 599",
	[K_DATE] = "the date is not dd/Mon/yyyy, yyyy-mm-dd or a Unix time",
	[K_CLOCK] = "the time is not hh:mm:ss",
	[K_DATETIME] = "the date and time are not ISO 8601, dd/Mon/yyyy:hh:mm:ss or a Unix time",
	[K_URL] = "the path is empty",
};

/* ---- parsing ---- */

typedef struct pstate {
	mr_log_line *out;
	int strict;
	int fields;                  /* fields read (skipped ones not counted) */
	int date, clock;
	mr_log_span method, url, query, proto;
	unsigned char prio[K_END];   /* of the JSON key that gave each field */
} pstate;

/* Where a field that ends at byte c stops: the first c not escaped by a
 * backslash (as GoAccess reads).  NULL when none. */
static const char *field_end(const char *p, const char *e, char c)
{
	for (const char *from = p;;) {
		const char *q = memchr(from, c, (size_t)(e - from));
		if (!q)
			return NULL;
		size_t bs = 0;     /* an odd run of backslashes before it escapes it */
		while (q - bs > p && q[-1 - (ptrdiff_t)bs] == '\\')
			bs++;
		if (bs % 2 == 0)
			return q;
		from = q + 1;
	}
}

/* Store one field's token [p, q); 0 or -1 when it is not valid. */
static int put_field(pstate *st, int kind, const char *p, const char *q)
{
	mr_log_line *out = st->out;
	while (p < q && (*p == ' ' || *p == '\t'))
		p++;
	while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	size_t n = (size_t)(q - p);
	st->fields += kind != MR_LF_SKIP;
	switch (kind) {
	case MR_LF_HOST:
		if (!is_ip(p, n))
			return -1;
		break;
	case MR_LF_STATUS:
		if (n != 3 || p[0] < '1' || p[0] > '5' || p[1] < '0' || p[1] > '9' ||
		    p[2] < '0' || p[2] > '9')
			return -1;
		out->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
		break;
	case K_DATE:
		if (parse_date(p, n, &out->day))
			return -1;
		st->date = 1;
		out->f[MR_LF_TIME] = (mr_log_span){ p, n };
		return 0;
	case K_CLOCK:
		if (parse_clock(p, n, &out->sec)) {
			int d;
			if (epoch(p, n, &d, &out->sec))
				return -1;
		}
		st->clock = 1;
		return 0;
	case K_DATETIME:
		if (parse_datetime(p, n, &out->day, &out->sec))
			return -1;
		st->date = st->clock = 1;
		out->f[MR_LF_TIME] = (mr_log_span){ p, n };
		return 0;
	case K_METHOD: st->method = (mr_log_span){ p, n }; return 0;
	case K_URL:
		if (!n)
			return -1;
		st->url = (mr_log_span){ p, n };
		return 0;
	case K_QUERY: st->query = (mr_log_span){ p, n }; return 0;
	case K_PROTO: st->proto = (mr_log_span){ p, n }; return 0;
	case MR_LF_SKIP: return 0;
	default: break;
	}
	out->f[kind] = (mr_log_span){ p, n };
	return 0;
}

/* Read [p, e) by the items; col0 is the column of p in the line.  As
 * GoAccess, the text between fields is stepped over, not compared,
 * unless strict (detection compares it, to tell formats apart). */
static int run(const item *its, size_t nits, pstate *st, const char *p, const char *e, size_t col0,
               mr_log_bad *bad)
{
	const char *start = p;
	for (size_t i = 0; i < nits; i++) {
		const item *it = &its[i];
		if (p >= e) {           /* ended early: keep what is there */
			st->out->cut = 1;
			return 0;
		}
		if (it->kind == K_LIT) {
			if (it->n == 1 && *p == it->lit[0]) {   /* most are one byte */
				p++;
				continue;
			}
			size_t k = 0;
			while (p + k < e && k < it->n && p[k] == it->lit[k])
				k++;
			if (k < it->n && p + k == e) {
				st->out->cut = 1;
				return 0;
			}
			if (k < it->n && !st->strict) {
				p += it->n;      /* GoAccess steps over the format's text */
				continue;
			}
			if (k < it->n) {
				bad->col = col0 + (size_t)(p - start) + k + 1;
				bad->why = it->lit[k] == '"' ? "a quote was expected here" :
				           "the line does not match the format here";
				return MR_EINVALID;
			}
			p += it->n;
			continue;
		}
		if (it->kind == K_TILDE) {
			while (p < e && (*p == ' ' || *p == '\t'))
				p++;
			continue;
		}
		const item *next = i + 1 < nits ? &its[i + 1] : NULL;
		const char *end = e;
		if (next && next->kind == K_LIT) {
			end = it->kind == MR_LF_SKIP ? memchr(p, next->lit[0], (size_t)(e - p))
			                             : field_end(p, e, next->lit[0]);
			if (!end && it->kind == MR_LF_SKIP && !st->strict)
				end = p;         /* GoAccess stays where it is */
			if (!end) {
				if (it->kind == MR_LF_REFERER || it->kind == MR_LF_AGENT) {
					st->out->cut = 1;    /* no closing quote: "-", as GoAccess */
					return 0;
				}
				bad->col = col0 + (size_t)(e - start) + 1;
				bad->why = "the line ends early";
				return MR_EINVALID;
			}
		}
		if (put_field(st, it->kind, p, end)) {
			bad->col = col0 + (size_t)(p - start) + 1;
			bad->why = kind_why[it->kind] ? kind_why[it->kind] : "a field is not valid";
			return MR_EINVALID;
		}
		p = end;
	}
	return 0;
}

/* Room in the line's scratch, or NULL. */
static char *scratch(mr_log_line *out, size_t n)
{
	if (n > sizeof out->scratch - out->used)
		return NULL;
	char *p = out->scratch + out->used;
	out->used += n;
	return p;
}

/* The first '"' or '\\' in [p, e), or e.  Most JSON strings are short
 * (keys, numbers, addresses): a call to memchr costs more than looking at
 * them 8 bytes at a time here, each byte compared by the carry of a
 * subtraction (a byte that matches becomes zero; the lowest 0x80 bit of
 * (x - 0x01..) & ~x marks the first zero byte on a little-endian CPU). */
static const char *quote_or_backslash(const char *p, const char *e)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	for (; e - p >= 8; p += 8) {
		uint64_t w, a, b;
		memcpy(&w, p, 8);
		a = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		uint64_t t = (((a - ones) & ~a) | ((b - ones) & ~b)) & highs;
		if (t)
			return p + (__builtin_ctzll(t) >> 3);
	}
#endif
	for (; p < e; p++)
		if (*p == '"' || *p == '\\')
			return p;
	return e;
}

/* The JSON string at p (after its opening quote) up to its closing quote:
 * *val gets its bytes, unescaped into scratch when it has escapes;
 * returns the byte after the closing quote, or NULL. */
static const char *jl_string(mr_log_line *out, const char *p, const char *e, mr_log_span *val)
{
	/* the closing quote, 8 bytes at a time up to the first backslash */
	const char *q = quote_or_backslash(p, e);
	if (q == e)
		return NULL;
	int esc = *q == '\\';
	if (esc) {
		while (q < e && *q != '"') {
			if (*q == '\\')
				q++;
			q++;
		}
		if (q >= e)
			return NULL;
	}
	if (!esc) {
		*val = (mr_log_span){ p, (size_t)(q - p) };
		return q + 1;
	}
	char *o = scratch(out, (size_t)(q - p)), *w = o;
	if (!o)
		return NULL;
	for (const char *r = p; r < q; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		r++;
		switch (*r) {
		case 'n': *w++ = '\n'; break;
		case 't': *w++ = '\t'; break;
		case 'r': *w++ = '\r'; break;
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case 'u': {
			unsigned v = 0;
			int k = 0;
			for (; k < 4 && r + 1 < q; k++) {
				char c = *++r;
				int h = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ?
				        (c | 0x20) - 'a' + 10 : -1;
				if (h < 0)
					return NULL;
				v = v * 16 + (unsigned)h;
			}
			if (k < 4)
				return NULL;
			/* at most 6 bytes of \uXXXX give at most 3: it fits */
			if (v < 0x80) {
				*w++ = (char)v;
			} else if (v < 0x800) {
				*w++ = (char)(0xc0 | v >> 6);
				*w++ = (char)(0x80 | (v & 0x3f));
			} else {
				*w++ = (char)(0xe0 | v >> 12);
				*w++ = (char)(0x80 | ((v >> 6) & 0x3f));
				*w++ = (char)(0x80 | (v & 0x3f));
			}
			break;
		}
		default: *w++ = *r; break;
		}
	}
	*val = (mr_log_span){ o, (size_t)(w - o) };
	return q + 1;
}

static inline const char *jl_ws(const char *p, const char *e)
{
	if (p < e && (unsigned char)*p > ' ')
		return p;        /* mostly: compact JSON */
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

typedef struct jwalk {
	const mr_log_format *f;
	pstate *st;
	const char *line;
	mr_log_bad *bad;
	char path[MAX_PATH];
	size_t pn;
	size_t leaf;            /* where the last part of the path starts */
} jwalk;

/* A value under the current path: given to the key that names it. */
static int jl_leaf(jwalk *w, mr_log_span v, const char *at)
{
	const mr_log_format *f = w->f;
	uint32_t full = sig(0, w->path, w->pn), last = sig(1, w->path + w->leaf, w->pn - w->leaf);
	/* the keys whose sig is one of the two, in their order */
	for (uint64_t m = f->kslot[sig_slot(full)] | f->kslot[sig_slot(last)]; m; m &= m - 1) {
		size_t i = (size_t)__builtin_ctzll(m);
		if (f->ksig[i] != full && f->ksig[i] != last)
			continue;
		const jkey *k = &f->keys[i];
		if (k->leaf ? !(k->pn == w->pn - w->leaf &&
		                (!k->pn || mr_ascii_lower((unsigned char)k->path[k->pn - 1]) ==
		                           mr_ascii_lower((unsigned char)w->path[w->pn - 1])) &&
		                !mr_ascii_memcasecmp(k->path, w->path + w->leaf, k->pn))
		            : !(k->pn == w->pn && (!k->pn || k->path[k->pn - 1] == w->path[w->pn - 1]) &&
		                memcmp(k->path, w->path, k->pn) == 0))
			continue;
		int kind = -1;
		for (size_t j = 0; j < k->s.n; j++)
			if (k->s.it[j].kind != K_LIT && k->s.it[j].kind != MR_LF_SKIP &&
			    k->s.it[j].kind != K_TILDE)
				kind = k->s.it[j].kind;
		if (kind >= 0 && w->st->prio[kind] <= k->prio)
			continue;    /* given already by a key that comes first */
		if (kind >= 0)
			w->st->prio[kind] = (unsigned char)(k->prio > 254 ? 254 : k->prio);
		return run(k->s.it, k->s.n, w->st, v.p, v.p + v.n, (size_t)(at - w->line), w->bad);
	}
	return 0;
}

static const char *jl_value(jwalk *w, const char *p, const char *e, int depth, int first);

static const char *jl_fail(jwalk *w, const char *at, const char *why)
{
	if (!w->bad->why) {
		w->bad->col = (size_t)(at - w->line) + 1;
		w->bad->why = why;
	}
	return NULL;
}

/* After a member of an object or array: 1 and *pp past a comma, 0 and
 * *pp past the closing bracket, or -1 (the failure told). */
static int jl_after(jwalk *w, const char **pp, const char *e, char close)
{
	const char *p = jl_ws(*pp, e);
	if (p < e && *p == ',') {
		*pp = jl_ws(p + 1, e);
		return 1;
	}
	if (p < e && *p == close) {
		*pp = p + 1;
		return 0;
	}
	jl_fail(w, p, close == '}' ? "a comma or } was expected here" :
	              "a comma or ] was expected here");
	return -1;
}

static const char *jl_object(jwalk *w, const char *p, const char *e, int depth)
{
	p = jl_ws(p + 1, e);
	if (p < e && *p == '}')
		return p + 1;
	for (;;) {
		mr_log_span key;
		if (p >= e || *p != '"')
			return jl_fail(w, p, "a JSON key was expected here");
		const char *kat = p;
		if (!(p = jl_string(w->st->out, p + 1, e, &key)))
			return jl_fail(w, kat, "a JSON key is not closed");
		p = jl_ws(p, e);
		if (p >= e || *p != ':')
			return jl_fail(w, p, "a colon was expected here");
		size_t pn = w->pn, leaf = w->leaf;
		if (pn + key.n + 2 < MAX_PATH) {
			if (pn)
				w->path[w->pn++] = '.';
			w->leaf = w->pn;
			memcpy(w->path + w->pn, key.p, key.n);
			w->pn += key.n;
		} else {
			w->leaf = w->pn = MAX_PATH - 1;   /* too deep a path: names nothing */
		}
		p = jl_value(w, jl_ws(p + 1, e), e, depth + 1, 1);
		w->pn = pn;
		w->leaf = leaf;
		int more = p ? jl_after(w, &p, e, '}') : -1;
		if (more <= 0)
			return more ? NULL : p;
	}
}

/* A value; first: an array's first element (or a value not in an array),
 * the one a key path names. */
static const char *jl_value(jwalk *w, const char *p, const char *e, int depth, int first)
{
	if (depth > MAX_DEPTH)
		return jl_fail(w, p, "JSON nested too deep");
	if (p >= e)
		return jl_fail(w, p, "a JSON value was expected here");
	if (*p == '{')
		return jl_object(w, p, e, depth);
	if (*p == '[') {
		p = jl_ws(p + 1, e);
		if (p < e && *p == ']')
			return p + 1;
		for (int k = 0;; k++) {
			p = jl_value(w, p, e, depth + 1, first && k == 0);
			int more = p ? jl_after(w, &p, e, ']') : -1;
			if (more <= 0)
				return more ? NULL : p;
		}
	}
	mr_log_span v;
	const char *at = p;
	if (*p == '"') {
		if (!(p = jl_string(w->st->out, p + 1, e, &v)))
			return jl_fail(w, at, "a JSON string is not closed (or too long)");
		at++;
	} else {
		while (p < e && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t')
			p++;
		v = (mr_log_span){ at, (size_t)(p - at) };
		if (!v.n)
			return jl_fail(w, at, "a JSON value was expected here");
	}
	if (first && jl_leaf(w, v, at))
		return NULL;
	return p;
}

/* The request line of a format that gives method, path and query apart:
 * "METHOD PATH?QUERY PROTOCOL" in scratch (as much as fits). */
static void make_request(pstate *st)
{
	mr_log_line *out = st->out;
	mr_log_span m = st->method.n ? st->method : (mr_log_span){ "-", 1 };
	mr_log_span q = st->query;
	if (q.n == 1 && q.p[0] == '-')
		q.n = 0;
	if (q.n && q.p[0] == '?')
		q.p++, q.n--;
	mr_log_span pr = st->proto.n ? st->proto : (mr_log_span){ "-", 1 };
	size_t room = sizeof out->scratch - out->used;
	size_t need = m.n + 1 + st->url.n + (q.n ? q.n + 1 : 0) + 1 + pr.n;
	if (need > room) {   /* the query goes first, then the path is cut */
		q.n = 0;
		need = m.n + 1 + st->url.n + 1 + pr.n;
		if (need > room) {
			if (room < m.n + pr.n + 3)
				return;
			st->url.n = room - m.n - pr.n - 2;
			need = room;
		}
	}
	char *o = scratch(out, need), *w = o;
	memcpy(w, m.p, m.n), w += m.n;
	*w++ = ' ';
	memcpy(w, st->url.p, st->url.n), w += st->url.n;
	if (q.n) {
		*w++ = '?';
		memcpy(w, q.p, q.n), w += q.n;
	}
	*w++ = ' ';
	memcpy(w, pr.p, pr.n);
	out->f[MR_LF_REQUEST] = (mr_log_span){ o, need };
}

static int parse(const mr_log_format *f, const char *line, size_t len, mr_log_line *out,
                 mr_log_bad *bad, int strict, int *fields)
{
	pstate st;
	memset(out->f, 0, sizeof out->f);
	out->day = out->sec = out->status = out->cut = 0;
	out->used = 0;
	memset(&st, 0, sizeof st);
	memset(st.prio, 255, sizeof st.prio);
	st.out = out;
	st.strict = strict;
	bad->why = NULL;
	bad->col = 1;
	if (f->json) {
		jwalk w;
		w.f = f;
		w.st = &st;
		w.line = line;
		w.bad = bad;
		w.pn = w.leaf = 0;
		const char *p = jl_ws(line, line + len);
		if (p >= line + len || *p != '{')
			return jl_fail(&w, p, "not a JSON object"), MR_EINVALID;
		if (!jl_object(&w, p, line + len, 0))
			return MR_EINVALID;
		out->cut = 0;
	} else {
		int rc = run(f->s.it, f->s.n, &st, line, line + len, 0, bad);
		if (rc)
			return rc;
	}
	if (fields)
		*fields = st.fields;
	if (!out->f[MR_LF_REQUEST].n && st.url.n)
		make_request(&st);
	if (!out->f[MR_LF_HOST].n || !st.date || !out->f[MR_LF_REQUEST].n) {
		bad->col = len + 1;
		bad->why = !out->f[MR_LF_HOST].n ? "the line ends before the client address" :
		           !st.date ? "the line ends before the date" : "the line ends before the request";
		return MR_EINVALID;
	}
	return 0;
}

int mr_log_parse(const mr_log_format *f, const char *line, size_t len,
                 mr_log_line *out, mr_log_bad *bad)
{
	return parse(f, line, len, out, bad, 0, NULL);
}

/* ---- detection ---- */

/* How a format reads the first 50 lines: how many it reads as GoAccess
 * would, how many of those to the format's end (a line that ends first
 * fits a longer format only in part), how many fields it finds in them,
 * how many it reads strictly (the text between fields compared). */
typedef struct score { int ok, full, fields, strict; } score;

static int better(score a, score b)
{
	return a.ok != b.ok ? a.ok > b.ok : a.full != b.full ? a.full > b.full :
	       a.fields != b.fields ? a.fields > b.fields : a.strict > b.strict;
}

static score try_format(const mr_log_format *f, const char *buf, size_t n, mr_log_line *l)
{
	score sc = { 0, 0, 0, 0 };
	int lines = 0;
	for (const char *p = buf, *e = buf + n; p < e && lines < 50;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		if (!nl)
			nl = e;          /* the last line: the caller gives whole ones */
		size_t len = (size_t)(nl - p);
		if (len && p[len - 1] == '\r')
			len--;
		if (len && p[0] != '#') {
			mr_log_bad bad;
			int fields = 0;
			lines++;
			if (!parse(f, p, len, l, &bad, 0, &fields)) {
				sc.ok++;
				sc.full += !l->cut;
				sc.fields += fields;
				sc.strict += !parse(f, p, len, l, &bad, 1, NULL);
			}
		}
		p = nl + 1;
	}
	return sc;
}

/* Was the whole line read?  A format whose last item is a literal stops
 * there; what follows is ignored.  The one that leaves least wins. */
static size_t left_over(const mr_log_format *f, const char *line, size_t len, mr_log_line *l)
{
	mr_log_bad bad;
	if (f->json || parse(f, line, len, l, &bad, 1, NULL) || l->cut)
		return len;
	/* re-run the items to find where the format ended */
	const char *p = line, *e = line + len;
	for (size_t i = 0; i < f->s.n && p < e; i++) {
		const item *it = &f->s.it[i];
		if (it->kind == K_LIT) {
			p += it->n;
		} else if (it->kind == K_TILDE) {
			while (p < e && (*p == ' ' || *p == '\t'))
				p++;
		} else {
			const item *next = i + 1 < f->s.n ? &f->s.it[i + 1] : NULL;
			const char *end = next && next->kind == K_LIT ? field_end(p, e, next->lit[0]) : e;
			p = end ? end : e;
		}
	}
	return (size_t)(e - p);
}

int mr_log_format_detect(mr_log_format **out, const char *buf, size_t n)
{
	mr_log_line *l = malloc(sizeof *l);
	mr_log_format *best = NULL;
	score bs = { 0, 0, 0, 0 };
	size_t bleft = (size_t)-1;
	mr_err err = MR_ERR_INIT;
	*out = NULL;
	if (!l)
		return MR_ENOMEM;
	/* the first line that is not a comment: for the tie between formats
	 * that read it all, the one that leaves least of it */
	const char *first = NULL;
	size_t flen = 0;
	const char *fields = NULL;
	size_t fieldsn = 0;
	for (const char *p = buf, *e = buf + n; p < e;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		if (!nl)
			nl = e;
		size_t len = (size_t)(nl - p);
		if (len && p[len - 1] == '\r')
			len--;
		if (len >= 8 && memcmp(p, "#Fields:", 8) == 0 && !fields)
			fields = p, fieldsn = len;
		else if (len && p[0] != '#' && !first)
			first = p, flen = len;
		p = nl + 1;
	}
	size_t np = sizeof presets / sizeof presets[0];
	for (size_t i = 0; i < np + sizeof detect_more / sizeof detect_more[0]; i++) {
		mr_log_format *f = NULL;
		int crc = mr_log_format_compile(&f, i < np ? presets[i].name : detect_more[i - np], &err);
		mr_err_clear(&err);
		if (crc == MR_ENOMEM) {     /* not a worse format instead */
			mr_log_format_free(best);
			free(l);
			return MR_ENOMEM;
		}
		if (crc)
			continue;
		if (i >= np)
			f->name = detect_more[i - np];
		if (fields && f->fields) {
			/* the separator: a tab in the data, else blanks */
			if ((first && memchr(first, '\t', flen) ? '\t' : ' ') != f->fields ||
			    mr_log_format_fields(f, fields, fieldsn, &err) != 1) {
				mr_err_clear(&err);
				mr_log_format_free(f);
				continue;
			}
		}
		score sc = try_format(f, buf, n, l);
		size_t left = sc.ok && first ? left_over(f, first, flen, l) : (size_t)-1;
		if (better(sc, bs) || (sc.ok && !better(bs, sc) && left < bleft)) {
			mr_log_format_free(best);
			best = f;
			bs = sc;
			bleft = left;
		} else {
			mr_log_format_free(f);
		}
	}
	free(l);
	if (!best)
		return MR_ENOTFOUND;
	*out = best;
	return 0;
}

/* ---- the request ---- */

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
		if (strlen(exts[i]) == n && mr_ascii_memcasecmp(exts[i], d, n) == 0)
			return 1;
	return 0;
}

/* attrib.c — whose is it: ownership rules matched the same way for logs,
 * orders, leads, content, ranks, tasks and uptime (see attrib.h).
 *
 * Rules are few (a team's channels, campaigns and sites), so each kind is
 * a short array scanned in order; the first rule wins for equal values,
 * the longest for URL paths, the most specific host for referrers.
 * Everything here folds ASCII case only: a Turkish locale folds 'I' to a
 * dotless 'ı' and would make "Instagram" no longer match "instagram".
 */
#include "ingest/attrib.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/ascii.h"
#include "util/err.h"
#include "util/vec.h"

typedef struct rule { char *value; size_t n; int login; } rule;

struct mr_attrib {
	rule *rules[MR_OWN_KINDS];
	size_t nrules[MR_OWN_KINDS], caprules[MR_OWN_KINDS];
	char **logins;
	size_t nlogins, caplogins;
};

static const char *const kind_names[MR_OWN_KINDS] = {
	"channel", "campaign", "referrer", "url", "author", "keyword", "site", "tracker",
};

/* p[0..*n) without spaces and tabs around it. */
static const char *trim(const char *p, size_t *n)
{
	size_t len = *n;
	while (len && (*p == ' ' || *p == '\t'))
		p++, len--;
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	*n = len;
	return p;
}

/* The host of a URL or of a bare host name, without "www.". */
static const char *host_of(const char *p, size_t *n)
{
	size_t len = *n;
	for (size_t i = 0; i + 2 < len; i++) {
		if (p[i] == ':' && p[i + 1] == '/' && p[i + 2] == '/') {
			p += i + 3, len -= i + 3;
			break;
		}
		if (p[i] == '/' || p[i] == '?' || p[i] == '#')
			break;
	}
	size_t h = 0;
	while (h < len && p[h] != '/' && p[h] != ':' && p[h] != '?' && p[h] != '#')
		h++;
	if (h > 4 && !mr_ascii_memcasecmp(p, "www.", 4))
		p += 4, h -= 4;
	*n = h;
	return p;
}

/* The path of a URL from its first '/' after the host ("/" when none);
 * a value with no scheme is a path already. */
static const char *path_of(const char *p, size_t *n)
{
	size_t len = *n, s = 0;
	while (s < len && p[s] != '/' && p[s] != '?' && p[s] != '#' && p[s] != ':')
		s++;
	if (s + 2 < len && p[s] == ':' && p[s + 1] == '/' && p[s + 2] == '/') {
		size_t h = s + 3;
		while (h < len && p[h] != '/' && p[h] != '?' && p[h] != '#')
			h++;
		if (h == len || p[h] != '/') {
			*n = 1;
			return "/";
		}
		p += h, len -= h;
	}
	*n = len;
	return p;
}

/* A rule's value or a row's, in the form its kind compares. */
static const char *shape(mr_own_kind kind, const char *p, size_t *n)
{
	p = trim(p, n);
	if (kind == MR_OWN_REFERRER)
		return host_of(p, n);
	if (kind == MR_OWN_URL)
		return path_of(p, n);
	return p;
}

int mr_attrib_same(const char *kind, const char *a, const char *b)
{
	int k = mr_attrib_kind(kind);
	size_t na = strlen(a), nb = strlen(b);
	if (k < 0)
		return strcmp(a, b) == 0;
	a = shape((mr_own_kind)k, a, &na);
	b = shape((mr_own_kind)k, b, &nb);
	if (na != nb)
		return 0;
	return k == MR_OWN_URL ? memcmp(a, b, na) == 0 : mr_ascii_memcasecmp(a, b, na) == 0;
}

int mr_attrib_kind(const char *name)
{
	for (int k = 0; k < MR_OWN_KINDS; k++)
		if (strcmp(kind_names[k], name) == 0)
			return k;
	return -1;
}

static int add(mr_attrib *a, mr_own_kind kind, const char *value, const char *login)
{
	size_t li, n = strlen(value);
	for (li = 0; li < a->nlogins && strcmp(a->logins[li], login) != 0; li++)
		;
	if (li == a->nlogins) {
		if (mr_vec_grow(&a->logins, &a->caplogins, a->nlogins, sizeof *a->logins) ||
		    !(a->logins[a->nlogins] = strdup(login)))
			return MR_ENOMEM;
		a->nlogins++;
	}
	const char *v = shape(kind, value, &n);
	if (n == 0)
		return 0;
	if (mr_vec_grow(&a->rules[kind], &a->caprules[kind], a->nrules[kind], sizeof *a->rules[kind]))
		return MR_ENOMEM;
	rule *r = &a->rules[kind][a->nrules[kind]];
	if (!(r->value = strndup(v, n)))
		return MR_ENOMEM;
	r->n = n;
	r->login = (int)li;
	a->nrules[kind]++;
	return 0;
}

void mr_attrib_free(mr_attrib *a)
{
	if (!a)
		return;
	for (int k = 0; k < MR_OWN_KINDS; k++) {
		for (size_t i = 0; i < a->nrules[k]; i++)
			free(a->rules[k][i].value);
		free(a->rules[k]);
	}
	for (size_t i = 0; i < a->nlogins; i++)
		free(a->logins[i]);
	free(a->logins);
	free(a);
}

int mr_attrib_new(mr_attrib **out, const mr_rule_row *rows, size_t n)
{
	mr_attrib *a = calloc(1, sizeof *a);
	*out = NULL;
	if (!a)
		return MR_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int k = mr_attrib_kind(rows[i].kind);
		if (k >= 0 && add(a, (mr_own_kind)k, rows[i].value, rows[i].login)) {
			mr_attrib_free(a);
			return MR_ENOMEM;
		}
	}
	*out = a;
	return 0;
}

int mr_attrib_has(const mr_attrib *a, mr_own_kind kind)
{
	return a->nrules[kind] != 0;
}

const char *mr_attrib_login(const mr_attrib *a, int i)
{
	return a->logins[i];
}

size_t mr_attrib_nlogins(const mr_attrib *a)
{
	return a->nlogins;
}

int mr_attrib_match(const mr_attrib *a, mr_own_kind kind, const char *v, size_t n)
{
	if (!a->nrules[kind])
		return -1;
	v = shape(kind, v, &n);
	if (n == 0)
		return -1;
	int best = -1;
	size_t best_n = 0;
	for (size_t i = 0; i < a->nrules[kind]; i++) {
		const rule *r = &a->rules[kind][i];
		switch (kind) {
		case MR_OWN_REFERRER:   /* the host or a subdomain of it; the longest wins */
			if (n >= r->n && r->n > best_n && !mr_ascii_memcasecmp(v + n - r->n, r->value, r->n) &&
			    (n == r->n || v[n - r->n - 1] == '.'))
				best = r->login, best_n = r->n;
			break;
		case MR_OWN_URL:        /* the longest path prefix */
			if (n >= r->n && r->n > best_n && memcmp(v, r->value, r->n) == 0)
				best = r->login, best_n = r->n;
			break;
		default:
			if (n == r->n && !mr_ascii_memcasecmp(v, r->value, n))
				return r->login;
		}
	}
	return best;
}

int mr_attrib_title(const mr_attrib *a, const char *title, size_t n)
{
	int best = -1;
	size_t best_n = 0;
	title = trim(title, &n);
	for (size_t i = 0; i < a->nrules[MR_OWN_AUTHOR]; i++) {
		const rule *r = &a->rules[MR_OWN_AUTHOR][i];
		if (n >= r->n && r->n > best_n && !mr_ascii_memcasecmp(title, r->value, r->n))
			best = r->login, best_n = r->n;
	}
	return best;
}

static int hexval(int c)
{
	c = mr_ascii_lower(c);
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

long mr_attrib_query(char *out, size_t cap, const char *url, size_t n, const char *name)
{
	size_t nl = strlen(name);
	const char *q = memchr(url, '?', n), *e = url + n;
	const char *hash = memchr(url, '#', n);
	if (hash)
		e = hash;
	if (q && q < e)
		q++;
	else if (!memchr(url, '/', n) && !hash)
		q = url;                /* a bare query string */
	else
		return -1;
	while (q < e) {
		const char *amp = memchr(q, '&', (size_t)(e - q));
		const char *end = amp ? amp : e;
		if ((size_t)(end - q) > nl && q[nl] == '=' && !mr_ascii_memcasecmp(q, name, nl)) {
			size_t o = 0;
			if (!cap)
				return 0;
			for (const char *p = q + nl + 1; p < end && o + 1 < cap; p++) {
				int hi, lo;
				if (*p == '%' && end - p > 2 && (hi = hexval((unsigned char)p[1])) >= 0 &&
				    (lo = hexval((unsigned char)p[2])) >= 0) {
					out[o++] = (char)(hi * 16 + lo);
					p += 2;
				} else {
					out[o++] = *p == '+' ? ' ' : *p;
				}
			}
			size_t len = o;
			const char *t = trim(out, &len);
			memmove(out, t, len);
			out[len] = 0;
			return (long)len;
		}
		q = end + 1;
	}
	return -1;
}

int mr_attrib_channel(const mr_attrib *a, const mr_attrib_from *f, char *via, size_t vsize)
{
	char camp[256], src[256];
	long nc = -1, ns = -1;
	int who;
	if (via && vsize)
		via[0] = 0;
	if (f->ncampaign && (who = mr_attrib_match(a, MR_OWN_CAMPAIGN, f->campaign,
	                                           f->ncampaign)) >= 0)
		return who;
	if (f->nurl && (a->nrules[MR_OWN_CAMPAIGN] || a->nrules[MR_OWN_CHANNEL] || via) &&
	    (nc = mr_attrib_query(camp, sizeof camp, f->url, f->nurl, "utm_campaign")) > 0 &&
	    (who = mr_attrib_match(a, MR_OWN_CAMPAIGN, camp, (size_t)nc)) >= 0)
		return who;
	if (f->nsource && (who = mr_attrib_match(a, MR_OWN_CHANNEL, f->source, f->nsource)) >= 0)
		return who;
	if (f->nurl && (a->nrules[MR_OWN_CHANNEL] || via) &&
	    (ns = mr_attrib_query(src, sizeof src, f->url, f->nurl, "utm_source")) > 0 &&
	    (who = mr_attrib_match(a, MR_OWN_CHANNEL, src, (size_t)ns)) >= 0)
		return who;
	if (f->nreferrer && (who = mr_attrib_match(a, MR_OWN_REFERRER, f->referrer,
	                                           f->nreferrer)) >= 0)
		return who;
	if (via && vsize) {
		size_t n = f->nsource;
		const char *s = trim(f->source ? f->source : "", &n);
		if (n)
			snprintf(via, vsize, "%.*s", (int)n, s);
		else if (ns > 0)
			snprintf(via, vsize, "%s", src);
	}
	return -1;
}

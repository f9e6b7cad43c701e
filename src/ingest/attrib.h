/* attrib.h — whose is it: the one place that decides which team member a
 * log line's visit, an order, a lead, an article or a keyword belongs to.
 *
 * The ownership rules (`merit own KIND VALUE --who LOGIN`) are read once
 * into an mr_attrib; every importer and the log reader ask it the same
 * questions, so a rule means the same thing wherever the data comes from:
 *   - channel, campaign, author, keyword, site, tracker: the value equals
 *     the rule's, ignoring ASCII case (whatever the locale) and spaces
 *     around either;
 *   - referrer: the rule names a host (or a URL, whose host is taken,
 *     "www." dropped); a referrer URL or host matches it or a subdomain;
 *   - url: the rule names a path (or a URL, whose path is taken); an
 *     address matches the longest rule its path starts with.
 * A visit, order or lead is the promoter's whose campaign it came from —
 * the campaign column, else the utm_campaign of its URL — else whose
 * channel it came from — the source column, else utm_source — else
 * whose site referred it (mr_attrib_channel).  %XX and '+' in utm values
 * are decoded.
 */
#ifndef MR_ATTRIB_H
#define MR_ATTRIB_H

#include <stddef.h>

#include "store/store.h"

typedef enum mr_own_kind {
	MR_OWN_CHANNEL, MR_OWN_CAMPAIGN, MR_OWN_REFERRER, MR_OWN_URL, MR_OWN_AUTHOR,
	MR_OWN_KEYWORD, MR_OWN_SITE, MR_OWN_TRACKER, MR_OWN_KINDS
} mr_own_kind;

typedef struct mr_attrib mr_attrib;

/* The rules, compiled (values normalised as above).  MR_ENOMEM or 0. */
int mr_attrib_new(mr_attrib **out, const mr_rule_row *rows, size_t n);
void mr_attrib_free(mr_attrib *a);

/* The kind called name ("channel", …), or -1. */
int mr_attrib_kind(const char *name);
/* Whether rule values a and b of kind (its name) are one value, as the
 * rules match: spaces around ignored; a referrer's host (www. dropped) and
 * a url's path compared, the path with its case, the rest ignoring ASCII
 * case.  1 or 0. */
int mr_attrib_same(const char *kind, const char *a, const char *b);
/* Are there rules of this kind at all (a fast way out)? */
int mr_attrib_has(const mr_attrib *a, mr_own_kind kind);
/* A match's login; indices are stable, 0 ≤ i < mr_attrib_nlogins. */
const char *mr_attrib_login(const mr_attrib *a, int i);
size_t mr_attrib_nlogins(const mr_attrib *a);

/* The login index owning v[0..n) by a rule of kind, or -1. */
int mr_attrib_match(const mr_attrib *a, mr_own_kind kind, const char *v, size_t n);

/* The author whose rule a title starts with (ignoring ASCII case; the
 * longest rule wins), for articles known only by their title; or -1. */
int mr_attrib_title(const mr_attrib *a, const char *title, size_t n);

/* What a row or a log line tells of where it came from; absent: n = 0. */
typedef struct mr_attrib_from {
	const char *campaign; size_t ncampaign;   /* a campaign column */
	const char *source;   size_t nsource;     /* a source or channel column */
	const char *url;      size_t nurl;        /* a landing URL or request target (its utm_*) */
	const char *referrer; size_t nreferrer;   /* the referring URL */
} mr_attrib_from;

/* Whose is it, by campaign, then channel, then referrer: a login index
 * or -1.  via (may be NULL) receives, when no rule claims it, the source
 * (else its utm_source) for telling the user which channel no rule maps;
 * "" when the row names none. */
int mr_attrib_channel(const mr_attrib *a, const mr_attrib_from *f, char *via, size_t vsize);

/* The value of name=… in a URL's query (or a bare query string),
 * %XX and '+' decoded, spaces trimmed, into out; its length, or -1 when
 * absent. */
long mr_attrib_query(char *out, size_t cap, const char *url, size_t n, const char *name);

#endif

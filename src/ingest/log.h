/* log.h — web access logs in: `merit ingest`.
 *
 * Each log file becomes one batch, inside the caller's transaction: per
 * site and day the traffic figures (requests, failed lines, page views,
 * visitors, human visitors, visits, crawler requests), each day's
 * visitor set, the team's and promoters' `site_visits` measurements (when
 * the plan has that indicator) and editors' article views.  The
 * definitions are GoAccess's (SPEC section 5):
 *   - visitor: a distinct (date, address, user agent) among the day's
 *     requests whose status is not 4xx; human visitors leave crawlers out;
 *   - page view: a request for a page (not a static file) with status 2xx
 *     or 304, not from a crawler;
 *   - visit: a human visitor's run of non-4xx requests with no gap over
 *     30 minutes, within the day; its first request decides whose it is
 *     (utm_campaign, utm_source, then the referrer's host).
 * It streams: memory holds at most two days' visitor sets.
 */
#ifndef MR_LOG_H
#define MR_LOG_H

#include <stdint.h>

#include "core/plan.h"
#include "ingest/csv.h"
#include "ingest/log_format.h"
#include "store/store.h"
#include "util/buf.h"

#define MR_LOG_MAX_LINE (64u << 10)   /* a longer line is an error */
#define MR_LOG_MAX_NOTES 10           /* failed lines told one by one */
#define MR_LOG_VISIT_GAP 1800         /* seconds without a request that end a visit */

typedef struct mr_log_opts {
	const mr_log_format *format;   /* NULL: detected from the log's first lines */
	const char *site;        /* NULL: the line's virtual host, else "default" */
	int strict;              /* a line that does not parse is an error */
	mr_progress progress;    /* fn may be NULL */
	const char *name;        /* the file's name in messages and its batch; NULL: the path */
} mr_log_opts;

typedef struct mr_log_result {
	int64_t batch;
	long long lines;         /* lines read in this file, old ones included */
	long long skipped;       /* lines ingested before (the log has grown) */
	long long seen;          /* lines counted by an earlier batch, skipped */
	int held;                /* a last line without its newline, left for later */
	const char *format;      /* the format's name ("custom" for a string) */
	int detected;            /* the format was detected, not given */
	long long requests;      /* new lines that parsed */
	long long failed;        /* new lines that did not */
	long long bytes;         /* bytes read (uncompressed) */
	int days;                /* (site, day) pairs written */
	int empty;               /* nothing to ingest: skipped, no batch (told in notes) */
	int64_t same_as;         /* refused as the same content as this batch (MR_EEXISTS) */
	mr_buf notes;            /* the first failed lines, one per line; caller releases */
} mr_log_result;

void mr_log_result_init(mr_log_result *r);
void mr_log_result_release(mr_log_result *r);

/* Ingest one log ("-" for standard input; plain or gzip) as a batch.
 * On error the caller rolls back. */
int mr_log_ingest(mr_store *s, const mr_plan *plan, const char *path,
                  const mr_log_opts *o, mr_log_result *out, mr_err *err);

/* The time (day * 86400 + second) of the first line of the log at path
 * that parses with format, looking at its first 1 MiB; -1 when none (or
 * the file cannot be read: its ingestion tells why). */
long long mr_log_first_time(const char *path, const mr_log_format *format);

/* ---- the parts, for tests ---- */

/* A 64-bit hash of n bytes (log_day.c). */
uint64_t mr_log_hash(const void *data, size_t n, uint64_t seed);

/* Fingerprints of the lines batches counted (log_lines.c). */
typedef struct mr_log_lines mr_log_lines;
int mr_log_lines_new(mr_log_lines **out, mr_store *s, int64_t batch, mr_err *err);
void mr_log_lines_free(mr_log_lines *ls);
/* A line's bytes hashed (site apart: site is a hash of the site's name). */
uint64_t mr_log_line_hash(const char *line, size_t n);
/* Was this line (the next copy of it in this batch) counted by an earlier
 * batch?  1: yes, skip it; 0: no, it is now this batch's; < 0: error. */
int mr_log_lines_seen(mr_log_lines *ls, int day, uint64_t site, uint64_t line, mr_err *err);
/* Bring the slot a line will be looked up in into the cache (a lookup
 * misses it: the set is megabytes), while the line before is parsed. */
void mr_log_lines_prefetch(mr_log_lines *ls, int day, uint64_t site, uint64_t line);
/* Write this batch's fingerprints.  Call once, at the end. */
int mr_log_lines_finish(mr_log_lines *ls, mr_err *err);

/* Is this user agent a crawler, script or monitor? (log_crawler.c) */
int mr_log_is_crawler(const char *ua, size_t n);

/* The per-day aggregation of parsed lines (log_day.c). */
typedef struct mr_log_agg mr_log_agg;
/* For one file's batch; reads the ownership rules from the store.
 * has_agent: the format has a user agent (else no line is a crawler's). */
int mr_log_agg_new(mr_log_agg **out, mr_store *s, const mr_plan *plan, int has_agent,
                   int64_t batch, mr_err *err);
void mr_log_agg_free(mr_log_agg *a);
/* One parsed line of `site`; line is its number in the file. */
int mr_log_agg_line(mr_log_agg *a, const mr_log_line *l, const char *site, size_t sitelen,
                    long long line, mr_err *err);
/* A line that did not parse (counted on the day of the lines around it). */
void mr_log_agg_failed(mr_log_agg *a);
/* Write everything of the batch; *days gets the number of (site, day)
 * rows written.  Call once. */
int mr_log_agg_finish(mr_log_agg *a, int *days, mr_err *err);

#endif

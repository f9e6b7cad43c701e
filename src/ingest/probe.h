/* probe.h — merit's own uptime probe: HTTP and TCP checks with libcurl,
 * turned into `uptime` measurements for the person who owns the site.
 *
 * A check of http:// or https:// is up when the server answers with a
 * 2xx or 3xx status within the probe's timeout (redirects are not
 * followed: merit talks only to the URL it was given); tcp://host:port
 * is up when a TCP connection opens in time.  Every check is one
 * measurement — value 1 (up) or 0 (down), denominator 1, dated the local
 * day it ran — so `uptime`, a ratio, is the percentage of checks up.
 *
 * A round checks its probes concurrently and only then writes, in one
 * transaction: the database is never held while waiting on the network.
 */
#ifndef MR_PROBE_H
#define MR_PROBE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

/* libcurl's global state: once per process, before any check. */
int mr_probe_global_init(mr_err *err);
void mr_probe_global_cleanup(void);

/* "500ms", "30s", "5m", "1h" (a bare number is seconds) to milliseconds.
 * 0 or MR_EINVALID (no message: the caller names the flag). */
int mr_probe_duration_parse(int64_t *out_ms, const char *text);
/* The shortest of those forms; out holds 32 bytes. */
void mr_probe_duration_format(char *out, int64_t ms);

/* Is url something merit can probe: http:// or https:// with a host, or
 * tcp://host:port and nothing more?  MR_EINVALID with a message. */
int mr_probe_url_check(const char *url, mr_err *err);
/* Does the value of a `merit own site` rule cover url?  It does when it
 * is the URL's host, its host:port, or a prefix of the URL itself. */
int mr_probe_site_matches(const char *url, const char *site);

/* Check probes[0..n) at once; out[i] receives probes[i]'s result.  When
 * *stop (may be NULL) turns non-zero, checks not finished are abandoned
 * (out[i].done = 0).  Fails only when the checks cannot be run at all. */
int mr_probe_check_all(mr_probe_check *out, const mr_probe *const *probes, size_t n,
                       volatile sig_atomic_t *stop, mr_err *err);

/* Write one round in one transaction: a batch (source "probe", file
 * "round TIME") with, per finished check, its `uptime` measurement and
 * its raw result, under the same line number.  *out_batch is 0 when
 * nothing was finished. */
int mr_probe_save_round(mr_store *s, int64_t *out_batch, const mr_probe *const *probes,
                        const mr_probe_check *checks, size_t n, mr_err *err);

/* What mr_probe_run reports after each round (everything borrowed). */
typedef struct mr_probe_round {
	long number;                   /* 1, 2, … */
	int64_t batch;                 /* 0 when nothing was saved */
	const mr_probe *const *probes;
	const mr_probe_check *checks;
	size_t n;
} mr_probe_round;
typedef void (*mr_probe_report_fn)(const mr_probe_round *round, void *payload);

/* The schedule: every probe is due at once, then again every its own
 * interval; a round checks the probes due and saves them (as above).
 * The probe list is read again before each round, so probes added or
 * removed meanwhile are picked up.  Runs `rounds` rounds (0: no limit)
 * or until *stop turns non-zero; what was checked is saved either way.
 * MR_ENOTFOUND when there is no probe at all. */
int mr_probe_run(mr_store *s, long rounds, volatile sig_atomic_t *stop,
                 mr_probe_report_fn report, void *payload, mr_err *err);

#endif

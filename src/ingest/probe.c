/* probe.c — the uptime probe: HTTP and TCP checks with libcurl, on each
 * probe's own schedule, saved round by round as `uptime` measurements.
 *
 * The checks of a round run concurrently on one curl multi handle, so ten
 * sites timing out cost one timeout, not ten.  Each check uses a fresh
 * connection (a cached one would hide a server that went down), no proxy
 * (we measure the site, not a proxy) and no redirects (merit talks only
 * to the URL it was given).  tcp://host:port is checked with
 * CURLOPT_CONNECT_ONLY on the same address as http://host:port: connect,
 * and nothing is sent.  Only when a round's checks are done does it open
 * a write transaction, for milliseconds.
 */
#include "ingest/probe.h"
#include "util/ascii.h"

#include <curl/curl.h>
#include <errno.h>
#include <strings.h>
#include <time.h>

#include "core/period.h"

#define BODY_MAX (1 << 20)          /* read at most this much of an answer */
#define POLL_MS 100                 /* how soon a stop is noticed */

int mr_probe_global_init(mr_err *err)
{
	CURLcode c = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (c != CURLE_OK)
		return mr_err_set(err, MR_EIO, "cannot start libcurl: %s", curl_easy_strerror(c));
	return 0;
}

void mr_probe_global_cleanup(void) { curl_global_cleanup(); }

/* ---- durations ---- */

int mr_probe_duration_parse(int64_t *out, const char *text)
{
	static const struct { const char *unit; int64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "", 1000 }, { "m", 60000 }, { "h", 3600000 },
	};
	const char *p = text;
	int64_t v = 0;
	if (*p < '0' || *p > '9')
		return MR_EINVALID;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > 1000000000)
			return MR_EINVALID;
	}
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(p, units[i].unit) == 0) {
			*out = v * units[i].ms;
			return 0;
		}
	return MR_EINVALID;
}

void mr_probe_duration_format(char *out, int64_t ms)
{
	if (ms > 0 && ms % 3600000 == 0)
		snprintf(out, 32, "%lldh", (long long)(ms / 3600000));
	else if (ms > 0 && ms % 60000 == 0)
		snprintf(out, 32, "%lldm", (long long)(ms / 60000));
	else if (ms > 0 && ms % 1000 == 0)
		snprintf(out, 32, "%llds", (long long)(ms / 1000));
	else
		snprintf(out, 32, "%lldms", (long long)ms);
}

/* ---- URLs ---- */

enum { URL_HTTP = 1, URL_TCP = 2 };

/* Parse url; *kind is URL_HTTP or URL_TCP.  The handle is the caller's. */
static int url_parse(CURLU **out, int *kind, const char *url, mr_err *err)
{
	char *scheme = NULL, *part = NULL;
	int rc = 0;
	CURLUcode uc;
	CURLU *h = curl_url();
	*out = NULL;
	if (!h)
		return mr_err_nomem(err);
	if (strlen(url) > 2000) {
		rc = mr_err_set(err, MR_EINVALID, "URL \"%.60s…\" is longer than 2000 bytes", url);
		goto done;
	}
	if ((uc = curl_url_set(h, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME))) {
		rc = mr_err_set(err, MR_EINVALID, "URL \"%s\": %s (say http://HOST/…, https://HOST/… "
		                "or tcp://HOST:PORT)", url, curl_url_strerror(uc));
		goto done;
	}
	if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK || !scheme) {
		rc = mr_err_set(err, MR_EINVALID, "URL \"%s\" has no scheme", url);
		goto done;
	}
	if (mr_ascii_casecmp(scheme, "http") == 0 || mr_ascii_casecmp(scheme, "https") == 0) {
		*kind = URL_HTTP;
	} else if (mr_ascii_casecmp(scheme, "tcp") == 0) {
		*kind = URL_TCP;
		if (curl_url_get(h, CURLUPART_PORT, &part, 0) != CURLUE_OK) {
			rc = mr_err_set(err, MR_EINVALID, "URL \"%s\": a tcp check needs a port "
			                "(tcp://HOST:PORT)", url);
			goto done;
		}
		curl_free(part);
		part = NULL;
		static const CURLUPart extra[] = { CURLUPART_USER, CURLUPART_QUERY, CURLUPART_FRAGMENT };
		int more = 0;
		for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
			if (curl_url_get(h, extra[i], &part, 0) == CURLUE_OK && part && *part)
				more = 1;
			curl_free(part);
			part = NULL;
		}
		if (curl_url_get(h, CURLUPART_PATH, &part, 0) == CURLUE_OK && part &&
		    strcmp(part, "/") != 0 && *part)
			more = 1;
		if (more) {
			rc = mr_err_set(err, MR_EINVALID, "URL \"%s\": a tcp check is only "
			                "tcp://HOST:PORT", url);
			goto done;
		}
	} else {
		rc = mr_err_set(err, MR_EINVALID, "URL \"%s\": merit probes http://, https:// and "
		                "tcp://HOST:PORT, not %s://", url, scheme);
		goto done;
	}
	*out = h;
	h = NULL;
done:
	curl_free(scheme);
	curl_free(part);
	curl_url_cleanup(h);
	return rc;
}

int mr_probe_url_check(const char *url, mr_err *err)
{
	CURLU *h;
	int kind;
	int rc = url_parse(&h, &kind, url, err);
	curl_url_cleanup(h);
	return rc;
}

int mr_probe_site_matches(const char *url, const char *site)
{
	CURLU *h = NULL;
	char *host = NULL, *port = NULL, hp[600];
	int kind, match = 0;
	mr_err ignore = MR_ERR_INIT;
	size_t n = strlen(site);
	if (!n)
		return 0;
	if (strstr(site, "://")) {
		/* a URL prefix, ending at a boundary: http://a.com is not http://a.com.evil */
		char next = mr_ascii_ncasecmp(url, site, n) == 0 ? url[n] : 'x';
		return site[n - 1] == '/' || next == '\0' || strchr("/:?#", next);
	}
	if (url_parse(&h, &kind, url, &ignore) == 0 &&
	    curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		match = mr_ascii_casecmp(host, site) == 0;
		if (!match && curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
			snprintf(hp, sizeof hp, "%s:%s", host, port);
			match = mr_ascii_casecmp(hp, site) == 0;
		}
	}
	mr_err_clear(&ignore);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(h);
	return match;
}

/* ---- clocks ---- */

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Now, as UTC text with milliseconds, and as the local day. */
static void stamp(char at[32], int *day)
{
	struct timespec ts;
	struct tm utc, loc;
	char base[24];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &utc);
	localtime_r(&ts.tv_sec, &loc);
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &utc);
	snprintf(at, 32, "%s.%03dZ", base, (int)(ts.tv_nsec / 1000000 % 1000));
	*day = mr_day_from_civil(loc.tm_year + 1900, loc.tm_mon + 1, loc.tm_mday);
}

/* Sleep ms, in short naps so a stop is noticed. */
static void nap(int64_t ms, volatile sig_atomic_t *stop)
{
	while (ms > 0 && !(stop && *stop)) {
		int64_t step = ms < POLL_MS ? ms : POLL_MS;
		struct timespec ts = { (time_t)(step / 1000), (long)(step % 1000) * 1000000L };
		nanosleep(&ts, NULL);   /* a signal cuts it short: fine */
		ms -= step;
	}
}

/* ---- the checks ---- */

struct check {
	CURL *easy;
	mr_probe_check *out;
	int tcp;
	int capped;                  /* the answer was cut at BODY_MAX */
	size_t body;
	char errbuf[CURL_ERROR_SIZE];
};

/* The answer's body is read and dropped; past BODY_MAX we stop. */
static size_t discard(char *data, size_t size, size_t nmemb, void *payload)
{
	struct check *c = payload;
	(void)data;
	c->body += size * nmemb;
	if (c->body > BODY_MAX) {
		c->capped = 1;
		return 0;
	}
	return size * nmemb;
}

#define SET(opt, val) do { if (!e) e = curl_easy_setopt(c->easy, opt, val); } while (0)

static int check_setup(struct check *c, const mr_probe *p, mr_err *err)
{
	CURLU *h = NULL;
	char *target = NULL;
	int kind, rc;
	CURLcode e = CURLE_OK;
	if ((rc = url_parse(&h, &kind, p->url, err)))
		return rc;
	c->tcp = kind == URL_TCP;
	/* tcp://host:port is connected to as http://host:port, sending nothing */
	if (c->tcp && curl_url_set(h, CURLUPART_SCHEME, "http", 0) != CURLUE_OK) {
		rc = mr_err_nomem(err);
		goto done;
	}
	if (curl_url_get(h, CURLUPART_URL, &target, 0) != CURLUE_OK) {
		rc = mr_err_set(err, MR_EINVALID, "URL \"%s\" cannot be checked", p->url);
		goto done;
	}
	if (!(c->easy = curl_easy_init())) {
		rc = mr_err_set(err, MR_ENOMEM, "cannot start a check of %s", p->url);
		goto done;
	}
	SET(CURLOPT_URL, target);
	SET(CURLOPT_PRIVATE, (void *)c);
	SET(CURLOPT_ERRORBUFFER, c->errbuf);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TIMEOUT_MS, (long)p->timeout_ms);
	SET(CURLOPT_CONNECTTIMEOUT_MS, (long)p->timeout_ms);
	SET(CURLOPT_PROXY, "");
	SET(CURLOPT_FRESH_CONNECT, 1L);
	SET(CURLOPT_FORBID_REUSE, 1L);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_PROTOCOLS_STR, c->tcp ? "http" : "http,https");
	if (c->tcp) {
		SET(CURLOPT_CONNECT_ONLY, 1L);
	} else {
		SET(CURLOPT_HTTPGET, 1L);
		SET(CURLOPT_USERAGENT, "merit-probe/0.1");
		SET(CURLOPT_WRITEFUNCTION, discard);
		SET(CURLOPT_WRITEDATA, (void *)c);
	}
	if (e)
		rc = mr_err_set(err, MR_EIO, "setting up the check of %s: %s", p->url,
		                curl_easy_strerror(e));
done:
	curl_free(target);
	curl_url_cleanup(h);
	return rc;
}

static void check_finish(struct check *c, CURLcode result)
{
	mr_probe_check *o = c->out;
	long code = 0;
	curl_off_t us = -1;
	int answered;
	o->done = 1;
	curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &code);
	if (c->tcp) {
		answered = result == CURLE_OK;
		o->up = answered;
		if (answered)
			curl_easy_getinfo(c->easy, CURLINFO_CONNECT_TIME_T, &us);
	} else {
		answered = result == CURLE_OK || (result == CURLE_WRITE_ERROR && c->capped);
		o->status = code;
		if (answered) {
			curl_easy_getinfo(c->easy, CURLINFO_TOTAL_TIME_T, &us);
			o->up = code >= 200 && code < 400;
			if (!o->up)
				snprintf(o->error, sizeof o->error, "HTTP status %ld", code);
		}
	}
	o->latency_ms = answered && us >= 0 ? (double)us / 1000.0 : -1;
	if (!answered) {
		/* libcurl's own words: "Connection refused", "Operation timed out after …" */
		const char *why = c->errbuf[0] ? c->errbuf : curl_easy_strerror(result);
		size_t n = strlen(why);
		while (n > 0 && (why[n - 1] == '\n' || why[n - 1] == ' '))
			n--;
		snprintf(o->error, sizeof o->error, "%.*s", (int)n, why);
	}
}

static void drain(CURLM *m)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(m, &left))) {
		char *priv = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		if (priv)
			check_finish((struct check *)priv, msg->data.result);
	}
}

int mr_probe_check_all(mr_probe_check *out, const mr_probe *const *probes, size_t n,
                       volatile sig_atomic_t *stop, mr_err *err)
{
	int rc = 0, running = 0;
	CURLMcode mc = CURLM_OK;
	char at[32];
	int day;
	struct check *cs = n ? calloc(n, sizeof *cs) : NULL;
	CURLM *m = curl_multi_init();
	if ((n && !cs) || !m) {
		rc = mr_err_nomem(err);
		goto done;
	}
	stamp(at, &day);
	for (size_t i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].probe = probes[i]->id;
		out[i].url = probes[i]->url;
		memcpy(out[i].at, at, sizeof at);
		out[i].day = day;
		out[i].latency_ms = -1;
		cs[i].out = &out[i];
		if ((rc = check_setup(&cs[i], probes[i], err)))
			goto done;
		if ((mc = curl_multi_add_handle(m, cs[i].easy)) != CURLM_OK)
			goto multi_err;
	}
	while (!(stop && *stop)) {
		if ((mc = curl_multi_perform(m, &running)) != CURLM_OK)
			goto multi_err;
		drain(m);
		if (!running)
			break;
		if ((mc = curl_multi_poll(m, NULL, 0, POLL_MS, NULL)) != CURLM_OK)
			goto multi_err;
	}
	goto done;
multi_err:
	rc = mr_err_set(err, MR_EIO, "running the checks: %s", curl_multi_strerror(mc));
done:
	for (size_t i = 0; cs && i < n; i++) {
		if (!cs[i].easy)
			continue;
		if (m)
			curl_multi_remove_handle(m, cs[i].easy);
		curl_easy_cleanup(cs[i].easy);
	}
	curl_multi_cleanup(m);
	free(cs);
	return rc;
}

/* ---- saving ---- */

/* The checks of `day` in one round into the day's batch (file "day DAY"):
 * made by the day's first round (and audited then), grown by the next. */
static int save_day(mr_store *s, int64_t *out_batch, const mr_probe *const *probes,
                    const mr_probe_check *checks, size_t n, int day, mr_err *err)
{
	char file[32], d[16];
	int64_t batch = 0, rows = 0;
	long line;
	mr_day_format(d, day);
	snprintf(file, sizeof file, "day %s", d);
	int rc = mr_store_probe_day_batch(s, file, &batch, &rows, err);
	int fresh = !rc && !batch;
	if (fresh)
		rc = mr_store_batch_add(s, &batch, "probe", file, NULL, err);
	line = (long)rows;
	for (size_t i = 0; !rc && i < n; i++) {
		const mr_probe_check *c = &checks[i];
		if (!c->done || c->day != day)
			continue;
		line++;
		rc = mr_store_measure_add(s, batch, "uptime", probes[i]->login, c->day,
		                          c->up ? 1.0 : 0.0, 1, 1.0, line, err);
		if (!rc)
			rc = mr_store_probe_check_add(s, batch, line, c, err);
		if (rc)
			mr_err_prefix(err, "%s: the check of %s at %s", file, c->url, c->at);
	}
	if (!rc)
		rc = fresh ? mr_store_batch_finish(s, batch, line, NULL, err)
		           : mr_store_batch_grow(s, batch, line - (long)rows, err);
	*out_batch = batch;
	return rc;
}

int mr_probe_save_round(mr_store *s, int64_t *out_batch, const mr_probe *const *probes,
                        const mr_probe_check *checks, size_t n, mr_err *err)
{
	int64_t batch = 0;
	int rc;
	*out_batch = 0;
	size_t first = 0;
	while (first < n && !checks[first].done)
		first++;
	if (first == n)
		return 0;
	if ((rc = mr_store_begin(s, err)))
		return rc;
	/* a round is of one day, or of two when it runs over midnight: each
	 * day's checks go to that day's batch, the days in the round's order */
	for (size_t i = first; !rc && i < n; i++) {
		if (!checks[i].done)
			continue;
		size_t j = first;
		while (j < i && !(checks[j].done && checks[j].day == checks[i].day))
			j++;
		if (j == i)
			rc = save_day(s, &batch, probes, checks, n, checks[i].day, err);
	}
	if (rc) {
		mr_store_rollback(s);
		return rc;
	}
	if ((rc = mr_store_commit(s, err)))
		return rc;
	*out_batch = batch;
	return 0;
}

/* ---- the schedule ---- */

struct due { int64_t id, at; };   /* a probe and when it is next due (monotonic ms) */

int mr_probe_run(mr_store *s, long rounds, volatile sig_atomic_t *stop,
                 mr_probe_report_fn report, void *payload, mr_err *err)
{
	mr_probe *list = NULL;
	size_t n = 0, nsched = 0;
	struct due *sched = NULL, *next = NULL;
	const mr_probe **now_due = NULL;
	mr_probe_check *checks = NULL;
	size_t *index = NULL;
	long done_rounds = 0;
	int rc = 0;
	while (!(stop && *stop) && (rounds <= 0 || done_rounds < rounds)) {
		mr_probe_list_free(list, n);
		list = NULL;
		n = 0;
		if ((rc = mr_store_probe_list(s, &list, &n, err)))
			goto done;
		if (n == 0 && done_rounds == 0 && nsched == 0) {
			rc = mr_err_set(err, MR_ENOTFOUND, "no probes yet: add one with `merit probe "
			                "add URL --who LOGIN`");
			goto done;
		}
		/* carry each probe's due time over; a new probe is due now */
		int64_t t = mono_ms(), earliest = INT64_MAX;
		next = n ? calloc(n, sizeof *next) : NULL;
		if (n && !next) {
			rc = mr_err_nomem(err);
			goto done;
		}
		for (size_t i = 0, j = 0; i < n; i++) {   /* both sorted by id */
			while (j < nsched && sched[j].id < list[i].id)
				j++;
			next[i].id = list[i].id;
			next[i].at = j < nsched && sched[j].id == list[i].id ? sched[j].at : t;
			if (next[i].at < earliest)
				earliest = next[i].at;
		}
		free(sched);
		sched = next;
		next = NULL;
		nsched = n;
		if (n == 0 || earliest > t) {
			/* wait, but look at the list again within a second */
			nap(n == 0 || earliest - t > 1000 ? 1000 : earliest - t, stop);
			continue;
		}
		free(now_due);
		free(checks);
		free(index);
		now_due = calloc(n, sizeof *now_due);
		checks = calloc(n, sizeof *checks);
		index = calloc(n, sizeof *index);
		if (!now_due || !checks || !index) {
			rc = mr_err_nomem(err);
			goto done;
		}
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (sched[i].at <= t) {
				index[k] = i;
				now_due[k++] = &list[i];
			}
		if ((rc = mr_probe_check_all(checks, now_due, k, stop, err)))
			goto done;
		int64_t after = mono_ms();
		for (size_t q = 0; q < k; q++) {
			struct due *d = &sched[index[q]];
			d->at += list[index[q]].every_ms;
			if (d->at < after)       /* fell behind: next as soon as may be, no catching up */
				d->at = after;
		}
		int64_t batch = 0;
		if ((rc = mr_probe_save_round(s, &batch, now_due, checks, k, err)))
			goto done;
		done_rounds++;
		if (report) {
			mr_probe_round r = { done_rounds, batch, now_due, checks, k };
			report(&r, payload);
		}
	}
done:
	mr_probe_list_free(list, n);
	free(sched);
	free(next);
	free(now_due);
	free(checks);
	free(index);
	return rc;
}

/* log_day.c — the per-day aggregation behind `merit ingest`: parsed log
 * lines in, per (site, day) traffic figures, visitor sets, attributed
 * visits and article views out, written to the store per batch.
 *
 * Memory stays flat: the counters are per (site, day), and at most two
 * days' visitor sets are held (logs run in time order, with a little
 * disorder around midnight); a set pushed out is written to the store,
 * and read back if a line of that day turns up again.  A visitor set
 * entry is 16 bytes: a 64-bit hash of (site, address, user agent), the
 * second of the latest human request, and two flags; a batch stores its
 * entries of a day as one packed row.
 */
#include "ingest/log.h"

#include "ingest/attrib.h"

#include <ctype.h>
#include <strings.h>

/* ---- hashing ---- */

static uint64_t mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

static uint64_t hash_bytes(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ull), w;
	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return mix(h);
}

uint64_t mr_log_hash(const void *data, size_t n, uint64_t seed)
{
	return hash_bytes(data, n, seed);
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode %XX and '+' as GoAccess does before it keys a visitor on the
 * agent, and trim blanks; n bytes at most.  Returns the length. */
static size_t decode(char *out, size_t cap, const char *p, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o < cap; i++) {
		int a, b;
		if (p[i] == '%' && i + 2 < n && (a = hexval(p[i + 1])) >= 0 &&
		    (b = hexval(p[i + 2])) >= 0) {
			out[o++] = (char)(a * 16 + b);
			i += 2;
		} else {
			out[o++] = p[i] == '+' ? ' ' : p[i];
		}
	}
	size_t s = 0;
	while (s < o && isspace((unsigned char)out[s]))
		s++;
	while (o > s && isspace((unsigned char)out[o - 1]))
		o--;
	if (s)
		memmove(out, out + s, o - s);
	return o - s;
}

/* ASCII white space, whatever the locale */
static int blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static uint64_t agent_hash(mr_log_span ua)
{
	char buf[4096];
	if (ua.n == 0 || (ua.n == 1 && ua.p[0] == '-'))
		return hash_bytes("-", 1, 7);
	if (ua.n <= sizeof buf && (memchr(ua.p, '%', ua.n) || memchr(ua.p, '+', ua.n) ||
	    blank(ua.p[0]) || blank(ua.p[ua.n - 1]))) {
		size_t n = decode(buf, sizeof buf, ua.p, ua.n);
		return n ? hash_bytes(buf, n, 7) : hash_bytes("-", 1, 7);
	}
	return hash_bytes(ua.p, ua.n, 7);
}

/* ---- a map from 64-bit keys to array indexes ---- */

typedef struct umap { uint64_t *k; uint32_t *v; size_t cap, n; } umap;

static uint32_t *umap_slot(const umap *m, uint64_t key)
{
	size_t i = mix(key) & (m->cap - 1);
	while (m->v[i] && m->k[i] != key)
		i = (i + 1) & (m->cap - 1);
	return &m->v[i];
}

/* The index stored for key, or (uint32_t)-1. */
static uint32_t umap_get(const umap *m, uint64_t key)
{
	if (!m->cap)
		return (uint32_t)-1;
	uint32_t v = *umap_slot(m, key);
	return v ? v - 1 : (uint32_t)-1;
}

static int umap_put(umap *m, uint64_t key, uint32_t idx)
{
	if (2 * (m->n + 1) > m->cap) {
		umap old = *m;
		m->cap = old.cap ? old.cap * 2 : 64;
		m->k = malloc(m->cap * sizeof *m->k);
		m->v = calloc(m->cap, sizeof *m->v);
		if (!m->k || !m->v) {
			free(m->k);
			free(m->v);
			*m = old;
			return MR_ENOMEM;
		}
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i]) {
				uint32_t *s = umap_slot(m, old.k[i]);
				*s = old.v[i];
				m->k[s - m->v] = old.k[i];
			}
		free(old.k);
		free(old.v);
	}
	uint32_t *s = umap_slot(m, key);
	if (!*s)
		m->n++;
	*s = idx + 1;
	m->k[s - m->v] = key;
	return 0;
}

static void umap_release(umap *m)
{
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof *m);
}

/* Grow an array of `size`-byte items to hold one more. */
static int grow(void **items, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	void *g = realloc(*items, c * size);
	if (!g)
		return MR_ENOMEM;
	*items = g;
	*cap = c;
	return 0;
}

/* ---- the aggregation state ---- */



typedef struct vent { uint64_t key; int32_t last; uint8_t human, mine; } vent;
#define OWN_LOADED 2   /* in vent.mine: this batch's own stored entry was read back */

typedef struct vset {
	int day, live;
	unsigned long long used;      /* tick of the last use, for eviction */
	vent *e;
	size_t n, cap;
} vset;

typedef struct tday {
	int site, day;
	long long line;               /* first line of the day, for measurements */
	mr_traffic_day c;
} tday;

typedef struct pvisit { int day, login; long long line, visits; } pvisit;
typedef struct aview { int site, day, login; char *path; int64_t views; } aview;
typedef struct siteent { char *name; uint64_t hash; } siteent;

struct mr_log_agg {
	mr_store *s;
	int has_agent, has_site_visits;
	mr_attrib *own;               /* the ownership rules */
	siteent *sites;
	size_t nsites, capsites;
	int last_site;
	tday *days;
	size_t ndays, capdays;
	umap day_map;
	long cur;                     /* index of the last line's (site, day); -1: none */
	long long pending_failed;     /* failed lines before any good one */
	vset sets[2];
	unsigned long long tick;
	int64_t batch;                /* the file's batch */
	pvisit *pv;
	size_t npv, cappv;
	umap pv_map;
	aview *av;
	size_t nav, capav;
	umap av_map;
	struct { uint64_t h; int8_t crawler; } ua_cache[4096];
};

int mr_log_agg_new(mr_log_agg **out, mr_store *s, const mr_plan *plan, int has_agent,
                   int64_t batch, mr_err *err)
{
	mr_rule_row *rows = NULL;
	size_t nrows = 0;
	int rc;
	mr_log_agg *a = calloc(1, sizeof *a);
	*out = NULL;
	if (!a)
		return mr_err_set(err, MR_ENOMEM, "out of memory");
	a->s = s;
	a->batch = batch;
	a->has_agent = has_agent;
	a->has_site_visits = plan && mr_plan_indicator(plan, "site_visits") != NULL;
	a->last_site = -1;
	a->cur = -1;
	a->sets[0].day = a->sets[1].day = MR_DAY_MIN;
	if ((rc = mr_store_own_list(s, &rows, &nrows, err)))
		goto done;
	if (mr_attrib_new(&a->own, rows, nrows)) {
		rc = mr_err_set(err, MR_ENOMEM, "out of memory");
		goto done;
	}
	*out = a;
	a = NULL;
done:
	mr_rule_rows_free(rows, nrows);
	mr_log_agg_free(a);
	return rc;
}

static void reset(mr_log_agg *a)
{
	for (size_t i = 0; i < a->nav; i++)
		free(a->av[i].path);
	a->ndays = a->npv = a->nav = 0;
	umap_release(&a->day_map);
	umap_release(&a->pv_map);
	umap_release(&a->av_map);
	a->cur = -1;
	a->pending_failed = 0;
	for (int i = 0; i < 2; i++) {
		free(a->sets[i].e);
		memset(&a->sets[i], 0, sizeof a->sets[i]);
		a->sets[i].day = MR_DAY_MIN;
	}
}

void mr_log_agg_free(mr_log_agg *a)
{
	if (!a)
		return;
	reset(a);
	mr_attrib_free(a->own);
	for (size_t i = 0; i < a->nsites; i++)
		free(a->sites[i].name);
	free(a->sites);
	free(a->days);
	free(a->pv);
	free(a->av);
	free(a);
}

/* ---- sites and days ---- */

static int site_id(mr_log_agg *a, const char *name, size_t n)
{
	if (a->last_site >= 0) {
		const siteent *s = &a->sites[a->last_site];
		if (strlen(s->name) == n && memcmp(s->name, name, n) == 0)
			return a->last_site;
	}
	for (size_t i = 0; i < a->nsites; i++)
		if (strlen(a->sites[i].name) == n && memcmp(a->sites[i].name, name, n) == 0)
			return a->last_site = (int)i;
	if (a->nsites >= 100000 ||
	    grow((void **)&a->sites, &a->capsites, a->nsites, sizeof *a->sites))
		return -1;
	siteent *s = &a->sites[a->nsites];
	if (!(s->name = strndup(name, n)))
		return -1;
	s->hash = hash_bytes(name, n, 3);
	return a->last_site = (int)a->nsites++;
}

static tday *day_get(mr_log_agg *a, int site, int day, long long line)
{
	if (a->cur >= 0 && a->days[a->cur].site == site && a->days[a->cur].day == day)
		return &a->days[a->cur];
	uint64_t key = (uint64_t)(uint32_t)site << 32 | (uint32_t)day;
	uint32_t i = umap_get(&a->day_map, key);
	if (i == (uint32_t)-1) {
		if (grow((void **)&a->days, &a->capdays, a->ndays, sizeof *a->days) ||
		    umap_put(&a->day_map, key, (uint32_t)a->ndays))
			return NULL;
		i = (uint32_t)a->ndays++;
		memset(&a->days[i], 0, sizeof a->days[i]);
		a->days[i].site = site;
		a->days[i].day = day;
		a->days[i].c.day = day;
		a->days[i].line = line;
	}
	tday *t = &a->days[i];
	t->c.failed_lines += a->pending_failed;
	a->pending_failed = 0;
	a->cur = (long)i;
	return t;
}

void mr_log_agg_failed(mr_log_agg *a)
{
	if (a->cur >= 0)
		a->days[a->cur].c.failed_lines++;
	else
		a->pending_failed++;
}

/* ---- visitor sets ---- */

static vent *vset_find(vset *v, uint64_t key, int *fresh)
{
	size_t i = key & (v->cap - 1);
	while (v->e[i].key && v->e[i].key != key)
		i = (i + 1) & (v->cap - 1);
	*fresh = v->e[i].key == 0;
	return &v->e[i];
}

static int vset_grow(vset *v)
{
	vset old = *v;
	v->cap = old.cap ? old.cap * 2 : 1024;
	v->e = malloc(v->cap * sizeof *v->e);   /* zeroed by hand: see log_lines.c */
	if (!v->e) {
		*v = old;
		return MR_ENOMEM;
	}
	memset(v->e, 0, v->cap * sizeof *v->e);
	for (size_t i = 0; i < old.cap; i++)
		if (old.e[i].key) {
			int fresh;
			*vset_find(v, old.e[i].key, &fresh) = old.e[i];
		}
	free(old.e);
	return 0;
}

/* The entry for key, inserted (zeroed but for the key) when new. */
static vent *vset_get(vset *v, uint64_t key, int *fresh)
{
	if (2 * (v->n + 1) > v->cap && vset_grow(v))
		return NULL;
	vent *e = vset_find(v, key, fresh);
	if (*fresh) {
		e->key = key;
		v->n++;
	}
	return e;
}

struct load_ctx { vset *v; int64_t batch; };

/* An entry stored by a batch: merged (the latest second wins); entries
 * this batch stored before are its own again, to be written again. */
static int load_one(const mr_visitor *mv, void *payload)
{
	struct load_ctx *c = payload;
	int fresh;
	vent *e = vset_get(c->v, (uint64_t)mv->key, &fresh);
	if (!e)
		return MR_ENOMEM;
	/* this batch's own entry wins: it may have gone back in time (see
	 * mr_log_agg_line) */
	if (mv->batch == c->batch) {
		e->last = mv->last;
		e->mine = 1 | OWN_LOADED;
	} else if (!(e->mine & OWN_LOADED) && (fresh || mv->last > e->last)) {
		e->last = mv->last;
	}
	e->human = (uint8_t)mv->human;
	return 0;
}

/* Write the entries of this batch (new to the day, or changed) as the
 * batch's one packed row for the day. */
static int vset_flush(mr_log_agg *a, vset *v, mr_err *err)
{
	size_t nb = 0;
	for (size_t i = 0; i < v->cap; i++)
		nb += v->e[i].key && v->e[i].mine;
	if (!nb)
		return 0;
	mr_visitor *buf = malloc(nb * sizeof *buf);
	if (!buf)
		return mr_err_set(err, MR_ENOMEM, "out of memory");
	nb = 0;
	for (size_t i = 0; i < v->cap; i++) {
		const vent *e = &v->e[i];
		if (e->key && e->mine)
			buf[nb++] = (mr_visitor){ (int64_t)e->key, e->last, e->human, a->batch };
	}
	int rc = mr_store_visitors_put(a->s, a->batch, v->day, buf, nb, err);
	free(buf);
	return rc;
}

/* The visitor set of day: in memory, or read back from the store after
 * the least recently used set is written out. */
static vset *vset_of(mr_log_agg *a, int day, mr_err *err)
{
	vset *v = a->sets[0].day == day ? &a->sets[0] : a->sets[1].day == day ? &a->sets[1] : NULL;
	if (!v) {
		v = a->sets[0].used <= a->sets[1].used ? &a->sets[0] : &a->sets[1];
		if (v->live && vset_flush(a, v, err))
			return NULL;
		free(v->e);
		memset(v, 0, sizeof *v);
		v->day = day;
		v->live = 1;
		if (vset_grow(v)) {
			mr_err_set(err, MR_ENOMEM, "out of memory");
			return NULL;
		}
		struct load_ctx lc = { v, a->batch };
		int rc = mr_store_visitors_each(a->s, day, load_one, &lc, err);
		if (rc) {
			if (rc == MR_ENOMEM)
				mr_err_set(err, MR_ENOMEM, "out of memory");
			return NULL;
		}
	}
	v->used = ++a->tick;
	return v;
}

/* Whose is a visit that starts with this line (attrib.h: utm_campaign,
 * utm_source, the referrer's host): a login index, or -1. */
static int visit_owner(const mr_log_agg *a, const mr_log_line *l)
{
	mr_log_span path, query;
	mr_attrib_from f = { 0 };
	if (!mr_attrib_has(a->own, MR_OWN_CAMPAIGN) && !mr_attrib_has(a->own, MR_OWN_CHANNEL) &&
	    !mr_attrib_has(a->own, MR_OWN_REFERRER))
		return -1;
	if (!mr_log_request_target(l->f[MR_LF_REQUEST], &path, &query) && query.n) {
		f.url = path.p;
		f.nurl = (size_t)(query.p + query.n - path.p);
	}
	f.referrer = l->f[MR_LF_REFERER].p;
	f.nreferrer = l->f[MR_LF_REFERER].n;
	return mr_attrib_channel(a->own, &f, NULL, 0);
}

static int count_visit(mr_log_agg *a, int day, int login, long long line)
{
	uint64_t key = (uint64_t)(uint32_t)day << 20 | (uint64_t)login;
	uint32_t i = umap_get(&a->pv_map, key);
	if (i == (uint32_t)-1) {
		if (grow((void **)&a->pv, &a->cappv, a->npv, sizeof *a->pv) ||
		    umap_put(&a->pv_map, key, (uint32_t)a->npv))
			return MR_ENOMEM;
		i = (uint32_t)a->npv++;
		a->pv[i] = (pvisit){ day, login, line, 0 };
	}
	a->pv[i].visits++;
	return 0;
}

static int count_article(mr_log_agg *a, int site, int day, mr_log_span path)
{
	int login = mr_attrib_match(a->own, MR_OWN_URL, path.p, path.n);
	if (login < 0)
		return 0;
	/* a 64-bit hash names the (site, day, path): a collision is not a
	 * practical concern at the number of articles a team has */
	uint64_t key = hash_bytes(path.p, path.n, a->sites[site].hash ^ (uint64_t)(uint32_t)day);
	uint32_t i = umap_get(&a->av_map, key);
	if (i == (uint32_t)-1) {
		if (grow((void **)&a->av, &a->capav, a->nav, sizeof *a->av) ||
		    umap_put(&a->av_map, key, (uint32_t)a->nav))
			return MR_ENOMEM;
		i = (uint32_t)a->nav;
		a->av[i] = (aview){ site, day, login, strndup(path.p, path.n), 0 };
		if (!a->av[i].path)
			return MR_ENOMEM;
		a->nav++;
	}
	a->av[i].views++;
	return 0;
}

/* ---- one line ---- */

static int crawler(mr_log_agg *a, uint64_t uah, mr_log_span ua)
{
	size_t i = uah & (sizeof a->ua_cache / sizeof a->ua_cache[0] - 1);
	if (a->ua_cache[i].h != uah || !uah) {
		a->ua_cache[i].h = uah;
		a->ua_cache[i].crawler = (int8_t)mr_log_is_crawler(ua.p, ua.n);
	}
	return a->ua_cache[i].crawler;
}

int mr_log_agg_line(mr_log_agg *a, const mr_log_line *l, const char *sitename, size_t sitelen,
                    long long line, mr_err *err)
{
	int sid = site_id(a, sitename, sitelen);
	tday *t = sid < 0 ? NULL : day_get(a, sid, l->day, line);
	if (!t)
		return mr_err_set(err, MR_ENOMEM, "out of memory (or more than 100000 sites)");
	t->c.requests++;
	uint64_t uah = a->has_agent ? agent_hash(l->f[MR_LF_AGENT]) : 0;
	int bot = a->has_agent && crawler(a, uah, l->f[MR_LF_AGENT]);
	int st = l->status;
	t->c.crawler_requests += bot;
	if (!bot && ((st >= 200 && st < 300) || st == 304)) {
		mr_log_span path, query;
		if (!mr_log_request_target(l->f[MR_LF_REQUEST], &path, &query) &&
		    !mr_log_is_static(path)) {
			t->c.page_views++;
			if (mr_attrib_has(a->own, MR_OWN_URL) && count_article(a, sid, l->day, path))
				return mr_err_set(err, MR_ENOMEM, "out of memory");
		}
	}
	if (st >= 400 && st < 500)
		return 0;
	mr_log_span host = l->f[MR_LF_HOST];
	uint64_t key = hash_bytes(host.p, host.n, a->sites[sid].hash) ^ uah;
	key = key ? key : 1;
	vset *v = vset_of(a, l->day, err);
	int fresh;
	vent *e = v ? vset_get(v, key, &fresh) : NULL;
	if (!e)
		return mr_err_set(err, MR_ENOMEM, "out of memory");
	if (fresh) {
		t->c.visitors++;
		t->c.human_visitors += !bot;
		e->last = -1;
		e->human = (uint8_t)!bot;
		e->mine = 1;
	}
	if (bot)
		return 0;
	/* A request over 30 minutes before the latest one that an earlier
	 * batch stored (a log ingested after a later one), and this batch's
	 * first for the visitor, starts a visit: the visitor's time goes
	 * back to it for this batch, so that its next requests continue that
	 * visit (the earlier batch's entry keeps its own latest second). */
	int back = !e->mine && e->last >= 0 && l->sec + MR_LOG_VISIT_GAP < e->last;
	if (back)
		e->last = -1;
	if (e->last < 0 || l->sec > e->last + MR_LOG_VISIT_GAP) {
		t->c.visits++;
		int who = visit_owner(a, l);
		if (who >= 0 && count_visit(a, l->day, who, line))
			return mr_err_set(err, MR_ENOMEM, "out of memory");
	}
	if (l->sec > e->last) {
		e->last = l->sec;
		e->mine = 1;
	}
	return 0;
}

/* ---- the end of a batch ---- */

static int day_cmp(const void *x, const void *y)
{
	const tday *a = x, *b = y;
	return a->day != b->day ? (a->day > b->day) - (a->day < b->day) : (a->site > b->site) - (a->site < b->site);
}

int mr_log_agg_finish(mr_log_agg *a, int *days, mr_err *err)
{
	int rc = 0;
	int64_t batch = a->batch;
	*days = 0;
	for (int i = 0; i < 2 && !rc; i++)
		if (a->sets[i].live)
			rc = vset_flush(a, &a->sets[i], err);
	if (a->pending_failed && a->ndays == 0)
		a->pending_failed = 0;     /* no good line at all: told in the summary */
	qsort(a->days, a->ndays, sizeof *a->days, day_cmp);
	for (size_t i = 0; i < a->ndays && !rc; i++) {
		tday *t = &a->days[i];
		t->c.site = a->sites[t->site].name;
		if ((rc = mr_store_traffic_add(a->s, batch, &t->c, err)))
			mr_err_prefix(err, "line %lld", t->line);
	}
	/* the team's site_visits: human visits per day, every site together */
	for (size_t i = 0; i < a->ndays && !rc && a->has_site_visits; i++) {
		const tday *t = &a->days[i];
		long long visits = 0, line = t->line;
		size_t j = i;
		for (; j < a->ndays && a->days[j].day == t->day; j++) {
			visits += a->days[j].c.visits;
			if (a->days[j].line < line)
				line = a->days[j].line;
		}
		if ((rc = mr_store_measure_add(a->s, batch, "site_visits", NULL, t->day, (double)visits,
		                               0, 0, line, err)))
			mr_err_prefix(err, "line %lld", line);
		i = j - 1;
	}
	for (size_t i = 0; i < a->npv && !rc && a->has_site_visits; i++)
		if ((rc = mr_store_measure_add(a->s, batch, "site_visits", mr_attrib_login(a->own, a->pv[i].login),
		                               a->pv[i].day, (double)a->pv[i].visits, 0, 0,
		                               a->pv[i].line, err)))
			mr_err_prefix(err, "line %lld", a->pv[i].line);
	for (size_t i = 0; i < a->nav && !rc; i++)
		rc = mr_store_article_views_add(a->s, batch, a->sites[a->av[i].site].name,
		                                a->av[i].day, a->av[i].path,
		                                mr_attrib_login(a->own, a->av[i].login), a->av[i].views, err);
	if (!rc)
		*days = (int)a->ndays;
	reset(a);
	return rc;
}

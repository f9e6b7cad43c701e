/* log_day.c — the per-day aggregation behind `merit ingest`: parsed log
 * lines in, per (site, day) traffic figures, visitor sets, attributed
 * visits and article views out, written to the store per batch.
 *
 * Memory stays flat: the counters are per (site, day), and at most two
 * days' visitor sets are held (logs run in time order, with a little
 * disorder around midnight); a set pushed out is written to the store,
 * and read back if a line of that day turns up again.  A visitor set
 * entry is 12 bytes: a 64-bit hash of (site, address, user agent), and
 * the second of the latest human request with three flags in 32 bits; the
 * entries lie in fixed blocks in the order they came, found through a
 * table of 32-bit entry numbers at most 3/4 full: about 17 to 23 bytes a
 * distinct visitor, with no doubling spike (the table is rebuilt from the
 * entries, after the old one is freed).  A day holds at most
 * MR_LOG_DAY_VISITORS.  A batch stores its entries of a day as one packed
 * row, in the order an earlier table of 16-byte entries (half full at
 * most) left them, so that the database is the same byte for byte.
 * (Hence a table of its own, not util/map.h: mr_map's 13 bytes a slot at
 * half full would double the bytes a visitor, and its order is not that.)
 */
#include "ingest/log.h"

#include "ingest/attrib.h"
#include "util/map.h"
#include "util/vec.h"

#include <ctype.h>
#include <strings.h>

/* ---- hashing ---- */

uint64_t mr_log_hash(const void *data, size_t n, uint64_t seed)
{
	return mr_hash_bytes(data, n, seed);
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
		return mr_hash_bytes("-", 1, 7);
	if (ua.n <= sizeof buf && (memchr(ua.p, '%', ua.n) || memchr(ua.p, '+', ua.n) ||
	    blank(ua.p[0]) || blank(ua.p[ua.n - 1]))) {
		size_t n = decode(buf, sizeof buf, ua.p, ua.n);
		return n ? mr_hash_bytes(buf, n, 7) : mr_hash_bytes("-", 1, 7);
	}
	return mr_hash_bytes(ua.p, ua.n, 7);
}

/* ---- the aggregation state ---- */



/* The most distinct visitors (address and user agent, per site) a day
 * holds, every site together: 600 MB of entries, a 650 MB stored row. */
#define MR_LOG_DAY_VISITORS 50000000

/* A visitor's 32-bit word: the second of its latest human request + 1
 * (0: none yet) and three flags. */
#define V_LAST 0x00ffffffu
#define V_HUMAN (1u << 24)
#define V_MINE (1u << 25)        /* to be written by this batch */
#define V_OWN_LOADED (1u << 26)  /* this batch's own stored entry was read back */
#define VBLOCK 65536             /* entries in a block */
#define VSLOT_INDEX 0x03ffffffu  /* in a table slot: entry number + 1; 0 empty */
#define VSLOT_TAG(key) ((uint32_t)((key) >> 58) << 26)   /* and 6 bits of the key */

typedef struct vblock { uint64_t key[VBLOCK]; uint32_t val[VBLOCK]; } vblock;

typedef struct vset {
	int day, live;
	unsigned long long used;      /* tick of the last use, for eviction */
	vblock **b;                   /* the entries in the order they came */
	size_t nb, capb;
	uint32_t *slot;               /* the table: VSLOT_TAG | entry number + 1 */
	size_t n, cap;
	size_t ocap;                  /* the old table's size (see vset_order) */
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
	mr_map day_map;
	long cur;                     /* index of the last line's (site, day); -1: none */
	long long pending_failed;     /* failed lines before any good one */
	vset sets[2];
	unsigned long long tick;
	int64_t batch;                /* the file's batch */
	pvisit *pv;
	size_t npv, cappv;
	mr_map pv_map;
	aview *av;
	size_t nav, capav;
	mr_map av_map;
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
		return mr_err_nomem(err);
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
		rc = mr_err_nomem(err);
		goto done;
	}
	*out = a;
	a = NULL;
done:
	mr_rule_rows_free(rows, nrows);
	mr_log_agg_free(a);
	return rc;
}

static void vset_release(vset *v);

static void reset(mr_log_agg *a)
{
	for (size_t i = 0; i < a->nav; i++)
		free(a->av[i].path);
	a->ndays = a->npv = a->nav = 0;
	mr_map_release(&a->day_map);
	mr_map_release(&a->pv_map);
	mr_map_release(&a->av_map);
	a->cur = -1;
	a->pending_failed = 0;
	for (int i = 0; i < 2; i++)
		vset_release(&a->sets[i]);
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
	    mr_vec_grow(&a->sites, &a->capsites, a->nsites, sizeof *a->sites))
		return -1;
	siteent *s = &a->sites[a->nsites];
	if (!(s->name = strndup(name, n)))
		return -1;
	s->hash = mr_hash_bytes(name, n, 3);
	return a->last_site = (int)a->nsites++;
}

static tday *day_get(mr_log_agg *a, int site, int day, long long line)
{
	if (a->cur >= 0 && a->days[a->cur].site == site && a->days[a->cur].day == day)
		return &a->days[a->cur];
	uint64_t key = (uint64_t)(uint32_t)site << 32 | (uint32_t)day;
	uint32_t i = mr_map_get(&a->day_map, key);
	if (i == MR_MAP_NONE) {
		if (mr_vec_grow(&a->days, &a->capdays, a->ndays, sizeof *a->days) ||
		    mr_map_put(&a->day_map, key, (uint32_t)a->ndays))
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

static uint64_t *vkey(const vset *v, size_t i)
{
	return &v->b[i / VBLOCK]->key[i % VBLOCK];
}

static uint32_t *vval(const vset *v, size_t i)
{
	return &v->b[i / VBLOCK]->val[i % VBLOCK];
}

static void vset_release(vset *v)
{
	for (size_t i = 0; i < v->nb; i++)
		free(v->b[i]);
	free(v->b);
	free(v->slot);
	memset(v, 0, sizeof *v);
	v->day = MR_DAY_MIN;
}

/* The slot of key: its own, or the empty one where it goes. */
static uint32_t *vset_slot(const vset *v, uint64_t key)
{
	size_t i = key & (v->cap - 1);
	uint32_t tag = VSLOT_TAG(key);
	for (;;) {
		uint32_t s = v->slot[i];
		if (!s || ((s & ~VSLOT_INDEX) == tag && *vkey(v, (s & VSLOT_INDEX) - 1) == key))
			return &v->slot[i];
		i = (i + 1) & (v->cap - 1);
	}
}

/* A table twice the size (1024 slots at first), built from the entries
 * once the old one is freed. */
static int vset_grow(vset *v)
{
	size_t cap = v->cap ? v->cap * 2 : 1024;
	free(v->slot);
	v->slot = calloc(cap, sizeof *v->slot);
	v->cap = v->slot ? cap : 0;
	if (!v->slot)
		return MR_ENOMEM;
	for (size_t i = 0; i < v->n; i++) {
		uint64_t k = *vkey(v, i);
		*vset_slot(v, k) = VSLOT_TAG(k) | (uint32_t)(i + 1);
	}
	return 0;
}

/* The entry number of key, appended (its word 0) when new; fresh says
 * which.  -1: out of memory, -2: the day is full (MR_LOG_DAY_VISITORS). */
static long vset_get(vset *v, uint64_t key, int *fresh)
{
	/* the old table grew to twice its size when it was half full, checked
	 * at every look-up: its size decides the order written (vset_order) */
	if (2 * (v->n + 1) > v->ocap)
		v->ocap = v->ocap ? v->ocap * 2 : 1024;
	if (4 * (v->n + 1) > 3 * v->cap && vset_grow(v))
		return -1;
	uint32_t *s = vset_slot(v, key);
	*fresh = !*s;
	if (*s)
		return (long)(*s & VSLOT_INDEX) - 1;
	if (v->n >= MR_LOG_DAY_VISITORS)
		return -2;
	if (v->n == v->nb * VBLOCK) {
		if (mr_vec_grow(&v->b, &v->capb, v->nb, sizeof *v->b) ||
		    !(v->b[v->nb] = malloc(sizeof *v->b[v->nb])))
			return -1;
		v->nb++;
	}
	size_t i = v->n++;
	*vkey(v, i) = key;
	*vval(v, i) = 0;
	*s = VSLOT_TAG(key) | (uint32_t)(i + 1);
	return (long)i;
}

struct load_ctx { vset *v; int64_t batch; };

/* An entry stored by a batch: merged (the latest second wins); entries
 * this batch stored before are its own again, to be written again. */
static int load_one(const mr_visitor *mv, void *payload)
{
	struct load_ctx *c = payload;
	int fresh;
	if (mv->last < -1 || mv->last >= (int)V_LAST)
		return MR_EINVALID;
	long i = vset_get(c->v, (uint64_t)mv->key, &fresh);
	if (i < 0)
		return i == -1 ? MR_ENOMEM : MR_EINVALID;
	uint32_t *w = vval(c->v, (size_t)i), last = (uint32_t)(mv->last + 1);
	/* this batch's own entry wins: it may have gone back in time (see
	 * mr_log_agg_line) */
	if (mv->batch == c->batch)
		*w = (*w & ~V_LAST) | last | V_MINE | V_OWN_LOADED;
	else if (!(*w & V_OWN_LOADED) && (fresh || last > (*w & V_LAST)))
		*w = (*w & ~V_LAST) | last;
	*w = mv->human ? *w | V_HUMAN : *w & ~V_HUMAN;
	return 0;
}

/* The entry numbers of the set in the order of the old table's slots:
 * the old table (16-byte entries, ocap of them, linear probing from
 * key & (size - 1), doubled when half full, its entries moved in slot
 * order) replayed with entry numbers.  Returns the slots, *cap of them
 * (0: empty), or NULL. */
static uint32_t *vset_order(const vset *v, size_t *capout)
{
	size_t cap = 1024;
	uint32_t *t = calloc(cap, sizeof *t);
	for (size_t i = 0; t && i <= v->n; i++) {
		if (i == v->n ? cap < v->ocap : 2 * (i + 1) > cap) {
			uint32_t *g = calloc(2 * cap, sizeof *g);
			if (g)
				for (size_t j = 0; j < cap; j++)
					if (t[j]) {
						size_t k = *vkey(v, t[j] - 1) & (2 * cap - 1);
						while (g[k])
							k = (k + 1) & (2 * cap - 1);
						g[k] = t[j];
					}
			free(t);
			t = g;
			cap *= 2;
			i--;              /* the size is checked again */
			continue;
		}
		if (i == v->n)
			break;
		size_t k = *vkey(v, i) & (cap - 1);
		while (t[k])
			k = (k + 1) & (cap - 1);
		t[k] = (uint32_t)(i + 1);
	}
	*capout = cap;
	return t;
}

/* Write the entries of this batch (new to the day, or changed) as the
 * batch's one packed row for the day; the set is emptied. */
static int vset_flush(mr_log_agg *a, vset *v, mr_err *err)
{
	size_t nb = 0, cap;
	for (size_t i = 0; i < v->n; i++)
		nb += (*vval(v, i) & V_MINE) != 0;
	if (!nb) {
		vset_release(v);
		return 0;
	}
	free(v->slot);                /* not needed any more: room for the order */
	v->slot = NULL;
	uint32_t *order = vset_order(v, &cap), *list;
	size_t o = 0;
	/* the entries to write, in that order, moved to the front (and the
	 * rest given back) before the row is made */
	for (size_t j = 0; order && j < cap; j++)
		if (order[j] && (*vval(v, order[j] - 1) & V_MINE))
			order[o++] = order[j];
	if (order && (list = realloc(order, o * sizeof *order)))
		order = list;
	unsigned char *blob = order ? malloc(nb * MR_VISITOR_BYTES + 1) : NULL;
	if (!blob) {
		free(order);
		vset_release(v);
		return mr_err_nomem(err);
	}
	for (size_t j = 0; j < nb; j++) {
		uint32_t w = *vval(v, order[j] - 1);
		mr_visitor mv = { (int64_t)*vkey(v, order[j] - 1), (int)(w & V_LAST) - 1,
		                  (w & V_HUMAN) != 0, a->batch };
		mr_store_visitor_pack(blob + j * MR_VISITOR_BYTES, &mv);
	}
	free(order);
	int day = v->day;
	vset_release(v);
	int rc = mr_store_visitors_put(a->s, a->batch, day, blob, nb, err);
	free(blob);
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
		vset_release(v);
		v->day = day;
		v->live = 1;
		v->ocap = 1024;
		if (vset_grow(v)) {
			mr_err_nomem(err);
			return NULL;
		}
		struct load_ctx lc = { v, a->batch };
		int rc = mr_store_visitors_each(a->s, day, load_one, &lc, err);
		if (rc) {
			char d[16];
			mr_day_format(d, day);
			if (rc == MR_ENOMEM)
				mr_err_nomem(err);
			else if (rc == MR_EINVALID)
				mr_err_set(err, MR_EINVALID, "the visitors stored for %s are damaged, or "
				           "more than %d", d, MR_LOG_DAY_VISITORS);
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
	uint32_t i = mr_map_get(&a->pv_map, key);
	if (i == MR_MAP_NONE) {
		if (mr_vec_grow(&a->pv, &a->cappv, a->npv, sizeof *a->pv) ||
		    mr_map_put(&a->pv_map, key, (uint32_t)a->npv))
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
	uint64_t key = mr_hash_bytes(path.p, path.n, a->sites[site].hash ^ (uint64_t)(uint32_t)day);
	uint32_t i = mr_map_get(&a->av_map, key);
	if (i == MR_MAP_NONE) {
		if (mr_vec_grow(&a->av, &a->capav, a->nav, sizeof *a->av) ||
		    mr_map_put(&a->av_map, key, (uint32_t)a->nav))
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
				return mr_err_nomem(err);
		}
	}
	if (st >= 400 && st < 500)
		return 0;
	mr_log_span host = l->f[MR_LF_HOST];
	uint64_t key = mr_hash_bytes(host.p, host.n, a->sites[sid].hash) ^ uah;
	key = key ? key : 1;
	vset *v = vset_of(a, l->day, err);
	if (!v)
		return err->code ? err->code : mr_err_nomem(err);
	int fresh;
	long i = vset_get(v, key, &fresh);
	if (i < 0) {
		char d[16];
		mr_day_format(d, l->day);
		if (i == -1)
			return mr_err_nomem(err);
		return mr_err_set(err, MR_EINVALID, "site %.*s, %s: more than %d distinct visitors "
		                  "in a day (the most merit counts)", (int)sitelen, sitename, d,
		                  MR_LOG_DAY_VISITORS);
	}
	uint32_t *w = vval(v, (size_t)i);
	if (fresh) {
		t->c.visitors++;
		t->c.human_visitors += !bot;
		*w = (bot ? 0 : V_HUMAN) | V_MINE;
	}
	if (bot)
		return 0;
	/* A request over 30 minutes before the latest one that an earlier
	 * batch stored (a log ingested after a later one), and this batch's
	 * first for the visitor, starts a visit: the visitor's time goes
	 * back to it for this batch, so that its next requests continue that
	 * visit (the earlier batch's entry keeps its own latest second). */
	int last = (int)(*w & V_LAST) - 1;
	if (!(*w & V_MINE) && last >= 0 && l->sec + MR_LOG_VISIT_GAP < last)
		last = -1;
	if (last < 0 || l->sec > last + MR_LOG_VISIT_GAP) {
		t->c.visits++;
		int who = visit_owner(a, l);
		if (who >= 0 && count_visit(a, l->day, who, line))
			return mr_err_nomem(err);
	}
	if (l->sec > last) {
		last = l->sec;
		*w |= V_MINE;
	}
	*w = (*w & ~V_LAST) | (uint32_t)(last + 1);
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

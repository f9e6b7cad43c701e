/* log_lines.c — no log line counted twice: each line a batch counts
 * leaves a fingerprint, and a line whose fingerprint an earlier batch
 * left is skipped.
 *
 * A log may come back whole (the same file: refused by its hash), grown
 * (read on from where it stopped: log_ingest.c), or as a part of what was
 * read — its first lines, a slice from its middle, a rotated copy that
 * holds lines of two earlier files.  Nothing about the file names such a
 * part; its lines do.  So the fingerprint is per line: a 64-bit hash of
 * the site and the line's bytes.  Two identical lines in one log can both
 * be real requests (two hits in one second from one address), so the
 * n-th copy of a line in a batch gets its own fingerprint (the hash mixed
 * with n): a log read again matches copy for copy, and a log with a line
 * once more than before counts that one.
 *
 * Why per line and not per block of bytes: a slice starts and ends
 * anywhere, so blocks of another reading never line up with it; lines do.
 * The cost is 8 bytes a line in the database (a 2,000,000-line log: 16 MB,
 * packed as one blob per day and batch, forgotten with the batch by
 * `merit batch rm`) and one hash and probe a line.  Two different lines of
 * a day collide with odds about n^2 / 2^64 — none in practice.  A known
 * limit: two servers of one site that write the very same line (same
 * address, second, request, bytes and agent) count it once; give each
 * server's log its own --site.
 *
 * Memory stays flat as in log_day.c: the fingerprints of at most two days
 * are held (logs run in time order); a day pushed out is written, and
 * read back when a line of it turns up again.
 */
#include "ingest/log.h"

enum { F_OLD = 1, F_OLD_USED = 2, F_MINE = 3 };

#define K1 0x9e3779b97f4a7c15ull
#define K2 0xd6e8feb86659fd93ull

static uint64_t fold(uint64_t h)
{
	h ^= h >> 32;
	h *= K2;
	h ^= h >> 29;
	return h;
}

/* A 64-bit hash of a line: four lanes of 8 bytes, independent so the CPU
 * runs their multiplications side by side (this is on the hot path: one
 * call a line). */
uint64_t mr_log_line_hash(const char *p, size_t n)
{
	uint64_t seed = K2;
	uint64_t a = seed ^ K1, b = n * K2, c = seed + K2, d = ~seed, w[4];
	while (n >= 32) {
		memcpy(w, p, 32);
		a = (a ^ w[0]) * K1;
		b = (b ^ w[1]) * K1;
		c = (c ^ w[2]) * K1;
		d = (d ^ w[3]) * K1;
		a ^= a >> 31, b ^= b >> 31, c ^= c >> 31, d ^= d >> 31;
		p += 32;
		n -= 32;
	}
	uint64_t h = a ^ (b << 17 | b >> 47) ^ (c << 31 | c >> 33) ^ (d << 47 | d >> 17);
	while (n >= 8) {
		memcpy(w, p, 8);
		h = fold((h ^ w[0]) * K1);
		p += 8;
		n -= 8;
	}
	w[0] = 0;
	memcpy(w, p, n);
	return fold(fold((h ^ w[0] ^ n) * K1) * K2);
}

/* A day's fingerprints: open addressing over one array; an entry is the
 * key with its flag in the 2 low bits (0: empty), so a probe touches one
 * cache line.  62 bits of key are left: still no collision in practice.
 * Not util/map.h: a set of millions of keys a day, at 8 bytes a slot
 * where mr_map takes 13 in three arrays (three cache lines a probe). */
typedef struct lset {
	int day, live;
	unsigned long long used;      /* tick of the last use */
	uint64_t *e;
	size_t n, cap, mine;
} lset;

struct mr_log_lines {
	mr_store *s;
	int64_t batch;
	size_t last_n;                /* lines of the last day pushed out: the
	                               * next day's set starts that big */
	lset sets[2];
	unsigned long long tick;
};

#define FLAG(x) ((unsigned)((x) & 3u))
#define KEY(x) ((x) & ~3ull)

static size_t slot(const lset *v, uint64_t key)
{
	size_t i = (size_t)(key >> 2 ^ key >> 31) & (v->cap - 1);
	while (v->e[i] && KEY(v->e[i]) != key)
		i = (i + 1) & (v->cap - 1);
	return i;
}

static int lset_grow(lset *v, size_t want)
{
	lset old = *v;
	v->cap = old.cap ? old.cap * 2 : 1u << 16;
	while (v->cap < 2 * want)
		v->cap *= 2;
	/* written zero, not calloc'd: a fresh page read before it is written
	 * would fault twice (the zero page, then its copy), and with the
	 * reading thread alive each second fault flushes the other core's TLB */
	v->e = malloc(v->cap * sizeof *v->e);
	if (!v->e) {
		*v = old;
		return MR_ENOMEM;
	}
	memset(v->e, 0, v->cap * sizeof *v->e);
	for (size_t i = 0; i < old.cap; i++)
		if (old.e[i])
			v->e[slot(v, KEY(old.e[i]))] = old.e[i];
	free(old.e);
	return 0;
}

/* The slot of key (its 2 low bits clear), added with flag when new
 * (*fresh set). */
static int lset_get(lset *v, uint64_t key, unsigned flag, size_t *at, int *fresh)
{
	if (2 * (v->n + 1) > v->cap && lset_grow(v, 0))
		return MR_ENOMEM;
	size_t i = slot(v, key);
	*fresh = !v->e[i];
	if (*fresh) {
		v->e[i] = key | flag;
		v->n++;
		v->mine += flag == F_MINE;
	}
	*at = i;
	return 0;
}

struct load_ctx { lset *v; int64_t batch; };

static int load_one(int64_t batch, const uint64_t *keys, size_t n, void *payload)
{
	struct load_ctx *c = payload;
	unsigned flag = batch == c->batch ? F_MINE : F_OLD;
	for (size_t i = 0; i < n; i++) {
		size_t at;
		int fresh;
		if (lset_get(c->v, KEY(keys[i]) | 4, flag, &at, &fresh))
			return MR_ENOMEM;
	}
	return 0;
}

/* Write this batch's fingerprints of the day. */
static int lset_flush(mr_log_lines *ls, lset *v, mr_err *err)
{
	if (!v->mine)
		return 0;
	uint64_t *keys = malloc(v->mine * sizeof *keys);
	if (!keys)
		return mr_err_nomem(err);
	size_t n = 0;
	for (size_t i = 0; i < v->cap; i++)
		if (FLAG(v->e[i]) == F_MINE)
			keys[n++] = KEY(v->e[i]);
	int rc = mr_store_log_lines_put(ls->s, ls->batch, v->day, keys, n, err);
	free(keys);
	return rc;
}

static lset *lset_of(mr_log_lines *ls, int day, mr_err *err)
{
	lset *v = ls->sets[0].live && ls->sets[0].day == day ? &ls->sets[0] :
	          ls->sets[1].live && ls->sets[1].day == day ? &ls->sets[1] : NULL;
	if (!v) {
		v = ls->sets[0].used <= ls->sets[1].used ? &ls->sets[0] : &ls->sets[1];
		if (v->live && lset_flush(ls, v, err))
			return NULL;
		if (v->live && v->n > ls->last_n)
			ls->last_n = v->n;
		free(v->e);
		memset(v, 0, sizeof *v);
		v->day = day;
		v->live = 1;
		struct load_ctx lc = { v, ls->batch };
		int rc = lset_grow(v, ls->last_n);
		if (rc || (rc = mr_store_log_lines_each(ls->s, day, load_one, &lc, err))) {
			if (rc == MR_ENOMEM)
				mr_err_nomem(err);
			return NULL;
		}
	}
	v->used = ++ls->tick;
	return v;
}

int mr_log_lines_new(mr_log_lines **out, mr_store *s, int64_t batch, mr_err *err)
{
	mr_log_lines *ls = calloc(1, sizeof *ls);
	*out = ls;
	if (!ls)
		return mr_err_nomem(err);
	ls->s = s;
	ls->batch = batch;
	return 0;
}

void mr_log_lines_free(mr_log_lines *ls)
{
	if (!ls)
		return;
	for (int i = 0; i < 2; i++)
		free(ls->sets[i].e);
	free(ls);
}

/* The line's first key: its hash with its site's */
static uint64_t first_key(uint64_t site, uint64_t line)
{
	return KEY(fold((line ^ site) * K1)) | 4;
}

void mr_log_lines_prefetch(mr_log_lines *ls, int day, uint64_t site, uint64_t line)
{
	const lset *v = ls->sets[0].live && ls->sets[0].day == day ? &ls->sets[0] :
	                ls->sets[1].live && ls->sets[1].day == day ? &ls->sets[1] : NULL;
	uint64_t key = first_key(site, line);
	if (v)
		__builtin_prefetch(&v->e[(size_t)(key >> 2 ^ key >> 31) & (v->cap - 1)]);
}

int mr_log_lines_seen(mr_log_lines *ls, int day, uint64_t site, uint64_t line, mr_err *err)
{
	lset *v = lset_of(ls, day, err);
	if (!v)
		return err->code ? err->code : MR_ENOMEM;
	uint64_t h = first_key(site, line);
	for (uint64_t copy = 0;; copy++) {
		/* bit 2 set: a key is never 0 once its flag bits are cleared */
		uint64_t key = copy ? KEY(fold((h ^ copy) * K1)) | 4 : h;
		size_t at;
		int fresh;
		if (lset_get(v, key, F_MINE, &at, &fresh))
			return mr_err_nomem(err);
		if (fresh)
			return 0;               /* a new line, now this batch's */
		if (FLAG(v->e[at]) == F_OLD) {
			v->e[at] = key | F_OLD_USED;  /* this copy was counted before */
			return 1;
		}
		/* this copy is taken (by this batch, or matched already): the next */
	}
}

int mr_log_lines_finish(mr_log_lines *ls, mr_err *err)
{
	int rc = 0;
	for (int i = 0; i < 2 && !rc; i++)
		if (ls->sets[i].live)
			rc = lset_flush(ls, &ls->sets[i], err);
	return rc;
}

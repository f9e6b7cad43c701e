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

typedef struct lset {
	int day, live;
	unsigned long long used;      /* tick of the last use */
	uint64_t *k;
	uint8_t *f;
	size_t n, cap, mine;
} lset;

struct mr_log_lines {
	mr_store *s;
	int64_t batch;
	lset sets[2];
	unsigned long long tick;
};

static size_t slot(const lset *v, uint64_t key)
{
	size_t i = (size_t)(key ^ key >> 29) & (v->cap - 1);
	while (v->f[i] && v->k[i] != key)
		i = (i + 1) & (v->cap - 1);
	return i;
}

static int lset_grow(lset *v)
{
	lset old = *v;
	v->cap = old.cap ? old.cap * 2 : 4096;
	v->k = malloc(v->cap * sizeof *v->k);
	v->f = calloc(v->cap, 1);
	if (!v->k || !v->f) {
		free(v->k);
		free(v->f);
		*v = old;
		return MR_ENOMEM;
	}
	for (size_t i = 0; i < old.cap; i++)
		if (old.f[i]) {
			size_t j = slot(v, old.k[i]);
			v->k[j] = old.k[i];
			v->f[j] = old.f[i];
		}
	free(old.k);
	free(old.f);
	return 0;
}

/* The slot of key, added with flag when new (*fresh set). */
static int lset_get(lset *v, uint64_t key, uint8_t flag, size_t *at, int *fresh)
{
	if (2 * (v->n + 1) > v->cap && lset_grow(v))
		return MR_ENOMEM;
	size_t i = slot(v, key);
	*fresh = !v->f[i];
	if (*fresh) {
		v->k[i] = key;
		v->f[i] = flag;
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
	uint8_t flag = batch == c->batch ? F_MINE : F_OLD;
	for (size_t i = 0; i < n; i++) {
		size_t at;
		int fresh;
		if (lset_get(c->v, keys[i], flag, &at, &fresh))
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
		return mr_err_set(err, MR_ENOMEM, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < v->cap; i++)
		if (v->f[i] == F_MINE)
			keys[n++] = v->k[i];
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
		free(v->k);
		free(v->f);
		memset(v, 0, sizeof *v);
		v->day = day;
		v->live = 1;
		struct load_ctx lc = { v, ls->batch };
		int rc = lset_grow(v);
		if (rc || (rc = mr_store_log_lines_each(ls->s, day, load_one, &lc, err))) {
			if (rc == MR_ENOMEM)
				mr_err_set(err, MR_ENOMEM, "out of memory");
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
		return mr_err_set(err, MR_ENOMEM, "out of memory");
	ls->s = s;
	ls->batch = batch;
	return 0;
}

void mr_log_lines_free(mr_log_lines *ls)
{
	if (!ls)
		return;
	for (int i = 0; i < 2; i++) {
		free(ls->sets[i].k);
		free(ls->sets[i].f);
	}
	free(ls);
}

int mr_log_lines_seen(mr_log_lines *ls, int day, uint64_t site, const char *line, size_t n,
                      mr_err *err)
{
	lset *v = lset_of(ls, day, err);
	if (!v)
		return err->code ? err->code : MR_ENOMEM;
	uint64_t h = mr_log_hash(line, n, site);
	for (uint64_t copy = 0;; copy++) {
		uint64_t key = copy ? mr_log_hash(&copy, sizeof copy, h) : h;
		size_t at;
		int fresh;
		key += !key;
		if (lset_get(v, key, F_MINE, &at, &fresh))
			return mr_err_set(err, MR_ENOMEM, "out of memory");
		if (fresh)
			return 0;               /* a new line, now this batch's */
		if (v->f[at] == F_OLD) {
			v->f[at] = F_OLD_USED;  /* this copy was counted before */
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

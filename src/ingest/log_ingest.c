/* log_ingest.c — read one access log (plain, gzip or standard input)
 * line by line and hand the lines to the per-day aggregation, as one
 * batch.
 *
 * A log that has grown since an earlier ingestion contributes only its
 * new lines: the store keeps, per ingestion, the length and SHA-256 of
 * the bytes read; when a log's first bytes hash as an earlier one's did,
 * its prefix is hashed up to each earlier length, and reading resumes
 * after the longest prefix that matches.  The same content twice is
 * refused, as every batch is.  SHA-256 is OpenSSL's (it uses the CPU's
 * SHA instructions), run in a second thread on each chunk while the lines
 * of that chunk are parsed: hashing must not be the slow part.  A third
 * thread counts the parsed lines (fingerprints, per-day aggregation) of a
 * chunk while the next ones are read and parsed; it takes the chunks in
 * the file's order and the lines one after another, so the figures are
 * the same as one thread's.  A fourth thread parses every other chunk
 * (see parser); a chunk with #Fields lines is parsed after the one before.
 *
 * Lines are at most 64 KiB; a longer line or a damaged gzip stream stop
 * the ingestion with file, line and column.  Lines that do not match the
 * format or are not UTF-8 are counted per day as failed, the first few
 * reported; with --strict the first one is an error; when no line
 * matches, the log is refused (another format is needed).  Without a
 * format, each log's is detected from its first 64 KiB; a W3C or
 * CloudFront log's #Fields lines say its layout wherever they come.
 *
 * A last line without its newline: a plain file written in the last five
 * minutes may be half way through writing it, so it is left for the next
 * run (which reads the log on from there) and the summary says so; in an
 * older file, a gzip file or standard input it is read.  Every line that
 * is counted leaves a fingerprint (log_lines.c), so a line an earlier
 * batch counted — in a copy, a slice, a rotated file — is skipped and
 * told in the summary.
 */
#include "ingest/log.h"
#include "util/vec.h"

#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "util/utf8.h"

#define CHUNK (1u << 20)
#define HEAD 4096
#define DETECT (64u << 10)
#define WRITING 300           /* seconds: a file changed since may be being written */

typedef struct job {
	mr_store *s;
	const mr_log_opts *o;
	mr_log_result *out;
	const char *path;             /* as opened (zlib's messages start with it) */
	const char *name;             /* for messages: the path or "(stdin)" */
	gzFile g;
	int is_stdin;
	unsigned long long total;     /* file size, for progress; 0 when unknown */
	EVP_MD_CTX *sha;
	char *buf;
	size_t have;
	long long line;               /* number of the last line read */
	mr_log_agg *agg;
	mr_log_lines *seen;           /* fingerprints of counted lines */
	const mr_log_format *fmt;     /* the format in use */
	mr_log_format *own;           /* detected, or reading #Fields lines */
	mr_log_line l;
	int last_day;                 /* the last line's day */
	char site_name[256];          /* the last line's site, and its hash */
	size_t site_n;
	uint64_t site_hash;
	int has_vhost;
	int partial;                  /* a plain regular file: a last line without
	                               * its newline is still being written; left
	                               * for the next run */
	struct batch *b;              /* the chunk's parsed lines, for the aggregator */
	int agg_day;                  /* the last counted line's day (aggregator's) */
	mr_log_line *agg_line;        /* the aggregator's copy of a line */
} job;

/* A parsed line, handed to the aggregating thread: its fields point into
 * the chunk's buffer or the batch's arena (a copy of the line's scratch),
 * both kept until the batch is aggregated. */
typedef struct rec {
	int failed;                   /* a line counted as failed */
	int day, sec, status;
	long long line;
	const char *text;             /* the line's body (hashed by the aggregator) */
	size_t tn;
	uint64_t site_hash;
	mr_log_span site;
	mr_log_span host, request, referer, agent;   /* what the aggregation reads */
} lrec;

#define ARENA (1u << 20)

typedef struct batch {
	lrec *r;
	size_t n, cap;
	char **blocks;                /* the arena: blocks of ARENA bytes */
	size_t nblocks, capblocks, cur, used;
	/* a chunk parsed beside another one (see parser) does not know the
	 * number of its first line: its lines are numbered from `first`, and
	 * `shift` (set when it is put in order) makes them right */
	long long first, last, shift;
	long long failed;             /* lines counted as failed */
	mr_buf notes;                 /* the first ones told */
	size_t note_end[MR_LOG_MAX_NOTES], nnotes;
	char *buf;                    /* the chunk's bytes, [0, have) */
	size_t have, used_bytes;
	int rc;                       /* the error that stopped it, in err */
	mr_err err;
} batch;

/* The hashing thread: one chunk at a time, while the caller parses it. */
typedef struct hasher {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	EVP_MD_CTX *ctx;
	const char *p;
	size_t n;
	int busy, quit, running;
} hasher;

static void *hasher_main(void *arg)
{
	hasher *h = arg;
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->busy && !h->quit)
			pthread_cond_wait(&h->cv, &h->mu);
		if (!h->busy)
			break;
		pthread_mutex_unlock(&h->mu);
		EVP_DigestUpdate(h->ctx, h->p, h->n);
		pthread_mutex_lock(&h->mu);
		h->busy = 0;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* A worker thread with its lock and signal: 1 when it runs (else the
 * caller does the work itself). */
static int worker_start(pthread_t *t, pthread_mutex_t *mu, pthread_cond_t *cv,
                        void *(*fn)(void *), void *arg)
{
	if (pthread_mutex_init(mu, NULL))
		return 0;
	if (pthread_cond_init(cv, NULL)) {
		pthread_mutex_destroy(mu);
		return 0;
	}
	if (pthread_create(t, NULL, fn, arg) == 0)
		return 1;
	pthread_cond_destroy(cv);
	pthread_mutex_destroy(mu);
	return 0;
}

/* Tell a worker to quit (it ends once its work is done), and join it. */
static void worker_stop(pthread_t t, pthread_mutex_t *mu, pthread_cond_t *cv, int *quit)
{
	pthread_mutex_lock(mu);
	*quit = 1;
	pthread_cond_broadcast(cv);
	pthread_mutex_unlock(mu);
	pthread_join(t, NULL);
	pthread_cond_destroy(cv);
	pthread_mutex_destroy(mu);
}

static void hasher_start(hasher *h, EVP_MD_CTX *ctx)
{
	memset(h, 0, sizeof *h);
	h->ctx = ctx;
	h->running = worker_start(&h->thread, &h->mu, &h->cv, hasher_main, h);
}

/* Hash p[0..n) — in the thread when there is one (then the bytes must
 * stay put until hasher_wait). */
static void hasher_put(hasher *h, const char *p, size_t n)
{
	if (!h->running) {
		EVP_DigestUpdate(h->ctx, p, n);
		return;
	}
	pthread_mutex_lock(&h->mu);
	h->p = p;
	h->n = n;
	h->busy = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

static void hasher_wait(hasher *h)
{
	if (!h->running)
		return;
	pthread_mutex_lock(&h->mu);
	while (h->busy)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

static void hasher_stop(hasher *h)
{
	if (!h->running)
		return;
	hasher_wait(h);
	worker_stop(h->thread, &h->mu, &h->cv, &h->quit);
	h->running = 0;
}

void mr_log_result_init(mr_log_result *r)
{
	memset(r, 0, sizeof *r);
	mr_buf_init(&r->notes);
}

void mr_log_result_release(mr_log_result *r)
{
	mr_buf_release(&r->notes);
}

static void hex(char *out, const unsigned char *h, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * n] = 0;
}

/* The hex digest of what ctx has hashed so far (ctx itself goes on). */
static int peek_sha(EVP_MD_CTX *ctx, char out[65])
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok = c && EVP_MD_CTX_copy_ex(c, ctx) && EVP_DigestFinal_ex(c, h, &len);
	EVP_MD_CTX_free(c);
	if (ok)
		hex(out, h, len);
	return ok ? 0 : MR_ENOMEM;
}

/* Read up to n bytes; 0 at the end; MR_EIO with a message on a damaged
 * or truncated stream. */
/* --strict's refusal; the CLI says how to let such a line be. */
static int strict_hint(mr_err *err)
{
	mr_err_hint(err, MR_HINT_NONE, "without --strict such a line is counted as failed "
	            "and the rest is read");
	return err->code;
}

static int read_some(job *j, char *into, size_t n, size_t *got, mr_err *err)
{
	int e;
	int r = gzread(j->g, into, (unsigned)n);
	if (r > 0) {
		*got = (size_t)r;
		return 0;
	}
	const char *m = gzerror(j->g, &e);
	*got = 0;
	if (r == 0 && (e == Z_OK || e == Z_STREAM_END))
		return 0;
	if (e == Z_BUF_ERROR)
		return mr_err_set(err, MR_EIO, "%s: the gzip data is truncated (it ends in the "
		                  "middle of the stream)", j->name);
	if (e == Z_ERRNO)
		return mr_err_set(err, MR_EIO, "%s: read error: %s", j->name, strerror(errno));
	/* zlib's message starts with the path it was opened with */
	size_t nl = strlen(j->path);
	if (m && strncmp(m, j->path, nl) == 0 && m[nl] == ':' && m[nl + 1] == ' ')
		m += nl + 2;
	return mr_err_set(err, MR_EIO, "%s: the gzip data is damaged: %s", j->name,
	                  m && *m ? m : "unknown error");
}

/* A line's length without its \r. */
static size_t body(const char *p, size_t n)
{
	return n && p[n - 1] == '\r' ? n - 1 : n;
}

/* ---- batches of parsed lines ---- */

static lrec *batch_add(batch *b)
{
	return MR_VEC_PUSH(b->r, b->n, b->cap);
}

/* n bytes (at most MR_LOG_SCRATCH) of the batch's arena. */
static char *batch_alloc(batch *b, size_t n)
{
	if (b->nblocks && b->used + n <= ARENA) {
		char *p = b->blocks[b->cur] + b->used;
		b->used += n;
		return p;
	}
	if (b->nblocks && b->cur + 1 < b->nblocks) {
		b->cur++;
	} else {
		if (mr_vec_grow(&b->blocks, &b->capblocks, b->nblocks, sizeof *b->blocks) ||
		    !(b->blocks[b->nblocks] = malloc(ARENA)))
			return NULL;
		b->cur = b->nblocks++;
	}
	b->used = n;
	return b->blocks[b->cur];
}

static void batch_reset(batch *b)
{
	b->n = b->cur = b->used = 0;
	b->failed = 0;
	b->nnotes = 0;
	b->rc = 0;
	b->shift = 0;
	mr_buf_reset(&b->notes);
	mr_err_clear(&b->err);
}

static void batch_release(batch *b)
{
	mr_buf_release(&b->notes);
	mr_err_clear(&b->err);
	for (size_t i = 0; i < b->nblocks; i++)
		free(b->blocks[i]);
	free(b->blocks);
	free(b->r);
	memset(b, 0, sizeof *b);
}

/* A span of the parsed line l: one into its scratch moves to scr, the
 * copy of that scratch. */
static mr_log_span rebase(const mr_log_line *l, char *scr, mr_log_span v)
{
	if (v.p >= l->scratch && v.p < l->scratch + l->used)
		v.p = scr + (v.p - l->scratch);
	return v;
}

/* One line (its fingerprint is taken by the aggregating thread). */
static int one_line(job *j, char *p, size_t n, int ascii, mr_err *err)
{
	mr_log_line *lp = &j->l;
	mr_log_bad bad;
	j->line++;
	n = body(p, n);
	if (n > MR_LOG_MAX_LINE)
		return mr_err_set(err, MR_EINVALID, "%s:%lld: a line longer than 64 KiB (%zu bytes); "
		                  "is this an access log?", j->name, j->line, n);
	size_t b = ascii ? n : mr_utf8_bad((const unsigned char *)p, n);
	char why[64];
	if (b < n) {
		if (j->o->strict) {
			mr_err_set(err, MR_EINVALID, "%s:%lld:%zu: invalid UTF-8 (byte 0x%02x) "
			           "(strict)", j->name, j->line, b + 1, (unsigned char)p[b]);
			return strict_hint(err);
		}
		snprintf(why, sizeof why, "invalid UTF-8 (byte 0x%02x)", (unsigned char)p[b]);
		bad.col = b + 1;
		bad.why = why;
	}
	if (b == n && n && p[0] == '#' && j->own) {
		int r = mr_log_format_fields(j->own, p, n, err);
		if (r < 0)
			mr_err_prefix(err, "%s:%lld", j->name, j->line);
		if (r)
			j->has_vhost = mr_log_format_has(j->own, MR_LF_VHOST);
		return r < 0 ? r : 0;
	}
	if (b == n && (n == 0 || p[0] == '#'))
		return 0;   /* blank lines and comments are not requests */
	if (b < n || mr_log_parse(j->fmt, p, n, lp, &bad)) {
		if (j->o->strict) {
			mr_err_set(err, MR_EINVALID, "%s:%lld:%zu: %s (strict)", j->name,
			           j->line, bad.col, bad.why);
			return strict_hint(err);
		}
		/* told when the batch is put in order (put_batch) */
		if (j->b->failed++ < MR_LOG_MAX_NOTES) {
			mr_buf_printf(&j->b->notes, "%s:%lld:%zu: %s; line counted as failed\n",
			              j->name, j->line, bad.col, bad.why);
			j->b->note_end[j->b->nnotes++] = j->b->notes.len;
		}
		lrec *r = batch_add(j->b);
		if (!r)
			return mr_err_nomem(err);
		r->failed = 1;
		return 0;
	}
	const char *site = j->o->site ? j->o->site : "default";
	size_t sn = strlen(site);
	if (!j->o->site && j->has_vhost) {
		mr_log_span v = lp->f[MR_LF_VHOST];
		if (v.n && !(v.n == 1 && v.p[0] == '-'))
			site = v.p, sn = v.n;
	}
	if (sn != j->site_n || memcmp(site, j->site_name, sn) != 0) {
		j->site_n = sn < sizeof j->site_name ? sn : 0;
		memcpy(j->site_name, site, j->site_n);
		j->site_hash = mr_log_hash(site, sn, 11);
	}
	lrec *r = batch_add(j->b);
	char *scr = lp->used ? batch_alloc(j->b, lp->used) : NULL;
	if (!r || (lp->used && !scr))
		return mr_err_nomem(err);
	if (scr)
		memcpy(scr, lp->scratch, lp->used);
	r->failed = 0;
	r->day = lp->day;
	r->sec = lp->sec;
	r->status = lp->status;
	r->line = j->line;
	r->text = p;
	r->tn = n;
	r->site_hash = j->site_hash;
	r->site = rebase(lp, scr, (mr_log_span){ site, sn });
	r->host = rebase(lp, scr, lp->f[MR_LF_HOST]);
	r->request = rebase(lp, scr, lp->f[MR_LF_REQUEST]);
	r->referer = rebase(lp, scr, lp->f[MR_LF_REFERER]);
	r->agent = rebase(lp, scr, lp->f[MR_LF_AGENT]);
	return 0;
}

/* Count one parsed line (in the aggregating thread); the next one's
 * fingerprint slot is fetched meanwhile. */
static int agg_rec(job *j, const lrec *r, long long shift, uint64_t h, mr_err *err)
{
	if (r->failed) {
		mr_log_agg_failed(j->agg);
		return 0;
	}
	int seen = mr_log_lines_seen(j->seen, r->day, r->site_hash, h, err);
	j->agg_day = r->day;
	if (seen) {
		j->out->seen += seen > 0;
		return seen < 0 ? seen : 0;
	}
	j->out->requests++;
	mr_log_line *l = j->agg_line;
	l->f[MR_LF_HOST] = r->host;     /* the other fields stay empty */
	l->f[MR_LF_REQUEST] = r->request;
	l->f[MR_LF_REFERER] = r->referer;
	l->f[MR_LF_AGENT] = r->agent;
	l->day = r->day;
	l->sec = r->sec;
	l->status = r->status;
	int rc = mr_log_agg_line(j->agg, l, r->site.p, r->site.n, r->line + shift, err);
	if (rc == MR_EINVALID)      /* a day's visitors beyond the most counted */
		mr_err_prefix(err, "%s:%lld", j->name, r->line + shift);
	return rc;
}

static int agg_batch(job *j, const batch *b, mr_err *err)
{
	/* each line's hash is taken one line ahead, and the slot it will be
	 * looked up in fetched while the line before is counted */
	uint64_t h = b->n && !b->r[0].failed ? mr_log_line_hash(b->r[0].text, b->r[0].tn) : 0;
	for (size_t i = 0; i < b->n; i++) {
		const lrec *next = i + 1 < b->n ? &b->r[i + 1] : NULL;
		uint64_t h2 = 0;
		if (next && !next->failed) {
			h2 = mr_log_line_hash(next->text, next->tn);
			mr_log_lines_prefetch(j->seen, j->agg_day, next->site_hash, h2);
		}
		int rc = agg_rec(j, &b->r[i], b->shift, h, err);
		if (rc)
			return rc;
		h = h2;
	}
	return 0;
}

/* The aggregating thread: the batches of parsed lines in the order of
 * the file, while the caller reads and parses the next chunks; lines are
 * counted one after another as without it, so the results are the same.
 * NBUF chunks are in hand: when one thread is held up (the machine is
 * shared), the other goes on. */
#define NBUF 6

typedef struct aggr {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	job *j;
	const batch *q[NBUF];
	unsigned long long put, done;  /* batches handed over, and counted */
	int quit, running, rc;
	mr_err err;
} aggr;

static void *aggr_main(void *arg)
{
	aggr *a = arg;
	pthread_mutex_lock(&a->mu);
	for (;;) {
		while (a->done == a->put && !a->quit)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->done == a->put)
			break;
		const batch *b = a->q[a->done % NBUF];
		int rc = a->rc, skip = a->quit;   /* stopped early: an error */
		pthread_mutex_unlock(&a->mu);
		if (!rc && !skip)
			rc = agg_batch(a->j, b, &a->err);
		pthread_mutex_lock(&a->mu);
		a->rc = rc;
		a->done++;
		pthread_cond_broadcast(&a->cv);
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

static void aggr_start(aggr *a, job *j)
{
	memset(a, 0, sizeof *a);
	a->j = j;
	a->running = worker_start(&a->thread, &a->mu, &a->cv, aggr_main, a);
}

/* Wait until at most `most` batches are in hand; the first error, if
 * any, goes to err. */
static int aggr_wait_for(aggr *a, unsigned long long most, mr_err *err)
{
	int rc;
	if (!a->running) {
		rc = a->rc;
	} else {
		pthread_mutex_lock(&a->mu);
		while (a->put - a->done > most && !a->rc)
			pthread_cond_wait(&a->cv, &a->mu);
		rc = a->rc;
		pthread_mutex_unlock(&a->mu);
	}
	if (rc && a->err.code) {
		mr_err_clear(err);
		*err = a->err;
		a->err = (mr_err)MR_ERR_INIT;
	}
	return rc;
}

/* Wait for every batch handed over. */
static int aggr_wait(aggr *a, mr_err *err)
{
	return aggr_wait_for(a, 0, err);
}

/* Aggregate b — in the thread when there is one (then b and the lines it
 * points into must stay put until NBUF - 1 more batches are handed over,
 * or aggr_wait).  On return at most NBUF - 1 batches are in hand: the
 * chunk of the one before those is free again. */
static int aggr_put(aggr *a, const batch *b, mr_err *err)
{
	if (!a->running)
		return a->rc ? a->rc : (a->rc = agg_batch(a->j, b, err));
	int rc = aggr_wait_for(a, NBUF - 2, err);
	if (rc)
		return rc;
	pthread_mutex_lock(&a->mu);
	a->q[a->put % NBUF] = b;
	a->put++;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return 0;
}

/* Stop the thread, once the batches in hand are counted or skipped. */
static void aggr_stop(aggr *a)
{
	if (!a->running)
		return;
	worker_stop(a->thread, &a->mu, &a->cv, &a->quit);
	mr_err_clear(&a->err);
	a->running = 0;
}

/* Is it all ASCII (then its lines are UTF-8, unchecked one by one)? */
static int is_ascii(const char *p, size_t n)
{
	uint64_t w[4], acc = 0;
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		memcpy(w, p + i, 32);
		acc |= w[0] | w[1] | w[2] | w[3];
	}
	for (; i < n; i++)
		acc |= (unsigned char)p[i];
	return !(acc & 0x8080808080808080ull);
}

/* Split what is in the buffer into lines; *used gets the bytes taken
 * (the rest is a partial last line, unless at_end). */
static int lines_in_buffer(job *j, int at_end, size_t *used, mr_err *err)
{
	char *p = j->buf, *e = j->buf + j->have;
	int rc = 0, ascii = is_ascii(p, j->have);
	for (char *nl; (nl = memchr(p, '\n', (size_t)(e - p))); p = nl + 1)
		if ((rc = one_line(j, p, (size_t)(nl - p), ascii, err)))
			return rc;
	if (at_end && p < e && !j->partial) {
		rc = one_line(j, p, (size_t)(e - p), ascii, err);
		p = e;
	} else if ((size_t)(e - p) > MR_LOG_MAX_LINE + 1) {
		return mr_err_set(err, MR_EINVALID, "%s:%lld: a line longer than 64 KiB; is this "
		                  "an access log?", j->name, j->line + 1);
	}
	*used = (size_t)(p - j->buf);
	return rc;
}

/* ---- a second parsing thread ----
 *
 * Parsing is the slowest part: chunks are parsed two at a time, the
 * first by this thread while the reading thread reads and parses the
 * next, and put in order afterwards (put_batch), so the figures, the
 * failed lines told and the errors are the same as one thread's.  The
 * second chunk is parsed before the line number of its first line is
 * known: its lines are numbered from 0 and moved when it is put; when
 * its numbers are told (its error, the first failed lines), it is parsed
 * again, knowing them.  A W3C or CloudFront log's #Fields lines change
 * its format: a chunk with a line starting with # is parsed by the
 * reading thread alone, after the chunk before it. */
typedef struct parser {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	job *j;                       /* its own job: its lines, scratch, site */
	batch *b;                     /* the chunk in hand */
	long long first;              /* the number of the line before it */
	int busy, quit, running;
} parser;

/* Parse the chunk of b (its bytes b->buf, b->have) into b: its first line
 * is j->line + 1. */
static int parse_chunk(job *j, batch *b, int at_end, mr_err *err)
{
	j->buf = b->buf;
	j->have = b->have;
	j->b = b;
	b->first = j->line;
	int rc = lines_in_buffer(j, at_end, &b->used_bytes, err);
	b->last = j->line;
	return rc;
}

static void *parser_main(void *arg)
{
	parser *ps = arg;
	pthread_mutex_lock(&ps->mu);
	for (;;) {
		while (!ps->busy && !ps->quit)
			pthread_cond_wait(&ps->cv, &ps->mu);
		if (!ps->busy)
			break;
		batch *b = ps->b;
		ps->j->line = ps->first;
		pthread_mutex_unlock(&ps->mu);
		b->rc = parse_chunk(ps->j, b, 0, &b->err);
		pthread_mutex_lock(&ps->mu);
		ps->busy = 0;
		pthread_cond_broadcast(&ps->cv);
	}
	pthread_mutex_unlock(&ps->mu);
	return NULL;
}

/* Start the thread with its copy of j (whose format must not change). */
static void parser_start(parser *ps, const job *j)
{
	memset(ps, 0, sizeof *ps);
	if (!(ps->j = malloc(sizeof *ps->j)))
		return;
	*ps->j = *j;
	ps->j->own = NULL;    /* its #Fields lines are comments */
	ps->running = worker_start(&ps->thread, &ps->mu, &ps->cv, parser_main, ps);
}

/* Parse b in the thread, its first line numbered first + 1; has_vhost:
 * the format in use names the site. */
static void parser_put(parser *ps, batch *b, long long first, int has_vhost)
{
	pthread_mutex_lock(&ps->mu);
	ps->j->has_vhost = has_vhost;
	ps->b = b;
	ps->first = first;
	ps->busy = 1;
	pthread_cond_broadcast(&ps->cv);
	pthread_mutex_unlock(&ps->mu);
}

/* Does a line of p[0, n) start with #? */
static int has_comment(const char *p, size_t n)
{
	for (const char *q = p, *e = p + n; (q = memchr(q, '#', (size_t)(e - q))); q++)
		if (q == p || q[-1] == '\n')
			return 1;
	return 0;
}

static void parser_wait(parser *ps)
{
	pthread_mutex_lock(&ps->mu);
	while (ps->busy)
		pthread_cond_wait(&ps->cv, &ps->mu);
	pthread_mutex_unlock(&ps->mu);
}

static void parser_stop(parser *ps)
{
	if (ps->running) {
		parser_wait(ps);
		worker_stop(ps->thread, &ps->mu, &ps->cv, &ps->quit);
	}
	free(ps->j);
	memset(ps, 0, sizeof *ps);
}

/* Put a parsed chunk in order: *base is the number of the last line
 * before it.  Its failed lines are counted and the first ones told, its
 * lines aggregated; the error that stopped it, if any, is returned after
 * the lines before it are counted. */
static int put_batch(job *j, aggr *ag, batch *b, long long *base, int at_end, mr_err *err)
{
	if (b->first != *base && (b->rc || (b->nnotes && j->out->failed < MR_LOG_MAX_NOTES))) {
		batch_reset(b);
		j->line = *base;
		b->rc = parse_chunk(j, b, at_end, &b->err);
	}
	b->shift = *base - b->first;
	*base += b->last - b->first;
	for (size_t i = 0; i < b->nnotes && j->out->failed + (long long)i < MR_LOG_MAX_NOTES; i++) {
		size_t from = i ? b->note_end[i - 1] : 0;
		mr_buf_add(&j->out->notes, b->notes.data + from, b->note_end[i] - from);
	}
	j->out->failed += b->failed;
	int rc = aggr_put(ag, b, err);
	if (!rc && b->rc && !(rc = aggr_wait(ag, err))) {
		mr_err_clear(err);
		*err = b->err;
		b->err = (mr_err)MR_ERR_INIT;
		rc = b->rc;
	}
	return rc;
}

static void progress(job *j)
{
	if (!j->o->progress.fn)
		return;
	unsigned long long done = j->is_stdin ? (unsigned long long)j->out->bytes
	                                      : (unsigned long long)gzoffset(j->g);
	j->o->progress.fn(done > j->total && j->total ? j->total : done, j->total,
	                  j->o->progress.payload);
}

/* The longest earlier ingestion whose bytes are this log's first bytes:
 * *start gets its length (0 when none) and *lines its lines; j->sha is
 * left holding the hash of those bytes.  The buffer holds the log's
 * first j->have bytes on entry. */
static int match_prefix(job *j, const mr_log_seen *seen, size_t nseen, int64_t *start,
                        int64_t *lines, mr_err *err)
{
	EVP_MD_CTX *best = EVP_MD_CTX_new();
	int64_t pos = 0;
	size_t used = 0;
	int rc = 0, eof = 0;
	*start = *lines = 0;
	if (!best || !EVP_DigestInit_ex(best, EVP_sha256(), NULL))
		rc = mr_err_nomem(err);
	for (size_t i = 0; i < nseen && !rc && !eof; i++) {
		const mr_log_seen *c = &seen[i];
		while (pos < c->length) {
			if (used == j->have) {
				if ((rc = read_some(j, j->buf, CHUNK, &j->have, err)))
					break;
				used = 0;
				if (!j->have) {
					eof = 1;
					break;
				}
			}
			size_t take = j->have - used;
			if ((int64_t)take > c->length - pos)
				take = (size_t)(c->length - pos);
			EVP_DigestUpdate(j->sha, j->buf + used, take);
			used += take;
			pos += (int64_t)take;
		}
		char hexd[65];
		if (!rc && pos == c->length && c->length > *start) {
			if (peek_sha(j->sha, hexd))
				rc = mr_err_nomem(err);
			else if (strcmp(hexd, c->sha256) == 0) {
				*start = c->length;
				*lines = c->lines;
				if (!EVP_MD_CTX_copy_ex(best, j->sha))
					rc = mr_err_nomem(err);
			}
		}
	}
	if (!rc && !EVP_MD_CTX_copy_ex(j->sha, best))
		rc = mr_err_nomem(err);
	EVP_MD_CTX_free(best);
	return rc;
}

long long mr_log_first_time(const char *path, const mr_log_format *format)
{
	long long when = -1;
	mr_log_format *own = NULL;
	mr_log_line *l = malloc(sizeof *l);
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -1;   /* a pipe is read once, by the ingestion */
	gzFile g = gzopen(path, "rb");
	char *buf = malloc(CHUNK + 1);
	int n = g && buf && l ? gzread(g, buf, CHUNK) : -1;
	if (!format && n > 0 && !mr_log_format_detect(&own, buf, (size_t)n))
		format = own;
	for (const char *p = buf, *e = buf + (n > 0 ? n : 0); p < e && when < 0 && format;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		if (!nl)
			break;
		size_t len = (size_t)(nl - p);
		if (len && p[len - 1] == '\r')
			len--;
		mr_log_bad bad;
		if (own && len && p[0] == '#') {
			mr_err err = MR_ERR_INIT;
			(void)mr_log_format_fields(own, p, len, &err);
			mr_err_clear(&err);
		} else if (len && p[0] != '#' && !mr_log_parse(format, p, len, l, &bad)) {
			when = (long long)l->day * 86400 + l->sec;
		}
		p = nl + 1;
	}
	free(buf);
	free(l);
	mr_log_format_free(own);
	if (g)
		gzclose(g);
	return when;
}

int mr_log_ingest(mr_store *s, const mr_plan *plan, const char *path,
                  const mr_log_opts *o, mr_log_result *out, mr_err *err)
{
	job j;
	mr_log_seen *seen = NULL, rec;
	size_t nseen = 0;
	int64_t start = 0, old;
	int rc = 0;
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned hl = 0;
	hasher hs;
	aggr ag;
	parser ps;
	batch bat[NBUF];
	char *bufs[NBUF] = { NULL };
	memset(&hs, 0, sizeof hs);
	memset(&ag, 0, sizeof ag);
	memset(&ps, 0, sizeof ps);
	memset(bat, 0, sizeof bat);
	for (int i = 0; i < NBUF; i++)
		mr_buf_init(&bat[i].notes);
	memset(&j, 0, sizeof j);
	memset(&rec, 0, sizeof rec);
	j.s = s;
	j.o = o;
	j.out = out;
	j.is_stdin = strcmp(path, "-") == 0;
	j.name = o->name ? o->name : j.is_stdin ? "(stdin)" : path;
	j.path = path;
	if (j.is_stdin) {
		errno = 0;
		int fd = dup(STDIN_FILENO);
		j.g = fd < 0 ? NULL : gzdopen(fd, "rb");
		if (!j.g && fd >= 0)
			close(fd);
	} else {
		struct stat stt;
		if (stat(path, &stt) == 0) {
			j.total = (unsigned long long)stt.st_size;
			j.partial = S_ISREG(stt.st_mode) && stt.st_mtime > time(NULL) - WRITING;
		}
		errno = 0;
		j.g = gzopen(path, "rb");
	}
	if (!j.g) {
		int e = errno;
		rc = mr_err_set(err, MR_EIO, "%s: %s", j.name, e ? strerror(e) : "cannot open");
		goto done;
	}
	gzbuffer(j.g, 1u << 17);
	/* NBUF buffers: the lines of some are aggregated while the next is
	 * read and parsed */
	int nobuf = 0;
	for (int i = 0; i < NBUF; i++)
		nobuf |= !(bufs[i] = malloc(CHUNK + MR_LOG_MAX_LINE + 2));
	j.buf = bufs[0];
	j.agg_line = calloc(1, sizeof *j.agg_line);
	j.sha = EVP_MD_CTX_new();
	if (nobuf || !j.agg_line || !j.sha || !EVP_DigestInit_ex(j.sha, EVP_sha256(), NULL)) {
		rc = mr_err_nomem(err);
		goto done;
	}
	/* the head: the first 4 KiB name the log among earlier ingestions;
	 * the first 64 KiB say its format when it was not given */
	while (j.have < DETECT) {
		size_t got;
		if ((rc = read_some(&j, j.buf + j.have, DETECT - j.have, &got, err)))
			goto done;
		if (!got)
			break;
		j.have += got;
	}
	if (!EVP_Digest(j.buf, j.have < HEAD ? j.have : HEAD, h, &hl, EVP_sha256(), NULL)) {
		rc = mr_err_nomem(err);
		goto done;
	}
	hex(rec.head, h, hl);
	if (j.partial && !gzdirect(j.g))
		j.partial = 0;   /* a gzip file is complete: its last line is read */
	if (!j.have || (j.partial && j.have < HEAD && !memchr(j.buf, '\n', j.have))) {
		/* nothing in it (or, still being written, no whole line yet):
		 * no batch */
		mr_buf_printf(&out->notes, "merit: %s: %s; skipped\n", j.name,
		              j.have ? "no complete line yet" : "empty");
		out->empty = 1;
		goto done;
	}
	/* the format: given, or detected; a W3C or CloudFront one is this
	 * log's own copy, which its #Fields lines change */
	j.fmt = o->format;
	if (!j.fmt) {
		size_t whole = j.have;   /* whole lines, unless that is all of it */
		if (j.have == DETECT)
			while (whole && j.buf[whole - 1] != '\n')
				whole--;
		if ((rc = mr_log_format_detect(&j.own, j.buf, whole))) {
			rc = rc == MR_ENOMEM ? mr_err_set(err, rc, "%s: out of memory", j.name) :
			     mr_err_set(err, MR_EINVALID, "%s: no log format reads its first lines "
			                "(say which: %s, or a format string)", j.name,
			                mr_log_format_names);
			goto done;
		}
		out->detected = 1;
	} else if (!strcmp(mr_log_format_name(j.fmt), "w3c") ||
	           !strcmp(mr_log_format_name(j.fmt), "cloudfront")) {
		if ((rc = mr_log_format_compile(&j.own, mr_log_format_name(j.fmt), err)))
			goto done;
	}
	if (j.own)
		j.fmt = j.own;
	out->format = mr_log_format_name(j.fmt);
	j.has_vhost = mr_log_format_has(j.fmt, MR_LF_VHOST);
	if ((rc = mr_store_batch_add(s, &out->batch, "logs", j.name, NULL, err)) ||
	    (rc = mr_log_agg_new(&j.agg, s, plan, mr_log_format_has(j.fmt, MR_LF_AGENT),
	                         out->batch, err)) ||
	    (rc = mr_log_lines_new(&j.seen, s, out->batch, err)))
		goto done;
	if (!j.is_stdin) {
		if ((rc = mr_store_log_seen_find(s, rec.head, &seen, &nseen, err)))
			goto done;
		int64_t lines = 0;
		if (nseen && (rc = match_prefix(&j, seen, nseen, &start, &lines, err)))
			goto done;
		out->skipped = lines;
		if (gzseek(j.g, (z_off_t)start, SEEK_SET) != (z_off_t)start) {
			rc = mr_err_set(err, MR_EIO, "%s: cannot read it again from byte %lld", j.name,
			                (long long)start);
			goto done;
		}
		j.have = 0;
		j.line = out->skipped;
	} else {
		EVP_DigestUpdate(j.sha, j.buf, j.have);
		out->bytes = (long long)j.have;
	}
	hasher_start(&hs, j.sha);
	aggr_start(&ag, &j);
	int fields = mr_log_format_reads_fields(j.fmt);
	parser_start(&ps, &j);
	long long base = j.line;      /* lines put in order so far */
	batch *pending = NULL;        /* the chunk the parser has */
	for (unsigned long long seq = 0;; seq++) {
		batch *b = &bat[seq % NBUF];
		size_t got, used = 0;
		mr_err rerr = MR_ERR_INIT;
		if ((rc = read_some(&j, j.buf + j.have, CHUNK, &got, &rerr))) {
			/* an error in the chunk before is told first */
			if (pending) {
				parser_wait(&ps);
				int prc = put_batch(&j, &ag, pending, &base, 0, err);
				pending = NULL;
				if (prc) {
					mr_err_clear(&rerr);
					rc = prc;
					goto done;
				}
			}
			mr_err_clear(err);
			*err = rerr;
			goto done;
		}
		hasher_wait(&hs);
		if (j.partial) {
			/* hash up to the last newline: the bytes after it (kept in
			 * the buffer, not hashed yet) may be a line still being
			 * written, which the next run reads whole */
			size_t n = j.have + got;
			while (n > 0 && j.buf[n - 1] != '\n')
				n--;
			hasher_put(&hs, j.buf, n);
			out->bytes += (long long)n;
		} else {
			hasher_put(&hs, j.buf + j.have, got);
			out->bytes += (long long)got;
		}
		j.have += got;
		batch_reset(b);
		b->buf = j.buf;
		b->have = j.have;
		size_t whole = ps.running && got && !pending ? j.have : 0;
		while (whole && j.buf[whole - 1] != '\n')
			whole--;
		if (whole && j.have - whole <= MR_LOG_MAX_LINE + 1 &&
		    !(fields && has_comment(j.buf, whole))) {
			/* the parser takes it, up to its last newline; the next
			 * chunk is read and parsed meanwhile */
			used = whole;
			parser_put(&ps, b, base, j.has_vhost);
			pending = b;
			/* the buffer the next chunk goes to: free once the one
			 * NBUF - 1 batches back is counted */
			if ((rc = aggr_wait_for(&ag, NBUF - 2, err)))
				goto done;
		} else {
			if (pending && fields && has_comment(j.buf, j.have)) {
				/* its #Fields lines: after the chunk before */
				parser_wait(&ps);
				rc = put_batch(&j, &ag, pending, &base, 0, err);
				pending = NULL;
				if (rc)
					goto done;
			}
			j.line = pending ? 0 : base;   /* from 0: not known yet */
			b->rc = parse_chunk(&j, b, got == 0, &b->err);
			if (pending) {
				parser_wait(&ps);
				rc = put_batch(&j, &ag, pending, &base, 0, err);
				pending = NULL;
				if (rc)
					goto done;
			}
			if ((rc = put_batch(&j, &ag, b, &base, got == 0, err)))
				goto done;
			used = b->used_bytes;
		}
		j.have -= used;
		memcpy(bufs[(seq + 1) % NBUF], j.buf + used, j.have);
		j.buf = bufs[(seq + 1) % NBUF];
		progress(&j);
		if (!got)
			break;
	}
	parser_stop(&ps);
	j.line = base;
	hasher_stop(&hs);
	if ((rc = aggr_wait(&ag, err)))
		goto done;
	aggr_stop(&ag);
	out->lines = j.line;
	out->held = j.partial && j.have > 0;
	if (start > 0 && j.line == out->skipped && out->held) {
		/* read on from an earlier batch, and all that came since is a
		 * line still being written: nothing new yet (not the same
		 * content again) */
		int64_t since = 0;
		for (size_t i = 0; i < nseen; i++)
			if (seen[i].length == start)
				since = seen[i].batch;
		mr_buf_printf(&out->notes, "merit: %s: nothing new since batch %lld (after the "
		              "file's first %lld lines); its last line has no newline yet (it was changed in the "
		              "last 5 minutes): left for the next run; skipped\n", j.name,
		              (long long)since, (long long)out->skipped);
		out->empty = 1;
		rc = mr_store_batch_discard(s, out->batch, err);
		out->batch = 0;
		goto done;
	}
	if (start == 0 && j.line == 0) {
		/* no whole line in a long first line still being written */
		mr_buf_printf(&out->notes, "merit: %s: %s; skipped\n", j.name,
		              out->bytes || j.have ? "no complete line yet" : "empty");
		out->empty = 1;
		rc = mr_store_batch_discard(s, out->batch, err);
		out->batch = 0;
		goto done;
	}
	if (out->failed && !out->requests && !out->seen) {
		rc = mr_err_set(err, MR_EINVALID, "%s: none of its %lld %slines matches the log format "
		                "%s (is it another format? %s, or a format string)",
		                j.name, out->failed, start ? "new " : "", out->format,
		                mr_log_format_names);
		goto done;
	}
	rec.batch = out->batch;
	rec.length = start + out->bytes;
	rec.lines = j.line;
	if ((rc = peek_sha(j.sha, rec.sha256))) {
		rc = mr_err_nomem(err);
		goto done;
	}
	rc = mr_store_batch_find(s, "logs", rec.sha256, &old, err);
	if (rc == 0) {
		out->same_as = old;
		rc = mr_err_set(err, MR_EEXISTS, "%s: this content was ingested already as batch "
		                "%lld", j.name, (long long)old);
		mr_err_hint(err, MR_HINT_FILE_IMPORTED, "remove it with `merit batch rm %lld` to "
		            "ingest it again", (long long)old);
		goto done;
	}
	if (rc != MR_ENOTFOUND)
		goto done;
	if (out->seen && !out->requests && !out->failed) {
		/* every line was counted before: nothing new, no batch */
		mr_buf_printf(&out->notes, "merit: %s: all its %lld %slines were ingested before "
		              "(by earlier batches); nothing new\n", j.name, out->seen,
		              start ? "new " : "");
		out->empty = 1;
		rc = mr_store_batch_discard(s, out->batch, err);
		out->batch = 0;
		goto done;
	}
	if ((rc = mr_log_agg_finish(j.agg, &out->days, err)) ||
	    (rc = mr_log_lines_finish(j.seen, err))) {
		mr_err_prefix(err, "%s", j.name);
		goto done;
	}
	if ((rc = mr_store_log_seen_add(s, &rec, err)) ||
	    (rc = mr_store_batch_finish(s, out->batch, out->requests + out->failed, rec.sha256,
	                                err)))
		goto done;
done:
	parser_stop(&ps);
	hasher_stop(&hs);
	aggr_stop(&ag);
	for (int i = 0; i < NBUF; i++) {
		batch_release(&bat[i]);
		free(bufs[i]);
	}
	if (rc && !err->msg)
		mr_err_set(err, rc, "%s: %s", j.name, mr_err_str(rc));
	mr_log_agg_free(j.agg);
	mr_log_lines_free(j.seen);
	mr_log_format_free(j.own);
	free(seen);
	free(j.agg_line);
	EVP_MD_CTX_free(j.sha);
	if (j.g)
		gzclose(j.g);
	return rc;
}

/* csv.c — stream CSV records with their line numbers, over libcsv.
 *
 * libcsv knows fields, not lines; we feed it one physical line at a time
 * and count, so a record's first line is the current line minus the
 * newlines its first field spans.
 */
#include "ingest/csv.h"

#include <csv.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>

#include "util/buf.h"

struct reader {
	const char *path;
	mr_csv_fn fn;
	void *payload;
	mr_err *err;
	int rc;
	long line;             /* line being fed */
	long start;            /* first line of the record being built */
	mr_buf text;           /* fields, NUL-separated */
	size_t *offs;          /* field offsets into text */
	size_t nf, capf;
	char **ptrs;
	size_t capp;
};

static void on_field(void *data, size_t len, void *payload)
{
	struct reader *r = payload;
	if (r->rc)
		return;
	if (len > MR_CSV_MAX_FIELD) {
		r->rc = mr_err_set(r->err, MR_EINVALID, "%s:%ld:%zu: field longer than %u KiB",
		                   r->path, r->line, r->nf + 1, MR_CSV_MAX_FIELD >> 10);
		return;
	}
	if (r->nf == 0) {
		long nl = 0;
		for (size_t i = 0; i < len; i++)
			nl += ((const char *)data)[i] == '\n';
		r->start = r->line - nl;
	}
	if (r->nf == r->capf) {
		size_t cap = r->capf ? r->capf * 2 : 16;
		size_t *o = realloc(r->offs, cap * sizeof *o);
		if (!o) {
			r->rc = mr_err_set(r->err, MR_ENOMEM, "%s: out of memory", r->path);
			return;
		}
		r->offs = o;
		r->capf = cap;
	}
	r->offs[r->nf++] = r->text.len;
	mr_buf_add(&r->text, data ? data : "", data ? len : 0);
	mr_buf_putc(&r->text, 0);
	if (mr_buf_oom(&r->text))
		r->rc = mr_err_set(r->err, MR_ENOMEM, "%s: out of memory", r->path);
}

static void on_record(int c, void *payload)
{
	struct reader *r = payload;
	(void)c;
	if (r->rc)
		goto reset;
	if (r->nf > r->capp) {
		char **p = realloc(r->ptrs, r->nf * sizeof *p);
		if (!p) {
			r->rc = mr_err_set(r->err, MR_ENOMEM, "%s: out of memory", r->path);
			goto reset;
		}
		r->ptrs = p;
		r->capp = r->nf;
	}
	for (size_t i = 0; i < r->nf; i++)
		r->ptrs[i] = r->text.data + r->offs[i];
	mr_csv_row row = { r->start, r->nf, r->ptrs };
	r->rc = r->fn(&row, r->payload, r->err);
reset:
	r->nf = 0;
	mr_buf_reset(&r->text);
}

int mr_csv_each(const char *path, mr_csv_fn fn, void *payload, char *sha256_hex,
                const mr_progress *progress, mr_err *err)
{
	return mr_csv_each_as(path, NULL, fn, payload, sha256_hex, progress, err);
}

int mr_csv_each_as(const char *path, const char *name, mr_csv_fn fn, void *payload,
                   char *sha256_hex,
                const mr_progress *progress, mr_err *err)
{
	unsigned long long done = 0, total = 0;
	struct stat sb;
	struct csv_parser p;
	struct reader r;
	crypto_hash_sha256_state sha;
	char buf[65536];
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	int first = 1;

	if (!f)
		return mr_err_set(err, MR_EIO, "%s: %s", name ? name : path, strerror(errno));
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
		total = (unsigned long long)sb.st_size;
	memset(&r, 0, sizeof r);
	r.path = name ? name : is_stdin ? "(stdin)" : path;
	r.fn = fn;
	r.payload = payload;
	r.err = err;
	r.line = 1;
	mr_buf_init(&r.text);
	crypto_hash_sha256_init(&sha);
	if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0) {
		if (!is_stdin)
			fclose(f);
		return mr_err_set(err, MR_ENOMEM, "out of memory");
	}
	size_t n;
	while (!r.rc && (n = fread(buf, 1, sizeof buf, f)) > 0) {
		crypto_hash_sha256_update(&sha, (const unsigned char *)buf, n);
		done += n;
		if (progress && progress->fn)
			progress->fn(done, total, progress->payload);
		const char *s = buf, *end = buf + n;
		if (first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
			s += 3;
		first = 0;
		while (!r.rc && s < end) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t len = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
			if (csv_parse(&p, s, len, on_field, on_record, &r) != len && !r.rc) {
				if (csv_error(&p) == CSV_EPARSE)   /* the one strict-mode error */
					r.rc = mr_err_set(err, MR_EINVALID, "%s:%ld:%zu: a misplaced quote in "
					                  "field %zu: a field with a quote must be quoted "
					                  "whole, its own quotes doubled (\"a \"\"b\"\" c\")",
					                  r.path, r.line, r.nf + 1, r.nf + 1);
				else
					r.rc = mr_err_set(err, csv_error(&p) == CSV_ENOMEM ? MR_ENOMEM
					                  : MR_EINVALID, "%s:%ld: %s", r.path, r.line,
					                  csv_strerror(csv_error(&p)));
			}
			s += len;
			if (nl)
				r.line++;
		}
	}
	if (!r.rc && ferror(f))
		r.rc = mr_err_set(err, MR_EIO, "%s: read error: %s", r.path, strerror(errno));
	/* a quote still open at the end: the file was cut off.  The open
	 * field's text so far is libcsv's entry buffer; its newlines count
	 * back to the line its quote opened on. */
	long opened = r.line;
	for (size_t i = 0; p.entry_buf && i < p.entry_pos; i++)
		opened -= p.entry_buf[i] == '\n';
	if (!r.rc && csv_fini(&p, on_field, on_record, &r) != 0 && !r.rc)
		r.rc = mr_err_set(err, MR_EINVALID, "%s:%ld: the file ends inside a quoted field "
		                  "(opened on line %ld): is it cut off?", r.path, r.line, opened);
	csv_free(&p);
	if (!is_stdin)
		fclose(f);
	if (!r.rc && sha256_hex) {
		unsigned char h[crypto_hash_sha256_BYTES];
		crypto_hash_sha256_final(&sha, h);
		sodium_bin2hex(sha256_hex, 65, h, sizeof h);
	}
	mr_buf_release(&r.text);
	free(r.offs);
	free(r.ptrs);
	return r.rc;
}

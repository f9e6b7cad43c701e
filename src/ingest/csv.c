/* csv.c — stream CSV records with their line numbers, over libcsv; text
 * in whatever encoding, decoded to UTF-8 on the way (iconv, glibc's).
 *
 * The pipeline, per chunk of raw bytes: hash them (the batch's identity);
 * decode (UTF-8 passes as it is; UTF-16 and GB18030 and any --encoding
 * through iconv, an incomplete character carried to the next chunk); undo
 * ="…" outside quotes (Taobao writes ="123" bare, which strict CSV refuses);
 * then feed libcsv one physical line at a time and count, so a record's
 * first line is the current line minus the newlines its first field spans.
 *
 * The encoding, when not told: a byte-order mark says it (UTF-8, UTF-16LE,
 * UTF-16BE); else ASCII passes until the first byte over 0x7F, and the
 * next 4 KiB (at least) decide: valid UTF-8 is UTF-8, else GB18030 (which
 * GBK is a part of) when it decodes cleanly, else UTF-8 again, so that
 * each row with bad bytes is an error at its line and column asking for
 * --encoding (or skipped with --skip-bad).  A byte a told or detected
 * encoding cannot decode stops the import with its byte offset and line.
 * Nothing is read twice, so standard input works the same.
 *
 * Memory is bounded whatever the input: libcsv keeps the field being
 * built in its entry buffer, so after each line fed the buffer's length
 * is checked against MR_CSV_MAX_FIELD (a stray quote used to swallow the
 * rest of the file first), and a record against MR_CSV_MAX_RECORD and
 * MR_CSV_MAX_FIELDS.
 */
#include "ingest/csv.h"
#include "util/vec.h"
#include "util/ascii.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>

#include "ingest/sheet.h"
#include "util/buf.h"
#include "util/utf8.h"

#define CHUNK 65536

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
	struct csv_parser p;
	unsigned char delim;   /* 0 until the first line decided it */
	mr_buf first;          /* the first line, held until it decides the delimiter */
	int lex;               /* the ="…" lexer's state (LEX_*) */
	int begun;             /* some text fed: a byte-order mark is no longer first */
	char *lexbuf;          /* CHUNK + 1 bytes (struct work) */
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
	if (r->nf >= MR_CSV_MAX_FIELDS || r->text.len + len >= MR_CSV_MAX_RECORD) {
		r->rc = mr_err_set(r->err, MR_EINVALID, "%s:%ld: a record of more than %u fields "
		                   "or %u MiB: is this a CSV file?", r->path, r->line,
		                   MR_CSV_MAX_FIELDS, MR_CSV_MAX_RECORD >> 20);
		return;
	}
	if (r->nf == 0) {
		long nl = 0;
		for (size_t i = 0; i < len; i++)
			nl += ((const char *)data)[i] == '\n';
		r->start = r->line - nl;
	}
	if (mr_vec_grow(&r->offs, &r->capf, r->nf, sizeof *r->offs)) {
		r->rc = mr_err_set(r->err, MR_ENOMEM, "%s: out of memory", r->path);
		return;
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
	if (mr_vec_reserve(&r->ptrs, &r->capp, 0, r->nf, sizeof *r->ptrs)) {
		r->rc = mr_err_set(r->err, MR_ENOMEM, "%s: out of memory", r->path);
		goto reset;
	}
	for (size_t i = 0; i < r->nf; i++) {
		r->ptrs[i] = r->text.data + r->offs[i];
		mr_cell_unquirk(r->ptrs[i]);
	}
	mr_csv_row row = { r->start, r->nf, r->ptrs, NULL };
	r->rc = r->fn(&row, r->payload, r->err);
reset:
	r->nf = 0;
	mr_buf_reset(&r->text);
}

/* ---- spreadsheet quirks in a cell ---- */

void mr_cell_unquirk(char *s)
{
	size_t n = strlen(s), a = 0;
	while (a < n && s[a] == '\t')
		a++;
	while (n > a && s[n - 1] == '\t')
		n--;
	if (n - a >= 3 && s[a] == '=' && s[a + 1] == '"' && s[n - 1] == '"') {
		size_t o = 0;                      /* ="12""3" → 12"3 */
		for (size_t i = a + 2; i < n - 1; i++) {
			s[o++] = s[i];
			if (s[i] == '"' && s[i + 1] == '"')
				i++;
		}
		s[o] = 0;
		return;
	}
	if (n - a == 5 && s[a] == '\'' && mr_ascii_ncasecmp(s + a + 1, "null", 4) == 0)
		a = n;
	else if (n > a && s[a] == '\'')
		a++;
	memmove(s, s + a, n - a);
	s[n - a] = 0;
}

void mr_col_letters(char out[8], long col)
{
	char t[8];
	int n = 0;
	while (col > 0 && n < 7) {
		t[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (int i = 0; i < n; i++)
		out[i] = t[n - 1 - i];
	out[n] = 0;
}

/* ---- feeding libcsv ---- */

static int bad_parse(struct reader *r)
{
	if (csv_error(&r->p) == CSV_EPARSE)   /* the one strict-mode error */
		return mr_err_set(r->err, MR_EINVALID, "%s:%ld:%zu: a misplaced quote in "
		                  "field %zu: a field with a quote must be quoted "
		                  "whole, its own quotes doubled (\"a \"\"b\"\" c\")",
		                  r->path, r->line, r->nf + 1, r->nf + 1);
	return mr_err_set(r->err, csv_error(&r->p) == CSV_ENOMEM ? MR_ENOMEM : MR_EINVALID,
	                  "%s:%ld: %s", r->path, r->line, csv_strerror(csv_error(&r->p)));
}

/* The line the open field began on: its newlines counted back. */
static long field_opened(const struct reader *r)
{
	long opened = r->line;
	for (size_t i = 0; r->p.entry_buf && i < r->p.entry_pos; i++)
		opened -= r->p.entry_buf[i] == '\n';
	return opened;
}

/* Whole lines to libcsv, the field being built checked after each. */
static void feed_lines(struct reader *r, const char *s, size_t n)
{
	const char *end = s + n;
	while (!r->rc && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
		if (csv_parse(&r->p, s, len, on_field, on_record, r) != len && !r->rc)
			r->rc = bad_parse(r);
		s += len;
		if (nl)
			r->line++;
		if (!r->rc && r->p.entry_pos > MR_CSV_MAX_FIELD) {
			long opened = field_opened(r);
			r->rc = mr_err_set(r->err, MR_EINVALID, "%s:%ld:%zu: field longer than %u KiB%s",
			                   r->path, opened, r->nf + 1, MR_CSV_MAX_FIELD >> 10,
			                   opened < r->line ? ": its quote opens here; is it not closed?"
			                                    : "");
		}
	}
}

/* The delimiter, from the first line: TAB when it has more TABs than
 * commas outside quotes, else comma. */
static void decide_delim(struct reader *r)
{
	size_t tabs = 0, commas = 0;
	int q = 0;
	for (size_t i = 0; i < r->first.len; i++) {
		char c = r->first.data[i];
		q ^= c == '"';
		tabs += !q && c == '\t';
		commas += !q && c == ',';
	}
	r->delim = tabs > commas ? '\t' : ',';
	csv_set_delim(&r->p, r->delim);
	feed_lines(r, r->first.data, r->first.len);
	mr_buf_release(&r->first);
}

/* ="…" outside quotes: the = dropped, so libcsv reads a quoted field. */
enum { LEX_START, LEX_BARE, LEX_QUOTED, LEX_QUOTE, LEX_EQ };

static void feed(struct reader *r, const char *s, size_t n)
{
	char *out = r->lexbuf;
	size_t o = 0;
	if (!r->begun && n) {              /* U+FEFF first, in whatever encoding it came */
		r->begun = 1;
		if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, n -= 3;
	}
	while (n && !r->rc) {
		size_t take = n < CHUNK ? n : CHUNK;
		o = 0;
		for (size_t i = 0; i < take; i++) {
			char c = s[i];
			int end = c == '\n' || (r->delim ? c == (char)r->delim : c == ',' || c == '\t');
			switch (r->lex) {
			case LEX_EQ:
				if (c == '"') {
					r->lex = LEX_QUOTED;
					break;
				}
				out[o++] = '=';
				r->lex = end ? LEX_START : LEX_BARE;
				break;
			case LEX_START:
				if (c == '=') {
					r->lex = LEX_EQ;
					continue;
				}
				r->lex = c == '"' ? LEX_QUOTED : end || c == ' ' ? LEX_START : LEX_BARE;
				break;
			case LEX_BARE:
				r->lex = end ? LEX_START : LEX_BARE;
				break;
			case LEX_QUOTED:
				r->lex = c == '"' ? LEX_QUOTE : LEX_QUOTED;
				break;
			case LEX_QUOTE:
				r->lex = c == '"' ? LEX_QUOTED : end ? LEX_START : LEX_BARE;
				break;
			}
			out[o++] = c;
		}
		s += take;
		n -= take;
		if (r->delim) {
			feed_lines(r, out, o);
			continue;
		}
		/* the first line is held until it ends (or grows past a chunk) */
		const char *nl = memchr(out, '\n', o);
		size_t head = nl ? (size_t)(nl - out) + 1 : o;
		mr_buf_add(&r->first, out, head);
		if (mr_buf_oom(&r->first)) {
			r->rc = mr_err_set(r->err, MR_ENOMEM, "%s: out of memory", r->path);
			return;
		}
		if (nl || r->first.len >= CHUNK) {
			decide_delim(r);
			feed_lines(r, out + head, o - head);
		}
	}
}

/* ---- decoding ---- */

enum { DEC_DETECT, DEC_UTF8, DEC_ICONV };
#define HOLD 4096                        /* detection wants at least this much */

struct work {                            /* on the heap: web threads have small stacks */
	char raw[CHUNK];
	char det[CHUNK + HOLD];              /* undecided: a short tail held with the next chunk */
	char in[CHUNK + 16];
	char out[4 * CHUNK + 64];            /* any encoding to UTF-8 grows at most 4× */
	char lex[CHUNK + 1];                 /* feed()'s: ="…" undone */
};

struct decoder {
	int mode;
	iconv_t cd;
	const char *name;            /* the encoding, for messages */
	char carry[16];              /* an incomplete character, to the next chunk */
	size_t ncarry;
	size_t nhold;                /* undecided: bytes of det held */
	unsigned long long off;      /* raw offset of the next byte handed in */
	struct work *w;
};

static int dec_open(struct decoder *d, struct reader *r, const char *name, int told)
{
	d->name = name;
	if (mr_ascii_casecmp(name, "UTF-8") == 0 || mr_ascii_casecmp(name, "UTF8") == 0) {
		d->mode = DEC_UTF8;
		return 0;
	}
	d->cd = iconv_open("UTF-8", name);
	if (d->cd == (iconv_t)-1) {
		mr_err_set(r->err, MR_EINVALID, "%s: %s \"%s\" is not an encoding this system knows "
		           "(UTF-8, UTF-16LE, GB18030, GBK, BIG5, WINDOWS-1252, …)", r->path,
		           told ? "the encoding given" : "encoding", name);
		mr_err_hint(r->err, MR_HINT_NONE, "`iconv -l` lists them");
		return MR_EINVALID;
	}
	d->mode = DEC_ICONV;
	return 0;
}

/* s[0..n) through iconv (the carried bytes before it); last: nothing
 * follows.  An undecodable byte stops with its raw offset. */
static void dec_iconv(struct decoder *d, struct reader *r, const char *s, size_t n, int last)
{
	char *in = d->w->in, *out = d->w->out;
	unsigned long long base = d->off - d->ncarry;   /* raw offset of in[0] */
	size_t nin = d->ncarry;
	memcpy(in, d->carry, d->ncarry);
	while (!r->rc) {
		size_t take = n < CHUNK ? n : CHUNK;
		memcpy(in + nin, s, take);
		nin += take;
		s += take;
		n -= take;
		d->off += take;
		char *ip = in, *op = out;
		size_t il = nin, ol = sizeof d->w->out;
		int e = iconv(d->cd, &ip, &il, &op, &ol) == (size_t)-1 ? errno : 0;
		feed(r, out, (size_t)(op - out));
		if (r->rc)
			return;
		if (e == EILSEQ || (e == EINVAL && last && !n)) {
			r->rc = mr_err_set(r->err, MR_EINVALID, "%s:%ld: byte %llu (0x%02X) is not "
			                   "%s%s", r->path, r->line, base + (unsigned long long)(ip - in),
			                   (unsigned)(unsigned char)*ip, d->name,
			                   e == EINVAL ? " (the file ends inside a character)" : "");
			mr_err_hint(r->err, MR_HINT_ENCODING, "say the file's encoding with --encoding "
			            "NAME (GB18030, UTF-16LE, BIG5, WINDOWS-1252, …)");
			return;
		}
		if (il > sizeof d->carry) {           /* E2BIG cannot be: out is 4× in */
			r->rc = mr_err_set(r->err, MR_EINVALID, "%s: decoding from %s stalled",
			                   r->path, d->name);
			return;
		}
		base += (unsigned long long)(ip - in);
		memmove(in, ip, il);
		nin = il;
		if (!n)
			break;
	}
	memcpy(d->carry, in, nin);
	d->ncarry = nin;
}

/* Undecided: ASCII passes; from the first byte over 0x7F on, at least
 * HOLD bytes (or the rest of the file) pick GB18030, or else UTF-8. */
static void dec_detect(struct decoder *d, struct reader *r, const char *s, size_t n, int last)
{
	char *det = d->w->det;
	memcpy(det + d->nhold, s, n);
	n += d->nhold;
	d->nhold = 0;
	size_t i = 0;
	while (i < n && !((unsigned char)det[i] & 0x80))
		i++;
	feed(r, det, i);
	d->off += i;
	if (r->rc || i == n)
		return;
	const unsigned char *u = (const unsigned char *)det + i;
	size_t rest = n - i, bad = mr_utf8_bad(u, rest);
	if (rest < HOLD && !last) {
		memmove(det, det + i, rest);
		d->nhold = rest;
		return;
	}
	if (bad == rest || (!last && rest - bad < 4)) {
		d->mode = DEC_UTF8;
		d->name = "UTF-8";
		feed(r, det + i, rest);
		d->off += rest;
		return;
	}
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	int clean = 0;
	if (cd != (iconv_t)-1) {
		char *ip = det + i, *op = d->w->out;
		size_t il = rest, ol = sizeof d->w->out;
		clean = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 || (errno == EINVAL && !last);
		iconv_close(cd);
	}
	if (!clean) {
		/* neither: read as UTF-8, so each bad row is told (or skipped with
		 * --skip-bad) at its line and column, asking for --encoding */
		d->mode = DEC_UTF8;
		d->name = "UTF-8";
		feed(r, det + i, rest);
		d->off += rest;
		return;
	}
	if (dec_open(d, r, "GB18030", 0))
		r->rc = MR_EINVALID;
	else
		dec_iconv(d, r, det + i, rest, last);
}

/* ---- the reader ---- */

int mr_csv_each(const char *path, mr_csv_fn fn, void *payload, char *sha256_hex,
                const mr_progress *progress, mr_err *err)
{
	return mr_rows_each(path, NULL, fn, payload, sha256_hex, progress, err);
}

int mr_csv_each_as(const char *path, const char *name, mr_csv_fn fn, void *payload,
                   char *sha256_hex, const mr_progress *progress, mr_err *err)
{
	mr_read_opts ro = { name, NULL, NULL };
	return mr_rows_each(path, &ro, fn, payload, sha256_hex, progress, err);
}

static int has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);
	return n > e && mr_ascii_casecmp(path + n - e, ext) == 0;
}

int mr_rows_each(const char *path, const mr_read_opts *ro, mr_csv_fn fn, void *payload,
                 char *sha256_hex, const mr_progress *progress, mr_err *err)
{
	unsigned long long done = 0, total = 0;
	struct stat sb;
	struct reader r;
	struct decoder d;
	crypto_hash_sha256_state sha;
	const char *name = ro ? ro->name : NULL;
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	int first = 1, sheet = 0;

	if (!f)
		return mr_err_set(err, MR_EIO, "%s: %s", name ? name : path, strerror(errno));
	memset(&r, 0, sizeof r);
	struct work *w = malloc(sizeof *w);
	if (!w || csv_init(&r.p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(w);
		if (!is_stdin)
			fclose(f);
		return mr_err_nomem(err);
	}
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
		total = (unsigned long long)sb.st_size;
	memset(&d, 0, sizeof d);
	d.cd = (iconv_t)-1;
	d.w = w;
	r.lexbuf = w->lex;
	r.path = name ? name : is_stdin ? "(stdin)" : path;
	r.fn = fn;
	r.payload = payload;
	r.err = err;
	r.line = 1;
	mr_buf_init(&r.text);
	mr_buf_init(&r.first);
	crypto_hash_sha256_init(&sha);
	if (ro && ro->encoding && *ro->encoding && dec_open(&d, &r, ro->encoding, 1))
		r.rc = MR_EINVALID;
	size_t n;
	while (!r.rc && (n = fread(w->raw, 1, sizeof w->raw, f)) > 0) {
		int last = n < sizeof w->raw && (feof(f) || ferror(f));
		if (first && (mr_sheet_kind((const unsigned char *)w->raw, n) ||
		              has_ext(r.path, ".xlsx") || (ro && ro->sheet && *ro->sheet))) {
			sheet = 1;                 /* a spreadsheet: below */
			break;
		}
		crypto_hash_sha256_update(&sha, (const unsigned char *)w->raw, n);
		done += n;
		if (progress && progress->fn)
			progress->fn(done, total, progress->payload);
		/* a UTF-16 byte-order mark says the encoding (iconv keeps the
		 * mark, which feed() drops as it does UTF-8's); without one, NULs
		 * beside the first two ASCII characters do */
		const unsigned char *u = (const unsigned char *)w->raw;
		const char *u16 = NULL;
		if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE)
			u16 = "UTF-16LE";
		else if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF)
			u16 = "UTF-16BE";
		else if (n >= 4 && u[0] && u[0] < 0x80 && !u[1] && u[2] && u[2] < 0x80 && !u[3])
			u16 = "UTF-16LE";
		else if (n >= 4 && !u[0] && u[1] && u[1] < 0x80 && !u[2] && u[3] && u[3] < 0x80)
			u16 = "UTF-16BE";
		if (first && d.mode == DEC_DETECT && u16 && dec_open(&d, &r, u16, 0))
			r.rc = MR_EINVALID;
		/* told UTF-16, but no NUL beside its commas and line ends, as
		 * UTF-16 text of them has: read so, it would be one long field */
		if (first && d.mode == DEC_ICONV && ro && ro->encoding && !u16 &&
		    (!mr_ascii_ncasecmp(ro->encoding, "UTF-16", 6) || !mr_ascii_ncasecmp(ro->encoding, "UCS-2", 5)) &&
		    !memchr(u, 0, n < 4096 ? n : 4096))
			r.rc = mr_err_set(err, MR_EINVALID, "%s: --encoding %s, but it is not UTF-16 "
			                  "text: its commas and line ends are single bytes (UTF-8 or "
			                  "GB18030? leave --encoding out and it is told apart)", r.path,
			                  ro->encoding);
		if (r.rc)
			break;
		if (d.mode == DEC_DETECT)
			dec_detect(&d, &r, w->raw, n, last);
		else if (d.mode == DEC_ICONV)
			dec_iconv(&d, &r, w->raw, n, last);
		else
			feed(&r, w->raw, n);
		first = 0;
	}
	if (!r.rc && ferror(f))
		r.rc = mr_err_set(err, MR_EIO, "%s: read error: %s", r.path, strerror(errno));
	if (!r.rc && !sheet) {
		if (d.mode == DEC_DETECT && d.nhold)
			dec_detect(&d, &r, "", 0, 1);
		else if (d.mode == DEC_ICONV && d.ncarry)
			dec_iconv(&d, &r, "", 0, 1);
	}
	if (!r.rc && r.first.len)
		decide_delim(&r);
	if (!r.rc && r.lex == LEX_EQ)
		feed_lines(&r, "=", 1);
	/* a quote still open at the end: the file was cut off.  The open
	 * field's text so far is libcsv's entry buffer; its newlines count
	 * back to the line its quote opened on. */
	long opened = field_opened(&r);
	if (!r.rc && !sheet && csv_fini(&r.p, on_field, on_record, &r) != 0 && !r.rc)
		r.rc = mr_err_set(err, MR_EINVALID, "%s:%ld: the file ends inside a quoted field "
		                  "(opened on line %ld): is it cut off?", r.path, r.line, opened);
	csv_free(&r.p);
	if (d.cd != (iconv_t)-1)
		iconv_close(d.cd);
	if (!is_stdin)
		fclose(f);
	if (!r.rc && sha256_hex && !sheet) {
		unsigned char h[crypto_hash_sha256_BYTES];
		crypto_hash_sha256_final(&sha, h);
		sodium_bin2hex(sha256_hex, 65, h, sizeof h);
	}
	mr_buf_release(&r.text);
	mr_buf_release(&r.first);
	free(r.offs);
	free(r.ptrs);
	free(w);
	if (sheet && is_stdin)
		return mr_err_set(err, MR_EINVALID, "%s: a spreadsheet is read from a file, not "
		                  "from standard input: name the file", r.path);
	if (sheet)
		return mr_sheet_each(path, ro, fn, payload, sha256_hex, progress, err);
	return r.rc;
}

/* sheet.c — what the spreadsheet readers share: telling the kind of file,
 * its content hash, rows as wide as the header, cells as a CSV export
 * would write them, Excel's serial days, and where a cell is in words.
 */
#include "ingest/sheet.h"
#include "util/vec.h"

#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "util/utf8.h"

int mr_sheet_kind(const unsigned char *p, size_t n)
{
	if (n >= 4 && memcmp(p, "PK\3\4", 4) == 0)
		return 1;
	if (n >= 8 && memcmp(p, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return 2;
	return 0;
}

/* The raw bytes' SHA-256 (the batch's identity) and the kind. */
static int hash_file(const char *path, const char *name, char *sha256_hex, int *kind,
                     const mr_progress *progress, mr_err *err)
{
	unsigned char buf[16384], h[crypto_hash_sha256_BYTES];
	unsigned long long done = 0, total = 0;
	crypto_hash_sha256_state sha;
	FILE *f = fopen(path, "rb");
	size_t n;
	if (!f)
		return mr_err_set(err, MR_EIO, "%s: %s", name, strerror(errno));
	if (fseek(f, 0, SEEK_END) == 0 && ftell(f) > 0)
		total = (unsigned long long)ftell(f);
	rewind(f);
	crypto_hash_sha256_init(&sha);
	*kind = 0;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (!done)
			*kind = mr_sheet_kind(buf, n);
		crypto_hash_sha256_update(&sha, buf, n);
		done += n;
		if (progress && progress->fn)
			progress->fn(done, total, progress->payload);
	}
	int bad = ferror(f), e = errno;   /* a directory: EISDIR */
	fclose(f);
	if (bad)
		return mr_err_set(err, MR_EIO, "%s: read error: %s", name, strerror(e));
	crypto_hash_sha256_final(&sha, h);
	if (sha256_hex)
		sodium_bin2hex(sha256_hex, 65, h, sizeof h);
	return 0;
}

int mr_sheet_each(const char *path, const mr_read_opts *ro, mr_csv_fn fn, void *payload,
                  char *sha256_hex, const mr_progress *progress, mr_err *err)
{
	const char *name = ro && ro->name ? ro->name : path;
	const char *want = ro && ro->sheet && *ro->sheet ? ro->sheet : NULL;
	int kind, rc;
	if ((rc = hash_file(path, name, sha256_hex, &kind, progress, err)))
		return rc;
	if (!kind && want)
		return mr_err_set(err, MR_EINVALID, "%s: sheet \"%s\": this is a text file, not a "
		                  "spreadsheet (.xlsx or .xls)", name, want);
	if (!kind)
		return mr_err_set(err, MR_EINVALID, "%s: not an .xlsx file (which is a zip "
		                  "archive): save it from the spreadsheet as .xlsx or as CSV", name);
	if (ro && ro->encoding && *ro->encoding)
		return mr_err_set(err, MR_EINVALID, "%s: a text encoding is for text files; a "
		                  "spreadsheet's text is Unicode already", name);
	return kind == 1 ? mr_xlsx_each(path, name, want, fn, payload, err)
	                 : mr_xls_each(path, name, want, fn, payload, err);
}

/* ---- rows ---- */

void mr_sheet_rows_init(mr_sheet_rows *sr, const char *path, const char *sheet, mr_csv_fn fn,
                        void *payload, mr_err *err)
{
	memset(sr, 0, sizeof *sr);
	sr->path = path;
	sr->sheet = sheet;
	sr->fn = fn;
	sr->payload = payload;
	sr->err = err;
	mr_buf_init(&sr->text);
}

void mr_sheet_rows_release(mr_sheet_rows *sr)
{
	mr_buf_release(&sr->text);
	free(sr->offs);
	free(sr->ptrs);
}

void mr_sheet_where(char *out, size_t cap, const char *path, const char *sheet, long row,
                    long col)
{
	char letters[8];
	if (col < 0) {          /* the whole row */
		snprintf(out, cap, "%s: sheet %s, row %ld", path, sheet, row);
		return;
	}
	mr_col_letters(letters, col + 1);
	snprintf(out, cap, "%s: sheet %s, row %ld, column %s", path, sheet, row, letters);
}

int mr_sheet_cell(mr_sheet_rows *sr, long col, const char *text, size_t len)
{
	char where[512];
	if (col < 0 || col >= MR_SHEET_MAX_COLS) {
		mr_sheet_where(where, sizeof where, sr->path, sr->sheet, sr->row, 0);
		return mr_err_set(sr->err, MR_EINVALID, "%s: a cell past column XFD, the last a "
		                  "sheet has", where);
	}
	if (!len)
		return 0;
	mr_sheet_where(where, sizeof where, sr->path, sr->sheet, sr->row, col);
	if (len > MR_CSV_MAX_FIELD)
		return mr_err_set(sr->err, MR_EINVALID, "%s: a cell longer than %u KiB", where,
		                  MR_CSV_MAX_FIELD >> 10);
	if (sr->text.len + len >= MR_CSV_MAX_RECORD)
		return mr_err_set(sr->err, MR_EINVALID, "%s: a row longer than %u MiB", where,
		                  MR_CSV_MAX_RECORD >> 20);
	if (mr_utf8_bad((const unsigned char *)text, len) != len || memchr(text, 0, len))
		return mr_err_set(sr->err, MR_EINVALID, "%s: the cell's text is not valid UTF-8 "
		                  "(a damaged file?)", where);
	if ((size_t)col >= sr->ncols &&
	    mr_vec_reserve(&sr->offs, &sr->capcols, sr->ncols, (size_t)col + 1 - sr->ncols, sizeof *sr->offs))
		return mr_err_nomem(sr->err);
	while (sr->ncols <= (size_t)col)
		sr->offs[sr->ncols++] = SIZE_MAX;
	if (sr->offs[col] != SIZE_MAX)
		return mr_err_set(sr->err, MR_EINVALID, "%s: the cell twice (a damaged file?)", where);
	sr->offs[col] = sr->text.len;
	mr_buf_add(&sr->text, text, len);
	mr_buf_putc(&sr->text, 0);
	if (mr_buf_oom(&sr->text))
		return mr_err_nomem(sr->err);
	return 0;
}

int mr_sheet_row_end(mr_sheet_rows *sr)
{
	size_t n = sr->ncols, last = 0;
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		if (sr->offs[i] != SIZE_MAX) {
			mr_cell_unquirk(sr->text.data + sr->offs[i]);
			if (sr->text.data[sr->offs[i]])
				last = i + 1;
		}
	if (!last)
		goto done;                         /* empty cells only: nothing */
	if (!sr->width)
		sr->width = last;                  /* the header */
	n = last > sr->width ? last : sr->width;
	if (mr_vec_reserve(&sr->ptrs, &sr->capp, 0, n, sizeof *sr->ptrs))
		return mr_err_nomem(sr->err);
	for (size_t i = 0; i < n; i++)
		sr->ptrs[i] = i < sr->ncols && sr->offs[i] != SIZE_MAX ? sr->text.data + sr->offs[i]
		                                                       : (char *)"";
	mr_csv_row row = { sr->row, n, sr->ptrs, sr->sheet };
	sr->rows++;
	rc = sr->fn(&row, sr->payload, sr->err);
done:
	sr->ncols = 0;
	mr_buf_reset(&sr->text);
	return rc;
}

/* ---- numbers and days ---- */

void mr_sheet_number(char out[32], double v)
{
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(out, 32, "%.0f", v);
		if (strcmp(out, "-0") == 0)
			snprintf(out, 32, "0");
		return;
	}
	snprintf(out, 32, "%.15g", v);
	if (strtod(out, NULL) != v)
		snprintf(out, 32, "%.17g", v);
}

/* The civil date of days since 1970-01-01 (Howard Hinnant's algorithm). */
static void civil(long long z, int *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int mr_sheet_serial(char out[32], double v, int date1904, int date, int with_time)
{
	if (!(v >= 0) || v > 2958465.99999)             /* past 9999-12-31: not a day */
		return -1;
	long long days = (long long)floor(v);
	long long secs = llround((v - (double)days) * 86400.0);
	if (secs >= 86400)
		days++, secs -= 86400;
	int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60), ss = (int)(secs % 60);
	if (!date) {
		if (v >= 1)
			return -1;
		snprintf(out, 32, "%02d:%02d:%02d", hh, mm, ss);
		return 0;
	}
	int y, m, d;
	if (date1904) {
		civil(days - 24107, &y, &m, &d);           /* 1904-01-01 is day 0 */
	} else if (days == 60) {
		y = 1900, m = 2, d = 29;                    /* Lotus 1-2-3's leap day, kept */
	} else if (days == 0) {
		return -1;                                  /* "1900-01-00" */
	} else {
		/* day 1 is 1900-01-01; from day 61 on one less, for the day 60
		 * that never was: 1899-12-30 + days then */
		civil(days - (days < 60 ? 25568 : 25569), &y, &m, &d);
	}
	if (with_time || secs)
		snprintf(out, 32, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mm, ss);
	else
		snprintf(out, 32, "%04d-%02d-%02d", y, m, d);
	return 0;
}

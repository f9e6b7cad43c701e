/* csv.h — the one row pipeline every importer shares (libcsv underneath
 * for text, sheet.h for spreadsheets).
 *
 * It streams a file (or standard input for "-") record by record, in
 * bounded memory, and tells each record's first line number, so errors
 * can say file:line:column.  Text is UTF-8 (a byte-order mark dropped),
 * UTF-16 (a byte-order mark, or NULs beside ASCII), or GB18030/GBK when
 * it is not UTF-8 and decodes cleanly as that; --encoding names any other
 * (iconv).  A first
 * line with more TABs than commas makes it TAB-separated (Excel's
 * "Unicode text").  .xlsx and .xls files are read by sheet.h, their rows
 * handed on the same way (line = the sheet's row number).  Spreadsheet
 * quirks are undone in every cell: ="123" (text kept as text), a leading
 * apostrophe, 'null, TABs around ids.  The SHA-256 of the raw bytes comes
 * out at the end, for batch identity.
 */
#ifndef MR_CSV_H
#define MR_CSV_H

#include <stddef.h>

#include "util/err.h"

#define MR_CSV_MAX_FIELD (64u << 10)   /* a field longer than 64 KiB is an error */
#define MR_CSV_MAX_RECORD (4u << 20)   /* so is a record over 4 MiB … */
#define MR_CSV_MAX_FIELDS 16384u       /* … or over 16384 fields (Excel's columns) */

typedef struct mr_csv_row {
	long line;            /* 1-based line where the record starts */
	size_t n;             /* fields */
	char **f;             /* NUL-terminated fields, borrowed for the call */
	const char *sheet;    /* a spreadsheet's sheet (line is its row); NULL: text */
} mr_csv_row;

/* Called for each record, the header included; non-zero stops the read
 * and is returned (the callback fills err). */
typedef int (*mr_csv_fn)(const mr_csv_row *row, void *payload, mr_err *err);

/* Told how far the read has got, after each chunk: bytes done and the
 * file's size (0 when unknown, as for a pipe). */
typedef struct mr_progress {
	void (*fn)(unsigned long long done, unsigned long long total, void *payload);
	void *payload;
} mr_progress;

/* sha256_hex, when not NULL, receives the content hash (65 bytes);
 * progress may be NULL. */
int mr_csv_each(const char *path, mr_csv_fn fn, void *payload, char *sha256_hex,
                const mr_progress *progress, mr_err *err);
/* The same, with messages naming the file `name` (NULL: its path). */
int mr_csv_each_as(const char *path, const char *name, mr_csv_fn fn, void *payload,
                   char *sha256_hex, const mr_progress *progress, mr_err *err);


/* How to read a file: mr_rows_each. */
typedef struct mr_read_opts {
	const char *name;      /* the file's name in messages; NULL: its path */
	const char *encoding;  /* --encoding NAME (iconv's names); NULL: detected */
	const char *sheet;     /* --sheet NAME of a spreadsheet; NULL: the first */
} mr_read_opts;

/* Any file the importers take: text in any encoding, .xlsx or .xls (told
 * by their first bytes).  ro may be NULL. */
int mr_rows_each(const char *path, const mr_read_opts *ro, mr_csv_fn fn, void *payload,
                 char *sha256_hex, const mr_progress *progress, mr_err *err);

/* A cell with the spreadsheet quirks undone, in place: TABs around it
 * (Douyin and Youzan prefix ids and phone numbers with one), ="…" (Taobao's
 * order numbers: the text inside, "" read as "), 'null (empty) and one
 * leading apostrophe (Excel's "this is text"). */
void mr_cell_unquirk(char *s);

/* Column number (1-based) as a spreadsheet's letters: 3 → "C". */
void mr_col_letters(char out[8], long col);

#endif

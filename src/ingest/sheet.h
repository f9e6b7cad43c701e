/* sheet.h — spreadsheets as rows: .xlsx (sheet_xlsx.c) and .xls
 * (sheet_xls.c), the first sheet or the one named, handed to a
 * mr_csv_fn as csv.c hands CSV records (line = the sheet's row number,
 * row->sheet its name), so every importer reads them unchanged.
 *
 * Cells become the text a CSV export of the sheet would hold: numbers in
 * their shortest exact form (an integer without ".0"), booleans TRUE and
 * FALSE, dates (a date-formatted number: Excel's serial day, 1900 or 1904
 * system) as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.  Rows are as wide as the
 * header (the first row with a cell): a sheet leaves empty cells out.
 */
#ifndef MR_SHEET_H
#define MR_SHEET_H

#include "ingest/csv.h"
#include "util/buf.h"

/* What the first bytes say: 1 a zip (.xlsx), 2 an OLE2 compound file
 * (.xls), 0 neither. */
int mr_sheet_kind(const unsigned char *p, size_t n);

/* Read the spreadsheet at path (see mr_rows_each). */
int mr_sheet_each(const char *path, const mr_read_opts *ro, mr_csv_fn fn, void *payload,
                  char *sha256_hex, const mr_progress *progress, mr_err *err);

/* ---- for the readers (sheet.c) ---- */

#define MR_SHEET_MAX_COLS 16384          /* Excel's XFD */

/* One sheet's rows being built. */
typedef struct mr_sheet_rows {
	const char *path;          /* the file's name in messages */
	const char *sheet;         /* the sheet's */
	mr_csv_fn fn;
	void *payload;
	mr_err *err;
	long row;                  /* the row being built (1-based) */
	size_t width;              /* the header's cells; 0 before it */
	mr_buf text;               /* the row's cells, NUL-separated */
	size_t *offs;              /* per column: offset into text, or SIZE_MAX (empty) */
	size_t ncols, capcols;
	char **ptrs;
	size_t capp;
	long rows;                 /* rows handed on */
} mr_sheet_rows;

void mr_sheet_rows_init(mr_sheet_rows *sr, const char *path, const char *sheet, mr_csv_fn fn,
                        void *payload, mr_err *err);
void mr_sheet_rows_release(mr_sheet_rows *sr);
/* A cell of the current row: col 0-based, text UTF-8 (checked here). */
int mr_sheet_cell(mr_sheet_rows *sr, long col, const char *text, size_t len);
/* The row is complete: hand it on (a row of empty cells is skipped). */
int mr_sheet_row_end(mr_sheet_rows *sr);

/* A number as a CSV export would write it, into out (32 bytes). */
void mr_sheet_number(char out[32], double v);
/* Excel's serial day v as text: date (YYYY-MM-DD), with_time (…HH:MM:SS),
 * or a time alone when !date; 1904: the 1904 date system.  0, or -1 when
 * v is not a day Excel shows (the number is then written as it is). */
int mr_sheet_serial(char out[32], double v, int date1904, int date, int with_time);
/* Where in the sheet, for messages: "FILE: sheet NAME, row R, column C". */
void mr_sheet_where(char *out, size_t cap, const char *path, const char *sheet, long row,
                    long col);

/* The readers: each picks the sheet (ro->sheet, else the first) and
 * hands its rows to sr's function. */
int mr_xlsx_each(const char *path, const char *name, const char *want, mr_csv_fn fn,
                 void *payload, mr_err *err);
/* The same for an .xlsx in memory (the fuzz target's). */
int mr_xlsx_each_mem(const void *data, size_t n, const char *name, const char *want,
                     mr_csv_fn fn, void *payload, mr_err *err);
int mr_xls_each(const char *path, const char *name, const char *want, mr_csv_fn fn,
                void *payload, mr_err *err);

#endif

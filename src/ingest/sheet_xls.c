/* sheet_xls.c — an .xls (Excel 97–2003, BIFF in an OLE2 file) sheet as
 * rows, through FreeXL (libfreexl-dev), which reads the format and its
 * shared strings, code pages and dates (1900 and 1904 systems: a date
 * cell comes as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS already).
 *
 * FreeXL holds the file's sheets in memory as a grid of cells, as many
 * as a sheet's DIMENSIONS record claims; the format caps a sheet at
 * 65,536 × 256 cells, which a tiny damaged file could claim.  So the
 * workbook is first opened for its metadata only, and a sheet claiming
 * more than XLS_MAX_CELLS cells, or a file over XLS_MAX_FILE, is refused
 * before the cells are read.
 */
#include "ingest/sheet.h"
#include "util/ascii.h"

#include <freexl.h>
#include <sys/stat.h>

#define XLS_MAX_FILE (64u << 20)
#define XLS_MAX_CELLS (4u << 20)

/* The sheet's index (want, or the first), or an error listing them. */
static int pick(const void *h, const char *name, const char *want, unsigned short *which,
                mr_err *err)
{
	unsigned int count = 0;
	const char *sn;
	if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK || !count)
		return mr_err_set(err, MR_EINVALID, "%s: the workbook has no sheets", name);
	*which = 0;
	if (!want)
		return 0;
	for (int pass = 0; pass < 2; pass++)
		for (unsigned short i = 0; i < count; i++)
			if (freexl_get_worksheet_name(h, i, &sn) == FREEXL_OK && sn &&
			    (pass ? mr_ascii_casecmp(sn, want) : strcmp(sn, want)) == 0)
				return *which = i, 0;
	mr_buf b;
	mr_buf_init(&b);
	for (unsigned short i = 0; i < count; i++)
		if (freexl_get_worksheet_name(h, i, &sn) == FREEXL_OK && sn)
			mr_buf_printf(&b, "%s\"%s\"", i ? ", " : "", sn);
	int rc = mr_err_set(err, MR_ENOTFOUND, "%s: no sheet \"%s\"; the workbook's sheets: %s",
	                    name, want, mr_buf_oom(&b) ? "(out of memory)" : b.data);
	mr_buf_release(&b);
	return rc;
}

static int xls_fail(const char *name, int code, mr_err *err)
{
	if (code == FREEXL_BIFF_INVALID_BOF || code == FREEXL_CFBF_INVALID_SIGNATURE)
		return mr_err_set(err, MR_EINVALID, "%s: not an Excel 97-2003 workbook (a Word "
		                  "or other OLE2 file?)", name);
	if (code == FREEXL_BIFF_OBFUSCATED || code == FREEXL_BIFF_INVALID_SST)
		return mr_err_set(err, MR_EINVALID, "%s: the workbook is password-protected or "
		                  "damaged: save it again without a password", name);
	return mr_err_set(err, code == FREEXL_INSUFFICIENT_MEMORY ? MR_ENOMEM : MR_EINVALID,
	                  "%s: not a readable .xls (FreeXL error %d): a damaged file? Save it "
	                  "again from the spreadsheet, or as CSV", name, code);
}

int mr_xls_each(const char *path, const char *name, const char *want, mr_csv_fn fn,
                void *payload, mr_err *err)
{
	const void *h = NULL;
	unsigned short which = 0, cols = 0;
	unsigned int rows = 0, info = 0;
	struct stat sb;
	int rc;
	if (stat(path, &sb) == 0 && (unsigned long long)sb.st_size > XLS_MAX_FILE)
		return mr_err_set(err, MR_EINVALID, "%s: an .xls of %lld MiB, more than merit reads "
		                  "(%u MiB): save the sheet as CSV", name,
		                  (long long)(sb.st_size >> 20), XLS_MAX_FILE >> 20);
	/* metadata first: the sheet's claimed size before any cell is held */
	if ((rc = freexl_open_info(path, &h)) != FREEXL_OK) {
		freexl_close(h);
		return xls_fail(name, rc, err);
	}
	if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
	    info == FREEXL_BIFF_OBFUSCATED) {
		freexl_close(h);
		return xls_fail(name, FREEXL_BIFF_OBFUSCATED, err);
	}
	rc = pick(h, name, want, &which, err);
	freexl_close(h);
	if (rc)
		return rc;
	h = NULL;
	if ((rc = freexl_open(path, &h)) != FREEXL_OK) {
		freexl_close(h);
		return xls_fail(name, rc, err);
	}
	const char *sheet = "?";
	freexl_get_worksheet_name(h, which, &sheet);
	if (freexl_select_active_worksheet(h, which) != FREEXL_OK ||
	    freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
		freexl_close(h);
		return mr_err_set(err, MR_EINVALID, "%s: sheet \"%s\" cannot be read (a damaged "
		                  "file?)", name, sheet);
	}
	if ((unsigned long long)rows * cols > XLS_MAX_CELLS) {
		freexl_close(h);
		return mr_err_set(err, MR_EINVALID, "%s: sheet \"%s\" claims %u rows × %u columns, "
		                  "more than merit reads (%u cells): save it as CSV", name, sheet,
		                  rows, (unsigned)cols, XLS_MAX_CELLS);
	}
	mr_sheet_rows sr;
	mr_sheet_rows_init(&sr, name, sheet, fn, payload, err);
	rc = 0;
	for (unsigned int r = 0; !rc && r < rows; r++) {
		sr.row = (long)r + 1;
		for (unsigned short c = 0; !rc && c < cols; c++) {
			FreeXL_CellValue v;
			char num[32];
			const char *text = NULL;
			if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK)
				continue;
			switch (v.type) {
			case FREEXL_CELL_INT:
				snprintf(num, sizeof num, "%d", v.value.int_value);
				text = num;
				break;
			case FREEXL_CELL_DOUBLE:
				mr_sheet_number(num, v.value.double_value);
				text = num;
				break;
			case FREEXL_CELL_TEXT:
			case FREEXL_CELL_SST_TEXT:
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_DATETIME:
			case FREEXL_CELL_TIME:
				text = v.value.text_value;
				break;
			}
			if (text)
				rc = mr_sheet_cell(&sr, c, text, strlen(text));
		}
		if (!rc)
			rc = mr_sheet_row_end(&sr);
	}
	mr_sheet_rows_release(&sr);
	freexl_close(h);
	return rc;
}

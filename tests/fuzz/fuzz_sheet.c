/* fuzz_sheet.c — libFuzzer target for the .xlsx reader (sheet_xlsx.c):
 * the input is split at "\n--\n" into up to four parts — the sheet's XML,
 * the shared strings, the styles and the workbook (a default for each
 * part not given) — and stored in an in-memory zip with libzip, so the
 * mutations reach the XML handling (expat's events, cell types, serial
 * dates, styles, shared-string indexes, the bounds) rather than dying at
 * the zip's CRC.  An input starting "PK" is read as a zip as it is.  Each
 * row goes through the quirks and UTF-8 checks; a bad file must only ever
 * be an error, with a message.
 *   make fuzz && build/fuzz/fuzz_sheet -max_total_time=300 tests/fuzz/corpus/sheet
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "ingest/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const defaults[] = {
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	"<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>",
	"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>date</t>"
	"</si></sst>",
	"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><numFmts>"
	"<numFmt numFmtId=\"164\" formatCode=\"yyyy/mm/dd hh:mm\"/></numFmts><cellXfs><xf numFmtId=\"0\"/>"
	"<xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>",
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<workbookPr date1904=\"0\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
	"</workbook>",
};
static const char *const names[] = {
	"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml",
};
static const char rels[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"/xl/styles.xml\"/></Relationships>";

static int on_row(const mr_csv_row *row, void *payload, mr_err *err)
{
	size_t *cells = payload;
	(void)err;
	for (size_t i = 0; i < row->n; i++)
		*cells += strlen(row->f[i]) > 0;   /* read every cell */
	return 0;
}

/* Add a part to the archive: the buffer is copied, libzip frees it (an
 * empty part is no buffer: libzip would not free one). */
static void add(zip_t *z, const char *name, const void *p, size_t n)
{
	void *copy = n ? malloc(n) : NULL;
	if (n && !copy)
		abort();
	if (n)
		memcpy(copy, p, n);
	zip_source_t *s = zip_source_buffer(z, n ? copy : "", n, n > 0);
	if (!s || zip_file_add(z, name, s, ZIP_FL_OVERWRITE) < 0)
		abort();
	zip_set_file_compression(z, (zip_uint64_t)zip_name_locate(z, name, 0), ZIP_CM_STORE, 0);
}

/* The parts as an in-memory zip: its bytes in *out (free them). */
static size_t build(const uint8_t *data, size_t size, void **out)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (!z)
		abort();
	zip_source_keep(src);
	const uint8_t *p = data, *end = data + size;
	for (int part = 0; part < 4; part++) {
		const uint8_t *sep = NULL;
		for (const uint8_t *q = p; p && q + 4 <= end; q++)
			if (memcmp(q, "\n--\n", 4) == 0) {
				sep = q;
				break;
			}
		if (p)
			add(z, names[part], p, (size_t)((sep ? sep : end) - p));
		else
			add(z, names[part], defaults[part], strlen(defaults[part]));
		p = sep ? sep + 4 : NULL;
	}
	add(z, "xl/_rels/workbook.xml.rels", rels, sizeof rels - 1);
	if (zip_close(z) < 0)
		abort();
	zip_stat_t st;
	size_t n = 0;
	*out = NULL;
	if (zip_source_open(src) == 0) {
		if (zip_source_stat(src, &st) == 0 && (*out = malloc(st.size ? st.size : 1)))
			n = (size_t)zip_source_read(src, *out, st.size);
		zip_source_close(src);
	}
	zip_source_free(src);
	zip_error_fini(&ze);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mr_err err = MR_ERR_INIT;
	size_t cells = 0;
	void *zipped = NULL;
	int rc;
	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		rc = mr_xlsx_each_mem(data, size, "fuzz.xlsx", NULL, on_row, &cells, &err);
	} else {
		size_t n = build(data, size, &zipped);
		rc = mr_xlsx_each_mem(zipped, n, "fuzz.xlsx", size % 3 == 0 ? "S" : NULL, on_row,
		                      &cells, &err);
	}
	if (rc && (!err.msg || !*err.msg))
		abort();                           /* every failure says why */
	free(zipped);
	mr_err_clear(&err);
	return 0;
}

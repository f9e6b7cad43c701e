/* sheet_xlsx.c — an .xlsx workbook's sheet as rows, streamed.
 *
 * An .xlsx is a zip archive of XML parts (ECMA-376): xl/workbook.xml
 * lists the sheets and the date system, its relationships
 * (xl/_rels/workbook.xml.rels) say which part each sheet is, xl/styles.xml
 * which cell styles are dates, xl/sharedStrings.xml the text most cells
 * point to.  Debian has no C reader for the format, so two well-kept
 * libraries do the parts they are made for:
 *
 *   libzip (libzip-dev): opening the archive, an entry's declared size
 *     before reading it, inflating it as a stream with its CRC checked.
 *     minizip would do as well; libzip's API is the plainer one and it
 *     checks the archive's consistency itself.
 *   expat (libexpat1-dev): a streaming (SAX) parser, so a sheet's XML is
 *     never held whole: rows are handed on as their </row> arrives.
 *     libxml2's reader streams too, but expat is smaller, has no network
 *     or XInclude features to switch off, and is already on every system
 *     (libxml2 is not in merit's list).
 *
 * Memory is bounded whatever the file: parts other than sheets may not
 * unpack past XL_MAX_PART; an entry that unpacks past XL_RATIO_FROM at a
 * ratio over XL_MAX_RATIO is a zip bomb and refused before inflating; the
 * bytes inflated may not pass the declared size; the shared strings kept
 * are capped (XL_MAX_SST_TEXT, XL_MAX_SST_COUNT); a cell's text is capped
 * at MR_CSV_MAX_FIELD; a DOCTYPE (no .xlsx has one: entities could expand)
 * is refused; and a tag or comment expat would have to hold whole may not
 * pass XL_MAX_TOKEN.
 */
#include "ingest/sheet.h"
#include "util/vec.h"
#include "util/ascii.h"

#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <zip.h>

#define XL_MAX_PART ((zip_uint64_t)64 << 20)   /* workbook, rels, styles, strings */
#define XL_MAX_SHEET ((zip_uint64_t)4 << 30)   /* a sheet's XML, streamed */
#define XL_RATIO_FROM ((zip_uint64_t)16 << 20)
#define XL_MAX_RATIO 500
#define XL_MAX_SST_TEXT (32u << 20)
#define XL_MAX_SST_COUNT (1u << 20)
#define XL_MAX_TOKEN (1u << 20)
#define XL_MAX_LIST 4096                       /* sheets, relationships, number formats */
#define XL_MAX_XF 65536                        /* cell styles */

enum { P_WORKBOOK, P_RELS, P_STYLES, P_SST, P_SHEET };

struct xl {
	const char *name;
	mr_err *err;
	int rc;
	zip_t *z;
	XML_Parser xp;
	int part;
	long long fed, mark;           /* bytes fed to expat; where its last event began */
	int date1904;
	struct { char *name, *rid; } *sheets;
	size_t nsheets, capsheets;
	struct { char *id, *target, *type; } *rels;
	size_t nrels, caprels;
	struct { unsigned long id; unsigned char cls; } *fmts;
	size_t nfmts, capfmts;
	unsigned char *xf;             /* per cell style: date class (fmt_class) */
	size_t nxf, capxf;
	int in_xfs;
	mr_buf sst;                    /* shared strings, NUL-separated */
	size_t *sst_off;               /* SIZE_MAX: longer than a cell may be */
	size_t nsst, capsst;
	int in_si, in_t, in_rph, in_v, in_is, in_c;
	int too_long;
	mr_buf cur;                    /* the text being collected */
	char ctype[16];
	long ccol, cstyle, lastcol, lastrow;
	mr_sheet_rows sr;
};

static const char *local(const char *n)
{
	const char *bar = strrchr(n, '|');
	return bar ? bar + 1 : n;
}

/* An attribute by local name; ns: it must have a namespace (r:id). */
static const char *attr(const XML_Char **a, const char *name, int ns)
{
	for (; a && a[0]; a += 2)
		if (strcmp(local(a[0]), name) == 0 && (!ns || strchr(a[0], '|')))
			return a[1];
	return NULL;
}

static int fail(struct xl *x, int code, const char *fmt, ...) MR_PRINTF(3, 4);
static int fail(struct xl *x, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!x->rc)
		x->rc = mr_err_set(x->err, code, "%s", msg);
	if (x->xp)
		XML_StopParser(x->xp, XML_FALSE);
	return x->rc;
}

/* Stop with an error already set (a row function's, mr_sheet_cell's). */
static void stop(struct xl *x, int rc)
{
	if (!rc)
		return;
	if (!x->rc)
		x->rc = rc;
	if (x->xp)
		XML_StopParser(x->xp, XML_FALSE);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static char *dup(struct xl *x, const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		fail(x, MR_ENOMEM, "out of memory");
	return d;
}

/* Room for one more of n `size`-byte items, at most max. */
static int grow(struct xl *x, void *pp, size_t *cap, size_t n, size_t size, size_t max)
{
	if (n >= max)
		return fail(x, MR_EINVALID, "%s: more than %zu entries in a list of the workbook "
		            "(a damaged file?)", x->name, max);
	return mr_vec_grow(pp, cap, n, size) ? fail(x, MR_ENOMEM, "out of memory") : 0;
}

/* ---- number formats: is a style a date? ---- */

/* 1: a date, 2: a time, 3: both, 0: neither — from a format code's first
 * section, quoted text, escapes and [colours] left out. */
static unsigned char fmt_class(const char *code)
{
	int date = 0, time = 0, month = 0;
	for (const char *p = code; *p && *p != ';'; p++) {
		char c = (char)lower((unsigned char)*p);
		if (c == '"') {
			while (p[1] && p[1] != '"')
				p++;
			p += !!p[1];
		} else if (c == '\\' || c == '_' || c == '*') {
			p += !!p[1];
		} else if (c == '[') {
			if (p[1] && strchr("hms", lower((unsigned char)p[1])))
				time = 1;                  /* [h]:mm elapsed */
			while (p[1] && p[1] != ']')
				p++;
			p += !!p[1];
		} else if (c == 'y' || c == 'd') {
			date = 1;
		} else if (c == 'h' || c == 's') {
			time = 1;
		} else if (c == 'm') {
			month = 1;
		} else if (c == 'a' && (mr_ascii_ncasecmp(p, "am/pm", 5) == 0 || mr_ascii_ncasecmp(p, "a/p", 3) == 0)) {
			time = 1;
		}
	}
	if (month && !time)
		date = 1;
	return (unsigned char)(date | time << 1);
}

/* The built-in formats (ECMA-376 §18.8.30, the CJK ones too). */
static unsigned char builtin_class(unsigned long id)
{
	if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) ||
	    (id >= 50 && id <= 58))
		return 1;
	if ((id >= 18 && id <= 21) || (id >= 32 && id <= 33) || (id >= 45 && id <= 47))
		return 2;
	return id == 22 ? 3 : 0;
}

/* ---- expat handlers ---- */

static void mark(struct xl *x)
{
	x->mark = (long long)XML_GetCurrentByteIndex(x->xp);
}

static void collect(struct xl *x, const char *s, size_t n)
{
	if (x->too_long)
		return;
	if (x->cur.len + n > MR_CSV_MAX_FIELD) {
		x->too_long = 1;
		return;
	}
	mr_buf_add(&x->cur, s, n);
	if (mr_buf_oom(&x->cur))
		fail(x, MR_ENOMEM, "out of memory");
}

static void on_text(void *ud, const XML_Char *s, int n)
{
	struct xl *x = ud;
	mark(x);
	if ((x->part == P_SST && x->in_si && x->in_t && !x->in_rph) ||
	    (x->part == P_SHEET && x->in_c && (x->in_v || (x->in_is && x->in_t && !x->in_rph))))
		collect(x, s, (size_t)n);
}

static void on_default(void *ud, const XML_Char *s, int n)
{
	(void)s;
	(void)n;
	mark(ud);
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
                       int internal)
{
	(void)name, (void)sys, (void)pub, (void)internal;
	struct xl *x = ud;
	fail(x, MR_EINVALID, "%s: a DOCTYPE in the workbook's XML, which no .xlsx has: "
	     "refused", x->name);
}

/* "C12" → column 2 (0-based), row 12; -1 when it is not a reference. */
static long ref_col(const char *r, long *row)
{
	long col = 0;
	int n = 0;
	while (*r >= 'A' && *r <= 'Z' && n < 4)
		col = col * 26 + (*r++ - 'A' + 1), n++;
	if (!n || *r < '1' || *r > '9')
		return -1;
	char *end;
	*row = strtol(r, &end, 10);
	return *end ? -1 : col - 1;
}

static void start_workbook(struct xl *x, const char *el, const XML_Char **a)
{
	if (strcmp(el, "workbookPr") == 0) {
		const char *v = attr(a, "date1904", 0);
		x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (strcmp(el, "sheet") == 0) {
		if (grow(x, &x->sheets, &x->capsheets, x->nsheets, sizeof *x->sheets, XL_MAX_LIST))
			return;
		x->sheets[x->nsheets].name = dup(x, attr(a, "name", 0));
		x->sheets[x->nsheets].rid = dup(x, attr(a, "id", 1));
		x->nsheets++;
	}
}

static void start_rels(struct xl *x, const char *el, const XML_Char **a)
{
	const char *mode = attr(a, "TargetMode", 0);
	if (strcmp(el, "Relationship") || (mode && strcmp(mode, "External") == 0))
		return;
	if (grow(x, &x->rels, &x->caprels, x->nrels, sizeof *x->rels, XL_MAX_LIST))
		return;
	x->rels[x->nrels].id = dup(x, attr(a, "Id", 0));
	x->rels[x->nrels].target = dup(x, attr(a, "Target", 0));
	x->rels[x->nrels].type = dup(x, attr(a, "Type", 0));
	x->nrels++;
}

static void start_styles(struct xl *x, const char *el, const XML_Char **a)
{
	const char *id = attr(a, "numFmtId", 0);
	unsigned long n = id ? strtoul(id, NULL, 10) : 0;
	if (strcmp(el, "numFmt") == 0 && !x->in_xfs) {
		const char *code = attr(a, "formatCode", 0);
		if (grow(x, &x->fmts, &x->capfmts, x->nfmts, sizeof *x->fmts, XL_MAX_LIST))
			return;
		x->fmts[x->nfmts].id = n;
		x->fmts[x->nfmts].cls = code ? fmt_class(code) : 0;
		x->nfmts++;
	} else if (strcmp(el, "cellXfs") == 0) {
		x->in_xfs = 1;
	} else if (strcmp(el, "xf") == 0 && x->in_xfs) {
		if (grow(x, &x->xf, &x->capxf, x->nxf, 1, XL_MAX_XF))
			return;
		unsigned char cls = builtin_class(n);
		for (size_t i = 0; i < x->nfmts; i++)
			if (x->fmts[i].id == n)
				cls = x->fmts[i].cls;
		x->xf[x->nxf++] = cls;
	}
}

static void start_text(struct xl *x, const char *el)
{
	if (strcmp(el, "t") == 0)
		x->in_t++;
	else if (strcmp(el, "rPh") == 0)
		x->in_rph++;
}

static void start_sst(struct xl *x, const char *el)
{
	if (strcmp(el, "si") == 0) {
		x->in_si = 1;
		x->too_long = 0;
		mr_buf_reset(&x->cur);
	} else {
		start_text(x, el);
	}
}

static void start_sheet(struct xl *x, const char *el, const XML_Char **a)
{
	long row;
	if (strcmp(el, "row") == 0) {
		const char *r = attr(a, "r", 0);
		row = r ? strtol(r, NULL, 10) : 0;
		x->sr.row = row > 0 ? row : x->lastrow + 1;
		x->lastrow = x->sr.row;
		x->lastcol = -1;
	} else if (strcmp(el, "c") == 0) {
		const char *r = attr(a, "r", 0), *t = attr(a, "t", 0), *s = attr(a, "s", 0);
		long col = r ? ref_col(r, &row) : -1;
		x->ccol = col >= 0 ? col : x->lastcol + 1;
		x->lastcol = x->ccol;
		snprintf(x->ctype, sizeof x->ctype, "%s", t ? t : "n");
		x->cstyle = s ? strtol(s, NULL, 10) : 0;
		x->in_c = 1;
		x->too_long = 0;
		mr_buf_reset(&x->cur);
	} else if (strcmp(el, "v") == 0) {
		x->in_v = 1;
	} else if (strcmp(el, "is") == 0) {
		x->in_is = 1;
	} else {
		start_text(x, el);
	}
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct xl *x = ud;
	const char *el = local(name);
	mark(x);
	if (x->rc)
		return;
	switch (x->part) {
	case P_WORKBOOK: start_workbook(x, el, a); break;
	case P_RELS: start_rels(x, el, a); break;
	case P_STYLES: start_styles(x, el, a); break;
	case P_SST: start_sst(x, el); break;
	case P_SHEET: start_sheet(x, el, a); break;
	}
}

static void end_sst(struct xl *x, const char *el)
{
	if (strcmp(el, "si")) {
		if (strcmp(el, "t") == 0 && x->in_t)
			x->in_t--;
		else if (strcmp(el, "rPh") == 0 && x->in_rph)
			x->in_rph--;
		return;
	}
	x->in_si = 0;
	if (x->nsst >= XL_MAX_SST_COUNT || x->sst.len + x->cur.len >= XL_MAX_SST_TEXT) {
		fail(x, MR_EINVALID, "%s: the workbook's shared strings pass %u strings or %u MiB, "
		     "more than merit holds: save the sheet as CSV and import that", x->name,
		     XL_MAX_SST_COUNT, XL_MAX_SST_TEXT >> 20);
		return;
	}
	if (mr_vec_grow(&x->sst_off, &x->capsst, x->nsst, sizeof *x->sst_off)) {
		fail(x, MR_ENOMEM, "out of memory");
		return;
	}
	x->sst_off[x->nsst++] = x->too_long ? SIZE_MAX : x->sst.len;
	if (!x->too_long) {
		mr_buf_add(&x->sst, x->cur.data, x->cur.len);
		mr_buf_putc(&x->sst, 0);
	}
	if (mr_buf_oom(&x->sst))
		fail(x, MR_ENOMEM, "out of memory");
}

/* _xHHHH_ (the format's escape for a character XML cannot hold) decoded,
 * in place. */
static void unescape(mr_buf *b)
{
	size_t o = 0;
	for (size_t i = 0; i < b->len; i++) {
		unsigned v;
		char tail;
		if (b->data[i] == '_' && i + 6 < b->len && b->data[i + 1] == 'x' &&
		    b->data[i + 6] == '_' && sscanf(b->data + i + 2, "%4x%c", &v, &tail) == 2 &&
		    tail == '_' && strspn(b->data + i + 2, "0123456789abcdefABCDEF") >= 4 &&
		    v && v < 0xD800) {
			if (v < 0x80) {
				b->data[o++] = (char)v;
			} else if (v < 0x800) {
				b->data[o++] = (char)(0xC0 | v >> 6);
				b->data[o++] = (char)(0x80 | (v & 0x3F));
			} else {
				b->data[o++] = (char)(0xE0 | v >> 12);
				b->data[o++] = (char)(0x80 | (v >> 6 & 0x3F));
				b->data[o++] = (char)(0x80 | (v & 0x3F));
			}
			i += 6;
		} else {
			b->data[o++] = b->data[i];
		}
	}
	b->len = o;
	b->data[o] = 0;
}

/* </c>: the cell's text as a CSV export would hold it. */
static void end_cell(struct xl *x)
{
	char where[512], num[32];
	const char *text = x->cur.data;
	size_t len = x->cur.len;
	x->in_c = x->in_v = x->in_is = x->in_t = x->in_rph = 0;
	if (x->too_long) {
		mr_sheet_where(where, sizeof where, x->name, x->sr.sheet, x->sr.row, x->ccol);
		fail(x, MR_EINVALID, "%s: a cell longer than %u KiB", where, MR_CSV_MAX_FIELD >> 10);
		return;
	}
	if (strcmp(x->ctype, "s") == 0) {
		char *end;
		unsigned long i = strtoul(text, &end, 10);
		if (!len)
			return;
		if (*end || i >= x->nsst || x->sst_off[i] == SIZE_MAX) {
			mr_sheet_where(where, sizeof where, x->name, x->sr.sheet, x->sr.row, x->ccol);
			fail(x, MR_EINVALID, "%s: shared string \"%s\" %s (a damaged file?)", where, text,
			     *end || i >= x->nsst ? "is not in the workbook" : "is longer than a cell may be");
			return;
		}
		text = x->sst.data + x->sst_off[i];
		len = strlen(text);
	} else if (strcmp(x->ctype, "b") == 0) {
		text = !len ? "" : strcmp(text, "1") == 0 ? "TRUE" : "FALSE";
		len = strlen(text);
	} else if (strcmp(x->ctype, "d") == 0) {
		for (size_t i = 0; i < len; i++)        /* 2026-11-03T10:00:00.000Z */
			if (x->cur.data[i] == 'T')
				x->cur.data[i] = ' ';
			else if (x->cur.data[i] == '.' || x->cur.data[i] == 'Z')
				len = i;
	} else if (strcmp(x->ctype, "n") == 0 && len) {
		char *end;
		double v = strtod(text, &end);
		if (!*end) {
			unsigned char cls = x->cstyle >= 0 && (size_t)x->cstyle < x->nxf ? x->xf[x->cstyle]
			                                                                : 0;
			if (!cls || mr_sheet_serial(num, v, x->date1904, cls & 1, cls == 3))
				mr_sheet_number(num, v);
			text = num;
			len = strlen(num);
		}
	}
	if (text == x->cur.data) {
		x->cur.len = len;
		x->cur.data[len] = 0;
		unescape(&x->cur);
		len = x->cur.len;
	}
	int rc = mr_sheet_cell(&x->sr, x->ccol, text, len);
	if (rc)
		stop(x, rc);
}

static void end_sheet(struct xl *x, const char *el);

static void on_end(void *ud, const XML_Char *name)
{
	struct xl *x = ud;
	const char *el = local(name);
	mark(x);
	if (x->rc)
		return;
	if (x->part == P_STYLES && strcmp(el, "cellXfs") == 0)
		x->in_xfs = 0;
	else if (x->part == P_SST)
		end_sst(x, el);
	else if (x->part == P_SHEET)
		end_sheet(x, el);
}

static void end_sheet(struct xl *x, const char *el)
{
	if (strcmp(el, "c") == 0 && x->in_c)
		end_cell(x);
	else if (strcmp(el, "row") == 0)
		stop(x, mr_sheet_row_end(&x->sr));
	else if (strcmp(el, "v") == 0)
		x->in_v = 0;
	else if (strcmp(el, "is") == 0)
		x->in_is = 0;
	else if (strcmp(el, "t") == 0 && x->in_t)
		x->in_t--;
	else if (strcmp(el, "rPh") == 0 && x->in_rph)
		x->in_rph--;
}

/* ---- parts ---- */

/* Stream the entry through expat as part `part`.  MR_ENOTFOUND (no
 * error set) when the archive has no such entry and !required. */
static int read_part(struct xl *x, const char *entry, int part, int required)
{
	zip_stat_t st;
	zip_int64_t idx = zip_name_locate(x->z, entry, 0);
	if (idx < 0) {
		if (!required)
			return MR_ENOTFOUND;
		return fail(x, MR_EINVALID, "%s: not an .xlsx workbook: it has no %s (is it another "
		            "kind of zip?)", x->name, entry);
	}
	zip_stat_init(&st);
	if (zip_stat_index(x->z, (zip_uint64_t)idx, 0, &st) || !(st.valid & ZIP_STAT_SIZE))
		return fail(x, MR_EINVALID, "%s: %s: %s", x->name, entry, zip_strerror(x->z));
	zip_uint64_t limit = part == P_SHEET ? XL_MAX_SHEET : XL_MAX_PART;
	if (st.size > limit)
		return fail(x, MR_EINVALID, "%s: %s unpacks to %llu MiB, more than merit reads "
		            "(%llu MiB): refused", x->name, entry,
		            (unsigned long long)(st.size >> 20), (unsigned long long)(limit >> 20));
	if (st.size > XL_RATIO_FROM && (st.valid & ZIP_STAT_COMP_SIZE) &&
	    st.size / (st.comp_size ? st.comp_size : 1) > XL_MAX_RATIO)
		return fail(x, MR_EINVALID, "%s: %s unpacks to %llu MiB from %llu KiB, more than %d "
		            "times its size: a zip bomb? refused", x->name, entry,
		            (unsigned long long)(st.size >> 20),
		            (unsigned long long)(st.comp_size >> 10), XL_MAX_RATIO);
	zip_file_t *zf = zip_fopen_index(x->z, (zip_uint64_t)idx, 0);
	if (!zf)
		return fail(x, MR_EINVALID, "%s: %s: %s (is the workbook encrypted?)", x->name, entry,
		            zip_strerror(x->z));
	x->xp = XML_ParserCreateNS(NULL, '|');
	if (!x->xp) {
		zip_fclose(zf);
		return fail(x, MR_ENOMEM, "out of memory");
	}
	XML_SetUserData(x->xp, x);
	XML_SetElementHandler(x->xp, on_start, on_end);
	XML_SetCharacterDataHandler(x->xp, on_text);
	XML_SetDefaultHandlerExpand(x->xp, on_default);
	XML_SetStartDoctypeDeclHandler(x->xp, on_doctype);
	x->part = part;
	x->fed = x->mark = 0;
	char buf[16384];
	zip_uint64_t total = 0;
	for (;;) {
		zip_int64_t n = zip_fread(zf, buf, sizeof buf);
		if (n < 0) {
			fail(x, MR_EINVALID, "%s: %s: %s (a damaged file?)", x->name, entry,
			     zip_file_strerror(zf));
			break;
		}
		total += (zip_uint64_t)n;
		if (total > st.size) {
			fail(x, MR_EINVALID, "%s: %s unpacks past its declared size: refused", x->name,
			     entry);
			break;
		}
		x->fed += n;
		if (XML_Parse(x->xp, buf, (int)n, n == 0) != XML_STATUS_OK) {
			if (!x->rc)
				fail(x, MR_EINVALID, "%s: %s, line %lu: %s (a damaged file?)", x->name, entry,
				     (unsigned long)XML_GetCurrentLineNumber(x->xp),
				     XML_ErrorString(XML_GetErrorCode(x->xp)));
			break;
		}
		if (x->rc)
			break;
		if (x->fed - x->mark > XL_MAX_TOKEN) {
			fail(x, MR_EINVALID, "%s: %s, line %lu: a tag or comment longer than %u MiB: "
			     "refused", x->name, entry, (unsigned long)XML_GetCurrentLineNumber(x->xp),
			     XL_MAX_TOKEN >> 20);
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(x->xp);
	x->xp = NULL;
	zip_fclose(zf);
	return x->rc;
}

/* A relationship's target as an entry name: relative to xl/, or from
 * the root when it starts with '/'. */
static void rel_entry(char *out, size_t cap, const char *target)
{
	if (target[0] == '/')
		snprintf(out, cap, "%s", target + 1);
	else
		snprintf(out, cap, "xl/%s", target);
}

static const char *rel_of_type(const struct xl *x, const char *suffix)
{
	size_t n = strlen(suffix);
	for (size_t i = 0; i < x->nrels; i++) {
		size_t t = strlen(x->rels[i].type);
		if (t >= n && strcmp(x->rels[i].type + t - n, suffix) == 0)
			return x->rels[i].target;
	}
	return NULL;
}

static int pick_sheet(struct xl *x, const char *want, size_t *which)
{
	if (!x->nsheets)
		return fail(x, MR_EINVALID, "%s: the workbook lists no sheets", x->name);
	*which = 0;
	if (!want)
		return 0;
	for (size_t i = 0; i < x->nsheets; i++)
		if (strcmp(x->sheets[i].name, want) == 0)
			return *which = i, 0;
	for (size_t i = 0; i < x->nsheets; i++)
		if (mr_ascii_casecmp(x->sheets[i].name, want) == 0)
			return *which = i, 0;
	mr_buf b;
	mr_buf_init(&b);
	for (size_t i = 0; i < x->nsheets; i++)
		mr_buf_printf(&b, "%s\"%s\"", i ? ", " : "", x->sheets[i].name);
	fail(x, MR_ENOTFOUND, "%s: no sheet \"%s\"; the workbook's sheets: %s", x->name, want,
	     mr_buf_oom(&b) ? "(out of memory)" : b.data);
	mr_buf_release(&b);
	return x->rc;
}

static int read_book(struct xl *x, const char *want, mr_csv_fn fn, void *payload)
{
	char entry[512];
	size_t which;
	const char *t;
	int rc;
	if (read_part(x, "xl/workbook.xml", P_WORKBOOK, 1) ||
	    read_part(x, "xl/_rels/workbook.xml.rels", P_RELS, 1) || pick_sheet(x, want, &which))
		return x->rc;
	t = rel_of_type(x, "/styles");
	rel_entry(entry, sizeof entry, t ? t : "styles.xml");
	if ((rc = read_part(x, entry, P_STYLES, 0)) && rc != MR_ENOTFOUND)
		return rc;
	t = rel_of_type(x, "/sharedStrings");
	rel_entry(entry, sizeof entry, t ? t : "sharedStrings.xml");
	if ((rc = read_part(x, entry, P_SST, 0)) && rc != MR_ENOTFOUND)
		return rc;
	t = NULL;
	for (size_t i = 0; i < x->nrels; i++)
		if (strcmp(x->rels[i].id, x->sheets[which].rid) == 0)
			t = x->rels[i].target;
	if (!t)
		return fail(x, MR_EINVALID, "%s: sheet \"%s\" has no part in the workbook (a damaged "
		            "file?)", x->name, x->sheets[which].name);
	rel_entry(entry, sizeof entry, t);
	mr_sheet_rows_init(&x->sr, x->name, x->sheets[which].name, fn, payload, x->err);
	x->lastrow = 0;
	if (!read_part(x, entry, P_SHEET, 1) && x->sr.ncols)
		stop(x, mr_sheet_row_end(&x->sr));   /* a row left open at the end */
	mr_sheet_rows_release(&x->sr);
	return x->rc;
}

static int read_zip(zip_t *z, const char *name, const char *want, mr_csv_fn fn, void *payload,
                    mr_err *err)
{
	struct xl x;
	memset(&x, 0, sizeof x);
	x.name = name;
	x.err = err;
	x.z = z;
	mr_buf_init(&x.sst);
	mr_buf_init(&x.cur);
	int rc = read_book(&x, want, fn, payload);
	/* an error a row function or mr_sheet_cell set is in err already */
	if (rc && !err->msg)
		mr_err_set(err, rc, "%s: cannot be read", name);
	for (size_t i = 0; i < x.nsheets; i++)
		free(x.sheets[i].name), free(x.sheets[i].rid);
	for (size_t i = 0; i < x.nrels; i++)
		free(x.rels[i].id), free(x.rels[i].target), free(x.rels[i].type);
	free(x.sheets);
	free(x.rels);
	free(x.fmts);
	free(x.xf);
	free(x.sst_off);
	mr_buf_release(&x.sst);
	mr_buf_release(&x.cur);
	return rc;
}

int mr_xlsx_each(const char *path, const char *name, const char *want, mr_csv_fn fn,
                 void *payload, mr_err *err)
{
	int code = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
	if (!z) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, code);
		int rc = mr_err_set(err, MR_EINVALID, "%s: not a readable .xlsx: %s", name,
		                    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	int rc = read_zip(z, name, want, fn, payload, err);
	zip_discard(z);
	return rc;
}

int mr_xlsx_each_mem(const void *data, size_t n, const char *name, const char *want,
                     mr_csv_fn fn, void *payload, mr_err *err)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
	if (!z) {
		int rc = mr_err_set(err, MR_EINVALID, "%s: not a readable .xlsx: %s", name,
		                    zip_error_strerror(&ze));
		if (src)
			zip_source_free(src);
		zip_error_fini(&ze);
		return rc;
	}
	zip_error_fini(&ze);
	int rc = read_zip(z, name, want, fn, payload, err);
	zip_discard(z);
	return rc;
}

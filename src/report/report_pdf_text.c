/* report_pdf_text.c — setting text on a PDF page (report_pdf_int.h).
 *
 * Plain ASCII — nearly all of a report: numbers, labels, logins — and a
 * few punctuation marks are set directly from a glyph table of the Latin
 * font and drawn a row at a time, per font: shaping each cell with pango
 * cost four times as much as everything else.  Anything else (Chinese
 * names, comments) goes through pango, so fontconfig finds a font for
 * every character (the Noto CJK fonts for Chinese), placed on the same
 * baseline.  A line that mixes the two (a Chinese report's labels around
 * numbers and file names) is set piece by piece: the ASCII from the
 * table, each other piece shaped by pango once and kept (SEGS of them),
 * as the same labels come back on every form; a line too long for its
 * cell is set whole by pango, to be ellipsized.
 */
#include "report/report_pdf_int.h"

/* Past ASCII, the table holds the few characters merit's own labels use. */
static const char *const extra[] = { "\xe2\x80\xa6" /* … */, "\xc2\xb7" /* · */,
                                     "\xe2\x80\x94" /* — */ };
void mr_pdf_face_init(pdf *p, face *f, double size, int bold)
{
	f->desc = pango_font_description_from_string(FONT);
	pango_font_description_set_absolute_size(f->desc, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(f->desc, PANGO_WEIGHT_BOLD);
	/* the glyph table: each printable ASCII character and the ellipsis */
	cairo_select_font_face(p->cr, LATIN, CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(p->cr, size);
	f->sf = cairo_scaled_font_reference(cairo_get_scaled_font(p->cr));
	cairo_font_extents_t fe;
	cairo_scaled_font_extents(f->sf, &fe);
	f->ascent = fe.ascent;
	char one[4];
	for (int i = 0; i < NGLYPHS; i++) {
		cairo_glyph_t *g = NULL;
		int n = 0;
		if (i < NASCII)
			snprintf(one, sizeof one, "%c", ' ' + i);
		else
			snprintf(one, sizeof one, "%s", extra[i - NASCII]);
		if (cairo_scaled_font_text_to_glyphs(f->sf, 0, 0, one, -1, &g, &n, NULL, NULL, NULL) ==
		    CAIRO_STATUS_SUCCESS && n == 1) {
			cairo_text_extents_t te;
			f->glyph[i] = g[0].index;
			cairo_scaled_font_glyph_extents(f->sf, g, 1, &te);
			f->adv[i] = te.x_advance;
		}
		cairo_glyph_free(g);
	}
}

void mr_pdf_face_release(face *f)
{
	pango_font_description_free(f->desc);
	cairo_scaled_font_destroy(f->sf);
}

static void flush_face(pdf *p, face *f)
{
	if (!f->npending)
		return;
	cairo_set_scaled_font(p->cr, f->sf);
	cairo_show_glyphs(p->cr, f->pending, f->npending);
	f->npending = 0;
}

/* Draw the glyphs set so far (before anything else is drawn, or the
 * colour changes). */
void mr_pdf_flush(pdf *p)
{
	flush_face(p, &p->font);
	flush_face(p, &p->bold);
	flush_face(p, &p->small);
	flush_face(p, &p->big);
	flush_face(p, &p->title);
}

void mr_pdf_color(pdf *p, const char *hex)
{
	mr_pdf_flush(p);
	unsigned long v = strtoul(hex + 1, NULL, 16);
	cairo_set_source_rgb(p->cr, (double)((v >> 16) & 255) / 255.0,
	                     (double)((v >> 8) & 255) / 255.0, (double)(v & 255) / 255.0);
}

static const char *valid(pdf *p, const char *s)
{
	if (g_utf8_validate(s, -1, NULL))
		return s;
	g_free(p->fixed);
	p->fixed = g_utf8_make_valid(s, -1);
	return p->fixed;
}

/* Text the glyph table covers as indices into it; 0 when it is not
 * covered (or too long to bother). */
static size_t table_text(unsigned char *out, size_t cap, const char *s)
{
	size_t n = 0;
	while (*s) {
		if (n == cap)
			return 0;
		if (*s >= ' ' && *s <= '~') {
			out[n++] = (unsigned char)(*s++ - ' ');
			continue;
		}
		size_t k;
		for (k = 0; k < sizeof extra / sizeof extra[0]; k++)
			if (strncmp(s, extra[k], strlen(extra[k])) == 0)
				break;
		if (k == sizeof extra / sizeof extra[0])
			return 0;
		out[n++] = (unsigned char)(NASCII + k);
		s += strlen(extra[k]);
	}
	return n;
}

/* One line from the glyph table (ellipsized). */
static void ascii(pdf *p, double x, double y, double w, const unsigned char *s, size_t len,
                  face *f, int align)
{
	double width = 0, dots = f->adv[ELLIPSIS];
	size_t n = 0, i;
	for (i = 0; i < len; i++)
		width += f->adv[s[i]];
	int cut = width > w;
	if (cut) {                  /* keep what fits with the ellipsis */
		width = dots;
		for (n = 0; n < len && width + f->adv[s[n]] <= w; n++)
			width += f->adv[s[n]];
	} else {
		n = len;
	}
	if (align == RIGHT)
		x += w - width;
	else if (align == CENTER)
		x += (w - width) / 2;
	if (f->npending + (int)n + 1 > PENDING)
		flush_face(p, f);
	for (i = 0; i <= n; i++) {
		if (i == n && !cut)
			break;
		int k = i == n ? ELLIPSIS : s[i];
		if (k != 0) {           /* spaces need no glyph */
			cairo_glyph_t *g = &f->pending[f->npending++];
			g->index = f->glyph[k];
			g->x = x;
			g->y = y + f->ascent;
		}
		x += f->adv[k];
	}
}

/* Does s fit in width w on one line, set from the glyph table? */
int mr_pdf_fits(const char *s, double w, const face *f)
{
	unsigned char idx[512];
	size_t len = table_text(idx, sizeof idx, s);
	double width = 0;
	for (size_t i = 0; i < len; i++)
		width += f->adv[idx[i]];
	return len && width <= w;
}

/* ---- mixed lines: pieces from the table, pieces shaped once ---- */

#define SEGS 1024           /* shaped pieces kept */
#define PIECES 24           /* pieces a line may have to be set piece by piece */

struct seg {
	const face *f;
	char *text;
	PangoLayout *lay;
	double width, base;     /* points */
};

void mr_pdf_segs_release(pdf *p)
{
	for (size_t i = 0; p->segs && i < SEGS; i++) {
		g_free(p->segs[i].text);
		if (p->segs[i].lay)
			g_object_unref(p->segs[i].lay);
	}
	g_free(p->segs);
	p->segs = NULL;
}

/* The piece s[0..len) in face f, shaped: from the cache, else shaped now
 * and kept (in place of another when its slot is taken).  NULL when out
 * of memory. */
static struct seg *shaped(pdf *p, face *f, const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	h ^= (uint32_t)(uintptr_t)f;
	if (!p->segs && !(p->segs = g_try_new0(struct seg, SEGS)))
		return NULL;
	struct seg *g = &p->segs[h % SEGS];
	if (g->lay && g->f == f && strlen(g->text) == len && memcmp(g->text, s, len) == 0)
		return g;
	char *text = g_strndup(s, len);
	PangoLayout *l = pango_layout_new(pango_layout_get_context(p->lay));
	pango_layout_set_font_description(l, f->desc);
	pango_layout_set_text(l, text, (int)len);
	int pw, ph;
	pango_layout_get_size(l, &pw, &ph);
	g_free(g->text);
	if (g->lay)
		g_object_unref(g->lay);
	g->f = f;
	g->text = text;
	g->lay = l;
	g->width = (double)pw / PANGO_SCALE;
	g->base = (double)pango_layout_get_baseline(l) / PANGO_SCALE;
	return g;
}

/* The glyph-table index of the character at s, and its length in *n; -1
 * when the table lacks it. */
static int table_char(const char *s, size_t *n)
{
	*n = 1;
	if (*s >= ' ' && *s <= '~')
		return *s - ' ';
	for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++)
		if (strncmp(s, extra[k], strlen(extra[k])) == 0) {
			*n = strlen(extra[k]);
			return (int)(NASCII + k);
		}
	for (*n = 1; s[*n] && ((unsigned char)s[*n] & 0xC0) == 0x80; (*n)++)
		;
	return -1;
}

/* Set s piece by piece when it fits in w and has few pieces; 0 when it
 * must be set whole. */
static int mixed(pdf *p, double x, double y, double w, const char *s, face *f, int align)
{
	struct { const char *at; size_t len; struct seg *g; unsigned char idx[256]; size_t n; }
		piece[PIECES];
	size_t np = 0;
	double width = 0;
	while (*s) {
		size_t n;
		int k = table_char(s, &n);
		if (np == PIECES || (unsigned char)*s < ' ')
			return 0;     /* too many pieces; a control character: pango's */
		piece[np].at = s;
		piece[np].len = 0;
		piece[np].n = 0;
		piece[np].g = NULL;
		if (k >= 0) {
			while (k >= 0 && piece[np].n < sizeof piece[np].idx) {
				piece[np].idx[piece[np].n++] = (unsigned char)k;
				width += f->adv[k];
				s += n;
				k = *s ? table_char(s, &n) : -1;
			}
		} else {
			while (*s && k < 0 && (unsigned char)*s >= ' ') {
				piece[np].len += n;
				s += n;
				k = *s ? table_char(s, &n) : 0;
			}
			if (!(piece[np].g = shaped(p, f, piece[np].at, piece[np].len)))
				return 0;
			width += piece[np].g->width;
		}
		np++;
	}
	if (width > w)
		return 0;
	if (align == RIGHT)
		x += w - width;
	else if (align == CENTER)
		x += (w - width) / 2;
	for (size_t i = 0; i < np; i++) {
		if (!piece[i].g) {
			ascii(p, x, y, w, piece[i].idx, piece[i].n, f, LEFT);
			for (size_t k = 0; k < piece[i].n; k++)
				x += f->adv[piece[i].idx[k]];
			continue;
		}
		mr_pdf_flush(p);
		cairo_move_to(p->cr, x, y + f->ascent - piece[i].g->base);
		pango_cairo_show_layout(p->cr, piece[i].g->lay);
		cairo_new_path(p->cr);
		x += piece[i].g->width;
	}
	return 1;
}

/* One line of text in [x, x + w] (ellipsized), top at y. */
void mr_pdf_text(pdf *p, double x, double y, double w, const char *s,
                 face *f, int align)
{
	if (!p->draw || !s || !*s)
		return;
	unsigned char idx[512];
	size_t len = table_text(idx, sizeof idx, s);
	if (len) {
		ascii(p, x, y, w, idx, len, f, align);
		return;
	}
	s = valid(p, s);
	if (mixed(p, x, y, w, s, f, align))
		return;
	mr_pdf_flush(p);
	PangoLayout *l = p->lay;
	pango_layout_set_font_description(l, f->desc);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_height(l, -1);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(l, align == RIGHT ? PANGO_ALIGN_RIGHT :
	                              align == CENTER ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, valid(p, s), -1);
	/* on the baseline of the Latin font, as plain ASCII is */
	cairo_move_to(p->cr, x, y + f->ascent - (double)pango_layout_get_baseline(l) / PANGO_SCALE);
	pango_cairo_show_layout(p->cr, l);
	cairo_new_path(p->cr);
}

/* Wrapped text in width w, top at y: its height (drawn when drawing). */
double mr_pdf_wrapped(pdf *p, double x, double y, double w, const char *s,
                      face *f)
{
	int pw, ph;
	if (!s || !*s)
		return 0;
	PangoLayout *l = p->lay;
	pango_layout_set_font_description(l, f->desc);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_height(l, -1000);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, valid(p, s), -1);
	pango_layout_get_size(l, &pw, &ph);
	if (p->draw) {
		mr_pdf_flush(p);
		/* the first line on the baseline of a one-line cell beside it */
		cairo_move_to(p->cr, x, y + f->ascent - (double)pango_layout_get_baseline(l) / PANGO_SCALE);
		pango_cairo_show_layout(p->cr, l);
		cairo_new_path(p->cr);
	}
	return (double)ph / PANGO_SCALE;
}

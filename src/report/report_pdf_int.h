/* report_pdf_int.h — what the PDF writer's two files share: the page,
 * the fonts, and setting text (report_pdf_text.c) for the layout
 * (report_pdf.c).  Not for outside src/report.
 */
#ifndef MR_REPORT_PDF_INT_H
#define MR_REPORT_PDF_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "report/report.h"

#define PAGE_W 595.28       /* A4 in points */
#define PAGE_H 841.89
#define MARGIN 48.0
#define TOP MARGIN
#define BOTTOM (PAGE_H - MARGIN - 20)    /* room for the footer */
#define WIDTH (PAGE_W - 2 * MARGIN)
#define ROW 14.0
#define FONT "DejaVu Sans, Noto Sans CJK SC, sans-serif"

enum { LEFT, RIGHT, CENTER };

#define LATIN "DejaVu Sans"   /* the first of FONT: the one ASCII is set in */
#define NASCII 95            /* ' ' .. '~' */
enum { ELLIPSIS = NASCII, NGLYPHS = NASCII + 3 };
#define PENDING 2048

/* A font: pango's description, and for ASCII the Latin font's glyphs,
 * with the glyphs set in it but not yet drawn. */
typedef struct face {
	PangoFontDescription *desc;
	cairo_scaled_font_t *sf;
	unsigned long glyph[NGLYPHS];
	double adv[NGLYPHS];
	double ascent;
	cairo_glyph_t pending[PENDING];
	int npending;
} face;

typedef struct pdf {
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoLayout *lay;
	face font, bold, small, big, title;
	int draw;                   /* 0: the counting pass */
	int page, pages;            /* current page; total (from the counting pass) */
	double y;
	const mr_report *r;
	char *fixed;                /* scratch for text that is not valid UTF-8 */
	struct seg *segs;           /* SEGS shaped pieces the glyph table lacks; NULL until used */
} pdf;

void mr_pdf_face_init(pdf *p, face *f, double size, int bold);
/* Let go of the shaped pieces of text kept for reuse. */
void mr_pdf_segs_release(pdf *p);
void mr_pdf_face_release(face *f);
/* Draw the glyphs set so far (before anything else is drawn, or the
 * colour changes). */
void mr_pdf_flush(pdf *p);
/* The colour of what is drawn next: "#rrggbb". */
void mr_pdf_color(pdf *p, const char *hex);
/* One line of text in [x, x + w] (ellipsized), top at y. */
void mr_pdf_text(pdf *p, double x, double y, double w, const char *s, face *f, int align);
/* Wrapped text in width w, top at y: its height (drawn when drawing). */
double mr_pdf_wrapped(pdf *p, double x, double y, double w, const char *s, face *f);
/* Does s fit in width w on one line, set from the glyph table? */
int mr_pdf_fits(const char *s, double w, const face *f);

#endif

/* report_svg.h — small charts as inline SVG text, for documents that
 * must stand alone (an HTML report sent by e-mail: no scripts, no
 * external requests).  Deterministic: the same numbers give the same
 * bytes.
 */
#ifndef MR_REPORT_SVG_H
#define MR_REPORT_SVG_H

#include <stddef.h>

#include "util/buf.h"

/* Append s with &, <, >, " and ' escaped (for text and attributes). */
void mr_xml_text(mr_buf *b, const char *s);

typedef struct mr_svg_bar {
	const char *label;          /* under the bar */
	double value;
	const char *text;           /* above the bar; NULL: none */
	const char *color;          /* "#rrggbb" */
} mr_svg_bar;

/* A column chart of n bars on [0, max], width × height pixels.  With many
 * bars (more than 40) the labels and texts are left out: the shape is
 * what tells.  `title` names the chart for screen readers. */
void mr_svg_bars(mr_buf *b, const char *title, const mr_svg_bar *bars, size_t n,
                 double max, int width, int height);

/* A line over n points on [0, max]; has[i] == 0 leaves a gap. */
void mr_svg_line(mr_buf *b, const char *title, const char *const *labels,
                 const double *values, const int *has, size_t n, double max,
                 int width, int height);

#endif

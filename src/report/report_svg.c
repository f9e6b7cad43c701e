/* report_svg.c — column and line charts as inline SVG (report_svg.h). */
#include "report/report_svg.h"

#define MANY_BARS 40
#define PAD_L 36.0          /* room for the axis numbers */
#define PAD_R 8.0
#define PAD_T 18.0
#define PAD_B 28.0          /* room for the labels */

void mr_xml_text(mr_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': mr_buf_puts(b, "&amp;"); break;
		case '<': mr_buf_puts(b, "&lt;"); break;
		case '>': mr_buf_puts(b, "&gt;"); break;
		case '"': mr_buf_puts(b, "&quot;"); break;
		case '\'': mr_buf_puts(b, "&#39;"); break;
		default: mr_buf_putc(b, *s);
		}
	}
}

static void open_svg(mr_buf *b, const char *title, int width, int height)
{
	mr_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
	              " viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\""
	              " font-size=\"11\"><title>", width, height, width, height);
	mr_xml_text(b, title);
	mr_buf_puts(b, "</title>\n");
}

/* Horizontal grid lines at 0, 25, 50, 75 and 100 % of max, numbered. */
static void grid(mr_buf *b, double max, int width, int height)
{
	double h = height - PAD_T - PAD_B;
	for (int i = 0; i <= 4; i++) {
		double y = PAD_T + h - h * i / 4.0;
		mr_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
		              "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#666\">%g</text>\n",
		              PAD_L, y, width - PAD_R, y, PAD_L - 4, y + 4, max * i / 4.0);
	}
}

static double clamp01(double v, double max)
{
	double f = max > 0 ? v / max : 0;
	return f < 0 ? 0 : f > 1 ? 1 : f;
}

void mr_svg_bars(mr_buf *b, const char *title, const mr_svg_bar *bars, size_t n,
                 double max, int width, int height)
{
	double w = width - PAD_L - PAD_R, h = height - PAD_T - PAD_B;
	int many = n > MANY_BARS;
	open_svg(b, title, width, height);
	grid(b, max, width, height);
	double slot = n ? w / (double)n : w;
	double bw = many ? slot : slot * 0.7;
	for (size_t i = 0; i < n; i++) {
		double bh = h * clamp01(bars[i].value, max);
		double x = PAD_L + slot * (double)i + (slot - bw) / 2;
		mr_buf_printf(b, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\">"
		              "<title>", x, PAD_T + h - bh, bw, bh, bars[i].color);
		mr_xml_text(b, bars[i].label);
		if (bars[i].text) {
			mr_buf_puts(b, ": ");
			mr_xml_text(b, bars[i].text);
		}
		mr_buf_puts(b, "</title></rect>\n");
		if (many)
			continue;
		mr_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x + bw / 2,
		              PAD_T + h + 16);
		mr_xml_text(b, bars[i].label);
		mr_buf_puts(b, "</text>\n");
		if (bars[i].text) {
			mr_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x + bw / 2,
			              PAD_T + h - bh - 4);
			mr_xml_text(b, bars[i].text);
			mr_buf_puts(b, "</text>\n");
		}
	}
	mr_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
	              PAD_L, PAD_T + h, width - PAD_R, PAD_T + h);
	mr_buf_puts(b, "</svg>\n");
}

void mr_svg_line(mr_buf *b, const char *title, const char *const *labels,
                 const double *values, const int *has, size_t n, double max,
                 int width, int height)
{
	double w = width - PAD_L - PAD_R, h = height - PAD_T - PAD_B;
	double slot = n ? w / (double)n : w;
	open_svg(b, title, width, height);
	grid(b, max, width, height);
	int open = 0;
	for (size_t i = 0; i < n; i++) {
		if (!has[i]) {
			if (open)
				mr_buf_puts(b, "\" fill=\"none\" stroke=\"#3b6ea5\" stroke-width=\"2\"/>\n");
			open = 0;
			continue;
		}
		double x = PAD_L + slot * ((double)i + 0.5);
		double y = PAD_T + h - h * clamp01(values[i], max);
		mr_buf_printf(b, "%s%.1f,%.1f", open ? " " : "<polyline points=\"", x, y);
		open = 1;
	}
	if (open)
		mr_buf_puts(b, "\" fill=\"none\" stroke=\"#3b6ea5\" stroke-width=\"2\"/>\n");
	for (size_t i = 0; i < n; i++) {
		double x = PAD_L + slot * ((double)i + 0.5);
		mr_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x,
		              PAD_T + h + 16);
		mr_xml_text(b, labels[i]);
		mr_buf_puts(b, "</text>\n");
		if (!has[i])
			continue;
		double y = PAD_T + h - h * clamp01(values[i], max);
		mr_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#3b6ea5\"/>"
		              "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.2f</text>\n",
		              x, y, x, y - 7, values[i]);
	}
	mr_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
	              PAD_L, PAD_T + h, width - PAD_R, PAD_T + h);
	mr_buf_puts(b, "</svg>\n");
}

/* progress.c — a progress bar on stderr for long work, only when stderr
 * is a terminal (never in pipes, logs or tests), redrawn at most ten
 * times a second and wiped when the work is done. */
#include "cli/progress.h"

#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void mr_bar_init(mr_bar *b, const char *label)
{
	b->label = label;
	b->on = isatty(STDERR_FILENO);
	b->start = b->last = now();
	b->drawn = 0;
}

void mr_bar_update(unsigned long long done, unsigned long long total, void *payload)
{
	mr_bar *b = payload;
	if (!b->on)
		return;
	double t = now();
	if (t - b->last < 0.1 && done < total)
		return;
	b->last = t;
	double mb = done / 1048576.0, rate = t > b->start ? mb / (t - b->start) : 0;
	if (total) {
		int pct = (int)(100.0 * done / total), width = 30, fill = pct * width / 100;
		fprintf(stderr, "\r%s [", b->label);
		for (int i = 0; i < width; i++)
			fputc(i < fill ? '#' : '-', stderr);
		fprintf(stderr, "] %3d%%  %.1f MB/s ", pct, rate);
	} else {
		fprintf(stderr, "\r%s  %.1f MB  %.1f MB/s ", b->label, mb, rate);
	}
	b->drawn = 1;
}

void mr_bar_done(mr_bar *b)
{
	if (b->on && b->drawn)
		fputs("\r\033[K", stderr);
	b->drawn = 0;
}

/* progress.h — a progress bar for long commands (stderr, terminals only). */
#ifndef MR_PROGRESS_H
#define MR_PROGRESS_H

#include <stdio.h>

typedef struct mr_bar {
	const char *label;
	int on, drawn;
	double start, last;
} mr_bar;

void mr_bar_init(mr_bar *b, const char *label);
/* An mr_progress callback; payload is the mr_bar. */
void mr_bar_update(unsigned long long done, unsigned long long total, void *payload);
void mr_bar_done(mr_bar *b);

#endif

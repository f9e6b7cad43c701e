/* period.h — calendar days and appraisal periods.
 *
 * A day is an int: days since 1970-01-01 (proleptic Gregorian).  A period
 * is an inclusive range of days with the label the user typed, in one of
 * the forms 2026-11, 2026-Q4, 2026-H2, 2026, or 2026-11-03..2026-11-20.
 */
#ifndef MR_PERIOD_H
#define MR_PERIOD_H

#include "core/plan.h"
#include "util/err.h"

#define MR_DAY_MIN (-1000000)
#define MR_DAY_MAX 1000000

int mr_day_from_civil(int y, int m, int d);
void mr_day_to_civil(int day, int *y, int *m, int *d);
/* "YYYY-MM-DD" exactly; 0 or MR_EINVALID. */
int mr_day_parse(int *out, const char *s);
/* out must hold 11 bytes. */
void mr_day_format(char *out, int day);

typedef struct mr_period {
	int first, last;          /* inclusive */
	char label[32];           /* canonical text, e.g. "2026-Q4" */
} mr_period;

/* 0 or MR_EINVALID with a message saying which forms are accepted. */
int mr_period_parse(mr_period *out, const char *text, mr_err *err);
/* The period of `kind` that holds `day`. */
void mr_period_of(mr_period *out, mr_period_kind kind, int day);
static inline int mr_period_days(const mr_period *p) { return p->last - p->first + 1; }

#endif

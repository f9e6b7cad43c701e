/* demo_data.h — the sample team of `merit demo` and the raw files its
 * systems would have written, month by month: the web server's access
 * log, the shop's orders export, the issue tracker's tasks export, and
 * the small CSVs of the CRM (leads), the CMS (content), the promoters'
 * post list, the rank tracker and the uptime checker.  The demo then
 * reads them with `merit ingest` and `merit import`, as a user would.
 * Everything comes from one fixed seed: every run writes the same bytes.
 */
#ifndef MR_DEMO_DATA_H
#define MR_DEMO_DATA_H

#include <stddef.h>

#include "util/err.h"

typedef struct mr_demo_person {
	const char *login, *name, *position, *manager, *from;
	double skill;                /* how well their month goes, about 1 */
} mr_demo_person;

extern const mr_demo_person mr_demo_team[];
extern const size_t mr_demo_nteam;

#define MR_DEMO_MONTHS 3
extern const char *const mr_demo_months[MR_DEMO_MONTHS];

/* The ownership rules that map the raw names to logins:
 * { kind, value, login }, ending with NULLs. */
extern const char *const mr_demo_rules[][3];

/* One month's file of one source and how `merit` reads it. */
typedef struct mr_demo_file {
	const char *stem, *ext;      /* DIR/STEM-MONTH.EXT */
	const char *command;         /* "ingest" or "import|KIND" */
	const char *options;         /* "|--opt|value…" or "" */
} mr_demo_file;

extern const mr_demo_file mr_demo_files[];
extern const size_t mr_demo_nfiles;

/* What was written, in raw lines and rows, for the demo's summary. */
typedef struct mr_demo_counts {
	long log_lines, orders, tasks, leads, articles, posts, ranks, checks;
} mr_demo_counts;

/* Start again from the seed (the generator keeps customers and articles
 * from month to month). */
void mr_demo_reset(void);
/* A number in [0, 1) from the fixed-seed sequence. */
double mr_demo_rnd(void);
/* Write month m's files (mr_demo_months[m], in order) into dir. */
int mr_demo_write_month(const char *dir, size_t m, mr_demo_counts *c, mr_err *err);

#endif

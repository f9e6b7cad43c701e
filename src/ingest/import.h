/* import.h — files in: each importer turns a file into measurements of
 * one batch, inside the caller's transaction.
 */
#ifndef MR_IMPORT_H
#define MR_IMPORT_H

#include <stdint.h>

#include "core/plan.h"
#include "ingest/csv.h"
#include "store/store.h"
#include "util/buf.h"

/* The order of a numeric date's day and month (--date-order). */
enum { MR_DATE_UNTOLD, MR_DATE_DMY, MR_DATE_MDY, MR_DATE_AMBIGUOUS };

typedef struct mr_import_opts {
	int replace;        /* same content imported before: swap that batch */
	int skip_bad;       /* report and skip bad rows instead of stopping */
	mr_progress progress;   /* how far the read has got; fn may be NULL */
	const char *preset; /* --preset NAME; NULL: picked from the header */
	/* One mapping value: COL=FIELD (split at the last '='), or a list
	 * COL=FIELD,COL=FIELD when every piece's column is in the header;
	 * FIELD "-" ignores COL.  NULL: none. */
	const char *map;
	const char *const *maps;  /* more such values, NULL-terminated; NULL: none */
	const char *map_file;     /* YAML: column name → field; NULL: none */
	const char *map_text;     /* that file's text, already read (a saved source's);
	                           * map_file then only names it in messages */
	int strict;               /* a column no field reads is an error */
	int date_order;           /* MR_DATE_DMY or MR_DATE_MDY (--date-order); 0: the data's */
	/* --value FIELD:SOURCE=MERIT values, NULL-terminated; NULL: none */
	const char *const *values;
	int has_date;       /* --date given: the day of a file without dates */
	int date;
	/* --indicator KEY: what an index series measures (index files only;
	 * NULL: brand_awareness) */
	const char *indicator;
	const char *name;   /* the file's name in messages and its batch; NULL: the path */
	const char *encoding;   /* --encoding NAME of a text file; NULL: detected (csv.h) */
	const char *sheet;      /* --sheet NAME of a spreadsheet; NULL: the first */
	int web;                /* the notes are for a browser user: what to do in
	                         * words, never a command or a flag of the CLI */
	/* A JSON object the import fills as it reads (a preview; NULL: none):
	 * "columns" [{name, field (null: not read), ignored (mapped to -)}],
	 * "rows" the first MR_IMPORT_PREVIEW_ROWS data rows as the kind reads
	 * them [{line, values: {field: text}}], "data_rows" after the header. */
	struct json_t *preview;
} mr_import_opts;

#define MR_IMPORT_PREVIEW_ROWS 10

#define MR_IMPORT_MAX_NOTES 100   /* skipped rows told one by one */

typedef struct mr_import_result {
	int64_t batch;
	int64_t replaced;   /* the batch swapped out, or 0 */
	long rows;          /* measurements written */
	long skipped;       /* bad rows skipped (skip_bad) */
	mr_buf notes;       /* skipped rows, and what was not counted; caller releases */
	const char *preset; /* the preset used (static text) */
} mr_import_result;

void mr_import_result_init(mr_import_result *r);
void mr_import_result_release(mr_import_result *r);

/* The kinds of import, NULL-terminated: measurements, orders, tasks, …;
 * and the same as a message says them (kept beside it in import_common.c's
 * order of use, checked by tests/unit/test_import.c) */
extern const char *const mr_import_kinds[];
#define MR_IMPORT_KINDS_TEXT "orders, tasks, ranks, leads, content, posts, members, uptime, " \
	"visits, index or measurements"

/* Import a file of `kind` (one of mr_import_kinds) as one batch.  Must
 * run inside a transaction (mr_store_begin): on error the caller rolls
 * back and nothing is written.  MR_ENOTFOUND for an unknown kind. */
int mr_import_file(mr_store *s, const mr_plan *plan, const char *kind, const char *path,
                   const mr_import_opts *o, mr_import_result *out, mr_err *err);

/* The CSV template of kind's preset (NULL: the generic layout): the header
 * the importer reads — each field's column (the first of its names), then
 * the columns that make the file this export — and, for the generic
 * layout, one example row; appended to b.  MR_EINVALID for an unknown
 * kind or preset (the message lists the presets). */
int mr_import_template(const char *kind, const char *preset, mr_buf *b, mr_err *err);

/* Are these options right for kind — a known kind, its preset, the
 * fields --map and --value name, the map file (read or map_text) — as far
 * as they can be checked without a file?  0, or an error naming the
 * option.  `merit source add` checks a source so before saving it. */
int mr_import_check(const char *kind, const mr_import_opts *o, mr_err *err);

/* The generic measurements CSV: date,indicator,login,value,denominator.
 * Must run inside a transaction (mr_store_begin): on error the caller
 * rolls back and nothing is written. */
int mr_import_measurements(mr_store *s, const mr_plan *plan, const char *path,
                           const mr_import_opts *o, mr_import_result *out, mr_err *err);

/* A post's URL as the posts importer keys it (one post per URL): lower-
 * case scheme and host, no default port, #fragment, utm_* parameters or
 * trailing slash; appended to b.  The key's kind is "posts". */
void mr_import_post_key(mr_buf *b, const char *url);

#endif

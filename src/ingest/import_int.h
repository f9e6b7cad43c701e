/* import_int.h — what the CSV importers share; not for outside ingest/.
 *
 * Every kind of import (orders, tasks, ranks, …) is a table — the fields
 * it understands and, per preset, which header column holds each field —
 * plus a row function.  The pipeline in import_common.c does everything
 * else once: read the CSV, pick the preset from the header (or --preset),
 * apply --map, check UTF-8 and field counts, skip blank rows, report bad
 * rows (or skip them with --skip-bad), refuse or swap a duplicate batch,
 * and tell what was not counted.
 */
#ifndef MR_IMPORT_INT_H
#define MR_IMPORT_INT_H

#include "ingest/attrib.h"
#include "util/map.h"
#include "util/ascii.h"
#include "ingest/import.h"

#define MR_IMP_MAX_FIELDS 16
#define MR_IMP_SKIP 1          /* a row function's "this row was skipped" */
#define MR_IMP_UNUSED (-1)     /* field_of: a column no field reads */
#define MR_IMP_IGNORE (-2)     /* field_of: a column mapped to "-" */

typedef struct mr_imp mr_imp;

typedef struct mr_imp_preset {
	const char *name;          /* for --preset; "generic" is the kind's own layout */
	const char *aliases;       /* more names for --preset, "a|b", or NULL */
	/* Per field, the header column that holds it ("A|B": whichever the
	 * header has); NULL: the export has no such column.  NULL cols: the
	 * field names themselves (the generic layout). */
	const char *const *cols;
	/* Header columns that together pick this preset; NULL: only by name. */
	const char *const *sig;
	unsigned required;         /* more fields this layout must give (bits) */
	/* Header columns ("A|B": either) a file named with --preset must have
	 * to be this export at all; NULL: none asked (the generic layout). */
	const char *const *ident;
} mr_imp_preset;

typedef struct mr_imp_kind {
	const char *name;                  /* on the command line; the batch source */
	const char *const *fields;         /* NULL-terminated field names */
	unsigned required;                 /* bit per field the header must give */
	unsigned multi;                    /* fields whose repeated columns are joined */
	int date_field;                    /* its date (--date stands in), or -1 */
	const mr_imp_preset *presets;      /* presets[0] is the generic layout */
	size_t npresets;
	size_t state_size;                 /* zeroed state handed to the functions */
	/* One data row (im->row); a negative code stops the import; a bad
	 * row goes through mr_imp_bad, whose return it passes on. */
	int (*row)(mr_imp *im, void *state, mr_err *err);
	/* After the last row and after an old batch was swapped out; NULL if
	 * none.  Measurements may still be added here. */
	int (*finish)(mr_imp *im, void *state, mr_err *err);
	void (*release)(void *state);      /* NULL if nothing to free */
	/* 1: the row function claims each counted row's identity itself
	 * (mr_imp_claim: an order number, an issue key, a URL); 0: a row's
	 * first measurement claims its normalised row (mr_imp_measure);
	 * -1: rows have no identity kept (the bulk measurements file, merit's
	 * own layout: a key a row would cost four times the import's time;
	 * a re-saved copy is still caught by its rows' hash). */
	int keyed;
	unsigned dates;                    /* more fields that hold dates (bits) */
} mr_imp_kind;

struct mr_imp_tally;
struct mr_imp_map;
struct mr_imp_overlap {            /* an earlier batch holding rows of this file */
	int64_t batch;
	long rows, line;                   /* how many; the first one's line */
	char key[64];                      /* the first one's identity, cut */
};
struct mr_imp_seen;

#include <sodium.h>
struct mr_imp_vtally;
struct mr_imp_vmap;

struct mr_imp {
	mr_store *s;
	const mr_plan *plan;
	const char *path;                  /* for messages: "(stdin)" for "-" */
	const mr_import_opts *o;
	mr_import_result *out;
	const mr_imp_kind *kind;
	const mr_imp_preset *preset;
	int col[MR_IMP_MAX_FIELDS];        /* 0-based first column of a field, -1 */
	signed char *field_of;             /* per column: field, MR_IMP_UNUSED, MR_IMP_IGNORE */
	size_t ncols;
	const mr_csv_row *row;             /* the record being read */
	mr_buf joined;                     /* a multi field's columns, joined */
	mr_attrib *attrib;                 /* the ownership rules, read once */
	struct mr_imp_tally *tally;        /* names not mapped, indicators not in the plan */
	size_t ntally, captally;
	mr_map tally_map;                  /* hash of (kind, name) → index in tally */
	long blank_rows;
	long data_rows;                /* rows after the header, blank ones too */
	int header_done;
	struct mr_imp_map *maps;           /* the --map-file's, in its order */
	size_t nmaps;
	crypto_hash_sha256_state rows_sha; /* the rows as read: see mr_store_batch_find_rows */
	mr_buf key;                        /* a row's identity being built */
	int row_claim;                     /* this row's: 0 unclaimed, 2 counted, MR_IMP_SKIP */
	int first_day, last_day;           /* of the measurements written (0: none yet) */
	struct mr_imp_overlap *ovl;        /* earlier batches holding this file's rows */
	size_t novl, capovl;
	long overlaps;                     /* rows held by an earlier batch */
	long repeats;                      /* rows repeating one of this file (once) */
	struct mr_imp_seen *seen;          /* normalised rows of this file, counted */
	size_t nseen, capseen;
	mr_map seen_map;                   /* a row's hash → its index in seen */
	int date_order;                    /* MR_DATE_DMY/MDY: told or seen; 0: not yet */
	long order_line;                   /* the line that showed it (0: --date-order) */
	mr_csv_row **held;                 /* rows waiting for the order to be known */
	size_t nheld, capheld;
	size_t held_bytes;                 /* their size: bounded (MR_IMP_MAX_HELD) */
	char sheet[128];                   /* a spreadsheet's sheet: rows, not lines */
	long amb_line;                     /* the first ambiguous date, for the message */
	int amb_col;
	char amb_text[64];
	struct mr_imp_vmap *vmaps;         /* --value mappings */
	size_t nvmaps;
	struct mr_imp_vtally *vtally;      /* values not counted, by field and value */
	size_t nvtally, capvtally;
	mr_map vtally_map;                 /* hash of (vocabulary, value) → index in vtally */
};

/* This row's value of field f: "" when the header has no such column;
 * a multi field's columns joined with ", ".  Borrowed until the next call. */
const char *mr_imp_get(mr_imp *im, int f);
static inline int mr_imp_has(const mr_imp *im, int f) { return im->col[f] >= 0; }
/* 1-based column of field f for messages (1 when absent). */
int mr_imp_colno(const mr_imp *im, int f);

/* The CLI's words for an ambiguous date order (MR_HINT_DATE_ORDER). */
#define MR_IMP_HINT_DATE_ORDER "say --date-order dmy (day first) or --date-order mdy (month first)"

/* A bad row at field f: an error naming file:line:column, or with
 * --skip-bad a note and MR_IMP_SKIP.  Return what it returns. */
int mr_imp_bad(mr_imp *im, int f, int code, mr_err *err, const char *fmt, ...) MR_PRINTF(5, 6);
/* Where a cell is, into out (returned): FILE:LINE:COL (col 0: FILE:LINE),
 * or in a spreadsheet "FILE: sheet S, row R, column C" (col 0: the row). */
const char *mr_imp_where(const mr_imp *im, long line, int col, char *out, size_t cap);
/* One more line of notes, prefixed with the file's name. */
void mr_imp_note(mr_imp *im, const char *fmt, ...) MR_PRINTF(2, 3);

/* The day of field f (or --date when the file has no such column), in
 * the forms exports write (import_date.c), read in the file's date order.
 * Empty: *day = 0 and return 0 only if allow_empty. */
int mr_imp_day(mr_imp *im, int f, int allow_empty, int *day, mr_err *err);

/* text as a day: 2026-11-03, 03/11/2026 or 11/03/2026 (by order: MR_DATE_DMY,
 * MR_DATE_MDY, or 0 for "as the numbers say"), 16/Feb/17, 15/ene/26,
 * 15/十一月/26, 03-11月-26, 3 Nov 2026, Nov 3, 2026, 2026年11月3日; a time
 * may follow.  *seen (may be NULL): what the numbers say of the order —
 * MR_DATE_DMY (first over 12), MR_DATE_MDY (second over 12),
 * MR_DATE_AMBIGUOUS (both 12 or under and different; with order 0 the date
 * is then refused), else MR_DATE_UNTOLD.  0 or MR_EINVALID. */
int mr_imp_date_parse(int *day, const char *text, int order, int *seen);

/* Value vocabularies (import_vocab.c): what a source's own words for a
 * field's values mean to merit, by built-in English and Chinese tables
 * and --value FIELD:SOURCE=MERIT.  The meanings, by field: */
enum { MR_STATUS_PAID, MR_STATUS_PENDING, MR_STATUS_CANCELLED, MR_STATUS_REFUNDED };
enum { MR_SOURCE_ONLINE, MR_SOURCE_POS, MR_SOURCE_DRAFT };
enum { MR_TYPE_TOPIC, MR_TYPE_ARTICLE, MR_TYPE_OTHER };
enum { MR_VERDICT_APPROVED, MR_VERDICT_REJECTED };
enum { MR_TASK_DONE, MR_TASK_OPEN, MR_TASK_CANCELLED };
/* The built-in meaning of value in kind's field: its MR_* index, -1 when
 * the table does not know it, -2 when the field has no vocabulary. */
int mr_imp_vocab_find(const char *kind, const char *field, const char *value);
/* Check the --value options against the kind (an error names the option). */
int mr_imp_values_load(mr_imp *im, mr_err *err);
void mr_imp_values_free(mr_imp *im);
/* This row's field f (not empty) in merit's terms: *v its MR_* index, or
 * -1 when neither --value nor the table knows it (counted and told at the
 * end with its effect).  A meaning that is not counted is told too. */
int mr_imp_value(mr_imp *im, int f, int *v, mr_err *err);
/* The values told at the end: unmapped ones and those not counted. */
void mr_imp_values_tell(mr_imp *im);
/* Field f as a number ≥ 0 (empty → dflt); bad → mr_imp_bad. */
int mr_imp_number(mr_imp *im, int f, double dflt, double *out, mr_err *err);
/* Field f as money, in cents (empty → 0). */
int mr_imp_money(mr_imp *im, int f, int64_t *out, mr_err *err);

/* The login owning `value` by a rule of `kind` ("author", "url", …), as
 * attrib.h matches it, or NULL. */
const char *mr_imp_owner(mr_imp *im, const char *kind, const char *value);
/* The login whose campaign or channel a row came from (attrib.h: the
 * campaign, utm_campaign of url, the source, utm_source), or NULL; via
 * receives the source no rule claims ("" when none).  Empty strings for
 * what the row lacks. */
const char *mr_imp_channel(mr_imp *im, const char *campaign, const char *source,
                           const char *url, char *via, size_t vsize);
/* Count a name no rule maps; told once per name, with the count, at the end. */
int mr_imp_unmapped(mr_imp *im, const char *kind, const char *name, mr_err *err);

/* Claim this row's identity `key` (in the namespace ns, e.g.
 * "orders/shopify") for the import's batch, before counting the row.
 * 0: count it.  MR_IMP_SKIP: don't — with `once`, this file had the key
 * already (told as a count); or an earlier batch holds it (the overlap
 * is counted, and refuses the import at the end unless --skip-bad).
 * With --replace an earlier batch's key is taken over (0), and that
 * batch is swapped out at the end.  Negative: an error. */
int mr_imp_claim(mr_imp *im, const char *ns, const char *key, int once, mr_err *err);
/* Claim the row by its fields (trimmed, in the kind's order, the n-th
 * same row of the file as "#n"), as mr_imp_claim does a key. */
int mr_imp_claim_row(mr_imp *im, mr_err *err);
/* s trimmed of spaces and tabs, with CR LF read as LF, appended to b. */
void mr_imp_norm_append(mr_buf *b, const char *s);
/* The earlier batches this file overlaps, "batch 3 (12 rows, the first
 * at line 5: #1001)", appended to b. */
void mr_imp_overlaps_show(const mr_imp *im, mr_buf *b);
/* Free what the claims kept (import_once.c). */
void mr_imp_once_release(mr_imp *im);

/* One measurement, traced to `line`; col names the column in an error.
 * An indicator the plan lacks is counted and told at the end. */
int mr_imp_measure(mr_imp *im, const char *indicator, const char *login, int day,
                   double value, int has_den, double den, long line, int col, mr_err *err);

/* Before writing any of a row's measurements: would this one be accepted
 * (its day outside closed cycles, its login known)?  0, or a bad row at
 * column col (the date's) through mr_imp_bad's rules.  An indicator the
 * plan lacks passes: it is only counted.  A row checks every measurement
 * first, so --skip-bad never keeps half of one. */
int mr_imp_check(mr_imp *im, const char *indicator, const char *login, int day, int col,
                 mr_err *err);

/* Header matching (import_map.c): a cell against a name, ignoring ASCII
 * case and a BOM, spaces, tabs and no-break spaces around either. */
int mr_imp_hdr_eq(const char *cell, const char *name);
/* Read the header row: the preset, --map and --map-file, the columns each
 * field comes from; missing columns all named at once, unused ones listed
 * (or refused under --strict). */
int mr_imp_header(mr_imp *im, const mr_csv_row *row, mr_err *err);
int mr_imp_hdr_eq_n(const char *cell, const char *name, size_t n);
/* ... against any of the '|'-separated names of list. */
int mr_imp_hdr_one_of(const char *list, const char *cell);
/* The kind's fields, "a,b,c", appended to b. */
void mr_imp_layout(const mr_imp_kind *k, mr_buf *b);
/* Read o->map_file into im->maps (fields checked; FILE:LINE:COL errors). */
int mr_imp_maps_load(mr_imp *im, mr_err *err);
void mr_imp_maps_free(mr_imp *im);
/* The preset o->preset names (or an alias) into im->preset, or an error
 * listing the kind's presets. */
int mr_imp_preset_named(mr_imp *im, mr_err *err);
/* Could --map value v be right for the kind (its fields known)? */
int mr_imp_map_check(const mr_imp *im, const char *v, mr_err *err);
/* Apply the map file's mappings, then each --map value, to the header. */
int mr_imp_apply_maps(mr_imp *im, const mr_csv_row *row, mr_err *err);

/* ASCII case-insensitive equality. */
int mr_imp_same_ci(const char *a, const char *b);
/* The URL from its path on: "https://host/blog/x" → "/blog/x"; a URL
 * with no scheme as it is. */
const char *mr_imp_url_path(const char *url);

/* A post's URL as merit compares them (see import_simple.c), into b. */
void mr_imp_url_norm(mr_buf *b, const char *url);

/* ASCII case-insensitive: does hay contain needle? */
int mr_imp_contains(const char *hay, const char *needle);

extern const mr_imp_kind mr_import_kind_measurements, mr_import_kind_orders,
	mr_import_kind_tasks, mr_import_kind_ranks, mr_import_kind_leads,
	mr_import_kind_members, mr_import_kind_posts, mr_import_kind_content,
	mr_import_kind_uptime, mr_import_kind_visits, mr_import_kind_index;

#endif

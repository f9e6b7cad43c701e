/* store.h — the one narrow door to merit's persistent state.
 *
 * Everything the commands keep — plan, staff, ownership rules, import
 * batches and their measurements, cycles and their frozen snapshots,
 * ratings, users and the audit log — goes through these functions.  The
 * engine behind them is SQLite (store_sqlite.c); a second engine would
 * implement this header and nothing else.
 *
 * Transactions: a command calls mr_store_begin once, makes its changes,
 * and mr_store_commit; any error → mr_store_rollback, and the database is
 * as it was.  Every change function writes its own audit record (who,
 * when, what, before, after) inside the same transaction.
 *
 * Ownership: structs filled through `out` belong to the caller and are
 * released with their *_release / *_free function.
 *
 * Looking one thing up: a `_get` function reports "not found" as an
 * error (MR_ENOTFOUND with a message a person can act on); its `_find`
 * twin returns MR_ENOTFOUND and leaves err untouched, for callers to whom
 * absence is an answer, not a failure.  Any other error is reported by
 * both.  Nobody calls a function twice to get its message.
 */
#ifndef MR_STORE_H
#define MR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/period.h"
#include "core/score.h"
#include "util/err.h"

typedef struct mr_store mr_store;

/* The schema version this merit creates and migrates to. */
int mr_store_schema_version(void);
/* Open the database at `path` for reading and writing: a missing or
 * empty file becomes a new database, an older schema is migrated (under
 * the write lock; several processes may open it at once).  A file that is
 * not merit's (not SQLite, or SQLite without merit's tables) is refused
 * and not written to.  (Only `merit init` may start from a missing or
 * empty file: the CLI checks that before calling this.) */
int mr_store_open(mr_store **out, const char *path, mr_err *err);
/* Open it for reading only (SQLITE_OPEN_READONLY; works in a read-only
 * directory): never creates, never writes; a missing, empty or foreign
 * file is refused.  An older schema is first upgraded by mr_store_open
 * when the file and its directory can be written, else refused with the
 * reason.  mr_store_begin on it fails. */
/* A database on a PostgreSQL server (url: postgresql://…): merit's schema
 * made there when create is set and the database is empty (else "no merit
 * database there"), an older one upgraded; read_only: every transaction
 * only reads.  mr_store_open and mr_store_open_ro take a URL too, neither
 * creating. */
int mr_store_open_url(mr_store **out, const char *url, int create, int read_only,
                      mr_err *err);
/* Is s on PostgreSQL (else an SQLite file)? */
int mr_store_on_pg(const mr_store *s);
/* PostgreSQL: take (on) or give back (!on) the server's advisory lock
 * named name, held by s's connection until given back or closed, for
 * every process on every machine using the database: 0, MR_EBUSY when
 * another holds it, else the error (err may be NULL to give back). */
int mr_store_pg_lock(mr_store *s, const char *name, int on, mr_err *err);
/* PostgreSQL: s's connection made again when the server dropped it (a
 * restart of the server; outside a transaction only): a long-running
 * process calls it before each piece of work.  SQLite: nothing. */
void mr_store_revive(mr_store *s);
/* PostgreSQL: does the database at url hold no table, view or sequence
 * (its current schema)?  Read only: nothing is made or upgraded. */
int mr_store_pg_empty(const char *url, int *empty, mr_err *err);
/* PostgreSQL: before a process ends with work cut short, the statement
 * each of its connections is running is cancelled on the server (else a
 * change waiting there for a lock would be made after the process said it
 * was not saved; an SQLite file's change ends with the process).
 * Async-signal-safe. */
void mr_store_cancel_all(void);
int mr_store_open_ro(mr_store **out, const char *path, mr_err *err);
void mr_store_close(mr_store *s);                /* NULL is a no-op */
/* Who the audit log names for the changes that follow: 0, or MR_ENOMEM
 * (then nobody is named and changes fail until a name is set). */
int mr_store_set_actor(mr_store *s, const char *who);
const char *mr_store_actor(const mr_store *s);
/* How long a write waits for another process's write lock, in ms
 * (default 30000), before failing with MR_EBUSY. */
void mr_store_set_wait(mr_store *s, int ms);
/* A time limit on this connection's work: a query still running `seconds`
 * from now stops, and its function fails with MR_ETIME (nothing written:
 * the caller rolls back).  0 or less: none.  Waiting for the write lock is
 * not counted (mr_store_set_wait bounds that). */
void mr_store_set_deadline(mr_store *s, double seconds);
int mr_store_wait(const mr_store *s);
/* Checkpoint the -wal back into the database and truncate it: when it
 * has grown past 16 MiB, or always with force.  Done after each commit;
 * 1 when done, 0 when not needed or a reader was in the way. */
int mr_store_checkpoint(mr_store *s, int force);

/* A write transaction.  The first one of a connection runs SQLite's
 * quick check first, and a damaged database is refused (nothing written). */
int mr_store_begin(mr_store *s, mr_err *err);
/* A write transaction of rows that only changes of the same kind (lock)
 * read to decide: the web's sessions and login throttle.  On PostgreSQL it
 * takes the lock named so, not the one writer's, so a login does not wait
 * for an import; on SQLite it is mr_store_begin. */
int mr_store_begin_aside(mr_store *s, const char *lock, mr_err *err);
/* A read transaction: one consistent view for several queries; end it
 * with mr_store_rollback. */
int mr_store_begin_read(mr_store *s, mr_err *err);
int mr_store_commit(mr_store *s, mr_err *err);
/* Can the database be read now?  Reads its header (the schema version,
 * into *version); 0, or the error (a file gone, damaged, locked past the
 * wait). */
int mr_store_ping(mr_store *s, int *version, mr_err *err);
void mr_store_rollback(mr_store *s);

/* An import's writes staged (store_stage.c): mr_store_stage_begin opens
 * a read transaction in which the import checks and adds as always, but
 * its batch, subjects, measurements, row keys and shop customers are
 * kept aside (any other write fails: the database is query-only then).
 * mr_store_stage_commit takes the write lock and writes them, in one
 * transaction, or past MR_LOAD_PART rows in parts, each a transaction of
 * its own, that nobody reads until the last (store_loading.c): 0 when
 * done; 1 when another process committed since the read began, or wrote
 * what the parts rely on between two of them (nothing written, the stage
 * gone: run the import again); <0 on error (nothing written, or what was
 * is removed or left unread for the next import to remove).
 * mr_store_stage_begin first removes what killed imports left, and waits
 * (the store's wait) for an import being written in parts by another
 * process: MR_EBUSY when it did not end.  mr_store_rollback drops a stage. */
int mr_store_stage_begin(mr_store *s, mr_err *err);
int mr_store_stage_commit(mr_store *s, mr_err *err);
/* Imports written in parts (store_loading.c).  mr_store_loading_sweep,
 * outside a transaction: remove what killed imports left, part by part;
 * *live when another process is writing one now (err then says which).
 * mr_store_loading_clear, inside a write transaction: the same at once,
 * and MR_EBUSY when one is being written (an import must not run beside
 * it: it would see half of its rows). */
int mr_store_loading_sweep(mr_store *s, int *live, mr_err *err);
int mr_store_loading_clear(mr_store *s, mr_err *err);

/* An audit record of a change that has no change function of its own. */
int mr_store_audit(mr_store *s, const char *action, const char *object,
                   const char *before, const char *after, mr_err *err);

/* ---- plan: the current plan's YAML text (MR_ENOTFOUND before init) ---- */
int mr_store_plan_get(mr_store *s, char **out_yaml, mr_err *err);
int mr_store_plan_find(mr_store *s, char **out_yaml, mr_err *err);
int mr_store_plan_put(mr_store *s, const char *yaml, mr_err *err);
/* The plan in force at `at` (an ISO 8601 UTC time as the store writes
 * them; NULL: now): MR_ENOTFOUND when none was yet. */
int mr_store_plan_at(mr_store *s, const char *at, char **out_yaml, mr_err *err);

/* ---- staff ---- */
typedef struct mr_staff {
	char *login, *name;
	char *position;                /* NULL for a reviewer */
	char *manager;                 /* NULL when none */
	int from, to;                  /* MR_DAY_MIN / MR_DAY_MAX when open */
	int has_base_bonus;
	int64_t base_bonus_cents;
	int reviewer;                  /* rates, is never scored (SPEC 2) */
} mr_staff;

#define MR_NAME_MAX 200               /* bytes of a person's name */
void mr_staff_release(mr_staff *st);
void mr_staff_list_free(mr_staff *list, size_t n);
int mr_store_staff_get(mr_store *s, const char *login, mr_staff *out, mr_err *err);
int mr_store_staff_find(mr_store *s, const char *login, mr_staff *out, mr_err *err);
/* create: insert (MR_EEXISTS if there); else update (MR_ENOTFOUND if not). */
int mr_store_staff_put(mr_store *s, const mr_staff *st, int create, mr_err *err);
int mr_store_staff_list(mr_store *s, mr_staff **out, size_t *n, mr_err *err);

/* ---- ownership rules: kind channel|campaign|referrer|url|author|keyword|site|tracker ---- */
typedef struct mr_rule_row { char *kind, *value, *login; } mr_rule_row;
/* same(kind, a, b): whether two values of a kind are one (ingest/attrib.h's
 * mr_attrib_same): a rule for the same value replaces it, however written. */
typedef int (*mr_own_same_fn)(const char *kind, const char *a, const char *b);
int mr_store_own_put(mr_store *s, const char *kind, const char *value,
                     const char *login, mr_own_same_fn same, mr_err *err);
int mr_store_own_list(mr_store *s, mr_rule_row **out, size_t *n, mr_err *err);
/* Remove the rule of (kind, value), audited: MR_ENOTFOUND when none. */
int mr_store_own_rm(mr_store *s, const char *kind, const char *value, mr_own_same_fn same,
                    mr_err *err);
void mr_rule_rows_free(mr_rule_row *rows, size_t n);

/* ---- import batches and measurements ---- */
typedef struct mr_batch {
	int64_t id;
	char *source, *file, *sha256, *created_at, *created_by;
	int64_t rows;
	int first_day, last_day;       /* of its measurements; 0 when none */
	int frozen;                    /* its days overlap a closed cycle (mr_store_batch_page) */
} mr_batch;

/* Which batches mr_store_batch_page lists. */
typedef struct mr_batch_filter {
	const char *source;            /* NULL: any */
	int first, last;               /* the days they overlap; 0: any (undated too) */
	int64_t limit, offset;         /* limit 0: all */
} mr_batch_filter;

void mr_batch_list_free(mr_batch *list, size_t n);
/* The batch of `source` with this content hash: MR_ENOTFOUND if none. */
int mr_store_batch_find(mr_store *s, const char *source, const char *sha256,
                        int64_t *out_id, mr_err *err);
/* The batch of `source` whose rows hash to rows_sha256 (the same content
 * saved with other line ends, a BOM or a last newline): MR_ENOTFOUND. */
int mr_store_batch_find_rows(mr_store *s, const char *source, const char *rows_sha256,
                             int64_t *out_id, mr_err *err);
/* Record the hash of a batch's rows (see mr_store_batch_find_rows). */
int mr_store_batch_rows_sha(mr_store *s, int64_t id, const char *rows_sha256, mr_err *err);
/* Claim a row's identity `key` (of `kind`: "orders/shopify", "tasks",
 * "posts", …) for `batch`: 0 when no batch held it (now batch's); else
 * MR_EEXISTS and *out_owner the batch that holds it (maybe `batch`
 * itself).  With move, another batch's key becomes batch's (the owner
 * is still reported).  Keys go with their batch (ON DELETE CASCADE). */
int mr_store_batch_key(mr_store *s, int64_t batch, const char *kind, const char *key,
                       int move, int64_t *out_owner, mr_err *err);
/* Which batch holds the row key `key` of `kind`, claiming nothing:
 * MR_ENOTFOUND (err untouched) when none. */
int mr_store_batch_key_find(mr_store *s, const char *kind, const char *key,
                            int64_t *out_owner, mr_err *err);
/* The latest batch of `source` from a file named `file` (its base name
 * compared), other than `except`: MR_ENOTFOUND if none. */
int mr_store_batch_latest(mr_store *s, const char *source, const char *file,
                          int64_t except, int64_t *out_id, mr_err *err);
/* The first and last day of batch id's measurements (0, 0: none). */
int mr_store_batch_days(mr_store *s, int64_t id, int *first, int *last, mr_err *err);
/* sha256 may be NULL (manual records). */
int mr_store_batch_add(mr_store *s, int64_t *out_id, const char *source,
                       const char *file, const char *sha256, mr_err *err);
/* Record the row count and content hash (may be NULL), and write the
 * audit record of the import. */
int mr_store_batch_finish(mr_store *s, int64_t id, int64_t rows, const char *sha256,
                          mr_err *err);
/* How batch id's numbers were measured, as a JSON object's text (schema
 * 17: e.g. a search-index series' instrument and keyword); the scorecard's
 * trace shows it. */
int mr_store_batch_how(mr_store *s, int64_t id, const char *how_json, mr_err *err);
/* Rows appended to a finished batch (the uptime probe's batch of a day,
 * one round at a time): its row count grows by `rows`, its day span takes
 * in the new measurements' days.  No audit record of its own: the
 * batch's own, written when it was made, says what it is. */
int mr_store_batch_grow(mr_store *s, int64_t id, int64_t rows, mr_err *err);
/* What the import could not give an owner: JSON [{"kind", "value",
 * "rows"}] (NULL: nothing), kept with the batch (no audit record of its
 * own: the import's covers it). */
int mr_store_batch_unattributed(mr_store *s, int64_t id, const char *json, mr_err *err);
/* Those of the latest `batches` batches, summed by (kind, value), most
 * rows first; batch is the newest that had it. */
typedef struct mr_unattributed {
	char *kind, *value;
	int64_t rows, batch;
} mr_unattributed;
int mr_store_unattributed_list(mr_store *s, int batches, mr_unattributed **out, size_t *n,
                               mr_err *err);
void mr_unattributed_free(mr_unattributed *list, size_t n);
/* Remove a batch and its measurements (MR_EFROZEN inside a closed cycle). */
int mr_store_batch_rm(mr_store *s, int64_t id, mr_err *err);
/* The same, unaudited, for a batch the running command made and found
 * nothing for (an ingestion with nothing new): it never was. */
int mr_store_batch_discard(mr_store *s, int64_t id, mr_err *err);
int mr_store_batch_list(mr_store *s, mr_batch **out, size_t *n, mr_err *err);
/* The finished batches f asks for, newest first, each with `frozen`. */
int mr_store_batch_page(mr_store *s, const mr_batch_filter *f, mr_batch **out, size_t *n,
                        mr_err *err);

/* One measurement.  login NULL for the team.  MR_ENOTFOUND for an unknown
 * login, MR_EFROZEN for a day inside a closed cycle (the message names the
 * cycle; the caller adds file and line). */
int mr_store_measure_add(mr_store *s, int64_t batch, const char *indicator,
                         const char *login, int day, double value,
                         int has_den, double den, long line, mr_err *err);

/* Would mr_store_measure_add accept a measurement of `login` (NULL: the
 * team) on `day`?  0, or MR_EFROZEN / MR_ENOTFOUND with its message;
 * writes nothing (an importer checks a whole row before writing any). */
int mr_store_measure_check(mr_store *s, const char *login, int day, mr_err *err);

/* Per indicator: each batch that gave measurements for `login` (NULL: the
 * team) in [first, last], with its count and line range. */
typedef struct mr_trace {
	char *indicator;
	int64_t batch;
	char *source, *file;
	char *how;                     /* the batch's how (JSON text), or NULL */
	long count, first_line, last_line;
} mr_trace;
int mr_store_trace(mr_store *s, const char *login, int team, int first, int last,
                   mr_trace **out, size_t *n, mr_err *err);
void mr_trace_free(mr_trace *t, size_t n);

/* ---- cycles ---- */
typedef struct mr_cycle {
	char *period;
	int first, last;
	char *state;                   /* open | review | closed */
	char *updated_at;
	char *released_at;             /* when an admin released its results; NULL: withheld */
} mr_cycle;

void mr_cycle_release(mr_cycle *c);
void mr_cycle_list_free(mr_cycle *list, size_t n);
/* snapshot may be NULL when not wanted; *snapshot is NULL unless closed. */
int mr_store_cycle_get(mr_store *s, const char *period, mr_cycle *out,
                       char **snapshot, mr_err *err);
int mr_store_cycle_find(mr_store *s, const char *period, mr_cycle *out,
                        char **snapshot, mr_err *err);
/* Insert or change a cycle's state; snapshot is kept with a closed one. */
int mr_store_cycle_put(mr_store *s, const char *period, int first, int last,
                       const char *state, const char *snapshot,
                       const char *reason, mr_err *err);
int mr_store_cycle_list(mr_store *s, mr_cycle **out, size_t *n, mr_err *err);
/* Release a cycle's results to its members (on) or withhold them again;
 * audited as "cycle release" / "cycle withhold".  MR_EEXISTS when it is
 * so already. */
int mr_store_cycle_release(mr_store *s, const char *period, int on, mr_err *err);

/* ---- ratings ---- */
#define MR_COMMENT_MAX 4000           /* bytes of a rating's comment */
int mr_store_rating_put(mr_store *s, const char *period, const char *login,
                        const char *kind, const char *rater,
                        const char *criterion, double stars,
                        const char *comment, mr_err *err);

/* ---- the review cycle besides ratings (store_review.c) ---- */
void mr_str_list_free(char **list, size_t n);
/* The peers nominated to rate `login` in `period`, by login. */
int mr_store_peers_get(mr_store *s, const char *period, const char *login, char ***out,
                       size_t *n, mr_err *err);
/* Replace them (the caller has checked each; MR_EFROZEN when closed). */
int mr_store_peers_set(mr_store *s, const char *period, const char *login,
                       const char *const *peers, size_t n, mr_err *err);
/* Set (or replace) login's calibrated grade for period, with the reason. */
int mr_store_calibration_put(mr_store *s, const char *period, const char *login,
                             const char *grade, const char *reason, mr_err *err);

typedef struct mr_ack {
	char *login;                   /* whose result */
	char *role;                    /* self | manager */
	char *by;                      /* who acknowledged */
	char *comment;                 /* NULL when none */
	char *at;                      /* UTC, ISO 8601 */
} mr_ack;
void mr_ack_list_free(mr_ack *list, size_t n);
/* The acknowledgements of period (login NULL: everyone's), by login, role. */
int mr_store_ack_list(mr_store *s, const char *period, const char *login, mr_ack **out,
                      size_t *n, mr_err *err);
/* MR_EEXISTS when that role has acknowledged already. */
int mr_store_ack_put(mr_store *s, const char *period, const char *login, const char *role,
                     const char *by, const char *comment, mr_err *err);
/* Forget a period's acknowledgements (its results are reopened); the
 * audit record keeps them. */
int mr_store_ack_clear(mr_store *s, const char *period, mr_err *err);
/* How many ratings and calibrations a cycle holds. */
int mr_store_cycle_counts(mr_store *s, const char *period, int64_t *ratings,
                          int64_t *calibrations, mr_err *err);
/* The first cycle not closed in which login is rated or calibrated, into
 * *period (NULL when none; free it). */
int mr_store_rated_open(mr_store *s, const char *login, char **period, mr_err *err);
/* Remove a cycle with its nominations (the caller checked it is empty);
 * the audit record keeps the nominations. */
int mr_store_cycle_rm(mr_store *s, const char *period, mr_err *err);

/* ---- users of the web app ---- */
/* create: a new user (MR_EEXISTS if there); else change one (MR_ENOTFOUND
 * if not), where a NULL role or pw_hash keeps the old one. */
int mr_store_user_put(mr_store *s, const char *login, const char *role,
                      const char *pw_hash, int create, mr_err *err);

/* ---- evidence a member hands in (store_evidence.c) ---- */
/* kind post (promo_posts, one per URL), topic (topics_produced), design
 * (design_approval: value 1 or 0 of 1) or value (any indicator, counted
 * by hand).  state pending, approved (batch holds its measurement) or
 * rejected (reason says why). */
typedef struct mr_evidence {
	int64_t id;
	char *login, *kind, *indicator;
	int day;
	double value;
	int has_den;
	double den;
	char *url, *platform, *title, *note;   /* NULL when none */
	char *file_name, *file_type;           /* the attachment's; NULL when none */
	int64_t file_size;
	char *state, *submitted_at;
	char *decided_by, *decided_at, *reason; /* NULL while pending */
	int64_t batch;                          /* 0 unless approved */
} mr_evidence;
#define MR_EVIDENCE_FILE_MAX (512 * 1024)  /* bytes of an attachment */
#define MR_EVIDENCE_TEXT_MAX 2000          /* bytes of a title, note, URL or reason */
void mr_evidence_release(mr_evidence *e);
void mr_evidence_list_free(mr_evidence *list, size_t n);
/* Add a pending item for e->login (the store's actor submits it), with
 * url_key (NULL: none) and the attachment (NULL: none); audited.
 * MR_EEXISTS when an item not rejected has the same url_key. */
int mr_store_evidence_add(mr_store *s, const mr_evidence *e, const char *url_key,
                          const void *file, size_t file_len, int64_t *out_id, mr_err *err);
/* The item not rejected whose url_key is this: MR_ENOTFOUND (silent). */
int mr_store_evidence_find_url(mr_store *s, const char *url_key, int64_t *out_id,
                               mr_err *err);
/* MR_ENOTFOUND ("no evidence #ID") when none. */
int mr_store_evidence_get(mr_store *s, int64_t id, mr_evidence *out, mr_err *err);
/* Every item (state NULL) or those in `state`, newest first. */
int mr_store_evidence_list(mr_store *s, const char *state, mr_evidence **out, size_t *n,
                           mr_err *err);
/* Decide a pending item: state approved (with its batch) or rejected
 * (with the reason), by the store's actor; audited.  MR_EEXISTS when it
 * was decided already. */
int mr_store_evidence_decide(mr_store *s, int64_t id, const char *state, const char *reason,
                             int64_t batch, mr_err *err);
/* The attachment's bytes (*out the caller's; NULL with *len 0 when none). */
int mr_store_evidence_file(mr_store *s, int64_t id, void **out, size_t *len, mr_err *err);

/* ---- surveys (store_survey.c): a questionnaire at a public link ---- */
#define MR_SURVEY_QUESTIONS 3          /* answers per respondent, each 1..5 */
typedef struct mr_survey {
	int64_t id;
	char *token;                       /* the public link's random part */
	char *indicator, *period, *brand;
	char *questions;                   /* the fixed set: awareness | reputation */
	char *state;                       /* open | closed */
	char *created_at, *created_by, *closed_at;   /* closed_at NULL while open */
	int64_t batch;                     /* 0 until closed */
	int64_t answers, sum;              /* respondents, and the sum of all their answers */
} mr_survey;
void mr_survey_release(mr_survey *sv);
void mr_survey_list_free(mr_survey *list, size_t n);
/* A new open survey (token, indicator, period, brand, questions), made by
 * the store's actor; audited. */
int mr_store_survey_add(mr_store *s, const mr_survey *sv, int64_t *out_id, mr_err *err);
/* By id, or by the link's token: MR_ENOTFOUND when none. */
int mr_store_survey_get(mr_store *s, int64_t id, mr_survey *out, mr_err *err);
int mr_store_survey_by_token(mr_store *s, const char *token, mr_survey *out, mr_err *err);
/* Every survey, newest first, with its answers' count and sum. */
int mr_store_survey_list(mr_store *s, mr_survey **out, size_t *n, mr_err *err);
/* One respondent's answers (MR_SURVEY_QUESTIONS of them) by the SHA-256
 * of their browser's id; audited without that id.  MR_EEXISTS when the
 * respondent answered this survey already. */
int mr_store_survey_answer(mr_store *s, int64_t id, const unsigned char respondent[32],
                           const int *answers, mr_err *err);
/* Has this respondent answered survey id?  *yes 1 or 0. */
int mr_store_survey_answered(mr_store *s, int64_t id, const unsigned char respondent[32],
                             int *yes, mr_err *err);
/* Close an open survey with the batch its score went into; audited.
 * MR_EEXISTS when it was closed already. */
int mr_store_survey_close(mr_store *s, int64_t id, int64_t batch, mr_err *err);

/* ---- saved sources (store_source.c): an import's kind and options ---- */
typedef struct mr_source_row {
	char *name, *kind, *options;   /* options: JSON, see ingest/source.h */
	char *created_at, *created_by;
} mr_source_row;
void mr_source_rows_free(mr_source_row *rows, size_t n);
/* Save a new source (audited); MR_EEXISTS when the name is taken. */
int mr_store_source_add(mr_store *s, const char *name, const char *kind,
                        const char *options, mr_err *err);
/* Remove one (audited); MR_ENOTFOUND when there is none. */
int mr_store_source_rm(mr_store *s, const char *name, mr_err *err);
/* One source by name, ignoring case (MR_ENOTFOUND); release it with
 * mr_source_row_release. */
int mr_store_source_get(mr_store *s, const char *name, mr_source_row *out, mr_err *err);
void mr_source_row_release(mr_source_row *r);
/* Every source by name. */
int mr_store_source_list(mr_store *s, mr_source_row **out, size_t *n, mr_err *err);
/* When the newest batch of import kind `kind` was made (ISO 8601 UTC,
 * the caller's), or *out NULL when it has none. */
int mr_store_batch_newest(mr_store *s, const char *kind, char **out, mr_err *err);

/* ---- uptime probes (store_probe.c) ---- */
typedef struct mr_probe {
	int64_t id;
	char *url;                     /* http://…, https://… or tcp://host:port */
	char *login;                   /* whose `uptime` its checks count toward */
	int64_t every_ms, timeout_ms;
	char *created_at, *created_by;
	char *last_at;                 /* the latest check (list only); NULL when none */
	int last_up;
	int64_t checks, ups;           /* its checks so far, and how many were up (list only) */
} mr_probe;

void mr_probe_list_free(mr_probe *list, size_t n);
/* MR_ENOTFOUND for an unknown login, MR_EEXISTS when the URL has a probe. */
int mr_store_probe_add(mr_store *s, int64_t *out_id, const mr_probe *p, mr_err *err);
/* Remove a probe (MR_ENOTFOUND if none); its past checks and their
 * measurements stay, as history. */
int mr_store_probe_rm(mr_store *s, int64_t id, mr_err *err);
/* Every probe by id, with its latest check. */
int mr_store_probe_list(mr_store *s, mr_probe **out, size_t *n, mr_err *err);

/* The raw result of one check, kept for the trace: (batch, line) are
 * those of the `uptime` measurement it gave. */
typedef struct mr_probe_check {
	int64_t probe;                 /* the probe's id */
	const char *url;               /* borrowed */
	char at[32];                   /* start, UTC: 2026-11-05T10:00:00.123Z */
	int day;                       /* the local date of the start */
	int done;                      /* finished (0: abandoned on a stop) */
	int up;
	long status;                   /* HTTP status; 0 when none (tcp, no answer) */
	double latency_ms;             /* answer (HTTP) or connect (tcp) time; < 0 none */
	char error[256];               /* why it is down; "" when up */
} mr_probe_check;
int mr_store_probe_check_add(mr_store *s, int64_t batch, long line,
                             const mr_probe_check *c, mr_err *err);
/* The newest batch of the probe's rounds named `file` ("day
 * YYYY-MM-DD", a day's): its id and rows; *id 0 when there is none. */
int mr_store_probe_day_batch(mr_store *s, const char *file, int64_t *id, int64_t *rows,
                             mr_err *err);

/* ---- shop customers' first orders (store_customer.c) ---- */
/* The first order remembered for customer `key` (a lower-cased e-mail or
 * customer id): its day and batch; MR_ENOTFOUND when new.  first_order
 * may be NULL; else *first_order is the order's name, the caller's. */
int mr_store_customer_get(mr_store *s, const char *key, int *out_day, int64_t *out_batch,
                          char **first_order, mr_err *err);
/* Remember a customer not yet known and their first order, owned by
 * `batch`; MR_EEXISTS when the customer is known already.
 * No audit record of its own: the import's batch record covers it. */
int mr_store_customer_put(mr_store *s, const char *key, int day, const char *order,
                          int64_t batch, mr_err *err);

/* ---- notices (store_notify.c; ops/notify.c decides what and to whom) ---- */
typedef struct mr_notify_channel {
	int64_t id;
	char *kind;                    /* email | wecom | dingtalk | feishu */
	char *target;                  /* an e-mail address or a webhook URL */
	char *secret;                  /* DingTalk's or Feishu's signing secret; NULL: none */
	char *login;                   /* e-mail only: whose address (NULL: the team's) */
	char *lang;                    /* en | zh-CN; NULL: the plan's locale */
	char *created_at, *created_by;
} mr_notify_channel;
void mr_notify_channel_release(mr_notify_channel *c);
void mr_notify_channel_list_free(mr_notify_channel *list, size_t n);
/* MR_EEXISTS for a kind and target there already, MR_ENOTFOUND for an
 * unknown login.  The audit record says whether there is a secret, never
 * the secret. */
int mr_store_notify_add(mr_store *s, const mr_notify_channel *c, int64_t *out_id, mr_err *err);
/* Remove a channel and the notices queued for it (MR_ENOTFOUND if none). */
int mr_store_notify_rm(mr_store *s, int64_t id, mr_err *err);
int mr_store_notify_get(mr_store *s, int64_t id, mr_notify_channel *out, mr_err *err);
int mr_store_notify_list(mr_store *s, mr_notify_channel **out, size_t *n, mr_err *err);
/* A setting's value into *out (NULL when not set; the caller frees). */
int mr_store_notify_setting(mr_store *s, const char *key, char **out, mr_err *err);
/* Set it (value NULL: unset), audited. */
int mr_store_notify_set(mr_store *s, const char *key, const char *value, mr_err *err);

typedef struct mr_outbox_row {
	int64_t id, channel;
	char *key;                     /* which event: one notice per channel and key */
	char *subject, *body;
	char *state;                   /* pending | sent | failed */
	int attempts;
	int64_t next_at;               /* Unix seconds: not tried again before */
	char *last_error, *created_at, *sent_at;
} mr_outbox_row;
void mr_outbox_row_release(mr_outbox_row *r);
void mr_outbox_list_free(mr_outbox_row *list, size_t n);
/* Queue a notice for a channel, unless one with that key is queued
 * already for it (then nothing: *queued counts the new ones). */
int mr_store_outbox_put(mr_store *s, int64_t channel, const char *key, const char *subject,
                        const char *body, int *queued, mr_err *err);
/* The pending notice due first, if due at `now`: MR_ENOTFOUND when none
 * (*wait_until then says when the next one is due; 0: none pending). */
int mr_store_outbox_next(mr_store *s, int64_t now, mr_outbox_row *out, int64_t *wait_until,
                         mr_err *err);
/* After a try of r on `channel` (its name for the audit log): sent
 * (error NULL), to be tried again at next_at, or given up (next_at 0).
 * A send and a giving up are audited. */
int mr_store_outbox_done(mr_store *s, const mr_outbox_row *r, const char *channel,
                         const char *error, int64_t next_at, mr_err *err);
/* Every notice, oldest first. */
int mr_store_outbox_list(mr_store *s, mr_outbox_row **out, size_t *n, mr_err *err);

/* ---- everything the scoring engine needs for one period ---- */
typedef struct mr_loaded mr_loaded;
/* Fills in->people, actuals and ratings (in->plan and in->period are set
 * from the arguments).  The memory belongs to *out (mr_loaded_free);
 * `in` borrows from it. */
int mr_store_load(mr_store *s, const mr_plan *plan, const mr_period *period,
                  mr_score_input *in, mr_loaded **out, mr_err *err);
void mr_loaded_free(mr_loaded *l);

/* ---- web traffic from access logs (store_traffic.c) ---- */
/* One site's day from one batch; counts add up across batches. */
typedef struct mr_traffic_day {
	char *site;                    /* owned in lists; borrowed when adding */
	int day;
	int64_t requests, failed_lines, page_views, visitors, human_visitors, visits,
	        crawler_requests;
} mr_traffic_day;

int mr_store_traffic_add(mr_store *s, int64_t batch, const mr_traffic_day *d, mr_err *err);
/* Per day and site in [first, last] (site NULL: every site), summed over
 * batches, by day then site. */
int mr_store_traffic_list(mr_store *s, const char *site, int first, int last,
                          mr_traffic_day **out, size_t *n, mr_err *err);
void mr_traffic_list_free(mr_traffic_day *list, size_t n);

/* A day's visitor set: key hashes (site, address, user agent); last is the
 * second of the day of the latest human request (-1: none); batch is the
 * batch that stored this entry (a visitor seen by several batches of the
 * day comes once from each, the latest `last` being the largest). */
typedef struct mr_visitor { int64_t key; int last; int human; int64_t batch; } mr_visitor;
/* Calls fn for each visitor entry of `day` stored so far. */
int mr_store_visitors_each(mr_store *s, int day,
                           int (*fn)(const mr_visitor *v, void *payload),
                           void *payload, mr_err *err);
/* A visitor entry packed as stored: 13 bytes, little-endian key (8),
 * last (4), human (1); v->batch is not stored. */
#define MR_VISITOR_BYTES 13
void mr_store_visitor_pack(unsigned char *p, const mr_visitor *v);
/* Store batch's visitors of `day`, n entries packed in blob (replacing
 * what batch stored before). */
int mr_store_visitors_put(mr_store *s, int64_t batch, int day, const unsigned char *blob,
                          size_t n, mr_err *err);

/* The fingerprints of the log lines batches counted on `day` (8 bytes a
 * line): fn gets each batch's keys. */
int mr_store_log_lines_each(mr_store *s, int day,
                            int (*fn)(int64_t batch, const uint64_t *keys, size_t n,
                                      void *payload),
                            void *payload, mr_err *err);
/* Store batch's fingerprints of `day` (replacing what it stored before). */
int mr_store_log_lines_put(mr_store *s, int64_t batch, int day, const uint64_t *keys,
                           size_t n, mr_err *err);

/* How much of a log a batch ingested: the hash of its first 4 KiB (of all
 * of it when shorter), its length, the hash of those bytes, its lines. */
typedef struct mr_log_seen {
	int64_t batch;
	char head[65], sha256[65];
	int64_t length, lines;
} mr_log_seen;
/* Earlier ingestions that may be a prefix of a log whose head is `head`
 * (same head, or shorter than 4 KiB), by length. */
int mr_store_log_seen_find(mr_store *s, const char *head, mr_log_seen **out, size_t *n,
                           mr_err *err);
int mr_store_log_seen_add(mr_store *s, const mr_log_seen *seen, mr_err *err);

/* Page views of a URL under an editor's `merit own url` prefix. */
int mr_store_article_views_add(mr_store *s, int64_t batch, const char *site, int day,
                               const char *path, const char *login, int64_t views,
                               mr_err *err);
/* The page views the web logs gave the URL path `path` (no query) on and
 * after day `first`, on any site. */
int mr_store_path_views(mr_store *s, const char *path, int first, int64_t *out,
                        mr_err *err);
/* The page views of login's articles on days [first, last]. */
int mr_store_article_views(mr_store *s, const char *login, int first, int last,
                           int64_t *out, mr_err *err);

/* ---- reports (store_report.c) ---- */
/* A rating as given, with its comment: what the report shows beside the
 * rater scores that scoring made of it. */
typedef struct mr_rating_row {
	char *login;                   /* who is rated */
	char *kind;                    /* self | manager | peer | upward */
	char *rater, *criterion;
	double stars;
	char *comment;                 /* NULL when none */
} mr_rating_row;
/* The ratings of `period` (login NULL: everyone's), by login, then self,
 * manager, peer, then rater and criterion. */
int mr_store_rating_list(mr_store *s, const char *period, const char *login,
                         mr_rating_row **out, size_t *n, mr_err *err);
void mr_rating_rows_free(mr_rating_row *rows, size_t n);

/* mr_store_trace for everyone at once (one pass over the period's
 * measurements instead of one per person): by login (the team, NULL,
 * first), indicator, batch. */
typedef struct mr_subject_trace {
	char *login;                   /* NULL: the team */
	mr_trace t;
} mr_subject_trace;
int mr_store_trace_all(mr_store *s, int first, int last, mr_subject_trace **out,
                       size_t *n, mr_err *err);
void mr_subject_trace_free(mr_subject_trace *t, size_t n);


/* ---- the web app's users, sessions and views (store_web.c) ---- */
typedef struct mr_user {
	char *login, *role, *pw_hash, *created_at;
	char *last_login;              /* when they last logged in to the web; NULL: never */
	int disabled;                  /* may not log in (`merit user disable`) */
} mr_user;
void mr_user_release(mr_user *u);
void mr_user_list_free(mr_user *list, size_t n);
/* MR_ENOTFOUND when no such user. */
int mr_store_user_get(mr_store *s, const char *login, mr_user *out, mr_err *err);
/* Every user by login (pw_hash left NULL). */
int mr_store_user_list(mr_store *s, mr_user **out, size_t *n, mr_err *err);
/* Disable (1) or enable (0) a user, audited; disabling ends their
 * sessions.  MR_ENOTFOUND when no such user; nothing to do is no error. */
int mr_store_user_disable(mr_store *s, const char *login, int disabled, mr_err *err);

/* An invitation: a one-time link by which `login` sets their password
 * and becomes a user of `role`; kept by its token's SHA-256. */
typedef struct mr_invite {
	char *login, *role, *created_by;
	int64_t expires;               /* Unix seconds */
} mr_invite;
void mr_invite_release(mr_invite *iv);
/* Invite login (a valid login, not a user yet: MR_EEXISTS), audited; it
 * replaces any earlier invitation of theirs. */
int mr_store_invite_put(mr_store *s, const unsigned char hash[32], const char *login,
                        const char *role, int64_t expires, mr_err *err);
/* The invitation of this token, unexpired at now: MR_ENOTFOUND if none. */
int mr_store_invite_get(mr_store *s, const unsigned char hash[32], int64_t now,
                        mr_invite *out, mr_err *err);
/* Use it: the user is made with pw_hash (audited as done by them: the
 * store's actor becomes the invitee) and the invitation is gone; *out
 * tells whose it was. */
int mr_store_invite_use(mr_store *s, const unsigned char hash[32], int64_t now,
                        const char *pw_hash, mr_invite *out, mr_err *err);

/* Failed logins under one throttle key (a login at an address, or an
 * address): how many, the last (Unix seconds), paused until when. */
typedef struct mr_throttle_row {
	int fails;
	int64_t last, until;
} mr_throttle_row;
/* The row of `key`, all zero when none. */
int mr_store_throttle_get(mr_store *s, const char *key, mr_throttle_row *out, mr_err *err);
/* What a throttle row counts, for making room: a login at an address, an
 * address, an invented name at an address (its key starts "u:"). */
enum { MR_THROTTLE_PAIR = 0, MR_THROTTLE_ADDR = 1, MR_THROTTLE_GUESS = 2 };
/* Write the row of `key`, of kind MR_THROTTLE_*.  A new key past `cap`
 * rows first evicts the oldest rows of invented names ("u:" keys, those
 * holding no pause first) — the only rows an invented name's key may
 * evict — then the oldest rows that hold no pause; when none is left,
 * *full is set and nothing written — unless an address's
 * (MR_THROTTLE_ADDR), which evicts the oldest anyway. */
int mr_store_throttle_put(mr_store *s, const char *key, const mr_throttle_row *row,
                          int64_t now, long cap, int kind, int *full, mr_err *err);
int mr_store_throttle_rm(mr_store *s, const char *key, mr_err *err);
/* Remove the rows that hold no pause at `now` and failed last before
 * `forgiven`. */
int mr_store_throttle_purge(mr_store *s, int64_t now, int64_t forgiven, mr_err *err);

/* A session: its token's SHA-256, whose, its CSRF token, and when it was
 * made and last used (Unix seconds).  The user's role comes along. */
typedef struct mr_session {
	char *login, *csrf, *role;
	int64_t created, seen;
} mr_session;
void mr_session_release(mr_session *ss);
int mr_store_session_put(mr_store *s, const unsigned char hash[32], const char *login,
                         const char *csrf, int64_t now, mr_err *err);
/* MR_ENOTFOUND when no such session. */
int mr_store_session_get(mr_store *s, const unsigned char hash[32], mr_session *out,
                         mr_err *err);
int mr_store_session_touch(mr_store *s, const unsigned char hash[32], int64_t now,
                           mr_err *err);
int mr_store_session_rm(mr_store *s, const unsigned char hash[32], mr_err *err);
/* End every session of `login` but `keep` (NULL: all). */
int mr_store_session_rm_login(mr_store *s, const char *login, const unsigned char *keep,
                              mr_err *err);
/* Remove sessions made before `created` or idle since before `seen`. */
int mr_store_session_purge(mr_store *s, int64_t created, int64_t seen, mr_err *err);

/* A number that grows with every change to the appraisal's data (the
 * audit log's newest id): results computed at one generation stay true
 * until it moves. */
int mr_store_generation(mr_store *s, int64_t *out, mr_err *err);

typedef struct mr_audit_row {
	int64_t id;
	char *at, *who, *action, *object, *before, *after;
} mr_audit_row;
void mr_audit_list_free(mr_audit_row *list, size_t n);
/* Which entries mr_store_audit_list gives. */
typedef struct mr_audit_filter {
	int64_t before;                /* ids below it; 0: from the newest */
	int limit;
	const char *who, *action;      /* NULL: any; action: exactly, or a prefix ending
	                                  in a space ("cycle " for every cycle move) */
	const char *from, *to;         /* days YYYY-MM-DD (UTC), inclusive; NULL: open */
} mr_audit_filter;
/* Newest first, at most f->limit. */
int mr_store_audit_list(mr_store *s, const mr_audit_filter *f, mr_audit_row **out,
                        size_t *n, mr_err *err);

/* What a batch holds per indicator and person (login NULL: the team). */
typedef struct mr_batch_part {
	char *indicator, *login;
	long count, first_line, last_line;
} mr_batch_part;
void mr_batch_parts_free(mr_batch_part *list, size_t n);
int mr_store_batch_parts(mr_store *s, const mr_batch *b, mr_batch_part **out, size_t *n,
                         mr_err *err);
/* Calls fn(batch id) once for each batch with measurements of `login`. */
int mr_store_batches_of(mr_store *s, const char *login,
                        int (*fn)(int64_t batch, void *payload), void *payload, mr_err *err);

/* ---- backup, restore and check of a database file (store_backup.c) ----
 * By path, with connections of their own: a backup neither migrates nor
 * writes its source; a check reads a damaged file without refusing it. */
typedef struct mr_backup_info {
	int64_t pages, bytes;          /* of the copy */
	int schema_version;            /* the copy's; older ones migrate on next open */
	char taken_at[32];             /* UTC, ISO 8601; "" when the file does not say */
} mr_backup_info;
/* Copy the database at `db` into `file`: one consistent snapshot taken
 * while others read and write, one self-contained file (no -wal), with an
 * audit record of the backup by `who`, passing a quick check; `file` is
 * replaced only when all went well. */
int mr_store_backup(const char *db, const char *file, const char *who, mr_backup_info *out,
                    mr_err *err);
/* Replace the database at `db` (which may not exist yet) by the backup
 * `file`, checked first (a merit schema, a quick check); MR_ECONFIRM
 * unless `confirmed`; refused while a server holds the database or any
 * other merit has it open.  Stale -wal/-shm/-journal files go; the
 * restored database gets an audit record by `who`. */
int mr_store_restore(const char *db, const char *file, const char *who, int confirmed,
                     mr_backup_info *out, mr_err *err);
/* What `merit serve` holds for its life so that a restore refuses: a
 * descriptor (-1 when there is no file yet) to close only after every
 * connection of the process to `db` is closed — closing it earlier drops
 * SQLite's own locks on the file. */
int mr_store_server_lock(const char *db, int *out_fd, mr_err *err);
/* One problem found: where ("database", "table NAME") and what; nonzero
 * stops the check. */
typedef int (*mr_check_fn)(const char *where, const char *what, void *payload);
/* Integrity and foreign-key checks of the database at `db`, and merit's
 * own (measurements' subjects exist, the rollup equals them): fn for each
 * problem, their count in *out_problems.  0 when the check ran. */
int mr_store_check(const char *db, mr_check_fn fn, void *payload, int64_t *out_problems,
                   mr_err *err);

/* ---- whole-database copies between engines (store_copy.c) ---- */

/* Is db a PostgreSQL URL (postgresql://… or postgres://…)? */
int mr_db_is_url(const char *db);
/* db for messages: a password in a URL replaced by *** (out: size bytes). */
void mr_db_shown(const char *db, char *out, size_t size);
typedef struct mr_copy_opts {
	/* told the rows copied so far and in all; NULL: nothing told */
	void (*progress)(unsigned long long done, unsigned long long total, void *payload);
	void *payload;
} mr_copy_opts;
typedef struct mr_copy_info {
	int tables;
	int64_t rows;
	int schema_version;
} mr_copy_info;
/* Copy the whole merit database `from` to `to`: an SQLite file into an
 * empty PostgreSQL database (a URL; its schema made there), or a
 * PostgreSQL database holding merit's schema into a new SQLite file.  All
 * or nothing: an error, or a kill, leaves the target as it was (empty, or
 * no file).  o may be NULL. */
int mr_db_copy(const char *from, const char *to, const mr_copy_opts *o, mr_copy_info *out,
               mr_err *err);

#endif

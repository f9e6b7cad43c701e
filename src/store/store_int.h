/* store_int.h — what the SQLite store's files share; not for outside. */
#ifndef MR_STORE_INT_H
#define MR_STORE_INT_H

#include <sqlite3.h>

#include "store/db.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/map.h"

enum {
	ST_MEASURE_ADD, ST_STAFF_EXISTS, ST_AUDIT, ST_SUBJECT_GET, ST_SUBJECT_ADD, ST_ROLLUP_PUT,
	ST_SESSION_GET, ST_GENERATION, ST_KEY_ADD, ST_KEY_OWNER, ST_KEY_MOVE,
	ST_COUNT
};

#define MR_ROWS_PER_INSERT 64
#define MR_BUSY_MS 30000         /* how long a statement waits for another writer,
                                    unless mr_store_set_wait says otherwise */
#define MR_WAL_MAX (16 << 20)    /* a -wal past this is checkpointed and truncated */

/* (indicator, login) -> subject id, cached for the life of a transaction. */
typedef struct mr_subject_cache {
	struct mr_subject_entry { char *indicator, *login; int64_t id; } *e;
	size_t n, cap;
	mr_map map;             /* the pair's hash -> index in e */
	int loaded;             /* PostgreSQL: every subject is in e (this transaction) */
	int64_t next;           /* PostgreSQL: the id of the next new one */
	size_t written;         /* PostgreSQL: e[written..n) are new, not yet written */
} mr_subject_cache;

/* Rollup changes not yet written: (subject, month) -> aggregates. */
typedef struct mr_rollup_acc {
	struct mr_rollup_entry {
		int64_t subject;
		int month;
		mr_agg agg;
		int64_t last_id;
	} *e;
	size_t n, cap;
	mr_map map;             /* (subject, month) -> index in e */
} mr_rollup_acc;

struct mr_store {
	sqlite3 *db;                  /* SQLite's own handle: what only SQLite has */
	mr_db *q;                     /* SQL through db.h: what both engines run */
	char *path;
	char *actor;
	int in_tx;
	int read_only;                /* mr_store_open_ro: never writes */
	int checked;                  /* the quick check passed (mr_store_begin) */
	int wait_ms;                  /* busy timeout: how long to wait for the write lock */
	int64_t deadline_ns;          /* CLOCK_MONOTONIC; 0: none (mr_store_set_deadline) */
	int committing;               /* inside mr_store_commit's COMMIT */
	unsigned lost;                /* mr_sql_lost() when the transaction began */
	mr_stmt *st[ST_COUNT];        /* cached hot statements */
	struct mr_known_logins {      /* logins seen to exist in this transaction: */
		char **v;                 /* one query each, not one a row (imports) */
		size_t n, cap;
		mr_map map;               /* the login's hash -> index in v */
		int asked;                /* one by one so far (PostgreSQL: then all at once) */
		int all;
	} known;
	struct mr_span {              /* day range of each batch filled in this transaction */
		int64_t batch;
		int first, last;
	} *spans;
	size_t nspans, capspans;
	mr_subject_cache subjects;
	mr_rollup_acc pending;        /* rollup changes of this transaction */
	struct mr_pending_row {
		int64_t batch, subject;
		int day, has_den;
		double value, den;
		long line;
	} rows[MR_ROWS_PER_INSERT];   /* measurements not yet written */
	size_t nrows;
	struct mr_pg_rows {           /* PostgreSQL: measurements on their way by COPY */
		mr_buf text;              /* COPY's text rows, ids given */
		int64_t next;             /* the next row's id; 0: not read yet */
	} pgrows;
	int *closed;                  /* closed cycles' day ranges, pairs */
	int nclosed;                  /* pairs; -1 = not read yet */
	struct mr_stage *stage;       /* an import's writes kept aside (store_stage.c) */
};

/* Wrap the connection's error with what we were doing; returns MR_EDB
 * (MR_EFROZEN when a frozen-cycle trigger fired). */
int mr_sql_err(sqlite3 *db, mr_err *err, const char *fmt, ...) MR_PRINTF(3, 4);
/* The same for a statement run through db.h, on either engine. */
int mr_q_err(mr_db *q, mr_err *err, const char *fmt, ...) MR_PRINTF(3, 4);
/* Bring the schema of the database at path (for messages) to the latest
 * version, under the write lock; another process's migration done first
 * is success.  A newer version is refused. */
int mr_schema_migrate(sqlite3 *db, const char *path, mr_err *err);
/* "the database has schema version V, newer than this merit knows":
 * MR_EINVALID. */
int mr_schema_newer(int version, const char *path, mr_err *err);
/* PRAGMA quick_check: 0 when ok, else an error naming the damage. */
int mr_store_quick_check(sqlite3 *db, const char *path, mr_err *err);
/* May this connection write?  Not when opened read-only, nor when the
 * file fails the quick check (run once, before its first change). */
int mr_store_writable(mr_store *s, mr_err *err);
/* The subject id of (indicator, login), created when new. */
int mr_subject_id(mr_store *s, const char *indicator, const char *login,
                  int64_t *out, mr_err *err);
void mr_subject_cache_clear(mr_subject_cache *c);
void mr_known_logins_clear(struct mr_known_logins *k);
/* PostgreSQL: the new subjects, numbered as they came, written in one
 * COPY (mr_measure_flush: before a read and at the commit). */
int mr_subject_flush(mr_store *s, mr_err *err);
/* The largest subject id (0 when none): arrays indexed by subject id. */
int mr_subject_max(mr_store *s, int64_t *out, mr_err *err);

/* The month number of a day: year * 12 + month - 1. */
int mr_month_of(int day);
/* Add one measurement to the pending rollup. */
int mr_rollup_note(mr_store *s, int64_t subject, int day, double value, double den,
                   int64_t id, mr_err *err);
/* Write the buffered measurements; before anything reads them.  While
 * staging they go aside, counted in the rollup. */
int mr_measure_flush(mr_store *s, mr_err *err);
/* PostgreSQL: the measurements' COPY rows not sent yet dropped (a
 * rollback); the ids reserved for them are not reused. */
void mr_measure_pg_drop(mr_store *s);
/* mr_measure_flush at a commit: on PostgreSQL, the ids still reserved
 * are let go too. */
int mr_measure_end(mr_store *s, mr_err *err);

/* ---- staging (store_stage.c): while s->stage, these keep aside what
 * the functions of the same purpose would write ---- */
void mr_stage_free(mr_store *s);
int mr_stage_batch(mr_store *s, const char *source, const char *file, int64_t *out,
                   mr_err *err);
void mr_stage_batch_done(mr_store *s, const char *sha, const char *rows_sha, int64_t rows);
int mr_stage_unattributed(mr_store *s, const char *json, mr_err *err);
int mr_stage_how(mr_store *s, const char *json, mr_err *err);
int mr_stage_subject(mr_store *s, const char *indicator, const char *login, int64_t *out,
                     mr_err *err);
int mr_stage_rows(mr_store *s, mr_err *err);
/* 1 when the key was claimed already in this import, 0 when now, <0 error */
int mr_stage_key(mr_store *s, int64_t key, mr_err *err);
int mr_stage_customer(mr_store *s, const char *key, int day, const char *order, mr_err *err);
/* ---- a long import in parts (store_loading.c) ---- */
#define MR_LOAD_PART 250000      /* rows (measurements, keys, customers) a part */
/* The rows of a part: MR_LOAD_PART, or less when $MERIT_LOAD_PART says so. */
int mr_load_part(void);
/* Can this store's imports go in parts?  Not an in-memory database. */
int mr_load_parted(const mr_store *s);
/* Claim batch's byte of the "-load" file: 0 claimed (*fd holds it), 1
 * another holds it (a live loader), <0 an error. */
int mr_load_claim(mr_store *s, int64_t batch, int *fd, mr_err *err);
void mr_load_release(int *fd);
/* In the open transaction, remove at most limit rows that the loading
 * batch's import wrote, the batch itself last; *more when some remain. */
int mr_load_clear(mr_store *s, int64_t batch, int64_t limit, int *more, mr_err *err);
/* `merit batch rm` of a loading batch: MR_EBUSY while its import runs;
 * one that died is removed at once (*was).  Not loading: 0, nothing done. */
int mr_load_rm(mr_store *s, int64_t batch, int *was, mr_err *err);
/* All of it, a part a transaction; the caller holds the claim. */
int mr_load_sweep_own(mr_store *s, int64_t batch, mr_err *err);

/* ---- files beside the database (store_backup.c) ---- */
/* "<path>.tmp-XXXXXX", created empty with the mode of the database db. */
int mr_store_temp_beside(char **out, const char *path, const char *db, mr_err *err);
/* Remove a temporary database and whatever SQLite left beside it. */
void mr_store_temp_remove(const char *t);
/* fsync the file at path, or its directory (dir != 0). */
int mr_store_sync_path(const char *path, int dir, mr_err *err);

/* Write the pending rollup (merging with what is stored); before commit. */
int mr_rollup_flush(mr_store *s, mr_err *err);
void mr_rollup_discard(mr_store *s);
/* Recompute the stored rollup of months [m1, m2] from the measurements. */
int mr_rollup_rebuild(mr_store *s, int m1, int m2, mr_err *err);

/* An INSERT of n rows at once (a statement per row costs more than the
 * row): HEAD VALUES ROW,ROW,…; NULL on error (err set). */
mr_stmt *mr_sql_rows(mr_store *s, const char *head, const char *row, size_t n,
                          mr_err *err);
/* Prepare (or fetch the cached) statement; NULL on error (err set). */
mr_stmt *mr_sql_prepare(mr_store *s, const char *sql, mr_err *err);
/* Column 0 of the row `sql` (one parameter: id) finds, as text (a JSON
 * picture of a thing for the audit log): NULL with err set, MR_ENOTFOUND
 * "no WHAT #ID" when none. */
char *mr_sql_json_row(mr_store *s, const char *sql, int64_t id, const char *what, mr_err *err);
/* Audit `action` on "WHAT ID" with `before` and the row's picture now. */
int mr_store_audit_row(mr_store *s, const char *action, const char *sql, int64_t id,
                       const char *what, const char *before, mr_err *err);
/* Bind text, or NULL when v is NULL.  No memory for SQLite's copy (the
 * value is then NULL) adds one to mr_sql_lost(), like mr_sql_col. */
void mr_sql_text(mr_stmt *st, int i, const char *v);
/* Column as a strdup'ed string, NULL for SQL NULL — or for no memory,
 * which adds one to this thread's mr_sql_lost() count (as does a JSON
 * value jansson had no memory for, once a store is open).  A read that
 * sees the count change fails with MR_ENOMEM (mr_sql_collect does), and a
 * transaction in which it changed does not commit. */
char *mr_sql_col(mr_stmt *st, int i);
unsigned mr_sql_lost(void);
/* Step through st (and finalize it), filling one `size`-byte item per row
 * with fill(item, st) into a growing array.  On error *out still holds the
 * *n items filled so far, for the caller's free function. */
int mr_sql_collect(mr_store *s, mr_stmt *st, size_t size,
                   void (*fill)(void *item, mr_stmt *st),
                   void **out, size_t *n, const char *what, mr_err *err);

#endif

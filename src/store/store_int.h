/* store_int.h — what the SQLite store's files share; not for outside. */
#ifndef MR_STORE_INT_H
#define MR_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

enum {
	ST_MEASURE_ADD, ST_STAFF_EXISTS, ST_AUDIT, ST_SUBJECT_GET, ST_SUBJECT_ADD, ST_ROLLUP_PUT,
	ST_SESSION_GET, ST_GENERATION, ST_KEY_ADD, ST_KEY_OWNER, ST_KEY_MOVE,
	ST_COUNT
};

#define MR_ROWS_PER_INSERT 64
#define MR_BUSY_MS 5000          /* how long a statement waits for another writer */

/* (indicator, login) -> subject id, cached for the life of a transaction. */
typedef struct mr_subject_cache {
	struct mr_subject_entry { char *indicator, *login; int64_t id; } *e;
	size_t n, cap;          /* entries; slots in the open-addressed table */
	size_t *slot;           /* index + 1; 0 = empty */
} mr_subject_cache;

uint64_t mr_subject_hash(const char *indicator, const char *login);

/* Rollup changes not yet written: (subject, month) -> aggregates. */
typedef struct mr_rollup_acc {
	struct mr_rollup_entry {
		int64_t subject;
		int month;
		mr_agg agg;
		int64_t last_id;
	} *e;
	size_t n, cap;
	size_t *slot;
} mr_rollup_acc;

struct mr_store {
	sqlite3 *db;
	char *path;
	char *actor;
	int in_tx;
	int committing;               /* inside mr_store_commit's COMMIT */
	unsigned lost;                /* mr_sql_lost() when the transaction began */
	sqlite3_stmt *st[ST_COUNT];   /* cached hot statements */
	char *known_login;            /* last login seen to exist (import speed) */
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
	int *closed;                  /* closed cycles' day ranges, pairs */
	int nclosed;                  /* pairs; -1 = not read yet */
};

/* Wrap the connection's error with what we were doing; returns MR_EDB
 * (MR_EFROZEN when a frozen-cycle trigger fired). */
int mr_sql_err(sqlite3 *db, mr_err *err, const char *fmt, ...) MR_PRINTF(3, 4);
int mr_schema_migrate(sqlite3 *db, mr_err *err);
/* The subject id of (indicator, login), created when new. */
int mr_subject_id(mr_store *s, const char *indicator, const char *login,
                  int64_t *out, mr_err *err);
void mr_subject_cache_clear(mr_subject_cache *c);
/* The largest subject id (0 when none): arrays indexed by subject id. */
int mr_subject_max(mr_store *s, int64_t *out, mr_err *err);

/* The month number of a day: year * 12 + month - 1. */
int mr_month_of(int day);
/* Add one measurement to the pending rollup. */
int mr_rollup_note(mr_store *s, int64_t subject, int day, double value, double den,
                   int64_t id, mr_err *err);
/* Write the buffered measurements; before anything reads them. */
int mr_measure_flush(mr_store *s, mr_err *err);
/* Write the pending rollup (merging with what is stored); before commit. */
int mr_rollup_flush(mr_store *s, mr_err *err);
void mr_rollup_discard(mr_store *s);
/* Recompute the stored rollup of months [m1, m2] from the measurements. */
int mr_rollup_rebuild(mr_store *s, int m1, int m2, mr_err *err);

/* Prepare (or fetch the cached) statement; NULL on error (err set). */
sqlite3_stmt *mr_sql_prepare(mr_store *s, const char *sql, mr_err *err);
/* Bind text, or NULL when v is NULL.  No memory for SQLite's copy (the
 * value is then NULL) adds one to mr_sql_lost(), like mr_sql_col. */
void mr_sql_text(sqlite3_stmt *st, int i, const char *v);
/* Column as a strdup'ed string, NULL for SQL NULL — or for no memory,
 * which adds one to this thread's mr_sql_lost() count (as does a JSON
 * value jansson had no memory for, once a store is open).  A read that
 * sees the count change fails with MR_ENOMEM (mr_sql_collect does), and a
 * transaction in which it changed does not commit. */
char *mr_sql_col(sqlite3_stmt *st, int i);
unsigned mr_sql_lost(void);
/* Step through st (and finalize it), filling one `size`-byte item per row
 * with fill(item, st) into a growing array.  On error *out still holds the
 * *n items filled so far, for the caller's free function. */
int mr_sql_collect(mr_store *s, sqlite3_stmt *st, size_t size,
                   void (*fill)(void *item, sqlite3_stmt *st),
                   void **out, size_t *n, const char *what, mr_err *err);

#endif

/* store_int.h — what the SQLite store's files share; not for outside. */
#ifndef MR_STORE_INT_H
#define MR_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

enum {
	ST_MEASURE_ADD, ST_STAFF_EXISTS, ST_AUDIT, ST_COUNT
};

struct mr_store {
	sqlite3 *db;
	char *path;
	char *actor;
	int in_tx;
	sqlite3_stmt *st[ST_COUNT];   /* cached hot statements */
	char *known_login;            /* last login seen to exist (import speed) */
	int64_t cur_batch;            /* the batch measure_add is filling */
	int cur_first, cur_last;      /* its day range so far */
	int *closed;                  /* closed cycles' day ranges, pairs */
	int nclosed;                  /* pairs; -1 = not read yet */
};

/* Wrap the connection's error with what we were doing; returns MR_EDB
 * (MR_EFROZEN when a frozen-cycle trigger fired). */
int mr_sql_err(sqlite3 *db, mr_err *err, const char *fmt, ...) MR_PRINTF(3, 4);
int mr_schema_migrate(sqlite3 *db, mr_err *err);

/* Prepare (or fetch the cached) statement; NULL on error (err set). */
sqlite3_stmt *mr_sql_prepare(mr_store *s, const char *sql, mr_err *err);
/* Bind text, or NULL when v is NULL. */
void mr_sql_text(sqlite3_stmt *st, int i, const char *v);
/* Column as a strdup'ed string, NULL for SQL NULL. */
char *mr_sql_col(sqlite3_stmt *st, int i);

#endif

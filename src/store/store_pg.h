/* store_pg.h — merit's data on PostgreSQL: the schema, made from the
 * SQLite migrations (schema_pg.c), and whole-database copies between an
 * SQLite file and a PostgreSQL database (store_copy.c).  Not for outside
 * src/store but through store.h. */
#ifndef MR_STORE_PG_H
#define MR_STORE_PG_H

#include "store/store_int.h"
#include "util/buf.h"

#define MR_PG_TRIGGERS 32

/* What the translation of the migrations so far has seen: each trigger's
 * table (PostgreSQL's DROP TRIGGER names it). */
typedef struct mr_pg_schema {
	struct { char name[64], table[64]; } triggers[MR_PG_TRIGGERS];
	size_t ntriggers;
} mr_pg_schema;

/* Run before the first migration on PostgreSQL. */
extern const char mr_pg_prelude[];
/* The functions it makes (SQLite's that PostgreSQL lacks), again; the
 * comment on merit_schema is their tag. */
extern const char mr_pg_functions[];
#define MR_PG_FUNCTIONS_TAG "merit functions 4"
/* Run after the migrations, and with the functions again: what the
 * translation of the migrations cannot say (schema_pg.c). */
extern const char mr_pg_after[];
/* How many tables, views, sequences… the database's schema holds: 0 in a
 * database merit may make its schema in (store_pgopen.c). */
extern const char mr_pg_relations[];
/* Migration `sql` (SQLite's dialect, schema.c) in PostgreSQL's, appended
 * to b: 0, -1 when it holds something the rules do not cover, -2 out of
 * memory. */
int mr_pg_migration(mr_pg_schema *ps, const char *sql, mr_buf *b);
/* The text of migration i (0-based, i < mr_store_schema_version()). */
const char *mr_schema_migration(int i);
/* The SQL that brings merit's schema on PostgreSQL from version `from`
 * (-1: an empty database) to this merit's, into b. */
int mr_pg_schema_sql(int from, mr_buf *b, mr_err *err);

/* ---- the store on PostgreSQL (store_pgopen.c) ---- */
/* Connect s (made by store_new) to url; make merit's schema when the
 * database is empty and create is set, upgrade an older one. */
int mr_store_open_pg(mr_store *s, const char *url, int create, int read_only, mr_err *err);
int mr_pg_begin(mr_store *s, mr_err *err);        /* as the one writer */
int mr_pg_begin_read(mr_store *s, mr_err *err);   /* one snapshot */
int mr_pg_begin_aside(mr_store *s, const char *lock, mr_err *err);   /* a named lock */
int mr_pg_commit(mr_store *s, mr_err *err);
int mr_pg_version(mr_store *s, int *version, mr_err *err);
/* Each statement of the open transaction stopped after seconds (0:
 * never); a transaction begun later is given the time left of the
 * store's deadline (mr_store_time_left_ms) at its start. */
void mr_pg_deadline(mr_store *s, double seconds);
/* The ms left before mr_store_set_deadline's deadline, at least 1; 0 when
 * none is set. */
int64_t mr_store_time_left_ms(const mr_store *s);

#endif

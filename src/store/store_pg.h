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
/* Migration `sql` (SQLite's dialect, schema.c) in PostgreSQL's, appended
 * to b: 0, -1 when it holds something the rules do not cover, -2 out of
 * memory. */
int mr_pg_migration(mr_pg_schema *ps, const char *sql, mr_buf *b);
/* The text of migration i (0-based, i < mr_store_schema_version()). */
const char *mr_schema_migration(int i);

#endif

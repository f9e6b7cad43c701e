/* db.h — one way to run SQL on either engine merit keeps its data in:
 * an SQLite file (embedded) or a PostgreSQL database (libpq).
 *
 * The store writes its SQL once, in the dialect both engines read: the
 * placeholders are SQLite's (? numbered in order, or ?N), turned into
 * PostgreSQL's $N here; what SQLite has and PostgreSQL lacks (ifnull,
 * json_valid, strftime of now, group_concat, …) is made there as
 * functions by the schema's prelude (schema_pg.c), so a query needs no
 * second copy.
 *
 * A statement is prepared on PostgreSQL when it first runs, with the types
 * of the values then bound (an integer as bigint, a double as double
 * precision, text as text, a blob as bytea; a NULL leaves the type to the
 * server), and kept prepared on the connection.  Its rows come back as
 * text and are read as SQLite's would be: a bigint or numeric as an
 * integer (or a double when it has a fraction), a boolean as 0 or 1, a
 * bytea as its bytes.
 *
 * Errors: mr_step returns MR_DB_ROW, MR_DB_DONE, or MR_DB_ERROR, and
 * mr_db_fail then says what went wrong as merit's error code (a busy
 * database, a frozen cycle, a broken constraint, …) with the engine's
 * words.
 */
#ifndef MR_DB_H
#define MR_DB_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

typedef struct mr_db mr_db;
typedef struct mr_stmt mr_stmt;
typedef struct sqlite3 sqlite3;

enum { MR_DB_SQLITE = 1, MR_DB_PG = 2 };
/* mr_step's answers: SQLite's own numbers (SQLITE_ERROR, _ROW, _DONE),
 * so code written against sqlite3_step reads the same */
enum { MR_DB_ERROR = 1, MR_DB_ROW = 100, MR_DB_DONE = 101 };
/* a column's value: as sqlite3_column_type says */
enum { MR_COL_INT = 1, MR_COL_FLOAT = 2, MR_COL_TEXT = 3, MR_COL_BLOB = 4, MR_COL_NULL = 5 };

/* A PostgreSQL connection to url (any libpq URL); messages name it with
 * its password hidden. */
int mr_db_connect(mr_db **out, const char *url, mr_err *err);
/* SQLite's connection h, used through this interface (not closed by
 * mr_db_close: its owner closes it). */
int mr_db_sqlite(mr_db **out, sqlite3 *h, mr_err *err);
void mr_db_close(mr_db *db);                      /* NULL is a no-op */
/* PostgreSQL: a connection the server dropped (a restart) made again; 0
 * when it is open, -1 when the server still cannot be reached.  SQLite: 0. */
int mr_db_revive(mr_db *db);
/* Ask the server to cancel the statement each open PostgreSQL connection
 * of this process is running (async-signal-safe: PQcancel), before the
 * process ends with work cut short: what the server had not finished is
 * then not done at all. */
void mr_db_cancel_all(void);
int mr_db_engine(const mr_db *db);
/* The database for messages: the file, or the URL without its password. */
const char *mr_db_name(const mr_db *db);

/* Run sql, one or more statements with no values bound; 0, or the error
 * in err, its message starting with what. */
int mr_db_exec(mr_db *db, const char *sql, const char *what, mr_err *err);
/* The same without the message: 0, or the engine's error code (SQLite's
 * own; MR_DB_ERROR on PostgreSQL), to be told with mr_db_fail. */
int mr_db_run(mr_db *db, const char *sql);
/* The rows the last INSERT, UPDATE or DELETE changed. */
int64_t mr_db_changes(mr_db *db);
/* The rowid the last INSERT numbered, on SQLite; 0 on PostgreSQL (which
 * numbers rows by a trigger, not a sequence: an INSERT … RETURNING id and
 * mr_step_id tell the id on both engines). */
int64_t mr_db_last_id(mr_db *db);

/* One number a query gives (its first row and column; 0 when none). */
int mr_db_int(mr_db *db, const char *sql, int64_t *v, const char *what, mr_err *err);

/* PostgreSQL's COPY, for rows in bulk.  mr_db_copy_begin starts sql
 * ("COPY … FROM STDIN" or "COPY … TO STDOUT").  Into the table:
 * mr_db_copy_put sends text rows, mr_db_copy_end ends it, and with rc
 * non-zero (a failure already in err) abandons it, so no row of it is
 * kept.  Out of the table: mr_db_copy_get gives the next row's text in
 * *line (free it with mr_db_copy_free) and its length, 0 after the last
 * row, -1 on an error; then mr_db_copy_end.  Errors say what. */
int mr_db_copy_begin(mr_db *db, const char *sql, const char *what, mr_err *err);
int mr_db_copy_put(mr_db *db, const void *data, size_t n, const char *what, mr_err *err);
int mr_db_copy_get(mr_db *db, char **line);
void mr_db_copy_free(char *line);
int mr_db_copy_end(mr_db *db, int rc, const char *what, mr_err *err);
/* Rows into a table by one COPY (sql) left open between calls, so the
 * server takes in one part while the next is made: begun at the first
 * call, ended by mr_db_copy_settle, by a call with another sql, or before
 * anything else is asked on the connection (a failure of its end is then
 * that statement's). */
int mr_db_copy_stream(mr_db *db, const char *sql, const void *data, size_t n,
                      const char *what, mr_err *err);
int mr_db_copy_settle(mr_db *db, const char *what, mr_err *err);
/* Text p as a field of COPY's text format, appended to b. */
void mr_db_copy_text(mr_buf *b, const char *p);

mr_stmt *mr_db_prepare(mr_db *db, const char *sql, mr_err *err);
/* Values for placeholder i (from 1); text and blob are copied. */
int mr_bind_i64(mr_stmt *st, int i, int64_t v);
int mr_bind_f64(mr_stmt *st, int i, double v);
int mr_bind_text(mr_stmt *st, int i, const char *v, int n);   /* n < 0: up to the NUL */
int mr_bind_blob(mr_stmt *st, int i, const void *v, int n);
int mr_bind_null(mr_stmt *st, int i);
int mr_step(mr_stmt *st);
/* Step an INSERT … RETURNING id: 0 and the new row's id in *id, or -1
 * (the engine's message for mr_q_err / mr_db_fail). */
int mr_step_id(mr_stmt *st, int64_t *id);
int mr_col_type(mr_stmt *st, int i);
int64_t mr_col_i64(mr_stmt *st, int i);
double mr_col_f64(mr_stmt *st, int i);
/* NULL for SQL NULL; valid until the next step, reset or finalize. */
const char *mr_col_text(mr_stmt *st, int i);
const void *mr_col_blob(mr_stmt *st, int i);
int mr_col_bytes(mr_stmt *st, int i);
int mr_col_count(mr_stmt *st);
/* Ready to run again, the bound values kept. */
int mr_reset(mr_stmt *st);
int mr_clear(mr_stmt *st);                       /* all values NULL again */
void mr_finalize(mr_stmt *st);                   /* NULL is a no-op */

/* The error of the last failed call on db, as merit's: MR_EBUSY (another
 * writer kept the lock), MR_EFROZEN (a closed cycle's trigger), MR_EFULL,
 * MR_ETIME (the statement timed out), else MR_EDB; the message is "what:
 * the engine's words". */
int mr_db_fail(mr_db *db, mr_err *err, const char *what);
/* The engine's words for the last error. */
const char *mr_db_errmsg(const mr_db *db);
/* What the last error was: a row a unique key or primary key refused; any
 * constraint (unique, foreign key, check, not null); another writer's
 * lock. */
int mr_db_duplicate(const mr_db *db);
int mr_db_constraint(const mr_db *db);
int mr_db_busy(const mr_db *db);
/* Did the open transaction fail (so COMMIT would roll it back)? */
int mr_db_tx_failed(const mr_db *db);
/* How long a statement waits for another writer's lock, in ms (0: not at
 * all); the connection's setting from then on. */
void mr_db_set_wait(mr_db *db, int ms);

#endif

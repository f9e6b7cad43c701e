/* db.c — SQL on SQLite or PostgreSQL through one interface (db.h).
 *
 * SQLite: each call is sqlite3's own.  PostgreSQL: a statement keeps its
 * SQL with $N placeholders and the values bound, as text (a blob as
 * binary); it runs with PQexecParams when first stepped, every row comes
 * back at once, and steps walk them.  Statements are not prepared on the
 * server: nothing is left behind on a long-lived connection (a server's),
 * and the bulk writes go by COPY, not row by row.
 */
#include "store/db.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/store_int.h"

/* COPY_OPEN: a COPY into a table left open between mr_db_copy_stream's
 * calls, ended before the connection is asked anything else */
enum { COPY_IN = 1, COPY_OUT = 2, COPY_OPEN = 3 };

/* PostgreSQL type OIDs (pg_type.dat) */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23,
       OID_TEXT = 25, OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

struct mr_db {
	int engine;
	sqlite3 *lite;
	PGconn *pg;
	int64_t changes;           /* PostgreSQL: the last command's rows */
	int copying;               /* in a COPY: COPY_IN, COPY_OUT or COPY_OPEN */
	const char *copy_sql;      /* COPY_OPEN's statement */
	char name[512];
	char msg[1024];            /* PostgreSQL: the last error's primary message */
	char state[6];             /* and its SQLSTATE */
	int slot;                  /* PostgreSQL: its place in live[], or -1 */
};

/* Every open PostgreSQL connection's cancel handle, for mr_db_cancel_all:
 * a process that stops with a statement still waiting on the server (for
 * a lock) must cancel it, or the server would carry it out and commit it
 * after the process said it was not saved.  Slots claimed and cleared
 * atomically, so a signal handler may walk them. */
#define LIVE_SLOTS 256
static _Atomic(PGcancel *) live[LIVE_SLOTS];
static atomic_int cancelled;       /* mr_db_cancel_all was called */
static atomic_int walking;         /* mr_db_cancel_all is using the handles */

static void live_add(mr_db *db)
{
	db->slot = -1;
	PGcancel *c = PQgetCancel(db->pg);
	for (int i = 0; c && i < LIVE_SLOTS; i++) {
		PGcancel *none = NULL;
		if (atomic_compare_exchange_strong(&live[i], &none, c)) {
			db->slot = i;
			return;
		}
	}
	PQfreeCancel(c);               /* more connections than slots: not cancelled */
}

static void live_drop(mr_db *db)
{
	if (db->slot >= 0) {
		PGcancel *c = atomic_exchange(&live[db->slot], NULL);
		if (!atomic_load(&walking))    /* else a cancel may be using it: left */
			PQfreeCancel(c);
	}
	db->slot = -1;
}

void mr_db_cancel_all(void)
{
	char e[256];
	atomic_store(&cancelled, 1);
	atomic_fetch_add(&walking, 1);     /* before any handle is read: none freed now */
	for (int i = 0; i < LIVE_SLOTS; i++) {
		PGcancel *c = atomic_load(&live[i]);
		if (c)
			PQcancel(c, e, sizeof e);
	}
	atomic_fetch_sub(&walking, 1);
}

typedef struct param {
	Oid type;
	char *val;                 /* NULL: SQL NULL */
	int len, fmt;              /* fmt 1: binary (bytea) */
} param;

struct mr_stmt {
	mr_db *db;
	sqlite3_stmt *lite;
	char *sql;                 /* PostgreSQL's: $N placeholders */
	int nparams;
	param *p;
	unsigned char *tested;     /* per parameter: first seen in "$N IS [NOT] NULL",
	                              or not at all: a NULL there is typed text */
	PGresult *res;
	int ran, row, nrows;
	unsigned char *blob;       /* the last bytea column read, unescaped */
	size_t blob_len;
	int blob_row, blob_col;    /* which it is */
};

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int mr_db_connect(mr_db **out, const char *url, mr_err *err)
{
	mr_db *db = calloc(1, sizeof *db);
	*out = NULL;
	if (!db)
		return mr_err_nomem(err);
	db->engine = MR_DB_PG;
	db->slot = -1;
	mr_db_shown(url, db->name, sizeof db->name);
	db->pg = PQconnectdb(url);
	if (!db->pg || PQstatus(db->pg) != CONNECTION_OK) {
		char m[512];
		snprintf(m, sizeof m, "%s", db->pg ? PQerrorMessage(db->pg) : "out of memory");
		m[strcspn(m, "\n")] = 0;
		int rc = mr_err_set(err, db->pg ? MR_EDB : MR_ENOMEM, "%s: cannot connect: %s",
		                    db->name, m);
		mr_db_close(db);
		return rc;
	}
	PQsetNoticeProcessor(db->pg, quiet, NULL);   /* NOTICEs are not merit's words */
	live_add(db);
	*out = db;
	return 0;
}

int mr_db_sqlite(mr_db **out, sqlite3 *h, mr_err *err)
{
	mr_db *db = calloc(1, sizeof *db);
	*out = NULL;
	if (!db)
		return mr_err_nomem(err);
	db->engine = MR_DB_SQLITE;
	db->lite = h;
	const char *f = sqlite3_db_filename(h, "main");
	snprintf(db->name, sizeof db->name, "%s", f && *f ? f : ":memory:");
	*out = db;
	return 0;
}

void mr_db_close(mr_db *db)
{
	if (!db)
		return;
	if (db->pg) {
		live_drop(db);
		PQfinish(db->pg);
	}
	free(db);
}

int mr_db_revive(mr_db *db)
{
	if (db->engine != MR_DB_PG || PQstatus(db->pg) == CONNECTION_OK)
		return 0;
	live_drop(db);
	db->copying = 0;
	PQreset(db->pg);
	if (PQstatus(db->pg) != CONNECTION_OK)
		return -1;
	PQsetNoticeProcessor(db->pg, quiet, NULL);
	live_add(db);
	return 0;
}

int mr_db_engine(const mr_db *db) { return db->engine; }
const char *mr_db_name(const mr_db *db) { return db->name; }

/* Keep a failed result's words on db; clears r. */
static void pg_error(mr_db *db, PGresult *r)
{
	const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	snprintf(db->msg, sizeof db->msg, "%s", m ? m : PQerrorMessage(db->pg));
	db->msg[strcspn(db->msg, "\n")] = 0;
	snprintf(db->state, sizeof db->state, "%s", st ? st : "");
	PQclear(r);
}

/* A COPY that mr_db_copy_stream left open, ended before anything else is
 * asked on the connection: its rows are checked then (their triggers run),
 * and a failure there is the next statement's, in db->msg and db->state.
 * Before a ROLLBACK (sql) it is abandoned instead, so the ROLLBACK runs. */
static int settle_for(mr_db *db, const char *sql)
{
	if (db->copying != COPY_OPEN)
		return 0;
	mr_err e = { 0 };
	int abandon = sql && !strncmp(sql, "ROLLBACK", 8);
	db->copying = COPY_IN;
	int rc = mr_db_copy_end(db, abandon ? MR_EDB : 0, "", &e);
	mr_err_clear(&e);
	return rc && !abandon ? MR_DB_ERROR : 0;
}

static int settle(mr_db *db) { return settle_for(db, NULL); }

int mr_db_exec(mr_db *db, const char *sql, const char *what, mr_err *err)
{
	return mr_db_run(db, sql) ? mr_db_fail(db, err, what) : 0;
}

int mr_db_run(mr_db *db, const char *sql)
{
	if (db->engine == MR_DB_SQLITE)
		return sqlite3_exec(db->lite, sql, NULL, NULL, NULL);
	if (settle_for(db, sql))
		return MR_DB_ERROR;
	PGresult *r = PQexec(db->pg, sql);
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		pg_error(db, r);
		return MR_DB_ERROR;
	}
	db->changes = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return 0;
}

int64_t mr_db_last_id(mr_db *db)
{
	return db->engine == MR_DB_SQLITE ? (int64_t)sqlite3_last_insert_rowid(db->lite) : 0;
}

int64_t mr_db_changes(mr_db *db)
{
	return db->engine == MR_DB_SQLITE ? (int64_t)sqlite3_changes64(db->lite) : db->changes;
}

int mr_db_int(mr_db *db, const char *sql, int64_t *v, const char *what, mr_err *err)
{
	mr_stmt *st = mr_db_prepare(db, sql, err);
	if (!st)
		return err->code;
	int rc = mr_step(st);
	*v = rc == MR_DB_ROW ? mr_col_i64(st, 0) : 0;
	rc = rc == MR_DB_ROW || rc == MR_DB_DONE ? 0 : mr_db_fail(db, err, what);
	mr_finalize(st);
	return rc;
}

/* libpq's connection-level words as the last error (no SQLSTATE). */
static int pg_conn_error(mr_db *db, const char *what, mr_err *err)
{
	snprintf(db->msg, sizeof db->msg, "%s", PQerrorMessage(db->pg));
	db->msg[strcspn(db->msg, "\n")] = 0;
	db->state[0] = 0;
	return mr_db_fail(db, err, what);
}

int mr_db_copy_begin(mr_db *db, const char *sql, const char *what, mr_err *err)
{
	if (db->engine != MR_DB_PG)
		return mr_err_set(err, MR_EDB, "%s: COPY is PostgreSQL's", what);
	if (settle(db))
		return mr_db_fail(db, err, what);
	PGresult *r = PQexec(db->pg, sql);
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (s != PGRES_COPY_IN && s != PGRES_COPY_OUT) {
		pg_error(db, r);
		return mr_db_fail(db, err, what);
	}
	db->copying = s == PGRES_COPY_IN ? COPY_IN : COPY_OUT;
	PQclear(r);
	return 0;
}

int mr_db_copy_put(mr_db *db, const void *data, size_t n, const char *what, mr_err *err)
{
	if (n > INT32_MAX)
		return mr_err_set(err, MR_EDB, "%s: %zu bytes at once is too many", what, n);
	return PQputCopyData(db->pg, data, (int)n) == 1 ? 0 : pg_conn_error(db, what, err);
}

int mr_db_copy_get(mr_db *db, char **line)
{
	*line = NULL;
	int n = PQgetCopyData(db->pg, line, 0);
	return n > 0 ? n : n == -1 ? 0 : -1;
}

void mr_db_copy_free(char *line) { PQfreemem(line); }

int mr_db_copy_stream(mr_db *db, const char *sql, const void *data, size_t n,
                      const char *what, mr_err *err)
{
	int rc = 0;
	if (db->copying == COPY_OPEN && strcmp(db->copy_sql, sql) != 0 &&
	    (rc = mr_db_copy_settle(db, what, err)))
		return rc;
	if (db->copying != COPY_OPEN) {
		if ((rc = mr_db_copy_begin(db, sql, what, err)))
			return rc;
		db->copying = COPY_OPEN;
		db->copy_sql = sql;
	}
	if ((rc = mr_db_copy_put(db, data, n, what, err))) {
		db->copying = COPY_IN;
		rc = mr_db_copy_end(db, rc, what, err);
	}
	return rc;
}

int mr_db_copy_settle(mr_db *db, const char *what, mr_err *err)
{
	return settle(db) ? mr_db_fail(db, err, what) : 0;
}

void mr_db_copy_text(mr_buf *b, const char *p)
{
	for (; p && *p; p++)
		switch (*p) {
		case '\\': mr_buf_puts(b, "\\\\"); break;
		case '\t': mr_buf_puts(b, "\\t"); break;
		case '\n': mr_buf_puts(b, "\\n"); break;
		case '\r': mr_buf_puts(b, "\\r"); break;
		default: mr_buf_putc(b, *p);
		}
}

int mr_db_copy_end(mr_db *db, int rc, const char *what, mr_err *err)
{
	if (!db->copying)
		return rc;
	if (db->copying == COPY_IN &&
	    PQputCopyEnd(db->pg, rc ? "merit stopped" : NULL) != 1 && !rc)
		rc = pg_conn_error(db, what, err);
	if (db->copying == COPY_OUT) {      /* read what is left of it */
		char *line;
		while (mr_db_copy_get(db, &line) > 0)
			PQfreemem(line);
	}
	db->copying = 0;
	PGresult *r;
	while ((r = PQgetResult(db->pg))) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT) {
			/* the end could not be sent (a lost connection): none follows */
			PQclear(r);
			if (!rc)
				rc = pg_conn_error(db, what, err);
			break;
		}
		if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_error(db, r);
			rc = mr_db_fail(db, err, what);
			continue;
		}
		if (PQresultStatus(r) == PGRES_COMMAND_OK)
			db->changes = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
	}
	return rc;
}

/* SQLite's functions that PostgreSQL has under other names (at most 8
 * bytes longer). */
static const char *const renamed[][2] = {
	{ "json_object(", "json_build_object(" },
	{ "json_array(", "json_build_array(" },
	{ "json_group_array(", "json_agg(" },
	{ "ifnull(", "coalesce(" },       /* the server's own types for its values */
};

/* SQLite's placeholders as PostgreSQL's: ?N is $N, a bare ? the next
 * number after the largest so far (as SQLite numbers them); SQLite's
 * JSON functions by PostgreSQL's names (renamed); quoted text is left
 * alone.  Returns the number of parameters, -1 out of memory. */
static int placeholders(const char *sql, char **out)
{
	/* room for each ? as $N (at most 11 bytes) and each name renamed */
	size_t n = strlen(sql), cap = n + 16;
	for (const char *p = sql; *p; p++)
		cap += *p == '?' ? 11 : *p == '(' ? 8 : 0;
	char *o = malloc(cap), *w = o;
	int top = 0;
	if (!o)
		return -1;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			*w++ = *p++;
			while (*p && *p != q)
				*w++ = *p++;
			if (*p)
				*w++ = *p++;
			continue;
		}
		size_t k0 = 0;
		const char *as = NULL;
		for (size_t f = 0; !as && f < sizeof renamed / sizeof *renamed; f++)
			if (!strncmp(p, renamed[f][0], k0 = strlen(renamed[f][0])) &&
			    (p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')))
				as = renamed[f][1];
		if (as) {
			w += snprintf(w, cap - (size_t)(w - o), "%s", as);
			p += k0;
			continue;
		}
		if (*p != '?') {
			*w++ = *p++;
			continue;
		}
		p++;
		int k = 0;
		if (*p >= '0' && *p <= '9')
			while (*p >= '0' && *p <= '9')
				k = k * 10 + (*p++ - '0');
		else
			k = top + 1;
		if (k > top)
			top = k;
		w += snprintf(w, cap - (size_t)(w - o), "$%d", k);
	}
	*w = 0;
	*out = o;
	return top;
}

mr_stmt *mr_db_prepare(mr_db *db, const char *sql, mr_err *err)
{
	mr_stmt *st = calloc(1, sizeof *st);
	if (!st) {
		mr_err_nomem(err);
		return NULL;
	}
	st->db = db;
	if (db->engine == MR_DB_SQLITE) {
		if (sqlite3_prepare_v2(db->lite, sql, -1, &st->lite, NULL) != SQLITE_OK) {
			mr_db_fail(db, err, "preparing a query");
			free(st);
			return NULL;
		}
		return st;
	}
	st->nparams = placeholders(sql, &st->sql);
	if (st->nparams < 0 ||
	    (st->nparams && (!(st->p = calloc((size_t)st->nparams, sizeof *st->p)) ||
	                     !(st->tested = calloc((size_t)st->nparams, 1))))) {
		mr_finalize(st);
		mr_err_nomem(err);
		return NULL;
	}
	for (int k = 1; k <= st->nparams; k++) {
		/* the first $k (not $k0…): a NULL there tells the server no type */
		char tag[16];
		int len = snprintf(tag, sizeof tag, "$%d", k);
		const char *at = st->sql;
		while ((at = strstr(at, tag)) && at[len] >= '0' && at[len] <= '9')
			at += len;
		if (at) {
			at += len;
			while (*at == ' ')
				at++;
			st->tested[k - 1] = !strncasecmp(at, "IS ", 3);
		} else {
			st->tested[k - 1] = 1;   /* not in the SQL (?1, ?3 and no ?2): any type */
		}
	}
	return st;
}

/* Set placeholder i's value (a copy of n bytes, or NULL). */
static int pg_bind(mr_stmt *st, int i, Oid type, const void *v, int n, int fmt)
{
	if (i < 1 || i > st->nparams)
		return SQLITE_RANGE;
	param *p = &st->p[i - 1];
	free(p->val);
	*p = (param){ type, NULL, 0, fmt };
	if (!v)
		return 0;
	if (!(p->val = malloc((size_t)n + 1)))
		return SQLITE_NOMEM;
	memcpy(p->val, v, (size_t)n);
	p->val[n] = 0;
	p->len = n;
	return 0;
}

int mr_bind_i64(mr_stmt *st, int i, int64_t v)
{
	if (st->lite)
		return sqlite3_bind_int64(st->lite, i, v);
	char b[24];
	return pg_bind(st, i, OID_INT8, b, snprintf(b, sizeof b, "%lld", (long long)v), 0);
}

int mr_bind_f64(mr_stmt *st, int i, double v)
{
	if (st->lite)
		return sqlite3_bind_double(st->lite, i, v);
	char b[32];
	return pg_bind(st, i, OID_FLOAT8, b, snprintf(b, sizeof b, "%.17g", v), 0);
}

int mr_bind_text(mr_stmt *st, int i, const char *v, int n)
{
	if (st->lite)
		return sqlite3_bind_text(st->lite, i, v, n, SQLITE_TRANSIENT);
	return pg_bind(st, i, OID_TEXT, v, v ? (n < 0 ? (int)strlen(v) : n) : 0, 0);
}

int mr_bind_blob(mr_stmt *st, int i, const void *v, int n)
{
	if (st->lite)
		return sqlite3_bind_blob(st->lite, i, v, n, SQLITE_TRANSIENT);
	return pg_bind(st, i, OID_BYTEA, v ? v : "", v ? n : 0, 1);
}

int mr_bind_null(mr_stmt *st, int i)
{
	if (st->lite)
		return sqlite3_bind_null(st->lite, i);
	/* "?1 IS NULL OR x = ?1": typed, or the server cannot tell its type */
	return pg_bind(st, i, i >= 1 && i <= st->nparams && st->tested[i - 1] ? OID_TEXT : 0,
	               NULL, 0, 0);
}

static int pg_run(mr_stmt *st)
{
	mr_db *db = st->db;
	int n = st->nparams;
	if (settle(db))
		return MR_DB_ERROR;
	/* the values' types, texts, lengths and formats, as libpq takes them */
	Oid *types = NULL;
	const char **vals = NULL;
	int *lens = NULL, *fmts = NULL;
	if (n && (!(types = malloc((size_t)n * sizeof *types)) ||
	          !(vals = malloc((size_t)n * sizeof *vals)) ||
	          !(lens = malloc((size_t)n * sizeof *lens)) ||
	          !(fmts = malloc((size_t)n * sizeof *fmts)))) {
		free(types);
		free(vals);
		free(lens);
		snprintf(db->msg, sizeof db->msg, "out of memory");
		snprintf(db->state, sizeof db->state, "53200");
		return MR_DB_ERROR;
	}
	for (int i = 0; i < n; i++) {
		/* a value never bound is NULL; typed as mr_bind_null types it */
		types[i] = st->p[i].type ? st->p[i].type
		         : !st->p[i].val && st->tested[i] ? OID_TEXT : 0;
		vals[i] = st->p[i].val;
		lens[i] = st->p[i].len;
		fmts[i] = st->p[i].fmt;
	}
	PGresult *r = PQexecParams(db->pg, st->sql, n, types, vals, lens, fmts, 0);
	free(types);
	free(vals);
	free(lens);
	free(fmts);
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		pg_error(db, r);
		return MR_DB_ERROR;
	}
	db->changes = strtoll(PQcmdTuples(r), NULL, 10);
	st->res = r;
	st->row = -1;
	st->nrows = s == PGRES_TUPLES_OK ? PQntuples(r) : 0;
	return 0;
}

int mr_step(mr_stmt *st)
{
	if (st->lite) {
		return sqlite3_step(st->lite);     /* SQLITE_ROW, _DONE, or its error */
	}
	if (!st->ran) {
		st->ran = 1;
		if (pg_run(st))
			return MR_DB_ERROR;
	}
	if (!st->res)
		return MR_DB_ERROR;
	return ++st->row < st->nrows ? MR_DB_ROW : MR_DB_DONE;
}

/* Row and column of a PostgreSQL result that holds a value there. */
static int pg_has(mr_stmt *st, int i)
{
	return st->res && st->row >= 0 && st->row < st->nrows && i >= 0 &&
	       i < PQnfields(st->res) && !PQgetisnull(st->res, st->row, i);
}

int mr_col_type(mr_stmt *st, int i)
{
	if (st->lite)
		return sqlite3_column_type(st->lite, i);
	if (!pg_has(st, i))
		return MR_COL_NULL;
	switch (PQftype(st->res, i)) {
	case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8:
		return MR_COL_INT;
	case OID_FLOAT4: case OID_FLOAT8:
		return MR_COL_FLOAT;
	case OID_NUMERIC:
		return strpbrk(PQgetvalue(st->res, st->row, i), ".eEN") ? MR_COL_FLOAT : MR_COL_INT;
	case OID_BYTEA:
		return MR_COL_BLOB;
	default:
		return MR_COL_TEXT;
	}
}

int mr_step_id(mr_stmt *st, int64_t *id)
{
	if (mr_step(st) != MR_DB_ROW)
		return -1;
	*id = mr_col_i64(st, 0);
	return 0;
}

int64_t mr_col_i64(mr_stmt *st, int i)
{
	if (st->lite)
		return sqlite3_column_int64(st->lite, i);
	if (!pg_has(st, i))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, i);
	if (PQftype(st->res, i) == OID_BOOL)
		return *v == 't';
	if (strpbrk(v, ".eE"))
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

double mr_col_f64(mr_stmt *st, int i)
{
	if (st->lite)
		return sqlite3_column_double(st->lite, i);
	if (!pg_has(st, i))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, i);
	return PQftype(st->res, i) == OID_BOOL ? (*v == 't') : strtod(v, NULL);
}

const char *mr_col_text(mr_stmt *st, int i)
{
	if (st->lite)
		return (const char *)sqlite3_column_text(st->lite, i);
	if (!pg_has(st, i))
		return NULL;
	const char *v = PQgetvalue(st->res, st->row, i);
	if (PQftype(st->res, i) == OID_BOOL)
		return *v == 't' ? "1" : "0";
	return v;
}

/* Column i's bytes: a bytea unescaped (kept in st->blob for this row and
 * column), any other value's text as it is; NULL for SQL NULL or no
 * memory. */
static const void *pg_bytes(mr_stmt *st, int i, int *len)
{
	*len = 0;
	if (!pg_has(st, i))
		return NULL;
	if (PQftype(st->res, i) != OID_BYTEA) {
		*len = PQgetlength(st->res, st->row, i);
		return PQgetvalue(st->res, st->row, i);
	}
	if (!st->blob || st->blob_row != st->row || st->blob_col != i) {
		PQfreemem(st->blob);
		st->blob_len = 0;
		st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, i),
		                           &st->blob_len);
		st->blob_row = st->row;
		st->blob_col = i;
		if (!st->blob)
			return NULL;
	}
	*len = (int)st->blob_len;
	return st->blob;
}

const void *mr_col_blob(mr_stmt *st, int i)
{
	int n;
	if (st->lite)
		return sqlite3_column_blob(st->lite, i);
	return pg_bytes(st, i, &n);
}

int mr_col_bytes(mr_stmt *st, int i)
{
	int n;
	if (st->lite)
		return sqlite3_column_bytes(st->lite, i);
	pg_bytes(st, i, &n);
	return n;
}

int mr_col_count(mr_stmt *st)
{
	if (st->lite)
		return sqlite3_column_count(st->lite);
	return st->res ? PQnfields(st->res) : 0;
}

int mr_reset(mr_stmt *st)
{
	if (st->lite)
		return sqlite3_reset(st->lite);
	PQclear(st->res);
	st->res = NULL;
	st->ran = 0;
	st->row = -1;
	st->nrows = 0;
	return 0;
}

int mr_clear(mr_stmt *st)
{
	if (st->lite)
		return sqlite3_clear_bindings(st->lite);
	for (int i = 0; i < st->nparams; i++) {
		free(st->p[i].val);
		st->p[i] = (param){ 0, NULL, 0, 0 };
	}
	return 0;
}

void mr_finalize(mr_stmt *st)
{
	if (!st)
		return;
	if (st->lite)
		sqlite3_finalize(st->lite);
	else
		mr_clear(st);
	PQclear(st->res);
	PQfreemem(st->blob);
	free(st->p);
	free(st->tested);
	free(st->sql);
	free(st);
}

const char *mr_db_errmsg(const mr_db *db)
{
	return db->engine == MR_DB_SQLITE ? sqlite3_errmsg(db->lite) : db->msg;
}

int mr_db_fail(mr_db *db, mr_err *err, const char *what)
{
	if (db->engine == MR_DB_SQLITE)
		return mr_sql_err(db->lite, err, "%s", what);
	const char *s = db->state;
	if (PQstatus(db->pg) == CONNECTION_BAD || !strncmp(s, "08", 2))
		return mr_err_set(err, MR_EBUSY, "%s: the database server cannot be reached just now "
		                  "(%s); try again in a moment", what,
		                  *db->msg ? db->msg : "the connection was lost");
	if (!strcmp(db->msg, "frozen"))
		return mr_err_set(err, MR_EFROZEN, "%s: the cycle is closed", what);
	if (!strcmp(s, "55P03") || !strcmp(s, "40P01") || !strcmp(s, "40001"))
		return mr_err_set(err, MR_EBUSY, "%s: the database is busy: another merit kept "
		                  "the rows it needed locked", what);
	if (!strcmp(s, "57014"))
		return mr_err_set(err, MR_ETIME, atomic_load(&cancelled) ? "%s: not done: merit is "
		                  "stopping" : "%s: stopped at the time limit", what);
	if (!strcmp(s, "53200"))
		return mr_err_nomem(err);
	if (!strcmp(s, "53100"))
		return mr_err_set(err, MR_EFULL, "%s: the database server's disk is full", what);
	return mr_err_set(err, MR_EDB, "%s: %s", what, *db->msg ? db->msg : "unknown database error");
}

int mr_db_duplicate(const mr_db *db)
{
	if (db->engine == MR_DB_SQLITE) {
		int x = sqlite3_extended_errcode(db->lite);
		return x == SQLITE_CONSTRAINT_PRIMARYKEY || x == SQLITE_CONSTRAINT_UNIQUE;
	}
	return !strcmp(db->state, "23505");
}

int mr_db_constraint(const mr_db *db)
{
	if (db->engine == MR_DB_SQLITE)
		return (sqlite3_extended_errcode(db->lite) & 0xff) == SQLITE_CONSTRAINT;
	return !strncmp(db->state, "23", 2);
}

int mr_db_busy(const mr_db *db)
{
	if (db->engine == MR_DB_SQLITE) {
		int c = sqlite3_extended_errcode(db->lite) & 0xff;
		return c == SQLITE_BUSY || c == SQLITE_LOCKED;
	}
	return !strcmp(db->state, "55P03") || !strcmp(db->state, "40P01") ||
	       !strcmp(db->state, "40001");
}

int mr_db_tx_failed(const mr_db *db)
{
	if (db->engine == MR_DB_SQLITE)
		return sqlite3_get_autocommit(db->lite);
	return PQtransactionStatus(db->pg) == PQTRANS_INERROR;
}

void mr_db_set_wait(mr_db *db, int ms)
{
	if (db->engine == MR_DB_SQLITE) {
		sqlite3_busy_timeout(db->lite, ms);
		return;
	}
	char sql[64];
	/* lock_timeout 0 is "wait for ever" there: 1 ms is "not at all" */
	snprintf(sql, sizeof sql, "SET lock_timeout = %d", ms > 0 ? ms : 1);
	if (!settle(db))
		PQclear(PQexec(db->pg, sql));
}

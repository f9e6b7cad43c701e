/* store_copy.c — `merit db copy`: a whole merit database from an SQLite
 * file into an empty PostgreSQL database, or from PostgreSQL back into a
 * new SQLite file.
 *
 * Into PostgreSQL, in one transaction (a copy stopped half way, by an
 * error or a kill, leaves the database as empty as it was): the schema,
 * made from the same migrations as SQLite's (schema_pg.c); then every
 * table with COPY, its rows read in one consistent snapshot of the file,
 * numbers written so they come back bit for bit (%.17g); triggers are
 * off for the copy (a closed cycle's ratings are frozen, but they must
 * come over) and the foreign keys are checked once, at the end; each
 * identity column continues after the largest number used (for probes:
 * after the largest ever given, as SQLite's AUTOINCREMENT did); and each
 * table's row count is compared before the commit.
 *
 * Back into SQLite: a new file, made beside the target and renamed into
 * place when whole and checked (foreign keys, quick check), from one
 * REPEATABLE READ snapshot of the PostgreSQL database.  The cycle table
 * is written last, so the frozen-cycle triggers see no closed cycle while
 * the rows of one come in.
 *
 * The PostgreSQL database must hold merit's schema at this merit's
 * version; a password in the URL is never printed.
 */
#include "store/store_pg.h"
#include "util/vec.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEND (256u << 10)     /* bytes of COPY data sent at a time */

int mr_db_is_url(const char *db)
{
	return db && (!strncmp(db, "postgresql://", 13) || !strncmp(db, "postgres://", 11));
}

void mr_db_shown(const char *url, char *out, size_t size)
{
	const char *scheme = strstr(url, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
	if (at && colon && colon < at)
		snprintf(out, size, "%.*s:***%s", (int)(colon - url), url, at);
	else
		snprintf(out, size, "%s", url);
}

/* "URL: what table", for the messages of a step. */
static const char *doing(char *out, size_t size, mr_db *p, const char *what, const char *table)
{
	snprintf(out, size, "%s: %s%s%s", mr_db_name(p), what, table ? " " : "", table ? table : "");
	return out;
}

/* Run sql on PostgreSQL; "URL: what: the server's words" when it fails. */
static int pg_run(mr_db *p, const char *sql, const char *what, mr_err *err)
{
	char w[640];
	return mr_db_exec(p, sql, doing(w, sizeof w, p, what, NULL), err);
}

static int pg_int(mr_db *p, const char *sql, int64_t *v, const char *what, mr_err *err)
{
	char w[640];
	return mr_db_int(p, sql, v, doing(w, sizeof w, p, what, NULL), err);
}

/* The identity columns of merit's tables there: table, column. */
static mr_stmt *identity_columns(mr_db *p, mr_err *err)
{
	return mr_db_prepare(p, "SELECT table_name, column_name FROM information_schema.columns"
	                     " WHERE table_schema = current_schema() AND is_identity = 'YES'"
	                     " ORDER BY 1, 2", err);
}

/* The tables of the SQLite database, in name order, cycle last. */
static int tables(sqlite3 *db, char ***out, size_t *n, mr_err *err)
{
	sqlite3_stmt *st;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name"
	                       " NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name = 'cycle', name",
	                       -1, &st, NULL) != SQLITE_OK)
		return mr_sql_err(db, err, "listing the tables");
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *name = strdup((const char *)sqlite3_column_text(st, 0));
		if (!name || mr_vec_grow(out, &cap, *n, sizeof **out)) {
			free(name);
			sqlite3_finalize(st);
			return mr_err_nomem(err);
		}
		(*out)[(*n)++] = name;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : mr_sql_err(db, err, "listing the tables");
}

static void tables_free(char **t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i]);
	free(t);
}

/* A table's columns, quoted and joined ("a", "b"), and each one's kind:
 * 'i' integer, 'r' real, 'b' blob, 't' text (SQLite's declared type). */
static int columns(sqlite3 *db, const char *table, mr_buf *list, char *kinds, size_t size,
                   mr_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT name, upper(type) FROM pragma_table_info(?1) ORDER BY cid",
	                       -1, &st, NULL) != SQLITE_OK)
		return mr_sql_err(db, err, "reading the columns of %s", table);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	size_t n = 0;
	mr_buf_reset(list);
	while (sqlite3_step(st) == SQLITE_ROW && n + 1 < size) {
		const char *type = (const char *)sqlite3_column_text(st, 1);
		mr_buf_printf(list, "%s\"%s\"", n ? ", " : "", (const char *)sqlite3_column_text(st, 0));
		kinds[n++] = strstr(type, "INT") ? 'i' : strstr(type, "REAL") ? 'r' :
		             strstr(type, "BLOB") ? 'b' : 't';
	}
	kinds[n] = 0;
	sqlite3_finalize(st);
	if (mr_buf_oom(list))
		return mr_err_nomem(err);
	return n ? 0 : mr_err_set(err, MR_EDB, "%s: no columns", table);
}

/* COPY's text form of a value: \N, a number, or text with \ \t \n \r
 * escaped; a blob as bytea's \x hex (its \ escaped itself). */
static void copy_value(mr_buf *b, sqlite3_stmt *st, int i)
{
	static const char hex[] = "0123456789abcdef";
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		mr_buf_puts(b, "\\N");
		break;
	case SQLITE_INTEGER:
		mr_buf_printf(b, "%lld", (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		mr_buf_printf(b, "%.17g", sqlite3_column_double(st, i));
		break;
	case SQLITE_BLOB: {
		const unsigned char *p = sqlite3_column_blob(st, i);
		int n = sqlite3_column_bytes(st, i);
		mr_buf_puts(b, "\\\\x");
		for (int k = 0; k < n; k++) {
			mr_buf_putc(b, hex[p[k] >> 4]);
			mr_buf_putc(b, hex[p[k] & 15]);
		}
		break;
	}
	default:
		mr_db_copy_text(b, (const char *)sqlite3_column_text(st, i));
	}
}

static int count_rows(sqlite3 *db, const char *table, int64_t *n, mr_err *err)
{
	char sql[256];
	sqlite3_stmt *st;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return mr_sql_err(db, err, "counting the rows of %s", table);
	}
	*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

typedef struct progress {
	const mr_copy_opts *o;
	unsigned long long done, total;
} progress;

static void tell(progress *pr, unsigned long long rows)
{
	pr->done += rows;
	if (pr->o && pr->o->progress)
		pr->o->progress(pr->done, pr->total, pr->o->payload);
}

/* One table's rows into PostgreSQL with COPY. */
static int copy_table_out(sqlite3 *db, mr_db *p, const char *table, progress *pr, mr_err *err)
{
	char kinds[128], w[640];
	mr_buf cols, sql, data;
	mr_buf_init(&cols);
	mr_buf_init(&sql);
	mr_buf_init(&data);
	sqlite3_stmt *st = NULL;
	int rc = columns(db, table, &cols, kinds, sizeof kinds, err);
	if (rc)
		goto done;
	mr_buf_printf(&sql, "COPY \"%s\" (%s) FROM STDIN", table, cols.data);
	if (mr_buf_oom(&sql))
		rc = mr_err_nomem(err);
	doing(w, sizeof w, p, "copying", table);
	if (rc || (rc = mr_db_copy_begin(p, sql.data, w, err)))
		goto done;
	mr_buf_reset(&sql);
	mr_buf_printf(&sql, "SELECT %s FROM \"%s\"", cols.data, table);
	if (sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		rc = mr_sql_err(db, err, "reading %s", table);
		goto drain;
	}
	int ncol = (int)strlen(kinds), step;
	unsigned long long rows = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++) {
			if (i)
				mr_buf_putc(&data, '\t');
			copy_value(&data, st, i);
		}
		mr_buf_putc(&data, '\n');
		rows++;
		if (data.len >= SEND || mr_buf_oom(&data)) {
			if (mr_buf_oom(&data)) {
				rc = mr_err_nomem(err);
				break;
			}
			if ((rc = mr_db_copy_put(p, data.data, data.len, w, err)))
				break;
			mr_buf_reset(&data);
			tell(pr, rows);
			rows = 0;
		}
	}
	if (!rc && step != SQLITE_DONE)
		rc = mr_sql_err(db, err, "reading %s", table);
	if (!rc && data.len)
		rc = mr_db_copy_put(p, data.data, data.len, w, err);
	tell(pr, rows);
drain:
	rc = mr_db_copy_end(p, rc, w, err);
done:
	sqlite3_finalize(st);
	mr_buf_release(&cols);
	mr_buf_release(&sql);
	mr_buf_release(&data);
	return rc;
}

/* Every table's own triggers off (DISABLE) or on again (ENABLE).  On
 * again only once the deferred foreign-key checks have run: PostgreSQL
 * refuses to alter a table with checks pending. */
static int triggers(mr_db *p, char **t, size_t n, const char *how, mr_err *err)
{
	for (size_t i = 0; i < n; i++) {
		char sql[256];
		snprintf(sql, sizeof sql, "ALTER TABLE \"%s\" %s TRIGGER USER", t[i], how);
		int rc = pg_run(p, sql, "turning the triggers off or on", err);
		if (rc)
			return rc;
	}
	return 0;
}

/* Each identity column goes on after the largest number used: the
 * table's largest, or (AUTOINCREMENT) the largest SQLite ever gave. */
static int identities(sqlite3 *db, mr_db *p, mr_err *err)
{
	mr_stmt *id = identity_columns(p, err);
	if (!id)
		return err->code;
	int rc = 0, step;
	while (!rc && (step = mr_step(id)) == MR_DB_ROW) {
		const char *t = mr_col_text(id, 0), *c = mr_col_text(id, 1);
		char sql[512];
		sqlite3_stmt *st;
		int64_t top = 0;
		snprintf(sql, sizeof sql, "SELECT max(ifnull((SELECT max(\"%s\") FROM \"%s\"), 0),"
		         " ifnull((SELECT seq FROM sqlite_sequence WHERE name = '%s'), 0))", c, t, t);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
			/* no sqlite_sequence: no AUTOINCREMENT table */
			snprintf(sql, sizeof sql, "SELECT ifnull(max(\"%s\"), 0) FROM \"%s\"", c, t);
			if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
				rc = mr_sql_err(db, err, "reading the largest %s of %s", c, t);
				break;
			}
		}
		if (sqlite3_step(st) == SQLITE_ROW)
			top = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'), %"
		         PRId64 ", %s)", t, c, top > 0 ? top : 1, top > 0 ? "true" : "false");
		rc = pg_run(p, sql, "setting where the numbers go on", err);
	}
	if (!rc && step != MR_DB_DONE)
		rc = mr_db_fail(p, err, "listing the identity columns");
	mr_finalize(id);
	return rc;
}

/* The rows of each table, on both sides, alike in number. */
static int same_counts(sqlite3 *db, mr_db *p, char **t, size_t n, mr_err *err)
{
	for (size_t i = 0; i < n; i++) {
		int64_t here, there;
		char sql[256];
		int rc = count_rows(db, t[i], &here, err);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", t[i]);
		if (rc || (rc = pg_int(p, sql, &there, "counting the rows copied", err)))
			return rc;
		if (here != there)
			return mr_err_set(err, MR_EDB, "%s: %s has %" PRId64 " rows in PostgreSQL, %"
			                  PRId64 " in SQLite: nothing was copied", mr_db_name(p), t[i], there,
			                  here);
	}
	return 0;
}

/* The schema, at this merit's version, in the empty database. */
static int make_schema(mr_db *p, mr_err *err)
{
	mr_buf b;
	mr_buf_init(&b);
	int rc = mr_pg_schema_sql(-1, &b, err);
	if (!rc)
		rc = pg_run(p, b.data, "making merit's tables", err);
	mr_buf_release(&b);
	return rc;
}

/* What the triggers turned off for the copy did not check: measurement's
 * rows each name a batch that is there (schema_pg.c, mr_pg_after). */
static int batches_there(mr_db *p, const char *path, mr_err *err)
{
	int64_t n = 0;
	int rc = pg_int(p, "SELECT count(*) FROM measurement m WHERE NOT EXISTS"
	                " (SELECT 1 FROM batch b WHERE b.id = m.batch_id)", &n,
	                "checking the measurements' batches", err);
	if (!rc && n)
		rc = mr_err_set(err, MR_EINVALID, "%s: measurement rows naming a batch that is "
		                "not there: %" PRId64 "; nothing was copied to %s", path, n,
		                mr_db_name(p));
	return rc;
}

static int to_pg(const char *path, const char *url, const mr_copy_opts *o, mr_copy_info *info,
                 mr_err *err)
{
	mr_store *s = NULL;
	mr_db *p = NULL;
	char **t = NULL;
	size_t n = 0;
	int64_t there = 0;
	progress pr = { o, 0, 0 };
	int rc = mr_store_open_ro(&s, path, err);
	if (rc || (rc = mr_store_begin_read(s, err)) || (rc = tables(s->db, &t, &n, err)) ||
	    (rc = mr_db_connect(&p, url, err)))
		goto done;
	for (size_t i = 0; i < n; i++) {
		int64_t k;
		if ((rc = count_rows(s->db, t[i], &k, err)))
			goto done;
		pr.total += (unsigned long long)k;
	}
	if ((rc = pg_run(p, "BEGIN", "starting", err)) ||
	    (rc = pg_int(p, mr_pg_relations, &there, "looking at what it holds", err)))
		goto done;
	if (there) {
		rc = mr_err_set(err, MR_EINVALID, "%s: the database is not empty (%" PRId64
		                " tables, views or sequences in its schema): copy into a new one "
		                "(createdb NAME), so nothing of it is mixed with merit's", mr_db_name(p), there);
		goto done;
	}
	if ((rc = make_schema(p, err)) || (rc = triggers(p, t, n, "DISABLE", err)) ||
	    (rc = pg_run(p, "SET CONSTRAINTS ALL DEFERRED", "deferring the checks", err)))
		goto done;
	for (size_t i = 0; i < n; i++)
		if ((rc = copy_table_out(s->db, p, t[i], &pr, err)))
			goto done;
	if ((rc = identities(s->db, p, err)) || (rc = same_counts(s->db, p, t, n, err)) ||
	    (rc = pg_run(p, "SET CONSTRAINTS ALL IMMEDIATE", "checking the references", err)) ||
	    (rc = batches_there(p, path, err)) || (rc = triggers(p, t, n, "ENABLE", err)) ||
	    (rc = pg_run(p, "COMMIT", "committing", err)))
		goto done;
	info->tables = (int)n;
	info->rows = (int64_t)pr.done;
	info->schema_version = mr_store_schema_version();
done:
	mr_db_close(p);    /* an open transaction ends with the connection */
	tables_free(t, n);
	mr_store_close(s);
	return rc;
}

/* ---- back into a new SQLite file ---- */

/* A COPY text field, unescaped in place; *null when \N. */
static size_t unescape(char *f, size_t n, int *null)
{
	*null = n == 2 && f[0] == '\\' && f[1] == 'N';
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = f[i];
		if (c == '\\' && i + 1 < n) {
			c = f[++i];
			c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
		}
		f[o++] = c;
	}
	return o;
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Bind field i (1-based) of the row as the column's kind. */
static int bind_field(sqlite3_stmt *st, int i, char kind, char *f, size_t n)
{
	int null;
	n = unescape(f, n, &null);
	if (null)
		return sqlite3_bind_null(st, i);
	f[n] = 0;
	if (kind == 'i')
		return sqlite3_bind_int64(st, i, strtoll(f, NULL, 10));
	if (kind == 'r')
		return sqlite3_bind_double(st, i, strtod(f, NULL));
	if (kind == 'b') {     /* \x hex, decoded in place */
		if (n < 2 || f[0] != '\\' || f[1] != 'x' || n % 2)
			return SQLITE_MISMATCH;
		size_t k = 0;
		for (size_t j = 2; j < n; j += 2) {
			int h = hexval(f[j]), l = hexval(f[j + 1]);
			if (h < 0 || l < 0)
				return SQLITE_MISMATCH;
			f[k++] = (char)(h << 4 | l);
		}
		return sqlite3_bind_blob(st, i, f, (int)k, SQLITE_TRANSIENT);
	}
	return sqlite3_bind_text(st, i, f, (int)n, SQLITE_TRANSIENT);
}

/* One table's rows from PostgreSQL's COPY into the new file. */
static int copy_table_in(mr_db *p, sqlite3 *db, const char *table, progress *pr, mr_err *err)
{
	char kinds[128], w[640];
	mr_buf cols, sql;
	mr_buf_init(&cols);
	mr_buf_init(&sql);
	sqlite3_stmt *st = NULL;
	int rc = columns(db, table, &cols, kinds, sizeof kinds, err), ncol = (int)strlen(kinds);
	if (rc)
		goto done;
	mr_buf_printf(&sql, "INSERT INTO \"%s\" (%s) VALUES (", table, cols.data);
	for (int i = 0; i < ncol; i++)
		mr_buf_printf(&sql, "%s?%d", i ? ", " : "", i + 1);
	mr_buf_puts(&sql, ")");
	if (mr_buf_oom(&sql))
		rc = mr_err_nomem(err);
	else if (sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK)
		rc = mr_sql_err(db, err, "writing %s", table);
	if (rc)
		goto done;
	mr_buf_reset(&sql);
	mr_buf_printf(&sql, "COPY \"%s\" (%s) TO STDOUT", table, cols.data);
	if (mr_buf_oom(&sql))
		rc = mr_err_nomem(err);
	doing(w, sizeof w, p, "reading", table);
	if (rc || (rc = mr_db_copy_begin(p, sql.data, w, err)))
		goto done;
	char *line;
	int len;
	unsigned long long rows = 0;
	while ((len = mr_db_copy_get(p, &line)) > 0) {
		if (!rc) {
			char *f = line, *end = line + len;
			if (end > line && end[-1] == '\n')
				end--;
			for (int i = 0; i < ncol && !rc; i++) {
				char *tab = memchr(f, '\t', (size_t)(end - f));
				char *fe = tab ? tab : end;
				if ((i < ncol - 1) != (tab != NULL) || bind_field(st, i + 1, kinds[i], f,
				                                                  (size_t)(fe - f)) != SQLITE_OK)
					rc = mr_err_set(err, MR_EDB, "%s: %s: row %llu, column %d: not a value "
					                "merit wrote", mr_db_name(p), table, rows + 1, i + 1);
				f = fe + 1;
			}
			if (!rc && (sqlite3_step(st) != SQLITE_DONE || sqlite3_reset(st) != SQLITE_OK))
				rc = mr_sql_err(db, err, "writing %s", table);
			if (++rows % 65536 == 0)
				tell(pr, 65536);
		}
		mr_db_copy_free(line);
	}
	tell(pr, rows % 65536);
	rc = mr_db_copy_end(p, rc, w, err);
done:
	sqlite3_finalize(st);
	mr_buf_release(&cols);
	mr_buf_release(&sql);
	return rc;
}

static int from_pg(const char *url, const char *path, const mr_copy_opts *o, mr_copy_info *info,
                   mr_err *err)
{
	mr_db *p = NULL;
	mr_store *s = NULL;
	char *tmp = NULL, **t = NULL;
	size_t n = 0;
	int64_t version = 0, k;
	progress pr = { o, 0, 0 };
	if (access(path, F_OK) == 0)
		return mr_err_set(err, MR_EINVALID, "%s exists: copy into a new file (merit restore "
		                  "puts a copy in place of a database)", path);
	int rc = mr_db_connect(&p, url, err);
	if (rc || (rc = pg_run(p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "starting",
	                       err)))
		goto done;
	if (pg_int(p, "SELECT version FROM merit_schema", &version, "reading the schema version",
	           err)) {
		char m[512];
		snprintf(m, sizeof m, "%s", err->msg);
		mr_err_clear(err);
		rc = mr_err_set(err, MR_EINVALID, "%s: not a merit database (%s)", mr_db_name(p), m);
		goto done;
	}
	if (version != mr_store_schema_version()) {
		rc = mr_err_set(err, MR_EINVALID, "%s: merit's schema there is version %" PRId64
		                ", this merit's is %d: copy with the merit that wrote it", mr_db_name(p),
		                version, mr_store_schema_version());
		goto done;
	}
	if ((rc = mr_store_temp_beside(&tmp, path, path, err)) ||
	    (rc = mr_store_open(&s, tmp, err)))
		goto done;
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		rc = mr_sql_err(s->db, err, "%s: starting to write", tmp);
		goto done;
	}
	if ((rc = tables(s->db, &t, &n, err)))
		goto done;
	for (size_t i = 0; i < n; i++) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", t[i]);
		if ((rc = pg_int(p, sql, &k, "counting the rows", err)))
			goto done;
		pr.total += (unsigned long long)k;
	}
	for (size_t i = 0; i < n; i++)
		if ((rc = copy_table_in(p, s->db, t[i], &pr, err)))
			goto done;
	/* AUTOINCREMENT: the largest number PostgreSQL ever gave */
	mr_stmt *id = identity_columns(p, err);
	if (!id) {
		rc = err->code;
		goto done;
	}
	int step;
	while (!rc && (step = mr_step(id)) == MR_DB_ROW) {
		char sql[512];
		int64_t last = 0;
		snprintf(sql, sizeof sql, "SELECT pg_sequence_last_value(pg_get_serial_sequence('\"%s\"',"
		         " '%s')::regclass)", mr_col_text(id, 0), mr_col_text(id, 1));
		if ((rc = pg_int(p, sql, &last, "reading where the numbers went", err)))
			break;
		const char *tn = mr_col_text(id, 0);
		if (last <= 0)
			continue;     /* never numbered a row: nothing to keep */
		snprintf(sql, sizeof sql, "INSERT INTO sqlite_sequence(name, seq) SELECT '%s', 0"
		         " WHERE NOT EXISTS(SELECT 1 FROM sqlite_sequence WHERE name = '%s')"
		         " AND EXISTS(SELECT 1 FROM sqlite_schema WHERE name = '%s'"
		         " AND sql LIKE '%%AUTOINCREMENT%%');"
		         "UPDATE sqlite_sequence SET seq = max(seq, %" PRId64 ") WHERE name = '%s'",
		         tn, tn, tn, last, tn);
		/* only AUTOINCREMENT tables have (or get) a row there */
		if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
			rc = mr_sql_err(s->db, err, "keeping where the numbers of %s went", tn);
	}
	if (!rc && step != MR_DB_DONE)
		rc = mr_db_fail(p, err, "listing the identity columns");
	mr_finalize(id);
	if (rc)
		goto done;
	for (size_t i = 0; i < n; i++) {
		char sql[256];
		int64_t here;
		snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", t[i]);
		if ((rc = pg_int(p, sql, &k, "counting the rows", err)) ||
		    (rc = count_rows(s->db, t[i], &here, err)))
			goto done;
		if (k != here) {
			rc = mr_err_set(err, MR_EDB, "%s: %s has %" PRId64 " rows there, %" PRId64
			                " in the copy", mr_db_name(p), t[i], k, here);
			goto done;
		}
	}
	sqlite3_stmt *fk;
	if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &fk, NULL) != SQLITE_OK) {
		rc = mr_sql_err(s->db, err, "checking the references");
		goto done;
	}
	if (sqlite3_step(fk) == SQLITE_ROW)
		rc = mr_err_set(err, MR_EDB, "%s: a row of %s refers to a missing row of %s", mr_db_name(p),
		                (const char *)sqlite3_column_text(fk, 0),
		                (const char *)sqlite3_column_text(fk, 2));
	sqlite3_finalize(fk);
	if (rc)
		goto done;
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = mr_sql_err(s->db, err, "%s: writing the copy", tmp);
		goto done;
	}
	if ((rc = mr_store_quick_check(s->db, tmp, err)))
		goto done;
	mr_store_checkpoint(s, 1);
	mr_store_close(s);
	s = NULL;
	if ((rc = mr_store_sync_path(tmp, 0, err)))
		goto done;
	if (rename(tmp, path) != 0) {
		rc = mr_err_set(err, MR_EIO, "%s: cannot put the copy in place: %s", path,
		                strerror(errno));
		goto done;
	}
	free(tmp);
	tmp = NULL;
	rc = mr_store_sync_path(path, 1, err);
	info->tables = (int)n;
	info->rows = (int64_t)pr.done;
	info->schema_version = (int)version;
done:
	if (s) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		mr_store_close(s);
	}
	mr_store_temp_remove(tmp);
	free(tmp);
	tables_free(t, n);
	mr_db_close(p);
	return rc;
}

int mr_db_copy(const char *from, const char *to, const mr_copy_opts *o, mr_copy_info *info,
               mr_err *err)
{
	memset(info, 0, sizeof *info);
	if (mr_db_is_url(from) == mr_db_is_url(to))
		return mr_err_set(err, MR_EINVALID, "copy from an SQLite file to a PostgreSQL URL, or "
		                  "back (%s to %s is neither; a file to a file is `merit backup`)",
		                  mr_db_is_url(from) ? "a URL" : "a file",
		                  mr_db_is_url(to) ? "a URL" : "a file");
	return mr_db_is_url(to) ? to_pg(from, to, o, info, err) : from_pg(from, to, o, info, err);
}

/* store_pgopen.c — the store on a PostgreSQL database: opening it,
 * making or upgrading merit's schema there, and the transactions.
 *
 * What SQLite's single file gave for free is kept on the server so:
 *
 *   one writer       every write transaction first takes one transaction-
 *                    level advisory lock (pg_advisory_xact_lock of
 *                    MR_PG_WRITER): merit's writers queue as SQLite's do
 *                    on its write lock, for as long as --wait says
 *                    (lock_timeout; past it, MR_EBUSY), and the lock goes
 *                    with the COMMIT or ROLLBACK — or with the connection
 *                    of a killed process.  Readers never wait for it.
 *   a reader's view  a read is one REPEATABLE READ transaction: one
 *                    snapshot, as an SQLite read transaction sees.
 *   a command whole  one transaction per command, as on SQLite; a killed
 *                    process's transaction is rolled back by the server.
 *   the schema       made from SQLite's migrations (schema_pg.c); the
 *                    append-only audit, the frozen closed cycles and the
 *                    unique keys (a duplicate batch, a row key claimed
 *                    twice) are the same triggers and constraints there.
 *                    Migrations run under the same advisory lock, so two
 *                    processes opening an older database upgrade it once.
 *
 * The staging of long imports (store_stage.c) is SQLite's answer to its
 * one write lock blocking the readers; PostgreSQL's readers are not
 * blocked, so an import there is one write transaction.
 */
#include "store/store_pg.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The advisory lock of merit's one writer: "merit" in ASCII. */
#define MR_PG_WRITER "109101114105116"

const char mr_pg_relations[] =
	"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')";

/* merit's schema version there: -1 when the database has no merit_schema
 * (*others: how many tables, views or sequences it holds instead);
 * *current: its functions are this merit's (their tag). */
static int pg_version(mr_db *q, int *version, int64_t *others, int *current, mr_err *err)
{
	int64_t has = 0, v = 0, tagged = 0;
	char what[600];
	snprintf(what, sizeof what, "%s: reading the database", mr_db_name(q));
	*others = 0;
	int rc = mr_db_int(q, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid ="
	                   " c.relnamespace WHERE n.nspname = current_schema() AND"
	                   " c.relname = 'merit_schema'", &has, what, err);
	if (!rc && has) {
		rc = mr_db_int(q, "SELECT version FROM merit_schema", &v, what, err);
		if (!rc)
			rc = mr_db_int(q, "SELECT count(*) FROM pg_description WHERE objoid ="
			               " 'merit_schema'::regclass AND description = '"
			               MR_PG_FUNCTIONS_TAG "'", &tagged, what, err);
	} else if (!rc)
		rc = mr_db_int(q, mr_pg_relations, others, what, err);
	*version = has ? (int)v : -1;
	*current = tagged > 0;
	return rc;
}

int mr_pg_schema_sql(int from, mr_buf *b, mr_err *err)
{
	mr_pg_schema ps = { 0 };
	mr_buf skip;
	mr_buf_init(&skip);
	/* the functions again with an upgrade: this merit's */
	mr_buf_puts(b, from < 0 ? mr_pg_prelude : mr_pg_functions);
	int latest = mr_store_schema_version(), rc = 0;
	for (int i = 0; i < latest && !rc; i++) {
		/* the migrations done already still teach it the triggers' tables */
		mr_buf_reset(&skip);
		int t = mr_pg_migration(&ps, mr_schema_migration(i), i < from ? &skip : b);
		if (t)
			rc = t == -2 ? mr_err_nomem(err) :
			     mr_err_set(err, MR_EDB, "migration %d has SQL merit cannot write for "
			                "PostgreSQL", i + 1);
	}
	mr_buf_release(&skip);
	mr_buf_puts(b, mr_pg_after);
	mr_buf_printf(b, "UPDATE merit_schema SET version = %d;", latest);
	return rc ? rc : mr_buf_oom(b) ? mr_err_nomem(err) : 0;
}

/* Make or upgrade merit's schema, under the writer's lock; whoever comes
 * second finds it done. */
static int pg_migrate(mr_store *s, int create, mr_err *err)
{
	int version, rc, current;
	int64_t others;
	const char *name = mr_db_name(s->q);
	if ((rc = pg_version(s->q, &version, &others, &current, err)))
		return rc;
	if (version == mr_store_schema_version() && current)
		return 0;
	if (version > mr_store_schema_version())
		return mr_schema_newer(version, name, err);
	if (version < 0 && others)
		return mr_err_set(err, MR_EINVALID, "%s is not a merit database (it holds %" PRId64
		                  " tables, views or sequences, and not merit's); nothing was "
		                  "written to it: give merit a database of its own (createdb NAME)",
		                  name, others);
	if (version < 0 && !create)
		return mr_err_set(err, MR_ENOTFOUND, "no merit database at %s (the database is "
		                  "empty): create one with `merit init --goal GOAL`", name);
	char what[640];
	mr_buf b;
	mr_buf_init(&b);
	snprintf(what, sizeof what, "%s: %s the schema (waited for the write lock)", name,
	         version < 0 ? "making" : "upgrading");
	if ((rc = mr_db_exec(s->q, "BEGIN; SELECT pg_advisory_xact_lock(" MR_PG_WRITER ")",
	                     what, err)))
		goto done;
	if ((rc = pg_version(s->q, &version, &others, &current, err)))
		goto done;
	if (version == mr_store_schema_version() && current)
		goto done;                     /* another process did it meanwhile */
	if (version == mr_store_schema_version()) {   /* another merit's functions */
		if (!(rc = mr_db_exec(s->q, mr_pg_functions, what, err)) &&
		    !(rc = mr_db_exec(s->q, mr_pg_after, what, err)))
			rc = mr_db_exec(s->q, "COMMIT", what, err);
		goto done;
	}
	if (version > mr_store_schema_version()) {
		rc = mr_schema_newer(version, name, err);
		goto done;
	}
	snprintf(what, sizeof what, "%s: %s the schema to version %d", name,
	         version < 0 ? "making" : "upgrading", mr_store_schema_version());
	if ((rc = mr_pg_schema_sql(version, &b, err)) || (rc = mr_db_exec(s->q, b.data, what, err)))
		goto done;
	rc = mr_db_exec(s->q, "COMMIT", what, err);
done:
	mr_db_run(s->q, "ROLLBACK");       /* after COMMIT, nothing to end */
	mr_buf_release(&b);
	return rc;
}

int mr_store_open_pg(mr_store *s, const char *url, int create, int read_only, mr_err *err)
{
	int rc = mr_db_connect(&s->q, url, err);
	if (rc)
		return rc;
	free(s->path);
	if (!(s->path = strdup(mr_db_name(s->q))))
		return mr_err_nomem(err);
	/* what merit says is merit's words; the server's notices are not */
	char what[600];
	snprintf(what, sizeof what, "%s: opening the database", s->path);
	if ((rc = mr_db_exec(s->q, "SET client_min_messages = warning;"
	                     " SET datestyle = 'ISO, YMD'; SET TimeZone = 'UTC';"
	                     " SET extra_float_digits = 3", what, err)))
		return rc;
	mr_db_set_wait(s->q, s->wait_ms);
	if ((rc = pg_migrate(s, create && !read_only, err)))
		return rc;
	if (read_only && (rc = mr_db_exec(s->q, "SET default_transaction_read_only = on", what,
	                                  err)))
		return rc;
	s->read_only = read_only;
	s->checked = 1;       /* the server keeps its own pages whole: no quick check */
	return 0;
}

/* BEGIN how, then (the store's deadline, if any) the time left as the
 * transaction's statement timeout, then more (may be ""): one round trip. */
static int pg_begin(mr_store *s, const char *how, const char *more, const char *what,
                    mr_err *err)
{
	char sql[300], timeout[64] = "", w[600];
	int64_t left = mr_store_time_left_ms(s);
	if (left)
		snprintf(timeout, sizeof timeout, " SET LOCAL statement_timeout = %lld;",
		         (long long)left);
	snprintf(sql, sizeof sql, "BEGIN ISOLATION LEVEL %s;%s %s", how, timeout, more);
	snprintf(w, sizeof w, "%s: %s", s->path, what);
	int rc = mr_db_exec(s->q, sql, w, err);
	if (rc)
		mr_db_run(s->q, "ROLLBACK");
	return rc;
}

int mr_pg_begin(mr_store *s, mr_err *err)
{
	return pg_begin(s, "READ COMMITTED", "SELECT pg_advisory_xact_lock(" MR_PG_WRITER ")",
	                "starting a transaction (waited for the write lock)", err);
}

int mr_pg_begin_aside(mr_store *s, const char *lock, mr_err *err)
{
	char more[160];
	/* the lock's name is merit's own word, never a user's */
	snprintf(more, sizeof more, "SELECT pg_advisory_xact_lock(hashtext('merit %s'))", lock);
	return pg_begin(s, "READ COMMITTED", more, "starting a transaction (waited for its lock)",
	                err);
}

int mr_pg_begin_read(mr_store *s, mr_err *err)
{
	return pg_begin(s, "REPEATABLE READ", "", "starting to read", err);
}

int mr_pg_commit(mr_store *s, mr_err *err)
{
	if (mr_db_tx_failed(s->q))
		return mr_err_set(err, MR_EDB, "committing: the transaction was rolled back after "
		                  "an earlier error");
	return mr_db_exec(s->q, "COMMIT", "committing", err);
}

int mr_pg_version(mr_store *s, int *version, mr_err *err)
{
	int64_t others;
	int current;
	return pg_version(s->q, version, &others, &current, err);
}

void mr_pg_deadline(mr_store *s, double seconds)
{
	char sql[64];
	snprintf(sql, sizeof sql, "SET LOCAL statement_timeout = %lld",
	         seconds > 0 ? (long long)(seconds * 1000) + 1 : 0LL);
	mr_db_run(s->q, sql);
}

int mr_store_pg_lock(mr_store *s, const char *name, int on, mr_err *err)
{
	mr_err spare = MR_ERR_INIT;
	mr_err *e = err ? err : &spare;
	mr_stmt *st = mr_db_prepare(s->q, on ? "SELECT pg_try_advisory_lock(hashtext(?))"
	                                     : "SELECT pg_advisory_unlock(hashtext(?))", e);
	int rc = st ? 0 : e->code;
	if (st) {
		mr_bind_text(st, 1, name, -1);
		if (mr_step(st) != MR_DB_ROW)
			rc = mr_db_fail(s->q, e, "taking a lock");
		else if (on && !mr_col_i64(st, 0))
			rc = MR_EBUSY;
	}
	mr_finalize(st);
	mr_err_clear(&spare);
	return rc;
}

void mr_store_cancel_all(void)
{
	mr_db_cancel_all();
}

int mr_store_pg_empty(const char *url, int *empty, mr_err *err)
{
	mr_db *q;
	int64_t n = 0;
	int rc = mr_db_connect(&q, url, err);
	if (rc)
		return rc;
	char what[600];
	snprintf(what, sizeof what, "%s: reading the database", mr_db_name(q));
	rc = mr_db_int(q, mr_pg_relations, &n, what, err);
	mr_db_close(q);
	*empty = n == 0;
	return rc;
}

void mr_store_revive(mr_store *s)
{
	if (mr_store_on_pg(s) && !s->in_tx)
		mr_db_revive(s->q);
}

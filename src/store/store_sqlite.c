/* store_sqlite.c — the store on SQLite: connection, transactions, audit,
 * plan, staff, ownership rules, users.
 *
 * WAL mode and foreign keys are switched on at every open.  Each change
 * writes its audit record in the same transaction as the change itself.
 */
#include "store/store_pg.h"
#include "util/vec.h"

#include "util/text.h"
#include "util/utf8.h"

#include <jansson.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/ascii.h"
#include "util/buf.h"
#include "util/num.h"

int mr_sql_err(sqlite3 *db, mr_err *err, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	const char *m = db ? sqlite3_errmsg(db) : "cannot open";
	if (m && strcmp(m, "frozen") == 0)
		return mr_err_set(err, MR_EFROZEN, "%s: the cycle is closed", what);
	int code = db ? sqlite3_errcode(db) : SQLITE_ERROR;
	if (code == SQLITE_INTERRUPT)    /* over_time, below */
		return mr_err_set(err, MR_ETIME, "%s: stopped at the time limit", what);
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return mr_err_set(err, MR_EBUSY, "%s: the database is busy: another process "
		                  "(a merit import, serve, or a sqlite3 shell) kept the write lock",
		                  what);
	/* SQLITE_FULL, or an I/O error whose cause was a full disk or quota */
	if (code == SQLITE_FULL || (code == SQLITE_IOERR && db &&
	                            mr_err_errno(sqlite3_system_errno(db)) == MR_EFULL))
		return mr_err_set(err, MR_EFULL, "%s: the disk is full (no space left on device "
		                  "for the database)", what);
	if (code == SQLITE_READONLY)
		return mr_err_set(err, MR_EIO, "%s: the database is read-only", what);
	if (db && sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_COMMITHOOK)   /* commit_guard */
		return mr_err_set(err, MR_EDB, "%s: the transaction was rolled back after an "
		                  "earlier error", what);
	return mr_err_set(err, MR_EDB, "%s: %s", what, m ? m : "unknown database error");
}

int mr_q_err(mr_db *q, mr_err *err, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return mr_db_fail(q, err, what);
}

mr_stmt *mr_sql_prepare(mr_store *s, const char *sql, mr_err *err)
{
	return mr_db_prepare(s->q, sql, err);
}

mr_stmt *mr_sql_rows(mr_store *s, const char *head, const char *row, size_t n,
                     mr_err *err)
{
	mr_buf sql;
	mr_buf_init(&sql);
	mr_buf_puts(&sql, head);
	mr_buf_puts(&sql, " VALUES ");
	for (size_t i = 0; i < n; i++) {
		if (i)
			mr_buf_puts(&sql, ",");
		mr_buf_puts(&sql, row);
	}
	mr_stmt *st = mr_buf_oom(&sql) ? NULL : mr_sql_prepare(s, sql.data, err);
	mr_buf_release(&sql);
	if (!st && (!err || !err->code))
		mr_err_nomem(err);
	return st;
}

static _Thread_local unsigned lost_copies;

unsigned mr_sql_lost(void) { return lost_copies; }

/* jansson's allocator: a JSON value it could not make is left out of the
 * object or array it was for without a word (json_object_set_new with
 * NULL), so each failure counts as a lost value too. */
static void *json_alloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		lost_copies++;
	return p;
}

void mr_sql_text(mr_stmt *st, int i, const char *v)
{
	if (!v)
		mr_bind_null(st, i);
	else if (mr_bind_text(st, i, v, -1) != SQLITE_OK)
		lost_copies++;     /* no memory for the copy: the value is NULL */
}

char *mr_sql_col(mr_stmt *st, int i)
{
	const char *t = mr_col_text(st, i);
	char *copy = t ? strdup(t) : NULL;
	if (!copy && (t || mr_col_type(st, i) != SQLITE_NULL))
		lost_copies++;
	return copy;
}

int mr_sql_collect(mr_store *s, mr_stmt *st, size_t size,
                   void (*fill)(void *item, mr_stmt *st),
                   void **out, size_t *n, const char *what, mr_err *err)
{
	size_t cap = 0, len = 0;
	char *items = NULL;
	int rc = 0, r;
	unsigned lost = mr_sql_lost();
	while ((r = mr_step(st)) == SQLITE_ROW) {
		if (mr_vec_grow(&items, &cap, len, size)) {
			rc = mr_err_nomem(err);
			break;
		}
		memset(items + len * size, 0, size);
		fill(items + len * size, st);
		len++;
	}
	if (!rc && r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "%s", what);
	if (!rc && mr_sql_lost() != lost)
		rc = mr_err_set(err, MR_ENOMEM, "%s: out of memory", what);
	mr_finalize(st);
	*out = items;
	*n = len;
	return rc;
}

/* SQLite rolls a transaction back by itself on some errors (no memory, a
 * full disk); a statement after that would commit on its own.  Inside one
 * of merit's transactions only mr_store_commit may commit: anything else
 * is turned into a rollback, so a failed change leaves nothing behind. */
static int commit_guard(void *payload)
{
	const mr_store *s = payload;
	return s->in_tx && !s->committing;
}

/* ---- opening ----
 *
 * Opening never writes to a file that is not merit's: a file that is not
 * SQLite, or an SQLite database with tables but not merit's, is refused
 * before anything (even the switch to WAL) could change it. */

/* What is at path: 0 a merit database (or none yet: *size 0), else the
 * error.  *size is -1 when there is no file. */
static int store_check_file(const char *path, long long *size, mr_err *err)
{
	struct stat sb;
	*size = -1;
	if (stat(path, &sb) != 0)
		return errno == ENOENT ? 0 : mr_err_set(err, MR_EIO, "%s: %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return mr_err_set(err, MR_EIO, "%s is a directory, not a merit database", path);
	*size = (long long)sb.st_size;
	if (sb.st_size == 0)
		return 0;
	/* Not a look at its first bytes here: closing a descriptor of the
	 * file would drop every lock this process's SQLite connections hold
	 * on it (POSIX locks belong to the process and the file), and a
	 * server opens connections beside live ones.  SQLite reads the
	 * header itself and says SQLITE_NOTADB (store_check_schema) before
	 * anything is written. */
	return 0;
}

/* Is this SQLite database merit's?  Reads only: user_version and whether
 * merit's first tables are there.  *version gets user_version. */
static int store_check_schema(sqlite3 *db, const char *path, int *version, mr_err *err)
{
	sqlite3_stmt *st = NULL;
	int tables = 0, ours = 0;
	if (sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version),"
	                       " count(*), count(*) FILTER (WHERE name IN"
	                       " ('plan', 'staff', 'batch', 'measurement')) FROM sqlite_master",
	                       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (sqlite3_errcode(db) == SQLITE_NOTADB)
			return mr_err_set(err, MR_EINVALID, "%s is not a merit database (not an "
			                  "SQLite database file); nothing was written to it", path);
		return mr_sql_err(db, err, "%s: reading the database", path);
	}
	*version = sqlite3_column_int(st, 0);
	tables = sqlite3_column_int(st, 1);
	ours = sqlite3_column_int(st, 2);
	sqlite3_finalize(st);
	if ((*version == 0 && tables > 0) || (*version > 0 && ours < 4))
		return mr_err_set(err, MR_EINVALID, "%s is not a merit database (an SQLite "
		                  "database without merit's tables); nothing was written to it",
		                  path);
	return 0;
}

static mr_store *store_new(const char *path)
{
	mr_store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path)) || !(s->actor = strdup("cli"))) {
		mr_store_close(s);
		return NULL;
	}
	s->nclosed = -1;
	/* No global memory statistics: they take a mutex on every allocation.
	 * (Only possible before SQLite starts, so once per process.) */
	static int configured;
	if (!configured++) {
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		json_set_alloc_funcs(json_alloc, free);
	}
	return s;
}

static int64_t monotonic_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* SQLite asks every few thousand steps of a query; non-zero stops it
 * (SQLITE_INTERRUPT).  A clock read per 4096 steps costs nothing seen. */
static int over_time(void *payload)
{
	const mr_store *s = payload;
	return s->deadline_ns && monotonic_ns() > s->deadline_ns;
}

void mr_store_set_deadline(mr_store *s, double seconds)
{
	s->deadline_ns = seconds > 0 ? monotonic_ns() + (int64_t)(seconds * 1e9) : 0;
	if (mr_store_on_pg(s) && s->in_tx)
		mr_pg_deadline(s, seconds);   /* else from the next transaction's start */
}

int64_t mr_store_time_left_ms(const mr_store *s)
{
	if (!s->deadline_ns)
		return 0;
	int64_t left = (s->deadline_ns - monotonic_ns()) / 1000000;
	return left > 0 ? left : 1;
}

static int store_connect(mr_store *s, const char *name, int flags, mr_err *err)
{
	int rc = sqlite3_open_v2(name, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return mr_err_set(err, MR_EIO, "%s: cannot open the database: %s", s->path,
		                  s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
	sqlite3_busy_timeout(s->db, s->wait_ms = MR_BUSY_MS);
	sqlite3_commit_hook(s->db, commit_guard, s);
	sqlite3_progress_handler(s->db, 4096, over_time, s);
	sqlite3_extended_result_codes(s->db, 0);
	return mr_db_sqlite(&s->q, s->db, err);
}

/* Can this process make files beside path (its -wal, -shm)?  0 when it
 * can, else errno (EACCES, EROFS; ENOENT: no such directory). */
static int dir_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = !slash ? strdup(".") : slash == path ? strdup("/")
	            : strndup(path, (size_t)(slash - path));
	int rc = !dir ? ENOMEM : access(dir, W_OK) == 0 ? 0 : errno;
	free(dir);
	return rc;
}

int mr_store_open_url(mr_store **out, const char *url, int create, int read_only,
                      mr_err *err)
{
	*out = NULL;
	mr_store *s = store_new(url);
	if (!s)
		return mr_err_nomem(err);
	s->wait_ms = MR_BUSY_MS;
	if (mr_store_open_pg(s, url, create, read_only, err)) {
		mr_store_close(s);
		return err && err->code ? err->code : MR_EDB;
	}
	*out = s;
	return 0;
}

int mr_store_on_pg(const mr_store *s) { return s->db == NULL; }

int mr_store_open(mr_store **out, const char *path, mr_err *err)
{
	long long size;
	int version = 0;
	*out = NULL;
	if (mr_db_is_url(path))
		return mr_store_open_url(out, path, 0, 0, err);
	if (store_check_file(path, &size, err))
		return err->code;
	/* SQLite would say only "read-only", on the first write */
	if (size >= 0 && access(path, W_OK) != 0)
		return mr_err_set(err, MR_EIO, "%s cannot be changed: %s (a command that only "
		                  "reads, such as score, works)", path,
		                  errno == EROFS ? "it is on a read-only file system"
		                                 : "the file is read-only");
	int dir_rc = strcmp(path, ":memory:") ? dir_writable(path) : 0;
	if (dir_rc == EACCES || dir_rc == EROFS || dir_rc == EPERM)
		return mr_err_set(err, MR_EIO, "%s cannot be %s: its directory is read-only (a "
		                  "database is written with its -wal and -shm files beside it)%s",
		                  path, size >= 0 ? "changed" : "created",
		                  size >= 0 ? "; a command that only reads, such as score, works" : "");
	mr_store *s = store_new(path);
	if (!s)
		return mr_err_nomem(err);
	if (store_connect(s, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err) ||
	    (size > 0 && store_check_schema(s->db, path, &version, err)))
		goto fail;
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
	                 "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;", NULL, NULL, NULL) != SQLITE_OK) {
		mr_sql_err(s->db, err, "%s: opening the database", path);
		goto fail;
	}
	if (mr_schema_migrate(s->db, path, err))
		goto fail;
	*out = s;
	return 0;
fail:
	mr_store_close(s);
	return err && err->code ? err->code : MR_EDB;
}

/* path as an SQLite URI opening it immutable (RFC 3986: anything but
 * unreserved characters and '/' escaped). */
static char *immutable_uri(const char *path)
{
	mr_buf u;
	mr_buf_init(&u);
	mr_buf_puts(&u, path[0] == '/' ? "file://" : "file:");
	for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("/-._~", *c))
			mr_buf_putc(&u, (char)*c);
		else
			mr_buf_printf(&u, "%%%02X", *c);
	}
	mr_buf_puts(&u, "?immutable=1");
	if (mr_buf_oom(&u)) {
		mr_buf_release(&u);
		return NULL;
	}
	return mr_buf_detach(&u);
}

int mr_store_open_ro(mr_store **out, const char *path, mr_err *err)
{
	long long size;
	int version = 0, upgraded = 0;
	*out = NULL;
	if (mr_db_is_url(path))
		return mr_store_open_url(out, path, 0, 1, err);
	if (store_check_file(path, &size, err))
		return err->code;
	if (size < 0)
		return mr_err_set(err, MR_ENOTFOUND, "no database at %s: create one with `merit "
		                  "init --goal GOAL`", path);
	if (size == 0)
		return mr_err_set(err, MR_EINVALID, "%s is empty, not a merit database (merit "
		                  "init creates one)", path);
again:;
	mr_store *s = store_new(path);
	if (!s)
		return mr_err_nomem(err);
	/* A reader of a WAL database needs its -shm (and -wal) beside it.  In
	 * a directory this process cannot write, with no -wal there, nobody
	 * can be writing the database (a writer must make its -wal, or a
	 * rollback -journal, in that directory), so the file cannot change
	 * while it is read, and SQLite may take it as immutable
	 * (https://sqlite.org/uri.html#uriimmutable): no locks, no -shm.
	 * With a -wal there, its pages are newer than the file's, so it is
	 * read as usual (SQLite opens an existing -shm read-only). */
	char *uri = NULL;
	mr_buf wal;
	mr_buf_init(&wal);
	mr_buf_printf(&wal, "%s-wal", path);
	if (mr_buf_oom(&wal)) {
		mr_buf_release(&wal);
		goto nomem;
	}
	int ro_dir = dir_writable(path) != 0, has_wal = access(wal.data, F_OK) == 0;
	int immutable = ro_dir && !has_wal;
	mr_buf_release(&wal);
	if (immutable && !(uri = immutable_uri(path)))
		goto nomem;
	int rc = store_connect(s, immutable ? uri : path,
	                       SQLITE_OPEN_READONLY | (immutable ? SQLITE_OPEN_URI : 0), err);
	free(uri);
	if (rc)
		goto fail;
	mr_err why = MR_ERR_INIT;
	if (store_check_schema(s->db, path, &version, &why)) {
		/* SQLite says only "unable to open database file" */
		if (ro_dir && has_wal && sqlite3_errcode(s->db) == SQLITE_CANTOPEN)
			mr_err_set(err, MR_EIO, "%s cannot be read here: its directory is read-only "
			           "and the -wal file beside it holds changes not yet in the database "
			           "(a merit stopped while writing): open it once where the directory "
			           "is writable", path);
		else
			mr_err_set(err, why.code, "%s", why.msg ? why.msg : mr_err_str(why.code));
		mr_err_clear(&why);
		goto fail;
	}
	if (version == 0) {
		mr_err_set(err, MR_EINVALID, "%s is an empty SQLite database, not a merit database "
		           "(merit init makes one of it)", path);
		goto fail;
	}
	if (version < mr_store_schema_version()) {
		/* A read never migrates through this connection; an older
		 * schema is upgraded first by a read-write open when the file
		 * can be written (as any write command would), else refused. */
		mr_store_close(s);
		if (upgraded || access(path, W_OK) != 0 || dir_writable(path))
			return mr_err_set(err, MR_EINVALID, "%s has schema version %d, older than this "
			                  "merit reads (%d), and cannot be upgraded here (the file or "
			                  "its directory is read-only): run merit once where it can "
			                  "write the database, and it upgrades it in place", path, version,
			                  mr_store_schema_version());
		mr_store *rw = NULL;
		if (mr_store_open(&rw, path, err))
			return err->code;
		mr_store_close(rw);
		upgraded = 1;
		goto again;
	}
	if (version > mr_store_schema_version()) {
		mr_schema_migrate(s->db, path, err);      /* says "upgrade merit" */
		goto fail;
	}
	if (sqlite3_exec(s->db, "PRAGMA cache_size = -65536;", NULL, NULL, NULL) != SQLITE_OK) {
		mr_sql_err(s->db, err, "%s: opening the database", path);
		goto fail;
	}
	s->read_only = 1;
	*out = s;
	return 0;
nomem:
	mr_err_nomem(err);
fail:
	mr_store_close(s);
	return err && err->code ? err->code : MR_EDB;
}

/* SQLite's quick check of the whole file (pages, b-trees, records; not
 * index contents): 0 when it says ok, else an error naming the first
 * problem and what to do.  Reads every page once. */
int mr_store_quick_check(sqlite3 *db, const char *path, mr_err *err)
{
	sqlite3_stmt *st = NULL;
	char *problem = NULL;
	int bad = 0;
	int r = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (r == SQLITE_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if ((bad = !t || strcmp(t, "ok") != 0))
			problem = strdup(t ? t : "?");
	} else {
		int code = sqlite3_errcode(db);
		if (code != SQLITE_CORRUPT && code != SQLITE_NOTADB) {
			sqlite3_finalize(st);
			return mr_sql_err(db, err, "%s: checking the database before writing", path);
		}
		bad = 1;
		problem = strdup(sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	if (!bad)
		return 0;
	if (!problem)
		return mr_err_nomem(err);
	/* one line: "*** in database main ***\nPage 78: …" -> "Page 78: …" */
	const char *what = problem;
	if (strncmp(what, "*** in database main ***\n", 25) == 0)
		what += 25;
	for (char *nl = strchr(problem, '\n'); nl; nl = strchr(nl, '\n'))
		*nl = ' ';
	mr_err_set(err, MR_EDB, "%s is damaged, so merit will not write to it (SQLite's quick "
	           "check: %s).  `merit check` says what is wrong; restore a backup with "
	           "`merit restore FILE`", path, what);
	free(problem);
	return MR_EDB;
}

void mr_store_close(mr_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		mr_finalize(s->st[i]);
	mr_stage_free(s);
	if (s->in_tx && s->q)
		mr_db_run(s->q, "ROLLBACK");
	mr_db_close(s->q);
	sqlite3_close(s->db);
	free(s->path);
	free(s->actor);
	mr_known_logins_clear(&s->known);
	free(s->closed);
	mr_subject_cache_clear(&s->subjects);
	mr_rollup_discard(s);
	mr_measure_pg_drop(s);
	free(s->spans);
	free(s);
}

int mr_store_set_actor(mr_store *s, const char *who)
{
	free(s->actor);
	s->actor = strdup(who && *who ? who : "cli");
	return s->actor ? 0 : MR_ENOMEM;
}

const char *mr_store_actor(const mr_store *s) { return s->actor; }

void mr_store_set_wait(mr_store *s, int ms)
{
	s->wait_ms = ms < 0 ? 0 : ms;
	mr_db_set_wait(s->q, s->wait_ms);
}

int mr_store_wait(const mr_store *s) { return s->wait_ms; }

/* A -wal grown past MR_WAL_MAX (a big import) is copied back into the
 * database and cut to nothing, so it does not keep its size until the
 * last connection closes.  The copy is PASSIVE (other writers go on);
 * only the cut, quick then, keeps them out.  Best effort: a reader in the
 * middle of a query makes it wait at most a second, then it is left for
 * later. */
int mr_store_checkpoint(mr_store *s, int force)
{
	char wal[4096];
	struct stat sb;
	snprintf(wal, sizeof wal, "%s-wal", s->path);
	if (mr_store_on_pg(s) || s->in_tx || (!force && (stat(wal, &sb) != 0 || sb.st_size <= MR_WAL_MAX)))
		return 0;
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	sqlite3_busy_timeout(s->db, s->wait_ms < 1000 ? s->wait_ms : 1000);
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	sqlite3_busy_timeout(s->db, s->wait_ms);
	return rc == SQLITE_OK ? 1 : 0;
}

int mr_store_writable(mr_store *s, mr_err *err)
{
	if (s->read_only)
		return mr_err_set(err, MR_EDB, "%s: opened for reading only, not for a change "
		                  "(main.c's cli_readers lists this command as one that reads)",
		                  s->path);
	if (!s->checked) {
		if (mr_store_quick_check(s->db, s->path, err))
			return err->code;
		s->checked = 1;
	}
	return 0;
}

/* A write transaction: under the one writer's lock, or (PostgreSQL, lock
 * not NULL) under the lock named so. */
static int begin_write(mr_store *s, const char *lock, mr_err *err)
{
	/* Before the first write of this connection, the whole file is
	 * checked: a damaged database is never written to (the check reads
	 * every page: 0.4 s of CPU for 100 MB, once per connection). */
	int rc = mr_store_writable(s, err);
	if (rc)
		return rc;
	if (!mr_store_on_pg(s) ? sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK
	    : (rc = lock ? mr_pg_begin_aside(s, lock, err) : mr_pg_begin(s, err)) != 0)
		return rc ? rc : mr_sql_err(s->db, err, "starting a transaction");
	s->in_tx = 1;
	s->lost = mr_sql_lost();
	s->nclosed = -1;   /* closed cycles are read again inside it */
	mr_known_logins_clear(&s->known);   /* and the logins and subjects: */
	s->subjects.loaded = 0;             /* another process may have changed them */
	s->nrows = 0;
	s->nspans = 0;
	if (mr_store_on_pg(s))
		mr_measure_pg_drop(s);          /* measurement ids read afresh */
	return 0;
}

int mr_store_begin(mr_store *s, mr_err *err)
{
	return begin_write(s, NULL, err);
}

int mr_store_begin_aside(mr_store *s, const char *lock, mr_err *err)
{
	return begin_write(s, mr_store_on_pg(s) ? lock : NULL, err);
}

int mr_store_begin_read(mr_store *s, mr_err *err)
{
	int rc = 0;
	if (mr_store_on_pg(s) ? (rc = mr_pg_begin_read(s, err)) != 0
	    : sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return rc ? rc : mr_sql_err(s->db, err, "starting to read");
	s->in_tx = 1;
	return 0;
}

int mr_store_commit(mr_store *s, mr_err *err)
{
	int rc = mr_measure_end(s, err);
	if (!rc)
		rc = mr_rollup_flush(s, err);
	if (!rc && mr_sql_lost() != s->lost)   /* a value read or written is missing */
		rc = mr_err_nomem(err);
	if (rc) {
		mr_store_rollback(s);
		return rc;
	}
	if (mr_store_on_pg(s)) {
		if ((rc = mr_pg_commit(s, err))) {
			mr_store_rollback(s);
			return rc;
		}
		goto done;
	}
	s->committing = 1;
	rc = sqlite3_get_autocommit(s->db) ? SQLITE_ERROR   /* rolled back already */
	                                   : sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	s->committing = 0;
	if (rc != SQLITE_OK) {
		rc = rc == SQLITE_ERROR && sqlite3_get_autocommit(s->db)
		   ? mr_err_set(err, MR_EDB, "committing: the transaction was rolled back "
		                "after an earlier error")
		   : mr_sql_err(s->db, err, "committing");
		mr_store_rollback(s);
		return rc;
	}
done:
	s->in_tx = 0;
	s->nspans = 0;
	mr_store_checkpoint(s, 0);
	return 0;
}

void mr_store_rollback(mr_store *s)
{
	if (s->stage) {
		mr_db_run(s->q, "PRAGMA query_only = OFF");
		mr_stage_free(s);
	}
	if (s->in_tx)
		mr_db_run(s->q, "ROLLBACK");
	s->in_tx = 0;
	mr_known_logins_clear(&s->known);
	free(s->closed);
	s->closed = NULL;
	s->nclosed = -1;
	mr_subject_cache_clear(&s->subjects);   /* ids of rolled-back rows */
	mr_rollup_discard(s);
	mr_measure_pg_drop(s);
	s->nrows = 0;
	s->nspans = 0;
}

int mr_store_audit(mr_store *s, const char *action, const char *object,
                   const char *before, const char *after, mr_err *err)
{
	mr_stmt *st = s->st[ST_AUDIT];
	if (!s->actor)      /* its name could not be kept: never someone else's */
		return mr_err_nomem(err);
	if (!st) {
		st = s->st[ST_AUDIT] = mr_sql_prepare(s,
			"INSERT INTO audit(at, who, action, object, before, after) VALUES"
			" (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?, ?, ?, ?, ?)", err);
		if (!st)
			return MR_EDB;
	}
	mr_reset(st);
	mr_sql_text(st, 1, s->actor);
	mr_sql_text(st, 2, action);
	mr_sql_text(st, 3, object);
	mr_sql_text(st, 4, before);
	mr_sql_text(st, 5, after);
	if (mr_step(st) != SQLITE_DONE)
		return mr_q_err(s->q, err, "writing the audit log");
	return 0;
}

char *mr_sql_json_row(mr_store *s, const char *sql, int64_t id, const char *what, mr_err *err)
{
	char *out = NULL;
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	if (!st)
		return NULL;
	mr_bind_i64(st, 1, id);
	int r = mr_step(st);
	if (r == SQLITE_ROW && !(out = mr_sql_col(st, 0)))
		mr_err_nomem(err);
	else if (r == SQLITE_DONE)
		mr_err_set(err, MR_ENOTFOUND, "no %s #%lld", what, (long long)id);
	else if (r != SQLITE_ROW)
		mr_q_err(s->q, err, "reading %s #%lld", what, (long long)id);
	mr_finalize(st);
	return out;
}

int mr_store_audit_row(mr_store *s, const char *action, const char *sql, int64_t id,
                       const char *what, const char *before, mr_err *err)
{
	char object[64];
	char *after = mr_sql_json_row(s, sql, id, what, err);
	if (!after)
		return err->code ? err->code : MR_EDB;
	snprintf(object, sizeof object, "%s %lld", what, (long long)id);
	int rc = mr_store_audit(s, action, object, before, after, err);
	free(after);
	return rc;
}

/* ---- plan ---- */

static int plan_read(mr_store *s, const char *at, char **out, int quiet, mr_err *err);

int mr_store_plan_get(mr_store *s, char **out, mr_err *err)
{
	return plan_read(s, NULL, out, 0, err);
}

int mr_store_plan_find(mr_store *s, char **out, mr_err *err)
{
	return plan_read(s, NULL, out, 1, err);
}

int mr_store_plan_at(mr_store *s, const char *at, char **out, mr_err *err)
{
	return plan_read(s, at, out, 0, err);
}

static int plan_read(mr_store *s, const char *at, char **out, int quiet, mr_err *err)
{
	int rc = 0;
	*out = NULL;
	mr_stmt *st = mr_sql_prepare(s, "SELECT yaml FROM plan WHERE ?1 IS NULL OR"
	                                  " created_at <= ?1 ORDER BY id DESC LIMIT 1", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, at);
	int r = mr_step(st);
	if (r == SQLITE_ROW)
		rc = (*out = mr_sql_col(st, 0)) ? 0 : mr_err_nomem(err);
	else if (r == SQLITE_DONE)
		rc = quiet ? MR_ENOTFOUND :
		     mr_err_set(err, MR_ENOTFOUND, "no plan yet: run `merit init --goal GOAL` first");
	else
		rc = mr_q_err(s->q, err, "reading the plan");
	mr_finalize(st);
	return rc;
}

int mr_store_plan_put(mr_store *s, const char *yaml, mr_err *err)
{
	char *before = NULL;
	mr_err ignore = MR_ERR_INIT;
	mr_store_plan_get(s, &before, &ignore);
	mr_err_clear(&ignore);
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO plan(yaml, created_at, created_by)"
	                                  " VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)", err);
	if (!st) {
		rc = MR_EDB;
		goto done;
	}
	mr_sql_text(st, 1, yaml);
	mr_sql_text(st, 2, s->actor);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "saving the plan");
	else if (!before || strcmp(before, yaml) != 0)
		rc = mr_store_audit(s, "plan", "plan", before, yaml, err);
done:
	mr_finalize(st);
	free(before);
	return rc;
}

/* ---- staff ---- */

void mr_staff_release(mr_staff *st)
{
	if (!st)
		return;
	free(st->login);
	free(st->name);
	free(st->position);
	free(st->manager);
	memset(st, 0, sizeof *st);
}

void mr_staff_list_free(mr_staff *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mr_staff_release(&list[i]);
	free(list);
}

static void json_day(json_t *o, const char *k, int day, int open)
{
	char d[11];
	if (day == open) {
		json_object_set_new(o, k, json_null());
		return;
	}
	mr_day_format(d, day);
	json_object_set_new(o, k, json_string(d));
}

static char *staff_json(const mr_staff *st)
{
	json_t *o = json_object();
	char money[32];
	json_object_set_new(o, "login", json_string(st->login));
	json_object_set_new(o, "name", json_string(st->name));
	json_object_set_new(o, "position", st->position ? json_string(st->position) : json_null());
	if (st->reviewer)
		json_object_set_new(o, "reviewer", json_true());
	json_object_set_new(o, "manager", st->manager ? json_string(st->manager) : json_null());
	json_day(o, "from", st->from, MR_DAY_MIN);
	json_day(o, "to", st->to, MR_DAY_MAX);
	if (st->has_base_bonus) {
		mr_money_format(money, st->base_bonus_cents);
		json_object_set_new(o, "base_bonus", json_string(money));
	}
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

static void staff_from_row(mr_staff *o, mr_stmt *st)
{
	o->login = mr_sql_col(st, 0);
	o->name = mr_sql_col(st, 1);
	o->position = mr_sql_col(st, 2);
	o->manager = mr_sql_col(st, 3);
	o->from = mr_col_type(st, 4) == SQLITE_NULL ? MR_DAY_MIN : (int)mr_col_i64(st, 4);
	o->to = mr_col_type(st, 5) == SQLITE_NULL ? MR_DAY_MAX : (int)mr_col_i64(st, 5);
	o->has_base_bonus = mr_col_type(st, 6) != SQLITE_NULL;
	o->base_bonus_cents = mr_col_i64(st, 6);
	o->reviewer = (int)mr_col_i64(st, 7) != 0;
	if (o->reviewer) {             /* kept as '' in the table */
		free(o->position);
		o->position = NULL;
	}
}

#define STAFF_COLS "login, name, position, manager, active_from, active_to, base_bonus_cents, " \
                   "reviewer"

static int staff_read(mr_store *s, const char *login, mr_staff *out, int quiet, mr_err *err);

int mr_store_staff_get(mr_store *s, const char *login, mr_staff *out, mr_err *err)
{
	return staff_read(s, login, out, 0, err);
}

int mr_store_staff_find(mr_store *s, const char *login, mr_staff *out, mr_err *err)
{
	return staff_read(s, login, out, 1, err);
}

static int staff_read(mr_store *s, const char *login, mr_staff *out, int quiet, mr_err *err)
{
	int rc = 0;
	memset(out, 0, sizeof *out);
	mr_stmt *st = mr_sql_prepare(s, "SELECT " STAFF_COLS " FROM staff WHERE login = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, login);
	int r = mr_step(st);
	if (r == SQLITE_ROW)
		staff_from_row(out, st);
	else if (r == SQLITE_DONE)
		rc = quiet ? MR_ENOTFOUND :
		     mr_err_set(err, MR_ENOTFOUND, "no staff member with login \"%s\"", login);
	else
		rc = mr_q_err(s->q, err, "reading staff member %s", login);
	mr_finalize(st);
	return rc;
}

int mr_store_staff_put(mr_store *s, const mr_staff *given, int create, mr_err *err)
{
	mr_staff old, composed = *given;
	const mr_staff *in = &composed;
	char *before = NULL, *after = NULL, *name = NULL;
	mr_stmt *st = NULL;
	/* names travel to the web and reports as JSON and XML: UTF-8 only */
	const char *fields[] = { in->login, in->name, in->position, in->manager };
	const char *what[] = { "login", "name", "position", "manager" };
	for (size_t i = 0; i < 4; i++)
		if (fields[i] && !mr_utf8_ok(fields[i]))
			return mr_err_set(err, MR_EINVALID, "the %s is not UTF-8 text", what[i]);
	/* a new login is ASCII; a name any language, composed (NFC), no controls */
	if (create && mr_text_login_check(in->login, "login", err))
		return MR_EINVALID;
	int rc = in->name ? mr_text_name(&name, in->name, "the name", MR_NAME_MAX, err) : 0;
	if (rc)
		return rc;
	if (name)
		composed.name = name;
	rc = mr_store_staff_find(s, in->login, &old, err);
	int exists = rc == 0;
	if (rc && rc != MR_ENOTFOUND) {
		free(name);
		return rc;
	}
	if (create && exists) {
		rc = mr_err_set(err, MR_EEXISTS, "staff member \"%s\" exists already "
		                "(change them with `merit staff set`)", in->login);
		goto done;
	}
	if (!create && !exists) {
		rc = mr_err_set(err, MR_ENOTFOUND, "no staff member with login \"%s\"", in->login);
		goto done;
	}
	if (in->manager) {
		mr_staff m;
		if (strcmp(in->manager, in->login) == 0) {
			rc = mr_err_set(err, MR_EINVALID, "--manager: %s cannot be their own manager",
			                in->login);
			goto done;
		}
		if ((rc = mr_store_staff_get(s, in->manager, &m, err))) {
			mr_err_prefix(err, "--manager");
			goto done;
		}
		/* nobody manages their own manager, however far up: a loop
		 * would let a person rate their manager as manager, and see
		 * the upward ratings meant to be anonymous */
		mr_buf chain;
		mr_buf_init(&chain);
		mr_buf_printf(&chain, "%s → %s", in->login, m.login);
		/* (a chain deeper than a thousand is no company's: a loop an
		 * older merit let in, not through this person, ends the walk) */
		for (int up = 0; !rc && m.manager && *m.manager && up < 1000; up++) {
			mr_buf_printf(&chain, " → %s", m.manager);
			if (strcmp(m.manager, in->login) == 0) {
				rc = mr_err_set(err, MR_EINVALID, "--manager: %s cannot manage %s: the "
				                "managers go round (%s); change %s's manager first",
				                in->manager, in->login, chain.data, in->manager);
				break;
			}
			mr_staff up_one;
			if ((rc = mr_store_staff_get(s, m.manager, &up_one, err))) {
				if (rc == MR_ENOTFOUND) {   /* the chain ends there */
					mr_err_clear(err);
					rc = 0;
				}
				break;
			}
			mr_staff_release(&m);
			m = up_one;
		}
		mr_staff_release(&m);
		if (!rc && mr_buf_oom(&chain))
			rc = mr_err_nomem(err);
		mr_buf_release(&chain);
		if (rc)
			goto done;
	}
	before = exists ? staff_json(&old) : NULL;
	after = staff_json(in);
	if (before && after && strcmp(before, after) == 0)
		goto done;                  /* as it was: nothing to write or audit */
	st = mr_sql_prepare(s, create
		? "INSERT INTO staff(" STAFF_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		: "UPDATE staff SET name = ?2, position = ?3, manager = ?4, active_from = ?5,"
		  " active_to = ?6, base_bonus_cents = ?7, reviewer = ?8 WHERE login = ?1", err);
	if (!st) {
		rc = MR_EDB;
		goto done;
	}
	mr_sql_text(st, 1, in->login);
	mr_sql_text(st, 2, in->name);
	mr_sql_text(st, 3, in->reviewer || !in->position ? "" : in->position);
	mr_sql_text(st, 4, in->manager);
	mr_bind_i64(st, 8, in->reviewer != 0);
	if (in->from == MR_DAY_MIN) mr_bind_null(st, 5); else mr_bind_i64(st, 5, in->from);
	if (in->to == MR_DAY_MAX) mr_bind_null(st, 6); else mr_bind_i64(st, 6, in->to);
	if (in->has_base_bonus) mr_bind_i64(st, 7, in->base_bonus_cents);
	else mr_bind_null(st, 7);
	if (mr_step(st) != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "saving staff member %s", in->login);
		goto done;
	}
	rc = mr_store_audit(s, create ? "staff add" : "staff set", in->login, before, after, err);
done:
	if (exists)
		mr_staff_release(&old);
	mr_finalize(st);
	free(name);
	free(before);
	free(after);
	return rc;
}

static void staff_fill(void *item, mr_stmt *st) { staff_from_row(item, st); }

int mr_store_staff_list(mr_store *s, mr_staff **out, size_t *n, mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s, "SELECT " STAFF_COLS " FROM staff ORDER BY login", err);
	if (!st)
		return MR_EDB;
	int rc = mr_sql_collect(s, st, sizeof **out, staff_fill, &items, n, "listing staff", err);
	*out = items;
	if (rc) {
		mr_staff_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- ownership rules ---- */

/* value without the spaces and tabs around it, its length in *n */
static const char *own_trim(const char *value, size_t *n)
{
	size_t len = strlen(value);
	while (len && (*value == ' ' || *value == '\t'))
		value++, len--;
	while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	*n = len;
	return value;
}

/* The rules of `kind` for the same value as the rules match values
 * (same()), however each was written: their stored values in *out (to
 * free, NULL-terminated; a database of an older merit may hold several),
 * the first one's owner in *login (NULL when none). */
static int own_same(mr_store *s, const char *kind, const char *value, mr_own_same_fn same,
                    char ***out, char **login, mr_err *err)
{
	size_t n = 0, cap = 0;
	char **vals = NULL;
	int rc = 0, r;
	*out = NULL;
	*login = NULL;
	mr_stmt *st = mr_sql_prepare(s, "SELECT value, login FROM ownership WHERE kind = ?"
	                                  " ORDER BY value", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, kind);
	while (!rc && (r = mr_step(st)) == SQLITE_ROW) {
		if (!same(kind, mr_col_text(st, 0), value))
			continue;
		if (mr_vec_grow(&vals, &cap, n + 1, sizeof *vals) || !(vals[n] = mr_sql_col(st, 0)))
			rc = mr_err_nomem(err);
		else if (!n++ && !(*login = mr_sql_col(st, 1)))
			rc = mr_err_nomem(err);
		if (!rc)
			vals[n] = NULL;
	}
	if (!rc && r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "reading the rules for %s", kind);
	mr_finalize(st);
	if (rc) {
		for (size_t i = 0; i < n; i++)
			free(vals[i]);
		free(vals);
		free(*login);
		*login = NULL;
		return rc;
	}
	*out = vals;
	return 0;
}

static void own_vals_free(char **vals)
{
	for (size_t i = 0; vals && vals[i]; i++)
		free(vals[i]);
	free(vals);
}

/* Remove every rule of kind written as one of vals. */
static int own_delete(mr_store *s, const char *kind, char **vals, mr_err *err)
{
	int rc = 0;
	for (size_t i = 0; !rc && vals && vals[i]; i++) {
		mr_stmt *st = mr_sql_prepare(s, "DELETE FROM ownership WHERE kind = ? AND value = ?",
		                             err);
		if (!st)
			return MR_EDB;
		mr_sql_text(st, 1, kind);
		mr_sql_text(st, 2, vals[i]);
		if (mr_step(st) != SQLITE_DONE)
			rc = mr_q_err(s->q, err, "removing the rule for %s %s", kind, vals[i]);
		mr_finalize(st);
	}
	return rc;
}

int mr_store_own_put(mr_store *s, const char *kind, const char *value,
                     const char *login, mr_own_same_fn same, mr_err *err)
{
	mr_staff who;
	int rc = mr_store_staff_get(s, login, &who, err);
	char *before = NULL, **vals = NULL, object[512];
	if (rc)
		return rc;
	mr_staff_release(&who);
	size_t n;
	value = own_trim(value, &n);
	snprintf(object, sizeof object, "%s %.*s", kind, (int)n, value);
	/* a new rule for the same value replaces the old, however it was
	 * written (" XYZ " and "xyz" are one value: they made two rules,
	 * one of them winning at random) */
	if ((rc = own_same(s, kind, value, same, &vals, &before, err)) ||
	    (rc = own_delete(s, kind, vals, err)))
		goto done;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO ownership(kind, value, login) VALUES (?, ?, ?)",
	                             err);
	if (!st) {
		rc = MR_EDB;
		goto done;
	}
	mr_sql_text(st, 1, kind);
	mr_bind_text(st, 2, value, (int)n);
	mr_sql_text(st, 3, login);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "saving the rule for %s", object);
	else
		rc = mr_store_audit(s, "own", object, before, login, err);
	mr_finalize(st);
done:
	own_vals_free(vals);
	free(before);
	return rc;
}

int mr_store_own_rm(mr_store *s, const char *kind, const char *value, mr_own_same_fn same,
                    mr_err *err)
{
	char object[512];
	char *before = NULL, **vals = NULL;
	size_t n;
	value = own_trim(value, &n);
	snprintf(object, sizeof object, "%s %.*s", kind, (int)n, value);
	int rc = own_same(s, kind, value, same, &vals, &before, err);
	if (!rc && !before)
		rc = mr_err_set(err, MR_ENOTFOUND, "no rule gives %s \"%.*s\" an owner", kind, (int)n,
		                value);
	if (!rc)
		rc = own_delete(s, kind, vals, err);
	if (!rc)
		rc = mr_store_audit(s, "own rm", object, before, NULL, err);
	own_vals_free(vals);
	free(before);
	return rc;
}

void mr_rule_rows_free(mr_rule_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].kind);
		free(rows[i].value);
		free(rows[i].login);
	}
	free(rows);
}

static void rule_fill(void *item, mr_stmt *st)
{
	mr_rule_row *r = item;
	r->kind = mr_sql_col(st, 0);
	r->value = mr_sql_col(st, 1);
	r->login = mr_sql_col(st, 2);
}

int mr_store_own_list(mr_store *s, mr_rule_row **out, size_t *n, mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s, "SELECT kind, value, login FROM ownership"
	                                  " ORDER BY kind, value", err);
	if (!st)
		return MR_EDB;
	int rc = mr_sql_collect(s, st, sizeof **out, rule_fill, &items, n,
	                        "listing ownership rules", err);
	*out = items;
	if (rc) {
		mr_rule_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- users ---- */

int mr_store_user_put(mr_store *s, const char *login, const char *role,
                      const char *pw_hash, int create, mr_err *err)
{
	int rc = 0;
	char *old_role = NULL, before[128], after[128];
	if (!mr_utf8_ok(login))
		return mr_err_set(err, MR_EINVALID, "the login is not UTF-8 text");
	if (create && mr_text_login_check(login, "login", err))
		return MR_EINVALID;
	mr_stmt *st = mr_sql_prepare(s, "SELECT role FROM \"user\" WHERE login = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, login);
	if (mr_step(st) == SQLITE_ROW)
		old_role = mr_sql_col(st, 0);
	mr_finalize(st);
	if (create && old_role) {
		rc = mr_err_set(err, MR_EEXISTS, "user \"%s\" exists already", login);
		mr_err_hint(err, MR_HINT_USER_EXISTS, "change the password with `merit user passwd "
		            "%s`", login);
		goto done;
	}
	if (!create && !old_role) {
		rc = mr_err_set(err, MR_ENOTFOUND, "no user \"%s\"", login);
		mr_err_hint(err, MR_HINT_USER_MISSING, "add one with `merit user add`");
		goto done;
	}
	st = mr_sql_prepare(s, create
		? "INSERT INTO \"user\"(login, role, pw_hash, created_at) VALUES (?1, ?2, ?3,"
		  " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
		: "UPDATE \"user\" SET role = coalesce(?2, role), pw_hash = coalesce(?3, pw_hash)"
		  " WHERE login = ?1", err);
	if (!st) {
		rc = MR_EDB;
		goto done;
	}
	mr_sql_text(st, 1, login);
	mr_sql_text(st, 2, role);
	mr_sql_text(st, 3, pw_hash);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "saving user %s", login);
	mr_finalize(st);
	if (rc)
		goto done;
	/* the audit says what changed, never the password or its hash */
	snprintf(before, sizeof before, "{\"role\":\"%s\"}", old_role ? old_role : "");
	snprintf(after, sizeof after, "{\"role\":\"%s\"%s}", role ? role : old_role,
	         pw_hash ? ",\"password\":\"(set)\"" : "");
	rc = mr_store_audit(s, create ? "user add" : "user set", login, old_role ? before : NULL,
	                    after, err);
done:
	free(old_role);
	return rc;
}

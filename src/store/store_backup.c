/* store_backup.c — backup, restore and check of a database file, and the
 * lock `merit serve` holds so that a restore never swaps the file under it.
 *
 * These work on a database by path with their own SQLite connections
 * (never mr_store_open: a backup must not migrate or write its source, a
 * check must read a damaged file without refusing it).
 *
 * Backup: SQLite's online backup API copies the database into a temporary
 * file beside the target in ONE sqlite3_backup_step(-1).  merit databases
 * are in WAL mode, where that step's read transaction is a snapshot that
 * writers never wait for (they append to the -wal meanwhile): one step is
 * one consistent copy of the last commit, costs a live writer nothing, and
 * never restarts.  Steps of N pages would each end the read transaction,
 * and a commit between two steps restarts the copy from page 1 — under
 * steady writes (a server taking ratings) it might never finish.  The copy
 * is switched to journal_mode DELETE (one self-contained file, readable
 * from read-only media, no -wal beside it), gets an audit record saying
 * when it was taken, passes PRAGMA quick_check, is fsynced and renamed
 * over the target; on any error the target is untouched.
 *
 * Restore: the backup is copied the same way into a temporary file beside
 * the database and checked (a merit schema, a quick check) before anything
 * is locked.  Then, in order: the server lock (below) exclusively, or
 * refuse; SQLite's own EXCLUSIVE lock on the database file, taken through
 * the VFS without reading a page (the file may be the damaged one being
 * replaced).  Every connection in WAL mode holds a SHARED lock on the
 * database file for as long as it is open, so holding EXCLUSIVE means no
 * process has the database — nor its -wal and -shm — open: only then are
 * the -wal, -shm and -journal removed (they belong to the old file and
 * would be read against the new one: "database disk image is malformed")
 * and the copy renamed into place.  The restored database gets its audit
 * record after the swap.
 *
 * The server lock: flock(2) on the database file itself, shared by every
 * `merit serve`, exclusive for a restore.  flock locks are separate from
 * the POSIX fcntl locks SQLite uses on the same file (on Linux), but
 * closing ANY descriptor of the file drops all of the process's fcntl
 * locks on it: the descriptor is closed only after the process's SQLite
 * connections to the database are.  The locked file is checked to be still
 * the one at the path (a restore renames a new file in).
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "util/file.h"
#include "util/vec.h"

/* Tables every merit schema (version 1 on) has. */
static const char *const merit_tables[] = { "plan", "staff", "batch", "measurement", "audit",
                                            "cycle", NULL };

static int open_db(sqlite3 **out, const char *path, int flags, mr_err *err)
{
	int rc = sqlite3_open_v2(path, out, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		mr_err_set(err, MR_EIO, "%s: cannot open: %s", path,
		           *out ? sqlite3_errmsg(*out) : sqlite3_errstr(rc));
		sqlite3_close(*out);
		*out = NULL;
		return MR_EIO;
	}
	sqlite3_busy_timeout(*out, MR_BUSY_MS);
	return 0;
}

/* The first column of the first row of sql as an integer (*out), or an
 * error naming `what`. */
static int int_query(sqlite3 *db, const char *sql, int64_t *out, const char *what, mr_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	*out = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return mr_sql_err(db, err, "%s", what);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (r != SQLITE_DONE)
		rc = mr_sql_err(db, err, "%s", what);
	sqlite3_finalize(st);
	return rc;
}

/* Is db a merit database this merit can open (schema version 1..latest,
 * its tables there)?  The message says why not. */
static int merit_schema(sqlite3 *db, int *version, mr_err *err)
{
	int64_t v, n;
	int rc = int_query(db, "PRAGMA user_version", &v, "reading the schema version", err);
	if (rc)
		return rc;
	*version = (int)v;
	if (v <= 0)
		return mr_err_set(err, MR_EINVALID, "not a merit database (no merit schema)");
	if (v > mr_store_schema_version())
		return mr_err_set(err, MR_EINVALID, "schema version %d, newer than this merit "
		                  "knows (%d): upgrade merit", (int)v, mr_store_schema_version());
	for (int i = 0; merit_tables[i]; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
		         " AND name = '%s'", merit_tables[i]);
		if ((rc = int_query(db, sql, &n, "reading the schema", err)))
			return rc;
		if (!n)
			return mr_err_set(err, MR_EINVALID, "not a merit database (no table %s)",
			                  merit_tables[i]);
	}
	return 0;
}

/* PRAGMA quick_check's first complaint, or 0 when "ok". */
static int quick_check(sqlite3 *db, mr_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK)
		return mr_sql_err(db, err, "quick check");
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		if (!m || strcmp(m, "ok") != 0)
			rc = mr_err_set(err, MR_EINVALID, "it fails its quick check: %s", m ? m : "?");
	} else {
		rc = mr_sql_err(db, err, "quick check");
	}
	sqlite3_finalize(st);
	return rc;
}

static void now_utc(char out[32])
{
	struct timeval tv;
	struct tm tm;
	gettimeofday(&tv, NULL);
	time_t t = tv.tv_sec;
	gmtime_r(&t, &tm);
	char day[24];
	strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 32, "%s.%03dZ", day, (int)(tv.tv_usec / 1000));
}

/* "<path>.tmp-XXXXXX", created empty (an empty file is an empty database)
 * with the mode of the database `db` (a backup holds what it holds: user
 * password hashes, sessions). */
int mr_store_temp_beside(char **out, const char *path, const char *db, mr_err *err)
{
	size_t n = strlen(path) + 16;
	char *t = malloc(n);
	*out = NULL;
	if (!t)
		return mr_err_nomem(err);
	snprintf(t, n, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(t);
	if (fd < 0) {
		int e = errno;
		free(t);
		return mr_err_set(err, MR_EIO, "%s: cannot make a temporary file beside it: %s",
		                  path, strerror(e));
	}
	fchmod(fd, mr_file_mode_for(db));
	close(fd);
	*out = t;
	return 0;
}

/* Remove a temporary database and whatever SQLite left beside it. */
void mr_store_temp_remove(const char *t)
{
	static const char *const ext[] = { "", "-journal", "-wal", "-shm" };
	if (!t)
		return;
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s%s", t, ext[i]);
		unlink(p);
	}
}

/* fsync the file at path, or its directory (dir != 0). */
int mr_store_sync_path(const char *path, int dir, mr_err *err)
{
	char d[4096];
	const char *p = path;
	if (dir) {
		const char *slash = strrchr(path, '/');
		if (!slash)
			p = ".";
		else {
			snprintf(d, sizeof d, "%.*s", slash == path ? 1 : (int)(slash - path), path);
			p = d;
		}
	}
	int fd = open(p, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0 || close(fd) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return mr_err_set(err, MR_EIO, "%s: cannot write it to disk: %s", p, strerror(e));
	}
	return 0;
}

/* Copy the database src (its "main") into the file dest_path, which
 * becomes a rollback-journal database checked by a quick check; when
 * `who` is set, the copy gets an audit record of its backup to `object`. */
static int copy_db(sqlite3 *src, const char *dest_path, const char *who, const char *object,
                   mr_backup_info *info, mr_err *err)
{
	sqlite3 *dest = NULL;
	sqlite3_backup *b = NULL;
	int rc = open_db(&dest, dest_path, SQLITE_OPEN_READWRITE, err);
	if (rc)
		return rc;
	/* the copy is fsynced once, at the end */
	sqlite3_exec(dest, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	if (!(b = sqlite3_backup_init(dest, "main", src, "main"))) {
		rc = mr_sql_err(dest, err, "starting the copy");
		goto done;
	}
	/* One step: see the top of the file.  BUSY/LOCKED only while the
	 * source's WAL is being recovered or reset: brief, so wait as a
	 * statement would. */
	int r, waited = 0;
	while ((r = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || r == SQLITE_LOCKED) {
		if (waited >= MR_BUSY_MS)
			break;
		sqlite3_sleep(20);
		waited += 20;
	}
	info->pages = sqlite3_backup_pagecount(b);
	if (r != SQLITE_DONE) {
		if (r == SQLITE_BUSY || r == SQLITE_LOCKED)
			rc = mr_err_set(err, MR_EDB, "copying: the database stayed busy for %d s; "
			                "try again", MR_BUSY_MS / 1000);
		else
			rc = mr_err_set(err, r == SQLITE_NOTADB || r == SQLITE_CORRUPT ? MR_EINVALID
			                                                                : MR_EDB,
			                "copying: %s", sqlite3_errstr(r));
		sqlite3_backup_finish(b);
		goto done;
	}
	if (sqlite3_backup_finish(b) != SQLITE_OK) {
		rc = mr_sql_err(dest, err, "finishing the copy");
		goto done;
	}
	/* one file on its own: no -wal needed beside it */
	if (sqlite3_exec(dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		rc = mr_sql_err(dest, err, "making the copy one file");
		goto done;
	}
	if ((rc = merit_schema(dest, &info->schema_version, err)))
		goto done;
	if (who) {
		sqlite3_stmt *st = NULL;
		now_utc(info->taken_at);
		if (sqlite3_prepare_v2(dest, "INSERT INTO audit(at, who, action, object, before,"
		                       " after) VALUES (?, ?, 'backup', ?, NULL, ?)", -1, &st,
		                       NULL) != SQLITE_OK) {
			rc = mr_sql_err(dest, err, "writing the backup's audit record");
			goto done;
		}
		char after[64];
		snprintf(after, sizeof after, "{\"taken_at\":\"%s\"}", info->taken_at);
		sqlite3_bind_text(st, 1, info->taken_at, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, who, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, object, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, after, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = mr_sql_err(dest, err, "writing the backup's audit record");
		sqlite3_finalize(st);
		if (rc)
			goto done;
	}
	if ((rc = quick_check(dest, err)))
		goto done;
	int64_t size;
	if ((rc = int_query(dest, "SELECT page_count * page_size FROM pragma_page_count,"
	                    " pragma_page_size", &size, "measuring the copy", err)))
		goto done;
	info->bytes = size;
	if (sqlite3_close(dest) != SQLITE_OK) {
		rc = mr_sql_err(dest, err, "closing the copy");
		goto done;
	}
	dest = NULL;
	rc = mr_store_sync_path(dest_path, 0, err);
done:
	sqlite3_close(dest);
	return rc;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int mr_store_backup(const char *db, const char *file, const char *who, mr_backup_info *out,
                    mr_err *err)
{
	sqlite3 *src = NULL;
	char *tmp = NULL;
	struct stat st;
	int rc;
	memset(out, 0, sizeof *out);
	if (stat(db, &st) != 0)
		return mr_err_set(err, MR_ENOTFOUND, "no database at %s", db);
	if (same_file(db, file))
		return mr_err_set(err, MR_EINVALID, "%s is the database itself: back it up to "
		                  "another file", file);
	if (stat(file, &st) == 0 && S_ISDIR(st.st_mode))
		return mr_err_set(err, MR_EINVALID, "%s is a directory: name the backup file",
		                  file);
	if ((rc = open_db(&src, db, SQLITE_OPEN_READWRITE, err)))
		return rc;
	int version;
	if ((rc = merit_schema(src, &version, err))) {
		mr_err_prefix(err, "%s", db);
		goto done;
	}
	if ((rc = mr_store_temp_beside(&tmp, file, db, err)))
		goto done;
	if ((rc = copy_db(src, tmp, who ? who : "cli", file, out, err))) {
		mr_err_prefix(err, "%s", file);
		goto done;
	}
	if (rename(tmp, file) != 0) {
		rc = mr_err_set(err, MR_EIO, "%s: %s", file, strerror(errno));
		goto done;
	}
	free(tmp);
	tmp = NULL;
	rc = mr_store_sync_path(file, 1, err);
done:
	sqlite3_close(src);
	mr_store_temp_remove(tmp);
	free(tmp);
	return rc;
}

/* ---- the server lock ---- */

/* flock `how` (LOCK_SH, LOCK_EX) on the file at path without waiting:
 * *out_fd, or -1 when there is no file; MR_EDB when another holds it
 * (nothing said: the caller knows who), the message set otherwise. */
static int flock_path(const char *path, int how, int *out_fd, mr_err *err)
{
	*out_fd = -1;
	for (int tries = 0; tries < 5; tries++) {
		struct stat a, b;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT)
				return 0;
			return mr_err_set(err, MR_EIO, "%s: %s", path, strerror(errno));
		}
		if (flock(fd, how | LOCK_NB) != 0) {
			int e = errno;
			close(fd);
			if (e == EWOULDBLOCK)
				return MR_EDB;
			return mr_err_set(err, MR_EIO, "%s: cannot lock it: %s", path, strerror(e));
		}
		/* still the file at the path?  (a restore renames a new one in) */
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino) {
			*out_fd = fd;
			return 0;
		}
		close(fd);
	}
	return mr_err_set(err, MR_EDB, "%s: the file kept being replaced; try again", path);
}

int mr_store_server_lock(const char *db, int *out_fd, mr_err *err)
{
	if (strcmp(db, ":memory:") == 0 || mr_db_is_url(db)) {   /* no file to restore */
		*out_fd = -1;
		return 0;
	}
	int rc = flock_path(db, LOCK_SH, out_fd, err);
	if (rc == MR_EDB && !err->code)
		rc = mr_err_set(err, MR_EDB, "%s: a restore is replacing this database; try again "
		                "when it is done", db);
	return rc;
}

/* ---- restore ---- */

/* Take SQLite's lock `level` on the database file through the VFS (no
 * page is read), waiting as a statement would. */
static int vfs_lock(sqlite3_file *f, int level)
{
	for (int waited = 0;; waited += 20) {
		int r = f->pMethods->xLock(f, level);
		if (r != SQLITE_BUSY || waited >= MR_BUSY_MS)
			return r;
		sqlite3_sleep(20);
	}
}

/* The newest backup record's time in the copy (""), for the restore's
 * audit record and message. */
static void backup_time(sqlite3 *db, char out[32])
{
	sqlite3_stmt *st = NULL;
	out[0] = 0;
	if (sqlite3_prepare_v2(db, "SELECT at FROM audit WHERE action = 'backup'"
	                       " ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, 32, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Copy and check the backup `file` into the new temporary file *tmp
 * beside db. */
static int restore_copy(const char *db, const char *file, char **tmp, mr_backup_info *out,
                        mr_err *err)
{
	sqlite3 *src = NULL;
	int rc = mr_store_temp_beside(tmp, db, db, err);
	if (rc || (rc = open_db(&src, file, SQLITE_OPEN_READONLY, err)))
		return rc;
	if ((rc = copy_db(src, *tmp, NULL, NULL, out, err)))
		mr_err_prefix(err, "%s: not a backup merit can restore", file);
	else
		backup_time(src, out->taken_at);
	sqlite3_close(src);
	return rc;
}

/* With no one else holding db: clear what belongs to the old file and
 * rename tmp into place.  Keeps an flock on the new file in *new_fd. */
static int swap_in(const char *db, const char *tmp, int *new_fd, mr_err *err)
{
	static const char *const ext[] = { "-wal", "-shm", "-journal" };
	char p[4096];
	*new_fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (*new_fd < 0 || flock(*new_fd, LOCK_EX | LOCK_NB) != 0)
		return mr_err_set(err, MR_EIO, "%s: %s", tmp, strerror(errno));
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		snprintf(p, sizeof p, "%s%s", db, ext[i]);
		if (unlink(p) != 0 && errno != ENOENT)
			return mr_err_set(err, MR_EIO, "%s: cannot remove the old file's %s: %s", p,
			                  ext[i] + 1, strerror(errno));
	}
	if (rename(tmp, db) != 0)
		return mr_err_set(err, MR_EIO, "%s: %s", db, strerror(errno));
	return mr_store_sync_path(db, 1, err);
}

/* The restored database's audit record (its schema migrated on the way). */
static int restore_audit(const char *db, const char *file, const char *who,
                         const mr_backup_info *info, mr_err *err)
{
	mr_store *s = NULL;
	char after[512];
	int rc = mr_store_open(&s, db, err);
	if (rc)
		return rc;
	mr_store_set_actor(s, who);
	snprintf(after, sizeof after, "{\"taken_at\":%s%s%s,\"schema_version\":%d}",
	         info->taken_at[0] ? "\"" : "", info->taken_at[0] ? info->taken_at : "null",
	         info->taken_at[0] ? "\"" : "", info->schema_version);
	if (!(rc = mr_store_begin(s, err)) &&
	    !(rc = mr_store_audit(s, "restore", file, NULL, after, err)))
		rc = mr_store_commit(s, err);
	mr_store_close(s);
	return rc;
}

int mr_store_restore(const char *db, const char *file, const char *who, int confirmed,
                     mr_backup_info *out, mr_err *err)
{
	char *tmp = NULL;
	sqlite3 *lk = NULL;
	sqlite3_file *f = NULL;
	int old_fd = -1, new_fd = -1, locked = 0, rc;
	struct stat st;
	memset(out, 0, sizeof *out);
	if (strcmp(db, ":memory:") == 0)
		return mr_err_set(err, MR_EINVALID, "an in-memory database has no file to restore");
	if (stat(file, &st) != 0)
		return mr_err_set(err, MR_ENOTFOUND, "%s: %s", file, strerror(errno));
	if (same_file(db, file))
		return mr_err_set(err, MR_EINVALID, "%s is the database itself", file);
	if ((rc = restore_copy(db, file, &tmp, out, err)))
		goto done;
	if (!confirmed) {
		rc = mr_err_set(err, MR_ECONFIRM, "restoring %s (taken %s%s, schema version %d) "
		                "replaces everything in %s", file, out->taken_at[0] ? "at " : "",
		                out->taken_at[0] ? out->taken_at : "by other means than "
		                "`merit backup`", out->schema_version, db);
		goto done;
	}
	/* no server, then no one at all (see the top of the file) */
	rc = flock_path(db, LOCK_EX, &old_fd, err);
	if (rc == MR_EDB && !err->code)
		rc = mr_err_set(err, MR_EDB, "%s: a server is using this database (merit serve): "
		                "stop it, restore, then start it again", db);
	if (rc)
		goto done;
	if (old_fd >= 0) {
		if ((rc = open_db(&lk, db, SQLITE_OPEN_READWRITE, err)))
			goto done;
		if (sqlite3_file_control(lk, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK ||
		    !f || !f->pMethods) {
			rc = mr_err_set(err, MR_EDB, "%s: cannot lock the database", db);
			goto done;
		}
		int r = vfs_lock(f, SQLITE_LOCK_SHARED);
		locked = r == SQLITE_OK;
		if (locked)
			r = vfs_lock(f, SQLITE_LOCK_EXCLUSIVE);
		if (r != SQLITE_OK) {
			rc = mr_err_set(err, MR_EDB, "%s: %s", db, r == SQLITE_BUSY
			                ? "another process is using the database (a merit "
			                  "command, `merit probe run`, sqlite3…); try again when it "
			                  "is done"
			                : sqlite3_errstr(r));
			goto done;
		}
	}
	if ((rc = swap_in(db, tmp, &new_fd, err)))
		goto done;
	free(tmp);
	tmp = NULL;
	if (locked)
		f->pMethods->xUnlock(f, SQLITE_LOCK_NONE);
	locked = 0;
	/* the connection before the descriptor: see the top of the file */
	sqlite3_close(lk);
	lk = NULL;
	if ((rc = restore_audit(db, file, who ? who : "cli", out, err)))
		mr_err_prefix(err, "%s was restored, but its audit record was not written", db);
done:
	if (locked)
		f->pMethods->xUnlock(f, SQLITE_LOCK_NONE);
	sqlite3_close(lk);
	if (old_fd >= 0)
		close(old_fd);
	if (new_fd >= 0)
		close(new_fd);
	mr_store_temp_remove(tmp);
	free(tmp);
	return rc;
}

/* ---- check ---- */

typedef struct check_run {
	sqlite3 *db;
	mr_check_fn fn;
	void *payload;
	int64_t problems;
} check_run;

static int problem(check_run *c, const char *where, const char *what)
{
	c->problems++;
	return c->fn(where, what, c->payload);
}

/* A growing list of lines. */
typedef struct lines {
	char **v;
	size_t n, cap;
} lines;

static int lines_add(lines *l, const char *text, size_t len)
{
	if (mr_vec_grow(&l->v, &l->cap, l->n, sizeof *l->v) || !(l->v[l->n] = strndup(text, len)))
		return -1;
	l->n++;
	return 0;
}

static int lines_has(const lines *l, const char *text)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], text) == 0)
			return 1;
	return 0;
}

/* The lines an integrity check (sql) says, but "ok" and its "*** in
 * database main ***" headings; an error of the statement is a line too. */
static int integrity_lines(sqlite3 *db, const char *sql, lines *out)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, r;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		const char *m = sqlite3_errmsg(db);
		return lines_add(out, m, strlen(m));
	}
	while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		while (p && *p && !rc) {
			size_t n = strcspn(p, "\n");
			if (n && strncmp(p, "ok", n) != 0 && strncmp(p, "*** in database", 15) != 0)
				rc = lines_add(out, p, n);
			p += n + (p[n] == '\n');
		}
	}
	if (!rc && r != SQLITE_DONE) {
		const char *m = sqlite3_errmsg(db);
		rc = lines_add(out, m, strlen(m));
	}
	sqlite3_finalize(st);
	return rc;
}

/* PRAGMA integrity_check; when it finds anything, each problem is told
 * under the table it is in (a check of each table), the rest (free list,
 * pages never used) under "database".  *bad: any problem. */
static int check_integrity(check_run *c, int *bad)
{
	lines whole = { NULL, 0, 0 }, told = { NULL, 0, 0 };
	sqlite3_stmt *st = NULL;
	int rc = integrity_lines(c->db, "PRAGMA integrity_check", &whole);
	*bad = whole.n > 0;
	if (rc || !*bad)
		goto done;
	if (sqlite3_prepare_v2(c->db, "SELECT name FROM sqlite_schema WHERE type = 'table'"
	                       " ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		goto rest;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		char where[300];
		lines mine = { NULL, 0, 0 };
		char *sql = sqlite3_mprintf("PRAGMA integrity_check(%Q)", sqlite3_column_text(st, 0));
		snprintf(where, sizeof where, "table %s", (const char *)sqlite3_column_text(st, 0));
		rc = sql ? integrity_lines(c->db, sql, &mine) : -1;
		for (size_t i = 0; !rc && i < mine.n; i++)
			if (!(rc = lines_add(&told, mine.v[i], strlen(mine.v[i]))))
				rc = problem(c, where, mine.v[i]);
		mr_str_list_free(mine.v, mine.n);
		sqlite3_free(sql);
	}
	sqlite3_finalize(st);
rest:;
	/* pages a damaged table no longer reaches: one line, not one each */
	int64_t unused = 0, first = 0, last = 0;
	for (size_t i = 0; !rc && i < whole.n; i++) {
		long long pg;
		char tail[2];
		if (sscanf(whole.v[i], "Page %lld is never use%1s", &pg, tail) == 2) {
			first = unused++ ? first : pg;
			last = pg;
		} else if (!lines_has(&told, whole.v[i])) {
			rc = problem(c, "database", whole.v[i]);
		}
	}
	if (!rc && unused) {
		char what[160];
		if (unused == 1)
			snprintf(what, sizeof what, "page %lld is never used (no table reaches it)",
			         (long long)first);
		else
			snprintf(what, sizeof what, "%lld pages are never used (no table reaches them: "
			         "%lld … %lld)", (long long)unused, (long long)first, (long long)last);
		rc = problem(c, "database", what);
	}
done:
	mr_str_list_free(whole.v, whole.n);
	mr_str_list_free(told.v, told.n);
	return rc;
}

/* One foreign-key break: "row R: COLUMN VALUE is not in PARENT". */
static int fk_problem(check_run *c, const char *table, int64_t rowid, int rowid_null,
                      const char *parent, int fkid)
{
	char from[128] = "?", value[128] = "", what[512], where[300];
	char *sql = sqlite3_mprintf("SELECT \"from\" FROM pragma_foreign_key_list(%Q)"
	                            " WHERE id = %d", table, fkid);
	sqlite3_stmt *st = NULL;
	if (sql && sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(from, sizeof from, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_free(sql);
	st = NULL;
	if (!rowid_null) {
		sql = sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE rowid = %lld", from, table,
		                      (long long)rowid);
		if (sql && sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			snprintf(value, sizeof value, " %s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		sqlite3_free(sql);
	}
	snprintf(where, sizeof where, "table %s", table);
	if (rowid_null)
		snprintf(what, sizeof what, "a row's %s%s is not in %s (foreign key)", from, value,
		         parent);
	else
		snprintf(what, sizeof what, "row %lld: %s%s is not in %s (foreign key)",
		         (long long)rowid, from, value, parent);
	return problem(c, where, what);
}

static int check_foreign_keys(check_run *c)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, r;
	if (sqlite3_prepare_v2(c->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
		return problem(c, "database", sqlite3_errmsg(c->db));
	while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
		char table[128], parent[128];
		snprintf(table, sizeof table, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(parent, sizeof parent, "%s", (const char *)sqlite3_column_text(st, 2));
		rc = fk_problem(c, table, sqlite3_column_int64(st, 1),
		                sqlite3_column_type(st, 1) == SQLITE_NULL, parent,
		                sqlite3_column_int(st, 3));
	}
	if (!rc && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = problem(c, "database", sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	return rc;
}

/* merit's own: every measurement's subject exists (no foreign key says
 * so), and the monthly rollup equals its measurements. */
static int check_merit(check_run *c)
{
	int64_t n, first;
	mr_err e = MR_ERR_INIT;
	char what[256];
	int rc = 0;
	if (!int_query(c->db, "SELECT count(*) FROM measurement m WHERE NOT EXISTS"
	               " (SELECT 1 FROM subject WHERE id = m.subject_id)", &n, "subjects", &e) &&
	    n > 0 &&
	    !int_query(c->db, "SELECT min(id) FROM measurement m WHERE NOT EXISTS"
	               " (SELECT 1 FROM subject WHERE id = m.subject_id)", &first, "subjects", &e)) {
		snprintf(what, sizeof what, "%lld rows (the first row %lld) are of a subject not "
		         "in subject", (long long)n, (long long)first);
		rc = problem(c, "table measurement", what);
	}
	static const char drift[] =
		"WITH fresh AS (SELECT subject_id, CAST(strftime('%Y', day * 86400, 'unixepoch')"
		"   AS INTEGER) * 12 + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1"
		"   AS month, count(*) AS n, sum(value) AS sum, total(denominator) AS den,"
		"   min(value) AS min, max(value) AS max, max(day) AS last_day"
		"  FROM measurement WHERE batch_id NOT IN (SELECT batch_id FROM loading)"
		"  GROUP BY 1, 2),"
		" stored AS (SELECT subject_id, month, n, sum, den, min, max, last_day FROM rollup),"
		" diff AS (SELECT * FROM (SELECT * FROM fresh EXCEPT SELECT * FROM stored)"
		"  UNION SELECT * FROM (SELECT * FROM stored EXCEPT SELECT * FROM fresh))"
		" SELECT count(DISTINCT subject_id * 100000 + month) FROM diff";
	if (!rc && !int_query(c->db, drift, &n, "rollup", &e) && n > 0) {
		snprintf(what, sizeof what, "%lld months of subjects differ from their "
		         "measurements", (long long)n);
		rc = problem(c, "table rollup", what);
	}
	if (!rc && e.code)
		rc = problem(c, "database", e.msg);
	mr_err_clear(&e);
	return rc;
}

int mr_store_check(const char *db, mr_check_fn fn, void *payload, int64_t *out_problems,
                   mr_err *err)
{
	check_run c = { NULL, fn, payload, 0 };
	struct stat st;
	int rc, bad = 0, version = 0;
	*out_problems = 0;
	if (stat(db, &st) != 0)
		return mr_err_set(err, MR_ENOTFOUND, "no database at %s", db);
	/* read-only: a check writes nothing, not even a checkpoint on close */
	if ((rc = open_db(&c.db, db, SQLITE_OPEN_READONLY, err)))
		return rc;
	mr_err e = MR_ERR_INIT;
	if (merit_schema(c.db, &version, &e)) {
		rc = problem(&c, "database", e.msg);
		mr_err_clear(&e);
		if (version <= 0 || rc)      /* nothing merit's to check */
			goto done;
	}
	if ((rc = check_integrity(&c, &bad)) || bad)
		goto done;            /* the rest reads rows it cannot trust */
	if (!(rc = check_foreign_keys(&c)) && version > 0)
		rc = check_merit(&c);
done:
	sqlite3_close(c.db);
	*out_problems = c.problems;
	if (rc < 0 && !err->code)
		rc = mr_err_nomem(err);
	return rc;
}

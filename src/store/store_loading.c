/* store_loading.c — a long import written in parts, and what a dead one
 * left behind.
 *
 * A staged import too big for one short transaction (store_stage.c) is
 * written in parts of MR_LOAD_PART rows, each committed on its own, under
 * a batch listed in the loading table: nothing reads such a batch's rows
 * (every reader of measurements leaves loading batches out) until the
 * last part removes it from the list.  While it writes, the loader holds
 * a lock on one byte of the database's "-load" file: the byte at the
 * batch's number, an open-file-description lock (F_OFD_SETLK), so it
 * goes when the process dies, however it dies, and two claims in one
 * process conflict like two processes' do.
 *
 * A loading batch whose byte can be claimed has no loader: a process
 * killed mid-import left it.  Whoever claims it removes what it wrote,
 * part by part (measurements by their id range, then its row keys, its
 * customers, the batch), so a killed import leaves the database as it
 * was before, plus nothing anyone could read.
 */
#include "store/store_int.h"
#include "util/vec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int mr_load_part(void)
{
	/* MERIT_LOAD_PART: a smaller part, for the tests that kill an import
	 * at each of its writes (tests/fault); not for users */
	const char *v = getenv("MERIT_LOAD_PART");
	char *end;
	long n = v && *v ? strtol(v, &end, 10) : 0;
	return v && *v && !*end && n >= 1 && n <= MR_LOAD_PART ? (int)n : MR_LOAD_PART;
}

int mr_load_parted(const mr_store *s)
{
	return !mr_store_on_pg(s) && s->path && *s->path && strcmp(s->path, ":memory:") != 0;
}

int mr_load_claim(mr_store *s, int64_t batch, int *fd, mr_err *err)
{
	char path[4096];
	*fd = -1;
	if (snprintf(path, sizeof path, "%s-load", s->path) >= (int)sizeof path)
		return mr_err_set(err, MR_EIO, "%s: the path is too long", s->path);
	int f = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (f >= 0) {
		/* made now: the database's owner and mode, as SQLite gives its
		 * -wal and -shm, so every user who may write it may lock this */
		struct stat db;
		if (stat(s->path, &db) == 0) {
			if (fchmod(f, db.st_mode & 0666) != 0 ||
			    (geteuid() == 0 && fchown(f, db.st_uid, db.st_gid) != 0)) {
				/* best effort: the lock works for this user anyway */
			}
		}
	} else if (errno == EEXIST) {
		f = open(path, O_RDWR | O_CLOEXEC);
	}
	if (f < 0)
		return mr_err_set(err, MR_EIO, "%s: cannot open it to mark an import in progress: %s",
		                  path, strerror(errno));
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = (off_t)batch,
	                    .l_len = 1 };
	if (fcntl(f, F_OFD_SETLK, &fl) == 0) {
		*fd = f;
		return 0;
	}
	int e = errno;
	close(f);
	if (e == EAGAIN || e == EACCES)
		return 1;
	return mr_err_set(err, MR_EIO, "%s: cannot lock it: %s", path, strerror(e));
}

void mr_load_release(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Run sql with ?1 = batch and ?2 = n; the rows it changed in *changed. */
static int exec2(mr_store *s, const char *sql, int64_t batch, int64_t n, int64_t *changed,
                 mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, batch);
	mr_bind_i64(st, 2, n);
	int rc = mr_step(st) == SQLITE_DONE ? 0
	       : mr_q_err(s->q, err, "removing what an unfinished import of batch %lld wrote",
	                    (long long)batch);
	mr_finalize(st);
	if (changed)
		*changed = rc ? 0 : mr_db_changes(s->q);
	return rc;
}

int mr_load_clear(mr_store *s, int64_t batch, int64_t limit, int *more, mr_err *err)
{
	int64_t first = 0, last = -1, n;
	int rc = 0, r;
	*more = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT first_id, last_id FROM loading"
	                                  " WHERE batch_id = ?", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, batch);
	if ((r = mr_step(st)) == SQLITE_ROW) {
		first = mr_col_i64(st, 0);
		last = mr_col_i64(st, 1);
	} else if (r != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "reading the unfinished import of batch %lld",
		                (long long)batch);
	}
	mr_finalize(st);
	if (rc || r == SQLITE_DONE)
		return rc;              /* done already (by another process) */
	/* measurements, from the top of the range down; how far is kept */
	if (last >= first) {
		int64_t lo = last - first + 1 > limit ? last - limit + 1 : first;
		if (!(st = mr_sql_prepare(s, "DELETE FROM measurement WHERE id BETWEEN ?2 AND ?3"
		                          " AND batch_id = ?1", err)))
			return MR_EDB;
		mr_bind_i64(st, 1, batch);
		mr_bind_i64(st, 2, lo);
		mr_bind_i64(st, 3, last);
		r = mr_step(st);
		mr_finalize(st);
		if (r != SQLITE_DONE)
			return mr_q_err(s->q, err, "removing the rows of an unfinished import");
		if ((rc = exec2(s, "UPDATE loading SET last_id = ?2 WHERE batch_id = ?1", batch,
		                lo - 1, NULL, err)))
			return rc;
		limit -= last - lo + 1;
		if (lo > first) {
			*more = 1;
			return 0;
		}
	}
	if ((rc = exec2(s, "DELETE FROM batch_key WHERE key IN (SELECT key FROM batch_key"
	                " WHERE batch_id = ?1 LIMIT ?2)", batch, limit, &n, err)))
		return rc;
	if ((limit -= n) <= 0) {
		*more = 1;
		return 0;
	}
	if ((rc = exec2(s, "DELETE FROM customer WHERE shop_key IN (SELECT shop_key FROM customer"
	                " WHERE batch_id = ?1 LIMIT ?2)", batch, limit, &n, err)))
		return rc;
	if (limit - n <= 0) {
		*more = 1;
		return 0;
	}
	/* all that is left: the subjects it made that nothing counts (a
	 * counted measurement is in the rollup; the import's never were), and
	 * the batch (with, by cascade, its loading row) */
	mr_subject_cache_clear(&s->subjects);     /* ids it may have cached */
	if ((rc = exec2(s, "DELETE FROM subject WHERE id BETWEEN"
	                " (SELECT first_subject FROM loading WHERE batch_id = ?1) AND"
	                " (SELECT last_subject FROM loading WHERE batch_id = ?1)"
	                " AND NOT EXISTS (SELECT 1 FROM rollup r WHERE r.subject_id = subject.id)",
	                batch, 0, NULL, err)))
		return rc;
	return exec2(s, "DELETE FROM batch WHERE id = ?1", batch, 0, NULL, err);
}

int mr_load_sweep_own(mr_store *s, int64_t batch, mr_err *err)
{
	int more = 1, rc = 0, part = mr_load_part();
	while (!rc && more) {
		if ((rc = mr_store_begin(s, err)))
			break;
		if ((rc = mr_load_clear(s, batch, part, &more, err)))
			mr_store_rollback(s);
		else
			rc = mr_store_commit(s, err);
	}
	return rc;
}

/* The loading batches, each with its file; *n of them. */
struct loading { int64_t id; char *file; };

static void loading_free(struct loading *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].file);
	free(l);
}

static int loading_list(mr_store *s, struct loading **out, size_t *n, mr_err *err)
{
	struct loading *l = NULL, *e;
	size_t cap = 0;
	int r, rc = 0;
	*out = NULL;
	*n = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT l.batch_id, b.file FROM loading l"
	                                  " JOIN batch b ON b.id = l.batch_id ORDER BY 1", err);
	if (!st)
		return MR_EDB;
	while ((r = mr_step(st)) == SQLITE_ROW) {
		if (!(e = MR_VEC_PUSH(l, *n, cap))) {
			rc = mr_err_nomem(err);
			break;
		}
		e->id = mr_col_i64(st, 0);
		if (!(e->file = mr_sql_col(st, 1)) && !(e->file = strdup("?"))) {
			rc = mr_err_nomem(err);
			break;
		}
	}
	if (!rc && r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "reading the imports in progress");
	mr_finalize(st);
	if (rc) {
		loading_free(l, *n);
		*n = 0;
		return rc;
	}
	*out = l;
	return 0;
}

/* The message of an import that waits for (or gives up on) another;
 * running: it did not wait (it may not, holding the lock). */
static int busy(mr_err *err, int64_t id, const char *file, int running)
{
	mr_err_set(err, MR_EBUSY, "another import (batch %lld, %s) is being written in parts "
	           "by another process; try again when it ends", (long long)id, file);
	if (running)
		mr_err_hint(err, MR_HINT_IMPORT_RUNNING, "nothing was changed");
	return MR_EBUSY;
}

int mr_store_loading_sweep(mr_store *s, int *live, mr_err *err)
{
	struct loading *l;
	size_t n;
	int rc, fd;
	*live = 0;
	if ((rc = loading_list(s, &l, &n, err)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		if ((rc = mr_load_claim(s, l[i].id, &fd, err)) == 1) {
			if (!*live)
				busy(err, l[i].id, l[i].file, 0);
			*live = 1;
			rc = 0;
		} else if (!rc) {
			rc = mr_load_sweep_own(s, l[i].id, err);
			mr_load_release(&fd);
		}
	}
	loading_free(l, n);
	return rc;
}

int mr_store_loading_clear(mr_store *s, mr_err *err)
{
	struct loading *l;
	size_t n;
	int rc, fd, more;
	if (s->stage)                /* staged: mr_store_stage_begin saw to it */
		return 0;
	if ((rc = loading_list(s, &l, &n, err)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		if ((rc = mr_load_claim(s, l[i].id, &fd, err)) == 1)
			rc = busy(err, l[i].id, l[i].file, 1);
		else if (!rc) {
			rc = mr_load_clear(s, l[i].id, INT64_MAX, &more, err);
			mr_load_release(&fd);
		}
	}
	loading_free(l, n);
	return rc;
}

int mr_load_rm(mr_store *s, int64_t batch, int *was, mr_err *err)
{
	int rc, fd, more;
	char *file = NULL;
	*was = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT b.file FROM loading l JOIN batch b"
	                                  " ON b.id = l.batch_id WHERE l.batch_id = ?", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, batch);
	int r = mr_step(st);
	if (r == SQLITE_ROW && !(file = mr_sql_col(st, 0)))
		rc = mr_err_nomem(err);
	else
		rc = r == SQLITE_ROW || r == SQLITE_DONE ? 0
		   : mr_q_err(s->q, err, "reading batch %lld", (long long)batch);
	mr_finalize(st);
	if (rc || r != SQLITE_ROW)
		return rc;
	if ((rc = mr_load_claim(s, batch, &fd, err)) == 1) {
		rc = mr_err_set(err, MR_EBUSY, "batch %lld (%s) is being imported now, in parts, by "
		                "another process; remove it when that ends", (long long)batch, file);
		mr_err_hint(err, MR_HINT_IMPORT_RUNNING, "nothing was changed");
	} else if (!rc) {
		*was = 1;
		rc = mr_load_clear(s, batch, INT64_MAX, &more, err);
		mr_load_release(&fd);
	}
	free(file);
	return rc;
}

/* store_web.c — what the web server keeps and reads beyond the appraisal:
 * its users, their sessions, the audit log for reading, the parts of a
 * batch, and the generation number that tells cached results are stale.
 *
 * Sessions are keyed by the SHA-256 of the token, never the token: a
 * stolen database opens no session.  The two statements every request
 * runs (session, generation) are prepared once per connection.
 */
#include "store/store_int.h"

#include <string.h>

#include "util/text.h"

void mr_user_release(mr_user *u)
{
	if (!u)
		return;
	free(u->login);
	free(u->role);
	free(u->pw_hash);
	free(u->created_at);
	free(u->last_login);
	memset(u, 0, sizeof *u);
}

void mr_user_list_free(mr_user *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mr_user_release(&list[i]);
	free(list);
}

int mr_store_user_get(mr_store *s, const char *login, mr_user *out, mr_err *err)
{
	int rc = 0, r;
	memset(out, 0, sizeof *out);
	mr_stmt *st = mr_sql_prepare(s, "SELECT login, role, pw_hash, created_at, disabled"
	                                  " FROM \"user\" WHERE login = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, login);
	if ((r = mr_step(st)) == SQLITE_ROW) {
		out->login = mr_sql_col(st, 0);
		out->role = mr_sql_col(st, 1);
		out->pw_hash = mr_sql_col(st, 2);
		out->created_at = mr_sql_col(st, 3);
		out->disabled = (int)mr_col_i64(st, 4);
		if (!out->login || !out->role || !out->pw_hash || !out->created_at) {
			mr_user_release(out);
			rc = mr_err_nomem(err);
		}
	} else if (r == SQLITE_DONE) {
		rc = mr_err_set(err, MR_ENOTFOUND, "no user \"%s\"", login);
	} else {
		rc = mr_q_err(s->q, err, "reading user %s", login);
	}
	mr_finalize(st);
	return rc;
}

static void user_fill(void *item, mr_stmt *st)
{
	mr_user *u = item;
	u->login = mr_sql_col(st, 0);
	u->role = mr_sql_col(st, 1);
	u->created_at = mr_sql_col(st, 2);
	u->disabled = (int)mr_col_i64(st, 3);
	u->last_login = mr_sql_col(st, 4);
}

int mr_store_user_list(mr_store *s, mr_user **out, size_t *n, mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s, "SELECT login, role, created_at, disabled,"
	                                  " last_login FROM \"user\" ORDER BY login", err);
	if (!st)
		return MR_EDB;
	int rc = mr_sql_collect(s, st, sizeof **out, user_fill, &items, n, "listing users", err);
	*out = items;
	if (rc) {
		mr_user_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int mr_store_user_disable(mr_store *s, const char *login, int disabled, mr_err *err)
{
	mr_user u;
	int rc = mr_store_user_get(s, login, &u, err);
	if (rc)
		return rc;
	int was = u.disabled;
	mr_user_release(&u);
	if (was == !!disabled)
		return 0;
	mr_stmt *st = mr_sql_prepare(s, "UPDATE \"user\" SET disabled = ?2 WHERE login = ?1", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, login);
	mr_bind_i64(st, 2, !!disabled);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "%s user %s", disabled ? "disabling" : "enabling", login);
	mr_finalize(st);
	if (!rc && disabled)       /* their sessions end with it */
		rc = mr_store_session_rm_login(s, login, NULL, err);
	if (!rc)
		rc = mr_store_audit(s, disabled ? "user disable" : "user enable", login,
		                    disabled ? "{\"disabled\":false}" : "{\"disabled\":true}",
		                    disabled ? "{\"disabled\":true}" : "{\"disabled\":false}", err);
	return rc;
}

/* ---- sessions ---- */

void mr_session_release(mr_session *ss)
{
	if (!ss)
		return;
	free(ss->login);
	free(ss->csrf);
	free(ss->role);
	memset(ss, 0, sizeof *ss);
}

/* Run a one-row change statement with the hash bound as ?1. */
static int hash_exec(mr_store *s, const char *sql, const unsigned char *hash, int64_t num,
                     const char *what, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	int rc = 0;
	if (!st)
		return MR_EDB;
	if (hash)
		mr_bind_blob(st, 1, hash, 32);
	mr_bind_i64(st, 2, num);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "%s", what);
	mr_finalize(st);
	return rc;
}

int mr_store_session_put(mr_store *s, const unsigned char hash[32], const char *login,
                         const char *csrf, int64_t now, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO session(token_hash, login, csrf,"
	                                  " created_at, seen_at) VALUES (?1, ?2, ?3, ?4, ?4)", err);
	int rc = 0;
	if (!st)
		return MR_EDB;
	mr_bind_blob(st, 1, hash, 32);
	mr_sql_text(st, 2, login);
	mr_sql_text(st, 3, csrf);
	mr_bind_i64(st, 4, now);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "starting a session for %s", login);
	mr_finalize(st);
	if (rc || !(st = mr_sql_prepare(s, "UPDATE \"user\" SET last_login ="
	                                " strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE login = ?", err)))
		return rc ? rc : MR_EDB;
	mr_sql_text(st, 1, login);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "noting %s's login", login);
	mr_finalize(st);
	return rc;
}

int mr_store_session_get(mr_store *s, const unsigned char hash[32], mr_session *out,
                         mr_err *err)
{
	mr_stmt *st = s->st[ST_SESSION_GET];
	int rc = 0, r;
	memset(out, 0, sizeof *out);
	if (!st && !(st = s->st[ST_SESSION_GET] = mr_sql_prepare(s,
	             "SELECT s.login, s.csrf, u.role, s.created_at, s.seen_at FROM session s"
	             " JOIN \"user\" u ON u.login = s.login AND u.disabled = 0 WHERE s.token_hash = ?", err)))
		return MR_EDB;
	mr_reset(st);
	mr_bind_blob(st, 1, hash, 32);
	if ((r = mr_step(st)) == SQLITE_ROW) {
		out->login = mr_sql_col(st, 0);
		out->csrf = mr_sql_col(st, 1);
		out->role = mr_sql_col(st, 2);
		out->created = mr_col_i64(st, 3);
		out->seen = mr_col_i64(st, 4);
		if (!out->login || !out->csrf || !out->role) {
			mr_session_release(out);
			rc = mr_err_nomem(err);
		}
	} else if (r == SQLITE_DONE) {
		rc = mr_err_set(err, MR_ENOTFOUND, "no such session");
	} else {
		rc = mr_q_err(s->q, err, "reading a session");
	}
	mr_reset(st);      /* hold no read snapshot between requests */
	return rc;
}

int mr_store_session_touch(mr_store *s, const unsigned char hash[32], int64_t now,
                           mr_err *err)
{
	/* Best effort, never waiting: while an import holds the write lock a
	 * request must not stall on a session's clock; the next one touches. */
	mr_db_set_wait(s->q, 0);
	int rc = hash_exec(s, "UPDATE session SET seen_at = ?2 WHERE token_hash = ?1", hash, now,
	                   "keeping a session alive", err);
	int busy = rc && mr_db_busy(s->q);
	mr_db_set_wait(s->q, s->wait_ms);
	if (busy) {
		mr_err_clear(err);
		rc = 0;
	}
	return rc;
}

int mr_store_session_rm(mr_store *s, const unsigned char hash[32], mr_err *err)
{
	return hash_exec(s, "DELETE FROM session WHERE token_hash = ?1", hash, 0,
	                 "ending a session", err);
}

int mr_store_session_rm_login(mr_store *s, const char *login, const unsigned char *keep,
                              mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, keep ? "DELETE FROM session WHERE login = ?1"
	                                         " AND token_hash <> ?2"
	                                       : "DELETE FROM session WHERE login = ?1", err);
	int rc = 0;
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, login);
	if (keep)
		mr_bind_blob(st, 2, keep, 32);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "ending the sessions of %s", login);
	mr_finalize(st);
	return rc;
}

int mr_store_session_purge(mr_store *s, int64_t created, int64_t seen, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, "DELETE FROM session WHERE created_at < ?1"
	                                  " OR seen_at < ?2", err);
	int rc = 0;
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, created);
	mr_bind_i64(st, 2, seen);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "removing expired sessions");
	mr_finalize(st);
	return rc;
}

/* ---- failed logins ---- */

int mr_store_throttle_get(mr_store *s, const char *key, mr_throttle_row *out, mr_err *err)
{
	int rc = 0, r;
	memset(out, 0, sizeof *out);
	mr_stmt *st = mr_sql_prepare(s, "SELECT fails, last, until FROM login_throttle"
	                                  " WHERE key = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, key);
	if ((r = mr_step(st)) == SQLITE_ROW) {
		out->fails = (int)mr_col_i64(st, 0);
		out->last = mr_col_i64(st, 1);
		out->until = mr_col_i64(st, 2);
	} else if (r != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "reading the failed logins");
	}
	mr_finalize(st);
	return rc;
}

/* Run `sql` with key as ?1 and the numbers as ?2.. ; the rows it changed. */
static int throttle_exec(mr_store *s, const char *sql, const char *key, int64_t a, int64_t b,
                         int64_t c, int *changed, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	int rc = 0;
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, key);
	mr_bind_i64(st, 2, a);
	mr_bind_i64(st, 3, b);
	mr_bind_i64(st, 4, c);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "recording a failed login");
	else if (changed)
		*changed = mr_db_changes(s->q);
	mr_finalize(st);
	return rc;
}

int mr_store_throttle_put(mr_store *s, const char *key, const mr_throttle_row *row,
                          int64_t now, long cap, int kind, int *full, mr_err *err)
{
	int changed = 0, rc;
	*full = 0;
	rc = throttle_exec(s, "UPDATE login_throttle SET fails = ?2, last = ?3, until = ?4"
	                   " WHERE key = ?1", key, row->fails, row->last, row->until, &changed,
	                   err);
	if (rc || changed)
		return rc;
	/* a new row: room is made first by the rows of invented names
	 * ("u:…", the oldest, those holding no pause first), then by the
	 * oldest row holding no pause; when none of these is left, the table
	 * is full: only an address's row (MR_THROTTLE_ADDR) evicts anyway */
	mr_stmt *st = mr_sql_prepare(s, "SELECT count(*) FROM login_throttle", err);
	long n = 0;
	if (!st)
		return MR_EDB;
	if (mr_step(st) == SQLITE_ROW)
		n = (long)mr_col_i64(st, 0);
	else
		rc = mr_q_err(s->q, err, "counting the failed logins");
	mr_finalize(st);
	long need = n - cap + 1;
	if (!rc && need > 0) {
		rc = throttle_exec(s, "DELETE FROM login_throttle WHERE key IN (SELECT key FROM"
		                   " login_throttle WHERE substr(key, 1, 2) = 'u:'"
		                   " ORDER BY until > ?2, last LIMIT ?3)", "", now, need, 0, &changed,
		                   err);
		need -= changed;
		if (!rc && need > 0 && kind != MR_THROTTLE_GUESS) {
			rc = throttle_exec(s, "DELETE FROM login_throttle WHERE key IN (SELECT key FROM"
			                   " login_throttle WHERE until <= ?2 ORDER BY last LIMIT ?3)",
			                   "", now, need, 0, &changed, err);
			need -= changed;
		}
		if (!rc && need > 0) {
			if (kind != MR_THROTTLE_ADDR) {
				*full = 1;
				return 0;
			}
			rc = throttle_exec(s, "DELETE FROM login_throttle WHERE key IN (SELECT key FROM"
			                   " login_throttle ORDER BY last LIMIT ?2)", "",
			                   need, 0, 0, NULL, err);
		}
	}
	if (!rc)
		rc = throttle_exec(s, "INSERT INTO login_throttle(key, fails, last, until)"
		                   " VALUES (?1, ?2, ?3, ?4)", key, row->fails, row->last,
		                   row->until, NULL, err);
	return rc;
}

int mr_store_throttle_purge(mr_store *s, int64_t now, int64_t forgiven, mr_err *err)
{
	return throttle_exec(s, "DELETE FROM login_throttle WHERE until <= ?2 AND last < ?3", "",
	                     now, forgiven, 0, NULL, err);
}

int mr_store_throttle_rm(mr_store *s, const char *key, mr_err *err)
{
	return throttle_exec(s, "DELETE FROM login_throttle WHERE key = ?1", key, 0, 0, 0, NULL,
	                     err);
}

int mr_store_generation(mr_store *s, int64_t *out, mr_err *err)
{
	mr_stmt *st = s->st[ST_GENERATION];
	int rc = 0;
	if (!st && !(st = s->st[ST_GENERATION] = mr_sql_prepare(s,
	             "SELECT ifnull(max(id), 0) FROM audit", err)))
		return MR_EDB;
	mr_reset(st);
	if (mr_step(st) == SQLITE_ROW)
		*out = mr_col_i64(st, 0);
	else
		rc = mr_q_err(s->q, err, "reading the audit log");
	mr_reset(st);
	return rc;
}

/* ---- the audit log ---- */

void mr_audit_list_free(mr_audit_row *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].at);
		free(list[i].who);
		free(list[i].action);
		free(list[i].object);
		free(list[i].before);
		free(list[i].after);
	}
	free(list);
}

static void audit_fill(void *item, mr_stmt *st)
{
	mr_audit_row *a = item;
	a->id = mr_col_i64(st, 0);
	a->at = mr_sql_col(st, 1);
	a->who = mr_sql_col(st, 2);
	a->action = mr_sql_col(st, 3);
	a->object = mr_sql_col(st, 4);
	a->before = mr_sql_col(st, 5);
	a->after = mr_sql_col(st, 6);
}

int mr_store_audit_list(mr_store *s, const mr_audit_filter *f, mr_audit_row **out,
                        size_t *n, mr_err *err)
{
	void *items;
	size_t alen = f->action ? strlen(f->action) : 0;
	int prefix = alen && f->action[alen - 1] == ' ';
	/* fixed text chosen by which filters are given; the values are bound
	 * (a prefix as a range, so the index on action serves it) */
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT id, at, who, action, object, before, after FROM audit"
	         " WHERE (?1 <= 0 OR id < ?1)%s%s%s%s ORDER BY id DESC LIMIT ?2",
	         f->who ? " AND who = ?3" : "",
	         !f->action ? "" : prefix ? " AND action >= ?4 AND action < ?7" : " AND action = ?4",
	         f->from ? " AND at >= ?5" : "", f->to ? " AND at < date(?6, '+1 day')" : "");
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, f->before);
	mr_bind_i64(st, 2, f->limit);
	if (f->who)
		mr_sql_text(st, 3, f->who);
	if (f->action)
		mr_sql_text(st, 4, f->action);
	if (f->action && prefix) {
		/* past every action the prefix starts: it, then U+10FFFF */
		mr_buf end;
		mr_buf_init(&end);
		mr_buf_printf(&end, "%s\xf4\x8f\xbf\xbf", f->action);
		if (mr_buf_oom(&end)) {
			mr_finalize(st);
			return mr_err_nomem(err);
		}
		mr_bind_text(st, 7, end.data, (int)end.len);
		mr_buf_release(&end);
	}
	if (f->from)
		mr_sql_text(st, 5, f->from);
	if (f->to)
		mr_sql_text(st, 6, f->to);
	int rc = mr_sql_collect(s, st, sizeof **out, audit_fill, &items, n, "reading the audit log",
	                        err);
	*out = items;
	if (rc) {
		mr_audit_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- what a batch holds ---- */

void mr_batch_parts_free(mr_batch_part *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].indicator);
		free(list[i].login);
	}
	free(list);
}

static void part_fill(void *item, mr_stmt *st)
{
	mr_batch_part *p = item;
	p->indicator = mr_sql_col(st, 0);
	p->login = mr_sql_col(st, 1);
	p->count = (long)mr_col_i64(st, 2);
	p->first_line = (long)mr_col_i64(st, 3);
	p->last_line = (long)mr_col_i64(st, 4);
}

int mr_store_batch_parts(mr_store *s, const mr_batch *b, mr_batch_part **out, size_t *n,
                         mr_err *err)
{
	void *items;
	/* the day range lets the day index find the batch's rows */
	mr_stmt *st = mr_sql_prepare(s,
		"SELECT u.indicator, u.login, count(*), min(m.line), max(m.line)"
		" FROM measurement m JOIN subject u ON u.id = m.subject_id"
		" WHERE m.batch_id = ?1 AND m.day BETWEEN ?2 AND ?3"
		" GROUP BY u.indicator, u.login ORDER BY u.indicator, u.login", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, b->id);
	mr_bind_i64(st, 2, b->first_day);
	mr_bind_i64(st, 3, b->last_day);
	int rc = mr_sql_collect(s, st, sizeof **out, part_fill, &items, n,
	                        "reading a batch's measurements", err);
	*out = items;
	if (rc) {
		mr_batch_parts_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int mr_store_batches_of(mr_store *s, const char *login,
                        int (*fn)(int64_t batch, void *payload), void *payload, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s,
		"SELECT DISTINCT m.batch_id FROM subject u JOIN measurement m ON m.subject_id = u.id"
		" WHERE u.login = ? AND m.batch_id NOT IN (SELECT batch_id FROM loading) ORDER BY 1", err);
	int rc = 0, r;
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, login);
	while (!rc && (r = mr_step(st)) == SQLITE_ROW)
		rc = fn(mr_col_i64(st, 0), payload);
	if (!rc && r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "finding the batches of %s", login);
	mr_finalize(st);
	return rc;
}

/* ---- invitations: a one-time link to set one's password ---- */

void mr_invite_release(mr_invite *iv)
{
	if (!iv)
		return;
	free(iv->login);
	free(iv->role);
	free(iv->created_by);
	memset(iv, 0, sizeof *iv);
}

int mr_store_invite_put(mr_store *s, const unsigned char hash[32], const char *login,
                        const char *role, int64_t expires, mr_err *err)
{
	mr_user u;
	char after[160];
	int rc = mr_text_login_check(login, "login", err) ? MR_EINVALID
	                                                  : mr_store_user_get(s, login, &u, err);
	if (rc == 0) {
		mr_user_release(&u);
		rc = mr_err_set(err, MR_EEXISTS, "user \"%s\" exists already", login);
		mr_err_hint(err, MR_HINT_USER_EXISTS, "change the password with `merit user passwd "
		            "%s`", login);
		return rc;
	}
	if (rc != MR_ENOTFOUND)
		return rc;
	mr_err_clear(err);
	/* a new link replaces any earlier one: only the newest works */
	mr_stmt *st = mr_sql_prepare(s, "DELETE FROM invite WHERE login = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, login);
	rc = mr_step(st) == SQLITE_DONE ? 0 : mr_q_err(s->q, err, "inviting %s", login);
	mr_finalize(st);
	if (rc)
		return rc;
	st = mr_sql_prepare(s, "INSERT INTO invite(token_hash, login, role, expires, created_by)"
	                    " VALUES (?, ?, ?, ?, ?)", err);
	if (!st)
		return MR_EDB;
	mr_bind_blob(st, 1, hash, 32);
	mr_sql_text(st, 2, login);
	mr_sql_text(st, 3, role);
	mr_bind_i64(st, 4, expires);
	mr_sql_text(st, 5, mr_store_actor(s));
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "inviting %s", login);
	mr_finalize(st);
	if (rc)
		return rc;
	snprintf(after, sizeof after, "{\"role\":\"%s\",\"expires\":%lld}", role,
	         (long long)expires);
	return mr_store_audit(s, "user invite", login, NULL, after, err);
}

int mr_store_invite_get(mr_store *s, const unsigned char hash[32], int64_t now,
                        mr_invite *out, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, "SELECT login, role, expires, created_by FROM invite"
	                                  " WHERE token_hash = ? AND expires > ?", err);
	int rc = 0, r;
	memset(out, 0, sizeof *out);
	if (!st)
		return MR_EDB;
	mr_bind_blob(st, 1, hash, 32);
	mr_bind_i64(st, 2, now);
	if ((r = mr_step(st)) == SQLITE_ROW) {
		out->login = mr_sql_col(st, 0);
		out->role = mr_sql_col(st, 1);
		out->expires = mr_col_i64(st, 2);
		out->created_by = mr_sql_col(st, 3);
		if (!out->login || !out->role || !out->created_by) {
			mr_invite_release(out);
			rc = mr_err_nomem(err);
		}
	} else if (r == SQLITE_DONE) {
		rc = mr_err_set(err, MR_ENOTFOUND, "this invitation link is not valid: it was used "
		                "already, replaced by a newer one, or has expired; ask an admin for "
		                "a new one");
	} else {
		rc = mr_q_err(s->q, err, "reading the invitation");
	}
	mr_finalize(st);
	return rc;
}

int mr_store_invite_use(mr_store *s, const unsigned char hash[32], int64_t now,
                        const char *pw_hash, mr_invite *out, mr_err *err)
{
	int rc = mr_store_invite_get(s, hash, now, out, err);
	if (rc)
		return rc;
	/* the audit names who took the invitation: its invitee */
	if (mr_store_set_actor(s, out->login)) {
		rc = mr_err_nomem(err);
		goto fail;
	}
	if ((rc = mr_store_user_put(s, out->login, out->role, pw_hash, 1, err)))
		goto fail;
	mr_stmt *st = mr_sql_prepare(s, "DELETE FROM invite WHERE login = ?", err);
	if (!st) {
		rc = MR_EDB;
		goto fail;
	}
	mr_sql_text(st, 1, out->login);
	rc = mr_step(st) == SQLITE_DONE ? 0 : mr_q_err(s->q, err, "using the invitation");
	mr_finalize(st);
	if (!rc)
		return 0;
fail:
	mr_invite_release(out);
	return rc;
}

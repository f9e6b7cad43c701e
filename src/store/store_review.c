/* store_review.c — what the review cycle keeps besides ratings: the peers
 * a manager nominated, the grades an admin calibrated, the
 * acknowledgements of a closed result, and removing an empty cycle.
 * Each change writes its audit record in the caller's transaction; the
 * triggers of schema version 6 keep a closed cycle's nominations and
 * calibrations frozen. */
#include "store/store_int.h"

#include <jansson.h>

#include "util/utf8.h"

/* ---- peer nominations ---- */

static void str_fill(void *item, mr_stmt *st) { *(char **)item = mr_sql_col(st, 0); }

void mr_str_list_free(char **list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		free(list[i]);
	free(list);
}

int mr_store_peers_get(mr_store *s, const char *period, const char *login, char ***out,
                       size_t *n, mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s, "SELECT peer FROM peer_nomination WHERE period = ?"
	                                  " AND login = ? ORDER BY peer", err);
	*out = NULL;
	*n = 0;
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, period);
	mr_sql_text(st, 2, login);
	int rc = mr_sql_collect(s, st, sizeof **out, str_fill, &items, n, "reading nominated peers",
	                        err);
	*out = items;
	if (rc) {
		mr_str_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static char *list_json(char *const *list, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(list[i]));
	char *t = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return t;
}

int mr_store_peers_set(mr_store *s, const char *period, const char *login,
                       const char *const *peers, size_t n, mr_err *err)
{
	char **old = NULL, *before = NULL, *after = NULL, object[160];
	size_t nold = 0;
	int rc = mr_store_peers_get(s, period, login, &old, &nold, err);
	mr_stmt *st = NULL;
	if (rc)
		return rc;
	if (!(st = mr_sql_prepare(s, "DELETE FROM peer_nomination WHERE period = ? AND login = ?",
	                          err))) {
		rc = MR_EDB;
		goto done;
	}
	mr_sql_text(st, 1, period);
	mr_sql_text(st, 2, login);
	if (mr_step(st) != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "changing the peers of %s for %s", login, period);
		goto done;
	}
	mr_finalize(st);
	if (!(st = mr_sql_prepare(s, "INSERT INTO peer_nomination(period, login, peer, created_at,"
	                          " created_by) VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ',"
	                          " 'now'), ?)", err))) {
		rc = MR_EDB;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		mr_reset(st);
		mr_sql_text(st, 1, period);
		mr_sql_text(st, 2, login);
		mr_sql_text(st, 3, peers[i]);
		mr_sql_text(st, 4, mr_store_actor(s));
		if (mr_step(st) != SQLITE_DONE) {
			rc = mr_q_err(s->q, err, "nominating %s as a peer of %s for %s", peers[i],
			                login, period);
			goto done;
		}
	}
	before = list_json(old, nold);
	after = list_json((char *const *)peers, n);
	snprintf(object, sizeof object, "peers %s %s", period, login);
	rc = mr_store_audit(s, "peers", object, before, after, err);
done:
	mr_finalize(st);
	mr_str_list_free(old, nold);
	free(before);
	free(after);
	return rc;
}

/* ---- calibrations ---- */

int mr_store_calibration_put(mr_store *s, const char *period, const char *login,
                             const char *grade, const char *reason, mr_err *err)
{
	char *before = NULL, object[160];
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT json_object('grade', grade, 'reason', reason)"
	                                  " FROM calibration WHERE period = ? AND login = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, period);
	mr_sql_text(st, 2, login);
	if (mr_step(st) == SQLITE_ROW)
		before = mr_sql_col(st, 0);
	mr_finalize(st);
	if (!(st = mr_sql_prepare(s, "INSERT INTO calibration(period, login, grade, reason,"
	                          " created_at, created_by) VALUES (?, ?, ?, ?,"
	                          " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)"
	                          " ON CONFLICT(period, login) DO UPDATE SET grade = excluded.grade,"
	                          " reason = excluded.reason, created_at = excluded.created_at,"
	                          " created_by = excluded.created_by", err))) {
		free(before);
		return MR_EDB;
	}
	mr_sql_text(st, 1, period);
	mr_sql_text(st, 2, login);
	mr_sql_text(st, 3, grade);
	mr_sql_text(st, 4, reason);
	mr_sql_text(st, 5, mr_store_actor(s));
	if (mr_step(st) != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "calibrating %s for %s", login, period);
	} else {
		json_t *a = json_pack("{ssss}", "grade", grade, "reason", reason);
		char *as = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
		snprintf(object, sizeof object, "calibration %s %s", period, login);
		rc = mr_store_audit(s, "calibrate", object, before, as, err);
		free(as);
		json_decref(a);
	}
	mr_finalize(st);
	free(before);
	return rc;
}

/* ---- acknowledgements ---- */

void mr_ack_list_free(mr_ack *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++) {
		free(list[i].login);
		free(list[i].role);
		free(list[i].by);
		free(list[i].comment);
		free(list[i].at);
	}
	free(list);
}

static void ack_fill(void *item, mr_stmt *st)
{
	mr_ack *a = item;
	a->login = mr_sql_col(st, 0);
	a->role = mr_sql_col(st, 1);
	a->by = mr_sql_col(st, 2);
	a->comment = mr_sql_col(st, 3);
	a->at = mr_sql_col(st, 4);
}

int mr_store_ack_list(mr_store *s, const char *period, const char *login, mr_ack **out,
                      size_t *n, mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s, "SELECT login, role, by_login, comment, created_at"
	                                  " FROM acknowledgement WHERE period = ?1"
	                                  " AND (?2 IS NULL OR login = ?2) ORDER BY login, role", err);
	*out = NULL;
	*n = 0;
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, period);
	mr_sql_text(st, 2, login);
	int rc = mr_sql_collect(s, st, sizeof **out, ack_fill, &items, n,
	                        "reading acknowledgements", err);
	*out = items;
	if (rc) {
		mr_ack_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int mr_store_ack_put(mr_store *s, const char *period, const char *login, const char *role,
                     const char *by, const char *comment, mr_err *err)
{
	char object[160];
	int rc = 0;
	if (comment && !mr_utf8_ok(comment))
		return mr_err_set(err, MR_EINVALID, "the comment is not UTF-8 text");
	if (comment && strlen(comment) > MR_COMMENT_MAX)
		return mr_err_set(err, MR_EINVALID, "the comment is %zu bytes long; at most %d",
		                  strlen(comment), MR_COMMENT_MAX);
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO acknowledgement(period, login, role,"
	                                  " by_login, comment, created_at) VALUES (?, ?, ?, ?, ?,"
	                                  " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, period);
	mr_sql_text(st, 2, login);
	mr_sql_text(st, 3, role);
	mr_sql_text(st, 4, by);
	mr_sql_text(st, 5, comment);
	int r = mr_step(st);
	if (r != SQLITE_DONE && mr_db_constraint(s->q)) {
		rc = mr_err_set(err, MR_EEXISTS, "%s's result for %s is acknowledged already (as %s)",
		                login, period, role);
	} else if (r != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "acknowledging %s's result for %s", login, period);
	} else {
		json_t *a = json_pack("{ssss}", "role", role, "by", by);
		json_object_set_new(a, "comment", comment ? json_string(comment) : json_null());
		char *as = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
		snprintf(object, sizeof object, "acknowledgement %s %s", period, login);
		rc = mr_store_audit(s, "acknowledge", object, NULL, as, err);
		free(as);
		json_decref(a);
	}
	mr_finalize(st);
	return rc;
}

/* The rows `sql` (one parameter: the period) gives, as one JSON text;
 * NULL when none. */
static int rows_json(mr_store *s, const char *sql, const char *period, char **out,
                     mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	int rc = 0;
	*out = NULL;
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, period);
	int r = mr_step(st);
	if (r == SQLITE_ROW)
		*out = mr_sql_col(st, 0);
	else if (r != SQLITE_DONE)            /* DONE: no row (HAVING), nothing */
		rc = mr_q_err(s->q, err, "reading what cycle %s holds", period);
	mr_finalize(st);
	return rc;
}

/* ---- cycles: what is in one, and removing an empty one ---- */

int mr_store_cycle_counts(mr_store *s, const char *period, int64_t *ratings,
                          int64_t *calibrations, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, "SELECT (SELECT count(*) FROM rating WHERE period = ?1),"
	                                  " (SELECT count(*) FROM calibration WHERE period = ?1)", err);
	int rc = 0;
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, period);
	if (mr_step(st) == SQLITE_ROW) {
		*ratings = mr_col_i64(st, 0);
		*calibrations = mr_col_i64(st, 1);
	} else {
		rc = mr_q_err(s->q, err, "counting what cycle %s holds", period);
	}
	mr_finalize(st);
	return rc;
}

int mr_store_rated_open(mr_store *s, const char *login, char **period, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, "SELECT c.period FROM cycle c WHERE c.state <> 'closed'"
	                                  " AND (EXISTS(SELECT 1 FROM rating r WHERE r.period = c.period"
	                                  " AND r.login = ?1) OR EXISTS(SELECT 1 FROM calibration k"
	                                  " WHERE k.period = c.period AND k.login = ?1))"
	                                  " ORDER BY c.first_day LIMIT 1", err);
	int rc = 0, r;
	*period = NULL;
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, login);
	if ((r = mr_step(st)) == SQLITE_ROW)
		*period = mr_sql_col(st, 0);
	else if (r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "reading %s's ratings", login);
	mr_finalize(st);
	return rc;
}

int mr_store_cycle_rm(mr_store *s, const char *period, mr_err *err)
{
	static const char *const sql[] = {
		"DELETE FROM peer_nomination WHERE period = ?",
		"DELETE FROM acknowledgement WHERE period = ?",
		"DELETE FROM cycle WHERE period = ?",
	};
	mr_cycle old;
	char *nominated = NULL;
	int rc = mr_store_cycle_get(s, period, &old, NULL, err);
	if (rc)
		return rc;
	if ((rc = rows_json(s, "SELECT json_group_array(json_object('login', login, 'peer', peer))"
	                    " FROM peer_nomination WHERE period = ?", period, &nominated, err))) {
		mr_cycle_release(&old);
		return rc;
	}
	s->nclosed = -1;
	for (size_t i = 0; !rc && i < sizeof sql / sizeof *sql; i++) {
		mr_stmt *st = mr_sql_prepare(s, sql[i], err);
		if (!st) {
			rc = MR_EDB;
			break;
		}
		mr_sql_text(st, 1, period);
		if (mr_step(st) != SQLITE_DONE)
			rc = mr_q_err(s->q, err, "removing cycle %s", period);
		mr_finalize(st);
	}
	if (!rc) {
		json_t *b = json_pack("{ss}", "state", old.state);
		json_t *nom = nominated ? json_loads(nominated, 0, NULL) : NULL;
		json_object_set_new(b, "nominations", nom ? nom : json_array());
		char *bs = json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER);
		rc = mr_store_audit(s, "cycle rm", period, bs, NULL, err);
		free(bs);
		json_decref(b);
	}
	free(nominated);
	mr_cycle_release(&old);
	return rc;
}

int mr_store_ack_clear(mr_store *s, const char *period, mr_err *err)
{
	char *before = NULL;
	int rc = rows_json(s, "SELECT json_group_array(json_object('login', login, 'role', role,"
	                   " 'by', by_login, 'comment', comment, 'at', created_at))"
	                   " FROM acknowledgement WHERE period = ? HAVING count(*) > 0",
	                   period, &before, err);
	if (rc || !before)                       /* nothing to clear */
		return rc;
	mr_stmt *st = mr_sql_prepare(s, "DELETE FROM acknowledgement WHERE period = ?", err);
	if (!st) {
		free(before);
		return MR_EDB;
	}
	mr_sql_text(st, 1, period);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "clearing the acknowledgements of %s", period);
	mr_finalize(st);
	/* what was said stays in the audit log */
	if (!rc)
		rc = mr_store_audit(s, "acknowledgements cleared", period, before, NULL, err);
	free(before);
	return rc;
}

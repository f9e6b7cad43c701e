/* store_notify.c — where notices go (channels), the settings they need,
 * and the outbox they leave through.
 *
 * A notice is queued (mr_store_outbox_put) inside the transaction of the
 * event it tells of, so a change rolled back queues nothing; it is marked
 * sent (mr_store_outbox_done) in a transaction of its own right after the
 * send, with an audit record of the send or of the last failure.
 */
#include "store/store_int.h"

#include <jansson.h>
#include <string.h>

void mr_notify_channel_release(mr_notify_channel *c)
{
	if (!c)
		return;
	free(c->kind);
	free(c->target);
	free(c->secret);
	free(c->login);
	free(c->lang);
	free(c->created_at);
	free(c->created_by);
	memset(c, 0, sizeof *c);
}

void mr_notify_channel_list_free(mr_notify_channel *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		mr_notify_channel_release(&list[i]);
	free(list);
}

/* A channel as the audit log keeps it: the secret never, only whether
 * there is one. */
static char *channel_json(const mr_notify_channel *c)
{
	json_t *o = json_pack("{sssssbss?ss?}", "kind", c->kind, "target", c->target,
	                      "secret", c->secret != NULL, "login", c->login, "lang", c->lang);
	char *out = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return out;
}

int mr_store_notify_add(mr_store *s, const mr_notify_channel *c, int64_t *out_id, mr_err *err)
{
	char object[40], *after = NULL;
	int rc = 0;
	if (c->login) {
		mr_staff who;
		rc = mr_store_staff_find(s, c->login, &who, err);
		if (rc == MR_ENOTFOUND)
			return mr_err_set(err, rc, "--who: unknown login \"%s\" (add them with "
			                  "`merit staff add`)", c->login);
		if (rc)
			return rc;
		mr_staff_release(&who);
	}
	mr_stmt *st = mr_sql_prepare(s, "SELECT id FROM notify_channel WHERE kind = ? AND "
	                                  "target = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, c->kind);
	mr_sql_text(st, 2, c->target);
	if (mr_step(st) == SQLITE_ROW) {
		rc = mr_err_set(err, MR_EEXISTS, "%s %s is a channel already: %lld (see `merit "
		                "notify list`)", c->kind, c->target,
		                (long long)mr_col_i64(st, 0));
		goto done;
	}
	mr_finalize(st);
	st = mr_sql_prepare(s, "INSERT INTO notify_channel(kind, target, secret, login, lang,"
	                    " created_at, created_by) VALUES (?, ?, ?, ?, ?,"
	                    " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?) RETURNING id", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, c->kind);
	mr_sql_text(st, 2, c->target);
	mr_sql_text(st, 3, c->secret);
	mr_sql_text(st, 4, c->login);
	mr_sql_text(st, 5, c->lang);
	mr_sql_text(st, 6, s->actor);
	if (mr_step_id(st, out_id)) {
		rc = mr_q_err(s->q, err, "saving the %s channel %s", c->kind, c->target);
		goto done;
	}
	snprintf(object, sizeof object, "notify channel %lld", (long long)*out_id);
	if (!(after = channel_json(c)))
		rc = mr_err_nomem(err);
	else
		rc = mr_store_audit(s, "notify add", object, NULL, after, err);
done:
	mr_finalize(st);
	free(after);
	return rc;
}

static void channel_fill(void *item, mr_stmt *st)
{
	mr_notify_channel *c = item;
	c->id = mr_col_i64(st, 0);
	c->kind = mr_sql_col(st, 1);
	c->target = mr_sql_col(st, 2);
	c->secret = mr_sql_col(st, 3);
	c->login = mr_sql_col(st, 4);
	c->lang = mr_sql_col(st, 5);
	c->created_at = mr_sql_col(st, 6);
	c->created_by = mr_sql_col(st, 7);
}

static int channel_query(mr_store *s, int64_t id, mr_notify_channel **out, size_t *n,
                         mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s, "SELECT id, kind, target, secret, login, lang,"
	                                  " created_at, created_by FROM notify_channel"
	                                  " WHERE ?1 = 0 OR id = ?1 ORDER BY id", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, id);
	int rc = mr_sql_collect(s, st, sizeof **out, channel_fill, &items, n,
	                        "listing notice channels", err);
	*out = items;
	if (rc) {
		mr_notify_channel_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int mr_store_notify_list(mr_store *s, mr_notify_channel **out, size_t *n, mr_err *err)
{
	return channel_query(s, 0, out, n, err);
}

int mr_store_notify_get(mr_store *s, int64_t id, mr_notify_channel *out, mr_err *err)
{
	mr_notify_channel *list = NULL;
	size_t n = 0;
	int rc = channel_query(s, id, &list, &n, err);
	if (rc)
		return rc;
	if (n == 0) {
		free(list);
		return mr_err_set(err, MR_ENOTFOUND, "no notice channel %lld (see `merit notify "
		                  "list`)", (long long)id);
	}
	*out = list[0];
	free(list);
	return 0;
}

int mr_store_notify_rm(mr_store *s, int64_t id, mr_err *err)
{
	mr_notify_channel c;
	char object[40], *before = NULL;
	int rc = mr_store_notify_get(s, id, &c, err);
	if (rc)
		return rc;
	mr_stmt *st = mr_sql_prepare(s, "DELETE FROM notify_channel WHERE id = ?", err);
	if (!st) {
		rc = MR_EDB;
		goto done;
	}
	mr_bind_i64(st, 1, id);
	if (mr_step(st) != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "removing notice channel %lld", (long long)id);
		goto done;
	}
	snprintf(object, sizeof object, "notify channel %lld", (long long)id);
	if (!(before = channel_json(&c)))
		rc = mr_err_nomem(err);
	else
		rc = mr_store_audit(s, "notify rm", object, before, NULL, err);
done:
	mr_finalize(st);
	free(before);
	mr_notify_channel_release(&c);
	return rc;
}

/* ---- settings ---- */

int mr_store_notify_setting(mr_store *s, const char *key, char **out, mr_err *err)
{
	int rc = 0;
	*out = NULL;
	mr_stmt *st = mr_sql_prepare(s, "SELECT value FROM notify_setting WHERE key = ?",
	                                  err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, key);
	int step = mr_step(st);
	if (step == SQLITE_ROW) {
		if (!(*out = mr_sql_col(st, 0)))
			rc = mr_err_nomem(err);
	} else if (step != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "reading the notice setting %s", key);
	}
	mr_finalize(st);
	return rc;
}

int mr_store_notify_set(mr_store *s, const char *key, const char *value, mr_err *err)
{
	char *before = NULL, object[80];
	int rc = mr_store_notify_setting(s, key, &before, err);
	if (rc)
		return rc;
	mr_stmt *st = mr_sql_prepare(s, value ?
	                                  "INSERT INTO notify_setting(key, value) VALUES (?1, ?2)"
	                                  " ON CONFLICT(key) DO UPDATE SET value = excluded.value" :
	                                  "DELETE FROM notify_setting WHERE key = ?1", err);
	if (!st) {
		free(before);
		return MR_EDB;
	}
	mr_sql_text(st, 1, key);
	if (value)
		mr_sql_text(st, 2, value);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "saving the notice setting %s", key);
	mr_finalize(st);
	snprintf(object, sizeof object, "notify setting %s", key);
	if (!rc)
		rc = mr_store_audit(s, "notify set", object, before, value, err);
	free(before);
	return rc;
}

/* ---- the outbox ---- */

void mr_outbox_row_release(mr_outbox_row *r)
{
	if (!r)
		return;
	free(r->key);
	free(r->subject);
	free(r->body);
	free(r->state);
	free(r->last_error);
	free(r->created_at);
	free(r->sent_at);
	memset(r, 0, sizeof *r);
}

void mr_outbox_list_free(mr_outbox_row *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		mr_outbox_row_release(&list[i]);
	free(list);
}

int mr_store_outbox_put(mr_store *s, int64_t channel, const char *key, const char *subject,
                        const char *body, int *queued, mr_err *err)
{
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO outbox(channel_id, key,"
	                                  " subject, body, created_at) VALUES (?, ?, ?, ?,"
	                                  " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
	                                  " ON CONFLICT DO NOTHING", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, channel);
	mr_sql_text(st, 2, key);
	mr_sql_text(st, 3, subject);
	mr_sql_text(st, 4, body);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "queuing the notice %s", key);
	else if (queued)
		*queued += mr_db_changes(s->q) > 0;
	mr_finalize(st);
	return rc;
}

#define OUTBOX_COLS "id, channel_id, key, subject, body, state, attempts, next_at, last_error," \
                    " created_at, sent_at"

static void outbox_fill(void *item, mr_stmt *st)
{
	mr_outbox_row *r = item;
	r->id = mr_col_i64(st, 0);
	r->channel = mr_col_i64(st, 1);
	r->key = mr_sql_col(st, 2);
	r->subject = mr_sql_col(st, 3);
	r->body = mr_sql_col(st, 4);
	r->state = mr_sql_col(st, 5);
	r->attempts = (int)mr_col_i64(st, 6);
	r->next_at = mr_col_i64(st, 7);
	r->last_error = mr_sql_col(st, 8);
	r->created_at = mr_sql_col(st, 9);
	r->sent_at = mr_sql_col(st, 10);
}

static int outbox_query(mr_store *s, const char *sql, mr_outbox_row **out, size_t *n,
                        mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s, sql, err);
	if (!st)
		return MR_EDB;
	int rc = mr_sql_collect(s, st, sizeof **out, outbox_fill, &items, n, "reading the outbox",
	                        err);
	*out = items;
	if (rc) {
		mr_outbox_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int mr_store_outbox_list(mr_store *s, mr_outbox_row **out, size_t *n, mr_err *err)
{
	return outbox_query(s, "SELECT " OUTBOX_COLS " FROM outbox ORDER BY id", out, n, err);
}

int mr_store_outbox_next(mr_store *s, int64_t now, mr_outbox_row *out, int64_t *wait_until,
                         mr_err *err)
{
	mr_outbox_row *list = NULL;
	size_t n = 0;
	int rc = outbox_query(s, "SELECT " OUTBOX_COLS " FROM outbox WHERE state = 'pending'"
	                      " ORDER BY next_at, id LIMIT 1", &list, &n, err);
	*wait_until = 0;
	if (rc)
		return rc;
	if (n == 0 || list[0].next_at > now) {
		if (n)
			*wait_until = list[0].next_at;
		mr_outbox_list_free(list, n);
		return MR_ENOTFOUND;
	}
	*out = list[0];
	free(list);
	return 0;
}

int mr_store_outbox_done(mr_store *s, const mr_outbox_row *r, const char *channel,
                         const char *error, int64_t next_at, mr_err *err)
{
	int rc = 0;
	const char *state = !error ? "sent" : next_at ? "pending" : "failed";
	mr_stmt *st = mr_sql_prepare(s, "UPDATE outbox SET state = ?2, attempts = attempts + 1,"
	                                  " next_at = ?3, last_error = ?4, sent_at = CASE WHEN"
	                                  " ?2 = 'sent' THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
	                                  " END WHERE id = ?1 AND state = 'pending'", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, r->id);
	mr_sql_text(st, 2, state);
	mr_bind_i64(st, 3, next_at);
	mr_sql_text(st, 4, error);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "marking notice %lld %s", (long long)r->id, state);
	mr_finalize(st);
	/* a send and a final failure are audited; a try that will be
	 * retried is kept in the row (attempts, last_error) */
	if (!rc && strcmp(state, "pending") != 0) {
		char object[40], *after = NULL;
		json_t *o = json_pack("{sssssssiss?}", "channel", channel, "key", r->key,
		                      "subject", r->subject, "attempts", r->attempts + 1,
		                      "error", error);
		snprintf(object, sizeof object, "notice %lld", (long long)r->id);
		after = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(o);
		rc = after ? mr_store_audit(s, error ? "notify failed" : "notify sent", object, NULL,
		                            after, err) : mr_err_nomem(err);
		free(after);
	}
	return rc;
}

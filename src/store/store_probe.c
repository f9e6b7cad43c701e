/* store_probe.c — uptime probes and the raw result of each check.
 *
 * A probe is a URL merit checks on a schedule for one person's `uptime`
 * (ingest/probe.c does the checking).  Each check's measurement lives in
 * a batch like any import; the check itself (when, HTTP status, latency,
 * error) is kept beside it under the same batch and line, so a scorecard's
 * uptime can be traced down to the very check.
 */
#include "store/store_int.h"

#include <jansson.h>

static char *probe_json(const mr_probe *p)
{
	json_t *o = json_pack("{sssssIsI}", "url", p->url, "login", p->login,
	                      "every_ms", (json_int_t)p->every_ms,
	                      "timeout_ms", (json_int_t)p->timeout_ms);
	char *out = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return out;
}

void mr_probe_list_free(mr_probe *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].url);
		free(list[i].login);
		free(list[i].created_at);
		free(list[i].created_by);
		free(list[i].last_at);
	}
	free(list);
}

int mr_store_probe_add(mr_store *s, int64_t *out_id, const mr_probe *p, mr_err *err)
{
	mr_staff who;
	char object[32], *after = NULL;
	mr_stmt *st = NULL;
	int rc = mr_store_staff_find(s, p->login, &who, err);
	if (rc == MR_ENOTFOUND)
		return mr_err_set(err, rc, "--who: unknown login \"%s\" (add them with "
		                  "`merit staff add`)", p->login);
	if (rc)
		return rc;
	mr_staff_release(&who);
	st = mr_sql_prepare(s, "SELECT id FROM probe WHERE url = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, p->url);
	if (mr_step(st) == SQLITE_ROW) {
		rc = mr_err_set(err, MR_EEXISTS, "%s has a probe already: probe %lld (see `merit "
		                "probe list`)", p->url, (long long)mr_col_i64(st, 0));
		goto done;
	}
	mr_finalize(st);
	st = mr_sql_prepare(s, "INSERT INTO probe(url, login, every_ms, timeout_ms, created_at,"
	                    " created_by) VALUES (?, ?, ?, ?,"
	                    " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?) RETURNING id", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, p->url);
	mr_sql_text(st, 2, p->login);
	mr_bind_i64(st, 3, p->every_ms);
	mr_bind_i64(st, 4, p->timeout_ms);
	mr_sql_text(st, 5, s->actor);
	if (mr_step_id(st, out_id)) {
		rc = mr_q_err(s->q, err, "saving the probe of %s", p->url);
		goto done;
	}
	snprintf(object, sizeof object, "probe %lld", (long long)*out_id);
	after = probe_json(p);
	rc = mr_store_audit(s, "probe add", object, NULL, after, err);
done:
	mr_finalize(st);
	free(after);
	return rc;
}

int mr_store_probe_rm(mr_store *s, int64_t id, mr_err *err)
{
	char object[32], *before = NULL;
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT json_object('url', url, 'login', login,"
	                                  " 'every_ms', every_ms, 'timeout_ms', timeout_ms)"
	                                  " FROM probe WHERE id = ?", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, id);
	if (mr_step(st) == SQLITE_ROW)
		before = mr_sql_col(st, 0);
	mr_finalize(st);
	if (!before)
		return mr_err_set(err, MR_ENOTFOUND, "no probe %lld (see `merit probe list`)",
		                  (long long)id);
	st = mr_sql_prepare(s, "DELETE FROM probe WHERE id = ?", err);
	if (!st) {
		rc = MR_EDB;
		goto done;
	}
	mr_bind_i64(st, 1, id);
	if (mr_step(st) != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "removing probe %lld", (long long)id);
		goto done;
	}
	snprintf(object, sizeof object, "probe %lld", (long long)id);
	rc = mr_store_audit(s, "probe rm", object, before, NULL, err);
done:
	mr_finalize(st);
	free(before);
	return rc;
}

static void probe_fill(void *item, mr_stmt *st)
{
	mr_probe *p = item;
	p->id = mr_col_i64(st, 0);
	p->url = mr_sql_col(st, 1);
	p->login = mr_sql_col(st, 2);
	p->every_ms = mr_col_i64(st, 3);
	p->timeout_ms = mr_col_i64(st, 4);
	p->created_at = mr_sql_col(st, 5);
	p->created_by = mr_sql_col(st, 6);
	p->last_at = mr_sql_col(st, 7);
	p->last_up = (int)mr_col_i64(st, 8);
	p->checks = mr_col_i64(st, 9);
	p->ups = mr_col_i64(st, 10);
}

int mr_store_probe_list(mr_store *s, mr_probe **out, size_t *n, mr_err *err)
{
	void *items;
	mr_stmt *st = mr_sql_prepare(s,
		"SELECT p.id, p.url, p.login, p.every_ms, p.timeout_ms, p.created_at, p.created_by,"
		" c.at, c.up, t.n, t.up FROM probe p LEFT JOIN probe_check c ON c.id ="
		" (SELECT max(id) FROM probe_check WHERE probe_id = p.id)"
		" LEFT JOIN (SELECT probe_id, count(*) AS n, sum(up) AS up FROM probe_check"
		"            GROUP BY probe_id) t ON t.probe_id = p.id ORDER BY p.id", err);
	if (!st)
		return MR_EDB;
	int rc = mr_sql_collect(s, st, sizeof **out, probe_fill, &items, n, "listing probes", err);
	*out = items;
	if (rc) {
		mr_probe_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int mr_store_probe_check_add(mr_store *s, int64_t batch, long line,
                             const mr_probe_check *c, mr_err *err)
{
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO probe_check(batch_id, line, probe_id,"
	                                  " url, at, day, up, status, latency_ms, error) VALUES"
	                                  " (?, ?, (SELECT id FROM probe WHERE id = ?), ?, ?, ?, ?,"
	                                  " ?, ?, ?)", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, batch);
	mr_bind_i64(st, 2, line);
	mr_bind_i64(st, 3, c->probe);
	mr_sql_text(st, 4, c->url);
	mr_sql_text(st, 5, c->at);
	mr_bind_i64(st, 6, c->day);
	mr_bind_i64(st, 7, c->up ? 1 : 0);
	if (c->status > 0)
		mr_bind_i64(st, 8, c->status);
	if (c->latency_ms >= 0)
		mr_bind_f64(st, 9, c->latency_ms);
	mr_sql_text(st, 10, c->error[0] ? c->error : NULL);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "saving the check of %s", c->url);
	mr_finalize(st);
	return rc;
}

int mr_store_probe_day_batch(mr_store *s, const char *file, int64_t *id, int64_t *rows,
                             mr_err *err)
{
	int rc = 0, r;
	*id = *rows = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT id, rows FROM batch WHERE source = 'probe'"
	                                  " AND file = ? ORDER BY id DESC LIMIT 1", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, file);
	if ((r = mr_step(st)) == SQLITE_ROW) {
		*id = mr_col_i64(st, 0);
		*rows = mr_col_i64(st, 1);
	} else if (r != SQLITE_DONE) {
		rc = mr_q_err(s->q, err, "finding the probe's batch %s", file);
	}
	mr_finalize(st);
	return rc;
}

/* store_traffic.c — web traffic from access logs: per-day counts per
 * batch and site, each day's visitor set, how much of each log was
 * ingested, and article page views.
 *
 * Every row belongs to a batch (ON DELETE CASCADE), so `merit batch rm`
 * takes a log's traffic away with its measurements.
 */
#include "store/store_int.h"

#include "util/vec.h"

int mr_store_traffic_add(mr_store *s, int64_t batch, const mr_traffic_day *d, mr_err *err)
{
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO traffic(batch_id, site, day, requests,"
	                                  " failed_lines, page_views, visitors, human_visitors,"
	                                  " visits, crawler_requests)"
	                                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, batch);
	mr_sql_text(st, 2, d->site);
	mr_bind_i64(st, 3, d->day);
	mr_bind_i64(st, 4, d->requests);
	mr_bind_i64(st, 5, d->failed_lines);
	mr_bind_i64(st, 6, d->page_views);
	mr_bind_i64(st, 7, d->visitors);
	mr_bind_i64(st, 8, d->human_visitors);
	mr_bind_i64(st, 9, d->visits);
	mr_bind_i64(st, 10, d->crawler_requests);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "recording the traffic of batch %lld", (long long)batch);
	mr_finalize(st);
	return rc;
}

static void traffic_fill(void *item, mr_stmt *st)
{
	mr_traffic_day *d = item;
	d->day = (int)mr_col_i64(st, 0);
	d->site = mr_sql_col(st, 1);
	d->requests = mr_col_i64(st, 2);
	d->failed_lines = mr_col_i64(st, 3);
	d->page_views = mr_col_i64(st, 4);
	d->visitors = mr_col_i64(st, 5);
	d->human_visitors = mr_col_i64(st, 6);
	d->visits = mr_col_i64(st, 7);
	d->crawler_requests = mr_col_i64(st, 8);
}

void mr_traffic_list_free(mr_traffic_day *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].site);
	free(list);
}

int mr_store_traffic_list(mr_store *s, const char *site, int first, int last,
                          mr_traffic_day **out, size_t *n, mr_err *err)
{
	void *items = NULL;
	mr_stmt *st = mr_sql_prepare(s,
		"SELECT day, site, sum(requests), sum(failed_lines), sum(page_views), sum(visitors),"
		" sum(human_visitors), sum(visits), sum(crawler_requests) FROM traffic"
		" WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR site = ?3)"
		" GROUP BY day, site ORDER BY day, site", err);
	*out = NULL;
	*n = 0;
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, first);
	mr_bind_i64(st, 2, last);
	mr_sql_text(st, 3, site);
	int rc = mr_sql_collect(s, st, sizeof **out, traffic_fill, &items, n,
	                        "reading the traffic", err);
	*out = items;
	if (rc) {
		mr_traffic_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

#define VISITOR_BYTES MR_VISITOR_BYTES

int mr_store_visitors_each(mr_store *s, int day,
                           int (*fn)(const mr_visitor *v, void *payload),
                           void *payload, mr_err *err)
{
	int rc = 0, r;
	mr_stmt *st = mr_sql_prepare(s, "SELECT batch_id, visitors FROM traffic_visitor"
	                                  " WHERE day = ?", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, day);
	while ((r = mr_step(st)) == SQLITE_ROW) {
		const unsigned char *p = mr_col_blob(st, 1);
		size_t n = (size_t)mr_col_bytes(st, 1) / VISITOR_BYTES;
		mr_visitor v = { 0, 0, 0, mr_col_i64(st, 0) };
		for (size_t i = 0; i < n; i++, p += VISITOR_BYTES) {
			uint64_t k = 0;
			uint32_t last = 0;
			for (int b = 7; b >= 0; b--)
				k = k << 8 | p[b];
			for (int b = 3; b >= 0; b--)
				last = last << 8 | p[8 + b];
			v.key = (int64_t)k;
			v.last = (int)(int32_t)last;
			v.human = p[12];
			if ((rc = fn(&v, payload)))
				goto done;
		}
	}
	if (r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "reading the visitors of a day");
done:
	mr_finalize(st);
	return rc;
}

void mr_store_visitor_pack(unsigned char *p, const mr_visitor *v)
{
	uint64_t k = (uint64_t)v->key;
	uint32_t last = (uint32_t)v->last;
	for (int b = 0; b < 8; b++)
		p[b] = (unsigned char)(k >> (8 * b));
	for (int b = 0; b < 4; b++)
		p[8 + b] = (unsigned char)(last >> (8 * b));
	p[12] = (unsigned char)(v->human != 0);
}

int mr_store_visitors_put(mr_store *s, int64_t batch, int day, const unsigned char *blob,
                          size_t n, mr_err *err)
{
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO traffic_visitor(day, batch_id, visitors)"
	                                  " VALUES (?, ?, ?) ON CONFLICT(day, batch_id)"
	                                  " DO UPDATE SET visitors = excluded.visitors", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, day);
	mr_bind_i64(st, 2, batch);
	/* the caller's: no copy of a row that can be hundreds of MB */
	mr_bind_blob(st, 3, blob, n * VISITOR_BYTES);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "recording the visitors of batch %lld", (long long)batch);
	mr_finalize(st);
	return rc;
}

int mr_store_log_lines_each(mr_store *s, int day,
                            int (*fn)(int64_t batch, const uint64_t *keys, size_t n,
                                      void *payload),
                            void *payload, mr_err *err)
{
	int rc = 0, r;
	uint64_t *keys = NULL;
	size_t cap = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT batch_id, keys FROM log_line WHERE day = ?",
	                                  err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, day);
	while ((r = mr_step(st)) == SQLITE_ROW) {
		const unsigned char *p = mr_col_blob(st, 1);
		size_t n = (size_t)mr_col_bytes(st, 1) / 8;
		if (mr_vec_reserve(&keys, &cap, 0, n, sizeof *keys)) {
			rc = mr_err_nomem(err);
			goto done;
		}
		for (size_t i = 0; i < n; i++, p += 8) {
			uint64_t k = 0;
			for (int b = 7; b >= 0; b--)
				k = k << 8 | p[b];
			keys[i] = k;
		}
		if ((rc = fn(mr_col_i64(st, 0), keys, n, payload)))
			goto done;
	}
	if (r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "reading the log lines of a day");
done:
	free(keys);
	mr_finalize(st);
	return rc;
}

int mr_store_log_lines_put(mr_store *s, int64_t batch, int day, const uint64_t *keys,
                           size_t n, mr_err *err)
{
	int rc = 0;
	unsigned char *blob = malloc(n * 8 + 1), *p = blob;
	if (!blob)
		return mr_err_nomem(err);
	for (size_t i = 0; i < n; i++, p += 8)
		for (int b = 0; b < 8; b++)
			p[b] = (unsigned char)(keys[i] >> (8 * b));
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO log_line(day, batch_id, keys)"
	                                  " VALUES (?, ?, ?) ON CONFLICT(day, batch_id)"
	                                  " DO UPDATE SET keys = excluded.keys", err);
	if (!st) {
		free(blob);
		return MR_EDB;
	}
	mr_bind_i64(st, 1, day);
	mr_bind_i64(st, 2, batch);
	mr_bind_blob(st, 3, blob, (int)(n * 8));
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "recording the log lines of batch %lld", (long long)batch);
	mr_finalize(st);
	free(blob);
	return rc;
}

static void seen_fill(void *item, mr_stmt *st)
{
	mr_log_seen *x = item;
	const char *h = mr_col_text(st, 1), *sha = mr_col_text(st, 3);
	x->batch = mr_col_i64(st, 0);
	snprintf(x->head, sizeof x->head, "%s", h ? h : "");
	x->length = mr_col_i64(st, 2);
	snprintf(x->sha256, sizeof x->sha256, "%s", sha ? sha : "");
	x->lines = mr_col_i64(st, 4);
}

int mr_store_log_seen_find(mr_store *s, const char *head, mr_log_seen **out, size_t *n,
                           mr_err *err)
{
	void *items = NULL;
	mr_stmt *st = mr_sql_prepare(s, "SELECT batch_id, head, length, sha256, lines"
	                                  " FROM log_seen WHERE head = ? OR length < 4096"
	                                  " ORDER BY length, batch_id", err);
	*out = NULL;
	*n = 0;
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, head);
	int rc = mr_sql_collect(s, st, sizeof **out, seen_fill, &items, n,
	                        "looking up earlier ingestions", err);
	*out = items;
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int mr_store_log_seen_add(mr_store *s, const mr_log_seen *x, mr_err *err)
{
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO log_seen(batch_id, head, length, sha256,"
	                                  " lines) VALUES (?, ?, ?, ?, ?)", err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, x->batch);
	mr_sql_text(st, 2, x->head);
	mr_bind_i64(st, 3, x->length);
	mr_sql_text(st, 4, x->sha256);
	mr_bind_i64(st, 5, x->lines);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "recording what was ingested");
	mr_finalize(st);
	return rc;
}

int mr_store_article_views_add(mr_store *s, int64_t batch, const char *site, int day,
                               const char *path, const char *login, int64_t views,
                               mr_err *err)
{
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO article_view(batch_id, site, day, path,"
	                                  " login, views) VALUES (?, ?, ?, ?, ?, ?)"
	                                  " ON CONFLICT(batch_id, site, day, path)"
	                                  " DO UPDATE SET views = article_view.views + excluded.views",
	                                  err);
	if (!st)
		return MR_EDB;
	mr_bind_i64(st, 1, batch);
	mr_sql_text(st, 2, site);
	mr_bind_i64(st, 3, day);
	mr_sql_text(st, 4, path);
	mr_sql_text(st, 5, login);
	mr_bind_i64(st, 6, views);
	if (mr_step(st) != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "recording the article views of %s", login);
	mr_finalize(st);
	return rc;
}

int mr_store_path_views(mr_store *s, const char *path, int first, int64_t *out,
                        mr_err *err)
{
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT coalesce(sum(views), 0) FROM article_view"
	                                  " WHERE path = ? AND day >= ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, path);
	mr_bind_i64(st, 2, first);
	if (mr_step(st) == SQLITE_ROW)
		*out = mr_col_i64(st, 0);
	else
		rc = mr_q_err(s->q, err, "reading the page views of %s", path);
	mr_finalize(st);
	return rc;
}

int mr_store_article_views(mr_store *s, const char *login, int first, int last,
                           int64_t *out, mr_err *err)
{
	int rc = 0;
	mr_stmt *st = mr_sql_prepare(s, "SELECT coalesce(sum(views), 0) FROM article_view"
	                                  " WHERE login = ? AND day BETWEEN ? AND ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, login);
	mr_bind_i64(st, 2, first);
	mr_bind_i64(st, 3, last);
	if (mr_step(st) == SQLITE_ROW)
		*out = mr_col_i64(st, 0);
	else
		rc = mr_q_err(s->q, err, "reading the article views of %s", login);
	mr_finalize(st);
	return rc;
}

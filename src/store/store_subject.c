/* store_subject.c — the subject of a measurement (indicator, login) as a
 * number.  An import of a million rows names a few hundred subjects; a
 * small cache (util/map.h) makes each row's lookup a hash, not a query.
 */
#include "store/store_int.h"

#include <inttypes.h>

#include "util/vec.h"

/* The pair as one text for the hash: the team (NULL) differs from "" */
static uint64_t pair_hash(const char *indicator, const char *login)
{
	uint64_t h = mr_hash_bytes(indicator, strlen(indicator), login ? 1 : 2);
	return login ? mr_hash_bytes(login, strlen(login), h) : h;
}

static int same(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

void mr_subject_cache_clear(mr_subject_cache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->e[i].indicator);
		free(c->e[i].login);
	}
	free(c->e);
	mr_map_release(&c->map);
	memset(c, 0, sizeof *c);
}

/* The entry of the pair; else NULL and *key the key to store it under
 * (two pairs with one hash: the second tries the hash's own hash). */
static struct mr_subject_entry *find(mr_subject_cache *c, const char *indicator,
                                     const char *login, uint64_t *key)
{
	for (*key = pair_hash(indicator, login);; *key = mr_hash_mix(*key + 1)) {
		uint32_t i = mr_map_get(&c->map, *key);
		if (i == MR_MAP_NONE)
			return NULL;
		if (strcmp(c->e[i].indicator, indicator) == 0 && same(c->e[i].login, login))
			return &c->e[i];
	}
}

static int remember(mr_subject_cache *c, const char *indicator, const char *login,
                    uint64_t key, int64_t id)
{
	char *ind = strdup(indicator), *who = login ? strdup(login) : NULL;
	struct mr_subject_entry *e = ind && (!login || who) && c->n < UINT32_MAX ?
	                             MR_VEC_PUSH(c->e, c->n, c->cap) : NULL;
	if (!e || mr_map_put(&c->map, key, (uint32_t)(c->n - 1))) {
		c->n -= e != NULL;
		free(ind);
		free(who);
		return MR_ENOMEM;
	}
	*e = (struct mr_subject_entry){ ind, who, id };
	return 0;
}

/* Every subject into the cache (PostgreSQL, inside a write transaction,
 * whose lock keeps others from adding any meanwhile), and the next id:
 * the largest + 1, as SQLite numbers a rowid. */
static int load_all(mr_store *s, mr_subject_cache *c, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, "SELECT id, indicator, login FROM subject", err);
	int r = MR_DB_ERROR, rc = 0;
	int64_t top = 0;
	if (!st)
		return MR_EDB;
	while (!rc && (r = mr_step(st)) == MR_DB_ROW) {
		uint64_t key;
		const char *ind = mr_col_text(st, 1), *who = mr_col_text(st, 2);
		int64_t id = mr_col_i64(st, 0);
		if (id > top)
			top = id;
		if (!ind)
			continue;
		if (!find(c, ind, who, &key) && remember(c, ind, who, key, id))
			rc = mr_err_nomem(err);
	}
	if (!rc && r != MR_DB_DONE)
		rc = mr_q_err(s->q, err, "reading the subjects");
	mr_finalize(st);
	c->loaded = !rc;
	c->next = top + 1;
	c->written = c->n;
	return rc;
}

int mr_subject_flush(mr_store *s, mr_err *err)
{
	mr_subject_cache *c = &s->subjects;
	if (!mr_store_on_pg(s) || c->written >= c->n)
		return 0;
	mr_buf b;
	mr_buf_init(&b);
	for (size_t i = c->written; i < c->n; i++) {
		mr_buf_printf(&b, "%" PRId64 "\t", c->e[i].id);
		mr_db_copy_text(&b, c->e[i].indicator);
		if (c->e[i].login) {
			mr_buf_putc(&b, '\t');
			mr_db_copy_text(&b, c->e[i].login);
			mr_buf_putc(&b, '\n');
		} else {
			mr_buf_puts(&b, "\t\\N\n");
		}
	}
	int rc = mr_buf_oom(&b) ? mr_err_nomem(err) :
	         mr_db_copy_stream(s->q, "COPY subject(id, indicator, login) FROM STDIN", b.data,
	                           b.len, "saving the subjects", err);
	if (!rc)
		rc = mr_db_copy_settle(s->q, "saving the subjects", err);
	mr_buf_release(&b);
	if (!rc)
		c->written = c->n;
	return rc;
}

/* A new subject: its id in *out, and cached (on PostgreSQL numbered here,
 * and written with the others by mr_subject_flush: an INSERT each, a round
 * trip each, took 1.4 s of the first import of 1,000 people's 10
 * indicators). */
static int add(mr_store *s, mr_subject_cache *c, const char *indicator, const char *login,
               uint64_t key, int64_t *out, mr_err *err)
{
	if (c->loaded) {
		*out = c->next;
		if (remember(c, indicator, login, key, *out))
			return mr_err_nomem(err);
		c->next++;
		return 0;
	}
	mr_stmt *ins = s->st[ST_SUBJECT_ADD];
	if (!ins && !(ins = s->st[ST_SUBJECT_ADD] = mr_sql_prepare(s,
		"INSERT INTO subject(indicator, login) VALUES (?, ?) RETURNING id", err)))
		return MR_EDB;
	mr_reset(ins);
	mr_sql_text(ins, 1, indicator);
	mr_sql_text(ins, 2, login);
	if (mr_step(ins) != MR_DB_ROW)
		return mr_q_err(s->q, err, "saving the subject %s of %s", indicator,
		                login ? login : "the team");
	*out = mr_col_i64(ins, 0);
	mr_reset(ins);
	return remember(c, indicator, login, key, *out) ? mr_err_nomem(err) : 0;
}

int mr_subject_id(mr_store *s, const char *indicator, const char *login,
                  int64_t *out, mr_err *err)
{
	mr_subject_cache *c = &s->subjects;
	uint64_t key;
	int rc;
	/* PostgreSQL: every subject read once a transaction (a query each
	 * costs a round trip); then one not cached is not there */
	if (mr_store_on_pg(s) && !c->loaded && (rc = load_all(s, c, err)))
		return rc;
	const struct mr_subject_entry *known = find(c, indicator, login, &key);
	if (known) {
		*out = known->id;
		return 0;
	}
	if (c->loaded)
		return add(s, c, indicator, login, key, out, err);
	mr_stmt *st = s->st[ST_SUBJECT_GET];
	if (!st && !(st = s->st[ST_SUBJECT_GET] = mr_sql_prepare(s,
		"SELECT id FROM subject WHERE indicator = ? AND ifnull(login, '') = ifnull(?, '')", err)))
		return MR_EDB;
	mr_reset(st);
	mr_sql_text(st, 1, indicator);
	mr_sql_text(st, 2, login);
	int r = mr_step(st);
	if (r == SQLITE_ROW) {
		*out = mr_col_i64(st, 0);
	} else if (r == SQLITE_DONE && s->stage) {
		if ((rc = mr_stage_subject(s, indicator, login, out, err))) {
			mr_reset(st);
			return rc;
		}
	} else if (r == SQLITE_DONE) {
		mr_reset(st);
		return add(s, c, indicator, login, key, out, err);
	} else {
		return mr_q_err(s->q, err, "looking up %s of %s", indicator,
		                  login ? login : "the team");
	}
	mr_reset(st);
	if (remember(c, indicator, login, key, *out))
		return mr_err_nomem(err);
	return 0;
}

int mr_subject_max(mr_store *s, int64_t *out, mr_err *err)
{
	mr_stmt *st = mr_sql_prepare(s, "SELECT ifnull(max(id), 0) FROM subject", err);
	int rc = 0;
	*out = 0;
	if (!st)
		return MR_EDB;
	if (mr_step(st) == SQLITE_ROW)
		*out = mr_col_i64(st, 0);
	else
		rc = mr_q_err(s->q, err, "reading the subjects");
	mr_finalize(st);
	return rc;
}

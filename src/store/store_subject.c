/* store_subject.c — the subject of a measurement (indicator, login) as a
 * number.  An import of a million rows names a few hundred subjects; a
 * small open-addressed cache makes each row's lookup a hash, not a query.
 */
#include "store/store_int.h"

uint64_t mr_subject_hash(const char *indicator, const char *login)
{
	uint64_t h = 1469598103934665603ull;      /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)indicator; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;        /* the team differs from "" */
	if (login)
		for (const unsigned char *p = (const unsigned char *)login; *p; p++)
			h = (h ^ *p) * 1099511628211ull;
	return h;
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
	free(c->slot);
	memset(c, 0, sizeof *c);
}

static size_t *find(mr_subject_cache *c, const char *indicator, const char *login)
{
	size_t j = mr_subject_hash(indicator, login) & (c->cap - 1);
	while (c->slot[j]) {
		const struct mr_subject_entry *e = &c->e[c->slot[j] - 1];
		if (strcmp(e->indicator, indicator) == 0 && same(e->login, login))
			break;
		j = (j + 1) & (c->cap - 1);
	}
	return &c->slot[j];
}

static int remember(mr_subject_cache *c, const char *indicator, const char *login,
                    int64_t id)
{
	if ((c->n + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		size_t *slot = calloc(cap, sizeof *slot);
		struct mr_subject_entry *e = realloc(c->e, cap / 2 * sizeof *e);
		if (!slot || !e) {
			free(slot);
			if (e)
				c->e = e;
			return MR_ENOMEM;
		}
		c->e = e;
		free(c->slot);
		c->slot = slot;
		c->cap = cap;
		for (size_t i = 0; i < c->n; i++)
			*find(c, c->e[i].indicator, c->e[i].login) = i + 1;
	}
	struct mr_subject_entry *e = &c->e[c->n];
	e->indicator = strdup(indicator);
	e->login = login ? strdup(login) : NULL;
	e->id = id;
	if (!e->indicator || (login && !e->login)) {
		free(e->indicator);
		free(e->login);
		return MR_ENOMEM;
	}
	*find(c, indicator, login) = ++c->n;
	return 0;
}

int mr_subject_id(mr_store *s, const char *indicator, const char *login,
                  int64_t *out, mr_err *err)
{
	mr_subject_cache *c = &s->subjects;
	if (c->cap) {
		size_t *slot = find(c, indicator, login);
		if (*slot) {
			*out = c->e[*slot - 1].id;
			return 0;
		}
	}
	sqlite3_stmt *st = s->st[ST_SUBJECT_GET];
	if (!st && !(st = s->st[ST_SUBJECT_GET] = mr_sql_prepare(s,
		"SELECT id FROM subject WHERE indicator = ? AND ifnull(login, '') = ifnull(?, '')", err)))
		return MR_EDB;
	sqlite3_reset(st);
	mr_sql_text(st, 1, indicator);
	mr_sql_text(st, 2, login);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
	} else if (r == SQLITE_DONE && s->stage) {
		int rc = mr_stage_subject(s, indicator, login, out, err);
		if (rc) {
			sqlite3_reset(st);
			return rc;
		}
	} else if (r == SQLITE_DONE) {
		sqlite3_stmt *ins = s->st[ST_SUBJECT_ADD];
		if (!ins && !(ins = s->st[ST_SUBJECT_ADD] = mr_sql_prepare(s,
			"INSERT INTO subject(indicator, login) VALUES (?, ?)", err)))
			return MR_EDB;
		sqlite3_reset(ins);
		mr_sql_text(ins, 1, indicator);
		mr_sql_text(ins, 2, login);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return mr_sql_err(s->db, err, "saving the subject %s of %s", indicator,
			                  login ? login : "the team");
		*out = sqlite3_last_insert_rowid(s->db);
	} else {
		return mr_sql_err(s->db, err, "looking up %s of %s", indicator,
		                  login ? login : "the team");
	}
	sqlite3_reset(st);
	if (remember(c, indicator, login, *out))
		return mr_err_set(err, MR_ENOMEM, "out of memory");
	return 0;
}

int mr_subject_max(mr_store *s, int64_t *out, mr_err *err)
{
	sqlite3_stmt *st = mr_sql_prepare(s, "SELECT ifnull(max(id), 0) FROM subject", err);
	int rc = 0;
	*out = 0;
	if (!st)
		return MR_EDB;
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		rc = mr_sql_err(s->db, err, "reading the subjects");
	sqlite3_finalize(st);
	return rc;
}

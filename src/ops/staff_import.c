/* staff_import.c — the staff list from a contacts file: WeCom's (企业微信)
 * member file, CSV or a spreadsheet, as the address book's batch import
 * and export take it (tests/data/staff/PROVENANCE.md):
 *
 *   姓名,帐号,手机号,邮箱,所在部门,职位,性别,是否部门内领导,排序,别名,地址,座机,禁用,…
 *
 * 姓名 is the name and 帐号 the login; 职位 (a job title, the company's own
 * words) becomes a position of the plan by the title map (TITLE=KEY), or
 * the default position; in each department (所在部门, the first of a
 * member's, ";"-separated) the one marked its leader (是否部门内领导 1)
 * becomes the others' manager.  A member marked 禁用 (disabled) 1 is left
 * out.  Everyone else is added, or changed when on the staff already
 * (name, position, manager; dates and base bonus as they are), each by
 * mr_op_staff: the checks and the audit of `merit staff add` and `set`.
 * One transaction: a bad row leaves the staff list as it was.
 */
#include "ops/ops.h"

#include <stdio.h>
#include <string.h>

#include "ingest/csv.h"
#include "util/buf.h"
#include "util/vec.h"

enum { C_NAME, C_LOGIN, C_DEPT, C_TITLE, C_LEADER, C_DISABLED, C_COLS };
static const char *const col_names[C_COLS] = {
	"姓名", "帐号", "所在部门", "职位", "是否部门内领导", "禁用"
};

struct person {
	char *login, *name, *position, *dept;
	int leader;
	long line;
	int state;                   /* 0: as it was, 1: added, 2: changed */
};

struct reading {
	const mr_staff_import_opts *o;
	const mr_plan *plan;
	long col[C_COLS];            /* -1: the file has no such column */
	int header_done;
	struct person *p;
	size_t n, cap;
	long skipped;
	mr_buf notes;
};

/* The title's position: by the map, else the default; NULL when neither. */
static const char *position_of(const struct reading *rd, const char *title)
{
	for (const char *const *m = rd->o->titles; m && *m; m++) {
		const char *eq = strrchr(*m, '=');
		if (eq && (size_t)(eq - *m) == strlen(title) && strncmp(*m, title, eq - *m) == 0)
			return eq + 1;
	}
	return rd->o->position;
}

/* The first of a ";"-separated list, as a copy. */
static char *first_of(const char *v)
{
	size_t n = strcspn(v, ";");
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, v, n);
		s[n] = 0;
	}
	return s;
}

static int header(struct reading *rd, const mr_csv_row *row, mr_err *err)
{
	for (int k = 0; k < C_COLS; k++) {
		rd->col[k] = -1;
		for (size_t i = 0; i < row->n; i++)
			if (strcmp(row->f[i], col_names[k]) == 0)
				rd->col[k] = (long)i;
	}
	rd->header_done = 1;
	if (rd->col[C_NAME] < 0 || rd->col[C_LOGIN] < 0)
		return mr_err_set(err, MR_EINVALID, "%s: not a WeCom member file: its header needs "
		                  "姓名 (name) and 帐号 (login)", rd->o->name);
	return 0;
}

static const char *cell(const struct reading *rd, const mr_csv_row *row, int k)
{
	long i = rd->col[k];
	return i >= 0 && (size_t)i < row->n ? row->f[i] : "";
}

static int on_row(const mr_csv_row *row, void *payload, mr_err *err)
{
	struct reading *rd = payload;
	if (!rd->header_done)
		return header(rd, row, err);
	const char *login = cell(rd, row, C_LOGIN), *name = cell(rd, row, C_NAME);
	const char *title = cell(rd, row, C_TITLE);
	if (!*login && !*name)
		return 0;                    /* a blank row */
	if (strcmp(cell(rd, row, C_DISABLED), "1") == 0) {
		rd->skipped++;
		mr_buf_printf(&rd->notes, "%s:%ld: %s is disabled (禁用 1): left out\n", rd->o->name,
		              row->line, login);
		return 0;
	}
	const char *pos = position_of(rd, title);
	if (!*login)
		return mr_err_set(err, MR_EINVALID, "%s:%ld: 帐号 (login) is empty", rd->o->name,
		                  row->line);
	if (!pos)
		return mr_err_set(err, MR_EINVALID, "%s:%ld: 职位 \"%s\" of %s: no position for this "
		                  "title; map it (TITLE=KEY) or give a default position", rd->o->name,
		                  row->line, title, login);
	if (mr_vec_grow(&rd->p, &rd->cap, rd->n, sizeof *rd->p))
		return mr_err_nomem(err);
	struct person *p = &rd->p[rd->n];
	memset(p, 0, sizeof *p);
	p->line = row->line;
	p->leader = strncmp(cell(rd, row, C_LEADER), "1", 1) == 0;
	if (!(p->login = strdup(login)) || !(p->name = strdup(name)) ||
	    !(p->position = strdup(pos)) || !(p->dept = first_of(cell(rd, row, C_DEPT)))) {
		free(p->login);
		free(p->name);
		free(p->position);
		return mr_err_nomem(err);
	}
	rd->n++;
	return 0;
}

/* The leader of dept other than login, or NULL (none, or several). */
static const char *leader_of(const struct reading *rd, const char *dept, const char *login)
{
	const char *found = NULL;
	if (!*dept)
		return NULL;
	for (size_t i = 0; i < rd->n; i++)
		if (rd->p[i].leader && strcmp(rd->p[i].dept, dept) == 0) {
			if (found)
				return NULL;
			found = rd->p[i].login;
		}
	return found && strcmp(found, login) ? found : NULL;
}

static int same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static void change_init(mr_staff_change *ch, const struct reading *rd, const char *login)
{
	memset(ch, 0, sizeof *ch);
	ch->web = rd->o->web;
	ch->st.login = (char *)login;
	ch->st.from = MR_DAY_MIN;
	ch->st.to = MR_DAY_MAX;
}

/* m is to manage p.  When m reports to p already, however far up (the
 * departments' leaders have changed places), that link goes, and is told:
 * else the managers would go round. */
static int unloop(mr_store *s, struct reading *rd, const struct person *p, const char *m,
                  mr_err *err)
{
	char *at = strdup(m);
	int rc = at ? 0 : mr_err_nomem(err);
	/* (a chain deeper than a thousand is no company's: a loop an older
	 * merit let in, not through p, ends the walk) */
	for (int up = 0; at && !rc && up < 1000; up++) {
		mr_staff st;
		if ((rc = mr_store_staff_find(s, at, &st, err)))
			break;
		if (st.manager && strcmp(st.manager, p->login) == 0) {
			mr_staff_change ch;
			change_init(&ch, rd, at);
			ch.set_manager = 1;      /* to nobody */
			if (!(rc = mr_op_staff(s, rd->plan, &ch, err)))
				mr_buf_printf(&rd->notes, "%s:%ld: %s now manages %s, who managed %s: "
				              "that link is dropped\n", rd->o->name, p->line, m, p->login,
				              at);
			for (size_t i = 0; !rc && i < rd->n; i++)   /* a change of theirs */
				if (strcmp(rd->p[i].login, at) == 0 && !rd->p[i].state)
					rd->p[i].state = 2;
			mr_staff_release(&st);
			break;
		}
		char *next = st.manager && *st.manager ? strdup(st.manager) : NULL;
		if (st.manager && *st.manager && !next)
			rc = mr_err_nomem(err);
		mr_staff_release(&st);
		free(at);
		at = next;
	}
	if (rc == MR_ENOTFOUND)          /* the chain ends there */
		rc = 0;
	free(at);
	return rc;
}

/* Add or change person p: its name and position (the first pass), then
 * its department's leader as its manager (the second, when everyone is
 * on the list).  What is as it was is not written again. */
static int apply(mr_store *s, struct reading *rd, struct person *p, int pass, mr_err *err)
{
	mr_staff_change ch;
	mr_staff cur;
	change_init(&ch, rd, p->login);
	int rc = mr_store_staff_find(s, p->login, &cur, err);
	if (rc && rc != MR_ENOTFOUND)
		return rc;
	int exists = rc == 0, unchanged = 0;
	rc = 0;
	if (pass == 1) {
		unchanged = exists && same(cur.name, p->name) && same(cur.position, p->position);
		ch.create = !exists;
		ch.st.name = p->name;
		ch.st.position = p->position;
		ch.set_name = ch.set_position = 1;
	} else {
		const char *m = leader_of(rd, p->dept, p->login);
		unchanged = !m || same(cur.manager, m);
		ch.st.manager = (char *)m;
		ch.set_manager = 1;
		if (!unchanged && (rc = unloop(s, rd, p, m, err)))
			unchanged = 1;
	}
	if (exists)
		mr_staff_release(&cur);
	if (!unchanged && !(rc = mr_op_staff(s, rd->plan, &ch, err)) && !p->state)
		p->state = ch.create ? 1 : 2;
	if (rc)
		mr_err_prefix(err, "%s:%ld: %s", rd->o->name, p->line, p->login);
	return rc;
}

int mr_op_staff_import(mr_store *s, const mr_plan *plan, const char *path,
                       const mr_staff_import_opts *o, mr_staff_import_result *res, mr_err *err)
{
	struct reading rd;
	mr_read_opts ro = { o->name, NULL, NULL };
	int rc;
	memset(&rd, 0, sizeof rd);
	memset(res, 0, sizeof *res);
	rd.o = o;
	rd.plan = plan;
	mr_buf_init(&rd.notes);
	rc = mr_rows_each(path, &ro, on_row, &rd, NULL, NULL, err);
	if (!rc && !rd.header_done)
		rc = mr_err_set(err, MR_EINVALID, "%s: the file is empty", o->name);
	if (!rc && !rd.n)
		rc = mr_err_set(err, MR_EINVALID, "%s: nobody to add: no member rows", o->name);
	for (int pass = 1; !rc && pass <= 2; pass++)
		for (size_t i = 0; !rc && i < rd.n; i++)
			rc = apply(s, &rd, &rd.p[i], pass, err);
	for (size_t i = 0; i < rd.n; i++) {
		res->added += rd.p[i].state == 1;
		res->changed += rd.p[i].state == 2;
		res->unchanged += rd.p[i].state == 0;
	}
	res->skipped = rd.skipped;
	if (!rc && mr_buf_oom(&rd.notes))
		rc = mr_err_nomem(err);
	if (!rc && rd.notes.len)
		res->notes = mr_buf_detach(&rd.notes);
	for (size_t i = 0; i < rd.n; i++) {
		free(rd.p[i].login);
		free(rd.p[i].name);
		free(rd.p[i].position);
		free(rd.p[i].dept);
	}
	free(rd.p);
	mr_buf_release(&rd.notes);
	return rc;
}

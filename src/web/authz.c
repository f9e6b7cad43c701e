/* authz.c — who may see whom.  An admin sees everyone; anyone sees
 * themselves; a manager sees the people below them in the staff list's
 * manager chain, however deep.  Nothing else: a member sees no colleague's
 * scorecard, ratings, batches or reports.  Apart from seeing, the staff
 * list says who manages whom (mr_web_manages): the manager on record
 * nominates a person's peers and acknowledges their result, whatever the
 * role of their user; anyone above a person in the chain (or an admin)
 * decides on the evidence they hand in, never the person themselves.
 */
#include "web/web_int.h"

#include <string.h>

static int by_login(const void *key, const void *item)
{
	return strcmp(key, ((const mr_staff *)item)->login);
}

const mr_staff *mr_web_staff(const mr_snap *snap, const char *login)
{
	if (!snap || !login || !snap->nstaff)
		return NULL;
	/* the store lists staff by login */
	return bsearch(login, snap->staff, snap->nstaff, sizeof *snap->staff, by_login);
}

int mr_web_manages(mr_ctx *c, const char *login, int direct)
{
	if (!c->user || !login)
		return 0;
	const mr_staff *st = mr_web_staff(c->snap, login);
	/* up the chain; a cycle in the data cannot loop for ever */
	for (int depth = 0; st && st->manager && depth < 64; depth++) {
		if (strcmp(st->manager, c->ses.login) == 0)
			return 1;
		if (direct)
			return 0;
		st = mr_web_staff(c->snap, st->manager);
	}
	return 0;
}

int mr_web_may_see(mr_ctx *c, const char *login)
{
	if (!c->user || !login)
		return 0;
	if (c->admin)
		return 1;
	if (strcmp(login, c->ses.login) == 0)
		return 1;
	return c->manager && mr_web_manages(c, login, 0);
}

int mr_web_withheld(mr_ctx *c, const char *period, const char *login,
                    const mr_cycle *list, size_t n)
{
	if (c->admin || !login || strcmp(login, c->ses.login) != 0)
		return 0;
	if (list) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(list[i].period, period) == 0)
				return list[i].released_at == NULL;
		return 1;
	}
	mr_cycle cy;
	mr_err err = MR_ERR_INIT;
	int rc = mr_store_cycle_find(c->s, period, &cy, NULL, &err);
	mr_err_clear(&err);
	int withheld = rc || !cy.released_at;     /* a store error withholds too */
	if (!rc)
		mr_cycle_release(&cy);
	return withheld;
}

int mr_web_may_decide(mr_ctx *c, const char *login)
{
	if (!c->user || !login || strcmp(login, c->ses.login) == 0)
		return 0;
	return c->admin || mr_web_manages(c, login, 0);
}

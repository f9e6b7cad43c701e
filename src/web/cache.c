/* cache.c — the database connections the server's threads share, and
 * what is computed once per generation of the data.
 *
 * The generation is the audit log's newest id: every change to the plan,
 * staff, data, ratings or cycles writes one, whoever makes it (this
 * server, or a `merit import` beside it).  A request reads it (one indexed
 * lookup), and while it has not moved the parsed plan, the staff and each
 * period's appraisal are reused; when it moves, the next request builds a
 * new snapshot and the old one goes when its last reader lets go.
 */
#include "web/web_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ingest/plan_yaml.h"

int mr_web_pool_init(mr_web *w, int conns, mr_err *err)
{
	if (conns < 1)
		conns = 1;
	if (!(w->pool = calloc((size_t)conns, sizeof *w->pool)))
		return mr_err_nomem(err);
	w->npool = (size_t)conns;
	for (int i = 0; i < conns; i++) {
		int rc = mr_store_open(&w->pool[i], w->cfg.db, err);
		if (rc)
			return rc;
		w->nfree++;
	}
	return 0;
}

mr_store *mr_web_pool_get(mr_web *w)
{
	pthread_mutex_lock(&w->mu);
	while (!w->nfree)
		pthread_cond_wait(&w->cv, &w->mu);
	mr_store *s = w->pool[--w->nfree];
	pthread_mutex_unlock(&w->mu);
	mr_store_revive(s);            /* PostgreSQL restarted: a new connection */
	mr_store_set_actor(s, NULL);
	return s;
}

void mr_web_pool_put(mr_web *w, mr_store *s)
{
	if (!s)
		return;
	mr_store_set_deadline(s, 0); /* first: the rollback runs with no clock */
	mr_store_rollback(s);        /* nothing left open by a failed handler */
	pthread_mutex_lock(&w->mu);
	w->pool[w->nfree++] = s;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void mr_snap_period_free(struct mr_snap_period *sp)
{
	if (!sp)
		return;
	if (sp->cards && sp->a.result)
		for (size_t i = 0; i < sp->a.result->npeople; i++)
			free(sp->cards[i]);
	free(sp->cards);
	mr_appraisal_release(&sp->a);
	free(sp->label);
	free(sp);
}

static void snap_free(mr_snap *s)
{
	for (size_t i = 0; i < s->nper; i++)
		mr_snap_period_free(s->per[i]);
	mr_staff_list_free(s->staff, s->nstaff);
	mr_plan_free(s->plan);
	free(s->plan_yaml);
	free(s);
}

void mr_snap_unref(mr_web *w, mr_snap *s)
{
	pthread_mutex_lock(&w->mu);
	int last = --s->refs == 0;
	pthread_mutex_unlock(&w->mu);
	if (last)
		snap_free(s);
}

void mr_web_stale(mr_web *w)
{
	pthread_mutex_lock(&w->mu);
	mr_snap *old = w->snap;
	w->snap = NULL;
	w->epoch++;
	pthread_mutex_unlock(&w->mu);
	if (old)
		mr_snap_unref(w, old);
}

static int snap_build(mr_snap **out, mr_store *st, mr_err *err)
{
	mr_snap *s = calloc(1, sizeof *s);
	size_t len;
	int rc;
	if (!s)
		return mr_err_nomem(err);
	s->refs = 1;
	if ((rc = mr_store_begin_read(st, err)))
		goto fail;
	if (!(rc = mr_store_generation(st, &s->gen, err)))
		rc = mr_store_staff_list(st, &s->staff, &s->nstaff, err);
	if (!rc) {
		rc = mr_store_plan_get(st, &s->plan_yaml, err);
		if (rc == MR_ENOTFOUND) {   /* no plan yet: the server still lets people in */
			mr_err_clear(err);
			rc = 0;
		}
	}
	mr_store_rollback(st);
	if (!rc && s->plan_yaml) {
		len = strlen(s->plan_yaml);
		rc = mr_plan_parse(&s->plan, s->plan_yaml, len, "the stored plan", err);
	}
	if (rc)
		goto fail;
	*out = s;
	return 0;
fail:
	snap_free(s);
	return rc;
}

int64_t mr_web_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The cached snapshot when it is of generation `gen` (gen < 0: when its
 * generation was read less than cfg.gen_check_ms ago), referenced for c. */
static mr_snap *snap_take(mr_ctx *c, int64_t gen, int64_t now_ms)
{
	mr_web *w = c->w;
	pthread_mutex_lock(&w->mu);
	mr_snap *s = w->snap;
	if (s && (gen < 0 ? now_ms - w->snap_read_ms < w->cfg.gen_check_ms : s->gen >= gen)) {
		s->refs++;
		if (gen >= 0)
			w->snap_read_ms = now_ms;
		c->snap = s;
	}
	pthread_mutex_unlock(&w->mu);
	return c->snap;
}

mr_snap *mr_web_snap(mr_ctx *c)
{
	mr_web *w = c->w;
	mr_err err = MR_ERR_INIT;
	int64_t gen, now_ms = mr_web_ms();
	mr_snap *s = NULL;
	if (c->snap || snap_take(c, -1, now_ms))
		return c->snap;
	if (mr_store_generation(c->s, &gen, &err))
		goto fail;
	if (snap_take(c, gen, now_ms))
		return c->snap;
	/* one builder: the others wait for it rather than build the same */
	pthread_mutex_lock(&w->build_mu);
	pthread_mutex_lock(&w->mu);
	uint64_t epoch = w->epoch;
	pthread_mutex_unlock(&w->mu);
	if (!snap_take(c, gen, now_ms) && !snap_build(&s, c->s, &err)) {
		pthread_mutex_lock(&w->mu);
		mr_snap *old = w->snap;
		w->snap = s;
		/* a change made here while it was built: read the generation again
		 * at the next request rather than trust this one */
		w->snap_read_ms = w->epoch == epoch ? now_ms : 0;
		s->refs++;               /* the cache's and this request's */
		c->snap = s;
		pthread_mutex_unlock(&w->mu);
		if (old)
			mr_snap_unref(w, old);
	}
	pthread_mutex_unlock(&w->build_mu);
	if (c->snap)
		return c->snap;
fail:
	mr_web_err(c, &err);
	mr_err_clear(&err);
	return NULL;
}

static struct mr_snap_period *period_find(mr_web *w, mr_snap *s, const char *label)
{
	struct mr_snap_period *sp = NULL;
	pthread_mutex_lock(&w->mu);
	for (size_t i = 0; i < s->nper && !sp; i++)
		if (strcmp(s->per[i]->label, label) == 0)
			sp = s->per[i];
	pthread_mutex_unlock(&w->mu);
	return sp;
}

static struct mr_snap_period *appraisal_build(mr_ctx *c, mr_snap *s, const mr_period *p);

const struct mr_snap_period *mr_web_appraisal(mr_ctx *c, const mr_period *p)
{
	mr_web *w = c->w;
	mr_snap *s = mr_web_snap(c);
	struct mr_snap_period *sp;
	if (!s)
		return NULL;
	if (!s->plan) {
		mr_web_fail(c, 404, "there is no plan yet: an admin uploads one on the Plan page");
		return NULL;
	}
	if ((sp = period_find(w, s, p->label)))
		return sp;
	pthread_mutex_lock(&w->build_mu);
	if ((sp = period_find(w, s, p->label))) {
		pthread_mutex_unlock(&w->build_mu);
		return sp;
	}
	sp = appraisal_build(c, s, p);
	pthread_mutex_unlock(&w->build_mu);
	return sp;
}

static struct mr_snap_period *appraisal_build(mr_ctx *c, mr_snap *s, const mr_period *p)
{
	mr_web *w = c->w;
	struct mr_snap_period *sp = NULL;
	mr_err err = MR_ERR_INIT;
	if (!(sp = calloc(1, sizeof *sp)) || !(sp->label = strdup(p->label))) {
		mr_err_nomem(&err);
		goto fail;
	}
	if (mr_store_begin_read(c->s, &err))
		goto fail;
	int rc = mr_appraise(&sp->a, c->s, s->plan, p, 1, &err);
	mr_store_rollback(c->s);
	if (rc)
		goto fail;
	if (!(sp->cards = calloc(sp->a.result->npeople + 1, sizeof *sp->cards))) {
		mr_err_nomem(&err);
		goto fail;
	}
	struct mr_snap_period *theirs = NULL;
	pthread_mutex_lock(&w->mu);
	for (size_t i = 0; i < s->nper && !theirs; i++)
		if (strcmp(s->per[i]->label, p->label) == 0)
			theirs = s->per[i];
	/* only cycles are kept: any other period anyone asks for would fill
	 * the slots the team's cycles need */
	if (!theirs && sp->a.state && s->nper < MR_SNAP_PERIODS) {
		s->per[s->nper++] = sp;
		theirs = sp;
	}
	pthread_mutex_unlock(&w->mu);
	if (theirs != sp) {
		if (theirs) {
			mr_snap_period_free(sp);
			return theirs;
		}
		/* not a cycle, or full: this request keeps its own until it ends
		 * (what it borrowed before must stay valid) */
		sp->next_own = c->own;
		c->own = sp;
	}
	return sp;
fail:
	mr_snap_period_free(sp);
	mr_web_err(c, &err);
	mr_err_clear(&err);
	return NULL;
}

int mr_web_plan_check(mr_ctx *c, mr_err *err)
{
	char *yaml = NULL;
	int rc = mr_store_plan_get(c->s, &yaml, err);
	if (!rc && (!c->snap->plan_yaml || strcmp(yaml, c->snap->plan_yaml) != 0))
		rc = mr_err_set(err, MR_EEXISTS, "the plan changed a moment ago; reload and try "
		                "again");
	free(yaml);
	return rc;
}

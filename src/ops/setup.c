/* setup.c — setting up, from either door: the staff list and the
 * ownership rules and the uptime probes.  `merit staff`, `merit own`,
 * `merit probe` and the browser's admin screens make the same checks, with
 * the same words, and only the names of the fields differ (a flag, "--to",
 * or a form's field, "to").
 */
#include "ops/ops.h"

#include <stdio.h>
#include <string.h>

#include "ingest/attrib.h"
#include "ingest/probe.h"
#include "ingest/source.h"
#include "util/buf.h"
#include "util/text.h"

enum { F_NAME, F_POSITION, F_REVIEWER, F_BONUS, F_FROM, F_TO };

/* The field as the door calls it. */
static const char *fld(const mr_staff_change *ch, int f)
{
	static const char *const flag[] = { "--name", "--position", "--reviewer", "--base-bonus",
	                                    "--from", "--to" };
	static const char *const form[] = { "field \"name\"", "field \"position\"",
	                                    "field \"reviewer\"", "field \"base_bonus\"",
	                                    "field \"from\"", "field \"to\"" };
	return ch->web ? form[f] : flag[f];
}

static int order_bad(const mr_staff_change *ch, int from, int to, mr_err *err)
{
	if (from != MR_DAY_MIN && to != MR_DAY_MAX && to < from)
		return mr_err_set(err, MR_EINVALID, "%s is before %s", fld(ch, F_TO), fld(ch, F_FROM));
	return 0;
}

int mr_op_staff_check(const mr_staff_change *ch, mr_err *err)
{
	const mr_staff *st = &ch->st;
	if (ch->create && mr_text_login_check(st->login, "login", err))
		return MR_EINVALID;
	if (st->reviewer && ch->set_position)
		return mr_err_set(err, MR_EINVALID, "%s and %s: a reviewer has no position",
		                  fld(ch, F_REVIEWER), fld(ch, F_POSITION));
	if (st->reviewer && st->has_base_bonus)
		return mr_err_set(err, MR_EINVALID, "%s and %s: a reviewer is never paid a bonus",
		                  fld(ch, F_REVIEWER), fld(ch, F_BONUS));
	if (ch->create && (!st->name || (!st->position && !st->reviewer)))
		return mr_err_set(err, MR_EINVALID, "add needs %s and %s%s (or %s)", fld(ch, F_NAME),
		                  fld(ch, F_POSITION), ch->web ? "" : " KEY", fld(ch, F_REVIEWER));
	if (ch->set_name && !*st->name)
		return mr_err_set(err, MR_EINVALID, "%s is empty", fld(ch, F_NAME));
	return order_bad(ch, st->from, st->to, err);
}

static int position_check(const mr_plan *plan, const mr_staff_change *ch, mr_err *err)
{
	if (!plan)
		return mr_err_set(err, MR_EINVALID, "there is no plan yet, so no positions: "
		                  "import a plan first");
	if (mr_plan_position(plan, ch->st.position))
		return 0;
	mr_buf b;
	mr_buf_init(&b);
	for (size_t i = 0; i < plan->npositions; i++)
		mr_buf_printf(&b, " %s", plan->positions[i].key);
	int rc = mr_buf_oom(&b) ? mr_err_nomem(err)
	                        : mr_err_set(err, MR_EINVALID, "%s \"%s\": the plan has no such "
	                                     "position; it has:%s", fld(ch, F_POSITION),
	                                     ch->st.position, b.len ? b.data : " none");
	mr_buf_release(&b);
	return rc;
}

/* The person as they are, with what the change gives. */
static int staff_merge(mr_store *s, mr_staff_change *ch, const mr_staff *cur, mr_staff *merged,
                       mr_err *err)
{
	const mr_staff *st = &ch->st;
	int rc;
	*merged = *cur;
	if (ch->set_name) merged->name = st->name;
	if (ch->set_position) {            /* a position makes a reviewer a person scored */
		merged->position = st->position;
		merged->reviewer = 0;
	}
	if (st->reviewer && !cur->reviewer) {
		/* a reviewer is never scored: their ratings would silently stop
		 * counting in a cycle still running */
		char *open = NULL;
		if ((rc = mr_store_rated_open(s, cur->login, &open, err)))
			return rc;
		if (open) {
			rc = mr_err_set(err, MR_EINVALID, "%s is rated in cycle %s, which is not closed: "
			                "close it first, or keep them a scored person", cur->login, open);
			free(open);
			return rc;
		}
		merged->has_base_bonus = 0;        /* a reviewer is never paid */
		ch->bonus_dropped = cur->has_base_bonus;
	}
	if (st->reviewer) {
		merged->reviewer = 1;
		merged->position = NULL;
	}
	if (ch->set_manager) merged->manager = st->manager;
	if (ch->set_from) merged->from = st->from;
	if (ch->set_to) merged->to = st->to;
	if (ch->set_bonus) {
		merged->has_base_bonus = st->has_base_bonus;
		merged->base_bonus_cents = st->base_bonus_cents;
	}
	if ((rc = order_bad(ch, merged->from, merged->to, err)))
		return rc;
	if (merged->reviewer && merged->has_base_bonus)
		return mr_err_set(err, MR_EINVALID, "%s is a reviewer: a reviewer is never paid a "
		                  "bonus, so has no base bonus", merged->login);
	return 0;
}

int mr_op_staff(mr_store *s, const mr_plan *plan, mr_staff_change *ch, mr_err *err)
{
	mr_staff cur, merged;
	int rc;
	ch->bonus_dropped = 0;
	if ((rc = mr_op_staff_check(ch, err)) ||
	    (ch->set_position && (rc = position_check(plan, ch, err))))
		return rc;
	if (ch->create)
		return mr_store_staff_put(s, &ch->st, 1, err);
	if ((rc = mr_store_staff_get(s, ch->st.login, &cur, err)))
		return rc;
	if (!(rc = staff_merge(s, ch, &cur, &merged, err)))
		rc = mr_store_staff_put(s, &merged, 0, err);
	mr_staff_release(&cur);
	return rc;
}

json_t *mr_op_staff_json(const mr_staff *p)
{
	char from[11], to[11];
	if (p->from != MR_DAY_MIN) mr_day_format(from, p->from);
	if (p->to != MR_DAY_MAX) mr_day_format(to, p->to);
	return json_pack("{ss ss so sb so so so so}", "login", p->login, "name", p->name,
	                 "position", p->position ? json_string(p->position) : json_null(),
	                 "reviewer", p->reviewer,
	                 "manager", p->manager ? json_string(p->manager) : json_null(),
	                 "from", p->from != MR_DAY_MIN ? json_string(from) : json_null(),
	                 "to", p->to != MR_DAY_MAX ? json_string(to) : json_null(),
	                 "base_bonus_cents", p->has_base_bonus ? json_integer(p->base_bonus_cents)
	                                                       : json_null());
}

int mr_op_own_check(const char *kind, const char *value, mr_err *err)
{
	if (!kind || mr_attrib_kind(kind) < 0)
		return mr_err_set(err, MR_EINVALID, "\"%s\" is not a kind of rule: channel, campaign, "
		                  "referrer, url, author, keyword, site or tracker", kind ? kind : "");
	size_t n = value ? strlen(value) : 0;
	while (n && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	while (n && (*value == ' ' || *value == '\t'))
		value++, n--;
	if (!n)
		return mr_err_set(err, MR_EINVALID, "the %s is empty", kind);
	return 0;
}

int mr_op_own(mr_store *s, const char *kind, const char *value, const char *login,
              mr_err *err)
{
	int rc = mr_op_own_check(kind, value, err);
	if (rc)
		return rc;
	return login ? mr_store_own_put(s, kind, value, login, mr_attrib_same, err)
	             : mr_store_own_rm(s, kind, value, mr_attrib_same, err);
}

/* ---- uptime probes ---- */

#define MIN_EVERY_MS 1000
#define MAX_EVERY_MS (24LL * 3600000)
#define MIN_TIMEOUT_MS 100
#define MAX_TIMEOUT_MS 600000

int mr_op_probe_check(const mr_probe_new *pn, mr_err *err)
{
	char e[32], t[32];
	const char *every = pn->web ? "field \"every\"" : "--every";
	const char *timeout = pn->web ? "field \"timeout\"" : "--timeout";
	mr_probe_duration_format(e, pn->every_ms);
	mr_probe_duration_format(t, pn->timeout_ms);
	if (pn->every_ms < MIN_EVERY_MS || pn->every_ms > MAX_EVERY_MS)
		return mr_err_set(err, MR_EINVALID, "%s %s: say 1s to 24h", every, e);
	if (pn->timeout_ms < MIN_TIMEOUT_MS || pn->timeout_ms > MAX_TIMEOUT_MS)
		return mr_err_set(err, MR_EINVALID, "%s %s: say 100ms to 10m", timeout, t);
	if (pn->timeout_ms > pn->every_ms)
		return mr_err_set(err, MR_EINVALID, "%s %s is longer than %s %s", timeout, t, every, e);
	if (pn->who && !*pn->who)
		return mr_err_set(err, MR_EINVALID, "%s is empty", pn->web ? "field \"login\""
		                                                            : "--who");
	return 0;
}

int mr_op_probe_plan(const mr_plan *plan, int web, mr_err *err)
{
	const mr_indicator *ind = plan ? mr_plan_indicator(plan, "uptime") : NULL;
	if (!ind)
		return mr_err_set(err, MR_EINVALID, "indicator uptime is not in the plan, and probe "
		                  "checks count toward it (add it %s)",
		                  web ? "to the plan on the Plan page" : "with `merit plan import`");
	if (ind->aggregate != MR_AGG_RATIO)
		return mr_err_set(err, MR_EINVALID, "indicator uptime must be a ratio (aggregate: "
		                  "ratio): each check counts 1 of 1 when up, 0 of 1 when down");
	return 0;
}

/* The login the probe counts toward: who, or the owner of the most
 * specific `site` rule covering the URL (they must agree). */
static int probe_owner(mr_store *s, mr_probe_new *pn, mr_err *err)
{
	mr_rule_row *rules = NULL;
	size_t n = 0, best = 0;
	const mr_rule_row *site = NULL;
	const char *who_f = pn->web ? "field \"login\"" : "--who";
	int rc = mr_store_own_list(s, &rules, &n, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)   /* the most specific rule wins */
		if (strcmp(rules[i].kind, "site") == 0 && strlen(rules[i].value) > best &&
		    mr_probe_site_matches(pn->url, rules[i].value)) {
			site = &rules[i];
			best = strlen(rules[i].value);
		}
	const char *rule = pn->web ? "site ownership rule" : "`merit own site` rule";
	if (!pn->who && !site)
		rc = mr_err_set(err, MR_EINVALID, "%s is required: no %s covers %s",
		                pn->web ? "field \"login\"" : "--who LOGIN", rule, pn->url);
	else if (pn->who && site && strcmp(pn->who, site->login) != 0)
		rc = mr_err_set(err, MR_EINVALID, "%s %s: site \"%s\" belongs to %s by a %s; leave "
		                "out %s, or change the rule", who_f, pn->who, site->value, site->login,
		                rule, pn->web ? "the login" : "--who");
	else if (!(pn->login = strdup(pn->who ? pn->who : site->login)))
		rc = mr_err_nomem(err);
	mr_rule_rows_free(rules, n);
	return rc;
}

int mr_op_probe_add(mr_store *s, const mr_plan *plan, mr_probe_new *pn, mr_err *err)
{
	mr_probe p;
	int rc;
	free(pn->login);
	pn->login = NULL;
	if ((rc = mr_op_probe_check(pn, err)) || (rc = mr_probe_url_check(pn->url, err)) ||
	    (rc = mr_op_probe_plan(plan, pn->web, err)) || (rc = probe_owner(s, pn, err)))
		return rc;
	memset(&p, 0, sizeof p);
	p.url = (char *)pn->url;
	p.login = pn->login;
	p.every_ms = pn->every_ms;
	p.timeout_ms = pn->timeout_ms;
	return mr_store_probe_add(s, &pn->id, &p, err);
}

/* ---- saved sources ---- */

int mr_op_source_add(mr_store *s, const mr_source *src, mr_err *err)
{
	char *options = mr_source_options_json(src);
	if (!options)
		return mr_err_nomem(err);
	int rc = mr_store_source_add(s, src->name, src->kind, options, err);
	free(options);
	return rc;
}

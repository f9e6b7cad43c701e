/* notify.c — what merit tells whom: the notices of a cycle's moves and
 * of the periodic pass, written to the outbox in each channel's language.
 * Delivery is notify_send.c's.
 */
#include "ops/notify.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "report/appraise.h"
#include "util/buf.h"
#include "util/num.h"

/* What they mean: `merit notify --help` (cli/main.c) and merit(1). */
const mr_notify_setting_def mr_notify_settings[] = {
	{ "base_url", "http://127.0.0.1:8080" },
	{ "smtp_url", NULL },
	{ "smtp_from", NULL },
	{ "smtp_user", NULL },        /* the password: $MERIT_SMTP_PASSWORD, never stored */
	{ "smtp_cafile", NULL },
	{ "review_days", "7" },
	{ "stale_days", "7" },
	{ "evidence_days", "3" },
	{ "retry_seconds", "60" },
	{ "attempts", "8" },
	{ NULL, NULL },
};

const mr_notify_setting_def *mr_notify_setting_find(const char *key)
{
	for (const mr_notify_setting_def *d = mr_notify_settings; d->key; d++)
		if (strcmp(d->key, key) == 0)
			return d;
	return NULL;
}

static int whole(const char *v, long lo, long hi, long *out)
{
	char *end;
	long x = strtol(v, &end, 10);
	if (!*v || *end || x < lo || x > hi)
		return -1;
	if (out)
		*out = x;
	return 0;
}

static int is_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

int mr_notify_setting_check(const char *key, const char *value, mr_err *err)
{
	if (!mr_notify_setting_find(key))
		return mr_err_set(err, MR_EINVALID, "no notice setting \"%s\" (see `merit notify "
		                  "--help`)", key);
	if (!value)
		return 0;
	for (const char *v = value; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return mr_err_set(err, MR_EINVALID, "%s: a control character is not allowed", key);
	if ((strcmp(key, "review_days") == 0 && whole(value, 0, 365, NULL)) ||
	    (strcmp(key, "stale_days") == 0 && whole(value, 1, 365, NULL)) ||
	    (strcmp(key, "evidence_days") == 0 && whole(value, 1, 365, NULL)) ||
	    (strcmp(key, "retry_seconds") == 0 && whole(value, 1, 86400, NULL)) ||
	    (strcmp(key, "attempts") == 0 && whole(value, 1, 100, NULL)))
		return mr_err_set(err, MR_EINVALID, "%s \"%s\": a whole number in range", key, value);
	if (strcmp(key, "smtp_url") == 0 && !is_prefix(value, "smtp://") &&
	    !is_prefix(value, "smtps://"))
		return mr_err_set(err, MR_EINVALID, "smtp_url \"%s\": say smtp://HOST:PORT or "
		                  "smtps://HOST:PORT", value);
	if (strcmp(key, "base_url") == 0 && !is_prefix(value, "http://") &&
	    !is_prefix(value, "https://"))
		return mr_err_set(err, MR_EINVALID, "base_url \"%s\": an http:// or https:// URL",
		                  value);
	return 0;
}

int mr_notify_describe(mr_store *s, json_t **out, mr_err *err)
{
	mr_notify_channel *ch = NULL;
	size_t n = 0;
	json_t *arr = json_array(), *set = json_object();
	int rc = mr_store_notify_list(s, &ch, &n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		const mr_notify_channel *c = &ch[i];
		if (json_array_append_new(arr, json_pack("{sIsssssbss?ss?ss}", "id", (json_int_t)c->id,
		                          "kind", c->kind, "target", c->target, "secret",
		                          c->secret != NULL, "who", c->login, "lang", c->lang,
		                          "created_at", c->created_at)))
			rc = mr_err_nomem(err);
	}
	for (const mr_notify_setting_def *d = mr_notify_settings; !rc && d->key; d++) {
		char *v = NULL;
		if (!(rc = mr_store_notify_setting(s, d->key, &v, err)) && (v || d->def) &&
		    json_object_set_new(set, d->key, json_string(v ? v : d->def)))
			rc = mr_err_nomem(err);
		free(v);
	}
	mr_notify_channel_list_free(ch, n);
	*out = rc ? NULL : json_pack("{sOsO}", "channels", arr, "settings", set);
	if (!rc && !*out)
		rc = mr_err_nomem(err);
	json_decref(arr);
	json_decref(set);
	return rc;
}

int mr_notify_settings_put(mr_store *s, const char *const *keys, const char *const *values,
                           size_t n, mr_err *err)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++)
		rc = mr_notify_setting_check(keys[i], values[i], err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = mr_store_notify_set(s, keys[i], values[i], err);
	return rc;
}

int mr_notify_channel_check(const mr_notify_channel *c, mr_err *err)
{
	int email = strcmp(c->kind, "email") == 0;
	if (!email && strcmp(c->kind, "wecom") && strcmp(c->kind, "dingtalk") &&
	    strcmp(c->kind, "feishu"))
		return mr_err_set(err, MR_EINVALID, "\"%s\": say email, wecom, dingtalk or feishu",
		                  c->kind);
	if (email && (!strchr(c->target, '@') || strpbrk(c->target, " <>\r\n,;")))
		return mr_err_set(err, MR_EINVALID, "\"%s\" is not an e-mail address", c->target);
	if (!email && !is_prefix(c->target, "https://") && !is_prefix(c->target, "http://"))
		return mr_err_set(err, MR_EINVALID, "%s: the target is the bot's webhook URL "
		                  "(https://…), not \"%s\"", c->kind, c->target);
	if (!email && strpbrk(c->target, " \r\n"))
		return mr_err_set(err, MR_EINVALID, "the webhook URL \"%s\" holds a space", c->target);
	if (c->secret && strcmp(c->kind, "dingtalk") && strcmp(c->kind, "feishu"))
		return mr_err_set(err, MR_EINVALID, "--secret goes with dingtalk and feishu (their "
		                  "signature check)");
	if (c->login && !email)
		return mr_err_set(err, MR_EINVALID, "--who goes with email: a group channel is the "
		                  "team's");
	if (c->lang && mr_locale_parse(c->lang) < 0)
		return mr_err_set(err, MR_EINVALID, "--lang \"%s\": say en or zh-CN", c->lang);
	return 0;
}

int mr_notify_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return mr_day_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* ---- the words ---- */

typedef struct notice {
	const char *key;               /* which event */
	const char *login;             /* a person's: their address only (neither login
	                                  nor cycle: the team's, to groups and addresses
	                                  without --who) */
	int cycle;                     /* a cycle's move: every channel */
	char *subject[2], *body[2];    /* per language: en, zh-CN */
	char *group[2];                /* a group's body (no numbers); NULL: body */
	const char *path;              /* the web app's place it links to */
} notice;

static void notice_release(notice *n)
{
	for (int i = 0; i < 2; i++) {
		free(n->subject[i]);
		free(n->body[i]);
		free(n->group[i]);
	}
}

static char *fmt(const char *f, ...) MR_PRINTF(1, 2);
static char *fmt(const char *f, ...)
{
	mr_buf b;
	va_list ap;
	mr_buf_init(&b);
	va_start(ap, f);
	mr_buf_vprintf(&b, f, ap);
	va_end(ap);
	if (mr_buf_oom(&b)) {
		mr_buf_release(&b);
		return NULL;
	}
	return mr_buf_detach(&b);
}

static int notice_ok(const notice *n)
{
	return n->subject[0] && n->subject[1] && n->body[0] && n->body[1];
}

/* Write n to every channel it is for, in the channel's language, with
 * the link. */
static int notice_queue(mr_store *s, const mr_plan *plan, const notice *n, int *queued,
                        mr_err *err)
{
	mr_notify_channel *ch = NULL;
	size_t nch = 0;
	char *base = NULL;
	int rc;
	if (!notice_ok(n))
		return mr_err_nomem(err);
	if ((rc = mr_store_notify_list(s, &ch, &nch, err)) ||
	    (rc = mr_store_notify_setting(s, "base_url", &base, err)))
		goto done;
	const char *url = base ? base : mr_notify_setting_find("base_url")->def;
	size_t ul = strlen(url);
	while (ul && url[ul - 1] == '/')
		ul--;
	for (size_t i = 0; !rc && i < nch; i++) {
		const mr_notify_channel *c = &ch[i];
		int group = strcmp(c->kind, "email") != 0;
		int lang = c->lang ? mr_locale_parse(c->lang) : (int)plan->locale;
		int zh = lang == MR_LOCALE_ZH_CN;
		if (n->login ? !c->login || strcmp(c->login, n->login) != 0
		             : !n->cycle && c->login)
			continue;
		const char *body = group && n->group[zh] ? n->group[zh] : n->body[zh];
		char *text = fmt("%s\n\n%s%.*s/#/%s\n", body, zh ? "查看：" : "See ",
		                 (int)ul, url, n->path);
		rc = text ? mr_store_outbox_put(s, c->id, n->key, n->subject[zh], text, queued, err)
		          : mr_err_nomem(err);
		free(text);
	}
done:
	free(base);
	mr_notify_channel_list_free(ch, nch);
	return rc;
}

/* What a cycle's move says, in English and Chinese (%s: the period). */
static const struct {
	const char *state, *path, *subject[2], *body[2];
} cycle_words[] = {
	{ "open", "dashboard",
	  { "merit: cycle %s is open", "merit：考核周期 %s 已开始" },
	  { "The appraisal cycle %s is open: its data counts from now on.",
	    "考核周期 %s 已开始，此后的数据计入本周期。" } },
	{ "review", "rate",
	  { "merit: cycle %s is in review", "merit：考核周期 %s 进入评议" },
	  { "The appraisal cycle %s is in review: please give your self, manager and peer "
	    "ratings.", "考核周期 %s 进入评议阶段，请完成自评、上级评价和同事评价。" } },
	{ "closed", "card",
	  { "merit: cycle %s is closed", "merit：考核周期 %s 已结束" },
	  { "The appraisal cycle %s is closed: its results are final. Please see and "
	    "acknowledge yours.", "考核周期 %s 已结束，结果已确定。请查看并确认你的结果。" } },
};

int mr_notify_cycle(mr_store *s, const mr_plan *plan, const mr_period *period,
                    const char *state, mr_err *err)
{
	const char *p = period->label;
	int64_t gen = 0;
	notice n;
	memset(&n, 0, sizeof n);
	/* the audit record of this move makes the key unique: a cycle
	 * reopened and closed again is told of again */
	int rc = mr_store_generation(s, &gen, err);
	if (rc)
		return rc;
	char key[96];
	snprintf(key, sizeof key, "cycle:%s:%s:%lld", p, state, (long long)gen);
	n.key = key;
	n.cycle = 1;
	size_t w = 0;
	while (w + 1 < sizeof cycle_words / sizeof cycle_words[0] &&
	       strcmp(cycle_words[w].state, state) != 0)
		w++;
	n.path = cycle_words[w].path;
	for (int zh = 0; zh < 2; zh++) {
		n.subject[zh] = fmt(cycle_words[w].subject[zh], p);
		n.body[zh] = fmt(cycle_words[w].body[zh], p);
	}
	rc = notice_queue(s, plan, &n, NULL, err);
	notice_release(&n);
	return rc;
}

int mr_notify_test(mr_store *s, const mr_plan *plan, int64_t id, mr_err *err)
{
	mr_notify_channel c;
	int64_t gen = 0;
	int rc = mr_store_notify_get(s, id, &c, err);
	if (rc)
		return rc;
	int zh = (c.lang ? mr_locale_parse(c.lang) : (int)plan->locale) == MR_LOCALE_ZH_CN;
	char key[64];
	if (!(rc = mr_store_generation(s, &gen, err))) {
		snprintf(key, sizeof key, "test:%lld", (long long)gen);
		rc = mr_store_outbox_put(s, id, key, zh ? "merit：测试通知" : "merit: a test notice",
		                         zh ? "这是 merit 的测试通知：这个渠道可以收到通知。\n" :
		                         "This is a test notice from merit: this channel works.\n",
		                         NULL, err);
	}
	if (!rc) {  /* the generation moves, so the next test is another notice */
		char object[40];
		snprintf(object, sizeof object, "notify channel %lld", (long long)id);
		rc = mr_store_audit(s, "notify test", object, NULL, key, err);
	}
	mr_notify_channel_release(&c);
	return rc;
}

/* The day of a stored timestamp (2026-11-03T…) into *day and d: 0, or
 * -1 when it has none. */
static int stamp_day(const char *at, char d[11], int *day)
{
	if (!at || strlen(at) < 10)
		return -1;
	memcpy(d, at, 10);
	d[10] = 0;
	return mr_day_parse(day, d) ? -1 : 0;
}

/* ---- evidence waiting for approval ---- */

/* Tell the approver of evidence e (its submitter's manager) that it
 * waits: on their own address; when they have none (or the submitter
 * has no manager), on the team's channels, a group's message without the
 * value.  waited: 0 when just handed in, else the days it has waited (a
 * reminder, another key). */
static int evidence_notice(mr_store *s, const mr_plan *plan, const mr_evidence *e, int waited,
                           int *queued, mr_err *err)
{
	mr_staff who;
	mr_notify_channel *ch = NULL;
	size_t nch = 0;
	int rc = mr_store_staff_find(s, e->login, &who, err), own = 0;
	if (rc)
		return rc;
	const char *mgr = who.manager, *name = who.name ? who.name : e->login;
	if ((rc = mr_store_notify_list(s, &ch, &nch, err)))
		goto done;
	for (size_t i = 0; mgr && i < nch; i++)
		own |= ch[i].login && strcmp(ch[i].login, mgr) == 0;
	notice n;
	char key[96], day[11];
	memset(&n, 0, sizeof n);
	mr_day_format(day, e->day);
	if (waited)
		snprintf(key, sizeof key, "evidence-wait:%lld", (long long)e->id);
	else
		snprintf(key, sizeof key, "evidence:%lld", (long long)e->id);
	n.key = key;
	n.login = own ? mgr : NULL;
	n.path = "evidence";
	/* what was handed in, in each language */
	char *what[2];
	int post = strcmp(e->kind, "post") == 0, value = strcmp(e->kind, "value") == 0;
	char v[64];
	mr_num_format(v, e->value);
	if (post) {
		what[0] = fmt("a post on %s, %s", e->platform ? e->platform : "?", e->url);
		what[1] = fmt("%s 上的推广帖 %s", e->platform ? e->platform : "?", e->url);
	} else if (value) {
		what[0] = fmt("%s = %s", e->indicator, v);
		what[1] = fmt("%s = %s", e->indicator, v);
	} else {
		int design = strcmp(e->kind, "design") == 0;
		what[0] = fmt("%s \"%s\"", design ? "a design verdict," : "a topic,", e->title);
		what[1] = fmt("%s“%s”", design ? "设计评审结果：" : "选题：", e->title);
	}
	if (waited) {
		n.subject[0] = fmt("merit: evidence from %s has waited %d days for approval", name,
		                   waited);
		n.subject[1] = fmt("merit：%s 提交的工作证明已等待审批 %d 天", name, waited);
	} else {
		n.subject[0] = fmt("merit: evidence from %s waits for approval", name);
		n.subject[1] = fmt("merit：%s 提交了工作证明，等待审批", name);
	}
	n.body[0] = what[0] ? fmt("%s (%s) handed in evidence #%lld of %s for approval by %s: "
	                          "%s.", name, e->login, (long long)e->id, day,
	                          mgr ? mgr : "an admin", what[0]) : NULL;
	n.body[1] = what[1] ? fmt("%s（%s）提交了 %s 的工作证明 #%lld，待 %s 审批：%s。",
	                          name, e->login, day, (long long)e->id, mgr ? mgr : "管理员",
	                          what[1]) : NULL;
	/* a group hears that something waits, not what it counts */
	n.group[0] = fmt("Evidence #%lld from %s waits for approval.", (long long)e->id, name);
	n.group[1] = fmt("%s 提交的工作证明 #%lld 等待审批。", name, (long long)e->id);
	rc = n.group[0] && n.group[1] ? notice_queue(s, plan, &n, queued, err) : mr_err_nomem(err);
	free(what[0]);
	free(what[1]);
	notice_release(&n);
done:
	mr_notify_channel_list_free(ch, nch);
	mr_staff_release(&who);
	return rc;
}

int mr_notify_evidence(mr_store *s, const mr_plan *plan, int64_t id, mr_err *err)
{
	mr_evidence e;
	int rc = mr_store_evidence_get(s, id, &e, err);
	if (rc)
		return rc;
	rc = evidence_notice(s, plan, &e, 0, NULL, err);
	mr_evidence_release(&e);
	return rc;
}

/* Evidence pending for evidence_days or more: one reminder each. */
static int evidence_waiting(mr_store *s, const mr_plan *plan, int today, long days,
                            int *queued, mr_err *err)
{
	mr_evidence *list = NULL;
	size_t n = 0;
	int rc = mr_store_evidence_list(s, "pending", &list, &n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		char d[11];
		int day;
		if (stamp_day(list[i].submitted_at, d, &day) || today - day < days)
			continue;
		rc = evidence_notice(s, plan, &list[i], today - day, queued, err);
	}
	mr_evidence_list_free(list, n);
	return rc;
}

/* ---- the periodic pass ---- */

int mr_notify_setting_num(mr_store *s, const char *key, long *out, mr_err *err)
{
	char *v = NULL;
	int rc = mr_store_notify_setting(s, key, &v, err);
	if (!rc && whole(v ? v : mr_notify_setting_find(key)->def, 0, 1000000, out))
		rc = mr_err_set(err, MR_EINVALID, "the notice setting %s \"%s\" is not a whole "
		                "number", key, v);
	free(v);
	return rc;
}

/* Who owes which ratings in the cycle: self (the person), manager (their
 * manager on record).  Peers and upward raters are told in the team's
 * reminder. */
static int due_people(mr_store *s, const mr_plan *plan, const mr_period *p, int left,
                      char deadline[11], int *queued, mr_err *err)
{
	mr_appraisal a;
	mr_staff *staff = NULL;
	size_t nstaff = 0;
	int rc = mr_appraise(&a, s, plan, p, 0, err), owed = 0;
	if (rc)
		return rc;
	if ((rc = mr_store_staff_list(s, &staff, &nstaff, err)))
		goto done;
	const mr_result *res = a.result;
	/* one notice per rater, listing whom they still rate */
	for (size_t r = 0; !rc && r < nstaff; r++) {
		const char *rater = staff[r].login;
		mr_buf en, zh;
		int any = 0;
		mr_buf_init(&en);
		mr_buf_init(&zh);
		for (size_t i = 0; i < res->npeople; i++) {
			const mr_scorecard *sc = &res->people[i];
			const char *mgr = NULL;
			for (size_t k = 0; k < nstaff; k++)
				if (strcmp(staff[k].login, sc->login) == 0)
					mgr = staff[k].manager;
			if (res->weighs[MR_COMP_SELF] && !sc->has[MR_COMP_SELF] &&
			    strcmp(sc->login, rater) == 0) {
				mr_buf_puts(&en, "\n- yourself (self rating)");
				mr_buf_puts(&zh, "\n- 自评");
				any = 1;
			}
			if (res->weighs[MR_COMP_MANAGER] && !sc->has[MR_COMP_MANAGER] && mgr &&
			    strcmp(mgr, rater) == 0) {
				mr_buf_printf(&en, "\n- %s (%s), as their manager", sc->name, sc->login);
				mr_buf_printf(&zh, "\n- %s（%s），上级评价", sc->name, sc->login);
				any = 1;
			}
		}
		if (any) {
			notice n;
			char key[128];
			memset(&n, 0, sizeof n);
			owed++;
			snprintf(key, sizeof key, "due%d:%s:%s", left <= 1 ? 1 : 3, p->label, rater);
			n.key = key;
			n.login = rater;
			n.path = "rate";
			n.subject[0] = fmt("merit: ratings due in %d day%s (%s)", left, left == 1 ? "" :
			                   "s", p->label);
			n.subject[1] = fmt("merit：还有 %d 天截止评分（%s）", left, p->label);
			n.body[0] = mr_buf_oom(&en) ? NULL : fmt("You still owe these ratings for %s, "
			                                         "due %s:%s", p->label, deadline, en.data);
			n.body[1] = mr_buf_oom(&zh) ? NULL : fmt("你在 %s 还有以下评分未完成，截止 %s：%s",
			                                         p->label, deadline, zh.data);
			rc = notice_queue(s, plan, &n, queued, err);
			notice_release(&n);
		}
		mr_buf_release(&en);
		mr_buf_release(&zh);
	}
	if (!rc && owed) {
		notice n;
		char key[96];
		memset(&n, 0, sizeof n);
		snprintf(key, sizeof key, "due%d:%s", left <= 1 ? 1 : 3, p->label);
		n.key = key;
		n.path = "rate";
		n.subject[0] = fmt("merit: ratings due in %d day%s (%s)", left, left == 1 ? "" : "s",
		                   p->label);
		n.subject[1] = fmt("merit：还有 %d 天截止评分（%s）", left, p->label);
		n.body[0] = fmt("%d %s still owe ratings for %s, due %s.", owed, owed == 1 ?
		                "person" : "people", p->label, deadline);
		n.body[1] = fmt("%s 还有 %d 人未完成评分，截止 %s。", p->label, owed, deadline);
		rc = notice_queue(s, plan, &n, queued, err);
		notice_release(&n);
	}
done:
	mr_staff_list_free(staff, nstaff);
	mr_appraisal_release(&a);
	return rc;
}

/* A team indicator summed over the cycle, higher better, that has
 * reached less than its target pro-rated to the days gone: from the
 * cycle's middle day on. */
static int at_risk(mr_store *s, const mr_plan *plan, const mr_period *p, int today,
                   int *queued, mr_err *err)
{
	int days = mr_period_days(p), gone = today - p->first + 1;
	if (gone * 2 < days || gone >= days)
		return 0;
	mr_appraisal a;
	int rc = mr_appraise(&a, s, plan, p, 0, err);
	if (rc)
		return rc;
	const mr_result *res = a.result;
	for (size_t i = 0; !rc && i < res->nteam; i++) {
		const mr_ind_score *t = &res->team[i];
		const mr_indicator *ind = mr_plan_indicator(plan, t->key);
		if (!ind || ind->aggregate != MR_AGG_SUM || ind->direction != MR_DIR_HIGHER ||
		    !t->has_target || t->target <= 0)
			continue;
		double actual = t->has_actual ? t->actual : 0, due = t->target * gone / days;
		if (actual >= due)
			continue;
		notice n;
		char key[160], a1[64], a2[64], a3[64];
		memset(&n, 0, sizeof n);
		snprintf(key, sizeof key, "risk:%s:%s", p->label, t->key);
		mr_num_format(a1, actual);
		mr_num_format(a2, mr_round2(due));
		mr_num_format(a3, t->target);
		n.key = key;
		n.path = "dashboard";
		n.subject[0] = fmt("merit: %s is behind its target (%s)", t->name, p->label);
		n.subject[1] = fmt("merit：%s 落后于目标（%s）", t->name, p->label);
		n.body[0] = fmt("The team's %s is %s after %d of %d days of %s: below the %s its "
		                "target of %s asks by now.", t->name, a1, gone, days, p->label, a2, a3);
		n.body[1] = fmt("团队指标 %s 在 %s 的 %d 天中已过 %d 天，目前为 %s，低于按进度应达到的 "
		                "%s（目标 %s）。", t->name, p->label, days, gone, a1, a2, a3);
		n.group[0] = fmt("The team's %s is behind its pro-rated target for %s.", t->name,
		                 p->label);
		n.group[1] = fmt("团队指标 %s 落后于 %s 按进度应达到的目标。", t->name, p->label);
		rc = n.group[0] && n.group[1] ? notice_queue(s, plan, &n, queued, err)
		                              : mr_err_nomem(err);
		notice_release(&n);
	}
	mr_appraisal_release(&a);
	return rc;
}

/* Sources whose latest import is stale_days old or older (hand-typed
 * values are no source that goes stale). */
static int stale_sources(mr_store *s, const mr_plan *plan, int today, long stale, int *queued,
                         mr_err *err)
{
	mr_batch *b = NULL;
	size_t n = 0;
	int rc = mr_store_batch_list(s, &b, &n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		size_t j = 0, latest = i;
		while (j < i && strcmp(b[j].source, b[i].source) != 0)
			j++;
		if (j < i || strcmp(b[i].source, "manual") == 0)
			continue;                 /* told with its first batch */
		for (j = i + 1; j < n; j++)
			if (strcmp(b[j].source, b[i].source) == 0 &&
			    strcmp(b[j].created_at, b[latest].created_at) > 0)
				latest = j;
		int day;
		char d[11];
		if (stamp_day(b[latest].created_at, d, &day) || today - day < stale)
			continue;
		notice x;
		char key[160];
		memset(&x, 0, sizeof x);
		snprintf(key, sizeof key, "stale:%s:%lld", b[i].source, (long long)b[latest].id);
		x.key = key;
		x.path = "data";
		x.subject[0] = fmt("merit: no %s data for %d days", b[i].source, today - day);
		x.subject[1] = fmt("merit：%s 数据已 %d 天未更新", b[i].source, today - day);
		x.body[0] = fmt("Nothing has been imported from %s since %s (%d days): the "
		                "scorecards that use it may be out of date.", b[i].source, d,
		                today - day);
		x.body[1] = fmt("自 %s 起（%d 天）没有导入 %s 数据，使用它的考核结果可能已过时。", d,
		                today - day, b[i].source);
		rc = notice_queue(s, plan, &x, queued, err);
		notice_release(&x);
	}
	mr_batch_list_free(b, n);
	return rc;
}

int mr_notify_pass(mr_store *s, const mr_plan *plan, int today, int *queued, mr_err *err)
{
	mr_cycle *cy = NULL;
	size_t n = 0;
	long review_days = 0, stale = 0, ev_days = 0;
	int rc;
	if ((rc = mr_notify_setting_num(s, "review_days", &review_days, err)) ||
	    (rc = mr_notify_setting_num(s, "evidence_days", &ev_days, err)) ||
	    (rc = mr_notify_setting_num(s, "stale_days", &stale, err)) ||
	    (rc = mr_store_cycle_list(s, &cy, &n, err)))
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		mr_period p;
		if (strcmp(cy[i].state, "closed") == 0 || mr_period_parse(&p, cy[i].period, NULL))
			continue;
		int deadline = cy[i].last + (int)review_days, left = deadline - today;
		char d[11];
		mr_day_format(d, deadline);
		if (left >= 1 && left <= 3)
			rc = due_people(s, plan, &p, left, d, queued, err);
		if (!rc && strcmp(cy[i].state, "open") == 0)
			rc = at_risk(s, plan, &p, today, queued, err);
	}
	if (!rc)
		rc = stale_sources(s, plan, today, stale, queued, err);
	if (!rc)
		rc = evidence_waiting(s, plan, today, ev_days, queued, err);
	mr_cycle_list_free(cy, n);
	return rc;
}

/* router.c — the one table of routes, and what every request goes
 * through on its way to a handler: the route, the session, the CSRF
 * token, the role; then the answer helpers the handlers share.
 *
 * A handler never sees a request it may not serve by role; whether the
 * user may see a particular person is the handler's to ask (authz.c),
 * and a "no" is the same 404 as a person who does not exist.
 */
#include "web/web_int.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/text.h"
#include "util/utf8.h"
#include "util/version.h"

enum access { PUBLIC, USER, ADMIN };

/* The last column, for a POST, PUT or DELETE: CHANGES the appraisal's
 * data (the cached snapshot is dropped when it succeeds), or KEEPs it
 * (sessions, passwords). */
enum { CHANGES = 0, KEEP = 1 };

static const struct route {
	const char *method, *path;
	int prefix;                  /* path is a prefix; the rest is c->tail (a '*' in the
	                                path: one segment there, e.g. an id, is c->tail) */
	enum access access;
	mr_handler fn;
	int keep;
} routes[] = {
	{ "POST",   "/api/login",        0, PUBLIC, mr_h_login, KEEP },
	{ "POST",   "/api/logout",       0, USER,   mr_h_logout, KEEP },
	{ "GET",    "/api/me",           0, USER,   mr_h_me, 0 },
	{ "POST",   "/api/me/password",  0, USER,   mr_h_password, KEEP },
	{ "GET",    "/api/cycles",       0, USER,   mr_h_cycles, 0 },
	{ "POST",   "/api/cycles",       0, ADMIN,  mr_h_cycle_move, CHANGES },
	{ "GET",    "/api/people",       0, USER,   mr_h_people, 0 },
	{ "GET",    "/api/dashboard",    0, USER,   mr_h_dashboard, 0 },
	{ "GET",    "/api/scorecard",    0, USER,   mr_h_scorecard, 0 },
	{ "GET",    "/api/ratings",      0, USER,   mr_h_ratings, 0 },
	{ "POST",   "/api/ratings",      0, USER,   mr_h_rate, CHANGES },
	{ "GET",    "/api/peers",        0, USER,   mr_h_peers, 0 },
	{ "PUT",    "/api/peers",        0, USER,   mr_h_peers_put, CHANGES },
	{ "POST",   "/api/calibrations", 0, ADMIN,  mr_h_calibrate, CHANGES },
	{ "GET",    "/api/acknowledgements", 0, USER, mr_h_acks, 0 },
	{ "POST",   "/api/acknowledgements", 0, USER, mr_h_acknowledge, CHANGES },
	{ "GET",    "/api/readiness",    0, ADMIN,  mr_h_readiness, 0 },
	{ "GET",    "/api/batches",      0, USER,   mr_h_batches, 0 },
	{ "GET",    "/api/batches/",     1, USER,   mr_h_batch, 0 },
	{ "DELETE", "/api/batches/",     1, ADMIN,  mr_h_batch_rm, CHANGES },
	{ "POST",   "/api/import",       0, ADMIN,  mr_h_import, CHANGES },
	{ "POST",   "/api/import/preview", 0, ADMIN, mr_h_import_preview, KEEP },
	{ "GET",    "/api/import/template", 0, ADMIN, mr_h_import_template, 0 },
	{ "GET",    "/api/sources",      0, ADMIN,  mr_h_sources, 0 },
	{ "POST",   "/api/sources",      0, ADMIN,  mr_h_source_add, CHANGES },
	{ "DELETE", "/api/sources/",     1, ADMIN,  mr_h_source_rm, CHANGES },
	{ "POST",   "/api/ingest",       0, ADMIN,  mr_h_ingest, CHANGES },
	{ "POST",   "/api/record",       0, ADMIN,  mr_h_record, CHANGES },
	{ "GET",    "/api/plan",         0, USER,   mr_h_plan, 0 },
	{ "GET",    "/api/plan.yaml",    0, USER,   mr_h_plan_yaml, 0 },
	{ "PUT",    "/api/plan",         0, ADMIN,  mr_h_plan_put, CHANGES },
	{ "POST",   "/api/plan/check",   0, ADMIN,  mr_h_plan_check, KEEP },
	{ "POST",   "/api/plan/whatif",  0, ADMIN,  mr_h_plan_whatif, KEEP },
	{ "GET",    "/api/users",        0, ADMIN,  mr_h_users, 0 },
	{ "POST",   "/api/users",        0, ADMIN,  mr_h_user_add, CHANGES },
	{ "PUT",    "/api/users/",       1, ADMIN,  mr_h_user_put, CHANGES },
	{ "POST",   "/api/invites",      0, ADMIN,  mr_h_invite_add, CHANGES },
	{ "GET",    "/api/invite/",      1, PUBLIC, mr_h_invite, 0 },
	{ "POST",   "/api/invite/",      1, PUBLIC, mr_h_invite_use, KEEP },
	{ "GET",    "/api/staff",        0, ADMIN,  mr_h_staff, 0 },
	{ "POST",   "/api/staff",        0, ADMIN,  mr_h_staff_add, CHANGES },
	{ "PUT",    "/api/staff/",       1, ADMIN,  mr_h_staff_put, CHANGES },
	{ "POST",   "/api/staff/import", 0, ADMIN,  mr_h_staff_import, CHANGES },
	{ "GET",    "/api/ownership",    0, ADMIN,  mr_h_owners, 0 },
	{ "POST",   "/api/ownership",    0, ADMIN,  mr_h_owner_add, CHANGES },
	{ "DELETE", "/api/ownership",    0, ADMIN,  mr_h_owner_rm, CHANGES },
	{ "GET",    "/api/ownership/unassigned", 0, ADMIN, mr_h_unassigned, 0 },
	{ "GET",    "/api/probes",       0, ADMIN,  mr_h_probes, 0 },
	{ "POST",   "/api/probes",       0, ADMIN,  mr_h_probe_add, CHANGES },
	{ "DELETE", "/api/probes/",      1, ADMIN,  mr_h_probe_rm, CHANGES },
	{ "GET",    "/api/audit",        0, ADMIN,  mr_h_audit, 0 },
	{ "GET",    "/api/notify",       0, ADMIN,  mr_h_notify, 0 },
	{ "POST",   "/api/notify",       0, ADMIN,  mr_h_notify_add, CHANGES },
	{ "PUT",    "/api/notify",       0, ADMIN,  mr_h_notify_set, CHANGES },
	{ "DELETE", "/api/notify/",      1, ADMIN,  mr_h_notify_rm, CHANGES },
	{ "POST",   "/api/notify/test/", 1, ADMIN,  mr_h_notify_test, CHANGES },
	{ "GET",    "/api/report",       0, USER,   mr_h_report, 0 },
	{ "GET",    "/api/evidence",     0, USER,   mr_h_evidence, 0 },
	{ "POST",   "/api/evidence",     0, USER,   mr_h_evidence_add, CHANGES },
	{ "POST",   "/api/evidence/*/decision", 1, USER, mr_h_evidence_decide, CHANGES },
	{ "GET",    "/api/evidence/*/file", 1, USER, mr_h_evidence_file, 0 },
	{ "GET",    "/api/todo",         0, USER,   mr_h_todo, 0 },
	{ "GET",    "/api/surveys",      0, ADMIN,  mr_h_surveys, 0 },
	{ "POST",   "/api/surveys",      0, ADMIN,  mr_h_survey_add, CHANGES },
	{ "POST",   "/api/surveys/*/close", 1, ADMIN, mr_h_survey_close, CHANGES },
	{ "GET",    "/api/s/",           1, PUBLIC, mr_h_survey_public, 0 },
	{ "POST",   "/api/s/",           1, PUBLIC, mr_h_survey_reply, KEEP },
};

const char *const mr_web_headers[] = {
	"Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
	"form-action 'self'",
	"X-Content-Type-Options", "nosniff",
	"X-Frame-Options", "DENY",
	"Referrer-Policy", "no-referrer",
	"Cross-Origin-Opener-Policy", "same-origin",
	"Cross-Origin-Resource-Policy", "same-origin",
	"Permissions-Policy", "camera=(), microphone=(), geolocation=()",
	NULL,
};

void mr_web_resp_init(mr_resp *rs)
{
	memset(rs, 0, sizeof *rs);
	mr_buf_init(&rs->body);
	rs->status = 200;
	rs->type = "application/json";
}

void mr_web_resp_release(mr_resp *rs)
{
	mr_buf_release(&rs->body);
	free(rs->cookie);
	free(rs->filename);
	memset(rs, 0, sizeof *rs);
}

int mr_web_json(mr_ctx *c, int status, json_t *j)
{
	mr_buf_reset(&c->rs->body);
	c->rs->status = status;
	c->rs->type = "application/json";
	char *t = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
	                           JSON_REAL_PRECISION(15)) : NULL;
	json_decref(j);
	if (!t) {      /* out of memory, or a string that is not UTF-8 */
		fprintf(stderr, "merit serve: %s %s: the answer could not be encoded\n",
		        c->rq->method, c->rq->path);
		c->rs->status = 500;
		mr_buf_puts(&c->rs->body, "{\"error\":\"the server could not write its answer; "
		            "it is in the server's log\"}");
		return -1;
	}
	mr_buf_puts(&c->rs->body, t);
	free(t);
	return status < 400 ? 0 : -1;
}

static int fail_why(mr_ctx *c, int status, const char *text, int confirm, const mr_err *err);

/* {"error": text}, and "confirm": true when sending the request again
 * confirmed (force, confirm) would do it: what a message quotes may not be
 * UTF-8 (or be cut mid-character), and JSON takes only UTF-8, so a bad
 * byte becomes U+FFFD. */
static int fail_text(mr_ctx *c, int status, const char *text, int confirm)
{
	return fail_why(c, status, text, confirm, NULL);
}

/* What to do, in a browser user's words, for each situation an engine
 * error names (util/err.h): the CLI's hint (commands, flags) stays out.
 * `why` goes with the answer too, so the page can say it in its language. */
static const struct { int hint; const char *why, *text, *zh; } web_hints[] = {
	{ MR_HINT_CYCLE_CLOSED, "cycle_closed",
	  "an admin can reopen it on the Cycles page, giving a reason",
	  "管理员可在“考核周期”页面填写原因后重新开启" },
	{ MR_HINT_CYCLE_MISSING, "cycle_missing", "an admin opens it on the Cycles page first",
	  "请管理员先在“考核周期”页面开启" },
	{ MR_HINT_CYCLE_REVIEW, "cycle_review", "an admin does that on the Cycles page",
	  "由管理员在“考核周期”页面操作" },
	{ MR_HINT_FILE_IMPORTED, "file_imported",
	  "tick \"Replace the earlier batch of this file\" to swap it, or remove that batch "
	  "under Batches first",
	  "勾选“替换该文件之前的批次”即可替换，或先在“数据批次”中删除那个批次" },
	{ MR_HINT_ROWS_IMPORTED, "rows_imported",
	  "tick \"Replace the earlier batch of this file\" to swap it, \"Skip bad rows\" to "
	  "import only the new rows, or remove that batch under Batches first",
	  "勾选“替换该文件之前的批次”即可替换，勾选“跳过错误行”只导入新行，或先在“数据批次”中删除那个批次" },
	{ MR_HINT_USER_EXISTS, "user_exists",
	  "change their password or role in the list of users instead",
	  "请在用户列表中修改其密码或角色" },
	{ MR_HINT_USER_MISSING, "user_missing", "add the user first",
	  "请先添加该用户" },
	{ MR_HINT_STAFF_MISSING, "staff_missing",
	  "only people on the staff list can be named; an admin adds them",
	  "只能填写员工名单中的人员；请管理员先添加" },
	{ MR_HINT_INDICATOR, "indicator", "the Plan page lists the indicators",
	  "“考核方案”页面列出了所有指标" },
	{ MR_HINT_DATE_ORDER, "date_order",
	  "choose the date order (day first or month first) in the upload form",
	  "请在上传表单中选择日期顺序（日在前或月在前）" },
	{ MR_HINT_ENCODING, "encoding",
	  "choose the file's text encoding in the upload form (GB18030, UTF-16LE, BIG5, "
	  "WINDOWS-1252, …), or save the file as UTF-8",
	  "请在上传表单中选择文件的文本编码（GB18030、UTF-16LE、BIG5、WINDOWS-1252 等），或将文件另存为 UTF-8" },
	{ MR_HINT_MAP, "map",
	  "or name the column that holds a field in the upload form's column map "
	  "(COLUMN=FIELD); a file without dates takes a date there",
	  "或在上传表单的列映射中指明存放该字段的列（列名=字段）；没有日期的文件在那里填写日期" },
	{ MR_HINT_DATE, "date", "give the day it stands for under Date in the upload form",
	  "请在上传表单的“日期”中填写它所代表的日期" },
	{ MR_HINT_PRESET, "preset", "choose the preset in the upload form",
	  "请在上传表单中选择预设" },
	{ MR_HINT_SKIP_BAD, "skip_bad",
	  "or tick \"Skip bad rows\" in the upload form to leave them out",
	  "或在上传表单中勾选“跳过错误行”以略过它们" },
	{ MR_HINT_STRICT, "strict",
	  "take a field from it in the column map (COLUMN=FIELD, or COLUMN=- to let it be), or "
	  "untick \"Refuse columns no field reads\"",
	  "在列映射中为它指定一个字段（列名=字段，或 列名=- 表示不用），或取消勾选“拒绝没有字段读取的列”" },
};

static int fail_why(mr_ctx *c, int status, const char *text, int confirm, const mr_err *err)
{
	size_t h = 0;
	while (err && err->hint && h < sizeof web_hints / sizeof web_hints[0] &&
	       web_hints[h].hint != err->hint)
		h++;
	int hinted = err && err->hint && h < sizeof web_hints / sizeof web_hints[0];
	/* an upload's words in its ?lang= (the English kept as error_en) */
	int zh = c->file_lang == MR_LOCALE_ZH_CN;
	mr_buf b, en;
	mr_buf_init(&b);
	mr_buf_init(&en);
	mr_buf_puts(&en, text);
	if (hinted)
		mr_buf_printf(&en, "; %s", web_hints[h].text);
	if (zh) {
		mr_msg_tr_file(&b, text, strlen(text), c->file_lang);
		if (hinted)
			mr_buf_printf(&b, "；%s", web_hints[h].zh);
	}
	char *clean = mr_buf_oom(&b) || mr_buf_oom(&en) ? NULL : mr_utf8_lossy(zh ? b.data : en.data);
	char *clean_en = zh && clean ? mr_utf8_lossy(en.data) : NULL;
	mr_buf_release(&b);
	mr_buf_release(&en);
	json_t *j = json_pack("{ss}", "error", clean ? clean : "out of memory");
	if (j && clean_en)
		json_object_set_new(j, "error_en", json_string(clean_en));
	free(clean_en);
	if (j && confirm)
		json_object_set_new(j, "confirm", json_true());
	if (j && hinted)
		json_object_set_new(j, "why", json_string(web_hints[h].why));
	mr_web_json(c, status, j);
	free(clean);
	return -1;
}

int mr_web_fail(mr_ctx *c, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return fail_text(c, status, msg, 0);
}

/* The operator's line for a failure: the path is the client's, the
 * message may quote the client's text; escaped, never obeyed by a terminal. */
static void log_failure(const mr_ctx *c, const char *msg)
{
	char *path = mr_text_term_dup(c->rq->path), *m = mr_text_term_dup(msg);
	fprintf(stderr, "merit serve: %s %s: %s\n", c->rq->method, path ? path : "?",
	        m ? m : msg);
	free(path);
	free(m);
}

int mr_web_err(mr_ctx *c, const mr_err *err)
{
	/* whole: an engine's message may be long (a cycle's readiness list) */
	const char *msg = err->msg ? err->msg : mr_err_str(err->code);
	switch (err->code) {
	case MR_ENOTFOUND: return fail_why(c, 404, msg, 0, err);
	case MR_EEXISTS: case MR_EFROZEN: return fail_why(c, 409, msg, 0, err);
	case MR_ECONFIRM: return fail_why(c, 409, msg, 1, err);
	case MR_EINVALID: return fail_why(c, 400, msg, 0, err);
	case MR_EDENIED: return fail_why(c, 403, msg, 0, err);
	case MR_EFULL:      /* 507 Insufficient Storage: the operator must free space */
		log_failure(c, msg);
		return mr_web_fail(c, 507, "the server's disk is full (no space left on device), "
		                   "so this was not done; ask the administrator to free space, "
		                   "then try again");
	default:
		/* the details are for the operator's log, not the browser */
		log_failure(c, msg);
		if (err->code == MR_ETIME) {
			int limit = c->w->cfg.request_time > 0 ? c->w->cfg.request_time
			                                       : MR_WEB_REQUEST_S;
			return mr_web_fail(c, 503, "this took longer than the server allows (%d "
			                   "seconds) and was stopped; nothing was changed.  Try "
			                   "again, or ask for less (a shorter period, one person)",
			                   limit);
		}
		if (err->code == MR_EBUSY && err->hint == MR_HINT_IMPORT_RUNNING) {
			c->rs->retry_after = 60;
			return mr_web_fail(c, 503, "another import is being written just now; try "
			                   "again when it ends, in a minute or two");
		}
		if (err->code == MR_EBUSY) {
			c->rs->retry_after = 5;   /* seconds: a writer's lock is held a second or two */
			return mr_web_fail(c, 503, "the database is busy; try again in a moment");
		}
		return mr_web_fail(c, 500, "something went wrong on the server; it is in the "
		                   "server's log");
	}
}

int mr_web_commit(mr_ctx *c, int rc, mr_err *err, int file)
{
	if (!rc)
		rc = mr_store_commit(c->s, err);
	if (rc) {
		mr_store_rollback(c->s);
		/* a bad row, or one naming someone or something unknown */
		if (file && (err->code == MR_EINVALID || err->code == MR_EIO ||
		             err->code == MR_ENOTFOUND))
			fail_why(c, 422, err->msg ? err->msg : mr_err_str(err->code), 0, err);
		else
			mr_web_err(c, err);
	}
	mr_err_clear(err);
	return rc;
}

int mr_web_begin_plan(mr_ctx *c, mr_err *err)
{
	if (!c->snap->plan)
		return mr_web_fail(c, 409, "there is no plan yet");
	int rc = mr_store_begin(c->s, err);
	return rc ? rc : mr_web_plan_check(c, err);
}

const char *mr_web_arg(const mr_ctx *c, const char *key)
{
	for (size_t i = 0; i < c->rq->nargs; i++)
		if (strcmp(c->rq->args[i].key, key) == 0)
			return c->rq->args[i].value;
	return NULL;
}

json_t *mr_web_body(mr_ctx *c)
{
	json_error_t je;
	const char *ct = c->rq->content_type;
	if (!ct || strncmp(ct, "application/json", 16) != 0) {
		mr_web_fail(c, 415, "send the body as JSON (Content-Type: application/json)");
		return NULL;
	}
	json_t *j = c->rq->body ? json_loadb(c->rq->body, c->rq->body_len,
	                                     JSON_REJECT_DUPLICATES, &je) : NULL;
	if (!j) {
		/* where, never the parser's own words (they name its flags) */
		if (c->rq->body && json_error_code(&je) == json_error_duplicate_key)
			mr_web_fail(c, 400, "the request body names a field twice (line %d, column %d)",
			            je.line, je.column);
		else if (c->rq->body && json_error_code(&je) == json_error_stack_overflow)
			mr_web_fail(c, 400, "the request body is nested too deeply (line %d, column %d)",
			            je.line, je.column);
		else if (c->rq->body && je.line > 0)
			mr_web_fail(c, 400, "the request body is not valid JSON (line %d, column %d)",
			            je.line, je.column);
		else
			mr_web_fail(c, 400, "the request body is not valid JSON");
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		mr_web_fail(c, 400, "the body must be a JSON object");
		return NULL;
	}
	return j;
}

const char *mr_web_str(mr_ctx *c, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || !*json_string_value(v)) {
		mr_web_fail(c, 400, "field \"%s\" is required (a string)", key);
		return NULL;
	}
	return json_string_value(v);
}

int mr_web_tail_id(mr_ctx *c, int64_t *out, const char *missing)
{
	char *end;
	errno = 0;
	long long v = strtoll(c->tail, &end, 10);
	if (c->tail[0] < '1' || c->tail[0] > '9' || errno || (*end && *end != '/') || v <= 0)
		return mr_web_fail(c, 404, "%s", missing);
	*out = v;
	return 0;
}

int mr_web_period(mr_ctx *c, mr_period *out)
{
	const char *p = mr_web_arg(c, "period");
	mr_err err = MR_ERR_INIT;
	int rc = 0;
	if (!p) {
		mr_cycle *list = NULL;
		size_t n = 0;
		if (mr_store_cycle_list(c->s, &list, &n, &err)) {
			mr_web_err(c, &err);
			mr_err_clear(&err);
			return -1;
		}
		if (!n) {
			mr_cycle_list_free(list, n);
			mr_web_fail(c, 404, "no cycles yet: an admin opens one first");
			return -1;
		}
		/* the newest by its last day */
		size_t best = 0;
		for (size_t i = 1; i < n; i++)
			if (list[i].last > list[best].last)
				best = i;
		rc = mr_period_parse(out, list[best].period, &err);
		mr_cycle_list_free(list, n);
	} else {
		rc = mr_period_parse(out, p, &err);
	}
	if (rc) {
		mr_web_fail(c, 400, "period: %s", err.msg);
		mr_err_clear(&err);
		return -1;
	}
	return 0;
}

static int64_t clock_now(void)
{
	return (int64_t)time(NULL);
}

/* Does path match a prefix route's: its path, then one segment (no
 * '/'), then what follows the route's '*' (nothing when it has none)? */
static int prefix_match(const char *path, const char *route)
{
	const char *star = strchr(route, '*');
	size_t n = star ? (size_t)(star - route) : strlen(route);
	if (strncmp(path, route, n) != 0 || !path[n] || path[n] == '/')
		return 0;
	size_t seg = strcspn(path + n, "/");
	return strcmp(path + n + seg, star ? star + 1 : "") == 0;
}

static const struct route *route_find(const char *method, const char *path, int *wrong_method)
{
	*wrong_method = 0;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct route *r = &routes[i];
		int match = r->prefix ? prefix_match(path, r->path) : strcmp(path, r->path) == 0;
		if (!match)
			continue;
		if (strcmp(method, r->method) == 0)
			return r;
		*wrong_method = 1;
	}
	return NULL;
}

int mr_web_route_public(const char *method, const char *path)
{
	int wrong;
	const struct route *r = route_find(method, path, &wrong);
	return r && r->access == PUBLIC;
}

static void asset(mr_ctx *c)
{
	const char *path = c->rq->path;
	const unsigned char *data;
	size_t len;
	const char *type;
	if (strcmp(c->rq->method, "GET") && strcmp(c->rq->method, "HEAD")) {
		c->rs->allow = "GET, HEAD";
		mr_web_fail(c, 405, "%s is not allowed here", c->rq->method);
		return;
	}
	/* the app, also at an invitation's or a survey's link (its page reads
	 * the token) */
	if (strcmp(path, "/") == 0 ||
	    (strncmp(path, "/invite/", 8) == 0 && path[8] && !strchr(path + 8, '/')) ||
	    (strncmp(path, "/s/", 3) == 0 && path[3] && !strchr(path + 3, '/')))
		path = "/index.html";
	if (mr_web_asset(path, &data, &len, &type)) {
		mr_web_fail(c, 404, "no such page");
		return;
	}
	c->rs->status = 200;
	c->rs->type = type;
	c->rs->fixed = data;
	c->rs->fixed_len = len;
	c->rs->cacheable = strcmp(path, "/index.html") != 0;
}

/* GET /healthz: for a load balancer or a service manager — no session,
 * nothing about the company: 200 {"ok": true, version, schema} when the
 * database file opens and reads, 503 {"ok": false, error} when it does not
 * (the reason in the server's log). */
static void health(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	int version;
	if (strcmp(c->rq->method, "GET") && strcmp(c->rq->method, "HEAD")) {
		c->rs->allow = "GET, HEAD";
		mr_web_fail(c, 405, "%s is not allowed here", c->rq->method);
		return;
	}
	/* a connection of its own, opened as a new process would open the
	 * file: the pool's connections keep pages and the file open, and would
	 * say all is well of a file replaced or damaged under them */
	mr_store *s = NULL;
	if (!c->w->cfg.db)
		mr_err_set(&err, MR_ENOTFOUND, "no database file");
	if (err.code || mr_store_open_ro(&s, c->w->cfg.db, &err) ||
	    mr_store_ping(s, &version, &err)) {
		fprintf(stderr, "merit serve: /healthz: %s\n", err.msg);
		mr_web_json(c, 503, json_pack("{sbss}", "ok", 0, "error", "the database cannot be read"));
	} else {
		mr_web_json(c, 200, json_pack("{sbsssi}", "ok", 1, "version", MR_VERSION,
		                              "schema", version));
	}
	mr_store_close(s);
	mr_err_clear(&err);
}

/* Route, session, CSRF token, role: 1 when the request may go on to
 * r's handler, else 0 with the answer given. */
static int admit(mr_ctx *c, const struct route **out)
{
	const mr_req *rq = c->rq;
	int wrong;
	const struct route *r = *out = route_find(rq->method, rq->path, &wrong);
	if (!r) {
		if (wrong) {
			c->rs->allow = "GET, POST, PUT, DELETE";
			mr_web_fail(c, 405, "%s is not allowed on %s", rq->method, rq->path);
		} else {
			mr_web_fail(c, 404, "no such API route: %s", rq->path);
		}
		return 0;
	}
	if (r->prefix)
		c->tail = rq->path + strcspn(r->path, "*");
	c->s = mr_web_pool_get(c->w);
	/* an upload is bounded by its size (--max-upload), not by a clock */
	if (!mr_web_upload_route(rq->path))
		mr_store_set_deadline(c->s, c->w->cfg.request_time > 0 ? c->w->cfg.request_time
		                                                       : MR_WEB_REQUEST_S);
	if (r->access == PUBLIC)
		return 1;
	if (!mr_web_session(c)) {
		if (c->rs->status < 400)
			mr_web_fail(c, 401, "log in first (or again: the session has ended)");
		return 0;
	}
	if (strcmp(r->method, "GET") && !mr_web_csrf_ok(c)) {
		mr_web_fail(c, 403, "the request lacks this session's CSRF token "
		            "(X-CSRF-Token); reload the page");
		return 0;
	}
	if (r->access == ADMIN && !c->admin) {
		mr_web_fail(c, 403, "only an admin may do this");
		return 0;
	}
	return 1;
}

static void ctx_init(mr_ctx *c, mr_web *w, const mr_req *rq, mr_resp *rs)
{
	memset(c, 0, sizeof *c);
	c->w = w;
	c->rq = rq;
	c->rs = rs;
	c->now = w->cfg.now ? w->cfg.now() : clock_now();
}

static void ctx_release(mr_ctx *c)
{
	for (struct mr_snap_period *sp = c->own, *next; sp; sp = next) {
		next = sp->next_own;
		mr_snap_period_free(sp);
	}
	if (c->snap)
		mr_snap_unref(c->w, c->snap);
	mr_session_release(&c->ses);
	mr_web_pool_put(c->w, c->s);
}

/* The path and query are UTF-8 (everything echoed back must be). */
static int url_utf8(const mr_req *rq)
{
	if (!mr_utf8_ok(rq->path))
		return 0;
	for (size_t i = 0; i < rq->nargs; i++)
		if (!mr_utf8_ok(rq->args[i].key) || !mr_utf8_ok(rq->args[i].value))
			return 0;
	return 1;
}

void mr_web_handle(mr_web *w, const mr_req *rq, mr_resp *rs)
{
	mr_ctx c;
	const struct route *r;
	ctx_init(&c, w, rq, rs);
	if (!url_utf8(rq))
		mr_web_fail(&c, 400, "the URL is not UTF-8");
	else if (strcmp(rq->path, "/healthz") == 0)
		health(&c);
	else if (strncmp(rq->path, "/api/", 5) != 0)
		asset(&c);
	else if (admit(&c, &r)) {
		r->fn(&c);
		/* a change made here is seen by the very next request, not after
		 * the generation's next reading */
		if (strcmp(rq->method, "GET") && !r->keep && rs->status < 400)
			mr_web_stale(w);
	}
	ctx_release(&c);
}

int mr_web_admit(mr_web *w, const mr_req *rq, mr_resp *rs)
{
	mr_ctx c;
	const struct route *r;
	ctx_init(&c, w, rq, rs);
	int ok = url_utf8(rq) && strncmp(rq->path, "/api/", 5) == 0 && admit(&c, &r);
	if (!ok && rs->status < 400)
		mr_web_fail(&c, 404, "no such API route: %s", rq->path);
	ctx_release(&c);
	return ok;
}

int mr_web_new(mr_web **out, const mr_web_config *cfg, int conns, mr_err *err)
{
	if (sodium_init() < 0)
		return mr_err_set(err, MR_ENOMEM, "libsodium does not start");
	mr_web *w = calloc(1, sizeof *w);
	if (!w)
		return mr_err_nomem(err);
	w->cfg = *cfg;
	if (!w->cfg.session_idle)
		w->cfg.session_idle = 1800;
	if (!w->cfg.session_max)
		w->cfg.session_max = 43200;
	if (!w->cfg.max_body)
		w->cfg.max_body = 1u << 20;
	if (!w->cfg.max_upload)
		w->cfg.max_upload = 256u << 20;
	if (!w->cfg.login_failures)
		w->cfg.login_failures = 5;
	if (!w->cfg.login_pause)
		w->cfg.login_pause = 60;
	if (!w->cfg.gen_check_ms)
		w->cfg.gen_check_ms = 100;
	pthread_mutex_init(&w->mu, NULL);
	pthread_mutex_init(&w->build_mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	int rc = mr_web_pool_init(w, conns, err);
	if (rc) {
		mr_web_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

void mr_web_free(mr_web *w)
{
	if (!w)
		return;
	if (w->snap)
		mr_snap_unref(w, w->snap);
	for (size_t i = 0; i < w->nfree; i++)
		mr_store_close(w->pool[i]);
	free(w->pool);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	pthread_mutex_destroy(&w->build_mu);
	free(w);
}

/* api_evidence.c — evidence through the web: a member hands in a post, a
 * topic, a design verdict or a value counted by hand, with a note and an
 * attachment; whoever is above them in the manager chain (or an admin)
 * approves or rejects it.  The rules are ops/evidence.c's.
 *
 * Who sees an item: the person who handed it in, those who may decide on
 * it (authz.c), an admin.  To anyone else it does not exist (404).  An
 * attachment is checked by its bytes, not by the name or type the
 * browser gave, and is only ever served as a download.
 */
#include "web/web_int.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"

static int may_see_item(mr_ctx *c, const char *login)
{
	return strcmp(login, c->ses.login) == 0 || mr_web_may_decide(c, login);
}

static json_t *item_json(mr_ctx *c, const mr_evidence *e)
{
	char day[16];
	const mr_staff *st = mr_web_staff(c->snap, e->login);
	mr_day_format(day, e->day);
	json_t *file = e->file_type ? json_pack("{s:s?, s:s, s:I}", "name", e->file_name,
	                                        "type", e->file_type, "size",
	                                        (json_int_t)e->file_size)
	                            : json_null();
	/* who decided, by name (a reviewer or the manager: the member may
	 * see nobody else on the staff list, so the name comes from here) */
	const mr_staff *by = e->decided_by ? mr_web_staff(c->snap, e->decided_by) : NULL;
	json_t *j = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s, s:f, s:o, s:s?, s:s?, s:s?, s:s?,"
	                      " s:o, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:b}",
	                      "id", (json_int_t)e->id, "login", e->login,
	                      "name", st ? st->name : NULL, "kind", e->kind,
	                      "indicator", e->indicator, "date", day, "value", e->value,
	                      "of", e->has_den ? json_real(e->den) : json_null(),
	                      "url", e->url, "platform", e->platform, "title", e->title,
	                      "note", e->note, "file", file, "state", e->state,
	                      "submitted_at", e->submitted_at, "decided_by", e->decided_by,
	                      "decided_by_name", by ? by->name : NULL, "decided_at", e->decided_at, "reason", e->reason,
	                      "batch", e->batch ? json_integer(e->batch) : json_null(),
	                      "can_decide", strcmp(e->state, "pending") == 0 &&
	                                    mr_web_may_decide(c, e->login));
	return j;
}

int mr_h_evidence(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_evidence *list = NULL;
	size_t n = 0;
	const char *state = mr_web_arg(c, "state"), *who = mr_web_arg(c, "login");
	const char *show = mr_web_arg(c, "show");   /* mine | waiting; else all one may see */
	if (state && strcmp(state, "pending") && strcmp(state, "approved") &&
	    strcmp(state, "rejected"))
		return mr_web_fail(c, 400, "state: pending, approved or rejected");
	if (show && strcmp(show, "mine") && strcmp(show, "waiting"))
		return mr_web_fail(c, 400, "show: mine or waiting");
	if (mr_store_evidence_list(c->s, state, &list, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	json_t *items = json_array();
	size_t waiting = 0;
	for (size_t i = 0; i < n; i++) {
		const mr_evidence *e = &list[i];
		int mine = strcmp(e->login, c->ses.login) == 0;
		int decides = strcmp(e->state, "pending") == 0 && mr_web_may_decide(c, e->login);
		waiting += decides;
		if (!may_see_item(c, e->login) || (who && strcmp(who, e->login)) ||
		    (show && show[0] == 'm' && !mine) || (show && show[0] == 'w' && !decides))
			continue;
		json_array_append_new(items, item_json(c, e));
	}
	mr_evidence_list_free(list, n);
	return mr_web_json(c, 200, json_pack("{s:o, s:I}", "items", items, "waiting",
	                                     (json_int_t)waiting));
}

/* An optional string member of at most MR_EVIDENCE_TEXT_MAX bytes: 0
 * (*out NULL when absent, null or empty), or -1 after answering 400. */
static int text_field(mr_ctx *c, json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return mr_web_fail(c, 400, "field \"%s\": a string", key);
	if (json_string_length(v) > MR_EVIDENCE_TEXT_MAX)
		return mr_web_fail(c, 400, "field \"%s\" is longer than %d bytes", key,
		                   MR_EVIDENCE_TEXT_MAX);
	if (*json_string_value(v))
		*out = json_string_value(v);
	return 0;
}

static int number_field(mr_ctx *c, json_t *o, const char *key, int *has, double *out)
{
	json_t *v = json_object_get(o, key);
	*has = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v) || !isfinite(json_number_value(v)) ||
	    fabs(json_number_value(v)) > 1e15)
		return mr_web_fail(c, 400, "field \"%s\": a number", key);
	*has = 1;
	*out = json_number_value(v);
	return 0;
}

/* The attachment {"name", "data": base64}: 0 with *out NULL when none;
 * else the bytes (the caller frees them) of an allowed type and size, or
 * -1 after answering 400, 413 or 415. */
static int attachment(mr_ctx *c, json_t *b, unsigned char **out, size_t *len,
                      const char **name, const char **type)
{
	json_t *a = json_object_get(b, "attachment");
	*out = NULL;
	*len = 0;
	if (!a || json_is_null(a))
		return 0;
	json_t *jd = json_object_get(a, "data");
	if (!json_is_object(a) || !json_is_string(jd))
		return mr_web_fail(c, 400, "field \"attachment\": {\"name\": …, \"data\": the "
		                   "file's bytes in base64}");
	if (text_field(c, a, "name", name))
		return -1;
	size_t b64 = json_string_length(jd);
	if (b64 / 4 * 3 > MR_EVIDENCE_FILE_MAX + 2)
		return mr_web_fail(c, 413, "field \"attachment\": the file is larger than %d KiB",
		                   MR_EVIDENCE_FILE_MAX / 1024);
	unsigned char *buf = malloc(b64 / 4 * 3 + 3);
	if (!buf)
		return mr_web_fail(c, 500, "out of memory");
	if (sodium_base642bin(buf, b64 / 4 * 3 + 3, json_string_value(jd), b64, " \r\n", len,
	                      NULL, sodium_base64_VARIANT_ORIGINAL)) {
		free(buf);
		return mr_web_fail(c, 400, "field \"attachment\": the data is not base64");
	}
	if (*len > MR_EVIDENCE_FILE_MAX) {
		free(buf);
		return mr_web_fail(c, 413, "field \"attachment\": the file is larger than %d KiB",
		                   MR_EVIDENCE_FILE_MAX / 1024);
	}
	if (!(*type = mr_op_evidence_type(buf, *len))) {
		free(buf);
		return mr_web_fail(c, 415, "field \"attachment\": only a picture (PNG, JPEG, GIF, "
		                   "WebP) or a PDF may be attached");
	}
	*out = buf;
	return 0;
}

/* The submission's fields into e (borrowing the body's strings): 0, or
 * -1 after answering 400. */
static int submission(mr_ctx *c, json_t *b, mr_evidence *e)
{
	const char *kind = mr_web_str(c, b, "kind"), *date = kind ? mr_web_str(c, b, "date") : NULL;
	const char *ind = NULL, *verdict = NULL;
	int has_value;
	if (!date)
		return -1;
	if (mr_day_parse(&e->day, date))
		return mr_web_fail(c, 400, "field \"date\": \"%s\" is not a date (YYYY-MM-DD)", date);
	if (text_field(c, b, "url", (const char **)&e->url) ||
	    text_field(c, b, "platform", (const char **)&e->platform) ||
	    text_field(c, b, "title", (const char **)&e->title) ||
	    text_field(c, b, "note", (const char **)&e->note) ||
	    text_field(c, b, "indicator", &ind) || text_field(c, b, "verdict", &verdict) ||
	    number_field(c, b, "value", &has_value, &e->value) ||
	    number_field(c, b, "of", &e->has_den, &e->den))
		return -1;
	e->kind = (char *)kind;
	if (strcmp(kind, "design") == 0) {
		if (!verdict || (strcmp(verdict, "approved") && strcmp(verdict, "rejected")))
			return mr_web_fail(c, 400, "field \"verdict\": approved or rejected (at the "
			                   "design's first review)");
		e->value = strcmp(verdict, "approved") == 0;
	} else if (strcmp(kind, "value") == 0) {
		if (!has_value)
			return mr_web_fail(c, 400, "field \"value\" is required for a value: a number");
		if (e->has_den && e->den < 0)
			return mr_web_fail(c, 400, "field \"of\": the denominator, a number ≥ 0");
		e->indicator = (char *)ind;
	}
	return 0;
}

int mr_h_evidence_add(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_evidence e;
	unsigned char *file = NULL;
	size_t len = 0;
	const char *fname = NULL, *ftype = NULL;
	int64_t id = 0;
	char *indicator = NULL;
	memset(&e, 0, sizeof e);
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	if (submission(c, b, &e) || attachment(c, b, &file, &len, &fname, &ftype))
		goto done;
	if (!c->me || c->me->reviewer) {
		mr_web_fail(c, 403, "only a member of the staff list who is appraised hands in "
		            "evidence");
		goto done;
	}
	e.login = (char *)c->ses.login;
	e.file_name = (char *)fname;
	e.file_type = (char *)ftype;
	/* post, topic and design fill the indicator: theirs to free */
	const char *given = e.indicator;
	int rc = mr_web_begin_plan(c, &err);
	if (rc < 0 && !err.code)
		goto done;
	if (!rc)
		rc = mr_op_evidence_submit(c->s, c->snap->plan, &e, file, len, &id, &err);
	if (e.indicator != given)
		indicator = e.indicator;
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "state",
		                              "pending", "indicator", e.indicator));
done:
	free(indicator);
	free(file);
	json_decref(b);
	return 0;
}

/* The item of the path's id when the user may see it: 0 with *e filled
 * (release it), or -1 after answering 404 (the same as none). */
static int item_get(mr_ctx *c, int64_t *id, mr_evidence *e)
{
	mr_err err = MR_ERR_INIT;
	if (mr_web_tail_id(c, id, "no such evidence"))
		return -1;
	int rc = mr_store_evidence_get(c->s, *id, e, &err);
	if (!rc && !may_see_item(c, e->login)) {
		mr_evidence_release(e);
		rc = mr_err_set(&err, MR_ENOTFOUND, "no evidence #%lld", (long long)*id);
	}
	if (rc)
		mr_web_err(c, &err);
	mr_err_clear(&err);
	return rc ? -1 : 0;
}

int mr_h_evidence_decide(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_evidence e;
	int64_t id, batch = 0;
	const char *reason;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *decision = mr_web_str(c, b, "decision");
	if (!decision || text_field(c, b, "reason", &reason))
		goto done;
	if (strcmp(decision, "approve") && strcmp(decision, "reject")) {
		mr_web_fail(c, 400, "field \"decision\": approve or reject");
		goto done;
	}
	if (item_get(c, &id, &e))
		goto done;
	int mine = strcmp(e.login, c->ses.login) == 0;
	mr_evidence_release(&e);
	if (mine) {
		mr_web_fail(c, 403, "nobody decides on their own evidence: it waits for your "
		            "manager");
		goto done;
	}
	int rc = mr_web_begin_plan(c, &err);
	if (rc < 0 && !err.code)
		goto done;
	if (!rc)
		rc = mr_op_evidence_decide(c->s, c->snap->plan, id, decision[0] == 'a', reason,
		                           &batch, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)id, "state",
		                              decision[0] == 'a' ? "approved" : "rejected", "batch",
		                              batch ? json_integer(batch) : json_null()));
done:
	json_decref(b);
	return 0;
}

int mr_h_evidence_file(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_evidence e;
	int64_t id;
	void *data = NULL;
	size_t len = 0;
	char name[64];
	if (item_get(c, &id, &e))
		return -1;
	mr_evidence_release(&e);
	if (mr_store_evidence_file(c->s, id, &data, &len, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	/* typed by its bytes again: the stored type is never echoed as sent */
	const char *type = data ? mr_op_evidence_type(data, len) : NULL;
	if (!type) {
		free(data);
		return mr_web_fail(c, 404, "evidence #%lld has no attachment", (long long)id);
	}
	const char *ext = strchr(type, '/') + 1;
	snprintf(name, sizeof name, "evidence-%lld.%s", (long long)id,
	         strcmp(ext, "jpeg") == 0 ? "jpg" : ext);
	mr_buf_reset(&c->rs->body);
	mr_buf_add(&c->rs->body, data, len);
	free(data);
	c->rs->status = 200;
	c->rs->type = type;
	c->rs->filename = strdup(name);
	return 0;
}

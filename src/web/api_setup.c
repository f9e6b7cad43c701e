/* api_setup.c — setting up from the browser (an admin's): the staff list,
 * the ownership rules with what the last imports could not attribute,
 * invitations, uptime probes and saved sources.  Each change is one
 * transaction through the same operations as `merit staff`, `merit own`,
 * `merit user`, `merit probe` and `merit source` (ops/setup.c, the store),
 * audited there.
 */
#include "web/web_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "ingest/attrib.h"
#include "ingest/probe.h"
#include "ingest/source.h"
#include "util/num.h"
#include "util/vec.h"

/* ---- staff ---- */

int mr_h_staff(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_staff *list = NULL;
	mr_user *users = NULL;
	size_t n = 0, nu = 0;
	if (mr_store_staff_list(c->s, &list, &n, &err) ||
	    mr_store_user_list(c->s, &users, &nu, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		mr_staff_list_free(list, n);
		return -1;
	}
	json_t *arr = json_array();
	/* both by login: the user of each person, if any, in one pass */
	for (size_t i = 0, u = 0; i < n; i++) {
		while (u < nu && strcmp(users[u].login, list[i].login) < 0)
			u++;
		json_t *o = mr_op_staff_json(&list[i]);
		int linked = u < nu && strcmp(users[u].login, list[i].login) == 0;
		json_object_set_new(o, "user", linked ? json_pack("{sssb}", "role", users[u].role,
		                                                  "disabled", users[u].disabled)
		                                      : json_null());
		json_array_append_new(arr, o);
	}
	mr_staff_list_free(list, n);
	mr_user_list_free(users, nu);
	return mr_web_json(c, 200, arr);
}

/* A date field: absent (0), a date or null (1, into *day; null is open
 * at that end, `open`); -1 after answering 400. */
static int date_field(mr_ctx *c, json_t *b, const char *key, int open, int *day)
{
	json_t *v = json_object_get(b, key);
	if (!v)
		return 0;
	if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
		*day = open;
		return 1;
	}
	if (!json_is_string(v) || mr_day_parse(day, json_string_value(v))) {
		mr_web_fail(c, 400, "field \"%s\": %s%s%sis not a date (YYYY-MM-DD); null for none", key,
		            json_is_string(v) ? "\"" : "", json_is_string(v) ? json_string_value(v) : "",
		            json_is_string(v) ? "\" " : "");
		return -1;
	}
	return 1;
}

/* A text field: absent (0), a string (1, into *out), null when nullable
 * (1, *out NULL); -1 after answering 400. */
static int text_field(mr_ctx *c, json_t *b, const char *key, int nullable, const char **out)
{
	json_t *v = json_object_get(b, key);
	if (!v)
		return 0;
	if (nullable && (json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))) {
		*out = NULL;
		return 1;
	}
	if (!json_is_string(v)) {
		mr_web_fail(c, 400, "field \"%s\": a string%s", key, nullable ? ", or null" : "");
		return -1;
	}
	*out = json_string_value(v);
	return 1;
}

/* The body of a staff add or change into ch: 0, or -1 answered. */
static int staff_body(mr_ctx *c, json_t *b, mr_staff_change *ch)
{
	mr_staff *st = &ch->st;
	const char *name = NULL, *position = NULL, *manager = NULL;
	json_t *v;
	st->from = MR_DAY_MIN;
	st->to = MR_DAY_MAX;
	ch->web = 1;
	if ((ch->set_name = text_field(c, b, "name", 0, &name)) < 0 ||
	    (ch->set_position = text_field(c, b, "position", 0, &position)) < 0 ||
	    (ch->set_manager = text_field(c, b, "manager", 1, &manager)) < 0)
		return -1;
	/* the struct's strings are not const; the change only reads them */
	st->name = (char *)name;
	st->position = (char *)position;
	st->manager = (char *)manager;
	if ((ch->set_from = date_field(c, b, "from", MR_DAY_MIN, &st->from)) < 0 ||
	    (ch->set_to = date_field(c, b, "to", MR_DAY_MAX, &st->to)) < 0)
		return -1;
	if ((v = json_object_get(b, "reviewer")) && !json_is_boolean(v))
		return mr_web_fail(c, 400, "field \"reviewer\": true or false");
	st->reviewer = json_is_true(v);
	if ((v = json_object_get(b, "base_bonus"))) {
		char text[64];
		ch->set_bonus = 1;
		if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
			return 0;
		if (json_is_string(v))
			snprintf(text, sizeof text, "%s", json_string_value(v));
		else if (json_is_number(v))
			snprintf(text, sizeof text, "%.2f", json_number_value(v));
		if ((!json_is_string(v) && !json_is_number(v)) ||
		    mr_money_parse(&st->base_bonus_cents, text) || st->base_bonus_cents < 0 ||
		    st->base_bonus_cents > MR_MONEY_MAX)
			return mr_web_fail(c, 400, "field \"base_bonus\": an amount from 0 to "
			                   "10000000000.00, like 4500.00; null for none");
		st->has_base_bonus = 1;
	}
	return 0;
}

/* The store's words for a flag ("--manager") or a command, as the
 * browser's form says them. */
static void staff_err_web(mr_err *err, const char *login)
{
	if (err->code == MR_EEXISTS) {
		mr_err_clear(err);
		mr_err_set(err, MR_EEXISTS, "field \"login\": staff member \"%s\" exists already; "
		           "change them in the staff list instead", login);
	} else if (err->msg && strncmp(err->msg, "--manager: ", 11) == 0) {
		char *rest = strdup(err->msg + 11);
		if (rest) {             /* a body naming nobody: a bad field, not a missing page */
			mr_err_clear(err);
			mr_err_set(err, MR_EINVALID, "field \"manager\": %s", rest);
			free(rest);
		}
	}
}

/* Add (login NULL: from the body) or change a person. */
static int staff_change(mr_ctx *c, const char *login)
{
	mr_err err = MR_ERR_INIT;
	mr_staff_change ch;
	json_t *b = mr_web_body(c);
	memset(&ch, 0, sizeof ch);
	if (!b)
		return -1;
	ch.create = !login;
	if (!login && !(login = mr_web_str(c, b, "login")))
		goto done;
	ch.st.login = (char *)login;
	if (staff_body(c, b, &ch))
		goto done;
	if (!ch.create && !ch.set_name && !ch.set_position && !ch.set_manager && !ch.set_from &&
	    !ch.set_to && !ch.set_bonus && !ch.st.reviewer) {
		mr_web_fail(c, 400, "send a field to change: \"name\", \"position\", \"reviewer\", "
		            "\"manager\", \"from\", \"to\" or \"base_bonus\"");
		goto done;
	}
	if (mr_op_staff_check(&ch, &err)) {
		mr_web_err(c, &err);
		goto done;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc && c->snap->plan)
		rc = mr_web_plan_check(c, &err);
	if (!rc && (rc = mr_op_staff(c->s, c->snap->plan, &ch, &err)))
		staff_err_web(&err, login);
	mr_staff now;
	memset(&now, 0, sizeof now);
	if (!rc)
		rc = mr_store_staff_get(c->s, login, &now, &err);
	if (!mr_web_commit(c, rc, &err, 0)) {
		json_t *o = mr_op_staff_json(&now);
		if (ch.bonus_dropped)
			json_object_set_new(o, "note", json_string("their own base bonus is dropped: a "
			                                            "reviewer is never paid"));
		mr_web_json(c, ch.create ? 201 : 200, o);
	}
	mr_staff_release(&now);
done:
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

int mr_h_staff_add(mr_ctx *c) { return staff_change(c, NULL); }
int mr_h_staff_put(mr_ctx *c) { return staff_change(c, c->tail); }

/* ---- ownership rules ---- */

int mr_h_owners(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_rule_row *rows = NULL;
	size_t n = 0;
	if (mr_store_own_list(c->s, &rows, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{ssssss}", "kind", rows[i].kind, "value",
		                                     rows[i].value, "login", rows[i].login));
	mr_rule_rows_free(rows, n);
	return mr_web_json(c, 200, arr);
}

/* Give (login) or take away (NULL) the rule of kind and value. */
static int owner_change(mr_ctx *c, const char *kind, const char *value, const char *login)
{
	mr_err err = MR_ERR_INIT;
	if (mr_op_own_check(kind, value, &err)) {
		mr_err_prefix(&err, "field \"%s\"", kind && mr_attrib_kind(kind) >= 0 ? "value"
		                                                                       : "kind");
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_op_own(c->s, kind, value, login, &err);
	if (rc == MR_ENOTFOUND && login) {      /* the login names nobody on the staff */
		mr_err_prefix(&err, "field \"login\"");
		err.code = MR_EINVALID;
	}
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, login ? 201 : 200, json_pack("{ss ss ss?}", "kind", kind, "value", value,
		                                            "login", login));
	return 0;
}

int mr_h_owner_add(mr_ctx *c)
{
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *kind = mr_web_str(c, b, "kind");
	const char *value = kind ? mr_web_str(c, b, "value") : NULL;
	const char *login = value ? mr_web_str(c, b, "login") : NULL;
	if (login)
		owner_change(c, kind, value, login);
	json_decref(b);
	return 0;
}

int mr_h_owner_rm(mr_ctx *c)
{
	const char *kind = mr_web_arg(c, "kind"), *value = mr_web_arg(c, "value");
	if (!kind || !value)
		return mr_web_fail(c, 400, "say which rule: ?kind=KIND&value=VALUE");
	return owner_change(c, kind, value, NULL);
}

/* How many of the latest batches GET /api/ownership/unassigned looks at. */
#define MR_WEB_UNASSIGNED_BATCHES 20

int mr_h_unassigned(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_unattributed *list = NULL;
	mr_rule_row *rules = NULL;
	mr_attrib *a = NULL;
	size_t n = 0, nr = 0;
	int rc = mr_store_unattributed_list(c->s, MR_WEB_UNASSIGNED_BATCHES, &list, &n, &err);
	if (!rc)
		rc = mr_store_own_list(c->s, &rules, &nr, &err);
	if (!rc && mr_attrib_new(&a, rules, nr))
		rc = mr_err_nomem(&err);
	if (rc) {
		mr_web_err(c, &err);
		goto done;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		int k = mr_attrib_kind(list[i].kind);
		/* a rule made since the import gives it an owner for the next one */
		if (k < 0 || mr_attrib_match(a, (mr_own_kind)k, list[i].value,
		                             strlen(list[i].value)) >= 0)
			continue;
		json_array_append_new(arr, json_pack("{sssssIsI}", "kind", list[i].kind, "value",
		                                     list[i].value, "rows", (json_int_t)list[i].rows,
		                                     "batch", (json_int_t)list[i].batch));
	}
	mr_web_json(c, 200, arr);
done:
	mr_err_clear(&err);
	mr_attrib_free(a);
	mr_rule_rows_free(rules, nr);
	mr_unattributed_free(list, n);
	return 0;
}

/* ---- invitations ---- */

/* How long an invitation link works, in seconds. */
#define MR_WEB_INVITE_S (7 * 86400)

int mr_h_invite_add(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	char token[64], link[96];
	unsigned char hash[32];
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *login = mr_web_str(c, b, "login");
	const char *role = login ? mr_web_str(c, b, "role") : NULL;
	if (!role)
		goto done;
	if (!mr_web_role_ok(role)) {
		mr_web_fail(c, 400, "field \"role\": admin, manager or member");
		goto done;
	}
	mr_web_token_new(token, sizeof token);
	mr_web_token_hash(hash, token, strlen(token));
	int64_t expires = c->now + MR_WEB_INVITE_S;
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_store_invite_put(c->s, hash, login, role, expires, &err);
	if (rc == MR_EINVALID)
		mr_err_prefix(&err, "field \"login\"");
	snprintf(link, sizeof link, "/invite/%s", token);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 201, json_pack("{sssssssI}", "login", login, "role", role, "link", link,
		                              "expires", (json_int_t)expires));
done:
	sodium_memzero(token, sizeof token);
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

/* The invitation the path's token names: 0, or -1 answered. */
static int invite_token(mr_ctx *c, unsigned char hash[32])
{
	size_t len = strlen(c->tail);
	if (len < 16 || len > 64)
		return mr_web_fail(c, 404, "this invitation link is not valid; ask an admin for a "
		                   "new one");
	mr_web_token_hash(hash, c->tail, len);
	return 0;
}

int mr_h_invite(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_invite iv;
	unsigned char hash[32];
	if (invite_token(c, hash))
		return -1;
	if (mr_store_invite_get(c->s, hash, c->now, &iv, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	mr_web_json(c, 200, json_pack("{sssssI}", "login", iv.login, "role", iv.role, "expires",
	                              (json_int_t)iv.expires));
	mr_invite_release(&iv);
	return 0;
}

int mr_h_invite_use(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_invite iv;
	unsigned char hash[32];
	char pw_hash[MR_PW_HASH_SIZE];
	if (invite_token(c, hash))
		return -1;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *pw = mr_web_str(c, b, "password");
	memset(&iv, 0, sizeof iv);
	if (!pw)
		goto done;
	/* a token that is not an invitation costs no password hashing: the
	 * route is public, and runs on the writer's thread */
	if (mr_store_invite_get(c->s, hash, c->now, &iv, &err)) {
		mr_web_err(c, &err);
		goto done;
	}
	mr_invite_release(&iv);
	if (mr_web_hash_pw(c, pw, pw_hash))
		goto done;
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_store_invite_use(c->s, hash, c->now, pw_hash, &iv, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 201, json_pack("{ssss}", "login", iv.login, "role", iv.role));
done:
	mr_err_clear(&err);
	mr_invite_release(&iv);
	sodium_memzero(pw_hash, sizeof pw_hash);
	json_decref(b);
	return 0;
}

/* ---- uptime probes ---- */

int mr_h_probes(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_probe *list = NULL;
	size_t n = 0;
	if (mr_store_probe_list(c->s, &list, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const mr_probe *p = &list[i];
		char e[32], t[32];
		mr_probe_duration_format(e, p->every_ms);
		mr_probe_duration_format(t, p->timeout_ms);
		json_t *o = json_pack("{sI ss ss ss ss ss ss sI sI}", "id", (json_int_t)p->id,
		                      "url", p->url, "login", p->login, "every", e, "timeout", t,
		                      "created_at", p->created_at, "created_by", p->created_by,
		                      "checks", (json_int_t)p->checks, "up", (json_int_t)p->ups);
		json_object_set_new(o, "uptime", p->checks ? json_real(100.0 * (double)p->ups /
		                                                       (double)p->checks)
		                                           : json_null());
		json_object_set_new(o, "last_check", p->last_at
			? json_pack("{sssb}", "at", p->last_at, "up", p->last_up) : json_null());
		json_array_append_new(arr, o);
	}
	mr_probe_list_free(list, n);
	return mr_web_json(c, 200, arr);
}

/* A duration field ("30s", "5m", or a number of seconds): 0 when absent
 * (*ms untouched), 1 read, -1 answered. */
static int duration_field(mr_ctx *c, json_t *b, const char *key, const char *say, int64_t *ms)
{
	json_t *v = json_object_get(b, key);
	char text[64];
	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
		return 0;
	if (json_is_string(v))
		snprintf(text, sizeof text, "%s", json_string_value(v));
	else if (json_is_number(v))
		snprintf(text, sizeof text, "%.17g", json_number_value(v));
	if ((!json_is_string(v) && !json_is_number(v)) || mr_probe_duration_parse(ms, text))
		return mr_web_fail(c, 400, "field \"%s\": say %s", key, say);
	return 1;
}

int mr_h_probe_add(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_probe_new pn;
	json_t *b = mr_web_body(c);
	memset(&pn, 0, sizeof pn);
	if (!b)
		return -1;
	pn.web = 1;
	pn.every_ms = MR_PROBE_EVERY_MS;
	if (!(pn.url = mr_web_str(c, b, "url")) ||
	    text_field(c, b, "login", 1, &pn.who) < 0 ||
	    duration_field(c, b, "every", "30s, 5m or 1h", &pn.every_ms) < 0)
		goto done;
	pn.timeout_ms = pn.every_ms < MR_PROBE_TIMEOUT_MS ? pn.every_ms : MR_PROBE_TIMEOUT_MS;
	if (duration_field(c, b, "timeout", "500ms, 10s or 1m", &pn.timeout_ms) < 0)
		goto done;
	int rc = mr_store_begin(c->s, &err);
	if (!rc && c->snap->plan)
		rc = mr_web_plan_check(c, &err);
	if (!rc)
		rc = mr_op_probe_add(c->s, c->snap->plan, &pn, &err);
	if (rc == MR_ENOTFOUND) {           /* the login names nobody on the staff */
		mr_err_clear(&err);
		rc = mr_err_set(&err, MR_EINVALID, "field \"login\": no staff member with login "
		                "\"%s\"", pn.who ? pn.who : "");
	}
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 201, json_pack("{sIssss}", "id", (json_int_t)pn.id, "url", pn.url,
		                              "login", pn.login));
done:
	free(pn.login);
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

int mr_h_probe_rm(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	double id;
	if (mr_num_parse(&id, c->tail) || id < 1 || id > 9e15 || id != (int64_t)id)
		return mr_web_fail(c, 404, "no probe %s", c->tail);
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_store_probe_rm(c->s, (int64_t)id, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{sI}", "id", (json_int_t)id));
	return 0;
}

/* ---- saved sources ---- */

int mr_h_source_add(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_import_opts o;
	mr_source src;
	const char *order = NULL;
	json_t *b = mr_web_body(c), *v;
	memset(&o, 0, sizeof o);
	memset(&src, 0, sizeof src);
	if (!b)
		return -1;
	const char *name = mr_web_str(c, b, "name");
	const char *kind = name ? mr_web_str(c, b, "kind") : NULL;
	if (!kind || text_field(c, b, "preset", 1, &o.preset) < 0 ||
	    text_field(c, b, "map", 1, &o.map) < 0 ||
	    text_field(c, b, "encoding", 1, &o.encoding) < 0 ||
	    text_field(c, b, "sheet", 1, &o.sheet) < 0 ||
	    text_field(c, b, "date_order", 1, &order) < 0)
		goto done;
	if (order && strcmp(order, "dmy") && strcmp(order, "mdy")) {
		mr_web_fail(c, 400, "field \"date_order\": dmy (day first) or mdy (month first)");
		goto done;
	}
	if (order)
		o.date_order = order[0] == 'd' ? MR_DATE_DMY : MR_DATE_MDY;
	if ((v = json_object_get(b, "strict")) && !json_is_boolean(v)) {
		mr_web_fail(c, 400, "field \"strict\": true or false");
		goto done;
	}
	o.strict = json_is_true(v);
	o.web = 1;
	if (mr_source_build(&src, name, kind, &o, &err)) {
		mr_web_err(c, &err);
		goto done;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_op_source_add(c->s, &src, &err);
	if (!mr_web_commit(c, rc, &err, 0)) {
		mr_buf d;
		mr_buf_init(&d);
		mr_source_describe(&src, &d);
		mr_web_json(c, 201, json_pack("{ssssss}", "name", src.name, "kind", src.kind, "about",
		                              d.data ? d.data : src.kind));
		mr_buf_release(&d);
	}
done:
	mr_source_release(&src);
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

int mr_h_source_rm(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_store_source_rm(c->s, c->tail, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{ss}", "name", c->tail));
	return 0;
}

/* ---- the staff list from a contacts file ---- */

/* POST /api/staff/import?file=NAME[&position=KEY][&titles=A=x,B=y] */
int mr_h_staff_import(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_staff_import_opts o;
	mr_staff_import_result res;
	struct mr_upload u;
	const char *titles = mr_web_arg(c, "titles"), *pos = mr_web_arg(c, "position");
	char *list = titles && *titles ? strdup(titles) : NULL;
	const char **each = NULL;
	size_t n = 0, cap = 0;
	memset(&o, 0, sizeof o);
	memset(&res, 0, sizeof res);
	/* TITLE=KEY, comma-separated, into a NULL-terminated list */
	for (char *t = list, *next; t; t = next) {
		next = strchr(t, ',');
		if (next)
			*next++ = 0;
		if (!*t)
			continue;
		if (!strchr(t, '=') || *t == '=') {
			mr_web_fail(c, 400, "titles: \"%s\": say TITLE=KEY, a job title and the plan's "
			            "position for it", t);
			goto done;
		}
		if (mr_vec_grow(&each, &cap, n + 1, sizeof *each)) {
			mr_web_fail(c, 500, "out of memory");
			goto done;
		}
		each[n++] = t;
		each[n] = NULL;
	}
	if (titles && *titles && !list) {
		mr_web_fail(c, 500, "out of memory");
		goto done;
	}
	if (mr_web_upload_save(c, &u)) {
		mr_web_upload_drop(&u);
		goto done;
	}
	o.name = mr_web_upload_name(mr_web_arg(c, "file"));
	o.titles = each;
	o.position = pos && *pos ? pos : NULL;
	o.web = 1;
	int rc = mr_store_begin(c->s, &err);
	if (!rc && c->snap->plan)
		rc = mr_web_plan_check(c, &err);
	if (!rc)
		rc = mr_op_staff_import(c->s, c->snap->plan, u.path, &o, &res, &err);
	if (!mr_web_commit(c, rc, &err, 1))
		mr_web_json(c, 200, json_pack("{sIsIsIsIss}", "added", (json_int_t)res.added, "changed",
		                              (json_int_t)res.changed, "unchanged",
		                              (json_int_t)res.unchanged, "skipped",
		                              (json_int_t)res.skipped, "notes",
		                              res.notes ? res.notes : ""));
	mr_web_upload_drop(&u);
done:
	free(res.notes);
	free(each);
	free(list);
	return 0;
}

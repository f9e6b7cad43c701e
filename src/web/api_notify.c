/* api_notify.c — the notices' setup from the browser (admin): channels,
 * settings and a test notice, through the same engine as `merit notify`
 * (ops/notify.c).  The server's own thread sends the outbox.
 */
#include "web/web_int.h"

#include <errno.h>
#include <string.h>

#include "ops/notify.h"

int mr_h_notify(mr_ctx *c)
{
	json_t *d = NULL;
	mr_err err = MR_ERR_INIT;
	int rc = mr_notify_describe(c->s, &d, &err);
	if (rc) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	return mr_web_json(c, 200, d);
}

/* An optional string member: NULL when absent, null or ""; -1 after
 * answering 400 when it is something else. */
static int opt_str(mr_ctx *c, json_t *b, const char *key, const char **out)
{
	json_t *v = json_object_get(b, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		mr_web_fail(c, 400, "field \"%s\": a string", key);
		return -1;
	}
	*out = *json_string_value(v) ? json_string_value(v) : NULL;
	return 0;
}

int mr_h_notify_add(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_notify_channel ch;
	int64_t id = 0;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	memset(&ch, 0, sizeof ch);
	ch.kind = (char *)mr_web_str(c, b, "kind");
	ch.target = ch.kind ? (char *)mr_web_str(c, b, "target") : NULL;
	if (!ch.target || opt_str(c, b, "secret", (const char **)&ch.secret) ||
	    opt_str(c, b, "who", (const char **)&ch.login) ||
	    opt_str(c, b, "lang", (const char **)&ch.lang))
		goto done;
	if (mr_notify_channel_check(&ch, &err)) {
		mr_web_err(c, &err);
		goto done;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_store_notify_add(c->s, &ch, &id, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 201, json_pack("{sI}", "id", (json_int_t)id));
done:
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

/* The channel number at the end of the path: -1 after answering 404. */
static int tail_id(mr_ctx *c, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(c->tail, &end, 10);
	if (errno || *end || v <= 0 || !*c->tail) {
		mr_web_fail(c, 404, "no notice channel \"%s\"", c->tail);
		return -1;
	}
	*out = v;
	return 0;
}

int mr_h_notify_rm(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	int64_t id;
	if (tail_id(c, &id))
		return -1;
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_store_notify_rm(c->s, id, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{sbsI}", "ok", 1, "removed", (json_int_t)id));
	return 0;
}

int mr_h_notify_test(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	int64_t id;
	if (tail_id(c, &id) || !mr_web_snap(c))
		return -1;
	if (!c->snap->plan)
		return mr_web_fail(c, 409, "there is no plan yet");
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_notify_test(c->s, c->snap->plan, id, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{sbsI}", "queued", 1, "channel", (json_int_t)id));
	return 0;
}

/* {"settings": {"KEY": "VALUE" or null (back to the default)}} */
int mr_h_notify_set(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	const char *keys[32], *values[32];
	size_t n = 0;
	json_t *b = mr_web_body(c), *set = b ? json_object_get(b, "settings") : NULL, *v;
	const char *k;
	if (!b)
		return -1;
	if (!json_is_object(set) || json_object_size(set) > 32) {
		mr_web_fail(c, 400, "field \"settings\": an object of settings");
		goto done;
	}
	json_object_foreach(set, k, v) {
		if (!json_is_null(v) && !json_is_string(v)) {
			mr_web_fail(c, 400, "setting \"%s\": a string or null", k);
			goto done;
		}
		keys[n] = k;
		values[n++] = json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_notify_settings_put(c->s, keys, values, n, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{sb}", "ok", 1));
done:
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

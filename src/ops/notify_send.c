/* notify_send.c — notices out of the outbox: e-mail over SMTP (STARTTLS)
 * and the group bots of WeCom, DingTalk and Feishu, through libcurl.
 *
 * The bots' formats, as their vendors document them:
 *  - WeCom (企业微信 群机器人, developer.work.weixin.qq.com/document/path/91770):
 *    POST {"msgtype":"text","text":{"content":…}}; answer {"errcode":0,…}.
 *  - DingTalk (钉钉 自定义机器人, open.dingtalk.com/document/robots/
 *    customize-robot-security-settings): with a secret, the URL gets
 *    &timestamp=MS&sign=urlencode(base64(HMAC-SHA256(key secret,
 *    "MS\nsecret"))); POST {"msgtype":"text","text":{"content":…}};
 *    answer {"errcode":0,…}.
 *  - Feishu (飞书 自定义机器人, open.feishu.cn/document/client-docs/bot-v3/
 *    add-custom-bot): with a secret, the body gets "timestamp" (seconds)
 *    and "sign" = base64(HMAC-SHA256(key "S\nsecret", empty message));
 *    POST {"msg_type":"text","content":{"text":…}}; answer {"code":0,…}.
 */
#include "ops/notify.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "ingest/plan_yaml.h"
#include "util/buf.h"

#define SEND_TIMEOUT_S 30L

/* base64 of HMAC-SHA256(key, msg) into out (at least 45 bytes). */
static int hmac_b64(char *out, size_t outlen, const char *key, const char *msg, mr_err *err)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	if (!HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)msg, strlen(msg),
	          mac, &maclen))
		return mr_err_set(err, MR_EINVALID, "signing the message failed (OpenSSL HMAC)");
	sodium_bin2base64(out, outlen, mac, maclen, sodium_base64_VARIANT_ORIGINAL);
	return 0;
}

static size_t collect(char *data, size_t size, size_t n, void *payload)
{
	mr_buf_add(payload, data, size * n);
	return size * n;
}

/* POST json to url; the answer's `field` must be 0. */
static int post_json(const char *url, const char *json, const char *field, mr_err *err)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	char cerr[CURL_ERROR_SIZE] = "";
	mr_buf ans;
	long status = 0;
	int rc = 0;
	mr_buf_init(&ans);
	if (!h || !hdr) {
		rc = mr_err_nomem(err);
		goto done;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &ans);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, SEND_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	CURLcode cc = curl_easy_perform(h);
	if (cc != CURLE_OK) {
		rc = mr_err_set(err, MR_EIO, "%s", *cerr ? cerr : curl_easy_strerror(cc));
		goto done;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	mr_buf_putc(&ans, 0);
	if (status != 200) {
		rc = mr_err_set(err, MR_EIO, "HTTP %ld from the bot", status);
		goto done;
	}
	json_t *o = mr_buf_oom(&ans) ? NULL : json_loads(ans.data, 0, NULL);
	json_t *code = o ? json_object_get(o, field) : NULL;
	if (!json_is_integer(code) || json_integer_value(code) != 0) {
		json_t *msg = o ? json_object_get(o, field[0] == 'c' ? "msg" : "errmsg") : NULL;
		rc = mr_err_set(err, MR_EIO, "the bot refused the message: %s %lld %s", field,
		                code ? (long long)json_integer_value(code) : -1LL,
		                json_is_string(msg) ? json_string_value(msg) : "");
	}
	json_decref(o);
done:
	mr_buf_release(&ans);
	curl_slist_free_all(hdr);
	if (h)
		curl_easy_cleanup(h);
	return rc;
}

static int send_bot(const mr_notify_channel *c, const char *text, mr_err *err)
{
	json_t *o = NULL;
	char *json = NULL, *url = NULL, sign[64];
	int rc = 0;
	if (strcmp(c->kind, "feishu") == 0) {
		o = json_pack("{sss{ss}}", "msg_type", "text", "content", "text", text);
		if (o && c->secret) {
			char ts[24], *key;
			snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
			if (!(key = malloc(strlen(ts) + strlen(c->secret) + 2))) {
				rc = mr_err_nomem(err);
				goto done;
			}
			memcpy(key, ts, strlen(ts));
			key[strlen(ts)] = '\n';
			memcpy(key + strlen(ts) + 1, c->secret, strlen(c->secret) + 1);
			rc = hmac_b64(sign, sizeof sign, key, "", err);
			free(key);
			if (!rc && (json_object_set_new(o, "timestamp", json_string(ts)) ||
			            json_object_set_new(o, "sign", json_string(sign))))
				rc = mr_err_nomem(err);
		}
	} else {
		o = json_pack("{sss{ss}}", "msgtype", "text", "text", "content", text);
	}
	if (rc)
		goto done;
	if (strcmp(c->kind, "dingtalk") == 0 && c->secret) {
		char ts[24], *msg = NULL, *esc = NULL;
		mr_buf u;
		snprintf(ts, sizeof ts, "%lld", (long long)time(NULL) * 1000);
		mr_buf_init(&u);
		mr_buf_printf(&u, "%s\n%s", ts, c->secret);
		msg = mr_buf_oom(&u) ? NULL : mr_buf_detach(&u);
		if (msg && !(rc = hmac_b64(sign, sizeof sign, c->secret, msg, err)) &&
		    (esc = curl_easy_escape(NULL, sign, 0))) {
			mr_buf_init(&u);
			mr_buf_printf(&u, "%s%stimestamp=%s&sign=%s", c->target,
			              strchr(c->target, '?') ? "&" : "?", ts, esc);
			url = mr_buf_oom(&u) ? NULL : mr_buf_detach(&u);
		}
		if (!rc && !url)
			rc = mr_err_nomem(err);
		mr_buf_release(&u);
		free(msg);
		curl_free(esc);
		if (rc)
			goto done;
	}
	if (!o || !(json = json_dumps(o, JSON_COMPACT))) {
		rc = mr_err_nomem(err);
		goto done;
	}
	rc = post_json(url ? url : c->target, json, strcmp(c->kind, "feishu") == 0 ? "code" :
	               "errcode", err);
done:
	json_decref(o);
	free(json);
	free(url);
	return rc;
}

/* ---- e-mail ---- */

struct reader { const char *data; size_t len, off; };

static size_t read_mail(char *buf, size_t size, size_t n, void *payload)
{
	struct reader *r = payload;
	size_t k = r->len - r->off < size * n ? r->len - r->off : size * n;
	memcpy(buf, r->data + r->off, k);
	r->off += k;
	return k;
}

/* s in base64: in lines of `line` bytes' worth ending in CRLF (a body),
 * or on one line when line is 0 (an RFC 2047 encoded word).  -1: no memory. */
static int put_b64(mr_buf *b, const char *s, size_t len, size_t line)
{
	size_t chunk = line ? line : len;
	size_t cap = sodium_base64_ENCODED_LEN(chunk, sodium_base64_VARIANT_ORIGINAL);
	char *out = malloc(cap);
	if (!out)
		return -1;
	for (size_t off = 0; off < len; off += chunk) {
		size_t k = len - off < chunk ? len - off : chunk;
		sodium_bin2base64(out, cap, (const unsigned char *)s + off, k,
		                  sodium_base64_VARIANT_ORIGINAL);
		mr_buf_puts(b, out);
		if (line)
			mr_buf_puts(b, "\r\n");
	}
	free(out);
	return 0;
}

static int send_mail(mr_store *s, const mr_notify_channel *c, const char *subject,
                     const char *body, mr_err *err)
{
	char *url = NULL, *from = NULL, *user = NULL, *ca = NULL, cerr[CURL_ERROR_SIZE] = "";
	const char *pw = getenv("MERIT_SMTP_PASSWORD");
	struct curl_slist *rcpt = NULL;
	CURL *h = NULL;
	mr_buf m;
	int rc;
	mr_buf_init(&m);
	if ((rc = mr_store_notify_setting(s, "smtp_url", &url, err)) ||
	    (rc = mr_store_notify_setting(s, "smtp_from", &from, err)) ||
	    (rc = mr_store_notify_setting(s, "smtp_user", &user, err)) ||
	    (rc = mr_store_notify_setting(s, "smtp_cafile", &ca, err)))
		goto done;
	if (!url || !from) {
		rc = mr_err_set(err, MR_EINVALID, "e-mail needs the settings smtp_url and smtp_from "
		                "(`merit notify set smtp_url smtp://HOST:587`)");
		goto done;
	}
	char date[64], msgid[80];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(msgid, sizeof msgid, "<%lld.%08x@merit>", (long long)now, randombytes_random());
	mr_buf_printf(&m, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: %s\r\nSubject:",
	              date, from, c->target, msgid);
	/* RFC 2047: encoded words of at most 75 characters (45 bytes of text),
	 * each ending on a whole UTF-8 character, on folded lines */
	int oom = 0;
	for (size_t off = 0, len = strlen(subject); off < len;) {
		size_t end = len - off > 45 ? off + 45 : len;
		while (end > off + 1 && end < len && ((unsigned char)subject[end] & 0xC0) == 0x80)
			end--;
		mr_buf_puts(&m, off ? "\r\n =?UTF-8?B?" : " =?UTF-8?B?");
		oom |= put_b64(&m, subject + off, end - off, 0);
		mr_buf_puts(&m, "?=");
		off = end;
	}
	mr_buf_puts(&m, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	            "Content-Transfer-Encoding: base64\r\n\r\n");
	oom |= put_b64(&m, body, strlen(body), 57);
	if (oom || mr_buf_oom(&m) || !(h = curl_easy_init()) ||
	    !(rcpt = curl_slist_append(NULL, c->target))) {
		rc = mr_err_nomem(err);
		goto done;
	}
	struct reader r = { m.data, m.len, 0 };
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);   /* STARTTLS or nothing */
	if (ca)
		curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	if (user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, pw ? pw : "");
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_mail);
	curl_easy_setopt(h, CURLOPT_READDATA, &r);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, SEND_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	CURLcode cc = curl_easy_perform(h);
	if (cc != CURLE_OK)
		rc = mr_err_set(err, MR_EIO, "%s: %s", url, *cerr ? cerr : curl_easy_strerror(cc));
done:
	mr_buf_release(&m);
	curl_slist_free_all(rcpt);
	if (h)
		curl_easy_cleanup(h);
	free(url);
	free(from);
	free(user);
	free(ca);
	return rc;
}

int mr_notify_send(mr_store *s, const mr_notify_channel *c, const char *subject,
                   const char *body, mr_err *err)
{
	if (strcmp(c->kind, "email") == 0)
		return send_mail(s, c, subject, body, err);
	/* a group reads one text: the subject is its first line */
	mr_buf t;
	mr_buf_init(&t);
	mr_buf_printf(&t, "%s\n%s", subject, body);
	int rc = mr_buf_oom(&t) ? mr_err_nomem(err) : send_bot(c, t.data, err);
	mr_buf_release(&t);
	return rc;
}

/* ---- the outbox's sender ---- */

/* One sender per database: a lock on DB-notify, held while delivering
 * (on PostgreSQL, the server's advisory lock "notify", for every merit
 * on every machine that uses the database). */
static int sender_lock(mr_store *s, const char *db, int *fd, mr_err *err)
{
	*fd = -1;
	if (mr_store_on_pg(s)) {
		int rc = mr_store_pg_lock(s, "notify", 1, err);
		return rc == MR_EBUSY ? mr_err_set(err, MR_EBUSY, "another merit (a `merit serve` "
		                                   "or `merit notify run`) is sending this "
		                                   "database's notices") : rc;
	}
	mr_buf p;
	mr_buf_init(&p);
	mr_buf_printf(&p, "%s-notify", db);
	if (mr_buf_oom(&p))
		return mr_err_nomem(err);
	*fd = open(p.data, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int rc = 0;
	if (*fd < 0)
		rc = mr_err_set(err, MR_EIO, "%s: %s", p.data, strerror(errno));
	else if (flock(*fd, LOCK_EX | LOCK_NB)) {
		rc = mr_err_set(err, MR_EBUSY, "another merit (a `merit serve` or `merit notify "
		                "run`) is sending this database's notices");
		close(*fd);
		*fd = -1;
	}
	mr_buf_release(&p);
	return rc;
}

/* Try the next due notice: 0 tried, MR_ENOTFOUND when none is due (then
 * *wait_until), else an error of the store. */
static int deliver_one(mr_store *s, mr_notify_tally *t, int64_t *wait_until, mr_err *err)
{
	mr_outbox_row r;
	mr_notify_channel c;
	mr_err why = MR_ERR_INIT;
	long base = 60, attempts = 8;
	int rc;
	memset(&c, 0, sizeof c);
	if ((rc = mr_store_begin_read(s, err)))
		return rc;
	rc = mr_store_outbox_next(s, time(NULL), &r, wait_until, err);
	if (!rc && ((rc = mr_store_notify_get(s, r.channel, &c, err)) ||
	            (rc = mr_notify_setting_num(s, "retry_seconds", &base, err)) ||
	            (rc = mr_notify_setting_num(s, "attempts", &attempts, err))))
		mr_outbox_row_release(&r);
	mr_store_rollback(s);
	if (rc)
		return rc;
	int failed = mr_notify_send(s, &c, r.subject, r.body, &why);
	int64_t next = 0;
	if (failed && r.attempts + 1 < attempts) {
		int shift = r.attempts < 20 ? r.attempts : 20;
		next = (int64_t)time(NULL) + ((int64_t)base << shift);
	}
	char name[48];
	snprintf(name, sizeof name, "%s %lld", c.kind, (long long)c.id);
	if (!(rc = mr_store_begin(s, err))) {
		rc = mr_store_outbox_done(s, &r, name, failed ? (why.msg ? why.msg : "failed") : NULL,
		                          next, err);
		rc = rc ? rc : mr_store_commit(s, err);
		if (rc)
			mr_store_rollback(s);
	}
	if (!rc) {
		t->sent += !failed;
		t->failed += failed && !next;
		t->retry += failed && next;
	}
	mr_err_clear(&why);
	mr_outbox_row_release(&r);
	mr_notify_channel_release(&c);
	return rc;
}

int mr_notify_deliver(mr_store *s, const char *db, int once, volatile sig_atomic_t *stop,
                      mr_notify_tally *out, mr_err *err)
{
	int fd = -1, rc = sender_lock(s, db, &fd, err), locked = !rc;
	int64_t started = time(NULL);
	memset(out, 0, sizeof *out);
	while (!rc && !(stop && *stop)) {
		int64_t wait_until = 0;
		rc = deliver_one(s, out, &wait_until, err);
		if (rc != MR_ENOTFOUND)
			continue;
		rc = 0;
		/* --once: only what was due when it began */
		if (!wait_until || (once && wait_until > started))
			break;
		while (time(NULL) < wait_until && !(stop && *stop)) {
			struct timespec ts = { 0, 200 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	if (fd >= 0)
		close(fd);
	if (locked && mr_store_on_pg(s))
		mr_store_pg_lock(s, "notify", 0, NULL);
	return rc;
}

int mr_notify_tick(mr_store *s, const char *db, volatile sig_atomic_t *stop,
                   mr_notify_tally *out, mr_err *err)
{
	char *yaml = NULL;
	mr_plan *plan = NULL;
	int queued = 0, rc = mr_store_begin(s, err);
	memset(out, 0, sizeof *out);
	if (rc)
		return rc;
	if (!(rc = mr_store_plan_get(s, &yaml, err)) &&
	    !(rc = mr_plan_parse(&plan, yaml, strlen(yaml), "(stored plan)", err)) &&
	    !(rc = mr_notify_pass(s, plan, mr_notify_today(), &queued, err)))
		rc = mr_store_commit(s, err);
	if (rc)
		mr_store_rollback(s);
	free(yaml);
	mr_plan_free(plan);
	if (!rc)
		rc = mr_notify_deliver(s, db, 1, stop, out, err);
	return rc;
}

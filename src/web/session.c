/* session.c — logging in and out, the session behind each request, the
 * CSRF token, and the pause after repeated failed logins.
 *
 * A session token is 256 random bits, sent only in an HttpOnly,
 * SameSite=Strict cookie; the database keeps its SHA-256.  A session ends
 * when idle too long, when old enough, at logout, or when the password
 * changes, or the user is disabled, or their staff record has ended.
 * Failed logins (and failed password changes) are counted per login at an
 * address and per address, in the database; past the limit each further
 * try from there waits longer (doubling, up to an hour), whatever the
 * password — but a try from another address is not held up.
 */
#include "web/web_int.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/period.h"
#include "ops/ops.h"
#include "util/text.h"

#define COOKIE "merit_session"

/* A valid Argon2id hash of nothing anyone types: verified against when
 * the login does not exist, so the answer takes as long either way. */
static char dummy_hash[crypto_pwhash_STRBYTES];
/* The key of an invented name's throttle row: the table holds no text an
 * attacker typed, only its keyed hash (a new key at each start). */
static unsigned char guess_key[crypto_generichash_KEYBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	randombytes_buf(guess_key, sizeof guess_key);
	unsigned char pw[16];
	randombytes_buf(pw, sizeof pw);
	if (crypto_pwhash_str_alg(dummy_hash, (const char *)pw, sizeof pw,
	                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                          crypto_pwhash_ALG_ARGON2ID13))
		dummy_hash[0] = 0;
}

void mr_web_token_new(char *out, size_t size)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, size, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void mr_web_token_hash(unsigned char out[32], const char *token, size_t len)
{
	crypto_hash_sha256(out, (const unsigned char *)token, len);
}

const char *mr_web_cookie_get(const char *header, const char *name, size_t *len)
{
	size_t n = strlen(name);
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t seg = end ? (size_t)(end - p) : strlen(p);
		if (seg > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			*len = seg - n - 1;
			return p + n + 1;
		}
		p = end;
	}
	return NULL;
}

static void set_cookie(mr_ctx *c, const char *token, int max_age)
{
	char buf[256];
	snprintf(buf, sizeof buf, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
	         token, max_age, c->rq->secure ? "; Secure" : "");
	free(c->rs->cookie);
	c->rs->cookie = strdup(buf);
}

static struct mr_session_memo *memo_slot(mr_web *w, const unsigned char hash[32])
{
	return &w->memo[(hash[0] | (unsigned)hash[1] << 8) % MR_SESSION_MEMOS];
}

/* The session from memory when read less than a second ago, at the
 * data's generation *gen: 0, or -1. */
static int memo_get(mr_web *w, const unsigned char hash[32], mr_session *out, int64_t *gen)
{
	int rc = -1;
	int64_t now = mr_web_ms();
	pthread_mutex_lock(&w->mu);
	struct mr_session_memo *m = memo_slot(w, hash);
	if (m->read_ms && now - m->read_ms < MR_SESSION_MEMO_MS &&
	    sodium_memcmp(m->hash, hash, 32) == 0) {
		out->login = strdup(m->login);
		out->role = strdup(m->role);
		out->csrf = strdup(m->csrf);
		out->created = m->created;
		out->seen = m->seen;
		*gen = m->gen;
		rc = out->login && out->role && out->csrf ? 0 : -1;
		if (rc)
			mr_session_release(out);
	}
	pthread_mutex_unlock(&w->mu);
	return rc;
}

static void memo_put(mr_web *w, const unsigned char hash[32], const mr_session *ss,
                     int64_t gen)
{
	if (strlen(ss->login) >= sizeof w->memo[0].login || strlen(ss->role) >= sizeof w->memo[0].role ||
	    strlen(ss->csrf) >= sizeof w->memo[0].csrf)
		return;
	pthread_mutex_lock(&w->mu);
	struct mr_session_memo *m = memo_slot(w, hash);
	memcpy(m->hash, hash, 32);
	snprintf(m->login, sizeof m->login, "%s", ss->login);
	snprintf(m->role, sizeof m->role, "%s", ss->role);
	snprintf(m->csrf, sizeof m->csrf, "%s", ss->csrf);
	m->created = ss->created;
	m->seen = ss->seen;
	m->read_ms = mr_web_ms();
	m->gen = gen;
	pthread_mutex_unlock(&w->mu);
}

static void memo_drop(mr_web *w, const unsigned char hash[32])
{
	pthread_mutex_lock(&w->mu);
	struct mr_session_memo *m = memo_slot(w, hash);
	if (sodium_memcmp(m->hash, hash, 32) == 0)
		memset(m, 0, sizeof *m);
	pthread_mutex_unlock(&w->mu);
}

void mr_web_sessions_forget(mr_web *w, const char *login)
{
	pthread_mutex_lock(&w->mu);
	for (size_t i = 0; i < MR_SESSION_MEMOS; i++)
		if (!login || strcmp(w->memo[i].login, login) == 0)
			memset(&w->memo[i], 0, sizeof w->memo[i]);
	pthread_mutex_unlock(&w->mu);
}

static int local_day(int64_t now)
{
	time_t t = (time_t)now;
	struct tm loc;
	if (!localtime_r(&t, &loc))
		return MR_DAY_MIN;
	return mr_day_from_civil(loc.tm_year + 1900, loc.tm_mon + 1, loc.tm_mday);
}

int mr_web_staff_left(const mr_ctx *c, const mr_staff *st)
{
	return st && st->to < MR_DAY_MAX && st->to < local_day(c->now);
}

int mr_web_session(mr_ctx *c)
{
	mr_web *w = c->w;
	mr_err err = MR_ERR_INIT;
	size_t len = 0;
	int64_t gen = -1;
	const char *tok = c->rq->cookie ? mr_web_cookie_get(c->rq->cookie, COOKIE, &len) : NULL;
	if (!tok || len < 20 || len > 100)
		return 0;
	mr_web_token_hash(c->token_hash, tok, len);
	mr_snap *snap = mr_web_snap(c);
	if (!snap)
		return 0;
	/* from memory unless the data changed since: a user disabled or a
	 * password set by the CLI ends the session within gen_check_ms */
	if (memo_get(w, c->token_hash, &c->ses, &gen) || gen != snap->gen) {
		if (gen != -1)
			mr_session_release(&c->ses);
		int rc = mr_store_session_get(c->s, c->token_hash, &c->ses, &err);
		if (rc) {
			if (rc != MR_ENOTFOUND)
				mr_web_err(c, &err);
			memo_drop(w, c->token_hash);
			mr_err_clear(&err);
			return 0;
		}
		memo_put(w, c->token_hash, &c->ses, snap->gen);
	}
	const mr_staff *me = mr_web_staff(snap, c->ses.login);
	if (mr_web_staff_left(c, me)) {      /* left the team: every session of theirs ends */
		mr_store_session_rm_login(c->s, c->ses.login, NULL, &err);
		mr_err_clear(&err);
		mr_web_sessions_forget(w, c->ses.login);
		mr_session_release(&c->ses);
		set_cookie(c, "", 0);
		return 0;
	}
	/* whole seconds: "more than S" keeps a session at least S seconds
	 * (at most S + 1); ">=" could end it after S - 1 and a bit */
	if (c->now - c->ses.created > w->cfg.session_max ||
	    c->now - c->ses.seen > w->cfg.session_idle) {
		memo_drop(w, c->token_hash);
		mr_store_session_rm(c->s, c->token_hash, &err);
		mr_err_clear(&err);
		mr_session_release(&c->ses);
		set_cookie(c, "", 0);
		return 0;
	}
	/* keep it alive, without a write on every request */
	int64_t every = w->cfg.session_idle / 8 < 60 ? w->cfg.session_idle / 8 : 60;
	if (c->now - c->ses.seen > every) {
		if (mr_store_session_touch(c->s, c->token_hash, c->now, &err))
			fprintf(stderr, "merit serve: %s\n", err.msg);
		c->ses.seen = c->now;
		memo_put(w, c->token_hash, &c->ses, snap->gen);
	}
	mr_err_clear(&err);
	c->user = 1;
	c->admin = strcmp(c->ses.role, "admin") == 0;
	c->manager = strcmp(c->ses.role, "manager") == 0;
	c->me = me;
	mr_store_set_actor(c->s, c->ses.login);
	return 1;
}

int mr_web_csrf_ok(const mr_ctx *c)
{
	const char *t = c->rq->csrf;
	size_t n = strlen(c->ses.csrf);
	return t && strlen(t) == n && sodium_memcmp(t, c->ses.csrf, n) == 0;
}

/* ---- throttling failed logins ----
 *
 * Rows of login_throttle, so a pause outlives a restart:
 *   "p:ADDR LOGIN"  a login at an address: login_failures failures, then a
 *                   pause of login_pause seconds, doubling with each
 *                   further failure, up to an hour;
 *   "a:ADDR"        an address over every login: four times as many (an
 *                   office may sit behind one router).
 *   "u:ADDR HASH"   a login that does not exist, at an address, by the
 *                   name's keyed hash: counted as a login's pair row, so a
 *                   429 comes at the same try whether the login exists.
 * ADDR is an IPv4 address or an IPv6 address's /64 (mr_web_addr_group).
 * A right password from an address that has not failed gets in whatever
 * the login's failures elsewhere: nobody can lock an owner out of their
 * account.  Failures are forgiven after an hour without one, counted from
 * the end of the last pause.  The table keeps MR_THROTTLE_ROWS rows: a new
 * key evicts the oldest "u:" rows first (invented names cannot push a real
 * login's rows out), then the oldest row that holds no pause; if none is
 * left (full), a try is counted on its address alone.
 *
 * A login is checked on the server's login thread (server.c: one login
 * waiting per address), so Argon2 holds neither the writer thread nor a
 * pool thread; password changes run on the writer.  A failure's count is
 * written in a transaction that reads the rows again (BEGIN IMMEDIATE),
 * so tries on several threads or servers at once lose none. */

#define QUIET 3600               /* seconds after which failures are forgiven */

void mr_web_addr_group(const char *peer, char *out, size_t size)
{
	struct in6_addr a6;
	char buf[INET6_ADDRSTRLEN];
	if (peer && strchr(peer, ':') && inet_pton(AF_INET6, peer, &a6) == 1) {
		if (IN6_IS_ADDR_V4MAPPED(&a6) && inet_ntop(AF_INET, &a6.s6_addr[12], buf, sizeof buf)) {
			snprintf(out, size, "%s", buf);
			return;
		}
		memset(&a6.s6_addr[8], 0, 8);
		if (inet_ntop(AF_INET6, &a6, buf, sizeof buf)) {
			snprintf(out, size, "%s/64", buf);
			return;
		}
	}
	snprintf(out, size, "%.*s", INET6_ADDRSTRLEN, peer && *peer ? peer : "?");
}

#define LOGIN_WRITE_MS 5000     /* a failure's count waits this long for the write lock */

struct throttle {
	char pkey[160], akey[64];
	int known;                       /* the login exists: a "p:" row, else a "u:" one */
	mr_throttle_row p, a;
};

void mr_web_throttle_count(mr_throttle_row *t, int limit, int pause, int64_t now)
{
	/* forgiven an hour after the last failure or, when it paused, after
	 * the pause's end: a pause capped at QUIET does not forgive itself */
	int64_t since = t->last > t->until ? t->last : t->until;
	if (now - since > QUIET)
		t->fails = 0;
	t->fails++;
	t->last = now;
	if (t->fails >= limit) {
		int over = t->fails - limit;
		int64_t p = (int64_t)pause << (over < 6 ? over : 6);
		t->until = now + (p < QUIET ? p : QUIET);
	}
}

/* Read the rows of `login` (known: it exists) at the request's address.
 * 0 when a try may go on; else -1, answered (429 with Retry-After). */
static int throttle_check(mr_ctx *c, struct throttle *t, const char *login, int known)
{
	mr_err err = MR_ERR_INIT;
	char grp[INET6_ADDRSTRLEN + 8];
	mr_web_addr_group(c->rq->peer, grp, sizeof grp);
	snprintf(t->akey, sizeof t->akey, "a:%s", grp);
	if (known) {
		snprintf(t->pkey, sizeof t->pkey, "p:%s %.100s", grp, login);
	} else {
		unsigned char h[16];
		char hex[2 * sizeof h + 1];
		crypto_generichash(h, sizeof h, (const unsigned char *)login, strlen(login),
		                   guess_key, sizeof guess_key);
		snprintf(t->pkey, sizeof t->pkey, "u:%s %s", grp,
		         sodium_bin2hex(hex, sizeof hex, h, sizeof h));
	}
	t->known = known;
	int rc = mr_store_throttle_get(c->s, t->akey, &t->a, &err);
	if (!rc)
		rc = mr_store_throttle_get(c->s, t->pkey, &t->p, &err);
	if (rc) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	int64_t until = t->a.until > t->p.until ? t->a.until : t->p.until;
	if (until <= c->now)
		return 0;
	c->rs->retry_after = (int)(until - c->now);
	mr_web_fail(c, 429, "too many failed logins; try again in %lld seconds",
	            (long long)(until - c->now));
	return -1;
}

/* A failed try: one more on the pair and on the address, in one
 * transaction that reads both rows again.  0; else -1, answered 503:
 * a failure not counted is not answered as counted. */
static int throttle_fail(mr_ctx *c, struct throttle *t)
{
	mr_web *w = c->w;
	mr_err err = MR_ERR_INIT;
	int full = 0, wait = mr_store_wait(c->s);
	mr_store_set_wait(c->s, wait < LOGIN_WRITE_MS ? wait : LOGIN_WRITE_MS);
	int rc = mr_store_begin_aside(c->s, "logins", &err);
	if (!rc)
		rc = mr_store_throttle_get(c->s, t->akey, &t->a, &err);
	if (!rc)
		rc = mr_store_throttle_get(c->s, t->pkey, &t->p, &err);
	if (!rc) {
		mr_web_throttle_count(&t->p, w->cfg.login_failures, w->cfg.login_pause, c->now);
		rc = mr_store_throttle_put(c->s, t->pkey, &t->p, c->now, MR_THROTTLE_ROWS,
		                           t->known ? MR_THROTTLE_PAIR : MR_THROTTLE_GUESS, &full,
		                           &err);
	}
	if (!rc) {
		mr_web_throttle_count(&t->a, 4 * w->cfg.login_failures, w->cfg.login_pause, c->now);
		rc = mr_store_throttle_put(c->s, t->akey, &t->a, c->now, MR_THROTTLE_ROWS,
		                           MR_THROTTLE_ADDR, &full, &err);
	}
	if (!rc)
		rc = mr_store_commit(c->s, &err);
	else
		mr_store_rollback(c->s);
	mr_store_set_wait(c->s, wait);
	if (rc) {
		fprintf(stderr, "merit serve: a failed login not counted: %s\n", err.msg);
		c->rs->retry_after = 5;
		mr_web_fail(c, 503, "the server is busy and could not check this login; "
		            "try again in a moment");
	}
	mr_err_clear(&err);
	return rc ? -1 : 0;
}

/* ---- the routes ---- */

static json_t *me_json(mr_ctx *c, const char *login, const char *role, const char *csrf)
{
	const mr_staff *me = mr_web_staff(c->snap, login);
	json_t *reports = json_array();
	if (c->snap)
		for (size_t i = 0; i < c->snap->nstaff; i++) {
			const mr_staff *st = &c->snap->staff[i];
			if (strcmp(st->login, login) && mr_web_may_see(c, st->login))
				json_array_append_new(reports, json_string(st->login));
		}
	return json_pack("{s:s, s:s, s:s?, s:s?, s:b, s:b, s:s, s:o}", "login", login,
	                 "role", role, "name", me ? me->name : NULL,
	                 "position", me ? me->position : NULL, "staff", me != NULL,
	                 "reviewer", me && me->reviewer, "csrf", csrf, "reports", reports);
}

int mr_h_login(mr_ctx *c)
{
	mr_web *w = c->w;
	mr_err err = MR_ERR_INIT;
	mr_user u;
	struct throttle t;
	char token[64], csrf[64];
	int rc, ok = 0;
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *login = mr_web_str(c, b, "login");
	const char *pw = login ? mr_web_str(c, b, "password") : NULL;
	if (!pw)
		goto done;
	pthread_once(&dummy_once, dummy_init);
	rc = mr_store_user_get(c->s, login, &u, &err);
	if (rc && rc != MR_ENOTFOUND) {
		mr_web_err(c, &err);
		goto done;
	}
	if (throttle_check(c, &t, login, !rc)) {
		if (!rc)
			mr_user_release(&u);
		goto done;
	}
	if (rc) {   /* the same work, and the same answer, as a wrong password */
		if (crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw)) == 0)
			ok = 0;
	} else {
		ok = crypto_pwhash_str_verify(u.pw_hash, pw, strlen(pw)) == 0;
		/* a disabled user, or one whose staff record has ended, gets the
		 * answer of a wrong password: nothing said about the account */
		if (ok && !mr_web_snap(c)) {       /* answered */
			mr_user_release(&u);
			goto done;
		}
		if (ok && (u.disabled || mr_web_staff_left(c, mr_web_staff(c->snap, u.login))))
			ok = 0;
	}
	if (!ok) {
		if (!rc)
			mr_user_release(&u);
		if (throttle_fail(c, &t))
			goto done;
		/* the log is a terminal's: no control character from it (C1 and
		 * bidi too), cut at 64 bytes on a character's edge */
		char cut[65];
		size_t n = strlen(login) > 64 ? 64 : strlen(login);
		if (n < strlen(login))
			while (n && ((unsigned char)login[n] & 0xc0) == 0x80)
				n--;
		memcpy(cut, login, n);
		cut[n] = 0;
		char *printable = mr_text_term_dup(cut);
		fprintf(stderr, "merit serve: failed login for \"%s\" from %s\n",
		        printable ? printable : "?", c->rq->peer ? c->rq->peer : "?");
		free(printable);
		mr_web_fail(c, 401, "wrong login or password");
		goto done;
	}
	mr_web_token_new(token, sizeof token);
	mr_web_token_new(csrf, sizeof csrf);
	mr_web_token_hash(c->token_hash, token, strlen(token));
	mr_err_clear(&err);
	/* sessions and the throttle only: not behind an import on PostgreSQL */
	if (!(rc = mr_store_begin_aside(c->s, "logins", &err))) {
		pthread_mutex_lock(&w->mu);         /* logins and the writer's changes */
		int purge = c->now - w->purged > 600;
		if (purge)
			w->purged = c->now;
		pthread_mutex_unlock(&w->mu);
		if (purge) {                        /* now and then, forget expired sessions */
			rc = mr_store_session_purge(c->s, c->now - w->cfg.session_max,
			                            c->now - w->cfg.session_idle, &err);
			if (!rc)                        /* and forgiven failures */
				rc = mr_store_throttle_purge(c->s, c->now, c->now - QUIET, &err);
		}
		if (!rc && t.p.fails)    /* the login starts afresh at this address */
			rc = mr_store_throttle_rm(c->s, t.pkey, &err);
		if (!rc)
			rc = mr_store_session_put(c->s, c->token_hash, u.login, csrf, c->now, &err);
		if (!rc)
			rc = mr_store_commit(c->s, &err);
		else
			mr_store_rollback(c->s);
	}
	if (rc) {
		mr_web_err(c, &err);
	} else if (mr_web_snap(c)) {
		c->admin = strcmp(u.role, "admin") == 0;
		c->manager = strcmp(u.role, "manager") == 0;
		c->user = 1;
		c->ses.login = strdup(u.login);
		c->me = mr_web_staff(c->snap, u.login);
		set_cookie(c, token, w->cfg.session_max);
		mr_web_json(c, 200, me_json(c, u.login, u.role, csrf));
	}
	mr_user_release(&u);
	sodium_memzero(token, sizeof token);
done:
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

int mr_h_logout(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	int rc = mr_store_session_rm(c->s, c->token_hash, &err);
	memo_drop(c->w, c->token_hash);     /* after: no request can remember it again */
	if (rc) {
		mr_web_err(c, &err);
	} else {
		set_cookie(c, "", 0);
		mr_web_json(c, 200, json_pack("{sb}", "ok", 1));
	}
	mr_err_clear(&err);
	return 0;
}

int mr_h_me(mr_ctx *c)
{
	return mr_web_json(c, 200, me_json(c, c->ses.login, c->ses.role, c->ses.csrf));
}

int mr_h_password(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	mr_user u;
	struct throttle t;
	char hash[MR_PW_HASH_SIZE];
	json_t *b = mr_web_body(c);
	if (!b)
		return -1;
	const char *old = mr_web_str(c, b, "old");
	const char *pw = old ? mr_web_str(c, b, "new") : NULL;
	if (!pw)
		goto done;
	/* a wrong old password is a failed login at this address: no oracle */
	if (throttle_check(c, &t, c->ses.login, 1))
		goto done;
	if (mr_store_user_get(c->s, c->ses.login, &u, &err)) {
		mr_web_err(c, &err);
		goto done;
	}
	int ok = crypto_pwhash_str_verify(u.pw_hash, old, strlen(old)) == 0;
	mr_user_release(&u);
	if (!ok) {
		if (!throttle_fail(c, &t))
			mr_web_fail(c, 403, "the old password is not right");
		goto done;
	}
	if (mr_op_password_hash(hash, pw, &err)) {
		mr_web_err(c, &err);
		goto done;
	}
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_store_user_put(c->s, c->ses.login, NULL, hash, 0, &err);
	if (!rc)   /* a changed password ends every other session */
		rc = mr_store_session_rm_login(c->s, c->ses.login, c->token_hash, &err);
	if (!rc)
		rc = mr_store_commit(c->s, &err);
	mr_web_sessions_forget(c->w, c->ses.login);
	if (rc) {
		mr_store_rollback(c->s);
		mr_web_err(c, &err);
	} else {
		mr_web_json(c, 200, json_pack("{sb}", "ok", 1));
	}
done:
	mr_err_clear(&err);
	json_decref(b);
	return 0;
}

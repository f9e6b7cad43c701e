/* schema.c — the database schema, as numbered migrations.
 *
 * PRAGMA user_version holds how many migrations a database has had.  The
 * migrations run in one write transaction when the database is opened for
 * writing, so a database is never left half-migrated.  Append new migrations; never
 * edit one that has shipped.
 */
#include "store/store_pg.h"

static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE plan("
	"  id INTEGER PRIMARY KEY,"
	"  yaml TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL);"
	"CREATE TABLE staff("
	"  login TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  position TEXT NOT NULL,"
	"  manager TEXT REFERENCES staff(login),"
	"  active_from INTEGER,"
	"  active_to INTEGER,"
	"  base_bonus_cents INTEGER) WITHOUT ROWID;"
	"CREATE TABLE ownership("
	"  kind TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  login TEXT NOT NULL REFERENCES staff(login),"
	"  PRIMARY KEY(kind, value)) WITHOUT ROWID;"
	"CREATE TABLE batch("
	"  id INTEGER PRIMARY KEY,"
	"  source TEXT NOT NULL,"
	"  file TEXT NOT NULL,"
	"  sha256 TEXT,"
	"  rows INTEGER NOT NULL DEFAULT 0,"
	"  first_day INTEGER,"
	"  last_day INTEGER,"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL);"
	"CREATE UNIQUE INDEX batch_content ON batch(source, sha256) WHERE sha256 IS NOT NULL;"
	/* What a measurement is about: an indicator for a login (NULL: the
	 * team).  Measurements point here by number, so a row is four numbers
	 * and scoring folds them into an array, not a hash of strings. */
	"CREATE TABLE subject("
	"  id INTEGER PRIMARY KEY,"
	"  indicator TEXT NOT NULL,"
	"  login TEXT REFERENCES staff(login));"
	"CREATE UNIQUE INDEX subject_key ON subject(indicator, ifnull(login, ''));"
	"CREATE TABLE measurement("
	"  id INTEGER PRIMARY KEY,"
	"  batch_id INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE,"
	"  subject_id INTEGER NOT NULL,"      /* subject(id); the store makes them, never removes */
	"  day INTEGER NOT NULL,"
	"  value REAL NOT NULL,"
	"  denominator REAL,"
	"  line INTEGER);"
	/* One index, on the day: data arrives roughly in date order, so it is
	 * appended to cheaply, and a period's rows are one range scan. */
	"CREATE INDEX measurement_day ON measurement(day);"
	/* Per subject and calendar month (year * 12 + month - 1), the
	 * aggregates of its measurements, kept in step by the store on every
	 * import and removal: scoring a year reads 12 rows a subject, not 365.
	 * last_id breaks a tie on last_day (the later measurement wins). */
	"CREATE TABLE rollup("
	"  subject_id INTEGER NOT NULL REFERENCES subject(id),"
	"  month INTEGER NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  sum REAL NOT NULL,"
	"  den REAL NOT NULL,"
	"  min REAL NOT NULL,"
	"  max REAL NOT NULL,"
	"  last_day INTEGER NOT NULL,"
	"  last_id INTEGER NOT NULL,"
	"  last REAL NOT NULL,"
	"  PRIMARY KEY(month, subject_id)) WITHOUT ROWID;"
	"CREATE TABLE cycle("
	"  period TEXT PRIMARY KEY,"
	"  first_day INTEGER NOT NULL,"
	"  last_day INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK(state IN ('open', 'review', 'closed')),"
	"  snapshot TEXT,"
	"  updated_at TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE rating("
	"  period TEXT NOT NULL,"
	"  login TEXT NOT NULL REFERENCES staff(login),"
	"  kind TEXT NOT NULL CHECK(kind IN ('self', 'manager', 'peer')),"
	"  rater TEXT NOT NULL,"
	"  criterion TEXT NOT NULL,"
	"  stars REAL NOT NULL,"
	"  comment TEXT,"
	"  created_at TEXT NOT NULL,"
	"  PRIMARY KEY(period, login, kind, rater, criterion)) WITHOUT ROWID;"
	"CREATE TABLE user("
	"  login TEXT PRIMARY KEY,"
	"  role TEXT NOT NULL CHECK(role IN ('admin', 'manager', 'member')),"
	"  pw_hash TEXT NOT NULL,"
	"  created_at TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE audit("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  who TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  object TEXT NOT NULL,"
	"  before TEXT,"
	"  after TEXT);"
	/* The audit log is append-only, and closed cycles are frozen: the
	 * database itself refuses, whatever the code above it does.  (New
	 * measurements are checked by mr_store_measure_add against the
	 * closed cycles it reads once per transaction: a trigger per inserted
	 * row would cost a third of an import's time.) */
	"CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
	"CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
	"CREATE TRIGGER measurement_frozen_d BEFORE DELETE ON measurement"
	"  WHEN EXISTS(SELECT 1 FROM cycle WHERE state = 'closed'"
	"              AND OLD.day BETWEEN first_day AND last_day)"
	"  BEGIN SELECT RAISE(ABORT, 'frozen'); END;"
	"CREATE TRIGGER rating_frozen_i BEFORE INSERT ON rating"
	"  WHEN EXISTS(SELECT 1 FROM cycle WHERE state = 'closed' AND period = NEW.period)"
	"  BEGIN SELECT RAISE(ABORT, 'frozen'); END;"
	"CREATE TRIGGER rating_frozen_d BEFORE DELETE ON rating"
	"  WHEN EXISTS(SELECT 1 FROM cycle WHERE state = 'closed' AND period = OLD.period)"
	"  BEGIN SELECT RAISE(ABORT, 'frozen'); END;",
	/* uptime probes (`merit probe`), and the raw result of every check:
	 * (batch_id, line) is the `uptime` measurement the check gave, so a
	 * scorecard's uptime traces to the very check; removing the batch
	 * removes its checks, removing a probe keeps its history. */
	"CREATE TABLE probe("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"   /* a removed probe's number is not reused */
	"  url TEXT NOT NULL UNIQUE,"
	"  login TEXT NOT NULL REFERENCES staff(login),"
	"  every_ms INTEGER NOT NULL CHECK(every_ms > 0),"
	"  timeout_ms INTEGER NOT NULL CHECK(timeout_ms > 0),"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL);"
	"CREATE TABLE probe_check("
	"  id INTEGER PRIMARY KEY,"
	"  batch_id INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE,"
	"  line INTEGER NOT NULL,"
	"  probe_id INTEGER REFERENCES probe(id) ON DELETE SET NULL,"
	"  url TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  up INTEGER NOT NULL CHECK(up IN (0, 1)),"
	"  status INTEGER,"
	"  latency_ms REAL,"
	"  error TEXT);"
	"CREATE INDEX probe_check_batch ON probe_check(batch_id, line);"
	"CREATE INDEX probe_check_probe ON probe_check(probe_id, id);",
	/* Each shop customer's first order, so `online_customers` counts a
	 * first-time buyer once across every orders import; the batch that
	 * first saw them owns the row, and removing that batch forgets them. */
	"CREATE TABLE customer("
	"  shop_key TEXT PRIMARY KEY,"
	"  first_day INTEGER NOT NULL,"
	"  first_order TEXT,"
	"  batch_id INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE) WITHOUT ROWID;"
	"CREATE INDEX customer_batch ON customer(batch_id);",
	/* Web traffic from access logs (`merit ingest`, `merit traffic`).
	 * traffic: per batch, site and day, counts that add up across batches
	 * (visitors counted in the batch that first saw them that day).
	 * traffic_visitor: each day's visitor set, one packed row per day and
	 * batch (a visitor is a hash of site, address and user agent), so a
	 * later batch counts only new visitors and continues open visits.  log_seen: how much of a log was
	 * ingested (length, hash of those bytes, lines), so a grown log
	 * contributes only its new lines.  article_view: page views of URLs
	 * under an editor's prefix, for share_rate. */
	"CREATE TABLE traffic("
	"  batch_id INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE,"
	"  site TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  requests INTEGER NOT NULL,"
	"  failed_lines INTEGER NOT NULL,"
	"  page_views INTEGER NOT NULL,"
	"  visitors INTEGER NOT NULL,"
	"  human_visitors INTEGER NOT NULL,"
	"  visits INTEGER NOT NULL,"
	"  crawler_requests INTEGER NOT NULL,"
	"  PRIMARY KEY(batch_id, site, day)) WITHOUT ROWID;"
	"CREATE INDEX traffic_day ON traffic(day, site);"
	"CREATE TABLE traffic_visitor("
	"  day INTEGER NOT NULL,"
	"  batch_id INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE,"
	"  visitors BLOB NOT NULL,"       /* 13 bytes each: key, last second, human */
	"  PRIMARY KEY(day, batch_id)) WITHOUT ROWID;"
	"CREATE TABLE log_seen("
	"  batch_id INTEGER PRIMARY KEY REFERENCES batch(id) ON DELETE CASCADE,"
	"  head TEXT NOT NULL,"
	"  length INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  lines INTEGER NOT NULL);"
	"CREATE INDEX log_seen_head ON log_seen(head);"
	"CREATE TABLE article_view("
	"  batch_id INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE,"
	"  site TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  path TEXT NOT NULL,"
	"  login TEXT NOT NULL REFERENCES staff(login),"
	"  views INTEGER NOT NULL,"
	"  PRIMARY KEY(batch_id, site, day, path)) WITHOUT ROWID;"
	"CREATE INDEX article_view_login ON article_view(login, day);",
	/* web sessions (`merit serve`): only the SHA-256 of a token is kept;
	 * times are Unix seconds.  Not audited: they are not the appraisal. */
	"CREATE TABLE session("
	"  token_hash BLOB PRIMARY KEY,"
	"  login TEXT NOT NULL REFERENCES user(login) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  seen_at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX session_login ON session(login);",
	/* 6: the people who rate (SPEC 2).  A reviewer (the owner, a
	 * director) rates and is never scored: no position (kept as '').
	 * Ratings gain `upward` (a direct report about their manager); a
	 * table cannot change its CHECK in place, so rating is made anew with
	 * its rows and triggers.  peer_nomination: who may peer-rate whom in
	 * a cycle (peers: nominated).  calibration: a grade an admin set by
	 * hand before close, with the reason.  acknowledgement: the person's
	 * and their manager's word on a closed cycle's result.  Nominations and
	 * calibrations of a closed cycle are frozen like its ratings. */
	"ALTER TABLE staff ADD COLUMN reviewer INTEGER NOT NULL DEFAULT 0"
	"  CHECK(reviewer IN (0, 1));"
	"CREATE TABLE rating_v6("
	"  period TEXT NOT NULL,"
	"  login TEXT NOT NULL REFERENCES staff(login),"
	"  kind TEXT NOT NULL CHECK(kind IN ('self', 'manager', 'peer', 'upward')),"
	"  rater TEXT NOT NULL,"
	"  criterion TEXT NOT NULL,"
	"  stars REAL NOT NULL,"
	"  comment TEXT,"
	"  created_at TEXT NOT NULL,"
	"  PRIMARY KEY(period, login, kind, rater, criterion)) WITHOUT ROWID;"
	"INSERT INTO rating_v6 SELECT period, login, kind, rater, criterion, stars, comment,"
	"  created_at FROM rating;"
	"DROP TABLE rating;"
	"ALTER TABLE rating_v6 RENAME TO rating;"
	"CREATE TRIGGER rating_frozen_i BEFORE INSERT ON rating"
	"  WHEN EXISTS(SELECT 1 FROM cycle WHERE state = 'closed' AND period = NEW.period)"
	"  BEGIN SELECT RAISE(ABORT, 'frozen'); END;"
	"CREATE TRIGGER rating_frozen_d BEFORE DELETE ON rating"
	"  WHEN EXISTS(SELECT 1 FROM cycle WHERE state = 'closed' AND period = OLD.period)"
	"  BEGIN SELECT RAISE(ABORT, 'frozen'); END;"
	"CREATE TABLE peer_nomination("
	"  period TEXT NOT NULL,"
	"  login TEXT NOT NULL REFERENCES staff(login),"
	"  peer TEXT NOT NULL REFERENCES staff(login),"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  PRIMARY KEY(period, login, peer)) WITHOUT ROWID;"
	"CREATE TABLE calibration("
	"  period TEXT NOT NULL,"
	"  login TEXT NOT NULL REFERENCES staff(login),"
	"  grade TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  PRIMARY KEY(period, login)) WITHOUT ROWID;"
	"CREATE TABLE acknowledgement("
	"  period TEXT NOT NULL,"
	"  login TEXT NOT NULL REFERENCES staff(login),"
	"  role TEXT NOT NULL CHECK(role IN ('self', 'manager')),"
	"  by_login TEXT NOT NULL,"
	"  comment TEXT,"
	"  created_at TEXT NOT NULL,"
	"  PRIMARY KEY(period, login, role)) WITHOUT ROWID;"
	"CREATE TRIGGER peer_nomination_frozen_i BEFORE INSERT ON peer_nomination"
	"  WHEN EXISTS(SELECT 1 FROM cycle WHERE state = 'closed' AND period = NEW.period)"
	"  BEGIN SELECT RAISE(ABORT, 'frozen'); END;"
	"CREATE TRIGGER peer_nomination_frozen_d BEFORE DELETE ON peer_nomination"
	"  WHEN EXISTS(SELECT 1 FROM cycle WHERE state = 'closed' AND period = OLD.period)"
	"  BEGIN SELECT RAISE(ABORT, 'frozen'); END;"
	"CREATE TRIGGER calibration_frozen_i BEFORE INSERT ON calibration"
	"  WHEN EXISTS(SELECT 1 FROM cycle WHERE state = 'closed' AND period = NEW.period)"
	"  BEGIN SELECT RAISE(ABORT, 'frozen'); END;"
	"CREATE TRIGGER calibration_frozen_u BEFORE UPDATE ON calibration"
	"  WHEN EXISTS(SELECT 1 FROM cycle WHERE state = 'closed' AND period = OLD.period)"
	"  BEGIN SELECT RAISE(ABORT, 'frozen'); END;"
	"CREATE TRIGGER calibration_frozen_d BEFORE DELETE ON calibration"
	"  WHEN EXISTS(SELECT 1 FROM cycle WHERE state = 'closed' AND period = OLD.period)"
	"  BEGIN SELECT RAISE(ABORT, 'frozen'); END;",
	/* 7: nothing counted twice (SPEC 5).  rows_sha256: the hash of a
	 * file's rows as read (line ends, a BOM, a trailing newline left
	 * out), so a re-saved export is the same content.  batch_key: each
	 * row's identity (an order number, an issue key, a post's URL, a
	 * normalised row, with its kind) held by the batch that counted it;
	 * one owner per key, forgotten with its batch.  A key is kept as a
	 * 64-bit hash, the rowid: a file may have millions of rows. */
	"ALTER TABLE batch ADD COLUMN rows_sha256 TEXT;"
	"CREATE INDEX batch_rows ON batch(source, rows_sha256) WHERE rows_sha256 IS NOT NULL;"
	"CREATE TABLE batch_key("
	"  key INTEGER PRIMARY KEY,"
	"  batch_id INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE);"
	"CREATE INDEX batch_key_batch ON batch_key(batch_id);",
	/* 8: saved sources (`merit source add`, SPEC 5): an import's kind and
	 * options kept under a name, so a monthly export goes in with
	 * `merit import --source NAME FILE`.  options: JSON (preset, maps,
	 * map_file and its text, values, date_order, strict). */
	"CREATE TABLE source("
	"  name TEXT PRIMARY KEY COLLATE NOCASE,"
	"  kind TEXT NOT NULL,"
	"  options TEXT NOT NULL CHECK(json_valid(options)),"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL) WITHOUT ROWID;",
	/* 9: no log line counted twice (SPEC 5).  log_line: the fingerprints of
	 * the lines a batch counted, per day: 8 bytes a line (a 64-bit hash of
	 * the site and the line's bytes, the n-th copy of a line hashed apart),
	 * packed in one row per day and batch, forgotten with the batch. */
	"CREATE TABLE log_line("
	"  day INTEGER NOT NULL,"
	"  batch_id INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE,"
	"  keys BLOB NOT NULL,"
	"  PRIMARY KEY(day, batch_id)) WITHOUT ROWID;"
	"CREATE INDEX log_line_batch ON log_line(batch_id);",
	/* 10: the web door under attack (issue 12).  login_throttle: failed
	 * logins and password changes, per (login, address) pair and per
	 * address (an IPv6 one by its /64), so a pause survives a restart;
	 * times are Unix seconds, the table is bounded by the server (the
	 * oldest rows go).  user.disabled: a user who may not log in (`merit
	 * user disable`); their sessions are removed when it is set. */
	"CREATE TABLE login_throttle("
	"  key TEXT PRIMARY KEY,"
	"  fails INTEGER NOT NULL,"
	"  last INTEGER NOT NULL,"
	"  until INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX login_throttle_last ON login_throttle(last);"
	"ALTER TABLE user ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0"
	"  CHECK(disabled IN (0, 1));",
	/* 11: a long import written in parts (issue 11, store_stage.c).
	 * loading: a batch whose rows are still being written, each part in
	 * a transaction of its own; nothing reads its rows until the last
	 * part removes this row.  Its measurements are ids [first_id,
	 * last_id] (last_id was written first, so others' new rows go above
	 * it); its new subjects are ids [first_subject, last_subject], removed
	 * with it when no other batch counted them.  A loader that died is known by its lock on the database's
	 * "-load" file being free; the next import removes what it wrote.
	 * The frozen trigger lets such rows go even in a closed cycle. */
	"CREATE TABLE loading("
	"  batch_id INTEGER PRIMARY KEY REFERENCES batch(id) ON DELETE CASCADE,"
	"  first_id INTEGER NOT NULL,"
	"  last_id INTEGER NOT NULL,"
	"  first_subject INTEGER NOT NULL,"
	"  last_subject INTEGER NOT NULL);"
	"DROP TRIGGER measurement_frozen_d;"
	"CREATE TRIGGER measurement_frozen_d BEFORE DELETE ON measurement"
	"  WHEN EXISTS(SELECT 1 FROM cycle WHERE state = 'closed'"
	"              AND OLD.day BETWEEN first_day AND last_day)"
	"   AND NOT EXISTS(SELECT 1 FROM loading WHERE batch_id = OLD.batch_id)"
	"  BEGIN SELECT RAISE(ABORT, 'frozen'); END;",
	/* 12: evidence a member hands in (a post, a topic, a design verdict,
	 * a value counted by hand) and their manager approves or rejects;
	 * an approved item's measurement is in batch_id's batch.  url_key is
	 * the normalised URL: one item per URL unless rejected. */
	"CREATE TABLE evidence("
	"  id INTEGER PRIMARY KEY,"
	"  login TEXT NOT NULL REFERENCES staff(login),"
	"  kind TEXT NOT NULL CHECK(kind IN ('post', 'topic', 'design', 'value')),"
	"  indicator TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  value REAL NOT NULL,"
	"  denominator REAL,"
	"  url TEXT,"
	"  url_key TEXT,"
	"  platform TEXT,"
	"  title TEXT,"
	"  note TEXT,"
	"  file_name TEXT,"
	"  file_type TEXT,"
	"  file BLOB,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK(state IN ('pending', 'approved', 'rejected')),"
	"  submitted_at TEXT NOT NULL,"
	"  decided_by TEXT,"
	"  decided_at TEXT,"
	"  reason TEXT,"
	"  batch_id INTEGER REFERENCES batch(id) ON DELETE SET NULL);"
	"CREATE UNIQUE INDEX evidence_url ON evidence(url_key)"
	"  WHERE url_key IS NOT NULL AND state <> 'rejected';"
	"CREATE INDEX evidence_state ON evidence(state, login);",
	/* 13: setting up in the browser (issue 13).  batch.unattributed:
	 * what an import could not give an owner, as JSON
	 * [{"kind", "value", "rows"}], offered to the admin as rules to make.
	 * invite: a one-time link to set one's password, by its token's
	 * SHA-256 (the token itself is only in the link); the user is made
	 * when it is used. */
	"ALTER TABLE batch ADD COLUMN unattributed TEXT;"
	"CREATE TABLE invite("
	"  token_hash BLOB PRIMARY KEY,"
	"  login TEXT NOT NULL,"
	"  role TEXT NOT NULL CHECK(role IN ('admin', 'manager', 'member')),"
	"  expires INTEGER NOT NULL,"
	"  created_by TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX invite_login ON invite(login);",
	/* 14: surveys (issue 13 item 7): an indicator no system file holds
	 * (brand awareness, reputation) measured by a short questionnaire at
	 * a public link /s/TOKEN while the period's cycle is open.  token:
	 * the link's random part, kept plain (the link is shared on purpose
	 * and opens nothing but the questionnaire).  questions: which fixed
	 * set (ops/survey.c).  survey_answer: one row per respondent, by the
	 * SHA-256 of the random id their browser keeps in a cookie; a1..a3 on
	 * a 1..5 scale.  Closing writes the score as a batch (batch_id). */
	"CREATE TABLE survey("
	"  id INTEGER PRIMARY KEY,"
	"  token TEXT NOT NULL UNIQUE,"
	"  indicator TEXT NOT NULL,"
	"  period TEXT NOT NULL,"
	"  brand TEXT NOT NULL,"
	"  questions TEXT NOT NULL CHECK(questions IN ('awareness', 'reputation')),"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK(state IN ('open', 'closed')),"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  closed_at TEXT,"
	"  batch_id INTEGER REFERENCES batch(id) ON DELETE SET NULL);"
	"CREATE TABLE survey_answer("
	"  survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,"
	"  respondent BLOB NOT NULL,"
	"  a1 INTEGER NOT NULL CHECK(a1 BETWEEN 1 AND 5),"
	"  a2 INTEGER NOT NULL CHECK(a2 BETWEEN 1 AND 5),"
	"  a3 INTEGER NOT NULL CHECK(a3 BETWEEN 1 AND 5),"
	"  answered_at TEXT NOT NULL,"
	"  PRIMARY KEY(survey_id, respondent)) WITHOUT ROWID;",
	/* 15: a cycle's results reach its members when an admin releases them:
	 * released_at is when (NULL: withheld).  The cycles closed before this
	 * version were shown to their members already: they count as released.
	 * The lists of 200 people's data: batches by source newest first, the
	 * audit log by who and by action newest first, a user's last login. */
	"ALTER TABLE cycle ADD COLUMN released_at TEXT;"
	"UPDATE cycle SET released_at = updated_at WHERE state = 'closed';"
	"CREATE INDEX batch_source ON batch(source, id);"
	"CREATE INDEX audit_who ON audit(who, id);"
	"CREATE INDEX audit_action ON audit(action, id);"
	"ALTER TABLE user ADD COLUMN last_login TEXT;",
	/* 16: notices (issue 13, ops/notify.c).  notify_channel: where they go
	 * (an e-mail address, of one person when login is set, or a group
	 * bot's webhook); notify_setting: the base URL, SMTP server and the
	 * like; outbox: one row per notice and channel, written in the same
	 * transaction as its event, sent once (sent_at), retried until then
	 * (attempts, next_at in Unix seconds), or given up (state failed).
	 * `key` says which event it is, so a periodic notice is queued once. */
	"CREATE TABLE notify_channel("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK(kind IN ('email', 'wecom', 'dingtalk', 'feishu')),"
	"  target TEXT NOT NULL,"
	"  secret TEXT,"
	"  login TEXT REFERENCES staff(login),"
	"  lang TEXT,"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  UNIQUE(kind, target));"
	"CREATE TABLE notify_setting("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE outbox("
	"  id INTEGER PRIMARY KEY,"
	"  channel_id INTEGER NOT NULL REFERENCES notify_channel(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending', 'sent', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  created_at TEXT NOT NULL,"
	"  sent_at TEXT,"
	"  UNIQUE(channel_id, key));"
	"CREATE INDEX outbox_due ON outbox(next_at) WHERE state = 'pending';",
	/* 17: how a batch's numbers were measured, when its file name does
	 * not say (issue 13 item 7): a JSON object an importer writes, e.g.
	 * {"instrument": "baidu-index", "keyword": "云杉茶"} for a search-index
	 * series; the scorecard's trace shows it.  NULL: the file says. */
	"ALTER TABLE batch ADD COLUMN how TEXT CHECK(how IS NULL OR json_valid(how));",
};

int mr_store_schema_version(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *mr_schema_migration(int i)
{
	return i >= 0 && i < mr_store_schema_version() ? migrations[i] : NULL;
}

static int schema_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*version = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

int mr_store_ping(mr_store *s, int *version, mr_err *err)
{
	*version = 0;
	if (mr_store_on_pg(s))
		return mr_pg_version(s, version, err);
	if (schema_version(s->db, version) != SQLITE_OK)
		return mr_sql_err(s->db, err, "reading the database");
	return 0;
}

int mr_schema_newer(int version, const char *path, mr_err *err)
{
	return mr_err_set(err, MR_EINVALID, "%s: the database has schema version %d, newer than "
	                  "this merit knows (%d): upgrade merit", path, version,
	                  mr_store_schema_version());
}

/* Several processes may open an older database at once (a server
 * starting, a cron job, someone's `merit score`): the version read
 * before the write lock only says whether to take it; the one read
 * under the lock decides, so whoever comes second finds the work done.
 * Taking the lock waits the busy timeout for another writer. */
int mr_schema_migrate(sqlite3 *db, const char *path, mr_err *err)
{
	int version = 0, rc;
	const int latest = mr_store_schema_version();

	if (schema_version(db, &version) != SQLITE_OK)
		return mr_sql_err(db, err, "%s: reading the schema version", path);
	if (version > latest)
		return mr_schema_newer(version, path, err);
	if (version == latest)
		return 0;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return mr_sql_err(db, err, "%s: upgrading the schema from version %d to %d (waited "
		                  "for the write lock)", path, version, latest);
	if (schema_version(db, &version) != SQLITE_OK) {
		mr_sql_err(db, err, "%s: reading the schema version", path);
		goto fail;
	}
	if (version > latest) {
		mr_schema_newer(version, path, err);
		goto fail;
	}
	if (version == latest) {          /* another process migrated it meanwhile */
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return 0;
	}
	/* never migrate a damaged file (an empty one is not damaged) */
	if (version > 0 && version < latest && mr_store_quick_check(db, path, err))
		goto fail;
	for (; version < latest; version++) {
		rc = sqlite3_exec(db, migrations[version], NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			mr_sql_err(db, err, "%s: migrating the schema to version %d", path, version + 1);
			goto fail;
		}
	}
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", latest);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		mr_sql_err(db, err, "%s: finishing the schema migration", path);
		goto fail;
	}
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return err && err->code ? err->code : MR_EDB;
}

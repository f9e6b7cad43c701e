"""webtest.py — what the web tests in tests/web share (Python 3, standard
library only).  A test imports it with

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    import webtest
    from webtest import check, note

- check(desc, cond, detail="") prints "ok N - desc" or "not ok N - desc:
  detail" (thread-safe) and returns bool(cond); note(text) prints "# text".
  finish() prints the plan line "1..N" and "# N checks, F failed" and
  returns the exit code (1 when a check failed): end with
  sys.exit(webtest.finish()), or run(main, "x_test.py", SECONDS), which
  also bounds main()'s time and counts a crash as a failed check.  tests/e2e/lib.sh's web_py turns these lines
  into the e2e test's ok/fail.
- configure(merit, db) names the merit binary and the test's database (a
  SQLite file, or a postgresql:// URL: the tests run on both engines);
  db_copy(name) then copies that database (SQLite's backup API, or pg_dump
  into a new database on the same server) and returns the copy's path or
  URL.  connect(db) opens one for the test's own queries, on either
  engine: execute(sql, args) with SQLite's "?" placeholders, fetchall(),
  commit(), close(); is_pg(db) says which engine; WriteLock(db) holds
  merit's write lock there (or on PostgreSQL the logins' own lock) until
  release().  db_bytes(db): all it holds, as bytes.
- Server(dbpath, *args, ...) starts `merit serve --listen ADDR:0` on dbpath,
  reads its port from the first stderr line (check: it starts), collects
  its stderr; stop() sends SIGTERM and checks that it said nothing
  alarming: every line must match SERVER_LOG_OK (the base pattern) or the
  test's own log_ok pattern.  SERVERS lists every server started;
  kill_all() kills those still running.
- Resp: an HTTP answer (status, headers, body; header(), json(), text(),
  retry_after()).
- request(host, port, ...) and Session(host, port, login, password): a
  logged-in user (its cookie and CSRF token) of a server given by URL.
"""
import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import traceback

# what any merit serve may say on stderr; a test extends it with log_ok
SERVER_LOG_OK = re.compile(r"^(merit: serving http://|merit: stopped$|merit serve: failed login "
                           r"for )")

MERIT = None
DB = None

# ---- reporting ----

_n = 0
_failed = 0
_lock = threading.Lock()


def check(desc, cond, detail=""):
    global _n, _failed
    with _lock:
        _n += 1
        if cond:
            print("ok %d - %s" % (_n, desc))
        else:
            _failed += 1
            d = detail if isinstance(detail, str) else repr(detail)
            print("not ok %d - %s%s" % (_n, desc, (": " + d[:1500]) if d else ""))
        sys.stdout.flush()
    return bool(cond)


def note(text):
    print("# " + text)
    sys.stdout.flush()


def run(main, name, seconds):
    """Run main() under a time limit of `seconds` (then "not ok" and exit 3);
    a crash (an exception) is a failed check; exit with finish()'s code."""
    deadline = threading.Timer(seconds, lambda: (print("not ok - %s ran over %d s"
                                                       % (name, seconds)),
                                                 sys.stdout.flush(), os._exit(3)))
    deadline.daemon = True
    deadline.start()
    try:
        main()
    except Exception:                    # noqa: BLE001 — a crash of the test is a failure
        traceback.print_exc()
        check("%s ran to the end" % name, False, "see the traceback above")
    sys.exit(finish())


def finish():
    """The plan line and a summary; the exit code (1 when a check failed)."""
    print("1..%d" % _n)
    print("# %d checks, %d failed" % (_n, _failed))
    sys.stdout.flush()
    return 1 if _failed else 0


# ---- the database ----

def configure(merit, db):
    global MERIT, DB
    MERIT, DB = merit, db


def is_pg(db=None):
    return (db or DB).startswith(("postgres://", "postgresql://"))


class _PgCursor:
    def __init__(self, cur):
        self._cur = cur
        self.description = cur.description

    def fetchall(self):
        return self._cur.fetchall() if self._cur.description else []

    def fetchone(self):
        return self._cur.fetchone() if self._cur.description else None

    def __iter__(self):
        return iter(self.fetchall())


_VIEWS = {}                 # a copy's path: the WAL position it was made at


class _ViewCursor:
    def __init__(self, description, rows):
        self.description, self._rows = description, rows

    def fetchall(self):
        return self._rows

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def __iter__(self):
        return iter(self._rows)


def _pg_sql(sql, args):
    """SQLite's placeholders (? and ?N) as psycopg2's named ones (outside
    quotes), and a literal % doubled when there are arguments."""
    if not args:
        return sql, None
    out, quote, i, n = [], None, 0, 0
    while i < len(sql):
        ch = sql[i]
        i += 1
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            digits = re.match(r"\d*", sql[i:]).group(0)
            i += len(digits)
            n = int(digits) if digits else n + 1
            out.append("%%(p%d)s" % n)
        else:
            out.append("%%" if ch == "%" else ch)
    return "".join(out), {"p%d" % (k + 1): v for k, v in enumerate(args)}


_READS = re.compile(r"^\s*(SELECT|WITH)\b", re.I)


class _PgConn:
    """A PostgreSQL connection that answers as the tests use sqlite3's:
    each execute in autocommit unless begin() was called.  A query (SELECT,
    WITH) outside begin() reads a copy of the database in a SQLite file made
    by `merit db copy` (every row as it is there: t0730), made again when
    the server has written since: the tests ask in SQLite's words on both
    engines.  A change goes to PostgreSQL, in its words."""

    def __init__(self, url):
        import psycopg2               # python3-psycopg2 (scripts/install-deps.sh check)
        self._url = url
        self._c = psycopg2.connect(url)
        self._c.autocommit = True

    def _view(self):
        cur = self._c.cursor()
        cur.execute("SELECT pg_current_wal_insert_lsn()::text")
        lsn = cur.fetchone()[0]
        path = os.path.join(os.environ.get("MERIT_TEST_PGTMP", os.getcwd()),
                            "view-%s.py.db" % self._url.rpartition("/")[2])
        if _VIEWS.get(path) != lsn or not os.path.exists(path):
            if os.path.exists(path):
                os.unlink(path)
            merit = MERIT or os.environ["MERIT"]     # configure(), or the e2e test's
            r = subprocess.run([merit, "--db", self._url, "db", "copy", "--to", path],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
            if r.returncode:
                raise RuntimeError("the copy of %s to read: %s" % (self._url, r.stderr.decode()))
            _VIEWS[path] = lsn
        return path

    def execute(self, sql, args=()):
        if self._c.autocommit and _READS.match(sql):
            v = sqlite3.connect(self._view())
            try:
                cur = v.execute(sql, args)
                return _ViewCursor(cur.description, cur.fetchall())
            finally:
                v.close()
        q, a = _pg_sql(sql, args)
        cur = self._c.cursor()
        cur.execute(q, a)
        return _PgCursor(cur)

    def begin(self):
        self._c.autocommit = False

    def commit(self):
        if not self._c.autocommit:
            self._c.commit()
            self._c.autocommit = True

    def rollback(self):
        if not self._c.autocommit:
            self._c.rollback()
            self._c.autocommit = True

    def close(self):
        self._c.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(db=None, timeout=30, ro=False):
    """The test's own connection to db (DB when None), on either engine."""
    db = db or DB
    if is_pg(db):
        return _PgConn(db)
    if ro:
        return sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=timeout)
    return sqlite3.connect(db, timeout=timeout)


class WriteLock:
    """Another process holding merit's write lock, as a long `merit import`
    does: SQLite's BEGIN IMMEDIATE, or on PostgreSQL the writer's advisory
    lock (store_pgopen.c) in a transaction.  what="logins": the lock that
    logins and the login throttle take there; what="sessions": the session
    table locked against changes (a logout is one statement there, under
    no lock of merit's); on SQLite both are the one lock.  release() lets
    it go."""

    def __init__(self, db=None, what="writer"):
        db = db or DB
        if is_pg(db):
            self.c = _PgConn(db)
            self.c.begin()
            self.c.execute("SELECT pg_advisory_xact_lock(109101114105116)" if what == "writer"
                           else "LOCK TABLE session IN SHARE ROW EXCLUSIVE MODE"
                           if what == "sessions"
                           else "SELECT pg_advisory_xact_lock(hashtext('merit %s'))" % what)
        else:
            self.c = sqlite3.connect(db, timeout=5, isolation_level=None)
            self.c.execute("BEGIN IMMEDIATE")

    def release(self):
        if isinstance(self.c, _PgConn):
            self.c.rollback()
        else:
            self.c.execute("ROLLBACK")
        self.c.close()


def db_bytes(db=None):
    """Everything the database holds, as bytes: the file and its -wal, or
    on PostgreSQL a pg_dump of it."""
    db = db or DB
    if is_pg(db):
        return subprocess.run(["pg_dump", "-d", db], check=True, stdout=subprocess.PIPE).stdout
    return open(db, "rb").read() + (open(db + "-wal", "rb").read()
                                    if os.path.exists(db + "-wal") else b"")


def db_copy(name):
    """A copy of the test's database: `name` in the same directory, or on
    PostgreSQL a database named after it on the same server."""
    if is_pg():
        base, _, src = DB.rpartition("/")
        new = re.sub(r"[^a-z0-9_]", "_", (src + "_" + name).lower())
        subprocess.run(["psql", "-X", "-q", "-d", base + "/merit", "-c",
                        "DROP DATABASE IF EXISTS %s WITH (FORCE)" % new, "-c",
                        "CREATE DATABASE %s" % new], check=True)
        dump = subprocess.run(["pg_dump", "-Fc", "-d", DB], check=True,
                              stdout=subprocess.PIPE).stdout
        subprocess.run(["pg_restore", "--no-owner", "-d", base + "/" + new], input=dump,
                       check=True)
        return base + "/" + new
    path = os.path.join(os.path.dirname(os.path.abspath(DB)), name)
    src = sqlite3.connect(DB, timeout=30)
    dst = sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    return path


# ---- merit serve ----

SERVERS = []                # every server started (kill_all)


class Server:
    """merit serve on dbpath and ADDR:0.  start_desc and stop_desc name
    the checks ({db} is the database's file name, {args} the arguments);
    exit_zero: stop() checks the exit status too; start_wait: how long to
    wait for the port; stop_wait: how long stop() waits before it kills."""

    def __init__(self, dbpath, *args, listen="127.0.0.1", log_ok=None,
                 start_desc="merit serve starts on {db}",
                 stop_desc="merit serve stopped cleanly, nothing alarming on stderr",
                 exit_zero=True, start_wait=30, stop_wait=20):
        self.log_ok = log_ok
        self.stop_wait = stop_wait
        self.lines = []
        self.port = None
        self.args = list(args)
        fill = {"db": os.path.basename(dbpath), "args": " ".join(self.args)}
        self.stop_desc = stop_desc.format(**fill)
        self.exit_zero = exit_zero
        shown = "[%s]" % listen if ":" in listen else listen
        self.p = subprocess.Popen([MERIT, "--db", dbpath, "serve", "--listen", shown + ":0"] +
                                  self.args, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        SERVERS.append(self.p)
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()
        deadline = time.time() + start_wait
        while time.time() < deadline and self.port is None and self.p.poll() is None:
            time.sleep(0.05)
            if self.lines:
                m = re.match(r"merit: serving http://%s:(\d+)/ \(stop with Ctrl-C\)$"
                             % re.escape(shown), self.lines[0])
                if not m:
                    break
                self.port = int(m.group(1))
        check(start_desc.format(**fill), self.port is not None, "\n".join(self.lines))

    def _read(self):
        for line in self.p.stderr:
            self.lines.append(line.decode("utf-8", "replace").rstrip("\n"))

    def stop(self, wait=None):
        """SIGTERM, then kill after `wait` s (stop_wait); check the log; the
        exit status."""
        if wait is None:
            wait = self.stop_wait
        if self.p.poll() is None:
            self.p.terminate()
        try:
            self.p.wait(wait)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.t.join(5)
        bad = [ln for ln in self.lines if not SERVER_LOG_OK.match(ln) and
               not (self.log_ok and self.log_ok.match(ln))]
        if self.exit_zero:
            check(self.stop_desc, not bad and self.p.returncode == 0,
                  "exit %s: %s" % (self.p.returncode, "\n".join(bad[:40])))
        else:
            check(self.stop_desc, not bad, "\n".join(bad[:30]))
        return self.p.returncode


def kill_all():
    for p in SERVERS:
        if p.poll() is None:
            p.kill()
            p.wait()


# ---- an answer ----

class Resp:
    """An HTTP answer: status (0: none came), headers (a list of pairs),
    body (bytes), and the method and path asked when given."""

    def __init__(self, status, headers, body, method="", path=""):
        self.status, self.headers, self.body = status, headers, body
        self.method, self.path = method, path

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def text(self):
        return self.body.decode("utf-8", "replace")

    def retry_after(self):
        ra = self.header("Retry-After") or ""
        return int(ra) if ra.isdigit() else None

    def __repr__(self):
        if self.method:
            return "%s %s -> %d %s" % (self.method, self.path, self.status, self.body[:600])
        return "%d %s" % (self.status, self.body[:300])


# ---- a logged-in user ----

def request(host, port, method, path, body=None, headers=None):
    """(status, headers, body) of one request on its own connection."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    c = http.client.HTTPConnection(host, port, timeout=30)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.getheaders(), r.read()
    finally:
        c.close()


class Session:
    """A login's cookie and CSRF token (the test exits when it is refused)."""

    def __init__(self, host, port, login, password):
        self.host, self.port = host, port
        st, hdrs, body = request(host, port, "POST", "/api/login",
                                 json.dumps({"login": login, "password": password}),
                                 {"Content-Type": "application/json"})
        if st != 200:
            sys.exit("log in as %s: %d %r" % (login, st, body))
        cookie = dict(hdrs).get("Set-Cookie", "")
        self.token = re.match(r"merit_session=([^;]*)", cookie).group(1)
        self.csrf = json.loads(body)["csrf"]

    def get(self, path):
        return request(self.host, self.port, "GET", path, None,
                       {"Cookie": "merit_session=" + self.token})

    def call(self, method, path, body=None, ctype=None):
        """(status, headers, body, JSON or None); a change carries the CSRF token."""
        h = {"Cookie": "merit_session=" + self.token}
        if method != "GET":
            h["X-CSRF-Token"] = self.csrf
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            ctype = ctype or "application/json"
        if ctype:
            h["Content-Type"] = ctype
        st, hdrs, raw = request(self.host, self.port, method, path, body, h)
        try:
            j = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            j = None
        return st, hdrs, raw, j

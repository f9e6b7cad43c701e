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
- configure(merit, db) names the merit binary and the test's database;
  db_copy(name) then copies that database (SQLite's backup API) next to it.
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


def db_copy(name):
    """A copy of the test's database, `name` in the same directory."""
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

#!/usr/bin/env python3
"""setup_test.py — setting up from the browser (issue 13, item 1) over a
real socket.

    python3 tests/web/setup_test.py URL DBPATH MERIT_BINARY

URL is a running `merit serve` on DBPATH, prepared by
tests/e2e/t0460-web-setup.sh: staff boss (admin), mgr (manager) and ed
(member, editor), users of the same logins (passwords pw-LOGIN-secret),
cycle 2026-11 open, a rule author "Ed Itor" -> ed, and a content import
whose author "Guest" no rule owns.

- staff: the list (with each person's user), add, change (name,
  position, manager, reviewer, base bonus, from and to), each audited by
  the admin, seen by `merit staff list` (the same store); every invalid
  field answered 400 naming the field, with the CLI's own words;
- ownership rules: list, add, remove, audited; the names the last imports
  could not attribute (CLI and web imports alike), gone once a rule
  owns them;
- invitations: a one-time link whose token the database keeps only
  hashed; its page is the app (under the same strict CSP); the invitee
  sets a password and logs in; the link works once; an expired one does
  not; the audit names the admin who invited and the invitee who joined;
- uptime probes: add (the CLI's checks, fields named), the last result and
  the uptime so far after `merit probe run`, remove; saved sources: add
  (checked against the kind's presets), remove; each audited;
- a member and a manager get 403 on every one of these routes and change
  nothing.

Prints "ok N - what" or "not ok N - what: why" per check; exits 1 when any
failed.  Python 3 standard library only.
"""
import hashlib
import json
import os
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import webtest  # noqa: E402
from webtest import check  # noqa: E402

if len(sys.argv) != 4:
    sys.exit("usage: setup_test.py URL DBPATH MERIT_BINARY")
URL, DB, MERIT = sys.argv[1:4]
_u = urllib.parse.urlsplit(URL)
HOST, PORT = _u.hostname, _u.port


class R:
    """An answer: status, headers, body, JSON."""

    def __init__(self, st, hdrs, raw, j=None):
        self.status, self.headers, self.raw = st, hdrs, raw
        if j is None:
            try:
                j = json.loads(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                j = None
        self.j = j

    def err(self):
        return (self.j or {}).get("error", "") if isinstance(self.j, dict) else ""

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return "%d %s" % (self.status, self.raw[:400])


class S:
    def __init__(self, login):
        self.s = webtest.Session(HOST, PORT, login, "pw-%s-secret" % login)

    def get(self, path):
        return R(*self.s.get(path))

    def call(self, method, path, body=None):
        return R(*self.s.call(method, path, body))


def anon(method, path, body=None):
    h = {}
    if body is not None:
        body = json.dumps(body)
        h["Content-Type"] = "application/json"
    return R(*webtest.request(HOST, PORT, method, path, body, h))


def q(sql, args=()):
    c = webtest.connect(DB, ro=True)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def rw(sql, args=()):
    c = webtest.connect(DB)
    try:
        c.execute(sql, args)
        c.commit()
    finally:
        c.close()


def state():
    """What a refused change must leave as it was."""
    return q("SELECT (SELECT count(*) FROM audit), (SELECT group_concat(login || name ||"
             " ifnull(manager, '') || ifnull(active_to, ''), ',') FROM staff),"
             " (SELECT count(*) FROM ownership), (SELECT count(*) FROM invite),"
             " (SELECT count(*) FROM user), (SELECT count(*) FROM probe),"
             " (SELECT count(*) FROM source)")[0]


def last_audit(action):
    rows = q("SELECT who, object, before, after FROM audit WHERE action = ? ORDER BY id DESC"
             " LIMIT 1", (action,))
    return rows[0] if rows else None


def cli(*args):
    p = subprocess.run([MERIT, "--db", DB] + list(args), capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def refused(sess, cases, no_cli=False):
    """Each (method, path, body, status, words): answered status, the words
    in the error (with no_cli: no flag or command of the CLI), and nothing
    written."""
    for method, path, body, want, words in cases:
        before = state()
        r = sess.call(method, path, body)
        e = r.err()
        check("%s %s %s: %d, says %s" % (method, path, json.dumps(body, ensure_ascii=False),
                                         want, words), r.status == want and words in e and
              not (no_cli and ("--" in e or "merit " in e)), r)
        check("  and writes nothing", state() == before)


# ---- staff ----

def t_staff(boss):
    r = boss.get("/api/staff")
    people = {p["login"]: p for p in (r.j or [])}
    check("GET /api/staff lists everyone with their user", r.status == 200 and
          set(people) == {"boss", "mgr", "ed"} and people["ed"]["user"] == {"role": "member",
                                                                            "disabled": False}, r)
    r = boss.call("POST", "/api/staff", {"login": "lina", "name": "李娜", "position": "promoter",
                                         "manager": "mgr", "base_bonus": "4500.00",
                                         "from": "2026-01-01"})
    check("POST /api/staff adds a person: 201", r.status == 201 and r.j and
          r.j.get("base_bonus_cents") == 450000 and r.j.get("manager") == "mgr" and
          r.j.get("from") == "2026-01-01" and r.j.get("to") is None, r)
    a = last_audit("staff add")
    check("the addition is audited by the admin", a and a[0] == "boss" and a[1] == "lina" and
          '"position":"promoter"' in (a[3] or "").replace(" ", ""), a)
    rc, out, err = cli("staff", "list", "--json")
    listed = {p["login"]: p for p in json.loads(out or "[]")} if rc == 0 else {}
    check("merit staff list sees the person the web added (the same store)",
          listed.get("lina", {}).get("name") == "李娜", (rc, out, err))
    check("GET /api/staff: the person has no user yet",
          {p["login"]: p for p in boss.get("/api/staff").j or []}.get("lina", {}).get("user",
                                                                                     1) is None)

    # a change: the leave date, the manager, the base bonus, the name
    r = boss.call("PUT", "/api/staff/lina", {"to": "2026-12-31", "manager": "boss",
                                             "base_bonus": 5000, "name": "Li Na"})
    check("PUT /api/staff/lina changes the fields given", r.status == 200 and r.j and
          r.j.get("to") == "2026-12-31" and r.j.get("manager") == "boss" and
          r.j.get("base_bonus_cents") == 500000 and r.j.get("name") == "Li Na" and
          r.j.get("from") == "2026-01-01" and r.j.get("position") == "promoter", r)
    a = last_audit("staff set")
    check("the change is audited with before and after", a and a[0] == "boss" and
          a[1] == "lina" and '"manager":"mgr"' in (a[2] or "") and
          '"manager":"boss"' in (a[3] or ""), a)
    r = boss.call("PUT", "/api/staff/lina", {"to": None, "base_bonus": None, "manager": None})
    check("null clears the leave date, the base bonus and the manager", r.status == 200 and
          r.j and r.j.get("to") is None and r.j.get("base_bonus_cents") is None and
          r.j.get("manager") is None, r)
    r = boss.call("PUT", "/api/staff/lina", {"base_bonus": "4500.00"})
    r = boss.call("PUT", "/api/staff/lina", {"reviewer": True})
    check("the reviewer flag: no position, the base bonus dropped, said so", r.status == 200 and
          r.j and r.j.get("reviewer") is True and r.j.get("position") is None and
          r.j.get("base_bonus_cents") is None and "never paid" in r.j.get("note", ""), r)
    r = boss.call("PUT", "/api/staff/lina", {"position": "promoter"})
    check("a position makes the reviewer a person scored again", r.status == 200 and r.j and
          r.j.get("reviewer") is False and r.j.get("position") == "promoter", r)

    # validation: each field named, nothing written
    bad = [
        ("POST", "/api/staff", {"name": "X", "position": "promoter"}, 400, '"login"'),
        ("POST", "/api/staff", {"login": "a b", "name": "X", "position": "promoter"}, 400,
         "login"),
        ("POST", "/api/staff", {"login": "zed", "position": "promoter"}, 400, '"name"'),
        ("POST", "/api/staff", {"login": "zed", "name": "Zed"}, 400, '"position"'),
        ("POST", "/api/staff", {"login": "zed", "name": "Zed", "position": "nope"}, 400,
         'field "position" "nope": the plan has no such position; it has: manager'),
        ("POST", "/api/staff", {"login": "zed", "name": "Zed", "position": "promoter",
                                "manager": "ghost"}, 400, 'field "manager": no staff member'),
        ("POST", "/api/staff", {"login": "zed", "name": "Zed", "position": "promoter",
                                "from": "2026-13-01"}, 400, 'field "from": "2026-13-01" is not a date'),
        ("POST", "/api/staff", {"login": "zed", "name": "Zed", "position": "promoter",
                                "from": "2026-02-01", "to": "2026-01-01"}, 400,
         'field "to" is before field "from"'),
        ("POST", "/api/staff", {"login": "zed", "name": "Zed", "position": "promoter",
                                "base_bonus": "lots"}, 400, 'field "base_bonus"'),
        ("POST", "/api/staff", {"login": "zed", "name": "Zed", "reviewer": True,
                                "base_bonus": "10"}, 400,
         'field "reviewer" and field "base_bonus": a reviewer is never paid a bonus'),
        ("POST", "/api/staff", {"login": "zed", "name": "Zed", "reviewer": True,
                                "position": "promoter"}, 400,
         'field "reviewer" and field "position": a reviewer has no position'),
        ("POST", "/api/staff", {"login": "zed", "name": "Zed", "position": "promoter",
                                "reviewer": "yes"}, 400, 'field "reviewer": true or false'),
        ("POST", "/api/staff", {"login": "zed", "name": "", "position": "promoter"}, 400,
         'field "name" is empty'),
        ("POST", "/api/staff", {"login": "lina", "name": "Again", "position": "promoter"}, 409,
         'field "login": staff member "lina" exists already'),
        ("PUT", "/api/staff/lina", {"from": "2027-01-01", "to": "2026-12-01"}, 400,
         'field "to" is before field "from"'),
        ("PUT", "/api/staff/lina", {"manager": "lina"}, 400, "cannot be their own manager"),
        ("PUT", "/api/staff/lina", {}, 400, "send a field to change"),
        ("PUT", "/api/staff/ghost", {"name": "G"}, 404, 'no staff member with login "ghost"'),
    ]
    refused(boss, bad, no_cli=True)


# ---- ownership rules and what the imports could not attribute ----

def t_ownership(boss):
    r = boss.get("/api/ownership")
    check("GET /api/ownership lists the rules", r.status == 200 and
          r.j == [{"kind": "author", "value": "Ed Itor", "login": "ed"}], r)
    r = boss.get("/api/ownership/unassigned")
    check("the CLI import's unattributed author is offered", r.status == 200 and
          [(x["kind"], x["value"], x["rows"]) for x in r.j or []] == [("author", "Guest", 2)],
          r)
    # a web import: a row of ed's, and two authors no rule owns
    csv = ("date,url,author,type,views,shares\n"
           "2026-11-05,https://site.example/blog/g,Ed Itor,article,10,1\n"
           "2026-11-05,https://site.example/news/e,Guest,article,10,1\n"
           "2026-11-06,https://site.example/news/f,Visitor,article,10,1\n")
    st, hdrs, raw, j = boss.s.call("POST", "/api/import?kind=content&file=web.csv", csv,
                                   "text/csv")
    check("a web import with names no rule owns", st == 200, raw[:400])
    r = boss.get("/api/ownership/unassigned")
    got = {(x["kind"], x["value"]): x["rows"] for x in r.j or []}
    check("the web import's names are added (summed over the latest imports)",
          got == {("author", "Guest"): 3, ("author", "Visitor"): 1}, r)

    r = boss.call("POST", "/api/ownership", {"kind": "author", "value": "Guest", "login": "ed"})
    check("POST /api/ownership assigns one: 201", r.status == 201 and r.j ==
          {"kind": "author", "value": "Guest", "login": "ed"}, r)
    a = last_audit("own")
    check("the rule is audited by the admin", a and a[0] == "boss" and
          a[1] == "author Guest" and a[3] == "ed", a)
    r = boss.get("/api/ownership/unassigned")
    check("an assigned name is no longer offered",
          [(x["kind"], x["value"]) for x in r.j or []] == [("author", "Visitor")], r)
    r = boss.call("POST", "/api/ownership", {"kind": "author", "value": "Guest", "login": "mgr"})
    a = last_audit("own")
    check("a new owner replaces the old, audited before and after", r.status == 201 and a and
          a[2] == "ed" and a[3] == "mgr", (r, a))
    rc, out, err = cli("own", "list", "--json")
    check("merit own list sees the web's rule",
          {"kind": "author", "value": "Guest", "login": "mgr"} in json.loads(out or "[]"),
          (rc, out, err))

    r = boss.call("DELETE", "/api/ownership?kind=author&value=Guest")
    check("DELETE /api/ownership removes a rule", r.status == 200 and
          not q("SELECT 1 FROM ownership WHERE value = 'Guest'"), r)
    a = last_audit("own rm")
    check("the removal is audited", a and a[0] == "boss" and a[1] == "author Guest" and
          a[2] == "mgr" and a[3] is None, a)
    r = boss.get("/api/ownership/unassigned")
    check("a name whose rule went is offered again",
          ("author", "Guest") in [(x["kind"], x["value"]) for x in r.j or []], r)

    bad = [
        ("POST", "/api/ownership", {"kind": "chan", "value": "x", "login": "ed"}, 400,
         'field "kind": "chan" is not a kind of rule'),
        ("POST", "/api/ownership", {"kind": "channel", "value": "", "login": "ed"}, 400,
         'field "value"'),
        ("POST", "/api/ownership", {"kind": "channel", "value": "x"}, 400, 'field "login"'),
        ("POST", "/api/ownership", {"kind": "channel", "value": "x", "login": "ghost"}, 400,
         'field "login": no staff member with login "ghost"'),
        ("DELETE", "/api/ownership?kind=channel&value=none", None, 404,
         'no rule gives channel "none" an owner'),
        ("DELETE", "/api/ownership?kind=channel", None, 400, "?kind=KIND&value=VALUE"),
    ]
    refused(boss, bad)


# ---- invitations ----

def t_invite(boss):
    r = boss.call("POST", "/api/invites", {"login": "lina", "role": "manager"})
    link = (r.j or {}).get("link", "")
    check("POST /api/invites: 201 with a one-time link", r.status == 201 and
          link.startswith("/invite/") and len(link) == len("/invite/") + 43, r)
    token = link[len("/invite/"):]
    a = last_audit("user invite")
    check("the invitation is audited by the admin, without its token", a and a[0] == "boss" and
          a[1] == "lina" and '"role":"manager"' in (a[3] or "") and
          token not in json.dumps(a), a)
    rows = q("SELECT hex(token_hash), login, role FROM invite")
    check("the database keeps the token's SHA-256 only", rows == [(
        hashlib.sha256(token.encode()).hexdigest().upper(), "lina", "manager")], rows)
    check("the token itself is nowhere in the database", token.encode() not in webtest.db_bytes(DB))

    page = R(*webtest.request(HOST, PORT, "GET", link))
    csp = page.header("Content-Security-Policy") or ""
    check("the link's page is the app, under the strict CSP", page.status == 200 and
          b'<script type="module" src="/app.js">' in page.raw and "script-src 'self'" in csp and
          "unsafe-inline" not in csp, page)
    r = anon("GET", "/api" + link)
    check("GET /api/invite/TOKEN, no session: whose and which role", r.status == 200 and
          r.j and r.j.get("login") == "lina" and r.j.get("role") == "manager", r)
    before = state()
    r = anon("POST", "/api" + link, {"password": "short"})
    check("a short password: 400, nothing written", r.status == 400 and "8 characters" in
          r.err() and state() == before, r)
    r = anon("POST", "/api" + link, {})
    check("no password: 400 naming the field", r.status == 400 and '"password"' in r.err(), r)
    r = anon("POST", "/api" + link, {"password": "pw-lina-secret"})
    check("the invitee sets a password: 201", r.status == 201 and r.j ==
          {"login": "lina", "role": "manager"}, r)
    a = last_audit("user add")
    check("the audit names the invitee as who joined", a and a[0] == "lina" and a[1] == "lina",
          a)
    check("the invitation is gone", not q("SELECT 1 FROM invite"))
    try:
        lina = S("lina")
        me = lina.get("/api/me")
        ok = me.status == 200 and me.j.get("role") == "manager"
    except SystemExit as e:
        ok, me = False, str(e)
    check("and logs in with it, in the invited role", ok, me)
    r = anon("POST", "/api" + link, {"password": "another-password"})
    check("the link works once: 404 after", r.status == 404 and "not valid" in r.err(), r)
    r = anon("GET", "/api" + link)
    check("and GET says so too", r.status == 404, r)
    r = boss.get("/api/staff")
    lina_row = {p["login"]: p for p in r.j or []}.get("lina", {})
    check("the staff list shows the person linked to their user",
          lina_row.get("user") == {"role": "manager", "disabled": False}, lina_row)

    # a newer link replaces an older one; an expired one works no more
    r1 = boss.call("POST", "/api/invites", {"login": "newbie", "role": "member"})
    r2 = boss.call("POST", "/api/invites", {"login": "newbie", "role": "member"})
    t1 = (r1.j or {}).get("link", "/invite/x")
    check("a second link for the same login replaces the first",
          anon("GET", "/api" + t1).status == 404 and
          anon("GET", "/api" + (r2.j or {}).get("link", "/x")).status == 200, (r1, r2))
    rw("UPDATE invite SET expires = 1000 WHERE login = 'newbie'")
    r = anon("POST", "/api" + (r2.j or {}).get("link", "/x"), {"password": "pw-newbie-ok"})
    check("an expired link: 404, no user made", r.status == 404 and
          not q("SELECT 1 FROM user WHERE login = 'newbie'"), r)
    r = anon("GET", "/api/invite/" + "A" * 43)
    check("a made-up token: 404", r.status == 404, r)
    before = state()
    r = anon("POST", "/api/invite/" + "A" * 43, {"password": "a long password"})
    check("a made-up token with a password: 404, nothing written", r.status == 404 and
          "not valid" in r.err() and state() == before, r)

    bad = [
        ({"login": "boss", "role": "member"}, 409, 'user "boss" exists already'),
        ({"login": "a b", "role": "member"}, 400, 'field "login"'),
        ({"login": "zed", "role": "owner"}, 400, 'field "role": admin, manager or member'),
        ({"role": "member"}, 400, 'field "login"'),
    ]
    refused(boss, [("POST", "/api/invites", b, w, t) for b, w, t in bad])


# ---- the staff list from a WeCom member file ----

HEADER = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "staff",
                           "wecom_user_header.csv"), encoding="utf-8").read().strip()


def t_staff_import(boss):
    rows = [HEADER,
            "韩梅,han,13800000011,,7,推广专员,2,0,0,,,,0,",
            "钱坤,qian,13800000012,,7,运营经理,1,1,0,,,,0,"]
    body = "\n".join(rows) + "\n"

    def up(query, text):
        st, hdrs, raw, j = boss.s.call("POST", "/api/staff/import?file=%s" % query, text,
                                       "text/csv")
        return R(st, hdrs, raw, j)
    before = state()
    r = up("c.csv&titles=%E8%BF%90%E8%90%A5%E7%BB%8F%E7%90%86=manager", body)
    check("a title without a position: 422 naming the line and the title, nothing written",
          r.status == 422 and 'c.csv:2: 职位 "推广专员" of han' in r.err() and
          state() == before, r)
    r = up("c.csv&titles=x", body)
    check("a titles entry without =: 400", r.status == 400 and "TITLE=KEY" in r.err(), r)
    r = up("c.csv&position=promoter&titles=%E8%BF%90%E8%90%A5%E7%BB%8F%E7%90%86=manager", body)
    check("POST /api/staff/import adds the people", r.status == 200 and r.j and
          r.j.get("added") == 2 and r.j.get("changed") == 0, r)
    people = {p["login"]: p for p in boss.get("/api/staff").j or []}
    check("with their positions, and the department's leader as manager",
          people.get("han", {}).get("manager") == "qian" and
          people.get("han", {}).get("position") == "promoter" and
          people.get("qian", {}).get("position") == "manager", people.get("han"))
    a = last_audit("staff add")
    check("each person's addition audited by the admin", a and a[0] == "boss", a)


# ---- uptime probes and saved sources ----

def t_probes(boss):
    r = boss.call("POST", "/api/probes", {"url": "tcp://127.0.0.1:1", "login": "ed",
                                          "every": "5m", "timeout": "2s"})
    pid = (r.j or {}).get("id")
    check("POST /api/probes adds a probe: 201", r.status == 201 and pid and
          r.j.get("login") == "ed", r)
    d = boss.get("/api/dashboard").j or {}
    check("the dashboard: one probe, never run yet", d.get("probe") == {"probes": 1, "last_at": None},
          d.get("probe"))
    a = last_audit("probe add")
    check("the probe is audited by the admin", a and a[0] == "boss", a)
    rc, out, err = cli("probe", "run", "--once")
    check("merit probe run checks the web's probe", rc == 0 and "down" in out, (rc, out, err))
    d = boss.get("/api/dashboard").j or {}
    with webtest.connect(DB) as con:
        at = con.execute("SELECT max(at) FROM probe_check").fetchone()[0]
    check("the dashboard says when the probe last ran", at and
          d.get("probe") == {"probes": 1, "last_at": at}, (d.get("probe"), at))
    r = boss.get("/api/probes")
    p = (r.j or [{}])[0]
    check("GET /api/probes: the last result and the uptime so far", r.status == 200 and
          p.get("every") == "5m" and p.get("timeout") == "2s" and p.get("checks") == 1 and
          p.get("up") == 0 and p.get("uptime") == 0 and
          (p.get("last_check") or {}).get("up") is False, r)
    bad = [
        ({"url": "ftp://x/", "login": "ed"}, 400, "merit probes http://, https:// and tcp://"),
        ({"url": "tcp://127.0.0.1:1", "login": "ed"}, 409, "has a probe already"),
        ({"url": "http://127.0.0.1:2/", "login": "ghost"}, 400,
         'field "login": no staff member with login "ghost"'),
        ({"url": "http://127.0.0.1:2/"}, 400, 'field "login" is required'),
        ({"url": "http://127.0.0.1:2/", "login": "ed", "every": "500ms"}, 400,
         'field "every" 500ms: say 1s to 24h'),
        ({"url": "http://127.0.0.1:2/", "login": "ed", "every": "1m", "timeout": "2m"}, 400,
         'field "timeout" 2m is longer than field "every" 1m'),
        ({"url": "http://127.0.0.1:2/", "login": "ed", "every": "often"}, 400,
         'field "every": say 30s, 5m or 1h'),
        ({"login": "ed"}, 400, 'field "url"'),
    ]
    refused(boss, [("POST", "/api/probes", b, w, t) for b, w, t in bad])
    r = boss.call("DELETE", "/api/probes/%s" % pid)
    a = last_audit("probe rm")
    check("DELETE /api/probes/ID removes it, audited", r.status == 200 and
          boss.get("/api/probes").j == [] and a and a[0] == "boss", (r, a))
    r = boss.call("DELETE", "/api/probes/%s" % pid)
    check("a probe removed already: 404", r.status == 404, r)


def t_sources(boss):
    r = boss.call("POST", "/api/sources", {"name": "shop", "kind": "orders", "preset": "taobao",
                                           "date_order": "dmy", "map": "Extra=-"})
    check("POST /api/sources saves a source: 201", r.status == 201 and r.j and
          r.j.get("about", "").startswith("orders, preset taobao"), r)
    a = last_audit("source add")
    check("the source is audited by the admin", a and a[0] == "boss" and a[1] == "source shop" and
          '"preset":"taobao"' in (a[3] or ""), a)
    rc, out, err = cli("source", "show", "shop", "--json")
    check("merit source show reads the web's source", rc == 0 and '"taobao"' in out and
          "dmy" in out, (rc, out, err))
    bad = [
        ({"name": "shop", "kind": "orders"}, 409, 'there is a source "shop" already'),
        ({"name": "x", "kind": "nope"}, 400, '"nope" is not a kind of import'),
        ({"name": "x", "kind": "orders", "preset": "nope"}, 400, 'no preset "nope"'),
        ({"name": "x", "kind": "orders", "date_order": "ymd"}, 400, 'field "date_order"'),
        ({"name": "x", "kind": "orders", "strict": "yes"}, 400, 'field "strict"'),
        ({"kind": "orders"}, 400, 'field "name"'),
    ]
    refused(boss, [("POST", "/api/sources", b, w, t) for b, w, t in bad])
    r = boss.call("DELETE", "/api/sources/shop")
    a = last_audit("source rm")
    check("DELETE /api/sources/NAME removes it, audited", r.status == 200 and
          boss.get("/api/sources").j == [] and a and a[0] == "boss", (r, a))
    r = boss.call("DELETE", "/api/sources/shop")
    check("a source removed already: 404", r.status == 404, r)


# ---- only an admin ----

ROUTES = [
    ("GET", "/api/staff", None),
    ("POST", "/api/staff", {"login": "sneak", "name": "S", "position": "promoter"}),
    ("PUT", "/api/staff/ed", {"name": "Hacked"}),
    ("POST", "/api/staff/import?file=c.csv&position=promoter", {"x": 1}),
    ("GET", "/api/ownership", None),
    ("POST", "/api/ownership", {"kind": "channel", "value": "mine", "login": "ed"}),
    ("DELETE", "/api/ownership?kind=author&value=Ed%20Itor", None),
    ("GET", "/api/ownership/unassigned", None),
    ("POST", "/api/invites", {"login": "friend", "role": "admin"}),
    ("GET", "/api/probes", None),
    ("POST", "/api/probes", {"url": "tcp://127.0.0.1:3", "login": "ed"}),
    ("DELETE", "/api/probes/1", None),
    ("POST", "/api/sources", {"name": "mine", "kind": "orders"}),
    ("DELETE", "/api/sources/mine", None),
]


def t_forbidden():
    for who in ("ed", "mgr"):
        sess = S(who)
        for method, path, body in ROUTES:
            before = state()
            r = sess.call(method, path, body) if method != "GET" else sess.get(path)
            check("%s %s as %s: 403" % (method, path, "member" if who == "ed" else "manager"),
                  r.status == 403 and "only an admin" in r.err(), r)
            check("  and changes nothing", state() == before)
    for method, path, body in ROUTES:
        r = anon(method, path, body)
        check("%s %s without a session: 401" % (method, path), r.status == 401, r)


def main():
    boss = S("boss")
    t_forbidden()
    t_staff(boss)
    t_staff_import(boss)
    t_ownership(boss)
    t_invite(boss)
    t_probes(boss)
    t_sources(boss)


if __name__ == "__main__":
    webtest.run(main, "setup_test.py", 240)

#!/usr/bin/env python3
"""names_test.py — names, logins, CSV cells and messages over a real socket
(issue 12, findings 9 and 11).

    python3 tests/web/names_test.py URL DBPATH

URL is a running `merit serve` on DBPATH, prepared by
tests/e2e/t0450-web-names.sh: staff boss (user boss, admin, password
pw-boss-secret) and evil (named "=cmd|calc"), cycle 2026-08 closed and
2026-11 open.

- an upload named with terminal escapes and CR LF is taken, its name kept
  with each control character a '?', and no header is injected;
- an upload's name given decomposed (NFD) is kept composed (NFC);
- logins that are not ASCII letters, digits, '.', '-', '_' are refused,
  with the rule in the message, and nothing is written;
- the team CSV neutralises text cells a spreadsheet would run as formulas,
  and keeps numbers numbers;
- a body that is not JSON is answered in merit's words, with where, never
  the parser's ("JSON_ALLOW_NUL");
- errors a browser user meets (a file imported twice, rows imported twice,
  a closed cycle, a user who exists, no such cycle, an unknown indicator,
  ambiguous dates, a file not UTF-8, a file without dates) say what to do
  in the web app, never a CLI command or flag, and name the situation
  ("why").

Prints "ok N - what" or "not ok N - what: why" per check; exits 1 when any
failed.  Python 3 standard library only.
"""
import csv
import io
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import webtest  # noqa: E402
from webtest import check  # noqa: E402

if len(sys.argv) != 3:
    sys.exit("usage: names_test.py URL DBPATH")
URL, DB = sys.argv[1:3]
_u = urllib.parse.urlsplit(URL)
HOST, PORT = _u.hostname, _u.port
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# what a CLI hint looks like: a command, a flag, a backquote
CLI_HINT = re.compile(r"`|\bmerit [a-z]+|(^|\s)--[a-z]")

def Session(login, password):
    return webtest.Session(HOST, PORT, login, password)


def q(sql, args=()):
    c = webtest.connect(DB, ro=True)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def upload(s, name, content):
    return s.call("POST", "/api/import?kind=measurements&file=" + urllib.parse.quote(name),
                  content, "text/csv")


def web_error(desc, got, status, why):
    """An error for a browser user: status, the situation named, no CLI hint."""
    st, _, raw, j = got
    err = (j or {}).get("error", "")
    check(desc + ": answered %d" % status, st == status, (st, raw[:400]))
    check(desc + ": names the situation (why %s)" % why, (j or {}).get("why") == why, raw[:400])
    check(desc + ": no CLI command or flag in the message", err and not CLI_HINT.search(err),
          err)


boss = Session("boss", "pw-boss-secret")

# ---- finding 9: an upload's name with terminal escapes and CR LF ----
evil = "\x1b[31mRED\x1b[0m\r\nX-Injected: 1.csv"
first = q("SELECT coalesce(max(id), 0) FROM batch")[0][0]
st, hdrs, raw, j = upload(boss, evil, "date,indicator,login,value,denominator\n"
                          "2026-11-03,promo_posts,boss,1,\n")
check("an upload named with escapes and CR LF is taken (its name cleaned)", st == 200,
      (st, raw[:400]))
check("no header injected by the file name", not any(k.lower() == "x-injected"
                                                    for k, _ in hdrs), hdrs)
files = [f for (f,) in q("SELECT file FROM batch WHERE file LIKE '%RED%'")]
check("the batch keeps the name with each control character a '?'",
      files == ["?[31mRED?[0m??X-Injected: 1.csv"], files)
check("the batch name the web stored holds no control character",
      not [f for (f,) in q("SELECT file FROM batch WHERE id > ?", (first,))
           if CONTROLS.search(f)], q("SELECT file FROM batch WHERE id > ?", (first,)))
bidi = "invoice\u202egpj.csv"
st, _, raw, _ = upload(boss, bidi, "date,indicator,login,value,denominator\n"
                       "2026-11-04,promo_posts,boss,2,\n")
check("a bidi override in an upload's name becomes '?'",
      st == 200 and q("SELECT count(*) FROM batch WHERE file = 'invoice?gpj.csv'")[0][0] == 1,
      (st, raw[:300], q("SELECT file FROM batch")))

# a name typed decomposed (NFD) is kept composed (NFC)
st, _, raw, _ = upload(boss, "Jose\u0301.csv", "date,indicator,login,value,denominator\n"
                       "2026-11-05,promo_posts,boss,3,\n")
got = [f for (f,) in q("SELECT file FROM batch WHERE file LIKE 'Jos%'")]
check("an upload named in NFD is kept in NFC", st == 200 and got == ["Jos\u00e9.csv"],
      (st, raw[:300], [f.encode() for f in got]))

# ---- finding 9: logins are what the message says ----
users_before = q("SELECT login FROM user ORDER BY login")
for bad in ["=cmd|calc", 'a"b', "<svg>", "a b", "ann\x1b[2J", "张三", "a/b", "x" * 65, "a@b"]:
    st, _, raw, j = boss.call("POST", "/api/users", {"login": bad, "role": "member",
                                                     "password": "pw-long-enough-1"})
    err = (j or {}).get("error", "")
    check("login %r refused (400) with the rule" % bad,
          st == 400 and "login" in err and "ASCII letters, digits, '.', '-' or '_'" in err,
          (st, raw[:300]))
    check("login %r: the message holds no control character" % bad,
          not CONTROLS.search(err), err.encode())
check("no user written by the refused logins",
      q("SELECT login FROM user ORDER BY login") == users_before,
      q("SELECT login FROM user ORDER BY login"))
st, _, raw, _ = boss.call("POST", "/api/users", {"login": "ok.user-1_" + "x" * 54,
                                                 "role": "member",
                                                 "password": "pw-long-enough-1"})
check("a login of 64 letters, digits, '.', '-', '_' is taken", st == 201, (st, raw[:300]))

# ---- finding 9: the team CSV neutralises formula cells ----
st, _, raw, _ = boss.call("GET", "/api/report?format=csv&period=2026-11")
check("team CSV downloads", st == 200, (st, raw[:300]))
rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
head = rows[0] if rows else []
risky = [(r[head.index("login")], c) for r in rows[1:] for c in r
         if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?[0-9.]+", c)]
check("team CSV: no text cell starts with = + - @ tab or CR", not risky, risky)
names = {r[head.index("login")]: r[head.index("name")] for r in rows[1:]}
check("team CSV: the name \"=cmd|calc\" is written as '=cmd|calc",
      names.get("evil") == "'=cmd|calc", names)
nums = [r[head.index("coverage")] for r in rows[1:]]
check("team CSV: numbers stay numbers (coverage)",
      nums and all(re.fullmatch(r"[0-9]+\.[0-9]{2}", x) for x in nums), nums)

# ---- finding 11: a body that is not JSON ----
for desc, body, want in [
        ("a NUL escape", '{"login": "a\\u0000b", "role": "member", "password": "x"}',
         r"the request body is not valid JSON \(line 1, column \d+\)"),
        ("a cut body", '{"login": "a",\n "role": ',
         r"the request body is not valid JSON \(line 2, column \d+\)"),
        ("a field twice", '{"login": "a", "login": "b"}',
         r"the request body names a field twice \(line 1, column \d+\)")]:
    st, _, raw, j = boss.call("POST", "/api/users", body, "application/json")
    err = (j or {}).get("error", "")
    check("%s: 400 in merit's words, with where" % desc,
          st == 400 and re.fullmatch(want, err), (st, raw[:300]))
    check("%s: no parser internals" % desc,
          not re.search(r"JSON_|jansson|ALLOW_NUL|json_", err), err)

# ---- finding 11: web errors for browser users ----
same = "date,indicator,login,value,denominator\n2026-11-06,promo_posts,boss,4,\n"
st, _, raw, _ = upload(boss, "twice.csv", same)
check("first upload of twice.csv", st == 200, (st, raw[:300]))
web_error("the same file uploaded again", upload(boss, "twice-copy.csv", same), 409,
          "file_imported")
orders = "date,order,total\n2026-11-01,#9001,10.00\n2026-11-02,#9002,20.00\n"
st, _, raw, _ = boss.call("POST", "/api/import?kind=orders&file=o1.csv", orders, "text/csv")
check("first upload of orders o1.csv", st == 200, (st, raw[:300]))
web_error("orders uploaded again in a longer export", boss.call(
    "POST", "/api/import?kind=orders&file=o2.csv", orders + "2026-11-03,#9003,30.00\n",
    "text/csv"), 409, "rows_imported")
web_error("a value for a day in a closed cycle", boss.call(
    "POST", "/api/record", {"indicator": "promo_posts", "date": "2026-08-10", "value": 1,
                            "login": "boss"}), 409, "cycle_closed")
web_error("opening a closed cycle", boss.call(
    "POST", "/api/cycles", {"period": "2026-08", "action": "open"}), 409, "cycle_closed")
web_error("closing a cycle that does not exist", boss.call(
    "POST", "/api/cycles", {"period": "2025-01", "action": "close"}), 404, "cycle_missing")
web_error("adding a user who exists", boss.call(
    "POST", "/api/users", {"login": "boss", "role": "admin", "password": "pw-long-enough-1"}),
    409, "user_exists")
web_error("a value for an indicator not in the plan", boss.call(
    "POST", "/api/record", {"indicator": "nosuch", "date": "2026-11-10", "value": 1}),
    400, "indicator")

web_error("dates that could be day or month first", upload(
    boss, "ambiguous.csv", "date,indicator,login,value,denominator\n"
    "03/11/2026,promo_posts,boss,1,\n04/11/2026,promo_posts,boss,2,\n"), 422, "date_order")
web_error("a file that is not UTF-8", upload(
    boss, "latin1.csv", b"date,indicator,login,value,denominator\n"
    b"2026-11-08,promo_posts,boss,1,\n2026-11-09,promo_posts,caf\xe9,1,\n"), 422, "encoding")
web_error("a file with no dates", boss.call(
    "POST", "/api/import?kind=measurements&file=nodates.csv",
    "indicator,login,value,denominator\npromo_posts,boss,1,\n", "text/csv"), 422, "date")

# import notes are for browser users too: what to do, never a CLI command
orders3 = ("date,order,total,source,status\n2026-11-04,#9101,10.00,weibo,paid\n"
           "2026-11-05,#9102,12.00,weibo,交易成功\n2026-11-06,#9103,14.00,web,新状态\n")
st, _, raw, j = boss.call("POST", "/api/import?kind=orders&file=o3.csv", orders3, "text/csv")
notes = (j or {}).get("notes", "")
check("orders with an unknown status: 200 with a note saying so",
      st == 200 and "not a value merit knows" in notes,
      (st, raw[:600]))
check("the upload's notes name no CLI command or flag",
      not re.search(r"`merit |--[a-z]", notes), notes)

sys.exit(webtest.finish())

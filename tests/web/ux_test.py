#!/usr/bin/env python3
"""ux_test.py — the screens people use every day, over a real socket
(issue 13, item 8).

    python3 tests/web/ux_test.py URL DBPATH

URL is a running `merit serve` on DBPATH, prepared by
tests/e2e/t0490-web-ux.sh: boss (admin) -> mgr (manager) -> member1,
member2 (promoters, members), passwords pw-LOGIN-secret; 2026-10 closed,
2026-11 open, both with data, neither released.

- results released by the admin: until then a member's own final score,
  grade, bonus and rank are withheld by every route that shows them (the
  scorecard, its history, the dashboard's ranking, trend and grade
  distribution, the report download; the people list shows none at
  all), while their manager and the admin see them; releasing is the
  admin's alone, audited, and shows them; withholding hides them again.
- the scorecard explains the final number: each indicator's weighted
  contribution (summing to the KPI score), the blend giving the final,
  the band table and the band reached, base bonus x coefficient —
  hand-checked for member1 (see t0490-web-ux.sh for the arithmetic).
- lists at 200 people: /api/batches pages (limit, offset) and filters by
  period and source over 6000 batches, newest first, each saying whether
  it is frozen in a closed cycle; a member pages only their own; the
  audit log filters by who, action (a prefix ending in a space) and date
  range; the users list gives names and the last login.

Prints "ok N - what" or "not ok N - what: why" per check; exits 1 when any
failed.  Python 3 standard library only.
"""
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import webtest  # noqa: E402
from webtest import check  # noqa: E402

if len(sys.argv) != 3:
    sys.exit("usage: ux_test.py URL DBPATH")
URL, DB = sys.argv[1:3]
_u = urllib.parse.urlsplit(URL)
HOST, PORT = _u.hostname, _u.port
P, OLD = "2026-11", "2026-10"
RESULT = ("rank", "final_score", "grade", "bonus_cents")


def Session(login):
    return webtest.Session(HOST, PORT, login, "pw-%s-secret" % login)


def q(sql, args=()):
    c = webtest.connect(DB)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def get(s, path):
    st, _, raw, j = s.call("GET", path)
    return st, raw, j


def card(s, login, period=P):
    st, raw, j = get(s, "/api/scorecard?period=%s&login=%s" % (period, login))
    check("scorecard of %s for %s answers 200" % (login, period), st == 200, raw[:300])
    return j or {}


def shows_result(p):
    return p.get("final_score") is not None and p.get("grade") is not None


def hides_result(p):
    return all(p.get(k) is None for k in RESULT) and p.get("withheld") is True


def own_row(s, login):
    st, raw, j = get(s, "/api/dashboard?period=" + P)
    rows = [r for r in (j or {}).get("ranking", []) if r["login"] == login]
    return (j or {}), (rows[0] if rows else {})


boss, mgr, m1 = Session("boss"), Session("mgr"), Session("member1")

# ---------------------------------------------------------------- release
st, raw, j = get(m1, "/api/cycles")
check("GET /api/cycles says which cycles are released",
      st == 200 and {c["period"]: c["released"] for c in j} == {OLD: False, P: False}, raw[:300])

sc = card(m1, "member1")
check("before release: member1's own scorecard withholds the final, grade, bonus, rank",
      hides_result(sc.get("person", {})) and sc.get("released") is False and
      "explain" in sc and sc["explain"] is None, sc.get("person"))
check("... but shows the indicators, counted as they come in",
      any(i.get("score") is not None for i in sc.get("person", {}).get("indicators", [])),
      sc.get("person"))
check("... and the history's unreleased closed cycle too",
      all(h.get("final_score") is None and h.get("grade") is None
          for h in sc.get("history", [])), sc.get("history"))
for name, who in (("the manager", mgr), ("the admin", boss)):
    c = card(who, "member1")
    check("before release: %s sees member1's final, grade and its explanation" % name,
          shows_result(c.get("person", {})) and c.get("released") is not False and
          c.get("explain"), c.get("person"))
d, row = own_row(m1, "member1")
check("before release: the member's dashboard row withholds final, grade, bonus, rank",
      row and hides_result(row) and d.get("released") is False, row)
check("... the grade distribution is not given to them",
      d.get("distribution") == [], d.get("distribution"))
check("... nor their trend point (their own average is their final)",
      all(t["period"] not in (P, OLD) for t in d.get("trends", [])), d.get("trends"))
d, row = own_row(mgr, "member1")
check("before release: the manager's dashboard shows member1's final and grade",
      shows_result(row), row)
check("... but not the grade distribution while the manager's own grade is withheld "
      "(it would give it away)", d.get("distribution") == [], d.get("distribution"))
for fmt in ("csv", "json", "html", "pdf", "xlsx"):
    st, raw, _ = get(m1, "/api/report?period=%s&format=%s&login=member1" % (P, fmt))
    check("before release: member1's %s report download is refused (403)" % fmt,
          st == 403 and b"not released" in raw, (st, raw[:200]))
st, raw, _ = get(mgr, "/api/report?period=%s&format=csv&login=member1" % P)
check("before release: the manager downloads member1's report",
      st == 200 and b"member1" in raw, (st, raw[:200]))
st, raw, j = get(m1, "/api/people")
check("the people list shows no results at all",
      st == 200 and not any(k in p for p in j for k in RESULT), raw[:300])
st, raw, j = get(m1, "/api/dashboard?period=2026-11-01..2026-11-30")
rows = [r for r in (j or {}).get("ranking", []) if r["login"] == "member1"]
check("another spelling of the period (a range, no cycle) withholds too",
      st == 200 and rows and hides_result(rows[0]), raw[:300])

st, _, raw, _ = m1.call("POST", "/api/acknowledgements", {"period": OLD, "login": "member1"})
check("before release: a member cannot acknowledge the closed cycle's result (409)",
      st == 409 and b"not released" in raw, raw[:200])
todo = lambda s: (s.call("GET", "/api/todo")[3] or {}).get("items", [])  # noqa: E731
check("... nor are they asked to", not [i for i in todo(m1) if i["kind"] == "acknowledge"] and
      m1.call("GET", "/api/acknowledgements?period=" + OLD)[3].get("can") is None, todo(m1))
check("... while their manager is (but not for their own, also withheld)",
      sorted((i["login"], i["as"]) for i in todo(mgr) if i["kind"] == "acknowledge") ==
      [("member1", "manager"), ("member2", "manager")], todo(mgr))
boss.call("POST", "/api/cycles", {"period": OLD, "action": "release"})
check("after release the member is asked", [(i["period"], i["as"]) for i in todo(m1)
                                           if i["kind"] == "acknowledge"] == [(OLD, "self")],
      todo(m1))
st, _, raw, _ = m1.call("POST", "/api/acknowledgements", {"period": OLD, "login": "member1"})
check("after its release they can", st == 200, raw[:200])
boss.call("POST", "/api/cycles", {"period": OLD, "action": "withhold"})

st, _, raw, _ = m1.call("POST", "/api/cycles", {"period": P, "action": "release"})
check("a member cannot release (403)", st == 403, raw[:200])
st, _, raw, _ = mgr.call("POST", "/api/cycles", {"period": P, "action": "release"})
check("a manager cannot release (403)", st == 403, raw[:200])
n0 = q("select count(*) from audit where action = 'cycle release'")[0][0]
st, _, raw, j = boss.call("POST", "/api/cycles", {"period": P, "action": "release"})
check("the admin releases 2026-11", st == 200 and j == {"period": P, "state": "open"}, raw[:200])
check("the release is audited, by the admin",
      q("select who, object, after from audit where action = 'cycle release'")[n0:] ==
      [("boss", P, '{"released":true}')], q("select * from audit order by id desc limit 2"))
st, _, raw, j = boss.call("POST", "/api/cycles", {"period": P, "action": "release"})
check("releasing twice is a 409", st == 409 and "released already" in j.get("error", ""),
      raw[:200])

sc = card(m1, "member1")
check("after release: member1 sees their final, grade and bonus",
      shows_result(sc.get("person", {})) and sc.get("released") is not False and
      "withheld" not in sc.get("person", {}), sc.get("person"))
check("... the same numbers as the manager's view",
      all(sc["person"].get(k) == card(mgr, "member1")["person"].get(k) for k in RESULT))
d, row = own_row(m1, "member1")
check("after release: the dashboard row and the distribution are there",
      shows_result(row) and d.get("distribution") and d.get("released") is True, d)
check("... and the trend point of the released cycle",
      [t["period"] for t in d.get("trends", [])] == [P], d.get("trends"))
st, raw, _ = get(m1, "/api/report?period=%s&format=csv&login=member1" % P)
check("after release: member1 downloads their report", st == 200 and b"member1" in raw,
      (st, raw[:200]))
sc = card(m1, "member1")
hist = {h["period"]: h for h in sc.get("history", [])}
check("after release: the history shows 2026-11 and still withholds 2026-10 (not released)",
      hist.get(P, {}).get("final_score") is not None and OLD in hist and
      hides_result(hist[OLD]), sc.get("history"))
# ---------------------------------------------------------------- explanation
x = card(m1, "member1").get("explain") or {}
inds = {i["key"]: i for i in x.get("indicators", [])}
check("explain: each counted indicator's weighted contribution (25/50 x 75, 25/50 x 50)",
      x.get("kpi_weight") == 50 and set(inds) == {"promo_posts", "site_visits"} and
      inds["promo_posts"]["contribution"] == 37.5 and inds["site_visits"]["contribution"] == 25,
      x)
check("explain: the contributions sum to the KPI score (62.5)",
      abs(sum(i["contribution"] for i in inds.values()) - x.get("kpi_score", 0)) < 0.01 and
      x.get("kpi_score") == 62.5, x)
bl = {b["component"]: b for b in x.get("blend", [])}
check("explain: the blend over the components rated (kpi 70, manager 20; self not rated)",
      {k: b["weight"] for k, b in bl.items()} == {"kpi": 70, "manager": 20} and
      x.get("blend_weight") == 90 and bl["manager"]["score"] == 82 and x.get("formula") is None,
      x.get("blend"))
check("explain: the blend gives the final, (70 x 62.5 + 20 x 82) / 90 = 66.83",
      abs(sum(b["contribution"] for b in bl.values()) - 66.83) < 0.01 and
      x.get("final_score") == 66.83 == card(m1, "member1")["person"]["final_score"], x)
check("explain: the band table and the band reached (C from 60, x0.8)",
      [(g["grade"], g["min"], g["coef"]) for g in x.get("grades", [])] ==
      [("S", 95, "1.5"), ("A", 85, "1.2"), ("B", 70, "1"), ("C", 60, "0.8"), ("D", 0, "0")] and
      x.get("band_grade") == "C" and x.get("grade") == "C", x.get("grades"))
check("explain: base bonus x coefficient (4500.00 x 0.8 = 3600.00)",
      x.get("bonus") == {"base_cents": 450000, "coef": "0.8", "raw_cents": 360000,
                         "pool_cents": None, "bonus_cents": 360000}, x.get("bonus"))
check("explain: the left-out component is named", card(m1, "member1")["person"].get("left_out")
      == "self")

st, _, raw, _ = boss.call("POST", "/api/cycles", {"period": P, "action": "withhold"})
check("the admin withholds them again", st == 200, raw[:200])
check("... and the scorecard hides them again", hides_result(card(m1, "member1")["person"]))
boss.call("POST", "/api/cycles", {"period": P, "action": "release"})

# ---------------------------------------------------------------- batches
def ids(s, query):
    st, raw, j = get(s, "/api/batches" + query)
    check("GET /api/batches%s answers 200" % query, st == 200, raw[:200])
    return [b["id"] for b in (j or [])], (j or [])


NEWEST = 6002          # oct.csv 1, nov.csv 2, then 6000 bulk batches
got, _ = ids(boss, "?limit=50")
check("the first page: the 50 newest, newest first", got == list(range(NEWEST, NEWEST - 50, -1)),
      got[:5])
got, _ = ids(boss, "?limit=50&offset=50")
check("the second page follows on", got == list(range(NEWEST - 50, NEWEST - 100, -1)), got[:5])
got, _ = ids(boss, "?limit=50&offset=6000")
check("the last page: the two imported batches", got == [2, 1], got)
got, rows = ids(boss, "?source=posts&limit=10")
check("by source: only its batches, newest first",
      len(got) == 10 and all(b["source"] == "posts" for b in rows) and got == sorted(got, reverse=True),
      rows[:3])
got, rows = ids(boss, "?period=2025-03&limit=1000")
check("by period: the 620 batches of March 2025 (days 59-89 of the bulk's)",
      len(got) == 620 and all(b["first_date"].startswith("2025-03") for b in rows), len(got))
got, rows = ids(boss, "?period=2025-03&source=orders&limit=1000")
check("by period and source together", len(got) == 155 and
      all(b["source"] == "orders" and b["first_date"].startswith("2025-03") for b in rows), len(got))
_, rows = ids(boss, "?period=" + OLD)
check("a batch inside the closed cycle is frozen (no Remove on the data screen)",
      [(b["file"], b["frozen"]) for b in rows] == [("oct.csv", True)], rows)
_, rows = ids(boss, "?period=" + P)
check("a batch of the open cycle is not", [(b["file"], b["frozen"]) for b in rows] ==
      [("nov.csv", False)], rows)
st, _, raw, _ = boss.call("DELETE", "/api/batches/%d" % [b["id"] for b in ids(boss, "?period=" + OLD)[1]][0])
check("... and removing the frozen one is refused (409)", st == 409, raw[:200])
for bad in ("limit=1001", "limit=-1", "limit=x", "offset=1.5", "period=2026-13"):
    st, _, raw, _ = boss.call("GET", "/api/batches?" + bad)
    check("/api/batches?%s is a 400 naming the argument" % bad,
          st == 400 and bad.split("=")[0].encode() in raw, raw[:200])
got, _ = ids(m1, "")
check("a member's list: only the batches with their data", got == [2, 1], got)
got, _ = ids(m1, "?limit=1")
check("... paged: the first", got == [2], got)
got, _ = ids(m1, "?limit=1&offset=1")
check("... and the next", got == [1], got)
got, _ = ids(m1, "?source=posts")
check("... filtered by source: none of theirs", got == [], got)

# ---------------------------------------------------------------- audit
def audit(query):
    st, raw, j = get(boss, "/api/audit" + query)
    check("GET /api/audit%s answers 200" % query, st == 200, raw[:200])
    return j or []


rows = audit("?who=boss")
check("the audit log by who: boss's only", rows and all(a["who"] == "boss" for a in rows),
      [a["who"] for a in rows])
rows = audit("?action=cycle%20")
acts = {a["action"] for a in rows}
check("by an action prefix: every cycle move and nothing else",
      {"cycle open", "cycle release", "cycle withhold", "cycle closed"} <= acts and
      all(a.startswith("cycle ") for a in acts), acts)
rows = audit("?action=import")
check("by an action: exactly it", rows and {a["action"] for a in rows} == {"import"}, rows[:2])
today = q("SELECT date('now')")[0][0]
every = audit("?limit=1000")
rows = audit("?from=%s&to=%s&limit=1000" % (today, today))
check("by date range: today holds every entry", len(rows) == len(every) > 0, len(rows))
check("a range after today holds none", audit("?from=2099-01-01") == [])
check("a range before the first holds none", audit("?to=2000-01-01") == [])
rows = audit("?who=boss&action=cycle%20release")
check("filters combine", rows and all(a["who"] == "boss" and a["action"] == "cycle release"
                                      for a in rows), rows)
for bad in ("from=2026-13-01", "to=yesterday", "from=2026-1-1"):
    st, _, raw, _ = boss.call("GET", "/api/audit?" + bad)
    check("/api/audit?%s is a 400 naming the argument" % bad,
          st == 400 and bad.split("=")[0].encode() in raw, raw[:200])

# ---------------------------------------------------------------- users
st, raw, j = get(boss, "/api/users")
u = {x["login"]: x for x in (j or [])}
check("the users list: names", u.get("member1", {}).get("name") == "李娜", u.get("member1"))
check("... and the last login (ISO time) of those who logged in",
      str(u.get("boss", {}).get("last_login", "")).startswith(today) and
      str(u.get("member1", {}).get("last_login", "")).startswith(today), u.get("boss"))
check("... null for one who never did", "last_login" in u.get("member2", {}) and
      u["member2"]["last_login"] is None, u.get("member2"))

sys.exit(webtest.finish())

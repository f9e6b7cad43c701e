#!/usr/bin/env python3
"""survey_test.py — surveys over a real socket (issue 13 item 7).

    python3 tests/web/survey_test.py URL DBPATH

URL is a running `merit serve` on DBPATH, prepared by
tests/e2e/t0475-survey.sh: boss (admin, position manager) and p1 (member),
passwords pw-LOGIN-secret; cycles 2026-11 and 2026-12 open.

- the admin makes a survey of brand_awareness for 2026-11 (its questions
  follow from the indicator) and gets a public link /s/TOKEN;
- the link's page is the app; GET /api/s/TOKEN, without a login, says the
  brand, the question set and whether it takes answers, nothing else, and
  gives the browser a respondent cookie (Path=/api/s/, HttpOnly);
- three respondents answer; the same browser's second answer is refused
  (409), as is an answer without the cookie, out of range, or too large;
- a survey of a cycle that is no longer open (2026-12 moved to review)
  refuses answers;
- closing scores 100 × (ā − 1) ÷ 4: answers (5,4,4), (3,3,2), (4,5,1) sum
  to 31 over 9, ā = 3.444…, score 61.1; a batch of source "survey" whose
  name gives 3 respondents, shown in the scorecard's trace;
- a member gets 403 on every admin survey route; a bad token is 404;
  the respondent cookie opens nothing else.

Prints "ok N - what" or "not ok N - what: why" per check; exits 1 when any
failed.  Python 3 standard library only.
"""
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import webtest  # noqa: E402
from webtest import check  # noqa: E402

if len(sys.argv) != 3:
    sys.exit("usage: survey_test.py URL DBPATH")
URL, DB = sys.argv[1:3]
_u = urllib.parse.urlsplit(URL)
HOST, PORT = _u.hostname, _u.port
P, P2 = "2026-11", "2026-12"


def Session(login):
    return webtest.Session(HOST, PORT, login, "pw-%s-secret" % login)


def q(sql, args=()):
    c = webtest.connect(DB)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def header(hdrs, name):
    for k, v in hdrs:
        if k.lower() == name.lower():
            return v
    return None


class Respondent:
    """A browser without a login: the respondent cookie the survey gave it."""

    def __init__(self):
        self.cookie = None

    def open(self, token):
        h = {"Cookie": self.cookie} if self.cookie else {}
        st, hdrs, raw = webtest.request(HOST, PORT, "GET", "/api/s/" + token, None, h)
        sc = header(hdrs, "Set-Cookie")
        if sc:
            self.cookie = sc.split(";")[0]
        return st, hdrs, raw, parse(raw)

    def answer(self, token, answers, body=None):
        h = {"Content-Type": "application/json"}
        if self.cookie:
            h["Cookie"] = self.cookie
        st, hdrs, raw = webtest.request(HOST, PORT, "POST", "/api/s/" + token,
                                        body if body is not None else json.dumps({"answers": answers}), h)
        return st, hdrs, raw, parse(raw)


def parse(raw):
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


boss, p1 = Session("boss"), Session("p1")

# ---- the admin makes surveys ----
st, _, raw, j = boss.call("POST", "/api/surveys", {"indicator": "brand_awareness", "period": P,
                                                   "brand": "云杉茶"})
check("the admin makes a survey of brand_awareness: 201", st == 201, raw)
sv = j or {}
check("its questions follow from the indicator: awareness", sv.get("questions") == "awareness", sv)
m = re.match(r"^/s/([A-Za-z0-9_-]{43})$", sv.get("link", ""))
check("it has a public link /s/TOKEN (a random 43-character token)", m, sv)
TOKEN = m.group(1) if m else "x" * 43
check("it is open with no answers", sv.get("state") == "open" and sv.get("answers") == 0, sv)

st, _, raw, j = boss.call("POST", "/api/surveys", {"indicator": "reputation", "period": P2,
                                                   "brand": "云杉茶"})
check("a survey of reputation for 2026-12: 201, questions reputation",
      st == 201 and (j or {}).get("questions") == "reputation", raw)
TOKEN2 = ((j or {}).get("link") or "/s/").split("/s/")[1]
SV2 = (j or {}).get("id")

st, _, raw, j = boss.call("POST", "/api/surveys", {"indicator": "online_sales", "period": P,
                                                   "brand": "x"})
check("an indicator not in the plan: 400 naming the field",
      st == 400 and 'field "indicator"' in (j or {}).get("error", ""), raw)
st, _, raw, j = boss.call("POST", "/api/surveys", {"indicator": "site_visits", "period": P,
                                                   "brand": "x"})
check("an indicator with no question set of its own needs \"questions\": 400",
      st == 400 and 'field "questions"' in (j or {}).get("error", ""), raw)
st, _, raw, j = boss.call("POST", "/api/surveys", {"indicator": "reputation", "period": "2027-01",
                                                   "brand": "x"})
check("a period with no cycle: 404", st == 404, raw)
check("nothing written for the refused ones", q("select count(*) from survey")[0][0] == 2)

# ---- a member may not ----
for method, path, body in (("GET", "/api/surveys", None),
                           ("POST", "/api/surveys", {"indicator": "reputation", "period": P,
                                                     "brand": "x"}),
                           ("POST", "/api/surveys/%d/close" % SV2, {})):
    st, _, raw, j = p1.call(method, path, body)
    check("a member: %s %s is 403" % (method, path), st == 403, raw)

# ---- the public link ----
st, hdrs, raw = webtest.request(HOST, PORT, "GET", "/s/" + TOKEN)
check("the link's page is the app (no login)", st == 200 and b"<html" in raw.lower()
      and (header(hdrs, "Content-Type") or "").startswith("text/html"), st)

r1 = Respondent()
st, hdrs, raw, j = r1.open(TOKEN)
check("GET /api/s/TOKEN without a login: 200", st == 200, raw)
check("it says the brand, the question set, the scale and that it is open, and nothing else",
      j == {"brand": "云杉茶", "questions": "awareness", "count": 3, "scale": 5,
            "open": True, "answered": False}, j)
sc = header(hdrs, "Set-Cookie") or ""
check("it gives a respondent cookie: Path=/api/s/, HttpOnly, SameSite=Strict",
      sc.startswith("merit_r=") and "Path=/api/s/;" in sc and "HttpOnly" in sc
      and "SameSite=Strict" in sc, sc)
for k in ("indicator", "period", "score", "answers", "id", "batch", "created_by"):
    check("the public answer holds no %s" % k, k not in (j or {}), j)

st, _, raw, j = r1.answer(TOKEN, [5, 4, 4])
check("respondent 1 answers (5, 4, 4): 201", st == 201, raw)
st, _, raw, j = r1.open(TOKEN)
check("the same browser is told it has answered", (j or {}).get("answered") is True, j)
st, _, raw, j = r1.answer(TOKEN, [1, 1, 1])
check("the same browser's second answer is refused: 409",
      st == 409 and "answered this survey already" in (j or {}).get("error", ""), raw)

r2, r3 = Respondent(), Respondent()
r2.open(TOKEN)
r3.open(TOKEN)
check("each browser gets its own id", r2.cookie and r3.cookie and r2.cookie != r3.cookie
      and r1.cookie != r2.cookie, (r1.cookie, r2.cookie))
st, _, raw, j = r2.answer(TOKEN, [3, 3, 6])
check("an answer out of 1..5: 400 naming the question", st == 400 and "question 3" in
      (j or {}).get("error", ""), raw)
st, _, raw, j = r2.answer(TOKEN, [3, 3])
check("too few answers: 400", st == 400, raw)
st, _, raw, j = r2.answer(TOKEN, None, body=json.dumps({"answers": [3, 3, 2], "pad": "x" * 5000}))
check("a body over the public routes' limit (4 KiB): 413", st == 413, raw)
st, _, raw, j = r2.answer(TOKEN, [3, 3, 2])
check("respondent 2 answers (3, 3, 2): 201", st == 201, raw)
st, _, raw, j = r3.answer(TOKEN, [4, 5, 1])
check("respondent 3 answers (4, 5, 1): 201", st == 201, raw)
st, _, raw, j = Respondent().answer(TOKEN, [5, 5, 5])
check("an answer without a respondent cookie: 400", st == 400 and "cookie" in
      (j or {}).get("error", ""), raw)

# ---- what the respondent cookie and a bad token open ----
st, _, raw = webtest.request(HOST, PORT, "GET", "/api/surveys", None, {"Cookie": r1.cookie})
check("the respondent cookie opens no admin route: 401", st == 401, raw)
st, _, raw = webtest.request(HOST, PORT, "GET", "/api/me", None, {"Cookie": r1.cookie})
check("nor /api/me: 401", st == 401, raw)
st_bad, _, raw_bad = webtest.request(HOST, PORT, "GET", "/api/s/" + "A" * 43)
st_short, _, raw_short = webtest.request(HOST, PORT, "GET", "/api/s/abc")
check("an unknown token and a malformed one: the same 404",
      st_bad == 404 and st_short == 404 and raw_bad == raw_short, (raw_bad, raw_short))
st, _, raw = webtest.request(HOST, PORT, "GET", "/api/s/" + TOKEN + "/x")
check("nothing under a survey's path: 404", st == 404, raw)

# ---- a cycle no longer open ----
rr = Respondent()
rr.open(TOKEN2)
st, _, raw, j = rr.answer(TOKEN2, [4, 4, 4])
check("the 2026-12 survey takes an answer while its cycle is open", st == 201, raw)
st, _, raw, j = boss.call("POST", "/api/cycles", {"period": P2, "action": "review"})
check("2026-12 moves to review", st == 200, raw)
r4 = Respondent()
st, _, raw, j = r4.open(TOKEN2)
check("the survey of a cycle in review says it is not open", (j or {}).get("open") is False, j)
st, _, raw, j = r4.answer(TOKEN2, [5, 5, 5])
check("its answers are refused: 409", st == 409 and "not taking answers" in
      (j or {}).get("error", ""), raw)
check("the refused answer is not kept",
      q("select count(*) from survey_answer where survey_id = ?", (SV2,))[0][0] == 1)

# ---- the admin's list and the close ----
st, _, raw, j = boss.call("GET", "/api/surveys")
mine = [x for x in (j or []) if x.get("link") == "/s/" + TOKEN]
check("the admin's list: 3 answers, the score so far 61.1",
      st == 200 and mine and mine[0]["answers"] == 3 and mine[0]["score"] == 61.1, raw)
SV1 = mine[0]["id"] if mine else 0
st, _, raw, j = boss.call("POST", "/api/surveys/%d/close" % SV1, {})
# (5+4+4 + 3+3+2 + 4+5+1) = 31 over 9 answers: mean 3.444..; 100 x 2.444.. / 4 = 61.11
check("closing scores it by hand's count: 100 x (31/9 - 1) / 4 = 61.1",
      st == 200 and (j or {}).get("score") == 61.1, raw)
BATCH = (j or {}).get("batch")
st, _, raw, j = boss.call("POST", "/api/surveys/%d/close" % SV1, {})
check("closing twice: 409", st == 409, raw)
r5 = Respondent()
r5.open(TOKEN)
st, _, raw, j = r5.answer(TOKEN, [5, 5, 5])
check("a closed survey refuses answers: 409", st == 409 and "closed" in
      (j or {}).get("error", ""), raw)

rows = q("select source, file, rows from batch where id = ?", (BATCH,))
check("the score is a batch of source survey, one row",
      rows and rows[0][0] == "survey" and rows[0][2] == 1, rows)
check("its name says how it was measured: 3 respondents, the mean, the formula",
      rows and "3 respondents, mean 3.44 of 1-5, score 100 x (mean - 1) / 4 = 61.1" in rows[0][1],
      rows)
m = q("select s.indicator, s.login, m.day, m.value from measurement m join subject s"
      " on s.id = m.subject_id where m.batch_id = ?", (BATCH,))
check("one team measurement of brand_awareness, 61.1, on the cycle's last day",
      m == [("brand_awareness", None, m[0][2] if m else 0, 61.1)] and m[0][2] ==
      q("select last_day from cycle where period = ?", (P,))[0][0], m)

st, _, raw, j = boss.call("GET", "/api/scorecard?period=%s&login=boss" % P)
trace = [t for t in (j or {}).get("trace", []) if t.get("indicator") == "brand_awareness"]
check("the scorecard's trace: brand_awareness measured by the survey (3 respondents)",
      st == 200 and trace and trace[0]["source"] == "survey" and trace[0]["batch"] == BATCH
      and "3 respondents" in trace[0]["file"], trace or raw[:600])

st, _, raw, j = boss.call("POST", "/api/surveys/%d/close" % SV2, {})
check("the 2026-12 survey (cycle in review) still closes: 1 respondent, 4 of 5 = 75.0",
      st == 200 and (j or {}).get("score") == 75.0, raw)
st, _, raw, j = boss.call("POST", "/api/surveys/99999/close", {})
check("closing a survey that does not exist: 404", st == 404, raw)

sys.exit(webtest.finish())

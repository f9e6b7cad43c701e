#!/usr/bin/env python3
"""evidence_test.py — evidence from the team and the to-do list over a real
socket (issue 13, items 3 and 4).

    python3 tests/web/evidence_test.py URL DBPATH

URL is a running `merit serve` on DBPATH, prepared by
tests/e2e/t0470-web-evidence.sh: boss (admin) -> mgr (manager) -> p1, p2
(promoters, members), passwords pw-LOGIN-secret; p1's post
https://weibo.example/p/1 imported; 2026-08 closed, 2026-11 open; a saved
source "weekly-posts" (kind posts).

- a member hands in a post; the same URL again (any spelling the posts
  importer counts as the same) or one an import counted is refused,
  naming the field "url";
- nobody else sees it, nobody decides on their own; their manager's and
  the admin's to-do lists hold it, the member's does not;
- the manager approves it: a batch of source "evidence" whose name says
  who handed it in and who approved it, shown in the scorecard's trace,
  and the post counts (2 posts of a target of 40: score 5.0);
- a rejection needs a reason, which the member reads; a rejected URL may
  be handed in again; nothing is decided twice;
- an attachment is a picture or PDF up to 512 KiB, checked by its bytes,
  served as a download (Content-Disposition: attachment) to those who see
  the item, 404 to others;
- the to-do list of a member, a manager and an admin: ratings owed,
  approvals waiting, results to acknowledge, a stale saved source, each
  gone once done.

Prints "ok N - what" or "not ok N - what: why" per check; exits 1 when any
failed.  Python 3 standard library only.
"""
import base64
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import webtest  # noqa: E402
from webtest import check  # noqa: E402

if len(sys.argv) != 3:
    sys.exit("usage: evidence_test.py URL DBPATH")
URL, DB = sys.argv[1:3]
_u = urllib.parse.urlsplit(URL)
HOST, PORT = _u.hostname, _u.port
P, SEP = "2026-11", "2026-08"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def Session(login):
    return webtest.Session(HOST, PORT, login, "pw-%s-secret" % login)


def q(sql, args=()):
    c = webtest.connect(DB)
    try:
        r = c.execute(sql, args).fetchall()
        c.commit()
        return r
    finally:
        c.close()


def header(hdrs, name):
    for k, v in hdrs:
        if k.lower() == name.lower():
            return v
    return None


def todo(s):
    st, _, raw, j = s.call("GET", "/api/todo")
    check("GET /api/todo answers 200", st == 200, raw[:300])
    return (j or {}).get("items", [])


def has(items, **want):
    return any(all(x.get(k) == v for k, v in want.items()) for x in items)


def post(s, url, day="2026-11-05", **more):
    body = {"kind": "post", "url": url, "platform": "weibo", "date": day}
    body.update(more)
    return s.call("POST", "/api/evidence", body)


boss, mgr, p1, p2 = Session("boss"), Session("mgr"), Session("p1"), Session("p2")

# ---- the to-do lists before ----
t1 = todo(p1)
check("p1 owes their self rating", has(t1, kind="rate", period=P, login="p1", **{"as": "self"}), t1)
check("p1 acknowledges their closed result", has(t1, kind="acknowledge", period=SEP, login="p1",
                                                 **{"as": "self"}), t1)
check("p1 has nothing to approve", not has(t1, kind="approve"), t1)
check("p1 sees no stale source (an admin's)", not has(t1, kind="stale_source"), t1)
tm = todo(mgr)
for who in ("p1", "p2"):
    check("mgr owes %s's manager rating" % who, has(tm, kind="rate", login=who, **{"as": "manager"}), tm)
    check("mgr acknowledges %s's closed result" % who,
          has(tm, kind="acknowledge", period=SEP, login=who, **{"as": "manager"}), tm)
check("mgr has nothing to approve yet", not has(tm, kind="approve"), tm)
tb = todo(boss)
check("boss owes mgr's manager rating", has(tb, kind="rate", login="mgr", **{"as": "manager"}), tb)
check("the saved source is not stale yet", not has(tb, kind="stale_source"), tb)

# ---- hand in a post; duplicates refused ----
st, _, raw, j = post(p1, "https://weibo.example/p/2?utm_source=x", note="第二帖")
check("p1 hands in a post: 201", st == 201 and j and j.get("state") == "pending", raw)
ev1 = (j or {}).get("id")
check("... as promo_posts", (j or {}).get("indicator") == "promo_posts", raw)
st, _, raw, j = post(p1, "HTTPS://Weibo.example:443/p/2/#top")
check("the same URL again is refused: 409", st == 409, raw)
check("... naming the field url and the earlier item",
      'field "url"' in (j or {}).get("error", "") and "#%s" % ev1 in j.get("error", ""), raw)
st, _, raw, j = post(p2, "https://weibo.example/p/1")
check("a URL an import counted is refused: 409", st == 409, raw)
check("... naming the field url and its batch",
      'field "url"' in (j or {}).get("error", "") and "batch" in j.get("error", ""), raw)
st, _, raw, j = p1.call("POST", "/api/evidence", {"kind": "post", "date": "2026-11-05",
                                                   "platform": "weibo"})
check("a post without a URL: 400 naming url", st == 400 and 'field "url"' in (j or {}).get("error", ""), raw)
st, _, raw, j = p1.call("POST", "/api/evidence", {"kind": "value", "indicator": "no_such",
                                                   "value": 3, "date": "2026-11-05"})
check("a value of an indicator not in the plan: 400 naming indicator",
      st == 400 and 'field "indicator"' in (j or {}).get("error", ""), raw)
st, _, raw, j = post(p1, "https://weibo.example/p/old", day="2026-08-10")
check("a post in the closed cycle: 409", st == 409, raw)
st, _, raw, j = p1.call("POST", "/api/evidence", {"kind": "poem", "date": "2026-11-05"})
check("an unknown kind: 400 naming kind", st == 400 and 'field "kind"' in (j or {}).get("error", ""), raw)

# ---- who sees it, who decides ----
st, _, raw, j = p1.call("GET", "/api/evidence?show=mine")
mine = (j or {}).get("items", [])
check("p1 sees their pending post", st == 200 and any(x["id"] == ev1 and x["state"] == "pending"
                                                     and x["url"].startswith("https://weibo.example/p/2")
                                                     for x in mine), raw)
check("... and may not decide on it", all(not x["can_decide"] for x in mine), raw)
st, _, raw, j = p2.call("GET", "/api/evidence")
check("p2 does not see p1's evidence", st == 200 and not any(x["login"] == "p1" for x in j["items"]), raw)
st, _, raw, j = p2.call("POST", "/api/evidence/%s/decision" % ev1, {"decision": "approve"})
check("p2 cannot decide on p1's evidence: 404", st == 404, raw)
st, _, raw, j = p1.call("POST", "/api/evidence/%s/decision" % ev1, {"decision": "approve"})
check("p1 cannot decide on their own: 403", st == 403, raw)
st, _, raw, j = mgr.call("GET", "/api/evidence?show=waiting")
check("mgr sees it waiting, may decide", st == 200 and any(x["id"] == ev1 and x["can_decide"]
                                                          for x in j["items"]), raw)
check("... the answer counts what waits", (j or {}).get("waiting") == 1, raw)
tm = todo(mgr)
check("mgr's to-do: approve p1's post", has(tm, kind="approve", id=ev1, login="p1", what="post"), tm)
tb = todo(boss)
check("the admin's to-do holds it too", has(tb, kind="approve", id=ev1), tb)
check("p1's to-do does not", not has(todo(p1), kind="approve"))

# ---- the scorecard before and after the approval ----
def promo(s):
    st, _, raw, j = s.call("GET", "/api/scorecard?period=%s&login=p1" % P)
    card = j or {}
    person = card.get("person") or {}
    ind = [x for x in person.get("indicators", []) if x.get("key") == "promo_posts"]
    return (ind[0] if ind else {}), card.get("trace") or person.get("trace") or [], raw


ind, trace, raw = promo(p1)
check("before: p1 has 1 post, score 1/40 = 2.5", ind.get("actual") == 1 and ind.get("score") == 2.5, raw[:500])
st, _, raw, j = mgr.call("POST", "/api/evidence/%s/decision" % ev1, {"decision": "approve"})
check("mgr approves: 200 with a batch", st == 200 and isinstance((j or {}).get("batch"), int), raw)
batch = (j or {}).get("batch")
st, _, raw, j = mgr.call("POST", "/api/evidence/%s/decision" % ev1, {"decision": "reject",
                                                                    "reason": "twice"})
check("deciding twice: 409", st == 409, raw)
st, _, raw, j = boss.call("GET", "/api/batches/%s" % batch)
b = (j or {}).get("batch", {})
check("the batch is of source evidence", st == 200 and b.get("source") == "evidence", raw)
check("its lineage names who handed it in and who approved it",
      b.get("file") == "#%s: post by p1, approved by mgr" % ev1 and b.get("created_by") == "mgr", raw)
ind, trace, raw = promo(p1)
check("after: p1 has 2 posts, score 2/40 = 5.0", ind.get("actual") == 2 and ind.get("score") == 5.0, raw[:500])
check("the scorecard's trace names the evidence batch",
      any(t.get("batch") == batch and t.get("source") == "evidence" and "approved by mgr" in t.get("file", "")
          for t in trace), trace)
st, _, raw, j = p1.call("GET", "/api/evidence?state=approved")
check("p1 sees who approved it by name", any(x["id"] == ev1 and x.get("decided_by_name") == "王芳"
                                           for x in (j or {}).get("items", [])), raw)
check("p1 sees their approved post", any(x["id"] == ev1 and x["decided_by"] == "mgr" and x["batch"] == batch
                                         for x in (j or {}).get("items", [])), raw)
check("mgr's to-do: nothing left to approve", not has(todo(mgr), kind="approve"))
st, _, raw, j = post(p2, "https://weibo.example/p/2")
check("the approved URL is refused to another member too: 409", st == 409, raw)

# ---- reject with a reason ----
st, _, raw, j = p1.call("POST", "/api/evidence", {"kind": "topic", "title": "双十一专题",
                                                   "date": "2026-11-06"})
ev2 = (j or {}).get("id")
check("p1 hands in a topic", st == 201 and j.get("indicator") == "topics_produced", raw)
st, _, raw, j = mgr.call("POST", "/api/evidence/%s/decision" % ev2, {"decision": "reject"})
check("a rejection without a reason: 400 naming reason",
      st == 400 and 'field "reason"' in (j or {}).get("error", ""), raw)
st, _, raw, j = boss.call("POST", "/api/evidence/%s/decision" % ev2,
                          {"decision": "reject", "reason": "不是本月的"})
check("the admin rejects it with a reason", st == 200 and j.get("state") == "rejected" and j.get("batch") is None, raw)
st, _, raw, j = p1.call("GET", "/api/evidence?state=rejected")
check("p1 reads the reason", any(x["id"] == ev2 and x["reason"] == "不是本月的" and x["decided_by"] == "boss"
                                 for x in (j or {}).get("items", [])), raw)
st, _, raw, j = post(p2, "https://weibo.example/p/3")
ev3 = (j or {}).get("id")
check("p2 hands in a post", st == 201, raw)
st, _, raw, j = mgr.call("POST", "/api/evidence/%s/decision" % ev3, {"decision": "reject",
                                                                    "reason": "wrong account"})
check("mgr rejects it", st == 200, raw)
st, _, raw, j = post(p2, "https://weibo.example/p/3")
check("a rejected URL may be handed in again", st == 201, raw)
ev4 = (j or {}).get("id")

# ---- attachments ----
st, _, raw, j = post(p1, "https://weibo.example/p/4",
                     attachment={"name": "截图.png", "data": base64.b64encode(PNG).decode()})
ev5 = (j or {}).get("id")
check("a post with a PNG attachment", st == 201, raw)
for who, s in (("p1", p1), ("mgr", mgr), ("boss", boss)):
    st, hdrs, raw = s.get("/api/evidence/%s/file" % ev5)
    check("%s downloads the attachment: 200, the bytes" % who, st == 200 and raw == PNG, (st, raw[:100]))
    check("... as image/png", header(hdrs, "Content-Type") == "image/png", hdrs)
    disp = header(hdrs, "Content-Disposition") or ""
    check("... with Content-Disposition: attachment", disp.startswith("attachment;"), disp)
st, hdrs, raw = p2.get("/api/evidence/%s/file" % ev5)
check("p2 may not download p1's attachment: 404", st == 404, raw)
st, hdrs, raw = p1.get("/api/evidence/%s/file" % ev1)
check("an item without an attachment: 404", st == 404, raw)
st, _, raw, j = post(p1, "https://weibo.example/p/5",
                     attachment={"name": "x.png", "data": base64.b64encode(b"<html>hi</html>").decode()})
check("an attachment that is not a picture or PDF (named .png): 415 naming attachment",
      st == 415 and 'field "attachment"' in (j or {}).get("error", ""), raw)
big = b"%PDF-1.4\n" + b"x" * (512 * 1024)
st, _, raw, j = post(p1, "https://weibo.example/p/6",
                     attachment={"name": "big.pdf", "data": base64.b64encode(big).decode()})
check("an attachment over 512 KiB: 413 naming attachment",
      st == 413 and 'field "attachment"' in (j or {}).get("error", ""), raw)
st, _, raw, j = post(p1, "https://weibo.example/p/6",
                     attachment={"name": "ok.pdf", "data": base64.b64encode(big[:512 * 1024]).decode()})
check("a PDF of exactly 512 KiB is taken", st == 201, raw)
check("nothing written for the refused ones",
      q("select count(*) from evidence where url like '%/p/5'")[0][0] == 0)

# ---- the to-do lists after: done items leave ----
st, _, raw, j = p1.call("POST", "/api/ratings", {"period": P, "login": "p1", "by": "self",
                                                  "criteria": {"analysis": 4, "strategy": 4,
                                                               "execution": 4}})
check("p1 rates themselves", st == 200, raw)
st, _, raw, j = p1.call("POST", "/api/acknowledgements", {"period": SEP, "login": "p1"})
check("p1 acknowledges their result", st == 200, raw)
t1 = todo(p1)
check("p1's self rating left the list", not has(t1, kind="rate", **{"as": "self"}), t1)
check("p1's acknowledgement left the list", not has(t1, kind="acknowledge"), t1)
tm = todo(mgr)
check("mgr still acknowledges p1 as manager", has(tm, kind="acknowledge", login="p1", **{"as": "manager"}), tm)
check("mgr's to-do: p2's and p1's new posts", has(tm, kind="approve", id=ev4) and has(tm, kind="approve", id=ev5), tm)
# the saved source's kind had its last batch 40 days ago
def days_ago(n):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - n * 86400))


q("update batch set created_at = ? where source = 'posts'", (days_ago(40),))
q("update source set created_at = ?", (days_ago(50),))
tb = todo(boss)
check("the admin's to-do: the saved source is stale (40 days)",
      has(tb, kind="stale_source", source="weekly-posts", days=40), tb)
check("a manager is not told of stale sources", not has(todo(mgr), kind="stale_source"))

sys.exit(webtest.finish())

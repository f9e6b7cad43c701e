#!/usr/bin/env python3
"""plan_test.py — the plan form's API over a real socket (issue 13, item 2).

    python3 tests/web/plan_test.py URL DBPATH MERIT_BINARY

URL is a running `merit serve` on DBPATH, prepared by
tests/e2e/t0465-web-plan.sh: the built-in sales plan; boss (reviewer,
admin user), mgr (manager user, promoter), ann and bob (promoters; ann a
member user); cycle 2026-11 open with promo_posts and online_customers
recorded for ann (40, 50) and bob (20, 30).

- POST /api/plan/check answers every problem of a draft (JSON in the shape
  GET /api/plan's "plan" has, or YAML) with the field it is in, and the
  same words `merit plan import` says for the same draft;
- POST /api/plan/whatif gives the numbers `merit score PERIOD --plan` gives;
- PUT /api/plan takes the form's JSON draft, saves and audits it;
- a member or a manager gets 403 and changes nothing.
"""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import webtest  # noqa: E402
from webtest import Session, check, note  # noqa: E402

if len(sys.argv) != 4:
    sys.exit("usage: plan_test.py URL DBPATH MERIT_BINARY")
URL, DB, MERIT = sys.argv[1:4]
webtest.configure(MERIT, DB)
_u = urllib.parse.urlsplit(URL)
HOST, PORT = _u.hostname, _u.port
P = "2026-11"
TMP = tempfile.mkdtemp(prefix="plan_test.")


def login(who):
    return Session(HOST, PORT, who, "pw-%s-secret" % who)


def position(plan, key):
    return next(i for i, p in enumerate(plan["positions"]) if p["key"] == key)


def kpi(plan, pi, indicator):
    return next(i for i, k in enumerate(plan["positions"][pi]["kpis"])
                if k["indicator"] == indicator)


def cli(*args, stdin=None):
    r = subprocess.run([MERIT, "--db", DB] + list(args), capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def cli_messages(plan):
    """What `merit plan import` (a dry run: it fails) says about `plan` as a file:
    the messages without their FILE:LINE:COL."""
    path = os.path.join(TMP, "draft.yaml")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(plan, f, ensure_ascii=False)
    rc, out, err = cli("plan", "import", path)
    msgs = []
    for line in err.splitlines():
        m = re.match(r"^merit: %s(?::\d+:\d+)?: (.*)$" % re.escape(path), line)
        if m:
            msgs.append(m.group(1))
    return rc, msgs


def audit_count():
    with webtest.connect(DB) as c:
        return c.execute("SELECT count(*) FROM audit WHERE action = 'plan'").fetchone()[0]


def plan_row():
    with webtest.connect(DB) as c:
        return c.execute("SELECT * FROM plan").fetchall()


def main():
    admin = login("boss")
    st, _, _, j = admin.call("GET", "/api/plan")
    check("GET /api/plan has the plan in the file's shape", st == 200 and isinstance(j, dict) and
          isinstance(j.get("plan"), dict) and isinstance(j["plan"].get("positions"), list), j)
    base = j["plan"]
    check("legacy keys stay (yaml, grades, positions)", "yaml" in j and "grades" in j and
          "positions" in j, sorted(j))
    prom = position(base, "promoter")
    mgr = position(base, "manager")
    check("a position has its kpis with rule and parameters",
          {"indicator", "weight", "rule"} <= set(base["positions"][prom]["kpis"][0]),
          base["positions"][prom]["kpis"][0])

    # -- a valid draft: no problems --
    st, _, _, j = admin.call("POST", "/api/plan/check", {"plan": base})
    check("the plan as it is: ok, no problems", st == 200 and j == {"ok": True, "problems": []}, j)

    # -- each mistake, at its field --
    def mistake(desc, change, field, words):
        d = copy.deepcopy(base)
        change(d)
        st, _, _, j = admin.call("POST", "/api/plan/check", {"plan": d})
        probs = (j or {}).get("problems") or []
        hit = [p for p in probs if p.get("field") == field and re.search(words, p["message"])]
        check("%s: at %s" % (desc, field), st == 200 and j.get("ok") is False and hit,
              json.dumps(j, ensure_ascii=False))
        # the same words `merit plan import` says for the same file
        rc, msgs = cli_messages(d)
        check("%s: the CLI's words are the web's" % desc,
              rc != 0 and sorted(msgs) == sorted(p["message"] for p in probs),
              "cli %r, web %r" % (msgs, [p["message"] for p in probs]))
        return probs

    k0 = kpi(base, prom, "promo_posts")
    kr = kpi(base, prom, "keyword_rank")
    mistake("a weight that is not a number",
            lambda d: d["positions"][prom]["kpis"][k0].__setitem__("weight", "abc"),
            "positions[%d].kpis[%d].weight" % (prom, k0), r'weight "abc" is not a number')
    probs = mistake("a position's weights not totalling 100",
                    lambda d: d["positions"][mgr]["kpis"][0].__setitem__("weight", 50),
                    "positions[%d].kpis" % mgr, r"kpi weights total 90, not 100")
    check("a total of 90 is one problem, not more", len(probs) == 1, probs)
    mistake("an unknown rule",
            lambda d: d["positions"][prom]["kpis"][k0].__setitem__("rule", "ratioo"),
            "positions[%d].kpis[%d].rule" % (prom, k0), r'rule "ratioo" is not one of')
    mistake("a band table out of order",
            lambda d: d["positions"][prom]["kpis"][kr].__setitem__(
                "bands", [[50, 0], [10, 80], [20, 60], [3, 100]]),
            "positions[%d].kpis[%d].bands" % (prom, kr), r"band bounds must fall")
    mistake("grades not highest first",
            lambda d: d["grades"][2].__setitem__("min", 90),
            "grades[2].min", r"is not below the previous grade")
    mistake("a blend not totalling 100",
            lambda d: d["blend"].__setitem__("self", 20),
            "blend", r"blend weights total 110, not 100")
    mistake("a misspelt key",
            lambda d: d["positions"][prom]["kpis"][k0].__setitem__("weigth", 5),
            "positions[%d].kpis[%d].weigth" % (prom, k0), r'unknown key "weigth".*did you mean "weight"')
    mistake("an indicator the plan lacks",
            lambda d: d["positions"][prom]["kpis"][k0].__setitem__("indicator", "nope"),
            "positions[%d].kpis[%d].indicator" % (prom, k0), r'"nope" is not in indicators')
    mistake("a quota naming no grade",
            lambda d: d.__setitem__("distribution", {"Z": 10}),
            "distribution.Z", r'grade "Z", which is not in grades')
    mistake("ratio without a target",
            lambda d: d["positions"][prom]["kpis"][k0].pop("target"),
            "positions[%d].kpis[%d].target" % (prom, k0), r"rule ratio needs a target")

    # several at once: each at its own field
    d = copy.deepcopy(base)
    d["positions"][prom]["kpis"][k0]["weight"] = "x"
    d["positions"][prom]["kpis"][kr]["rule"] = "nope"
    d["grades"][0]["bonus"] = -1
    st, _, _, j = admin.call("POST", "/api/plan/check", {"plan": d})
    fields = sorted(p["field"] for p in (j or {}).get("problems", []))
    want = sorted(["positions[%d].kpis[%d].weight" % (prom, k0),
                   "positions[%d].kpis[%d].rule" % (prom, kr), "grades[0].bonus"])
    check("three mistakes: three problems at three fields", fields == want, j)

    # a YAML draft: the fields, and lines and columns too
    st, _, yaml_raw, _ = admin.call("GET", "/api/plan.yaml")
    text = yaml_raw.decode("utf-8").replace("weight: 25, rule: ratio, target: 40",
                                            "weight: 25, rule: ratio, target: -40", 1)
    check("the YAML has the promo_posts line", "target: -40" in text)
    st, _, _, j = admin.call("POST", "/api/plan/check", {"yaml": text})
    p0 = ((j or {}).get("problems") or [{}])[0]
    check("a YAML draft: the problem at its field, line and column",
          st == 200 and p0.get("field") == "positions[%d].kpis[%d].target" % (prom, k0) and
          isinstance(p0.get("line"), int) and p0["line"] > 1 and "must be above 0" in p0["message"],
          j)
    st, _, _, j = admin.call("POST", "/api/plan/check", {"plan": base, "yaml": text})
    check("plan and yaml both: 400", st == 400, j)
    st, _, _, j = admin.call("POST", "/api/plan/check", {"plan": [1, 2]})
    check("a plan that is not an object: 400", st == 400, j)
    st, _, _, j = admin.call("POST", "/api/plan/check", {"yaml": "goal: [\n"})
    check("YAML syntax: a problem without a field", st == 200 and j["ok"] is False and
          j["problems"] and j["problems"][0]["field"] is None, j)

    # -- the problems in Chinese (?lang=zh-CN): every message of a draft
    # with many mistakes is Chinese, no English sentence left; the English
    # words kept as message_en, the same as without lang --
    d = copy.deepcopy(base)
    d["positions"][prom]["kpis"][k0]["weight"] = "x"
    d["positions"][prom]["kpis"][kr]["rule"] = "nope"
    d["positions"][prom]["kpis"][kr]["weigth"] = 5
    d["grades"][0]["bonus"] = -1
    d["blend"]["self"] = 20
    d["distribution"] = {"Z": 10}
    d["positions"][mgr]["kpis"][0]["weight"] = 50
    st, _, _, en = admin.call("POST", "/api/plan/check", {"plan": d})
    st2, _, _, zh = admin.call("POST", "/api/plan/check?lang=zh-CN", {"plan": d})
    pe, pz = (en or {}).get("problems") or [], (zh or {}).get("problems") or []
    check("zh: as many problems, at the same fields", st == st2 == 200 and len(pe) == len(pz) >= 6 and
          [p["field"] for p in pe] == [p["field"] for p in pz], json.dumps(zh, ensure_ascii=False))
    check("zh: the English words kept as message_en",
          [p["message"] for p in pe] == [p.get("message_en") for p in pz], pz)
    # an English sentence: three words of letters in a row (keys, values
    # and names such as "weigth" or "promo_posts" stand alone)
    english = [p["message"] for p in pz if re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", p["message"]) or
               not re.search(r"[\u4e00-\u9fff]", p["message"])]
    check("zh: every message is Chinese", not english, english)
    byfield = {p["field"]: p["message"] for p in pz}
    check("zh: a total names its numbers",
          byfield.get("positions[%d].kpis" % mgr) == '岗位“manager”：考核项权重合计为 90，不是 100',
          byfield.get("positions[%d].kpis" % mgr))
    check("zh: a misspelt key suggests the right one", "是不是“weight”" in
          byfield.get("positions[%d].kpis[%d].weigth" % (prom, kr), ""), byfield)
    check("zh: a value names the key and the choices",
          byfield.get("positions[%d].kpis[%d].rule" % (prom, kr), "").startswith("rule“nope”不是 "), byfield)
    st, _, _, j = admin.call("POST", "/api/plan/check?lang=fr", {"plan": d})
    check("lang=fr: 400, naming lang", st == 400 and "lang" in (j or {}).get("error", ""), j)
    st, _, _, j = admin.call("POST", "/api/plan/whatif?lang=zh-CN", {"plan": d, "period": P})
    check("whatif of a draft with problems in Chinese: 422, why plan_invalid", st == 422 and
          j.get("why") == "plan_invalid" and
          any("合计为 110" in p["message"] for p in j.get("problems", [])), j)
    # an uploaded YAML's problems keep FILE:LINE:COL, the message in Chinese
    st, _, _, j = admin.call("PUT", "/api/plan?file=%E8%8D%89%E7%A8%BF.yaml&lang=zh-CN",
                             "goal: sales\nrating_scale: many\n", "application/yaml")
    check("a YAML upload's problems in Chinese, at 草稿.yaml:LINE:COL", st == 422 and
          j.get("why") == "plan_invalid" and j.get("problems") and
          all(re.match(r"草稿\.yaml:\d+:\d+: .*[\u4e00-\u9fff]", x) for x in j["problems"]), j)

    # -- what-if --
    d = copy.deepcopy(base)
    d["positions"][prom]["kpis"][k0]["target"] = 20
    draft_path = os.path.join(TMP, "whatif.yaml")
    with open(draft_path, "w", encoding="utf-8") as f:
        json.dump(d, f)
    rows_before = plan_row()
    st, _, _, w = admin.call("POST", "/api/plan/whatif", {"plan": d, "period": P})
    check("whatif answers", st == 200 and isinstance(w, dict) and w.get("period") == P, w)
    check("whatif changes nothing", plan_row() == rows_before)
    rc, out, err = cli("score", P, "--json", "--plan", draft_path)
    drafted = json.loads(out) if rc == 0 else {}
    rc2, out2, err2 = cli("score", P, "--json")
    present = json.loads(out2) if rc2 == 0 else {}
    check("merit score --plan runs", rc == 0 and rc2 == 0, err + err2)
    people = {p["login"]: p for p in (w or {}).get("people", [])}
    for side, res in (("draft", drafted), ("now", present)):
        for p in res.get("people", []):
            wp = (people.get(p["login"]) or {}).get(side) or {}
            same = (wp.get("final") == p["final_score"] and wp.get("grade") == p["grade"] and
                    wp.get("bonus_cents") == p["bonus_cents"]) if p["scored"] else \
                wp.get("scored") is False
            check("whatif %s for %s is merit score's%s" % (side, p["login"],
                                                            " --plan" if side == "draft" else ""),
                  same, "web %r, cli %r" % (wp, {k: p[k] for k in ("final_score", "grade",
                                                                     "bonus_cents")}))
    # by hand: bob's promo_posts 20 of 20 = 100, online_customers 30 of 50 = 60 over
    # weights 25 and 30 (the rest have no data): (2500 + 1800) / 55 = 78.18 -> B, 4500.00
    bob = people.get("bob") or {}
    check("bob by hand: 55.45 D 0.00 now", bob.get("now") and bob["now"]["final"] == 55.45 and
          bob["now"]["grade"] == "D" and bob["now"]["bonus_cents"] == 0, bob)
    check("bob by hand: 78.18 B 4500.00 under the draft", bob.get("draft") and
          bob["draft"]["final"] == 78.18 and bob["draft"]["grade"] == "B" and
          bob["draft"]["bonus_cents"] == 450000, bob)
    check("bob's grade changes, by 4500.00", bob.get("grade_changed") is True and
          bob.get("bonus_change_cents") == 450000, bob)
    ann = people.get("ann") or {}
    check("ann (100.00 S -> 109.09 S) keeps grade and bonus", ann.get("grade_changed") is False and
          ann.get("bonus_change_cents") == 0 and ann["draft"]["final"] == 109.09, ann)
    s = (w or {}).get("summary") or {}
    check("summary: one grade change, totals 6750.00 -> 11250.00",
          s.get("grade_changes") == 1 and s.get("bonus_total_now_cents") == 675000 and
          s.get("bonus_total_draft_cents") == 1125000, s)
    # a draft that moves ranks: customers count for everything, capped at 100
    d2 = copy.deepcopy(base)
    for k in d2["positions"][prom]["kpis"]:
        k["weight"] = 100 if k["indicator"] == "online_customers" else 0
    d2["positions"][prom]["kpis"][kpi(base, prom, "online_customers")].update(target=30, cap=100)
    st, _, _, w2 = admin.call("POST", "/api/plan/whatif", {"plan": d2, "period": P})
    p2 = {p["login"]: p for p in (w2 or {}).get("people", [])}
    check("equal finals share a rank (ann and bob both 100 under this draft)",
          st == 200 and p2["bob"]["draft"]["rank"] == 1 and p2["ann"]["draft"]["rank"] == 1 and
          p2["bob"]["rank_moved"] is True and w2["summary"]["moved"] == 1, w2)
    bad = copy.deepcopy(base)
    bad["blend"]["kpi"] = "lots"
    st, _, _, j = admin.call("POST", "/api/plan/whatif", {"plan": bad, "period": P})
    check("whatif of a draft with problems: 422 with them at their fields", st == 422 and
          any(p["field"] == "blend.kpi" for p in j.get("problems", [])), j)
    st, _, _, j = admin.call("POST", "/api/plan/whatif", {"plan": d, "period": "2026-13"})
    check("whatif of a bad period: 400", st == 400, j)

    # -- who may --
    for who in ("mgr", "ann"):
        s_ = login(who)
        n = audit_count()
        for method, path, body in (("POST", "/api/plan/check", {"plan": base}),
                                   ("POST", "/api/plan/whatif", {"plan": d, "period": P}),
                                   ("PUT", "/api/plan", {"plan": d})):
            st, _, _, j = s_.call(method, path, body)
            check("%s %s as %s: 403" % (method, path, who), st == 403, j)
        check("%s changed nothing" % who, plan_row() == rows_before and audit_count() == n)

    # -- saving the form's draft --
    n = audit_count()
    st, _, _, j = admin.call("PUT", "/api/plan", {"plan": bad})
    check("PUT of a draft with problems: 422, at their fields", st == 422 and
          any(p.get("field") == "blend.kpi" for p in j.get("problems", [])), j)
    check("... and nothing saved", plan_row() == rows_before and audit_count() == n)
    st, _, _, j = admin.call("PUT", "/api/plan", {"plan": d})
    check("PUT of the form's draft saves", st == 200 and j.get("ok") is True, j)
    check("... audited once, as boss", audit_count() == n + 1)
    with webtest.connect(DB) as c:
        who, after = c.execute("SELECT who, after FROM audit WHERE action = 'plan' "
                               "ORDER BY id DESC LIMIT 1").fetchone()
    check("the audit row names boss and holds the new YAML", who == "boss" and
          "rule: ratio, target: 20" in after, (who, after[:200]))
    st, _, raw, _ = admin.call("GET", "/api/plan.yaml")
    text = raw.decode("utf-8")
    check("the YAML download is the file `merit plan export` writes", st == 200 and
          "target: 20" in text and text == cli("plan", "export")[1], text[:300])
    st, _, _, j = admin.call("GET", "/api/plan")
    check("GET /api/plan gives back what was saved", j["plan"] == d,
          json.dumps(j["plan"])[:300])
    st, _, _, w3 = admin.call("POST", "/api/plan/whatif", {"plan": d, "period": P})
    check("the saved draft's what-if changes nobody now",
          st == 200 and w3["summary"]["grade_changes"] == 0 and w3["summary"]["moved"] == 0, w3)
    # the YAML upload still works, comments kept
    up = "# uploaded\n" + yaml_raw.decode("utf-8")
    st, _, _, j = admin.call("PUT", "/api/plan?file=mine.yaml", up, "application/yaml")
    check("PUT of YAML still saves", st == 200, j)
    st, _, raw, _ = admin.call("GET", "/api/plan.yaml")
    check("the uploaded YAML is kept as written", raw.decode("utf-8") == up)
    st, _, _, j = admin.call("PUT", "/api/plan", {"yaml": text})
    check("PUT of {yaml} saves too", st == 200, j)


webtest.run(main, "plan_test.py", 300)

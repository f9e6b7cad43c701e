# merit report: HTML, XLSX, PDF, CSV and JSON from one report model, each
# checked against `merit score --json` by an independent reader (openpyxl
# for XLSX, pdftotext and pdftoppm for PDF); golden files for HTML, CSV
# and JSON.  MERIT_GOLDEN_UPDATE=1 rewrites the golden files instead.
GOLDEN=$(cd "$(dirname "$0")/../golden" && pwd)/report
. "$(dirname "$0")/lib.sh"

# Debian's python3 (openpyxl is a Debian package), not one earlier on PATH
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

run_ok "init" init --goal none
# peers weigh 0 (their score is shown, never as counted); upward weighs 10
cat > plan.yaml <<'YAML'
company: "示例公司 Example & Co"
goal: none
period: month
missing: skip
min_coverage: 50
rating_scale: 5
blend: {kpi: 60, manager: 20, self: 10, peer: 0, upward: 10}
criteria:
  - {key: quality, name: Quality, weight: 70}
  - {key: teamwork, name: Teamwork, weight: 30}
grades:
  - {grade: S, min: 95, bonus: 1.5}
  - {grade: A, min: 85, bonus: 1.2}
  - {grade: B, min: 70, bonus: 1.0}
  - {grade: C, min: 60, bonus: 0.8}
  - {grade: D, min: 0, bonus: 0}
indicators:
  - {key: posts, name: Posts, unit: count, direction: higher, aggregate: sum}
  - {key: rank, name: Search rank, unit: rank, direction: lower, aggregate: mean}
  - {key: sales, name: Online sales, unit: currency, direction: higher, aggregate: sum}
positions:
  - key: writer
    name: Network editor
    stage: content
    duties: Publish and update the site's articles; produce special topics.
    base_bonus: 1000.00
    kpis:
      - {indicator: posts, weight: 60, rule: ratio, target: 30, cap: 120}
      - {indicator: rank, weight: 40, rule: bands, bands: [[50, 0], [20, 60], [10, 80], [3, 100]]}
  - key: boss
    name: Operations manager
    stage: evaluation
    duties: Carry out the operating goal; build the team.
    criteria:
      - {key: goal, name: Delivers the goal, weight: 60}
      - {key: team, name: Builds the team, weight: 40}
    base_bonus: 2000.50
    kpis:
      - {indicator: sales, scope: team, weight: 100, rule: linear, threshold: 1000, target: 9000}
YAML
run_ok "plan" plan import plan.yaml
run_ok "ann" staff add ann --name "Ann <Lee>" --position writer
run_ok "boss" staff add boss --name "李娜" --position boss
run_ok "wang" staff add wang --name "王小明" --position writer --manager boss
run_ok "cy" staff add cy --name "Cy" --position writer --from 2026-11-16
# zhou reports to wang (rates him upward); xiaoli rates wang as a peer and
# has no data in November: not scored
run_ok "zhou" staff add zhou --name "周杰" --position writer --manager wang
run_ok "xiaoli" staff add xiaoli --name "李小丽" --position writer
cat > oct.csv <<'CSV'
date,indicator,login,value,denominator
2026-10-03,posts,ann,20,
2026-10-04,posts,wang,31,
2026-10-05,rank,ann,12,
2026-10-05,rank,wang,4,
2026-10-20,sales,,5000.25,
CSV
cat > nov.csv <<'CSV'
date,indicator,login,value,denominator
2026-11-02,posts,ann,12,
2026-11-12,posts,ann,14,
2026-11-03,posts,wang,40,
2026-11-20,posts,cy,9,
2026-11-05,rank,ann,25,
2026-11-25,rank,ann,9,
2026-11-06,rank,wang,2.5,
2026-11-07,posts,zhou,27,
2026-11-07,rank,zhou,15,
2026-11-21,sales,,7333.33,
2026-11-28,sales,,1000.10,
CSV
run_ok "import oct" import measurements oct.csv
run_ok "import nov" import measurements nov.csv
run_ok "cycle oct" cycle open 2026-10
run_ok "rate oct" rate wang --period 2026-10 --by self --criterion quality=4 --criterion teamwork=4
run_ok "review oct" cycle review 2026-10
run_ok "close oct" cycle close 2026-10 --force
run_ok "cycle nov" cycle open 2026-11
run_ok "nominate ann" peers ann --period 2026-11 --set wang
run_ok "nominate wang" peers wang --period 2026-11 --set xiaoli
run_ok "self ann" rate ann --period 2026-11 --by self --criterion quality=4 --criterion teamwork=3.5 --comment 'I wrote "more" & <better>'
run_ok "self wang" rate wang --period 2026-11 --by self --criterion quality=5 --criterion teamwork=4.5 --comment "本月完成了专题"
run_ok "mgr wang" rate wang --period 2026-11 --by manager --criterion quality=4.5 --criterion teamwork=4 --comment "表现很好, keep going"
run_ok "peer ann" rate ann --period 2026-11 --by peer:wang --criterion quality=3 --criterion teamwork=4
run_ok "peer wang" rate wang --period 2026-11 --by peer:xiaoli --criterion quality=3 --criterion teamwork=3 --comment "peer says: solid"
run_ok "upward wang" rate wang --period 2026-11 --by upward:zhou --criterion quality=4 --criterion teamwork=4 --comment "upward says: fair"
run_ok "upward boss" rate boss --period 2026-11 --by upward:wang --criterion goal=4 --criterion team=5
run_ok "review nov" cycle review 2026-11
run_ok "calibrate ann" calibrate ann --period 2026-11 --grade A --reason "Led the site migration"
run_ok "close nov" cycle close 2026-11 --force
# the web app records acknowledgements; no CLI does: into the real table
sqlite3 "$MERIT_DB" "INSERT INTO acknowledgement(period, login, role, by_login, comment, created_at)
  VALUES ('2026-11', 'wang', 'self', 'wang', '同意 agreed with the result', '2026-12-02T10:15:42.123Z'),
         ('2026-11', 'wang', 'manager', 'boss', NULL, '2026-12-03T08:05:00.000Z')" \
	&& ok || fail "inserting acknowledgements"
run_ok "score json" score 2026-11 --json
cp "$T/out" score.json
run_ok "score csv" score 2026-11 --csv
cp "$T/out" score.csv

for f in csv json html xlsx pdf; do
	run_ok "report $f" report 2026-11 --format $f -o "r.$f"
	[ -s "r.$f" ] && ok || fail "report $f: r.$f is empty or missing"
done
expect "json = score --json" "$(cat r.json)" "$(cat score.json)"
expect "csv = score --csv" "$(cat r.csv)" "$(cat score.csv)"

# ---- golden files: HTML, CSV, JSON are deterministic ----
for f in html csv json; do
	if [ "${MERIT_GOLDEN_UPDATE:-}" = 1 ]; then
		mkdir -p "$GOLDEN" && cp "r.$f" "$GOLDEN/t0500.$f"
	fi
	if cmp -s "r.$f" "$GOLDEN/t0500.$f"; then ok; else
		fail "r.$f differs from tests/golden/report/t0500.$f: $(diff "$GOLDEN/t0500.$f" "r.$f" | head -20)"; fi
done
run_ok "report html again" report 2026-11 --format html -o r2.html
cmp -s r.html r2.html && ok || fail "html is not byte-identical run to run"
run_ok "report pdf again" report 2026-11 --format pdf -o r2.pdf
cmp -s r.pdf r2.pdf && ok || fail "pdf is not byte-identical run to run"

# ---- HTML: self-contained, escaped, the numbers of score --json ----
if grep -Eiq '<script|<link|src="http|href="http|@import|url\(' r.html; then
	fail "html makes external requests or runs scripts"; else ok; fi
contains "html svg charts" r.html '<svg xmlns="http://www.w3.org/2000/svg"'
contains "html chinese" r.html '王小明'
contains "html escaped name" r.html 'Ann &lt;Lee&gt;'
contains "html escaped comment" r.html 'I wrote &quot;more&quot; &amp; &lt;better&gt;'
contains "html company" r.html '示例公司 Example &amp; Co'
contains "html trace" r.html 'from batch 2, measurements nov.csv lines 2-3: 2 measurements'

# ---- XLSX read back by openpyxl, every number against score --json ----
cat > check_xlsx.py <<'PY'
import json, sys, openpyxl
want = json.load(open(sys.argv[2]))
wb = openpyxl.load_workbook(sys.argv[1])
bad = []
def eq(what, got, exp, exact=True):
    if exp is None:
        if got not in (None, '-'): bad.append(f"{what}: got {got!r}, wanted empty")
    elif isinstance(exp, str):
        if got != exp: bad.append(f"{what}: got {got!r}, wanted {exp!r}")
    elif not isinstance(got, (int, float)) or abs(got - exp) > (1e-9 if exact else 1e-9 * max(1, abs(exp))):
        bad.append(f"{what}: got {got!r}, wanted {exp!r}")
titles = {"kpi": "KPI", "manager": "Manager", "self": "Self", "peer": "Peer", "upward": "Upward"}
team = wb["Team"]
rows = list(team.iter_rows(values_only=True))
hdr = next(i for i, r in enumerate(rows) if r[0] == "Rank")
head = rows[hdr]
col = {h: i for i, h in enumerate(head) if h}
data = [r for r in rows[hdr + 1:] if r[1]]
byLogin = {r[1]: r for r in data}
if team.freeze_panes != "D5": bad.append(f"freeze panes {team.freeze_panes}")
if not team.auto_filter.ref: bad.append("no autofilter")
if not list(team.conditional_formatting): bad.append("no conditional formats")
if len(byLogin) != len(want["people"]): bad.append(f"{len(byLogin)} rows, {len(want['people'])} people")
# the ranking first, then the people not scored, as score --json lists them
if [r[1] for r in data] != [p["login"] for p in want["people"]]:
    bad.append(f"row order {[r[1] for r in data]}")
# only the components the plan counts stand beside each other; one that
# weighs 0 is a column apart, named so
for k, t in titles.items():
    if k in want["components"]:
        if t not in col: bad.append(f"no column {t}")
    elif t in col:
        bad.append(f"column {t} shown beside the counted components, but weighs 0")
# numeric columns hold numbers or nothing, never text
numeric = [h for h in col if h in ("Rank", "Coverage", "Final", "Bonus") or h in titles.values()
           or h.endswith((": actual", ": target", ": score", "not counted (weight 0)"))]
for r in data:
    for h in numeric:
        v = r[col[h]]
        if v is not None and not isinstance(v, (int, float)):
            bad.append(f"{r[1]} {h}: {v!r} is not a number")
for p in want["people"]:
    r = byLogin.get(p["login"])
    if r is None:
        bad.append(f"no row for {p['login']}"); continue
    L = p["login"]
    eq(f"{L} rank", r[col["Rank"]], p["rank"])
    eq(f"{L} name", r[col["Name"]], p["name"])
    eq(f"{L} coverage", r[col["Coverage"]], p["coverage"])
    for k in want["components"]:
        eq(f"{L} {k}", r[col[titles[k]]], p[k + "_score"])
    for k in titles:
        h = titles[k] + ": not counted (weight 0)"
        if k not in want["components"] and h in col:
            eq(f"{L} {k} not counted", r[col[h]], p[k + "_score"])
    eq(f"{L} final", r[col["Final"]], p["final_score"])
    eq(f"{L} grade", r[col["Grade"]], p["grade"])
    eq(f"{L} scored", r[col["Scored"]], "yes" if p["scored"] else "no")
    eq(f"{L} calibrated", r[col["Calibrated"]], "yes" if p["calibrated"] else "no")
    eq(f"{L} complete", r[col["Complete"]], "yes" if p["complete"] else "no")
    if p["scored"]:
        eq(f"{L} bonus", round(r[col["Bonus"]] * 100), p["bonus_cents"])
    else:
        eq(f"{L} bonus", r[col["Bonus"]], None)
        if p["not_scored_reason"] not in (r[col["Note"]] or ""):
            bad.append(f"{L}: note {r[col['Note']]!r} lacks the reason")
    if p["calibrated"] and p["calibration_reason"] not in (r[col["Note"]] or ""):
        bad.append(f"{L}: note {r[col['Note']]!r} lacks the calibration")
    if not p["complete"] and not r[col["Missing"]]:
        bad.append(f"{L}: incomplete, but Missing says nothing")
    for ind in p["indicators"]:
        for part in ("actual", "target", "score"):
            eq(f"{L} {ind['key']} {part}", r[col[f"{ind['name']}: {part}"]], ind[part])
    sheet = wb[L]
    res = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    if p["scored"]:
        eq(f"{L} sheet final", res.get("Final score"), p["final_score"])
        eq(f"{L} sheet grade", res.get("Grade"), p["grade"])
        eq(f"{L} sheet bonus", round(res.get("Bonus") * 100), p["bonus_cents"])
    else:
        for k in ("Final score", "Grade", "Bonus"):
            if k in res: bad.append(f"{L} sheet: {k} {res[k]!r}, but not scored")
        eq(f"{L} sheet not scored", res.get("Not scored"), p["not_scored_reason"])
    for k in titles:
        if k not in want["components"] and p[k + "_score"] is not None:
            eq(f"{L} sheet {k} not counted", res.get(titles[k] + " score (not counted: weight 0)"), p[k + "_score"])
            if titles[k] + " score" in res: bad.append(f"{L} sheet: {k} shown as counted")
    srows = list(sheet.iter_rows(values_only=True))
    ih = next(i for i, r in enumerate(srows) if r[0] == "Indicator" and r[1] == "Key")
    for k, ind in enumerate(p["indicators"]):
        r2 = srows[ih + 1 + k]
        eq(f"{L} sheet {ind['key']} key", r2[1], ind["key"])
        eq(f"{L} sheet {ind['key']} actual", r2[4], ind["actual"])
        eq(f"{L} sheet {ind['key']} score", r2[6], ind["score"])
summary = wb["Summary"]
if len(summary._charts) != 2: bad.append(f"{len(summary._charts)} charts on Summary, wanted 2")
srows = {r[0]: r[1] for r in summary.iter_rows(values_only=True) if r[0]}
eq("summary people scored", srows.get("People scored"), want["scored"])
eq("summary people not scored", srows.get("People not scored"), len(want["people"]) - want["scored"])
dist = {r[0]: r[1] for r in summary.iter_rows(values_only=True) if r[0] in ("S", "A", "B", "C", "D")}
for g in "SABCD":
    n = sum(1 for p in want["people"] if p["grade"] == g)
    eq(f"distribution {g}", dist.get(g), n)
# the final scores chart covers the ranking only
ref = summary._charts[1].series[0].val.numRef.f
if not ref.endswith(f"${4 + want['scored']}"): bad.append(f"final scores chart over {ref}")
print("\n".join(bad) if bad else "ok")
PY
if $PY -c 'import openpyxl' 2>/dev/null; then
	expect "xlsx = score --json" "$($PY check_xlsx.py r.xlsx score.json 2>&1)" "ok"
	expect "xlsx sheets" "$($PY -c 'import openpyxl,sys; print(" ".join(openpyxl.load_workbook(sys.argv[1]).sheetnames))' r.xlsx)" "Team Summary wang boss zhou ann cy xiaoli"
else
	fail "python3-openpyxl is not installed (scripts/install-deps.sh installs it)"
fi
# LibreOffice opens it without complaint (only when installed: it is large)
if command -v soffice >/dev/null 2>&1; then
	mkdir lo
	if HOME="$T" timeout 120 soffice --headless "-env:UserInstallation=file://$T/lo-profile" \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir lo r.xlsx >lo.log 2>&1 && [ -s lo/r.csv ]; then
		ok
		contains "libreoffice reads the team sheet" lo/r.csv '王小明'
	else
		fail "libreoffice could not convert r.xlsx: $(cat lo.log)"
	fi
else
	echo "$name: SKIP libreoffice check: soffice is not installed (scripts/install-deps.sh installs libreoffice-calc-nogui)" >&2
fi

# ---- PDF: text, pages, A4, not blank, Chinese survives ----
pdftotext -layout r.pdf r.txt 2>pdf.err && ok || fail "pdftotext: $(cat pdf.err)"
pages=$(pdfinfo r.pdf | sed -n 's/^Pages: *//p')
pdfinfo r.pdf >info.txt
contains "pdf a4" info.txt 'Page size: +595.28 x 841.89 pts \(A4\)'
contains "pdf page numbers" r.txt "page 1 of $pages"
contains "pdf last page number" r.txt "page $pages of $pages"
contains "pdf chinese name" r.txt '王小明'
contains "pdf chinese comment" r.txt '本月完成了专题'
contains "pdf company" r.txt '示例公司 Example & Co'
contains "pdf signature" r.txt 'Employee +Date +Manager +Date'
contains "pdf team summary" r.txt 'Grade distribution'
contains "pdf history" r.txt 'Final score over the cycles'
$PY - score.json r.txt <<'PY' >pdfcheck.txt
import json, re, sys
want = json.load(open(sys.argv[1])); text = open(sys.argv[2]).read()
pages = text.split("\f")
bad = []
for p in want["people"]:
    form = "\f".join(pg for pg in pages if "%s (%s)" % (p["name"], p["login"]) in pg)
    if not form:
        bad.append("no form for " + p["login"]); continue
    if "KPI coverage %.2f%%" % p["coverage"] not in form:
        bad.append("%s: no coverage %.2f" % (p["login"], p["coverage"]))
    if p["scored"]:
        want_s = ["Final score %.2f" % p["final_score"], "Grade %s" % p["grade"],
                  "Bonus %d.%02d" % divmod(p["bonus_cents"], 100)]
    else:
        want_s = ["Not scored: no final score, grade or bonus", p["not_scored_reason"]]
        for s in (r"Final score \d", r"Grade [A-Z-]", r"Bonus \d"):
            if re.search(s, form): bad.append("%s is not scored, but the form has %r" % (p["login"], s))
    for s in want_s:
        if s not in form: bad.append("%s: missing %r" % (p["login"], s))
    for ind in p["indicators"]:
        if ind["score"] is not None and ("%.2f" % ind["score"]) not in form:
            bad.append("missing %s score %.2f" % (ind["key"], ind["score"]))
print("\n".join(bad) if bad else "ok")
PY
expect "pdf numbers = score --json" "$(cat pdfcheck.txt)" "ok"

# ---- the team by value-chain stage (SPEC 1), in HTML, XLSX and PDF: the
# sums made here from score --json and the plan's stage of each position
# (writer: content, boss: evaluation) ----
cat > stages.py <<'PY'
import json, re, sys, html
want = json.load(open(sys.argv[1]))
stage_of = {"writer": "content", "boss": "evaluation"}
rows = {}
for p in want["people"]:
    st = rows.setdefault(stage_of[p["position"]], {"names": [], "people": 0, "scored": 0, "sum": 0.0, "bonus": 0})
    st["names"].append(p["name"]); st["people"] += 1
    if p["scored"]:
        st["scored"] += 1; st["sum"] += p["final_score"]; st["bonus"] += p["bonus_cents"]
out = []
for k in ("content", "evaluation"):
    st = rows[k]
    mean = "%.2f" % (st["sum"] / st["scored"] + 1e-9) if st["scored"] else "–"
    out.append("%s|%s|%d / %d|%s|%d.%02d" % (k, ", ".join(st["names"]), st["scored"], st["people"], mean, *divmod(st["bonus"], 100)))
print("\n".join(out))
PY
$PY stages.py score.json > stages.want
# the HTML's table, its cells joined by |
$PY - r.html <<'PY' > stages.got
import re, sys, html
t = open(sys.argv[1]).read()
t = t[t.index("By value-chain stage"):]
t = t[:t.index("</table>")]
for tr in re.findall(r"<tr><td>(.*?)</tr>", t):
    cells = [html.unescape(re.sub("<[^>]+>", "", c)) for c in re.split(r"</td><td[^>]*>", tr)]
    print("|".join([cells[0], cells[1], cells[3], cells[4], cells[5].replace("</td>", "")]))
PY
expect "html by stage = score --json" "$(cat stages.got)" "$(cat stages.want)"
contains "html by stage: the indicators of each stage" r.html '<td>Posts, Search rank</td>'
# the PDF's: a row a stage
while IFS='|' read -r st names sc mean bonus; do
	grep -q "^ *$st  *$(echo "$names" | cut -c1-12)" r.txt && ok || fail "pdf by stage: no row for $st ($names)"
	grep "^ *$st  " r.txt | grep -q "$mean  *$bonus" && ok || fail "pdf by stage $st: want $mean $bonus: $(grep "^ *$st  " r.txt)"
done < stages.want
if $PY -c 'import openpyxl' 2>/dev/null; then
	got=$($PY -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])["Summary"]
rows = [r for r in ws.iter_rows(values_only=True)]
i = next(i for i, r in enumerate(rows) if r[0] == "By value-chain stage")
for r in rows[i + 2:]:
    if r[0] is None: break
    print("%s|%s|%s|%s|%.2f" % (r[0], r[1], r[2], "%.2f" % r[3] if r[3] is not None else "–", r[4]))
' r.xlsx)
	want=$(awk -F'|' '{ split($3, s, " / "); printf "%s|%s|%s|%s|%s\n", $1, s[2], s[1], $4, $5 }' stages.want)
	expect "xlsx by stage = score --json" "$got" "$want"
fi
# every page rendered has ink on it
pdftoppm -r 24 -gray r.pdf pg 2>/dev/null
$PY - pg-*.pgm <<'PY' >ink.txt
import sys
for f in sys.argv[1:]:
    data = open(f, "rb").read()
    # binary PGM: P5 W H MAX, then W*H bytes
    parts = data.split(maxsplit=4)
    w, h = int(parts[1]), int(parts[2])
    px = parts[4][-w * h:]
    dark = sum(1 for b in px if b < 160)
    print(f, dark, "ok" if dark > 200 else "BLANK")
PY
expect "pdf pages rendered" "$(grep -c . ink.txt)" "$pages"
if grep -q BLANK ink.txt; then fail "a blank pdf page: $(cat ink.txt)"; else ok; fi

# ---- history: the closed October cycle and November ----
contains "html history periods" r.html '>2026-10</text>'
contains "pdf history october" r.txt '2026-10'

# ---- --who: one person's report, nothing of anyone else ----
run_ok "who html" report 2026-11 --format html -o w.html --who wang
contains "who html wang" w.html '王小明'
if grep -q 'Ann &lt;Lee&gt;' w.html || grep -q 'Ranking' w.html; then
	fail "who html shows other people"; else ok; fi
run_ok "who xlsx" report 2026-11 --format xlsx -o w.xlsx --who wang
expect "who xlsx sheets" "$($PY -c 'import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1]); print(" ".join(wb.sheetnames), wb["Team"].max_row)' w.xlsx)" "Team Summary wang 5"
run_ok "who pdf" report 2026-11 --format pdf -o w.pdf --who wang
pdftotext -layout w.pdf w.txt
contains "who pdf" w.txt '王小明 \(wang\)'
if grep -q 'Ann <Lee>' w.txt; then fail "who pdf shows ann"; else ok; fi
run_ok "who csv" report 2026-11 --format csv -o w.csv --who wang
expect "who csv rows" "$(wc -l < w.csv)" "2"

# ---- the rated person's copy never names a peer or upward rater (issue 9:
# `report --who wang` printed "peer (xiaoli)"); --names makes the admin's copy
lacks() {   # lacks DESC FILE PATTERN
	if grep -Eq -- "$3" "$2"; then fail "$1: $(basename "$2") has /$3/: $(grep -Eo -- ".{0,60}$3.{0,60}" "$2" | head -3)"; else ok; fi
}
for f in w.html w.txt; do
	contains "who $f: peer anonymous" $f 'peer 1'
	contains "who $f: upward anonymous" $f 'upward 1'
	lacks "who $f names no peer or upward rater" $f 'xiaoli|李小丽|zhou|周杰'
done
$PY - w.xlsx <<'PY' >wx.txt
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
cells = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None]
print("named" if any(n in c for c in cells for n in ("xiaoli", "李小丽", "zhou", "周杰")) else
      "anonymous" if "peer 1" in cells and "upward 1" in cells else "no raters: %r" % cells)
PY
expect "who xlsx names no peer or upward rater" "$(cat wx.txt)" "anonymous"
run_ok "who html names" report 2026-11 --format html -o wn.html --who wang --names
run_ok "who pdf names" report 2026-11 --format pdf -o wn.pdf --who wang --names
pdftotext -layout wn.pdf wn.txt
for f in wn.html wn.txt; do
	contains "admin's $f names the peer" $f 'peer \(xiaoli\)'
	contains "admin's $f names the upward rater" $f 'upward \(zhou\)'
done
# the team's documents hold each person's form: anonymous too, unless --names
for f in r.html r.txt; do
	lacks "team $f names no rater" $f 'peer \(|upward \('
done
contains "team html boss's upward rater" r.html 'upward 1'
run_ok "team html names" report 2026-11 --format html -o rn.html --names
contains "admin's team html names boss's upward rater" rn.html 'upward \(wang\)'

# ---- a component that weighs 0 is never shown as counted ----
lacks "html: no peer column beside the counted ones" r.html '<th class="n">Peer</th>'
contains "html: upward counts" r.html '<th class="n">Upward</th>'
contains "html ranking: peer not counted" r.html 'not counted \(weight 0\): peer 60.00'
contains "who html: peer not counted" w.html 'Not counted \(weight 0 in the plan\): peer 60.00'
for f in r.txt w.txt; do
	contains "$f: peer not counted" $f 'Not counted \(weight 0 in the plan\): peer 60.00'
	lacks "$f: peer never beside the counted" $f 'Peer 60'
	contains "$f: upward counted" $f 'Upward 80.00'
done

# ---- the people not scored: after the ranking, with the reason, no rank,
# final score, grade or bonus (xiaoli: no data in November) ----
reason="KPI coverage 0% is below the plan(&#39;|')s min_coverage 50% \\(no data for posts, rank\\)"
sed -n '/<h2>Ranking/,/<h2>Not scored/p' r.html > ranking.html
lacks "html ranking leaves xiaoli out" ranking.html 'xiaoli'
contains "html ranking counts the scored" ranking.html '5 people scored'
contains "html not scored section" r.html '<h2>Not scored \(1\)</h2>'
sed -n '/<h2>Not scored/,/<\/table>/p' r.html > notscored.html
contains "html not scored: xiaoli" notscored.html '<td>xiaoli</td>'
contains "html not scored: reason" notscored.html "$reason"
sed -n '/id="p-xiaoli"/,/<\/section>/p' r.html > xiaoli.html
contains "html form: not scored" xiaoli.html "<b>Not scored:</b> $reason"
lacks "html form: no final score, grade or bonus" xiaoli.html 'Final score <b>|class="grade"|bonus <b>'
contains "pdf not scored section" r.txt 'Not scored \(1\)'
contains "pdf not scored reason" r.txt 'KPI coverage 0% is below the plan'
$PY - r.csv <<'PY' >csvcheck.txt
import csv, sys
rows = {r["login"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
x, a = rows["xiaoli"], rows["ann"]
bad = [k for k in ("rank", "final_score", "grade", "bonus") if x[k] != ""]
if x["scored"] != "no" or "below the plan's min_coverage" not in x["not_scored_reason"]: bad.append("reason")
if a["calibrated"] != "yes" or a["grade"] != "A" or a["calibration_reason"] != "Led the site migration":
    bad.append("calibrated")
if rows["wang"]["not_counted"] != "peer": bad.append("not_counted")
if rows["boss"]["left_out"] != "manager, self" or rows["boss"]["complete"] != "no": bad.append("left_out")
print(" ".join(bad) or "ok")
PY
expect "csv: not scored empty, calibrated, not counted" "$(cat csvcheck.txt)" "ok"

# ---- calibrated grades are marked, with the reason ----
contains "html ranking: calibrated" ranking.html 'A\^</span>.*grade calibrated: Led the site migration'
contains "html form: calibrated" r.html 'grade calibrated by hand by an admin: Led the site migration'
contains "pdf form: calibrated" r.txt 'Grade A\^'
contains "pdf form: calibration reason" r.txt 'grade calibrated by hand by an admin: Led the site migration'

# ---- incomplete rows say what is missing; coverage; upward ----
contains "html: cy incomplete" ranking.html 'incomplete: no data for rank; no rating: manager, self, upward'
contains "pdf: cy incomplete" r.txt 'INCOMPLETE: no data for rank; no rating: manager, self, upward'
contains "html: coverage" r.html 'KPI coverage 60.00%'

# ---- the form: the post's duties and criteria ----
for f in w.html w.txt; do
	contains "$f duties" $f 'Duties:(</b>)? Publish and update the site'
	contains "$f criteria" $f 'Rated on:(</b>)? Quality \(70%\) · Teamwork \(30%\)'
done
contains "boss's own criteria" r.txt 'Rated on: Delivers the goal \(60%\) · Builds the team \(40%\)'

# ---- a closed cycle's form shows who acknowledged, when, and the comment ----
contains "pdf ack self" w.txt 'Acknowledged by wang on 2026-12-02 10:15 UTC'
contains "pdf ack comment" w.txt '同意 agreed with the result'
contains "pdf ack manager" w.txt 'Acknowledged by boss on 2026-12-03 08:05 UTC'
contains "pdf not acknowledged" r.txt 'Not acknowledged yet'
contains "html ack" w.html 'acknowledged by wang on 2026-12-02 10:15 UTC: 同意 agreed with the result'
# an open period (no cycle) reports too, scored afresh
run_ok "open period" report 2026-12 --format html -o dec.html
contains "open period says so" dec.html 'no cycle: results may still change'
lacks "open period: nothing acknowledged" dec.html 'cknowledge'
# standard output
run_ok "stdout html" report 2026-11 --format html -o -
expect "stdout html = file" "$(cat "$T/out")" "$(cat r.html)"
if ls -a | grep -q 'tmp'; then fail "temporary files left: $(ls -a)"; else ok; fi

# a report of salaries is as private as the user's umask makes new files,
# and a file written over keeps its mode
(umask 077; "$MERIT" report 2026-11 --format csv -o private.csv) || fail "report under umask 077"
expect "umask 077 kept" "$(stat -c %a private.csv)" "600"
(umask 022; "$MERIT" report 2026-11 --format csv -o shared.csv) || fail "report under umask 022"
expect "umask 022 kept" "$(stat -c %a shared.csv)" "644"
chmod 640 shared.csv
(umask 022; "$MERIT" report 2026-11 --format html -o shared.csv) || fail "report over a file"
expect "a file written over keeps its mode" "$(stat -c %a shared.csv)" "640"

# logins and names long enough to be cut (sheet names, title lines) in
# Chinese: never in the middle of a character, so the workbook stays XML.
# New logins are ASCII; a database from before may hold Chinese ones.
export MERIT_DB="$(db_new cjk.db)"
run_ok "cjk init" init --goal sales
run_fail "cjk login refused" 2 'use 1 to 64 ASCII letters' staff add 张 --name 李 --position editor
run_ok "cjk a" staff add a --name "$(printf '王%.0s' $(seq 200) | head -c 198)" --position editor
run_ok "cjk b" staff add b --name 李 --position editor
sqlite3 "$MERIT_DB" "UPDATE staff SET login = '张张张张张张张张张张张张张张张张张张张张张' WHERE login = 'a';
	UPDATE staff SET login = '张张张张张张张张张张张张张张张张张张张张x' WHERE login = 'b';" ||
	fail "cjk logins as an older merit kept them"
run_ok "cjk xlsx" report 2026-11 --format xlsx -o cjk.xlsx
if "$PY" -c 'import sys, openpyxl; wb = openpyxl.load_workbook(sys.argv[1]); print(len(wb.sheetnames))' cjk.xlsx > cjk.out 2>&1; then
	contains "cjk workbook opens: team, summary, a sheet each" cjk.out '^4$'
else
	fail "cjk workbook does not open: $(cat cjk.out)"
fi

finish

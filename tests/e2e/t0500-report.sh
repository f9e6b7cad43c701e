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
cat > plan.yaml <<'YAML'
company: "示例公司 Example & Co"
goal: none
period: month
missing: skip
rating_scale: 5
blend: {kpi: 60, manager: 20, self: 10, peer: 10}
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
    base_bonus: 1000.00
    kpis:
      - {indicator: posts, weight: 60, rule: ratio, target: 30, cap: 120}
      - {indicator: rank, weight: 40, rule: bands, bands: [[50, 0], [20, 60], [10, 80], [3, 100]]}
  - key: boss
    name: Operations manager
    stage: evaluation
    base_bonus: 2000.50
    kpis:
      - {indicator: sales, scope: team, weight: 100, rule: linear, threshold: 1000, target: 9000}
YAML
run_ok "plan" plan import plan.yaml
run_ok "ann" staff add ann --name "Ann <Lee>" --position writer
run_ok "boss" staff add boss --name "李娜" --position boss
run_ok "wang" staff add wang --name "王小明" --position writer --manager boss
run_ok "cy" staff add cy --name "Cy" --position writer --from 2026-11-16
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
2026-11-21,sales,,7333.33,
2026-11-28,sales,,1000.10,
CSV
run_ok "import oct" import measurements oct.csv
run_ok "import nov" import measurements nov.csv
run_ok "cycle oct" cycle open 2026-10
run_ok "rate oct" rate wang --period 2026-10 --by self --criterion quality=4 --criterion teamwork=4
run_ok "review oct" cycle review 2026-10
run_ok "close oct" cycle close 2026-10
run_ok "cycle nov" cycle open 2026-11
run_ok "self ann" rate ann --period 2026-11 --by self --criterion quality=4 --criterion teamwork=3.5 --comment 'I wrote "more" & <better>'
run_ok "self wang" rate wang --period 2026-11 --by self --criterion quality=5 --criterion teamwork=4.5 --comment "本月完成了专题"
run_ok "mgr wang" rate wang --period 2026-11 --by manager --criterion quality=4.5 --criterion teamwork=4 --comment "表现很好, keep going"
run_ok "peer ann" rate ann --period 2026-11 --by peer:wang --criterion quality=3 --criterion teamwork=4
run_ok "review nov" cycle review 2026-11
run_ok "close nov" cycle close 2026-11
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
    elif got is None or abs(got - exp) > (1e-9 if exact else 1e-9 * max(1, abs(exp))):
        bad.append(f"{what}: got {got!r}, wanted {exp!r}")
team = wb["Team"]
rows = list(team.iter_rows(values_only=True))
hdr = next(i for i, r in enumerate(rows) if r[0] == "Rank")
head = rows[hdr]
col = {h: i for i, h in enumerate(head) if h}
byLogin = {r[1]: r for r in rows[hdr + 1:] if r[1]}
if team.freeze_panes != "D5": bad.append(f"freeze panes {team.freeze_panes}")
if not team.auto_filter.ref: bad.append("no autofilter")
if not list(team.conditional_formatting): bad.append("no conditional formats")
if len(byLogin) != len(want["people"]): bad.append(f"{len(byLogin)} rows, {len(want['people'])} people")
for p in want["people"]:
    r = byLogin.get(p["login"])
    if r is None:
        bad.append(f"no row for {p['login']}"); continue
    L = p["login"]
    eq(f"{L} rank", r[col["Rank"]], p["rank"])
    eq(f"{L} name", r[col["Name"]], p["name"])
    for k, h in (("kpi_score", "KPI"), ("manager_score", "Manager"), ("self_score", "Self"),
                 ("peer_score", "Peer"), ("final_score", "Final")):
        eq(f"{L} {k}", r[col[h]], p[k])
    eq(f"{L} grade", r[col["Grade"]], p["grade"])
    eq(f"{L} bonus", round(r[col["Bonus"]] * 100), p["bonus_cents"])
    for ind in p["indicators"]:
        for part in ("actual", "target", "score"):
            eq(f"{L} {ind['key']} {part}", r[col[f"{ind['name']}: {part}"]], ind[part])
    sheet = wb[L]
    res = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    eq(f"{L} sheet final", res.get("Final score"), p["final_score"])
    eq(f"{L} sheet grade", res.get("Grade"), p["grade"])
    eq(f"{L} sheet bonus", round(res.get("Bonus") * 100), p["bonus_cents"])
    srows = list(sheet.iter_rows(values_only=True))
    ih = next(i for i, r in enumerate(srows) if r[0] == "Indicator" and r[1] == "Key")
    for k, ind in enumerate(p["indicators"]):
        r2 = srows[ih + 1 + k]
        eq(f"{L} sheet {ind['key']} key", r2[1], ind["key"])
        eq(f"{L} sheet {ind['key']} actual", r2[4], ind["actual"])
        eq(f"{L} sheet {ind['key']} score", r2[6], ind["score"])
summary = wb["Summary"]
if len(summary._charts) != 2: bad.append(f"{len(summary._charts)} charts on Summary, wanted 2")
dist = {r[0]: r[1] for r in summary.iter_rows(values_only=True) if r[0] in ("S", "A", "B", "C", "D")}
for g in "SABCD":
    n = sum(1 for p in want["people"] if p["grade"] == g)
    eq(f"distribution {g}", dist.get(g), n)
print("\n".join(bad) if bad else "ok")
PY
if $PY -c 'import openpyxl' 2>/dev/null; then
	expect "xlsx = score --json" "$($PY check_xlsx.py r.xlsx score.json 2>&1)" "ok"
	expect "xlsx sheets" "$($PY -c 'import openpyxl,sys; print(" ".join(openpyxl.load_workbook(sys.argv[1]).sheetnames))' r.xlsx)" "Team Summary wang boss ann cy"
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
import json, sys
want = json.load(open(sys.argv[1])); text = open(sys.argv[2]).read()
bad = []
for p in want["people"]:
    for s in ("%s (%s)" % (p["name"], p["login"]), "Final score %.2f" % p["final_score"],
              "Grade %s" % p["grade"], "Bonus %d.%02d" % divmod(p["bonus_cents"], 100)):
        if s not in text: bad.append("missing: " + s)
    for ind in p["indicators"]:
        if ind["score"] is not None and ("%.2f" % ind["score"]) not in text:
            bad.append("missing %s score %.2f" % (ind["key"], ind["score"]))
print("\n".join(bad) if bad else "ok")
PY
expect "pdf numbers = score --json" "$(cat pdfcheck.txt)" "ok"
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
# an open period (no cycle) reports too, scored afresh
run_ok "open period" report 2026-12 --format html -o dec.html
contains "open period says so" dec.html 'no cycle: results may still change'
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
# Chinese: never in the middle of a character, so the workbook stays XML
export MERIT_DB="$T/cjk.db"
run_ok "cjk init" init --goal sales
run_ok "cjk a" staff add 张张张张张张张张张张张张张张张张张张张张张 --name "$(printf '王%.0s' $(seq 200) | head -c 198)" --position editor
run_ok "cjk b" staff add 张张张张张张张张张张张张张张张张张张张张x --name 李 --position editor
run_ok "cjk xlsx" report 2026-11 --format xlsx -o cjk.xlsx
if "$PY" -c 'import sys, openpyxl; wb = openpyxl.load_workbook(sys.argv[1]); print(len(wb.sheetnames))' cjk.xlsx > cjk.out 2>&1; then
	contains "cjk workbook opens: team, summary, a sheet each" cjk.out '^4$'
else
	fail "cjk workbook does not open: $(cat cjk.out)"
fi

finish

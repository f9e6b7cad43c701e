# Search-index series (issue 13 item 7): `merit import index` reads a Baidu
# Index series as the most used downloader (baidux / spider-BaiduIndex)
# saves it with pandas, from a real saved file (tests/data/index/
# PROVENANCE.md): the preset picked from the header and by name, each day
# of the "all" series one team measurement of the indicator --indicator
# names (brand_awareness when not told), the indicator's aggregation making
# the cycle's number, and the scorecard saying how it was measured (the
# CLI, the web card's JSON and screen, the HTML report, in English and
# Chinese).  Bad
# rows stop the import naming file:line:column, with nothing written.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }
command -v curl >/dev/null 2>&1 || { fail "curl is not installed"; finish; exit 1; }

real=$root/tests/data/index/baidux_search_index.csv
# one keyword's series: the real file's header and its rows for 徐诗晓
# (lines 5-7: 2021-08-05 0, 2021-08-06 0, 2021-08-07 41535)
sed -n '1p;5,7p' "$real" >"$T/xu.csv"
q() { sqlite3 "$MERIT_DB" "$1"; }

run_ok "init" init --goal brand
run_ok "staff boss" staff add boss --name "Boss Wang" --position manager
run_ok "open 2021-08" cycle open 2021-08

# ---- refused, nothing written ----
# the real file holds two keywords' series (邹敬园 on lines 2-4, 徐诗晓
# on 5-7): a series is one keyword's; line 5, column 2 (keyword)
run_fail "a second keyword is a bad row" 1 \
	'baidux_search_index\.csv:5:2: a second keyword, "徐诗晓": the series of "邹敬园" began on line 2' \
	import index "$real"
# the real rows with line 4's index (41535, column 5) made a word
sed '4s/,41535$/,lots/' "$T/xu.csv" >"$T/bad.csv"
run_fail "a non-number index names file:line:column" 1 'bad\.csv:4:5: .*lots' \
	import index "$T/bad.csv"
expect "no batch after the refusals" "$(q 'select count(*) from batch')" 0
run_fail "an indicator the plan lacks" 1 'indicator "baidu_index" is not in the plan' \
	import index "$T/xu.csv" --indicator baidu_index
run_fail "--indicator is for index files only" 1 'an indicator is named for index files only' \
	import posts "$T/xu.csv" --indicator brand_awareness
run_fail "a ratio indicator has no denominator in a series" 1 'share_rate is a ratio indicator' \
	import index "$T/xu.csv" --indicator share_rate

# the pc and wise (mobile) series are parts of "all": told, not measured
# (the real rows, line 3's type made pc)
sed '3s/,all,/,pc,/' "$T/xu.csv" >"$T/pc.csv"
run_ok "a pc row" import index "$T/pc.csv"
contains "the pc row left out and told" "$T/err" '1 pc or mobile \(wise\) row left out'
expect "two days measured" "$(q 'select count(*) from measurement')" 2
run_ok "rm it" batch rm 1

# ---- the preset named, then picked from the header ----
run_ok "--preset by an alias" import index "$T/xu.csv" --preset baidux
contains "named: the baidu-index preset" "$T/out" 'as batch 1 \(preset baidu-index\)'
run_ok "rm it" batch rm 1
run_ok "the same file, no --preset" import index "$T/xu.csv"
contains "picked from the header" "$T/out" 'as batch 1 \(preset baidu-index\)' 
contains "the keyword and indicator told" "$T/err" \
	'3 days of the search index of "徐诗晓" \(baidu-index preset\), measured as the team.s brand_awareness'

# one measurement a day, for the team, of brand_awareness, each with its line
expect "three team measurements of brand_awareness, dated, with their lines" \
	"$(q "select u.indicator, coalesce(u.login, 'TEAM'), date(m.day * 86400, 'unixepoch'), m.value, m.line
	      from measurement m join subject u on u.id = m.subject_id order by m.day")" \
	"brand_awareness|TEAM|2021-08-05|0.0|2
brand_awareness|TEAM|2021-08-06|0.0|3
brand_awareness|TEAM|2021-08-07|41535.0|4"
expect "the batch says how it was measured" "$(q 'select source, how from batch')" \
	'index|{"instrument":"baidu-index","keyword":"徐诗晓"}'

# brand_awareness is `last`: the cycle's number is 2021-08-07's, 41535;
# linear 40 -> 0, 80 -> 100, clamped to the cap 100 -> 100
run_ok "score" score 2021-08 --who boss
contains "the last day's index is the actual" "$T/out" 'brand_awareness +30% +linear +41535 +80 +100\.00'
contains "the scorecard says how it was measured" "$T/out" \
	'from batch 1, index .*xu\.csv lines 2-4: 3 measurements; measured by Baidu Index: daily search index of “徐诗晓”'

# the HTML report, in English and in Chinese
run_ok "html report" report 2021-08 --format html -o "$T/en.html"
contains "the English report says how" "$T/en.html" 'measured by Baidu Index: daily search index of “徐诗晓”'
run_ok "html report zh" report 2021-08 --format html -o "$T/zh.html" --lang zh-CN
contains "the Chinese report says how" "$T/zh.html" '测量方式：百度指数：关键词“徐诗晓”的每日搜索指数'
if command -v pdftotext >/dev/null 2>&1; then
	run_ok "pdf report" report 2021-08 --format pdf -o "$T/en.pdf"
	pdftotext "$T/en.pdf" "$T/en.txt"
	contains "the PDF form says how" "$T/en.txt" 'measured by Baidu Index: daily search index of “徐诗晓”'
fi

# the web scorecard's trace carries it (web/screen-card.js shows it)
printf 'boss-pass-1\n' | "$MERIT" user add boss --role admin >/dev/null 2>&1 || fail "user add boss"
serve_start
U=${url%/}
CSRF=$(curl -s -c "$T/jar" -H 'Content-Type: application/json' \
	-d '{"login": "boss", "password": "boss-pass-1"}' "$U/api/login" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf"])')
# post PATH FILE — the file as the body: the answer in $T/body; prints the status
post() {
	curl -s -b "$T/jar" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: text/csv' \
		--data-binary "@$2" -o "$T/body" -w '%{http_code}' "$U$1"
}
# the web import names the indicator as --indicator does, and checks it
# alike (a preview of the same file as a replacement: nothing kept)
expect "the preview reads the series as the indicator named" \
	"$(post '/api/import/preview?kind=index&file=xu.csv&indicator=reputation&replace=1' "$T/xu.csv")" 200
expect "3 measurements would be written, with no problem" "$(python3 -c '
import json, sys; d = json.load(open(sys.argv[1])); print(d["preset"], d["rows_counted"], d["problem"])' "$T/body")" \
	"baidu-index 3 None"
contains "... of reputation" "$T/body" 'measured as the team.s reputation'
post '/api/import/preview?kind=index&file=xu.csv&indicator=nope' "$T/xu.csv" >/dev/null
contains "an indicator the plan lacks is the preview's problem" "$T/body" 'indicator \\"nope\\" is not in the plan'
expect "another kind refuses an indicator" "$(post '/api/import?kind=posts&file=xu.csv&indicator=reputation' "$T/xu.csv")" 422
contains "... saying why" "$T/body" 'an indicator is named for index files only'
expect "still one batch" "$(q 'select count(*) from batch')" 1
curl -s -b "$T/jar" "$U/api/scorecard?period=2021-08&login=boss" >"$T/card.json"
expect "the card's trace: source, lines and how" "$(python3 -c '
import json, sys
t = [x for x in json.load(open(sys.argv[1]))["trace"] if x["indicator"] == "brand_awareness"][0]
print(t["source"], t["first_line"], t["last_line"], t["how"]["instrument"], t["how"]["keyword"])' "$T/card.json")" \
	"index 2 4 baidu-index 徐诗晓"
# ... and the card shows it, in English and Chinese (tests/browser/
# index-how.mjs), when Chromium and playwright-core are here
( browser_or_skip >/dev/null 2>&1; exit 3 ); brc=$?
if [ "$brc" -eq 3 ]; then
	browser_or_skip
	browser_run index-how.mjs
elif [ "$brc" -ne 0 ]; then
	fail "MERIT_BROWSER_REQUIRED=1 but the browser is missing (run scripts/install-deps.sh)"
else
	echo "$name: the browser checks skipped (no Chromium, node or playwright-core)"
fi
serve_stop

# ---- --indicator: a plan indicator of index points, the daily mean ----
"$MERIT" plan export >"$T/plan.yaml" || fail "plan export"
python3 - "$T/plan.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace("""  - {key: reputation, name: Reputation,""",
              """  - {key: baidu_index, name: Baidu Index, unit: count,
     direction: higher, aggregate: mean, source: index}
  - {key: reputation, name: Reputation,""", 1)
s = s.replace("""      - {indicator: brand_awareness, scope: team, weight: 30, rule: linear, target: 80, threshold: 40}""",
              """      - {indicator: baidu_index, scope: team, weight: 30, rule: ratio, target: 27690}""", 1)
open(p, "w", encoding="utf-8").write(s)
PY
run_ok "rm the batch" batch rm 1
run_ok "plan import" plan import "$T/plan.yaml"
run_ok "the series as baidu_index" import index "$T/xu.csv" --indicator baidu_index
run_ok "reputation" record reputation 81 --team --date 2021-08-20
run_ok "score json" score 2021-08 --who boss --json
# baidu_index (mean): (0 + 0 + 41535) / 3 = 13845; ratio 100 x 13845 / 27690 = 50.00
# reputation (last) 81: linear 60 -> 0, 90 -> 100: 100 x (81 - 60) / 30 = 70.00
# site_visits: no data, left out (skip); coverage 30 + 30 = 60% >= 50%
# KPI = (30 x 50 + 30 x 70) / (30 + 30) = 3600 / 60 = 60.00
expect "the KPI from the series' daily mean" "$(python3 -c '
import json, sys
p = json.load(sys.stdin)["people"][0]
i = {x["key"]: x for x in p["indicators"]}
print(i["baidu_index"]["actual"], i["baidu_index"]["score"], i["reputation"]["score"], p["kpi_score"], p["coverage"])' <"$T/out")" \
	"13845.0 50.0 70.0 60.0 60.0"

# merit's own layout (date,keyword,value[,type]) for a series kept by hand
printf 'date,keyword,value\n2021-08-10,云杉茶,120\n' >"$T/own.csv"
run_ok "the generic layout" import index "$T/own.csv" --indicator brand_awareness
expect "read as merit's own layout (no preset named)" "$(grep -c 'preset' "$T/out")" 0
expect "its how: a search index, its keyword" \
	"$(q "select how from batch where file like '%own.csv'")" '{"instrument":"index","keyword":"云杉茶"}'
finish

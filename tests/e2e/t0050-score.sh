# scoring end to end against hand-computed numbers (SPEC section 4).
. "$(dirname "$0")/lib.sh"

run_ok "init" init --goal none
cat > worked.yaml <<'YAML'
# The worked check of SPEC section 4.
goal: none
period: month
missing: skip
rating_scale: 5
blend: {kpi: 50, manager: 0, self: 25, peer: 25}
criteria:
  - {key: quality, name: Quality, weight: 70}
  - {key: development, name: Development, weight: 30}
grades:
  - {grade: S, min: 95, bonus: 1.5}
  - {grade: A, min: 85, bonus: 1.2}
  - {grade: B, min: 70, bonus: 1.0}
  - {grade: C, min: 60, bonus: 0.8}
  - {grade: D, min: 0, bonus: 0}
bonus_pool: 100.00
indicators:
  - {key: quality, name: Quality, unit: score, direction: higher, aggregate: last}
  - {key: development, name: Development, unit: score, direction: higher, aggregate: mean}
  - {key: posts, name: Posts, unit: count, direction: higher, aggregate: sum}
  - {key: rank, name: Rank, unit: rank, direction: lower, aggregate: mean}
positions:
  - key: engineer
    name: Engineer
    stage: construction
    base_bonus: 1000.00
    kpis:
      - {indicator: quality, weight: 30, rule: ratio, target: 5}
      - {indicator: development, weight: 70, rule: ratio, target: 5}
  - key: writer
    name: Writer
    stage: content
    base_bonus: 1000.00
    kpis:
      - {indicator: posts, weight: 50, rule: linear, threshold: 10, target: 30}
      - {indicator: rank, weight: 50, rule: bands, bands: [[50, 0], [20, 60], [10, 80], [3, 100]]}
YAML
run_ok "import worked plan" plan import worked.yaml
run_ok "ann" staff add ann --name "Ann" --position engineer
run_ok "bob" staff add bob --name "Bob" --position engineer
run_ok "cy" staff add cy --name "Cy" --position engineer
# dee joins on the 21st of a 30-day month: active 10 of 30 days
run_ok "dee" staff add dee --name "迪" --position writer --from 2026-11-21
# eve left before the month: not scored
run_ok "eve" staff add eve --name "Eve" --position writer --to 2026-10-31
cat > data.csv <<'CSV'
date,indicator,login,value,denominator
2026-11-02,quality,ann,2,
2026-11-30,quality,ann,5,
2026-11-10,development,ann,2,
2026-11-20,development,ann,4,
2026-11-10,quality,bob,5,
2026-11-10,development,bob,3,
2026-11-10,quality,cy,5,
2026-11-10,development,cy,3,
2026-11-22,posts,dee,5,
2026-11-23,posts,dee,5,
2026-11-23,rank,dee,12,
2026-11-25,rank,dee,8,
2026-10-31,posts,eve,100,
2026-12-01,quality,ann,0,
CSV
run_ok "import data" import measurements data.csv
run_ok "cycle" cycle open 2026-11
for who in ann bob cy; do
	run_ok "self $who" rate $who --period 2026-11 --by self --criterion quality=4 --criterion development=3.5
done
run_ok "nominate bob" peers ann --period 2026-11 --set bob
run_ok "peer ann" rate ann --period 2026-11 --by peer:bob --criterion quality=4 --criterion development=3.5
run_ok "score" score 2026-11 --json
cp "$T/out" score.json
# ann: quality last = 5 (the 30th) -> 100; development mean = 3 -> 60;
# KPI = (30*100 + 70*60)/100 = 72; self 0.7*80 + 0.3*70 = 77; peer 77;
# final = (50*72 + 25*77 + 25*77)/100 = 74.5 -> B.
j() { sqlite3 :memory: "select json_extract(readfile('score.json'), '$1')"; }
# p LOGIN FIELD: a field of one person's scorecard
p() { sqlite3 :memory: "select json_extract(value, '\$.$2') from json_each(readfile('score.json'), '\$.people') where json_extract(value, '\$.login') = '$1'"; }
expect "ranked by final" "$(sqlite3 :memory: "select group_concat(json_extract(value, '\$.login'), ' ') from json_each(readfile('score.json'), '\$.people')")" "dee ann bob cy"
expect "ann kpi" "$(p ann kpi_score)" "72.0"
expect "ann self" "$(p ann self_score)" "77.0"
expect "ann peer" "$(p ann peer_score)" "77.0"
expect "ann final" "$(p ann final_score)" "74.5"
expect "ann grade" "$(p ann grade)" "B"
# bob and cy: same KPI 72 and self 77, no peer -> (50*72 + 25*77)/75 = 73.67
expect "bob final" "$(p bob final_score)" "73.67"
expect "bob left out peer" "$(p bob left_out)" "peer"
# dee: posts 10 against threshold 10*10/30 and target 30*10/30 = 10 -> linear 100;
# rank mean 10 -> band 10 -> 80 (bounds of a mean are not pro-rated);
# KPI 90, no ratings -> final 90, A
expect "dee" "$(p dee kpi_score) $(p dee final_score) $(p dee grade)" "90.0 90.0 A"
expect "dee active" "$(p dee active_days)/$(p dee cycle_days)" "10/30"
expect "dee target pro-rated" "$(p dee 'indicators[0].target')" "10.0"
expect "dee rank target not pro-rated" "$(p dee 'indicators[1].score')" "80.0"
expect "eve not scored" "$(p eve login)" ""
expect "four scored" "$(j '$.people' | sqlite3 :memory: "select json_array_length(readfile('score.json'), '\$.people')")" "4"
# bonus pool 100.00 over raw bonuses ann 1000, bob 1000, cy 1000 (B, 1.0) and
# dee 1200 (A, 1.2): 100 * 1000/4200 = 23.809.. -> 23.80 each and dee
# 28.571.. -> 28.57; 100.00 - 99.97 = 3 cents go to the largest remainders:
# ann/bob/cy .0952 > dee .0428, so ann, bob and cy get 23.81.
expect "bonus ann" "$(p ann bonus_cents)" "2381"
expect "bonus bob" "$(p bob bonus_cents)" "2381"
expect "bonus cy" "$(p cy bonus_cents)" "2381"
expect "bonus dee" "$(p dee bonus_cents)" "2857"
expect "pool fully paid" "$(j '$.bonus_total_cents')" "10000"
expect "team of a no-goal plan" "$(j '$.goal')" "none"
expect "measurements counted" "$(p ann 'indicators[0].measurements')" "2"

# The formula replaces the blend: (kpi + self + peer) / 3 = 75.33 for ann
sed 's|^blend:.*|blend: {kpi: 50, manager: 0, self: 25, peer: 25}\nformula: "(kpi + self + peer) / 3"|' worked.yaml > formula.yaml
run_ok "what-if formula" score 2026-11 --plan formula.yaml --csv
contains "formula 75.33" "$T/out" '^2026-11,[0-9],ann,Ann,engineer,100.00,72.00,,77.00,77.00,,75.33,B,no,'
# bob has no peer: it counts 0 and is named -> (72 + 77 + 0) / 3 = 49.67
contains "formula missing counts 0" "$T/out" ',bob,Bob,engineer,100.00,72.00,,77.00,,,49.67,D,no,'
# a formula dividing by a score that is 0 for one person (bob has no peer
# score): bob is not scored, and told why; the others are (it stopped the
# whole run: "scoring bob: formula: division by zero")
sed 's|^blend:.*|blend: {kpi: 50, manager: 0, self: 25, peer: 25}\nformula: "kpi / peer * 50"|' worked.yaml > divides.yaml
run_ok "a formula dividing by 0 for one person" score 2026-11 --plan divides.yaml
contains "ann scored: 72 / 77 * 50" "$T/out" 'ann +engineer +100% +72\.00 +77\.00 +46\.75'
contains "bob not, and why" "$T/out" "bob +engineer +the plan's formula cannot be worked out for them: division by zero \(the '/' at column 5\)"
run_ok "score --who" score 2026-11 --who dee
contains "card traced to lines" "$T/out" "from batch 1, measurements data.csv lines 10-11: 2 measurements"
contains "card pro-rating said" "$T/out" "active 10 of 30 days"
run_fail "who inactive" 1 'eve was not active in 2026-11' score 2026-11 --who eve
run_fail "who unknown" 1 'no staff member with login "zed"' score 2026-11 --who zed
run_fail "bad period" 2 'not one of' score 2026-Q5
run_ok "quarter" score 2026-Q4 --csv
run_ok "half" score 2026-H2 --csv
run_ok "year" score 2026 --csv
run_ok "range" score 2026-11-21..2026-11-30 --csv
contains "range: dee active whole range" "$T/out" ',dee,'
run_ok "report json" report 2026-11 --format json -o r.json
expect "report = score --json" "$(cat r.json)" "$(cat score.json)"
run_ok "report csv" report 2026-11 --format csv -o r.csv --who ann
expect "report csv one person" "$(wc -l < r.csv)" "2"
run_fail "report unknown format" 2 'choose html, xlsx, pdf, csv or json' report 2026-11 --format docx -o r.docx
run_fail "report no -o" 2 'required' report 2026-11 --format csv

finish

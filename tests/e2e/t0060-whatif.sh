# merit score --plan DRAFT: the what-if changes nothing and shows who moves.
. "$(dirname "$0")/lib.sh"

run_ok "init" init --goal sales
run_ok "a" staff add ana --name Ana --position promoter
run_ok "b" staff add ben --name Ben --position promoter
printf 'date,indicator,login,value,denominator\n2026-11-03,promo_posts,ana,40,\n2026-11-03,site_visits,ana,5000,\n2026-11-03,promo_posts,ben,20,\n2026-11-03,site_visits,ben,10000,\n' > d.csv
run_ok "import" import measurements d.csv
# now: ana (100*25 + 50*25)/50 = 75 B; ben (50*25 + 100*25)/50 = 75 B
run_ok "score now" score 2026-11 --csv
# coverage: posts and visits weigh 25 + 25 of 100: 50%, just the plan's min_coverage
contains "ana now" "$T/out" ',ana,Ana,promoter,50.00,75.00,,,,,75.00,B,no,'
"$MERIT" plan export cur.yaml
# the draft weighs posts 80 and visits 20 (the others stay, unscored)
sed -e 's/{indicator: promo_posts, weight: 25,/{indicator: promo_posts, weight: 45,/' \
    -e 's/{indicator: site_visits, weight: 25,/{indicator: site_visits, weight: 5,/' cur.yaml > draft.yaml
before=$(sqlite3 "$MERIT_DB" .dump)
run_ok "what-if" score 2026-11 --plan draft.yaml
after=$(sqlite3 "$MERIT_DB" .dump)
expect "nothing changed" "$after" "$before"
# draft: ana (100*45 + 50*5)/50 = 95 S; ben (50*45 + 100*5)/50 = 55 D
contains "says what-if" "$T/out" "what-if under the draft plan draft.yaml: nothing is changed"
contains "ana moves" "$T/out" "ana +75.00 B +95.00 S +\+20.00 .*moves"
contains "ben moves" "$T/out" "ben +75.00 B +55.00 D +-20.00 .*moves"
run_ok "what-if json" score 2026-11 --plan draft.yaml --json
contains "json is the draft's" "$T/out" '"final_score": 95.0'
# a draft that asks for more coverage: both move out of the ranking
sed 's/^min_coverage: 50 /min_coverage: 60 /' cur.yaml > strict.yaml
run_ok "what-if strict" score 2026-11 --plan strict.yaml
contains "ana out" "$T/out" "ana +75.00 B +not scored .*← not scored under the draft"
contains "strict: not scored section" "$T/out" "KPI coverage 50% is below the plan's min_coverage 60%"
# and back: a draft with min_coverage 40 against a strict plan brings them in
run_ok "strict plan" plan import strict.yaml
sed 's/^min_coverage: 60 /min_coverage: 40 /' strict.yaml > loose.yaml
run_ok "what-if loose" score 2026-11 --plan loose.yaml
contains "ben in" "$T/out" "ben +not scored +75.00 B .*← scored under the draft"
run_ok "plan back" plan import cur.yaml
sed 's/weight: 45,/weight: 46,/' draft.yaml > broken.yaml
line=$(grep -n "key: promoter" broken.yaml | cut -d: -f1)
run_fail "broken draft" 1 "broken.yaml:$line:[0-9]+: position \"promoter\": kpi weights total 101, not 100" score 2026-11 --plan broken.yaml
run_ok "plan unchanged" plan export now.yaml
if cmp -s now.yaml cur.yaml; then ok; else fail "the plan changed"; fi

finish

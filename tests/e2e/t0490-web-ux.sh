# The screens people use every day (issue 13, item 8), through the web by
# tests/web/ux_test.py over a real socket: results reach a member only
# when an admin releases the cycle (every route that shows them); the
# scorecard's explanation of the final number; /api/batches paged and
# filtered; the audit log filtered.
# Staff: boss (admin) -> mgr (manager) -> member1, member2 (promoters,
# members); 2026-10 closed, 2026-11 open, with data.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }

run_ok "init" init --goal sales
run_ok "staff boss" staff add boss --name "Boss Wang" --position manager
run_ok "staff mgr" staff add mgr --name "王芳" --position manager --manager boss
run_ok "staff member1" staff add member1 --name "李娜" --position promoter --manager mgr
run_ok "staff member2" staff add member2 --name "Sun Hao" --position promoter --manager mgr
for u in "boss admin" "mgr manager" "member1 member" "member2 member"; do
	set -- $u
	printf 'pw-%s-secret\n' "$1" | "$MERIT" user add "$1" --role "$2" >"$T/out" 2>"$T/err"
	if [ $? -eq 0 ]; then ok; else fail "user add $1: $(cat "$T/err")"; fi
done
printf 'date,indicator,login,value,denominator\n2026-10-05,promo_posts,member1,25,\n2026-10-06,online_sales,,200000,\n2026-10-07,site_visits,member1,4000,\n' > oct.csv
run_ok "import October" import measurements oct.csv
run_ok "open 2026-10" cycle open 2026-10
run_ok "review 2026-10" cycle review 2026-10
run_ok "close 2026-10" cycle close 2026-10 --force
run_ok "open 2026-11" cycle open 2026-11
printf 'date,indicator,login,value,denominator\n2026-11-05,promo_posts,member1,30,\n2026-11-05,promo_posts,member2,20,\n2026-11-06,online_sales,,250000,\n2026-11-07,site_visits,member1,5000,\n' > nov.csv
run_ok "import November" import measurements nov.csv
run_ok "mgr rates member1" rate member1 --period 2026-11 --by manager \
	--criterion analysis=4 --criterion strategy=3 --criterion execution=5

# the card explains its final number (hand-checked: promo_posts 30/40 and
# site_visits 5000/10000 at 25% each give 75 and 50, so the KPI score is
# 25/50 x 75 + 25/50 x 50 = 62.5; the manager's 4, 3, 5 stars of 5 on
# 30/40/30 weigh 82; the blend 70/20/10 without the self rating gives
# (70 x 62.5 + 20 x 82) / 90 = 66.83, grade C (>= 60, x0.8) and a bonus
# of 4500.00 x 0.8 = 3600.00)
run_ok "score --who member1" score 2026-11 --who member1
contains "each indicator's weighted contribution" "$T/out" "promo_posts +25/50 x 75.00 = 37.50"
contains "... summing to the KPI score" "$T/out" "kpi 62.50 = the counted indicators' weight 50%"
contains "the blend" "$T/out" "final = kpi 70/90 x 62.50 \+ manager 20/90 x 82.00 = 66.83"
contains "the band table" "$T/out" "grades: S >= 95 \(x1.5\), A >= 85 \(x1.2\), B >= 70 \(x1\), C >= 60 \(x0.8\)"
contains "the band reached" "$T/out" "66.83 reaches C$"
contains "base bonus x coefficient" "$T/out" "bonus: base 4500.00 x 0.8 = 3600.00"
contains "a component without a rating reads as not rated yet" "$T/out" "not rated yet, so left out: self"

# the CLI: release and withhold, audited; the list says which
run_ok "cycle list" cycle list
contains "a new cycle's results are withheld" "$T/out" '2026-11 .* open +withheld'
run_fail "withhold what is withheld" 1 "withheld already" cycle withhold 2026-11
run_fail "release a cycle that is not there" 1 "no cycle 2027-01" cycle release 2027-01
run_ok "release 2026-10" cycle release 2026-10
contains "release says what it means" "$T/out" "members see their final score"
run_ok "withhold 2026-10" cycle withhold 2026-10
run_ok "cycle list --json" cycle list --json
expect "the JSON list says released" "$(python3 -c '
import json, sys
print([(c["period"], c["released"]) for c in json.load(sys.stdin)])' <"$T/out")" \
	"[('2026-10', False), ('2026-11', False)]"
expect "both audited, before and after" \
	"$(sqlite3 "$MERIT_DB" "select action || ' ' || object || ' ' || before || ' ' || after from audit where action in ('cycle release', 'cycle withhold') order by id")" \
	'cycle release 2026-10 {"released":false} {"released":true}
cycle withhold 2026-10 {"released":true} {"released":false}'

serve_start
web_py 300 "$T/web.out" "$root/tests/web/ux_test.py" "$url" "$MERIT_DB"
serve_stop

finish

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

# 200 people's worth of batches: 6000, of four sources, a day each from
# 2025-01-01 on (no measurements: the list is what is tested)
sqlite3 "$MERIT_DB" "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 6000)
INSERT INTO batch(source, file, rows, first_day, last_day, created_at, created_by)
SELECT CASE i % 4 WHEN 0 THEN 'posts' WHEN 1 THEN 'orders' WHEN 2 THEN 'visits' ELSE 'tasks' END,
       'bulk-' || i || '.csv', 1, 20089 + i / 20, 20089 + i / 20, '2026-01-01T00:00:00Z', 'boss'
FROM k" && ok || fail "bulk batches"      # (day 20089: 2025-01-01)
# the query plans of the batch list (as mr_store_batch_page asks) and the
# audit filter: indexes, no sort of the whole table
plan=$(sqlite3 "$MERIT_DB" "EXPLAIN QUERY PLAN SELECT id FROM batch b WHERE id NOT IN
	(SELECT batch_id FROM loading) AND source = 'posts' AND first_day <= 20400 AND last_day >= 20300
	ORDER BY id DESC LIMIT 51 OFFSET 0")
contains_text() { case "$2" in *"$3"*) ok ;; *) fail "$1: lacks \"$3\": $2" ;; esac; }
contains_text "the batch list by source uses the index batch_source" "$plan" "INDEX batch_source (source=?)"
case "$plan" in *"TEMP B-TREE"*) fail "the batch list sorts: $plan" ;; *) ok ;; esac
plan=$(sqlite3 "$MERIT_DB" "EXPLAIN QUERY PLAN SELECT id FROM audit WHERE (0 <= 0 OR id < 0)
	AND who = 'boss' ORDER BY id DESC LIMIT 50")
contains_text "the audit log by who uses the index audit_who" "$plan" "INDEX audit_who (who=?)"
plan=$(sqlite3 "$MERIT_DB" "EXPLAIN QUERY PLAN SELECT id FROM audit WHERE (0 <= 0 OR id < 0)
	AND action >= 'cycle ' AND action < 'cycle ' || char(1114111) ORDER BY id DESC LIMIT 50")
contains_text "the audit log by action uses the index audit_action" "$plan" "INDEX audit_action (action>? AND action<?)"

serve_start
web_py 300 "$T/web.out" "$root/tests/web/ux_test.py" "$url" "$MERIT_DB"
serve_stop

finish

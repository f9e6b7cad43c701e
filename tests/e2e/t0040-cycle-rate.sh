# cycles, ratings and the frozen snapshot of a closed cycle.
. "$(dirname "$0")/lib.sh"

run_ok "init" init --goal sales
run_ok "staff wang" staff add wang --name "王芳" --position manager
run_ok "staff lina" staff add lina --name "Lina" --position promoter --manager wang
run_ok "staff sun" staff add sun --name "孙浩" --position promoter
printf 'date,indicator,login,value,denominator\n2026-11-05,promo_posts,lina,40,\n2026-11-05,site_visits,lina,10000,\n2026-11-05,online_sales,,250000,\n' > nov.csv
run_ok "import" import measurements nov.csv

run_fail "rate without cycle" 1 'no cycle 2026-11' rate lina --period 2026-11 --by self --criterion analysis=4
run_ok "open" cycle open 2026-11
run_fail "open twice" 1 'open already' cycle open 2026-11
run_fail "bad period" 2 'not one of YYYY-MM' cycle open 2026-13
run_ok "rate self" rate lina --period 2026-11 --by self --criterion analysis=4 --criterion strategy=4 --criterion execution=4 --comment "good month"
run_ok "rate manager" rate lina --period 2026-11 --by manager --criterion analysis=4.5 --criterion strategy=4.5 --criterion execution=4.5
run_fail "peer not nominated" 1 'sun was not nominated to rate lina in 2026-11' rate lina --period 2026-11 --by peer:sun --criterion analysis=3 --criterion strategy=3 --criterion execution=3
run_ok "nominate sun" peers lina --period 2026-11 --set sun
run_ok "rate peer" rate lina --period 2026-11 --by peer:sun --criterion analysis=3 --criterion strategy=3 --criterion execution=3
run_fail "stars out of scale" 1 'criterion analysis: 6 stars; stars go from 1 to 5' rate lina --period 2026-11 --by self --criterion analysis=6
run_fail "stars not a half" 1 'in halves' rate lina --period 2026-11 --by self --criterion analysis=3.3
run_fail "zero stars" 1 'stars go from 1' rate lina --period 2026-11 --by self --criterion analysis=0
run_fail "stars not a number" 2 'stars are a number' rate lina --period 2026-11 --by self --criterion analysis=many
# a promoter is rated on the promoter's criteria, not another post's
run_fail "unknown criterion" 1 'criterion "goal": a promoter is not rated on it; the criteria are: analysis strategy execution' rate lina --period 2026-11 --by self --criterion goal=3
run_fail "unknown login" 1 'no staff member with login "ghost"' rate ghost --period 2026-11 --by self --criterion analysis=3
run_fail "peer is self" 1 'peer "lina": that is lina; rate yourself as self' rate lina --period 2026-11 --by peer:lina --criterion analysis=3
run_fail "no manager" 1 'sun has no manager' rate sun --period 2026-11 --by manager --criterion analysis=3
run_fail "bad by" 2 'say self, manager, peer:LOGIN or upward:LOGIN' rate lina --period 2026-11 --by boss --criterion analysis=3

run_fail "close before review" 1 'move it to review first' cycle close 2026-11
run_ok "review" cycle review 2026-11
run_fail "back to open" 1 'in review; a cycle goes open' cycle open 2026-11
run_ok "score in review" score 2026-11 --csv
# lina: promo_posts 40/40=100 and site_visits 10000/10000=100 (w25 each),
# the other promoter indicators no data (skip): coverage 50, kpi 100;
# manager 4.5/5=90; self 80; peer 60 not counted (weight 0);
# blend 70/20/10 -> 70+18+8 = 96.00, S
contains "lina scored" "$T/out" '^2026-11,1,lina,Lina,promoter,50.00,100.00,90.00,80.00,60.00,,96.00,S,no,'
contains "peer not counted" "$T/out" '^2026-11,1,lina,.*,peer,,$'
# sun has no data at all: not scored (no rank, grade or bonus), not "0.00 D"
contains "sun not scored" "$T/out" '^2026-11,,sun,孙浩,promoter,0.00,,,,,,,,no,,no,no,'
before=$(cat "$T/out")
# closing with eyes open: the readiness list, and nothing closed
run_fail "close not ready" 1 'cycle 2026-11 is not ready to close' cycle close 2026-11
contains "names the indicators" "$T/err" 'no data for the team indicator opportunities'
contains "names who is not scored" "$T/err" 'sun is not scored: KPI coverage 0% is below'
contains "names ratings owed" "$T/err" 'wang has not rated themselves'
run_ok "close" cycle close 2026-11 --force
run_ok "list" cycle list
contains "closed listed" "$T/out" '^2026-11 .* closed'

# a closed cycle refuses changes to its data and ratings
printf 'date,indicator,login,value,denominator\n2026-11-20,promo_posts,lina,1,\n' > late.csv
run_fail "import into closed" 1 'late.csv:2:1: .*cycle 2026-11 is closed' import measurements late.csv
run_fail "record into closed" 1 'cycle 2026-11 is closed' record promo_posts 1 --who lina --date 2026-11-21
run_fail "rate closed" 1 'cycle 2026-11 is closed' rate lina --period 2026-11 --by self --criterion analysis=1
run_fail "nominate closed" 1 'cycle 2026-11 is closed' peers lina --period 2026-11 --set wang
run_fail "rm closed" 1 'cycle 2026-11 is closed: its results are kept' cycle rm 2026-11
run_fail "batch rm closed" 1 'batch 1 dated 2026-11-05: cycle 2026-11 is closed' batch rm 1
run_fail "reopen without reason" 2 'reopen needs --reason' cycle reopen 2026-11
run_fail "close twice" 1 'closed already' cycle close 2026-11
# the database refuses too, whatever the code above it does
if sqlite3 "$MERIT_DB" "delete from measurement" 2>/dev/null; then fail "frozen rows deletable"; else ok; fi

# the snapshot does not move when the plan does
"$MERIT" plan export p.yaml
sed 's/blend: {kpi: 70, manager: 20, self: 10, peer: 0, upward: 0}/blend: {kpi: 40, manager: 20, self: 40, peer: 0, upward: 0}/' p.yaml > p2.yaml
run_ok "change plan" plan import p2.yaml
run_ok "score closed" score 2026-11 --csv
expect "frozen result" "$(cat "$T/out")" "$before"
run_ok "score closed table" score 2026-11
contains "says frozen" "$T/out" "closed: these are its frozen results"
# a what-if on a closed cycle compares the draft with the frozen results
run_ok "what-if on closed" score 2026-11 --plan p2.yaml
contains "compared with frozen" "$T/out" "compared with the frozen results"
contains "frozen 96 against draft 90" "$T/out" "lina +96.00 S +90.00 A +-6.00"

# reopen: audited with its reason, and scores follow the new plan
run_ok "reopen" cycle reopen 2026-11 --reason "late orders"
expect "reopen audited" "$(sqlite3 "$MERIT_DB" "select json_extract(after,'$.reason') from audit where action='cycle open' order by id desc limit 1")" "late orders"
run_ok "score reopened" score 2026-11 --csv
# kpi 100*40 + manager 90*20 + self 80*40 = 4000+1800+3200 = 9000/100 = 90.00, A
contains "rescored" "$T/out" '^2026-11,1,lina,Lina,promoter,50.00,100.00,90.00,80.00,60.00,,90.00,A,no,'
run_ok "import after reopen" import measurements late.csv

# a comment goes on a printed form: at most 4,000 bytes
long=$(printf '%04001d' 0)
run_fail "comment too long" 1 'the comment is 4001 bytes long; at most 4000' rate lina --period 2026-11 --by self --criterion analysis=3 --comment "$long"
finish

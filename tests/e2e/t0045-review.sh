# who is scored and who rates (issue 9): coverage and "not scored",
# reviewers, upward and nominated peers, per-position criteria, anonymity,
# calibration, and the cycle rules (overlap, length, rm).
. "$(dirname "$0")/lib.sh"

run_ok "init" init --goal sales
# the owner rates the operations manager and is never scored or paid
run_ok "owner" staff add owner --name "刘强" --reviewer
run_fail "reviewer with a position" 2 'a reviewer has no position' staff add boss --name B --reviewer --position manager
run_fail "reviewer with a bonus" 2 'never paid a bonus' staff add boss --name B --reviewer --base-bonus 100
run_ok "wang" staff add wang --name "王芳" --position manager --manager owner
run_ok "lina" staff add lina --name "Lina" --position promoter --manager wang
run_ok "sun" staff add sun --name "孙浩" --position promoter --manager wang
run_ok "li" staff add li --name "李娜" --position designer --manager wang
run_ok "ed" staff add ed --name "Ed" --position editor
run_ok "staff list" staff list
contains "reviewer listed" "$T/out" '^owner .*\(reviewer\)'

# lina: data for 1 of 4 indicators (promo_posts, 25%); sun: all four;
# wang: no team data; li: nothing; ed: all three
cat > d.csv <<'CSV'
date,indicator,login,value,denominator
2026-11-03,promo_posts,lina,48,
2026-11-03,promo_posts,sun,40,
2026-11-03,site_visits,sun,10000,
2026-11-03,keyword_rank,sun,3,
2026-11-03,online_customers,sun,50,
2026-11-03,content_updates,ed,60,
2026-11-03,topics_produced,ed,4,
2026-11-03,share_rate,ed,5,100
CSV
run_ok "import" import measurements d.csv
run_ok "open" cycle open 2026-11
run_ok "wang self 5 stars" rate wang --period 2026-11 --by self --criterion goal=5 --criterion system=5 --criterion team=5
run_ok "score" score 2026-11
# ed and sun are ranked (100 each, ties by login); lina (25%), wang (0%)
# and li (0%) are not scored
contains "ed ranked" "$T/out" '^  1 Ed +ed +editor +100% +100.00'
contains "sun ranked" "$T/out" '^  2 孙浩 +sun +promoter +100% +100.00'
contains "not scored section" "$T/out" '^Not scored \(3\): no final score, grade or bonus'
contains "lina's reason" "$T/out" 'lina +promoter +KPI coverage 25% is below the plan.s min_coverage 50% \(no data for site_visits, keyword_rank, online_customers\)'
contains "wang's reason" "$T/out" 'wang +manager +KPI coverage 0% is below'
contains "li not scored" "$T/out" ' li +designer +KPI coverage 0%'
if grep -q '^ *[0-9].*owner' "$T/out"; then fail "the reviewer is ranked"; else ok; fi
# S for both (no quotas): 4000.00 × 1.5 + 4500.00 × 1.5
contains "only the ranked are paid" "$T/out" '^bonus total 12750.00$'
contains "incomplete marked" "$T/out" 'sun .*incomplete: no rating: manager, self'
run_ok "score json" score 2026-11 --json
cp "$T/out" s.json
p() { sqlite3 :memory: "select json_extract(value, '\$.$2') from json_each(readfile('s.json'), '\$.people') where json_extract(value, '\$.login') = '$1'"; }
expect "lina json" "$(p lina scored) $(p lina final_score) $(p lina grade) $(p lina bonus_cents) $(p lina complete) $(p lina coverage)" "0   0 0 25.0"
expect "wang json" "$(p wang scored) $(p wang rank) $(p wang complete)" "0  0"
expect "sun json" "$(p sun scored) $(p sun rank) $(p sun coverage) $(p sun complete)" "1 2 100.0 0"
expect "owner absent" "$(p owner login)" ""

# ratings: each post its own criteria, each kind its own rater
run_fail "designer on the manager's criteria" 1 'criterion "goal": a designer is not rated on it; the criteria are: visual layout coherence' rate li --period 2026-11 --by manager --criterion goal=4
run_fail "rate the reviewer" 1 'owner is a reviewer: reviewers rate others and are never rated' rate owner --period 2026-11 --by self --criterion goal=4
run_ok "owner rates wang" rate wang --period 2026-11 --by manager --criterion goal=4 --criterion system=4 --criterion team=4
expect "rated by the owner" "$(sqlite3 "$MERIT_DB" "select distinct rater from rating where login='wang' and kind='manager'")" "owner"
run_fail "upward from a non-report" 1 'ed does not report to wang: an upward rating comes from a direct report' rate wang --period 2026-11 --by upward:ed --criterion goal=2
run_ok "upward from lina" rate wang --period 2026-11 --by upward:lina --criterion goal=3 --criterion system=3 --criterion team=3
# one unsolicited peer rating from another team is refused (it moved a
# person from B to C before)
run_fail "unsolicited peer" 1 'ed was not nominated to rate sun in 2026-11 \(the plan.s peers: nominated\); a manager or admin names the peers' rate sun --period 2026-11 --by peer:ed --criterion analysis=1
# the manager rates as manager, never also as a peer
run_fail "the manager as a peer" 1 "wang is sun's manager on record: they rate as manager, not as a peer" peers sun --period 2026-11 --set wang
run_fail "the manager rating as a peer" 1 "wang is sun's manager on record: they rate as manager, not as a peer" rate sun --period 2026-11 --by peer:wang --criterion analysis=1
run_fail "a reviewer as peer" 1 'owner is a reviewer' peers sun --period 2026-11 --set owner
run_fail "six peers" 2 'at most 5 peers' peers sun --period 2026-11 --set a,b,c,d,e,f
run_fail "peer is the person" 1 'sun cannot be their own peer' peers sun --period 2026-11 --set sun
run_fail "unknown peer" 1 'peer: no staff member with login "zed"' peers sun --period 2026-11 --set zed
run_ok "nominate lina" peers sun --period 2026-11 --set lina
run_ok "peers listed" peers sun --period 2026-11
expect "nominated" "$(cat "$T/out")" "lina"
# refused, and the message does not tell who is nominated (the manager's list)
run_fail "ed still refused" 1 'ed was not nominated to rate sun in 2026-11' rate sun --period 2026-11 --by peer:ed --criterion analysis=1
if grep -q lina "$T/err"; then fail "the refusal names the nominated peers"; else ok; fi
run_ok "lina rates sun" rate sun --period 2026-11 --by peer:lina --criterion analysis=4 --criterion strategy=4 --criterion execution=4
run_fail "a rater stays nominated" 1 'lina has rated sun in 2026-11 already; keep them among the peers' peers sun --period 2026-11 --set li
expect "audited" "$(sqlite3 "$MERIT_DB" "select after from audit where action='peers'")" '["lina"]'
# the scorecard a person reads names no peer or direct report
run_ok "sun's card" score 2026-11 --who sun
contains "peer 1" "$T/out" 'peer +peer 1 +analysis'
if grep -q 'lina' "$T/out"; then fail "the card names the peer"; else ok; fi
run_ok "wang's card" score 2026-11 --who wang
contains "upward 1" "$T/out" 'upward +upward 1 +goal'
contains "the owner named as manager" "$T/out" 'manager +owner +goal'
contains "upward shown, not counted" "$T/out" 'not counted, weight 0: .*upward 60.00'
if grep -q ' lina ' "$T/out"; then fail "the card names the direct report"; else ok; fi
# the table shows only the counted components: peer and upward weigh 0
run_ok "table" score 2026-11
contains "counted columns" "$T/out" '^  # name +login +position +cover +kpi +manager +self +final grade'

# someone rated in a running cycle does not silently become a reviewer
run_fail "rated person to reviewer" 1 'sun is rated in cycle 2026-11, which is not closed' staff set sun --reviewer
run_fail "score a reviewer" 1 'owner is a reviewer: reviewers rate others and are never scored' score 2026-11 --who owner
run_ok "ed with a bonus" staff add fay --name Fay --position editor --base-bonus 100
run_ok "to reviewer: the bonus goes" staff set fay --reviewer
contains "said so" "$T/err" "fay's own base bonus is dropped"
expect "no bonus kept" "$(sqlite3 "$MERIT_DB" "select coalesce(cast(base_bonus_cents as text), 'none') || ' ' || reviewer from staff where login = 'fay'")" "none 1"
# peers: open lets anyone but a reviewer rate
"$MERIT" plan export p.yaml
sed 's/^peers: nominated /peers: open /' p.yaml > open.yaml
run_ok "open peers" plan import open.yaml
run_ok "ed rates li" rate li --period 2026-11 --by peer:ed --criterion visual=3
run_fail "nominate under open" 1 'the plan has peers: open' peers li --period 2026-11 --set ed
run_ok "back to nominated" plan import p.yaml

# calibration: an admin's grade by hand, with a reason, before close
run_fail "calibrate without reason" 2 '--reason are required' calibrate sun --period 2026-11 --grade A
run_fail "calibrate unknown grade" 1 'grade "Z" is not in the plan; its grades are: S A B C D' calibrate sun --period 2026-11 --grade Z --reason "x"
run_fail "calibrate the not scored" 1 'lina is not scored in 2026-11 \(KPI coverage 25%' calibrate lina --period 2026-11 --grade A --reason "x"
run_ok "calibrate sun" calibrate sun --period 2026-11 --grade A --reason "took over ed's channels for two weeks"
run_ok "score calibrated" score 2026-11
contains "marked" "$T/out" 'sun .* A\^ '
contains "explained" "$T/out" '\^ grade calibrated by hand'
run_ok "json calibrated" score 2026-11 --json
cp "$T/out" s.json
expect "calibrated json" "$(p sun grade) $(p sun calibrated) $(p sun bonus_cents)" "A 1 540000"
expect "reason kept" "$(p sun calibration_reason)" "took over ed's channels for two weeks"
expect "audited" "$(sqlite3 "$MERIT_DB" "select json_extract(after, '\$.grade') from audit where action='calibrate'")" "A"
run_ok "card says why" score 2026-11 --who sun
contains "card calibration" "$T/out" "calibration: took over ed's channels for two weeks"

# cycles: no overlap, the plan's length unless confirmed, rm when empty
run_fail "overlapping quarter" 1 'cycle 2026-Q4 \(2026-10-01 to 2026-12-31\) overlaps 2026-11 \(open\)' cycle open 2026-Q4
run_fail "a quarter under a monthly plan" 1 'cycle 2027-Q1 is not one month, the plan.s period' cycle open 2027-Q1
contains "how to confirm" "$T/err" '^merit: to go ahead anyway: merit cycle open 2027-Q1 --yes$'
run_ok "confirmed" cycle open 2027-Q1 --yes
run_ok "a nomination in it" peers sun --period 2027-Q1 --set lina
run_ok "rm empty" cycle rm 2027-Q1
expect "nominations go with it, kept in the audit" "$(sqlite3 "$MERIT_DB" "select count(*) from peer_nomination where period = '2027-Q1'") $(sqlite3 "$MERIT_DB" "select json_extract(before, '\$.nominations[0].peer') from audit where action = 'cycle rm'")" "0 lina"
expect "gone" "$(sqlite3 "$MERIT_DB" "select count(*) from cycle where period='2027-Q1'")" "0"
expect "rm audited" "$(sqlite3 "$MERIT_DB" "select count(*) from audit where action='cycle rm' and object='2027-Q1'")" "1"
run_fail "rm with ratings" 1 'cycle 2026-11 holds [0-9]+ ratings and 1 calibration: only an empty cycle is removed' cycle rm 2026-11
run_fail "rm unknown" 1 'no cycle 2026-10' cycle rm 2026-10
run_fail "--yes elsewhere" 2 '--yes goes with open' cycle close 2026-11 --yes
run_ok "review" cycle review 2026-11
run_fail "close: not ready" 1 'cycle 2026-11 is not ready to close' cycle close 2026-11
contains "how to close anyway" "$T/err" '^merit: to go ahead anyway: merit cycle close 2026-11 --force$'
contains "an indicator nobody has data for" "$T/err" '^merit:   - no data for design_completion \(1 person is scored on it\)$'
contains "a peer not yet nominated" "$T/err" 'owner has not rated wang \(as manager\)|no peers are nominated|has not rated themselves'
if grep -q 'no data for promo_posts' "$T/err"; then fail "promo_posts has data (lina, sun)"; else ok; fi
run_ok "close" cycle close 2026-11 --force
run_fail "calibrate closed" 1 'cycle 2026-11 is closed' calibrate sun --period 2026-11 --grade B --reason "x"
run_ok "frozen" score 2026-11 --json
cp "$T/out" s.json
expect "frozen calibrated" "$(p sun grade) $(p sun calibrated) $(p lina scored)" "A 1 0"
finish

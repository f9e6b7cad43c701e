# A populated database of schema version 5 (before reviewers, upward
# ratings, nominations and calibrations) opens, migrates in place and
# keeps every rating, the closed cycle's frozen results and its triggers.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/e2e/lib.sh"
file_only "a SQLite file of schema 5 migrated in place (PostgreSQL's schema, made and upgraded from the same migrations: t0730)"

sqlite3 "$MERIT_DB" < "$here/data/schema/v5-team.sql" || fail "loading the v5 fixture"
expect "fixture is v5" "$(sqlite3 "$MERIT_DB" 'PRAGMA user_version')" "5"
run_ok "score the closed cycle" score 2026-10 --csv
expect "migrated to the latest version (17)" "$(sqlite3 "$MERIT_DB" 'PRAGMA user_version')" "17"
expect "saved sources table made" "$(sqlite3 "$MERIT_DB" "select count(*) from sqlite_master where name = 'source'")" "1"
# the frozen result of version 5 reads back as it was (everyone was scored
# then), with what it rested on worked out: coverage from its indicators,
# the components the plan of the time counted (peer weighed 0), complete
# only with every KPI and weighted rating
contains "lina frozen" "$T/out" '^2026-10,1,lina,Lina,promoter,50.00,95.00,90.00,80.00,60.00,,92.50,A,no,5400.00,no,yes,"keyword_rank, online_customers",,peer,,$'
contains "wang frozen" "$T/out" '^2026-10,2,wang,王芳,manager,60.00,80.00,,,,,80.00,B,no,8000.00,no,yes,opportunities,"manager, self",,,$'
contains "sun frozen" "$T/out" '^2026-10,3,sun,孙浩,promoter,25.00,50.00,,,,,50.00,D,no,0.00,no,yes,'
run_ok "table of the frozen cycle" score 2026-10
contains "weight-0 peer not a column" "$T/out" '^  # name +login +position +cover +kpi +manager +self +final grade'
run_ok "score csv again" score 2026-10 --csv
expect "ratings kept" "$(sqlite3 "$MERIT_DB" 'select count(*) from rating')" "4"
expect "comment kept" "$(sqlite3 "$MERIT_DB" "select comment from rating where kind='manager'")" "good"
# the frozen-cycle triggers came over with the rebuilt rating table
if sqlite3 "$MERIT_DB" "insert into rating values ('2026-10','lina','self','lina','overall',1,NULL,'x')" 2>/dev/null; then
	fail "a closed cycle's ratings are writable after the migration"
else ok; fi
if sqlite3 "$MERIT_DB" "delete from rating where period = '2026-10'" 2>/dev/null; then
	fail "a closed cycle's ratings are deletable after the migration"
else ok; fi
# what version 6 adds works on the old data
run_ok "upward on the old plan" rate wang --period 2026-11 --by upward:lina --criterion overall=4
run_ok "staff list" staff list --json
expect "nobody is a reviewer" "$(sqlite3 :memory: "select group_concat(json_extract(value, '\$.reviewer')) from json_each('$(cat "$T/out" | tr -d '\n')')")" "0,0,0"
run_ok "a reviewer added" staff add owner --name Owner --reviewer
run_ok "the open cycle" score 2026-11 --json
finish

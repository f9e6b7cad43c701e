# merit demo end to end, deterministic; merit user add.
. "$(dirname "$0")/lib.sh"

# on PostgreSQL the demo's company goes into $MERIT_DB, its files into the dir
D1DB=d1/merit.db
on_pg && D1DB=$MERIT_DB
run_ok "demo" demo --dir d1
cp "$T/out" demo1.txt
contains "ranking" demo1.txt "^ +1 .* (S|A|B) +[0-9]+\.[0-9]{2}"
contains "eight people" demo1.txt "^ +8 "
contains "closed cycle" demo1.txt "cycle 2026-10 is closed"
contains "joined mid-cycle" demo1.txt "active 17 of 31 days"
contains "says what it read" demo1.txt "access-log lines, [0-9]+ orders, [0-9]+ tasks"
contains "chinese names" demo1.txt "王芳"
contains "where files are" demo1.txt "Files in d1/"
contains "names the raw files" demo1.txt "access-\*\.log \(the web server\), orders-\*\.csv \(Shopify\)"
contains "quota marked" demo1.txt "^ +4 .* B\* +8000.00"
contains "quota explained" demo1.txt "held down by the plan.s forced distribution"
# the owner is a reviewer who rated wang; nobody lacks data, so no "not scored"
contains "the reviewer said" demo1.txt "The owner .* is a reviewer: he gave wang"
if grep -q '^ *[0-9].* owner ' demo1.txt; then fail "the owner is ranked"; else ok; fi
if grep -q '^Not scored' demo1.txt; then fail "a not-scored section without a cause"; else ok; fi
expect "the owner rated wang" "$(sqlite3 "$D1DB" "select count(*) from rating where login = 'wang' and kind = 'manager' and rater = 'owner' and period = '2026-10'")" "3"
expect "everyone has a manager rating" "$(sqlite3 "$D1DB" "select count(distinct login) from rating where kind = 'manager' and period = '2026-10'")" "8"
expect "the closed cycle's results are released, so members see them" "$(sqlite3 "$D1DB" "select count(*) from cycle where period = '2026-10' and released_at is not null")" "1"
{ on_pg || [ -f d1/merit.db ]; } && [ -f d1/plan.yaml ] && ok || fail "demo files missing"
for f in access-2026-09.log orders-2026-10.csv tasks-2026-11.csv leads-2026-09.csv \
         content-2026-10.csv posts-2026-11.csv ranks-2026-09.csv uptime-2026-10.csv; do
	[ -s "d1/$f" ] && ok || fail "demo file d1/$f missing"
done
if [ -e d1/measurements-2026-09.csv ]; then fail "demo still writes measurement CSVs"; else ok; fi
# the raw files look like what the systems write
contains "combined log" d1/access-2026-10.log '^[0-9.]+ - - \[[0-9]{2}/Oct/2026:[0-9:]{8} \+0800\] "GET /[^ ]* HTTP/1.1" [0-9]{3} [0-9]+ "[^"]*" "Mozilla/5.0'
contains "googlebot in the log" d1/access-2026-10.log 'Googlebot/2.1'
contains "bingbot in the log" d1/access-2026-10.log 'bingbot/2.0'
contains "404s in the log" d1/access-2026-10.log '" 404 '
contains "static assets in the log" d1/access-2026-10.log '"GET /static/theme.css'
contains "campaign links in the log" d1/access-2026-10.log 'utm_source=weibo&utm_medium=social&utm_campaign='
contains "shopify header" d1/orders-2026-10.csv '^Name,Email,Financial Status,.*Created at,.*Lineitem name,.*Source,Landing Site$'
contains "shopify line items" d1/orders-2026-10.csv '^#[0-9]+,[^,]+,,,,,,,,,,,,,,,[0-9]+,'
contains "jira header" d1/tasks-2026-10.csv '^Summary,Issue key,Issue id,Issue Type,.*Due Date,Labels,Labels'
contains "jira dates" d1/tasks-2026-10.csv ',[0-9]{2}/(Sep|Oct|Nov)/26 [0-9]{1,2}:[0-9]{2} (AM|PM),'
if on_pg; then
	m demo --dir d2
	expect "the demo refuses a database with a company" "$rc" 1
	contains "says why" "$T/err" "is not empty; the demo goes into an empty database"
	fresh_db
fi
run_ok "demo again" demo --dir d2
# the files the database names: on PostgreSQL, those of the demo run last
DD=d1
on_pg && DD=d2
sed 's/d2/d1/g' "$T/out" > demo2.txt
if cmp -s demo1.txt demo2.txt; then ok; else fail "demo output differs between runs"; fi
for f in access-2026-10.log orders-2026-11.csv tasks-2026-09.csv uptime-2026-11.csv; do
	if cmp -s "d1/$f" "d2/$f"; then ok; else fail "demo file $f differs between runs"; fi
done
run_ok "demo db usable" --db "$D1DB" score 2026-10 --who sun
contains "traced to the orders" "$T/out" "from batch [0-9]+, orders $DD/orders-2026-10.csv lines [0-9]+-[0-9]+"
contains "traced to the log" "$T/out" "from batch [0-9]+, logs $DD/access-2026-10.log lines [0-9]+-[0-9]+"
contains "traced to the posts" "$T/out" "from batch [0-9]+, posts $DD/posts-2026-10.csv lines"
contains "traced to the ranks" "$T/out" "from batch [0-9]+, ranks $DD/ranks-2026-10.csv lines"
run_ok "demo support scorecard" --db "$D1DB" score 2026-10 --who wu
contains "uptime traced" "$T/out" "from batch [0-9]+, uptime $DD/uptime-2026-10.csv lines"
contains "tasks traced" "$T/out" "from batch [0-9]+, tasks $DD/tasks-2026-10.csv lines"
run_ok "demo editor scorecard" --db "$D1DB" score 2026-10 --who zhao
contains "content traced" "$T/out" "from batch [0-9]+, content $DD/content-2026-10.csv lines"
run_ok "demo manager scorecard" --db "$D1DB" score 2026-10 --who wang
contains "leads traced" "$T/out" "from batch [0-9]+, leads $DD/leads-2026-10.csv lines"
# every KPI of every position has data
for who in wang lina sun zhao chen li zhou wu; do
	m --db "$D1DB" score 2026-10 --who "$who"
	kpis=$(grep -Ec '^  [a-z_]+ +[0-9]+% ' "$T/out")
	with=$(grep -Ec '^  [a-z_]+ +[0-9]+% .* [1-9][0-9]* measurements' "$T/out")
	if [ "$rc" -eq 0 ] && [ "$kpis" -gt 0 ] && [ "$kpis" = "$with" ]; then ok
	else fail "$who: $with of $kpis KPIs have data: $(cat "$T/out")"; fi
done
run_ok "demo batches" --db "$D1DB" batches
for src in logs orders tasks leads content posts ranks uptime; do
	expect "three $src batches" "$(grep -Ec "^ +[0-9]+  $src " "$T/out")" "3"
done
run_ok "demo traffic" --db "$D1DB" traffic --from 2026-10-01 --to 2026-10-31
expect "a traffic row a day" "$(grep -c '^2026-10-[0-9][0-9]  shop ' "$T/out")" "31"
run_ok "demo traffic json" --db "$D1DB" traffic --from 2026-10-01 --to 2026-10-01 --json
contains "crawlers counted apart" "$T/out" '"crawler_requests": [1-9]'
run_ok "demo rules" --db "$D1DB" own list
contains "tracker rule" "$T/out" "^tracker +Zhou Jie +zhou"
contains "campaign rule" "$T/out" "^campaign +double-11 +sun"
run_ok "demo cycles" --db "$D1DB" cycle list
contains "one closed" "$T/out" "2026-10 .*closed"
contains "one in review" "$T/out" "2026-09 .*review"

# the demo never replaces a database it did not make
mkdir mine
"$MERIT" --db mine/merit.db init --goal brand >/dev/null
before_mine=$(sqlite3 mine/merit.db .dump)
m demo --dir mine
expect "demo refuses a real database" "$rc" "1"
contains "says why" "$T/err" "mine/merit.db exists and is not a demo's"
expect "real database untouched" "$(sqlite3 mine/merit.db .dump)" "$before_mine"
on_pg && fresh_db
run_ok "demo over its own" demo --dir d1
on_pg && fresh_db

run_fail "empty --db=" 2 '--db needs a FILE' --db= init --goal brand
run_ok "init" init --goal brand
printf 'correct horse battery\n' | "$MERIT" user add boss --role admin >"$T/out" 2>"$T/err"
expect "user add" "$?" "0"
hash=$(sqlite3 "$MERIT_DB" "select pw_hash from user where login='boss'")
case "$hash" in '$argon2id$'*) ok ;; *) fail "not an Argon2id hash: $hash" ;; esac
expect "password not stored" "$(sqlite3 "$MERIT_DB" "select count(*) from user where pw_hash like '%horse%'")" "0"
expect "audited without password" "$(sqlite3 "$MERIT_DB" "select count(*) from audit where after like '%horse%'")" "0"
printf 'short\n' | "$MERIT" user add b2 --role admin >/dev/null 2>"$T/err"
expect "short password refused" "$?" "1"
contains "says why" "$T/err" "at least 8 characters"
run_fail "bad role" 2 'role must be admin, manager or member' user add b3 --role king
printf 'another password\n' | "$MERIT" user add boss --role member >/dev/null 2>"$T/err"
expect "user add twice refused" "$?" "1"
contains "says exists" "$T/err" 'user "boss" exists already'
printf 'pass word 123\n' | "$MERIT" user add "a b" --role admin >/dev/null 2>"$T/err"
expect "bad user login" "$?" "2"
printf 'new password 1\n' | "$MERIT" user passwd boss --role manager >/dev/null 2>"$T/err"
expect "passwd" "$?" "0"
expect "role changed" "$(sqlite3 "$MERIT_DB" "select role from user where login='boss'")" "manager"
case "$(sqlite3 "$MERIT_DB" "select pw_hash from user where login='boss'")" in
"$hash") fail "password hash unchanged" ;; '$argon2id$'*) ok ;; *) fail "bad hash" ;; esac
expect "passwd audited with before" "$(sqlite3 "$MERIT_DB" "select before || ' ' || after from audit where action='user set'")" '{"role":"admin"} {"role":"manager","password":"(set)"}'
printf 'long enough pw\n' | "$MERIT" user passwd ghost >/dev/null 2>"$T/err"
expect "passwd unknown" "$?" "1"
contains "says no user" "$T/err" "no user \"ghost\""

finish

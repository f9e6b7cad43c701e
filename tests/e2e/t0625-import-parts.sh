#!/bin/sh
# A long import written in parts (issue 11, item 3; store_loading.c).
# MERIT_LOAD_PART makes a part 1,000 rows, so a 60,000-row import goes in
# 60 parts, as a 3,000,000-row one goes in 12 of 250,000.
#   a. in parts or in one transaction, the same import leaves the same
#      database (ids, rollup, batch record, audit);
#   b. an import killed (SIGKILL) between two parts: `score`, `batches`
#      and the trace read the database as before; `merit check` is ok;
#   c. while its loader lives (a stand-in holds its lock on the -load
#      file), another import waits for it and gives up after --wait
#      naming it, changing nothing; `batch rm` of it is refused; a web
#      upload is refused with 503; the server's start leaves it be;
#   d. once the loader is gone, the next import removes what it wrote
#      first (rows, keys, subjects, the batch), then imports: the
#      database is as if the killed import never ran;
#   e. `merit batch rm` of an import that died half-way removes it;
#   f. a login added between two parts (by a sqlite3 shell that took
#      the lock there): the import removes what it wrote and runs again;
#   g. beside a dead one, `batch rm` of another batch of the same months
#      leaves the monthly totals equal to what merit reads, and a cycle
#      closed over its rows does not stop the next import removing them.
. "$(dirname "$0")/lib.sh"
file_only "an import written in parts, a SQLite file's own (PostgreSQL writes one transaction)"

for tool in sqlite3 python3 curl; do
	command -v $tool >/dev/null 2>&1 || { fail "$tool is not installed"; finish; exit 1; }
done

run_ok "init" init --goal sales
run_ok "staff ana" staff add ana --name Ana --position promoter
run_ok "staff bo" staff add bo --name "Bo Li" --position promoter
printf 'boss-pass-123\n' | "$MERIT" user add boss --role admin >/dev/null 2>&1 || fail "user add"
run_ok "open" cycle open 2026-01
printf 'date,indicator,login,value,denominator\n2026-01-05,promo_posts,ana,30,\n2026-01-06,promo_posts,bo,44,\n' > jan.csv
run_ok "import jan" import measurements jan.csv
cp "$MERIT_DB" base.db

# 60,000 rows over 2027 (new subjects: keyword_rank and content_updates
# are not in jan.csv), and an orders export of 3,000 (row keys, customers)
awk 'BEGIN { print "date,indicator,login,value,denominator";
	split("promo_posts keyword_rank content_updates", ind, " ");
	for (i = 0; i < 60000; i++) printf "2027-%02d-%02d,%s,%s,%d,\n", 1 + i % 12, 1 + i % 28,
		ind[1 + i % 3], (i % 2 ? "ana" : "bo"), i % 97 }' > big.csv
awk 'BEGIN { print "date,order,customer,total,refunded,status,source,campaign,landing,currency";
	for (i = 1; i <= 3000; i++) printf "2027-%02d-%02d,#%d,c%d@example.invalid,%d.00,,paid,web,,,CNY\n",
		1 + i % 12, 1 + i % 28, i, i % 700, 10 + i % 90 }' > orders.csv

q() { sqlite3 "$1" "$2"; }
# the database's content, times blanked (the audit's and batches' stamps),
# but for the web's sessions and users (a login stamps last_login)
content() {
	python3 - "$1" <<'EOF'
import re, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
print("\n".join(stamp.sub("<t>", l) for l in c.iterdump()
                if not l.startswith(('INSERT INTO "session"', 'INSERT INTO "user"'))))
EOF
}

# ---- a. in parts, or whole: the same database ----
cp base.db whole.db
MERIT_DB=whole.db m import measurements big.csv
expect "whole: exit" "$rc" 0
MERIT_DB=whole.db m import orders orders.csv
expect "whole orders: exit" "$rc" 0
cp base.db parts.db
MERIT_DB=parts.db MERIT_LOAD_PART=1000 m import measurements big.csv
expect "in parts: exit" "$rc" 0
contains "in parts: says what it imported" "$T/out" 'imported 60000 measurements from big.csv as batch 2'
MERIT_DB=parts.db MERIT_LOAD_PART=1000 m import orders orders.csv
expect "orders in parts: exit" "$rc" 0
content whole.db > "$T/whole.sql"
content parts.db > "$T/parts.sql"
if cmp -s "$T/whole.sql" "$T/parts.sql"; then ok
else fail "in parts and whole differ: $(diff "$T/whole.sql" "$T/parts.sql" | head -c 1500)"; fi
expect "no import left loading" "$(q parts.db 'select count(*) from loading')" 0
expect "the orders' keys" "$(q parts.db 'select count(*) from batch_key where batch_id = 3')" 3000

# kill_mid — `import measurements big.csv` in parts, killed once its first
# part is in (the loading row is seen): 60 parts of about 2 ms each leave
# plenty of time between the poll and the end
kill_mid() {
	MERIT_LOAD_PART=1000 "$MERIT" import measurements big.csv >"$T/big.out" 2>&1 &
	imp=$!
	python3 - "$MERIT_DB" $imp <<'EOF'
import os, signal, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], timeout=5)
for _ in range(20000):
    try:
        if c.execute("SELECT count(*) FROM loading").fetchone()[0]:
            os.kill(int(sys.argv[2]), signal.SIGKILL)
            break
    except sqlite3.OperationalError:
        pass
    time.sleep(0.0005)
EOF
	wait $imp
	expect "the import was killed" "$?" 137
}
# what merit shows of the database: a month's and half a month's scores
# (a whole month is read from the monthly totals, a part from the rows),
# the batches, an explanation
shown() {
	"$MERIT" score 2026-01 --csv 2>&1
	"$MERIT" score 2027-01 --csv 2>&1
	"$MERIT" score 2027-01-01..2027-01-15 --csv 2>&1
	"$MERIT" batches 2>&1
	"$MERIT" score 2026-01 --who ana 2>&1
	"$MERIT" score 2027-01-01..2027-01-15 --who bo 2>&1
}

# ---- b. killed between two parts ----
cp base.db "$MERIT_DB"
shown > "$T/shown.before"
kill_mid
n=$(q "$MERIT_DB" 'select count(*) from loading')
expect "it left a batch loading" "$n" 1
parts_in=$(q "$MERIT_DB" 'select count(*) from measurement where batch_id = 2')
if [ "${parts_in:-0}" -gt 1 ] && [ "$parts_in" -lt 60000 ]; then ok
else fail "killed between parts: $parts_in of its rows are in"; fi
shown > "$T/shown.killed"
if cmp -s "$T/shown.before" "$T/shown.killed"; then ok
else fail "merit shows the unfinished import: $(diff "$T/shown.before" "$T/shown.killed" | head -c 1500)"; fi
MERIT_DB=parts.db shown > "$T/shown.whole"
if cmp -s "$T/shown.before" "$T/shown.whole"; then
	fail "the comparison cannot fail: the whole import shows the same"; else ok; fi
run_ok "check: ok" check
cp "$MERIT_DB" killed.db

# ---- c. its loader alive: a stand-in holds the claim ----
# python's F_OFD_SETLK on the batch's byte, as merit's loader holds it
mkfifo "$T/hold"
python3 - "$MERIT_DB-load" 2 "$T/hold" > "$T/holder.out" 2>&1 <<'EOF' &
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hh4xqqi4x", fcntl.F_WRLCK, 0, int(sys.argv[2]), 1, 0))
print("held", flush=True)
open(sys.argv[3]).read()      # until the test writes to the fifo
EOF
holder=$!
exec 4>"$T/hold"
_n=0
until grep -q held "$T/holder.out" 2>/dev/null || [ $_n -ge 100 ]; do sleep 0.1; _n=$((_n + 1)); done
contains "the stand-in holds it" "$T/holder.out" '^held$'
printf 'date,indicator,login,value,denominator\n2026-01-07,promo_posts,ana,3,\n' > small.csv
run_fail "another import gives up after --wait" 1 'another import \(batch 2, big.csv\) is being written in parts' \
	--wait 0.3 import measurements small.csv
contains "it says how to wait longer" "$T/err" 'wait longer with --wait'
run_fail "batch rm of it is refused" 1 'batch 2 \(big.csv\) is being imported now' batch rm 2
content killed.db > "$T/killed.sql"
content "$MERIT_DB" > "$T/now.sql"
if cmp -s "$T/killed.sql" "$T/now.sql"; then ok; else fail "refused, but the database changed"; fi
# the server starts beside it, leaves it be, and refuses an upload
serve_start
curl -s -c "$T/jar" -H 'Content-Type: application/json' --max-time 10 \
	--data '{"login":"boss","password":"boss-pass-123"}' "${url}api/login" > "$T/me.json"
csrf=$(sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' "$T/me.json")
[ -n "$csrf" ] && ok || fail "login: $(cat "$T/me.json")"
code=$(curl -s -o "$T/up.json" -w '%{http_code}' -b "$T/jar" -H "X-CSRF-Token: $csrf" \
	-H 'Content-Type: text/csv' --max-time 30 --data-binary @small.csv \
	"${url}api/import?kind=measurements&file=small.csv")
expect "a web upload beside it: 503" "$code" 503
contains "the upload is told to try again" "$T/up.json" 'another import is being written just now; try again when it ends'
serve_stop "merit serve: POST /api/import: another import \\(batch 2, big.csv\\) is being written"
expect "still loading" "$(q "$MERIT_DB" 'select count(*) from loading')" 1
expect "its rows still there" "$(q "$MERIT_DB" 'select count(*) from measurement where batch_id = 2')" "$parts_in"
echo done >&4
exec 4>&-
wait $holder

# ---- d. the next import removes what the dead one wrote ----
run_ok "the next import" import measurements small.csv
contains "it is batch 2" "$T/out" 'as batch 2$'
expect "nothing loading" "$(q "$MERIT_DB" 'select count(*) from loading')" 0
cp base.db clean.db
MERIT_DB=clean.db m import measurements small.csv
content clean.db > "$T/clean.sql"
content "$MERIT_DB" > "$T/now.sql"
if cmp -s "$T/clean.sql" "$T/now.sql"; then ok
else fail "not as if the killed import never ran: $(diff "$T/clean.sql" "$T/now.sql" | head -c 1500)"; fi
run_ok "check after" check

# ---- f. a login added between two parts: the import runs again ----
# A sqlite3 shell takes the write lock between two parts (the loader
# leaves it free after each as long as the part held it) and adds a
# login in it; the loader's next part finds the logins changed, removes
# what it wrote and checks the file again.  The end is as if the login
# had been added first.
awk 'BEGIN { print "date,indicator,login,value,denominator";
	for (i = 0; i < 200000; i++) printf "2027-%02d-%02d,promo_posts,%s,%d,\n", 1 + i % 12,
		1 + i % 28, (i % 2 ? "ana" : "bo"), i % 89 }' > long.csv
addzed="INSERT INTO staff(login, name, position) VALUES ('zed', 'Zed', 'promoter');"
cp base.db ref.db
sqlite3 ref.db "$addzed"
MERIT_DB=ref.db m import measurements long.csv
expect "the reference import" "$rc" 0
cp base.db "$MERIT_DB"
rm -f "$MERIT_DB-wal" "$MERIT_DB-shm"
MERIT_LOAD_PART=2000 "$MERIT" import measurements long.csv >"$T/long.out" 2>&1 &
imp=$!
python3 - "$MERIT_DB" <<'EOF2'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], timeout=5)
for _ in range(40000):
    try:
        if c.execute("SELECT count(*) FROM loading").fetchone()[0]:
            break
    except sqlite3.OperationalError:
        pass
    time.sleep(0.0005)
EOF2
# in one sqlite3 shell: wait for the lock, see the import half-way, add zed
sqlite3 "$MERIT_DB" > "$T/mid.out" 2>&1 <<EOF3
.timeout 20000
BEGIN IMMEDIATE;
SELECT 'loading ' || count(*) FROM loading;
SELECT 'rows ' || count(*) FROM measurement WHERE batch_id = 2;
$addzed
COMMIT;
EOF3
wait $imp
expect "the import, run again: exit" "$?" 0
contains "the shell came in half-way" "$T/mid.out" '^loading 1$'
mid=$(sed -n 's/^rows //p' "$T/mid.out")
if [ "${mid:-0}" -gt 0 ] && [ "$mid" -lt 200000 ]; then ok
else fail "the shell came in with $mid of the 200000 rows in"; fi
contains "it checked again" "$T/long.out" 'another process changed what this import.s checks read .*; checking again'
contains "it says what it imported" "$T/long.out" 'imported 200000 measurements from long.csv as batch 2'
content ref.db > "$T/ref.sql"
content "$MERIT_DB" > "$T/now.sql"
if cmp -s "$T/ref.sql" "$T/now.sql"; then ok
else fail "not as if zed came first: $(diff "$T/ref.sql" "$T/now.sql" | head -c 1500)"; fi

# ---- g. beside a dead one: another batch of its months removed, and a
# cycle of its months closed; then the next import removes it all ----
printf 'date,indicator,login,value,denominator\n2027-03-05,promo_posts,bo,7,\n2027-01-09,promo_posts,bo,3,\n' > mar.csv
cp base.db "$MERIT_DB"
rm -f "$MERIT_DB-wal" "$MERIT_DB-shm"
run_ok "a batch in 2027" import measurements mar.csv
kill_mid
expect "batch 3 loading" "$(q "$MERIT_DB" 'select batch_id from loading')" 3
# the months' totals are summed again from what remains: not its rows
run_ok "batch rm of the other batch of those months" batch rm 2
run_ok "check: the monthly totals equal what merit reads" check
cp base.db plain.db
MERIT_DB=plain.db shown > "$T/shown.plain"
shown > "$T/shown.g"
if cmp -s "$T/shown.plain" "$T/shown.g"; then ok
else fail "after batch rm beside it: $(diff "$T/shown.plain" "$T/shown.g" | head -c 1500)"; fi
run_ok "open 2027-01" cycle open 2027-01
run_ok "review 2027-01" cycle review 2027-01
run_ok "close 2027-01, its rows in it" cycle close 2027-01 --force
run_ok "the next import removes them, closed cycle or not" import measurements small.csv
expect "nothing loading" "$(q "$MERIT_DB" 'select count(*) from loading')" 0
expect "none of its rows" "$(q "$MERIT_DB" 'select count(*) from measurement where batch_id = 3')" 0

# ---- e. batch rm of a dead one ----
cp killed.db "$MERIT_DB"
rm -f "$MERIT_DB-wal" "$MERIT_DB-shm"
run_ok "batch rm of a dead import" batch rm 2
expect "gone" "$(q "$MERIT_DB" 'select count(*) from batch where id = 2')" 0
expect "its rows gone" "$(q "$MERIT_DB" 'select count(*) from measurement where batch_id = 2')" 0
content base.db > "$T/base.sql"
content "$MERIT_DB" > "$T/now.sql"
if cmp -s "$T/base.sql" "$T/now.sql"; then ok
else fail "batch rm left: $(diff "$T/base.sql" "$T/now.sql" | head -c 1500)"; fi

finish

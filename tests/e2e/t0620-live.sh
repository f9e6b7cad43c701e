#!/bin/sh
# Long work beside a live server (issue 11, item 3).  Another process holds
# the write lock (a sqlite3 shell in BEGIN IMMEDIATE, fed through a fifo),
# and no assertion is about time, only about order:
#   a. a CLI write with a short --wait (or $MERIT_WAIT) fails with a
#      message naming the wait and --wait, changing nothing; one with
#      --wait 20 is still waiting while the lock is held and succeeds once
#      it is given back;
#   b. while 10 web writes wait for the lock, a web read is answered 200
#      before any of them is answered, and the writes succeed once the
#      lock is given back;
#   c. during a 4,000,000-row import, ratings posted through the web are
#      all answered 200 (they wait for the import's short write, never 503);
#   d. after that import, under the running server, the -wal is back
#      under 16 MiB;
#   e. an import whose checks passed is checked again when another
#      process closed the cycle while it waited for the lock.
. "$(dirname "$0")/lib.sh"
file_only "a sqlite3 shell holds the file's write lock (the writer's lock held on PostgreSQL: t0731)"

for tool in curl sqlite3 mkfifo; do
	command -v $tool >/dev/null 2>&1 || { fail "$tool is not installed"; finish; exit 1; }
done

run_ok "init" init --goal sales
run_ok "staff boss" staff add boss --name Boss --position manager
run_ok "staff ann" staff add ann --name Ann --position editor --manager boss
printf 'boss-pass-123\n' | "$MERIT" user add boss --role admin >/dev/null 2>&1 || fail "user add"
run_ok "open" cycle open 2026-11

# lock_take — a sqlite3 shell holds the write lock until lock_give
lock_take() {
	rm -f "$T/lockctl"
	mkfifo "$T/lockctl"
	sqlite3 "$MERIT_DB" < "$T/lockctl" > "$T/locker.out" 2>&1 &
	locker=$!
	exec 3>"$T/lockctl"
	printf ".timeout 20000\nBEGIN IMMEDIATE;\n" >&3
	# held when a write that does not wait is refused
	_n=0
	while sqlite3 "$MERIT_DB" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; do
		_n=$((_n + 1))
		[ $_n -lt 400 ] || { fail "the locker did not take the lock"; break; }
		sleep 0.05
	done
}
# lock_give [SQL] — run SQL in the locker's transaction, then commit
lock_give() {
	printf '%s\nCOMMIT;\n' "${1:-}" >&3
	exec 3>&-
	wait $locker
}

# ---- a. CLI writers wait, or say how to ----
lock_take
run_fail "short --wait while locked" 1 'the database is busy' --wait 0.2 staff add bob --name Bob --position editor
contains "says how long it waited" "$T/err" 'waited 0\.2 s'
contains "names --wait" "$T/err" 'wait longer with --wait SECONDS'
MERIT_WAIT=0.1 "$MERIT" staff add bob --name Bob --position editor >"$T/out" 2>"$T/err"
expect "\$MERIT_WAIT 0.1 while locked: exit" "$?" 1
contains "\$MERIT_WAIT: busy" "$T/err" 'waited 0\.1 s'
run_fail "bad --wait" 2 '--wait "soon"' --wait soon staff list
"$MERIT" --wait 20 staff add bob --name Bob --position editor >"$T/bob.out" 2>&1 &
bob=$!
sleep 0.5                 # it has started, and is waiting
if kill -0 $bob 2>/dev/null; then ok; else fail "--wait 20 did not wait: $(cat "$T/bob.out")"; fi
lock_give
wait $bob
expect "--wait 20 succeeds once the lock is given back" "$?" 0
expect "bob added" "$(sqlite3 "$MERIT_DB" "select count(*) from staff where login = 'bob'")" 1

# ---- the server ----
"$MERIT" serve --listen 127.0.0.1:0 2>"$T/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT
serve_wait "$T/serve.log" "$pid"
curl -s -c "$T/jar" -H 'Content-Type: application/json' --max-time 10 \
	--data '{"login":"boss","password":"boss-pass-123"}' "${url}api/login" > "$T/me.json"
csrf=$(sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' "$T/me.json")
[ -n "$csrf" ] && ok || fail "login: $(cat "$T/me.json")"
# post PATH BODY — a change as boss; prints the status
post() {
	curl -s -o /dev/null -w '%{http_code}' -b "$T/jar" -H "X-CSRF-Token: $csrf" \
		-H 'Content-Type: application/json' --max-time 60 --data "$2" "$url$1"
}
rating() { echo "{\"period\":\"2026-11\",\"login\":\"ann\",\"by\":\"manager\",\"criteria\":{\"value\":$1,\"appeal\":4,\"timeliness\":4}}"; }

# ---- b. reads are answered while writes wait ----
lock_take
: > "$T/order"
i=1
while [ $i -le 10 ]; do
	( code=$(post api/record "{\"indicator\":\"online_sales\",\"date\":\"2026-11-0$((i % 9 + 1))\",\"value\":$i,\"login\":null}")
	  echo "w $code" >> "$T/order" ) &
	i=$((i + 1))
done
sleep 1                   # the ten are in, waiting
code=$(curl -s -o "$T/dash" -w '%{http_code}' -b "$T/jar" --max-time 50 "${url}api/dashboard?period=2026-11")
echo "r $code" >> "$T/order"
lock_give
wait_writes() { _n=0; while [ "$(grep -c '^w' "$T/order")" -lt 10 ] && [ $_n -lt 1200 ]; do sleep 0.1; _n=$((_n + 1)); done; }
wait_writes
expect "the read is answered first, 200" "$(head -n 1 "$T/order")" "r 200"
expect "the ten writes, once the lock is back" "$(grep '^w' "$T/order" | sort | uniq -c | sed 's/^ *//')" "10 w 200"
expect "ten records" "$(sqlite3 "$MERIT_DB" "select count(*) from measurement")" 10

# ---- c, d. a long import beside the server ----
# 200 promoters, two indicators each a day: 4,000,000 rows (the import
# held the lock about 7 s before, past the server's 5 s)
awk 'BEGIN { print "BEGIN;"; for (p = 1; p <= 200; p++)
	printf "INSERT INTO staff(login, name, position) VALUES (\x27p%d\x27, \x27P %d\x27, \x27promoter\x27);\n", p, p;
	print "COMMIT;" }' | sqlite3 "$MERIT_DB"
awk 'BEGIN { print "date,indicator,login,value,denominator"; n = 0; N = 4000000;
	for (y = 2027; n < N; y++) for (mo = 1; mo <= 12 && n < N; mo++)
	for (d = 1; d <= 28 && n < N; d++) for (p = 1; p <= 200 && n < N; p++) {
		n += 2; printf "%d-%02d-%02d,promo_posts,p%d,%d,\n%d-%02d-%02d,site_visits,p%d,%d,\n",
			y, mo, d, p, n % 7, y, mo, d, p, n % 11 } }' > big.csv
"$MERIT" import measurements big.csv >"$T/imp.out" 2>&1 &
imp=$!
: > "$T/rates"
posted=0
s=1
while kill -0 $imp 2>/dev/null; do
	echo "$(post api/ratings "$(rating $s)")" >> "$T/rates"
	posted=$((posted + 1))
	s=$((s % 5 + 1))
done
wait $imp
expect "the big import" "$?" 0
[ $posted -ge 1 ] && ok || fail "no rating was posted during the import"
expect "every rating during the import answered 200" "$(sort "$T/rates" | uniq -c | sed 's/^ *//;s/ .*//' | head -n 1)x$(sort -u "$T/rates")" "${posted}x200"
expect "4,000,000 rows" "$(sqlite3 "$MERIT_DB" "select count(*) from measurement")" 4000010
wal=$(stat -c %s "$MERIT_DB-wal" 2>/dev/null || echo 0)
if [ "$wal" -le 16777216 ]; then ok; else fail "the -wal is $wal bytes after the import (over 16 MiB)"; fi

# ---- e. checked again when the cycle closed in between ----
printf 'date,indicator,login,value,denominator\n2026-11-12,online_sales,,5,\n' > nov.csv
lock_take
"$MERIT" --wait 30 import measurements nov.csv >"$T/nov.out" 2>&1 &
nov=$!
sleep 0.5                 # it has read and checked the file, and waits
lock_give "UPDATE cycle SET state = 'closed' WHERE period = '2026-11';"
wait $nov
expect "the import refused" "$?" 1
contains "the cycle closed in between is named" "$T/nov.out" 'cycle 2026-11 is closed; reopen it with'
expect "nothing imported" "$(sqlite3 "$MERIT_DB" "select count(*) from batch where file like '%nov.csv'")" 0

kill -TERM "$pid"; wait "$pid"
expect "the server stops cleanly" "$?" 0
if grep -Eq 'Sanitizer|runtime error|went wrong' "$T/serve.log" "$T/imp.out"; then
	fail "alarming output: $(grep -E 'Sanitizer|runtime error|went wrong' "$T/serve.log" "$T/imp.out" | head -n 5)"
else
	ok
fi
finish

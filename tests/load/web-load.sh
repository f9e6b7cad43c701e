#!/bin/sh
# web-load.sh — `make load` (part of `make check`): `merit serve` under
# read load with writes beside it.
#
# A database of 50 people (a manager, five leads, 44 staff over the sales
# plan's positions) with October (closed) and November (open) measurements
# imported through `merit import measurements`, and two users: admin, who
# reads, and p01, who writes.  Then, for LOAD_SECONDS (default 60):
#   - wrk, 64 connections, rotating between /api/dashboard and
#     /api/scorecard?login=pNN (tests/load/rotate.lua), as admin;
#   - beside it, one writer posting peer ratings of p07..p50 (POST
#     /api/ratings with the CSRF token) as p01, one after another, each
#     with its own comment;
#   - the server's VmRSS sampled every 5 seconds.
# It passes when wrk saw no non-2xx/3xx answer and no socket error (connect,
# read, write or timeout); no rating write failed; every 200 the writer got
# is in the database (the audit log has one "rate" per write, and each
# person's rating holds the last comment written); and the RSS stays flat
# (the last sample at most 1.5x the one at 10 seconds).
#
#   MERIT=./merit LOAD_SECONDS=60 sh tests/load/web-load.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MERIT=${MERIT:-$here/../../merit}
SECS=${LOAD_SECONDS:-60}
CONNS=${LOAD_CONNECTIONS:-64}
THREADS=${LOAD_THREADS:-2}
PERIOD=2026-11

for tool in wrk curl sqlite3; do
	command -v $tool >/dev/null 2>&1 || { echo "web-load: $tool is missing (sh scripts/install-deps.sh)" >&2; exit 1; }
done
[ -x "$MERIT" ] || { echo "web-load: no merit at $MERIT (make merit)" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/merit-load.XXXXXX")
SERVER="" WRITER="" SAMPLER="" WRK=""
cleanup() {
	for p in $WRK $WRITER $SAMPLER $SERVER; do
		kill "$p" 2>/dev/null || true
	done
	for p in $WRK $WRITER $SAMPLER $SERVER; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
DB=$W/merit.db

# ---- the organisation ----
. "$here/org.sh"
make_org "$DB"
rows=$(sqlite3 "$DB" 'select count(*) from measurement')

# ---- the server ----
"$MERIT" --db "$DB" serve --listen 127.0.0.1:0 2> "$W/serve.log" &   # not through m(): $! must be merit
SERVER=$!
URL=""
n=0
while [ -z "$URL" ] && [ $n -lt 100 ]; do
	URL=$(sed -n 's/^merit: serving \(http:[^ ]*\).*/\1/p' "$W/serve.log" 2>/dev/null | head -n 1)
	URL=${URL%/}
	kill -0 "$SERVER" 2>/dev/null || { cat "$W/serve.log" >&2; echo "web-load: the server did not start" >&2; exit 1; }
	[ -n "$URL" ] || sleep 0.1
	n=$((n + 1))
done
[ -n "$URL" ] || { cat "$W/serve.log" >&2; echo "web-load: the server did not say where it listens" >&2; exit 1; }

login() { # $1 login, $2 password, $3 cookie jar -> prints the CSRF token
	curl -sf -c "$3" -H 'Content-Type: application/json' \
	     --data "{\"login\":\"$1\",\"password\":\"$2\"}" "$URL/api/login" |
		sed -n 's/.*"csrf": *"\([^"]*\)".*/\1/p'
}
login admin admin-password-1 "$W/admin.jar" >/dev/null
wcsrf=$(login p01 writer-password-1 "$W/writer.jar")
[ -n "$wcsrf" ] || { echo "web-load: the writer could not log in" >&2; exit 1; }
cookie="merit_session=$(awk '$6 == "merit_session" { print $7 }' "$W/admin.jar")"
[ "$cookie" != "merit_session=" ] || { echo "web-load: admin could not log in" >&2; exit 1; }
# both routes answer before the load starts
for path in "/api/dashboard?period=$PERIOD" "/api/scorecard?period=$PERIOD&login=p07"; do
	code=$(curl -s -o "$W/probe.out" -w '%{http_code}' -H "Cookie: $cookie" "$URL$path")
	[ "$code" = 200 ] || { echo "web-load: GET $path -> $code: $(head -c 300 "$W/probe.out")" >&2; exit 1; }
done

# ---- RSS every 5 seconds ----
(
	t=0
	while [ ! -e "$W/stop" ] && [ -r "/proc/$SERVER/status" ]; do
		echo "$t $(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER/status")" >> "$W/rss.txt"
		sleep 5
		t=$((t + 5))
	done
) &
SAMPLER=$!

# ---- the writer ----
(
	i=0
	while [ ! -e "$W/stop" ]; do
		i=$((i + 1))
		n=$(( i % 44 + 7 ))
		login=$(printf 'p%02d' $n)   # not p01's own reports: peers
		# the first criterion of the person's position (org.sh: in turn)
		crit=$(echo value analysis visual technology running | cut -d' ' -f$(( (n - 2) % 5 + 1 )))
		s=$(( i % 9 ))
		stars="$(( s / 2 + 1 )).$(( s % 2 * 5 ))"
		code=$(curl -s -o "$W/write.out" -w '%{http_code}' -b "$W/writer.jar" \
		       -H "X-CSRF-Token: $wcsrf" -H 'Content-Type: application/json' \
		       --data "{\"period\":\"$PERIOD\",\"login\":\"$login\",\"by\":\"peer\",\"criteria\":{\"$crit\":$stars},\"comment\":\"w$i\"}" \
		       "$URL/api/ratings" || echo 000)
		if [ "$code" = 200 ]; then
			echo "$login $stars w$i" >> "$W/writes.txt"
		else
			echo "w$i $login: $code $(head -c 300 "$W/write.out" 2>/dev/null)" >> "$W/write-errors.txt"
		fi
	done
) &
WRITER=$!

# ---- the readers ----
MERIT_COOKIE=$cookie MERIT_PERIOD=$PERIOD MERIT_PEOPLE=50 \
	wrk -t "$THREADS" -c "$CONNS" -d "${SECS}s" --timeout 5s --latency \
	    -s "$here/rotate.lua" "$URL" > "$W/wrk.txt" 2>&1 &
WRK=$!
wait "$WRK" || { cat "$W/wrk.txt" >&2; echo "web-load: wrk failed" >&2; exit 1; }
WRK=""
touch "$W/stop"
wait "$WRITER" 2>/dev/null || true
WRITER=""
wait "$SAMPLER" 2>/dev/null || true
SAMPLER=""
echo "$((SECS)) $(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER/status")" >> "$W/rss.txt"
kill "$SERVER"
wait "$SERVER" || true
SERVER=""

# ---- the verdict ----
fail=0
rps=$(awk '/^Requests\/sec:/ { print $2 }' "$W/wrk.txt")
p50=$(awk '$1 == "50%" { print $2 }' "$W/wrk.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk.txt")
total=$(awk '/requests in/ { print $1 }' "$W/wrk.txt")
if grep -q 'Non-2xx or 3xx responses' "$W/wrk.txt"; then
	echo "web-load: FAIL: $(grep 'Non-2xx or 3xx responses' "$W/wrk.txt")"
	fail=1
fi
if grep -q 'Socket errors' "$W/wrk.txt"; then
	echo "web-load: FAIL: $(grep 'Socket errors' "$W/wrk.txt")"
	fail=1
fi
ok=0
[ -f "$W/writes.txt" ] && ok=$(wc -l < "$W/writes.txt")
bad=0
[ -f "$W/write-errors.txt" ] && bad=$(wc -l < "$W/write-errors.txt")
if [ "$bad" -gt 0 ]; then
	echo "web-load: FAIL: $bad rating writes were refused; the first and last:"
	head -n 3 "$W/write-errors.txt"
	tail -n 2 "$W/write-errors.txt"
	fail=1
fi
audited=$(sqlite3 "$DB" "select count(*) from audit where action = 'rate'")
if [ "$audited" != "$ok" ]; then
	echo "web-load: FAIL: the writer got $ok answers 200, the audit log has $audited ratings"
	fail=1
fi
# each person's peer rating by p01 holds the last write to them
awk '{ last[$1] = $2 " " $3 } END { for (l in last) print l, last[l] }' "$W/writes.txt" 2>/dev/null |
	sort > "$W/expected.txt" || true
sqlite3 -separator ' ' "$DB" "select login, printf('%.1f', stars), comment from rating
	where period = '$PERIOD' and rater = 'p01' and kind = 'peer' order by login" |
	sort > "$W/actual.txt"
if ! cmp -s "$W/expected.txt" "$W/actual.txt"; then
	echo "web-load: FAIL: the ratings in the database are not the last ones written:"
	diff "$W/expected.txt" "$W/actual.txt" | head -n 10
	fail=1
fi
rss10=$(awk '$1 <= 10 { v = $2 } END { print v }' "$W/rss.txt")
rsslast=$(tail -n 1 "$W/rss.txt" | cut -d' ' -f2)
samples=$(awk '{ printf "%s%ss:%dM", sep, $1, $2 / 1024; sep = " " }' "$W/rss.txt")
if [ "$(echo "$rsslast > 1.5 * $rss10" | bc)" = 1 ]; then
	echo "web-load: FAIL: RSS grew from ${rss10} KiB at 10 s to ${rsslast} KiB"
	fail=1
fi
echo "web-load: ${SECS}s, $CONNS connections, $(nproc) cores, $rows measurements, 50 people"
echo "  reads:  $total requests, $rps requests/s, latency p50 $p50, p99 $p99"
echo "  writes: $ok ratings answered 200 ($bad refused), $audited in the audit log"
echo "  RSS:    $samples"
if [ $fail -ne 0 ]; then
	echo "--- wrk ---"
	cat "$W/wrk.txt"
	echo "--- server log (tail) ---"
	tail -n 20 "$W/serve.log"
	exit 1
fi
echo "web-load: ok"

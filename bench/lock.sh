#!/bin/sh
# bench/lock.sh — a long import beside a live server (run by bench/run.sh;
# alone: MERIT=./merit sh bench/lock.sh).
#
# The 50-person organisation of tests/load/org.sh under `merit serve`,
# then `merit import` of 3,000,000 measurement rows, and of an orders
# export of 3,000,000 rows.  For each:
#   - the write-lock hold time, measured from outside: a second process
#     (Python's sqlite3) tries BEGIN IMMEDIATE with no wait every
#     millisecond through the import; the longest run of refusals is the
#     longest time the lock was held (resolution about 1 ms).  Goal: under
#     1 second.
#   - the p99 latency of the authenticated scorecard API under wrk
#     (1 thread, 4 connections) while the import runs, against the same
#     on the idle server.
#   - the -wal's size after the import (cut back to 0 past 16 MiB).
# And the same for `merit ingest` of 1,000,000 access-log lines, which
# still checks and writes under the lock.  Last, the floor: the same
# 3,000,000 measurement rows copied by SQLite alone (INSERT … SELECT
# from a temporary table, one transaction, on a copy of the database) —
# the least any one transaction that writes them can hold the lock.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MERIT=${MERIT:-$here/../merit}
W=$(mktemp -d "${TMPDIR:-/tmp}/merit-bench-lock.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"

for tool in wrk curl python3; do
	command -v $tool >/dev/null 2>&1 || { echo "lock hold: $tool not installed: skipped"; exit 0; }
done
. "$here/../tests/load/org.sh"
mkdir -p web
make_org "$W/web/merit.db"
db=$W/web/merit.db

# 3,000,000 measurement rows: 49 people x 5 indicators a day, 2027 on
awk 'BEGIN { print "date,indicator,login,value,denominator"; n = 0;
	split("promo_posts site_visits keyword_rank online_customers content_updates", ind, " ");
	for (y = 2027; n < 3000000; y++) for (mo = 1; mo <= 12 && n < 3000000; mo++)
	for (d = 1; d <= 28 && n < 3000000; d++) for (p = 2; p <= 50 && n < 3000000; p++)
	for (k = 1; k <= 5 && n < 3000000; k++) {
		printf "%d-%02d-%02d,%s,p%02d,%d,\n", y, mo, d, ind[k], p, (p * k + d) % 9; n++ } }' > m.csv
# an orders export of 3,000,000 rows: 100,000 customers, from 2027 on
awk 'BEGIN { print "date,order,customer,total,refunded,status,source,campaign,landing,currency";
	n = 0;
	for (y = 2027; n < 3000000; y++) for (mo = 1; mo <= 12 && n < 3000000; mo++)
	for (d = 1; d <= 28 && n < 3000000; d++) for (i = 0; i < 1000 && n < 3000000; i++) {
		n++; printf "%d-%02d-%02d,#%d,c%d@example.invalid,%d.%02d,,paid,web,,,CNY\n",
			y, mo, d, n, n % 100000, 10 + n % 200, n % 100 } }' > o.csv

. "$here/lib.sh"
serve_up "$db" web/serve.log
trap 'kill $web_pid 2>/dev/null || true; wait $web_pid 2>/dev/null || true; rm -rf "$W"' EXIT
api="/api/scorecard?period=2026-11&login=p07"
p99ms() { awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
	print (u == "us" ? v / 1000 : u == "s" ? v * 1000 : v) }' "$1"; }
wrk -t 1 -c 4 -d 2s -H "Cookie: $cookie" "$url$api" >/dev/null 2>&1    # warm
wrk -t 1 -c 4 -d 5s --latency -H "Cookie: $cookie" "$url$api" > web/idle.wrk 2>&1

# prober STOPFILE — the longest and total time BEGIN IMMEDIATE was refused
cat > probe.py <<'PY'
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
longest = total = 0.0
start = None
while not os.path.exists(sys.argv[2]):
    t = time.monotonic()
    try:
        c.execute("BEGIN IMMEDIATE")
        c.execute("ROLLBACK")
        if start is not None:
            longest = max(longest, t - start)
            total += t - start
            start = None
    except sqlite3.OperationalError:
        if start is None:
            start = t
    time.sleep(0.001)
print("%.3f %.3f" % (longest, total))
PY

# one WHAT FILE — `merit import WHAT FILE` (or `merit ingest FILE` when WHAT
# is logs) beside the server; prints the figures
one() {
	rm -f stop
	python3 probe.py "$db" stop > probe.out &
	probe_pid=$!
	wrk -t 1 -c 4 -d 120s --latency -H "Cookie: $cookie" "$url$api" > web/busy.wrk 2>&1 &
	wrk_pid=$!
	sleep 0.5
	t0=$(now)
	if [ "$1" = logs ]; then
		"$MERIT" --db "$db" ingest "$2" >/dev/null 2>&1
	else
		"$MERIT" --db "$db" import "$1" "$2" >/dev/null 2>&1
	fi
	t1=$(now)
	kill -INT $wrk_pid; wait $wrk_pid || true
	touch stop; wait $probe_pid
	wal=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
	set -- "$1" "$(($(wc -l < "$2") - 1))" "$(echo "$t1 - $t0" | bc -l)" $(cat probe.out)
	printf '%s rows of %s beside serve: %.2f s in all, write lock held at most %s s (%s s in all; goal < 1 s); scorecard p99 %s ms during it, %s ms idle; -wal after %s bytes\n' \
		"$2" "$1" "$3" "$4" "$5" "$(p99ms web/busy.wrk)" "$(p99ms web/idle.wrk)" "$wal"
}
. "$here/loggen.sh"
loggen combined 1000000 > access.log
one measurements m.csv
one orders o.csv
one logs access.log
# the floor: SQLite alone writing the measurements import's rows again
python3 - "$db" floor.db <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[2], isolation_level=None)
sqlite3.connect(sys.argv[1]).backup(c)    # a consistent copy: serve still runs
c.execute("PRAGMA cache_size = -65536")
b = c.execute("SELECT max(id) FROM batch WHERE file = 'm.csv'").fetchone()[0]
c.execute("CREATE TEMP TABLE t AS SELECT batch_id, subject_id, day, value, denominator, line"
          " FROM measurement WHERE batch_id = ?", (b,))
n = c.execute("SELECT count(*) FROM t").fetchone()[0]
t0 = time.monotonic()
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO measurement(batch_id, subject_id, day, value, denominator, line)"
          " SELECT * FROM t")
c.execute("COMMIT")
print("floor: SQLite alone writes the same %d measurement rows in one transaction in %.2f s"
      % (n, time.monotonic() - t0))
PY

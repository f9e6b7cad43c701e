#!/bin/sh
# bench/run.sh — `make bench`: merit's speed goals, measured side by side.
#
# 1. Import 1,000,000 measurement rows with `merit import measurements`,
#    against sqlite3's own `.import` of the same CSV into a plain table.
#    Goal: within 1.5x.
# 2. Score a year for 1,000 people with 14 indicators and daily
#    measurements (5,110,000 rows).  Goal: under 1 second; memory stated.
# 3. Ingest 2,000,000 generated access-log lines, against goaccess.
#    Goal: at least 30x its lines per second, peak under 64 MiB.  Then
#    every format GoAccess predefines, 1,000,000 lines each
#    (bench/logformats.sh): at least 20x goaccess on each.  And the memory
#    a distinct visitor of a day costs (bench/visitors.sh), stated.
# 4. The authenticated scorecard API of `merit serve` under wrk, side by
#    side with nginx serving the same bytes (bench/web.sh).  Goal: at
#    least 0.5x nginx's requests per second, p99 under 10 ms.  And
#    GET /api/batches with 200 people and 2000 batches (bench/batches.sh):
#    medians, stated.
# 5. `merit report` in every format for 1,000 people (bench/report.sh).
#    Goal: under 2 seconds each; memory stated.
# 6. A 3,000,000-row import (measurements, and an orders export) beside
#    `merit serve` (bench/lock.sh): the write lock's longest hold, measured
#    from outside, goal under 1 second; the scorecard API's p99 during the
#    import against the idle server's; the -wal's size after.
# 7. On PostgreSQL (bench/pg.sh): 1,000,000 measurement rows through merit
#    against psql's \copy (goal within 1.5x), a year scored for 1,000
#    people (goal under 1 s), the scorecard API against SQLite's (goal at
#    least 0.5x).
#
# Timings are wall-clock seconds, best of 3.  Not part of `make check`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MERIT=${MERIT:-$here/../merit}
W=$(mktemp -d "${TMPDIR:-/tmp}/merit-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"

. "$here/lib.sh"
. "$here/loggen.sh"

# ---- a plan with one position of 14 indicators ----
bench_plan > plan.yaml

setup_db() { # $1 = db, $2 = people
	rm -f "$1" "$1-wal" "$1-shm"
	"$MERIT" --db "$1" init --goal none >/dev/null
	"$MERIT" --db "$1" plan import plan.yaml >/dev/null
	awk -v n="$2" 'BEGIN { print "BEGIN;"; for (p = 1; p <= n; p++)
		printf "INSERT INTO staff(login, name, position) VALUES (\x27p%d\x27, \x27Person %d\x27, \x27analyst\x27);\n", p, p;
		print "COMMIT;" }' | sqlite3 "$1"
}

echo "merit bench ($(nproc) cores, $(sqlite3 --version | cut -d' ' -f1) sqlite)"

# ---- 1. import ----
awk 'BEGIN { print "date,indicator,login,value,denominator";
	for (d = 0; d < 100; d++) for (p = 1; p <= 1000; p++) for (k = 1; k <= 10; k++)
		printf "2026-%02d-%02d,i%d,p%d,%d,\n", 1 + int(d / 28), 1 + d % 28, k, p, (p * k + d) % 9 }' > m1.csv
rows=$(($(wc -l < m1.csv) - 1))
setup_db base.db 1000
ours=$(best3 "cp base.db a.db; rm -f a.db-wal a.db-shm" "'$MERIT' --db a.db import measurements m1.csv")
peer=$(best3 "rm -f p.db" "sqlite3 p.db 'CREATE TABLE m(date TEXT, indicator TEXT, login TEXT, value REAL, denominator REAL)' '.mode csv' '.import --skip 1 m1.csv m'")
cp base.db a.db; rm -f a.db-wal a.db-shm
mem=$(peak_kib "$MERIT" --db a.db import measurements m1.csv)
echo "import $rows rows:  merit ${ours}s  sqlite3 .import ${peer}s  ratio $(echo "$ours / $peer" | bc -l | cut -c1-4)x  (goal <= 1.5x)  merit peak ${mem} KiB"
# Wall time on a shared VM is noisy; instructions are not.
if command -v valgrind >/dev/null 2>&1; then
	head -n 100001 m1.csv > m100k.csv
	cp base.db a.db; rm -f a.db-wal a.db-shm p.db
	ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | sed -n 's/.*Collected : //p'; }
	a=$(ir "$MERIT" --db a.db import measurements m100k.csv)
	b=$(ir sqlite3 p.db 'CREATE TABLE m(date TEXT, indicator TEXT, login TEXT, value REAL, denominator REAL)' '.mode csv' '.import --skip 1 m100k.csv m')
	echo "import 100000 rows, instructions (callgrind):  merit $a  sqlite3 $b  ratio $(echo "$a / $b" | bc -l | cut -c1-4)x"
fi

# ---- 2. scoring a year ----
awk 'BEGIN { print "date,indicator,login,value,denominator";
	split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " ");
	for (m = 1; m <= 12; m++) for (d = 1; d <= ml[m]; d++) for (p = 1; p <= 1000; p++) for (k = 1; k <= 14; k++)
		printf "2026-%02d-%02d,i%d,p%d,%d,\n", m, d, k, p, (p + k * d) % 10 }' > year.csv
setup_db year.db 1000
"$MERIT" --db year.db import measurements year.csv >/dev/null
yrows=$(sqlite3 year.db 'select count(*) from measurement')
score=$(best3 true "'$MERIT' --db year.db score 2026 --json")
smem=$(peak_kib "$MERIT" --db year.db score 2026 --json)
echo "score a year, 1000 people x 14 indicators ($yrows rows):  ${score}s  (goal < 1s)  peak ${smem} KiB"

# ---- 3. web access logs, side by side with goaccess ----
# A generated combined log of 2,000,000 lines over 10 days: about 40,000
# visitors a day, crawlers (Googlebot, bingbot, curl), campaign and channel
# query strings, referrers, static files, 404s.  merit ingest against
# goaccess (log format COMBINED, JSON report) on the same file, each the
# best of 3 runs.  Goal: at least 30x goaccess's lines per second, peak under 64 MiB.
loggen combined 2000000 > access.log
lines=$(wc -l < access.log)
setup_log="rm -f l.db l.db-wal l.db-shm; '$MERIT' --db l.db init --goal brand; '$MERIT' --db l.db staff add lina --name Lina --position promoter; '$MERIT' --db l.db own channel weibo --who lina"
ours=$(best3 "$setup_log" "'$MERIT' --db l.db ingest access.log")
sh -c "$setup_log" >/dev/null 2>&1
lmem=$(peak_kib "$MERIT" --db l.db ingest access.log)
if command -v goaccess >/dev/null 2>&1; then
	ga=$(best3 : "goaccess access.log --log-format=COMBINED --no-global-config -o ga.json")
	gmem=$(peak_kib goaccess access.log --log-format=COMBINED --no-global-config -o ga.json)
	echo "ingest $lines log lines:  merit ${ours}s ($(echo "$lines / $ours" | bc) lines/s, peak ${lmem} KiB)  goaccess $(printf '%.3f' "$ga")s ($(echo "$lines / $ga" | bc) lines/s, peak ${gmem} KiB)  ratio $(echo "$ga / $ours" | bc -l | cut -c1-5)x  (goal >= 30x, merit peak < 65536 KiB)"
else
	echo "ingest $lines log lines:  merit ${ours}s ($(echo "$lines / $ours" | bc) lines/s, peak ${lmem} KiB)  (goaccess not installed: no comparison)"
fi

MERIT="$MERIT" sh "$here/logformats.sh"
MERIT="$MERIT" sh "$here/visitors.sh"

# ---- 4. the web API, side by side with nginx ----
MERIT="$MERIT" sh "$here/web.sh"
# and the batches list of a team of 200 with 2000 batches (medians, stated)
MERIT="$MERIT" sh "$here/batches.sh"

# ---- 5. reports for 1,000 people ----
MERIT="$MERIT" sh "$here/report.sh"

# ---- 6. a long import beside a live server ----
MERIT="$MERIT" sh "$here/lock.sh"

# ---- 7. on PostgreSQL ----
MERIT="$MERIT" sh "$here/pg.sh"


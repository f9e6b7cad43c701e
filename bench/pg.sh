#!/bin/sh
# bench/pg.sh — merit on PostgreSQL, side by side (run by bench/run.sh;
# alone, as root: MERIT=./merit sh bench/pg.sh).  A throwaway PostgreSQL
# 15 cluster (tests/pg/cluster.sh: fsync off, a Unix socket).
#
# 1. 1,000,000 measurement rows imported through merit (COPY, the rollup,
#    the checks) against psql's \copy of the same rows into a plain table.
#    Goal: within 1.5x.
# 2. A year scored for 1,000 people with 14 indicators (5,110,000 rows,
#    copied there with `merit db copy`).  Goal: under 1 second.
# 3. The authenticated scorecard API under wrk (2 threads, 64 connections,
#    10 s) with the database on PostgreSQL, against the same on SQLite.
#    Goal: at least 0.5x SQLite's requests per second.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MERIT=${MERIT:-$here/../merit}
W=$(mktemp -d "${TMPDIR:-/tmp}/merit-bench-pg.XXXXXX")
chmod 711 "$W"
. "$here/lib.sh"
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
	echo "postgresql: PostgreSQL 15 not installed (scripts/install-deps.sh check): skipped"
	exit 0
fi
U=$(sh "$here/../tests/pg/cluster.sh" start "$W/pg")
trap 'kill ${web_pid:-} 2>/dev/null || true; sh "$here/../tests/pg/cluster.sh" stop "$W/pg"; rm -rf "$W"' EXIT
cd "$W"
db() { psql "$U" -X -q -t -A -v ON_ERROR_STOP=1 -c "$1"; }
url_of() { echo "${U%/merit}/$1"; }

# ---- a plan with one position of 14 indicators ----
bench_plan > plan.yaml
# fresh.sh NAME: an empty database NAME with merit's schema, the plan and
# 1,000 people (as a script: best3 runs its set-up in a shell of its own)
cat > fresh.sh <<EOF
set -e
psql '$U' -X -q -c "DROP DATABASE IF EXISTS \$1" >/dev/null 2>&1
psql '$U' -X -q -c "CREATE DATABASE \$1"
u='${U%/merit}'/\$1
'$MERIT' --db "\$u" init --goal none >/dev/null
'$MERIT' --db "\$u" plan import plan.yaml >/dev/null
awk 'BEGIN { for (p = 1; p <= 1000; p++) printf "p%d,Person %d,analyst\\n", p, p }' > staff.csv
psql "\$u" -X -q -v ON_ERROR_STOP=1 -c "\\\\copy staff(login, name, position) FROM 'staff.csv' CSV"
EOF
cat > plain.sh <<EOF
psql '$U' -X -q -c 'DROP TABLE IF EXISTS m'
psql '$U' -X -q -c 'CREATE TABLE m(date TEXT, indicator TEXT, login TEXT, value DOUBLE PRECISION, denominator DOUBLE PRECISION)'
EOF
cat > copy.sh <<EOF
psql '$U' -X -q -c "\\\\copy m FROM 'm1.csv' CSV HEADER"
EOF

# ---- 1. import ----
awk 'BEGIN { print "date,indicator,login,value,denominator";
	for (d = 0; d < 100; d++) for (p = 1; p <= 1000; p++) for (k = 1; k <= 10; k++)
		printf "2026-%02d-%02d,i%d,p%d,%d,\n", 1 + int(d / 28), 1 + d % 28, k, p, (p * k + d) % 9 }' > m1.csv
rows=$(($(wc -l < m1.csv) - 1))
ours=$(best3 "sh fresh.sh imp" "'$MERIT' --db '$(url_of imp)' import measurements m1.csv")
peer=$(best3 "sh plain.sh" "sh copy.sh")
n=$(psql "$(url_of imp)" -X -q -t -A -c 'SELECT count(*) FROM measurement')
[ "$n" = "$rows" ] || echo "postgresql: the import left $n rows, not $rows"
# and psql's \copy of the rows as merit wrote them into merit's own table
# (its keys, indexes, reference and triggers), in the same database
# (the ids given, after merit's: merit numbers them itself, as SQLite does)
top=$(psql "$(url_of imp)" -X -q -t -A -c 'SELECT max(id) FROM measurement')
psql "$(url_of imp)" -X -q -c "\\copy (SELECT id + $top, batch_id, subject_id, day, value, denominator, line FROM measurement) TO 'own.tsv'"
cat > own.sh <<EOF
psql '$(url_of imp)' -X -q -c "\\\\copy measurement(id, batch_id, subject_id, day, value, denominator, line) FROM 'own.tsv'"
EOF
own=$(best3 "psql '$(url_of imp)' -X -q -c 'DELETE FROM measurement WHERE id > $top'" "sh own.sh")
printf 'postgresql: import %s rows:  merit %ss  psql copy into a plain table %ss  ratio %sx  (goal <= 1.5x);  psql copy into merit'"'"'s measurement table %ss  ratio %sx\n' \
	"$rows" "$ours" "$peer" "$(echo "$ours / $peer" | bc -l | cut -c1-4)" "$own" "$(echo "$ours / $own" | bc -l | cut -c1-4)"

# ---- 2. a year scored ----
awk 'BEGIN { print "date,indicator,login,value,denominator";
	split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " ");
	for (m = 1; m <= 12; m++) for (d = 1; d <= ml[m]; d++) for (p = 1; p <= 1000; p++) for (k = 1; k <= 14; k++)
		printf "2026-%02d-%02d,i%d,p%d,%d,\n", m, d, k, p, (p + k * d) % 10 }' > year.csv
"$MERIT" --db year.db init --goal none >/dev/null
"$MERIT" --db year.db plan import plan.yaml >/dev/null
awk 'BEGIN { print "BEGIN;"; for (p = 1; p <= 1000; p++)
	printf "INSERT INTO staff(login, name, position) VALUES (\x27p%d\x27, \x27Person %d\x27, \x27analyst\x27);\n", p, p;
	print "COMMIT;" }' | sqlite3 year.db
"$MERIT" --db year.db import measurements year.csv >/dev/null
db "CREATE DATABASE year"
"$MERIT" --db year.db db copy --to "$(url_of year)" >/dev/null
yrows=$(psql "$(url_of year)" -X -q -t -A -c 'SELECT count(*) FROM measurement')
score=$(best3 true "'$MERIT' --db '$(url_of year)' score 2026 --json")
lite=$(best3 true "'$MERIT' --db year.db score 2026 --json")
"$MERIT" --db "$(url_of year)" score 2026 --json > pg.json
"$MERIT" --db year.db score 2026 --json > lite.json
same=$(cmp -s pg.json lite.json && echo "the same JSON" || echo "DIFFERENT JSON")
echo "postgresql: score a year, 1000 people x 14 indicators ($yrows rows):  ${score}s  (SQLite ${lite}s; $same)  (goal < 1s)"

# ---- 3. the scorecard API ----
if command -v wrk >/dev/null 2>&1 && command -v curl >/dev/null 2>&1; then
	. "$here/../tests/load/org.sh"
	mkdir -p web
	make_org "$W/web/merit.db"
	db "CREATE DATABASE web"
	"$MERIT" --db web/merit.db db copy --to "$(url_of web)" >/dev/null
	api="/api/scorecard?period=2026-11&login=p07"
	rps() { awk '/^Requests\/sec:/ { printf "%d", $2 }' "$1"; }
	p99ms() { awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
		print (u == "us" ? v / 1000 : u == "s" ? v * 1000 : v) }' "$1"; }
	for e in sqlite pg; do
		[ $e = sqlite ] && where=web/merit.db || where=$(url_of web)
		serve_up "$where" web/$e.log
		wrk -t 2 -c 64 -d 2s -H "Cookie: $cookie" "$url$api" >/dev/null 2>&1
		wrk -t 2 -c 64 -d 10s --latency -H "Cookie: $cookie" "$url$api" > web/$e.wrk 2>&1
		kill $web_pid; wait $web_pid 2>/dev/null || true; web_pid=""
	done
	s=$(rps web/sqlite.wrk); p=$(rps web/pg.wrk)
	echo "postgresql: scorecard API, 64 connections:  on PostgreSQL $p req/s p99 $(p99ms web/pg.wrk) ms  on SQLite $s req/s p99 $(p99ms web/sqlite.wrk) ms  ratio $(echo "$p / $s" | bc -l | cut -c1-4)x  (goal >= 0.5x)"
else
	echo "postgresql: scorecard API: wrk or curl not installed: skipped"
fi

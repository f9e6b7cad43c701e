# kill -9 in the middle of a large import leaves the database as it was
# (or, between two of its parts, with what it wrote unread), and the next
# import works (removing that first).
. "$(dirname "$0")/lib.sh"
file_only "kill -9 of a SQLite import and its parts (on PostgreSQL: t0731)"

run_ok "init" init --goal sales
run_ok "staff" staff add ana --name Ana --position promoter
printf 'date,indicator,login,value,denominator\n2026-01-30,promo_posts,ana,1,\n' > small.csv
run_ok "first import" import measurements small.csv
awk 'BEGIN { print "date,indicator,login,value,denominator";
	for (i = 0; i < 1500000; i++) printf "2026-%02d-%02d,promo_posts,ana,%d,\n", 1 + int(i / 125000), 1 + i % 28, i % 9 }' > big.csv
before=$(dump)
before_batches=$("$MERIT" batches 2>&1)
before_score=$("$MERIT" score 2026-03 --csv 2>&1)
killed=0
for attempt in 1 2 3; do
	"$MERIT" import measurements big.csv >/dev/null 2>&1 &
	pid=$!
	# wait until it is writing (its WAL grows), then kill it hard
	i=0
	while [ $i -lt 400 ]; do
		size=$(stat -c %s "$MERIT_DB-wal" 2>/dev/null || echo 0)
		[ "$size" -gt 4000000 ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.02
		i=$((i + 1))
	done
	if kill -9 $pid 2>/dev/null; then
		wait $pid 2>/dev/null
		killed=1
		break
	fi
	wait $pid 2>/dev/null
	# it finished before we could kill it: undo and try again
	"$MERIT" batch rm 2 >/dev/null 2>&1
done
expect "killed mid-import" "$killed" "1"
expect "integrity" "$(sqlite3 "$MERIT_DB" 'pragma integrity_check')" "ok"
# killed between two of its parts (250,000 rows each), what it wrote is
# marked loading and nobody reads it: merit sees the database as before
if [ "$(sqlite3 "$MERIT_DB" 'select count(*) from loading')" = 0 ]; then
	expect "unchanged after kill -9" "$(dump)" "$before"
else
	expect "merit reads it as before: batches" "$("$MERIT" batches 2>&1)" "$before_batches"
	expect "merit reads it as before: score" "$("$MERIT" score 2026-03 --csv 2>&1)" "$before_score"
fi
run_ok "next import works" import measurements big.csv
contains "all rows" "$T/out" "imported 1500000 measurements"
expect "counted" "$(sqlite3 "$MERIT_DB" 'select count(*) from measurement')" "1500001"
expect "nothing left loading" "$(sqlite3 "$MERIT_DB" 'select count(*) from loading')" "0"

finish

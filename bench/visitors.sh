#!/bin/sh
# bench/visitors.sh — the memory a distinct visitor of a day costs
# `merit ingest` (run by run.sh; MERIT names the binary).  Two logs of N
# lines (default 2,000,000) on one day, byte for byte the same length:
# one with N distinct visitors (a user agent each), one with 1,000.  The
# difference of their peaks (/usr/bin/time %M), divided by the difference
# of distinct visitors, is what one adds to the process's peak.  That
# peak comes when the line fingerprints are stored, after the visitor set
# is gone, so it hides most of the set's cost; with valgrind installed the
# set's own peak is measured too (massif, every snapshot detailed, on the
# first 500,000 lines: the allocations made in log_day.c and the row
# packed for the store).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MERIT=${MERIT:-$here/../merit}
N=${1:-2000000}
W=$(mktemp -d "${TMPDIR:-/tmp}/merit-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"
. "$here/lib.sh"

# vlog V — N lines over one day, visitor i % V (all from one address)
vlog() {
	awk -v n="$N" -v v="$1" 'BEGIN { for (i = 0; i < n; i++) { s = int(i * 86400 / n);
		printf "10.0.0.1 - - [05/Nov/2026:%02d:%02d:%02d +0000] \"GET /p HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0 v%09d\"\n",
			int(s / 3600), int(s / 60) % 60, s % 60, i % v } }'
}
vlog "$N" >many.log
vlog 1000 >few.log
run() { # LOG — peak KiB of ingesting LOG into a new database
	rm -f v.db v.db-wal v.db-shm
	"$MERIT" --db v.db init --goal brand >/dev/null
	peak_kib "$MERIT" --db v.db ingest "$1"
}
best() { # LOG — the lowest peak of 3 runs
	b=""
	for i in 1 2 3; do
		k=$(run "$1")
		if [ -z "$b" ] || [ "$k" -lt "$b" ]; then b=$k; fi
	done
	echo "$b"
}
few=$(best few.log)
many=$(best many.log)
visitors=$(sqlite3 v.db 'SELECT sum(visitors) FROM traffic')
echo "visitor set: $visitors distinct visitors in a day, peak ${many} KiB; 1000, peak ${few} KiB:" \
	"$(echo "($many - $few) * 1024 / ($visitors - 1000)" | bc) bytes per distinct visitor"
if command -v valgrind >/dev/null 2>&1; then
	head -n 500000 many.log >m500k.log
	rm -f v.db v.db-wal v.db-shm
	"$MERIT" --db v.db init --goal brand >/dev/null
	valgrind --tool=massif --detailed-freq=1 --massif-out-file=ms.out "$MERIT" --db v.db \
		ingest m500k.log >/dev/null 2>&1
	ms_print --threshold=0.01 ms.out | awk '
		/^ +[0-9]+ +[0-9,]+ +[0-9,]+ +[0-9,]+ +[0-9,]+ +[0-9,]+$/ { if (s > best) best = s; s = 0; next }
		/^->/ && /log_day\.c|store_traffic\.c/ { v = $2; gsub(/[(),B]/, "", v); s += v }
		END { if (s > best) best = s
			printf "visitor set alone (massif): 500000 distinct visitors, peak %d bytes: %.1f bytes per distinct visitor\n", best, best / 500000 }'
fi

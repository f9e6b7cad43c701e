# Nothing counted twice: log lines ingested before — the first part of a
# log read after the whole, a slice from its middle, a rotated file that
# holds lines of two earlier ones — are recognised and skipped, and the
# summary says how many; the figures (traffic and a promoter's
# site_visits) stay those of the whole log.  What a user saw: a prefix,
# then a middle slice of an access log already ingested took a promoter's
# site_visits up twice.  Two identical lines in one log are both counted
# (the n-th copy of a line is its own); `merit batch rm` forgets a
# batch's lines, so they count again when ingested again.
. "$(dirname "$0")/lib.sh"

R=${SHARED:-}/data/real
[ -d "$R" ] || R=$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/real
E=$R/elastic_apache_logs.log
[ -f "$E" ] || { fail "no real data at $R"; finish; exit 1; }

# figures of the elastic log: date requests failed page_views visitors
# human visits crawler, then site_visits per subject and day
figures() {
	"$MERIT" traffic --from 2015-05-17 --to 2015-05-20 | awk 'NR > 1'
	sqlite3 "$MERIT_DB" "select ifnull(u.login, 'team'), m.day, sum(m.value) from measurement m
		join subject u on u.id = m.subject_id where u.indicator = 'site_visits' group by 1, 2 order by 1, 2"
}
setup() {
	fresh_db
	"$MERIT" init --goal brand >/dev/null
	"$MERIT" staff add lina --name Lina --position promoter >/dev/null
	"$MERIT" own referrer semicomplete.com --who lina >/dev/null
}

cp "$E" access.log
head -n 5000 "$E" > prefix.log                    # its first half
sed -n '3001,7000p' "$E" > slice.log              # a slice from the middle
sed -n '1,6000p' "$E" > a.log                     # rotated: lines 1-6000 ...
sed -n '4001,10000p' "$E" > b.log                 # ... and 4001-10000
touch -d '1 hour ago' access.log prefix.log slice.log a.log b.log

setup
run_ok "whole" ingest access.log
whole=$(figures)
lina=$(sqlite3 "$MERIT_DB" "select cast(sum(m.value) as integer) from measurement m join subject u
	on u.id = m.subject_id where u.indicator = 'site_visits' and u.login = 'lina'")
expect "lina has site_visits" "$([ "${lina:-0}" -gt 100 ] && echo yes)" yes
run_ok "prefix after the whole" ingest prefix.log
contains "prefix: all skipped, told" "$T/err" 'prefix.log: all its 5000 lines were ingested before'
expect "prefix: figures unchanged" "$(figures)" "$whole"
run_ok "slice after the whole" ingest slice.log
contains "slice: all skipped, told" "$T/err" 'slice.log: all its 4000 lines were ingested before'
expect "slice: figures unchanged" "$(figures)" "$whole"
expect "no batch for them" "$(sqlite3 "$MERIT_DB" 'select count(*) from batch')" 1
expect "nor a removal in the audit (none was made)" \
	"$(sqlite3 "$MERIT_DB" "select count(*) from audit where action = 'batch rm'")" 0
# the same content twice in one command: said so, not a batch to remove
cp slice.log slice-copy.log
touch -d '1 hour ago' slice-copy.log
setup
run_fail "one file twice in a call" 1 'slice-copy.log: the same content as slice.log, given before it in this command: give it once' \
	ingest slice.log slice-copy.log

# two overlapping files: the second counts only its new lines
setup
run_ok "a" ingest a.log
run_ok "b overlapping a" ingest b.log
contains "b: the overlap skipped, told" "$T/out" 'b.log as batch 2: 4000 lines, 2000 skipped \(counted by an earlier batch\)'
expect "a + b = the whole" "$(figures)" "$whole"
# listed in any order in one call (they are read in time order)
setup
run_ok "b and a" ingest b.log a.log
contains "b: the overlap skipped" "$T/out" 'b.log as batch 2: 4000 lines, 2000 skipped'
expect "b a = the whole" "$(figures)" "$whole"

# a rotated log gzipped, read after the live one
setup
run_ok "live" ingest a.log
gzip -c access.log > access.log.1.gz
run_ok "rotated copy (gzip) of more" ingest access.log.1.gz
contains "rotated: 4000 new" "$T/out" 'access.log.1.gz as batch 2: 4000 lines'
expect "live + rotated = the whole" "$(figures)" "$whole"

# batch rm forgets the lines: they count again
setup
run_ok "whole again" ingest access.log
run_ok "batch rm" batch rm 1
expect "its fingerprints gone" "$(sqlite3 "$MERIT_DB" 'select count(*) from log_line')" 0
run_ok "prefix counts once removed" ingest prefix.log
contains "prefix counted" "$T/out" 'prefix.log as batch [0-9]+: 5000 lines, 0 failed'
expect "prefix requests" "$("$MERIT" traffic | awk 'NR > 1 { s += $3 } END { print s }')" 5000

# identical lines: both are requests; a log with one more copy counts it
fresh_db; "$MERIT" init --goal none >/dev/null
L='10.0.0.1 - - [03/Nov/2026:08:00:00 +0800] "GET / HTTP/1.1" 200 10 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"'
M='10.0.0.2 - - [03/Nov/2026:08:00:01 +0800] "GET /x HTTP/1.1" 200 10 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"'
printf '%s\n%s\n' "$L" "$L" > two.log
printf '%s\n%s\n%s\n%s\n' "$M" "$L" "$L" "$L" > three.log
touch -d '1 hour ago' two.log three.log
run_ok "two copies" ingest two.log
expect "two copies: 2 requests" "$("$MERIT" traffic | awk 'NR > 1 { print $3 }')" 2
run_ok "three copies and another line" ingest three.log
contains "two of them skipped" "$T/out" 'three.log as batch 2: 2 lines, 2 skipped'
expect "3 copies + 1: 4 requests" "$("$MERIT" traffic | awk 'NR > 1 { print $3 }')" 4

# the cost: 8 bytes a line
expect "fingerprint bytes" "$(sqlite3 "$MERIT_DB" 'select sum(length(keys)) from log_line')" 32
finish

# merit ingest on bad input: a truncated gzip, a line longer than 64 KiB,
# invalid UTF-8, a bad format string, a missing file — a clear error that
# names the file (and line and column), and nothing written.
. "$(dirname "$0")/lib.sh"

run_ok "init" init --goal brand
ok_line='10.0.0.1 - - [03/Nov/2026:08:00:00 +0800] "GET / HTTP/1.1" 200 10 "-" "Mozilla/5.0 (X11; Linux) Firefox/120.0"'
i=0; : > good.log
while [ $i -lt 2000 ]; do echo "$ok_line" >> good.log; i=$((i + 1)); done
gzip -c good.log > good.log.gz
head -c $(($(wc -c < good.log.gz) - 30)) good.log.gz > cut.log.gz
run_fail "truncated gzip" 1 'cut.log.gz: the gzip data is truncated' ingest cut.log.gz
printf '\037\213\010\000\000\000\000\000\000\003garbage-not-deflate-data' > damaged.log.gz
run_fail "damaged gzip" 1 'damaged.log.gz: the gzip data is damaged' ingest damaged.log.gz
expect "damaged gzip names the file once" "$(grep -o 'damaged.log.gz' "$T/err" | wc -l)" 1

{ echo "$ok_line"; echo "$ok_line"; awk 'BEGIN { s = "x"; while (length(s) < 70000) s = s s; print s }'; echo "$ok_line"; } > long.log
run_fail "long line" 1 'long.log:3: a line longer than 64 KiB' ingest long.log
# (first lines a second later than good.log's: the very same line as one
# of good.log's would be a line counted already)
ok_line2=$(echo "$ok_line" | sed 's/08:00:00/08:00:01/')
{ echo "$ok_line2"; printf '10.0.0.2 - - [03/Nov/2026:08:00:00 +0800] "GET /caf\351 HTTP/1.1" 200 10 "-" "Mozilla/5.0"\n'; } > latin1.log
run_fail "invalid UTF-8 --strict" 1 'latin1.log:2:52: invalid UTF-8 \(byte 0xe9\) \(strict\)' ingest --strict latin1.log
{ echo "$ok_line2" | sed 's/08:00:01/08:00:02/'; printf '10.0.0.2 - - [03/Nov/2026:08:00:00 +0800] "GET /caf\303\251 HTTP/1.1" 200 10 "-" "Mozilla/5.0"\n'; } > utf8.log
run_fail "bad file among good ones: nothing" 1 'latin1.log:2:52' ingest --strict good.log utf8.log latin1.log
run_fail "missing file" 1 'nofile.log: No such file' ingest nofile.log
run_fail "bad format" 2 'log format:4: unknown specifier "%Q"' ingest --format '%h %Q %t' good.log
run_fail "format without time" 2 'needs the client address' ingest --format '%h %r' good.log
run_fail "no file" 2 'say which LOGFILE' ingest
run_fail "stdin twice" 2 'only once' ingest - -
expect "nothing written" "$(sqlite3 "$MERIT_DB" 'select count(*) from batch') $(sqlite3 "$MERIT_DB" 'select count(*) from traffic')" "0 0"

# the good ones do go in, one batch each
run_ok "good + utf8" ingest good.log.gz utf8.log
contains "two batches" "$T/out" 'utf8.log as batch 2: 2 lines, 0 failed'
run_ok "traffic json" traffic --json
contains "2002 requests" "$T/out" '"requests": 2002'
contains "2 visitors" "$T/out" '"visitors": 2'
run_fail "traffic bad date" 2 'not a date' traffic --from 2026-13-01

# invalid UTF-8 without --strict: that line fails, reported with its
# column; the rest goes in
run_ok "invalid UTF-8 line failed" ingest latin1.log
contains "invalid UTF-8 reported" "$T/err" '^latin1.log:2:52: invalid UTF-8 \(byte 0xe9\); line counted as failed'
contains "invalid UTF-8 summary" "$T/out" 'latin1.log as batch 3: 2 lines, 1 failed'

# a log in another format (every line fails): an error that names the
# file and --format, nothing written
sed 's/^10.0.0.1/10.0.0.9/' good.log > other.log
_before=$(dump)
run_fail "wrong format" 1 'other.log: none of its 2000 lines matches the log format .*is it another format' ingest --format vcombined other.log
expect "wrong format wrote nothing" "$(dump)" "$_before"
run_ok "right format" ingest --format common other.log
contains "common reads combined lines" "$T/out" 'other.log as batch 4: 2000 lines, 0 failed'

# empty logs (or one whose only line is still being written) are skipped
# with a note: no batch, and a second empty one is no duplicate
: > empty.log; : > empty2.log; printf '%s' "$ok_line" > half.log
run_ok "empty skipped" ingest empty.log empty2.log half.log
contains "empty noted" "$T/err" 'empty.log: empty; skipped'
contains "empty2 noted" "$T/err" 'empty2.log: empty; skipped'
contains "half noted" "$T/err" 'half.log: no complete line yet; skipped'
expect "no batch for empty logs" "$(sqlite3 "$MERIT_DB" 'select count(*) from batch')" 4
run_ok "empty again" ingest empty.log
expect "no trace of empty logs" "$(sqlite3 "$MERIT_DB" "select count(*) from audit where action = 'batch rm'")" 0

# a day inside a closed cycle: the error names the file and line
run_ok "cycle open" cycle open 2026-11
run_ok "cycle review" cycle review 2026-11
run_ok "cycle close" cycle close 2026-11 --force
sed 's/^10.0.0.1/10.0.0.8/' good.log > late.log
run_fail "closed day" 1 '^merit: late.log: line 1: .*2026-11 is closed' ingest late.log

# a batch with rows but no days (a log whose lines all failed, as earlier
# versions took it) lists no dates, not 1970-01-01
MERIT_DB=$T/none.db
run_ok "init none" init --goal none
run_ok "ingest none" ingest good.log
sqlite3 "$MERIT_DB" 'update batch set first_day = null, last_day = null'
run_ok "batches" batches
expect "no 1970 in batches" "$(grep -c 1970 "$T/out")" 0
finish

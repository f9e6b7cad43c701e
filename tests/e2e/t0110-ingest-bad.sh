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

{ echo "$ok_line"; echo "$ok_line"; awk 'BEGIN { s = "x"; while (length(s) < 70000) s = s s; print s }'; echo "$ok_line"; } > long.log
run_fail "long line" 1 'long.log:3: a line longer than 64 KiB' ingest long.log
{ echo "$ok_line"; printf '10.0.0.2 - - [03/Nov/2026:08:00:00 +0800] "GET /caf\351 HTTP/1.1" 200 10 "-" "Mozilla/5.0"\n'; } > latin1.log
run_fail "invalid UTF-8" 1 'latin1.log:2:52: invalid UTF-8' ingest latin1.log
{ echo "$ok_line"; printf '10.0.0.2 - - [03/Nov/2026:08:00:00 +0800] "GET /caf\303\251 HTTP/1.1" 200 10 "-" "Mozilla/5.0"\n'; } > utf8.log
run_fail "bad file among good ones: nothing" 1 'latin1.log:2:52' ingest good.log utf8.log latin1.log
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
finish

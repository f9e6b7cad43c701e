# merit probe: HTTP and TCP checks against servers this test starts and
# stops on 127.0.0.1 (nothing else is contacted); each check an uptime
# measurement; rounds, --rounds, SIGTERM, a hung server, a closed cycle.
. "$(dirname "$0")/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
	echo "$name: skipped: python3 (the test's web server) is not installed"
	exit 0
fi

pids=""
stop_all() { for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; pids=""; }
trap 'stop_all; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

# a free loopback port (the kernel picks one; we let it go again)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# wait_port PORT — until something listens there, at most 5 s
wait_port() {
	python3 - "$1" <<'EOF'
import socket, sys, time
end = time.time() + 5
while time.time() < end:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
EOF
}
web_start() {
	python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$PORT" >"$T/web.log" 2>&1 &
	web=$!
	pids="$pids $web"
	wait_port "$PORT" || { fail "the test web server did not start on $PORT"; finish; exit 1; }
}
web_stop() { kill "$web" 2>/dev/null; wait "$web" 2>/dev/null; }
# watch PID SECONDS — kill -9 PID should it still run after SECONDS; unwatch ends the watch
watch() {
	( trap 'kill $s 2>/dev/null; exit 0' TERM; sleep "$2" & s=$!; wait $s; kill -9 "$1" 2>/dev/null ) &
	dog=$!
}
unwatch() { kill "$dog" 2>/dev/null; wait "$dog" 2>/dev/null; }
now_ms() { date +%s%3N; }
q() { sqlite3 "$MERIT_DB" "$1"; }
today=$(date +%Y-%m-%d)
month=$(date +%Y-%m)
dayno="cast(julianday('$today') - 2440587.5 as integer)"

mkdir -p "$T/www"
echo "<h1>up</h1>" > "$T/www/index.html"
PORT=$(free_port)
CLOSED=$(free_port)
HUNG=$(free_port)
web_start

run_ok "init" init --goal sales
run_ok "staff sam" staff add sam --name "Sam" --position support
run_ok "staff lina" staff add lina --name "Lina" --position promoter

# --- bad probes: each refused, nothing written
run_fail "every not a duration" 2 '--every "5x": say 30s, 5m or 1h' probe add "http://127.0.0.1:$PORT/" --who sam --every 5x
run_fail "every too short" 2 '--every 500ms: say 1s to 24h' probe add "http://127.0.0.1:$PORT/" --who sam --every 500ms
run_fail "timeout not a duration" 2 '--timeout "ten": say 500ms, 10s or 1m' probe add "http://127.0.0.1:$PORT/" --who sam --timeout ten
run_fail "timeout over every" 2 '--timeout 2m is longer than --every 1m' probe add "http://127.0.0.1:$PORT/" --who sam --every 1m --timeout 2m
run_fail "ftp" 1 'merit probes http://, https:// and tcp://HOST:PORT, not ftp://' probe add ftp://127.0.0.1/ --who sam
run_fail "tcp without port" 1 'a tcp check needs a port' probe add tcp://127.0.0.1 --who sam
run_fail "tcp with path" 1 'a tcp check is only tcp://HOST:PORT' probe add "tcp://127.0.0.1:$PORT/x" --who sam
run_fail "not a URL" 1 'URL "no such": ' probe add "no such" --who sam
run_fail "unknown login" 1 '--who: unknown login "ghost"' probe add "http://127.0.0.1:$PORT/" --who ghost
run_fail "no owner" 1 '--who LOGIN is required: no `merit own site` rule covers' probe add "http://127.0.0.1:$PORT/"
run_fail "run without probes" 1 'no probes yet' probe run --once
run_fail "flag of another subcommand" 2 '--once applies to probe run' probe add "http://127.0.0.1:$PORT/" --once
run_fail "rounds not a number" 2 '--rounds "x": say a whole number' probe run --rounds x
run_fail "unknown subcommand" 2 '"go" is not a probe command' probe go
run_ok "help" probe --help
contains "help tells the schedule" "$T/out" "--every D"

# --- the site's owner by `merit own site`; --who must agree with it
run_ok "own site" own site 127.0.0.1 --who sam
run_fail "who disagrees with site rule" 1 'site "127.0.0.1" belongs to sam' probe add "http://127.0.0.1:$PORT/" --who lina
run_ok "add http (owner by rule)" probe add "http://127.0.0.1:$PORT/" --every 1s
contains "owner from the rule, timeout clipped" "$T/out" "probe 1 checks http://127.0.0.1:$PORT/ every 1s \\(timeout 1s\\) for the uptime of sam"
run_ok "add tcp" probe add "tcp://127.0.0.1:$PORT" --who sam
run_ok "add closed port" probe add "tcp://127.0.0.1:$CLOSED" --who sam --every 5m --timeout 2s
run_ok "add 404" probe add "http://127.0.0.1:$PORT/missing" --who sam
run_fail "same URL twice" 1 'has a probe already: probe 1' probe add "http://127.0.0.1:$PORT/" --who sam
run_ok "list" probe list
contains "listed with interval" "$T/out" "tcp://127.0.0.1:$CLOSED +sam +5m +2s +-"
run_ok "list json" probe list --json
contains "json every" "$T/out" '"every": "1m"'
contains "json no check yet" "$T/out" '"last_check": null'
expect "audited" "$(q "select count(*) from audit where action = 'probe add'")" "4"

# --- one round while the server is up: 2 up (200, tcp), 2 down (404, closed)
run_ok "run once" probe run --once
contains "http up" "$T/out" "^probe 1 http://127.0.0.1:$PORT/ up: HTTP 200 in [0-9.]+ ms$"
contains "tcp up" "$T/out" "^probe 2 tcp://127.0.0.1:$PORT up: connected in [0-9.]+ ms$"
contains "closed port down" "$T/out" "^probe 3 tcp://127.0.0.1:$CLOSED down: .*(refused|connect)"
contains "404 down" "$T/out" "^probe 4 http://127.0.0.1:$PORT/missing down: HTTP 404 in"
contains "round summary" "$T/out" "round 1: 2 up, 2 down, saved as batch 1$"
expect "one batch of 4, named after the day" "$(q "select source, file, rows, first_day = $dayno from batch")" "probe|day $today|4|1"
expect "uptime 1 and 0 of 1, today, for sam" \
	"$(q "select count(*), sum(value), sum(denominator), min(day = $dayno) from measurement m join subject u on u.id = m.subject_id where u.indicator = 'uptime' and u.login = 'sam'")" "4|2.0|4.0|1"
expect "raw checks kept by line" \
	"$(q "select line, probe_id, up, ifnull(status, '-'), latency_ms is not null, error is not null from probe_check order by line" | tr '\n' ' ')" \
	"1|1|1|200|1|0 2|2|1|-|1|0 3|3|0|-|0|1 4|4|0|404|1|1 "
expect "check and measurement share batch and line" \
	"$(q "select count(*) from probe_check c join measurement m on m.batch_id = c.batch_id and m.line = c.line and m.value = c.up")" "4"
run_ok "list after a check" probe list
contains "last check shown" "$T/out" "^ +1 +http://127.0.0.1:$PORT/ .* up [0-9]{4}-"

# --- downtime: stop the server
web_stop
run_ok "run once, server down" probe run --once
contains "http down when stopped" "$T/out" "^probe 1 http://127.0.0.1:$PORT/ down: .*(refused|connect)"
contains "tcp down when stopped" "$T/out" "^probe 2 tcp://127.0.0.1:$PORT down: "
contains "all down" "$T/out" "round 1: 0 up, 4 down, saved as batch 1$"
# the day's rounds go into the day's one batch (not a batch a round)
expect "the day's batch grew to 8" "$(q "select count(*), sum(rows), min(first_day = $dayno and last_day = $dayno) from batch")" "1|8|1"
expect "the second round's checks are lines 5-8" "$(q "select group_concat(line) from probe_check where batch_id = 1 and up = 0 and line > 4")" "5,6,7,8"
expect "the day's batch is audited once, when made" "$(q "select count(*) from audit where action = 'import'")" "1"
# 2 up of 8 checks: uptime 25 %
m score "$month" --json
python3 -c 'import json, sys
d = json.load(sys.stdin)
print("%g" % [i["actual"] for p in d["people"] if p["login"] == "sam" for i in p["indicators"] if i["key"] == "uptime"][0])' <"$T/out" >"$T/uptime" 2>&1
expect "uptime is the percentage of checks up" "$(cat "$T/uptime")" "25"
m score "$month" --who sam
contains "traced to the day's probe batch" "$T/out" "batch 1, probe day $today lines 1-8"

# --- a server that accepts and never answers: down after the timeout, not later
python3 -c "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', $HUNG)); s.listen(8); time.sleep(120)" &
pids="$pids $!"
wait_port "$HUNG" || fail "the hung server did not start"
run_ok "add hung" probe add "http://127.0.0.1:$HUNG/" --who sam --every 1m --timeout 400ms
t0=$(now_ms)
run_ok "run once, hung" probe run --once
t1=$(now_ms)
contains "timed out" "$T/out" "^probe 5 http://127.0.0.1:$HUNG/ down: .*[Tt]imed out"
[ $((t1 - t0)) -lt 3000 ] && ok || fail "a 400ms timeout took $((t1 - t0)) ms"
expect "timeout has no status or latency" "$(q "select ifnull(status, '-'), ifnull(latency_ms, '-') from probe_check where probe_id = 5")" "-|-"

# --- rounds on each probe's own interval: probe 1 every 1s, the rest 1m+
run_ok "rm hung" probe rm 5
contains "rm said" "$T/out" "probe 5 removed"
expect "its checks stay, unlinked" "$(q "select count(*) from probe_check where probe_id is null and url like '%:$HUNG/'")" "1"
run_fail "rm again" 1 'no probe 5' probe rm 5
web_start
before=$(q "select count(*) from batch")
rows_before=$(q "select rows from batch where file = 'day $today'")
t0=$(now_ms)
run_ok "three rounds" probe run --rounds 3
t1=$(now_ms)
expect "three rounds, no new batch" "$(q "select count(*) from batch")" "$before"
expect "6 checks more: 4, then probe 1 twice" "$(q "select rows from batch where file = 'day $today'")" "$((rows_before + 6))"
expect "the last round's check is its last line" "$(q "select max(line) = $((rows_before + 6)) and count(*) = $((rows_before + 6)) from probe_check where batch_id = 1")" "1"
contains "round 3 up" "$T/out" "round 3: 1 up, 0 down"
[ $((t1 - t0)) -ge 1800 ] && [ $((t1 - t0)) -lt 8000 ] && ok || fail "3 rounds 1s apart took $((t1 - t0)) ms"

# --- run until SIGTERM: what was checked is committed, exit 0
before=$(q "select rows from batch where file = 'day $today'")
"$MERIT" probe run >"$T/run.out" 2>"$T/run.err" &
runner=$!
watch "$runner" 20
i=0
while [ "$(q "select rows from batch where file = 'day $today'")" -lt $((before + 5)) ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM "$runner"
wait "$runner"
expect "SIGTERM exits 0" "$?" "0"
unwatch
contains "says it stopped" "$T/run.out" "^merit: stopped; [0-9]+ rounds saved"
n=$(q "select rows from batch where file = 'day $today'")
[ "$n" -ge $((before + 5)) ] && ok || fail "rounds before SIGTERM not saved: $n checks in the day's batch, wanted $((before + 5))+"
expect "every check with its measurement" \
	"$(q "select (select count(*) from probe_check) = (select count(*) from measurement m join batch b on b.id = m.batch_id where b.source = 'probe')")" "1"

# --- SIGINT while a check hangs: the check is abandoned at once, not saved
web_stop
run_ok "rm others" probe rm 2
run_ok "rm others" probe rm 3
run_ok "rm others" probe rm 4
run_ok "rm others" probe rm 1
run_ok "add slow" probe add "http://127.0.0.1:$HUNG/slow" --who sam --every 1m --timeout 30s
nchecks=$(q "select count(*) from probe_check")
"$MERIT" probe run >"$T/run.out" 2>"$T/run.err" &
runner=$!
watch "$runner" 20
sleep 0.5
t0=$(now_ms)
kill -INT "$runner"
wait "$runner"
expect "SIGINT exits 0" "$?" "0"
t1=$(now_ms)
unwatch
[ $((t1 - t0)) -lt 2000 ] && ok || fail "stopping took $((t1 - t0)) ms"
contains "abandoned check said" "$T/run.out" "nothing checked \\(1 not finished when stopped\\)"
expect "nothing saved for it" "$(q "select count(*) from probe_check")" "$nchecks"

# --- removing a probe round's batch removes its raw checks too
run_ok "batch rm" batch rm 1
expect "checks of batch 1 gone" "$(q "select count(*) from probe_check where batch_id = 1")" "0"

# --- a closed cycle takes no more checks: refused, nothing written
run_ok "rm slow" probe rm 6
run_ok "add closed port again" probe add "tcp://127.0.0.1:$CLOSED" --who sam --timeout 1s
run_ok "cycle open" cycle open "$month"
run_ok "cycle review" cycle review "$month"
run_ok "cycle close" cycle close "$month" --force
run_fail "closed cycle" 1 "cycle $month is closed" probe run --once

finish

# Requests refused before their work (issue 12, findings 4, 8, 10):
# tests/web/req_test.py (Python 3, standard library) starts merit serve on
# 127.0.0.1:0 itself, on this test's database, and checks over raw
# loopback sockets that bodies announced where none is read are refused
# before they are sent (200 connections: the server's memory stays put),
# that a request's length told twice, two ways or with an unknown coding
# is refused 400 with nothing behind it answered, and that a plan too
# deep or too large, or a JSON body too deep, is refused with a clear
# message.  The server must stop cleanly and say nothing alarming.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }
[ -r /proc/self/status ] || { fail "no /proc: the server's memory cannot be read"; finish; exit 1; }

run_ok "init" init --goal sales
run_ok "staff boss" staff add boss --name "Boss Wang" --position manager
printf 'pw-boss-secret\n' | "$MERIT" user add boss --role admin >"$T/out" 2>"$T/err"
if [ $? -eq 0 ]; then ok; else fail "user add boss: $(cat "$T/err")"; fi
run_ok "open" cycle open 2026-11

web_py 400 "$T/req.out" "$root/tests/web/req_test.py" "$MERIT_DB" "$MERIT"
finish

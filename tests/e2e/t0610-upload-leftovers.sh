#!/bin/sh
# A killed server's uploads: each in-progress upload sits in
# $TMPDIR/merit-upload-XXXXXX; after kill -9 the next `merit serve`
# removes them (and says so), but never a running server's (it holds a
# lock on its own), nor anything that is not merit's: another name, a
# file, a symbolic link (nor what it points to).
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { fail "curl is not installed"; finish; exit 1; }
mkdir "$T/tmp" "$T/elsewhere"
TMPDIR=$T/tmp; export TMPDIR
run_ok "init" init --goal brand
run_ok "staff" staff add boss --name Boss --position manager
printf 'pw-boss-secret\n' | "$MERIT" user add boss --role admin >/dev/null 2>&1
# a 4 MB log, sent at 100 KB/s: still coming in when the server is killed
python3 -c "
import sys
line = '10.0.0.%d - - [05/Nov/2026:10:00:00 +0800] \"GET /a HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0 x\"\n'
sys.stdout.write(''.join(line % (i % 250) for i in range(40000)))" >big.log

pids=""
trap 'for p in $pids; do kill -9 $p 2>/dev/null; done; rm -rf "$T"' EXIT
# start LOG — merit serve in the background; sets $url, $pid
start() {
	"$MERIT" serve --listen 127.0.0.1:0 2>"$1" &
	pid=$!
	pids="$pids $pid"
	serve_wait "$1" "$pid"
}
# login URL — log in as the admin; sets $csrf (the session is in $T/jar)
login() {
	curl -s -c "$T/jar" -o "$T/login" -H 'Content-Type: application/json' \
		-d '{"login":"boss","password":"pw-boss-secret"}' "${1}api/login" --max-time 10
	csrf=$(sed -n 's/.*"csrf": *"\([^"]*\)".*/\1/p' "$T/login")
}
# upload URL — log in and send big.log slowly in the background; sets $cpid
upload() {
	login "$1"
	curl -s -b "$T/jar" -o /dev/null -X POST -H "X-CSRF-Token: $csrf" --limit-rate 100k \
		--data-binary @big.log "${1}api/ingest?file=big.log" --max-time 120 &
	cpid=$!
	pids="$pids $cpid"
}
# arrived — wait until an upload has reached a directory; its name in $dir
arrived() {
	dir=""
	_i=0
	while [ $_i -lt 100 ]; do
		for f in "$TMPDIR"/merit-upload-*/big.log; do
			[ -s "$f" ] && { dir=$(dirname "$f"); return 0; }
		done
		sleep 0.1
		_i=$((_i + 1))
	done
	fail "no upload arrived in $TMPDIR: $(ls -la "$TMPDIR")"
}

start "$T/a.log"
upload "$url"
arrived
a_dir=$dir
kill -9 "$pid"; wait "$pid" 2>/dev/null
kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null
[ -d "$a_dir" ] && ok || fail "kill -9 left no upload behind (the test proves nothing)"

# things that are not a merit upload directory stay
echo keep >"$T/elsewhere/precious"
ln -s "$T/elsewhere" "$TMPDIR/merit-upload-LINK00"
echo keep >"$TMPDIR/merit-upload-FILE00"
mkdir "$TMPDIR/merit-report-abc123" "$TMPDIR/merit-upload-long-name" \
	"$TMPDIR/merit-upload-SUBDIR" "$TMPDIR/merit-upload-SUBDIR/d"
echo keep >"$TMPDIR/merit-upload-long-name/x"
echo keep >"$TMPDIR/merit-upload-SUBDIR/a"
echo keep >"$TMPDIR/merit-upload-SUBDIR/z"

start "$T/b.log"
b_pid=$pid
b_url=$url
[ -e "$a_dir" ] && fail "the killed server's upload is still there: $(ls -la "$a_dir")" || ok
contains "start-up says so" "$T/b.log" '^merit: removed 1 leftover upload directory \([0-9.]+ MB\)$'
[ -f "$T/elsewhere/precious" ] && [ -L "$TMPDIR/merit-upload-LINK00" ] && ok ||
	fail "a symbolic link or its target was removed"
[ -f "$TMPDIR/merit-upload-FILE00" ] && ok || fail "a file named like an upload was removed"
[ -d "$TMPDIR/merit-report-abc123" ] && [ -f "$TMPDIR/merit-upload-long-name/x" ] && ok ||
	fail "a directory of another name was removed"
[ -f "$TMPDIR/merit-upload-SUBDIR/a" ] && [ -f "$TMPDIR/merit-upload-SUBDIR/z" ] && ok ||
	fail "a directory holding a directory (not an upload's) was emptied"

# an upload that completes is read and its directory removed
head -n 100 big.log >small.log
login "$b_url"
code=$(curl -s -b "$T/jar" -o "$T/small" -w '%{http_code}' -X POST -H "X-CSRF-Token: $csrf" \
	--data-binary @small.log "${b_url}api/ingest?file=small.log" --max-time 30)
expect "a whole upload is read" "$code" 200
left=$(cd "$TMPDIR" && ls -d merit-upload-?????? 2>/dev/null | grep -v -e LINK00 -e FILE00 -e SUBDIR)
expect "and its directory removed" "$left" ""

# a second server starting beside a running one with an upload under way
# leaves that upload alone
upload "$b_url"
arrived
b_dir=$dir
start "$T/c.log"
c_pid=$pid
[ -s "$b_dir/big.log" ] && ok || fail "a running server's upload was removed"
if grep -q 'removed' "$T/c.log"; then fail "second start-up: $(cat "$T/c.log")"; else ok; fi
kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null
kill -TERM "$b_pid" "$c_pid"; wait "$b_pid"; st=$?
expect "stops cleanly" "$st" 0
wait "$c_pid"
# nothing of merit's left behind once both stopped
left=$(cd "$TMPDIR" && ls -d merit-upload-?????? 2>/dev/null | grep -v -e LINK00 -e FILE00 -e SUBDIR)
expect "no upload directory left" "$left" ""
finish

# The web UI in a real browser: merit serve, Debian's Chromium driven by
# playwright-core (tests/browser/flow.mjs).  Without chromium, node or
# tests/browser/node_modules the test is skipped, unless
# MERIT_BROWSER_REQUIRED=1, when it fails (scripts/install-deps.sh installs
# them).  Screenshots stay in $MERIT_ARTIFACTS (default tests/artifacts/).
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

browser_or_skip

run_ok "init" init --goal sales
run_ok "staff wang" staff add wang --name "王芳" --position manager
run_ok "staff lina" staff add lina --name "Lina Chen" --position promoter --manager wang
run_ok "staff li" staff add li --name "李娜" --position editor
for u in "boss admin boss password 1" "wang manager wang password 1" \
         "lina member lina password 1" "li member li password 12"; do
	set -- $u
	login=$1 role=$2; shift 2
	printf '%s\n' "$*" | "$MERIT" user add "$login" --role "$role" >"$T/out" 2>"$T/err"
	if [ $? -eq 0 ]; then ok; else fail "user add $login: $(cat "$T/err")"; fi
done

# the server picks a free port and says which on its first line
: >"$T/serve.err"
"$MERIT" --db "$MERIT_DB" serve --listen 127.0.0.1:0 2>"$T/serve.err" >"$T/serve.out" &
spid=$!
trap 'kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; rm -rf "$T"' EXIT
serve_wait "$T/serve.err" "$spid"
ok

# the static files come with the right types and the CSP
if command -v curl >/dev/null 2>&1; then
	hdr=$(curl -sS -D - -o /dev/null "${url}app.js")
	case "$hdr" in *[Cc]ontent-[Tt]ype:\ text/javascript*) ok ;; *) fail "app.js content type: $hdr" ;; esac
	case "$hdr" in *"script-src 'self'"*) ok ;; *) fail "no CSP on app.js: $hdr" ;; esac
fi

browser_run flow.mjs
for f in phone-dashboard member-dashboard-zh member-colleague-404 admin-data; do
	[ -s "$art/browser-$f.png" ] && ok || fail "no screenshot $art/browser-$f.png"
done

finish

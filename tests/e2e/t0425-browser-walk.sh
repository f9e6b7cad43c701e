# The owner's whole first cycle in a real browser (tests/browser/walk.mjs):
# from the CLI only `merit init` and the first admin (`merit user add`),
# then everything in the web app: staff, users, ownership, the plan form,
# the cycle, an upload, evidence, ratings from the to-do lists, review,
# close, release, the acknowledgement and the PDF.  Four walks, each on a
# fresh database and server: 1366x768 and a 390x844 phone, in English and
# in Chinese.  Skipped without chromium, node or tests/browser/node_modules
# unless MERIT_BROWSER_REQUIRED=1, when that is a failure.  Screenshots
# stay in $MERIT_ARTIFACTS (default tests/artifacts/) as browser-walk-*.png.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

bdir=$root/tests/browser
art=${MERIT_ARTIFACTS:-$root/tests/artifacts}
chromium=${MERIT_CHROMIUM:-/usr/bin/chromium}

missing=""
command -v node >/dev/null 2>&1 || missing="$missing node"
[ -x "$chromium" ] || missing="$missing $chromium"
[ -d "$bdir/node_modules/playwright-core" ] || missing="$missing tests/browser/node_modules (npm ci)"
if [ -n "$missing" ]; then
	if [ "${MERIT_BROWSER_REQUIRED:-0}" = 1 ]; then
		fail "MERIT_BROWSER_REQUIRED=1 but missing:$missing (run scripts/install-deps.sh)"
		finish
		exit 1
	fi
	echo "$name: skipped, missing:$missing"
	exit 0
fi
mkdir -p "$art"

spid=""
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

for walk in desktop-en phone-zh desktop-zh phone-en; do
	export MERIT_DB="$(db_new "$walk.db")"
	run_ok "$walk: init" init --goal sales
	printf '%s\n' 'boss password 1' | "$MERIT" user add boss --role admin >"$T/out" 2>"$T/err"
	if [ $? -eq 0 ]; then ok; else fail "$walk: user add boss: $(cat "$T/err")"; fi

	: >"$T/serve.err"
	"$MERIT" --db "$MERIT_DB" serve --listen 127.0.0.1:0 2>"$T/serve.err" >"$T/serve.out" &
	spid=$!
	serve_wait "$T/serve.err" "$spid"
	ok

	MERIT_ARTIFACTS=$art MERIT_WALK_SIZE=${walk%-*} MERIT_WALK_LANG=${walk#*-} MERIT_WALK_LABEL=$walk \
		node "$bdir/walk.mjs" "$url" >"$T/walk.out" 2>&1
	wrc=$?
	cat "$T/walk.out"
	if [ "$wrc" -eq 0 ]; then ok; else fail "$walk: walk.mjs exit $wrc (server log: $(tail -c 1500 "$T/serve.err"))"; fi
	grep -q "^walk: [1-9][0-9]* passed, 0 failed" "$T/walk.out" && ok || fail "$walk: walk.mjs ran no checks or some failed"
	for f in staff plan-mistake data acknowledged; do
		[ -s "$art/browser-walk-$walk-$f.png" ] && ok || fail "$walk: no screenshot browser-walk-$walk-$f.png"
	done

	kill "$spid" 2>/dev/null
	wait "$spid"
	expect "$walk: merit serve stops cleanly" "$?" 0
	spid=""
done

finish

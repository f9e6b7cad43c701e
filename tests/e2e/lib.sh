# lib.sh — shared by the end-to-end tests: a temporary directory and
# database per test, and assertions that say what went wrong.
#
# Each test: . "$(dirname "$0")/lib.sh"; then commands; `finish` at the end.
set -u
: "${MERIT:?MERIT must name the merit binary}"
# under ASan: a leak inside a library that is not merit's (tests/lsan.supp)
LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")/.." && pwd)/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
T=$(mktemp -d "${TMPDIR:-/tmp}/merit-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
export MERIT_DB="$T/merit.db"
export MERIT_USER=tester
unset LANG LC_ALL
failures=0
checks=0
name=$(basename "$0" .sh)

fail() { echo "FAIL [$name]: $*" >&2; failures=$((failures + 1)); }
ok() { checks=$((checks + 1)); }

# m ARGS — run merit, output to out/err, status in $rc
m() { "$MERIT" "$@" >"$T/out" 2>"$T/err"; rc=$?; }

# run_ok DESC ARGS — merit must succeed
run_ok() {
	d=$1; shift
	m "$@"
	if [ "$rc" -ne 0 ]; then fail "$d: exit $rc: $(cat "$T/err")"; else ok; fi
}

# run_fail DESC STATUS PATTERN ARGS — merit must fail with STATUS and a
# stderr line matching PATTERN (grep -E), and change nothing in the db.
run_fail() {
	d=$1; want=$2; pat=$3; shift 3
	_before=$(dump)
	m "$@"
	if [ "$rc" -ne "$want" ]; then fail "$d: exit $rc, wanted $want; stderr: $(cat "$T/err")"; return; fi
	if ! grep -Eq -- "$pat" "$T/err"; then fail "$d: stderr lacks /$pat/: $(cat "$T/err")"; return; fi
	_after=$(dump)
	if [ "$_before" != "$_after" ]; then fail "$d: the database changed"; return; fi
	ok
}

# dump — the database's content, for before/after comparison
dump() {
	[ -f "$MERIT_DB" ] || { echo "(no database)"; return; }
	sqlite3 "$MERIT_DB" .dump 2>&1
}

# expect DESC ACTUAL WANTED
expect() {
	if [ "$2" != "$3" ]; then fail "$1: got [$2], wanted [$3]"; else ok; fi
}

# contains DESC FILE PATTERN
contains() {
	if grep -Eq -- "$3" "$2"; then ok; else fail "$1: $(basename "$2") lacks /$3/: $(head -c 2000 "$2")"; fi
}

# serve_wait LOG PID — wait until `merit serve` (process PID, its stderr in
# LOG) says where it listens; sets $url (http[s]://127.0.0.1:PORT/), or
# fails the test and exits when it does not start.
serve_wait() {
	url=""
	_i=0
	while [ $_i -lt 200 ]; do
		url=$(sed -n '1s|^merit: serving \(https*://[^ ]*/\) (stop with Ctrl-C)$|\1|p' "$1" 2>/dev/null)
		[ -n "$url" ] && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
	fail "merit serve did not start: $(head -c 2000 "$1")"
	finish
	exit 1
}

finish() {
	echo "$name: $checks checks, $failures failures"
	[ "$failures" -eq 0 ] && [ "$checks" -gt 0 ]
}

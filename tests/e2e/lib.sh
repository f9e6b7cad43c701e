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
export MERIT_USER=tester
unset LANG LC_ALL
failures=0
checks=0
name=$(basename "$0" .sh)
# the engine: a SQLite file in $T, or, when run-e2e.sh --pg set
# MERIT_TEST_PG (a throwaway cluster's URL without a database name), a
# database of the test's own there (and MERIT_TEST_PGTMP, a directory
# beside the cluster for the copies the tests read)
if [ -n "${MERIT_TEST_PG:-}" ]; then
	_pgdb=$(printf 't_%s_%s' "$name" "$$" | tr -c 'a-z0-9_' '_')
	if ! _out=$(psql -X -q -d "$MERIT_TEST_PG/merit" -c "CREATE DATABASE $_pgdb" 2>&1); then
		echo "FAIL [$name]: no database on the test cluster: $_out" >&2
		exit 1
	fi
	export MERIT_DB="$MERIT_TEST_PG/$_pgdb"
	MERIT_TEST_PGTMP=${MERIT_TEST_PGTMP:-${TMPDIR:-/tmp}}
	# the web tests reach it through psycopg2 (python3-psycopg2)
	for _py in ${PY:-} python3 /usr/bin/python3; do
		"$_py" -c 'import psycopg2' 2>/dev/null && { PY=$_py; export PY; break; }
	done
else
	export MERIT_DB="$T/merit.db"
fi

# on_pg — the test's database is on PostgreSQL
on_pg() {
	case $MERIT_DB in postgres://* | postgresql://*) return 0 ;; esac
	return 1
}

# fresh_db — start again from no database: the file removed, or the
# PostgreSQL database dropped and made again, empty
fresh_db() {
	if on_pg; then
		psql -X -q -d "$MERIT_TEST_PG/merit" -c "DROP DATABASE $_pgdb WITH (FORCE)" -c "CREATE DATABASE $_pgdb" \
			|| fail "could not make $_pgdb again"
	else
		rm -f "$MERIT_DB" "$MERIT_DB-wal" "$MERIT_DB-shm"
	fi
}

# db_new NAME — where a second database would be, empty: $T/NAME, or on
# PostgreSQL a new database named after it (made); prints its path or URL.
# db_named NAME — that database again.  db_clone NAME — a copy of the
# test's database there (nobody may be connected to it).
db_new() { _db_make "$1" 0; }
db_clone() { _db_make "$1" 1; }
db_named() {
	if on_pg; then
		echo "$MERIT_TEST_PG/$(printf '%s_%s' "$_pgdb" "$1" | tr -c 'a-z0-9_' '_')"
	else
		echo "$T/$1"
	fi
}
_db_make() {    # NAME COPY (1: of the test's database)
	_c=$(db_named "$1")
	if on_pg; then
		[ "$2" = 1 ] && _tmpl=" TEMPLATE $_pgdb" || _tmpl=""
		psql -X -q -d "$MERIT_TEST_PG/merit" -c "CREATE DATABASE ${_c##*/}$_tmpl" >&2 ||
			fail "could not make ${_c##*/}"
	elif [ "$2" = 1 ]; then
		cp "$MERIT_DB" "$_c" || fail "could not copy $MERIT_DB"
	fi
	echo "$_c"
}

# inserts_fail TABLE [CONDITION] — every insert into TABLE (where
# CONDITION, in NEW.column terms, holds) fails with "disk trouble", by a
# trigger t_fail of the engine's kind; inserts_fail_off TABLE removes it
inserts_fail() {
	if on_pg; then
		psql -X -q -v ON_ERROR_STOP=1 -d "$MERIT_DB" -c "CREATE FUNCTION t_fail_fn() RETURNS
			trigger LANGUAGE plpgsql AS \$f\$ BEGIN RAISE EXCEPTION 'disk trouble'; END \$f\$;
			CREATE TRIGGER t_fail BEFORE INSERT ON $1 FOR EACH ROW ${2:+WHEN ($2)}
			EXECUTE FUNCTION t_fail_fn()" || fail "the failing trigger on $1"
	else
		# waiting for the write lock a running merit serve may hold a
		# moment (without .timeout: "database is locked" at once)
		command sqlite3 -cmd ".timeout 10000" "$MERIT_DB" "CREATE TRIGGER t_fail BEFORE INSERT ON $1 ${2:+WHEN $2}
			BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;" || fail "the failing trigger on $1"
	fi
}
inserts_fail_off() {
	if on_pg; then
		psql -X -q -v ON_ERROR_STOP=1 -d "$MERIT_DB" -c "DROP TRIGGER t_fail ON $1;
			DROP FUNCTION t_fail_fn()" || fail "dropping the failing trigger"
	else
		command sqlite3 -cmd ".timeout 10000" "$MERIT_DB" "DROP TRIGGER t_fail" || fail "dropping the failing trigger"
	fi
}

# file_only WHY — what the test checks is the SQLite file's own (its
# journal, a copy of the file, a full disk under it): on PostgreSQL the
# test says so and why (run-e2e.sh lists these) and passes without a check
file_only() {
	on_pg || return 0
	echo "FILE-ONLY [$name]: $*"
	exit 0
}

# sqlite3 ... "$MERIT_DB" [SQL | .dump] — on PostgreSQL, the tests' own
# queries read a copy of the database in a SQLite file (beside the
# cluster, not in $T; made by `merit db copy`, every row as it is there:
# t0730), so each test
# asks the same question in the same words on both engines; the copy is
# made again when the server has written since (its WAL position moved).
# A change (not SELECT, WITH, PRAGMA or EXPLAIN, or a WITH that inserts,
# updates or deletes) goes to psql, in PostgreSQL's words.  Any other sqlite3 (":memory:", another file) is
# sqlite3.
sqlite3() {
	_hit=0
	for _x in "$@"; do [ "$_x" = "$MERIT_DB" ] && _hit=1; done
	if [ "$_hit" = 0 ] || ! on_pg; then command sqlite3 "$@"; return; fi
	while [ "$1" != "$MERIT_DB" ]; do shift; done
	shift
	[ "${1:-}" = .dump ] && { dump; return; }
	if [ $# -eq 0 ]; then
		psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$MERIT_DB" -f -
		return
	fi
	case $(printf '%s' "$1" | tr '\n\t' '  ' | sed 's/^ *//' | cut -c1-7 | tr 'a-z' 'A-Z') in
	SELECT* | WITH* | PRAGMA* | EXPLAIN*)
		if ! printf '%s' "$1" | grep -Eqi '(insert +into|update +[a-z_]+ +set|delete +from) '; then
			_pg_read "$1"
			return
		fi ;;
	esac
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$MERIT_DB" -c "$1"
}
_pg_read() {
	_lsn=$(psql -X -A -t -d "$MERIT_DB" -c 'SELECT pg_current_wal_insert_lsn()') || return 1
	# (its position kept in a file: a query in $(…) runs in a subshell)
	_v=$MERIT_TEST_PGTMP/view-${MERIT_DB##*/}
	if [ "$_lsn" != "$(cat "$_v.lsn" 2>/dev/null)" ] || [ ! -f "$_v.db" ]; then
		rm -f "$_v.db"
		"$MERIT" --db "$MERIT_DB" db copy --to "$_v.db" >/dev/null 2>"$_v.err" ||
			{ echo "the copy of $MERIT_DB to read: $(cat "$_v.err")" >&2; return 1; }
		echo "$_lsn" >"$_v.lsn"
	fi
	command sqlite3 "$_v.db" "$1"
}

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
	case $MERIT_DB in
	# (without the random key of pg_dump's \restrict lines,
	# and of the sequences' setval lines: a rolled-back transaction does not
	# give back the numbers it took, as on SQLite it does)
	postgres://* | postgresql://*)
		pg_dump -d "$MERIT_DB" --data-only 2>&1 | grep -v -e '^\\\(un\)*restrict ' -e '^SELECT pg_catalog.setval('
		return ;;
	esac
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

# browser_or_skip — a browser test needs node, Chromium ($MERIT_CHROMIUM,
# else /usr/bin/chromium) and tests/browser/node_modules: without them the
# test is skipped (exit 0), unless MERIT_BROWSER_REQUIRED=1, when it fails
# (scripts/install-deps.sh installs them).  Needs $root (the checkout, set
# before lib.sh moves to $T); sets $bdir (tests/browser) and $art (where
# screenshots go: $MERIT_ARTIFACTS, else tests/artifacts).
browser_or_skip() {
	bdir=${root:?browser_or_skip needs \$root}/tests/browser
	art=${MERIT_ARTIFACTS:-$root/tests/artifacts}
	_chromium=${MERIT_CHROMIUM:-/usr/bin/chromium}
	_missing=""
	command -v node >/dev/null 2>&1 || _missing="$_missing node"
	[ -x "$_chromium" ] || _missing="$_missing $_chromium"
	[ -d "$bdir/node_modules/playwright-core" ] || _missing="$_missing tests/browser/node_modules (npm ci)"
	[ -z "$_missing" ] && return 0
	if [ "${MERIT_BROWSER_REQUIRED:-0}" = 1 ]; then
		fail "MERIT_BROWSER_REQUIRED=1 but missing:$_missing (run scripts/install-deps.sh)"
		finish
		exit 1
	fi
	echo "$name: skipped, missing:$_missing"
	exit 0
}

# browser_run SCRIPT — node tests/browser/SCRIPT against the server of
# serve_start ($url), its output shown, screenshots to $art: two checks,
# it exits 0, and it ran checks and none failed.
browser_run() {
	mkdir -p "$art"
	MERIT_ARTIFACTS=$art node "$bdir/$1" "$url" >"$T/browser.out" 2>&1
	_brc=$?
	cat "$T/browser.out"
	if [ "$_brc" -eq 0 ]; then ok; else fail "$1 exit $_brc (server log: $(tail -c 1500 "$T/serve.err"))"; fi
	grep -q "^browser: [1-9][0-9]* passed, 0 failed" "$T/browser.out" && ok || fail "$1 ran no checks or some failed"
}

# serve_start — start `merit serve` on $MERIT_DB and 127.0.0.1:0 in the
# background (its stderr in $T/serve.err), wait until it listens (sets
# $url and $spid; one check) and kill it if the test exits before
# serve_stop.
serve_start() {
	"$MERIT" --db "$MERIT_DB" serve --listen 127.0.0.1:0 >"$T/serve.out" 2>"$T/serve.err" &
	spid=$!
	trap 'kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; rm -rf "$T"' EXIT
	serve_wait "$T/serve.err" "$spid"
	ok
}

# serve_stop [PATTERN] — SIGTERM to the server of serve_start: it must exit
# 0 and have said nothing on stderr but that it serves, that it stopped and
# lines matching PATTERN (grep -E, anchored at the start): two checks.
serve_stop() {
	kill "$spid" 2>/dev/null
	wait "$spid"
	expect "merit serve stops cleanly on SIGTERM" "$?" 0
	trap 'rm -rf "$T"' EXIT
	grep -Ev "^(merit: serving http://|merit: stopped\$${1:+|$1})" "$T/serve.err" >"$T/alarm" || true
	if [ -s "$T/alarm" ]; then fail "merit serve said: $(head -c 3000 "$T/alarm")"; else ok; fi
}

# web_py SECONDS LOG SCRIPT ARGS... — run the Python web test SCRIPT
# (tests/web/*.py; python3, or $PY when set) with ARGS under a time limit
# of SECONDS, its output in LOG; print its lines other than "ok ..." and
# the plan line (at most 200); count each "ok N" line as a check and fail
# each "not ok N - why"; fail too when it exits non-zero without a
# "not ok" line (a crash, the time limit).
web_py() {
	_secs=$1; _log=$2; _script=$3; shift 3
	_to=""
	command -v timeout >/dev/null 2>&1 && _to="timeout $_secs"
	$_to "${PY:-python3}" "$_script" "$@" >"$_log" 2>&1
	_prc=$?
	grep -v -e '^ok ' -e '^1\.\.' "$_log" | head -n 200
	while IFS= read -r _line; do
		case $_line in
		"ok "*) ok ;;
		"not ok "*) fail "${_line#not ok }" ;;
		esac
	done <"$_log"
	if [ "$_prc" -ne 0 ] && ! grep -q '^not ok ' "$_log"; then
		fail "$(basename "$_script") exited $_prc: $(tail -c 2000 "$_log")"
	fi
}

finish() {
	echo "$name: $checks checks, $failures failures"
	[ "$failures" -eq 0 ] && [ "$checks" -gt 0 ]
}

#!/bin/sh
# run-e2e.sh — run each end-to-end shell test in tests/e2e against one
# merit binary; each test makes its own temporary directory and database.
#
#   run-e2e.sh MERIT          on SQLite: a database file per test
#   run-e2e.sh MERIT --pg     on PostgreSQL: a throwaway PostgreSQL 15
#                             cluster (tests/pg/cluster.sh) and a database
#                             per test there; no cluster is a failure, not
#                             a skip.  The tests of the SQLite file's own
#                             (file_only in lib.sh) say so and are listed.
MERIT=$1; export MERIT
here=$(cd "$(dirname "$0")" && pwd)
# shared/ lies beside the checkout: tests read the real files from it
SHARED=${SHARED:-$(cd "$here/../.." && pwd)/shared}; export SHARED
engine=SQLite
if [ "${2:-}" = --pg ]; then
	engine=PostgreSQL
	# the cluster's user (nobody) must reach its socket directory
	pgtop=$(mktemp -d "${TMPDIR:-/tmp}/merit-e2e-pg.XXXXXX") && chmod 711 "$pgtop" || exit 1
	if ! url=$(sh "$here/pg/cluster.sh" start "$pgtop/c" 2>"$pgtop/start.err"); then
		echo "e2e on PostgreSQL: the test cluster did not start: $(cat "$pgtop/start.err")" >&2
		rm -rf "$pgtop"
		exit 1
	fi
	# the SQLite copies the tests read: in memory when it can (no fsync)
	view=$(mktemp -d /dev/shm/merit-e2e-view.XXXXXX 2>/dev/null) || view=$pgtop
	trap 'sh "$here/pg/cluster.sh" stop "$pgtop/c"; rm -rf "$pgtop" "$view"' EXIT
	MERIT_TEST_PG=${url%/merit}; export MERIT_TEST_PG
	MERIT_TEST_PGTMP=$view; export MERIT_TEST_PGTMP
fi
pass=0; fail=0; fileonly=""; times=""
for t in "$here"/e2e/t[0-9]*.sh; do
	[ -e "$t" ] || continue
	t0=$(date +%s)
	out=$(sh "$t" 2>&1)
	st=$?
	times="$times$(($(date +%s) - t0)) $(basename "$t" .sh)
"
	if [ $st -eq 0 ]; then
		pass=$((pass + 1))
		case $out in "FILE-ONLY ["*) fileonly="$fileonly
  ${out#FILE-ONLY }" ;; esac
	else
		fail=$((fail + 1)); echo "FAILED ($engine): $(basename "$t")" >&2
		# the lines that say what failed, wherever they are, then the end
		echo "$out" | grep -E '^(FAIL|not ok)' | head -n 20 >&2
		echo "$out" | tail -n 30 >&2; fi
done
[ -n "$fileonly" ] && echo "e2e on $engine: of the SQLite file only:$fileonly"
echo "e2e on $engine: the slowest (s): $(printf '%s' "$times" | sort -rn | head -n 8 | tr '\n' ' ')"
echo "e2e on $engine: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

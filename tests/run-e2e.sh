#!/bin/sh
# run-e2e.sh — run each end-to-end shell test in tests/e2e against one
# merit binary; each test makes its own temporary directory and database.
MERIT=$1; export MERIT
here=$(cd "$(dirname "$0")" && pwd)
# shared/ lies beside the checkout: tests read the real files from it
SHARED=${SHARED:-$(cd "$here/../.." && pwd)/shared}; export SHARED
pass=0; fail=0
for t in "$here"/e2e/t[0-9]*.sh; do
	[ -e "$t" ] || continue
	out=$(sh "$t" 2>&1)
	if [ $? -eq 0 ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAILED: $(basename "$t")" >&2
		# the lines that say what failed, wherever they are, then the end
		echo "$out" | grep -E '^(FAIL|not ok)' | head -n 20 >&2
		echo "$out" | tail -n 30 >&2; fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# run.sh MERIT SHIM — the fault tests (tests/fault/t*.sh), SQLite-style:
# failing allocations, kill -9 at database writes, full disks, each with
# the fault library tests/fault/shim.c (SHIM, LD_PRELOAD).  Ends with the
# counts: allocation points failed, kill points and disk-full points
# tried.  FAULT_STRIDE=K: the allocation sweeps try every Kth point only
# (the ASan run).
MERIT=$1 FAULT_SHIM=$2
export MERIT FAULT_SHIM
here=$(cd "$(dirname "$0")" && pwd)
SHARED=${SHARED:-$(cd "$here/../../.." && pwd)/shared}; export SHARED
# thousands of short runs: their files in memory when there is room
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then TMPDIR=/dev/shm; export TMPDIR; fi
FAULT_COUNTS=$(mktemp "${TMPDIR:-/tmp}/merit-fault-counts.XXXXXX"); export FAULT_COUNTS
trap 'rm -f "$FAULT_COUNTS"' EXIT
start=$(date +%s)
pass=0 fail=0
for t in "$here"/t[0-9]*.sh; do
	[ -e "$t" ] || continue
	out=$(sh "$t" 2>&1)
	if [ $? -eq 0 ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAILED: $(basename "$t")" >&2; echo "$out" | tail -n 30 >&2; fi
done
# lines "KIND LABEL... TRIED OF"
note() {
	awk -v k="$1" '$1 == k { tried = $(NF - 1); of = $NF; $1 = ""; $NF = ""; $(NF - 1) = "";
		gsub(/^ +| +$/, ""); s = s (s ? ", " : "") $0 " " tried (tried != of ? " of " of : "");
		n += tried } END { printf "%d (%s)", n, s }' "$FAULT_COUNTS"
}
echo "fault: allocation points failed: $(note alloc)"
echo "fault: kill points tried: $(note kill)"
echo "fault: disk-full points tried: $(note full)"
status="all clean"
[ "$fail" -eq 0 ] || status="$fail of $((pass + fail)) tests FAILED"
echo "fault: $pass tests, $status${FAULT_STRIDE:+, every ${FAULT_STRIDE}th allocation point}, $(($(date +%s) - start)) s"
[ "$fail" -eq 0 ]

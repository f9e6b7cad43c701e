# The fault library itself (tests/fault/shim.c): it counts, fails, kills
# and fills the disk as its variables say, and nothing without them.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/common.sh"

fault_setup
cp "$MERIT_DB" open.db
# shim VAR=VALUE... -- ARGS: merit under the shim, status in $rc
shim() {
	env LD_PRELOAD="$FAULT_SHIM" ASAN_OPTIONS="verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
		"$@" >"$T/out" 2>"$T/err"
	rc=$?
}
fresh() { rm -f "$MERIT_DB-wal" "$MERIT_DB-shm"; cp open.db "$MERIT_DB"; }
count() { sed -n "s/^$1 //p" "$T/counts"; }

fresh
shim MERIT_FAULT_COUNT_FILE="$T/counts" "$MERIT" import measurements more.csv
expect "no fault: the import works" "$rc" 0
allocs=$(count allocs) writes=$(count writes)
[ "${allocs:-0}" -gt 100 ] && ok || fail "allocations counted: [$allocs]"
[ "${writes:-0}" -gt 0 ] && ok || fail "database writes counted: [$writes]"
expect "none failed" "$(count failed)" 0
fresh
shim MERIT_FAULT_COUNT_FILE="$T/counts" "$MERIT" import measurements more.csv
expect "the same count every run" "$(count allocs) $(count writes)" "$allocs $writes"

fresh
shim MERIT_FAULT_COUNT_FILE="$T/counts" MERIT_FAULT_MALLOC_SCOPE=libnothing "$MERIT" import measurements more.csv
expect "a scope naming nothing counts nothing" "$rc $(count allocs)" "0 0"

fresh
shim MERIT_FAULT_COUNT_FILE="$T/counts" MERIT_FAULT_ARM_FILE="$T/armed" "$MERIT" import measurements more.csv
expect "not armed: nothing counted" "$rc $(count allocs) $(count writes)" "0 0 0"

fresh
shim MERIT_FAULT_COUNT_FILE="$T/counts" MERIT_FAULT_MALLOC=$allocs "$MERIT" import measurements more.csv
expect "the last allocation fails" "$(count failed)" 1
fresh
shim MERIT_FAULT_MALLOC=1 MERIT_FAULT_MALLOC_PERSIST=1 "$MERIT" import measurements more.csv
expect "every allocation fails: exit 1" "$rc" 1
contains "every allocation fails: out of memory" "$T/err" "out of memory"
expect "every allocation fails: nothing changed" "$(dump)" "$(MERIT_DB=open.db dump)"

fresh
shim MERIT_FAULT_KILL_PWRITE=1 "$MERIT" import measurements more.csv
expect "killed at the first database write" "$rc" 137
fresh
shim MERIT_FAULT_KILL_PWRITE=$((writes + 1)) "$MERIT" import measurements more.csv
expect "not killed past the last write" "$rc" 0

fresh
pages=$(sqlite3 open.db 'pragma page_count')
awk 'BEGIN { print "date,indicator,login,value,denominator";
	for (i = 0; i < 3000; i++) printf "2026-01-%02d,promo_posts,ana,%d,\n", 1 + i % 28, i }' >big.csv
shim MERIT_FAULT_MAX_PAGES=$pages "$MERIT" import measurements big.csv
expect "max_page_count: exit 1" "$rc" 1
contains "max_page_count: the disk is full" "$T/err" "disk is full"

w='import os, sys
fd = os.open("file.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
for _ in range(int(sys.argv[1])): os.write(fd, b"hello\n")'
shim MERIT_FAULT_ENOSPC_WRITE=1 python3 -c "$w" 1
[ "$rc" -ne 0 ] && ok || fail "ENOSPC: the write succeeded"
contains "ENOSPC: No space left" "$T/err" "No space left on device"
shim MERIT_FAULT_ENOSPC_WRITE=2 python3 -c "$w" 1
expect "ENOSPC at the 2nd write: the first works" "$rc $(cat file.txt)" "0 hello"

finish

# A full disk under an import (whole, and in parts): SQLite's max_page_count set on every
# connection (by the shim) from the database's own size up to where the
# import fits, and the database on a small tmpfs with less room than the
# import needs, up to where it fits: exit 1, "the disk is full", the
# database as before (integrity_check ok); then exit 0 with room enough.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/common.sh"

fault_setup
awk 'BEGIN { print "date,indicator,login,value,denominator";
	for (i = 0; i < 6000; i++) printf "2026-01-%02d,%s,%s,%d,\n", 1 + i % 28,
		(i % 3 ? "promo_posts" : "site_visits"), (i % 2 ? "ana" : "bo"), i % 97 }' >big.csv
cp "$MERIT_DB" open.db
sweep full --before open.db --label "import (max_page_count)" -- import measurements big.csv
# the same import in parts of 1,000 rows: a part that finds the disk full
# takes back the parts before it (the database as before)
MERIT_LOAD_PART=1000 sweep full --before open.db --label "import in parts (max_page_count)" \
	-- import measurements big.csv

# a small filesystem: root mounts a tmpfs (as in CI); others skip it
if [ "$(id -u)" -ne 0 ]; then
	echo "$name: not root: the tmpfs part is skipped" >&2
	finish
	exit $?
fi
mkdir "$T/small"
trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
if ! mount -t tmpfs -o size=64m tmpfs "$T/small" 2>"$T/err"; then
	fail "mount -t tmpfs: $(cat "$T/err")"
	finish
	exit 1
fi
db_kb=$(( ($(stat -c %s open.db) + 1023) / 1024 ))
before=$(MERIT_DB=open.db dump)
tried=0 fitted=0
# room for the database and a little more each time, until the import fits
extra=32
while [ $extra -le 4096 ]; do
	umount "$T/small" && mount -t tmpfs -o size=$((db_kb + extra))k tmpfs "$T/small" || {
		fail "remount at ${extra}k"; break; }
	cp open.db "$T/small/m.db"
	tried=$((tried + 1))
	MERIT_DB="$T/small/m.db" m import measurements big.csv
	ic=$(sqlite3 "$T/small/m.db" 'pragma integrity_check' 2>&1)
	if [ "$rc" -eq 0 ]; then
		expect "room ${extra}k: integrity" "$ic" "ok"
		fitted=1
		break
	fi
	if [ "$rc" -ne 1 ] || ! grep -Eq 'disk is full|No space left' "$T/err" || \
	   grep -Eq 'Sanitizer|runtime error' "$T/err"; then
		fail "room ${extra}k: exit $rc, wanted 1 and \"the disk is full\": $(head -c 1000 "$T/err")"
	elif [ "$ic" != ok ]; then
		fail "room ${extra}k: integrity_check: $ic"
	elif [ "$(MERIT_DB="$T/small/m.db" dump)" != "$before" ]; then
		fail "room ${extra}k: exit 1, but the database changed"
	else
		ok
	fi
	extra=$((extra + 16))
done
expect "the import fits at last" "$fitted" 1
echo "full tmpfs:import $tried $tried" >>"$FAULT_COUNTS"
umount "$T/small"
trap 'rm -rf "$T"' EXIT

finish

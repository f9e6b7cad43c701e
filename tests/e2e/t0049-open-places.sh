#!/bin/sh
# Where the database is opened: a read-only directory (reads work, no
# -wal/-shm made, the file untouched; writes refused naming the cause), an
# empty file, a file that is not merit's, and a damaged database (a write
# refused with the file byte for byte as it was).
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/e2e/lib.sh"
file_only "where the SQLite file lies: a read-only directory, an empty, foreign or damaged file (a foreign or empty PostgreSQL database: t0731)"

# `as` runs a command as an unprivileged user: root ignores permissions.
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		as="runuser -u nobody --"
	fi
	chmod 755 "$T"     # nobody walks into the test directory
else
	as=""
fi
# mu ARGS — merit as that user, output in out/err, status in $rc
mu() { $as "$MERIT" "$@" >"$T/out" 2>"$T/err"; rc=$?; }
# same DESC FILE COPY — FILE is byte for byte COPY, and has no -wal/-shm
same() {
	if cmp -s "$2" "$3"; then ok; else fail "$1: $(basename "$2") changed"; fi
	if [ -e "$2-wal" ] || [ -e "$2-shm" ] || [ -e "$2-journal" ]; then
		fail "$1: $(ls "$2"-*) left beside it"; else ok; fi
}

# ---- a read-only directory ----
run_ok "init" init --goal sales
run_ok "staff" staff add lina --name 李娜 --position promoter
printf 'date,indicator,login,value\n2026-11-02,promo_posts,lina,7\n' > m.csv
run_ok "import" import measurements m.csv
run_ok "cycle" cycle open 2026-11
mkdir ro
cp "$MERIT_DB" ro/merit.db
[ -e "$MERIT_DB-wal" ] && fail "merit left a -wal after it exited"
cp ro/merit.db ro.copy
chmod 644 ro/merit.db
chmod 555 ro
export MERIT_DB=$T/ro/merit.db
for cmd in "score 2026-11" "score 2026-11 --csv" "staff list" "cycle list" "plan show" \
           "plan export" "batches" "traffic" "own list" "source list" "probe list" \
           "report 2026-11 --format csv -o -"; do
	mu $cmd
	if [ "$rc" -ne 0 ]; then fail "read-only dir: $cmd: exit $rc: $(cat "$T/err")"; else ok; fi
done
mu score 2026-11 --csv
contains "read-only dir: the score" "$T/out" '^2026-11,,lina,李娜,promoter,25.00,17.50,'
same "read-only dir: reads" ro/merit.db ro.copy
mu staff add sun --name Sun --position promoter
expect "read-only file: write refused" "$rc" 1
contains "read-only file: the cause" "$T/err" "ro/merit.db cannot be changed: the file is read-only"
if [ -n "$as" ]; then
	chown 65534 ro/merit.db       # the file is theirs; the directory is not
	mu record promo_posts 1 --who lina --date 2026-11-03
	expect "read-only dir: write refused" "$rc" 1
	contains "read-only dir: the cause" "$T/err" "cannot be changed: its directory is read-only"
	chown 0 ro/merit.db
fi
same "read-only dir: writes" ro/merit.db ro.copy
# an older schema there cannot be upgraded: said so, nothing written
chmod 755 ro
sqlite3 ro/old.db < "$here/data/schema/v5.sql"
sqlite3 ro/old.db 'PRAGMA journal_mode = WAL' >/dev/null
chmod 644 ro/old.db
cp ro/old.db old.copy
chmod 555 ro
MERIT_DB=$T/ro/old.db mu score 2026-10
expect "old schema read-only: refused" "$rc" 1
contains "old schema read-only: why" "$T/err" "schema version 5, older than this merit reads .*cannot be upgraded here"
same "old schema read-only" ro/old.db old.copy
# a writer that stopped leaves a -wal (and no -shm) where nobody may write
chmod 755 ro
cp ro.copy ro/wal.db
python3 -c "
import os, sqlite3
c = sqlite3.connect('ro/wal.db')
c.execute(\"INSERT INTO staff(login, name, position) VALUES ('zz', 'Z', 'promoter')\")
c.commit()
os._exit(0)"
[ -s ro/wal.db-wal ] && ok || fail "no -wal left"
rm -f ro/wal.db-shm
chmod 644 ro/wal.db ro/wal.db-wal
cp ro/wal.db wal.copy
chmod 555 ro
MERIT_DB=$T/ro/wal.db mu staff list
expect "stale -wal in a read-only dir: refused" "$rc" 1
contains "stale -wal: why" "$T/err" "wal.db cannot be read here: its directory is read-only and the -wal file"
if cmp -s ro/wal.db wal.copy; then ok; else fail "stale -wal: the database changed"; fi
chmod 755 ro
export MERIT_DB=$T/merit.db

# ---- an empty file ----
: > empty.db
for cmd in "score 2026-11" "staff list" "staff add x --name X --position promoter"; do
	MERIT_DB=$T/empty.db m $cmd
	expect "empty: $cmd: exit" "$rc" 1
	contains "empty: $cmd: says" "$T/err" "empty.db is empty, not a merit database \(merit init creates one\)"
done
expect "empty: still empty" "$(wc -c < empty.db | tr -d ' ')" "0"
same "empty" empty.db /dev/null
MERIT_DB=$T/empty.db run_ok "init may use an empty file" init --goal none
expect "init made the schema" "$(sqlite3 empty.db 'PRAGMA user_version')" "$(sqlite3 "$MERIT_DB" 'PRAGMA user_version')"

# ---- files that are not merit's ----
printf 'date,login\n2026-11-01,lina\n' > notes.txt
cp notes.txt notes.copy
sqlite3 other.db "CREATE TABLE t(a); INSERT INTO t VALUES ('theirs')"
cp other.db other.copy
for f in notes.txt other.db; do
	for cmd in "score 2026-11" "staff list" "staff add x --name X --position promoter" "init --goal none"; do
		MERIT_DB=$T/$f m $cmd
		expect "$f: $cmd: exit" "$rc" 1
		contains "$f: $cmd: says" "$T/err" "$f is not a merit database"
	done
done
MERIT_DB=$T/notes.txt m staff list
contains "not SQLite" "$T/err" "not a merit database \(not an SQLite database file\)"
MERIT_DB=$T/other.db m staff list
contains "SQLite, not merit's" "$T/err" "not a merit database \(an SQLite database without merit's tables\)"
same "text file" notes.txt notes.copy
same "another program's database" other.db other.copy

# ---- a damaged database ----
awk 'BEGIN { print "date,indicator,login,value"
             for (i = 0; i < 20000; i++) printf "2026-11-%02d,promo_posts,lina,%d\n", i % 28 + 1, i }' > big.csv
run_ok "a table with data" import measurements big.csv
# a leaf page in the middle of the measurements, overwritten with zeros
page=$(sqlite3 "$MERIT_DB" "SELECT pageno FROM dbstat WHERE name = 'measurement' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 20")
size=$(sqlite3 "$MERIT_DB" 'PRAGMA page_size')
[ -n "$page" ] && ok || fail "no leaf page found"
cp "$MERIT_DB" bad.db
dd if=/dev/zero of=bad.db bs="$size" seek=$((page - 1)) count=1 conv=notrunc 2>/dev/null
cp bad.db bad.copy
printf 'date,indicator,login,value\n2026-11-29,promo_posts,lina,5\n' > one.csv
MERIT_DB=$T/bad.db m import measurements one.csv
expect "damaged: import refused" "$rc" 1
contains "damaged: says so" "$T/err" "bad.db is damaged, so merit will not write to it \(SQLite's quick check: .*Page $page"
contains "damaged: what to do" "$T/err" "merit check.*merit restore"
same "damaged: import" bad.db bad.copy
MERIT_DB=$T/bad.db m record promo_posts 1 --who lina --date 2026-11-30
expect "damaged: record refused" "$rc" 1
same "damaged: record" bad.db bad.copy
finish

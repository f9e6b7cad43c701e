#!/bin/sh
# t0730-pg-copy — `merit db copy`: the demo company from its SQLite file
# into a real PostgreSQL 15 (a throwaway cluster this test starts and
# stops, tests/pg/cluster.sh) and back into a new file, every row as it
# was; the schema there made from merit's migrations, with its
# invariants (append-only audit, frozen closed cycles, case-blind source
# names); all or nothing (a non-empty target, a kill half way); bad
# targets refused.  PostgreSQL missing is a failure, not a skip.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/e2e/lib.sh"
file_only "it copies a SQLite file to a cluster of its own and back"

chmod 711 "$T"                 # the cluster runs as nobody, under $T
PGDIR="$T/pg"
trap 'sh "$here/pg/cluster.sh" stop "$PGDIR"; rm -rf "$T"' EXIT
if ! U=$(sh "$here/pg/cluster.sh" start "$PGDIR"); then
	fail "the PostgreSQL cluster did not start (postgresql-15 is installed by scripts/install-deps.sh check)"
	finish
	exit 1
fi
ok
psqlq() { psql "$U" -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }

(cd "$T" && "$MERIT" demo >/dev/null 2>"$T/err")
SRC="$T/demo/merit.db"
[ -s "$SRC" ] && ok || { fail "no demo database: $(cat "$T/err")"; finish; exit 1; }
export MERIT_DB="$SRC"
# a probe added and removed: its number is not to be given again, there or back
run_ok "probe add" probe add http://127.0.0.1:9/ --who "$(sqlite3 "$SRC" 'SELECT login FROM staff LIMIT 1')"
run_ok "probe add 2" probe add http://127.0.0.1:10/ --who "$(sqlite3 "$SRC" 'SELECT login FROM staff LIMIT 1')"
run_ok "probe rm" probe rm 2
sqlite3 "$SRC" .dump >"$T/src.sql"

# ---- into PostgreSQL ----
run_ok "copy the demo into PostgreSQL" db copy --to "$U"
V=$(sqlite3 "$SRC" "PRAGMA user_version")
contains "... says what it copied" "$T/out" "^merit: copied .*merit.db to postgresql://merit@.*: [0-9]+ tables, [0-9]+ rows, schema version $V$"
expect "the schema version there" "$(psqlq -c 'SELECT version FROM merit_schema')" "$V"
for t in measurement audit rating staff batch cycle rollup subject; do
	expect "$t: as many rows there as here" "$(psqlq -c "SELECT count(*) FROM $t")" \
		"$(sqlite3 "$SRC" "SELECT count(*) FROM $t")"
done
# every value bit for bit: PostgreSQL's shortest exact text, parsed, against SQLite's
psqlq -c 'SELECT id, value, denominator FROM measurement ORDER BY id' >"$T/pgv"
sqlite3 -separator '|' "$SRC" "SELECT id, printf('%!.17g', value), CASE WHEN denominator IS NULL THEN '' ELSE printf('%!.17g', denominator) END FROM measurement ORDER BY id" >"$T/sqv"
python3 - "$T/pgv" "$T/sqv" <<'PYEOF' && ok || fail "a measurement's value changed on the way"
import sys
def rows(f):
    return [tuple(float(x) if x else None for x in l.rstrip("\n").split("|")) for l in open(f)]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
sys.exit(0 if a == b and len(a) > 1000 else 1)
PYEOF
# the invariants hold there too
psqlq -c "UPDATE audit SET who = 'x' WHERE id = 1" >"$T/out" 2>"$T/err"
contains "audit log there: append-only" "$T/err" "audit log is append-only"
psqlq -c "DELETE FROM audit" >"$T/out" 2>"$T/err"
contains "... and nothing of it deleted" "$T/err" "audit log is append-only"
closed=$(sqlite3 "$SRC" "SELECT period FROM cycle WHERE state = 'closed' LIMIT 1")
[ -n "$closed" ] && ok || fail "the demo has no closed cycle"
psqlq -c "INSERT INTO rating SELECT period, login, kind, 'intruder', criterion, stars, comment, created_at FROM rating WHERE period = '$closed' LIMIT 1" >"$T/out" 2>"$T/err"
contains "a closed cycle's ratings: frozen there" "$T/err" "frozen"
psqlq -c "DELETE FROM measurement WHERE day = (SELECT first_day FROM cycle WHERE period = '$closed')" >"$T/out" 2>"$T/err"
contains "a closed cycle's measurements: frozen there" "$T/err" "frozen"
psqlq -c "INSERT INTO source VALUES ('Shop-X', 'orders', '{}', 'now', 't'); INSERT INTO source VALUES ('shop-x', 'orders', '{}', 'now', 't')" >"$T/out" 2>"$T/err"
contains "source names there: equal when they differ in case only" "$T/err" "duplicate key"
psqlq -c "INSERT INTO source VALUES ('s', 'orders', 'not json', 'now', 't')" >"$T/out" 2>"$T/err"
contains "source options there: JSON only" "$T/err" "check constraint"
# a second copy into the same database: refused, nothing changed
before=$(psqlq -c 'SELECT count(*) FROM audit')
m db copy --to "$U"
expect "into a database that is not empty: exit 1" "$rc" 1
contains "... saying so" "$T/err" "the database is not empty \\([0-9]+ tables, views or sequences in its schema\\): copy into a new one"
expect "... and nothing added there" "$(psqlq -c 'SELECT count(*) FROM audit')" "$before"

# ---- and back into a file ----
run_ok "copy it back into a new file" --db "$U" db copy --to "$T/back.db"
contains "... says what it copied" "$T/out" "^merit: copied postgresql://merit@[^ ]* to .*back.db: [0-9]+ tables, [0-9]+ rows, schema version $V$"
sqlite3 "$T/back.db" .dump >"$T/back.sql"
if cmp -s "$T/src.sql" "$T/back.sql"; then ok; else fail "the round trip changed the database: $(diff "$T/src.sql" "$T/back.sql" | head -20)"; fi
for p in $(sqlite3 "$SRC" "SELECT period FROM cycle ORDER BY period"); do
	"$MERIT" --db "$SRC" score "$p" --json >"$T/s1" 2>&1
	"$MERIT" --db "$T/back.db" score "$p" --json >"$T/s2" 2>&1
	if cmp -s "$T/s1" "$T/s2" && [ -s "$T/s1" ]; then ok; else fail "score $p --json differs after the round trip"; fi
done
run_ok "merit check of the copy" --db "$T/back.db" check
ls "$T"/back.db.tmp-* >/dev/null 2>&1 && fail "a temporary file was left" || ok
expect "the removed probe's number is not given again there" \
	"$(psqlq -c "INSERT INTO probe(url, login, every_ms, timeout_ms, created_at, created_by) SELECT 'http://x/', login, 1000, 1000, 'now', 't' FROM staff LIMIT 1 RETURNING id")" 3

psqlq -c "DELETE FROM probe WHERE id = 3" >/dev/null
rm -f "$T/back2.db"
run_ok "copy back again" --db "$U" db copy --to "$T/back2.db"
expect "... and the number stays given in the file" "$(sqlite3 "$T/back2.db" "SELECT seq FROM sqlite_sequence WHERE name = 'probe'")" 3

# refused: an existing file, a file to a file, a URL to a URL, no --to
cp "$T/back.db" "$T/keep.db"
m --db "$U" db copy --to "$T/keep.db"
expect "back into an existing file: exit 1" "$rc" 1
contains "... saying so" "$T/err" "keep.db exists: copy into a new file"
cmp -s "$T/back.db" "$T/keep.db" && ok || fail "the existing file was changed"
m db copy --to "$T/other.db"
expect "a file to a file: usage error" "$rc" 2
contains "... naming merit backup" "$T/err" "both files: that copy is .merit backup FILE."
m --db "$U" db copy --to "$U"
expect "a URL to a URL: usage error" "$rc" 2
m db copy
expect "no --to: usage error" "$rc" 2
contains "... saying where to" "$T/err" "say where to: --to URL"
m db move --to "$U"
expect "db move: usage error" "$rc" 2
m db copy --help
expect "db copy --help" "$rc" 0
contains "... says what it does" "$T/out" "^usage: merit db copy --to URL\\|FILE"

# no server there: said, nothing made; a password in the URL is never shown
NOPE="postgresql://merit:sekret@$(printf '%s' "$T" | sed 's|/|%2F|g')/merit"
m db copy --to "$NOPE"
expect "no server: exit 1" "$rc" 1
contains "... cannot connect" "$T/err" "cannot connect"
grep -q sekret "$T/err" && fail "the password was printed: $(cat "$T/err")" || ok
contains "... shown as ***" "$T/err" "postgresql://merit:\\*\\*\\*@"
m --db "$NOPE" db copy --to "$T/never.db"
expect "no server, back: exit 1" "$rc" 1
[ -e "$T/never.db" ] && fail "a file was made" || ok
# the copy is merit's database there: read as the file is (t0731 runs more)
m --db "$U" score 2026-10 --json
expect "score on the copy in PostgreSQL" "$rc" 0
"$MERIT" --db "$SRC" score 2026-10 --json >"$T/sq.json" 2>&1
cmp -s "$T/out" "$T/sq.json" && ok || fail "score --json differs on the copy in PostgreSQL"

# a kill half way: the target stays empty, and a copy after it works
psqlq -c "DROP DATABASE IF EXISTS big" -d postgres >/dev/null 2>&1
createdb -h "$PGDIR" -U merit big
UB=$(echo "$U" | sed 's|/merit$|/big|')
"$MERIT" --db "$T/big.db" init --goal brand >/dev/null
awk 'BEGIN { print "date,indicator,value"; for (i = 0; i < 400000; i++) printf "2026-%02d-%02d,site_visits,%d\n", 1 + i % 12, 1 + i % 28, i }' >"$T/big.csv"
"$MERIT" --db "$T/big.db" import measurements "$T/big.csv" >/dev/null 2>"$T/err" || fail "big import: $(cat "$T/err")"
"$MERIT" --db "$T/big.db" db copy --to "$UB" >"$T/out" 2>"$T/err" &
pid=$!
i=0
while [ $i -lt 300 ] && ! psql "$UB" -X -t -A -c "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'COPY \"measurement\"%'" 2>/dev/null | grep -q 1; do
	sleep 0.05; i=$((i + 1))
done
[ $i -lt 300 ] && ok || fail "the copy of the measurements was never seen running"
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
[ -s "$T/out" ] && fail "the copy finished before the kill: $(cat "$T/out")" || ok
i=0
while [ $i -lt 100 ] && [ "$(psql "$UB" -X -t -A -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'big' AND pid <> pg_backend_pid()")" != 0 ]; do
	sleep 0.1; i=$((i + 1))
done
expect "killed while copying: nothing is left there" "$(psql "$UB" -X -t -A -c "SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public'")" 0
"$MERIT" --db "$T/big.db" db copy --to "$UB" >"$T/out" 2>"$T/err"
expect "after the kill, the copy goes through" "$?" 0
expect "... every row" "$(psql "$UB" -X -t -A -c 'SELECT count(*), sum(value) FROM measurement')" "400000|79999800000"

# a file whose measurement names a batch that is not there (a sqlite3
# shell checks no references): the copy says so and leaves nothing (on
# PostgreSQL a statement's trigger checks the reference, turned off while
# a copy writes)
createdb -h "$PGDIR" -U merit orphan
UO=$(echo "$U" | sed 's|/merit$|/orphan|')
cp "$T/big.db" "$T/orphan.db"
sqlite3 "$T/orphan.db" "UPDATE measurement SET batch_id = 4242 WHERE id IN (SELECT id FROM measurement ORDER BY id LIMIT 2)"
m --db "$T/orphan.db" db copy --to "$UO"
expect "measurements naming no batch: refused" "$rc" 1
contains "... saying how many" "$T/err" "orphan.db: measurement rows naming a batch that is not there: 2; nothing was copied"
expect "... nothing left there" "$(psql "$UO" -X -t -A -c "SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public'")" 0

finish

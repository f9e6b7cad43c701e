#!/bin/sh
# Every earlier schema version upgrades: a populated database made by the
# merit of that version (tests/data/schema/vN.sql, see make-fixture.sh)
# opens with today's merit, migrates in place, passes SQLite's integrity
# and foreign-key checks, and reads back as the old merit printed it.
# Then the same old database opened by four processes at once (score,
# staff list, cycle list, serve), ten times: every one succeeds (the
# version is read again under the write lock; the second finds it done).
# Versions 2 and 3 have no fixture: no commit of main had them (migrations
# 2 to 4 came in one commit, 23d0845).
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/e2e/lib.sh"
file_only "SQLite files of every earlier schema migrated in place"
S=$here/data/schema
versions="1 4 5 6 7 8 9 10 11 12 13 14 15 16"

MERIT_DB=$T/fresh.db "$MERIT" init --goal none >/dev/null 2>&1
latest=$(sqlite3 "$T/fresh.db" 'PRAGMA user_version')
expect "the latest version is past every fixture's" "$([ "${latest:-0}" -gt 16 ] && echo yes)" "yes"

# load DB N — the fixture of version N as the old merit left it (WAL mode)
load() {
	rm -f "$1" "$1-wal" "$1-shm"
	sqlite3 "$1" < "$S/v$2.sql" && sqlite3 "$1" 'PRAGMA journal_mode = WAL' >/dev/null
}
q() { sqlite3 "$MERIT_DB" "$1"; }
counts() { q "select (select count(*) from staff) || ' staff, ' || (select count(*) from batch)
	|| ' batches, ' || (select count(*) from measurement) || ' measurements, '
	|| (select count(*) from rating) || ' ratings, ' || (select count(*) from cycle)
	|| ' cycles, ' || (select count(*) from audit) || ' audit, '
	|| (select count(*) from ownership) || ' rules, ' || (select count(*) from user) || ' users'"; }

# What is compared: `score 2026-10 --csv` of the closed cycle, row by row
# (by login), in every column the old merit printed that today's prints
# too, by name: rank, name, position, the component scores, final score,
# grade, bonus, coverage, scored.  Left out, as their meaning changed on
# purpose: `complete` and `missing` before version 6 (since then complete
# needs every KPI and weighted rating, worked out from the snapshot), and
# the bonus of someone not scored in version 6 (0.00, since 7 none).
compare() {
	python3 - "$1" "$2" "$3" <<'EOF'
import csv, sys
old = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
new = {r['login']: r for r in csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8'))}
version = int(sys.argv[3])
diffs, same = [], 0
for r in old:
    n = new.get(r['login'])
    if n is None:
        diffs.append(r['login'] + ' missing')
        continue
    for k, v in r.items():
        if k not in n or (version < 6 and k in ('complete', 'missing')):
            continue
        if version == 6 and k == 'bonus' and r.get('scored') == 'no':
            continue
        if n[k] != v:
            diffs.append('%s %s: %r -> %r' % (r['login'], k, v, n[k]))
        else:
            same += 1
print('; '.join(diffs) if diffs else 'same %d' % (same > 20))
EOF
}

for n in $versions; do
	load "$MERIT_DB" "$n" || fail "loading v$n"
	expect "v$n: fixture is version $n" "$(q 'PRAGMA user_version')" "$n"
	before=$(counts)
	run_ok "v$n: score the closed cycle" score 2026-10 --csv
	cp "$T/out" "$T/score$n.csv"
	expect "v$n: migrated to $latest" "$(q 'PRAGMA user_version')" "$latest"
	expect "v$n: integrity" "$(q 'PRAGMA integrity_check')" "ok"
	expect "v$n: foreign keys" "$(q 'PRAGMA foreign_key_check')" ""
	expect "v$n: nothing lost" "$(counts)" "$before"
	expect "v$n: the old merit's results" "$(compare "$S/v$n.score.csv" "$T/score$n.csv" "$n")" "same 1"
	run_ok "v$n: staff list" staff list --json
	contains "v$n: the Chinese name" "$T/out" '"孙浩"'
	run_ok "v$n: the plan" plan show
	run_ok "v$n: the open cycle" score 2026-11 --csv
	contains "v$n: the open cycle scores" "$T/out" '^2026-11,1,'
	run_fail "v$n: the closed cycle stays frozen" 1 'closed' \
		record promo_posts 1 --who lina --date 2026-10-20
	run_ok "v$n: a write after the upgrade" record promo_posts 1 --who lina --date 2026-11-20
	expect "v$n: still sound" "$(q 'PRAGMA integrity_check')" "ok"
done
[ "$(q "select count(*) from traffic")" -gt 0 ] && ok || fail "v8 fixture has no traffic rows"

# Four processes opening one old database at once, ten times, each round
# another version.  serve is stopped once it says where it listens.
round=0
set -- $versions
while [ $round -lt 10 ]; do
	n=$(echo $versions | cut -d' ' -f$((round % $# + 1)))
	db=$T/race.db
	load "$db" "$n"
	MERIT_DB=$db "$MERIT" serve --listen 127.0.0.1:0 >/dev/null 2>"$T/s.err" &
	spid=$!
	MERIT_DB=$db "$MERIT" score 2026-10 --csv >"$T/r1" 2>"$T/e1" & p1=$!
	MERIT_DB=$db "$MERIT" staff list >"$T/r2" 2>"$T/e2" & p2=$!
	MERIT_DB=$db "$MERIT" cycle list >"$T/r3" 2>"$T/e3" & p3=$!
	wait $p1; r1=$?
	wait $p2; r2=$?
	wait $p3; r3=$?
	i=0
	while [ $i -lt 100 ] && ! grep -q '^merit: serving' "$T/s.err" && kill -0 $spid 2>/dev/null; do
		sleep 0.1; i=$((i + 1))
	done
	if grep -q '^merit: serving' "$T/s.err"; then ok; else fail "round $round (v$n): serve: $(cat "$T/s.err")"; fi
	kill $spid 2>/dev/null; wait $spid 2>/dev/null
	expect "round $round (v$n): score, staff list, cycle list" "$r1 $r2 $r3 $(cat "$T/e1" "$T/e2" "$T/e3")" "0 0 0 "
	expect "round $round (v$n): the scores" "$(compare "$S/v$n.score.csv" "$T/r1" "$n")" "same 1"
	expect "round $round (v$n): migrated once" "$(sqlite3 "$db" 'PRAGMA user_version; PRAGMA integrity_check')" "$latest
ok"
	round=$((round + 1))
done

# Another process holding the write lock: the upgrade waits (the busy
# timeout), then gives up saying so, with nothing changed; it succeeds
# once the lock is let go.  (The holder waits for a file, at most 60 s.)
load "$MERIT_DB" 4
python3 - "$MERIT_DB" "$T/release" >"$T/holder" <<'EOF' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('BEGIN IMMEDIATE')
print('locked', flush=True)
for _ in range(1200):
    if os.path.exists(sys.argv[2]):
        break
    time.sleep(0.05)
c.execute('ROLLBACK')
EOF
hpid=$!
i=0
while [ $i -lt 100 ] && ! grep -q locked "$T/holder"; do sleep 0.1; i=$((i + 1)); done
run_fail "upgrade while another writes" 1 "upgrading the schema from version 4 to $latest.*busy" staff list
touch "$T/release"
wait $hpid
expect "not upgraded meanwhile" "$(q 'PRAGMA user_version')" "4"
run_ok "upgrade once free" staff list
expect "upgraded" "$(q 'PRAGMA user_version')" "$latest"
finish

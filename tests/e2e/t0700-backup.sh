# merit backup, restore and check (issue 11, "No backup").
#
# What was seen: `cp merit.db` while `merit serve` ran lost a rating
# already answered 200; copies taken during a large import were damaged
# (4 of 50); a copy put back beside a stale -wal gave "database disk image
# is malformed".  Before this change none of backup, restore and check
# existed (every call below exits 2, "unknown command").
#
# - a backup taken while the server takes ratings holds every rating
#   answered before it started, passes a quick check and opens alone;
# - backups taken during a long import hold none or all of its batch;
# - restore clears a stale -wal/-shm (the data restored, no "malformed"),
#   refuses while a server or another process has the database, refuses
#   garbage and foreign files and wants --yes, changing nothing;
# - check says ok, or names the damaged table and the broken foreign key.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
file_only "merit backup, restore and check copy the SQLite file (on PostgreSQL they point to pg_dump: t0731)"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }

# wait_for CMD... — up to 30 s for CMD to succeed
wait_for() {
	_i=0
	while [ $_i -lt 300 ]; do
		"$@" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }

run_ok "init" init --goal sales
run_ok "staff ana" staff add ana --name Ana --position promoter
run_ok "staff bo" staff add bo --name Bo --position promoter
printf 'pw-ana-secret\n' | "$MERIT" user add ana --role member >"$T/out" 2>"$T/err"
expect "user ana" "$?" "0"
run_ok "open" cycle open 2026-11
printf 'date,indicator,login,value,denominator\n2026-11-05,promo_posts,ana,30,\n' > a.csv
run_ok "import a" import measurements a.csv

# ---- 1. a backup while the server takes ratings ----
"$MERIT" serve --listen 127.0.0.1:0 >"$T/serve.out" 2>"$T/serve.err" &
spid=$!
trap 'touch "$T/stop"; kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; rm -rf "$T"' EXIT
serve_wait "$T/serve.err" "$spid"
ok
# ana rates herself again and again, the comment counting up; each number
# answered 200 goes to $T/answered, after the answer
cat >"$T/rater.py" <<'PY'
import json, http.client, os, re, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
answered, stop = sys.argv[2], sys.argv[3]
c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
c.request("POST", "/api/login", json.dumps({"login": "ana", "password": "pw-ana-secret"}),
          {"Content-Type": "application/json"})
r = c.getresponse()
body = r.read()
cookie = re.match(r"merit_session=([^;]*)", r.getheader("Set-Cookie")).group(1)
h = {"Cookie": "merit_session=" + cookie, "X-CSRF-Token": json.loads(body)["csrf"],
     "Content-Type": "application/json"}
end = time.time() + 120
with open(answered, "w") as out:
    for n in range(1, 100000):
        if os.path.exists(stop) or time.time() > end:
            break
        c.request("POST", "/api/ratings", json.dumps(
            {"period": "2026-11", "login": "ana", "by": "self", "comment": "seq %d" % n,
             "criteria": {"analysis": 3 + n % 3, "strategy": 4, "execution": 4}}), h)
        r = c.getresponse()
        r.read()
        if r.status == 200:
            out.write("%d\n" % n)
            out.flush()
        else:
            print("rating %d: HTTP %d" % (n, r.status), file=sys.stderr)
PY
python3 "$T/rater.py" "$url" "$T/answered" "$T/stop" 2>"$T/rater.err" &
rpid=$!
wait_for lines "$T/answered" 20 || fail "the rater did not get going: $(cat "$T/rater.err")"
before=$(tail -n 1 "$T/answered")
# what was seen, for the figures only: a plain cp of the file at this moment
cp "$MERIT_DB" cp1.db
run_ok "backup while serving" backup bk1.db
contains "backup says what it copied" "$T/out" '^merit: backed up .* to bk1\.db: [0-9]+ pages, [0-9]+ bytes, schema version [0-9]+, taken at 20[0-9-]+T[0-9:.]+Z; quick check ok$'
# the ratings go on after it (the backup held nobody up)
wait_for lines "$T/answered" $((before + 20)) || fail "ratings stopped after the backup"
touch "$T/stop"
wait "$rpid"
expect "no rating failed" "$(cat "$T/rater.err")" ""
in_backup=$(sqlite3 bk1.db "SELECT DISTINCT substr(comment, 5) FROM rating WHERE login = 'ana' AND kind = 'self'")
if [ -n "$in_backup" ] && [ "$in_backup" -ge "$before" ]; then ok; else
	fail "the backup holds rating \"seq $in_backup\"; \"seq $before\" was answered 200 before it started"
fi
echo "figures: rating seq $before answered before the backup, seq $in_backup in it, $(tail -n 1 "$T/answered") answered in all;" \
	"a cp of merit.db then held: $(sqlite3 cp1.db "SELECT ifnull(max(comment), 'no rating') FROM rating WHERE login = 'ana'" 2>&1)"
expect "backup: quick check" "$(sqlite3 bk1.db 'PRAGMA quick_check')" "ok"
expect "backup: one file, rollback journal" "$(sqlite3 bk1.db 'PRAGMA journal_mode')" "delete"
expect "backup: nothing beside it" "$(ls bk1.db* | tr '\n' ' ')" "bk1.db "
expect "backup: its audit record" "$(sqlite3 bk1.db "SELECT action || ' ' || object FROM audit ORDER BY id DESC LIMIT 1")" "backup bk1.db"
mkdir alone && cp bk1.db alone/copy.db
run_ok "the backup opens alone" --db alone/copy.db score 2026-11 --who ana
run_ok "the backup checks alone" --db alone/copy.db check

# restore is refused while the server runs, and the database is unchanged
run_fail "restore while serving" 1 'a server is using this database' restore bk1.db --yes
kill "$spid"
wait "$spid"
expect "merit serve stops cleanly" "$?" "0"
if grep -Eq 'Sanitizer|runtime error|internal error' "$T/serve.err"; then
	fail "merit serve said: $(head -c 3000 "$T/serve.err")"; else ok; fi
trap 'touch "$T/stop"; rm -rf "$T"' EXIT

# ---- 2. backups during a long import: none or all of its batch ----
rows=1000000
awk -v n=$rows 'BEGIN { print "date,indicator,login,value,denominator";
	for (i = 0; i < n; i++) printf "2026-%02d-%02d,promo_posts,bo,%d,\n", i % 12 + 1, i % 28 + 1, i }' >big.csv
"$MERIT" import measurements big.csv >"$T/import.out" 2>"$T/import.err" &
ipid=$!
during=0 half=0
for i in 1 2 3 4; do
	sleep 0.3
	kill -0 "$ipid" 2>/dev/null && during=$((during + 1))
	run_ok "backup $i during the import" backup "bkimp$i.db"
	expect "backup $i: integrity" "$(sqlite3 "bkimp$i.db" 'PRAGMA integrity_check')" "ok"
	# what merit reads of it: an import written in parts (250,000 rows
	# each) may be in the copy half-way, marked loading, and unread
	got=$(sqlite3 "bkimp$i.db" "SELECT count(*) FROM measurement WHERE batch_id IN (SELECT id FROM batch WHERE file = 'big.csv' AND id NOT IN (SELECT batch_id FROM loading))")
	case $got in
	0|$rows) ok ;;
	*) fail "backup $i holds $got of the import's $rows measurements" ;;
	esac
	listed=$(MERIT_DB="bkimp$i.db" "$MERIT" batches 2>&1 | grep -c 'big\.csv')
	expect "backup $i: merit lists the import only when whole" "$listed" "$([ "$got" = 0 ] && echo 0 || echo 1)"
	[ "$(sqlite3 "bkimp$i.db" 'SELECT count(*) FROM loading')" = 0 ] || half=$((half + 1))
done
wait "$ipid"
expect "the long import" "$?" "0"
echo "figures: $during of 4 backups started while the $rows-row import ran; $half held part of it, unread"
run_ok "backup after the import" backup bkimp5.db
expect "backup after the import holds it all" "$(sqlite3 bkimp5.db "SELECT count(*) FROM measurement WHERE batch_id IN (SELECT id FROM batch WHERE file = 'big.csv')")" "$rows"

# ---- 3. restore ----
# a stale -wal/-shm, as a user's `cp` leaves them: the live database's,
# taken while a connection held it (so they were not checkpointed away)
python3 - "$MERIT" "$MERIT_DB" "$T" <<'PY'
import shutil, sqlite3, subprocess, sys
merit, db, t = sys.argv[1:]
with open(t + "/c.csv", "w") as f:
    f.write("date,indicator,login,value,denominator\n")
    for i in range(2000):
        f.write("2026-%02d-%02d,promo_posts,bo,%d,\n" % (i % 12 + 1, i % 28 + 1, i + 5000000))
c = sqlite3.connect(db)
c.execute("SELECT count(*) FROM staff").fetchall()
subprocess.run([merit, "import", "measurements", t + "/c.csv"], check=True, capture_output=True)
shutil.copy(db + "-wal", t + "/stale-wal")
shutil.copy(db + "-shm", t + "/stale-shm")
c.close()
PY
# what was seen: the backup copied back with cp beside the stale files
cp bk1.db merit.db && cp stale-wal merit.db-wal && cp stale-shm merit.db-shm
"$MERIT" score 2026-11 --who ana >/dev/null 2>"$T/cp.err"
echo "figures: cp of a backup beside a stale -wal, then score: exit $? $(cat "$T/cp.err");" \
	"integrity check: $(sqlite3 merit.db 'PRAGMA integrity_check' 2>&1 | grep -vc '^ok$') problems"
run_ok "restore beside a stale -wal" restore bk1.db --yes
contains "restore says what it did" "$T/out" '^merit: restored .* from bk1\.db \(taken at 20[0-9-]+T[0-9:.]+Z, schema version [0-9]+, [0-9]+ pages\)'
run_ok "score after the restore" score 2026-11 --who ana
if grep -q malformed "$T/err"; then fail "score after restore: $(cat "$T/err")"; else ok; fi
run_ok "check after the restore" check
expect "check says ok" "$(cat "$T/out")" "ok"
expect "the restored data: batches" "$(sqlite3 "$MERIT_DB" 'SELECT group_concat(file) FROM batch')" "a.csv"
expect "the restored data: the rating" "$(sqlite3 "$MERIT_DB" "SELECT DISTINCT comment FROM rating WHERE login = 'ana'")" "seq $in_backup"
expect "the restore's audit record" "$(sqlite3 "$MERIT_DB" "SELECT action || ' ' || object || ' ' || json_extract(after, '\$.taken_at') FROM audit ORDER BY id DESC LIMIT 1")" \
	"restore bk1.db $(sqlite3 bk1.db "SELECT at FROM audit WHERE action = 'backup'")"

run_fail "restore without --yes" 1 'restoring bk5?\.db|replaces everything' restore bkimp5.db
contains "restore without --yes says how" "$T/err" 'merit restore bkimp5\.db --yes'
head -c 20000 /dev/urandom >garbage.db
run_fail "restore garbage" 1 'garbage\.db: not a backup merit can restore' restore garbage.db --yes
sqlite3 other.db "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
run_fail "restore a foreign database" 1 'other\.db: not a backup merit can restore.*not a merit database' restore other.db --yes
: >empty.db
run_fail "restore an empty file" 1 'not a merit database' restore empty.db --yes
run_fail "restore a missing file" 1 'nothere\.db' restore nothere.db --yes
run_fail "restore the database itself" 1 'is the database itself' restore "$MERIT_DB" --yes
run_fail "restore -" 2 'not allowed' restore - --yes
run_fail "backup -" 2 'standard output\) is not allowed' backup -
# a failed backup leaves FILE as it was
cp bk1.db keep.db
m --db other.db backup keep.db
expect "backup of a foreign database: exit 1" "$rc" "1"
contains "backup of a foreign database: why" "$T/err" 'other\.db: not a merit database'
if cmp -s bk1.db keep.db; then ok; else fail "a failed backup changed FILE"; fi
expect "nothing left beside the backup" "$(ls keep.db.tmp-* 2>/dev/null)" ""
expect "nothing left beside the database" "$(ls "$MERIT_DB".tmp-* 2>/dev/null)" ""

# refused while another process has the database open in a write
# transaction (it waits as a writer would, then says so)
python3 - "$MERIT_DB" "$T" <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO audit(at, who, action, object) VALUES ('x', 'x', 'x', 'x')")
open(sys.argv[2] + "/holding", "w").close()
end = time.time() + 60
while not os.path.exists(sys.argv[2] + "/release") and time.time() < end:
    time.sleep(0.05)
c.execute("ROLLBACK")
PY
hpid=$!
wait_for test -f "$T/holding" || fail "the holder did not start"
run_fail "restore while another writes" 1 'another process is using the database' restore bkimp5.db --yes
touch "$T/release"
wait "$hpid"

# a database of an older schema version restores, and migrates on open
sqlite3 old.db <"$root/tests/data/schema/v5-team.sql"
run_ok "restore an older schema" --db new.db restore old.db --yes
run_ok "the older schema opens" --db new.db batches
expect "migrated" "$(sqlite3 new.db 'PRAGMA user_version')" "$(sqlite3 "$MERIT_DB" 'PRAGMA user_version')"
run_ok "restore the long import's backup" restore bkimp5.db --yes
expect "its data" "$(sqlite3 "$MERIT_DB" "SELECT count(*) FROM measurement")" "$((rows + 1))"

# ---- 4. check ----
run_ok "check a clean database" check
expect "clean: ok" "$(cat "$T/out")" "ok"
# a page of the measurement table overwritten with garbage
sqlite3 "$MERIT_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp "$MERIT_DB" dmg.db
page=$(sqlite3 dmg.db "SELECT rootpage FROM sqlite_schema WHERE name = 'measurement'")
psize=$(sqlite3 dmg.db 'PRAGMA page_size')
yes garbage | head -c "$psize" | dd of=dmg.db bs="$psize" seek=$((page - 1)) count=1 conv=notrunc 2>/dev/null
m --db dmg.db check
expect "damaged: exit 1" "$rc" "1"
contains "damaged: the table named" "$T/out" '^table measurement: '
contains "damaged: counted" "$T/out" '^[0-9]+ problems? in dmg\.db$'
m --db dmg.db check --json
expect "damaged --json: exit 1" "$rc" "1"
expect "damaged --json: not ok" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["ok"], any(p["where"] == "table measurement" for p in d["problems"]))' "$T/out")" "False True"
# foreign keys broken behind merit's back
cp "$MERIT_DB" fk.db
sqlite3 fk.db "PRAGMA foreign_keys = OFF;
	INSERT INTO measurement(batch_id, subject_id, day, value) VALUES (999, (SELECT min(id) FROM subject), 20400, 1);
	UPDATE staff SET manager = 'ghost' WHERE login = 'bo'"
fkrow=$(sqlite3 fk.db 'SELECT max(id) FROM measurement')
m --db fk.db check
expect "foreign keys: exit 1" "$rc" "1"
contains "foreign keys: the measurement named" "$T/out" "^table measurement: row $fkrow: batch_id 999 is not in batch \(foreign key\)$"
contains "foreign keys: the manager named" "$T/out" "^table staff: a row's manager is not in staff \(foreign key\)$"
contains "the rollup no longer adds up" "$T/out" '^table rollup: 1 months? of subjects differ'
run_fail "check a missing database" 1 'no database at' --db nothere.db check

finish

#!/bin/sh
# t0731-pg-store — merit on PostgreSQL (--db postgresql://…): the demo's
# whole pipeline (init, plan, staff, ownership, sources, every importer,
# cycles, ratings, peers, reports) run there gives `score --json`
# byte-identical to the same demo on SQLite for every cycle; the
# invariants hold there (a closed cycle frozen, a file imported twice
# refused, two imports of one file at once: one batch, a killed import
# leaves the state before); SQLite's file commands say what to use
# instead; and two `merit serve` processes on the database answer as the
# SQLite one does and are one app (tests/web/engines_test.py).  A throwaway
# PostgreSQL 15 cluster (tests/pg/cluster.sh); missing is a failure.
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests
. "$here/e2e/lib.sh"
file_only "it runs both engines itself, on a cluster of its own"

chmod 711 "$T"                 # the cluster runs as nobody, under $T
PGDIR="$T/pg"
cleanup() {
	for p in ${pids:-}; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	sh "$here/pg/cluster.sh" stop "$PGDIR"
	rm -rf "$T"
}
trap cleanup EXIT
if ! U=$(sh "$here/pg/cluster.sh" start "$PGDIR"); then
	fail "the PostgreSQL cluster did not start (postgresql-15 is installed by scripts/install-deps.sh check)"
	finish
	exit 1
fi
ok
psqlq() { psql "$1" -X -q -t -A -v ON_ERROR_STOP=1 -c "$2"; }
# another empty database on the cluster: its URL
newdb() {
	psqlq "$U" "CREATE DATABASE $1" && echo "${U%/merit}/$1"
}

# ---- the demo on both engines ----
"$MERIT" demo --dir sq >"$T/sq.out" 2>"$T/sq.err"
expect "the demo on SQLite" "$?" 0
"$MERIT" --db "$U" demo --dir pgd >"$T/pg.out" 2>"$T/pg.err"
expect "the same demo on PostgreSQL" "$?" 0
[ -s "$T/pg.err" ] && fail "the demo on PostgreSQL said: $(head -c 1500 "$T/pg.err")" || ok
contains "... and names the database, not a file, in what to try" "$T/pg.out" \
	"^Try:  ./merit --db postgresql://merit@.*/merit score "
[ ! -e pgd/merit.db ] && ok || fail "the demo on PostgreSQL made pgd/merit.db"
expect "its data is there" "$(psqlq "$U" 'SELECT count(*) > 1000 FROM measurement')" t
periods=$(sqlite3 sq/merit.db "SELECT period FROM cycle ORDER BY period")
[ -n "$periods" ] && ok || fail "no cycles in the demo"
closed=$(sqlite3 sq/merit.db "SELECT period FROM cycle WHERE state = 'closed'")
open=$(sqlite3 sq/merit.db "SELECT period FROM cycle WHERE state = 'open'")
year=${closed%-*}
for p in $periods $year; do
	"$MERIT" --db sq/merit.db score "$p" --json >"$T/s.json" 2>"$T/s.err"; a=$?
	"$MERIT" --db "$U" score "$p" --json >"$T/p.json" 2>"$T/p.err"; b=$?
	expect "score $p --json: the same exit on both" "$b" "$a"
	if cmp -s "$T/s.json" "$T/p.json"; then ok; else
		fail "score $p --json differs: $(diff "$T/s.json" "$T/p.json" | head -c 1500)"
	fi
done
for args in "score $closed --who sun" "score $open --who wang" "batches" "staff list" \
            "peers $open" "plan show" "source list" "traffic --from $closed-01 --to $closed-07"; do
	"$MERIT" --db sq/merit.db $args 2>&1 | sed 's|sq/|D/|g' >"$T/a"
	"$MERIT" --db "$U" $args 2>&1 | sed 's|pgd/|D/|g' >"$T/b"
	if cmp -s "$T/a" "$T/b"; then ok; else
		fail "merit $args differs: $(diff "$T/a" "$T/b" | head -c 1500)"
	fi
done

# ---- invariants there ----
MERIT_DB=$U; export MERIT_DB
crit=$(sqlite3 sq/merit.db "SELECT group_concat('--criterion ' || criterion || '=3', ' ') FROM rating WHERE period = '$closed' AND login = 'sun' AND kind = 'self'")
[ -n "$crit" ] && ok || fail "no self rating of sun in $closed"
# shellcheck disable=SC2086
run_fail "a rating in the closed cycle: refused there too" 1 "closed" rate sun \
	--period "$closed" --by self $crit
n0=$(psqlq "$U" 'SELECT count(*) FROM batch')
again=$(psqlq "$U" "SELECT file FROM batch WHERE source = 'orders' ORDER BY id DESC LIMIT 1")
"$MERIT" import orders "$again" >"$T/out" 2>"$T/err"
expect "the same file imported again: refused" "$?" 1
contains "... as imported already" "$T/err" "imported already|already imported|same file"
expect "... nothing added" "$(psqlq "$U" 'SELECT count(*) FROM batch')" "$n0"
# measurement's reference to its batch, checked once a statement (the
# foreign key the migration makes is dropped: its check ran a query a row,
# and a million rows' COPY took three times as long): a row naming no
# batch is still refused, a batch removed still takes its rows, a closed
# cycle's rows still stay (on a copy of the demo: the web app's answers
# below are compared with SQLite's)
UF=$(newdb batchref)
run_ok "the demo copied to another database" --db sq/merit.db db copy --to "$UF"
expect "no foreign key from measurement to batch" \
	"$(psqlq "$UF" "SELECT count(*) FROM pg_constraint WHERE conrelid = 'measurement'::regclass AND contype = 'f'")" 0
m0=$(psqlq "$UF" 'SELECT count(*) FROM measurement')
psqlq "$UF" "INSERT INTO measurement(id, batch_id, subject_id, day, value) SELECT max(id) + 1, 4242, 1, 20000, 1 FROM measurement" >"$T/out" 2>&1
expect "a measurement naming no batch: refused" "$?" 1
contains "... saying which batch" "$T/out" "measurement: batch 4242 is not there"
psqlq "$UF" "UPDATE measurement SET batch_id = 4243 WHERE id = (SELECT min(id) FROM measurement)" >"$T/out" 2>&1
expect "... nor moved to no batch" "$?" 1
expect "... nothing written" "$(psqlq "$UF" 'SELECT count(*) FROM measurement')" "$m0"
rm_id=$(psqlq "$UF" "SELECT id FROM batch WHERE file LIKE '%content-$open.csv'")
rm_n=$(psqlq "$UF" "SELECT count(*) FROM measurement WHERE batch_id = $rm_id")
[ "$rm_n" -gt 0 ] && ok || fail "batch $rm_id of $open has no measurements"
run_ok "a batch of the open cycle removed" --db "$UF" batch rm "$rm_id"
expect "... its measurements with it" "$(psqlq "$UF" "SELECT count(*) FROM measurement WHERE batch_id = $rm_id")" 0
expect "... and no others" "$(psqlq "$UF" 'SELECT count(*) FROM measurement')" "$((m0 - rm_n))"
fz=$(psqlq "$UF" "SELECT id FROM batch WHERE file LIKE '%content-$closed.csv'")
psqlq "$UF" "DELETE FROM batch WHERE id = $fz" >"$T/out" 2>&1
expect "a closed cycle's batch deleted in psql: refused" "$?" 1
contains "... as frozen" "$T/out" "frozen"
# a database made before (the key there, the functions' tag older):
# merit's next command drops the key and makes the triggers
psqlq "$UF" "ALTER TABLE measurement ADD CONSTRAINT measurement_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES batch(id) ON DELETE CASCADE DEFERRABLE; DROP TRIGGER measurement_batch_i ON measurement; COMMENT ON TABLE merit_schema IS 'merit functions 3'"
run_ok "an older database opened" --db "$UF" batches
expect "... its key dropped" \
	"$(psqlq "$UF" "SELECT count(*) FROM pg_constraint WHERE conrelid = 'measurement'::regclass AND contype = 'f'")" 0
expect "... the check made" "$(psqlq "$UF" "SELECT count(*) FROM pg_trigger WHERE tgname = 'measurement_batch_i'")" 1

run_fail "backup of a PostgreSQL database" 2 "pg_dump" backup "$T/b.db"
run_fail "check of a PostgreSQL database" 2 "checks every reference itself" check
run_fail "restore onto a PostgreSQL database" 2 "pg_restore" restore sq/merit.db

# a database whose locale sorts text otherwise (ICU's en-US: al before
# Bo): merit's text sorts by bytes there, as on SQLite (Bo before al)
psqlq "$U" "CREATE DATABASE icu LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8' TEMPLATE template0"
UI="${U%/merit}/icu"
for db in "$UI" "$T/icu.db"; do
	"$MERIT" --db "$db" init --goal sales >/dev/null 2>&1
	"$MERIT" --db "$db" staff add al --name Al --position promoter >/dev/null 2>&1
	"$MERIT" --db "$db" staff add Bo --name Bo --position promoter >/dev/null 2>&1
done
"$MERIT" --db "$T/icu.db" staff list >"$T/a" 2>&1
"$MERIT" --db "$UI" staff list >"$T/b" 2>&1
grep -q '^Bo ' "$T/a" && ok || fail "no Bo in SQLite's staff list: $(cat "$T/a")"
cmp -s "$T/a" "$T/b" && ok || fail "staff list sorts otherwise in an en-US database: $(diff "$T/a" "$T/b")"

# two imports of one file at once: one batch, the other refused
U2=$(newdb twice) && ok || fail "createdb twice"
MERIT_DB=$U2
run_ok "init a second database" init --goal sales
run_ok "staff" staff add amy --name Amy --position promoter
awk 'BEGIN { print "date,indicator,login,value,denominator";
             for (i = 0; i < 60000; i++) printf "2026-11-%02d,promo_posts,amy,%d,\n", i % 28 + 1, i % 97 }' >big.csv
"$MERIT" import measurements big.csv >"$T/o1" 2>"$T/e1" & p1=$!
"$MERIT" import measurements big.csv >"$T/o2" 2>"$T/e2" & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
expect "two imports of one file at once: one went in" "$(( (r1 == 0) + (r2 == 0) ))" 1
expect "... one batch" "$(psqlq "$U2" 'SELECT count(*) FROM batch')" 1
expect "... its rows once" "$(psqlq "$U2" 'SELECT count(*) FROM measurement')" 60000
cat "$T/e1" "$T/e2" >"$T/e12"
contains "... the other refused as imported already" "$T/e12" "imported already"

# a killed import leaves the state before it
awk 'BEGIN { print "date,indicator,login,value,denominator";
             for (i = 0; i < 1500000; i++) printf "2026-10-%02d,promo_posts,amy,%d,\n", i % 28 + 1, i % 89 }' >huge.csv
"$MERIT" import measurements huge.csv >/dev/null 2>&1 & pk=$!
i=0
while [ $i -lt 100 ] && [ "$(psqlq "$U2" "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'COPY measurement%'")" = 0 ]; do
	sleep 0.05; i=$((i + 1))
done
[ $i -lt 100 ] && ok || fail "the import's COPY was not seen running"
expect "the import is writing when it is killed" "$(kill -0 $pk 2>/dev/null && echo yes)" yes
kill -9 $pk 2>/dev/null; wait $pk 2>/dev/null
sleep 0.5
expect "kill -9 of an import: no batch of it" "$(psqlq "$U2" 'SELECT count(*) FROM batch')" 1
expect "... no row of it" "$(psqlq "$U2" 'SELECT count(*) FROM measurement')" 60000
run_ok "... and it goes in after" import measurements huge.csv
expect "... whole" "$(psqlq "$U2" 'SELECT count(*) FROM measurement')" 1560000

# ---- the web app: SQLite's, and two servers on PostgreSQL ----
start() {     # start DB LOG: a server on DB; its URL in $url
	"$MERIT" --db "$1" serve --listen 127.0.0.1:0 >/dev/null 2>"$2" &
	pids="${pids:-} $!"
	serve_wait "$2" "$!"
}
start sq/merit.db "$T/s0.err"; u0=$url
start "$U" "$T/s1.err"; u1=$url
start "$U" "$T/s2.err"; u2=$url
st=$(python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1] + 'healthz').read().decode())" "$u1")
contains_text() { case $2 in *"$3"*) ok ;; *) fail "$1: $2" ;; esac; }
contains_text "GET /healthz on PostgreSQL" "$st" '"ok":true'
web_py 600 "$T/engines.out" "$here/web/engines_test.py" "$u0" "$u1" "$u2" "$closed" "$open"
# the ratings written through both servers at once: each person's last
# round kept, every criterion once
expect "wang's ratings through both servers: the last round of each of 7 people kept" \
	"$(psqlq "$U" "SELECT count(DISTINCT login) FROM rating WHERE period = '$open' AND kind = 'manager' AND rater = 'wang' AND comment = 'round 5'")" 7
expect "... and no other round left" \
	"$(psqlq "$U" "SELECT count(*) FROM rating WHERE period = '$open' AND kind = 'manager' AND rater = 'wang' AND comment LIKE 'round %' AND comment <> 'round 5'")" 0
expect "... one row a criterion" \
	"$(psqlq "$U" "SELECT count(*) FROM (SELECT login, criterion FROM rating WHERE period = '$open' AND kind = 'manager' AND rater = 'wang' GROUP BY 1, 2 HAVING count(*) > 1) d")" 0

# kill -9 of a server while it writes: the server forgets its connections'
# transactions and locks; the database stays whole and the next change
# goes in at once
spid1=$(echo $pids | awk '{ print $2 }')
PYTHONPATH=$here/web python3 -c '
import sys, time, webtest
u, p = sys.argv[1], sys.argv[2]
h, port = u.split("//")[1].rstrip("/").split(":")
s = webtest.Session(h, int(port), "owner", "merit-demo")
st, _, raw, j = s.call("GET", "/api/ratings?period=%s&login=wang" % p)
ks = [c["key"] for c in j["criteria"]]
end = time.time() + 3
while time.time() < end:
    try:
        s.call("POST", "/api/ratings", {"period": p, "login": "wang", "by": "manager",
               "criteria": {k: 3 for k in ks}, "comment": "burst"})
    except Exception:
        break
' "$u1" "$open" >"$T/burst.out" 2>&1 &
bpid=$!
sleep 0.7
kill -9 "$spid1"
wait "$bpid" 2>/dev/null
i=0
# the writer's lock (pg_advisory_xact_lock(109101114105116): classid 25402, objid 354852124)
writer="SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 25402 AND objid = 354852124"
while [ $i -lt 50 ] && [ "$(psqlq "$U" "$writer")" != 0 ]; do
	sleep 0.1; i=$((i + 1))
done
expect "kill -9 of a server: the writer's lock not left held" "$(psqlq "$U" "$writer")" 0
"$MERIT" --db "$U" --wait 1 staff add kay --name Kay --position promoter >"$T/out" 2>"$T/err"
expect "... a change after it goes in at once" "$?" 0
"$MERIT" --db "$U" score "$closed" --json >"$T/p.json" 2>"$T/p.err"
"$MERIT" --db sq/merit.db score "$closed" --json >"$T/s.json" 2>&1
cmp -s "$T/s.json" "$T/p.json" && ok || fail "the closed cycle's scores changed after the kill"
# a password changed (its sessions ended) and probe rounds (each after the
# day's first grows its batch) there
MERIT_DB=$U
printf 'another-password-1\n' >"$T/pw"
"$MERIT" --db "$U" user passwd lina <"$T/pw" >"$T/out" 2>"$T/err"
expect "user passwd on PostgreSQL" "$?" 0
"$MERIT" --db "$U" probe add http://127.0.0.1:9/ --who wu --every 1s --timeout 1s >"$T/out" 2>"$T/err"
expect "probe add on PostgreSQL" "$?" 0
"$MERIT" --db "$U" probe run --rounds 2 >"$T/out" 2>"$T/err"
expect "two probe rounds on PostgreSQL" "$?" 0
expect "... in one batch of two checks" "$(psqlq "$U" "SELECT rows FROM batch WHERE source = 'probe' ORDER BY id DESC LIMIT 1")" 2
printf 'merit-demo\n' | "$MERIT" --db "$U" user passwd lina >/dev/null 2>&1

# while a change holds the one writer's lock (an import, here psql), a
# login still goes in: sessions and the throttle have a lock of their own
psql "$U" -X -q -c "BEGIN" -c "SELECT pg_advisory_xact_lock(109101114105116)" \
	-c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
hold=$!
i=0
while [ $i -lt 100 ] && [ "$(psqlq "$U" "$writer")" = 0 ]; do sleep 0.05; i=$((i + 1)); done
expect "the writer's lock is held" "$(psqlq "$U" "$writer")" 1
lina_login() {    # URL: the status of lina's login there
	PYTHONPATH=$here/web timeout 20 python3 -c '
import sys, webtest
h, port = sys.argv[1].split("//")[1].rstrip("/").split(":")
st, _, raw = webtest.request(h, int(port), "POST", "/api/login",
    "{\"login\": \"lina\", \"password\": \"merit-demo\"}", {"Content-Type": "application/json"})
print(st)
' "$1" 2>&1
}
expect "... a login meanwhile: let in" "$(lina_login "$u2")" 200
kill $hold 2>/dev/null; wait $hold 2>/dev/null

# the database server restarted under the servers: a request that meets
# a dropped connection is answered 503 "try again", and the next ones get
# a new connection (before: every later request of that connection failed)
if [ "$(id -u)" -eq 0 ]; then as_pg="runuser -u nobody --"; else as_pg=""; fi
$as_pg /usr/lib/postgresql/15/bin/pg_ctl -D "$PGDIR/data" -m fast -w -t 30 restart >"$T/restart" 2>&1
expect "the cluster restarted" "$?" 0
got=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	st=$(lina_login "$u2")
	got="$got $st"
	[ "$st" = 200 ] && break
	sleep 0.3
done
case $got in *" 200") ok ;; *) fail "after a restart of PostgreSQL, logins got:$got" ;; esac
case $got in *" 500"*) fail "a request on a dropped connection answered 500:$got" ;; *) ok ;; esac
pids=$(echo $pids | awk '{ print $1, $3 }')
for f in "$T/s1.err" "$T/s2.err"; do
	grep -Ev '^merit( serve)?: (serving http://|failed login for "wang" from 127.0.0.1$|.*the database server cannot be reached just now)' "$f" >"$T/alarm" || true
	[ -s "$T/alarm" ] && fail "a server on PostgreSQL said: $(head -c 1500 "$T/alarm")" || ok
done
finish

# Every write checked (issue 11): a full disk, a full quota or a full
# standard output is an error that names the file and the cause, exit 1,
# and leaves what was there before as it was.
#  - reports of every format written into a small tmpfs with no room, or
#    too little (the PDF cut at 64 KiB that replaced the old report): the
#    old report byte for byte, no temporary file left, none of
#    libxlsxwriter's own "[ERROR]" lines; an xlsx with $TMPDIR full (its
#    temporary files); plan export and the demo on a full disk;
#  - read commands writing to /dev/full;
#  - an import and a rating into a database whose file system is full:
#    "the disk is full", the database as before and whole;
#  - the web app on that database: 507 and a body that says why.
# Needs root to mount the tmpfs (as CI has): without it the test fails.
. "$(dirname "$0")/lib.sh"

D=$T/small
mkdir "$D"
if ! mount -t tmpfs -o size=4m tmpfs "$D" 2>"$T/mount.err"; then
	fail "cannot mount a tmpfs on $D (this test needs root): $(cat "$T/mount.err")"
	finish
	exit 1
fi
spid=""
cleanup() {
	if [ -n "$spid" ]; then
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
	fi
	umount "$D" 2>/dev/null || umount -l "$D"
	rm -rf "$T"
}
trap cleanup EXIT

# fill KB: leave KB kilobytes free on the tmpfs (0: none at all)
fill() {
	rm -f "$D/filler"
	dd if=/dev/zero of="$D/filler" bs=4096 2>/dev/null
	[ "$1" -gt 0 ] && truncate -s -"$1"K "$D/filler"
	return 0
}

# leftovers DESC KEEP… — nothing on the tmpfs but the filler and KEEP…
leftovers() {
	_d=$1; shift
	_left=$(cd "$D" && ls -A | grep -v -x -e filler $(for k in "$@"; do printf -- '-e %s ' "$k"; done))
	if [ -n "$_left" ]; then fail "$_d: left behind: $_left"; else ok; fi
}

# no_lib_errors DESC — libxlsxwriter's (or any library's) own lines kept
# out, and no sanitizer report (under ASan a leak also exits 1)
no_lib_errors() {
	if grep -q '\[ERROR\]\|\[WARNING\]\|Sanitizer\|runtime error' "$T/err"; then
		fail "$1: a library spoke: $(head -c 3000 "$T/err")"
	else
		ok
	fi
}

run_ok "demo" demo --dir "$T/demo"
on_pg || export MERIT_DB="$T/demo/merit.db"     # (on PostgreSQL: $MERIT_DB itself)

# ---- reports into a full file system: the old report stays ----
for f in pdf xlsx html csv json; do
	# with room, the report is written (the test can tell a good write)
	run_ok "report $f with room" report 2026-10 --format "$f" -o "$D/report.$f"
	[ -s "$D/report.$f" ] && ok || fail "report $f with room: the file is empty"
	cp "$D/report.$f" "$T/good.$f"
	printf 'last month report (%s), kept\n' "$f" >"$D/report.$f"
	cp "$D/report.$f" "$T/old.$f"
	fill 0
	run_fail "report $f, disk full" 1 "report\\.$f: No space left on device" \
		report 2026-10 --format "$f" -o "$D/report.$f"
	cmp -s "$D/report.$f" "$T/old.$f" && ok || fail "report $f, disk full: the old report changed"
	if grep -q "wrote" "$T/err"; then fail "report $f, disk full: says it wrote"; else ok; fi
	leftovers "report $f, disk full" "report.$f"
	no_lib_errors "report $f, disk full"
	rm -f "$D/filler" "$D/report.$f"
done

# the case seen: some room, not enough; the write starts and is cut
for fk in pdf:64 xlsx:8 html:16; do
	f=${fk%:*} k=${fk#*:}
	printf 'last month report (%s), kept\n' "$f" >"$D/report.$f"
	cp "$D/report.$f" "$T/old.$f"
	fill "$k"
	run_fail "report $f, ${k} KiB free" 1 "report\\.$f: No space left on device" \
		report 2026-10 --format "$f" -o "$D/report.$f"
	cmp -s "$D/report.$f" "$T/old.$f" && ok || fail "report $f, ${k} KiB free: the old report changed"
	leftovers "report $f, ${k} KiB free" "report.$f"
	no_lib_errors "report $f, ${k} KiB free"
	rm -f "$D/filler" "$D/report.$f"
done

# $TMPDIR full: libxlsxwriter makes each part of a workbook in a temporary
# file there and does not check those writes (the parts came out empty, in
# a workbook written with exit 0); the PDF needs no temporary file
_tmpdir=${TMPDIR-}
for k in 0 8; do
	printf 'last month report, kept\n' >"$T/report.xlsx"
	cp "$T/report.xlsx" "$T/old.xlsx"
	fill "$k"
	TMPDIR=$D
	export TMPDIR
	run_fail "report xlsx, \$TMPDIR ${k} KiB free" 1 \
		"report\\.xlsx: making the workbook: .*: No space left on device \\(${k} KiB free\\)" \
		report 2026-10 --format xlsx -o "$T/report.xlsx"
	cmp -s "$T/report.xlsx" "$T/old.xlsx" && ok || fail "report xlsx, \$TMPDIR full: the old report changed"
	no_lib_errors "report xlsx, \$TMPDIR full"
	run_ok "report pdf, \$TMPDIR full" report 2026-10 --format pdf -o "$T/report.pdf"
	if [ -n "$_tmpdir" ]; then TMPDIR=$_tmpdir; else unset TMPDIR; fi
	rm -f "$D/filler"
	leftovers "report xlsx, \$TMPDIR full"
done
cmp -s "$T/report.pdf" "$T/good.pdf" && ok || fail "the pdf made with \$TMPDIR full differs"

# the same through a directory where the report does fit: byte-identical
run_ok "report pdf again" report 2026-10 --format pdf -o "$D/again.pdf"
cmp -s "$D/again.pdf" "$T/good.pdf" && ok || fail "the pdf written twice differs"
rm -f "$D/again.pdf"

# plan export and the demo's files go through the same checked write
printf 'the plan as it was\n' >"$D/plan.yaml"
cp "$D/plan.yaml" "$T/old.yaml"
fill 0
run_fail "plan export, disk full" 1 "cannot write .*plan\\.yaml: No space left on device" \
	plan export "$D/plan.yaml"
cmp -s "$D/plan.yaml" "$T/old.yaml" && ok || fail "plan export, disk full: the old file changed"
leftovers "plan export, disk full" plan.yaml
_db=$MERIT_DB
on_pg && export MERIT_DB="$(db_new demo-full)"      # (an empty database for the demo)
run_fail "demo, disk full" 1 "No space left on device|disk is full" demo --dir "$D/demo"
MERIT_DB=$_db
rm -rf "$D/filler" "$D/plan.yaml" "$D/demo"

# ---- standard output full ----
for c in "score 2026-10 --json" "batches" "traffic" "staff list" "plan show" "plan export" \
         "report 2026-10 --format pdf -o -" "report 2026-10 --format xlsx -o -" "--help"; do
	# shellcheck disable=SC2086
	"$MERIT" $c >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ ! -s "$T/out" ]; then fail "$c to a file: exit $rc: $(cat "$T/err")"; else ok; fi
	# shellcheck disable=SC2086
	"$MERIT" $c >/dev/full 2>"$T/err"
	rc=$?
	expect "$c >/dev/full: exit" "$rc" 1
	contains "$c >/dev/full: message" "$T/err" "^merit: standard output: No space left on device$"
	no_lib_errors "$c >/dev/full"
done

# ---- a database on a full file system ----
export MERIT_DB="$D/merit.db"
run_ok "init on the tmpfs" init --goal sales
run_ok "staff boss" staff add boss --name "Boss" --position manager
run_ok "staff member1" staff add member1 --name "Member One" --position promoter --manager boss
run_ok "open 2026-11" cycle open 2026-11
printf 'pw-boss-secret\n' | "$MERIT" user add boss --role admin >"$T/out" 2>"$T/err" \
	&& ok || fail "user add boss: $(cat "$T/err")"
awk 'BEGIN { print "date,indicator,login,value,denominator";
	for (i = 0; i < 20000; i++) printf "2026-11-%02d,promo_posts,member1,%d,\n", i % 28 + 1, i % 97 }' >"$T/big.csv"
sqlite3 "$MERIT_DB" .dump >"$T/db.before"
# no room at all: opening it (its -shm and -wal) fails already
fill 0
run_fail "import, disk full" 1 "merit\\.db: [a-z ]+ the database: the disk is full" \
	import measurements "$T/big.csv"
no_lib_errors "import, disk full"
run_fail "rate, disk full" 1 "the disk is full" rate member1 --period 2026-11 --by manager \
	--criterion analysis=4 --criterion strategy=4 --criterion execution=4
no_lib_errors "rate, disk full"
# room to open it, not for the rows: the commit fails
fill 128
run_fail "import, nearly full" 1 "committing: the disk is full" import measurements "$T/big.csv"
contains "import, nearly full: nothing imported" "$T/err" "nothing was imported"
no_lib_errors "import, nearly full"
rm -f "$D/filler"
sqlite3 "$MERIT_DB" .dump >"$T/db.after"
cmp -s "$T/db.before" "$T/db.after" && ok || fail "the database changed on a full disk"
expect "integrity after the full disk" "$(sqlite3 "$MERIT_DB" 'PRAGMA integrity_check')" "ok"
leftovers "database on a full disk" merit.db merit.db-wal merit.db-shm

# ---- the web app on that database: 507 with the reason ----
"$MERIT" serve --listen 127.0.0.1:0 >"$T/serve.out" 2>"$T/serve.err" &
spid=$!
serve_wait "$T/serve.err" "$spid"
ok
base=${url%/}
jar=$T/cookies
curl -sS -m 20 -c "$jar" -H 'Content-Type: application/json' \
	-d '{"login":"boss","password":"pw-boss-secret"}' "$base/api/login" >"$T/login.json" 2>"$T/curl.err"
csrf=$(sed -n 's/.*"csrf": *"\([^"]*\)".*/\1/p' "$T/login.json")
[ -n "$csrf" ] && ok || fail "web login: $(cat "$T/login.json" "$T/curl.err")"
fill 0
# A rating is a few hundred bytes: the write-ahead log may hold room for
# it already (its frames are reused after a checkpoint), so it either
# goes in (200, and is there) or gets 507 with the reason; never a 500.
code=$(curl -sS -m 60 -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	-d '{"period":"2026-11","login":"member1","by":"manager","criteria":{"analysis":4,"strategy":4,"execution":4},"comment":"fine"}' \
	-o "$T/rating.json" -w '%{http_code}' "$base/api/ratings" 2>"$T/curl.err")
case $code in
200) expect "rating on a full disk, when it fits: stored" \
	"$(sqlite3 "$MERIT_DB" "select count(*) from rating where login = 'member1' and comment = 'fine'")" 1 ;;
507) contains "rating, disk full: the body says why" "$T/rating.json" '"error": *"[^"]*disk is full' ;;
*) fail "rating, disk full: status $code: $(cat "$T/rating.json")" ;;
esac
sqlite3 "$MERIT_DB" .dump >"$T/db.before"
code=$(curl -sS -m 60 -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: text/csv' \
	--data-binary "@$T/big.csv" -o "$T/upload.json" -w '%{http_code}' \
	"$base/api/import?kind=measurements&file=big.csv" 2>"$T/curl.err")
expect "upload, disk full: status" "$code" 507
contains "upload, disk full: the body says why" "$T/upload.json" '"error": *"[^"]*disk is full'
rm -f "$D/filler"
kill "$spid" 2>/dev/null
wait "$spid"
src=$?
spid=""
expect "merit serve stops cleanly" "$src" 0
contains "the server's log names the cause" "$T/serve.err" "disk is full"
if grep -q 'Sanitizer\|runtime error' "$T/serve.err"; then fail "merit serve: $(head -c 3000 "$T/serve.err")"; else ok; fi
sqlite3 "$MERIT_DB" .dump >"$T/db.after"
# the server keeps sessions in the database: compare all but them
grep -v '^INSERT INTO "\{0,1\}session' "$T/db.before" >"$T/db.b"
grep -v '^INSERT INTO "\{0,1\}session' "$T/db.after" >"$T/db.a"
cmp -s "$T/db.b" "$T/db.a" && ok || fail "the web changed the database on a full disk: $(diff "$T/db.b" "$T/db.a" | head -5)"
expect "integrity after the web's full disk" "$(sqlite3 "$MERIT_DB" 'PRAGMA integrity_check')" "ok"

finish

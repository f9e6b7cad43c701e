#!/bin/sh
# bench/report.sh — `merit report` in every format for a 1,000-person
# organisation (run by bench/run.sh; alone: MERIT=./merit sh bench/report.sh).
#
# One position of 14 indicators with daily measurements over two months
# (2026-10 and 2026-11: 854,000 rows), self and manager ratings with
# comments for everyone, both cycles closed (so each person has a
# history).  The report of 2026-11 as html, xlsx, pdf, csv and json.
# Goal: under 2 seconds each; peak memory stated.  Wall-clock seconds,
# best of 3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MERIT=${MERIT:-$here/../merit}
W=$(mktemp -d "${TMPDIR:-/tmp}/merit-bench-report.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"
export MERIT_DB="$W/r.db"

. "$here/lib.sh"

{
	echo 'company: "Bench Ltd"'
	echo "goal: none"
	echo "criteria:"
	echo "  - {key: quality, name: Quality, weight: 60}"
	echo "  - {key: teamwork, name: Teamwork, weight: 40}"
	echo "grades:"
	echo "  - {grade: S, min: 95, bonus: 1.5}"
	echo "  - {grade: A, min: 85, bonus: 1.2}"
	echo "  - {grade: B, min: 70, bonus: 1.0}"
	echo "  - {grade: C, min: 60, bonus: 0.8}"
	echo "  - {grade: D, min: 0, bonus: 0}"
	analyst_plan 150 6
} > plan.yaml
"$MERIT" init --goal none >/dev/null
"$MERIT" plan import plan.yaml >/dev/null
awk 'BEGIN { print "BEGIN;"; for (p = 1; p <= 1000; p++)
	printf "INSERT INTO staff(login, name, position) VALUES (\x27p%d\x27, \x27%s %d\x27, \x27analyst\x27);\n",
		p, (p % 3 == 0) ? "王小明" : "Person", p;
	print "COMMIT;" }' | sqlite3 "$MERIT_DB"
awk 'BEGIN { print "date,indicator,login,value,denominator";
	for (m = 10; m <= 11; m++) for (d = 1; d <= (m == 10 ? 31 : 30); d++)
	for (p = 1; p <= 1000; p++) for (k = 1; k <= 14; k++)
		printf "2026-%02d-%02d,i%d,p%d,%d,\n", m, d, k, p, (p + k * d) % 10 }' > data.csv
"$MERIT" import measurements data.csv >/dev/null
ratings() { # $1 = period
	awk -v per="$1" 'BEGIN { print "BEGIN;"; for (p = 1; p <= 1000; p++) {
		split("quality teamwork", c, " ");
		for (i = 1; i <= 2; i++) {
			printf "INSERT INTO rating VALUES (\x27%s\x27, \x27p%d\x27, \x27self\x27, \x27p%d\x27, \x27%s\x27, %d, \x27I did my part, and more: %d\x27, \x272026-12-01\x27);\n", per, p, p, c[i], 3 + p % 3, p;
			printf "INSERT INTO rating VALUES (\x27%s\x27, \x27p%d\x27, \x27manager\x27, \x27p0\x27, \x27%s\x27, %d, \x27Steady work this month; keep the pace (%d)\x27, \x272026-12-01\x27);\n", per, p, c[i], 2 + p % 4, p }
	} print "COMMIT;" }' | sqlite3 "$MERIT_DB"
}
for per in 2026-10 2026-11; do
	"$MERIT" cycle open $per >/dev/null
	ratings $per
	"$MERIT" cycle review $per >/dev/null
	"$MERIT" cycle close $per --force >/dev/null
done
rows=$(sqlite3 "$MERIT_DB" 'select count(*) from measurement')
echo "report 2026-11, 1000 people x 14 indicators ($rows rows, 4000 ratings, 2 closed cycles):"
for f in html xlsx pdf csv json; do
	t=$(best3 true "'$MERIT' report 2026-11 --format $f -o r.$f")
	mem=$(peak_kib "$MERIT" report 2026-11 --format $f -o r.$f)
	size=$(wc -c < r.$f)
	extra=""
	[ "$f" = pdf ] && command -v pdfinfo >/dev/null 2>&1 &&
		extra=", $(pdfinfo r.pdf | sed -n 's/^Pages: *//p') pages"
	echo "  $f: ${t}s  (goal < 2s)  peak ${mem} KiB  file $((size / 1024)) KiB$extra"
done

# import measurements: happy path, duplicates, --replace, bad rows, batch rm.
. "$(dirname "$0")/lib.sh"

run_ok "init" init --goal sales
run_ok "staff" staff add lina --name "Lina" --position promoter
{
	echo "date,indicator,login,value,denominator"
	i=1
	while [ $i -le 12 ]; do
		printf '2026-11-%02d,promo_posts,lina,2,\n' "$i"
		i=$((i + 1))
	done
	echo "2026-11-13,promo_posts,lina,12.5O,"
	echo "2026-11-14,promo_posts,lina,2,"
} > bad14.csv
# header is line 1, so the bad row is line 14, value is column 4
run_fail "bad number row 14" 1 'bad14.csv:14:4: value "12.5O" is not a number' import measurements bad14.csv
contains "says nothing imported" "$T/err" "nothing was imported"
expect "no batch left" "$(sqlite3 "$MERIT_DB" 'select count(*) from batch')" "0"

printf 'date,indicator,login,value,denominator\n2026-11-01,promo_posts,ghost,1,\n' > ghost.csv
run_fail "unknown login" 1 'ghost.csv:2:3: unknown login "ghost"' import measurements ghost.csv
printf 'date,indicator,login,value,denominator\n2026-11-01,promo_post,lina,1,\n' > ind.csv
run_fail "unknown indicator" 1 'ind.csv:2:2: indicator "promo_post" is not in the plan' import measurements ind.csv
printf 'date,indicator,login,value,denominator\n2026-11-31,promo_posts,lina,1,\n' > date.csv
run_fail "bad date" 1 'date.csv:2:1: date "2026-11-31" is not a date' import measurements date.csv
printf 'date,indicator,who,value\n' > hdr.csv
run_fail "bad header" 1 'hdr.csv:1:3: column "who" is not used by measurements files \(strict\); take a field from it with --map' import measurements hdr.csv --strict
printf 'date,indicator,login,value,denominator\n2026-11-01,uptime,,99,\n' > den.csv
run_fail "ratio without denominator" 1 'den.csv:2:5: uptime is a ratio' import measurements den.csv
# what no measurement can be: a ratio's part of nothing (1 share of 0
# views read as 2% beside 1 of 100), a count below 0, a value out of range
# (named at its own column: it was the login's)
printf 'date,indicator,login,value,denominator\n2026-11-07,uptime,,1,0\n' > zero-den.csv
run_fail "a ratio's part of nothing" 1 'zero-den.csv:2:5: denominator 0 under value 1: uptime is a ratio' import measurements zero-den.csv
printf 'date,indicator,login,value,denominator\n2026-11-07,uptime,,0,0\n2026-11-08,promo_posts,lina,-3,\n' > neg.csv
run_fail "a count below 0" 1 'neg.csv:3:4: value -3 is below 0: promo_posts is in count' import measurements neg.csv
printf 'date,indicator,login,value,denominator\n2026-11-10,promo_posts,lina,1e300,\n' > huge.csv
run_fail "out of range, at the value's column" 1 'huge.csv:2:4: value 1e\+300 is out of range' import measurements huge.csv
printf 'date,indicator,login,value,denominator\n2026-11-10,online_sales,,-80.5,\n' > refund.csv
run_ok "money may be below 0 (a refund's day)" import measurements refund.csv
run_ok "and goes" batch rm "$(sqlite3 "$MERIT_DB" 'select max(id) from batch')"
printf 'date,indicator,login,value,denominator\n2026-11-01,promo_posts,lina,1,5\n' > den2.csv
run_fail "denominator on a sum" 1 'den2.csv:2:5: promo_posts is not a ratio' import measurements den2.csv
printf 'date,indicator,login,value,denominator\n2026-11-01,promo_posts,lina,1\n' > short.csv
run_fail "short row" 1 'short.csv:2:1: 4 fields where the header has 5' import measurements short.csv
: > empty.csv
run_fail "empty file" 1 'empty.csv: the file is empty' import measurements empty.csv
run_fail "missing file" 1 'nofile.csv: No such file' import measurements nofile.csv
printf 'date,indicator,login,value,denominator\n2026-11-01,uptime,,1e308,1e308\n2026-11-02,uptime,,1e308,1e308\n' > huge.csv
run_fail "values beyond 1e15" 1 'huge.csv:2:[0-9]+: .*out of range' import measurements huge.csv
run_fail "unknown kind" 2 'not a kind of import' import stuff x.csv

# --skip-bad reports each bad row and the count, and imports the rest
run_ok "skip bad" import measurements bad14.csv --skip-bad
contains "skipped row reported" "$T/err" 'bad14.csv:14:4: .*row skipped'
contains "count" "$T/out" "imported 13 measurements .* 1 bad rows skipped"

# good file; the same content twice is refused; --replace swaps
{
	echo "date,indicator,login,value,denominator"
	echo "2026-11-02,promo_posts,lina,3,"
	echo "2026-11-03,online_sales,,1999.99,"
	echo '2026-11-03,"uptime",,1430,1440'
} > good.csv
run_ok "import good" import measurements good.csv
contains "batch 2" "$T/out" "imported 3 measurements from good.csv as batch 2"
run_fail "same content" 1 'imported already as batch 2' import measurements good.csv
run_ok "replace" import measurements good.csv --replace
contains "replaced" "$T/out" "as batch 3, replacing batch 2"
expect "rows after replace" "$(sqlite3 "$MERIT_DB" 'select count(*) from measurement')" "16"
expect "traced to lines" "$(sqlite3 "$MERIT_DB" "select line from measurement m join subject u on u.id = m.subject_id where u.indicator='uptime'")" "4"
# --replace with a corrected file of the same name swaps the earlier batch
mkdir -p fix
printf 'date,indicator,login,value,denominator\n2026-11-20,promo_posts,lina,4,\n' > fix/r.csv
run_ok "first r.csv" import measurements fix/r.csv
first=$(sqlite3 "$MERIT_DB" "select max(id) from batch")
printf 'date,indicator,login,value,denominator\n2026-11-20,promo_posts,lina,5,\n' > fix/r.csv
run_ok "corrected r.csv" import measurements fix/r.csv --replace
contains "replaced the same name" "$T/out" "replacing batch $first"
expect "only the corrected value" "$(sqlite3 "$MERIT_DB" "select group_concat(value) from measurement where day = 20777")" "5.0"
run_ok "rm it" batch rm $((first + 1))
printf 'date,indicator,login,value,denominator\n' > header-only.csv
run_fail "header only" 1 'header-only.csv: only a header, no rows' import measurements header-only.csv
run_ok "batches" batches
contains "batch listed with dates" "$T/out" "3 +measurements +3 +2026-11-02..2026-11-03"
run_ok "batches json" batches --json
contains "sha256 in json" "$T/out" '"sha256": "[0-9a-f]{64}"'
sha=$(sha256sum good.csv | cut -c1-64)
contains "sha256 is the content's" "$T/out" "$sha"

# stdin, with a byte-order mark and CRLF line ends
printf '\357\273\277date,indicator,login,value,denominator\r\n2026-11-05,promo_posts,lina,4,\r\n' | "$MERIT" import measurements - >"$T/out" 2>"$T/err"
expect "stdin import" "$?" "0"
contains "stdin counted" "$T/out" "imported 1 measurements"

run_ok "batch rm" batch rm 3
expect "measurements gone" "$(sqlite3 "$MERIT_DB" 'select count(*) from measurement where batch_id=3')" "0"
run_fail "batch rm again" 1 'no batch 3' batch rm 3
run_fail "batch rm bad id" 2 'not a batch number' batch rm x

# record by hand: its own batch
run_ok "record" record online_sales 500.25 --team --date 2026-11-04
run_fail "record unknown indicator" 1 'not in the plan' record brand_awareness 5 --team --date 2026-11-04
run_fail "record ratio without of" 1 'it needs its denominator; give it with --of' record uptime 5 --who lina --date 2026-11-04
run_fail "record a ratio's part of nothing" 1 'denominator 0 under value 5: uptime is a ratio' record uptime 5 --who lina --of 0 --date 2026-11-04
run_fail "record a count below 0" 1 'value -2 is below 0' record promo_posts --who lina --date 2026-11-04 -- -2
run_fail "record both" 2 'who LOGIN or --team' record online_sales 5 --who lina --team --date 2026-11-04
run_fail "record bad number" 2 'VALUE "5x" is not a number' record online_sales 5x --team --date 2026-11-04

# a long file whose last row is bad: nothing of it kept (on PostgreSQL its
# rows went to the server as they were read, in a COPY left open, and its
# new subject was numbered by merit); without that row, all of it, and
# the new subject numbered after the others, as SQLite numbers them
run_ok "another promoter" staff add ming --name Ming --position promoter
n0=$(sqlite3 "$MERIT_DB" 'select count(*) from measurement')
s0=$(sqlite3 "$MERIT_DB" "select count(*) || ' ' || max(id) from subject")
awk 'BEGIN { print "date,indicator,login,value,denominator";
	for (i = 0; i < 150000; i++) printf "2025-%02d-%02d,promo_posts,ming,%d,\n", 1 + i % 12, 1 + i % 28, i % 7
	print "2025-12-31,promo_posts,ming,x," }' > late-bad.csv
run_fail "a bad row after 150,000 good ones" 1 'late-bad.csv:150002:4: value "x" is not a number' import measurements late-bad.csv
expect "... none of its rows kept" "$(sqlite3 "$MERIT_DB" 'select count(*) from measurement')" "$n0"
expect "... nor its subject" "$(sqlite3 "$MERIT_DB" "select count(*) || ' ' || max(id) from subject")" "$s0"
sed '$d' late-bad.csv > late-good.csv
run_ok "the file without it" import measurements late-good.csv
expect "... all its rows" "$(sqlite3 "$MERIT_DB" "select count(*) from measurement m join subject u on u.id = m.subject_id where u.login = 'ming'")" 150000
expect "... its subject the next number" "$(sqlite3 "$MERIT_DB" "select id from subject where login = 'ming'")" "$((${s0#* } + 1))"
expect "... its rollup whole" "$(sqlite3 "$MERIT_DB" "select sum(n), sum(sum) from rollup r join subject u on u.id = r.subject_id where u.login = 'ming'")" \
	"$(awk -F, 'NR > 1 { n++; v += $4 } END { printf "%d|%.1f", n, v }' late-good.csv)"

# many people in one file: past the first few, PostgreSQL reads every
# login at once; a login not there is still refused, at its own row, and
# goes in once added
for k in 1 2 3 4 5 6 7 8 9 10 11 12; do
	"$MERIT" staff add "m$k" --name "M $k" --position promoter >/dev/null || echo "staff add m$k failed"
done
awk 'BEGIN { print "date,indicator,login,value,denominator";
	for (k = 1; k <= 12; k++) printf "2025-06-%02d,promo_posts,m%d,%d,\n", k, k, k
	print "2025-06-13,promo_posts,m13,1,"; print "2025-06-14,promo_posts,m1,1," }' > many.csv
n0=$(sqlite3 "$MERIT_DB" 'select count(*) from measurement')
run_fail "a login not there after twelve that are" 1 'many.csv:14:3: unknown login "m13"' import measurements many.csv
expect "... nothing of it kept" "$(sqlite3 "$MERIT_DB" 'select count(*) from measurement')" "$n0"
run_ok "m13 added" staff add m13 --name "M 13" --position promoter
run_ok "the same file" import measurements many.csv
expect "... all its rows, each person's own" "$(sqlite3 "$MERIT_DB" "select count(*), count(distinct u.login), sum(m.value) from measurement m join subject u on u.id = m.subject_id where u.login like 'm%' and u.login <> 'ming'")" "14|13|80.0"

# a corrected copy of a measurements file (rows keep no identity): both
# count, and that is said, naming the earlier batch (it was silent: 10 + 12)
printf 'date,indicator,login,value,denominator\n2026-12-01,promo_posts,lina,10,\n' > corrected.csv
run_ok "a file" import measurements corrected.csv
first=$(sqlite3 "$MERIT_DB" 'select max(id) from batch')
printf 'date,indicator,login,value,denominator\n2026-12-01,promo_posts,lina,12,\n' > corrected.csv
run_ok "its corrected copy" import measurements corrected.csv
contains "both count, said" "$T/err" "corrected.csv: batch $first came from a file of the same name, and both count; if this file corrects that one, remove it \(.merit batch rm $first.\)"
# a file of that name for other days (a monthly export's name): no note
printf 'date,indicator,login,value,denominator\n2026-12-20,promo_posts,lina,3,\n' > corrected.csv
run_ok "a file of that name for other days" import measurements corrected.csv
if grep -q 'same name' "$T/err"; then fail "other days told as a correction: $(cat "$T/err")"; else ok; fi
finish

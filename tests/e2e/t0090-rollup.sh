# The monthly totals stay equal to the measurements through imports,
# replacements and removals, and periods with partial months add up.
. "$(dirname "$0")/lib.sh"

# rollup rows that differ from a fresh GROUP BY of the measurements
drift() {
	sqlite3 "$MERIT_DB" "
	WITH fresh AS (
		SELECT subject_id,
		       CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) * 12
		         + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1 AS month,
		       count(*) AS n, sum(value) AS sum, total(denominator) AS den,
		       min(value) AS min, max(value) AS max, max(day) AS last_day
		FROM measurement GROUP BY 1, 2)
	SELECT (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT
	                              SELECT subject_id, month, n, sum, den, min, max, last_day FROM rollup))
	     + (SELECT count(*) FROM (SELECT subject_id, month, n, sum, den, min, max, last_day FROM rollup
	                              EXCEPT SELECT * FROM fresh))"
}

run_ok "init" init --goal sales
run_ok "staff" staff add ana --name Ana --position promoter
"$MERIT" plan export p.yaml
# make keyword_rank a `last` indicator to check ties
sed 's/direction: lower, aggregate: mean, source: ranks/direction: lower, aggregate: last, source: ranks/' p.yaml > p2.yaml
run_ok "plan" plan import p2.yaml
cat > a.csv <<'CSV'
date,indicator,login,value,denominator
2026-01-30,promo_posts,ana,3,
2026-01-31,promo_posts,ana,4,
2026-02-01,promo_posts,ana,5,
2026-02-15,keyword_rank,ana,9,
2026-02-28,keyword_rank,ana,7,
2026-03-01,online_sales,,100.5,
2026-03-31,online_sales,,200,
CSV
cat > b.csv <<'CSV'
date,indicator,login,value,denominator
2026-02-28,keyword_rank,ana,4,
2026-02-10,promo_posts,ana,10,
2026-04-01,online_sales,,1,
CSV
run_ok "import a" import measurements a.csv
expect "no drift after a" "$(drift)" "0"
run_ok "import b" import measurements b.csv
expect "no drift after b" "$(drift)" "0"
# keyword_rank on 2026-02-28: b's 4 came later than a's 7, so last = 4
run_ok "score feb" score 2026-02 --json
expect "feb rank" "$(sqlite3 :memory: "select json_extract(value, '\$.actual') from json_each(json_extract(readfile('$T/out'), '\$.people[0].indicators')) where json_extract(value, '\$.key') = 'keyword_rank'")" "4.0"
# a range with partial months at both ends: 2026-01-31..2026-03-01
run_ok "score range" score 2026-01-31..2026-03-01 --json
expect "posts over the range" "$(sqlite3 :memory: "select json_extract(value, '\$.actual') from json_each(json_extract(readfile('$T/out'), '\$.people[0].indicators')) where json_extract(value, '\$.key') = 'promo_posts'")" "19.0"
expect "sales on the range's edge" "$(sqlite3 :memory: "select json_extract(value, '\$.actual') from json_each(readfile('$T/out'), '\$.team') where json_extract(value, '\$.key') = 'online_sales'")" "100.5"
run_ok "score q1" score 2026-Q1 --json
expect "sales in Q1" "$(sqlite3 :memory: "select json_extract(value, '\$.actual') from json_each(readfile('$T/out'), '\$.team') where json_extract(value, '\$.key') = 'online_sales'")" "300.5"
# remove b: the months it touched are summed again
run_ok "rm b" batch rm 2
expect "no drift after rm" "$(drift)" "0"
run_ok "score feb again" score 2026-02 --json
expect "feb rank back to a's" "$(sqlite3 :memory: "select json_extract(value, '\$.actual') from json_each(json_extract(readfile('$T/out'), '\$.people[0].indicators')) where json_extract(value, '\$.key') = 'keyword_rank'")" "7.0"
# replace a with itself: same totals
run_ok "replace a" import measurements a.csv --replace
expect "no drift after replace" "$(drift)" "0"
run_ok "score q1 again" score 2026-Q1 --json
expect "sales unchanged" "$(sqlite3 :memory: "select json_extract(value, '\$.actual') from json_each(readfile('$T/out'), '\$.team') where json_extract(value, '\$.key') = 'online_sales'")" "300.5"
# a failed import leaves no trace in the totals
printf 'date,indicator,login,value,denominator\n2026-02-03,promo_posts,ana,1,\n2026-02-04,promo_posts,ana,x,\n' > bad.csv
run_fail "bad import" 1 'bad.csv:3:4' import measurements bad.csv
expect "no drift after failure" "$(drift)" "0"

finish

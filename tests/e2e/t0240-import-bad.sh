# Bad input for every kind of import: wrong header, bad date, bad number,
# a cut-off file, a line longer than 64 KiB, invalid UTF-8.  Each is a
# clear error naming file:line:column, and nothing is written.
. "$(dirname "$0")/lib.sh"

REAL=${SHARED:?}/data/real
run_ok "init" init --goal sales
run_ok "staff" staff add lina --name Lina --position promoter
run_ok "tracker" own tracker aurora --who lina
run_ok "site" own site s.example --who lina
run_ok "author" own author Ann --who lina
run_ok "keyword" own keyword kw --who lina
# members count new_members, which a sales plan lacks (an import that
# counts nothing is refused): they go to a platform plan's database
run_ok "platform plan" --db "$T/p.db" init --goal platform
sales_db=$MERIT_DB

big=$(python3 -c "print('x' * 70000)")
# kind | header | good row | bad-date row | bad-date column | bad-number row | its column
while IFS='|' read -r kind hdr good bdate bdcol bnum bncol; do
	[ -n "$kind" ] || continue
	if [ "$kind" = members ]; then MERIT_DB=$T/p.db; else MERIT_DB=$sales_db; fi
	printf '%s\n%s\n' "$hdr" "$good" > ok.csv
	run_ok "$kind: good file" import "$kind" ok.csv
	run_ok "$kind: batch rm" batch rm "$(sqlite3 "$MERIT_DB" 'select max(id) from batch')"
	printf 'foo,%s\n%s\n' "$hdr" "$good" > hdr.csv
	run_fail "$kind: unused column under --strict" 1 'hdr.csv:1:1: column "foo" is not used by' import "$kind" hdr.csv --strict
	printf '%s\n%s\n%s\n' "$hdr" "$good" "$bdate" > date.csv
	run_fail "$kind: bad date" 1 "date.csv:3:$bdcol: .* is not a date" import "$kind" date.csv
	if [ -n "$bnum" ]; then
		printf '%s\n%s\n%s\n' "$hdr" "$good" "$bnum" > num.csv
		run_fail "$kind: bad number" 1 "num.csv:3:$bncol: .* is (not a number|not an amount|neither)" import "$kind" num.csv
	fi
	printf '%s\n%s\n%s' "$hdr" "$good" "${good%,*}" > cut.csv
	run_fail "$kind: cut off in a row" 1 'cut.csv:3:1: [0-9]+ fields where the header has' import "$kind" cut.csv
	printf '%s\n%s\n"%s' "$hdr" "$good" "$good" > cutq.csv
	run_fail "$kind: cut off in quotes" 1 'cutq.csv:3: the file ends inside a quoted field \(opened on line 3\)' import "$kind" cutq.csv
	printf '%s\n%s\n%s\n"x\ny\n\nz\n' "$hdr" "$good" "$good" > cutq2.csv
	run_fail "$kind: cut off in quotes, lines on" 1 'cutq2.csv:8: the file ends inside a quoted field \(opened on line 4\)' import "$kind" cutq2.csv
	printf '%s\n%s\n%s,x"y"\n' "$hdr" "$good" "${good%,*}" > quote.csv
	col=$(($(printf "%s" "$hdr" | tr -cd , | wc -c) + 1))
	run_fail "$kind: a misplaced quote" 1 "quote.csv:3:$col: a misplaced quote in field $col" import "$kind" quote.csv
	printf '%s\n%s\n%s%s\n' "$hdr" "$good" "$big" "${good#*,}" | sed '3s/^/,/' > long.csv
	run_fail "$kind: line over 64 KiB" 1 'long.csv:3:2: field longer than 64 KiB' import "$kind" long.csv
	printf '%s\n%s\n\377%s\n' "$hdr" "$good" "$good" > utf.csv
	run_fail "$kind: invalid UTF-8" 1 'utf.csv:3:1: not valid UTF-8' import "$kind" utf.csv
	run_ok "$kind: --skip-bad" import "$kind" utf.csv --skip-bad
	contains "$kind: skipped and counted" "$T/out" "1 bad rows skipped"
done <<'KINDS'
orders|date,order,customer,total|2026-11-01,#1,a@x,10.00|2026-11-31,#2,b@x,1.00|1|2026-11-02,#3,c@x,1O.00|4
tasks|key,assignee,due,done,first_review|K-1,aurora,2026-11-01,,|K-2,aurora,2026-13-01,,|3||
ranks|date,keyword,position|2026-11-01,kw,3|2026/11/01,kw,3|1|2026-11-01,kw,three|3
leads|date,count|2026-11-01,2|01-11-2026,2|1|2026-11-01,-2|2
members|date,count|2026-11-01,2|2026-11-00,2|1|2026-11-01,2e|2
posts|date,login,platform,url|2026-11-01,lina,x,u|x,lina,x,u|1||
content|date,url,author,type,views,shares|2026-11-01,u,Ann,topic,10,1|2026-1-1x,u,Ann,topic,10,1|1|2026-11-01,u,Ann,topic,10,1.2.3|6
uptime|date,site,up,total|2026-11-01,s.example,99,100|yesterday,s.example,99,100|1|2026-11-01,s.example,99,l00|4
measurements|date,indicator,login,value,denominator|2026-11-01,promo_posts,lina,2,|2026-11-1,promo_posts,lina,2,|1|2026-11-01,promo_posts,lina,2..,|4
KINDS
MERIT_DB=$sales_db

# the real exports, cut off part-way: an error, nothing written
head -c 20000 "$REAL/shopify_orders_export_1_ExplorerClothing_REDACTED.csv" > shop-cut.csv
run_fail "shopify cut off" 1 'shop-cut.csv:[0-9]+:1: [0-9]+ fields where the header has 78' import orders shop-cut.csv
head -c 60000 "$REAL/jira_server_export_DuplicateBugs.csv" > jira-cut.csv
run_fail "jira server cut off" 1 'jira-cut.csv:[0-9]+:1: [0-9]+ fields where the header has 102' import tasks jira-cut.csv
head -c 9000 "$REAL/gsc_Queries_jfaccioli.csv" > gsc-cut.csv
run_fail "gsc cut off" 1 'gsc-cut.csv:[0-9]+' import ranks gsc-cut.csv --date 2026-11-30
: > empty.csv
run_fail "empty" 1 'empty.csv: the file is empty; it needs the header date,order,customer,total' import orders empty.csv

# a directory where a file goes: said so (it was "read error")
mkdir -p adir
run_fail "a directory to import" 1 'adir: read error: Is a directory' import measurements adir
run_fail "a directory as the plan" 1 'adir: read error: Is a directory' plan import adir
finish

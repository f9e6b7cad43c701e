# Values, dates and money (SPEC §3 currency, §5; issue 10 items 4 and 5):
# order statuses, content types and review verdicts in English and Chinese
# through the built-in tables and --value, unknown ones told with their
# count; dates day- or month-first (told, or shown by the data, refused as
# ambiguous otherwise), Spanish and Chinese month names, 2026年11月3日; the
# plan's currency and Shopify's point-of-sale and draft orders.  Sums are
# computed here with Python's csv module.
. "$(dirname "$0")/lib.sh"

REAL=${SHARED:?}/data/real
SHOP=$REAL/shopify_orders_export_1_ExplorerClothing_REDACTED.csv
q() { sqlite3 "$MERIT_DB" "$1"; }
ind() { q "select count(*) || ' ' || printf('%.2f', coalesce(sum(value), 0)) from measurement m join subject s on s.id = m.subject_id where s.indicator = '$1' and ifnull(s.login, '') = '$2'"; }
# count and sum of the last batch's measurements of an indicator
last() { q "select count(*) || ' ' || printf('%.2f', coalesce(sum(value), 0)) from measurement m join subject s on s.id = m.subject_id where s.indicator = '$1' and m.batch_id = (select max(id) from batch)"; }
rm_last() { run_ok "batch rm" batch rm "$(q 'select max(id) from batch')"; }

run_ok "init" init --goal sales
run_ok "staff" staff add lina --name Lina --position promoter
run_ok "staff" staff add ed --name Ed --position editor
run_ok "staff" staff add des --name Des --position designer
run_ok "own author" own author "Ed Itor" --who ed
run_ok "own tracker" own tracker "Des Igner" --who des

# ---- order statuses: Chinese and English, told when not counted ----
cat > status.csv <<'EOF'
date,order,customer,total,status
2026-11-01,#1,a@x,100.00,交易成功
2026-11-01,#2,b@x,20.50,已完成
2026-11-02,#3,c@x,7.25,已付款
2026-11-02,#4,d@x,11.00,paid
2026-11-02,#5,e@x,300.00,交易关闭
2026-11-03,#6,f@x,40.00,已取消
2026-11-03,#7,g@x,55.00,已退款
2026-11-03,#8,h@x,66.00,cancelled
2026-11-04,#9,i@x,5.00,发货中
2026-11-04,#10,j@x,6.00,发货中
EOF
py_sum() { python3 - "$@" <<'EOF'
import csv, sys
paid = {'交易成功', '已完成', '已付款', 'paid'} | set(sys.argv[2:])
rows = [r for r in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'))]
n = [r for r in rows if r['status'] in paid]
print(len(n), '%.2f' % sum(float(r['total']) for r in n))
EOF
}
run_ok "statuses" import orders status.csv
expect "paid ones counted (交易成功, 已完成, 已付款, paid)" "$(last online_sales)" "$(py_sum status.csv)"
contains "交易关闭 told as not counted" "$T/err" 'status.csv: status "交易关闭" means cancelled: 1 orders not counted'
contains "已退款 told" "$T/err" 'status "已退款" means refunded: 1 orders not counted'
contains "已取消 told" "$T/err" 'status "已取消" means cancelled: 1 orders not counted'
contains "unknown status told with its count" "$T/err" "status \"发货中\" is not a value merit knows: 2 orders not counted; say what it means with --value 'status:发货中=MEANING' \\(paid, pending, cancelled or refunded\\)"
expect "told once" "$(grep -c '发货中' "$T/err")" "1"
run_ok "--value maps it" import orders status.csv --replace --value 'status:发货中=paid'
expect "now counted" "$(last online_sales)" "$(py_sum status.csv 发货中)"
if grep -q '发货中' "$T/err"; then fail "a mapped value told as unknown: $(cat "$T/err")"; else ok; fi
run_ok "--value overrides the table" import orders status.csv --replace --value 'status:交易成功=cancelled' --value 'status:发货中=paid'
expect "交易成功 no longer counted" "$(last online_sales)" "$(python3 -c "print(5, '%.2f' % (20.50 + 7.25 + 11.00 + 5 + 6))")"
rm_last
run_fail "--value: bad meaning" 1 '--value "status:x=done": "done" is not a status merit knows; say paid, pending, cancelled or refunded' import orders status.csv --value 'status:x=done'
run_fail "--value: no such field" 1 '--value "kind:x=paid": orders files have no field with values to map there; fields with values: status, source' import orders status.csv --value 'kind:x=paid'
run_fail "--value: malformed" 1 "--value \"status\": say FIELD:VALUE=MEANING" import orders status.csv --value status

# ---- content types: 专题 / topic / special are topics ----
cat > content.csv <<'EOF'
date,url,author,type,views,shares
2026-11-01,/a,Ed Itor,专题,10,1
2026-11-02,/b,Ed Itor,topic,10,1
2026-11-03,/c,Ed Itor,Special,10,1
2026-11-04,/d,Ed Itor,文章,10,1
2026-11-05,/e,Ed Itor,article,10,1
2026-11-06,/f,Ed Itor,视频,10,1
2026-11-07,/g,Ed Itor,podcast,10,1
2026-11-08,/h,Ed Itor,podcast,10,1
EOF
run_ok "content types" import content content.csv
expect "every row an update" "$(ind content_updates ed)" "8 8.00"
expect "topics: 专题, topic, Special" "$(ind topics_produced ed)" "3 3.00"
contains "unknown type told" "$T/err" "type \"podcast\" is not a value merit knows: 2 rows counted as content updates, not as topics; say what it means with --value 'type:podcast=MEANING' \\(topic, article or other\\)"
run_ok "type mapped" import content content.csv --replace --value 'type:podcast=topic'
expect "podcasts now topics" "$(ind topics_produced ed)" "5 5.00"

# ---- review verdicts: 通过 approved, 驳回 / 不通过 rejected ----
cat > review.csv <<'EOF'
key,assignee,type,due,done,first_review
D-1,Des Igner,design,2026-11-05,2026-11-04,通过
D-2,Des Igner,design,2026-11-05,2026-11-04,驳回
D-3,Des Igner,design,2026-11-05,2026-11-04,不通过
D-4,Des Igner,design,2026-11-05,2026-11-04,approved
D-5,Des Igner,design,2026-11-05,2026-11-04,待定
EOF
run_ok "verdicts" import tasks review.csv
expect "design_approval: 2 of 4 judged" "$(q "select count(*) || ' ' || sum(value) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'design_approval'")" "4 2.0"
contains "unknown verdict told" "$T/err" 'first_review "待定" is not a value merit knows: 1 first reviews not counted'
rm_last

# ---- dates ----
# Spanish Jira (15/ene/26 12:00 AM), Chinese month names, 2026年11月3日
cat > es.csv <<'EOF'
key,assignee,due,done
E-1,Des Igner,15/ene/26 12:00 AM,14/ene/26 3:29 PM
E-2,Des Igner,2/feb/26 12:00 AM,
E-3,Des Igner,9/ago/26 12:00 AM,10/ago/26 9:00 AM
E-4,Des Igner,15/十一月/26 12:00 上午,15/十一月/26 2:00 下午
EOF
run_ok "Spanish and Chinese month names" import tasks es.csv
expect "due days" "$(q "select group_concat(date(day * 86400, 'unixepoch') || '=' || value, ' ') from (select day, value from measurement m join subject s on s.id = m.subject_id where s.indicator = 'task_completion' order by line)")" "2026-01-15=1.0 2026-02-02=0.0 2026-08-09=0.0 2026-11-15=1.0"
rm_last
printf 'date,order,customer,total\n2026年11月3日,#1,a@x,10.00\n2026年11月4日 14:30,#2,b@x,5.00\n' > zh.csv
run_ok "2026年11月3日" import orders zh.csv
expect "days" "$(q "select group_concat(date(day * 86400, 'unixepoch'), ' ') from (select day from measurement m join subject s on s.id = m.subject_id where s.indicator = 'online_sales' and m.batch_id = (select max(id) from batch) order by line)")" "2026-11-03 2026-11-04"
rm_last

# day-first or month-first: ambiguous alone, told by a flag or by the data
printf 'date,count\n03/04/2026,1\n05/06/2026,2\n' > amb.csv
run_fail "ambiguous refused with file:line:column" 1 'amb.csv:2:1: date "03/04/2026" is ambiguous: day first or month first\? .*--date-order dmy \(day first\) or --date-order mdy' import leads amb.csv
run_ok "--date-order dmy" import leads amb.csv --date-order dmy
expect "3 April" "$(q "select group_concat(date(day * 86400, 'unixepoch'), ' ') from measurement where batch_id = (select max(id) from batch) order by line")" "2026-04-03 2026-06-05"
rm_last
run_ok "--date-order mdy" import leads amb.csv --date-order mdy
expect "March 4" "$(q "select group_concat(date(day * 86400, 'unixepoch'), ' ') from measurement where batch_id = (select max(id) from batch) order by line")" "2026-03-04 2026-05-06"
rm_last
run_fail "--date-order bad" 2 'date-order "ymd": say dmy' import leads amb.csv --date-order ymd
# the day over 12 comes last: the rows before it wait for it, then count
printf 'date,count\n03/04/2026,1\n2026-04-10,5\n05/06/2026,2\n11/25/2026,4\n' > told.csv
run_ok "month-first shown by 11/25" import leads told.csv
expect "read month-first, in file order" "$(q "select group_concat(date(day * 86400, 'unixepoch') || '@' || line, ' ') from (select day, line from measurement where batch_id = (select max(id) from batch) order by line)")" "2026-03-04@2 2026-04-10@3 2026-05-06@4 2026-11-25@5"
expect "all counted" "$(q "select sum(value) from measurement where batch_id = (select max(id) from batch)")" "12.0"
rm_last
printf 'date,count\n25/11/2026,1\n11/25/2026,4\n' > mixed.csv
run_fail "day-first then month-first" 1 'mixed.csv:3:1: date "11/25/2026" is not a date .*dates in this file are day-first, as line 2 shows' import leads mixed.csv
run_fail "told, and the data disagree" 1 'told.csv:5:1: date "11/25/2026" is not a date .*dates were said to be day first' import leads told.csv --date-order dmy
# the forms of before still read
printf 'date,count\n2022-04-06 21:52:39 -0400,1\n16/Feb/17 3:29 PM,1\n16/02/2017 15:26,1\n' > old.csv
run_ok "existing forms" import leads old.csv
rm_last

# ---- money: the real Shopify export ----
# Its Source column holds "web" and "580111" (Shopify's Online Store app)
# on the orders' rows, blank on line items; Currency is USD throughout: no
# point-of-sale or draft orders, so every paid order counts (81), as before.
shop_py() { python3 - "$@" <<'EOF'
import csv, sys
src, out = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(src, newline='', encoding='utf-8')))
fields = list(rows[0].keys())
orders = [i for i, r in enumerate(rows) if r['Financial Status']]
if out == 'values':
    print(' '.join(sorted({rows[i]['Source'] for i in orders})), ' '.join(sorted({rows[i]['Currency'] for i in orders})))
    sys.exit()
# rewrite: orders 0, 3 and 5 point of sale, 1 and 4 drafts, 2 and 6 in EUR
for k, i in enumerate(orders[:7]):
    if k in (0, 3, 5): rows[i]['Source'] = 'pos'
    if k in (1, 4): rows[i]['Source'] = 'shopify_draft_order'
    if k in (2, 6): rows[i]['Currency'] = 'EUR'
w = csv.DictWriter(open(out, 'w', newline='', encoding='utf-8'), fieldnames=fields, lineterminator='\n')
w.writeheader()
w.writerows(rows)
def counted(skip_eur):
    n = [rows[i] for i in orders if rows[i]['Financial Status'] in ('paid', 'partially_refunded')
         and rows[i]['Source'] not in ('pos', 'shopify_draft_order')
         and not (skip_eur and rows[i]['Currency'] == 'EUR')]
    return '%d %.2f' % (len(n), sum(float(r['Total']) - float(r['Refunded Amount'] or 0) for r in n))
eur = [i for k, i in enumerate(orders[:7]) if k in (2, 6)]
print(counted(False).replace(' ', '_'), counted(True).replace(' ', '_'), eur[0] + 2)
EOF
}
expect "the real export's sources and currencies" "$(shop_py "$SHOP" values)" "580111 web USD"
run_ok "real Shopify export" import orders "$SHOP"
expect "all 81 paid orders online" "$(last online_sales | cut -d' ' -f1)" "81"
rm_last

set -- $(shop_py "$SHOP" shop.csv)
usd=$(echo "$2" | tr _ ' ') eur_line=$3
run_fail "mixed currencies, none in the plan" 1 "shop.csv:$eur_line:8: the orders are in more than one currency \\(USD [0-9]+ \\(first on line [0-9]+\\), EUR 2 \\(first on line $eur_line\\)\\).*\\(currency: USD\\)" import orders shop.csv
run_fail "skip-bad does not choose a currency" 1 'more than one currency' import orders shop.csv --skip-bad
run_ok "plan export" plan export plan.yaml
printf 'currency: USD\n' >> plan.yaml
run_ok "plan with a currency" plan import plan.yaml
run_ok "plan shows it" plan export plan2.yaml
contains "written back" plan2.yaml '^currency: USD'
run_fail "orders in EUR refused with their count" 1 "shop.csv:$eur_line:8: 2 orders are not in USD, the plan's currency \\(USD [0-9]+ .*EUR 2 .*--skip-bad" import orders shop.csv
run_ok "skipped with --skip-bad" import orders shop.csv --skip-bad
contains "each skipped row told" "$T/err" "shop.csv:$eur_line:8: the order is in EUR, not USD \\(the plan's currency\\) \\(row skipped\\)"
contains "2 skipped" "$T/out" '2 bad rows skipped'
expect "sales: paid online USD orders" "$(last online_sales)" "$usd"
contains "pos told" "$T/err" 'source "pos" means pos: 3 orders not counted: point of sale, not online'
contains "drafts told" "$T/err" 'source "shopify_draft_order" means draft: 2 orders not counted: draft orders made by staff, not online'
rm_last
sed -i 's/^currency: USD$/currency: EUR/' plan.yaml
run_ok "plan in EUR" plan import plan.yaml
run_fail "USD orders refused" 1 "shop.csv:[0-9]+:8: [0-9]+ orders are not in EUR" import orders shop.csv
printf 'currency: usd\n' > badplan.yaml
cat plan.yaml | grep -v '^currency' >> badplan.yaml
run_fail "bad currency in the plan" 1 'badplan.yaml:1:11: currency "usd" is not an ISO 4217 code' plan import badplan.yaml
# a generic orders file with a currency column
printf 'date,order,customer,total,currency\n2026-11-01,#1,a@x,10.00,EUR\n2026-11-02,#2,b@x,5.00,eur\n' > eur.csv
run_ok "generic file in the plan's currency" import orders eur.csv
expect "both counted" "$(last online_sales)" "2 15.00"

finish

# import orders: the real Shopify export (figures computed here with
# Python's csv module), a generic file, first-time buyers across imports,
# --replace and batch rm.
. "$(dirname "$0")/lib.sh"

REAL=${SHARED:?}/data/real
SHOP=$REAL/shopify_orders_export_1_ExplorerClothing_REDACTED.csv
q() { sqlite3 "$MERIT_DB" "$1"; }
# sum/count of an indicator's measurements for a login ('' = the team)
ind() { q "select count(*) || ' ' || printf('%.2f', coalesce(sum(value), 0)) from measurement m join subject s on s.id = m.subject_id where s.indicator = '$1' and ifnull(s.login, '') = '$2'"; }

# Independent figures: an order is a row whose Financial Status is set
# (its further line items leave it blank); sales = Total - Refunded Amount;
# a customer's first order is their earliest Created at; "web" is lina's.
py() { python3 - "$SHOP" "$@"; }
want=$(py <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
orders = [r for r in rows if r['Financial Status'] in ('paid', 'partially_refunded')]
sales = sum(float(r['Total']) - float(r['Refunded Amount'] or 0) for r in orders)
first = {}
for r in orders:
    e = r['Email'].lower()
    if e and (e not in first or r['Created at'] < first[e]['Created at']):
        first[e] = r
web = sum(1 for r in first.values() if r['Source'] == 'web')
per = {}
for r in orders:
    if r['Email']:
        per[r['Email'].lower()] = per.get(r['Email'].lower(), 0) + 1
again = sum(1 for k in per.values() if k > 1)
repeats = sum(k - 1 for k in per.values())
noemail = sum(1 for r in orders if not r['Email'])
other = sum(1 for r in orders if r['Email'] and r['Source'] == '580111')
print(len(orders), '%.2f' % sales, len(first), web, noemail, other, len(rows) - len(orders), again, repeats)
EOF
)
set -- $want
n_orders=$1 sales=$2 n_cust=$3 n_web=$4 n_noemail=$5 n_other=$6 n_items=$7 n_again=$8 n_repeats=$9
expect "independent figures are sane" "$n_orders $n_cust" "81 54"

run_ok "init" init --goal sales
run_ok "staff" staff add lina --name Lina --position promoter
run_ok "own web" own channel web --who lina
run_ok "import shopify" import orders "$SHOP"
contains "preset picked from the header" "$T/out" "preset shopify"
expect "online_sales (team)" "$(ind online_sales '')" "$n_orders $sales"
expect "first-time buyers (team)" "$(ind online_customers '')" "$n_cust $n_cust.00"
expect "first-time buyers from lina's channel" "$(ind online_customers lina)" "$n_web $n_web.00"
contains "orders and line items told" "$T/err" "$n_orders orders \\($n_items more line-item rows\\); $n_cust first-time buyers, 0 returning"
contains "repeat buyers told (they read as 0 returning)" "$T/err" "$n_again buyers ordered more than once in this file \\($n_repeats further orders\\)"
contains "orders without e-mail told" "$T/err" "$n_noemail paid orders name no customer"
contains "unowned channel told once with its count" "$T/err" "channel \"580111\" is not mapped to a login .*: $n_other rows not attributed"
expect "told once" "$(grep -c '580111' "$T/err")" "1"
# order #1081 is on line 2: its sale traces there
expect "traced to the line" "$(q "select line || ' ' || value from measurement m join subject s on s.id = m.subject_id where s.indicator = 'online_sales' order by line limit 1")" "2 37.74"
expect "customers remembered" "$(q 'select count(*) from customer')" "$n_cust"
expect "first day" "$(q "select date(min(first_day) * 86400, 'unixepoch') from customer")" "$(py <<'EOF'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline='')) if r['Financial Status'] and r['Email']]
print(min(r['Created at'][:10] for r in rows))
EOF
)"

run_fail "same content again" 1 'imported already as batch 1' import orders "$SHOP"
run_ok "replace" import orders "$SHOP" --replace
contains "replaced" "$T/out" "as batch 2 .*replacing batch 1"
expect "customers counted again after --replace" "$(ind online_customers '')" "$n_cust $n_cust.00"
expect "sales not doubled" "$(ind online_sales '')" "$n_orders $sales"

# A later generic export: one returning customer, one new one from a
# campaign lina owns, one unpaid order, one refunded in part.
run_ok "own campaign" own campaign spring --who lina
cat > later.csv <<'EOF'
date,order,customer,total,refunded,status,source,landing
2022-05-01,#2001,Customer-001@example.invalid,50.00,,paid,web,
2022-05-02,#2002,new-buyer@example.invalid,20.00,5.50,partially_refunded,,https://shop.example/?utm_source=x&utm_campaign=spring
2022-05-02,#2002,new-buyer@example.invalid,,,,,
2022-05-03,#2003,another@example.invalid,99.00,,pending,web,
EOF
run_ok "import generic" import orders later.csv
expect "sales of the generic file" "$(q "select printf('%.2f', sum(value)) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'online_sales' and m.batch_id = 3")" "64.50"
expect "only the new buyer counts" "$(q "select count(*) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'online_customers' and m.batch_id = 3")" "2"
expect "attributed through the landing campaign" "$(ind online_customers lina)" "$((n_web + 1)) $((n_web + 1)).00"
contains "unpaid told" "$T/err" "1 orders not paid"
contains "returning told" "$T/err" "1 first-time buyers, 1 returning"

# An older export imported later: its earlier first order was counted by batch 2
cat > older.csv <<'EOF'
date,order,customer,total
2019-01-01,#1,customer-001@example.invalid,10.00
EOF
run_ok "older export" import orders older.csv
contains "earlier order told" "$T/err" "1 customers bought earlier here"
expect "not counted again" "$(q "select count(*) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'online_customers' and m.batch_id = 4")" "0"

# Removing a batch forgets the customers it saw first
run_ok "batch rm" batch rm 3
expect "customer forgotten" "$(q "select count(*) from customer where shop_key = 'new-buyer@example.invalid'")" "0"
expect "others kept" "$(q 'select count(*) from customer')" "$n_cust"

# --preset and --map
printf 'Day,Amount\n2022-06-01,10.00\n' > mapped.csv
run_fail "unknown columns" 1 'mapped.csv:1: 2 required columns missing: "date", "total"\. orders files \(generic layout\) need date, total in the header \(line 1 of mapped.csv\)' import orders mapped.csv
run_ok "mapped" import orders mapped.csv --map Day=date,Amount=total
expect "mapped sale" "$(q "select value from measurement where batch_id = (select max(id) from batch)")" "10.0"
# sales below 0: a negative total, or more refunded than paid (both were
# counted, online_sales -100)
printf 'date,order,total\n2022-06-02,A2,-100\n' > negative.csv
run_fail "a paid order's total below 0" 1 'negative.csv:2:3: the total -100 is below 0' import orders negative.csv
printf 'date,order,total,refunded\n2022-06-02,A3,100,200\n' > overrefund.csv
run_fail "more refunded than paid" 1 'overrefund.csv:2:4: refunded 200 is more than the order.s total' import orders overrefund.csv
run_fail "no such preset" 1 'no preset "magento" for orders files; there are: generic, shopify, woocommerce, taobao, jd, youzan, douyin' import orders mapped.csv --preset magento
run_fail "map to no field" 1 'orders files have no field "amount"' import orders mapped.csv --map Amount=amount
run_fail "map a missing column" 1 'has no column "Sum"' import orders mapped.csv --map Sum=total
run_fail "shopify preset on the wrong file" 1 'not a shopify export: the header lacks "Name", "Financial Status"' import orders mapped.csv --preset shopify
run_fail "date on a dated file" 1 'date is for files without dates' import orders "$SHOP" --date 2022-01-01 --replace
run_fail "unknown kind" 2 'not a kind of import' import order "$SHOP"

run_fail "shopify named for a gitlab file" 1 'not a shopify export: the header lacks "Name", "Financial Status" \(preset shopify\); it looks like none of the orders exports' import orders "$REAL/gitlab_csv_gitlab_export.csv" --preset shopify
if grep -q -- '--date' "$T/err"; then fail "no --date suggested for a wrong preset: $(cat "$T/err")"; else ok; fi

# utm_campaign / utm_source from the landing page, %-decoded as the logs are
run_ok "own campaign with a space" own campaign "summer sale" --who lina
run_ok "own channel with a space" own channel "news letter" --who lina
cat > utm.csv <<'EOF'
date,order,customer,total,status,landing
2022-07-01,#3001,utm1@example.invalid,10.00,paid,https://shop.example/?utm_source=x&utm_campaign=summer%20sale
2022-07-02,#3002,utm2@example.invalid,10.00,paid,https://shop.example/p?utm_source=news+letter
2022-07-03,#3003,utm3@example.invalid,10.00,paid,https://shop.example/p?utm_source=news%2Bletter
EOF
before=$(ind online_customers lina)
run_ok "landing utm decoded" import orders utm.csv
expect "decoded campaign and source attributed" "$(ind online_customers lina)" "$((${before%% *} + 2)) $((${before%% *} + 2)).00"
contains "a literal + stays" "$T/err" 'channel "news\+letter" is not mapped'

# --skip-bad: an order in a closed cycle is skipped whole, the date named
run_ok "cycle open" cycle open 2022-08
run_ok "cycle review" cycle review 2022-08
run_ok "cycle close" cycle close 2022-08 --force
cat > frozen.csv <<'EOF'
date,order,customer,total,status,landing
2022-08-05,#4001,frozen@example.invalid,10.00,paid,https://shop.example/?utm_campaign=spring
2022-09-05,#4002,open@example.invalid,12.00,paid,
EOF
run_ok "skip bad, frozen order" import orders frozen.csv --skip-bad
contains "the date column named" "$T/err" 'frozen.csv:2:1: .*cycle 2022-08 is closed.*row skipped'
expect "the frozen customer not remembered" "$(q "select count(*) from customer where shop_key = 'frozen@example.invalid'")" "0"
expect "the open order counted" "$(q "select count(*) from customer where shop_key = 'open@example.invalid'")" "1"

finish

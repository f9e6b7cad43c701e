# Saved sources (issue 10 item 3, SPEC 5): the way a company's export is
# read — kind, preset, maps, map file, values, date order — saved once
# with `merit source add` and used by name, checked when saved, kept in
# the database (the map file need not stay), audited; import options add
# to the saved ones.  The Jira export is the real one in shared/data/real;
# the figures are counted with Python's csv module.
. "$(dirname "$0")/lib.sh"

REAL=${SHARED:?}/data/real
SHOP=$REAL/shopify_orders_export_1_ExplorerClothing_REDACTED.csv
q() { sqlite3 "$MERIT_DB" "$1"; }

run_ok "init" init --goal sales
run_ok "staff" staff add des --name Des --position designer
run_ok "staff" staff add pro --name Pro --position promoter
run_ok "staff" staff add ed --name Ed --position editor

# ---- saving: every option checked against the kind, nothing saved on error ----
run_fail "no kind" 2 'kind KIND is required' source add x
run_fail "unknown kind" 1 '"bogus" is not a kind of import' source add x --kind bogus
run_fail "unknown preset, the kind's listed" 1 'no preset "shopfy" for orders files; there are: generic, shopify' \
	source add x --kind orders --preset shopfy
run_fail "a map to no field" 1 'tasks files have no field "nosuch"' source add x --kind tasks --map 'Assignee=nosuch'
run_fail "a value merit has no meaning for" 1 '"wat" is not a status merit knows' \
	source add x --kind orders --value 'status:x=wat'
run_fail "a bad date order" 2 'date-order "ymd"' source add x --kind orders --date-order ymd
printf '"Deal Stage": nosuch\n' > bad-map.yaml
run_fail "a bad map file, with its line" 1 'bad-map.yaml:1:.*no field "nosuch"' source add x --kind leads --map-file bad-map.yaml
run_fail "a name with a space" 1 'source name "a b"' source add "a b" --kind orders
run_fail "a name starting with -" 2 '' source add -x --kind orders
expect "nothing saved" "$(q 'select count(*) from source')" 0

# ---- a Shopify source with a map file that is then deleted ----
printf '# the shop never fills these\n"Tags": "-"\n"Notes": "-"\n' > shop-map.yaml
run_ok "source add" source add Shop-Orders --kind orders --preset shopify --map-file shop-map.yaml --date-order dmy
contains "saved, with how to use it" "$T/out" 'saved the source "Shop-Orders" \(orders, preset shopify, map file shop-map.yaml, date order dmy\); import with `merit import --source Shop-Orders FILE`'
rm shop-map.yaml
run_fail "the same name again, ignoring case" 1 'there is a source "Shop-Orders" already' source add shop-orders --kind tasks
run_ok "list" source list
contains "listed" "$T/out" '^Shop-Orders +orders, preset shopify, map file shop-map.yaml, date order dmy$'
run_ok "show --json" source show shop-orders --json
expect "show --json" "$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["name"], j["kind"], j["preset"], j["date_order"], j["map_file"], j["maps"], j["strict"])' "$T/out")" \
	"Shop-Orders orders shopify dmy shop-map.yaml [] False"
run_ok "show" source show Shop-Orders
contains "the map file's text kept" "$T/out" '"Notes": "-"'

# the paid orders of the real export and their sales, counted here
want=$(python3 - "$SHOP" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
n = [r for r in rows if r['Financial Status'] in ('paid', 'partially_refunded')]
print(len(n), '%.2f' % sum(float(r['Total']) - float(r['Refunded Amount'] or 0) for r in n))
PY
)
run_ok "import --source (the map file gone from disk)" import --source shop-orders "$SHOP"
contains "told which source" "$T/out" '\(source Shop-Orders, preset shopify\)'
contains "the map file's columns let be: not listed as unused" "$T/err" 'ignored [0-9]+ columns'
if grep -q '"Tags"' "$T/err"; then fail "Tags listed as unused though the source's map file lets it be"; else ok; fi
expect "paid orders and sales, as Python counts them" "$(q "select count(*) || ' ' || printf('%.2f', sum(value)) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'online_sales'")" "$want"
run_fail "a kind other than the source's" 1 '--source Shop-Orders is for orders files, not tasks' import tasks --source shop-orders "$SHOP"
run_fail "an unknown source" 1 'no source "nosuch"' import --source nosuch "$SHOP"
run_fail "--source and no file" 2 'say --source NAME FILE' import --source shop-orders

# ---- options given with the import add to the saved ones ----
cat > content.csv <<'EOF2'
Fecha,Autor,Tipo,url,views,shares
03/11/2026,Ed Itor,monográfico,https://x.example/a,10,1
04/11/2026,Ed Itor,artículo,https://x.example/b,10,1
EOF2
run_ok "own author" own author "Ed Itor" --who ed
run_ok "a Spanish CMS source" source add cms-es --kind content --map Fecha=date --map Autor=author --map Tipo=type --value 'type:monográfico=topic'
run_fail "without the date order the dates are ambiguous" 1 'content.csv:2:1: .*ambiguous' import --source cms-es content.csv
run_ok "with --date-order given at import, and one more --value" import --source cms-es content.csv --date-order dmy --value 'type:artículo=article'
expect "topics and updates counted" "$(q "select s.indicator || ':' || sum(m.value) from measurement m join subject s on s.id = m.subject_id where s.login = 'ed' and s.indicator in ('content_updates', 'topics_produced') group by s.indicator order by s.indicator" | tr '\n' ' ')" \
	"content_updates:2.0 topics_produced:1.0 "
expect "dated day first" "$(q "select group_concat(date(day * 86400, 'unixepoch'), ' ') from (select distinct m.day from measurement m join subject s on s.id = m.subject_id where s.indicator = 'content_updates' order by 1)")" "2026-11-03 2026-11-04"

# ---- a GBK export's encoding saved with its source ----
printf 'date,order,customer,total,status\n2026-11-05,#G1,g@x,88.00,交易成功\n2026-11-05,#G2,h@x,12.00,交易关闭\n' | iconv -f UTF-8 -t GBK > gbk.csv
run_fail "an encoding iconv does not know" 1 'encoding "NOPE": not an encoding this system knows .*; `iconv -l` lists them' source add gbk --kind orders --encoding NOPE
run_ok "a GBK source" source add gbk --kind orders --encoding GBK
run_ok "import through it" import --source gbk gbk.csv
expect "交易成功 read from GBK and counted, 交易关闭 not" "$(q "select count(*) || ' ' || printf('%.2f', sum(value)) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'online_sales' and m.batch_id = (select max(id) from batch)")" "1 88.00"

# ---- a Chinese name; removing; the audit ----
run_ok "a Chinese name" source add 天猫订单 --kind orders --value 'status:发货中=paid'
run_ok "rm" source rm shop-orders
run_fail "rm again" 1 'no source "shop-orders"' source rm shop-orders
expect "the batches imported through it stay" "$(q "select count(*) from batch where source = 'orders'")" 2
expect "audited" "$(q "select group_concat(action || ' ' || object, '; ') from (select action, object from audit where action like 'source%' order by id)")" \
	"source add source Shop-Orders; source add source cms-es; source add source gbk; source add source 天猫订单; source rm source Shop-Orders"
run_ok "list" source list
expect "what is left" "$(awk '{print $1}' "$T/out" | tr '\n' ' ')" "cms-es gbk 天猫订单 "
run_ok "help" source --help
contains "help" "$T/out" 'merit source add NAME --kind KIND'
finish

# Encodings and spreadsheets (issue 10 items 2 and 9): the real Shopify
# export as Excel's "Unicode text" (UTF-16LE, BOM, TAB-separated) and as
# .xlsx and .xls (made here by LibreOffice from the real CSV), the real Jira
# Cloud export in GB18030, a GBK orders file with Chinese statuses, Excel
# serial dates (the 1900 leap-year bug, the 1904 system, date styles),
# ="…", 'null, apostrophe and TAB-wrapped cells, --encoding, --sheet, sheet
# row and column in errors; and bounded memory: a stray quote before 100 MB
# of rows, 40 MB of ambiguous dates, a 12 MB cell, a zip bomb, a huge
# shared-strings table and a huge tag are refused at once, each under a
# measured max RSS.  Figures are computed here with Python's csv module,
# and from the .xlsx with zipfile + xml.etree (no spreadsheet library).
# No real GBK or .xls/.xlsx shop export was found in a public repository:
# the GBK, UTF-16 and workbook files are converted here from real exports
# (tests/data/encodings/PROVENANCE.md).
. "$(dirname "$0")/lib.sh"

REAL=${SHARED:?}/data/real
SHOP=$REAL/shopify_orders_export_1_ExplorerClothing_REDACTED.csv
JCLOUD=$REAL/jira_cloud_export_defect-analysis.csv
q() { sqlite3 "$MERIT_DB" "$1"; }
# count and sum of the last batch's measurements of an indicator
last() { q "select count(*) || ' ' || printf('%.2f', coalesce(sum(value), 0)) from measurement m join subject s on s.id = m.subject_id where s.indicator = '$1' and m.batch_id = (select max(id) from batch)"; }
rm_last() { run_ok "batch rm" batch rm "$(q 'select max(id) from batch')"; }
# the last batch's online_sales days as YYYY-MM-DD, in line order
days() { q "select group_concat(d, ' ') from (select date(m.day * 86400, 'unixepoch') d from measurement m join subject s on s.id = m.subject_id where s.indicator = 'online_sales' and m.batch_id = (select max(id) from batch) order by m.line)"; }
# rss ARGS — run merit under /usr/bin/time: its status in $rc, max RSS (KiB) in $kb
# (under ASan with a small quarantine, so freed memory is not kept)
rss() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8" /usr/bin/time -f '%M' \
		-o "$T/rss" "$MERIT" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	kb=$(tail -1 "$T/rss")
}

# Shopify's figures, as t0200 computes them: an order is a row whose
# Financial Status is paid or partially_refunded; sales = Total - Refunded.
shop_py='
def figures(rows):
    orders = [r for r in rows if r["Financial Status"] in ("paid", "partially_refunded")]
    return "%d %.2f" % (len(orders), sum(float(r["Total"]) - float(r["Refunded Amount"] or 0) for r in orders))
'
shopfig=$(python3 - "$SHOP" <<EOF
import csv, sys
$shop_py
print(figures(list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))))
EOF
)
expect "independent figures are sane" "${shopfig% *}" "81"

run_ok "init" init --goal sales
run_ok "staff" staff add lina --name Lina --position promoter

# ---- Excel's "Unicode text": UTF-16LE with a BOM, TAB-separated, CRLF ----
python3 - "$SHOP" <<'EOF'
import csv, sys
import io
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
out = io.StringIO()
csv.writer(out, delimiter='\t', lineterminator='\r\n').writerows(rows)   # quoted as Excel does
open('shop.txt', 'wb').write(b'\xff\xfe' + out.getvalue().encode('utf-16-le'))
EOF
run_ok "UTF-16LE TAB text" import orders shop.txt
contains "its preset recognised" "$T/out" "preset shopify"
expect "UTF-16 sales as the CSV's" "$(last online_sales)" "$shopfig"
run_fail "the UTF-8 CSV is the same rows" 1 "imported already as batch" import orders "$SHOP"
tail -c +3 shop.txt > shop-nobom.txt
run_fail "UTF-16LE without its BOM: the same rows" 1 "shop-nobom.txt: this content was imported already" import orders shop-nobom.txt
rm_last

# ---- GBK: orders with Chinese statuses (merit's generic layout) ----
cat > cn.csv <<'EOF'
date,order,customer,total,status
2026-11-01,#1,王芳,100.00,交易成功
2026-11-01,#2,李娜,20.50,已完成
2026-11-02,#3,张伟,7.25,已付款
2026-11-02,#4,刘洋,300.00,交易关闭
2026-11-03,#5,陈静,40.00,已取消
EOF
iconv -f UTF-8 -t GBK cn.csv > cn-gbk.csv
if python3 -c "open('cn-gbk.csv', encoding='utf-8').read()" 2>/dev/null; then fail "the GBK file is UTF-8"; else ok; fi
paid=$(python3 -c "
import csv
rows = [r for r in csv.DictReader(open('cn.csv', newline='', encoding='utf-8')) if r['status'] in ('交易成功', '已完成', '已付款')]
print(len(rows), '%.2f' % sum(float(r['total']) for r in rows))")
run_ok "GBK detected" import orders cn-gbk.csv
expect "GBK sales" "$(last online_sales)" "$paid"
contains "statuses decoded (told in UTF-8)" "$T/err" 'cn-gbk.csv: status "交易关闭" means cancelled: 1 orders not counted'
run_fail "its UTF-8 copy is the same content" 1 "cn.csv: this content was imported already as batch" import orders cn.csv
run_ok "--encoding GBK" import orders cn-gbk.csv --encoding GBK --replace
expect "same sales" "$(last online_sales)" "$paid"
rm_last
# told wrong: the first byte ASCII cannot hold, by offset and line
at=$(python3 -c "
b = open('cn-gbk.csv', 'rb').read(); i = next(k for k, c in enumerate(b) if c > 127)
print(i, b[:i].count(b'\n') + 1, '%02X' % b[i])")
set -- $at
run_fail "--encoding ASCII refused at the byte" 1 "cn-gbk.csv:$2: byte $1 \\(0x$3\\) is not ASCII; say the file's encoding with --encoding" import orders cn-gbk.csv --encoding ASCII
# told UTF-16, a UTF-8 file: said so (it was "1:1: field longer than 64 KiB")
run_fail "--encoding UTF-16 on a UTF-8 file" 1 'cn.csv: --encoding UTF-16, but it is not UTF-16 text: its commas and line ends are single bytes' import orders cn.csv --encoding UTF-16 --replace
run_fail "unknown encoding" 1 'the encoding given "KLINGON" is not an encoding this system knows' import orders cn-gbk.csv --encoding KLINGON

# neither UTF-8 nor GB18030 (Latin-1 é before a comma): the row, asking for --encoding
printf 'date,order,customer,total\n2026-11-01,#L1,Ana,5.00\n2026-11-01,#L2,Caf\351,7.00\n' > latin1.csv
run_fail "Latin-1 refused at its row" 1 'latin1.csv:3:3: not valid UTF-8 \(nor GB18030\); say the file.s encoding with --encoding NAME' import orders latin1.csv
run_ok "--encoding WINDOWS-1252" import orders latin1.csv --encoding WINDOWS-1252
expect "Latin-1 sales" "$(last online_sales)" "2 12.00"
rm_last

# ---- the real Jira Cloud export in GB18030 (its “ ” – — become GBK codes) ----
tail -c +4 "$JCLOUD" | iconv -f UTF-8 -t GB18030 > jira-gb.csv
n=$(python3 -c "
import csv
b = open('jira-gb.csv', 'rb').read()
assert b'\xa1\xb0' in b                       # “ in GBK
print(len(list(csv.reader(b.decode('gb18030').splitlines(True)))) - 1)")
expect "324 issues" "$n" "324"
run_fail "GB18030 Jira: every issue read" 1 "nothing to count" import tasks jira-gb.csv
contains "the jira preset from the decoded header" "$T/err" "not used by the jira preset"
contains "all $n issues reported" "$T/err" "$n tasks have no due date"

# ---- .xlsx and .xls of the real Shopify export, made by LibreOffice ----
if command -v soffice >/dev/null 2>&1; then
	cp "$SHOP" shop.csv
	soffice -env:UserInstallation=file://$T/lo --headless --convert-to xlsx --outdir . shop.csv >/dev/null 2>&1
	soffice -env:UserInstallation=file://$T/lo --headless --convert-to xls --outdir . shop.csv >/dev/null 2>&1
	[ -s shop.xlsx ] && [ -s shop.xls ] && ok || fail "LibreOffice made no workbook"
	# the .xlsx read here with zipfile + xml.etree: shared strings, numbers
	xwant=$(python3 - shop.xlsx <<EOF
import re, sys, zipfile, xml.etree.ElementTree as ET
$shop_py
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
z = zipfile.ZipFile(sys.argv[1])
sst = [''.join(t.text or '' for t in si.iter('{%s}t' % ns['m'])) for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', ns)]
def col(ref):
    n = 0
    for ch in re.match('[A-Z]+', ref).group(): n = n * 26 + ord(ch) - 64
    return n - 1
rows = []
for row in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter('{%s}row' % ns['m']):
    cells = {}
    for c in row.findall('m:c', ns):
        v = c.find('m:v', ns)
        if v is None: continue
        cells[col(c.get('r'))] = sst[int(v.text)] if c.get('t') == 's' else v.text
    rows.append([cells.get(i, '') for i in range(max(cells) + 1)] if cells else [])
head = rows[0]
print(figures([dict(zip(head, r + [''] * (len(head) - len(r)))) for r in rows[1:] if r]))
EOF
)
	expect "the .xlsx holds the CSV's figures" "$xwant" "$shopfig"
	run_ok "xlsx" import orders shop.xlsx
	contains "xlsx: preset from the sheet's header" "$T/out" "preset shopify"
	expect "xlsx sales" "$(last online_sales)" "$xwant"
	run_ok "xls" import orders shop.xls --replace
	expect "xls sales" "$(last online_sales)" "$shopfig"
	run_fail "xlsx: a sheet it lacks, listing its sheets" 1 'shop.xlsx: no sheet "Orders"; the workbook.s sheets: "shop"' import orders shop.xlsx --sheet Orders
	run_fail "xls: the same" 1 'shop.xls: no sheet "Orders"; the workbook.s sheets: "shop"' import orders shop.xls --sheet Orders
	run_ok "--sheet by name" import orders shop.xlsx --sheet shop --replace
	rm_last
else
	fail "soffice (libreoffice-calc-nogui, scripts/install-deps.sh) is not installed"
fi

# ---- a workbook written here: serial dates, styles, quirks, sheets ----
# book WORKBOOK.xlsx DATE1904 ROWS — sheets Orders (ROWS: Python literal of
# rows of (type, style, value) cells, None for none) and Refunds
book() {
	python3 - "$@" <<'EOF'
import sys, zipfile
from xml.sax.saxutils import escape, quoteattr
out, d1904, rows = sys.argv[1], sys.argv[2], eval(sys.argv[3])
M = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
sst = []
def cell(ref, c):
    t, s, v = c
    st = ' s="%d"' % s if s else ''
    if t == 's':
        sst.append(v)
        return '<c r="%s" t="s"%s><v>%d</v></c>' % (ref, st, len(sst) - 1)
    if t == 'inline':
        return '<c r="%s" t="inlineStr"%s><is><t xml:space="preserve">%s</t></is></c>' % (ref, st, escape(v))
    return '<c r="%s"%s%s><v>%s</v></c>' % (ref, ' t="%s"' % t if t != 'n' else '', st, v)
def sheet(rows):
    x = []
    for r, cells in rows:
        x.append('<row r="%d">%s</row>' % (r, ''.join(cell('%s%d' % (chr(65 + i), r), c) for i, c in enumerate(cells) if c)))
    return '<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>%s</sheetData></worksheet>' % (M, ''.join(x))
z = zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED)
z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook %s %s><workbookPr date1904="%s"/><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/><sheet name="Refunds" sheetId="2" r:id="rId2"/></sheets></workbook>' % (M, R, d1904))
z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
# styles: 0 General, 1 built-in 14 (m/d/yyyy), 2 custom "yyyy/mm/dd hh:mm", 3 "0.00"
z.writestr('xl/styles.xml', '<?xml version="1.0"?><styleSheet %s><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy/mm/dd\\ hh:mm"/></numFmts>'
    '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="2"/></cellXfs></styleSheet>' % M)
z.writestr('xl/worksheets/sheet1.xml', sheet(rows))
z.writestr('xl/worksheets/sheet2.xml', sheet([(1, [('s', 0, 'date'), ('s', 0, 'order'), ('s', 0, 'total')]), (2, [('n', 1, '46330'), ('inline', 0, 'R1'), ('n', 0, '5')])]))
z.writestr('xl/sharedStrings.xml', '<?xml version="1.0"?><sst %s>%s</sst>' % (M, ''.join('<si><t xml:space="preserve">%s</t></si>' % escape(s) for s in sst)))
z.close()
EOF
}
H="(1, [('s',0,'date'), ('s',0,'order'), ('s',0,'customer'), ('s',0,'total'), ('s',0,'status')])"
# Taobao's ="…" order number, Douyin's TAB-prefixed phone, an apostrophe,
# 'null; a row of empty cells and a missing row 4; serial days with a time
ROWS="[$H,
 (2, [('n',1,'46329'), ('s',0,'=\"300012345678901\"'), ('inline',0,'\t13800138000'), ('n',3,'12.5'), ('s',0,'paid')]),
 (3, [('n',2,'46330.75'), ('inline',0,\"'1002\"), ('s',0,\"'null\"), ('n',0,'7'), ('inline',0,'paid')]),
 (5, [('n',0,'46331'), ('s',0,'\t1003\t'), ('s',0,'c@x'), ('n',0,'1.25'), ('s',0,'paid')]),
 (6, [None, None, None, None, None]),
 (7, [('n',1,'61'), ('s',0,'X1'), None, ('n',0,'1'), ('s',0,'paid')])]"
book book.xlsx 0 "$ROWS"
# the days independently: 1900 system, day 61 on = 1899-12-30 + serial
dw=$(python3 -c "
import datetime as d
print(' '.join(str(d.date(1899, 12, 30) + d.timedelta(days=s)) for s in (46329, 46330, 61)))")
run_ok "xlsx: serial dates and quirks" import orders book.xlsx --skip-bad
expect "sales: 12.5 + 7 + 1" "$(last online_sales)" "3 20.50"
set -- $dw
# row 5's date is General-styled (a plain number): told at its sheet, row and column
contains "an unstyled serial is not a date, told by sheet, row, column" "$T/err" 'book.xlsx: sheet Orders, row 5, column A: .*"46331".*\(row skipped\)'
expect "date style (14), date-time style (164), 1900-03-01" "$(days)" "$1 $2 $3"
if sqlite3 "$MERIT_DB" .dump | grep -q "300012345678901"; then ok; else fail "the =\"…\" order number was not kept as 300012345678901"; fi
if sqlite3 "$MERIT_DB" .dump | grep -q '="'; then fail "=\"…\" kept as written"; else ok; fi
rm_last
# the 1904 system: the same serial is 1,462 days later
book b1904.xlsx 1 "[$H, (2, [('n',1,'46329'), ('s',0,'A1'), None, ('n',0,'2'), ('s',0,'paid')])]"
d4=$(python3 -c "import datetime as d; print(d.date(1904, 1, 1) + d.timedelta(days=46329))")
run_ok "xlsx 1904 system" import orders b1904.xlsx
expect "1904 day" "$(days)" "$d4"
rm_last
# Lotus 1-2-3's 29 February 1900 (serial 60) is no day; a boolean is no number
book bad.xlsx 0 "[$H, (2, [('n',1,'60'), ('s',0,'A1'), None, ('n',0,'2'), ('s',0,'paid')]), (3, [('n',1,'46329'), ('s',0,'A2'), None, ('b',0,'1'), ('s',0,'paid')]), (4, [('n',1,'46329'), ('s',0,'A3'), None, ('n',0,'4'), ('s',0,'paid')])]"
run_fail "the leap day that never was, by sheet and row" 1 'bad.xlsx: sheet Orders, row 2, column A: .*1900-02-29' import orders bad.xlsx
run_ok "skipped" import orders bad.xlsx --skip-bad --replace
contains "a boolean cell reads TRUE" "$T/err" 'bad.xlsx: sheet Orders, row 3, column D: .*"TRUE".*\(row skipped\)'
rm_last
run_ok "--sheet Refunds" import orders book.xlsx --sheet refunds
expect "the second sheet's day" "$(days)" "$2"
rm_last
run_fail "--sheet lists the sheets" 1 'book.xlsx: no sheet "Nope"; the workbook.s sheets: "Orders", "Refunds"' import orders book.xlsx --sheet Nope
run_fail "a header problem told by sheet and row, not a line" 1 'book.xlsx: sheet Orders, row 1: [0-9] required columns? missing' import tasks book.xlsx
run_fail "--encoding is for text" 1 'book.xlsx: a text encoding is for text files' import orders book.xlsx --encoding GBK
run_fail "--sheet is for workbooks" 1 'cn.csv: sheet "Orders": this is a text file, not a spreadsheet' import orders cn.csv --sheet Orders
printf 'not a zip' > fake.xlsx
run_fail "an .xlsx that is not one" 1 'fake.xlsx: not an .xlsx file \(which is a zip archive\)' import orders fake.xlsx

# ---- the same quirks in CSV: ="…" bare and quoted, TABs, 'null, apostrophe ----
printf 'date,order,customer,total\n2026-11-01,="T1",a,1.00\n2026-11-01,"=""T2""","\t13800138000",2.00\n2026-11-02,\047T3,\047null,3.00\n' > quirks.csv
run_ok "CSV quirks" import orders quirks.csv
expect "three orders" "$(last online_sales)" "3 6.00"
if sqlite3 "$MERIT_DB" .dump | grep -Eq "'T1'|T1\b" && ! sqlite3 "$MERIT_DB" .dump | grep -q "=\"\"T"; then ok; else fail "=\"T1\" not read as T1"; fi
rm_last

# ---- bounded memory: refused at once, whatever follows ----
# each within a margin over what merit takes to refuse a 9-byte file
rss import orders fake.xlsx
base=$kb
# bounded DESC MIB FILE PATTERN — import orders FILE is refused with PATTERN
# on stderr, its max RSS under base + MIB MiB
bounded() {
	rss import orders "$3"
	expect "$1: refused" "$rc" 1
	contains "$1" "$T/err" "$4"
	echo "$1: max RSS $kb KiB (base $base KiB)" >&2
	[ "$kb" -lt $((base + $2 * 1024)) ] && ok || fail "$1: max RSS $kb KiB (base $base KiB + $2 MiB allowed)"
}
# a stray quote, then 100 MB of rows: libcsv used to swallow them all first
python3 - <<'EOF'
with open('quote.csv', 'w') as f:
    f.write('date,order,customer,total\n2026-11-01,1,"a stray quote,1\n')
    block = '2026-11-01,2,b,1\n' * 4096
    for _ in range(1500): f.write(block)
EOF
bounded "at the quote's line, field 3" 48 quote.csv 'quote.csv:2:3: field longer than 64 KiB: its quote opens here; is it not closed\?'
# 40 MB of dates that never tell day from month
python3 - <<'EOF'
with open('amb.csv', 'w') as f:
    f.write('date,order,customer,total\n')
    for i in range(1300000):
        f.write('%02d/%02d/2026,%d,c,1.00\n' % (i % 12 + 1, i // 12 % 12 + 1, i))
EOF
bounded "naming the first, asking for --date-order" 80 amb.csv 'amb.csv:3:1: date "02/01/2026" is ambiguous: .*rows after it \(8 MiB\).*--date-order dmy'
# a 12 MB cell, a zip bomb, a huge shared-strings table, a huge tag
python3 - <<'EOF'
import zipfile
M = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
def wb(name, sheet, sst=None):
    z = zipfile.ZipFile(name, 'w', zipfile.ZIP_DEFLATED)
    z.writestr('xl/workbook.xml', '<workbook %s xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>' % M)
    z.writestr('xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    if sst is not None: z.writestr('xl/sharedStrings.xml', sst)
    z.writestr('xl/worksheets/sheet1.xml', sheet)
    z.close()
head = '<worksheet %s><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>date</t></is></c><c r="B1" t="inlineStr"><is><t>total</t></is></c></row>' % M
wb('bigcell.xlsx', head + '<row r="2"><c r="A2" t="inlineStr"><is><t>' + 'x' * (12 << 20) + '</t></is></c></row></sheetData></worksheet>')
wb('bomb.xlsx', head + ' ' * (200 << 20) + '</sheetData></worksheet>')
wb('bigsst.xlsx', head + '</sheetData></worksheet>', '<sst %s>' % M + ''.join('<si><t>%08d%s</t></si>' % (i, 'y' * 40) for i in range(800000)) + '</sst>')
wb('bigtag.xlsx', head + '<row r="2" x="' + 'z' * (8 << 20) + '"/></sheetData></worksheet>')
EOF
bounded "a 12 MB cell refused" 48 bigcell.xlsx 'bigcell.xlsx: sheet S, row 2, column A: a cell longer than 64 KiB'
bounded "a zip bomb refused before inflating" 48 bomb.xlsx 'bomb.xlsx: xl/worksheets/sheet1.xml unpacks to 200 MiB from [0-9]+ KiB, more than 500 times its size: a zip bomb\? refused'
bounded "shared strings capped" 80 bigsst.xlsx "bigsst.xlsx: the workbook's shared strings pass 1048576 strings or 32 MiB"
bounded "a huge tag refused" 48 bigtag.xlsx 'bigtag.xlsx: xl/worksheets/sheet1.xml, line 1: a tag or comment longer than 1 MiB: refused'
expect "nothing written by the refused files" "$(q 'select count(*) from measurement')" "0"

# ---- the web upload: the same importer, with encoding and sheet ----
printf 'secret123\n' | "$MERIT" user add admin --role admin >/dev/null 2>&1
"$MERIT" serve --listen 127.0.0.1:0 2>"$T/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT
serve_wait "$T/serve.log" "$pid"
csrf=$(curl -s -c jar -H 'Content-Type: application/json' -d '{"login":"admin","password":"secret123"}' "${url}api/login" --max-time 10 |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
up() { curl -s -b jar -H "X-CSRF-Token: $csrf" --data-binary "@$1" "${url}api/import?$2" --max-time 30; }
up cn-gbk.csv 'kind=orders&file=cn-gbk.csv' > web1
contains "web: a GBK upload" web1 '"rows": *[1-9]'
expect "web: GBK sales" "$(last online_sales)" "$paid"
up book.xlsx 'kind=orders&file=book.xlsx&sheet=Refunds' > web2
contains "web: an .xlsx upload with its sheet" web2 '"rows": *[1-9]'
expect "web: the sheet's day" "$(days)" "$2"
up latin1.csv 'kind=orders&file=latin1.csv&encoding=WINDOWS-1252' > web3
contains "web: encoding told" web3 '"rows": *[1-9]'
up book.xlsx 'kind=orders&file=book.xlsx&sheet=Nope&replace=1' > web4
contains "web: the sheets listed" web4 'no sheet \\"Nope\\"; the workbook.s sheets: \\"Orders\\", \\"Refunds\\"'
kill "$pid"; wait "$pid" 2>/dev/null
finish

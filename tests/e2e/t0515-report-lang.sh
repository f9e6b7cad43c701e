# merit report --lang zh-CN and the plan's locale: the HTML, PDF and XLSX
# in Simplified Chinese.  Each read back by an independent reader (the
# HTML's text, pdftotext, openpyxl and the workbook's chart parts): no
# English label of merit's left — every English text of the catalogue in
# src/report/report_i18n.c is absent, and no English word is left but the
# data's own (logins, keys, files, comments) and the units listed below —;
# names and comments intact; every number the English report's.  The
# plan's locale is the default and plan export keeps it; a bad --lang and
# a bad locale are refused.  The web's downloads (tests/web/lang_test.py,
# over a real socket) follow the language the page sends.
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

run_ok "init" init --goal none
# every text of the plan in Chinese: what is left in English is merit's
cat > plan.yaml <<'YAML'
company: "示例贸易有限公司"
goal: sales
period: month
missing: skip
min_coverage: 50
rating_scale: 5
blend: {kpi: 60, manager: 20, self: 10, peer: 0, upward: 10}
criteria:
  - {key: quality, name: 工作质量, weight: 70}
  - {key: teamwork, name: 团队合作, weight: 30}
grades:
  - {grade: S, min: 95, bonus: 1.5}
  - {grade: A, min: 85, bonus: 1.2}
  - {grade: B, min: 70, bonus: 1.0}
  - {grade: C, min: 60, bonus: 0.8}
  - {grade: D, min: 0, bonus: 0}
distribution: {S: 10, A: 10}
indicators:
  - {key: posts, name: 发帖数, unit: count, direction: higher, aggregate: sum}
  - {key: rank, name: 搜索排名, unit: rank, direction: lower, aggregate: mean}
  - {key: sales, name: 网上销售额, unit: currency, direction: higher, aggregate: sum}
positions:
  - key: writer
    name: 网络编辑
    stage: content
    duties: 发布和更新网站文章；制作专题。
    base_bonus: 1000.00
    kpis:
      - {indicator: posts, weight: 60, rule: ratio, target: 30, cap: 120}
      - {indicator: rank, weight: 40, rule: bands, bands: [[50, 0], [20, 60], [10, 80], [3, 100]]}
  - key: boss
    name: 运营经理
    stage: evaluation
    duties: 落实经营目标；建设团队。
    criteria:
      - {key: goal, name: 完成经营目标, weight: 60}
      - {key: team, name: 团队建设, weight: 40}
    base_bonus: 2000.50
    kpis:
      - {indicator: sales, scope: team, weight: 100, rule: linear, threshold: 1000, target: 9000}
YAML
run_ok "plan" plan import plan.yaml
run_ok "ann" staff add ann --name "安妮" --position writer
run_ok "boss" staff add boss --name "李娜" --position boss
run_ok "wang" staff add wang --name "王小明" --position writer --manager boss
run_ok "cy" staff add cy --name "陈怡" --position writer --from 2026-11-16
run_ok "zhou" staff add zhou --name "周杰" --position writer --manager wang
run_ok "xiaoli" staff add xiaoli --name "李小丽" --position writer
cat > oct.csv <<'CSV'
date,indicator,login,value,denominator
2026-10-03,posts,ann,20,
2026-10-04,posts,wang,31,
2026-10-05,rank,ann,12,
2026-10-05,rank,wang,4,
2026-10-20,sales,,5000.25,
CSV
cat > nov.csv <<'CSV'
date,indicator,login,value,denominator
2026-11-02,posts,ann,12,
2026-11-12,posts,ann,14,
2026-11-03,posts,wang,40,
2026-11-20,posts,cy,9,
2026-11-05,rank,ann,25,
2026-11-25,rank,ann,9,
2026-11-06,rank,wang,2.5,
2026-11-07,posts,zhou,27,
2026-11-07,rank,zhou,15,
2026-11-21,sales,,7333.33,
2026-11-28,sales,,1000.10,
CSV
run_ok "import oct" import measurements oct.csv
run_ok "import nov" import measurements nov.csv
run_ok "cycle oct" cycle open 2026-10
run_ok "rate oct" rate wang --period 2026-10 --by self --criterion quality=4 --criterion teamwork=4
run_ok "review oct" cycle review 2026-10
run_ok "close oct" cycle close 2026-10 --force
run_ok "cycle nov" cycle open 2026-11
run_ok "nominate ann" peers ann --period 2026-11 --set wang
run_ok "nominate wang" peers wang --period 2026-11 --set xiaoli
run_ok "self ann" rate ann --period 2026-11 --by self --criterion quality=4 --criterion teamwork=3.5 --comment '我写了“更多” & <更好>'
run_ok "self wang" rate wang --period 2026-11 --by self --criterion quality=5 --criterion teamwork=4.5 --comment "本月完成了专题"
run_ok "mgr wang" rate wang --period 2026-11 --by manager --criterion quality=4.5 --criterion teamwork=4 --comment "表现很好，继续保持"
run_ok "peer ann" rate ann --period 2026-11 --by peer:wang --criterion quality=3 --criterion teamwork=4
run_ok "peer wang" rate wang --period 2026-11 --by peer:xiaoli --criterion quality=3 --criterion teamwork=3 --comment "同事评价：扎实"
run_ok "upward wang" rate wang --period 2026-11 --by upward:zhou --criterion quality=4 --criterion teamwork=4 --comment "下属评价：公平"
run_ok "upward boss" rate boss --period 2026-11 --by upward:wang --criterion goal=4 --criterion team=5
run_ok "review nov" cycle review 2026-11
run_ok "calibrate ann" calibrate ann --period 2026-11 --grade A --reason "主导了网站迁移"
run_ok "close nov" cycle close 2026-11 --force
sqlite3 "$MERIT_DB" "INSERT INTO acknowledgement(period, login, role, by_login, comment, created_at)
  VALUES ('2026-11', 'wang', 'self', 'wang', '同意考核结果', '2026-12-02T10:15:42.123Z')" \
	&& ok || fail "inserting an acknowledgement"

for f in html xlsx pdf; do
	run_ok "report $f en" report 2026-11 --format $f -o "en.$f"
	run_ok "report $f zh" report 2026-11 --format $f -o "zh.$f" --lang zh-CN
	run_ok "report $f zh wang" report 2026-11 --format $f -o "zh-wang.$f" --lang zh-CN --who wang
done
run_ok "report $f en explicit" report 2026-11 --format html -o en2.html --lang en
cmp -s en.html en2.html && ok || fail "--lang en differs from the default (English)"
contains "html lang attribute" zh.html '<html lang="zh-CN">'

# ---- the texts each reader sees ----
cat > texts.py <<'PY'
import sys, re, zipfile, subprocess, html.parser, openpyxl
def html_text(path):
    class P(html.parser.HTMLParser):
        def __init__(s): super().__init__(); s.out = []; s.skip = 0
        def handle_starttag(s, tag, a):
            if tag == 'style': s.skip += 1
        def handle_endtag(s, tag):
            if tag == 'style': s.skip -= 1
        def handle_data(s, d):
            if not s.skip: s.out.append(d)
    p = P(); p.feed(open(path, encoding='utf-8').read())
    return '\n'.join(p.out)
def pdf_text(path):
    return subprocess.run(['pdftotext', '-enc', 'UTF-8', path, '-'], check=True,
                          capture_output=True).stdout.decode('utf-8')
def xlsx_text(path):
    wb = openpyxl.load_workbook(path)
    out = ['§' + n for n in wb.sheetnames]
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            out += [v for v in row if isinstance(v, str)]
    z = zipfile.ZipFile(path)        # chart titles, series names; the document's title
    for n in z.namelist():
        if n.startswith('xl/charts/') or n == 'docProps/core.xml':
            out += re.findall(r'<(?:a:t|c:v|dc:title)>([^<]*)<', z.read(n).decode('utf-8'))
    return '\n'.join(out)
def numbers_xlsx(path):
    wb = openpyxl.load_workbook(path)
    return [[(c.coordinate, c.value) for row in ws.iter_rows() for c in row
             if isinstance(c.value, (int, float))] for ws in wb.worksheets]
kind = sys.argv[1]
t = {'html': html_text, 'pdf': pdf_text, 'xlsx': xlsx_text}[kind](sys.argv[2])
if len(sys.argv) > 3 and sys.argv[3] == 'numbers' and kind == 'xlsx':
    print(repr(numbers_xlsx(sys.argv[2])))
elif len(sys.argv) > 3 and sys.argv[3] == 'numbers':
    print(' '.join(sorted(re.findall(r'\d+(?:\.\d+)?', t))))
else:
    print(t)
PY
for f in html xlsx pdf; do
	for v in en zh zh-wang; do
		$PY texts.py $f "$v.$f" > "$v.$f.txt" || fail "reading $v.$f back"
	done
done

# ---- no English label left ----
# The catalogue's English texts: each piece between printf conversions.
# Words allowed in the Chinese reports: the data's (logins, the source
# and file names of the batches), KPI, UTC, merit and the plan's key
# min_coverage named in a reason.
ALLOW='ann boss wang cy zhou xiaoli oct nov csv KPI UTC merit min_coverage'
cat > labels.py <<'PY'
import re, sys
src = open(sys.argv[1], encoding='utf-8').read()
body = src[src.index('catalogue[] = {'):]
body = body[:body.index('};')]
spec = re.compile(r'%[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t)?[diouxXeEfgGcsp%]')
def unq(s): return s.encode('latin1', 'backslashreplace').decode('unicode_escape').encode('latin1').decode('utf-8') if '\\' in s else s
n = 0
for en, zh in re.findall(r'\{ "((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)" \}', body):
    n += 1
    # the Chinese of a format keeps its conversions, in order
    if spec.findall(en) != spec.findall(zh):
        print('CONVERSIONS\t' + en + '\t' + zh)
    for piece in spec.split(en):
        piece = piece.strip(' ·:;,()*^—-.')
        if re.search('[A-Za-z]{2}', piece):
            print('LABEL\t' + piece)
print('COUNT\t%d' % n, file=sys.stderr)
PY
$PY labels.py "$SRC/src/report/report_i18n.c" > labels.txt 2> count.txt
n=$(sed -n 's/^COUNT\t//p' count.txt)
[ "${n:-0}" -ge 150 ] && ok || fail "the catalogue read back has ${n:-0} entries"
grep '^CONVERSIONS' labels.txt && fail "a Chinese format lost or moved a conversion" || ok
cat > english.py <<'PY'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
allow = set(sys.argv[3].split())
bad = []
for line in open(sys.argv[2], encoding='utf-8'):
    kind, label = line.rstrip('\n').split('\t', 1)
    if kind != 'LABEL' or label in allow:
        continue
    if re.search(r'(?<![A-Za-z_])' + re.escape(label) + r'(?![A-Za-z_])', text):
        bad.append('label "%s"' % label)
words = set(re.findall(r'[A-Za-z_]{2,}', text)) - allow
bad += ['word "%s"' % w for w in sorted(words)]
print('; '.join(bad))
PY
for v in zh zh-wang; do
	for f in html xlsx pdf; do
		allow=$ALLOW
		# the workbook's Key column holds the indicator keys (data, as logins)
		[ $f = xlsx ] && allow="$ALLOW posts rank sales"
		left=$($PY english.py "$v.$f.txt" labels.txt "$allow")
		expect "$v.$f: no English left" "$left" ""
	done
done
# the English report does have them (the check can fail)
left=$($PY english.py en.html.txt labels.txt "$ALLOW")
[ -n "$left" ] && ok || fail "the English html has no English label: the check is blind"

# ---- names and comments intact, Chinese labels there ----
for f in html xlsx pdf; do
	for s in 王小明 李小丽 示例贸易有限公司 网络编辑 运营经理 发帖数 工作质量 本月完成了专题 表现很好，继续保持 \
	         主导了网站迁移 同意考核结果 '我写了“更多” & <更好>' 绩效考核 等级 奖金 未参与评分 经营目标 \
	         同事 直接下属 尚无评分 内容; do
		grep -qF -- "$s" "zh.$f.txt" && ok || fail "zh.$f lacks \"$s\""
	done
done
contains "html calibrated" zh.html.txt '已校准'
contains "xlsx calibrated" zh.xlsx.txt '^已校准$'
# the left-out component, the grade note, the goal and the reason not scored
contains "html left out" zh.html.txt '尚无评分：上级评'
contains "html goal" zh.html.txt '销售产品'
contains "html not scored reason" zh.html.txt 'KPI 覆盖率 [0-9.]+% 低于方案要求的最低覆盖率'
contains "html calibration note" zh.html.txt '等级由管理员手工校准'
contains "pdf page numbers" zh.pdf.txt '第 1 页，共 [0-9]+ 页'
contains "xlsx sheet names" zh.xlsx.txt '^§团队$'
contains "xlsx summary sheet" zh.xlsx.txt '^§汇总$'
contains "xlsx chart title" zh.xlsx.txt '^等级分布$'
# the person's own copy: peers unnamed, in Chinese
contains "wang's html: peer unnamed" zh-wang.html.txt '同事 1'
grep -q xiaoli zh-wang.html.txt && fail "wang's copy names his peer" || ok

# ---- the numbers are the English report's ----
for f in html pdf; do
	expect "$f numbers" "$($PY texts.py $f zh.$f numbers)" "$($PY texts.py $f en.$f numbers)"
done
expect "xlsx numbers, cell by cell" "$($PY texts.py xlsx zh.xlsx numbers)" "$($PY texts.py xlsx en.xlsx numbers)"

# ---- the built-in plan (merit demo): its position, indicator and source
# names as the web app gives them, its duties and criteria in Chinese ----
# (on PostgreSQL the demo's company goes into a database of its own there)
ddb=demo/merit.db
on_pg && ddb=$(db_new demo)
MERIT_DB=$ddb m demo --dir demo
[ "$rc" -eq 0 ] && ok || fail "merit demo: exit $rc: $(tail -c 1500 "$T/err")"
for f in html xlsx pdf; do
	run_ok "demo report $f zh" --db "$ddb" report 2026-11 --format $f -o "demo.$f" --lang zh-CN
	$PY texts.py $f "demo.$f" > "demo.$f.txt" || fail "reading demo.$f back"
	# the demo's logins, the one name written in English, its files' names
	allow="KPI UTC merit chen li lina sun wang wu zhao zhou Lina Chen
	       demo access log csv content leads orders posts ranks tasks uptime"
	# the workbook's Key column: the plan's indicator keys (data)
	[ $f = xlsx ] && allow="$allow $("$MERIT" --db "$ddb" plan export |
		sed -n '/^indicators:/,/^positions:/s/^  - {key: \([a-z_]*\),.*/\1/p' | tr '\n' ' ')"
	left=$($PY english.py "demo.$f.txt" labels.txt "$allow")
	expect "demo.$f: no English left" "$left" ""
	for s in 运营经理 网络编辑 网络推广 网页美工 网站开发 技术支持 网上销售额 推广发帖数 \
	         落实经营目标 配合企业的市场和销售 订单 王芳 陈静; do
		grep -qF -- "$s" "demo.$f.txt" && ok || fail "demo.$f lacks \"$s\""
	done
done

# ---- the plan's locale is the default; --lang overrides it ----
run_ok "export" plan export plan-out.yaml
grep -q '^locale:' plan-out.yaml && fail "an export without locale grew one" || ok
sed 's/^company:/locale: zh-CN\ncompany:/' plan.yaml > plan-zh.yaml
run_ok "plan with locale" plan import plan-zh.yaml
run_ok "export with locale" plan export plan-out.yaml
contains "export keeps locale" plan-out.yaml '^locale: zh-CN'
run_ok "show" plan show
contains "show says locale" "$T/out" '^locale: zh-CN'
run_ok "report by locale" report 2026-11 --format html -o loc.html
contains "locale zh-CN: Chinese by default" loc.html '<html lang="zh-CN">'
cmp -s loc.html zh.html && ok || fail "the locale's report differs from --lang zh-CN"
run_ok "report --lang en over locale" report 2026-11 --format html -o loc-en.html --lang en
cmp -s loc-en.html en.html && ok || fail "--lang en under locale zh-CN differs from English"
run_ok "csv keys English" report 2026-11 --format csv -o loc.csv
head -1 loc.csv | grep -q '^period,rank,login,name,position,' && ok || fail "csv header is not the English keys: $(head -1 loc.csv)"

# ---- refused: a bad --lang, a bad locale ----
run_fail "bad --lang" 2 '--lang "fr": choose en or zh-CN' report 2026-11 --format html -o x.html --lang fr
[ -e x.html ] && fail "a refused report wrote x.html" || ok
sed 's/^company:/locale: zh_CN\ncompany:/' plan.yaml > plan-bad.yaml
run_fail "bad locale" 1 'locale "zh_CN" is not one of en or zh-CN' plan import plan-bad.yaml

# ---- the web's downloads follow the user's language ----
# the page sends it: every download link carries lang=getLang()
for js in screen-dashboard.js screen-card.js; do
	n=$(grep -c '/api/report${qs({' "$SRC/web/$js")
	k=$(grep '/api/report${qs({' "$SRC/web/$js" | grep -c 'lang: getLang()')
	[ "$n" -gt 0 ] && [ "$n" = "$k" ] && ok || fail "web/$js: a report link without lang: getLang()"
done
printf 'pw-boss-secret\n' | "$MERIT" user add boss --role admin >"$T/out" 2>"$T/err" ||
	fail "user add boss: $(cat "$T/err")"
printf 'pw-wang-secret\n' | "$MERIT" user add wang --role member >"$T/out" 2>"$T/err" ||
	fail "user add wang: $(cat "$T/err")"
run_ok "release nov: wang downloads their own report" cycle release 2026-11
serve_start
web_py 120 "$T/web.out" "$SRC/tests/web/lang_test.py" "$url"
serve_stop

finish

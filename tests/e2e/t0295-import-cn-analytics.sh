# Chinese analytics exports (issue 10 item 6): Baidu's search resource
# platform keyword ranks (import ranks, preset baidu-ziyuan), Baidu Tongji
# visits by day and by source (the new import visits, preset
# baidu-tongji), WeChat official-account article analytics (import
# content, preset wechat: a title and no URL).  The headers are
# tests/data/{ranks,visits,content}/*.csv — the documented column names, NOT
# real exports (none found; see each PROVENANCE.md); the rows are made here
# and every figure is computed here with Python's csv module.
DATA=$(cd "$(dirname "$0")/../data" && pwd)
. "$(dirname "$0")/lib.sh"

q() { sqlite3 "$MERIT_DB" "$1"; }
# count and sum (value/denominator) of an indicator's measurements for a login
ind() { q "select count(*) || ' ' || printf('%.2f', coalesce(sum(value), 0)) || '/' || printf('%.2f', coalesce(sum(denominator), 0)) from measurement m join subject s on s.id = m.subject_id where s.indicator = '$1' and ifnull(s.login, '') = '$2'"; }
# py FILE EXPR: EXPR over the rows r (dicts) of FILE, printed
py() { python3 -c "import csv,sys
rows=list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
print($2)" "$1"; }
# rows HEADER OUT, then lines of comma-separated values on stdin: the export
rows() { { cat "$1"; cat; } > "$2"; }

run_ok "init" init --goal sales
run_ok "promoter" staff add lina --name Lina --position promoter
run_ok "promoter 2" staff add bo --name Bo --position promoter
run_ok "editor" staff add ed --name Ed --position editor

# ---- Baidu search resource platform: keywords by day ----
rows "$DATA/ranks/baidu_ziyuan_keywords_header.csv" ranks.csv <<'CSV'
2026-11-01,跑鞋,1200,85,7.08%,3.2
2026-11-01,运动鞋,800,20,2.50%,8
2026-11-01,袜子,300,2,0.67%,15.5
2026-11-02,跑鞋,1100,90,8.18%,2.9
2026-11-02,运动鞋,750,25,3.33%,7.4
CSV
run_ok "own keyword" own keyword 跑鞋 --who lina
run_ok "own keyword 2" own keyword 运动鞋 --who bo
run_ok "baidu ranks" import ranks ranks.csv
contains "baidu-ziyuan picked from the header" "$T/out" "\\(preset baidu-ziyuan\\)"
contains "unowned keyword told" "$T/err" "5 keywords: 4 owned by a promoter and measured, 1 owned by no one"
expect "lina's ranks" "$(ind keyword_rank lina)" "$(py ranks.csv "'%d %.2f/0.00' % (sum(1 for r in rows if r['关键词']=='跑鞋'), sum(float(r['排名']) for r in rows if r['关键词']=='跑鞋'))")"
expect "bo's ranks" "$(ind keyword_rank bo)" "$(py ranks.csv "'%d %.2f/0.00' % (sum(1 for r in rows if r['关键词']=='运动鞋'), sum(float(r['排名']) for r in rows if r['关键词']=='运动鞋'))")"

# ---- Baidu Tongji: the trend report by day ----
rows "$DATA/visits/tongji_trend_header.csv" trend.csv <<'CSV'
2026-11-01,5230,1804,2311,1750,45.2%,00:03:12
2026-11-02,4810,1702,2120,1660,47.01%,00:02:58
2026-11-03,6022,2010,2588,1933,43.5%,00:03:30
CSV
run_ok "tongji trend" import visits trend.csv
contains "baidu-tongji picked from the header" "$T/out" "\\(preset baidu-tongji\\)"
expect "the team's site_visits: 访问次数 per day" "$(ind site_visits '')" "$(py trend.csv "'%d %.2f/0.00' % (len(rows), sum(float(r['访问次数']) for r in rows))")"
expect "one measurement per day, on its day" "$(q "select group_concat(date(day * 86400, 'unixepoch') || '=' || value, ' ') from (select * from measurement m join subject s on s.id = m.subject_id where s.indicator = 'site_visits' order by day)")" \
	"$(py trend.csv "' '.join('%s=%.1f' % (r['日期'], float(r['访问次数'])) for r in rows)")"

# ---- Baidu Tongji: all sources over a period (--date), one promoter's ----
rows "$DATA/visits/tongji_source_header.csv" source.csv <<'CSV'
直接访问,3100,1200,1510,1180,50.1%,00:02:40
搜索引擎,2600,980,1302,950,40.3%,00:03:50
外部链接,900,330,420,320,55%,00:01:58
合计,6600,2510,3232,2450,47.2%,00:03:05
CSV
run_fail "a source report has no dates" 1 'source.csv:1: the file has no dates .*--date' import visits source.csv
run_ok "own channel" own channel 搜索引擎 --who lina
run_ok "tongji sources" import visits source.csv --date 2026-11-05
expect "team: every source but the total row" "$(q "select printf('%.2f', sum(value)) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'site_visits' and s.login is null and m.day = (julianday('2026-11-05') - 2440587.5)")" \
	"$(py source.csv "'%.2f' % sum(float(r['访问次数']) for r in rows if r['来源类型'] != '合计')")"
expect "lina: her channel's visits" "$(ind site_visits lina)" "$(py source.csv "'1 %.2f/0.00' % sum(float(r['访问次数']) for r in rows if r['来源类型'] == '搜索引擎')")"
contains "the total row left out" "$T/err" "1 total rows left out"
contains "sources no one owns named" "$T/err" 'channel "直接访问" is not mapped to a login'

# ---- WeChat articles: a title, no URL; the editor by an author rule ----
rows "$DATA/content/wechat_articles_header.csv" wechat.csv <<'CSV'
【周报】第45期：新品跑鞋上市,2026-11-02 20:30,3520,2980,210,35,88
【周报】第46期：冬季跑步指南,2026-11-09 20:30,2870,2511,150,20,61
双十一活动规则说明,2026-11-10 12:00,5120,4470,530,12,40
CSV
run_ok "own author by the title's start" own author 【周报】 --who ed
run_ok "wechat" import content wechat.csv
contains "wechat picked from the header" "$T/out" "\\(preset wechat\\)"
expect "ed's articles" "$(ind content_updates ed)" "$(py wechat.csv "(lambda n: '%d %.2f/0.00' % (n, n))(sum(1 for r in rows if r['标题'].startswith('【周报】')))")"
expect "ed's share rate: shares / reads" "$(ind share_rate ed)" "$(py wechat.csv "'%d %.2f/%.2f' % (sum(1 for r in rows if r['标题'].startswith('【周报】')), sum(float(r['分享次数']) for r in rows if r['标题'].startswith('【周报】')), sum(float(r['阅读次数']) for r in rows if r['标题'].startswith('【周报】')))")"
contains "an article no rule owns told by its title" "$T/err" 'author "双十一活动规则说明" is not mapped to a login'

finish

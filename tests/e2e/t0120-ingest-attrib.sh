# merit ingest on a hand-made log whose every figure is counted by hand:
# page views, visitors, human visitors, visits (30 minutes idle),
# crawlers; attribution of visits to promoters (utm_source, utm_campaign,
# referrer host) and of article views to an editor (URL prefix); a log
# that grows contributes only its new lines, and a visit open at the end
# of one ingestion goes on in the next; virtual hosts as sites; stdin;
# a custom format.
. "$(dirname "$0")/lib.sh"

run_ok "init" init --goal brand
run_ok "lina" staff add lina --name Lina --position promoter
run_ok "bo" staff add bo --name Bo --position promoter
run_ok "mei" staff add mei --name Mei --position editor
run_ok "own channel" own channel weibo --who lina
run_ok "own referrer" own referrer weibo.cn --who lina
run_ok "own campaign" own campaign nov-sale --who bo
run_ok "own url" own url https://www.example.com/blog/ --who mei

FF='"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"'
CH='"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"'
GB='"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"'
t() { echo "$1 - - [$2 +0800] \"GET $3 HTTP/1.1\" $4 100 \"$5\" $6"; }
{
	t 10.0.0.1 03/Nov/2026:08:00:00 '/?utm_source=weibo' 200 - "$FF"        # 1 pv, visitor A, visit 1 (lina)
	t 10.0.0.1 03/Nov/2026:08:00:05 /style.css 200 - "$FF"                    # 2 static
	t 10.0.0.1 03/Nov/2026:08:20:00 /blog/post-1 200 - "$FF"                  # 3 pv, mei; same visit
	t 10.0.0.1 03/Nov/2026:09:00:01 /blog/post-1 200 - "$FF"                  # 4 pv, mei; 40 min idle: visit 2
	t 10.0.0.2 03/Nov/2026:09:10:00 /x 404 - "$FF"                            # 5 4xx: no visitor
	t 10.0.0.3 03/Nov/2026:09:11:00 /blog/post-1 200 - "$GB"                  # 6 crawler visitor
	t 10.0.0.4 03/Nov/2026:10:00:00 '/l?x=1&utm_campaign=nov-sale' 304 https://www.google.com/ "$CH"  # 7 pv, visit (bo)
	t 10.0.0.5 03/Nov/2026:10:05:00 / 200 https://m.weibo.cn/share "$CH"      # 8 pv, visit (lina by referrer)
	echo 'this is not a log line'                                            # 9 failed
	t 10.0.0.6 03/Nov/2026:11:00:00 / 200 - '"curl/8.4.0"'                    # 10 crawler (curl)
	t 10.0.0.1 04/Nov/2026:00:10:00 / 200 - "$FF"                             # 11 next day
} > full.log

run_ok "ingest" ingest full.log
contains "line 9 reported" "$T/err" 'full.log:9:1: .*failed'
run_ok "traffic" traffic --json
# date requests failed page_views visitors human visits crawler
"$MERIT" traffic | awk 'NR > 1 { print $1, $3, $4, $5, $6, $7, $8, $9 }' > got.txt
printf '%s\n' "2026-11-03 9 1 5 5 3 4 2" "2026-11-04 1 0 1 1 1 1 0" > want.txt
expect "figures" "$(cat got.txt)" "$(cat want.txt)"
q() { sqlite3 "$MERIT_DB" "$1"; }
expect "site_visits" "$(q "select ifnull(u.login, 'team'), m.day, m.value from measurement m join subject u on u.id = m.subject_id where u.indicator = 'site_visits' order by 1, 2" | tr '\n' ' ')" \
	"bo|20760|1.0 lina|20760|2.0 team|20760|4.0 team|20761|1.0 "
expect "article views" "$(q "select login, path, views from article_view")" "mei|/blog/post-1|2"
expect "measurement traced to line" "$(q "select m.line from measurement m join subject u on u.id = m.subject_id where u.login = 'bo'")" 7
run_ok "score" score 2026-11 --who lina --json
contains "lina's site_visits in the score" "$T/out" '"key": "site_visits"'

# the same log, arriving in two parts: the visit of lines 1-2 goes on in
# line 3 of the second part; the totals are those of the whole
fresh_db
run_ok "init 2" init --goal brand
head -n 2 full.log > grow.log
run_ok "first part" ingest grow.log
cat full.log > grow.log
run_ok "grown" ingest grow.log
contains "only new lines" "$T/out" 'as batch 2: 9 lines \(after 2 ingested before\), 1 failed'
contains "line numbers go on" "$T/err" 'grow.log:9:1:'
"$MERIT" traffic | awk 'NR > 1 { print $1, $3, $4, $5, $6, $7, $8, $9 }' > got.txt
expect "figures in two parts" "$(cat got.txt)" "$(cat want.txt)"
run_fail "grown again: nothing new" 1 'ingested already as batch 2' ingest grow.log
gzip -c full.log > rotated.log.gz
run_fail "rotated and compressed: same content" 1 'ingested already as batch 2' ingest rotated.log.gz

# virtual hosts are sites; --site overrides; standard input
{
	echo 'www.a.com:443 10.0.0.1 - - [05/Nov/2026:08:00:00 +0800] "GET / HTTP/1.1" 200 10 "-" '"$FF"
	echo 'shop.a.com:443 10.0.0.1 - - [05/Nov/2026:08:00:00 +0800] "GET / HTTP/1.1" 200 10 "-" '"$FF"
	echo 'shop.a.com:443 10.0.0.2 - - [05/Nov/2026:08:01:00 +0800] "GET /a.png HTTP/1.1" 200 10 "-" '"$FF"
} > vhost.log
"$MERIT" ingest --format vcombined - < vhost.log > "$T/out" 2>"$T/err"
expect "stdin vcombined" "$?" 0
run_ok "site filter" traffic --site shop.a.com
expect "shop.a.com" "$(awk 'NR > 1 { print $1, $2, $3, $5, $6 }' "$T/out")" "2026-11-05 shop.a.com 2 1 2"
run_ok "site www" traffic --site www.a.com --from 2026-11-05 --to 2026-11-05
expect "www.a.com" "$(awk 'NR > 1 { print $2, $3 }' "$T/out")" "www.a.com 1"
cut -d'"' -f1-3 full.log | sed 's/ $//' > common.log
run_ok "custom format + --site" ingest --site blog --format '%h %^ %^ %t "%r" %>s %b' common.log
run_ok "blog site" traffic --site blog --json
contains "custom: no agent, no crawlers" "$T/out" '"crawler_requests": 0'
contains "custom: 9 requests on the 3rd" "$T/out" '"requests": 9'

# a log older than one ingested before (in another call): its requests
# over 30 minutes before the visitor's latest are a visit of their own,
# not lost; the next request goes on in that visit
MERIT_DB=$T/order.db
run_ok "init order" init --goal none
t 10.0.0.1 06/Nov/2026:12:00:00 / 200 - "$FF" > later.log
{ t 10.0.0.1 06/Nov/2026:08:00:00 / 200 - "$FF"; t 10.0.0.1 06/Nov/2026:08:10:00 /a 200 - "$FF"; } > earlier.log
run_ok "later first" ingest later.log
run_ok "earlier next" ingest earlier.log
run_ok "traffic order" traffic --from 2026-11-06 --to 2026-11-06
expect "earlier visit counted" "$(awk 'NR > 1 { print $3, $6, $8 }' "$T/out")" "3 1 2"
finish

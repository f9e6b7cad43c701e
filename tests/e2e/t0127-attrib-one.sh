# One attribution (issue 10 item 10): the same ownership rules give the
# same person a web log's visit, an order's new customer and an article,
# whichever file it comes from.  Before, four places decoded and compared
# in their own ways: a content URL on http:// missed a URL rule written
# with https:// (the logs compare paths), an order's utm_source with
# spaces around it missed its channel, and a rule written with spaces
# around its value matched nothing.  Every figure below is counted by hand.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 "$MERIT_DB" "$1"; }
per() { q "select ifnull(s.login, 'team') || ':' || sum(m.value) from measurement m join subject s on s.id = m.subject_id where s.indicator = '$1' and s.login is not null group by s.login order by s.login" | tr '\n' ' '; }

run_ok "init" init --goal sales
run_ok "lina" staff add lina --name Lina --position promoter
run_ok "bo" staff add bo --name Bo --position promoter
run_ok "mei" staff add mei --name Mei --position editor
run_ok "own channel" own channel " Instagram " --who lina      # padded as typed
run_ok "own campaign" own campaign "spring sale" --who bo
run_ok "own url" own url https://shop.example.com/blog/ --who mei

# ---- the web log: a visit from utm_source=INSTAGRAM (lina), one from
# utm_campaign=spring%20sale (bo) ----
CH='"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"'
FF='"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"'
{
	echo "10.0.0.1 - - [03/Nov/2026:08:00:00 +0800] \"GET /?utm_source=INSTAGRAM HTTP/1.1\" 200 10 \"-\" $CH"
	echo "10.0.0.2 - - [03/Nov/2026:09:00:00 +0800] \"GET /?utm_campaign=spring%20sale HTTP/1.1\" 200 10 \"-\" $FF"
	echo "10.0.0.3 - - [03/Nov/2026:09:30:00 +0800] \"GET /blog/tea HTTP/1.1\" 200 10 \"-\" $FF"
} > access.log
run_ok "ingest" ingest access.log
expect "log visits by the rules" "$(per site_visits)" "bo:1.0 lina:1.0 "
expect "article views by the url rule" "$(q "select login || ':' || views from article_view")" "mei:1"

# ---- orders: the same rules, in the order's columns and landing URL ----
cat > orders.csv <<'EOF2'
date,order,customer,total,status,source,campaign,landing
2026-11-03,#1,a@x,10.00,paid,instagram,,
2026-11-03,#2,b@x,10.00,paid,,,https://shop.example.com/?utm_source=+Instagram+
2026-11-03,#3,c@x,10.00,paid,,,/p?utm_campaign=spring+sale
2026-11-03,#4,d@x,10.00,paid,INSTAGRAM,spring sale,
2026-11-03,#5,e@x,10.00,paid,facebook,,
EOF2
run_ok "orders" import orders orders.csv
expect "new customers by the rules" "$(per online_customers)" "bo:2.0 lina:2.0 "
contains "the unowned source told" "$T/err" 'channel "facebook" is not mapped.*1 row'

# ---- content: an http:// URL is the rule's path as the logs see it ----
cat > content.csv <<'EOF2'
date,url,author,type,views,shares
2026-11-03,http://shop.example.com/blog/tea,,article,100,5
2026-11-03,https://shop.example.com/blog/oolong?utm_source=x,,article,50,1
EOF2
run_ok "content" import content content.csv
expect "articles by the url rule" "$(per content_updates)" "mei:2.0 "

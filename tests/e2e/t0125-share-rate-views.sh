# share_rate from the web logs: a content row without views takes the page
# views the logs gave that article's path since it was published.
. "$(dirname "$0")/lib.sh"

run_ok "init" init --goal sales
run_ok "editor" staff add zhao --name "赵磊" --position editor
run_ok "own url" own url /blog/ --who zhao
UA='"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"'
{
	# before publication: not counted
	echo "10.0.0.1 - - [01/Nov/2026:09:00:00 +0800] \"GET /blog/a HTTP/1.1\" 200 512 \"-\" $UA"
	# four human views after it, one with a query string
	echo "10.0.0.2 - - [03/Nov/2026:09:00:00 +0800] \"GET /blog/a HTTP/1.1\" 200 512 \"-\" $UA"
	echo "10.0.0.3 - - [03/Nov/2026:09:01:00 +0800] \"GET /blog/a?utm_source=x HTTP/1.1\" 200 512 \"-\" $UA"
	echo "10.0.0.4 - - [04/Nov/2026:10:00:00 +0800] \"GET /blog/a HTTP/1.1\" 304 0 \"-\" $UA"
	echo "10.0.0.5 - - [05/Nov/2026:11:00:00 +0800] \"GET /blog/a HTTP/1.1\" 200 512 \"-\" $UA"
	# a crawler and a 404 are not views
	echo "66.249.66.1 - - [05/Nov/2026:11:00:00 +0800] \"GET /blog/a HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)\""
	echo "10.0.0.6 - - [05/Nov/2026:12:00:00 +0800] \"GET /blog/a HTTP/1.1\" 404 0 \"-\" $UA"
	# another article
	echo "10.0.0.7 - - [05/Nov/2026:12:00:00 +0800] \"GET /blog/b HTTP/1.1\" 200 512 \"-\" $UA"
} > access.log
run_ok "ingest" ingest access.log --site shop
printf 'date,url,author,type,views,shares\n2026-11-02,https://shop.example.com/blog/a,,article,,2\n2026-11-02,https://shop.example.com/blog/b,,article,10,1\n2026-11-02,https://shop.example.com/blog/c,,article,,5\n' > content.csv
run_ok "content" import content content.csv
run_ok "score" score 2026-11 --json
# share_rate = 100 × (2 + 1) ÷ (4 from the logs + 10 from the file); /blog/c
# has no views anywhere, so it gives no share_rate (its update still counts)
expect "share_rate from logs and file" "$(sqlite3 :memory: "select json_extract(value, '\$.actual') from json_each(json_extract(readfile('$T/out'), '\$.people[0].indicators')) where json_extract(value, '\$.key') = 'share_rate'")" "$(echo '100*3/14' | bc -l | awk '{printf "%.15g", $1}')"
expect "content updates" "$(sqlite3 :memory: "select json_extract(value, '\$.actual') from json_each(json_extract(readfile('$T/out'), '\$.people[0].indicators')) where json_extract(value, '\$.key') = 'content_updates'")" "3.0"
expect "denominators" "$(sqlite3 "$MERIT_DB" "select group_concat(m.denominator, ' ') from measurement m join subject u on u.id = m.subject_id where u.indicator = 'share_rate'")" "4.0 10.0"

finish

# The data screen's API (issue 13, item 8): a CSV template per kind and
# preset, made from the importers' own column tables (every preset's
# template is read back as that preset), and a preview of an upload read
# by the same importer in a transaction rolled back — its columns, first
# rows, row count and problem — with nothing kept; then the same file
# imported.  Over curl against `merit serve`.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { fail "curl is not installed"; finish; exit 1; }
command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }

run_ok "init" init --goal brand
run_ok "lina" staff add lina --name "李娜" --position promoter
printf 'owner-pass-1\n' | "$MERIT" user add owner --role admin >/dev/null 2>&1 || fail "user add owner"
printf 'lina-pass-1\n' | "$MERIT" user add lina --role member >/dev/null 2>&1 || fail "user add lina"
serve_start
U=${url%/}
# login WHO PASSWORD — a cookie jar $T/WHO.jar; prints the CSRF token
login() {
	curl -s -c "$T/$1.jar" -H 'Content-Type: application/json' \
		-d "{\"login\": \"$1\", \"password\": \"$2\"}" "$U/api/login" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf"])'
}
CSRF=$(login owner owner-pass-1)
LCSRF=$(login lina lina-pass-1)
# get PATH — as the owner: body in $T/body, headers in $T/head; prints the status
get() { curl -s -b "$T/owner.jar" -D "$T/head" -o "$T/body" -w '%{http_code}' "$U$1"; }
# send PATH FILE — POST FILE as the owner: body in $T/body; prints the status
send() {
	curl -s -b "$T/owner.jar" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: text/csv' \
		--data-binary "@$2" -o "$T/body" -w '%{http_code}' "$U$1"
}
# j EXPR — a Python expression over the JSON answer d
j() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($1)" "$T/body"; }
q() { sqlite3 "$MERIT_DB" "$1"; }

# ---- templates ----
expect "the posts template" "$(get '/api/import/template?kind=posts')" 200
expect "its header and example row" "$(cat "$T/body")" "date,login,platform,url
2026-11-03,lina,weibo,https://weibo.example/p/1"
contains "a CSV" "$T/head" '^Content-Type: text/csv; charset=utf-8'
contains "a download named for its kind" "$T/head" '^Content-Disposition: attachment; filename="posts-generic.csv"'
expect "the measurements template" "$(get '/api/import/template?kind=measurements')" 200
expect "its layout is merit's own, with an example" "$(cat "$T/body")" "date,indicator,login,value,denominator
2026-11-03,promo_posts,lina,12,"
expect "Shopify's template" "$(get '/api/import/template?kind=orders&preset=shopify')" 200
expect "Shopify's columns, then the one that tells Shopify's export, no example" \
	"$(cat "$T/body")" "Created at,Name,Email,Total,Refunded Amount,Financial Status,Source,Landing Site,Currency,Lineitem name"
expect "Baidu Index's template" "$(get '/api/import/template?kind=index&preset=baidu-index')" 200
expect "the columns baidux / spider-BaiduIndex saves" "$(cat "$T/body")" "date,keyword,index,type"
expect "an index series' own layout" "$(get '/api/import/template?kind=index')" 200
expect "its example: one keyword's day" "$(cat "$T/body")" "date,keyword,value,type
2026-11-03,tea set,1580,all"
expect "an unknown preset" "$(get '/api/import/template?kind=orders&preset=nope')" 400
contains "names the presets" "$T/body" 'no preset \\"nope\\" for orders files; there are: generic, shopify, woocommerce, taobao, jd, youzan, douyin'
expect "an unknown kind" "$(get '/api/import/template?kind=poems')" 400
contains "names the kinds" "$T/body" 'not a kind of import'
expect "no kind" "$(get '/api/import/template')" 400

# every kind's every preset: its template is read back as that preset,
# each field's column read (a column not read is one that only tells the
# export apart), and the generic ones with their example row
n=0
for k in measurements orders tasks ranks leads content posts members uptime visits index; do
	get "/api/import/template?kind=$k&preset=nope" >/dev/null
	for p in $(j 'd["error"].split("there are: ")[1].replace(",", "")'); do
		get "/api/import/template?kind=$k&preset=$p" >/dev/null
		cp "$T/body" "$T/tpl.csv"
		send "/api/import/preview?kind=$k&file=tpl.csv" "$T/tpl.csv" >/dev/null
		expect "$k/$p: its template reads as $p" "$(j 'd.get("preset")')" "$p"
		expect "$k/$p: every field it names is read" \
			"$(j '[c["field"] for c in d["columns"]][:len([c for c in d["columns"] if c["field"]])].count(None)')" 0
		if [ "$p" = generic ]; then
			expect "$k/$p: the example row is read" "$(j 'd["data_rows"], len(d["rows"])')" "1 1"
		fi
		n=$((n + 1))
	done
done
expect "33 templates, as many as the importers' presets" "$n" 33

# ---- a preview changes nothing ----
{
	printf 'date,login,platform,url,note,campaign\n'
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		printf '2026-11-%02d,lina,微博,https://weibo.example/p/%d,n%d,spring\n' "$i" "$i" "$i"
	done
} >"$T/posts.csv"
audit=$(q 'select count(*) from audit')
expect "a preview" "$(send '/api/import/preview?kind=posts&file=posts.csv&map=campaign=-' "$T/posts.csv")" 200
expect "no problem" "$(j 'd["problem"]')" None
expect "kind and preset" "$(j 'd["kind"], d["preset"]')" "posts generic"
expect "the columns recognised, not read, ignored" \
	"$(j '[(c["name"], c["field"], c["ignored"]) for c in d["columns"]]')" \
	"[('date', 'date', False), ('login', 'login', False), ('platform', 'platform', False), ('url', 'url', False), ('note', None, False), ('campaign', None, True)]"
expect "the first 10 rows, as the importer reads them" "$(j 'len(d["rows"]), d["rows"][0], d["rows"][9]["line"]')" \
	"10 {'line': 2, 'values': {'date': '2026-11-01', 'login': 'lina', 'platform': '微博', 'url': 'https://weibo.example/p/1'}} 11"
expect "12 rows, 12 posts counted" "$(j 'd["data_rows"], d["rows_counted"], d["skipped"]')" "12 12 0"
contains "the notes name the column not read" "$T/body" 'ignored 1 column not used by posts files: \\"note\\"'
expect "no batch was made" "$(q 'select count(*) from batch')" 0
expect "nothing audited" "$(q 'select count(*) from audit')" "$audit"

# ---- a problem is shown, not thrown ----
sed '4s|,https://weibo.example/p/3,|,,|' "$T/posts.csv" >"$T/bad.csv"
expect "a preview of a bad file still answers" "$(send '/api/import/preview?kind=posts&file=bad.csv' "$T/bad.csv")" 200
contains "its problem names the line and column" "$T/body" '"problem": *"bad.csv:4:4: '
expect "the rows read up to it; nothing would be counted" "$(j 'len(d["rows"]), d["rows_counted"]')" "3 0"
printf 'date,login,platform\n2026-11-01,lina,weibo\n' >"$T/short.csv"
send '/api/import/preview?kind=posts&file=short.csv' "$T/short.csv" >/dev/null
contains "a missing column is a problem" "$T/body" 'required column missing: \\"url\\"'
expect "a bad date order is a 400 as for an import" \
	"$(send '/api/import/preview?kind=posts&file=posts.csv&date_order=ymd' "$T/posts.csv")" 400

# ---- then the same file imported ----
expect "the import" "$(send '/api/import?kind=posts&file=posts.csv&map=campaign=-' "$T/posts.csv")" 200
expect "as previewed: 12 rows" "$(j 'd["rows"]')" 12
expect "one batch" "$(q 'select count(*) from batch')" 1
send '/api/import/preview?kind=posts&file=posts.csv&map=campaign=-' "$T/posts.csv" >/dev/null
contains "a preview of it again: counted already" "$T/body" '"problem": *"[^"]*already'
expect "still one batch" "$(q 'select count(*) from batch')" 1

# ---- admins only ----
expect "a member gets no template" \
	"$(curl -s -b "$T/lina.jar" -o /dev/null -w '%{http_code}' "$U/api/import/template?kind=posts")" 403
expect "nor a preview" "$(curl -s -b "$T/lina.jar" -H "X-CSRF-Token: $LCSRF" --data-binary "@$T/posts.csv" \
	-o /dev/null -w '%{http_code}' "$U/api/import/preview?kind=posts&file=p.csv")" 403
serve_stop
finish

# An upload's words in the page's language (issue 13): with lang=zh-CN the
# importers' and the log ingest's errors, the hint words after them and an
# import's notes are Chinese — no English sentence left — while the file's
# name, its line and column and what the person typed stay as they are, the
# English kept as error_en / notes_en / problem_en; with lang=en (or none)
# the English is as it was.  Over curl against `merit serve`.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { fail "curl is not installed"; finish; exit 1; }
command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }

run_ok "init" init --goal brand
run_ok "lina" staff add lina --name "李娜" --position promoter
printf 'owner-pass-1\n' | "$MERIT" user add owner --role admin >/dev/null 2>&1 || fail "user add owner"
serve_start
U=${url%/}
CSRF=$(curl -s -c "$T/owner.jar" -H 'Content-Type: application/json' \
	-d '{"login": "owner", "password": "owner-pass-1"}' "$U/api/login" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf"])')
# send PATH FILE — POST FILE as the owner: body in $T/body; prints the status
send() {
	curl -s -b "$T/owner.jar" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: text/csv' \
		--data-binary "@$2" -o "$T/body" -w '%{http_code}' "$U$1"
}
# zh KEY WANT... — the answer's KEY is Chinese, no three English words in a
# row, and holds each WANT verbatim; prints "ok" or what is wrong
zh() {
	python3 - "$T/body" "$@" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
key, want = sys.argv[2], sys.argv[3:]
text = d.get(key) or ""
bad = []
if not re.search(r"[\u4e00-\u9fff]", text): bad.append("no Chinese")
for line in text.split("\n"):
    m = re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", line)
    if m: bad.append("English: %r in %r" % (m.group(0), line))
for w in want:
    if w not in text: bad.append("%r not kept" % w)
if not d.get(key + "_en"): bad.append("no %s_en" % key)
print("ok" if not bad else "%s: %s" % ("; ".join(bad), json.dumps(d, ensure_ascii=False)))
PY
}
# j EXPR — a Python expression over the JSON answer d
j() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($1)" "$T/body"; }

I='/api/import?kind=measurements&lang=zh-CN&file='
E='/api/import?kind=measurements&file='
# a bad number, at its line and column
printf 'date,login,indicator,value\n2026-11-03,lina,promo_posts,x\n' > "$T/bad.csv"
expect "a bad number: 422" "$(send "${I}bad.csv" "$T/bad.csv")" 422
expect "a bad number in Chinese" "$(zh error 'bad.csv:2:4: ' '“x”')" ok
expect "its English kept as error_en" "$(j 'd["error_en"]')" 'bad.csv:2:4: value "x" is not a number'
expect "lang=en: English as it was" "$(send "${E}bad.csv" "$T/bad.csv"):$(j 'd["error"], "error_en" in d')" \
	'422:bad.csv:2:4: value "x" is not a number False'
expect "lang=fr: 400" "$(send "/api/import?kind=measurements&lang=fr&file=bad.csv" "$T/bad.csv")" 400
# a bad date
printf 'date,login,indicator,value\n2026-13-45,lina,promo_posts,3\n' > "$T/date.csv"
expect "a bad date: 422" "$(send "${I}date.csv" "$T/date.csv")" 422
expect "a bad date in Chinese" "$(zh error 'date.csv:2:1: ' '2026-13-45')" ok
# a column map naming a field the kind has not
expect "an unknown field in the map: 422" "$(send "${I}date.csv&map=Foo%3Dbar" "$T/date.csv")" 422
expect "the unknown field in Chinese" "$(zh error 'Foo=bar' '“bar”')" ok
# a preset's column missing (and the hint words after it)
expect "not a shopify export: 422" "$(send "/api/import?kind=orders&preset=shopify&lang=zh-CN&file=date.csv" "$T/date.csv")" 422
expect "not a shopify export in Chinese" "$(zh error 'date.csv:1: ' 'shopify')" ok
# text that is not UTF-8 (nor GB18030): the encoding hint in Chinese too
printf 'date,login,indicator,value\n2026-11-03,\377,promo_posts,3\n' > "$T/enc.csv"
expect "a wrong encoding: 422" "$(send "${I}enc.csv" "$T/enc.csv")" 422
expect "the wrong encoding in Chinese, with its hint" "$(zh error 'enc.csv:2:2: ' 'GB18030')" ok
expect "the hint's situation kept" "$(j 'd["why"]')" encoding
# an empty file
: > "$T/empty.csv"
expect "an empty file: 422" "$(send "${I}empty.csv" "$T/empty.csv")" 422
expect "the empty file in Chinese" "$(zh error 'empty.csv: ' 'date,indicator,login,value,denominator')" ok
# a file imported with notes: a column no field reads, a name no one is,
# bad rows skipped; and its preview
printf 'date,login,indicator,value,Extra\n2026-11-03,lina,promo_posts,3,q\n2026-11-04,王五,promo_posts,4,q\n2026-11-05,lina,promo_posts,zz,q\n' > "$T/good.csv"
expect "a preview with notes: 200" "$(send "/api/import/preview?kind=measurements&skip_bad=1&lang=zh-CN&file=good.csv" "$T/good.csv")" 200
expect "the preview's notes in Chinese" "$(zh notes 'good.csv:3:2: ' '王五' 'zz' '"Extra"')" ok
expect "a preview of a bad file: its problem in Chinese" \
	"$(send "/api/import/preview?kind=measurements&lang=zh-CN&file=bad.csv" "$T/bad.csv"):$(zh problem 'bad.csv:2:4: ' '“x”')" 200:ok
expect "an import with notes: 200" "$(send "${I}good.csv&skip_bad=1" "$T/good.csv")" 200
expect "its notes in Chinese" "$(zh notes 'good.csv:3:2: ' 'good.csv:4:4: ' '王五' 'zz' '"Extra"')" ok
expect "its English notes kept as notes_en" "$(j 'd["notes_en"].splitlines()[0]')" \
	'good.csv: ignored 1 column not used by measurements files: "Extra"'
# a file imported already: the hint words (file_imported) in Chinese
expect "imported again: 409" "$(send "${I}good.csv&skip_bad=1" "$T/good.csv")" 409
expect "imported again, in Chinese" "$(zh error 'good.csv')" ok
# an access log: a line that is none, and a file that is not a log
printf '1.2.3.4 - - [03/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "Mozilla/5.0"\nnot a log line\n' > "$T/a.log"
expect "a log with a bad line: 200" "$(send "/api/ingest?lang=zh-CN&file=a.log" "$T/a.log")" 200
expect "its notes in Chinese" "$(zh notes 'a.log:2:')" ok
printf 'nothing here is a log\n' > "$T/b.log"
expect "not a log: 422" "$(send "/api/ingest?lang=zh-CN&file=b.log" "$T/b.log")" 422
expect "not a log, in Chinese" "$(zh error 'b.log: ')" ok
expect "a bad log format, in Chinese" "$(send "/api/ingest?lang=zh-CN&format=%25Q&file=b.log" "$T/b.log"):$(zh error '%Q')" 400:ok
serve_stop
finish

#!/bin/sh
# bench/batches.sh — how fast GET /api/batches answers with 200 people and
# 2000 batches (issue 13, item 8): not a test (no timed assertion), a
# measurement to read.  MERIT=build/merit sh bench/batches.sh
# prints the median of 20 requests for: an admin's first page (the web's
# limit=51), an admin's page at offset 1900, a member's first page (only
# the batches holding their measurements) and a period and source filter.
set -eu
: "${MERIT:?MERIT must name the merit binary}"
d=$(mktemp -d "${TMPDIR:-/tmp}/merit-bench.XXXXXX")
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$d"' EXIT
spid=
export MERIT_DB="$d/m.db"
cd "$d"
"$MERIT" init --goal sales >/dev/null
{
	echo "姓名,帐号,手机号,邮箱,所在部门,职位,性别,是否部门内领导,排序,别名,地址,座机,禁用,禁用项说明：(0-启用;1-禁用)"
	i=1
	while [ $i -le 200 ]; do printf '员工%03d,p%03d,,,2,编辑,2,0,0,,,,0,\n' $i $i; i=$((i + 1)); done
} > staff.csv
"$MERIT" staff import staff.csv --title 编辑=editor >/dev/null
"$MERIT" cycle open 2026-11 >/dev/null
# 2000 batches: one small file each (10 rows, five people; each file its own)
i=1
while [ $i -le 2000 ]; do
	{
		echo "date,indicator,login,value,denominator"
		j=0
		while [ $j -lt 5 ]; do
			printf '2026-11-%02d,content_updates,p%03d,%d,\n' $((i % 28 + 1)) $(((i * 5 + j) % 200 + 1)) $i
			printf '2026-11-%02d,topics_produced,p%03d,1,\n' $((i % 28 + 1)) $(((i * 5 + j) % 200 + 1))
			j=$((j + 1))
		done
	} > "b$i.csv"
	"$MERIT" import measurements "b$i.csv" >/dev/null
	rm -f "b$i.csv"
	i=$((i + 1))
done
printf 'admin password 1\n' | "$MERIT" user add boss --role admin >/dev/null
printf 'p001 password 1\n' | "$MERIT" user add p001 --role member >/dev/null
"$MERIT" serve --listen 127.0.0.1:0 2>serve.err >/dev/null &
spid=$!
n=0
while ! grep -q 'serving' serve.err 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
url=$(sed -n '1s|^merit: serving \(http://[^ ]*/\) .*|\1|p' serve.err)
cookie() {
	curl -sS -c "$d/$1.jar" -o /dev/null -H 'Content-Type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"$2\"}" "${url}api/login"
}
cookie boss 'admin password 1'
cookie p001 'p001 password 1'
median() {   # median of 20 times (ms) of GET $2 as $1
	k=0
	while [ $k -lt 20 ]; do
		curl -sS -b "$d/$1.jar" -o /dev/null -w '%{time_total}\n' "$url$2"
		k=$((k + 1))
	done | sort -n | sed -n 10p | awk '{ printf "%.1f ms", $1 * 1000 }'
}
echo "batches: $(sqlite3 "$MERIT_DB" 'select count(*) from batch' 2>/dev/null || echo '?'), people: 200"
echo "admin, first page (limit=51):      $(median boss 'api/batches?limit=51')"
echo "admin, offset 1900:                $(median boss 'api/batches?limit=51&offset=1900')"
echo "admin, period and source filter:   $(median boss 'api/batches?period=2026-11&source=measurements&limit=51')"
echo "admin, all 2000 (no limit):        $(median boss 'api/batches')"
echo "member p001, first page:           $(median p001 'api/batches?limit=51')"

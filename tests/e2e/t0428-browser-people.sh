# The everyday screens with 200 people, in a real browser (issue 13, item
# 8; tests/browser/people.mjs): search, filters and pages in the dashboard,
# the person pickers and the staff list; money with its currency; a rating
# comment kept over an expired session; a phone's stacked tables, 40 px
# stars and charts whose labels neither overlap nor clip.  Skipped without
# chromium, node or tests/browser/node_modules, unless
# MERIT_BROWSER_REQUIRED=1, when that fails.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
browser_or_skip

run_ok "init" init --goal sales
# a long Chinese indicator name, for the charts on a phone: cut to fit
run_ok "plan export" plan export plan.yaml
sed 's/name: Online sales revenue,/name: 线上销售收入（天猫、京东、抖音店铺与官网商城合计，含税，不含退款）,/' plan.yaml >plan2.yaml
run_ok "plan import" plan import plan2.yaml
# 200 editors under 王芳 (wang), from a WeCom member file: Chinese and
# Latin names; one of them, p137, is 周晓明
{
	cat "$root/tests/data/staff/wecom_user_header.csv"
	printf '王芳,wang,13800000000,,2,运营经理,2,1,0,,,,0,\n'
	i=1
	while [ $i -le 200 ]; do
		l=$(printf 'p%03d' $i)
		if [ $i -eq 137 ]; then n=周晓明
		elif [ $((i % 2)) -eq 0 ]; then n=$(printf '员工%03d' $i)
		else n=$(printf 'Person %03d' $i); fi
		printf '%s,%s,,,2,编辑,2,0,0,,,,0,\n' "$n" "$l"
		i=$((i + 1))
	done
} > staff.csv
run_ok "200 staff" staff import staff.csv --title 运营经理=manager --title 编辑=editor
contains "all added" "$T/out" '201 added'

# their month: content and topics (70% of the KPIs) for 199, so all but
# one are scored, spread over the grades; the team's sales in CNY
{
	echo "date,indicator,login,value,denominator"
	i=1
	while [ $i -le 199 ]; do
		l=$(printf 'p%03d' $i)
		printf '2026-11-10,content_updates,%s,%d,\n' "$l" $((30 + i % 40))
		printf '2026-11-10,topics_produced,%s,%d,\n' "$l" $((1 + i % 4))
		i=$((i + 1))
	done
} > month.csv
run_ok "cycle" cycle open 2026-11
run_ok "measurements" import measurements month.csv
# and October's, a month before: the trend has two points (the last label
# must not be cut at the chart's edge)
sed 's/^2026-11-10,/2026-10-10,/' month.csv >october.csv
run_ok "october" cycle open 2026-10 --yes
run_ok "october's measurements" import measurements october.csv
run_ok "sales" record online_sales 250000 --team --date 2026-11-20
run_ok "a base bonus of its own" staff set p001 --base-bonus 5200

for u in "boss admin boss password 1" "wang manager wang password 1" "p001 member p001 password 1"; do
	set -- $u
	login=$1 role=$2; shift 2
	printf '%s\n' "$*" | "$MERIT" user add "$login" --role "$role" >"$T/out" 2>"$T/err"
	if [ $? -eq 0 ]; then ok; else fail "user add $login: $(cat "$T/err")"; fi
done

serve_start

browser_run people.mjs

finish

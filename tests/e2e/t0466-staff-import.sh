# The staff list from a WeCom (企业微信) member file (issue 13, item 1):
# `merit staff import FILE --title TITLE=KEY… [--position KEY]`, CSV and
# XLSX, the header of tests/data/staff (PROVENANCE.md), the rows invented.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

H=$(cat "$root/tests/data/staff/wecom_user_header.csv")
run_ok "init" init --goal sales
run_ok "staff boss" staff add boss --name "Boss Wang" --position manager

{
	printf '%s\n' "$H"
	printf '王芳,wang,13800000001,wang@example.com,2,运营经理,2,1,0,,,,0,\n'
	printf '李娜,lina,13800000002,,2;3,推广专员,2,0;1,0,,,,0,\n'
	printf '赵敏,zhao,13800000003,,2,新媒体编辑,2,0,0,,,,0,\n'
	printf '孙浩,sun,13800000004,,3,推广专员,1,1,0,,,,0,\n'
	printf '周杰,zhou,13800000005,,2,推广专员,1,0,0,,,,1,\n'
} > contacts.csv

run_fail "a title no position is given for" 1 'contacts.csv:4: 职位 "新媒体编辑" of zhao: no position for this title' \
	staff import contacts.csv --title 运营经理=manager --title 推广专员=promoter
run_fail "a title mapped to no position of the plan" 1 'contacts.csv:2: wang: --position "boss": the plan has no such position' \
	staff import contacts.csv --title 运营经理=boss --position editor
run_fail "--title without =" 2 '--title "运营经理": say TITLE=KEY' staff import contacts.csv --title 运营经理
run_fail "import takes no --name" 2 'import takes --title and --position only' \
	staff import contacts.csv --name X
run_ok "import" staff import contacts.csv --title 运营经理=manager --title 推广专员=promoter \
	--position editor
contains "counts" "$T/out" 'merit: 4 added, 0 changed, 1 left out'
contains "the disabled member is told" "$T/err" 'contacts.csv:6: zhou is disabled \(禁用 1\): left out'
run_ok "staff list" staff list --json
expect "the people, positions and managers" \
	"$(python3 -c 'import json,sys; print(" ".join("%s:%s:%s" % (p["login"], p["position"], p["manager"]) for p in json.load(open(sys.argv[1]))))' "$T/out")" \
	"boss:manager:None lina:promoter:wang sun:promoter:None wang:manager:None zhao:editor:wang"
expect "each addition audited" "$(sqlite3 "$MERIT_DB" "select count(*) from audit where action = 'staff add' and who = 'tester'")" 5

# again, changed: a new title and a new leader; nobody added twice
sed -e 's/^赵敏,zhao,\(.*\),新媒体编辑,2,0,/赵敏,zhao,\1,推广专员,2,1,/' -e 's/^王芳,wang,\(.*\),2,1,0,/王芳,wang,\1,2,0,0,/' contacts.csv > again.csv
run_ok "import again" staff import again.csv --title 运营经理=manager --title 推广专员=promoter
# (sun, who leads department 3 as before, is as he was: not changed)
contains "changed, not added" "$T/out" 'merit: 0 added, 3 changed, 1 as they were, 1 left out'
# lina's manager is the new leader; a leader keeps their own manager,
# unless it is someone they now lead: wang, zhao's manager, reports to
# zhao now, so zhao has none (the managers would go round), and is told
expect "zhao is a promoter, and leads department 2 now" \
	"$(sqlite3 "$MERIT_DB" "select position || ' ' || ifnull(manager, '-') from staff where login in ('zhao', 'lina', 'wang') order by login")" \
	"promoter zhao
manager zhao
promoter -"
contains "the link back told" "$T/err" 'again.csv:2: zhao now manages wang, who managed zhao: that link is dropped'
expect "nothing audited for sun, as he was" \
	"$(sqlite3 "$MERIT_DB" "select count(*) from audit where action = 'staff set' and object = 'sun'")" 0
run_ok "the same file again" staff import again.csv --title 运营经理=manager --title 推广专员=promoter
contains "as they were, all" "$T/out" 'merit: 0 added, 0 changed, 4 as they were, 1 left out'
expect "the changes audited with before and after" \
	"$(sqlite3 "$MERIT_DB" "select count(*) from audit where action = 'staff set' and object = 'zhao' and before like '%editor%' and after like '%promoter%'")" 1

# the same file as a spreadsheet (.xlsx, made by LibreOffice from the CSV)
if command -v soffice >/dev/null 2>&1; then
	soffice -env:UserInstallation=file://$T/lo --headless --infilter=CSV:44,34,76 \
		--convert-to xlsx --outdir . contacts.csv >/dev/null 2>&1
	[ -s contacts.xlsx ] && ok || fail "LibreOffice made no workbook"
	fresh_db
	run_ok "init again" init --goal sales
	run_ok "import xlsx" staff import contacts.xlsx --title 运营经理=manager --title 推广专员=promoter --position editor
	contains "xlsx counts" "$T/out" 'merit: 4 added, 0 changed, 1 left out'
	expect "lina's manager from the xlsx" "$(sqlite3 "$MERIT_DB" "select manager from staff where login = 'lina'")" wang
else
	echo "$name: soffice (LibreOffice) missing: the xlsx part is skipped"
fi

# not a member file
printf 'date,indicator,login,value\n' > other.csv
run_fail "a file without 姓名 and 帐号" 1 'other.csv: not a WeCom member file: its header needs 姓名 \(name\) and 帐号 \(login\)' \
	staff import other.csv --position editor

finish

# Surveys (issue 13 item 7): brand awareness and reputation measured by a
# questionnaire at a public link, through the web by
# tests/web/survey_test.py over a real socket: staff boss (admin, the
# operations manager) and p1 (a promoter, member); cycles 2026-11 and
# 2026-12 open.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }

run_ok "init" init --goal brand
run_ok "staff boss" staff add boss --name "Boss Wang" --position manager
run_ok "staff p1" staff add p1 --name "李娜" --position promoter --manager boss
for u in boss:admin p1:member; do
	printf 'pw-%s-secret\n' "${u%%:*}" | "$MERIT" user add "${u%%:*}" --role "${u#*:}" \
		>"$T/out" 2>"$T/err" || fail "user add $u: $(cat "$T/err")"
done
run_ok "open 2026-11" cycle open 2026-11
run_ok "open 2026-12" cycle open 2026-12

serve_start
web_py 300 "$T/web.out" "$root/tests/web/survey_test.py" "$url" "$MERIT_DB"
serve_stop

# the CLI sees the survey's score as a batch and counts it like any other
run_ok "batches" batches
contains "the survey's batch says how it was measured" "$T/out" \
	'survey #1 .awareness of 云杉茶, 2026-11.: 3 respondents, mean 3\.44 of 1-5'
run_ok "score 2026-11" score 2026-11 --who boss --json
expect "the CLI counts the survey's score (61.1) as brand_awareness's actual" "$(python3 -c '
import json, sys
p = json.load(sys.stdin)["people"][0]
i = [x for x in p["indicators"] if x["key"] == "brand_awareness"][0]
print(i["actual"])' <"$T/out")" "61.1"
expect "every survey change audited (2 made, 4 answers, 2 closed)" \
	"$(sqlite3 "$MERIT_DB" "select count(*) from audit where action like 'survey %'")" "8"
expect "no respondent id in the audit log" \
	"$(sqlite3 "$MERIT_DB" "select count(*) from audit where action like 'survey %' and after like '%respondent%'")" "0"

finish

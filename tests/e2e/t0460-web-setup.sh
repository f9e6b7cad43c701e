# Setting up from the browser (issue 13, item 1): staff, ownership rules
# with what the imports could not attribute, and invitations, through
# tests/web/setup_test.py over a real socket; the CLI's `merit own rm` and
# its sharing of the same checks here.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }

run_ok "init" init --goal sales
run_ok "staff boss" staff add boss --name "Boss Wang" --position manager
run_ok "staff mgr" staff add mgr --name "王芳" --position manager --manager boss
run_ok "staff ed" staff add ed --name "Ed Itor" --position editor --manager mgr
for u in "boss admin" "mgr manager" "ed member"; do
	set -- $u
	printf 'pw-%s-secret\n' "$1" | "$MERIT" user add "$1" --role "$2" >"$T/out" 2>"$T/err" ||
		fail "user add $1: $(cat "$T/err")"
done
run_ok "open 2026-11" cycle open 2026-11

# ---- the CLI: own rm, and the checks the web shares ----
run_ok "own author" own author "Ed Itor" --who ed
run_ok "own keyword" own keyword "spare" --who ed
run_ok "own rm" own rm keyword spare
contains "own rm says so" "$T/out" 'keyword "spare" belongs to nobody now'
expect "the rule is gone" "$(sqlite3 "$MERIT_DB" "select count(*) from ownership where value = 'spare'")" 0
expect "own rm audited" "$(sqlite3 "$MERIT_DB" "select who || ' ' || before from audit where action = 'own rm'")" "tester ed"
run_fail "own rm of no rule" 1 'no rule gives keyword "spare" an owner' own rm keyword spare
run_fail "own rm with --who" 2 'rm takes no --who' own rm keyword spare --who ed
run_fail "own of a kind that is none" 2 '"chan" is not a kind of rule' own chan x --who ed
run_fail "staff: --to before --from" 2 '--to is before --from' \
	staff add zed --name Zed --position editor --from 2026-02-01 --to 2026-01-01
run_fail "staff: unknown position" 1 '--position "nope": the plan has no such position; it has: manager' \
	staff add zed --name Zed --position nope

# ---- an import names an author no rule owns: kept with its batch ----
cat > content.csv <<'CSV'
date,url,author,type,views,shares
2026-11-01,https://site.example/blog/a,Ed Itor,article,200,10
2026-11-03,https://site.example/news/c,Guest,article,50,50
2026-11-04,https://site.example/news/d,Guest,article,,
CSV
run_ok "import content" import content content.csv
expect "the batch keeps what it could not attribute" \
	"$(sqlite3 "$MERIT_DB" "select unattributed from batch where file like '%content.csv'")" \
	'[{"kind":"author","value":"Guest","rows":2}]'

serve_start
web_py 300 "$T/web.out" "$root/tests/web/setup_test.py" "$url" "$MERIT_DB" "$MERIT"
serve_stop 'merit serve: Error processing request \(HTTP response code is 4'

finish

# The plan editor that is a form (issue 13, item 2): tests/web/plan_test.py
# over a real socket — POST /api/plan/check answers each problem of a
# draft at its field, with the words `merit plan import` says;
# POST /api/plan/whatif gives `merit score PERIOD --plan`'s numbers; PUT
# /api/plan saves the form's JSON draft, audited; a member or a manager
# gets 403.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }

run_ok "init" init --goal sales
run_ok "staff boss" staff add boss --name "Boss Wang" --reviewer
run_ok "staff mgr" staff add mgr --name "王芳" --position promoter --manager boss
run_ok "staff ann" staff add ann --name "Ann Li" --position promoter --manager mgr
run_ok "staff bob" staff add bob --name "Bob Sun" --position promoter --manager mgr
for u in "boss admin" "mgr manager" "ann member"; do
	set -- $u
	printf 'pw-%s-secret\n' "$1" | "$MERIT" user add "$1" --role "$2" >"$T/out" 2>"$T/err"
	if [ $? -eq 0 ]; then ok; else fail "user add $1: $(cat "$T/err")"; fi
done
run_ok "open 2026-11" cycle open 2026-11
run_ok "ann's posts" record promo_posts 40 --who ann --date 2026-11-03
run_ok "ann's customers" record online_customers 50 --who ann --date 2026-11-03
run_ok "bob's posts" record promo_posts 20 --who bob --date 2026-11-03
run_ok "bob's customers" record online_customers 30 --who bob --date 2026-11-03

serve_start
web_py 300 "$T/web.out" "$root/tests/web/plan_test.py" "$url" "$MERIT_DB" "$MERIT"
serve_stop

finish

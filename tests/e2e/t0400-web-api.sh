# The JSON API over a real socket: merit serve on 127.0.0.1:0 and
# tests/web/api_test.py (Python 3, standard library) against it: every
# route for every role, what each user may see, sessions, CSRF, login
# throttling, size limits, headers, clean errors, the admin's changes,
# ratings scored by the same engine as `merit score`, downloads, and
# concurrent writes.  The server must say nothing alarming (a sanitizer
# report, an internal error) on stderr.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }
R=${SHARED:-}/data/real
[ -d "$R" ] || R=$root/../shared/data/real
MERIT_REAL=$R; export MERIT_REAL

run_ok "init" init --goal sales
run_ok "staff boss" staff add boss --name "Boss Wang" --position manager
run_ok "staff mgr" staff add mgr --name "王芳" --position manager --manager boss
run_ok "staff member1" staff add member1 --name "李娜" --position promoter --manager mgr
run_ok "staff member2" staff add member2 --name "Sun Hao" --position promoter --manager mgr
run_ok "staff deep" staff add deep --name "Deep Li" --position promoter --manager member1
run_ok "staff other" staff add other --name "赵敏" --position editor --manager boss
for u in "boss admin" "mgr manager" "member1 member" "member2 member" "deep member" \
         "other member" "nostaff member" "spareuser member"; do
	set -- $u
	printf 'pw-%s-secret\n' "$1" | "$MERIT" user add "$1" --role "$2" >"$T/out" 2>"$T/err"
	if [ $? -eq 0 ]; then ok; else fail "user add $1: $(cat "$T/err")"; fi
done
# a closed cycle before, whose results the tests acknowledge
run_ok "open 2026-08" cycle open 2026-08
run_ok "review 2026-08" cycle review 2026-08
run_ok "close 2026-08" cycle close 2026-08 --force
run_ok "open" cycle open 2026-11
# released, so members see their own results here (tests/web/ux_test.py
# tests them withheld before release)
run_ok "release 2026-08" cycle release 2026-08
run_ok "release 2026-11" cycle release 2026-11
# member1 has data for half their KPI weight (scored), member2 for a quarter (not)
printf 'date,indicator,login,value,denominator\n2026-11-05,promo_posts,member1,30,\n2026-11-05,promo_posts,member2,20,\n2026-11-06,online_sales,,250000,\n2026-11-07,site_visits,member1,5000,\n' > team.csv
printf 'date,indicator,login,value,denominator\n2026-11-07,content_updates,other,50,\n2026-11-07,share_rate,other,3,60\n' > other.csv
printf 'date,indicator,login,value,denominator\n2026-11-08,promo_posts,deep,12,\n' > spare.csv
printf 'date,indicator,login,value,denominator\n2026-11-09,promo_posts,deep,13,\n' > spare2.csv
for f in team other spare spare2; do run_ok "import $f" import measurements $f.csv; done
# notice channels for the /api/notify routes (nothing listens on port 9)
run_ok "a channel to remove" notify add wecom 'http://127.0.0.1:9/cgi-bin/webhook/send?key=spare'
run_ok "a channel to test" notify add feishu http://127.0.0.1:9/open-apis/bot/v2/hook/test

serve_start

web_py 1200 "$T/api.out" "$root/tests/web/api_test.py" "$url" "$MERIT_DB" "$MERIT"
[ -n "${MERIT_API_LOG:-}" ] && cp "$T/api.out" "$MERIT_API_LOG"

# stop the server; it must stop cleanly and have said nothing alarming
serve_stop 'merit serve: failed login for |merit serve: Error processing request \(HTTP response code is 4|merit serve: Not enough memory in pool to allocate header record!$'

finish

# Evidence from the team and the to-do list (issue 13, items 3 and 4),
# through the web by tests/web/evidence_test.py over a real socket:
# staff boss (admin) -> mgr (manager) -> p1, p2 (promoters, members);
# a post of p1's imported from posts.csv; cycle 2026-08 closed (results to
# acknowledge), 2026-11 open; a saved source "weekly-posts" whose kind's
# last batch the test ages to make it stale.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }

run_ok "init" init --goal brand
run_ok "staff boss" staff add boss --name "Boss Wang" --position manager
run_ok "staff mgr" staff add mgr --name "王芳" --position manager --manager boss
run_ok "staff p1" staff add p1 --name "李娜" --position promoter --manager mgr
run_ok "staff p2" staff add p2 --name "Sun Hao" --position promoter --manager mgr
for u in boss:admin mgr:manager p1:member p2:member; do
	printf 'pw-%s-secret\n' "${u%%:*}" | "$MERIT" user add "${u%%:*}" --role "${u#*:}" \
		>"$T/out" 2>"$T/err" || fail "user add $u: $(cat "$T/err")"
done
run_ok "open 2026-08" cycle open 2026-08
run_ok "review 2026-08" cycle review 2026-08
run_ok "close 2026-08" cycle close 2026-08 --force
run_ok "release 2026-08" cycle release 2026-08
run_ok "open 2026-11" cycle open 2026-11
printf 'date,login,platform,url\n2026-11-02,p1,weibo,https://weibo.example/p/1\n' >"$T/posts.csv"
run_ok "import a post of p1's" import posts "$T/posts.csv"
run_ok "a saved source" source add weekly-posts --kind posts

serve_start
web_py 300 "$T/web.out" "$root/tests/web/evidence_test.py" "$url" "$MERIT_DB"
serve_stop

# the CLI sees the approved evidence as a batch like any other
run_ok "batches" batches
contains "the evidence batch names who handed it in and who approved it" "$T/out" \
	'^ +[0-9]+  evidence .* #1: post by p1, approved by mgr$'
run_ok "score p1" score 2026-11 --who p1 --json
expect "the CLI counts the approved post (2 posts of 40: score 5)" "$(python3 -c '
import json, sys
p = json.load(sys.stdin)["people"][0]
i = [x for x in p["indicators"] if x["key"] == "promo_posts"][0]
print(i["actual"], i["score"])' <"$T/out")" "2.0 5.0"
expect "every submission and decision audited" \
	"$(sqlite3 "$MERIT_DB" "select count(*) from audit where action like 'evidence %'")" \
	"$(sqlite3 "$MERIT_DB" "select count(*) + sum(state <> 'pending') from evidence")"

finish

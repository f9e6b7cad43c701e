# Logins under attack (issue 12, findings 2, 3, 5, 6): `merit user
# disable|enable` on the command line, then tests/web/auth_test.py (Python
# 3, standard library) against servers it starts on copies of this
# database: no account lockout, a throttle that invented names cannot fill
# and that outlives a restart, no password-change oracle, disabled users
# and staff who left kept out with their sessions ended; and the review's
# findings (login2): a flood of logins holds up no change and no other
# address's login, a 429 comes at the same try for a login that exists
# and one that does not, two servers lose no count, a failure that cannot
# be counted is 503, the log escapes what a client typed.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }

run_ok "init" init --goal sales
run_ok "staff owner" staff add owner --name "Owner Zhang" --reviewer
run_ok "staff member1" staff add member1 --name "李娜" --position promoter
run_ok "staff member2" staff add member2 --name "Sun Hao" --position promoter
run_ok "staff leaver" staff add leaver --name "Left Early" --position promoter --to 2020-01-31
run_ok "staff future" staff add future --name "Leaves Later" --position promoter --to 2099-12-31
for u in "owner admin" "member1 member" "member2 member" "leaver member" "future member"; do
	set -- $u
	printf 'pw-%s-secret\n' "$1" | "$MERIT" user add "$1" --role "$2" >"$T/out" 2>"$T/err"
	if [ $? -eq 0 ]; then ok; else fail "user add $1: $(cat "$T/err")"; fi
done

# ---- merit user disable / enable ----
run_ok "user --help" user --help
contains "--help tells disable and enable" "$T/out" "merit user disable LOGIN"
contains "--help tells enable" "$T/out" "merit user enable LOGIN"
run_ok "user disable member2" user disable member2
contains "disable says so" "$T/out" "^merit: user member2 disabled"
expect "member2 is disabled in the database" \
	"$(sqlite3 "$MERIT_DB" "SELECT disabled FROM user WHERE login = 'member2'")" "1"
expect "disabling is audited" \
	"$(sqlite3 "$MERIT_DB" "SELECT who || ' ' || action || ' ' || object || ' ' || after FROM audit ORDER BY id DESC LIMIT 1")" \
	'tester user disable member2 {"disabled":true}'
run_ok "user disable member2 again: nothing to do, no error" user disable member2
run_ok "user enable member2" user enable member2
contains "enable says so" "$T/out" "^merit: user member2 enabled"
expect "member2 is enabled" \
	"$(sqlite3 "$MERIT_DB" "SELECT disabled FROM user WHERE login = 'member2'")" "0"
expect "enabling is audited" \
	"$(sqlite3 "$MERIT_DB" "SELECT action || ' ' || object FROM audit ORDER BY id DESC LIMIT 1")" \
	"user enable member2"
run_fail "user disable nobody" 1 'no user "nobody"' user disable nobody
run_fail "user disable without a login" 2 "disable LOGIN" user disable
run_fail "user disable with --role" 2 "disable takes no --role" user disable member1 --role admin
run_fail "user frobnicate" 2 "say add LOGIN" user frobnicate member1

# ---- the web ----
web_py 400 "$T/auth.out" "$root/tests/web/auth_test.py" "$MERIT_DB" "$MERIT"
[ -n "${MERIT_AUTH_LOG:-}" ] && cp "$T/auth.out" "$MERIT_AUTH_LOG"

finish

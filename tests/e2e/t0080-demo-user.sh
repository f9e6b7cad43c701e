# merit demo end to end, deterministic; merit user add.
. "$(dirname "$0")/lib.sh"

run_ok "demo" demo --dir d1
cp "$T/out" demo1.txt
contains "ranking" demo1.txt "^ +1 .* (S|A|B) +[0-9]+\.[0-9]{2}"
contains "eight people" demo1.txt "^ +8 "
contains "closed cycle" demo1.txt "cycle 2026-10 is closed"
contains "joined mid-cycle" demo1.txt "active 17 of 31 days"
contains "chinese names" demo1.txt "王芳"
contains "where files are" demo1.txt "Files in d1/"
contains "quota marked" demo1.txt "^ +3 .* B\* +4000.00"
contains "quota explained" demo1.txt "held down by the plan.s forced distribution"
[ -f d1/merit.db ] && [ -f d1/plan.yaml ] && [ -f d1/measurements-2026-09.csv ] && ok || fail "demo files missing"
run_ok "demo again" demo --dir d2
sed 's/d2/d1/g' "$T/out" > demo2.txt
if cmp -s demo1.txt demo2.txt; then ok; else fail "demo output differs between runs"; fi
run_ok "demo db usable" --db d1/merit.db score 2026-10 --who sun
contains "scorecard traced" "$T/out" "from batch [0-9]+, measurements d1/measurements-2026-10.csv lines"
run_ok "demo cycles" --db d1/merit.db cycle list
contains "one closed" "$T/out" "2026-10 .*closed"
contains "one in review" "$T/out" "2026-09 .*review"

# the demo never replaces a database it did not make
mkdir mine
"$MERIT" --db mine/merit.db init --goal brand >/dev/null
before_mine=$(sqlite3 mine/merit.db .dump)
m demo --dir mine
expect "demo refuses a real database" "$rc" "1"
contains "says why" "$T/err" "mine/merit.db exists and is not a demo's"
expect "real database untouched" "$(sqlite3 mine/merit.db .dump)" "$before_mine"
run_ok "demo over its own" demo --dir d1

run_fail "empty --db=" 2 '--db needs a FILE' --db= init --goal brand
run_ok "init" init --goal brand
printf 'correct horse battery\n' | "$MERIT" user add boss --role admin >"$T/out" 2>"$T/err"
expect "user add" "$?" "0"
hash=$(sqlite3 "$MERIT_DB" "select pw_hash from user where login='boss'")
case "$hash" in '$argon2id$'*) ok ;; *) fail "not an Argon2id hash: $hash" ;; esac
expect "password not stored" "$(sqlite3 "$MERIT_DB" "select count(*) from user where pw_hash like '%horse%'")" "0"
expect "audited without password" "$(sqlite3 "$MERIT_DB" "select count(*) from audit where after like '%horse%'")" "0"
printf 'short\n' | "$MERIT" user add b2 --role admin >/dev/null 2>"$T/err"
expect "short password refused" "$?" "1"
contains "says why" "$T/err" "at least 8 characters"
run_fail "bad role" 2 'role must be admin, manager or member' user add b3 --role king
printf 'another password\n' | "$MERIT" user add boss --role member >/dev/null 2>"$T/err"
expect "user add twice refused" "$?" "1"
contains "says exists" "$T/err" 'user "boss" exists already'
printf 'pass word 123\n' | "$MERIT" user add "a b" --role admin >/dev/null 2>"$T/err"
expect "bad user login" "$?" "2"
printf 'new password 1\n' | "$MERIT" user passwd boss --role manager >/dev/null 2>"$T/err"
expect "passwd" "$?" "0"
expect "role changed" "$(sqlite3 "$MERIT_DB" "select role from user where login='boss'")" "manager"
case "$(sqlite3 "$MERIT_DB" "select pw_hash from user where login='boss'")" in
"$hash") fail "password hash unchanged" ;; '$argon2id$'*) ok ;; *) fail "bad hash" ;; esac
expect "passwd audited with before" "$(sqlite3 "$MERIT_DB" "select before || ' ' || after from audit where action='user set'")" '{"role":"admin"} {"role":"manager","password":"(set)"}'
printf 'long enough pw\n' | "$MERIT" user passwd ghost >/dev/null 2>"$T/err"
expect "passwd unknown" "$?" "1"
contains "says no user" "$T/err" "no user \"ghost\""

finish

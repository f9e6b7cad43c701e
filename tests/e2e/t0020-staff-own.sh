# staff add/set/list and ownership rules, with bad input.
. "$(dirname "$0")/lib.sh"

run_fail "no plan yet" 1 'merit init' staff add a --name A --position editor
run_ok "init" init --goal brand
run_ok "add manager" staff add wang --name "王芳" --position manager
run_ok "add editor" staff add zhao --name "赵磊" --position editor --manager wang --from 2026-11-10 --base-bonus 4200.50
run_fail "unknown position" 1 'no such position.*editor' staff add x --name X --position boss
run_fail "duplicate" 1 'exists already' staff add zhao --name Z --position editor
run_fail "unknown manager" 1 'manager.*no staff member with login "nobody"' staff add y --name Y --position editor --manager nobody
run_fail "bad date" 2 '--from "2026-13-01" is not a date' staff add y --name Y --position editor --from 2026-13-01
run_fail "to before from" 2 'before --from' staff add y --name Y --position editor --from 2026-11-10 --to 2026-11-01
run_fail "bad amount" 2 'base-bonus "12,5O"' staff add y --name Y --position editor --base-bonus 12,5O
run_fail "bonus too large" 2 'from 0 to 10000000000.00' staff add y --name Y --position editor --base-bonus 90000000000000000.00
run_fail "repeated flag" 2 '--name given twice' staff add y --name Y --name Z --position editor
run_fail "missing name" 2 'needs --name and --position' staff add y --position editor
run_fail "own manager" 1 'own manager' staff set wang --manager wang
run_fail "managers going round" 1 'zhao cannot manage wang: the managers go round \(wang → zhao → wang\)' staff set wang --manager zhao
run_fail "set unknown" 1 'no staff member with login "ghost"' staff set ghost --name G

run_ok "list" staff list
contains "chinese name listed" "$T/out" "赵磊"
contains "bonus listed" "$T/out" "4200.50"
run_ok "list json" staff list --json
contains "json from" "$T/out" '"from": "2026-11-10"'
contains "json bonus cents" "$T/out" '"base_bonus_cents": 420050'

run_ok "set to" staff set zhao --to 2026-12-31 --position promoter
run_ok "list json" staff list --json
contains "position changed" "$T/out" '"position": "promoter"'
contains "to set" "$T/out" '"to": "2026-12-31"'
contains "from kept" "$T/out" '"from": "2026-11-10"'

run_ok "own channel" own channel wechat --who zhao
run_ok "own url" own url /blog/ --who zhao
run_ok "own again replaces" own channel wechat --who wang
run_fail "own unknown login" 1 'no staff member with login "nobody"' own keyword shoes --who nobody
run_fail "own bad kind" 2 'not a kind of rule' own color red --who zhao
run_fail "own without who" 2 'who LOGIN is required' own site shop.example.com
run_ok "own list" own list
contains "rule listed" "$T/out" "channel +wechat +wang"
# one value however it is written (ASCII case, spaces around it: as the
# rules match): a rule for it again replaces the rule, not adds one
run_ok "own tracker" own tracker xyz --who zhao
run_ok "the same in capitals, spaced" own tracker " XYZ " --who wang
expect "one rule, the last owner" "$(sqlite3 "$MERIT_DB" "select value || '|' || login from ownership where kind = 'tracker'")" "XYZ|wang"
run_ok "own rm, written otherwise" own rm tracker "xyz "
expect "gone" "$(sqlite3 "$MERIT_DB" "select count(*) from ownership where kind = 'tracker'")" 0
# ... as each kind compares: a url's path keeps its case (two rules), a
# referrer is its host without www. (one rule)
run_ok "own url /Blog" own url /Blog --who zhao
run_ok "own url /blog: another path" own url /blog --who wang
expect "two url rules" "$(sqlite3 "$MERIT_DB" "select count(*) from ownership where kind = 'url' and lower(value) = '/blog'")" 2
run_ok "own referrer www.x.com" own referrer www.x.com --who zhao
run_ok "own referrer https://x.com/: the same host" own referrer https://x.com/ --who wang
expect "one referrer rule" "$(sqlite3 "$MERIT_DB" "select value || '|' || login from ownership where kind = 'referrer'")" "https://x.com/|wang"
run_fail "a value of spaces" 2 'the channel is empty' own channel "  " --who wang

# every change is in the append-only audit log
n=$(sqlite3 "$MERIT_DB" "select count(*) from audit")
[ "$n" -ge 7 ] && ok || fail "audit has $n records"
expect "audit who" "$(sqlite3 "$MERIT_DB" "select distinct who from audit where action like 'staff%'")" "tester"
if sqlite3 "$MERIT_DB" "delete from audit" 2>/dev/null; then fail "audit rows could be deleted"; else ok; fi
if sqlite3 "$MERIT_DB" "update audit set who='x'" 2>/dev/null; then fail "audit rows could be changed"; else ok; fi
expect "staff set audited with before" "$(sqlite3 "$MERIT_DB" "select json_extract(before,'$.position') || '>' || json_extract(after,'$.position') from audit where action='staff set'")" "editor>promoter"

# names reach the web app and reports as JSON and XML: UTF-8 only
bad=$(printf 'Li \351')
run_fail "name not UTF-8" 1 'the name is not UTF-8 text' staff add badname --name "$bad" --position editor
run_fail "changed name not UTF-8" 1 'the name is not UTF-8 text' staff set wang --name "$bad"
long=$(printf '%0201d' 0)
run_fail "name too long" 1 'the name is 201 bytes long; at most 200' staff add longname --name "$long" --position editor
finish

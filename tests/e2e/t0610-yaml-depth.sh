#!/bin/sh
# Nesting in plan and map YAML is capped at 64 levels, checked before the
# tree is built (libyaml's cost grows with the square of the depth: a plan
# of 100,000 nested lists held a web thread for a minute).  The message
# names the file, line and column of the first level too deep, on the
# command line, for a map file and for the web's plan upload.
. "$(dirname "$0")/lib.sh"

# deep N PREFIX — PREFIX then N nested flow lists on one line
deep() { python3 -c "import sys; n=int(sys.argv[1]); print(sys.argv[2] + '['*n + ']'*n)" "$1" "$2"; }

run_ok "init" init --goal brand
deep 100000 'goal: ' >deep.yaml
run_fail "plan 100k levels" 1 '^merit: deep\.yaml:1:70: nested deeper than 64 levels$' plan import deep.yaml
# the root mapping is level 1: 63 lists inside it are allowed (the plan is
# then refused for what it says, not for its depth)
deep 63 'goal: ' >ok63.yaml
run_fail "63 lists read" 1 'ok63\.yaml:1:7: goal must be a word' plan import ok63.yaml
if grep -q 'nested deeper' "$T/err"; then fail "63 lists: $(cat "$T/err")"; else ok; fi
deep 64 'goal: ' >no64.yaml
run_fail "64 lists refused" 1 'no64\.yaml:1:70: nested deeper than 64 levels' plan import no64.yaml
# block nesting counts the same
python3 -c "print('goal:\n' + ''.join('  ' * i + 'k%d:\n' % i for i in range(1, 80)) + '  ' * 80 + 'x')" >block.yaml
run_fail "block mappings" 1 'block\.yaml:65:[0-9]+: nested deeper than 64 levels' plan import block.yaml
# a syntax error inside shallow YAML is still told as before
printf 'goal: [brand\n' >bad.yaml
run_fail "syntax error" 1 'bad\.yaml:.*YAML syntax' plan import bad.yaml

# a map file (--map-file) is read by the same reader
printf 'date,indicator,login,value\n2026-11-05,promo_posts,li,3\n' >m.csv
deep 100000 'columns: ' >map.yaml
run_fail "map 100k levels" 1 'map\.yaml:1:[0-9]+: nested deeper than 64 levels' import measurements m.csv --map-file map.yaml

# the web's plan upload: refused with the message (the body is 200 KB)
run_ok "staff" staff add boss --name Boss --position manager
printf 'pw-boss-secret\n' | "$MERIT" user add boss --role admin >/dev/null 2>&1
"$MERIT" serve --listen 127.0.0.1:0 2>"$T/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT
serve_wait "$T/serve.log" "$pid"
curl -s -c "$T/jar" -o "$T/login" -H 'Content-Type: application/json' \
	-d '{"login":"boss","password":"pw-boss-secret"}' "${url}api/login" --max-time 10
csrf=$(sed -n 's/.*"csrf": *"\([^"]*\)".*/\1/p' "$T/login")
[ -n "$csrf" ] && ok || fail "login: $(cat "$T/login")"
code=$(curl -s -b "$T/jar" -o "$T/put" -w '%{http_code}' -X PUT -H "X-CSRF-Token: $csrf" \
	-H 'Content-Type: application/yaml' --data-binary @deep.yaml "${url}api/plan?file=deep.yaml" --max-time 30)
expect "web plan upload refused" "$code" 422
contains "web message" "$T/put" 'deep\.yaml:1:70: nested deeper than 64 levels'
kill -TERM "$pid"; wait "$pid"
finish

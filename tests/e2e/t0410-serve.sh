#!/bin/sh
# merit serve: its flags, TLS (Secure cookies, HSTS), the UI's files with
# their security headers, and a clean stop on SIGTERM.
. "$(dirname "$0")/lib.sh"

run_ok "init" init --goal sales
run_ok "staff" staff add li --name 李娜 --position editor
printf 'secret123\n' | "$MERIT" user add li --role member >/dev/null 2>&1

run_fail "bad listen" 1 'ADDR:PORT' serve --listen nowhere
run_fail "bad host" 1 'not an IP address' serve --listen example.com:80
run_fail "bad port" 1 'port is 0 to 65535' serve --listen 127.0.0.1:70000
run_fail "cert without key" 2 'both --tls-cert and --tls-key' serve --tls-cert x.pem
run_fail "bad idle" 2 'session-idle' serve --session-idle 0
run_fail "bad upload" 2 'max-upload' serve --max-upload lots
run_fail "extra argument" 2 'unexpected argument' serve now
run_fail "missing cert file" 1 'nope.pem' serve --listen 127.0.0.1:0 --tls-cert nope.pem --tls-key nope.pem
m serve --help
contains "help" "$T/out" 'usage: merit serve'

# start SERVER-ARGS... — run merit serve in the background; sets $url, $pid
start() {
	: >"$T/serve.log"        # not the last server's line
	"$MERIT" serve --listen 127.0.0.1:0 "$@" 2>"$T/serve.log" &
	pid=$!
	serve_wait "$T/serve.log" "$pid"
}
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT

start
curl -s -D "$T/h" -o "$T/index" "$url" --max-time 5
contains "index served" "$T/h" '^HTTP/1.1 200'
contains "index is html" "$T/h" 'Content-Type: text/html; charset=utf-8'
contains "csp" "$T/h" "Content-Security-Policy: default-src 'self'; script-src 'self'"
contains "nosniff" "$T/h" 'X-Content-Type-Options: nosniff'
contains "frame deny" "$T/h" 'X-Frame-Options: DENY'
contains "index loads the app" "$T/index" '<script [^>]*src="/app.js"'
if grep -q 'Strict-Transport-Security' "$T/h"; then fail "HSTS over plain HTTP"; else ok; fi
for f in app.js app.css i18n.js charts.js; do
	code=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$url$f" --max-time 5)
	case "$code" in "200 text/"*) ok ;; *) fail "$f: $code" ;; esac
done
code=$(curl -s -o "$T/b" -w '%{http_code}' "${url}nope.js" --max-time 5)
expect "unknown file" "$code" 404
code=$(curl -s -o "$T/b" -w '%{http_code}' "${url}../merit.db" --path-as-is --max-time 5)
case "$code" in 400|404) ok ;; *) fail "path traversal answered $code" ;; esac
code=$(curl -s -o "$T/b" -w '%{http_code}' -X POST "$url" --max-time 5)
expect "POST to a page" "$code" 405
code=$(curl -s -o "$T/b" -w '%{http_code}' "${url}api/me" --max-time 5)
expect "api without session" "$code" 401
contains "401 is json" "$T/b" '^\{"error":"log in first'
# the health check: no session, the version and the schema, nothing more
code=$(curl -s -o "$T/b" -w '%{http_code} %{content_type}' "${url}healthz" --max-time 5)
expect "healthz answers without a session" "$code" "200 application/json"
expect "healthz: ok, merit's version, the schema" "$(cat "$T/b")" \
	"{\"ok\":true,\"version\":\"$("$MERIT" --version | cut -d' ' -f2)\",\"schema\":$(sqlite3 "$MERIT_DB" 'PRAGMA user_version')}"
expect "healthz HEAD" "$(curl -s -o /dev/null -w '%{http_code}' -I "${url}healthz" --max-time 5)" 200
expect "healthz POST" "$(curl -s -o /dev/null -w '%{http_code}' -X POST "${url}healthz" --max-time 5)" 405
kill -TERM "$pid"; wait "$pid"; st=$?
expect "SIGTERM stops cleanly" "$st" 0
contains "stopped" "$T/serve.log" 'merit: stopped'

# the access log: a line an answer in the combined format, read by
# merit ingest and goaccess alike; no invitation's token in it
start --access-log "$T/access.log"
curl -s -o /dev/null "$url" --max-time 5
curl -s -o /dev/null -A 'Mozilla/5.0 "quoted" 中文' -e 'https://ref.example/a?b=1' "${url}app.js" --max-time 5
curl -s -o /dev/null "${url}invite/SECRETTOKEN123" --max-time 5
curl -s -o /dev/null "${url}api/me?token=SECRETQUERY" --max-time 5
curl -s -o /dev/null -I "${url}healthz" --max-time 5
curl -s -o /dev/null "${url}nope.js" --max-time 5
kill -TERM "$pid"; wait "$pid"
expect "six answers, six lines" "$(wc -l < "$T/access.log" | tr -d ' ')" 6
n=$(grep -cE '^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0000\] "(GET|HEAD) /[^ "]* HTTP/1\.1" [0-9]{3} [0-9]+ "[^"]*" "[^"]*"$' "$T/access.log")
expect "every line in the combined format" "$n" 6
contains "status and bytes of the page" "$T/access.log" '"GET / HTTP/1.1" 200 [1-9][0-9]* "-" "curl/'
contains "referrer kept, quotes and UTF-8 escaped" "$T/access.log" '"GET /app.js HTTP/1.1" 200 [0-9]+ "https://ref.example/a\?b=1" "Mozilla/5.0 \\x22quoted\\x22 \\xE4\\xB8\\xAD\\xE6\\x96\\x87"$'
contains "the 401 and the 404" "$T/access.log" '"GET /api/me HTTP/1.1" 401 '
contains "HEAD: no body counted" "$T/access.log" '"HEAD /healthz HTTP/1.1" 200 0 '
contains "an invitation's token is not written" "$T/access.log" '"GET /invite/- HTTP/1.1"'
if grep -q 'SECRET' "$T/access.log"; then fail "a token reached the access log: $(grep SECRET "$T/access.log")"; else ok; fi
"$MERIT" --db "$T/log.db" init --goal brand >/dev/null 2>&1
"$MERIT" --db "$T/log.db" ingest "$T/access.log" >"$T/ing.out" 2>&1
contains "merit ingest reads it: six lines, none failed" "$T/ing.out" ': 6 lines, 0 failed, .*format combined'
if command -v goaccess >/dev/null 2>&1; then
	goaccess "$T/access.log" --log-format=COMBINED --no-global-config -o "$T/ga.json" >/dev/null 2>&1
	expect "goaccess reads it: six requests, none failed" \
		"$(python3 -c 'import json, sys; g = json.load(open(sys.argv[1]))["general"]; print(g["total_requests"], g["failed_requests"])' "$T/ga.json")" "6 0"
else
	fail "goaccess is not installed (scripts/install-deps.sh check installs it)"
fi
run_fail "an access log that cannot be opened" 1 "--access-log $T/no/such/dir/a.log: No such file or directory" serve --listen 127.0.0.1:0 --access-log "$T/no/such/dir/a.log"

# behind a proxy (--trust-proxy): a request from loopback is the client
# X-Forwarded-For names last — the throttle counts that client, the access
# log names it; without the flag the header is nothing
login() { # LOGIN PASSWORD [X-Forwarded-For] -> the status
	curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		${3:+-H "X-Forwarded-For: $3"} -d "{\"login\":\"$1\",\"password\":\"$2\"}" \
		"${url}api/login" --max-time 30
}
pdb=$(db_clone p.db)
MERIT_DB=$pdb start --trust-proxy --login-failures 2 --access-log "$T/proxy.log"
expect "a wrong password from client A" "$(login li wrong1 '198.51.100.1, 203.0.113.5')" 401
expect "and again" "$(login li wrong2 '203.0.113.5')" 401
expect "client A now waits" "$(login li secret123 '203.0.113.5')" 429
expect "client B, behind the same proxy, does not" "$(login li secret123 '203.0.113.6')" 200
expect "what a client claims before the proxy's entry is not the client" \
	"$(login li secret123 '203.0.113.6, 203.0.113.5')" 429
expect "an IPv6 client" "$(login li secret123 '2001:db8::7')" 200
expect "a last entry that is no address: 400" "$(login li secret123 '203.0.113.6, unknown')" 400
kill -TERM "$pid"; wait "$pid"
contains "the access log names the client, not the proxy" "$T/proxy.log" '^203\.0\.113\.6 - - \[.*"POST /api/login HTTP/1.1" 200 '
contains "... the IPv6 client too" "$T/proxy.log" '^2001:db8::7 - - '
# but the refused one, whose client is not known
expect "only the refused request is the proxy's" "$(grep '^127\.0\.0\.1 ' "$T/proxy.log" | sed 's/.*\] //')" '"POST /api/login HTTP/1.1" 400 78 "-" "curl/'"$(curl --version | sed -n '1s/^curl \([^ ]*\).*/\1/p')"'"'
p2db=$(db_clone p2.db)
MERIT_DB=$p2db start --login-failures 2
login li wrong1 203.0.113.5 >/dev/null
login li wrong2 203.0.113.5 >/dev/null
expect "without --trust-proxy the header is nothing: one address, held" \
	"$(login li secret123 '203.0.113.6')" 429
kill -TERM "$pid"; wait "$pid"

# a database that can no longer be read: /healthz says so (503), the
# server goes on (on PostgreSQL: merit's version table gone)
hdb=$(db_clone h.db)
MERIT_DB=$hdb start
expect "healthz before" "$(curl -s -o /dev/null -w '%{http_code}' "${url}healthz" --max-time 5)" 200
if on_pg; then
	psql -X -q -d "$hdb" -c 'ALTER TABLE merit_schema RENAME TO merit_schema_gone'
else
	printf 'this is no longer a database, its header is gone' | dd of="$T/h.db" bs=1 seek=0 conv=notrunc 2>/dev/null
fi
code=$(curl -s -o "$T/b" -w '%{http_code}' "${url}healthz" --max-time 10)
expect "healthz of a damaged database: 503" "$code" 503
contains "503 says the database cannot be read" "$T/b" '^\{"ok":false,"error":"the database cannot be read"\}$'
kill -0 "$pid" 2>/dev/null && ok || fail "the server died"
contains "the server's log says why" "$T/serve.log" '^merit serve: /healthz: '
kill -TERM "$pid"; wait "$pid"

# TLS: a self-signed certificate made here
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
	-subj /CN=127.0.0.1 >/dev/null 2>&1 || fail "openssl could not make a certificate"
start --tls-cert cert.pem --tls-key key.pem
case "$url" in https://127.0.0.1:*) ok ;; *) fail "TLS url: $url" ;; esac
curl -sk -D "$T/h" -o "$T/b" -H 'Content-Type: application/json' \
	-d '{"login":"li","password":"secret123"}' "${url}api/login" --max-time 10
contains "tls login" "$T/h" '^HTTP/1.1 200'
contains "secure cookie" "$T/h" '^Set-Cookie: merit_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=[0-9]+; Secure'
contains "hsts" "$T/h" 'Strict-Transport-Security: max-age='
code=$(curl -s -o /dev/null -w '%{http_code}' "http${url#https}" --max-time 5)
expect "plain http to the TLS port gets no answer" "$code" 000
kill -TERM "$pid"; wait "$pid"
finish

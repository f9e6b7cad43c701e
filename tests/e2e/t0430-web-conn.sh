#!/bin/sh
# merit serve under attack at the connection level (issue 12, findings 1,
# 7 and 10's stop): tests/web/conn_test.py over real loopback sockets —
# 1,100 slow clients while the dashboard answers, the per-address limit
# (on ::1 too, when the machine has it), the deadline for a request's head
# and a login's body, SIGTERM while a change or a session check waits for
# the database, new requests refused in the grace, a second SIGTERM — and
# here the limits' flags and TLS 1.2/1.3 with AEAD ciphers only (openssl
# s_client against a self-signed certificate).
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }
# 1,100 client sockets here and as many in the server
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 4096 ] || ulimit -n 4096 2>/dev/null ||
	ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

run_ok "init" init --goal sales
run_ok "staff" staff add boss --name "Boss Wang" --position manager
printf 'pw-boss-secret\n' | "$MERIT" user add boss --role admin >"$T/out" 2>"$T/err" ||
	fail "user add: $(cat "$T/err")"
run_ok "open" cycle open 2026-11

run_fail "bad max-per-address" 2 'max-per-address' serve --max-per-address 0
run_fail "bad max-connections" 2 'max-connections' serve --max-connections lots
run_fail "bad head-timeout" 2 'head-timeout' serve --head-timeout 0
run_fail "bad request-timeout" 2 'request-timeout' serve --request-timeout 0
run_fail "request-timeout too long" 2 'request-timeout' serve --request-timeout 3601
m serve --help
contains "help names the limits" "$T/out" '--max-per-address'
contains "help names the head deadline" "$T/out" '--head-timeout'
contains "help names the request time limit" "$T/out" '--request-timeout'

# ---- TLS: 1.2 and 1.3 only, AEAD ciphers only ----
if command -v openssl >/dev/null 2>&1; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
		-subj /CN=127.0.0.1 >/dev/null 2>&1 || fail "openssl could not make a certificate"
	"$MERIT" serve --listen 127.0.0.1:0 --tls-cert cert.pem --tls-key key.pem 2>"$T/tls.log" &
	pid=$!
	trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT
	serve_wait "$T/tls.log" "$pid"
	port=${url##*:}
	port=${port%/}
	# s_client DESC WANT(0 connects, 1 refused) ARGS...
	s_client() {
		d=$1; want=$2; shift 2
		echo | timeout 10 openssl s_client -connect "127.0.0.1:$port" "$@" >"$T/tls.out" 2>&1
		got=$?
		if [ "$want" = 0 ]; then
			if [ $got -eq 0 ] && grep -Eq 'Cipher is (TLS_|ECDHE-)[A-Z0-9_-]*(GCM|CHACHA20)' "$T/tls.out"
			then ok; else fail "$d: exit $got: $(grep -E 'Cipher is|Protocol|error' "$T/tls.out" | head -5)"; fi
		else
			if [ $got -ne 0 ] && ! grep -Eq 'Cipher is [A-Z]' "$T/tls.out"; then ok
			else fail "$d connects: $(grep -E 'Cipher is|Protocol' "$T/tls.out" | head -3)"; fi
		fi
	}
	s_client "TLS 1.0 refused" 1 -tls1 -cipher 'DEFAULT@SECLEVEL=0'
	s_client "TLS 1.1 refused" 1 -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'
	s_client "TLS 1.2 connects with an AEAD cipher" 0 -tls1_2
	s_client "TLS 1.3 connects" 0 -tls1_3
	s_client "a CBC cipher over TLS 1.2 refused" 1 -tls1_2 -cipher 'ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA:AES128-SHA@SECLEVEL=0'
	s_client "RSA key exchange (no forward secrecy) refused" 1 -tls1_2 -cipher 'AES128-GCM-SHA256:AES256-GCM-SHA384'
	code=$(curl -sk -o /dev/null -w '%{http_code}' "${url}favicon.svg" --max-time 10)
	expect "HTTPS still serves" "$code" 200
	kill -TERM "$pid"; wait "$pid"; st=$?
	expect "TLS server stops cleanly" "$st" 0
	trap 'rm -rf "$T"' EXIT
else
	fail "openssl is not installed"
fi

# ---- slow clients, per-address limit, head deadline, stop ----
web_py 300 "$T/conn.out" "$root/tests/web/conn_test.py" "$MERIT_DB" "$MERIT"
[ -n "${MERIT_CONN_LOG:-}" ] && cp "$T/conn.out" "$MERIT_CONN_LOG"
finish

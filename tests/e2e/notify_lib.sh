# notify_lib.sh — sourced by the notice tests after lib.sh: the real
# receivers on 127.0.0.1 (tests/web/notify_receivers.py, an SMTP server
# with STARTTLS and a login, the WeCom, DingTalk and Feishu bots), started
# with recv_start; got KIND PATTERN counts what one received.
RECV=$root/tests/web/notify_receivers.py
# the receivers need Debian's python3-aiosmtpd (scripts/install-deps.sh)
NPY=""
for p in ${PY:-} python3 /usr/bin/python3; do
	if "$p" -c 'import aiosmtpd' 2>/dev/null; then NPY=$p; break; fi
done
if [ -z "$NPY" ] || ! command -v openssl >/dev/null 2>&1; then
	fail "python3-aiosmtpd and openssl are needed (scripts/install-deps.sh)"
	finish
	exit 1
fi

rpid=""
sender=""
trap 'kill $rpid $sender 2>/dev/null; [ -n "${spid:-}" ] && kill "$spid" 2>/dev/null; rm -rf "$T"' EXIT

free_port() { "$NPY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HTTP=$(free_port)
SMTP=$(free_port)
LOG=$T/received.jsonl
: >"$LOG"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null || fail "openssl made no certificate"

DING=SEC0123456789abcdef
FEISHU=feishu-secret-42
export MERIT_SMTP_PASSWORD='pässword 1'
recv_start() {
	: >"$T/recv.out"
	"$NPY" "$RECV" "$LOG" "$HTTP" "$SMTP" "$T/cert.pem" "$T/key.pem" "$DING" "$FEISHU" merit \
		"$MERIT_SMTP_PASSWORD" >"$T/recv.out" 2>"$T/recv.err" &
	rpid=$!
	_i=0
	while [ $_i -lt 100 ] && ! grep -q ready "$T/recv.out"; do sleep 0.1; _i=$((_i + 1)); done
	grep -q ready "$T/recv.out" || { fail "the receivers did not start: $(cat "$T/recv.err")"; finish; exit 1; }
}
recv_stop() { kill "$rpid"; wait "$rpid" 2>/dev/null; rpid=""; }
# got KIND PATTERN — how many messages KIND received that passed its checks and match PATTERN
got() { grep "\"kind\": \"$1\"" "$LOG" | grep '"ok": true' | grep -c -- "$2"; }
# sqlite3 waits for the server's writes (a notice being sent) rather than fail
q() { sqlite3 -cmd '.timeout 30000' "$MERIT_DB" "$1"; }

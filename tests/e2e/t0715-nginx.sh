# merit behind nginx, with the configuration the README shows
# (dist/nginx-merit.conf): nginx terminates TLS on a loopback port with a
# certificate made here and passes to merit serve --trust-proxy.  Through
# it: the app and a login; the session cookie is Secure and HSTS is sent
# (X-Forwarded-Proto: https); the login throttle counts the client nginx
# names (two clients, 127.0.0.2 and 127.0.0.3, held apart) and merit's
# access log names them, not nginx.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

for tool in nginx curl openssl; do
	command -v $tool >/dev/null 2>&1 || { fail "$tool is not installed (scripts/install-deps.sh check installs it)"; finish; exit 1; }
done
conf=$root/dist/nginx-merit.conf
# the README shows the file as it is
python3 - "$conf" "$root/README.md" <<'PY' >"$T/readme.out" 2>&1
import sys
conf, readme = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
print("ok" if conf.strip() in readme else "the README does not show dist/nginx-merit.conf as it is")
PY
expect "the README shows the tested configuration" "$(cat "$T/readme.out")" ok

run_ok "init" init --goal sales
printf 'secret-pw-1\n' | "$MERIT" user add li --role admin >/dev/null 2>&1
: >"$T/serve.err"
"$MERIT" --db "$MERIT_DB" serve --listen 127.0.0.1:0 --trust-proxy --login-failures 2 \
	--access-log "$T/access.log" 2>"$T/serve.err" &
spid=$!
ngx=""
trap 'kill $spid $ngx 2>/dev/null; wait $spid $ngx 2>/dev/null; rm -rf "$T"' EXIT
serve_wait "$T/serve.err" "$spid"
mport=$(echo "$url" | sed 's|.*:\([0-9]*\)/$|\1|')
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 \
	-subj /CN=merit.example.com >/dev/null 2>&1 || fail "openssl could not make a certificate"
mkdir -p "$T/nginx/tmp"
chmod 755 "$T"
# the README's server block, its port, certificate and merit's port ours
sed -e "s|listen 443 ssl;|listen 127.0.0.1:$port ssl;|" \
    -e "s|/etc/ssl/certs/merit.example.com.pem|$T/cert.pem|" \
    -e "s|/etc/ssl/private/merit.example.com.key|$T/key.pem|" \
    -e "s|proxy_pass http://127.0.0.1:8080;|proxy_pass http://127.0.0.1:$mport;|" "$conf" >"$T/nginx/merit.conf"
grep -q "listen 127.0.0.1:$port ssl;" "$T/nginx/merit.conf" && grep -q ":$mport;" "$T/nginx/merit.conf" && ok ||
	fail "the README's configuration no longer has the lines this test fills in"
cat >"$T/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $T/nginx/tmp/body;
	proxy_temp_path $T/nginx/tmp/proxy;
	fastcgi_temp_path $T/nginx/tmp/fastcgi;
	uwsgi_temp_path $T/nginx/tmp/uwsgi;
	scgi_temp_path $T/nginx/tmp/scgi;
	include $T/nginx/merit.conf;
}
NGINX
nginx -e "$T/nginx/error.log" -p "$T/nginx" -c "$T/nginx/nginx.conf" >"$T/nginx.out" 2>&1 &
ngx=$!
n=0
base="https://merit.example.com:$port"
res="--resolve merit.example.com:$port:127.0.0.1"
until curl -sk $res -o /dev/null "$base/healthz" || [ $n -ge 100 ]; do sleep 0.1; n=$((n + 1)); done
code=$(curl -sk $res -o "$T/h.json" -w '%{http_code}' "$base/healthz" --max-time 10)
expect "through nginx: /healthz" "$code" 200

login() { # LOGIN PASSWORD CLIENT-ADDRESS -> status; headers in $T/h
	curl -sk $res --interface "$3" -D "$T/h" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"$2\"}" "$base/api/login" --max-time 30
}
expect "a login through nginx" "$(login li secret-pw-1 127.0.0.2)" 200
contains "the session cookie is Secure behind TLS" "$T/h" '^Set-Cookie: merit_session=[A-Za-z0-9_-]+; Path=/; HttpOnly; SameSite=Strict; Max-Age=[0-9]+; Secure'
contains "and HSTS is sent" "$T/h" '^Strict-Transport-Security: max-age='
expect "client 127.0.0.2: a wrong password" "$(login li wrong 127.0.0.2)" 401
expect "and again" "$(login li wrong 127.0.0.2)" 401
expect "client 127.0.0.2 now waits" "$(login li secret-pw-1 127.0.0.2)" 429
expect "client 127.0.0.3, through the same nginx, does not" "$(login li secret-pw-1 127.0.0.3)" 200
# merit itself, not through nginx: plain HTTP, no Secure (no proxy said https)
curl -s -D "$T/h" -o /dev/null -H 'Content-Type: application/json' \
	-d '{"login":"li","password":"secret-pw-1"}' "${url}api/login" --max-time 30
if grep -q '; Secure' "$T/h"; then fail "a plain-HTTP login got a Secure cookie"; else ok; fi
kill $ngx; wait $ngx 2>/dev/null; ngx=""
kill -TERM $spid; wait $spid
expect "merit stops cleanly" "$?" 0
contains "merit's access log names the client nginx passed" "$T/access.log" '^127\.0\.0\.3 - - \[.*"POST /api/login HTTP/1\.[01]" 200 '
contains "... the other client too" "$T/access.log" '^127\.0\.0\.2 - - \[.*"POST /api/login HTTP/1\.[01]" 429 '
finish

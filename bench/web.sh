#!/bin/sh
# bench/web.sh — the web API side by side with nginx (run by bench/run.sh;
# alone: MERIT=./merit sh bench/web.sh).
#
# The authenticated scorecard API (GET /api/scorecard?period=P&login=L with
# the session cookie) under wrk, 2 threads, 64 connections, 10 seconds,
# against nginx serving the same JSON body as a static file (access_log
# off, worker_processes auto).  The 50-person organisation of
# tests/load/org.sh.  Goal: merit at least 0.5x nginx's requests per
# second, p99 under 10 ms.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MERIT=${MERIT:-$here/../merit}
W=$(mktemp -d "${TMPDIR:-/tmp}/merit-bench-web.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"

if command -v wrk >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1 && command -v curl >/dev/null 2>&1; then
	. "$here/../tests/load/org.sh"
	mkdir -p web www nginx/tmp
	chmod 755 "$W" www       # nginx's workers run as nobody when we are root
	make_org "$W/web/merit.db"
	. "$here/lib.sh"
	serve_up web/merit.db web/serve.log
	trap 'for p in $web_pid ${ngx_pid:-}; do kill $p 2>/dev/null || true; wait $p 2>/dev/null || true; done; rm -rf "$W"' EXIT
	api="/api/scorecard?period=2026-11&login=p07"
	curl -sf -H "Cookie: $cookie" "$url$api" > www/scorecard.json
	size=$(wc -c < www/scorecard.json)
	# p99 of wrk --latency in ms
	p99ms() { awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
		print (u == "us" ? v / 1000 : u == "s" ? v * 1000 : v) }' "$1"; }
	rps() { awk '/^Requests\/sec:/ { printf "%d", $2 }' "$1"; }
	errs() { grep -E 'Non-2xx|Socket errors' "$1" | tr '\n' ' ' || true; }
	wrk -t 2 -c 64 -d 2s -H "Cookie: $cookie" "$url$api" >/dev/null 2>&1    # warm
	wrk -t 2 -c 64 -d 10s --latency -H "Cookie: $cookie" "$url$api" > web/merit.wrk 2>&1
	merit_rss=$(awk '/^VmRSS:/ { print $2 }' /proc/$web_pid/status)
	kill $web_pid; wait $web_pid 2>/dev/null || true; web_pid=""
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat > nginx/nginx.conf <<NGINX
worker_processes auto;
daemon off;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $W/nginx/tmp/body;
	proxy_temp_path $W/nginx/tmp/proxy;
	fastcgi_temp_path $W/nginx/tmp/fastcgi;
	uwsgi_temp_path $W/nginx/tmp/uwsgi;
	scgi_temp_path $W/nginx/tmp/scgi;
	types { application/json json; }
	server {
		listen 127.0.0.1:$port;
		root $W/www;
	}
}
NGINX
	nginx -e "$W/nginx/error.log" -p "$W/nginx" -c "$W/nginx/nginx.conf" &
	ngx_pid=$!
	n=0
	until curl -sf -o /dev/null "http://127.0.0.1:$port/scorecard.json" || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
	wrk -t 2 -c 64 -d 2s "http://127.0.0.1:$port/scorecard.json" >/dev/null 2>&1
	wrk -t 2 -c 64 -d 10s --latency "http://127.0.0.1:$port/scorecard.json" > web/nginx.wrk 2>&1
	kill $ngx_pid; wait $ngx_pid 2>/dev/null || true; ngx_pid=""
	m_rps=$(rps web/merit.wrk); n_rps=$(rps web/nginx.wrk)
	echo "web scorecard API ($size bytes), 64 connections:  merit $m_rps req/s p99 $(p99ms web/merit.wrk) ms (RSS ${merit_rss} KiB) $(errs web/merit.wrk) nginx static $n_rps req/s p99 $(p99ms web/nginx.wrk) ms $(errs web/nginx.wrk) ratio $(echo "$m_rps / $n_rps" | bc -l | cut -c1-4)x  (goal >= 0.5x, merit p99 < 10 ms)"
else
	echo "web scorecard API: wrk, nginx or curl not installed: skipped"
fi

#!/bin/sh
# cluster.sh — a throwaway PostgreSQL 15 cluster for the tests.
#
#   cluster.sh start DIR   initdb in DIR (made if missing), start the server
#                          listening on a Unix socket in DIR only (no TCP),
#                          wait until it accepts connections, and print the
#                          URL of its database "merit"
#   cluster.sh stop DIR    stop it (fast shutdown) and remove DIR
#
# Run as root, the cluster belongs to an unprivileged user (nobody): the
# server refuses to run as root, and the tests must not need a real one.
# Debian's postgresql-15 puts the programs in /usr/lib/postgresql/15/bin.
set -eu
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: cluster.sh start|stop DIR" >&2; exit 2; }
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$bin/initdb" ] || { echo "cluster.sh: no PostgreSQL 15 in $bin (postgresql-15)" >&2; exit 3; }
as() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}
case $cmd in
start)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	[ "$(id -u)" -ne 0 ] || chown nobody "$dir"
	chmod 700 "$dir"
	as "$bin/initdb" -D "$dir/data" -U merit -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	# fsync off: a test cluster's data does not outlive it
	as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
		-o "-k $dir -c listen_addresses= -c fsync=off -c max_connections=40" start \
		>/dev/null 2>&1 || { cat "$dir/server.log" >&2; exit 1; }
	as "$bin/createdb" -h "$dir" -U merit merit >&2
	enc=$(printf '%s' "$dir" | sed 's|/|%2F|g')
	echo "postgresql://merit@$enc/merit"
	;;
stop)
	[ -d "$dir/data" ] && as "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*) echo "usage: cluster.sh start|stop DIR" >&2; exit 2 ;;
esac

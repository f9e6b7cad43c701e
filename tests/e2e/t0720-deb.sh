# The Debian package (make deb: scripts/deb.sh over this binary): built,
# lintian finds nothing to warn of, and it holds the binary, the man page,
# the units and the maintainer scripts.  With MERIT_DEB_INSTALL=1 (CI sets
# it; it needs root and a machine without a merit package or a merit
# user): installed — the system user, /var/lib/merit with an empty
# database, merit.service enabled —, the service's own command answers
# /healthz as that user, then removed and purged leaving the data
# directory; the machine is put back as it was.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
file_only "the package's service keeps its database in /var/lib/merit/merit.db"

for tool in dpkg-deb dpkg-shlibdeps lintian; do
	command -v $tool >/dev/null 2>&1 || { fail "$tool is not installed (scripts/install-deps.sh check installs it)"; finish; exit 1; }
done
deb=$(sh "$root/scripts/deb.sh" "$MERIT" "$T/deb" 2>"$T/err")
expect "deb.sh builds a package" "$?" 0
case "$deb" in "$T"/deb/merit_*-1_*.deb) ok ;; *) fail "deb.sh said \"$deb\": $(cat "$T/err")" ;; esac
expect "its version is merit's" "$(dpkg-deb -f "$deb" Version)" "$("$MERIT" --version | cut -d' ' -f2)-1"
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$T/files"
for f in ./usr/bin/merit ./usr/share/man/man1/merit.1.gz ./lib/systemd/system/merit.service \
         ./lib/systemd/system/merit-probe.service ./usr/share/doc/merit/copyright; do
	grep -qx "$f" "$T/files" && ok || fail "the package lacks $f"
done
dpkg-deb -f "$deb" Depends >"$T/ctl"
contains "Depends names libsqlite3 and libmicrohttpd" "$T/ctl" 'libsqlite3-0.*libmicrohttpd12|libmicrohttpd12.*libsqlite3-0'
lintian "$deb" >"$T/lintian" 2>&1
grep -E '^(E|W): ' "$T/lintian" >"$T/lw" || true
expect "lintian: no error, no warning" "$(cat "$T/lw")" ""

if [ "${MERIT_DEB_INSTALL:-0}" != 1 ]; then
	echo "$name: not installed here (MERIT_DEB_INSTALL=1 does it)"
	finish
	exit 0
fi
if [ "$(id -u)" -ne 0 ] || dpkg -s merit >/dev/null 2>&1 || getent passwd merit >/dev/null ||
   [ -e /var/lib/merit ] || [ -e /var/log/merit ]; then
	fail "MERIT_DEB_INSTALL=1 needs root and a machine without a merit package, user or /var/lib/merit"
	finish
	exit 1
fi
spid=""
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	dpkg -P merit >/dev/null 2>&1
	rm -rf /var/lib/merit /var/log/merit
	deluser --system --quiet merit >/dev/null 2>&1; delgroup --system --quiet merit >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
dpkg -i "$deb" >"$T/inst" 2>&1
expect "dpkg -i installs it" "$?" 0
expect "merit is on the PATH" "$(/usr/bin/merit --version)" "$("$MERIT" --version)"
expect "the system user merit" "$(getent passwd merit | cut -d: -f6,7)" "/var/lib/merit:/usr/sbin/nologin"
expect "its database, merit's own" "$(stat -c %U /var/lib/merit/merit.db)" merit
contains "it says how to add the first admin" "$T/inst" 'user add owner --role admin'
[ -L /etc/systemd/system/multi-user.target.wants/merit.service ] && ok || fail "merit.service is not enabled"
# the service's command, as the unit runs it (a free port for the test)
cmd=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/merit.service | sed 's/127\.0\.0\.1:8080/127.0.0.1:0/')
: >"$T/svc.err"
(cd /var/lib/merit && exec env MERIT_DB=/var/lib/merit/merit.db setpriv --reuid=merit --regid=merit --init-groups $cmd) 2>"$T/svc.err" &
spid=$!
serve_wait "$T/svc.err" "$spid"
expect "the service answers /healthz" "$(curl -s "${url}healthz" --max-time 10 | cut -c1-10)" '{"ok":true'
kill -TERM "$spid"; wait "$spid"
expect "and stops cleanly" "$?" 0
spid=""
contains "its access log is written" /var/log/merit/access.log '"GET /healthz HTTP/1.1" 200 '
dpkg -r merit >/dev/null 2>&1
expect "dpkg -r removes it" "$?" 0
[ ! -e /usr/bin/merit ] && ok || fail "/usr/bin/merit is still there"
[ -s /var/lib/merit/merit.db ] && ok || fail "remove took the database"
dpkg -P merit >/dev/null 2>&1
expect "dpkg -P purges it" "$?" 0
[ -s /var/lib/merit/merit.db ] && ok || fail "purge took the database"
[ ! -e /etc/systemd/system/multi-user.target.wants/merit.service ] && ok || fail "purge left merit.service enabled"
finish

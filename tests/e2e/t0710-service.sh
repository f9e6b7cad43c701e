# The systemd units `make install` installs (dist/*.service.in through
# scripts/units.sh): each passes `systemd-analyze verify` without a word,
# and its hardening keeps `systemd-analyze security` (offline) at an
# exposure of 2.0 or less; each runs merit from the directory it was
# installed to, as the user merit, with the database in /var/lib/merit.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

if ! command -v systemd-analyze >/dev/null 2>&1; then
	fail "systemd-analyze is not installed (scripts/install-deps.sh check installs systemd)"
	finish
	exit 1
fi
bindir=$(cd "$(dirname "$MERIT")" && pwd)
# the units want the binary named merit in BINDIR
[ "$(basename "$MERIT")" = merit ] || { mkdir -p "$T/bin"; ln -s "$MERIT" "$T/bin/merit"; bindir=$T/bin; }
sh "$root/scripts/units.sh" "$bindir" "$T/units" >"$T/out" 2>&1 && ok || fail "units.sh: $(cat "$T/out")"
expect "two units" "$(cd "$T/units" && ls | tr '\n' ' ')" "merit-probe.service merit.service "
for u in merit merit-probe; do
	f=$T/units/$u.service
	systemd-analyze verify --man=no "$f" >"$T/v.out" 2>&1
	expect "$u: systemd-analyze verify passes" "$?" 0
	expect "$u: ... without a word" "$(cat "$T/v.out")" ""
	systemd-analyze security --offline=yes --man=no "$f" >"$T/s.out" 2>&1
	level=$(sed -n 's/^→ Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p' "$T/s.out")
	[ -n "$level" ] && [ "$(echo "$level <= 2.0" | bc -l)" = 1 ] && ok ||
		fail "$u: exposure $level (wanted 2.0 or less): $(tail -n 20 "$T/s.out")"
	contains "$u: runs as the user merit" "$f" '^User=merit$'
	contains "$u: the database in the state directory" "$f" '^Environment=MERIT_DB=/var/lib/merit/merit.db$'
	contains "$u: nothing but its directories writable" "$f" '^ProtectSystem=strict$'
done
contains "merit serve from BINDIR, behind the proxy, with its access log" "$T/units/merit.service" \
	"^ExecStart=$bindir/merit serve --listen 127.0.0.1:8080 --trust-proxy --access-log /var/log/merit/access.log\$"
contains "the probe from BINDIR" "$T/units/merit-probe.service" "^ExecStart=$bindir/merit probe run\$"
# a unit whose binary is not there is what verify refuses: the check can fail
sh "$root/scripts/units.sh" /nonexistent "$T/bad" >/dev/null 2>&1
systemd-analyze verify --man=no "$T/bad/merit.service" >"$T/v.out" 2>&1
[ $? -ne 0 ] && grep -q 'nonexistent/merit is not executable' "$T/v.out" && ok ||
	fail "verify passed a unit with no binary: $(cat "$T/v.out")"
finish

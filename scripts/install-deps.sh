#!/bin/sh
# install-deps.sh — install the Debian packages merit needs, and only those.
#
#   sh scripts/install-deps.sh          what `make` and `make demo` need: the
#                                       compiler, pkg-config, the libraries and
#                                       the fonts the PDF forms are set in
#   sh scripts/install-deps.sh check    that, and what `make check`, `make
#                                       bench` and `make fuzz` run: the test
#                                       tools (sanitizer runtime, goaccess,
#                                       valgrind, wrk, nginx, Chromium, …)
#
# Idempotent: installs only what is missing.  Needs root (or sudo) on
# Debian 12.  No service is left running: a package that starts one when
# installed (nginx does, on port 80) is installed with starting refused
# (policy-rc.d), and the tests start their own on loopback.
set -eu

what=${1:-build}
case $what in build|check) ;; *) echo "usage: install-deps.sh [build|check]" >&2; exit 2 ;; esac

BUILD="build-essential pkg-config libsqlite3-dev libpq-dev libyaml-dev libsodium-dev
libjansson-dev libcsv-dev zlib1g-dev libcurl4-openssl-dev libssl-dev
libmicrohttpd-dev libfreexl-dev libzip-dev libexpat1-dev libutf8proc-dev
libxlsxwriter-dev libcairo2-dev libpango1.0-dev fonts-noto-cjk fonts-dejavu-core"
CHECK="libcmocka-dev sqlite3 clang goaccess python3 time bc valgrind wrk nginx locales
curl openssl poppler-utils python3-openpyxl python3-aiosmtpd libreoffice-calc-nogui
chromium systemd lintian postgresql-15 python3-psycopg2"

PKGS=$BUILD
if [ "$what" = check ]; then
	PKGS="$BUILD $CHECK"
	# the browser test (tests/browser) runs on node: Debian's only when there is no node
	command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
fi

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing" >&2
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	# no package starts a service while we install (exit 101: "action
	# forbidden by policy"); an existing policy-rc.d is left as it was
	policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
		$SUDO chmod 755 "$policy"
	fi
	rc=0
	$SUDO apt-get update -qq >&2 || true
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >&2 || rc=$?
	[ -z "$policy" ] || $SUDO rm -f "$policy"
	[ "$rc" -eq 0 ] || exit "$rc"
fi

# playwright-core for the browser test, as pinned in tests/browser/package-lock.json
if [ "$what" = check ]; then
	browser=$(cd "$(dirname "$0")/.." && pwd)/tests/browser
	if [ ! -d "$browser/node_modules" ] && command -v npm >/dev/null 2>&1; then
		echo "install-deps: npm ci in tests/browser" >&2
		(cd "$browser" && npm ci --no-audit --no-fund >&2) ||
			echo "install-deps: npm ci failed: the browser test will be skipped" >&2
	fi
fi

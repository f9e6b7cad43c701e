#!/bin/sh
# install-deps.sh — install the Debian packages merit builds and tests with.
# Idempotent: installs only what is missing.  Needs root (or sudo) on Debian 12.
set -eu

PKGS="build-essential pkg-config libsqlite3-dev sqlite3 libyaml-dev libsodium-dev
libjansson-dev libcsv-dev libcmocka-dev zlib1g-dev libcurl4-openssl-dev libssl-dev
clang goaccess python3 time bc valgrind wrk nginx locales
libmicrohttpd-dev curl openssl
libfreexl-dev libzip-dev libexpat1-dev libutf8proc-dev
libxlsxwriter-dev libcairo2-dev libpango1.0-dev fonts-noto-cjk fonts-dejavu-core poppler-utils python3-openpyxl python3-aiosmtpd
libreoffice-calc-nogui
chromium"
# the browser test (tests/browser) runs on node: Debian's only when there is no node
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"

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
	$SUDO apt-get update -qq >&2 || true
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi

# playwright-core for the browser test, as pinned in tests/browser/package-lock.json
browser=$(cd "$(dirname "$0")/.." && pwd)/tests/browser
if [ ! -d "$browser/node_modules" ] && command -v npm >/dev/null 2>&1; then
	echo "install-deps: npm ci in tests/browser" >&2
	(cd "$browser" && npm ci --no-audit --no-fund >&2) ||
		echo "install-deps: npm ci failed: the browser test will be skipped" >&2
fi

#!/bin/sh
# install-deps.sh — install the Debian packages merit builds and tests with.
# Idempotent: installs only what is missing.  Needs root (or sudo) on Debian 12.
set -eu

PKGS="build-essential pkg-config libsqlite3-dev sqlite3 libyaml-dev libsodium-dev
libjansson-dev libcsv-dev libcmocka-dev zlib1g-dev libcurl4-openssl-dev libssl-dev
clang goaccess python3 time bc valgrind"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2 || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2

#!/bin/sh
# units.sh BINDIR OUTDIR — the systemd units of dist/*.service.in with
# merit's installed directory filled in (make install; tests/e2e/t0710).
set -eu
[ $# -eq 2 ] || { echo "usage: units.sh BINDIR OUTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$2"
for f in "$here"/dist/*.service.in; do
	sed "s#@BINDIR@#$1#g" "$f" > "$2/$(basename "$f" .in)"
	chmod 644 "$2/$(basename "$f" .in)"
done

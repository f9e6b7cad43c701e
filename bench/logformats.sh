#!/bin/sh
# bench/logformats.sh — `merit ingest` against goaccess on every log format
# GoAccess predefines (run by bench/run.sh, or alone: MERIT=... sh
# bench/logformats.sh [LINES]).
#
# One generated stream of requests (about 40,000 visitors a day over 10
# days, crawlers, static files, 404s, the same mix as run.sh's combined
# log) is written in each format in turn, as that format's servers write
# it; merit ingests it (its format detected) and goaccess reads it with
# its preset (a format string for the two its 1.7 presets do not read:
# Traefik, none in 1.7, and nginx JSON), each the best of 3 wall
# seconds (GA_RUNS=1 for one goaccess run, about 20 s a format: its time
# varies by up to 2x from run to run here, so its best is compared).
# Goal: merit at least 20x faster on every format, 30x on COMBINED.
# Also measured: what the line fingerprints cost (database bytes a line).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MERIT=${MERIT:-$here/../merit}
N=${1:-${LOG_LINES:-1000000}}
W=$(mktemp -d "${TMPDIR:-/tmp}/merit-logbench.XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$here/lib.sh"
. "$here/loggen.sh"

# goaccess's arguments for each format
ga_args() {
	case $1 in
	combined) echo "--log-format=COMBINED" ;;
	vcombined) echo "--log-format=VCOMBINED" ;;
	common) echo "--log-format=COMMON" ;;
	vcommon) echo "--log-format=VCOMMON" ;;
	w3c) echo "--log-format=W3C" ;;
	cloudfront) echo "--log-format=CLOUDFRONT" ;;
	cloudstorage) echo "--log-format=CLOUDSTORAGE" ;;
	awselb) echo "--log-format=AWSELB" ;;
	awsalb) echo "--log-format=AWSALB" ;;
	awss3) echo "--log-format=AWSS3" ;;
	squid) echo "--log-format=SQUID" ;;
	caddy) echo "--log-format=CADDY" ;;
	esac
}

echo "log formats, $N generated lines each, side by side with goaccess $(goaccess --version 2>/dev/null | sed -n 's/^GoAccess - \([0-9.]*\).*/\1/p')"
printf '%-13s %9s %9s %11s %7s %s\n' format lines "merit s" "goaccess s" ratio "merit format"
for f in combined vcombined common vcommon w3c cloudfront cloudstorage awselb awsalb awss3 squid caddy traefikclf json; do
	loggen "$f" "$N" > "$W/log"
	touch -d '1 hour ago' "$W/log"
	lines=$(grep -vc '^#' "$W/log")
	setup="rm -f '$W/l.db' '$W/l.db-wal' '$W/l.db-shm'; '$MERIT' --db '$W/l.db' init --goal brand"
	ours=$(best3 "$setup" "'$MERIT' --db '$W/l.db' ingest '$W/log'")
	sh -c "$setup" >/dev/null 2>&1
	shown=$("$MERIT" --db "$W/l.db" ingest "$W/log" 2>&1 | sed -n 's/.*; format \(.*\)$/\1/p' | head -n 1)
	if [ "$f" = combined ]; then
		fp=$(sqlite3 "$W/l.db" 'select sum(length(keys)) from log_line')
		dbsize=$(stat -c %s "$W/l.db")
	fi
	case $f in
	traefikclf) set -- '--log-format=%h - %e [%d:%t %^] "%r" %s %b "%R" "%u" %^ "%v" "%U" %Lms' --date-format=%d/%b/%Y --time-format=%H:%M:%S ;;
	json) set -- '--log-format={"time_local":"%d:%t %^","remote_addr":"%h","request":"%r","status":"%s","body_bytes_sent":"%b","http_referer":"%R","http_user_agent":"%u"}' --date-format=%d/%b/%Y --time-format=%H:%M:%S ;;
	*) set -- "$(ga_args "$f")" ;;
	esac
	best=""
	for i in $(seq "${GA_RUNS:-3}"); do
		t0=$(now); TZ=UTC goaccess "$W/log" --no-global-config "$@" -o "$W/ga.json" >/dev/null 2>&1 || true; t1=$(now)
		t=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
	done
	ga_hits=$(sed -n 's/.*"valid_requests": *\([0-9]*\).*/\1/p' "$W/ga.json" | head -n 1)
	printf '%-13s %9d %9.3f %11.3f %6.1fx %s%s\n' "$f" "$lines" "$ours" "$best" "$(echo "$best / $ours" | bc -l)" \
		"$shown" "$([ "${ga_hits:-0}" -eq "$lines" ] || echo "  (goaccess read ${ga_hits:-0} lines)")"
done
echo "line fingerprints (combined, $N lines): $fp bytes in the database ($(echo "$fp / $N" | bc) a line), database $dbsize bytes"
echo "goal: merit >= 20x goaccess on every format, >= 30x on combined"

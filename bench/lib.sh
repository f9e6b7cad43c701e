# bench/lib.sh — what the bench scripts share (sourced).
now() { date +%s.%N; }
# best3 SETUP CMD — the best wall time of 3 runs of CMD, each after SETUP
# (both shell text); prints seconds
best3() {
	setup=$1; cmd=$2; best=""
	for i in 1 2 3; do
		sh -c "$setup" >/dev/null 2>&1
		t0=$(now); sh -c "$cmd" >/dev/null 2>&1; t1=$(now)
		t=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
	done
	printf '%.3f' "$best"
}
# peak_kib CMD ARGS... — the command's peak resident memory, KiB
peak_kib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
# serve_up DB LOG — `merit serve` on DB (stderr to LOG) on a free port,
# logged in as tests/load/org.sh's admin: sets web_pid, url and cookie
serve_up() {
	"$MERIT" --db "$1" serve --listen 127.0.0.1:0 2> "$2" &
	web_pid=$!
	url=""; n=0
	while [ -z "$url" ] && [ $n -lt 100 ]; do
		url=$(sed -n 's/^merit: serving \(http:[^ ]*\).*/\1/p' "$2" 2>/dev/null | head -n 1); url=${url%/}
		[ -n "$url" ] || sleep 0.1; n=$((n + 1))
	done
	curl -sf -c "$2.jar" -H 'Content-Type: application/json' \
	     --data '{"login":"admin","password":"admin-password-1"}' "$url/api/login" >/dev/null
	cookie="merit_session=$(awk '$6 == "merit_session" { print $7 }' "$2.jar")"
}
# analyst_plan SUM_TARGET TARGET — the plan's indicators and one position
# "analyst" scored on 14 of them (sum indicators against SUM_TARGET, the
# others against TARGET): the part every bench plan shares
analyst_plan() {
	echo "indicators:"
	for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
		case $((k % 4)) in 0) agg=sum;; 1) agg=mean;; 2) agg=last;; 3) agg=max;; esac
		echo "  - {key: i$k, name: Indicator $k, aggregate: $agg}"
	done
	echo "positions:"
	echo "  - key: analyst"
	echo "    name: Analyst"
	echo "    stage: evaluation"
	echo "    base_bonus: 3000.00"
	echo "    kpis:"
	for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
		w=7; [ $k -le 2 ] && w=8
		case $((k % 4)) in 0) t=$1;; *) t=$2;; esac
		echo "      - {indicator: i$k, weight: $w, rule: ratio, target: $t}"
	done
}
# bench_plan — the plan with one position of 14 indicators (bench/run.sh, bench/pg.sh)
bench_plan() {
	echo "goal: none"
	echo "criteria:"
	echo "  - {key: overall, name: Overall, weight: 100}"
	echo "grades:"
	echo "  - {grade: A, min: 85, bonus: 1.2}"
	echo "  - {grade: B, min: 70, bonus: 1.0}"
	echo "  - {grade: C, min: 0, bonus: 0.5}"
	analyst_plan 1800 5
}

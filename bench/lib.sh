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

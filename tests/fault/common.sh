# common.sh — sourced by the fault tests (tests/fault/t*.sh) after
# tests/e2e/lib.sh: a database with people, a cycle and data, and `sweep`,
# which runs tests/fault/sweep.py and counts its ok / not ok lines.
: "${FAULT_SHIM:?FAULT_SHIM must name faultshim.so}"
export FAULT_SHIM
FAULT_DIR=$(cd "$(dirname "$0")" && pwd)
# the counts for the closing note (tests/fault/run.sh adds them up)
FAULT_COUNTS=${FAULT_COUNTS:-/dev/null}

# sweep MODE OPTIONS -- ARGS
sweep() {
	python3 "$FAULT_DIR/sweep.py" "$@" >"$T/sweep.out" 2>&1
	_src=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok ;;
		"not ok "*) fail "${line#not ok }" ;;
		"count "*) echo "${line#count }" >>"$FAULT_COUNTS" ;;
		esac
	done <"$T/sweep.out"
	if [ "$_src" -ne 0 ] && ! grep -q '^not ok ' "$T/sweep.out"; then
		fail "sweep.py $1 exited $_src: $(tail -c 2000 "$T/sweep.out")"
	fi
}

# A team in a cycle with data: wang manages ana and bo (promoters).
fault_setup() {
	run_ok "init" init --goal sales
	run_ok "staff wang" staff add wang --name "王芳" --position manager
	run_ok "staff ana" staff add ana --name Ana --position promoter --manager wang
	run_ok "staff bo" staff add bo --name "Bo Li" --position promoter --manager wang
	run_ok "open" cycle open 2026-01
	printf 'date,indicator,login,value,denominator\n2026-01-05,promo_posts,ana,30,\n2026-01-06,promo_posts,bo,44,\n2026-01-07,site_visits,ana,8000,\n2026-01-08,online_sales,,250000,\n2026-01-09,keyword_rank,bo,7,\n' >jan.csv
	printf 'date,indicator,login,value,denominator\n2026-01-12,promo_posts,ana,5,\n2026-01-13,online_customers,bo,12,\n2026-01-14,site_visits,bo,900,\n' >more.csv
	run_ok "import jan" import measurements jan.csv
}

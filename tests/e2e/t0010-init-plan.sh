# init, plan export/import round trip, plan errors that point at the place.
. "$(dirname "$0")/lib.sh"

run_ok "help" --help
contains "help lists commands" "$T/out" "score +the appraisal"
for c in init plan staff own record import batches batch cycle rate score report user demo; do
	run_ok "$c --help" $c --help
	contains "$c --help says usage" "$T/out" "^usage: merit $c"
done
run_fail "unknown command" 2 'unknown command "scor"' scor
run_fail "init without goal" 2 'goal is required' init
run_fail "init bad goal" 2 'choose brand, platform, sales or none' init --goal money

for g in brand platform sales none; do
	fresh_db
	run_ok "init $g" init --goal $g
	run_ok "export $g" plan export p1.yaml
	run_ok "import $g" plan import p1.yaml
	run_ok "export again $g" plan export p2.yaml
	if cmp -s p1.yaml p2.yaml; then ok; else fail "round trip $g differs"; fi
	contains "goal $g written" p1.yaml "^goal: $g"
done
run_ok "plan show" plan show
contains "no goal said plainly" "$T/out" "no operating goal is set"

fresh_db
run_ok "init sales" init --goal sales
run_fail "init twice" 1 'has a plan already' init --goal brand
run_ok "plan show" plan show
contains "six positions" "$T/out" "^support"
for k in online_sales opportunities content_updates topics_produced share_rate promo_posts \
         site_visits keyword_rank online_customers design_completion design_approval \
         task_completion uptime; do
	contains "indicator $k" "$T/out" "$k"
done

# A plan with a typo: the error points at its line and column.
"$MERIT" plan export good.yaml
sed 's/^rating_scale:/ratng_scale:/' good.yaml > typo.yaml
line=$(grep -n '^ratng_scale' typo.yaml | cut -d: -f1)
run_fail "typo key" 1 "typo.yaml:$line:1: .*ratng_scale.*rating_scale" plan import typo.yaml

# weights that do not total 100
awk '/indicator: online_sales/ && !done { sub(/weight: 60/, "weight: 50"); done=1 } { print }' good.yaml > w.yaml
line=$(grep -n 'weight: 50' w.yaml | cut -d: -f1)
run_fail "weights" 1 "w.yaml:[0-9]+:[0-9]+: .*(total|100)" plan import w.yaml
# unknown indicator
sed 's/indicator: online_sales,/indicator: online_sale,/' good.yaml > u.yaml
line=$(grep -n 'indicator: online_sale,' u.yaml | cut -d: -f1)
run_fail "unknown indicator" 1 "u.yaml:$line:[0-9]+: .*online_sale" plan import u.yaml
# a formula that does not parse
sed 's/^# formula:.*/formula: "(kpi + self"/' good.yaml > f.yaml
line=$(grep -n '^formula:' f.yaml | cut -d: -f1)
run_fail "bad formula" 1 "f.yaml:$line:[0-9]+: .*formula" plan import f.yaml
sed 's|^# formula:.*|formula: "kpi / 0"|' good.yaml > f0.yaml
run_fail "a formula dividing by 0" 1 "f0.yaml:$line:[0-9]+: formula column 5: '/' divides by 0" plan import f0.yaml
# not YAML at all
printf 'goal: [sales\n' > bad.yaml
run_fail "malformed yaml" 1 "bad.yaml:[0-9]+:[0-9]+:" plan import bad.yaml
run_fail "missing file" 1 "nope.yaml: No such file" plan import nope.yaml
# several problems at once are all reported
sed -e 's/^ratng_scale/x/' -e 's/^rating_scale: 5/rating_scale: 5\nfoo: 1\nbar: 2/' good.yaml > two.yaml
run_fail "every problem" 1 "two.yaml:[0-9]+:1: .*foo" plan import two.yaml
contains "second problem too" "$T/err" "two.yaml:[0-9]+:1: .*bar"

# a grade is a label in tables, spreadsheet rules and CSV: no quotes or commas
"$MERIT" plan export gq.yaml >/dev/null 2>&1
sed 's/{grade: S, min: 95/{grade: "S,\\"x", min: 95/' gq.yaml > gq2.yaml
run_fail "grade with a quote" 1 'gq2.yaml:16:[0-9]+: grade "S,"x": a name of at most 16 bytes without quotes' plan import gq2.yaml
# a URL is a PostgreSQL server (t0731 runs the suite there); with none
# listening, the error names it, and no file of that name is made
"$MERIT" --db postgresql://merit:secret@127.0.0.1:1/merit init --goal sales >"$T/out" 2>"$T/err"
expect "--db postgresql://… with no server: fails" "$?" 1
contains "... saying it cannot connect there" "$T/err" '^merit: postgresql://merit:\*\*\*@127.0.0.1:1/merit: cannot connect: '
grep -q secret "$T/err" && fail "the password was printed" || ok
[ ! -e postgresql: ] && ok || fail "init made a file or directory postgresql:"
MERIT_DB=postgres://127.0.0.1:1/x "$MERIT" score 2026-11 >"$T/out" 2>"$T/err"
expect "\$MERIT_DB=postgres://…: the same" "$?" 1
contains "... naming it" "$T/err" '^merit: postgres://127.0.0.1:1/x: cannot connect'
finish

#!/bin/sh
# org.sh — sourced by tests/load/web-load.sh and bench/run.sh:
#   make_org DB   builds DB with `merit` ($MERIT): the sales plan (with
#                 `peers: open`), 50 people
#                 p01..p50 (p01 a manager over five leads p02..p06, who lead
#                 the other 44; positions editor, promoter, designer,
#                 developer, support in turn), measurements of every day of
#                 October (closed) and November 1-20 (open) through
#                 `merit import measurements`, and the users admin
#                 (admin-password-1, admin) and p01 (writer-password-1,
#                 manager).
org_m() { "$MERIT" --db "$org_db" "$@"; }

make_org() {
	org_db=$1
	org_dir=$(dirname "$1")
	org_m init --goal sales >/dev/null
	# anyone may peer-rate anyone here (the load test's writer rates 44 people)
	org_m plan export "$org_dir/plan.yaml"
	sed 's/^peers: nominated /peers: open /' "$org_dir/plan.yaml" > "$org_dir/plan-open.yaml"
	org_m plan import "$org_dir/plan-open.yaml" >/dev/null
	org_pos="editor promoter designer developer support"
	org_m staff add p01 --name "Person 01" --position manager >/dev/null
	org_i=2
	while [ $org_i -le 50 ]; do
		org_l=$(printf 'p%02d' $org_i)
		org_p=$(echo $org_pos | cut -d' ' -f$(( (org_i - 2) % 5 + 1 )))
		if [ $org_i -le 6 ]; then org_mgr=p01; else org_mgr=$(printf 'p%02d' $(( (org_i - 7) % 5 + 2 ))); fi
		org_m staff add "$org_l" --name "Person $org_i" --position "$org_p" --manager "$org_mgr" >/dev/null
		org_i=$((org_i + 1))
	done

	# ---- measurements: October 1-31 and November 1-20, per day ----
	awk 'BEGIN {
		print "date,indicator,login,value,denominator";
		split("editor promoter designer developer support", pos, " ");
		for (mo = 10; mo <= 11; mo++) for (d = 1; d <= (mo == 10 ? 31 : 20); d++) {
			date = sprintf("2026-%02d-%02d", mo, d);
			printf "%s,online_sales,,%d,\n", date, 12000 + (d * 137) % 5000;
			printf "%s,opportunities,,%d,\n", date, 5 + d % 9;
			for (p = 2; p <= 50; p++) {
				l = sprintf("p%02d", p); k = pos[(p - 2) % 5 + 1]; v = (p * 7 + d * 3) % 10;
				if (k == "editor") {
					printf "%s,content_updates,%s,%d,\n", date, l, 1 + v % 4;
					if (d % 7 == 0) printf "%s,topics_produced,%s,1,\n", date, l;
					printf "%s,share_rate,%s,%d,%d\n", date, l, v, 100;
				} else if (k == "promoter") {
					printf "%s,promo_posts,%s,%d,\n", date, l, 1 + v % 3;
					printf "%s,site_visits,%s,%d,\n", date, l, 200 + v * 40;
					printf "%s,keyword_rank,%s,%d,\n", date, l, 1 + v;
					printf "%s,online_customers,%s,%d,\n", date, l, v % 4;
				} else if (k == "designer") {
					printf "%s,design_completion,%s,%d,%d\n", date, l, 2 + v % 2, 3;
					printf "%s,design_approval,%s,%d,%d\n", date, l, 1 + v % 3, 3;
				} else if (k == "developer") {
					printf "%s,task_completion,%s,%d,%d\n", date, l, 3 + v % 3, 5;
				} else {
					printf "%s,task_completion,%s,%d,%d\n", date, l, 4 + v % 2, 5;
					printf "%s,uptime,%s,%d,%d\n", date, l, 1430 + v, 1440;
				}
			}
		} }' > "$org_dir/measurements.csv"
	org_m cycle open 2026-10 >/dev/null
	org_m cycle open 2026-11 >/dev/null
	org_m import measurements "$org_dir/measurements.csv" >/dev/null
	org_m cycle review 2026-10 >/dev/null
	org_m cycle close 2026-10 --force >/dev/null
	echo 'admin-password-1' | org_m user add admin --role admin >/dev/null
	echo 'writer-password-1' | org_m user add p01 --role manager >/dev/null
}

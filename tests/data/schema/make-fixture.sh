#!/bin/sh
# make-fixture.sh N BIN DIR: the populated database of schema version N that
# the merit binary BIN (built at the commit that had version N) makes, in
# DIR/merit.db, with DIR/score.csv (its `score 2026-10 --csv`) and
# DIR/commands.txt (the commands run; those this version does not have are
# followed by their failure).  How tests/data/schema/vN.sql were made:
#   git worktree add /tmp/old-N COMMIT && make -C /tmp/old-N build/merit
#   sh tests/data/schema/make-fixture.sh N /tmp/old-N/build/merit /tmp/fix/vN
#   sqlite3 /tmp/fix/vN/merit.db .dump   (after the header) > vN.sql
#   echo "PRAGMA user_version = N;" >> vN.sql   (.dump leaves it out)
#   cp /tmp/fix/vN/score.csv vN.score.csv
n=$1; M=$2; d=$3; R=${SHARED:-/work/shared}/data/real
rm -rf "$d"; mkdir -p "$d"; cd "$d" || exit 1
export MERIT_DB=$d/merit.db MERIT_USER=tester TZ=UTC
log=$d/commands.txt; : > $log
m() { echo "merit $*" >> $log; "$M" "$@" >> $d/out.txt 2>&1 || echo "  -> exit $?: $(tail -1 $d/out.txt)" >> $log; }
cat > d.csv <<'CSV'
date,indicator,login,value
2026-10-01,promo_posts,lina,40
2026-10-01,site_visits,lina,9000
2026-10-01,promo_posts,sun,20
2026-10-01,online_sales,,400000
2026-10-15,opportunities,,250
2026-10-20,keyword_rank,lina,8
2026-11-01,promo_posts,lina,30
2026-11-02,promo_posts,sun,12
2026-11-03,site_visits,lina,5000
2026-11-04,keyword_rank,lina,12
CSV
if [ $n -ge 6 ]; then P="--criterion analysis=4 --criterion strategy=3.5 --criterion execution=4"
  W="--criterion goal=4 --criterion system=3 --criterion team=4.5"
else P="--criterion overall=4"; W="--criterion overall=4"; fi
m init --goal sales
m staff add wang --name 王芳 --position manager
m staff add lina --name Lina --position promoter --manager wang
m staff add sun --name 孙浩 --position promoter --manager wang --base-bonus 4200.00
m own channel web --who lina
m own url https://example.com/blog/ --who sun
m import measurements d.csv
m record online_customers 30 --who lina --date 2026-10-31
m record online_customers 10 --who lina --date 2026-11-05
m import orders $R/shopify_orders_export_1_ExplorerClothing_REDACTED.csv
m ingest $R/lnav_logfile_bad_access_log.0.log
m probe add https://example.com/ --who sun
m source add shop --kind orders --preset shopify
m staff add owner --name 刘强 --reviewer
[ $n -ge 6 ] && m staff set wang --manager owner
m cycle open 2026-10
m rate lina --period 2026-10 --by self $P
m rate lina --period 2026-10 --by manager $P --comment good
m rate sun --period 2026-10 --by self $P
m rate sun --period 2026-10 --by manager $P --comment 还行
m rate wang --period 2026-10 --by self $W
[ $n -ge 6 ] && m rate wang --period 2026-10 --by manager $W
m cycle review 2026-10
m cycle close 2026-10
m cycle close 2026-10 --force
m score 2026-10 --csv
"$M" score 2026-10 --csv > $d/score.csv 2>/dev/null
m cycle open 2026-11
m peers lina --period 2026-11 --set sun
m rate lina --period 2026-11 --by peer:sun $P
m rate wang --period 2026-11 --by upward:lina $W
m calibrate lina --period 2026-11 --grade B --reason 'covered for sun'
printf 'secret-password\n' > pw; echo "merit user add admin --role admin < (a password)" >> $log
"$M" user add admin --role admin < pw >> $d/out.txt 2>&1 || echo "  -> failed" >> $log
sqlite3 merit.db 'PRAGMA user_version' > version.txt

# Nothing counted twice (SPEC 5, issue 10 item 7): the same export re-saved
# (CRLF, a BOM, no last newline) is the same content; rows an earlier batch
# counted (order numbers, issue keys, post URLs, normalised rows) refuse
# the import naming that batch, or are skipped under --skip-bad, or swapped
# with --replace; posts count once per normalised URL; an import that
# counts nothing makes no batch.
. "$(dirname "$0")/lib.sh"

SHOP=${SHARED:?}/data/real/shopify_orders_export_1_ExplorerClothing_REDACTED.csv
q() { sqlite3 "$MERIT_DB" "$1"; }
sales() { q "select count(*) || ' ' || printf('%.2f', coalesce(sum(value), 0)) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'online_sales' and s.login is null"; }
nbatch() { q "select count(*) from batch"; }

run_ok "init" init --goal sales
run_ok "staff" staff add lina --name Lina --position promoter
run_ok "developer" staff add dev --name Dev --position developer
run_ok "tracker name" own tracker dee --who dev

# 1. the real Shopify export, then the same re-saved with CRLF line ends,
# with a BOM, without its last newline: the same content
run_ok "import shopify" import orders "$SHOP"
before=$(sales)
sed 's/$/\r/' "$SHOP" > crlf.csv
cmp -s crlf.csv "$SHOP" && fail "the CRLF copy is the same bytes"
run_fail "CRLF copy refused" 1 'crlf.csv: this content was imported already as batch 1; use --replace' import orders crlf.csv
{ printf '\357\273\277'; cat "$SHOP"; } > bom.csv
run_fail "BOM copy refused" 1 'imported already as batch 1' import orders bom.csv
head -c -1 "$SHOP" > nonl.csv
cmp -s nonl.csv "$SHOP" && fail "the copy without a last newline is the same bytes"
run_fail "no-last-newline copy refused" 1 'imported already as batch 1' import orders nonl.csv
expect "sales not doubled" "$(sales)" "$before"
expect "one batch" "$(nbatch)" "1"
run_ok "CRLF copy with --replace" import orders crlf.csv --replace
contains "replaced" "$T/out" "as batch [0-9]* .*replacing batch 1"
expect "sales the same after --replace" "$(sales)" "$before"

# 2. an export extending the earlier one: its last orders again, then new ones
printf 'date,order,total\n2026-11-01,#9001,10.00\n2026-11-02,#9002,20.00\n2026-11-03,#9003,30.00\n' > o1.csv
printf 'date,order,total\n2026-11-02, #9002 ,20.00\n2026-11-03,#9003,30.00\n2026-11-04,#9004,40.00\n2026-11-05,#9005,50.00\n' > o2.csv
run_ok "first export" import orders o1.csv
b1=$(q "select max(id) from batch")
before=$(sales)
run_fail "overlapping export refused" 1 "o2.csv: 2 rows of this file were counted already, by batch $b1 \\(2 rows, the first at line 2: #9002\\); use --replace" import orders o2.csv
contains "batch rm hinted" "$T/err" "merit batch rm $b1"
expect "sales unchanged" "$(sales)" "$before"
run_ok "only the new rows with --skip-bad" import orders o2.csv --skip-bad
contains "overlap told" "$T/err" "2 rows imported already, by batch $b1 .*skipped"
contains "skipped counted" "$T/out" "2 bad rows skipped"
b2=$(q "select max(id) from batch")
expect "#9004 and #9005 added" "$(q "select printf('%.2f', sum(value)) from measurement where batch_id = $b2")" "90.00"
# removing a batch forgets its rows: the export goes in again
run_ok "batch rm" batch rm "$b2"
run_ok "batch rm first" batch rm "$b1"
run_ok "o2 after both removed" import orders o2.csv
b3=$(q "select max(id) from batch")
# --replace swaps every batch the file overlaps, in one transaction
run_ok "o1 replaces o2's batch" import orders o1.csv --replace
contains "o1 replacing" "$T/out" "replacing batch $b3"
expect "only o1's orders" "$(q "select count(*) || ' ' || printf('%.2f', sum(value)) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'online_sales' and m.batch_id = (select max(id) from batch)")" "3 60.00"
expect "keys of the removed batch gone" "$(q "select count(*) from batch_key where batch_id = $b3")" "0"
# a prefix of the real export after the whole: refused with its count
head -n 20 "$SHOP" > prefix.csv
run_fail "Shopify prefix refused" 1 'prefix.csv: [0-9]+ rows of this file were counted already, by batch [0-9]+ \(.* line 2: #' import orders prefix.csv

# tasks by issue key
printf 'key,assignee,due,done\nT-1,dee,2026-11-03,2026-11-02\nT-2,dee,2026-11-04,2026-11-05\n' > t1.csv
printf 'key,assignee,due,done\nT-2,dee,2026-11-04,2026-11-04\nT-3,dee,2026-11-06,2026-11-06\n' > t2.csv
run_ok "tasks" import tasks t1.csv
bt=$(q "select max(id) from batch")
run_fail "task overlap" 1 "t2.csv: 1 row of this file was counted already, by batch $bt \\(1 row, the first at line 2: T-2\\)" import tasks t2.csv

# other kinds by the normalised row: spaces around fields do not matter;
# two same rows of one file are two leads, a third one later is new
printf 'date,count\n2026-11-01,1\n2026-11-01,1\n' > l1.csv
printf 'date , count\n 2026-11-01 , 1\n2026-11-01,1\n2026-11-01,1\n' > l2.csv
run_ok "leads" import leads l1.csv
bl=$(q "select max(id) from batch")
run_fail "leads overlap" 1 "l2.csv: 2 rows of this file were counted already, by batch $bl" import leads l2.csv
run_ok "leads new row" import leads l2.csv --skip-bad
expect "three leads" "$(q "select sum(value) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'opportunities'")" "3.0"

# 3. posts: one per normalised URL; an empty URL is a bad row
cat > posts.csv <<'EOF'
date,login,platform,url
2026-11-01,lina,weibo,HTTPS://Weibo.Example:443/p/1/?utm_source=x&id=2#top
2026-11-01,lina,weibo,https://weibo.example/p/1?id=2&utm_campaign=y
2026-11-02,lina,wechat,https://mp.example/s/abc
EOF
run_ok "posts" import posts posts.csv
contains "repeat told" "$T/err" "1 row repeating an earlier row of the file: counted once"
expect "two posts" "$(q "select count(*) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'promo_posts'")" "2"
printf 'date,login,platform,url\n2026-11-03,lina,x,https://mp.example/s/abc/\n' > p2.csv
run_fail "post URL counted before" 1 "p2.csv: 1 row of this file was counted already" import posts p2.csv
printf 'date,login,platform,url\n2026-11-03,lina,x,https://mp.example/s/new\n2026-11-03,lina,x, \n' > p3.csv
run_fail "empty URL" 1 'p3.csv:3:4: the url is empty' import posts p3.csv

# 4. an import that counts nothing makes no batch, and says why
n=$(nbatch)
printf 'date\n2026-11-01\n' > members.csv
run_fail "indicator not in the plan" 1 'members.csv: nothing to count, so no batch was made: indicator new_members is not in the plan' import members members.csv
expect "no batch made" "$(nbatch)" "$n"
printf 'date,login,platform,url\n2026-11-03,lina,x,\n' > allbad.csv
run_fail "every row skipped" 1 'allbad.csv: nothing to count, so no batch was made: every row was bad and skipped' import posts allbad.csv --skip-bad
printf 'date,login,platform,url\n2026-11-03,lina,x,https://mp.example/s/fixed\n' > allbad.csv
run_ok "the corrected file goes in" import posts allbad.csv
finish

# import leads, members, posts, content and uptime: the generic layouts of
# the man page, figures worked out by hand in the comments.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 "$MERIT_DB" "$1"; }
ind() { q "select count(*) || ' ' || coalesce(sum(value), 0) || '/' || coalesce(sum(denominator), 0) from measurement m join subject s on s.id = m.subject_id where s.indicator = '$1' and ifnull(s.login, '') = '$2'"; }

run_ok "init" init --goal sales
run_ok "editor" staff add ed --name Ed --position editor
run_ok "promoter" staff add lina --name Lina --position promoter
run_ok "support" staff add sup --name Sup --position support

# leads: one row, one opportunity; count says more
printf 'date,count\n2026-11-01,\n2026-11-01,3\n2026-11-02,\n' > leads.csv
run_ok "leads" import leads leads.csv
expect "opportunities 1 + 3 + 1" "$(ind opportunities '')" "3 5.0/0"
printf 'date\n2026-11-01\n2026-11-03\n' > members.csv
# a sales plan has no new_members: told, not written, and no batch made
run_fail "members" 1 "members.csv: nothing to count, so no batch was made: indicator new_members is not in the plan" import members members.csv
contains "not in the plan" "$T/err" "indicator new_members is not in the plan: 2 measurements not written"
expect "new_members" "$(ind new_members '')" "0 0/0"

# posts: date,login,platform,url — the login is merit's
cat > posts.csv <<'EOF'
date,login,platform,url
2026-11-01,lina,weibo,https://weibo.example/1
2026-11-02,lina,wechat,https://mp.weixin.example/s/2
EOF
run_ok "posts" import posts posts.csv
expect "promo_posts" "$(ind promo_posts lina)" "2 2.0/0"
printf 'date,login,platform,url\n2026-11-01,ghost,x,https://x.example/1\n' > ghost.csv
run_fail "posts: unknown login" 1 'ghost.csv:2:2: unknown login "ghost"' import posts ghost.csv

# content: the author's rule, else the longest URL prefix; shares ÷ views
run_ok "own author" own author "Ed Itor" --who ed
run_ok "own url" own url https://site.example/blog/ --who ed
cat > content.csv <<'EOF'
date,url,author,type,views,shares
2026-11-01,https://site.example/blog/a,Ed Itor,article,200,10
2026-11-02,https://site.example/blog/b,,special topic,100,5
2026-11-03,https://site.example/news/c,Guest,article,50,50
2026-11-04,https://site.example/news/d,Guest,article,,
EOF
run_ok "content" import content content.csv
expect "content_updates: rows 2 and 3" "$(ind content_updates ed)" "2 2.0/0"
expect "topics_produced" "$(ind topics_produced ed)" "1 1.0/0"
expect "share_rate (10 + 5) / (200 + 100)" "$(ind share_rate ed)" "2 15.0/300.0"
contains "unmapped author told once with count" "$T/err" 'author "Guest" is not mapped to a login .*: 2 rows not attributed'
# a path rule matches a full URL as in the logs: scheme and host dropped
run_ok "own url path" own url /docs/ --who ed
printf 'date,url,author,type,views,shares\n2026-11-05,https://other.example/docs/intro,,article,,\n2026-11-06,/docs/faq,,article,,\n' > paths.csv
run_ok "content by path" import content paths.csv
expect "both rows ed's" "$(ind content_updates ed)" "4 4.0/0"
printf 'date,url,author,type,views,shares\n2026-11-01,,Ed Itor,article,2O0,1\n' > views.csv
run_fail "content: bad views" 1 'views.csv:2:5: views "2O0" is not a number' import content views.csv

# uptime: up ÷ total for the site's owner
run_ok "own site" own site shop.example --who sup
cat > uptime.csv <<'EOF'
date,site,up,total
2026-11-01,shop.example,1439,1440
2026-11-02,shop.example,1440,1440
2026-11-02,blog.example,1000,1440
EOF
run_ok "uptime" import uptime uptime.csv
expect "uptime" "$(ind uptime sup)" "2 2879.0/2880.0"
contains "unowned site" "$T/err" 'site "blog.example" is not mapped'
printf 'date,site,up,total\n2026-11-01,shop.example,1441,1440\n' > over.csv
run_fail "uptime: up over total" 1 'over.csv:2:4: total "1440" must be more than 0 and at least up' import uptime over.csv
printf 'date,site,up\n2026-11-01,shop.example,1\n' > nototal.csv
run_fail "uptime: no total" 1 'nototal.csv:1: 1 required column missing: "total"' import uptime nototal.csv
printf 'date,count\n2026-11-01,x\n' > badcount.csv
run_fail "leads: bad count" 1 'badcount.csv:2:2: count "x" is not a number' import leads badcount.csv
printf 'when,count\n2026-11-01,1\n' > badhdr.csv
run_fail "members: wrong header" 1 'badhdr.csv:1: the file has no dates \(no column "date"\)' import members badhdr.csv
run_fail "members: --map" 1 "badhdr.csv: nothing to count, so no batch was made: indicator new_members is not in the plan" import members badhdr.csv --map when=date
run_ok "leads: --date for a file without dates" import leads - --date 2026-11-05 <<'EOF'
count
2
EOF
expect "dated by --date" "$(q "select date(max(day) * 86400, 'unixepoch') from measurement m join subject s on s.id = m.subject_id where s.indicator = 'opportunities'")" "2026-11-05"

# a platform plan has it
run_ok "platform plan" --db p.db init --goal platform
run_ok "members on platform" --db p.db import members members.csv
expect "new_members written" "$(sqlite3 p.db 'select count(*) || " " || sum(value) from measurement')" "2 2.0"

finish

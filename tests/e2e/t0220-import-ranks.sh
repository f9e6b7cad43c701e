# import ranks: the real search-console "Queries" export (no dates: --date),
# keywords measured only when a promoter owns them, a query holding a
# newline traced to the line it starts on; the generic date,keyword,position.
. "$(dirname "$0")/lib.sh"

GSC=${SHARED:?}/data/real/gsc_Queries_jfaccioli.csv
q() { sqlite3 "$MERIT_DB" "$1"; }
kw() { q "select group_concat(date(day * 86400, 'unixepoch') || '@' || line || '=' || value, ' ') from (select * from measurement m join subject s on s.id = m.subject_id where s.indicator = 'keyword_rank' and s.login = '$1' order by line)"; }

# Independent figures: Python's csv module, and the line each record starts on
eval "$(python3 - "$GSC" <<'EOF'
import csv, io, sys
text = open(sys.argv[1], encoding='utf-8', newline='').read()
rows = list(csv.reader(io.StringIO(text, newline='')))
print('n_queries=%d' % (len(rows) - 1))
nl = [r[0] for r in rows[1:] if '\n' in r[0]]
print('n_newline=%d' % len(nl))
q = nl[-1]
line = text[:text.index('"' + q)].count('\n') + 1
pos = [r[4] for r in rows if r[0] == q][0]
print("nl_query='%s'" % q.replace("'", "'\\''"))
print('nl_line=%d nl_pos=%s' % (line, pos))
for k in ('adelphi living', 'adelphi', 'ndis provider"'):
    print("pos_%s=%s" % (k.split()[-1].strip('"'), [r[4] for r in rows if r[0] == k][0]))
EOF
)"
expect "795 queries, some holding a newline" "$n_queries $n_newline" "795 2"

run_ok "init" init --goal sales
run_ok "promoter" staff add lina --name Lina --position promoter
run_ok "other promoter" staff add bo --name Bo --position promoter
run_fail "no dates without --date" 1 'gsc_Queries_jfaccioli.csv:1: the file has no dates .*--date' import ranks "$GSC"
run_ok "own keyword" own keyword "Adelphi Living" --who lina
run_ok "own keyword 2" own keyword adelphi --who lina
run_ok "own a quoted keyword" own keyword 'ndis provider"' --who bo
run_ok "own the query with a newline" own keyword "$nl_query" --who bo
run_ok "gsc with --date" import ranks "$GSC" --date 2026-11-30
contains "preset" "$T/out" "imported 4 measurements .*preset search-console"
contains "unowned keywords told" "$T/err" "$n_queries keywords: 4 owned by a promoter and measured, $((n_queries - 4)) owned by no one"
expect "lina's keywords (case ignored), lines 2 and 3" "$(kw lina)" "2026-11-30@2=$pos_living 2026-11-30@3=$pos_adelphi"
expect "bo's keywords, the newline query on its first line" "$(kw bo)" "$(python3 -c "
import sys
a = sorted([(int(sys.argv[1]), sys.argv[2]), (611, sys.argv[3])])
print(' '.join('2026-11-30@%d=%s' % (l, float(p)) for l, p in a))" "$nl_line" "$nl_pos" "$pos_provider")"
run_ok "score" score 2026-11 --who lina --json
mean=$(python3 -c "import json,sys
d=json.load(open(sys.argv[1]))
print('%.4f' % [i['actual'] for p in d['people'] for i in p['indicators'] if i['key']=='keyword_rank'][0])" "$T/out")
expect "keyword_rank is the mean position" "$mean" "$(python3 -c "print('%.4f' % ((float('$pos_living') + float('$pos_adelphi')) / 2))")"

cat > ranks.csv <<'EOF'
date,keyword,position
2026-11-01,adelphi,4
2026-11-02,adelphi,3.5
2026-11-02,shoes,12
EOF
run_ok "generic ranks" import ranks ranks.csv
contains "one unowned" "$T/err" "3 keywords: 2 owned by a promoter and measured, 1 owned by no one"
run_fail "--date with dates" 1 'date is for files without dates' import ranks ranks.csv --date 2026-11-01 --replace
printf 'date,keyword,position\n2026-11-01,adelphi,0\n' > zero.csv
run_fail "position 0" 1 'zero.csv:2:3: position "0" is not a search position' import ranks zero.csv
printf 'date,keyword,position\n2026-11-01,,3\n' > nokw.csv
run_fail "empty keyword" 1 'nokw.csv:2:2: the keyword is empty' import ranks nokw.csv
printf 'Top queries,Clicks,Impressions,CTR,Position\nadelphi,1,2,50%%,1.5x\n' > gscbad.csv
run_fail "gsc bad position" 1 'gscbad.csv:2:5: position "1.5x" is not a number' import ranks gscbad.csv --date 2026-11-30

finish

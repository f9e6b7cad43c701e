# import tasks: the real GitLab, Jira Cloud and Jira Server exports as they
# are (none has a due date: every task is reported, none guessed), the same
# layouts with due dates filled in, Redmine and the generic layout; on time
# means done on or before the due day.
. "$(dirname "$0")/lib.sh"

REAL=${SHARED:?}/data/real
GITLAB=$REAL/gitlab_csv_gitlab_export.csv
JCLOUD=$REAL/jira_cloud_export_defect-analysis.csv
JSERVER=$REAL/jira_server_export_DuplicateBugs.csv
q() { sqlite3 "$MERIT_DB" "$1"; }
# count and sum of an indicator's measurements (value/denominator) for a login
ind() { q "select count(*) || ' ' || coalesce(sum(value), 0) || '/' || coalesce(sum(denominator), 0) from measurement m join subject s on s.id = m.subject_id where s.indicator = '$1' and ifnull(s.login, '') = '$2'"; }
# count(FILE, EXPR over rows r) with Python's csv module, BOM dropped
pycount() { python3 -c "import csv,sys
rows=list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
h=rows[0]; rows=rows[1:]
print($2)" "$1"; }

run_ok "init" init --goal sales
run_ok "developer" staff add dev --name Dev --position developer
run_ok "designer" staff add des --name Des --position designer
run_ok "tracker name" own tracker aurora_hahn --who dev

# ---- the real files, as they are ----
n=$(pycount "$GITLAB" "sum(1 for r in rows if not r[h.index('Due Date')])")
# nothing counted: no batch is made (SPEC 5), and the notes say why
run_fail "gitlab real" 1 "nothing to count, so no batch was made: no row gave a measurement" import tasks "$GITLAB"
contains "gitlab preset" "$T/err" "not used by the gitlab preset"
contains "gitlab: tasks without due date reported" "$T/err" "$n tasks have no due date and are not counted \\(1, 3, 34, 35\\)"

n=$(pycount "$JCLOUD" "len(rows)")
run_fail "jira cloud real" 1 "nothing to count, so no batch was made: no row gave a measurement" import tasks "$JCLOUD"
contains "jira preset" "$T/err" "not used by the jira preset"
contains "jira cloud: every task reported" "$T/err" "$n tasks have no due date .*no due-date column"
expect "jira cloud: 324 issues" "$n" "324"

n=$(pycount "$JSERVER" "sum(1 for r in rows if not any(r))")
run_fail "jira server real" 1 "nothing to count, so no batch was made: no row gave a measurement" import tasks "$JSERVER"
contains "jira server: the one task reported" "$T/err" "1 tasks have no due date and are not counted \\(A-3367\\)"
contains "jira server: rows of commas told" "$T/err" "$n empty rows ignored"
expect "jira server: 739 rows of commas" "$n" "739"
expect "nothing measured from the real files" "$(q 'select count(*) from measurement')" "0"

# ---- GitLab layout with due dates ----
python3 - "$GITLAB" > gitlab.csv <<'EOF'
import csv, sys
h = next(csv.reader(open(sys.argv[1], newline='')))
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(h)
def row(iid, user, due, closed, labels=''):
    r = dict.fromkeys(h, '')
    r.update({'Issue ID': iid, 'Title': 't' + iid, 'State': 'Closed' if closed else 'Open',
              'Assignee Username': user, 'Due Date': due, 'Closed At (UTC)': closed,
              'Labels': labels})
    w.writerow([r[c] for c in h])
row('1', 'aurora_hahn', '2026-11-10', '2026-11-09 10:00:00')      # early
row('2', 'aurora_hahn', '2026-11-10', '2026-11-10 23:59:59')      # on the day
row('3', 'aurora_hahn', '2026-11-10', '2026-11-11 00:00:01')      # a second late
row('4', 'aurora_hahn', '2026-11-12', '')                         # not done
row('5', 'aurora_hahn', '', '2026-11-01 09:00:00')                # no due date
row('6', 'reynalda_howe', '2026-11-10', '')                       # no rule
row('7', 'reynalda_howe', '2026-11-11', '')
row('8', 'aurora_hahn', '2026-11-20', '2026-11-19 08:00:00', 'Design,UI')
row('9', '', '2026-11-20', '')                                    # no assignee
EOF
run_ok "gitlab with due dates" import tasks gitlab.csv
expect "task_completion: 3 of 5 on time" "$(ind task_completion dev)" "5 3.0/5.0"
expect "design task" "$(ind design_completion dev)" "1 1.0/1.0"
contains "unmapped name told once, with its count" "$T/err" 'tracker "reynalda_howe" is not mapped to a login .*: 2 rows not attributed'
expect "told once" "$(grep -c reynalda_howe "$T/err")" "1"
contains "no due date" "$T/err" "1 tasks have no due date and are not counted \\(5\\)"
contains "no assignee" "$T/err" "1 tasks with a due date have no assignee"
expect "dated on the due day, traced to the line" "$(q "select group_concat(date(day * 86400, 'unixepoch') || '@' || line || '=' || value, ' ') from (select * from measurement m join subject s on s.id = m.subject_id where s.indicator = 'task_completion' order by line)")" \
	"2026-11-10@2=1.0 2026-11-10@3=1.0 2026-11-10@4=0.0 2026-11-12@5=0.0 2026-11-20@9=1.0"
run_ok "score" score 2026-11 --who dev --json
actual=$(python3 -c "import json,sys
d=json.load(open(sys.argv[1]))
print('%g' % [i['actual'] for p in d['people'] for i in p['indicators'] if i['key']=='task_completion'][0])" "$T/out")
expect "scored as 100 x 3 / 5" "$actual" "60"

# ---- Jira Server layout (102 columns, Labels x4, dd/mm/yyyy HH:MM) ----
python3 - "$JSERVER" > jserver.csv <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
h, r = rows[0], rows[1]
r[h.index('Due Date')] = '20/11/2026 00:00'
r[h.index('Resolved')] = '19/11/2026 15:26'
r[h.index('Labels') + 2] = 'web-design'            # the third of four Labels columns
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(h); w.writerow(r)
for x in rows[2:]:
    w.writerow(x)
EOF
run_ok "designer's tracker name" own tracker xyz --who des
run_ok "jira server with due date" import tasks jserver.csv
expect "design task found in a repeated Labels column" "$(ind design_completion des)" "1 1.0/1.0"
expect "task on its due day, line 2" "$(q "select date(day * 86400, 'unixepoch') || '@' || line from measurement m join subject s on s.id = m.subject_id where s.indicator = 'task_completion' and s.login = 'des'")" "2026-11-20@2"

# ---- Jira Cloud layout, dd/Mon/yy h:mm AM dates ----
cat > jcloud.csv <<'EOF'
Issue Type,Issue key,Issue id,Summary,Assignee,Due date,Resolved
Design,K-1,1,Logo,Des Igner,20/Nov/26 12:00 AM,21/Nov/26 3:29 PM
Task,K-2,2,"Fix ""login"", again",Des Igner,21/Nov/26 12:00 AM,21/Nov/26 9:00 AM
EOF
run_ok "designer's other name" own tracker "Des Igner" --who des
run_ok "jira cloud with dates" import tasks jcloud.csv
expect "late design task" "$(ind design_completion des)" "2 1.0/2.0"
expect "all of des's tasks" "$(ind task_completion des)" "3 2.0/3.0"

# ---- Jira's Status: a cancelled issue is no missed task (it was one) ----
cat > jstatus.csv <<'EOF'
Issue Type,Issue key,Issue id,Summary,Status,Resolution,Assignee,Due date,Resolved
Task,K-3,3,Dropped,Cancelled,Won't Do,Des Igner,15/Nov/26 12:00 AM,
Task,K-4,4,Shipped,Done,Done,Des Igner,15/Nov/26 12:00 AM,14/Nov/26 3:29 PM
EOF
run_ok "jira status read" import tasks jstatus.csv
contains "status is a jira column" "$T/err" 'not used by the jira preset: "Issue id", "Summary", "Resolution"$'
contains "the cancelled one told" "$T/err" 'status "Cancelled" means cancelled: 1 tasks not counted'
expect "des: the done one counted, the cancelled one not" "$(ind task_completion des)" "4 3.0/4.0"

# ---- Redmine ----
cat > redmine.csv <<'EOF'
#,Project,Tracker,Status,Subject,Assignee,Due date,Closed
101,Web,Feature,Closed,Checkout,aurora_hahn,2026-11-25,2026-11-24 10:00 AM
102,Web,Design,New,Banner,Des Igner,2026-11-26,
EOF
run_ok "redmine" import tasks redmine.csv
contains "redmine preset" "$T/out" "preset redmine"
expect "redmine: dev" "$(ind task_completion dev)" "6 4.0/6.0"
expect "redmine: design tracker" "$(ind design_completion des)" "3 1.0/3.0"

# ---- generic, with first reviews ----
cat > generic.csv <<'EOF'
key,assignee,type,labels,due,done,first_review
G-1,Des Igner,design,,2026-11-05,2026-11-04,yes
G-2,Des Igner,,Design,2026-11-06,2026-11-08,no
G-3,aurora_hahn,bug,,2026-11-06,2026-11-06,yes
EOF
run_ok "generic" import tasks generic.csv
expect "design_approval: 1 of 2 at first review" "$(ind design_approval des)" "2 1.0/2.0"
expect "approval dated when done" "$(q "select group_concat(date(day * 86400, 'unixepoch'), ' ') from (select day from measurement m join subject s on s.id = m.subject_id where s.indicator = 'design_approval' order by day)")" "2026-11-04 2026-11-08"

printf 'key,assignee,due,done,first_review\nX,Des Igner,2026-11-05,2026-11-04,maybe\n' > review.csv
# a verdict no table knows is told with its count, not guessed (t0260 has more)
run_ok "unknown review" import tasks review.csv
contains "unknown review told" "$T/err" 'review.csv: first_review "maybe" is not a value merit knows: 1 first reviews not counted; say what it means with --value .first_review:maybe=MEANING. \(approved or rejected\)'
run_ok "rm it" batch rm "$(sqlite3 "$MERIT_DB" 'select max(id) from batch')"
printf 'key,assignee,due\nX,Des Igner,2026-11-05\n' > nodone.csv
run_fail "generic needs done" 1 'nodone.csv:1: 1 required column missing: "done"\. tasks files \(generic layout\) need assignee, due, done' import tasks nodone.csv
printf 'key,assignee,due,done\nA,Des Igner,2026-11-05,\nB,Des Igner,31/02/2026,\nC,Des Igner,2026-11-07,\n' > skip.csv
run_fail "bad due date" 1 'skip.csv:3:3: due "31/02/2026" is not a date' import tasks skip.csv
run_ok "skip bad" import tasks skip.csv --skip-bad
contains "skipped" "$T/err" 'skip.csv:3:3: .*row skipped'
contains "the rest imported" "$T/out" "imported 2 measurements .*1 bad rows skipped"
run_fail "ambiguous preset asked" 1 'no preset "jira-data" for tasks files; there are: generic, jira, gitlab, redmine' import tasks jcloud.csv --preset jira-data
run_fail "preset alias" 1 "nothing to count, so no batch was made: no row gave a measurement" import tasks "$JCLOUD" --preset jira-server --replace
run_fail "--date does not apply" 1 'date does not apply to tasks files' import tasks generic.csv --date 2026-11-01 --replace

# ---- an open task not due yet is not counted; approval only once done ----
run_ok "designer fut" staff add fut --name Fut --position designer
run_ok "fut's tracker name" own tracker "Fu Ture" --who fut
cat > due.csv <<'EOF'
key,assignee,type,labels,due,done,first_review
F-1,Fu Ture,design,,2099-01-10,,yes
F-2,Fu Ture,design,,2099-01-10,2026-11-02,yes
P-1,Fu Ture,,,2020-01-10,,
P-2,Fu Ture,design,,2020-01-11,,no
EOF
run_ok "due dates ahead and behind" import tasks due.csv
contains "not due yet told" "$T/err" "1 tasks not due yet"
expect "open and past due: 0; done ahead: 1" "$(ind task_completion fut)" "3 1.0/3.0"
expect "design: the same" "$(ind design_completion fut)" "2 1.0/2.0"
expect "approval only for the done task, on its day" "$(q "select group_concat(date(day * 86400, 'unixepoch') || '=' || value, ' ') from measurement m join subject s on s.id = m.subject_id where s.indicator = 'design_approval' and s.login = 'fut'")" "2026-11-02=1.0"

# ---- --skip-bad skips a whole row: every date checked before writing ----
run_ok "frozen designer" staff add fro --name Fro --position designer
run_ok "fro's tracker name" own tracker "Fro Zen" --who fro
run_ok "cycle open" cycle open 2020-03
run_ok "cycle review" cycle review 2020-03
run_ok "cycle close" cycle close 2020-03 --force
cat > frozen.csv <<'EOF'
key,assignee,type,labels,due,done,first_review
Z-1,Fro Zen,design,,2020-04-10,2020-03-15,yes
Z-2,Fro Zen,,,2020-04-11,2020-04-01,
EOF
run_fail "a done day in a closed cycle" 1 'frozen.csv:2:6: a measurement dated 2020-03-15: cycle 2020-03 is closed' import tasks frozen.csv
run_ok "skip bad, frozen" import tasks frozen.csv --skip-bad
contains "the done column named" "$T/err" 'frozen.csv:2:6: .*cycle 2020-03 is closed.*row skipped'
expect "nothing of the skipped row" "$(ind design_completion fro)" "0 0/0"
expect "the other row" "$(ind task_completion fro)" "1 1.0/1.0"

# ---- --preset must fit the header ----
run_fail "wrong preset named" 1 'not a gitlab export: the header lacks "Due Date" \(preset gitlab\); it looks like preset jira' import tasks "$JCLOUD" --preset gitlab
run_fail "jira named for gitlab" 1 'lacks "Issue key" \(preset jira\); it looks like preset gitlab' import tasks "$GITLAB" --preset jira

finish

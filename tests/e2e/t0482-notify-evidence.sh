# Evidence waiting for approval (issue 13, item 5): a member's submission
# through the web queues a notice to their manager in the submission's
# transaction — on the manager's own address, in its language; when the
# manager has none, on the team's channels, a group's without what was
# handed in — sent once; a submission refused or rolled back tells nobody;
# a reminder once evidence has waited evidence_days.  Against the real
# receivers of notify_lib.sh (the same as t0480).
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
. "$root/tests/e2e/notify_lib.sh"

recv_start
run_ok "init" init --goal brand
run_ok "boss" staff add boss --name "Zhao Boss" --position manager
run_ok "wang, under boss" staff add wang --name "王芳" --position manager --manager boss
run_ok "lina, under wang" staff add lina --name "李娜" --position promoter --manager wang
run_ok "sun, under boss" staff add sun --name "Sun Hao" --position promoter --manager boss
for u in owner:admin wang:manager lina:member sun:member; do
	printf 'pw-%s-secret\n' "${u%%:*}" | "$MERIT" user add "${u%%:*}" --role "${u#*:}" \
		>"$T/out" 2>"$T/err" || fail "user add $u: $(cat "$T/err")"
done
run_ok "smtp_url" notify set smtp_url "smtp://127.0.0.1:$SMTP"
run_ok "smtp_from" notify set smtp_from merit@example.com
run_ok "smtp_user" notify set smtp_user merit
run_ok "smtp_cafile" notify set smtp_cafile "$T/cert.pem"
run_ok "base_url" notify set base_url http://merit.example:8080
run_ok "the team's address" notify add email team@example.com
run_ok "wang's address, in Chinese" notify add email wang@example.com --who wang --lang zh-CN
run_ok "WeCom" notify add wecom "http://127.0.0.1:$HTTP/cgi-bin/webhook/send?key=k-1"
run_ok "DingTalk, signed" notify add dingtalk "http://127.0.0.1:$HTTP/robot/send?access_token=t-1" --secret "$DING"
run_ok "Feishu, signed" notify add feishu "http://127.0.0.1:$HTTP/open-apis/bot/v2/hook/h-1" --secret "$FEISHU"
run_ok "evidence_days is a setting" notify list --json
contains "its default is 3" "$T/out" '"evidence_days": "3"'
run_fail "evidence_days 0 is refused" 2 'evidence_days "0"' notify set evidence_days 0
# the cycle's own notices are sent and out of the way
P=$(date +%Y-%m)
run_ok "open $P" cycle open "$P"
run_ok "the cycle's notices" notify run
q "DELETE FROM outbox"
: >"$LOG"
DAY=$(date +%F)

serve_start
# submit WHO BODY — POST /api/evidence as WHO; prints the status
submit() {
	"$NPY" - "$root/tests/web" "$url" "$1" "$2" <<'PYEOF'
import sys, urllib.parse
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, sys.argv[1])
import webtest
u = urllib.parse.urlsplit(sys.argv[2])
s = webtest.Session(u.hostname, u.port, sys.argv[3], "pw-%s-secret" % sys.argv[3])
st, _, body, _ = s.call("POST", "/api/evidence", sys.argv[4], "application/json")
print(st, body.decode())
PYEOF
}
POST1="{\"kind\": \"post\", \"url\": \"https://weibo.example/p/77\", \"platform\": \"weibo\", \"date\": \"$DAY\"}"

# ---- rolled back: no evidence, no notice ----
inserts_fail outbox
r=$(submit lina "$POST1")
case $r in 201*) fail "the submission succeeded though its notice failed: $r" ;; *) ok ;; esac
inserts_fail_off outbox
expect "the submission was rolled back with its notice" "$(q 'select count(*) from evidence')" 0
expect "nothing queued" "$(q 'select count(*) from outbox')" 0

# ---- lina's post: her manager wang hears, on his address, in Chinese ----
r=$(submit lina "$POST1")
case $r in 201*) ok ;; *) fail "lina's post was refused: $r" ;; esac
expect "one notice queued with the submission, for wang's address" \
	"$(q "select c.target || ' ' || o.key from outbox o join notify_channel c on c.id = o.channel_id")" \
	"wang@example.com evidence:1"
r=$(submit lina "$POST1")
case $r in 409*) ok ;; *) fail "the same URL again was not refused: $r" ;; esac
expect "a refused submission queues nothing" "$(q 'select count(*) from outbox')" 1

# ---- sun's topic: boss has no address, so the team's channels hear ----
r=$(submit sun "{\"kind\": \"topic\", \"title\": \"Spring launch 春季上新\", \"date\": \"$DAY\"}")
case $r in 201*) ok ;; *) fail "sun's topic was refused: $r" ;; esac
expect "the team's four channels, not wang's" \
	"$(q "select group_concat(c.kind, ',') from outbox o join notify_channel c on c.id = o.channel_id where o.key = 'evidence:2' and c.login is null")" \
	"email,wecom,dingtalk,feishu"
expect "and only those" "$(q "select count(*) from outbox where key = 'evidence:2'")" 4
serve_stop 'merit serve: POST /api/evidence: queuing the notice evidence:1: disk trouble'

run_ok "notify run" notify run
contains "five sent" "$T/out" '^merit: 5 sent, 0 to be tried again, 0 given up'
expect "wang got lina's post in Chinese, with its URL and a link" \
	"$(got email '"to": \["wang@example.com"\], "subject": "merit：李娜 提交了工作证明，等待审批".*weibo 上的推广帖 https://weibo.example/p/77.*查看：http://merit.example:8080/#/evidence')" 1
expect "the team's address got sun's topic in English, for boss" \
	"$(got email '"to": \["team@example.com"\], "subject": "merit: evidence from Sun Hao waits for approval".*for approval by boss: a topic, \\"Spring launch 春季上新\\"')" 1
for k in wecom dingtalk feishu; do
	expect "$k: sun's evidence waits, with a link" \
		"$(got $k 'Evidence #2 from Sun Hao waits for approval.*See http://merit.example:8080/#/evidence')" 1
	expect "$k: not what it counts" "$(got $k 'Spring launch')" 0
	expect "$k: nothing of lina's" "$(got $k '李娜')" 0
done
expect "no message failed its checks" "$(grep -c '"ok": false' "$LOG")" 0
run_ok "notify run again" notify run
contains "each sent once" "$T/out" '^merit: 0 sent'

# ---- a reminder after evidence_days; none for evidence decided ----
q "UPDATE evidence SET submitted_at = '$(date -u -d '-4 days' +%Y-%m-%dT%H:%M:%S.000Z)'"
q "UPDATE evidence SET state = 'approved', decided_by = 'owner' WHERE id = 2"
run_ok "evidence_days 5" notify set evidence_days 5
run_ok "4 days: no reminder yet" notify run
contains "nothing queued" "$T/out" '^merit: 0 sent'
run_ok "evidence_days 4" notify set evidence_days 4
run_ok "the pass reminds" notify run
contains "one reminder sent" "$T/out" '^merit: 1 sent'
expect "wang is reminded of #1, in Chinese" \
	"$(got email '"to": \["wang@example.com"\], "subject": "merit：李娜 提交的工作证明已等待审批 4 天"')" 1
expect "no reminder of approved evidence" "$(got email 'Sun Hao has waited')" 0
run_ok "and not twice" notify run
contains "nothing more" "$T/out" '^merit: 0 sent'
recv_stop
finish

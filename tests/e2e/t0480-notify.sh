# merit notify: notices through the outbox to real receivers on 127.0.0.1
# (tests/web/notify_receivers.py): an SMTP server that insists on STARTTLS
# and a login, and the WeCom, DingTalk and Feishu bots checking payloads
# and signatures as their vendors document them.  Delivery, in each
# channel's language; nothing for a change rolled back; retries after an
# outage; no duplicate after kill -9 of the sender; the periodic notices
# from `merit serve`, once each; no score in a group's message; each send
# and each notice given up in the audit log.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

. "$root/tests/e2e/notify_lib.sh"

recv_start
run_ok "init" init --goal sales
run_ok "a reviewer" staff add boss --name "Zhao Boss" --reviewer
run_ok "the manager" staff add wang --name "Wang Fang" --position manager --manager boss
run_ok "a promoter" staff add lina --name "Li Na" --position promoter --manager wang

# ---- channels and settings ----
run_ok "smtp_url" notify set smtp_url "smtp://127.0.0.1:$SMTP"
run_ok "smtp_from" notify set smtp_from merit@example.com
run_ok "smtp_user" notify set smtp_user merit
run_ok "smtp_cafile" notify set smtp_cafile "$T/cert.pem"
run_ok "base_url" notify set base_url http://merit.example:8080/
run_ok "a team address" notify add email boss@example.com
run_ok "lina's address, in Chinese" notify add email lina@example.com --who lina --lang zh-CN
run_ok "WeCom" notify add wecom "http://127.0.0.1:$HTTP/cgi-bin/webhook/send?key=k-1"
run_ok "DingTalk, signed" notify add dingtalk "http://127.0.0.1:$HTTP/robot/send?access_token=t-1" --secret "$DING"
run_ok "Feishu, signed" notify add feishu "http://127.0.0.1:$HTTP/open-apis/bot/v2/hook/h-1" --secret "$FEISHU"
run_ok "notify list --json" notify list --json
contains "five channels" "$T/out" '"id": 5'
contains "secrets are not shown" "$T/out" '"secret": true'
if grep -q "$DING" "$T/out"; then fail "notify list shows a secret"; else ok; fi
if q "select after from audit" | grep -q "$DING"; then fail "the audit log holds a secret"; else ok; fi
run_fail "an unknown kind" 2 'say email, wecom' notify add slack https://x.example/
run_fail "--secret with WeCom" 2 'secret goes with dingtalk and feishu' notify add wecom https://x.example/ --secret s
run_fail "not an address" 2 'not an e-mail address' notify add email nobody
run_fail "--who with a group" 2 'who goes with email' notify add feishu https://x.example/ --who lina
run_fail "--who unknown" 1 'unknown login "nobody"' notify add email n@example.com --who nobody
run_fail "a channel twice" 1 'is a channel already' notify add email boss@example.com
run_fail "an unknown setting" 2 'no notice setting "colour"' notify set colour red
run_fail "a bad number" 2 'attempts "many"' notify set attempts many
run_fail "rm of no channel" 1 'no notice channel 99' notify rm 99
run_fail "no header smuggled in" 2 'smtp_from: a control character' notify set smtp_from "$(printf 'a@example.com\r\nBcc: x@example.com')"

B=$(date -d "-90 days" +%Y-%m)
AF=$(date -d "-10 days" +%F)
AT=$(date -d "+3 days" +%F)

# ---- a change rolled back tells nobody ----
# the outbox row of the last channel fails: the rows queued before it in
# the same transaction, and the cycle itself, are rolled back
inserts_fail outbox "NEW.channel_id = 5"
m cycle open "$B"
expect "the open fails" "$rc" 1
inserts_fail_off outbox
expect "no cycle was opened" "$(q 'select count(*) from cycle')" 0
expect "no notice was queued" "$(q 'select count(*) from outbox')" 0
run_fail "a cycle of another length, unconfirmed" 1 'yes' cycle open "$AF..$AT"
expect "still no notice" "$(q 'select count(*) from outbox')" 0
run_ok "notify run with nothing queued" notify run
contains "nothing sent" "$T/out" '0 sent'
expect "nothing received" "$(wc -l <"$LOG")" 0

# ---- delivery ----
run_ok "open $B" cycle open "$B"
expect "five notices queued with the open" "$(q "select count(*) from outbox where state = 'pending'")" 5
run_ok "notify run" notify run
contains "five sent" "$T/out" '^merit: 5 sent, 0 to be tried again, 0 given up'
for k in wecom dingtalk feishu; do
	expect "$k got 'is open' once, signed as documented" "$(got $k "cycle $B is open")" 1
	expect "$k's text links to the web app" "$(got $k "See http://merit.example:8080/#/dashboard")" 1
done
expect "no message failed its checks" "$(grep -c '"ok": false' "$LOG")" 0
expect "the team's address, in English, over STARTTLS" \
	"$(got email "\"to\": \[\"boss@example.com\"\], \"subject\": \"merit: cycle $B is open\"" )" 1
expect "lina's, in Chinese" \
	"$(got email "\"to\": \[\"lina@example.com\"\], \"subject\": \"merit：考核周期 $B 已开始\"")" 1
expect "every mail came over TLS" "$(grep '"kind": "email"' "$LOG" | grep -c '"tls": true')" 2
expect "five sends audited" "$(q "select count(*) from audit where action = 'notify sent'")" 5
expect "all marked sent" "$(q "select count(*) from outbox where state = 'sent' and sent_at is not null")" 5

# ---- an outage: tried again with backoff, then delivered ----
recv_stop
run_ok "to review" cycle review "$B"
run_ok "notify run --once, receivers down" notify run --once
contains "none sent, all to be tried again" "$T/out" '^merit: 0 sent, 5 to be tried again'
expect "the failure is kept" "$(q "select count(*) from outbox where state = 'pending' and attempts = 1 and last_error is not null")" 5
expect "a try to be repeated is not a send" "$(q "select count(*) from audit where action like 'notify %' and object like 'notice%'")" 5
recv_start
run_ok "a short backoff" notify set retry_seconds 1
run_ok "notify run after the outage" notify run
contains "all five sent" "$T/out" '^merit: 5 sent'
for k in wecom dingtalk feishu email; do
	expect "$k got 'in review' once" "$(got $k "$B .*\(review\|评议\)")" $([ $k = email ] && echo 2 || echo 1)
done

# ---- kill -9 of the sender between two tries: nothing twice ----
touch "$LOG.refuse-wecom"
run_ok "backoff of 2 s" notify set retry_seconds 2
run_ok "close $B" cycle close "$B" --force
"$MERIT" notify run >"$T/sender.out" 2>&1 &
sender=$!
_i=0
while [ $_i -lt 300 ]; do
	[ "$(q "select count(*) from outbox where key like 'cycle:$B:closed:%' and (state = 'sent' or attempts >= 1)")" = 5 ] && break
	sleep 0.1
	_i=$((_i + 1))
done
expect "four sent, WeCom refused and waiting" \
	"$(q "select state || attempts from outbox o join notify_channel c on c.id = o.channel_id where key like 'cycle:$B:closed:%' and kind = 'wecom'")" pending1
run_fail "one sender at a time" 1 'another merit .* is sending' notify run --once
kill -9 "$sender"
wait "$sender" 2>/dev/null
sender=""
rm -f "$LOG.refuse-wecom"
run_ok "notify run after the kill" notify run
contains "only WeCom's is sent now" "$T/out" '^merit: 1 sent'
for k in wecom dingtalk feishu; do
	expect "$k got 'is closed' once" "$(got $k "cycle $B is closed")" 1
done
expect "each address got 'is closed' once" "$(got email "$B")" 6

# ---- the periodic notices, from merit serve; a group never sees a number ----
run_ok "deadline = the cycle's last day" notify set review_days 0
run_ok "team sales far behind" record online_sales 1234.5 --team --date "$(date -d '-5 days' +%F)"
run_ok "lina's posts" record promo_posts 37 --who lina --date "$(date -d '-4 days' +%F)"
run_ok "lina's customers" record online_customers 20 --who lina --date "$(date -d '-4 days' +%F)"
printf 'owner-pass-1\n' | "$MERIT" user add owner --role admin >/dev/null 2>&1 || fail "user add"
"$MERIT" serve --listen 127.0.0.1:0 --notify-every 1 >"$T/serve.out" 2>"$T/serve.err" &
spid=$!
serve_wait "$T/serve.err" "$spid"
# the web's cycle route moves the cycle through the same engine function,
# which queues the notices in its transaction
web=$("$NPY" - "$root/tests/web" "$url" "$AF..$AT" <<'PYEOF'
import sys, urllib.parse
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, sys.argv[1])
import webtest
u = urllib.parse.urlsplit(sys.argv[2])
s = webtest.Session(u.hostname, u.port, "owner", "owner-pass-1")
st, _, body, _ = s.call("POST", "/api/cycles", {"period": sys.argv[3], "action": "open",
                                                 "confirm": True})
print(st, body.decode())
PYEOF
)
case $web in 200*) ok ;; *) fail "the web did not open the cycle: $web" ;; esac
run_ok "wang rates lina" rate lina --period "$AF..$AT" --by manager --criterion analysis=4 --criterion strategy=3 --criterion execution=5
run_ok "lina's score" score "$AF..$AT" --json
fs=$("$NPY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(next(p["final_score"] for p in d["people"] if p["login"] == "lina"))' "$T/out")
case $fs in [0-9]*) ok ;; *) fail "lina has no final score: $fs" ;; esac
_i=0
while [ $_i -lt 300 ]; do
	[ "$(got feishu 'behind')" -ge 1 ] && [ "$(got email '还有 3 天截止评分')" -ge 1 ] && break
	sleep 0.1
	_i=$((_i + 1))
done
kill "$spid"
wait "$spid"
expect "serve stops cleanly" "$?" 0
spid=""
for k in wecom dingtalk feishu; do
	expect "serve sent the web's 'opened' to $k" "$(got $k "cycle $AF..$AT is open")" 1
done
expect "the team's address hears the figures" "$(got email 'is 1234.5 after 11 of 14 days')" 1
for k in wecom dingtalk feishu; do
	expect "$k: sales at risk, once, without figures" "$(got $k "team's Online sales revenue is behind its pro-rated target")" 1
	expect "$k: ratings due in 3 days" "$(got $k 'ratings due in 3 days')" 1
done
grep -E '"kind": "(wecom|dingtalk|feishu)"' "$LOG" >"$T/groups"
if grep -q -e '1234' -e "$fs" -e '"Li Na' "$T/groups"; then
	fail "a group message carries a figure or a score: $(grep -e 1234 -e "$fs" "$T/groups")"
else ok; fi
if grep -q -e "$fs" "$LOG"; then fail "a notice carries lina's score $fs"; else ok; fi
expect "lina is told in Chinese what she owes" "$(got email '你在 .* 还有以下评分未完成.*自评')" 1
run_ok "the pass again" notify run --once
if grep -q queued "$T/out"; then fail "periodic notices were queued twice: $(cat "$T/out")"; else ok; fi
contains "nothing more to send" "$T/out" '^merit: 0 sent'

# ---- a stale source ----
printf 'date,indicator,login,value,denominator\n%s,opportunities,,3,\n' "$(date -d '-6 days' +%F)" >leads.csv
run_ok "an import" import measurements leads.csv
q "UPDATE batch SET created_at = '$(date -u -d '-5 days' +%Y-%m-%dT%H:%M:%S.000Z)' WHERE source = 'measurements'"
run_ok "stale after 3 days" notify set stale_days 3
run_ok "the pass finds it" notify run
contains "stale notices queued" "$T/out" 'notices queued'
expect "WeCom hears of it" "$(got wecom 'no measurements data for 5 days')" 1
run_ok "and not twice" notify run
if grep -q queued "$T/out"; then fail "the stale source was told twice"; else ok; fi

# ---- test, and a notice given up ----
run_ok "notify test" notify test 3
expect "the test reaches WeCom" "$(got wecom 'a test notice')" 1
DEAD=$(free_port)
run_ok "a bot that is not there" notify add wecom "http://127.0.0.1:$DEAD/cgi-bin/webhook/send?key=gone"
run_ok "one try only" notify set attempts 1
m notify test 6
expect "notify test of a dead channel fails" "$rc" 1
contains "it is given up" "$T/out" '1 given up'
expect "the giving up is audited" "$(q "select count(*) from audit where action = 'notify failed'")" 1
run_ok "notify list --outbox" notify list --outbox
contains "the outbox shows it failed" "$T/out" 'failed.*Failed to connect'
run_ok "rm the dead channel" notify rm 6
expect "its notice goes with it" "$(q "select count(*) from outbox where channel_id = 6")" 0

# ---- every send audited ----
expect "one audit record per send" "$(q "select count(*) from audit where action = 'notify sent'")" \
	"$(q "select count(*) from outbox where state = 'sent'")"
expect "every received message was a sent one" "$(grep -c '"ok": true' "$LOG")" \
	"$(q "select count(*) from outbox where state = 'sent'")"
run_ok "notify --help" notify --help
contains "help names the settings" "$T/out" 'retry_seconds'
recv_stop
finish

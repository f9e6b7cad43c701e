"""notify_receivers.py — the far ends of merit's notices, on 127.0.0.1, for
tests/e2e/t0480-notify.sh: an SMTP server that insists on STARTTLS and a
login (Debian's python3-aiosmtpd), and one HTTP server playing the WeCom,
DingTalk and Feishu group bots.  Each bot checks the request as its vendor
documents it and answers as the vendor does:

- WeCom 企业微信 群机器人 (https://developer.work.weixin.qq.com/document/path/91770):
  POST JSON {"msgtype": "text", "text": {"content": ...}} to
  .../cgi-bin/webhook/send?key=KEY; answer {"errcode": 0, "errmsg": "ok"}.
- DingTalk 钉钉 自定义机器人, 加签
  (https://open.dingtalk.com/document/robots/customize-robot-security-settings,
  quoted at https://apifox.com/apidoc/docs-site/467052/doc-3550006):
  URL .../robot/send?access_token=T&timestamp=MS&sign=S where MS is Unix
  time in milliseconds (within an hour) and S = urlEncode(Base64(
  HmacSHA256(key=secret, message=MS + "\n" + secret))); body
  {"msgtype": "text", "text": {"content": ...}}; answer {"errcode": 0, ...},
  a bad signature {"errcode": 310000, "errmsg": "sign not match"}.
- Feishu 飞书 自定义机器人, 签名校验
  (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot,
  quoted at https://m.down10s.com/jiaocheng/5605312225.html):
  body {"timestamp": "S", "sign": B, "msg_type": "text", "content":
  {"text": ...}} where S is Unix time in seconds (within an hour) and B =
  Base64(HmacSHA256(key=S + "\n" + secret, message="")); answer
  {"code": 0, "msg": "success", "data": {}}, a bad signature code 19021.

Every message that passes its checks is one JSON line in LOG ("kind",
"text", and for mail "to", "subject", "tls"); one that fails is logged with
"ok": false and "why".  While a file LOG.refuse-KIND exists, bot KIND
answers with its error code (the vendor's way to refuse).

usage: notify_receivers.py LOG HTTP_PORT SMTP_PORT CERT KEY DING_SECRET
                           FEISHU_SECRET SMTP_USER SMTP_PASSWORD
Prints "ready" once both listen; stops on SIGTERM.
"""
import base64
import email
import email.policy
import hashlib
import hmac
import http.server
import json
import os
import signal
import ssl
import sys
import threading
import time
import urllib.parse

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LOG, HTTP_PORT, SMTP_PORT, CERT, KEY, DING, FEISHU, USER, PASSWORD = sys.argv[1:10]
lock = threading.Lock()


def record(entry):
    with lock, open(LOG, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def b64hmac(key, msg):
    return base64.b64encode(hmac.new(key.encode(), msg.encode(), hashlib.sha256).digest()).decode()


def fresh(ts, unit):
    return abs(time.time() - int(ts) / unit) < 3600


class Bots(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, obj):
        data = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        raw_q = dict(p.split("=", 1) for p in url.query.split("&") if "=" in p)
        q = urllib.parse.parse_qs(url.query)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ctype = self.headers.get("Content-Type", "")
        why = None
        try:
            msg = json.loads(body)
        except ValueError:
            msg, why = {}, "body is not JSON"
        if url.path.startswith("/cgi-bin/webhook/send"):
            kind, fail = "wecom", {"errcode": 93000, "errmsg": "invalid webhook url"}
            if "key" not in q:
                why = why or "no key= in the URL"
            elif set(msg) != {"msgtype", "text"} or msg.get("msgtype") != "text" or \
                    not isinstance(msg["text"].get("content"), str):
                why = why or "not {msgtype: text, text: {content}}: %r" % msg
            text = msg.get("text", {}).get("content")
        elif url.path.startswith("/robot/send"):
            kind, fail = "dingtalk", {"errcode": 310000, "errmsg": "sign not match"}
            ts = q.get("timestamp", ["0"])[0]
            want = urllib.parse.quote_plus(b64hmac(DING, ts + "\n" + DING))
            if "access_token" not in q:
                why = why or "no access_token= in the URL"
            elif raw_q.get("sign") != want or not fresh(ts, 1000):
                why = why or "sign %r, wanted %r (timestamp %s)" % (raw_q.get("sign"), want, ts)
            elif set(msg) != {"msgtype", "text"} or msg.get("msgtype") != "text" or \
                    not isinstance(msg["text"].get("content"), str):
                why = why or "not {msgtype: text, text: {content}}: %r" % msg
            text = msg.get("text", {}).get("content")
        elif url.path.startswith("/open-apis/bot/v2/hook/"):
            kind = "feishu"
            fail = {"code": 19021, "msg": "sign match fail or timestamp is not within one "
                    "hour from current time"}
            ts = msg.get("timestamp", "0")
            want = b64hmac(ts + "\n" + FEISHU, "") if isinstance(ts, str) else None
            if not isinstance(ts, str) or msg.get("sign") != want or not fresh(ts, 1):
                why = why or "sign %r, wanted %r (timestamp %r)" % (msg.get("sign"), want, ts)
            elif set(msg) != {"timestamp", "sign", "msg_type", "content"} or \
                    msg.get("msg_type") != "text" or \
                    not isinstance(msg["content"].get("text"), str):
                why = why or "not {msg_type: text, content: {text}}: %r" % msg
            text = msg.get("content", {}).get("text")
        else:
            self.send_response(404)
            self.end_headers()
            return
        if not ctype.startswith("application/json"):
            why = why or "Content-Type %r" % ctype
        if os.path.exists(LOG + ".refuse-" + kind):
            record({"kind": kind, "ok": False, "why": "refused (test)"})
            self.answer(fail)
            return
        record({"kind": kind, "ok": why is None, "why": why, "text": text})
        if why:
            self.answer(fail)
        elif kind == "feishu":
            self.answer({"code": 0, "msg": "success", "data": {}})
        else:
            self.answer({"errcode": 0, "errmsg": "ok"})


class Mail:
    async def handle_DATA(self, server, session, envelope):
        m = email.message_from_bytes(envelope.content, policy=email.policy.default)
        record({"kind": "email", "ok": session.ssl is not None, "tls": session.ssl is not None,
                "from": envelope.mail_from, "to": envelope.rcpt_tos, "subject": m["subject"],
                "text": m.get_content()})
        return "250 OK"


def auth(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login.decode() == USER and \
        data.password.decode() == PASSWORD
    return AuthResult(success=ok)


ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(CERT, KEY)
smtp = Controller(Mail(), hostname="127.0.0.1", port=int(SMTP_PORT), tls_context=ctx,
                  require_starttls=True, authenticator=auth, auth_required=True,
                  auth_require_tls=True)
smtp.start()
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", int(HTTP_PORT)), Bots)
signal.signal(signal.SIGTERM, lambda *a: (smtp.stop(), os._exit(0)))
print("ready", flush=True)
httpd.serve_forever()

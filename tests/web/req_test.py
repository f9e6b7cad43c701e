#!/usr/bin/env python3
"""req_test.py — requests refused before their work (issue 12, findings 4, 8, 10).

    python3 tests/web/req_test.py DBPATH MERIT_BINARY

DBPATH is a database with the admin boss (password pw-boss-secret),
prepared by tests/e2e/t0435-web-req.sh.  The test starts `merit serve` on
it itself, on 127.0.0.1:0 (it reads the server's memory in /proc), and
talks to it over raw loopback sockets:

- bodies announced to requests that cannot carry one, or to routes that
  need a session, from 200 connections at once: each is refused before a
  byte of the body is sent, and the server's memory stays put;
- request smuggling shapes (a length told twice or two ways, an unknown
  Transfer-Encoding): refused 400 with Connection: close, and the request
  sent behind on the same connection gets no answer;
- parse limits before parsing: a plan upload nested half a megabyte deep,
  one of more than 200,000 values, a JSON body nested past jansson's
  depth limit: refused with a clear message.

Prints "ok N - what" or "not ok N - what: why" per check; exits 1 when
any failed.  Python 3 standard library only; every wait is bounded.
"""
import json
import os
import re
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import webtest  # noqa: E402
from webtest import check, note  # noqa: E402

if len(sys.argv) != 3:
    sys.exit("usage: req_test.py DBPATH MERIT_BINARY")
DB, MERIT = sys.argv[1:3]
webtest.configure(MERIT, DB)
HOST = "127.0.0.1"
MIB = 1 << 20
RSS_BOUND_MIB = 20            # the server's growth allowed while 200 bodies are announced
# what the server may say on stderr besides webtest.SERVER_LOG_OK
LOG_OK = re.compile(r"^merit serve: Error processing request \(HTTP response code is 4")
BAD_WORDS = ["sqlite", "SQL", "jansson", "JSON_", "libyaml", "yaml_", ".c:", "0x"]

# ---- the server ----

class Server(webtest.Server):
    def __init__(self):
        super().__init__(DB, log_ok=LOG_OK,
                         start_desc="merit serve starts on an ephemeral loopback port",
                         stop_desc="merit serve stops on SIGTERM, cleanly, having said nothing "
                                   "alarming")

    def rss_kib(self):
        with open("/proc/%d/status" % self.p.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


SRV = None


# ---- raw HTTP ----

def parse_answers(data):
    """Every answer in data: a list of (status, headers lowercased, body)."""
    out = []
    while data.startswith(b"HTTP/"):
        hdr, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = hdr.decode("latin-1").split("\r\n")
        headers = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0") or 0)
        out.append((int(lines[0].split()[1]), headers, rest[:n]))
        data = rest[n:]
    return out


def exchange(raw, timeout=3.0, source=None):
    """Send raw on a fresh connection and read until the server closes it
    or `timeout` seconds pass without a byte: (answers, closed)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    data, closed = b"", False
    try:
        if source:
            s.bind((source, 0))
        s.connect((HOST, SRV.port))
        try:
            s.sendall(raw)
        except OSError:
            pass               # answered and closed before taking it all
        while True:
            got = s.recv(65536)
            if not got:
                closed = True
                break
            data += got
    except socket.timeout:
        pass
    except OSError:
        closed = True          # reset: the server closed with bytes unread
    finally:
        s.close()
    return parse_answers(data), closed


def error_of(body):
    try:
        j = json.loads(body.decode("utf-8"))
        return j.get("error") if isinstance(j, dict) else None
    except (ValueError, UnicodeDecodeError):
        return None


def login():
    body = json.dumps({"login": "boss", "password": "pw-boss-secret"}).encode()
    ans, _ = exchange(b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body, 20)
    if not ans or ans[0][0] != 200:
        check("log in as boss", False, repr(ans))
        return None
    m = re.match(r"merit_session=([^;]*)", ans[0][1].get("set-cookie", ""))
    return m.group(1), json.loads(ans[0][2])["csrf"]


# ==== 1. bodies announced where none is read (finding 4) ====

def t_bodies_before_login():
    """200 connections from 200 loopback addresses (a per-address limit is
    not what is tested here), each announcing a 1 MiB body to a request
    that cannot carry one or to a route that needs a session, without
    one.  Each must be answered before its body is sent; then each sends
    all but the body's last byte (what a patient attacker does: a server
    that waits for the body holds it), and the server's memory is read
    while they are all held."""
    shapes = [
        ("GET / (a page of the app)", b"GET / HTTP/1.1\r\nHost: x\r\n", 400),
        ("GET /api/dashboard", b"GET /api/dashboard HTTP/1.1\r\nHost: x\r\n", 400),
        ("POST /api/plan without a session",
         b"POST /api/plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\n", None),
        ("PUT /api/plan without a session",
         b"PUT /api/plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\n", 401),
        ("POST /api/ratings without a session",
         b"POST /api/ratings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n", 401),
        ("DELETE /api/batches/1", b"DELETE /api/batches/1 HTTP/1.1\r\nHost: x\r\n", 400),
        ("POST /api/nope (no such route)", b"POST /api/nope HTTP/1.1\r\nHost: x\r\n", 404),
        ("HEAD /app.js", b"HEAD /app.js HTTP/1.1\r\nHost: x\r\n", 400),
    ]
    for _ in range(3):                      # warm: threads, pools, pages
        exchange(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10)
        exchange(b"GET /api/dashboard HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10)
    rss0 = SRV.rss_kib()
    conns = []
    for i in range(200):
        desc, head, want = shapes[i % len(shapes)]
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(True)
        s.settimeout(10)
        try:
            s.bind(("127.%d.%d.1" % (1 + i // 200, 1 + i % 200), 0))
            s.connect((HOST, SRV.port))
            s.sendall(head + b"Content-Length: %d\r\n\r\n" % MIB)
        except OSError as e:
            check("connection %d (%s) opens" % (i, desc), False, repr(e))
            s.close()
            continue
        conns.append({"s": s, "desc": desc, "want": want, "data": b"", "eof": False})
    # answers before any body byte: read what comes within 10 s in all
    deadline = time.time() + 10
    while time.time() < deadline:
        waiting = [c for c in conns if not c["eof"] and b"\r\n\r\n" not in c["data"]]
        if not waiting:
            break
        ready, _, _ = select.select([c["s"] for c in waiting], [], [], 0.5)
        for c in waiting:
            if c["s"] in ready:
                try:
                    got = c["s"].recv(65536)
                except OSError:
                    got = b""
                c["data"] += got
                c["eof"] = not got
    early = {}
    for c in conns:
        ans = parse_answers(c["data"])
        ok = bool(ans) and 400 <= ans[0][0] < 500 and \
            (c["want"] is None or ans[0][0] == c["want"]) and \
            ans[0][1].get("connection", "").lower() == "close"
        r = early.setdefault(c["desc"], [0, 0, None])
        r[0 if ok else 1] += 1
        if not ok and r[2] is None:
            r[2] = ans[:1] or "no answer within 10 s"
    for desc, _, want in shapes:
        good, bad, ex = early.get(desc, [0, 0, None])
        check("%s announcing 1 MiB: refused %s with Connection: close before the body is "
              "sent (%d of %d)" % (desc, want or "4xx", good, good + bad), good and not bad,
              "%d not: e.g. %r" % (bad, ex))
    # now the bodies, all but their last byte, where the server still reads
    chunk = b"x" * 65536
    for c in conns:
        try:
            c["s"].settimeout(5)
            for _ in range(MIB // len(chunk) - 1):
                c["s"].sendall(chunk)
            c["s"].sendall(chunk[:-1])
        except OSError:
            pass                 # closed by the server: the body is not read
    time.sleep(1)                # let the server take what was sent
    rss1 = SRV.rss_kib()
    grew = (rss1 - rss0) / 1024.0
    note("VmRSS %.1f MiB before, %.1f MiB with 200 bodies of 1 MiB announced and sent but "
         "for their last byte" % (rss0 / 1024.0, rss1 / 1024.0))
    check("the server's memory grows less than %d MiB (grew %.1f MiB)" % (RSS_BOUND_MIB, grew),
          grew < RSS_BOUND_MIB, "from %d KiB to %d KiB" % (rss0, rss1))
    for c in conns:
        c["s"].close()
    # a login takes a small body only
    ans, _ = exchange(b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 4097\r\n\r\n", 10)
    check("a login's body over 4 KiB: 413 before it is sent", ans and ans[0][0] == 413, ans[:1])
    pw = json.dumps({"login": "boss", "password": "p" * 4000}).encode()
    ans, _ = exchange(b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(pw) + pw, 20)
    check("a login's body under 4 KiB is read (a wrong password: 401)",
          ans and ans[0][0] == 401, ans[:1])
    ans, _ = exchange(b"GET /api/me HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                      b"Connection: close\r\n\r\n", 10)
    check("a GET with Content-Length: 0 is served as before (401 without a session)",
          ans and ans[0][0] == 401, ans[:1])


# ==== 2. request smuggling shapes (finding 8) ====

BEHIND = b"GET /api/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def t_smuggling():
    ses = login()
    auth = b""
    if ses:
        auth = b"Cookie: merit_session=%s\r\nX-CSRF-Token: %s\r\n" % (ses[0].encode(),
                                                                     ses[1].encode())
    rate = b'{"period":"2026-11"}'
    # the checks below can see a second answer: a well-formed pair gets two
    ans, closed = exchange(b"GET /api/me HTTP/1.1\r\nHost: x\r\n\r\n" + BEHIND)
    check("control: two pipelined requests get two answers", len(ans) == 2,
          [a[0] for a in ans])
    ans, closed = exchange(b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                           b"application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                           b"2\r\n{}\r\n0\r\n\r\n" + BEHIND)
    check("control: a chunked body is read (400 for what it says), and the request behind "
          "answered", [a[0] for a in ans] == [400, 401], [(a[0], a[2]) for a in ans])
    lf = b"Content-Length: %d\r\n" % len(rate)
    shapes = [
        ("two Content-Length headers that differ", b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
         b"Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n"
         b"{}" + BEHIND[:38]),
        ("two equal Content-Length headers", b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
         b"Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n"
         b"{}"),
        ("Content-Length with Transfer-Encoding: chunked", b"POST /api/login HTTP/1.1\r\n"
         b"Host: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n"
         b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ("Transfer-Encoding: chunked with Content-Length (the other order), logged in",
         b"POST /api/ratings HTTP/1.1\r\nHost: x\r\n" + auth + b"Content-Type: application/json"
         b"\r\nTransfer-Encoding: chunked\r\n" + lf + b"\r\n0\r\n\r\n"),
        ("Transfer-Encoding: xchunked", b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
         b"Content-Type: application/json\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
        ("Transfer-Encoding: chunked, gzip", b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
         b"Content-Type: application/json\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"),
        ("Transfer-Encoding: identity", b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
         b"Content-Type: application/json\r\nTransfer-Encoding: identity\r\n\r\n"),
        ("two Transfer-Encoding: chunked headers", b"POST /api/login HTTP/1.1\r\nHost: x\r\n"
         b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
         b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ("a GET with Transfer-Encoding: chunked", b"GET /api/me HTTP/1.1\r\nHost: x\r\n"
         b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ]
    for desc, raw, in shapes:
        ans, closed = exchange(raw + BEHIND)
        first = ans[0] if ans else None
        ok = first is not None and first[0] == 400 and \
            first[1].get("connection", "").lower() == "close" and bool(error_of(first[2]))
        check("%s: 400 with Connection: close" % desc, ok,
              first and (first[0], first[1].get("connection"), first[2]) or
              "no answer within 3 s")
        check("%s: the request behind it gets no answer, and the connection is closed" % desc,
              len(ans) <= 1 and closed, "%d answers %s; closed %s" %
              (len(ans), [a[0] for a in ans], closed))
    ans, _ = exchange(b"GET /api/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10)
    check("and the server keeps serving", ans and ans[0][0] == 401, ans[:1])


# ==== 3. parse limits before parsing (finding 10) ====

def put_plan(ses, text, name):
    body = text.encode()
    ans, _ = exchange(b"PUT /api/plan?file=%s HTTP/1.1\r\nHost: x\r\nCookie: merit_session=%s"
                      b"\r\nX-CSRF-Token: %s\r\nContent-Type: application/yaml\r\n"
                      b"Content-Length: %d\r\nConnection: close\r\n\r\n" %
                      (name.encode(), ses[0].encode(), ses[1].encode(), len(body)) + body, 60)
    return ans[0] if ans else None


def clean(desc, ans, status, pattern):
    err = error_of(ans[2]) if ans else None
    text = json.dumps(json.loads(ans[2])) if err else ""
    check("%s: %d, saying why" % (desc, status), ans and ans[0] == status and err and
          re.search(pattern, text), ans and (ans[0], ans[2][:600]) or "no answer")
    words = [w for w in BAD_WORDS if w.lower() in text.lower()]
    check("%s: no internals in the message" % desc, not words, "%s in %s" % (words, text[:400]))


def t_parse_limits():
    ses = login()
    if not ses:
        return
    n = 250000                                  # half a megabyte of brackets
    ans = put_plan(ses, "goal: " + "[" * n + "]" * n + "\n", "deep.yaml")
    clean("a plan nested 250,000 deep (0.5 MB) over the web", ans, 422,
          r"deep\.yaml:1:70: nested deeper than 64 levels")
    # more values than a file may hold, refused before a tree is built: the
    # root mapping, goal, sales, foo and the list are 5 values, then the items
    for items, refused in [(199995, False), (199996, True), (300000, True)]:
        ans = put_plan(ses, "goal: sales\nfoo: [" + ",".join(["a"] * items) + "]\n",
                       "wide.yaml")
        total = items + 5
        if refused:
            clean("a plan of %d values over the web" % total, ans, 422,
                  r"wide\.yaml:2:\d+: the file is too large: more than 200000 values")
        else:
            check("a plan of exactly 200000 values is read (refused for what it says)",
                  ans and ans[0] == 422 and b"unknown key" in ans[2] and
                  b"too large" not in ans[2], ans and (ans[0], ans[2][:400]))
    # JSON bodies: jansson stops at its depth limit (2048) by itself
    for desc, body in [("a JSON body nested 100,000 arrays deep", "[" * 100000),
                       ("a JSON body nested 3,000 objects deep", '{"a":' * 3000)]:
        b = body.encode()
        ans, _ = exchange(b"POST /api/ratings HTTP/1.1\r\nHost: x\r\nCookie: merit_session=%s"
                          b"\r\nX-CSRF-Token: %s\r\nContent-Type: application/json\r\n"
                          b"Content-Length: %d\r\nConnection: close\r\n\r\n" %
                          (ses[0].encode(), ses[1].encode(), len(b)) + b, 30)
        clean(desc, ans[0] if ans else None, 400, r"nested too deeply")


def main():
    global SRV
    SRV = Server()
    if SRV.port is None:
        return
    try:
        t_bodies_before_login()
        t_smuggling()
        t_parse_limits()
    finally:
        SRV.stop()


if __name__ == "__main__":
    webtest.run(main, "req_test.py", 300)

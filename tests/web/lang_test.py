#!/usr/bin/env python3
"""lang_test.py — the web's report downloads in the user's language (issue
13, item 6), over a real socket.

    python3 tests/web/lang_test.py URL

URL is a running `merit serve` prepared by tests/e2e/t0515-report-lang.sh:
cycle 2026-11 closed, the plan's locale zh-CN, users boss (admin,
password pw-boss-secret) and wang (member, pw-wang-secret, on the staff
list).

- the page (as served) sends the user's language with every report
  link; given lang=en | zh-CN, the HTML, the
  XLSX (sheet names) and the PDF (its text, by pdftotext) are in it;
- lang=en gives English even though the plan's locale is zh-CN; without
  lang the plan's locale decides;
- a member's own form follows their language too;
- another lang is refused (400) and names the argument;
- CSV keys stay English whatever the language.

Prints "ok N - what" or "not ok N - what: why" per check; exits 1 when any
failed.  Python 3 standard library only (pdftotext is run as a program).
"""
import io
import os
import re
import subprocess
import sys
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import webtest  # noqa: E402
from webtest import check  # noqa: E402

if len(sys.argv) != 2:
    sys.exit("usage: lang_test.py URL")
_u = urllib.parse.urlsplit(sys.argv[1])
HOST, PORT = _u.hostname, _u.port
P = "2026-11"

def request(method, path, body=None, headers=None):
    return webtest.request(HOST, PORT, method, path, body, headers)


def Session(login, password):
    return webtest.Session(HOST, PORT, login, password)


def report(s, fmt, lang=None, login=None):
    q = {"period": P, "format": fmt}
    if login:
        q["login"] = login
    if lang is not None:
        q["lang"] = lang
    return s.get("/api/report?" + urllib.parse.urlencode(q))


def sheets(raw):
    wb = zipfile.ZipFile(io.BytesIO(raw)).read("xl/workbook.xml").decode("utf-8")
    return re.findall(r'<sheet name="([^"]*)"', wb)


def pdf_text(raw):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=raw, check=True,
                          capture_output=True, timeout=60).stdout.decode("utf-8")


# the page the server gives sends the user's language with every download
for js in ("/screen-dashboard.js", "/screen-card.js"):
    st, _, raw = request("GET", js)
    body = raw.decode("utf-8", "replace")
    links = re.findall(r"/api/report\$\{qs\(\{[^}]*\}", body)
    check("%s: every report link sends lang" % js, st == 200 and links and
          all("lang: getLang()" in l for l in links), (st, links or body[:300]))

boss = Session("boss", "pw-boss-secret")
wang = Session("wang", "pw-wang-secret")

st, _, raw = report(boss, "html", "zh-CN")
check("html lang=zh-CN: 200", st == 200, (st, raw[:300]))
text = raw.decode("utf-8", "replace")
check("html lang=zh-CN is in Chinese", '<html lang="zh-CN">' in text and "绩效考核" in text
      and "Performance appraisal" not in text, text[:600])
st, _, raw = report(boss, "html", "en")
text = raw.decode("utf-8", "replace")
check("html lang=en is in English under locale zh-CN", st == 200 and "Performance appraisal" in text
      and "绩效考核" not in text, text[:600])
st, _, raw = report(boss, "html")
text = raw.decode("utf-8", "replace")
check("html without lang follows the plan's locale (zh-CN)", st == 200 and "绩效考核" in text,
      text[:600])

st, _, raw = report(boss, "xlsx", "zh-CN")
check("xlsx lang=zh-CN: sheets named in Chinese", st == 200 and sheets(raw)[:2] == ["团队", "汇总"],
      (st, sheets(raw) if st == 200 else raw[:300]))
st, _, raw = report(boss, "xlsx", "en")
check("xlsx lang=en: sheets named in English", st == 200 and sheets(raw)[:2] == ["Team", "Summary"],
      (st, sheets(raw) if st == 200 else raw[:300]))

st, _, raw = report(wang, "pdf", "zh-CN", "wang")
t = pdf_text(raw) if st == 200 else ""
check("a member's own pdf in Chinese", st == 200 and "绩效考核" in t and "王小明" in t
      and "Performance appraisal" not in t, (st, t[:600]))
st, _, raw = report(wang, "pdf", "en", "wang")
t = pdf_text(raw) if st == 200 else ""
check("a member's own pdf in English", st == 200 and "Performance appraisal" in t and "王小明" in t,
      (st, t[:600]))

st, _, raw = report(boss, "html", "fr")
check("lang=fr refused: 400 naming lang", st == 400 and b"lang" in raw and b"zh-CN" in raw,
      (st, raw[:300]))

st, _, raw = report(boss, "csv", "zh-CN")
check("csv keys stay English in zh-CN", st == 200 and raw.decode("utf-8").startswith(
      "period,rank,login,name,position,"), raw[:200])

sys.exit(webtest.finish())

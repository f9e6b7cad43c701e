#!/usr/bin/env python3
"""sweep.py — run one merit command once for every fault point the shim
(tests/fault/shim.c) can put in it, and check each run ended cleanly.

  sweep.py alloc  [opts] -- ARGS   the Nth counted allocation fails, N = 1..count
  sweep.py kill   [opts] -- ARGS   SIGKILL at the Nth database write, N = 1..count
  sweep.py full   [opts] -- ARGS   PRAGMA max_page_count = N, from the
                                   database's pages up to where ARGS succeeds
  sweep.py webkill [opts]          merit serve killed at the Nth database
                                   write of an upload (POST /api/import)

Every run starts from a copy of --before (the database as it was).  "Clean":
no signal but the shim's own SIGKILL, no sanitizer report, exit 0 or 1;
exit 1 with a message on stderr and the database's content as before; exit 0
with stdout and the database's content as the run without a fault;
PRAGMA integrity_check says ok.  A killed run leaves the database as before
or as after, and the command run again then works.

Prints "ok DESC" / "not ok DESC: WHY" lines (tests/fault/t*.sh count them)
and "count KIND LABEL N" lines for the closing note.  Environment:
MERIT_DB is the database the commands use; FAULT_STRIDE=K: an allocation
sweep tries every Kth point only (1 = all).
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

ALARM = re.compile(r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|"
                   r"runtime error:|Segmentation fault|Aborted|internal error|"
                   r"double free|corrupted", re.I)
FULL = re.compile(r"disk is full|No space left", re.I)
SPEED = re.compile(r"\d+\.\d+ s, \d+(\.\d+)? [kKMG]?B/s")   # ingest's time and speed
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
MAX_REPORTS = 20
problems = 0


def say_ok(desc):
    print("ok " + desc, flush=True)


def say_bad(desc, why):
    global problems
    problems += 1
    if problems <= MAX_REPORTS:
        print("not ok %s: %s" % (desc, why[:1500].replace("\n", " | ")), flush=True)


def dump(db, skip=()):
    """The database's content (times blanked), and its integrity_check."""
    if not os.path.exists(db):
        return "(no database)", "ok"
    con = sqlite3.connect(db, timeout=30)
    try:
        ic = "; ".join(r[0] for r in con.execute("PRAGMA integrity_check"))
        lines = []
        for line in con.iterdump():
            if any(line.startswith('INSERT INTO "%s"' % t) for t in skip):
                continue
            lines.append(STAMP.sub("<time>", line))
        return "\n".join(lines), ic
    finally:
        con.close()


def restore(before, db):
    for ext in ("-wal", "-shm", "-journal"):
        try:
            os.unlink(db + ext)
        except FileNotFoundError:
            pass
    shutil.copyfile(before, db)


def env_with(shim, extra):
    e = dict(os.environ)
    e["LD_PRELOAD"] = shim
    asan = e.get("ASAN_OPTIONS", "")
    e["ASAN_OPTIONS"] = "verify_asan_link_order=0" + (":" + asan if asan else "")
    for k, v in extra.items():
        e[k] = str(v)
    return e


def run(a, extra):
    p = subprocess.run([a.merit] + a.args, env=env_with(a.shim, extra),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    out = SPEED.sub("<speed>", p.stdout.decode("utf-8", "replace"))
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def counts(path):
    c = {}
    try:
        with open(path) as f:
            for line in f:
                k, v = line.split()
                c[k] = int(v)
    except FileNotFoundError:
        pass
    return c


SENTINEL = b"the report written before\n"


def put_sentinel(out):
    if out:
        with open(out, "wb") as f:
            f.write(SENTINEL)


def read_out(out):
    if not out:
        return None
    try:
        with open(out, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def good_run(a, tmp):
    """The run without a fault: its status, stdout, database and counts."""
    restore(a.before, a.db)
    put_sentinel(a.out)
    cf = os.path.join(tmp, "counts")
    rc, out, err = run(a, {"MERIT_FAULT_COUNT_FILE": cf, "MERIT_FAULT_MALLOC_SCOPE": a.scope})
    d, ic = dump(a.db)
    if ALARM.search(err) or ic != "ok":
        say_bad("%s: the run without a fault" % a.label, "exit %d, integrity %s: %s" % (rc, ic, err))
    return rc, out, d, counts(cf), read_out(a.out)


def points(n, stride, prefix=0, prefix_stride=1):
    """1..n every stride-th; the first `prefix` every prefix_stride-th."""
    pts = list(range(1, min(prefix, n) + 1, max(stride, prefix_stride)))
    pts += list(range(prefix + 1, n + 1, stride)) if prefix < n else []
    if n not in pts:
        pts.append(n)
    return pts


def prefix_len(a, tmp):
    """How many of the counted allocations open the database: those of
    --prefix-args (a command that does little after opening), every
    command's first ones; a sweep tries them in full once (import) and
    every --prefix-stride-th elsewhere."""
    if not a.prefix_args:
        return 0
    restore(a.before, a.db)
    cf = os.path.join(tmp, "counts")
    p = subprocess.run([a.merit] + a.prefix_args.split(), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300,
                       env=env_with(a.shim, {"MERIT_FAULT_COUNT_FILE": cf,
                                             "MERIT_FAULT_MALLOC_SCOPE": a.scope}))
    return counts(cf).get("allocs", 0) if p.returncode >= 0 else 0


def baseline(a, tmp, what):
    """The dump before, the good run, and how many points (`what`) it had."""
    before, _ = dump(a.before)
    grc, gout, gafter, c, gfile = good_run(a, tmp)
    n = c.get(what, 0)
    if n == 0:
        say_bad("%s: %s" % (a.label, what), "the shim counted none")
    return before, grc, gout, gafter, gfile, n


def sweep_alloc(a, tmp):
    before, grc, gout, gafter, gfile, n = baseline(a, tmp, "allocs")
    if n == 0:
        return
    tried = failed1 = passed0 = 0
    prefix = prefix_len(a, tmp)
    for k in points(n, a.stride, prefix, a.prefix_stride):
        restore(a.before, a.db)
        put_sentinel(a.out)
        cf = os.path.join(tmp, "counts")
        rc, out, err = run(a, {"MERIT_FAULT_MALLOC": k, "MERIT_FAULT_COUNT_FILE": cf,
                               "MERIT_FAULT_MALLOC_SCOPE": a.scope})
        tried += 1
        desc = "%s: allocation %d of %d fails" % (a.label, k, n)
        d, ic = dump(a.db)
        f = read_out(a.out)
        if rc < 0 or rc not in (0, 1, grc) or ALARM.search(err):
            say_bad(desc, "exit %d: %s" % (rc, err))
        elif ic != "ok":
            say_bad(desc, "integrity_check: " + ic)
        elif rc == grc:
            # the failure was harmless (a cache, a retry): the result is right
            if out != gout:
                say_bad(desc, "exit %d, stdout differs: %r vs %r" % (rc, out[:300], gout[:300]))
            elif d != gafter:
                say_bad(desc, "exit %d, but the database differs from the good run's" % rc)
            elif a.out and (f is None or f == SENTINEL or (a.same_out and f != gfile)):
                say_bad(desc, "exit %d, but %s was not written as the good run's" % (rc, a.out))
            else:
                passed0 += 1
        elif not err.strip():
            say_bad(desc, "exit %d without a message" % rc)
        elif d != before:
            say_bad(desc, "exit %d, but the database changed: %s" % (rc, err))
        elif a.out and f != SENTINEL:
            say_bad(desc, "exit %d, but %s was replaced" % (rc, a.out))
        else:
            failed1 += 1
    say_ok("%s: %d allocation failures (%d failed cleanly, %d harmless; %d of %d points, "
           "the first %d every %dth)" % (a.label, tried, failed1, passed0, tried, n, prefix,
                                          max(a.stride, a.prefix_stride)))
    print("count alloc %s %d %d" % (a.label, tried, n))


def look(a):
    """What --look (a read command) prints of the database now."""
    p = subprocess.run([a.merit] + a.look.split(), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def loading(db):
    """The batches an import was writing in parts when it died."""
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute("SELECT count(*) FROM loading").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def sweep_kill(a, tmp):
    before, grc, gout, gafter, _, n = baseline(a, tmp, "writes")
    if n == 0:
        return
    if a.look:
        restore(a.before, a.db)
        seen_before = look(a)
    tried = at_before = at_after = at_loading = 0
    for k in range(1, n + 1):   # every one, also under ASan (few)
        restore(a.before, a.db)
        rc, out, err = run(a, {"MERIT_FAULT_KILL_PWRITE": k})
        tried += 1
        desc = "%s: killed at database write %d of %d" % (a.label, k, n)
        d, ic = dump(a.db)
        if rc != -signal.SIGKILL and rc != grc:
            say_bad(desc, "exit %d: %s" % (rc, err))
        elif ic != "ok":
            say_bad(desc, "integrity_check: " + ic)
        elif d == gafter:
            at_after += 1
        elif d != before and a.look and loading(a.db) > 0:
            # an import in parts, killed between two: nobody may read its
            # rows, and the command run again removes them first
            seen = look(a)
            rc2, out2, err2 = run(a, {})
            d2, ic2 = dump(a.db)
            if seen != seen_before:
                say_bad(desc, "`merit %s` saw the unfinished import: %r, not %r"
                        % (a.look, seen[1][:300], seen_before[1][:300]))
            elif rc2 != grc or d2 != gafter or ic2 != "ok":
                say_bad(desc, "run again: exit %d, %s%s" % (rc2, err2, "" if d2 == gafter
                        else " (the database is not as the good run left it)"))
            else:
                at_loading += 1
        elif d != before:
            say_bad(desc, "the database is neither as before nor as after")
        else:
            # as before: the command run again must work
            rc2, out2, err2 = run(a, {})
            d2, ic2 = dump(a.db)
            if rc2 != grc or d2 != gafter or ic2 != "ok":
                say_bad(desc, "run again: exit %d, %s" % (rc2, err2))
            else:
                at_before += 1
    say_ok("%s: %d kill points (%d left it as before, %d as after%s)" % (
        a.label, tried, at_before, at_after,
        ", %d between two parts: unread, removed by the next import" % at_loading
        if a.look else ""))
    if a.look and a.want_parts and at_loading == 0:
        say_bad("%s: parts" % a.label, "no kill fell between two parts")
    print("count kill %s %d %d" % (a.label, tried, n))


def sweep_full(a, tmp):
    before, grc, gout, gafter, _, _ = baseline(a, tmp, "allocs")
    con = sqlite3.connect(a.before)
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()
    tried = 0
    for k in range(pages, pages + a.limit):
        restore(a.before, a.db)
        rc, out, err = run(a, {"MERIT_FAULT_MAX_PAGES": k})
        tried += 1
        desc = "%s: max_page_count %d (%d pages before)" % (a.label, k, pages)
        d, ic = dump(a.db)
        if ic != "ok":
            say_bad(desc, "integrity_check: " + ic)
        elif rc == grc and d == gafter and out == gout:
            break           # room enough
        elif rc != 1 or not FULL.search(err) or ALARM.search(err):
            say_bad(desc, "exit %d, wanted 1 and \"the disk is full\": %s" % (rc, err))
        elif d != before:
            say_bad(desc, "exit 1, but the database changed")
    else:
        say_bad("%s: max_page_count" % a.label, "still failing at %d pages" % (pages + a.limit))
    say_ok("%s: %d max_page_count points (%d to %d pages)" % (a.label, tried, pages, pages + tried - 1))
    print("count full %s %d %d" % (a.label, tried, tried))


# ---- the web upload ----

def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        c.request(method, path, body, headers or {})
        r = c.getresponse()
        return r.status, r.getheader("Set-Cookie") or "", r.read()
    finally:
        c.close()


def serve(a, extra, tmp):
    log = open(os.path.join(tmp, "serve.err"), "w+")
    p = subprocess.Popen([a.merit, "--db", a.db, "serve", "--listen", "127.0.0.1:0"],
                         env=env_with(a.shim, extra), stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(600):
        log.seek(0)
        m = re.match(r"merit: serving http://127\.0\.0\.1:(\d+)/", log.read())
        if m:
            return p, int(m.group(1)), log
        if p.poll() is not None:
            break
        time.sleep(0.05)
    p.kill()
    p.wait()
    log.seek(0)
    raise RuntimeError("merit serve did not start: " + log.read()[:2000])


def upload(a, extra, tmp):
    """Start serve, log in, arm the shim, POST the file; the server's exit
    status, the HTTP status (None: no answer), and the dump before the
    upload (after the login)."""
    arm = os.path.join(tmp, "armed")
    if os.path.exists(arm):
        os.unlink(arm)
    # its own TMPDIR: what a killed server leaves there goes with it
    stmp = os.path.join(tmp, "serve-tmp")
    shutil.rmtree(stmp, ignore_errors=True)
    os.mkdir(stmp)
    extra = dict(extra, MERIT_FAULT_ARM_FILE=arm, TMPDIR=stmp)
    p, port, log = serve(a, extra, tmp)
    status = None
    try:
        st, cookie, body = request(port, "POST", "/api/login",
                                json.dumps({"login": a.login, "password": a.password}),
                                {"Content-Type": "application/json"})
        if st != 200:
            raise RuntimeError("login: %d %r" % (st, body[:200]))
        token = re.match(r"merit_session=([^;]*)", cookie).group(1)
        csrf = json.loads(body)["csrf"]
        pre, _ = dump(a.db, ("session",))
        p.send_signal(signal.SIGUSR2)
        for _ in range(400):
            if os.path.exists(arm):
                break
            time.sleep(0.005)
        with open(a.file, "rb") as f:
            data = f.read()
        try:
            st, _, body = request(port, "POST", "/api/import?kind=%s&file=%s" % (a.kind, os.path.basename(a.file)),
                               data, {"Cookie": "merit_session=" + token, "X-CSRF-Token": csrf,
                                      "Content-Type": "text/csv"})
            status = st
        except (ConnectionError, http.client.HTTPException, OSError):
            status = None
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        log.seek(0)
        err = log.read()
        log.close()
        shutil.rmtree(stmp, ignore_errors=True)
    return p.returncode, status, pre, err


def sweep_webkill(a, tmp):
    restore(a.before, a.db)
    cf = os.path.join(tmp, "counts")
    rc, st, gpre, err = upload(a, {"MERIT_FAULT_COUNT_FILE": cf}, tmp)
    gafter, ic = dump(a.db, ("session",))
    n = counts(cf).get("writes", 0)
    if rc != 0 or st != 200 or ic != "ok" or ALARM.search(err) or n == 0:
        say_bad("%s: the upload without a fault" % a.label,
                "exit %d, HTTP %s, integrity %s, %d writes: %s" % (rc, st, ic, n, err))
        return
    tried = at_before = at_after = 0
    for k in range(1, n + 1):   # every one, also under ASan (few)
        restore(a.before, a.db)
        rc, st, pre, err = upload(a, {"MERIT_FAULT_KILL_PWRITE": k}, tmp)
        tried += 1
        desc = "%s: serve killed at database write %d of %d" % (a.label, k, n)
        d, ic = dump(a.db, ("session",))
        # killed before answering, or after the answer (stopping: the
        # checkpoint) — then the upload must be there
        if rc != -signal.SIGKILL or st not in (None, 200):
            say_bad(desc, "exit %d, HTTP %s: %s" % (rc, st, err))
        elif ic != "ok":
            say_bad(desc, "integrity_check: " + ic)
        elif d == gafter:
            at_after += 1
        elif st == 200:
            say_bad(desc, "answered 200, but the upload is not in the database")
        elif d == pre:
            at_before += 1
        else:
            say_bad(desc, "the database is neither as before nor as after the upload")
    say_ok("%s: %d kill points (%d left it as before, %d as after)" % (a.label, tried, at_before, at_after))
    print("count kill %s %d %d" % (a.label, tried, n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["alloc", "kill", "full", "webkill"])
    ap.add_argument("--merit", default=os.environ.get("MERIT"))
    ap.add_argument("--shim", default=os.environ.get("FAULT_SHIM"))
    ap.add_argument("--db", default=os.environ.get("MERIT_DB"))
    ap.add_argument("--before", required=True, help="the database before, copied for every run")
    ap.add_argument("--label", required=True)
    ap.add_argument("--out", help="the file the command writes (a report)")
    ap.add_argument("--same-out", action="store_true", help="its content is the same every run")
    ap.add_argument("--scope", default="merit,libsqlite3")
    ap.add_argument("--stride", type=int, default=int(os.environ.get("FAULT_STRIDE", "1") or 1))
    ap.add_argument("--prefix-args", help="alloc: a command that only opens the database")
    ap.add_argument("--prefix-stride", type=int, default=10)
    ap.add_argument("--limit", type=int, default=400, help="full: most pages to add")
    ap.add_argument("--login", default="boss")
    ap.add_argument("--password", default="pw-boss-secret")
    ap.add_argument("--kind", default="measurements")
    ap.add_argument("--file", help="webkill: the file uploaded")
    ap.add_argument("--look", help="kill: a read command that must print the same as before "
                    "when the kill left an import in parts unfinished")
    ap.add_argument("--want-parts", action="store_true",
                    help="kill: some kill must fall between two parts")
    argv = sys.argv[1:]
    rest = argv.index("--") if "--" in argv else len(argv)
    a = ap.parse_args(argv[:rest])
    a.args = argv[rest + 1:]
    tmp = os.path.dirname(os.path.abspath(a.db))
    {"alloc": sweep_alloc, "kill": sweep_kill, "full": sweep_full, "webkill": sweep_webkill}[a.mode](a, tmp)
    if problems > MAX_REPORTS:
        print("not ok %s: %d more problems not shown" % (a.label, problems - MAX_REPORTS))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

# The plan editor that is a form (issue 13, item 2): tests/web/plan_test.py
# over a real socket — POST /api/plan/check answers each problem of a
# draft at its field, with the words `merit plan import` says;
# POST /api/plan/whatif gives `merit score PERIOD --plan`'s numbers; PUT
# /api/plan saves the form's JSON draft, audited; a member or a manager
# gets 403.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }

run_ok "init" init --goal sales
run_ok "staff boss" staff add boss --name "Boss Wang" --reviewer
run_ok "staff mgr" staff add mgr --name "王芳" --position promoter --manager boss
run_ok "staff ann" staff add ann --name "Ann Li" --position promoter --manager mgr
run_ok "staff bob" staff add bob --name "Bob Sun" --position promoter --manager mgr
for u in "boss admin" "mgr manager" "ann member"; do
	set -- $u
	printf 'pw-%s-secret\n' "$1" | "$MERIT" user add "$1" --role "$2" >"$T/out" 2>"$T/err"
	if [ $? -eq 0 ]; then ok; else fail "user add $1: $(cat "$T/err")"; fi
done
run_ok "open 2026-11" cycle open 2026-11
run_ok "ann's posts" record promo_posts 40 --who ann --date 2026-11-03
run_ok "ann's customers" record online_customers 50 --who ann --date 2026-11-03
run_ok "bob's posts" record promo_posts 20 --who bob --date 2026-11-03
run_ok "bob's customers" record online_customers 30 --who bob --date 2026-11-03

# every problem the plan's checks word (plan.c, the YAML reader) and every
# readiness item (ops.c) has its Chinese in msg_zh.c: a new message without
# one fails here; so has every error and note format of the importers and
# the log ingest (src/ingest, but the probes' and the plan reader's), what
# an upload says in the web (issue 13): in $T/zhf.out
python3 - "$root" "$T/zhf.out" > "$T/zh.out" <<'PY'
import re, sys, os
root = sys.argv[1]
def fmts(path, call, idx, first=None, src=None):
    # the formats of call's argument idx (where argument 0 holds `first`)
    src = src or open(os.path.join(root, path), encoding="utf-8").read()
    for m in re.finditer(r"(?<![A-Za-z_.>])" + re.escape(call) + r"\(", src):
        i, depth, args, cur, instr = m.end(), 1, [], "", False
        while i < len(src) and depth:
            ch = src[i]
            if instr:
                cur += ch
                if ch == "\\": cur += src[i + 1]; i += 1
                elif ch == '"': instr = False
            elif ch == '"': instr = True; cur += ch
            elif ch in "([": depth += 1; cur += ch
            elif ch in ")]":
                depth -= 1
                if depth: cur += ch
            elif ch == "," and depth == 1: args.append(cur); cur = ""
            else: cur += ch
            i += 1
        args.append(cur)
        if len(args) > idx and (first is None or first in args[0]):
            lits = re.findall(r'"((?:[^"\\]|\\.)*)"', args[idx])
            if lits and args[idx].strip().startswith('"'):
                yield "".join(lits)
zh = open(os.path.join(root, "src/core/msg_zh.c"), encoding="utf-8").read()
# a message may name the kinds of import by import.h's macro: as its text
kinds = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', re.search(r'#define MR_IMPORT_KINDS_TEXT((?:\\\n|[^\n])*)',
        open(os.path.join(root, "src/ingest/import.h"), encoding="utf-8").read()).group(1)))
table = set("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m)) for m in re.findall(r'\{ ((?:"(?:[^"\\]|\\.)*"\s*)+),', zh))
want = set(fmts("src/core/plan.c", "problem", 3)) | set(fmts("src/ingest/plan_yaml.c", "mr_yaml_problem", 2)) | \
       set(fmts("src/ingest/yaml_tree.c", "mr_yaml_problem", 2)) | set(fmts("src/ops/ops.c", "ready_add", 3))
want.discard("%s")
missing = sorted(want - table)
print("%d formats; without Chinese: %s" % (len(want), missing if missing else "none"))
# the importers' and the log ingest's
want = set()
d = os.path.join(root, "src/ingest")
for f in sorted(os.listdir(d)):
    if not f.endswith(".c") or f in ("probe.c", "plan_yaml.c", "yaml_tree.c"):
        continue
    src = open(os.path.join(d, f), encoding="utf-8").read().replace("MR_IMPORT_KINDS_TEXT", '"%s"' % kinds)
    for call, idx, first in (("mr_err_set", 2, None), ("mr_err_add", 2, None), ("mr_imp_bad", 4, None),
                             ("mr_imp_note", 1, None), ("bad_at", 5, None), ("fail", 2, None),
                             ("mr_buf_printf", 1, "notes")):
        for x in fmts(None, call, idx, first, src):
            x = x[:-2] if x.endswith("\\n") else x
            # a format with words (not only fields: "%s: %s" passes its parts on)
            if re.search(r"[A-Za-z]{2}", re.sub(r"%[-0-9.*]*[lzh]*[a-zA-Z]", "", x)):
                want.add(x)
missing = sorted(want - table)
open(sys.argv[2], "w").write("%d formats; without Chinese: %s\n" % (len(want), missing if missing else "none"))
PY
case "$(cat "$T/zh.out")" in *"without Chinese: none") ok ;; *) fail "plan problems without Chinese: $(cat "$T/zh.out")" ;; esac
case "$(cat "$T/zhf.out")" in *"without Chinese: none") ok ;; *) fail "upload words without Chinese: $(cat "$T/zhf.out")" ;; esac

serve_start
web_py 300 "$T/web.out" "$root/tests/web/plan_test.py" "$url" "$MERIT_DB" "$MERIT"
serve_stop

finish

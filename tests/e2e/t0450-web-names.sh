# Names, logins, CSV cells and messages (issue 12, findings 9 and 11): the
# CLI here, the web through tests/web/names_test.py over a real socket.
# - no control character of a stored name reaches the terminal (batches,
#   staff list, score), even from a database that holds them raw;
# - logins are ASCII letters, digits, '.', '-', '_' as the message says;
# - names are refused with control characters, kept in NFC;
# - report --format csv neutralises formula cells, keeps numbers;
# - the CLI keeps its hints (`merit batch rm N`, --replace).
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { fail "python3 is not installed"; finish; exit 1; }
ESC=$(printf '\033')

run_ok "init" init --goal sales
run_ok "staff boss" staff add boss --name "Boss Wang" --position manager
run_ok "staff evil" staff add evil --name '=cmd|calc' --position promoter --manager boss
printf 'pw-boss-secret\n' | "$MERIT" user add boss --role admin >"$T/out" 2>"$T/err" ||
	fail "user add boss: $(cat "$T/err")"
run_ok "open 2026-08" cycle open 2026-08
run_ok "review 2026-08" cycle review 2026-08
run_ok "close 2026-08" cycle close 2026-08 --force
run_ok "open 2026-11" cycle open 2026-11

# ---- logins: what the message says, in the CLI too ----
for bad in '=cmd|calc' 'a"b' '<svg>' 'a b' '张三' "ann${ESC}[2J"; do
	printf 'pw-long-enough-1\n' >"$T/pw"
	run_fail "user add $bad refused" 2 "login \".*\": use 1 to 64 ASCII letters, digits, '\\.', '-' or '_'" \
		user add "$bad" --role member <"$T/pw"
done
run_fail "staff add =cmd|calc refused" 2 'use 1 to 64 ASCII letters' \
	staff add '=cmd|calc' --name X --position promoter
m user add "ann${ESC}[2J" --role member <"$T/pw"
if grep -q "$ESC" "$T/err"; then fail "a refused login's message holds ESC"; else ok; fi

# ---- names: no control characters; NFC ----
run_fail "a name with ESC refused" 1 'the name "B\\x1b\[31mob": a control character \(U\+001B\)' \
	staff add bob --name "$(printf 'B\033[31mob')" --position promoter
run_fail "a name with a bidi override refused" 1 'U\+202E' \
	staff add bob --name "$(printf 'Bob\342\200\256x')" --position promoter
run_ok "a name in NFD" staff add jose --name "$(printf 'Jose\314\201 王')" --position promoter
expect "the name is kept in NFC" "$(sqlite3 "$MERIT_DB" "select hex(name) from staff where login = 'jose'")" \
	"$(printf 'Jos\303\251 王' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
run_ok "a name in Chinese" staff set jose --name "李娜"

# ---- file names: cleaned when kept, escaped when shown ----
printf 'date,indicator,login,value,denominator\n2026-11-03,promo_posts,evil,1,\n' >"$T/${ESC}[31mRED.csv"
run_ok "import a file named with ESC" import measurements "$T/${ESC}[31mRED.csv"
expect "kept with '?' for ESC" "$(sqlite3 "$MERIT_DB" "select count(*) from batch where file like '%?[31mRED.csv'")" 1
# a database from before may hold the raw bytes (char() is chr() on PostgreSQL)
chr=char
on_pg && chr=chr
sqlite3 "$MERIT_DB" "UPDATE batch SET file = $chr(27) || '[31mRAW' || $chr(13) || $chr(10) || 'X: 1.csv' WHERE id = 1;
	UPDATE staff SET name = 'Old' || $chr(27) || '[2JName' WHERE login = 'boss';" || fail "sqlite3"
run_ok "batches" batches
if grep -q "$ESC" "$T/out"; then fail "merit batches printed an ESC byte: $(od -c "$T/out" | head)"; else ok; fi
if grep -q "$(printf '\r')" "$T/out"; then fail "merit batches printed a CR"; else ok; fi
contains "merit batches shows the escape" "$T/out" '\\x1b\[31mRAW\\x0d\\x0aX: 1\.csv'
run_ok "staff list" staff list
if grep -q "$ESC" "$T/out"; then fail "merit staff list printed an ESC byte"; else ok; fi
contains "merit staff list shows the escape" "$T/out" 'Old\\x1b\[2JName'
run_ok "score" score 2026-11
if grep -q "$ESC" "$T/out"; then fail "merit score printed an ESC byte"; else ok; fi
contains "merit score shows the escape" "$T/out" 'Old\\x1b\[2JName'
run_ok "score --who" score 2026-11 --who boss
if grep -q "$ESC" "$T/out"; then fail "merit score --who printed an ESC byte"; else ok; fi
# what people type (a rating's comment) is shown, never obeyed
C1=$(printf '\302\233')     # U+009B, the one-byte CSI of a VT220
run_ok "a comment with escapes" rate evil --period 2026-11 --by manager --criterion analysis=4 \
	--criterion strategy=3 --criterion execution=4 --comment "ok${ESC}]52;c;eA==$(printf '\007')${ESC}[2J${C1}31m"
run_ok "score --who evil" score 2026-11 --who evil
if grep -q "$ESC" "$T/out" || grep -q "$C1" "$T/out"; then
	fail "merit score --who printed a comment's or a reason's escape raw: $(od -c "$T/out" | grep -m 3 033)"
else ok; fi
contains "the comment is shown escaped" "$T/out" 'ok\\x1b\]52;c;eA==\\x07\\x1b\[2J\\u009b31m'
sqlite3 "$MERIT_DB" "UPDATE staff SET name = 'Boss Wang' WHERE login = 'boss';" || fail "sqlite3"

# ---- CSV: formula cells neutralised, numbers kept ----
run_ok "report csv" report 2026-11 --format csv -o "$T/r.csv"
contains "the name =cmd|calc is written '=cmd|calc" "$T/r.csv" ",\"'=cmd\|calc\","
if grep -Eq ',[=+@]|,-[^0-9]' "$T/r.csv"; then fail "a formula cell in the CSV: $(cat "$T/r.csv")"; else ok; fi
contains "numbers stay numbers" "$T/r.csv" ',[0-9]+\.[0-9]{2},'

# ---- the CLI keeps its hints ----
printf 'date,indicator,login,value,denominator\n2026-11-04,promo_posts,evil,2,\n' >"$T/a.csv"
run_ok "import a.csv" import measurements "$T/a.csv"
cp "$T/a.csv" "$T/b.csv"
run_fail "the same content again" 1 'imported already as batch [0-9]+; use --replace to swap it, or `merit batch rm [0-9]+`' \
	import measurements "$T/b.csv"
run_fail "a value in a closed cycle" 1 'cycle 2026-08 is closed; reopen it with `merit cycle reopen 2026-08 --reason TEXT`' \
	record promo_posts 1 --who evil --date 2026-08-10

# ---- the web ----
serve_start
web_py 120 "$T/web.out" "$root/tests/web/names_test.py" "$url" "$MERIT_DB"
serve_stop

# the upload the web cleaned is shown as kept
run_ok "batches after the web" batches
if grep -q "$ESC" "$T/out"; then fail "merit batches printed an ESC byte after the web upload"; else ok; fi
contains "the web upload's name as kept" "$T/out" '\?\[31mRED\?\[0m\?\?X-Injected: 1\.csv'

finish

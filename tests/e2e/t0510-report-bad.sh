# merit report with bad input: a clear error, and nothing written — no
# half-written file, no temporary file left, an existing file untouched.
# cairo's own small leak at finishing a PDF is not ours (tests/lsan.supp)
. "$(dirname "$0")/lib.sh"

run_ok "init" init --goal none
run_ok "ann" staff add ann --name "Ann" --position manager
run_ok "old" staff add old --name "Old" --position manager --to 2026-10-31
# leftovers: anything but the database and its journal files
leftovers() { ls -A | grep -v -E '^(merit\.db(-wal|-shm)?|out|err|keep\..*|file|adir)$' || true; }

run_fail "unknown format" 2 '--format "docx": choose html, xlsx, pdf, csv or json' \
	report 2026-11 --format docx -o r.docx
expect "unknown format writes nothing" "$(leftovers)" ""
run_fail "no -o" 2 'required' report 2026-11 --format pdf
run_fail "no --format" 2 'required' report 2026-11 -o r.pdf
run_fail "empty -o" 2 '-o needs a file name' report 2026-11 --format pdf -o ''
run_fail "no period" 2 'say which PERIOD' report --format pdf -o r.pdf
run_fail "bad period" 2 'not one of' report 2026-13 --format pdf -o r.pdf
for f in html xlsx pdf csv json; do
	run_fail "$f unknown who" 1 'no staff member with login "zed"' \
		report 2026-11 --format $f -o r.$f --who zed
	run_fail "$f who not active" 1 'old was not active in 2026-11, so has no score' \
		report 2026-11 --format $f -o r.$f --who old
	# a file under a regular file: the directory cannot exist
	: > file
	run_fail "$f unwritable path" 1 "cannot write file/r.$f: Not a directory" \
		report 2026-11 --format $f -o file/r.$f
	run_fail "$f missing directory" 1 "cannot write nodir/r.$f: No such file or directory" \
		report 2026-11 --format $f -o nodir/r.$f
	# a directory where the file should go: written, then refused at the rename
	mkdir -p adir/sub
	run_fail "$f onto a directory" 1 "cannot write adir: " report 2026-11 --format $f -o adir
	expect "$f nothing left behind" "$(leftovers)" ""
	# a failed report leaves the file that was there as it was
	echo "keep me" > keep.$f
	run_fail "$f keeps old file" 1 'no staff member' report 2026-11 --format $f -o keep.$f --who zed
	expect "$f old file intact" "$(cat keep.$f)" "keep me"
done
[ -d adir/sub ] && ok || fail "the directory was replaced"
# and a good one still works after all that
run_ok "good pdf" report 2026-11 --format pdf -o good.pdf
contains "pdf magic" good.pdf '^%PDF-1\.'
run_ok "help" report --help
contains "help names formats" "$T/out" 'html\|xlsx\|pdf\|csv\|json'

finish

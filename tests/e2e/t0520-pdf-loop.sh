# merit report --format pdf, again and again: every run must exit 0 and
# leave a valid PDF, the same each time.  Pango (1.50) looks fonts up in
# threads of its own that nobody waits for, each holding the font map and
# its cairo fonts; when one outlived the document, the clean-up at exit
# (mr_report_shutdown: cairo_debug_reset_static_data, FcFini) found cairo
# fonts alive and aborted (exit 134, an assertion in cairo-hash.c), about
# once in 40 to 80 runs on a busy machine.  So: the team report (Chinese
# names: pango sets them) 300 times, then the race made certain by a
# preloaded FcFontSetSort that takes 100 ms, for the command line and for
# merit serve, whose worker threads write the PDFs.
. "$(dirname "$0")/lib.sh"

RUNS=300

command -v pdfinfo >/dev/null 2>&1 || { fail "pdfinfo is not installed (poppler-utils)"; finish; exit 1; }
run_ok "demo" demo --dir "$T/demo"
on_pg || export MERIT_DB="$T/demo/merit.db"     # (on PostgreSQL: $MERIT_DB itself)

# valid PDF FILE — pdfinfo reads it and finds pages
valid() {
	pdfinfo "$1" >"$T/info" 2>&1 && grep -Eq '^Pages: +[1-9]' "$T/info"
}

# ---- RUNS reports, one after another ----
bad=0
i=0
while [ $i -lt $RUNS ]; do
	i=$((i + 1))
	rm -f team.pdf
	m report 2026-10 --format pdf -o team.pdf
	if [ "$rc" -ne 0 ]; then
		bad=$((bad + 1))
		[ $bad -le 3 ] && fail "run $i: exit $rc: $(tail -c 500 "$T/err")"
	elif ! valid team.pdf; then
		bad=$((bad + 1))
		[ $bad -le 3 ] && fail "run $i: not a valid PDF: $(head -c 500 "$T/info")"
	elif [ ! -f first.pdf ]; then
		mv team.pdf first.pdf
	elif ! cmp -s team.pdf first.pdf; then
		bad=$((bad + 1))
		[ $bad -le 3 ] && fail "run $i: the PDF differs from the first run's"
	fi
done
expect "runs that failed, of $RUNS" "$bad" 0

# ---- the race made certain: pango's font lookups finish late ----
pre=""
if command -v cc >/dev/null 2>&1 && pkg-config --exists fontconfig 2>/dev/null; then
	cat >slowsort.c <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <unistd.h>
#include <fontconfig/fontconfig.h>
typedef FcFontSet *(*sort_fn)(FcConfig *, FcFontSet **, int, FcPattern *, FcBool, FcCharSet **,
                              FcResult *);
FcFontSet *FcFontSetSort(FcConfig *config, FcFontSet **sets, int nsets, FcPattern *p,
                         FcBool trim, FcCharSet **csp, FcResult *result)
{
	sort_fn real = (sort_fn)dlsym(RTLD_NEXT, "FcFontSetSort");
	usleep(100000);
	return real(config, sets, nsets, p, trim, csp, result);
}
C
	if cc -shared -fPIC -O2 $(pkg-config --cflags fontconfig) -o slowsort.so slowsort.c -ldl \
		>cc.log 2>&1; then
		pre=$T/slowsort.so
		ok
	else
		fail "the slow FcFontSetSort does not compile: $(head -c 1000 cc.log)"
	fi
else
	echo "$name: SKIP the slow font lookups: no C compiler or fontconfig headers" >&2
fi
# the sanitizers' runtime need not come first when a library is preloaded
ASAN_OPTIONS="verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export ASAN_OPTIONS

for i in 1 2 3 4 5; do
	rm -f slow.pdf
	LD_PRELOAD=$pre "$MERIT" report 2026-10 --format pdf -o slow.pdf >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne 0 ]; then fail "slow lookups, run $i: exit $rc: $(tail -c 500 "$T/err")"
	elif ! valid slow.pdf; then fail "slow lookups, run $i: not a valid PDF"
	else ok; fi
done

# merit serve: PDFs written by its worker threads, then a clean stop
LD_PRELOAD=$pre "$MERIT" serve --listen 127.0.0.1:0 2>"$T/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT
serve_wait "$T/serve.log" "$pid"
code=$(curl -s -c jar -o login.json -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"login":"owner","password":"merit-demo"}' "${url}api/login" --max-time 20)
expect "log in" "$code" 200
curls=""
for i in 1 2 3 4; do
	curl -s -b jar -o "web$i.pdf" -w '%{http_code}' "${url}api/report?period=2026-10&format=pdf" \
		--max-time 60 >"code$i" &
	curls="$curls $!"
done
wait $curls
for i in 1 2 3 4; do
	expect "download $i" "$(cat "code$i")" 200
	valid "web$i.pdf" && ok || fail "download $i: not a valid PDF: $(head -c 300 "web$i.pdf")"
done
kill -TERM "$pid"
wait "$pid"
st=$?
expect "serve stops cleanly after writing PDFs" "$st" 0
contains "stopped" "$T/serve.log" 'merit: stopped'

finish

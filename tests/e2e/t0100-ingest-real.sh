# merit ingest on the real logs in ../shared/data/real: visitors per day
# equal those of goaccess (run here, live, with its default settings and
# log format COMBINED); requests and visitors per day equal an independent
# count by awk; failed lines are reported by line; the same content twice
# (plain or gzip) is refused.
. "$(dirname "$0")/lib.sh"

R=${SHARED:-}/data/real
# the shared data sit beside the repository: ../shared from its root
[ -d "$R" ] || R=$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/real
[ -d "$R" ] || { fail "no real data at $R"; finish; exit 1; }
command -v goaccess >/dev/null || { fail "goaccess is not installed (scripts/install-deps.sh)"; finish; exit 1; }

run_ok "init" init --goal brand

# goaccess's visitors per day as "YYYY-MM-DD visitors" lines
ga_visitors() {
	goaccess "$1" --log-format=COMBINED --no-global-config -o "$T/ga.csv" >/dev/null 2>&1
	awk -F, '$3 == "\"visitors\"" { d = $12; v = $6; gsub(/"/, "", d); gsub(/"/, "", v);
		print substr(d, 1, 4) "-" substr(d, 5, 2) "-" substr(d, 7, 2), v }' "$T/ga.csv" | sort
}
# merit's FIELD (column of `merit traffic`) per day, for one batch's days
merit_col() { # $1 = column number, $2 = first day, $3 = last day
	"$MERIT" traffic --from "$2" --to "$3" | awk -v c="$1" 'NR > 1 { print $1, $c }'
}
# an independent count with awk: requests and visitors per day (a visitor
# is a distinct date+address+agent among requests whose status is not 4xx)
awk_counts() {
	awk -F'"' 'BEGIN { split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m, " ");
		for (i = 1; i <= 12; i++) mon[m[i]] = sprintf("%02d", i) }
	{ split($1, a, " "); t = 0; for (k = 2; k <= 4; k++) if (substr(a[k], 1, 1) == "[") { t = k; break }
	  if (!t) next   # COMBINED is "%h %^[%d:%t %^]": anything up to the [
	  d = substr(a[t], 2, 11); split(d, p, "/"); day = p[3] "-" mon[p[2]] "-" p[1]
	  req[day]++; split($3, s, " ")
	  if (s[1] !~ /^4/) { k = day SUBSEP a[1] SUBSEP $6; if (!(k in seen)) { seen[k] = 1; vis[day]++ } } }
	END { for (d in req) print d, req[d], vis[d] + 0 }' "$1" | sort
}

for f in elastic_apache_logs nielsbasjes_hackers-access lnav_logfile_bad_access_log.0; do
	run_ok "ingest $f" ingest "$R/$f.log"
	ga_visitors "$R/$f.log" > "$T/ga.txt"
	first=$(head -n 1 "$T/ga.txt" | cut -d' ' -f1); last=$(tail -n 1 "$T/ga.txt" | cut -d' ' -f1)
	merit_col 6 "$first" "$last" > "$T/mv.txt"
	if [ -s "$T/ga.txt" ] && cmp -s "$T/ga.txt" "$T/mv.txt"; then ok; else
		fail "$f: visitors per day differ from goaccess: goaccess [$(tr '\n' ' ' < "$T/ga.txt")] merit [$(tr '\n' ' ' < "$T/mv.txt")]"; fi
	awk_counts "$R/$f.log" > "$T/awk.txt"
	"$MERIT" traffic --from "$first" --to "$last" | awk 'NR > 1 { print $1, $3, $6 }' > "$T/mr.txt"
	if cmp -s "$T/awk.txt" "$T/mr.txt"; then ok; else
		fail "$f: requests/visitors per day differ from awk: awk [$(tr '\n' ' ' < "$T/awk.txt")] merit [$(tr '\n' ' ' < "$T/mr.txt")]"; fi
done

# the figures themselves, so a change in goaccess cannot hide a change here
expect "elastic visitors" "$(merit_col 6 2015-05-17 2015-05-20 | tr '\n' ' ')" \
	"2015-05-17 359 2015-05-18 643 2015-05-19 570 2015-05-20 523 "
expect "hackers visitors" "$(merit_col 6 2015-10-25 2015-10-30 | tr '\n' ' ')" \
	"2015-10-25 94 2015-10-26 111 2015-10-27 130 2015-10-28 120 2015-10-29 137 2015-10-30 80 "
expect "elastic requests" "$(merit_col 3 2015-05-17 2015-05-20 | awk '{ s += $2 } END { print s }')" 10000
# the hackers log holds attackers sending browser agents: a known limit,
# they count as humans (no crawler requests detected)
expect "hackers crawler requests" "$(merit_col 9 2015-10-25 2015-10-30 | awk '{ s += $2 } END { print s }')" 0
# elastic: Googlebot and friends are crawlers; the line cut inside its
# agent (Googlebot) is kept, as goaccess keeps it
expect "elastic 05-20 crawler requests >= googlebot lines" \
	"$(test "$(merit_col 9 2015-05-20 2015-05-20 | cut -d' ' -f2)" -ge \
	"$(grep '20/May/2015' "$R/elastic_apache_logs.log" | grep -c 'Googlebot')" && echo yes)" yes
expect "human <= visitors" "$("$MERIT" traffic | awk 'NR > 1 && $7 > $6' | wc -l)" 0

# lnav: line 2 lacks ident and user: COMBINED ("%h %^[%d:%t %^] ...")
# reads it, as goaccess does (3 valid requests)
run_ok "traffic lnav" traffic --from 2009-07-20 --to 2009-07-20 --json
contains "lnav no failed line" "$T/out" '"failed_lines": 0'
contains "lnav 3 requests" "$T/out" '"requests": 3'
# a line whose address is not one fails, reported with its line
rm -f merit2.db
main_db=$MERIT_DB
MERIT_DB=$(db_new merit2.db)
"$MERIT" init --goal none >/dev/null
sed '2s/^192.168.202.254/192.168.202/' "$R/lnav_logfile_bad_access_log.0.log" > lnav_bad.log
run_fail "strict" 1 'lnav_bad.log:2:1: .*--strict' ingest --strict lnav_bad.log
"$MERIT" ingest lnav_bad.log >"$T/out" 2>"$T/err"
contains "line 2 reported" "$T/err" 'lnav_bad.log:2:1: .*failed'
contains "summary" "$T/out" 'ingested .* as batch 1: 3 lines, 1 failed, 1 site-days, [0-9.]+ s, [0-9.]+ MB/s'
MERIT_DB=$main_db

# the same content again: plain, gzip, standard input — refused
run_fail "same content" 1 'ingested already as batch 1' ingest "$R/elastic_apache_logs.log"
gzip -c "$R/elastic_apache_logs.log" > elastic.log.gz
run_fail "same content gzip" 1 'ingested already as batch 1' ingest elastic.log.gz
_before=$(dump)
"$MERIT" ingest - < "$R/nielsbasjes_hackers-access.log" >"$T/out" 2>"$T/err"
expect "same content stdin refused" "$?" 1
contains "stdin refused says why" "$T/err" 'ingested already as batch 2'
expect "stdin refusal wrote nothing" "$(dump)" "$_before"

# a batch removed takes its traffic with it
run_ok "batch rm" batch rm 1
expect "elastic traffic gone" "$(sqlite3 "$MERIT_DB" 'select count(*) from traffic where batch_id = 1')" 0
expect "elastic visitor set gone" "$(sqlite3 "$MERIT_DB" 'select count(*) from traffic_visitor where batch_id = 1')" 0
run_ok "gzip ingests once removed" ingest --format combined elastic.log.gz
expect "elastic visitors again" "$(merit_col 6 2015-05-17 2015-05-20 | tr '\n' ' ')" \
	"2015-05-17 359 2015-05-18 643 2015-05-19 570 2015-05-20 523 "
run_fail "twice in one call" 1 'ingested already' ingest "$R/lnav_logfile_bad_access_log.0.log" "$R/lnav_logfile_bad_access_log.0.log"

# figures per day of the elastic log ingested into database $1 by the rest
# of the arguments: date requests failed visitors visits
elastic_in() {
	_db=$1; shift
	rm -f "$_db"
	MERIT_DB=$_db "$MERIT" init --goal none >/dev/null 2>&1
	for _args in "$@"; do MERIT_DB=$_db "$MERIT" ingest $_args >/dev/null 2>>"$T/err2" || echo "ingest $_args failed"; done
	MERIT_DB=$_db "$MERIT" traffic --from 2015-05-17 --to 2015-05-20 | awk 'NR > 1 { print $1, $3, $4, $6, $8 }'
}
# the order of the files does not matter: the log split in four and listed
# newest first (as access.log* globs list) counts as the whole log
split -l 2500 -a 2 "$R/elastic_apache_logs.log" part_
whole=$(elastic_in "$T/whole.db" "$R/elastic_apache_logs.log")
expect "split newest first = whole" "$(elastic_in "$T/split.db" "part_ad part_ac part_ab part_aa")" "$whole"
# a log read while its last line is half written: that line is read whole
# by the next run
head -n 5000 "$R/elastic_apache_logs.log" > head5000.log
first=$(elastic_in "$T/head.db" head5000.log)
head -c 300000 "$R/elastic_apache_logs.log" > growing.log
elastic_in "$T/grow.db" growing.log >/dev/null
cp head5000.log growing.log
MERIT_DB=$T/grow.db "$MERIT" ingest growing.log >"$T/out" 2>&1
contains "grown log read on" "$T/out" 'as batch 2: [0-9]+ lines \(after [0-9]+ ingested before\)'
expect "half-written last line waits" "$(MERIT_DB=$T/grow.db "$MERIT" traffic --from 2015-05-17 --to 2015-05-20 | awk 'NR > 1 { print $1, $3, $4, $6, $8 }')" "$first"
finish

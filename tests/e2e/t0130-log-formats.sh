# merit ingest on real logs of every format GoAccess predefines: the
# format is detected from the first lines (and said in the summary), and
# requests and visitors per day equal goaccess's, run here, live, on the
# same file.  Where Debian's goaccess 1.7 cannot read a real file with its
# own preset — Squid lines without the syslog prefix its SQUID preset
# expects, classic ELB lines (its AWSELB preset skips a first field they do
# not have), Traefik (no TRAEFIKCLF in 1.7) and IIS logs whose #Fields are
# not its W3C default — goaccess is given a format string for that file,
# built here from the file (an IIS #Fields line by awk), and merit is left
# to detect the format or read the #Fields line itself.  Files and where
# they come from: tests/data/logs/PROVENANCE.md.
#
# Then what a user saw: `--format iis` named no format and was taken for a
# format string; app user agents (Android's Dalvik and okhttp, an iOS
# app's CFNetwork) were crawlers; under a Turkish locale "SPIDER" was not
# a spider and /FAVICON.ICO was a page; a last line without its newline
# was held back without a word (and never read in a finished file).
D=$(cd "$(dirname "$0")/../data/logs" && pwd)
. "$(dirname "$0")/lib.sh"

R=${SHARED:-}/data/real
[ -d "$R" ] || R=$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/real
command -v goaccess >/dev/null || { fail "goaccess is not installed (scripts/install-deps.sh)"; finish; exit 1; }
command -v python3 >/dev/null || { fail "python3 is needed"; finish; exit 1; }
run_ok "init" init --goal none

# goaccess's hits and visitors per day: "YYYY-MM-DD hits visitors" lines
# (the date is the visitors panel's last CSV column; a Unix time is read
# in UTC, as merit reads it)
ga_days() { # FILE GOACCESS-ARGS...
	_f=$1; shift
	TZ=UTC goaccess "$_f" --no-global-config "$@" -o "$T/ga.csv" >/dev/null 2>&1
	awk -F, '$3 == "\"visitors\"" { d = $NF; h = $4; v = $6; gsub(/"/, "", d); gsub(/"/, "", h); gsub(/"/, "", v);
		print substr(d, 1, 4) "-" substr(d, 5, 2) "-" substr(d, 7, 2), h, v }' "$T/ga.csv" | sort
}
# merit's requests and visitors per day, every site together, in a fresh
# database; the summary line in $T/sum
me_days() { # MERIT-INGEST-ARGS...
	rm -f "$T/f.db"
	MERIT_DB=$T/f.db "$MERIT" init --goal none >/dev/null 2>&1
	MERIT_DB=$T/f.db "$MERIT" ingest "$@" >"$T/sum" 2>"$T/sumerr"
	MERIT_DB=$T/f.db "$MERIT" traffic | awk 'NR > 1 { r[$1] += $3; v[$1] += $6 } END { for (d in r) print d, r[d], v[d] }' | sort
}
# same FILE FORMAT-SHOWN GOACCESS-ARGS...: detected as FORMAT-SHOWN, and
# the same figures as goaccess
same() {
	_n=$1; _fmt=$2; shift 2
	[ -f "$_n" ] || cp "$D/$_n" "$_n"
	touch -d '1 hour ago' "$_n"          # a finished log: its last line is read
	ga_days "$_n" "$@" > "$T/ga.txt"
	me_days "$_n" > "$T/me.txt"
	if [ -s "$T/ga.txt" ] && cmp -s "$T/ga.txt" "$T/me.txt"; then ok; else
		fail "$_n: requests/visitors per day differ: goaccess [$(tr '\n' ' ' < "$T/ga.txt")] merit [$(tr '\n' ' ' < "$T/me.txt")] $(cat "$T/sumerr")"; fi
	if grep -Fq "; format $_fmt (detected)" "$T/sum"; then ok; else
		fail "$_n: not detected as $_fmt: $(cat "$T/sum" "$T/sumerr")"; fi
}

# ---- the presets goaccess 1.7 reads real files with ----
same w3c_iis10_plaso.log w3c --log-format=W3C
same cloudfront_awsdoc.log cloudfront --log-format=CLOUDFRONT
same cloudstorage_kanjiapi.log cloudstorage --log-format=CLOUDSTORAGE
same awsalb_plaso.log awsalb --log-format=AWSALB
same awss3_beats.log awss3 --log-format=AWSS3
same caddy_lnav.log caddy --log-format=CADDY

# ---- format strings for goaccess ----
# IIS: the layout its #Fields line gives (not goaccess's W3C default)
w3c_string() {
	grep -m1 '^#Fields:' "$1" | awk '{ out = ""; for (i = 2; i <= NF; i++) { f = tolower($i); s = "%^";
		if (f == "date") s = "%d"; else if (f == "time") s = "%t"; else if (f == "c-ip") s = "%h";
		else if (f == "cs-method") s = "%m"; else if (f == "cs-uri-stem") s = "%U"; else if (f == "cs-uri-query") s = "%q";
		else if (f == "sc-status") s = "%s"; else if (f == "sc-bytes") s = "%b"; else if (f == "cs(user-agent)") s = "%u";
		else if (f == "cs(referer)") s = "%R"; else if (f == "cs-host") s = "%v";
		out = out (i > 2 ? " " : "") s } print out }'
}
for f in w3c_iis6_plaso.log w3c_iis85_lnav.log; do
	same "$f" w3c "--log-format=$(w3c_string "$D/$f")" --date-format=%Y-%m-%d --time-format=%H:%M:%S
done
# the IIS 8.5 log restarts 11 times, each time with its #Fields line
expect "iis85 #Fields lines" "$(grep -c '^#Fields' "$D/w3c_iis85_lnav.log")" 11
same squid_plaso.log '%x.%^ %~%L %h %^/%s %b %m %U' \
	'--log-format=%x.%^ %~%L %h %^/%s %b %m %U' --date-format=%s --time-format=%s
same awselb_plaso.log '%dT%t.%^ %^ %h:%^ %^ %^ %^ %^ %s %^ %^ %b "%r" "%u" %^' \
	'--log-format=%dT%t.%^ %^ %h:%^ %^ %^ %^ %^ %s %^ %^ %b "%r" "%u" %^' --date-format=%Y-%m-%d --time-format=%H:%M:%S
same traefikclf_beats.log traefikclf \
	'--log-format=%h - %e [%d:%t %^] "%r" %s %b "%R" "%u" %^ "%v" "%U" %Lms' --date-format=%d/%b/%Y --time-format=%H:%M:%S
# a preset named reads the same as detection
cp "$D/squid_plaso.log" squid.log; touch -d '1 hour ago' squid.log
run_fail "squid preset on lines without the syslog prefix" 1 'none of its 8 lines matches the log format squid' \
	ingest --format squid squid.log
cp "$D/w3c_iis85_lnav.log" iis.log; touch -d '1 hour ago' iis.log
expect "--format w3c reads each #Fields line" "$(me_days --format w3c iis.log | tr '\n' ' ')" "2015-01-13 210 7 "

# ---- combined, common, vcombined, vcommon, JSON lines: the real Apache
# log of ../shared/data/real, as it is, cut to common's fields, with the
# virtual host of Apache's vhost_combined ("%v:%p %h %l %u %t ..."), and
# written as nginx's `log_format ... escape=json` writes it ----
E=$R/elastic_apache_logs.log
cp "$E" combined.log
awk '{ if (match($0, /" [0-9][0-9][0-9] [^ ]+/)) print substr($0, 1, RSTART + RLENGTH - 1) }' "$E" > common.log
sed 's/^/www.example.com:443 /' combined.log > vcombined.log
sed 's/^/www.example.com:443 /' common.log > vcommon.log
python3 - "$E" > nginx.json <<'EOF'
import json, re, sys
rx = re.compile(r'^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\S+) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"$')
un = lambda s: s.replace('\\"', '"').replace('\\\\', '\\')
for line in open(sys.argv[1], encoding='utf-8', errors='replace'):
    m = rx.match(line.rstrip('\n'))
    if m:
        a = m.groups()
        print(json.dumps({"time_local": a[3], "remote_addr": a[0], "remote_user": a[2], "request": un(a[4]),
                          "status": a[5], "body_bytes_sent": a[6], "http_referer": un(a[7]),
                          "http_user_agent": un(a[8])}, ensure_ascii=False, separators=(',', ':')))
EOF
touch -d '1 hour ago' combined.log common.log vcombined.log vcommon.log nginx.json
same combined.log combined --log-format=COMBINED
same common.log common --log-format=COMMON
same vcombined.log vcombined --log-format=VCOMBINED
same vcommon.log vcommon --log-format=VCOMMON
same nginx.json json '--log-format={"time_local":"%d:%t %^","remote_addr":"%h","request":"%r","status":"%s","body_bytes_sent":"%b","http_referer":"%R","http_user_agent":"%u"}' \
	--date-format=%d/%b/%Y --time-format=%H:%M:%S
# page views of the JSON lines, counted by python: 2xx or 304, not a
# static file, not a crawler's agent (merit's list: a browser's agent,
# none of the bot words) — here only the agents this log has
pv_py=$(python3 - nginx.json <<'EOF'
import json, sys, collections
static = ("css js jpg png gif ico jpeg pdf csv mpeg mpg swf woff woff2 xls xlsx doc docx ppt pptx txt zip ogg "
          "mp3 mp4 exe iso gz rar svg bmp tar tgz tiff tif ttf flv dmg xz zst webp map").split()
words = ("bot crawl spider slurp scrap fetch archiv index checker monitor scan preview validator headless "
         "phantomjs lighthouse pingdom uptime nagios zabbix statuscake site24x7 facebookexternalhit mediapartners "
         "adsbot feedfetcher feedparser feedly yandex baidu sogou exabot ia_archiver semrush ahrefs mj12 dotbot "
         "petalbot bytespider gptbot ccbot curl wget python java/ go-http-client libwww httpclient http_request "
         "aiohttp node-fetch axios guzzle postman insomnia zgrab masscan nmap nikto sqlmap nuclei portscout "
         "cloudflare embedly whatsapp telegram slack discord skype bingpreview google-read-aloud "
         "chrome-lighthouse").split()
def crawler(ua):
    ua = ua.lstrip(' \t')
    low = ua.lower()
    if ua in ('', '-'): return True
    app = ua.startswith('Dalvik/') or ua.startswith('okhttp/') or (' cfnetwork/' in low and ' darwin/' in low)
    if not (ua.startswith('Mozilla/') or ua.startswith('Opera/') or app): return True
    if '+http' in low or 'http://' in low or 'https://' in low or '@' in low: return True
    return any(w in low for w in words)
pv = collections.Counter()
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)
    st = int(r["status"])
    parts = r["request"].split(' ')
    if len(parts) < 2 or not (200 <= st < 300 or st == 304) or crawler(r["http_user_agent"]):
        continue
    target = parts[1] if len(parts) < 3 else ' '.join(parts[1:-1])
    path = target.split('?')[0]
    if path.startswith('http://') or path.startswith('https://'):
        rest = path.split('://', 1)[1]
        path = rest[rest.find('/'):] if '/' in rest else ''
    if not path.startswith('/'):
        continue
    last = path.rsplit('/', 1)[-1]
    ext = last.rsplit('.', 1)[-1].lower() if '.' in last else ''
    if ext in static and len(ext) <= 5:
        continue
    d, m, y = r["time_local"][:11].split('/')
    mon = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split().index(m) + 1
    pv["%s-%02d-%s" % (y, mon, d)] += 1
print(' '.join("%s %d" % (d, pv[d]) for d in sorted(pv)))
EOF
)
me_days nginx.json >/dev/null
expect "JSON lines: page views per day (python)" \
	"$(MERIT_DB=$T/f.db "$MERIT" traffic | awk 'NR > 1 { printf "%s %s ", $1, $5 }' | sed 's/ $//')" "$pv_py"

# ---- a name that names no format ----
fresh_db; "$MERIT" init --goal none >/dev/null
cp combined.log some.log
run_fail "unknown format name" 2 'log format "iis": no format has that name \(the names: combined, vcombined, common, vcommon, w3c, cloudfront, cloudstorage, awselb, awsalb, awss3, squid, caddy, traefikclf, json' \
	ingest --format iis some.log
run_ok "a name in capitals" ingest --format COMBINED some.log

# ---- app user agents are people (goaccess 1.7: Dalvik and okhttp are
# browsers, "Others"; CFNetwork a crawler) ----
fresh_db; "$MERIT" init --goal none >/dev/null
{
	echo '10.1.0.1 - - [03/Nov/2026:08:00:00 +0800] "GET /p/1 HTTP/1.1" 200 10 "-" "Dalvik/2.1.0 (Linux; U; Android 11; SM-A515F Build/RP1A.200720.012)"'
	echo '10.1.0.2 - - [03/Nov/2026:08:00:01 +0800] "GET /p/2 HTTP/1.1" 200 10 "-" "MyShop/3.2 CFNetwork/1240.0.4 Darwin/20.5.0"'
	echo '10.1.0.3 - - [03/Nov/2026:08:00:02 +0800] "GET /p/3 HTTP/1.1" 200 10 "-" "okhttp/4.9.0"'
	echo '10.1.0.4 - - [03/Nov/2026:08:00:03 +0800] "GET /p/4 HTTP/1.1" 200 10 "-" "curl/8.4.0"'
} > apps.log
touch -d '1 hour ago' apps.log
run_ok "apps" ingest apps.log
# date requests failed page_views visitors human visits crawler
expect "apps are human visitors" "$("$MERIT" traffic | awk 'NR > 1 { print $3, $5, $6, $7, $9 }')" "4 3 4 3 1"

# ---- a Turkish locale: ASCII case folding ----
LOC=$T/locale
if mkdir -p "$LOC" && localedef -i tr_TR -f UTF-8 "$LOC/tr_TR.UTF-8" >/dev/null 2>&1; then
	fresh_db; "$MERIT" init --goal none >/dev/null
	{
		echo '10.2.0.1 - - [03/Nov/2026:08:00:00 +0800] "GET /a HTTP/1.1" 200 10 "-" "Mozilla/5.0 (compatible; SPIDER/1.0)"'
		echo '10.2.0.2 - - [03/Nov/2026:08:00:01 +0800] "GET /FAVICON.ICO HTTP/1.1" 200 10 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"'
	} > tr.log
	touch -d '1 hour ago' tr.log
	LOCPATH=$LOC LC_ALL=tr_TR.UTF-8 "$MERIT" ingest tr.log >"$T/out" 2>"$T/err" || fail "tr ingest: $(cat "$T/err")"
	# requests page_views crawler: SPIDER is a crawler, the icon no page
	expect "tr_TR: same as C" "$(LOCPATH=$LOC LC_ALL=tr_TR.UTF-8 "$MERIT" traffic | awk 'NR > 1 { print $3, $5, $9 }')" "2 0 1"
else
	echo "note [$name]: no tr_TR.UTF-8 locale could be made (localedef); the Turkish case is skipped" >&2
fi

# ---- a last line without its newline ----
fresh_db; "$MERIT" init --goal none >/dev/null
head -n 3 "$E" > held.log; head -n 4 "$E" | tail -n 1 | tr -d '\n' >> held.log
run_ok "held: being written" ingest held.log
contains "held back, and said so" "$T/out" 'held.log: its last line has no newline yet .* left for the next run'
expect "held: 3 lines" "$("$MERIT" traffic | awk 'NR > 1 { s += $3 } END { print s }')" 3
fresh_db; "$MERIT" init --goal none >/dev/null
touch -d '1 hour ago' held.log
run_ok "held: finished file" ingest held.log
expect "finished file: its last line is read" "$("$MERIT" traffic | awk 'NR > 1 { s += $3 } END { print s }')" 4
# a live log read before, whose only new bytes are a line being written:
# nothing new yet, not "ingested already" (a cron job's run failed)
fresh_db; "$MERIT" init --goal none >/dev/null
head -n 3 "$E" > live.log
run_ok "live: its first lines" ingest live.log
head -n 4 "$E" | tail -n 1 | tr -d '\n' >> live.log
run_ok "live: only a line being written since" ingest live.log
contains "live: nothing new, said so" "$T/err" 'live.log: nothing new since batch 1 \(after the file.s first 3 lines\); its last line has no newline yet .* left for the next run; skipped'
expect "live: still one batch, 3 lines" "$(sqlite3 "$MERIT_DB" 'select count(*) from batch')|$("$MERIT" traffic | awk 'NR > 1 { s += $3 } END { print s }')" "1|3"
echo >> live.log
run_ok "live: the line finished" ingest live.log
expect "live: now 4 lines" "$("$MERIT" traffic | awk 'NR > 1 { s += $3 } END { print s }')" 4
finish

/* main.c — merit's command line: global options, the command table,
 * and the helpers every command uses.
 *
 * A command is one function in one file (cmd_*.c), listed once here.
 */
#include "cli/cli.h"
#include "util/version.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "ingest/plan_yaml.h"
#include "report/score_text.h"


const mr_command mr_commands[] = {
	{ "init", mr_cmd_init, "create the database with the built-in plan for a goal",
	  "usage: merit init --goal brand|platform|sales|none [--period month|quarter|half|year]\n"
	  "\n"
	  "Create the database (if needed) and write the built-in plan for the\n"
	  "operating goal: the six positions (manager, editor, promoter, designer,\n"
	  "developer, support) with their indicators, default weights and targets.\n"
	  "Refused when a plan exists already; change it with `merit plan import`.\n"
	  "\n"
	  "  --goal G      brand, platform, sales or none\n"
	  "  --period P    the usual cycle length: month (default), quarter, half, year\n" },
	{ "plan", mr_cmd_plan, "show, export or import the appraisal plan",
	  "usage: merit plan show\n"
	  "       merit plan export [FILE]\n"
	  "       merit plan import FILE\n"
	  "\n"
	  "show     print a summary of the plan: goal, positions, indicators, weights\n"
	  "export   write the plan as YAML to FILE (or standard output)\n"
	  "import   check FILE and make it the plan; every problem is reported with\n"
	  "         its line and column, and nothing changes unless all is well\n" },
	{ "staff", mr_cmd_staff, "add, change and list the people appraised",
	  "usage: merit staff add LOGIN --name NAME (--position KEY | --reviewer) [--manager LOGIN]\n"
	  "                 [--from DATE] [--to DATE] [--base-bonus AMOUNT]\n"
	  "       merit staff set LOGIN [--name NAME] [--position KEY|--reviewer]\n"
	  "                 [--manager LOGIN|--no-manager] [--from DATE|--no-from]\n"
	  "                 [--to DATE|--no-to] [--base-bonus AMOUNT]\n"
	  "       merit staff list [--json]\n"
	  "       merit staff import FILE [--title TITLE=KEY]... [--position KEY]\n"
	  "\n"
	  "  --position KEY    a position of the plan (see `merit plan show`); for\n"
	  "                    import, that of the job titles no --title names\n"
	  "  --title T=KEY     import: the position of job title (职位) T\n"
	  "  --reviewer        someone who rates but is never scored, ranked, counted in a\n"
	  "                    quota or paid: the owner or a director.  A reviewer needs no\n"
	  "                    position and may be anyone's --manager; the operations\n"
	  "                    manager's manager rating comes from one\n"
	  "  --from, --to      first and last active day (YYYY-MM-DD, inclusive); a\n"
	  "                    person active for part of a cycle has sum targets pro-rated\n"
	  "  --base-bonus      the person's own base bonus (e.g. 4500.00), overriding\n"
	  "                    the position's\n"
	  "A new LOGIN is 1 to 64 ASCII letters, digits, '.', '-' or '_'.  Names are\n"
	  "UTF-8 text of at most 200 bytes, any language, kept in NFC; control\n"
	  "characters (and bidi overrides) are refused.  Nobody manages their own\n"
	  "manager, however far up: such a --manager is refused.\n"
	  "import reads a WeCom (企业微信) member file (CSV, .xlsx or .xls): 姓名 the\n"
	  "name, 帐号 the login, 职位 the job title; each department's (所在部门)\n"
	  "leader (是否部门内领导 1) manages its others; 禁用 1 is left out.  New\n"
	  "people are added, known ones changed (a leader's manager they now lead\n"
	  "is dropped, and told); one transaction.\n" },
	{ "own", mr_cmd_own, "say whose a channel, URL, keyword, site or tracker name is",
	  "usage: merit own channel|campaign|referrer|url|author|keyword|site|tracker VALUE --who LOGIN\n"
	  "       merit own rm KIND VALUE\n"
	  "       merit own list [--json]\n"
	  "\n"
	  "Ownership rules attribute raw data to people: a traffic channel\n"
	  "(utm_source), campaign (utm_campaign) or referrer host to a promoter, a URL\n"
	  "prefix or author name to an editor, a keyword to a promoter, a monitored\n"
	  "site to support, a tracker user name to a login.  A new rule for the same\n"
	  "value replaces the old one; rm removes one (data imported later is then\n"
	  "nobody's by it).\n" },
	{ "record", mr_cmd_record, "record one measurement by hand",
	  "usage: merit record INDICATOR VALUE (--who LOGIN | --team) --date DATE [--of DENOMINATOR]\n"
	  "\n"
	  "Record one measurement, e.g. a brand-awareness survey score:\n"
	  "  merit record brand_awareness 72 --team --date 2026-11-30\n"
	  "  --of D   the denominator, for ratio indicators (value of D)\n" },
	{ "import", mr_cmd_import, "import a data source's file, or measurements",
	  "usage: merit import measurements FILE [--replace] [--skip-bad]\n"
	  "       merit import orders|tasks|ranks|leads|content|posts|members|uptime|\n"
	  "                    visits|index FILE\n"
	  "                    [--preset NAME] [--map COL=FIELD]... [--map-file FILE]\n"
	  "                    [--date DATE] [--date-order dmy|mdy]\n"
	  "                    [--value FIELD:SOURCE=MEANING]... [--strict] [--replace]\n"
	  "                    [--skip-bad] [--encoding NAME] [--sheet NAME]\n"
	  "       merit import index FILE [--indicator KEY] [the options above]\n"
	  "       merit import [KIND] --source NAME FILE [the options above]\n"
	  "\n"
	  "--source NAME imports with the options saved as NAME (`merit source add`);\n"
	  "options given here add to them: --map and --value after the saved ones,\n"
	  "--preset, --date-order, --map-file, --encoding and --sheet instead of the\n"
	  "saved ones.\n"
	  "\n"
	  "FILE is CSV with the header date,indicator,login,value,denominator\n"
	  "(login empty for the team; denominator only for ratio indicators; columns\n"
	  "in any order; login and denominator may be left out).  FILE - reads\n"
	  "standard input.\n"
	  "\n"
	  "Any kind's FILE may be CSV or TAB-separated text in UTF-8 (with or without\n"
	  "a BOM), UTF-16 with a BOM (Excel's \"Unicode text\") or GBK/GB18030, told\n"
	  "apart by the bytes; or an .xlsx or .xls workbook (its first sheet; errors\n"
	  "say sheet, row and column).  Cells written as =\"123\", '123, 'null or with\n"
	  "TABs around them are read as 123 (and empty).\n"
	  "  --encoding NAME    the text's encoding when it is not told apart (GBK,\n"
	  "                     BIG5, WINDOWS-1252, SHIFT_JIS …: iconv -l)\n"
	  "  --sheet NAME       the workbook's sheet to read\n"
	  "\n"
	  "The whole file is one batch in one transaction: a bad row stops the import\n"
	  "with its line and column and nothing is written.  Nothing is counted twice:\n"
	  "the same content (also re-saved with CRLF line ends, a BOM or no last\n"
	  "newline) is refused, and so are rows an earlier batch counted (order\n"
	  "number, issue key, post URL, else the row's trimmed fields), naming that\n"
	  "batch and the count; a measurements file keeps no row identities, so only\n"
	  "its re-saved copies are caught.  An import that would count nothing makes\n"
	  "no batch and says why.\n"
	  "  --replace    swap out the batch of the same content and every batch whose\n"
	  "               rows the file holds, or else the latest batch of this kind\n"
	  "               from a file of the same name (a corrected export), in the\n"
	  "               same transaction\n"
	  "  --skip-bad   report and skip bad rows, and rows counted already, instead\n"
	  "               of stopping\n"
	  "\n"
	  "The other kinds read a data source's CSV export; the preset (shopify; jira\n"
	  "in its languages, gitlab, redmine, tapd, zentao, github, trello, feishu;\n"
	  "search-console, baidu-ziyuan; baidu-tongji; wechat; baidu-index) is picked\n"
	  "from the header, or named.\n"
	  "Header names match ignoring case, spaces around them and a BOM; columns no\n"
	  "field reads are ignored and listed once; missing required columns are all\n"
	  "named at once.\n"
	  "  --preset NAME      the export's layout (generic: columns named as fields)\n"
	  "  --map COL=FIELD    take FIELD from column COL (FIELD - ignores COL); one\n"
	  "                     mapping per --map, so COL may hold commas; a value\n"
	  "                     A=x,B=y is a list only when A and B are both columns\n"
	  "  --map-file FILE    mappings in YAML, one per line: \"Deal Stage\": status\n"
	  "  --strict           a column no field reads is an error (map it to -)\n"
	  "  --date DATE        the day of a file without dates (search console, a\n"
	  "                     Baidu Tongji source report)\n"
	  "  --date-order dmy|mdy  whether 03/11/2026 is 3 November or March 11; without\n"
	  "                     it a date with a day over 12 tells, else it is refused\n"
	  "  --value FIELD:SOURCE=MEANING  what a value of the source means, beyond the\n"
	  "                     built-in English and Chinese tables: orders status\n"
	  "                     (paid, pending, cancelled, refunded) and source (online,\n"
	  "                     pos, draft), content type (topic, article, other), tasks\n"
	  "                     first_review (approved, rejected) and status (done,\n"
	  "                     open, cancelled).  Unknown values are\n"
	  "                     told with their count, never counted silently\n"
	  "Dates: 2026-11-03, 03/11/2026, 16/Feb/17, 15/ene/26, Nov 3, 2026, 2026年11月3日.\n"
	  "Orders: only paid online orders count (not point of sale, not drafts), in\n"
	  "the plan's `currency:` (others refused, or skipped with --skip-bad); with\n"
	  "none named, a file mixing currencies is refused.  Presets: shopify,\n"
	  "woocommerce, taobao (tmall), jd, youzan, douyin (抖店); the Chinese shops'\n"
	  "orders are in CNY.\n"
	  "Leads: date[,count,source,campaign], or the hubspot, salesforce, zoho\n"
	  "exports; a lead is also the promoter's who owns its campaign (`merit own\n"
	  "campaign`), else its source (`merit own channel`).\n"
	  "Visits: each row's visits are the team's site_visits on its day, and a\n"
	  "promoter's when they own its source (`merit own channel|referrer`).\n"
	  "Index: one keyword's search index a day (date,keyword,value[,type], or a\n"
	  "Baidu Index series saved by baidux/spider-BaiduIndex: preset baidu-index);\n"
	  "each day of the \"all\" series is a team measurement of the indicator\n"
	  "  --indicator KEY    names (brand_awareness when not told); the indicator's\n"
	  "                     aggregation makes the cycle's number (last: the latest\n"
	  "                     day; mean: the daily mean)\n"
	  "Tracker names become logins by `merit own tracker NAME --who LOGIN`; what\n"
	  "was not counted is told.  Fields and rules: man merit, IMPORT FILES.\n"
	  "The file is read and checked before the database is locked; the write\n"
	  "lock is held only to insert (without --replace), so `merit serve` and\n"
	  "other commands go on meanwhile (man merit, CONCURRENCY).\n" },
	{ "source", mr_cmd_source, "save an import's options under a name",
	  "usage: merit source add NAME --kind KIND [--preset NAME] [--map COL=FIELD]...\n"
	  "                        [--map-file FILE] [--value FIELD:SOURCE=MEANING]...\n"
	  "                        [--date-order dmy|mdy] [--encoding NAME] [--sheet NAME]\n"
	  "                        [--strict]\n"
	  "       merit source list [--json]\n"
	  "       merit source show NAME [--json]\n"
	  "       merit source rm NAME\n"
	  "\n"
	  "A source is the way a company's export is read — its kind and the options\n"
	  "of `merit import` that describe the file — saved once, so the monthly\n"
	  "export goes in with `merit import --source NAME FILE` (and is chosen from\n"
	  "a list in the web upload).  The options are checked against the kind when\n"
	  "saved; a --map-file is read then and kept with the source.  NAME is up to\n"
	  "64 bytes, no spaces or slashes (天猫订单 is fine), unique ignoring case.\n"
	  "Adding and removing are audited.  To change a source, remove it and add\n"
	  "it again.\n" },
	{ "ingest", mr_cmd_ingest, "read web access logs into daily traffic",
	  "usage: merit ingest LOGFILE... [--format NAME|FORMAT] [--site NAME] [--strict]\n"
	  "\n"
	  "Read web access logs (plain, .gz, or - for standard input), one\n"
	  "batch per file, all in one transaction.  Per site and day: requests, failed\n"
	  "lines, page views, visitors, human visitors, visits, crawler requests (see\n"
	  "`merit traffic`); the team's site_visits per day, and a promoter's when a\n"
	  "visit's utm_campaign, utm_source or referrer host is theirs (`merit own`);\n"
	  "page views of URLs under an editor's `merit own url` prefix.\n"
	  "\n"
	  "A log that has grown since it was last ingested contributes only its new\n"
	  "lines; any line an earlier batch counted (a copy, a slice, a rotated file)\n"
	  "is skipped and told; the same content twice is refused.  Lines that do not\n"
	  "match the format are counted and the first few reported; a line over\n"
	  "64 KiB or damaged gzip data stop it, and nothing is written.  A last line\n"
	  "without its newline in a file changed in the last 5 minutes waits for the\n"
	  "next run (told).\n"
	  "  --format F   default: detected per file from its first lines.  A name\n"
	  "               (GoAccess's): combined vcombined common vcommon w3c cloudfront\n"
	  "               cloudstorage awselb awsalb awss3 squid caddy traefikclf, or\n"
	  "               json (nginx escape=json keys); or a format string: GoAccess's\n"
	  "               (%h %d %t %x %r %m %U %q %s %b %R %u %v %^, a {JSON} template)\n"
	  "               or Apache's (%h %l %u %t %r %>s %b %{Referer}i %{User-Agent}i)\n"
	  "  --site NAME  the site the requests are for (default: the virtual host\n"
	  "               with vcombined or %v, else \"default\")\n"
	  "  --strict     a line that does not parse is an error\n" },
	{ "traffic", mr_cmd_traffic, "web traffic per day, from ingested logs",
	  "usage: merit traffic [--from DATE] [--to DATE] [--site NAME] [--json]\n"
	  "\n"
	  "Per day and site: requests, failed_lines, page_views, visitors,\n"
	  "human_visitors, visits, crawler_requests.  Visitors are distinct (date,\n"
	  "address, user agent) among requests whose status is not 4xx, as GoAccess\n"
	  "counts them; human ones leave crawlers out; a page view is a non-static\n"
	  "2xx/304 request not from a crawler; a visit ends after 30 minutes idle.\n" },
	{ "batches", mr_cmd_batches, "list import batches",
	  "usage: merit batches [--json]\n"
	  "\n"
	  "Every import and every record is a batch: file name, SHA-256 of the content,\n"
	  "rows, dates covered, when and by whom.  Remove one with `merit batch rm ID`.\n"
	  "A control character in a file name is shown escaped (\\x1b).\n" },
	{ "batch", mr_cmd_batch, "remove an import batch",
	  "usage: merit batch rm ID\n"
	  "\n"
	  "Remove the batch and all its measurements (refused when they fall in a\n"
	  "closed cycle).\n" },
	{ "probe", mr_cmd_probe, "check sites' uptime (HTTP and TCP) for support",
	  "usage: merit probe add URL [--who LOGIN] [--every 60s] [--timeout 10s]\n"
	  "       merit probe list [--json]\n"
	  "       merit probe rm ID\n"
	  "       merit probe run [--once | --rounds N]\n"
	  "\n"
	  "A probe checks URL for the uptime of LOGIN (else the owner by a\n"
	  "`merit own site` rule for its host): http:// and https:// are up on a\n"
	  "2xx or 3xx answer within the timeout (redirects are not followed),\n"
	  "tcp://HOST:PORT is up when a TCP connection opens in time.\n"
	  "\n"
	  "run checks every probe now, then each again at its own interval, until\n"
	  "SIGINT or SIGTERM (what was checked is saved; exit 0).  A day's rounds\n"
	  "go into one batch (source probe, file \"day YYYY-MM-DD\"), each round\n"
	  "adding to it: per check an uptime measurement of 1 (up) or 0\n"
	  "(down) of 1, dated today, and the raw result (time, status, latency,\n"
	  "error).  The checks run first, then the round is written in one\n"
	  "transaction.\n"
	  "  --every D     how often: 1s to 24h, e.g. 30s, 5m, 1h (default 60s)\n"
	  "  --timeout D   how long a check may take: 100ms to 10m, at most --every\n"
	  "                (default 10s, or --every when shorter)\n"
	  "  --once        one round of every probe, then exit (the same as --rounds 1)\n"
	  "  --rounds N    stop after N rounds\n" },
	{ "notify", mr_cmd_notify, "tell people by e-mail, WeCom, DingTalk or Feishu",
	  "usage: merit notify add email|wecom|dingtalk|feishu TARGET [--secret S]\n"
	  "                 [--who LOGIN] [--lang en|zh-CN]\n"
	  "       merit notify list [--outbox] [--json]\n"
	  "       merit notify rm ID\n"
	  "       merit notify set KEY [VALUE]\n"
	  "       merit notify test ID\n"
	  "       merit notify run [--once]\n"
	  "\n"
	  "Notices: a cycle opened, moved to review or closed; ratings due 3 days and\n"
	  "1 day before the review deadline (the cycle's last day + review_days), to\n"
	  "those who still owe them; a data source with no import for stale_days; a\n"
	  "team indicator (summed, higher better) behind its target pro-rated to the\n"
	  "days gone, from the cycle's middle on; evidence a member handed in, to\n"
	  "their manager (their address, else the team's channels), and again when it\n"
	  "has waited evidence_days.  Each is written to the outbox in\n"
	  "the same transaction as its event, once per channel, in the channel's\n"
	  "language (--lang, else the plan's locale).  A group channel never carries\n"
	  "a score or the team's figures, only a link (base_url).\n"
	  "\n"
	  "add      TARGET is an e-mail address, or the bot's webhook URL\n"
	  "  --secret S    DingTalk's or Feishu's signing secret (加签 / 签名校验)\n"
	  "  --who LOGIN   an e-mail address that is this person's: they get the\n"
	  "                cycle's notices and the ratings they owe (without --who\n"
	  "                an address gets the team's notices, as a group does)\n"
	  "  --lang L      en or zh-CN\n"
	  "list     the channels and the settings; --outbox: every notice and its state\n"
	  "set      a setting (no VALUE: back to its default):\n"
	  "           base_url       the web app's address for links\n"
	  "                          (default http://127.0.0.1:8080)\n"
	  "           smtp_url       smtp://HOST:PORT (STARTTLS required) or\n"
	  "                          smtps://HOST:PORT\n"
	  "           smtp_from      the sender's address\n"
	  "           smtp_user      the login at the mail server; the password is read\n"
	  "                          from $MERIT_SMTP_PASSWORD, never stored\n"
	  "           smtp_cafile    a CA certificate file for the mail server\n"
	  "           review_days    the review deadline, days after a cycle ends (7)\n"
	  "           stale_days     days without an import before a source is stale (7)\n"
	  "           evidence_days  days evidence waits before its approver is\n"
	  "                          reminded (3)\n"
	  "           retry_seconds  the first wait after a failed send, doubled each\n"
	  "                          time (60)\n"
	  "           attempts       tries before a notice is given up (8)\n"
	  "test     queue a test notice on channel ID and send it now\n"
	  "run      queue what the periodic checks find, then send the outbox: until\n"
	  "         every notice is sent or given up, waiting out the retries (SIGINT\n"
	  "         or SIGTERM stops it); --once: try what is due now once, then exit.\n"
	  "         `merit serve` does the same every minute.\n"
	  "Each send and each notice given up is in the audit log.  A notice is marked\n"
	  "sent right after it is sent: a sender killed between the two sends that one\n"
	  "notice again, never another.\n" },
	{ "cycle", mr_cmd_cycle, "open, review, close, reopen, release, remove and list cycles",
	  "usage: merit cycle open PERIOD [--yes]\n"
	  "       merit cycle review PERIOD\n"
	  "       merit cycle close PERIOD [--force]\n"
	  "       merit cycle reopen PERIOD --reason TEXT\n"
	  "       merit cycle release PERIOD\n"
	  "       merit cycle withhold PERIOD\n"
	  "       merit cycle rm PERIOD\n"
	  "       merit cycle list [--json]\n"
	  "\n"
	  "PERIOD is 2026-11, 2026-Q4, 2026-H2, 2026 or 2026-11-01..2026-11-15.\n"
	  "open → review → closed, in that order; data and ratings are taken while\n"
	  "open or in review.  A cycle may not overlap another; one whose length is\n"
	  "not the plan's period is opened only with --yes.\n"
	  "Closing first lists what is not ready — indicators with no data, people\n"
	  "not scored and why, ratings still owed — and refuses while the list is\n"
	  "not empty unless --force.  It freezes the results as a snapshot: later\n"
	  "changes to its measurements or ratings are refused, and `merit score`\n"
	  "prints the snapshot.  Reopening needs a reason, which is audited, and\n"
	  "clears the acknowledgements.  rm removes an empty cycle (no ratings or\n"
	  "calibrations, not closed) with its peer nominations.\n"
	  "A cycle's members see their own final score, grade and bonus only after\n"
	  "release (in any state; audited); withhold takes them back.  Managers and\n"
	  "admins see them all along.\n"
	  "\n"
	  "  --force       close although the readiness list is not empty\n"
	  "  --yes         open a cycle whose length is not the plan's period\n" },
	{ "rate", mr_cmd_rate, "rate a person on their position's criteria",
	  "usage: merit rate LOGIN --period PERIOD --by self|manager|peer:LOGIN|upward:LOGIN\n"
	  "                  (--criterion KEY=STARS)... [--comment TEXT]\n"
	  "\n"
	  "Stars are 1..rating_scale (default 5); halves allowed (3.5).  Needs a cycle\n"
	  "for PERIOD that is open or in review.  Rating again replaces the rating.\n"
	  "The criteria are the person's position's (`criteria:` in the plan), else\n"
	  "the plan's; a criterion a rater leaves out counts 0 in that rater's score.\n"
	  "  self            the person about themselves\n"
	  "  manager         the person's manager on record (`merit staff set LOGIN\n"
	  "                  --manager M`; a reviewer can be one); a person with none\n"
	  "                  gets none\n"
	  "  peer:LOGIN      a colleague: under the plan's `peers: nominated` (the\n"
	  "                  default) only one nominated with `merit peers`; under\n"
	  "                  `peers: open` anyone on the staff list but a reviewer\n"
	  "  upward:LOGIN    a direct report of the person, about them (blend key\n"
	  "                  `upward`)\n"
	  "Anyone else is refused with the reason.  Peer and upward raters are never\n"
	  "named to the rated person.  A reviewer is never rated.\n"
	  "A comment is UTF-8 text of at most 4,000 bytes (it goes on the printed form).\n" },
	{ "peers", mr_cmd_peers, "nominate the peers who rate a person in a cycle",
	  "usage: merit peers LOGIN --period PERIOD [--set LOGIN,...]\n"
	  "\n"
	  "Under the plan's `peers: nominated` (the default), only the colleagues\n"
	  "named here may give LOGIN a peer rating in PERIOD: at most 5, staff\n"
	  "members other than LOGIN and other than reviewers.  --set replaces the\n"
	  "list (--set \"\" clears it); a peer who has rated already must stay.\n"
	  "Without --set, prints the list.  The cycle must be open or in review.\n" },
	{ "calibrate", mr_cmd_calibrate, "set a person's grade by hand before close",
	  "usage: merit calibrate LOGIN --period PERIOD --grade G --reason TEXT\n"
	  "\n"
	  "An admin's calibration: LOGIN's grade in PERIOD becomes G, a grade of\n"
	  "the plan, whatever the bands and the forced distribution gave; the bonus\n"
	  "follows the grade (shared from the pool with everyone else's); nobody\n"
	  "else's grade moves.  The reason is required, audited and shown; the\n"
	  "result is marked calibrated everywhere.  Only before the cycle closes,\n"
	  "and only for someone scored.  Calibrating again replaces it.\n" },
	{ "score", mr_cmd_score, "the appraisal: scores, grades and bonuses",
	  "usage: merit score PERIOD [--who LOGIN] [--plan DRAFT.yaml] [--json|--csv]\n"
	  "\n"
	  "Score everyone active in PERIOD under the plan: each indicator's actual,\n"
	  "target and score, the KPI coverage, the KPI, manager, self, peer and\n"
	  "upward components, the final score, grade and bonus.  People whose data\n"
	  "cannot carry a score (coverage below the plan's min_coverage, or a final\n"
	  "that would rest on self, peer and upward ratings alone) are listed after\n"
	  "the ranking as not scored, with the reason, and get no grade or bonus.\n"
	  "Rows not complete (an indicator without data, a weighted rating not given)\n"
	  "are marked.  On a closed cycle it prints the frozen snapshot.\n"
	  "  --who LOGIN    one person, with where each number came from\n"
	  "  --plan FILE    what-if: score under a draft plan (who would move, into or\n"
	  "                 out of \"not scored\" too); nothing is changed\n"
	  "  --json, --csv  data instead of a table\n" },
	{ "report", mr_cmd_report, "write the appraisal to a file",
	  "usage: merit report PERIOD --format html|xlsx|pdf|csv|json -o FILE [--who LOGIN]\n"
	  "                           [--names] [--lang en|zh-CN]\n"
	  "\n"
	  "Write the same appraisal `merit score` shows, to FILE (- for standard output):\n"
	  "  html   one self-contained page (inline CSS and SVG charts) to send by e-mail\n"
	  "  xlsx   a workbook: the team sheet, a summary with charts, a sheet per person\n"
	  "  pdf    A4: the team summary, then per person the appraisal form to sign\n"
	  "  csv    one row per person, as `merit score --csv`\n"
	  "  json   as `merit score --json`\n"
	  "Every format shows where each number came from (html, xlsx, pdf), the\n"
	  "ratings with their comments and the final score over past closed cycles;\n"
	  "the people not scored come after the ranking, with the reason.\n"
	  "  -o, --output FILE  where it goes (- for standard output)\n"
	  "  --who LOGIN    one person's report: nothing of anyone else\n"
	  "  --names        the admin's copy: name the peer and upward raters.  Without\n"
	  "                 it they are \"peer 1\", \"upward 1\"…, so the report (and\n"
	  "                 each form in the team's pdf) can go to the person rated\n"
	  "  --lang L       the language of the labels: en or zh-CN (Simplified\n"
	  "                 Chinese); default the plan's `locale:`, else en.  Names,\n"
	  "                 comments and the plan's own texts are kept as written;\n"
	  "                 csv and json keys stay English (they are data)\n"
	  "The plan's `company:` names the organisation on the reports.  A failed\n"
	  "report (a full disk too) leaves FILE as it was.\n" },
	{ "user", mr_cmd_user, "add a user of the web app, change, disable or enable one",
	  "usage: merit user add LOGIN --role admin|manager|member\n"
	  "       merit user passwd LOGIN [--role admin|manager|member]\n"
	  "       merit user disable LOGIN\n"
	  "       merit user enable LOGIN\n"
	  "\n"
	  "A new LOGIN is 1 to 64 ASCII letters, digits, '.', '-' or '_'.  The\n"
	  "password (at least 8 characters) is read from standard input, one\n"
	  "line, and kept only as an Argon2id hash.  passwd sets a new one (and\n"
	  "the role, if given) and ends the user's sessions in the web app.\n"
	  "disable keeps the user from logging in and ends their sessions at once;\n"
	  "enable lets them in again.  Both are in the audit log.  A user whose\n"
	  "staff record has ended (its `merit staff` --to DATE is past) cannot log\n"
	  "in after that date either.\n" },
	{ "serve", mr_cmd_serve, "the web app: dashboard, scorecards, ratings, data",
	  "usage: merit serve [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE]\n"
	  "                   [--session-idle SECONDS] [--session-max SECONDS] [--max-upload MIB]\n"
	  "                   [--max-connections N] [--max-per-address N] [--head-timeout SECONDS]\n"
	  "                   [--request-timeout SECONDS]\n"
	  "                   [--login-failures N] [--login-pause SECONDS] [--notify-every SECONDS]\n"
	  "                   [--access-log FILE] [--trust-proxy]\n"
	  "\n"
	  "Serve the web app and its JSON API (see doc/web-api.md) from this\n"
	  "database until SIGINT or SIGTERM.  Users log in with the passwords set by\n"
	  "`merit user add`; an admin sees and changes everything, a manager sees\n"
	  "the people who report to them, a member only themselves.\n"
	  "  --listen A:P      the address to listen on (default 127.0.0.1:8080;\n"
	  "                    port 0 picks a free one; [::1]:8080 for IPv6)\n"
	  "  --tls-cert, --tls-key   PEM files: serve HTTPS (cookies become Secure)\n"
	  "  --session-idle S  end a session unused for S seconds (default 1800)\n"
	  "  --session-max S   end any session after S seconds (default 43200)\n"
	  "  --max-upload MIB  the largest file an admin may upload (default 256)\n"
	  "  --max-connections N  open connections in all (default 4000)\n"
	  "  --max-per-address N  open connections from one client address (default\n"
	  "                    128; an IPv6 /64 counts as one address)\n"
	  "  --head-timeout S  close a connection whose request line and headers (and a\n"
	  "                    login's body) take longer than S seconds (default 10)\n"
	  "  --request-timeout S  stop a request's work (not an upload's) after S\n"
	  "                    seconds, answering 503 (default 30)\n"
	  "  --login-failures N  failed logins of a user from one address before a\n"
	  "                    pause (default 5; an address over all users: 4 N)\n"
	  "  --login-pause S   the first pause, in seconds (default 60); each further\n"
	  "                    failure doubles it, up to an hour\n"
	  "  --notify-every S  send the notices' outbox (and queue what the periodic\n"
	  "                    checks find) every S seconds (default 60; 0: never,\n"
	  "                    when `merit notify run` does it); see `merit notify`\n"
	  "  --access-log FILE append a line an answer in the combined format (as nginx\n"
	  "                    writes it; `merit ingest` and goaccess read it; - for\n"
	  "                    standard output); invitation and survey tokens and query\n"
	  "                    strings are left out\n"
	  "  --trust-proxy     behind a proxy on this machine: a request from loopback\n"
	  "                    is the client X-Forwarded-For names last (the login\n"
	  "                    throttle and the access log count that client; a last\n"
	  "                    entry that is no IP address is refused, 400), and\n"
	  "                    loopback is not held to --max-per-address; its\n"
	  "                    X-Forwarded-Proto: https makes the cookie Secure\n"
	  "GET /healthz answers without a session: 200 with the version when the\n"
	  "database reads, else 503.\n"
	  "TLS is 1.2 or 1.3 with AEAD ciphers only.  On the internet, put a proxy\n"
	  "(nginx) in front.  On SIGINT or SIGTERM it stops within about 3 seconds,\n"
	  "cutting short work still running then (an unfinished change is not saved).\n"
	  "Uploads a killed server left in $TMPDIR/merit-upload-* are removed at start\n"
	  "(told on the second line of standard error).\n"
	  "The first line on standard error says where it listens.\n" },
	{ "backup", mr_cmd_backup, "copy the database, safely, while it is in use",
	  "usage: merit backup FILE\n"
	  "\n"
	  "Copy the database into FILE with SQLite's online backup: one consistent\n"
	  "snapshot of the last commit, taken while `merit serve` runs and imports\n"
	  "write (they are not held up).  FILE is one self-contained database file\n"
	  "(no -wal beside it) to keep anywhere; it holds an audit record saying when\n"
	  "it was taken, and passes a quick check before it replaces FILE, which is\n"
	  "left as it was on any error.  Prints pages, bytes and schema version.\n"
	  "FILE - is not allowed (a binary file).  Never `cp` a database that is in\n"
	  "use: the copy may miss what was answered already, or be damaged.\n" },
	{ "restore", mr_cmd_restore, "replace the database by a backup",
	  "usage: merit restore FILE --yes\n"
	  "\n"
	  "Replace the database by the backup FILE (it may not exist yet: a new\n"
	  "machine).  FILE is checked first — a merit database (an older schema\n"
	  "version is migrated on the next open), passing a quick check — and\n"
	  "nothing changes unless it is.  A restore throws away the current data:\n"
	  "without --yes it says what it would do and stops.  Refused while `merit\n"
	  "serve` or any other merit has the database open (stop them first).  The\n"
	  "old database's -wal and -shm files are removed (read against the restored\n"
	  "file they would damage it), the file is replaced in one rename, and the\n"
	  "restored database gets an audit record naming FILE and when it was taken.\n"
	  "  --yes    go ahead\n" },
	{ "db", mr_cmd_db, "copy the whole database to PostgreSQL, or back to a file",
	  "usage: merit db copy --to URL|FILE\n"
	  "\n"
	  "Copy the whole database (--db) to another engine, all or nothing: from\n"
	  "an SQLite file into an empty PostgreSQL database (--to\n"
	  "postgresql://USER@HOST/NAME, any libpq URL), whose schema it makes from\n"
	  "merit's migrations, every table's rows sent with COPY; or, with --db\n"
	  "URL, from such a database back into a new SQLite FILE.  Every row comes\n"
	  "over as it was (numbers bit for bit, frozen cycles included), the row\n"
	  "counts of every table are compared and the references checked before\n"
	  "the copy is committed; an error or a kill leaves the target as it was.\n"
	  "The source is read in one snapshot, so `merit serve` may go on beside\n"
	  "it.  Prints the tables, rows and schema version copied.  Every other\n"
	  "command but backup, restore and check runs on either (--db FILE or URL).\n"
	  "  --to T   the PostgreSQL URL (from a file) or the new FILE (from a URL)\n" },
	{ "check", mr_cmd_check, "check the database for damage and broken links",
	  "usage: merit check [--json]\n"
	  "\n"
	  "Run SQLite's integrity check (each problem under its table) and\n"
	  "foreign-key check (table, row, column, missing parent), and merit's own:\n"
	  "every measurement's subject exists and the monthly totals equal the\n"
	  "measurements.  Prints each problem, or \"ok\"; exit 1 when anything is\n"
	  "wrong.  Reads only.\n"
	  "  --json   {ok, problems: [{where, what}]}\n" },
	{ "demo", mr_cmd_demo, "a sample team through the real pipeline",
	  "usage: merit demo [--dir DIR]\n"
	  "\n"
	  "Create DIR (default ./demo) with a sample organisation (goal sales, eight\n"
	  "people), three months of raw files as the systems write them (access\n"
	  "logs, a Shopify orders export, Jira tasks, leads, content, posts, ranks,\n"
	  "uptime checks) read through `merit ingest` and `merit import`, ratings,\n"
	  "one closed cycle, and print the appraisal.  It runs the same commands a user would, into its own\n"
	  "database DIR/merit.db, or, with --db URL, into that empty PostgreSQL\n"
	  "database (a --db FILE does not apply); it replaces DIR/merit.db only\n"
	  "if an earlier demo made it.  Web app users: owner (admin), wang (manager),\n"
	  "lina (member), password merit-demo (see `merit serve`).\n" },
	{ NULL, NULL, NULL, NULL },
};

const mr_command *mr_cli_command(const char *name)
{
	for (const mr_command *c = mr_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void main_usage(FILE *f)
{
	fprintf(f,
		"usage: merit [--db FILE] [--wait SECONDS] COMMAND [ARGS]\n"
		"\n"
		"merit appraises an online-operations team from its real data.\n"
		"The database is FILE, else $MERIT_DB, else ./merit.db: an SQLite file,\n"
		"or a PostgreSQL database as postgresql://USER@HOST/NAME (see man merit).\n"
		"A change waits up to SECONDS (else $MERIT_WAIT, else 30) while another\n"
		"process (an import, `merit serve`) holds the database's write lock.\n"
		"\n"
		"commands:\n");
	for (const mr_command *c = mr_commands; c->name; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->summary);
	fprintf(f, "\n`merit COMMAND --help` explains each; `man merit` explains all.\n");
}

int mr_cli_fail(const mr_err *err)
{
	const char *m = err && err->msg ? err->msg : mr_err_str(err ? err->code : -1);
	/* a message may quote what a file or a database holds: shown escaped,
	 * line by line, the CLI's hint after the last */
	mr_buf line;
	mr_buf_init(&line);
	for (const char *p = m; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *shown = NULL;
		mr_buf_reset(&line);
		mr_buf_add(&line, p, n);
		if (n && !mr_buf_oom(&line))
			shown = mr_text_term_dup(line.data);
		fputs("merit: ", stderr);
		if (shown)
			fputs(shown, stderr);
		else                    /* out of memory: each control character as '?' */
			for (size_t i = 0; i < n; i++)
				fputc((unsigned char)p[i] < 0x20 || p[i] == 0x7f ? '?' : p[i], stderr);
		p += n + (nl ? 1 : 0);
		fprintf(stderr, "%s%s\n", !*p && err && err->cli_hint ? "; " : "",
		        !*p && err && err->cli_hint ? err->cli_hint : "");
		free(shown);
	}
	mr_buf_release(&line);
	return MR_EXIT_FAIL;
}

int mr_cli_usage(const mr_command *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "merit %s: ", cmd->name);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see `merit %s --help`)\n", cmd->name);
	return MR_EXIT_USAGE;
}

int mr_cli_help(const mr_command *cmd)
{
	fputs(cmd->usage, stdout);
	return MR_EXIT_OK;
}

int mr_cli_getopt(const mr_command *cmd, int argc, char **argv,
                  const struct option *opts, int *status)
{
	static char shortopts[] = ":h";
	static const char *const repeatable[] = { "criterion", "map", "value", "title", NULL };
	static unsigned char seen[64];     /* options taken so far, by index */
	int idx = -1;
	if (optind == 0)
		memset(seen, 0, sizeof seen);
	opterr = 0;
	int c = getopt_long(argc, argv, shortopts, opts, &idx);
	if (c >= 0 && c != '?' && c != ':' && idx >= 0 && idx < 64 &&
	    opts[idx].has_arg != no_argument) {
		int again = 1;
		for (int i = 0; repeatable[i]; i++)
			again &= strcmp(repeatable[i], opts[idx].name) != 0;
		if (again && seen[idx]++) {
			*status = mr_cli_usage(cmd, "--%s given twice", opts[idx].name);
			return -2;
		}
	}
	if (c == 'h') {
		*status = mr_cli_help(cmd);
		return -2;
	}
	if (c == '?') {
		*status = optopt ? mr_cli_usage(cmd, "unknown option -%c", optopt)
		                 : mr_cli_usage(cmd, "unknown option %s", argv[optind - 1]);
		return -2;
	}
	if (c == ':') {
		*status = mr_cli_usage(cmd, "option %s needs a value", argv[optind - 1]);
		return -2;
	}
	return c;
}

/* Open the database once (read-only for a command that only reads); the
 * error, if any, goes into err.  Only init may start a database in a
 * missing or empty file. */
static int cli_open(mr_cli *cli, mr_err *err)
{
	struct stat sb;
	if (cli->store)
		return 0;
	if (mr_db_is_url(cli->db)) {
		int rc = mr_store_open_url(&cli->store, cli->db, cli->create_ok,
		                           cli->read_only && !cli->create_ok, err);
		if (rc)
			return rc;
		goto opened;
	}
	if (!cli->create_ok && strcmp(cli->db, ":memory:") != 0) {
		if (stat(cli->db, &sb) != 0)
			return mr_err_set(err, MR_ENOTFOUND, "no database at %s: create one with `merit "
			                  "init --goal GOAL` (or say which with --db FILE or $MERIT_DB)",
			                  cli->db);
		if (S_ISREG(sb.st_mode) && sb.st_size == 0)
			return mr_err_set(err, MR_EINVALID, "%s is empty, not a merit database (merit "
			                  "init creates one)", cli->db);
	}
	int rc = cli->read_only && !cli->create_ok
	         ? mr_store_open_ro(&cli->store, cli->db, err)
	         : mr_store_open(&cli->store, cli->db, err);
	if (rc)
		return rc;
opened:;
	const char *who = getenv("MERIT_USER");
	if (!who || !*who)
		who = getenv("USER");
	if (mr_store_set_actor(cli->store, who))
		return mr_err_nomem(err);
	if (cli->wait_set)
		mr_store_set_wait(cli->store, cli->wait_ms);
	return 0;
}

mr_store *mr_cli_store(mr_cli *cli)
{
	mr_err err = MR_ERR_INIT;
	if (cli_open(cli, &err)) {
		mr_cli_fail(&err);
		mr_err_clear(&err);
		return NULL;
	}
	return cli->store;
}

mr_plan *mr_cli_plan(mr_cli *cli)
{
	mr_err err = MR_ERR_INIT;
	char *yaml = NULL;
	mr_plan *plan = NULL;
	mr_store *s = mr_cli_store(cli);
	if (!s)
		return NULL;
	if (mr_store_plan_get(s, &yaml, &err) ||
	    mr_plan_parse(&plan, yaml, strlen(yaml), "(stored plan)", &err))
		mr_cli_fail(&err);
	free(yaml);
	mr_err_clear(&err);
	return plan;
}

/* Say how long we waited for the lock, and how to wait longer. */
static int busy_hint(const mr_store *s, mr_err *err)
{
	int ms = mr_store_wait(s);
	if (err->hint == MR_HINT_IMPORT_RUNNING)   /* it did not wait: it says what to do */
		return MR_EBUSY;
	return mr_err_add(err, MR_EBUSY, "waited %d.%d s for it; nothing was changed; wait "
	                  "longer with --wait SECONDS (or $MERIT_WAIT)", ms / 1000, ms % 1000 / 100);
}

int mr_cli_tx(mr_cli *cli, int (*fn)(mr_store *s, void *payload, mr_err *err),
              void *payload, mr_err *err)
{
	int rc = cli_open(cli, err);
	mr_store *s = cli->store;
	if (rc)
		return rc;
	if ((rc = mr_store_begin(s, err)))
		return rc == MR_EBUSY ? busy_hint(s, err) : rc;
	if (!(rc = fn(s, payload, err)))
		rc = mr_store_commit(s, err);
	else
		mr_store_rollback(s);
	return rc == MR_EBUSY ? busy_hint(s, err) : rc;
}

int mr_cli_tx_staged(mr_cli *cli, int (*fn)(mr_store *s, void *payload, mr_err *err),
                     void *payload, mr_err *err)
{
	int rc = cli_open(cli, err);
	mr_store *s = cli->store;
	if (rc)
		return rc;
	/* PostgreSQL's readers do not wait for a writer: one transaction */
	for (int tries = 0; tries < 3 && !mr_store_on_pg(s); tries++) {
		if ((rc = mr_store_stage_begin(s, err)))
			return rc == MR_EBUSY ? busy_hint(s, err) : rc;
		if ((rc = fn(s, payload, err))) {
			mr_store_rollback(s);
			return rc;
		}
		if ((rc = mr_store_stage_commit(s, err)) <= 0)
			return rc == MR_EBUSY ? busy_hint(s, err) : rc;
		fprintf(stderr, "merit: note: another process changed what this import's checks "
		        "read (a batch, login, cycle, ownership rule or source); checking again\n");
	}
	return mr_cli_tx(cli, fn, payload, err);
}

int mr_cli_period(const mr_command *cmd, const char *flag, const char *text, mr_period *out)
{
	mr_err err = MR_ERR_INIT;
	int status = 0;
	if (mr_period_parse(out, text, &err))
		status = flag ? mr_cli_usage(cmd, "%s: %s", flag, err.msg)
		              : mr_cli_usage(cmd, "%s", err.msg);
	mr_err_clear(&err);
	return status;
}

void mr_cli_period_note(const mr_plan *plan, const mr_period *period)
{
	mr_period whole;
	mr_period_of(&whole, plan->period, period->first);
	if (whole.first == period->first && whole.last == period->last)
		return;
	fprintf(stderr, "merit: note: the plan's targets are per %s and %s is not one; sum "
	        "targets are not scaled to it\n", mr_period_kind_name(plan->period), period->label);
}

void mr_cli_pad(FILE *f, const char *s, int width)
{
	char *shown = mr_text_term_dup(s);     /* stored text: its controls escaped */
	if (shown)
		s = shown;
	else
		s = "?";
	fputs(s, f);
	for (int w = mr_text_width(s); w < width; w++)
		fputc(' ', f);
	free(shown);
}

/* The command lines that only read, and so open the database read-only
 * (they work in a read-only directory, and never change the file): per
 * command, "*" for all its forms, else its verbs that only read (a verb
 * is the first argument not an option).  Every other command writes. */
static const struct { const char *command, *verbs; } cli_readers[] = {
	{ "score", "*" }, { "report", "*" }, { "batches", "*" }, { "traffic", "*" },
	{ "plan", "show export" }, { "staff", "list" }, { "own", "list" },
	{ "source", "list show" }, { "cycle", "list" }, { "probe", "list" },
	{ "notify", "list" },
};

static int cli_reads(const mr_command *cmd, int argc, char **argv)
{
	const char *reads = NULL;
	for (size_t k = 0; k < sizeof cli_readers / sizeof cli_readers[0]; k++)
		if (strcmp(cli_readers[k].command, cmd->name) == 0)
			reads = cli_readers[k].verbs;
	if (!reads)
		return 0;
	if (strcmp(reads, "*") == 0)
		return 1;
	int i = 1;
	while (i < argc && argv[i][0] == '-')
		i++;
	if (i >= argc)
		return 0;
	size_t n = strlen(argv[i]);
	for (const char *r = reads; *r;) {
		size_t len = strcspn(r, " ");
		if (len == n && strncmp(r, argv[i], n) == 0)
			return 1;
		r += len + (r[len] == ' ');
	}
	return 0;
}

int mr_cli_run(mr_cli *cli, int argc, char **argv)
{
	const mr_command *cmd = argc > 0 ? mr_cli_command(argv[0]) : NULL;
	if (!cmd) {
		fprintf(stderr, "merit: unknown command \"%s\"\n", argc > 0 ? argv[0] : "");
		main_usage(stderr);
		return MR_EXIT_USAGE;
	}
	cli->read_only = cli_reads(cmd, argc, argv);
	optind = 0;   /* glibc: reinitialise getopt for this argv */
	return cmd->run(cli, argc, argv);
}

/* Standard output goes through this writer so that the first failed
 * write's cause is kept: stdio keeps only a flag, and errno is long
 * overwritten by the time the command ends. */
static int out_errno;

static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(STDOUT_FILENO, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!out_errno)
				out_errno = w < 0 ? errno : EIO;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)w;
	}
	return (ssize_t)done;
}

static void out_open(void)
{
	FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){ NULL, out_write, NULL, NULL });
	if (!f)
		return;   /* stdout as it is: its failures are still seen, without a cause */
	setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
	stdout = f;
}

/* Every command's output is checked once here, at the end: flushed and
 * closed, a failed write (a full disk, /dev/full, a closed descriptor)
 * turns a success into "merit: standard output: CAUSE" and exit 1 (a
 * command that failed has said why already).  A reader that stopped early
 * (a pipe closed by `head`: EPIPE when SIGPIPE is ignored; else the signal
 * ends merit quietly, as it does cat) is not told about it, but the exit
 * is 1: the output was cut. */
static int stdout_done(int status)
{
	int bad = fflush(stdout) != 0;
	bad |= ferror(stdout) != 0;
	bad |= fclose(stdout) != 0;
	if (close(STDOUT_FILENO) != 0 && errno != EBADF && !out_errno)
		out_errno = errno;   /* a file system that reports at close (NFS) */
	bad |= out_errno != 0;
	if (!bad || status)
		return status;
	if (out_errno != EPIPE)
		fprintf(stderr, "merit: standard output: %s\n",
		        out_errno ? strerror(out_errno) : "write error");
	return MR_EXIT_FAIL;
}

/* --wait SECONDS (or $MERIT_WAIT): 0 to 86400, fractions allowed. */
static int parse_wait(mr_cli *cli, const char *v, const char *what)
{
	char *end;
	double sec = strtod(v, &end);
	if (!*v || *end || !(sec >= 0 && sec <= 86400)) {
		fprintf(stderr, "merit: %s \"%s\": say how many seconds to wait for the write "
		        "lock, 0 to 86400\n", what, v);
		return -1;
	}
	cli->wait_set = 1;
	cli->wait_ms = (int)(sec * 1000 + 0.5);
	return 0;
}

int main(int argc, char **argv)
{
	mr_cli cli = { .db = NULL, .prog = "merit" };
	int i = 1;
	out_open();
	/* Names are often Chinese: measure text in UTF-8 whatever LANG says. */
	const char *loc = setlocale(LC_CTYPE, "");
	if (!loc || !strstr(nl_langinfo(CODESET), "UTF-8"))
		setlocale(LC_CTYPE, "C.UTF-8");
	cli.db = getenv("MERIT_DB");
	if (!cli.db || !*cli.db)
		cli.db = "merit.db";
	const char *wait = getenv("MERIT_WAIT");
	if (wait && *wait && parse_wait(&cli, wait, "$MERIT_WAIT"))
		return MR_EXIT_USAGE;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			main_usage(stdout);
			return stdout_done(MR_EXIT_OK);
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("merit %s\n", MR_VERSION);
			return stdout_done(MR_EXIT_OK);
		} else if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 >= argc || !*argv[i + 1]) {
				fprintf(stderr, "merit: --db needs a FILE\n");
				return MR_EXIT_USAGE;
			}
			cli.db = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			if (!argv[i][5]) {
				fprintf(stderr, "merit: --db needs a FILE\n");
				return MR_EXIT_USAGE;
			}
			cli.db = argv[i] + 5;
		} else if (strcmp(argv[i], "--wait") == 0 || strncmp(argv[i], "--wait=", 7) == 0) {
			const char *v = argv[i][6] ? argv[i] + 7 : i + 1 < argc ? argv[++i] : "";
			if (parse_wait(&cli, v, "--wait"))
				return MR_EXIT_USAGE;
		} else {
			fprintf(stderr, "merit: unknown option %s\n", argv[i]);
			main_usage(stderr);
			return MR_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		main_usage(stderr);
		return MR_EXIT_USAGE;
	}
	int rc = mr_cli_run(&cli, argc - i, argv + i);
	mr_store_close(cli.store);
	return stdout_done(rc);
}

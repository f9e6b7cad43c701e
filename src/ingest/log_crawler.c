/* log_crawler.c — is a user agent a crawler, a script or a monitor?
 *
 * Crawlers are kept out of every KPI (page views, human visitors,
 * visits), so a figure cannot be pumped by bots.  A user agent is taken
 * for a crawler when
 *   - it is empty or "-";
 *   - it names a contact URL or address ("+http", "http://", "https://",
 *     "@"), as well-behaved robots do;
 *   - it holds a word from the list below (case-insensitive): the
 *     generic bot/crawl/spider words, the big search and SEO crawlers,
 *     link previewers, HTTP libraries and command-line tools, uptime
 *     monitors and security scanners;
 *   - or it does not start as browsers' agents do ("Mozilla/" or
 *     "Opera/") and is not a shop's own app: Android apps send the
 *     system's "Dalvik/2.1.0 (Linux; U; Android 11; ...)" or their HTTP
 *     library's "okhttp/4.9.0", iOS apps "MyShop/3.2 CFNetwork/1240.0.4
 *     Darwin/20.5.0" — a person using the app, a human visitor.  (GoAccess
 *     1.7 counts Dalvik and okhttp as browsers, "Others", and CFNetwork
 *     as a crawler; merit takes all three for people.)
 * A bot that sends a browser's user agent word for word cannot be told
 * from a person by its agent: that is a known limit, stated in the
 * manual.  Case is folded as ASCII, whatever the locale: a Turkish one
 * would leave "I" as it is and "INDEX" would not be "index".
 */
#include "ingest/log.h"

static const char *const words[] = {
	"bot", "crawl", "spider", "slurp", "scrap", "fetch", "archiv", "index",
	"checker", "monitor", "scan", "preview", "validator", "headless", "phantomjs",
	"lighthouse", "pingdom", "uptime", "nagios", "zabbix", "statuscake", "site24x7",
	"facebookexternalhit", "mediapartners", "adsbot", "feedfetcher", "feedparser",
	"feedly", "yandex", "baidu", "sogou", "exabot", "ia_archiver", "semrush",
	"ahrefs", "mj12", "dotbot", "petalbot", "bytespider", "gptbot", "ccbot",
	"curl", "wget", "python", "java/", "go-http-client", "libwww",
	"httpclient", "http_request", "aiohttp", "node-fetch", "axios", "guzzle",
	"postman", "insomnia", "zgrab", "masscan", "nmap", "nikto", "sqlmap", "nuclei",
	"portscout", "cloudflare", "embedly", "whatsapp", "telegram", "slack", "discord",
	"skype", "bingpreview", "google-read-aloud", "chrome-lighthouse",
};

/* An ASCII lower-cased copy of at most cap - 1 bytes. */
static size_t lower(char *out, size_t cap, const char *p, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)mr_ascii_lower((unsigned char)p[i]);
	out[n] = 0;
	return n;
}

static int starts(const char *ua, size_t n, const char *with)
{
	size_t w = strlen(with);
	return n >= w && memcmp(ua, with, w) == 0;
}

/* A shop's own app: the agent of Android's HTTP stack or of an iOS app. */
static int app(const char *ua, size_t n, const char *low)
{
	if (starts(ua, n, "Dalvik/") || starts(ua, n, "okhttp/"))
		return 1;
	return strstr(low, " cfnetwork/") && strstr(low, " darwin/");
}

int mr_log_is_crawler(const char *ua, size_t n)
{
	char low[512];
	while (n && (ua[0] == ' ' || ua[0] == '\t'))
		ua++, n--;
	if (n == 0 || (n == 1 && ua[0] == '-'))
		return 1;
	lower(low, sizeof low, ua, n);
	if (!starts(ua, n, "Mozilla/") && !starts(ua, n, "Opera/") && !app(ua, n, low))
		return 1;
	if (strstr(low, "+http") || strstr(low, "http://") || strstr(low, "https://") ||
	    strchr(low, '@'))
		return 1;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(low, words[i]))
			return 1;
	return 0;
}

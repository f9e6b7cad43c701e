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
 *     "Opera/").
 * A bot that sends a browser's user agent word for word cannot be told
 * from a person by its agent: that is a known limit, stated in the
 * manual.
 */
#include "ingest/log.h"

#include <ctype.h>

static const char *const words[] = {
	"bot", "crawl", "spider", "slurp", "scrap", "fetch", "archiv", "index",
	"checker", "monitor", "scan", "preview", "validator", "headless", "phantomjs",
	"lighthouse", "pingdom", "uptime", "nagios", "zabbix", "statuscake", "site24x7",
	"facebookexternalhit", "mediapartners", "adsbot", "feedfetcher", "feedparser",
	"feedly", "yandex", "baidu", "sogou", "exabot", "ia_archiver", "semrush",
	"ahrefs", "mj12", "dotbot", "petalbot", "bytespider", "gptbot", "ccbot",
	"curl", "wget", "python", "java/", "go-http-client", "okhttp", "libwww",
	"httpclient", "http_request", "aiohttp", "node-fetch", "axios", "guzzle",
	"postman", "insomnia", "zgrab", "masscan", "nmap", "nikto", "sqlmap", "nuclei",
	"portscout", "cloudflare", "embedly", "whatsapp", "telegram", "slack", "discord",
	"skype", "bingpreview", "google-read-aloud", "chrome-lighthouse",
};

/* A lower-cased copy of at most cap - 1 bytes. */
static size_t lower(char *out, size_t cap, const char *p, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)p[i]);
	out[n] = 0;
	return n;
}

int mr_log_is_crawler(const char *ua, size_t n)
{
	char low[512];
	while (n && (ua[0] == ' ' || ua[0] == '\t'))
		ua++, n--;
	if (n == 0 || (n == 1 && ua[0] == '-'))
		return 1;
	if (!(n >= 8 && memcmp(ua, "Mozilla/", 8) == 0) && !(n >= 6 && memcmp(ua, "Opera/", 6) == 0))
		return 1;
	lower(low, sizeof low, ua, n);
	if (strstr(low, "+http") || strstr(low, "http://") || strstr(low, "https://") ||
	    strchr(low, '@'))
		return 1;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(low, words[i]))
			return 1;
	return 0;
}

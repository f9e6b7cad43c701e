/* demo_data.c — the raw files of `merit demo`, written the way the
 * systems behind them write them, so the sample appraisal comes through
 * the real importers:
 *
 *   access-M.log   nginx/Apache combined log of shop.example.com: page
 *                  views, static assets, some 404s, crawlers, scanners,
 *                  and visits from the promoters' channels (utm links,
 *                  referrers)                          → merit ingest
 *   orders-M.csv   Shopify orders export: one row per line item, the
 *                  order's fields on the first; landing pages with utm
 *                  parameters                          → import orders
 *   tasks-M.csv    Jira "all fields" CSV: due and resolved dates, repeated
 *                  Labels, a first-review custom field → import tasks
 *   leads, content, posts, ranks, uptime-M.csv
 *                  CRM, CMS, post list, rank tracker and uptime checks in
 *                  the generic layouts                 → import KIND
 *
 * How well each person's month goes follows their `skill`, so the
 * appraisal has a believable spread.  The data is generated from a fixed
 * seed and no clock: every run writes the same bytes.
 */
#include "cli/demo_data.h"
#include "util/vec.h"

#include "core/period.h"
#include "util/buf.h"
#include "util/file.h"

const mr_demo_person mr_demo_team[] = {
	{ "wang",  "王芳",       "manager",   "owner", NULL,        1.00 },
	{ "lina",  "Lina Chen",  "promoter",  "wang", NULL,         1.08 },
	{ "sun",   "孙浩",       "promoter",  "wang", "2026-10-15", 0.92 },
	{ "zhao",  "赵磊",       "editor",    "wang", NULL,         1.02 },
	{ "chen",  "陈静",       "editor",    "wang", NULL,         0.84 },
	{ "li",    "李娜",       "designer",  "wang", NULL,         0.97 },
	{ "zhou",  "周杰",       "developer", "wang", NULL,         0.90 },
	{ "wu",    "吴强",       "support",   "wang", NULL,         1.04 },
};
const size_t mr_demo_nteam = sizeof mr_demo_team / sizeof mr_demo_team[0];

const char *const mr_demo_months[MR_DEMO_MONTHS] = { "2026-09", "2026-10", "2026-11" };

enum { LINA = 1, SUN = 2, ZHAO = 3, CHEN = 4, LI = 5, ZHOU = 6, WU = 7 };

/* The promoters' keywords, as the rank tracker spells them, with the
 * position each tends to hold. */
static const struct { const char *kw; int who; double pos; } keywords[] = {
	{ "longjing tea", LINA, 2.0 },   { "tea gift box", LINA, 6.0 },
	{ "buy green tea online", LINA, 8.0 },
	{ "oolong tea", SUN, 6.0 },       { "tea set sale", SUN, 8.0 },
	{ "pu'er tea", 0, 14.0 },         { "jasmine tea", 0, 11.0 },
	{ "tea shop", 0, 23.0 },          { "chinese tea", 0, 31.0 },
};
#define NKEYWORDS (sizeof keywords / sizeof keywords[0])

const char *const mr_demo_rules[][3] = {
	{ "channel", "wechat", "lina" },          /* utm_source=wechat */
	{ "referrer", "weixin.qq.com", "lina" },  /* links in her WeChat articles */
	{ "campaign", "mid-autumn", "lina" },     /* her e-mail campaign */
	{ "channel", "weibo", "sun" },
	{ "referrer", "weibo.com", "sun" },
	{ "campaign", "double-11", "sun" },       /* his paid-search campaign */
	{ "keyword", "longjing tea", "lina" },
	{ "keyword", "tea gift box", "lina" },
	{ "keyword", "buy green tea online", "lina" },
	{ "keyword", "oolong tea", "sun" },
	{ "keyword", "tea set sale", "sun" },
	{ "url", "/blog/", "zhao" },              /* article views in the logs */
	{ "url", "/news/", "chen" },
	{ "author", "zhao.lei", "zhao" },         /* CMS user names */
	{ "author", "chen.jing", "chen" },
	{ "tracker", "Li Na", "li" },             /* Jira display names */
	{ "tracker", "Zhou Jie", "zhou" },
	{ "tracker", "Wu Qiang", "wu" },
	{ "site", "shop.example.com", "wu" },
	{ NULL, NULL, NULL },
};

const mr_demo_file mr_demo_files[] = {
	{ "access", "log", "ingest", "|--site|shop" },
	{ "orders", "csv", "import|orders", "" },
	{ "tasks", "csv", "import|--source|jira", "" },   /* saved once: see cmd_demo.c */
	{ "leads", "csv", "import|leads", "" },
	{ "content", "csv", "import|content", "" },
	{ "posts", "csv", "import|posts", "" },
	{ "ranks", "csv", "import|ranks", "" },
	{ "uptime", "csv", "import|uptime", "" },
};
const size_t mr_demo_nfiles = sizeof mr_demo_files / sizeof mr_demo_files[0];

/* ---- the fixed-seed generator (xorshift) ---- */

static unsigned long long seed;

double mr_demo_rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (double)(seed >> 11) / 9007199254740992.0;
}
#define rnd mr_demo_rnd

static long around(double mean, double spread)
{
	double v = mean + (rnd() * 2 - 1) * spread;
	return v < 0 ? 0 : (long)(v + 0.5);
}
static size_t pick(size_t n)
{
	size_t i = (size_t)(rnd() * (double)n);
	return i < n ? i : n - 1;
}
static int chance(double p)
{
	return rnd() < p;
}
#define ONE_OF(a) ((a)[pick(sizeof(a) / sizeof((a)[0]))])

/* A time of day in seconds, mostly in waking hours. */
static int daytime(void)
{
	if (chance(0.15))
		return (int)pick(86400);
	return 7 * 3600 + (int)pick(16 * 3600);
}

static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* 2026-10-03 14:22:11 +0800 (Shopify, the uptime checker) */
static void t_iso(char *out, size_t n, int day, int sec)
{
	int y, m, d;
	mr_day_to_civil(day, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d +0800", y, m, d, sec / 3600,
	         sec / 60 % 60, sec % 60);
}
/* 2026-10-03 14:22 (the CRM, the CMS) */
static void t_min(char *out, size_t n, int day, int sec)
{
	int y, m, d;
	mr_day_to_civil(day, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d %02d:%02d", y, m, d, sec / 3600, sec / 60 % 60);
}
/* 03/Oct/2026:14:22:11 +0800 (the access log) */
static void t_clf(char *out, size_t n, int day, int sec)
{
	int y, m, d;
	mr_day_to_civil(day, &y, &m, &d);
	snprintf(out, n, "%02d/%s/%04d:%02d:%02d:%02d +0800", d, mon[m - 1], y, sec / 3600,
	         sec / 60 % 60, sec % 60);
}
/* 03/Oct/26 2:22 PM (Jira) */
static void t_jira(char *out, size_t n, int day, int sec)
{
	int y, m, d, h = sec / 3600;
	mr_day_to_civil(day, &y, &m, &d);
	snprintf(out, n, "%02d/%s/%02d %d:%02d %s", d, mon[m - 1], y % 100,
	         h % 12 ? h % 12 : 12, sec / 60 % 60, h < 12 ? "AM" : "PM");
}

static int weekday(int day)      /* 0 = Sunday; 1970-01-01 was a Thursday */
{
	return ((day + 4) % 7 + 7) % 7;
}

static int active(int who, int day)
{
	int from;
	const char *f = mr_demo_team[who].from;
	return !f || mr_day_parse(&from, f) || day >= from;
}

/* A CSV field, quoted when it must be. */
static void csv(mr_buf *b, const char *s, int last)
{
	if (strpbrk(s, ",\"\n")) {
		mr_buf_putc(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				mr_buf_putc(b, '"');
			mr_buf_putc(b, *s);
		}
		mr_buf_putc(b, '"');
	} else {
		mr_buf_puts(b, s);
	}
	mr_buf_putc(b, last ? '\n' : ',');
}

static void money(char *out, size_t n, long cents)
{
	snprintf(out, n, "%ld.%02ld", cents / 100, cents % 100);
}

/* ---- content: the CMS's list of articles published ---- */

#define MAX_ARTICLES 2048
static char articles[MAX_ARTICLES][80];   /* paths of every article so far */
static size_t narticles;

static const char *const topics[] = {
	"brewing-longjing", "oolong-guide", "tea-and-health", "puer-storage", "gift-ideas",
	"tea-sets-compared", "jasmine-harvest", "cold-brew", "tea-regions", "mid-autumn-menu",
	"tasting-notes", "water-temperature", "teapot-care", "new-arrivals", "farm-visit",
};

static void gen_content(mr_buf *b, const mr_period *p, mr_demo_counts *c)
{
	static const struct { int who; const char *author, *prefix; } eds[] = {
		{ ZHAO, "zhao.lei", "/blog/" }, { CHEN, "chen.jing", "/news/" },
	};
	mr_buf_puts(b, "URL,Author,Type,Date,Views,Shares\n");
	for (int day = p->first; day <= p->last; day++) {
		int wd = weekday(day), y, m, d;
		mr_day_to_civil(day, &y, &m, &d);
		for (size_t e = 0; e < 2; e++) {
			double k = mr_demo_team[eds[e].who].skill;
			long n = wd == 0 || wd == 6 ? 0 : around(2.6 * k, 1.5);
			long topic = wd == 3 ? around(1.0 * k, 0.6) : 0;
			for (long i = 0; i < n + topic; i++) {
				char path[80], when[48], views[24], shares[24];
				snprintf(path, sizeof path, "%s%04d/%02d/%s-%02d%ld", eds[e].prefix, y, m,
				         ONE_OF(topics), d, i + 1);
				t_min(when, sizeof when, day, 8 * 3600 + (int)pick(10 * 3600));
				long v = around(420, 150) + 1;
				long s = around((double)v * 0.05 * k, 6);
				snprintf(views, sizeof views, "%ld", v);
				snprintf(shares, sizeof shares, "%ld", s > v ? v : s);
				csv(b, path, 0);
				csv(b, eds[e].author, 0);
				csv(b, i < n ? (chance(0.2) ? "update" : "article") : "topic", 0);
				csv(b, when, 0);
				csv(b, views, 0);
				csv(b, shares, 1);
				if (narticles < MAX_ARTICLES)
					snprintf(articles[narticles++], sizeof articles[0], "%s", path);
				c->articles++;
			}
		}
	}
}

/* ---- posts: what the promoters placed, from their own list ---- */

static void gen_posts(mr_buf *b, const mr_period *p, mr_demo_counts *c)
{
	mr_buf_puts(b, "date,login,platform,url\n");
	for (int day = p->first; day <= p->last; day++)
		for (int who = LINA; who <= SUN; who++) {
			if (!active(who, day))
				continue;
			long n = around(1.3 * mr_demo_team[who].skill, 1);
			for (long i = 0; i < n; i++) {
				char when[32], url[96];
				t_min(when, sizeof when, day, daytime());
				const char *plat;
				unsigned long id = (unsigned long)(rnd() * 4294967295.0);
				if (who == LINA && chance(0.7)) {
					plat = "wechat";
					snprintf(url, sizeof url, "https://mp.weixin.qq.com/s/%08lx%04lx", id,
					         (unsigned long)pick(65536));
				} else if (who == LINA) {
					plat = "xiaohongshu";
					snprintf(url, sizeof url, "https://www.xiaohongshu.com/explore/%08lx", id);
				} else if (chance(0.7)) {
					plat = "weibo";
					snprintf(url, sizeof url, "https://weibo.com/7712093/%lu", id);
				} else {
					plat = "douyin";
					snprintf(url, sizeof url, "https://www.douyin.com/video/73%lu", id);
				}
				mr_buf_printf(b, "%s,%s,%s,%s\n", when, mr_demo_team[who].login, plat, url);
				c->posts++;
			}
		}
}

/* ---- ranks: the rank tracker's weekly check ---- */

static void gen_ranks(mr_buf *b, const mr_period *p, mr_demo_counts *c)
{
	mr_buf_puts(b, "date,keyword,position\n");
	for (int day = p->first; day <= p->last; day++) {
		if (weekday(day) != 1)
			continue;
		char date[11];
		mr_day_format(date, day);
		for (size_t i = 0; i < NKEYWORDS; i++) {
			int who = keywords[i].who;
			if (who && !active(who, day))
				continue;     /* tracked from the day its promoter started */
			double k = who ? mr_demo_team[who].skill : 1;
			long pos = around(keywords[i].pos / k, keywords[i].pos * 0.3 + 1);
			csv(b, date, 0);
			csv(b, keywords[i].kw, 0);
			mr_buf_printf(b, "%ld\n", pos < 1 ? 1 : pos);
			c->ranks++;
		}
	}
}

/* ---- leads: the CRM's export of new business opportunities ---- */

static void gen_leads(mr_buf *b, const mr_period *p, mr_demo_counts *c)
{
	static const char *const firms[] = {
		"Hangzhou Lvye Trading", "Shanghai Mingcha Hotel Group", "Chengdu Qingshan Foods",
		"Suzhou Yayun Gifts", "Beijing Dongfang Office Supplies", "Xiamen Haibin Tea House",
		"Guangzhou Jinhe Catering", "Nanjing Ruixiang Corporate Gifts", "Wuhan Chutian Hotels",
		"Shenzhen Kexin Technology",
	};
	static const char *const people[] = {
		"Liu Yang", "Zhang Wei", "Huang Min", "Xu Jing", "Ma Lin", "Zhu Hong", "Guo Qiang",
		"He Ping", "Lin Xue", "Gao Feng",
	};
	static const char *const sources[] = { "web form", "phone", "trade fair", "wechat",
	                                       "referral" };
	mr_buf_puts(b, "date,company,contact,source\n");
	for (int day = p->first; day <= p->last; day++) {
		int wd = weekday(day);
		long n = wd == 0 || wd == 6 ? around(3, 2) : around(11, 5);
		for (long i = 0; i < n; i++) {
			char when[48];
			t_min(when, sizeof when, day, daytime());
			csv(b, when, 0);
			csv(b, ONE_OF(firms), 0);
			csv(b, ONE_OF(people), 0);
			csv(b, ONE_OF(sources), 1);
			c->leads++;
		}
	}
}

/* ---- orders: the shop's Shopify export ---- */

static const struct { const char *name, *sku; long cents; } products[] = {
	{ "Longjing Green Tea 250g", "LJ-250", 16800 },
	{ "Tie Guan Yin Oolong 200g", "TGY-200", 12800 },
	{ "Celadon Tea Set", "SET-CEL", 58800 },
	{ "Pu'er Cake 357g", "PE-357", 29800 },
	{ "Jasmine Pearls 100g", "JP-100", 9800 },
	{ "Travel Tea Cup", "CUP-TR", 6800 },
	{ "Mid-Autumn Gift Box", "GB-MA", 39800 },
};

#define MAX_CUSTOMERS 8192
static long ncustomers;              /* customers seen so far: their ids */
static long order_no;

static void email(char *out, size_t n, long id)
{
	static const char *const names[] = {
		"xiaoming", "lihua", "wangjing", "zhangyu", "chenxi", "liuyang", "huangmei",
		"zhaoyun", "sunli", "zhoulan", "wuhao", "xuqing", "maojie", "guoxin", "linfeng",
	};
	static const char *const domains[] = { "qq.com", "163.com", "126.com", "gmail.com",
	                                       "outlook.com", "sina.com" };
	snprintf(out, n, "%s%ld@%s", names[id % 15], 100 + id * 7 % 9000 + id / 9000 * 9000,
	         domains[id / 15 % 6]);
}

/* Where a buyer came from: a landing page, utm parameters included. */
enum { FROM_LINA, FROM_SUN, FROM_ELSE };
static void landing(char *out, size_t n, int from, int day)
{
	static const char *const pages[] = {
		"/", "/products/longjing-green-tea", "/products/celadon-tea-set",
		"/collections/gift-boxes", "/products/tie-guan-yin", "/collections/all",
	};
	const char *page = ONE_OF(pages);
	int y, m, d;
	mr_day_to_civil(day, &y, &m, &d);
	if (from == FROM_LINA)
		snprintf(out, n, "%s?%s", page, chance(0.25) && m < 11 ?
		         "utm_source=newsletter&utm_medium=email&utm_campaign=mid-autumn" :
		         "utm_source=wechat&utm_medium=social&utm_campaign=autumn-tea");
	else if (from == FROM_SUN)
		snprintf(out, n, "%s?%s", page, m == 11 && d <= 11 && chance(0.5) ?
		         "utm_source=baidu&utm_medium=cpc&utm_campaign=double-11" :
		         "utm_source=weibo&utm_medium=social&utm_campaign=weibo-daily");
	else
		snprintf(out, n, "%s", chance(0.5) ? page : "/");
}

struct order {
	int sec, from;
	long customer;
};

static int by_sec(const void *x, const void *y)
{
	const struct order *a = x, *b = y;
	return a->sec != b->sec ? (a->sec > b->sec) - (a->sec < b->sec)
	                        : (a->customer > b->customer) - (a->customer < b->customer);
}

static void gen_orders(mr_buf *b, const mr_period *p, mr_demo_counts *c)
{
	static const char *const cities[] = { "Shanghai", "Beijing", "Hangzhou", "Shenzhen",
	                                      "Chengdu", "Nanjing", "Wuhan", "Suzhou" };
	mr_buf_puts(b, "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,"
	            "Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,"
	            "Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,"
	            "Lineitem price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,"
	            "Lineitem fulfillment status,Billing City,Billing Country,Shipping City,"
	            "Shipping Country,Notes,Cancelled at,Payment Method,Refunded Amount,Vendor,"
	            "Id,Tags,Source,Landing Site\n");
	for (int day = p->first; day <= p->last; day++) {
		struct order o[128];
		size_t n = 0;
		long lina = around(1.6 * mr_demo_team[LINA].skill, 1.4);
		long sun = active(SUN, day) ? around(1.6 * mr_demo_team[SUN].skill, 1.4) : 0;
		long fresh = around(10, 4), back = ncustomers > 50 ? around(26, 8) : 0;
		long before = ncustomers;       /* who bought before today */
		for (long i = 0; i < lina + sun + fresh + back && n < 128; i++, n++) {
			o[n].sec = daytime();
			if (i < lina + sun + fresh) {
				o[n].from = i < lina ? FROM_LINA : i < lina + sun ? FROM_SUN : FROM_ELSE;
				o[n].customer = ncustomers < MAX_CUSTOMERS ? ncustomers++ : (long)pick(MAX_CUSTOMERS);
			} else {
				o[n].from = chance(0.2) ? FROM_LINA : FROM_ELSE;
				o[n].customer = (long)pick((size_t)before);
			}
		}
		qsort(o, n, sizeof *o, by_sec);
		for (size_t i = 0; i < n; i++) {
			char name[24], mail[64], when[48], land[160], sub[24], ship[24], tot[24],
			     refund[24], price[24], id[24];
			size_t items = chance(0.6) ? 1 : chance(0.75) ? 2 : 3, it[3];
			long qty[3], subtotal = 0;
			for (size_t j = 0; j < items; j++) {
				it[j] = pick(sizeof products / sizeof products[0]);
				qty[j] = chance(0.85) ? 1 : 2;
				subtotal += products[it[j]].cents * qty[j];
			}
			long shipping = subtotal >= 19900 ? 0 : 1000, total = subtotal + shipping;
			double r = rnd();
			const char *status = r < 0.02 ? "refunded" : r < 0.04 ? "partially_refunded" :
			                     r < 0.07 ? "pending" : r < 0.08 ? "voided" : "paid";
			long refunded = r < 0.02 ? total : r < 0.04 ? products[it[0]].cents : 0;
			snprintf(name, sizeof name, "#%ld", 1001 + order_no++);
			email(mail, sizeof mail, o[i].customer);
			t_iso(when, sizeof when, day, o[i].sec);
			landing(land, sizeof land, o[i].from, day);
			money(sub, sizeof sub, subtotal);
			money(ship, sizeof ship, shipping);
			money(tot, sizeof tot, total);
			money(refund, sizeof refund, refunded);
			snprintf(id, sizeof id, "58%08ld", 31337 + order_no * 7);
			int paid = strcmp(status, "pending") && strcmp(status, "voided");
			for (size_t j = 0; j < items; j++) {
				char q[8];
				snprintf(q, sizeof q, "%ld", qty[j]);
				money(price, sizeof price, products[it[j]].cents);
				csv(b, name, 0);
				csv(b, mail, 0);
				if (j == 0) {
					const char *city = ONE_OF(cities);
					mr_buf_printf(b, "%s,%s,%s,,%s,CNY,%s,%s,0.00,%s,,0.00,%s,%s,", status,
					              paid ? when : "", paid ? "fulfilled" : "unfulfilled",
					              chance(0.4) ? "yes" : "no", sub, ship, tot,
					              shipping ? "Standard" : "Free shipping", when);
					mr_buf_printf(b, "%s,%s,%s,%s,true,true,%s,%s,CN,%s,CN,,%s,%s,%s,"
					              "Green Hill Tea,%s,,web,", q, products[it[j]].name, price,
					              products[it[j]].sku, paid ? "fulfilled" : "pending", city,
					              city, strcmp(status, "voided") ? "" : when,
					              paid ? "Alipay" : "", refund, id);
					csv(b, land, 1);
				} else {
					mr_buf_printf(b, ",,,,,,,,,,,,,,%s,%s,%s,%s,true,true,%s,,,,,,,,,"
					              "Green Hill Tea,,,,\n", q, products[it[j]].name, price,
					              products[it[j]].sku, paid ? "fulfilled" : "pending");
				}
			}
			c->orders++;
		}
	}
}

/* ---- tasks: the Jira export ---- */

struct task {
	int created, csec, due, done, dsec;    /* done 0: not resolved */
	int who;                               /* 0 = Wang Fang (no rule), -1 = none */
	int design, review, no_due;
	long key;
	const char *summary, *type, *priority;
};

static long task_no;

static int by_key_desc(const void *x, const void *y)
{
	const struct task *a = x, *b = y;
	return (a->key < b->key) - (a->key > b->key);
}

static void gen_tasks(mr_buf *b, const mr_period *p, mr_demo_counts *c)
{
	static const char *const dev[] = {
		"Fix checkout coupon rounding", "Speed up product listing", "Upgrade payment SDK",
		"Add WeChat Pay callback logging", "Sitemap for new collections", "Fix cart on Safari",
		"Image CDN cache headers", "Search filters by region", "Order export job",
	};
	static const char *const sup[] = {
		"Renew TLS certificate", "Backup restore drill", "Patch nginx", "Disk alert on db01",
		"Rotate access logs", "Office VPN for new staff", "Monitor checkout latency",
		"Mail relay bounces",
	};
	static const char *const des[] = {
		"Mid-autumn banner", "Gift box product photos", "Double 11 landing page",
		"WeChat article header", "Newsletter template", "Tea set lookbook", "Category icons",
		"Homepage hero refresh",
	};
	static const char *const names[] = { "Wang Fang", "Lina Chen", "Li Na", "Wu Qiang",
	                                     "Zhou Jie" };
	static const struct { int who; double mean, on_time; } load[] = {
		{ ZHOU, 30, 0.89 }, { WU, 24, 0.93 }, { LI, 20, 0.91 }, { 0, 3, 0.8 },
		{ -1, 2, 0.8 },
	};
	struct task t[256];
	size_t n = 0;
	int days = p->last - p->first + 1;
	for (size_t l = 0; l < sizeof load / sizeof load[0]; l++) {
		long cnt = around(load[l].mean, load[l].mean * 0.15);
		for (long i = 0; i < cnt + (load[l].who == ZHOU ? 2 : 0) && n < 256; i++, n++) {
			struct task *k = &t[n];
			memset(k, 0, sizeof *k);
			k->who = load[l].who;
			k->no_due = load[l].who == ZHOU && i >= cnt;    /* a few with no due date */
			do
				k->due = p->first + (int)pick((size_t)days);
			while (weekday(k->due) == 0 || weekday(k->due) == 6);
			k->created = k->due - 2 - (int)pick(10);
			k->csec = 9 * 3600 + (int)pick(9 * 3600);
			k->design = k->who == LI;
			k->type = k->design ? "Task" : k->who == WU && chance(0.4) ? "Bug" : "Task";
			k->summary = k->design ? ONE_OF(des) : k->who == WU ? ONE_OF(sup) : ONE_OF(dev);
			k->priority = chance(0.2) ? "High" : chance(0.8) ? "Medium" : "Low";
			if (chance(load[l].on_time))
				k->done = k->due - (int)pick(3);
			else if (chance(0.8))
				k->done = k->due + 1 + (int)pick(6);
			if (k->done && k->done < k->created)
				k->done = k->created;
			k->dsec = 10 * 3600 + (int)pick(8 * 3600);
			k->review = k->design && k->done ? chance(0.87 * mr_demo_team[LI].skill) : -1;
		}
	}
	/* keys in the order the tasks were created */
	for (size_t i = 0; i < n; i++) {
		size_t best = i;
		for (size_t j = i + 1; j < n; j++)
			if (t[j].created < t[best].created ||
			    (t[j].created == t[best].created && t[j].csec < t[best].csec))
				best = j;
		struct task tmp = t[i];
		t[i] = t[best];
		t[best] = tmp;
		t[i].key = 101 + task_no++;
	}
	qsort(t, n, sizeof *t, by_key_desc);    /* Jira lists the newest first */
	mr_buf_puts(b, "Summary,Issue key,Issue id,Issue Type,Status,Priority,Resolution,"
	            "Assignee,Reporter,Created,Updated,Resolved,Due Date,Labels,Labels,"
	            "Custom field (First review)\n");
	for (size_t i = 0; i < n; i++) {
		const struct task *k = &t[i];
		char key[24], id[24], created[32], updated[32], resolved[32] = "", due[32] = "";
		snprintf(key, sizeof key, "WEB-%ld", k->key);
		snprintf(id, sizeof id, "%ld", 10200 + k->key);
		t_jira(created, sizeof created, k->created, k->csec);
		if (k->done) {
			t_jira(resolved, sizeof resolved, k->done, k->dsec);
			t_jira(updated, sizeof updated, k->done, k->dsec);
		} else {
			t_jira(updated, sizeof updated, k->due, k->dsec);
		}
		if (!k->no_due)
			t_jira(due, sizeof due, k->due, 0);
		const char *who = k->who < 0 ? "" : k->who == 0 ? names[0] : k->who == LI ? "Li Na" :
		                  k->who == WU ? "Wu Qiang" : "Zhou Jie";
		csv(b, k->summary, 0);
		mr_buf_printf(b, "%s,%s,%s,%s,%s,%s,%s,Wang Fang,%s,%s,%s,%s,", key, id, k->type,
		              k->done ? "Done" : "In Progress", k->priority, k->done ? "Done" : "",
		              who, created, updated, resolved, due);
		mr_buf_printf(b, "%s,%s,%s\n", k->design ? "design" : k->who == WU ? "ops" : "web",
		              k->design ? (chance(0.5) ? "campaign" : "shop") : "",
		              k->review < 0 ? "" : k->review ? "Approved" : "Rejected");
		c->tasks++;
	}
}

/* ---- uptime: the checker's results, every five minutes ---- */

static void gen_uptime(mr_buf *b, const mr_period *p, mr_demo_counts *c)
{
	int days = p->last - p->first + 1, down_at[8] = { 0 }, down_for[8] = { 0 };
	size_t incidents = 1 + pick(4);
	for (size_t i = 0; i < incidents; i++) {
		down_at[i] = (int)pick((size_t)days * 288);
		down_for[i] = 1 + (int)pick(4);
	}
	mr_buf_puts(b, "date,site,up,total,status,latency_ms,error\n");
	for (int day = p->first, n = 0; day <= p->last; day++)
		for (int slot = 0; slot < 288; slot++, n++) {
			char when[48];
			int down = 0;
			for (size_t i = 0; i < incidents; i++)
				down |= n >= down_at[i] && n < down_at[i] + down_for[i];
			t_iso(when, sizeof when, day, slot * 300 + 7);
			if (!down)
				mr_buf_printf(b, "%s,shop.example.com,1,1,200,%ld,\n", when, around(180, 90) + 40);
			else if (chance(0.5))
				mr_buf_printf(b, "%s,shop.example.com,0,1,503,%ld,HTTP status 503\n", when,
				              around(40, 20) + 5);
			else
				mr_buf_printf(b, "%s,shop.example.com,0,1,,10000,Operation timed out\n", when);
			c->checks++;
		}
}

/* ---- the access log ---- */

struct hit {
	int sec;
	long seq;
	size_t off, len;
};
static struct hit *hits;
static size_t nhits, caphits;
static int hits_oom;
static mr_buf daylog;
static int logday;

static const char *const browsers[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/129.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
	"Version/17.6 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
	"Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 14; 23127PN0CC) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/128.0.6613.127 Mobile Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/129.0.0.0 Safari/537.36 Edg/129.0.0.0",
};
static const char *const wechat_ua[] = {
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
	"Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x18003231) NetType/WIFI Language/zh_CN",
	"Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20240404 "
	"MicroMessenger/8.0.49.2600(0x2800313D) WeChat/arm64 Weixin NetType/5G Language/zh_CN",
};
static const char *const weibo_ua[] = {
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
	"Gecko) Mobile/15E148 Weibo (iPhone15,2__weibo__14.9.1__iphone__os17.5)",
	"Mozilla/5.0 (Linux; Android 13; PGT-AN10) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/120.0.6099.193 Mobile Safari/537.36 Weibo (HUAWEI-PGT-AN10__weibo__14.8.3__android"
	"__android13)",
};
static const char *const bots[] = {
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
	"Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
	"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
	"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like "
	"Gecko) Chrome/129.0.6668.70 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
	"+http://www.google.com/bot.html)",
};
static const char *const pages[] = {
	"/", "/collections/all", "/collections/green-tea", "/collections/oolong",
	"/collections/gift-boxes", "/products/longjing-green-tea", "/products/tie-guan-yin",
	"/products/celadon-tea-set", "/products/puer-cake-357g", "/products/jasmine-pearls",
	"/products/travel-tea-cup", "/products/mid-autumn-gift-box", "/cart", "/pages/about",
	"/search?q=tea+set",
};
static const char *const assets[] = {
	"/static/theme.css?v=4.2.1", "/static/theme.js?v=4.2.1", "/static/logo.svg",
	"/cdn/shop/products/longjing_600x.jpg", "/cdn/shop/products/tea-set_600x.jpg",
	"/favicon.ico",
};

static void hit(int sec, const char *ip, const char *method, const char *path, int status,
                long bytes, const char *ref, const char *ua)
{
	char when[40];
	if (sec > 86399)
		sec = 86399;
	if (mr_vec_grow(&hits, &caphits, nhits, sizeof *hits)) {
		hits_oom = 1;
		return;
	}
	t_clf(when, sizeof when, logday, sec);
	size_t off = daylog.len;
	mr_buf_printf(&daylog, "%s - - [%s] \"%s %s HTTP/1.1\" %d %ld \"%s\" \"%s\"\n", ip, when,
	              method, path, status, bytes, ref, ua);
	hits[nhits] = (struct hit){ sec, (long)nhits, off, daylog.len - off };
	nhits++;
}

static void ip_of(char *out, size_t n)
{
	static const int firsts[] = { 36, 39, 42, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113,
	                              114, 115, 116, 117, 119, 120, 121, 122, 123, 124, 125,
	                              175, 180, 182, 183, 202, 211, 218, 220, 221, 222, 223 };
	snprintf(out, n, "%d.%d.%d.%d", ONE_OF(firsts), (int)pick(256), (int)pick(256),
	         1 + (int)pick(254));
}

/* One person's visit: the landing page, maybe the assets, maybe more pages. */
static void visit(const char *landing, const char *ref, const char *ua)
{
	char ip[16], self[200];
	int t = daytime();
	ip_of(ip, sizeof ip);
	hit(t, ip, "GET", landing, 200, around(38000, 12000), ref, ua);
	snprintf(self, sizeof self, "https://shop.example.com%s", landing);
	if (chance(0.15))
		hit(t + 1, ip, "GET", ONE_OF(assets), chance(0.4) ? 304 : 200, around(9000, 8000),
		    self, ua);
	long more = chance(0.3) ? 1 + (long)pick(2) : 0;
	for (long i = 0; i < more; i++) {
		t += 15 + (int)pick(240);
		if (chance(0.04)) {
			hit(t, ip, "GET", "/products/autumn-sampler-2025", 404, 3120, self, ua);
			continue;
		}
		const char *next = ONE_OF(pages);
		hit(t, ip, chance(0.05) ? "POST" : "GET", next, 200, around(36000, 12000), self, ua);
		snprintf(self, sizeof self, "https://shop.example.com%s", next);
	}
}

static int by_time(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;
	return a->sec != b->sec ? (a->sec > b->sec) - (a->sec < b->sec)
	                        : (a->seq > b->seq) - (a->seq < b->seq);
}

static void gen_log(mr_buf *b, const mr_period *p, mr_demo_counts *c)
{
	static const char *const search_refs[] = {
		"https://www.baidu.com/link?url=Wq3kZ8", "https://www.google.com/",
		"https://cn.bing.com/", "-", "-", "https://www.sogou.com/",
	};
	for (int day = p->first; day <= p->last; day++) {
		int m, y, d;
		char path[200];
		mr_day_to_civil(day, &y, &m, &d);
		logday = day;
		nhits = 0;
		mr_buf_reset(&daylog);
		/* lina: WeChat links, her articles' referrers, her e-mail campaign */
		long n = around(335 * mr_demo_team[LINA].skill, 60);
		for (long i = 0; i < n; i++) {
			const char *page = ONE_OF(pages);
			double r = rnd();
			if (r < 0.6) {
				snprintf(path, sizeof path, "%s%sutm_source=wechat&utm_medium=social&"
				         "utm_campaign=autumn-tea", page, strchr(page, '?') ? "&" : "?");
				visit(path, "-", ONE_OF(wechat_ua));
			} else if (r < 0.85 || m == 11) {
				visit(page, "https://mp.weixin.qq.com/", ONE_OF(wechat_ua));
			} else {
				snprintf(path, sizeof path, "%s%sutm_source=newsletter&utm_medium=email&"
				         "utm_campaign=mid-autumn", page, strchr(page, '?') ? "&" : "?");
				visit(path, "-", ONE_OF(browsers));
			}
		}
		/* sun, from the day he joined: Weibo, and the Double 11 search ads */
		n = active(SUN, day) ? around(335 * mr_demo_team[SUN].skill, 60) : 0;
		for (long i = 0; i < n; i++) {
			const char *page = ONE_OF(pages);
			double r = rnd();
			if (m == 11 && d <= 11 && r < 0.4) {
				snprintf(path, sizeof path, "%s%sutm_source=baidu&utm_medium=cpc&"
				         "utm_campaign=double-11", page, strchr(page, '?') ? "&" : "?");
				visit(path, "https://www.baidu.com/baidu.php?url=a0000Kx", ONE_OF(browsers));
			} else if (r < 0.75) {
				snprintf(path, sizeof path, "%s%sutm_source=weibo&utm_medium=social&"
				         "utm_campaign=weibo-daily", page, strchr(page, '?') ? "&" : "?");
				visit(path, "-", ONE_OF(weibo_ua));
			} else {
				visit(page, "https://weibo.com/7712093", ONE_OF(weibo_ua));
			}
		}
		/* everyone else: search, direct, and readers of the articles */
		n = around(110, 30);
		for (long i = 0; i < n; i++) {
			const char *page = chance(0.4) && narticles ? articles[pick(narticles)] : ONE_OF(pages);
			visit(page, ONE_OF(search_refs), ONE_OF(browsers));
		}
		/* crawlers, and scanners looking for what is not there */
		n = around(70, 20);
		for (long i = 0; i < n; i++) {
			char ip[16];
			const char *ua = ONE_OF(bots);
			ip_of(ip, sizeof ip);
			const char *page = chance(0.3) && narticles ? articles[pick(narticles)] :
			                   chance(0.1) ? "/robots.txt" : ONE_OF(pages);
			hit((int)pick(86400), ip, "GET", page, chance(0.1) ? 304 : 200,
			    around(30000, 10000), "-", ua);
		}
		n = around(6, 4);
		for (long i = 0; i < n; i++) {
			static const char *const probes[] = { "/wp-login.php", "/.env", "/admin/config.php",
			                                      "/.git/config", "/phpmyadmin/" };
			char ip[16];
			ip_of(ip, sizeof ip);
			hit((int)pick(86400), ip, "GET", ONE_OF(probes), 404, 162, "-",
			    chance(0.5) ? "python-requests/2.31.0" : "Mozilla/5.0 zgrab/0.x");
		}
		qsort(hits, nhits, sizeof *hits, by_time);
		for (size_t i = 0; i < nhits; i++)
			mr_buf_add(b, daylog.data + hits[i].off, hits[i].len);
		c->log_lines += (long)nhits;
	}
}

/* ---- the month ---- */

void mr_demo_reset(void)
{
	seed = 0x9E3779B97F4A7C15ull;
	narticles = 0;
	ncustomers = 0;
	order_no = 0;
	task_no = 0;
	hits_oom = 0;
}

int mr_demo_write_month(const char *dir, size_t m, mr_demo_counts *c, mr_err *err)
{
	static void (*const gen[])(mr_buf *, const mr_period *, mr_demo_counts *) = {
		gen_log, gen_orders, gen_tasks, gen_leads, gen_content, gen_posts, gen_ranks,
		gen_uptime,
	};
	/* content first: the log's readers visit this month's articles too */
	static const size_t order[] = { 4, 0, 1, 2, 3, 5, 6, 7 };
	mr_period p;
	mr_buf b;
	int rc = 0;
	if (mr_period_parse(&p, mr_demo_months[m], err))
		return MR_EINVALID;
	mr_buf_init(&b);
	for (size_t i = 0; i < mr_demo_nfiles && !rc; i++) {
		const mr_demo_file *f = &mr_demo_files[order[i]];
		char path[600];
		mr_buf_reset(&b);
		gen[order[i]](&b, &p, c);
		if (mr_buf_oom(&b) || mr_buf_oom(&daylog) || hits_oom) {
			rc = mr_err_nomem(err);
			break;
		}
		snprintf(path, sizeof path, "%s/%s-%s.%s", dir, f->stem, mr_demo_months[m], f->ext);
		rc = mr_file_write(path, b.data ? b.data : "", b.len, err);
	}
	mr_buf_release(&b);
	if (m + 1 == MR_DEMO_MONTHS) {
		mr_buf_release(&daylog);
		free(hits);
		hits = NULL;
		nhits = caphits = 0;
	}
	return rc;
}

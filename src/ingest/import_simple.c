/* import_simple.c — the small generic imports, one table and a row
 * function each:
 *   leads    date[,count,source,campaign]      → opportunities (team, and
 *            the promoter owning the campaign (`merit own campaign`) or
 *            else the source (`merit own channel`)); presets for the
 *            HubSpot, Salesforce and Zoho CRM exports
 *   members  date[,count]                      → new_members (team)
 *   posts    date,login,url[,platform]         → promo_posts (the login),
 *            one per normalised URL (mr_imp_url_norm)
 *   content  date[,url,author,type,views,shares,title] → content_updates,
 *            topics_produced (a topic by the type vocabulary: topic,
 *            special, 专题…; import_vocab.c), share_rate
 *            (shares ÷ views), for the editor owning the author
 *            (`merit own author`) or else the URL (`merit own url PREFIX`);
 *            preset wechat (公众号 图文分析: a title, no URL)
 *   uptime   date,site,up,total                → uptime (up ÷ total) for
 *            the login owning the site (`merit own site`)
 * Names no rule maps are told once each with their count.
 */
#include "ingest/import_int.h"

/* ---- leads: one row, one (or `count`) opportunity for the team, and
 * for the promoter owning the lead's campaign, or else its source ---- */

enum { L_DATE, L_COUNT, L_SOURCE, L_CAMPAIGN };
static const char *const lead_fields[] = { "date", "count", "source", "campaign", NULL };

/* The CRMs' lead exports (tests/data/leads/PROVENANCE.md says where each
 * layout comes from): HubSpot's contacts export (its source is the
 * contact's Original Source, its campaign the first converting one),
 * Salesforce's leads report and Zoho CRM's leads export (Lead Source; a
 * Salesforce report may carry the lead's campaign). */
static const char *const hubspot_cols[] = {
	"Create Date", NULL, "Original Source", "First Touch Converting Campaign",
};
static const char *const hubspot_sig[] = { "Record ID", "Create Date", "Original Source", NULL };
static const char *const hubspot_ident[] = { "Create Date", "Original Source", NULL };
static const char *const sf_cols[] = {
	"Created Date", NULL, "Lead Source", "Campaign Name|Campaign",
};
static const char *const sf_sig[] = { "Lead Owner", "Lead Source", "Created Date", NULL };
static const char *const sf_ident[] = { "Lead Source", "Created Date", NULL };
static const char *const zoho_cols[] = { "Created Time", NULL, "Lead Source", NULL };
static const char *const zoho_sig[] = { "Record Id", "Lead Source", "Created Time", NULL };
static const char *const zoho_ident[] = { "Lead Source", "Created Time", NULL };
static const mr_imp_preset lead_presets[] = {
	{ "generic", NULL, NULL, NULL, 0, NULL },
	{ "hubspot", NULL, hubspot_cols, hubspot_sig, 0, hubspot_ident },
	{ "salesforce", "sfdc", sf_cols, sf_sig, 0, sf_ident },
	{ "zoho", NULL, zoho_cols, zoho_sig, 0, zoho_ident },
};

/* All of the row or none of it: both measurements are checked first.  The
 * promoter is the campaign's owner, else the source's (attrib.h, as for
 * orders and visits); a source or campaign no rule owns is told with its
 * count at the end. */
static int leads_row(mr_imp *im, void *state, mr_err *err)
{
	int day, rc, col;
	double n;
	char via[256];
	const char *src = mr_imp_get(im, L_SOURCE), *camp = mr_imp_get(im, L_CAMPAIGN), *who;
	(void)state;
	if ((rc = mr_imp_day(im, L_DATE, 0, &day, err)) ||
	    (rc = mr_imp_number(im, L_COUNT, 1, &n, err)))
		return rc;
	who = mr_imp_channel(im, camp, src, "", via, sizeof via);   /* via: the source */
	col = mr_imp_colno(im, L_DATE);
	if ((rc = mr_imp_check(im, "opportunities", NULL, day, col, err)) ||
	    (who && (rc = mr_imp_check(im, "opportunities", who, day, col, err))) ||
	    (rc = mr_imp_measure(im, "opportunities", NULL, day, n, 0, 0, im->row->line, col,
	                         err)))
		return rc;
	if (who)
		return mr_imp_measure(im, "opportunities", who, day, n, 0, 0, im->row->line, col,
		                      err);
	if (via[0])
		return mr_imp_unmapped(im, "channel", via, err);
	return *camp ? mr_imp_unmapped(im, "campaign", camp, err) : 0;
}

const mr_imp_kind mr_import_kind_leads = {
	"leads", lead_fields, 1u << L_DATE, 0, L_DATE, lead_presets,
	sizeof lead_presets / sizeof lead_presets[0], 0, leads_row, NULL, NULL, 0, 0,
};

/* ---- members: one row, one (or `count`) for the team ---- */

enum { C_DATE, C_COUNT };
static const char *const count_fields[] = { "date", "count", NULL };
static const mr_imp_preset generic[] = { { "generic", NULL, NULL, NULL, 0, NULL } };

static int members_row(mr_imp *im, void *state, mr_err *err)
{
	int day, rc;
	double n;
	(void)state;
	if ((rc = mr_imp_day(im, C_DATE, 0, &day, err)) ||
	    (rc = mr_imp_number(im, C_COUNT, 1, &n, err)))
		return rc;
	return mr_imp_measure(im, "new_members", NULL, day, n, 0, 0, im->row->line,
	                      mr_imp_colno(im, C_DATE), err);
}

const mr_imp_kind mr_import_kind_members = {
	"members", count_fields, 1u << C_DATE, 0, C_DATE, generic, 1, 0, members_row, NULL, NULL, 0,
	0,
};

/* ---- posts ---- */

enum { P_DATE, P_LOGIN, P_PLATFORM, P_URL };
static const char *const post_fields[] = { "date", "login", "platform", "url", NULL };

/* One post per URL, compared normalised (mr_imp_url_norm): a URL this
 * file gave already counts once, one an earlier batch counted is an
 * overlap; an empty URL is a bad row. */
static int posts_row(mr_imp *im, void *state, mr_err *err)
{
	int day, rc;
	const char *login = mr_imp_get(im, P_LOGIN);
	(void)state;
	if ((rc = mr_imp_day(im, P_DATE, 0, &day, err)))
		return rc;
	if (!*login)
		return mr_imp_bad(im, P_LOGIN, MR_EINVALID, err, "the login is empty");
	mr_buf_reset(&im->key);
	mr_imp_url_norm(&im->key, mr_imp_get(im, P_URL));
	if (mr_buf_oom(&im->key))
		return mr_err_nomem(err);
	if (!im->key.len)
		return mr_imp_bad(im, P_URL, MR_EINVALID, err, "the url is empty (a post is "
		                  "counted by its URL)");
	if ((rc = mr_imp_check(im, "promo_posts", login, day, mr_imp_colno(im, P_LOGIN), err)) ||
	    (rc = mr_imp_claim(im, "posts", im->key.data, 1, err)))
		return rc;
	return mr_imp_measure(im, "promo_posts", login, day, 1, 0, 0, im->row->line,
	                      mr_imp_colno(im, P_LOGIN), err);
}

const mr_imp_kind mr_import_kind_posts = {
	"posts", post_fields, 1u << P_DATE | 1u << P_LOGIN | 1u << P_URL, 0, P_DATE, generic, 1, 0,
	posts_row, NULL, NULL, 1, 0,
};

/* ---- content ---- */

enum { K_DATE, K_URL, K_AUTHOR, K_TYPE, K_VIEWS, K_SHARES, K_TITLE, K_NF };
static const char *const content_fields[] = { "date", "url", "author", "type", "views",
                                              "shares", "title", NULL };

/* WeChat official accounts (微信公众平台) article analytics, 图文分析 /
 * 内容分析: an article's title, the day it was sent (发表时间, 群发时间),
 * its reads (阅读次数, 图文页阅读次数) and shares (分享次数, 分享转发次数);
 * no URL and no author: the title is the row, its editor `merit own
 * author` (an author rule naming the title or its start). */
static const char *const wechat_cols[K_NF] = {
	"发表时间|群发时间|发布时间|日期", "文章链接|链接", "作者", NULL,
	"阅读次数|图文页阅读次数", "分享次数|分享转发次数", "标题|内容标题|文章标题",
};
static const char *const wechat_sig[] = { "标题|内容标题|文章标题", "阅读次数|图文页阅读次数",
                                          "分享次数|分享转发次数", NULL };
static const char *const wechat_ident[] = { "标题|内容标题|文章标题", NULL };
static const mr_imp_preset content_presets[] = {
	{ "generic", NULL, NULL, NULL, 0, NULL },
	{ "wechat", "weixin|wechat-mp", wechat_cols, wechat_sig, 0, wechat_ident },
};

/* Whose content a row is (attrib.h): the author's rule, else the URL's
 * (by its path, as the logs match it: https://host/blog/x is /blog/x),
 * else, for a row with neither (a WeChat article), the author rule its
 * title starts with ("【茶知识】…" for the editor of that column). */
static const char *content_owner(mr_imp *im, const char *author, const char *url,
                                 const char *title)
{
	const char *login = mr_imp_owner(im, "author", author);
	if (!login)
		login = mr_imp_owner(im, "url", url);
	if (!login && !*author && !*url) {
		int who = mr_attrib_title(im->attrib, title, strlen(title));
		login = who < 0 ? NULL : mr_attrib_login(im->attrib, who);
	}
	return login;
}

static int content_row(mr_imp *im, void *state, mr_err *err)
{
	int day, rc;
	double views, shares;
	const char *url = mr_imp_get(im, K_URL), *author = mr_imp_get(im, K_AUTHOR);
	const char *title = mr_imp_get(im, K_TITLE);
	(void)state;
	if ((rc = mr_imp_day(im, K_DATE, 0, &day, err)) ||
	    (rc = mr_imp_number(im, K_VIEWS, 0, &views, err)) ||
	    (rc = mr_imp_number(im, K_SHARES, 0, &shares, err)))
		return rc;
	if (!*url && !*author && !*title)
		return mr_imp_bad(im, K_AUTHOR, MR_EINVALID, err, "the row names neither author "
		                  "nor url nor title");
	const char *login = content_owner(im, author, url, title);
	if (!login)
		return mr_imp_unmapped(im, *author || !*url ? "author" : "url",
		                       *author ? author : *url ? url : title, err);
	long line = im->row->line;
	int col = mr_imp_colno(im, *author ? K_AUTHOR : *url ? K_URL : K_TITLE);
	if ((rc = mr_imp_measure(im, "content_updates", login, day, 1, 0, 0, line, col, err)))
		return rc;
	int type = -1;
	if (*mr_imp_get(im, K_TYPE) && (rc = mr_imp_value(im, K_TYPE, &type, err)))
		return rc;
	if (type == MR_TYPE_TOPIC &&
	    (rc = mr_imp_measure(im, "topics_produced", login, day, 1, 0, 0, line, col, err)))
		return rc;
	if (!*mr_imp_get(im, K_VIEWS) && *url) {
		/* no views in the file: the page views the web logs gave this
		 * article's path since it was published (ingest the logs first) */
		char path[1024];
		const char *p = mr_imp_url_path(url);
		size_t n = strcspn(p, "?#");
		int64_t logged = 0;
		if (n && n < sizeof path) {
			memcpy(path, p, n);
			path[n] = 0;
			if ((rc = mr_store_path_views(im->s, path, day, &logged, err)))
				return rc;
			views = (double)logged;
		}
	}
	if (views > 0)
		rc = mr_imp_measure(im, "share_rate", login, day, shares, 1, views, line,
		                    mr_imp_colno(im, K_SHARES), err);
	return rc;
}

const mr_imp_kind mr_import_kind_content = {
	"content", content_fields, 1u << K_DATE, 0, K_DATE, content_presets,
	sizeof content_presets / sizeof content_presets[0], 0, content_row, NULL, NULL, 0, 0,
};

/* ---- uptime ---- */

enum { U_DATE, U_SITE, U_UP, U_TOTAL };
static const char *const uptime_fields[] = { "date", "site", "up", "total", NULL };

static int uptime_row(mr_imp *im, void *state, mr_err *err)
{
	int day, rc;
	double up, total;
	const char *site = mr_imp_get(im, U_SITE);
	(void)state;
	if ((rc = mr_imp_day(im, U_DATE, 0, &day, err)) ||
	    (rc = mr_imp_number(im, U_UP, -1, &up, err)) ||
	    (rc = mr_imp_number(im, U_TOTAL, -1, &total, err)))
		return rc;
	if (up < 0)
		return mr_imp_bad(im, U_UP, MR_EINVALID, err, "up is empty");
	if (total <= 0 || up > total)
		return mr_imp_bad(im, U_TOTAL, MR_EINVALID, err, "total \"%s\" must be more than "
		                  "0 and at least up (%s)", mr_imp_get(im, U_TOTAL), mr_imp_get(im, U_UP));
	const char *login = mr_imp_owner(im, "site", site);
	if (!login)
		return mr_imp_unmapped(im, "site", *site ? site : "(empty)", err);
	return mr_imp_measure(im, "uptime", login, day, up, 1, total, im->row->line,
	                      mr_imp_colno(im, U_UP), err);
}

const mr_imp_kind mr_import_kind_uptime = {
	"uptime", uptime_fields, 1u << U_DATE | 1u << U_SITE | 1u << U_UP | 1u << U_TOTAL, 0,
	U_DATE, generic, 1, 0, uptime_row, NULL, NULL, 0, 0,
};

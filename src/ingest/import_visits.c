/* import_visits.c — a web-analytics export's visits: `site_visits`.
 *
 * For a site whose logs merit does not see, the visits an analytics
 * service counted: each row's visits go to the team's `site_visits` on
 * its day (rows of one day add up, so a report by source gives the day's
 * total), and, when the row names its source (a channel or a referring
 * site) and a promoter owns it (`merit own channel|referrer VALUE --who
 * LOGIN`), to that promoter's too.  Sources no one owns are counted and
 * told.  A total row ("合计", "总计", "Total") is left out: it repeats the
 * others.  Visitors and page views are checked as numbers and not
 * measured (merit's indicator is visits).
 *
 * Presets: generic (date,visits[,visitors,page_views,source]) and Baidu
 * Tongji (百度统计) trend and source reports; a source report covers a
 * period, not a day: say which day with --date.  Visits from the logs of
 * the same site are the same visits: import one or the other.
 */
#include "ingest/import_int.h"

enum { F_DATE, F_VISITS, F_VISITORS, F_PAGE_VIEWS, F_SOURCE, NF };
static const char *const fields[] = { "date", "visits", "visitors", "page_views", "source",
                                      NULL };

/* 百度统计: 趋势分析 / 网站概况 by day (日期, 浏览量(PV), 访客数(UV),
 * 访问次数, IP数, 跳出率, 平均访问时长) and 全部来源 / 来源网站 (来源类型
 * or 来源网站 and the same figures). */
static const char *const tongji_cols[NF] = {
	"日期|时间", "访问次数", "访客数(UV)", "浏览量(PV)", "来源类型|来源网站|来源",
};
static const char *const tongji_sig[] = { "浏览量(PV)", "访客数(UV)", "访问次数", NULL };
static const char *const tongji_ident[] = { "访问次数", NULL };

static const mr_imp_preset presets[] = {
	{ "generic", NULL, NULL, NULL, 0, NULL },
	{ "baidu-tongji", "tongji|baidu", tongji_cols, tongji_sig, 0, tongji_ident },
};

struct visits {
	long rows, totals, owned, unowned;
};

/* The promoter owning a source: a channel rule, else a referrer rule. */
static const char *source_owner(mr_imp *im, const char *source)
{
	/* a channel name (百度, 微信) or a referring site (www.zhihu.com) */
	mr_attrib_from f = { NULL, 0, source, strlen(source), NULL, 0, source, strlen(source) };
	int who = mr_attrib_channel(im->attrib, &f, NULL, 0);
	return who < 0 ? NULL : mr_attrib_login(im->attrib, who);
}

static int is_total(const char *cell)
{
	return mr_imp_hdr_one_of("合计|总计|汇总|Total|Totals", cell);
}

static int row(mr_imp *im, void *state, mr_err *err)
{
	struct visits *v = state;
	const char *source = mr_imp_get(im, F_SOURCE);
	double visits, other;
	int day, rc;
	if (is_total(mr_imp_get(im, F_DATE)) || is_total(source)) {
		v->totals++;
		return 0;
	}
	if ((rc = mr_imp_day(im, F_DATE, 0, &day, err)) ||
	    (rc = mr_imp_number(im, F_VISITS, -1, &visits, err)) ||
	    (rc = mr_imp_number(im, F_VISITORS, 0, &other, err)) ||
	    (rc = mr_imp_number(im, F_PAGE_VIEWS, 0, &other, err)))
		return rc;
	if (visits < 0)
		return mr_imp_bad(im, F_VISITS, MR_EINVALID, err, "visits is empty");
	v->rows++;
	const char *login = *source ? source_owner(im, source) : NULL;
	long line = im->row->line;
	int col = mr_imp_colno(im, F_VISITS);
	if (login && (rc = mr_imp_check(im, "site_visits", login, day, col, err)))
		return rc;
	if ((rc = mr_imp_measure(im, "site_visits", NULL, day, visits, 0, 0, line, col, err)))
		return rc;
	if (!*source)
		return 0;
	if (!login) {
		v->unowned++;
		return mr_imp_unmapped(im, "channel", source, err);
	}
	v->owned++;
	return mr_imp_measure(im, "site_visits", login, day, visits, 0, 0, line, col, err);
}

static int finish(mr_imp *im, void *state, mr_err *err)
{
	struct visits *v = state;
	(void)err;
	mr_imp_note(im, "%ld rows of visits for the team", v->rows);
	if (v->owned || v->unowned)   /* the sources no one owns are named below */
		mr_imp_note(im, "%ld rows from a source a promoter owns also count for them; %ld "
		            "from sources no one owns count for the team only", v->owned, v->unowned);
	if (v->totals)
		mr_imp_note(im, "%ld total rows left out (they repeat the others)", v->totals);
	return 0;
}

const mr_imp_kind mr_import_kind_visits = {
	"visits", fields, 1u << F_DATE | 1u << F_VISITS, 0, F_DATE,
	presets, sizeof presets / sizeof presets[0], sizeof(struct visits), row, finish, NULL, 0, 0,
};

/* import_ranks.c — keyword positions: `keyword_rank`.
 *
 * A keyword owned by a promoter (`merit own keyword KW --who LOGIN`,
 * matched without regard to case) gives them one `keyword_rank`
 * measurement, its position, on the file's date; the indicator is the
 * mean, lower is better.  Other keywords are counted and told, not
 * measured.  A search-console "Queries" export has no date in it: say
 * which day it stands for with --date; nor has Baidu's search resource
 * platform's keyword export unless it is by day.
 */
#include "ingest/import_int.h"

enum { F_DATE, F_KEYWORD, F_POSITION };
static const char *const fields[] = { "date", "keyword", "position", NULL };

static const char *const gsc_cols[] = { "Date", "Top queries|Query", "Position" };
static const char *const gsc_sig[] = { "Top queries", "Clicks", "Impressions", "CTR",
                                       "Position", NULL };

static const char *const gsc_ident[] = { "Top queries|Query", "Position", NULL };
/* Baidu's search resource platform (百度搜索资源平台), 流量与关键词 →
 * 关键词 export: a keyword's impressions, clicks, click rate and its
 * (mean) rank, per day when the export is by day (日期), else one period:
 * --date. */
static const char *const baidu_cols[] = { "日期|时间", "关键词|搜索词", "排名|平均排名" };
static const char *const baidu_sig[] = { "关键词|搜索词", "展现量", "点击量", "排名|平均排名",
                                         NULL };
static const char *const baidu_ident[] = { "关键词|搜索词", "排名|平均排名", NULL };
static const mr_imp_preset presets[] = {
	{ "generic", NULL, NULL, NULL, 0, NULL },
	{ "search-console", "gsc", gsc_cols, gsc_sig, 0, gsc_ident },
	{ "baidu-ziyuan", "baidu|baidu-search", baidu_cols, baidu_sig, 0, baidu_ident },
};

struct ranks {
	long keywords, owned, unowned;
};

static int row(mr_imp *im, void *state, mr_err *err)
{
	struct ranks *r = state;
	int day, rc;
	double pos;
	const char *kw = mr_imp_get(im, F_KEYWORD);
	if ((rc = mr_imp_day(im, F_DATE, 0, &day, err)))
		return rc;
	if (!*kw)
		return mr_imp_bad(im, F_KEYWORD, MR_EINVALID, err, "the keyword is empty");
	if ((rc = mr_imp_number(im, F_POSITION, -1, &pos, err)))
		return rc;
	if (pos < 1)
		return mr_imp_bad(im, F_POSITION, MR_EINVALID, err, "position \"%s\" is not a "
		                  "search position (1 or more)", mr_imp_get(im, F_POSITION));
	r->keywords++;
	const char *login = mr_imp_owner(im, "keyword", kw);
	if (!login) {
		r->unowned++;
		return 0;
	}
	if ((rc = mr_imp_measure(im, "keyword_rank", login, day, pos, 0, 0, im->row->line,
	                         mr_imp_colno(im, F_POSITION), err)))
		return rc;
	r->owned++;
	return 0;
}

static int finish(mr_imp *im, void *state, mr_err *err)
{
	struct ranks *r = state;
	(void)err;
	mr_imp_note(im, "%ld keywords: %ld owned by a promoter and measured, %ld owned by no "
	            "one (%s) and not measured", r->keywords, r->owned, r->unowned,
	            im->o->web ? "an admin can give each an owner"
	                       : "`merit own keyword KW --who LOGIN`");
	return 0;
}

const mr_imp_kind mr_import_kind_ranks = {
	"ranks", fields, 1u << F_DATE | 1u << F_KEYWORD | 1u << F_POSITION, 0, F_DATE,
	presets, sizeof presets / sizeof presets[0], sizeof(struct ranks), row, finish, NULL, 0, 0,
};

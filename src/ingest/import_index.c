/* import_index.c — a search-index series: how often people search for
 * a keyword, per day, as a measure of brand awareness.
 *
 * Baidu Index (百度指数) gives a keyword's search index per day.  Baidu
 * has no export; people save the series with a downloader, and the most
 * used one (longxiaofei/spider-BaiduIndex, the baidux package) yields
 * {keyword, type, date, index} per day, which pandas writes as
 * ",keyword,type,date,index" with the keyword as a list, "['云杉茶']"
 * (tests/data/index/PROVENANCE.md).
 *
 * Each day of the series is one measurement for the team of the indicator
 * --indicator names (brand_awareness when not told) on its date; the
 * indicator's aggregation makes the cycle's number (SPEC 2: e.g. `last`,
 * the latest day; `mean`, the daily mean).  A file is one keyword's
 * series: a second keyword is a bad row.  Only the whole series (type
 * "all", or no type) is measured: "pc" and "wise" (mobile) are its parts,
 * counted and told.  The batch's source, "index", and the lines of its
 * measurements say on the scorecard how the number was measured.
 */
#include "ingest/import_int.h"

#include <jansson.h>
#include <string.h>

/* the generic layout: date,keyword,value[,type]; "value" (not "index") so
 * that it is not taken for the baidux file it resembles */
enum { F_DATE, F_KEYWORD, F_INDEX, F_TYPE, NF };
static const char *const fields[] = { "date", "keyword", "value", "type", NULL };

/* baidux / spider-BaiduIndex rows saved by pandas (DataFrame.to_csv):
 * an unnamed row-number column, then keyword, type, date, index. */
static const char *const baidux_cols[NF] = { "date", "keyword", "index", "type" };
static const char *const baidux_sig[] = { "keyword", "type", "date", "index", NULL };
static const char *const baidux_ident[] = { "keyword", "type", "index", NULL };

static const mr_imp_preset presets[] = {
	{ "generic", NULL, NULL, NULL, 0, NULL },
	{ "baidu-index", "baidux|百度指数", baidux_cols, baidux_sig, 0, baidux_ident },
};

#define MAX_KEYWORD 256         /* bytes, with the NUL: a keyword and its text fit */

struct index_state {
	const mr_indicator *ind;     /* what the series measures, checked on the first row */
	long rows, parts;
	char keyword[MAX_KEYWORD];   /* the file's keyword, from its first row */
	long keyword_line;
};

/* The indicator --indicator names (brand_awareness when not told): in the
 * plan, and not a ratio (a series has no denominator). */
static int indicator_of(mr_imp *im, struct index_state *st, mr_err *err)
{
	const char *key = im->o->indicator ? im->o->indicator : "brand_awareness";
	const mr_indicator *ind = mr_plan_indicator(im->plan, key);
	if (!ind) {
		mr_err_set(err, MR_EINVALID, "%s: indicator \"%s\" is not in the plan", im->path, key);
		if (!im->o->web)
			mr_err_hint(err, MR_HINT_NONE, "name the plan's indicator the series measures "
			            "with --indicator KEY");
		return MR_EINVALID;
	}
	if (ind->aggregate == MR_AGG_RATIO)
		return mr_err_set(err, MR_EINVALID, "%s: %s is a ratio indicator, and a search index "
		                  "has no denominator: name another with --indicator", im->path, key);
	st->ind = ind;
	return 0;
}

/* pandas writes a list of words as "['a', 'b']": the words joined with
 * "+" (Baidu Index's own sign for words searched together), into out. */
static const char *keyword_text(const char *kw, char *out, size_t cap)
{
	size_t n = strlen(kw), o = 0;
	if (n < 2 || kw[0] != '[' || kw[n - 1] != ']')
		return kw;
	for (size_t i = 1; i + 1 < n; i++) {
		char c = kw[i];
		if (c == '\'' || c == '"')
			continue;
		if (c == ',') {
			c = '+';
			while (i + 2 < n && kw[i + 1] == ' ')
				i++;
		}
		if (o + 1 < cap)
			out[o++] = c;
	}
	out[o] = 0;
	return out;
}

static int row(mr_imp *im, void *state, mr_err *err)
{
	struct index_state *st = state;
	const char *type = mr_imp_get(im, F_TYPE);
	char buf[MAX_KEYWORD];
	double value;
	int day, rc;
	if (!st->ind && (rc = indicator_of(im, st, err)))
		return rc;
	if ((rc = mr_imp_day(im, F_DATE, 0, &day, err)))
		return rc;
	const char *raw = mr_imp_get(im, F_KEYWORD);
	if (strlen(raw) >= MAX_KEYWORD)   /* Baidu takes far shorter ones */
		return mr_imp_bad(im, F_KEYWORD, MR_EINVALID, err, "a keyword of %zu bytes is not a "
		                  "search keyword (at most %d)", strlen(raw), MAX_KEYWORD - 1);
	const char *kw = keyword_text(raw, buf, sizeof buf);
	if (!*kw)
		return mr_imp_bad(im, F_KEYWORD, MR_EINVALID, err, "the keyword is empty");
	if (st->keyword_line && strcmp(kw, st->keyword) != 0)
		return mr_imp_bad(im, F_KEYWORD, MR_EINVALID, err, "a second keyword, \"%s\": the "
		                  "series of \"%s\" began on line %ld, and a file is one keyword's "
		                  "series (save each keyword's in a file of its own)", kw, st->keyword,
		                  st->keyword_line);
	if ((rc = mr_imp_number(im, F_INDEX, -1, &value, err)))
		return rc;
	if (value < 0)
		return mr_imp_bad(im, F_INDEX, MR_EINVALID, err, "the index is empty");
	if (*type && !mr_imp_same_ci(type, "all")) {
		if (!mr_imp_same_ci(type, "pc") && !mr_imp_same_ci(type, "wise"))
			return mr_imp_bad(im, F_TYPE, MR_EINVALID, err, "type \"%s\" is not all, pc "
			                  "or wise", type);
		st->parts++;
		return 0;
	}
	if ((rc = mr_imp_measure(im, st->ind->key, NULL, day, value, 0, 0, im->row->line,
	                         mr_imp_colno(im, F_INDEX), err)))
		return rc;
	if (!st->keyword_line) {
		snprintf(st->keyword, sizeof st->keyword, "%s", kw);
		st->keyword_line = im->row->line;
	}
	st->rows++;
	return 0;
}

/* The batch's how (schema 17): the instrument (the preset) and keyword,
 * which the scorecard's trace shows beside the file and lines. */
static int record_how(mr_imp *im, const struct index_state *st, mr_err *err)
{
	json_t *how = json_pack("{ssss}", "instrument", strcmp(im->preset->name, "generic")
	                        ? im->preset->name : "index", "keyword", st->keyword);
	char *text = how ? json_dumps(how, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(how);
	if (!text)
		return mr_err_nomem(err);
	int rc = mr_store_batch_how(im->s, im->out->batch, text, err);
	free(text);
	return rc;
}

static int finish(mr_imp *im, void *state, mr_err *err)
{
	struct index_state *st = state;
	int rc;
	if (st->rows && (rc = record_how(im, st, err)))
		return rc;
	if (st->rows)
		mr_imp_note(im, "%ld day%s of the search index of \"%s\" (%s preset), measured as "
		            "the team's %s", st->rows, st->rows == 1 ? "" : "s", st->keyword,
		            im->preset->name, st->ind->key);
	if (st->parts)
		mr_imp_note(im, "%ld pc or mobile (wise) row%s left out: the \"all\" series holds "
		            "%s", st->parts, st->parts == 1 ? "" : "s", st->parts == 1 ? "it" : "them");
	return 0;
}

const mr_imp_kind mr_import_kind_index = {
	"index", fields, 1u << F_DATE | 1u << F_KEYWORD | 1u << F_INDEX, 0, F_DATE,
	presets, sizeof presets / sizeof presets[0], sizeof(struct index_state), row, finish, NULL,
	0, 0,
};

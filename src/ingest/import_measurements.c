/* import_measurements.c — the generic measurements CSV, and the batch
 * bookkeeping (content hash, duplicates, --replace) that every importer
 * shares.
 */
#include "ingest/import.h"

#include "core/period.h"
#include "ingest/csv.h"
#include "util/num.h"

void mr_import_result_init(mr_import_result *r)
{
	memset(r, 0, sizeof *r);
	mr_buf_init(&r->notes);
}

void mr_import_result_release(mr_import_result *r)
{
	mr_buf_release(&r->notes);
}

enum { C_DATE, C_INDICATOR, C_LOGIN, C_VALUE, C_DEN, NCOLS };
static const char *const colnames[NCOLS] = { "date", "indicator", "login", "value", "denominator" };

struct mjob {
	mr_store *s;
	const mr_plan *plan;
	const char *path;
	const mr_import_opts *o;
	mr_import_result *out;
	int col[NCOLS];        /* 0-based field index, -1 when absent */
	size_t ncols;
	int header_done;
};

/* A bad row: stop, or with skip_bad note it and go on. */
static int bad_row(struct mjob *j, mr_err *err, int code, long line, int col,
                   const char *fmt, const char *a, const char *b)
{
	char msg[512];
	snprintf(msg, sizeof msg, fmt, a, b);
	if (j->o->skip_bad && code != MR_ENOMEM && code != MR_EDB && code != MR_EIO) {
		/* the first hundred are told row by row; the count tells the rest */
		if (++j->out->skipped <= MR_IMPORT_MAX_NOTES)
			mr_buf_printf(&j->out->notes, "%s:%ld:%d: %s (row skipped)\n", j->path, line,
			              col, msg);
		else if (j->out->skipped == MR_IMPORT_MAX_NOTES + 1)
			mr_buf_printf(&j->out->notes, "%s: more bad rows skipped; only the first %d "
			              "are listed\n", j->path, MR_IMPORT_MAX_NOTES);
		return 0;
	}
	return mr_err_set(err, code, "%s:%ld:%d: %s", j->path, line, col, msg);
}

static int header(struct mjob *j, const mr_csv_row *row, mr_err *err)
{
	for (int c = 0; c < NCOLS; c++)
		j->col[c] = -1;
	for (size_t i = 0; i < row->n; i++) {
		int found = -1;
		for (int c = 0; c < NCOLS; c++)
			if (strcmp(row->f[i], colnames[c]) == 0)
				found = c;
		if (found < 0)
			return mr_err_set(err, MR_EINVALID, "%s:%ld:%zu: unknown column \"%s\"; the "
			                  "header is date,indicator,login,value,denominator",
			                  j->path, row->line, i + 1, row->f[i]);
		if (j->col[found] >= 0)
			return mr_err_set(err, MR_EINVALID, "%s:%ld:%zu: column \"%s\" twice",
			                  j->path, row->line, i + 1, row->f[i]);
		j->col[found] = (int)i;
	}
	for (int c = 0; c < NCOLS; c++)
		if (j->col[c] < 0 && (c == C_DATE || c == C_INDICATOR || c == C_VALUE))
			return mr_err_set(err, MR_EINVALID, "%s:%ld: the header lacks column \"%s\" "
			                  "(date,indicator,login,value,denominator)", j->path,
			                  row->line, colnames[c]);
	j->ncols = row->n;
	j->header_done = 1;
	return 0;
}

static const char *field(const struct mjob *j, const mr_csv_row *row, int c)
{
	return j->col[c] >= 0 ? row->f[j->col[c]] : "";
}

static int on_row(const mr_csv_row *row, void *payload, mr_err *err)
{
	struct mjob *j = payload;
	if (!j->header_done)
		return header(j, row, err);
	if (row->n == 1 && !row->f[0][0])
		return 0;   /* a blank line */
	if (row->n != j->ncols) {
		char a[32], b[32];
		snprintf(a, sizeof a, "%zu", row->n);
		snprintf(b, sizeof b, "%zu", j->ncols);
		return bad_row(j, err, MR_EINVALID, row->line, 1,
		               "%s fields where the header has %s", a, b);
	}
	int day;
	double value, den = 0;
	const char *d = field(j, row, C_DATE), *ind_key = field(j, row, C_INDICATOR);
	const char *login = field(j, row, C_LOGIN), *v = field(j, row, C_VALUE);
	const char *dn = field(j, row, C_DEN);
	if (mr_day_parse(&day, d))
		return bad_row(j, err, MR_EINVALID, row->line, j->col[C_DATE] + 1,
		               "date \"%s\" is not a date (YYYY-MM-DD)%s", d, "");
	const mr_indicator *ind = mr_plan_indicator(j->plan, ind_key);
	if (!ind)
		return bad_row(j, err, MR_EINVALID, row->line, j->col[C_INDICATOR] + 1,
		               "indicator \"%s\" is not in the plan%s", ind_key, "");
	if (mr_num_parse(&value, v))
		return bad_row(j, err, MR_EINVALID, row->line, j->col[C_VALUE] + 1,
		               "value \"%s\" is not a number%s", v, "");
	int has_den = *dn != 0;
	if (has_den && (mr_num_parse(&den, dn) || den < 0))
		return bad_row(j, err, MR_EINVALID, row->line, j->col[C_DEN] + 1,
		               "denominator \"%s\" is not a number ≥ 0%s", dn, "");
	if (ind->aggregate == MR_AGG_RATIO && !has_den)
		return bad_row(j, err, MR_EINVALID, row->line, j->col[C_DEN] < 0 ? (int)j->ncols + 1
		               : j->col[C_DEN] + 1, "%s is a ratio indicator: the row needs a "
		               "denominator%s", ind_key, "");
	if (ind->aggregate != MR_AGG_RATIO && has_den)
		return bad_row(j, err, MR_EINVALID, row->line, j->col[C_DEN] + 1,
		               "%s is not a ratio indicator: leave the denominator empty%s",
		               ind_key, "");
	mr_err e2 = MR_ERR_INIT;
	int rc = mr_store_measure_add(j->s, j->out->batch, ind->key, *login ? login : NULL, day,
	                              value, has_den, den, row->line, &e2);
	if (rc) {
		int col = rc == MR_ENOTFOUND ? j->col[C_LOGIN] + 1 : j->col[C_DATE] + 1;
		rc = bad_row(j, err, rc, row->line, col, "%s%s", e2.msg ? e2.msg : mr_err_str(rc), "");
		mr_err_clear(&e2);
		return rc;
	}
	j->out->rows++;
	return 0;
}

/* Shared by every importer once its rows are in: refuse the same content
 * twice, or swap the old batch out with --replace. */
static int settle_batch(mr_store *s, const char *source, const char *path, const char *sha,
                        const mr_import_opts *o, mr_import_result *out, mr_err *err)
{
	int64_t old;
	int rc = mr_store_batch_find(s, source, sha, &old, err);
	if (rc == 0) {
		if (!o->replace)
			return mr_err_set(err, MR_EEXISTS, "%s: this content was imported already "
			                  "as batch %lld; use --replace to swap it, or `merit batch rm "
			                  "%lld`", path, (long long)old, (long long)old);
		if ((rc = mr_store_batch_rm(s, old, err)))
			return rc;
		out->replaced = old;
	} else if (rc != MR_ENOTFOUND) {
		return rc;
	}
	return mr_store_batch_finish(s, out->batch, out->rows, sha, err);
}

int mr_import_measurements(mr_store *s, const mr_plan *plan, const char *path,
                           const mr_import_opts *o, mr_import_result *out, mr_err *err)
{
	char sha[65];
	struct mjob j;
	int rc;
	memset(&j, 0, sizeof j);
	j.s = s;
	j.plan = plan;
	j.path = strcmp(path, "-") == 0 ? "(stdin)" : path;
	j.o = o;
	j.out = out;
	if ((rc = mr_store_batch_add(s, &out->batch, "measurements", j.path, NULL, err)))
		return rc;
	if ((rc = mr_csv_each(path, on_row, &j, sha, &o->progress, err)))
		return rc;
	if (!j.header_done)
		return mr_err_set(err, MR_EINVALID, "%s: the file is empty; it needs the header "
		                  "date,indicator,login,value,denominator", j.path);
	return settle_batch(s, "measurements", j.path, sha, o, out, err);
}

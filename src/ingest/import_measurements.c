/* import_measurements.c — the generic measurements CSV
 * (date,indicator,login,value,denominator): every row is one measurement
 * exactly as written, so anything merit has no importer for can still come
 * in.  The pipeline (header, --map, bad rows, batches) is import_common.c.
 */
#include "ingest/import_int.h"

#include "core/period.h"
#include "util/num.h"

enum { F_DATE, F_INDICATOR, F_LOGIN, F_VALUE, F_DEN };
static const char *const fields[] = { "date", "indicator", "login", "value", "denominator",
                                      NULL };
static const mr_imp_preset presets[] = { { "generic", NULL, NULL, NULL, 0, NULL } };

static int row(mr_imp *im, void *state, mr_err *err)
{
	int day;
	double value, den = 0;
	const char *d = mr_imp_get(im, F_DATE), *key = mr_imp_get(im, F_INDICATOR);
	const char *login = mr_imp_get(im, F_LOGIN), *v = mr_imp_get(im, F_VALUE);
	const char *dn = mr_imp_get(im, F_DEN);
	(void)state;
	if (mr_imp_has(im, F_DATE) && mr_day_parse(&day, d))
		return mr_imp_bad(im, F_DATE, MR_EINVALID, err, "date \"%s\" is not a date "
		                  "(YYYY-MM-DD)", d);
	if (!mr_imp_has(im, F_DATE))
		day = im->o->date;
	const mr_indicator *ind = mr_plan_indicator(im->plan, key);
	if (!ind)
		return mr_imp_bad(im, F_INDICATOR, MR_EINVALID, err, "indicator \"%s\" is not in "
		                  "the plan", key);
	if (mr_num_parse(&value, v))
		return mr_imp_bad(im, F_VALUE, MR_EINVALID, err, "value \"%s\" is not a number", v);
	int has_den = *dn != 0;
	if (has_den && (mr_num_parse(&den, dn) || den < 0))
		return mr_imp_bad(im, F_DEN, MR_EINVALID, err, "denominator \"%s\" is not a "
		                  "number ≥ 0", dn);
	if (ind->aggregate == MR_AGG_RATIO && !has_den) {
		if (!mr_imp_has(im, F_DEN))   /* name the column the row would need */
			im->col[F_DEN] = (int)im->ncols;
		int rc = mr_imp_bad(im, F_DEN, MR_EINVALID, err, "%s is a ratio indicator: the "
		                    "row needs a denominator", key);
		if (im->col[F_DEN] == (int)im->ncols)
			im->col[F_DEN] = -1;
		return rc;
	}
	if (ind->aggregate != MR_AGG_RATIO && has_den)
		return mr_imp_bad(im, F_DEN, MR_EINVALID, err, "%s is not a ratio indicator: "
		                  "leave the denominator empty", key);
	char why[400];
	int of_den;
	if (mr_value_check(ind, value, has_den, den, &of_den, why, sizeof why))
		return mr_imp_bad(im, of_den ? F_DEN : F_VALUE, MR_EINVALID, err, "%s", why);
	return mr_imp_measure(im, ind->key, *login ? login : NULL, day, value, has_den, den,
	                      im->row->line, *login ? mr_imp_colno(im, F_LOGIN)
	                      : mr_imp_colno(im, F_DATE), err);
}

const mr_imp_kind mr_import_kind_measurements = {
	"measurements", fields, 1u << F_DATE | 1u << F_INDICATOR | 1u << F_VALUE, 0, F_DATE,
	presets, 1, 0, row, NULL, NULL, -1,     /* no row keys: see import_int.h */
	0,
};

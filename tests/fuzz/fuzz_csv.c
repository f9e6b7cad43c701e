/* fuzz_csv.c — libFuzzer target for the measurements CSV import: the CSV
 * reader (libcsv underneath, line counting, BOM, field limits) and the
 * row mapping and checks, into an in-memory store, each input in its own
 * transaction that is rolled back.  Crashes, leaks and sanitizer reports
 * are findings; a bad file must only ever be an error.
 *   make fuzz && build/fuzz/fuzz_csv -max_total_time=300 tests/fuzz/corpus/csv
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/plan.h"
#include "ingest/import.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mr_store *store;
static mr_plan *plan;
static char path[64];

static void setup(void)
{
	mr_err err = MR_ERR_INIT;
	mr_staff st = { "ana", "Ana", "promoter", NULL, MR_DAY_MIN, MR_DAY_MAX, 0, 0, 0 };
	if (mr_store_open(&store, ":memory:", &err) ||
	    mr_plan_builtin(&plan, MR_GOAL_SALES, MR_PERIOD_MONTH, &err) ||
	    mr_store_begin(store, &err) || mr_store_staff_put(store, &st, 1, &err) ||
	    mr_store_commit(store, &err))
		abort();
	snprintf(path, sizeof path, "/tmp/merit-fuzz-%ld.csv", (long)getpid());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mr_err err = MR_ERR_INIT;
	mr_import_result res;
	mr_import_opts o;
	memset(&o, 0, sizeof o);
	o.skip_bad = (int)(size % 2);          /* half the inputs with --skip-bad */
	if (!store)
		setup();
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	mr_import_result_init(&res);
	if (mr_store_begin(store, &err))
		abort();
	int rc = mr_import_measurements(store, plan, path, &o, &res, &err);
	if (rc && (!err.msg || !*err.msg))
		abort();                           /* every failure says why */
	mr_store_rollback(store);
	mr_import_result_release(&res);
	mr_err_clear(&err);
	return 0;
}

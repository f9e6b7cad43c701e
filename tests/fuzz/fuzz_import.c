/* fuzz_import.c — libFuzzer target for every CSV importer (orders, tasks,
 * ranks, leads, content, posts, members, uptime, visits, index, measurements —
 * mr_import_kinds, so a new kind is in): the shared pipeline (header and
 * preset detection, --map, UTF-8 and field checks, dates, amounts,
 * ownership lookups, first-time buyers) into an in-memory store, each
 * input in its own transaction that is rolled back.  The first byte picks
 * the kind and the options (--skip-bad, --date, a --map); the rest is the
 * file.  Crashes, leaks and sanitizer reports are findings; a bad file
 * must only ever be an error that says why.
 *   make fuzz && build/fuzz/fuzz_import -max_total_time=300 tests/fuzz/corpus/import
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/period.h"
#include "core/plan.h"
#include "ingest/attrib.h"
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
	static const char *const rules[][2] = {
		{ "tracker", "aurora" }, { "channel", "web" }, { "campaign", "spring" },
		{ "keyword", "kw" }, { "author", "Ann" }, { "url", "http://x/" }, { "site", "s" },
	};
	if (mr_store_open(&store, ":memory:", &err) ||
	    mr_plan_builtin(&plan, MR_GOAL_SALES, MR_PERIOD_MONTH, &err) ||
	    mr_store_begin(store, &err) || mr_store_staff_put(store, &st, 1, &err))
		abort();
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (mr_store_own_put(store, rules[i][0], rules[i][1], "ana", mr_attrib_same, &err))
			abort();
	if (mr_store_commit(store, &err))
		abort();
	snprintf(path, sizeof path, "/tmp/merit-fuzz-import-%ld.csv", (long)getpid());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const maps[] = { NULL, "a=date", "b=-", "x=total,y=date" };
	mr_err err = MR_ERR_INIT;
	mr_import_result res;
	mr_import_opts o;
	size_t nkinds = 0;
	if (!store)
		setup();
	if (size < 1)
		return 0;
	while (mr_import_kinds[nkinds])
		nkinds++;
	memset(&o, 0, sizeof o);
	unsigned sel = data[0];
	const char *kind = mr_import_kinds[(sel & 0x0f) % nkinds];
	o.skip_bad = (sel >> 4) & 1;
	o.has_date = (sel >> 5) & 1;
	o.date = mr_day_from_civil(2026, 11, 30);
	o.map = maps[(sel >> 6) & 3];
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	mr_import_result_init(&res);
	if (mr_store_begin(store, &err))
		abort();
	int rc = mr_import_file(store, plan, kind, path, &o, &res, &err);
	if (rc && (!err.msg || !*err.msg))
		abort();                           /* every failure says why */
	mr_store_rollback(store);
	mr_import_result_release(&res);
	mr_err_clear(&err);
	return 0;
}

/* fuzz_mapfile.c — libFuzzer target for the user's own mappings and saved
 * sources: a --map-file's YAML (as a saved source keeps it, text in
 * memory), --map and --value values, and a saved source's stored options
 * (JSON) read back, checked and applied to an import of a small CSV.
 * The input is split at the first NUL byte: before it the map file, after
 * it the first byte picks the kind and whether the rest is a stored
 * source's JSON or the CSV to import.  Crashes, leaks and sanitizer
 * reports are findings; a bad mapping must only ever be an error that
 * says why.
 *   make fuzz && build/fuzz/fuzz_mapfile -max_total_time=300 tests/fuzz/corpus/mapfile
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/plan.h"
#include "ingest/import.h"
#include "ingest/source.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mr_store *store;
static mr_plan *plan;
static char path[64];

static void setup(void)
{
	mr_err err = MR_ERR_INIT;
	if (mr_store_open(&store, ":memory:", &err) ||
	    mr_plan_builtin(&plan, MR_GOAL_SALES, MR_PERIOD_MONTH, &err))
		abort();
	snprintf(path, sizeof path, "/tmp/merit-fuzz-mapfile-%ld.csv", (long)getpid());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const maps[] = { "Date=date", "a=b,c=date", "x,y=-", "=", NULL };
	static const char *const values[] = { "status:交易成功=paid", "type:x=topic", ":=", NULL };
	mr_err err = MR_ERR_INIT;
	size_t nkinds = 0;
	if (!store)
		setup();
	const uint8_t *nul = memchr(data, 0, size);
	size_t ytext = nul ? (size_t)(nul - data) : size;
	char *yaml = malloc(ytext + 1);
	if (!yaml)
		abort();
	memcpy(yaml, data, ytext);
	yaml[ytext] = 0;
	const uint8_t *rest = nul ? nul + 1 : data + size;
	size_t nrest = (size_t)(data + size - rest);
	unsigned sel = nrest ? rest[0] : 0;
	while (mr_import_kinds[nkinds])
		nkinds++;
	const char *kind = mr_import_kinds[(sel & 0x0f) % nkinds];

	mr_import_opts o;
	memset(&o, 0, sizeof o);
	o.map_file = "fuzz-map.yaml";
	o.map_text = yaml;
	o.maps = (sel & 0x10) ? maps : NULL;
	o.values = (sel & 0x20) ? values : NULL;
	int rc = mr_import_check(kind, &o, &err);
	if (rc && (!err.msg || !*err.msg))
		abort();                           /* every failure says why */
	mr_err_clear(&err);

	if (nrest > 1 && (sel & 0x40)) {        /* a stored source's options */
		char *json = malloc(nrest);
		if (!json)
			abort();
		memcpy(json, rest + 1, nrest - 1);
		json[nrest - 1] = 0;
		mr_source_row row = { "fuzz", (char *)kind, json, NULL, NULL };
		mr_source src;
		if (!mr_source_read(&src, &row, &err)) {
			mr_import_opts io;
			memset(&io, 0, sizeof io);
			if (mr_source_apply(&src, &io, &err))
				abort();
			mr_err_clear(&err);
			(void)mr_import_check(kind, &io, &err);
			char *back = mr_source_options_json(&src);
			free(back);
			mr_source_release(&src);
		}
		free(json);
	} else if (nrest > 1) {                 /* the map file over a CSV */
		FILE *f = fopen(path, "wb");
		if (!f)
			abort();
		fwrite(rest + 1, 1, nrest - 1, f);
		fclose(f);
		mr_import_result res;
		mr_import_result_init(&res);
		if (mr_store_begin(store, &err))
			abort();
		rc = mr_import_file(store, plan, kind, path, &o, &res, &err);
		if (rc && (!err.msg || !*err.msg))
			abort();
		mr_store_rollback(store);
		mr_import_result_release(&res);
	}
	mr_err_clear(&err);
	free(yaml);
	return 0;
}

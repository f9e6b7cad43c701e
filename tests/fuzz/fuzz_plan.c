/* fuzz_plan.c — libFuzzer target for the plan reader and writer.
 *
 * Any bytes go to mr_plan_parse; a plan that parses is written out, read
 * back and written again, and the two texts must be identical (the
 * export round trip every user relies on).  Crashes, leaks, sanitizer
 * reports and a broken round trip are all findings.
 *   make fuzz && build/fuzz/fuzz_plan -max_total_time=300 tests/fuzz/corpus/plan
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "ingest/plan_yaml.h"
#include "report/plan_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mr_plan *p = NULL, *q = NULL;
	mr_err err = MR_ERR_INIT;
	mr_buf a, b;
	mr_buf_init(&a);
	mr_buf_init(&b);
	if (mr_plan_parse(&p, (const char *)data, size, "fuzz.yaml", &err) == 0) {
		mr_plan_write(&a, p);
		mr_err_clear(&err);
		if (mr_plan_parse(&q, a.data, a.len, "export.yaml", &err) != 0)
			abort();             /* an export that does not read back */
		mr_plan_write(&b, q);
		if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			abort();             /* export, import, export changed bytes */
	}
	mr_plan_free(p);
	mr_plan_free(q);
	mr_buf_release(&a);
	mr_buf_release(&b);
	mr_err_clear(&err);
	return 0;
}

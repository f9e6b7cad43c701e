/* fuzz_logformat.c — libFuzzer target for the log format-string
 * compiler: any string either compiles (and then parses a sample line
 * without reading out of bounds) or is refused with a message.
 *   make fuzz && build/fuzz/fuzz_logformat -max_total_time=300 tests/fuzz/corpus/logformat
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/log_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sample[] = "www.example.com:443 10.0.0.1 - - [03/Nov/2026:08:00:00 +0800] "
		"\"GET /a?b=1 HTTP/1.1\" 200 512 \"https://ref.example/\" \"Mozilla/5.0 (X11)\"";
	char *spec = malloc(size + 1);
	mr_log_format *f = NULL;
	mr_err err = MR_ERR_INIT;
	if (!spec)
		return 0;
	memcpy(spec, data, size);
	spec[size] = 0;
	int rc = mr_log_format_compile(&f, spec, &err);
	if (rc && (!err.msg || !*err.msg))
		abort();
	if (!rc) {
		mr_log_line l;
		mr_log_bad bad;
		char *line = malloc(sizeof sample - 1);
		if (line) {
			memcpy(line, sample, sizeof sample - 1);
			(void)mr_log_parse(f, line, sizeof sample - 1, &l, &bad);
			free(line);
		}
	}
	mr_log_format_free(f);
	mr_err_clear(&err);
	free(spec);
	return 0;
}

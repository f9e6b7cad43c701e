/* fuzz_logformat.c — libFuzzer target for the log format compiler: any
 * string (a preset name, a GoAccess or Apache format string, a JSON
 * template) either compiles (and then parses sample lines of several
 * formats without reading out of bounds) or is refused with a message.
 *   make fuzz && build/fuzz/fuzz_logformat -max_total_time=300 tests/fuzz/corpus/logformat
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/log_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mr_log_line line_out;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const samples[] = {
		"www.example.com:443 10.0.0.1 - - [03/Nov/2026:08:00:00 +0800] "
		"\"GET /a?b=1 HTTP/1.1\" 200 512 \"https://ref.example/\" \"Mozilla/5.0 (X11)\"",
		"2021-04-01 00:00:21 10.0.0.1 GET /foo - 80 - 10.0.0.2 Mozilla/5.0+(X11) - 200 0 0 65",
		"1677971735.123  567 192.168.1.100 TCP_MISS/200 5432 GET http://example.com/ - HIER_DIRECT/1.2.3.4 text/html",
		"{\"ts\":1646861401.52,\"request\":{\"client_ip\":\"127.0.0.1\",\"method\":\"GET\",\"uri\":\"/\","
		"\"headers\":{\"User-Agent\":[\"curl/7.82.0\"]}},\"status\":200,\"size\":5}",
	};
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
		for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
			mr_log_bad bad;
			size_t n = strlen(samples[i]);
			char *line = malloc(n);
			if (!line)
				break;
			memcpy(line, samples[i], n);
			(void)mr_log_parse(f, line, n, &line_out, &bad);
			free(line);
		}
	}
	mr_log_format_free(f);
	mr_err_clear(&err);
	free(spec);
	return 0;
}

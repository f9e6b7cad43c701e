/* fuzz_logline.c — libFuzzer target for the access-log line parser and
 * what the aggregation does with a parsed line: each input is a line
 * (the first byte picks the format: combined, common, vcombined or a
 * custom string), parsed, and when it parses, its request target, static
 * test and crawler test are taken too.  The parser reads only the bytes
 * it is given (no NUL terminator: ASan catches a read past them).
 *   make fuzz && build/fuzz/fuzz_logline -max_total_time=300 tests/fuzz/corpus/logline
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mr_log_format *formats[4];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const specs[4] = {
		"combined", "common", "vcombined", "%h [%^] %t \"%r\" %s %b \"%{User-Agent}i\" %v",
	};
	if (!formats[0]) {
		mr_err err = MR_ERR_INIT;
		for (int i = 0; i < 4; i++)
			if (mr_log_format_compile(&formats[i], specs[i], &err))
				abort();
	}
	if (size == 0)
		return 0;
	const mr_log_format *f = formats[data[0] & 3];
	char *line = malloc(size - 1 ? size - 1 : 1);   /* exact size, no terminator */
	if (!line)
		return 0;
	memcpy(line, data + 1, size - 1);
	mr_log_line l;
	mr_log_bad bad;
	if (mr_log_parse(f, line, size - 1, &l, &bad) == 0) {
		mr_log_span path, query;
		if (l.status && (l.status < 100 || l.status > 599))
			abort();
		if (!mr_log_request_target(l.f[MR_LF_REQUEST], &path, &query)) {
			if (path.p < line || path.p + path.n > line + size - 1)
				abort();
			(void)mr_log_is_static(path);
		}
		(void)mr_log_is_crawler(l.f[MR_LF_AGENT].p ? l.f[MR_LF_AGENT].p : "", l.f[MR_LF_AGENT].n);
	} else if (!bad.why || bad.col < 1 || bad.col > size) {
		abort();                    /* every failure says where and why */
	}
	free(line);
	return 0;
}

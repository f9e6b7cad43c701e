/* fuzz_logline.c — libFuzzer target for the access-log line parser,
 * format detection and what the aggregation does with a parsed line:
 * each input is a line (the first byte picks the format: one of GoAccess's
 * presets, `json`, or a custom GoAccess, Apache or JSON-template string),
 * parsed, and when it parses, its request target, static test and
 * crawler test are taken too; a W3C-style format is also given the input
 * as a #Fields line, and the whole input goes to detection.  The parser
 * reads only the bytes it is given (no NUL terminator: ASan catches a
 * read past them).
 *   make fuzz && build/fuzz/fuzz_logline -max_total_time=300 tests/fuzz/corpus/logline
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const specs[] = {
	"combined", "common", "vcombined", "vcommon", "w3c", "cloudfront", "cloudstorage",
	"awselb", "awsalb", "awss3", "squid", "caddy", "traefikclf", "json",
	"%h [%^] %t \"%r\" %>s %b \"%{User-Agent}i\" %v",
	"%x.%^ %~%L %h %^/%s %b %m %U",
	"{\"t\": \"%d:%t %^\", \"a\": {\"ip\": \"%h\"}, \"r\": \"%r\", \"s\": \"%s\", \"u\": [\"%u\"]}",
};
#define NSPECS (sizeof specs / sizeof specs[0])
static mr_log_format *formats[NSPECS];
static mr_log_line line_out;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!formats[0]) {
		mr_err err = MR_ERR_INIT;
		for (size_t i = 0; i < NSPECS; i++)
			if (mr_log_format_compile(&formats[i], specs[i], &err))
				abort();
	}
	if (size == 0)
		return 0;
	size_t pick = data[0] % NSPECS;
	mr_log_format *f = formats[pick];
	size_t n = size - 1;
	char *line = malloc(n ? n : 1);   /* exact size, no terminator */
	if (!line)
		return 0;
	memcpy(line, data + 1, n);
	mr_log_line *l = &line_out;
	mr_log_bad bad;
	if (mr_log_parse(f, line, n, l, &bad) == 0) {
		mr_log_span path, query;
		if (l->status && (l->status < 100 || l->status > 599))
			abort();
		if (l->used > sizeof l->scratch)
			abort();
		if (!mr_log_request_target(l->f[MR_LF_REQUEST], &path, &query))
			(void)mr_log_is_static(path);
		(void)mr_log_is_crawler(l->f[MR_LF_AGENT].p ? l->f[MR_LF_AGENT].p : "", l->f[MR_LF_AGENT].n);
	} else if (!bad.why || bad.col < 1 || bad.col > n + 1) {
		abort();                    /* every failure says where and why */
	}
	/* the input as a #Fields line of a W3C log (a copy: the format changes) */
	if (n >= 8 && memcmp(line, "#Fields:", 8) == 0) {
		mr_log_format *w = NULL;
		mr_err err = MR_ERR_INIT;
		if (!mr_log_format_compile(&w, data[0] & 1 ? "w3c" : "cloudfront", &err)) {
			int r = mr_log_format_fields(w, line, n, &err);
			if (r < 0 && (!err.msg || !*err.msg))
				abort();
		}
		mr_log_format_free(w);
		mr_err_clear(&err);
	}
	/* detection on the whole input */
	mr_log_format *d = NULL;
	if (mr_log_format_detect(&d, line, n) == 0 && !mr_log_format_name(d))
		abort();
	mr_log_format_free(d);
	free(line);
	return 0;
}

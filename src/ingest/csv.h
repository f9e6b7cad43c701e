/* csv.h — the one CSV pipeline every importer shares (libcsv underneath).
 *
 * It streams a file (or standard input for "-") record by record, in
 * constant memory, and tells each record's first line number, so errors
 * can say file:line:column.  A UTF-8 byte-order mark is dropped.  The
 * SHA-256 of the raw bytes comes out at the end, for batch identity.
 */
#ifndef MR_CSV_H
#define MR_CSV_H

#include <stddef.h>

#include "util/err.h"

#define MR_CSV_MAX_FIELD (64u << 10)   /* a field longer than 64 KiB is an error */

typedef struct mr_csv_row {
	long line;            /* 1-based line where the record starts */
	size_t n;             /* fields */
	char **f;             /* NUL-terminated fields, borrowed for the call */
} mr_csv_row;

/* Called for each record, the header included; non-zero stops the read
 * and is returned (the callback fills err). */
typedef int (*mr_csv_fn)(const mr_csv_row *row, void *payload, mr_err *err);

/* Told how far the read has got, after each chunk: bytes done and the
 * file's size (0 when unknown, as for a pipe). */
typedef struct mr_progress {
	void (*fn)(unsigned long long done, unsigned long long total, void *payload);
	void *payload;
} mr_progress;

/* sha256_hex, when not NULL, receives the content hash (65 bytes);
 * progress may be NULL. */
int mr_csv_each(const char *path, mr_csv_fn fn, void *payload, char *sha256_hex,
                const mr_progress *progress, mr_err *err);
/* The same, with messages naming the file `name` (NULL: its path). */
int mr_csv_each_as(const char *path, const char *name, mr_csv_fn fn, void *payload,
                   char *sha256_hex, const mr_progress *progress, mr_err *err);

#endif

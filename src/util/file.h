/* file.h — read a whole (small) file, or standard input for "-". */
#ifndef MR_FILE_H
#define MR_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

#define MR_FILE_MAX (64u << 20)   /* plans and drafts are small; refuse more */

/* *out is NUL-terminated and belongs to the caller (free). */
int mr_file_read(char **out, size_t *len, const char *path, mr_err *err);
/* The mode for a file written to `path` through a temporary one: an
 * existing file's own, else what open(0666) gives under the process's
 * umask (read from /proc: umask() would change it for every thread). */
mode_t mr_file_mode_for(const char *path);
/* Make a private directory $TMPDIR/merit-WHAT-XXXXXX (else under /tmp)
 * and put its name in out (size bytes): 0, or -1 with errno (out is "").
 */
int mr_file_tempdir(char *out, size_t size, const char *what);
/* Write all of data to path atomically: a temporary file beside it
 * (PATH.tmpXXXXXX, the old file's mode), every write, the fsync and the
 * close checked, then renamed over path.  On any failure the temporary
 * file is removed and path is untouched; the message names path and the
 * cause (MR_EFULL for a full disk or quota, else MR_EIO).  "-" writes to
 * standard output (and flushes it). */
int mr_file_write(const char *path, const char *data, size_t len, mr_err *err);

#endif

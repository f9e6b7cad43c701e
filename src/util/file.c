/* file.c — whole-file read and atomic write, with errors that name the file. */
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mr_file_read(char **out, size_t *len, const char *path, mr_err *err)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	if (!f)
		return mr_err_set(err, MR_EIO, "%s: %s", path, strerror(errno));
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			if (cap > MR_FILE_MAX + 65536u) {
				free(data);
				if (!is_stdin)
					fclose(f);
				return mr_err_set(err, MR_EINVALID, "%s: larger than %u MiB",
				                  path, MR_FILE_MAX >> 20);
			}
			char *d = realloc(data, cap);
			if (!d) {
				free(data);
				if (!is_stdin)
					fclose(f);
				return mr_err_set(err, MR_ENOMEM, "%s: out of memory", path);
			}
			data = d;
		}
		size_t k = fread(data + n, 1, cap - n - 1, f);
		n += k;
		if (k == 0)
			break;
	}
	int bad = ferror(f), e = errno;   /* a directory: EISDIR */
	if (!is_stdin)
		fclose(f);
	if (bad) {
		free(data);
		return mr_err_set(err, MR_EIO, "%s: read error: %s", path, strerror(e));
	}
	data[n] = 0;
	*out = data;
	if (len)
		*len = n;
	return 0;
}

mode_t mr_file_mode_for(const char *path)
{
	struct stat st;
	char line[128];
	unsigned mask = 022;
	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "Umask: %o", &mask) == 1)
			break;
	if (f)
		fclose(f);
	return (mode_t)(0666 & ~mask);
}

int mr_file_tempdir(char *out, size_t size, const char *what)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(out, size, "%s/merit-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", what);
	if (n < 0 || (size_t)n >= size || !mkdtemp(out)) {
		if (n >= 0 && (size_t)n >= size)
			errno = ENAMETOOLONG;
		if (size)
			out[0] = 0;
		return -1;
	}
	return 0;
}

/* Write all of data to fd: 0, or -1 with errno. */
static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t k = write(fd, data, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			return -1;
		}
		data += k;
		len -= (size_t)k;
	}
	return 0;
}

/* Make the rename itself durable.  Best effort: the file is whole and in
 * place by now, and some file systems do not sync directories. */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : NULL;
	int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int mr_file_write(const char *path, const char *data, size_t len, mr_err *err)
{
	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
			return mr_err_set(err, mr_err_errno(errno), "standard output: %s",
			                  strerror(errno));
		return 0;
	}
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return mr_err_nomem(err);
	snprintf(tmp, n, "%s.tmpXXXXXX", path);
	mode_t mode = mr_file_mode_for(path);
	int rc = 0, fd = mkstemp(tmp), e;
	if (fd < 0) {
		e = errno;
		rc = mr_err_set(err, mr_err_errno(e), "cannot write %s: %s", path, strerror(e));
		goto done;
	}
	/* every step checked: a short write, a failed fsync or close (where a
	 * full disk may show first) leaves the old file as it was */
	if (fchmod(fd, mode) || write_all(fd, data, len) || fsync(fd)) {
		e = errno;
		close(fd);
		goto failed;
	}
	if (close(fd) || rename(tmp, path)) {
		e = errno;
		goto failed;
	}
	sync_dir(path);
	goto done;
failed:
	unlink(tmp);
	rc = mr_err_set(err, mr_err_errno(e), "cannot write %s: %s", path, strerror(e));
done:
	free(tmp);
	return rc;
}

/* file.c — whole-file read and atomic write, with errors that name the file. */
#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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
	int bad = ferror(f);
	if (!is_stdin)
		fclose(f);
	if (bad) {
		free(data);
		return mr_err_set(err, MR_EIO, "%s: read error", path);
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

int mr_file_write(const char *path, const char *data, size_t len, mr_err *err)
{
	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
			return mr_err_set(err, MR_EIO, "standard output: %s", strerror(errno));
		return 0;
	}
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return mr_err_set(err, MR_ENOMEM, "out of memory");
	snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
	mode_t mode = mr_file_mode_for(path);
	FILE *f = fopen(tmp, "wb");
	int rc = 0;
	if (!f) {
		rc = mr_err_set(err, MR_EIO, "%s: %s", path, strerror(errno));
		goto done;
	}
	fchmod(fileno(f), mode);      /* a file written over keeps its mode */
	if (fwrite(data, 1, len, f) != len || fflush(f) || fsync(fileno(f))) {
		rc = mr_err_set(err, MR_EIO, "%s: %s", path, strerror(errno));
		fclose(f);
		remove(tmp);
		goto done;
	}
	if (fclose(f) || rename(tmp, path)) {
		rc = mr_err_set(err, MR_EIO, "%s: %s", path, strerror(errno));
		remove(tmp);
	}
done:
	free(tmp);
	return rc;
}

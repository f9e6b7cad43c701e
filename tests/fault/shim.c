/* shim.c — fault injection for merit's fault tests, loaded with LD_PRELOAD
 * (built as $(B)/tests/faultshim.so).  SQLite tests itself this way: the
 * Nth allocation fails, the disk fills up, the process dies at a write.
 * Configured by environment variables, read once when the library loads:
 *
 *   MERIT_FAULT_MALLOC=N        the Nth counted malloc/calloc/realloc (and
 *                               strdup/strndup) returns NULL with ENOMEM;
 *                               the ones after it succeed again (SQLite's
 *                               "one failure"), or all fail with
 *                               MERIT_FAULT_MALLOC_PERSIST=1.
 *   MERIT_FAULT_MALLOC_SCOPE    which callers are counted: a comma list of
 *                               "merit" (the program itself) and names of
 *                               shared libraries ("libsqlite3" matches
 *                               /lib/.../libsqlite3.so.0); default
 *                               "merit,libsqlite3".  An allocation is
 *                               counted when the code calling malloc lies
 *                               in one of them — merit's own allocations
 *                               (jansson's go through merit's allocator)
 *                               and SQLite's, whose failures merit must
 *                               handle.  The others' (glibc's stdio and
 *                               locale, fontconfig, cairo, pango) are left
 *                               alone: they abort or crash on NULL in code
 *                               merit cannot change (libxlsxwriter 1.1.4
 *                               crashes in lxw_worksheet_free called by
 *                               lxw_worksheet_new, and in
 *                               workbook_validate_sheet_name), and counting
 *                               them would make a sweep tens of thousands
 *                               of runs long.  libyaml's are swept on
 *                               their own (MERIT_FAULT_MALLOC_SCOPE=libyaml-0).
 *   MERIT_FAULT_COUNT_FILE=F    at exit, write "allocs N\nwrites N\n" to F:
 *                               the counted allocations and the counted
 *                               database writes — how many points a sweep
 *                               has.
 *   MERIT_FAULT_KILL_PWRITE=N   SIGKILL the process at the Nth write, pwrite
 *                               or pwrite64 to a file whose name ends in
 *                               .db, -wal or -journal, before it writes.
 *   MERIT_FAULT_MAX_PAGES=N     every SQLite connection opened runs
 *                               "PRAGMA max_page_count = N" (a full disk,
 *                               with no knob in merit itself).
 *   MERIT_FAULT_ENOSPC_WRITE=N  the Nth write/pwrite/fwrite to a regular
 *                               file that is not a database file fails with
 *                               ENOSPC (a full disk under a report).
 *   MERIT_FAULT_BACKTRACE=1     print where the failed allocation was asked
 *                               for, on stderr (to find a bug's place).
 *   MERIT_FAULT_ARM_FILE=F      count nothing until the process gets
 *                               SIGUSR2, which creates F to say so: a
 *                               server is killed at the Nth write of one
 *                               request, not of its start or a login.
 *
 * Under ASan the shim must come before libasan (LD_PRELOAD and
 * ASAN_OPTIONS=verify_asan_link_order=0): its malloc then calls ASan's,
 * found with dlsym(RTLD_NEXT).  dlsym itself may call calloc before that
 * is known; those calls get memory from a static buffer, never freed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3ext.h>

/* no SQLITE_EXTENSION_INIT1: the entry point calls through pApi only */

typedef void *(*malloc_fn)(size_t);
typedef void *(*calloc_fn)(size_t, size_t);
typedef void *(*realloc_fn)(void *, size_t);
typedef void (*free_fn)(void *);
typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef size_t (*fwrite_fn)(const void *, size_t, size_t, FILE *);

static malloc_fn real_malloc;
static calloc_fn real_calloc;
static realloc_fn real_realloc;
static free_fn real_free;
static write_fn real_write;
static pwrite_fn real_pwrite, real_pwrite64;
static fwrite_fn real_fwrite;

/* ---- configuration ---- */

static long fail_at, kill_at, enospc_at, max_pages;
static int persist, show_where;
static volatile sig_atomic_t ready;
static char arm_file[512];
static char count_file[512];
static atomic_long n_alloc, n_dbwrite, n_filewrite;
static atomic_int failed;

/* the address ranges of the code whose allocations count */
#define MAX_RANGES 32
static struct range { uintptr_t lo, hi; } ranges[MAX_RANGES];
static int n_ranges;
static char scope[512] = "merit,libsqlite3";

/* ---- the bootstrap buffer: calloc while dlsym looks up calloc ---- */

static _Alignas(16) char boot[8192];
static size_t boot_used;

static int in_boot(const void *p)
{
	return (const char *)p >= boot && (const char *)p < boot + sizeof boot;
}

static void *boot_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (boot_used + n > sizeof boot)
		return NULL;
	void *p = boot + boot_used;
	boot_used += n;
	return p;      /* static storage: already zero */
}

static void resolve(void)
{
	static int resolving;
	if (real_malloc || resolving)
		return;
	resolving = 1;
	real_calloc = (calloc_fn)dlsym(RTLD_NEXT, "calloc");
	real_malloc = (malloc_fn)dlsym(RTLD_NEXT, "malloc");
	real_realloc = (realloc_fn)dlsym(RTLD_NEXT, "realloc");
	real_free = (free_fn)dlsym(RTLD_NEXT, "free");
	resolving = 0;
}

/* ---- which allocations count ---- */

static int scope_has(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char tmp[sizeof scope];
	memcpy(tmp, scope, sizeof tmp);
	for (char *save = NULL, *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "merit") == 0 && *path == 0)
			return 1;              /* the program itself has no name here */
		if (*t && strncmp(base, t, strlen(t)) == 0 && base[strlen(t)] == '.')
			return 1;
	}
	return 0;
}

static int add_object(struct dl_phdr_info *info, size_t size, void *payload)
{
	(void)size;
	(void)payload;
	if (!scope_has(info->dlpi_name))
		return 0;
	for (int i = 0; i < info->dlpi_phnum && n_ranges < MAX_RANGES; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		ranges[n_ranges].lo = info->dlpi_addr + ph->p_vaddr;
		ranges[n_ranges].hi = ranges[n_ranges].lo + ph->p_memsz;
		n_ranges++;
	}
	return 0;
}

static int counted(const void *caller)
{
	uintptr_t a = (uintptr_t)caller;
	for (int i = 0; i < n_ranges; i++)
		if (a >= ranges[i].lo && a < ranges[i].hi)
			return 1;
	return 0;
}

/* 1 when this allocation is to fail */
static int should_fail(const void *caller)
{
	if (!ready || !counted(caller))
		return 0;
	long n = atomic_fetch_add(&n_alloc, 1) + 1;
	if (!fail_at)
		return 0;
	if (n == fail_at || (persist && n > fail_at)) {
		atomic_store(&failed, 1);
		if (show_where && n == fail_at) {
			void *frames[32];
			backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
		}
		return 1;
	}
	return 0;
}

/* ---- allocation ---- */

static void *do_malloc(size_t n, const void *caller)
{
	resolve();
	if (!real_malloc)
		return boot_alloc(n);
	if (should_fail(caller)) {
		errno = ENOMEM;
		return NULL;
	}
	return real_malloc(n);
}

void *malloc(size_t n)
{
	return do_malloc(n, __builtin_return_address(0));
}

void *calloc(size_t k, size_t n)
{
	resolve();
	if (!real_calloc)
		return (k && n > SIZE_MAX / k) ? NULL : boot_alloc(k * n);
	if (should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return real_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
	resolve();
	if (in_boot(p)) {        /* never expected; copy out of the buffer */
		void *q = real_malloc ? real_malloc(n) : NULL;
		if (q)
			memcpy(q, p, n < sizeof boot ? n : sizeof boot);
		return q;
	}
	if (!real_realloc)
		return NULL;
	if (should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return real_realloc(p, n);
}

void free(void *p)
{
	if (!p || in_boot(p))
		return;
	resolve();
	if (real_free)
		real_free(p);
}

/* merit's strdup calls are counted as merit's (glibc's strdup calls malloc
 * from inside libc, where it would not be). */
char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = do_malloc(n, __builtin_return_address(0));
	if (p)
		memcpy(p, s, n);
	return p;
}

char *strndup(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *p = do_malloc(n + 1, __builtin_return_address(0));
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

/* ---- writes ---- */

/* 1 for a database file (.db, -wal, -journal), 0 for another regular file,
 * -1 for anything else (a pipe, a terminal, a socket). */
static int fd_kind(int fd)
{
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return -1;
	char link[64], path[4096];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n <= 0)
		return 0;
	path[n] = 0;
	static const char *const ends[] = { ".db", "-wal", "-journal" };
	for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
		size_t e = strlen(ends[i]);
		if ((size_t)n >= e && strcmp(path + n - e, ends[i]) == 0)
			return 1;
	}
	return 0;
}

/* 0 to go on with the write, -1 to fail it with ENOSPC; may not return */
static int before_write(int fd)
{
	if (!ready || (!kill_at && !enospc_at && !count_file[0]))
		return 0;
	int kind = fd_kind(fd);
	if (kind == 1) {
		long n = atomic_fetch_add(&n_dbwrite, 1) + 1;
		if (kill_at && n == kill_at)
			raise(SIGKILL);
	} else if (kind == 0) {
		long n = atomic_fetch_add(&n_filewrite, 1) + 1;
		if (enospc_at && n == enospc_at) {
			errno = ENOSPC;
			return -1;
		}
	}
	return 0;
}

#define NEXT(var, name) \
	do { if (!var) *(void **)&var = dlsym(RTLD_NEXT, name); } while (0)

ssize_t write(int fd, const void *buf, size_t n)
{
	NEXT(real_write, "write");
	if (before_write(fd))
		return -1;
	return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	NEXT(real_pwrite, "pwrite");
	if (before_write(fd))
		return -1;
	return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	NEXT(real_pwrite64, "pwrite64");
	if (before_write(fd))
		return -1;
	return real_pwrite64(fd, buf, n, off);
}

/* stdio writes through glibc's own write, which an LD_PRELOAD cannot
 * reach: fwrite fails here, setting the stream's error as a failed write
 * would. */
size_t fwrite(const void *buf, size_t size, size_t k, FILE *f)
{
	NEXT(real_fwrite, "fwrite");
	if (size && k && before_write(fileno(f))) {
		f->_flags |= _IO_ERR_SEEN;
		return 0;
	}
	return real_fwrite(buf, size, k, f);
}

/* ---- a full disk: max_page_count on every connection ---- */

static int limit_pages(sqlite3 *db, char **msg, const sqlite3_api_routines *api)
{
	(void)msg;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %ld", max_pages);
	api->exec(db, sql, NULL, NULL, NULL);
	return SQLITE_OK;
}

/* ---- set-up and the count at exit ---- */

static void on_arm(int sig)
{
	(void)sig;
	atomic_store(&n_alloc, 0);
	atomic_store(&n_dbwrite, 0);
	atomic_store(&n_filewrite, 0);
	ready = 1;
	int fd = open(arm_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
}

static long env_long(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? strtol(v, NULL, 10) : 0;
}

static void report_counts(void)
{
	if (!count_file[0])
		return;
	int fd = open(count_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	char line[128];
	int n = snprintf(line, sizeof line, "allocs %ld\nwrites %ld\nfailed %d\n",
	                 (long)atomic_load(&n_alloc), (long)atomic_load(&n_dbwrite),
	                 atomic_load(&failed));
	NEXT(real_write, "write");
	if (n > 0)
		(void)!real_write(fd, line, (size_t)n);
	close(fd);
}

__attribute__((constructor)) static void shim_init(void)
{
	resolve();
	fail_at = env_long("MERIT_FAULT_MALLOC");
	persist = env_long("MERIT_FAULT_MALLOC_PERSIST") != 0;
	show_where = env_long("MERIT_FAULT_BACKTRACE") != 0;
	if (show_where) {           /* load libgcc_s now, not while failing */
		void *frame[1];
		backtrace(frame, 1);
	}
	kill_at = env_long("MERIT_FAULT_KILL_PWRITE");
	enospc_at = env_long("MERIT_FAULT_ENOSPC_WRITE");
	max_pages = env_long("MERIT_FAULT_MAX_PAGES");
	const char *s = getenv("MERIT_FAULT_MALLOC_SCOPE");
	if (s && *s)
		snprintf(scope, sizeof scope, "%s", s);
	const char *cf = getenv("MERIT_FAULT_COUNT_FILE");
	if (cf && *cf)
		snprintf(count_file, sizeof count_file, "%s", cf);
	dl_iterate_phdr(add_object, NULL);
	if (max_pages > 0) {
		int (*autoext)(void (*)(void)) =
		    (int (*)(void (*)(void)))dlsym(RTLD_DEFAULT, "sqlite3_auto_extension");
		if (autoext)
			autoext((void (*)(void))limit_pages);
	}
	if (count_file[0])
		atexit(report_counts);
	const char *af = getenv("MERIT_FAULT_ARM_FILE");
	if (af && *af) {
		snprintf(arm_file, sizeof arm_file, "%s", af);
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_arm;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGUSR2, &sa, NULL);
	} else {
		ready = 1;
	}
}

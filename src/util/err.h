/* err.h — error codes and the error record every fallible function fills.
 *
 * Functions return 0 on success or a negative MR_E* code.  The message,
 * with its context (file:line:col, field, what we were doing), goes into
 * an mr_err the caller owns.  The first error wins: mr_err_set does
 * nothing when an error is already recorded.  Validators that report
 * every problem use mr_err_add, which appends one more line.
 *
 * What to do about an error is said apart from what went wrong: each door
 * has its own words for it.  mr_err_hint attaches to the error just
 * recorded a situation (MR_HINT_*) and the CLI's hint, which names
 * commands and flags (`merit batch rm 25`, --replace); the CLI prints the
 * hint after the message, the web never shows it and words the situation
 * for browser users instead (web/router.c).
 */
#ifndef MR_ERR_H
#define MR_ERR_H

#include <stddef.h>

enum {
	MR_OK = 0,
	MR_ENOTFOUND = -1,  /* a named thing does not exist */
	MR_EEXISTS = -2,    /* it exists already */
	MR_EINVALID = -3,   /* bad input: file, row, flag, value */
	MR_EIO = -4,        /* reading or writing a file failed */
	MR_ENOMEM = -5,     /* out of memory */
	MR_EFROZEN = -6,    /* the change would alter a closed cycle */
	MR_EDB = -7,        /* the database failed */
	MR_EDENIED = -8,    /* not allowed */
	MR_ECONFIRM = -9,   /* allowed only when the user confirms (--force, --yes) */
	MR_EFULL = -10,     /* no room to write: the disk or the quota is full
	                     * (ENOSPC, EDQUOT, SQLITE_FULL); nothing was changed */
	MR_EBUSY = -11,     /* another writer held the database past the wait */
	MR_ETIME = -12,     /* the work ran past its time limit (mr_store_set_deadline) */
};

/* Situations whose remedy each door words its own way. */
enum mr_hint {
	MR_HINT_NONE = 0,
	MR_HINT_CYCLE_CLOSED,   /* reopen the cycle, with a reason */
	MR_HINT_CYCLE_MISSING,  /* open the cycle first */
	MR_HINT_CYCLE_REVIEW,   /* move the cycle to review first */
	MR_HINT_FILE_IMPORTED,  /* the same file is in a batch: replace it or remove that batch */
	MR_HINT_ROWS_IMPORTED,  /* some rows are in a batch: replace, skip them, or remove it */
	MR_HINT_USER_EXISTS,    /* change the user's password or role instead */
	MR_HINT_USER_MISSING,   /* add the user first */
	MR_HINT_STAFF_MISSING,  /* add the staff member first */
	MR_HINT_INDICATOR,      /* the plan lists the indicators */
	MR_HINT_DATE_ORDER,     /* say whether dates are day first or month first */
	MR_HINT_ENCODING,       /* say the file's text encoding */
	MR_HINT_MAP,            /* name the column that holds a field */
	MR_HINT_DATE,           /* say the day a file without dates stands for */
	MR_HINT_PRESET,         /* say which export layout (preset) the file is */
	MR_HINT_SKIP_BAD,       /* leave the bad rows out */
	MR_HINT_STRICT,         /* map or let be a column strict mode refuses */
	MR_HINT_IMPORT_RUNNING, /* another import is being written in parts: after it */
};

typedef struct mr_err {
	int code;       /* first code recorded, 0 when none */
	char *msg;      /* one or more lines, no trailing newline; owned */
	size_t lines;   /* how many problems recorded */
	int hint;       /* enum mr_hint: the situation, MR_HINT_NONE when none */
	char *cli_hint; /* what to do, in the CLI's words, or NULL; owned */
	int open;       /* the last mr_err_set recorded: a hint may attach */
	/* Per line of msg, the field the problem belongs to, as a path into
	 * the input ("positions[1].kpis[0].weight"), or NULL; NULL itself
	 * until a line has one (mr_err_add_field), then `lines` entries. */
	char **fields;
} mr_err;

#define MR_ERR_INIT { 0, NULL, 0, 0, NULL, 0, NULL }

#if defined(__GNUC__)
#define MR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MR_PRINTF(a, b)
#endif

/* Out of memory, said one way everywhere.  Returns MR_ENOMEM. */
int mr_err_nomem(mr_err *e);
/* Record an error unless one is recorded already.  Returns code. */
int mr_err_set(mr_err *e, int code, const char *fmt, ...) MR_PRINTF(3, 4);
/* Attach to the error the last mr_err_set recorded (nothing when it
 * recorded none: an earlier error won) the situation `hint` and the CLI's
 * words for what to do, e.g. "reopen it with `merit cycle reopen …`". */
void mr_err_hint(mr_err *e, int hint, const char *fmt, ...) MR_PRINTF(3, 4);
/* The same, the hint of `from` (an error this one was made from). */
void mr_err_hint_from(mr_err *e, const mr_err *from);
/* Append one more problem line (keeps the first code).  Returns code. */
int mr_err_add(mr_err *e, int code, const char *fmt, ...) MR_PRINTF(3, 4);
/* The same, saying which field of the input the problem is in: a path
 * such as "positions[1].kpis[0].weight" (NULL: none).  A form shows the
 * line at that field. */
int mr_err_add_field(mr_err *e, const char *field, int code, const char *fmt, ...)
	MR_PRINTF(4, 5);
/* The field of line `i` (0-based) of e->msg, or NULL. */
const char *mr_err_field(const mr_err *e, size_t i);
/* Put context in front of the recorded message: "ctx: msg". */
void mr_err_prefix(mr_err *e, const char *fmt, ...) MR_PRINTF(2, 3);
void mr_err_clear(mr_err *e);
#define mr_err_release mr_err_clear
/* The code for a failed write's errno: MR_EFULL for ENOSPC and EDQUOT,
 * else MR_EIO. */
int mr_err_errno(int errnum);
/* A short generic word for a code ("not found", "invalid input", …). */
const char *mr_err_str(int code);

#endif

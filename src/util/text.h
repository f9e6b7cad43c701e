/* text.h — names and logins as people type them, see them and paste them:
 * what a login may be, what a name may hold (any language, NFC, no
 * control characters), how a stored name is printed to a terminal, and
 * how a text cell is written to a CSV a spreadsheet will open.
 *
 * Logins are ASCII: letters, digits, '.', '-' and '_', 1 to
 * MR_LOGIN_MAX bytes.  Names are UTF-8 in Unicode's composed form (NFC,
 * by utf8proc), so the same name typed two ways is one name.  Refused in
 * names, and escaped when printed: the C0 controls (tab and newline too),
 * DEL, the C1 controls, the line and paragraph separators U+2028/2029
 * and the bidi embeddings, overrides and isolates U+202A–202E and
 * U+2066–2069 (they reorder what a terminal or page shows after them).
 */
#ifndef MR_TEXT_H
#define MR_TEXT_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

#define MR_LOGIN_MAX 64
/* What a login may be, as messages say it. */
#define MR_LOGIN_RULE "1 to 64 ASCII letters, digits, '.', '-' or '_'"

/* 1 when login is a login by MR_LOGIN_RULE. */
int mr_text_login_ok(const char *login);
/* 0, or MR_EINVALID with "<field> \"<login>\": use <rule>" (the login
 * escaped as for a terminal). */
int mr_text_login_check(const char *login, const char *field, mr_err *err);

/* Is code point c one a name may not hold (see above)? */
int mr_text_control(long c);

/* A name checked and composed: *out is the NFC form of name (free() it).
 * MR_EINVALID naming `field` when name is empty, not UTF-8, longer than
 * max bytes (0: no limit) or holds a control character; MR_ENOMEM. */
int mr_text_name(char **out, const char *name, const char *field, size_t max, mr_err *err);

/* A name made fit to keep, never refused (a file name as the browser or
 * the file system gave it): bytes that are not UTF-8 become U+FFFD, each
 * control character '?', then NFC.  free() it; NULL when out of memory. */
char *mr_text_clean(const char *s);

/* s as a terminal may show it: each control character as \xHH (C0, DEL)
 * or \uHHHH (C1, separators, bidi), each byte that is not UTF-8 as \xHH;
 * the rest as it is.  Appended to b. */
void mr_text_term(mr_buf *b, const char *s);
/* The same as a new string (free() it); NULL when out of memory. */
char *mr_text_term_dup(const char *s);

/* One text cell of a CSV file appended to b: quoted when it holds a comma,
 * a semicolon (the list separator of Excel in many locales), quote, CR or LF; a cell that starts with '=', '+', '-', '@', tab or CR
 * (a formula to a spreadsheet) gets a "'" in front (OWASP's advice).
 * Numbers are not text cells: write them as they are. */
void mr_text_csv(mr_buf *b, const char *s);

#endif

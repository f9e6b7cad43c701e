/* banned.h — libc calls we never use; included into every file by the
 * Makefile.  Each has a bounded or checked form (snprintf, mr_buf,
 * mr_num_parse / strtol with checks). */
#ifndef MR_BANNED_H
#define MR_BANNED_H

/* The system headers first, so their own declarations are untouched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANNED(f) sorry_##f##_is_banned_in_merit

#undef strcpy
#define strcpy(a, b) BANNED(strcpy)
#undef strcat
#define strcat(a, b) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(a) BANNED(gets)
#undef atoi
#define atoi(a) BANNED(atoi)
#undef atol
#define atol(a) BANNED(atol)
#undef strtok
#define strtok(a, b) BANNED(strtok)

#endif

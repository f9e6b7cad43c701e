/* num.h — numbers from text and back, without surprises.
 *
 * Money is parsed from decimal text straight to integer cents (never via
 * floating point).  Plain numbers are parsed strictly: the whole text must
 * be a number.  Doubles are printed in the shortest form that reads back
 * to the same value, so exports round-trip byte for byte.
 */
#ifndef MR_NUM_H
#define MR_NUM_H

#include <stdint.h>

/* "1234.5" -> 123450; "-3" -> -300; at most 2 decimals; optional leading
 * sign; no thousands separators.  0 or MR_EINVALID. */
int mr_money_parse(int64_t *out_cents, const char *text);
/* 123450 -> "1234.50".  out must hold 32 bytes. */
void mr_money_format(char *out, int64_t cents);

/* Fixed-point with `scale` decimals (1..9): "1.25", 4 -> 12500. */
int mr_fixed_parse(int64_t *out, const char *text, int scale);
/* 12500, 4 -> "1.25" (trailing zeros dropped, at least one decimal kept
 * when keep_point is set: "1.0").  out must hold 40 bytes. */
void mr_fixed_format(char *out, int64_t v, int scale, int keep_point);

/* Strict decimal number: optional sign, digits, optional fraction and
 * exponent; no hex, inf or nan; leading/trailing space not allowed. */
int mr_num_parse(double *out, const char *text);
/* Shortest "%g"-style text that parses back to v exactly.  32 bytes. */
void mr_num_format(char *out, double v);

/* The largest magnitude merit keeps for a measured value or denominator:
 * far beyond any real count or amount, small enough that sums of
 * millions of them stay finite and exact to the cent. */
#define MR_NUM_MAX 1e15

/* Round to 2 decimals, half away from zero, tolerant of binary noise:
 * 72.125 (stored as 72.12499999…) rounds to 72.13. */
double mr_round2(double v);

#endif

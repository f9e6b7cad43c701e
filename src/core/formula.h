/* formula.h — the plan's optional scoring formula, evaluated safely.
 *
 * A small arithmetic language: numbers, identifiers, + - * /, unary minus,
 * parentheses, and the functions min(a, b, …) and max(a, b, …).  No I/O,
 * no loops: evaluation time is bounded by the size of the parsed tree,
 * which is itself bounded (MR_FORMULA_MAX_NODES, depth MR_FORMULA_MAX_DEPTH).
 */
#ifndef MR_FORMULA_H
#define MR_FORMULA_H

#include <stddef.h>

#include "util/err.h"

#define MR_FORMULA_MAX_NODES 1024
#define MR_FORMULA_MAX_DEPTH 64

typedef struct mr_formula mr_formula;

/* Parse `text`.  Identifiers must be one of kpi, manager, self, peer or
 * one of `names` (the plan's indicator keys).  On error, err says what and
 * at which 1-based column of the text: "formula column 7: unknown name
 * \"kpj\"".  *out belongs to the caller (mr_formula_free). */
int mr_formula_parse(mr_formula **out, const char *text,
                     const char *const *names, size_t nnames, mr_err *err);

/* Looks up an identifier's value.  Return 0 with *out set, or
 * MR_ENOTFOUND when it has no value (the formula then counts it 0). */
typedef int (*mr_formula_lookup)(double *out, const char *name, void *payload);

/* Evaluate.  Division by zero is an error (MR_EINVALID, "formula: division
 * by zero").  Identifiers whose lookup says MR_ENOTFOUND count 0. */
int mr_formula_eval(double *out, const mr_formula *f, mr_formula_lookup lookup,
                    void *payload, mr_err *err);

/* Each distinct identifier the formula uses, in order of first use;
 * borrowed from f. */
size_t mr_formula_names(const mr_formula *f, const char *const **out);

void mr_formula_free(mr_formula *f);    /* NULL is a no-op */

#endif

/* plan_write.h — a plan as the YAML file of SPEC section 3.
 *
 * What `merit plan export` writes and what `merit init` leaves for people
 * to edit: a fixed, readable layout with a short comment header.  Writing
 * a plan that mr_plan_parse read gives the same bytes as the file it was
 * written from, when that file came from here (export, import, export is
 * byte-identical).
 */
#ifndef MR_PLAN_WRITE_H
#define MR_PLAN_WRITE_H

#include "core/plan.h"
#include "util/buf.h"

/* Append the YAML of p to out (check mr_buf_oom(out) once at the end). */
void mr_plan_write(mr_buf *out, const mr_plan *p);

#endif

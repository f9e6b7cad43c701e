/* plan_yaml.h — the plan file (SPEC section 3) from YAML text.
 *
 * `merit plan import`, `merit score --plan` and the web upload all read a
 * plan through here.  The text is checked completely: YAML syntax, unknown
 * or misspelt keys, duplicate keys, wrong types, unknown enum values, then
 * everything mr_plan_validate checks.  Every problem is one line in err,
 * "FILE:LINE:COL: message", so a person sees them all at once, with the
 * path of the field it is in ("positions[1].kpis[0].weight",
 * mr_err_field) so that a form can show it there.
 */
#ifndef MR_PLAN_YAML_H
#define MR_PLAN_YAML_H

#include <stddef.h>

#include "core/plan.h"
#include "util/err.h"

/* Parse `len` bytes of `text` (need not be NUL-terminated) into a valid
 * plan.  `file` names the text in messages (NULL: "plan").  On success
 * *out belongs to the caller (mr_plan_free); on any problem *out is NULL
 * and the result is MR_EINVALID (or MR_ENOMEM). */
int mr_plan_parse(mr_plan **out, const char *text, size_t len, const char *file,
                  mr_err *err);

#endif

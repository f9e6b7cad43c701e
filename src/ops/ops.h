/* ops.h — the changes both doors make: moving a cycle on, rating a
 * person, recording a value by hand.  The CLI and the web server parse
 * their input their own way and then call these, inside one transaction
 * they open (mr_store_begin); on error they roll back.
 */
#ifndef MR_OPS_H
#define MR_OPS_H

#include "core/plan.h"
#include "store/store.h"

/* Move cycle `p` on: verb open, review, close or reopen (reason required
 * for reopen).  Closing scores the period under `plan` and keeps the
 * result as the snapshot.  *new_state (static text) is the cycle's state
 * after.  MR_EFROZEN, MR_EEXISTS, MR_ENOTFOUND, MR_EINVALID for a move the
 * cycle's state does not allow. */
int mr_op_cycle(mr_store *s, const mr_plan *plan, const char *verb, const mr_period *p,
                const char *reason, const char **new_state, mr_err *err);

/* One rater's rating of `login` for period p.  kind is self, manager or
 * peer; rater is the peer's login, or for manager (when not NULL) the
 * login the caller found as the manager: MR_EDENIED when the record
 * says otherwise now (self is always the person).  Criteria keys must be the
 * plan's, each once; stars 1..rating_scale in halves. */
typedef struct mr_rating_in {
	const char *login, *kind, *rater, *comment;
	const char *const *crit;
	const double *stars;
	size_t n;
} mr_rating_in;
/* Check the criteria and stars against the plan (no store needed). */
int mr_op_rating_check(const mr_plan *plan, const mr_rating_in *r, mr_err *err);
/* Check, then write (MR_ENOTFOUND for an unknown person or cycle). */
int mr_op_rate(mr_store *s, const mr_plan *plan, const mr_period *p, const mr_rating_in *r,
               mr_err *err);

/* One measurement typed by hand, as a batch of its own (source manual):
 * login NULL for the team; has_den for a ratio indicator's denominator.
 * `text` describes it in the batch list.  *out_batch may be NULL. */
int mr_op_record(mr_store *s, const mr_plan *plan, const char *indicator, const char *login,
                 int day, double value, int has_den, double den, const char *text,
                 int64_t *out_batch, mr_err *err);

/* A password's Argon2id hash (libsodium's string form) into out, which
 * holds MR_PW_HASH_SIZE bytes: MR_EINVALID when shorter than 8 bytes. */
#define MR_PW_HASH_SIZE 128
int mr_op_password_hash(char *out, const char *pw, mr_err *err);

/* Make `yaml` (parsed and checked as `plan`) the plan, unless a person
 * holds a position it lacks. */
int mr_op_plan_put(mr_store *s, const mr_plan *plan, const char *yaml, mr_err *err);

#endif

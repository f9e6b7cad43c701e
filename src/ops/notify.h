/* notify.h — notices: what merit tells whom, and their delivery.
 *
 * A notice is queued in the outbox (store_notify.c) inside the
 * transaction of its event — a cycle opened, moved to review or closed
 * (mr_notify_cycle, called by mr_op_cycle) — or by the periodic pass
 * (mr_notify_pass): ratings due 3 and 1 days before the review deadline,
 * a data source stale, a team indicator behind its pro-rated target,
 * evidence waiting evidence_days for approval.  Evidence handed in is
 * told to its approver in the submission's transaction
 * (mr_notify_evidence, called by mr_op_evidence_submit).
 * Each is written once per channel, in the channel's language (its own,
 * else the plan's locale).  A group channel (WeCom, DingTalk, Feishu) and
 * a team e-mail address get the team's notices; a person's address (a
 * channel with a login) the cycle's and the ratings that person owes.
 * No notice carries anyone's score; a group's carries no number of the
 * team either, only a link into the web app (setting base_url).
 *
 * Delivery (mr_notify_deliver) sends one notice at a time and marks it
 * sent in its own transaction right after: a sender killed between the
 * two sends that one notice again next time, never another.  One sender
 * at a time per database (a lock on the "-notify" file beside it).
 */
#ifndef MR_NOTIFY_H
#define MR_NOTIFY_H

#include <jansson.h>
#include <signal.h>

#include "core/plan.h"
#include "store/store.h"

/* The settings `merit notify set` knows, with their defaults (NULL: none). */
typedef struct mr_notify_setting_def {
	const char *key, *def;
} mr_notify_setting_def;
extern const mr_notify_setting_def mr_notify_settings[];
/* The definition of `key`, or NULL when there is no such setting. */
const mr_notify_setting_def *mr_notify_setting_find(const char *key);
/* A whole-number setting's value (its default when not set). */
int mr_notify_setting_num(mr_store *s, const char *key, long *out, mr_err *err);
/* Check a value for `key` (MR_EINVALID naming the setting). */
int mr_notify_setting_check(const char *key, const char *value, mr_err *err);

/* The channels (a secret only as "secret": true) and the settings (each
 * set one, or its default), as `merit notify list --json` and GET
 * /api/notify show them: {"channels": [...], "settings": {...}}. */
int mr_notify_describe(mr_store *s, json_t **out, mr_err *err);
/* Set several settings, each checked first (value NULL: unset); inside
 * the caller's transaction.  keys and values are n each. */
int mr_notify_settings_put(mr_store *s, const char *const *keys, const char *const *values,
                           size_t n, mr_err *err);

/* Check a channel before it is added: kind, target (an address; an
 * http(s) URL for a bot), secret only for DingTalk and Feishu, login only
 * for e-mail, lang en or zh-CN. */
int mr_notify_channel_check(const mr_notify_channel *c, mr_err *err);

/* Queue the notices of cycle `period` having moved to `state` (open,
 * review, closed).  Inside the caller's transaction. */
int mr_notify_cycle(mr_store *s, const mr_plan *plan, const mr_period *period,
                    const char *state, mr_err *err);
/* Queue the notice that evidence `id`, just handed in, waits for its
 * approver (the submitter's manager): on the approver's own address, or,
 * when they have none, on the team's channels (a group's without the
 * value).  Inside the caller's transaction. */
int mr_notify_evidence(mr_store *s, const mr_plan *plan, int64_t id, mr_err *err);
/* Queue a test notice on channel `id` (another each time). */
int mr_notify_test(mr_store *s, const mr_plan *plan, int64_t id, mr_err *err);
/* The periodic pass for day `today`: ratings due, stale sources,
 * indicators at risk; each queued once (by its key).  *queued counts the
 * notices queued now.  Inside the caller's transaction. */
int mr_notify_pass(mr_store *s, const mr_plan *plan, int today, int *queued, mr_err *err);

/* The local date today, as a day number. */
int mr_notify_today(void);

/* Deliver due notices.  once: try each notice due now once and return;
 * else go on, waiting out the backoff, until none is pending (or *stop).
 * Counts into *sent, *failed (given up) and *retry (to be tried again).
 * MR_EBUSY when another sender holds the database's notices. */
typedef struct mr_notify_tally { int sent, failed, retry; } mr_notify_tally;
int mr_notify_deliver(mr_store *s, const char *db, int once, volatile sig_atomic_t *stop,
                      mr_notify_tally *out, mr_err *err);

/* What `merit serve` does every so often: the periodic pass (in a
 * transaction, under the stored plan), then the notices due now.
 * MR_EBUSY when another sender holds the database's notices. */
int mr_notify_tick(mr_store *s, const char *db, volatile sig_atomic_t *stop,
                   mr_notify_tally *out, mr_err *err);

/* One send of subject and body over channel c with the settings read
 * from s (no transaction held): 0, or <0 with the reason in err. */
int mr_notify_send(mr_store *s, const mr_notify_channel *c, const char *subject,
                   const char *body, mr_err *err);

#endif

/* ops.h — the changes both doors make: moving a cycle on, rating a
 * person, recording a value by hand.  The CLI and the web server parse
 * their input their own way and then call these, inside one transaction
 * they open (mr_store_begin); on error they roll back.
 */
#ifndef MR_OPS_H
#define MR_OPS_H

#include <jansson.h>

#include "core/plan.h"
#include "store/store.h"

/* What stands between a cycle and its close (SPEC 6, "closing with eyes
 * open"): indicators with no data, people not scored and why, ratings
 * still owed.  Each item is one line a person reads; `kind` is "no_data",
 * "not_scored" or "rating_owed", `login` whom it is about (NULL: the
 * team or an indicator). */
typedef struct mr_ready_item {
	const char *kind;              /* static text */
	char *login;
	char *text;
} mr_ready_item;
typedef struct mr_readiness {
	mr_ready_item *items;
	size_t n, cap;
} mr_readiness;
void mr_readiness_release(mr_readiness *r);
int mr_op_readiness(mr_readiness *out, mr_store *s, const mr_plan *plan, const mr_period *p,
                    mr_err *err);

/* Move cycle `p` on: verb open, review, close, reopen (reason required)
 * or rm (an empty cycle: no ratings or calibrations, not closed); or
 * release its results to its members, or withhold them again (any state).
 * Opening refuses a cycle that overlaps another, and one whose length is
 * not the plan's period unless MR_OP_CONFIRM; closing refuses while the
 * readiness list is not empty unless MR_OP_FORCE (both MR_ECONFIRM), then
 * scores the period under `plan` and keeps the result as the snapshot.
 * Reopening forgets the acknowledgements.  *new_state (static text) is
 * the cycle's state after (NULL after rm).  MR_EFROZEN, MR_EEXISTS,
 * MR_ENOTFOUND, MR_EINVALID for a move the cycle's state does not allow. */
#define MR_OP_FORCE 1u
#define MR_OP_CONFIRM 2u
int mr_op_cycle(mr_store *s, const mr_plan *plan, const char *verb, const mr_period *p,
                const char *reason, unsigned flags, const char **new_state, mr_err *err);

/* One rater's rating of `login` for period p.  kind is self, manager,
 * peer or upward; rater is the peer's or the direct report's login, or for
 * manager (when not NULL) the login the caller found as the manager:
 * MR_EDENIED when the record says otherwise now (self is always the
 * person).  A peer must be nominated under peers: nominated (any staff
 * member but a reviewer under open); an upward rater must report to the
 * person; a reviewer is never rated.  Criteria keys must be those of the
 * person's position (mr_plan_criteria), each once; stars 1..rating_scale
 * in halves. */
typedef struct mr_rating_in {
	const char *login, *kind, *rater, *comment;
	const char *const *crit;
	const double *stars;
	size_t n;
} mr_rating_in;
/* Check the kind, criteria and stars against the plan's criteria for
 * `position` (no store needed). */
int mr_op_rating_check(const mr_plan *plan, const char *position, const mr_rating_in *r,
                       mr_err *err);
/* Check, then write (MR_ENOTFOUND for an unknown person or cycle). */
int mr_op_rate(mr_store *s, const mr_plan *plan, const mr_period *p, const mr_rating_in *r,
               mr_err *err);

/* Nominate the peers who may rate `login` in p (replacing the list): at
 * most MR_PEERS_MAX, staff members who are not the person or a reviewer;
 * a peer who has rated already must stay. */
int mr_op_peers(mr_store *s, const mr_plan *plan, const mr_period *p, const char *login,
                const char *const *peers, size_t n, mr_err *err);
/* Set login's grade in p by hand (an admin's call, before close), with a
 * reason; the person must be scored. */
int mr_op_calibrate(mr_store *s, const mr_plan *plan, const mr_period *p, const char *login,
                    const char *grade, const char *reason, mr_err *err);
/* `by` acknowledges login's result of the closed cycle p: as "self" (the
 * person) or "manager" (their manager on record); *role says which. */
int mr_op_acknowledge(mr_store *s, const mr_period *p, const char *login, const char *by,
                      const char *comment, const char **role, mr_err *err);

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

/* ---- evidence a member hands in (ops/evidence.c) ---- */
/* The type of an attachment by its first bytes: "image/png",
 * "image/jpeg", "image/gif", "image/webp" or "application/pdf"; NULL for
 * anything else (refused). */
const char *mr_op_evidence_type(const void *data, size_t len);
/* Hand in e (login, kind and its fields; e->indicator and e->value are
 * filled for post, topic and design) with an attachment (NULL: none;
 * the web checked its size and type), pending.  Refused: an indicator not
 * in the plan, a day inside a closed cycle, a person not on the staff
 * list, a URL handed in before or counted by an import (MR_EEXISTS,
 * naming field "url").  *out_id is the new item's. */
int mr_op_evidence_submit(mr_store *s, const mr_plan *plan, mr_evidence *e, const void *file,
                          size_t file_len, int64_t *out_id, mr_err *err);
/* Approve (approve = 1: its measurement becomes a batch of source
 * "evidence" whose name says who handed it in and who approved it, the
 * store's actor) or reject (with a reason) pending item id.  *out_batch
 * (may be NULL) is the batch of an approval. */
int mr_op_evidence_decide(mr_store *s, const mr_plan *plan, int64_t id, int approve,
                          const char *reason, int64_t *out_batch, mr_err *err);
/* ---- surveys (ops/survey.c): brand awareness, reputation ---- */
/* 100 × (ā − 1) ÷ 4 to one decimal, ā the mean of `answers` respondents'
 * MR_SURVEY_QUESTIONS answers each (1..5) summing to `sum`. */
double mr_op_survey_score(int64_t sum, int64_t answers);
/* A new survey of sv->indicator (in the plan) for sv->period (its cycle
 * open; sv->period becomes the canonical label), about sv->brand, with
 * sv->token made by the caller; sv->questions NULL: the indicator's set. */
int mr_op_survey_add(mr_store *s, const mr_plan *plan, mr_survey *sv, int64_t *out_id,
                     mr_err *err);
/* Does sv take answers (it is open, and so is its cycle)?  0, or MR_EFROZEN. */
int mr_op_survey_open(mr_store *s, const mr_survey *sv, mr_err *err);
/* One respondent's answers (1..5 each) to the survey at `token`. */
int mr_op_survey_answer(mr_store *s, const char *token, const unsigned char respondent[32],
                        const int *answers, mr_err *err);
/* Score survey id and close it: a team measurement of its indicator on
 * its cycle's last day, in a batch of source "survey" whose name gives
 * the respondents, the mean and the score.  MR_EINVALID with no answers. */
int mr_op_survey_close(mr_store *s, int64_t id, int64_t *out_batch, double *out_score,
                       mr_err *err);

/* ---- setting up (setup.c): staff and ownership rules ---- */
/* A staff member added (create) or changed: st holds the login and the
 * fields given, each set_* says which (st.reviewer: make them a reviewer).
 * web names the fields as the browser's form does ("to"), else as the
 * CLI's flags ("--to"). */
typedef struct mr_staff_change {
	mr_staff st;
	int create, web;
	int set_name, set_position, set_manager, set_from, set_to, set_bonus;
	int bonus_dropped;   /* out: an existing base bonus went (a reviewer is never paid) */
} mr_staff_change;
/* What needs no database: the login, the fields that go together. */
int mr_op_staff_check(const mr_staff_change *ch, mr_err *err);
/* Check (the position against plan, NULL: none yet), then add or change
 * the person, audited; in the caller's transaction. */
int mr_op_staff(mr_store *s, const mr_plan *plan, mr_staff_change *ch, mr_err *err);

/* The person as JSON: login, name, position (null for a reviewer),
 * reviewer, manager, from, to (dates or null), base_bonus_cents (or null);
 * NULL when out of memory. */
json_t *mr_op_staff_json(const mr_staff *p);

/* An ownership rule's kind: channel, campaign, referrer, url, author,
 * keyword, site or tracker, and a value not empty (MR_EINVALID). */
int mr_op_own_check(const char *kind, const char *value, mr_err *err);
/* Give the value of kind to login (checked; audited), or with login NULL
 * remove its rule (MR_ENOTFOUND when none). */
int mr_op_own(mr_store *s, const char *kind, const char *value, const char *login,
              mr_err *err);

/* An uptime probe to add: url, who (NULL: the owner by a `site` rule),
 * how often and how long a check may take.  web: name the fields as the
 * browser's form does ("every"), else as the CLI's flags ("--every"). */
#define MR_PROBE_EVERY_MS 60000
#define MR_PROBE_TIMEOUT_MS 10000
typedef struct mr_probe_new {
	const char *url, *who;
	int64_t every_ms, timeout_ms;
	int web;
	int64_t id;                  /* out: the probe's number */
	char *login;                 /* out: whose uptime it counts toward (to free) */
} mr_probe_new;
/* What needs no database: every and timeout in range, who not empty. */
int mr_op_probe_check(const mr_probe_new *pn, mr_err *err);
/* `uptime` in plan as a ratio (each check counts 1 of 1 or 0 of 1). */
int mr_op_probe_plan(const mr_plan *plan, int web, mr_err *err);
/* Check (the URL, the plan, the owner), then add the probe, audited. */
int mr_op_probe_add(mr_store *s, const mr_plan *plan, mr_probe_new *pn, mr_err *err);

/* The staff list from a WeCom (企业微信) member file, CSV or a spreadsheet
 * (staff_import.c): titles maps 职位 to positions ("TITLE=KEY",
 * NULL-terminated, may be NULL), position the default (NULL: none); name
 * the file's name in messages.  In the caller's transaction. */
typedef struct mr_staff_import_opts {
	const char *name;
	const char *const *titles;
	const char *position;
	int web;
} mr_staff_import_opts;
typedef struct mr_staff_import_result {
	long added, changed, unchanged, skipped;
	char *notes;                 /* who was left out, one line each; to free; NULL: none */
} mr_staff_import_result;
int mr_op_staff_import(mr_store *s, const mr_plan *plan, const char *path,
                       const mr_staff_import_opts *o, mr_staff_import_result *res, mr_err *err);

/* Save a source built by mr_source_build (ingest/source.h), audited. */
struct mr_source;
int mr_op_source_add(mr_store *s, const struct mr_source *src, mr_err *err);

#endif

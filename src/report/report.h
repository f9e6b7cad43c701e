/* report.h — the report model, and the documents made from it.
 *
 * One model, built once per report from the appraisal (mr_appraise: the
 * frozen snapshot of a closed cycle, or a fresh score) and what the store
 * adds around it: where each number came from, the ratings as given with
 * their comments, and each person's final scores over the past closed
 * cycles.  Every format (CSV, JSON, HTML, XLSX, PDF) is written from this
 * model alone, so their numbers are the numbers of `merit score --json`.
 *
 * With `who`, the report is one person's: their scorecard and history,
 * the team's indicators, and nothing of anyone else (no ranking, no
 * distribution).
 *
 * What every document shows alike (SPEC 4): the KPI coverage; the people
 * not scored after the ranking with the reason, and no rank, final score,
 * grade or bonus; what keeps a row from being complete; a calibrated
 * grade as calibrated, with the reason; only the components the plan
 * counts beside each other (a score that weighs 0 is shown apart, as not
 * counted); the post's duties and criteria on a person's form; and, once
 * the cycle is closed, who acknowledged the result and when.
 */
#ifndef MR_REPORT_H
#define MR_REPORT_H

#include <stddef.h>

#include "core/plan.h"
#include "core/score.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

typedef struct mr_report_point {
	int has;                     /* scored in that cycle */
	double final;
	char grade[24];              /* "" when none */
} mr_report_point;

/* A criterion raters rate a position on (the plan's, copied). */
typedef struct mr_report_criterion {
	char *key, *name;            /* name: the key when the plan gives none */
	double weight;
} mr_report_criterion;

typedef struct mr_report_person {
	const mr_scorecard *card;    /* borrowed from the report's result */
	size_t rank;                 /* 1-based, in the whole team; 0: not scored, no rank */
	char *position_name;         /* the plan's name for the position (else its key) */
	char *stage;                 /* NULL when the plan lacks the position */
	char *duties;                /* the position's duties; NULL when none */
	mr_report_criterion *criteria; size_t ncriteria;   /* the position's; owned */
	const mr_rating_row *ratings; size_t nratings;   /* borrowed from the report */
	const mr_ack *acks;          size_t nacks;       /* borrowed: self, then manager */
	mr_report_point *history;    /* nhistory points, oldest first; owned */
} mr_report_person;

typedef struct mr_report_grade {
	char *grade;
	size_t count;                /* people with it */
} mr_report_grade;

typedef struct mr_report {
	mr_result *result;           /* owned: the appraisal itself */
	int frozen;                  /* from a closed cycle's snapshot */
	char *state;                 /* the cycle's state; NULL when no cycle */
	char *company;               /* the plan's `company`; NULL when none */
	char *who;                   /* NULL: the whole team */
	int anonymous;               /* peer and upward raters are "peer 1", "upward 1"… */
	mr_locale lang;              /* the language of its labels (MR_REPORT_ZH) */
	int rating_scale;
	mr_report_person *people;    size_t npeople;   /* rank order; only `who`'s with who */
	mr_report_grade *grades;     size_t ngrades, capgrades;  /* best first; none with who */
	char **history;              size_t nhistory;  /* the history's periods, oldest first */
	/* Every indicator a person is scored on, in plan order: the columns
	 * of a team table.  Borrowed strings (the result's). */
	const mr_ind_score **columns; size_t ncolumns;
	mr_subject_trace *traces;    size_t ntraces;   /* owned */
	mr_rating_row *ratings;      size_t nratings;  /* owned */
	/* The acknowledgements of a closed cycle (who acknowledged each
	 * result, when, with what comment); none before it closes. */
	mr_ack *acks;                size_t nacks;     /* owned */
} mr_report;

/* Build the report of `period` (who: one login, or NULL): the one
 * explanation of every number — scorecards, where each indicator came from
 * (team traces for team indicators), the ratings and each person's
 * history — that the CLI's `score --who`, the web's scorecard and every
 * report use.  flags: MR_REPORT_ANON_PEERS.  MR_ENOTFOUND with a message
 * when `who` has no scorecard in the period.  *out: mr_report_free. */
int mr_report_build(mr_report **out, mr_store *s, const mr_plan *plan,
                    const mr_period *period, const char *who, unsigned flags, mr_err *err);
/* Why `who` has no scorecard in `period`: not on the staff list, a
 * reviewer, or not active then; always a negative code with the message. */
int mr_report_who_missing(mr_store *s, const char *who, const mr_period *period, mr_err *err);
/* One person's card as JSON text (the web's scorecard): period, state,
 * frozen, person (as `score --json` gives it), trace (each indicator's
 * batches: indicator, scope, batch, source, file, count, first_line,
 * last_line), history (period, final_score or null, grade) and, with
 * with_ratings, ratings (kind, rater — anonymous under
 * MR_REPORT_ANON_PEERS —, criterion, stars, comment).  Built from a
 * report with `who`; NULL when out of memory. */
char *mr_report_card_json(const mr_report *r, int with_ratings);
void mr_report_free(mr_report *r);   /* NULL is a no-op */

/* Where one indicator of a person's scorecard came from: the batches
 * (team traces for a team-scope indicator).  Borrowed; *n may be 0. */
const mr_subject_trace *mr_report_traces(const mr_report *r, const mr_report_person *p,
                                         const mr_ind_score *s, size_t *n);
/* A person's indicator for a column key, or NULL. */
const mr_ind_score *mr_report_ind(const mr_report_person *p, const char *key);
/* Who gave a rating, as a document shows it: "self", "manager (boss)",
 * "peer (ed)" — or, in an anonymous report, "peer 1".  out holds n bytes. */
void mr_report_rater(char *out, size_t n, const mr_report *r, const mr_rating_row *g);
/* A rater kind ("self", "manager", "peer", "upward") in r's language. */
const char *mr_report_kind(const mr_report *r, const char *kind);
/* A rating criterion of p's as a document names it: its key in English
 * (as ever), the plan's name for it in Chinese. */
const char *mr_report_criterion_name(const mr_report *r, const mr_report_person *p,
                                     const char *key);
/* An indicator's name as a document shows it: in Chinese a built-in
 * key's Chinese name (the web app's), else the plan's name, else the key. */
const char *mr_report_ind_name(const mr_report *r, const mr_ind_score *s);
/* A batch's source in r's language (a built-in source's Chinese name). */
const char *mr_report_source(const mr_report *r, const char *source);
/* How a batch's numbers were measured (its how, JSON text: see schema 17),
 * in r's language, appended to b: "Baidu Index: daily search index of
 * “KW”".  Nothing for NULL or a how it does not know. */
void mr_report_how(const mr_report *r, const char *how_json, mr_buf *b);
/* A value-chain stage (the plan's word) in r's language; NULL: "(no stage)". */
const char *mr_report_stage(const mr_report *r, const char *stage);
/* The team by value-chain stage (SPEC 1: team reports group by stage):
 * one sum per stage that has people, in chain order, then the people whose
 * position has no stage (stage NULL).  mean: the mean final score of the
 * people scored, rounded to 2 decimals (0 when none is). */
typedef struct mr_report_stage_sum {
	const char *stage;           /* static: mr_stage_names[], or NULL */
	size_t people, scored;
	double mean;
	int64_t bonus_cents;
} mr_report_stage_sum;
/* out holds MR_NSTAGES + 1 sums; returns how many it filled. */
size_t mr_report_stages(const mr_report *r, mr_report_stage_sum *out);
/* Is p's position in `stage` (NULL: in none)? */
int mr_report_in_stage(const mr_report_person *p, const char *stage);
/* A rule's name in r's language. */
const char *mr_report_rule(const mr_report *r, mr_rule rule);
/* Why a person is not scored, in r's language (the reason the score
 * gives, translated when it is one merit knows). */
void mr_report_not_scored(mr_buf *out, const mr_report *r, const mr_scorecard *c);
/* What keeps a scorecard from being complete, for people: "no data for
 * rank, posts; no rating: manager".  Empty when complete. */
void mr_report_incomplete(mr_buf *out, const mr_report *r, const mr_scorecard *c);
/* The components that have a score but weigh 0 in the plan (shown as not
 * counted, never beside the counted ones): "peer 60.00, upward 80.00".
 * Empty when none. */
void mr_report_not_counted(mr_buf *out, const mr_report *r, const mr_scorecard *c);
/* Does the plan count component k (blend weight > 0, or named in the
 * formula)? */
int mr_report_counts(const mr_report *r, int k);
/* A component's name as a heading: "KPI", "Manager", "Self", "Peer", "Upward". */
const char *mr_report_comp_title(const mr_report *r, int k);
/* An acknowledgement's time as people read it: "2026-12-02 10:15 UTC".
 * out holds 32 bytes. */
void mr_report_ack_time(char *out, const char *at);
/* The person's acknowledgement in `role` (self | manager), or NULL. */
const mr_ack *mr_report_ack(const mr_report_person *p, const char *role);
/* The colour of a grade, "#rrggbb": green for the best, red for the worst. */
const char *mr_report_grade_color(const mr_report *r, const char *grade);
/* The goal as people read it: "sales — sell products". */
const char *mr_report_goal_text(const mr_report *r, mr_goal g);
/* A value as shown: whole numbers without decimals, else 2; "-" when
 * !has.  out holds 32 bytes. */
void mr_report_value(char *out, int has, double v);

/* The renderers: each appends the whole document to out, in memory, so
 * that nothing reaches a file before all of it is made (mr_report_write
 * then writes it with mr_file_write).  0 or a negative MR_E* code with a
 * message. */
int mr_report_csv(mr_buf *out, const mr_report *r, mr_err *err);
int mr_report_json(mr_buf *out, const mr_report *r, mr_err *err);
int mr_report_html(mr_buf *out, const mr_report *r, mr_err *err);
int mr_report_xlsx(mr_buf *out, const mr_report *r, mr_err *err);
int mr_report_pdf(mr_buf *out, const mr_report *r, mr_err *err);

/* The HTML as text (for a web page), appended to out. */
void mr_report_html_buf(mr_buf *out, const mr_report *r);

/* Is `format` one of csv, json, html, xlsx, pdf? */
int mr_report_format_known(const char *format);
/* The MIME type of a format's file (for a download); NULL when unknown. */
const char *mr_report_mime(const char *format);

/* Release what the PDF writer's libraries keep for the life of the
 * process (fontconfig's configuration, pango's font maps, cairo's caches),
 * so a leak checker sees a clean exit.  Only when no report is being
 * written in any thread, and none will be: at the end of a process, after
 * the other threads that wrote PDFs have ended.  It waits for pango's own
 * font look-up threads to let go of the fonts (up to 10 s; past that it
 * releases nothing). */
void mr_report_shutdown(void);

/* The one entry for every door: build the report of `period` and write it
 * as `format` (csv|json|html|xlsx|pdf) to `path` ("-": standard output),
 * made whole in memory, then through a temporary file beside it (every
 * write, the fsync and the close checked) renamed into place, so a failed
 * report (MR_EFULL on a full disk) leaves path as it was and nothing
 * behind.  Reads in one read transaction. */
#define MR_REPORT_ANON_PEERS 1u   /* peers and direct reports named "peer 1", "upward 1"…:
                                   * any copy the rated person may see */
#define MR_REPORT_FRESH 2u        /* score afresh under the plan given, even on a closed
                                   * cycle (a what-if) */
#define MR_REPORT_ZH 4u           /* labels in Simplified Chinese (zh-CN), else English; the
                                   * CSV and JSON keys stay English (data contracts) */
int mr_report_write(mr_store *s, const mr_plan *plan, const mr_period *period,
                    const char *format, const char *who, const char *path, unsigned flags,
                    mr_err *err);

#endif

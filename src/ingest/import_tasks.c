/* import_tasks.c — issue-tracker exports: `task_completion`,
 * `design_completion` and `design_approval`.
 *
 * Each task with a due date gives its assignee one `task_completion`
 * measurement on the due day: 1 of 1 when it was done (resolved or
 * closed) on or before that day, else 0 of 1; the ratio over a cycle is
 * tasks done on time ÷ tasks due.  An open task due after today is not
 * counted yet (it is told).  A design task — its type or labels
 * contain "design" — also gives `design_completion` the same way, and,
 * when it is done and the file says whether it passed its first review,
 * one `design_approval` (1 or 0 of 1) on the day it was done.
 *
 * A task is counted once: an issue key an earlier batch counted is an
 * overlap (import_common.c).
 * Tasks with no due date are reported, not guessed; tracker user names
 * become logins only through `merit own tracker NAME --who LOGIN`, and a
 * name with no rule is told once with its count.
 */
#include "ingest/import_int.h"

#include <time.h>

#include "core/period.h"

enum { F_KEY, F_ASSIGNEE, F_TYPE, F_LABELS, F_DUE, F_DONE, F_REVIEW };
static const char *const fields[] = { "key", "assignee", "type", "labels", "due", "done",
                                      "first_review", NULL };

/* Jira Cloud and Jira Server ("all fields": Labels repeated) alike. */
static const char *const jira_cols[] = {
	"Issue key", "Assignee", "Issue Type", "Labels", "Due Date|Due date", "Resolved", NULL,
};
static const char *const jira_sig[] = { "Issue key", "Issue Type", "Summary", NULL };
static const char *const gitlab_cols[] = {
	"Issue ID", "Assignee Username", NULL, "Labels", "Due Date", "Closed At (UTC)", NULL,
};
static const char *const gitlab_sig[] = { "Issue ID", "Title", "State", "Assignee Username",
                                          "Due Date", "Closed At (UTC)", NULL };
static const char *const redmine_cols[] = {
	"#", "Assignee|Assigned to", "Tracker", "Category", "Due date", "Closed", NULL,
};
static const char *const redmine_sig[] = { "#", "Tracker", "Status", "Subject", NULL };

static const char *const jira_ident[] = { "Issue key", NULL };
static const char *const gitlab_ident[] = { "Issue ID", "Due Date", NULL };
static const char *const redmine_ident[] = { "#", "Tracker", NULL };

static const mr_imp_preset presets[] = {
	{ "generic", NULL, NULL, NULL, 1u << F_ASSIGNEE | 1u << F_DUE | 1u << F_DONE, NULL },
	{ "jira", "jira-cloud|jira-server", jira_cols, jira_sig, 0, jira_ident },
	{ "gitlab", NULL, gitlab_cols, gitlab_sig, 0, gitlab_ident },
	{ "redmine", NULL, redmine_cols, redmine_sig, 0, redmine_ident },
};

#define EXAMPLES 5

struct tasks {
	long tasks, counted, no_due, unassigned, design, not_due;
	int today;                     /* the import's local day, 0 until read */
	char example[EXAMPLES][64];    /* keys of tasks with no due date */
};

static int row(mr_imp *im, void *state, mr_err *err)
{
	struct tasks *t = state;
	int due, done, rc, review = -1;
	t->tasks++;
	if ((rc = mr_imp_day(im, F_DUE, 1, &due, err)) ||
	    (rc = mr_imp_day(im, F_DONE, 1, &done, err)))
		return rc;
	if (*mr_imp_get(im, F_REVIEW)) {     /* approved, rejected, or told at the end */
		int v;
		if ((rc = mr_imp_value(im, F_REVIEW, &v, err)))
			return rc;
		review = v == MR_VERDICT_APPROVED ? 1 : v == MR_VERDICT_REJECTED ? 0 : -1;
	}
	if (!mr_imp_has(im, F_DUE) || !due) {
		if (t->no_due < EXAMPLES)
			snprintf(t->example[t->no_due], sizeof t->example[0], "%s",
			         *mr_imp_get(im, F_KEY) ? mr_imp_get(im, F_KEY) : "?");
		t->no_due++;
		return 0;
	}
	if (!t->today) {
		time_t now = time(NULL);
		struct tm loc;
		localtime_r(&now, &loc);
		t->today = mr_day_from_civil(loc.tm_year + 1900, loc.tm_mon + 1, loc.tm_mday);
	}
	if (!done && due > t->today) {
		t->not_due++;   /* open and not due yet: neither late nor on time */
		return 0;
	}
	const char *name = mr_imp_get(im, F_ASSIGNEE);
	if (!*name) {
		t->unassigned++;
		return 0;
	}
	const char *login = mr_imp_owner(im, "tracker", name);
	if (!login)
		return mr_imp_unmapped(im, "tracker", name, err);
	int design = mr_imp_contains(mr_imp_get(im, F_TYPE), "design") ||
	             mr_imp_contains(mr_imp_get(im, F_LABELS), "design");
	int on_time = done && done <= due;
	long line = im->row->line;
	int col = mr_imp_colno(im, F_DUE), done_col = mr_imp_colno(im, F_DONE);
	int approval = design && review >= 0 && done;   /* judged once done, on that day */
	/* all of the row or none of it: check every measurement before writing */
	if ((rc = mr_imp_check(im, "task_completion", login, due, col, err)) ||
	    (design && (rc = mr_imp_check(im, "design_completion", login, due, col, err))) ||
	    (approval && (rc = mr_imp_check(im, "design_approval", login, done, done_col, err))))
		return rc;
	/* counted once: by its issue key within this tracker's exports */
	const char *key = mr_imp_get(im, F_KEY);
	if (*key) {
		char ns[64];
		snprintf(ns, sizeof ns, "tasks/%s", im->preset->name);
		mr_buf_reset(&im->key);
		mr_imp_norm_append(&im->key, key);
		if (mr_buf_oom(&im->key))
			return mr_err_set(err, MR_ENOMEM, "out of memory");
		rc = mr_imp_claim(im, ns, im->key.data, 0, err);
	} else {
		rc = mr_imp_claim_row(im, err);
	}
	if (rc)
		return rc;
	if ((rc = mr_imp_measure(im, "task_completion", login, due, on_time, 1, 1, line, col, err)))
		return rc;
	if (design) {
		t->design++;
		if ((rc = mr_imp_measure(im, "design_completion", login, due, on_time, 1, 1, line,
		                         col, err)))
			return rc;
		if (approval && (rc = mr_imp_measure(im, "design_approval", login, done, review, 1,
		                                     1, line, done_col, err)))
			return rc;
	}
	t->counted++;
	return 0;
}

static int finish(mr_imp *im, void *state, mr_err *err)
{
	struct tasks *t = state;
	(void)err;
	mr_imp_note(im, "%ld tasks: %ld counted (%ld design tasks)", t->tasks, t->counted,
	            t->design);
	if (t->no_due) {
		mr_buf b;
		mr_buf_init(&b);
		for (long i = 0; i < t->no_due && i < EXAMPLES; i++)
			mr_buf_printf(&b, "%s%s", i ? ", " : "", t->example[i]);
		mr_imp_note(im, "%ld tasks have no due date and are not counted (%s%s)%s", t->no_due,
		            b.data, t->no_due > EXAMPLES ? ", …" : "", mr_imp_has(im, F_DUE) ? ""
		            : "; the file has no due-date column (--map COLUMN=due)");
		mr_buf_release(&b);
	}
	if (t->not_due)
		mr_imp_note(im, "%ld tasks not due yet (open, due after today): not counted",
		            t->not_due);
	if (t->unassigned)
		mr_imp_note(im, "%ld tasks with a due date have no assignee: not counted",
		            t->unassigned);
	return 0;
}

const mr_imp_kind mr_import_kind_tasks = {
	"tasks", fields, 0, 1u << F_LABELS, -1,
	presets, sizeof presets / sizeof presets[0], sizeof(struct tasks), row, finish, NULL, 1,
	1u << F_DUE | 1u << F_DONE,
};

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

enum { F_KEY, F_ASSIGNEE, F_TYPE, F_LABELS, F_DUE, F_DONE, F_REVIEW, F_STATUS, F_DONE_BY,
       F_UPDATED, NF };
static const char *const fields[] = { "key", "assignee", "type", "labels", "due", "done",
                                      "first_review", "status", "done_by", "updated", NULL };

/* Jira Cloud and Jira Server ("all fields": Labels repeated) alike, in the
 * user's language: Jira writes its headers in the exporting user's
 * language.  English, Spanish, German (Cloud and Server), French,
 * Portuguese and Chinese, as real exports and the tools reading them
 * name the columns (tests/data/tasks/PROVENANCE.md); its Status as the
 * real Jira Server export and the Spanish and German headers name it. */
#define JIRA_KEY "Issue key|Clave de incidencia|Vorgangsschlüssel|Clé de ticket|Chave da item|问题关键字"
#define JIRA_TYPE "Issue Type|Tipo de Incidencia|Vorgangstyp|Type de ticket|Tipo de item|问题类型"
#define JIRA_SUMMARY "Summary|Resumen|Zusammenfassung|Résumé|Resumo|概要"
static const char *const jira_cols[NF] = {
	JIRA_KEY, "Assignee|Responsable|Zugewiesene Person|Bearbeiter|Personne assignée|Responsável|经办人",
	JIRA_TYPE, "Labels|Etiquetas|Stichwörter|标签",
	"Due Date|Due date|Fecha de vencimiento|Fälligkeitsdatum|到期日",
	"Resolved|Resuelta|Erledigt|Resolvido|已解决", NULL,
	/* a cancelled issue is no missed task (German: Status too) */
	"Status|Estado",
};
static const char *const jira_sig[] = { JIRA_KEY, JIRA_TYPE, JIRA_SUMMARY, NULL };
static const char *const gitlab_cols[NF] = {
	"Issue ID", "Assignee Username", NULL, "Labels", "Due Date", "Closed At (UTC)",
};
static const char *const gitlab_sig[] = { "Issue ID", "Title", "State", "Assignee Username",
                                          "Due Date", "Closed At (UTC)", NULL };
static const char *const redmine_cols[NF] = {
	"#", "Assignee|Assigned to", "Tracker", "Category", "Due date", "Closed",
};
static const char *const redmine_sig[] = { "#", "Tracker", "Status", "Subject", NULL };
/* TAPD (腾讯 TAPD) 需求/缺陷/任务 list exports: the task's 处理人 and its
 * planned end (预计结束); done is 完成时间 (a story or task) or 解决时间 /
 * 关闭时间 (a bug); 状态 when those are empty. */
static const char *const tapd_cols[NF] = {
	"ID", "处理人|当前处理人", "类别|缺陷类型|任务类型", "标签", "预计结束|截止时间",
	"完成时间|解决时间|关闭时间", NULL, "状态",
};
static const char *const tapd_sig[] = { "ID", "标题", "处理人|当前处理人", "状态", NULL };
/* ZenTao (禅道) task export, its columns being the task module's zh-cn
 * names: a finished task is assigned back to its creator, so 由谁完成
 * (who finished it) is whose it is once done. */
static const char *const zentao_cols[NF] = {
	"编号", "指派给", "任务类型", NULL, "截止日期", "实际完成|关闭时间", NULL, "任务状态",
	"由谁完成",
};
static const char *const zentao_sig[] = { "编号", "任务名称", "指派给", "截止日期", NULL };
/* A GitHub Projects view exported ("Export view"): no completion date,
 * so Status says whether it is done; the due date is the project's own
 * date field. */
static const char *const github_cols[NF] = {
	"URL", "Assignees", NULL, "Labels", "Due date|Due Date|Target date", NULL, NULL, "Status",
};
static const char *const github_sig[] = { "Title", "URL", "Assignees", "Status", NULL };
/* A Trello board's CSV export: members are the assignees, "Due Complete"
 * the status, and the card's last activity the day it was done. */
static const char *const trello_cols[NF] = {
	"Card ID", "Members", NULL, "Labels", "Due Date", NULL, NULL, "Due Complete", NULL,
	"Last Activity Date",
};
static const char *const trello_sig[] = { "Card ID", "Card Name", "List Name", NULL };
/* Feishu Project (飞书项目, Meegle) work items exported from a view, as the
 * one real export found names its columns (a Feature view: 工作项id, 名称,
 * 状态, 当前负责人, 分类标签, 到期日, 实际发版日 …; tests/data/tasks/
 * PROVENANCE.md).  A space names its own fields, so the due and done days
 * are those of that export; another space's maps its own with --map. */
static const char *const feishu_cols[NF] = {
	"工作项id", "当前负责人", NULL, "分类标签", "到期日", "实际发版日", NULL, "状态",
};
static const char *const feishu_sig[] = { "工作项id", "名称", "当前负责人", "状态", NULL };

static const char *const jira_ident[] = { JIRA_KEY, NULL };
static const char *const gitlab_ident[] = { "Issue ID", "Due Date", NULL };
static const char *const redmine_ident[] = { "#", "Tracker", NULL };
static const char *const tapd_ident[] = { "ID", "处理人|当前处理人", NULL };
static const char *const zentao_ident[] = { "编号", "指派给", NULL };
static const char *const github_ident[] = { "URL", "Assignees", NULL };
static const char *const trello_ident[] = { "Card ID", "Members", NULL };
static const char *const feishu_ident[] = { "工作项id", "当前负责人", NULL };

static const mr_imp_preset presets[] = {
	{ "generic", NULL, NULL, NULL, 1u << F_ASSIGNEE | 1u << F_DUE | 1u << F_DONE, NULL },
	{ "jira", "jira-cloud|jira-server", jira_cols, jira_sig, 0, jira_ident },
	{ "gitlab", NULL, gitlab_cols, gitlab_sig, 0, gitlab_ident },
	{ "redmine", NULL, redmine_cols, redmine_sig, 0, redmine_ident },
	{ "tapd", NULL, tapd_cols, tapd_sig, 0, tapd_ident },
	{ "zentao", "chandao", zentao_cols, zentao_sig, 0, zentao_ident },
	{ "github", "github-projects", github_cols, github_sig, 0, github_ident },
	{ "trello", NULL, trello_cols, trello_sig, 0, trello_ident },
	{ "feishu", "feishu-project|meegle", feishu_cols, feishu_sig, 0, feishu_ident },
};

/* A design task's type or labels hold one of these (ASCII case ignored). */
static const char *const design_words[] = { "design", "设计", "設計", "diseño", "デザイン",
                                            NULL };

#define EXAMPLES 5

struct tasks {
	long tasks, counted, no_due, unassigned, design, not_due;
	long by_status, no_done_day;   /* done by status: a last update taken; no day at all */
	int today;                     /* the import's local day, 0 until read */
	char example[EXAMPLES][64];    /* keys of tasks with no due date */
};

static int is_design(mr_imp *im)
{
	for (const char *const *w = design_words; *w; w++)
		if (mr_imp_contains(mr_imp_get(im, F_TYPE), *w) ||
		    mr_imp_contains(mr_imp_get(im, F_LABELS), *w))
			return 1;
	return 0;
}

static int local_today(struct tasks *t)
{
	if (!t->today) {
		time_t now = time(NULL);
		struct tm loc;
		localtime_r(&now, &loc);
		t->today = mr_day_from_civil(loc.tm_year + 1900, loc.tm_mon + 1, loc.tm_mday);
	}
	return t->today;
}

static int row(mr_imp *im, void *state, mr_err *err)
{
	struct tasks *t = state;
	int due, done, updated = 0, rc, review = -1, status = -1;
	t->tasks++;
	if ((rc = mr_imp_day(im, F_DUE, 1, &due, err)) ||
	    (rc = mr_imp_day(im, F_DONE, 1, &done, err)) ||
	    (mr_imp_has(im, F_UPDATED) && (rc = mr_imp_day(im, F_UPDATED, 1, &updated, err))))
		return rc;
	/* a status is read for what the dates cannot say: a cancelled task,
	 * or one done in an export with no completion date */
	if (*mr_imp_get(im, F_STATUS) && (rc = mr_imp_value(im, F_STATUS, &status, err)))
		return rc;
	if (status == MR_TASK_CANCELLED)
		return 0;                    /* told with its count (import_vocab.c) */
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
	if (!done && status == MR_TASK_DONE) {
		if (updated) {                   /* its last change: the day it was done */
			done = updated;
			t->by_status++;
		} else if (due >= local_today(t)) {
			done = local_today(t);       /* done by today, due today or later: on time */
		} else {
			t->no_done_day++;            /* done, but before or after its due day? */
			return 0;
		}
	}
	if (!done && due > local_today(t)) {
		t->not_due++;   /* open and not due yet: neither late nor on time */
		return 0;
	}
	/* who finished it, when the export says (ZenTao hands a finished task
	 * back to its creator), else its assignee */
	const char *name = done && *mr_imp_get(im, F_DONE_BY) ? mr_imp_get(im, F_DONE_BY)
	                   : mr_imp_get(im, F_ASSIGNEE);
	if (!*name) {
		t->unassigned++;
		return 0;
	}
	const char *login = mr_imp_owner(im, "tracker", name);
	if (!login)
		return mr_imp_unmapped(im, "tracker", name, err);
	int design = is_design(im);
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
			return mr_err_nomem(err);
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
		            : im->o->web ? "; the file has no due-date column (map the column that "
		                           "holds it to due)"
		            : "; the file has no due-date column (--map COLUMN=due)");
		mr_buf_release(&b);
	}
	if (t->not_due)
		mr_imp_note(im, "%ld tasks not due yet (open, due after today): not counted",
		            t->not_due);
	if (t->by_status)
		mr_imp_note(im, "%ld tasks done by their status with no completion date: the day "
		            "of their last activity taken as the day done", t->by_status);
	if (t->no_done_day)
		mr_imp_note(im, "%ld tasks past their due date are done by their status but say "
		            "no day done: on time or late cannot be told, not counted (%s)",
		            t->no_done_day, im->o->web ? "map the column that holds the day done "
		                                         "to done" : "--map COLUMN=done");
	if (t->unassigned)
		mr_imp_note(im, "%ld tasks with a due date have no assignee: not counted",
		            t->unassigned);
	return 0;
}

const mr_imp_kind mr_import_kind_tasks = {
	"tasks", fields, 0, 1u << F_LABELS, -1,
	presets, sizeof presets / sizeof presets[0], sizeof(struct tasks), row, finish, NULL, 1,
	1u << F_DUE | 1u << F_DONE | 1u << F_UPDATED,
};

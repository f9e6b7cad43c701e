/* cmd_staff.c — `merit staff add|set|list`: the people appraised. */
#include "cli/cli.h"

#include <jansson.h>

#include "ops/ops.h"
#include "util/num.h"
#include "util/vec.h"

struct staff_job {
	mr_staff_change ch;
	const mr_plan *plan;
};

static int staff_tx(mr_store *s, void *payload, mr_err *err)
{
	struct staff_job *job = payload;
	return mr_op_staff(s, job->plan, &job->ch, err);
}

static int staff_list(mr_cli *cli, int json)
{
	mr_err err = MR_ERR_INIT;
	mr_staff *list = NULL;
	size_t n = 0;
	char from[11], to[11], money[32];
	mr_store *s = mr_cli_store(cli);
	if (!s)
		return MR_EXIT_FAIL;
	if (mr_store_staff_list(s, &list, &n, &err)) {
		int st = mr_cli_fail(&err);
		mr_err_clear(&err);
		return st;
	}
	json_t *arr = json ? json_array() : NULL;
	if (!json && n)
		printf("%-12s %-20s %-10s %-12s %-10s %-10s %s\n", "login", "name", "position",
		       "manager", "from", "to", "base bonus");
	for (size_t i = 0; i < n; i++) {
		const mr_staff *p = &list[i];
		snprintf(from, sizeof from, "-");
		snprintf(to, sizeof to, "-");
		snprintf(money, sizeof money, "-");
		if (p->from != MR_DAY_MIN) mr_day_format(from, p->from);
		if (p->to != MR_DAY_MAX) mr_day_format(to, p->to);
		if (p->has_base_bonus) mr_money_format(money, p->base_bonus_cents);
		if (json) {
			json_array_append_new(arr, mr_op_staff_json(p));
		} else {
			mr_cli_pad(stdout, p->login, 12);
			fputc(' ', stdout);
			mr_cli_pad(stdout, p->name, 20);
			fputc(' ', stdout);
			mr_cli_pad(stdout, p->reviewer ? "(reviewer)" : p->position, 10);
			fputc(' ', stdout);
			mr_cli_pad(stdout, p->manager ? p->manager : "-", 12);
			printf(" %-10s %-10s %s\n", from, to, money);
		}
	}
	if (json) {
		char *t = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(t ? t : "[]");
		free(t);
		json_decref(arr);
	} else if (!n) {
		printf("no staff yet: add them with `merit staff add LOGIN --name NAME --position KEY`\n");
	}
	mr_staff_list_free(list, n);
	return MR_EXIT_OK;
}

/* staff import FILE [--title TITLE=KEY]… [--position KEY] */
struct import_job {
	const char *path;
	mr_staff_import_opts o;
	const mr_plan *plan;
	mr_staff_import_result res;
};

static int import_tx(mr_store *s, void *payload, mr_err *err)
{
	struct import_job *job = payload;
	return mr_op_staff_import(s, job->plan, job->path, &job->o, &job->res, err);
}

static int staff_import(mr_cli *cli, const mr_command *cmd, int argc, char **argv,
                        const char **titles, const mr_staff_change *given)
{
	struct import_job job;
	mr_err err = MR_ERR_INIT;
	int status = MR_EXIT_OK;
	if (optind + 2 != argc)
		return mr_cli_usage(cmd, "import needs one FILE");
	if (given->set_name || given->set_manager || given->set_from || given->set_to ||
	    given->set_bonus || given->st.reviewer)
		return mr_cli_usage(cmd, "import takes --title and --position only");
	memset(&job, 0, sizeof job);
	job.path = argv[optind + 1];
	job.o.name = job.path;
	job.o.titles = titles;
	job.o.position = given->set_position ? given->st.position : NULL;
	mr_plan *plan = mr_cli_plan(cli);
	if (!plan)
		return MR_EXIT_FAIL;
	job.plan = plan;
	if (mr_cli_tx(cli, import_tx, &job, &err)) {
		status = mr_cli_fail(&err);
	} else {
		if (job.res.notes)
			fprintf(stderr, "%s", job.res.notes);
		printf("merit: %ld added, %ld changed, ", job.res.added, job.res.changed);
		if (job.res.unchanged)
			printf("%ld as they were, ", job.res.unchanged);
		printf("%ld left out\n", job.res.skipped);
	}
	free(job.res.notes);
	mr_plan_free(plan);
	mr_err_clear(&err);
	return status;
}

int mr_cmd_staff(mr_cli *cli, int argc, char **argv)
{
	enum { O_NAME = 256, O_POS, O_MGR, O_NOMGR, O_FROM, O_NOFROM, O_TO, O_NOTO, O_BONUS, O_JSON,
	       O_REVIEWER, O_TITLE };
	static const struct option opts[] = {
		{ "name", required_argument, NULL, O_NAME },
		{ "position", required_argument, NULL, O_POS },
		{ "manager", required_argument, NULL, O_MGR },
		{ "no-manager", no_argument, NULL, O_NOMGR },
		{ "from", required_argument, NULL, O_FROM },
		{ "no-from", no_argument, NULL, O_NOFROM },
		{ "to", required_argument, NULL, O_TO },
		{ "no-to", no_argument, NULL, O_NOTO },
		{ "base-bonus", required_argument, NULL, O_BONUS },
		{ "json", no_argument, NULL, O_JSON },
		{ "reviewer", no_argument, NULL, O_REVIEWER },
		{ "title", required_argument, NULL, O_TITLE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("staff");
	struct staff_job job;
	mr_staff_change *ch = &job.ch;
	int c, status = 0, json = 0;
	const char **titles = NULL;
	size_t ntitles = 0, captitles = 0;
	memset(&job, 0, sizeof job);
	ch->st.from = MR_DAY_MIN;
	ch->st.to = MR_DAY_MAX;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case O_NAME: ch->st.name = optarg; ch->set_name = 1; break;
		case O_POS: ch->st.position = optarg; ch->set_position = 1; break;
		case O_MGR: ch->st.manager = optarg; ch->set_manager = 1; break;
		case O_NOMGR: ch->st.manager = NULL; ch->set_manager = 1; break;
		case O_FROM:
			if (mr_day_parse(&ch->st.from, optarg))
				return mr_cli_usage(cmd, "--from \"%s\" is not a date (YYYY-MM-DD)", optarg);
			ch->set_from = 1;
			break;
		case O_NOFROM: ch->st.from = MR_DAY_MIN; ch->set_from = 1; break;
		case O_TO:
			if (mr_day_parse(&ch->st.to, optarg))
				return mr_cli_usage(cmd, "--to \"%s\" is not a date (YYYY-MM-DD)", optarg);
			ch->set_to = 1;
			break;
		case O_NOTO: ch->st.to = MR_DAY_MAX; ch->set_to = 1; break;
		case O_BONUS:
			if (mr_money_parse(&ch->st.base_bonus_cents, optarg) || ch->st.base_bonus_cents < 0 ||
			    ch->st.base_bonus_cents > MR_MONEY_MAX)
				return mr_cli_usage(cmd, "--base-bonus \"%s\" is not an amount from 0 to "
				                    "10000000000.00, like 4500.00", optarg);
			ch->st.has_base_bonus = ch->set_bonus = 1;
			break;
		case O_JSON: json = 1; break;
		case O_REVIEWER: ch->st.reviewer = 1; break;
		case O_TITLE:
			/* room for it and the NULL that ends the list */
			if (mr_vec_grow(&titles, &captitles, ntitles + 1, sizeof *titles)) {
				free(titles);
				return mr_cli_usage(cmd, "out of memory");
			}
			titles[ntitles++] = optarg;
			titles[ntitles] = NULL;
			if (!strchr(optarg, '=') || *optarg == '=')
				status = mr_cli_usage(cmd, "--title \"%s\": say TITLE=KEY, a job title and "
				                      "the plan's position for it", optarg);
			break;
		}
		if (status)
			break;
	}
	if (status || (optind < argc && strcmp(argv[optind], "import") == 0)) {
		if (!status)
			status = staff_import(cli, cmd, argc, argv, titles, ch);
		free(titles);
		return status;
	}
	free(titles);
	if (ntitles)
		return mr_cli_usage(cmd, "--title applies to staff import");
	const char *verb = optind < argc ? argv[optind] : NULL;
	if (verb && strcmp(verb, "list") == 0) {
		if (optind + 1 < argc)
			return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind + 1]);
		return staff_list(cli, json);
	}
	if (!verb || (strcmp(verb, "add") != 0 && strcmp(verb, "set") != 0))
		return mr_cli_usage(cmd, "say add, set, import or list");
	if (optind + 2 != argc)
		return mr_cli_usage(cmd, "%s needs one LOGIN", verb);
	ch->st.login = argv[optind + 1];
	ch->create = strcmp(verb, "add") == 0;
	mr_err err = MR_ERR_INIT;
	if (mr_op_staff_check(ch, &err)) {
		status = mr_cli_usage(cmd, "%s", err.msg);
		mr_err_clear(&err);
		return status;
	}
	mr_plan *plan = NULL;
	if (ch->set_position && !(plan = mr_cli_plan(cli)))
		return MR_EXIT_FAIL;
	job.plan = plan;
	if (mr_cli_tx(cli, staff_tx, &job, &err)) {
		status = mr_cli_fail(&err);
	} else {
		if (ch->bonus_dropped)
			fprintf(stderr, "merit: note: %s's own base bonus is dropped: a reviewer is never "
			        "paid\n", ch->st.login);
		printf("merit: %s %s\n", ch->create ? "added" : "changed", ch->st.login);
	}
	mr_plan_free(plan);
	mr_err_clear(&err);
	return status;
}

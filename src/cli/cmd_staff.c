/* cmd_staff.c — `merit staff add|set|list`: the people appraised. */
#include "cli/cli.h"

#include <jansson.h>

#include "util/num.h"

struct staff_job {
	mr_staff st;
	int create;
	/* for set: which fields were given */
	int set_name, set_position, set_manager, set_from, set_to, set_bonus;
};

static int staff_tx(mr_store *s, void *payload, mr_err *err)
{
	struct staff_job *job = payload;
	mr_staff cur;
	int rc;
	if (job->create)
		return mr_store_staff_put(s, &job->st, 1, err);
	if ((rc = mr_store_staff_get(s, job->st.login, &cur, err)))
		return rc;
	mr_staff merged = cur;
	if (job->set_name) merged.name = job->st.name;
	if (job->set_position) {           /* a position makes a reviewer a person scored */
		merged.position = job->st.position;
		merged.reviewer = 0;
	}
	if (job->st.reviewer && !cur.reviewer) {
		/* a reviewer is never scored: their ratings would silently stop
		 * counting in a cycle still running */
		char *open = NULL;
		if ((rc = mr_store_rated_open(s, cur.login, &open, err)))
			goto done;
		if (open) {
			rc = mr_err_set(err, MR_EINVALID, "%s is rated in cycle %s, which is not closed: "
			                "close it first, or keep them a scored person", cur.login, open);
			free(open);
			goto done;
		}
		merged.has_base_bonus = 0;         /* a reviewer is never paid */
		if (cur.has_base_bonus)
			fprintf(stderr, "merit: note: %s's own base bonus is dropped: a reviewer is never "
			        "paid\n", cur.login);
	}
	if (job->st.reviewer) {
		merged.reviewer = 1;
		merged.position = NULL;
	}
	if (job->set_manager) merged.manager = job->st.manager;
	if (job->set_from) merged.from = job->st.from;
	if (job->set_to) merged.to = job->st.to;
	if (job->set_bonus) {
		merged.has_base_bonus = job->st.has_base_bonus;
		merged.base_bonus_cents = job->st.base_bonus_cents;
	}
	if (merged.from != MR_DAY_MIN && merged.to != MR_DAY_MAX && merged.to < merged.from)
		rc = mr_err_set(err, MR_EINVALID, "--to is before --from");
	else if (merged.reviewer && merged.has_base_bonus)
		rc = mr_err_set(err, MR_EINVALID, "%s is a reviewer: a reviewer is never paid a "
		                "bonus, so has no base bonus", merged.login);
	else
		rc = mr_store_staff_put(s, &merged, 0, err);
done:
	mr_staff_release(&cur);
	return rc;
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
			json_t *o = json_object();
			json_object_set_new(o, "login", json_string(p->login));
			json_object_set_new(o, "name", json_string(p->name));
			json_object_set_new(o, "position", p->position ? json_string(p->position)
			                                                : json_null());
			json_object_set_new(o, "reviewer", json_boolean(p->reviewer));
			json_object_set_new(o, "manager", p->manager ? json_string(p->manager) : json_null());
			json_object_set_new(o, "from", p->from != MR_DAY_MIN ? json_string(from) : json_null());
			json_object_set_new(o, "to", p->to != MR_DAY_MAX ? json_string(to) : json_null());
			json_object_set_new(o, "base_bonus_cents", p->has_base_bonus
			                    ? json_integer(p->base_bonus_cents) : json_null());
			json_array_append_new(arr, o);
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

int mr_cmd_staff(mr_cli *cli, int argc, char **argv)
{
	enum { O_NAME = 256, O_POS, O_MGR, O_NOMGR, O_FROM, O_NOFROM, O_TO, O_NOTO, O_BONUS, O_JSON,
	       O_REVIEWER };
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("staff");
	struct staff_job job;
	int c, status = 0, json = 0;
	memset(&job, 0, sizeof job);
	job.st.from = MR_DAY_MIN;
	job.st.to = MR_DAY_MAX;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case O_NAME: job.st.name = optarg; job.set_name = 1; break;
		case O_POS: job.st.position = optarg; job.set_position = 1; break;
		case O_MGR: job.st.manager = optarg; job.set_manager = 1; break;
		case O_NOMGR: job.st.manager = NULL; job.set_manager = 1; break;
		case O_FROM:
			if (mr_day_parse(&job.st.from, optarg))
				return mr_cli_usage(cmd, "--from \"%s\" is not a date (YYYY-MM-DD)", optarg);
			job.set_from = 1;
			break;
		case O_NOFROM: job.st.from = MR_DAY_MIN; job.set_from = 1; break;
		case O_TO:
			if (mr_day_parse(&job.st.to, optarg))
				return mr_cli_usage(cmd, "--to \"%s\" is not a date (YYYY-MM-DD)", optarg);
			job.set_to = 1;
			break;
		case O_NOTO: job.st.to = MR_DAY_MAX; job.set_to = 1; break;
		case O_BONUS:
			if (mr_money_parse(&job.st.base_bonus_cents, optarg) || job.st.base_bonus_cents < 0 ||
			    job.st.base_bonus_cents > MR_MONEY_MAX)
				return mr_cli_usage(cmd, "--base-bonus \"%s\" is not an amount from 0 to "
				                    "10000000000.00, like 4500.00", optarg);
			job.st.has_base_bonus = job.set_bonus = 1;
			break;
		case O_JSON: json = 1; break;
		case O_REVIEWER: job.st.reviewer = 1; break;
		}
	}
	const char *verb = optind < argc ? argv[optind] : NULL;
	if (verb && strcmp(verb, "list") == 0) {
		if (optind + 1 < argc)
			return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind + 1]);
		return staff_list(cli, json);
	}
	if (!verb || (strcmp(verb, "add") != 0 && strcmp(verb, "set") != 0))
		return mr_cli_usage(cmd, "say add, set or list");
	if (optind + 2 != argc)
		return mr_cli_usage(cmd, "%s needs one LOGIN", verb);
	job.st.login = argv[optind + 1];
	job.create = strcmp(verb, "add") == 0;
	mr_err lerr = MR_ERR_INIT;
	if (job.create && mr_text_login_check(job.st.login, "login", &lerr)) {
		status = mr_cli_usage(cmd, "%s", lerr.msg);
		mr_err_clear(&lerr);
		return status;
	}
	if (job.st.reviewer && job.set_position)
		return mr_cli_usage(cmd, "--reviewer and --position: a reviewer has no position");
	if (job.st.reviewer && job.st.has_base_bonus)
		return mr_cli_usage(cmd, "--reviewer and --base-bonus: a reviewer is never paid a "
		                    "bonus");
	if (job.create && (!job.st.name || (!job.st.position && !job.st.reviewer)))
		return mr_cli_usage(cmd, "add needs --name and --position KEY (or --reviewer)");
	if (job.set_name && !*job.st.name)
		return mr_cli_usage(cmd, "--name is empty");
	if (job.st.from != MR_DAY_MIN && job.st.to != MR_DAY_MAX && job.st.to < job.st.from)
		return mr_cli_usage(cmd, "--to is before --from");

	mr_plan *plan = NULL;
	if (job.set_position) {
		if (!(plan = mr_cli_plan(cli)))
			return MR_EXIT_FAIL;
		if (!mr_plan_position(plan, job.st.position)) {
			fprintf(stderr, "merit: --position \"%s\": the plan has no such position; it has:",
			        job.st.position);
			for (size_t i = 0; i < plan->npositions; i++)
				fprintf(stderr, " %s", plan->positions[i].key);
			fprintf(stderr, "\n");
			mr_plan_free(plan);
			return MR_EXIT_FAIL;
		}
		mr_plan_free(plan);
	}
	mr_err err = MR_ERR_INIT;
	if (mr_cli_tx(cli, staff_tx, &job, &err))
		status = mr_cli_fail(&err);
	else
		printf("merit: %s %s\n", job.create ? "added" : "changed", job.st.login);
	mr_err_clear(&err);
	return status;
}

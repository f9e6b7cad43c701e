/* cmd_cycle.c — `merit cycle open|review|close|reopen|rm|list`.
 *
 * Closing first shows what is not ready (indicators with no data, people
 * not scored, ratings owed) and asks for --force while anything is; then
 * it scores the period under the current plan and keeps the result as the
 * cycle's snapshot; from then on the store refuses changes to its
 * measurements and ratings until an audited reopen.
 */
#include "cli/cli.h"

#include <jansson.h>

#include "ops/ops.h"

struct cycle_job {
	const char *verb, *reason;
	unsigned flags;
	mr_period period;
	const mr_plan *plan;
	const char *new_state;
};

static int cycle_tx(mr_store *s, void *payload, mr_err *err)
{
	struct cycle_job *job = payload;
	return mr_op_cycle(s, job->plan, job->verb, &job->period, job->reason, job->flags,
	                   &job->new_state, err);
}

static int cycle_list(mr_cli *cli, int json)
{
	mr_store *s = mr_cli_store(cli);
	mr_cycle *list = NULL;
	size_t n = 0;
	mr_err err = MR_ERR_INIT;
	if (!s)
		return MR_EXIT_FAIL;
	if (mr_store_cycle_list(s, &list, &n, &err)) {
		int st = mr_cli_fail(&err);
		mr_err_clear(&err);
		return st;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char d1[11], d2[11];
		mr_day_format(d1, list[i].first);
		mr_day_format(d2, list[i].last);
		if (json)
			json_array_append_new(arr, json_pack("{sssssssssssb}", "period", list[i].period,
			                      "from", d1, "to", d2, "state", list[i].state,
			                      "updated_at", list[i].updated_at, "released",
			                      list[i].released_at != NULL));
		else
			printf("%-24s %s..%s  %-7s %-8s %s\n", list[i].period, d1, d2, list[i].state,
			       list[i].released_at ? "released" : "withheld", list[i].updated_at);
	}
	if (json) {
		char *t = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(t ? t : "[]");
		free(t);
	} else if (!n) {
		printf("no cycles yet: open one with `merit cycle open PERIOD`\n");
	}
	json_decref(arr);
	mr_cycle_list_free(list, n);
	return MR_EXIT_OK;
}

int mr_cmd_cycle(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'f' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("cycle");
	struct cycle_job job;
	int c, status = 0, json = 0;
	memset(&job, 0, sizeof job);
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		if (c == -2)
			return status;
		if (c == 'r')
			job.reason = optarg;
		if (c == 'f')
			job.flags |= MR_OP_FORCE;
		if (c == 'y')
			job.flags |= MR_OP_CONFIRM;
		json |= c == 'j';
	}
	job.verb = optind < argc ? argv[optind] : "";
	if (strcmp(job.verb, "list") == 0 && argc - optind == 1)
		return cycle_list(cli, json);
	if (strcmp(job.verb, "open") && strcmp(job.verb, "review") && strcmp(job.verb, "close") &&
	    strcmp(job.verb, "reopen") && strcmp(job.verb, "rm") && strcmp(job.verb, "release") &&
	    strcmp(job.verb, "withhold"))
		return mr_cli_usage(cmd, "say open, review, close, reopen, release, withhold, rm or "
		                    "list");
	if (argc - optind != 2)
		return mr_cli_usage(cmd, "%s needs one PERIOD", job.verb);
	if (strcmp(job.verb, "reopen") == 0 && (!job.reason || !*job.reason))
		return mr_cli_usage(cmd, "reopen needs --reason TEXT (it is kept in the audit log)");
	if (strcmp(job.verb, "reopen") != 0 && job.reason)
		return mr_cli_usage(cmd, "--reason goes with reopen");
	if ((job.flags & MR_OP_FORCE) && strcmp(job.verb, "close") != 0)
		return mr_cli_usage(cmd, "--force goes with close");
	if ((job.flags & MR_OP_CONFIRM) && strcmp(job.verb, "open") != 0)
		return mr_cli_usage(cmd, "--yes goes with open");
	if ((status = mr_cli_period(cmd, NULL, argv[optind + 1], &job.period)))
		return status;
	mr_err err = MR_ERR_INIT;
	mr_plan *plan = mr_cli_plan(cli);
	if (!plan)
		return MR_EXIT_FAIL;
	job.plan = plan;
	if (mr_cli_tx(cli, cycle_tx, &job, &err)) {
		status = mr_cli_fail(&err);
		if (err.code == MR_ECONFIRM)      /* the CLI's way to confirm */
			fprintf(stderr, "merit: to go ahead anyway: merit cycle %s %s %s\n", job.verb,
			        job.period.label, strcmp(job.verb, "close") == 0 ? "--force" : "--yes");
	}
	else if (strcmp(job.verb, "close") == 0)
		printf("merit: cycle %s closed; its results are frozen (see `merit score %s`)\n",
		       job.period.label, job.period.label);
	else if (strcmp(job.verb, "rm") == 0)
		printf("merit: cycle %s removed\n", job.period.label);
	else if (strcmp(job.verb, "release") == 0)
		printf("merit: cycle %s's results are released: its members see their final score, "
		       "grade and bonus\n", job.period.label);
	else if (strcmp(job.verb, "withhold") == 0)
		printf("merit: cycle %s's results are withheld from its members\n", job.period.label);
	else
		printf("merit: cycle %s is %s\n", job.period.label, job.new_state);
	/* an opened cycle of another length than the plan's: say what it means
	 * (a refused one said it already) */
	if (!status && strcmp(job.verb, "open") == 0)
		mr_cli_period_note(plan, &job.period);
	mr_err_clear(&err);
	mr_plan_free(plan);
	return status;
}

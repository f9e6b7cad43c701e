/* cmd_record.c — `merit record`: one measurement typed by hand, kept as
 * a batch of its own so it is traced like any import. */
#include "cli/cli.h"

#include "ops/ops.h"
#include "util/num.h"

struct record_job {
	const char *indicator, *who, *text;
	const mr_plan *plan;
	int day, has_den;
	double value, den;
};

static int record_tx(mr_store *s, void *payload, mr_err *err)
{
	struct record_job *job = payload;
	return mr_op_record(s, job->plan, job->indicator, job->who, job->day, job->value,
	                    job->has_den, job->den, job->text, NULL, err);
}

int mr_cmd_record(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "who", required_argument, NULL, 'w' },
		{ "team", no_argument, NULL, 't' },
		{ "date", required_argument, NULL, 'd' },
		{ "of", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("record");
	struct record_job job;
	int c, status = 0, team = 0, has_date = 0;
	memset(&job, 0, sizeof job);
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case 'w': job.who = optarg; break;
		case 't': team = 1; break;
		case 'd':
			if (mr_day_parse(&job.day, optarg))
				return mr_cli_usage(cmd, "--date \"%s\" is not a date (YYYY-MM-DD)", optarg);
			has_date = 1;
			break;
		case 'o':
			if (mr_num_parse(&job.den, optarg) || job.den < 0)
				return mr_cli_usage(cmd, "--of \"%s\" is not a number ≥ 0", optarg);
			job.has_den = 1;
			break;
		}
	}
	if (argc - optind != 2)
		return mr_cli_usage(cmd, "say INDICATOR VALUE");
	job.indicator = argv[optind];
	if (mr_num_parse(&job.value, argv[optind + 1]))
		return mr_cli_usage(cmd, "VALUE \"%s\" is not a number", argv[optind + 1]);
	if (!!job.who == team)
		return mr_cli_usage(cmd, "say whose it is: --who LOGIN or --team");
	if (!has_date)
		return mr_cli_usage(cmd, "--date DATE is required");

	mr_plan *plan = mr_cli_plan(cli);
	if (!plan)
		return MR_EXIT_FAIL;
	mr_err err = MR_ERR_INIT;
	char text[256];
	snprintf(text, sizeof text, "record %s %s %s", job.indicator, argv[optind + 1],
	         job.who ? job.who : "team");
	job.text = text;
	job.plan = plan;
	mr_cli_tx(cli, record_tx, &job, &err);
	if (err.code)
		status = mr_cli_fail(&err);
	else
		printf("merit: recorded %s = %s for %s\n", job.indicator, argv[optind + 1],
		       job.who ? job.who : "the team");
	mr_err_clear(&err);
	mr_plan_free(plan);
	return status;
}

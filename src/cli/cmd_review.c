/* cmd_review.c — `merit peers` (who may peer-rate a person in a cycle)
 * and `merit calibrate` (an admin's grade by hand, before close).  The
 * rules are ops/review.c's, the same the web app applies. */
#include "cli/cli.h"

#include "ops/ops.h"

struct peers_job {
	const char *login;
	mr_period period;
	const mr_plan *plan;
	const char *peers[MR_PEERS_MAX + 1];
	size_t n;
	int show;
	char **now;                /* show: the nominated peers */
	size_t nnow;
};

static int peers_tx(mr_store *s, void *payload, mr_err *err)
{
	struct peers_job *job = payload;
	if (job->show)
		return mr_store_peers_get(s, job->period.label, job->login, &job->now, &job->nnow,
		                          err);
	return mr_op_peers(s, job->plan, &job->period, job->login, job->peers, job->n, err);
}

int mr_cmd_peers(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "period", required_argument, NULL, 'p' },
		{ "set", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("peers");
	struct peers_job job;
	const char *period = NULL;
	char *set = NULL;
	int c, status = 0;
	memset(&job, 0, sizeof job);
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case 'p': period = optarg; break;
		case 's': set = optarg; break;
		}
	}
	if (argc - optind != 1)
		return mr_cli_usage(cmd, "say whose peers: one LOGIN");
	if (!period)
		return mr_cli_usage(cmd, "--period is required");
	job.login = argv[optind];
	job.show = !set;
	/* --set a,b,c; an empty --set "" clears the list */
	for (char *p = set, *comma; p && *p; p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		if (!*p)
			return mr_cli_usage(cmd, "--set: an empty login in the list");
		if (job.n == MR_PEERS_MAX)
			return mr_cli_usage(cmd, "--set: at most %d peers", MR_PEERS_MAX);
		job.peers[job.n++] = p;
	}
	if ((status = mr_cli_period(cmd, "--period", period, &job.period)))
		return status;
	mr_err err = MR_ERR_INIT;
	mr_plan *plan = mr_cli_plan(cli);
	if (!plan)
		return MR_EXIT_FAIL;
	job.plan = plan;
	if (mr_cli_tx(cli, peers_tx, &job, &err)) {
		status = mr_cli_fail(&err);
	} else if (job.show) {
		if (!job.nnow)
			printf("no peers are nominated to rate %s in %s\n", job.login, job.period.label);
		for (size_t i = 0; i < job.nnow; i++)
			printf("%s\n", job.now[i]);
	} else {
		printf("merit: %zu peer%s may rate %s in %s\n", job.n, job.n == 1 ? "" : "s",
		       job.login, job.period.label);
	}
	mr_str_list_free(job.now, job.nnow);
	mr_err_clear(&err);
	mr_plan_free(plan);
	return status;
}

struct calibrate_job {
	const char *login, *grade, *reason;
	mr_period period;
	const mr_plan *plan;
};

static int calibrate_tx(mr_store *s, void *payload, mr_err *err)
{
	struct calibrate_job *job = payload;
	return mr_op_calibrate(s, job->plan, &job->period, job->login, job->grade, job->reason,
	                       err);
}

int mr_cmd_calibrate(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "period", required_argument, NULL, 'p' },
		{ "grade", required_argument, NULL, 'g' },
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("calibrate");
	struct calibrate_job job;
	const char *period = NULL;
	int c, status = 0;
	memset(&job, 0, sizeof job);
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case 'p': period = optarg; break;
		case 'g': job.grade = optarg; break;
		case 'r': job.reason = optarg; break;
		}
	}
	if (argc - optind != 1)
		return mr_cli_usage(cmd, "say whom to calibrate: one LOGIN");
	if (!period || !job.grade || !job.reason || !*job.reason)
		return mr_cli_usage(cmd, "--period, --grade and --reason are required");
	job.login = argv[optind];
	if ((status = mr_cli_period(cmd, "--period", period, &job.period)))
		return status;
	mr_err err = MR_ERR_INIT;
	mr_plan *plan = mr_cli_plan(cli);
	if (!plan)
		return MR_EXIT_FAIL;
	job.plan = plan;
	if (mr_cli_tx(cli, calibrate_tx, &job, &err))
		status = mr_cli_fail(&err);
	else
		printf("merit: %s's grade for %s is %s (calibrated)\n", job.login, job.period.label,
		       job.grade);
	mr_err_clear(&err);
	mr_plan_free(plan);
	return status;
}

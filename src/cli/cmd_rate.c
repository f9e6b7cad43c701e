/* cmd_rate.c — `merit rate`: self, manager, peer and upward ratings by
 * criterion.  Who may rate whom, and on which criteria, is the shared
 * rule of ops/review.c; this file only reads the flags. */
#include "cli/cli.h"

#include <math.h>

#include "ops/ops.h"
#include "util/num.h"

#define MAX_CRIT 64

struct rate_job {
	const char *login, *by, *comment;
	const char *kind, *rater;
	mr_period period;
	const mr_plan *plan;
	const char *crit[MAX_CRIT];
	double stars[MAX_CRIT];
	int n;
};

static int rate_tx(mr_store *s, void *payload, mr_err *err)
{
	struct rate_job *job = payload;
	mr_rating_in r = { job->login, job->kind, job->rater, job->comment,
	                   job->crit, job->stars, (size_t)job->n };
	mr_staff who;
	int rc = mr_op_rate(s, job->plan, &job->period, &r, err);
	if (rc || mr_store_staff_get(s, job->login, &who, NULL))
		return rc;
	/* SPEC 4: a criterion this rater left out counts 0 */
	size_t ncrit;
	const mr_criterion *crit = mr_plan_criteria(job->plan, who.position, &ncrit);
	for (size_t k = 0; k < ncrit; k++) {
		int given = 0;
		for (int i = 0; i < job->n; i++)
			given |= strcmp(job->crit[i], crit[k].key) == 0;
		if (!given)
			fprintf(stderr, "merit: note: criterion %s (weight %g) not rated here: unless this "
			        "rater rates it, it counts 0\n", crit[k].key, crit[k].weight);
	}
	mr_staff_release(&who);
	return 0;
}

int mr_cmd_rate(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "period", required_argument, NULL, 'p' },
		{ "by", required_argument, NULL, 'b' },
		{ "criterion", required_argument, NULL, 'c' },
		{ "comment", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("rate");
	struct rate_job job;
	const char *period = NULL;
	char *crit_args[MAX_CRIT];
	int c, status = 0, ncrit = 0;
	memset(&job, 0, sizeof job);
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case 'p': period = optarg; break;
		case 'b': job.by = optarg; break;
		case 'm': job.comment = optarg; break;
		case 'c':
			if (ncrit == MAX_CRIT)
				return mr_cli_usage(cmd, "too many --criterion");
			crit_args[ncrit++] = optarg;
			break;
		}
	}
	if (argc - optind != 1)
		return mr_cli_usage(cmd, "say which LOGIN to rate");
	job.login = argv[optind];
	if (!period || !job.by || !ncrit)
		return mr_cli_usage(cmd, "--period, --by and at least one --criterion KEY=STARS are "
		                    "required");
	if (strcmp(job.by, "self") == 0 || strcmp(job.by, "manager") == 0) {
		job.kind = job.by;
	} else if (strncmp(job.by, "peer:", 5) == 0 && job.by[5]) {
		job.kind = "peer";
		job.rater = job.by + 5;
	} else if (strncmp(job.by, "upward:", 7) == 0 && job.by[7]) {
		job.kind = "upward";
		job.rater = job.by + 7;
	} else {
		return mr_cli_usage(cmd, "--by \"%s\": say self, manager, peer:LOGIN or upward:LOGIN",
		                    job.by);
	}
	if ((status = mr_cli_period(cmd, "--period", period, &job.period)))
		return status;
	mr_err err = MR_ERR_INIT;
	mr_plan *plan = mr_cli_plan(cli);
	if (!plan)
		return MR_EXIT_FAIL;
	for (int i = 0; i < ncrit; i++) {
		char *eq = strchr(crit_args[i], '=');
		double stars;
		if (!eq) {
			status = mr_cli_usage(cmd, "--criterion \"%s\": say KEY=STARS", crit_args[i]);
			goto done;
		}
		*eq = 0;
		if (mr_num_parse(&stars, eq + 1)) {
			status = mr_cli_usage(cmd, "--criterion %s=%s: stars are a number, like 4 or 3.5",
			                      crit_args[i], eq + 1);
			goto done;
		}
		for (int k = 0; k < job.n; k++)
			if (strcmp(job.crit[k], crit_args[i]) == 0) {
				status = mr_cli_usage(cmd, "--criterion %s given twice", crit_args[i]);
				goto done;
			}
		job.crit[job.n] = crit_args[i];
		job.stars[job.n++] = stars;
	}
	job.plan = plan;
	if (mr_cli_tx(cli, rate_tx, &job, &err))
		status = mr_cli_fail(&err);
	else
		printf("merit: %s rated by %s%s%s for %s\n", job.login, job.kind,
		       job.rater ? " " : "", job.rater ? job.rater : "", job.period.label);
done:
	mr_err_clear(&err);
	mr_plan_free(plan);
	return status;
}

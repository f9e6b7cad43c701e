/* cmd_rate.c — `merit rate`: self, manager and peer ratings by criterion. */
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
	return mr_op_rate(s, job->plan, &job->period, &r, err);
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
	} else {
		return mr_cli_usage(cmd, "--by \"%s\": say self, manager or peer:LOGIN", job.by);
	}
	mr_err err = MR_ERR_INIT;
	if (mr_period_parse(&job.period, period, &err)) {
		status = mr_cli_usage(cmd, "--period: %s", err.msg);
		mr_err_clear(&err);
		return status;
	}
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
		int known = 0;
		for (size_t k = 0; k < plan->ncriteria; k++)
			known |= strcmp(plan->criteria[k].key, crit_args[i]) == 0;
		if (!known) {
			fprintf(stderr, "merit: --criterion \"%s\": the plan has no such criterion; it has:",
			        crit_args[i]);
			for (size_t k = 0; k < plan->ncriteria; k++)
				fprintf(stderr, " %s", plan->criteria[k].key);
			fprintf(stderr, "\n");
			status = MR_EXIT_FAIL;
			goto done;
		}
		if (mr_num_parse(&stars, eq + 1) || stars < 1 || stars > plan->rating_scale ||
		    floor(stars * 2) != stars * 2) {
			fprintf(stderr, "merit: --criterion %s=%s: stars go from 1 to %d, in halves\n",
			        crit_args[i], eq + 1, plan->rating_scale);
			status = MR_EXIT_FAIL;
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
	for (size_t k = 0; k < plan->ncriteria; k++) {
		int given = 0;
		for (int i = 0; i < job.n; i++)
			given |= strcmp(job.crit[i], plan->criteria[k].key) == 0;
		if (!given)
			fprintf(stderr, "merit: note: criterion %s (weight %g) not rated here: unless this "
			        "rater rates it, it counts 0\n", plan->criteria[k].key,
			        plan->criteria[k].weight);
	}
	if (mr_cli_tx(cli, rate_tx, &job, &err))
		status = mr_cli_fail(&err);
	else
		printf("merit: %s rated by %s%s%s for %s\n", job.login, job.kind,
		       job.rater && strcmp(job.kind, "peer") == 0 ? " " : "",
		       job.rater && strcmp(job.kind, "peer") == 0 ? job.rater : "", job.period.label);
done:
	mr_err_clear(&err);
	mr_plan_free(plan);
	return status;
}

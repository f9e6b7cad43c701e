/* cmd_init.c — `merit init`: a new database with the built-in plan. */
#include "cli/cli.h"

#include "report/plan_write.h"
#include "util/buf.h"

struct init_job {
	const char *yaml;
};

static int init_tx(mr_store *s, void *payload, mr_err *err)
{
	struct init_job *job = payload;
	char *old = NULL;
	mr_err e2 = MR_ERR_INIT;
	int rc = mr_store_plan_get(s, &old, &e2);
	if (rc && rc != MR_ENOTFOUND)   /* not asked again: it may work then */
		rc = mr_err_set(err, rc, "%s", e2.msg ? e2.msg : mr_err_str(rc));
	mr_err_clear(&e2);
	free(old);
	if (rc == 0)
		return mr_err_set(err, MR_EEXISTS, "this database has a plan already; change it "
		                  "with `merit plan import FILE`");
	if (rc != MR_ENOTFOUND)
		return rc;
	return mr_store_plan_put(s, job->yaml, err);
}

int mr_cmd_init(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "goal", required_argument, NULL, 'g' },
		{ "period", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("init");
	int c, status = 0, goal = -1, period = MR_PERIOD_MONTH;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		if (c == -2)
			return status;
		if (c == 'g' && (goal = mr_goal_parse(optarg)) < 0)
			return mr_cli_usage(cmd, "--goal \"%s\": choose brand, platform, sales or none", optarg);
		if (c == 'p' && (period = mr_period_kind_parse(optarg)) < 0)
			return mr_cli_usage(cmd, "--period \"%s\": choose month, quarter, half or year", optarg);
	}
	if (goal < 0)
		return mr_cli_usage(cmd, "--goal is required (brand, platform, sales or none)");
	if (optind < argc)
		return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind]);

	mr_err err = MR_ERR_INIT;
	mr_plan *plan = NULL;
	mr_buf yaml;
	mr_buf_init(&yaml);
	int rc = mr_plan_builtin(&plan, (mr_goal)goal, (mr_period_kind)period, &err);
	if (!rc) {
		mr_plan_write(&yaml, plan);
		struct init_job job = { yaml.data };
		cli->create_ok = 1;
		rc = mr_cli_tx(cli, init_tx, &job, &err);
	}
	if (rc)
		status = mr_cli_fail(&err);
	else
		printf("merit: %s ready, goal %s, %s cycles; see `merit plan show`, then "
		       "`merit staff add`\n", cli->db, mr_goal_name((mr_goal)goal),
		       mr_period_kind_name((mr_period_kind)period));
	mr_buf_release(&yaml);
	mr_plan_free(plan);
	mr_err_clear(&err);
	return status;
}

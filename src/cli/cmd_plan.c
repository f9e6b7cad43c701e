/* cmd_plan.c — `merit plan show|export|import`. */
#include "cli/cli.h"

#include "ingest/plan_yaml.h"
#include "ops/ops.h"
#include "util/file.h"
#include "util/num.h"

static int plan_show(mr_cli *cli)
{
	mr_plan *p = mr_cli_plan(cli);
	char num[40];
	if (!p)
		return MR_EXIT_FAIL;
	if (p->goal == MR_GOAL_NONE)
		printf("goal: none — no operating goal is set; the team indicators say so\n");
	else
		printf("goal: %s\n", mr_goal_name(p->goal));
	if (p->has_locale)
		printf("locale: %s (the language of reports)\n", mr_locale_name(p->locale));
	printf("cycle: %s   missing data: %s (scored from %g%% KPI coverage)   ratings: 1..%d "
	       "stars   peers: %s\n", mr_period_kind_name(p->period), mr_missing_name(p->missing),
	       p->min_coverage, p->rating_scale, mr_peers_name(p->peers));
	if (p->formula)
		printf("final score: formula %s\n", p->formula);
	else
		printf("final score: kpi %g%%, manager %g%%, self %g%%, peer %g%%, upward %g%%\n",
		       p->blend[MR_COMP_KPI], p->blend[MR_COMP_MANAGER],
		       p->blend[MR_COMP_SELF], p->blend[MR_COMP_PEER], p->blend[MR_COMP_UPWARD]);
	printf("grades:");
	for (size_t i = 0; i < p->ngrades; i++) {
		mr_fixed_format(num, p->grades[i].coef, MR_COEF_SCALE, 1);
		printf(" %s≥%g(×%s)", p->grades[i].grade, p->grades[i].min, num);
	}
	printf("\n\n");
	for (size_t i = 0; i < p->npositions; i++) {
		const mr_position *pos = &p->positions[i];
		printf("%s — %s (%s)", pos->key, pos->name, pos->stage ? pos->stage : "-");
		if (pos->has_base_bonus) {
			mr_money_format(num, pos->base_bonus_cents);
			printf(", base bonus %s", num);
		}
		printf("\n");
		if (pos->duties)
			printf("  duties: %s\n", pos->duties);
		size_t nc;
		const mr_criterion *cr = mr_plan_criteria(p, pos->key, &nc);
		printf("  rated on:");
		for (size_t k = 0; k < nc; k++)
			printf("%s %s %g%%", k ? "," : "", cr[k].key, cr[k].weight);
		printf("%s\n", pos->has_criteria ? "" : " (the plan's criteria)");
		for (size_t k = 0; k < pos->nkpis; k++) {
			const mr_kpi *kp = &pos->kpis[k];
			const mr_indicator *ind = mr_plan_indicator(p, kp->indicator);
			printf("  %5g%%  ", kp->weight);
			mr_cli_pad(stdout, kp->indicator, 20);
			printf(" %-6s %-7s", mr_rule_name(kp->rule), kp->team ? "team" : "person");
			if (kp->has_target) {
				mr_num_format(num, kp->target);
				printf(" target %s", num);
			}
			if (kp->has_threshold) {
				mr_num_format(num, kp->threshold);
				printf(" threshold %s", num);
			}
			if (ind)
				printf("  (%s, %s is better)", ind->name,
				       ind->direction == MR_DIR_LOWER ? "lower" : "higher");
			printf("\n");
		}
	}
	mr_plan_free(p);
	return MR_EXIT_OK;
}

static int plan_export(mr_cli *cli, const char *file)
{
	mr_err err = MR_ERR_INIT;
	char *yaml = NULL;
	mr_store *s = mr_cli_store(cli);
	int status = MR_EXIT_OK;
	if (!s)
		return MR_EXIT_FAIL;
	if (mr_store_plan_get(s, &yaml, &err) ||
	    mr_file_write(file ? file : "-", yaml, strlen(yaml), &err))
		status = mr_cli_fail(&err);
	free(yaml);
	mr_err_clear(&err);
	return status;
}

struct import_job {
	const mr_plan *plan;
	const char *yaml;
};

static int import_tx(mr_store *s, void *payload, mr_err *err)
{
	struct import_job *job = payload;
	return mr_op_plan_put(s, job->plan, job->yaml, err);
}

static int plan_import(mr_cli *cli, const char *file)
{
	mr_err err = MR_ERR_INIT;
	char *yaml = NULL;
	size_t len = 0;
	mr_plan *plan = NULL;
	int status = MR_EXIT_OK;
	if (mr_file_read(&yaml, &len, file, &err) ||
	    mr_plan_parse(&plan, yaml, len, file, &err)) {
		status = mr_cli_fail(&err);
		goto done;
	}
	if (strlen(yaml) != len) {
		mr_err_set(&err, MR_EINVALID, "%s: the file holds a NUL byte", file);
		status = mr_cli_fail(&err);
		goto done;
	}
	struct import_job job = { plan, yaml };
	if (mr_cli_tx(cli, import_tx, &job, &err))
		status = mr_cli_fail(&err);
	else
		printf("merit: plan imported from %s (goal %s, %zu positions)\n", file,
		       mr_goal_name(plan->goal), plan->npositions);
done:
	mr_plan_free(plan);
	free(yaml);
	mr_err_clear(&err);
	return status;
}

int mr_cmd_plan(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("plan");
	int c, status = 0;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1)
		if (c == -2)
			return status;
	const char *verb = optind < argc ? argv[optind] : NULL;
	int nargs = argc - optind - 1;
	if (!verb)
		return mr_cli_usage(cmd, "say show, export or import");
	if (strcmp(verb, "show") == 0 && nargs == 0)
		return plan_show(cli);
	if (strcmp(verb, "export") == 0 && nargs <= 1)
		return plan_export(cli, nargs ? argv[optind + 1] : NULL);
	if (strcmp(verb, "import") == 0 && nargs == 1)
		return plan_import(cli, argv[optind + 1]);
	if (strcmp(verb, "import") == 0)
		return mr_cli_usage(cmd, "import needs one FILE");
	return mr_cli_usage(cmd, "\"%s\": say show, export [FILE] or import FILE", verb);
}

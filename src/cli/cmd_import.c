/* cmd_import.c — `merit import KIND FILE`: a file becomes one batch. */
#include "cli/cli.h"

#include "cli/progress.h"
#include "ingest/import.h"

struct import_job {
	const mr_plan *plan;
	const char *kind, *path;
	mr_import_opts o;
	mr_import_result res;
};

static int import_tx(mr_store *s, void *payload, mr_err *err)
{
	struct import_job *job = payload;
	return mr_import_measurements(s, job->plan, job->path, &job->o, &job->res, err);
}

static const char *const later_kinds[] = {
	"orders", "leads", "content", "posts", "ranks", "tasks", "uptime", "members", NULL
};

int mr_cmd_import(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "replace", no_argument, NULL, 'r' },
		{ "skip-bad", no_argument, NULL, 's' },
		{ "preset", required_argument, NULL, 'p' },
		{ "map", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("import");
	struct import_job job;
	int c, status = 0;
	memset(&job, 0, sizeof job);
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case 'r': job.o.replace = 1; break;
		case 's': job.o.skip_bad = 1; break;
		case 'p': case 'm':
			return mr_cli_usage(cmd, "--preset and --map apply to the data-source "
			                    "importers, not to measurements");
		}
	}
	if (argc - optind != 2)
		return mr_cli_usage(cmd, "say KIND FILE");
	job.kind = argv[optind];
	job.path = argv[optind + 1];
	if (strcmp(job.kind, "measurements") != 0) {
		for (int i = 0; later_kinds[i]; i++)
			if (strcmp(later_kinds[i], job.kind) == 0) {
				fprintf(stderr, "merit: importing %s files is not available in this "
				        "version; convert them to the measurements CSV "
				        "(date,indicator,login,value,denominator) meanwhile\n", job.kind);
				return MR_EXIT_FAIL;
			}
		return mr_cli_usage(cmd, "\"%s\" is not a kind of import", job.kind);
	}
	mr_plan *plan = mr_cli_plan(cli);
	if (!plan)
		return MR_EXIT_FAIL;
	job.plan = plan;
	mr_import_result_init(&job.res);
	mr_err err = MR_ERR_INIT;
	mr_bar bar;
	mr_bar_init(&bar, job.path);
	job.o.progress.fn = mr_bar_update;
	job.o.progress.payload = &bar;
	int rc = mr_cli_tx(cli, import_tx, &job, &err);
	mr_bar_done(&bar);
	if (job.res.notes.len)
		fputs(job.res.notes.data, stderr);
	if (rc) {
		status = mr_cli_fail(&err);
		fprintf(stderr, "merit: nothing was imported\n");
	} else {
		printf("merit: imported %ld measurements from %s as batch %lld", job.res.rows,
		       job.path, (long long)job.res.batch);
		if (job.res.replaced)
			printf(", replacing batch %lld", (long long)job.res.replaced);
		if (job.res.skipped)
			printf("; %ld bad rows skipped", job.res.skipped);
		printf("\n");
	}
	mr_import_result_release(&job.res);
	mr_err_clear(&err);
	mr_plan_free(plan);
	return status;
}

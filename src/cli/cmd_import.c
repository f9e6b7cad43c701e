/* cmd_import.c — `merit import KIND FILE`: a file becomes one batch. */
#include "cli/cli.h"

#include "cli/progress.h"
#include "core/period.h"
#include "ingest/import.h"
#include "util/buf.h"

struct import_job {
	const mr_plan *plan;
	const char *kind, *path;
	mr_import_opts o;
	mr_import_result res;
};

static int import_tx(mr_store *s, void *payload, mr_err *err)
{
	struct import_job *job = payload;
	return mr_import_file(s, job->plan, job->kind, job->path, &job->o, &job->res, err);
}

int mr_cmd_import(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "replace", no_argument, NULL, 'r' },
		{ "skip-bad", no_argument, NULL, 's' },
		{ "preset", required_argument, NULL, 'p' },
		{ "map", required_argument, NULL, 'm' },
		{ "map-file", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 'S' },
		{ "date", required_argument, NULL, 'd' },
		{ "date-order", required_argument, NULL, 'o' },
		{ "value", required_argument, NULL, 'v' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "sheet", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("import");
	struct import_job job;
	const char **maps = NULL, **values = NULL;
	size_t nmaps = 0, nvalues = 0;
	int c, status = 0, known = 0;
	memset(&job, 0, sizeof job);
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: goto done;
		case 'r': job.o.replace = 1; break;
		case 's': job.o.skip_bad = 1; break;
		case 'p': job.o.preset = optarg; break;
		case 'm': {   /* --map may be given more than once: one value each */
			const char **more = realloc(maps, (nmaps + 2) * sizeof *maps);
			if (!more) {
				fprintf(stderr, "merit: out of memory\n");
				status = MR_EXIT_FAIL;
				goto done;
			}
			maps = more;
			maps[nmaps++] = optarg;
			maps[nmaps] = NULL;
			break;
		}
		case 'v': {   /* --value FIELD:SOURCE=MERIT, repeatable */
			const char **more = realloc(values, (nvalues + 2) * sizeof *values);
			if (!more) {
				fprintf(stderr, "merit: out of memory\n");
				status = MR_EXIT_FAIL;
				goto done;
			}
			values = more;
			values[nvalues++] = optarg;
			values[nvalues] = NULL;
			break;
		}
		case 'o':
			if (strcmp(optarg, "dmy") == 0) {
				job.o.date_order = MR_DATE_DMY;
			} else if (strcmp(optarg, "mdy") == 0) {
				job.o.date_order = MR_DATE_MDY;
			} else {
				status = mr_cli_usage(cmd, "--date-order \"%s\": say dmy (day first, "
				                      "03/11/2026 is 3 November) or mdy (month first)", optarg);
				goto done;
			}
			break;
		case 'f': job.o.map_file = optarg; break;
		case 'e': job.o.encoding = optarg; break;
		case 'x': job.o.sheet = optarg; break;
		case 'S': job.o.strict = 1; break;
		case 'd':
			if (mr_day_parse(&job.o.date, optarg)) {
				status = mr_cli_usage(cmd, "--date \"%s\" is not a date (YYYY-MM-DD)", optarg);
				goto done;
			}
			job.o.has_date = 1;
			break;
		}
	}
	if (argc - optind != 2) {
		status = mr_cli_usage(cmd, "say KIND FILE");
		goto done;
	}
	job.kind = argv[optind];
	job.path = argv[optind + 1];
	for (int i = 0; mr_import_kinds[i]; i++)
		known |= strcmp(mr_import_kinds[i], job.kind) == 0;
	if (!known) {
		status = mr_cli_usage(cmd, "\"%s\" is not a kind of import: orders, tasks, ranks, "
		                      "leads, content, posts, members, uptime or measurements",
		                      job.kind);
		goto done;
	}
	job.o.maps = maps;
	job.o.values = values;
	mr_plan *plan = mr_cli_plan(cli);
	if (!plan) {
		status = MR_EXIT_FAIL;
		goto done;
	}
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
		if (job.res.preset && strcmp(job.res.preset, "generic") != 0)
			printf(" (preset %s)", job.res.preset);
		if (job.res.replaced)
			printf(", replacing batch %lld", (long long)job.res.replaced);
		if (job.res.skipped)
			printf("; %ld bad rows skipped", job.res.skipped);
		printf("\n");
	}
	mr_import_result_release(&job.res);
	mr_err_clear(&err);
	mr_plan_free(plan);
done:
	free(maps);
	free(values);
	return status;
}

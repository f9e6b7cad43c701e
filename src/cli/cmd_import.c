/* cmd_import.c — `merit import KIND FILE` (or `merit import --source NAME
 * FILE`): a file becomes one batch.  The options that describe a file's
 * layout are parsed here for `merit source add` too. */
#include "cli/cli.h"

#include "cli/progress.h"
#include "core/period.h"
#include "ingest/import.h"
#include "ingest/source.h"
#include "util/buf.h"
#include "util/vec.h"

/* A repeatable option's values, NULL-terminated. */
static int push(const char ***list, size_t *n, size_t *cap, const char *v)
{
	if (mr_vec_reserve(list, cap, *n, 2, sizeof **list))
		return MR_ENOMEM;
	(*list)[(*n)++] = v;
	(*list)[*n] = NULL;
	return 0;
}

int mr_cli_file_opt(const mr_command *cmd, int c, mr_cli_file_opts *f, int *status)
{
	switch (c) {
	case 'p': f->o->preset = optarg; return 1;
	case 'f': f->o->map_file = optarg; return 1;
	case 'S': f->o->strict = 1; return 1;
	case 'e': f->o->encoding = optarg; return 1;
	case 'x': f->o->sheet = optarg; return 1;
	case 'm':   /* --map may be given more than once: one value each */
	case 'v':   /* --value FIELD:SOURCE=MERIT, repeatable */
		if (c == 'm' ? push(&f->maps, &f->nmaps, &f->capmaps, optarg) :
		               push(&f->values, &f->nvalues, &f->capvalues, optarg)) {
			fprintf(stderr, "merit: out of memory\n");
			*status = MR_EXIT_FAIL;
			return -1;
		}
		f->o->maps = f->maps;
		f->o->values = f->values;
		return 1;
	case 'o':
		if (strcmp(optarg, "dmy") == 0) {
			f->o->date_order = MR_DATE_DMY;
		} else if (strcmp(optarg, "mdy") == 0) {
			f->o->date_order = MR_DATE_MDY;
		} else {
			*status = mr_cli_usage(cmd, "--date-order \"%s\": say dmy (day first, "
			                       "03/11/2026 is 3 November) or mdy (month first)", optarg);
			return -1;
		}
		return 1;
	}
	return 0;
}

void mr_cli_file_opts_free(mr_cli_file_opts *f)
{
	free(f->maps);
	free(f->values);
}

struct import_job {
	const mr_plan *plan;
	const char *kind, *path, *source;
	mr_source src;
	mr_import_opts o;
	mr_import_result res;
};

static int import_tx(mr_store *s, void *payload, mr_err *err)
{
	struct import_job *job = payload;
	int rc;
	mr_import_result_release(&job->res);    /* a run before this one, if any */
	mr_import_result_init(&job->res);
	if (job->source) {
		mr_source_release(&job->src);
		if ((rc = mr_source_load(s, job->source, &job->src, err)))
			return rc;
		if (job->kind && strcmp(job->kind, job->src.kind) != 0)
			return mr_err_set(err, MR_EINVALID, "--source %s is for %s files, not %s; leave "
			                  "out the kind, or use a source saved for %s files",
			                  job->src.name, job->src.kind, job->kind, job->kind);
		job->kind = job->src.kind;
		if ((rc = mr_source_apply(&job->src, &job->o, err)))
			return rc;
	}
	return mr_import_file(s, job->plan, job->kind, job->path, &job->o, &job->res, err);
}

static int known_kind(const char *kind)
{
	for (int i = 0; mr_import_kinds[i]; i++)
		if (strcmp(mr_import_kinds[i], kind) == 0)
			return 1;
	return 0;
}

int mr_cmd_import(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "replace", no_argument, NULL, 'r' },
		{ "skip-bad", no_argument, NULL, 's' },
		{ "date", required_argument, NULL, 'd' },
		{ "source", required_argument, NULL, 'u' },
		{ "indicator", required_argument, NULL, 'i' },
		MR_CLI_FILE_OPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("import");
	struct import_job job;
	mr_cli_file_opts fo;
	int c, status = 0, got;
	memset(&job, 0, sizeof job);
	memset(&fo, 0, sizeof fo);
	fo.o = &job.o;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		if (c == -2 || (got = mr_cli_file_opt(cmd, c, &fo, &status)) < 0)
			goto done;
		if (got)
			continue;
		switch (c) {
		case 'r': job.o.replace = 1; break;
		case 's': job.o.skip_bad = 1; break;
		case 'u': job.source = optarg; break;
		case 'i': job.o.indicator = optarg; break;
		case 'd':
			if (mr_day_parse(&job.o.date, optarg)) {
				status = mr_cli_usage(cmd, "--date \"%s\" is not a date (YYYY-MM-DD)", optarg);
				goto done;
			}
			job.o.has_date = 1;
			break;
		}
	}
	if (job.source && argc - optind == 1) {
		job.path = argv[optind];      /* the kind is the source's */
	} else if (argc - optind == 2) {
		job.kind = argv[optind];
		job.path = argv[optind + 1];
	} else {
		status = mr_cli_usage(cmd, job.source ? "say --source NAME FILE" : "say KIND FILE");
		goto done;
	}
	if (job.kind && !known_kind(job.kind)) {
		status = mr_cli_usage(cmd, "\"%s\" is not a kind of import: " MR_IMPORT_KINDS_TEXT,
		                      job.kind);
		goto done;
	}
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
	/* --replace removes batches: checked and done under the lock */
	int rc = job.o.replace ? mr_cli_tx(cli, import_tx, &job, &err)
	                       : mr_cli_tx_staged(cli, import_tx, &job, &err);
	mr_bar_done(&bar);
	if (job.res.notes.len)
		fputs(job.res.notes.data, stderr);
	if (rc) {
		status = mr_cli_fail(&err);
		fprintf(stderr, "merit: nothing was imported\n");
	} else {
		printf("merit: imported %ld measurements from %s as batch %lld", job.res.rows,
		       job.path, (long long)job.res.batch);
		if (job.source)
			printf(" (source %s%s%s)", job.src.name,
			       job.res.preset && strcmp(job.res.preset, "generic") != 0 ? ", preset " : "",
			       job.res.preset && strcmp(job.res.preset, "generic") != 0 ?
			       job.res.preset : "");
		else if (job.res.preset && strcmp(job.res.preset, "generic") != 0)
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
	mr_source_release(&job.src);
	mr_cli_file_opts_free(&fo);
	return status;
}

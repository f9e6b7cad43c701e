/* cmd_ingest.c — `merit ingest LOGFILE...`: web access logs become
 * traffic per site and day, one batch per file, all in one transaction.
 */
#include "cli/cli.h"

#include <limits.h>
#include <time.h>

#include "cli/progress.h"
#include "ingest/log.h"

struct ingest_job {
	const mr_plan *plan;
	char **paths;
	int npaths;
	mr_log_format *format;
	const char *site;
	int strict;
	mr_log_result *res;
	double *secs;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int ingest_tx(mr_store *s, void *payload, mr_err *err)
{
	struct ingest_job *job = payload;
	int rc = 0;
	for (int i = 0; i < job->npaths && !rc; i++) {
		mr_bar bar;
		mr_log_opts o = { job->format, job->site, job->strict, { mr_bar_update, &bar }, NULL };
		double t0 = now();
		mr_bar_init(&bar, job->paths[i]);
		rc = mr_log_ingest(s, job->plan, job->paths[i], &o, &job->res[i], err);
		mr_bar_done(&bar);
		/* the same as a file before it in this command: that batch goes
		 * with the rest, so it is not the one to remove */
		for (int k = 0; rc == MR_EEXISTS && k < i; k++)
			if (job->res[k].batch && job->res[k].batch == job->res[i].same_as) {
				mr_err_clear(err);
				rc = mr_err_set(err, MR_EEXISTS, "%s: the same content as %s, given "
				                "before it in this command: give it once", job->paths[i],
				                job->paths[k]);
			}
		job->secs[i] = now() - t0;
		if (job->res[i].notes.len)
			fputs(job->res[i].notes.data, stderr);
		if (!rc && !job->res[i].empty && job->res[i].failed > MR_LOG_MAX_NOTES)
			fprintf(stderr, "merit: %s: %lld more failed lines not listed\n", job->paths[i],
			        job->res[i].failed - MR_LOG_MAX_NOTES);
	}
	return rc;
}

int mr_cmd_ingest(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "site", required_argument, NULL, 's' },
		{ "strict", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("ingest");
	struct ingest_job job;
	const char *format = NULL;   /* detected per file */
	int c, status = 0;
	mr_err err = MR_ERR_INIT;
	mr_plan *plan = NULL;
	memset(&job, 0, sizeof job);
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case 'f': format = optarg; break;
		case 's':
			if (!*optarg)
				return mr_cli_usage(cmd, "--site needs a NAME");
			job.site = optarg;
			break;
		case 'S': job.strict = 1; break;
		}
	}
	if (optind >= argc)
		return mr_cli_usage(cmd, "say which LOGFILE (or - for standard input)");
	int stdins = 0;
	for (int i = optind; i < argc; i++)
		stdins += strcmp(argv[i], "-") == 0;
	if (stdins > 1)
		return mr_cli_usage(cmd, "standard input (-) can be read only once");
	if (format && mr_log_format_compile(&job.format, format, &err)) {
		status = mr_cli_usage(cmd, "%s", err.msg);
		mr_err_clear(&err);
		return status;
	}
	job.npaths = argc - optind;
	job.paths = malloc((size_t)job.npaths * sizeof *job.paths);
	long long *first = malloc((size_t)job.npaths * sizeof *first);
	if (!job.paths || !first) {
		free(first);
		fprintf(stderr, "merit: out of memory\n");
		status = MR_EXIT_FAIL;
		goto done;
	}
	/* in time order, by each file's first line (stable; standard input
	 * last): visits run on across files, so `access.log*` listed newest
	 * first counts as the files read oldest first */
	for (int i = 0; i < job.npaths; i++) {
		char *p = argv[optind + i];
		long long t = strcmp(p, "-") == 0 ? LLONG_MAX : mr_log_first_time(p, job.format);
		int k = i;
		for (; k > 0 && first[k - 1] > t; k--) {
			first[k] = first[k - 1];
			job.paths[k] = job.paths[k - 1];
		}
		first[k] = t;
		job.paths[k] = p;
	}
	free(first);
	job.res = calloc((size_t)job.npaths, sizeof *job.res);
	job.secs = calloc((size_t)job.npaths, sizeof *job.secs);
	if (!job.res || !job.secs) {
		fprintf(stderr, "merit: out of memory\n");
		status = MR_EXIT_FAIL;
		goto done;
	}
	for (int i = 0; i < job.npaths; i++)
		mr_log_result_init(&job.res[i]);
	if (!(plan = mr_cli_plan(cli))) {
		status = MR_EXIT_FAIL;
		goto done;
	}
	job.plan = plan;
	if (mr_cli_tx(cli, ingest_tx, &job, &err)) {
		status = mr_cli_fail(&err);
		fprintf(stderr, "merit: nothing was ingested\n");
		goto done;
	}
	for (int i = 0; i < job.npaths; i++) {
		const mr_log_result *r = &job.res[i];
		if (r->empty)
			continue;
		double secs = job.secs[i] > 1e-6 ? job.secs[i] : 1e-6;
		printf("merit: ingested %s as batch %lld: %lld lines", job.paths[i],
		       (long long)r->batch, r->requests + r->failed);
		if (r->skipped)
			printf(" (after %lld ingested before)", r->skipped);
		if (r->seen)
			printf(", %lld skipped (counted by an earlier batch)", r->seen);
		printf(", %lld failed, %d site-days, %.2f s, %.1f MB/s; format %s%s\n", r->failed,
		       r->days, secs, (double)r->bytes / 1e6 / secs, r->format,
		       r->detected ? " (detected)" : "");
		if (r->held)
			printf("merit: %s: its last line has no newline yet (it was changed in the last "
			       "5 minutes, so it may be being written): left for the next run, which "
			       "reads it once the log has grown or the file is 5 minutes old\n",
			       job.paths[i]);
	}
done:
	if (job.res)
		for (int i = 0; i < job.npaths; i++)
			mr_log_result_release(&job.res[i]);
	free(job.res);
	free(job.secs);
	free(job.paths);
	mr_log_format_free(job.format);
	mr_plan_free(plan);
	mr_err_clear(&err);
	return status;
}

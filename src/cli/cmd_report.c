/* cmd_report.c — `merit report`: the appraisal written to a file. */
#include "cli/cli.h"

#include "report/appraise.h"
#include "report/score_json.h"
#include "report/score_text.h"
#include "util/file.h"

int mr_cmd_report(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "who", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("report");
	const char *format = NULL, *file = NULL, *who = NULL;
	int c, status = 0;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return mr_cli_help(cmd);
		case 'f': format = optarg; break;
		case 'o': file = optarg; break;
		case 'w': who = optarg; break;
		case ':': return mr_cli_usage(cmd, "option %s needs a value", argv[optind - 1]);
		default: return mr_cli_usage(cmd, "unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return mr_cli_usage(cmd, "say which PERIOD");
	if (!format || !file)
		return mr_cli_usage(cmd, "--format and -o FILE are required");
	if (strcmp(format, "html") == 0 || strcmp(format, "xlsx") == 0 || strcmp(format, "pdf") == 0) {
		fprintf(stderr, "merit: --format %s is not available in this version; use csv or "
		        "json\n", format);
		return MR_EXIT_FAIL;
	}
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return mr_cli_usage(cmd, "--format \"%s\": choose csv or json", format);

	mr_err err = MR_ERR_INIT;
	mr_period period;
	mr_appraisal a;
	mr_buf out;
	mr_plan *plan = NULL;
	memset(&a, 0, sizeof a);
	mr_buf_init(&out);
	if (mr_period_parse(&period, argv[optind], &err)) {
		status = mr_cli_usage(cmd, "%s", err.msg);
		goto done;
	}
	mr_store *s = mr_cli_store(cli);
	if (!s || !(plan = mr_cli_plan(cli))) {
		status = MR_EXIT_FAIL;
		goto done;
	}
	if (mr_store_begin_read(s, &err))
		goto fail;
	int rc = mr_appraise(&a, s, plan, &period, 1, &err);
	mr_store_rollback(s);
	if (rc)
		goto fail;
	if (who) {
		size_t i;
		for (i = 0; i < a.result->npeople && strcmp(a.result->people[i].login, who); i++)
			;
		if (i == a.result->npeople) {
			mr_err_set(&err, MR_ENOTFOUND, "%s has no score in %s", who, period.label);
			goto fail;
		}
	}
	if (strcmp(format, "json") == 0) {
		char *t = mr_result_json(a.result, who, 1);
		if (!t) {
			mr_err_set(&err, MR_ENOMEM, "out of memory");
			goto fail;
		}
		mr_buf_puts(&out, t);
		mr_buf_putc(&out, '\n');
		free(t);
	} else {
		mr_score_csv(&out, a.result, who);
	}
	if (mr_file_write(file, out.data, out.len, &err))
		goto fail;
	if (strcmp(file, "-") != 0)
		fprintf(stderr, "merit: wrote %s\n", file);
	goto done;
fail:
	status = mr_cli_fail(&err);
done:
	mr_appraisal_release(&a);
	mr_buf_release(&out);
	mr_plan_free(plan);
	mr_err_clear(&err);
	return status;
}

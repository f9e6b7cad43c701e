/* cmd_report.c — `merit report`: the appraisal written to a file, in one
 * of the report formats (report/report.h writes them; the web's downloads
 * call the same function).  Peer and upward raters are "peer 1",
 * "upward 1"… unless --names asks for the admin's copy (SPEC 2: never
 * named in anything made for the rated person, and the team's PDF is the
 * stack of forms each person signs).  The labels are in --lang, else the
 * plan's locale, else English. */
#include "cli/cli.h"

#include "report/report.h"

int mr_cmd_report(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "who", required_argument, NULL, 'w' },
		{ "names", no_argument, NULL, 'n' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("report");
	const char *format = NULL, *file = NULL, *who = NULL, *lang = NULL;
	int c, status = 0, names = 0;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return mr_cli_help(cmd);
		case 'f': format = optarg; break;
		case 'o': file = optarg; break;
		case 'w': who = optarg; break;
		case 'n': names = 1; break;
		case 'l': lang = optarg; break;
		case ':': return mr_cli_usage(cmd, "option %s needs a value", argv[optind - 1]);
		default: return mr_cli_usage(cmd, "unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return mr_cli_usage(cmd, "say which PERIOD");
	if (!format || !file)
		return mr_cli_usage(cmd, "--format and -o FILE are required");
	if (!mr_report_format_known(format))
		return mr_cli_usage(cmd, "--format \"%s\": choose html, xlsx, pdf, csv or json", format);
	if (!*file)
		return mr_cli_usage(cmd, "-o needs a file name (or - for standard output)");
	if (lang && mr_locale_parse(lang) < 0)
		return mr_cli_usage(cmd, "--lang \"%s\": choose en or zh-CN", lang);

	mr_err err = MR_ERR_INIT;
	mr_period period;
	mr_plan *plan = NULL;
	if (mr_period_parse(&period, argv[optind], &err)) {
		status = mr_cli_usage(cmd, "%s", err.msg);
		goto done;
	}
	mr_store *s = mr_cli_store(cli);
	if (!s || !(plan = mr_cli_plan(cli))) {
		status = MR_EXIT_FAIL;
		goto done;
	}
	/* the language: --lang, else the plan's locale, else English */
	mr_locale loc = lang ? (mr_locale)mr_locale_parse(lang) : plan->locale;
	unsigned flags = (names ? 0 : MR_REPORT_ANON_PEERS) |
	                 (loc == MR_LOCALE_ZH_CN ? MR_REPORT_ZH : 0);
	if (mr_report_write(s, plan, &period, format, who, file, flags, &err)) {
		status = mr_cli_fail(&err);
		goto done;
	}
	if (strcmp(file, "-") != 0)
		fprintf(stderr, "merit: wrote %s\n", file);
done:
	mr_report_shutdown();
	mr_plan_free(plan);
	mr_err_clear(&err);
	return status;
}

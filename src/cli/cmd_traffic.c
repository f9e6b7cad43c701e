/* cmd_traffic.c — `merit traffic`: the web traffic ingested from access
 * logs, per day and site, as a table or JSON. */
#include "cli/cli.h"

#include <jansson.h>

#include "core/period.h"
#include "report/score_text.h"

static const char *const cols[] = {
	"requests", "failed_lines", "page_views", "visitors", "human_visitors", "visits",
	"crawler_requests",
};

static void values(const mr_traffic_day *d, long long v[7])
{
	v[0] = d->requests;
	v[1] = d->failed_lines;
	v[2] = d->page_views;
	v[3] = d->visitors;
	v[4] = d->human_visitors;
	v[5] = d->visits;
	v[6] = d->crawler_requests;
}

int mr_cmd_traffic(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "site", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("traffic");
	int c, status = 0, json = 0, first = MR_DAY_MIN, last = MR_DAY_MAX;
	const char *site = NULL;
	mr_traffic_day *rows = NULL;
	size_t n = 0;
	mr_err err = MR_ERR_INIT;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case 'f':
		case 't':
			if (mr_day_parse(c == 'f' ? &first : &last, optarg))
				return mr_cli_usage(cmd, "--%s \"%s\" is not a date (YYYY-MM-DD)",
				                    c == 'f' ? "from" : "to", optarg);
			break;
		case 's': site = optarg; break;
		case 'j': json = 1; break;
		}
	}
	if (optind != argc)
		return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind]);
	if (first > last)
		return mr_cli_usage(cmd, "--from is after --to");
	mr_store *s = mr_cli_store(cli);
	if (!s)
		return MR_EXIT_FAIL;
	if (mr_store_traffic_list(s, site, first, last, &rows, &n, &err)) {
		status = mr_cli_fail(&err);
		goto done;
	}
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			char d[11];
			long long v[7];
			mr_day_format(d, rows[i].day);
			values(&rows[i], v);
			json_t *o = json_pack("{ssss}", "date", d, "site", rows[i].site);
			for (int k = 0; k < 7; k++)
				json_object_set_new(o, cols[k], json_integer(v[k]));
			json_array_append_new(arr, o);
		}
		char *t = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (t)
			puts(t);
		free(t);
		json_decref(arr);
		goto done;
	}
	if (!n) {
		printf("no traffic%s; ingest access logs with `merit ingest LOGFILE`\n",
		       first != MR_DAY_MIN || last != MR_DAY_MAX || site ? " in that range" : "");
		goto done;
	}
	int w = 4;
	for (size_t i = 0; i < n; i++)
		if (mr_text_width(rows[i].site) > w)
			w = mr_text_width(rows[i].site);
	printf("date        ");
	mr_cli_pad(stdout, "site", w + 2);
	printf("requests  failed  page_views  visitors  human  visits  crawler\n");
	for (size_t i = 0; i < n; i++) {
		char d[11];
		long long v[7];
		mr_day_format(d, rows[i].day);
		values(&rows[i], v);
		printf("%s  ", d);
		mr_cli_pad(stdout, rows[i].site, w + 2);
		printf("%8lld  %6lld  %10lld  %8lld  %5lld  %6lld  %7lld\n", v[0], v[1], v[2], v[3],
		       v[4], v[5], v[6]);
	}
done:
	mr_traffic_list_free(rows, n);
	mr_err_clear(&err);
	return status;
}

/* cmd_batch.c — `merit batches` and `merit batch rm ID`. */
#include "cli/cli.h"

#include <errno.h>
#include <jansson.h>

int mr_cmd_batches(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("batches");
	int c, status = 0, json = 0;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		if (c == -2)
			return status;
		json |= c == 'j';
	}
	if (optind < argc)
		return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind]);
	mr_store *s = mr_cli_store(cli);
	mr_batch *list = NULL;
	size_t n = 0;
	mr_err err = MR_ERR_INIT;
	if (!s)
		return MR_EXIT_FAIL;
	if (mr_store_batch_list(s, &list, &n, &err)) {
		status = mr_cli_fail(&err);
		mr_err_clear(&err);
		return status;
	}
	json_t *arr = json_array();
	if (!json && n)
		printf("%5s  %-8s %7s  %-23s  %-12s %s\n", "id", "source", "rows", "dates",
		       "sha256", "file");
	for (size_t i = 0; i < n; i++) {
		const mr_batch *b = &list[i];
		char d1[11] = "", d2[11] = "";
		/* a batch without measurements (a web log's, when the plan has
		 * no site_visits) has no day range: 0, not 1970-01-01 */
		int dated = b->rows && (b->first_day || b->last_day);
		if (dated) {
			mr_day_format(d1, b->first_day);
			mr_day_format(d2, b->last_day);
		}
		if (json) {
			json_t *o = json_pack("{sIsssssIss}", "id", (json_int_t)b->id, "source", b->source,
			                      "file", b->file, "rows", (json_int_t)b->rows,
			                      "created_at", b->created_at);
			json_object_set_new(o, "created_by", json_string(b->created_by));
			json_object_set_new(o, "sha256", b->sha256 ? json_string(b->sha256) : json_null());
			json_object_set_new(o, "first_date", dated ? json_string(d1) : json_null());
			json_object_set_new(o, "last_date", dated ? json_string(d2) : json_null());
			json_array_append_new(arr, o);
		} else {
			char dates[32];
			/* a file name is what a file system or a browser gave: its
			 * control characters escaped, never sent to the terminal */
			char *file = mr_text_term_dup(b->file);
			snprintf(dates, sizeof dates, "%s..%s", d1, d2);
			printf("%5lld  %-8s %7lld  %-23s  %-12.12s %s\n", (long long)b->id, b->source,
			       (long long)b->rows, dated ? dates : "-", b->sha256 ? b->sha256 : "-",
			       file ? file : "?");
			free(file);
		}
	}
	if (json) {
		char *t = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(t ? t : "[]");
		free(t);
	} else if (!n) {
		printf("no batches yet\n");
	}
	json_decref(arr);
	mr_batch_list_free(list, n);
	return MR_EXIT_OK;
}

struct rm_job {
	int64_t id;
};

static int rm_tx(mr_store *s, void *payload, mr_err *err)
{
	return mr_store_batch_rm(s, ((struct rm_job *)payload)->id, err);
}

int mr_cmd_batch(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("batch");
	int c, status = 0;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1)
		if (c == -2)
			return status;
	if (argc - optind != 2 || strcmp(argv[optind], "rm") != 0)
		return mr_cli_usage(cmd, "say rm ID");
	char *end;
	errno = 0;
	long long id = strtoll(argv[optind + 1], &end, 10);
	if (errno || *end || id <= 0)
		return mr_cli_usage(cmd, "ID \"%s\" is not a batch number (see `merit batches`)",
		                    argv[optind + 1]);
	struct rm_job job = { id };
	mr_err err = MR_ERR_INIT;
	if (mr_cli_tx(cli, rm_tx, &job, &err))
		status = mr_cli_fail(&err);
	else
		printf("merit: batch %lld removed with its measurements\n", id);
	mr_err_clear(&err);
	return status;
}

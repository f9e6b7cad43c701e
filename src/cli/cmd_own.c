/* cmd_own.c — `merit own KIND VALUE --who LOGIN`, `merit own rm KIND
 * VALUE`: ownership rules. */
#include "cli/cli.h"

#include <jansson.h>

#include "ops/ops.h"

struct own_job {
	const char *kind, *value, *who;
};

static int own_tx(mr_store *s, void *payload, mr_err *err)
{
	struct own_job *job = payload;
	return mr_op_own(s, job->kind, job->value, job->who, err);
}

static int own_list(mr_cli *cli, int json)
{
	mr_err err = MR_ERR_INIT;
	mr_rule_row *rows = NULL;
	size_t n = 0;
	mr_store *s = mr_cli_store(cli);
	if (!s)
		return MR_EXIT_FAIL;
	if (mr_store_own_list(s, &rows, &n, &err)) {
		int st = mr_cli_fail(&err);
		mr_err_clear(&err);
		return st;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (json)
			json_array_append_new(arr, json_pack("{ssssss}", "kind", rows[i].kind,
			                                     "value", rows[i].value, "login", rows[i].login));
		else
			printf("%-9s %-40s %s\n", rows[i].kind, rows[i].value, rows[i].login);
	}
	if (json) {
		char *t = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(t ? t : "[]");
		free(t);
	}
	json_decref(arr);
	mr_rule_rows_free(rows, n);
	return MR_EXIT_OK;
}

int mr_cmd_own(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "who", required_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("own");
	struct own_job job = { NULL, NULL, NULL };
	int c, status = 0, json = 0;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		if (c == -2)
			return status;
		if (c == 'w')
			job.who = optarg;
		if (c == 'j')
			json = 1;
	}
	if (optind < argc && strcmp(argv[optind], "list") == 0 && optind + 1 == argc)
		return own_list(cli, json);
	int rm = optind < argc && strcmp(argv[optind], "rm") == 0;
	if (argc - optind - rm != 2)
		return mr_cli_usage(cmd, "say KIND VALUE --who LOGIN, rm KIND VALUE, or list");
	job.kind = argv[optind + rm];
	job.value = argv[optind + rm + 1];
	mr_err err = MR_ERR_INIT;
	if (mr_op_own_check(job.kind, job.value, &err)) {
		status = mr_cli_usage(cmd, "%s", err.msg);
		mr_err_clear(&err);
		return status;
	}
	if (rm && job.who)
		return mr_cli_usage(cmd, "rm takes no --who: it removes whoever's rule it is");
	if (!rm && !job.who)
		return mr_cli_usage(cmd, "--who LOGIN is required");
	if (mr_cli_tx(cli, own_tx, &job, &err))
		status = mr_cli_fail(&err);
	else if (rm)
		printf("merit: %s \"%s\" belongs to nobody now\n", job.kind, job.value);
	else
		printf("merit: %s \"%s\" belongs to %s\n", job.kind, job.value, job.who);
	mr_err_clear(&err);
	return status;
}

/* cmd_source.c — `merit source add|list|show|rm`: an import's options
 * saved under a name (ingest/source.h), for `merit import --source`. */
#include "cli/cli.h"

#include <jansson.h>

#include "ingest/source.h"
#include "ops/ops.h"

struct add_job {
	mr_source src;
};

static int add_tx(mr_store *s, void *payload, mr_err *err)
{
	struct add_job *job = payload;
	return mr_op_source_add(s, &job->src, err);
}

static int rm_tx(mr_store *s, void *payload, mr_err *err)
{
	return mr_store_source_rm(s, payload, err);
}

static json_t *source_object(const mr_source *src, const mr_source_row *row)
{
	json_t *o = mr_source_json(src);
	json_object_set_new(o, "created_at", json_string(row->created_at ? row->created_at : ""));
	json_object_set_new(o, "created_by", json_string(row->created_by ? row->created_by : ""));
	return o;
}

static void print_json(json_t *v)
{
	char *t = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(t ? t : "null");
	free(t);
	json_decref(v);
}

/* list (name NULL) or show one source. */
static int source_show(mr_cli *cli, const char *name, int json)
{
	mr_err err = MR_ERR_INIT;
	mr_source_row *rows = NULL, one;
	size_t n = 0;
	int rc, status = MR_EXIT_OK;
	mr_store *s = mr_cli_store(cli);
	if (!s)
		return MR_EXIT_FAIL;
	if (name) {
		if (!(rc = mr_store_source_get(s, name, &one, &err))) {
			if (!(rows = malloc(sizeof *rows))) {
				mr_source_row_release(&one);
				rc = mr_err_nomem(&err);
			} else {
				rows[0] = one;
				n = 1;
			}
		}
	} else {
		rc = mr_store_source_list(s, &rows, &n, &err);
	}
	if (rc) {
		status = mr_cli_fail(&err);
		mr_err_clear(&err);
		return status;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n && !status; i++) {
		mr_source src;
		if (mr_source_read(&src, &rows[i], &err)) {
			status = mr_cli_fail(&err);
			break;
		}
		if (json) {
			json_array_append_new(arr, source_object(&src, &rows[i]));
		} else if (name) {
			mr_buf b;
			mr_buf_init(&b);
			mr_source_describe(&src, &b);
			mr_cli_pad(stdout, src.name, 0);
			printf(": %s\n", b.data ? b.data : src.kind);
			for (size_t k = 0; src.maps[k]; k++)
				printf("  --map %s\n", src.maps[k]);
			for (size_t k = 0; src.values[k]; k++)
				printf("  --value %s\n", src.values[k]);
			if (src.map_file)
				printf("  --map-file %s, kept as:\n%s%s", src.map_file, src.map_text,
				       *src.map_text && src.map_text[strlen(src.map_text) - 1] != '\n' ?
				       "\n" : "");
			printf("  saved %s by %s\n", rows[i].created_at, rows[i].created_by);
			mr_buf_release(&b);
		} else {
			mr_buf b;
			mr_buf_init(&b);
			mr_source_describe(&src, &b);
			mr_cli_pad(stdout, src.name, 20);
			printf(" %s\n", b.data ? b.data : src.kind);
			mr_buf_release(&b);
		}
		mr_source_release(&src);
	}
	if (json && !status)
		print_json(name ? json_incref(json_array_get(arr, 0)) : json_incref(arr));
	json_decref(arr);
	if (!json && !name && !n && !status)
		printf("no saved sources (save one with `merit source add NAME --kind KIND ...`)\n");
	mr_source_rows_free(rows, n);
	mr_err_clear(&err);
	return status;
}

int mr_cmd_source(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		MR_CLI_FILE_OPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("source");
	mr_import_opts o;
	mr_cli_file_opts fo;
	const char *kind = NULL;
	int c, status = 0, got, json = 0, told = 0;
	memset(&o, 0, sizeof o);
	memset(&fo, 0, sizeof fo);
	fo.o = &o;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		if (c == -2 || (got = mr_cli_file_opt(cmd, c, &fo, &status)) < 0)
			goto done;
		told |= got;
		if (c == 'k')
			kind = optarg;
		if (c == 'j')
			json = 1;
	}
	const char *verb = optind < argc ? argv[optind] : "";
	int nargs = argc - optind - 1;
	if (strcmp(verb, "list") == 0 || strcmp(verb, "show") == 0) {
		if (nargs != (verb[0] == 'l' ? 0 : 1) || kind || told) {
			status = mr_cli_usage(cmd, verb[0] == 'l' ? "say list [--json]" :
			                      "say show NAME [--json]");
			goto done;
		}
		status = source_show(cli, verb[0] == 's' ? argv[optind + 1] : NULL, json);
		goto done;
	}
	mr_err err = MR_ERR_INIT;
	if (strcmp(verb, "rm") == 0) {
		if (nargs != 1 || kind || told || json) {
			status = mr_cli_usage(cmd, "say rm NAME");
			goto done;
		}
		if (mr_cli_tx(cli, rm_tx, argv[optind + 1], &err))
			status = mr_cli_fail(&err);
		else
			printf("merit: removed the source \"%s\"\n", argv[optind + 1]);
		mr_err_clear(&err);
		goto done;
	}
	if (strcmp(verb, "add") != 0 || nargs != 1) {
		status = mr_cli_usage(cmd, "say add NAME --kind KIND [options], list, show NAME or "
		                      "rm NAME");
		goto done;
	}
	if (!kind) {
		status = mr_cli_usage(cmd, "--kind KIND is required: " MR_IMPORT_KINDS_TEXT);
		goto done;
	}
	struct add_job job;
	if (mr_source_build(&job.src, argv[optind + 1], kind, &o, &err)) {
		status = mr_cli_fail(&err);
		mr_err_clear(&err);
		goto done;
	}
	if (mr_cli_tx(cli, add_tx, &job, &err)) {
		status = mr_cli_fail(&err);
	} else {
		mr_buf b;
		mr_buf_init(&b);
		mr_source_describe(&job.src, &b);
		printf("merit: saved the source \"%s\" (%s); import with `merit import --source %s "
		       "FILE`\n", job.src.name, b.data ? b.data : kind, job.src.name);
		mr_buf_release(&b);
	}
	mr_source_release(&job.src);
	mr_err_clear(&err);
done:
	mr_cli_file_opts_free(&fo);
	return status;
}

/* cmd_db.c — the database file itself: `merit backup FILE`, `merit
 * restore FILE --yes` and `merit check` (the work is in
 * store/store_backup.c). */
#include "cli/cli.h"
#include "cli/progress.h"

#include <inttypes.h>
#include <jansson.h>

/* Who the audit log names, as for every other change (MERIT_USER, USER). */
static const char *actor(void)
{
	const char *who = getenv("MERIT_USER");
	if (!who || !*who)
		who = getenv("USER");
	return who && *who ? who : "cli";
}

/* The one FILE argument of backup and restore; usage error otherwise. */
static int one_file(const mr_command *cmd, int argc, char **argv, const char **out)
{
	if (argc - optind != 1)
		return mr_cli_usage(cmd, "say which FILE");
	if (strcmp(argv[optind], "-") == 0)
		return mr_cli_usage(cmd, "FILE - (standard %s) is not allowed: a backup is a "
		                    "binary database file; name a file",
		                    strcmp(cmd->name, "backup") == 0 ? "output" : "input");
	*out = argv[optind];
	return 0;
}

/* backup, restore and check are an SQLite file's; on a server, its own
 * tools do them. */
static int on_server(const mr_command *cmd, const mr_cli *cli)
{
	static const char *const how[][2] = {
		{ "backup", "back it up with pg_dump, or copy it into a file with `merit --db URL "
		            "db copy --to FILE`" },
		{ "restore", "restore it with pg_restore, or copy a file into an empty database "
		             "with `merit --db FILE db copy --to URL`" },
		{ "check", "the server keeps its pages whole and checks every reference itself; "
		           "`merit --db URL db copy --to FILE` then `merit --db FILE check` checks "
		           "a copy" },
	};
	if (!mr_db_is_url(cli->db))
		return 0;
	for (size_t i = 0; i < sizeof how / sizeof *how; i++)
		if (!strcmp(cmd->name, how[i][0]))
			return mr_cli_usage(cmd, "--db is a PostgreSQL database, not an SQLite file: %s",
			                    how[i][1]);
	return 0;
}

int mr_cmd_backup(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("backup");
	const char *file = NULL;
	int c, status = 0;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1)
		if (c == -2)
			return status;
	if ((status = one_file(cmd, argc, argv, &file)) || (status = on_server(cmd, cli)))
		return status;
	mr_backup_info info;
	mr_err err = MR_ERR_INIT;
	if (mr_store_backup(cli->db, file, actor(), &info, &err))
		status = mr_cli_fail(&err);
	else
		printf("merit: backed up %s to %s: %" PRId64 " pages, %" PRId64 " bytes, schema "
		       "version %d, taken at %s; quick check ok\n", cli->db, file, info.pages,
		       info.bytes, info.schema_version, info.taken_at);
	mr_err_clear(&err);
	return status;
}

int mr_cmd_restore(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("restore");
	const char *file = NULL;
	int c, status = 0, yes = 0;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		if (c == -2)
			return status;
		yes |= c == 'y';
	}
	if ((status = one_file(cmd, argc, argv, &file)) || (status = on_server(cmd, cli)))
		return status;
	mr_backup_info info;
	mr_err err = MR_ERR_INIT;
	if (mr_store_restore(cli->db, file, actor(), yes, &info, &err)) {
		status = mr_cli_fail(&err);
		if (err.code == MR_ECONFIRM)
			fprintf(stderr, "merit: to go ahead: merit restore %s --yes\n", file);
	} else {
		printf("merit: restored %s from %s (taken %s%s, schema version %d, %" PRId64
		       " pages); the old -wal and -shm were cleared\n", cli->db, file,
		       info.taken_at[0] ? "at " : "by other means than `merit backup`",
		       info.taken_at, info.schema_version, info.pages);
	}
	mr_err_clear(&err);
	return status;
}

struct check_out {
	json_t *list;                 /* --json: the problems; else NULL */
};

static int print_problem(const char *where, const char *what, void *payload)
{
	struct check_out *o = payload;
	if (o->list)
		json_array_append_new(o->list, json_pack("{ssss}", "where", where, "what", what));
	else                          /* an integrity check's text may hold several lines */
		for (const char *p = what; *p;) {
			size_t n = strcspn(p, "\n");
			printf("%s: %.*s\n", where, (int)n, p);
			p += n + (p[n] == '\n');
		}
	return 0;
}

int mr_cmd_check(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("check");
	int c, status = 0, json = 0;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		if (c == -2)
			return status;
		json |= c == 'j';
	}
	if (optind < argc)
		return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind]);
	if ((status = on_server(cmd, cli)))
		return status;
	struct check_out o = { json ? json_array() : NULL };
	mr_err err = MR_ERR_INIT;
	int64_t n = 0;
	if (mr_store_check(cli->db, print_problem, &o, &n, &err)) {
		status = mr_cli_fail(&err);
	} else if (json) {
		json_t *r = json_pack("{sbsO}", "ok", n == 0, "problems", o.list);
		char *t = json_dumps(r, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(t ? t : "{}");
		free(t);
		json_decref(r);
	} else if (n == 0) {
		printf("ok\n");
	} else {
		printf("%" PRId64 " problem%s in %s\n", n, n == 1 ? "" : "s", cli->db);
	}
	if (!status && n)
		status = MR_EXIT_FAIL;
	json_decref(o.list);
	mr_err_clear(&err);
	return status;
}

int mr_cmd_db(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("db");
	const char *to = NULL;
	int c, status = 0;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		if (c == -2)
			return status;
		if (c == 't')
			to = optarg;
	}
	if (argc - optind != 1 || strcmp(argv[optind], "copy") != 0)
		return mr_cli_usage(cmd, argc - optind < 1 ? "say what to do: copy" :
		                    "unknown \"%s\": the one thing db does is copy", argv[optind]);
	if (!to || !*to)
		return mr_cli_usage(cmd, "say where to: --to URL (from a file) or --to FILE (from "
		                    "a URL)");
	if (mr_db_is_url(cli->db) == mr_db_is_url(to))
		return mr_cli_usage(cmd, mr_db_is_url(to) ? "--db and --to are both PostgreSQL URLs: "
		                    "copy from a file to a URL or back" : "--db and --to are both "
		                    "files: that copy is `merit backup FILE`");
	mr_bar bar;
	mr_bar_init(&bar, "copying");
	mr_copy_opts o = { mr_bar_update, &bar };
	mr_copy_info info;
	mr_err err = MR_ERR_INIT;
	if (mr_db_copy(cli->db, to, &o, &info, &err)) {
		mr_bar_done(&bar);
		status = mr_cli_fail(&err);
	} else {
		char from_s[512], to_s[512];
		mr_bar_done(&bar);
		mr_db_shown(cli->db, from_s, sizeof from_s);
		mr_db_shown(to, to_s, sizeof to_s);
		printf("merit: copied %s to %s: %d tables, %" PRId64 " rows, schema version %d\n",
		       from_s, to_s, info.tables, info.rows, info.schema_version);
	}
	mr_err_clear(&err);
	return status;
}

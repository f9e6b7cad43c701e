/* cmd_user.c — `merit user add`: a web-app user; the password comes from
 * standard input and is kept only as an Argon2id hash (libsodium). */
#include "cli/cli.h"

#include <sodium.h>

struct user_job {
	const char *login, *role;
	char hash[crypto_pwhash_STRBYTES];
};

static int user_tx(mr_store *s, void *payload, mr_err *err)
{
	struct user_job *job = payload;
	return mr_store_user_put(s, job->login, job->role, job->hash, err);
}

int mr_cmd_user(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("user");
	struct user_job job;
	int c, status = 0;
	memset(&job, 0, sizeof job);
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		if (c == -2)
			return status;
		if (c == 'r')
			job.role = optarg;
	}
	if (argc - optind != 2 || strcmp(argv[optind], "add") != 0)
		return mr_cli_usage(cmd, "say add LOGIN --role ROLE");
	job.login = argv[optind + 1];
	if (!job.role || (strcmp(job.role, "admin") && strcmp(job.role, "manager") &&
	                  strcmp(job.role, "member")))
		return mr_cli_usage(cmd, "--role must be admin, manager or member");

	char pw[1024];
	if (!fgets(pw, sizeof pw, stdin)) {
		fprintf(stderr, "merit: no password on standard input\n");
		return MR_EXIT_FAIL;
	}
	pw[strcspn(pw, "\r\n")] = 0;
	if (strlen(pw) < 8) {
		sodium_memzero(pw, sizeof pw);
		fprintf(stderr, "merit: the password must have at least 8 characters\n");
		return MR_EXIT_FAIL;
	}
	if (sodium_init() < 0 ||
	    crypto_pwhash_str_alg(job.hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13)) {
		sodium_memzero(pw, sizeof pw);
		fprintf(stderr, "merit: hashing the password failed (out of memory?)\n");
		return MR_EXIT_FAIL;
	}
	sodium_memzero(pw, sizeof pw);
	mr_err err = MR_ERR_INIT;
	if (mr_cli_tx(cli, user_tx, &job, &err))
		status = mr_cli_fail(&err);
	else
		printf("merit: user %s (%s) saved\n", job.login, job.role);
	mr_err_clear(&err);
	return status;
}

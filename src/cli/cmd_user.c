/* cmd_user.c — `merit user add|passwd|disable|enable`: users of the web
 * app.  The password comes from standard input and is kept only as an
 * Argon2id hash (libsodium); neither it nor the hash reaches the audit
 * log.  A disabled user cannot log in, and their sessions end. */
#include "cli/cli.h"

#include <sodium.h>

#include "ops/ops.h"

struct user_job {
	const char *login, *role;
	int create;
	int disable;                   /* 1 disable, 0 enable, -1 neither */
	char hash[MR_PW_HASH_SIZE];
};

static int user_tx(mr_store *s, void *payload, mr_err *err)
{
	struct user_job *job = payload;
	if (job->disable >= 0)
		return mr_store_user_disable(s, job->login, job->disable, err);
	int rc = mr_store_user_put(s, job->login, job->role, job->hash, job->create, err);
	if (!rc && !job->create)   /* a new password ends the user's web sessions */
		rc = mr_store_session_rm_login(s, job->login, NULL, err);
	return rc;
}

/* One line from standard input, hashed into job->hash.  0 or exit status. */
static int read_password(struct user_job *job)
{
	char pw[1024];
	int status = 0;
	if (!fgets(pw, sizeof pw, stdin)) {
		fprintf(stderr, "merit: give the password on standard input (one line)\n");
		return MR_EXIT_FAIL;
	}
	pw[strcspn(pw, "\r\n")] = 0;
	mr_err err = MR_ERR_INIT;
	if (mr_op_password_hash(job->hash, pw, &err))
		status = mr_cli_fail(&err);
	mr_err_clear(&err);
	sodium_memzero(pw, sizeof pw);
	return status;
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
	const char *verb = optind < argc ? argv[optind] : "";
	int onoff = strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0;
	if (argc - optind != 2 || (strcmp(verb, "add") != 0 && strcmp(verb, "passwd") != 0 &&
	                           !onoff))
		return mr_cli_usage(cmd, "say add LOGIN --role ROLE, passwd LOGIN, disable LOGIN "
		                    "or enable LOGIN");
	job.login = argv[optind + 1];
	job.create = strcmp(verb, "add") == 0;
	job.disable = onoff ? strcmp(verb, "disable") == 0 : -1;
	if (onoff) {
		if (job.role)
			return mr_cli_usage(cmd, "%s takes no --role", verb);
		mr_err err = MR_ERR_INIT;
		if (mr_cli_tx(cli, user_tx, &job, &err))
			status = mr_cli_fail(&err);
		else
			printf("merit: user %s %s\n", job.login, job.disable ? "disabled (their "
			       "sessions ended)" : "enabled");
		mr_err_clear(&err);
		return status;
	}
	mr_err lerr = MR_ERR_INIT;
	if (job.create && mr_text_login_check(job.login, "login", &lerr)) {
		status = mr_cli_usage(cmd, "%s", lerr.msg);
		mr_err_clear(&lerr);
		return status;
	}
	if (job.create && !job.role)
		return mr_cli_usage(cmd, "add needs --role admin, manager or member");
	if (job.role && strcmp(job.role, "admin") && strcmp(job.role, "manager") &&
	    strcmp(job.role, "member"))
		return mr_cli_usage(cmd, "--role must be admin, manager or member");
	if ((status = read_password(&job)))
		return status;
	mr_err err = MR_ERR_INIT;
	if (mr_cli_tx(cli, user_tx, &job, &err))
		status = mr_cli_fail(&err);
	else
		printf("merit: user %s %s\n", job.login, job.create ? "added" : "changed");
	mr_err_clear(&err);
	sodium_memzero(job.hash, sizeof job.hash);
	return status;
}

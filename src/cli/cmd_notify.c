/* cmd_notify.c — `merit notify`: where notices go (add, list, rm), the
 * settings they need (set), a test, and the sender (run).
 *
 * What is told whom, and how it is sent, is the engine's (ops/notify.c,
 * ops/notify_send.c); this file parses and prints.
 */
#include "cli/cli.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>

#include "ingest/probe.h"
#include "ops/notify.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int parse_id(const mr_command *cmd, const char *text, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || *end || v <= 0)
		return mr_cli_usage(cmd, "ID \"%s\" is not a channel number (see `merit notify "
		                    "list`)", text);
	*out = v;
	return 0;
}

/* ---- add, rm, set ---- */

struct add_job { mr_notify_channel c; int64_t id; };

static int add_tx(mr_store *s, void *payload, mr_err *err)
{
	struct add_job *job = payload;
	return mr_store_notify_add(s, &job->c, &job->id, err);
}

static int rm_tx(mr_store *s, void *payload, mr_err *err)
{
	return mr_store_notify_rm(s, *(int64_t *)payload, err);
}

struct set_job { const char *key, *value; };

static int set_tx(mr_store *s, void *payload, mr_err *err)
{
	struct set_job *job = payload;
	return mr_store_notify_set(s, job->key, job->value, err);
}

static int done(int rc, mr_err *err, const char *fmt, ...) MR_PRINTF(3, 4);
static int done(int rc, mr_err *err, const char *fmt, ...)
{
	int status = MR_EXIT_OK;
	if (rc) {
		status = mr_cli_fail(err);
	} else {
		va_list ap;
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	mr_err_clear(err);
	return status;
}

/* ---- list ---- */

static int notify_list(mr_cli *cli, int json, int outbox)
{
	mr_store *s = mr_cli_store(cli);
	mr_outbox_row *ob = NULL;
	size_t nob = 0;
	json_t *d = NULL;
	mr_err err = MR_ERR_INIT;
	if (!s)
		return MR_EXIT_FAIL;
	int rc = mr_store_begin_read(s, &err);
	if (!rc)
		rc = outbox ? mr_store_outbox_list(s, &ob, &nob, &err)
		            : mr_notify_describe(s, &d, &err);
	mr_store_rollback(s);
	if (rc)
		return done(rc, &err, " ");
	json_t *arr = json_array();
	for (size_t i = 0; i < nob; i++) {
		const mr_outbox_row *r = &ob[i];
		if (json)
			json_array_append_new(arr, json_pack("{sIsIsssssssisIss?ssssss?}", "id",
			                      (json_int_t)r->id, "channel", (json_int_t)r->channel,
			                      "key", r->key, "subject", r->subject, "state", r->state,
			                      "attempts", r->attempts, "next_at", (json_int_t)r->next_at,
			                      "last_error", r->last_error, "body", r->body,
			                      "created_at", r->created_at, "sent_at", r->sent_at));
		else
			printf("%-5lld channel %-3lld %-7s tries %d  %s%s%s\n", (long long)r->id,
			       (long long)r->channel, r->state, r->attempts, r->subject,
			       r->last_error ? "  — " : "", r->last_error ? r->last_error : "");
	}
	if (json) {
		char *t = json_dumps(outbox ? arr : d, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(t ? t : "{}");
		free(t);
	} else if (!outbox) {
		json_t *ch = json_object_get(d, "channels"), *c, *v;
		size_t i;
		const char *k;
		json_array_foreach(ch, i, c)
			printf("%-4lld %-9s %s%s%s%s%s%s\n",
			       (long long)json_integer_value(json_object_get(c, "id")),
			       json_string_value(json_object_get(c, "kind")),
			       json_string_value(json_object_get(c, "target")),
			       json_is_true(json_object_get(c, "secret")) ? " (signed)" : "",
			       json_is_string(json_object_get(c, "who")) ? " for " : "",
			       json_is_string(json_object_get(c, "who")) ?
			       json_string_value(json_object_get(c, "who")) : "",
			       json_is_string(json_object_get(c, "lang")) ? " in " : "",
			       json_is_string(json_object_get(c, "lang")) ?
			       json_string_value(json_object_get(c, "lang")) : "");
		if (!json_array_size(ch))
			printf("no channels yet: add one with `merit notify add email|wecom|dingtalk|"
			       "feishu TARGET`\n");
		json_object_foreach(json_object_get(d, "settings"), k, v)
			printf("%s = %s\n", k, json_string_value(v));
	} else if (!nob) {
		printf("the outbox is empty\n");
	}
	json_decref(arr);
	json_decref(d);
	mr_outbox_list_free(ob, nob);
	return MR_EXIT_OK;
}

/* ---- test and run ---- */

struct pass_job { const mr_plan *plan; int64_t test; int queued; };

static int pass_tx(mr_store *s, void *payload, mr_err *err)
{
	struct pass_job *job = payload;
	if (job->test)
		return mr_notify_test(s, job->plan, job->test, err);
	return mr_notify_pass(s, job->plan, mr_notify_today(), &job->queued, err);
}

static int notify_run(mr_cli *cli, int64_t test, int once)
{
	struct sigaction sa, old_int, old_term;
	struct pass_job job = { NULL, test, 0 };
	mr_notify_tally t;
	mr_err err = MR_ERR_INIT;
	mr_plan *plan = mr_cli_plan(cli);
	int rc;
	if (!plan)
		return MR_EXIT_FAIL;
	job.plan = plan;
	rc = mr_cli_tx(cli, pass_tx, &job, &err);
	mr_plan_free(plan);
	if (rc)
		return done(rc, &err, " ");
	if (job.queued)
		printf("merit: %d notice%s queued\n", job.queued, job.queued == 1 ? "" : "s");
	if ((rc = mr_probe_global_init(&err)))     /* libcurl's */
		return done(rc, &err, " ");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	rc = mr_notify_deliver(cli->store, cli->db, once || test, &stop, &t, &err);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	mr_probe_global_cleanup();
	if (rc)
		return done(rc, &err, " ");
	printf("merit: %d sent, %d to be tried again, %d given up%s\n", t.sent, t.retry, t.failed,
	       t.failed || t.retry ? " (see `merit notify list --outbox`)" : "");
	return test && (t.failed || t.retry) ? MR_EXIT_FAIL : MR_EXIT_OK;
}

int mr_cmd_notify(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "secret", required_argument, NULL, 's' },
		{ "who", required_argument, NULL, 'w' },
		{ "lang", required_argument, NULL, 'l' },
		{ "once", no_argument, NULL, 'o' },
		{ "outbox", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("notify");
	struct add_job job;
	int c, status = 0, json = 0, once = 0, outbox = 0;
	mr_err err = MR_ERR_INIT;
	memset(&job, 0, sizeof job);
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case 's': job.c.secret = optarg; break;
		case 'w': job.c.login = optarg; break;
		case 'l': job.c.lang = optarg; break;
		case 'o': once = 1; break;
		case 'b': outbox = 1; break;
		case 'j': json = 1; break;
		}
	}
	if (optind >= argc)
		return mr_cli_usage(cmd, "say add, list, rm, set, test or run");
	const char *sub = argv[optind];
	int nargs = argc - optind - 1;
	if (strcmp(sub, "add") != 0 && (job.c.secret || job.c.login || job.c.lang))
		return mr_cli_usage(cmd, "--secret, --who and --lang go with notify add");
	if (strcmp(sub, "run") != 0 && once)
		return mr_cli_usage(cmd, "--once goes with notify run");
	if (strcmp(sub, "list") != 0 && (json || outbox))
		return mr_cli_usage(cmd, "--json and --outbox go with notify list");
	if (strcmp(sub, "add") == 0) {
		if (nargs != 2)
			return mr_cli_usage(cmd, "say notify add email|wecom|dingtalk|feishu TARGET");
		job.c.kind = argv[optind + 1];
		job.c.target = argv[optind + 2];
		if (mr_notify_channel_check(&job.c, &err)) {
			status = mr_cli_usage(cmd, "%s", err.msg);
			mr_err_clear(&err);
			return status;
		}
		int rc = mr_cli_tx(cli, add_tx, &job, &err);
		return done(rc, &err, "merit: channel %lld: %s %s\n", (long long)job.id, job.c.kind,
		            job.c.target);
	}
	if (strcmp(sub, "list") == 0) {
		if (nargs)
			return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind + 1]);
		return notify_list(cli, json, outbox);
	}
	if (strcmp(sub, "rm") == 0 || strcmp(sub, "test") == 0) {
		int64_t id;
		if (nargs != 1)
			return mr_cli_usage(cmd, "say notify %s ID", sub);
		if ((status = parse_id(cmd, argv[optind + 1], &id)))
			return status;
		if (strcmp(sub, "test") == 0)
			return notify_run(cli, id, 1);
		int rc = mr_cli_tx(cli, rm_tx, &id, &err);
		return done(rc, &err, "merit: channel %lld removed, with its notices not sent\n",
		            (long long)id);
	}
	if (strcmp(sub, "set") == 0) {
		struct set_job sj = { nargs >= 1 ? argv[optind + 1] : NULL,
		                      nargs == 2 ? argv[optind + 2] : NULL };
		if (nargs < 1 || nargs > 2)
			return mr_cli_usage(cmd, "say notify set KEY [VALUE]");
		if (mr_notify_setting_check(sj.key, sj.value, &err)) {
			status = mr_cli_usage(cmd, "%s", err.msg);
			mr_err_clear(&err);
			return status;
		}
		int rc = mr_cli_tx(cli, set_tx, &sj, &err);
		return done(rc, &err, "merit: %s %s%s\n", sj.key, sj.value ? "= " : "unset",
		            sj.value ? sj.value : "");
	}
	if (strcmp(sub, "run") == 0) {
		if (nargs)
			return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind + 1]);
		return notify_run(cli, 0, once);
	}
	return mr_cli_usage(cmd, "\"%s\": say add, list, rm, set, test or run", sub);
}

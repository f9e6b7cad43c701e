/* cmd_probe.c — `merit probe`: add, list and remove uptime probes, and
 * run them (once, a number of rounds, or until SIGINT/SIGTERM).
 *
 * The checking and the schedule are the engine's (ingest/probe.c); this
 * file parses flags, installs the signal handlers that ask a run to stop
 * (it then saves what was checked and exits 0), and prints each round.
 */
#include "cli/cli.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>

#include "ingest/probe.h"
#include "ops/ops.h"

static volatile sig_atomic_t stop_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* `uptime` must be in the plan, as a ratio: each check counts 1 of 1 or 0 of 1. */
static int check_plan(mr_cli *cli)
{
	mr_err err = MR_ERR_INIT;
	int status = MR_EXIT_OK;
	mr_plan *plan = mr_cli_plan(cli);
	if (!plan)
		return MR_EXIT_FAIL;
	if (mr_op_probe_plan(plan, 0, &err))
		status = mr_cli_fail(&err);
	mr_err_clear(&err);
	mr_plan_free(plan);
	return status;
}

/* ---- add ---- */

struct add_job {
	mr_probe_new pn;
	const mr_plan *plan;
};

static int add_tx(mr_store *s, void *payload, mr_err *err)
{
	struct add_job *job = payload;
	return mr_op_probe_add(s, job->plan, &job->pn, err);
}

static int probe_add(mr_cli *cli, const mr_command *cmd, const char *url, const char *who,
                     const char *every, const char *timeout)
{
	struct add_job job;
	mr_err err = MR_ERR_INIT;
	char e[32], t[32];
	int status = MR_EXIT_OK;
	memset(&job, 0, sizeof job);
	job.pn.url = url;
	job.pn.who = who;
	job.pn.every_ms = MR_PROBE_EVERY_MS;
	if (every && mr_probe_duration_parse(&job.pn.every_ms, every))
		return mr_cli_usage(cmd, "--every \"%s\": say 30s, 5m or 1h", every);
	job.pn.timeout_ms = job.pn.every_ms < MR_PROBE_TIMEOUT_MS ? job.pn.every_ms
	                                                          : MR_PROBE_TIMEOUT_MS;
	if (timeout && mr_probe_duration_parse(&job.pn.timeout_ms, timeout))
		return mr_cli_usage(cmd, "--timeout \"%s\": say 500ms, 10s or 1m", timeout);
	if (mr_op_probe_check(&job.pn, &err)) {
		status = mr_cli_usage(cmd, "%s", err.msg);
		mr_err_clear(&err);
		return status;
	}
	mr_plan *plan = mr_cli_plan(cli);
	if (!plan)
		return MR_EXIT_FAIL;
	job.plan = plan;
	mr_probe_duration_format(e, job.pn.every_ms);
	mr_probe_duration_format(t, job.pn.timeout_ms);
	if (mr_cli_tx(cli, add_tx, &job, &err))
		status = mr_cli_fail(&err);
	else
		printf("merit: probe %lld checks %s every %s (timeout %s) for the uptime of %s\n",
		       (long long)job.pn.id, url, e, t, job.pn.login);
	free(job.pn.login);
	mr_plan_free(plan);
	mr_err_clear(&err);
	return status;
}

/* ---- list, rm ---- */

static int probe_list(mr_cli *cli, int json)
{
	mr_err err = MR_ERR_INIT;
	mr_probe *list = NULL;
	size_t n = 0;
	mr_store *s = mr_cli_store(cli);
	if (!s)
		return MR_EXIT_FAIL;
	if (mr_store_probe_list(s, &list, &n, &err)) {
		int st = mr_cli_fail(&err);
		mr_err_clear(&err);
		return st;
	}
	json_t *arr = json_array();
	if (!json && n)
		printf("%4s  %-40s %-12s %6s %8s  %s\n", "id", "url", "owner", "every", "timeout",
		       "last check");
	for (size_t i = 0; i < n; i++) {
		const mr_probe *p = &list[i];
		char e[32], t[32];
		mr_probe_duration_format(e, p->every_ms);
		mr_probe_duration_format(t, p->timeout_ms);
		if (json) {
			json_t *o = json_pack("{sIssssssss}", "id", (json_int_t)p->id, "url", p->url,
			                      "login", p->login, "every", e, "timeout", t);
			json_object_set_new(o, "created_at", json_string(p->created_at));
			json_object_set_new(o, "created_by", json_string(p->created_by));
			json_object_set_new(o, "last_check", p->last_at
				? json_pack("{sssb}", "at", p->last_at, "up", p->last_up) : json_null());
			json_array_append_new(arr, o);
		} else {
			char last[64] = "-";
			if (p->last_at)
				snprintf(last, sizeof last, "%s %s", p->last_up ? "up" : "down", p->last_at);
			printf("%4lld  %-40s %-12s %6s %8s  %s\n", (long long)p->id, p->url, p->login,
			       e, t, last);
		}
	}
	if (json) {
		char *text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(text ? text : "[]");
		free(text);
	} else if (!n) {
		printf("no probes yet: add one with `merit probe add URL --who LOGIN`\n");
	}
	json_decref(arr);
	mr_probe_list_free(list, n);
	return MR_EXIT_OK;
}

static int rm_tx(mr_store *s, void *payload, mr_err *err)
{
	return mr_store_probe_rm(s, *(int64_t *)payload, err);
}

static int probe_rm(mr_cli *cli, const mr_command *cmd, const char *text)
{
	char *end;
	mr_err err = MR_ERR_INIT;
	int status = MR_EXIT_OK;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || *end || v <= 0)
		return mr_cli_usage(cmd, "ID \"%s\" is not a probe number (see `merit probe list`)", text);
	int64_t id = v;
	if (mr_cli_tx(cli, rm_tx, &id, &err))
		status = mr_cli_fail(&err);
	else
		printf("merit: probe %lld removed (its past checks stay)\n", v);
	mr_err_clear(&err);
	return status;
}

/* ---- run ---- */

struct run_tally {
	long saved;                /* rounds that saved a batch */
	size_t up, down;
};

static void print_round(const mr_probe_round *r, void *payload)
{
	struct run_tally *tally = payload;
	size_t up = 0, down = 0, left = 0;
	for (size_t i = 0; i < r->n; i++) {
		const mr_probe_check *c = &r->checks[i];
		if (!c->done) {
			left++;
			continue;
		}
		if (c->up)
			up++;
		else
			down++;
		printf("probe %lld %s %s: ", (long long)c->probe, c->url, c->up ? "up" : "down");
		if (c->status > 0)
			printf("HTTP %ld in %.1f ms\n", c->status, c->latency_ms);
		else if (c->up)
			printf("connected in %.1f ms\n", c->latency_ms);
		else
			printf("%s\n", c->error);
	}
	tally->saved += r->batch != 0;
	tally->up += up;
	tally->down += down;
	if (r->batch)
		printf("merit: round %ld: %zu up, %zu down, saved as batch %lld", r->number, up, down,
		       (long long)r->batch);
	else
		printf("merit: round %ld: nothing checked", r->number);
	if (left)
		printf(" (%zu not finished when stopped)", left);
	printf("\n");
	fflush(stdout);
}

static int probe_run(mr_cli *cli, long rounds)
{
	struct sigaction sa, old_int, old_term, old_pipe;
	struct run_tally tally = { 0, 0, 0 };
	mr_err err = MR_ERR_INIT;
	int status;
	if ((status = check_plan(cli)))
		return status;
	mr_store *s = mr_cli_store(cli);
	if (!s)
		return MR_EXIT_FAIL;
	if (mr_probe_global_init(&err)) {
		status = mr_cli_fail(&err);
		mr_err_clear(&err);
		return status;
	}
	stop_flag = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;          /* no SA_RESTART: a stop cuts a sleep short */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sa.sa_handler = SIG_IGN;          /* a server closing on us is a result, not a death */
	sigaction(SIGPIPE, &sa, &old_pipe);
	int rc = mr_probe_run(s, rounds, &stop_flag, print_round, &tally, &err);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	mr_probe_global_cleanup();
	if (rc) {
		status = mr_cli_fail(&err);
	} else if (stop_flag) {
		printf("merit: stopped; %ld rounds saved (%zu checks up, %zu down)\n", tally.saved,
		       tally.up, tally.down);
	}
	mr_err_clear(&err);
	return status;
}

int mr_cmd_probe(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "who", required_argument, NULL, 'w' },
		{ "every", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "once", no_argument, NULL, 'o' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("probe");
	const char *who = NULL, *every = NULL, *timeout = NULL, *rounds_text = NULL;
	int c, status = 0, json = 0, once = 0;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case 'w': who = optarg; break;
		case 'e': every = optarg; break;
		case 't': timeout = optarg; break;
		case 'o': once = 1; break;
		case 'r': rounds_text = optarg; break;
		case 'j': json = 1; break;
		}
	}
	if (optind >= argc)
		return mr_cli_usage(cmd, "say add, list, rm or run");
	const char *sub = argv[optind];
	int nargs = argc - optind - 1;
	int is_add = strcmp(sub, "add") == 0, is_run = strcmp(sub, "run") == 0;
	if (!is_add && (who || every || timeout))
		return mr_cli_usage(cmd, "%s applies to probe add", who ? "--who" : every ? "--every"
		                    : "--timeout");
	if (!is_run && (once || rounds_text))
		return mr_cli_usage(cmd, "%s applies to probe run", once ? "--once" : "--rounds");
	if (json && strcmp(sub, "list") != 0)
		return mr_cli_usage(cmd, "--json applies to probe list");
	if (is_add) {
		if (nargs != 1)
			return mr_cli_usage(cmd, "say probe add URL --who LOGIN");
		return probe_add(cli, cmd, argv[optind + 1], who, every, timeout);
	}
	if (strcmp(sub, "list") == 0) {
		if (nargs != 0)
			return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind + 1]);
		return probe_list(cli, json);
	}
	if (strcmp(sub, "rm") == 0) {
		if (nargs != 1)
			return mr_cli_usage(cmd, "say probe rm ID");
		return probe_rm(cli, cmd, argv[optind + 1]);
	}
	if (is_run) {
		long rounds = 0;
		if (nargs != 0)
			return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind + 1]);
		if (once && rounds_text)
			return mr_cli_usage(cmd, "say --once or --rounds N, not both");
		if (rounds_text) {
			char *end;
			errno = 0;
			rounds = strtol(rounds_text, &end, 10);
			if (errno || *end || rounds <= 0 || end == rounds_text)
				return mr_cli_usage(cmd, "--rounds \"%s\": say a whole number ≥ 1",
				                    rounds_text);
		}
		return probe_run(cli, once ? 1 : rounds);
	}
	return mr_cli_usage(cmd, "\"%s\" is not a probe command: say add, list, rm or run", sub);
}

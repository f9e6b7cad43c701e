/* cmd_serve.c — `merit serve`: the web app over the same database. */
#include "cli/cli.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest/probe.h"
#include "ops/notify.h"
#include "report/report.h"
#include "util/num.h"
#include "web/web.h"

static volatile sig_atomic_t stop;

/* The first SIGINT or SIGTERM stops the server (mr_web_serve winds
 * down); a second ends the process at once. */
static void on_signal(int sig)
{
	(void)sig;
	if (stop) {
		static const char msg[] = "merit: stopped at once (a second signal; work still "
		                          "running was cut short, a change not finished was not saved)\n";
		alarm(3);                  /* a cancel that cannot reach the server: SIGALRM ends it */
		mr_store_cancel_all();
		ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
		(void)n;
		_exit(0);
	}
	stop = 1;
}

/* what start-up removed: told after the line that says where we serve */
struct swept { long dirs; long long bytes; };

static void ready(const char *url, void *payload)
{
	const struct swept *sw = payload;
	fprintf(stderr, "merit: serving %s (stop with Ctrl-C)\n", url);
	if (sw->dirs)
		fprintf(stderr, "merit: removed %ld leftover upload director%s (%.1f MB)\n",
		        sw->dirs, sw->dirs == 1 ? "y" : "ies", (double)sw->bytes / 1e6);
	fflush(stderr);
}

/* The notices' sender: a thread with its own connection that runs the
 * periodic pass and sends what is due every `every` seconds (ops/notify.h),
 * until the server stops.  While a `merit notify run` holds the sending,
 * it waits for the next round. */
struct notifier {
	const char *db, *actor;
	int every;
	volatile sig_atomic_t done;
	pthread_t thread;
	int started;
};

static void *notifier_main(void *payload)
{
	struct notifier *n = payload;
	mr_store *s = NULL;
	mr_err err = MR_ERR_INIT;
	if (mr_store_open(&s, n->db, &err) || mr_store_set_actor(s, n->actor)) {
		fprintf(stderr, "merit: notices are not sent: %s\n", err.msg ? err.msg : "no memory");
		goto done;
	}
	while (!n->done && !stop) {
		mr_notify_tally t;
		if (mr_notify_tick(s, n->db, &n->done, &t, &err) && err.code != MR_EBUSY)
			fprintf(stderr, "merit: notices: %s\n", err.msg);
		else if (t.sent || t.failed)
			fprintf(stderr, "merit: notices: %d sent, %d given up\n", t.sent, t.failed);
		mr_err_clear(&err);
		for (long ms = 0; ms < n->every * 1000L && !n->done && !stop; ms += 200) {
			struct timespec ts = { 0, 200 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
done:
	mr_err_clear(&err);
	mr_store_close(s);
	return NULL;
}

/* A whole number lo..hi. */
static int whole(const char *text, double lo, double hi, int *out)
{
	double v;
	if (mr_num_parse(&v, text) || v < lo || v > hi || v != (int)v)
		return -1;
	*out = (int)v;
	return 0;
}

static int seconds(const char *text, int *out)
{
	return whole(text, 1, 31 * 86400.0, out);
}

int mr_cmd_serve(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "session-idle", required_argument, NULL, 'i' },
		{ "session-max", required_argument, NULL, 'm' },
		{ "max-upload", required_argument, NULL, 'u' },
		{ "max-connections", required_argument, NULL, 'C' },
		{ "max-per-address", required_argument, NULL, 'A' },
		{ "head-timeout", required_argument, NULL, 'H' },
		{ "request-timeout", required_argument, NULL, 'T' },
		{ "login-failures", required_argument, NULL, 'f' },
		{ "login-pause", required_argument, NULL, 'p' },
		{ "notify-every", required_argument, NULL, 'N' },
		{ "access-log", required_argument, NULL, 'a' },
		{ "trust-proxy", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("serve");
	const char *listen = "127.0.0.1:8080", *cert = NULL, *key = NULL, *access = NULL;
	mr_web_config cfg;
	struct notifier nt;
	int c, status = 0, curl_on = 0;
	memset(&cfg, 0, sizeof cfg);
	memset(&nt, 0, sizeof nt);
	nt.every = 60;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case 'l': listen = optarg; break;
		case 'a': access = optarg; break;
		case 'P': cfg.trust_proxy = 1; break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 'i':
			if (seconds(optarg, &cfg.session_idle))
				return mr_cli_usage(cmd, "--session-idle \"%s\": whole seconds, 1 to "
				                    "2678400", optarg);
			break;
		case 'm':
			if (seconds(optarg, &cfg.session_max))
				return mr_cli_usage(cmd, "--session-max \"%s\": whole seconds, 1 to "
				                    "2678400", optarg);
			break;
		case 'f':
			if (whole(optarg, 1, 100, &cfg.login_failures))
				return mr_cli_usage(cmd, "--login-failures \"%s\": a whole number, 1 to 100",
				                    optarg);
			break;
		case 'p':
			if (whole(optarg, 1, 3600, &cfg.login_pause))
				return mr_cli_usage(cmd, "--login-pause \"%s\": whole seconds, 1 to 3600",
				                    optarg);
			break;
		case 'u': {
			double mib;
			if (mr_num_parse(&mib, optarg) || mib < 1 || mib > 4096)
				return mr_cli_usage(cmd, "--max-upload \"%s\": MiB, 1 to 4096", optarg);
			cfg.max_upload = (size_t)(mib * 1048576.0);
			break;
		}
		case 'C':
			if (whole(optarg, 16, 1000000, &cfg.max_conns))
				return mr_cli_usage(cmd, "--max-connections \"%s\": a whole number, 16 to "
				                    "1000000", optarg);
			break;
		case 'A':
			if (whole(optarg, 1, 1000000, &cfg.max_per_addr))
				return mr_cli_usage(cmd, "--max-per-address \"%s\": a whole number, 1 to "
				                    "1000000", optarg);
			break;
		case 'T':
			if (whole(optarg, 1, 3600, &cfg.request_time))
				return mr_cli_usage(cmd, "--request-timeout \"%s\": whole seconds, 1 to "
				                    "3600", optarg);
			break;
		case 'N':
			if (whole(optarg, 0, 86400, &nt.every))
				return mr_cli_usage(cmd, "--notify-every \"%s\": whole seconds, 0 (no "
				                    "sending) to 86400", optarg);
			break;
		case 'H':
			if (whole(optarg, 1, 3600, &cfg.head_timeout))
				return mr_cli_usage(cmd, "--head-timeout \"%s\": whole seconds, 1 to 3600",
				                    optarg);
			break;
		}
	}
	if (argc != optind)
		return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind]);
	if (!cert != !key)
		return mr_cli_usage(cmd, "TLS needs both --tls-cert and --tls-key");
	/* "a server is using this database": `merit restore` refuses while any
	 * server holds this lock.  Taken before the database is opened, kept
	 * until every connection to it is closed (see mr_store_server_lock). */
	mr_err err = MR_ERR_INIT;
	int lock_fd = -1;
	if (mr_store_server_lock(cli->db, &lock_fd, &err)) {
		status = mr_cli_fail(&err);
		mr_err_clear(&err);
		return status;
	}
	mr_web *w = NULL;
	/* the access log: appended to, a line at a time (- : standard output) */
	if (access && !*access) {
		status = mr_cli_usage(cmd, "--access-log needs a file name (or - for standard output)");
		goto done;
	}
	if (access && strcmp(access, "-") == 0) {
		cfg.access_log = stdout;
	} else if (access && !(cfg.access_log = fopen(access, "a"))) {
		fprintf(stderr, "merit: --access-log %s: %s\n", access, strerror(errno));
		status = MR_EXIT_FAIL;
		goto done;
	}
	if (cfg.access_log)
		setvbuf(cfg.access_log, NULL, _IOLBF, 0);
	/* the database must exist and open (with its plan made by `merit init`) */
	mr_plan *plan = mr_cli_store(cli) ? mr_cli_plan(cli) : NULL;
	if (!plan) {
		status = MR_EXIT_FAIL;
		goto done;
	}
	mr_plan_free(plan);

	/* uploads a killed server left in $TMPDIR (a running one's are locked) */
	struct swept sw = { 0, 0 };
	mr_web_upload_sweep(&sw.dirs, &sw.bytes);
	/* and what imports killed half-way left in the database (nobody reads
	 * it; the next import would remove it too) */
	int live;
	if (mr_store_loading_sweep(cli->store, &live, &err)) {
		fprintf(stderr, "merit: note: %s\n", err.msg);
		mr_err_clear(&err);
	}
	mr_err_clear(&err);          /* live: an import writes now; fine */

	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	/* a login's Argon2id check holds a thread for a while: never fewer than 4 */
	int threads = cpus < 4 ? 4 : cpus > 16 ? 16 : (int)cpus;
	cfg.db = cli->db;
	cfg.secure = cert != NULL;
	if (mr_web_new(&w, &cfg, threads, &err)) {
		status = mr_cli_fail(&err);
		goto done;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	nt.db = cli->db;
	nt.actor = mr_store_actor(cli->store);
	if (nt.every > 0 && mr_probe_global_init(&err)) {   /* libcurl's, before any thread */
		fprintf(stderr, "merit: notices are not sent: %s\n", err.msg);
		mr_err_clear(&err);
		nt.every = 0;
	}
	curl_on = nt.every > 0;
	if (nt.every > 0) {
		if (pthread_create(&nt.thread, NULL, notifier_main, &nt) == 0)
			nt.started = 1;
		else
			fprintf(stderr, "merit: notices are not sent: no thread for them\n");
	}
	if (mr_web_serve(w, listen, cert, key, &stop, ready, &sw, &err)) {
		status = mr_cli_fail(&err);
	} else if (stop == MR_WEB_CUT_SHORT) {
		/* requests still running after the grace: their threads use w
		 * and the database; the process ends under them (a change not
		 * committed is rolled back, the locks go with the process) */
		fputs(MR_WEB_CUT_SHORT_MSG, stderr);
		fflush(stderr);
		_exit(0);
	} else {
		fprintf(stderr, "merit: stopped\n");
	}
done:
	if (nt.started) {         /* a send under way ends within its timeout */
		nt.done = 1;
		pthread_join(nt.thread, NULL);
	}
	if (curl_on)
		mr_probe_global_cleanup();
	mr_web_free(w);
	mr_report_shutdown();     /* the font caches PDF downloads filled */
	mr_err_clear(&err);
	mr_store_close(cli->store);    /* every connection, then the lock's descriptor */
	cli->store = NULL;
	if (lock_fd >= 0)
		close(lock_fd);
	if (cfg.access_log && cfg.access_log != stdout)
		fclose(cfg.access_log);
	return status;
}

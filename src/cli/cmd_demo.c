/* cmd_demo.c — `merit demo`: a sample team through the real pipeline.
 *
 * It writes the files a user would have (a plan, and per month the raw
 * exports of the web server, shop, tracker, CRM, CMS, rank tracker and
 * uptime checker: demo_data.c), then drives the same commands a user
 * would type — ingest, import, own, rate, cycle — through the command
 * table, into a fresh database in a directory of its own.  The data is
 * generated from a fixed seed, so every run prints the same.
 */
#include "cli/cli.h"

#include "ops/ops.h"
#include "cli/demo_data.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/plan_yaml.h"
#include "report/plan_write.h"
#include "util/buf.h"
#include "util/file.h"

#define team mr_demo_team
#define NTEAM mr_demo_nteam
#define months mr_demo_months

/* Run one merit command line.  Quietly: its output goes to /dev/null and
 * its messages (an importer's notes on what it did not count) to a
 * scratch file that reaches stderr only when the step fails. */
static int run(mr_cli *cli, int quiet, const char *fmt, ...) MR_PRINTF(3, 4);
static int run(mr_cli *cli, int quiet, const char *fmt, ...)
{
	char line[1024], *argv[64];
	int argc = 0, saved = -1, saved_err = -1, rc;
	FILE *notes = NULL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* split on '|' so names may hold spaces */
	for (char *p = line; p && argc < 63;) {
		argv[argc++] = p;
		p = strchr(p, '|');
		if (p)
			*p++ = 0;
	}
	argv[argc] = NULL;
	if (quiet) {
		fflush(stdout);
		fflush(stderr);
		saved = dup(STDOUT_FILENO);
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			close(null);
		}
		if ((notes = tmpfile()) && (saved_err = dup(STDERR_FILENO)) >= 0)
			dup2(fileno(notes), STDERR_FILENO);
	}
	rc = mr_cli_run(cli, argc, argv);
	if (saved >= 0) {
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
	if (saved_err >= 0) {
		fflush(stderr);
		dup2(saved_err, STDERR_FILENO);
		close(saved_err);
		if (rc) {       /* what the step said: why it failed */
			char buf[4096];
			size_t n;
			rewind(notes);
			while ((n = fread(buf, 1, sizeof buf, notes)) > 0)
				fwrite(buf, 1, n, stderr);
		}
	}
	if (notes)
		fclose(notes);
	if (rc)
		fprintf(stderr, "merit demo: step failed: merit %s\n", argv[0]);
	return rc;
}

static int write_file(const char *path, const mr_buf *b)
{
	mr_err err = MR_ERR_INIT;
	if (mr_file_write(path, b->data, b->len, &err)) {
		mr_cli_fail(&err);
		mr_err_clear(&err);
		return 1;
	}
	return 0;
}

#define DEMO_PASSWORD "merit-demo"

/* "|--criterion|k=S" for each criterion a person of `position` is rated
 * on, all at `stars` (the demo's raters are even-handed). */
static void stars_args(char *out, size_t size, const mr_plan *plan, const char *position,
                       double stars)
{
	size_t n, len = 0;
	const mr_criterion *c = mr_plan_criteria(plan, position, &n);
	out[0] = 0;
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "|--criterion|%s=%.1f", c[i].key, stars);
}

static int demo_users(mr_store *s, void *payload, mr_err *err)
{
	static const char *const users[][2] = {
		{ "owner", "admin" }, { "wang", "manager" }, { "lina", "member" },
	};
	char hash[MR_PW_HASH_SIZE];
	int rc = 0;
	(void)payload;
	for (size_t i = 0; i < sizeof users / sizeof users[0] && !rc; i++)
		if (!(rc = mr_op_password_hash(hash, DEMO_PASSWORD, err)))
			rc = mr_store_user_put(s, users[i][0], users[i][1], hash, 1, err);
	return rc;
}

int mr_cmd_demo(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("demo");
	const char *dir = "demo";
	int c, status = 0;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		if (c == -2)
			return status;
		if (c == 'd')
			dir = optarg;
	}
	if (optind < argc)
		return mr_cli_usage(cmd, "unexpected argument \"%s\"", argv[optind]);
	/* on PostgreSQL (--db URL): the demo's company goes there, into an
	 * empty database, and only its files into dir */
	int pg = mr_db_is_url(cli->db);
	char db[512], path[600], mark[600];
	snprintf(db, sizeof db, "%s/merit.db", dir);
	snprintf(mark, sizeof mark, "%s/.merit-demo", dir);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "merit demo: %s: %s\n", dir, strerror(errno));
		return MR_EXIT_FAIL;
	}
	/* Start afresh, but only over a database an earlier demo made. */
	if (access(db, F_OK) == 0 && access(mark, F_OK) != 0) {
		fprintf(stderr, "merit demo: %s exists and is not a demo's; choose another --dir\n", db);
		return MR_EXIT_FAIL;
	}
	/* on PostgreSQL: only into an empty database (nothing read there is
	 * changed, an older merit's schema not upgraded) */
	if (pg) {
		int empty = 0;
		mr_err oerr = MR_ERR_INIT;
		if (mr_store_pg_empty(cli->db, &empty, &oerr)) {
			mr_cli_fail(&oerr);
			mr_err_clear(&oerr);
			return MR_EXIT_FAIL;
		}
		if (!empty) {
			fprintf(stderr, "merit demo: %s is not empty; the demo goes into an empty "
			        "database (createdb NAME)\n", cli->db);
			return MR_EXIT_FAIL;
		}
	}
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3 && !pg; i++) {
		snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
		if (unlink(path) && errno != ENOENT) {
			fprintf(stderr, "merit demo: %s: %s\n", path, strerror(errno));
			return MR_EXIT_FAIL;
		}
	}
	static const char mark_text[] =
		"made by `merit demo`; the demo may replace this directory's merit.db\n";
	mr_err merr = MR_ERR_INIT;
	if (mr_file_write(mark, mark_text, sizeof mark_text - 1, &merr)) {
		mr_cli_fail(&merr);
		mr_err_clear(&merr);
		return MR_EXIT_FAIL;
	}

	mr_cli demo = { .db = pg ? cli->db : db, .prog = "merit" };
	mr_buf b;
	mr_err err = MR_ERR_INIT;
	mr_plan *plan = NULL;
	mr_buf_init(&b);
	status = MR_EXIT_FAIL;

	/* 1. The plan: the built-in one for sales, with peers counting 10%. */
	if (run(&demo, 1, "init|--goal|sales"))
		goto done;
	if (mr_plan_builtin(&plan, MR_GOAL_SALES, MR_PERIOD_MONTH, &err)) {
		mr_cli_fail(&err);
		goto done;
	}
	plan->blend[MR_COMP_KPI] = 60;
	plan->blend[MR_COMP_MANAGER] = 20;
	plan->blend[MR_COMP_SELF] = 10;
	plan->blend[MR_COMP_PEER] = 10;
	/* A forced distribution: at most 10% S and 25% A. */
	plan->quotas = calloc(2, sizeof *plan->quotas);
	if (!plan->quotas || !(plan->quotas[0].grade = strdup("S")) ||
	    !(plan->quotas[1].grade = strdup("A"))) {
		fprintf(stderr, "merit demo: out of memory\n");
		goto done;
	}
	plan->quotas[0].pct = 10;
	plan->quotas[1].pct = 25;
	plan->nquotas = 2;
	mr_plan_write(&b, plan);
	snprintf(path, sizeof path, "%s/plan.yaml", dir);
	if (write_file(path, &b) || run(&demo, 1, "plan|import|%s", path))
		goto done;

	/* 2. The team, under the owner: a reviewer, who rates the operations
	 * manager and is never scored or paid. */
	if (run(&demo, 1, "staff|add|owner|--name|刘强 (owner)|--reviewer"))
		goto done;
	for (size_t i = 0; i < NTEAM; i++) {
		const mr_demo_person *t = &team[i];
		char extra[128] = "";
		size_t n = 0;
		if (t->manager)
			n += (size_t)snprintf(extra + n, sizeof extra - n, "|--manager|%s", t->manager);
		if (t->from)
			snprintf(extra + n, sizeof extra - n, "|--from|%s", t->from);
		if (run(&demo, 1, "staff|add|%s|--name|%s|--position|%s%s", t->login, t->name,
		        t->position, extra))
			goto done;
	}
	for (size_t i = 0; mr_demo_rules[i][0]; i++)
		if (run(&demo, 1, "own|%s|%s|--who|%s", mr_demo_rules[i][0], mr_demo_rules[i][1],
		        mr_demo_rules[i][2]))
			goto done;

	/* 3. Three months of raw files, read the way a user would.  The Jira
	 * export carries the team's own "First review" field: its mapping is
	 * saved once as a source, as a company would. */
	if (run(&demo, 1, "source|add|jira|--kind|tasks|--map|Custom field (First review)=first_review"))
		goto done;
	mr_demo_counts n = { 0 };
	mr_demo_reset();
	for (size_t m = 0; m < MR_DEMO_MONTHS; m++) {
		if (mr_demo_write_month(dir, m, &n, &err)) {
			mr_cli_fail(&err);
			goto done;
		}
		for (size_t f = 0; f < mr_demo_nfiles; f++) {
			const mr_demo_file *df = &mr_demo_files[f];
			if (run(&demo, 1, "%s|%s/%s-%s.%s%s", df->command, dir, df->stem, months[m],
			        df->ext, df->options))
				goto done;
		}
	}

	/* 4. The review cycles: September and October rated; October closed
	 * and its results released. */
	static const char *const peers[][2] = {
		{ "lina", "sun" }, { "sun", "lina" }, { "zhao", "chen" }, { "chen", "zhao" },
		{ "li", "zhou" }, { "zhou", "wu" }, { "wu", "zhou" }, { "wang", "lina" },
	};
	for (size_t m = 0; m < 2; m++) {
		if (run(&demo, 1, "cycle|open|%s", months[m]))
			goto done;
		/* the manager names each person's peer (the plan's peers: nominated) */
		for (size_t k = 0; k < sizeof peers / sizeof peers[0]; k++)
			if (run(&demo, 1, "peers|%s|--period|%s|--set|%s", peers[k][0], months[m],
			        peers[k][1]))
				goto done;
		for (size_t i = 0; i < NTEAM; i++) {
			const mr_demo_person *t = &team[i];
			double self = 3.5 + (mr_demo_rnd() < 0.5 ? 0.5 : 1.0);
			double mgr = t->skill >= 1.0 ? 4.5 : t->skill >= 0.9 ? 4 : 3;
			if (t->from && m == 0)
				continue;
			char cs[256], cm[256], cp[256];
			stars_args(cs, sizeof cs, plan, t->position, self);
			stars_args(cm, sizeof cm, plan, t->position, mgr);
			stars_args(cp, sizeof cp, plan, t->position, 4);
			if (run(&demo, 1, "rate|%s|--period|%s|--by|self%s", t->login, months[m], cs) ||
			    (t->manager && run(&demo, 1, "rate|%s|--period|%s|--by|manager%s|--comment|"
			                       "monthly review", t->login, months[m], cm)))
				goto done;
			for (size_t k = 0; k < sizeof peers / sizeof peers[0]; k++)
				if (strcmp(peers[k][0], t->login) == 0 &&
				    run(&demo, 1, "rate|%s|--period|%s|--by|peer:%s%s", t->login, months[m],
				        peers[k][1], cp))
					goto done;
		}
		if (run(&demo, 1, "cycle|review|%s", months[m]))
			goto done;
	}
	/* closed and released: the members see their October results */
	if (run(&demo, 1, "cycle|close|%s", months[1]) || run(&demo, 1, "cycle|release|%s", months[1]) ||
	    run(&demo, 1, "cycle|open|%s", months[2]))
		goto done;

	/* 5. Users of the web app: the owner, the manager and one member. */
	if (mr_cli_tx(&demo, demo_users, NULL, &err)) {
		mr_cli_fail(&err);
		goto done;
	}
	/* 6. The closed cycle's reports, as the owner would send them round. */
	static const char *const formats[] = { "html", "xlsx", "pdf" };
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (run(&demo, 1, "report|%s|--format|%s|-o|%s/report-%s.%s", months[1], formats[i],
		        dir, months[1], formats[i]))
			goto done;

	/* 7. What a user looks at. */
	printf("merit demo: a sales team of %zu, %s..%s, cycle %s closed; from raw files:\n"
	       "  %ld access-log lines, %ld orders, %ld tasks, %ld leads, %ld articles, %ld posts,\n"
	       "  %ld keyword ranks, %ld uptime checks\n\n",
	       NTEAM, months[0], months[2], months[1], n.log_lines, n.orders, n.tasks, n.leads,
	       n.articles, n.posts, n.ranks, n.checks);
	fflush(stdout);
	if (run(&demo, 0, "score|%s", months[1]))
		goto done;
	printf("\nThe owner (刘强, login owner) is a reviewer: he gave wang, the operations\n"
	       "manager, her manager rating, and is not scored, ranked or paid himself.\n"
	       "Everyone is rated on their own post's criteria; peers were nominated.\n");
	char shown[512];
	mr_db_shown(demo.db, shown, sizeof shown);    /* a URL's password as *** */
	const char *at = pg ? shown : db;
	printf("\nFiles in %s/: %splan.yaml (the plan), and per month\n"
	       "  access-*.log (the web server), orders-*.csv (Shopify), tasks-*.csv (Jira),\n"
	       "  leads-, content-, posts-, ranks-, uptime-*.csv (CRM, CMS, promoters, rank\n"
	       "  tracker, uptime checks); report-%s.html, .xlsx and .pdf (the closed\n"
	       "  cycle's appraisal: a page to mail, the accountant's workbook, the forms to sign)\n"
	       "Try:  ./merit --db %s score %s --who sun     (a scorecard, traced to file lines)\n"
	       "      ./merit --db %s score %s --who wang    (rated by the owner; peers anonymous)\n"
	       "      ./merit --db %s score %s              (the month in progress)\n"
	       "      ./merit --db %s score %s --json\n"
	       "      ./merit --db %s batches                  (every file read)\n"
	       "      ./merit --db %s traffic --from %s-01 --to %s-07\n"
	       "      ./merit --db %s serve                   (the web app at http://127.0.0.1:8080/:\n"
	       "            log in as owner (admin), wang (manager) or lina (member),\n"
	       "            password " DEMO_PASSWORD ")\n",
	       dir, pg ? "" : "merit.db (the database), ", months[1], at, months[1], at, months[1],
	       at, months[2], at, months[1], at, at, months[1], months[1], at);
	status = MR_EXIT_OK;
done:
	mr_store_close(demo.store);
	mr_plan_free(plan);
	mr_buf_release(&b);
	mr_err_clear(&err);
	return status;
}

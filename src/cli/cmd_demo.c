/* cmd_demo.c — `merit demo`: a sample team through the real pipeline.
 *
 * It writes the files a user would have (a plan, monthly measurement
 * CSVs), then drives the same commands a user would type, through the
 * command table, into a fresh database in a directory of its own.  The
 * data is generated from a fixed seed, so every run prints the same.
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/plan_yaml.h"
#include "report/plan_write.h"
#include "util/buf.h"
#include "util/file.h"

struct person {
	const char *login, *name, *position, *manager, *from;
	double skill;                /* how well their month goes, about 1 */
};

static const struct person team[] = {
	{ "wang",  "王芳",       "manager",   NULL,   NULL,         1.00 },
	{ "lina",  "Lina Chen",  "promoter",  "wang", NULL,         1.08 },
	{ "sun",   "孙浩",       "promoter",  "wang", "2026-10-15", 0.92 },
	{ "zhao",  "赵磊",       "editor",    "wang", NULL,         1.02 },
	{ "chen",  "陈静",       "editor",    "wang", NULL,         0.84 },
	{ "li",    "李娜",       "designer",  "wang", NULL,         0.97 },
	{ "zhou",  "周杰",       "developer", "wang", NULL,         0.90 },
	{ "wu",    "吴强",       "support",   "wang", NULL,         1.04 },
};
#define NTEAM (sizeof team / sizeof team[0])

static const char *const months[] = { "2026-09", "2026-10", "2026-11" };

/* A fixed-seed generator (xorshift): the demo prints the same every time. */
static unsigned long long seed = 0x9E3779B97F4A7C15ull;
static double rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (double)(seed >> 11) / 9007199254740992.0;
}
static long around(double mean, double spread)
{
	double v = mean + (rnd() * 2 - 1) * spread;
	return v < 0 ? 0 : (long)(v + 0.5);
}

static void row(mr_buf *b, const char *day, const char *ind, const char *who, long v, long den)
{
	mr_buf_printf(b, "%s,%s,%s,%ld,", day, ind, who ? who : "", v);
	if (den >= 0)
		mr_buf_printf(b, "%ld", den);
	mr_buf_putc(b, '\n');
}

/* One month of what the shop, CRM, CMS, tracker, rank tool and probe
 * would have said, as measurement rows. */
static void month_rows(mr_buf *b, const char *month)
{
	mr_period p;
	mr_period_parse(&p, month, NULL);
	for (int d = p.first; d <= p.last; d++) {
		char day[11];
		int weekday = (d + 4) % 7;   /* 1970-01-01 was a Thursday: 0 = Sunday */
		mr_day_format(day, d);
		row(b, day, "online_sales", NULL, around(16000, 6000), -1);
		row(b, day, "opportunities", NULL, around(9, 5), -1);
		for (size_t i = 0; i < NTEAM; i++) {
			const struct person *t = &team[i];
			double k = t->skill;
			if (t->from && strcmp(day, t->from) < 0)
				continue;
			if (strcmp(t->position, "promoter") == 0) {
				row(b, day, "promo_posts", t->login, around(1.3 * k, 1), -1);
				row(b, day, "site_visits", t->login, around(330 * k, 120), -1);
				row(b, day, "online_customers", t->login, around(1.6 * k, 1.4), -1);
				if (weekday == 1)
					row(b, day, "keyword_rank", t->login, around(9 / k, 3), -1);
			} else if (strcmp(t->position, "editor") == 0) {
				if (weekday != 0 && weekday != 6)
					row(b, day, "content_updates", t->login, around(2.8 * k, 1.5), -1);
				if (weekday == 3)
					row(b, day, "topics_produced", t->login, around(1.0 * k, 0.6), -1);
				long views = around(420, 150);
				row(b, day, "share_rate", t->login, around(views * 0.05 * k, 6), views);
			} else if (weekday == 5 && strcmp(t->position, "designer") == 0) {
				long due = around(5, 2) + 1;
				long done = around(due * 0.93 * k, 1);
				row(b, day, "design_completion", t->login, done > due ? due : done, due);
				long ok = around(due * 0.85 * k, 1);
				row(b, day, "design_approval", t->login, ok > due ? due : ok, due);
			} else if (weekday == 5 && (strcmp(t->position, "developer") == 0 ||
			                            strcmp(t->position, "support") == 0)) {
				long due = around(7, 3) + 1;
				long done = around(due * 0.92 * k, 1.5);
				row(b, day, "task_completion", t->login, done > due ? due : done, due);
			}
			if (strcmp(t->position, "support") == 0) {
				long down = rnd() < 0.1 ? around(25, 20) : 0;
				row(b, day, "uptime", t->login, 1440 - down, 1440);
			}
		}
	}
}

/* Run one merit command line quietly (its own messages go to /dev/null;
 * errors still reach stderr). */
static int run(mr_cli *cli, int quiet, const char *fmt, ...) MR_PRINTF(3, 4);
static int run(mr_cli *cli, int quiet, const char *fmt, ...)
{
	char line[1024], *argv[64];
	int argc = 0, saved = -1, rc;
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
		saved = dup(STDOUT_FILENO);
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			close(null);
		}
	}
	rc = mr_cli_run(cli, argc, argv);
	if (saved >= 0) {
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
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
	(void)cli;

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
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
		if (unlink(path) && errno != ENOENT) {
			fprintf(stderr, "merit demo: %s: %s\n", path, strerror(errno));
			return MR_EXIT_FAIL;
		}
	}
	FILE *mf = fopen(mark, "w");
	if (!mf || fputs("made by `merit demo`; the demo may replace this directory's merit.db\n", mf) < 0) {
		fprintf(stderr, "merit demo: %s: %s\n", mark, strerror(errno));
		if (mf)
			fclose(mf);
		return MR_EXIT_FAIL;
	}
	fclose(mf);

	mr_cli demo = { db, "merit", NULL, 0 };
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

	/* 2. The team. */
	for (size_t i = 0; i < NTEAM; i++) {
		const struct person *t = &team[i];
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
	if (run(&demo, 1, "own|channel|wechat|--who|lina") ||
	    run(&demo, 1, "own|channel|weibo|--who|sun") ||
	    run(&demo, 1, "own|url|/blog/|--who|zhao") ||
	    run(&demo, 1, "own|site|shop.example.com|--who|wu"))
		goto done;

	/* 3. Three months of data, one file a month, as imports. */
	long rows = 0;
	for (size_t m = 0; m < 3; m++) {
		mr_buf_reset(&b);
		mr_buf_puts(&b, "date,indicator,login,value,denominator\n");
		month_rows(&b, months[m]);
		for (size_t i = 0; i < b.len; i++)
			rows += b.data[i] == '\n';
		rows--;
		snprintf(path, sizeof path, "%s/measurements-%s.csv", dir, months[m]);
		if (write_file(path, &b) || run(&demo, 1, "import|measurements|%s", path))
			goto done;
	}

	/* 4. The review cycles: September and October rated; October closed. */
	static const char *const peers[][2] = {
		{ "lina", "sun" }, { "sun", "lina" }, { "zhao", "chen" }, { "chen", "zhao" },
		{ "li", "zhou" }, { "zhou", "wu" }, { "wu", "zhou" }, { "wang", "lina" },
	};
	for (size_t m = 0; m < 2; m++) {
		if (run(&demo, 1, "cycle|open|%s", months[m]))
			goto done;
		for (size_t i = 0; i < NTEAM; i++) {
			const struct person *t = &team[i];
			double self = 3.5 + (rnd() < 0.5 ? 0.5 : 1.0);
			double mgr = t->skill >= 1.0 ? 4.5 : t->skill >= 0.9 ? 4 : 3;
			if (t->from && m == 0)
				continue;
			if (run(&demo, 1, "rate|%s|--period|%s|--by|self|--criterion|overall=%.1f",
			        t->login, months[m], self) ||
			    (t->manager && run(&demo, 1, "rate|%s|--period|%s|--by|manager|--criterion|"
			                       "overall=%.1f|--comment|monthly review", t->login,
			                       months[m], mgr)))
				goto done;
			for (size_t k = 0; k < sizeof peers / sizeof peers[0]; k++)
				if (strcmp(peers[k][0], t->login) == 0 &&
				    run(&demo, 1, "rate|%s|--period|%s|--by|peer:%s|--criterion|overall=4",
				        t->login, months[m], peers[k][1]))
					goto done;
		}
		if (run(&demo, 1, "cycle|review|%s", months[m]))
			goto done;
	}
	if (run(&demo, 1, "cycle|close|%s", months[1]) || run(&demo, 1, "cycle|open|%s", months[2]))
		goto done;

	/* 5. What a user looks at. */
	printf("merit demo: a sales team of %zu, %ld measurements over %s..%s, cycle %s closed\n\n",
	       NTEAM, rows, months[0], months[2], months[1]);
	fflush(stdout);
	if (run(&demo, 0, "score|%s", months[1]))
		goto done;
	printf("\nFiles in %s/: merit.db (the database), plan.yaml (the plan), "
	       "measurements-*.csv (the data)\n"
	       "Try:  ./merit --db %s score %s --who sun     (a scorecard, traced to file lines)\n"
	       "      ./merit --db %s score %s              (the month in progress)\n"
	       "      ./merit --db %s score %s --json\n",
	       dir, db, months[1], db, months[2], db, months[1]);
	status = MR_EXIT_OK;
done:
	mr_store_close(demo.store);
	mr_plan_free(plan);
	mr_buf_release(&b);
	mr_err_clear(&err);
	return status;
}

/* cmd_score.c — `merit score`: the appraisal itself, and its what-if. */
#include "cli/cli.h"

#include "ingest/plan_yaml.h"
#include "report/appraise.h"
#include "report/report.h"
#include "report/score_json.h"
#include "report/score_text.h"
#include "util/file.h"
#include "util/num.h"

static const mr_scorecard *find(const mr_result *r, const char *login)
{
	for (size_t i = 0; i < r->npeople; i++)
		if (strcmp(r->people[i].login, login) == 0)
			return &r->people[i];
	return NULL;
}

static void final_cell(mr_buf *b, const mr_scorecard *c)
{
	if (c->scored)
		mr_buf_printf(b, " %8.2f %-5s", c->final, c->grade ? c->grade : "-");
	else
		mr_buf_printf(b, " %-14s", "not scored");
}

/* What-if: who would move under the draft, into or out of "not scored" too. */
static void compare(mr_buf *b, const mr_result *now, const mr_result *draft)
{
	char m1[32], m2[32];
	mr_buf_puts(b, "\nwhat-if: the draft plan against the current one\n"
	               "  login           now   grade       draft grade   change      bonus now    bonus draft\n");
	for (size_t i = 0; i < draft->npeople; i++) {
		const mr_scorecard *d = &draft->people[i];
		const mr_scorecard *n = find(now, d->login);
		if (!n)
			continue;
		mr_money_format(m1, n->bonus_cents);
		mr_money_format(m2, d->bonus_cents);
		mr_buf_printf(b, "  %-12s", d->login);
		final_cell(b, n);
		mr_buf_puts(b, "   ");
		final_cell(b, d);
		if (n->scored && d->scored)
			mr_buf_printf(b, " %+8.2f", d->final - n->final);
		else
			mr_buf_printf(b, " %8s", "");
		mr_buf_printf(b, " %14s %14s", m1, m2);
		if (n->scored != d->scored)
			mr_buf_puts(b, d->scored ? "  ← scored under the draft" : "  ← not scored under the draft");
		else if (strcmp(n->grade ? n->grade : "", d->grade ? d->grade : ""))
			mr_buf_puts(b, "  ← moves");
		mr_buf_putc(b, '\n');
	}
}

int mr_cmd_score(mr_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "who", required_argument, NULL, 'w' },
		{ "plan", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const mr_command *cmd = mr_cli_command("score");
	const char *who = NULL, *draft_path = NULL;
	int c, status = 0, json = 0, csv = 0, rc;
	while ((c = mr_cli_getopt(cmd, argc, argv, opts, &status)) != -1) {
		switch (c) {
		case -2: return status;
		case 'w': who = optarg; break;
		case 'p': draft_path = optarg; break;
		case 'j': json = 1; break;
		case 'c': csv = 1; break;
		}
	}
	if (argc - optind != 1)
		return mr_cli_usage(cmd, "say which PERIOD (2026-11, 2026-Q4, 2026-H2, 2026, or a range)");
	if (json && csv)
		return mr_cli_usage(cmd, "choose --json or --csv");

	mr_err err = MR_ERR_INIT;
	mr_period period;
	mr_plan *plan = NULL, *draft = NULL;
	char *draft_text = NULL;
	mr_appraisal now, what;
	mr_buf out;
	memset(&now, 0, sizeof now);
	memset(&what, 0, sizeof what);
	mr_buf_init(&out);
	if (mr_period_parse(&period, argv[optind], &err)) {
		status = mr_cli_usage(cmd, "%s", err.msg);
		goto done;
	}
	if (!(plan = mr_cli_plan(cli))) {
		status = MR_EXIT_FAIL;
		goto done;
	}
	if (draft_path) {
		size_t len;
		if (mr_file_read(&draft_text, &len, draft_path, &err) ||
		    mr_plan_parse(&draft, draft_text, len, draft_path, &err))
			goto fail;
	}
	mr_store *s = mr_cli_store(cli);
	if (!s) {
		status = MR_EXIT_FAIL;
		goto done;
	}
	/* A read transaction: one consistent view of the data. */
	if (mr_store_begin_read(s, &err))
		goto fail;
	/* the present is the frozen snapshot when the cycle is closed, draft or not */
	rc = mr_appraise(&now, s, plan, &period, 1, &err);
	if (!rc && draft)
		rc = mr_appraise(&what, s, draft, &period, 0, &err);
	mr_store_rollback(s);
	if (rc)
		goto fail;
	const mr_result *r = draft ? what.result : now.result;
	const mr_scorecard *card = NULL;
	if (who && !(card = find(r, who))) {
		mr_report_who_missing(s, who, &period, &err);
		goto fail;
	}
	if (json) {
		char *t = mr_result_json(r, who, 1);
		if (!t) {
			mr_err_nomem(&err);
			goto fail;
		}
		puts(t);
		free(t);
		goto done;
	}
	if (csv) {
		mr_score_csv(&out, r, who);
		if (mr_buf_oom(&out)) {
			mr_err_nomem(&err);
			goto fail;
		}
		fputs(out.data, stdout);
		goto done;
	}
	if (now.frozen && !draft)
		mr_buf_printf(&out, "cycle %s is closed: these are its frozen results\n", period.label);
	else if (now.frozen)
		mr_buf_printf(&out, "cycle %s is closed: its frozen results are the present\n",
		              period.label);
	else if (now.state)
		mr_buf_printf(&out, "cycle %s is %s: results may still change\n", period.label,
		              now.state);
	if (draft)
		mr_buf_printf(&out, "what-if under the draft plan %s: nothing is changed%s\n",
		              draft_path, now.frozen ? " (compared with the frozen results)" : "");
	mr_cli_period_note(draft ? draft : plan, &period);
	if (card) {
		/* the one explanation: the card the web and the reports show */
		mr_report *rep = NULL;
		if (mr_store_begin_read(s, &err) == 0) {
			rc = mr_report_build(&rep, s, draft ? draft : plan, &period, who,
			                     MR_REPORT_ANON_PEERS | (draft ? MR_REPORT_FRESH : 0), &err);
			mr_store_rollback(s);
			if (rc)
				goto fail;
		} else {
			goto fail;
		}
		mr_score_card(&out, rep, draft ? draft : plan);
		mr_report_free(rep);
	} else {
		mr_score_table(&out, r);
	}
	if (draft)
		compare(&out, now.result, what.result);
	if (mr_buf_oom(&out)) {
		mr_err_nomem(&err);
		goto fail;
	}
	fputs(out.data, stdout);
	goto done;
fail:
	status = mr_cli_fail(&err);
done:
	mr_appraisal_release(&now);
	mr_appraisal_release(&what);
	mr_buf_release(&out);
	mr_plan_free(plan);
	mr_plan_free(draft);
	free(draft_text);
	mr_err_clear(&err);
	return status;
}

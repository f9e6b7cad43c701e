/* survey.c — measuring what no system file holds (brand awareness,
 * reputation) with a short questionnaire at a public link, and what its
 * close makes of the answers: one team measurement in a batch of its own
 * (source "survey"), counted like any import's, whose name says how many
 * answered and how the score came out.
 *
 * The questions are fixed, three per set, each answered on a 1..5 scale
 * (the texts, in English and Chinese, are the web page's; doc/web-api.md
 * lists them):
 *   awareness:  how well the respondent knows the brand, whether they can
 *               say what it offers, whether it comes to mind first;
 *   reputation: their overall opinion of it, how far they trust it, how
 *               likely they would recommend it.
 * The score is the mean of every answer of every respondent, ā, mapped
 * from 1..5 onto 0..100:  score = 100 × (ā − 1) ÷ 4,  to one decimal.
 * (Every respondent answers all three, so it is also the mean of the
 * respondents' own scores.) */
#include "ops/ops.h"

#include <math.h>
#include <string.h>

#include "core/period.h"
#include "util/buf.h"

double mr_op_survey_score(int64_t sum, int64_t answers)
{
	if (answers <= 0)
		return 0;
	double mean = (double)sum / (double)(answers * MR_SURVEY_QUESTIONS);
	return round(1000.0 * (mean - 1.0) / 4.0) / 10.0;
}

int mr_op_survey_add(mr_store *s, const mr_plan *plan, mr_survey *sv, int64_t *out_id,
                     mr_err *err)
{
	mr_period p;
	mr_cycle cy;
	if (!mr_plan_indicator(plan, sv->indicator)) {
		int rc = mr_err_set(err, MR_EINVALID, "field \"indicator\": \"%s\" is not in the plan",
		                    sv->indicator);
		mr_err_hint(err, MR_HINT_INDICATOR, "see `merit plan show`");
		return rc;
	}
	if (!sv->questions) {
		const char *q = strcmp(sv->indicator, "brand_awareness") == 0 ? "awareness"
		              : strcmp(sv->indicator, "reputation") == 0 ? "reputation" : NULL;
		if (!q)
			return mr_err_set(err, MR_EINVALID, "field \"questions\" is required for %s: "
			                  "awareness or reputation", sv->indicator);
		if (!(sv->questions = strdup(q)))
			return mr_err_nomem(err);
	}
	if (strcmp(sv->questions, "awareness") && strcmp(sv->questions, "reputation"))
		return mr_err_set(err, MR_EINVALID, "field \"questions\": awareness or reputation, "
		                  "not \"%s\"", sv->questions);
	if (!sv->brand || !*sv->brand || strlen(sv->brand) > 100)
		return mr_err_set(err, MR_EINVALID, "field \"brand\": the name the questions ask "
		                  "about, 1 to 100 bytes");
	if (mr_period_parse(&p, sv->period, err)) {
		mr_err_prefix(err, "field \"period\"");
		return MR_EINVALID;
	}
	int rc = mr_store_cycle_get(s, p.label, &cy, NULL, err);
	if (rc)
		return rc;
	if (strcmp(cy.state, "open"))
		rc = mr_err_set(err, MR_EFROZEN, "cycle %s is %s; a survey takes answers only while "
		                "its cycle is open", p.label, cy.state);
	mr_cycle_release(&cy);
	if (rc)
		return rc;
	free(sv->period);
	if (!(sv->period = strdup(p.label)))
		return mr_err_nomem(err);
	return mr_store_survey_add(s, sv, out_id, err);
}

int mr_op_survey_open(mr_store *s, const mr_survey *sv, mr_err *err)
{
	mr_cycle cy;
	if (strcmp(sv->state, "open"))
		return mr_err_set(err, MR_EFROZEN, "this survey is closed");
	int rc = mr_store_cycle_find(s, sv->period, &cy, NULL, err);
	if (rc == MR_ENOTFOUND)
		return mr_err_set(err, MR_EFROZEN, "this survey is not taking answers");
	if (rc)
		return rc;
	if (strcmp(cy.state, "open"))
		rc = mr_err_set(err, MR_EFROZEN, "this survey is not taking answers: its period "
		                "is over");
	mr_cycle_release(&cy);
	return rc;
}

int mr_op_survey_answer(mr_store *s, const char *token, const unsigned char respondent[32],
                        const int *answers, mr_err *err)
{
	mr_survey sv;
	for (int q = 0; q < MR_SURVEY_QUESTIONS; q++)
		if (answers[q] < 1 || answers[q] > 5)
			return mr_err_set(err, MR_EINVALID, "field \"answers\": question %d takes 1 to "
			                  "5", q + 1);
	int rc = mr_store_survey_by_token(s, token, &sv, err);
	if (rc)
		return rc;
	rc = mr_op_survey_open(s, &sv, err);
	if (!rc)
		rc = mr_store_survey_answer(s, sv.id, respondent, answers, err);
	mr_survey_release(&sv);
	return rc;
}

int mr_op_survey_close(mr_store *s, int64_t id, int64_t *out_batch, double *out_score,
                       mr_err *err)
{
	mr_survey sv;
	mr_cycle cy;
	mr_buf name;
	int64_t batch = 0;
	int rc = mr_store_survey_get(s, id, &sv, err);
	if (rc)
		return rc;
	memset(&cy, 0, sizeof cy);
	mr_buf_init(&name);
	if (strcmp(sv.state, "open")) {
		rc = mr_err_set(err, MR_EEXISTS, "survey #%lld was closed already (batch %lld)",
		                (long long)id, (long long)sv.batch);
		goto done;
	}
	if (!sv.answers) {
		rc = mr_err_set(err, MR_EINVALID, "survey #%lld has no answers yet: there is nothing "
		                "to score", (long long)id);
		goto done;
	}
	if ((rc = mr_store_cycle_get(s, sv.period, &cy, NULL, err)))
		goto done;
	double score = mr_op_survey_score(sv.sum, sv.answers);
	/* the batch's name is the lineage a scorecard's trace shows */
	mr_buf_printf(&name, "survey #%lld (%s of %s, %s): %lld respondents, mean %.2f of 1-5, "
	              "score 100 x (mean - 1) / 4 = %.1f", (long long)id, sv.questions, sv.brand,
	              sv.period, (long long)sv.answers,
	              (double)sv.sum / (double)(sv.answers * MR_SURVEY_QUESTIONS), score);
	if (mr_buf_oom(&name)) {
		rc = mr_err_nomem(err);
		goto done;
	}
	rc = mr_store_batch_add(s, &batch, "survey", name.data, NULL, err);
	if (!rc)
		rc = mr_store_measure_add(s, batch, sv.indicator, NULL, cy.last, score, 0, 0, 0, err);
	if (!rc)
		rc = mr_store_batch_finish(s, batch, 1, NULL, err);
	if (!rc)
		rc = mr_store_survey_close(s, id, batch, err);
	if (!rc) {
		*out_batch = batch;
		*out_score = score;
	}
done:
	mr_buf_release(&name);
	mr_cycle_release(&cy);
	mr_survey_release(&sv);
	return rc;
}

/* evidence.c — what a member may hand in as evidence of their work, and
 * what their manager's approval makes of it: one measurement in a batch
 * of its own (source "evidence"), counted like any import's, whose name
 * says who handed it in and who approved it (SPEC 5, the manual and the
 * promotion posts rows).  A post is counted once per URL, against earlier
 * evidence and the posts importer's rows alike. */
#include "ops/ops.h"

#include <string.h>

#include "ingest/import.h"
#include "ops/notify.h"
#include "util/buf.h"

const char *mr_op_evidence_type(const void *data, size_t len)
{
	const unsigned char *p = data;
	if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (len >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	if (len >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		return "image/gif";
	if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return "image/webp";
	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	return NULL;
}

/* The indicator and value a kind stands for: 0, or MR_EINVALID naming
 * the field. */
static int kind_fill(mr_evidence *e, mr_err *err)
{
	if (strcmp(e->kind, "post") == 0) {
		if (!e->url || !*e->url)
			return mr_err_set(err, MR_EINVALID, "field \"url\" is required for a post "
			                  "(a post is counted by its URL)");
		if (!e->platform || !*e->platform)
			return mr_err_set(err, MR_EINVALID, "field \"platform\" is required for a post");
		e->value = 1;
		e->has_den = 0;
		return (e->indicator = strdup("promo_posts")) ? 0 : mr_err_nomem(err);
	}
	if (strcmp(e->kind, "topic") == 0 || strcmp(e->kind, "design") == 0) {
		int design = e->kind[0] == 'd';
		if (!e->title || !*e->title)
			return mr_err_set(err, MR_EINVALID, "field \"title\" is required for a %s",
			                  e->kind);
		if (!design) {
			e->value = 1;
			e->has_den = 0;
		} else {
			/* a verdict: approved at first review (1) or not (0), of 1 */
			e->has_den = 1;
			e->den = 1;
		}
		return (e->indicator = strdup(design ? "design_approval" : "topics_produced")) ? 0
		       : mr_err_nomem(err);
	}
	if (strcmp(e->kind, "value") == 0)
		return e->indicator && *e->indicator ? 0
		       : mr_err_set(err, MR_EINVALID, "field \"indicator\" is required for a value");
	return mr_err_set(err, MR_EINVALID, "field \"kind\": post, topic, design or value, "
	                  "not \"%s\"", e->kind);
}

/* A post's URL not yet counted: 0, or MR_EEXISTS naming what holds it. */
static int url_free(mr_store *s, const char *url, const char *key, mr_err *err)
{
	int64_t owner;
	int rc = mr_store_batch_key_find(s, "posts", key, &owner, err);
	if (rc == MR_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	return mr_err_set(err, MR_EEXISTS, "field \"url\": %s is counted already (batch %lld)",
	                  url, (long long)owner);
}

int mr_op_evidence_submit(mr_store *s, const mr_plan *plan, mr_evidence *e, const void *file,
                          size_t file_len, int64_t *out_id, mr_err *err)
{
	mr_buf key;
	mr_buf_init(&key);
	int rc = kind_fill(e, err);
	if (rc)
		goto done;
	const mr_indicator *ind = mr_plan_indicator(plan, e->indicator);
	if (!ind) {
		rc = mr_err_set(err, MR_EINVALID, "field \"indicator\": \"%s\" is not in the plan",
		                e->indicator);
		mr_err_hint(err, MR_HINT_INDICATOR, "see `merit plan show`");
		goto done;
	}
	if (ind->aggregate == MR_AGG_RATIO && !e->has_den) {
		rc = mr_err_set(err, MR_EINVALID, "field \"of\": %s is a ratio, it needs its "
		                "denominator", e->indicator);
		goto done;
	}
	if (ind->aggregate != MR_AGG_RATIO && e->has_den) {
		rc = mr_err_set(err, MR_EINVALID, "field \"of\": %s is not a ratio, a denominator "
		                "does not apply", e->indicator);
		goto done;
	}
	if ((rc = mr_store_measure_check(s, e->login, e->day, err)))
		goto done;
	if (e->url && *e->url) {
		mr_import_post_key(&key, e->url);
		if (mr_buf_oom(&key)) {
			rc = mr_err_nomem(err);
			goto done;
		}
		if (!key.len) {
			rc = mr_err_set(err, MR_EINVALID, "field \"url\": \"%s\" is not a URL", e->url);
			goto done;
		}
		if ((rc = url_free(s, e->url, key.data, err)))
			goto done;
	}
	rc = mr_store_evidence_add(s, e, key.len ? key.data : NULL, file, file_len, out_id, err);
	if (!rc)   /* its approver hears of it, with the submission or not at all */
		rc = mr_notify_evidence(s, plan, *out_id, err);
done:
	mr_buf_release(&key);
	return rc;
}

int mr_op_evidence_decide(mr_store *s, const mr_plan *plan, int64_t id, int approve,
                          const char *reason, int64_t *out_batch, mr_err *err)
{
	mr_evidence e;
	mr_buf name, key;
	int64_t batch = 0, owner;
	int rc = mr_store_evidence_get(s, id, &e, err);
	if (rc)
		return rc;
	mr_buf_init(&name);
	mr_buf_init(&key);
	if (strcmp(e.state, "pending")) {
		rc = mr_err_set(err, MR_EEXISTS, "evidence #%lld was %s already by %s", (long long)id,
		                e.state, e.decided_by ? e.decided_by : "someone");
		goto done;
	}
	if (!approve) {
		if (!reason || !*reason)
			rc = mr_err_set(err, MR_EINVALID, "field \"reason\" is required to reject "
			                "evidence: the member reads it");
		else
			rc = mr_store_evidence_decide(s, id, "rejected", reason, 0, err);
		goto done;
	}
	if (!mr_plan_indicator(plan, e.indicator)) {
		rc = mr_err_set(err, MR_EINVALID, "evidence #%lld is of %s, which the plan no longer "
		                "has; reject it", (long long)id, e.indicator);
		goto done;
	}
	/* the batch's name is the lineage a scorecard's trace shows */
	/* (shown after its source, "evidence": "evidence #7: post by …") */
	mr_buf_printf(&name, "#%lld: %s by %s, approved by %s", (long long)id, e.kind,
	              e.login, mr_store_actor(s));
	if (mr_buf_oom(&name)) {
		rc = mr_err_nomem(err);
		goto done;
	}
	rc = mr_store_batch_add(s, &batch, "evidence", name.data, NULL, err);
	if (!rc && strcmp(e.kind, "post") == 0 && e.url) {
		mr_import_post_key(&key, e.url);
		if (mr_buf_oom(&key))
			rc = mr_err_nomem(err);
		else if ((rc = mr_store_batch_key(s, batch, "posts", key.data, 0, &owner, err)) ==
		         MR_EEXISTS)
			rc = mr_err_set(err, MR_EEXISTS, "%s was counted by batch %lld since it was "
			                "handed in; reject it", e.url, (long long)owner);
	}
	if (!rc)
		rc = mr_store_measure_add(s, batch, e.indicator, e.login, e.day, e.value, e.has_den,
		                          e.den, 0, err);
	if (!rc)
		rc = mr_store_batch_finish(s, batch, 1, NULL, err);
	if (!rc)
		rc = mr_store_evidence_decide(s, id, "approved", reason && *reason ? reason : NULL,
		                              batch, err);
	if (!rc && out_batch)
		*out_batch = batch;
done:
	mr_buf_release(&name);
	mr_buf_release(&key);
	mr_evidence_release(&e);
	return rc;
}

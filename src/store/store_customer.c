/* store_customer.c — each shop customer's first order.
 *
 * `online_customers` counts first-time buyers, and "first" must hold
 * across imports: the orders exported in March must not count again a
 * customer who first bought in January's export.  The customer table
 * remembers who has bought and when first; the batch that saw them first
 * owns the row (removing it forgets them).
 */
#include "store/store_int.h"

int mr_store_customer_get(mr_store *s, const char *key, int *out_day, int64_t *out_batch,
                          char **first_order, mr_err *err)
{
	int rc;
	if (first_order)
		*first_order = NULL;
	mr_stmt *st = mr_sql_prepare(s, "SELECT first_day, batch_id, first_order FROM customer"
	                                  " WHERE shop_key = ?", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, key);
	int r = mr_step(st);
	if (r == SQLITE_ROW) {
		*out_day = (int)mr_col_i64(st, 0);
		*out_batch = mr_col_i64(st, 1);
		if (first_order)
			*first_order = mr_sql_col(st, 2);
		rc = 0;
	} else if (r == SQLITE_DONE) {
		rc = MR_ENOTFOUND;
	} else {
		rc = mr_q_err(s->q, err, "looking up customer %s", key);
	}
	mr_finalize(st);
	return rc;
}

int mr_store_customer_put(mr_store *s, const char *key, int day, const char *order,
                          int64_t batch, mr_err *err)
{
	int rc = 0;
	/* Only for a customer not yet known (mr_store_customer_get said so):
	 * the batch that counted them owns the row, and a later import must
	 * not move it (their online_customers measurement stays with the
	 * batch that wrote it), so a second put is a mistake, not an update. */
	if (s->stage)
		return mr_stage_customer(s, key, day, order, err);
	mr_stmt *st = mr_sql_prepare(s, "INSERT INTO customer(shop_key, first_day, first_order,"
	                                  " batch_id) VALUES (?, ?, ?, ?)", err);
	if (!st)
		return MR_EDB;
	mr_sql_text(st, 1, key);
	mr_bind_i64(st, 2, day);
	mr_sql_text(st, 3, order);
	mr_bind_i64(st, 4, batch);
	int r = mr_step(st);
	if (r != SQLITE_DONE && mr_db_constraint(s->q))
		rc = mr_err_set(err, MR_EEXISTS, "customer %s is known already", key);
	else if (r != SQLITE_DONE)
		rc = mr_q_err(s->q, err, "remembering customer %s", key);
	mr_finalize(st);
	return rc;
}

/* import_orders.c — shop orders: `online_sales` and `online_customers`.
 *
 * The layouts: merit's own (generic), and the shops' exports picked from
 * the header (presets below): Shopify, WooCommerce, Taobao/Tmall, JD,
 * Youzan and the Douyin shop.
 *
 * A paid online order gives the team its `online_sales`: total less
 * refunds, on the order's date.  Paid is what the status vocabulary says
 * (import_vocab.c: paid, completed, 交易成功, 已付款… and --value; every
 * order when the file has no status); online is every source but point of
 * sale and draft orders (Shopify's pos, shopify_draft_order).  Counted
 * orders must be in the plan's currency when it names one (others are
 * refused with their count, or skipped under --skip-bad), and in one
 * currency when it does not.  Rows right
 * after an order that repeat its name are its further line items (Shopify
 * writes one row per line item, the order's fields on the first only).
 *
 * A first-time buyer gives `online_customers`: one for the team, and one
 * for the promoter owning the order's campaign (`merit own campaign`) or
 * else its source (`merit own channel`); both may also come from the
 * landing page's utm_campaign / utm_source.  "First" holds across imports:
 * the store remembers each customer's first order (store_customer.c).
 * An order is counted once: an order number (in the export's layout) an
 * earlier batch counted is an overlap (import_common.c).
 * Customers are decided after the last row, once an old batch has been
 * swapped out, so --replace counts them again as it should.
 */
#include "ingest/import_int.h"

#include "core/period.h"
#include "util/vec.h"

enum { F_DATE, F_ORDER, F_CUSTOMER, F_TOTAL, F_REFUNDED, F_STATUS, F_SOURCE, F_CAMPAIGN,
       F_LANDING, F_CURRENCY };
static const char *const fields[] = { "date", "order", "customer", "total", "refunded",
                                      "status", "source", "campaign", "landing", "currency",
                                      NULL };

static const char *const shopify_cols[] = {
	"Created at", "Name", "Email", "Total", "Refunded Amount", "Financial Status", "Source",
	NULL, "Landing Site", "Currency",
};
static const char *const shopify_sig[] = {
	"Name", "Email", "Financial Status", "Lineitem name", "Created at", "Total", NULL
};
static const char *const shopify_ident[] = { "Name", "Financial Status", NULL };

/* The shops' own exports (tests/data/orders/PROVENANCE.md says where each
 * layout comes from).  WooCommerce: the "Advanced Order Export For
 * WooCommerce" plugin's default columns, one row per line item with the
 * order's columns repeated.  Taobao and Tmall: 千牛's 订单报表 (its
 * headers carry trailing spaces, which the header match ignores).  JD:
 * the merchant back end's order export, one row per item.  Youzan: the
 * order report.  Douyin shop (抖店): the order report, one row per
 * sub-order (子订单) under its main order (主订单编号).  The Chinese
 * shops write no currency: their orders are in CNY (implied_currency). */
static const char *const woo_cols[] = {
	"Order Date", "Order Number", "Email (Billing)", "Order Total Amount",
	"Order Refund Amount", "Order Status", NULL, NULL, NULL, NULL,
};
static const char *const woo_sig[] = {
	"Order Number", "Order Status", "Order Date", "Order Total Amount", NULL
};
static const char *const woo_ident[] = { "Order Number", "Order Total Amount", NULL };
static const char *const taobao_cols[] = {
	"订单创建时间", "订单编号", "买家会员名", "买家实际支付金额", "退款金额", "订单状态", NULL,
	NULL, NULL, NULL,
};
static const char *const taobao_sig[] = {
	"订单编号", "买家会员名", "买家实际支付金额", "订单状态", NULL
};
static const char *const taobao_ident[] = { "订单编号", "买家实际支付金额", NULL };
static const char *const jd_cols[] = {
	"下单时间", "订单号", "下单帐号", "应付金额", NULL, "订单状态", NULL, NULL, NULL, NULL,
};
static const char *const jd_sig[] = { "订单号", "下单帐号", "京东价", "应付金额", NULL };
static const char *const jd_ident[] = { "订单号", "京东价", NULL };
static const char *const youzan_cols[] = {
	"买家付款时间", "订单号", "收货人手机号/提货人手机号", "订单实付金额", NULL, "订单状态",
	NULL, NULL, NULL, NULL,
};
static const char *const youzan_sig[] = { "订单号", "买家付款时间", "订单实付金额", NULL };
static const char *const youzan_ident[] = { "订单号", "订单实付金额", NULL };
static const char *const douyin_cols[] = {
	"订单提交时间", "主订单编号", NULL, "订单应付金额", NULL, "订单状态", NULL, NULL, NULL,
	NULL,
};
static const char *const douyin_sig[] = { "主订单编号", "子订单编号", "订单应付金额", NULL };
static const char *const douyin_ident[] = { "主订单编号", "订单应付金额", NULL };

static const mr_imp_preset presets[] = {
	{ "generic", NULL, NULL, NULL, 0, NULL },
	{ "shopify", NULL, shopify_cols, shopify_sig, 0, shopify_ident },
	{ "woocommerce", "woo", woo_cols, woo_sig, 0, woo_ident },
	{ "taobao", "tmall|淘宝|天猫", taobao_cols, taobao_sig, 0, taobao_ident },
	{ "jd", "京东", jd_cols, jd_sig, 0, jd_ident },
	{ "youzan", "有赞", youzan_cols, youzan_sig, 0, youzan_ident },
	{ "douyin", "doudian|抖店|抖音", douyin_cols, douyin_sig, 0, douyin_ident },
};

/* The currency a preset's export is in when it has no currency column. */
static const char *implied_currency(const mr_imp *im)
{
	static const char *const cny[] = { "taobao", "jd", "youzan", "douyin" };
	if (mr_imp_has(im, F_CURRENCY))
		return "";
	for (size_t i = 0; i < sizeof cny / sizeof cny[0]; i++)
		if (strcmp(im->preset->name, cny[i]) == 0)
			return "CNY";
	return "";
}

struct buyer {            /* one paid order of a known customer */
	char *key, *order, *when, *login;
	int day;
	long line;
	int col;
};

#define CURRENCIES 8      /* currencies told apart; a ninth is checked, not listed */

struct currency {
	char code[8];
	long count, line;     /* orders, and the first one's line and column */
	int col;
};

struct orders {
	char *prev;           /* the last order's name, for its line items */
	struct buyer *b;
	size_t nb, capb;
	long orders, line_items, unpaid, offline, no_customer, earlier, returning, fresh;
	long again, repeats;   /* buyers with more than one order here; those further orders */
	struct currency cur[CURRENCIES];   /* of counted orders, as first seen */
	int ncur;
	long foreign;         /* counted orders not in the plan's currency */
	long foreign_line;
	int foreign_col;
};

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

/* An order's number, trimmed, in the namespace of its export's layout
 * ("orders/shopify"): two shops' exports may reuse numbers. */
static int claim_order(mr_imp *im, const char *name, mr_err *err)
{
	char ns[64];
	snprintf(ns, sizeof ns, "orders/%s", im->preset->name);
	mr_buf_reset(&im->key);
	mr_imp_norm_append(&im->key, name);
	if (mr_buf_oom(&im->key))
		return mr_err_nomem(err);
	return mr_imp_claim(im, ns, im->key.data, 0, err);
}

/* The order's currency against the plan's: 0 to count it, MR_IMP_SKIP
 * when it is left out (counted; refused at the end unless --skip-bad). */
static int currency(mr_imp *im, struct orders *o, mr_err *err)
{
	const char *c = mr_imp_get(im, F_CURRENCY), *want = im->plan->currency;
	int i;
	while (*c == ' ')
		c++;
	int f = F_CURRENCY;
	if (!*c) {
		c = implied_currency(im);
		f = F_TOTAL;    /* the total is what is in it */
	}
	if (!*c)
		return 0;
	for (i = 0; i < o->ncur && !mr_imp_hdr_eq(c, o->cur[i].code); i++)
		;
	if (i == o->ncur && i < CURRENCIES) {
		snprintf(o->cur[i].code, sizeof o->cur[i].code, "%.7s", c);
		o->cur[i].line = im->row->line;
		o->cur[i].col = mr_imp_colno(im, f);
		o->ncur++;
	}
	if (i < CURRENCIES)
		o->cur[i].count++;
	if (!want || mr_imp_hdr_eq(c, want))
		return 0;
	if (im->o->skip_bad)
		return mr_imp_bad(im, f, MR_EINVALID, err, "the order is in %s, not %s (the "
		                  "plan's currency)", c, want);
	if (!o->foreign++) {
		o->foreign_line = im->row->line;
		o->foreign_col = mr_imp_colno(im, f);
	}
	return MR_IMP_SKIP;
}

/* After the rows: orders in another currency, or a file mixing them
 * (most orders' currency first; the error at the first order of the
 * second). */
static int currency_check(mr_imp *im, struct orders *o, mr_err *err)
{
	const char *want = im->plan->currency;
	mr_buf b;
	int rc = 0;
	if (want ? !o->foreign : o->ncur < 2)
		return 0;
	for (int i = 1; i < o->ncur; i++)
		for (int j = i; j > 0 && o->cur[j].count > o->cur[j - 1].count; j--) {
			struct currency t = o->cur[j];
			o->cur[j] = o->cur[j - 1];
			o->cur[j - 1] = t;
		}
	mr_buf_init(&b);
	for (int i = 0; i < o->ncur; i++)
		mr_buf_printf(&b, "%s%s %ld (first on line %ld)", i ? ", " : "", o->cur[i].code,
		              o->cur[i].count, o->cur[i].line);
	if (mr_buf_oom(&b))
		rc = mr_err_nomem(err);
	else if (want) {
		rc = mr_err_set(err, MR_EINVALID, "%s:%ld:%d: %ld order%s not in %s, the plan's "
		                "currency (%s); convert them", im->path, o->foreign_line,
		                o->foreign_col, o->foreign, o->foreign == 1 ? " is" : "s are", want,
		                b.data);
		mr_err_hint(err, MR_HINT_SKIP_BAD, "or leave them out with --skip-bad");
	} else
		rc = mr_err_set(err, MR_EINVALID, "%s:%ld:%d: the orders are in more than one "
		                "currency (%s) and sums of them mean nothing; name the one to count "
		                "in the plan (currency: %s) and the others are refused", im->path,
		                o->cur[1].line, o->cur[1].col, b.data, o->cur[0].code);
	mr_buf_release(&b);
	return rc;
}

static int row(mr_imp *im, void *state, mr_err *err)
{
	struct orders *o = state;
	const char *name = mr_imp_get(im, F_ORDER);
	int day, rc;
	int64_t total, refunded;
	if (*name && o->prev && strcmp(name, o->prev) == 0) {
		o->line_items++;
		return 0;
	}
	free(o->prev);
	if (!(o->prev = strdup(name)))
		return mr_err_nomem(err);
	/* the status first: an order not paid may have no date yet (Youzan's
	 * is the payment's time) */
	int st = MR_STATUS_PAID;
	if (mr_imp_has(im, F_STATUS)) {
		st = -1;
		if (*mr_imp_get(im, F_STATUS) && (rc = mr_imp_value(im, F_STATUS, &st, err)))
			return rc;
	}
	if ((rc = mr_imp_day(im, F_DATE, st != MR_STATUS_PAID, &day, err)))
		return rc;
	if (!*mr_imp_get(im, F_TOTAL))
		return mr_imp_bad(im, F_TOTAL, MR_EINVALID, err, "the order's total is empty");
	if ((rc = mr_imp_money(im, F_TOTAL, &total, err)) ||
	    (rc = mr_imp_money(im, F_REFUNDED, &refunded, err)))
		return rc;
	o->orders++;
	if (st != MR_STATUS_PAID) {
		o->unpaid++;
		return 0;
	}
	if (*mr_imp_get(im, F_SOURCE)) {
		int src;
		if ((rc = mr_imp_value(im, F_SOURCE, &src, err)))
			return rc;
		if (src != MR_SOURCE_ONLINE) {
			o->offline++;
			return 0;
		}
	}
	/* sales are what was paid, less what went back: never below 0 */
	if (total < 0)
		return mr_imp_bad(im, F_TOTAL, MR_EINVALID, err, "the total %s is below 0: a paid "
		                  "online order's total is what was paid", mr_imp_get(im, F_TOTAL));
	if (refunded < 0)
		return mr_imp_bad(im, F_REFUNDED, MR_EINVALID, err, "refunded %s is below 0",
		                  mr_imp_get(im, F_REFUNDED));
	if (refunded > total)
		return mr_imp_bad(im, F_REFUNDED, MR_EINVALID, err, "refunded %s is more than the "
		                  "order's total", mr_imp_get(im, F_REFUNDED));
	if ((rc = currency(im, o, err)))
		return rc == MR_IMP_SKIP ? 0 : rc;
	char key[320], via[256];
	snprintf(key, sizeof key, "%s", mr_imp_get(im, F_CUSTOMER));
	for (char *p = key; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	const char *who = NULL;
	via[0] = 0;
	if (key[0])
		who = mr_imp_channel(im, mr_imp_get(im, F_CAMPAIGN), mr_imp_get(im, F_SOURCE),
		                     mr_imp_get(im, F_LANDING), via, sizeof via);
	/* all of the row or none of it: the customers it may count (after the
	 * last row) are checked with its sales, before anything is written */
	int dcol = mr_imp_colno(im, F_DATE);
	if ((rc = mr_imp_check(im, "online_sales", NULL, day, dcol, err)) ||
	    (key[0] && (rc = mr_imp_check(im, "online_customers", NULL, day, dcol, err))) ||
	    (who && (rc = mr_imp_check(im, "online_customers", who, day, dcol, err))))
		return rc;
	/* counted once: by its order number within this kind of export */
	if ((rc = *name ? claim_order(im, name, err) : mr_imp_claim_row(im, err)))
		return rc;
	if ((rc = mr_imp_measure(im, "online_sales", NULL, day, (double)(total - refunded) / 100.0,
	                         0, 0, im->row->line, mr_imp_colno(im, F_TOTAL), err)))
		return rc;
	if (!key[0]) {
		o->no_customer++;
		return 0;
	}
	struct buyer *b = MR_VEC_PUSH(o->b, o->nb, o->capb);
	if (!b)
		return mr_err_nomem(err);
	b->key = strdup(key);
	b->order = dup_or_null(name);
	b->when = strdup(mr_imp_get(im, F_DATE));
	b->login = dup_or_null(who);
	b->day = day;
	b->line = im->row->line;
	b->col = mr_imp_colno(im, F_CUSTOMER);
	if (!b->key || !b->when || (*name && !b->order) || (who && !b->login))
		return mr_err_nomem(err);
	if (!who && via[0] && (rc = mr_imp_unmapped(im, "channel", via, err)))
		return rc;
	return 0;
}

/* By customer, then earliest first: day, the date text, the line. */
static int by_customer(const void *a, const void *b)
{
	const struct buyer *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if ((c = strcmp(x->when, y->when)))
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int finish(mr_imp *im, void *state, mr_err *err)
{
	struct orders *o = state;
	int rc = currency_check(im, o, err);
	if (rc)
		return rc;
	if (o->nb)
		qsort(o->b, o->nb, sizeof *o->b, by_customer);
	for (size_t i = 0; i < o->nb && !rc; i++) {
		const struct buyer *b = &o->b[i];
		int day;
		int64_t batch;
		if (i && strcmp(o->b[i - 1].key, b->key) == 0) {
			/* not this customer's first order in the file */
			o->repeats++;
			o->again += i < 2 || strcmp(o->b[i - 2].key, b->key) != 0;
			continue;
		}
		rc = mr_store_customer_get(im->s, b->key, &day, &batch, NULL, err);
		if (rc == 0) {
			if (b->day < day)
				o->earlier++;   /* counted by the batch that saw them first */
			else
				o->returning++;
			continue;
		}
		if (rc != MR_ENOTFOUND ||
		    (rc = mr_store_customer_put(im->s, b->key, b->day, b->order, im->out->batch, err)))
			break;
		o->fresh++;
		if ((rc = mr_imp_measure(im, "online_customers", NULL, b->day, 1, 0, 0, b->line,
		                         b->col, err)) < 0)
			break;
		if (b->login && (rc = mr_imp_measure(im, "online_customers", b->login, b->day, 1, 0,
		                                     0, b->line, b->col, err)) < 0)
			break;
		rc = 0;
	}
	if (rc)
		return rc;
	mr_imp_note(im, "%ld orders (%ld more line-item rows); %ld first-time buyers, %ld "
	            "returning", o->orders, o->line_items, o->fresh, o->returning);
	if (o->again)
		mr_imp_note(im, "%ld buyer%s ordered more than once in this file (%ld further "
		            "order%s): each counted as a buyer once, by their first order", o->again,
		            o->again == 1 ? "" : "s", o->repeats, o->repeats == 1 ? "" : "s");
	if (o->unpaid)
		mr_imp_note(im, "%ld orders not paid (refunded, pending, voided…): not counted",
		            o->unpaid);
	if (o->offline)
		mr_imp_note(im, "%ld orders not online (point of sale, drafts): not counted",
		            o->offline);
	if (o->no_customer)
		mr_imp_note(im, "%ld paid orders name no customer: in the sales, not counted as "
		            "customers", o->no_customer);
	if (o->earlier)
		mr_imp_note(im, "%ld customers bought earlier here than the first order an earlier "
		            "import saw; they were counted there, not again", o->earlier);
	return 0;
}

static void release(void *state)
{
	struct orders *o = state;
	for (size_t i = 0; i < o->nb; i++) {
		free(o->b[i].key);
		free(o->b[i].order);
		free(o->b[i].when);
		free(o->b[i].login);
	}
	free(o->b);
	free(o->prev);
}

const mr_imp_kind mr_import_kind_orders = {
	"orders", fields, 1u << F_DATE | 1u << F_TOTAL, 0, F_DATE,
	presets, sizeof presets / sizeof presets[0], sizeof(struct orders), row, finish, release, 1,
	0,
};

/* import_vocab.c — value vocabularies: what the words a source writes in
 * a field mean to merit.
 *
 * Each vocabulary is a field of one kind of import (orders' status and
 * source, content's type, tasks' first_review), merit's meanings for it,
 * and a built-in table of English and Chinese words (matched ignoring
 * ASCII case and surrounding spaces; an entry starting with '*' matches
 * anywhere in the value).  --value FIELD:SOURCE=MERIT adds or overrides a
 * word for one import.  A word nobody knows is counted and told at the
 * end with what became of its rows; a known meaning that is not counted
 * (a cancelled order, a point-of-sale one) is told likewise — never
 * dropped or counted silently.  doc/merit.1 (IMPORT FILES) lists the
 * tables; keep it in step.
 */
#include "ingest/import_int.h"
#include "util/vec.h"

struct word { const char *src; int v; };

struct vocab {
	const char *kind, *field;
	const char *const *meanings;       /* merit's values, by MR_* index */
	const char *const *told;           /* per meaning: its effect when told, or NULL */
	int unknown;                       /* meaning of an unknown word; -1: told, as below */
	const char *unknown_effect;        /* what happens to the rows of an unknown word */
	const struct word *words;
};

static const char *const status_m[] = { "paid", "pending", "cancelled", "refunded", NULL };
static const char *const status_told[] = { NULL, "orders not counted", "orders not counted",
                                           "orders not counted" };
static const struct word status_w[] = {
	{ "paid", MR_STATUS_PAID }, { "partially_paid", MR_STATUS_PAID },
	{ "partially paid", MR_STATUS_PAID }, { "partially_refunded", MR_STATUS_PAID },
	{ "partially refunded", MR_STATUS_PAID }, { "completed", MR_STATUS_PAID },
	{ "complete", MR_STATUS_PAID }, { "processing", MR_STATUS_PAID },
	{ "shipped", MR_STATUS_PAID }, { "delivered", MR_STATUS_PAID },
	{ "交易成功", MR_STATUS_PAID }, { "已完成", MR_STATUS_PAID }, { "已付款", MR_STATUS_PAID },
	{ "已支付", MR_STATUS_PAID }, { "支付成功", MR_STATUS_PAID }, { "已发货", MR_STATUS_PAID },
	{ "待发货", MR_STATUS_PAID }, { "已收货", MR_STATUS_PAID }, { "已签收", MR_STATUS_PAID },
	{ "交易完成", MR_STATUS_PAID }, { "订单完成", MR_STATUS_PAID },
	{ "买家已付款，等待卖家发货", MR_STATUS_PAID },
	{ "卖家已发货，等待买家确认", MR_STATUS_PAID },
	/* Taobao/Tmall (千牛 订单报表), with an ASCII comma too */
	{ "买家已付款,等待卖家发货", MR_STATUS_PAID }, { "卖家已发货,等待买家确认", MR_STATUS_PAID },
	{ "等待卖家发货", MR_STATUS_PAID }, { "卖家部分发货", MR_STATUS_PAID },
	{ "等待买家确认收货", MR_STATUS_PAID }, { "买家已签收", MR_STATUS_PAID },
	/* JD (京东): waiting to leave the warehouse, to be received, done */
	{ "等待出库", MR_STATUS_PAID }, { "等待确认收货", MR_STATUS_PAID },
	{ "等待发货", MR_STATUS_PAID }, { "完成", MR_STATUS_PAID },
	/* Douyin shop (抖店) and Youzan (有赞) */
	{ "备货中", MR_STATUS_PAID }, { "部分发货", MR_STATUS_PAID }, { "待收货", MR_STATUS_PAID },
	/* WooCommerce's status slugs as stored (wc-…) */
	{ "wc-processing", MR_STATUS_PAID }, { "wc-completed", MR_STATUS_PAID },
	{ "pending", MR_STATUS_PENDING }, { "authorized", MR_STATUS_PENDING },
	{ "unpaid", MR_STATUS_PENDING }, { "on-hold", MR_STATUS_PENDING },
	{ "待付款", MR_STATUS_PENDING }, { "待支付", MR_STATUS_PENDING },
	{ "未付款", MR_STATUS_PENDING }, { "等待买家付款", MR_STATUS_PENDING },
	{ "等待付款", MR_STATUS_PENDING }, { "等待付款确认", MR_STATUS_PENDING },
	{ "没有创建支付宝交易", MR_STATUS_PENDING }, { "锁定", MR_STATUS_PENDING },
	{ "已锁定", MR_STATUS_PENDING }, { "暂停", MR_STATUS_PENDING },
	{ "pending payment", MR_STATUS_PENDING }, { "on hold", MR_STATUS_PENDING },
	{ "checkout-draft", MR_STATUS_PENDING }, { "wc-pending", MR_STATUS_PENDING },
	{ "wc-on-hold", MR_STATUS_PENDING },
	{ "cancelled", MR_STATUS_CANCELLED }, { "canceled", MR_STATUS_CANCELLED },
	{ "voided", MR_STATUS_CANCELLED }, { "expired", MR_STATUS_CANCELLED },
	{ "failed", MR_STATUS_CANCELLED }, { "交易关闭", MR_STATUS_CANCELLED },
	{ "已取消", MR_STATUS_CANCELLED }, { "已关闭", MR_STATUS_CANCELLED },
	{ "订单取消", MR_STATUS_CANCELLED }, { "交易取消", MR_STATUS_CANCELLED },
	{ "交易被淘宝关闭", MR_STATUS_CANCELLED }, { "wc-cancelled", MR_STATUS_CANCELLED },
	{ "wc-failed", MR_STATUS_CANCELLED },
	{ "refunded", MR_STATUS_REFUNDED }, { "已退款", MR_STATUS_REFUNDED },
	{ "退款成功", MR_STATUS_REFUNDED }, { "全额退款", MR_STATUS_REFUNDED },
	{ "wc-refunded", MR_STATUS_REFUNDED },
	{ NULL, 0 },
};

static const char *const source_m[] = { "online", "pos", "draft", NULL };
static const char *const source_told[] = { NULL, "orders not counted: point of sale, not "
	"online", "orders not counted: draft orders made by staff, not online" };
static const struct word source_w[] = {
	{ "pos", MR_SOURCE_POS }, { "point of sale", MR_SOURCE_POS },
	{ "shopify_pos", MR_SOURCE_POS }, { "门店", MR_SOURCE_POS }, { "线下", MR_SOURCE_POS },
	{ "线下门店", MR_SOURCE_POS },
	{ "shopify_draft_order", MR_SOURCE_DRAFT }, { "draft_order", MR_SOURCE_DRAFT },
	{ "draft order", MR_SOURCE_DRAFT }, { "draft", MR_SOURCE_DRAFT },
	{ "手工订单", MR_SOURCE_DRAFT }, { "代客下单", MR_SOURCE_DRAFT },
	/* WooCommerce's created_via: admin (made by staff), its POS apps */
	{ "admin", MR_SOURCE_DRAFT }, { "pos-rest-api", MR_SOURCE_POS },
	{ "woocommerce-pos", MR_SOURCE_POS },
	{ NULL, 0 },
};

static const char *const type_m[] = { "topic", "article", "other", NULL };
static const struct word type_w[] = {
	{ "topic", MR_TYPE_TOPIC }, { "special", MR_TYPE_TOPIC }, { "专题", MR_TYPE_TOPIC },
	{ "话题", MR_TYPE_TOPIC }, { "*topic", MR_TYPE_TOPIC }, { "*专题", MR_TYPE_TOPIC },
	{ "article", MR_TYPE_ARTICLE }, { "post", MR_TYPE_ARTICLE }, { "blog", MR_TYPE_ARTICLE },
	{ "news", MR_TYPE_ARTICLE }, { "story", MR_TYPE_ARTICLE }, { "文章", MR_TYPE_ARTICLE },
	{ "图文", MR_TYPE_ARTICLE }, { "资讯", MR_TYPE_ARTICLE }, { "新闻", MR_TYPE_ARTICLE },
	{ "博客", MR_TYPE_ARTICLE }, { "video", MR_TYPE_OTHER }, { "page", MR_TYPE_OTHER },
	{ "视频", MR_TYPE_OTHER }, { "页面", MR_TYPE_OTHER },
	{ NULL, 0 },
};

static const char *const verdict_m[] = { "approved", "rejected", NULL };
static const struct word verdict_w[] = {
	{ "approved", MR_VERDICT_APPROVED }, { "pass", MR_VERDICT_APPROVED },
	{ "passed", MR_VERDICT_APPROVED }, { "accepted", MR_VERDICT_APPROVED },
	{ "yes", MR_VERDICT_APPROVED }, { "y", MR_VERDICT_APPROVED },
	{ "true", MR_VERDICT_APPROVED }, { "1", MR_VERDICT_APPROVED },
	{ "通过", MR_VERDICT_APPROVED }, { "已通过", MR_VERDICT_APPROVED },
	{ "审核通过", MR_VERDICT_APPROVED }, { "合格", MR_VERDICT_APPROVED },
	{ "是", MR_VERDICT_APPROVED },
	{ "rejected", MR_VERDICT_REJECTED }, { "reject", MR_VERDICT_REJECTED },
	{ "fail", MR_VERDICT_REJECTED }, { "failed", MR_VERDICT_REJECTED },
	{ "no", MR_VERDICT_REJECTED }, { "n", MR_VERDICT_REJECTED },
	{ "false", MR_VERDICT_REJECTED }, { "0", MR_VERDICT_REJECTED },
	{ "驳回", MR_VERDICT_REJECTED }, { "已驳回", MR_VERDICT_REJECTED },
	{ "不通过", MR_VERDICT_REJECTED }, { "未通过", MR_VERDICT_REJECTED },
	{ "审核不通过", MR_VERDICT_REJECTED }, { "拒绝", MR_VERDICT_REJECTED },
	{ "不合格", MR_VERDICT_REJECTED }, { "否", MR_VERDICT_REJECTED },
	{ NULL, 0 },
};

/* A task's status, read where an export has no completion date (or to
 * drop a cancelled task): Jira, Redmine, GitLab and GitHub words, TAPD's
 * and ZenTao's Chinese ones (ZenTao's task statusList: 已完成, 已关闭,
 * 已取消, 进行中, 未开始, 已暂停), Trello's "Due Complete" (true, false),
 * and the states of the one real Feishu Project export found (New,
 * Processing, Reviewing, Testing, Releasing, Verifying, Done, Canceled,
 * Blocked, Backlog). */
static const char *const task_m[] = { "done", "open", "cancelled", NULL };
static const char *const task_told[] = { NULL, NULL, "tasks not counted" };
static const struct word task_w[] = {
	{ "done", MR_TASK_DONE }, { "closed", MR_TASK_DONE }, { "resolved", MR_TASK_DONE },
	{ "completed", MR_TASK_DONE }, { "complete", MR_TASK_DONE }, { "finished", MR_TASK_DONE },
	{ "true", MR_TASK_DONE }, { "已完成", MR_TASK_DONE }, { "已关闭", MR_TASK_DONE },
	{ "已解决", MR_TASK_DONE }, { "完成", MR_TASK_DONE }, { "关闭", MR_TASK_DONE },
	{ "已验收", MR_TASK_DONE }, { "已上线", MR_TASK_DONE }, { "已发布", MR_TASK_DONE },
	{ "open", MR_TASK_OPEN }, { "opened", MR_TASK_OPEN }, { "new", MR_TASK_OPEN },
	{ "todo", MR_TASK_OPEN }, { "to do", MR_TASK_OPEN }, { "in progress", MR_TASK_OPEN },
	{ "reopened", MR_TASK_OPEN }, { "backlog", MR_TASK_OPEN }, { "false", MR_TASK_OPEN },
	{ "processing", MR_TASK_OPEN }, { "reviewing", MR_TASK_OPEN },
	{ "testing", MR_TASK_OPEN }, { "releasing", MR_TASK_OPEN },
	{ "verifying", MR_TASK_OPEN }, { "blocked", MR_TASK_OPEN },
	{ "未开始", MR_TASK_OPEN }, { "进行中", MR_TASK_OPEN }, { "已暂停", MR_TASK_OPEN },
	{ "待处理", MR_TASK_OPEN }, { "处理中", MR_TASK_OPEN }, { "新", MR_TASK_OPEN },
	{ "新建", MR_TASK_OPEN }, { "规划中", MR_TASK_OPEN }, { "实现中", MR_TASK_OPEN },
	{ "重新打开", MR_TASK_OPEN }, { "已激活", MR_TASK_OPEN }, { "激活", MR_TASK_OPEN },
	{ "cancelled", MR_TASK_CANCELLED }, { "canceled", MR_TASK_CANCELLED },
	{ "rejected", MR_TASK_CANCELLED }, { "won't do", MR_TASK_CANCELLED },
	{ "已取消", MR_TASK_CANCELLED }, { "取消", MR_TASK_CANCELLED }, { "已拒绝", MR_TASK_CANCELLED },
	{ NULL, 0 },
};

static const struct vocab vocabs[] = {
	{ "orders", "status", status_m, status_told, -1, "orders not counted", status_w },
	{ "orders", "source", source_m, source_told, MR_SOURCE_ONLINE, NULL, source_w },
	{ "content", "type", type_m, NULL, -1, "rows counted as content updates, not as topics",
	  type_w },
	{ "tasks", "first_review", verdict_m, NULL, -1, "first reviews not counted", verdict_w },
	{ "tasks", "status", task_m, task_told, -1, "tasks judged by their dates alone",
	  task_w },
};

struct mr_imp_vmap {
	const struct vocab *voc;
	char *src;
	int v;
};

struct mr_imp_vtally {
	const struct vocab *voc;
	char *src;
	int v;                 /* -1: unknown */
	long count;
};

static const struct vocab *vocab_of(const char *kind, const char *field)
{
	for (size_t i = 0; i < sizeof vocabs / sizeof vocabs[0]; i++)
		if (strcmp(vocabs[i].kind, kind) == 0 && strcmp(vocabs[i].field, field) == 0)
			return &vocabs[i];
	return NULL;
}

static int table_find(const struct vocab *voc, const char *value)
{
	for (const struct word *w = voc->words; w->src; w++)
		if (w->src[0] != '*' && mr_imp_hdr_eq(value, w->src))
			return w->v;
	for (const struct word *w = voc->words; w->src; w++)
		if (w->src[0] == '*' && mr_imp_contains(value, w->src + 1))
			return w->v;
	return -1;
}

int mr_imp_vocab_find(const char *kind, const char *field, const char *value)
{
	const struct vocab *voc = vocab_of(kind, field);
	return voc ? table_find(voc, value) : -2;
}

/* "a, b or c" */
static void list_meanings(mr_buf *b, const struct vocab *voc)
{
	for (int i = 0; voc->meanings[i]; i++)
		mr_buf_printf(b, "%s%s", i ? voc->meanings[i + 1] ? ", " : " or " : "",
		              voc->meanings[i]);
}

static int bad_value(const char *opt, const mr_imp_kind *k, const struct vocab *voc,
                     const char *merit, mr_err *err)
{
	mr_buf b;
	int rc;
	mr_buf_init(&b);
	if (voc) {
		list_meanings(&b, voc);
		rc = mr_err_set(err, MR_EINVALID, "--value \"%s\": \"%s\" is not a %s merit knows; "
		                "say %s", opt, merit, voc->field, b.data ? b.data : "");
	} else {
		for (size_t i = 0; i < sizeof vocabs / sizeof vocabs[0]; i++)
			if (strcmp(vocabs[i].kind, k->name) == 0)
				mr_buf_printf(&b, "%s%s", b.len ? ", " : "", vocabs[i].field);
		rc = mr_err_set(err, MR_EINVALID, "--value \"%s\": %s files have no field with "
		                "values to map there%s%s", opt, k->name, b.len ? "; fields with "
		                "values: " : "", b.len ? b.data : "");
	}
	mr_buf_release(&b);
	return rc;
}

int mr_imp_values_load(mr_imp *im, mr_err *err)
{
	size_t n = 0;
	if (!im->o->values)
		return 0;
	while (im->o->values[n])
		n++;
	if (!n)
		return 0;
	if (!(im->vmaps = calloc(n, sizeof *im->vmaps)))
		return mr_err_nomem(err);
	for (size_t i = 0; i < n; i++) {
		const char *opt = im->o->values[i], *colon = strchr(opt, ':'), *eq = strrchr(opt, '=');
		if (!colon || !eq || eq < colon || eq == colon + 1)
			return mr_err_set(err, MR_EINVALID, "--value \"%s\": say FIELD:VALUE=MEANING, "
			                  "e.g. --value 'status:已发货=paid'", opt);
		char field[64];
		snprintf(field, sizeof field, "%.*s", (int)(colon - opt), opt);
		const struct vocab *voc = vocab_of(im->kind->name, field);
		if (!voc)
			return bad_value(opt, im->kind, NULL, NULL, err);
		int v = -1;
		for (int j = 0; voc->meanings[j]; j++)
			if (mr_imp_same_ci(eq + 1, voc->meanings[j]))
				v = j;
		if (v < 0)
			return bad_value(opt, im->kind, voc, eq + 1, err);
		struct mr_imp_vmap *m = &im->vmaps[im->nvmaps++];
		m->voc = voc;
		m->v = v;
		if (!(m->src = strndup(colon + 1, (size_t)(eq - colon - 1))))
			return mr_err_nomem(err);
	}
	return 0;
}

void mr_imp_values_free(mr_imp *im)
{
	for (size_t i = 0; i < im->nvmaps; i++)
		free(im->vmaps[i].src);
	free(im->vmaps);
	for (size_t i = 0; i < im->nvtally; i++)
		free(im->vtally[i].src);
	free(im->vtally);
	mr_map_release(&im->vtally_map);
}

/* Count (vocabulary, value), found in vtally_map by their hash; two with
 * one hash: the second tries the hash's own hash (as seen_count does). */
static int vtally(mr_imp *im, const struct vocab *voc, const char *src, int v, mr_err *err)
{
	uint64_t key = mr_hash_bytes(src, strlen(src), (uint64_t)(voc - vocabs));
	for (uint32_t i; (i = mr_map_get(&im->vtally_map, key)) != MR_MAP_NONE;
	     key = mr_hash_mix(key + 1))
		if (im->vtally[i].voc == voc && strcmp(im->vtally[i].src, src) == 0) {
			im->vtally[i].count++;
			return 0;
		}
	if (im->nvtally >= UINT32_MAX ||
	    mr_vec_grow(&im->vtally, &im->capvtally, im->nvtally, sizeof *im->vtally))
		return mr_err_nomem(err);
	struct mr_imp_vtally *t = &im->vtally[im->nvtally];
	if (!(t->src = strdup(src)))
		return mr_err_nomem(err);
	if (mr_map_put(&im->vtally_map, key, (uint32_t)im->nvtally)) {
		free(t->src);
		return mr_err_nomem(err);
	}
	t->voc = voc;
	t->v = v;
	t->count = 1;
	im->nvtally++;
	return 0;
}

int mr_imp_value(mr_imp *im, int f, int *v, mr_err *err)
{
	const char *field = im->kind->fields[f], *val = mr_imp_get(im, f);
	const struct vocab *voc = vocab_of(im->kind->name, field);
	*v = -1;
	if (!voc)
		return 0;
	for (size_t i = im->nvmaps; i-- > 0;)       /* the last --value wins */
		if (im->vmaps[i].voc == voc && mr_imp_hdr_eq(val, im->vmaps[i].src)) {
			*v = im->vmaps[i].v;
			break;
		}
	if (*v < 0)
		*v = table_find(voc, val);
	if (*v < 0 && voc->unknown >= 0) {
		*v = voc->unknown;
		return 0;
	}
	if (*v < 0 || (voc->told && voc->told[*v]))
		return vtally(im, voc, val, *v, err);
	return 0;
}

void mr_imp_values_tell(mr_imp *im)
{
	for (size_t i = 0; i < im->nvtally; i++) {
		const struct mr_imp_vtally *t = &im->vtally[i];
		const struct vocab *voc = t->voc;
		if (t->v >= 0) {
			mr_imp_note(im, "%s \"%s\" means %s: %ld %s", voc->field, t->src,
			            voc->meanings[t->v], t->count, voc->told[t->v]);
			continue;
		}
		mr_buf b;
		mr_buf_init(&b);
		list_meanings(&b, voc);
		if (im->o->web)
			mr_imp_note(im, "%s \"%s\" is not a value merit knows: %ld %s; an admin can "
			            "say what it means (%s)", voc->field, t->src, t->count,
			            voc->unknown_effect, b.data ? b.data : "");
		else
			mr_imp_note(im, "%s \"%s\" is not a value merit knows: %ld %s; say what it "
			            "means with --value '%s:%s=MEANING' (%s)", voc->field, t->src,
			            t->count, voc->unknown_effect, voc->field, t->src,
			            b.data ? b.data : "");
		mr_buf_release(&b);
	}
}

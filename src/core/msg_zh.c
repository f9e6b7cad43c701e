/* msg_zh.c — merit's messages a person reads in the web app, in Chinese:
 * a plan's problems (the plan form, the YAML upload) and what stands
 * between a cycle and its close (the readiness list, with the reasons a
 * person is not scored).
 *
 * The checks word each message in English with printf: the CLI prints them
 * so.  Here each English format is a pattern — its %s, %d and %zu fields
 * match any text — tried against a message in table order (a longer format
 * before a shorter one it would also match); the first that matches the
 * whole message gives the Chinese template, whose {1}, {2}… are the fields
 * in the English order.  A field written {~1} may be an English fragment
 * (a "position \"x\": " prefix, "a list", "a, b or c", a reason) and is
 * translated the same way; a field holding what the person wrote (a key, a
 * value, a name) is {1} and never translated.  A message no format
 * matches is kept in English: nothing is lost for want of a translation.
 */
#include "core/plan.h"

#include <string.h>

typedef struct tr { const char *en, *zh; } tr;

/* Fragments that stand in a field of a longer message. */
static const tr fragments[] = {
	{ "position \"%s\": ", "岗位“{1}”：" },
	{ "the plan", "考核方案" },
	{ "a criterion", "评分项" },
	{ "a grade", "等级" },
	{ "a distribution grade", "强制分布的等级" },
	{ "distribution percent", "强制分布的百分比" },
	{ "an indicator", "指标" },
	{ "a position", "岗位" },
	{ "a kpi", "考核项" },
	{ "a band", "分档" },
	{ "band bound", "分档界限" },
	{ "band points", "分档得分" },
	{ "an override", "个人目标" },
	{ "a single value", "单个值" },
	{ "a list", "列表" },
	{ "a mapping", "映射" },
	{ "nothing", "空值" },
	{ "%s or %s", "{1} 或 {2}" },
	/* why a person is not scored (core/score.c) */
	{ "KPI coverage %s%% is below the plan's min_coverage %s%% (no data for %s)",
	  "KPI 覆盖率 {1}% 低于方案的最低覆盖率 {2}%（缺少数据：{3}）" },
	{ "KPI coverage %s%% is below the plan's min_coverage %s%%",
	  "KPI 覆盖率 {1}% 低于方案的最低覆盖率 {2}%" },
	{ "no KPI data and no manager rating counted: the final score would rest on self, peer and "
	  "upward ratings alone", "没有 KPI 数据，也没有计入上级评分：最终得分将只靠自评、同事评分和下属评分" },
	{ "person is", "人" },
	{ "people are", "人" },
};

static const tr messages[] = {
	/* what stands between a cycle and its close (ops.c, the readiness list):
	   before the YAML reader's "%s has no %s", which would match them too */
	{ "no data for the team indicator %s", "团队指标 {1} 没有数据" },
	{ "no data for %s (%d %s scored on it)", "指标 {1} 没有数据（{2} {~3}按它考核）" },
	{ "%s is not scored: %s", "{1} 未参与评分：{~2}" },
	{ "%s has not rated themselves", "{1} 尚未自评" },
	{ "%s has not rated %s (as manager)", "{1} 尚未以上级身份给 {2} 评分" },
	{ "%s has no manager on record to rate them (a reviewer can be one)",
	  "{1} 没有登记上级来评分（评审人也可以担任）" },
	{ "no peers are nominated to rate %s", "尚未提名同事给 {1} 评分" },
	{ "no peer has rated %s yet", "尚无同事给 {1} 评分" },
	{ "none of %s's %d direct report%s has rated them (upward)", "{1} 的 {2} 名下属都还没有给其评分（下属评分）" },
	/* the top of the plan */
	{ "goal is not one of none, brand, platform, sales",
	  "goal（经营目标）必须是 none、brand、platform、sales 之一" },
	{ "period is not one of month, quarter, half, year",
	  "period（周期）必须是 month、quarter、half、year 之一" },
	{ "missing is not one of skip, zero, require",
	  "missing（缺少数据时）必须是 skip、zero、require 之一" },
	{ "peers is not one of nominated, open", "peers（同事评分）必须是 nominated 或 open" },
	{ "rating_scale %d is out of range: give 1 to 100", "rating_scale（评分星级）{1} 超出范围：请填 1 到 100" },
	{ "rating_scale must be a whole number from 1 to 100", "rating_scale（评分星级）必须是 1 到 100 的整数" },
	{ "bonus_pool is negative", "bonus_pool（奖金池）不能为负数" },
	{ "bonus_pool is above 10000000000.00", "bonus_pool（奖金池）超过 10000000000.00" },
	{ "currency \"%s\" is not an ISO 4217 code: three capital letters, like CNY, USD or EUR",
	  "币种“{1}”不是 ISO 4217 代码：应为三个大写字母，如 CNY、USD、EUR" },
	{ "min_coverage %s is out of range: give 0 to 100 (percent of a person's KPI weight that "
	  "must have data)", "min_coverage（最低覆盖率）{1} 超出范围：请填 0 到 100（个人 KPI 权重中必须有数据的百分比）" },
	{ "min_coverage must be from 0 to 100 (percent of a person's KPI weight that must have data)",
	  "min_coverage（最低覆盖率）必须在 0 到 100 之间（个人 KPI 权重中必须有数据的百分比）" },
	/* blend and formula */
	{ "blend weight %s is %s: give 0 to 100", "综合权重 {1} 为 {2}：请填 0 到 100" },
	{ "blend weights total %s, not 100", "综合权重合计为 {1}，不是 100" },
	{ "blend gives kpi and manager 0: a final score may not rest on self, peer and upward ratings "
	  "alone; give kpi or manager a weight",
	  "综合权重中 KPI 和上级评分都为 0：最终得分不能只靠自评、同事评分和下属评分；请给 KPI 或上级评分一个权重" },
	{ "formula uses only self, peer and upward ratings: a final score may not rest on them alone; "
	  "use kpi, manager or an indicator too",
	  "公式只用了自评、同事评分和下属评分：最终得分不能只靠它们；请同时使用 KPI、上级评分或某个指标" },
	/* criteria */
	{ "%sno criteria: give at least one, e.g. {key: overall, name: Overall contribution, weight: 100}",
	  "{~1}没有评分项：至少给出一项，例如 {key: overall, name: Overall contribution, weight: 100}" },
	{ "%scriterion has no key", "{~1}评分项缺少 key" },
	{ "%scriterion \"%s\" is listed twice", "{~1}评分项“{2}”重复列出" },
	{ "%scriterion \"%s\": weight %s is negative", "{~1}评分项“{2}”：权重 {3} 为负数" },
	{ "%scriteria weights total %s, not 100", "{~1}评分项权重合计为 {2}，不是 100" },
	/* grades and the distribution */
	{ "no grades: give at least one, e.g. {grade: A, min: 0, bonus: 1.0}",
	  "没有等级：至少给出一个，例如 {grade: A, min: 0, bonus: 1.0}" },
	{ "grade has no name", "等级缺少名称" },
	{ "grade \"%s\" is listed twice", "等级“{1}”重复列出" },
	{ "grade \"%s\": a name of at most 16 bytes without quotes, commas or line breaks, e.g. A or B+",
	  "等级“{1}”：名称最多 16 字节，不能含引号、逗号或换行，例如 A 或 B+" },
	{ "grade \"%s\": min is not a number", "等级“{1}”：min（最低分）不是数字" },
	{ "grade \"%s\": min %s is not below the previous grade's %s; list grades highest first",
	  "等级“{1}”：最低分 {2} 不低于上一等级的 {3}；请按从高到低列出等级" },
	{ "grade \"%s\": the lowest grade needs min 0, so that every score gets a grade",
	  "等级“{1}”：最低的等级需要 min 为 0，才能让每个得分都有等级" },
	{ "grade \"%s\": bonus coefficient is negative", "等级“{1}”：奖金系数为负数" },
	{ "grade \"%s\": bonus coefficient above 100", "等级“{1}”：奖金系数超过 100" },
	{ "distribution must be a mapping of grade to percent, e.g. {S: 10, A: 20}",
	  "distribution（强制分布）必须是等级到百分比的映射，例如 {S: 10, A: 20}" },
	{ "distribution: a grade name is empty", "强制分布：等级名称为空" },
	{ "distribution lists grade \"%s\" twice", "强制分布重复列出等级“{1}”" },
	{ "distribution names grade \"%s\", which is not in grades", "强制分布中的等级“{1}”不在 grades（等级）中" },
	{ "distribution %s: %s%% is out of range 0 to 100", "强制分布 {1}：{2}% 超出 0 到 100 的范围" },
	/* indicators */
	{ "indicator has no key", "指标缺少 key" },
	{ "indicator \"%s\" is listed twice", "指标“{1}”重复列出" },
	{ "indicator key \"%s\": use letters, digits and _ only, starting with a letter (keys are names "
	  "in formulas)", "指标 key“{1}”：只能用字母、数字和 _，并以字母开头（key 是公式中的名称）" },
	{ "indicator key \"%s\" is reserved for the %s score in formulas; choose another",
	  "指标 key“{1}”在公式中保留给 {2} 得分；请换一个" },
	{ "indicator \"%s\": unknown unit", "指标“{1}”：未知的单位" },
	{ "indicator \"%s\": unknown direction", "指标“{1}”：未知的方向" },
	{ "indicator \"%s\": unknown aggregate", "指标“{1}”：未知的汇总方式" },
	/* positions and their KPIs */
	{ "position has no key", "岗位缺少 key" },
	{ "position \"%s\" is listed twice", "岗位“{1}”重复列出" },
	{ "position \"%s\" has no stage (planning, construction, content, promotion or evaluation)",
	  "岗位“{1}”没有价值链阶段（planning、construction、content、promotion 或 evaluation）" },
	{ "position \"%s\": stage \"%s\" is not one of planning, construction, content, promotion, "
	  "evaluation", "岗位“{1}”：阶段“{2}”不是 planning、construction、content、promotion、evaluation 之一" },
	{ "position \"%s\": base_bonus is negative", "岗位“{1}”：基本奖金为负数" },
	{ "position \"%s\": base_bonus is above 10000000000.00", "岗位“{1}”：基本奖金超过 10000000000.00" },
	{ "position \"%s\" has no kpis; give at least one, weights totalling 100",
	  "岗位“{1}”没有考核指标；至少给出一项，权重合计 100" },
	{ "position \"%s\": kpi has no indicator", "岗位“{1}”：考核项缺少指标" },
	{ "position \"%s\": kpi indicator \"%s\" is not in indicators", "岗位“{1}”：考核项的指标“{2}”不在 indicators（指标）中" },
	{ "position \"%s\": indicator \"%s\" is listed twice", "岗位“{1}”：指标“{2}”重复列出" },
	{ "position \"%s\": kpi weights total %s, not 100", "岗位“{1}”：考核项权重合计为 {2}，不是 100" },
	{ "position \"%s\", kpi \"%s\": weight %s is negative", "岗位“{1}”的考核项“{2}”：权重 {3} 为负数" },
	{ "position \"%s\", kpi \"%s\": unknown rule", "岗位“{1}”的考核项“{2}”：未知的计分规则" },
	{ "position \"%s\", kpi \"%s\": target or threshold is not a number",
	  "岗位“{1}”的考核项“{2}”：目标值或起点值不是数字" },
	{ "position \"%s\", kpi \"%s\": rule ratio needs a target", "岗位“{1}”的考核项“{2}”：规则 ratio（比例）需要目标值" },
	{ "position \"%s\", kpi \"%s\": rule linear needs a target", "岗位“{1}”的考核项“{2}”：规则 linear（线性）需要目标值" },
	{ "position \"%s\", kpi \"%s\": rule binary needs a target", "岗位“{1}”的考核项“{2}”：规则 binary（达标）需要目标值" },
	{ "position \"%s\", kpi \"%s\": target %s must be above 0 for rule ratio",
	  "岗位“{1}”的考核项“{2}”：规则 ratio（比例）的目标值 {3} 必须大于 0" },
	{ "position \"%s\", kpi \"%s\": lower-better rule linear needs a threshold above the target (the "
	  "value that scores 0)", "岗位“{1}”的考核项“{2}”：越低越好的线性规则需要一个高于目标值的起点值（得 0 分的值）" },
	{ "position \"%s\", kpi \"%s\": threshold %s must be below target %s for a higher-better indicator",
	  "岗位“{1}”的考核项“{2}”：越高越好的指标，起点值 {3} 必须低于目标值 {4}" },
	{ "position \"%s\", kpi \"%s\": threshold %s must be above target %s for a lower-better indicator",
	  "岗位“{1}”的考核项“{2}”：越低越好的指标，起点值 {3} 必须高于目标值 {4}" },
	{ "position \"%s\", kpi \"%s\": rule bands needs bands, e.g. bands: [[50, 0], [80, 60], [100, 100]]",
	  "岗位“{1}”的考核项“{2}”：规则 bands（分档）需要分档，例如 bands: [[50, 0], [80, 60], [100, 100]]" },
	{ "position \"%s\", kpi \"%s\": band %zu is not a number", "岗位“{1}”的考核项“{2}”：第 {3} 档不是数字" },
	{ "position \"%s\", kpi \"%s\": band bounds must rise (worst first) for a higher-better indicator: "
	  "%s after %s", "岗位“{1}”的考核项“{2}”：越高越好的指标，分档界限必须从差到好递增：{3} 在 {4} 之后" },
	{ "position \"%s\", kpi \"%s\": band bounds must fall (worst first) for a lower-better indicator: "
	  "%s after %s", "岗位“{1}”的考核项“{2}”：越低越好的指标，分档界限必须从差到好递减：{3} 在 {4} 之后" },
	{ "position \"%s\", kpi \"%s\": band points must rise from worst to best: %s after %s",
	  "岗位“{1}”的考核项“{2}”：分档得分必须从差到好递增：{3} 在 {4} 之后" },
	{ "position \"%s\", kpi \"%s\": bands are only used by rule bands, not %s",
	  "岗位“{1}”的考核项“{2}”：分档只用于规则 bands，不用于 {3}" },
	{ "position \"%s\", kpi \"%s\": cap %s must be above 0", "岗位“{1}”的考核项“{2}”：上限 {3} 必须大于 0" },
	/* overrides */
	{ "override has no login", "个人目标缺少 login（用户名）" },
	{ "override for \"%s\" has no indicator", "“{1}”的个人目标缺少指标" },
	{ "override for \"%s\" on \"%s\" is listed twice", "“{1}”在“{2}”上的个人目标重复列出" },
	{ "override for \"%s\": indicator \"%s\" is not in indicators", "“{1}”的个人目标：指标“{2}”不在 indicators（指标）中" },
	{ "override for \"%s\": no position scores \"%s\"", "“{1}”的个人目标：没有岗位考核“{2}”" },
	{ "override for \"%s\" gives neither target nor threshold", "“{1}”的个人目标既没有目标值也没有起点值" },
	{ "override for \"%s\": target or threshold is not a number", "“{1}”的个人目标：目标值或起点值不是数字" },
	/* the plan file's shape (the YAML reader) */
	{ "the plan is empty", "考核方案是空的" },
	{ "the plan must be a mapping of keys (goal, criteria, indicators, positions, …), not a single "
	  "value or a list", "考核方案必须是键的映射（goal、criteria、indicators、positions……），不能是单个值或列表" },
	{ "a second YAML document: the file must hold one plan", "第二个 YAML 文档：文件只能包含一个考核方案" },
	{ "a band has no bound", "分档缺少界限" },
	{ "a band has no points", "分档缺少得分" },
	{ "a band must be a pair [bound, points], e.g. [80, 60]", "分档必须是一对 [界限, 得分]，例如 [80, 60]" },
	{ "duplicate key \"%s\" in %s (first at line %d, column %d)", "{~2} 中的键“{1}”重复（第一次在第 {3} 行第 {4} 列）" },
	{ "unknown key \"%s\" in %s; did you mean \"%s\"?", "{~2} 中有未知的键“{1}”；是不是“{3}”？" },
	{ "unknown key \"%s\" in %s; known keys are %s", "{~2} 中有未知的键“{1}”；可用的键：{3}" },
	{ "in %s, a key must be a word, not %s", "{~1} 中的键必须是一个词，不能是 {~2}" },
	{ "%s \"%s\" is not one of %s; did you mean \"%s\"?", "{~1}“{2}”不是 {~3} 之一；是不是“{4}”？" },
	{ "%s \"%s\" is not one of %s", "{~1}“{2}”不是 {~3} 之一" },
	{ "%s \"%s\" is not a number with at most %d decimals", "{~1}“{2}”不是最多 {3} 位小数的数字" },
	{ "%s \"%s\" is not an amount: digits with at most 2 decimals, no thousands separators",
	  "{~1}“{2}”不是金额：应为最多 2 位小数的数字，不带千位分隔符" },
	{ "%s \"%s\" is not a number", "{~1}“{2}”不是数字" },
	{ "%s \"%s\" is quoted text; write numbers without quotes", "{~1}“{2}”是带引号的文本；数字请不要加引号" },
	{ "%s contains a NUL character", "{~1} 含有 NUL 字符" },
	{ "%s must be a mapping of keys to values, not %s", "{~1} 必须是键到值的映射，不能是 {~2}" },
	{ "%s must be a list, not %s", "{~1} 必须是列表，不能是 {~2}" },
	{ "%s must be %s, not %s", "{~1} 必须是 {~2}，不能是 {~3}" },
	{ "%s has no %s", "{~1} 缺少 {2}" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAXF 8

typedef struct span { const char *s; size_t n; } span;

/* Does the format f match all of m[0..n)?  Fields (%s, %d, %zu) match
 * any text, the shortest first; %% matches '%'.  caps[k] gets field k. */
static int match(const char *f, const char *m, size_t n, span *caps, int k)
{
	for (;;) {
		if (!*f)
			return n == 0;
		if (f[0] == '%' && f[1] == '%') {
			if (!n || *m != '%')
				return 0;
			f += 2, m++, n--;
			continue;
		}
		if (f[0] == '%') {
			const char *g = f + 1;
			while (*g == 'z' || *g == 'l')
				g++;
			if (*g)
				g++;
			if (k >= MAXF)
				return 0;
			for (size_t take = 0; take <= n; take++) {
				caps[k] = (span){ m, take };
				if (match(g, m + take, n - take, caps, k + 1))
					return 1;
			}
			return 0;
		}
		if (!n || *f != *m)
			return 0;
		f++, m++, n--;
	}
}

/* m[0..n) in Chinese from table t into b, or 0 when no format matches. */
static int translate(mr_buf *b, const tr *t, size_t nt, const char *m, size_t n, int depth)
{
	span caps[MAXF];
	for (size_t i = 0; i < nt; i++) {
		if (!match(t[i].en, m, n, caps, 0))
			continue;
		for (const char *z = t[i].zh; *z; z++) {
			int frag = z[0] == '{' && z[1] == '~';
			const char *d = z + 1 + frag;
			if (z[0] == '{' && d[0] >= '1' && d[0] <= '8' && d[1] == '}') {
				span c = caps[d[0] - '1'];
				if (!frag || depth > 0 ||
				    !translate(b, fragments, COUNT(fragments), c.s, c.n, depth + 1))
					mr_buf_add(b, c.s, c.n);
				z = d + 1;
			} else {
				mr_buf_add(b, z, 1);
			}
		}
		return 1;
	}
	return 0;
}

void mr_msg_tr(mr_buf *out, const char *msg, size_t len, mr_locale lang)
{
	/* a whole message, or one that is a fragment alone (a reason why a
	 * person is not scored, as the dashboard gives it) */
	if (lang != MR_LOCALE_ZH_CN || (!translate(out, messages, COUNT(messages), msg, len, 0) &&
	                                !translate(out, fragments, COUNT(fragments), msg, len, 1)))
		mr_buf_add(out, msg, len);
}

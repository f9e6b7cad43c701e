/* msg_zh.c — merit's messages a person reads in the web app, in Chinese:
 * a plan's problems (the plan form, the YAML upload) and what stands
 * between a cycle and its close (the readiness list, with the reasons a
 * person is not scored).
 *
 * The checks word each message in English with printf: the CLI prints them
 * so.  Here each English format is a pattern — its %s, %d and %zu fields
 * match any text (%.*s, %02X, %llu too) — tried against a message in table order (a longer format
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
	{ "the plan's formula cannot be worked out for them: division by zero (the '/' at column %d)",
	  "无法按方案的公式计算其得分：除数为零（第 {1} 列的“/”）" },
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

/* ---- an upload's words: the importers' and the log ingest's (src/ingest) ---- */

/* Where a line of an import's words is: before its ": ". */
static const tr wheres[] = {
	{ "%s: sheet %s, row %s, column %s", "{1}: 工作表 {2} 第 {3} 行 {4} 列" },
	{ "%s: sheet %s, row %s", "{1}: 工作表 {2} 第 {3} 行" },
	{ "line %lld", "第 {1} 行" },
	{ "JSON key \"%s\"", "JSON 键“{1}”" },
	{ "mapping %.*s", "列映射 {1}" },
	{ "merit", "merit" },
	{ "sheet %s, row %s, column %s", "工作表 {1} 第 {2} 行 {3} 列" },
	{ "sheet %s, row %s", "工作表 {1} 第 {2} 行" },
};

/* Parts of a longer line (its {~N}), and short lines alone. */
static const tr file_fragments[] = {
	/* why nothing was counted (import_common.c) */
	{ "indicator %s is not in the plan", "指标 {1} 不在考核方案中" },
	{ "indicator %s are not in the plan", "指标 {1} 不在考核方案中" },
	{ "every row was imported already", "每一行都已导入过" },
	{ "every row was bad and skipped", "每一行都有错误，已全部跳过" },
	{ "no row gave a measurement (see the notes above)", "没有一行得出度量值（见上面的说明）" },
	{ "out of memory", "内存不足" },
	/* tails of the date, preset, column and value messages */
	{ "; dates in this file are day-first, as line %ld shows", "；如第 {1} 行所示，本文件的日期为日在前" },
	{ "; dates in this file are month-first, as line %ld shows", "；如第 {1} 行所示，本文件的日期为月在前" },
	{ "; dates were said to be day first", "；已指定日期为日在前" },
	{ "; dates were said to be month first", "；已指定日期为月在前" },
	{ " (the file ends inside a character)", "（文件在一个字符中间结束）" },
	{ "; it looks like preset %s", "；看起来是预设 {1}" },
	{ "; it looks like none of the %s exports merit knows (the generic layout names its own columns)",
	  "；看起来不是 merit 认识的任何 {1} 导出文件（通用格式使用自己的列名）" },
	{ "; other unused columns: %s", "；其他未使用的列：{1}" },
	{ ", and read %s when there", "，如有则读取 {1}" },
	{ "; fields with values: %s", "；有取值的字段：{1}" },
	{ "; the file has no due-date column (map the column that holds it to due)",
	  "；文件没有截止日期列（请把存放截止日期的列映射到 due）" },
	{ "the %s preset", "预设 {1}" },
	{ "%s files (generic layout)", "{1} 文件（通用格式）" },
	{ "%s files", "{1} 文件" },
	{ "line %ld of %s", "{2} 的第 {1} 行" },
	{ "row %ld of sheet %s", "工作表 {2} 的第 {1} 行" },
	/* what a value's rows come to (import_vocab.c) */
	{ "orders not counted: point of sale, not online", "笔订单不计入：门店销售，不是线上" },
	{ "orders not counted: draft orders made by staff, not online", "笔订单不计入：员工建的草稿订单，不是线上" },
	{ "orders not counted", "笔订单不计入" },
	{ "tasks not counted", "项任务不计入" },
	{ "tasks judged by their dates alone", "项任务只按日期判断" },
	/* why a log line failed (log_format.c, log_ingest.c) */
	{ "a quote was expected here", "此处应为引号" },
	{ "the line does not match the format here", "此行在此处与日志格式不符" },
	{ "the line ends early", "此行提前结束" },
	{ "a field is not valid", "字段无效" },
	{ "the line ends before the client address", "此行在客户端地址之前结束" },
	{ "the line ends before the date", "此行在日期之前结束" },
	{ "the line ends before the request", "此行在请求之前结束" },
	{ "invalid UTF-8 (byte 0x%02x)", "无效的 UTF-8（字节 0x{1}）" },
	{ "the client address is not an IPv4 or IPv6 address", "客户端地址不是 IPv4 或 IPv6 地址" },
	{ "the status is not a number from 100 to 599", "状态码不是 100 到 599 之间的数字" },
	{ "the date is not dd/Mon/yyyy, yyyy-mm-dd or a Unix time", "日期不是 dd/Mon/yyyy、yyyy-mm-dd 或 Unix 时间" },
	{ "the time is not hh:mm:ss", "时间不是 hh:mm:ss" },
	{ "a comma or } was expected here", "此处应为逗号或 }" },
	{ "a comma or ] was expected here", "此处应为逗号或 ]" },
	{ "a JSON key was expected here", "此处应为 JSON 键" },
	{ "a JSON key is not closed", "JSON 键没有结束" },
	{ "a colon was expected here", "此处应为冒号" },
	{ "a JSON value was expected here", "此处应为 JSON 值" },
	{ "a JSON string is not closed (or too long)", "JSON 字符串没有结束（或太长）" },
	/* a search-index series (import_index.c) */
	{ "%ld day%s of the search index of \"%s\" (%s preset), measured as the team's %s",
	  "“{3}”的搜索指数共 {1} 天（预设 {4}），计为团队的 {5}" },
	{ "%ld pc or mobile (wise) row%s left out: the \"all\" series holds %s",
	  "{1} 行 PC 端或移动端（wise）数据未计入：“all”序列已包含这些数据" },
	{ "a keyword of %zu bytes is not a search keyword (at most %d)",
	  "{1} 字节的关键词不是搜索关键词（最多 {2} 字节）" },
	{ "a second keyword, \"%s\": the series of \"%s\" began on line %ld, and a file is one "
	  "keyword's series (save each keyword's in a file of its own)",
	  "第二个关键词“{1}”：“{2}”的序列从第 {3} 行开始，一个文件只能是一个关键词的序列（请把每个关键词的数据分别存成文件）" },
	{ "an indicator is named for index files only (a search-index series), not %s: %s files say "
	  "what they measure", "只有指数文件（搜索指数序列）才能指定指标，{1} 文件不行：{2} 文件自己说明度量的是什么" },
	{ "the index is empty", "指数为空" },
	{ "type \"%s\" is not all, pc or wise", "类型“{1}”不是 all、pc 或 wise" },
	{ "no complete line yet", "还没有完整的一行" },
	{ "empty", "空文件" },
};

static const tr files[] = {
	/* a bad row, and the notes that tell of skipped ones (import_common.c) */
	{ "%s: %s (row skipped)", "{1}: {~2}（已跳过该行）" },
	{ "%s: more bad rows skipped; only the first %d are listed", "{1}: 还跳过了更多错误行；只列出前 {2} 行" },
	{ "%s:%lld:%zu: %s; line counted as failed", "{1}:{2}:{3}: {~4}；该行计为失败" },
	{ "merit: %s: %s; skipped", "merit: {1}: {~2}；已跳过" },
	/* CSV and text (csv.c) */
	{ "%s:%ld:%zu: field longer than %u KiB%s", "{1}:{2}:{3}: 字段超过 {4} KiB{~5}" },
	{ "%s:%ld:%zu: field longer than %u KiB", "{1}:{2}:{3}: 字段超过 {4} KiB" },
	{ "%s: %s is a ratio indicator, and a search index has no denominator: name another with "
	  "--indicator", "{1}: {2} 是比率指标，而搜索指数没有分母：请另选一个指标" },
	{ "%s: indicator \"%s\" is not in the plan", "{1}: 指标“{2}”不在考核方案中" },
	{ "%s: out of memory", "{1}: 内存不足" },
	{ "log format: longer than %zu characters", "日志格式：超过 {1} 个字符" },
	{ "log format: out of memory", "日志格式：内存不足" },
	{ "%s:%ld: a record of more than %u fields or %u MiB: is this a CSV file?",
	  "{1}:{2}: 一条记录超过 {3} 个字段或 {4} MiB：这是 CSV 文件吗？" },
	{ "%s:%ld:%zu: a misplaced quote in field %zu: a field with a quote must be quoted whole, its own "
	  "quotes doubled (\"a \"\"b\"\" c\")", "{1}:{2}:{3}: 第 {4} 个字段中的引号位置不对：含引号的字段必须整个用引号括起来，"
	  "字段里的引号要写两遍（\"a \"\"b\"\" c\"）" },
	{ "%s: %s \"%s\" is not an encoding this system knows (UTF-8, UTF-16LE, GB18030, GBK, BIG5, "
	  "WINDOWS-1252, …)", "{1}: {2}“{3}”不是本系统认识的编码（UTF-8、UTF-16LE、GB18030、GBK、BIG5、WINDOWS-1252 等）" },
	{ "%s:%ld: byte %llu (0x%02X) is not %s%s", "{1}:{2}: 第 {3} 个字节（0x{4}）不是 {5} 编码{~6}" },
	{ "%s: decoding from %s stalled", "{1}: 从 {2} 解码时停滞" },
	{ "%s: read error: %s", "{1}: 读取出错：{2}" },
	{ "%s:%ld: the file ends inside a quoted field (opened on line %ld): is it cut off?",
	  "{1}:{2}: 文件在一个带引号的字段中结束（引号开始于第 {3} 行）：文件是否不完整？" },
	{ "%s: a spreadsheet is read from a file, not from standard input: name the file",
	  "{1}: 电子表格须从文件读取，不能从标准输入读取：请给出文件名" },
	/* values of a row (import_common.c, import_date.c, the importers) */
	{ "%s \"%s\" is not a number ≥ 0", "{1}“{2}”不是 ≥ 0 的数字" },
	{ "%s \"%s\" is not an amount (like 1234.50)", "{1}“{2}”不是金额（应如 1234.50）" },
	{ "%s: date \"%s\" is ambiguous: day first or month first? The %zu rows after it (%u MiB) have no "
	  "date with a day over 12 to tell", "{1}: 日期“{2}”有歧义：日在前还是月在前？其后的 {3} 行（{4} MiB）中没有日大于 12 的日期可以判断" },
	{ "%s: date \"%s\" is ambiguous: day first or month first? No date in the file has a day over 12 to tell",
	  "{1}: 日期“{2}”有歧义：日在前还是月在前？文件中没有日大于 12 的日期可以判断" },
	{ "%s \"%s\" is ambiguous: day first or month first?", "{1}“{2}”有歧义：日在前还是月在前？" },
	{ "%s \"%s\" is not a date (2026-11-03, 03/11/2026, 03/Nov/26, 15/ene/26, Nov 3, 2026 or 2026年11月3日; "
	  "a time may follow)%s", "{1}“{2}”不是日期（应如 2026-11-03、03/11/2026、03/Nov/26、15/ene/26、Nov 3, 2026 "
	  "或 2026年11月3日，后面可带时间）{~3}" },
	{ "date \"%s\" is not a date (YYYY-MM-DD)", "date（日期）“{1}”不是日期（YYYY-MM-DD）" },
	{ "indicator \"%s\" is not in the plan", "指标“{1}”不在考核方案中" },
	{ "value \"%s\" is not a number", "value（数值）“{1}”不是数字" },
	{ "denominator \"%s\" is not a number ≥ 0", "denominator（分母）“{1}”不是 ≥ 0 的数字" },
	{ "%s is a ratio indicator: the row needs a denominator", "{1} 是比率指标：该行需要分母" },
	{ "%s is not a ratio indicator: leave the denominator empty", "{1} 不是比率指标：分母请留空" },
	{ "the order is in %s, not %s (the plan's currency)", "订单币种是 {1}，不是 {2}（考核方案的币种）" },
	{ "%s:%ld:%d: %ld order%s not in %s, the plan's currency (%s); convert them",
	  "{1}:{2}:{3}: {4} 笔订单不是考核方案的币种 {6}（{7}）；请先换算" },
	{ "%s:%ld:%d: the orders are in more than one currency (%s) and sums of them mean nothing; name the "
	  "one to count in the plan (currency: %s) and the others are refused",
	  "{1}:{2}:{3}: 订单使用了多种币种（{4}），把它们相加没有意义；请在考核方案中指定要统计的币种（currency: {5}），其他币种的订单将被拒绝" },
	{ "the order's total is empty", "订单金额为空" },
	{ "the keyword is empty", "关键词为空" },
	{ "position \"%s\" is not a search position (1 or more)", "排名“{1}”不是搜索排名（应为 1 或更大）" },
	{ "the login is empty", "login（用户名）为空" },
	{ "the url is empty (a post is counted by its URL)", "url 为空（帖子按 URL 计数）" },
	{ "the row names neither author nor url nor title", "该行既没有 author（作者），也没有 url 和 title（标题）" },
	{ "up is empty", "up（正常次数）为空" },
	{ "total \"%s\" must be more than 0 and at least up (%s)", "total（总次数）“{1}”必须大于 0 且不小于 up（{2}）" },
	{ "visits is empty", "visits（访问量）为空" },
	/* what an import tells afterwards (the notes) */
	{ "%ld empty rows ignored", "忽略了 {1} 个空行" },
	{ "%s \"%s\" is not mapped to a login (an admin can give it an owner): %ld row%s not attributed to anyone",
	  "{1}“{2}”没有对应的用户（管理员可以为它指定负责人）：{3} 行没有归属到任何人" },
	{ "%s \"%s\" is not mapped to a login (`merit own %s '%s' --who LOGIN`): %ld row%s not attributed to anyone",
	  "{1}“{2}”没有对应的用户（`merit own {3} '{4}' --who LOGIN`）：{5} 行没有归属到任何人" },
	{ "indicator %s is not in the plan: %ld measurement%s not written", "指标 {1} 不在考核方案中：{2} 个度量值未写入" },
	{ "%s: this content was imported already as batch %lld", "{1}: 这些内容已作为批次 {2} 导入过" },
	{ "%ld row%s imported already, by %s: skipped, not counted again", "{1} 行已由 {3} 导入过：已跳过，不重复计数" },
	{ "%s: %ld row%s of this file %s counted already, by %s", "{1}: 本文件有 {2} 行已由 {5} 计数过" },
	{ "replacing batch %lld too (its rows are in this file)", "同时替换批次 {1}（它的行在本文件中）" },
	{ "%s: nothing to count, so no batch was made: %s", "{1}: 没有可计数的内容，因此没有生成批次：{~2}" },
	/* the kinds as import.h's MR_IMPORT_KINDS_TEXT words them */
	{ "kind: \"%s\" is not a kind of import: orders, tasks, ranks, leads, content, posts, members, uptime, "
	  "visits, index or measurements",
	  "kind（类型）：“{1}”不是导入类型：应为 orders、tasks、ranks、leads、content、posts、members、uptime、visits、index 或 measurements" },
	{ "\"%s\" is not a kind of import: orders, tasks, ranks, leads, content, posts, members, uptime, "
	  "visits, index or measurements",
	  "“{1}”不是导入类型：应为 orders、tasks、ranks、leads、content、posts、members、uptime、visits、index 或 measurements" },
	{ "encoding \"%s\": not an encoding this system knows (GBK, GB18030, UTF-16, BIG5, WINDOWS-1252…)",
	  "编码“{1}”：不是本系统认识的编码（GBK、GB18030、UTF-16、BIG5、WINDOWS-1252 等）" },
	{ "\"%s\" is not a kind of import", "“{1}”不是导入类型" },
	{ "%s: --encoding %s, but it is not UTF-16 text: its commas and line ends are single bytes "
	  "(UTF-8 or GB18030? leave --encoding out and it is told apart)",
	  "{1}: 指定了编码 {2}，但它不是 UTF-16 文本：其中的逗号和换行符是单字节（是 UTF-8 或 GB18030 吗？不指定编码，系统会自动识别）" },
	{ "the total %s is below 0: a paid online order's total is what was paid",
	  "订单总额 {1} 小于 0：已付款的线上订单，总额就是所付的金额" },
	{ "refunded %s is below 0", "退款金额 {1} 小于 0" },
	{ "refunded %s is more than the order's total", "退款金额 {1} 超过了订单总额" },
	{ "%s: the file is empty; it needs the header %s or an export's own", "{1}: 文件是空的；需要表头 {2} 或某个导出文件自己的表头" },
	{ "%s: only a header, no rows: nothing to import", "{1}: 只有表头，没有数据行：没有可导入的内容" },
	{ "%ld row%s repeating an earlier row of the file: counted once", "{1} 行与文件中前面的行重复：只计一次" },
	{ "%ld orders (%ld more line-item rows); %ld first-time buyers, %ld returning",
	  "{1} 笔订单（另有 {2} 行商品明细）；{3} 位首次购买的顾客，{4} 位回头客" },
	{ "batch %lld came from a file of the same name, and both count; if this file corrects that "
	  "one, remove batch %lld", "批次 {1} 来自同名文件，两者都会计入；如果本文件是对它的更正，请删除批次 {2}" },
	{ "%ld buyer%s ordered more than once in this file (%ld further order%s): each counted as a "
	  "buyer once, by their first order", "{1} 位顾客在本文件中下单不止一次（另有 {3} 笔订单）：每位顾客只按首单计一次" },
	{ "%ld orders not paid (refunded, pending, voided…): not counted", "{1} 笔订单未付款（已退款、待付款、已作废等）：不计入" },
	{ "%ld orders not online (point of sale, drafts): not counted", "{1} 笔订单不是线上订单（门店销售、草稿）：不计入" },
	{ "%ld paid orders name no customer: in the sales, not counted as customers",
	  "{1} 笔已付款订单没有顾客：计入销售额，不计为顾客" },
	{ "%ld customers bought earlier here than the first order an earlier import saw; they were counted "
	  "there, not again", "{1} 位顾客在此处的购买早于之前导入看到的首笔订单；他们已在那里计数，不再重复计数" },
	{ "%ld keywords: %ld owned by a promoter and measured, %ld owned by no one (%s) and not measured",
	  "{1} 个关键词：{2} 个属于推广人员并已计量，{3} 个不属于任何人（{4}），未计量" },
	{ "%ld tasks: %ld counted (%ld design tasks)", "{1} 项任务：计入 {2} 项（其中设计任务 {3} 项）" },
	{ "%ld tasks have no due date and are not counted (%s%s)%s", "{1} 项任务没有截止日期，不计入（{2}{3}）{~4}" },
	{ "%ld tasks not due yet (open, due after today): not counted", "{1} 项任务尚未到期（未完成，今天之后到期）：不计入" },
	{ "%ld tasks done by their status with no completion date: the day of their last activity taken as "
	  "the day done", "{1} 项任务按状态已完成但没有完成日期：以最后活动日作为完成日" },
	{ "%ld tasks past their due date are done by their status but say no day done: on time or late cannot "
	  "be told, not counted (%s)", "{1} 项已过截止日期的任务按状态已完成但没有完成日期：无法判断是否按时，不计入（{2}）" },
	{ "%ld tasks with a due date have no assignee: not counted", "{1} 项有截止日期的任务没有负责人：不计入" },
	{ "%ld rows of visits for the team", "{1} 行团队访问量" },
	{ "%ld rows from a source a promoter owns also count for them; %ld from sources no one owns count for "
	  "the team only", "{1} 行来自推广人员负责的来源，也计入其本人；{2} 行来自无人负责的来源，只计入团队" },
	{ "%ld total rows left out (they repeat the others)", "省略了 {1} 行合计（与其他行重复）" },
	{ "%s \"%s\" means %s: %ld %s", "{1}“{2}”表示 {3}：{4} {~5}" },
	{ "%s \"%s\" is not a value merit knows: %ld %s; an admin can say what it means (%s)",
	  "{1}“{2}”不是 merit 认识的取值：{3} {~4}；管理员可以说明它的含义（{5}）" },
	{ "%s \"%s\" is not a value merit knows: %ld %s; say what it means with --value '%s:%s=MEANING' (%s)",
	  "{1}“{2}”不是 merit 认识的取值：{3} {~4}；请用 --value '{5}:{6}=MEANING' 说明它的含义（{7}）" },
	{ "--value \"%s\": \"%s\" is not a %s merit knows; say %s", "--value“{1}”：“{2}”不是 merit 认识的 {3}；请填 {4}" },
	{ "--value \"%s\": %s files have no field with values to map there%s%s",
	  "--value“{1}”：{2} 文件没有可映射取值的字段{~3}{~4}" },
	{ "--value \"%s\": say FIELD:VALUE=MEANING, e.g. --value 'status:已发货=paid'",
	  "--value“{1}”：请写成 字段:取值=含义，例如 --value 'status:已发货=paid'" },
	/* the header and the columns (import_map.c) */
	{ "%s: %s files have no field \"%.*s\" (there are %s, or - to ignore the column)",
	  "{~1}: {2} 文件没有字段“{3}”（可用的字段：{4}，或用 - 忽略该列）" },
	{ "mapping \"%.*s\": say COLUMN=FIELD", "列映射“{1}”：请写成 列名=字段" },
	{ "mapping \"%s\": say COLUMN=FIELD", "列映射“{1}”：请写成 列名=字段" },
	{ "%s: %s has no column \"%.*s\" in its header (line %ld)", "{~1}: {2} 的表头（第 {4} 行）中没有列“{3}”" },
	{ "mapping %s: the header has both a column \"%.*s\" and the columns of the list",
	  "列映射 {1}：表头中既有列“{2}”，又有列表中的列" },
	{ "%s:%d:%d: column \"%s\" is not in the header of %s", "{1}:{2}:{3}: 列“{4}”不在 {5} 的表头中" },
	{ "%s: not a %s export: the header lacks %s (preset %s)%s%s%s",
	  "{1}: 不是 {2} 导出文件：表头缺少 {3}（预设 {4}）{~5}{~6}{~7}" },
	{ "no preset \"%s\" for %s files; there are: %s", "{2} 文件没有预设“{1}”；可用的预设：{3}" },
	{ "%s: the header fits the presets %s and %s", "{1}: 表头同时符合预设 {2} 和 {3}" },
	{ "%s: the file has no dates (no column \"%s\")", "{1}: 文件没有日期（没有列“{2}”）" },
	{ "%s: %d required column%s missing: %s. %s need%s %s in the header (%s)%s%s%s",
	  "{1}: 缺少 {2} 个必需的列：{4}。{~5}的表头（{~8}）中需要 {7}{~9}{~10}{~11}" },
	{ "%s: column %s is not used by %s (strict)%s%s", "{1}: 列 {2} 没有被 {~3}使用（严格模式）{~4}{~5}" },
	{ "ignored %zu column%s not used by %s: %s", "忽略了 {1} 个 {~3}不使用的列：{4}" },
	{ ", … and %zu more", "，……另有 {1} 个" },
	{ "%s: the header is not valid UTF-8", "{1}: 表头不是有效的 UTF-8" },
	{ "%s: column \"%s\" twice (also column %d)", "{1}: 列“{2}”出现两次（另一次在第 {3} 列）" },
	{ "%s: a whole-file date does not apply to %s files", "{1}: 整个文件的日期不适用于 {2} 文件" },
	{ "%s: a whole-file date is for files without dates; this %s file has its own",
	  "{1}: 整个文件的日期只用于没有日期的文件；这个 {2} 文件有自己的日期" },
	/* spreadsheets (sheet.c, sheet_xls.c, sheet_xlsx.c) */
	{ "%s: read error", "{1}: 读取出错" },
	{ "%s: sheet \"%s\": this is a text file, not a spreadsheet (.xlsx or .xls)",
	  "{1}: 工作表“{2}”：这是文本文件，不是电子表格（.xlsx 或 .xls）" },
	{ "%s: not an .xlsx file (which is a zip archive): save it from the spreadsheet as .xlsx or as CSV",
	  "{1}: 不是 .xlsx 文件（.xlsx 是 zip 压缩包）：请在电子表格软件中另存为 .xlsx 或 CSV" },
	{ "%s: a text encoding is for text files; a spreadsheet's text is Unicode already",
	  "{1}: 文本编码只用于文本文件；电子表格的文字已经是 Unicode" },
	{ "%s: a cell past column XFD, the last a sheet has", "{~1}: 单元格超出了工作表的最后一列 XFD" },
	{ "%s: a cell longer than %u KiB", "{~1}: 单元格超过 {2} KiB" },
	{ "%s: a row longer than %u MiB", "{~1}: 一行超过 {2} MiB" },
	{ "%s: the cell's text is not valid UTF-8 (a damaged file?)", "{~1}: 单元格的文字不是有效的 UTF-8（文件损坏？）" },
	{ "%s: the cell twice (a damaged file?)", "{~1}: 同一单元格出现两次（文件损坏？）" },
	{ "%s: the workbook has no sheets", "{1}: 工作簿没有工作表" },
	{ "%s: no sheet \"%s\"; the workbook's sheets: %s", "{1}: 没有工作表“{2}”；工作簿中的工作表：{3}" },
	{ "%s: not an Excel 97-2003 workbook (a Word or other OLE2 file?)", "{1}: 不是 Excel 97-2003 工作簿（是 Word 或其他 OLE2 文件？）" },
	{ "%s: the workbook is password-protected or damaged: save it again without a password",
	  "{1}: 工作簿有密码保护或已损坏：请去掉密码后重新保存" },
	{ "%s: not a readable .xls (FreeXL error %d): a damaged file? Save it again from the spreadsheet, or as CSV",
	  "{1}: 无法读取的 .xls（FreeXL 错误 {2}）：文件损坏？请在电子表格软件中重新保存，或另存为 CSV" },
	{ "%s: an .xls of %lld MiB, more than merit reads (%u MiB): save the sheet as CSV",
	  "{1}: .xls 文件有 {2} MiB，超过 merit 可读取的大小（{3} MiB）：请把工作表另存为 CSV" },
	{ "%s: sheet \"%s\" cannot be read (a damaged file?)", "{1}: 工作表“{2}”无法读取（文件损坏？）" },
	{ "%s: sheet \"%s\" claims %u rows × %u columns, more than merit reads (%u cells): save it as CSV",
	  "{1}: 工作表“{2}”声称有 {3} 行 × {4} 列，超过 merit 可读取的大小（{5} 个单元格）：请另存为 CSV" },
	{ "%s: more than %zu entries in a list of the workbook (a damaged file?)", "{1}: 工作簿的一个列表超过 {2} 项（文件损坏？）" },
	{ "%s: a DOCTYPE in the workbook's XML, which no .xlsx has: refused", "{1}: 工作簿的 XML 中有 DOCTYPE，正常的 .xlsx 不会有：已拒绝" },
	{ "%s: the workbook's shared strings pass %u strings or %u MiB, more than merit holds: save the sheet "
	  "as CSV and import that", "{1}: 工作簿的共享字符串超过 {2} 个或 {3} MiB，超过 merit 可容纳的大小：请把工作表另存为 CSV 再导入" },
	{ "%s: shared string \"%s\" %s (a damaged file?)", "{1}: 共享字符串“{2}”{3}（文件损坏？）" },
	{ "%s: not an .xlsx workbook: it has no %s (is it another kind of zip?)", "{1}: 不是 .xlsx 工作簿：其中没有 {2}（是别的 zip 文件？）" },
	{ "%s: %s unpacks to %llu MiB, more than merit reads (%llu MiB): refused", "{1}: {2} 解压后有 {3} MiB，超过 merit 可读取的大小（{4} MiB）：已拒绝" },
	{ "%s: %s unpacks to %llu MiB from %llu KiB, more than %d times its size: a zip bomb? refused",
	  "{1}: {2} 从 {4} KiB 解压为 {3} MiB，超过原大小的 {5} 倍：是 zip 炸弹吗？已拒绝" },
	{ "%s: %s: %s (is the workbook encrypted?)", "{1}: {2}: {3}（工作簿是否加密？）" },
	{ "%s: %s: %s (a damaged file?)", "{1}: {2}: {3}（文件损坏？）" },
	{ "%s: %s unpacks past its declared size: refused", "{1}: {2} 解压后超过其声明的大小：已拒绝" },
	{ "%s: %s, line %lu: %s (a damaged file?)", "{1}: {2} 第 {3} 行：{4}（文件损坏？）" },
	{ "%s: %s, line %lu: a tag or comment longer than %u MiB: refused", "{1}: {2} 第 {3} 行：标签或注释超过 {4} MiB：已拒绝" },
	{ "%s: the workbook lists no sheets", "{1}: 工作簿没有列出任何工作表" },
	{ "%s: sheet \"%s\" has no part in the workbook (a damaged file?)", "{1}: 工作表“{2}”在工作簿中没有对应的部分（文件损坏？）" },
	{ "%s: cannot be read", "{1}: 无法读取" },
	{ "%s: not a readable .xlsx: %s", "{1}: 无法读取的 .xlsx：{2}" },
	/* saved sources (source.c) */
	{ "source name \"%s\": say 1 to %d bytes of UTF-8, not starting with '-'", "来源名称“{1}”：请用 1 到 {2} 字节的 UTF-8，不能以 '-' 开头" },
	{ "source name \"%s\": no spaces, slashes or control characters (letters, digits, '.', '-', '_', 中文 are fine)",
	  "来源名称“{1}”：不能有空格、斜杠或控制字符（字母、数字、'.'、'-'、'_'、中文都可以）" },
	{ "the saved source \"%s\" is damaged (its options are not JSON); remove it and save it again",
	  "已保存的来源“{1}”已损坏（其选项不是 JSON）；请删除后重新保存" },
	/* access logs (log_ingest.c, log_format.c, log_day.c) */
	{ "%s: the gzip data is truncated (it ends in the middle of the stream)", "{1}: gzip 数据不完整（在数据流中间结束）" },
	{ "%s: the gzip data is damaged: %s", "{1}: gzip 数据已损坏：{2}" },
	{ "%s:%lld: a line longer than 64 KiB (%zu bytes); is this an access log?", "{1}:{2}: 一行超过 64 KiB（{3} 字节）；这是访问日志吗？" },
	{ "%s:%lld: a line longer than 64 KiB; is this an access log?", "{1}:{2}: 一行超过 64 KiB；这是访问日志吗？" },
	{ "%s:%lld:%zu: invalid UTF-8 (byte 0x%02x) (strict)", "{1}:{2}:{3}: 无效的 UTF-8（字节 0x{4}）（严格模式）" },
	{ "%s:%lld:%zu: %s (strict)", "{1}:{2}:{3}: {~4}（严格模式）" },
	{ "%s: no log format reads its first lines (say which: %s, or a format string)",
	  "{1}: 没有哪种日志格式能读取它的前几行（请指定格式：{2}，或给出格式字符串）" },
	{ "%s: cannot read it again from byte %lld", "{1}: 无法从第 {2} 个字节重新读取" },
	{ "%s: none of its %lld %slines matches the log format %s (is it another format? %s, or a format string)",
	  "{1}: 它的 {2} 行{3}没有一行符合日志格式 {4}（是别的格式吗？{5}，或给出格式字符串）" },
	{ "%s: this content was ingested already as batch %lld", "{1}: 这些内容已作为批次 {2} 导入过" },
	{ "merit: %s: all its %lld %slines were ingested before (by earlier batches); nothing new",
	  "merit: {1}: 它的全部 {2} 行{3}都已由之前的批次导入；没有新内容" },
	{ "merit: %s: nothing new since batch %lld (after the file's first %lld lines); its last line "
	  "has no newline yet (it was changed in the last 5 minutes): left for the next run; skipped",
	  "merit: {1}: 自批次 {2} 以来没有新内容（文件的前 {3} 行之后）；最后一行还没有换行符（文件在最近 5 分钟内被修改过）：留待下次读取；已跳过" },
	{ "the visitors stored for %s are damaged, or more than %d", "为 {1} 保存的访客数据已损坏，或超过 {2} 个" },
	{ "out of memory (or more than 100000 sites)", "内存不足（或超过 100000 个网站）" },
	{ "site %.*s, %s: more than %d distinct visitors in a day (the most merit counts)",
	  "网站 {1}，{2}：一天内超过 {3} 个不同访客（merit 最多统计这么多）" },
	{ "log format:%zu: unknown specifier \"%%%.1s\" (known: %%h %%d %%t %%x %%r %%m %%U %%q %%H %%s %%b %%R %%u %%v %%e %%^ %%~)",
	  "日志格式第 {1} 个字符：未知的格式符“%{2}”（可用：%h %d %t %x %r %m %U %q %H %s %b %R %u %v %e %^ %~）" },
	{ "log format:%zu: unknown specifier \"%%%.1s\" (known: %%h %%l %%u %%t %%r %%s %%b %%v %%m %%U %%q %%H %%^ "
	  "%%{Referer}i %%{User-Agent}i)", "日志格式第 {1} 个字符：未知的格式符“%{2}”（可用：%h %l %u %t %r %s %b %v %m %U %q %H %^ %{Referer}i %{User-Agent}i）" },
	{ "log format: more than %zu items", "日志格式：超过 {1} 项" },
	{ "log format: longer than %d characters", "日志格式：超过 {1} 个字符" },
	{ "log format:%zu: a field must be separated from the one before it by some text", "日志格式第 {1} 个字符：字段与前一个字段之间必须有文字分隔" },
	{ "log format:%zu: the same field twice", "日志格式第 {1} 个字符：同一字段出现两次" },
	{ "log format:%zu: %%{ without its closing }NAME letter", "日志格式第 {1} 个字符：%{ 缺少结尾的 }名称字母" },
	{ "log format \"%s\": it needs the client address (%%h), the time (%%t, or %%d and %%t) and the request (%%r or %%U)",
	  "日志格式“{1}”：需要客户端地址（%h）、时间（%t，或 %d 和 %t）和请求（%r 或 %U）" },
	{ "log format: more than %d JSON keys", "日志格式：超过 {1} 个 JSON 键" },
	{ "log format: the JSON key %s is too long", "日志格式：JSON 键 {1} 太长" },
	{ "log format: a JSON key path is too long", "日志格式：JSON 键路径太长" },
	{ "log format:%d: not a JSON template: %s", "日志格式第 {1} 个字符：不是 JSON 模板：{2}" },
	{ "log format \"%s\": no format has that name (the names: %s; or give a format string such as '%%h %%^[%%d:%%t %%^] \"%%r\" %%s %%b')",
	  "日志格式“{1}”：没有这个名称的格式（可用的名称：{2}；或给出格式字符串，例如 '%h %^[%d:%t %^] \"%r\" %s %b'）" },
	{ "#Fields: too many fields", "#Fields：字段太多" },
	{ "not valid UTF-8 (nor GB18030)", "不是有效的 UTF-8（也不是 GB18030）" },
	/* a row's login, as the store checks it (store_data.c) */
	{ "unknown login \"%s\"", "未知的用户“{1}”" },
	/* the upload's own arguments (web/api_data.c) */
	{ "kind: one of orders, tasks, ranks, leads, content, posts, members, uptime, "
	  "visits, index or measurements (or a saved source)",
	  "kind（类型）：应为 orders、tasks、ranks、leads、content、posts、members、uptime、visits、index、measurements 之一（或已保存的来源）" },
	{ "kind: one of orders, tasks, ranks, leads, content, posts, members, uptime, "
	  "visits, index or measurements",
	  "kind（类型）：应为 orders、tasks、ranks、leads、content、posts、members、uptime、visits、index、measurements 之一" },
	{ "date_order \"%s\": dmy (day first) or mdy (month first)", "date_order（日期顺序）“{1}”：应为 dmy（日在前）或 mdy（月在前）" },
	{ "there is no plan yet", "还没有考核方案" },
	{ "out of memory", "内存不足" },
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
			while (*g && strchr("0123456789.*-+ #zlh", *g))
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

typedef int (*frag_fn)(mr_buf *b, const char *m, size_t n, int depth);

/* m[0..n) in Chinese from table t into b, or 0 when no format matches;
 * a {~N} field is put in Chinese by frag (when it can). */
static int translate(mr_buf *b, const tr *t, size_t nt, const char *m, size_t n, int depth,
                     frag_fn frag)
{
	span caps[MAXF];
	for (size_t i = 0; i < nt; i++) {
		if (!match(t[i].en, m, n, caps, 0))
			continue;
		for (const char *z = t[i].zh; *z; z++) {
			int isfrag = z[0] == '{' && z[1] == '~';
			const char *d = z + 1 + isfrag;
			if (z[0] == '{' && d[0] >= '1' && d[0] <= '8' && d[1] == '}') {
				span c = caps[d[0] - '1'];
				if (!isfrag || depth > 1 || !frag(b, c.s, c.n, depth + 1))
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

static int plan_frag(mr_buf *b, const char *m, size_t n, int depth)
{
	return depth <= 1 && translate(b, fragments, COUNT(fragments), m, n, 2, plan_frag);
}

void mr_msg_tr(mr_buf *out, const char *msg, size_t len, mr_locale lang)
{
	/* a whole message, or one that is a fragment alone (a reason why a
	 * person is not scored, as the dashboard gives it) */
	if (lang != MR_LOCALE_ZH_CN ||
	    (!translate(out, messages, COUNT(messages), msg, len, 0, plan_frag) &&
	     !translate(out, fragments, COUNT(fragments), msg, len, 2, plan_frag)))
		mr_buf_add(out, msg, len);
}

/* One line of an import's or an ingest's words: the whole line by the
 * table (its formats begin with the FILE:LINE:COL they word, or a field
 * that takes it in), else, at each ": " from the left, where it is (a
 * file's name, FILE:LINE:COL, a sheet's row: the sheet's words in
 * Chinese) kept and what follows by the table (mr_imp_bad's and
 * mr_imp_note's formats word what follows); else a fragment alone. */
static int file_line(mr_buf *b, const char *m, size_t n, int depth)
{
	if (depth > 2)
		return 0;
	if (translate(b, files, COUNT(files), m, n, depth, file_line))
		return 1;
	for (size_t p = 0; p + 2 <= n; p++) {
		if (m[p] != ':' || m[p + 1] != ' ')
			continue;
		size_t mark = b->len;
		if (!translate(b, wheres, COUNT(wheres), m, p, depth, file_line))
			mr_buf_add(b, m, p);
		mr_buf_puts(b, ": ");
		if (translate(b, files, COUNT(files), m + p + 2, n - p - 2, depth, file_line))
			return 1;
		b->len = mark;
		if (b->cap)
			b->data[mark] = 0;
	}
	return translate(b, file_fragments, COUNT(file_fragments), m, n, depth, file_line) ||
	       translate(b, wheres, COUNT(wheres), m, n, depth, file_line);
}

void mr_msg_tr_file(mr_buf *out, const char *msg, size_t len, mr_locale lang)
{
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(msg + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (msg + i)) : len - i;
		if (lang != MR_LOCALE_ZH_CN || !file_line(out, msg + i, n, 0))
			mr_buf_add(out, msg + i, n);
		i += n;
		if (nl) {
			mr_buf_putc(out, '\n');
			i++;
		}
	}
}

/* report_i18n.c — the catalogue of the reports' words (report_i18n.h). */
#include "report/report_i18n.h"

#include <string.h>

typedef struct entry { const char *en, *zh; } entry;

/* Sorted by nothing: looked up by the English text.  A format keeps its
 * conversions, in the same order. */
static const entry catalogue[] = {
	{ "brand — brand communication", "品牌传播" },
	{ "platform — build a platform", "平台建设" },
	{ "sales — sell products", "销售产品" },
	{ "none — no operating goal is set", "未设经营目标" },
	{ "self", "自评" },
	{ "manager", "上级评" },
	{ "peer", "同事评" },
	{ "upward", "下属评" },
	{ "ratio", "比例" },
	{ "linear", "线性" },
	{ "bands", "分档" },
	{ "binary", "达标制" },
	{ "%s (%s)", "%s（%s）" },
	{ "no data for %s", "无数据：%s" },
	{ "; ", "；" },
	{ "no rating: ", "尚无评分：" },
	{ "data missing", "缺少数据" },
	{ "no KPI data and no manager rating counted: the final score would rest on self, peer and upward ratings alone", "没有计入 KPI 数据和上级评分：最终得分将只依据自评、同事评和下属评" },
	{ "KPI coverage %s%% is below the plan's min_coverage %s%%", "KPI 覆盖率 %s%% 低于方案要求的最低覆盖率（min_coverage）%s%%" },
	{ " (no data for ", "（无数据：" },
	{ ")", "）" },
	{ ", ", "、" },
	{ "KPI", "KPI" },
	{ "Manager", "上级评" },
	{ "Self", "自评" },
	{ "Peer", "同事评" },
	{ "Upward", "下属评" },
	{ "peer %d", "同事 %d" },
	{ "upward %d", "直接下属 %d" },
	{ "planning", "规划" },
	{ "construction", "建设" },
	{ "content", "内容" },
	{ "promotion", "推广" },
	{ "evaluation", "评估" },
	{ "open", "进行中" },
	{ "review", "评审中" },
	{ "Appraisal ", "考核 " },
	{ "Performance appraisal ", "绩效考核 " },
	{ "%s to %s · operating goal: ", "%s 至 %s · 经营目标：" },
	{ " · cycle closed: frozen results", " · 周期已关闭：结果已冻结" },
	{ " · cycle %s: results may still change", " · 周期%s：结果仍可能变化" },
	{ " · no cycle: results may still change", " · 没有考核周期：结果仍可能变化" },
	{ "Team indicators", "团队指标" },
	{ "Indicator", "指标" },
	{ "Actual", "实际值" },
	{ "Target", "目标值" },
	{ "Score", "得分" },
	{ "incomplete: ", "不完整：" },
	{ "grade calibrated: ", "等级经校准：" },
	{ "not counted (weight 0): ", "不计入（权重为 0）：" },
	{ "Ranking", "排名" },
	{ "Name", "姓名" },
	{ "Login", "用户名" },
	{ "Position", "岗位" },
	{ "Coverage", "覆盖率" },
	{ "Final", "最终得分" },
	{ "Grade", "等级" },
	{ "Bonus", "奖金" },
	{ "Notes", "备注" },
	{ "%zu person scored · bonus total %s", "参与评分 %zu 人 · 奖金合计 %s" },
	{ "%zu people scored · bonus total %s", "参与评分 %zu 人 · 奖金合计 %s" },
	{ "* grade held down by the plan's forced distribution (its quota for the higher grade is full)", "* 受方案强制分布限制，等级被下调（更高等级名额已满）" },
	{ "^ grade calibrated by hand by an admin, with the reason given", "^ 等级由管理员手工校准，并注明理由" },
	{ "Not scored (%zu)", "未参与评分（%zu 人）" },
	{ "No final score, grade or bonus, and not counted in the grade distribution or the quotas.", "没有最终得分、等级和奖金，也不计入等级分布和名额。" },
	{ "Why not", "原因" },
	{ "Grade distribution", "等级分布" },
	{ "People per grade (the people scored)", "各等级人数（参与评分的人员）" },
	{ "Final scores", "最终得分" },
	{ "Final score per person scored, highest first", "参与评分人员的最终得分，从高到低" },
	{ "Weight", "权重" },
	{ "Rule", "计分规则" },
	{ "Data", "数据" },
	{ "no data (scored 0)", "无数据（按 0 分计）" },
	{ "no data (left out)", "无数据（未计入）" },
	{ "%ld measurement", "%ld 条数据" },
	{ "%ld measurements", "%ld 条数据" },
	{ " (team)", "（团队）" },
	{ "from batch %lld, ", "来自批次 %lld，" },
	{ " lines %ld-%ld", " 第 %ld-%ld 行" },
	{ ": %ld measurement", "：%ld 条数据" },
	{ ": %ld measurements", "：%ld 条数据" },
	{ "No ratings.", "尚无评分。" },
	{ "By", "评分人" },
	{ "Criterion", "评分项" },
	{ "Stars (of %d)", "星级（满分 %d）" },
	{ "Comment", "评语" },
	{ "Duties:", "岗位职责：" },
	{ "Rated on:", "评分项：" },
	{ "Result", "结果" },
	{ "Not counted (weight 0 in the plan): ", "不计入（方案中权重为 0）：" },
	{ "Not scored:", "未参与评分：" },
	{ "No final score, grade or bonus.", "没有最终得分、等级和奖金。" },
	{ "Final score ", "最终得分 " },
	{ " · grade ", " · 等级 " },
	{ " (calibrated)", "（已校准）" },
	{ " · bonus ", " · 奖金 " },
	{ "^ grade calibrated by hand by an admin: ", "^ 等级由管理员手工校准：" },
	{ "* grade held down by the forced distribution", "* 受强制分布限制，等级被下调" },
	{ "Incomplete: ", "不完整：" },
	{ "Employee", "员工" },
	{ "sign|Manager", "上级" },
	{ "Acknowledgement", "结果确认" },
	{ "not acknowledged yet", "尚未确认" },
	{ "acknowledged by ", "确认人 " },
	{ " on ", "，时间 " },
	{ ": ", "：" },
	{ " · stage: ", " · 阶段：" },
	{ " · rank %zu of %zu", " · 排名 %zu / %zu" },
	{ " · not scored", " · 未参与评分" },
	{ " · active %d of %d days (sum targets pro-rated)", " · 在岗 %d/%d 天（累计类指标的目标按比例折算）" },
	{ "KPI coverage %.2f%% (the share of the KPI weight with data)", "KPI 覆盖率 %.2f%%（有数据的指标占 KPI 权重的比例）" },
	{ "Indicators", "考核指标" },
	{ "Ratings", "评分" },
	{ "Final score over the cycles", "各周期最终得分" },
	{ "Nobody was active in this period.", "本期间没有在岗人员。" },
	{ "Appraisal %s", "考核 %s" },
	{ "page %d of %d", "第 %d 页，共 %d 页" },
	{ "Period %s to %s · %s", "期间 %s 至 %s · %s" },
	{ "cycle closed: frozen results", "周期已关闭：结果已冻结" },
	{ "cycle not closed: results may still change", "周期未关闭：结果仍可能变化" },
	{ "no cycle: results may still change", "没有考核周期：结果仍可能变化" },
	{ "Operating goal: %s", "经营目标：%s" },
	{ "* grade held down by the plan's forced distribution", "* 受方案强制分布限制，等级被下调" },
	{ "No final score, grade or bonus; not counted in the grade distribution or the quotas.", "没有最终得分、等级和奖金；不计入等级分布和名额。" },
	{ "Team appraisal", "团队考核" },
	{ "no data: 0", "无数据：0" },
	{ "no data", "无数据" },
	{ "Ratings (stars of %d)", "评分（满分 %d 星）" },
	{ "Not scored: no final score, grade or bonus", "未参与评分：没有最终得分、等级和奖金" },
	{ "Final score %.2f", "最终得分 %.2f" },
	{ "Grade %s%s", "等级 %s%s" },
	{ "Bonus %s", "奖金 %s" },
	{ "^ grade calibrated by hand by an admin: %s", "^ 等级由管理员手工校准：%s" },
	{ "INCOMPLETE: %s", "不完整：%s" },
	{ "Not acknowledged yet", "尚未确认" },
	{ "Acknowledged by %s on %s", "%s 于 %s 确认" },
	{ "Date", "日期" },
	{ "Duties: %s", "岗位职责：%s" },
	{ "Performance appraisal", "绩效考核" },
	{ "Position: %s", "岗位：%s" },
	{ " (stage: %s)", "（阶段：%s）" },
	{ "Team indicator", "团队指标" },
	{ "Cover", "覆盖率" },
	{ "Stars", "星级" },
	{ "%s to %s · operating goal: %s · %s", "%s 至 %s · 经营目标：%s · %s" },
	{ "results may still change", "结果仍可能变化" },
	{ "Rank", "排名" },
	{ "actual", "实际值" },
	{ "target", "目标值" },
	{ "score", "得分" },
	{ "%s: %s", "%s：%s" },
	{ "Calibrated", "已校准" },
	{ "Complete", "完整" },
	{ "Missing", "缺少数据" },
	{ "Scored", "参与评分" },
	{ "Note", "备注" },
	{ "%s: not counted (weight 0)", "%s：不计入（权重为 0）" },
	{ "not scored: ", "未参与评分：" },
	{ "grade calibrated: %s", "等级经校准：%s" },
	{ "grade held down by the forced distribution", "受强制分布限制，等级被下调" },
	{ "Team summary", "团队汇总" },
	{ "People", "人数" },
	{ "People scored", "参与评分人数" },
	{ "People not scored", "未参与评分人数" },
	{ "Bonus total", "奖金合计" },
	{ "Final score", "最终得分" },
	{ "%s score", "%s 得分" },
	{ "%s score (not counted: weight 0)", "%s 得分（不计入：权重为 0）" },
	{ "Not scored", "未参与评分" },
	{ "no final score, grade or bonus", "没有最终得分、等级和奖金" },
	{ "Grade calibrated by an admin", "等级由管理员校准" },
	{ "Incomplete", "不完整" },
	{ "Acknowledged by the employee", "员工确认" },
	{ "Acknowledged by the manager", "上级确认" },
	{ "not yet", "尚未确认" },
	{ "%s on %s", "%s，%s" },
	{ " · stage %s", " · 阶段 %s" },
	{ " · period %s · operating goal: %s", " · 周期 %s · 经营目标：%s" },
	{ "Duties", "岗位职责" },
	{ "Rated on", "评分项" },
	{ "team", "团队" },
	{ "person", "个人" },
	{ "Where the numbers came from", "数据来源" },
	{ "Period", "周期" },
	{ "Performance appraisal %s", "绩效考核 %s" },
	{ "Team", "团队" },
	{ "Summary", "汇总" },
	{ "Key", "键" },
	{ "Counted", "计入" },
	{ "Measurements", "数据条数" },
	{ "Scope", "范围" },
	{ "Batch", "批次" },
	{ "Source", "来源" },
	{ "File", "文件" },
	{ "First line", "起始行" },
	{ "Last line", "结束行" },
	{ "Rater", "评分人" },
	{ "yes", "是" },
	{ "no", "否" },
};
#define NCAT (sizeof catalogue / sizeof catalogue[0])

const char *mr_tr(mr_locale l, const char *en)
{
	if (l == MR_LOCALE_EN || !en)
		return en && strncmp(en, "sign|", 5) == 0 ? en + 5 : en;
	for (size_t i = 0; i < NCAT; i++)
		if (strcmp(catalogue[i].en, en) == 0)
			return catalogue[i].zh;
	return en;
}

void mr_tr_list(mr_buf *out, mr_locale l, const char *list)
{
	static const char *const comps[] = { "kpi", "manager", "self", "peer", "upward" };
	int n = 0;
	if (l == MR_LOCALE_EN) {
		mr_buf_puts(out, list ? list : "");
		return;
	}
	while (list && *list) {
		size_t len = strcspn(list, ",)");     /* a list in parentheses ends at ")" */
		const char *word = list;
		size_t k;
		for (k = 0; k < sizeof comps / sizeof comps[0]; k++)
			if (strlen(comps[k]) == len && strncmp(word, comps[k], len) == 0)
				break;
		if (n++)
			mr_buf_puts(out, "、");
		if (k < sizeof comps / sizeof comps[0])
			mr_buf_puts(out, mr_tr(l, k ? comps[k] : "KPI"));
		else
			mr_buf_add(out, word, len);
		list += len;
		while (*list == ',' || *list == ' ')
			list++;
		if (*list == ')')
			break;
	}
}

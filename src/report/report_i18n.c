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
	{ "By value-chain stage", "按价值链阶段" },
	{ "Stage", "阶段" },
	{ "Members", "人员" },
	{ "Mean final", "平均最终得分" },
	{ "(no stage)", "（无阶段）" },
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
	{ " · stage %s", " · 阶段：%s" },
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
	/* the built-in plan's duties and criteria (core/plan_builtin.c), as merit
	 * wrote them: a plan that keeps them reads them in Chinese */
	{ "Works with the enterprise's strategy, carries out the operating goal, makes the department's management system and improves the team's fighting ability.", "结合企业战略，落实经营目标，制定部门管理制度，提升团队战斗力。" },
	{ "Provides valuable content, in step with the enterprise's market and sales, that moves readers to act.", "配合企业的市场和销售，提供有价值、能促使读者行动的内容。" },
	{ "Analyses the enterprise's network performance, puts forward the promotion strategy and carries out the promotion plan.", "分析企业的网络表现，提出推广策略并执行推广计划。" },
	{ "Integrates the enterprise's visual expression, designs the site layout and advertising images, and holds the overall look of the web presence.", "整合企业的视觉表现，设计网站版面和广告图片，把握网络形象的整体风格。" },
	{ "Follows the development of web technology, turns the operating strategy into the site's function modules and puts the business processes online.", "跟踪网络技术的发展，把经营策略转化为网站的功能模块，让业务流程上线。" },
	{ "Ensures and maintains the normal and efficient running of the network resources.", "保障和维护网络资源正常、高效地运行。" },
	{ "Carries out the operating goal", "落实经营目标" },
	{ "Makes the department's management system", "制定部门管理制度" },
	{ "Improves the team's fighting ability", "提升团队战斗力" },
	{ "Provides content of value to the market and sales", "为市场和销售提供有价值的内容" },
	{ "Content that moves readers to act", "内容能促使读者行动" },
	{ "Updates on time", "按时更新" },
	{ "Analyses the enterprise's network performance", "分析企业的网络表现" },
	{ "Puts forward the promotion strategy", "提出推广策略" },
	{ "Carries out the promotion plan", "执行推广计划" },
	{ "Expresses the enterprise's visual identity", "体现企业的视觉形象" },
	{ "Designs the layout and advertising images", "设计版面和广告图片" },
	{ "Holds the overall look of the web presence", "把握网络形象的整体风格" },
	{ "Keeps up with web technology", "跟踪网络技术" },
	{ "Turns the operating strategy into site functions", "把经营策略转化为网站功能" },
	{ "Puts the business processes online", "让业务流程上线" },
	{ "Keeps the network resources running normally", "保障网络资源正常运行" },
	{ "Keeps them running efficiently", "保障其高效运行" },
	{ "Overall contribution", "总体贡献" },
	{ "Baidu Index: daily search index of “%s”", "百度指数：关键词“%s”的每日搜索指数" },
	{ "daily search index of “%s”", "关键词“%s”的每日搜索指数" },
	{ "; measured by ", "；测量方式：" },
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

/* The web app's Chinese names of merit's built-in keys (web/i18n.js:
 * pos.*, ind.*, source.*): the app shows them whatever the plan calls
 * them, and so do the reports. */
static const entry builtin[] = {
	{ "source.logs", "网站日志" },
	{ "source.orders", "订单" },
	{ "source.tasks", "任务" },
	{ "source.ranks", "关键词排名" },
	{ "source.leads", "商机" },
	{ "source.content", "内容" },
	{ "source.posts", "推广帖" },
	{ "source.members", "会员" },
	{ "source.uptime", "可用性" },
	{ "source.measurements", "测量值" },
	{ "source.manual", "手工录入" },
	{ "source.probe", "可用性探测" },
	{ "source.survey", "问卷调查" },
	{ "source.index", "搜索指数" },
	{ "source.evidence", "成员提交的证据" },
	{ "pos.manager", "运营经理" },
	{ "pos.editor", "网络编辑" },
	{ "pos.promoter", "网络推广" },
	{ "pos.designer", "网页美工" },
	{ "pos.developer", "网站开发" },
	{ "pos.support", "技术支持" },
	{ "ind.online_sales", "网上销售额" },
	{ "ind.opportunities", "商机数" },
	{ "ind.site_visits", "网站访问量" },
	{ "ind.new_members", "新注册会员" },
	{ "ind.brand_awareness", "品牌知名度" },
	{ "ind.reputation", "美誉度" },
	{ "ind.content_updates", "内容更新量" },
	{ "ind.topics_produced", "专题制作" },
	{ "ind.share_rate", "转发率" },
	{ "ind.promo_posts", "推广发帖数" },
	{ "ind.keyword_rank", "关键词排名" },
	{ "ind.online_customers", "网上新客户" },
	{ "ind.design_completion", "设计按时完成率" },
	{ "ind.design_approval", "设计一次通过率" },
	{ "ind.task_completion", "任务完成率" },
	{ "ind.uptime", "安全运行时间" },
};

const char *mr_tr_key(mr_locale l, const char *kind, const char *key)
{
	size_t n = strlen(kind);
	if (l == MR_LOCALE_EN || !key)
		return NULL;
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
		if (strncmp(builtin[i].en, kind, n) == 0 && builtin[i].en[n] == '.' &&
		    strcmp(builtin[i].en + n + 1, key) == 0)
			return builtin[i].zh;
	return NULL;
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

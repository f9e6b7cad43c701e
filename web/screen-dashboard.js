// screen-dashboard.js — a period's results: the dashboard (team indicators,
// grade distribution, trend, the ranking of the people scored and, apart,
// those not scored with the reason) and the reports screen that downloads
// them as files.

import { h, isNum } from './dom.js';
import { api, download, qs } from './api.js';
import { t, getLang } from './i18n.js';
import * as fmt from './format.js';
import * as charts from './charts.js';
import { state, isAdmin, ensurePlan, ensurePeople, positionName, indicatorUnit } from './state.js';
import { link } from './router.js';
import { ok, fail } from './messages.js';
import { head, card, empty, cycleState, stateBadge, gradeBadge, pagedTable, td, field, busy, flag, picker } from './ui.js';

const STAGES = ['planning', 'construction', 'content', 'promotion', 'evaluation'];
import { todoCard } from './screen-evidence.js';

const REPORT_FORMATS = ['csv', 'json', 'html', 'xlsx', 'pdf'];

/* ------------------------------------------------------------------ */
/* dashboard                                                          */

export async function viewDashboard(view) {
	const P = state.period;
	const [d, todo] = await Promise.all([api('GET', `/api/dashboard${qs({ period: P, lang: getLang() })}`), todoCard(), ensurePlan()]);
	head(view, t('dash.title'), h('span', { class: 'period-tag', text: d.period || P }), stateBadge(d.state, d.frozen));
	const intro = [];
	if (d.goal && d.goal !== 'none') intro.push(t('dash.goal', { goal: fmt.goal(d.goal) }));
	else if (d.goal === 'none') intro.push(t('dash.noGoal'));
	if (d.frozen) intro.push(t('dash.frozen'));
	else if (!cycleState(d.state)) intro.push(t('dash.noCycle'));
	if (intro.length) view.appendChild(h('p', { class: 'intro', text: intro.join(' ') }));
	if (d.released === false)
		view.appendChild(h('p', { class: 'banner', 'data-test': 'dash-withheld', text: t('dash.withheld', { period: d.period || P }) }));
	if (todo) view.appendChild(todo);
	// the uptime probe (admin): when it last checked, so a stopped probe shows
	if (d.probe && d.probe.probes > 0)
		view.appendChild(h('p', { class: 'muted', 'data-test': 'dash-probe', text: d.probe.last_at
			? t('dash.probeLast', { when: fmt.when(d.probe.last_at), n: d.probe.probes })
			: t('dash.probeNever', { n: d.probe.probes }) }));

	// charts are drawn at the size they are shown, so their text stays readable
	const avail = Math.max(300, document.getElementById('main').clientWidth - 60);
	const half = avail > 700 ? (avail - 40) / 2 : avail;
	const grid = h('div', { class: 'grid two' });
	const team = Array.isArray(d.team) ? d.team : [];
	view.appendChild(card(t('dash.team'), team.length
		? charts.scoreBars(team.map(x => ({
			label: fmt.indicator(x.key, x.name),
			score: x.score,
			note: t('dash.actualTarget', { actual: fmt.measure(x.actual, indicatorUnit(x.key)), target: fmt.measure(x.target, indicatorUnit(x.key)), rule: fmt.rule(x.rule) }),
		})), { label: t('dash.teamChart'), targetLabel: t('dash.target'), width: avail })
		: empty(t('dash.noTeam')), 'team', 'wide'));

	const dist = Array.isArray(d.distribution) ? d.distribution : [];
	grid.appendChild(card(t('dash.distribution'), dist.some(x => x.count)
		? charts.columns(dist.map(x => ({ label: x.grade, value: x.count })), { label: t('dash.distribution'), width: half })
		: empty(t('dash.noScores')), 'distribution'));

	const trends = Array.isArray(d.trends) ? d.trends : [];
	const mine = state.me.role === 'member';
	grid.appendChild(card(mine ? t('dash.trendMine') : t('dash.trend'), trends.length
		? charts.line(trends.map(x => ({ label: x.period, value: x.average, note: isNum(x.people) ? t('dash.people', { n: x.people }) : '' })),
			{ label: mine ? t('dash.trendMine') : t('dash.trend'), yMax: 100, width: half })
		: empty(t('dash.noTrend')), 'trend'));
	view.appendChild(grid);

	// the ranking is of the people scored; the others come apart, with the reason
	const ranking = Array.isArray(d.ranking) ? d.ranking : [];
	const who = p => `${p.name || ''} ${p.login} ${positionName(p.position)}`;
	const rankRow = p => h('tr', { 'data-login': p.login, class: p.complete === false ? 'incomplete' : null },
		td(p.withheld ? '–' : String(p.rank || ranking.indexOf(p) + 1), 'num'),
		td([h('a', { href: link('card', p.login, { period: d.period || P }), 'data-test': `rank-${p.login}`, text: p.name || p.login }),
			h('span', { class: 'login', text: p.login })]),
		td(positionName(p.position)),
		td([p.withheld ? t('card.withheldTile') : fmt.score(p.final_score),
			p.complete === false ? flag(t('dash.incomplete'), t('dash.incompleteTitle'), `incomplete-${p.login}`) : null], 'num strong'),
		td([gradeBadge(p.grade, p.grade_by_quota), p.calibrated ? flag(t('dash.calibrated')) : null]),
		td(fmt.money(p.bonus_cents), 'num'));
	// 200 people: searched, filtered by stage, position and grade, a page at a time
	const positions = [...new Set(ranking.map(p => p.position).filter(Boolean))];
	const stageOf = pos => ((state.plan && state.plan.positions) || []).find(x => x.key === pos)?.stage || '';
	const stages = STAGES.filter(st => ranking.some(p => stageOf(p.position) === st));
	const grades = [...new Set(ranking.map(p => p.grade).filter(Boolean))].sort();
	view.appendChild(card(t('dash.ranking'), ranking.length
		? pagedTable([{ label: '#', cls: 'num' }, { label: t('col.name') }, { label: t('col.position') },
			{ label: t('col.final'), cls: 'num' }, { label: t('col.grade') }, { label: t('col.bonus'), cls: 'num' }], ranking, {
			row: rankRow, text: who, test: 'ranking',
			filters: [
				{ key: 'stage', label: t('pf.stage'), any: t('list.anyStage'), options: stages.map(st => ({ value: st, text: t(`pf.stage.${st}`) })), match: (p, v) => stageOf(p.position) === v },
				{ key: 'position', label: t('col.position'), any: t('list.anyPosition'), options: positions.map(k => ({ value: k, text: positionName(k) })), match: (p, v) => p.position === v },
				{ key: 'grade', label: t('col.grade'), any: t('list.anyGrade'), options: grades.map(g => ({ value: g, text: g })), match: (p, v) => p.grade === v },
			],
		})
		: empty(t('dash.noRanking')), 'ranking'));

	const unscored = Array.isArray(d.not_scored) ? d.not_scored : [];

	// the team by value-chain stage (SPEC 1), as the team reports group it:
	// each stage's people, how many are scored, their mean final and bonus
	const everyone = [...ranking, ...unscored];
	if (everyone.length > 1 && stages.length + STAGES.filter(st => unscored.some(p => stageOf(p.position) === st)).length > 0) {
		const rows = STAGES.map(st => {
			const here = everyone.filter(p => stageOf(p.position) === st);
			const scored = ranking.filter(p => stageOf(p.position) === st && !p.withheld && isNum(p.final_score));
			const mean = scored.length ? Math.round(scored.reduce((a, p) => a + p.final_score, 0) / scored.length * 100) / 100 : null;
			const bonus = scored.reduce((a, p) => a + (p.bonus_cents || 0), 0);
			return { st, here, scored, mean, bonus };
		}).filter(x => x.here.length);
		view.appendChild(card(t('dash.byStage'), h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-test': 'by-stage' },
			h('thead', {}, h('tr', {}, [t('pf.stage'), t('dash.stagePeople'), t('dash.stageScored'), t('dash.stageMean'), t('col.bonus')]
				.map((x, i) => h('th', { scope: 'col', class: i >= 2 ? 'num' : null, text: x })))),
			h('tbody', {}, rows.map(x => h('tr', { 'data-stage': x.st },
				td(t(`pf.stage.${x.st}`)),
				td(x.here.map(p => p.name || p.login).join(t('list.sep'))),
				td(`${x.scored.length} / ${x.here.length}`, 'num'),
				td(x.mean === null ? '–' : fmt.score(x.mean), 'num'),
				td(fmt.money(x.bonus), 'num')))))), 'by-stage', 'wide'));
	}
	if (unscored.length)
		view.appendChild(card(t('dash.notScored'), [
			h('p', { class: 'muted', text: t('dash.notScoredIntro') }),
			pagedTable([{ label: t('col.name') }, { label: t('col.position') }, { label: t('col.coverage'), cls: 'num' }, { label: t('col.reason') }],
				unscored, { test: 'not-scored', text: who, row: p => h('tr', { 'data-login': p.login },
					td([h('a', { href: link('card', p.login, { period: d.period || P }), 'data-test': `unscored-${p.login}`, text: p.name || p.login }),
						h('span', { class: 'login', text: p.login })]),
					td(positionName(p.position)),
					td(isNum(p.coverage) ? `${fmt.num(p.coverage)}%` : '–', 'num'),
					td(h('span', { class: 'reason', text: p.reason || '' }))) })], 'not-scored'));
}

/* ------------------------------------------------------------------ */
/* reports                                                            */

export async function viewReports(view) {
	const P = state.period;
	const people = await ensurePeople();
	head(view, t('reports.title'), h('span', { class: 'period-tag', text: P }));
	const admin = isAdmin();
	const visible = people.filter(p => p.visible !== false);
	const fmtSel = h('select', { id: 'report-format', 'data-test': 'report-format' },
		REPORT_FORMATS.map(f => h('option', { value: f, text: t(`reports.fmt.${f}`) })));
	const who = h('select', { id: 'report-login', 'data-test': 'report-login' },
		admin ? h('option', { value: '', text: t('reports.team') }) : null,
		visible.map(p => h('option', { value: p.login, selected: !admin && p.login === state.me.login, text: `${p.name || p.login} (${p.login})` })));
	const go2 = h('button', { type: 'submit', class: 'btn primary', id: 'report-download', 'data-test': 'report-download', text: t('reports.download') });
	const form = h('form', { class: 'inline', id: 'report-form' }, field(t('reports.format'), fmtSel), field(t('reports.person'), picker(who, t('reports.person'))), go2);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const login = who.value;
		const f = fmtSel.value;
		await busy(go2, async () => {
			try {
				const name = await download(`/api/report${qs({ period: P, format: f, login, lang: getLang() })}`, `merit-${P}${login ? '-' + login : ''}.${f}`);
				ok(t('reports.done', { file: name }));
			} catch (e) { fail(e); }
		});
	});
	view.appendChild(card(null, h('div', { class: 'stack' }, h('p', { class: 'muted', text: admin ? t('reports.introAdmin') : t('reports.intro') }), form), 'reports'));
}

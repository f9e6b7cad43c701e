// screen-card.js — one person's scorecard for a period: the summary tiles
// (or why the person is not scored), what the final score is made of,
// each indicator with its derivation (the batches and lines it came from;
// the team's for a team indicator), the history of final scores, an
// admin's calibration before close and the acknowledgement after it.

import { h, isNum } from './dom.js';
import { api, download, qs, ApiError } from './api.js';
import { t, getLang } from './i18n.js';
import * as fmt from './format.js';
import * as charts from './charts.js';
import { state, isAdmin, ensurePlan, positionName, indicatorUnit } from './state.js';
import { link, render } from './router.js';
import { say, fail, flashNext } from './messages.js';
import { head, card, empty, stateBadge, gradeBadge, table, td, field, button, busy, flag } from './ui.js';

const COMPONENTS = [['kpi', 'col.kpi'], ['manager', 'kind.manager'], ['self', 'kind.self'],
	['peer', 'kind.peer'], ['upward', 'kind.upward']];

/* ------------------------------------------------------------------ */
/* scorecard                                                          */

export async function viewCard(view, r) {
	const login = r.arg || (state.me && state.me.login);
	const P = state.period;
	let d;
	try {
		[d] = await Promise.all([api('GET', `/api/scorecard${qs({ period: P, login })}`), ensurePlan()]);
	} catch (e) {
		if (e instanceof ApiError && e.status === 404) {
			view.dataset.title = t('card.notFoundTitle');
			view.appendChild(h('div', { class: 'notfound', 'data-test': 'card-not-found' },
				h('h1', { text: t('card.notFoundTitle') }),
				h('p', { text: t('card.notFound', { login, period: P }) }),
				h('p', {}, h('a', { href: link('dashboard'), text: t('card.back') }))));
			return;
		}
		throw e;
	}
	const p = d.person;
	const period = d.period || P;
	if (!p) {
		head(view, login);
		view.appendChild(empty(t('card.notScored', { period })));
		return;
	}
	head(view, p.name || p.login,
		h('span', { class: 'sub', text: `${p.login} · ${positionName(p.position)}` }),
		h('span', { class: 'period-tag', text: period }), stateBadge(d.state, d.frozen));

	const scored = p.scored !== false;
	const withheld = d.released === false;
	if (withheld)
		view.appendChild(h('p', { class: 'banner', 'data-test': 'card-withheld' },
			h('span', { class: 'strong', text: `${t('card.withheldTitle')}. ` }),
			t('card.withheld', { period })));
	if (!scored)
		view.appendChild(h('p', { class: 'banner warn', 'data-test': 'card-not-scored' },
			h('span', { class: 'strong', text: `${t('card.notScoredTitle')}. ` }),
			t('card.notScoredReason', { period, reason: p.not_scored_reason || '' })));

	// the components the plan counts beside the result; the others apart
	const weighs = Array.isArray(d.components) ? d.components : COMPONENTS.map(c => c[0]);
	const counted = Array.isArray(p.counted) ? p.counted : [];
	const tiles = h('div', { class: 'tiles', 'data-test': 'card-summary' },
		tile(t('col.final'), withheld ? t('card.withheldTile') : scored ? fmt.score(p.final_score) : t('card.notScoredTitle'), 'final', 'big'),
		tile(t('col.grade'), [gradeBadge(p.grade, p.grade_by_quota), p.calibrated ? flag(t('card.calibratedFlag'), p.calibration_reason, 'calibrated') : null], 'grade', 'big'),
		tile(t('col.bonus'), fmt.money(p.bonus_cents), 'bonus'),
		tile(t('card.coverage'), isNum(p.coverage) ? `${fmt.num(p.coverage)}%` : '–', 'coverage'),
		COMPONENTS.filter(([c]) => weighs.includes(c)).map(([c, label]) =>
			tile(t(label), [fmt.score(p[`${c}_score`]),
				!withheld && c !== 'kpi' && !counted.includes(c) && !isNum(p[`${c}_score`]) ? flag(t('card.leftOutFlag')) : null], c)));
	view.appendChild(tiles);
	// only those with a score: "Upward –" next to nothing tells nothing
	const unweighed = COMPONENTS.filter(([c]) => !weighs.includes(c) && isNum(p[`${c}_score`]));
	if (unweighed.length)
		view.appendChild(h('p', { class: 'muted not-counted', 'data-test': 'comp-not-counted',
			text: t('card.notCountedList', { list: unweighed.map(([c, label]) => `${t(label)} ${fmt.score(p[`${c}_score`])}`).join(' · ') }) }));

	const notes = [];
	if (p.calibrated) notes.push(h('li', { 'data-test': 'note-calibrated', text: t('card.calibrated', { reason: p.calibration_reason || '' }) }));
	if (p.complete === false && p.missing) notes.push(h('li', { class: 'warn', 'data-test': 'note-incomplete', text: t('card.incomplete', { missing: p.missing }) }));
	if (p.left_out) notes.push(h('li', { 'data-test': 'note-left-out', text: t('card.leftOut', { list: compNames(p.left_out) }) }));
	if (isNum(p.active_days) && isNum(p.cycle_days) && p.active_days < p.cycle_days)
		notes.push(h('li', { text: t('card.active', { a: p.active_days, c: p.cycle_days }) }));
	if (p.grade_by_quota) notes.push(h('li', { text: t('card.byQuota') }));
	if (notes.length) view.appendChild(h('ul', { class: 'notes' }, notes));

	if (d.explain) view.appendChild(explain(d.explain, p));

	const trace = Array.isArray(d.trace) ? d.trace : [];
	const inds = Array.isArray(p.indicators) ? p.indicators : [];
	const rows = [];
	inds.forEach((ind, i) => {
		const mine = trace.filter(x => x.indicator === ind.key && (!x.scope || x.scope === (ind.scope || 'person')));
		const detailId = `deriv-${i}`;
		const detail = h('tr', { class: 'derivation', id: detailId, hidden: true, 'data-test': `deriv-${ind.key}` },
			h('td', { colspan: 8 }, derivation(ind, mine)));
		const toggle = h('button', {
			type: 'button', class: 'btn ghost small', 'aria-expanded': 'false', 'aria-controls': detailId,
			'data-test': `toggle-${ind.key}`,
			onclick: () => {
				const open = detail.hidden;
				detail.hidden = !open;
				toggle.setAttribute('aria-expanded', String(open));
			},
		}, t('card.derivation', { n: mine.length }));
		rows.push(h('tr', { class: ind.counted === false ? 'not-counted' : null, 'data-indicator': ind.key },
			td([h('span', { class: 'strong', text: fmt.indicator(ind.key, ind.name) }), h('span', { class: 'login', text: ind.scope === 'team' ? `${ind.key} · ${t('card.team')}` : ind.key })]),
			td(fmt.measure(ind.actual, ind.unit || indicatorUnit(ind.key)), 'num'),
			td(fmt.measure(ind.target, ind.unit || indicatorUnit(ind.key)), 'num'),
			td(fmt.rule(ind.rule)),
			td(isNum(ind.weight) ? `${fmt.num(ind.weight)}%` : '–', 'num'),
			td([h('span', { class: `score s-${charts.band(ind.score)}`, text: fmt.score(ind.score) }),
				ind.missing ? flag(t('card.missing')) : null,
				ind.counted === false && !ind.missing ? flag(t('card.notCounted')) : null], 'num'),
			td(fmt.num(ind.measurements), 'num'),
			td(toggle)));
		rows.push(detail);
	});
	view.appendChild(card(t('card.indicators'), inds.length
		? table([{ label: t('col.indicator') }, { label: t('col.actual'), cls: 'num' }, { label: t('col.target'), cls: 'num' },
			{ label: t('col.rule') }, { label: t('col.weight'), cls: 'num' }, { label: t('col.score'), cls: 'num' },
			{ label: t('col.measurements'), cls: 'num' }, { label: t('col.derivation') }], rows, 'indicators')
		: empty(t('card.noIndicators')), 'indicators'));

	// the closed cycles before and this one; a cycle where the person was not scored is a gap
	const hist = Array.isArray(d.history) ? d.history : [];
	if (hist.length)
		view.appendChild(card(t('card.history'), charts.line(hist.map(x => ({ label: x.period, value: isNum(x.final_score) ? x.final_score : null, note: x.grade || '' })),
			{ label: t('card.history'), yMax: 100, width: Math.min(720, Math.max(300, document.getElementById('main').clientWidth - 60)) }), 'history'));

	if (isAdmin() && (d.state === 'open' || d.state === 'review'))
		view.appendChild(calibrateForm(p, period));
	if (d.state === 'closed')
		view.appendChild(await acknowledgements(p, period));

	view.appendChild(h('p', { class: 'actions' },
		h('a', { class: 'btn', href: link('rate', p.login, { period }), 'data-test': 'card-rate', text: t('card.rate') }),
		button(t('card.report'), {
			'data-test': 'card-report',
			onclick: ev => busy(ev.currentTarget, () => download(`/api/report${qs({ period, format: 'pdf', login: p.login, lang: getLang() })}`,
				`merit-${period}-${p.login}.pdf`).catch(fail)),
		})));
}

/** "peer, self" (the components left out) in the reader's words. */
function compNames(list) {
	return String(list).split(/,\s*/).map(c => {
		const k = COMPONENTS.find(([key]) => key === c);
		return k ? t(k[1]) : fmt.indicator(c);
	}).join(t('common.listSep'));
}

/** How the final number comes about (the server's `explain`, the same
 * numbers `merit score --who` prints): each indicator's weighted share of
 * the KPI score, the blend or formula, the grade table with the band
 * reached and what moved it, and base bonus × coefficient or the pool. */
function explain(x, p) {
	const body = [];
	const inds = Array.isArray(x.indicators) ? x.indicators : [];
	if (inds.length) {
		body.push(h('p', { class: 'muted', text: t('card.explainKpi', { w: fmt.num(x.kpi_weight) }) }));
		body.push(table([{ label: t('col.indicator') }, { label: t('col.weight'), cls: 'num' }, { label: t('col.score'), cls: 'num' }, { label: t('card.contribution'), cls: 'num' }],
			inds.map(i => h('tr', { 'data-indicator': i.key },
				td(fmt.indicator(i.key)), td(`${fmt.num(i.weight)} / ${fmt.num(x.kpi_weight)}`, 'num'),
				td(fmt.score(i.score), 'num'), td(fmt.score(i.contribution), 'num strong'))).concat(
				[h('tr', { class: 'total' }, td(t('col.kpi')), td(''), td(''), td(fmt.score(x.kpi_score), 'num strong'))]), 'explain-kpi'));
	}
	const blend = Array.isArray(x.blend) ? x.blend : [];
	if (x.formula)
		body.push(h('p', { 'data-test': 'explain-formula', text: t('card.explainFormula', { formula: x.formula, final: fmt.score(x.final_score) }) }));
	else if (blend.length)
		body.push(h('p', { 'data-test': 'explain-blend', text: t('card.explainBlend', {
			terms: blend.map(b => `${t((COMPONENTS.find(([c]) => c === b.component) || [0, b.component])[1])} ${fmt.num(b.weight)}/${fmt.num(x.blend_weight)} × ${fmt.score(b.score)}`).join(' + '),
			final: fmt.score(x.final_score) }) }));
	const grades = Array.isArray(x.grades) ? x.grades : [];
	if (grades.length) {
		body.push(table([{ label: t('col.grade') }, { label: t('card.from'), cls: 'num' }, { label: t('card.coef'), cls: 'num' }],
			grades.map(g => h('tr', { class: g.grade === x.grade ? 'given' : g.grade === x.band_grade ? 'band' : null, 'data-grade': g.grade },
				td([gradeBadge(g.grade), g.grade === x.band_grade ? flag(t('card.bandReached')) : null]),
				td(`≥ ${fmt.num(g.min)}`, 'num'), td(`× ${g.coef}`, 'num'))), 'explain-grades'));
		if (x.band_grade && x.grade && x.band_grade !== x.grade)
			body.push(h('p', { class: 'warn', 'data-test': 'explain-moved', text: t(p.calibrated ? 'card.explainCalibrated' : 'card.explainMoved', { band: x.band_grade, grade: x.grade }) }));
	}
	const b = x.bonus;
	if (b && isNum(b.base_cents))
		body.push(h('p', { 'data-test': 'explain-bonus', text: isNum(b.pool_cents)
			? t('card.explainPool', { base: fmt.money(b.base_cents), coef: b.coef, raw: fmt.money(b.raw_cents), pool: fmt.money(b.pool_cents), bonus: fmt.money(b.bonus_cents) })
			: t('card.explainBonus', { base: fmt.money(b.base_cents), coef: b.coef, bonus: fmt.money(b.bonus_cents) }) }));
	return card(t('card.explainTitle'), body, 'explain');
}

/** An admin sets the grade by hand before close, with a reason. */
function calibrateForm(p, period) {
	if (p.scored === false)
		return card(t('card.calibrate'), empty(t('card.calibrateNotScored')), 'calibrate');
	const grades = (state.plan && Array.isArray(state.plan.grades)) ? state.plan.grades : [];
	const sel = h('select', { id: 'calibrate-grade', 'data-test': 'calibrate-grade' },
		grades.map(g => h('option', { value: g.name, selected: g.name === p.grade, text: g.name })));
	const reason = h('textarea', { id: 'calibrate-reason', 'data-test': 'calibrate-reason', rows: 2, maxlength: 4000, 'aria-required': 'true' });
	const submit = h('button', { type: 'submit', class: 'btn primary', id: 'calibrate-submit', 'data-test': 'calibrate-submit', text: t('card.calibrateSave') });
	const form = h('form', { class: 'stack', id: 'calibrate-form' },
		h('p', { class: 'muted', text: t('card.calibrateIntro') }),
		h('div', { class: 'inline' }, field(t('card.grade'), sel), field(t('card.reason'), reason)),
		h('div', { class: 'actions' }, submit));
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		if (!reason.value.trim()) { reason.focus(); return say('error', t('card.needReason')); }
		await busy(submit, async () => {
			try {
				await api('POST', '/api/calibrations', { json: { period, login: p.login, grade: sel.value, reason: reason.value.trim() } });
				flashNext('ok', t('card.calibratedSaved', { login: p.login, grade: sel.value }));
				render();
			} catch (e) { fail(e); }
		});
	});
	return card(t('card.calibrate'), form, 'calibrate');
}

/** Who acknowledged the closed result, when; the button for the person and their manager. */
async function acknowledgements(p, period) {
	const a = await api('GET', `/api/acknowledgements${qs({ period, login: p.login })}`);
	const list = Array.isArray(a.acknowledgements) ? a.acknowledgements : [];
	const body = [h('p', { class: 'muted', text: t('card.ackIntro') }),
		list.length
			? h('ul', { class: 'acks', 'data-test': 'acks' }, list.map(x => h('li', { 'data-role': x.role },
				h('span', { text: t('card.ackBy', { role: t(`ack.${x.role}`), by: x.by, at: fmt.when(x.at) }) }),
				x.comment ? h('span', { class: 'comment', text: ` — ${x.comment}` }) : null)))
			: empty(t('card.ackNone'))];
	if (a.can === 'self' || a.can === 'manager') {
		const comment = h('textarea', { id: 'ack-comment', 'data-test': 'ack-comment', rows: 2, maxlength: 4000 });
		const submit = h('button', { type: 'submit', class: 'btn primary', id: 'ack-submit', 'data-test': 'ack-submit',
			text: a.can === 'self' ? t('card.ackSelf') : t('card.ackManager') });
		const form = h('form', { class: 'stack', id: 'ack-form' }, field(t('card.ackComment'), comment), h('div', { class: 'actions' }, submit));
		form.addEventListener('submit', async ev => {
			ev.preventDefault();
			await busy(submit, async () => {
				try {
					await api('POST', '/api/acknowledgements', { json: { period, login: p.login, comment: comment.value.trim() } });
					flashNext('ok', t('card.acked'));
					render();
				} catch (e) { fail(e); }
			});
		});
		body.push(form);
	}
	return card(t('card.ack'), body, 'ack');
}

function tile(label, value, test, cls) {
	return h('div', { class: ['tile', cls], 'data-test': `tile-${test}` },
		h('span', { class: 'tile-label', text: label }), h('span', { class: 'tile-value' }, value));
}

// how a batch's numbers were measured (the trace's how: an instrument and keyword)
function howText(how) {
	return t(how.instrument === 'baidu-index' ? 'how.baidu-index' : 'how.index', { keyword: how.keyword || '' });
}

function derivation(ind, trace) {
	if (!trace.length) return empty(ind.measurements ? t('card.noTrace') : t('card.noData'));
	return h('div', {},
		h('p', { class: 'muted', text: t('card.derivationIntro', { n: fmt.num(ind.measurements) }) }),
		ind.scope === 'team' ? h('p', { class: 'muted', 'data-test': `team-trace-${ind.key}`, text: t('card.teamTrace') }) : null,
		table([{ label: t('col.batch'), cls: 'num' }, { label: t('col.source') }, { label: t('col.file') },
			{ label: t('col.lines') }, { label: t('col.count'), cls: 'num' }],
		trace.map(x => h('tr', {},
			td(h('a', { href: link('data', null, { batch: x.batch }), text: `#${x.batch}` }), 'num'),
			td(fmt.source(x.source)),
			td([h('span', { class: 'file', text: x.file || '–' }), x.how && x.how.instrument ?
				h('div', { class: 'muted', 'data-test': `how-${x.batch}`, text: t('card.how', { how: howText(x.how) }) }) : null]),
			td(isNum(x.first_line) ? (x.first_line === x.last_line ? String(x.first_line) : `${x.first_line}–${x.last_line}`) : '–'),
			td(fmt.num(x.count), 'num'))), 'trace'));
}

// screen-card.js — one person's scorecard for a period: the summary tiles,
// each indicator with its derivation (the batches and lines it came from),
// and the history of final scores.

import { h, isNum } from './dom.js';
import { api, download, qs, ApiError } from './api.js';
import { t } from './i18n.js';
import * as fmt from './format.js';
import * as charts from './charts.js';
import { state, ensurePlan, positionName } from './state.js';
import { link } from './router.js';
import { fail } from './messages.js';
import { head, card, empty, stateBadge, gradeBadge, table, td, button, busy } from './ui.js';

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
	if (!p) {
		head(view, login);
		view.appendChild(empty(t('card.notScored', { period: d.period || P })));
		return;
	}
	head(view, p.name || p.login,
		h('span', { class: 'sub', text: `${p.login} · ${positionName(p.position)}` }),
		h('span', { class: 'period-tag', text: d.period || P }), stateBadge(d.state, d.frozen));

	const tiles = h('div', { class: 'tiles', 'data-test': 'card-summary' },
		tile(t('col.final'), fmt.score(p.final_score), 'final', 'big'),
		tile(t('col.grade'), gradeBadge(p.grade, p.grade_by_quota), 'grade', 'big'),
		tile(t('col.bonus'), fmt.money(p.bonus_cents), 'bonus'),
		tile(t('col.kpi'), fmt.score(p.kpi_score), 'kpi'),
		tile(t('kind.manager'), fmt.score(p.manager_score), 'manager'),
		tile(t('kind.self'), fmt.score(p.self_score), 'self'),
		tile(t('kind.peer'), fmt.score(p.peer_score), 'peer'));
	view.appendChild(tiles);

	const notes = [];
	if (p.complete === false) notes.push(h('li', { class: 'warn', text: t('card.incomplete', { missing: p.missing || '' }) }));
	if (p.left_out) notes.push(h('li', { text: t('card.leftOut', { list: p.left_out }) }));
	if (isNum(p.active_days) && isNum(p.cycle_days) && p.active_days < p.cycle_days)
		notes.push(h('li', { text: t('card.active', { a: p.active_days, c: p.cycle_days }) }));
	if (p.grade_by_quota) notes.push(h('li', { text: t('card.byQuota') }));
	if (notes.length) view.appendChild(h('ul', { class: 'notes' }, notes));

	const trace = Array.isArray(d.trace) ? d.trace : [];
	const inds = Array.isArray(p.indicators) ? p.indicators : [];
	const rows = [];
	inds.forEach((ind, i) => {
		const mine = trace.filter(x => x.indicator === ind.key);
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
			td(fmt.num(ind.actual), 'num'),
			td(fmt.num(ind.target), 'num'),
			td(fmt.rule(ind.rule)),
			td(isNum(ind.weight) ? `${fmt.num(ind.weight)}%` : '–', 'num'),
			td([h('span', { class: `score s-${charts.band(ind.score)}`, text: fmt.score(ind.score) }),
				ind.missing ? h('span', { class: 'flag', text: t('card.missing') }) : null,
				ind.counted === false && !ind.missing ? h('span', { class: 'flag', text: t('card.notCounted') }) : null], 'num'),
			td(fmt.num(ind.measurements), 'num'),
			td(toggle)));
		rows.push(detail);
	});
	view.appendChild(card(t('card.indicators'), inds.length
		? table([{ label: t('col.indicator') }, { label: t('col.actual'), cls: 'num' }, { label: t('col.target'), cls: 'num' },
			{ label: t('col.rule') }, { label: t('col.weight'), cls: 'num' }, { label: t('col.score'), cls: 'num' },
			{ label: t('col.measurements'), cls: 'num' }, { label: t('col.derivation') }], rows, 'indicators')
		: empty(t('card.noIndicators')), 'indicators'));

	const hist = Array.isArray(d.history) ? d.history : [];
	if (hist.length)
		view.appendChild(card(t('card.history'), charts.line(hist.map(x => ({ label: x.period, value: x.final_score, note: x.grade || '' })),
			{ label: t('card.history'), yMax: 100, width: Math.min(720, Math.max(300, document.getElementById('main').clientWidth - 60)) }), 'history'));

	view.appendChild(h('p', { class: 'actions' },
		h('a', { class: 'btn', href: link('rate', p.login, { period: d.period || P }), 'data-test': 'card-rate', text: t('card.rate') }),
		button(t('card.report'), {
			'data-test': 'card-report',
			onclick: ev => busy(ev.currentTarget, () => download(`/api/report${qs({ period: d.period || P, format: 'pdf', login: p.login })}`,
				`merit-${d.period || P}-${p.login}.pdf`).catch(fail)),
		})));
}

function tile(label, value, test, cls) {
	return h('div', { class: ['tile', cls], 'data-test': `tile-${test}` },
		h('span', { class: 'tile-label', text: label }), h('span', { class: 'tile-value' }, value));
}

function derivation(ind, trace) {
	if (!trace.length) return empty(ind.measurements ? t('card.noTrace') : t('card.noData'));
	return h('div', {},
		h('p', { class: 'muted', text: t('card.derivationIntro', { n: fmt.num(ind.measurements) }) }),
		table([{ label: t('col.batch'), cls: 'num' }, { label: t('col.source') }, { label: t('col.file') },
			{ label: t('col.lines') }, { label: t('col.count'), cls: 'num' }],
		trace.map(x => h('tr', {},
			td(h('a', { href: link('data', null, { batch: x.batch }), text: `#${x.batch}` }), 'num'),
			td(fmt.source(x.source)),
			td(h('span', { class: 'file', text: x.file || '–' })),
			td(isNum(x.first_line) ? (x.first_line === x.last_line ? String(x.first_line) : `${x.first_line}–${x.last_line}`) : '–'),
			td(fmt.num(x.count), 'num'))), 'trace'));
}

// app.js — merit's web UI: a single page with hash routes, a client of
// /api only (doc/web-api.md).  No framework and no build step; the DOM is
// built with h() (dom.js), so data is always text, never markup.

import { h, clear, isNum } from './dom.js';
import { api, download, qs, setCsrf, onLoggedOut, ApiError } from './api.js';
import { t, getLang, setLang, LANGS } from './i18n.js';
import * as fmt from './format.js';
import * as charts from './charts.js';

const state = {
	me: null,       // /api/me
	cycles: [],     // /api/cycles
	period: '',     // the period every screen shows
	plan: null,     // /api/plan, loaded when a screen needs it
	people: null,   // /api/people
};

const KINDS = ['self', 'manager', 'peer'];
const IMPORT_KINDS = ['measurements', 'orders', 'tasks', 'ranks', 'leads', 'content', 'posts', 'members', 'uptime'];
const REPORT_FORMATS = ['csv', 'json', 'html', 'xlsx', 'pdf'];

/* ------------------------------------------------------------------ */
/* routes                                                             */

const routes = {
	login: { render: viewLogin, open: true },
	dashboard: { render: viewDashboard, period: true },
	card: { render: viewCard, period: true },
	rate: { render: viewRate, period: true },
	data: { render: viewData },
	plan: { render: viewPlan },
	cycles: { render: viewCycles, admin: true },
	users: { render: viewUsers, admin: true },
	audit: { render: viewAudit, admin: true },
	reports: { render: viewReports, period: true },
	account: { render: viewAccount },
};

function parseHash() {
	const raw = location.hash.replace(/^#\/?/, '');
	const i = raw.indexOf('?');
	const path = i < 0 ? raw : raw.slice(0, i);
	const q = new URLSearchParams(i < 0 ? '' : raw.slice(i + 1));
	const parts = path.split('/').map(p => {
		try { return decodeURIComponent(p); } catch { return p; }
	});
	return { name: parts[0] || '', arg: parts[1] || '', q };
}

/** '#/name/arg?query' */
export function link(name, arg, params) {
	return `#/${name}${arg ? '/' + encodeURIComponent(arg) : ''}${qs(params || {})}`;
}

function go(name, arg, params, replace) {
	const to = link(name, arg, params);
	if (location.hash === to) render();
	else if (replace) { history.replaceState(null, '', to); render(); }
	else location.hash = to;
}

const isAdmin = () => state.me && state.me.role === 'admin';

/* ------------------------------------------------------------------ */
/* messages                                                           */

let flash = null;

function messages() { return document.getElementById('messages'); }

function clearMessages() { clear(messages()); }

function say(kind, text, list) {
	const box = messages();
	clear(box);
	const close = h('button', {
		type: 'button', class: 'msg-close', 'aria-label': t('common.dismiss'),
		onclick: () => clear(box),
	}, '×');
	box.appendChild(h('div', { class: `msg ${kind}`, 'data-test': `msg-${kind}` },
		h('span', { class: 'msg-text', text }),
		list && list.length ? h('ul', { class: 'msg-list' }, list.map(x => h('li', { text: x }))) : null,
		close));
}

const ok = text => say('ok', text);

function fail(e) {
	if (e instanceof ApiError) {
		if (e.handled) return;
		if (e.status === 0) return say('error', t('error.network'));
		return say('error', e.message, e.problems);
	}
	console.error(e);
	say('error', t('error.unexpected'));
}

/* ------------------------------------------------------------------ */
/* shell: header, navigation, period picker, language                 */

function navItems() {
	const me = state.me;
	if (!me) return [];
	const items = [['dashboard', null, 'nav.dashboard']];
	if (me.staff) items.push(['card', me.login, 'nav.myCard']);
	items.push(['rate', null, 'nav.rate']);
	items.push(['data', null, 'nav.data']);
	items.push(['plan', null, 'nav.plan']);
	if (me.role === 'admin') {
		items.push(['cycles', null, 'nav.cycles']);
		items.push(['users', null, 'nav.users']);
		items.push(['audit', null, 'nav.audit']);
	}
	items.push(['reports', null, 'nav.reports']);
	items.push(['account', null, 'nav.account']);
	return items;
}

function sortedCycles() {
	return [...state.cycles].sort((a, b) =>
		String(b.from || '').localeCompare(String(a.from || '')) ||
		String(b.period).localeCompare(String(a.period)));
}

function defaultPeriod() {
	const c = sortedCycles();
	if (c.length) return c[0].period;
	return fmt.today().slice(0, 7);
}

function cycleOf(period) {
	return state.cycles.find(c => c.period === period) || null;
}

function buildHeader() {
	const top = clear(document.getElementById('top'));
	const me = state.me;
	top.appendChild(h('a', { class: 'brand', href: me ? link('dashboard') : link('login'), id: 'brand' },
		h('img', { src: '/favicon.svg', alt: '', width: 22, height: 22 }), 'merit'));

	if (me) {
		const nav = h('nav', { id: 'nav', 'aria-label': t('nav.label'), class: 'nav' },
			h('ul', {}, navItems().map(([name, arg, key]) =>
				h('li', { class: name === 'account' ? 'nav-account' : null },
					h('a', { href: link(name, arg), 'data-test': `nav-${name}`, dataset: { route: name, arg: arg || '' }, text: t(key) })))));
		const toggle = h('button', {
			type: 'button', id: 'nav-toggle', class: 'nav-toggle', 'aria-controls': 'nav', 'aria-expanded': 'false',
			'aria-label': t('nav.menu'),
			onclick: () => {
				const open = !top.classList.contains('nav-open');
				top.classList.toggle('nav-open', open);
				toggle.setAttribute('aria-expanded', String(open));
			},
		}, h('span', { class: 'burger', 'aria-hidden': 'true' }));
		top.appendChild(toggle);
		top.appendChild(nav);
	}

	const tools = h('div', { class: 'tools' });
	if (me) {
		const sel = h('select', { id: 'period', 'data-test': 'period', 'aria-label': t('period.label') });
		fillPeriods(sel);
		sel.addEventListener('change', () => changePeriod(sel.value));
		tools.appendChild(h('label', { class: 'period' }, h('span', { class: 'lbl', text: t('period.label') }), sel));
	}
	const lang = h('select', { id: 'lang', 'data-test': 'lang', 'aria-label': t('lang.label') },
		LANGS.map(([code, name]) => h('option', { value: code, selected: code === getLang(), text: name })));
	lang.addEventListener('change', () => {
		setLang(lang.value);
		buildHeader();
		render();
	});
	tools.appendChild(lang);
	if (me) {
		tools.appendChild(h('a', {
			href: link('account'), id: 'whoami', class: 'whoami', 'data-test': 'whoami',
			title: `${me.login} · ${fmt.role(me.role)}`,
		}, me.name || me.login));
		tools.appendChild(h('button', { type: 'button', id: 'logout', class: 'btn ghost small', 'data-test': 'logout', onclick: logout, text: t('nav.logout') }));
	}
	top.appendChild(tools);
	markNav();
}

function fillPeriods(sel) {
	clear(sel);
	const list = sortedCycles();
	if (state.period && !list.some(c => c.period === state.period))
		sel.appendChild(h('option', { value: state.period, text: state.period }));
	for (const c of list)
		sel.appendChild(h('option', { value: c.period, text: `${c.period} · ${fmt.stateName(c.state)}` }));
	sel.value = state.period;
}

function changePeriod(p) {
	state.period = p;
	const r = parseHash();
	const route = routes[r.name];
	if (route && route.period) {
		const params = Object.fromEntries(r.q);
		params.period = p;
		go(r.name, r.arg, params, true);
	} else {
		render();
	}
}

function markNav() {
	const r = parseHash();
	document.querySelectorAll('#nav a').forEach(a => {
		const here = a.dataset.route === r.name &&
			(a.dataset.route !== 'card' || a.dataset.arg === (r.arg || ''));
		if (here) a.setAttribute('aria-current', 'page');
		else a.removeAttribute('aria-current');
	});
	document.getElementById('top').classList.remove('nav-open');
	const sel = document.getElementById('period');
	if (sel && sel.value !== state.period) fillPeriods(sel);
}

async function loadCycles() {
	try {
		const c = await api('GET', '/api/cycles');
		state.cycles = Array.isArray(c) ? c : [];
	} catch (e) {
		state.cycles = [];
		if (!(e instanceof ApiError) || e.status !== 403) throw e;
	}
	if (!state.period || (!cycleOf(state.period) && state.cycles.length && !state.periodFromUrl))
		state.period = defaultPeriod();
	const sel = document.getElementById('period');
	if (sel) fillPeriods(sel);
}

async function ensurePlan() {
	if (!state.plan) {
		try { state.plan = await api('GET', '/api/plan'); } catch (e) {
			if (e instanceof ApiError && e.handled) throw e;
			state.plan = null;
		}
	}
	return state.plan;
}

async function ensurePeople() {
	if (!state.people) {
		const p = await api('GET', '/api/people');
		state.people = Array.isArray(p) ? p : [];
	}
	return state.people;
}

function indicatorName(key, name) {
	const i = !name && state.plan && (state.plan.indicators || []).find(x => x.key === key);
	return fmt.indicator(key, name || (i && i.name));
}

function positionName(key) {
	const p = state.plan && (state.plan.positions || []).find(x => x.key === key);
	return fmt.position(key, p && p.name);
}

async function logout() {
	try { await api('POST', '/api/logout', { json: {} }); } catch (e) { /* the session may be gone already */ }
	loggedOut();
	say('ok', t('login.bye'));
}

function loggedOut() {
	state.me = null;
	state.plan = null;
	state.people = null;
	state.cycles = [];
	setCsrf('');
	buildHeader();
	const r = parseHash();
	const next = r.name && r.name !== 'login' ? location.hash.slice(1) : '';
	go('login', null, next ? { next } : {}, true);
}

/* ------------------------------------------------------------------ */
/* rendering                                                          */

let seq = 0;

async function render() {
	const my = ++seq;
	const r = parseHash();
	const main = document.getElementById('main');
	if (flash) { const f = flash; flash = null; say(f[0], f[1]); } else clearMessages();

	if (!state.me && r.name !== 'login') {
		const next = location.hash.slice(1);
		return go('login', null, next && next !== '/' ? { next } : {}, true);
	}
	if (state.me && r.name === 'login') return go('dashboard', null, {}, true);
	const route = routes[r.name];
	if (!route) return go(state.me ? 'dashboard' : 'login', null, {}, true);

	const qp = r.q.get('period');
	if (route.period && qp && qp !== state.period) {
		state.period = qp;
		state.periodFromUrl = true;
	}
	markNav();

	const view = h('section', { class: `view view-${r.name}`, id: `view-${r.name}`, 'data-test': `view-${r.name}` });
	main.setAttribute('aria-busy', 'true');
	if (!main.firstChild) main.appendChild(h('p', { class: 'loading', text: t('common.loading') }));
	try {
		if (route.admin && !isAdmin()) {
			view.appendChild(notAllowed());
		} else {
			await route.render(view, r, () => my === seq);
		}
		if (my !== seq) return;
		main.replaceChildren(view);
		document.title = `${view.dataset.title || t('app.name')} · merit`;
	} catch (e) {
		if (my !== seq) return;
		main.replaceChildren(view);
		fail(e);
	} finally {
		if (my === seq) main.removeAttribute('aria-busy');
	}
}

/* ------------------------------------------------------------------ */
/* small building blocks                                              */

function head(view, title, ...extra) {
	view.dataset.title = title;
	view.appendChild(h('div', { class: 'view-head' }, h('h1', { text: title }), ...extra));
}

function card(title, body, test, cls) {
	return h('section', { class: ['card', cls], 'data-test': test ? `card-${test}` : null },
		title ? h('h2', { text: title }) : null, body);
}

function empty(text) {
	return h('p', { class: 'empty', text });
}

/** A cycle state from the API: "none" (no cycle for the period) as null. */
const cycleState = s => (s && s !== 'none' ? s : null);

function stateBadge(s, frozen) {
	const st = cycleState(s);
	return h('span', { class: `badge state-${st || 'none'}`, 'data-test': 'state', dataset: { state: st || 'none' } },
		st ? fmt.stateName(st) : t('state.nocycle'), frozen ? ` · ${t('state.frozen')}` : '');
}

function gradeBadge(g, byQuota) {
	if (!g) return h('span', { class: 'muted', text: '–' });
	return h('span', { class: `grade g-${String(g).replace(/[^A-Za-z0-9]/g, '')}`, title: byQuota ? t('card.byQuota') : null },
		g, byQuota ? '*' : '');
}

function table(cols, rows, test) {
	// cols: [{label, cls}]; rows: arrays of cells (strings or nodes)
	return h('div', { class: 'table-wrap' },
		h('table', { class: 'data', 'data-test': test || null },
			h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col', class: c.cls || null, text: c.label })))),
			h('tbody', {}, rows)));
}

function td(v, cls) {
	return h('td', { class: cls || null }, v);
}

function field(label, control, hint) {
	return h('label', { class: 'field' }, h('span', { class: 'lbl', text: label }), control,
		hint ? h('span', { class: 'hint', text: hint }) : null);
}

function button(text, attrs) {
	return h('button', Object.assign({ type: 'button', class: 'btn' }, attrs || {}), text);
}

async function busy(btn, fn) {
	btn.disabled = true;
	btn.classList.add('busy');
	try { return await fn(); } finally { btn.disabled = false; btn.classList.remove('busy'); }
}

function notAllowed() {
	return h('div', { class: 'notfound', 'data-test': 'not-allowed' },
		h('h1', { text: t('error.forbiddenTitle') }), h('p', { text: t('error.forbidden') }));
}

/** A modal: confirm (and optionally ask for a reason).  Resolves null on cancel. */
function dialog({ title, text, okText, danger, reason }) {
	return new Promise(resolve => {
		const dlg = h('dialog', { class: 'dialog', id: 'dialog', 'aria-labelledby': 'dialog-title' });
		const area = reason ? h('textarea', { id: 'dialog-reason', rows: 3, required: true, 'aria-label': reason }) : null;
		const form = h('form', { method: 'dialog' },
			h('h2', { id: 'dialog-title', text: title }),
			text ? h('p', { text }) : null,
			area ? field(reason, area) : null,
			h('div', { class: 'actions' },
				h('button', { type: 'button', class: 'btn ghost', id: 'dialog-cancel', value: 'cancel', onclick: () => dlg.close('cancel'), text: t('common.cancel') }),
				h('button', { type: 'submit', class: `btn ${danger ? 'danger' : 'primary'}`, id: 'dialog-ok', value: 'ok', text: okText || t('common.ok') })));
		form.addEventListener('submit', ev => {
			if (area && !area.value.trim()) { ev.preventDefault(); area.focus(); return; }
		});
		dlg.appendChild(form);
		dlg.addEventListener('close', () => {
			const v = dlg.returnValue === 'ok' ? { reason: area ? area.value.trim() : '' } : null;
			dlg.remove();
			resolve(v);
		});
		document.body.appendChild(dlg);
		dlg.showModal();
		(area || dlg.querySelector('#dialog-ok')).focus();
	});
}

/* ------------------------------------------------------------------ */
/* login                                                              */

async function viewLogin(view, r) {
	view.dataset.title = t('login.title');
	const user = h('input', { id: 'login-user', name: 'login', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
	const pass = h('input', { id: 'login-pass', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
	const submit = h('button', { type: 'submit', class: 'btn primary', id: 'login-submit', 'data-test': 'login-submit', text: t('login.submit') });
	const form = h('form', { class: 'login-form', id: 'login-form', 'data-test': 'login-form' },
		h('h1', { text: t('login.title') }),
		h('p', { class: 'muted', text: t('login.intro') }),
		field(t('login.user'), user),
		field(t('login.password'), pass),
		submit);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		clearMessages();
		await busy(submit, async () => {
			try {
				const res = await api('POST', '/api/login', { json: { login: user.value.trim(), password: pass.value } });
				setCsrf(res.csrf);
				await startSession();
				const next = r.q.get('next');
				pass.value = '';
				if (next && next.startsWith('/') && !next.startsWith('/login')) location.hash = next;
				else go('dashboard');
			} catch (e) {
				if (e instanceof ApiError && e.status === 401) say('error', e.message || t('login.failed'));
				else fail(e);
				pass.select();
			}
		});
	});
	view.appendChild(h('div', { class: 'login-wrap' }, form));
	setTimeout(() => user.focus(), 0);
}

async function startSession() {
	const me = await api('GET', '/api/me');
	state.me = me;
	setCsrf(me.csrf);
	state.plan = null;
	state.people = null;
	await loadCycles();
	buildHeader();
}

/* ------------------------------------------------------------------ */
/* dashboard                                                          */

async function viewDashboard(view) {
	const P = state.period;
	const [d] = await Promise.all([api('GET', `/api/dashboard${qs({ period: P })}`), ensurePlan()]);
	head(view, t('dash.title'), h('span', { class: 'period-tag', text: d.period || P }), stateBadge(d.state, d.frozen));
	const intro = [];
	if (d.goal && d.goal !== 'none') intro.push(t('dash.goal', { goal: fmt.goal(d.goal) }));
	else if (d.goal === 'none') intro.push(t('dash.noGoal'));
	if (d.frozen) intro.push(t('dash.frozen'));
	else if (!cycleState(d.state)) intro.push(t('dash.noCycle'));
	if (intro.length) view.appendChild(h('p', { class: 'intro', text: intro.join(' ') }));

	// charts are drawn at the size they are shown, so their text stays readable
	const avail = Math.max(300, document.getElementById('main').clientWidth - 60);
	const half = avail > 700 ? (avail - 40) / 2 : avail;
	const grid = h('div', { class: 'grid two' });
	const team = Array.isArray(d.team) ? d.team : [];
	view.appendChild(card(t('dash.team'), team.length
		? charts.scoreBars(team.map(x => ({
			label: fmt.indicator(x.key, x.name),
			score: x.score,
			note: t('dash.actualTarget', { actual: fmt.num(x.actual), target: fmt.num(x.target), rule: fmt.rule(x.rule) }),
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

	const ranking = Array.isArray(d.ranking) ? d.ranking : [];
	const rows = ranking.map((p, i) => h('tr', { 'data-login': p.login },
		td(String(p.rank || i + 1), 'num'),
		td([h('a', { href: link('card', p.login, { period: d.period || P }), 'data-test': `rank-${p.login}`, text: p.name || p.login }),
			h('span', { class: 'login', text: p.login })]),
		td(positionName(p.position)),
		td(fmt.score(p.final_score), 'num strong'),
		td(gradeBadge(p.grade, p.grade_by_quota)),
		td(fmt.money(p.bonus_cents), 'num')));
	view.appendChild(card(t('dash.ranking'), ranking.length
		? table([{ label: '#', cls: 'num' }, { label: t('col.name') }, { label: t('col.position') },
			{ label: t('col.final'), cls: 'num' }, { label: t('col.grade') }, { label: t('col.bonus'), cls: 'num' }], rows, 'ranking')
		: empty(t('dash.noRanking')), 'ranking'));
}

/* ------------------------------------------------------------------ */
/* scorecard                                                          */

async function viewCard(view, r) {
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

/* ------------------------------------------------------------------ */
/* ratings                                                            */

async function viewRate(view, r) {
	const P = state.period;
	const people = await ensurePeople();
	let login = r.arg;
	if (!login) {
		if (state.me.staff) login = state.me.login;
		else {
			const first = people.find(p => p.visible) || people[0];
			login = first ? first.login : '';
		}
	}
	view.dataset.title = t('rate.title');
	const picker = h('select', { id: 'rate-person', 'data-test': 'rate-person' },
		people.map(p => h('option', { value: p.login, selected: p.login === login, text: `${p.name || p.login} (${p.login})` })));
	picker.addEventListener('change', () => go('rate', picker.value, { period: P }));
	head(view, t('rate.title'), h('span', { class: 'period-tag', text: P }));
	view.appendChild(h('div', { class: 'toolbar' }, field(t('rate.person'), picker)));
	if (!login) { view.appendChild(empty(t('rate.nobody'))); return; }

	const d = await api('GET', `/api/ratings${qs({ period: P, login })}`);
	const scale = isNum(d.scale) && d.scale > 0 ? d.scale : 5;
	const crit = Array.isArray(d.criteria) ? d.criteria : [];
	const can = d.can || {};
	const given = d.given || {};
	view.appendChild(h('p', { class: 'intro' },
		t('rate.about', { name: d.name || login, period: d.period || P }), ' ', stateBadge(d.state)));

	const kinds = KINDS.filter(k => can[k]);
	if (!kinds.length) {
		const why = !cycleState(d.state) ? t('rate.noCycle') : (d.state === 'closed' ? t('rate.closed') : t('rate.cannot'));
		view.appendChild(h('p', { class: 'empty', 'data-test': 'rate-none', text: why }));
	}
	const forms = h('div', { class: 'grid forms' });
	for (const kind of kinds)
		forms.appendChild(rateForm(kind, d, login, scale, crit, given[kind] || null));
	view.appendChild(forms);

	const recv = Array.isArray(d.received) ? d.received : [];
	if (recv.length) {
		view.appendChild(card(t('rate.received'), table(
			[{ label: t('col.kind') }, { label: t('col.rater') }, ...crit.map(c => ({ label: c.name || c.key, cls: 'num' })), { label: t('col.comment') }],
			recv.map(x => h('tr', {},
				td(fmt.kind(x.kind)),
				td(x.rater || t('rate.hidden')),
				crit.map(c => td(x.criteria && isNum(x.criteria[c.key]) ? `${x.criteria[c.key]} / ${scale}` : '–', 'num')),
				td(h('span', { class: 'comment', text: x.comment || '' })))), 'received'), 'received'));
	}
}

function rateForm(kind, d, login, scale, crit, mine) {
	const values = {};
	const comment = h('textarea', { id: `rate-comment-${kind}`, rows: 3, 'data-test': `rate-comment-${kind}`, maxlength: 4000 });
	comment.value = (mine && mine.comment) || '';
	const submit = h('button', { type: 'submit', class: 'btn primary', id: `rate-submit-${kind}`, 'data-test': `rate-submit-${kind}`, text: t('rate.save') });
	const form = h('form', { class: 'card rate-form', id: `rate-form-${kind}`, 'data-test': `rate-form-${kind}` },
		h('h2', { text: t(`rate.form.${kind}`) }),
		crit.map(c => {
			const v = mine && mine.criteria && isNum(mine.criteria[c.key]) ? mine.criteria[c.key] : null;
			values[c.key] = v;
			return h('div', { class: 'criterion' },
				h('div', { class: 'crit-head' }, h('span', { class: 'strong', text: c.name || c.key }),
					isNum(c.weight) ? h('span', { class: 'muted', text: ` ${fmt.num(c.weight)}%` }) : null),
				stars(`${kind}-${c.key}`, c.name || c.key, scale, v, nv => { values[c.key] = nv; }));
		}),
		field(t('rate.comment'), comment),
		h('div', { class: 'actions' }, submit));
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const criteria = {};
		for (const [k, v] of Object.entries(values)) if (isNum(v)) criteria[k] = v;
		if (!Object.keys(criteria).length) return say('error', t('rate.needStars'));
		await busy(submit, async () => {
			try {
				await api('POST', '/api/ratings', { json: { period: d.period || state.period, login, by: kind, criteria, comment: comment.value } });
				flash = ['ok', t('rate.saved', { kind: fmt.kind(kind) })];
				render();
			} catch (e) { fail(e); }
		});
	});
	return form;
}

const STAR = 'M12 1.8l3.1 6.5 7.1.9-5.2 4.9 1.3 7.1L12 17.8l-6.3 3.4 1.3-7.1L1.8 9.2l7.1-.9z';

/** Stars 1..scale with halves: a radio group of half-star buttons. */
function stars(id, label, scale, value, onChange) {
	let cur = value;
	const btns = [];
	const read = h('span', { class: 'stars-read', 'data-test': `stars-value-${id}` });
	const group = h('div', { class: 'stars', role: 'radiogroup', 'aria-label': label, id: `stars-${id}`, 'data-test': `stars-${id}` });
	const set = v => {
		cur = v;
		for (const b of btns) {
			const val = Number(b.dataset.value);
			const on = isNum(cur) && val <= cur;
			b.classList.toggle('on', on);
			b.setAttribute('aria-checked', String(cur === val));
			b.tabIndex = (cur === val || (!isNum(cur) && val === 1)) ? 0 : -1;
		}
		read.textContent = isNum(cur) ? `${cur} / ${scale}` : t('rate.unrated');
		onChange(cur);
	};
	const half = (val, part) => {
		const vb = part === 'left' ? '0 0 12 24' : part === 'right' ? '12 0 12 24' : '0 0 24 24';
		const w = part === 'full' ? 28 : 14;
		const svgEl = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
		svgEl.setAttribute('viewBox', vb);
		svgEl.setAttribute('width', String(w));
		svgEl.setAttribute('height', '28');
		svgEl.setAttribute('aria-hidden', 'true');
		const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
		path.setAttribute('d', STAR);
		svgEl.appendChild(path);
		const b = h('button', {
			type: 'button', role: 'radio', class: `half ${part}`, 'aria-checked': 'false',
			'aria-label': t('rate.starsLabel', { n: val, scale }), title: `${val}`,
			dataset: { value: String(val) }, 'data-test': `star-${id}-${val}`,
			onclick: () => set(val),
		}, svgEl);
		btns.push(b);
		return b;
	};
	for (let i = 1; i <= scale; i++) {
		const star = h('span', { class: 'star' });
		if (i === 1) star.appendChild(half(1, 'full'));
		else { star.appendChild(half(i - 0.5, 'left')); star.appendChild(half(i, 'right')); }
		group.appendChild(star);
	}
	group.addEventListener('keydown', ev => {
		const step = { ArrowRight: 0.5, ArrowUp: 0.5, ArrowLeft: -0.5, ArrowDown: -0.5 }[ev.key];
		if (!step) return;
		ev.preventDefault();
		const nv = Math.min(scale, Math.max(1, (isNum(cur) ? cur : (step > 0 ? 0.5 : 1.5)) + step));
		set(nv);
		const b = btns.find(x => Number(x.dataset.value) === nv);
		if (b) b.focus();
	});
	const clr = h('button', { type: 'button', class: 'btn ghost small', 'data-test': `stars-clear-${id}`, onclick: () => set(null), text: t('rate.clear') });
	set(cur);
	return h('div', { class: 'stars-row' }, group, read, clr);
}

/* ------------------------------------------------------------------ */
/* data: uploads, batches, a value by hand                            */

async function viewData(view, r) {
	head(view, t('data.title'));
	const admin = isAdmin();
	if (admin) {
		await ensurePlan();
		const people = await ensurePeople().catch(() => []);
		const grid = h('div', { class: 'grid' });
		grid.appendChild(uploadCard());
		grid.appendChild(recordCard(people));
		view.appendChild(grid);
	}
	const list = h('div', { id: 'batches-box' });
	view.appendChild(card(t('data.batches'), list, 'batches', 'wide'));
	await fillBatches(list, r.q.get('batch'));
}

function uploadCard() {
	const kind = h('select', { id: 'upload-kind', 'data-test': 'upload-kind' },
		IMPORT_KINDS.map(k => h('option', { value: k, text: t(`import.${k}`) })),
		h('option', { value: 'log', text: t('import.log') }));
	const file = h('input', { type: 'file', id: 'upload-file', 'data-test': 'upload-file', required: true });
	const preset = h('input', { id: 'upload-preset', placeholder: t('data.presetAuto') });
	const map = h('input', { id: 'upload-map', placeholder: 'COL=FIELD,…' });
	const date = h('input', { id: 'upload-date', type: 'date' });
	const replace = h('input', { id: 'upload-replace', type: 'checkbox' });
	const skipBad = h('input', { id: 'upload-skip-bad', type: 'checkbox' });
	const format = h('input', { id: 'upload-format', placeholder: 'combined' });
	const site = h('input', { id: 'upload-site' });
	const strict = h('input', { id: 'upload-strict', type: 'checkbox' });
	const csvOpts = h('div', { class: 'opts' },
		field(t('data.preset'), preset), field(t('data.map'), map, t('data.mapHint')), field(t('data.date'), date, t('data.dateHint')),
		h('label', { class: 'check' }, replace, t('data.replace')),
		h('label', { class: 'check' }, skipBad, t('data.skipBad')));
	const logOpts = h('div', { class: 'opts', hidden: true },
		field(t('data.format'), format, t('data.formatHint')), field(t('data.site'), site),
		h('label', { class: 'check' }, strict, t('data.strict')));
	kind.addEventListener('change', () => {
		const log = kind.value === 'log';
		csvOpts.hidden = log;
		logOpts.hidden = !log;
	});
	const result = h('div', { class: 'result', 'data-test': 'upload-result', 'aria-live': 'polite' });
	const submit = h('button', { type: 'submit', class: 'btn primary', id: 'upload-submit', 'data-test': 'upload-submit', text: t('data.upload') });
	const form = h('form', { id: 'upload-form', class: 'stack' },
		field(t('data.kind'), kind), field(t('data.file'), file),
		h('details', { class: 'more' }, h('summary', { text: t('data.options') }), csvOpts, logOpts),
		h('div', { class: 'actions' }, submit), result);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const f = file.files && file.files[0];
		if (!f) return say('error', t('data.noFile'));
		clear(result);
		await busy(submit, async () => {
			try {
				let res, path;
				if (kind.value === 'log') {
					path = `/api/ingest${qs({ file: f.name, format: format.value.trim(), site: site.value.trim(), strict: strict.checked })}`;
					res = await api('POST', path, { body: f });
					result.appendChild(h('p', { class: 'ok', text: t('data.ingested', { batch: res.batch, requests: fmt.num(res.requests), failed: fmt.num(res.failed), days: fmt.num(res.days) }) }));
				} else {
					path = `/api/import${qs({ kind: kind.value, file: f.name, preset: preset.value.trim(), map: map.value.trim(), date: date.value, replace: replace.checked, skip_bad: skipBad.checked })}`;
					res = await api('POST', path, { body: f });
					result.appendChild(h('p', { class: 'ok', text: t('data.imported', { batch: res.batch, rows: fmt.num(res.rows), skipped: fmt.num(res.skipped || 0) }) }));
					if (res.replaced) result.appendChild(h('p', { text: t('data.replaced', { batch: res.replaced }) }));
					if (res.preset) result.appendChild(h('p', { class: 'muted', text: t('data.presetUsed', { preset: res.preset }) }));
				}
				const notes = Array.isArray(res.notes) ? res.notes : String(res.notes || '').split('\n').filter(x => x.trim());
				if (notes.length) result.appendChild(h('ul', { class: 'notes' }, notes.map(n => h('li', { text: typeof n === 'string' ? n : JSON.stringify(n) }))));
				ok(t('data.uploaded', { file: f.name }));
				file.value = '';
				await fillBatches(document.getElementById('batches-box'));
			} catch (e) { fail(e); }
		});
	});
	return card(t('data.uploadTitle'), form, 'upload');
}

function planIndicators() {
	const p = state.plan;
	const keys = new Map();
	if (p && Array.isArray(p.indicators)) for (const i of p.indicators) keys.set(i.key, i.name);
	if (p && Array.isArray(p.positions))
		for (const pos of p.positions) for (const i of pos.indicators || []) if (!keys.has(i.key)) keys.set(i.key, i.name);
	return [...keys.entries()];
}

function recordCard(people) {
	const list = h('datalist', { id: 'indicator-list' },
		planIndicators().map(([k, n]) => h('option', { value: k, text: fmt.indicator(k, n) })));
	const ind = h('input', { id: 'record-indicator', 'data-test': 'record-indicator', list: 'indicator-list', required: true, autocomplete: 'off' });
	const value = h('input', { id: 'record-value', type: 'number', step: 'any', required: true });
	const who = h('select', { id: 'record-login' },
		h('option', { value: '', text: t('data.team') }),
		people.map(p => h('option', { value: p.login, text: `${p.name || p.login} (${p.login})` })));
	const date = h('input', { id: 'record-date', type: 'date', required: true, value: fmt.today() });
	const of = h('input', { id: 'record-of', type: 'number', step: 'any', min: 0 });
	const submit = h('button', { type: 'submit', class: 'btn primary', id: 'record-submit', text: t('data.record') });
	const form = h('form', { id: 'record-form', class: 'stack' },
		field(t('col.indicator'), ind), list, field(t('data.value'), value), field(t('data.who'), who),
		field(t('data.date'), date), field(t('data.of'), of, t('data.ofHint')),
		h('div', { class: 'actions' }, submit));
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		await busy(submit, async () => {
			try {
				const body = { indicator: ind.value.trim(), value: Number(value.value), login: who.value || null, date: date.value };
				if (of.value !== '') body.of = Number(of.value);
				await api('POST', '/api/record', { json: body });
				ok(t('data.recorded', { indicator: body.indicator, value: value.value }));
				value.value = '';
				of.value = '';
				await fillBatches(document.getElementById('batches-box'));
			} catch (e) { fail(e); }
		});
	});
	return card(t('data.recordTitle'), form, 'record');
}

function batchDates(b) {
	const a = b.first_date || b.from, z = b.last_date || b.to;
	if (!a) return '–';
	return !z || a === z ? a : `${a} – ${z}`;
}

async function fillBatches(box, openId) {
	const list = await api('GET', '/api/batches');
	const batches = Array.isArray(list) ? list : (list && Array.isArray(list.batches) ? list.batches : []);
	clear(box);
	if (!batches.length) { box.appendChild(empty(t('data.noBatches'))); return; }
	const admin = isAdmin();
	const rows = [];
	for (const b of [...batches].sort((x, y) => (y.id || 0) - (x.id || 0))) {
		const detail = h('tr', { class: 'derivation', hidden: true, id: `batch-detail-${b.id}` }, h('td', { colspan: 8 }));
		const view = button(t('data.view'), {
			class: 'btn ghost small', 'aria-expanded': 'false', 'aria-controls': `batch-detail-${b.id}`, 'data-test': `batch-view-${b.id}`,
			onclick: () => toggleBatch(b.id, detail, view),
		});
		const rm = admin ? button(t('data.remove'), {
			class: 'btn danger small', 'data-test': `batch-rm-${b.id}`,
			onclick: async ev => {
				const btn = ev.currentTarget;
				const okd = await dialog({
					title: t('data.removeTitle', { id: b.id }),
					text: t('data.removeText', { file: b.file || '', rows: fmt.num(b.rows) }),
					okText: t('data.remove'), danger: true,
				});
				if (!okd) return;
				await busy(btn, async () => {
					try {
						await api('DELETE', `/api/batches/${encodeURIComponent(b.id)}`);
						ok(t('data.removed', { id: b.id }));
						await fillBatches(box);
					} catch (e) { fail(e); }
				});
			},
		}) : null;
		rows.push(h('tr', { 'data-batch': String(b.id) },
			td(`#${b.id}`, 'num'),
			td(fmt.source(b.source)),
			td(h('span', { class: 'file', text: b.file || '–' })),
			td(fmt.num(b.rows), 'num'),
			td(batchDates(b), 'nowrap'),
			td(fmt.when(b.created_at), 'nowrap'),
			td(b.created_by || '–'),
			td(h('span', { class: 'row-actions' }, view, rm))));
		rows.push(detail);
		if (openId && String(b.id) === String(openId)) setTimeout(() => toggleBatch(b.id, detail, view), 0);
	}
	box.appendChild(table([{ label: t('col.batch'), cls: 'num' }, { label: t('col.source') }, { label: t('col.file') },
		{ label: t('col.rows'), cls: 'num' }, { label: t('col.dates') }, { label: t('col.when') }, { label: t('col.by') }, { label: '' }], rows, 'batches'));
}

async function toggleBatch(id, detail, btn) {
	const open = detail.hidden;
	detail.hidden = !open;
	btn.setAttribute('aria-expanded', String(open));
	if (!open || detail.dataset.loaded) return;
	const cell = detail.firstChild;
	clear(cell).appendChild(h('p', { class: 'loading', text: t('common.loading') }));
	try {
		const d = await api('GET', `/api/batches/${encodeURIComponent(id)}`);
		const ms = Array.isArray(d.measurements) ? d.measurements : [];
		clear(cell);
		cell.appendChild(ms.length ? table([{ label: t('col.indicator') }, { label: t('col.person') }, { label: t('col.count'), cls: 'num' }, { label: t('col.lines') }],
			ms.map(m => h('tr', {},
				td(indicatorName(m.indicator)),
				td(m.login || t('data.team')),
				td(fmt.num(m.count), 'num'),
				td(isNum(m.first_line) ? `${m.first_line}–${m.last_line}` : '–')))) : empty(t('data.noMeasurements')));
		detail.dataset.loaded = '1';
		detail.scrollIntoView({ block: 'nearest' });
	} catch (e) {
		clear(cell);
		fail(e);
	}
}

/* ------------------------------------------------------------------ */
/* plan                                                               */

async function viewPlan(view) {
	state.plan = null;
	const p = await ensurePlan();
	head(view, t('plan.title'));
	if (!p) { view.appendChild(empty(t('plan.none'))); return; }
	const facts = h('dl', { class: 'facts', 'data-test': 'plan-facts' },
		h('dt', { text: t('plan.goal') }), h('dd', { text: fmt.goal(p.goal) }),
		h('dt', { text: t('plan.period') }), h('dd', { text: t(`plan.period.${p.period}`) !== `plan.period.${p.period}` ? t(`plan.period.${p.period}`) : (p.period || '–') }),
		h('dt', { text: t('plan.scale') }), h('dd', { text: isNum(p.rating_scale) ? t('plan.stars', { n: p.rating_scale }) : '–' }));
	const grid = h('div', { class: 'grid' });
	grid.appendChild(card(t('plan.summary'), facts, 'plan-summary'));
	const crit = Array.isArray(p.criteria) ? p.criteria : [];
	grid.appendChild(card(t('plan.criteria'), crit.length ? table([{ label: t('col.criterion') }, { label: t('col.weight'), cls: 'num' }],
		crit.map(c => h('tr', {}, td([h('span', { text: c.name || c.key }), h('span', { class: 'login', text: c.key })]), td(`${fmt.num(c.weight)}%`, 'num')))) : empty('–'), 'plan-criteria'));
	const grades = Array.isArray(p.grades) ? p.grades : [];
	grid.appendChild(card(t('plan.grades'), grades.length ? table([{ label: t('col.grade') }, { label: t('col.min'), cls: 'num' }, { label: t('col.coef'), cls: 'num' }],
		grades.map(g => h('tr', {}, td(gradeBadge(g.name || g.grade)), td(fmt.num(g.min), 'num'),
			td(typeof g.coef === 'string' ? g.coef : fmt.num(isNum(g.coef) ? g.coef : g.bonus), 'num')))) : empty('–'), 'plan-grades'));
	view.appendChild(grid);

	const positions = Array.isArray(p.positions) ? p.positions : [];
	view.appendChild(card(t('plan.positions'), positions.length ? h('div', { class: 'positions' }, positions.map(pos =>
		h('div', { class: 'position' },
			h('h3', {}, fmt.position(pos.key, pos.name), h('span', { class: 'login', text: pos.key })),
			table([{ label: t('col.indicator') }, { label: t('col.weight'), cls: 'num' }, { label: t('col.target'), cls: 'num' }, { label: t('col.rule') }],
				(pos.indicators || []).map(i => h('tr', {},
					td([h('span', { text: indicatorName(i.key, i.name) }), h('span', { class: 'login', text: i.scope === 'team' ? `${i.key} · ${t('card.team')}` : i.key })]),
					td(`${fmt.num(i.weight)}%`, 'num'), td(fmt.num(i.target), 'num'), td(fmt.rule(i.rule)))))))) : empty('–'), 'plan-positions'));

	const yaml = h('pre', { class: 'yaml', id: 'plan-yaml', 'data-test': 'plan-yaml', text: p.yaml || '' });
	const dl = button(t('plan.download'), {
		id: 'plan-download', 'data-test': 'plan-download',
		onclick: ev => busy(ev.currentTarget, () => download('/api/plan.yaml', 'plan.yaml').catch(fail)),
	});
	view.appendChild(card(t('plan.yaml'), h('div', {}, h('div', { class: 'actions' }, dl),
		h('details', { class: 'more' }, h('summary', { text: t('plan.showYaml') }), yaml)), 'plan-yaml'));

	if (isAdmin()) view.appendChild(planUpload(p));
}

function planUpload(p) {
	const problems = h('div', { id: 'plan-problems', 'data-test': 'plan-problems', 'aria-live': 'polite' });
	const showProblems = e => {
		clear(problems);
		if (e instanceof ApiError && e.problems.length)
			problems.appendChild(h('div', { class: 'problems' }, h('p', { class: 'strong', text: t('plan.problems', { n: e.problems.length }) }),
				h('ul', {}, e.problems.map(x => h('li', {}, h('code', { text: x }))))));
	};
	const put = async (text, btn, name) => busy(btn, async () => {
		clear(problems);
		try {
			await api('PUT', `/api/plan${qs({ file: name })}`, { body: text, type: 'application/yaml; charset=utf-8' });
			state.plan = null;
			state.people = null;
			flash = ['ok', t('plan.saved')];
			render();
		} catch (e) {
			if (e instanceof ApiError && e.problems.length) { say('error', e.message); showProblems(e); } else fail(e);
		}
	});
	const file = h('input', { type: 'file', id: 'plan-file', 'data-test': 'plan-file', accept: '.yaml,.yml,text/yaml,application/yaml' });
	const up = button(t('plan.upload'), {
		class: 'btn primary', id: 'plan-upload', 'data-test': 'plan-upload',
		onclick: async ev => {
			const f = file.files && file.files[0];
			if (!f) return say('error', t('data.noFile'));
			const btn = ev.currentTarget;
			await put(await f.text(), btn, f.name);
		},
	});
	const editor = h('textarea', { id: 'plan-editor', 'data-test': 'plan-editor', rows: 18, spellcheck: 'false', class: 'code' });
	editor.value = p.yaml || '';
	const save = button(t('plan.save'), {
		class: 'btn primary', id: 'plan-save', 'data-test': 'plan-save',
		onclick: ev => put(editor.value, ev.currentTarget),
	});
	return card(t('plan.change'), h('div', { class: 'stack' },
		h('p', { class: 'muted', text: t('plan.changeIntro') }),
		h('div', { class: 'inline' }, field(t('plan.file'), file), up),
		h('details', { class: 'more' }, h('summary', { text: t('plan.edit') }), editor, h('div', { class: 'actions' }, save)),
		problems), 'plan-change');
}

/* ------------------------------------------------------------------ */
/* cycles                                                             */

async function viewCycles(view) {
	await loadCycles();
	head(view, t('cycles.title'));
	const period = h('input', { id: 'cycle-period', 'data-test': 'cycle-period', required: true, placeholder: '2026-11', value: nextPeriodGuess() });
	const open = h('button', { type: 'submit', class: 'btn primary', id: 'cycle-open', 'data-test': 'cycle-open', text: t('cycles.open') });
	const form = h('form', { class: 'inline', id: 'cycle-form' }, field(t('cycles.period'), period, t('cycles.periodHint')), open);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		await cycleAction(period.value.trim(), 'open', null, open);
	});
	view.appendChild(card(t('cycles.openTitle'), form, 'cycle-open'));

	const list = sortedCycles();
	const rows = list.map(c => {
		const acts = [];
		if (c.state === 'open') acts.push(button(t('cycles.review'), { class: 'btn small', 'data-test': `cycle-review-${c.period}`, onclick: ev => cycleAction(c.period, 'review', null, ev.currentTarget) }));
		if (c.state === 'review')
			acts.push(button(t('cycles.close'), {
				class: 'btn small danger', 'data-test': `cycle-close-${c.period}`,
				onclick: async ev => {
					const btn = ev.currentTarget;
					const okd = await dialog({ title: t('cycles.closeTitle', { period: c.period }), text: t('cycles.closeText'), okText: t('cycles.close'), danger: true });
					if (okd) await cycleAction(c.period, 'close', null, btn);
				},
			}));
		if (c.state === 'closed')
			acts.push(button(t('cycles.reopen'), {
				class: 'btn small', 'data-test': `cycle-reopen-${c.period}`,
				onclick: async ev => {
					const btn = ev.currentTarget;
					const okd = await dialog({ title: t('cycles.reopenTitle', { period: c.period }), text: t('cycles.reopenText'), okText: t('cycles.reopen'), reason: t('cycles.reason') });
					if (okd) await cycleAction(c.period, 'reopen', okd.reason, btn);
				},
			}));
		return h('tr', { 'data-period': c.period },
			td(h('a', { href: link('dashboard', null, { period: c.period }), text: c.period })),
			td(c.from && c.to ? `${c.from} – ${c.to}` : '–', 'nowrap'),
			td(stateBadge(c.state)),
			td(fmt.when(c.updated_at), 'nowrap'),
			td(h('span', { class: 'row-actions' }, acts)));
	});
	view.appendChild(card(t('cycles.list'), rows.length
		? table([{ label: t('col.period') }, { label: t('col.dates') }, { label: t('col.state') }, { label: t('col.updated') }, { label: '' }], rows, 'cycles')
		: empty(t('cycles.none')), 'cycles', 'wide'));
	view.appendChild(h('p', { class: 'muted', text: t('cycles.help') }));
}

function nextPeriodGuess() {
	return fmt.today().slice(0, 7);
}

async function cycleAction(period, action, reason, btn) {
	if (!period) return say('error', t('cycles.needPeriod'));
	await busy(btn, async () => {
		try {
			const body = { period, action };
			if (reason) body.reason = reason;
			await api('POST', '/api/cycles', { json: body });
			if (action === 'open') state.period = period;
			flash = ['ok', t(`cycles.done.${action}`, { period })];
			await loadCycles();
			render();
		} catch (e) { fail(e); }
	});
}

/* ------------------------------------------------------------------ */
/* users                                                              */

const ROLES = ['admin', 'manager', 'member'];

async function viewUsers(view) {
	const users = await api('GET', '/api/users');
	head(view, t('users.title'));
	const login = h('input', { id: 'user-login', 'data-test': 'user-login', required: true, autocomplete: 'off', autocapitalize: 'none' });
	const role = h('select', { id: 'user-role', 'data-test': 'user-role' }, ROLES.map(r => h('option', { value: r, selected: r === 'member', text: fmt.role(r) })));
	const pw = h('input', { id: 'user-password', 'data-test': 'user-password', type: 'password', minlength: 8, required: true, autocomplete: 'new-password' });
	const add = h('button', { type: 'submit', class: 'btn primary', id: 'user-add', 'data-test': 'user-add', text: t('users.add') });
	const form = h('form', { class: 'inline', id: 'user-form' },
		field(t('col.login'), login, t('users.loginHint')), field(t('col.role'), role), field(t('login.password'), pw, t('users.pwHint')), add);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		await busy(add, async () => {
			try {
				await api('POST', '/api/users', { json: { login: login.value.trim(), role: role.value, password: pw.value } });
				flash = ['ok', t('users.added', { login: login.value.trim() })];
				render();
			} catch (e) { fail(e); }
		});
	});
	view.appendChild(card(t('users.addTitle'), form, 'user-add'));

	const list = Array.isArray(users) ? users : [];
	const rows = list.map(u => {
		const sel = h('select', { 'aria-label': t('users.roleOf', { login: u.login }), 'data-test': `user-role-${u.login}` },
			ROLES.map(r => h('option', { value: r, selected: r === u.role, text: fmt.role(r) })));
		const save = button(t('users.saveRole'), {
			class: 'btn small', 'data-test': `user-save-${u.login}`,
			onclick: ev => busy(ev.currentTarget, async () => {
				try {
					await api('PUT', `/api/users/${encodeURIComponent(u.login)}`, { json: { role: sel.value } });
					flash = ['ok', t('users.saved', { login: u.login })];
					render();
				} catch (e) { fail(e); }
			}),
		});
		const npw = h('input', { type: 'password', minlength: 8, autocomplete: 'new-password', 'aria-label': t('users.newPwOf', { login: u.login }), placeholder: t('users.newPw'), 'data-test': `user-pw-${u.login}` });
		const setpw = button(t('users.setPw'), {
			class: 'btn small', 'data-test': `user-setpw-${u.login}`,
			onclick: ev => busy(ev.currentTarget, async () => {
				if (npw.value.length < 8) return say('error', t('users.pwHint'));
				try {
					await api('PUT', `/api/users/${encodeURIComponent(u.login)}`, { json: { password: npw.value } });
					npw.value = '';
					ok(t('users.pwSet', { login: u.login }));
				} catch (e) { fail(e); }
			}),
		});
		return h('tr', { 'data-user': u.login },
			td(h('span', { class: 'strong', text: u.login })),
			td(h('span', { class: 'row-actions' }, sel, save)),
			td(fmt.when(u.created_at), 'nowrap'),
			td(h('span', { class: 'row-actions' }, npw, setpw)));
	});
	view.appendChild(card(t('users.list'), rows.length
		? table([{ label: t('col.login') }, { label: t('col.role') }, { label: t('col.created') }, { label: t('login.password') }], rows, 'users')
		: empty(t('users.none')), 'users', 'wide'));
	view.appendChild(h('p', { class: 'muted', text: t('users.help') }));
}

/* ------------------------------------------------------------------ */
/* audit                                                              */

const AUDIT_PAGE = 50;

/** A value of the audit log: long ones (a whole plan) folded. */
function longText(v) {
	if (v.length <= 160) return h('code', { class: 'json', text: v });
	return h('details', { class: 'fold' },
		h('summary', {}, h('code', { class: 'json', text: `${v.slice(0, 100).replace(/\s+/g, ' ')}…` })),
		h('code', { class: 'json full', text: v }));
}

async function viewAudit(view, r) {
	const before = r.q.get('before') || '';
	const list = await api('GET', `/api/audit${qs({ limit: AUDIT_PAGE, before })}`);
	const items = Array.isArray(list) ? list : [];
	head(view, t('audit.title'));
	const show = v => {
		if (v === null || v === undefined || v === '') return '';
		if (typeof v === 'string') return v;
		return JSON.stringify(v);
	};
	const rows = items.map(a => h('tr', {},
		td(String(a.id), 'num'),
		td(fmt.when(a.at), 'nowrap'),
		td(a.who || '–'),
		td(h('span', { class: 'strong', text: a.action || '' })),
		td(a.object || ''),
		td(longText(show(a.before))),
		td(longText(show(a.after)))));
	view.appendChild(card(null, items.length
		? table([{ label: '#', cls: 'num' }, { label: t('col.when') }, { label: t('col.who') }, { label: t('col.action') }, { label: t('col.object') },
			{ label: t('col.before') }, { label: t('col.after') }], rows, 'audit')
		: empty(t('audit.none')), 'audit', 'wide'));
	const last = items.length ? items[items.length - 1].id : null;
	view.appendChild(h('div', { class: 'pager' },
		before ? h('a', { class: 'btn ghost', href: link('audit'), id: 'audit-newest', 'data-test': 'audit-newest', text: t('audit.newest') }) : null,
		items.length === AUDIT_PAGE && last !== null
			? h('a', { class: 'btn', href: link('audit', null, { before: last }), id: 'audit-older', 'data-test': 'audit-older', text: t('audit.older') }) : null));
}

/* ------------------------------------------------------------------ */
/* reports                                                            */

async function viewReports(view) {
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
	const form = h('form', { class: 'inline', id: 'report-form' }, field(t('reports.format'), fmtSel), field(t('reports.person'), who), go2);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const login = who.value;
		const f = fmtSel.value;
		await busy(go2, async () => {
			try {
				const name = await download(`/api/report${qs({ period: P, format: f, login })}`, `merit-${P}${login ? '-' + login : ''}.${f}`);
				ok(t('reports.done', { file: name }));
			} catch (e) { fail(e); }
		});
	});
	view.appendChild(card(null, h('div', { class: 'stack' }, h('p', { class: 'muted', text: admin ? t('reports.introAdmin') : t('reports.intro') }), form), 'reports'));
}

/* ------------------------------------------------------------------ */
/* account                                                            */

async function viewAccount(view) {
	const me = state.me;
	head(view, t('account.title'));
	view.appendChild(card(null, h('dl', { class: 'facts' },
		h('dt', { text: t('col.login') }), h('dd', { text: me.login }),
		h('dt', { text: t('col.name') }), h('dd', { text: me.name || '–' }),
		h('dt', { text: t('col.role') }), h('dd', { text: fmt.role(me.role) }),
		me.position ? [h('dt', { text: t('col.position') }), h('dd', { text: positionName(me.position) })] : null,
		Array.isArray(me.reports) && me.reports.length ? [h('dt', { text: t('account.reports') }), h('dd', { text: me.reports.join(', ') })] : null), 'account'));
	const old = h('input', { id: 'pw-old', type: 'password', autocomplete: 'current-password', required: true });
	const nw = h('input', { id: 'pw-new', type: 'password', autocomplete: 'new-password', minlength: 8, required: true });
	const submit = h('button', { type: 'submit', class: 'btn primary', id: 'pw-submit', text: t('account.change') });
	const form = h('form', { class: 'stack narrow', id: 'pw-form' }, field(t('account.old'), old), field(t('account.new'), nw, t('users.pwHint')), h('div', { class: 'actions' }, submit));
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		await busy(submit, async () => {
			try {
				await api('POST', '/api/me/password', { json: { old: old.value, new: nw.value } });
				old.value = nw.value = '';
				ok(t('account.changed'));
			} catch (e) { fail(e); }
		});
	});
	view.appendChild(card(t('account.password'), form, 'password'));
}

/* ------------------------------------------------------------------ */
/* start                                                              */

async function start() {
	document.documentElement.lang = getLang();
	onLoggedOut(() => {
		if (state.me) flash = ['error', t('login.expired')];
		loggedOut();
	});
	window.addEventListener('hashchange', render);
	try {
		await startSession();
	} catch (e) {
		state.me = null;
		buildHeader();
		if (!(e instanceof ApiError && e.status === 401)) fail(e);
	}
	render();
}

start();

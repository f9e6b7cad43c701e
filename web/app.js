// app.js — merit's web UI: a single page with hash routes, a client of
// /api only (doc/web-api.md).  No framework and no build step; the DOM is
// built with h() (dom.js), so data is always text, never markup.
//
// This file is the shell: the route table, the header (navigation, period
// picker, language), drawing a route, and the session (login, account,
// logout).  Each screen lives in a screen-*.js module; what they share is in
// state.js, period.js, router.js, messages.js and ui.js.

import { h, clear } from './dom.js';
import { api, setCsrf, onLoggedOut, ApiError } from './api.js';
import { t, getLang, setLang, LANGS } from './i18n.js';
import * as fmt from './format.js';
import { state, isAdmin, positionName } from './state.js';
import { fillPeriods, loadCycles } from './period.js';
import { parseHash, link, go, setRenderer } from './router.js';
import { say, ok, fail, clearMessages, takeFlash, flashNext } from './messages.js';
import { head, card, field, busy, notAllowed } from './ui.js';
import { viewDashboard, viewReports } from './screen-dashboard.js';
import { viewCard } from './screen-card.js';
import { viewRate } from './screen-rate.js';
import { viewEvidence } from './screen-evidence.js';
import { viewData } from './screen-data.js';
import { viewPlan } from './screen-plan.js';
import { viewCycles, viewUsers, viewAudit } from './screen-admin.js';
import { viewStaff, viewOwners, viewProbes, viewInvite } from './screen-setup.js';
import { viewSurveys, viewSurveyAnswer } from './screen-survey.js';
import { viewNotify } from './screen-notify.js';

/* ------------------------------------------------------------------ */
/* routes                                                             */

const routes = {
	login: { render: viewLogin, open: true },
	invite: { render: (view, r) => viewInvite(view, r, joined, logout), open: true },
	s: { render: viewSurveyAnswer, open: true },
	dashboard: { render: viewDashboard, period: true },
	card: { render: viewCard, period: true },
	rate: { render: viewRate, period: true },
	evidence: { render: viewEvidence },
	data: { render: viewData },
	plan: { render: viewPlan },
	cycles: { render: viewCycles, admin: true },
	users: { render: viewUsers, admin: true },
	staff: { render: viewStaff, admin: true },
	owners: { render: viewOwners, admin: true },
	probes: { render: viewProbes, admin: true },
	surveys: { render: viewSurveys, admin: true },
	audit: { render: viewAudit, admin: true },
	notify: { render: viewNotify, admin: true },
	reports: { render: viewReports, period: true },
	account: { render: viewAccount },
};

/* ------------------------------------------------------------------ */
/* shell: header, navigation, period picker, language                 */

function navItems() {
	const me = state.me;
	if (!me) return [];
	const items = [['dashboard', null, 'nav.dashboard']];
	if (me.staff && !me.reviewer) items.push(['card', me.login, 'nav.myCard']); // a reviewer is never scored
	items.push(['rate', null, 'nav.rate']);
	items.push(['evidence', null, 'nav.evidence']);
	items.push(['data', null, 'nav.data']);
	items.push(['plan', null, 'nav.plan']);
	if (me.role === 'admin') {
		items.push(['cycles', null, 'nav.cycles']);
		items.push(['staff', null, 'nav.staff']);
		items.push(['owners', null, 'nav.owners']);
		items.push(['probes', null, 'nav.probes']);
		items.push(['surveys', null, 'nav.surveys']);
		items.push(['users', null, 'nav.users']);
		items.push(['audit', null, 'nav.audit']);
		items.push(['notify', null, 'nav.notify']);
	}
	items.push(['reports', null, 'nav.reports']);
	items.push(['account', null, 'nav.account']);
	return items;
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
	if (routes[r.name] && routes[r.name].open) return render();   // the login, an invitation
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
	const f = takeFlash();
	if (f) say(f[0], f[1]); else clearMessages();

	const route = routes[r.name];
	if (!state.me && !(route && route.open)) {
		const next = location.hash.slice(1);
		return go('login', null, next && next !== '/' ? { next } : {}, true);
	}
	// an invitation opened while logged in is shown (it says to log out), not dropped
	if (state.me && r.name === 'login') return go('dashboard', null, {}, true);
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
			// a cycle opened, closed or released since the page was loaded:
			// the period picker and the default period follow it
			if (route.period) await loadCycles();
			if (my !== seq) return;
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

/** After an invitation was taken: log in with the password just set. */
async function joined(login, password) {
	const res = await api('POST', '/api/login', { json: { login, password } });
	setCsrf(res.csrf);
	await startSession();
	flashNext('ok', t('invite.done'));
	go('dashboard', null, {}, true);
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
	setRenderer(render);
	// an invitation's link, /invite/TOKEN: the app's own route, and the
	// token out of the address bar's path
	const inv = /^\/invite\/([A-Za-z0-9_-]+)$/.exec(location.pathname);
	if (inv) history.replaceState(null, '', `/#/invite/${inv[1]}`);
	// a survey's public link, /s/TOKEN: the same
	const sv = /^\/s\/([A-Za-z0-9_-]+)$/.exec(location.pathname);
	if (sv) history.replaceState(null, '', `/#/s/${sv[1]}`);
	document.documentElement.lang = getLang();
	onLoggedOut(() => {
		if (state.me) flashNext('error', t('login.expired'));
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

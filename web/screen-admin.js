// screen-admin.js — the admin-only screens: review cycles (open, review,
// close after a look at what is not ready, reopen, delete), users and their
// roles, and the audit log.

import { h } from './dom.js';
import { api, qs, ApiError } from './api.js';
import { t, has, getLang } from './i18n.js';
import * as fmt from './format.js';
import { state, ensurePeople } from './state.js';
import { sortedCycles, loadCycles } from './period.js';
import { link, render } from './router.js';
import { say, ok, fail, flashNext } from './messages.js';
import { head, card, empty, stateBadge, table, td, field, button, busy, dialog } from './ui.js';
import { invite } from './screen-setup.js';

/* ------------------------------------------------------------------ */
/* cycles                                                             */

export async function viewCycles(view) {
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
				onclick: ev => closeCycle(c.period, ev.currentTarget),
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
		else
			acts.push(button(t('cycles.remove'), {
				class: 'btn small ghost', 'data-test': `cycle-rm-${c.period}`,
				onclick: async ev => {
					const btn = ev.currentTarget;
					const okd = await dialog({ title: t('cycles.removeTitle', { period: c.period }), text: t('cycles.removeText'), okText: t('cycles.remove'), danger: true });
					if (okd) await cycleAction(c.period, 'rm', null, btn);
				},
			}));
		acts.push(c.released
			? button(t('cycles.withhold'), { class: 'btn small ghost', 'data-test': `cycle-withhold-${c.period}`, onclick: ev => cycleAction(c.period, 'withhold', null, ev.currentTarget) })
			: button(t('cycles.release'), {
				class: 'btn small', 'data-test': `cycle-release-${c.period}`,
				onclick: async ev => {
					const btn = ev.currentTarget;
					const okd = await dialog({ title: t('cycles.releaseTitle', { period: c.period }), text: t('cycles.releaseText', { period: c.period }), okText: t('cycles.release') });
					if (okd) await cycleAction(c.period, 'release', null, btn);
				},
			}));
		return h('tr', { 'data-period': c.period },
			td(h('a', { href: link('dashboard', null, { period: c.period }), text: c.period })),
			td(c.from && c.to ? `${c.from} – ${c.to}` : '–', 'nowrap'),
			td(stateBadge(c.state)),
			td(h('span', { class: c.released ? 'badge ok' : 'badge', 'data-test': `cycle-released-${c.period}`, text: t(c.released ? 'cycles.released' : 'cycles.withheld') })),
			td(fmt.when(c.updated_at), 'nowrap'),
			td(h('span', { class: 'row-actions' }, acts)));
	});
	view.appendChild(card(t('cycles.list'), rows.length
		? table([{ label: t('col.period') }, { label: t('col.dates') }, { label: t('col.state') }, { label: t('col.results') }, { label: t('col.updated') }, { label: '' }], rows, 'cycles')
		: empty(t('cycles.none')), 'cycles', 'wide'));
	view.appendChild(h('p', { class: 'muted', text: t('cycles.help') }));
}

function nextPeriodGuess() {
	return fmt.today().slice(0, 7);
}

const READY_KINDS = ['no_data', 'not_scored', 'rating_owed'];

/** The readiness items, grouped by kind under a heading each. */
function readinessList(items) {
	return h('div', { class: 'readiness', 'data-test': 'readiness' }, READY_KINDS.map(k => {
		const mine = items.filter(x => x.kind === k);
		if (!mine.length) return null;
		return h('section', { 'data-kind': k },
			h('h3', { text: `${t(`ready.${k}`)} (${mine.length})` }),
			h('ul', {}, mine.map(x => h('li', { 'data-login': x.login || '', text: x.text }))));
	}));
}

/** Close: first what stands in the way, then close (anyway, if anything does). */
async function closeCycle(period, btn) {
	let rd;
	try {
		rd = await busy(btn, () => api('GET', `/api/readiness${qs({ period, lang: getLang() })}`));
	} catch (e) { return fail(e); }
	const items = Array.isArray(rd.items) ? rd.items : [];
	const ready = rd.ready === true || !items.length;
	const okd = await dialog({
		title: t('cycles.readinessTitle', { period }),
		text: ready ? t('cycles.ready') : t('cycles.notReady', { n: items.length }),
		body: ready ? null : readinessList(items),
		okText: ready ? t('cycles.close') : t('cycles.closeAnyway'),
		danger: true,
	});
	if (okd) await cycleAction(period, 'close', null, btn, ready ? {} : { force: true });
}

async function cycleAction(period, action, reason, btn, extra) {
	if (!period) return say('error', t('cycles.needPeriod'));
	await busy(btn, async () => {
		const body = Object.assign({ period, action }, extra || {});
		if (reason) body.reason = reason;
		try {
			try {
				await api('POST', '/api/cycles', { json: body });
			} catch (e) {
				// a cycle of another length than the plan's: open it only when confirmed
				if (!(e instanceof ApiError && e.status === 409 && e.body.confirm && action === 'open')) throw e;
				const okd = await dialog({ title: t('cycles.confirmTitle', { period }), text: e.message, okText: t('cycles.confirmOk') });
				if (!okd) return;
				await api('POST', '/api/cycles', { json: Object.assign(body, { confirm: true }) });
			}
			if (action === 'open') state.period = period;
			if (action === 'rm' && state.period === period) { state.period = ''; state.periodFromUrl = false; }
			flashNext('ok', t(`cycles.done.${action}`, { period }));
			await loadCycles();
			render();
		} catch (e) { fail(e); }
	});
}

/* ------------------------------------------------------------------ */
/* users                                                              */

const ROLES = ['admin', 'manager', 'member'];

export async function viewUsers(view) {
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
				flashNext('ok', t('users.added', { login: login.value.trim() }));
				render();
			} catch (e) { fail(e); }
		});
	});
	view.appendChild(card(t('users.addTitle'), form, 'user-add'));
	const ilogin = h('input', { id: 'invite-login', 'data-test': 'invite-login', required: true, autocomplete: 'off', autocapitalize: 'none' });
	const irole = h('select', { id: 'invite-role', 'data-test': 'invite-role' }, ROLES.map(r => h('option', { value: r, selected: r === 'member', text: fmt.role(r) })));
	const isend = h('button', { type: 'submit', class: 'btn primary', id: 'invite-add', 'data-test': 'invite-add', text: t('invite.button') });
	const iform = h('form', { class: 'inline', id: 'invite-form' },
		field(t('col.login'), ilogin, t('users.loginHint')), field(t('col.role'), irole), isend);
	iform.addEventListener('submit', ev => {
		ev.preventDefault();
		invite(ilogin.value.trim(), irole.value, isend);
	});
	view.appendChild(card(t('users.inviteTitle'), [h('p', { class: 'muted', text: t('users.inviteHint') }), iform], 'user-invite'));

	const list = Array.isArray(users) ? users : [];
	const rows = list.map(u => {
		const sel = h('select', { 'aria-label': t('users.roleOf', { login: u.login }), 'data-test': `user-role-${u.login}` },
			ROLES.map(r => h('option', { value: r, selected: r === u.role, text: fmt.role(r) })));
		const save = button(t('users.saveRole'), {
			class: 'btn small', 'data-test': `user-save-${u.login}`,
			onclick: ev => busy(ev.currentTarget, async () => {
				try {
					await api('PUT', `/api/users/${encodeURIComponent(u.login)}`, { json: { role: sel.value } });
					flashNext('ok', t('users.saved', { login: u.login }));
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
		// a disabled user cannot log in and their sessions end; one whose
		// staff record has ended cannot log in either (shown, not a switch)
		const self = state.me && state.me.login === u.login;
		const toggle = self ? null : button(t(u.disabled ? 'users.enable' : 'users.disable'), {
			class: 'btn small', 'data-test': `user-${u.disabled ? 'enable' : 'disable'}-${u.login}`,
			onclick: ev => busy(ev.currentTarget, async () => {
				try {
					await api('PUT', `/api/users/${encodeURIComponent(u.login)}`, { json: { disabled: !u.disabled } });
					flashNext('ok', t(u.disabled ? 'users.enabledOk' : 'users.disabledOk', { login: u.login }));
					render();
				} catch (e) { fail(e); }
			}),
		});
		const access = h('span', { class: 'row-actions' },
			h('span', { 'data-test': `user-access-${u.login}`, text: t(u.disabled ? 'users.disabled' : u.left ? 'users.left' : 'users.active') }),
			toggle);
		return h('tr', { 'data-user': u.login },
			td([h('span', { class: 'strong', text: u.name || u.login }), h('span', { class: 'login', text: u.login })]),
			td(h('span', { class: 'row-actions' }, sel, save)),
			td(u.last_login ? fmt.when(u.last_login) : t('users.never'), 'nowrap'),
			td(h('span', { class: 'row-actions' }, npw, setpw)),
			td(access));
	});
	view.appendChild(card(t('users.list'), rows.length
		? table([{ label: t('col.name') }, { label: t('col.role') }, { label: t('users.lastLogin') }, { label: t('login.password') }, { label: t('users.access') }], rows, 'users')
		: empty(t('users.none')), 'users', 'wide'));
	view.appendChild(h('p', { class: 'muted', text: t('users.help') }));
}

/* ------------------------------------------------------------------ */
/* audit                                                              */

const AUDIT_PAGE = 50;
/* The kinds of change the filter offers; one ending in a space takes
 * every action it begins (all cycle moves, all imports). */
const AUDIT_ACTIONS = ['cycle ', 'import', 'batch rm', 'rate', 'calibrate', 'acknowledge', 'peers', 'plan', 'user ', 'staff ', 'own', 'evidence ', 'source ', 'probe '];

/** An action in the reader's words, when the catalogue has it. */
function actionName(a) {
	const key = `audit.act.${String(a || '').replace(/ /g, '_')}`;
	return has(key) ? t(key) : a;
}

/** A value of the audit log: long ones (a whole plan) folded. */
function longText(v) {
	if (v.length <= 160) return h('code', { class: 'json', text: v });
	return h('details', { class: 'fold' },
		h('summary', {}, h('code', { class: 'json', text: `${v.slice(0, 100).replace(/\s+/g, ' ')}…` })),
		h('code', { class: 'json full', text: v }));
}

/** A login with the person's name, when the staff list has them. */
function named(login, people) {
	const p = people.find(x => x.login === login);
	return p && p.name && p.name !== login ? `${p.name} (${login})` : login;
}

export async function viewAudit(view, r) {
	const before = r.q.get('before') || '';
	const filter = { who: r.q.get('who') || '', action: r.q.get('action') || '', from: r.q.get('from') || '', to: r.q.get('to') || '' };
	const [list, people] = await Promise.all([api('GET', `/api/audit${qs(Object.assign({ limit: AUDIT_PAGE, before }, filter))}`), ensurePeople().catch(() => [])]);
	const items = Array.isArray(list) ? list : [];
	head(view, t('audit.title'));
	// the filters go in the address, so a filtered view can be shared and paged
	const who = h('input', { id: 'audit-who', 'data-test': 'audit-who', value: filter.who, autocomplete: 'off', autocapitalize: 'none', list: 'audit-people' });
	const people_ = h('datalist', { id: 'audit-people' }, people.map(p => h('option', { value: p.login, text: p.name || p.login })));
	const action = h('select', { id: 'audit-action', 'data-test': 'audit-action' },
		h('option', { value: '', text: t('audit.anyAction') }),
		AUDIT_ACTIONS.map(a => h('option', { value: a, selected: a === filter.action, text: t(`audit.act.${a.trim().replace(/ /g, '_')}`) })));
	const from = h('input', { type: 'date', id: 'audit-from', 'data-test': 'audit-from', value: filter.from });
	const to = h('input', { type: 'date', id: 'audit-to', 'data-test': 'audit-to', value: filter.to });
	const go = h('button', { type: 'submit', class: 'btn', id: 'audit-filter', 'data-test': 'audit-filter', text: t('audit.filter') });
	const form = h('form', { class: 'inline filters', id: 'audit-form' },
		field(t('col.who'), [who, people_]), field(t('col.action'), action), field(t('audit.from'), from), field(t('audit.to'), to), go);
	form.addEventListener('submit', ev => {
		ev.preventDefault();
		location.hash = link('audit', null, { who: who.value.trim(), action: action.value, from: from.value, to: to.value });
	});
	view.appendChild(form);
	const show = v => {
		if (v === null || v === undefined || v === '') return '';
		if (typeof v === 'string') return v;
		return JSON.stringify(v);
	};
	// who did what to whom: "Boss Wang (boss) · cycle release · 2026-11"
	const rows = items.map(a => h('tr', { 'data-audit': String(a.id) },
		td(String(a.id), 'num'),
		td(fmt.when(a.at), 'nowrap'),
		td(h('span', { 'data-test': `audit-said-${a.id}`, class: 'said' },
			h('span', { class: 'strong', text: named(a.who || '–', people) }), ' ',
			h('span', { text: actionName(a.action) }), ' ',
			h('span', { class: 'strong', text: named(a.object || '', people) }))),
		td(longText(show(a.before))),
		td(longText(show(a.after)))));
	view.appendChild(card(null, items.length
		? table([{ label: '#', cls: 'num' }, { label: t('col.when') }, { label: t('audit.what') },
			{ label: t('col.before') }, { label: t('col.after') }], rows, 'audit')
		: empty(t('audit.none')), 'audit', 'wide'));
	const last = items.length ? items[items.length - 1].id : null;
	view.appendChild(h('div', { class: 'pager' },
		before ? h('a', { class: 'btn ghost', href: link('audit', null, filter), id: 'audit-newest', 'data-test': 'audit-newest', text: t('audit.newest') }) : null,
		items.length === AUDIT_PAGE && last !== null
			? h('a', { class: 'btn', href: link('audit', null, Object.assign({ before: last }, filter)), id: 'audit-older', 'data-test': 'audit-older', text: t('audit.older') }) : null));
}

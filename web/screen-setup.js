// screen-setup.js — the admin's set-up screens: the staff list (add, edit,
// leave date, manager, reviewer, base bonus, a user for a person by an
// invitation link), the ownership rules with the names the last imports
// could not attribute offered as one-click assignments, uptime probes and
// saved sources, and the page an invitation link opens (no session: the
// invitee sets their password).

import { h } from './dom.js';
import { api } from './api.js';
import { t } from './i18n.js';
import * as fmt from './format.js';
import { state, ensurePlan, positionName } from './state.js';
import { render } from './router.js';
import { say, fail, flashNext } from './messages.js';
import { head, card, empty, table, pagedTable, td, field, button, busy, dialog, picker } from './ui.js';

const ROLES = ['admin', 'manager', 'member'];

/** Cents as the amount a form field takes ("4500.00"), '' for none. */
const amount = c => (c === null || c === undefined ? '' : (c / 100).toFixed(2));

/** Make an invitation link for login and show it to copy. */
export async function invite(login, role, btn) {
	await busy(btn, async () => {
		try {
			const r = await api('POST', '/api/invites', { json: { login, role } });
			const url = `${location.origin}${r.link}`;
			const box = h('input', { id: 'invite-link', 'data-test': 'invite-link', readonly: true, value: url, class: 'invite-link', 'aria-label': t('invite.link') });
			setTimeout(() => box.select(), 0);
			await dialog({ title: t('invite.made', { login }), text: t('invite.send'), body: field(t('invite.link'), box), okText: t('common.ok') });
			flashNext('ok', t('invite.made', { login }));
			render();
		} catch (e) { fail(e); }
	});
}

/* ------------------------------------------------------------------ */
/* staff                                                              */

export async function viewStaff(view) {
	const [list, plan] = await Promise.all([api('GET', '/api/staff'), ensurePlan()]);
	const people = Array.isArray(list) ? list : [];
	head(view, t('staff.title'));
	const positions = (plan && plan.positions) || [];
	let editing = null;   // the login being edited, or null: adding

	const login = h('input', { id: 'staff-login', 'data-test': 'staff-login', required: true, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
	const name = h('input', { id: 'staff-name', 'data-test': 'staff-name', required: true, autocomplete: 'off' });
	const pos = h('select', { id: 'staff-position', 'data-test': 'staff-position' },
		positions.map(p => h('option', { value: p.key, text: positionName(p.key) })),
		h('option', { value: '', text: t('staff.reviewer') }));
	const mgr = h('select', { id: 'staff-manager', 'data-test': 'staff-manager' },
		h('option', { value: '', text: t('staff.noManager') }),
		people.map(p => h('option', { value: p.login, text: `${p.name} (${p.login})` })));
	const mgrPick = picker(mgr, t('staff.manager'));
	const from = h('input', { id: 'staff-from', 'data-test': 'staff-from', type: 'date' });
	const to = h('input', { id: 'staff-to', 'data-test': 'staff-to', type: 'date' });
	const bonus = h('input', { id: 'staff-bonus', 'data-test': 'staff-bonus', inputmode: 'decimal', placeholder: '4500.00', autocomplete: 'off' });
	const save = h('button', { type: 'submit', class: 'btn primary', id: 'staff-save', 'data-test': 'staff-save', text: t('staff.add') });
	const cancel = button(t('common.cancel'), { class: 'btn ghost', hidden: true, 'data-test': 'staff-cancel', onclick: () => render() });
	const title = h('h2', { text: t('staff.addTitle') });
	const form = h('form', { class: 'inline', id: 'staff-form', 'data-test': 'staff-form' },
		field(t('col.login'), login, t('staff.loginHint')), field(t('col.name'), name),
		field(t('col.position'), pos, t('staff.positionHint')), field(t('staff.manager'), mgrPick),
		field(t('staff.from'), from), field(t('staff.to'), to, t('staff.toHint')),
		field(t('staff.bonus'), bonus, t('staff.bonusHint')),
		h('div', { class: 'actions' }, save, cancel));
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const body = { name: name.value.trim(), manager: mgr.value || null, from: from.value || null, to: to.value || null, base_bonus: bonus.value.trim() || null };
		if (pos.value) body.position = pos.value; else body.reviewer = true;
		if (body.reviewer && body.base_bonus === null && editing) delete body.base_bonus;
		await busy(save, async () => {
			try {
				const r = editing
					? await api('PUT', `/api/staff/${encodeURIComponent(editing)}`, { json: body })
					: await api('POST', '/api/staff', { json: Object.assign({ login: login.value.trim() }, body) });
				state.people = null;
				flashNext('ok', t(editing ? 'staff.saved' : 'staff.added', { login: r.login }) + (r.note ? ` ${t('staff.bonusDropped')}` : ''));
				render();
			} catch (e) { fail(e); }
		});
	});
	const edit = p => {
		editing = p.login;
		login.value = p.login;
		login.readOnly = true;
		name.value = p.name;
		pos.value = p.reviewer ? '' : (p.position || '');
		mgrPick.firstChild.value = '';
		mgrPick.firstChild.dispatchEvent(new Event('input'));
		mgr.value = p.manager || '';
		from.value = p.from || '';
		to.value = p.to || '';
		bonus.value = amount(p.base_bonus_cents);
		title.textContent = t('staff.editTitle', { login: p.login });
		save.textContent = t('staff.save');
		cancel.hidden = false;
		name.focus();
		form.scrollIntoView({ block: 'nearest' });
	};
	view.appendChild(h('section', { class: 'card', 'data-test': 'card-staff-form' }, title, form));

	const staffRow = p => h('tr', { 'data-login': p.login },
		td(h('span', { class: 'strong', text: p.login })),
		td(p.name),
		td(p.reviewer ? t('staff.reviewer') : positionName(p.position)),
		td(p.manager || '–'),
		td(p.from || p.to ? `${p.from || '…'} – ${p.to || '…'}` : '–', 'nowrap'),
		td(p.base_bonus_cents === null ? '–' : fmt.money(p.base_bonus_cents), 'num'),
		td(p.user
			? h('span', { 'data-test': `staff-user-${p.login}`, text: `${fmt.role(p.user.role)}${p.user.disabled ? ` · ${t('users.disabled')}` : ''}` })
			: inviteControl(p.login)),
		td(button(t('staff.edit'), { class: 'btn small', 'data-test': `staff-edit-${p.login}`, onclick: () => edit(p) })));
	view.appendChild(importCard(positions));
	view.appendChild(card(t('staff.list'), people.length
		? pagedTable([{ label: t('col.login') }, { label: t('col.name') }, { label: t('col.position') }, { label: t('staff.manager') },
			{ label: t('staff.dates') }, { label: t('staff.bonus'), cls: 'num' }, { label: t('staff.user') }, { label: '' }], people, {
			row: staffRow, test: 'staff', text: p => `${p.login} ${p.name} ${p.manager || ''}`,
			filters: [{ key: 'position', label: t('col.position'), any: t('list.anyPosition'),
				options: positions.map(x => ({ value: x.key, text: positionName(x.key) })), match: (p, v) => p.position === v && !p.reviewer }],
		})
		: empty(t('staff.none')), 'staff', 'wide'));
	view.appendChild(h('p', { class: 'muted', text: t('staff.help') }));
}

/** The staff list from a WeCom member file: the file, the position of
    each job title, and of any other. */
function importCard(positions) {
	const file = h('input', { id: 'staff-file', 'data-test': 'staff-file', type: 'file', accept: '.csv,.xlsx,.xls,text/csv', required: true });
	const titles = h('input', { id: 'staff-titles', 'data-test': 'staff-titles', autocomplete: 'off', placeholder: '推广专员=promoter,运营经理=manager' });
	const def = h('select', { id: 'staff-default', 'data-test': 'staff-default' }, h('option', { value: '', text: t('staff.noDefault') }),
		positions.map(p => h('option', { value: p.key, text: positionName(p.key) })));
	const go = h('button', { type: 'submit', class: 'btn primary', id: 'staff-import', 'data-test': 'staff-import', text: t('staff.import') });
	const form = h('form', { class: 'inline', id: 'staff-import-form' }, field(t('staff.file'), file, t('staff.fileHint')),
		field(t('staff.titles'), titles, t('staff.titlesHint')), field(t('staff.default'), def), go);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const f = file.files && file.files[0];
		if (!f) return say('error', t('staff.needFile'));
		const q = new URLSearchParams({ file: f.name });
		if (titles.value.trim()) q.set('titles', titles.value.trim());
		if (def.value) q.set('position', def.value);
		await busy(go, async () => {
			try {
				const r = await api('POST', `/api/staff/import?${q}`, { body: f, type: f.type || 'application/octet-stream' });
				state.people = null;
				flashNext('ok', t('staff.imported', { added: r.added, changed: r.changed, skipped: r.skipped }));
				render();
			} catch (e) { fail(e); }
		});
	});
	return card(t('staff.importTitle'), [h('p', { class: 'muted', text: t('staff.importHelp') }), form], 'staff-import');
}

/** For a person with no user: a role and "Invite". */
function inviteControl(login) {
	const role = h('select', { 'aria-label': t('users.roleOf', { login }), 'data-test': `staff-invite-role-${login}` },
		ROLES.map(r => h('option', { value: r, selected: r === 'member', text: fmt.role(r) })));
	return h('span', { class: 'row-actions' }, role,
		button(t('invite.button'), { class: 'btn small', 'data-test': `staff-invite-${login}`, onclick: ev => invite(login, role.value, ev.currentTarget) }));
}

/* ------------------------------------------------------------------ */
/* ownership rules                                                    */

const KINDS = ['channel', 'campaign', 'referrer', 'url', 'author', 'keyword', 'site', 'tracker'];

function personSelect(people, attrs) {
	return h('select', attrs, h('option', { value: '', text: t('owners.choose') }),
		people.filter(p => !p.reviewer).map(p => h('option', { value: p.login, text: `${p.name} (${p.login})` })));
}

async function assign(kind, value, login, btn) {
	if (!login) return say('error', t('owners.needPerson'));
	await busy(btn, async () => {
		try {
			await api('POST', '/api/ownership', { json: { kind, value, login } });
			flashNext('ok', t('owners.added', { kind: t(`own.${kind}`), value, login }));
			render();
		} catch (e) { fail(e); }
	});
}

export async function viewOwners(view) {
	const [rules, loose, staff] = await Promise.all([api('GET', '/api/ownership'), api('GET', '/api/ownership/unassigned'), api('GET', '/api/staff')]);
	const people = Array.isArray(staff) ? staff : [];
	head(view, t('owners.title'));

	const unassigned = Array.isArray(loose) ? loose : [];
	const urows = unassigned.map((u, i) => {
		const who = personSelect(people, { 'aria-label': t('owners.ownerOf', { value: u.value }), 'data-test': `unassigned-who-${i}` });
		return h('tr', { 'data-kind': u.kind, 'data-value': u.value },
			td(t(`own.${u.kind}`)), td(h('span', { class: 'strong', text: u.value })), td(String(u.rows), 'num'),
			td(h('span', { class: 'row-actions' }, who,
				button(t('owners.assign'), { class: 'btn small primary', 'data-test': `unassigned-assign-${i}`, onclick: ev => assign(u.kind, u.value, who.value, ev.currentTarget) }))));
	});
	view.appendChild(card(t('owners.unassigned'), urows.length
		? [h('p', { class: 'muted', text: t('owners.unassignedHelp') }),
			table([{ label: t('col.kind') }, { label: t('owners.value') }, { label: t('col.rows'), cls: 'num' }, { label: t('owners.owner') }], urows, 'unassigned')]
		: empty(t('owners.allAssigned')), 'unassigned', 'wide'));

	const kind = h('select', { id: 'own-kind', 'data-test': 'own-kind' }, KINDS.map(k => h('option', { value: k, text: t(`own.${k}`) })));
	const value = h('input', { id: 'own-value', 'data-test': 'own-value', required: true, autocomplete: 'off' });
	const who = personSelect(people, { id: 'own-login', 'data-test': 'own-login', required: true });
	const add = h('button', { type: 'submit', class: 'btn primary', id: 'own-add', 'data-test': 'own-add', text: t('owners.add') });
	const form = h('form', { class: 'inline', id: 'own-form' }, field(t('col.kind'), kind), field(t('owners.value'), value, t('owners.valueHint')), field(t('owners.owner'), picker(who, t('owners.owner'))), add);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		await assign(kind.value, value.value.trim(), who.value, add);
	});
	view.appendChild(card(t('owners.addTitle'), form, 'own-add'));

	const list = Array.isArray(rules) ? rules : [];
	const rows = list.map(r => h('tr', { 'data-kind': r.kind, 'data-value': r.value },
		td(t(`own.${r.kind}`)), td(h('span', { class: 'strong', text: r.value })), td(r.login),
		td(button(t('owners.remove'), {
			class: 'btn small ghost', 'data-test': `own-rm-${r.kind}-${r.value}`,
			onclick: async ev => {
				const btn = ev.currentTarget;
				const okd = await dialog({ title: t('owners.removeTitle', { value: r.value }), text: t('owners.removeText'), okText: t('owners.remove'), danger: true });
				if (okd) await removeThen(btn, `/api/ownership?kind=${encodeURIComponent(r.kind)}&value=${encodeURIComponent(r.value)}`, t('owners.removed', { value: r.value }));
			},
		}))));
	view.appendChild(card(t('owners.list'), rows.length
		? table([{ label: t('col.kind') }, { label: t('owners.value') }, { label: t('owners.owner') }, { label: '' }], rows, 'owners')
		: empty(t('owners.none')), 'owners', 'wide'));
	view.appendChild(h('p', { class: 'muted', text: t('owners.help') }));
}

/* ------------------------------------------------------------------ */
/* the invitation's page                                              */

/** #/invite/TOKEN: whose invitation, and a password to set; opened while
    someone is logged in, whose it is and a way to log out first. */
export async function viewInvite(view, r, onJoined, onLogout) {
	view.dataset.title = t('invite.title');
	const token = r.arg;
	let who;
	try {
		who = await api('GET', `/api/invite/${encodeURIComponent(token)}`);
	} catch (e) {
		view.appendChild(h('div', { class: 'login-wrap' }, h('div', { class: 'login-form', 'data-test': 'invite-invalid' },
			h('h1', { text: t('invite.title') }), h('p', { text: t('invite.invalid') }))));
		return;
	}
	if (state.me) {
		view.appendChild(h('div', { class: 'login-wrap' }, h('div', { class: 'login-form', 'data-test': 'invite-logged-in' },
			h('h1', { text: t('invite.title') }), h('p', { text: t('invite.loggedIn', { me: state.me.login, login: who.login }) }),
			button(t('nav.logout'), { class: 'btn primary', id: 'invite-logout', 'data-test': 'invite-logout', onclick: onLogout }))));
		return;
	}
	const pw = h('input', { id: 'invite-pw', 'data-test': 'invite-pw', type: 'password', autocomplete: 'new-password', minlength: 8, required: true });
	const pw2 = h('input', { id: 'invite-pw2', 'data-test': 'invite-pw2', type: 'password', autocomplete: 'new-password', minlength: 8, required: true });
	const submit = h('button', { type: 'submit', class: 'btn primary', id: 'invite-submit', 'data-test': 'invite-submit', text: t('invite.submit') });
	const form = h('form', { class: 'login-form', id: 'invite-form', 'data-test': 'invite-form' },
		h('h1', { text: t('invite.title') }),
		h('p', { class: 'muted', text: t('invite.intro', { login: who.login, role: fmt.role(who.role) }) }),
		field(t('account.new'), pw, t('users.pwHint')), field(t('invite.again'), pw2), submit);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		if (pw.value !== pw2.value) return say('error', t('invite.mismatch'));
		await busy(submit, async () => {
			try {
				await api('POST', `/api/invite/${encodeURIComponent(token)}`, { json: { password: pw.value } });
				await onJoined(who.login, pw.value);
			} catch (e) { fail(e); }
		});
	});
	view.appendChild(h('div', { class: 'login-wrap' }, form));
}

/* ------------------------------------------------------------------ */
/* uptime probes and saved sources                                    */

const IMPORT_KINDS = ['orders', 'tasks', 'ranks', 'leads', 'content', 'posts', 'members', 'uptime', 'index', 'measurements'];

export async function viewProbes(view) {
	const [probes, sources, staff] = await Promise.all([api('GET', '/api/probes'), api('GET', '/api/sources'), api('GET', '/api/staff')]);
	const people = Array.isArray(staff) ? staff : [];
	head(view, t('probes.title'));

	const url = h('input', { id: 'probe-url', 'data-test': 'probe-url', required: true, type: 'text', inputmode: 'url', placeholder: 'https://shop.example.com/', autocomplete: 'off' });
	const who = personSelect(people, { id: 'probe-login', 'data-test': 'probe-login' });
	who.firstChild.textContent = t('probes.bySite');
	const every = h('input', { id: 'probe-every', 'data-test': 'probe-every', placeholder: '1m', autocomplete: 'off' });
	const timeout = h('input', { id: 'probe-timeout', 'data-test': 'probe-timeout', placeholder: '10s', autocomplete: 'off' });
	const add = h('button', { type: 'submit', class: 'btn primary', id: 'probe-add', 'data-test': 'probe-add', text: t('probes.add') });
	const form = h('form', { class: 'inline', id: 'probe-form' }, field(t('probes.url'), url, t('probes.urlHint')), field(t('owners.owner'), who),
		field(t('probes.every'), every, t('probes.everyHint')), field(t('probes.timeout'), timeout), add);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const body = { url: url.value.trim(), login: who.value || null };
		if (every.value.trim()) body.every = every.value.trim();
		if (timeout.value.trim()) body.timeout = timeout.value.trim();
		await busy(add, async () => {
			try {
				const r = await api('POST', '/api/probes', { json: body });
				flashNext('ok', t('probes.added', { id: r.id, url: r.url, login: r.login }));
				render();
			} catch (e) { fail(e); }
		});
	});
	view.appendChild(card(t('probes.addTitle'), form, 'probe-add'));

	const plist = Array.isArray(probes) ? probes : [];
	const prows = plist.map(p => h('tr', { 'data-probe': String(p.id) },
		td(String(p.id), 'num'), td(h('span', { class: 'strong', text: p.url })), td(p.login),
		td(`${p.every} / ${p.timeout}`, 'nowrap'),
		td(p.last_check ? `${t(p.last_check.up ? 'probes.up' : 'probes.down')} · ${fmt.when(p.last_check.at)}` : '–'),
		td(p.uptime === null ? '–' : `${fmt.num(p.uptime)}% (${p.up}/${p.checks})`, 'num'),
		td(button(t('owners.remove'), {
			class: 'btn small ghost', 'data-test': `probe-rm-${p.id}`,
			onclick: async ev => {
				const btn = ev.currentTarget;
				const okd = await dialog({ title: t('probes.removeTitle', { url: p.url }), text: t('probes.removeText'), okText: t('owners.remove'), danger: true });
				if (okd) await removeThen(btn, `/api/probes/${p.id}`, t('probes.removed', { url: p.url }));
			},
		}))));
	view.appendChild(card(t('probes.list'), prows.length
		? table([{ label: '#', cls: 'num' }, { label: t('probes.url') }, { label: t('owners.owner') }, { label: t('probes.schedule') },
			{ label: t('probes.last') }, { label: t('probes.uptime'), cls: 'num' }, { label: '' }], prows, 'probes')
		: empty(t('probes.none')), 'probes', 'wide'));

	const name = h('input', { id: 'source-name', 'data-test': 'source-name', required: true, autocomplete: 'off' });
	const kind = h('select', { id: 'source-kind', 'data-test': 'source-kind' }, IMPORT_KINDS.map(k => h('option', { value: k, text: k })));
	const preset = h('input', { id: 'source-preset', 'data-test': 'source-preset', autocomplete: 'off', placeholder: 'taobao' });
	const map = h('input', { id: 'source-map', 'data-test': 'source-map', autocomplete: 'off', placeholder: '金额=amount' });
	const order = h('select', { id: 'source-order', 'data-test': 'source-order' },
		h('option', { value: '', text: t('sources.orderAuto') }), h('option', { value: 'dmy', text: t('sources.dmy') }), h('option', { value: 'mdy', text: t('sources.mdy') }));
	const save = h('button', { type: 'submit', class: 'btn primary', id: 'source-add', 'data-test': 'source-add', text: t('sources.add') });
	const sform = h('form', { class: 'inline', id: 'source-form' }, field(t('sources.name'), name), field(t('col.kind'), kind),
		field(t('sources.preset'), preset, t('sources.presetHint')), field(t('sources.map'), map, t('sources.mapHint')), field(t('sources.order'), order), save);
	sform.addEventListener('submit', async ev => {
		ev.preventDefault();
		await busy(save, async () => {
			try {
				const r = await api('POST', '/api/sources', { json: { name: name.value.trim(), kind: kind.value, preset: preset.value.trim() || null, map: map.value.trim() || null, date_order: order.value || null } });
				flashNext('ok', t('sources.added', { name: r.name }));
				render();
			} catch (e) { fail(e); }
		});
	});
	view.appendChild(card(t('sources.addTitle'), sform, 'source-add'));
	const slist = Array.isArray(sources) ? sources : [];
	const srows = slist.map(s => h('tr', { 'data-source': s.name },
		td(h('span', { class: 'strong', text: s.name })), td(s.about),
		td(button(t('owners.remove'), {
			class: 'btn small ghost', 'data-test': `source-rm-${s.name}`,
			onclick: async ev => {
				const btn = ev.currentTarget;
				const okd = await dialog({ title: t('sources.removeTitle', { name: s.name }), text: t('sources.removeText'), okText: t('owners.remove'), danger: true });
				if (okd) await removeThen(btn, `/api/sources/${encodeURIComponent(s.name)}`, t('sources.removed', { name: s.name }));
			},
		}))));
	view.appendChild(card(t('sources.list'), srows.length
		? table([{ label: t('sources.name') }, { label: t('sources.about') }, { label: '' }], srows, 'sources')
		: empty(t('sources.none')), 'sources', 'wide'));
}

async function removeThen(btn, path, done) {
	await busy(btn, async () => {
		try {
			await api('DELETE', path);
			flashNext('ok', done);
			render();
		} catch (e) { fail(e); }
	});
}

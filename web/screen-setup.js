// screen-setup.js — the admin's set-up screens: the staff list (add, edit,
// leave date, manager, reviewer, base bonus, a user for a person by an
// invitation link), the ownership rules with the names the last imports
// could not attribute offered as one-click assignments, and the page an
// invitation link opens (no session: the invitee sets their password).

import { h } from './dom.js';
import { api } from './api.js';
import { t } from './i18n.js';
import * as fmt from './format.js';
import { state, ensurePlan, positionName } from './state.js';
import { render } from './router.js';
import { say, fail, flashNext } from './messages.js';
import { head, card, empty, table, td, field, button, busy, dialog } from './ui.js';

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
	const from = h('input', { id: 'staff-from', 'data-test': 'staff-from', type: 'date' });
	const to = h('input', { id: 'staff-to', 'data-test': 'staff-to', type: 'date' });
	const bonus = h('input', { id: 'staff-bonus', 'data-test': 'staff-bonus', inputmode: 'decimal', placeholder: '4500.00', autocomplete: 'off' });
	const save = h('button', { type: 'submit', class: 'btn primary', id: 'staff-save', 'data-test': 'staff-save', text: t('staff.add') });
	const cancel = button(t('common.cancel'), { class: 'btn ghost', hidden: true, 'data-test': 'staff-cancel', onclick: () => render() });
	const title = h('h2', { text: t('staff.addTitle') });
	const form = h('form', { class: 'inline', id: 'staff-form', 'data-test': 'staff-form' },
		field(t('col.login'), login, t('staff.loginHint')), field(t('col.name'), name),
		field(t('col.position'), pos, t('staff.positionHint')), field(t('staff.manager'), mgr),
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

	const rows = people.map(p => h('tr', { 'data-login': p.login },
		td(h('span', { class: 'strong', text: p.login })),
		td(p.name),
		td(p.reviewer ? t('staff.reviewer') : positionName(p.position)),
		td(p.manager || '–'),
		td(p.from || p.to ? `${p.from || '…'} – ${p.to || '…'}` : '–', 'nowrap'),
		td(p.base_bonus_cents === null ? '–' : fmt.money(p.base_bonus_cents), 'num'),
		td(p.user
			? h('span', { 'data-test': `staff-user-${p.login}`, text: `${fmt.role(p.user.role)}${p.user.disabled ? ` · ${t('users.disabled')}` : ''}` })
			: inviteControl(p.login)),
		td(button(t('staff.edit'), { class: 'btn small', 'data-test': `staff-edit-${p.login}`, onclick: () => edit(p) }))));
	view.appendChild(card(t('staff.list'), rows.length
		? table([{ label: t('col.login') }, { label: t('col.name') }, { label: t('col.position') }, { label: t('staff.manager') },
			{ label: t('staff.dates') }, { label: t('staff.bonus'), cls: 'num' }, { label: t('staff.user') }, { label: '' }], rows, 'staff')
		: empty(t('staff.none')), 'staff', 'wide'));
	view.appendChild(h('p', { class: 'muted', text: t('staff.help') }));
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
	const form = h('form', { class: 'inline', id: 'own-form' }, field(t('col.kind'), kind), field(t('owners.value'), value, t('owners.valueHint')), field(t('owners.owner'), who), add);
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
				if (!okd) return;
				await busy(btn, async () => {
					try {
						await api('DELETE', `/api/ownership?kind=${encodeURIComponent(r.kind)}&value=${encodeURIComponent(r.value)}`);
						flashNext('ok', t('owners.removed', { value: r.value }));
						render();
					} catch (e) { fail(e); }
				});
			},
		}))));
	view.appendChild(card(t('owners.list'), rows.length
		? table([{ label: t('col.kind') }, { label: t('owners.value') }, { label: t('owners.owner') }, { label: '' }], rows, 'owners')
		: empty(t('owners.none')), 'owners', 'wide'));
	view.appendChild(h('p', { class: 'muted', text: t('owners.help') }));
}

/* ------------------------------------------------------------------ */
/* the invitation's page                                              */

/** #/invite/TOKEN: whose invitation, and a password to set. */
export async function viewInvite(view, r, onJoined) {
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

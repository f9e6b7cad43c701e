// screen-notify.js — the notices' setup (admin): where they go (e-mail,
// WeCom, DingTalk, Feishu), the settings they need, a test notice.  The
// same engine as `merit notify`; the server's own thread sends them.

import { h } from './dom.js';
import { api } from './api.js';
import { t, LANGS } from './i18n.js';
import { render } from './router.js';
import { ok, fail, flashNext } from './messages.js';
import { head, card, empty, table, td, field, button, busy, dialog } from './ui.js';

const KINDS = ['email', 'wecom', 'dingtalk', 'feishu'];
const SETTINGS = ['base_url', 'smtp_url', 'smtp_from', 'smtp_user', 'smtp_cafile',
	'review_days', 'stale_days', 'evidence_days', 'retry_seconds', 'attempts'];

const langName = code => (LANGS.find(([c]) => c === code) || [code, code])[1];
const kindName = k => t(`notify.kind.${k}`);

function channelRow(c) {
	const test = button(t('notify.test'), {
		class: 'btn small', 'data-test': `notify-test-${c.id}`,
		onclick: ev => busy(ev.currentTarget, async () => {
			try {
				await api('POST', `/api/notify/test/${c.id}`);
				ok(t('notify.tested', { target: c.target }));
			} catch (e) { fail(e); }
		}),
	});
	const rm = button(t('notify.remove'), {
		class: 'btn small danger', 'data-test': `notify-rm-${c.id}`,
		onclick: ev => busy(ev.currentTarget, async () => {
			const yes = await dialog({ title: t('notify.removeTitle'), text: c.target, okText: t('notify.remove'), danger: true });
			if (!yes) return;
			try {
				await api('DELETE', `/api/notify/${c.id}`);
				flashNext('ok', t('notify.removed', { target: c.target }));
				render();
			} catch (e) { fail(e); }
		}),
	});
	return h('tr', { 'data-channel': String(c.id) },
		td(kindName(c.kind)),
		td(h('span', { class: 'url', text: c.target })),
		td(c.who || t('notify.team')),
		td(c.lang ? langName(c.lang) : t('notify.planLang')),
		td(c.secret ? t('notify.signed') : '–'),
		td(h('span', { class: 'row-actions' }, test, rm)));
}

function addForm() {
	const kind = h('select', { id: 'notify-kind', 'data-test': 'notify-kind' }, KINDS.map(k => h('option', { value: k, text: kindName(k) })));
	const target = h('input', { id: 'notify-target', 'data-test': 'notify-target', required: true, autocomplete: 'off', autocapitalize: 'none' });
	const secret = h('input', { id: 'notify-secret', 'data-test': 'notify-secret', type: 'password', autocomplete: 'off' });
	const who = h('input', { id: 'notify-who', 'data-test': 'notify-who', autocomplete: 'off', autocapitalize: 'none' });
	const lang = h('select', { id: 'notify-lang', 'data-test': 'notify-lang' },
		h('option', { value: '', text: t('notify.planLang') }),
		LANGS.map(([v, name]) => h('option', { value: v, text: name })));
	const add = h('button', { type: 'submit', class: 'btn primary', id: 'notify-add', 'data-test': 'notify-add', text: t('notify.add') });
	const form = h('form', { class: 'inline', id: 'notify-form' },
		field(t('col.kind'), kind), field(t('notify.target'), target, t('notify.targetHint')),
		field(t('notify.secret'), secret, t('notify.secretHint')), field(t('notify.who'), who, t('notify.whoHint')),
		field(t('notify.lang'), lang), add);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		await busy(add, async () => {
			try {
				await api('POST', '/api/notify', { json: {
					kind: kind.value, target: target.value.trim(), secret: secret.value || null,
					who: who.value.trim() || null, lang: lang.value || null } });
				flashNext('ok', t('notify.added', { target: target.value.trim() }));
				render();
			} catch (e) { fail(e); }
		});
	});
	return form;
}

function settingsForm(settings) {
	const inputs = {};
	const fields = SETTINGS.map(k => {
		inputs[k] = h('input', { id: `notify-set-${k}`, 'data-test': `notify-set-${k}`, value: settings[k] || '', autocomplete: 'off', autocapitalize: 'none' });
		return field(k, inputs[k], t(`notify.set.${k}`));
	});
	const save = h('button', { type: 'submit', class: 'btn primary', id: 'notify-save', 'data-test': 'notify-save', text: t('notify.save') });
	const form = h('form', { class: 'stack', id: 'notify-settings' }, fields, save);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const changed = {};
		for (const k of SETTINGS) {
			const v = inputs[k].value.trim();
			if (v !== (settings[k] || '')) changed[k] = v || null;
		}
		await busy(save, async () => {
			try {
				await api('PUT', '/api/notify', { json: { settings: changed } });
				flashNext('ok', t('notify.saved'));
				render();
			} catch (e) { fail(e); }
		});
	});
	return form;
}

export async function viewNotify(view) {
	const d = await api('GET', '/api/notify');
	head(view, t('notify.title'));
	const list = Array.isArray(d.channels) ? d.channels : [];
	view.appendChild(card(t('notify.channels'), list.length
		? table([{ label: t('col.kind') }, { label: t('notify.target') }, { label: t('notify.who') },
			{ label: t('notify.lang') }, { label: t('notify.secret') }, { label: '' }], list.map(channelRow), 'channels')
		: empty(t('notify.none')), 'channels', 'wide'));
	view.appendChild(card(t('notify.addTitle'), addForm(), 'notify-add'));
	view.appendChild(card(t('notify.settings'), settingsForm(d.settings || {}), 'notify-settings'));
	view.appendChild(h('p', { class: 'muted', text: t('notify.help') }));
}

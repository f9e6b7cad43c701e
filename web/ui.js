// ui.js — the small building blocks the screens are made of: headings,
// cards, tables, form fields, badges, busy buttons and the confirm dialog.

import { h } from './dom.js';
import { t } from './i18n.js';
import * as fmt from './format.js';

export function head(view, title, ...extra) {
	view.dataset.title = title;
	view.appendChild(h('div', { class: 'view-head' }, h('h1', { text: title }), ...extra));
}

export function card(title, body, test, cls) {
	return h('section', { class: ['card', cls], 'data-test': test ? `card-${test}` : null },
		title ? h('h2', { text: title }) : null, body);
}

export function empty(text) {
	return h('p', { class: 'empty', text });
}

/** A cycle state from the API: "none" (no cycle for the period) as null. */
export const cycleState = s => (s && s !== 'none' ? s : null);

export function stateBadge(s, frozen) {
	const st = cycleState(s);
	return h('span', { class: `badge state-${st || 'none'}`, 'data-test': 'state', dataset: { state: st || 'none' } },
		st ? fmt.stateName(st) : t('state.nocycle'), frozen ? ` · ${t('state.frozen')}` : '');
}

export function gradeBadge(g, byQuota) {
	if (!g) return h('span', { class: 'muted', text: '–' });
	return h('span', { class: `grade g-${String(g).replace(/[^A-Za-z0-9]/g, '')}`, title: byQuota ? t('card.byQuota') : null },
		g, byQuota ? '*' : '');
}

export function table(cols, rows, test) {
	// cols: [{label, cls}]; rows: arrays of cells (strings or nodes)
	return h('div', { class: 'table-wrap' },
		h('table', { class: 'data', 'data-test': test || null },
			h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col', class: c.cls || null, text: c.label })))),
			h('tbody', {}, rows)));
}

export function td(v, cls) {
	return h('td', { class: cls || null }, v);
}

export function field(label, control, hint) {
	return h('label', { class: 'field' }, h('span', { class: 'lbl', text: label }), control,
		hint ? h('span', { class: 'hint', text: hint }) : null);
}

export function button(text, attrs) {
	return h('button', Object.assign({ type: 'button', class: 'btn' }, attrs || {}), text);
}

export async function busy(btn, fn) {
	btn.disabled = true;
	btn.classList.add('busy');
	try { return await fn(); } finally { btn.disabled = false; btn.classList.remove('busy'); }
}

export function notAllowed() {
	return h('div', { class: 'notfound', 'data-test': 'not-allowed' },
		h('h1', { text: t('error.forbiddenTitle') }), h('p', { text: t('error.forbidden') }));
}

/**
 * A modal: confirm (and optionally ask for a reason, required, or a note,
 * optional).  `body`: more content under the text (a list, say).
 * Resolves null on cancel, else {reason, note}.
 */
export function dialog({ title, text, okText, danger, reason, note, body }) {
	return new Promise(resolve => {
		const dlg = h('dialog', { class: 'dialog', id: 'dialog', 'aria-labelledby': 'dialog-title' });
		const area = reason ? h('textarea', { id: 'dialog-reason', rows: 3, required: true, 'aria-label': reason }) : null;
		const noteArea = note ? h('textarea', { id: 'dialog-note', rows: 3, maxlength: 4000, 'aria-label': note }) : null;
		const form = h('form', { method: 'dialog' },
			h('h2', { id: 'dialog-title', text: title }),
			text ? h('p', { id: 'dialog-text', text }) : null,
			body || null,
			area ? field(reason, area) : null,
			noteArea ? field(note, noteArea) : null,
			h('div', { class: 'actions' },
				h('button', { type: 'button', class: 'btn ghost', id: 'dialog-cancel', value: 'cancel', onclick: () => dlg.close('cancel'), text: t('common.cancel') }),
				h('button', { type: 'submit', class: `btn ${danger ? 'danger' : 'primary'}`, id: 'dialog-ok', value: 'ok', text: okText || t('common.ok') })));
		form.addEventListener('submit', ev => {
			if (area && !area.value.trim()) { ev.preventDefault(); area.focus(); return; }
		});
		dlg.appendChild(form);
		dlg.addEventListener('close', () => {
			const v = dlg.returnValue === 'ok'
				? { reason: area ? area.value.trim() : '', note: noteArea ? noteArea.value.trim() : '' }
				: null;
			dlg.remove();
			resolve(v);
		});
		document.body.appendChild(dlg);
		dlg.showModal();
		(area || dlg.querySelector('#dialog-ok')).focus();
	});
}

/** A flag beside a value: "incomplete", "calibrated", "not counted"… */
export function flag(text, title, test) {
	return h('span', { class: 'flag', title: title || null, 'data-test': test || null, text });
}

// ui.js — the small building blocks the screens are made of: headings,
// cards, tables, form fields, badges, busy buttons and the confirm dialog.

import { h, clear } from './dom.js';
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
	const body = h('tbody', {}, rows);
	labelCells(body, cols);
	return h('div', { class: 'table-wrap' },
		h('table', { class: 'data', 'data-test': test || null },
			h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col', class: c.cls || null, text: c.label })))),
			body));
}

/* Each cell names its column (data-label): a phone shows a row as a card
   of "label: value" lines (app.css) instead of a table to scroll sideways. */
function labelCells(body, cols) {
	for (const tr of body.rows) {
		if (tr.cells.length !== cols.length) continue;   // a detail row spanning all
		[...tr.cells].forEach((c, i) => { if (cols[i].label) c.dataset.label = cols[i].label; });
	}
}

/** Text to search in: lower case, any spacing. */
const norm = v => String(v || '').toLowerCase().replace(/\s+/g, ' ');

function searchBox(attrs) {
	return h('input', Object.assign({ type: 'search', class: 'search', autocomplete: 'off', autocapitalize: 'none',
		spellcheck: 'false', placeholder: t('list.search'), 'aria-label': t('list.search') }, attrs));
}

/**
 * A type-to-search select (a person picker): a search box beside a
 * <select> whose options narrow, as one types, to those whose text (a name,
 * a login) holds what is typed; the first of them is chosen, Enter takes it
 * (the select's change event).  Options with value '' ("none") stay.
 * Returns the box and the select together; the select keeps its id.
 */
export function picker(select, label, { nav = false } = {}) {
	const all = [...select.options].map(o => ({ o, key: norm(`${o.textContent} ${o.value}`) }));
	const box = searchBox({ id: select.id ? `${select.id}-search` : null,
		'data-test': select.dataset.test ? `${select.dataset.test}-search` : null,
		'aria-label': label ? `${t('list.search')}: ${label}` : t('list.search') });
	const cur = select.value;   // nav: the page shown, kept until another is taken
	let match = [];
	const narrow = () => {
		const q = norm(box.value.trim());
		const was = select.value;
		match = all.filter(x => x.o.value !== '' && (!q || x.key.includes(q)));
		const shown = all.filter(x => x.o.value === '' || match.includes(x) || (nav && x.o.value === cur));
		clear(select);
		for (const x of shown) select.appendChild(x.o);
		if (nav) select.value = cur;
		else if (q && match.length && !match.some(x => x.o.value === was)) select.value = match[0].o.value;
		else if (shown.some(x => x.o.value === was)) select.value = was;
	};
	box.addEventListener('input', narrow);
	box.addEventListener('keydown', ev => {
		if (ev.key !== 'Enter') return;
		ev.preventDefault();
		if (nav && match.length && !match.some(x => x.o.value === cur)) select.value = match[0].o.value;
		select.dispatchEvent(new Event('change'));
	});
	return h('span', { class: 'picker' }, box, select);
}

/** Narrow a list of labels (checkboxes) as one types; ticked ones stay. */
export function filterChecks(labels, test) {
	const box = searchBox({ 'data-test': test || null });
	box.addEventListener('input', () => {
		const q = norm(box.value.trim());
		for (const l of labels) {
			const ticked = l.querySelector('input') && l.querySelector('input').checked;
			l.hidden = !!q && !ticked && !norm(l.textContent).includes(q);
		}
	});
	box.addEventListener('keydown', ev => { if (ev.key === 'Enter') ev.preventDefault(); });
	return box;
}

/**
 * A table of many rows, searched, filtered and shown a page at a time.
 * items: the data; row(item): its <tr>; text(item): what the search box
 * looks in; filters: [{key, label, any, options: [{value, text}],
 * match(item, value)}].  With no more rows than a page, no controls.
 * test names the table; its controls are test-search, test-filter-KEY,
 * test-prev, test-next and test-info.
 */
export function pagedTable(cols, items, { row, text, filters = [], size = 25, test }) {
	let page = 0;
	const body = h('tbody');
	const tbl = h('div', { class: 'table-wrap' },
		h('table', { class: 'data', 'data-test': test || null },
			h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col', class: c.cls || null, text: c.label })))),
			body));
	const many = items.length > size;
	const q = searchBox({ 'data-test': `${test}-search` });
	const sels = filters.map(f => h('select', { 'data-test': `${test}-filter-${f.key}`, 'aria-label': f.label },
		h('option', { value: '', text: f.any }), f.options.map(o => h('option', { value: o.value, text: o.text }))));
	const info = h('span', { class: 'pager-info muted', 'data-test': `${test}-info`, 'aria-live': 'polite' });
	const prev = button(t('list.prev'), { class: 'btn ghost small', 'data-test': `${test}-prev`, onclick: () => { page--; draw(); } });
	const next = button(t('list.next'), { class: 'btn ghost small', 'data-test': `${test}-next`, onclick: () => { page++; draw(); } });
	const keys = new Map(items.map(it => [it, norm(text(it))]));
	function draw() {
		const s = norm(q.value.trim());
		const shown = items.filter(it => (!s || keys.get(it).includes(s)) &&
			filters.every((f, i) => !sels[i].value || f.match(it, sels[i].value)));
		const pages = Math.max(1, Math.ceil(shown.length / size));
		page = Math.max(0, Math.min(page, pages - 1));
		clear(body);
		for (const it of shown.slice(page * size, (page + 1) * size)) body.appendChild(row(it));
		labelCells(body, cols);
		info.textContent = shown.length
			? t('list.range', { from: page * size + 1, to: Math.min(shown.length, (page + 1) * size), n: shown.length })
			: t('list.none');
		prev.disabled = page === 0;
		next.disabled = page >= pages - 1;
	}
	q.addEventListener('input', () => { page = 0; draw(); });
	for (const s of sels) s.addEventListener('change', () => { page = 0; draw(); });
	draw();
	if (!many) return tbl;
	return h('div', { class: 'paged' },
		h('div', { class: 'inline filters list-tools' }, q, sels),
		tbl,
		h('div', { class: 'pager' }, prev, info, next));
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

/**
 * Keep what is typed into `area` (a comment, a note) in sessionStorage
 * under `key` until it is saved, so a session that ends before the save
 * loses nothing: the next time the form is shown (after logging in again)
 * the text is offered back.  `saved`: the text on record.  Returns
 * {offer: a banner or null, forget: call after a successful save}.
 * Test names: draft-NAME, draft-restore-NAME, draft-discard-NAME.
 */
export function keepDraft(key, area, saved, name) {
	const k = `merit.draft:${key}`;
	const store = {
		get: () => { try { return sessionStorage.getItem(k); } catch { return null; } },
		set: v => { try { if (v) sessionStorage.setItem(k, v); else sessionStorage.removeItem(k); } catch { /* private mode */ } },
	};
	const kept = store.get();
	area.addEventListener('input', () => store.set(area.value.trim() && area.value !== (saved || '') ? area.value : ''));
	let offer = null;
	if (kept && kept !== (saved || '') && kept !== area.value) {
		const shown = kept.length > 120 ? `${kept.slice(0, 119)}…` : kept;
		const done = () => { offer.remove(); };
		offer = h('div', { class: 'banner warn draft', role: 'status', 'data-test': `draft-${name}` },
			h('span', { class: 'comment', text: t('draft.offer', { text: shown }) }),
			h('span', { class: 'actions' },
				button(t('draft.restore'), { class: 'btn small primary', 'data-test': `draft-restore-${name}`,
					onclick: () => { area.value = kept; done(); area.focus(); } }),
				button(t('draft.discard'), { class: 'btn small ghost', 'data-test': `draft-discard-${name}`,
					onclick: () => { store.set(''); done(); } })));
	}
	return { offer, forget: () => store.set('') };
}

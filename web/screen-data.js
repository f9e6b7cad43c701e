// screen-data.js — the data screen: uploading files and web logs, entering
// a value by hand, and the list of batches with what each one holds.

import { h, clear, isNum } from './dom.js';
import { api, download, qs, ApiError } from './api.js';
import { t, getLang } from './i18n.js';
import * as fmt from './format.js';
import { state, isAdmin, ensurePlan, ensurePeople, indicatorName } from './state.js';
import { say, ok, fail } from './messages.js';
import { sortedCycles } from './period.js';
import { head, card, empty, table, td, field, button, busy, dialog, picker } from './ui.js';

const IMPORT_KINDS = ['measurements', 'orders', 'tasks', 'ranks', 'leads', 'content', 'posts', 'members', 'uptime', 'index'];

/* ------------------------------------------------------------------ */
/* data: uploads, batches, a value by hand                            */

export async function viewData(view, r) {
	head(view, t('data.title'));
	const admin = isAdmin();
	if (admin) {
		await ensurePlan();
		const people = await ensurePeople().catch(() => []);
		const grid = h('div', { class: 'grid' });
		const sources = await api('GET', '/api/sources').catch(() => []);
		grid.appendChild(uploadCard(sources));
		grid.appendChild(recordCard(people));
		view.appendChild(grid);
	}
	const list = h('div', { id: 'batches-box' });
	view.appendChild(card(t('data.batches'), [batchFilters(list), list], 'batches', 'wide'));
	await fillBatches(list, r.q.get('batch'));
}

/* The batch list's filters and page: by period (a cycle), by source. */
const BATCH_PAGE = 50;
const BATCH_SOURCES = [...IMPORT_KINDS, 'manual', 'logs', 'evidence'];
const batchQuery = { period: '', source: '', offset: 0 };

function batchFilters(box) {
	const period = h('select', { id: 'batch-period', 'data-test': 'batch-period' },
		h('option', { value: '', text: t('data.anyPeriod') }),
		sortedCycles().map(c => h('option', { value: c.period, selected: c.period === batchQuery.period, text: `${c.period} · ${fmt.stateName(c.state)}` })));
	const source = h('select', { id: 'batch-source', 'data-test': 'batch-source' },
		h('option', { value: '', text: t('data.anySource') }),
		BATCH_SOURCES.map(s => h('option', { value: s, selected: s === batchQuery.source, text: fmt.source(s) })));
	const change = () => {
		batchQuery.period = period.value;
		batchQuery.source = source.value;
		batchQuery.offset = 0;
		fillBatches(box).catch(fail);
	};
	period.addEventListener('change', change);
	source.addEventListener('change', change);
	return h('div', { class: 'inline filters' }, field(t('col.period'), period), field(t('col.source'), source));
}

function uploadCard(sources) {
	const kind = h('select', { id: 'upload-kind', 'data-test': 'upload-kind' },
		IMPORT_KINDS.map(k => h('option', { value: k, text: t(`import.${k}`) })),
		h('option', { value: 'log', text: t('import.log') }));
	const source = h('select', { id: 'upload-source', 'data-test': 'upload-source' },
		h('option', { value: '', text: t('data.sourceNone') }),
		(sources || []).map(s => h('option', { value: s.name, text: `${s.name} — ${s.about}` })));
	const dateOrder = h('select', { id: 'upload-date-order' },
		h('option', { value: '', text: t('data.dateOrderAuto') }),
		h('option', { value: 'dmy', text: t('data.dateOrderDmy') }),
		h('option', { value: 'mdy', text: t('data.dateOrderMdy') }));
	const csvStrict = h('input', { id: 'upload-csv-strict', type: 'checkbox' });
	const file = h('input', { type: 'file', id: 'upload-file', 'data-test': 'upload-file', required: true });
	const preset = h('input', { id: 'upload-preset', placeholder: t('data.presetAuto') });
	const map = h('input', { id: 'upload-map', placeholder: 'COL=FIELD,…' });
	const encoding = h('input', { id: 'upload-encoding', placeholder: t('data.encodingAuto') });
	const sheet = h('input', { id: 'upload-sheet', placeholder: t('data.sheetAuto') });
	const date = h('input', { id: 'upload-date', type: 'date' });
	const indicator = h('input', { id: 'upload-indicator', 'data-test': 'upload-indicator', placeholder: 'brand_awareness' });
	const indicatorField = field(t('data.indicator'), indicator, t('data.indicatorHint'));
	indicatorField.hidden = true;   /* shown for index files (showOpts) */
	const replace = h('input', { id: 'upload-replace', type: 'checkbox' });
	const skipBad = h('input', { id: 'upload-skip-bad', type: 'checkbox' });
	const format = h('input', { id: 'upload-format', placeholder: 'combined' });
	const site = h('input', { id: 'upload-site' });
	const strict = h('input', { id: 'upload-strict', type: 'checkbox' });
	const csvOpts = h('div', { class: 'opts' },
		field(t('data.preset'), preset), indicatorField, field(t('data.map'), map, t('data.mapHint')), field(t('data.date'), date, t('data.dateHint')),
		field(t('data.dateOrder'), dateOrder),
		h('label', { class: 'check' }, csvStrict, t('data.csvStrict')),
		field(t('data.encoding'), encoding), field(t('data.sheet'), sheet),
		h('label', { class: 'check' }, replace, t('data.replace')),
		h('label', { class: 'check' }, skipBad, t('data.skipBad')));
	const logOpts = h('div', { class: 'opts', hidden: true },
		field(t('data.format'), format, t('data.formatHint')), field(t('data.site'), site),
		h('label', { class: 'check' }, strict, t('data.strict')));
	/* a CSV template of the kind (and preset), made by the importer's tables */
	const template = button(t('data.template'), {
		class: 'btn ghost small', id: 'upload-template', 'data-test': 'upload-template', title: t('data.templateHint'),
		onclick: ev => busy(ev.currentTarget, () => download(`/api/import/template${qs({ kind: kind.value, preset: preset.value.trim() })}`, `${kind.value}.csv`).catch(fail)),
	});
	const showOpts = () => {
		const log = kind.value === 'log';
		csvOpts.hidden = log;
		logOpts.hidden = !log;
		template.hidden = log;
		preview.hidden = log;
		indicatorField.hidden = kind.value !== 'index';   /* only a series names its indicator */
	};
	kind.addEventListener('change', () => {
		if (source.value && (sources || []).find(s => s.name === source.value)?.kind !== kind.value) source.value = '';
		showOpts();
	});
	source.addEventListener('change', () => {   /* a saved source brings its kind */
		const s = (sources || []).find(x => x.name === source.value);
		if (s) kind.value = s.kind;
		showOpts();
	});
	const result = h('div', { class: 'result', 'data-test': 'upload-result', 'aria-live': 'polite' });
	const submit = h('button', { type: 'submit', class: 'btn primary', id: 'upload-submit', 'data-test': 'upload-submit', text: t('data.upload') });
	const importArgs = (f, again) => ({ kind: kind.value, source: source.value, file: f.name, preset: preset.value.trim(), indicator: kind.value === 'index' ? indicator.value.trim() : '', map: map.value.trim(), date: date.value, date_order: dateOrder.value, encoding: encoding.value.trim(), sheet: sheet.value.trim(), strict: csvStrict.checked, replace: again || replace.checked, skip_bad: skipBad.checked, lang: getLang() });
	const previewBox = h('div', { class: 'preview', id: 'upload-preview-box', 'data-test': 'upload-preview-box', 'aria-live': 'polite' });
	/* the file read by the importer, nothing kept; then Import or Cancel */
	const preview = button(t('data.preview'), {
		class: 'btn', id: 'upload-preview', 'data-test': 'upload-preview',
		onclick: async ev => {
			const f = file.files && file.files[0];
			if (!f) return say('error', t('data.noFile'));
			clear(result);
			await busy(ev.currentTarget, async () => {
				try {
					const p = await api('POST', `/api/import/preview${qs(importArgs(f, false))}`, { body: f });
					showPreview(previewBox, p, f, () => form.requestSubmit(submit));
				} catch (e) { fail(e); }
			});
		},
	});
	const form = h('form', { id: 'upload-form', class: 'stack' },
		(sources || []).length ? field(t('data.source'), source, t('data.sourceHint')) : null,
		h('div', { class: 'inline' }, field(t('data.kind'), kind), template), field(t('data.file'), file),
		h('details', { class: 'more' }, h('summary', { text: t('data.options') }), csvOpts, logOpts),
		h('div', { class: 'actions' }, preview, submit), previewBox, result);
	file.addEventListener('change', () => clear(previewBox));
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const f = file.files && file.files[0];
		if (!f) return say('error', t('data.noFile'));
		clear(result);
		clear(previewBox);
		await busy(submit, async () => {
			try {
				let res, path;
				if (kind.value === 'log') {
					path = `/api/ingest${qs({ file: f.name, format: format.value.trim(), site: site.value.trim(), strict: strict.checked, lang: getLang() })}`;
					res = await api('POST', path, { body: f });
					result.appendChild(h('p', { class: 'ok', text: t('data.ingested', { batch: res.batch, requests: fmt.num(res.requests), failed: fmt.num(res.failed), days: fmt.num(res.days) }) }));
				} else {
					const send = again => api('POST', `/api/import${qs(importArgs(f, again))}`, { body: f });
					try {
						res = await send(false);
					} catch (e) {
						/* rows an earlier batch counted: offer to replace it, or cancel */
						if (!(e instanceof ApiError) || e.status !== 409 || replace.checked) throw e;
						const yes = await dialog({ title: t('data.overlapTitle'), text: e.message, okText: t('data.overlapReplace') });
						if (!yes) { say('info', t('data.overlapKept')); return; }
						res = await send(true);
					}
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

/* What the importer read of a file: its columns (read as which field, or
 * not), the first rows, the count and what would stop the import. */
function showPreview(box, p, f, doImport) {
	clear(box);
	const cols = Array.isArray(p.columns) ? p.columns : [];
	const rows = Array.isArray(p.rows) ? p.rows : [];
	const fields = cols.filter(c => c.field).map(c => c.field).filter((x, i, a) => a.indexOf(x) === i);
	box.appendChild(h('h3', { text: t('data.previewTitle', { file: f.name }) }));
	box.appendChild(h('p', { 'data-test': 'preview-summary', text: t('data.previewSummary', { rows: fmt.num(p.data_rows || 0), counted: fmt.num(p.rows_counted || 0), preset: p.preset || '–' }) }));
	if (p.problem) box.appendChild(h('p', { class: 'problem', 'data-test': 'preview-problem', text: t('data.previewProblem', { problem: p.problem }) }));
	if (cols.length) box.appendChild(h('ul', { class: 'notes', 'data-test': 'preview-columns' }, cols.map(c => h('li', {
		class: c.field ? '' : 'muted',
		text: c.field ? t('data.previewRead', { col: c.name, field: c.field }) : t(c.ignored ? 'data.previewIgnored' : 'data.previewNotRead', { col: c.name }),
	}))));
	if (rows.length && fields.length) box.appendChild(table([{ label: t('col.lines'), cls: 'num' }, ...fields.map(x => ({ label: x }))],
		rows.map(r => h('tr', {}, td(String(r.line), 'num'), fields.map(x => td(r.values && r.values[x] !== undefined ? r.values[x] : '')))), 'preview-rows'));
	const notes = String(p.notes || '').split('\n').filter(x => x.trim());
	if (notes.length) box.appendChild(h('ul', { class: 'notes' }, notes.map(n => h('li', { text: n }))));
	const go = button(t('data.previewImport'), { class: 'btn primary', 'data-test': 'preview-import', disabled: !!p.problem, onclick: () => { clear(box); doImport(); } });
	const cancel = button(t('data.previewCancel'), { class: 'btn ghost', 'data-test': 'preview-cancel', onclick: () => { clear(box); say('info', t('data.previewCancelled')); } });
	box.appendChild(h('div', { class: 'actions' }, go, cancel));
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
		field(t('col.indicator'), ind), list, field(t('data.value'), value), field(t('data.who'), picker(who, t('data.who'))),
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
	const list = await api('GET', `/api/batches${qs({ period: batchQuery.period, source: batchQuery.source, limit: BATCH_PAGE + 1, offset: batchQuery.offset || '' })}`);
	const all = Array.isArray(list) ? list : [];
	const more = all.length > BATCH_PAGE;
	const batches = all.slice(0, BATCH_PAGE);
	clear(box);
	const page = (offset) => { batchQuery.offset = Math.max(0, offset); fillBatches(box).catch(fail); };
	const pager = h('div', { class: 'pager' },
		batchQuery.offset ? button(t('data.newer'), { class: 'btn ghost', 'data-test': 'batches-newer', onclick: () => page(batchQuery.offset - BATCH_PAGE) }) : h('span'),
		more ? button(t('data.older'), { class: 'btn', 'data-test': 'batches-older', onclick: () => page(batchQuery.offset + BATCH_PAGE) }) : null);
	if (!batches.length) { box.appendChild(empty(t('data.noBatches'))); box.appendChild(pager); return; }
	const admin = isAdmin();
	const rows = [];
	for (const b of [...batches].sort((x, y) => (y.id || 0) - (x.id || 0))) {
		const detail = h('tr', { class: 'derivation', hidden: true, id: `batch-detail-${b.id}` }, h('td', { colspan: 8 }));
		const view = button(t('data.view'), {
			class: 'btn ghost small', 'aria-expanded': 'false', 'aria-controls': `batch-detail-${b.id}`, 'data-test': `batch-view-${b.id}`,
			onclick: () => toggleBatch(b.id, detail, view),
		});
		// a batch with days in a closed cycle is frozen with it: no Remove
		const rm = b.frozen && admin ? h('span', { class: 'muted', 'data-test': `batch-frozen-${b.id}`, title: t('data.frozenTitle'), text: t('data.frozen') }) : admin ? button(t('data.remove'), {
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
	box.appendChild(pager);
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

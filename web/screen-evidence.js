// screen-evidence.js — evidence from the team: a member hands in a post, a
// topic, a design verdict or a value counted by hand (with a note and a
// picture or PDF); whoever is above them in the manager chain, or an admin,
// approves or rejects it with a reason.  And the to-do list the dashboard
// shows: each item a link to the form that does it.

import { h, clear } from './dom.js';
import { api, qs } from './api.js';
import { t } from './i18n.js';
import * as fmt from './format.js';
import { state, ensurePlan, indicatorName } from './state.js';
import { link, render } from './router.js';
import { say, fail, flashNext } from './messages.js';
import { head, card, empty, table, td, field, button, busy, dialog, keepDraft } from './ui.js';

const KINDS = ['post', 'topic', 'design', 'value'];
const FILE_MAX = 512 * 1024;

/* ------------------------------------------------------------------ */
/* the to-do list (dashboard)                                         */

function todoItem(x) {
	const who = x.name || x.login;
	switch (x.kind) {
	case 'rate':
		return [link('rate', x.login, { period: x.period }), t(`todo.rate.${x.as}`, { name: who, period: x.period })];
	case 'approve':
		return [link('evidence', null, { show: 'waiting' }), t('todo.approve', { name: who, what: t(`evidence.kind.${x.what}`) })];
	case 'acknowledge':
		return [link('card', x.login, { period: x.period }), t(x.as === 'self' ? 'todo.ackSelf' : 'todo.ackReport', { name: who, period: x.period })];
	case 'stale_source':
		return [link('data'), t('todo.stale', { source: x.source, days: x.days })];
	default:
		return null;
	}
}

/** The to-do card: null when the list cannot be read. */
export async function todoCard() {
	let d;
	try { d = await api('GET', '/api/todo'); } catch (e) { fail(e); return null; }
	const items = (Array.isArray(d.items) ? d.items : []).map(todoItem).filter(Boolean);
	return card(t('todo.title'), items.length
		? h('ul', { class: 'todo', 'data-test': 'todo' }, items.map(([href, text], i) =>
			h('li', {}, h('a', { href, 'data-test': `todo-${i}`, text }))))
		: empty(t('todo.none')), 'todo', 'wide');
}

/* ------------------------------------------------------------------ */
/* evidence                                                           */

function readFile(file) {
	return new Promise((resolve, reject) => {
		const r = new FileReader();
		r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
		r.onerror = () => reject(r.error);
		r.readAsDataURL(file);
	});
}

/* The day evidence is for, by default: today, unless today lies past (or
 * before) every open cycle — then the nearest day of the newest open one,
 * so what is handed in counts where it is meant to. */
function defaultDay() {
	const today = fmt.today();
	const open = state.cycles.filter(c => c.state === 'open' && c.from && c.to);
	if (!open.length || open.some(c => c.from <= today && today <= c.to)) return today;
	const c = open.sort((a, b) => String(b.to).localeCompare(String(a.to)))[0];
	return today > c.to ? c.to : c.from;
}

function submitCard(plan) {
	const kind = h('select', { id: 'ev-kind', 'data-test': 'ev-kind' }, KINDS.map(k => h('option', { value: k, text: t(`evidence.kind.${k}`) })));
	const date = h('input', { id: 'ev-date', type: 'date', required: true, value: defaultDay() });
	const url = h('input', { id: 'ev-url', 'data-test': 'ev-url', type: 'url', maxlength: 2000, placeholder: 'https://…' });
	const platform = h('input', { id: 'ev-platform', 'data-test': 'ev-platform', maxlength: 200, placeholder: t('evidence.platformHint') });
	const title = h('input', { id: 'ev-title', maxlength: 2000 });
	const verdict = h('select', { id: 'ev-verdict' },
		h('option', { value: 'approved', text: t('evidence.verdict.approved') }),
		h('option', { value: 'rejected', text: t('evidence.verdict.rejected') }));
	const inds = (plan && Array.isArray(plan.indicators) ? plan.indicators : []);
	const indicator = h('select', { id: 'ev-indicator' }, inds.map(x => h('option', { value: x.key, text: indicatorName(x.key, x.name) })));
	const value = h('input', { id: 'ev-value', type: 'number', step: 'any' });
	const of = h('input', { id: 'ev-of', type: 'number', step: 'any', min: 0 });
	const note = h('textarea', { id: 'ev-note', rows: 2, maxlength: 2000 });
	const draft = keepDraft(`${state.me.login}:evidence`, note, '', 'evidence');
	const file = h('input', { id: 'ev-file', type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp,application/pdf' });
	// made when shown: one input (the URL) serves two kinds
	const rows = {
		post: () => [field(t('evidence.url'), url), field(t('evidence.platform'), platform)],
		topic: () => [field(t('evidence.title.label'), title), field(t('evidence.url'), url)],
		design: () => [field(t('evidence.title.label'), title), field(t('evidence.verdict'), verdict)],
		value: () => [field(t('evidence.indicator'), indicator), field(t('evidence.value'), value), field(t('evidence.of'), of, t('evidence.ofHint'))],
	};
	const varying = h('div', { class: 'opts' });
	const show = () => { clear(varying); rows[kind.value]().forEach(x => varying.appendChild(x)); };
	kind.addEventListener('change', show);
	show();
	const send = h('button', { type: 'submit', class: 'btn primary', id: 'ev-submit', 'data-test': 'ev-submit', text: t('evidence.submit') });
	const form = h('form', { class: 'stack', id: 'ev-form' }, field(t('evidence.kind'), kind), field(t('evidence.date'), date), varying,
		draft.offer, field(t('evidence.note'), note), field(t('evidence.file'), file, t('evidence.fileHint')), send);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const k = kind.value;
		const body = { kind: k, date: date.value, note: note.value.trim() || null };
		if (k === 'post') Object.assign(body, { url: url.value.trim(), platform: platform.value.trim() });
		if (k === 'topic') Object.assign(body, { title: title.value.trim(), url: url.value.trim() || null });
		if (k === 'design') Object.assign(body, { title: title.value.trim(), verdict: verdict.value });
		if (k === 'value') Object.assign(body, { indicator: indicator.value, value: value.value === '' ? null : Number(value.value), of: of.value === '' ? null : Number(of.value) });
		const f = file.files && file.files[0];
		if (f && f.size > FILE_MAX) { say('error', t('evidence.tooBig')); return; }
		await busy(send, async () => {
			try {
				if (f) body.attachment = { name: f.name, data: await readFile(f) };
				const r = await api('POST', '/api/evidence', { json: body });
				draft.forget();
				flashNext('ok', t('evidence.sent', { id: r.id }));
				render();
			} catch (e) { fail(e); }
		});
	});
	return card(t('evidence.new'), form, 'evidence-new');
}

async function decide(x, approve) {
	const d = await dialog(approve
		? { title: t('evidence.approveTitle'), text: t('evidence.approveText', { name: x.name || x.login }), okText: t('evidence.approve') }
		: { title: t('evidence.rejectTitle'), text: t('evidence.rejectText', { name: x.name || x.login }), okText: t('evidence.reject'), danger: true, reason: t('evidence.reason') });
	if (!d) return;
	try {
		await api('POST', `/api/evidence/${x.id}/decision`, { json: { decision: approve ? 'approve' : 'reject', reason: d.reason || null } });
		flashNext('ok', t(approve ? 'evidence.approved' : 'evidence.rejected', { id: x.id }));
		render();
	} catch (e) { fail(e); }
}

function what(x) {
	const bits = [t(`evidence.kind.${x.kind}`)];
	if (x.kind === 'value' || x.kind === 'design') bits.push(`${indicatorName(x.indicator)}: ${fmt.num(x.value)}${x.of !== null && x.of !== undefined ? ' / ' + fmt.num(x.of) : ''}`);
	const kids = [bits.join(' · ')];
	if (x.title) kids.push(h('div', { text: x.title }));
	if (x.url) kids.push(h('div', { class: 'url' }, h('a', { href: x.url, rel: 'noopener noreferrer', target: '_blank', text: x.url }), x.platform ? ` (${x.platform})` : ''));
	if (x.note) kids.push(h('div', { class: 'muted', text: x.note }));
	if (x.file) kids.push(h('div', {}, h('a', { href: `/api/evidence/${x.id}/file`, 'data-test': `ev-file-${x.id}`, text: t('evidence.download', { size: Math.ceil(x.file.size / 1024) }) })));
	return kids;
}

export async function viewEvidence(view, r) {
	head(view, t('evidence.title'));
	const show = r.q.get('show') || '';
	const [d, plan] = await Promise.all([api('GET', `/api/evidence${qs({ show: show || undefined })}`), ensurePlan().catch(() => null)]);
	if (state.me.staff && !state.me.reviewer) view.appendChild(submitCard(plan));
	const tabs = h('p', { class: 'toolbar' },
		['', 'mine', 'waiting'].map(s => h('a', { href: link('evidence', null, s ? { show: s } : {}), class: s === show ? 'btn primary' : 'btn ghost', 'data-test': `ev-show-${s || 'all'}`, text: t(`evidence.show.${s || 'all'}`) })));
	const items = Array.isArray(d.items) ? d.items : [];
	const rows = items.map(x => h('tr', { 'data-id': String(x.id), 'data-test': `ev-${x.id}` },
		td(String(x.id), 'num'),
		td([x.name || x.login, h('span', { class: 'login', text: x.login })]),
		td(what(x)),
		td(x.date),
		td([h('span', { class: `badge ev-${x.state}`, text: t(`evidence.state.${x.state}`) }),
			x.decided_by ? h('div', { class: 'muted', text: t('evidence.by', { who: x.decided_by_name || x.decided_by }) }) : null,
			x.reason ? h('div', { class: 'reason', text: x.reason }) : null]),
		td(x.can_decide ? h('div', { class: 'actions' },
			button(t('evidence.approve'), { class: 'btn primary', 'data-test': `ev-approve-${x.id}`, onclick: () => decide(x, true) }),
			button(t('evidence.reject'), { class: 'btn danger', 'data-test': `ev-reject-${x.id}`, onclick: () => decide(x, false) })) : null)));
	view.appendChild(card(t('evidence.list'), [tabs,
		d.waiting ? h('p', { class: 'muted', 'data-test': 'ev-waiting', text: t('evidence.waiting', { n: d.waiting }) }) : null,
		items.length
		? table([{ label: '#', cls: 'num' }, { label: t('col.name') }, { label: t('evidence.what') }, { label: t('evidence.date') },
			{ label: t('evidence.stateCol') }, { label: '' }], rows, 'evidence')
		: empty(t('evidence.none'))], 'evidence', 'wide'));
}

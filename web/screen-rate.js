// screen-rate.js — ratings: the position's duties and criteria, the forms
// to rate a person (self, manager, peer, upward) with half-star pickers, the
// ratings they received (peers and direct reports unnamed to the person),
// and the nomination of the peers who rate them, for their manager.

import { h, isNum } from './dom.js';
import { api, qs, ApiError } from './api.js';
import { t } from './i18n.js';
import * as fmt from './format.js';
import { state, isAdmin, ensurePeople, positionName } from './state.js';
import { go, render } from './router.js';
import { say, fail, flashNext } from './messages.js';
import { head, card, empty, cycleState, stateBadge, table, td, field, busy, picker as search, filterChecks, keepDraft } from './ui.js';

const KINDS = ['self', 'manager', 'peer', 'upward'];

/* ------------------------------------------------------------------ */
/* ratings                                                            */

/** Whom to show first: oneself, else (a reviewer, an admin without a
 * staff record) the first person one manages or may see. */
function defaultLogin(people) {
	const me = state.me;
	if (me.staff && !me.reviewer) return me.login;
	const rated = people.filter(p => !p.reviewer);
	const first = rated.find(p => p.manager === me.login) || rated.find(p => p.visible) || rated[0];
	return first ? first.login : '';
}

export async function viewRate(view, r) {
	const P = state.period;
	const people = await ensurePeople();
	const login = r.arg || defaultLogin(people);
	view.dataset.title = t('rate.title');
	// reviewers are never rated: not in the list
	const picker = h('select', { id: 'rate-person', 'data-test': 'rate-person' },
		people.filter(p => !p.reviewer || p.login === login).map(p =>
			h('option', { value: p.login, selected: p.login === login, text: `${p.name || p.login} (${p.login})` })));
	picker.addEventListener('change', () => { if (picker.value && picker.value !== login) go('rate', picker.value, { period: P }); });
	head(view, t('rate.title'), h('span', { class: 'period-tag', text: P }));
	view.appendChild(h('div', { class: 'toolbar' }, field(t('rate.person'), search(picker, t('rate.person'), { nav: true }))));
	if (!login) { view.appendChild(empty(t('rate.nobody'))); return; }

	const d = await api('GET', `/api/ratings${qs({ period: P, login })}`);
	const scale = isNum(d.scale) && d.scale > 0 ? d.scale : 5;
	const crit = Array.isArray(d.criteria) ? d.criteria : [];
	const can = d.can || {};
	const given = d.given || {};
	const name = d.name || login;
	view.appendChild(h('p', { class: 'intro' },
		t('rate.about', { name, period: d.period || P }), ' ', stateBadge(d.state)));
	if (d.reviewer) {
		view.appendChild(h('p', { class: 'empty', 'data-test': 'rate-none', text: t('rate.reviewer', { name }) }));
		return;
	}
	if (d.position)
		view.appendChild(card(t('rate.duties'), [
			h('p', { class: 'strong', text: positionName(d.position) }),
			d.duties ? h('p', { class: 'duties', 'data-test': 'duties', text: d.duties }) : null,
			h('p', { class: 'muted', text: t('rate.criteriaOf', { position: positionName(d.position) }) }),
			h('ul', { class: 'criteria-list', 'data-test': 'criteria' }, crit.map(c =>
				h('li', { 'data-key': c.key }, h('span', { text: c.name || c.key }), isNum(c.weight) ? h('span', { class: 'muted', text: ` ${fmt.num(c.weight)}%` }) : null))),
		], 'duties'));

	const kinds = KINDS.filter(k => can[k]);
	if (!kinds.length) {
		const open = cycleState(d.state) && d.state !== 'closed';
		const why = !cycleState(d.state) ? t('rate.noCycle')
			: d.state === 'closed' ? t('rate.closed')
			: open && d.peers === 'nominated' && state.me.staff && !state.me.reviewer && login !== state.me.login
				? t('rate.notNominated', { name })
			: t('rate.cannot');
		view.appendChild(h('p', { class: 'empty', 'data-test': 'rate-none', text: why }));
	}
	const forms = h('div', { class: 'grid forms' });
	for (const kind of kinds)
		forms.appendChild(rateForm(kind, d, login, scale, crit, given[kind] || null));
	view.appendChild(forms);

	const recv = Array.isArray(d.received) ? d.received : [];
	if (recv.length) {
		// raters not named (to the person themselves): "peer 1", "direct report 1"…
		const seen = {};
		const who = x => {
			if (x.rater) return x.rater;
			seen[x.kind] = (seen[x.kind] || 0) + 1;
			return t(x.kind === 'upward' ? 'rate.upwardN' : 'rate.peerN', { n: seen[x.kind] });
		};
		// one cell of stars per rater (criteria names are long: columns would not fit a phone)
		view.appendChild(card(t('rate.received'), table(
			[{ label: t('col.kind') }, { label: t('col.rater') }, { label: t('col.stars') }, { label: t('col.comment') }],
			recv.map(x => h('tr', { 'data-kind': x.kind },
				td(fmt.kind(x.kind)),
				td(who(x)),
				td(h('ul', { class: 'stars-given' }, crit.map(c => h('li', { 'data-key': c.key },
					h('span', { class: 'muted', text: `${c.name || c.key}: ` }),
					h('span', { class: 'strong', text: x.criteria && isNum(x.criteria[c.key]) ? `${x.criteria[c.key]} / ${scale}` : '–' }))))),
				td(h('span', { class: 'comment', text: x.comment || '' })))), 'received'), 'received'));
	}

	const person = people.find(p => p.login === login);
	const me = state.me;
	if (person && login !== me.login &&
	    (isAdmin() || person.manager === me.login || (person.visible && (me.role === 'manager' || me.reviewer))))
		await peersCard(view, d, person, people);
}

/** The peers nominated to rate a person: a form for their manager on
 * record and the admin, a list for the managers above. */
async function peersCard(view, d, person, people) {
	let pe;
	try {
		pe = await api('GET', `/api/peers${qs({ period: d.period || state.period, login: person.login })}`);
	} catch (e) {
		if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return;
		throw e;
	}
	const name = person.name || person.login;
	const title = t('peers.title', { name });
	if (pe.mode === 'open') {
		view.appendChild(card(title, h('p', { class: 'muted', text: t('peers.open') }), 'peers'));
		return;
	}
	const chosen = Array.isArray(pe.peers) ? pe.peers : [];
	const rated = Array.isArray(pe.rated) ? pe.rated : [];
	const max = isNum(pe.max) ? pe.max : 5;
	const label = l => {
		const p = people.find(x => x.login === l);
		return p && p.name && p.name !== l ? `${p.name} (${l})` : l;
	};
	if (!pe.can_edit) {
		view.appendChild(card(title, h('p', { 'data-test': 'peers-list',
			text: chosen.length ? t('peers.list', { list: chosen.map(label).join(', ') }) : t('peers.none') }), 'peers'));
		return;
	}
	const boxes = people.filter(p => !p.reviewer && p.login !== person.login).map(p => {
		const box = h('input', { type: 'checkbox', value: p.login, checked: chosen.includes(p.login),
			disabled: rated.includes(p.login), 'data-test': `peer-${p.login}` });
		box.addEventListener('change', () => {
			if (box.checked && boxes.filter(b => b.input.checked).length > max) {
				box.checked = false;
				say('error', t('peers.tooMany', { max }));
			}
		});
		return { input: box, node: h('label', { class: 'check' }, box, h('span', { text: label(p.login) }),
			rated.includes(p.login) ? h('span', { class: 'muted', text: ` · ${t('peers.rated')}` }) : null) };
	});
	const submit = h('button', { type: 'submit', class: 'btn primary', id: 'peers-submit', 'data-test': 'peers-submit', text: t('peers.save') });
	const form = h('form', { class: 'stack', id: 'peers-form', 'data-test': 'peers-form' },
		h('p', { class: 'muted', text: t('peers.intro', { max, name, period: pe.period }) }),
		boxes.length > 12 ? filterChecks(boxes.map(b => b.node), 'peers-search') : null,
		h('div', { class: boxes.length > 12 ? 'checks long' : 'checks' }, boxes.map(b => b.node)),
		h('div', { class: 'actions' }, submit));
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const peers = boxes.filter(b => b.input.checked).map(b => b.input.value);
		if (peers.length > max) return say('error', t('peers.tooMany', { max }));
		await busy(submit, async () => {
			try {
				await api('PUT', '/api/peers', { json: { period: pe.period, login: person.login, peers } });
				flashNext('ok', t('peers.saved', { name }));
				render();
			} catch (e) { fail(e); }
		});
	});
	view.appendChild(card(title, form, 'peers'));
}

function rateForm(kind, d, login, scale, crit, mine) {
	const values = {};
	const comment = h('textarea', { id: `rate-comment-${kind}`, rows: 3, 'data-test': `rate-comment-${kind}`, maxlength: 4000 });
	comment.value = (mine && mine.comment) || '';
	// kept while typed: a session that ends before the save loses nothing
	const draft = keepDraft(`${state.me.login}:rate:${d.period || state.period}:${login}:${kind}`, comment, comment.value, kind);
	const submit = h('button', { type: 'submit', class: 'btn primary', id: `rate-submit-${kind}`, 'data-test': `rate-submit-${kind}`, text: t('rate.save') });
	const form = h('form', { class: 'card rate-form', id: `rate-form-${kind}`, 'data-test': `rate-form-${kind}` },
		h('h2', { text: t(`rate.form.${kind}`) }),
		draft.offer,
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
				draft.forget();
				flashNext('ok', t('rate.saved', { kind: fmt.kind(kind) }));
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

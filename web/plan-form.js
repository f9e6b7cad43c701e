// plan-form.js — the plan as a form (an admin's): positions, indicators,
// weights with a live total, rules with their parameters, grades,
// distribution, blend or formula, criteria and duties.  As the admin types,
// the draft goes to /api/plan/check (debounced) and each problem is shown
// at its field: the server answers with the path of the field
// ("positions[2].kpis[0].weight"), the same path as in the draft, which is
// the plan file's keys as JSON (GET /api/plan's "plan").  Before saving,
// /api/plan/whatif shows who would move against the current data.

import { h, clear } from './dom.js';
import { api, ApiError } from './api.js';
import { t, getLang } from './i18n.js';
import * as fmt from './format.js';
import { state } from './state.js';
import { render } from './router.js';
import { say, fail, flashNext } from './messages.js';
import { card, table, td, button, busy, gradeBadge } from './ui.js';

const GOALS = ['sales', 'brand', 'platform', 'none'];
const PERIODS = ['month', 'quarter', 'half', 'year'];
const MISSING = ['skip', 'zero', 'require'];
const PEERS = ['nominated', 'open'];
const LOCALES = ['', 'en', 'zh-CN'];
const UNITS = ['count', 'currency', 'percent', 'rank', 'hours', 'score'];
const DIRS = ['higher', 'lower'];
const AGGS = ['sum', 'ratio', 'mean', 'last', 'min', 'max'];
const RULES = ['ratio', 'linear', 'bands', 'binary'];
const STAGES = ['planning', 'construction', 'content', 'promotion', 'evaluation'];
const COMPS = ['kpi', 'manager', 'self', 'peer', 'upward'];
// what each rule takes besides its weight
const PARAMS = { ratio: ['target', 'cap'], linear: ['threshold', 'target', 'cap'], bands: [], binary: ['target'] };
const CHECK_MS = 400;

/** A number as typed: a number when it reads as one, else the text (the
    server says what is wrong with it), nothing when empty. */
function typed(v) {
	const s = String(v).trim();
	if (s === '') return undefined;
	return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : s;
}

function setKey(obj, key, v) {
	if (v === undefined || v === '') delete obj[key];
	else obj[key] = v;
}

const shown = v => (v === undefined || v === null ? '' : String(v));
const total = list => list.reduce((a, x) => a + (typeof x === 'number' && Number.isFinite(x) ? x : NaN), 0);

export function planForm(p) {
	const draft = JSON.parse(JSON.stringify(p.plan || {}));
	// the distribution as rows while editing: an object cannot hold a half-typed grade
	let dist = Object.entries(draft.distribution || {}).map(([g, pct]) => ({ g, pct }));
	let slots = new Map();     // field path -> {box, msg}
	let totals = [];           // live totals, refreshed on every input
	let problems = [];
	let seq = 0, timer = null, whatifFor = null;

	const body = h('div', { class: 'plan-form', id: 'plan-form', 'data-test': 'plan-form' });
	const general = h('div', { class: 'problems', id: 'pf-problems', 'data-test': 'pf-problems', hidden: true, 'aria-live': 'polite' });
	const status = h('p', { class: 'muted', id: 'pf-status', 'data-test': 'pf-status', 'aria-live': 'polite' });
	const whatif = h('div', { id: 'pf-whatif', 'data-test': 'pf-whatif' });

	function out() {
		const d = JSON.parse(JSON.stringify(draft));
		delete d.distribution;
		if (dist.length) {
			d.distribution = {};
			for (const r of dist) d.distribution[r.g] = r.pct === undefined ? null : r.pct;
		}
		return d;
	}

	/* ---- fields ---- */

	function slot(path, box) {
		const msg = h('span', { class: 'field-problem', 'data-problem-for': path });
		box.appendChild(msg);
		slots.set(path, { box, msg });
		return box;
	}

	function control(path, el, label, cls) {
		el.setAttribute('data-field', path);
		el.id = `pf-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
		return slot(path, h('label', { class: ['field', cls] }, h('span', { class: 'lbl', text: label }), el));
	}

	function text(path, obj, key, label, opt = {}) {
		const el = h(opt.area ? 'textarea' : 'input', { type: opt.area ? null : 'text', rows: opt.area ? 2 : null, value: shown(obj[key]), inputmode: opt.num ? 'decimal' : null, autocomplete: 'off', spellcheck: 'false' });
		el.addEventListener('input', () => { setKey(obj, key, opt.num ? typed(el.value) : el.value); changed(); });
		return control(path, el, label, opt.num ? 'num' : opt.cls);
	}

	function choice(path, obj, key, label, values, names, opt = {}) {
		const cur = obj[key] === undefined ? '' : String(obj[key]);
		const list = values.includes(cur) ? values : [cur, ...values];
		const el = h('select', {}, list.map(v => h('option', { value: v, text: v === '' ? '–' : (names ? names(v) : v), selected: v === cur })));
		el.addEventListener('change', () => { setKey(obj, key, el.value === '' ? undefined : el.value); changed(opt.rerender); });
		return control(path, el, label);
	}

	function group(path, title, ...kids) {
		return slot(path, h('fieldset', { class: 'pf-group', 'data-field': path }, h('legend', { text: title }), ...kids));
	}

	function live(label, get, path) {
		const el = h('span', { class: 'pf-total', 'data-test': `total-${path}` });
		const up = () => {
			const v = get();
			el.textContent = `${label}: ${Number.isFinite(v) ? fmt.num(v) : '?'} %`;
			el.classList.toggle('bad', !(Number.isFinite(v) && Math.abs(v - 100) < 1e-9));
		};
		totals.push(up);
		up();
		return el;
	}

	function remove(list, i, what) {
		return button('×', { class: 'btn ghost pf-rm', title: t('pf.remove', { what }), 'aria-label': t('pf.remove', { what }), onclick: () => { list.splice(i, 1); changed(true); } });
	}

	function add(list, make, label, test) {
		return button(label, { class: 'btn ghost', 'data-test': test, onclick: () => { list.push(make()); changed(true); } });
	}

	/* ---- sections ---- */

	function top() {
		return h('fieldset', { class: 'pf-group' }, h('legend', { text: t('pf.general') }), h('div', { class: 'pf-row' },
			text('company', draft, 'company', t('pf.company')),
			choice('goal', draft, 'goal', t('plan.goal'), GOALS, fmt.goal),
			choice('period', draft, 'period', t('plan.period'), PERIODS, v => t(`plan.period.${v}`)),
			choice('locale', draft, 'locale', t('pf.locale'), LOCALES),
			text('currency', draft, 'currency', t('pf.currency')),
			choice('missing', draft, 'missing', t('pf.missing'), MISSING, v => t(`pf.missing.${v}`)),
			text('min_coverage', draft, 'min_coverage', t('pf.minCoverage'), { num: true }),
			choice('peers', draft, 'peers', t('pf.peers'), PEERS, v => t(`pf.peers.${v}`)),
			text('rating_scale', draft, 'rating_scale', t('plan.scale'), { num: true }),
			text('bonus_pool', draft, 'bonus_pool', t('pf.bonusPool'), { num: true })));
	}

	function blend() {
		draft.blend = draft.blend || {};
		return group('blend', t('pf.blend'),
			h('div', { class: 'pf-row' }, COMPS.map(c => text(`blend.${c}`, draft.blend, c, t(`pf.comp.${c}`), { num: true })),
				live(t('pf.total'), () => total(COMPS.map(c => draft.blend[c] === undefined ? 0 : draft.blend[c])), 'blend')),
			text('formula', draft, 'formula', t('pf.formula'), { cls: 'wide' }),
			h('p', { class: 'hint', text: t('pf.formulaHint') }));
	}

	function criteria(owner, path, title) {
		const list = owner.criteria;
		return group(path, title,
			list.map((c, i) => h('div', { class: 'pf-row' },
				text(`${path}[${i}].key`, c, 'key', t('pf.key')),
				text(`${path}[${i}].name`, c, 'name', t('pf.name'), { cls: 'wide' }),
				text(`${path}[${i}].weight`, c, 'weight', t('col.weight'), { num: true }),
				remove(list, i, c.key || ''))),
			h('div', { class: 'pf-row' }, add(list, () => ({ key: '', name: '', weight: 0 }), t('pf.addCriterion'), `add-${path}`),
				live(t('pf.total'), () => total(list.map(c => c.weight)), path)));
	}

	function grades() {
		draft.grades = draft.grades || [];
		const list = draft.grades;
		return group('grades', t('plan.grades'),
			list.map((g, i) => h('div', { class: 'pf-row' },
				text(`grades[${i}].grade`, g, 'grade', t('col.grade')),
				text(`grades[${i}].min`, g, 'min', t('col.min'), { num: true }),
				text(`grades[${i}].bonus`, g, 'bonus', t('col.coef'), { num: true }),
				remove(list, i, g.grade || ''))),
			add(list, () => ({ grade: '', min: 0, bonus: 1 }), t('pf.addGrade'), 'add-grade'),
			h('h3', { text: t('pf.distribution') }), h('p', { class: 'hint', text: t('pf.distributionHint') }),
			slot('distribution', h('div', {}, dist.map((r, i) => {
				const g = h('input', { type: 'text', value: r.g, 'data-field': `distribution.${r.g}`, autocomplete: 'off' });
				const n = h('input', { type: 'text', inputmode: 'decimal', value: shown(r.pct), autocomplete: 'off' });
				g.addEventListener('change', () => { r.g = g.value.trim(); changed(true); });
				n.addEventListener('input', () => { r.pct = typed(n.value); changed(); });
				return slot(`distribution.${r.g}`, h('div', { class: 'pf-row' },
					h('label', { class: 'field' }, h('span', { class: 'lbl', text: t('col.grade') }), g),
					h('label', { class: 'field num' }, h('span', { class: 'lbl', text: t('pf.quota') }), n),
					remove(dist, i, r.g)));
			}))),
			add(dist, () => ({ g: '', pct: 10 }), t('pf.addQuota'), 'add-quota'));
	}

	function indicators() {
		draft.indicators = draft.indicators || [];
		const list = draft.indicators;
		return group('indicators', t('pf.indicators'),
			list.map((x, i) => h('div', { class: 'pf-row' },
				text(`indicators[${i}].key`, x, 'key', t('pf.key')),
				text(`indicators[${i}].name`, x, 'name', t('pf.name'), { cls: 'wide' }),
				choice(`indicators[${i}].unit`, x, 'unit', t('pf.unit'), UNITS),
				choice(`indicators[${i}].direction`, x, 'direction', t('pf.direction'), DIRS, v => t(`pf.dir.${v}`), { rerender: true }),
				choice(`indicators[${i}].aggregate`, x, 'aggregate', t('pf.aggregate'), AGGS),
				text(`indicators[${i}].source`, x, 'source', t('pf.source')),
				remove(list, i, x.key || ''))),
			add(list, () => ({ key: '', name: '', unit: 'count', direction: 'higher', aggregate: 'sum', source: 'manual' }), t('pf.addIndicator'), 'add-indicator'));
	}

	function bands(k, path) {
		k.bands = Array.isArray(k.bands) ? k.bands : [];
		const list = k.bands;
		return slot(`${path}.bands`, h('div', { class: 'pf-bands', 'data-field': `${path}.bands` },
			h('span', { class: 'lbl', text: t('pf.bands') }),
			list.map((b, i) => h('div', { class: 'pf-row' },
				text(`${path}.bands[${i}][0]`, b, 0, t('pf.bound'), { num: true }),
				text(`${path}.bands[${i}][1]`, b, 1, t('pf.points'), { num: true }),
				remove(list, i, String(i + 1)))),
			add(list, () => [0, 0], t('pf.addBand'), `add-band-${path}`)));
	}

	function kpi(pos, pi, k, j) {
		const path = `positions[${pi}].kpis[${j}]`;
		const keys = draft.indicators.map(x => x.key).filter(Boolean);
		const ind = draft.indicators.find(x => x.key === k.indicator);
		const params = PARAMS[k.rule] || ['target', 'threshold', 'cap'];
		return h('div', { class: 'pf-kpi', 'data-test': 'pf-kpi' },
			h('div', { class: 'pf-row' },
				choice(`${path}.indicator`, k, 'indicator', t('col.indicator'), keys, null, { rerender: true }),
				choice(`${path}.scope`, k, 'scope', t('pf.scope'), ['person', 'team'], v => t(`pf.scope.${v}`)),
				text(`${path}.weight`, k, 'weight', t('col.weight'), { num: true }),
				choice(`${path}.rule`, k, 'rule', t('col.rule'), RULES, fmt.rule, { rerender: true }),
				params.map(name => text(`${path}.${name}`, k, name, t(`pf.${name}`), { num: true })),
				h('span', { class: 'hint pf-dir', text: ind ? t(`pf.dir.${ind.direction}`) : '' }),
				remove(pos.kpis, j, k.indicator || '')),
			k.rule === 'bands' ? bands(k, path) : null);
	}

	function position(pos, i) {
		const path = `positions[${i}]`;
		pos.kpis = Array.isArray(pos.kpis) ? pos.kpis : [];
		const own = Array.isArray(pos.criteria);
		const toggle = h('input', { type: 'checkbox', checked: own, 'data-test': `own-criteria-${i}` });
		toggle.addEventListener('change', () => {
			if (toggle.checked) pos.criteria = [{ key: 'overall', name: '', weight: 100 }];
			else delete pos.criteria;
			changed(true);
		});
		return slot(path, h('fieldset', { class: 'pf-group pf-position', 'data-field': path, 'data-test': `pf-position-${pos.key || i}` },
			h('legend', {}, fmt.position(pos.key, pos.name), ' ', h('span', { class: 'login', text: pos.key || '' })),
			h('div', { class: 'pf-row' },
				text(`${path}.key`, pos, 'key', t('pf.key')),
				text(`${path}.name`, pos, 'name', t('pf.name'), { cls: 'wide' }),
				choice(`${path}.stage`, pos, 'stage', t('pf.stage'), STAGES, v => t(`pf.stage.${v}`)),
				text(`${path}.base_bonus`, pos, 'base_bonus', t('pf.baseBonus'), { num: true }),
				remove(draft.positions, i, pos.key || '')),
			text(`${path}.duties`, pos, 'duties', t('pf.duties'), { area: true, cls: 'wide' }),
			slot(`${path}.kpis`, h('div', { class: 'pf-kpis', 'data-field': `${path}.kpis` },
				h('h3', {}, t('pf.kpis'), ' ', live(t('pf.total'), () => total(pos.kpis.map(k => k.weight)), `${path}.kpis`)),
				pos.kpis.map((k, j) => kpi(pos, i, k, j)),
				add(pos.kpis, () => ({ indicator: '', weight: 0, rule: 'ratio' }), t('pf.addKpi'), `add-kpi-${i}`))),
			h('label', { class: 'check' }, toggle, ' ', t('pf.ownCriteria')),
			own ? criteria(pos, `${path}.criteria`, t('pf.criteriaOf')) : null));
	}

	function overrides() {
		draft.overrides = draft.overrides || [];
		const list = draft.overrides;
		return group('overrides', t('pf.overrides'),
			list.map((o, i) => h('div', { class: 'pf-row' },
				text(`overrides[${i}].login`, o, 'login', t('pf.login')),
				choice(`overrides[${i}].indicator`, o, 'indicator', t('col.indicator'), draft.indicators.map(x => x.key)),
				text(`overrides[${i}].target`, o, 'target', t('pf.target'), { num: true }),
				text(`overrides[${i}].threshold`, o, 'threshold', t('pf.threshold'), { num: true }),
				remove(list, i, o.login || ''))),
			add(list, () => ({ login: '', indicator: '', target: 0 }), t('pf.addOverride'), 'add-override'));
	}

	function build() {
		slots = new Map();
		totals = [];
		draft.criteria = draft.criteria || [];
		draft.positions = draft.positions || [];
		draft.indicators = draft.indicators || [];
		clear(body);
		body.appendChild(h('div', { class: 'stack' },
			top(), blend(), criteria(draft, 'criteria', t('plan.criteria')), grades(), indicators(),
			h('h3', { text: t('plan.positions') }),
			draft.positions.map((pos, i) => position(pos, i)),
			add(draft.positions, () => ({ key: '', name: '', stage: 'promotion', kpis: [] }), t('pf.addPosition'), 'add-position'),
			overrides()));
		showProblems();
	}

	/* ---- problems at their fields ---- */

	function showProblems() {
		for (const s of slots.values()) {
			s.msg.textContent = '';
			s.box.classList.remove('has-problem');
		}
		const rest = [];
		for (const pr of problems) {
			let path = pr.field, s = null;
			// the field itself, else the nearest thing around it ("a.b[2].c" -> "a.b[2]" -> "a.b")
			while (typeof path === 'string' && path !== '' && !(s = slots.get(path))) {
				const up = path.replace(/(\[[^\]]*\]|\.[^.[]*|^[^.[]+)$/, '');
				path = up === path ? '' : up;
			}
			if (s && path !== '') {
				s.msg.textContent = s.msg.textContent ? `${s.msg.textContent} · ${pr.message}` : pr.message;
				s.box.classList.add('has-problem');
			} else {
				rest.push(pr.message);
			}
		}
		clear(general);
		general.hidden = !rest.length;
		if (rest.length) general.appendChild(h('ul', {}, rest.map(m => h('li', { text: m }))));
		status.textContent = problems.length ? t('pf.nProblems', { n: problems.length }) : t('pf.noProblems');
		status.classList.toggle('bad', problems.length > 0);
	}

	async function check() {
		const mine = ++seq;
		try {
			const r = await api('POST', `/api/plan/check?lang=${getLang()}`, { json: { plan: out() } });
			if (mine !== seq) return;          // a newer draft is on its way
			problems = Array.isArray(r.problems) ? r.problems : [];
			showProblems();
		} catch (e) { fail(e); }
	}

	function changed(rerender) {
		whatifFor = null;
		clear(whatif);
		if (rerender) build();
		else totals.forEach(up => up());
		status.textContent = t('pf.checking');
		clearTimeout(timer);
		timer = setTimeout(check, CHECK_MS);
	}

	/* ---- what-if, then save ---- */

	function side(x) {
		if (!x) return td('–');
		if (!x.scored) return td(h('span', { class: 'muted', text: t('pf.notScored') }));
		return td([h('span', { text: `${fmt.num(x.final)} ` }), gradeBadge(x.grade), h('span', { class: 'muted', text: ` ${fmt.money(x.bonus_cents)}` })]);
	}

	async function preview(btn) {
		await busy(btn, async () => {
			const d = out();
			clear(whatif);
			try {
				const w = await api('POST', `/api/plan/whatif?lang=${getLang()}`, { json: { plan: d, period: state.period } });
				whatifFor = JSON.stringify(d);
				const s = w.summary || {};
				const rows = (w.people || []).filter(x => x.rank_moved || x.grade_changed || x.bonus_change_cents);
				whatif.appendChild(h('div', { class: 'stack', 'data-test': 'whatif' },
					h('p', { class: 'strong', 'data-test': 'whatif-summary', text: t('pf.whatifSummary', { period: w.period, moved: s.moved, grades: s.grade_changes, now: fmt.money(s.bonus_total_now_cents), draft: fmt.money(s.bonus_total_draft_cents) }) }),
					rows.length ? table([{ label: t('col.person') }, { label: t('pf.now') }, { label: t('pf.underDraft') }, { label: t('pf.bonusChange'), cls: 'num' }],
						rows.map(x => h('tr', { 'data-login': x.login }, td([h('span', { text: x.name }), h('span', { class: 'login', text: x.login })]),
							side(x.now), side(x.draft), td(`${x.bonus_change_cents > 0 ? '+' : ''}${fmt.money(x.bonus_change_cents)}`, 'num'))), 'whatif-table')
						: h('p', { class: 'muted', text: t('pf.nobodyMoves') }),
					h('div', { class: 'actions' }, button(t('pf.saveNow'), { class: 'btn primary', id: 'pf-save', 'data-test': 'pf-save', onclick: ev => save(ev.currentTarget, d) }))));
			} catch (e) {
				if (e instanceof ApiError && e.status === 422 && e.problems.length && typeof e.problems[0] === 'object') {
					problems = e.problems;
					showProblems();
					say('error', e.message);
				} else if (e instanceof ApiError && e.status === 404) {
					// no cycle to compare with: saving is still possible
					whatif.appendChild(h('div', { class: 'stack' }, h('p', { class: 'muted', text: e.message }),
						h('div', { class: 'actions' }, button(t('pf.saveNow'), { class: 'btn primary', id: 'pf-save', 'data-test': 'pf-save', onclick: ev => save(ev.currentTarget, d) }))));
				} else fail(e);
			}
		});
	}

	async function save(btn, d) {
		if (whatifFor !== null && whatifFor !== JSON.stringify(out())) return say('error', t('pf.changedSince'));
		await busy(btn, async () => {
			try {
				await api('PUT', `/api/plan?lang=${getLang()}`, { json: { plan: d } });
				state.plan = null;
				state.people = null;
				flashNext('ok', t('plan.saved'));
				render();
			} catch (e) {
				if (e instanceof ApiError && e.status === 422 && e.problems.length && typeof e.problems[0] === 'object') {
					problems = e.problems;
					showProblems();
					say('error', e.message);
				} else fail(e);
			}
		});
	}

	build();
	const go = button(t('pf.preview'), { class: 'btn primary', id: 'pf-preview', 'data-test': 'pf-preview', onclick: ev => preview(ev.currentTarget) });
	status.textContent = t('pf.noProblems');
	return card(t('pf.title'), h('div', { class: 'stack' },
		h('p', { class: 'muted', text: t('pf.intro') }), general, body,
		h('div', { class: 'pf-foot' }, status, h('div', { class: 'actions' }, go)), whatif), 'plan-form');
}

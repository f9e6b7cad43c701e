// screen-plan.js — the plan: goal, criteria, grades and positions, its
// YAML to download, and (for an admin) the plan as a form (plan-form.js)
// or a new plan file to upload or edit as YAML.

import { h, clear, isNum } from './dom.js';
import { api, download, qs, ApiError } from './api.js';
import { t, getLang } from './i18n.js';
import * as fmt from './format.js';
import { state, isAdmin, ensurePlan, indicatorName } from './state.js';
import { render } from './router.js';
import { say, fail, flashNext } from './messages.js';
import { head, card, empty, gradeBadge, table, td, field, button, busy } from './ui.js';
import { planForm } from './plan-form.js';

/* ------------------------------------------------------------------ */
/* plan                                                               */

export async function viewPlan(view) {
	state.plan = null;
	const p = await ensurePlan();
	head(view, t('plan.title'));
	if (!p) { view.appendChild(empty(t('plan.none'))); return; }
	const facts = h('dl', { class: 'facts', 'data-test': 'plan-facts' },
		h('dt', { text: t('plan.goal') }), h('dd', { text: fmt.goal(p.goal) }),
		h('dt', { text: t('plan.period') }), h('dd', { text: t(`plan.period.${p.period}`) !== `plan.period.${p.period}` ? t(`plan.period.${p.period}`) : (p.period || '–') }),
		h('dt', { text: t('plan.scale') }), h('dd', { text: isNum(p.rating_scale) ? t('plan.stars', { n: p.rating_scale }) : '–' }));
	const grid = h('div', { class: 'grid' });
	grid.appendChild(card(t('plan.summary'), facts, 'plan-summary'));
	const crit = Array.isArray(p.criteria) ? p.criteria : [];
	grid.appendChild(card(t('plan.criteria'), crit.length ? table([{ label: t('col.criterion') }, { label: t('col.weight'), cls: 'num' }],
		crit.map(c => h('tr', {}, td([h('span', { text: c.name || c.key }), h('span', { class: 'login', text: c.key })]), td(`${fmt.num(c.weight)}%`, 'num')))) : empty('–'), 'plan-criteria'));
	const grades = Array.isArray(p.grades) ? p.grades : [];
	grid.appendChild(card(t('plan.grades'), grades.length ? table([{ label: t('col.grade') }, { label: t('col.min'), cls: 'num' }, { label: t('col.coef'), cls: 'num' }],
		grades.map(g => h('tr', {}, td(gradeBadge(g.name || g.grade)), td(fmt.num(g.min), 'num'),
			td(typeof g.coef === 'string' ? g.coef : fmt.num(isNum(g.coef) ? g.coef : g.bonus), 'num')))) : empty('–'), 'plan-grades'));
	view.appendChild(grid);

	const positions = Array.isArray(p.positions) ? p.positions : [];
	view.appendChild(card(t('plan.positions'), positions.length ? h('div', { class: 'positions' }, positions.map(pos =>
		h('div', { class: 'position' },
			h('h3', {}, fmt.position(pos.key, pos.name), h('span', { class: 'login', text: pos.key })),
			table([{ label: t('col.indicator') }, { label: t('col.weight'), cls: 'num' }, { label: t('col.target'), cls: 'num' }, { label: t('col.rule') }],
				(pos.indicators || []).map(i => h('tr', {},
					td([h('span', { text: indicatorName(i.key, i.name) }), h('span', { class: 'login', text: i.scope === 'team' ? `${i.key} · ${t('card.team')}` : i.key })]),
					td(`${fmt.num(i.weight)}%`, 'num'), td(fmt.num(i.target), 'num'), td(fmt.rule(i.rule)))))))) : empty('–'), 'plan-positions'));

	const yaml = h('pre', { class: 'yaml', id: 'plan-yaml', 'data-test': 'plan-yaml', text: p.yaml || '' });
	const dl = button(t('plan.download'), {
		id: 'plan-download', 'data-test': 'plan-download',
		onclick: ev => busy(ev.currentTarget, () => download('/api/plan.yaml', 'plan.yaml').catch(fail)),
	});
	view.appendChild(card(t('plan.yaml'), h('div', {}, h('div', { class: 'actions' }, dl),
		h('details', { class: 'more' }, h('summary', { text: t('plan.showYaml') }), yaml)), 'plan-yaml'));

	if (isAdmin() && p.plan) view.appendChild(planForm(p));
	if (isAdmin()) view.appendChild(planUpload(p));
}

function planUpload(p) {
	const problems = h('div', { id: 'plan-problems', 'data-test': 'plan-problems', 'aria-live': 'polite' });
	const showProblems = e => {
		clear(problems);
		if (e instanceof ApiError && e.problems.length)
			problems.appendChild(h('div', { class: 'problems' }, h('p', { class: 'strong', text: t('plan.problems', { n: e.problems.length }) }),
				h('ul', {}, e.problems.map(x => h('li', {}, h('code', { text: x }))))));
	};
	const put = async (text, btn, name) => busy(btn, async () => {
		clear(problems);
		try {
			await api('PUT', `/api/plan${qs({ file: name, lang: getLang() })}`, { body: text, type: 'application/yaml; charset=utf-8' });
			state.plan = null;
			state.people = null;
			flashNext('ok', t('plan.saved'));
			render();
		} catch (e) {
			if (e instanceof ApiError && e.problems.length) {
				say('error', getLang() === 'en' ? e.message : t('why.plan_invalid'));
				showProblems(e);
			} else fail(e);
		}
	});
	const file = h('input', { type: 'file', id: 'plan-file', 'data-test': 'plan-file', accept: '.yaml,.yml,text/yaml,application/yaml' });
	const up = button(t('plan.upload'), {
		class: 'btn primary', id: 'plan-upload', 'data-test': 'plan-upload',
		onclick: async ev => {
			const f = file.files && file.files[0];
			if (!f) return say('error', t('data.noFile'));
			const btn = ev.currentTarget;
			await put(await f.text(), btn, f.name);
		},
	});
	const editor = h('textarea', { id: 'plan-editor', 'data-test': 'plan-editor', rows: 18, spellcheck: 'false', class: 'code' });
	editor.value = p.yaml || '';
	const save = button(t('plan.save'), {
		class: 'btn primary', id: 'plan-save', 'data-test': 'plan-save',
		onclick: ev => put(editor.value, ev.currentTarget),
	});
	return card(t('plan.change'), h('div', { class: 'stack' },
		h('p', { class: 'muted', text: t('plan.changeIntro') }),
		h('div', { class: 'inline' }, field(t('plan.file'), file), up),
		h('details', { class: 'more' }, h('summary', { text: t('plan.edit') }), editor, h('div', { class: 'actions' }, save)),
		problems), 'plan-change');
}

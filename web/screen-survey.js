// screen-survey.js — surveys: the admin's screen (make a survey of an
// indicator for an open cycle, share its public link, close it to score
// it), and the public page at /s/TOKEN a respondent answers on a phone:
// three questions about the brand, each on a 1..5 scale, once per browser.

import { h } from './dom.js';
import { api } from './api.js';
import { t } from './i18n.js';
import * as fmt from './format.js';
import { state, ensurePlan, indicatorName } from './state.js';
import { render } from './router.js';
import { say, ok, fail } from './messages.js';
import { head, card, empty, table, td, field, button, busy, dialog } from './ui.js';

const SETS = ['awareness', 'reputation'];

/* ------------------------------------------------------------------ */
/* the admin's screen                                                 */

export async function viewSurveys(view) {
	const [list, plan] = await Promise.all([api('GET', '/api/surveys'), ensurePlan()]);
	head(view, t('survey.title'));
	view.appendChild(h('p', { class: 'muted', text: t('survey.intro') }));

	const inds = plan && Array.isArray(plan.indicators) ? plan.indicators : [];
	const indicator = h('select', { id: 'sv-indicator', 'data-test': 'sv-indicator' },
		inds.map(x => h('option', { value: x.key, text: indicatorName(x.key, x.name), selected: x.key === 'brand_awareness' })));
	const open = (state.cycles || []).filter(c => c.state === 'open');
	const period = h('select', { id: 'sv-period', 'data-test': 'sv-period' }, open.map(c => h('option', { value: c.period, text: c.period })));
	const brand = h('input', { id: 'sv-brand', 'data-test': 'sv-brand', required: true, maxlength: 100, autocomplete: 'off' });
	const questions = h('select', { id: 'sv-questions', 'data-test': 'sv-questions' },
		h('option', { value: '', text: t('survey.setAuto') }),
		SETS.map(k => h('option', { value: k, text: t(`survey.set.${k}`) })));
	const submit = h('button', { type: 'submit', class: 'btn primary', 'data-test': 'sv-submit', text: t('survey.make') });
	const form = h('form', { class: 'stack narrow', id: 'sv-form' },
		field(t('evidence.indicator'), indicator),
		field(t('period.label'), period, open.length ? null : t('survey.noOpen')),
		field(t('survey.brand'), brand, t('survey.brandHint')),
		field(t('survey.questions'), questions, t('survey.questionsHint')),
		h('div', { class: 'actions' }, submit));
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		await busy(submit, async () => {
			try {
				const body = { indicator: indicator.value, period: period.value, brand: brand.value.trim() };
				if (questions.value) body.questions = questions.value;
				const sv = await api('POST', '/api/surveys', { json: body });
				await render();
				ok(t('survey.made', { link: location.origin + sv.link }));
			} catch (e) { fail(e); }
		});
	});
	view.appendChild(card(t('survey.new'), form, 'survey-new'));

	const rows = (Array.isArray(list) ? list : []).map(sv => {
		const url = location.origin + sv.link;
		const close = sv.state === 'open' ? button(t('survey.close'), {
			'data-test': `sv-close-${sv.id}`,
			onclick: async () => {
				const yes = await dialog({ title: t('survey.close'), text: t('survey.closeText', { n: fmt.num(sv.answers) }), okText: t('survey.close') });
				if (!yes) return;
				try {
					const r = await api('POST', `/api/surveys/${sv.id}/close`, { json: {} });
					await render();
					ok(t('survey.closed', { score: fmt.num(r.score), batch: r.batch }));
				} catch (e) { fail(e); }
			},
		}) : null;
		return h('tr', { 'data-test': `sv-${sv.id}` },
			td(`#${sv.id}`, 'num'),
			td(indicatorName(sv.indicator)),
			td(sv.period),
			td(sv.brand),
			td(t(`survey.set.${sv.questions}`)),
			td(sv.state === 'open' ? h('a', { href: url, class: 'file', target: '_blank', rel: 'noopener', title: url, 'data-test': `sv-link-${sv.id}`, text: `/s/${sv.link.slice(3, 11)}…` }) : t('state.closed')),
			td(fmt.num(sv.answers), 'num'),
			td(sv.score === null ? '–' : fmt.num(sv.score), 'num'),
			td(close || (sv.batch ? `#${sv.batch}` : '–')));
	});
	view.appendChild(card(t('survey.list'), rows.length ? table([
		{ label: '#', cls: 'num' }, { label: t('evidence.indicator') }, { label: t('period.label') },
		{ label: t('survey.brand') }, { label: t('survey.questions') }, { label: t('survey.link') },
		{ label: t('survey.answers'), cls: 'num' }, { label: t('survey.score'), cls: 'num' }, { label: '' }], rows, 'surveys')
		: empty(t('survey.none')), 'surveys', 'wide'));
	view.appendChild(card(t('survey.howTitle'), h('div', {},
		h('p', { text: t('survey.how') }), h('p', { class: 'muted', text: t('survey.limits') })), 'survey-how'));
}

/* ------------------------------------------------------------------ */
/* the public page                                                    */

function scale(name, i) {
	return h('div', { class: 'scale', role: 'radiogroup', 'aria-label': t('survey.scaleLabel') },
		[1, 2, 3, 4, 5].map(v => h('label', { class: 'scale-point' },
			h('input', { type: 'radio', name, value: String(v), required: true, 'data-test': `sv-q${i}-${v}` }),
			h('span', { text: String(v) }))),
		h('div', { class: 'scale-ends' }, h('span', { text: t('survey.low') }), h('span', { text: t('survey.high') })));
}

export async function viewSurveyAnswer(view, r) {
	view.dataset.title = t('survey.publicTitle');
	const token = r.arg;
	const box = h('div', { class: 'login-form survey-form', 'data-test': 'survey-public' });
	view.appendChild(h('div', { class: 'login-wrap' }, box));
	let sv;
	try {
		sv = await api('GET', `/api/s/${encodeURIComponent(token)}`);
	} catch (e) {
		box.append(h('h1', { text: t('survey.publicTitle') }), h('p', { 'data-test': 'survey-invalid', text: t('survey.invalid') }));
		return;
	}
	box.appendChild(h('h1', { text: t('survey.publicTitle') }));
	if (sv.answered) return box.appendChild(h('p', { 'data-test': 'survey-answered', text: t('survey.thanks') }));
	if (!sv.open) return box.appendChild(h('p', { 'data-test': 'survey-shut', text: t('survey.shut') }));
	const submit = h('button', { type: 'submit', class: 'btn primary', 'data-test': 'sv-send', text: t('survey.send') });
	const form = h('form', { class: 'stack' },
		h('p', { class: 'muted', text: t('survey.publicIntro') }),
		[1, 2, 3].map(i => h('fieldset', { class: 'question' },
			h('legend', { text: t(`survey.q.${sv.questions}.${i}`, { brand: sv.brand }) }), scale(`q${i}`, i))),
		submit);
	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const answers = [1, 2, 3].map(i => Number((form.querySelector(`input[name="q${i}"]:checked`) || {}).value));
		if (answers.some(a => !(a >= 1 && a <= 5))) return say('error', t('survey.missing'));
		await busy(submit, async () => {
			try {
				await api('POST', `/api/s/${encodeURIComponent(token)}`, { json: { answers } });
				form.replaceWith(h('p', { 'data-test': 'survey-thanks', text: t('survey.thanks') }));
			} catch (e) { fail(e); }
		});
	});
	box.appendChild(form);
}

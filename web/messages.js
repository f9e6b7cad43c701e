// messages.js — the message area under the header: a success or an error,
// with the list of problems an answer carried, and the one message kept
// (the flash) for the next render to show.

import { h, clear } from './dom.js';
import { ApiError } from './api.js';
import { t, has, getLang } from './i18n.js';

let flash = null;

function messages() { return document.getElementById('messages'); }

export function clearMessages() { clear(messages()); }

export function say(kind, text, list) {
	const box = messages();
	clear(box);
	const close = h('button', {
		type: 'button', class: 'msg-close', 'aria-label': t('common.dismiss'),
		onclick: () => clear(box),
	}, '×');
	box.appendChild(h('div', { class: `msg ${kind}`, 'data-test': `msg-${kind}` },
		h('span', { class: 'msg-text', text }),
		list && list.length ? h('ul', { class: 'msg-list' }, list.map(x => h('li', { text: x }))) : null,
		close));
}

export const ok = text => say('ok', text);

export function fail(e) {
	if (e instanceof ApiError) {
		if (e.handled) return;
		if (e.status === 0) return say('error', t('error.network'));
		/* words the server put in the page's language already (an
		   upload's error, its situation's words after it: error_en keeps
		   the English) are shown as they are, not said twice */
		if (typeof e.body.error_en === 'string')
			return say('error', e.message, e.problems);
		/* a situation the server names (why): said in the page's language,
		   the server's own (English) words kept below it */
		const why = typeof e.body.why === 'string' ? `why.${e.body.why}` : null;
		if (why && getLang() !== 'en' && has(why))
			return say('error', t(why), [e.message, ...e.problems]);
		return say('error', e.message, e.problems);
	}
	console.error(e);
	say('error', t('error.unexpected'));
}

/** Show kind/text after the next render (which clears the area otherwise). */
export function flashNext(kind, text) { flash = [kind, text]; }

/** The flash, if any, and forget it. */
export function takeFlash() {
	const f = flash;
	flash = null;
	return f;
}

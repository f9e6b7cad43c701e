// router.js — the hash routes: reading the address, making links, going
// somewhere.  Drawing the screen is app.js's render(), installed here with
// setRenderer() so the screens can redraw without importing the shell.

import { qs } from './api.js';

let renderer = () => {};

/** app.js hands over the function that draws the current route. */
export function setRenderer(fn) { renderer = fn; }

/** Draw the current route again. */
export function render() { return renderer(); }

export function parseHash() {
	const raw = location.hash.replace(/^#\/?/, '');
	const i = raw.indexOf('?');
	const path = i < 0 ? raw : raw.slice(0, i);
	const q = new URLSearchParams(i < 0 ? '' : raw.slice(i + 1));
	const parts = path.split('/').map(p => {
		try { return decodeURIComponent(p); } catch { return p; }
	});
	return { name: parts[0] || '', arg: parts[1] || '', q };
}

/** '#/name/arg?query' */
export function link(name, arg, params) {
	return `#/${name}${arg ? '/' + encodeURIComponent(arg) : ''}${qs(params || {})}`;
}

export function go(name, arg, params, replace) {
	const to = link(name, arg, params);
	if (location.hash === to) render();
	else if (replace) { history.replaceState(null, '', to); render(); }
	else location.hash = to;
}

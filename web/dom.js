// dom.js — building the page without innerHTML: every piece of data goes in
// as a text node or an attribute value, so names, comments and file names
// can never become markup.  No inline styles (the Content-Security-Policy
// forbids them): classes only, or element.style from code.

const SVG_NS = 'http://www.w3.org/2000/svg';

function put(el, attrs, kids) {
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false) continue;
		if (k === 'text') el.textContent = String(v);
		else if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
		else if (k === 'dataset') Object.assign(el.dataset, v);
		else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
		else if (k === 'style') throw new Error('no style attributes (CSP): use a class');
		else if (k === 'value' && 'value' in el && el.namespaceURI !== SVG_NS) el.value = v;
		else if (k === 'selected' || k === 'checked') { el.setAttribute(k, ''); el[k] = true; }
		else if (k === 'disabled' || k === 'hidden' || k === 'multiple' || k === 'required') el[k] = !!v;
		else el.setAttribute(k, v === true ? '' : String(v));
	}
	add(el, kids);
	return el;
}

function add(el, kids) {
	for (const k of kids) {
		if (k === undefined || k === null || k === false) continue;
		if (Array.isArray(k)) add(el, k);
		else if (k instanceof Node) el.appendChild(k);
		else el.appendChild(document.createTextNode(String(k)));
	}
}

/** h('tag', {attrs}, ...children) — an HTML element; strings become text. */
export function h(tag, attrs, ...kids) {
	return put(document.createElement(tag), attrs, kids);
}

/** s('tag', {attrs}, ...children) — an SVG element. */
export function s(tag, attrs, ...kids) {
	return put(document.createElementNS(SVG_NS, tag), attrs, kids);
}

export function clear(el) {
	while (el.firstChild) el.removeChild(el.firstChild);
	return el;
}

/** Escape text for HTML, for the rare place that needs a string. */
export function esc(v) {
	return String(v).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

export function isNum(v) {
	return typeof v === 'number' && Number.isFinite(v);
}

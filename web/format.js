// format.js — numbers, money, dates and the names of things, in the
// user's language.  Scores always with 2 decimals (as the engine rounds them).

import { t, getLang, has } from './i18n.js';
import { isNum } from './dom.js';

export function score(v) {
	return isNum(v) ? v.toFixed(2) : '–';
}

export function num(v) {
	if (!isNum(v)) return '–';
	return new Intl.NumberFormat(getLang(), { maximumFractionDigits: 2 }).format(v);
}

// The plan's currency (ISO 4217, SPEC: the plan key `currency`), set when
// the plan is loaded; money is shown with it ("CN¥1,234.00", "¥1,234.00").
let currency = '';
export function setCurrency(code) {
	currency = typeof code === 'string' && /^[A-Z]{3}$/.test(code) ? code : '';
}

function withCurrency(decimal, plain) {
	if (!currency) return plain;
	try {
		// a decimal string: formatted exactly, no float rounding
		return new Intl.NumberFormat(getLang(), { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(decimal);
	} catch {
		return `${plain} ${currency}`;
	}
}

/** Integer cents to "CN¥12,345.67" — integer arithmetic, no float rounding. */
export function money(cents) {
	if (!isNum(cents)) return '–';
	const neg = cents < 0;
	const a = Math.abs(Math.trunc(cents));
	const whole = new Intl.NumberFormat(getLang(), { maximumFractionDigits: 0 }).format(Math.floor(a / 100));
	const frac = String(a % 100).padStart(2, '0');
	return withCurrency(`${neg ? '-' : ''}${Math.floor(a / 100)}.${frac}`, `${neg ? '-' : ''}${whole}.${frac}`);
}

/** An indicator's value in its unit: money in the plan's currency. */
export function measure(v, unit) {
	if (!isNum(v)) return '–';
	if (unit === 'currency' && currency) return withCurrency(v.toFixed(2), num(v));
	return num(v);
}

/** An ISO timestamp shown as local "YYYY-MM-DD HH:MM". */
export function when(iso) {
	if (!iso) return '–';
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return String(iso);
	const p = n => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function today() {
	const d = new Date();
	const p = n => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// Built-in keys (SPEC section 1) have a translation; anything an
// organisation added shows the name from its plan, else its key.
function named(prefix, key, name) {
	if (key && getLang() !== 'en' && has(`${prefix}.${key}`)) return t(`${prefix}.${key}`);
	if (name) return name;
	if (key && has(`${prefix}.${key}`)) return t(`${prefix}.${key}`);
	return key || '–';
}

export const position = (key, name) => named('pos', key, name);
export const indicator = (key, name) => named('ind', key, name);
export const stateName = k => named('state', k);
export const role = k => named('role', k);
export const kind = k => named('kind', k);
export const rule = k => named('rule', k);
export const goal = k => named('goal', k);
export const source = k => named('source', k);

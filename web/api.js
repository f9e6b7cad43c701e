// api.js — the one door to the server.  Every state-changing request carries
// the session's CSRF token; JSON bodies say so; a 401 sends the user to the
// login screen; an answer's `error` (and a plan's `problems`) become an
// ApiError the screens show in the message area.

let csrf = '';
let onUnauthorized = () => {};

export function setCsrf(token) { csrf = token || ''; }
export function onLoggedOut(fn) { onUnauthorized = fn; }

export class ApiError extends Error {
	constructor(status, message, body) {
		super(message);
		this.status = status;
		this.body = body || {};
		this.problems = Array.isArray(this.body.problems) ? this.body.problems : [];
		this.handled = false; // true once the 401 redirect has taken care of it
	}
}

async function answer(res, path) {
	const type = res.headers.get('Content-Type') || '';
	let body = null;
	if (type.includes('application/json')) {
		try { body = await res.json(); } catch { body = null; }
	}
	if (res.ok) return body !== null ? body : res;
	const msg = body && typeof body.error === 'string' && body.error
		? body.error
		: `${res.status} ${res.statusText || ''}`.trim();
	const err = new ApiError(res.status, msg, body);
	if (res.status === 401 && path !== '/api/login') {
		err.handled = true;
		onUnauthorized();
	}
	throw err;
}

/**
 * api(method, path, {json, body, type}) — json: an object sent as JSON;
 * body: a raw body (a File, a string) with content type `type`.
 */
export async function api(method, path, opt = {}) {
	const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
	if (method !== 'GET' && method !== 'HEAD') init.headers['X-CSRF-Token'] = csrf;
	if (opt.json !== undefined) {
		init.headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(opt.json);
	} else if (opt.body !== undefined) {
		init.headers['Content-Type'] = opt.type || 'application/octet-stream';
		init.body = opt.body;
	}
	let res;
	try {
		res = await fetch(path, init);
	} catch (e) {
		throw new ApiError(0, null, { network: true });
	}
	return answer(res, path);
}

/** GET a file and hand it to the browser as a download; errors as ApiError. */
export async function download(path, fallbackName) {
	let res;
	try {
		res = await fetch(path, { credentials: 'same-origin' });
	} catch (e) {
		throw new ApiError(0, null, { network: true });
	}
	if (!res.ok) await answer(res, path);
	const blob = await res.blob();
	let name = fallbackName;
	const cd = res.headers.get('Content-Disposition') || '';
	const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) || /filename="?([^";]+)"?/i.exec(cd);
	if (m) {
		try { name = decodeURIComponent(m[1]); } catch { name = m[1]; }
	}
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10000);
	return name;
}

/** Build a query string from an object, leaving out empty values. */
export function qs(params) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params))
		if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, v === true ? '1' : String(v));
	const s = q.toString();
	return s ? `?${s}` : '';
}

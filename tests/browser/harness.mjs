// harness.mjs — what the browser tests (flow.mjs, walk.mjs, people.mjs)
// share: the server's loopback URL from the command line, Debian's
// Chromium, checks and steps, a person's own browser context (console
// errors, CSP violations and page errors collected; changes without the
// CSRF token noted; a message already on the page marked old before each
// action, so that messageText waits for the action's own), screenshots, a
// whole-run deadline and the summary line the shell tests read.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * script: its name, for the usage line; tag: what a FAIL line names
 * ("browser", "walk desktop-en"); prefix: of the screenshots' names;
 * summary: the word of the last line ("browser: N passed, M failed");
 * stepMs: each wait's limit; runMs: the whole run's; defaults: a session's
 * viewport, locale and mobile when it does not say.
 */
export async function harness({ script, tag, prefix, summary, stepMs = 15000, runMs = 240000, defaults = {} }) {
	const BASE = (process.argv[2] || process.env.MERIT_URL || '').replace(/\/?$/, '/');
	if (!/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/$/.test(BASE)) {
		console.error(`usage: node ${script} http://127.0.0.1:PORT/  (a loopback address)`);
		process.exit(2);
	}
	const ART = path.resolve(process.env.MERIT_ARTIFACTS || path.join(here, '..', 'artifacts'));
	fs.mkdirSync(ART, { recursive: true });

	let passed = 0, failed = 0, failedSteps = 0, stopped = false;
	const shots = [], problems = [], sessions = [];
	function check(desc, cond, detail) {
		if (cond) { passed++; return true; }
		failed++;
		console.error(`FAIL [${tag}]: ${desc}${detail !== undefined ? ': ' + String(detail).slice(0, 600) : ''}`);
		return false;
	}

	const browser = await chromium.launch({
		executablePath: process.env.MERIT_CHROMIUM || '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
			'--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
		timeout: 60000,
	});
	// a hung page must not hang the test suite
	const deadline = setTimeout(() => {
		console.error(`FAIL [${tag}]: the run took more than ${runMs / 1000} s`);
		process.exit(1);
	}, runMs);

	async function session(name, opts = {}) {
		const mobile = opts.mobile ?? defaults.mobile ?? false;
		const ctx = await browser.newContext({
			viewport: opts.viewport || defaults.viewport || { width: 1280, height: 900 },
			locale: opts.locale || defaults.locale || 'en-US',
			deviceScaleFactor: 1,
			isMobile: mobile,
			hasTouch: mobile,
			acceptDownloads: true,
		});
		ctx.setDefaultTimeout(stepMs);
		const page = await ctx.newPage();
		/* a message on the page before an action is not the action's answer:
		   each click, change or submit marks the messages shown so far as old */
		await page.addInitScript(() => {
			const mark = () => document.querySelectorAll('#messages .msg').forEach(m => { m.dataset.old = '1'; });
			for (const ev of ['click', 'change', 'submit']) document.addEventListener(ev, mark, true);
		});
		page.on('console', m => {
			if (m.type() !== 'error') return;
			const t = m.text();
			// the API's own 4xx answers are logged by Chromium as failed resources: expected
			if (/Failed to load resource: the server responded with a status of (400|401|403|404|409|422)/.test(t)) return;
			problems.push(`${name}: console: ${t}`);
		});
		page.on('pageerror', e => problems.push(`${name}: page error: ${e.message}`));
		const csrfless = [];
		page.on('request', r => {
			if (r.url().includes('/api/') && !['GET', 'HEAD'].includes(r.method()) && !r.url().endsWith('/api/login')) {
				if (!r.headers()['x-csrf-token']) csrfless.push(`${r.method()} ${r.url()}`);
			}
		});
		const s = { ctx, page, name, csrfless };
		sessions.push(s);
		return s;
	}

	async function shot(s, label) {
		const f = path.join(ART, `${prefix}${label}.png`);
		await s.page.screenshot({ path: f, fullPage: true });
		shots.push(f);
		return f;
	}

	/** The message an action gave (a new one), once its view is drawn too. */
	async function messageText(page, kind) {
		const el = await page.waitForSelector(`#messages [data-test="msg-${kind}"]:not([data-old])`);
		await page.waitForSelector('#main:not([aria-busy])', { state: 'attached' });
		return (await el.textContent()) || '';
	}

	async function text(page, sel) {
		return ((await page.textContent(sel)) || '').trim();
	}

	/** A step: its failure is a failed check, with each page's screenshot;
	    with stopOnFail the steps after it are not run. */
	async function step(desc, fn, { stopOnFail = false, times = false } = {}) {
		if (stopped) return;
		const t0 = Date.now();
		try {
			await fn();
		} catch (e) {
			check(desc, false, e && e.message ? e.message.split('\n')[0] : e);
			failedSteps++;
			if (stopOnFail) stopped = true;
			for (const x of sessions)
				await shot(x, `failed-${failedSteps}-${x.name}`).catch(() => {});
		}
		if (times) console.log(`  ${((Date.now() - t0) / 1000).toFixed(1)} s  ${desc}`);
	}

	/** No console, CSP or page errors; the summary line; the exit status. */
	async function finish() {
		check('no console errors, CSP violations or page errors', problems.length === 0, problems.join('\n'));
		await browser.close();
		clearTimeout(deadline);
		for (const f of shots) console.log(`screenshot: ${f}`);
		console.log(`${summary}: ${passed} passed, ${failed} failed`);
		process.exit(failed ? 1 : 0);
	}

	return { BASE, ART, check, session, shot, messageText, text, step, finish, sessions };
}

// flow.mjs — merit's web UI end to end in a real browser (Debian's Chromium
// driven by playwright-core): an admin opens a cycle and uploads data, a
// member rates themselves on their position's criteria (the form shows the
// duties), their manager rates them and nominates a peer, who rates them
// too, the admin calibrates a grade, moves the cycle to review and closes
// it after the readiness list, the member acknowledges the result; a
// cycle of another length is opened only when confirmed, and deleted; the
// plan form shows a mistake at its field and saves the fixed draft after
// its what-if; a
// member cannot open a colleague's scorecard; the language switch shows
// Chinese and every string exists in both languages; a phone renders the
// dashboard.  Screenshots go to $MERIT_ARTIFACTS.
//
//   node flow.mjs http://127.0.0.1:PORT/
//
// The database is made by tests/e2e/t0420-browser.sh: users boss (admin),
// wang (manager, 王芳), lina (member, reports to wang) and li (member, 李娜),
// passwords below.  Prints "browser: N passed, M failed"; exits 1 on a failure.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { harness } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PERIOD = process.env.MERIT_PERIOD || '2026-11';
const PW = {
	boss: process.env.MERIT_PW_BOSS || 'boss password 1',
	wang: process.env.MERIT_PW_WANG || 'wang password 1',
	lina: process.env.MERIT_PW_LINA || 'lina password 1',
	li: process.env.MERIT_PW_LI || 'li password 12',
};
const { BASE, ART, check, session, shot, messageText, text, step, finish } =
	await harness({ script: 'flow.mjs', tag: 'browser', prefix: 'browser-', summary: 'browser' });

async function login(s, user) {
	const { page } = s;
	await page.goto(BASE + '#/login');
	await page.waitForSelector('#login-form');
	await page.fill('#login-user', user);
	await page.fill('#login-pass', PW[user]);
	await Promise.all([
		page.waitForSelector('#view-dashboard'),
		page.click('#login-submit'),
	]);
}

async function go(s, hash, sel) {
	// the same address again changes no hash: load the page afresh
	if (s.page.url() === BASE + hash) await s.page.reload();
	else await s.page.goto(BASE + hash);
	await s.page.waitForSelector(sel);
}

// ---------------------------------------------------------------- admin
const admin = await session('admin');
await step('admin logs in and sees the dashboard', async () => {
	await login(admin, 'boss');
	const p = admin.page;
	check('the page has UTF-8 and a viewport', await p.evaluate(() =>
		document.characterSet === 'UTF-8' && !!document.querySelector('meta[name=viewport]')));
	check('the admin menu has cycles, users, audit', await p.locator('[data-test=nav-cycles]').count() === 1 &&
		await p.locator('[data-test=nav-users]').count() === 1 && await p.locator('[data-test=nav-audit]').count() === 1);
	// nobody has data yet: nobody is ranked, everyone is listed as not scored, with why
	const rank = await text(p, '[data-test=card-ranking]');
	const unscored = await text(p, '[data-test=card-not-scored]');
	check('before any data nobody is ranked', !rank.includes('王芳') && !rank.includes('lina'), rank);
	check('the people not scored are listed apart, with the reason', unscored.includes('王芳') &&
		unscored.includes('李娜') && /coverage/i.test(unscored), unscored);
	// every string the UI shows exists in English and Chinese
	const missing = await p.evaluate(async () => {
		const m = await import('/i18n.js');
		const en = m._dicts.en, zh = m._dicts['zh-CN'];
		return Object.keys(en).filter(k => !(k in zh));
	});
	check('every English string has its Chinese', missing.length === 0, missing.join(', '));
});

await step('admin opens the cycle', async () => {
	const p = admin.page;
	await go(admin, '#/cycles', '#view-cycles');
	await p.fill('#cycle-period', PERIOD);
	await p.click('#cycle-open');
	const msg = await messageText(p, 'ok');
	check('opening says so', msg.includes(PERIOD), msg);
	await p.waitForSelector(`tr[data-period="${PERIOD}"] [data-state="open"]`);
	check('the period picker offers the cycle', (await p.locator(`#period option[value="${PERIOD}"]`).count()) === 1);
	// opening it twice: the API's 409 message is shown
	await p.fill('#cycle-period', PERIOD);
	await p.click('#cycle-open');
	const err = await messageText(p, 'error');
	check('a second open shows the API error', /already|exists/i.test(err), err);
	check('the message area is an alert', (await p.getAttribute('#messages', 'role')) === 'alert');
	// a cycle of another length than the plan's month: opened only when confirmed, then deleted
	const odd = '2027-03-01..2027-03-10';
	await p.fill('#cycle-period', odd);
	await p.click('#cycle-open');
	await p.waitForSelector('#dialog[open]');
	const ask = await text(p, '#dialog-text');
	check('opening a 10-day cycle asks to confirm, saying why', /month/.test(ask), ask);
	await p.click('#dialog-ok');
	await p.waitForSelector(`tr[data-period="${odd}"] [data-state="open"]`);
	await p.click(`[data-test="cycle-rm-${odd}"]`);
	await p.waitForSelector('#dialog[open]');
	await p.click('#dialog-ok');
	const gone = await messageText(p, 'ok');
	check('an empty cycle is deleted', gone.includes(odd), gone);
	await p.waitForSelector(`tr[data-period="${odd}"]`, { state: 'detached' });
	check('and is no longer listed', (await p.locator(`tr[data-period="${odd}"]`).count()) === 0);
});

const csv = [
	'date,indicator,login,value,denominator',
	`${PERIOD}-05,promo_posts,lina,18,`,
	`${PERIOD}-12,promo_posts,lina,20,`,
	`${PERIOD}-20,online_customers,lina,35,`,
	`${PERIOD}-20,opportunities,,140,`,
	`${PERIOD}-21,online_sales,,250000,`,
	`${PERIOD}-22,content_updates,li,12,`,
].join('\n') + '\n';

await step('admin uploads a measurements CSV', async () => {
	const p = admin.page;
	await go(admin, '#/data', '#upload-form');
	await p.selectOption('#upload-kind', 'measurements');
	await p.setInputFiles('#upload-file', { name: 'november 十一月.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	const resp = p.waitForResponse(r => r.url().includes('/api/import?'));
	await p.click('#upload-submit');
	const r = await resp;
	check('the import answers 200', r.status() === 200, `${r.status()} ${await r.text()}`);
	const u = new URL(r.url());
	check('the import names kind and file', u.searchParams.get('kind') === 'measurements' && u.searchParams.get('file') === 'november 十一月.csv', r.url());
	await p.waitForSelector('[data-test=upload-result] .ok');
	const res = await text(p, '[data-test=upload-result]');
	check('the result gives the batch and rows', /#\d+/.test(res) && res.includes('6'), res);
	await p.waitForSelector('[data-test=batches] td:has-text("november 十一月.csv")');
	const row = await text(p, '[data-test=batches] tbody tr:first-child');
	check('the batch keeps the uploaded name, not a server path', !/merit-upload-|\/tmp\//.test(row), row);
	check('the batch shows its dates', row.includes(`${PERIOD}-05`) && row.includes(`${PERIOD}-22`), row);
	await shot(admin, 'admin-data');

	// a bad file: the API's error (file:line:column) is shown, nothing is read
	await p.setInputFiles('#upload-file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('date,indicator,login,value,denominator\n2026-11-31,promo_posts,lina,1,\n') });
	await p.click('#upload-submit');
	const err = await messageText(p, 'error');
	check('a bad upload shows file:line:column', /bad\.csv:2:1/.test(err), err);
	check('the error names the upload, not a server path', !/merit-upload-|\/tmp\//.test(err), err);
	check('the bad file made no batch', (await p.locator('[data-test=batches] td:has-text("bad.csv")').count()) === 0);

	// the same export again, re-saved with CRLF line ends: the upload offers
	// to replace the earlier batch, or to cancel (nothing read)
	const batchIds = async () => (await p.locator('[data-test=batches] tbody tr').allTextContents()).join(' | ');
	const before = await batchIds();
	const again = async () => {
		await p.setInputFiles('#upload-file', { name: 'november 十一月.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.replace(/\n/g, '\r\n')) });
		await p.click('#upload-submit');
		await p.waitForSelector('#dialog[open]');
		return text(p, '#dialog-text');
	};
	let said = await again();
	check('an overlapping upload asks: replace or cancel', /batch \d+/.test(said), said);
	await p.click('#dialog-cancel');
	await p.waitForSelector('#dialog', { state: 'detached' });
	check('cancelled: the batches are as they were', (await batchIds()) === before, await batchIds());
	said = await again();
	const swap = p.waitForResponse(r => r.url().includes('/api/import?') && new URL(r.url()).searchParams.get('replace') === '1');
	await p.click('#dialog-ok');
	const sr = await swap;
	check('replace re-sends the file with replace=1: 200', sr.status() === 200, `${sr.status()} ${await sr.text()}`);
	await p.waitForSelector('[data-test=upload-result] .ok');
	const res2 = await text(p, '[data-test=upload-result]');
	check('the result says which batch it replaced', /#\d+/.test(res2), res2);
	check('one batch of the export, not two', (await p.locator('[data-test=batches] td:has-text("november 十一月.csv")').count()) === 1, await batchIds());
});

await step('admin records a value by hand', async () => {
	const p = admin.page;
	await p.fill('#record-indicator', 'online_sales');
	await p.fill('#record-value', '12345');
	await p.selectOption('#record-login', '');
	await p.fill('#record-date', `${PERIOD}-25`);
	const resp = p.waitForResponse(r => r.url().endsWith('/api/record'));
	await p.click('#record-submit');
	const r = await resp;
	check('record answers 200', r.status() === 200, `${r.status()} ${await r.text()}`);
	const msg = await messageText(p, 'ok');
	check('record says so', msg.includes('online_sales'), msg);
});

// ---------------------------------------------------------------- member
const lina = await session('lina');
await step('the member rates themselves', async () => {
	await login(lina, 'lina');
	const p = lina.page;
	check('a member has no admin menus', (await p.locator('[data-test=nav-cycles], [data-test=nav-users], [data-test=nav-audit]').count()) === 0);
	const rank = await text(p, '#view-dashboard');
	check('a member sees only themselves', !rank.includes('王芳') && !rank.includes('李娜') && rank.includes('lina'), rank);
	check('a member with data for most of their KPI weight is ranked', (await text(p, '[data-test=card-ranking]')).includes('lina'));
	await go(lina, `#/rate/lina?period=${PERIOD}`, '#rate-form-self');
	check('no manager form for oneself', (await p.locator('#rate-form-manager').count()) === 0);
	// the form is the position's: its duties and its own criteria, not the plan's "overall"
	const duties = await text(p, '[data-test=card-duties]');
	check('the rating form shows the position and its duties', /promotion/i.test(duties) && duties.includes('strategy'), duties);
	const keys = await p.$$eval('[data-test=criteria] li', els => els.map(e => e.dataset.key));
	check('the criteria are the promoter\'s', keys.join(',') === 'analysis,strategy,execution', keys.join(','));
	check('no "overall" criterion', (await p.locator('[data-test^="stars-self-overall"]').count()) === 0);
	await p.click('[data-test="star-self-analysis-4"]');
	check('the stars read 4 / 5', (await text(p, '[data-test="stars-value-self-analysis"]')).startsWith('4 / 5'));
	await p.fill('#rate-comment-self', 'Good month <b>not bold</b> — 推广顺利');
	const resp = p.waitForResponse(r => r.url().endsWith('/api/ratings') && r.request().method() === 'POST');
	await p.click('#rate-submit-self');
	const r = await resp;
	check('the self rating answers 200', r.status() === 200, `${r.status()} ${await r.text()}`);
	const body = JSON.parse(r.request().postData() || '{}');
	check('the rating is sent as JSON with stars', body.by === 'self' && body.login === 'lina' && body.criteria && body.criteria.analysis === 4, JSON.stringify(body));
	check('the rating carried JSON content type', (r.request().headers()['content-type'] || '').startsWith('application/json'));
	await messageText(p, 'ok');
	await p.waitForSelector('#rate-form-self');
	check('the saved rating shows again', (await text(p, '[data-test="stars-value-self-analysis"]')).startsWith('4 / 5'));
	await shot(lina, 'member-rate');
});

await step('a member cannot open a colleague\'s scorecard', async () => {
	const p = lina.page;
	const resp = p.waitForResponse(r => r.url().includes('/api/scorecard?') && r.url().includes('login=li'));
	await p.goto(BASE + `#/card/li?period=${PERIOD}`);
	const r = await resp;
	check('the API answers 404 for a colleague', r.status() === 404, r.status());
	await p.waitForSelector('[data-test=card-not-found]');
	const body = await text(p, '#main');
	check('nothing of the colleague is shown', !body.includes('李娜') && !body.includes('content_updates'), body);
	await shot(lina, 'member-colleague-404');
	await go(lina, '#/users', '[data-test=not-allowed]');
	check('an admin page says not allowed', true);
	// the API refuses a change without the CSRF token
	const st = await p.evaluate(async per => (await fetch('/api/ratings', {
		method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ period: per, login: 'lina', by: 'self', criteria: { analysis: 1 } }),
	})).status, PERIOD);
	check('a POST without X-CSRF-Token is refused with 403', st === 403, st);
	lina.csrfless.splice(lina.csrfless.findIndex(x => x.endsWith('/api/ratings')), 1); // that one on purpose
	// own scorecard works and shows the derivation down to the file
	await go(lina, `#/card/lina?period=${PERIOD}`, '[data-test=card-indicators]');
	await p.click('[data-test=toggle-promo_posts]');
	const d = await text(p, '[data-test=deriv-promo_posts]');
	check('the derivation names the file and lines', d.includes('november 十一月.csv') && /2\s*[–-]\s*3/.test(d), d);
	const wh = await text(p, '[data-test=card-withheld]');
	check('before release the card says the results are not released yet', /not released/i.test(wh), wh);
	const fin = await text(p, '[data-test=tile-final]');
	check('... and shows no final score', /not released/i.test(fin) && !/\d/.test(fin), fin);
	await shot(lina, 'member-card');
});

await step('the language switch shows Chinese', async () => {
	const p = lina.page;
	await go(lina, `#/dashboard?period=${PERIOD}`, '#view-dashboard');
	await p.selectOption('#lang', 'zh-CN');
	await p.waitForSelector('[data-test=nav-dashboard]:has-text("总览")');
	check('the page says it is Chinese', (await p.getAttribute('html', 'lang')) === 'zh-CN');
	await p.waitForSelector('#view-dashboard h1:has-text("总览")');
	const nav = await text(p, '#nav');
	check('the menu is in Chinese', nav.includes('评分') && nav.includes('报表'), nav);
	await shot(lina, 'member-dashboard-zh');
	await p.reload();
	await p.waitForSelector('#view-dashboard h1:has-text("总览")');
	check('the choice is kept', true);
	await p.selectOption('#lang', 'en');
	await p.waitForSelector('#view-dashboard h1:has-text("Dashboard")');
});

// ---------------------------------------------------------------- manager
const wang = await session('wang');
await step('the manager rates the member', async () => {
	await login(wang, 'wang');
	const p = wang.page;
	const rank = await text(p, '#view-dashboard');
	check('the manager sees their report', rank.includes('lina') && rank.includes('王芳'), rank);
	check('the manager does not see others', !rank.includes('李娜'), rank);
	await go(wang, `#/rate/lina?period=${PERIOD}`, '#rate-form-manager');
	for (const c of ['analysis', 'strategy', 'execution'])
		await p.click(`[data-test="star-manager-${c}-4.5"]`);
	check('half stars', (await text(p, '[data-test="stars-value-manager-execution"]')).startsWith('4.5 / 5'));
	await p.fill('#rate-comment-manager', '继续保持');
	const resp = p.waitForResponse(r => r.url().endsWith('/api/ratings') && r.request().method() === 'POST');
	await p.click('#rate-submit-manager');
	const r = await resp;
	check('the manager rating answers 200', r.status() === 200, `${r.status()} ${await r.text()}`);
	await messageText(p, 'ok');
	await p.waitForSelector('[data-test=received]');
	const recv = await text(p, '[data-test=received]');
	check('the manager sees the self rating, markup as text', recv.includes('<b>not bold</b>'), recv);
	check('no markup from a comment became an element', (await p.locator('[data-test=received] b').count()) === 0);
	await shot(wang, 'manager-rate');
	// the manager nominates li to rate lina as a peer
	await p.waitForSelector('[data-test=peers-form]');
	await p.check('[data-test=peer-li]');
	const put = p.waitForResponse(r => r.url().endsWith('/api/peers') && r.request().method() === 'PUT');
	await p.click('#peers-submit');
	const pr = await put;
	check('nominating a peer answers 200', pr.status() === 200, `${pr.status()} ${await pr.text()}`);
	check('the nomination names li', JSON.stringify(JSON.parse(pr.request().postData() || '{}').peers) === '["li"]', pr.request().postData());
	await messageText(p, 'ok');
	await p.waitForSelector('[data-test=peer-li]:checked');
	await go(wang, `#/card/lina?period=${PERIOD}`, '[data-test=tile-manager]');
	const m = await text(p, '[data-test=tile-manager]');
	check('the scorecard shows the manager score 90.00', m.includes('90.00'), m);
	const cov = await text(p, '[data-test=tile-coverage]');
	check('the scorecard shows the KPI coverage', cov.includes('55%'), cov);
	check('no "not counted" line while no weight-0 component has a score',
		(await p.locator('[data-test=comp-not-counted]').count()) === 0);
	check('no tile for a component that does not count', (await p.locator('[data-test=tile-peer]').count()) === 0);
});

const li = await session('li');
await step('a nominated peer rates, unnamed to the person', async () => {
	await login(li, 'li');
	const p = li.page;
	await go(li, `#/rate/lina?period=${PERIOD}`, '#rate-form-peer');
	check('li has the peer form for lina, on the promoter\'s criteria', (await p.locator('[data-test="stars-peer-strategy"]').count()) === 1);
	await p.click('[data-test="star-peer-strategy-3"]');
	await p.fill('#rate-comment-peer', 'from a colleague');
	const resp = p.waitForResponse(r => r.url().endsWith('/api/ratings') && r.request().method() === 'POST');
	await p.click('#rate-submit-peer');
	const r = await resp;
	check('the peer rating answers 200', r.status() === 200, `${r.status()} ${await r.text()}`);
	await go(lina, `#/rate/lina?period=${PERIOD}`, '[data-test=received]');
	const recv = await text(lina.page, '[data-test=received]');
	check('lina sees the peer rating as "Peer 1", not who gave it', recv.includes('Peer 1') && !recv.includes('李娜') && !/\bli\b/.test(recv.replace('lina', '')), recv);
	// the plan gives peers no weight: the score is shown apart, not counted
	await go(lina, `#/card/lina?period=${PERIOD}`, '[data-test=comp-not-counted]');
	const nc = await text(lina.page, '[data-test=comp-not-counted]');
	check('a weight-0 component with a score is shown apart as not counted',
		/not counted/i.test(nc) && /Peer/.test(nc) && !/Upward/.test(nc), nc);
	check('and has no tile', (await lina.page.locator('[data-test=tile-peer]').count()) === 0);
});

await step('the admin calibrates a grade with a reason', async () => {
	const p = admin.page;
	await go(admin, `#/card/lina?period=${PERIOD}`, '#calibrate-form');
	await p.selectOption('#calibrate-grade', 'B');
	await p.click('#calibrate-submit'); // no reason: refused in the page
	await messageText(p, 'error');
	await p.fill('#calibrate-reason', 'steady month 稳定');
	const resp = p.waitForResponse(r => r.url().endsWith('/api/calibrations'));
	await p.click('#calibrate-submit');
	const r = await resp;
	check('the calibration answers 200', r.status() === 200, `${r.status()} ${await r.text()}`);
	await p.waitForSelector('[data-test=calibrated]');
	const g = await text(p, '[data-test=tile-grade]');
	check('the grade tile shows B, calibrated', g.includes('B'), g);
	const note = await text(p, '[data-test=note-calibrated]');
	check('the scorecard gives the calibration\'s reason', note.includes('steady month 稳定'), note);
});

// ---------------------------------------------------------------- admin closes
await step('the admin moves the cycle to review and closes it', async () => {
	const p = admin.page;
	await go(admin, '#/cycles', '#view-cycles');
	await p.click(`[data-test="cycle-review-${PERIOD}"]`);
	await p.waitForSelector(`tr[data-period="${PERIOD}"] [data-state="review"]`);
	const rd = p.waitForResponse(r => r.url().includes('/api/readiness?'));
	await p.click(`[data-test="cycle-close-${PERIOD}"]`);
	check('the close button first asks what stands in the way', (await rd).status() === 200);
	await p.waitForSelector('#dialog[open] [data-test=readiness]');
	const list = await text(p, '#dialog [data-test=readiness]');
	check('the close dialog lists indicators with no data', /No data/.test(list) && /keyword_rank/.test(list), list);
	check('the close dialog lists who is not scored, and why', /Not scored/.test(list) && /li is not scored/.test(list) && /coverage/.test(list), list);
	check('the close dialog lists ratings still owed', /Rating owed/.test(list), list);
	check('the dialog offers to close anyway', /anyway/i.test(await text(p, '#dialog-ok')));
	await shot(admin, 'admin-close-dialog');
	const closing = p.waitForResponse(r => r.url().endsWith('/api/cycles') && r.request().method() === 'POST');
	await p.click('#dialog-ok');
	const cr = await closing;
	check('closing anyway sends force', JSON.parse(cr.request().postData() || '{}').force === true, cr.request().postData());
	await p.waitForSelector(`tr[data-period="${PERIOD}"] [data-state="closed"]`);
	const msg = await messageText(p, 'ok');
	check('closing says frozen', /closed/i.test(msg), msg);
	await go(admin, `#/dashboard?period=${PERIOD}`, '#view-dashboard [data-state="closed"]');
	const intro = await text(p, '#view-dashboard .intro');
	check('the dashboard says the results are frozen', /frozen/i.test(intro), intro);
	// the team by value-chain stage: a row a stage, its people, scored of them, mean
	const stageRow = async st => (await p.locator(`[data-test=by-stage] tr[data-stage="${st}"] td`).allTextContents()).map(x => x.trim());
	const [content, promotion, evaluation] = [await stageRow('content'), await stageRow('promotion'), await stageRow('evaluation')];
	const linaFinal = ((await p.locator('[data-test=ranking] tr[data-login="lina"] td').allTextContents())[3] || '').trim();
	check('by stage: content is 李娜, not scored', content[1] === '李娜' && content[2] === '0 / 1' && content[3] === '–', content.join(' | '));
	check('by stage: promotion is Lina, her final its mean', promotion[1] === 'Lina Chen' && promotion[2] === '1 / 1' &&
		linaFinal.startsWith(promotion[3]), `${promotion.join(' | ')} / ${linaFinal}`);
	check('by stage: evaluation is 王芳', evaluation[1] === '王芳' && /^\d \/ 1$/.test(evaluation[2]), evaluation.join(' | '));
	await shot(admin, 'admin-dashboard-closed');
	await go(lina, `#/rate/lina?period=${PERIOD}`, '[data-test=rate-none]');
	check('the member can no longer rate a closed cycle', (await lina.page.locator('#rate-form-self').count()) === 0);
});

await step('the admin releases the results', async () => {
	const p = admin.page;
	await go(admin, '#/cycles', '#view-cycles');
	const cell = await text(p, `[data-test="cycle-released-${PERIOD}"]`);
	check('the cycles list says the results are not released', /not released/i.test(cell), cell);
	await p.click(`[data-test="cycle-release-${PERIOD}"]`);
	await p.waitForSelector('#dialog[open]');
	const rel = p.waitForResponse(r => r.url().endsWith('/api/cycles') && r.request().method() === 'POST');
	await p.click('#dialog-ok');
	check('releasing answers 200', (await rel).status() === 200);
	await p.waitForSelector(`[data-test="cycle-withhold-${PERIOD}"]`);
	await go(lina, `#/card/lina?period=${PERIOD}`, '[data-test=card-summary]');
	check('after release the member sees their grade', (await lina.page.locator('[data-test=card-withheld]').count()) === 0 &&
		/\d/.test(await text(lina.page, '[data-test=tile-final]')));
});

await step('the member acknowledges the closed result', async () => {
	const p = lina.page;
	await go(lina, `#/card/lina?period=${PERIOD}`, '#ack-form');
	await p.fill('#ack-comment', 'Agreed — 同意');
	const resp = p.waitForResponse(r => r.url().endsWith('/api/acknowledgements') && r.request().method() === 'POST');
	await p.click('#ack-submit');
	const r = await resp;
	check('the acknowledgement answers 200', r.status() === 200, `${r.status()} ${await r.text()}`);
	await p.waitForSelector('[data-test=acks] li[data-role=self]');
	const acks = await text(p, '[data-test=acks]');
	check('the card shows who acknowledged, when, with the comment', acks.includes('lina') && acks.includes('Agreed — 同意') && /\d{4}-\d\d-\d\d \d\d:\d\d/.test(acks), acks);
	check('no second acknowledgement is offered', (await p.locator('#ack-form').count()) === 0);
	await shot(lina, 'member-acknowledged');
	await go(wang, `#/card/lina?period=${PERIOD}`, '#ack-form');
	check('the manager is offered to acknowledge too', (await text(wang.page, '#ack-submit')).includes('manager'));
});

await step('the data screen offers no Remove on a batch inside the closed cycle', async () => {
	const p = admin.page;
	await go(admin, '#/data', '[data-test=batches]');
	await p.selectOption('#batch-period', PERIOD);
	await p.waitForSelector('[data-test^=batch-frozen-]');
	check('every batch of the closed cycle says so, none offers Remove',
		(await p.locator('[data-test=batches] [data-test^=batch-rm-]').count()) === 0 &&
		(await p.locator('[data-test=batches] [data-test^=batch-frozen-]').count()) > 0);
	await p.selectOption('#batch-source', 'manual');
	await p.waitForFunction(() => !document.querySelector('#batches-box td .file') ||
		[...document.querySelectorAll('#batches-box tbody tr[data-batch] td:nth-child(2)')].every(td => td.textContent === 'by hand'));
	const files = await text(p, '#batches-box');
	check('the source filter leaves only that source: no imported file', !files.includes('november 十一月.csv'), files.slice(0, 300));
	await p.selectOption('#batch-source', '');
	await p.selectOption('#batch-period', '');
	await shot(admin, 'admin-data-filtered');
});

await step('the admin reopens the cycle with a reason', async () => {
	const p = admin.page;
	await go(admin, '#/cycles', '#view-cycles');
	await p.click(`[data-test="cycle-reopen-${PERIOD}"]`);
	await p.waitForSelector('#dialog[open] #dialog-reason');
	await p.click('#dialog-ok'); // no reason: the dialog stays
	check('reopening needs a reason', await p.isVisible('#dialog[open]'));
	await p.fill('#dialog-reason', 'late orders 迟到的订单');
	await p.click('#dialog-ok');
	await p.waitForSelector(`tr[data-period="${PERIOD}"] [data-state="open"]`);
});

await step('the admin sees the audit log', async () => {
	const p = admin.page;
	await go(admin, '#/audit', '[data-test=audit]');
	const a = await text(p, '[data-test=audit]');
	check('the audit log lists the cycle changes', a.includes(PERIOD), a.slice(0, 300));
	check('the audit log keeps the reopen reason', a.includes('late orders 迟到的订单'), a.slice(0, 600));
	check('a row reads who did what to what', a.includes(`boss released the results of ${PERIOD}`) || a.includes(`(boss) released the results of ${PERIOD}`), a.slice(0, 600));
	await p.selectOption('#audit-action', 'cycle ');
	await p.fill('#audit-who', 'boss');
	await p.click('#audit-filter');
	await p.waitForFunction(() => location.hash.includes('action=cycle'));
	await p.waitForSelector('[data-test=audit], [data-test=card-audit] .empty');
	const rows = await p.locator('[data-test=audit] tbody tr').allTextContents();
	check('filtered by who and action: only the admin\'s cycle moves', rows.length > 0 &&
		rows.every(r => /boss/.test(r) && /released|withheld|closed|opened|review|deleted/i.test(r)), rows.join(' | ').slice(0, 400));
	await shot(admin, 'admin-audit');
	await go(admin, '#/users', '[data-test=users]');
	const u = await text(p, '[data-test=users]');
	check('the users list shows names and the last login', u.includes('王芳') && /Last login/.test(u) && /\d{4}-\d\d-\d\d \d\d:\d\d/.test(u), u.slice(0, 400));
});

await step('the admin sets up notices', async () => {
	const p = admin.page;
	await go(admin, '#/notify', '[data-test=card-notify-add]');
	check('no channel yet', (await p.locator('tr[data-channel]').count()) === 0);
	await p.selectOption('#notify-kind', 'dingtalk');
	await p.fill('#notify-target', 'http://127.0.0.1:9/robot/send?access_token=browser');
	await p.fill('#notify-secret', 'SECbrowser-secret');
	await p.selectOption('#notify-lang', 'zh-CN');
	await p.click('#notify-add');
	await p.waitForSelector('tr[data-channel]');
	const row = await text(p, '[data-test=channels]');
	check('the channel is listed, signed, in Chinese', row.includes('access_token=browser') && row.includes('Signed') && row.includes('中文'), row);
	check('the secret is never shown', !(await p.content()).includes('SECbrowser-secret'));
	await p.fill('#notify-set-stale_days', '5');
	await p.click('#notify-save');
	await messageText(p, 'ok');
	check('the setting is kept', (await p.inputValue('#notify-set-stale_days')) === '5');
	await p.fill('#notify-set-attempts', 'many');
	await p.click('#notify-save');
	const err = await messageText(p, 'error');
	check('a bad setting is refused with its name', err.includes('attempts'), err);
	await shot(admin, 'admin-notify');
});

await step('a plan that does not validate lists its problems', async () => {
	const p = admin.page;
	await go(admin, '#/plan', '#plan-download');
	const yaml = await text(p, '#plan-yaml');
	check('the plan page shows the YAML', yaml.includes('positions'), yaml.slice(0, 200));
	const pos = await text(p, '[data-test=card-plan-positions]');
	check('the plan page lists the positions and their indicators', pos.includes('promoter') && pos.includes('promo_posts'), pos.slice(0, 300));
	await p.setInputFiles('#plan-file', { name: 'draft 草稿.yaml', mimeType: 'application/yaml', buffer: Buffer.from('goal: sales\nrating_scale: many\n') });
	const resp = p.waitForResponse(r => r.url().includes('/api/plan') && r.request().method() === 'PUT');
	await p.click('#plan-upload');
	const r = await resp;
	check('a bad plan answers 422', r.status() === 422, r.status());
	await p.waitForSelector('#plan-problems li');
	const pr = await text(p, '#plan-problems');
	check('the problems name the file, line and column', pr.includes('draft 草稿.yaml:2:'), pr);
	await messageText(p, 'error');
	await shot(admin, 'admin-plan-problems');
});

await step('the plan form shows a mistake at its field, and saves once it is fixed', async () => {
	const p = admin.page;
	await go(admin, '#/plan', '#plan-form');
	const pos = await p.evaluate(() => [...document.querySelectorAll('[data-field$=".key"]')]
		.find(el => /^positions\[\d+\]\.key$/.test(el.dataset.field) && el.value === 'promoter').dataset.field.replace(/\.key$/, ''));
	const w = `${pos}.kpis[0].weight`, tg = `${pos}.kpis[0].target`;
	const weight = p.locator(`[data-field="${w}"]`);
	const before = await weight.inputValue();
	await weight.fill('2x');
	const msg = p.locator(`[data-problem-for="${w}"]`);
	await p.waitForFunction(f => /not a number/.test(document.querySelector(`[data-problem-for="${f}"]`).textContent), w);
	check('the mistake is shown at its field', /weight "2x" is not a number/.test(await msg.textContent()), await msg.textContent());
	check('the field is marked', await p.locator(`label.has-problem:has([data-field="${w}"])`).count() === 1);
	check('the live total says the weights do not add up', await p.locator(`[data-test="total-${pos}.kpis"].bad`).count() === 1);
	await shot(admin, 'admin-plan-form-problem');
	// a total off by 5: shown at the position's indicators
	await weight.fill(String(Number(before) - 5));
	await p.waitForFunction(f => /total 95, not 100/.test(document.querySelector(`[data-problem-for="${f}"]`).textContent), `${pos}.kpis`);
	check('a total that is not 100 is shown at the position', (await text(p, `[data-problem-for="${pos}.kpis"]`)).includes('95'));
	await weight.fill(before);
	await p.waitForFunction(() => document.querySelector('#pf-status').textContent === 'No problems found.');
	check('fixed: the message is gone', (await msg.textContent()) === '', await msg.textContent());
	await p.locator(`[data-field="${tg}"]`).fill('30');
	await p.waitForFunction(() => document.querySelector('#pf-status').textContent === 'No problems found.');
	await p.click('#pf-preview');
	const sum = await text(p, '[data-test=whatif-summary]');
	check('the what-if is shown before saving', sum.includes(PERIOD), sum);
	await shot(admin, 'admin-plan-form-whatif');
	await p.click('#pf-save');
	const ok = await messageText(p, 'ok');
	check('the plan form saves', ok.includes('saved'), ok);
	const yaml = await p.evaluate(() => fetch('/api/plan.yaml').then(r => r.text()));
	check('the saved plan has the new target', /indicator: promo_posts, weight: \d+, rule: ratio, target: 30/.test(yaml), yaml.slice(0, 400));
});

await step('a report downloads', async () => {
	const p = admin.page;
	await go(admin, `#/reports?period=${PERIOD}`, '#report-form');
	await p.selectOption('#report-format', 'csv');
	const [dl] = await Promise.all([p.waitForEvent('download'), p.click('#report-download')]);
	const f = path.join(ART, 'browser-report.csv');
	await dl.saveAs(f);
	const body = fs.readFileSync(f, 'utf8');
	check('the CSV report has the people', body.includes('lina'), body.slice(0, 300));
});

// ---------------------------------------------------------------- setting up
let inviteUrl = '';
await step('the admin adds a staff member and invites them', async () => {
	const p = admin.page;
	await go(admin, '#/staff', '#staff-form');
	await p.fill('#staff-login', 'zhou');
	await p.fill('#staff-name', '周杰');
	await p.selectOption('#staff-position', 'promoter');
	await p.selectOption('#staff-manager', 'wang');
	await p.fill('#staff-to', '2026-12-31');
	await p.fill('#staff-bonus', '4500.00');
	await p.click('#staff-save');
	await p.waitForSelector('tr[data-login="zhou"]');
	check('the staff list shows the new person', (await text(p, 'tr[data-login="zhou"]')).includes('周杰'));
	// a mistake is shown, in the server's words naming the field
	await p.click('[data-test="staff-edit-zhou"]');
	await p.fill('#staff-from', '2027-01-01');
	await p.click('#staff-save');
	check('a leave date before the start is refused, naming the field',
		(await messageText(p, 'error')).includes('field "to" is before field "from"'));
	await go(admin, '#/staff', 'tr[data-login="zhou"]');
	await p.selectOption('[data-test="staff-invite-role-zhou"]', 'member');
	await p.click('[data-test="staff-invite-zhou"]');
	inviteUrl = await p.inputValue('#invite-link');
	check('an invitation link is made', /\/invite\/[A-Za-z0-9_-]{43}$/.test(inviteUrl), inviteUrl);
	await p.click('#dialog-ok');
	// a WeCom member file (tests/data/staff): its header, one person
	const head = fs.readFileSync(path.join(here, '..', 'data', 'staff', 'wecom_user_header.csv'), 'utf8').trim();
	await go(admin, '#/staff', '#staff-import-form');
	await p.setInputFiles('#staff-file', { name: '通讯录.csv', mimeType: 'text/csv', buffer: Buffer.from(`${head}\n吴磊,wu,13800000021,,9,推广专员,1,0,0,,,,0,\n`) });
	await p.fill('#staff-titles', '推广专员=promoter');
	await p.click('#staff-import');
	await p.waitForSelector('tr[data-login="wu"]');
	check('the imported person is on the list', (await text(p, 'tr[data-login="wu"]')).includes('吴磊'));
	await shot(admin, 'admin-staff');
});

await step('the admin assigns an ownership rule', async () => {
	const p = admin.page;
	await go(admin, '#/owners', '#own-form');
	await p.selectOption('#own-kind', 'channel');
	await p.fill('#own-value', 'wechat 微信');
	await p.selectOption('#own-login', 'zhou');
	await p.click('#own-add');
	await p.waitForSelector('tr[data-kind="channel"][data-value="wechat 微信"]');
	check('the rule is listed', (await text(p, '[data-test=owners]')).includes('zhou'));
	await shot(admin, 'admin-owners');
});

await step('the admin saves a source and sees the probes', async () => {
	const p = admin.page;
	await go(admin, '#/probes', '#source-form');
	await p.fill('#source-name', '淘宝-orders');
	await p.selectOption('#source-kind', 'orders');
	await p.fill('#source-preset', 'taobao');
	await p.click('#source-add');
	await p.waitForSelector('tr[data-source="淘宝-orders"]');
	check('the saved source is listed with what it holds', (await text(p, '[data-test=sources]')).includes('preset taobao'));
	const navH = await p.evaluate(() => document.getElementById('top').getBoundingClientRect().height);
	await shot(admin, 'admin-probes');
	check('the header stays compact with the set-up screens in the menu', navH < 140, navH);
});

await step('the invitee sets a password through the link and is logged in', async () => {
	const zhou = await session('zhou');
	const p = zhou.page;
	await p.goto(inviteUrl);
	await p.waitForSelector('#invite-form');
	check('the link leaves no token in the path', new URL(p.url()).pathname === '/', p.url());
	await p.fill('#invite-pw', 'zhou password 1');
	await p.fill('#invite-pw2', 'zhou password 1');
	await Promise.all([p.waitForSelector('#view-dashboard'), p.click('#invite-submit')]);
	check('the invitee is logged in as themselves', (await text(p, '#whoami')).includes('周杰'));
	await zhou.ctx.close();
});

// ---------------------------------------------------------------- data: template, preview
await step('the data screen gives a template and previews a file before importing it', async () => {
	const p = admin.page;
	await go(admin, '#/data', '#upload-form');
	await p.selectOption('#upload-kind', 'posts');
	const [dl] = await Promise.all([p.waitForEvent('download'), p.click('#upload-template')]);
	const f = path.join(ART, 'browser-posts-template.csv');
	await dl.saveAs(f);
	const tpl = fs.readFileSync(f, 'utf8');
	check('the posts template has the importer\'s columns', tpl.startsWith('date,login,platform,url\n'), tpl);
	const posts = `date,login,platform,url,note\n${PERIOD}-12,lina,微博,https://weibo.example/flow/1,a\n${PERIOD}-13,lina,weibo,https://weibo.example/flow/2,b\n`;
	await p.setInputFiles('#upload-file', { name: 'posts 帖子.csv', mimeType: 'text/csv', buffer: Buffer.from(posts) });
	await p.click('#upload-preview');
	await p.waitForSelector('[data-test=preview-summary]');
	const sum = await text(p, '[data-test=preview-summary]');
	check('the preview counts the rows', sum.includes('2 rows') && sum.includes('2 would be counted'), sum);
	const cols = await text(p, '[data-test=preview-columns]');
	check('the preview shows the columns read and not read', cols.includes('url → url') && cols.includes('note: not read'), cols);
	check('the preview shows the first rows as read', (await p.locator('[data-test=preview-rows] tbody tr').count()) === 2 &&
		(await text(p, '[data-test=preview-rows]')).includes('微博'));
	check('a preview imports nothing', (await p.locator('[data-test=batches] td:has-text("posts 帖子.csv")').count()) === 0);
	await shot(admin, 'admin-data-preview');
	await p.click('[data-test=preview-cancel]');
	const said = await messageText(p, 'info');
	check('cancel says nothing was imported', said.includes('Nothing was imported'), said);
	await p.click('#upload-preview');
	await p.waitForSelector('[data-test=preview-import]');
	const imp = p.waitForResponse(r => r.url().includes('/api/import?'));
	await p.click('[data-test=preview-import]');
	const r = await imp;
	check('Import sends the same file: 200', r.status() === 200, `${r.status()} ${await r.text()}`);
	await p.waitForSelector('[data-test=batches] td:has-text("posts 帖子.csv")');
	check('the imported file is a batch, once', (await p.locator('[data-test=batches] td:has-text("posts 帖子.csv")').count()) === 1);
});

// ---------------------------------------------------------------- phone
await step('a phone renders the dashboard', async () => {
	const phone = await session('phone', { viewport: { width: 390, height: 844 }, mobile: true });
	await login(phone, 'boss');
	const p = phone.page;
	await go(phone, `#/dashboard?period=${PERIOD}`, '#view-dashboard [data-test=card-ranking]');
	const w = await p.evaluate(() => document.documentElement.scrollWidth);
	check('no sideways scrolling on a phone', w <= 390, w);
	check('the menu collapses behind a button', await p.isVisible('#nav-toggle') && !(await p.isVisible('#nav')));
	await shot(phone, 'phone-dashboard');
	await p.click('#nav-toggle');
	await p.waitForSelector('#nav', { state: 'visible' });
	await shot(phone, 'phone-menu');
	// the scorecard (calibration, not counted) and the rating page (duties, peers) fit too
	for (const [hash, sel, label] of [[`#/card/lina?period=${PERIOD}`, '[data-test=card-calibrate]', 'phone-card'],
		[`#/rate/lina?period=${PERIOD}`, '[data-test=card-duties]', 'phone-rate'], ['#/plan', '#plan-form', 'phone-plan'],
		['#/staff', '#staff-form', 'phone-staff'], ['#/owners', '#own-form', 'phone-owners'],
		['#/probes', '#probe-form', 'phone-probes'],
		['#/notify', '[data-test=card-notify-settings]', 'phone-notify']]) {
		await go(phone, hash, sel);
		const sw = await p.evaluate(() => document.documentElement.scrollWidth);
		check(`no sideways scrolling on a phone: ${label}`, sw <= 390, sw);
		await shot(phone, label);
	}
	await phone.ctx.close();
});

for (const s of [admin, lina, wang, li])
	check(`${s.name}: every change carried X-CSRF-Token`, s.csrfless.length === 0, s.csrfless.join(', '));
await finish();

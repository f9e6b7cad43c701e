// index-how.mjs — the scorecard says how a search-index number was
// measured (issue 13 item 7), in a real browser: the brand_awareness
// derivation of boss's card names the batch's file and lines and, under
// it, "Measured by: Baidu Index: daily search index of “徐诗晓”"; in
// Chinese "测量方式：百度指数：关键词“徐诗晓”的每日搜索指数"; the data
// screen's upload asks for the indicator only for an index file.
//
//   node index-how.mjs http://127.0.0.1:PORT/
//
// The database is made by tests/e2e/t0476-index-presets.sh: boss (admin,
// the operations manager), cycle 2021-08 with batch 1, a Baidu Index series
// of 徐诗晓 imported as brand_awareness.  Prints "browser: N passed, M
// failed"; exits 1 on a failure.

import { harness } from './harness.mjs';

const { BASE, check, session, step, finish, text } = await harness({
	script: 'index-how.mjs', tag: 'browser', prefix: 'index-how-', summary: 'browser',
});

const s = await session('boss');
const p = s.page;
await step('the card says how brand_awareness was measured, in both languages', async () => {
	await p.goto(BASE + '#/login');
	await p.waitForSelector('#login-form');
	await p.fill('#login-user', 'boss');
	await p.fill('#login-pass', 'boss-pass-1');
	await Promise.all([p.waitForSelector('#main:not([aria-busy]) .view:not(#view-login)'), p.click('#login-submit')]);
	await p.goto(BASE + '#/card/boss?period=2021-08');
	await p.waitForSelector('[data-test=toggle-brand_awareness]');
	await p.click('[data-test=toggle-brand_awareness]');
	await p.waitForSelector('[data-test=how-1]');
	const en = await text(p, '[data-test=how-1]');
	check('English: the instrument and keyword', en === 'Measured by: Baidu Index: daily search index of “徐诗晓”', en);
	const row = await text(p, '[data-test=deriv-brand_awareness]');
	check('beside the file and its lines', /xu\.csv/.test(row) && /2–4/.test(row), row);
	await p.selectOption('#lang', 'zh-CN');
	await p.waitForSelector('[data-test=toggle-brand_awareness]');
	await p.click('[data-test=toggle-brand_awareness]');
	await p.waitForSelector('[data-test=how-1]:has-text("百度指数")');
	const zh = await text(p, '[data-test=how-1]');
	check('Chinese: the instrument and keyword', zh === '测量方式：百度指数：关键词“徐诗晓”的每日搜索指数', zh);
	await p.selectOption('#lang', 'en');
});
await step('the data screen asks an index file for its indicator, only it', async () => {
	await p.goto(BASE + '#/data');
	await p.waitForSelector('[data-test=upload-kind]');
	await p.selectOption('[data-test=upload-kind]', 'index');
	await p.click('#upload-form details.more summary');
	check('an index file: the indicator field shows', await p.isVisible('[data-test=upload-indicator]'));
	await p.selectOption('[data-test=upload-kind]', 'orders');
	check('an orders file: no indicator field', !(await p.isVisible('[data-test=upload-indicator]')));
});
await finish();

// walk.mjs — the owner's whole first cycle in a real browser, with no CLI
// after `merit init` and the first admin: the admin adds the staff (a
// manager 王芳, a promoter 张伟 reporting to her, an editor 李娜), gives them
// users (a password set on the users screen, an invitation link), assigns
// a channel to the promoter, corrects the plan in its form (a mistake shown
// at its field, fixed, saved), opens the cycle and uploads a shop's order
// export on the data screen; the promoter hands in posts and the manager
// approves them, both rate by following their to-do lists, the admin moves
// the cycle to review, closes it and releases the results, the promoter
// acknowledges theirs and downloads their PDF report.  Each person is a
// browser context of their own.
//
//   node walk.mjs http://127.0.0.1:PORT/
//
// MERIT_WALK_LANG en|zh (zh: the admin switches the language in the header,
// the others' browsers ask for Chinese), MERIT_WALK_SIZE desktop|phone
// (1366x768, or 390x844 as a phone), MERIT_WALK_LABEL names the screenshots
// ($MERIT_ARTIFACTS/browser-walk-LABEL-*.png).  The database is made by
// tests/e2e/t0425-browser-walk.sh: `merit init --goal sales` and the admin
// boss, nothing else.  Prints "walk: N passed, M failed"; exits 1 on a
// failure.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { harness } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const LANG = process.env.MERIT_WALK_LANG === 'zh' ? 'zh' : 'en';
const PHONE = process.env.MERIT_WALK_SIZE === 'phone';
const LABEL = process.env.MERIT_WALK_LABEL || `${PHONE ? 'phone' : 'desktop'}-${LANG}`;
const PERIOD = '2026-11';   // the month of the order export below
const ORDERS = path.join(here, '..', 'data', 'orders', 'taobao_orders.csv');
const PW = {
	boss: process.env.MERIT_PW_BOSS || 'boss password 1',
	wang: 'wang 的密码 1',
	zhang: 'zhang password 1',
	li: 'li password 12',
};
const H = await harness({
	script: 'walk.mjs', tag: `walk ${LABEL}`, prefix: `browser-walk-${LABEL}-`, summary: 'walk',
	stepMs: Number(process.env.MERIT_WALK_STEP_MS || 30000),
	runMs: Number(process.env.MERIT_WALK_RUN_MS || 360000),
	defaults: { viewport: PHONE ? { width: 390, height: 844 } : { width: 1366, height: 768 }, mobile: PHONE },
});
const { BASE, ART, check, shot, messageText, text, finish } = H;

/** A person's own browser: the walk's screen size; Chinese asked for by
    the browser in a Chinese walk unless `english` (the admin, who switches). */
const session = (name, english) => H.session(name, { locale: LANG === 'zh' && !english ? 'zh-CN' : 'en-US' });

/** The walk stops at its first failed step: what follows needs it. */
const step = (desc, fn) => H.step(desc, fn, { stopOnFail: true, times: !!process.env.MERIT_WALK_TIMES });

async function drawn(page, sel) {
	await page.waitForSelector(sel);
	await page.waitForSelector('#main:not([aria-busy])', { state: 'attached' });
}

/** Through the menu, as a person would: on a phone it opens first. */
async function nav(s, route, sel) {
	const p = s.page;
	if (await p.isVisible('#nav-toggle')) {
		await p.click('#nav-toggle');
		await p.waitForSelector('#nav', { state: 'visible' });
	}
	const item = p.locator(`[data-test="nav-${route}"]`);
	if ((await p.url()).endsWith((await item.getAttribute('href')) || '\0')) {
		await p.reload();
	} else await item.click();
	await drawn(p, sel || `#view-${route}`);
}

/** Follow the to-do list's link whose address has `part`. */
async function todo(s, part, sel) {
	const p = s.page;
	await nav(s, 'dashboard', '#view-dashboard');
	const a = p.locator(`[data-test=todo] a[href*="${part}"]`).first();
	await a.waitFor();
	await a.click();
	await drawn(p, sel);
}

async function login(s, user) {
	const p = s.page;
	await p.goto(BASE + '#/login');
	await p.waitForSelector('#login-form');
	await p.fill('#login-user', user);
	await p.fill('#login-pass', PW[user]);
	await Promise.all([drawn(p, '#view-dashboard'), p.click('#login-submit')]);
}

/** In a Chinese walk the page is Chinese: its language and its menu. */
async function inLanguage(s) {
	const p = s.page;
	const lang = await p.getAttribute('html', 'lang');
	const first = await text(p, '[data-test=nav-dashboard]');
	if (LANG === 'zh') check(`${s.name}: the page is in Chinese`, lang === 'zh-CN' && first === '总览', `${lang} ${first}`);
	else check(`${s.name}: the page is in English`, lang === 'en' && first === 'Dashboard', `${lang} ${first}`);
}

async function noSideways(s, label) {
	if (!PHONE) return;
	const w = await s.page.evaluate(() => document.documentElement.scrollWidth);
	check(`no sideways scrolling on a phone: ${label}`, w <= 390, w);
}

// ---------------------------------------------------------------- admin
const admin = await session('admin', true);
await step('the admin logs in (and switches to Chinese)', async () => {
	await login(admin, 'boss');
	const p = admin.page;
	if (LANG === 'zh') {
		await p.selectOption('#lang', 'zh-CN');
		await p.waitForSelector('[data-test=nav-dashboard]:has-text("总览")', { state: 'attached' });
		await drawn(p, '#view-dashboard');
	}
	await inLanguage(admin);
	await noSideways(admin, 'dashboard');
});

await step('the admin adds the staff: themselves as the reviewer, a manager reporting to them, a promoter and an editor reporting to her', async () => {
	const p = admin.page;
	for (const [login, name, pos, mgr] of [['boss', '陈总', '', ''], ['wang', '王芳', 'manager', 'boss'],
		['zhang', '张伟', 'promoter', 'wang'], ['li', '李娜', 'editor', 'wang']]) {
		await nav(admin, 'staff', '#staff-form');
		await p.fill('#staff-login', login);
		await p.fill('#staff-name', name);
		await p.selectOption('#staff-position', pos);
		await p.selectOption('#staff-manager', mgr);
		await p.click('#staff-save');
		const msg = await messageText(p, 'ok');
		check(`adding ${login} says so`, msg.includes(login), msg);
		await p.waitForSelector(`tr[data-login="${login}"]`);
		const row = await text(p, `tr[data-login="${login}"]`);
		check(`the staff list shows ${name}${mgr ? ', reporting to ' + mgr : ''}`, row.includes(name) && (!mgr || row.includes(mgr)), row);
	}
	check('the admin\'s own staff record is tied to their user', (await p.locator('[data-test="staff-user-boss"]').count()) === 1);
	await noSideways(admin, 'staff');
	await shot(admin, 'staff');
});

let inviteUrl = '';
await step('the admin gives them users: passwords set for the manager and the editor, an invitation for the promoter', async () => {
	const p = admin.page;
	for (const [login, role] of [['wang', 'manager'], ['li', 'member']]) {
		await nav(admin, 'users', '#user-form');
		await p.fill('#user-login', login);
		await p.selectOption('#user-role', role);
		await p.fill('#user-password', PW[login]);
		await p.click('#user-add');
		const msg = await messageText(p, 'ok');
		check(`adding the user ${login} says so`, msg.includes(login), msg);
		await p.waitForSelector(`tr[data-user="${login}"]`);
		check(`the user ${login} has the role ${role}`, (await p.inputValue(`[data-test="user-role-${login}"]`)) === role);
	}
	await nav(admin, 'staff', `[data-test="staff-invite-zhang"]`);
	check('the staff list shows the manager\'s user', (await p.locator('[data-test="staff-user-wang"]').count()) === 1);
	await p.selectOption('[data-test="staff-invite-role-zhang"]', 'member');
	await p.click('[data-test="staff-invite-zhang"]');
	await p.waitForSelector('#dialog[open] #invite-link');
	inviteUrl = await p.inputValue('#invite-link');
	check('an invitation link is made', /\/invite\/[A-Za-z0-9_-]{43}$/.test(inviteUrl), inviteUrl);
	await shot(admin, 'invite');
	await p.click('#dialog-ok');
	await p.waitForSelector('#dialog', { state: 'detached' });
	// the admin tries the link in their own browser: told whose it is and to log out, not sent away
	await p.goto(inviteUrl);
	await drawn(p, '[data-test=invite-logged-in]');
	const said = await text(p, '[data-test=invite-logged-in]');
	check('the link opened while logged in says whose it is', said.includes('zhang') && said.includes('boss'), said);
	await p.click('#invite-logout');
	await p.waitForSelector('#invite-form');
	check('logged out, the invitation\'s form is there', (await p.locator('#invite-pw').count()) === 1);
	await login(admin, 'boss');
});

// ------------------------------------------- the team logs in before the cycle opens
const zhang = await session('zhang');
await step('the promoter sets a password through the invitation and is logged in', async () => {
	const p = zhang.page;
	await p.goto(inviteUrl);
	await p.waitForSelector('#invite-form');
	await p.fill('#invite-pw', PW.zhang);
	await p.fill('#invite-pw2', PW.zhang);
	await Promise.all([drawn(p, '#view-dashboard'), p.click('#invite-submit')]);
	check('the promoter is logged in as themselves', (await text(p, '#whoami')).includes('张伟'), await text(p, '#whoami'));
	await inLanguage(zhang);
});

const wang = await session('wang');
const li = await session('li');
await step('the manager and the editor log in with the passwords set for them', async () => {
	await login(wang, 'wang');
	await inLanguage(wang);
	await login(li, 'li');
	const d = await text(li.page, '#view-dashboard');
	check('the editor sees herself, not her colleague', d.includes('李娜') && !d.includes('张伟'), d.slice(0, 300));
});

// ---------------------------------------------------------------- admin
await step('the admin assigns the shop channel to the promoter', async () => {
	const p = admin.page;
	await nav(admin, 'owners', '#own-form');
	await p.selectOption('#own-kind', 'channel');
	await p.fill('#own-value', '淘宝');
	await p.selectOption('#own-login', 'zhang');
	await p.click('#own-add');
	await messageText(p, 'ok');
	await p.waitForSelector('tr[data-kind="channel"][data-value="淘宝"]');
	check('the rule names the promoter', (await text(p, 'tr[data-kind="channel"][data-value="淘宝"]')).includes('zhang'));
	await noSideways(admin, 'owners');
});

await step('the admin corrects the plan in its form: a mistake shown at its field, fixed, saved', async () => {
	const p = admin.page;
	await nav(admin, 'plan', '#plan-form');
	const pos = await p.evaluate(() => [...document.querySelectorAll('[data-field$=".key"]')]
		.find(el => /^positions\[\d+\]\.key$/.test(el.dataset.field) && el.value === 'promoter').dataset.field.replace(/\.key$/, ''));
	const tg = `${pos}.kpis[0].target`;
	const target = p.locator(`[data-field="${tg}"]`);
	check('the promoter\'s posts target is 40', (await target.inputValue()) === '40', await target.inputValue());
	await target.fill('thirty');
	await p.waitForFunction(f => /thirty/.test(document.querySelector(`[data-problem-for="${f}"]`).textContent), tg);
	const said = await text(p, `[data-problem-for="${tg}"]`);
	check('the mistake is shown at its field, naming it', /target/.test(said) && said.includes('thirty'), said);
	check('the field is marked', await p.locator(`label.has-problem:has([data-field="${tg}"])`).count() === 1);
	const box = await p.locator(`[data-problem-for="${tg}"]`).boundingBox();
	check('the message can be read where the field is', box && box.width > 0 && box.x >= 0 && box.x + box.width <= (PHONE ? 390 : 1366), JSON.stringify(box));
	await noSideways(admin, 'plan form');
	await shot(admin, 'plan-mistake');
	await target.fill('30');
	// the form's own check of the fixed draft: "No problems found." in the page's language
	const none = await p.evaluate(async () => (await import('/i18n.js')).t('pf.noProblems'));
	await p.waitForFunction(([f, none]) => document.querySelector('#pf-status').textContent === none &&
		document.querySelector(`[data-problem-for="${f}"]`).textContent === '' && !document.querySelector('label.has-problem'), [tg, none]);
	await p.click('#pf-preview');
	await p.click('#pf-save');
	const msg = await messageText(p, 'ok');
	await drawn(p, '#plan-form');
	check('the plan form saves', msg.length > 0, msg);
	const yaml = await p.evaluate(() => fetch('/api/plan.yaml').then(r => r.text()));
	check('the saved plan has the new target', /indicator: promo_posts, weight: \d+, rule: ratio, target: 30/.test(yaml), yaml.slice(0, 400));
});

await step('the admin opens the cycle', async () => {
	const p = admin.page;
	await nav(admin, 'cycles', '#cycle-period');
	await p.fill('#cycle-period', PERIOD);
	await p.click('#cycle-open');
	const msg = await messageText(p, 'ok');
	check('opening says so', msg.includes(PERIOD), msg);
	await p.waitForSelector(`tr[data-period="${PERIOD}"] [data-state="open"]`);
	await noSideways(admin, 'cycles');
});

await step('the admin uploads the shop\'s order export on the data screen', async () => {
	const p = admin.page;
	await nav(admin, 'data', '#upload-form');
	const kind = await text(p, '#upload-kind option[value=orders]');
	check('the upload says it reads a Taobao export', kind.includes(LANG === 'zh' ? '淘宝' : 'Taobao'), kind);
	await p.selectOption('#upload-kind', 'orders');
	await p.setInputFiles('#upload-file', ORDERS);
	await p.click('#upload-submit');
	await p.waitForSelector('[data-test=upload-result] .ok');
	const res = await text(p, '[data-test=upload-result]');
	check('the result names the batch and the preset it recognised', /#\d+/.test(res) && res.includes('taobao'), res);
	/* what the import tells afterwards, in the page's language (issue 13) */
	const notes = await p.locator('[data-test=upload-result] ul.notes li').allTextContents();
	check('the import\'s notes are shown', notes.length > 0, res);
	if (LANG === 'zh')
		check('its notes in Chinese: no English sentence left', notes.every(n => /[\u4e00-\u9fff]/.test(n) && !/[A-Za-z]+ [A-Za-z]+ [A-Za-z]+/.test(n)), notes);
	await p.waitForSelector('[data-test=batches] td:has-text("taobao_orders.csv")');
	await noSideways(admin, 'data');
	await shot(admin, 'data');
});

await step('the promoter, logged in before the cycle opened, finds it without logging in again', async () => {
	const p = zhang.page;
	await nav(zhang, 'plan', '#view-plan');   // a page open since before; then the menu
	await nav(zhang, 'dashboard', '#view-dashboard');
	check('the period picker offers the new cycle', (await p.locator(`#period option[value="${PERIOD}"]`).count()) === 1,
		await text(p, '#period'));
	check('the dashboard shows it', (await text(p, '#view-dashboard .period-tag')) === PERIOD, await text(p, '#view-dashboard .period-tag'));
});

await step('the promoter hands in two posts and the month\'s site visits as evidence', async () => {
	const p = zhang.page;
	for (const [url, plat] of [['https://weibo.com/zhang/1', '微博'], ['https://www.xiaohongshu.com/explore/2', '小红书']]) {
		await nav(zhang, 'evidence', '#ev-form');
		// the day offered is one of the open cycle, not a today past it
		const day = await p.inputValue('#ev-date');
		check('the evidence form offers a day of the open cycle', day.startsWith(`${PERIOD}-`), day);
		await p.selectOption('#ev-kind', 'post');
		await p.fill('#ev-date', `${PERIOD}-10`);
		await p.fill('#ev-url', url);
		await p.fill('#ev-platform', plat);
		await p.click('#ev-submit');
		await messageText(p, 'ok');
		await p.waitForSelector(`[data-test=evidence] a[href="${url}"]`);
	}
	// a value counted by hand: the site's visits from the analytics page
	await nav(zhang, 'evidence', '#ev-form');
	await p.selectOption('#ev-kind', 'value');
	await p.fill('#ev-date', `${PERIOD}-30`);
	await p.selectOption('#ev-indicator', 'site_visits');
	await p.fill('#ev-value', '8000');
	await p.fill('#ev-note', '百度统计 11 月访问量');
	await p.click('#ev-submit');
	await messageText(p, 'ok');
	await p.waitForSelector('[data-test=evidence] tr[data-id]');
	check('the three are listed as waiting', (await p.locator('[data-test=evidence] .badge.ev-pending').count()) === 3,
		await p.locator('[data-test=evidence] .badge.ev-pending').count());
	await noSideways(zhang, 'evidence');
	await shot(zhang, 'evidence');
});

await step('the manager approves them from her to-do list', async () => {
	const p = wang.page;
	for (let i = 0; i < 3; i++) {
		await todo(wang, 'evidence', '[data-test=evidence]');
		await p.locator('[data-test^="ev-approve-"]').first().click();
		await p.waitForSelector('#dialog[open]');
		await p.click('#dialog-ok');
		await messageText(p, 'ok');
	}
	await nav(wang, 'evidence', '[data-test=evidence]');
	check('nothing is left to approve', (await p.locator('[data-test^="ev-approve-"]').count()) === 0);
	check('all three are approved', (await p.locator('[data-test=evidence] .badge.ev-approved').count()) === 3);
	await shot(wang, 'approved');
});

await step('the promoter rates themselves from the to-do list', async () => {
	const p = zhang.page;
	await todo(zhang, `#/rate/zhang`, '#rate-form-self');
	for (const c of ['analysis', 'strategy', 'execution'])
		await p.click(`[data-test="star-self-${c}-4"]`);
	await p.fill('#rate-comment-self', '本月发了两篇推广');
	await p.click('#rate-submit-self');
	await messageText(p, 'ok');
	await noSideways(zhang, 'rate');
	await shot(zhang, 'rate-self');
	await nav(zhang, 'dashboard', '#view-dashboard');
	check('the self rating is no longer on the to-do list', (await p.locator('[data-test=todo] a[href*="#/rate/zhang"]').count()) === 0);
});

await step('the manager rates the promoter from her to-do list', async () => {
	const p = wang.page;
	await todo(wang, `#/rate/zhang`, '#rate-form-manager');
	for (const c of ['analysis', 'strategy', 'execution'])
		await p.click(`[data-test="star-manager-${c}-4.5"]`);
	await p.fill('#rate-comment-manager', '继续保持');
	await p.click('#rate-submit-manager');
	await messageText(p, 'ok');
	const recv = await text(p, '[data-test=received]');
	check('the manager sees the self rating\'s comment', recv.includes('本月发了两篇推广'), recv);
	await shot(wang, 'rate-manager');
});

await step('the manager rates herself, and the reviewer rates her, from their to-do lists', async () => {
	let p = wang.page;
	await todo(wang, `#/rate/wang`, '#rate-form-self');
	for (const c of ['goal', 'system', 'team'])
		await p.click(`[data-test="star-self-${c}-4"]`);
	await p.click('#rate-submit-self');
	await messageText(p, 'ok');
	p = admin.page;
	await todo(admin, `#/rate/wang`, '#rate-form-manager');
	for (const c of ['goal', 'system', 'team'])
		await p.click(`[data-test="star-manager-${c}-3.5"]`);
	await p.fill('#rate-comment-manager', '团队带得不错');
	await p.click('#rate-submit-manager');
	await messageText(p, 'ok');
	await noSideways(admin, 'rate');
	await shot(admin, 'rate-reviewer');
});

await step('the admin moves the cycle to review, closes it and releases the results', async () => {
	const p = admin.page;
	await nav(admin, 'cycles', `[data-test="cycle-review-${PERIOD}"]`);
	await p.click(`[data-test="cycle-review-${PERIOD}"]`);
	await p.waitForSelector(`tr[data-period="${PERIOD}"] [data-state="review"]`);
	await p.click(`[data-test="cycle-close-${PERIOD}"]`);
	await p.waitForSelector('#dialog[open]');
	await shot(admin, 'close-dialog');
	await p.click('#dialog-ok');
	await p.waitForSelector(`tr[data-period="${PERIOD}"] [data-state="closed"]`);
	await messageText(p, 'ok');
	await p.click(`[data-test="cycle-release-${PERIOD}"]`);
	await p.waitForSelector('#dialog[open]');
	await p.click('#dialog-ok');
	await p.waitForSelector(`[data-test="cycle-withhold-${PERIOD}"]`);
	await noSideways(admin, 'cycles closed');
	await shot(admin, 'released');
	await nav(admin, 'dashboard', '#view-dashboard [data-test=ranking]');
	const rank = await text(p, '[data-test=ranking]');
	check('the dashboard ranks the promoter and the manager', rank.includes('张伟') && rank.includes('王芳'), rank);
	check('the reviewer is not ranked', !rank.includes('陈总'), rank);
});

await step('the promoter sees the result and acknowledges it from the to-do list', async () => {
	const p = zhang.page;
	await todo(zhang, `#/card/zhang`, '#ack-form');
	check('the released card shows a final score', /\d/.test(await text(p, '[data-test=tile-final]')), await text(p, '[data-test=tile-final]'));
	const posts = await text(p, '[data-test=card-indicators]');
	check('the approved posts count on the card', /promo_posts|推广/.test(posts), posts.slice(0, 300));
	await p.fill('#ack-comment', '同意 — agreed');
	await p.click('#ack-submit');
	await p.waitForSelector('[data-test=acks] li[data-role=self]');
	check('no second acknowledgement is offered', (await p.locator('#ack-form').count()) === 0);
	await noSideways(zhang, 'card');
	await shot(zhang, 'acknowledged');
	// and the manager, from hers
	await todo(wang, `#/card/zhang`, '#ack-form');
	await wang.page.click('#ack-submit');
	await wang.page.waitForSelector('[data-test=acks] li[data-role=manager]');
	check('both acknowledgements are on the card', (await wang.page.locator('[data-test=acks] li').count()) === 2);
});

await step('the promoter downloads their report as a PDF in Chinese', async () => {
	const p = zhang.page;
	if (LANG !== 'zh') {
		// the language switch: Chinese for the report
		await p.selectOption('#lang', 'zh-CN');
		await p.waitForSelector('[data-test=nav-dashboard]:has-text("总览")', { state: 'attached' });
	}
	await nav(zhang, 'reports', '#report-form');
	await p.selectOption('#report-format', 'pdf');
	const [dl] = await Promise.all([p.waitForEvent('download'), p.click('#report-download')]);
	const f = path.join(ART, `browser-walk-${LABEL}-report.pdf`);
	await dl.saveAs(f);
	const head = fs.readFileSync(f).subarray(0, 5).toString('latin1');
	check('the download is a PDF', head === '%PDF-', head);
	let txt = '';
	try { txt = execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }); } catch { txt = null; }
	if (txt !== null) check('the PDF has the promoter\'s Chinese name', txt.includes('张伟'), txt.slice(0, 300));
	await messageText(p, 'ok');
});

await finish();

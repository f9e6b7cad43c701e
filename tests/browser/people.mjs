// people.mjs — the everyday screens with 200 people (issue 13, item 8), in
// a real browser (Debian's Chromium driven by playwright-core): the
// dashboard's ranking searched and paged; the person pickers (ratings, peer
// nomination, staff manager, ownership) find a person by a Chinese name and
// by login; money shows its currency; a rating comment typed before the
// session ended is offered back after logging in again and forgotten once
// saved; on a phone (390x844) no table scrolls the page sideways, star
// buttons are at least 40 px and chart labels neither overlap nor clip.
//
//   node people.mjs http://127.0.0.1:PORT/
//
// The database is made by tests/e2e/t0428-browser-people.sh: 200 editors
// p001…p200 under wang (王芳); p137 is 周晓明; users boss (admin), wang
// (manager) and p001 (member).  Prints "browser: N passed, M failed"; exits
// 1 on a failure.

import { harness } from './harness.mjs';

const PERIOD = '2026-11';
const PW = { boss: 'boss password 1', wang: 'wang password 1', p001: 'p001 password 1' };
const { BASE, check, session, shot, step, finish } = await harness({
	script: 'people.mjs', tag: 'browser', prefix: 'people-', summary: 'browser',
	defaults: { viewport: { width: 1366, height: 768 } },
});

async function login(s, user) {
	const { page } = s;
	if (!/#\/login/.test(page.url())) await page.goto(BASE + '#/login');
	await page.waitForSelector('#login-form');
	await page.fill('#login-user', user);
	await page.fill('#login-pass', PW[user]);
	await Promise.all([page.waitForSelector('#main:not([aria-busy]) .view:not(#view-login)'), page.click('#login-submit')]);
}

async function go(s, hash, sel) {
	if (s.page.url() === BASE + hash) await s.page.reload();
	else await s.page.goto(BASE + hash);
	await s.page.waitForSelector(sel);
	await s.page.waitForSelector('#main:not([aria-busy])', { state: 'attached' });
}

const logins = async (page, sel) => page.$$eval(sel, rows => rows.map(r => r.dataset.login));
const CURRENCY = /CN¥|¥|CNY|元/;

// ---------------------------------------------------------------- desktop
const admin = await session('admin');
await step('the dashboard ranking is searched and paged', async () => {
	await login(admin, 'boss');
	const p = admin.page;
	await go(admin, `#/dashboard?period=${PERIOD}`, '[data-test=card-ranking] table[data-test=ranking]');
	const first = await logins(p, 'table[data-test=ranking] tbody tr');
	check('the ranking shows a page, not all 199 scored', first.length > 0 && first.length <= 50, first.length);
	check('the ranking says how many in all', /of 200$/.test(await p.textContent('[data-test=ranking-info]')), await p.textContent('[data-test=ranking-info]').catch(() => ''));
	await p.click('[data-test=ranking-next]');
	const second = await logins(p, 'table[data-test=ranking] tbody tr');
	check('the next page shows other people', second.length > 0 && !second.some(l => first.includes(l)), `${first.slice(0, 3)} / ${second.slice(0, 3)}`);
	await p.fill('[data-test=ranking-search]', '周晓明');
	const found = await logins(p, 'table[data-test=ranking] tbody tr');
	check('search by a Chinese name finds the one person', found.length === 1 && found[0] === 'p137', found.join(','));
	await p.fill('[data-test=ranking-search]', 'p042');
	const byLogin = await logins(p, 'table[data-test=ranking] tbody tr');
	check('search by login finds the person', byLogin.length === 1 && byLogin[0] === 'p042', byLogin.join(','));
	await p.fill('[data-test=ranking-search]', '');
	// filtered by value-chain stage: the manager (evaluation) apart from the editors (content)
	await p.selectOption('[data-test=ranking-filter-stage]', 'evaluation');
	const evaluation = await logins(p, 'table[data-test=ranking] tbody tr');
	check('the ranking filtered by the evaluation stage is the manager', evaluation.join() === 'wang', evaluation.join(','));
	await p.selectOption('[data-test=ranking-filter-stage]', 'content');
	check('the content stage is the 199 editors scored', /of 199$/.test(await p.textContent('[data-test=ranking-info]')) &&
		!(await logins(p, 'table[data-test=ranking] tbody tr')).includes('wang'), await p.textContent('[data-test=ranking-info]'));
	await p.selectOption('[data-test=ranking-filter-stage]', '');
	const byStage = await p.locator('[data-test=by-stage] tbody tr').evaluateAll(rs => rs.map(r => r.dataset.stage + ':' + r.children[2].textContent.trim()));
	check('the by-stage card: content 200 people, evaluation 1', byStage.length === 2 && /^content:\d+ \/ 200$/.test(byStage[0]) &&
		/^evaluation:[01] \/ 1$/.test(byStage[1]), byStage.join(' | '));
	// the money: bonuses in the plan's currency (CNY)
	const bonus = await p.textContent('table[data-test=ranking] tbody tr td:last-child');
	check('a bonus shows its currency', CURRENCY.test(bonus), bonus);
	const note = await p.textContent('[data-test=card-team] svg');
	check('the team sales show their currency', CURRENCY.test(note), note.slice(0, 300));
	await shot(admin, 'dashboard');
});

await step('the staff screen: list and manager picker find people', async () => {
	const p = admin.page;
	await go(admin, '#/staff', 'table[data-test=staff]');
	const rows = await logins(p, 'table[data-test=staff] tbody tr');
	check('the staff list shows a page, not all 201', rows.length > 0 && rows.length <= 50, rows.length);
	await p.fill('[data-test=staff-search]', '周晓明');
	check('the staff list finds 周晓明', (await logins(p, 'table[data-test=staff] tbody tr')).join(',') === 'p137');
	await p.fill('#staff-manager-search', '王芳');
	check('the manager picker finds 王芳 by name', await p.$eval('#staff-manager', s => s.value) === 'wang',
		await p.$eval('#staff-manager', s => s.value));
	await p.fill('#staff-manager-search', 'p199');
	check('the manager picker finds p199 by login', await p.$eval('#staff-manager', s => s.value) === 'p199',
		await p.$eval('#staff-manager', s => s.value));
	const opts = await p.$$eval('#staff-manager option', o => o.length);
	check('the picker narrows its options', opts <= 3, opts);
	await p.fill('[data-test=staff-search]', 'p001');
	const base = await p.textContent('table[data-test=staff] tbody tr[data-login=p001] td.num');
	check('a base bonus shows its currency', CURRENCY.test(base), base);
});

await step('the ownership picker finds a person', async () => {
	const p = admin.page;
	await go(admin, '#/owners', '#own-form');
	await p.fill('#own-login-search', '周晓明');
	check('the ownership picker finds 周晓明', await p.$eval('#own-login', s => s.value) === 'p137', await p.$eval('#own-login', s => s.value));
});

await step('the rating picker and peer nomination find people', async () => {
	const p = admin.page;
	await go(admin, `#/rate/p001?period=${PERIOD}`, '#rate-person');
	await p.fill('#rate-person-search', '周晓明');
	await Promise.all([p.waitForURL(/#\/rate\/p137/), p.press('#rate-person-search', 'Enter')]);
	check('Enter in the rating picker opens 周晓明', /#\/rate\/p137/.test(p.url()), p.url());
	// the URL changes before 周晓明's page replaces p001's (which has a
	// peer form too): wait for his, drawn whole
	await p.waitForFunction(() => {
		const v = document.querySelector('#main:not([aria-busy]) #view-rate');
		return v && /周晓明/.test(v.querySelector('.intro')?.textContent || '') && v.querySelector('[data-test=peers-form]');
	});
	// the people listed once q is typed in the box (it narrows as one types)
	const narrowed = async q => {
		await p.fill('[data-test=peers-search]', q);
		return p.$$eval('[data-test=peers-form] label.check', ls => ls.filter(l => l.offsetParent !== null).map(l => l.querySelector('input').value).join(','));
	};
	const shown = await narrowed('p042');
	check('the peer list narrows to p042', shown === 'p042', shown);
	const shown2 = await narrowed('员工010');
	check('the peer list finds 员工010 by name', shown2 === 'p010', shown2);
});

await step('the Chinese dashboard shows ¥', async () => {
	const zh = await session('zh', { locale: 'zh-CN' });
	await login(zh, 'boss');
	await go(zh, `#/dashboard?period=${PERIOD}`, 'table[data-test=ranking]');
	const bonus = await zh.page.textContent('table[data-test=ranking] tbody tr td:last-child');
	check('a bonus in Chinese shows ¥', /¥|元/.test(bonus), bonus);
	await zh.page.fill('[data-test=ranking-search]', '周晓明');
	check('搜索 finds 周晓明', (await logins(zh.page, 'table[data-test=ranking] tbody tr')).join(',') === 'p137');
	await zh.ctx.close();
});

// ---------------------------------------------------------------- a draft kept
await step('a comment typed before the session ended is offered back', async () => {
	const mgr = await session('wang');
	await login(mgr, 'wang');
	const p = mgr.page;
	await go(mgr, `#/rate/p005?period=${PERIOD}`, '#rate-form-manager');
	const said = '很好的一个月 — good month, kept';
	await p.click('[data-test="star-manager-value-4"]');
	await p.fill('#rate-comment-manager', said);
	await mgr.ctx.clearCookies(); // the session is gone
	await p.click('#rate-submit-manager');
	await p.waitForSelector('#login-form');
	await login(mgr, 'wang');
	await p.waitForSelector('#rate-form-manager');
	const offer = await p.waitForSelector('[data-test=draft-manager]', { timeout: 5000 }).catch(() => null);
	check('the draft is offered after logging in again', !!offer);
	if (offer) {
		await p.click('[data-test=draft-restore-manager]');
		check('restoring puts the comment back', await p.inputValue('#rate-comment-manager') === said, await p.inputValue('#rate-comment-manager'));
		await p.click('[data-test="star-manager-value-4"]');
		await p.click('#rate-submit-manager');
		await p.waitForSelector('#messages [data-test=msg-ok]:not([data-old])');
		await go(mgr, `#/rate/p005?period=${PERIOD}`, '#rate-form-manager');
		check('the saved comment is shown', await p.inputValue('#rate-comment-manager') === said);
		check('no draft is offered once saved', !(await p.$('[data-test=draft-manager]')));
	}
	await mgr.ctx.close();
});

// ---------------------------------------------------------------- phone
async function phoneChecks(s, label) {
	const p = s.page;
	const w = await p.evaluate(() => [document.scrollingElement.scrollWidth, innerWidth]);
	check(`${label}: no sideways scrolling`, w[0] <= w[1], w.join(' > '));
	// nor a table inside its own scroller: rows stack as cards instead
	const wideTables = await p.$$eval('.table-wrap', ws => ws.filter(x => x.scrollWidth > x.clientWidth + 1)
		.map(x => `${(x.querySelector('table') || {}).dataset?.test || '?'} ${x.scrollWidth}>${x.clientWidth}`));
	check(`${label}: no table scrolls sideways`, wideTables.length === 0, wideTables.join(', '));
	// chart text: no two labels overlap, none outside its chart
	const bad = await p.evaluate(() => {
		const out = [];
		for (const svg of document.querySelectorAll('svg.chart')) {
			const sb = svg.getBoundingClientRect();
			const boxes = [...svg.querySelectorAll('text')].map(t => ({ t: t.textContent, b: t.getBoundingClientRect() })).filter(x => x.b.width > 0);
			for (const x of boxes)
				if (x.b.left < sb.left - 1 || x.b.right > sb.right + 1 || x.b.top < sb.top - 1 || x.b.bottom > sb.bottom + 1) out.push(`clipped "${x.t}"`);
			for (let i = 0; i < boxes.length; i++)
				for (let j = i + 1; j < boxes.length; j++) {
					const a = boxes[i].b, b = boxes[j].b;
					if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
						out.push(`"${boxes[i].t}" overlaps "${boxes[j].t}"`);
				}
		}
		return out;
	});
	check(`${label}: chart labels neither overlap nor clip`, bad.length === 0, bad.join('; '));
}

await step('a phone: stacked tables, big stars, readable charts', async () => {
	for (const lang of ['en-US', 'zh-CN']) {
		const ph = await session(`phone-${lang}`, { viewport: { width: 390, height: 844 }, mobile: true, locale: lang });
		await login(ph, 'boss');
		const p = ph.page;
		await go(ph, `#/dashboard?period=${PERIOD}`, 'table[data-test=ranking]');
		await phoneChecks(ph, `dashboard ${lang}`);
		const stacked = await p.$eval('table[data-test=ranking] tbody tr', tr => getComputedStyle(tr).display);
		check(`${lang}: a ranking row is a card`, stacked === 'block', stacked);
		const lbl = await p.$eval('table[data-test=ranking] tbody tr td:last-child', td => getComputedStyle(td, '::before').content);
		check(`${lang}: a cell carries its column's label`, lbl && lbl !== 'none' && lbl !== 'normal' && lbl.length > 2, lbl);
		await shot(ph, `phone-dashboard-${lang}`);
		await go(ph, '#/staff', 'table[data-test=staff]');
		await phoneChecks(ph, `staff ${lang}`);
		await go(ph, `#/card/p001?period=${PERIOD}`, '[data-test=card-indicators]');
		await phoneChecks(ph, `scorecard ${lang}`);
		await ph.ctx.clearCookies();
		await go(ph, `#/rate/p001?period=${PERIOD}`, '#login-form');
		await login(ph, 'wang');   // p001's manager: the manager's form
		await p.waitForSelector('#rate-form-manager');
		await phoneChecks(ph, `ratings ${lang}`);
		const small = await p.$$eval('#rate-form-manager .stars button', bs => bs.map(b => b.getBoundingClientRect()).filter(r => r.width < 40 || r.height < 40).map(r => `${Math.round(r.width)}x${Math.round(r.height)}`));
		check(`${lang}: star buttons at least 40 px`, small.length === 0, small.join(' '));
		await shot(ph, `phone-rate-${lang}`);
		await ph.ctx.close();
	}
});

await finish();

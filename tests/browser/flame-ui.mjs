// SPDX-License-Identifier: MIT
// flame-ui.mjs: drives a pfold flamegraph SVG in headless Chromium (playwright-core): search, zoom, reset, hostile names.
//
// usage: node flame-ui.mjs PLAIN.svg HOSTILE.svg [NAME...]   (NODE_PATH holds playwright-core)
// NAMEs: frame names HOSTILE.svg must show as text (default: <script>alert(1)</script> and "&')
// PLAIN.svg is drawn from: main;hot;leaf 60 / main;hot 15 / main;cold;leaf 20 / main;other 5
// Prints TAP; exits 1 when a check fails.
import { createRequire } from 'module';
const require = createRequire(process.env.NODE_PATH + '/');
const { chromium } = require('playwright-core');

let n = 0, failed = 0;
function ok(cond, what, extra) {
	n++;
	console.log(`${cond ? '' : 'not '}ok ${n} - ${what}`);
	if (!cond) {
		failed++;
		if (extra !== undefined)
			console.log('#   got: ' + JSON.stringify(extra));
	}
}

const [plain, hostile, ...wantNames] = process.argv.slice(2);
if (!wantNames.length)
	wantNames.push('<script>alert(1)</script>', '"&\'');
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	       '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
	const page = await browser.newPage();
	const dialogs = [];
	const errors = [];
	page.on('pageerror', e => errors.push(String(e)));
	await page.goto('file://' + plain);

	// frame geometry by name (first frame of that name, or at a given depth)
	const geo = (name, depth, count) => page.evaluate(([name, depth, count]) => {
		for (const g of document.querySelectorAll('#frames > g')) {
			const t = g.querySelector('title').textContent.split('\n')[0];
			if (t !== name || (depth !== undefined && +g.getAttribute('data-d') !== depth) ||
			    (count !== undefined && +g.getAttribute('data-w') !== count))
				continue;
			const r = g.querySelector('rect');
			return { x: +r.getAttribute('x'), w: +r.getAttribute('width'),
				 fill: r.getAttribute('fill'), display: getComputedStyle(g).display,
				 opacity: g.style.opacity, label: g.querySelector('text').textContent };
		}
		return null;
	}, [name, depth, count]);
	const text = id => page.evaluate(id => document.getElementById(id).textContent, id);

	const hot0 = await geo('hot');
	ok(Math.abs(hot0.w - 885) <= 0.5, 'hot is 75% of 1180 px before any click', hot0);

	// search through the button and its prompt, as a user does
	page.once('dialog', d => d.accept('leaf'));
	await page.click('#search');
	ok((await text('matched')).trim() === 'Matched: 80.00%', 'search "leaf" shows 80.00% matched',
	   await text('matched'));
	const leafHot = await geo('leaf', 3, 60);
	ok(leafHot.fill === 'rgb(230,0,230)', 'matching frames are highlighted', leafHot.fill);
	ok((await geo('cold')).fill !== 'rgb(230,0,230)', 'other frames are not');
	ok((await text('search')) === 'Reset Search', 'the button offers to reset the search');
	await page.click('#search');
	ok((await text('matched')).trim() === '' && (await geo('leaf', 3, 60)).fill !== 'rgb(230,0,230)',
	   'a second click resets the search');

	// a regex; nested matches count once (hot covers its leaf)
	const pct = await page.evaluate(() => search('^(hot|leaf)$'));
	ok(Math.abs(pct - 95) < 1e-9 && (await text('matched')).trim() === 'Matched: 95.00%',
	   'regex search counts each matched stretch once (95%)', pct);
	await page.evaluate(() => reset_search());

	// mouse-over fills the status line from the tooltip
	await page.hover('#frames > g:nth-child(3) rect');
	const status = await text('details');
	ok(/^Function: \S+ \([\d,]+ samples, [\d.]+%\)$/.test(status), 'mouse-over shows name, count and share', status);

	// click to zoom into hot
	const hotRect = await page.evaluateHandle(() => {
		for (const g of document.querySelectorAll('#frames > g'))
			if (g.querySelector('title').textContent.startsWith('hot\n'))
				return g.querySelector('rect');
	});
	await hotRect.click();
	const hot1 = await geo('hot'), leaf1 = await geo('leaf', 3, 60), cold1 = await geo('cold');
	const main1 = await geo('main');
	ok(Math.abs(hot1.w - 1180) <= 0.5 && Math.abs(hot1.x - 10) <= 0.5, 'zoom: hot fills the width', hot1);
	ok(Math.abs(leaf1.w - 1180 * 60 / 75) <= 0.5, 'zoom: its child scales with it (60/75)', leaf1);
	ok(cold1.display === 'none', 'zoom: frames outside hot are hidden', cold1);
	ok(main1.opacity === '0.5' && main1.display !== 'none', 'zoom: ancestors stay, dimmed', main1);
	ok(parseFloat(await page.evaluate(() => getComputedStyle(document.getElementById('unzoom')).opacity)) > 0.5,
	   'zoom: "Reset Zoom" is shown');

	// reset
	await page.click('#unzoom');
	const hot2 = await geo('hot'), cold2 = await geo('cold');
	ok(Math.abs(hot2.w - hot0.w) < 0.05 && Math.abs(hot2.x - hot0.x) < 0.05 && cold2.display !== 'none',
	   'reset restores every frame', [hot2, cold2]);

	// ?s= searches on load
	await page.goto('file://' + plain + '?s=cold');
	ok((await text('matched')).trim() === 'Matched: 20.00%', '?s=cold searches on load', await text('matched'));
	ok(errors.length === 0, 'no script errors', errors);

	// the hostile SVG: names show as text, no script of theirs runs
	const hp = await browser.newPage();
	const herrors = [];
	hp.on('dialog', d => { dialogs.push(d.message()); d.dismiss(); });
	hp.on('pageerror', e => herrors.push(String(e)));
	await hp.goto('file://' + hostile);
	const names = await hp.evaluate(() => [...document.querySelectorAll('#frames > g title')]
		.map(t => t.textContent.split('\n')[0]));
	ok(wantNames.every(w => names.includes(w)), 'hostile names are text in the tooltips', names);
	ok(await hp.evaluate(() => document.getElementsByTagName('script').length) === 1,
	   'only pfold\'s own script element exists');
	// exercise every frame: hover, click, search for each name
	const count = await hp.evaluate(() => document.querySelectorAll('#frames > g').length);
	for (let i = 1; i <= count; i++) {
		await hp.hover(`#frames > g:nth-child(${i}) rect`, { force: true }).catch(() => {});
		await hp.click(`#frames > g:nth-child(${i}) rect`, { force: true }).catch(() => {});
		await hp.evaluate(() => unzoom());
	}
	for (const nm of names)
		await hp.evaluate(nm => { search(nm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')); reset_search(); }, nm);
	await hp.waitForTimeout(200);
	ok(dialogs.length === 0, 'no alert() ran', dialogs);
	ok(herrors.length === 0, 'no script errors on the hostile page', herrors);
} finally {
	await browser.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);

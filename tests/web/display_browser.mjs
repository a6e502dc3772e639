// The displays at / in a real browser: headless Chromium (Debian's
// chromium) driven by playwright-core, over lighttpd and the simulated hub
// (test_display_browser.sh).  Fails on any console error, page error,
// failed request or unexpected HTTP error, except inside the windows where
// the test itself breaks the stream (the CGI killed, lighttpd restarted,
// the display password switched on), where only the messages those cause
// are let through.
//
//   node display_browser.mjs BASE_URL ARTEFACT_DIR NODE_MODULES_DIR SERVICE_DIR RUNDIR CONF

import assert from 'node:assert/strict';
import {mkdirSync, readFileSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {launch} from './chromium.mjs';

const [base, artefacts, modules, services, rundir] = process.argv.slice(2);
if (!base || !artefacts || !modules || !services || !rundir) {
	console.error('usage: node display_browser.mjs BASE_URL ARTEFACT_DIR NODE_MODULES_DIR SERVICE_DIR RUNDIR CONF');
	process.exit(2);
}
const STEP_MS = 10000;
const RECOVER_MS = 8000; // "within a few seconds"
const DISPLAY_PASSWORD = 'Lobby-screen-42';

mkdirSync(artefacts, {recursive: true});
const problems = [];
let tolerate = null; // a RegExp of what the test's own breakage may log, while it lasts
let shot = 0;
let browser;

const step = (name) => console.log('ok: ' + name);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function screenshot(page, name) {
	shot++;
	await page.screenshot({path: join(artefacts, String(shot).padStart(2, '0') + '-' + name + '.png'), fullPage: true});
}

function ctl(...args) {
	return execFileSync('eniscopectl', args, {encoding: 'utf8'});
}

function snapshot() {
	return JSON.parse(readFileSync(join(rundir, 'readings.json'), 'utf8'));
}

/* The timestamp of the reading the page shows now. */
const shownTs = (page) => page.evaluate(() => Number(document.getElementById('realtime').dataset.ts || 0));

/* Waits until the page shows a reading newer than ts; the time it took. */
async function waitNewer(page, ts, ms) {
	const t0 = Date.now();
	await page.waitForFunction((t) => Number(document.getElementById('realtime').dataset.ts || 0) > t, ts, {timeout: ms, polling: 100});
	return Date.now() - t0;
}

/* The graph's pixels, to see it move. */
const graphPixels = (page) => page.evaluate(() => document.querySelector('#graph canvas').toDataURL());

/* The pid of lighttpd (runsv's supervise/pid) and of its live CGIs. */
function lighttpdPid() {
	return Number(readFileSync(join(services, 'lighttpd', 'supervise', 'pid'), 'utf8'));
}
function liveCgis() {
	const out = execFileSync('ps', ['--ppid', String(lighttpdPid()), '-o', 'pid=,comm='], {encoding: 'utf8'});
	return out.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f[1] === 'live').map((f) => Number(f[0]));
}

/* A reload or another page (url): it aborts the page's open stream
 * (ERR_ABORTED), which is no fault. */
async function reload(page, url) {
	const before = tolerate;
	tolerate = before ? new RegExp(before.source + '|api/live net::ERR_ABORTED') : /api\/live net::ERR_ABORTED/;
	if (url) await page.goto(url);
	else await page.reload();
	tolerate = before;
}

try {
	browser = await launch(modules, {viewport: {width: 1280, height: 800}});
	const page = browser.page;
	page.setDefaultTimeout(STEP_MS);
	const problem = (text) => {
		if (tolerate && tolerate.test(text)) return;
		problems.push(text);
	};
	page.on('console', (m) => {
		if (m.type() === 'error' || m.type() === 'warning') problem(`console ${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push('page error: ' + e.message));
	page.on('requestfailed', (r) => problem(`request failed: ${new URL(r.url()).pathname} ${r.failure()?.errorText}`));
	page.on('response', (r) => {
		if (r.status() >= 400) problem(`unexpected HTTP answer: ${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`);
	});
	page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss(); });

	// 1. the Real-time Display: values and graph move with the readings
	await page.goto(base + '/');
	await page.waitForFunction(() => Number(document.getElementById('realtime').dataset.ts || 0) > 0);
	assert.equal(await page.textContent('#title'), 'Bakery');
	// the company logo uploaded through the admin's API, top left
	await page.waitForFunction(() => document.getElementById('logo').complete && document.getElementById('logo').naturalWidth > 0);
	assert.equal(await page.evaluate(() => document.getElementById('logo').naturalWidth), 120, 'the uploaded logo shows');
	assert.equal(await page.isVisible('#meter-pick'), true, 'two meters: the selector shows');
	const ts0 = await shownTs(page);
	const power0 = await page.textContent('#power-value');
	const pixels0 = await graphPixels(page);
	await waitNewer(page, ts0, 5000);
	const ts1 = await shownTs(page);
	await waitNewer(page, ts1, 5000);
	const ts2 = await shownTs(page);
	assert.ok(ts2 > ts1 && ts1 > ts0, `readings newer each time: ${ts0} ${ts1} ${ts2}`);
	assert.match(power0, /^-?[\d,]+\.\d\d$/, 'the power in kW: ' + power0);
	assert.notEqual(await graphPixels(page), pixels0, 'the graph moves');
	const volts = Number((await page.textContent('#voltage-value')).replace(/,/g, ''));
	assert.ok(volts > 100 && volts < 300, 'a plausible voltage: ' + volts);
	assert.match(await page.textContent('#pf-value'), /^-?\d\.\d{3}$/);
	assert.match(await page.textContent('#cost-value'), /^€-?[\d,]+\.\d\d per hour$/);
	assert.equal(await page.getAttribute('#cost-value', 'data-price'), '0.5', "the time-of-use rate, not the flat price");
	assert.match(await page.textContent('#co2-value'), /^[\d,]+\.\d\d kg per hour$/);
	// the time in the hub's zone (Asia/Kolkata, UTC+5:30), not UTC's: the
	// reading's own timestamp as the zone's wall clock (the graph's axis
	// uses the same zone, through uPlot's tzDate)
	const shown = await page.evaluate(() => [Number(document.getElementById('realtime').dataset.ts), document.getElementById('clock').textContent]);
	const ist = new Date((shown[0] + 5.5 * 3600) * 1000).toISOString().slice(11, 19);
	assert.equal(shown[1], 'Reading at ' + ist, 'the time in Asia/Kolkata');
	// and the graph's time axis: its ticks are Kolkata's minutes of the
	// last ten (UTC's would be 5.5 h off)
	const ticks = (await page.getAttribute('#graph', 'data-times')).split(' ');
	const minutes = new Set([...Array(11).keys()].map((k) => new Date((shown[0] - 60 * k + 5.5 * 3600) * 1000).toISOString().slice(11, 16)));
	assert.ok(ticks.length >= 2 && ticks.every((x) => minutes.has(x)), `the axis in Asia/Kolkata: ${ticks} (reading at ${ist})`);
	step(`the power (${power0} kW), voltage (${volts} V), PF, cost and CO2 shown; three newer readings; the graph moves`);
	await screenshot(page, 'realtime');

	// 2. the graph parameter: current (A)
	await page.selectOption('#graph-param', 'current');
	await page.waitForFunction(() => document.getElementById('graph').dataset.param === 'current');
	assert.match(await page.textContent('#graph-title'), /\(A\)$/);
	const pixelsI = await graphPixels(page);
	await waitNewer(page, await shownTs(page), 5000);
	assert.notEqual(await graphPixels(page), pixelsI, 'the current graph moves');
	step('graph switched to current (A), and it moves');

	// 3. meter 2: the page shows meter 2's reading (checked against the
	// snapshot the stream sends, at the same timestamp)
	await page.selectOption('#meter', '2');
	let matched = false;
	for (let i = 0; i < 20 && !matched; i++) {
		const snap = snapshot();
		const r = snap.rtdata.find((x) => x.did === 2);
		const [ts, shown, meter] = await page.evaluate(() => [Number(document.getElementById('realtime').dataset.ts),
			document.getElementById('power-value').textContent, document.getElementById('realtime').dataset.meter]);
		if (r && r.ts === ts && meter === '2') {
			assert.equal(shown, (r.P / 1000).toLocaleString('en', {minimumFractionDigits: 2, maximumFractionDigits: 2}), 'meter 2 power');
			matched = true;
		} else {
			await sleep(300);
		}
	}
	assert.ok(matched, 'meter 2 shown at a snapshot timestamp');
	step("meter 2 selected: its power matches readingsd's snapshot");

	// 4. the custom message, 3 s after the page opened, for 4 s
	await page.waitForSelector('#message', {state: 'visible', timeout: 8000});
	assert.equal(await page.textContent('#message-title'), 'Welcome <i>');
	await screenshot(page, 'message');
	await page.waitForSelector('#message', {state: 'hidden', timeout: 8000});
	step('the custom message showed (markup as text) and went');

	// 5. the live CGI killed mid-stream: the page recovers by itself
	let cgis = liveCgis();
	assert.equal(cgis.length, 1, 'one live CGI for the one page: ' + cgis);
	tolerate = /ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_EMPTY_RESPONSE|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|api\/live/;
	process.kill(cgis[0], 'SIGKILL');
	const killedAt = await shownTs(page);
	const killMs = await waitNewer(page, killedAt + 1, RECOVER_MS);
	cgis = liveCgis();
	assert.equal(cgis.length, 1, 'a new live CGI: ' + cgis);
	step(`live CGI killed: the page showed new readings again after ${killMs} ms`);

	// 6. lighttpd restarted mid-stream
	const oldPid = lighttpdPid();
	execFileSync('sv', ['restart', join(services, 'lighttpd')]);
	const restartedAt = await shownTs(page);
	const restartMs = await waitNewer(page, restartedAt + 1, RECOVER_MS);
	assert.notEqual(lighttpdPid(), oldPid, 'lighttpd did restart');
	tolerate = null;
	step(`lighttpd restarted: the page showed new readings again after ${restartMs} ms`);

	// 6b. readingsd stopped: the stream says the readings are stale and the
	// page says so; started again, readings come back on the same stream
	execFileSync('sv', ['down', join(services, 'readingsd')]);
	await page.waitForFunction(() => /^No live readings: readingsd: not running/.test(document.getElementById('status').textContent),
		null, {timeout: 8000});
	const staleShown = await page.textContent('#status');
	assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('power-value').parentElement).opacity), '0.4',
		'the last values stay, greyed');
	const staleTs = await shownTs(page);
	execFileSync('sv', ['up', join(services, 'readingsd')]);
	const backMs = await waitNewer(page, staleTs, RECOVER_MS);
	assert.equal(await page.isVisible('#status'), false, 'the message goes with fresh readings');
	assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('power-value').parentElement).opacity), '1');
	step(`readingsd stopped: "${staleShown}"; started again: readings after ${backMs} ms`);

	// 7. a phone's width: nothing wider than the screen
	await page.setViewportSize({width: 390, height: 844});
	await sleep(300);
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(wide <= 390, 'the display fits a phone: ' + wide);
	await screenshot(page, 'realtime-phone');
	await page.setViewportSize({width: 1920, height: 1080});
	await screenshot(page, 'realtime-wall');
	step('phone (390 px) and wall (1920 px) layouts');

	// 7b. in French, from the shared catalogs: no key left showing
	ctl('config', 'set', 'interface.language', 'fr');
	await reload(page);
	await page.waitForFunction(() => Number(document.getElementById('realtime').dataset.ts || 0) > 0);
	assert.equal(await page.textContent('#power-title'), 'Puissance');
	assert.match(await page.textContent('#cost-value'), /par heure$/);
	const keys = (await page.textContent('body')).match(/\b(display|history|menu)\.[a-z_]+(\.[a-z_0-9]+)*\b/g);
	assert.equal(keys, null, 'catalog keys shown: ' + keys);
	await screenshot(page, 'realtime-fr');
	ctl('config', 'set', 'interface.language', 'en');
	step('in French from the shared catalog, no key showing');

	// 8. the Renewable Display
	ctl('config', 'set', 'interface.display', 'renewable');
	await reload(page);
	await page.waitForFunction(() => Number(document.getElementById('renewable').dataset.ts || 0) > 0);
	assert.equal(await page.textContent('#renewable-title'), 'Our solar roof');
	const bar = page.locator('.producer[data-meter="2"] .meter-bar-fill');
	assert.equal(await bar.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(255, 136, 0)', "the array's colour");
	const width = await bar.evaluate((b) => parseFloat(b.style.width));
	const pv = snapshot().rtdata.find((x) => x.did === 2);
	assert.ok(Math.abs(width - (100 * Math.abs(pv.P)) / 20000) < 5, `production against 20 kW: ${width}% for ${pv.P} W`);
	assert.match(await page.textContent('.producer[data-meter="2"] h3'), /^Roof <b>PV<\/b> · solar$/);
	for (const f of ['produced', 'self_consumed', 'grid_import', 'grid_export'])
		assert.match(await page.textContent(`.flow[data-flow="${f}"] .big`), /^[\d,]+\.\d\d kW$/, f);
	step(`renewable display: the array at ${width.toFixed(1)}% of its 20 kW in its colour, self-consumption, import, export`);
	await screenshot(page, 'renewable');
	// its messages in turn: the custom one, then the default ones
	// (messaging.default_messages, on by default) from the readings
	await page.waitForFunction(() => !document.getElementById('message').hidden &&
		document.getElementById('message-title').textContent === 'Renewable production', null, {timeout: 20000});
	assert.match(await page.textContent('#message-body'), /^Your renewable sources are producing [\d,]+\.\d\d kW, \d+ % of what they can\.$/);
	await screenshot(page, 'renewable-message');
	step('the Renewable Display\'s default message: ' + await page.textContent('#message-body'));
	ctl('config', 'set', 'interface.display', 'realtime');

	// 9. the history (40 days written by storefill before storaged started,
	// then the live minutes): what each chart shows and its CSV, checked
	// against storaged's own answer for the same buckets
	if ((await fetch(base + '/api/history?kind=meter&n=1&field=P&range=24h')).status === 404) {
		console.log('SKIP: history: GET /api/history is not in this tree yet (storaged\'s rollups)');
	} else {
		await reload(page, base + '/history.html');
		const show = async (source, quantity, range, resolution) => {
			await page.selectOption('#source', source);
			await page.selectOption('#quantity', quantity);
			await page.selectOption('#range', range);
			await page.waitForFunction(([r, q]) => document.getElementById('chart').dataset.resolution === r &&
				document.getElementById('csv').href.includes('range=' + q), [resolution, range]);
			return Number(await page.getAttribute('#chart', 'data-points'));
		};
		/* the CSV the page offers, row by row, against storaged's own
		 * history command for the same query (the API's from, to and zone) */
		const checkCsv = async (what) => {
			const href = await page.getAttribute('#csv', 'href');
			const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
			const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
			const h = await page.evaluate(async (u) => (await fetch(u)).json(), href.replace('format=csv', 'format=json'));
			const own = JSON.parse(ctl('call', 'storaged', JSON.stringify({cmd: 'history', kind: h.kind, n: h.n, field: h.field,
				from: h.from, to: h.to, resolution: h.resolution, tz: h.tz})));
			const rows = csv.slice(1).map((l) => l.split(',')).map(([time, v]) => [Date.parse(time) / 1000, v === '' ? null : Number(v)]);
			assert.ok(rows.length >= h.points.length, `${what}: the CSV has the ${h.points.length} points the chart shows (${rows.length} rows)`);
			for (const [ts, v] of rows) {
				const o = own.points.find((p) => p[0] === ts);
				assert.ok(o, `${what}: CSV row ${ts} is one of storaged's buckets`);
				assert.ok(v === null ? o[1] === null : Math.abs(o[1] - v) <= 1e-6 * Math.max(1, Math.abs(v)), `${what} ${ts}: CSV ${v}, storaged ${o[1]}`);
			}
			return rows.length;
		};
		const days = await show('meter:1', 'energy', '30d', 'day');
		assert.ok(days >= 29, 'a bar a day over 30 days: ' + days);
		assert.equal(await page.getAttribute('#chart', 'data-column'), 'delta', 'energy per day is the register\'s rise, not its reading');
		const dayRows = await checkCsv('energy per day');
		const hours = await show('meter:1', 'energy', '7d', 'hour');
		assert.ok(hours >= 7 * 22 - 14, 'energy per hour over 7 days (two hours a day off): ' + hours);
		const minutes = await show('meter:1', 'power', '24h', 'minute');
		assert.equal(await page.getAttribute('#chart', 'data-column'), 'mean');
		assert.ok(minutes >= 22 * 60 - 60, 'power per minute over 24 h: ' + minutes);
		const minuteRows = await checkCsv('power per minute');
		const pulse = await show('pulse:1', 'total', '90d', 'day');
		assert.ok(pulse >= 39, 'the pulse total per day over the 40 stored days: ' + pulse);
		// (the screenshot of a total, not of meter 1's energy: the simulated
		// meterd's register, far below storefill's, makes today's bar a
		// large negative one)
		await screenshot(page, 'history-pulse-total');
		const temp = await show('temp:28-0316a2799aff', 'temperature', '7d', 'hour');
		assert.ok(temp >= 7 * 22 - 14, "the probe's temperature per hour over 7 days: " + temp);
		await screenshot(page, 'history-temperature');
		await page.setViewportSize({width: 390, height: 844});
		await page.waitForFunction(() => document.documentElement.scrollWidth <= 390, null, {timeout: 5000}).catch(() => {});
		const wideHistory = await page.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(wideHistory <= 390, 'the history fits a phone: ' + wideHistory);
		await screenshot(page, 'history-phone');
		await page.setViewportSize({width: 1920, height: 1080});
		step(`history: meter 1's energy (${days} days, ${hours} hours), power (${minutes} minutes), the pulse total (${pulse} days), the probe (${temp} hours); the CSVs' ${dayRows} and ${minuteRows} rows equal storaged's own answer`);
		await reload(page, base + '/');
		await page.waitForFunction(() => Number(document.getElementById('realtime').dataset.ts || 0) > 0);
	}

	// 10. the display password: the display and its API refuse without it
	// (the test's shell set the password through PUT /api/display-password)
	tolerate = /status of 401|api\/(live|display)/;
	ctl('config', 'set', 'security.display_login', 'true');
	for (const path of ['/api/display', '/api/live', '/api/history?kind=meter&n=1&field=P']) {
		let code = 0;
		for (let i = 0; i < 30 && code !== 401; i++) {
			code = (await fetch(base + path)).status;
			if (code !== 401) await sleep(200);
		}
		assert.equal(code, 401, path + ' without the display password');
	}
	// the open page loses its stream (denied within 30 s, or at once when
	// lighttpd drops it) and asks; a reload asks at once
	await reload(page);
	await page.waitForSelector('#login', {state: 'visible'});
	assert.equal(await page.isVisible('#realtime'), false);
	await page.fill('#password', 'not-the-password');
	await page.click('#login-submit');
	await page.waitForFunction(() => document.getElementById('login-error').textContent.length > 0);
	assert.equal(await page.textContent('#login-error'), 'Wrong password.');
	await screenshot(page, 'display-password');
	await page.fill('#password', DISPLAY_PASSWORD);
	await page.click('#login-submit');
	await page.waitForFunction(() => Number(document.getElementById('realtime').dataset.ts || 0) > 0);
	tolerate = null;
	step('display password set: /api/display, /api/live and /api/history answer 401; the page asks, refuses a wrong one, shows with the right one');

	await sleep(500);
	assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
	step('no console error, page error or failed request');
} catch (e) {
	console.error('FAIL: ' + (e.stack || e));
	if (problems.length) console.error('problems seen:\n  ' + problems.join('\n  '));
	try {
		if (browser) await browser.page.screenshot({path: join(artefacts, 'failure.png'), fullPage: true});
	} catch { /* the browser may be gone */ }
	process.exitCode = 1;
} finally {
	if (browser) await browser.close();
}

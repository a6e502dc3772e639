// Issue 16's settings pages in a real browser (headless Chromium driven by
// playwright-core, as admin_browser.mjs): every page of the admin menu opens
// in English and in French with no console error, no failed request and no
// catalog key left showing; a screenshot of each (ARTEFACT_DIR/NN-lang-
// route.png).  Then the pages' own work: Interface Options (the language
// switched from the page, the time zone from the hub's list, a time-of-use
// tariff whose overlapping period is refused beside its field), Messaging
// (its fields follow the display chosen).
//
//   node admin_pages.mjs BASE_URL ARTEFACT_DIR NODE_MODULES_DIR CONFIG BROKER_PORT RECEIVER_PORT
//
// CONFIG: the hub's config file, read to see what the pages saved;
// BROKER_PORT: a mosquitto on 127.0.0.1 for the MQTT instance the page adds;
// RECEIVER_PORT: an HTTP receiver (tests/uploadd/receiver.py) for the
// upload target the page adds (the store is new and empty: nothing is sent).

import assert from 'node:assert/strict';
import {mkdirSync, readFileSync} from 'node:fs';
import {deflateSync, crc32} from 'node:zlib';
import {join} from 'node:path';
import {launch} from './chromium.mjs';

const [base, artefacts, modules, configFile, brokerPort, receiverPort] = process.argv.slice(2);
if (!base || !artefacts || !modules || !configFile || !brokerPort || !receiverPort) {
	console.error('usage: node admin_pages.mjs BASE_URL ARTEFACT_DIR NODE_MODULES_DIR CONFIG BROKER_PORT RECEIVER_PORT');
	process.exit(2);
}
const PASSWORD = 'Settings-2026';
const STEP_MS = 10000;
const config = () => JSON.parse(readFileSync(configFile, 'utf8'));

mkdirSync(artefacts, {recursive: true});
const problems = [];
const refusals = [];
let loggedRefusals = 0;
/* the 4xx answers the steps provoke on purpose */
const EXPECTED_REFUSALS = [
	/^GET \/api\/session 401$/, // before login
	/^PUT \/api\/config\/interface 400$/, // overlapping time-of-use periods
	/^PUT \/api\/logo 400$/, // a JPEG renamed .png
	/^PUT \/api\/config\/security 400$/, // the display login without a password
	/^PUT \/api\/config\/mqtt 400$/, // a port out of range
	/^PUT \/api\/config\/upload 400$/, // InfluxDB 2 without its organisation
];
let shot = 0;

/* A real w x h PNG (red-brown pixels), as a logo file would be. */
function png(w, h) {
	const chunk = (type, data) => {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(data.length, 0);
		head.write(type, 4, 'latin1');
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
		return Buffer.concat([head, data, crc]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr.set([8, 2, 0, 0, 0], 8);
	const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, Buffer.from([0xa0, 0x40, 0x20]))]);
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(Buffer.concat(Array(h).fill(row)))), chunk('IEND', Buffer.alloc(0))]);
}
let browser;

function step(name) {
	console.log('ok: ' + name);
}

async function screenshot(page, name) {
	shot++;
	await page.screenshot({path: join(artefacts, String(shot).padStart(2, '0') + '-' + name + '.png'), fullPage: true});
}

async function fieldError(page, path) {
	const sel = `[data-path="${path}"] .field-error`;
	await page.waitForFunction((s) => document.querySelector(s)?.textContent.trim().length > 0, sel, {timeout: STEP_MS});
	return page.textContent(sel);
}

/* Opens route from the menu and waits until its page has drawn itself
 * whole (the shell marks #page data-ready then), without an error. */
async function open(page, route) {
	await page.click(`#menu a[href="#/${route}"]`);
	await page.waitForFunction((r) => document.querySelector('#page')?.dataset.page === r &&
		document.querySelector('#page')?.dataset.ready === '1', route);
	assert.equal(await page.$('#page > .msg-error[role=alert]'), null, route + ' opened without an error');
}

/* Every page of the menu in the language shown: opened, screenshot, no
 * catalog key showing ("group.key" text); returns {route: h1 text}. */
async function walk(page, lang) {
	const routes = await page.$$eval('#menu a[href^="#/"]', (as) => as.map((a) => a.getAttribute('href').slice(2)));
	assert.ok(routes.length >= 8, 'the menu lists the pages: ' + routes);
	const titles = {};
	for (const route of routes) {
		await open(page, route);
		assert.equal(await page.getAttribute('html', 'lang'), lang);
		const text = await page.textContent('body');
		const keys = text.match(/\b(app|menu|login|password|register|network|devices|readings|status|alarms|form|field|choice|messaging|interface|security|mqtt|upload|reset|reboot|support|backup)\.[a-z_]+(\.[a-z_0-9]+)*\b/g);
		assert.equal(keys, null, `${lang} ${route}: catalog keys shown instead of text: ${keys}`);
		titles[route] = await page.textContent('#page h1');
		await screenshot(page, lang + '-' + route);
	}
	return titles;
}

try {
	// an English browser: the pages' language is the hub's, not the browser's
	browser = await launch(modules, {viewport: {width: 1280, height: 860}, locale: 'en-US'});
	const page = browser.page;
	page.setDefaultTimeout(STEP_MS);
	page.on('console', (m) => {
		if (m.type() !== 'error' && m.type() !== 'warning') return;
		if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) && refusals.length > loggedRefusals) loggedRefusals++;
		else problems.push(`console ${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push('page error: ' + e.message));
	page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
	page.on('response', (r) => {
		if (r.status() < 400) return;
		const what = `${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`;
		if (EXPECTED_REFUSALS.some((re) => re.test(what))) refusals.push(what);
		else problems.push('unexpected HTTP answer: ' + what);
	});
	page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss(); });

	// in: the factory password, then our own
	await page.goto(base + '/admin/');
	await page.waitForSelector('#login-form');
	await page.fill('#login-user', 'admin');
	await page.fill('#login-pass', 'admin');
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('#password-form');
	await page.fill('#pw-new', PASSWORD);
	await page.fill('#pw-confirm', PASSWORD);
	await page.click('#password-form button[type=submit]');
	await page.waitForSelector('#menu a');
	step('logged in');

	const en = await walk(page, 'en');
	step('every page opens in English: ' + Object.keys(en).join(', '));

	// Interface Options: the logo (a renamed JPEG refused beside the field,
	// a PNG shown at once); the time zone from the hub's list; a
	// time-of-use tariff, its overlapping period refused beside the field
	await open(page, 'interface');
	assert.equal(await page.isVisible('#logo-now'), false, 'no logo yet');
	await page.setInputFiles('#logo-file', {name: 'logo.png', mimeType: 'image/png',
		buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9])});
	await page.waitForFunction(() => document.querySelector('#logo-err').textContent.includes('JPEG'));
	await screenshot(page, 'interface-logo-refused');
	await page.setInputFiles('#logo-file', {name: 'logo.png', mimeType: 'image/png', buffer: png(160, 48)});
	await page.waitForFunction(() => { const i = document.querySelector('#logo-now'); return !i.hidden && i.complete && i.naturalWidth === 160; });
	assert.equal(await page.textContent('#logo-err'), '', 'the refusal went with the good file');
	step('interface: a JPEG named logo.png refused beside the field, a 160 x 48 PNG stored and shown');
	const zones = await page.$$eval('[name="interface.timezone"] option', (os) => os.map((o) => o.value));
	assert.ok(zones.includes('Europe/London') && zones.includes('UTC') && zones.length > 300,
		`the time zones are the system's (${zones.length})`);
	await page.selectOption('[name="interface.timezone"]', 'Europe/Paris');
	await page.fill('[name="interface.supplier"]', 'Octopus & <Sons>');
	await page.fill('[name="interface.price_per_kwh"]', '0.25');
	await page.fill('[name="interface.currency"]', '€');
	await page.fill('[name="interface.co2_kg_per_kwh"]', '0.2');
	await page.fill('[name="interface.pulse_unit"]', 'm³');
	await page.click('#tou-add');
	await page.click('#tou-add');
	await page.click('#tou-add');
	await page.fill('[name="interface.tou[2].start"]', '01:00');
	await page.click('.period[data-index="1"] .remove-period');
	assert.equal(await page.inputValue('[name="interface.tou[1].start"]'), '01:00', 'a period removed, the next one moves up');
	await page.fill('[name="interface.tou[1].start"]', '22:00');
	await page.fill('[name="interface.tou[1].end"]', '24:00');
	await page.fill('[name="interface.tou[1].price_per_kwh"]', '0.1');
	await page.click('#interface-form button[type=submit]');
	const overlap = await fieldError(page, 'interface.tou[1].start');
	assert.match(overlap, /overlap/);
	await screenshot(page, 'interface-tou-refused');
	await page.fill('[name="interface.tou[1].start"]', '23:00');
	await page.fill('[name="interface.tou[0].price_per_kwh"]', '0.3');
	await page.click('#interface-form button[type=submit]');
	await page.waitForSelector('#interface-form .msg-ok');
	const iface = config().interface;
	assert.deepEqual(iface.tou, [
		{days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '07:00', end: '23:00', price_per_kwh: 0.3},
		{days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '23:00', end: '24:00', price_per_kwh: 0.1},
	]);
	assert.equal(iface.timezone, 'Europe/Paris');
	assert.equal(iface.supplier, 'Octopus & <Sons>');
	assert.equal(iface.pulse_unit, 'm³');
	step(`interface: time zone from ${zones.length} system zones, time-of-use tariff saved (overlap refused: "${overlap.trim()}")`);

	// Messaging follows the display: the real-time one has no "show for"
	await open(page, 'messaging');
	assert.equal(await page.getAttribute('#messaging-form', 'data-display'), 'realtime');
	assert.equal(await page.isVisible('[name="messaging.duration_s"]'), false);
	await page.check('[name="messaging.enabled"]');
	await page.fill('[name="messaging.title"]', 'Welcome');
	await page.fill('[name="messaging.body"]', 'Energy use today: see the graph');
	await page.click('#messaging-form button[type=submit]');
	await page.waitForSelector('#messaging-form .msg-ok');
	await open(page, 'interface');
	assert.equal(await page.isVisible('#renewable-fields'), false, 'renewable fields only for the Renewable Display');
	await page.selectOption('[name="interface.display"]', 'renewable');
	await page.fill('[name="renewable.title"]', 'Our solar roof');
	await page.click('#interface-form button[type=submit]');
	await page.waitForSelector('#interface-form .msg-ok');
	await open(page, 'messaging');
	assert.equal(await page.getAttribute('#messaging-form', 'data-display'), 'renewable');
	await page.fill('[name="messaging.duration_s"]', '20');
	await page.uncheck('[name="messaging.default_messages"]');
	await page.click('#messaging-form button[type=submit]');
	await page.waitForSelector('#messaging-form .msg-ok');
	await screenshot(page, 'messaging-renewable');
	const msg = config().messaging;
	assert.deepEqual([msg.enabled, msg.title, msg.body, msg.duration_s, msg.default_messages],
		[true, 'Welcome', 'Energy use today: see the graph', 20, false]);
	assert.equal(config().renewable.title, 'Our solar roof');
	step('messaging: the real-time and then the renewable fields, as the display chosen');

	// Security: the display password (the two entries must agree), then the
	// display login on; the admin password's own page is one link away
	await open(page, 'security');
	assert.equal(await page.getAttribute('#display-pw-state', 'data-set'), '0');
	await page.check('[name="security.display_login"]');
	await page.click('#security-form button[type=submit]');
	const needPw = await fieldError(page, 'password');
	await page.fill('#display-pw', 'Lobby-screen-42');
	await page.fill('#display-pw-confirm', 'Lobby-screen-43');
	await page.click('#security-form button[type=submit]');
	await fieldError(page, 'confirm');
	await page.fill('#display-pw-confirm', 'Lobby-screen-42');
	await page.click('#security-form button[type=submit]');
	await page.waitForSelector('#security-form .msg-ok');
	assert.equal(await page.getAttribute('#display-pw-state', 'data-set'), '1');
	assert.equal(await page.inputValue('#display-pw'), '', 'the password is not kept in the page');
	const sec = config().security;
	assert.ok(sec.display_login && sec.display_password_hash.startsWith('$y$'), 'login on, a yescrypt hash stored');
	assert.ok(!readFileSync(configFile, 'utf8').includes('Lobby-screen-42'), 'the password itself is nowhere in the config');
	await screenshot(page, 'security-saved');
	await page.click('#security-admin-password');
	await page.waitForSelector('#password-form');
	assert.equal(await page.isVisible('#pw-current'), true, 'the admin password change asks the current one');
	step(`security: login on without a password refused ("${needPw.trim()}"), display password set (hash only), admin password one link away`);

	// MQTT Settings: an instance added on the page (a bad port refused
	// beside the field) connects to the test's broker, its state beside it
	await open(page, 'mqtt');
	await page.click('#add-mqtt');
	await page.waitForSelector('#mqtt-form');
	await page.fill('[name="mqtt[0].title"]', 'Site broker');
	await page.check('[name="mqtt[0].enabled"]');
	await page.check('#mqtt-meter-1');
	assert.equal(await page.isVisible('[name="mqtt[0].ca_file"]'), false, 'TLS files only with TLS');
	await page.check('[name="mqtt[0].tls"]');
	assert.equal(await page.isVisible('[name="mqtt[0].ca_file"]'), true);
	await page.uncheck('[name="mqtt[0].tls"]');
	await page.fill('[name="mqtt[0].host"]', '127.0.0.1');
	await page.fill('[name="mqtt[0].port"]', '70000');
	await page.fill('[name="mqtt[0].topic"]', 'acme/page');
	await page.fill('[name="mqtt[0].interval_s"]', '1');
	await page.click('#mqtt-form button[type=submit]');
	const badPort = await fieldError(page, 'mqtt[0].port');
	await page.fill('[name="mqtt[0].port"]', brokerPort);
	await page.click('#mqtt-form button[type=submit]');
	await page.waitForSelector('#mqtt-list tr[data-name="Site broker"]');
	await page.waitForFunction(() => document.querySelector('#mqtt-list tr[data-name="Site broker"] td[data-col="mqtt.col.state"]')?.textContent === 'connected', null, {timeout: 20000});
	assert.deepEqual(config().mqtt[0].meters, [1]);
	await screenshot(page, 'mqtt-connected');
	// a second instance with a password; renamed, its password must be
	// typed again (the hub keeps a blank secret by name); then deleted from
	// the list (confirmed in the row)
	await page.click('#add-mqtt');
	await page.fill('[name="mqtt[1].title"]', 'Spare');
	await page.fill('[name="mqtt[1].password"]', 'spare-secret');
	await page.click('#mqtt-form button[type=submit]');
	await page.waitForSelector('#mqtt-list tr[data-name="Spare"]');
	assert.match(await page.textContent('#page .form-msg'), /Spare/, 'the page says which instance was saved');
	await page.click('#edit-mqtt-2');
	await page.waitForFunction(() => document.querySelector('#page')?.dataset.ready === '1' && document.querySelector('#mqtt-form'));
	await page.fill('[name="mqtt[1].title"]', 'Spare 2');
	await page.click('#mqtt-form button[type=submit]');
	const again = await fieldError(page, 'mqtt[1].password');
	await page.fill('[name="mqtt[1].password"]', 'spare-secret');
	await page.click('#mqtt-form button[type=submit]');
	await page.waitForSelector('#mqtt-list tr[data-name="Spare 2"]');
	assert.equal(config().mqtt[1].password, 'spare-secret', 'the renamed instance kept its password, typed again');
	await page.click('#delete-mqtt-2');
	await page.click('#confirm-delete-mqtt-2');
	await page.waitForFunction(() => !document.querySelector('#mqtt-list tr[data-name="Spare 2"]') && document.querySelector('#page')?.dataset.ready === '1');
	assert.deepEqual(config().mqtt.map((m) => m.title), ['Site broker'], 'the spare instance deleted, the other kept');
	step(`mqtt: a renamed instance asks its password again ("${again.trim()}"), an instance deleted from the list`);
	step(`mqtt: an instance added (port 70000 refused: "${badPort.trim()}"), connected to the test's broker`);

	// Upload targets: the InfluxDB fields follow type and API; a target
	// added reaches the test's receiver, its backlog and last success beside it
	await open(page, 'upload');
	await page.click('#add-upload');
	await page.waitForSelector('#upload-form');
	await page.fill('[name="upload[0].name"]', 'Site receiver');
	await page.check('[name="upload[0].enabled"]');
	assert.equal(await page.isVisible('[name="upload[0].influx_api"]'), false, 'InfluxDB fields only for InfluxDB');
	await page.selectOption('[name="upload[0].type"]', 'influxdb');
	await page.selectOption('[name="upload[0].influx_api"]', 'v2');
	assert.equal(await page.isVisible('[name="upload[0].influx_org"]'), true);
	assert.equal(await page.isVisible('[name="upload[0].influx_db"]'), false);
	await page.fill('[name="upload[0].url"]', `http://127.0.0.1:${receiverPort}/up`);
	await page.click('#upload-form button[type=submit]');
	const noOrg = await fieldError(page, 'upload[0].influx_org');
	await page.selectOption('[name="upload[0].type"]', 'http-json');
	await page.fill('[name="upload[0].interval_s"]', '1');
	await page.click('#upload-form button[type=submit]');
	await page.waitForSelector('#upload-list tr[data-name="Site receiver"]');
	// (a new hub's store may hold a minute by now or not: "never" or the
	// time of the batch that took it; delivery itself is checked by
	// test_webcgi_settings.sh)
	await page.waitForFunction(() => {
		const row = document.querySelector('#upload-list tr[data-name="Site receiver"]');
		const cell = (c) => row?.querySelector(`td[data-col="upload.col.${c}"]`)?.textContent;
		return cell('state') === 'up to date' && cell('backlog') === '0' && cell('last_success');
	}, null, {timeout: 30000});
	await screenshot(page, 'upload-live');
	step(`upload: a target added (InfluxDB 2 without an organisation refused: "${noOrg.trim()}"), uploadd's state and backlog beside it`);

	// the language, switched from Interface Options: the pages at once
	await open(page, 'interface');
	await page.selectOption('[name="interface.language"]', 'fr');
	await page.click('#interface-form button[type=submit]');
	await page.waitForFunction(() => document.documentElement.lang === 'fr' && document.querySelector('#interface-form .msg-ok'));
	assert.equal(await page.textContent('#page h1'), "Options d'interface");
	assert.equal(config().interface.language, 'fr');
	const fr = await walk(page, 'fr');
	for (const route of Object.keys(en)) assert.notEqual(fr[route], en[route], `${route}'s title is translated`);
	// the daemons' own words (link and target states) translated too
	await open(page, 'status');
	await page.waitForFunction(() => document.querySelector('#status-mqtt tr[data-instance="Site broker"]')?.textContent.includes('connectée'));
	await page.waitForFunction(() => document.querySelector('#status-upload tr[data-target="Site receiver"]')?.textContent.includes('à jour'));
	step('every page opens in French, each title translated, the daemons\' states too');

	// dates and times as the page's language writes them, not as the
	// browser's own locale (en-US here) would: 30/11/2026 17:21:52
	const frDate = /\b\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}\b/;
	await open(page, 'status');
	await page.waitForFunction(() => document.querySelector('#status-clock')?.textContent.includes('—'));
	const frClock = await page.textContent('#status-clock');
	assert.match(frClock, frDate, 'System Status gives the clock in French');
	assert.doesNotMatch(frClock, /[AP]M/, 'no English AM/PM in a French page');
	await open(page, 'readings');
	await page.waitForFunction(() => document.querySelector('#readings-updated')?.textContent.length > 0);
	const frStamp = await page.textContent('#readings-updated');
	assert.match(frStamp, /^Mis à jour \d{2}:\d{2}:\d{2}$/, 'Device Readings gives its time in French');
	// Upload targets' last success: the French way too (or "jamais" when
	// the new store had no minute to send yet)
	await open(page, 'upload');
	const sentCell = '#upload-list tr[data-name="Site receiver"] td[data-col="upload.col.last_success"]';
	await page.waitForFunction((c) => document.querySelector(c)?.textContent.length > 0, sentCell);
	const frSent = await page.textContent(sentCell);
	assert.ok(frSent === 'jamais' || (frDate.test(frSent) && !/[AP]M/.test(frSent)), `Upload targets' last success in French: ${frSent}`);
	step(`dates in French: "${frClock.split('—')[1].trim()}", "${frStamp}", "${frSent}"`);

	// the login page speaks the hub's language too
	await page.click('#logout');
	await page.waitForSelector('#login-form');
	assert.equal(await page.textContent('#login-form button[type=submit]'), 'Connexion');
	await screenshot(page, 'fr-login');
	step('the login page is in French');

	// the hub's language changed elsewhere (another admin's session, here
	// a client of the API): the next login follows it
	const other = await fetch(base + '/api/login', {method: 'POST', headers: {'Content-Type': 'application/json'},
		body: JSON.stringify({username: 'admin', password: PASSWORD})});
	assert.equal(other.status, 200, 'a second session logs in');
	const cookie = other.headers.get('set-cookie').split(';')[0];
	const {csrf} = await (await fetch(base + '/api/session', {headers: {Cookie: cookie}})).json();
	const put = await fetch(base + '/api/config/interface', {method: 'PUT',
		headers: {'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf}, body: JSON.stringify({language: 'en'})});
	assert.equal(put.status, 200, 'the other session sets English');
	await page.fill('#login-user', 'admin');
	await page.fill('#login-pass', PASSWORD);
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('#menu a');
	await page.waitForFunction(() => document.documentElement.lang === 'en');
	assert.equal(await page.textContent('#logout'), 'Log out');
	step('a language set by another session: the next login speaks it');

	// a restore that brings another language switches the pages at once
	await open(page, 'backup');
	const backup = await (await page.request.get(base + '/api/backup')).json();
	backup.config.interface = {...backup.config.interface, language: 'fr'};
	await page.setInputFiles('#restore-file', {name: 'settings.json', mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify(backup))});
	await page.click('#restore');
	await page.waitForFunction(() => document.documentElement.lang === 'fr' &&
		document.querySelector('#page')?.dataset.page === 'backup' && document.querySelector('#restore-form .msg-ok'));
	assert.equal(await page.textContent('#page h1'), 'Sauvegarde et restauration');
	assert.equal(await page.textContent('#menu a[href="#/backup"]'), 'Sauvegarde et restauration');
	assert.equal(config().interface.language, 'fr');
	await screenshot(page, 'fr-restored');
	step(`a restore in French: the pages switch at once and say "${(await page.textContent('#restore-form .msg-ok')).trim()}"`);

	assert.deepEqual(problems, [], 'no console error, failed request or unexpected HTTP answer');
} catch (e) {
	console.error('FAIL: ' + (e.stack || e));
	if (problems.length) console.error('browser problems:\n  ' + problems.join('\n  '));
	if (browser) {
		try { await screenshot(browser.page, 'failure'); } catch { /* the browser may be gone */ }
	}
	process.exitCode = 1;
} finally {
	if (browser) await browser.close();
}

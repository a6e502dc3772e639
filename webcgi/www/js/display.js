// The displays at / (docs/DISPLAY.md): the manual's Real-time Display
// (power gauge, graph of power / apparent power / current against time in
// the hub's time zone, voltage gauge, power factor, cost and CO2, meter
// selector, full screen, the custom message) or, when
// interface.display is "renewable", the Renewable Display (each renewable
// meter's production in its colour against its maximum production
// potential, self-consumption against grid import and export).  Settings
// from GET /api/display, readings from GET /api/live (live.js).

import uPlot from '/vendor/uPlot.esm.js';
import * as api from './api.js';
import {el, clear} from './dom.js';
import {gauge} from './gauge.js';
import {live} from './live.js';
import {hasPrice, priceAt} from './tariff.js';
import {setLanguage, t} from './i18n.js';

const GRAPH_S = 600; // the graph spans ten minutes: as many readings, one a second
// the graph's parameters: reading key, unit, scale to the unit shown
const PARAMS = {
	power: {key: 'P', unit: 'kW', scale: 1e-3},
	apparent: {key: 'S', unit: 'kVA', scale: 1e-3},
	current: {key: 'I', unit: 'A', scale: 1},
};
const VOLTS_MAX = 300;

const $ = (id) => document.getElementById(id);
let settings = null;
let meterId = null;
let param = 'power';
const series = new Map(); // meter id -> {t: [], P: [], S: [], I: []}
let chart = null;
let powerGauge = null;
let voltageGauge = null;
let powerPeak = 0;
let stopLive = null;
let fmt = new Intl.NumberFormat('en', {maximumFractionDigits: 2});
let lastSnap = null; // the latest snapshot, shown again at once when the meter changes
let lastBalance = null; // the Renewable Display's latest figures (W), for its default messages
let clock = null; // the reading's time in the hub's time zone
let axisTime = null; // the graph's time labels, likewise

function status(text) {
	$('status').hidden = !text;
	$('status').textContent = text || '';
}

function number(v, digits = 2) {
	if (!Number.isFinite(v)) return '–';
	return new Intl.NumberFormat(fmt.resolvedOptions().locale, {minimumFractionDigits: digits, maximumFractionDigits: digits}).format(v);
}

/* The next 1, 2 or 5 x 10^n at or above v: the power gauge's full scale
 * when the meter has no maximum of its own. */
function niceCeil(v) {
	if (!(v > 0)) return 1;
	const p = 10 ** Math.floor(Math.log10(v));
	for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
	return 10 * p;
}

/* The catalog of code (English when it cannot be had) and the page's
 * fixed strings in it. */
async function language(code) {
	try {
		await setLanguage(code);
	} catch (e) {
		status(t('display.unreachable', {why: e.message}));
	}
	strings();
}

function strings() {
	document.title = t('display.page_title');
	for (const [id, key] of [['meter-label', 'display.meter'], ['to-history', 'display.history'], ['to-admin', 'display.admin'],
		['fullscreen', 'display.fullscreen'], ['login-title', 'display.login_title'], ['login-label', 'display.password'],
		['login-submit', 'display.login_submit'], ['power-title', 'display.power'], ['voltage-title', 'display.voltage'],
		['pf-title', 'display.pf'], ['cost-title', 'display.cost'], ['co2-title', 'display.co2'], ['graph-label', 'display.graph']]) {
		$(id).textContent = t(key);
	}
	const sel = clear($('graph-param'));
	for (const p of Object.keys(PARAMS)) sel.append(el('option', {value: p, text: t('display.graph.' + p)}));
	sel.value = param;
}

/* The graph of the chosen meter and parameter, in the hub's time zone. */
function makeChart() {
	const box = $('graph');
	const tz = settings.interface.timezone || 'UTC';
	const p = PARAMS[param];
	$('graph-title').textContent = t('display.graph.' + param) + ' (' + p.unit + ')';
	if (chart) chart.destroy();
	chart = new uPlot({
		width: Math.max(240, box.clientWidth),
		height: Math.max(160, box.clientHeight || 240),
		// ticks at the zone's round minutes, labelled by Intl in the page's
		// language (uPlot's own labels are English and misdate a lone point)
		tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), tz),
		legend: {show: false},
		cursor: {show: false},
		// the last ten minutes, however few readings there are yet
		scales: {x: {time: true, range: (u, min, max) => {
			const hi = Number.isFinite(max) ? max : Date.now() / 1000; // no reading yet: up to now
			return [hi - GRAPH_S, hi];
		}}},
		axes: [{stroke: '#5f6b73', values: (u, splits) => {
			const labels = splits.map((s) => axisTime.format(new Date(s * 1000)));
			box.dataset.times = labels.join(' '); // what the axis says, for a reader that cannot see the canvas
			return labels;
		}},
			{stroke: '#5f6b73', size: 60}],
		series: [{}, {label: t('display.graph.' + param), stroke: '#1b5e20', width: 2, fill: 'rgba(27,94,32,0.12)'}],
	}, graphData(), box);
	box.dataset.param = param;
}

function graphData() {
	const s = series.get(meterId);
	if (!s) return [[], []];
	const p = PARAMS[param];
	return [s.t.slice(), s[p.key].map((v) => (v === null ? null : v * p.scale))];
}

function remember(reading) {
	let s = series.get(reading.did);
	if (!s) series.set(reading.did, (s = {t: [], P: [], S: [], I: []}));
	if (s.t.length && s.t[s.t.length - 1] >= reading.ts) return;
	s.t.push(reading.ts);
	for (const k of ['P', 'S', 'I']) s[k].push(Number.isFinite(reading[k]) ? reading[k] : null);
	if (s.t.length > GRAPH_S) for (const k of ['t', 'P', 'S', 'I']) s[k].shift();
}

function meterName(id) {
	const m = settings.meters.find((x) => x.id === id);
	return m ? m.name : t('display.meter_n', {n: id});
}

function fillMeters() {
	const sel = clear($('meter'));
	for (const m of settings.meters) sel.append(el('option', {value: String(m.id), text: m.name}));
	$('meter-pick').hidden = settings.meters.length < 2 || settings.interface.display === 'renewable';
	if (!settings.meters.some((m) => m.id === meterId)) meterId = settings.meters.length ? settings.meters[0].id : null;
	sel.value = String(meterId);
}

function showRealtime(snap) {
	const r = (snap.rtdata || []).find((x) => x.did === meterId);
	const box = $('realtime');
	box.dataset.ts = r ? String(r.ts) : '';
	box.dataset.meter = String(meterId);
	if (!r) {
		status(t('display.no_reading', {name: meterName(meterId)}));
		return;
	}
	const kw = r.P / 1000;
	powerPeak = Math.max(powerPeak, Math.abs(r.P));
	const m = settings.meters.find((x) => x.id === meterId);
	const fullW = m && m.max_power_w > 0 ? m.max_power_w : niceCeil(powerPeak * 1.2);
	$('power-value').textContent = number(kw);
	powerGauge.set(Math.abs(r.P), 0, fullW, ['0', number(fullW / 1000, fullW < 10000 ? 1 : 0), number(kw) + ' kW']);
	$('voltage-value').textContent = number(r.V, 1);
	voltageGauge.set(r.V, 0, VOLTS_MAX, ['0', String(VOLTS_MAX), number(r.V, 1) + ' V']);
	$('pf-value').textContent = number(r.PF, 3);
	$('clock').textContent = t('display.at', {time: clock.format(new Date(r.ts * 1000))});
	const i = settings.interface;
	// at the present power, per hour: kW x the price per kWh in force at
	// the reading's time (time-of-use or flat), kW x kg CO2 per kWh
	const price = priceAt(i, new Date(r.ts * 1000));
	$('cost-value').textContent = hasPrice(i) ? t('display.per_hour', {v: i.currency + number(kw * price)}) : t('display.no_price');
	$('cost-value').dataset.price = String(price);
	$('co2-value').textContent = i.co2_kg_per_kwh > 0 ? t('display.per_hour', {v: number(kw * i.co2_kg_per_kwh) + ' kg'}) : t('display.no_co2');
	if (chart) chart.setData(graphData());
}

function showRenewable(snap) {
	const readings = new Map((snap.rtdata || []).map((r) => [r.did, r]));
	const box = clear($('producers'));
	let produced = 0;
	for (const m of settings.meters.filter((x) => x.purpose === 'renewable')) {
		const r = readings.get(m.id);
		const w = r ? Math.abs(r.P) : NaN; // a producer's CT may face either way
		if (Number.isFinite(w)) produced += w;
		const pct = m.max_power_w > 0 && Number.isFinite(w) ? Math.min(100, (100 * w) / m.max_power_w) : 0;
		const bar = el('div', {class: 'meter-bar-fill'});
		bar.style.width = pct.toFixed(1) + '%';
		bar.style.background = m.colour;
		box.append(el('div', {class: 'producer', dataset: {meter: String(m.id)}},
			el('h3', {text: m.name + ' · ' + t('display.source.' + m.renewable_source)}),
			el('div', {class: 'meter-bar'}, bar),
			el('p', {class: 'big', text: number(w / 1000) + ' kW / ' + number(m.max_power_w / 1000, 1) + ' kW'})));
	}
	const grid = settings.meters.filter((x) => x.purpose === 'grid').map((m) => readings.get(m.id)).filter(Boolean);
	const gridW = grid.reduce((sum, r) => sum + r.P, 0); // + import, - export
	const exported = Math.max(0, -gridW);
	const potential = settings.meters.filter((x) => x.purpose === 'renewable').reduce((sum, x) => sum + x.max_power_w, 0);
	lastBalance = {produced, exported, potential, grid: grid.length > 0};
	const rows = [
		['display.produced', produced],
		['display.self_consumed', grid.length ? Math.max(0, produced - exported) : NaN],
		['display.grid_import', grid.length ? Math.max(0, gridW) : NaN],
		['display.grid_export', grid.length ? exported : NaN],
	];
	clear($('balance')).append(...rows.map(([k, w]) => el('div', {class: 'flow', dataset: {flow: k.slice(8)}},
		el('h3', {text: t(k)}), el('p', {class: 'big', text: number(w / 1000) + ' kW'}))));
	if (!grid.length) $('balance').append(el('p', {class: 'note', text: t('display.no_grid')}));
	$('renewable').dataset.ts = String(snap.ts);
}

function onData(snap) {
	lastSnap = snap;
	status(null);
	delete document.body.dataset.stale;
	for (const r of snap.rtdata || []) remember(r);
	if (settings.interface.display === 'renewable') showRenewable(snap);
	else showRealtime(snap);
	const down = Object.entries(snap.sources || {}).filter(([d, s]) => d === 'meterd' && s !== 'ok');
	if (down.length) status(t('display.source_down', {why: down[0][1]}));
}

/* The messages the display shows in turn: the custom message (when on
 * and it says something) and, on the Renewable Display with
 * messaging.default_messages on, the default ones, written from the
 * latest readings when their turn comes ({title, body}, or null when
 * there is nothing to say). */
function messages() {
	const m = settings.messaging;
	const list = [];
	if (m.enabled && (m.title || m.body)) list.push(() => ({title: m.title, body: m.body}));
	if (settings.interface.display === 'renewable' && m.default_messages) {
		list.push(() => {
			const b = lastBalance;
			if (!b || !(b.potential > 0)) return null;
			return {title: t('display.msg.production_title'),
				body: t('display.msg.production', {kw: number(b.produced / 1000), pct: number((100 * b.produced) / b.potential, 0)})};
		});
		list.push(() => {
			const b = lastBalance;
			if (!b || !b.grid || !(b.produced > 0)) return null;
			return {title: t('display.msg.self_title'),
				body: t('display.msg.self', {pct: number((100 * Math.max(0, b.produced - b.exported)) / b.produced, 0)})};
		});
	}
	return list;
}

/* The messages in turn: each delay_s after the last went, for duration_s. */
function scheduleMessage() {
	const list = messages();
	if (!list.length) return;
	const m = settings.messaging;
	let next = 0;
	const show = () => {
		let msg = null;
		for (let tries = 0; tries < list.length && !msg; tries++) msg = list[next++ % list.length]();
		if (!msg) {
			setTimeout(show, m.delay_s * 1000);
			return;
		}
		$('message-title').textContent = msg.title;
		$('message-body').textContent = msg.body;
		$('message').hidden = false;
		setTimeout(() => {
			$('message').hidden = true;
			setTimeout(show, m.delay_s * 1000);
		}, m.duration_s * 1000);
	};
	setTimeout(show, m.delay_s * 1000);
}

async function loadSettings() {
	try {
		return await api.get('/api/display');
	} catch (e) {
		if (e.status === 401) return null;
		throw e;
	}
}

function askPassword() {
	$('realtime').hidden = $('renewable').hidden = true;
	$('login').hidden = false;
	$('password').focus();
}

$('login').addEventListener('submit', async (ev) => {
	ev.preventDefault();
	$('login-error').textContent = '';
	try {
		await api.post('/api/display/login', {password: $('password').value});
		$('password').value = '';
		$('login').hidden = true;
		start();
	} catch (e) {
		$('login-error').textContent = e.status === 429 ? t('display.slowed', {s: e.body.retry_after_s}) :
			e.status === 401 ? t('display.wrong_password') : t('display.error', {why: e.message});
	}
});

$('meter').addEventListener('change', () => {
	meterId = Number($('meter').value);
	powerPeak = 0;
	makeChart();
	if (lastSnap) showRealtime(lastSnap);
});
$('graph-param').addEventListener('change', () => {
	param = $('graph-param').value;
	makeChart();
});
$('fullscreen').addEventListener('click', () => {
	if (document.fullscreenElement) document.exitFullscreen();
	else document.documentElement.requestFullscreen().catch(() => {});
});
window.addEventListener('resize', () => {
	if (chart) chart.setSize({width: Math.max(240, $('graph').clientWidth), height: Math.max(160, $('graph').clientHeight || 240)});
});

async function start() {
	try {
		settings = await loadSettings();
	} catch (e) {
		status(t('display.unreachable', {why: e.message}));
		setTimeout(start, 2000);
		return;
	}
	if (!settings) {
		// the hub's language is open to anyone, so the password form speaks it
		let code = 'en';
		try {
			code = (await api.get('/api/language')).language;
		} catch {
			/* English it is */
		}
		await language(code);
		askPassword();
		return;
	}
	await language(settings.interface.language);
	fmt = new Intl.NumberFormat(settings.interface.language || 'en');
	clock = new Intl.DateTimeFormat(settings.interface.language || 'en',
		{timeZone: settings.interface.timezone || 'UTC', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'});
	axisTime = new Intl.DateTimeFormat(settings.interface.language || 'en',
		{timeZone: settings.interface.timezone || 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'});
	if (!PARAMS[param] || !chart) param = PARAMS[settings.interface.graph] ? settings.interface.graph : 'power';
	$('graph-param').value = param;
	const renewable = settings.interface.display === 'renewable';
	$('title').textContent = (renewable ? settings.renewable.title || settings.interface.title : settings.interface.title) || t('display.title');
	$('renewable-title').textContent = renewable ? $('title').textContent : '';
	$('realtime').hidden = renewable;
	$('renewable').hidden = !renewable;
	document.body.dataset.display = renewable ? 'renewable' : 'realtime';
	$('logo').hidden = !settings.logo;
	if (settings.logo) $('logo').src = settings.logo;
	fillMeters();
	if (!renewable) {
		powerGauge = gauge($('power-gauge'));
		voltageGauge = gauge($('voltage-gauge'));
		makeChart();
	}
	scheduleMessage();
	status(t('display.connecting'));
	stopLive = live('/api/live', {
		onData,
		onStale: (s) => {
			status(t('display.stale', {why: s.error}));
			document.body.dataset.stale = '1'; // the last values stay, greyed
		},
		onState: (s) => {
			document.body.dataset.live = s;
			if (s === 'lost') status(t('display.reconnecting'));
		},
		onClosed: async () => {
			// a password now needed: ask for it; else try again
			try {
				if (await loadSettings()) return true;
			} catch {
				return true;
			}
			stopLive();
			askPassword();
			return false;
		},
	});
}

start();

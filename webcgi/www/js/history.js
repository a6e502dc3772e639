// The history page (docs/DISPLAY.md): each meter's last 24 h, 7 d, 30 d or
// 90 d (energy per hour or day, power, voltage), the pulse inputs' totals
// and the probes' temperatures, from GET /api/history (storaged's rollups,
// docs/API.md), drawn with uPlot, and the same points as CSV.  Who may see
// it: the same as the displays (a display password, when set, is asked on
// the display page, which sets the session this page uses).

import uPlot from '/vendor/uPlot.esm.js';
import * as api from './api.js';
import {el, clear} from './dom.js';
import {setLanguage, t} from './i18n.js';

const RANGES = ['24h', '7d', '30d', '90d'];
// what each kind of source can show: the stored field, and the resolution
// per range when the API's default is not what the manager wants (energy
// per hour over a day or a week, per day beyond)
const QUANTITIES = {
	meter: [
		{id: 'energy', field: 'E', res: {'24h': 'hour', '7d': 'hour', '30d': 'day', '90d': 'day'}, bars: true},
		{id: 'power', field: 'P'},
		{id: 'voltage', field: 'V'},
	],
	pulse: [{id: 'total', field: 'total', res: {'24h': 'hour', '7d': 'hour', '30d': 'day', '90d': 'day'}, bars: true}],
	temp: [{id: 'temperature', field: 'T'}],
};

const $ = (id) => document.getElementById(id);
let settings = null;
let chart = null;
let seq = 0; // the latest query: an older answer arriving late is dropped

function status(text) {
	$('status').hidden = !text;
	$('status').textContent = text || '';
}

function query(format) {
	const [kind, n] = $('source').value.split(':');
	const q = QUANTITIES[kind].find((x) => x.id === $('quantity').value) || QUANTITIES[kind][0];
	const range = $('range').value;
	const p = new URLSearchParams({kind, n, field: q.field, range});
	if (q.res) p.set('resolution', q.res[range]);
	if (format) p.set('format', format);
	return {url: '/api/history?' + p, q};
}

function fillQuantities() {
	const kind = $('source').value.split(':')[0];
	const sel = clear($('quantity'));
	for (const q of QUANTITIES[kind]) sel.append(el('option', {value: q.id, text: t('history.q.' + q.id)}));
}

async function show() {
	const {url, q} = query();
	$('csv').href = query('csv').url;
	const mine = ++seq;
	let h;
	try {
		h = await api.get(url);
	} catch (e) {
		if (mine !== seq) return;
		status(t('history.error', {why: e.message}));
		return;
	}
	if (mine !== seq) return;
	status(null);
	// columns names each point's entries, "ts" first: a register's or
	// counter's rise in the bucket (delta: energy per hour or day), else
	// its average (mean), else the first there is
	const col = ['delta', 'mean'].map((c) => h.columns.indexOf(c)).find((i) => i > 0) ?? 1;
	// a bucket with nothing stored has no point: a null there breaks the
	// line, so a gap shows as one (1.5 steps: local days are 23 to 25 h)
	const step = {minute: 60, hour: 3600, day: 86400}[h.resolution];
	const xs = [];
	const ys = [];
	h.points.forEach((p, i) => {
		if (i && p[0] - xs[xs.length - 1] > 1.5 * step) {
			xs.push(xs[xs.length - 1] + step);
			ys.push(null);
		}
		xs.push(p[0]);
		ys.push(p[col]);
	});
	$('chart').dataset.column = h.columns[col];
	const label = `${$('source').selectedOptions[0].textContent} · ${t('history.q.' + q.id)}` + (h.unit ? ` (${h.unit})` : '');
	$('chart-title').textContent = label;
	$('chart').dataset.points = String(h.points.length);
	$('chart').dataset.resolution = h.resolution;
	$('summary').textContent = t('history.summary', {n: h.points.length, res: t('history.res.' + h.resolution), tz: h.tz});
	if (chart) chart.destroy();
	const box = $('chart');
	chart = new uPlot({
		width: Math.max(240, box.clientWidth),
		height: 320,
		tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), h.tz || 'UTC'),
		legend: {show: false},
		// bars stand on zero (a rise per bucket); a level (power, voltage,
		// temperature) gets the range of its values
		scales: {x: {time: true, range: () => [h.from, h.to]},
			y: q.bars ? {range: (u, min, max) => [Math.min(0, min ?? 0), Math.max(0, max ?? 1) * 1.05]} : {}},
		axes: [{stroke: '#5f6b73'}, {stroke: '#5f6b73', size: 90}],
		series: [{}, {label, stroke: '#1b5e20', width: q.bars ? 1 : 2, fill: 'rgba(27,94,32,0.25)',
			paths: q.bars ? uPlot.paths.bars({size: [0.8, 40]}) : undefined, points: {show: false}}],
	}, [xs, ys], box);
}

async function start() {
	try {
		settings = await api.get('/api/display');
	} catch (e) {
		// the display page asks for the display password and comes back
		if (e.status === 401) location.replace('./');
		else status(t('history.error', {why: e.message}));
		return;
	}
	try {
		await setLanguage(settings.interface.language);
	} catch (e) {
		status(t('history.error', {why: e.message}));
	}
	document.title = t('history.page_title');
	for (const [id, key] of [['title', 'history.title'], ['to-display', 'history.to_display'], ['to-admin', 'display.admin'],
		['source-label', 'history.source'], ['quantity-label', 'history.quantity'], ['range-label', 'history.range'],
		['csv', 'history.csv']]) {
		$(id).textContent = t(key);
	}
	const src = clear($('source'));
	for (const m of settings.meters) src.append(el('option', {value: 'meter:' + m.id, text: m.name}));
	for (const p of settings.pulses) src.append(el('option', {value: 'pulse:' + p.id, text: p.name}));
	for (const id of settings.probes) src.append(el('option', {value: 'temp:' + id, text: t('history.probe', {id})}));
	const range = clear($('range'));
	for (const r of RANGES) range.append(el('option', {value: r, text: t('history.range.' + r)}));
	fillQuantities();
	$('source').addEventListener('change', () => { fillQuantities(); show(); });
	$('quantity').addEventListener('change', show);
	$('range').addEventListener('change', show);
	$('pick').addEventListener('submit', (ev) => ev.preventDefault());
	window.addEventListener('resize', () => chart && chart.setSize({width: Math.max(240, $('chart').clientWidth), height: 320}));
	$('history').hidden = false;
	await show();
}

start();

// Device Readings: the manual's table (Device, Channel, Volts, Current, kW,
// kvar, kVA, PF, Freq, Pulse) with a System row and a row per phase for
// each enabled meter, from GET /api/readings once a second, and meterd's
// wiring verdict per phase beside the numbers when it gives one.  Cells
// are updated in place; when the hub stops answering, or meterd is down
// or silent, the page says so and the last values stay, greyed.

import * as api from '/js/api.js';
import {el, clear, flash} from '/js/dom.js';
import {t, dateTime} from '/js/i18n.js';
import {poll} from '/js/poll.js';

const PERIOD_MS = 1000;

/* [column key, reading field (system; phase n appends n), scale, decimals] */
const COLUMNS = [
	['volts', 'V', 1, 0],
	['current', 'I', 1, 2],
	['kw', 'P', 1e-3, 2],
	['kvar', 'Q', 1e-3, 2],
	['kva', 'S', 1e-3, 2],
	['pf', 'PF', 1, 2],
	['freq', 'F', 1, 2],
	['pulse', 'Pulse', 1, 0],
];
const SYSTEM_ONLY = new Set(['F', 'Pulse']);

function fmt(v, scale, decimals) {
	return typeof v === 'number' && Number.isFinite(v) ? (v * scale).toFixed(decimals) : '';
}

function phasesOf(r) {
	return [1, 2, 3].filter((n) => ('V' + n) in r || ('I' + n) in r);
}

/* Verdicts that are no fault (docs/METERING.md, Wiring check). */
const NO_FAULT = new Set(['ok', 'idle', 'judging']);

/* meterd's wiring verdicts for a reading as {phase: {fault, text, why}}:
 * its "wiring" list of {meter, phase, verdict, why, rotation} (phase 0:
 * the voltages' rotation), absent when meterd has none.  A fault shows its
 * reason; the others a word, with the reason as the cell's title. */
function wiringOf(r) {
	const out = {};
	for (const w of Array.isArray(r.wiring) ? r.wiring : []) {
		const fault = !NO_FAULT.has(w.verdict);
		let text = w.why || w.verdict || '';
		if (w.verdict === 'ok') text = w.phase === 0 && w.rotation ? w.rotation : t('readings.wiring.ok');
		else if (!fault) text = t('readings.wiring.' + w.verdict);
		out[w.phase] = {fault, text, why: w.why || ''};
	}
	return out;
}

export default {
	async render(main, ctx) {
		const cols = COLUMNS.map(([key]) => el('th', {scope: 'col', text: t('readings.col.' + key)}));
		const tbody = el('tbody');
		const table = el('table', {class: 'grid readings', id: 'readings'},
			el('thead', null, el('tr', null, el('th', {scope: 'col', text: t('readings.col.device')}),
				el('th', {scope: 'col', text: t('readings.col.channel')}), cols, el('th', {scope: 'col', text: t('readings.col.wiring')}))),
			tbody);
		const msg = el('div', {class: 'form-msg', 'attr-aria-live': 'polite'});
		const stamp = el('p', {class: 'stamp', id: 'readings-updated'});
		main.append(el('h1', {text: t('readings.title')}), msg, el('div', {class: 'scroll'}, table), stamp);

		let shape = '';
		let cells = {};

		const build = (rows) => {
			clear(tbody);
			cells = {};
			for (const r of rows) {
				const phases = phasesOf(r);
				const line = (channel, n) => {
					const key = r.did + ':' + n;
					const tds = COLUMNS.map(([col, field]) => {
						const td = el('td', {class: 'num', dataset: {col}});
						if (n === 0 || !SYSTEM_ONLY.has(field)) cells[key + ':' + field] = td;
						return td;
					});
					const wiring = el('td', {class: 'wiring', dataset: {col: 'wiring'}});
					cells[key + ':wiring'] = wiring;
					return el('tr', {dataset: {did: r.did, phase: n}, class: n === 0 ? 'system' : 'phase'},
						n === 0 ? el('th', {scope: 'rowgroup', rowSpan: phases.length + 1, class: 'device', text: r.name || String(r.did)}) : null,
						el('td', {text: channel}), tds, wiring);
				};
				tbody.append(line(t('readings.system'), 0), ...phases.map((n) => line(t('readings.phase', {n}), n)));
			}
		};

		const fill = (data) => {
			// meterd down or silent, or another source down, says so
			// (docs/API.md "sources"; pulsed with no input enabled is silent
			// by design, so only its absence counts)
			const down = Object.entries(data.sources || {})
				.filter(([d, why]) => why !== 'ok' && (d === 'meterd' || why === 'not running'));
			const meterdDown = down.some(([d]) => d === 'meterd');
			table.classList.toggle('stale', meterdDown);
			const rows = (data.rtdata || []).slice().sort((a, b) => a.did - b.did);
			if (down.length) flash(msg, 'error', t('readings.source_down', {why: down.map(([d, why]) => d + ': ' + why).join('; ')}));
			else if (!rows.length) flash(msg, 'info', t('readings.none'));
			else flash(msg, null, null);
			// without fresh readings from meterd the last ones stay, greyed
			if (meterdDown && !rows.length) return;
			const nextShape = rows.map((r) => r.did + '/' + phasesOf(r).join('') + '/' + (r.name || '')).join(',');
			if (nextShape !== shape) {
				build(rows);
				shape = nextShape;
			}
			let newest = 0;
			for (const r of rows) {
				newest = Math.max(newest, r.ts || 0);
				const wiring = wiringOf(r);
				for (const n of [0, ...phasesOf(r)]) {
					for (const [, field, scale, decimals] of COLUMNS) {
						const td = cells[r.did + ':' + n + ':' + field];
						if (td) td.textContent = fmt(r[n === 0 ? field : field + n], scale, decimals);
					}
					const w = wiring[n];
					const td = cells[r.did + ':' + n + ':wiring'];
					td.textContent = w ? w.text : '';
					td.title = w ? w.why : '';
					td.classList.toggle('warn', !!w && w.fault);
					td.classList.toggle('ok', !!w && !w.fault);
				}
			}
			stamp.textContent = newest ? t('readings.updated', {time: dateTime(newest, true)}) : '';
			stamp.dataset.ts = String(newest);
		};

		return poll(async () => {
			try {
				fill(await api.get('/api/readings'));
			} catch (e) {
				if (e.status === 401 || api.mustChange(e)) return;
				table.classList.add('stale');
				flash(msg, 'error', t('app.unreachable', {why: e.message}));
			}
		}, PERIOD_MS);
	},
};

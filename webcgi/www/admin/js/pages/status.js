// System Status: each daemon (running, uptime, fault), the SD card store's
// use, the upload backlog per target, the MQTT links and whether the clock
// is synchronised, from GET /api/status, refreshed every 2 s.

import {el, clear, flash} from '/js/dom.js';
import {t} from '/js/i18n.js';
import {hubStatus} from '/js/status.js';
import {poll} from '/js/poll.js';

const PERIOD_MS = 2000;

function duration(s) {
	if (typeof s !== 'number') return '';
	const d = Math.floor(s / 86400);
	const h = Math.floor((s % 86400) / 3600);
	const m = Math.floor((s % 3600) / 60);
	return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + Math.floor(s % 60) + 's';
}

function bytes(n) {
	if (typeof n !== 'number') return '?';
	const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let i = 0;
	while (n >= 1024 && i < units.length - 1) {
		n /= 1024;
		i++;
	}
	return (i ? n.toFixed(1) : String(n)) + ' ' + units[i];
}

function when(ts) {
	return ts ? new Date(ts * 1000).toLocaleString() : t('status.never');
}

function table(id, heads, rows) {
	return el('div', {class: 'scroll'}, el('table', {class: 'grid', id},
		el('thead', null, el('tr', null, heads.map((h) => el('th', {scope: 'col', text: t(h)})))),
		el('tbody', null, rows)));
}

function faultOf(d) {
	if (d.config === 'error') return t('status.config_error', {why: (d.config_errors || []).map((e) => e.field + ': ' + e.error).join('; ')});
	if (Array.isArray(d.faults) && d.faults.length) return d.faults.join('; ');
	return d.fault || d.error || '';
}

/* A list from the status that its daemon may not have given: the daemon's
 * error instead ({error: "uploadd: not running"}). */
function listOr(part, emptyKey, draw) {
	if (part && !Array.isArray(part) && part.error) return el('p', {class: 'warn', text: part.error});
	return Array.isArray(part) && part.length ? draw(part) : el('p', {text: t(emptyKey)});
}

function render(box, s) {
	const services = table('status-daemons', ['status.col.daemon', 'status.col.state', 'status.col.uptime', 'status.col.fault'],
		(s.daemons || []).map((d) => el('tr', {dataset: {daemon: d.name}, class: d.running ? (faultOf(d) ? 'fault' : 'up') : 'down'},
			el('th', {scope: 'row', text: d.name}),
			el('td', {class: 'state', text: d.running ? t('status.running') : t('status.not_running')}),
			el('td', {text: d.running ? duration(d.uptime_s) : ''}),
			el('td', {class: 'fault', text: d.running ? faultOf(d) : (d.error === 'not running' ? '' : d.error || '')}))));

	const disk = s.disk || {};
	const storage = el('p', {id: 'status-disk', text: disk.total_bytes !== undefined
		? t('status.disk_free', {free: bytes(disk.free_bytes), total: bytes(disk.total_bytes), pct: disk.used_pct, path: disk.path})
		: (disk.error || '')});

	const synced = !!(s.clock && s.clock.synchronised);
	const clock = el('p', {id: 'status-clock', class: synced ? 'ok' : 'warn',
		text: (synced ? t('status.clock_sync') : t('status.clock_unsync')) + (s.clock && s.clock.time ? ' — ' + when(s.clock.time) : '')});

	const uploads = listOr(s.uploads, 'status.upload_none', (targets) =>
		table('status-upload', ['status.col.target', 'status.col.state', 'status.col.backlog', 'status.col.last_success', 'status.col.last_error'],
			targets.map((u) => el('tr', {dataset: {target: u.name}},
				el('th', {scope: 'row', text: u.name}), el('td', {text: u.state ? t('upload.state.' + u.state) : ''}), el('td', {class: 'num', text: String(u.backlog ?? '')}),
				el('td', {text: when(u.last_success)}), el('td', {text: u.last_error ? u.last_error.text || String(u.last_error) : ''})))));

	const mqtt = listOr(s.mqtt, 'status.mqtt_none', (instances) =>
		table('status-mqtt', ['status.col.instance', 'status.col.broker', 'status.col.state', 'status.col.last_error'],
			instances.map((m) => el('tr', {dataset: {instance: m.title}, class: m.connected ? 'up' : (m.enabled ? 'down' : '')},
				el('th', {scope: 'row', text: m.title}), el('td', {text: m.broker || ''}), el('td', {text: m.state ? t('mqtt.state.' + m.state) : ''}), el('td', {text: m.last_error || ''})))));

	clear(box).append(
		el('h2', {text: t('status.daemons')}), services,
		el('h2', {text: t('status.clock')}), clock,
		el('h2', {text: t('status.disk')}), storage,
		el('h2', {text: t('status.upload')}), uploads,
		el('h2', {text: t('status.mqtt')}), mqtt);
}

export default {
	async render(main) {
		const msg = el('div', {class: 'form-msg', 'attr-aria-live': 'polite'});
		const box = el('div', {id: 'status'});
		main.append(el('h1', {text: t('status.title')}), msg, box);
		return poll(async () => {
			try {
				render(box, await hubStatus());
				flash(msg, null, null);
			} catch (e) {
				if (e.status === 401 || e.status === 403) return;
				flash(msg, 'error', t('app.unreachable', {why: e.message}));
			}
		}, PERIOD_MS);
	},
};

// System Status: each daemon (running, uptime, fault), the front LED's
// pattern and why, the clock under the hub's rule of "time known", the
// software version and whether an update is offered (with the button that
// runs it), the SD card store's use, the upload backlog per target and the
// MQTT links, from GET /api/status, refreshed every 2 s; below, the form of
// the update source.

import * as api from '/js/api.js';
import {el, clear, flash} from '/js/dom.js';
import {t, dateTime} from '/js/i18n.js';
import {hubStatus} from '/js/status.js';
import {poll} from '/js/poll.js';
import {sectionPage} from './section.js';

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
	return ts ? dateTime(ts) : t('status.never');
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

/* paneld's pattern (docs/PANEL.md) in words, and its reason as paneld
 * gives it. */
function led(p) {
	if (!p) return el('p', {id: 'status-led'});
	if (p.error) return el('p', {id: 'status-led', class: 'warn', text: t('status.led_unknown', {why: p.error})});
	return el('p', {id: 'status-led', class: p.pattern === 'normal' ? 'ok' : 'warn', dataset: {pattern: p.pattern},
		text: t('status.led_pattern', {pattern: t('status.led.' + p.pattern), reason: p.reason || ''})});
}

/* The version an update is being confirmed for ("Update to X", then yes
 * or no in place, as the Alarms page's delete), kept across refreshes. */
let confirming = null;
/* When the update this page started began (Unix s), until it is over. */
let startedAt = 0;

/* The installed version, what the apt source offers (updated's daily
 * check, docs/SYSTEM.md), the last update, and the button that runs one. */
function software(u, msg) {
	const box = el('div', {id: 'status-software'});
	if (!u) return box;
	if (u.error) return box.append(el('p', {class: 'warn', text: t('status.updated_down', {why: u.error})})), box;
	const line = [u.installed ? t('status.version_installed', {version: u.installed}) : t('status.version_unknown')];
	if (u.update_available) line.push(t('status.version_offered', {version: u.candidate}));
	else if (u.candidate) line.push(t('status.version_current'));
	line.push(u.checked ? t('status.version_checked', {when: when(u.checked)}) : t('status.version_not_checked'));
	box.append(el('p', {id: 'status-version', class: u.update_available ? 'warn' : '', text: line.join(' ')}));
	if (u.check_error) box.append(el('p', {id: 'status-check-error', class: 'warn', text: t('status.version_check_failed', {why: u.check_error})}));
	const last = u.update || {};
	if (startedAt && last.finished >= startedAt) { /* the update started here is over: its line says how */
		startedAt = 0;
		flash(msg, null, null);
	}
	if (u.job === 'update') box.append(el('p', {id: 'status-update-state', text: t('status.update.running', {when: when(last.started)})}));
	else if (last.state === 'done' || last.state === 'failed')
		box.append(el('p', {id: 'status-update-state', class: last.state === 'done' ? 'ok' : 'warn',
			text: t('status.update.' + last.state, {when: when(last.finished), result: last.result || ''})}));
	if (u.update_available && !u.job) {
		const buttons = el('div', {class: 'buttons'});
		const start = async () => {
			confirming = null;
			clear(buttons);
			try {
				const r = await api.post('/api/update', {});
				startedAt = r.started;
				flash(msg, 'ok', t('status.update_started'));
			} catch (e) {
				flash(msg, 'error', t('app.error', {why: e.message}));
			}
		};
		const ask = () => {
			confirming = u.candidate;
			clear(buttons).append(el('span', {class: 'confirm', text: t('status.update_confirm', {version: u.candidate})}), ' ',
				el('button', {type: 'button', id: 'status-update-yes', text: t('app.yes'), on: {click: start}}), ' ',
				el('button', {type: 'button', id: 'status-update-no', text: t('app.no'), on: {click: () => {
					confirming = null;
					clear(buttons).append(offer);
				}}}));
		};
		const offer = el('button', {type: 'button', id: 'status-update-button', text: t('status.update_button', {version: u.candidate}), on: {click: ask}});
		buttons.append(offer);
		if (confirming === u.candidate) ask(); /* asked before this refresh: still asking */
		box.append(buttons);
	}
	return box;
}

function render(box, s, msg) {
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

	const c = s.clock || {};
	const clock = el('p', {id: 'status-clock', class: c.known ? 'ok' : 'warn', dataset: {state: c.state || ''},
		text: (c.state ? t('status.clock_state.' + c.state) : '') + (c.required && !c.known ? ' ' + t('status.clock_required') : '') +
			(c.time ? ' — ' + when(c.time) : '')});

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
		el('h2', {text: t('status.led')}), led(s.panel),
		el('h2', {text: t('status.clock')}), clock,
		el('h2', {text: t('status.software')}), software(s.update, msg),
		el('h2', {text: t('status.disk')}), storage,
		el('h2', {text: t('status.upload')}), uploads,
		el('h2', {text: t('status.mqtt')}), mqtt);
}

export default {
	async render(main, ctx) {
		const msg = el('div', {class: 'form-msg', 'attr-aria-live': 'polite'});
		const box = el('div', {id: 'status'});
		// the update button's answer, kept across the refreshes of box
		const updateMsg = el('div', {class: 'form-msg', id: 'status-update-msg', 'attr-aria-live': 'polite'});
		main.append(el('h1', {text: t('status.title')}), msg, box, updateMsg);
		// below, the apt source of updates (the keys an admin sets over the
		// web; the commands, keyring and package are set on the hub only)
		await sectionPage(main, ctx, {name: 'update', title: t('status.source'), intro: t('status.source_intro'),
			specs: ['apt_url', 'apt_suite', 'apt_components', 'check_hours'], heading: 'h2'});
		return poll(async () => {
			try {
				render(box, await hubStatus(), updateMsg);
				flash(msg, null, null);
			} catch (e) {
				if (e.status === 401 || e.status === 403) return;
				flash(msg, 'error', t('app.unreachable', {why: e.message}));
			}
		}, PERIOD_MS);
	},
};

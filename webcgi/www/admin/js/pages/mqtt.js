// MQTT Settings, as the manual's page: the instances, each with its link
// state from mqttd beside it (connected, connecting, waiting to retry ...
// and its last error), and "Add Instance": title, enable, the devices to
// send (only the meters set up are offered; none ticked sends every enabled
// meter), interval, broker host and port, login, topic (case sensitive),
// client id; beyond the manual TLS (CA, client certificate and key), QoS,
// retain, keepalive, the queue kept while disconnected and Home Assistant
// discovery.  docs/MQTT.md says what mqttd sends.

import * as api from '/js/api.js';
import {el} from '/js/dom.js';
import {t, fieldLabel} from '/js/i18n.js';
import {listPage} from './listpage.js';

/* The devices to send: a check box per meter set up (enabled), and any
 * meter the instance lists already; none ticked means every enabled meter. */
async function metersField(item, prefix) {
	const meters = (await api.getSection('meters')).value || [];
	const listed = item.meters || [];
	const offered = meters.filter((m) => m.enabled || listed.includes(m.id));
	const path = prefix + '.meters';
	const boxes = offered.map((m) => el('input', {type: 'checkbox', value: String(m.id), checked: listed.includes(m.id),
		id: 'mqtt-meter-' + m.id}));
	const errorBox = el('span', {class: 'field-error', 'attr-role': 'alert'});
	const row = el('div', {class: 'field', dataset: {path}},
		el('span', {class: 'field-label', text: fieldLabel('mqtt.meters', 'meters')}),
		el('div', {class: 'field-control days'},
			offered.length ? boxes.map((b, i) => el('label', {class: 'check', htmlFor: b.id}, b, ' ',
				t('mqtt.meter_option', {id: offered[i].id, name: offered[i].name}))) : el('span', {class: 'hint', text: t('mqtt.no_meters')}),
			el('small', {class: 'hint', text: t('mqtt.meters_hint')}), errorBox));
	return {
		row, path, input: boxes[0] || row,
		get: () => boxes.filter((b) => b.checked).map((b) => Number(b.value)),
		error(text) { errorBox.textContent = text || ''; row.classList.toggle('invalid', !!text); },
	};
}

const tls = (v) => v.tls;

export default {
	render(main, ctx, arg) {
		return listPage(main, ctx, arg, {
			section: 'mqtt',
			key: 'title',
			route: 'mqtt',
			columns: [
				['mqtt.col.title', (m) => m.title],
				['mqtt.col.enabled', (m) => (m.enabled ? t('app.yes') : t('app.no'))],
				['mqtt.col.broker', (m) => (m.host ? m.host + ':' + m.port : '')],
				['mqtt.col.topic', (m) => m.topic],
			],
			live: (s) => s.mqtt,
			liveColumns: [
				['mqtt.col.state', (st) => (st.state ? t('mqtt.state.' + st.state) : '')],
				['mqtt.col.last_error', (st) => st.last_error || ''],
			],
			fields: [
				{name: 'title'}, {name: 'enabled'}, {name: 'meters', make: metersField}, {name: 'interval_s'},
				{name: 'host'}, {name: 'port'}, {name: 'username'}, {name: 'password'}, {name: 'topic'},
				{name: 'client_id'}, {name: 'qos'}, {name: 'retain'}, {name: 'keepalive_s'}, {name: 'queue_len'},
				{name: 'tls'}, {name: 'ca_file', when: tls}, {name: 'tls_insecure', when: tls},
				{name: 'cert_file', when: tls}, {name: 'key_file', when: tls},
				{name: 'ha_discovery'}, {name: 'discovery_prefix', when: (v) => v.ha_discovery},
			],
			fresh: (list) => {
				let n = list.length + 1;
				while (list.some((m) => m.title === 'MQTT ' + n)) n++;
				return {title: 'MQTT ' + n};
			},
			strings: {
				title: 'mqtt.title', intro: 'mqtt.intro', list: 'mqtt.list', none: 'mqtt.none', add: 'mqtt.add',
				add_title: 'mqtt.add_title', edit_title: 'mqtt.edit_title', saved: 'mqtt.saved', delete: 'mqtt.delete',
				confirm_delete: 'mqtt.confirm_delete', live_down: 'mqtt.live_down',
			},
		});
	},
};

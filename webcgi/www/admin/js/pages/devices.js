// Setup Your Devices: the eight meters and the manual's Device
// Configuration form for one of them (#/devices/<id>), in the manual's
// numbering: name, enable, CT input connector, temperature sensor, device
// purpose, max current of the CT, voltage scale, phase type; then the CT
// calibration per phase, and for a renewable meter its source, colour and
// maximum production.  The meters section is saved whole (PUT
// /api/config/meters with this meter's slot); the hub refuses a CT input
// two enabled meters share and names the field, and the form says so before
// asking.  A slot's path is meters[id - 1] (docs/CONFIG.md).

import * as api from '/js/api.js';
import {el, flash} from '/js/dom.js';
import {t, choiceLabel} from '/js/i18n.js';
import * as forms from '/js/forms.js';
import {probes} from '/js/status.js';


function listTable(meters, current) {
	const head = ['meter', 'name', 'enabled', 'ct_input', 'purpose', 'phase_type'].map((c) => el('th', {scope: 'col', text: t('devices.col.' + c)}));
	return el('div', {class: 'scroll'}, el('table', {class: 'grid', id: 'meter-list'},
		el('thead', null, el('tr', null, head, el('th', null))),
		el('tbody', null, meters.map((m) => el('tr', {dataset: {id: m.id}, class: m.id === current ? 'current' : null},
			el('td', {text: String(m.id)}),
			el('td', {text: m.name}),
			el('td', {text: m.enabled ? t('app.yes') : t('app.no'), class: m.enabled ? 'on' : 'off'}),
			el('td', {text: String(m.ct_input)}),
			el('td', {text: choiceLabel('meters.purpose', m.purpose)}),
			el('td', {text: choiceLabel('meters.phase_type', m.phase_type)}),
			el('td', null, el('a', {href: '#/devices/' + m.id, text: t('app.edit'), class: 'edit', id: 'edit-meter-' + m.id})))))));
}

/* The CT input choices 1..8, each naming the enabled meter that uses it. */
function ctChoices(meters, self) {
	const choices = [];
	for (let n = 1; n <= 8; n++) {
		const user = meters.find((m) => m.id !== self.id && m.enabled && m.ct_input === n);
		choices.push({value: n, label: user ? t('devices.ct_option_used', {n, id: user.id}) : t('devices.ct_option', {n})});
	}
	return choices;
}

/* None, every probe tempd has found, and the meter's own probe even when
 * tempd does not see it now (so a save does not drop it). */
function probeChoices(found, selected) {
	const choices = [{value: null, label: t('devices.probe_none')}];
	for (const p of found) choices.push({value: p.id, label: p.T === undefined ? p.id : t('devices.probe_option', {id: p.id, T: p.T})});
	if (selected && !found.some((p) => p.id === selected)) choices.push({value: selected, label: t('devices.probe_missing', {id: selected})});
	return choices;
}

/* A row that states a setting the installer cannot change. */
function fact(label, value) {
	return el('div', {class: 'field field-fact'}, el('span', {class: 'field-label', text: label}),
		el('div', {class: 'field-control'}, el('span', {class: 'fact', text: value})));
}

function deviceForm(node, meters, m, found, onSaved) {
	const prefix = 'meters[' + (m.id - 1) + ']';
	const main = forms.group(node, prefix, m, [
		'name',
		'enabled',
		{name: 'ct_input', opts: {choices: ctChoices(meters, m)}},
		{name: 'temp_sensor', opts: {choices: probeChoices(found, m.temp_sensor)}},
		'purpose',
		'ct_rating_a',
		'voltage_scale',
		'phase_type',
	], m.id);
	const renewable = forms.group(node, prefix, m, ['renewable_source', 'colour', 'max_power_w'], m.id);

	// CT calibration: one row of gain and phase per phase
	const calKey = forms.key(node, 'ct_cal');
	const cal = [];
	const calRows = [];
	if (calKey) {
		const calNode = calKey.item;
		const values = m.ct_cal || forms.defaultValue(calKey) || [];
		for (let ph = 0; ph < (calKey.max || 3); ph++) {
			const g = forms.group(calNode, prefix + '.ct_cal[' + ph + ']', values[ph] || {}, ['gain', 'phase_deg']);
			cal.push(g);
			calRows.push(el('div', {class: 'cal-row'}, el('span', {class: 'cal-phase', text: t('devices.phase_n', {n: ph + 1})}), g.rows));
		}
	}
	const renewableSet = el('fieldset', {id: 'renewable-fields'}, el('legend', {text: t('devices.renewable')}), renewable.rows);
	const purpose = main.fields.purpose;
	const syncPurpose = () => { renewableSet.hidden = purpose.get() !== 'renewable'; };
	purpose.input.addEventListener('change', syncPurpose);
	syncPurpose();

	const all = [...Object.values(main.fields), ...Object.values(renewable.fields), ...cal.flatMap((g) => Object.values(g.fields))];
	// the manual's steps 3 and 4 (device type, metering point) have one
	// answer on this hub: CTs wired to its own inputs, metering point = meter
	const fixed = [
		fact(t('devices.device_type'), t('devices.device_type_ct')),
		fact(t('devices.metering_point'), t('devices.metering_point_n', {id: m.id})),
	];
	const rows = [...main.rows];
	rows.splice(2, 0, ...fixed);
	const f = forms.form([rows,
		calRows.length ? el('fieldset', {class: 'cal'}, el('legend', {text: t('devices.calibration')}), calRows) : null,
		renewableSet], async (form) => {
		flash(form.msg, null, null);
		const edited = {...m, ...main.values(), ...renewable.values()};
		if (cal.length) edited.ct_cal = cal.map((g) => g.values());
		const clash = edited.enabled && meters.find((o) => o.id !== m.id && o.enabled && o.ct_input === edited.ct_input);
		if (clash) {
			forms.showErrors(all, [{field: prefix + '.ct_input', error: t('devices.ct_used', {n: edited.ct_input, id: clash.id, name: clash.name})}]);
			flash(form.msg, 'error', t('app.fix_fields'));
			return;
		}
		try {
			await api.putSection('meters', [edited]);
			forms.showErrors(all, []);
			await onSaved(m.id);
		} catch (e) {
			forms.showRefusal(form.msg, all, e);
		}
	});
	f.id = 'device-form';
	return el('section', {class: 'device-config'}, el('h2', {text: t('devices.form_title', {id: m.id})}), f);
}

export default {
	async render(main, ctx, arg) {
		const [schema, answer, found] = await Promise.all([ctx.getSchema(), api.getSection('meters'), probes()]);
		const meters = answer.value;
		const node = forms.section(schema, 'meters');
		const id = Number(arg) || null;
		const meter = meters.find((m) => m.id === id);
		const msg = el('div', {class: 'form-msg', id: 'devices-msg', 'attr-aria-live': 'polite'});
		if (ctx.savedMeter) {
			flash(msg, 'ok', t('devices.saved', {id: ctx.savedMeter}));
			ctx.savedMeter = null;
		}
		main.append(el('h1', {text: t('devices.title')}), msg,
			el('h2', {text: t('devices.list')}), listTable(meters, id),
			el('p', {class: 'msg msg-info', text: t('devices.reboot')}));
		if (meter) {
			const form = deviceForm(node, meters, meter, found, async (saved) => {
				ctx.savedMeter = saved;
				ctx.go('devices');
			});
			main.append(form);
			form.querySelector('input, select').focus();
		}
	},
};

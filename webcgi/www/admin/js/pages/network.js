// Network Setup, as the manual's page: NTP server, network hostname, DHCP
// or Manual Configuration (IP address, subnet mask, gateway, primary and
// secondary DNS).  Saved settings take effect after a reboot; with DHCP and
// no DHCP server the hub falls back to 192.168.1.227 (the manual's
// "Connecting to the Network").

import * as api from '/js/api.js';
import {el, flash} from '/js/dom.js';
import {t} from '/js/i18n.js';
import * as forms from '/js/forms.js';

export const FALLBACK_IP = '192.168.1.227';
const MANUAL = ['ip', 'netmask', 'gateway', 'dns1', 'dns2'];

export default {
	async render(main, ctx) {
		const [schema, answer] = await Promise.all([ctx.getSchema(), api.getSection('network')]);
		const value = answer.value;
		const node = forms.section(schema, 'network');
		const top = forms.group(node, 'network', value, [
			'ntp',
			{name: 'hostname', opts: {hint: t('network.hostname_hint')}},
			'require_ntp_sync',
		]);
		const manual = forms.group(node, 'network', value, MANUAL);
		const dhcpKey = forms.key(node, 'dhcp');
		const dhcp = value.dhcp ?? forms.defaultValue(dhcpKey);
		const radio = (id, on, text) => el('label', {class: 'check', htmlFor: id},
			el('input', {type: 'radio', name: 'network.dhcp', id, checked: on}), ' ', text);
		const useDhcp = radio('net-dhcp', dhcp, t('network.dhcp'));
		const useManual = radio('net-manual', !dhcp, t('network.manual'));
		const dhcpInput = useDhcp.querySelector('input');
		const manualSet = el('fieldset', {class: 'manual', id: 'net-manual-fields'},
			el('legend', {text: t('network.manual_title')}), manual.rows);
		const sync = () => {
			manualSet.disabled = dhcpInput.checked;
		};
		useDhcp.addEventListener('change', sync);
		useManual.addEventListener('change', sync);
		sync();
		const dhcpErr = el('span', {class: 'field-error', 'attr-role': 'alert'});
		const dhcpField = {path: 'network.dhcp', input: dhcpInput, error: (text) => { dhcpErr.textContent = text || ''; }};
		const mode = el('div', {class: 'field', dataset: {path: 'network.dhcp'}},
			el('span', {class: 'field-label', text: t('network.mode')}),
			el('div', {class: 'field-control radios'}, useDhcp, useManual,
				el('small', {class: 'hint', id: 'net-fallback', text: t('network.fallback', {ip: FALLBACK_IP})}), dhcpErr));
		const all = [...Object.values(top.fields), dhcpField, ...Object.values(manual.fields)];

		const f = forms.form([top.rows, mode, manualSet,
			el('p', {class: 'msg msg-info', id: 'net-reboot', text: t('network.reboot')})], async (form) => {
			flash(form.msg, null, null);
			const values = {...top.values(), dhcp: dhcpInput.checked, ...manual.values()};
			try {
				await api.putSection('network', values);
				forms.showErrors(all, []);
				flash(form.msg, 'ok', t('app.saved') + ' ' + t('network.reboot'));
			} catch (e) {
				forms.showRefusal(form.msg, all, e);
			}
		});
		f.id = 'network-form';
		main.append(el('h1', {text: t('network.title')}), el('p', {class: 'intro', text: t('network.intro')}), f);
	},
};

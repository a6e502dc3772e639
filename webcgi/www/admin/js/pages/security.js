// Security, as the manual's page: 1. the password login to the Real-time
// Display on or off, and that password (sent once to the hub, which keeps
// only its yescrypt hash, PUT /api/display-password; the page says only
// whether one is set); 2. the admin password, changed on its own page
// (current password required, at least 8 characters: the manual's 5 is
// too weak for a device on a building's network).

import * as api from '/js/api.js';
import {el, flash} from '/js/dom.js';
import {t} from '/js/i18n.js';
import * as forms from '/js/forms.js';
import {passwordRow} from './password.js';

export default {
	async render(main, ctx) {
		const [schema, answer] = await Promise.all([ctx.getSchema(), api.getSection('security')]);
		const g = forms.group(forms.section(schema, 'security'), 'security', answer.value, ['display_login']);
		const fresh = passwordRow('display-pw', 'security.display_password', 'new-password', 'password');
		const again = passwordRow('display-pw-confirm', 'security.display_password_confirm', 'new-password', 'confirm');
		const state = el('p', {class: 'secret-state', id: 'display-pw-state'});
		const showState = (isSet) => {
			state.textContent = isSet ? t('security.display_password_set') : t('security.display_password_unset');
			state.dataset.set = isSet ? '1' : '0';
		};
		showState(!!(answer.secrets || {})['security.display_password_hash']);
		// the hub names the hash when the login is turned on without one
		const hashField = {path: 'security.display_password_hash', input: fresh.input, error: fresh.error};
		const fields = [...g.all(), fresh, again, hashField];
		const f = forms.form([g.rows, state, fresh.row, again.row, el('p', {class: 'hint', text: t('security.display_password_hint')})], async (form) => {
			flash(form.msg, null, null);
			forms.showErrors(fields, []);
			const pw = fresh.input.value;
			if (pw !== again.input.value) {
				again.error(t('password.mismatch'));
				again.input.focus();
				return;
			}
			try {
				if (pw) {
					await api.put('/api/display-password', {password: pw});
					fresh.input.value = '';
					again.input.value = '';
					showState(true);
				}
				await api.putSection('security', g.values());
				flash(form.msg, 'ok', t('app.saved'));
			} catch (e) {
				forms.showRefusal(form.msg, fields, e);
			}
		});
		f.id = 'security-form';
		main.append(el('h1', {text: t('security.title')}),
			el('h2', {text: t('security.display')}), el('p', {class: 'intro', text: t('security.display_intro')}), f,
			el('h2', {text: t('security.admin')}), el('p', {class: 'intro', text: t('security.admin_intro')}),
			el('p', null, el('a', {href: '#/password', id: 'security-admin-password', text: t('security.admin_change')})));
	},
};

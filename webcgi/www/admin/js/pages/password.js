// The admin password: forced at first login (the factory admin/admin only
// lets you set your own, EN 303 645 5.1), and from the menu at any time.
// The hub decides the rules (length, not the factory one) and names the
// field it refuses; the page checks only that both new entries agree.

import * as api from '/js/api.js';
import {el, flash} from '/js/dom.js';
import {t} from '/js/i18n.js';
import {showRefusal} from '/js/forms.js';

/* A password input's row: {row, input, path, error(text)}, for
 * forms.showErrors (the security page's display password too). */
export function passwordRow(id, labelKey, autocomplete, path) {
	const errorBox = el('span', {class: 'field-error', 'attr-role': 'alert'});
	const input = el('input', {id, type: 'password', autocomplete, name: path});
	const r = el('div', {class: 'field', dataset: {path}},
		el('label', {class: 'field-label', htmlFor: id, text: t(labelKey)}),
		el('div', {class: 'field-control'}, input, errorBox));
	return {row: r, input, path, error(text) { errorBox.textContent = text || ''; r.classList.toggle('invalid', !!text); }};
}

export default {
	render(main, ctx) {
		const forced = !!(ctx.session && ctx.session.must_change_password);
		const current = passwordRow('pw-current', 'password.current', 'current-password', 'current');
		const fresh = passwordRow('pw-new', 'password.new', 'new-password', 'new');
		const again = passwordRow('pw-confirm', 'password.confirm', 'new-password', 'confirm');
		// straight after logging in with the factory password the page knows it
		if (forced && ctx.loginPassword) {
			current.input.value = ctx.loginPassword;
			current.row.hidden = true;
		}
		const fields = [current, fresh, again];
		const msg = el('div', {class: 'form-msg', 'attr-aria-live': 'polite'});
		const button = el('button', {type: 'submit', class: 'primary', text: t('password.submit')});
		// the account the password is for, for password managers
		const user = el('input', {type: 'text', name: 'username', autocomplete: 'username', hidden: true, value: (ctx.session && ctx.session.user) || ''});
		const form = el('form', {id: 'password-form', noValidate: true}, user, fields.map((f) => f.row), el('div', {class: 'buttons'}, button), msg);
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			flash(msg, null, null);
			fields.forEach((f) => f.error(''));
			if (fresh.input.value !== again.input.value) {
				again.error(t('password.mismatch'));
				again.input.focus();
				return;
			}
			if (fresh.input.value === current.input.value) {
				fresh.error(t('password.same'));
				fresh.input.focus();
				return;
			}
			button.disabled = true;
			try {
				const r = await api.post('/api/password', {current: current.input.value, new: fresh.input.value});
				ctx.loginPassword = null;
				ctx.passwordChanged = true;
				// the hub ends every other session and gives this one a new
				// id and token
				api.forgetSession(r.csrf);
				await ctx.refresh(forced ? await ctx.firstPage() : 'password');
			} catch (e) {
				// a refused current password must be visible to be corrected
				if (e.errors.some((x) => x.field === 'current')) current.row.hidden = false;
				showRefusal(msg, fields, e);
			} finally {
				button.disabled = false;
			}
		});
		if (ctx.passwordChanged && !forced) {
			flash(msg, 'ok', t('password.changed'));
			ctx.passwordChanged = false;
		}
		main.append(el('h1', {text: t('password.title')}),
			forced ? el('p', {class: 'msg msg-info', text: t('password.forced')}) : null, form);
		(current.row.hidden ? fresh : current).input.focus();
	},
};

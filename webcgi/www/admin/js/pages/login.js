// Login: the manual's admin login screen (username and password).  A
// factory password opens only the password page (api answers
// must_change_password).

import * as api from '/js/api.js';
import {el, flash} from '/js/dom.js';
import {t} from '/js/i18n.js';

export default {
	render(main, ctx) {
		const user = el('input', {id: 'login-user', name: 'username', autocomplete: 'username', required: true, value: 'admin'});
		const pass = el('input', {id: 'login-pass', name: 'password', type: 'password', autocomplete: 'current-password', required: true});
		const msg = el('div', {class: 'form-msg', 'attr-aria-live': 'polite'});
		const button = el('button', {type: 'submit', class: 'primary', text: t('login.submit')});
		const form = el('form', {class: 'login', id: 'login-form'},
			el('div', {class: 'field'}, el('label', {class: 'field-label', htmlFor: 'login-user', text: t('login.username')}), el('div', {class: 'field-control'}, user)),
			el('div', {class: 'field'}, el('label', {class: 'field-label', htmlFor: 'login-pass', text: t('login.password')}), el('div', {class: 'field-control'}, pass)),
			el('div', {class: 'buttons'}, button), msg);
		if (ctx.passwordChanged) {
			flash(msg, 'ok', t('login.password_changed'));
			ctx.passwordChanged = false;
		} else if (ctx.sessionEnded) {
			flash(msg, 'info', t('app.session_ended'));
			ctx.sessionEnded = false;
		}
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			button.disabled = true;
			try {
				const r = await api.post('/api/login', {username: user.value, password: pass.value});
				api.forgetSession();
				// kept in memory only, so the forced change need not ask again
				ctx.loginPassword = r.must_change_password ? pass.value : null;
				await ctx.refresh(r.must_change_password ? 'password' : await ctx.firstPage());
			} catch (e) {
				const wait = e.body && e.body.retry_after_s;
				if (e.status === 429 && wait) flash(msg, 'error', t('login.slowed', {s: wait}));
				else if (e.status === 401 || e.status === 403) flash(msg, 'error', t('login.failed'));
				else flash(msg, 'error', t('app.error', {why: e.message}));
				pass.select();
			} finally {
				button.disabled = false;
			}
		});
		main.append(el('h1', {text: t('login.title')}), form);
		(user.value ? pass : user).focus();
	},
};

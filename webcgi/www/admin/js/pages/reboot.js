// Reboot: asks paneld to run the reboot command, then follows the hub
// going away and coming back (GET /api/session every 2 s) and reloads
// the admin by itself once it answers again; sessions live in tmpfs, so
// after a real reboot that is the login page.

import * as api from '/js/api.js';
import {el, flash} from '/js/dom.js';
import {t} from '/js/i18n.js';
import {poll} from '/js/poll.js';

const GONE_WAIT_S = 180; /* a hub that never went away: the reboot did not happen */

export default {
	render(main) {
		const msg = el('div', {class: 'form-msg', 'attr-aria-live': 'polite'});
		let stopPoll = null;
		const button = el('button', {type: 'button', class: 'danger', id: 'reboot', text: t('reboot.button')});
		const confirm = el('div', {class: 'buttons', hidden: true},
			el('p', {class: 'msg msg-error confirm', text: t('reboot.confirm')}),
			el('button', {type: 'button', class: 'danger', id: 'reboot-confirm', text: t('reboot.now'), on: {click: go}}), ' ',
			el('button', {type: 'button', id: 'reboot-cancel', text: t('reset.cancel'), on: {click: () => { confirm.hidden = true; button.hidden = false; }}}));
		button.addEventListener('click', () => {
			button.hidden = true;
			confirm.hidden = false;
		});

		async function go() {
			confirm.hidden = true;
			let gone = false;
			try {
				await api.post('/api/reboot', {});
			} catch (e) {
				// no answer: the hub went down before its answer got out
				if (e.status !== 0) {
					button.hidden = false;
					flash(msg, 'error', t('app.error', {why: e.message}));
					return;
				}
				gone = true;
			}
			flash(msg, 'info', t(gone ? 'reboot.down' : 'reboot.going'));
			const asked = Date.now();
			stopPoll = await poll(async () => {
				try {
					await api.session();
				} catch (e) {
					if (e.status === 0 || e.status >= 500) {
						if (!gone) flash(msg, 'info', t('reboot.down'));
						gone = true;
					}
					return; /* 401: the app shows the login */
				}
				if (gone) {
					flash(msg, 'ok', t('reboot.back'));
					location.reload();
				} else if (Date.now() - asked > GONE_WAIT_S * 1000) {
					flash(msg, 'error', t('reboot.never_went', {s: GONE_WAIT_S}));
				}
			}, 2000);
		}

		main.append(el('h1', {text: t('reboot.title')}), el('p', {text: t('reboot.what')}),
			el('div', {class: 'buttons'}, button), confirm, msg);
		return () => (stopPoll ? stopPoll() : undefined);
	},
};

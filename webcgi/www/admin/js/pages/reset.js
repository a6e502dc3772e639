// Reset Hub: the manual's "Data" (stored readings and energy registers
// erased, settings kept) and "All Settings and Data" (factory settings and
// password too), each confirmed twice.  The hub's one reset
// (docs/RESET.md) runs in paneld; the page follows it with GET /api/reset.
// After "all" the session has ended, and the app shows the login.

import * as api from '/js/api.js';
import {el, clear, flash} from '/js/dom.js';
import {t} from '/js/i18n.js';
import {poll} from '/js/poll.js';

const KINDS = ['data', 'all'];

export default {
	render(main) {
		const msg = el('div', {class: 'form-msg', 'attr-aria-live': 'polite'});
		let stopPoll = null;
		let busy = false;

		/* Follows the reset paneld runs until it ended (data), or until the
		 * session is gone (all: the app then shows the login). */
		async function follow(kind) {
			flash(msg, 'info', t('reset.running'));
			stopPoll = await poll(async () => {
				let s;
				try {
					s = await api.get('/api/reset');
				} catch (e) {
					if (e.status !== 401) flash(msg, 'info', t('reset.waiting', {why: e.message}));
					return;
				}
				if (s.running) return;
				const done = (s.last_action || '').startsWith('reset ' + kind + ':');
				if (!done) return;
				const ok = s.last_action === 'reset ' + kind + ': exited with status 0';
				flash(msg, ok ? 'ok' : 'error', ok ? t('reset.done.' + kind) : t('reset.failed', {why: s.last_action}));
				busy = false;
				const stop = stopPoll;
				stopPoll = null;
				if (stop) setTimeout(stop, 0);
			}, 1000);
		}

		function kindBox(kind) {
			const step = el('div', {class: 'buttons', id: 'reset-' + kind + '-step'});
			const idle = () => clear(step).append(el('button', {type: 'button', class: 'danger', id: 'reset-' + kind,
				text: t('reset.' + kind + '.button'), on: {click: first}}));
			const ask = (question, id, label, next) => clear(step).append(
				el('p', {class: 'msg msg-error confirm', text: question}),
				el('button', {type: 'button', class: 'danger', id, text: label, on: {click: next}}), ' ',
				el('button', {type: 'button', id: id + '-cancel', text: t('reset.cancel'), on: {click: idle}}));
			function first() {
				if (busy) return;
				flash(msg, null, null);
				ask(t('reset.' + kind + '.confirm1'), 'reset-' + kind + '-confirm1', t('reset.continue'), second);
			}
			function second() {
				ask(t('reset.' + kind + '.confirm2'), 'reset-' + kind + '-confirm2', t('reset.' + kind + '.now'), go);
			}
			async function go() {
				idle();
				busy = true;
				try {
					await api.post('/api/reset', {kind});
				} catch (e) {
					busy = false;
					flash(msg, 'error', t('app.error', {why: e.message}));
					return;
				}
				await follow(kind);
			}
			idle();
			return el('section', {class: 'reset-kind', id: 'reset-' + kind + '-box'},
				el('h2', {text: t('reset.' + kind + '.title')}),
				el('p', {text: t('reset.' + kind + '.what')}), step);
		}

		main.append(el('h1', {text: t('reset.title')}), el('p', {class: 'msg msg-info', text: t('reset.intro')}),
			...KINDS.map(kindBox), msg);
		return () => (stopPoll ? stopPoll() : undefined);
	},
};

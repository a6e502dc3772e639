// Backup and restore of the settings: the configuration downloaded whole
// (GET /api/backup, secrets included: the file says so), and a file sent
// back (POST /api/restore), migrated from an older version and validated
// whole by the hub, which names every field it refuses.

import * as api from '/js/api.js';
import {el, clear, flash} from '/js/dom.js';
import {t} from '/js/i18n.js';

export default {
	render(main, ctx) {
		const msg = el('div', {class: 'form-msg', 'attr-aria-live': 'polite'});
		const reasons = el('ul', {class: 'restore-errors', id: 'restore-errors'});
		const file = el('input', {type: 'file', id: 'restore-file', accept: '.json,application/json'});
		const button = el('button', {type: 'submit', class: 'primary', id: 'restore', text: t('backup.restore')});
		const form = el('form', {id: 'restore-form', noValidate: true},
			el('div', {class: 'field'}, el('label', {class: 'field-label', htmlFor: 'restore-file', text: t('backup.file')}),
				el('div', {class: 'field-control'}, file)),
			el('div', {class: 'buttons'}, button), msg, reasons);
		const restored = (r) => flash(msg, 'ok', r.version_from < r.version
			? t('backup.restored_migrated', {from: r.version_from, to: r.version}) : t('backup.restored'));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			flash(msg, null, null);
			clear(reasons);
			const f = file.files[0];
			if (!f) {
				flash(msg, 'error', t('backup.choose'));
				return;
			}
			let doc;
			try {
				doc = JSON.parse(await f.text());
			} catch (e) {
				flash(msg, 'error', t('backup.not_json', {why: e.message}));
				return;
			}
			button.disabled = true;
			try {
				const r = await api.post('/api/restore', doc);
				// the restored settings' language, at once (as Interface
				// Options' save): this page drawn again says it once more
				if (await ctx.followHubLanguage()) {
					ctx.saved = {route: 'backup', restored: r};
					ctx.go('backup');
					return;
				}
				restored(r);
			} catch (e) {
				flash(msg, 'error', t('backup.refused'));
				reasons.append(...(e.errors.length ? e.errors : [{field: '', error: e.message}]).map((x) =>
					el('li', null, x.field ? el('code', {text: x.field}) : null, x.field ? ': ' : '', x.error)));
			} finally {
				button.disabled = false;
			}
		});
		main.append(el('h1', {text: t('backup.title')}),
			el('h2', {text: t('backup.download_title')}), el('p', {text: t('backup.what')}),
			el('p', {class: 'msg msg-info', text: t('backup.secrets')}),
			el('p', {class: 'buttons'}, el('a', {class: 'button primary', id: 'backup-download', href: '/api/backup',
				download: '', text: t('backup.download')})),
			el('h2', {text: t('backup.restore_title')}), el('p', {text: t('backup.restore_what')}), form);
		if (ctx.saved && ctx.saved.route === 'backup') {
			restored(ctx.saved.restored);
			ctx.saved = null;
		}
	},
};

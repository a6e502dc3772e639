// The company logo of Interface Options (the manual: "upload company Logo
// in .png (appears in top left corner)"): the logo now, a file chooser that
// sends the chosen file at once (PUT /api/logo: the hub takes only a whole
// PNG within its limits, checked by its content, and says why not beside
// the field), and Remove.  Not part of the form's Save: a file is stored
// or refused on its own.

import * as api from '/js/api.js';
import {el} from '/js/dom.js';
import {t} from '/js/i18n.js';

/* The logo's row for a form: {row}. */
export async function logoField() {
	const img = el('img', {id: 'logo-now', alt: t('interface.logo_alt'), class: 'logo-preview'});
	const none = el('span', {class: 'hint', id: 'logo-none', text: t('interface.logo_none')});
	const file = el('input', {type: 'file', id: 'logo-file', accept: 'image/png,.png'});
	const remove = el('button', {type: 'button', id: 'logo-remove', text: t('interface.logo_remove')});
	const status = el('span', {class: 'field-error', 'attr-role': 'alert', id: 'logo-err'});
	const done = el('span', {class: 'hint', 'attr-role': 'status', id: 'logo-msg'});
	const row = el('div', {class: 'field', dataset: {path: 'logo'}},
		el('label', {class: 'field-label', htmlFor: 'logo-file', text: t('interface.logo')}),
		el('div', {class: 'field-control'}, img, none, file, remove,
			el('small', {class: 'hint', text: t('interface.logo_hint')}), status, done));
	const show = (info) => {
		img.hidden = !info.set;
		none.hidden = !!info.set;
		remove.hidden = !info.set;
		if (info.set) img.src = info.url + '?v=' + info.version;
		else img.removeAttribute('src');
	};
	const say = (error, ok) => {
		status.textContent = error || '';
		row.classList.toggle('invalid', !!error);
		done.textContent = ok || '';
	};
	show(await api.get('/api/logo'));
	file.addEventListener('change', async () => {
		const f = file.files[0];
		if (!f) return;
		say('', '');
		try {
			await api.put('/api/logo', new Blob([f], {type: 'image/png'}));
			show(await api.get('/api/logo'));
			say('', t('interface.logo_saved'));
		} catch (e) {
			say(e.message, '');
		} finally {
			file.value = '';
		}
	});
	remove.addEventListener('click', async () => {
		say('', '');
		try {
			await api.del('/api/logo');
			show({set: false});
			say('', t('interface.logo_removed'));
		} catch (e) {
			say(e.message, '');
		}
	});
	return {row};
}

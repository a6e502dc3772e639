// Messaging, as the manual's page: the custom message shown on the display
// the hub runs (interface.display, chosen in Interface Options).  For the
// Real-time Display: enable, the time before it appears, title and text.
// For the Renewable Display: the wait before it appears, how long it is
// shown, title, body, and the custom and default messages on or off.  The
// keys of the other display stay as they are (a save sets only those shown).

import * as api from '/js/api.js';
import {el, flash} from '/js/dom.js';
import {t} from '/js/i18n.js';
import * as forms from '/js/forms.js';

const FIELDS = {
	realtime: ['enabled', 'delay_s', 'title', 'body'],
	renewable: ['delay_s', 'duration_s', 'title', 'body', 'enabled', 'default_messages'],
};

export default {
	async render(main, ctx) {
		const [schema, answer, iface] = await Promise.all([ctx.getSchema(), api.getSection('messaging'),
			api.getSection('interface')]);
		const display = iface.value.display === 'renewable' ? 'renewable' : 'realtime';
		const g = forms.group(forms.section(schema, 'messaging'), 'messaging', answer.value, FIELDS[display]);
		const f = forms.form(g.rows, async (form) => {
			flash(form.msg, null, null);
			forms.showErrors(g.all(), []);
			try {
				await api.putSection('messaging', g.values());
				flash(form.msg, 'ok', t('app.saved'));
			} catch (e) {
				forms.showRefusal(form.msg, g.all(), e);
			}
		});
		f.id = 'messaging-form';
		f.dataset.display = display;
		main.append(el('h1', {text: t('messaging.title')}),
			el('p', {class: 'intro', id: 'messaging-for', text: t('messaging.for.' + display)}),
			el('p', {class: 'hint'}, t('messaging.switch'), ' ', el('a', {href: '#/interface', text: t('menu.interface')})), f);
	},
};

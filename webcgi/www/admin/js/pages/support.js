// Support: the bundle for a support ticket (GET /api/support), a tar.gz
// with every daemon's status, recent logs, versions and the configuration
// with every secret removed (docs/API.md).

import {el} from '/js/dom.js';
import {t} from '/js/i18n.js';

export default {
	render(main) {
		main.append(el('h1', {text: t('support.title')}), el('p', {text: t('support.what')}),
			el('ul', null, ['status', 'logs', 'versions', 'config'].map((k) => el('li', {text: t('support.has.' + k)}))),
			el('p', {class: 'msg msg-info', text: t('support.no_secrets')}),
			el('p', {class: 'buttons'}, el('a', {class: 'button primary', id: 'support-download', href: '/api/support',
				download: '', text: t('support.download')})));
	},
};

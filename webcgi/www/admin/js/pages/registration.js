// First-login registration of the hub: the company details the manual's
// Commissioning step 5 asks for ("Complete the Registration of the HUB by
// entering in your company details. And selecting save.").  Opened after
// the first login while the session says the hub is not registered; the
// first save leads on to Network Setup, the next commissioning step.

import {t} from '/js/i18n.js';
import {sectionPage} from './section.js';

export default {
	async render(main, ctx) {
		const first = ctx.session.registered === false;
		await sectionPage(main, ctx, {
			name: 'hub',
			title: t('register.title'),
			intro: t('register.intro'),
			specs: ['company', 'site', 'contact', 'email', 'phone', 'address'],
			onSaved: () => {
				ctx.session.registered = true;
				if (first) ctx.go('network');
			},
		});
	},
};

// A page that edits one object section of the config (hub, network, ...):
// the schema keys it names, in the manual's order, saved whole with PUT.
// Pages with more than a plain list of fields (network, devices) build on
// the same forms.js pieces.

import * as api from '/js/api.js';
import {el, flash} from '/js/dom.js';
import {t} from '/js/i18n.js';
import * as forms from '/js/forms.js';

/* Renders section name's keys (specs for forms.group) into main under the
 * title (an h1, or the heading given: 'h2' for a part of a page) and
 * intro; onSaved(values) runs after a successful save. */
export async function sectionPage(main, ctx, {name, title, intro, specs, onSaved, heading = 'h1'}) {
	const [schema, answer] = await Promise.all([ctx.getSchema(), api.getSection(name)]);
	const node = forms.section(schema, name);
	const value = answer.value;
	const g = forms.group(node, name, value, specs, undefined, answer.secrets);
	const f = forms.form(g.rows, async (form) => {
		flash(form.msg, null, null);
		forms.showErrors(g.all(), []);
		try {
			await api.putSection(name, g.values());
			flash(form.msg, 'ok', t('app.saved'));
			if (onSaved) await onSaved(g.values());
		} catch (e) {
			forms.showRefusal(form.msg, g.all(), e);
		}
	});
	f.id = name + '-form';
	main.append(el(heading, {text: title}), intro ? el('p', {class: 'intro', text: intro}) : null, f);
}

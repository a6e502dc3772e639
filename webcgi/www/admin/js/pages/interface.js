// Interface Options, as the manual's page: the display the hub shows
// (Real-time or Renewable), the renewable title, the graph's parameter,
// the language, the company logo, the time zone (from the hub's own list,
// GET /api/timezones), the energy supplier, the tariff and currency
// symbol, the CO2 factor and the pulse units; for the Renewable Display its
// title and view.  Beyond the manual: a time-of-use tariff, rates by time
// of day and weekday (interface.tou, docs/CONFIG.md "Time-of-use tariff").
// A new language applies to the pages as soon as it is saved.

import * as api from '/js/api.js';
import {el, flash} from '/js/dom.js';
import {t, choiceLabel, language} from '/js/i18n.js';
import * as forms from '/js/forms.js';
import {logoField} from './logo.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/* One period's row of the time-of-use table: the days as check boxes, from,
 * until, price; fields carry the paths the hub's refusals name. */
function periodRow(item, index, period, onRemove) {
	const prefix = 'interface.tou[' + index + ']';
	const g = forms.group(item, prefix, period, [
		{name: 'start', opts: {hint: t('interface.time_hint')}},
		{name: 'end', opts: {hint: t('interface.time_hint')}},
		'price_per_kwh',
	]);
	const chosen = period.days || DAYS;
	const boxes = DAYS.map((d) => el('input', {type: 'checkbox', value: d, checked: chosen.includes(d),
		'attr-aria-label': choiceLabel('interface.tou.days', d)}));
	const daysErr = el('span', {class: 'field-error', 'attr-role': 'alert'});
	const daysRow = el('div', {class: 'field', dataset: {path: prefix + '.days'}},
		el('span', {class: 'field-label', text: t('interface.tou_days')}),
		el('div', {class: 'field-control days'}, boxes.map((b, i) => el('label', {class: 'check'}, b, ' ', choiceLabel('interface.tou.days', DAYS[i]))), daysErr));
	const days = {
		path: prefix + '.days', input: boxes[0], row: daysRow,
		error(text) { daysErr.textContent = text || ''; daysRow.classList.toggle('invalid', !!text); },
	};
	const remove = el('button', {type: 'button', class: 'remove-period', text: t('interface.tou_remove')});
	remove.addEventListener('click', onRemove);
	const box = el('fieldset', {class: 'period', dataset: {index}},
		el('legend', {text: t('interface.tou_period', {n: index + 1})}), daysRow, g.rows, remove);
	return {
		box,
		all: () => [days, ...g.all()],
		value: () => ({days: boxes.filter((b) => b.checked).map((b) => b.value), ...g.values()}),
	};
}

/* The time-of-use editor: the periods, "Add a period", each removable. */
function touEditor(item, periods) {
	const list = el('div', {class: 'periods', id: 'tou-periods'});
	let rows = [];
	const draw = (values) => {
		rows = values.map((p, i) => periodRow(item, i, p, () => draw(rows.map((r) => r.value()).filter((_, j) => j !== i))));
		list.replaceChildren(...rows.map((r) => r.box));
		if (!rows.length) list.append(el('p', {class: 'hint', text: t('interface.tou_none')}));
	};
	draw(periods || []);
	const add = el('button', {type: 'button', id: 'tou-add', text: t('interface.tou_add')});
	add.addEventListener('click', () => draw([...rows.map((r) => r.value()), {days: DAYS.slice(0, 5), start: '07:00', end: '23:00', price_per_kwh: 0}]));
	const box = el('fieldset', {class: 'tou', id: 'tou'},
		el('legend', {text: t('interface.tou')}), el('p', {class: 'hint', text: t('interface.tou_rule')}), list, add);
	return {box, all: () => rows.flatMap((r) => r.all()), values: () => rows.map((r) => r.value())};
}

export default {
	async render(main, ctx) {
		const [schema, iface, renewable, zones] = await Promise.all([ctx.getSchema(), api.getSection('interface'),
			api.getSection('renewable'), api.get('/api/timezones')]);
		const node = forms.section(schema, 'interface');
		const v = iface.value;
		const names = zones.timezones.includes(v.timezone) ? zones.timezones : [v.timezone, ...zones.timezones];
		const top = forms.group(node, 'interface', v, [
			'display',
			{name: 'title', opts: {hint: t('interface.title_hint')}},
			'graph',
			'language',
		]);
		const logo = await logoField();
		const rest = forms.group(node, 'interface', v, [
			{name: 'timezone', opts: {choices: names.map((z) => ({value: z, label: z}))}},
			'supplier',
			'price_per_kwh',
			'currency',
			'co2_kg_per_kwh',
			{name: 'pulse_unit', opts: {hint: t('interface.pulse_unit_hint')}},
		]);
		const ren = forms.group(forms.section(schema, 'renewable'), 'renewable', renewable.value, ['title', 'view']);
		const renSet = el('fieldset', {class: 'renewable', id: 'renewable-fields'},
			el('legend', {text: t('interface.renewable')}), ren.rows);
		const display = top.fields.display;
		const sync = () => { renSet.hidden = display.get() !== 'renewable'; };
		display.input.addEventListener('change', sync);
		sync();
		const tou = touEditor(forms.key(node, 'tou').item, v.tou);
		const all = () => [...top.all(), ...rest.all(), ...ren.all(), ...tou.all()];

		const f = forms.form([top.rows, logo.row, rest.rows, renSet, tou.box], async (form) => {
			flash(form.msg, null, null);
			forms.showErrors(all(), []);
			try {
				await api.putSection('interface', {...top.values(), ...rest.values(), tou: tou.values()});
				await api.putSection('renewable', ren.values());
			} catch (e) {
				forms.showRefusal(form.msg, all(), e);
				return;
			}
			const lang = top.fields.language.get();
			if (lang !== language()) {
				ctx.saved = {route: 'interface'};
				await ctx.useLanguage(lang);
			} else {
				flash(form.msg, 'ok', t('app.saved'));
			}
		});
		f.id = 'interface-form';
		main.append(el('h1', {text: t('interface.title')}), el('p', {class: 'intro', text: t('interface.intro')}), f);
		if (ctx.saved && ctx.saved.route === 'interface') {
			ctx.saved = null;
			flash(f.msg, 'ok', t('app.saved'));
		}
	},
};

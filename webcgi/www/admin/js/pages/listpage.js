// A page for a list section of the config (mqtt, upload): the list, each
// element's live state from its daemon (GET /api/status, every 2 s) beside
// it, Add, Edit (#/<route>/<n>, n from 1) and ✕ to delete, confirmed in the
// row.  A save sends the whole list (PUT replaces it; a secret left blank
// keeps its value by the element's name, docs/API.md).  The form's fields
// are the schema's, a spec may hide some until another field asks for them
// (when) or draw one itself (make).

import * as api from '/js/api.js';
import {el, clear, flash} from '/js/dom.js';
import {t} from '/js/i18n.js';
import * as forms from '/js/forms.js';
import {hubStatus} from '/js/status.js';
import {poll} from '/js/poll.js';

const PERIOD_MS = 2000;

/* spec: section ('mqtt'), key (the unique name key: 'title'), route,
 * columns ([[catalog key of the heading, (item) => text]]), live (status
 * => the daemon's list or {error}), liveColumns ([[heading, (state) =>
 * text]]), fields ([{name, opts, when(values), make(item, prefix)}]: make
 * returns a forms.field-like {row, path, get, error}), fresh(list) (a new
 * element), strings (keys: title, intro, list, none, add, add_title,
 * edit_title {name}, saved {name}, delete {name}, confirm_delete {name},
 * live_down {why}). */
export async function listPage(main, ctx, arg, spec) {
	const s = spec.strings;
	const [schema, answer] = await Promise.all([ctx.getSchema(), api.getSection(spec.section)]);
	const node = forms.section(schema, spec.section);
	const list = answer.value || [];
	const msg = el('div', {class: 'form-msg', 'attr-aria-live': 'polite'});
	const liveMsg = el('div', {class: 'form-msg', 'attr-aria-live': 'polite'});
	if (ctx.saved && ctx.saved.route === spec.route) {
		flash(msg, 'ok', t(s.saved, {name: ctx.saved.name}));
		ctx.saved = null;
	}
	let live = [];
	let asking = false; /* a delete is being confirmed: the refresh leaves the list alone */
	const listBox = el('div', {id: spec.route + '-list-box'});
	const remove = async (i) => {
		try {
			await api.putSection(spec.section, list.filter((_, j) => j !== i));
			ctx.go(spec.route);
		} catch (e) {
			flash(msg, 'error', t('app.error', {why: e.message}));
		}
	};
	const drawList = () => {
		if (asking) return;
		const heads = [...spec.columns, ...spec.liveColumns].map(([h]) => el('th', {scope: 'col', text: t(h)}));
		const rows = list.map((item, i) => {
			const state = live.find((x) => x[spec.key] === item[spec.key]) || {};
			const del = el('td', {class: 'row-delete'});
			const ask = () => {
				asking = true;
				clear(del).append(el('span', {class: 'confirm', text: t(s.confirm_delete, {name: item[spec.key]})}), ' ',
					el('button', {type: 'button', id: `confirm-delete-${spec.route}-${i + 1}`, text: t('app.yes'), on: {click: () => remove(i)}}), ' ',
					el('button', {type: 'button', text: t('app.no'), on: {click: () => { asking = false; drawList(); }}}));
				del.querySelector('button').focus();
			};
			del.append(el('button', {type: 'button', class: 'delete', id: `delete-${spec.route}-${i + 1}`, text: '✕',
				'attr-aria-label': t(s.delete, {name: item[spec.key]}), on: {click: ask}}));
			return el('tr', {dataset: {name: item[spec.key]}, class: String(i + 1) === arg ? 'current' : null},
				spec.columns.map(([, f]) => el('td', {text: f(item)})),
				spec.liveColumns.map(([h, f]) => el('td', {class: 'live', dataset: {col: h}, text: f(state)})),
				el('td', null, el('a', {href: `#/${spec.route}/${i + 1}`, class: 'edit', id: `edit-${spec.route}-${i + 1}`, text: t('app.edit')})),
				del);
		});
		clear(listBox).append(list.length
			? el('div', {class: 'scroll'}, el('table', {class: 'grid', id: spec.route + '-list'},
				el('thead', null, el('tr', null, heads, el('th', null), el('th', null))), el('tbody', null, rows)))
			: el('p', {text: t(s.none)}));
	};
	drawList();
	main.append(el('h1', {text: t(s.title)}), el('p', {class: 'intro', text: t(s.intro)}), msg,
		el('h2', {text: t(s.list)}), liveMsg, listBox,
		el('p', null, el('a', {href: `#/${spec.route}/new`, id: 'add-' + spec.route, class: 'button', text: t(s.add)})));

	const index = arg === 'new' ? list.length : Number(arg) - 1;
	const item = arg === 'new' ? spec.fresh(list) : list[index];
	if (item) main.append(await itemForm(spec, node, list, index, item, arg === 'new', ctx, answer.secrets));

	return poll(async () => {
		try {
			const got = spec.live(await hubStatus());
			if (got && !Array.isArray(got) && got.error) {
				flash(liveMsg, 'error', t(s.live_down, {why: got.error}));
				live = [];
			} else {
				flash(liveMsg, null, null);
				live = got || [];
			}
			drawList();
		} catch (e) {
			if (e.status === 401 || e.status === 403) return;
			flash(liveMsg, 'error', t(s.live_down, {why: e.message}));
		}
	}, PERIOD_MS);
}

/* The add/edit form of element index of list; secrets: the GET answer's
 * {path: set} (a secret's value never comes). */
async function itemForm(spec, node, list, index, item, isNew, ctx, secrets) {
	const s = spec.strings;
	const prefix = `${spec.section}[${index}]`;
	const made = [];
	const specs = [];
	for (const f of spec.fields) {
		if (f.make) made.push({spec: f, field: await f.make(item, prefix)});
		else specs.push({name: f.name, opts: f.opts});
	}
	const g = forms.group(node, prefix, item, specs, undefined, isNew ? {} : secrets);
	const field = (name) => g.fields[name] || made.find((m) => m.spec.name === name)?.field;
	const values = () => {
		const out = {...g.values()};
		for (const m of made) out[m.spec.name] = m.field.get();
		return out;
	};
	// in the spec's order: schema fields and the ones drawn by the spec
	const rows = spec.fields.map((f) => field(f.name)).filter((x) => x).map((x) => x.row);
	const sync = () => {
		const v = values();
		for (const f of spec.fields) if (f.when && field(f.name)) field(f.name).row.hidden = !f.when(v);
	};
	const all = () => [...g.all(), ...made.map((m) => m.field)];
	const form = forms.form(rows, async (fm) => {
		flash(fm.msg, null, null);
		forms.showErrors(all(), []);
		const edited = values();
		// the hub keeps a secret left blank by the element's name: a
		// renamed element has none to keep, so a set one must be typed again
		// (else it would be lost without a word)
		if (!isNew && edited[spec.key] !== item[spec.key]) {
			const lost = g.all().filter((f) => secrets[f.path] && f.get() === undefined);
			if (lost.length) {
				lost.forEach((f) => f.error(t('form.secret_again')));
				lost[0].input.focus();
				return;
			}
		}
		const next = list.slice();
		next[index] = edited;
		try {
			await api.putSection(spec.section, next);
			ctx.saved = {route: spec.route, name: edited[spec.key]};
			ctx.go(spec.route);
		} catch (e) {
			forms.showRefusal(fm.msg, all(), e);
		}
	});
	form.id = spec.route + '-form';
	form.addEventListener('change', sync);
	sync();
	return el('section', {class: 'item-config'},
		el('h2', {text: isNew ? t(s.add_title) : t(s.edit_title, {name: item[spec.key]})}), form);
}

// Forms generated from the config schema (GET /api/schema, the same table
// as `eniscopectl config schema` and docs/CONFIG.md): each key's type,
// range, length, choices and default make its input; a page only chooses
// which keys it shows, in the manual's order.  Secrets are never shown: the
// hub says only whether one is set, and a blank input keeps it.  The
// server's refusals ({field, error}) are shown beside the field they name.

import {el, flash} from './dom.js';
import {t, fieldLabel, choiceLabel} from './i18n.js';

let uid = 0;

/* The schema node of a top-level section ("network", "meters", ...); for a
 * list (meters[]) the node of one element.  null when the hub's schema has
 * no such section. */
export function section(schema, name) {
	const node = (schema.keys || []).find((k) => k.name === name);
	if (!node) return null;
	return node.type === 'array' ? node.item : node;
}

/* The key named name in an object node, or null. */
export function key(node, name) {
	return (node && node.keys || []).find((k) => k.name === name) || null;
}

/* A key's default as a value: the schema gives it as JSON text, with {id}
 * standing for the slot's id (meters: "Meter {id}", ct_input {id}). */
export function defaultValue(k, id) {
	if (k.default === undefined) return null;
	const text = String(k.default).replace(/\{id\}/g, String(id ?? ''));
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function choicesOf(k) {
	return k.choices ? String(k.choices).split('|') : [];
}

function hintOf(k) {
	if (k.type === 'int' || k.type === 'number') {
		if (k.min !== undefined && k.max !== undefined) return t('form.range', {min: k.min, max: k.max});
	}
	return '';
}

/* One input for schema key k at path (e.g. "meters[2].name", shown in
 * errors), holding value.  opts: label (instead of the schema's), hint,
 * choices ([{value, label}] for a select instead of the schema's),
 * labels ({choice: text} for the schema's choices), id (of the input).
 * Returns {row, input, path, get(), set(v), error(text)}. */
export function field(k, path, value, opts = {}) {
	const id = opts.id || 'f' + ++uid;
	const labelPath = path.replace(/\[\d+\]/g, '');
	const label = opts.label || fieldLabel(labelPath, k.label);
	const errorBox = el('span', {class: 'field-error', 'attr-role': 'alert', id: id + '-err'});
	let input;
	let get;
	let set;
	let secretState = null;

	if (opts.choices || k.type === 'enum') {
		const choices = opts.choices || choicesOf(k).map((c) => ({value: c, label: (opts.labels && opts.labels[c]) || choiceLabel(labelPath, c)}));
		input = el('select', {id}, choices.map((c) => el('option', {value: c.value === null ? '' : String(c.value), text: c.label, disabled: !!c.disabled})));
		const typed = (s) => {
			const c = choices.find((x) => (x.value === null ? '' : String(x.value)) === s);
			return c ? c.value : s;
		};
		get = () => typed(input.value);
		set = (v) => { input.value = v === null || v === undefined ? '' : String(v); };
	} else if (k.type === 'bool') {
		input = el('input', {id, type: 'checkbox'});
		get = () => input.checked;
		set = (v) => { input.checked = !!v; };
	} else if (k.type === 'int' || k.type === 'number') {
		input = el('input', {id, type: 'number', step: k.type === 'int' ? '1' : 'any', inputMode: k.type === 'int' ? 'numeric' : 'decimal'});
		if (k.min !== undefined) input.min = String(k.min);
		if (k.max !== undefined) input.max = String(k.max);
		get = () => (input.value === '' ? null : Number(input.value));
		set = (v) => { input.value = v === null || v === undefined ? '' : String(v); };
	} else if (k.secret) {
		input = el('input', {id, type: 'password', autocomplete: 'new-password', placeholder: t('form.secret_keep')});
		secretState = el('span', {class: 'secret-state'});
		// blank: keep what the hub has (the key is left out of the save);
		// set(true/false) says whether the hub has one
		get = () => (input.value === '' ? undefined : input.value);
		set = (v) => {
			input.value = '';
			const isSet = v === true;
			secretState.textContent = isSet ? t('form.secret_set') : t('form.secret_unset');
			secretState.dataset.set = isSet ? '1' : '0';
		};
	} else {
		const colour = k.format === 'colour';
		input = el('input', {id, type: colour ? 'color' : (k.format === 'email' ? 'email' : 'text'), spellcheck: false});
		if (k.max !== undefined && !colour) input.maxLength = k.max;
		get = () => (input.value === '' && k.nullable ? null : input.value);
		set = (v) => { input.value = v === null || v === undefined ? '' : String(v); };
	}
	input.setAttribute('aria-describedby', id + '-err');
	// a refusal stays only until the field is edited
	const clearError = () => {
		errorBox.textContent = '';
		row.classList.remove('invalid');
		input.removeAttribute('aria-invalid');
	};
	input.addEventListener('input', clearError);
	input.addEventListener('change', clearError);
	input.name = path;
	set(value);

	const hint = opts.hint ?? hintOf(k);
	const control = k.type === 'bool'
		? el('label', {class: 'check', htmlFor: id}, input, ' ', label)
		: input;
	const row = el('div', {class: 'field field-' + k.type, dataset: {path}},
		k.type === 'bool' ? el('span', {class: 'field-label'}) : el('label', {class: 'field-label', htmlFor: id, text: label}),
		el('div', {class: 'field-control'}, control, secretState ? [' ', secretState] : null,
			hint ? el('small', {class: 'hint', text: hint}) : null, errorBox));
	return {
		row, input, path, get, set,
		error(text) {
			errorBox.textContent = text || '';
			row.classList.toggle('invalid', !!text);
			if (text) input.setAttribute('aria-invalid', 'true');
			else input.removeAttribute('aria-invalid');
		},
	};
}

/* A group of fields for one object of a section: specs is [{name, opts}]
 * or key names; node the section's schema node; value the object's
 * current value; id the slot id for defaults; secrets the GET answer's
 * {path: set} map (a secret's value itself never comes).  Keys the hub's
 * schema lacks are skipped.  Returns {fields (by name), rows, values(),
 * all() (the fields, for showErrors and showRefusal)}. */
export function group(node, prefix, value, specs, id, secrets) {
	const fields = {};
	const rows = [];
	for (const spec of specs) {
		const s = typeof spec === 'string' ? {name: spec} : spec;
		const k = key(node, s.name);
		if (!k) continue;
		const path = (prefix ? prefix + '.' : '') + s.name;
		let v = value && s.name in value ? value[s.name] : defaultValue(k, id);
		if (k.secret) v = !!(secrets && secrets[path]);
		const f = field(k, path, v, s.opts);
		fields[s.name] = f;
		rows.push(f.row);
	}
	return {
		fields,
		rows,
		values() {
			const out = {};
			for (const [name, f] of Object.entries(fields)) {
				const v = f.get();
				if (v !== undefined) out[name] = v;
			}
			return out;
		},
		all: () => Object.values(fields),
	};
}

/* Puts each {field, error} beside the field whose path it names (also a
 * path below it, e.g. "ct_cal[1].gain" for a nested field); returns the
 * errors that matched none, for the page's message area.  The first
 * invalid field gets the focus. */
export function showErrors(fields, errors) {
	fields.forEach((f) => f.error(''));
	const rest = [];
	let first = null;
	for (const e of errors || []) {
		const f = fields.find((x) => e.field === x.path || (e.field || '').startsWith(x.path + '.') || (e.field || '').startsWith(x.path + '['));
		if (f) {
			f.error(e.error);
			first = first || f;
		} else {
			rest.push(e);
		}
	}
	if (first) first.input.focus();
	return rest;
}

/* Shows a failed save (an ApiError): each refusal beside its field, and
 * in area (the form's message line) what no field showed, or the error
 * itself when the hub named no field, or else a pointer to the fields. */
export function showRefusal(area, fields, e) {
	const rest = showErrors(fields, e.errors);
	let text;
	if (rest.length) text = t('app.error', {why: rest.map((x) => (x.field ? x.field + ': ' : '') + x.error).join('; ')});
	else if (!e.errors.length) text = t('app.error', {why: e.message});
	else text = t('app.fix_fields');
	flash(area, 'error', text);
}

/* A <form> with the rows, a Save button and a message area (form.msg);
 * onSave(form) runs on submit (Enter or the button) with the button
 * disabled. */
export function form(rows, onSave) {
	const msg = el('div', {class: 'form-msg', 'attr-aria-live': 'polite'});
	const save = el('button', {type: 'submit', class: 'primary', text: t('app.save')});
	const f = el('form', {class: 'schema-form', noValidate: true},
		rows, el('div', {class: 'buttons'}, save), msg);
	// like a field's refusal, the form's message goes with the next edit
	const forget = () => flash(msg, null, null);
	f.addEventListener('input', forget);
	f.addEventListener('change', forget);
	f.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		save.disabled = true;
		try {
			await onSave(f);
		} finally {
			save.disabled = false;
		}
	});
	f.msg = msg;
	return f;
}

// Every string the hub's pages show (the admin here; the displays of issue
// 17 import the same module) lives in a message catalog per language,
// /i18n/<code>.json (a flat {key: text} object; docs/ADMIN.md, "Message
// catalogs").  Pages never hold text of their own: they call t(key).  Field
// labels and choice names are catalog entries too ("field.<path>",
// "choice.<path>.<value>"), so nothing a page shows is built in C; the
// schema's own label is only a last resort.  {name} in a string is
// replaced by vars.name.  The check tests/web/check_i18n.mjs keeps the
// catalogs complete and alike.

import * as api from './api.js';

/* The languages with a catalog: interface.language's choices (the schema
 * allows no other). */
export const LANGUAGES = ['en', 'fr'];

const catalogs = {};
let lang = 'en';

async function load(code) {
	if (!catalogs[code]) catalogs[code] = await api.get('/i18n/' + code + '.json');
}

/* Loads and chooses the catalog of code (one of LANGUAGES; anything else,
 * or a catalog that cannot be had, keeps English, which is always loaded
 * first as the fallback for a missing entry).  Throws an ApiError only
 * when not even English loads. */
export async function setLanguage(code) {
	await load('en');
	lang = 'en';
	if (LANGUAGES.includes(code) && code !== 'en') {
		try {
			await load(code);
			lang = code;
		} catch {
			/* English it is: a page in English beats no page */
		}
	}
	document.documentElement.lang = lang;
}

/* The language shown now. */
export function language() {
	return lang;
}

function lookup(key) {
	return (catalogs[lang] && catalogs[lang][key]) ?? (catalogs.en && catalogs.en[key]);
}

/* The string for key in the current language, with {name} placeholders
 * filled from vars; the English one when the language lacks it; the key
 * itself when nobody has it (visible, so a missing entry is noticed). */
export function t(key, vars) {
	const s = lookup(key) ?? key;
	if (!vars) return s;
	return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/* A field's label: the catalog's "field.<path>" (path without slot
 * indexes, e.g. "meters.name"), else the schema's own label. */
export function fieldLabel(path, schemaLabel) {
	return lookup('field.' + path) ?? schemaLabel;
}

/* ts (Unix seconds) as a date and time, or with timeOnly the time of day,
 * written as the language shown writes them (fr: 30/11/2026 17:21:52), in
 * the browser's time zone: never the browser's own locale, which would
 * put an English date in a French page. */
export function dateTime(ts, timeOnly) {
	const d = new Date(ts * 1000);
	return timeOnly ? d.toLocaleTimeString(lang) : d.toLocaleString(lang);
}

/* A choice's name: the catalog's "choice.<path>.<value>", else the value. */
export function choiceLabel(path, value) {
	return lookup('choice.' + path + '.' + value) ?? String(value);
}

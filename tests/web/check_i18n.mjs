// The message catalogs (webcgi/www/i18n/*.json) are complete and alike:
//   - every language of interface.language's choices has a catalog, and
//     every catalog is one of those choices;
//   - every catalog has exactly English's keys, each a non-empty string
//     with the same {placeholders} as English's;
//   - every catalog key a page's source names (a quoted 'group.key' whose
//     group is a catalog's) exists, and each key prefix a page builds a key
//     from ('readings.col.' + key) has entries;
//   - every key of the sections the admin menu's pages edit has its label
//     ("field.<path>") and each enum value its name ("choice.<path>.<v>"),
//     so no page shows a label built in C;
//   - no text shows a config key's path (network.require_ntp_sync) where
//     the installer should read the setting's label;
//   - no page writes a date with toLocaleString() and no locale (the
//     browser's, not the page's language).
// Usage: node check_i18n.mjs WWW_DIR SCHEMA_JSON_FILE.  Prints every
// problem, exits 1 when there is one.
import fs from 'node:fs';
import path from 'node:path';

const [www, schemaFile] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
const problems = [];
const fail = (msg) => problems.push(msg);

// the catalogs
const dir = path.join(www, 'i18n');
const catalogs = {};
for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')))
	catalogs[f.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
const iface = schema.keys.find((k) => k.name === 'interface');
const langKey = iface && iface.keys.find((k) => k.name === 'language');
const languages = langKey ? langKey.choices.split('|') : [];
for (const l of languages) if (!catalogs[l]) fail(`interface.language allows "${l}" but there is no i18n/${l}.json`);
for (const l of Object.keys(catalogs)) if (!languages.includes(l)) fail(`i18n/${l}.json is not a choice of interface.language`);
const en = catalogs.en || {};
if (!catalogs.en) fail('no i18n/en.json');
const placeholders = (s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
for (const [l, cat] of Object.entries(catalogs)) {
	for (const [k, v] of Object.entries(cat)) {
		if (typeof v !== 'string' || !v.trim()) fail(`${l}: ${k} is not a non-empty string`);
		if (!(k in en)) fail(`${l}: ${k} is not in en`);
		else if (placeholders(v) !== placeholders(en[k]))
			fail(`${l}: ${k} has placeholders {${placeholders(v)}}, en has {${placeholders(en[k])}}`);
	}
	for (const k of Object.keys(en)) if (!(k in cat)) fail(`${l}: ${k} missing`);
}

// the config's key paths ("meters.ct_cal.gain"), which pages quote too
const schemaPaths = new Set();
(function paths(node, p) {
	for (const k of node.keys || []) {
		const kp = p ? p + '.' + k.name : k.name;
		schemaPaths.add(kp);
		paths(k.type === 'array' && k.item ? k.item : k, kp);
	}
})(schema, '');

// a text shows the installer words, never a config key's path
// ("network.require_ntp_sync"): the page names a setting by its label
for (const [l, cat] of Object.entries(catalogs))
	for (const [k, v] of Object.entries(cat))
		for (const m of String(v).matchAll(/\b[a-z_]+(?:\[\d*\])?(?:\.[a-z_0-9]+(?:\[\d*\])?)+\b/g))
			if (schemaPaths.has(m[0].replace(/\[\d*\]/g, '')))
				fail(`${l}: ${k} shows the config key path "${m[0]}": name the setting by its label instead`);

// the keys the pages' sources name
const groups = new Set(Object.keys(en).map((k) => k.split('.')[0]));
const sources = [];
(function walk(d) {
	for (const e of fs.readdirSync(d, {withFileTypes: true})) {
		const p = path.join(d, e.name);
		if (e.isDirectory()) walk(p);
		else if (e.name.endsWith('.js')) sources.push(p);
	}
})(www);
let named = 0;
for (const file of sources) {
	const text = fs.readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*|\/\*).*$/gm, '');
	// a date or time in the browser's locale, not the page's language
	// (an English date in a French page): i18n.js's dateTime writes them
	for (const m of text.matchAll(/\.toLocale(?:Date|Time)?String\(\s*\)/g))
		fail(`${path.relative(www, file)}: ${m[0].slice(1)} takes the browser's locale; use dateTime of /js/i18n.js`);
	for (const m of text.matchAll(/(\bt\(|fieldLabel\(|choiceLabel\()?'([a-z][a-z0-9_]*(?:\.[A-Za-z0-9_-]+)+)(\.?)'(\s*\+)?/g)) {
		const [, fn, name, dot, plus] = m;
		// a field's path names its label and its choices' names
		const key = fn === 'fieldLabel(' ? 'field.' + name : fn === 'choiceLabel(' ? 'choice.' + name : name;
		// t('...') is always a key; another quoted 'a.b' is one when a
		// catalog has its group (a key kept in a table for t() later)
		// (a config path such as 'security.display_password_hash' is not)
		if (fn !== 't(' && (!groups.has(key.split('.')[0]) || schemaPaths.has(key))) continue;
		named++;
		const rel = path.relative(www, file);
		if (dot || plus || fn === 'choiceLabel(') {
			// a prefix a key is built from
			if (!Object.keys(en).some((k) => k.startsWith(key + '.'))) fail(`${rel}: no catalog key starts with '${key}.'`);
		} else if (!(key in en)) {
			fail(`${rel}: '${key}' is not in the catalogs`);
		}
	}
}
if (!named) fail('no catalog key found in the pages: is WWW_DIR right?');

// the labels of the fields the menu's pages show
const app = fs.readFileSync(path.join(www, 'admin/js/app.js'), 'utf8');
const routes = new Set([...app.matchAll(/\['([a-z]+)', 'menu\./g)].map((m) => m[1]));
const sections = (schema.pages || []).filter((p) => routes.has(p.id)).flatMap((p) => p.sections);
function labels(node, p) {
	for (const k of node.keys || []) {
		const kp = p + '.' + k.name;
		if (!('field.' + kp in en)) fail(`field.${kp} missing (the label of a field on a page)`);
		const choices = k.choices || (k.type === 'array' && k.item && k.item.choices);
		if (choices) for (const c of choices.split('|')) if (!('choice.' + kp + '.' + c in en)) fail(`choice.${kp}.${c} missing`);
		if (k.type === 'object') labels(k, kp);
		if (k.type === 'array' && k.item && k.item.type === 'object') labels(k.item, kp);
	}
}
for (const s of sections) {
	const node = schema.keys.find((k) => k.name === s);
	if (!node) fail(`page section ${s} is not in the schema`);
	else labels(node.type === 'array' ? node.item : node, s);
}
if (!sections.length) fail('no page section found: is app.js\'s MENU readable?');

for (const p of problems) console.log(p);
console.log(`${Object.keys(catalogs).length} catalogs of ${Object.keys(en).length} keys, ${named} keys named in ${sources.length} sources, ${sections.length} page sections: ${problems.length ? problems.length + ' problems' : 'ok'}`);
process.exit(problems.length ? 1 : 0);

// Alarms, as the manual's Customisation Options page: (1) the list of
// alarms, X to delete (confirmed in the row) and edit to change one; (2)
// add or edit: (3) the meter, (4) the phase (1-3 or all), (5) power,
// voltage, current or power factor, (6) the high and low limits (either
// may be blank), (7) the e-mail's title and its addresses, (8) the
// recovery and reminder times; then the SMTP server the e-mails go
// through with a "send a test e-mail" button, the health alarms, and the
// log with each alarm's state from alarmd (GET /api/alarms, every 2 s) and
// the newest of the alarm log from storaged (GET /api/alarms/log).
// The alarms section is a list: a save sends the whole list (docs/API.md).

import * as api from '/js/api.js';
import {el, clear, flash} from '/js/dom.js';
import {t, fieldLabel, dateTime} from '/js/i18n.js';
import * as forms from '/js/forms.js';

const REFRESH_MS = 2000;

function limitText(v) {
	return v === null || v === undefined ? '—' : String(v);
}

function listTable(rules, states, onDelete) {
	const cols = ['id', 'title', 'meter', 'phase', 'quantity', 'low', 'high', 'state', 'value'];
	return el('div', {class: 'scroll'}, el('table', {class: 'grid', id: 'alarm-list'},
		el('thead', null, el('tr', null, cols.map((c) => el('th', {scope: 'col', text: t('alarms.col.' + c)})), el('th', null), el('th', null))),
		el('tbody', null, rules.length ? rules.map((r) => {
			const s = states[String(r.id)] || {};
			return el('tr', {dataset: {id: r.id}, class: s.state === 'raised' ? 'alarm-raised' : null},
				el('td', {text: String(r.id)}),
				el('td', {text: r.title}),
				el('td', {text: String(r.meter)}),
				el('td', {text: r.phase ? String(r.phase) : t('alarms.phase_all')}),
				el('td', {text: t('choice.alarms.quantity.' + r.quantity)}),
				el('td', {text: limitText(r.low)}),
				el('td', {text: limitText(r.high)}),
				el('td', {class: 'alarm-state', text: s.state ? t('alarms.state.' + s.state) : t('alarms.state.unknown')}),
				el('td', {class: 'alarm-value', text: s.value === undefined ? '' : String(s.value)}),
				el('td', null, el('a', {href: '#/alarms/' + r.id, text: t('app.edit'), class: 'edit', id: 'edit-alarm-' + r.id})),
				el('td', {class: 'alarm-delete'}, el('button', {type: 'button', class: 'delete', id: 'delete-alarm-' + r.id, text: '✕',
					'attr-aria-label': t('alarms.delete', {title: r.title || r.id}), on: {click: (ev) => confirmDelete(ev.target.parentNode, r, onDelete)}})));
		}) : el('tr', null, el('td', {colSpan: cols.length + 2, text: t('alarms.none')})))));
}

/* The manual's "click X to delete", asked again in the row itself: the
 * cell becomes "Delete? Yes No". */
function confirmDelete(cell, r, onDelete) {
	clear(cell).append(el('span', {class: 'confirm', text: t('alarms.confirm_delete', {title: r.title || r.id})}), ' ',
		el('button', {type: 'button', id: 'confirm-delete-' + r.id, text: t('app.yes'), on: {click: () => onDelete(r)}}), ' ',
		el('button', {type: 'button', id: 'cancel-delete-' + r.id, text: t('app.no'), on: {click: () => ctxRedraw()}}));
	cell.querySelector('button').focus();
}
let ctxRedraw = () => {};

/* The add/edit form of one rule (the manual's steps 3 to 8). */
function ruleForm(node, rules, rule, index, isNew, onSaved) {
	const prefix = 'alarms[' + index + ']';
	const meters = Array.from({length: 8}, (_, i) => ({value: i + 1, label: t('alarms.meter_n', {n: i + 1})}));
	const phases = [{value: 0, label: t('alarms.phase_all')}, ...[1, 2, 3].map((n) => ({value: n, label: t('alarms.phase_n', {n})}))];
	const g = forms.group(node, prefix, rule, [
		'enabled',
		{name: 'meter', opts: {choices: meters}},
		{name: 'phase', opts: {choices: phases}},
		'quantity',
		{name: 'high', opts: {hint: t('alarms.blank_none')}},
		{name: 'low', opts: {hint: t('alarms.blank_none')}},
		'title',
		'recovery_s',
		'reminder_s',
		'webhook',
	]);
	// the addresses: one text box, separated by commas or spaces
	const emails = forms.field({type: 'string', label: fieldLabel('alarms.emails', 'emails'), max: 4096},
		prefix + '.emails', (rule.emails || []).join(', '), {hint: t('alarms.emails_hint'), id: 'alarm-emails'});
	const rows = [...g.rows];
	rows.splice(7, 0, emails.row);
	const all = [...g.all(), emails];
	const f = forms.form(rows, async (form) => {
		flash(form.msg, null, null);
		const edited = {...rule, ...g.values(), emails: emails.get().split(/[\s,;]+/).filter((x) => x)};
		const list = rules.slice();
		list[index] = edited;
		try {
			await api.putSection('alarms', list);
			forms.showErrors(all, []);
			await onSaved(edited.id);
		} catch (e) {
			forms.showRefusal(form.msg, all, e);
		}
	});
	f.id = 'alarm-form';
	return el('section', {class: 'alarm-config'}, el('h2', {text: isNew ? t('alarms.add_title') : t('alarms.edit_title', {id: rule.id})}), f);
}

/* The SMTP settings, with a test e-mail. */
async function smtpForm(schema) {
	const answer = await api.getSection('smtp');
	const node = forms.section(schema, 'smtp');
	const g = forms.group(node, 'smtp', answer.value, ['host', 'port', 'security', 'username', 'password', 'from', 'ca_file'], undefined, answer.secrets);
	const f = forms.form(g.rows, async (form) => {
		flash(form.msg, null, null);
		forms.showErrors(g.all(), []);
		try {
			await api.putSection('smtp', g.values());
			flash(form.msg, 'ok', t('app.saved'));
		} catch (e) {
			forms.showRefusal(form.msg, g.all(), e);
		}
	});
	f.id = 'smtp-form';
	const to = forms.field({type: 'string', label: t('alarms.test_to'), max: 254, format: 'email'}, 'to', '', {id: 'test-email-to'});
	const msg = el('div', {class: 'form-msg', id: 'test-email-msg', 'attr-aria-live': 'polite'});
	const send = el('button', {type: 'button', id: 'test-email-send', text: t('alarms.test_send'), on: {click: async () => {
		flash(msg, null, null);
		to.error('');
		try {
			await api.post('/api/alarms/test-email', {to: to.get()});
			flash(msg, 'info', t('alarms.test_sending'));
		} catch (e) {
			if (e.errors && e.errors.length) forms.showErrors([to], e.errors);
			else if (e.field === 'to') to.error(e.message);
			else flash(msg, 'error', t('app.error', {why: e.message}));
		}
	}}});
	return {
		node: el('section', {id: 'smtp'}, el('h2', {text: t('alarms.smtp')}), f,
			el('div', {class: 'test-email'}, to.row, el('div', {class: 'buttons'}, send), msg)),
		/* shows the test e-mail's result from alarmd's status */
		update(st) {
			const te = st && st.test_email;
			if (!te || te.state === 'sending' || !msg.firstChild) return;
			flash(msg, te.state === 'sent' ? 'ok' : 'error',
				te.state === 'sent' ? t('alarms.test_sent', {to: te.to}) : t('alarms.test_failed', {why: te.error || ''}));
		},
	};
}

async function healthForm(schema) {
	const answer = await api.getSection('health_alarms');
	const node = forms.section(schema, 'health_alarms');
	const names = (node.keys || []).map((k) => k.name).filter((n) => n !== 'emails');
	const g = forms.group(node, 'health_alarms', answer.value, names);
	const emails = forms.field({type: 'string', label: t('alarms.health_emails'), max: 4096}, 'health_alarms.emails',
		(answer.value.emails || []).join(', '), {hint: t('alarms.emails_hint'), id: 'health-emails'});
	const all = [emails, ...g.all()];
	const f = forms.form([emails.row, g.rows], async (form) => {
		flash(form.msg, null, null);
		forms.showErrors(all, []);
		try {
			await api.putSection('health_alarms', {...g.values(), emails: emails.get().split(/[\s,;]+/).filter((x) => x)});
			flash(form.msg, 'ok', t('app.saved'));
		} catch (e) {
			forms.showRefusal(form.msg, all, e);
		}
	});
	f.id = 'health-form';
	return el('section', {id: 'health'}, el('h2', {text: t('alarms.health')}), f);
}

function logTable(log) {
	const rows = (log || []).slice().reverse();
	return el('div', {class: 'scroll'}, el('table', {class: 'grid', id: 'alarm-log'},
		el('thead', null, el('tr', null, ['time', 'id', 'name', 'event', 'value', 'limit'].map((c) => el('th', {scope: 'col', text: t('alarms.log.' + c)})))),
		el('tbody', null, rows.length ? rows.map((e) => el('tr', {class: 'alarm-' + e.event},
			el('td', {text: dateTime(e.ts)}),
			el('td', {text: e.id}),
			el('td', {text: e.name || ''}),
			el('td', {text: t('alarms.event.' + e.event)}),
			el('td', {text: e.value + (e.unit ? ' ' + e.unit : '') + (e.phase ? ' (L' + e.phase + ')' : '')}),
			el('td', {text: (e.limit_kind === 'low' ? '< ' : '> ') + e.limit + (e.unit ? ' ' + e.unit : '')}))) :
			el('tr', null, el('td', {colSpan: 6, text: t('alarms.log_empty')})))));
}

export default {
	async render(main, ctx, arg) {
		const [schema, answer] = await Promise.all([ctx.getSchema(), api.getSection('alarms')]);
		const rules = answer.value;
		const node = forms.section(schema, 'alarms');
		const msg = el('div', {class: 'form-msg', id: 'alarms-msg', 'attr-aria-live': 'polite'});
		const stateMsg = el('div', {class: 'form-msg', id: 'alarmd-msg', 'attr-aria-live': 'polite'});
		const listBox = el('div', {id: 'alarm-list-box'});
		const logBox = el('div', {id: 'alarm-log-box'});
		if (ctx.savedAlarm) {
			flash(msg, 'ok', t('alarms.saved', {id: ctx.savedAlarm}));
			ctx.savedAlarm = null;
		}
		let states = {};
		const onDelete = async (r) => {
			try {
				await api.putSection('alarms', rules.filter((x) => x.id !== r.id));
				ctx.go('alarms');
			} catch (e) {
				flash(msg, 'error', t('app.error', {why: e.message}));
			}
		};
		let asking = false; /* a delete is being confirmed: the refresh leaves the list alone */
		const drawList = () => { if (!asking) clear(listBox).append(listTable(rules, states, onDelete)); };
		ctxRedraw = () => { asking = false; drawList(); };
		listBox.addEventListener('click', (ev) => { if (ev.target.classList.contains('delete')) asking = true; }, true);
		drawList();
		main.append(el('h1', {text: t('alarms.title')}), el('p', {class: 'intro', text: t('alarms.intro')}), msg, stateMsg,
			el('h2', {text: t('alarms.list')}), listBox,
			el('p', null, el('a', {href: '#/alarms/new', id: 'add-alarm', class: 'button', text: t('alarms.add')})));
		let index = -1;
		let rule = null;
		if (arg === 'new') {
			const id = rules.reduce((m, r) => Math.max(m, r.id), 0) + 1;
			rule = {id, isNew: true};
			index = rules.length;
		} else if (arg) {
			index = rules.findIndex((r) => String(r.id) === arg);
			rule = index >= 0 ? rules[index] : null;
		}
		if (rule) {
			const {isNew, ...plain} = rule;
			const form = ruleForm(node, rules, isNew ? {id: plain.id} : plain, index, !!isNew, async (saved) => {
				ctx.savedAlarm = saved;
				ctx.go('alarms');
			});
			main.append(form);
			form.querySelector('input, select').focus();
		}
		const smtp = await smtpForm(schema);
		main.append(smtp.node, await healthForm(schema), el('h2', {text: t('alarms.log')}), logBox);

		let stopped = false;
		const refresh = async () => {
			try {
				const st = await api.get('/api/alarms');
				states = Object.fromEntries((st.rules || []).map((r) => [r.id, r]));
				flash(stateMsg, st.fault ? 'error' : null, st.fault ? t('alarms.fault', {why: st.fault}) : null);
				drawList();
				smtp.update(st);
			} catch (e) {
				if (e.status === 401) return;
				flash(stateMsg, 'error', t('alarms.alarmd_down', {why: e.message}));
			}
			try {
				/* the log is storaged's: shown whether or not alarmd runs */
				clear(logBox).append(logTable((await api.get('/api/alarms/log?max=20')).log));
			} catch (e) {
				if (e.status === 401) return;
				clear(logBox).append(el('p', {class: 'msg msg-error', id: 'alarm-log-down', text: t('alarms.log_down', {why: e.message})}));
			}
			if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
		};
		let timer = null;
		await refresh();
		return () => { stopped = true; clearTimeout(timer); };
	},
};

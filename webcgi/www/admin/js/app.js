// The admin shell: checks the session, draws the menu and shows one page
// at a time by the URL's hash (#/network, #/devices/3 ...).  A page is a
// module in pages/ exporting render(main, ctx, arg) that may return a function
// run when the page is left (to stop its timers).  A page is added by one
// import and one row in MENU (issue 16's pages join the groups below).

import * as api from '/js/api.js';
import {el, clear, flash} from '/js/dom.js';
import {t, setLanguage, language} from '/js/i18n.js';
import login from './pages/login.js';
import password from './pages/password.js';
import registration from './pages/registration.js';
import network from './pages/network.js';
import devices from './pages/devices.js';
import readings from './pages/readings.js';
import status from './pages/status.js';
import alarms from './pages/alarms.js';
import messaging from './pages/messaging.js';
import iface from './pages/interface.js';
import security from './pages/security.js';
import mqtt from './pages/mqtt.js';
import upload from './pages/upload.js';
import reset from './pages/reset.js';
import reboot from './pages/reboot.js';
import support from './pages/support.js';
import backup from './pages/backup.js';

/* The manual's admin menu, in its order: groups of [route, label key,
 * page]; a route is the id of its page in the schema's "pages" list
 * (docs/API.md) where it edits config. */
const MENU = [
	['menu.setup', [
		['registration', 'menu.registration', registration],
		['network', 'menu.network', network],
		['devices', 'menu.devices', devices],
		['readings', 'menu.readings', readings],
	]],
	['menu.customisation', [
		['alarms', 'menu.alarms', alarms],
		['messaging', 'menu.messaging', messaging],
		['interface', 'menu.interface', iface],
		['security', 'menu.security', security],
		['mqtt', 'menu.mqtt', mqtt],
		['upload', 'menu.upload', upload],
	]],
	['menu.maintenance', [
		['status', 'menu.status', status],
		['password', 'menu.password', password],
		['backup', 'menu.backup', backup],
		['support', 'menu.support', support],
		['reboot', 'menu.reboot', reboot],
		['reset', 'menu.reset', reset],
	]],
];
const PAGES = Object.fromEntries(MENU.flatMap(([, items]) => items.map(([route, , page]) => [route, page])));
PAGES.login = login;
const HOME = 'readings';

const ctx = {
	session: null,
	/* the schema (GET /api/schema), fetched once */
	schema: null,
	async getSchema() {
		if (!ctx.schema) ctx.schema = await api.get('/api/schema');
		return ctx.schema;
	},
	go(route) {
		if (location.hash === '#/' + route) show();
		else location.hash = '#/' + route;
	},
	/* shows the pages in the language code (after Interface Options saved
	 * it): the menu and the page drawn again */
	async useLanguage(code) {
		await setLanguage(code);
		drawStatic();
		show();
	},
	/* follows interface.language when the hub's differs from the one
	 * shown (changed by a restore, a reset to "all", another session or
	 * the file): the catalog loaded and the shell's words redrawn, the
	 * page left to the caller; true when it changed */
	async followHubLanguage() {
		const code = await hubLanguage();
		if (code === language()) return false;
		await setLanguage(code);
		drawStatic();
		return true;
	},
	/* called by login and password pages when the session changed */
	async refresh(next) {
		ctx.session = null;
		await start(next);
	},
	/* messages carried from one page to the next: the factory password
	 * (kept in memory only, so the forced change need not ask it again),
	 * "password changed", "session ended", "meter n saved" */
	loginPassword: null,
	passwordChanged: false,
	sessionEnded: false,
	savedMeter: null,
	/* a save a page reports after it was drawn again: {route, name} (the
	 * list pages' element saved; Interface Options after switching the
	 * language says "Saved." once more in the new one; Backup and Restore
	 * after a restore did: {route, restored: its answer}) */
	saved: null,
	/* where a fresh login goes: registration while the hub has no company
	 * (the manual's first-login step 5), else the home page */
	async firstPage() {
		try {
			const s = await api.session();
			if (s.registered === false) return 'registration';
		} catch {
			/* not logged in (yet) or not answering: the router decides */
		}
		return HOME;
	},
};

let leave = null;
let rendering = 0; /* counts the pages shown, so a late render knows it was left */

function drawMenu(current) {
	const nav = document.getElementById('menu');
	const s = ctx.session;
	nav.hidden = !s || !s.user || s.must_change_password;
	clear(nav);
	if (nav.hidden) return;
	for (const [groupKey, items] of MENU) {
		nav.append(el('h2', {text: t(groupKey)}),
			el('ul', null, items.map(([route, labelKey]) => el('li', null,
				el('a', {href: '#/' + route, text: t(labelKey), class: route === current ? 'current' : null,
					'attr-aria-current': route === current ? 'page' : null})))));
	}
	// at the foot, as in the manual: the displays (docs/DISPLAY.md)
	nav.append(el('ul', {class: 'menu-foot'},
		el('li', null, el('a', {href: '/', text: t('menu.display')})),
		el('li', null, el('a', {href: '/history.html', text: t('menu.history')}))));
}

function routeOf() {
	const parts = location.hash.replace(/^#\/?/, '').split('/');
	return {route: parts[0] || HOME, arg: parts[1]};
}

/* Stops the page shown (its timers), before the next one or a logout;
 * resolves when what it had under way has ended. */
async function leavePage() {
	const stop = leave;
	leave = null;
	if (stop) {
		try {
			await stop();
		} catch {
			/* a page's cleanup never blocks the next page */
		}
	}
}

async function show() {
	await leavePage();
	let {route, arg} = routeOf();
	const s = ctx.session;
	if (!s || !s.user) route = 'login';
	else if (s.must_change_password) route = 'password';
	else if (route === 'login' || !PAGES[route]) route = HOME;
	document.getElementById('who').textContent = s && s.user ? s.user : '';
	document.getElementById('logout').hidden = !(s && s.user);
	drawMenu(route);
	// a new element for each page shown: a page left while it was still
	// rendering (an answer it awaited came late) adds the rest to the old,
	// detached one, never below the next page
	const old = document.getElementById('page');
	const main = old.cloneNode(false);
	old.replaceWith(main);
	main.dataset.page = route;
	const shown = ++rendering;
	// each page renders into a box of its own: one that finishes after
	// another page was shown (its requests were slow) appends to a box no
	// longer in the document, not under the page now shown
	const box = el('div', {class: 'page-body'});
	main.append(box);
	try {
		const stop = (await PAGES[route].render(box, ctx, arg)) || null;
		// left (another page shown, or logged out) before it finished
		// rendering: its timers stop now, not never
		if (shown === rendering) {
			leave = stop;
			// drawn whole, its first data in (for the browser tests)
			main.dataset.ready = '1';
		} else if (stop) {
			stop();
		}
	} catch (e) {
		if (e.status === 401 || api.mustChange(e)) return;
		box.append(el('p', {class: 'msg msg-error', 'attr-role': 'alert', text: t('app.error', {why: e.message})}));
	}
	document.title = t('app.title') + ' — ' + (main.querySelector('h1')?.textContent || '');
}

async function start(next) {
	try {
		ctx.session = await api.session();
	} catch (e) {
		ctx.session = null;
		if (e.status !== 401) {
			const main = document.getElementById('page');
			clear(main);
			flash(main, 'error', t('app.unreachable', {why: e.message}));
			setTimeout(() => start(next), 2000);
			return;
		}
	}
	// a login, a logout or a start: the hub's language may have changed
	// meanwhile, and the next page (the login too) speaks it
	await ctx.followHubLanguage();
	if (next) ctx.go(next);
	else show();
}

api.on('unauthorised', async () => {
	if (ctx.session && ctx.session.user) {
		ctx.session = null;
		ctx.sessionEnded = true;
		// (a reset to "all" ends the session and the hub's language)
		await ctx.followHubLanguage();
		show();
	}
});
api.on('mustChange', () => {
	if (ctx.session) ctx.session.must_change_password = true;
	ctx.go('password');
});

document.getElementById('logout').addEventListener('click', async () => {
	// no poll of the page may go out or be under way when the session
	// ends (it would answer 401); a page still rendering is left too
	rendering++;
	await leavePage();
	try {
		await api.post('/api/logout', {});
	} catch {
		/* logged out either way: the session is dropped below */
	}
	api.forgetSession();
	await ctx.refresh('login');
});
/* The hub's own words in index.html, in the language shown. */
function drawStatic() {
	document.getElementById('logout').textContent = t('app.logout');
	document.getElementById('brand').textContent = t('app.title');
}

/* interface.language (GET /api/language, open to anyone so the login page
 * speaks it too); English when the hub does not say. */
async function hubLanguage() {
	try {
		return (await api.get('/api/language')).language;
	} catch {
		return 'en';
	}
}

try {
	await setLanguage(await hubLanguage());
} catch (e) {
	/* not even the English catalog: say so in the one language there is */
	document.getElementById('page').textContent = 'Error: ' + e.message;
	throw e;
}
drawStatic();
window.addEventListener('hashchange', show);
start();

// The one way the pages talk to the hub: the JSON API of docs/API.md.
// Every call has a timeout (a hub that does not answer turns into an error
// the page shows, never a page that hangs); every state-changing call
// carries the session's CSRF token in X-CSRF-Token, fetched from
// GET /api/session once and again when the server says it changed.

const TIMEOUT_MS = 5000;
let csrf = null;

/* A failed call.  status: the HTTP status (0: no answer); errors: the
 * server's [{field, error}] list (400 on a refused value), else []. */
export class ApiError extends Error {
	constructor(status, message, errors, body) {
		super(message);
		this.status = status;
		this.errors = errors || [];
		this.body = body || {};
	}
}

/* Listeners for "the session is gone" (401) and "the password must change
 * first" (403 "password change required"): the app routes to login or to
 * the password page. */
const listeners = {unauthorised: [], mustChange: []};
export function on(event, fn) {
	listeners[event].push(fn);
}

async function raw(method, path, body) {
	const headers = {'Accept': 'application/json'};
	const init = {method, headers, credentials: 'same-origin', cache: 'no-store'};
	if (body instanceof Blob) {
		// a file as it is (the logo): its own media type
		headers['Content-Type'] = body.type;
		init.body = body;
	} else if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body);
	}
	if (method !== 'GET') {
		// the two logins have no session to take a token from
		if (csrf === null && path !== '/api/login' && path !== '/api/display/login') await session();
		if (csrf) headers['X-CSRF-Token'] = csrf;
	}
	const ctl = new AbortController();
	const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
	init.signal = ctl.signal;
	let res;
	try {
		res = await fetch(path, init);
	} catch (e) {
		throw new ApiError(0, e.name === 'AbortError' ? 'no answer within ' + TIMEOUT_MS / 1000 + ' s' : 'network error', []);
	} finally {
		clearTimeout(timer);
	}
	let data = {};
	const text = await res.text();
	if (text) {
		try {
			data = JSON.parse(text);
		} catch {
			data = {error: 'answer is not JSON (HTTP ' + res.status + ')'};
		}
	}
	if (!res.ok || data.ok === false) {
		// one field to blame: its reason without the "field: " the message
		// starts with, for showing beside that field
		const single = data.field ? [{field: data.field, error: String(data.error || '').replace(data.field + ': ', '')}] : [];
		const errors = Array.isArray(data.errors) ? data.errors : single;
		throw new ApiError(res.status, data.error || ('HTTP ' + res.status), errors, data);
	}
	return data;
}

/* A 403 because the factory password is still in use (docs/API.md). */
export function mustChange(e) {
	return e.status === 403 && /password change required/i.test(e.message);
}

/* method, path (/api/..., or a static JSON file: /i18n/en.json), optional
 * body (sent as JSON; a Blob as itself, typed) -> the answer's JSON.
 * A stale CSRF token (403 naming csrf) is fetched again and the call made
 * once more; 401 and a pending forced password change tell the listeners. */
export async function call(method, path, body) {
	try {
		return await raw(method, path, body);
	} catch (e) {
		if (e.status === 403 && /csrf/i.test(e.message) && method !== 'GET') {
			csrf = null;
			return raw(method, path, body);
		}
		if (e.status === 401 && path !== '/api/login') listeners.unauthorised.forEach((fn) => fn(e));
		if (mustChange(e)) listeners.mustChange.forEach((fn) => fn(e));
		throw e;
	}
}

/* GET /api/session: the session (user, must_change_password) and its CSRF
 * token, kept for the calls that change something. */
export async function session() {
	const s = await raw('GET', '/api/session');
	csrf = s.csrf || null;
	return s;
}

/* Forgets the token (after logout or a new login: the session changed),
 * or takes the new one an answer brought (a password change renews the
 * session). */
export function forgetSession(token) {
	csrf = token || null;
}

export const get = (path) => call('GET', path);
export const put = (path, body) => call('PUT', path, body);
export const post = (path, body) => call('POST', path, body);
export const del = (path) => call('DELETE', path);

/* GET /api/config/<name>: {value, secrets}: the section (every default
 * filled in, secrets null) and per secret key path whether it is set. */
export function getSection(name) {
	return get('/api/config/' + name);
}

/* PUT /api/config/<name>: saves one section whole; refused values come
 * back as an ApiError whose errors name each field. */
export function putSection(name, value) {
	return put('/api/config/' + name, value);
}

// The hub's live state as the pages need it (docs/API.md "Live data"): a
// daemon that is down shows as not running within a second, never a hang.

import * as api from './api.js';

/* GET /api/status: daemons, disk, uploads, mqtt, clock. */
export function hubStatus() {
	return api.get('/api/status');
}

/* The temperature probes tempd sees now ([{id, state, configured, T}]),
 * for the Device Configuration's sensor list; [] when tempd is down (the
 * meter's own probe is still offered by the form). */
export async function probes() {
	try {
		const r = await api.get('/api/probes');
		return (r.probes || []).filter((p) => p.state !== 'vanished' && p.state !== 'missing');
	} catch (e) {
		if (e.status === 503) return [];
		throw e;
	}
}

// The displays' live readings: GET /api/live's server-sent events
// (docs/API.md), reconnecting by themselves.  The browser's EventSource
// reconnects after a dropped stream (the server's "retry" hint, 2 s); a
// stream it gives up on (an answer that is not a stream: lighttpd
// restarting, a CGI that failed, the display password switched on) is
// opened again here after the same wait, once onClosed has had its say.

const RETRY_MS = 2000;

/* live(url, handlers) -> stop().  handlers: onData(snapshot),
 * onStale({error}), onState('open' | 'lost'), and onClosed() -> promise of
 * whether to open again (false: stop, e.g. a password is now needed). */
export function live(url, handlers) {
	let es = null;
	let timer = null;
	let stopped = false;
	const open = () => {
		timer = null;
		if (stopped) return;
		es = new EventSource(url);
		es.onopen = () => handlers.onState('open');
		es.onmessage = (ev) => {
			let data;
			try {
				data = JSON.parse(ev.data);
			} catch {
				return;
			}
			handlers.onData(data);
		};
		es.addEventListener('stale', (ev) => handlers.onStale(JSON.parse(ev.data)));
		es.addEventListener('denied', () => closed());
		es.onerror = () => {
			handlers.onState('lost');
			if (es.readyState === EventSource.CLOSED) closed();
		};
	};
	const closed = async () => {
		es.close();
		if (stopped || timer) return;
		timer = -1;
		const again = await handlers.onClosed();
		if (again && !stopped) timer = setTimeout(open, RETRY_MS);
		else timer = null;
	};
	open();
	return () => {
		stopped = true;
		if (timer > 0) clearTimeout(timer);
		if (es) es.close();
	};
}

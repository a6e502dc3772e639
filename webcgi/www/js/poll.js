// A page's refresh: run a step now and then once a period after each one
// ends (never two at once, however slow the hub), until stopped.

/* poll(step, periodMs): step is async; the period counts from each step's
 * start.  Returns stop(), which cancels the next step and resolves when
 * the one under way (if any) has ended, so nothing a page asks goes out or
 * comes back after it (a logout waits for it). */
export async function poll(step, periodMs) {
	let timer = null;
	let stopped = false;
	let running = null;
	const run = async () => {
		const started = performance.now();
		running = step();
		await running;
		running = null;
		if (!stopped) timer = setTimeout(run, Math.max(0, periodMs - (performance.now() - started)));
	};
	await run();
	return () => {
		stopped = true;
		clearTimeout(timer);
		return running || Promise.resolve();
	};
}

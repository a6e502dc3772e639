/* debounce: see debounce.h. */
#include "debounce.h"

void debounce_init(struct debounce *d, int64_t min_ms, bool closed)
{
	*d = (struct debounce){ .min_ns = min_ms * 1000000, .closed = closed, .counted = closed };
}

static int s_count(struct debounce *d, int64_t *pulse_ts)
{
	d->counted = true;
	if (pulse_ts)
		*pulse_ts = d->closed_at;
	return 1;
}

int debounce_edge(struct debounce *d, int64_t ts_ns, int level, int64_t *pulse_ts)
{
	if (d->have_ts && ts_ns < d->last_ts)
		return -1;
	d->have_ts = true;
	d->last_ts = ts_ns;
	bool closed = level != 0;
	if (closed == d->closed)
		return 0;
	d->closed = closed;
	if (closed) {
		d->closed_at = ts_ns;
		d->counted = false;
		return 0;
	}
	if (d->counted)
		return 0;
	if (ts_ns - d->closed_at >= d->min_ns)
		return s_count(d, pulse_ts);
	d->short_closures++;
	return 0;
}

int debounce_poll(struct debounce *d, int64_t now_ns, int64_t *pulse_ts)
{
	if (!d->closed || d->counted || !d->have_ts || now_ns - d->closed_at < d->min_ns)
		return 0;
	return s_count(d, pulse_ts);
}

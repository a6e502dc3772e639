/* debounce: see debounce.h. */
#include "debounce.h"

#define MS 1000000

void debounce_init(struct debounce *d, int64_t min_ms, int64_t min_open_ms, bool closed)
{
	*d = (struct debounce){ .closed = closed, .in_closure = closed, .counted = closed };
	debounce_set(d, min_ms, min_open_ms);
}

void debounce_set(struct debounce *d, int64_t min_ms, int64_t min_open_ms)
{
	d->min_ns = min_ms * MS;
	d->min_open_ns = min_open_ms * MS;
}

static int s_count(struct debounce *d, int64_t *pulse_ts)
{
	d->counted = true;
	if (pulse_ts)
		*pulse_ts = d->closed_at;
	return 1;
}

/* An opening that has lasted min_open_ns by now ends the closure. */
static void s_settle(struct debounce *d, int64_t now_ns)
{
	if (d->closed || !d->in_closure || now_ns - d->opened_at < d->min_open_ns)
		return;
	d->in_closure = false;
	if (!d->counted)
		d->short_closures++;
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
	if (closed) {
		s_settle(d, ts_ns);
		d->closed = true;
		if (!d->in_closure) { /* a new closure; else chatter goes on with the old one */
			d->in_closure = true;
			d->closed_at = ts_ns;
			d->counted = false;
		}
		return 0;
	}
	d->closed = false;
	d->opened_at = ts_ns;
	if (!d->counted && ts_ns - d->closed_at >= d->min_ns)
		return s_count(d, pulse_ts);
	return 0;
}

int debounce_poll(struct debounce *d, int64_t now_ns, int64_t *pulse_ts)
{
	if (!d->have_ts)
		return 0;
	/* an edge reaches us a moment after its timestamp: a re-closing still
	 * on its way must not find its closure already ended, nor an opening
	 * find a closure counted that was shorter than the minimum */
	int64_t sure_ns = now_ns - DEBOUNCE_LATE_NS;
	s_settle(d, sure_ns);
	if (!d->closed || d->counted || sure_ns - d->closed_at < d->min_ns)
		return 0;
	return s_count(d, pulse_ts);
}

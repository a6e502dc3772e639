/* debounce: turns one input's contact edges into counted pulses.  Every
 * source (gpio, sim, file) feeds its edges here, so the counting rule is
 * one piece of code whatever the edges come from.
 *
 * The rule (the manual's "minimum pulse duration"): a pulse counts when the
 * contact has stayed closed for at least min_ns without a break, measured
 * on the edges' own timestamps.  It counts once per closure: bounce while
 * closing (closed, open, closed within microseconds) only restarts the
 * closure, a blip shorter than min_ns never counts, and a contact that
 * stays closed for minutes counts once (no maximum duration).  A closure
 * counts either at its opening edge or, while still closed, as soon as
 * debounce_poll() sees min_ns passed, so a long pulse is not held back. */
#ifndef PULSED_DEBOUNCE_H
#define PULSED_DEBOUNCE_H

#include <stdbool.h>
#include <stdint.h>

struct debounce {
	int64_t min_ns;
	bool closed;      /* the contact's state after the last edge */
	bool counted;     /* the current closure has been counted */
	bool have_ts;     /* an edge has been seen: last_ts is meaningful */
	int64_t closed_at; /* timestamp of the edge that began this closure */
	int64_t last_ts;
	uint64_t short_closures; /* closures that ended before min_ns */
};

/* Starts in the given state.  A contact already closed when counting
 * starts (a restart in the middle of a pulse) is taken as counted: a pulse
 * may be missed at a restart, never counted twice. */
void debounce_init(struct debounce *d, int64_t min_ms, bool closed);

/* Feeds one edge: level 1 = contact closed, 0 = open.  Returns the number
 * of pulses this edge completes (0 or 1) and, when 1, the pulse's time (the
 * closing edge's timestamp) in *pulse_ts; -1 when ts is before the previous
 * edge's (the edge is ignored).  An edge repeating the current state
 * changes nothing. */
int debounce_edge(struct debounce *d, int64_t ts_ns, int level, int64_t *pulse_ts);

/* Counts the current closure if it has lasted min_ns by now_ns (the same
 * clock as the edges).  0 or 1, with *pulse_ts as for debounce_edge. */
int debounce_poll(struct debounce *d, int64_t now_ns, int64_t *pulse_ts);

#endif

/* debounce: turns one input's contact edges into counted pulses.  Every
 * source (gpio, sim, file) feeds its edges here, so the counting rule is
 * one piece of code whatever the edges come from.
 *
 * The rule has two thresholds, both measured on the edges' own timestamps:
 *  - min_open_ns: an opening shorter than this is chatter, not the end of
 *    a pulse: the contact is taken as closed throughout.  A reed contact
 *    chatters for a few ms when it closes and when it opens; a meter's S0
 *    output (IEC 62053-31 4.1.3) holds every OFF state for >= 30 ms and
 *    bounces for < 5 ms, so an opening shorter than 30 ms was never a gap
 *    between two pulses.  0 takes every opening as real.
 *  - min_ns (the manual's "minimum pulse duration"): a closure counts
 *    when it has lasted at least this long, from its first closing edge,
 *    chatter included.
 * A closure counts once: chatter while closing or while opening never
 * counts twice, a blip shorter than min_ns never counts, and a contact
 * that stays closed for minutes counts once (no maximum duration).  It
 * counts either at an opening edge or, while still closed, when
 * debounce_poll() sees min_ns passed (DEBOUNCE_LATE_NS ago), so a long
 * pulse is not held back. */
#ifndef PULSED_DEBOUNCE_H
#define PULSED_DEBOUNCE_H

#include <stdbool.h>
#include <stdint.h>

struct debounce {
	int64_t min_ns, min_open_ns;
	bool closed;      /* the contact's state after the last edge */
	bool in_closure;  /* closed, or open for less than min_open_ns so far */
	bool counted;     /* the current (or last) closure has been counted */
	bool have_ts;     /* an edge has been seen: last_ts is meaningful */
	int64_t closed_at; /* timestamp of the edge that began this closure */
	int64_t opened_at; /* timestamp of the last opening edge */
	int64_t last_ts;
	uint64_t short_closures; /* closures that ended (opening >= min_open) before min_ns */
};

/* Starts in the given state; min_ms >= 1, min_open_ms >= 0 (ms).  A
 * contact already closed when counting starts (a restart in the middle of
 * a pulse) is taken as counted: a pulse may be missed at a restart, never
 * counted twice. */
void debounce_init(struct debounce *d, int64_t min_ms, int64_t min_open_ms, bool closed);

/* Changes the thresholds (a config reload) keeping the contact's state. */
void debounce_set(struct debounce *d, int64_t min_ms, int64_t min_open_ms);

/* Feeds one edge: level 1 = contact closed, 0 = open.  Returns the number
 * of pulses this edge completes (0 or 1) and, when 1, the pulse's time (the
 * closing edge's timestamp) in *pulse_ts; -1 when ts is before the previous
 * edge's (the edge is ignored).  An edge repeating the current state
 * changes nothing. */
int debounce_edge(struct debounce *d, int64_t ts_ns, int level, int64_t *pulse_ts);

/* How late an edge may reach debounce_edge after its timestamp: a poll
 * counts a closure still closed only when it had lasted min_ns this long
 * ago, and ends one (for short_closures) only when its opening had lasted
 * min_open_ns this long ago.  pulsed reads edges as they come and polls
 * once a second, so no edge is a second late; a pulse of minutes counts a
 * second after its minimum. */
#define DEBOUNCE_LATE_NS 1000000000LL

/* Counts the current closure if it had lasted min_ns DEBOUNCE_LATE_NS
 * before now_ns (the same clock as the edges), and ends one whose opening
 * had lasted min_open_ns by then.  0 or 1, with *pulse_ts as for
 * debounce_edge. */
int debounce_poll(struct debounce *d, int64_t now_ns, int64_t *pulse_ts);

#endif

/* timeline: when a minute ends and which minute a closed one was, kept
 * apart from the clocks themselves so tests can drive it with any clocks.
 *
 * Minutes are scheduled on the monotonic clock.  While the wall clock is
 * trusted, a minute ends at the first wall-clock minute boundary at least
 * a guard (1/60 of a minute) after the previous end, so a timer that fires
 * a little early or late neither makes a sliver of a minute nor skips one.
 * While it is not trusted (a board without RTC boots in 1970), minutes are
 * a minute of monotonic time each and cannot be stamped yet.
 *
 * A minute is stamped with the wall minute containing its middle, computed
 * from the monotonic clock and the wall clock's offset (wall - mono) as
 * last observed while trusted.  So minutes held from before the clock was
 * known get their true times once it is ("restamped"), and after a clock
 * step every minute still open is stamped in the corrected time.
 * No stamp is ever given twice, nor one at or before the newest minute
 * stored (the floor): a minute that would get one (the clock set back, a
 * restart within a stored minute, the first sync) has no stamp of its own
 * and its readings go into the next minute that has (docs/STORE.md, Time).
 *
 * Fast mode (minute_ms < 60000, for tests only): a minute lasts minute_ms
 * of monotonic time and minutes are stamped consecutively from a start the
 * caller gives (after the newest stored minute), whatever the wall clock. */
#ifndef STORAGED_TIMELINE_H
#define STORAGED_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#define TIMELINE_STEP_MS 2000 /* an offset change beyond this is a clock step */

struct timeline {
	int64_t minute_ms;
	bool fast;
	int64_t fast_next_ts;
	bool trusted;    /* the wall clock may stamp data now */
	bool have_off;   /* off_ms was observed while trusted */
	int64_t off_ms;  /* wall - mono */
	int64_t start_ms, end_ms; /* the open minute, monotonic */
	uint64_t steps;  /* clock steps seen */
	int64_t floor_ts; /* the newest minute stamped or stored (Unix s) */
};

/* Opens the first minute at mono_ms.  first_ts: in fast mode, the stamp
 * of the first minute. */
void timeline_init(struct timeline *t, int64_t minute_ms, int64_t mono_ms, int64_t first_ts);
/* Takes in the clocks.  Returns true when the open minute's end moved (the
 * clock became trusted, or stepped): the caller re-arms its timer. */
bool timeline_observe(struct timeline *t, int64_t mono_ms, int64_t wall_ms, bool trusted);
/* Raises the floor to ts (Unix s): the newest minute in the store. */
void timeline_floor(struct timeline *t, int64_t ts);
/* True once minutes can be stamped (the wall clock was trusted once). */
bool timeline_known(const struct timeline *t);
/* The stamp (Unix s) of the minute [start_ms, end_ms), which becomes the
 * floor; -1 while the wall clock has never been trusted; 0 when the
 * minute's stamp is not after the floor: the minute has no stamp of its
 * own and the caller carries its readings into the next one (a committed
 * minute is immutable, docs/STORE.md, Time).  Call once per closed minute,
 * in order. */
int64_t timeline_stamp(struct timeline *t, int64_t start_ms, int64_t end_ms);
/* Closes the open minute at mono_ms (its end is set to mono_ms) and opens
 * the next; *start and *end receive the closed minute's span. */
void timeline_close(struct timeline *t, int64_t mono_ms, int64_t *start, int64_t *end);

#endif

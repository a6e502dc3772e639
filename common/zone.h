/* zone: the local hours and days of a time zone, for history answered in
 * the hub's zone (storaged's history, the web API's ranges; docs/STORE.md,
 * History).  The zone is the process's: zone_use sets TZ (the C library
 * has no other way to a named zone), so only single-threaded programs use
 * it, and zone_restore puts the old TZ back. */
#ifndef COMMON_ZONE_H
#define COMMON_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZONE_NAME_MAX 64

/* Whether name is a zone of the zone database ($TZDIR, else
 * /usr/share/zoneinfo), or "UTC": a name of letters, digits, / _ + - (no
 * "..", not starting with /) of a regular file there that begins as a
 * zone file does ("TZif", RFC 8536) — not a directory of zones (Europe)
 * nor a table.  tzset() takes an unknown name for UTC without a word,
 * which would shift every day of an answer.  config_format's timezone
 * holds interface.timezone to this rule. */
bool zone_known(const char *name);

struct zone_saved {
	bool had, set;
	char tz[256];
};
/* Makes name the process's zone, the old TZ kept in *saved (name must be
 * zone_known). */
void zone_use(const char *name, struct zone_saved *saved);
void zone_restore(struct zone_saved *saved);

/* The bucket of step seconds holding ts (Unix s) in the process's zone:
 * step 60, a minute; 3600, a local hour (which begins at a whole hour of
 * its offset); 86400, a local day from midnight to midnight, 23 or 25
 * hours across a change of the clocks.  Its start into *start and its end
 * into *end (never at or before ts). */
void zone_bucket(int64_t ts, int64_t step, int64_t *start, int64_t *end);

/* Whether the process's zone is a whole number of hours off UTC at from
 * and at to (Unix s): its local hours are then UTC's hours.  (A zone
 * whose offset is whole hours at both ends and not between does not
 * exist.) */
bool zone_whole_hours(int64_t from, int64_t to);

#endif

/* health: the values the health alarms watch, read from the other
 * daemons' statuses (docs/BUS.md), as pure functions so each reading of a
 * status is table-tested. */
#ifndef ALARMD_HEALTH_H
#define ALARMD_HEALTH_H

#include <jansson.h>
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#define HEALTH_TARGETS 8

/* Upload targets behind: for each enabled target with records pending
 * (backlog or in_flight > 0), the seconds since its last delivery
 * (last_success), or, when it never delivered, since behind_since[i] (the
 * first time now_s saw it behind; kept by the caller, 0 when not behind,
 * matched by names[i]).  Returns the largest, 0 when none is behind, and
 * names that target and its backlog in detail. */
double health_upload_backlog(const json_t *uploadd_status, double now_s, double behind_since[HEALTH_TARGETS],
			     char names[HEALTH_TARGETS][65], char *detail, size_t len);

/* Wiring faults meterd reports for meter (1..8): its entries in the
 * status's "wiring" list whose verdict says something is wired wrong
 * (wrong_phase, reversed, no_ct, no_voltage, rotation_reversed:
 * docs/METERING.md), or, from a meterd without that list, in
 * "reversed_ct".  The count; detail: the first one's phase and reason. */
int health_wiring(const json_t *meterd_status, int meter, char *detail, size_t len);

/* Share of the store's limit used, in % (bytes / max_mb), or 100 when
 * storaged reports a fault (a failing card).  false when the status says
 * neither. */
bool health_disk(const json_t *storaged_status, double *pct, char *detail, size_t len);

/* Seconds a source has been silent at now_ms (monotonic ms): since its
 * last reading (last_ms, 0: none yet) or since the rule came into force
 * (watched_ms: alarmd's start, or when the meter or probe was switched
 * on), whichever is later, so a source just switched on is not silent
 * for as long as alarmd has run. */
double health_silent_s(int64_t last_ms, int64_t watched_ms, int64_t now_ms);

/* A daemon's starts as alarmd sees them in its statuses (docs/BUS.md:
 * every status has pid and uptime_s): a pid not seen before is a start,
 * at now_s - uptime_s.  Starts closer together than alarmd's poll
 * (ALARMD_POLL_MS) can be seen as one; a daemon that dies before it
 * answers one status is not seen at all. */
#define HEALTH_STARTS_MAX 64
struct health_starts {
	int pid;                         /* the last seen, 0: none yet */
	double at[HEALTH_STARTS_MAX];    /* Unix s, oldest first */
	size_t n;
};
/* Shows s the status's pid and uptime_s (pid <= 0: none, just counts)
 * at now_s; forgets starts before now_s - window_s and returns how many
 * remain. */
int health_starts_seen(struct health_starts *s, int pid, double uptime_s, double now_s, double window_s);

#endif

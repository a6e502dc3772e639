/* clock: the two clocks every daemon uses.  Wall time (Unix seconds, UTC,
 * fractional) stamps messages; the monotonic clock drives timers, so a step
 * of the wall clock (NTP at boot) never bursts or skips a timer. */
#ifndef HUB_CLOCK_H
#define HUB_CLOCK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/timex.h>
#include <time.h>

double clock_wall(void);          /* CLOCK_REALTIME, seconds */
int64_t clock_mono_ms(void);      /* CLOCK_MONOTONIC, milliseconds */
int64_t clock_mono_ns(void);      /* CLOCK_MONOTONIC, nanoseconds */

/* True when the wall clock can stamp stored data: the year is not before
 * this tree's (a board without an RTC boots in 1970) and, when
 * require_kernel_sync is set (config network.require_ntp_sync, on a device
 * that runs an NTP client), the kernel says it is synchronised (adjtimex
 * reports no TIME_ERROR).  A machine with no NTP client always reports
 * TIME_ERROR, which is why that second test is optional. */
bool clock_wall_synchronised(bool require_kernel_sync);

/* The wall clock's state, as every daemon publishes it in its status
 * ("clock", docs/SYSTEM.md), from one rule so that storaged (whether it
 * stores), paneld (the LED's ntp_failed), alarmd (the clock health alarm)
 * and the System Status page agree on "time known". */
enum clock_state {
	CLOCK_IMPLAUSIBLE,    /* before this tree's year: a board without RTC, no NTP yet */
	CLOCK_UNSYNCHRONISED, /* plausible, but the kernel says not synchronised */
	CLOCK_SYNCHRONISED,   /* the kernel says an NTP client disciplines it */
};

struct clock_sync {
	enum clock_state state;
	bool required; /* network.require_ntp_sync */
	bool known;    /* the wall clock may stamp stored data: SYNCHRONISED, or UNSYNCHRONISED when not required */
	/* the kernel's estimates (adjtimex(2) maxerror, esterror), microseconds;
	 * -1 when the kernel gave none */
	int64_t maxerror_us, esterror_us;
};

/* From one reading of the kernel: now (Unix seconds), adjtimex's return
 * value rc (-1: the call failed) and its struct.  Synchronised means rc is
 * neither -1 nor TIME_ERROR and STA_UNSYNC is clear (the kernel sets it
 * when no NTP client has updated it for maxerror to stay below 16 s,
 * kernel/time/ntp.c).  Pure, for the tests. */
void clock_sync_from(struct clock_sync *s, time_t now, int rc, const struct timex *tx, bool require_kernel_sync);
/* The same from the kernel now. */
void clock_sync_read(struct clock_sync *s, bool require_kernel_sync);
const char *clock_state_name(enum clock_state st); /* "implausible", "unsynchronised", "synchronised" */
/* {"state","known","required","maxerror_us","esterror_us"} (the two
 * estimates null when unknown); NULL only when out of memory. */
json_t *clock_sync_json(const struct clock_sync *s);

#endif

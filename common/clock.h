/* clock: the two clocks every daemon uses.  Wall time (Unix seconds, UTC,
 * fractional) stamps messages; the monotonic clock drives timers, so a step
 * of the wall clock (NTP at boot) never bursts or skips a timer. */
#ifndef HUB_CLOCK_H
#define HUB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

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

#endif

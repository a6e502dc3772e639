/* ratelimit: failed logins slow down, per client address (ETSI EN 303 645
 * provision 5.1-5: brute force made impracticable).  After
 * RATELIMIT_FREE failures in a row, each further attempt must wait 1 s,
 * then 2, 4 ... up to RATELIMIT_MAX_S after the last failure.  State: one
 * small file per address in a 0700 directory ($ENISCOPE_RUNDIR/web/logins),
 * updated under its flock so parallel attempts all count. */
#ifndef WEB_RATELIMIT_H
#define WEB_RATELIMIT_H

#include <stdbool.h>

#define RATELIMIT_FREE 3
#define RATELIMIT_MAX_S 300
/* Addresses counted apart at most; beyond, the counts that make nobody
 * wait now go (their count is forgotten), and while all still make their
 * address wait, a new address counts in the shared "other" bucket: a flood
 * of addresses cannot fill the disk */
#define RATELIMIT_ADDRS 1024

/* The wait after failures failures in a row, in seconds. */
long ratelimit_delay_s(int failures);
/* Milliseconds addr must still wait before its next attempt (0: go
 * ahead); now_ms is wall time in ms (kept in ms so that a wait of 1 s is
 * 1 s, not whatever is left of the current second). */
long long ratelimit_wait(const char *dir, const char *addr, long long now_ms);
/* Records an attempt's outcome at now_ms: a success clears addr's count. */
void ratelimit_record(const char *dir, const char *addr, long long now_ms, bool success);

#endif

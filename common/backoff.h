/* backoff: how long to wait before trying again after failures, the one
 * rule every daemon uses for something that fails and will be retried (a
 * source that cannot be opened, a card that fails writes, a broker that
 * refuses, a receiver that is down): the first wait min_ms, each one after
 * twice the last, never above max_ms; a success starts it over.  Doubling
 * finds the pace of a long outage in a few tries without hammering what is
 * down; the cap keeps the hub from waiting long after it came back. */
#ifndef COMMON_BACKOFF_H
#define COMMON_BACKOFF_H

#include <stdint.h>

struct backoff {
	int64_t min_ms, max_ms;
	int64_t next_ms; /* the wait the next failure gets; 0: min_ms */
};

#define BACKOFF_INIT(min, max) { .min_ms = (min), .max_ms = (max), .next_ms = 0 }

/* The wait after one more failure, ms: min_ms, 2·min_ms, ... max_ms. */
int64_t backoff_failed(struct backoff *b);
/* The wait the next failure will get, without counting one. */
int64_t backoff_next(const struct backoff *b);
/* A success: the next failure waits min_ms again. */
void backoff_reset(struct backoff *b);
/* The same step without state, in any unit: after `failures` (>= 1)
 * failures in a row, min·2^(failures-1), never above max (no overflow for
 * any count).  uploadd's jittered retry and the web login's rate limit
 * step so. */
int64_t backoff_step(int64_t min, int64_t max, unsigned failures);

#endif

/* backoff: how long to wait before trying again after failures in a row,
 * one policy for every daemon that retries something over the network
 * (uploadd's batches, alarmd's e-mails and webhooks): capped exponential
 * backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff
 * and Jitter", 2015), so many hubs failing at once spread out and none
 * hammers the server. */
#ifndef COMMON_BACKOFF_H
#define COMMON_BACKOFF_H

#include <stdint.h>

/* The wait before attempt number failures + 1 (failures >= 1; 0 is taken
 * as 1): the step base_ms·2^(failures-1), capped at cap_ms (raised to
 * base_ms when smaller), half of it fixed and half scaled by jitter in
 * [0, 1) (clamped).  So the wait is within [step/2, step], never above
 * cap_ms. */
int64_t backoff_ms(unsigned failures, int64_t base_ms, int64_t cap_ms, double jitter);

#endif

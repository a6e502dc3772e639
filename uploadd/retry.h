/* retry: what uploadd does after each answer, as pure functions so the
 * policy is one table-tested place (docs/UPLOAD.md, "Retry policy"):
 *
 *   2xx                      delivered: ack the cursor
 *   400, 413, 422            the batch is bad: split it; a single record
 *                            the receiver still refuses is set aside
 *   401, 403                 credentials: pause until they change (and a
 *                            slow retry, in case they were fixed remotely)
 *   anything else            retry forever with capped exponential backoff
 *   (network errors, timeouts, 408, 429, 5xx, 3xx, 404 ...)
 *                            and jitter, honouring Retry-After */
#ifndef UPLOADD_RETRY_H
#define UPLOADD_RETRY_H

#include "curl_loop.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

enum retry_action {
	RETRY_DELIVERED, /* ack */
	RETRY_SPLIT,     /* bisect, set aside single bad records */
	RETRY_PAUSE,     /* credentials refused */
	RETRY_BACKOFF,   /* try the same again later */
};

/* http_code 0 means no HTTP answer (network error, timeout). */
enum retry_action retry_classify(long http_code);
const char *retry_action_name(enum retry_action a);

#define RETRY_BASE_MS 1000
#define RETRY_PAUSED_MS (15 * 60 * 1000) /* the slow retry of a paused target */

/* The wait before attempt number `failures` + 1: common/backoff.h's
 * backoff_ms from RETRY_BASE_MS.  (Retry-After is read by
 * common/curl_loop.h's retry_after_parse.) */
int64_t retry_backoff_ms(unsigned failures, int64_t cap_ms, double jitter);

/* The wait after a failed attempt that asked to back off: the backoff, or
 * the server's Retry-After when it gave one (clamped to [0, max_after_ms],
 * never below 1 s so a "0" does not become a tight loop). */
int64_t retry_delay_ms(unsigned failures, int64_t cap_ms, double jitter, bool have_after, int64_t after_s,
		       int64_t max_after_ms);

#endif

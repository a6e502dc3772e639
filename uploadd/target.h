/* target: one upload target and its own storaged cursor
 * ("upload:<name>"), driven by its own timer, so one slow or failing
 * target never holds back another.  The cycle:
 *
 *   fetch a batch after the cursor -> set aside records whose time is not
 *   known -> POST a slice -> 2xx: ack the cursor past it, next slice, next
 *   batch at once while storaged has more, else after interval_s
 *
 * Failures follow retry.h: backoff (forever, same slice), pause on 401/403
 * (slow retry; a config change with new credentials resumes it), split on
 * 400/413/422 (bisect until the refused records stand alone, set those
 * aside in storaged with the receiver's reason, and go on).  The cursor
 * moves only after a 2xx or a successful set-aside, so a crash or a kill
 * at any point re-sends at most the slice that was in flight. */
#ifndef UPLOADD_TARGET_H
#define UPLOADD_TARGET_H

#include "buf.h"
#include "daemon.h"
#include "curl_loop.h"
#include "hubinfo.h"
#include "payload.h"
#include "storecli.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct target_env {
	struct daemon *daemon;
	struct curl_loop *http;
	const struct storecli *store;
	const struct hubinfo *hub;
};

struct target_stats {
	uint64_t bytes_sent, records_sent, requests, set_aside, splits;
	double last_success; /* wall time; 0: never */
	double last_error_time;
	long last_error_http;
	int last_error_curl;
	char last_error[512];
};

struct target;

/* A target for the config object tcfg (an element of "upload"), with its
 * counters carried over from a previous incarnation when prev_stats is
 * not NULL.  NULL with a reason. */
struct target *target_new(const struct target_env *env, const json_t *tcfg, const struct target_stats *prev_stats,
			  char *err, size_t errlen);
void target_destroy(struct target **t);

const char *target_name(const struct target *t);
const json_t *target_config(const struct target *t);
const struct target_stats *target_stats(const struct target *t);
bool target_enabled(const struct target *t);
bool target_checkin(const struct target *t);
bool target_paused(const struct target *t);
/* The storaged consumer name, "upload:<name>". */
const char *target_consumer(const struct target *t);
/* The URL a check-in goes to ("" when the target does not take one). */
const char *target_checkin_url(const struct target *t);
/* Fills an http_request with the target's auth, TLS and timeouts. */
void target_request_base(const struct target *t, struct http_request *req);

/* True when a check-in is due (checkin on, none in flight, the last good
 * one more than a day ago or never). */
bool target_checkin_due(const struct target *t, double now);
/* POSTs a check-in document (copied) to target_checkin_url. */
void target_checkin_send(struct target *t, const char *json);

/* Sets the backlog storaged reports for this target (-1: unknown). */
void target_set_backlog(struct target *t, int64_t pending);
/* The status object of docs/UPLOAD.md (a new reference). */
json_t *target_status(const struct target *t);

#endif

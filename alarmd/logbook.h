/* logbook: the alarm log kept through storaged (docs/STORE.md, Alarm
 * log).  Each event alarmd sends is owed to storaged's log until storaged
 * has answered that it holds it: sent with alarm-log-add, up to
 * LOGBOOK_BATCH at a time, oldest first, one call in flight, on the
 * loop's ctl_client (a storaged that is down, slow or failing its card
 * delays nothing else); a refused or unanswered call is tried again after
 * common/backoff.h's wait (LOGBOOK_RETRY_MIN_MS doubling to
 * LOGBOOK_RETRY_MAX_MS).  storaged stores an event it already has only
 * once, so a retry after a lost answer is harmless.  What is owed is
 * kept in alarmd's state file (state.h), so a restart of alarmd loses
 * none; at most LOGBOOK_MAX are owed (the oldest go, counted). */
#ifndef ALARMD_LOGBOOK_H
#define ALARMD_LOGBOOK_H

#include "backoff.h"
#include "ctl.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define LOGBOOK_MAX 1000
#define LOGBOOK_BATCH 100 /* storaged's STORE_ALARM_LOG_BATCH */
#define LOGBOOK_TIMEOUT_MS 5000
#define LOGBOOK_RETRY_MIN_MS 1000
#define LOGBOOK_RETRY_MAX_MS 60000

struct logbook {
	struct ctl_client *storaged;
	json_t *owed;         /* the events not yet stored, oldest first */
	size_t sending;       /* how many of the first ones the call in flight carries */
	uint64_t call;        /* in flight, or 0 */
	struct backoff retry;
	int64_t next_ms;      /* no call before this (monotonic) */
	uint64_t stored, dropped;
	char last_error[256];
	bool changed;         /* owed changed since the caller last saved it */
};

/* Empty, on storaged's control socket through c (borrowed). */
void logbook_init(struct logbook *b, struct ctl_client *c);
void logbook_fini(struct logbook *b);
/* Owes event (a reference is taken). */
void logbook_add(struct logbook *b, json_t *event);
/* Owes the events of list (an array, e.g. from the state file), before
 * any added since. */
void logbook_restore(struct logbook *b, const json_t *list);
/* Sends what is owed when no call is in flight and the wait is over
 * (call every tick). */
void logbook_run(struct logbook *b, int64_t now_ms);
/* {"pending","stored","dropped","last_error"} for the status. */
json_t *logbook_status(const struct logbook *b);

#endif

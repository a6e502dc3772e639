/* storaged: the application state main.c wires into the daemon skeleton:
 * the minute being collected (agg), the minute schedule (timeline), the
 * queue of closed minutes not yet on the card, and the store. */
#ifndef STORAGED_STORAGED_H
#define STORAGED_STORAGED_H

#include "agg.h"
#include "backoff.h"
#include "daemon.h"
#include "fault.h"
#include "identity.h"
#include "store.h"
#include "timeline.h"

#include <stdbool.h>
#include <stdint.h>

/* Closed minutes kept in memory while they cannot be written (clock not
 * yet known, card failing): 12 hours of 8 meters + 8 pulses + 8 probes.
 * Beyond that the oldest go, counted in dropped_unuploaded. */
#define STORAGED_QUEUE_MAX (24 * 60 * 12)
#define STORAGED_RETRY_MIN_MS 1000 /* a failing card is tried again after 1 s, doubling ... */
#define STORAGED_RETRY_MAX_MS 30000 /* ... up to this */
/* Minutes written in one transaction when catching up after a fault. */
#define STORAGED_CATCHUP_MINUTES 60

struct queued {
	struct record r; /* ts 0: not stamped yet */
	int64_t start_ms, end_ms;
};

struct storaged {
	struct daemon *daemon;
	struct bus_sub *sub;
	struct store *store;
	char datadir[4096];
	struct agg agg;
	struct timeline tl;
	struct daemon_timer *minute_timer;
	int64_t minute_ms;
	/* config */
	char mac[IDENTITY_MAC_LEN];
	bool require_sync;
	int retention_days;
	int64_t max_bytes;
	/* "upload:<name>" of each configured upload target (store_set_owners) */
	char owners[STORE_OWNED_MAX][STORE_CONSUMER_NAME_MAX + 1];
	int nowners;
	/* closed minutes not yet stored, oldest first */
	struct queued *queue;
	size_t qhead, qlen;
	/* minutes with no stamp of their own (a clock set back), waiting for
	 * the next minute after the newest stored one (docs/STORE.md, Time) */
	struct agg_carry carry;
	int64_t dropped_in_memory; /* not yet added to the store's counter */
	/* fault state */
	struct fault fault; /* the card's, with its class */
	enum store_error fault_class;
	char moved_aside[4400];
	char damage_found[1024]; /* a query's reason: salvage at the next open */
	char damage[2048];       /* what the last salvage did (status) */
	int64_t retry_at_ms;
	struct backoff retry; /* after the card failed */
	int64_t last_retain_ms;
	/* counters */
	uint64_t minutes_committed, records_written, readings, rejected, minutes_carried;
	int64_t last_commit_ts;
};

extern const struct daemon_ops storaged_ops;

/* Sets up everything but the daemon (which main.c creates first) and the
 * config (applied after, by daemon_run); opens the store, or records why
 * it cannot.  minute_ms: 60000, or shorter for
 * tests (timeline.h, fast mode). */
int storaged_init(struct storaged *s, struct daemon *d, const char *datadir, int64_t minute_ms);
void storaged_fini(struct storaged *s);
/* The once-a-second housekeeping: clocks, stamping, retries, retention. */
void storaged_tick(struct daemon *d, void *ud);
/* Closes the minute when it is due (the minute timer). */
void storaged_minute(struct daemon *d, void *ud);
/* Writes whatever the queue holds that can be written now. */
void storaged_flush(struct storaged *s);

#endif

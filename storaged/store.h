/* store: the SQLite database on the SD card ($ENISCOPE_DATA/store.db), in
 * WAL mode with synchronous=FULL: a write that returned 0 survives a power
 * cut.  docs/STORE.md describes the schema, the retention rules and why the
 * records are laid out as they are.
 *
 * Every call that fails returns -1 with a reason and leaves the database
 * as it was (one transaction each); store_error_class() then says whether
 * the card is full, read-only, failing, or the file is corrupt, which the
 * daemon turns into its fault state. */
#ifndef STORAGED_STORE_H
#define STORAGED_STORE_H

#include "record.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 3
#define STORE_FILE "store.db"
#define STORE_BATCH_MAX 1000
#define STORE_HISTORY_POINTS_MAX 50000
#define STORE_EXPORT_RANGE_MAX (31 * 86400)
#define STORE_CONSUMER_NAME_MAX 64
/* Consumers (docs/STORE.md, Consumers): upload targets own theirs (the
 * config has at most 8); other readers share the rest of the 32 cursors,
 * and theirs expire after a day unused. */
#define STORE_CONSUMERS_MAX 32
#define STORE_OWNED_MAX 8
#define STORE_GUESTS_MAX (STORE_CONSUMERS_MAX - STORE_OWNED_MAX)
#define STORE_GUEST_IDLE_S (24 * 3600)

enum store_error {
	STORE_OK,
	STORE_FULL,     /* the card (or max_mb) is full */
	STORE_READONLY, /* the card or file cannot be written */
	STORE_IOERR,    /* the card failed a read, write or fsync */
	STORE_CORRUPT,  /* the file is not a sound database */
	STORE_OTHER,
};

struct store;

/* What a salvage of a damaged database did (docs/STORE.md, Damage). */
struct store_salvage {
	char moved_aside[4300]; /* where the damaged file went; "" when none was */
	char why[1024];         /* the damage found */
	int64_t salvaged;       /* records copied into the new database */
	int64_t lost;           /* records that could not be read; -1 unknown */
	int64_t lost_unuploaded; /* of those, not acknowledged by every consumer */
};

/* Opens (creating and migrating) dir/store.db.  A damaged one (found so
 * at open, or damage != NULL: the reason a query failed on it) is renamed
 * to store.db.corrupt-<unix time> (with its -wal and -shm), what can be
 * read of it (records, sources, cursors, counters) is copied into a new
 * one, whose ids go on past the highest ever issued (kept in dir/store.ids
 * as well), and the lost records are counted in lost_to_damage and, when
 * not yet uploaded, dropped_unuploaded; *salvage (may be NULL) says what
 * happened, moved_aside "" when nothing was.  NULL with a reason and
 * store_open_error() when the card cannot be used at all. */
struct store *store_open(const char *dir, const char *damage, struct store_salvage *salvage, char *err,
			 size_t errlen);
enum store_error store_open_error(void);
void store_close(struct store **st);
/* The class of the last failure. */
enum store_error store_error_class(const struct store *st);
const char *store_error_name(enum store_error e);

/* Writes the records in one transaction and sets their ids.  A record
 * whose source and minute are already stored is not written (a committed
 * minute is immutable, docs/STORE.md, Time): its id stays 0, it is counted
 * in dropped_unuploaded and logged.  -1 leaves nothing written and the
 * records' ids at 0. */
int store_write(struct store *st, struct record *recs, size_t n, char *err, size_t errlen);

/* Retention: removes what is older than retention_days (records and
 * those set aside), then, while the
 * data uses more than max_bytes, the oldest records, uploaded ones first,
 * then (unless uploaded_only) unuploaded ones, which are added to
 * dropped_unuploaded. */
int store_retain(struct store *st, int64_t now, int retention_days, int64_t max_bytes, bool uploaded_only, char *err,
		 size_t errlen);
/* True when the data is within 1/64 of max_bytes (time to retain). */
bool store_near_full(struct store *st, int64_t max_bytes);

/* The control commands of docs/STORE.md; each validated field is named in
 * err when wrong.  mac is the hub's, for rids.  NULL with err on failure. */
/* batch: records after the consumer's cursor, or after `after` when that
 * is further (a consumer reading ahead of its acks); with series, as the
 * series of common/columns.h with their count and last id. */
json_t *store_batch(struct store *st, const char *consumer, int64_t after, int max, bool series, const char *mac,
		    char *err, size_t errlen);
/* The consumers that own their cursors: "upload:<name>" of each target
 * in the config (up to STORE_OWNED_MAX).  Until it is called every
 * consumer is owned (a store opened by a tool). */
void store_set_owners(struct store *st, const char *const *names, size_t n);
/* {consumers:{C:{cursor,pending,owned,idle_s}}, consumers_max, guests,
 * guests_max, guests_refused[, consumers_full: why new guests are
 * refused]} */
json_t *store_consumers(struct store *st);
/* Removes C's cursor; an owned one starts again at the oldest record on
 * its next batch.  NULL with err when C has none. */
json_t *store_remove_consumer(struct store *st, const char *consumer, char *err, size_t errlen);
/* Removes the cursors no target owns that nobody used for
 * STORE_GUEST_IDLE_S (now_s: monotonic seconds, clock_mono_ms() / 1000);
 * how many, or -1 with err. */
int store_expire_consumers(struct store *st, int64_t now_s, char *err, size_t errlen);
json_t *store_ack(struct store *st, const char *consumer, int64_t upto, char *err, size_t errlen);
/* Only an upload target's consumer (owned) sets records aside. */
json_t *store_set_aside(struct store *st, const char *consumer, const json_t *ids, const char *reason, char *err,
			size_t errlen);
/* history: one field of a source in buckets of step seconds (60, 3600 or
 * 86400: minutes, or the hours or days of the time zone tz, an IANA name;
 * NULL: UTC) over [from, to), as storaged/history.h answers; hours and
 * days from the quarter-hour rollups (docs/STORE.md, History). */
json_t *store_history(struct store *st, enum reading_kind kind, const char *n, const char *field, int64_t from,
		      int64_t to, int64_t step, const char *tz, char *err, size_t errlen);
json_t *store_export(struct store *st, enum reading_kind kind, const char *n, int64_t from, int64_t to, const char *mac,
		     char *err, size_t errlen);
int store_reset(struct store *st, char *err, size_t errlen);
/* rows, bytes, used_bytes, oldest, newest, what store_consumers says,
 * dropped_unuploaded, lost_to_damage, set_aside, schema_version. */
json_t *store_stats(struct store *st);

int64_t store_rows(const struct store *st);
/* The newest minute stored, also before a reset-data (0 when none ever
 * was): new minutes are stamped after it. */
int64_t store_newest_ts(struct store *st);
/* Adds n to dropped_unuploaded (records lost before they reached the
 * card, e.g. the in-memory queue overflowing during a long fault). */
int store_count_dropped(struct store *st, int64_t n, char *err, size_t errlen);
int64_t store_dropped(const struct store *st);

/* The alarm log (docs/STORE.md, Alarm log): alarmd's events, each the
 * object it publishes as alarm/<id> (docs/BUS.md), kept for
 * retention_days like the records and at most STORE_ALARM_LOG_MAX of
 * them (the oldest go first); reset-data keeps it. */
#define STORE_ALARM_LOG_MAX 10000
#define STORE_ALARM_LOG_BATCH 100  /* events in one add, and in one answer */
#define STORE_ALARM_EVENT_MAX 4096 /* bytes of one event's JSON */
#define STORE_ALARM_ID_MAX 47      /* alarmd's NOTICE_ID_MAX - 1 */
/* Adds 1..STORE_ALARM_LOG_BATCH events (objects with "id", "event"
 * raised|reminded|recovered|removed and "ts" > 0), in one transaction;
 * one already stored (same id, event and ts) is not stored again, so a
 * sender that retries after a lost answer stores each event once.
 * {"added":N}, or NULL with err naming the first bad element. */
json_t *store_alarm_log_add(struct store *st, const json_t *events, char *err, size_t errlen);
/* The newest max (1..STORE_ALARM_LOG_BATCH) events with seq below before
 * (0: the newest of all), oldest first, each with its "seq":
 * {"log":[...],"more":bool} (more: older ones remain). */
json_t *store_alarm_log(struct store *st, int64_t before, int max, char *err, size_t errlen);

#endif

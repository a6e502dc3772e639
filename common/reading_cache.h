/* reading_cache: the newest reading of each source (meter, pulse input,
 * probe) a program has seen on the bus, and the one rule for whether it is
 * still news.  A reading is fresh while it is at most two of its
 * publisher's periods and a second old, by the time it arrived here: one
 * publication missed is not an outage, two are.  meterd and pulsed publish
 * every second (fresh for 3 s); tempd every temps.interval_s (2·interval
 * + 1 s: 11 s at the default 5 s, and a probe read every minute is not
 * taken for gone between its reads).  A source whose daemon stopped goes
 * stale, and a stale value is shown as absent, never as 0 nor as the last
 * value (docs/BUS.md).  meterd (a meter's linked Pulse and T), mqttd (what
 * it publishes), and the pages and alarmd use it. */
#ifndef COMMON_READING_CACHE_H
#define COMMON_READING_CACHE_H

#include "reading_schema.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The age (ms) up to which a reading of kind is fresh; probe_interval_s
 * is tempd's temps.interval_s. */
int64_t reading_fresh_ms(enum reading_kind kind, int probe_interval_s);

struct reading_entry {
	enum reading_kind kind;
	char n[READING_N_MAX]; /* "3", or a probe id */
	json_t *obj;           /* the newest reading as the owner keeps it; NULL: none yet */
	int64_t at_ms;         /* when it arrived, monotonic ms; 0: never */
};

struct reading_cache;

/* Whether e (of c; may be NULL) has a reading and it arrived at most
 * reading_fresh_ms of its kind before now_ms (monotonic ms). */
bool reading_fresh(const struct reading_cache *c, const struct reading_entry *e, int64_t now_ms);

/* Room for the 8 meters, the 8 pulse inputs and probes probes; the
 * probes' interval is the schema's default (5 s) until set. */
struct reading_cache *reading_cache_new(size_t probes);
/* tempd's temps.interval_s, from the config in force. */
void reading_cache_set_probe_interval(struct reading_cache *c, int interval_s);
void reading_cache_destroy(struct reading_cache **c);

/* The entry of a source, added (without a reading) when new: *added says
 * so.  A full kind gives the slot of its stalest source that is not fresh.
 * NULL when n is not a valid name of its kind (reading_n_valid) or every
 * slot of the kind holds a fresh reading. */
struct reading_entry *reading_cache_slot(struct reading_cache *c, enum reading_kind kind, const char *n,
					 int64_t now_ms, bool *added);
/* Stores obj (the reference is taken; released when there is no slot) as
 * the source's newest, arrived at now_ms.  The entry, or NULL as for
 * reading_cache_slot. */
struct reading_entry *reading_cache_put(struct reading_cache *c, enum reading_kind kind, const char *n, json_t *obj,
					int64_t now_ms);
/* The source's entry, NULL when never seen. */
const struct reading_entry *reading_cache_find(const struct reading_cache *c, enum reading_kind kind,
					       const char *n);
/* A meter's or pulse input's entry by number 1..8. */
const struct reading_entry *reading_cache_number(const struct reading_cache *c, enum reading_kind kind, int n);
/* Its reading when fresh, else NULL (borrowed). */
const json_t *reading_cache_fresh(const struct reading_cache *c, enum reading_kind kind, const char *n,
				  int64_t now_ms);

/* Every entry, in the order sources were first seen (one that took a
 * stale source's slot stands in its place): i < count. */
size_t reading_cache_count(const struct reading_cache *c);
const struct reading_entry *reading_cache_entry(const struct reading_cache *c, size_t i);

#endif

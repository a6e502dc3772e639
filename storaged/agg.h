/* agg: the minute being collected.  Each reading from the bus (meter/<n>/rt,
 * pulse/<n>, temp/<id>) is folded into its source's accumulator; closing
 * the minute turns every source that had readings into one record (without
 * a time: the timeline stamps it) and starts the next minute empty.
 * A reading is used whole or not at all: a payload whose fields are not
 * numbers is rejected with a reason, never half-counted. */
#ifndef STORAGED_AGG_H
#define STORAGED_AGG_H

#include "record.h"

#include <jansson.h>

#define AGG_SOURCES_MAX 48 /* 8 meters, 8 pulse inputs, 32 probes */

struct agg_source {
	enum reading_kind kind;
	char n[READING_N_MAX];
	int count;
	uint64_t mask;
	double acc[RECORD_FIELDS_MAX]; /* sum, min, max or last */
	int nacc[RECORD_FIELDS_MAX];   /* readings that had the field */
	char unit[RECORD_UNIT_MAX];
};

struct agg {
	struct agg_source src[AGG_SOURCES_MAX];
	size_t nsrc;
};

/* Folds one bus message in.  1 when used, 0 when the topic is not a
 * reading (temp/found, status/...), -1 with a reason when it is a reading
 * storaged cannot use (bad source number, a field that is not a number,
 * too many probes). */
int agg_feed(struct agg *a, const char *topic, const json_t *payload, char *err, size_t errlen);
/* Moves the minute's records into out (up to max; AGG_SOURCES_MAX always
 * fits), ts 0, and empties the accumulators.  Returns how many. */
size_t agg_close(struct agg *a, struct record *out, size_t max);
/* Readings collected in the minute so far. */
int agg_readings(const struct agg *a);

/* Minutes that have no stamp of their own (timeline_stamp 0: the clock
 * set back, a restart within a stored minute): their records wait here,
 * one per source, for the next minute that has one (docs/STORE.md, Time). */
struct agg_carry {
	struct record r[AGG_SOURCES_MAX];
	size_t n;
	int minutes;     /* minutes folded in */
	int64_t dropped; /* records of sources beyond AGG_SOURCES_MAX, lost */
};

/* Folds one minute's records in, each into its source's (record_merge). */
void agg_carry_add(struct agg_carry *c, const struct record *recs, size_t n);
/* Puts what c holds into the next minute's records recs[0..n) (room for
 * max): a source's carried readings come first, so its averages cover
 * every minute carried and its end values are this minute's; a carried
 * source this minute lacks is appended.  Each record that took carried
 * readings is marked restamped (its readings are not all of its minute).
 * Empties c; returns the new count. */
size_t agg_carry_into(struct agg_carry *c, struct record *recs, size_t n, size_t max);

#endif

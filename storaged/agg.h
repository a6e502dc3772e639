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

#endif

/* history: the answer to storaged's "history" command (docs/STORE.md):
 * one field of one source in buckets of a minute, or of an hour or a day
 * of a time zone, made from the stored minutes and quarter-hour rollups
 * fed in time order.  Every bucket is the merge of what was fed into it
 * (rollup.h), so a bucket made of rollups is the bucket made of their
 * minutes.  What a point holds is named by the answer's columns:
 *  - an averaged field: mean (null when no reading was weighed);
 *  - Pmin / Pmax: min / max;
 *  - a register or counter: delta (the rise since the end of the minute
 *    before the bucket: null when there was none) and end. */
#ifndef STORAGED_HISTORY_H
#define STORAGED_HISTORY_H

#include "rollup.h"
#include "zone.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct history {
	enum reading_kind kind;
	int field; /* index in the kind's stored fields */
	const struct reading_field *f;
	int64_t step;         /* 60, 3600 or 86400 */
	struct zone_saved saved; /* the process's TZ, put back by history_end */
	int64_t bs, be;       /* the bucket being filled: [bs, be) */
	struct rollup acc;
	bool have_prev;       /* a register's end before the current bucket */
	double prev;
	char unit[RECORD_UNIT_MAX]; /* the newest fed (a pulse input's) */
	json_t *points;
};

/* Starts an answer for field of kind at step seconds (60, 3600 or 86400:
 * a minute, a local hour, a local day) in the time zone tz (an IANA name,
 * zone_known; NULL: UTC).  Sets the process's TZ to tz until history_end (storaged is
 * single-threaded).  -1 with a reason naming the field, resolution or tz. */
int history_begin(struct history *h, enum reading_kind kind, const char *field, int64_t step, const char *tz,
		  char *err, size_t errlen);
/* The register's value at the end of the last stored minute before the
 * first one fed (for the first bucket's delta). */
void history_prev(struct history *h, double end);
/* Feeds what was stored from ts on: a minute (its start) or a rollup (its
 * period's start), which must lie within one bucket (a rollup always
 * does: buckets begin at quarter hours).  In time order. */
void history_feed(struct history *h, int64_t ts, const struct rollup *part);
/* Whether a bucket begins within [ts, ts + len) after ts (what was
 * stored there must be fed in smaller parts). */
bool history_splits(const struct history *h, int64_t ts, int64_t len);
/* The answer {"columns":[...],"unit":U,"points":[[ts,...],...]} (NULL
 * when out of memory), U the field's unit or, for a pulse total, the
 * newest fed; the process's TZ put back.  With abort (after an error),
 * only frees and puts back, and returns NULL. */
json_t *history_end(struct history *h, bool abort);

/* The columns of a field's points, after "ts" (a static list ended by
 * NULL): {"mean"}, {"min"}, {"max"} or {"delta","end"}. */
const char *const *history_columns(const struct reading_field *f);

#endif

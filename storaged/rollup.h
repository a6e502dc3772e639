/* rollup: a stretch of one source's minutes folded into one aggregate, so
 * history at hour and day resolution reads a row per quarter hour instead
 * of every minute (docs/STORE.md, History).
 *
 * What a rollup keeps of each field is what answers need from its minutes,
 * by how the minute keeps it (common/reading_schema.c's agg):
 *  - READING_AVG (V1, P, PF, T ...): the sum of the minute averages, each
 *    weighted by the readings it holds (record.count), and that weight:
 *    the mean of any set of rollups is their sums over their weights, the
 *    same as averaging the minutes themselves;
 *  - READING_MIN / READING_MAX (Pmin, Pmax): the lowest / highest;
 *  - READING_LAST (registers, pulse counters): the value of the newest
 *    minute that had it, and that minute's time.
 *
 * ROLLUP_PERIOD is 15 minutes: every time zone's offset from UTC in use is
 * a multiple of it (India +5:30, Nepal +5:45, Chatham +12:45), so the local
 * hours and days of any zone are whole numbers of rollups.
 *
 * The blob: one format byte (1); the presence mask and the "partial" mask
 * (averaged fields whose weight is not the rollup's count: a minute lacked
 * them), ceil(fields/8) bytes each; each present field little-endian:
 * float64 for an average's sum, the field's record width for the others;
 * then a uint32 weight per partial field; then the unit's bytes. */
#ifndef STORAGED_ROLLUP_H
#define STORAGED_ROLLUP_H

#include "record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROLLUP_PERIOD 900
#define ROLLUP_BLOB_MAX (1 + 2 * (RECORD_FIELDS_MAX / 8) + RECORD_FIELDS_MAX * 12 + RECORD_UNIT_MAX)

struct rollup {
	enum reading_kind kind;
	int count;       /* readings of every minute folded in */
	int64_t last_ts; /* the newest minute folded in; 0 when none */
	uint64_t mask;   /* bit i: field i present in some minute */
	double v[RECORD_FIELDS_MAX];  /* sum (averages), min, max or last value */
	int64_t w[RECORD_FIELDS_MAX]; /* averages: the readings of the minutes that had the field */
	int64_t vts[RECORD_FIELDS_MAX]; /* last values: the minute it is from */
	char unit[RECORD_UNIT_MAX];
};

/* The start of the period holding ts (Unix s, any sign). */
int64_t rollup_period(int64_t ts);

/* An empty rollup of kind. */
void rollup_init(struct rollup *ro, enum reading_kind kind);
/* Folds a stored minute in (any order: last values keep the newest). */
void rollup_add(struct rollup *ro, const struct record *r);
/* Folds b in (any order, as rollup_add). */
void rollup_merge(struct rollup *a, const struct rollup *b);

/* The blob; returns its length (at most ROLLUP_BLOB_MAX).  The last
 * values' minute times are not kept in it: within a stored rollup every
 * last value is from its newest minute or earlier, which is all an answer
 * needs (the caller keeps last_ts beside it). */
size_t rollup_encode(const struct rollup *ro, uint8_t *buf);
/* Fills ro (kind set by the caller, last_ts and count too) from a blob,
 * only the fields in want (a mask of field bits: an answer about one field
 * reads one, which is most of the time 90 days by the day take); -1 with a
 * reason when it is not one this version wrote. */
int rollup_decode(struct rollup *ro, const void *blob, size_t len, uint64_t want, char *err, size_t errlen);

#endif

/* record: one source's one minute, the unit storaged stores and serves
 * (docs/STORE.md).  The fields each kind keeps are described once, in
 * common/reading_schema.c: their JSON names, how a minute aggregates them,
 * how wide they are on disk and their bit in the blob.  Everything here
 * (the aggregation, the blob, the JSON, the CSV, the history) works from
 * that table.
 *
 * The on-disk value blob: one format byte (1), then a presence bit mask of
 * ceil(fields/8) bytes (bit i = field i of the kind's table is present),
 * then each present field little-endian, float32 for the minute averages
 * (7 significant digits: more than the ADC resolves) and float64 for
 * registers and counters (a Wh register must not lose its last digit), then
 * for a pulse input its unit as the remaining bytes. */
#ifndef STORAGED_RECORD_H
#define STORAGED_RECORD_H

#include "columns.h"
#include "reading_schema.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RECORD_FIELDS_MAX 48
#define RECORD_UNIT_MAX 16
#define RECORD_BLOB_MAX (1 + RECORD_FIELDS_MAX / 8 + RECORD_FIELDS_MAX * 8 + RECORD_UNIT_MAX)

struct record {
	int64_t id; /* 0 until stored */
	enum reading_kind kind;
	char n[READING_N_MAX];
	int64_t ts;     /* the minute's start, Unix s, a multiple of 60 */
	bool restamped; /* taken before the clock was known */
	int count;      /* readings averaged */
	uint64_t mask;  /* bit i: v[i] present */
	double v[RECORD_FIELDS_MAX];
	char unit[RECORD_UNIT_MAX];
};

/* The fields a kind keeps, in blob order (reading_stored), and how many. */
const struct reading_field *record_fields(enum reading_kind kind, size_t *count);
/* Index of a field by name in that order (its store bit), or -1. */
int record_field_index(enum reading_kind kind, const char *name);

/* The blob; returns its length (at most RECORD_BLOB_MAX). */
size_t record_encode(const struct record *r, uint8_t *buf);
/* Fills r's mask, v and unit from a blob; -1 with a reason when it is not
 * one this version wrote. */
int record_decode(struct record *r, const void *blob, size_t len, char *err, size_t errlen);

/* Checks what a stored row gives besides the blob (kind, n, ts within
 * msg.h's range, count >= 0): -1 with a reason when the row is
 * damaged.  record_decode checks the blob's values (within +-MSG_VALUE_MAX)
 * and unit (UTF-8 text). */
int record_check_row(const struct record *r, char *err, size_t errlen);

/* "<mac>/<kind>/<n>/<ts>" */
void record_rid(const struct record *r, const char *mac, char *buf, size_t len);
/* The record as docs/STORE.md shows it (a new reference). */
json_t *record_to_json(const struct record *r, const char *mac);
/* r as a row of common/columns.h, its names and values in the caller's
 * arrays (RECORD_FIELDS_MAX each); r must outlive the row. */
void record_to_row(const struct record *r, struct columns_row *row, const char **names, double *vals);
/* A stored value as the answer shows it: float32 fields rounded to the 7
 * digits they hold, so 230.1 reads 230.1 and not 230.100006103516. */
double record_value(const struct record *r, size_t field);
/* x, a value of field f, as answers show it (record_value's rounding). */
double record_shown(const struct reading_field *f, double x);

/* Merges b (a later part of the same minute) into a: count-weighted
 * averages, the lower minimum, the higher maximum, b's end values. */
void record_merge(struct record *a, const struct record *b);

#endif

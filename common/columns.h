/* columns: minute records (docs/STORE.md) as the "series" of uploadd's
 * http-json batch (docs/UPLOAD.md, format eniscope-upload/2), the
 * encoding that keeps a meter-minute under 60 bytes on a 3G link:
 *  - one series per run of records from one source with the same time
 *    quality, unit and set of fields: names are sent once, not per record;
 *  - every value as an integer at a fixed resolution (columns_dp: 0.1 V,
 *    0.01 A, 1 W, 1 Wh, ...), far finer than a meter's accuracy class;
 *  - a system value that is the sum of its phases (I P Q S and the energy
 *    registers) as its difference from that sum, mostly 0;
 *  - every column as differences from the previous row, so a slowly
 *    moving register or voltage costs a digit or two before gzip.
 * storaged encodes its batches so (from its rows, no JSON per record);
 * uploadd encodes JSON records so when it has them. */
#ifndef COMMON_COLUMNS_H
#define COMMON_COLUMNS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* One record.  The strings are copied; names[] must stay valid until
 * columns_series. */
struct columns_row {
	const char *kind; /* "meter", "pulse", "temp" */
	const char *n;    /* "3", or a probe id */
	bool n_is_text;   /* sent as a string (probe ids), else as a number */
	const char *time; /* "synced" or "restamped" */
	const char *unit; /* NULL: none */
	long long id, ts, count;
	int nvals;
	const char *const *names;
	const double *vals;
};

struct columns;

struct columns *columns_new(void);
void columns_free(struct columns **c);

/* Adds a row; -1 with the reason it cannot be sent (a value out of range,
 * too many values, a string too long); the encoder is unchanged then. */
int columns_add(struct columns *c, const struct columns_row *row, char *why, size_t whylen);

/* Adds a record as storaged serves it in JSON; -1 with the reason it is
 * not one (a field missing or of the wrong type) or cannot be sent.  The
 * record must stay alive until columns_series. */
int columns_add_record(struct columns *c, const json_t *record, char *why, size_t whylen);

size_t columns_count(const struct columns *c);

/* The JSON array of series of everything added (a new reference); NULL
 * when out of memory. */
json_t *columns_series(const struct columns *c);

/* Decimal places a field is sent with (value = integer / 10^dp). */
int columns_dp(const char *field);

#endif

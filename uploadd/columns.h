/* columns: a slice of storaged's records as the http-json batch's
 * "series" (docs/UPLOAD.md, format eniscope-upload/2), the encoding that
 * keeps a meter-minute under 60 bytes on a 3G link:
 *  - one series per run of records from one source with the same time
 *    quality, unit and set of fields: names are sent once, not per record;
 *  - every value as an integer at a fixed resolution (columns_dp: 0.1 V,
 *    0.01 A, 1 W, 1 Wh, ...), far finer than a meter's accuracy class;
 *  - a system value that is the sum of its phases (I P Q S and the energy
 *    registers) as its difference from that sum, mostly 0;
 *  - every column as differences from the previous row, so a slowly
 *    moving register or voltage costs a digit or two before gzip. */
#ifndef UPLOADD_COLUMNS_H
#define UPLOADD_COLUMNS_H

#include "buf.h"

#include <jansson.h>
#include <stddef.h>

/* Decimal places field is sent with (value = integer / 10^dp). */
int columns_dp(const char *field);

/* Appends the JSON array of series for records[lo..hi) to out.  -1 with a
 * reason naming the record when one is not a record of docs/STORE.md. */
int columns_write(struct buf *out, const json_t *records, size_t lo, size_t hi, char *err, size_t errlen);

#endif

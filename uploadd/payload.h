/* payload: the request body for a slice of a batch, in the target's
 * format, optionally gzip'd (docs/UPLOAD.md):
 *  - http-json: {"format":"eniscope-upload/2","hub":{...},"sent":T,
 *    "meters":{...},"pulses":{...},"series":[...]} with the records as
 *    columns (common/columns.h), or the series storaged encoded;
 *  - influxdb: line protocol (lineproto.h).
 * Records whose time is not known are never encoded: the caller sets them
 * aside first (payload_time_known). */
#ifndef UPLOADD_PAYLOAD_H
#define UPLOADD_PAYLOAD_H

#include "buf.h"
#include "hubinfo.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define PAYLOAD_FORMAT "eniscope-upload/2"

enum payload_type { PAYLOAD_HTTP_JSON, PAYLOAD_INFLUXDB };

/* True when the record's "time" says its timestamp is known ("synced" or
 * "restamped") and its ts is a positive multiple of 60. */
bool payload_time_known(const json_t *record);

/* Encodes records[lo..hi) into out (reset first).  -1 with a reason naming
 * the record when one cannot be encoded. */
int payload_build(struct buf *out, enum payload_type type, const json_t *records, size_t lo, size_t hi,
		  const struct hubinfo *hub, long long now, char *err, size_t errlen);

/* The http-json body around series storaged encoded (its batch in
 * "series" form), reset first. */
int payload_build_series(struct buf *out, const json_t *series, const struct hubinfo *hub, long long now, char *err,
			 size_t errlen);

/* gzip (RFC 1952) of in into out (reset first); -1 with a reason. */
int payload_gzip(struct buf *out, const void *in, size_t len, int level, char *err, size_t errlen);

#endif

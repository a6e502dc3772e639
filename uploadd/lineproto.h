/* lineproto: records (docs/STORE.md) as InfluxDB line protocol, one
 * measurement per kind, the source's identity as tags, second precision:
 *
 *   meter,hub=02:..:01,meter=1,name=Main\ board,phase=1 V=230.1,I=12.5,... 1795544400
 *   meter,hub=..,meter=1,name=..,phase=total V=..,In=..,F=..,Pmin=..,E=.. 1795544400
 *   pulse,hub=..,input=2,name=Gas,unit=m3 count=1234,total=12.34 1795544400
 *   temperature,hub=..,probe=28-0316a2799aff T=21.44 1795544400
 *
 * A meter's per-phase values (V1, I2, E3 ...) go on that phase's line
 * without the digit; the rest (system values, In, F, Pmin, Pmax) on the
 * "total" line.  docs/UPLOAD.md has the full mapping and the escaping. */
#ifndef UPLOADD_LINEPROTO_H
#define UPLOADD_LINEPROTO_H

#include "buf.h"
#include "hubinfo.h"

#include <jansson.h>
#include <stddef.h>

enum lp_part {
	LP_MEASUREMENT, /* escapes ',' and ' ' */
	LP_TAG,         /* tag key, tag value, field key: ',' '=' ' ' */
	LP_STRING,      /* a string field value, inside the quotes: '"' '\' */
};

/* Appends s escaped for part.  Control characters become spaces (a line
 * cannot hold them); in names (measurement, tags, field keys) a backslash
 * becomes '/', because InfluxDB's parser has no escape for a backslash
 * before a delimiter or at the end of a value. */
void lineproto_escape(struct buf *out, const char *s, enum lp_part part);

/* Appends the lines of one record.  Returns how many lines, or -1 with a
 * reason when the record is not one of docs/STORE.md (then nothing was
 * appended). */
int lineproto_record(struct buf *out, const json_t *record, const struct hubinfo *hub, char *err, size_t errlen);

#endif

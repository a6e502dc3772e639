/* rtdata: a reading as the manual's JSON shows it (its MQTT section,
 * "Example: JSON, for 1 meter being transmitted"), which mqttd publishes and
 * GET /api/readings serves (docs/API.md), so the two carry the same fields:
 *
 *     {"rtdata":[{"uid":"00:01:02:03:04:05:00:01","did":1,"ts":1516362683,
 *                 "V1":241.3,...,"AE":3088475.549}, ...]}
 *
 * one object per meter, every field of the example, numbers as numbers in
 * the example's units, ts in whole seconds as the example shows.  The bus
 * reading (meter/<n>/rt) carries the same names and units; what the
 * example does not have is stripped (seq, simulated), except Pulse and T:
 * the manual shows a meter's pulse count as a column of its readings
 * ("counted pulses will appear at the end of the Meter") and a probe is
 * added "to a metering point", so they are that meter's readings too.  They
 * appear only when the bus reading has them (docs/MQTT.md). */
#ifndef HUB_RTDATA_H
#define HUB_RTDATA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* One rtdata object from a meter/<n>/rt bus payload.  NULL with a reason
 * naming the field when uid, did, ts or a measured field is missing or of
 * the wrong type (the reading is then not published at all). */
json_t *rtdata_meter(const json_t *reading, char *err, size_t errlen);

/* {"rtdata":[...]}: takes a reference to each object of meters[0..n). */
json_t *rtdata_list(json_t *const *meters, size_t n);

/* The state a Home Assistant sensor of a pulse input or probe reads: the bus
 * payload without seq; NULL with a reason when a needed field is missing. */
json_t *rtdata_pulse(const json_t *msg, char *err, size_t errlen);
json_t *rtdata_probe(const json_t *msg, char *err, size_t errlen);

#endif

/* msg: the bus message format, as pure functions so they can be tested and
 * fuzzed without sockets.
 *
 * A message is two ZeroMQ frames:
 *   1. topic: 1..MSG_TOPIC_MAX bytes of [A-Za-z0-9_.:-] segments joined by
 *      '/', e.g. "meter/1/rt", "temp/28-0316a2799aff", "status/meterd";
 *   2. payload: one JSON object (UTF-8, at most MSG_PAYLOAD_MAX bytes) with
 *      "ts" (Unix seconds, UTC, may be fractional) and "seq" (the
 *      publisher's message counter, so a subscriber can count gaps).
 * docs/BUS.md is the reference for every topic's payload. */
#ifndef HUB_MSG_H
#define HUB_MSG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSG_TOPIC_MAX 128
#define MSG_PAYLOAD_MAX 65536

/* Every JSON text the hub writes uses these flags: compact, and reals with
 * 15 significant digits (enough for Wh registers and ms timestamps, without
 * the 17-digit noise of 241.30000000000001). */
#define MSG_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

/* The range of a "ts": Unix seconds from 1970 to the end of year 9999
 * (what every consumer can turn into whole seconds and a calendar date). */
#define MSG_TS_MAX 253402300799.0
/* The magnitude beyond which no quantity on the bus is taken (registers in
 * Wh, counts, powers, temperatures): 1e15 is far beyond any meter's
 * register, stays exact in a double's 53-bit integers (9.007e15), and
 * sums of a minute of readings cannot overflow. */
#define MSG_VALUE_MAX 1e15

/* Checked getters: every number that crosses a process boundary (a bus
 * message, a control request or answer, a file the hub wrote earlier) is
 * checked against its range here before it is converted, so no consumer
 * turns a finite but absurd value (ts 1e70) into an integer it cannot hold.
 * v may be NULL (the key was absent).  0 with *out set, or -1 with a
 * reason naming `name`, what was found and what is allowed. */
/* A JSON integer min..max. */
int msg_int(const json_t *v, const char *name, int64_t min, int64_t max, int64_t *out, char *err, size_t errlen);
/* A JSON number (integer or real) min..max. */
int msg_real(const json_t *v, const char *name, double min, double max, double *out, char *err, size_t errlen);
/* A "ts" as whole Unix seconds (the fraction dropped): 0..MSG_TS_MAX. */
int msg_ts(const json_t *v, const char *name, int64_t *out, char *err, size_t errlen);

/* true when topic[0..len) is a valid topic; otherwise false and a reason. */
bool msg_topic_valid(const char *topic, size_t len, char *err, size_t errlen);

/* Serialises payload stamped with "seq" and, unless it already has one,
 * "ts" (payload itself is not changed).  Returns a malloc'd string (length in *len) or NULL with a
 * reason (not an object, too large). */
char *msg_encode(json_t *payload, uint64_t seq, double ts, size_t *len, char *err, size_t errlen);

/* Checks and parses a received pair of frames.  On success returns the
 * payload object (a new reference) and the topic as a malloc'd string in
 * *topic_out; on failure NULL and a reason naming what was wrong. */
json_t *msg_decode(const void *topic, size_t topic_len, const void *payload, size_t payload_len,
		   char **topic_out, char *err, size_t errlen);

#endif

/* payload: see payload.h.  Values are copied from the bus reading as they
 * are (meterd already rounds them to the manual's resolution), so what a
 * subscriber gets is exactly what was on the bus at that second. */
#include "payload.h"

#include "msg.h"

#include <stdio.h>
#include <string.h>

const char *const payload_fields[] = {
	"V1", "V2", "V3", "V",
	"U1", "U2", "U3", "U",
	"I1", "I2", "I3", "I", "In",
	"P1", "P2", "P3", "P",
	"Q1", "Q2", "Q3", "Q",
	"S1", "S2", "S3", "S",
	"PF1", "PF2", "PF3", "PF",
	"A1", "A2", "A3",
	"F",
	"E1", "E2", "E3", "E",
	"Ex1", "Ex2", "Ex3", "Ex",
	"RE1", "RE2", "RE3", "RE",
	"REx1", "REx2", "REx3", "REx",
	"AE1", "AE2", "AE3", "AE",
	NULL,
};

/* A quantity within the bus's range (msg.h): copied as it is, never
 * converted, but a subscriber must be able to read it back.  err may be
 * NULL (an optional field). */
static bool s_quantity(const json_t *v, const char *name, char *err, size_t errlen)
{
	double x;
	char why[8];
	return msg_real(v, name, -MSG_VALUE_MAX, MSG_VALUE_MAX, &x, err ? err : why, err ? errlen : sizeof why) == 0;
}

/* ts as the example shows it: whole Unix seconds */
static json_t *s_ts(const json_t *msg, char *err, size_t errlen)
{
	int64_t ts;
	if (msg_ts(json_object_get(msg, "ts"), "ts", &ts, err, errlen) != 0)
		return NULL;
	return json_integer((json_int_t)ts);
}

json_t *payload_meter(const json_t *reading, char *err, size_t errlen)
{
	const json_t *uid = json_object_get(reading, "uid");
	const json_t *did = json_object_get(reading, "did");
	if (!json_is_string(uid)) {
		snprintf(err, errlen, "uid: missing or not text");
		return NULL;
	}
	int64_t n;
	if (msg_int(did, "did", 1, 8, &n, err, errlen) != 0)
		return NULL;
	json_t *ts = s_ts(reading, err, errlen);
	if (!ts)
		return NULL;
	json_t *o = json_object();
	json_object_set(o, "uid", (json_t *)uid);
	json_object_set(o, "did", (json_t *)did);
	json_object_set_new(o, "ts", ts);
	for (const char *const *f = payload_fields; *f; f++) {
		json_t *v = json_object_get(reading, *f);
		if (!s_quantity(v, *f, err, errlen)) {
			json_decref(o);
			return NULL;
		}
		json_object_set(o, *f, v);
	}
	/* the meter's linked pulse count and probe, only when present */
	json_t *pulse = json_object_get(reading, "Pulse");
	if (json_is_integer(pulse) && json_integer_value(pulse) >= 0)
		json_object_set(o, "Pulse", pulse);
	json_t *t = json_object_get(reading, "T");
	if (s_quantity(t, "T", NULL, 0))
		json_object_set(o, "T", t);
	return o;
}

json_t *payload_rtdata(json_t *const *meters, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(list, meters[i]);
	return json_pack("{s:o}", "rtdata", list);
}

/* Copies the named fields, each a number unless listed in text. */
static json_t *s_copy(const json_t *msg, const char *const *fields, const char *const *text, char *err,
		      size_t errlen)
{
	json_t *ts = s_ts(msg, err, errlen);
	if (!ts)
		return NULL;
	json_t *o = json_object();
	for (const char *const *f = text; *f; f++) {
		json_t *v = json_object_get(msg, *f);
		if (!json_is_string(v) && !json_is_integer(v)) {
			snprintf(err, errlen, "%s: missing", *f);
			goto fail;
		}
		json_object_set(o, *f, v);
	}
	for (const char *const *f = fields; *f; f++) {
		json_t *v = json_object_get(msg, *f);
		if (!s_quantity(v, *f, err, errlen)) {
			goto fail;
		}
		json_object_set(o, *f, v);
	}
	json_object_set_new(o, "ts", ts);
	return o;
fail:
	json_decref(ts);
	json_decref(o);
	return NULL;
}

json_t *payload_pulse(const json_t *msg, char *err, size_t errlen)
{
	static const char *const text[] = { "n", "name", "unit", NULL };
	static const char *const nums[] = { "count", "total", NULL };
	json_t *o = s_copy(msg, nums, text, err, errlen);
	json_t *rate = json_object_get(msg, "rate"); /* none before the second pulse */
	if (o && s_quantity(rate, "rate", NULL, 0))
		json_object_set(o, "rate", rate);
	return o;
}

json_t *payload_probe(const json_t *msg, char *err, size_t errlen)
{
	static const char *const text[] = { "id", NULL };
	static const char *const nums[] = { "T", NULL };
	return s_copy(msg, nums, text, err, errlen);
}

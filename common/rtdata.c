/* rtdata: see rtdata.h.  Values are copied from the bus reading as they
 * are (meterd already rounds them to the manual's resolution), so what a
 * subscriber gets is exactly what was on the bus at that second; which
 * fields, in which order, is common/reading_schema.c's table. */
#include "rtdata.h"

#include "msg.h"
#include "reading_schema.h"

#include <stdio.h>
#include <string.h>

/* A quantity within the bus's range (msg.h): copied as it is, never
 * converted, but a subscriber must be able to read it back. */
static bool s_quantity(const json_t *v, const char *name, char *err, size_t errlen)
{
	double x;
	return msg_real(v, name, -MSG_VALUE_MAX, MSG_VALUE_MAX, &x, err, errlen) == 0;
}

/* ts as the example shows it: whole Unix seconds */
static json_t *s_ts(const json_t *msg, char *err, size_t errlen)
{
	int64_t ts;
	if (msg_ts(json_object_get(msg, "ts"), "ts", &ts, err, errlen) != 0)
		return NULL;
	return json_integer((json_int_t)ts);
}

/* Copies into o the bus fields of kind that have exactly the flags in
 * which (of READING_LABEL, READING_OPTIONAL): a label must be text or an
 * integer, a count a whole number >= 0, anything else a number, each
 * within the bus's range (msg.h).
 * A required field that is not so fails with its name; an optional one is
 * left out. */
static int s_copy(json_t *o, const json_t *msg, enum reading_kind kind, unsigned which, char *err, size_t errlen)
{
	size_t nf;
	const struct reading_field *f = reading_fields(kind, &nf);
	for (size_t i = 0; i < nf; i++) {
		if (!(f[i].flags & READING_BUS) || (f[i].flags & (READING_LABEL | READING_OPTIONAL)) != which)
			continue;
		json_t *v = json_object_get(msg, f[i].name);
		int64_t count;
		char why[160];
		bool ok = f[i].flags & READING_LABEL ? json_is_string(v) || json_is_integer(v)
			  : f[i].flags & READING_INTEGER
				  ? msg_int(v, f[i].name, 0, (int64_t)MSG_VALUE_MAX, &count, why, sizeof why) == 0
				  : s_quantity(v, f[i].name, why, sizeof why);
		if (ok) {
			json_object_set(o, f[i].name, v);
			continue;
		}
		if (which & READING_OPTIONAL)
			continue;
		if (f[i].flags & READING_LABEL)
			snprintf(err, errlen, "%s: missing", f[i].name);
		else
			snprintf(err, errlen, "%s", why);
		return -1;
	}
	return 0;
}

/* A pulse input's or probe's state: its labels, its values, ts, then what
 * it has only sometimes. */
static json_t *s_state(const json_t *msg, enum reading_kind kind, char *err, size_t errlen)
{
	json_t *o = json_object(), *ts = NULL;
	if (s_copy(o, msg, kind, READING_LABEL, err, errlen) < 0 || s_copy(o, msg, kind, 0, err, errlen) < 0 ||
	    !(ts = s_ts(msg, err, errlen))) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "ts", ts);
	s_copy(o, msg, kind, READING_OPTIONAL, err, errlen);
	return o;
}

json_t *rtdata_meter(const json_t *reading, char *err, size_t errlen)
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
	if (s_copy(o, reading, READING_METER, 0, err, errlen) < 0) {
		json_decref(o);
		return NULL;
	}
	/* the meter's linked pulse count and probe, only when present */
	s_copy(o, reading, READING_METER, READING_OPTIONAL, err, errlen);
	return o;
}

json_t *rtdata_list(json_t *const *meters, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(list, meters[i]);
	return json_pack("{s:o}", "rtdata", list);
}

json_t *rtdata_pulse(const json_t *msg, char *err, size_t errlen)
{
	return s_state(msg, READING_PULSE, err, errlen);
}

json_t *rtdata_probe(const json_t *msg, char *err, size_t errlen)
{
	return s_state(msg, READING_TEMP, err, errlen);
}

/* msg: see msg.h.  Decoding is strict because anyone on the machine (and, if
 * configured, the network) can publish: a bad message is dropped with a
 * reason, never half-used. */
#include "msg.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool s_topic_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == ':' || c == '-';
}

bool msg_topic_valid(const char *topic, size_t len, char *err, size_t errlen)
{
	if (len == 0) {
		snprintf(err, errlen, "empty topic");
		return false;
	}
	if (len > MSG_TOPIC_MAX) {
		snprintf(err, errlen, "topic longer than %d bytes", MSG_TOPIC_MAX);
		return false;
	}
	size_t seg = 0;
	for (size_t i = 0; i < len; i++) {
		char c = topic[i];
		if (c == '/') {
			if (seg == 0) {
				snprintf(err, errlen, "topic has an empty segment at byte %zu", i);
				return false;
			}
			seg = 0;
		} else if (s_topic_char(c)) {
			seg++;
		} else {
			snprintf(err, errlen, "topic has a bad character (0x%02x) at byte %zu", (unsigned char)c, i);
			return false;
		}
	}
	if (seg == 0) {
		snprintf(err, errlen, "topic ends with '/'");
		return false;
	}
	return true;
}

/* The largest magnitude MSG_JSON_FLAGS print so that they read back: 15
 * significant digits round DBL_MAX (1.7976931348623157e308) up to
 * 1.79769313486232e308, which overflows every parser, so a message holding
 * it would be dropped by every subscriber. */
#define MSG_REAL_MAX 1.79769313486231e308

static bool s_reals_fit(json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;
	if (json_is_real(v))
		return fabs(json_real_value(v)) <= MSG_REAL_MAX;
	if (json_is_object(v))
		json_object_foreach(v, key, x)
			if (!s_reals_fit(x))
				return false;
	if (json_is_array(v))
		json_array_foreach(v, i, x)
			if (!s_reals_fit(x))
				return false;
	return true;
}

int msg_int(const json_t *v, const char *name, int64_t min, int64_t max, int64_t *out, char *err, size_t errlen)
{
	if (!json_is_integer(v)) {
		snprintf(err, errlen, "%s: %s, must be a whole number %" PRId64 "..%" PRId64, name,
			 !v ? "missing" : json_is_real(v) ? "not a whole number" : "not a number", min, max);
		return -1;
	}
	json_int_t x = json_integer_value(v);
	if (x < min || x > max) {
		snprintf(err, errlen, "%s: %" JSON_INTEGER_FORMAT " is out of range %" PRId64 "..%" PRId64, name, x,
			 min, max);
		return -1;
	}
	*out = x;
	return 0;
}

int msg_real(const json_t *v, const char *name, double min, double max, double *out, char *err, size_t errlen)
{
	if (!json_is_number(v)) {
		snprintf(err, errlen, "%s: %s, must be a number %.15g..%.15g", name, !v ? "missing" : "not a number", min,
			 max);
		return -1;
	}
	double x = json_number_value(v);
	if (!(x >= min && x <= max)) { /* NaN too, though jansson never makes one */
		snprintf(err, errlen, "%s: %.15g is out of range %.15g..%.15g", name, x, min, max);
		return -1;
	}
	*out = x;
	return 0;
}

int msg_ts(const json_t *v, const char *name, int64_t *out, char *err, size_t errlen)
{
	double x;
	if (msg_real(v, name, 0, MSG_TS_MAX, &x, err, errlen) != 0)
		return -1;
	*out = (int64_t)floor(x); /* in range: checked above */
	return 0;
}

char *msg_encode(json_t *payload, uint64_t seq, double ts, size_t *len, char *err, size_t errlen)
{
	if (!json_is_object(payload)) {
		snprintf(err, errlen, "payload is not a JSON object");
		return NULL;
	}
	if (!s_reals_fit(payload)) {
		snprintf(err, errlen, "payload has a number too large to send (beyond %g)", MSG_REAL_MAX);
		return NULL;
	}
	/* stamp a shallow copy: the caller's object is left as it was, so a
	 * payload reused for the next message gets a fresh ts, not this one */
	json_t *stamped = json_copy(payload);
	if (!stamped) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!json_is_number(json_object_get(stamped, "ts"))) {
		/* json_real() refuses NaN and infinity: the message would go
		 * out without a ts and every subscriber would drop it */
		if (!(ts >= 0 && ts <= MSG_TS_MAX)) {
			snprintf(err, errlen, "ts %g is not a valid time", ts);
			json_decref(stamped);
			return NULL;
		}
		json_object_set_new(stamped, "ts", json_real(ts));
	}
	json_object_set_new(stamped, "seq", json_integer((json_int_t)seq));
	char *text = json_dumps(stamped, MSG_JSON_FLAGS);
	json_decref(stamped);
	if (!text) {
		snprintf(err, errlen, "payload cannot be serialised (NaN or infinity?)");
		return NULL;
	}
	*len = strlen(text);
	if (*len > MSG_PAYLOAD_MAX) {
		snprintf(err, errlen, "payload is %zu bytes, over %d", *len, MSG_PAYLOAD_MAX);
		free(text);
		return NULL;
	}
	return text;
}

json_t *msg_decode(const void *topic, size_t topic_len, const void *payload, size_t payload_len,
		   char **topic_out, char *err, size_t errlen)
{
	char why[160];
	if (!msg_topic_valid(topic, topic_len, why, sizeof why)) {
		snprintf(err, errlen, "%s", why);
		return NULL;
	}
	if (payload_len > MSG_PAYLOAD_MAX) {
		snprintf(err, errlen, "topic %.*s: payload is %zu bytes, over %d", (int)topic_len,
			 (const char *)topic, payload_len, MSG_PAYLOAD_MAX);
		return NULL;
	}
	json_error_t jerr;
	/* JSON_REJECT_DUPLICATES: two "P" keys would make the reading ambiguous */
	json_t *obj = json_loadb(payload, payload_len, JSON_REJECT_DUPLICATES, &jerr);
	const char *bad = NULL;
	if (!obj)
		bad = jerr.text;
	else if (!json_is_object(obj))
		bad = "payload is not a JSON object";
	else if (msg_real(json_object_get(obj, "ts"), "\"ts\"", 0, MSG_TS_MAX, &(double){ 0 }, why, sizeof why) != 0 ||
		 msg_int(json_object_get(obj, "seq"), "\"seq\"", 0, INT64_MAX, &(int64_t){ 0 }, why, sizeof why) != 0)
		bad = why;
	if (bad) {
		snprintf(err, errlen, "topic %.*s: %s", (int)topic_len, (const char *)topic, bad);
		json_decref(obj);
		return NULL;
	}
	if (topic_out) {
		*topic_out = strndup(topic, topic_len);
		if (!*topic_out) {
			snprintf(err, errlen, "out of memory");
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

/* fuzz_mqttd_input: what mqttd takes from outside, on arbitrary bytes.  The
 * input is split at its first NUL: the part before is a TLS library error
 * line (link_tls_reason), the part after a JSON text that is given to the
 * payload builders (as a bus message) and to discovery_owned (as a retained
 * config a broker sent back).  Each part is copied into an allocation of
 * exactly its length so ASan sees any read past it.
 *
 * Besides not crashing: a built rtdata object holds only the manual's
 * fields plus Pulse/T, all numbers but uid, ts a whole number; a refusal
 * always says why; the TLS reason is a piece of its line. */
#include "discovery.h"
#include "link.h"
#include "msg.h"
#include "rtdata.h"
#include "reading_schema.h"
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool s_allowed(const char *key)
{
	if (!strcmp(key, "uid") || !strcmp(key, "did") || !strcmp(key, "ts"))
		return true;
	const struct reading_field *f = reading_field(READING_METER, key);
	return f && (f->flags & READING_BUS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t llen = nul ? (size_t)(nul - data) : size;
	size_t plen = nul ? size - llen - 1 : 0;
	char *line = fuzz_copy(data, llen);
	char *payload = fuzz_copy(nul ? nul + 1 : data, plen);

	char reason[160];
	link_tls_reason(line, llen, reason, sizeof reason);
	CHECK(strlen(reason) < sizeof reason);
	CHECK(!reason[0] || memmem(line, llen, reason, strlen(reason)) != NULL ||
	      strlen(reason) == sizeof reason - 1);

	struct discovery_hub hub = { .mac = "00:01:02:03:04:05", .prefix = "homeassistant", .base = "t" };
	(void)discovery_owned(&hub, payload, plen);

	json_t *msg = json_loadb(payload, plen, JSON_REJECT_DUPLICATES, NULL);
	if (json_is_object(msg)) {
		char err[256] = "";
		json_t *o = rtdata_meter(msg, err, sizeof err);
		if (o) {
			const char *key;
			json_t *v;
			json_object_foreach(o, key, v) {
				CHECK(s_allowed(key));
				CHECK(!strcmp(key, "uid") ? json_is_string(v) : json_is_number(v));
			}
			/* whole seconds within msg.h's range: never converted from
			 * a ts no integer holds (1e70) */
			json_int_t ts = json_integer_value(json_object_get(o, "ts"));
			CHECK(json_is_integer(json_object_get(o, "ts")) && ts >= 0 && ts <= (json_int_t)MSG_TS_MAX);
			json_t *objs[] = { o };
			json_t *rt = rtdata_list(objs, 1);
			char *text = json_dumps(rt, 0);
			CHECK(text != NULL);
			free(text);
			json_decref(rt);
			json_decref(o);
		} else {
			CHECK(err[0]);
		}
		err[0] = '\0';
		o = rtdata_pulse(msg, err, sizeof err);
		CHECK(o || err[0]);
		json_decref(o);
		err[0] = '\0';
		o = rtdata_probe(msg, err, sizeof err);
		CHECK(o || err[0]);
		json_decref(o);
	}
	json_decref(msg);
	free(line);
	free(payload);
	return 0;
}

/* fuzz_bus_mqttd: bus messages as mqttd's topic dispatch uses them.  The
 * input is the two frames split at the first NUL (topic, payload), decoded
 * as bus_sub_recv does (msg_decode) and handed to mqttd_on_reading, with
 * no instance configured (nothing is sent).  Then what an interval makes of
 * what was kept: the rtdata payload and the discovery configs of the
 * probes seen.  Besides not crashing: every probe id kept is a 1-wire id
 * (it goes into MQTT topics), each probe has a discovery config of its own,
 * every meter kept has a whole-second ts, and the payloads serialise. */
#include "discovery.h"
#include "mqttd.h"
#include "rtdata.h"

#include "config.h"
#include "fuzz.h"
#include "msg.h"
#include "reading_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct mqttd s_m;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!s_m.latest)
		s_m.latest = reading_cache_new(MQTTD_PROBES);
	char *t;
	json_t *msg = fuzz_bus_message(data, size, &t);
	if (msg)
		mqttd_on_reading(&s_m, t, msg);
	json_decref(msg);
	free(t);

	json_t *objs[8];
	size_t n = 0;
	struct discovery_probe probes[MQTTD_PROBES];
	size_t nprobes = 0;
	for (size_t i = 0; i < reading_cache_count(s_m.latest); i++) {
		const struct reading_entry *e = reading_cache_entry(s_m.latest, i);
		if (e->kind == READING_METER && e->obj) {
			json_int_t ts = json_integer_value(json_object_get(e->obj, "ts"));
			CHECK(ts >= 0 && ts <= (json_int_t)MSG_TS_MAX);
			objs[n++] = e->obj;
		} else if (e->kind == READING_TEMP) {
			char why[160];
			CHECK(cfg_fmt_w1_id.check(e->n, why, sizeof why));
			probes[nprobes++] = (struct discovery_probe){ .id = e->n };
		}
	}
	json_t *rt = rtdata_list(objs, n);
	char *text = json_dumps(rt, MSG_JSON_FLAGS);
	CHECK(text != NULL);
	free(text);
	json_decref(rt);
	struct discovery_hub hub = { .mac = "00:01:02:03:04:05", .prefix = "homeassistant", .base = "hub/site" };
	json_t *configs = discovery_configs(&hub, NULL, 0, NULL, 0, probes, nprobes);
	CHECK(json_object_size(configs) == nprobes);
	const char *ct;
	json_t *c;
	json_object_foreach(configs, ct, c)
		CHECK(!strpbrk(ct, "+#"));
	json_decref(configs);
	return 0;
}

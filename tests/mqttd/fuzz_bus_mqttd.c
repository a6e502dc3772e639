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
#include "payload.h"

#include "config.h"
#include "msg.h"
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct mqttd s_m;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t;
	json_t *msg = fuzz_bus_message(data, size, &t);
	if (msg)
		mqttd_on_reading(&s_m, t, msg);
	json_decref(msg);
	free(t);

	json_t *objs[8];
	size_t n = 0;
	for (int i = 0; i < 8; i++)
		if (s_m.meters[i].obj) {
			json_int_t ts = json_integer_value(json_object_get(s_m.meters[i].obj, "ts"));
			CHECK(ts >= 0 && ts <= (json_int_t)MSG_TS_MAX);
			objs[n++] = s_m.meters[i].obj;
		}
	json_t *rt = payload_rtdata(objs, n);
	char *text = json_dumps(rt, MSG_JSON_FLAGS);
	CHECK(text != NULL);
	free(text);
	json_decref(rt);
	struct discovery_probe probes[MQTTD_PROBES];
	for (size_t i = 0; i < s_m.nprobes; i++) {
		char why[160];
		CHECK(cfg_fmt_w1_id.check(s_m.probe_id[i], why, sizeof why));
		probes[i] = (struct discovery_probe){ .id = s_m.probe_id[i] };
	}
	struct discovery_hub hub = { .mac = "00:01:02:03:04:05", .prefix = "homeassistant", .base = "hub/site" };
	json_t *configs = discovery_configs(&hub, NULL, 0, NULL, 0, probes, s_m.nprobes);
	CHECK(json_object_size(configs) == s_m.nprobes);
	const char *ct;
	json_t *c;
	json_object_foreach(configs, ct, c)
		CHECK(!strpbrk(ct, "+#"));
	json_decref(configs);
	return 0;
}

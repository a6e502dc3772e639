/* fuzz_apply_mqttd: a configuration document as mqttd applies it
 * (fuzz_apply.h): instances matched by title, their links created (paho
 * clients, never connected: the loop's tick that would connect is not
 * run), discovery configs put for
 * what the meters, inputs and probes announce.  Besides not crashing: the
 * instances in effect are those of the document, each enabled one with a
 * link whose settings are the document's. */
#include "mqttd.h"

#include "fuzz_apply.h"

#include <string.h>

static struct mqttd s_m;

static int s_apply(const struct config *cfg, char *err, size_t errlen)
{
	int rc = mqttd_ops.apply(NULL, cfg, &s_m, err, errlen);
	if (rc == 0) {
		CHECK(s_m.ninst == json_array_size(config_get(cfg, "mqtt")));
		for (size_t i = 0; i < s_m.ninst; i++) {
			char key[64];
			snprintf(key, sizeof key, "mqtt[%zu].enabled", i);
			CHECK(config_bool(cfg, key) == (s_m.inst[i].link != NULL));
			if (s_m.inst[i].link)
				CHECK(!strcmp(link_settings(s_m.inst[i].link)->topic, s_m.inst[i].topic));
		}
	}
	/* no mqttd_tick: it would connect to the document's brokers */
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!s_m.events[1])
		CHECK(link_events_open(s_m.events) == 0);
	fuzz_apply(data, size, s_apply);
	return 0;
}

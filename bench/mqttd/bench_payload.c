/* bench_payload: what one interval of an instance costs the loop: the
 * rtdata of 8 meters built from their bus readings and serialised, and
 * (with discovery on) the 8 state payloads; and the whole set of discovery
 * configs rebuilt, as on a reconnect or a config change. */
#include "clock.h"
#include "discovery.h"
#include "msg.h"
#include "rtdata.h"
#include "reading_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	json_t *readings[8];
	for (int m = 0; m < 8; m++) {
		char uid[32];
		snprintf(uid, sizeof uid, "00:01:02:03:04:05:00:%02d", m + 1);
		readings[m] = json_pack("{s:s,s:i,s:f,s:i,s:b}", "uid", uid, "did", m + 1, "ts", 1795545830.25, "seq",
					1000 + m, "simulated", 1);
		double v = 241.37;
		size_t nf;
		const struct reading_field *f = reading_fields(READING_METER, &nf);
		for (size_t i = 0; i < nf; i++)
			if ((f[i].flags & (READING_BUS | READING_OPTIONAL)) == READING_BUS) {
				json_object_set_new(readings[m], f[i].name, json_real((double)(long long)(v * 1e4) / 1e4));
				v *= 1.37;
			}
	}
	const int rounds = 20000;
	size_t bytes = 0;
	int64_t t0 = clock_mono_ns();
	for (int r = 0; r < rounds; r++) {
		json_t *objs[8];
		char err[128];
		for (int m = 0; m < 8; m++)
			objs[m] = rtdata_meter(readings[m], err, sizeof err);
		json_t *rt = rtdata_list(objs, 8);
		char *s = json_dumps(rt, MSG_JSON_FLAGS);
		bytes = strlen(s);
		free(s);
		for (int m = 0; m < 8; m++) {
			s = json_dumps(objs[m], MSG_JSON_FLAGS);
			free(s);
			json_decref(objs[m]);
		}
		json_decref(rt);
	}
	double us = (double)(clock_mono_ns() - t0) / 1e3 / rounds;
	printf("rtdata of 8 meters + 8 state payloads: %.1f us per interval, rtdata %zu bytes\n", us, bytes);

	struct discovery_meter meters[8];
	char uids[8][32], names[8][16];
	for (int m = 0; m < 8; m++) {
		snprintf(uids[m], sizeof uids[m], "00:01:02:03:04:05:00:%02d", m + 1);
		snprintf(names[m], sizeof names[m], "Meter %d", m + 1);
		meters[m] = (struct discovery_meter){ m + 1, uids[m], names[m] };
	}
	struct discovery_pulse pulses[8];
	for (int p = 0; p < 8; p++)
		pulses[p] = (struct discovery_pulse){ p + 1, "Gas", "m3" };
	struct discovery_hub hub = { "00:01:02:03:04:05", "homeassistant", "eniscope" };
	const int drounds = 2000;
	size_t nconf = 0, dbytes = 0;
	t0 = clock_mono_ns();
	for (int r = 0; r < drounds; r++) {
		json_t *c = discovery_configs(&hub, meters, 8, pulses, 8, NULL, 0);
		nconf = json_object_size(c);
		dbytes = 0;
		const char *k;
		json_t *v;
		json_object_foreach(c, k, v) {
			char *s = json_dumps(v, MSG_JSON_FLAGS);
			dbytes += strlen(s);
			free(s);
		}
		json_decref(c);
	}
	us = (double)(clock_mono_ns() - t0) / 1e3 / drounds;
	printf("discovery configs for 8 meters + 8 pulse inputs: %zu configs, %zu bytes, %.1f us to build\n", nconf,
	       dbytes, us);
	for (int m = 0; m < 8; m++)
		json_decref(readings[m]);
	return 0;
}

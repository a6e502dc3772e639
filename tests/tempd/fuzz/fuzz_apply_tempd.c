/* fuzz_apply_tempd: a configuration document as tempd applies it
 * (fuzz_apply.h): the probes the meters name, the w1 root, the interval.
 * Besides not crashing: at most PROBES_MAX probes, each configured one
 * named by some meter, and the interval is the document's. */
#include "tempd.h"

#include "fuzz_apply.h"

#include <string.h>

static struct tempd s_t;

static int s_apply(const struct config *cfg, char *err, size_t errlen)
{
	int rc = tempd_apply(&s_t, cfg, err, errlen);
	if (rc == 0) {
		CHECK(s_t.probes.n >= 0 && s_t.probes.n <= PROBES_MAX);
		CHECK(s_t.interval_ms == config_int(cfg, "temps.interval_s") * 1000);
		for (int k = 0; k < s_t.probes.n; k++) {
			if (!s_t.probes.p[k].configured)
				continue;
			bool named = false;
			for (int i = 0; i < CONFIG_SLOTS; i++) {
				char key[64];
				snprintf(key, sizeof key, "meters[%d].temp_sensor", i);
				const char *id = config_string(cfg, key);
				named |= id && !strcmp(id, s_t.probes.p[k].id);
			}
			CHECK(named);
		}
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_apply(data, size, s_apply);
	return 0;
}

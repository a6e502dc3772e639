/* fuzz_apply_storaged: a configuration document as storaged applies it
 * (fuzz_apply.h): retention, size limit, the hub's MAC, the clock rule.
 * Besides not crashing: what is in effect is what the document says, in
 * range (a size limit in bytes that does not overflow). */
#include "storaged.h"

#include "fuzz_apply.h"

#include <string.h>

static struct storaged s_sd;

static int s_apply(const struct config *cfg, char *err, size_t errlen)
{
	int rc = storaged_ops.apply(NULL, cfg, &s_sd, err, errlen);
	if (rc == 0) {
		CHECK(s_sd.retention_days == config_int(cfg, "storage.retention_days"));
		CHECK(s_sd.max_bytes >= 0 && s_sd.max_bytes / (1024 * 1024) == config_int(cfg, "storage.max_mb"));
		CHECK(strlen(s_sd.mac) == 17);
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_apply(data, size, s_apply);
	return 0;
}

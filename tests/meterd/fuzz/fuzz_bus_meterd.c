/* fuzz_bus_meterd: bus messages as meterd's links use them (pulse/<n>
 * counts and temp/<id> values become a meter's Pulse and T).  The input is
 * the two frames split at the first NUL, decoded as bus_sub_recv does
 * (msg_decode) and handed to links_take; then links_fill puts what was
 * taken into a reading for every input and for the probe of the topic.
 * Besides not crashing: a refusal says why, and a Pulse or T that gets into
 * a reading is within msg.h's range. */
#include "links.h"

#include "msg.h"
#include "fuzz.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

static struct links *s_links;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!s_links) {
		void *zctx = zmq_ctx_new();
		CHECK(zctx != NULL);
		s_links = links_new(zctx, "/nonexistent/eniscope-fuzz");
		CHECK(s_links != NULL);
	}
	char *t;
	const int64_t now = 1000000;
	json_t *msg = fuzz_bus_message(data, size, &t);
	if (msg) {
		char err[256] = "";
		CHECK(links_take(s_links, t, msg, now, err, sizeof err) == 0 || err[0]);
		const char *probe = !strncmp(t, "temp/", 5) ? t + 5 : "";
		for (int input = 1; input <= 8; input++) {
			struct meter_reading r = { .phases = 3 };
			links_fill(s_links, &r, input, probe, now);
			CHECK(!r.has_pulse || (r.pulse >= 0 && r.pulse <= (long long)MSG_VALUE_MAX));
			CHECK(!r.has_T || fabs(r.T) <= MSG_VALUE_MAX);
		}
	}
	json_decref(msg);
	free(t);
	return 0;
}

/* fuzz_replay: the replay file parser on arbitrary bytes.  Besides not
 * crashing: an input is either read to its end, every frame value finite,
 * or refused with a reason that starts with the file's name and a line
 * number; the engine takes whatever frames were read. */
#include "engine.h"
#include "source_replay.h"
#include "fuzz.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *copy = fuzz_copy(data, size);
	FILE *f = size ? fmemopen(copy, size, "r") : fopen("/dev/null", "r");
	CHECK(f != NULL);
	char err[1024] = "";
	struct replay *r = replay_open_stream(f, "fuzz.csv", err, sizeof err);
	if (!r) {
		CHECK(!strncmp(err, "fuzz.csv:", 9) && err[9] >= '1' && err[9] <= '9');
		free(copy);
		return 0;
	}
	CHECK(replay_rate(r) >= 100 && replay_rate(r) <= 1e6);
	struct engine_cfg ec = { .rate_hz = replay_rate(r), .v_gain = { 1, 1, 1 } };
	ec.meter[0] = (struct engine_meter_cfg){ .enabled = true, .ct_input = 1, .phases = 3, .ct_rating_a = 100,
						 .voltage_scale = 1, .ct_gain = { 1, 1, 1 } };
	struct engine *e = engine_new(&ec);
	CHECK(e != NULL);
	float frames[16 * ENGINE_CHANNELS];
	long n;
	while ((n = replay_read(r, frames, 16, err, sizeof err)) > 0) {
		for (long i = 0; i < n * ENGINE_CHANNELS; i++)
			CHECK(isfinite(frames[i]));
		for (size_t off = 0; off < (size_t)n;) {
			bool done;
			off += engine_feed(e, frames + off * ENGINE_CHANNELS, (size_t)n - off, &done);
			if (done) {
				struct meter_reading m;
				engine_reading(e, 0, &m);
			}
		}
	}
	if (n < 0)
		CHECK(!strncmp(err, "fuzz.csv:", 9));
	engine_destroy(&e);
	replay_destroy(&r);
	free(copy);
	return 0;
}

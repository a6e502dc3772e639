/* input: one pulse input's settings, its debounce and its counter, and
 * the pulse/<n> object it publishes (docs/BUS.md):
 *
 *   count  base + pulses shown; base = start_reading / units_per_pulse
 *          (rounded), so the total can match the meter's dial.  The pulses
 *          counted persist (counter_store); the daemon shows them as the SD
 *          card copy holds them, so a count published never goes
 *          backwards, power cuts included (counter_store.h);
 *   total  count x units_per_pulse;
 *   rate   units per hour over the last pulses: units_per_pulse x 3600 /
 *          the mean interval of the last (up to) INPUT_RATE_PULSES pulses,
 *          or / the time since the last pulse when that is longer, so the
 *          rate falls toward 0 when the flow stops instead of freezing;
 *          0 until two pulses have been seen since start. */
#ifndef PULSED_INPUT_H
#define PULSED_INPUT_H

#include "debounce.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define INPUT_RATE_PULSES 5

struct input {
	int n;
	bool enabled;
	char name[65], unit[17];
	double units_per_pulse;
	int64_t base; /* from start_reading */
	struct debounce db;
	uint64_t counted;             /* persisted */
	uint64_t shown;               /* what count and total show: counted, as far as the SD card holds it */
	int64_t times[INPUT_RATE_PULSES]; /* CLOCK_MONOTONIC ns of the last pulses, oldest first */
	int ntimes;
	double last_pulse_wall; /* Unix s of the last pulse, 0 before the first */
};

/* Counts one pulse that happened at pulse_ns (CLOCK_MONOTONIC); now_ns and
 * now_wall convert it to wall time. */
void input_pulse(struct input *in, int64_t pulse_ns, int64_t now_ns, double now_wall);
/* base + shown (never below 0) */
uint64_t input_count(const struct input *in);
double input_rate(const struct input *in, int64_t now_ns);
/* The pulse/<n> payload (without ts and seq). */
json_t *input_json(const struct input *in, int64_t now_ns);

#endif

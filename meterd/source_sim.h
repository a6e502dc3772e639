/* source_sim: synthetic waveforms, for the demo and for machines without
 * the metering ADC.  Each channel is a sum of a fundamental, a 3rd and a 5th
 * harmonic, a DC offset and noise, at one common frequency; the default is a
 * building (sim_building): a 230 V supply in L1-L2-L3 order drifting
 * slowly around 50 Hz, a daily load curve (night base load, a day peak, an
 * evening bump) on consumable and grid meters, and export on renewable
 * ones: solar by daylight only, wind, hydro and heat pump day and night.  The waveforms go through the engine like real samples;
 * every reading from this source is marked simulated. */
#ifndef METERD_SOURCE_SIM_H
#define METERD_SOURCE_SIM_H

#include "source.h"

#include <stdint.h>

struct sim_wave {
	double rms;             /* of the fundamental, in channel volts */
	double phase_deg;       /* x = sqrt2 rms cos(wt + phase) */
	double h3, h3_deg;      /* 3rd harmonic: rms as a fraction of the fundamental, phase */
	double h5, h5_deg;      /* 5th harmonic */
	double noise_rms;       /* uniform noise, channel volts rms */
	double dc;              /* offset, channel volts */
};

struct sim;

struct sim *sim_new(double rate_hz, uint64_t seed);
void sim_destroy(struct sim **s);
void sim_set_frequency(struct sim *s, double hz);
void sim_set_wave(struct sim *s, int channel, const struct sim_wave *w);
/* The next n frames. */
void sim_generate(struct sim *s, float *frames, size_t n);

/* What a simulated meter measures: the building's load, or production by
 * the sun (none at night) or by a source that runs day and night. */
enum sim_supply { SIM_LOAD, SIM_SOLAR, SIM_STEADY };

/* The default building at wall time t (UTC seconds) for the meters of ec,
 * each measuring supply[m]. */
void sim_building(struct sim *s, const struct engine_cfg *ec, const enum sim_supply supply[ENGINE_METERS], double t);

/* The daemon's source "sim": the building, paced by the monotonic clock. */
struct source *source_sim_new(const struct config *cfg, char *err, size_t errlen);

#endif

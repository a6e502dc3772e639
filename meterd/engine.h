/* engine: the waveform engine.  It takes interleaved frames of the 27
 * logical ADC channels (V1 V2 V3 CT1_1 .. CT8_3), already in volts (V
 * channels: instantaneous phase-to-neutral volts; CT channels: volts at the
 * CT secondary, 0.333 V rms at the CT's rated current), and once per second
 * of signal closes a window of whole V1 cycles from which every reading of
 * every meter is computed (docs/METERING.md has the definitions).
 *
 * Invariants:
 *  - Nothing is allocated after engine_new(): the per-sample path only adds
 *    products into fixed accumulators.
 *  - The accumulators are raw sums of the signal, independent of the
 *    meters' configuration: gains, scales, phase corrections and the
 *    starting current are applied when a reading is taken, so a reload of
 *    the config never disturbs a window under way.
 *  - Every sample belongs to exactly one window (boundary samples are split
 *    by fractional weights at the interpolated V1 zero crossing), so the
 *    windows' durations add up to the signal's duration and energy
 *    integrated window by window is exact.  The readings come from the
 *    window's whole cycles only: the part of a cycle before the first
 *    crossing after a start (or after a second without V1), and the first
 *    cycle after it, whose period was not yet measured, count in the
 *    duration alone. */
#ifndef METERD_ENGINE_H
#define METERD_ENGINE_H

#include "reading.h"

#include <stdbool.h>
#include <stddef.h>

#define ENGINE_CHANNELS 27 /* V1 V2 V3, then CT<k>_<p> at 3 + 3(k-1) + (p-1) */
#define ENGINE_CTS 24
#define ENGINE_METERS 8
#define ENGINE_CT_FULL_SCALE_V 0.333      /* CT secondary rms volts at the rated current */
#define ENGINE_STARTING_CURRENT 0.002     /* fraction of the CT rating (IEC 62053-21) */

/* The channel index of a name ("V2", "CT3_1"), or -1. */
int engine_channel_index(const char *name);
/* The name of channel index c (0..26) into buf (at least 6 bytes). */
void engine_channel_name(int c, char *buf, size_t len);

struct engine_meter_cfg {
	bool enabled;
	int ct_input;           /* 1..8 */
	int phases;             /* 3 (3LN), 2 (2LN), 1 (LN) */
	double ct_rating_a;
	double voltage_scale;
	double ct_gain[3];
	double ct_phase_deg[3]; /* + when the CT's output leads the true current */
};

struct engine_cfg {
	double rate_hz;         /* samples per second per channel */
	double v_gain[3];
	struct engine_meter_cfg meter[ENGINE_METERS];
};

/* The config of a config document (adc.*, meters[]); rate_hz from
 * adc.sample_rate_hz (a source may then set its own). */
struct config;
void engine_cfg_from_config(struct engine_cfg *ec, const struct config *cfg);

struct engine;

struct engine *engine_new(const struct engine_cfg *cfg);
void engine_destroy(struct engine **e);
/* Takes a new configuration; a changed rate restarts the window. */
void engine_configure(struct engine *e, const struct engine_cfg *cfg);

/* Consumes frames (nframes x ENGINE_CHANNELS floats) up to and including
 * the one that completes a second of signal.  Returns how many it took and
 * sets *second_done when a window closed: then engine_reading() gives that
 * window's readings until the next one closes. */
size_t engine_feed(struct engine *e, const float *frames, size_t nframes, bool *second_done);

/* The last closed window's readings for meter index m (0..7), energies
 * untouched.  Phases below the starting current read zero. */
void engine_reading(const struct engine *e, int m, struct meter_reading *r);
/* The last closed window's duration in seconds (what energy integrates). */
double engine_window_s(const struct engine *e);
/* Seconds of signal consumed so far. */
double engine_signal_s(const struct engine *e);

#endif

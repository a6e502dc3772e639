/* source_sim: see source_sim.h.  Generation is cheap enough to run beside
 * the engine on the hub itself: the fundamental and its harmonics come from
 * one complex rotator stepped per sample (renormalised every block), so a
 * sample costs a few multiply-adds per channel, not a sin() call; the noise
 * is a xorshift generator.  Deterministic for a given seed. */
#include "source_sim.h"

#include "clock.h"
#include "config.h"
#include "config_keys.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEG (M_PI / 180.0)

struct sim_chan {
	double a1, b1, a3, b3, a5, b5; /* x = a Re(z^h) + b Im(z^h) ... */
	double noise, dc;             /* noise: half-width of the uniform */
};

struct sim {
	double rate;
	double zr, zi, sr, si;        /* rotator e^{j w n} and its step */
	uint64_t rng;
	struct sim_chan ch[ENGINE_CHANNELS];
};

struct sim *sim_new(double rate_hz, uint64_t seed)
{
	struct sim *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->rate = rate_hz;
	s->zr = 1;
	s->rng = seed ? seed : 0x9e3779b97f4a7c15ULL;
	sim_set_frequency(s, 50.0);
	return s;
}

void sim_destroy(struct sim **s)
{
	free(*s);
	*s = NULL;
}

void sim_set_frequency(struct sim *s, double hz)
{
	s->sr = cos(2 * M_PI * hz / s->rate);
	s->si = sin(2 * M_PI * hz / s->rate);
}

void sim_set_wave(struct sim *s, int channel, const struct sim_wave *w)
{
	struct sim_chan *c = &s->ch[channel];
	double pk = M_SQRT2 * w->rms;
	/* pk cos(h wt + ph) = pk cos(ph) Re(z^h) - pk sin(ph) Im(z^h) */
	c->a1 = pk * cos(w->phase_deg * DEG);
	c->b1 = -pk * sin(w->phase_deg * DEG);
	c->a3 = pk * w->h3 * cos(w->h3_deg * DEG);
	c->b3 = -pk * w->h3 * sin(w->h3_deg * DEG);
	c->a5 = pk * w->h5 * cos(w->h5_deg * DEG);
	c->b5 = -pk * w->h5 * sin(w->h5_deg * DEG);
	c->noise = w->noise_rms * sqrt(3.0);
	c->dc = w->dc;
}

/* uniform in [-1, 1) */
static inline double s_uniform(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return (double)(*x >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

void sim_generate(struct sim *s, float *frames, size_t n)
{
	for (size_t f = 0; f < n; f++) {
		double zr = s->zr, zi = s->zi;
		double z2r = zr * zr - zi * zi, z2i = 2 * zr * zi;
		double z3r = z2r * zr - z2i * zi, z3i = z2r * zi + z2i * zr;
		double z5r = z3r * z2r - z3i * z2i, z5i = z3r * z2i + z3i * z2r;
		float *x = frames + f * ENGINE_CHANNELS;
		for (int c = 0; c < ENGINE_CHANNELS; c++) {
			const struct sim_chan *k = &s->ch[c];
			double v = k->a1 * zr + k->b1 * zi + k->a3 * z3r + k->b3 * z3i + k->a5 * z5r + k->b5 * z5i + k->dc;
			if (k->noise > 0)
				v += k->noise * s_uniform(&s->rng);
			x[c] = (float)v;
		}
		s->zr = zr * s->sr - zi * s->si;
		s->zi = zr * s->si + zi * s->sr;
	}
	double mag = hypot(s->zr, s->zi);
	s->zr /= mag;
	s->zi /= mag;
}

/* uniform in [-1, 1) from (a, b, c): a hash, so the building is the same
 * for the same second in every run */
static double s_noise(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = a * 0x9e3779b97f4a7c15ULL ^ b * 0xc2b2ae3d27d4eb4fULL ^ c * 0x165667b19e3779f9ULL;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (double)(x >> 11) / (double)(1ULL << 52) - 1.0;
}

/* Fraction of the CT rating drawn at hour h (0..24) of the day. */
static double s_load_curve(double h)
{
	return 0.06 + 0.22 * exp(-pow((h - 12.5) / 3.5, 2)) + 0.08 * exp(-pow((h - 19.0) / 1.5, 2));
}

static double s_solar_curve(double h)
{
	double s = sin(M_PI * (h - 6.0) / 12.0);
	return s > 0 ? 0.35 * s : 0;
}

/* Fraction of the CT rating a day-and-night source makes: slow swells
 * around a third, never nothing. */
static double s_steady_curve(double t, int m)
{
	return 0.3 + 0.1 * sin(t / 1800.0 + m) + 0.03 * sin(t / 97.0 + m);
}

void sim_building(struct sim *s, const struct engine_cfg *ec, const enum sim_supply supply[ENGINE_METERS], double t)
{
	uint64_t sec = (uint64_t)t;
	double h = fmod(t, 86400.0) / 3600.0;
	sim_set_frequency(s, 50.0 + 0.03 * sin(t / 97.0) + 0.002 * s_noise(sec, 0, 99));
	for (int p = 0; p < 3; p++) {
		struct sim_wave v = {
			.rms = (230.0 * (1 + 0.012 * sin(t / 611.0 + p)) + 0.15 * s_noise(sec, 0, (uint64_t)p)) /
			       ec->v_gain[p],
			.phase_deg = -120.0 * p + 0.05 * s_noise(sec, 1, (uint64_t)p),
			.h3 = 0.01, .h3_deg = 20, .h5 = 0.02, .h5_deg = 200,
			.noise_rms = 0.05,
		};
		sim_set_wave(s, p, &v);
	}
	static const double imbalance[3] = { 1.0, 0.85, 1.12 };
	for (int m = 0; m < ENGINE_METERS; m++) {
		const struct engine_meter_cfg *mc = &ec->meter[m];
		if (!mc->enabled)
			continue;
		bool renewable = supply[m] != SIM_LOAD;
		double frac = supply[m] == SIM_SOLAR  ? s_solar_curve(h)
			      : supply[m] == SIM_STEADY ? s_steady_curve(t, m)
							: s_load_curve(h) * (0.7 + 0.08 * (m + 1));
		double pf = renewable ? 0.99 : 0.93 + 0.03 * sin(t / 300.0 + m + 1);
		for (int p = 0; p < 3; p++) {
			struct sim_wave w = { .noise_rms = 0.00005 };
			if (p < mc->phases) {
				double irms = mc->ct_rating_a * frac * imbalance[p] *
					      (1 + 0.03 * s_noise(sec, (uint64_t)m + 1, (uint64_t)p + 10));
				w.rms = irms / mc->ct_rating_a * ENGINE_CT_FULL_SCALE_V / mc->ct_gain[p];
				/* lagging current; a renewable meter's flows out */
				w.phase_deg = -120.0 * p - acos(pf) / DEG + (renewable ? 180.0 : 0.0);
				w.h3 = renewable ? 0.02 : 0.08;
				w.h3_deg = 40;
				w.h5 = renewable ? 0.01 : 0.05;
				w.h5_deg = 250;
			}
			sim_set_wave(s, 3 + 3 * (mc->ct_input - 1) + p, &w);
		}
	}
}

/* The daemon's paced source. */
struct source_sim {
	struct source base;
	struct sim *sim;
	struct engine_cfg ec;
	enum sim_supply supply[ENGINE_METERS];
	long long start_ns;
	unsigned long long done;
	unsigned long long next_update; /* frame at which the building changes */
};

static long s_src_read(struct source *s, float *frames, size_t max, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	struct source_sim *ss = (struct source_sim *)s;
	size_t due = source_due(s->rate_hz, ss->start_ns, clock_mono_ns(), &ss->done, max);
	size_t got = 0;
	while (got < due) {
		if (ss->done + got >= ss->next_update) {
			sim_building(ss->sim, &ss->ec, ss->supply, clock_wall());
			ss->next_update = ss->done + got + (unsigned long long)s->rate_hz;
		}
		size_t n = due - got;
		if (ss->done + got + n > ss->next_update)
			n = (size_t)(ss->next_update - ss->done - got);
		sim_generate(ss->sim, frames + got * ENGINE_CHANNELS, n);
		got += n;
	}
	ss->done += got;
	return (long)got;
}

static void s_src_destroy(struct source *s)
{
	struct source_sim *ss = (struct source_sim *)s;
	sim_destroy(&ss->sim);
	free(ss);
}

static const struct source_ops s_ops = { .read = s_src_read, .destroy = s_src_destroy };

struct source *source_sim_new(const struct config *cfg, char *err, size_t errlen)
{
	struct source_sim *ss = calloc(1, sizeof *ss);
	if (!ss || !(ss->sim = sim_new((double)cfg_adc_sample_rate_hz(cfg), 1))) {
		free(ss);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	engine_cfg_from_config(&ss->ec, cfg);
	for (int m = 0; m < ENGINE_METERS; m++)
		ss->supply[m] = strcmp(cfg_meters_purpose(cfg, m), "renewable") ? SIM_LOAD
				: strcmp(cfg_meters_renewable_source(cfg, m), "solar") ? SIM_STEADY
										       : SIM_SOLAR;
	ss->base = (struct source){ .ops = &s_ops, .kind = "sim", .rate_hz = ss->ec.rate_hz, .simulated = true };
	ss->start_ns = clock_mono_ns();
	return &ss->base;
}

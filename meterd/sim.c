/* sim: see sim.h.  Deterministic for a given meter and time (a hash, not
 * rand()), so two runs of a test see the same building. */
#include "sim.h"

#include <complex.h>
#undef I /* reading.h has an I field: the imaginary unit is J here */
#define J _Complex_I
#include <math.h>
#include <stdint.h>
#include <string.h>

#define DEG (M_PI / 180.0)

/* uniform in [-1, 1) from (a, b, c) */
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

static int s_active_phases(const char *phase_type)
{
	if (!strcmp(phase_type, "LN"))
		return 1;
	if (!strcmp(phase_type, "2LN"))
		return 2;
	return 3;
}

void sim_reading(const struct sim_meter *m, double t, struct meter_reading *r)
{
	memset(r, 0, sizeof *r);
	uint64_t sec = (uint64_t)t;
	double h = fmod(t, 86400.0) / 3600.0;
	bool renewable = !strcmp(m->purpose, "renewable");
	double frac = renewable ? s_solar_curve(h) : s_load_curve(h) * (0.7 + 0.08 * m->id);
	static const double imbalance[3] = { 1.0, 0.85, 1.12 };
	int active = s_active_phases(m->phase_type);
	double complex v[3], i[3] = { 0 };
	/* the supply is shared by every meter: its noise does not depend on id */
	r->F = 50.0 + 0.03 * sin(t / 97.0) + 0.002 * s_noise(sec, 0, 99);
	for (int p = 0; p < 3; p++) {
		double vrms = 230.0 * (1 + 0.012 * sin(t / 611.0 + p)) + 0.15 * s_noise(sec, 0, (uint64_t)p);
		double angle = 120.0 * p + 0.05 * s_noise(sec, 1, (uint64_t)p);
		v[p] = vrms * cexp(-J * angle * DEG);
		r->V[p] = vrms;
		r->A[p] = p == 0 ? 0 : angle;
		if (p >= active)
			continue;
		double irms = m->ct_rating_a * frac * imbalance[p] * (1 + 0.03 * s_noise(sec, (uint64_t)m->id, (uint64_t)p + 10));
		double pf = renewable ? 0.99 : 0.93 + 0.03 * sin(t / 300.0 + m->id);
		double phi = acos(pf); /* current lags voltage */
		/* a renewable meter's current flows out: the phasor is reversed */
		i[p] = (renewable ? -1 : 1) * irms * cexp(-J * (angle * DEG + phi));
		double complex s = v[p] * conj(i[p]);
		r->I[p] = irms;
		r->P[p] = creal(s);
		r->Q[p] = cimag(s);
		r->S[p] = vrms * irms;
		r->PF[p] = r->S[p] > 0 ? r->P[p] / r->S[p] : 0;
	}
	for (int p = 0; p < 3; p++)
		r->U[p] = cabs(v[p] - v[(p + 1) % 3]);
	r->In = cabs(i[0] + i[1] + i[2]);
	reading_sum_phases(r);
}

/* engine: see engine.h.  The design in brief (docs/METERING.md in full):
 *
 *  - Windows of whole cycles.  Positive-going zero crossings of V1 (with
 *    hysteresis, on V1 less its mean over the previous window) are located
 *    between samples by linear interpolation.  A second's window ends at
 *    the last crossing in that second; the samples after it open the next
 *    window.  Each sample stands for the interval [n-1/2, n+1/2): the one
 *    a crossing falls in is split between the two cycles by weight, so a
 *    window's sums are midpoint-rule integrals over exactly whole cycles.
 *    The samples before a window's first crossing (after a start, or when
 *    V1 comes back) are no whole cycle, and the first whole cycle after
 *    them has a reference of a guessed period (below): both are kept
 *    apart, counted in the window's duration so energy stays exact, but
 *    not in its readings.
 *  - DC removal by the window mean: rms^2 = <x^2> - <x>^2 and
 *    P = <v i> - <v><i> over the window.  Over whole cycles the mean of the
 *    AC part is zero, so this removes an offset exactly, with no settling
 *    time (a high-pass filter would need seconds and bend the phase).
 *  - Fundamental phasors by a single-bin DFT per cycle: each cycle is
 *    correlated with exp(-j 2 pi (n - t_cross) / T_prev), a reference that
 *    restarts at every V1 crossing with the previous cycle's period T_prev.
 *    Restarting at the crossing keeps every cycle's phasors on the same
 *    origin (V1's own phase), so they add up over the window without drift
 *    even while the frequency wanders; the DFT over one whole cycle rejects
 *    DC and every harmonic.  We chose this over a quarter-cycle delay of
 *    the voltage because the delay is a fractional number of samples at
 *    any frequency but exactly 50 Hz at 4 kHz, and would need
 *    interpolation and a per-frequency gain correction; the DFT gives Q,
 *    the angles A1..A3 and the CT phase correction from the same numbers.
 *  - CT phase correction as a phasor rotation of the current's
 *    fundamental: the fundamental part of P is replaced by the rotated one
 *    (harmonics keep their measured phase: a CT's phase error is specified
 *    and calibrated at the fundamental).
 *  - Per-cycle accumulators in double are added into the window's at each
 *    crossing; the per-sample path is a fixed set of multiply-adds over
 *    fixed arrays, which the compiler vectorises. */
#include "engine.h"

#include "config.h"
#include "config_keys.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCH ENGINE_CHANNELS
#define NCT ENGINE_CTS
#define TWO_PI (2.0 * M_PI)
#define DEG (M_PI / 180.0)
#define NOMINAL_HZ 50.0
#define MIN_HZ 20.0
#define MAX_HZ 100.0
#define HYSTERESIS_FRACTION 0.1 /* of V1's previous rms */
#define HYSTERESIS_MIN_V 1.0

/* Sums over a cycle or a window; every product weighted by the sample's
 * share w of it. */
struct acc {
	double n;                           /* sum of weights: length in samples */
	double s[NCH], q[NCH];              /* x, x^2 */
	double re[NCH], im[NCH];            /* x * reference (fundamental DFT) */
	double vi[NCT];                     /* v_p * i_kp */
	double ii[NCT];                     /* i_kp * i_k(p+1) */
	double vv[3];                       /* v1 v2, v2 v3, v3 v1 */
};

struct window {
	struct acc a;                       /* whole cycles: what readings come from */
	struct acc lead;                    /* before the first measured cycle: duration only */
	int crossings;                      /* V1 crossings inside, counting a starting one */
	double first_cross, last_cross;     /* sample times */
};

struct engine {
	struct engine_cfg cfg;
	long long n;                        /* index of the next sample */
	long long next_second;              /* sample index that closes the running second */
	int seconds;                        /* seconds closed so far */
	struct acc cycle;                   /* since the last crossing */
	struct window win;                  /* closed cycles of the running window */
	struct window done;                 /* the last closed window */
	bool second_has_cross;              /* a crossing happened in the running second */
	float prev[NCH];                    /* the previous frame */
	double prev_cr, prev_ci;            /* reference at the previous sample */
	double cr, ci, sr, si;              /* reference at this sample, step per sample */
	double period;                      /* samples per cycle, last measured */
	bool ref_measured;                  /* the running cycle's reference has a measured period */
	double last_cross;                  /* time of the last crossing, < 0 none yet */
	double dc, hyst;                    /* V1 offset and hysteresis for detection */
	bool armed;                         /* V1 went below -hyst since the last crossing */
};

int engine_channel_index(const char *name)
{
	if (name[0] == 'V' && name[1] >= '1' && name[1] <= '3' && !name[2])
		return name[1] - '1';
	if (name[0] == 'C' && name[1] == 'T' && name[2] >= '1' && name[2] <= '8' && name[3] == '_' &&
	    name[4] >= '1' && name[4] <= '3' && !name[5])
		return 3 + 3 * (name[2] - '1') + (name[4] - '1');
	return -1;
}

void engine_channel_name(int c, char *buf, size_t len)
{
	if (c < 3)
		snprintf(buf, len, "V%d", c + 1);
	else
		snprintf(buf, len, "CT%d_%d", (c - 3) / 3 + 1, (c - 3) % 3 + 1);
}

void engine_cfg_from_config(struct engine_cfg *ec, const struct config *cfg)
{
	memset(ec, 0, sizeof *ec);
	ec->rate_hz = (double)cfg_adc_sample_rate_hz(cfg);
	for (int p = 0; p < 3; p++)
		ec->v_gain[p] = cfg_adc_v_gain_at(cfg, p);
	for (int m = 0; m < ENGINE_METERS; m++) {
		struct engine_meter_cfg *mc = &ec->meter[m];
		mc->enabled = cfg_meters_enabled(cfg, m);
		mc->ct_input = (int)cfg_meters_ct_input(cfg, m);
		mc->ct_rating_a = cfg_meters_ct_rating_a(cfg, m);
		mc->voltage_scale = cfg_meters_voltage_scale(cfg, m);
		const char *pt = cfg_meters_phase_type(cfg, m);
		mc->phases = !strcmp(pt, "LN") ? 1 : !strcmp(pt, "2LN") ? 2 : 3;
		for (int p = 0; p < 3; p++) {
			mc->ct_gain[p] = cfg_meters_ct_cal_gain(cfg, m, p);
			mc->ct_phase_deg[p] = cfg_meters_ct_cal_phase_deg(cfg, m, p);
		}
	}
}

static void s_reset(struct engine *e)
{
	struct engine_cfg cfg = e->cfg;
	memset(e, 0, sizeof *e);
	e->cfg = cfg;
	e->next_second = llround(e->cfg.rate_hz);
	e->period = e->cfg.rate_hz / NOMINAL_HZ;
	e->last_cross = -1;
	e->cr = 1;
	e->sr = cos(TWO_PI / e->period);
	e->si = -sin(TWO_PI / e->period);
	e->hyst = HYSTERESIS_MIN_V;
}

struct engine *engine_new(const struct engine_cfg *cfg)
{
	struct engine *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->cfg = *cfg;
	s_reset(e);
	return e;
}

void engine_destroy(struct engine **e)
{
	free(*e);
	*e = NULL;
}

void engine_configure(struct engine *e, const struct engine_cfg *cfg)
{
	bool rate_changed = cfg->rate_hz != e->cfg.rate_hz;
	e->cfg = *cfg;
	if (rate_changed)
		s_reset(e);
}

/* The per-sample path: adds frame x with weight w and reference (cr, ci).
 * Inlined with w = 1 for every sample but the ones a crossing splits. */
static inline __attribute__((always_inline)) void s_add(struct acc *restrict a, const float *restrict x, double w,
							 double cr, double ci)
{
	double xw[NCH], xd[NCH];
	for (int c = 0; c < NCH; c++) {
		xd[c] = x[c];
		xw[c] = xd[c] * w;
	}
	a->n += w;
	for (int c = 0; c < NCH; c++) {
		a->s[c] += xw[c];
		a->q[c] += xw[c] * xd[c];
		a->re[c] += xw[c] * cr;
		a->im[c] += xw[c] * ci;
	}
	double vrep[NCT], inext[NCT];
	for (int k = 0; k < NCT; k += 3) {
		vrep[k] = xd[0];
		vrep[k + 1] = xd[1];
		vrep[k + 2] = xd[2];
		inext[k] = xd[3 + k + 1];
		inext[k + 1] = xd[3 + k + 2];
		inext[k + 2] = xd[3 + k];
	}
	for (int j = 0; j < NCT; j++) {
		a->vi[j] += xw[3 + j] * vrep[j];
		a->ii[j] += xw[3 + j] * inext[j];
	}
	a->vv[0] += xw[0] * xd[1];
	a->vv[1] += xw[1] * xd[2];
	a->vv[2] += xw[2] * xd[0];
}

static void s_acc_merge(struct acc *restrict to, const struct acc *restrict from)
{
	const double *f = (const double *)from;
	double *t = (double *)to;
	for (size_t i = 0; i < sizeof *to / sizeof(double); i++)
		t[i] += f[i];
}

/* A positive-going V1 crossing at sample time tc, found on sample n (the
 * frame x; the previous frame is e->prev).  Splits the boundary sample,
 * closes the cycle into the window and starts the next cycle's reference. */
static void s_crossing(struct engine *e, const float *x, double tc)
{
	long long n = e->n;
	double frac = tc - (double)(n - 1); /* (0, 1] */
	bool measured = false;
	if (e->last_cross >= 0) {
		double p = tc - e->last_cross;
		if (p >= e->cfg.rate_hz / MAX_HZ && p <= e->cfg.rate_hz / MIN_HZ) {
			e->period = p;
			measured = true;
		}
	}
	double step = TWO_PI / e->period;
	/* the new cycle's reference at samples n-1 and n */
	double c0 = cos(step * ((double)(n - 1) - tc)), s0 = -sin(step * ((double)(n - 1) - tc));
	double c1 = cos(step * ((double)n - tc)), s1 = -sin(step * ((double)n - tc));
	struct acc next = { 0 };
	if (frac < 0.5) {
		/* the crossing is in sample n-1's interval: move its tail */
		double b = 0.5 - frac;
		s_add(&e->cycle, e->prev, -b, e->prev_cr, e->prev_ci);
		s_add(&next, e->prev, b, c0, s0);
		s_add(&next, x, 1.0, c1, s1);
	} else {
		double a = frac - 0.5;
		if (a > 0)
			s_add(&e->cycle, x, a, e->cr, e->ci);
		s_add(&next, x, 1.0 - a, c1, s1);
	}
	if (e->win.crossings == 0 || !e->ref_measured)
		s_acc_merge(&e->win.lead, &e->cycle); /* see the top */
	else
		s_acc_merge(&e->win.a, &e->cycle);
	e->cycle = next;
	if (e->win.crossings == 0)
		e->win.first_cross = tc;
	e->win.last_cross = tc;
	e->win.crossings++;
	e->second_has_cross = true;
	e->last_cross = tc;
	e->ref_measured = measured;
	e->sr = cos(step);
	e->si = -sin(step);
	e->prev_cr = c1;
	e->prev_ci = s1;
	/* the reference at sample n+1 */
	e->cr = c1 * e->sr - s1 * e->si;
	e->ci = c1 * e->si + s1 * e->sr;
	e->armed = false;
}

/* The second that ended at sample e->n closes the window. */
static void s_close_second(struct engine *e)
{
	if (!e->second_has_cross) {
		/* no V1 cycle in the whole second (no voltage): the window is
		 * the second itself */
		s_acc_merge(&e->win.a, &e->cycle);
		memset(&e->cycle, 0, sizeof e->cycle);
	}
	if (e->win.a.n <= 0) {
		/* not one whole cycle (V1 came back at the end of the second):
		 * the part it has is better than nothing */
		s_acc_merge(&e->win.a, &e->win.lead);
		memset(&e->win.lead, 0, sizeof e->win.lead);
	}
	e->done = e->win;
	memset(&e->win, 0, sizeof e->win);
	if (e->second_has_cross) {
		/* the next window starts at the crossing this one ended on */
		e->win.crossings = 1;
		e->win.first_cross = e->win.last_cross = e->done.last_cross;
	}
	e->second_has_cross = false;
	e->seconds++;
	e->next_second = llround(e->cfg.rate_hz * (e->seconds + 1));
	/* detection follows V1's offset and level */
	const struct acc *a = &e->done.a;
	if (a->n > 0) {
		double mean = a->s[0] / a->n;
		double var = a->q[0] / a->n - mean * mean;
		e->dc = mean;
		e->hyst = fmax(HYSTERESIS_MIN_V, HYSTERESIS_FRACTION * sqrt(fmax(var, 0)));
	}
}

size_t engine_feed(struct engine *e, const float *frames, size_t nframes, bool *second_done)
{
	*second_done = false;
	for (size_t f = 0; f < nframes; f++) {
		const float *x = frames + f * NCH;
		double v = x[0] - e->dc;
		double pv = e->prev[0] - e->dc;
		if (v < -e->hyst)
			e->armed = true;
		if (e->armed && v >= 0 && pv < 0 && e->n > 0) {
			s_crossing(e, x, (double)(e->n - 1) + (-pv) / (v - pv));
		} else {
			s_add(&e->cycle, x, 1.0, e->cr, e->ci);
			/* the reference used for this sample, for a split at the next */
			e->prev_cr = e->cr;
			e->prev_ci = e->ci;
			double cr = e->cr * e->sr - e->ci * e->si;
			e->ci = e->cr * e->si + e->ci * e->sr;
			e->cr = cr;
		}
		memcpy(e->prev, x, sizeof e->prev);
		e->n++;
		if (e->n >= e->next_second) {
			s_close_second(e);
			*second_done = true;
			return f + 1;
		}
	}
	return nframes;
}

double engine_window_s(const struct engine *e)
{
	return (e->done.a.n + e->done.lead.n) / e->cfg.rate_hz;
}

double engine_signal_s(const struct engine *e)
{
	return (double)e->n / e->cfg.rate_hz;
}

/* Covariance of channels (or products) from window sums. */
static double s_cov(double sxy, double sx, double sy, double n)
{
	return sxy / n - (sx / n) * (sy / n);
}

void engine_reading(const struct engine *e, int m, struct meter_reading *r)
{
	memset(r, 0, sizeof *r);
	const struct engine_meter_cfg *mc = &e->cfg.meter[m];
	const struct acc *a = &e->done.a;
	double n = a->n;
	r->phases = mc->phases;
	if (n <= 0)
		return;
	/* voltages: shared by every meter, scaled by the meter's transformer */
	double gv[3], vre[3], vim[3];
	for (int p = 0; p < 3; p++) {
		gv[p] = e->cfg.v_gain[p] * mc->voltage_scale;
		r->V[p] = gv[p] * sqrt(fmax(0, s_cov(a->q[p], a->s[p], a->s[p], n)));
		vre[p] = gv[p] * M_SQRT2 * a->re[p] / n;
		vim[p] = gv[p] * M_SQRT2 * a->im[p] / n;
	}
	for (int p = 0; p < 3; p++) {
		int q = (p + 1) % 3;
		double u2 = gv[p] * gv[p] * s_cov(a->q[p], a->s[p], a->s[p], n) +
			    gv[q] * gv[q] * s_cov(a->q[q], a->s[q], a->s[q], n) -
			    2 * gv[p] * gv[q] * s_cov(a->vv[p], a->s[p], a->s[q], n);
		r->U[p] = sqrt(fmax(0, u2));
		if (p > 0 && hypot(vre[p], vim[p]) > 0 && hypot(vre[0], vim[0]) > 0) {
			double ang = (atan2(vim[0], vre[0]) - atan2(vim[p], vre[p])) / DEG;
			ang = fmod(ang, 360.0);
			if (ang < 0)
				ang += 360.0;
			r->A[p] = ang >= 359.995 ? 0 : ang; /* never 360.00 once rounded */
		}
	}
	if (e->done.crossings >= 2 && e->done.last_cross > e->done.first_cross)
		r->F = (e->done.crossings - 1) * e->cfg.rate_hz / (e->done.last_cross - e->done.first_cross);

	/* currents */
	int base = 3 + 3 * (mc->ct_input - 1);
	double start = ENGINE_STARTING_CURRENT * mc->ct_rating_a;
	double gi[3] = { 0 }, ire[3] = { 0 }, iim[3] = { 0 }; /* measured fundamental */
	double cre[3] = { 0 }, cim[3] = { 0 };                  /* corrected */
	bool live[3] = { false };                               /* at or above the starting current */
	for (int p = 0; p < mc->phases; p++) {
		int c = base + p, j = c - 3;
		gi[p] = mc->ct_rating_a / ENGINE_CT_FULL_SCALE_V * mc->ct_gain[p];
		ire[p] = gi[p] * M_SQRT2 * a->re[c] / n;
		iim[p] = gi[p] * M_SQRT2 * a->im[c] / n;
		/* the CT's output leads by phase_deg: turn it back */
		double th = -mc->ct_phase_deg[p] * DEG;
		cre[p] = ire[p] * cos(th) - iim[p] * sin(th);
		cim[p] = ire[p] * sin(th) + iim[p] * cos(th);
		double irms = gi[p] * sqrt(fmax(0, s_cov(a->q[c], a->s[c], a->s[c], n)));
		if (irms < start)
			continue; /* below the starting current: reads 0 and registers nothing */
		live[p] = true;
		double p_raw = gv[p] * gi[p] * s_cov(a->vi[j], a->s[p], a->s[c], n);
		/* V conj(I): real part is the fundamental's P, imaginary its Q */
		double pf_meas = vre[p] * ire[p] + vim[p] * iim[p];
		double pf_corr = vre[p] * cre[p] + vim[p] * cim[p];
		r->I[p] = irms;
		r->P[p] = p_raw - pf_meas + pf_corr;
		r->Q[p] = vim[p] * cre[p] - vre[p] * cim[p];
		r->S[p] = r->V[p] * irms;
		r->PF[p] = r->S[p] > 0 ? r->P[p] / r->S[p] : 0;
	}
	/* neutral: rms of the sum of the phases in use that read a current
	 * (noise below the starting current on three idle phases would add
	 * up to more than it), from the covariances, with the fundamental
	 * part rotated like the phases' */
	double in2 = 0, sre = 0, sim = 0, tre = 0, tim = 0;
	for (int p = 0; p < mc->phases; p++) {
		if (!live[p])
			continue;
		int c = base + p, q = (p + 1) % 3, cq = base + q;
		in2 += gi[p] * gi[p] * s_cov(a->q[c], a->s[c], a->s[c], n);
		if (q < mc->phases && live[q] && (mc->phases == 3 || p == 0))
			in2 += 2 * gi[p] * gi[q] * s_cov(a->ii[c - 3], a->s[c], a->s[cq], n);
		sre += ire[p];
		sim += iim[p];
		tre += cre[p];
		tim += cim[p];
	}
	in2 += (tre * tre + tim * tim) - (sre * sre + sim * sim);
	double in = sqrt(fmax(0, in2));
	r->In = in < start ? 0 : in;
	reading_sum_phases(r);
}

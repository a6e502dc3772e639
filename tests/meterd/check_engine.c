/* check_engine: the engine against analytic values.  Each row describes
 * waveforms (per phase: fundamental rms and phase of voltage and current,
 * harmonics, DC, noise, frequency) and a meter's configuration; the test
 * synthesises the samples itself with libm's cos() and computes the
 * expected readings from the textbook formulas for sums of sinusoids
 * (rms^2 = sum of the harmonics' rms^2, P = sum of V_h I_h cos(phi_h),
 * Q = V_1 I_1 sin(phi_1), phasor sums for U and In), never with the
 * engine's code.  Every quantity must be within 0.1% of its own value
 * (values near zero: within 0.1% of the quantity they are part of, P and Q
 * of S, PF of 1, In of I, an angle of 360 degrees), F within 0.01 Hz,
 * every energy register after a known time within 0.5%. */
#include <check.h>

#include "engine.h"
#include "registers.h"

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#undef I
#define J _Complex_I
#define DEG (M_PI / 180.0)
#define RATE 4000.0
#define SETTLE_S 2 /* seconds fed before the checked one */

struct phase_sig {
	double v, v_deg; /* fundamental rms volts, phase */
	double i, i_deg; /* fundamental rms amps (primary), phase */
};

struct row {
	const char *name;
	double f;
	int phases;                 /* 3LN 3, 2LN 2, LN 1 */
	int connector;              /* CT input, 0 means 1 */
	struct phase_sig ph[3];
	double vh3, vh5, ih3, ih5;  /* harmonic rms as fractions of the fundamental */
	double h3_deg, h5_deg;      /* harmonic phase offset (added to h * fundamental phase) */
	double vdc, idc;            /* offsets: volts, CT secondary volts */
	double inoise;              /* CT noise, secondary volts rms */
	double rating;              /* CT rating, A; 0 means 100 */
	double vscale;              /* 0 means 1 */
	double gain, cal_deg;       /* CT calibration the engine is told; the CT reads 1/gain, leading by cal_deg */
	bool no_load;               /* expect every current quantity exactly 0 */
};

#define BAL(V, Iamp, PHI) \
	{ { V, 0, Iamp, -(PHI) }, { V, -120, Iamp, -120 - (PHI) }, { V, 120, Iamp, 120 - (PHI) } }

static const struct row s_rows[] = {
	{ .name = "PF 1", .f = 50, .phases = 3, .ph = BAL(230, 50, 0) },
	{ .name = "PF 0.5 lagging", .f = 50, .phases = 3, .ph = BAL(230, 50, 60) },
	{ .name = "PF 0.8 leading", .f = 50, .phases = 3, .ph = BAL(230, 40, -36.869898) },
	{ .name = "3rd and 5th harmonics", .f = 50, .phases = 3, .ph = BAL(230, 60, 25),
	  .vh3 = 0.03, .vh5 = 0.04, .ih3 = 0.30, .ih5 = 0.15, .h3_deg = 20, .h5_deg = -35 },
	{ .name = "49.5 Hz", .f = 49.5, .phases = 3, .ph = BAL(230, 30, 30) },
	{ .name = "60.5 Hz", .f = 60.5, .phases = 3, .ph = BAL(120, 30, 30) },
	{ .name = "DC offset", .f = 50, .phases = 3, .ph = BAL(230, 50, 30), .vdc = 8, .idc = 0.02 },
	{ .name = "unbalanced three phases", .f = 50, .phases = 3, .connector = 5,
	  .ph = { { 225, 0, 12, -10 }, { 233, -118.5, 47, -118.5 - 35 }, { 238, 121, 81, 121 + 15 } } },
	{ .name = "reversed CT on phase 2", .f = 50, .phases = 3, .ph = { { 230, 0, 40, -20 }, { 230, -120, 40, -120 - 20 + 180 }, { 230, 120, 40, 120 - 20 } } },
	{ .name = "single phase LN", .f = 50, .phases = 1, .ph = { { 231, 0, 22, -30 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 } } },
	{ .name = "split phase 2LN", .f = 50, .phases = 2,
	  .ph = { { 120, 0, 30, -20 }, { 120, 180, 18, 180 - 40 }, { 0, 0, 0, 0 } } },
	{ .name = "low load (1% of rating)", .f = 50, .phases = 3, .rating = 200, .ph = BAL(230, 2, 20), .inoise = 2e-5 },
	{ .name = "no load with noise", .f = 50, .phases = 3, .ph = BAL(230, 0, 0), .inoise = 3e-4, .no_load = true },
	/* the starting current is 0.2% of the rating (IEC 62053-21) */
	{ .name = "below the starting current (0.15% of rating)", .f = 50, .phases = 3, .ph = BAL(230, 0.15, 30),
	  .no_load = true },
	{ .name = "above the starting current (0.3% of rating)", .f = 50, .phases = 3, .ph = BAL(230, 0.3, 30) },
	{ .name = "CT calibration (gain 1.05, 2 deg lead) at PF 0.5", .f = 50, .phases = 3, .ph = BAL(230, 50, 60),
	  .gain = 1.05, .cal_deg = 2 },
	{ .name = "voltage scale 100 (MV transformer)", .f = 50, .phases = 3, .vscale = 100, .rating = 20,
	  .ph = BAL(63.5, 10, 18) },
};
#define NROWS ((int)(sizeof s_rows / sizeof s_rows[0]))

static double s_rating(const struct row *r)
{
	return r->rating ? r->rating : 100;
}

static int s_connector(const struct row *r)
{
	return r->connector ? r->connector : 1;
}

static void s_cfg(const struct row *r, struct engine_cfg *ec)
{
	memset(ec, 0, sizeof *ec);
	ec->rate_hz = RATE;
	for (int p = 0; p < 3; p++)
		ec->v_gain[p] = 1;
	struct engine_meter_cfg *mc = &ec->meter[2];
	mc->enabled = true;
	mc->ct_input = s_connector(r);
	mc->phases = r->phases;
	mc->ct_rating_a = s_rating(r);
	mc->voltage_scale = r->vscale ? r->vscale : 1;
	for (int p = 0; p < 3; p++) {
		mc->ct_gain[p] = r->gain ? r->gain : 1;
		mc->ct_phase_deg[p] = r->cal_deg;
	}
}

/* deterministic noise, uniform with the given rms */
static double s_noise(unsigned long long *x, double rms)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((double)(*x >> 11) / 9007199254740992.0 * 2 - 1) * rms * sqrt(3.0);
}

/* Samples of the row's signal from sample n0, nframes of them. */
static void s_synth(const struct row *r, long n0, size_t nframes, float *frames, unsigned long long *rng)
{
	double kct = 0.333 / s_rating(r), g = r->gain ? r->gain : 1;
	int base = 3 + 3 * (s_connector(r) - 1);
	memset(frames, 0, nframes * ENGINE_CHANNELS * sizeof *frames);
	for (size_t k = 0; k < nframes; k++) {
		double wt = 2 * M_PI * r->f * (double)(n0 + (long)k) / RATE;
		float *x = frames + k * ENGINE_CHANNELS;
		for (int p = 0; p < 3; p++) {
			const struct phase_sig *s = &r->ph[p];
			double fv = s->v_deg * DEG, fi = (s->i_deg + r->cal_deg) * DEG;
			double v = s->v * (cos(wt + fv) + r->vh3 * cos(3 * (wt + fv) + r->h3_deg * DEG) +
					   r->vh5 * cos(5 * (wt + fv) + r->h5_deg * DEG));
			double i = s->i * (cos(wt + fi) + r->ih3 * cos(3 * (wt + fi) + r->h3_deg * DEG) +
					   r->ih5 * cos(5 * (wt + fi) + r->h5_deg * DEG));
			x[p] = (float)(M_SQRT2 * v + r->vdc); /* secondary volts: the row gives them */
			x[base + p] = (float)(M_SQRT2 * i * kct / g + r->idc + s_noise(rng, r->inoise));
		}
	}
}

/* The expected readings, from the formulas (harmonic h of phase p has
 * phase h*phi_p + offset_h, so voltage and current harmonics are at the
 * angle difference h*(phi_v - phi_i)). */
static void s_expected(const struct row *r, struct meter_reading *e)
{
	memset(e, 0, sizeof *e);
	double hv[3] = { 1, r->vh3, r->vh5 }, hi[3] = { 1, r->ih3, r->ih5 };
	int order[3] = { 1, 3, 5 };
	double vsum2 = 0;
	for (int p = 0; p < 3; p++) {
		const struct phase_sig *s = &r->ph[p];
		e->V[p] = s->v * sqrt(1 + r->vh3 * r->vh3 + r->vh5 * r->vh5);
		int q = (p + 1) % 3;
		double u2 = 0;
		for (int h = 0; h < 3; h++) {
			double complex a = s->v * hv[h] * cexp(J * order[h] * s->v_deg * DEG);
			double complex b = r->ph[q].v * hv[h] * cexp(J * order[h] * r->ph[q].v_deg * DEG);
			u2 += pow(cabs(a - b), 2);
		}
		e->U[p] = sqrt(u2);
		e->A[p] = p ? fmod(r->ph[0].v_deg - s->v_deg + 720, 360) : 0;
		if (p >= r->phases || r->no_load)
			continue;
		e->I[p] = s->i * sqrt(1 + r->ih3 * r->ih3 + r->ih5 * r->ih5);
		for (int h = 0; h < 3; h++)
			e->P[p] += s->v * hv[h] * s->i * hi[h] * cos(order[h] * (s->v_deg - s->i_deg) * DEG);
		e->Q[p] = s->v * s->i * sin((s->v_deg - s->i_deg) * DEG);
		e->S[p] = e->V[p] * e->I[p];
		e->PF[p] = e->P[p] / e->S[p];
		vsum2 += e->V[p];
	}
	double vs = r->vscale ? r->vscale : 1;
	for (int p = 0; p < 3; p++) {
		e->V[p] *= vs;
		e->U[p] *= vs;
		e->P[p] *= vs;
		e->Q[p] *= vs;
		e->S[p] *= vs;
	}
	double in2 = 0;
	for (int h = 0; h < 3 && !r->no_load; h++) {
		double complex sum = 0;
		for (int p = 0; p < r->phases; p++)
			sum += r->ph[p].i * hi[h] * cexp(J * order[h] * r->ph[p].i_deg * DEG);
		in2 += pow(cabs(sum), 2);
	}
	e->In = sqrt(in2);
	e->F = r->f;
	int n = r->phases;
	for (int p = 0; p < n; p++) {
		e->Vsys += e->V[p] / n;
		e->Isys += e->I[p];
		e->Psys += e->P[p];
		e->Qsys += e->Q[p];
		e->Ssys += e->S[p];
	}
	e->Usys = n == 3 ? (e->U[0] + e->U[1] + e->U[2]) / 3 : e->U[0];
	e->PFsys = e->Ssys > 0 ? e->Psys / e->Ssys : 0;
	(void)vsum2;
}

struct run {
	struct engine *e;
	unsigned long long rng;
	long n;
	float frames[1000 * ENGINE_CHANNELS];
};

/* Feeds the row's signal until the next window closes. */
static void s_second(struct run *run, const struct row *r)
{
	for (;;) {
		s_synth(r, run->n, 1000, run->frames, &run->rng);
		size_t off = 0;
		bool done = false;
		while (off < 1000 && !done)
			off += engine_feed(run->e, run->frames + off * ENGINE_CHANNELS, 1000 - off, &done);
		run->n += (long)off;
		if (done)
			return;
	}
}

static double s_worst[64];

/* The scale an error is measured against: the value itself, or when it is
 * near zero (under 1% of the quantity it is part of) that quantity. */
static double s_scale(double want, double part_of)
{
	return fabs(want) >= 0.01 * part_of ? fabs(want) : part_of;
}

static void s_close(const char *row, const char *what, double got, double want, double scale, double tol)
{
	double err = fabs(got - want);
	double rel = scale > 0 ? err / scale : err;
	ck_assert_msg(err <= tol * scale || (scale == 0 && err == 0), "%s: %s is %.6f, expected %.6f (error %.4f%%)", row,
		      what, got, want, rel * 100);
}

/* "V[p]" at phase index p as the manual names it, "V2" */
static const char *s_label(char *buf, size_t len, const char *field, int p)
{
	const char *at = strstr(field, "[p]");
	if (!at)
		return field;
	snprintf(buf, len, "%.*s%d", (int)(at - field), field, p + 1);
	return buf;
}

static void s_compare(int i, const struct meter_reading *g, const struct meter_reading *w)
{
	const struct row *r = &s_rows[i];
	const char *nm = r->name;
	double worst = 0;
	char label[16];
	int p = 0;
#define CMP(field, scale, tol) \
	do { \
		double sc = (scale); \
		s_close(nm, s_label(label, sizeof label, #field, p), g->field, w->field, sc, tol); \
		if (sc > 0 && fabs(g->field - w->field) / sc > worst) \
			worst = fabs(g->field - w->field) / sc; \
	} while (0)
	for (p = 0; p < 3; p++) {
		/* the voltages are the shared reference: every meter reads all three */
		CMP(V[p], s_scale(w->V[p], w->Vsys), 1e-3);
		CMP(A[p], s_scale(w->A[p], 360), 1e-3);
		if (p < r->phases) {
			CMP(I[p], fmax(w->I[p], 1e-9), 1e-3);
			CMP(P[p], s_scale(w->P[p], w->S[p]), 1e-3);
			CMP(Q[p], s_scale(w->Q[p], w->S[p]), 1e-3);
			CMP(S[p], fmax(w->S[p], 1e-9), 1e-3);
			CMP(PF[p], s_scale(w->PF[p], 1), 1e-3);
		} else {
			ck_assert_msg(g->I[p] == 0 && g->P[p] == 0 && g->Q[p] == 0 && g->S[p] == 0 && g->PF[p] == 0,
				      "%s: phase %d not in use reads %g A %g W", nm, p + 1, g->I[p], g->P[p]);
		}
	}
	if (r->phases == 3)
		for (p = 0; p < 3; p++)
			CMP(U[p], w->U[p], 1e-3);
	else
		CMP(U[0], w->U[0], 1e-3);
	CMP(Usys, w->Usys, 1e-3);
	CMP(In, s_scale(w->In, w->Isys), 1e-3);
	CMP(Vsys, w->Vsys, 1e-3);
	CMP(Isys, fmax(w->Isys, 1e-9), 1e-3);
	CMP(Psys, s_scale(w->Psys, w->Ssys), 1e-3);
	CMP(Qsys, s_scale(w->Qsys, w->Ssys), 1e-3);
	CMP(Ssys, fmax(w->Ssys, 1e-9), 1e-3);
	CMP(PFsys, s_scale(w->PFsys, 1), 1e-3);
	ck_assert_msg(fabs(g->F - w->F) <= 0.01, "%s: F is %.4f, expected %.4f", nm, g->F, w->F);
#undef CMP
	s_worst[i] = worst;
}

/* Feeds settle seconds, then checks three windows in a row. */
static void s_accuracy(int i, int settle)
{
	const struct row *r = &s_rows[i];
	struct engine_cfg ec;
	s_cfg(r, &ec);
	struct run *run = calloc(1, sizeof *run);
	run->e = engine_new(&ec);
	run->rng = 12345;
	for (int s = 0; s < settle; s++)
		s_second(run, r);
	struct meter_reading want, got;
	s_expected(r, &want);
	for (int s = 0; s < 3; s++) { /* three windows in a row, each must hold */
		s_second(run, r);
		engine_reading(run->e, 2, &got);
		s_compare(i, &got, &want);
	}
	if (r->no_load) {
		ck_assert(got.I[0] == 0 && got.I[1] == 0 && got.I[2] == 0 && got.In == 0);
		ck_assert(got.P[0] == 0 && got.Q[0] == 0 && got.S[0] == 0 && got.Psys == 0 && got.PF[0] == 0);
	}
	printf("engine: %-50s %s worst error %.5f%% (F %.4f Hz)\n", r->name, settle ? "settled" : "from start",
	       s_worst[i] * 100, got.F);
	engine_destroy(&run->e);
	free(run);
}

START_TEST(every_reading_within_a_tenth_of_a_percent_of_the_analytic_value)
{
	s_accuracy(_i, SETTLE_S);
}
END_TEST

/* The first window after a start (V1 begins mid-cycle, a quarter cycle
 * before a peak) holds the same: the part before the first crossing is no
 * whole cycle. */
START_TEST(the_first_window_after_a_start_is_as_accurate)
{
	s_accuracy(_i, 0);
}
END_TEST

/* Registers fed window by window (as meterd does) hold P * t after t. */
START_TEST(energy_after_a_known_time_within_half_a_percent)
{
	const struct row *r = &s_rows[_i];
	struct engine_cfg ec;
	s_cfg(r, &ec);
	struct run *run = calloc(1, sizeof *run);
	run->e = engine_new(&ec);
	char warn[64];
	struct registers *regs = registers_open(NULL, NULL, warn, sizeof warn);
	const int seconds = 30;
	struct meter_reading got, want;
	for (int s = 0; s < seconds; s++) {
		s_second(run, r);
		engine_reading(run->e, 2, &got);
		registers_accumulate(regs, 3, &got, engine_window_s(run->e));
	}
	s_expected(r, &want);
	/* the registers by their definitions: import and export from the sign
	 * of P, lagging and leading from the sign of Q, each phase from its
	 * own power and the system from the summed power (so a reversed CT
	 * exports on its phase while the system may still import) */
	double h = seconds / 3600.0;
	struct energy wp[3] = { { 0 } }, ws = { 0 };
	for (int p = 0; p < 3; p++) {
		wp[p].E = fmax(want.P[p], 0) * h;
		wp[p].Ex = fmax(-want.P[p], 0) * h;
		wp[p].RE = fmax(want.Q[p], 0) * h;
		wp[p].REx = fmax(-want.Q[p], 0) * h;
		wp[p].AE = want.S[p] * h;
	}
	ws.E = fmax(want.Psys, 0) * h;
	ws.Ex = fmax(-want.Psys, 0) * h;
	ws.RE = fmax(want.Qsys, 0) * h;
	ws.REx = fmax(-want.Qsys, 0) * h;
	ws.AE = want.Ssys * h;
	static const char *const names[] = { "E", "Ex", "RE", "REx", "AE" };
	for (int p = 0; p <= 3; p++) {
		const struct energy *g = p < 3 ? &got.phase_energy[p] : &got.sys_energy, *w = p < 3 ? &wp[p] : &ws;
		double gv[5] = { g->E, g->Ex, g->RE, g->REx, g->AE }, wv[5] = { w->E, w->Ex, w->RE, w->REx, w->AE };
		/* a register that should stay near zero: within 0.5% of the apparent energy */
		double part_of = fmax(w->AE, 1e-9);
		for (int k = 0; k < 5; k++) {
			double sc = s_scale(wv[k], part_of);
			ck_assert_msg(fabs(gv[k] - wv[k]) <= 5e-3 * sc, "%s: %s%s %.5f after %d s, expected %.5f (error %.3f%%)",
				      r->name, names[k], p < 3 ? (const char *[]){ "1", "2", "3" }[p] : " (system)", gv[k],
				      seconds, wv[k], fabs(gv[k] - wv[k]) / sc * 100);
		}
	}
	struct energy e = got.sys_energy;
	double psys = want.Psys * h, aeh = want.Ssys * h;
	if (r->no_load)
		ck_assert_msg(e.E == 0 && e.Ex == 0 && e.RE == 0 && e.REx == 0 && e.AE == 0,
			      "%s: an idle CT registered energy (E %g, AE %g)", r->name, e.E, e.AE);
	printf("energy: %-50s E %.4f Wh (expected %.4f), AE %.4f VAh (expected %.4f)\n", r->name, e.E - e.Ex, psys,
	       e.AE, aeh);
	registers_destroy(&regs);
	engine_destroy(&run->e);
	free(run);
}
END_TEST

/* An idle meter: CT noise, each phase below the starting current, of every
 * shape; every current quantity must read exactly 0 and nothing register,
 * for every CT rating and up to just below the threshold.  97% keeps the
 * measured rms of white noise (its window-to-window spread is ~0.7% at
 * 4000 samples) below the threshold in every window. */
struct idle_shape {
	const char *name;
	int phases;
	bool white;        /* uncorrelated noise on each CT */
	bool common;       /* 50 Hz pickup at V1's angle on every CT (adds up in the neutral) */
	bool own;          /* 50 Hz pickup in phase with each phase's voltage (reads as P if let through) */
	double idc;        /* CT offset, secondary volts */
};

static const struct idle_shape s_idle_shapes[] = {
	{ "white noise, 3LN", 3, true, false, false, 0 },
	{ "mains pickup common to the CTs, 3LN", 3, false, true, false, 0 },
	{ "pickup in phase with each voltage, 3LN", 3, false, false, true, 0 },
	{ "white noise and a DC offset, 3LN", 3, true, false, false, 0.02 },
	{ "mains pickup common to the CTs, 2LN", 2, false, true, false, 0 },
	{ "white noise, LN", 1, true, false, false, 0 },
};
static const double s_idle_ratings[] = { 30, 50, 100, 200, 400, 800, 1500, 3000, 6000 };
static const double s_idle_fractions[] = { 0.25, 0.5, 0.9, 0.97 };
#define NIDLE_SHAPES ((int)(sizeof s_idle_shapes / sizeof s_idle_shapes[0]))
#define NIDLE_RATINGS ((int)(sizeof s_idle_ratings / sizeof s_idle_ratings[0]))

START_TEST(an_idle_meter_reads_zero_in_every_current_quantity_and_registers_nothing)
{
	const struct idle_shape *sh = &s_idle_shapes[_i / NIDLE_RATINGS];
	double rating = s_idle_ratings[_i % NIDLE_RATINGS];
	for (size_t k = 0; k < sizeof s_idle_fractions / sizeof s_idle_fractions[0]; k++) {
		double frac = s_idle_fractions[k], start_a = ENGINE_STARTING_CURRENT * rating;
		/* BAL(230, 0, 0) with the noise of the shape */
		struct row r = { .name = sh->name, .f = 50, .phases = sh->phases, .rating = rating, .ph = BAL(230, 0, 0),
				 .idc = sh->idc };
		if (sh->white)
			r.inoise = frac * start_a * ENGINE_CT_FULL_SCALE_V / rating;
		for (int p = 0; p < 3; p++) {
			if (sh->common)
				r.ph[p].i = frac * start_a, r.ph[p].i_deg = 0;
			if (sh->own)
				r.ph[p].i = frac * start_a, r.ph[p].i_deg = r.ph[p].v_deg;
		}
		struct engine_cfg ec;
		s_cfg(&r, &ec);
		struct run *run = calloc(1, sizeof *run);
		run->e = engine_new(&ec);
		run->rng = 777;
		char warn[64];
		struct registers *regs = registers_open(NULL, NULL, warn, sizeof warn);
		struct meter_reading got;
		for (int sec = 0; sec < 5; sec++) {
			s_second(run, &r);
			engine_reading(run->e, 2, &got);
			registers_accumulate(regs, 3, &got, engine_window_s(run->e));
			for (int p = 0; p < 3; p++)
				ck_assert_msg(got.I[p] == 0 && got.P[p] == 0 && got.Q[p] == 0 && got.S[p] == 0 &&
						      got.PF[p] == 0,
					      "%s, %g A CT, noise %.0f%% of the threshold: phase %d reads I %g A, P %g W, "
					      "Q %g var, S %g VA, PF %g",
					      sh->name, rating, frac * 100, p + 1, got.I[p], got.P[p], got.Q[p], got.S[p],
					      got.PF[p]);
			ck_assert_msg(got.In == 0 && got.Isys == 0 && got.Psys == 0 && got.Qsys == 0 && got.Ssys == 0 &&
					      got.PFsys == 0,
				      "%s, %g A CT, noise %.0f%% of the threshold: In %g A (threshold %g A), I %g A, P %g W, "
				      "Q %g var, S %g VA, PF %g",
				      sh->name, rating, frac * 100, got.In, start_a, got.Isys, got.Psys, got.Qsys, got.Ssys,
				      got.PFsys);
			ck_assert(got.V[0] > 229 && got.F > 49.9); /* the voltages still read */
		}
		const struct energy *en[4] = { &got.phase_energy[0], &got.phase_energy[1], &got.phase_energy[2],
					       &got.sys_energy };
		for (int p = 0; p < 4; p++)
			ck_assert_msg(en[p]->E == 0 && en[p]->Ex == 0 && en[p]->RE == 0 && en[p]->REx == 0 &&
					      en[p]->AE == 0,
				      "%s, %g A CT: an idle meter registered energy (register %d: E %g, AE %g)", sh->name,
				      rating, p, en[p]->E, en[p]->AE);
		registers_destroy(&regs);
		engine_destroy(&run->e);
		free(run);
	}
}
END_TEST

/* In sums only the phases that read a current: one loaded phase and two
 * with pickup just below the threshold at the same angle read In = I1. */
START_TEST(the_neutral_sums_only_the_phases_that_read_a_current)
{
	const double rating = 200, pickup = 0.97 * ENGINE_STARTING_CURRENT * rating;
	const struct row r = { .name = "one loaded phase", .f = 50, .phases = 3, .rating = rating,
			       .ph = { { 230, 0, 10, 0 }, { 230, -120, pickup, 0 }, { 230, 120, pickup, 0 } } };
	struct engine_cfg ec;
	s_cfg(&r, &ec);
	struct run *run = calloc(1, sizeof *run);
	run->e = engine_new(&ec);
	struct meter_reading got;
	for (int sec = 0; sec < 3; sec++)
		s_second(run, &r);
	engine_reading(run->e, 2, &got);
	ck_assert_msg(fabs(got.I[0] - 10) < 1e-2 && got.I[1] == 0 && got.I[2] == 0, "I %g %g %g", got.I[0], got.I[1],
		      got.I[2]);
	ck_assert_msg(fabs(got.In - got.I[0]) < 1e-3 * got.I[0], "In %g A, I1 %g A (phases 2, 3 below the threshold)",
		      got.In, got.I[0]);
	ck_assert_msg(fabs(got.Isys - got.I[0]) < 1e-12, "I %g A", got.Isys);
	engine_destroy(&run->e);
	free(run);
}
END_TEST

/* A window's durations add up: 10 s of signal give 10 s of windows, less
 * at most the cycle after the last crossing. */
START_TEST(windows_cover_the_signal_without_gaps)
{
	const struct row *r = &s_rows[5]; /* 60.5 Hz: cycles are no whole number of samples */
	struct engine_cfg ec;
	s_cfg(r, &ec);
	struct run *run = calloc(1, sizeof *run);
	run->e = engine_new(&ec);
	double total = 0;
	for (int s = 0; s < 10; s++) {
		s_second(run, r);
		total += engine_window_s(run->e);
	}
	ck_assert_msg(total <= 10.0 + 1e-9 && total >= 10.0 - 1.0 / r->f, "windows cover %.6f s of 10 s", total);
	engine_destroy(&run->e);
	free(run);
}
END_TEST

START_TEST(channel_names_map_to_indices_and_back)
{
	for (int c = 0; c < ENGINE_CHANNELS; c++) {
		char name[8];
		engine_channel_name(c, name, sizeof name);
		ck_assert_int_eq(engine_channel_index(name), c);
	}
	ck_assert_int_eq(engine_channel_index("CT1_1"), 3);
	ck_assert_int_eq(engine_channel_index("CT8_3"), 26);
	const char *bad[] = { "V0", "V4", "CT9_1", "CT1_4", "CT1_", "ct1_1", "V1 ", "", "CT10_1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_int_eq(engine_channel_index(bad[i]), -1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("accuracy");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, every_reading_within_a_tenth_of_a_percent_of_the_analytic_value, 0, NROWS);
	tcase_add_loop_test(tc, the_first_window_after_a_start_is_as_accurate, 0, NROWS);
	tcase_add_loop_test(tc, energy_after_a_known_time_within_half_a_percent, 0, NROWS);
	tcase_add_loop_test(tc, an_idle_meter_reads_zero_in_every_current_quantity_and_registers_nothing, 0,
			    NIDLE_SHAPES * NIDLE_RATINGS);
	tcase_add_test(tc, the_neutral_sums_only_the_phases_that_read_a_current);
	tcase_add_test(tc, windows_cover_the_signal_without_gaps);
	tcase_add_test(tc, channel_names_map_to_indices_and_back);
	suite_add_tcase(s, tc);
	return s;
}

/* reading: see reading.h.  Values are rounded to the resolution the manual
 * shows (and a class 0.5 meter can stand behind), so the JSON carries no
 * digits of noise: 0.01 V, 0.0001 A, 0.01 W/var/VA, 0.00001 PF, 0.01 deg,
 * 0.001 Hz; energy registers 0.00001 Wh so small loads visibly count. */
#include "reading.h"

#include <math.h>
#include <stdio.h>

static double s_round(double v, double step)
{
	double r = round(v / step) * step;
	return r == 0 ? 0 : r; /* never "-0" */
}

void reading_sum_phases(struct meter_reading *r)
{
	int n = r->phases >= 1 && r->phases <= 3 ? r->phases : 3;
	r->Vsys = 0;
	for (int p = 0; p < n; p++)
		r->Vsys += r->V[p] / n;
	r->Usys = n == 3 ? (r->U[0] + r->U[1] + r->U[2]) / 3 : r->U[0];
	r->Isys = r->I[0] + r->I[1] + r->I[2];
	r->Psys = r->P[0] + r->P[1] + r->P[2];
	r->Qsys = r->Q[0] + r->Q[1] + r->Q[2];
	r->Ssys = r->S[0] + r->S[1] + r->S[2];
	r->PFsys = r->Ssys > 0 ? r->Psys / r->Ssys : 0;
}

static void s_set(json_t *o, const char *name, int phase, double v, double step)
{
	char key[8];
	if (phase)
		snprintf(key, sizeof key, "%s%d", name, phase);
	else
		snprintf(key, sizeof key, "%s", name);
	json_object_set_new(o, key, json_real(s_round(v, step)));
}

static void s_energy(json_t *o, int phase, const struct energy *e)
{
	s_set(o, "E", phase, e->E, 1e-5);
	s_set(o, "Ex", phase, e->Ex, 1e-5);
	s_set(o, "RE", phase, e->RE, 1e-5);
	s_set(o, "REx", phase, e->REx, 1e-5);
	s_set(o, "AE", phase, e->AE, 1e-5);
}

json_t *reading_to_json(const struct meter_reading *r, int did, const char *uid, bool simulated)
{
	json_t *o = json_pack("{s:s,s:i}", "uid", uid, "did", did);
	for (int p = 0; p < 3; p++) {
		int n = p + 1;
		s_set(o, "V", n, r->V[p], 0.01);
		s_set(o, "U", n, r->U[p], 0.01);
		s_set(o, "I", n, r->I[p], 1e-4);
		s_set(o, "P", n, r->P[p], 0.01);
		s_set(o, "Q", n, r->Q[p], 0.01);
		s_set(o, "S", n, r->S[p], 0.01);
		s_set(o, "PF", n, r->PF[p], 1e-5);
		s_set(o, "A", n, r->A[p], 0.01);
		s_energy(o, n, &r->phase_energy[p]);
	}
	s_set(o, "V", 0, r->Vsys, 0.01);
	s_set(o, "U", 0, r->Usys, 0.01);
	s_set(o, "I", 0, r->Isys, 1e-4);
	s_set(o, "In", 0, r->In, 1e-4);
	s_set(o, "P", 0, r->Psys, 0.01);
	s_set(o, "Q", 0, r->Qsys, 0.01);
	s_set(o, "S", 0, r->Ssys, 0.01);
	s_set(o, "PF", 0, r->PFsys, 1e-5);
	s_set(o, "F", 0, r->F, 1e-3);
	s_energy(o, 0, &r->sys_energy);
	if (r->has_pulse)
		json_object_set_new(o, "Pulse", json_integer((json_int_t)r->pulse));
	if (r->has_T)
		s_set(o, "T", 0, r->T, 1e-3);
	if (simulated)
		json_object_set_new(o, "simulated", json_true());
	return o;
}

/* reading: see reading.h.  The names, their order and the resolution each
 * value is rounded to are common/reading_schema.c's meter table (the
 * manual's: 0.01 V, 0.0001 A, 0.01 W/var/VA, 0.00001 PF, 0.01 deg, 0.001 Hz;
 * energy registers 0.00001 Wh so small loads visibly count); this file only
 * knows where each value sits in struct meter_reading. */
#include "reading.h"

#include "reading_schema.h"

#include <stddef.h>
#include <string.h>

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

#define PH(m) offsetof(struct meter_reading, m), sizeof(double)
#define EN(e) offsetof(struct meter_reading, phase_energy) + offsetof(struct energy, e), sizeof(struct energy)
#define SYS(m) offsetof(struct meter_reading, m)
#define SYS_EN(e) offsetof(struct meter_reading, sys_energy) + offsetof(struct energy, e)
#define NONE 0, 0

/* Where each quantity of the schema's meter table is in struct
 * meter_reading: phase p at phase + p * stride, the system value at sys
 * (0: none, as no field sits at offset 0 but phases). */
static const struct {
	const char *quantity;
	size_t phase, stride, sys;
} s_where[] = {
	{ "V", PH(V), SYS(Vsys) },	   { "U", PH(U), SYS(Usys) },	      { "I", PH(I), SYS(Isys) },
	{ "In", NONE, SYS(In) },	   { "P", PH(P), SYS(Psys) },	      { "Q", PH(Q), SYS(Qsys) },
	{ "S", PH(S), SYS(Ssys) },	   { "PF", PH(PF), SYS(PFsys) },      { "A", PH(A), 0 },
	{ "F", NONE, SYS(F) },		   { "E", EN(E), SYS_EN(E) },	      { "Ex", EN(Ex), SYS_EN(Ex) },
	{ "RE", EN(RE), SYS_EN(RE) },	   { "REx", EN(REx), SYS_EN(REx) },  { "AE", EN(AE), SYS_EN(AE) },
	{ "T", NONE, SYS(T) },
};

/* f's value in r; false when r has no place for it. */
static bool s_value(const struct meter_reading *r, const struct reading_field *f, double *v)
{
	const char *base = (const char *)r;
	for (size_t i = 0; i < sizeof s_where / sizeof s_where[0]; i++) {
		if (strcmp(f->quantity, s_where[i].quantity))
			continue;
		size_t at = f->phase ? s_where[i].phase + (size_t)(f->phase - 1) * s_where[i].stride : s_where[i].sys;
		if (!at || (f->phase && !s_where[i].stride))
			return false;
		memcpy(v, base + at, sizeof *v);
		return true;
	}
	return false;
}

json_t *reading_to_json(const struct meter_reading *r, int did, const char *uid, bool simulated)
{
	json_t *o = json_pack("{s:s,s:i}", "uid", uid, "did", did);
	size_t nf;
	const struct reading_field *f = reading_fields(READING_METER, &nf);
	/* phase 1's fields, 2's, 3's, then the system's */
	for (int phase = 1; phase <= 4; phase++)
		for (size_t i = 0; i < nf; i++) {
			double v;
			if (f[i].phase != phase % 4 || !(f[i].flags & READING_BUS) || (f[i].flags & READING_OPTIONAL) ||
			    !s_value(r, &f[i], &v))
				continue;
			json_object_set_new(o, f[i].name, json_real(reading_round(&f[i], v)));
		}
	if (r->has_pulse)
		json_object_set_new(o, "Pulse", json_integer((json_int_t)r->pulse));
	if (r->has_T)
		json_object_set_new(o, "T", json_real(reading_round(reading_field(READING_METER, "T"), r->T)));
	if (simulated)
		json_object_set_new(o, "simulated", json_true());
	return o;
}

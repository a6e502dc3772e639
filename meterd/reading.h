/* reading: one meter's readings for one second, in the units and under the
 * names of the manual's rtdata (docs/BUS.md, docs/METERING.md).  Index 0..2
 * is phase 1..3; the system values have their own fields. */
#ifndef METERD_READING_H
#define METERD_READING_H

#include <jansson.h>
#include <stdbool.h>

struct energy {
	double E, Ex, RE, REx, AE; /* Wh, Wh, varh, varh, VAh */
};

struct meter_reading {
	int phases; /* in use: 3 (3LN), 2 (2LN), 1 (LN) */
	double V[3], U[3], I[3], P[3], Q[3], S[3], PF[3], A[3];
	double Vsys, Usys, Isys, In, Psys, Qsys, Ssys, PFsys, F;
	struct energy phase_energy[3], sys_energy;
	bool has_pulse, has_T; /* linked pulse count and probe, when fresh */
	long long pulse;
	double T;
};

/* The system values from the phase values in use: V the mean of V1..Vn;
 * U the mean of U1..U3 (3LN) or U1 (2LN, LN); I, P, Q, S the sums; PF = P/S
 * (0 when S is 0). */
void reading_sum_phases(struct meter_reading *r);

/* The rtdata object: every field of the manual's example, plus did, uid and,
 * when simulated is true, "simulated": true so a demo never passes for a
 * real hub.  ts and seq are added by the bus. */
json_t *reading_to_json(const struct meter_reading *r, int did, const char *uid, bool simulated);

#endif

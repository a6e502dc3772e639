/* sim: a simulated building for the demo and for machines without the
 * metering ADC.  It computes one second's readings from a phasor model:
 * a 230 V supply in L1-L2-L3 order drifting slowly around 50 Hz, a daily
 * load curve (night base load, a day peak, an evening bump) on consumable
 * and grid meters, and solar export on renewable ones.  Every reading it
 * produces is marked simulated on the bus. */
#ifndef METERD_SIM_H
#define METERD_SIM_H

#include "reading.h"

struct sim_meter {
	int id;
	double ct_rating_a;
	const char *phase_type; /* 3LN, 2LN, LN */
	const char *purpose;    /* grid, consumable, renewable */
};

/* Fills r's instantaneous values (not the energies) for wall time t. */
void sim_reading(const struct sim_meter *m, double t, struct meter_reading *r);

#endif

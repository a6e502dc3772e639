/* source_sim: a simulated pulse train per input, for the demo and for
 * machines without pulse inputs.  Input n closes every
 * 3600 / pulses_per_hour seconds and stays closed for twice its minimum
 * pulse duration (at least 100 ms, at most half the period), and every
 * closing bounces (closed, open 1 ms later, closed again 1 ms after that),
 * so the demo exercises the same debounce as a real reed contact.  The
 * edges carry their exact scheduled times on CLOCK_MONOTONIC. */
#ifndef PULSED_SOURCE_SIM_H
#define PULSED_SOURCE_SIM_H

#include "edge.h"

#include <stdint.h>

struct source_sim {
	struct {
		int64_t period_ns, width_ns; /* period 0: this input is silent */
		int64_t next_close;          /* time of the next closing */
	} in[EDGE_INPUTS];
};

/* Sets input n's (1..8) train; the first closing is one period after now. */
void source_sim_set(struct source_sim *s, int n, double pulses_per_hour, int64_t min_pulse_ms, int64_t now_ns);
/* Hands on every edge due up to now_ns, in time order per input.  After a
 * stall of more than a minute the missed pulses are skipped, not replayed. */
void source_sim_advance(struct source_sim *s, int64_t now_ns, edge_fn on_edge, void *ud);

#endif

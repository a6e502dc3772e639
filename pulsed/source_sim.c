/* source_sim: see source_sim.h. */
#include "source_sim.h"

#define MS 1000000LL

void source_sim_set(struct source_sim *s, int n, double pulses_per_hour, int64_t min_pulse_ms, int64_t now_ns)
{
	int i = n - 1;
	if (pulses_per_hour <= 0) {
		s->in[i].period_ns = 0;
		return;
	}
	int64_t period = (int64_t)(3600e9 / pulses_per_hour);
	int64_t width = 2 * min_pulse_ms * MS;
	if (width < 100 * MS)
		width = 100 * MS;
	if (width > period / 2)
		width = period / 2;
	if (period == s->in[i].period_ns && width == s->in[i].width_ns)
		return; /* unchanged: keep the train's phase */
	s->in[i].period_ns = period;
	s->in[i].width_ns = width;
	s->in[i].next_close = now_ns + period;
}

void source_sim_advance(struct source_sim *s, int64_t now_ns, edge_fn on_edge, void *ud)
{
	for (int i = 0; i < EDGE_INPUTS; i++) {
		int64_t period = s->in[i].period_ns;
		if (!period)
			continue;
		if (now_ns - s->in[i].next_close > 60000 * MS)
			s->in[i].next_close += (now_ns - s->in[i].next_close) / period * period;
		/* a pulse is handed on whole once it has ended, so its edges
		 * reach the debounce in order */
		while (s->in[i].next_close + s->in[i].width_ns <= now_ns) {
			int64_t t = s->in[i].next_close;
			const struct pulse_edge edges[] = {
				{ t, i + 1, 1 },
				{ t + 1 * MS, i + 1, 0 },
				{ t + 2 * MS, i + 1, 1 },
				{ t + s->in[i].width_ns, i + 1, 0 },
			};
			for (unsigned k = 0; k < sizeof edges / sizeof edges[0]; k++)
				on_edge(ud, &edges[k]);
			s->in[i].next_close += period;
		}
	}
}

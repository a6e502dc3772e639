/* backoff: see backoff.h. */
#include "backoff.h"

int64_t backoff_ms(unsigned failures, int64_t base_ms, int64_t cap_ms, double jitter)
{
	if (failures < 1)
		failures = 1;
	if (base_ms < 1)
		base_ms = 1;
	if (cap_ms < base_ms)
		cap_ms = base_ms;
	int64_t step = base_ms;
	for (unsigned i = 1; i < failures && step < cap_ms; i++)
		step *= 2;
	if (step > cap_ms)
		step = cap_ms;
	if (jitter < 0)
		jitter = 0;
	if (jitter >= 1)
		jitter = 0.999999;
	return step / 2 + (int64_t)((double)(step - step / 2) * jitter);
}

/* backoff: see backoff.h. */
#include "backoff.h"

int64_t backoff_next(const struct backoff *b)
{
	int64_t w = b->next_ms ? b->next_ms : b->min_ms;
	return w > b->max_ms ? b->max_ms : w;
}

int64_t backoff_failed(struct backoff *b)
{
	int64_t w = backoff_next(b);
	b->next_ms = w > b->max_ms / 2 ? b->max_ms : 2 * w;
	return w;
}

void backoff_reset(struct backoff *b)
{
	b->next_ms = 0;
}

int64_t backoff_step(int64_t min, int64_t max, unsigned failures)
{
	int64_t w = min;
	for (unsigned i = 1; i < failures && w < max; i++)
		w *= 2;
	return w > max ? max : w;
}

/* retry: see retry.h. */
#include "retry.h"

#include "backoff.h"

enum retry_action retry_classify(long code)
{
	if (code >= 200 && code < 300)
		return RETRY_DELIVERED;
	if (code == 400 || code == 413 || code == 422)
		return RETRY_SPLIT;
	if (code == 401 || code == 403)
		return RETRY_PAUSE;
	return RETRY_BACKOFF;
}

const char *retry_action_name(enum retry_action a)
{
	switch (a) {
	case RETRY_DELIVERED: return "delivered";
	case RETRY_SPLIT: return "split";
	case RETRY_PAUSE: return "pause";
	case RETRY_BACKOFF: return "backoff";
	}
	return "?";
}

int64_t retry_backoff_ms(unsigned failures, int64_t cap_ms, double jitter)
{
	if (failures < 1)
		failures = 1;
	if (cap_ms < RETRY_BASE_MS)
		cap_ms = RETRY_BASE_MS;
	int64_t step = backoff_step(RETRY_BASE_MS, cap_ms, failures);
	if (jitter < 0)
		jitter = 0;
	if (jitter >= 1)
		jitter = 0.999999;
	return step / 2 + (int64_t)((double)(step - step / 2) * jitter);
}

int64_t retry_delay_ms(unsigned failures, int64_t cap_ms, double jitter, bool have_after, int64_t after_s,
		       int64_t max_after_ms)
{
	if (!have_after)
		return retry_backoff_ms(failures, cap_ms, jitter);
	int64_t ms = after_s > max_after_ms / 1000 ? max_after_ms : after_s * 1000;
	return ms < 1000 ? 1000 : ms;
}

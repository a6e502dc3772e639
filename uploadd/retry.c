/* retry: see retry.h. */
#include "retry.h"

#include "backoff.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

bool retry_after_parse(const char *value, time_t now, int64_t *delay_s)
{
	if (!value)
		return false;
	while (isspace((unsigned char)*value))
		value++;
	size_t len = strlen(value);
	while (len && isspace((unsigned char)value[len - 1]))
		len--;
	if (!len || len > 64)
		return false;
	char buf[65];
	memcpy(buf, value, len);
	buf[len] = '\0';
	if (isdigit((unsigned char)buf[0])) {
		/* delay-seconds is 1*DIGIT and nothing else */
		for (size_t i = 0; i < len; i++)
			if (!isdigit((unsigned char)buf[i]))
				goto date;
		errno = 0;
		unsigned long long v = strtoull(buf, NULL, 10);
		if (errno == ERANGE || v > INT32_MAX)
			v = INT32_MAX;
		*delay_s = (int64_t)v;
		return true;
	}
date:;
	/* an HTTP-date names its day: "Sun, 06 Nov 1994 08:49:37 GMT",
	 * "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994".
	 * curl_getdate also reads looser forms; requiring the weekday keeps
	 * "12abc" or "soon" from being taken as a date. */
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	bool day = false;
	for (size_t i = 0; i < 7; i++)
		if (!strncasecmp(buf, days[i], 3))
			day = true;
	if (!day)
		return false;
	time_t t = curl_getdate(buf, NULL);
	if (t == (time_t)-1)
		return false;
	*delay_s = t > now ? (int64_t)(t - now) : 0;
	return true;
}

int64_t retry_delay_ms(unsigned failures, int64_t cap_ms, double jitter, bool have_after, int64_t after_s,
		       int64_t max_after_ms)
{
	if (!have_after)
		return retry_backoff_ms(failures, cap_ms, jitter);
	int64_t ms = after_s > max_after_ms / 1000 ? max_after_ms : after_s * 1000;
	return ms < 1000 ? 1000 : ms;
}

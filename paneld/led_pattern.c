/* led_pattern: see led_pattern.h. */
#include "led_pattern.h"

#define LED_STEPS_MAX 3

struct led_step {
	unsigned rgb;
	int64_t ms;
};

static const struct {
	const char *name;
	int nsteps; /* 1: steady */
	struct led_step step[LED_STEPS_MAX];
} s_pattern[LED_PATTERNS] = {
	[LED_NORMAL] = { "normal", 2, { { LED_WHITE, 1000 }, { LED_OFF, 1000 } } },
	[LED_UPLOAD_PENDING] = { "upload_pending", 2, { { LED_WHITE, 1000 }, { LED_BLUE, 1000 } } },
	[LED_NTP_FAILED] = { "ntp_failed", 2, { { LED_WHITE, 1000 }, { LED_RED, 1000 } } },
	[LED_POWERING_ON] = { "powering_on", 1, { { LED_WHITE, 0 } } },
	[LED_BOOTING] = { "booting", 1, { { LED_OFF, 0 } } },
	[LED_PROCESSING] = { "processing", 3, { { LED_RED, 250 }, { LED_GREEN, 250 }, { LED_BLUE, 250 } } },
	[LED_RESETTING] = { "resetting", 2, { { LED_RED, 250 }, { LED_OFF, 250 } } },
	[LED_FACTORY_RESET] = { "factory_reset", 1, { { LED_GREEN, 0 } } },
	[LED_REBOOTING] = { "rebooting", 1, { { LED_WHITE, 0 } } },
};

const char *led_pattern_name(enum led_pattern_id p)
{
	return s_pattern[p].name;
}

static int64_t s_cycle(enum led_pattern_id p)
{
	int64_t c = 0;
	for (int i = 0; i < s_pattern[p].nsteps; i++)
		c += s_pattern[p].step[i].ms;
	return c;
}

/* The step shown at elapsed_ms, and the ms left in it. */
static int s_step(enum led_pattern_id p, int64_t elapsed_ms, int64_t *left)
{
	int64_t t = elapsed_ms % s_cycle(p);
	for (int i = 0;; i++) {
		if (t < s_pattern[p].step[i].ms) {
			*left = s_pattern[p].step[i].ms - t;
			return i;
		}
		t -= s_pattern[p].step[i].ms;
	}
}

unsigned led_pattern_colour(enum led_pattern_id p, int64_t elapsed_ms)
{
	if (s_pattern[p].nsteps == 1)
		return s_pattern[p].step[0].rgb;
	int64_t left;
	return s_pattern[p].step[s_step(p, elapsed_ms, &left)].rgb;
}

int64_t led_pattern_next_change(enum led_pattern_id p, int64_t elapsed_ms)
{
	if (s_pattern[p].nsteps == 1)
		return -1;
	int64_t left;
	s_step(p, elapsed_ms, &left);
	return left;
}

enum led_pattern_id led_pattern_choose(bool ntp_failed, bool upload_pending)
{
	return ntp_failed ? LED_NTP_FAILED : upload_pending ? LED_UPLOAD_PENDING : LED_NORMAL;
}

/* button: see button.h. */
#include "button.h"

const struct button_timing button_timing_manual = {
	.reboot_ms = 4000,
	.booting_ms = 5000,
	.processing_ms = 24000,
	.resetting_ms = 25000,
	.reset_ms = 30000,
};

static int64_t s_scale(int64_t ms, double scale)
{
	int64_t v = (int64_t)((double)ms * scale + 0.5);
	return v < 1 ? 1 : v;
}

struct button_timing button_timing_scaled(double scale)
{
	const struct button_timing *m = &button_timing_manual;
	return (struct button_timing){
		.reboot_ms = s_scale(m->reboot_ms, scale),
		.booting_ms = s_scale(m->booting_ms, scale),
		.processing_ms = s_scale(m->processing_ms, scale),
		.resetting_ms = s_scale(m->resetting_ms, scale),
		.reset_ms = s_scale(m->reset_ms, scale),
	};
}

static void s_enter(struct button *b, enum button_state s, int64_t now_ms)
{
	b->state = s;
	b->since_ms = now_ms;
}

void button_init(struct button *b, const struct button_timing *t, int64_t now_ms, bool pressed)
{
	b->t = *t;
	s_enter(b, pressed ? BUTTON_POWER_ON : BUTTON_UP, now_ms);
}

enum button_action button_tick(struct button *b, int64_t now_ms)
{
	int64_t held = now_ms - b->since_ms;
	if (b->state == BUTTON_HELD && held >= b->t.reboot_ms) {
		s_enter(b, BUTTON_REBOOTING, now_ms);
		return BUTTON_REBOOT;
	}
	if (b->state == BUTTON_POWER_ON && held >= b->t.reset_ms) {
		s_enter(b, BUTTON_RESET_DONE, now_ms);
		return BUTTON_FACTORY_RESET;
	}
	return BUTTON_NOTHING;
}

enum button_action button_edge(struct button *b, int64_t now_ms, bool pressed)
{
	/* a deadline passed before the edge was seen still counts: the
	 * hold did last that long */
	enum button_action a = button_tick(b, now_ms);
	if (a != BUTTON_NOTHING)
		return a;
	switch (b->state) {
	case BUTTON_UP:
		if (pressed)
			s_enter(b, BUTTON_HELD, now_ms);
		return BUTTON_NOTHING;
	case BUTTON_HELD:
		if (!pressed)
			s_enter(b, BUTTON_UP, now_ms);
		return BUTTON_NOTHING;
	case BUTTON_POWER_ON:
		if (pressed)
			return BUTTON_NOTHING;
		s_enter(b, BUTTON_UP, now_ms);
		return BUTTON_CANCELLED;
	case BUTTON_REBOOTING:
	case BUTTON_RESET_DONE:
		break;
	}
	return BUTTON_NOTHING;
}

int64_t button_next_ms(const struct button *b, int64_t now_ms)
{
	int64_t held = now_ms - b->since_ms;
	if (b->state == BUTTON_HELD)
		return held < b->t.reboot_ms ? b->t.reboot_ms - held : 0;
	if (b->state != BUTTON_POWER_ON)
		return -1;
	const int64_t marks[] = { b->t.booting_ms, b->t.processing_ms, b->t.resetting_ms, b->t.reset_ms };
	for (unsigned i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (held < marks[i])
			return marks[i] - held;
	return 0;
}

bool button_pattern(const struct button *b, int64_t now_ms, enum led_pattern_id *p, int64_t *start_ms)
{
	int64_t held = now_ms - b->since_ms;
	switch (b->state) {
	case BUTTON_UP:
	case BUTTON_HELD:
		return false;
	case BUTTON_REBOOTING:
		*p = LED_REBOOTING;
		*start_ms = b->since_ms;
		return true;
	case BUTTON_RESET_DONE:
		*p = LED_FACTORY_RESET;
		*start_ms = b->since_ms;
		return true;
	case BUTTON_POWER_ON:
		break;
	}
	const struct {
		int64_t from;
		enum led_pattern_id p;
	} phase[] = {
		{ b->t.resetting_ms, LED_RESETTING },
		{ b->t.processing_ms, LED_PROCESSING },
		{ b->t.booting_ms, LED_BOOTING },
		{ 0, LED_POWERING_ON },
	};
	for (unsigned i = 0;; i++)
		if (held >= phase[i].from || i + 1 == sizeof phase / sizeof phase[0]) {
			*p = phase[i].p;
			*start_ms = b->since_ms + phase[i].from;
			return true;
		}
}

const char *button_state_name(enum button_state s)
{
	static const char *const names[] = {
		[BUTTON_UP] = "up",
		[BUTTON_HELD] = "held",
		[BUTTON_POWER_ON] = "held_from_power_on",
		[BUTTON_REBOOTING] = "rebooting",
		[BUTTON_RESET_DONE] = "factory_reset",
	};
	return names[s];
}

/* check_button: the USER button's rule (button.h, the manual's "Hardware
 * Reset" and "Hardware Factory Reset") on injected time, with the
 * manual's own timings: one table of edge sequences and what each must
 * do, and one of the LED phases of a hold from power-on. */
#include <check.h>

#include "button.h"

#include <stdio.h>

#define END { -1, 0 }
#define TICK 2 /* a step that lets time pass without an edge */

struct step {
	int64_t ms; /* since paneld's start; -1 ends */
	int what;   /* 1 pressed, 0 released, TICK */
};

struct row {
	const char *behaviour;
	bool pressed_at_start;
	struct step steps[8];
	enum button_action actions[4]; /* every action other than NOTHING, in order */
	enum button_state end_state;
};

static const struct row s_rows[] = {
	{ "a 3 s press does nothing", false, { { 1000, 1 }, { 2000, TICK }, { 4000, 0 }, { 9000, TICK }, END },
	  { BUTTON_NOTHING }, BUTTON_UP },
	{ "a press released at 3999 ms does nothing", false, { { 1000, 1 }, { 4999, 0 }, { 9000, TICK }, END },
	  { BUTTON_NOTHING }, BUTTON_UP },
	{ "a 5 s press reboots once, at 4 s", false,
	  { { 1000, 1 }, { 4999, TICK }, { 5000, TICK }, { 5500, TICK }, { 6000, 0 }, END },
	  { BUTTON_REBOOT, BUTTON_NOTHING }, BUTTON_REBOOTING },
	{ "a release seen late after 4 s still reboots (the hold lasted)", false, { { 1000, 1 }, { 6000, 0 }, END },
	  { BUTTON_REBOOT, BUTTON_NOTHING }, BUTTON_REBOOTING },
	{ "two short presses do nothing", false, { { 1000, 1 }, { 3000, 0 }, { 4000, 1 }, { 7000, 0 }, { 20000, TICK }, END },
	  { BUTTON_NOTHING }, BUTTON_UP },
	{ "a repeated press level does not restart the hold", false, { { 1000, 1 }, { 3000, 1 }, { 5000, TICK }, END },
	  { BUTTON_REBOOT, BUTTON_NOTHING }, BUTTON_REBOOTING },
	{ "edges after the reboot was asked for are ignored", false,
	  { { 0, 1 }, { 4000, TICK }, { 4500, 0 }, { 5000, 1 }, { 10000, TICK }, END }, { BUTTON_REBOOT, BUTTON_NOTHING },
	  BUTTON_REBOOTING },
	{ "held from power-on and released at 27 s: cancelled, no reboot", true,
	  { { 4000, TICK }, { 10000, TICK }, { 27000, 0 }, { 40000, TICK }, END }, { BUTTON_CANCELLED, BUTTON_NOTHING },
	  BUTTON_UP },
	{ "held from power-on and released at 29999 ms: cancelled", true, { { 29999, 0 }, END },
	  { BUTTON_CANCELLED, BUTTON_NOTHING }, BUTTON_UP },
	{ "held from power-on to 30 s: factory reset once", true,
	  { { 29999, TICK }, { 30000, TICK }, { 31000, TICK }, { 32000, 0 }, END },
	  { BUTTON_FACTORY_RESET, BUTTON_NOTHING }, BUTTON_RESET_DONE },
	{ "after a cancelled power-on hold a new 5 s press reboots", true, { { 10000, 0 }, { 12000, 1 }, { 17000, TICK }, END },
	  { BUTTON_CANCELLED, BUTTON_REBOOT, BUTTON_NOTHING }, BUTTON_REBOOTING },
};

START_TEST(test_rows)
{
	const struct row *r = &s_rows[_i];
	struct button b;
	button_init(&b, &button_timing_manual, 0, r->pressed_at_start);
	enum button_action got[8];
	int n = 0;
	for (const struct step *s = r->steps; s->ms >= 0; s++) {
		enum button_action a = s->what == TICK ? button_tick(&b, s->ms) : button_edge(&b, s->ms, s->what);
		if (a != BUTTON_NOTHING && n < 8)
			got[n++] = a;
	}
	for (int i = 0;; i++) {
		ck_assert_msg(i < n || r->actions[i] == BUTTON_NOTHING, "%s: action %d missing", r->behaviour, i);
		if (r->actions[i] == BUTTON_NOTHING) {
			ck_assert_msg(i == n, "%s: %d actions, want %d", r->behaviour, n, i);
			break;
		}
		ck_assert_msg(got[i] == r->actions[i], "%s: action %d is %d, want %d", r->behaviour, i, got[i],
			      r->actions[i]);
	}
	ck_assert_msg(b.state == r->end_state, "%s: ends %s, want %s", r->behaviour, button_state_name(b.state),
		      button_state_name(r->end_state));
}
END_TEST

/* the manual's table: 1 s Random, 5 s off, 24 s Multi, 25 s flashing red,
 * 30 s green; each phase at its first ms and its last */
static const struct {
	int64_t ms;
	enum led_pattern_id p;
	int64_t start_ms;
	int64_t next_ms; /* button_next_ms then */
} s_phases[] = {
	{ 0, LED_POWERING_ON, 0, 5000 },      { 4999, LED_POWERING_ON, 0, 1 },
	{ 5000, LED_BOOTING, 5000, 19000 },   { 23999, LED_BOOTING, 5000, 1 },
	{ 24000, LED_PROCESSING, 24000, 1000 }, { 24999, LED_PROCESSING, 24000, 1 },
	{ 25000, LED_RESETTING, 25000, 5000 }, { 29999, LED_RESETTING, 25000, 1 },
};

START_TEST(test_power_on_phases)
{
	struct button b;
	button_init(&b, &button_timing_manual, 0, true);
	enum led_pattern_id p;
	int64_t start;
	ck_assert(button_pattern(&b, s_phases[_i].ms, &p, &start));
	ck_assert_msg(p == s_phases[_i].p && start == s_phases[_i].start_ms, "at %lld ms: %s from %lld",
		      (long long)s_phases[_i].ms, led_pattern_name(p), (long long)start);
	ck_assert_int_eq(button_next_ms(&b, s_phases[_i].ms), s_phases[_i].next_ms);
}
END_TEST

START_TEST(test_after_actions)
{
	struct button b;
	enum led_pattern_id p;
	int64_t start;
	button_init(&b, &button_timing_manual, 0, true);
	ck_assert_int_eq(button_tick(&b, 30000), BUTTON_FACTORY_RESET);
	ck_assert(button_pattern(&b, 31000, &p, &start) && p == LED_FACTORY_RESET && start == 30000);
	ck_assert_int_eq(button_next_ms(&b, 31000), -1);

	button_init(&b, &button_timing_manual, 0, false);
	ck_assert(!button_pattern(&b, 100, &p, &start)); /* the hub's own patterns show */
	ck_assert_int_eq(button_edge(&b, 100, true), BUTTON_NOTHING);
	ck_assert(!button_pattern(&b, 200, &p, &start));
	ck_assert_int_eq(button_next_ms(&b, 1100), 3000);
	ck_assert_int_eq(button_tick(&b, 4100), BUTTON_REBOOT);
	ck_assert(button_pattern(&b, 4200, &p, &start) && p == LED_REBOOTING);
}
END_TEST

/* the test scale (panel.time_scale) keeps the manual's proportions and
 * 1 is the manual itself */
START_TEST(test_scaled)
{
	struct button_timing t = button_timing_scaled(1);
	ck_assert_int_eq(t.reboot_ms, 4000);
	ck_assert_int_eq(t.booting_ms, 5000);
	ck_assert_int_eq(t.processing_ms, 24000);
	ck_assert_int_eq(t.resetting_ms, 25000);
	ck_assert_int_eq(t.reset_ms, 30000);
	t = button_timing_scaled(0.1);
	ck_assert_int_eq(t.reboot_ms, 400);
	ck_assert_int_eq(t.reset_ms, 3000);
	t = button_timing_scaled(0.01);
	ck_assert_int_eq(t.reboot_ms, 40);
	ck_assert_int_eq(t.processing_ms, 240);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("button");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_rows, 0, sizeof s_rows / sizeof s_rows[0]);
	tcase_add_loop_test(tc, test_power_on_phases, 0, sizeof s_phases / sizeof s_phases[0]);
	tcase_add_test(tc, test_after_actions);
	tcase_add_test(tc, test_scaled);
	suite_add_tcase(s, tc);
	return s;
}

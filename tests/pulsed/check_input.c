/* check_input: what pulse/<n> says about a counter: count with the
 * start_reading base (of the pulses shown, i.e. saved), total = count x units_per_pulse without float noise,
 * and the rate in units per hour that falls when the pulses stop. */
#include <check.h>

#include "input.h"

#include <math.h>
#include <stdio.h>

#define S 1000000000LL

static struct input s_input(double upp, int64_t base)
{
	struct input in = { .n = 2, .enabled = true, .units_per_pulse = upp, .base = base };
	snprintf(in.name, sizeof in.name, "Gas");
	snprintf(in.unit, sizeof in.unit, "m3");
	return in;
}

START_TEST(test_count_total_and_base)
{
	struct input in = s_input(0.01, 1234); /* start_reading 12.34 m3 */
	for (int i = 0; i < 3; i++)
		input_pulse(&in, (10 + i) * S, 20 * S, 1000.0);
	json_t *o = input_json(&in, 20 * S);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "count")), 1234); /* not on the SD card yet */
	json_decref(o);
	in.shown = in.counted; /* saved */
	o = input_json(&in, 20 * S);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "count")), 1237);
	ck_assert(json_real_value(json_object_get(o, "total")) == 12.37);
	ck_assert_str_eq(json_string_value(json_object_get(o, "unit")), "m3");
	ck_assert_str_eq(json_string_value(json_object_get(o, "name")), "Gas");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "n")), 2);
	ck_assert(json_real_value(json_object_get(o, "units_per_pulse")) == 0.01);
	/* the last pulse was at 12 s, "now" 20 s at wall 1000: wall 992 */
	ck_assert(fabs(in.last_pulse_wall - 992.0) < 1e-6);
	json_decref(o);
}
END_TEST

struct rate_row {
	const char *behaviour;
	int pulses;
	int64_t gap_s;   /* between pulses */
	int64_t now_after_last_s;
	double expect; /* units per hour, units_per_pulse 10 (litres) */
};

static const struct rate_row s_rates[] = {
	{ "no rate from a single pulse", 1, 0, 1, 0 },
	{ "a pulse every 36 s of 10 L is 1000 L/h", 4, 36, 1, 1000 },
	{ "the mean of the last 5 pulses is used", 12, 36, 0, 1000 },
	{ "when the pulses stop the rate falls with the time since the last", 4, 36, 72, 500 },
	{ "an hour without a pulse after a 36 s flow: 10 L/h", 4, 36, 3600, 10 },
};

START_TEST(test_rate)
{
	const struct rate_row *r = &s_rates[_i];
	struct input in = s_input(10, 0);
	int64_t t = 100 * S;
	for (int i = 0; i < r->pulses; i++, t += r->gap_s * S)
		input_pulse(&in, t, t, 0);
	int64_t last = t - r->gap_s * S;
	double rate = input_rate(&in, last + r->now_after_last_s * S);
	ck_assert_msg(fabs(rate - r->expect) < 1e-9, "%s: %g, expected %g", r->behaviour, rate, r->expect);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("input");
	TCase *tc = tcase_create("counter");
	tcase_add_test(tc, test_count_total_and_base);
	tcase_add_loop_test(tc, test_rate, 0, sizeof s_rates / sizeof s_rates[0]);
	suite_add_tcase(s, tc);
	return s;
}

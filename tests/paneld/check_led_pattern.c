/* check_led_pattern: what the LED shows over time in each pattern (the
 * manual's "LED Indication": white on/off at 1 s, white/blue while an
 * upload is pending, white/red while NTP sync has failed; the factory
 * reset's phases), and which pattern the hub's state chooses. */
#include <check.h>

#include "led_pattern.h"

static const struct {
	enum led_pattern_id p;
	int64_t ms;
	unsigned rgb;
	int64_t next; /* led_pattern_next_change */
} s_rows[] = {
	{ LED_NORMAL, 0, LED_WHITE, 1000 },        { LED_NORMAL, 999, LED_WHITE, 1 },
	{ LED_NORMAL, 1000, LED_OFF, 1000 },       { LED_NORMAL, 1999, LED_OFF, 1 },
	{ LED_NORMAL, 2000, LED_WHITE, 1000 },     { LED_NORMAL, 86400500, LED_WHITE, 500 },
	{ LED_UPLOAD_PENDING, 0, LED_WHITE, 1000 }, { LED_UPLOAD_PENDING, 1000, LED_BLUE, 1000 },
	{ LED_UPLOAD_PENDING, 3500, LED_BLUE, 500 }, { LED_UPLOAD_PENDING, 4000, LED_WHITE, 1000 },
	{ LED_NTP_FAILED, 500, LED_WHITE, 500 },   { LED_NTP_FAILED, 1000, LED_RED, 1000 },
	{ LED_NTP_FAILED, 2000, LED_WHITE, 1000 },
	{ LED_POWERING_ON, 0, LED_WHITE, -1 },     { LED_POWERING_ON, 4000, LED_WHITE, -1 },
	{ LED_BOOTING, 0, LED_OFF, -1 },           { LED_BOOTING, 10000, LED_OFF, -1 },
	{ LED_PROCESSING, 0, LED_RED, 250 },       { LED_PROCESSING, 250, LED_GREEN, 250 },
	{ LED_PROCESSING, 500, LED_BLUE, 250 },    { LED_PROCESSING, 750, LED_RED, 250 },
	{ LED_RESETTING, 0, LED_RED, 250 },        { LED_RESETTING, 250, LED_OFF, 250 },
	{ LED_RESETTING, 4999, LED_OFF, 1 },
	{ LED_FACTORY_RESET, 0, LED_GREEN, -1 },   { LED_FACTORY_RESET, 99999, LED_GREEN, -1 },
	{ LED_REBOOTING, 0, LED_WHITE, -1 },
};

START_TEST(test_rows)
{
	ck_assert_msg(led_pattern_colour(s_rows[_i].p, s_rows[_i].ms) == s_rows[_i].rgb, "%s at %lld ms: %u, want %u",
		      led_pattern_name(s_rows[_i].p), (long long)s_rows[_i].ms,
		      led_pattern_colour(s_rows[_i].p, s_rows[_i].ms), s_rows[_i].rgb);
	ck_assert_int_eq(led_pattern_next_change(s_rows[_i].p, s_rows[_i].ms), s_rows[_i].next);
}
END_TEST

START_TEST(test_choose)
{
	ck_assert_int_eq(led_pattern_choose(false, false), LED_NORMAL);
	ck_assert_int_eq(led_pattern_choose(false, true), LED_UPLOAD_PENDING);
	ck_assert_int_eq(led_pattern_choose(true, false), LED_NTP_FAILED);
	ck_assert_int_eq(led_pattern_choose(true, true), LED_NTP_FAILED);
	ck_assert_str_eq(led_pattern_name(LED_UPLOAD_PENDING), "upload_pending");
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("led_pattern");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_rows, 0, sizeof s_rows / sizeof s_rows[0]);
	tcase_add_test(tc, test_choose);
	suite_add_tcase(s, tc);
	return s;
}

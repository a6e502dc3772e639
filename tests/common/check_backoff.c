/* check_backoff: the one retry rule.  The waits after failures in a row
 * are min, 2·min, 4·min ... never above max; a success starts over; the
 * wait the next failure will get can be read without counting one; the
 * stateless step agrees with the counting one and never overflows. */
#include "backoff.h"

#include <check.h>

START_TEST(test_doubling_to_the_cap_then_starting_over)
{
	static const int64_t want[] = { 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000 };
	struct backoff b = BACKOFF_INIT(1000, 30000);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		ck_assert_int_eq(backoff_next(&b), want[i]);
		ck_assert_int_eq(backoff_failed(&b), want[i]);
		ck_assert_int_eq(backoff_step(1000, 30000, (unsigned)i + 1), want[i]);
	}
	backoff_reset(&b);
	ck_assert_int_eq(backoff_failed(&b), 1000);
	ck_assert_int_eq(backoff_failed(&b), 2000);
}
END_TEST

static const struct {
	int64_t min, max;
	unsigned failures;
	int64_t want;
} s_steps[] = {
	{ 1000, 30000, 0, 1000 },	   /* 0 counts as the first */
	{ 1000, 30000, 1, 1000 },	   { 1000, 30000, 5, 16000 },  { 1000, 30000, 6, 30000 },
	{ 1000, 3600000, 13, 3600000 }, { 1000, 3600000, 4000000000u, 3600000 }, /* no overflow */
	{ 500, 500, 3, 500 },		   { 1000, 600, 1, 600 },      /* a cap below the start wins */
	/* the web login's wait in s (docs/API.md): 1, 2, 4 ... 256, then 300 */
	{ 1, 300, 1, 1 },		   { 1, 300, 9, 256 },	       { 1, 300, 10, 300 },	 { 1, 300, 40, 300 },
};

START_TEST(test_steps)
{
	ck_assert_int_eq(backoff_step(s_steps[_i].min, s_steps[_i].max, s_steps[_i].failures), s_steps[_i].want);
}
END_TEST

START_TEST(test_a_long_outage_stays_at_the_cap)
{
	struct backoff b = BACKOFF_INIT(1000, 3600000);
	for (int i = 0; i < 100000; i++)
		ck_assert_int_le(backoff_failed(&b), 3600000);
	ck_assert_int_eq(backoff_failed(&b), 3600000);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("backoff");
	TCase *tc = tcase_create("backoff");
	tcase_add_test(tc, test_doubling_to_the_cap_then_starting_over);
	tcase_add_loop_test(tc, test_steps, 0, sizeof s_steps / sizeof s_steps[0]);
	tcase_add_test(tc, test_a_long_outage_stays_at_the_cap);
	suite_add_tcase(s, tc);
	return s;
}

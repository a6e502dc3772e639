/* check_rule: the alarm state machine on injected time, as tables of
 * (time, value) steps and the message each must send: raise once, remind
 * every reminder time while it lasts, recover only after the recovery time
 * inside, no storm from a flapping value, blank limits, silent meters. */
#include "rule.h"

#include <check.h>
#include <math.h>
#include <stdio.h>

#define NOV NAN /* no fresh value at this step */
#define MAXSTEPS 24

struct step {
	int64_t t_s;
	double v;
	enum rule_event want;
};

struct scenario {
	const char *name;
	struct rule_limits lim;
	struct step steps[MAXSTEPS]; /* ends at the first { 0 } after the first */
};

#define LIM_HI(h, rec, rem) { .has_high = true, .high = (h), .recovery_ms = (rec) * 1000, .reminder_ms = (rem) * 1000 }
#define LIM_LO(l, rec, rem) { .has_low = true, .low = (l), .recovery_ms = (rec) * 1000, .reminder_ms = (rem) * 1000 }
#define LIM_BOTH(l, h, rec, rem)                                                                                  \
	{ .has_low = true, .low = (l), .has_high = true, .high = (h), .recovery_ms = (rec) * 1000,                \
	  .reminder_ms = (rem) * 1000 }

static const struct scenario scenarios[] = {
	{ "inside never raises", LIM_HI(10, 5, 60),
	  { { 1, 5, RULE_NONE }, { 2, 10, RULE_NONE }, { 3, 9.99, RULE_NONE }, { 4, -1e9, RULE_NONE } } },
	{ "over the high limit raises once", LIM_HI(10, 5, 0),
	  { { 1, 5, RULE_NONE }, { 2, 11, RULE_RAISED }, { 3, 12, RULE_NONE }, { 4, 13, RULE_NONE },
	    { 100, 14, RULE_NONE } } },
	{ "under the low limit raises", LIM_LO(0.9, 5, 0),
	  { { 1, 0.95, RULE_NONE }, { 2, 0.5, RULE_RAISED }, { 3, 0.4, RULE_NONE } } },
	{ "both limits: either raises", LIM_BOTH(200, 250, 0, 0),
	  { { 1, 230, RULE_NONE }, { 2, 260, RULE_RAISED }, { 3, 230, RULE_RECOVERED }, { 4, 190, RULE_RAISED },
	    { 5, 230, RULE_RECOVERED } } },
	{ "no limits never raises", { .recovery_ms = 0, .reminder_ms = 1000 },
	  { { 1, 1e12, RULE_NONE }, { 2, -1e12, RULE_NONE } } },
	{ "recovers only after the recovery time inside", LIM_HI(10, 5, 0),
	  { { 1, 11, RULE_RAISED }, { 2, 9, RULE_NONE }, { 3, 9, RULE_NONE }, { 6, 9, RULE_NONE },
	    { 7, 9, RULE_RECOVERED }, { 8, 9, RULE_NONE } } },
	{ "flapping sends no storm", LIM_HI(10, 5, 0),
	  { { 1, 11, RULE_RAISED }, { 2, 9, RULE_NONE }, { 3, 11, RULE_NONE }, { 4, 9, RULE_NONE },
	    { 5, 11, RULE_NONE }, { 6, 9, RULE_NONE }, { 7, 11, RULE_NONE }, { 8, 9, RULE_NONE },
	    { 12, 9, RULE_NONE }, { 13, 9, RULE_RECOVERED }, { 14, 11, RULE_RAISED } } },
	{ "reminds every reminder time while it lasts", LIM_HI(10, 5, 60),
	  { { 0, 11, RULE_RAISED }, { 30, 11, RULE_NONE }, { 59, 11, RULE_NONE }, { 60, 11, RULE_REMINDED },
	    { 61, 11, RULE_NONE }, { 119, 12, RULE_NONE }, { 120, 12, RULE_REMINDED }, { 180, 12, RULE_REMINDED } } },
	{ "no reminder while waiting out recovery", LIM_HI(10, 30, 60),
	  { { 0, 11, RULE_RAISED }, { 50, 9, RULE_NONE }, { 60, 9, RULE_NONE }, { 70, 9, RULE_NONE },
	    { 80, 9, RULE_RECOVERED } } },
	{ "back out after a reminder was due: reminded then", LIM_HI(10, 30, 60),
	  { { 0, 11, RULE_RAISED }, { 50, 9, RULE_NONE }, { 65, 11, RULE_REMINDED }, { 66, 9, RULE_NONE },
	    { 95, 9, RULE_NONE }, { 96, 9, RULE_RECOVERED } } },
	{ "reminder 0: none", LIM_HI(10, 5, 0),
	  { { 0, 11, RULE_RAISED }, { 100000, 11, RULE_NONE } } },
	{ "recovery 0: recovers at the first value inside", LIM_HI(10, 0, 0),
	  { { 0, 11, RULE_RAISED }, { 1, 10, RULE_RECOVERED }, { 2, 10, RULE_NONE } } },
	{ "a silent meter neither raises nor recovers", LIM_HI(10, 5, 60),
	  { { 0, NOV, RULE_NONE }, { 1, 11, RULE_RAISED }, { 2, 9, RULE_NONE }, { 3, NOV, RULE_NONE },
	    { 10, NOV, RULE_NONE }, { 11, 9, RULE_NONE }, { 15, 9, RULE_NONE }, { 16, 9, RULE_RECOVERED } } },
	{ "a silent meter's alarm is still reminded", LIM_HI(10, 5, 60),
	  { { 0, 11, RULE_RAISED }, { 30, NOV, RULE_NONE }, { 60, NOV, RULE_REMINDED } } },
	{ "the limit itself is inside", LIM_BOTH(-5, 5, 0, 0),
	  { { 0, 5, RULE_NONE }, { 1, -5, RULE_NONE }, { 2, 5.000001, RULE_RAISED } } },
};

START_TEST(test_scenarios)
{
	const struct scenario *s = &scenarios[_i];
	struct rule r;
	rule_init(&r, &s->lim);
	for (size_t k = 0; k < MAXSTEPS; k++) {
		const struct step *st = &s->steps[k];
		if (k > 0 && st->t_s == 0 && st->want == RULE_NONE && st->v == 0)
			break;
		enum rule_event got = rule_step(&r, !isnan(st->v), st->v, st->t_s * 1000);
		ck_assert_msg(got == st->want, "%s: step %zu (t=%llds, v=%g): %s, want %s", s->name, k,
			      (long long)st->t_s, st->v, got ? rule_event_name(got) : "nothing",
			      st->want ? rule_event_name(st->want) : "nothing");
	}
}
END_TEST

START_TEST(test_message_describes_the_crossing)
{
	struct rule_limits lim = LIM_BOTH(200, 250, 10, 0);
	struct rule r;
	rule_init(&r, &lim);
	ck_assert_int_eq(rule_step(&r, true, 262.5, 0), RULE_RAISED);
	ck_assert(r.high);
	ck_assert_double_eq(r.limit, 250);
	ck_assert_double_eq(r.value, 262.5);
	ck_assert_int_eq(rule_step(&r, true, 180, 1000), RULE_NONE); /* now under the low one */
	ck_assert(!r.high);
	ck_assert_double_eq(r.limit, 200);
	ck_assert_double_eq(r.value, 180);
	ck_assert_int_eq(rule_step(&r, true, 230, 2000), RULE_NONE);
	ck_assert_int_eq(rule_step(&r, true, 231, 12000), RULE_RECOVERED);
	ck_assert_double_eq(r.value, 231); /* the value it recovered with */
	ck_assert_uint_eq(r.events, 2);
}
END_TEST

START_TEST(test_new_limits_keep_the_state)
{
	struct rule_limits lim = LIM_HI(10, 5, 0);
	struct rule r;
	rule_init(&r, &lim);
	ck_assert_int_eq(rule_step(&r, true, 11, 0), RULE_RAISED);
	struct rule_limits wider = LIM_HI(20, 5, 0);
	rule_set_limits(&r, &wider);
	ck_assert(r.raised); /* no second "raised" for the same crossing */
	ck_assert_int_eq(rule_step(&r, true, 11, 1000), RULE_NONE);
	ck_assert_int_eq(rule_step(&r, true, 11, 6000), RULE_RECOVERED);
}
END_TEST

START_TEST(test_nan_is_never_outside)
{
	struct rule_limits lim = LIM_BOTH(0, 1, 0, 0);
	bool high;
	double limit;
	ck_assert(!rule_outside(&lim, NAN, &high, &limit));
	ck_assert(rule_outside(&lim, INFINITY, &high, &limit) && high);
	ck_assert(rule_outside(&lim, -INFINITY, &high, &limit) && !high);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("rule");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_scenarios, 0, (int)(sizeof scenarios / sizeof scenarios[0]));
	tcase_add_test(tc, test_message_describes_the_crossing);
	tcase_add_test(tc, test_new_limits_keep_the_state);
	tcase_add_test(tc, test_nan_is_never_outside);
	suite_add_tcase(s, tc);
	return s;
}

/* timeline: minutes scheduled on the monotonic clock neither burst nor
 * skip; minutes taken while the clock was 1970 get their true times once
 * it is known; a step of the wall clock either way invents no minute and
 * never stamps a minute at or before one already stamped or stored: those
 * minutes are carried (stamp 0) until the clock passes the newest. */
#include "timeline.h"

#include <check.h>
#include <stdlib.h>

#define NOW_MS INT64_C(1795544400000) /* a wall time after the build's year */
#define DAY_MS INT64_C(86400000)

struct sim {
	struct timeline tl;
	int64_t mono;
	int64_t off; /* the wall clock: mono + off */
	bool trusted;
	unsigned seed;
};

/* Runs until the open minute's end (plus a late firing of up to late_ms),
 * observing the clocks every second as the daemon does, closes it and
 * returns its stamp; *len gets its length. */
static int64_t s_next(struct sim *s, int late_ms, int64_t *len)
{
	for (;;) {
		int64_t due = s->tl.end_ms;
		int64_t next_tick = s->mono + 1000;
		if (next_tick < due) {
			s->mono = next_tick;
			timeline_observe(&s->tl, s->mono, s->mono + s->off, s->trusted);
			continue;
		}
		s->mono = due + (late_ms ? (int64_t)(rand_r(&s->seed) % (unsigned)late_ms) : 0);
		timeline_observe(&s->tl, s->mono, s->mono + s->off, s->trusted);
		if (s->mono < s->tl.end_ms)
			continue; /* the end moved on: re-armed */
		int64_t start, end;
		timeline_close(&s->tl, s->mono, &start, &end);
		*len = end - start;
		return timeline_stamp(&s->tl, start, end);
	}
}

START_TEST(test_minutes_neither_burst_nor_skip)
{
	struct sim s = { .mono = 5000, .off = NOW_MS + 17321 - 5000, .trusted = true, .seed = 7 };
	timeline_init(&s.tl, 60000, s.mono, 0);
	timeline_observe(&s.tl, s.mono, s.mono + s.off, true);
	int64_t len, prev = s_next(&s, 0, &len);
	ck_assert_int_eq(prev % 60, 0);
	for (int i = 0; i < 5000; i++) {
		/* late timers (a busy loop) and a slewing clock (NTP) */
		s.off += (i % 7) - 3;
		int64_t ts = s_next(&s, 900, &len);
		ck_assert_int_eq(ts, prev + 60);
		ck_assert_int_ge(len, 59000);
		ck_assert_int_le(len, 61000);
		prev = ts;
	}
	ck_assert_uint_eq(s.tl.steps, 0);
}
END_TEST

START_TEST(test_stall_skips_no_minute)
{
	/* the loop stalls for 150 s: the minute that covered the stall is one
	 * long minute; the next ones continue at the next boundary, one each */
	struct sim s = { .mono = 1000, .off = NOW_MS - 1000, .trusted = true };
	timeline_init(&s.tl, 60000, s.mono, 0);
	timeline_observe(&s.tl, s.mono, s.mono + s.off, true);
	int64_t len, a = s_next(&s, 0, &len);
	s.mono = s.tl.end_ms + 150000; /* fires 2.5 minutes late */
	int64_t start, end;
	timeline_close(&s.tl, s.mono, &start, &end);
	int64_t b = timeline_stamp(&s.tl, start, end);
	int64_t c = s_next(&s, 0, &len);
	ck_assert_int_gt(b, a);
	ck_assert_int_gt(c, b);
	ck_assert_int_le(len, 60000);
}
END_TEST

START_TEST(test_start_in_1970_then_clock_set)
{
	/* a board without RTC: the wall clock starts at 0 and is not trusted */
	struct sim s = { .mono = 3000, .off = -3000, .trusted = false };
	timeline_init(&s.tl, 60000, s.mono, 0);
	int64_t held_start[10], held_end[10], len;
	for (int i = 0; i < 10; i++) {
		s.mono = s.tl.end_ms;
		timeline_observe(&s.tl, s.mono, s.mono + s.off, false);
		timeline_close(&s.tl, s.mono, &held_start[i], &held_end[i]);
		ck_assert_int_eq(held_end[i] - held_start[i], 60000); /* a monotonic minute */
		ck_assert_int_eq(timeline_stamp(&s.tl, held_start[i], held_end[i]), -1); /* nothing in 1970 */
	}
	/* NTP sets the clock 20 s into the 11th minute */
	s.mono += 20000;
	s.off = NOW_MS + 7000 - s.mono;
	s.trusted = true;
	ck_assert(timeline_observe(&s.tl, s.mono, s.mono + s.off, true));
	/* the held minutes get their true times: consecutive, ending before now */
	int64_t prev = 0;
	for (int i = 0; i < 10; i++) {
		int64_t ts = timeline_stamp(&s.tl, held_start[i], held_end[i]);
		ck_assert_int_ge(ts, 1767225600);
		if (i)
			ck_assert_int_eq(ts, prev + 60);
		prev = ts;
	}
	ck_assert_int_le(prev, (NOW_MS + 7000) / 1000 - 60);
	/* the open minute ends at the next wall boundary and later ones align */
	int64_t open = s_next(&s, 0, &len);
	ck_assert_int_eq(open, prev + 60);
	ck_assert_int_eq((s.mono + s.off) % 60000, 0);
	int64_t next = s_next(&s, 0, &len);
	ck_assert_int_eq(next, open + 60);
	ck_assert_int_eq(len, 60000);
}
END_TEST

START_TEST(test_step_forward_a_day_and_back)
{
	struct sim s = { .mono = 1000, .off = NOW_MS + 30000 - 1000, .trusted = true };
	timeline_init(&s.tl, 60000, s.mono, 0);
	timeline_observe(&s.tl, s.mono, s.mono + s.off, true);
	int64_t len, ts[40];
	int closes = 0;
	for (int i = 0; i < 10; i++)
		ts[closes++] = s_next(&s, 0, &len);
	/* 25 s into a minute the clock jumps a day ahead */
	s.mono += 25000;
	s.off += DAY_MS;
	timeline_observe(&s.tl, s.mono, s.mono + s.off, true);
	ck_assert_uint_eq(s.tl.steps, 1);
	for (int i = 0; i < 10; i++)
		ts[closes++] = s_next(&s, 0, &len);
	/* and 40 s into another it is set back */
	s.mono += 40000;
	s.off -= DAY_MS;
	timeline_observe(&s.tl, s.mono, s.mono + s.off, true);
	ck_assert_uint_eq(s.tl.steps, 2);
	for (int i = 0; i < 10; i++)
		ts[closes++] = s_next(&s, 0, &len);
	/* one stamp per closed minute (none invented), consecutive within
	 * each stretch, and the jump forward shows as one gap of about a day */
	for (int i = 1; i < 20; i++) {
		int64_t d = ts[i] - ts[i - 1];
		if (i == 10)
			ck_assert_msg(d >= 86400 && d <= 86400 + 60, "forward jump %lld", (long long)d);
		else
			ck_assert_int_eq(d, 60);
	}
	/* after the step back every minute would repeat a stamped one: none
	 * has a stamp of its own until the clock passes the newest */
	for (int i = 20; i < closes; i++)
		ck_assert_int_eq(ts[i], 0);
}
END_TEST

/* Steps of the wall clock, in ms, taken 25 s into a minute after an hour
 * of minutes, with the minutes that can have no stamp of their own. */
static const struct {
	int64_t step_ms;
	int carried; /* minutes closed with stamp 0 */
} s_steps[] = {
	{ -180000, 3 }, /* the field case: NTP corrects a fast clock */
	{ -30000, 1 },  /* within a minute: the open one repeats the last */
	{ -61000, 1 },  { -119000, 2 }, { -121000, 2 }, { -3600000, 60 },
	{ 2500, 0 },    { 180000, 0 },  { 86400000, 0 },
};

START_TEST(test_step_never_repeats_a_stamp)
{
	int64_t step = s_steps[_i].step_ms;
	struct sim s = { .mono = 1000, .off = NOW_MS - 1000, .trusted = true };
	timeline_init(&s.tl, 60000, s.mono, 0);
	timeline_observe(&s.tl, s.mono, s.mono + s.off, true);
	int64_t len, newest = 0;
	for (int i = 0; i < 60; i++) {
		int64_t ts = s_next(&s, 0, &len);
		ck_assert_int_gt(ts, newest);
		newest = ts;
	}
	s.mono += 25000;
	s.off += step;
	timeline_observe(&s.tl, s.mono, s.mono + s.off, true);
	int carried = 0, after = 0;
	int64_t first = 0;
	for (int i = 0; i < 100; i++) {
		int64_t ts = s_next(&s, 0, &len);
		if (!ts) {
			/* carried minutes come together, right after the step */
			ck_assert_int_eq(after, 0);
			carried++;
			continue;
		}
		ck_assert_msg(ts > newest, "step %lld: minute %d stamped %lld, not after %lld", (long long)step, i,
			      (long long)ts, (long long)newest);
		ck_assert_int_eq(ts % 60, 0);
		if (!after++)
			first = ts;
		else
			ck_assert_int_eq(ts, newest + 60);
		newest = ts;
	}
	ck_assert_int_eq(carried, s_steps[_i].carried);
	/* the first stamp after a step back follows the newest stored one:
	 * no gap, no repeat; forward, the gap is the step */
	int64_t last_before = (NOW_MS / 60000 + 59) * 60;
	if (step < 0)
		ck_assert_int_eq(first, last_before + 60);
	else
		ck_assert_int_ge(first, last_before + 60 + (step / 60000) * 60);
}
END_TEST

START_TEST(test_floor_from_the_store)
{
	/* a restart within a stored minute, or a hub whose clock is behind
	 * what it stored: nothing is stamped at or before the stored newest */
	struct sim s = { .mono = 1000, .off = NOW_MS + 10000 - 1000, .trusted = true };
	timeline_init(&s.tl, 60000, s.mono, 0);
	int64_t stored = NOW_MS / 1000 + 120;
	timeline_floor(&s.tl, stored);
	timeline_floor(&s.tl, stored - 600); /* the floor never goes down */
	timeline_observe(&s.tl, s.mono, s.mono + s.off, true);
	int64_t len;
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(s_next(&s, 0, &len), 0);
	ck_assert_int_eq(s_next(&s, 0, &len), stored + 60);
	/* fast mode too */
	struct timeline tl;
	timeline_init(&tl, 100, 0, 1795544400);
	timeline_floor(&tl, 1795544400 + 600);
	int64_t start, end;
	timeline_close(&tl, 100, &start, &end);
	ck_assert_int_eq(timeline_stamp(&tl, start, end), 1795544400 + 660);
}
END_TEST

START_TEST(test_fast_mode_stamps_consecutive_minutes)
{
	struct timeline tl;
	timeline_init(&tl, 100, 0, 1795544400);
	int64_t start, end, prev = 1795544400 - 60;
	for (int i = 1; i <= 100; i++) {
		ck_assert(!timeline_observe(&tl, tl.end_ms, 0, false)); /* clocks do not matter */
		ck_assert_int_eq(tl.end_ms, i * 100);
		timeline_close(&tl, tl.end_ms, &start, &end);
		int64_t ts = timeline_stamp(&tl, start, end);
		ck_assert_int_eq(ts, prev + 60);
		prev = ts;
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("timeline");
	tcase_add_test(tc, test_minutes_neither_burst_nor_skip);
	tcase_add_test(tc, test_stall_skips_no_minute);
	tcase_add_test(tc, test_start_in_1970_then_clock_set);
	tcase_add_test(tc, test_step_forward_a_day_and_back);
	tcase_add_loop_test(tc, test_step_never_repeats_a_stamp, 0, sizeof s_steps / sizeof s_steps[0]);
	tcase_add_test(tc, test_floor_from_the_store);
	tcase_add_test(tc, test_fast_mode_stamps_consecutive_minutes);
	suite_add_tcase(s, tc);
	return s;
}

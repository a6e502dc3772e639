/* check_debounce: the counting rule of debounce.h, one table of edge
 * sequences (timestamps in ms) and the pulses each must count.  Every
 * source feeds this code, so these rows are the rule for gpio, sim and
 * file alike. */
#include <check.h>

#include "debounce.h"

#include <stdio.h>

#define MS 1000000LL
#define END { -1, 0 }

struct step {
	int64_t ms; /* edge time; -1 ends the sequence */
	int level;
};

struct row {
	const char *behaviour;
	int64_t min_ms;
	bool start_closed;
	struct step edges[24];
	int64_t poll_ms; /* 0: no poll after the edges; <0: poll at -poll_ms right after the first edge */
	int pulses;      /* total counted by edges and the poll */
	int64_t first_pulse_ms; /* time of the first pulse, when pulses > 0 */
	unsigned short_closures;
};

static const struct row s_rows[] = {
	{ "one clean pulse of 150 ms counts once", 100, false, { { 1000, 1 }, { 1150, 0 }, END }, 0, 1, 1000, 0 },
	{ "a pulse of exactly the minimum counts", 100, false, { { 1000, 1 }, { 1100, 0 }, END }, 0, 1, 1000, 0 },
	{ "a pulse 1 ms short of the minimum does not count", 100, false, { { 1000, 1 }, { 1099, 0 }, END }, 0, 0, 0, 1 },
	{ "bounce while closing (5 edges within 4 ms) counts once, from the last closing", 100, false,
	  { { 1000, 1 }, { 1001, 0 }, { 1002, 1 }, { 1003, 0 }, { 1004, 1 }, { 1200, 0 }, END }, 0, 1, 1004, 2 },
	{ "bounce while opening does not count a second pulse", 100, false,
	  { { 1000, 1 }, { 1200, 0 }, { 1201, 1 }, { 1202, 0 }, { 1203, 1 }, { 1204, 0 }, END }, 0, 1, 1000, 2 },
	{ "bounce that breaks the closure restarts the minimum: 3 short pieces count nothing", 100, false,
	  { { 1000, 1 }, { 1060, 0 }, { 1061, 1 }, { 1120, 0 }, { 1121, 1 }, { 1180, 0 }, END }, 0, 0, 0, 3 },
	{ "a pulse of 10 minutes counts once (no maximum)", 100, false,
	  { { 1000, 1 }, { 601000, 0 }, END }, 0, 1, 1000, 0 },
	{ "a closure still closed counts when the poll sees the minimum passed", 100, false,
	  { { 1000, 1 }, END }, 1100, 1, 1000, 0 },
	{ "a closure still closed does not count before the minimum", 100, false,
	  { { 1000, 1 }, END }, 1099, 0, 0, 0 },
	{ "a closure counted by the poll is not counted again at its opening", 100, false,
	  { { 1000, 1 }, { 5000, 0 }, END }, -2000, 1, 1000, 0 },
	{ "three pulses a second apart count three", 100, false,
	  { { 0, 1 }, { 200, 0 }, { 1000, 1 }, { 1200, 0 }, { 2000, 1 }, { 2200, 0 }, END }, 0, 3, 0, 0 },
	{ "a repeated level (a missed edge) changes nothing", 100, false,
	  { { 1000, 1 }, { 1050, 1 }, { 1120, 0 }, { 1130, 0 }, END }, 0, 1, 1000, 0 },
	{ "the minimum is per input: 20 ms counts a 25 ms pulse", 20, false,
	  { { 1000, 1 }, { 1025, 0 }, END }, 0, 1, 1000, 0 },
	{ "a contact closed at start is taken as counted: its opening counts nothing", 100, true,
	  { { 5000, 0 }, { 6000, 1 }, { 6300, 0 }, END }, 0, 1, 6000, 0 },
	{ "an edge before the previous one is refused and changes nothing", 100, false,
	  { { 1000, 1 }, { 900, 0 }, { 1150, 0 }, END }, 0, 1, 1000, 0 },
};

START_TEST(test_rows)
{
	const struct row *r = &s_rows[_i];
	struct debounce d;
	debounce_init(&d, r->min_ms, r->start_closed);
	int pulses = 0;
	int64_t first = -1, ts = 0, last_ms = -1;
	for (int k = 0; r->edges[k].ms >= 0; k++) {
		const struct step *s = &r->edges[k];
		int rc = debounce_edge(&d, s->ms * MS, s->level, &ts);
		if (s->ms < last_ms)
			ck_assert_msg(rc == -1, "%s: backwards edge at %lld not refused", r->behaviour, (long long)s->ms);
		else
			last_ms = s->ms;
		if (rc > 0 && first < 0)
			first = ts;
		pulses += rc > 0 ? rc : 0;
		if (k == 0 && r->poll_ms < 0) {
			int n = debounce_poll(&d, -r->poll_ms * MS, &ts);
			if (n && first < 0)
				first = ts;
			pulses += n;
		}
	}
	if (r->poll_ms > 0) {
		int n = debounce_poll(&d, r->poll_ms * MS, &ts);
		if (n && first < 0)
			first = ts;
		pulses += n;
		/* a poll later never counts a counted closure again */
		if (n)
			ck_assert_int_eq(debounce_poll(&d, (r->poll_ms + 60000) * MS, &ts), 0);
	}
	ck_assert_msg(pulses == r->pulses, "%s: counted %d, expected %d", r->behaviour, pulses, r->pulses);
	if (r->pulses)
		ck_assert_msg(first == r->first_pulse_ms * MS, "%s: first pulse at %lld ms, expected %lld", r->behaviour,
			      (long long)(first / MS), (long long)r->first_pulse_ms);
	ck_assert_msg(d.short_closures == r->short_closures, "%s: %llu short closures, expected %u", r->behaviour,
		      (unsigned long long)d.short_closures, r->short_closures);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("debounce");
	TCase *tc = tcase_create("rule");
	tcase_add_loop_test(tc, test_rows, 0, sizeof s_rows / sizeof s_rows[0]);
	suite_add_tcase(s, tc);
	return s;
}

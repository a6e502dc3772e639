/* check_debounce: the counting rule of debounce.h, one table of edge
 * sequences (timestamps in ms) and the pulses each must count: both
 * thresholds (minimum closed and minimum open time), chatter of every
 * shape on either side of each, polls between edges.  Every
 * source feeds this code, so these rows are the rule for gpio, sim and
 * file alike. */
#include <check.h>

#include "debounce.h"

#include <stdio.h>

#define MS 1000000LL
#define END { -1, 0 }
#define POLL 2 /* a step that polls at its time instead of an edge */

struct step {
	int64_t ms; /* edge (or poll) time; -1 ends the sequence */
	int level;  /* 1 closed, 0 open, POLL */
};

struct row {
	const char *behaviour;
	int64_t min_ms, min_open_ms;
	bool start_closed;
	struct step edges[32];
	int pulses;      /* total counted by edges and polls */
	int64_t first_pulse_ms; /* time of the first pulse, when pulses > 0 */
	unsigned short_closures; /* once the contact has stayed open */
};

/* 19 ms openings between 10 ms closed pieces, from 1000 ms: chatter all along */
#define CHATTER10                                                                                                  \
	{ 1000, 1 }, { 1010, 0 }, { 1029, 1 }, { 1039, 0 }, { 1058, 1 }, { 1068, 0 }, { 1087, 1 }, { 1097, 0 },     \
		{ 1116, 1 }, { 1126, 0 }, { 1145, 1 }, { 1155, 0 }, { 1174, 1 }, { 1184, 0 }, { 1203, 1 },          \
		{ 1213, 0 }, { 1232, 1 }, { 1242, 0 }, { 1261, 1 }, { 1271, 0 }

static const struct row s_rows[] = {
	/* the minimum closed time */
	{ "one clean pulse of 150 ms counts once", 100, 20, false, { { 1000, 1 }, { 1150, 0 }, END }, 1, 1000, 0 },
	{ "a pulse of exactly the minimum counts", 100, 20, false, { { 1000, 1 }, { 1100, 0 }, END }, 1, 1000, 0 },
	{ "a pulse 1 ms short of the minimum does not count", 100, 20, false, { { 1000, 1 }, { 1099, 0 }, END }, 0, 0,
	  1 },
	{ "a pulse of 10 minutes counts once (no maximum)", 100, 20, false, { { 1000, 1 }, { 601000, 0 }, END }, 1,
	  1000, 0 },
	{ "a closure still closed counts when the poll sees the minimum passed a second ago", 100, 20, false,
	  { { 1000, 1 }, { 2100, POLL }, END }, 1, 1000, 0 },
	{ "a closure still closed does not count before the minimum passed a second ago", 100, 20, false,
	  { { 1000, 1 }, { 2099, POLL }, END }, 0, 0, 0 },
	{ "an opening read after a poll just past the minimum still makes the closure short (edges come late)", 100,
	  20, false, { { 1000, 1 }, { 1150, POLL }, { 1050, 0 }, END }, 0, 0, 1 },
	{ "a closure counted by the poll is not counted again at its opening", 100, 20, false,
	  { { 1000, 1 }, { 3000, POLL }, { 5000, 0 }, END }, 1, 1000, 0 },
	{ "three pulses a second apart count three", 100, 20, false,
	  { { 0, 1 }, { 200, 0 }, { 1000, 1 }, { 1200, 0 }, { 2000, 1 }, { 2200, 0 }, END }, 3, 0, 0 },
	{ "a repeated level (a missed edge) changes nothing", 100, 20, false,
	  { { 1000, 1 }, { 1050, 1 }, { 1120, 0 }, { 1130, 0 }, END }, 1, 1000, 0 },
	{ "the minimum is per input: 20 ms counts a 25 ms pulse", 20, 20, false, { { 1000, 1 }, { 1025, 0 }, END }, 1,
	  1000, 0 },
	{ "a contact closed at start is taken as counted: its opening counts nothing", 100, 20, true,
	  { { 5000, 0 }, { 6000, 1 }, { 6300, 0 }, END }, 1, 6000, 0 },
	{ "an edge before the previous one is refused and changes nothing", 100, 20, false,
	  { { 1000, 1 }, { 900, 0 }, { 1150, 0 }, END }, 1, 1000, 0 },

	/* the minimum open time: chatter after a long closure (issue 12) */
	{ "closed 1-9 s, open 3 ms, closed 300 ms, open; a clean 1 s pulse at 69 s: two revolutions", 100, 20, false,
	  { { 1000, 1 }, { 9000, 0 }, { 9003, 1 }, { 9303, 0 }, { 69000, 1 }, { 70000, 0 }, END }, 2, 1000, 0 },
	{ "the same with min_open_ms 0 (every opening real) counts the chatter as a third pulse", 100, 0, false,
	  { { 1000, 1 }, { 9000, 0 }, { 9003, 1 }, { 9303, 0 }, { 69000, 1 }, { 70000, 0 }, END }, 3, 1000, 0 },
	{ "an opening of min_open - 1 ms after a counted pulse is chatter: one pulse", 100, 20, false,
	  { { 1000, 1 }, { 1200, 0 }, { 1219, 1 }, { 1519, 0 }, END }, 1, 1000, 0 },
	{ "an opening of exactly min_open after a counted pulse is a gap: two pulses", 100, 20, false,
	  { { 1000, 1 }, { 1200, 0 }, { 1220, 1 }, { 1520, 0 }, END }, 2, 1000, 0 },
	{ "the minimum open time is per input: 50 ms takes a 40 ms opening as chatter", 100, 50, false,
	  { { 1000, 1 }, { 1200, 0 }, { 1240, 1 }, { 1540, 0 }, END }, 1, 1000, 0 },
	{ "chatter that re-closes for less than the minimum after a counted pulse counts nothing", 100, 20, false,
	  { { 1000, 1 }, { 1200, 0 }, { 1201, 1 }, { 1202, 0 }, { 1203, 1 }, { 1204, 0 }, END }, 1, 1000, 0 },
	{ "chatter after a pulse the poll counted does not count again", 100, 20, false,
	  { { 1000, 1 }, { 2500, POLL }, { 5000, 0 }, { 5010, 1 }, { 5300, 0 }, { 5319, 1 }, { 5600, 0 }, END }, 1,
	  1000, 0 },
	{ "a poll during chatter's opening does not end the closure", 100, 20, false,
	  { { 1000, 1 }, { 1200, 0 }, { 1210, POLL }, { 1215, 1 }, { 1515, 0 }, END }, 1, 1000, 0 },
	{ "a re-closing 10 ms after its opening, read after a poll at 1.9 s, still continues its closure (edges come late)", 100, 20, false,
	  { { 1000, 1 }, { 1200, 0 }, { 1900, POLL }, { 1210, 1 }, { 1510, 0 }, END }, 1, 1000, 0 },

	/* chatter while closing, and inside a closure */
	{ "chatter while closing (5 edges within 4 ms) is one closure from its first closing", 100, 20, false,
	  { { 1000, 1 }, { 1001, 0 }, { 1002, 1 }, { 1003, 0 }, { 1004, 1 }, { 1200, 0 }, END }, 1, 1000, 0 },
	{ "with min_open_ms 0 chatter while closing restarts the closure at its last closing", 100, 0, false,
	  { { 1000, 1 }, { 1001, 0 }, { 1002, 1 }, { 1003, 0 }, { 1004, 1 }, { 1200, 0 }, END }, 1, 1004, 2 },
	{ "pieces shorter than the minimum joined by chatter make one closure that counts", 100, 20, false,
	  { { 1000, 1 }, { 1060, 0 }, { 1061, 1 }, { 1120, 0 }, { 1121, 1 }, { 1180, 0 }, END }, 1, 1000, 0 },
	{ "the same pieces apart by exactly min_open are three short closures", 100, 20, false,
	  { { 1000, 1 }, { 1060, 0 }, { 1080, 1 }, { 1140, 0 }, { 1160, 1 }, { 1220, 0 }, END }, 0, 0, 3 },
	{ "a closure of min - 1 ms with chatter inside stays short", 100, 20, false,
	  { { 1000, 1 }, { 1050, 0 }, { 1069, 1 }, { 1099, 0 }, END }, 0, 0, 1 },
	{ "a closure of exactly min with chatter of min_open - 1 inside counts, the gap included", 100, 20, false,
	  { { 1000, 1 }, { 1050, 0 }, { 1069, 1 }, { 1100, 0 }, END }, 1, 1000, 0 },
	{ "ten 19 ms openings between 10 ms pieces are one 271 ms closure", 100, 20, false, { CHATTER10, END }, 1,
	  1000, 0 },
	{ "the same with min_open_ms 10 (shorter than its openings) is ten short closures", 100, 10, false, { CHATTER10, END }, 0, 0, 10 },
	{ "a contact closed at start with chatter at its opening counts nothing", 100, 20, true,
	  { { 5000, 0 }, { 5002, 1 }, { 5300, 0 }, END }, 0, 0, 0 },
};

START_TEST(test_rows)
{
	const struct row *r = &s_rows[_i];
	struct debounce d;
	debounce_init(&d, r->min_ms, r->min_open_ms, r->start_closed);
	int pulses = 0;
	int64_t first = -1, ts = 0, last_ms = -1, end_ms = 0;
	for (int k = 0; r->edges[k].ms >= 0; k++) {
		const struct step *s = &r->edges[k];
		int n;
		if (s->level == POLL) {
			n = debounce_poll(&d, s->ms * MS, &ts);
			/* a poll later never counts a counted closure again */
			if (n)
				ck_assert_int_eq(debounce_poll(&d, (s->ms + 60000) * MS, &ts), 0);
		} else {
			n = debounce_edge(&d, s->ms * MS, s->level, &ts);
			if (s->ms < last_ms)
				ck_assert_msg(n == -1, "%s: backwards edge at %lld not refused", r->behaviour,
					      (long long)s->ms);
			else
				last_ms = s->ms;
		}
		if (n > 0 && first < 0)
			first = ts;
		pulses += n > 0 ? n : 0;
		end_ms = s->ms > end_ms ? s->ms : end_ms;
	}
	/* the contact stays open: a poll much later counts nothing and ends
	 * the last closure, so every short one is counted */
	if (!d.closed)
		ck_assert_int_eq(debounce_poll(&d, (end_ms + 60000) * MS, &ts), 0);
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

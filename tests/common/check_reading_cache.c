/* reading_cache: a reading is fresh up to two of its publisher's periods
 * and a second after it arrived and absent after; a source's newest replaces its last; a kind
 * that is full gives the stalest source's slot to a new one, never a fresh
 * one's; names that are no source of the kind are refused. */
#include "reading_cache.h"

#include <check.h>
#include <stdio.h>

static json_t *s_T(double t)
{
	return json_pack("{s:f}", "T", t);
}

/* age limits by kind: two publisher periods and a second */
static const struct {
	enum reading_kind kind;
	int probe_interval_s;
	int64_t fresh_ms;
} s_limits[] = {
	{ READING_METER, 5, 3000 },  { READING_PULSE, 5, 3000 }, /* every second */
	{ READING_TEMP, 5, 11000 },  /* temps.interval_s's default */
	{ READING_TEMP, 60, 121000 }, { READING_METER, 60, 3000 }, /* the probes' interval is theirs alone */
	{ READING_TEMP, 0, 3000 },   /* never below a 1 s period */
};

START_TEST(test_fresh_for_two_periods_and_a_second_then_absent)
{
	struct reading_cache *c = reading_cache_new(4);
	reading_cache_set_probe_interval(c, s_limits[_i].probe_interval_s);
	const char *n = s_limits[_i].kind == READING_TEMP ? "28-0316a2799aff" : "3";
	int64_t fresh = s_limits[_i].fresh_ms;
	ck_assert_int_eq(reading_fresh_ms(s_limits[_i].kind, s_limits[_i].probe_interval_s), fresh);
	ck_assert_ptr_null(reading_cache_fresh(c, s_limits[_i].kind, n, 1000));
	ck_assert_ptr_nonnull(reading_cache_put(c, s_limits[_i].kind, n, s_T(21.5), 1000));
	ck_assert_ptr_nonnull(reading_cache_fresh(c, s_limits[_i].kind, n, 1000));
	ck_assert_ptr_nonnull(reading_cache_fresh(c, s_limits[_i].kind, n, 1000 + fresh));
	ck_assert_ptr_null(reading_cache_fresh(c, s_limits[_i].kind, n, 1000 + fresh + 1));
	/* still known, only not fresh */
	const struct reading_entry *e = reading_cache_find(c, s_limits[_i].kind, n);
	ck_assert_ptr_nonnull(e);
	ck_assert(!reading_fresh(c, e, 1000 + fresh + 1));
	/* a newer reading replaces it and is fresh again */
	reading_cache_put(c, s_limits[_i].kind, n, s_T(22.0), 1000 + 2 * fresh);
	const json_t *t = reading_cache_fresh(c, s_limits[_i].kind, n, 1000 + 2 * fresh);
	ck_assert_double_eq(json_number_value(json_object_get(t, "T")), 22.0);
	ck_assert_uint_eq(reading_cache_count(c), 1);
	ck_assert(!reading_fresh(c, NULL, 0));
	reading_cache_destroy(&c);
	ck_assert_ptr_null(c);
}
END_TEST

START_TEST(test_kinds_and_numbers_are_apart)
{
	struct reading_cache *c = reading_cache_new(0);
	reading_cache_put(c, READING_METER, "3", json_pack("{s:i}", "did", 3), 5);
	reading_cache_put(c, READING_PULSE, "3", json_pack("{s:i}", "count", 9), 6);
	ck_assert_int_eq(reading_cache_number(c, READING_METER, 3)->at_ms, 5);
	ck_assert_int_eq(reading_cache_number(c, READING_PULSE, 3)->at_ms, 6);
	ck_assert_ptr_null(reading_cache_number(c, READING_METER, 4));
	/* no room for probes asked for: none taken */
	ck_assert_ptr_null(reading_cache_put(c, READING_TEMP, "28-0316a2799aff", s_T(1), 7));
	reading_cache_destroy(&c);
}
END_TEST

START_TEST(test_names_that_are_no_source_are_refused)
{
	struct reading_cache *c = reading_cache_new(4);
	bool added = true;
	ck_assert_ptr_null(reading_cache_slot(c, READING_METER, "9", 0, &added));
	ck_assert(!added);
	ck_assert_ptr_null(reading_cache_put(c, READING_PULSE, "0", json_object(), 0));
	ck_assert_ptr_null(reading_cache_put(c, READING_TEMP, "found", json_object(), 0));
	ck_assert_uint_eq(reading_cache_count(c), 0);
	reading_cache_destroy(&c);
}
END_TEST

START_TEST(test_a_full_kind_gives_up_its_stalest_slot_only)
{
	struct reading_cache *c = reading_cache_new(2);
	bool added;
	/* a probe announced (no reading yet), then one reading at 1000 */
	ck_assert_ptr_nonnull(reading_cache_slot(c, READING_TEMP, "28-000000000001", 0, &added));
	ck_assert(added);
	reading_cache_slot(c, READING_TEMP, "28-000000000001", 0, &added);
	ck_assert(!added);
	reading_cache_put(c, READING_TEMP, "28-000000000002", s_T(2), 1000);
	/* full: the announced one, never read, goes first */
	ck_assert_ptr_nonnull(reading_cache_put(c, READING_TEMP, "28-000000000003", s_T(3), 2000));
	ck_assert_ptr_null(reading_cache_find(c, READING_TEMP, "28-000000000001"));
	/* full of fresh readings: a fourth is refused, nothing is lost */
	ck_assert_ptr_null(reading_cache_put(c, READING_TEMP, "28-000000000004", s_T(4), 3000));
	ck_assert_ptr_nonnull(reading_cache_fresh(c, READING_TEMP, "28-000000000002", 3000));
	ck_assert_ptr_nonnull(reading_cache_fresh(c, READING_TEMP, "28-000000000003", 3000));
	/* once 2 is stale (from 12001 on: 11 s at tempd's default) it makes room */
	int64_t later = 1000 + reading_fresh_ms(READING_TEMP, 5) + 1;
	ck_assert_ptr_nonnull(reading_cache_put(c, READING_TEMP, "28-000000000004", s_T(4), later));
	ck_assert_ptr_null(reading_cache_find(c, READING_TEMP, "28-000000000002"));
	ck_assert_ptr_nonnull(reading_cache_fresh(c, READING_TEMP, "28-000000000003", later));
	ck_assert_uint_eq(reading_cache_count(c), 2);
	/* meters have their own 8 slots, whatever the probes do */
	for (int m = 1; m <= 8; m++) {
		char n[4];
		snprintf(n, sizeof n, "%d", m);
		ck_assert_ptr_nonnull(reading_cache_put(c, READING_METER, n, json_object(), later));
	}
	reading_cache_destroy(&c);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("reading_cache");
	TCase *tc = tcase_create("reading_cache");
	tcase_add_loop_test(tc, test_fresh_for_two_periods_and_a_second_then_absent, 0,
			    sizeof s_limits / sizeof s_limits[0]);
	tcase_add_test(tc, test_kinds_and_numbers_are_apart);
	tcase_add_test(tc, test_names_that_are_no_source_are_refused);
	tcase_add_test(tc, test_a_full_kind_gives_up_its_stalest_slot_only);
	suite_add_tcase(s, tc);
	return s;
}

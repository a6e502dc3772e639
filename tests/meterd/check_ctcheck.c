/* check_ctcheck: a consumable meter whose phase exports steadily is flagged
 * as a likely reversed CT after CTCHECK_EXPORT_S seconds, only that phase,
 * until it imports again; other purposes may export and are never flagged. */
#include <check.h>

#include "ctcheck.h"

#include <string.h>

/* A second's reading of a 3LN meter whose phase 2 carries p2 watts. */
static struct meter_reading s_reading(double p2)
{
	struct meter_reading r;
	memset(&r, 0, sizeof r);
	r.phases = 3;
	r.P[0] = 500;
	r.P[1] = p2;
	r.P[2] = 480;
	return r;
}

START_TEST(steady_export_on_a_consumable_meter_flags_its_phase_until_it_imports)
{
	struct ctcheck c = { { 0 } };
	struct meter_reading exporting = s_reading(-450), importing = s_reading(450);
	for (int s = 1; s < CTCHECK_EXPORT_S; s++) {
		ck_assert(!ctcheck_update(&c, &exporting, true));
		ck_assert(!ctcheck_flagged(&c, 1));
	}
	ck_assert(ctcheck_update(&c, &exporting, true)); /* the flag changed: meterd republishes its status */
	ck_assert(ctcheck_flagged(&c, 1));
	ck_assert(!ctcheck_flagged(&c, 0) && !ctcheck_flagged(&c, 2));
	for (int s = 0; s < 10 * CTCHECK_EXPORT_S; s++)
		ck_assert(!ctcheck_update(&c, &exporting, true)); /* stays flagged, no news */
	ck_assert(ctcheck_update(&c, &importing, true));
	ck_assert(!ctcheck_flagged(&c, 1));
}
END_TEST

START_TEST(a_moment_of_import_restarts_the_count)
{
	struct ctcheck c = { { 0 } };
	struct meter_reading exporting = s_reading(-450), idle = s_reading(0);
	for (int s = 1; s < CTCHECK_EXPORT_S; s++)
		ctcheck_update(&c, &exporting, true);
	ctcheck_update(&c, &idle, true); /* below the starting current reads 0: not export */
	for (int s = 1; s < CTCHECK_EXPORT_S; s++)
		ctcheck_update(&c, &exporting, true);
	ck_assert(!ctcheck_flagged(&c, 1));
}
END_TEST

START_TEST(grid_and_renewable_meters_export_without_a_flag)
{
	struct ctcheck c = { { 0 } };
	struct meter_reading exporting = s_reading(-450);
	for (int s = 0; s < 3 * CTCHECK_EXPORT_S; s++)
		ck_assert(!ctcheck_update(&c, &exporting, false));
	ck_assert(!ctcheck_flagged(&c, 1));
}
END_TEST

START_TEST(phases_a_meter_does_not_use_are_never_flagged)
{
	struct ctcheck c = { { 0 } };
	struct meter_reading exporting = s_reading(-450);
	exporting.phases = 1;
	for (int s = 0; s < 3 * CTCHECK_EXPORT_S; s++)
		ctcheck_update(&c, &exporting, true);
	ck_assert(!ctcheck_flagged(&c, 1));
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("ctcheck");
	TCase *tc = tcase_create("reversed");
	tcase_add_test(tc, steady_export_on_a_consumable_meter_flags_its_phase_until_it_imports);
	tcase_add_test(tc, a_moment_of_import_restarts_the_count);
	tcase_add_test(tc, grid_and_renewable_meters_export_without_a_flag);
	tcase_add_test(tc, phases_a_meter_does_not_use_are_never_flagged);
	suite_add_tcase(s, tc);
	return s;
}

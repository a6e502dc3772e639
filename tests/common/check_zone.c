/* zone: local hours and days of named zones, across a change of the
 * clocks and in zones half and three quarters of an hour off UTC; which
 * zones' hours are UTC's; names that are not zones refused; the process's
 * TZ put back. */
#include "zone.h"

#include <check.h>
#include <stdlib.h>

static const struct {
	const char *zone;
	int64_t ts, step, start, end;
} s_buckets[] = {
	/* 2026-10-25 12:00 UTC: Paris's clocks went back that night, a day
	 * of 25 hours from 22:00 UTC (midnight CEST) to 23:00 UTC (CET) */
	{ "Europe/Paris", 1792929600, 86400, 1792879200, 1792969200 },
	{ "Europe/Paris", 1792929600, 3600, 1792929600, 1792933200 },
	/* 2026-11-30 10:10 UTC, 15:40 in India: its hour began at 09:30 UTC,
	 * its day at 18:30 UTC the day before */
	{ "Asia/Kolkata", 1796033400, 3600, 1796031000, 1796034600 },
	{ "Asia/Kolkata", 1796033400, 86400, 1795977000, 1796063400 },
	/* 15:55 in Nepal (+5:45): the hour began at 09:15 UTC */
	{ "Asia/Kathmandu", 1796033400, 3600, 1796030100, 1796033700 },
	{ "UTC", 1796033430, 60, 1796033400, 1796033460 },
	{ "UTC", 1796033430, 86400, 1795996800, 1796083200 },
};

START_TEST(test_bucket)
{
	struct zone_saved saved;
	ck_assert(zone_known(s_buckets[_i].zone));
	zone_use(s_buckets[_i].zone, &saved);
	int64_t start, end;
	zone_bucket(s_buckets[_i].ts, s_buckets[_i].step, &start, &end);
	zone_restore(&saved);
	ck_assert_int_eq(start, s_buckets[_i].start);
	ck_assert_int_eq(end, s_buckets[_i].end);
	ck_assert_ptr_null(getenv("TZ"));
}
END_TEST

START_TEST(test_whole_hours)
{
	static const struct {
		const char *zone;
		bool whole;
	} zones[] = { { "UTC", true }, { "Europe/Paris", true }, { "America/New_York", true },
		      { "Asia/Kolkata", false }, { "Asia/Kathmandu", false }, { "America/St_Johns", false } };
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		struct zone_saved saved;
		zone_use(zones[i].zone, &saved);
		/* across Europe's and America's clock changes of autumn 2026 */
		bool whole = zone_whole_hours(1792713600, 1794528000);
		zone_restore(&saved);
		ck_assert_msg(whole == zones[i].whole, "%s", zones[i].zone);
	}
}
END_TEST

START_TEST(test_known)
{
	ck_assert(zone_known("UTC"));
	ck_assert(zone_known("America/St_Johns"));
	static const char *const bad[] = { "Mars/Olympus", "../../etc/passwd", "/etc/localtime", "", "Europe/Paris;x",
					   "UTC+1 ",
					   /* a directory of zones, and names in it that are no zone */
					   "Europe", "Europe/", "America/Argentina", "posix", "right", "leapseconds" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!zone_known(bad[i]), "%s", bad[i]);
	ck_assert(!zone_known(NULL));
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("zone");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_bucket, 0, sizeof s_buckets / sizeof s_buckets[0]);
	tcase_add_test(tc, test_whole_hours);
	tcase_add_test(tc, test_known);
	suite_add_tcase(s, tc);
	return s;
}

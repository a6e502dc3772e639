/* check_clock: the one rule of "time known" every daemon publishes
 * (clock_sync_from): a table of kernel readings (adjtimex's return value
 * and status flags, the wall time) with and without
 * network.require_ntp_sync. */
#include <check.h>

#include "clock.h"

#include <string.h>

#define PLAUSIBLE 1795546056 /* 2026-11-25 */
#define BOOT_1970 86400

static const struct {
	time_t now;
	int rc;
	int status; /* timex.status */
	bool require;
	enum clock_state state;
	bool known;
} s_rows[] = {
	/* chrony disciplines the clock */
	{ PLAUSIBLE, TIME_OK, STA_PLL, true, CLOCK_SYNCHRONISED, true },
	{ PLAUSIBLE, TIME_OK, STA_PLL, false, CLOCK_SYNCHRONISED, true },
	{ PLAUSIBLE, TIME_INS, STA_PLL | STA_INS, true, CLOCK_SYNCHRONISED, true }, /* a leap second ahead */
	/* no NTP client (this machine): known only when not required */
	{ PLAUSIBLE, TIME_ERROR, STA_UNSYNC, true, CLOCK_UNSYNCHRONISED, false },
	{ PLAUSIBLE, TIME_ERROR, STA_UNSYNC, false, CLOCK_UNSYNCHRONISED, true },
	/* STA_UNSYNC whatever the return value says */
	{ PLAUSIBLE, TIME_OK, STA_UNSYNC, true, CLOCK_UNSYNCHRONISED, false },
	/* adjtimex failed (seccomp, a container): not synchronised */
	{ PLAUSIBLE, -1, 0, true, CLOCK_UNSYNCHRONISED, false },
	{ PLAUSIBLE, -1, 0, false, CLOCK_UNSYNCHRONISED, true },
	/* a board without RTC boots in 1970: never known, even if the kernel
	 * were told it is synchronised */
	{ BOOT_1970, TIME_ERROR, STA_UNSYNC, false, CLOCK_IMPLAUSIBLE, false },
	{ BOOT_1970, TIME_OK, STA_PLL, true, CLOCK_IMPLAUSIBLE, false },
	{ 1767225599, TIME_OK, STA_PLL, false, CLOCK_IMPLAUSIBLE, false }, /* 2025-12-31T23:59:59Z */
	{ 1767225600, TIME_OK, STA_PLL, false, CLOCK_SYNCHRONISED, true },
};

START_TEST(rows)
{
	struct timex tx = { .status = s_rows[_i].status, .maxerror = 12000, .esterror = 150 };
	struct clock_sync s;
	clock_sync_from(&s, s_rows[_i].now, s_rows[_i].rc, &tx, s_rows[_i].require);
	ck_assert_msg(s.state == s_rows[_i].state, "row %d: %s, want %s", _i, clock_state_name(s.state),
		      clock_state_name(s_rows[_i].state));
	ck_assert_msg(s.known == s_rows[_i].known, "row %d: known %d", _i, s.known);
	ck_assert(s.required == s_rows[_i].require);
	ck_assert_int_eq(s.maxerror_us, s_rows[_i].rc == -1 ? -1 : 12000);
	ck_assert_int_eq(s.esterror_us, s_rows[_i].rc == -1 ? -1 : 150);
}
END_TEST

START_TEST(json)
{
	struct timex tx = { .status = STA_PLL, .maxerror = 12500, .esterror = 150 };
	struct clock_sync s;
	clock_sync_from(&s, PLAUSIBLE, TIME_OK, &tx, true);
	json_t *j = clock_sync_json(&s);
	char *text = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	ck_assert_str_eq(text, "{\"esterror_us\":150,\"known\":true,\"maxerror_us\":12500,"
			       "\"required\":true,\"state\":\"synchronised\"}");
	free(text);
	json_decref(j);
	clock_sync_from(&s, PLAUSIBLE, -1, &tx, false);
	j = clock_sync_json(&s);
	ck_assert(json_is_null(json_object_get(j, "maxerror_us")) && json_is_null(json_object_get(j, "esterror_us")));
	ck_assert_str_eq(json_string_value(json_object_get(j, "state")), "unsynchronised");
	json_decref(j);
}
END_TEST

/* The wrapper the daemons call is the same rule on the kernel's reading. */
START_TEST(wall_synchronised_is_known)
{
	for (int req = 0; req < 2; req++) {
		struct clock_sync s;
		clock_sync_read(&s, req);
		ck_assert(clock_wall_synchronised(req) == s.known);
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("clock");
	tcase_add_loop_test(tc, rows, 0, sizeof s_rows / sizeof s_rows[0]);
	tcase_add_test(tc, json);
	tcase_add_test(tc, wall_synchronised_is_known);
	suite_add_tcase(s, tc);
	return s;
}

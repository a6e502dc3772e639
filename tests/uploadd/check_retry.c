/* check_retry: the retry policy table, the capped exponential backoff with
 * jitter, and Retry-After in both of its forms. */
#include "retry.h"

#include <check.h>
#include <stdio.h>
#include <time.h>

START_TEST(test_classify_every_code_class)
{
	static const struct {
		long code;
		enum retry_action want;
	} rows[] = {
		{ 200, RETRY_DELIVERED }, { 201, RETRY_DELIVERED }, { 204, RETRY_DELIVERED }, { 299, RETRY_DELIVERED },
		{ 400, RETRY_SPLIT },     { 413, RETRY_SPLIT },     { 422, RETRY_SPLIT },
		{ 401, RETRY_PAUSE },     { 403, RETRY_PAUSE },
		{ 408, RETRY_BACKOFF },   { 429, RETRY_BACKOFF },   { 500, RETRY_BACKOFF }, { 502, RETRY_BACKOFF },
		{ 503, RETRY_BACKOFF },   { 504, RETRY_BACKOFF },   { 599, RETRY_BACKOFF }, { 404, RETRY_BACKOFF },
		{ 301, RETRY_BACKOFF },   { 100, RETRY_BACKOFF },   { 0, RETRY_BACKOFF },   { 405, RETRY_BACKOFF },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		ck_assert_msg(retry_classify(rows[i].code) == rows[i].want, "HTTP %ld: %s, want %s", rows[i].code,
			      retry_action_name(retry_classify(rows[i].code)), retry_action_name(rows[i].want));
}
END_TEST

START_TEST(test_backoff_doubles_and_is_capped)
{
	static const struct {
		unsigned failures;
		int64_t cap, lo, hi; /* jitter 0 gives lo, jitter ~1 gives hi */
	} rows[] = {
		{ 1, 300000, 500, 1000 },       { 2, 300000, 1000, 2000 },     { 3, 300000, 2000, 4000 },
		{ 9, 300000, 128000, 256000 },  { 10, 300000, 150000, 300000 }, { 40, 300000, 150000, 300000 },
		{ 1000, 300000, 150000, 300000 }, { 0, 300000, 500, 1000 },     { 5, 100, 500, 1000 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t lo = retry_backoff_ms(rows[i].failures, rows[i].cap, 0);
		int64_t hi = retry_backoff_ms(rows[i].failures, rows[i].cap, 0.999999);
		ck_assert_msg(lo == rows[i].lo, "failures %u: %lld, want %lld", rows[i].failures, (long long)lo,
			      (long long)rows[i].lo);
		ck_assert_msg(hi >= rows[i].hi - 1 && hi <= rows[i].hi, "failures %u: max %lld, want %lld",
			      rows[i].failures, (long long)hi, (long long)rows[i].hi);
	}
}
END_TEST

START_TEST(test_jitter_spreads_within_the_step)
{
	int64_t seen_min = INT64_MAX, seen_max = 0;
	for (int i = 0; i < 1000; i++) {
		int64_t v = retry_backoff_ms(4, 300000, i / 1000.0);
		ck_assert_int_ge(v, 4000);
		ck_assert_int_le(v, 8000);
		seen_min = v < seen_min ? v : seen_min;
		seen_max = v > seen_max ? v : seen_max;
	}
	ck_assert_int_le(seen_min, 4010);
	ck_assert_int_ge(seen_max, 7990);
	/* out-of-range jitter is clamped, not trusted */
	ck_assert_int_eq(retry_backoff_ms(4, 300000, -5), 4000);
	ck_assert_int_le(retry_backoff_ms(4, 300000, 7), 8000);
}
END_TEST

START_TEST(test_retry_after_seconds_and_dates)
{
	/* now = Sun, 06 Nov 1994 08:49:37 GMT */
	const time_t now = 784111777;
	static const struct {
		const char *value;
		bool ok;
		int64_t delay;
	} rows[] = {
		{ "120", true, 120 },
		{ "0", true, 0 },
		{ "  7 ", true, 7 },
		{ "99999999999999", true, 2147483647 },
		{ "Sun, 06 Nov 1994 08:49:37 GMT", true, 0 },
		{ "Sun, 06 Nov 1994 08:50:37 GMT", true, 60 },
		{ "Sunday, 06-Nov-94 08:51:37 GMT", true, 120 },
		{ "Sun Nov  6 08:52:37 1994", true, 180 },
		{ "Sat, 05 Nov 1994 08:49:37 GMT", true, 0 }, /* in the past: now */
		{ "Mon, 07 Nov 1994 08:49:37 GMT", true, 86400 },
		{ "", false, 0 },
		{ "soon", false, 0 },
		{ "-5", false, 0 },
		{ "1.5", false, 0 },
		{ "12abc", false, 0 },
		{ "Sun, 99 Foo 1994 99:99:99 GMT", false, 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t d = -1;
		bool ok = retry_after_parse(rows[i].value, now, &d);
		ck_assert_msg(ok == rows[i].ok, "\"%s\": parsed %d, want %d", rows[i].value, ok, rows[i].ok);
		if (ok)
			ck_assert_msg(d == rows[i].delay, "\"%s\": %lld s, want %lld", rows[i].value, (long long)d,
				      (long long)rows[i].delay);
	}
	ck_assert(!retry_after_parse(NULL, now, &(int64_t){ 0 }));
}
END_TEST

START_TEST(test_retry_after_wins_over_backoff_within_limits)
{
	/* no Retry-After: the backoff */
	ck_assert_int_eq(retry_delay_ms(3, 300000, 0, false, 0, 3600000), 2000);
	/* Retry-After given: exactly it, even when shorter or longer than the backoff */
	ck_assert_int_eq(retry_delay_ms(9, 300000, 0, true, 3, 3600000), 3000);
	ck_assert_int_eq(retry_delay_ms(1, 300000, 0, true, 900, 3600000), 900000);
	/* never a tight loop, never beyond the limit */
	ck_assert_int_eq(retry_delay_ms(1, 300000, 0, true, 0, 3600000), 1000);
	ck_assert_int_eq(retry_delay_ms(1, 300000, 0, true, 2147483647, 3600000), 3600000);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("retry");
	TCase *tc = tcase_create("retry");
	tcase_add_test(tc, test_classify_every_code_class);
	tcase_add_test(tc, test_backoff_doubles_and_is_capped);
	tcase_add_test(tc, test_jitter_spreads_within_the_step);
	tcase_add_test(tc, test_retry_after_seconds_and_dates);
	tcase_add_test(tc, test_retry_after_wins_over_backoff_within_limits);
	suite_add_tcase(s, tc);
	return s;
}

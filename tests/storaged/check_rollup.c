/* rollup: minutes folded in any order give the same rollup (weighted
 * sums, extremes, the newest last value); the blob keeps it, a field a
 * minute lacked with its own weight, and reads back only the fields
 * asked for; a blob that is not one is refused. */
#include "rollup.h"

#include <check.h>
#include <string.h>

static struct record s_minute(int64_t ts, int count, double p, double e, bool with_v)
{
	struct record r = { .kind = READING_METER, .n = "1", .ts = ts, .count = count };
	int ip = record_field_index(READING_METER, "P"), ie = record_field_index(READING_METER, "E"),
	    iv = record_field_index(READING_METER, "V"), imax = record_field_index(READING_METER, "Pmax");
	r.v[ip] = p;
	r.v[imax] = p + 10;
	r.v[ie] = e;
	r.mask = (UINT64_C(1) << ip) | (UINT64_C(1) << ie) | (UINT64_C(1) << imax);
	if (with_v) {
		r.v[iv] = 230;
		r.mask |= UINT64_C(1) << iv;
	}
	return r;
}

START_TEST(test_fold_any_order)
{
	struct record m[3] = { s_minute(900, 60, 100, 5000, true), s_minute(960, 240, 200, 5010, false),
			       s_minute(1020, 30, 50, 5020, true) };
	struct rollup a, b;
	rollup_init(&a, READING_METER);
	rollup_init(&b, READING_METER);
	for (int i = 0; i < 3; i++) {
		rollup_add(&a, &m[i]);
		rollup_add(&b, &m[2 - i]);
	}
	int ip = record_field_index(READING_METER, "P"), ie = record_field_index(READING_METER, "E"),
	    iv = record_field_index(READING_METER, "V"), imax = record_field_index(READING_METER, "Pmax");
	for (struct rollup *r = &a; r; r = r == &a ? &b : NULL) {
		ck_assert_int_eq(r->count, 330);
		ck_assert_double_eq(r->v[ip] / (double)r->w[ip], (100.0 * 60 + 200 * 240 + 50 * 30) / 330);
		ck_assert_int_eq(r->w[iv], 90); /* the minutes that had V */
		ck_assert_double_eq(r->v[imax], 210);
		ck_assert_double_eq(r->v[ie], 5020);
		ck_assert_int_eq(r->last_ts, 1020);
	}
}
END_TEST

START_TEST(test_blob_round_trip)
{
	struct rollup a, b;
	rollup_init(&a, READING_METER);
	struct record m1 = s_minute(900, 60, 100.5, 5000.25, true), m2 = s_minute(960, 60, 300, 5010.75, false);
	rollup_add(&a, &m1);
	rollup_add(&a, &m2);
	uint8_t blob[ROLLUP_BLOB_MAX];
	size_t len = rollup_encode(&a, blob);
	ck_assert_uint_le(len, ROLLUP_BLOB_MAX);
	char err[128];
	rollup_init(&b, READING_METER);
	b.count = a.count;
	b.last_ts = a.last_ts;
	ck_assert_msg(rollup_decode(&b, blob, len, ~UINT64_C(0), err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(b.mask, a.mask);
	for (int i = 0; i < RECORD_FIELDS_MAX; i++)
		if (a.mask & (UINT64_C(1) << i)) {
			ck_assert_double_eq(b.v[i], a.v[i]);
			ck_assert_int_eq(b.w[i], a.w[i]);
		}
	/* one field asked for: only it */
	int ie = record_field_index(READING_METER, "E");
	rollup_init(&b, READING_METER);
	ck_assert_int_eq(rollup_decode(&b, blob, len, UINT64_C(1) << ie, err, sizeof err), 0);
	ck_assert_uint_eq(b.mask, UINT64_C(1) << ie);
	ck_assert_double_eq(b.v[ie], 5010.75);
	/* a pulse input's unit comes back */
	struct record p = { .kind = READING_PULSE, .n = "1", .ts = 900, .count = 60, .unit = "m3", .mask = 3 };
	rollup_init(&a, READING_PULSE);
	rollup_add(&a, &p);
	len = rollup_encode(&a, blob);
	rollup_init(&b, READING_PULSE);
	ck_assert_int_eq(rollup_decode(&b, blob, len, ~UINT64_C(0), err, sizeof err), 0);
	ck_assert_str_eq(b.unit, "m3");
}
END_TEST

START_TEST(test_bad_blobs)
{
	static const struct {
		const char *what;
		uint8_t blob[8];
		size_t len;
	} bad[] = {
		{ "empty", { 0 }, 0 },
		{ "format 2", { 2, 0, 0 }, 3 },
		{ "T named, no value", { 1, 1, 0 }, 3 },
		{ "a weight of a field not there", { 1, 0, 1 }, 3 },
		{ "a field a probe does not have", { 1, 2, 0 }, 3 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct rollup r;
		char err[128] = "";
		rollup_init(&r, READING_TEMP);
		ck_assert_msg(rollup_decode(&r, bad[i].blob, bad[i].len, ~UINT64_C(0), err, sizeof err) < 0, "%s",
			      bad[i].what);
		ck_assert_msg(err[0], "%s: a reason", bad[i].what);
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("rollup");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_fold_any_order);
	tcase_add_test(tc, test_blob_round_trip);
	tcase_add_test(tc, test_bad_blobs);
	suite_add_tcase(s, tc);
	return s;
}

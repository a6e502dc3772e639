/* record: the blob survives a round trip for every kind, the rid and the
 * JSON have the shape docs/STORE.md promises, and merging two parts of a
 * minute weights the averages by their counts. */
#include "record.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	enum reading_kind kind;
	const char *n;
	const char *field;
	double value;
	const char *unit;
	const char *rid;
} s_rows[] = {
	{ READING_METER, "1", "V1", 230.1, "", "02:fc:00:00:00:01/meter/1/1795544400" },
	{ READING_METER, "8", "E", 5321234.125, "", "02:fc:00:00:00:01/meter/8/1795544400" },
	{ READING_METER, "3", "Pmin", -2310.5, "", "02:fc:00:00:00:01/meter/3/1795544400" },
	{ READING_PULSE, "2", "total", 12.34, "m3", "02:fc:00:00:00:01/pulse/2/1795544400" },
	{ READING_PULSE, "2", "count", 123456789012.0, "kWh", "02:fc:00:00:00:01/pulse/2/1795544400" },
	{ READING_TEMP, "28-0316a2799aff", "T", 21.437, "", "02:fc:00:00:00:01/temp/28-0316a2799aff/1795544400" },
};

START_TEST(test_round_trip_and_json)
{
	struct record r = { .id = 1042, .kind = s_rows[_i].kind, .ts = 1795544400, .count = 60 };
	snprintf(r.n, sizeof r.n, "%s", s_rows[_i].n);
	snprintf(r.unit, sizeof r.unit, "%s", s_rows[_i].unit);
	int fi = record_field_index(r.kind, s_rows[_i].field);
	ck_assert_int_ge(fi, 0);
	r.v[fi] = s_rows[_i].value;
	r.mask = UINT64_C(1) << fi;
	uint8_t blob[RECORD_BLOB_MAX];
	size_t len = record_encode(&r, blob);
	struct record back = { .id = r.id, .kind = r.kind };
	char err[256];
	ck_assert_int_eq(record_decode(&back, blob, len, err, sizeof err), 0);
	ck_assert_uint_eq(back.mask, r.mask);
	ck_assert_str_eq(back.unit, r.unit);
	json_t *j = record_to_json(&r, "02:fc:00:00:00:01");
	ck_assert_str_eq(json_string_value(json_object_get(j, "rid")), s_rows[_i].rid);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "id")), 1042);
	ck_assert_str_eq(json_string_value(json_object_get(j, "kind")), reading_kind_name(r.kind));
	ck_assert_str_eq(json_string_value(json_object_get(j, "time")), "synced");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "count")), 60);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "ts")) % 60, 0);
	if (r.kind == READING_TEMP)
		ck_assert_str_eq(json_string_value(json_object_get(j, "n")), s_rows[_i].n);
	else
		ck_assert_int_eq(json_integer_value(json_object_get(j, "n")), atoi(s_rows[_i].n));
	/* the value as shown equals what was stored, to the digits kept */
	double shown = json_number_value(json_object_get(json_object_get(j, "values"), s_rows[_i].field));
	ck_assert_double_eq_tol(shown, s_rows[_i].value, fabs(s_rows[_i].value) * 1e-7);
	ck_assert_double_eq(shown, record_value(&back, (size_t)fi));
	ck_assert_int_eq((int)json_object_size(json_object_get(j, "values")), 1 + (s_rows[_i].unit[0] != 0));
	json_decref(j);
}
END_TEST

START_TEST(test_float32_fields_show_clean_digits)
{
	struct record r = { .kind = READING_METER, .n = "1", .ts = 60, .count = 1 };
	int v1 = record_field_index(READING_METER, "V1");
	r.v[v1] = 230.1;
	r.mask = UINT64_C(1) << v1;
	uint8_t blob[RECORD_BLOB_MAX];
	size_t len = record_encode(&r, blob);
	struct record back = { .kind = READING_METER };
	char err[256];
	ck_assert_int_eq(record_decode(&back, blob, len, err, sizeof err), 0);
	ck_assert_double_ne(back.v[v1], 230.1);           /* float32 inside */
	ck_assert_double_eq(record_value(&back, (size_t)v1), 230.1); /* 230.1 outside */
}
END_TEST

START_TEST(test_meter_blob_is_compact)
{
	struct record r = { .kind = READING_METER, .n = "1" };
	size_t nf;
	record_fields(READING_METER, &nf);
	r.mask = (UINT64_C(1) << nf) - 1;
	uint8_t blob[RECORD_BLOB_MAX];
	/* 28 float32 averages + 20 float64 registers + mask + format */
	ck_assert_uint_eq(record_encode(&r, blob), 1 + 6 + 28 * 4 + 20 * 8);
}
END_TEST

START_TEST(test_decode_rejects_garbage)
{
	static const struct {
		const char *bytes;
		size_t len;
	} bad[] = { { "", 0 }, { "\x02\xff\xff\xff\xff\xff\xff", 7 }, { "\x01\x01", 2 }, { "\x01\x00\x00\x00\x00\x00\x80", 7 } };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct record r = { .kind = READING_METER };
		char err[256] = "";
		ck_assert_int_eq(record_decode(&r, bad[i].bytes, bad[i].len, err, sizeof err), -1);
		ck_assert_ptr_nonnull(strstr(err, "record"));
	}
}
END_TEST

/* A stored row that is damaged but decodes (issue 13, stored records):
 * a value no answer can carry, a unit that is not text, a row whose kind,
 * n, ts or count is out of range; each refused with a reason. */
START_TEST(test_damaged_rows_are_refused)
{
	int e = record_field_index(READING_PULSE, "count");
	ck_assert_int_ge(e, 0);
	static const double values[] = { NAN, INFINITY, 1e300, -2e15 };
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		struct record r = { .kind = READING_PULSE, .n = "1", .mask = UINT64_C(1) << e };
		r.v[e] = values[i];
		uint8_t blob[RECORD_BLOB_MAX];
		size_t len = record_encode(&r, blob);
		struct record back = { .kind = READING_PULSE };
		char err[256] = "";
		ck_assert_int_eq(record_decode(&back, blob, len, err, sizeof err), -1);
		ck_assert_msg(strstr(err, "beyond +-1e+15"), "value %g: \"%s\"", values[i], err);
	}
	struct record u = { .kind = READING_PULSE, .n = "1", .unit = "m\xff" };
	uint8_t blob[RECORD_BLOB_MAX];
	size_t len = record_encode(&u, blob);
	char err[256] = "";
	struct record back = { .kind = READING_PULSE };
	ck_assert_int_eq(record_decode(&back, blob, len, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "unit is not UTF-8 text"));

	static const struct record rows[] = {
		{ .kind = 7, .n = "1", .ts = 60 },
		{ .kind = READING_METER, .n = "9", .ts = 60 },
		{ .kind = READING_METER, .n = "1", .ts = -60 },
		{ .kind = READING_METER, .n = "1", .ts = INT64_C(9000000000000000000) },
		{ .kind = READING_METER, .n = "1", .ts = 60, .count = -1 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		err[0] = '\0';
		ck_assert_int_eq(record_check_row(&rows[i], err, sizeof err), -1);
		ck_assert_ptr_nonnull(strstr(err, "record"));
	}
	struct record good = { .kind = READING_TEMP, .n = "28-0316a2799aff", .ts = 1795544400, .count = 60 };
	ck_assert_int_eq(record_check_row(&good, err, sizeof err), 0);
}
END_TEST

START_TEST(test_merge_weights_by_count)
{
	int v = record_field_index(READING_METER, "V"), pmin = record_field_index(READING_METER, "Pmin"),
	    pmax = record_field_index(READING_METER, "Pmax"), e = record_field_index(READING_METER, "E");
	uint64_t mask = (UINT64_C(1) << v) | (UINT64_C(1) << pmin) | (UINT64_C(1) << pmax) | (UINT64_C(1) << e);
	struct record a = { .kind = READING_METER, .count = 45, .mask = mask };
	struct record b = { .kind = READING_METER, .count = 15, .mask = mask, .restamped = true };
	a.v[v] = 230;
	b.v[v] = 234;
	a.v[pmin] = 100;
	b.v[pmin] = 50;
	a.v[pmax] = 900;
	b.v[pmax] = 800;
	a.v[e] = 1000;
	b.v[e] = 1010;
	record_merge(&a, &b);
	ck_assert_int_eq(a.count, 60);
	ck_assert_double_eq_tol(a.v[v], 231, 1e-9);
	ck_assert_double_eq(a.v[pmin], 50);
	ck_assert_double_eq(a.v[pmax], 900);
	ck_assert_double_eq(a.v[e], 1010);
	ck_assert(a.restamped);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");
	tcase_add_loop_test(tc, test_round_trip_and_json, 0, sizeof s_rows / sizeof s_rows[0]);
	tcase_add_test(tc, test_float32_fields_show_clean_digits);
	tcase_add_test(tc, test_meter_blob_is_compact);
	tcase_add_test(tc, test_decode_rejects_garbage);
	tcase_add_test(tc, test_damaged_rows_are_refused);
	tcase_add_test(tc, test_merge_weights_by_count);
	suite_add_tcase(s, tc);
	return s;
}

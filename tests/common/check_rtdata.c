/* check_rtdata: the published object is exactly the manual's rtdata (every field
 * of its example, numbers as numbers, ts in whole seconds), with Pulse and T
 * when the reading has them and nothing else; bad readings are refused with
 * the field named. */
#include "rtdata.h"
#include "reading_schema.h"

#include <check.h>
#include <string.h>

/* The keys of the manual's "Example: JSON, for 1 meter being transmitted",
 * as printed there (in its order). */
static const char *const manual_example_keys[] = {
	"uid", "did", "S1", "S", "A1", "V3", "P2", "RE3", "Q3", "A2", "E", "U3", "P3", "REx", "U1", "V1", "RE2",
	"ts", "Ex3", "AE2", "RE", "I2", "A3", "E2", "REx1", "I", "In", "S3", "U", "F", "RE1", "P1", "E1", "PF",
	"REx3", "AE3", "V", "Ex", "Q", "S2", "REx2", "PF3", "PF2", "E3", "I3", "PF1", "P", "U2", "V2", "Q2", "Q1",
	"AE1", "Ex2", "Ex1", "AE", "I1", NULL,
};

/* A bus reading as meterd sends it: every field, plus seq and simulated. */
static json_t *s_reading(void)
{
	json_t *r = json_pack("{s:s,s:i,s:f,s:i,s:b}", "uid", "00:01:02:03:04:05:00:01", "did", 1, "ts",
			      1516362683.75, "seq", 42, "simulated", 1);
	double v = 1.5;
	size_t nf;
	const struct reading_field *f = reading_fields(READING_METER, &nf);
	for (size_t i = 0; i < nf; i++)
		if ((f[i].flags & (READING_BUS | READING_OPTIONAL)) == READING_BUS)
			json_object_set_new(r, f[i].name, json_real(v++));
	return r;
}

START_TEST(every_field_of_the_manual_and_nothing_else)
{
	json_t *r = s_reading();
	char err[128];
	json_t *o = rtdata_meter(r, err, sizeof err);
	ck_assert_ptr_nonnull(o);
	size_t n = 0;
	for (const char *const *k = manual_example_keys; *k; k++, n++)
		ck_assert_msg(json_object_get(o, *k), "%s missing", *k);
	ck_assert_uint_eq(json_object_size(o), n);
	ck_assert_ptr_null(json_object_get(o, "seq"));
	ck_assert_ptr_null(json_object_get(o, "simulated"));
	/* numbers stay numbers, with the values of the bus reading */
	ck_assert(json_is_integer(json_object_get(o, "ts")));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "ts")), 1516362683);
	ck_assert_str_eq(json_string_value(json_object_get(o, "uid")), "00:01:02:03:04:05:00:01");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "did")), 1);
	for (const char *const *k = manual_example_keys; *k; k++)
		if (strcmp(*k, "ts"))
			ck_assert(json_equal(json_object_get(o, *k), json_object_get(r, *k)));
	json_decref(o);
	json_decref(r);
}
END_TEST

START_TEST(pulse_and_temperature_only_when_present)
{
	json_t *r = s_reading();
	char err[128];
	json_t *o = rtdata_meter(r, err, sizeof err);
	ck_assert_ptr_null(json_object_get(o, "Pulse"));
	ck_assert_ptr_null(json_object_get(o, "T"));
	json_decref(o);
	json_object_set_new(r, "Pulse", json_integer(1234));
	json_object_set_new(r, "T", json_real(21.437));
	o = rtdata_meter(r, err, sizeof err);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "Pulse")), 1234);
	ck_assert(json_real_value(json_object_get(o, "T")) == 21.437);
	json_decref(o);
	json_decref(r);
}
END_TEST

/* table: a change to a good reading, and the reason the result must give */
static const struct {
	const char *field;
	const char *value; /* JSON text, NULL: remove the field */
	const char *reason;
} bad[] = {
	{ "uid", NULL, "uid: missing or not text" },
	{ "uid", "5", "uid: missing or not text" },
	{ "did", NULL, "did: missing, must be a whole number 1..8" },
	{ "did", "9", "did: 9 is out of range 1..8" },
	{ "did", "\"1\"", "did: not a number, must be a whole number 1..8" },
	{ "ts", NULL, "ts: missing, must be a number 0..253402300799" },
	{ "ts", "-1", "ts: -1 is out of range 0..253402300799" },
	/* finite, so msg_decode took it before; no whole-second integer holds it */
	{ "ts", "1e70", "ts: 1e+70 is out of range 0..253402300799" },
	{ "V1", NULL, "V1: missing, must be a number -1e+15..1e+15" },
	{ "AE", "\"3088475\"", "AE: not a number, must be a number -1e+15..1e+15" },
	{ "PF", "null", "PF: not a number, must be a number -1e+15..1e+15" },
	{ "In", "true", "In: not a number, must be a number -1e+15..1e+15" },
	{ "E", "1e300", "E: 1e+300 is out of range -1e+15..1e+15" },
};

START_TEST(a_bad_reading_is_refused_naming_the_field)
{
	json_t *r = s_reading();
	if (bad[_i].value)
		json_object_set_new(r, bad[_i].field, json_loads(bad[_i].value, JSON_DECODE_ANY, NULL));
	else
		json_object_del(r, bad[_i].field);
	char err[128] = "";
	json_t *o = rtdata_meter(r, err, sizeof err);
	ck_assert_ptr_null(o);
	ck_assert_str_eq(err, bad[_i].reason);
	json_decref(r);
}
END_TEST

START_TEST(rtdata_wraps_the_meters_in_order)
{
	json_t *a = json_pack("{s:i}", "did", 1), *b = json_pack("{s:i}", "did", 3);
	json_t *objs[] = { a, b };
	json_t *rt = rtdata_list(objs, 2);
	ck_assert_uint_eq(json_object_size(rt), 1);
	json_t *list = json_object_get(rt, "rtdata");
	ck_assert_uint_eq(json_array_size(list), 2);
	ck_assert_ptr_eq(json_array_get(list, 0), a);
	ck_assert_ptr_eq(json_array_get(list, 1), b);
	json_decref(rt);
	json_decref(a);
	json_decref(b);
}
END_TEST

START_TEST(pulse_and_probe_states_drop_seq)
{
	json_t *p = json_loads("{\"n\":1,\"name\":\"Gas\",\"count\":1234,\"total\":12.34,\"unit\":\"m3\","
			       "\"units_per_pulse\":0.01,\"rate\":0.6,\"ts\":100.5,\"seq\":7}", 0, NULL);
	char err[128];
	json_t *o = rtdata_pulse(p, err, sizeof err);
	ck_assert_ptr_nonnull(o);
	json_t *want = json_loads("{\"n\":1,\"name\":\"Gas\",\"unit\":\"m3\",\"count\":1234,\"total\":12.34,"
				  "\"rate\":0.6,\"ts\":100}", 0, NULL);
	ck_assert(json_equal(o, want));
	json_decref(o);
	json_decref(want);
	json_object_del(p, "total");
	ck_assert_ptr_null(rtdata_pulse(p, err, sizeof err));
	ck_assert_str_eq(err, "total: missing, must be a number -1e+15..1e+15");
	json_decref(p);

	json_t *t = json_loads("{\"id\":\"28-0316a2799aff\",\"T\":21.437,\"ts\":5,\"seq\":1}", 0, NULL);
	o = rtdata_probe(t, err, sizeof err);
	want = json_loads("{\"id\":\"28-0316a2799aff\",\"T\":21.437,\"ts\":5}", 0, NULL);
	ck_assert(json_equal(o, want));
	json_decref(o);
	json_decref(want);
	json_decref(t);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("rtdata");
	TCase *tc = tcase_create("rtdata");
	tcase_add_test(tc, every_field_of_the_manual_and_nothing_else);
	tcase_add_test(tc, pulse_and_temperature_only_when_present);
	tcase_add_loop_test(tc, a_bad_reading_is_refused_naming_the_field, 0, sizeof bad / sizeof bad[0]);
	tcase_add_test(tc, rtdata_wraps_the_meters_in_order);
	tcase_add_test(tc, pulse_and_probe_states_drop_seq);
	suite_add_tcase(s, tc);
	return s;
}

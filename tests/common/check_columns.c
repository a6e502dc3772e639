/* check_columns: the http-json batch's series decode, by the rules
 * docs/UPLOAD.md gives receivers (written again here, from the doc), back
 * to every record of the slice, each value within half its resolution;
 * series split where the source, time quality, unit or fields change;
 * system sums travel as differences; bad records say why. */
#include "columns.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Three minutes of two three-phase meters (sums exact, as meterd makes
 * them), a single-phase minute, a pulse input with a unit, a probe, a
 * restamped minute, and a meter whose field set changes. */
static json_t *s_records(void)
{
	json_t *recs = json_array();
	int id = 100;
	for (int k = 0; k < 3; k++)
		for (int m = 1; m <= 2; m++) {
			json_t *v = json_object();
			double I = 0, P = 0, E = 0;
			for (int p = 1; p <= 3; p++) {
				char name[8];
				double i = 10.123 * m + 0.517 * p + 0.031 * k, pw = i * 230.07 * 0.9, e = 1e6 + 1234.5678 * p + k * pw / 60;
				snprintf(name, sizeof name, "I%d", p);
				json_object_set_new(v, name, json_real(i));
				snprintf(name, sizeof name, "P%d", p);
				json_object_set_new(v, name, json_real(pw));
				snprintf(name, sizeof name, "E%d", p);
				json_object_set_new(v, name, json_real(e));
				snprintf(name, sizeof name, "V%d", p);
				json_object_set_new(v, name, json_real(229.96 + p * 0.31 - k * 0.07));
				I += i;
				P += pw;
				E += e;
			}
			json_object_set_new(v, "I", json_real(I));
			json_object_set_new(v, "P", json_real(P));
			json_object_set_new(v, "E", json_real(E + 17.25)); /* the system register started earlier */
			json_object_set_new(v, "PF", json_real(0.9 - 0.0004 * k));
			json_object_set_new(v, "F", json_real(49.987 + 0.01 * k));
			json_array_append_new(recs, json_pack("{s:i,s:s,s:i,s:I,s:s,s:i,s:o}", "id", id++, "kind", "meter", "n", m,
							      "ts", (json_int_t)(1795544400 + 60 * k), "time", "synced",
							      "count", 60 - k, "values", v));
		}
	json_array_append_new(recs, json_pack("{s:i,s:s,s:i,s:I,s:s,s:i,s:{s:f,s:f,s:f}}", "id", id++, "kind", "meter",
					      "n", 2, "ts", (json_int_t)1795544580, "time", "synced", "count", 60, "values",
					      "V1", 230.04, "I1", 1.5, "P1", -310.4));
	json_array_append_new(recs, json_pack("{s:i,s:s,s:i,s:I,s:s,s:i,s:{s:i,s:f,s:s}}", "id", id++, "kind", "pulse",
					      "n", 2, "ts", (json_int_t)1795544400, "time", "synced", "count", 60, "values",
					      "count", 1234, "total", 12.34, "unit", "m\"3"));
	json_array_append_new(recs, json_pack("{s:i,s:s,s:s,s:I,s:s,s:i,s:{s:f}}", "id", id++, "kind", "temp", "n",
					      "28-0316a2799aff", "ts", (json_int_t)1795544400, "time", "restamped", "count", 12,
					      "values", "T", -3.1875));
	return recs;
}

/* docs/UPLOAD.md's decoder: every series back to records, keyed by id. */
static json_t *s_decode(const json_t *series)
{
	json_t *out = json_object();
	size_t si;
	const json_t *s;
	json_array_foreach(series, si, s)
	{
		size_t n = json_array_size(json_object_get(s, "id"));
		json_t *cols = json_object(); /* name -> array of integers, running sums undone */
		const char *key;
		json_t *col;
		json_object_foreach(json_object_get(s, "values"), key, col)
		{
			json_t *abs = json_array();
			long long acc = 0;
			for (size_t i = 0; i < n; i++) {
				acc += json_integer_value(json_array_get(col, i));
				json_array_append_new(abs, json_integer(acc));
			}
			json_object_set_new(cols, key, abs);
		}
		size_t k;
		json_t *sum;
		json_array_foreach(json_object_get(s, "sum"), k, sum)
		{
			const char *x = json_string_value(sum);
			for (size_t i = 0; i < n; i++) {
				long long total = json_integer_value(json_array_get(json_object_get(cols, x), i));
				for (int p = 1; p <= 3; p++) {
					char name[8];
					snprintf(name, sizeof name, "%s%d", x, p);
					total += json_integer_value(json_array_get(json_object_get(cols, name), i));
				}
				json_array_set_new(json_object_get(cols, x), i, json_integer(total));
			}
		}
		long long id = 0, ts = 0, count = 0;
		for (size_t i = 0; i < n; i++) {
			id += json_integer_value(json_array_get(json_object_get(s, "id"), i));
			ts += json_integer_value(json_array_get(json_object_get(s, "ts"), i));
			count += json_integer_value(json_array_get(json_object_get(s, "count"), i));
			json_t *values = json_object();
			json_object_foreach(cols, key, col)
			{
				int dp = (int)json_integer_value(json_object_get(json_object_get(s, "dp"), key));
				json_object_set_new(values, key,
						    json_real((double)json_integer_value(json_array_get(col, i)) / pow(10, dp)));
			}
			if (json_object_get(s, "unit"))
				json_object_set(values, "unit", json_object_get(s, "unit"));
			char idkey[24];
			snprintf(idkey, sizeof idkey, "%lld", id);
			ck_assert_msg(!json_object_get(out, idkey), "record %s twice", idkey);
			json_object_set_new(out, idkey,
					    json_pack("{s:O,s:O,s:I,s:O,s:I,s:o}", "kind", json_object_get(s, "kind"), "n",
						      json_object_get(s, "n"), "ts", (json_int_t)ts, "time",
						      json_object_get(s, "time"), "count", (json_int_t)count, "values", values));
		}
		json_decref(cols);
	}
	return out;
}

/* got equals want (which it frees) */
static bool s_is(const json_t *got, json_t *want)
{
	bool eq = json_equal((json_t *)got, want);
	json_decref(want);
	return eq;
}

/* records[lo..hi) encoded, as the text a receiver gets, read back */
static json_t *s_encode(const json_t *recs, size_t lo, size_t hi)
{
	struct columns *c = columns_new();
	char why[256];
	for (size_t i = lo; i < hi; i++)
		ck_assert_msg(columns_add_record(c, json_array_get(recs, i), why, sizeof why) == 0, "%s", why);
	ck_assert_uint_eq(columns_count(c), hi - lo);
	json_t *tree = columns_series(c);
	char *text = json_dumps(tree, JSON_COMPACT);
	json_decref(tree);
	columns_free(&c);
	json_error_t jerr;
	json_t *series = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	ck_assert_msg(json_is_array(series), "not a JSON array: %s: %s", jerr.text, text);
	free(text);
	return series;
}

START_TEST(test_every_record_decodes_within_its_resolution)
{
	json_t *recs = s_records();
	size_t lo = 1, hi = json_array_size(recs);
	json_t *series = s_encode(recs, lo, hi);
	json_t *got = s_decode(series);
	ck_assert_int_eq(json_object_size(got), hi - lo);
	for (size_t i = lo; i < hi; i++) {
		const json_t *want = json_array_get(recs, i);
		char idkey[24];
		snprintf(idkey, sizeof idkey, "%lld", (long long)json_integer_value(json_object_get(want, "id")));
		const json_t *r = json_object_get(got, idkey);
		ck_assert_msg(r, "record %s missing", idkey);
		static const char *const same[] = { "kind", "n", "ts", "time", "count" };
		for (size_t f = 0; f < 5; f++)
			ck_assert_msg(json_equal(json_object_get(r, same[f]), json_object_get(want, same[f])),
				      "record %s: %s differs", idkey, same[f]);
		const json_t *wv = json_object_get(want, "values"), *gv = json_object_get(r, "values");
		ck_assert_int_eq(json_object_size(gv), json_object_size(wv));
		const char *key;
		const json_t *x;
		json_object_foreach((json_t *)wv, key, x)
		{
			const json_t *y = json_object_get(gv, key);
			ck_assert_msg(y, "record %s: %s missing", idkey, key);
			if (json_is_string(x)) {
				ck_assert(json_equal((json_t *)x, (json_t *)y));
				continue;
			}
			double half = 0.5 * pow(10, -columns_dp(key)) * (1 + 1e-9);
			ck_assert_msg(fabs(json_number_value(x) - json_number_value(y)) <= half,
				      "record %s: %s sent %.9g for %.9g", idkey, key, json_number_value(y),
				      json_number_value(x));
		}
	}
	ck_assert_msg(!json_object_get(got, "100"), "a record outside the slice was sent");
	json_decref(got);
	json_decref(series);
	json_decref(recs);
}
END_TEST

START_TEST(test_series_split_by_source_time_unit_and_fields)
{
	json_t *recs = s_records();
	json_t *series = s_encode(recs, 0, json_array_size(recs));
	/* meter 1, meter 2 (three phases), meter 2 (one phase), pulse, temp */
	ck_assert_int_eq(json_array_size(series), 5);
	json_t *m1 = json_array_get(series, 0);
	ck_assert_int_eq(json_integer_value(json_object_get(m1, "n")), 1);
	/* ids and timestamps as differences: 100, then +2 (meter 2 between) */
	ck_assert(s_is(json_object_get(m1, "id"), json_pack("[i,i,i]", 100, 2, 2)));
	ck_assert(s_is(json_object_get(m1, "ts"), json_pack("[I,i,i]", (json_int_t)1795544400, 60, 60)));
	/* I, P and E travel as differences from the sum of their phases */
	ck_assert(s_is(json_object_get(m1, "sum"), json_pack("[s,s,s]", "I", "P", "E")));
	json_t *e = json_object_get(json_object_get(m1, "values"), "E");
	ck_assert_int_eq(json_integer_value(json_array_get(e, 1)), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(m1, "dp"), "V2")), 1);
	json_t *single = json_array_get(series, 2);
	ck_assert_int_eq(json_array_size(json_object_get(single, "sum")), 0);
	ck_assert_int_eq(json_array_size(json_object_get(single, "id")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(series, 3), "unit")), "m\"3");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(series, 4), "time")), "restamped");
	json_decref(series);
	json_decref(recs);
}
END_TEST

START_TEST(test_resolution_table)
{
	static const struct {
		const char *field;
		int dp;
	} rows[] = { { "V", 1 }, { "V3", 1 }, { "I2", 2 }, { "In", 2 }, { "P", 0 }, { "Pmin", 0 }, { "PF1", 3 },
		     { "F", 2 }, { "E2", 0 }, { "REx", 0 }, { "AE3", 0 }, { "count", 0 }, { "total", 3 }, { "T", 2 },
		     { "Xyz", 3 }, { "1", 3 } };
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		ck_assert_msg(columns_dp(rows[i].field) == rows[i].dp, "%s", rows[i].field);
}
END_TEST

START_TEST(test_bad_records_say_why)
{
	static const struct {
		const char *json, *why;
	} rows[] = {
		{ "{\"id\":7,\"kind\":\"meter\",\"n\":1,\"ts\":60,\"time\":\"synced\",\"count\":60,\"values\":{\"V1\":\"x\"}}",
		  "value \"V1\" is not a number" },
		{ "{\"id\":7,\"kind\":\"meter\",\"n\":1,\"ts\":60,\"time\":\"synced\",\"count\":60,\"values\":{\"E\":1e300}}",
		  "value \"E\" is out of range" },
		{ "{\"id\":7,\"kind\":\"meter\",\"n\":1,\"ts\":60,\"time\":\"synced\",\"count\":\"60\",\"values\":{}}",
		  "\"count\" is not an integer" },
		{ "{\"id\":7,\"kind\":\"meter\",\"ts\":60,\"time\":\"synced\",\"count\":60,\"values\":{}}",
		  "kind, n, time or values missing" },
		{ "{\"id\":7,\"kind\":\"pulse\",\"n\":1,\"ts\":60,\"time\":\"synced\",\"count\":60,\"values\":"
		  "{\"unit\":\"a unit name much longer than anybody would ever configure on a hub\"}}",
		  "unit longer than 63 bytes" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		json_t *r = json_loads(rows[i].json, 0, NULL);
		struct columns *c = columns_new();
		char why[256] = "";
		ck_assert_int_eq(columns_add_record(c, r, why, sizeof why), -1);
		ck_assert_str_eq(why, rows[i].why);
		ck_assert_uint_eq(columns_count(c), 0); /* unchanged */
		columns_free(&c);
		json_decref(r);
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("columns");
	TCase *tc = tcase_create("columns");
	tcase_add_test(tc, test_every_record_decodes_within_its_resolution);
	tcase_add_test(tc, test_series_split_by_source_time_unit_and_fields);
	tcase_add_test(tc, test_resolution_table);
	tcase_add_test(tc, test_bad_records_say_why);
	suite_add_tcase(s, tc);
	return s;
}

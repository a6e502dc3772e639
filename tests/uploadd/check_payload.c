/* check_payload: the http-json batch (envelope, the slice's records as
 * series, names of the meters in it), the gzip wrapper, which records
 * count as having a known time, and buf's JSON writer (jansson's text). */
#include "payload.h"

#include "msg.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static json_t *s_records(void)
{
	json_error_t jerr;
	json_t *r = json_loads(
		"[{\"id\":1,\"rid\":\"02:00:00:00:00:01/meter/1/1795544400\",\"kind\":\"meter\",\"n\":1,\"ts\":1795544400,"
		"\"time\":\"synced\",\"count\":60,\"values\":{\"V1\":230.1,\"E\":5321.23456789012}},"
		"{\"id\":2,\"rid\":\"02:00:00:00:00:01/pulse/2/1795544400\",\"kind\":\"pulse\",\"n\":2,\"ts\":1795544400,"
		"\"time\":\"restamped\",\"count\":60,\"values\":{\"count\":12,\"total\":0.12,\"unit\":\"m3\"}},"
		"{\"id\":3,\"rid\":\"02:00:00:00:00:01/temp/28-0316a2799aff/1795544400\",\"kind\":\"temp\","
		"\"n\":\"28-0316a2799aff\",\"ts\":1795544400,\"time\":\"synced\",\"count\":12,\"values\":{\"T\":21.4}},"
		"{\"id\":5,\"rid\":\"02:00:00:00:00:01/meter/3/1795544460\",\"kind\":\"meter\",\"n\":3,\"ts\":1795544460,"
		"\"time\":\"synced\",\"count\":60,\"values\":{\"V1\":229.9}}]",
		0, &jerr);
	ck_assert_msg(r, "%s", jerr.text);
	return r;
}

static struct hubinfo s_hub(void)
{
	struct hubinfo h = { 0 };
	strcpy(h.mac, "02:00:00:00:00:01");
	strcpy(h.hostname, "eniscope");
	strcpy(h.site, "Depot");
	for (int i = 0; i < CONFIG_SLOTS; i++) {
		snprintf(h.meter[i].name, sizeof h.meter[i].name, "Meter %d", i + 1);
		strcpy(h.meter[i].phase_type, "3LN");
		strcpy(h.meter[i].purpose, "grid");
		snprintf(h.pulse[i].name, sizeof h.pulse[i].name, "Pulse %d", i + 1);
	}
	return h;
}

START_TEST(test_http_json_envelope_and_series)
{
	json_t *recs = s_records();
	struct hubinfo h = s_hub();
	struct buf b = { 0 };
	char err[256];
	ck_assert_int_eq(payload_build(&b, PAYLOAD_HTTP_JSON, recs, 1, 4, &h, 1795544470, err, sizeof err), 0);
	json_error_t jerr;
	json_t *doc = json_loads(b.data, JSON_REJECT_DUPLICATES, &jerr);
	ck_assert_msg(doc, "not JSON: %s: %s", jerr.text, b.data);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "format")), PAYLOAD_FORMAT);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "sent")), 1795544470);
	json_t *hub = json_object_get(doc, "hub");
	ck_assert_str_eq(json_string_value(json_object_get(hub, "mac")), "02:00:00:00:00:01");
	ck_assert_str_eq(json_string_value(json_object_get(hub, "site")), "Depot");
	ck_assert_str_eq(json_string_value(json_object_get(hub, "software")), HUB_VERSION);
	/* records 1..3 of the array as series (check_columns decodes them) */
	json_t *series = json_object_get(doc, "series");
	ck_assert_int_eq(json_array_size(series), 3);
	static const char *const kinds[] = { "pulse", "temp", "meter" };
	for (size_t i = 0; i < 3; i++) {
		json_t *s = json_array_get(series, i);
		ck_assert_str_eq(json_string_value(json_object_get(s, "kind")), kinds[i]);
		ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(s, "id"), 0)), (int)i + 2 + (i == 2));
	}
	/* names for exactly the meters and pulse inputs in the slice */
	json_t *meters = json_object_get(doc, "meters"), *pulses = json_object_get(doc, "pulses");
	ck_assert_int_eq(json_object_size(meters), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(meters, "3"), "name")), "Meter 3");
	ck_assert_int_eq(json_object_size(pulses), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(pulses, "2"), "name")), "Pulse 2");
	json_decref(doc);

	/* one that is not a record names itself */
	json_object_set_new(json_object_get(json_array_get(recs, 0), "values"), "V1", json_string("x"));
	ck_assert_int_eq(payload_build(&b, PAYLOAD_HTTP_JSON, recs, 0, 2, &h, 1, err, sizeof err), -1);
	ck_assert_str_eq(err, "record 1 (meter/1/1795544400): value \"V1\" is not a number");
	buf_free(&b);
	json_decref(recs);
}
END_TEST

START_TEST(test_influx_batch_and_errors_name_the_record)
{
	json_t *recs = s_records();
	struct hubinfo h = s_hub();
	struct buf b = { 0 };
	char err[256];
	ck_assert_int_eq(payload_build(&b, PAYLOAD_INFLUXDB, recs, 0, 4, &h, 1, err, sizeof err), 0);
	int lines = 0;
	for (const char *p = b.data; *p; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 5); /* meter 1: phase 1 + total; pulse; temp; meter 3: phase 1 */
	json_object_set_new(json_array_get(recs, 2), "time", json_string("unknown"));
	ck_assert_int_eq(payload_build(&b, PAYLOAD_INFLUXDB, recs, 0, 4, &h, 1, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "temp/28-0316a2799aff/1795544400"), "reason does not name the record: %s", err);
	ck_assert_int_eq(payload_build(&b, PAYLOAD_INFLUXDB, recs, 2, 2, &h, 1, err, sizeof err), -1);
	ck_assert_int_eq(payload_build(&b, PAYLOAD_INFLUXDB, recs, 0, 9, &h, 1, err, sizeof err), -1);
	buf_free(&b);
	json_decref(recs);
}
END_TEST

START_TEST(test_gzip_round_trips)
{
	struct buf in = { 0 }, gz = { 0 };
	for (int i = 0; i < 5000; i++)
		buf_printf(&in, "{\"rid\":\"02:00:00:00:00:01/meter/%d/%d\",\"V1\":%d.%d},", i % 8 + 1, i * 60, 230 + i % 3,
			   i % 10);
	char err[256];
	ck_assert_int_eq(payload_gzip(&gz, in.data, in.len, 6, err, sizeof err), 0);
	ck_assert_uint_lt(gz.len, in.len / 4);
	ck_assert_uint_eq((unsigned char)gz.data[0], 0x1f); /* gzip magic */
	ck_assert_uint_eq((unsigned char)gz.data[1], 0x8b);
	char *back = malloc(in.len + 16);
	z_stream z = { 0 };
	ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)gz.data;
	z.avail_in = (uInt)gz.len;
	z.next_out = (Bytef *)back;
	z.avail_out = (uInt)in.len + 16;
	ck_assert_int_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
	ck_assert_uint_eq(z.total_out, in.len);
	ck_assert(!memcmp(back, in.data, in.len));
	inflateEnd(&z);
	/* an empty body is a valid gzip stream too */
	ck_assert_int_eq(payload_gzip(&gz, "", 0, 6, err, sizeof err), 0);
	ck_assert_uint_gt(gz.len, 10);
	free(back);
	buf_free(&in);
	buf_free(&gz);
}
END_TEST

START_TEST(test_time_known_table)
{
	static const struct {
		const char *json;
		bool known;
	} rows[] = {
		{ "{\"time\":\"synced\",\"ts\":1795544400}", true },
		{ "{\"time\":\"restamped\",\"ts\":1795544460}", true },
		{ "{\"time\":\"unknown\",\"ts\":1795544400}", false },
		{ "{\"time\":\"\",\"ts\":1795544400}", false },
		{ "{\"ts\":1795544400}", false },
		{ "{\"time\":\"synced\"}", false },
		{ "{\"time\":\"synced\",\"ts\":1795544401}", false },
		{ "{\"time\":\"synced\",\"ts\":0}", false },
		{ "{\"time\":\"synced\",\"ts\":-60}", false },
		{ "{\"time\":\"synced\",\"ts\":1795544400.0}", false },
		{ "{\"time\":true,\"ts\":1795544400}", false },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		json_t *r = json_loads(rows[i].json, 0, NULL);
		ck_assert_msg(payload_time_known(r) == rows[i].known, "%s", rows[i].json);
		json_decref(r);
	}
}
END_TEST

START_TEST(test_buf_writes_json_as_jansson_does)
{
	json_t *j = json_loads("{\"a\":[1,-2,0,9223372036854775807,-9223372036854775807,[],{}],\"b\\\"\u00e9\":"
			       "{\"s\":\"x\\n\\\"y\",\"r\":-0.125,\"big\":1e300,\"t\":true,\"n\":null}}",
			       0, NULL);
	ck_assert_ptr_nonnull(j);
	struct buf b = { 0 };
	buf_put_json(&b, j, MSG_JSON_FLAGS);
	char *want = json_dumps(j, MSG_JSON_FLAGS);
	ck_assert_str_eq(b.data, want);
	free(want);
	buf_free(&b);
	json_decref(j);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("payload");
	TCase *tc = tcase_create("payload");
	tcase_add_test(tc, test_http_json_envelope_and_series);
	tcase_add_test(tc, test_influx_batch_and_errors_name_the_record);
	tcase_add_test(tc, test_gzip_round_trips);
	tcase_add_test(tc, test_time_known_table);
	tcase_add_test(tc, test_buf_writes_json_as_jansson_does);
	suite_add_tcase(s, tc);
	return s;
}

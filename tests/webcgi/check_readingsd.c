/* check_readingsd: the readings snapshot the admin's readings page polls. */
#include "readingsd.h"

#include "../common/scratch.h"

static struct config *s_config(void)
{
	json_t *doc = json_loads("{\"meters\":[{\"id\":1,\"enabled\":true,\"name\":\"<script>x</script>\"},"
				 "{\"id\":2,\"enabled\":false}],\"temps\":{\"interval_s\":5}}",
				 0, NULL);
	struct config *cfg = config_from_json(doc, NULL);
	json_decref(doc);
	ck_assert_ptr_nonnull(cfg);
	return cfg;
}

static void s_take(struct readingsd *r, const char *topic, const char *text, int64_t now_ms)
{
	json_t *msg = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(msg);
	readingsd_take(r, topic, msg, now_ms);
	json_decref(msg);
}

static void s_touch(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	fclose(f);
}

START_TEST(the_snapshot_has_each_enabled_meters_payload_with_its_name_and_wiring)
{
	char *dir = scratch_dir_new("readingsd");
	s_touch(dir, "meterd.ctl");
	s_touch(dir, "tempd.ctl");
	struct config *cfg = s_config();
	struct readingsd r = { .probe_fresh_ms = 11000 };
	s_take(&r, "meter/1/rt", "{\"uid\":\"u1\",\"did\":1,\"V1\":230.1,\"P\":-12.5,\"ts\":100.7,\"seq\":4,\"simulated\":true}",
	       1000);
	s_take(&r, "meter/2/rt", "{\"uid\":\"u2\",\"did\":2,\"V1\":1,\"ts\":100.7,\"seq\":5}", 1000);
	s_take(&r, "meter/9/rt", "{\"uid\":\"u9\",\"did\":9,\"ts\":100.7,\"seq\":6}", 1000);
	s_take(&r, "temp/28-0316a2799aff", "{\"id\":\"28-0316a2799aff\",\"T\":21.5,\"ts\":99.2,\"seq\":1}", 1000);
	s_take(&r, "temp/found", "{\"id\":\"28-0316a2799aff\",\"first_seen\":99,\"ts\":99.2,\"seq\":0}", 1000);
	s_take(&r, "status/meterd", "{\"daemon\":\"meterd\",\"wiring\":[{\"meter\":1,\"phase\":2,\"verdict\":\"reversed\"},"
				    "{\"meter\":3,\"phase\":1,\"verdict\":\"ok\"}],\"ts\":1,\"seq\":7}",
	       1000);

	json_t *snap = readingsd_snapshot(&r, cfg, 1500, 101.2, dir);
	json_t *rt = json_object_get(snap, "rtdata");
	ck_assert_uint_eq(json_array_size(rt), 1); /* meter 2 is disabled, 9 is no meter */
	json_t *m = json_array_get(rt, 0);
	ck_assert_str_eq(json_string_value(json_object_get(m, "name")), "<script>x</script>");
	ck_assert_int_eq(json_integer_value(json_object_get(m, "ts")), 100);
	ck_assert_ptr_null(json_object_get(m, "seq"));
	ck_assert_ptr_null(json_object_get(m, "simulated"));
	ck_assert_double_eq(json_number_value(json_object_get(m, "P")), -12.5);
	json_t *w = json_object_get(m, "wiring");
	ck_assert_uint_eq(json_array_size(w), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(w, 0), "verdict")), "reversed");
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "probes")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(snap, "ts")), 101);

	json_t *src = json_object_get(snap, "sources");
	ck_assert_str_eq(json_string_value(json_object_get(src, "meterd")), "ok");
	ck_assert_str_eq(json_string_value(json_object_get(src, "pulsed")), "not running");
	ck_assert_str_eq(json_string_value(json_object_get(src, "tempd")), "ok");
	json_decref(snap);
	readingsd_close(&r);
	config_destroy(&cfg);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(a_reading_older_than_fresh_goes_and_its_source_says_so)
{
	char *dir = scratch_dir_new("readingsd");
	s_touch(dir, "meterd.ctl");
	s_touch(dir, "pulsed.ctl");
	struct config *cfg = s_config();
	struct readingsd r = { .probe_fresh_ms = 11000 };
	s_take(&r, "meter/1/rt", "{\"uid\":\"u1\",\"did\":1,\"ts\":100,\"seq\":4}", 1000);
	s_take(&r, "pulse/3", "{\"n\":3,\"name\":\"Gas\",\"count\":7,\"total\":0.07,\"unit\":\"m3\",\"ts\":100,\"seq\":1}",
	       1000);
	json_t *snap = readingsd_snapshot(&r, cfg, 1000 + READINGSD_FRESH_MS, 103, dir);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "rtdata")), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "pulses")), 1);
	json_decref(snap);
	snap = readingsd_snapshot(&r, cfg, 1000 + READINGSD_FRESH_MS + 1000, 104, dir);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "rtdata")), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "pulses")), 0);
	json_t *src = json_object_get(snap, "sources");
	ck_assert_str_eq(json_string_value(json_object_get(src, "meterd")), "no readings for 4 s");
	ck_assert_str_eq(json_string_value(json_object_get(src, "tempd")), "not running");
	json_decref(snap);
	readingsd_close(&r);
	config_destroy(&cfg);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(probes_beyond_the_table_replace_the_stalest)
{
	struct readingsd r = { .probe_fresh_ms = 11000 };
	char topic[64], text[128];
	for (int i = 0; i < READINGSD_PROBES + 2; i++) {
		snprintf(topic, sizeof topic, "temp/28-%012d", i);
		snprintf(text, sizeof text, "{\"id\":\"28-%012d\",\"T\":1,\"ts\":1,\"seq\":1}", i);
		s_take(&r, topic, text, 1000 + i);
	}
	/* the newest is kept, the oldest gone */
	bool newest = false, oldest = false;
	for (size_t i = 0; i < READINGSD_PROBES; i++) {
		const char *id = json_string_value(json_object_get(r.probes[i].msg, "id"));
		newest |= !strcmp(id, "28-000000000017");
		oldest |= !strcmp(id, "28-000000000000");
	}
	ck_assert(newest && !oldest);
	readingsd_close(&r);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("readingsd");
	TCase *tc = tcase_create("readingsd");
	tcase_add_test(tc, the_snapshot_has_each_enabled_meters_payload_with_its_name_and_wiring);
	tcase_add_test(tc, a_reading_older_than_fresh_goes_and_its_source_says_so);
	tcase_add_test(tc, probes_beyond_the_table_replace_the_stalest);
	suite_add_tcase(s, tc);
	return s;
}

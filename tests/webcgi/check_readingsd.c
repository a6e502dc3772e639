/* check_readingsd: the readings snapshot the admin's readings page polls:
 * each enabled meter's rtdata object exactly as mqttd publishes it (the
 * same rtdata_meter), with its name and wiring verdicts; only fresh
 * readings; per daemon why none come. */
#include "readingsd.h"

#include "rtdata.h"

#include "../common/scratch.h"

static struct config *s_config(void)
{
	json_t *doc = json_loads("{\"meters\":[{\"id\":1,\"enabled\":true,\"name\":\"<script>x</script>\"},"
				 "{\"id\":2,\"enabled\":false}]}",
				 0, NULL);
	struct config *cfg = config_from_json(doc, NULL);
	json_decref(doc);
	ck_assert_ptr_nonnull(cfg);
	return cfg;
}

/* meter n's bus reading: every field the schema puts on the bus, plus seq
 * and simulated as meterd adds them */
static json_t *s_meter_msg(int n)
{
	json_t *o = json_pack("{s:s,s:i,s:f,s:i,s:b}", "uid", "02:00:00:00:00:01:00:01", "did", n, "ts", 100.7, "seq",
			      4, "simulated", 1);
	size_t nf;
	const struct reading_field *f = reading_fields(READING_METER, &nf);
	for (size_t i = 0; i < nf; i++)
		if ((f[i].flags & READING_BUS) && !(f[i].flags & READING_LABEL) && !json_object_get(o, f[i].name))
			json_object_set_new(o, f[i].name, (f[i].flags & READING_INTEGER) ? json_integer(7) : json_real(1.5));
	return o;
}

static void s_take(struct readingsd *r, const char *topic, json_t *msg, int64_t now_ms)
{
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

START_TEST(the_snapshot_has_each_enabled_meters_rtdata_with_its_name_and_wiring)
{
	char *dir = scratch_dir_new("readingsd");
	s_touch(dir, "meterd.ctl");
	s_touch(dir, "tempd.ctl");
	struct config *cfg = s_config();
	struct readingsd r = { 0 };
	ck_assert_int_eq(readingsd_new_cache(&r), 0);
	json_t *m1 = s_meter_msg(1);
	s_take(&r, "meter/1/rt", json_incref(m1), 1000);
	s_take(&r, "meter/2/rt", s_meter_msg(2), 1000);
	s_take(&r, "meter/9/rt", s_meter_msg(9), 1000);
	s_take(&r, "temp/28-0316a2799aff", json_loads("{\"id\":\"28-0316a2799aff\",\"T\":21.5,\"ts\":99.2,\"seq\":1}", 0, NULL),
	       1000);
	s_take(&r, "temp/found", json_loads("{\"id\":\"28-0316a2799aff\",\"first_seen\":99,\"ts\":99.2,\"seq\":0}", 0, NULL),
	       1000);
	s_take(&r, "status/meterd",
	       json_loads("{\"daemon\":\"meterd\",\"wiring\":[{\"meter\":1,\"phase\":2,\"verdict\":\"reversed\"},"
			  "{\"meter\":3,\"phase\":1,\"verdict\":\"ok\"}],\"ts\":1,\"seq\":7}",
			  0, NULL),
	       1000);

	json_t *snap = readingsd_snapshot(&r, cfg, 1500, 101.2, dir);
	json_t *rt = json_object_get(snap, "rtdata");
	ck_assert_uint_eq(json_array_size(rt), 1); /* meter 2 is disabled, 9 is no meter */
	json_t *m = json_deep_copy(json_array_get(rt, 0));
	ck_assert_str_eq(json_string_value(json_object_get(m, "name")), "<script>x</script>");
	json_t *w = json_object_get(m, "wiring");
	ck_assert_uint_eq(json_array_size(w), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(w, 0), "verdict")), "reversed");
	/* the rest is exactly what mqttd publishes for this reading */
	json_object_del(m, "name");
	json_object_del(m, "wiring");
	char err[128];
	json_t *mqtt = rtdata_meter(m1, err, sizeof err);
	ck_assert_msg(mqtt, "%s", err);
	ck_assert(json_equal(m, mqtt));
	ck_assert_ptr_null(json_object_get(m, "seq"));
	ck_assert_int_eq(json_integer_value(json_object_get(m, "ts")), 100);
	json_decref(mqtt);
	json_decref(m);
	json_decref(m1);

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

START_TEST(a_reading_no_longer_fresh_goes_and_its_source_says_so)
{
	char *dir = scratch_dir_new("readingsd");
	s_touch(dir, "meterd.ctl");
	s_touch(dir, "pulsed.ctl");
	struct config *cfg = s_config();
	struct readingsd r = { 0 };
	ck_assert_int_eq(readingsd_new_cache(&r), 0);
	s_take(&r, "meter/1/rt", s_meter_msg(1), 1000);
	s_take(&r, "pulse/3",
	       json_loads("{\"n\":3,\"name\":\"Gas\",\"count\":7,\"total\":0.07,\"unit\":\"m3\",\"units_per_pulse\":0.01,"
			  "\"ts\":100,\"seq\":1}",
			  0, NULL),
	       1000);
	json_t *snap = readingsd_snapshot(&r, cfg, 1000 + reading_fresh_ms(READING_METER, 0), 110, dir);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "rtdata")), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "pulses")), 1);
	json_decref(snap);
	snap = readingsd_snapshot(&r, cfg, 1000 + reading_fresh_ms(READING_METER, 0) + 2000, 112, dir);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "rtdata")), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "pulses")), 0);
	json_t *src = json_object_get(snap, "sources");
	ck_assert_str_eq(json_string_value(json_object_get(src, "meterd")), "no readings for 5 s");
	ck_assert_str_eq(json_string_value(json_object_get(src, "tempd")), "not running");
	json_decref(snap);
	readingsd_close(&r);
	config_destroy(&cfg);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(a_daemon_that_stopped_has_its_readings_go_at_once)
{
	char *dir = scratch_dir_new("readingsd");
	s_touch(dir, "meterd.ctl");
	struct config *cfg = s_config();
	struct readingsd r = { 0 };
	ck_assert_int_eq(readingsd_new_cache(&r), 0);
	s_take(&r, "meter/1/rt", s_meter_msg(1), 1000);
	json_t *snap = readingsd_snapshot(&r, cfg, 1500, 100, dir);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "rtdata")), 1);
	json_decref(snap);
	char sock[512];
	snprintf(sock, sizeof sock, "%s/meterd.ctl", dir);
	unlink(sock); /* meterd stopped: its socket goes */
	snap = readingsd_snapshot(&r, cfg, 2000, 101, dir);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "rtdata")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(snap, "sources"), "meterd")), "not running");
	json_decref(snap);
	readingsd_close(&r);
	config_destroy(&cfg);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(a_meter_reading_missing_a_field_is_left_out_not_half_shown)
{
	char *dir = scratch_dir_new("readingsd");
	s_touch(dir, "meterd.ctl");
	struct config *cfg = s_config();
	struct readingsd r = { 0 };
	ck_assert_int_eq(readingsd_new_cache(&r), 0);
	json_t *msg = s_meter_msg(1);
	json_object_del(msg, "V2");
	s_take(&r, "meter/1/rt", msg, 1000);
	json_t *snap = readingsd_snapshot(&r, cfg, 1000, 100, dir);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "rtdata")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(snap, "sources"), "meterd")), "ok");
	json_decref(snap);
	readingsd_close(&r);
	config_destroy(&cfg);
	scratch_dir_remove(dir);
}
END_TEST

/* security.display_login decides what the display's CGIs read */
START_TEST(the_display_access_file_follows_display_login)
{
	char *dir = scratch_dir_new("readingsd");
	char path[512], err[256], buf[16];
	snprintf(path, sizeof path, "%s/display-access", dir);
	static const struct {
		const char *conf;
		const char *want;
	} cases[] = {
		{ "{}", "open\n" },
		/* the login needs a password's hash (config.c refuses it without) */
		{ "{\"security\":{\"display_login\":true,\"display_password_hash\":\"$y$j9T$AbC./1$xYz09\"}}", "login\n" },
		{ "{\"security\":{\"display_login\":false}}", "open\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *doc = json_loads(cases[i].conf, 0, NULL);
		struct config *cfg = config_from_json(doc, NULL);
		json_decref(doc);
		ck_assert_ptr_nonnull(cfg);
		ck_assert_int_eq(readingsd_write_access(cfg, dir, err, sizeof err), 0);
		config_destroy(&cfg);
		FILE *f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = '\0';
		ck_assert_str_eq(buf, cases[i].want);
	}
	/* a directory that cannot take it: an error naming the file */
	char missing[600];
	snprintf(missing, sizeof missing, "%s/nowhere", dir);
	json_t *empty = json_object();
	struct config *cfg = config_from_json(empty, NULL);
	json_decref(empty);
	ck_assert_int_eq(readingsd_write_access(cfg, missing, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "display-access"));
	config_destroy(&cfg);
	scratch_dir_remove(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("readingsd");
	TCase *tc = tcase_create("readingsd");
	tcase_add_test(tc, the_snapshot_has_each_enabled_meters_rtdata_with_its_name_and_wiring);
	tcase_add_test(tc, a_reading_no_longer_fresh_goes_and_its_source_says_so);
	tcase_add_test(tc, a_daemon_that_stopped_has_its_readings_go_at_once);
	tcase_add_test(tc, a_meter_reading_missing_a_field_is_left_out_not_half_shown);
	tcase_add_test(tc, the_display_access_file_follows_display_login);
	suite_add_tcase(s, tc);
	return s;
}

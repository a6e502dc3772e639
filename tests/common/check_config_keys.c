/* check_config_keys: the generated accessors (config_keys.h, written from
 * the schema by common/config_keys_gen.c) read what the path API reads, for
 * every kind of key: a section's key, a slot's key, a nested array of
 * objects, one element of an array of scalars, counts, a null string, and
 * the _of form on an element in hand.  That a key not in the schema fails
 * to build is shown by the config_keys_typo test (config_keys_typo.sh). */
#include <check.h>

#include "config_keys.h"

#include <string.h>

static struct config *s_cfg;

static void s_setup(void)
{
	json_error_t jerr;
	json_t *doc = json_loads("{\"adc\":{\"sample_rate_hz\":8000,\"v_gain\":[1,1.25,1],\"channels\":{\"V1\":\"voltage5\"}},"
				 "\"network\":{\"require_ntp_sync\":true},"
				 "\"meters\":[{\"id\":3,\"enabled\":true,\"name\":\"Pump\",\"temp_sensor\":\"28-0316a2799aff\","
				 "\"ct_cal\":[{},{\"gain\":1.5,\"phase_deg\":-2},{}]}],"
				 "\"pulses\":[{\"id\":2,\"enabled\":true,\"unit\":\"L\",\"min_pulse_ms\":200}],"
				 "\"mqtt\":[{\"title\":\"A\",\"meters\":[2,3],\"port\":8883},{\"title\":\"B\"}],"
				 "\"storage\":{\"retention_days\":7}}",
				 0, &jerr);
	ck_assert_msg(doc != NULL, "%s", jerr.text);
	json_t *errors = NULL;
	s_cfg = config_from_json(doc, &errors);
	ck_assert_msg(s_cfg != NULL, "%s", errors ? json_dumps(errors, 0) : "");
	json_decref(doc);
}

static void s_teardown(void)
{
	config_destroy(&s_cfg);
}

START_TEST(each_kind_of_key_reads_as_its_path_does)
{
	const struct config *c = s_cfg;
	/* sections */
	ck_assert_int_eq(cfg_adc_sample_rate_hz(c), 8000);
	ck_assert(cfg_network_require_ntp_sync(c));
	ck_assert(cfg_network_dhcp(c)); /* a default */
	ck_assert_int_eq(cfg_storage_retention_days(c), 7);
	ck_assert_str_eq(cfg_temps_w1_root(c), "/sys/bus/w1/devices");
	ck_assert_ptr_null(cfg_hub_mac(c)); /* null reads as NULL */
	ck_assert_ptr_eq(cfg_adc_channels(c), config_get(c, "adc.channels"));
	/* an array of scalars */
	ck_assert_uint_eq(cfg_adc_v_gain_count(c), 3);
	ck_assert_double_eq(cfg_adc_v_gain_at(c, 1), 1.25);
	/* slots, and an array of objects in them */
	ck_assert_uint_eq(cfg_meters_count(c), CONFIG_SLOTS);
	ck_assert(cfg_meters_enabled(c, 2) && !cfg_meters_enabled(c, 0));
	ck_assert_str_eq(cfg_meters_name(c, 2), "Pump");
	ck_assert_str_eq(cfg_meters_name(c, 0), "Meter 1");
	ck_assert_str_eq(cfg_meters_temp_sensor(c, 2), "28-0316a2799aff");
	ck_assert_ptr_null(cfg_meters_temp_sensor(c, 1));
	ck_assert_int_eq(cfg_meters_ct_input(c, 2), 3);
	ck_assert_double_eq(cfg_meters_ct_cal_gain(c, 2, 1), 1.5);
	ck_assert_double_eq(cfg_meters_ct_cal_phase_deg(c, 2, 1), -2);
	ck_assert_double_eq(cfg_meters_ct_cal_gain(c, 2, 0), 1);
	ck_assert_str_eq(cfg_pulses_unit(c, 1), "L");
	ck_assert_int_eq(cfg_pulses_min_pulse_ms(c, 1), 200);
	/* a list: counts, elements, the _of form */
	ck_assert_uint_eq(cfg_mqtt_count(c), 2);
	ck_assert_str_eq(cfg_mqtt_title(c, 1), "B");
	ck_assert_int_eq(cfg_mqtt_port(c, 0), 8883);
	ck_assert_int_eq(cfg_mqtt_port(c, 1), 1883);
	ck_assert_uint_eq(cfg_mqtt_meters_count(c, 0), 2);
	ck_assert_int_eq(cfg_mqtt_meters_at(c, 0, 1), 3);
	ck_assert_uint_eq(cfg_mqtt_meters_count(c, 1), 0);
	const json_t *b = json_array_get(cfg_mqtt(c), 1);
	ck_assert_str_eq(cfg_mqtt_title_of(b), "B");
	ck_assert_int_eq(cfg_mqtt_keepalive_s_of(b), 30);
	/* out of range reads as nothing, never past the array */
	ck_assert_ptr_null(cfg_mqtt_title(c, 2));
	ck_assert_ptr_null(cfg_meters_name(c, CONFIG_SLOTS));
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("config_keys");
	TCase *tc = tcase_create("accessors");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, each_kind_of_key_reads_as_its_path_does);
	suite_add_tcase(s, tc);
	return s;
}

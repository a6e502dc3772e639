/* discovery: every meter gets power, energy import/export, voltage,
 * current, power factor and frequency sensors with Home Assistant's classes
 * and units, grouped as one device per meter; pulse inputs and probes get
 * theirs; configs are recognised as this instance's by their state topic. */
#include "discovery.h"

#include <check.h>
#include <string.h>

static const struct discovery_hub hub = { .mac = "00:01:02:03:04:0A", .prefix = "homeassistant",
					  .base = "Eniscope8/04" };

/* table: config object id -> what Home Assistant must be told */
static const struct {
	const char *object, *template, *device_class, *state_class, *unit, *state_topic, *device_id, *device_name;
} want[] = {
	{ "meter1_power", "{{ value_json.P }}", "power", "measurement", "W", "Eniscope8/04/meter/1",
	  "eniscope_0001020304050001", "Main incomer" },
	{ "meter1_energy_import", "{{ value_json.E }}", "energy", "total_increasing", "Wh", "Eniscope8/04/meter/1",
	  "eniscope_0001020304050001", "Main incomer" },
	{ "meter1_energy_export", "{{ value_json.Ex }}", "energy", "total_increasing", "Wh", "Eniscope8/04/meter/1",
	  "eniscope_0001020304050001", "Main incomer" },
	{ "meter1_voltage", "{{ value_json.V }}", "voltage", "measurement", "V", "Eniscope8/04/meter/1",
	  "eniscope_0001020304050001", "Main incomer" },
	{ "meter1_current", "{{ value_json.I }}", "current", "measurement", "A", "Eniscope8/04/meter/1",
	  "eniscope_0001020304050001", "Main incomer" },
	{ "meter1_power_factor", "{{ value_json.PF }}", "power_factor", "measurement", NULL, "Eniscope8/04/meter/1",
	  "eniscope_0001020304050001", "Main incomer" },
	{ "meter1_frequency", "{{ value_json.F }}", "frequency", "measurement", "Hz", "Eniscope8/04/meter/1",
	  "eniscope_0001020304050001", "Main incomer" },
	{ "meter3_power", "{{ value_json.P }}", "power", "measurement", "W", "Eniscope8/04/meter/3",
	  "eniscope_0001020304050003", "Workshop" },
	{ "meter3_energy_import", "{{ value_json.E }}", "energy", "total_increasing", "Wh", "Eniscope8/04/meter/3",
	  "eniscope_0001020304050003", "Workshop" },
	{ "pulse1_total", "{{ value_json.total }}", "gas", "total_increasing", "m³", "Eniscope8/04/pulse/1",
	  "eniscope_00010203040a_pulse1", "Gas" },
	{ "pulse2_total", "{{ value_json.total }}", "water", "total_increasing", "L", "Eniscope8/04/pulse/2",
	  "eniscope_00010203040a_pulse2", "Cold water" },
	{ "pulse3_total", "{{ value_json.total }}", NULL, "total_increasing", "pulses", "Eniscope8/04/pulse/3",
	  "eniscope_00010203040a_pulse3", "Door" },
	{ "probe_28_0316a2799aff_temperature", "{{ value_json.T }}", "temperature", "measurement", "°C",
	  "Eniscope8/04/temp/28-0316a2799aff", "eniscope_00010203040a_probe_28_0316a2799aff", "Workshop temperature" },
	{ "probe_28_00000000beef_temperature", "{{ value_json.T }}", "temperature", "measurement", "°C",
	  "Eniscope8/04/temp/28-00000000beef", "eniscope_00010203040a_probe_28_00000000beef",
	  "Temperature 28-00000000beef" },
};

static json_t *s_build(void)
{
	struct discovery_meter meters[] = { { 1, "00:01:02:03:04:05:00:01", "Main incomer" },
					    { 3, "00:01:02:03:04:05:00:03", "Workshop" } };
	struct discovery_pulse pulses[] = { { 1, "Gas", "m3" }, { 2, "Cold water", "L" }, { 3, "Door", "pulses" } };
	struct discovery_probe probes[] = { { "28-0316a2799aff", "Workshop" }, { "28-00000000beef", NULL } };
	return discovery_configs(&hub, meters, 2, pulses, 3, probes, 2);
}

static void s_str(json_t *o, const char *key, const char *want_value, const char *object)
{
	json_t *v = json_object_get(o, key);
	if (!want_value) {
		ck_assert_msg(!v, "%s: %s should be absent", object, key);
		return;
	}
	ck_assert_msg(json_is_string(v), "%s: %s missing", object, key);
	ck_assert_msg(!strcmp(json_string_value(v), want_value), "%s: %s is %s, want %s", object, key,
		      json_string_value(v), want_value);
}

START_TEST(each_sensor_has_its_classes_unit_device_and_availability)
{
	json_t *all = s_build();
	char topic[DISCOVERY_TOPIC_MAX];
	snprintf(topic, sizeof topic, "homeassistant/sensor/eniscope_00010203040a/%s/config", want[_i].object);
	json_t *c = json_object_get(all, topic);
	ck_assert_msg(c, "no config at %s", topic);
	s_str(c, "value_template", want[_i].template, want[_i].object);
	s_str(c, "device_class", want[_i].device_class, want[_i].object);
	s_str(c, "state_class", want[_i].state_class, want[_i].object);
	s_str(c, "unit_of_measurement", want[_i].unit, want[_i].object);
	s_str(c, "state_topic", want[_i].state_topic, want[_i].object);
	s_str(c, "availability_topic", "Eniscope8/04/status", want[_i].object);
	s_str(c, "payload_available", "online", want[_i].object);
	s_str(c, "payload_not_available", "offline", want[_i].object);
	char uniq[128];
	snprintf(uniq, sizeof uniq, "eniscope_00010203040a_%s", want[_i].object);
	s_str(c, "unique_id", uniq, want[_i].object);
	json_t *dev = json_object_get(c, "device");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(dev, "identifiers"), 0)), want[_i].device_id);
	s_str(dev, "name", want[_i].device_name, want[_i].object);
	json_decref(all);
}
END_TEST

START_TEST(nothing_more_than_the_table)
{
	json_t *all = s_build();
	/* 7 per meter, 1 per pulse input, 1 per probe */
	ck_assert_uint_eq(json_object_size(all), 2 * 7 + 3 + 2);
	json_decref(all);
}
END_TEST

static const struct {
	const char *name, *unit, *device_class, *ha_unit;
} pulse_classes[] = {
	{ "Gas", "m3", "gas", "m³" },       { "Water main", "m3", "water", "m³" }, { "Boiler", "ft3", "gas", "ft³" },
	{ "Tap", "L", "water", "L" },       { "Tap", "l", "water", "L" },          { "Tank", "gal", "water", "gal" },
	{ "Solar", "Wh", "energy", "Wh" },  { "Solar", "kWh", "energy", "kWh" },   { "Door", "pulses", NULL, "pulses" },
	{ "Oil", "litres", NULL, "litres" },
};

START_TEST(pulse_unit_gives_the_device_class)
{
	const char *dc, *unit;
	discovery_pulse_class(pulse_classes[_i].name, pulse_classes[_i].unit, &dc, &unit);
	if (pulse_classes[_i].device_class)
		ck_assert_str_eq(dc, pulse_classes[_i].device_class);
	else
		ck_assert_ptr_null(dc);
	ck_assert_str_eq(unit, pulse_classes[_i].ha_unit);
}
END_TEST

static const struct {
	const char *payload;
	bool owned;
} owned[] = {
	{ "{\"state_topic\":\"Eniscope8/04/meter/2\"}", true },
	{ "{\"state_topic\":\"Eniscope8/04/pulse/1\"}", true },
	{ "{\"state_topic\":\"Eniscope8/045/meter/2\"}", false }, /* another instance's topic */
	{ "{\"state_topic\":\"other/meter/2\"}", false },
	{ "{\"name\":\"x\"}", false },
	{ "not json", false },
	{ "", false },
};

START_TEST(a_config_is_ours_by_its_state_topic)
{
	ck_assert_int_eq(discovery_owned(&hub, owned[_i].payload, strlen(owned[_i].payload)), owned[_i].owned);
}
END_TEST

START_TEST(topics)
{
	char buf[DISCOVERY_TOPIC_MAX];
	discovery_status_topic("Eniscope8/04", buf, sizeof buf);
	ck_assert_str_eq(buf, "Eniscope8/04/status");
	discovery_meter_topic("Eniscope8/04", 8, buf, sizeof buf);
	ck_assert_str_eq(buf, "Eniscope8/04/meter/8");
	discovery_pulse_topic("Eniscope8/04", 2, buf, sizeof buf);
	ck_assert_str_eq(buf, "Eniscope8/04/pulse/2");
	discovery_probe_topic("Eniscope8/04", "28-0316a2799aff", buf, sizeof buf);
	ck_assert_str_eq(buf, "Eniscope8/04/temp/28-0316a2799aff");
	discovery_subscription(&hub, buf, sizeof buf);
	ck_assert_str_eq(buf, "homeassistant/sensor/eniscope_00010203040a/+/config");
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("discovery");
	TCase *tc = tcase_create("discovery");
	tcase_add_loop_test(tc, each_sensor_has_its_classes_unit_device_and_availability, 0, sizeof want / sizeof want[0]);
	tcase_add_test(tc, nothing_more_than_the_table);
	tcase_add_loop_test(tc, pulse_unit_gives_the_device_class, 0, sizeof pulse_classes / sizeof pulse_classes[0]);
	tcase_add_loop_test(tc, a_config_is_ours_by_its_state_topic, 0, sizeof owned / sizeof owned[0]);
	tcase_add_test(tc, topics);
	suite_add_tcase(s, tc);
	return s;
}

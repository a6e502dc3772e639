/* check_apply: mqttd's reload builds the new state completely, then swaps:
 * when a new link cannot be made (link_new fails: out of memory, a client
 * paho refuses), the running config stays whole: the meters keep their
 * names and selection, the pulse inputs theirs, the instances and their
 * links are the same objects.  link_new is wrapped at link time
 * (-Wl,--wrap=link_new) so a test can make it fail for one title. */
#include <check.h>

#include "mqttd.h"

#include <string.h>

struct link *__real_link_new(const struct link_settings *s, uint32_t id, int event_fd,
			     const struct link_hooks *hooks, char *err, size_t errlen);
struct link *__wrap_link_new(const struct link_settings *s, uint32_t id, int event_fd,
			     const struct link_hooks *hooks, char *err, size_t errlen);

static const char *s_refuse; /* the title whose link cannot be made, or NULL */

struct link *__wrap_link_new(const struct link_settings *s, uint32_t id, int event_fd,
			     const struct link_hooks *hooks, char *err, size_t errlen)
{
	if (s_refuse && !strcmp(s->title, s_refuse)) {
		snprintf(err, errlen, "cannot create an MQTT client (test)");
		return NULL;
	}
	return __real_link_new(s, id, event_fd, hooks, err, errlen);
}

static struct config *s_config(const char *text)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	ck_assert_msg(doc != NULL, "%s", jerr.text);
	json_t *errors = NULL;
	struct config *cfg = config_from_json(doc, &errors);
	ck_assert_msg(cfg != NULL, "%s", errors ? json_dumps(errors, 0) : "");
	json_decref(doc);
	return cfg;
}

static const char *s_before =
	"{\"hub\":{\"mac\":\"02:00:00:00:00:01\"},"
	"\"meters\":[{\"id\":1,\"enabled\":true,\"name\":\"Kitchen\",\"temp_sensor\":\"28-0316a2799aff\"}],"
	"\"pulses\":[{\"id\":1,\"enabled\":true,\"name\":\"Gas\",\"unit\":\"m3\"}],"
	"\"mqtt\":[{\"title\":\"A\",\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":1883}]}";

/* every source renamed or changed, instance A's link kept, B new */
static const char *s_after =
	"{\"hub\":{\"mac\":\"02:00:00:00:00:02\"},"
	"\"meters\":[{\"id\":1,\"enabled\":true,\"name\":\"Boiler\"},{\"id\":2,\"enabled\":true,\"name\":\"Pump\"}],"
	"\"pulses\":[{\"id\":1,\"enabled\":false,\"name\":\"Water\",\"unit\":\"L\"}],"
	"\"mqtt\":[{\"title\":\"A\",\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":1883,\"client_id\":\"a\"},"
	"{\"title\":\"B\",\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":1884}]}";

START_TEST(a_link_that_cannot_be_made_leaves_the_running_config_whole)
{
	struct mqttd m = { .events = { -1, -1 } };
	char err[256] = "";
	struct config *before = s_config(s_before), *after = s_config(s_after);
	ck_assert_int_eq(mqttd_ops.apply(NULL, before, &m, err, sizeof err), 0);
	ck_assert_int_eq(m.ninst, 1);
	struct link *a = m.inst[0].link;
	ck_assert_ptr_nonnull(a);

	s_refuse = "B";
	ck_assert_int_eq(mqttd_ops.apply(NULL, after, &m, err, sizeof err), -1);
	ck_assert_str_eq(err, "mqtt[1]: cannot create an MQTT client (test)");
	/* nothing of the new config is in force */
	ck_assert_str_eq(m.mac, "02:00:00:00:00:01");
	ck_assert(m.meter_enabled[0] && !m.meter_enabled[1]);
	ck_assert_str_eq(m.meter_name[0], "Kitchen");
	ck_assert_str_eq(m.meter_probe[0], "28-0316a2799aff");
	ck_assert(m.pulse_enabled[0]);
	ck_assert_str_eq(m.pulse_name[0], "Gas");
	ck_assert_str_eq(m.pulse_unit[0], "m3");
	ck_assert_int_eq(m.ninst, 1);
	ck_assert_ptr_eq(m.inst[0].link, a);
	ck_assert_str_eq(link_settings(a)->client_id, "eniscope-020000000001-1");
	ck_assert(m.inst[0].meters[0] && !m.inst[0].meters[1]);

	/* and once the link can be made, all of it at once */
	s_refuse = NULL;
	ck_assert_int_eq(mqttd_ops.apply(NULL, after, &m, err, sizeof err), 0);
	ck_assert_str_eq(m.mac, "02:00:00:00:00:02");
	ck_assert_str_eq(m.meter_name[0], "Boiler");
	ck_assert(m.meter_enabled[1]);
	ck_assert_str_eq(m.meter_name[1], "Pump");
	ck_assert(!m.pulse_enabled[0]);
	ck_assert_int_eq(m.ninst, 2);
	ck_assert_str_eq(link_settings(m.inst[0].link)->client_id, "a");
	ck_assert(m.inst[0].meters[0] && m.inst[0].meters[1]);
	ck_assert_ptr_nonnull(m.inst[1].link);

	mqttd_close(&m);
	config_destroy(&before);
	config_destroy(&after);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("mqttd apply");
	TCase *tc = tcase_create("build then swap");
	tcase_add_test(tc, a_link_that_cannot_be_made_leaves_the_running_config_whole);
	suite_add_tcase(s, tc);
	return s;
}

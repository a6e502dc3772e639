/* check_fault: the one "fault changed" rule.  A new or different reason,
 * and its clearing, each publish the daemon's status at once (the status
 * carries it); the same reason again publishes nothing; without a daemon
 * (before the loop exists) it only records. */
#include "bus.h"
#include "daemon.h"
#include "fault.h"
#include "scratch.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

static char *s_dir;
static struct daemon *s_d;
static struct bus_sub *s_sub;
static struct fault s_fault;

static void s_status(struct daemon *d, json_t *st, void *ud)
{
	(void)d;
	(void)ud;
	if (fault_active(&s_fault))
		json_object_set_new(st, "fault", json_string(s_fault.why));
}

/* The next status/faultd within ms: its fault ("" none), or NULL. */
static char *s_next_status(int ms)
{
	zmq_pollitem_t it = { .socket = bus_sub_socket(s_sub), .events = ZMQ_POLLIN };
	if (zmq_poll(&it, 1, ms) <= 0)
		return NULL;
	char *topic = NULL, err[256];
	json_t *o = NULL;
	if (bus_sub_recv(s_sub, &topic, &o, err, sizeof err) != 1)
		return NULL;
	const char *f = json_string_value(json_object_get(o, "fault"));
	char *out = strdup(f ? f : "");
	free(topic);
	json_decref(o);
	return out;
}

static void s_stop(struct daemon *d, void *ud)
{
	(void)ud;
	daemon_stop(d);
}

static void s_setup(void)
{
	s_dir = scratch_dir_new("check_fault");
	setenv("ENISCOPE_RUNDIR", s_dir, 1);
	char conf[512];
	snprintf(conf, sizeof conf, "%s/config.json", s_dir);
	FILE *f = fopen(conf, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"version\":1}\n", f); /* a daemon adds its own status fields once configured */
	fclose(f);
	static const struct daemon_ops ops = { .status = s_status };
	memset(&s_fault, 0, sizeof s_fault);
	s_d = daemon_new("faultd", conf, &ops, NULL);
	/* the loop loads the config: run it a moment */
	struct daemon_timer *stop = daemon_timer_new(s_d, 50, s_stop, NULL);
	daemon_run(s_d);
	daemon_timer_destroy(s_d, &stop);
	s_sub = bus_sub_new(daemon_zctx(s_d));
	ck_assert_int_eq(bus_sub_connect(s_sub, s_dir, "faultd"), 0);
	ck_assert_int_eq(bus_sub_subscribe(s_sub, "status/faultd"), 0);
	/* the subscription takes a moment to reach the publisher */
	char *got = NULL;
	for (int i = 0; i < 50 && !got; i++) {
		daemon_publish_status(s_d);
		got = s_next_status(100);
	}
	ck_assert_ptr_nonnull(got);
	free(got);
	while ((got = s_next_status(50)))
		free(got);
}

static void s_teardown(void)
{
	bus_sub_destroy(&s_sub);
	daemon_destroy(&s_d);
	scratch_dir_remove(s_dir);
}

START_TEST(test_a_change_publishes_the_status)
{
	ck_assert(fault_set(&s_fault, s_d, "thing", "broken: no such file"));
	char *got = s_next_status(2000);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, "broken: no such file");
	free(got);
	/* the same again: nothing */
	ck_assert(!fault_set(&s_fault, s_d, "thing", "broken: no such file"));
	ck_assert_ptr_null(s_next_status(300));
	/* another reason: published */
	ck_assert(fault_set(&s_fault, s_d, "thing", "broken: permission denied"));
	got = s_next_status(2000);
	ck_assert_str_eq(got, "broken: permission denied");
	free(got);
	/* cleared: published without it */
	ck_assert(fault_set(&s_fault, s_d, "thing", ""));
	ck_assert(!fault_active(&s_fault));
	got = s_next_status(2000);
	ck_assert_str_eq(got, "");
	free(got);
	ck_assert(!fault_set(&s_fault, s_d, "thing", ""));
	ck_assert_ptr_null(s_next_status(300));
}
END_TEST

START_TEST(test_without_a_daemon_it_only_records)
{
	struct fault f = { "" };
	ck_assert(fault_set(&f, NULL, "thing", "broken"));
	ck_assert(fault_active(&f));
	ck_assert_str_eq(f.why, "broken");
	ck_assert_ptr_null(s_next_status(200));
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("fault");
	TCase *tc = tcase_create("fault");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, test_a_change_publishes_the_status);
	tcase_add_test(tc, test_without_a_daemon_it_only_records);
	suite_add_tcase(s, tc);
	return s;
}

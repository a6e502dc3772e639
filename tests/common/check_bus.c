/* check_bus: publisher and subscriber over ipc in a scratch rundir.
 *
 * ZeroMQ's slow joiner: a PUB drops what it sends before the subscriber's
 * subscription has reached it.  Each test therefore first publishes "join"
 * messages until one arrives (bounded by a deadline, waiting with zmq_poll,
 * never a sleep), then a marker, and reads up to the marker; after that the
 * stream is in order and complete. */
#include <check.h>

#include "bus.h"
#include "clock.h"
#include "msg.h"
#include "scratch.h"

#include <stdio.h>
#include <string.h>
#include <zmq.h>

#define DEADLINE_MS 5000

static char *s_dir;
static void *s_zctx;

static void s_setup(void)
{
	s_dir = scratch_dir_new("check_bus");
	s_zctx = zmq_ctx_new();
	ck_assert_ptr_nonnull(s_zctx);
}

static void s_teardown(void)
{
	zmq_ctx_term(s_zctx);
	s_zctx = NULL;
	scratch_dir_remove(s_dir);
	s_dir = NULL;
}

/* bus_sub_recv, waiting up to timeout_ms for something to arrive.  0 when
 * nothing did. */
static int s_recv_wait(struct bus_sub *sub, int timeout_ms, char **topic, json_t **payload, char *err,
		       size_t errlen)
{
	int64_t end = clock_mono_ms() + timeout_ms;
	for (;;) {
		int rc = bus_sub_recv(sub, topic, payload, err, errlen);
		if (rc != 0)
			return rc;
		int64_t left = end - clock_mono_ms();
		if (left <= 0)
			return 0;
		zmq_pollitem_t item = { .socket = bus_sub_socket(sub), .events = ZMQ_POLLIN };
		zmq_poll(&item, 1, (long)left);
	}
}

/* Sends a join message with send(ud, topic) until sub receives one, then a
 * marker, and reads everything up to the marker. */
typedef void (*send_fn)(void *ud, const char *topic, int n);

static void s_join(struct bus_sub *sub, send_fn send, void *ud, const char *join_topic, const char *marker_topic)
{
	int64_t end = clock_mono_ms() + DEADLINE_MS;
	bool joined = false;
	char err[256];
	for (int n = 0; !joined; n++) {
		ck_assert_msg(clock_mono_ms() < end, "no message arrived within %d ms", DEADLINE_MS);
		send(ud, join_topic, n);
		char *topic = NULL;
		json_t *payload = NULL;
		int rc = s_recv_wait(sub, 20, &topic, &payload, err, sizeof err);
		ck_assert_msg(rc >= 0, "join message rejected: %s", err);
		joined = rc == 1;
		free(topic);
		json_decref(payload);
	}
	send(ud, marker_topic, -1);
	for (;;) {
		char *topic = NULL;
		json_t *payload = NULL;
		int rc = s_recv_wait(sub, DEADLINE_MS, &topic, &payload, err, sizeof err);
		ck_assert_msg(rc == 1, "marker did not arrive (%d: %s)", rc, err);
		bool marker = !strcmp(topic, marker_topic);
		ck_assert_msg(marker || !strcmp(topic, join_topic), "unexpected %s while joining", topic);
		free(topic);
		json_decref(payload);
		if (marker)
			return;
	}
}

static void s_pub_send(void *ud, const char *topic, int n)
{
	json_t *p = json_pack("{s:i}", "join", n);
	ck_assert_int_eq(bus_pub_send(ud, topic, p), 0);
	json_decref(p);
}

START_TEST(subscriber_gets_topic_and_payload_with_ts_and_consecutive_seq)
{
	struct bus_pub *pub = bus_pub_new(s_zctx, s_dir, "testd");
	ck_assert_ptr_nonnull(pub);
	struct bus_sub *sub = bus_sub_new(s_zctx);
	ck_assert_int_eq(bus_sub_connect(sub, s_dir, "testd"), 0);
	ck_assert_int_eq(bus_sub_subscribe(sub, ""), 0);
	s_join(sub, s_pub_send, pub, "test/join", "test/marker");

	uint64_t first = bus_pub_sent(pub);
	double t0 = clock_wall();
	for (int i = 0; i < 5; i++) {
		json_t *p = json_pack("{s:i,s:f}", "n", i, "P", 241.3);
		ck_assert_int_eq(bus_pub_send(pub, "meter/1/rt", p), 0);
		json_decref(p);
	}
	ck_assert_uint_eq(bus_pub_sent(pub), first + 5);
	double t1 = clock_wall();
	for (int i = 0; i < 5; i++) {
		char *topic = NULL, err[256] = "";
		json_t *p = NULL;
		ck_assert_msg(s_recv_wait(sub, DEADLINE_MS, &topic, &p, err, sizeof err) == 1, "message %d: %s", i, err);
		ck_assert_str_eq(topic, "meter/1/rt");
		ck_assert_int_eq(json_integer_value(json_object_get(p, "n")), i);
		ck_assert_double_eq(json_real_value(json_object_get(p, "P")), 241.3);
		ck_assert_int_eq(json_integer_value(json_object_get(p, "seq")), (json_int_t)(first + (uint64_t)i));
		double ts = json_number_value(json_object_get(p, "ts"));
		ck_assert_msg(ts >= t0 - 0.001 && ts <= t1 + 0.001, "ts %f not in [%f, %f]", ts, t0, t1);
		free(topic);
		json_decref(p);
	}
	char *topic = NULL, err[256] = "";
	json_t *p = NULL;
	ck_assert_int_eq(bus_sub_recv(sub, &topic, &p, err, sizeof err), 0); /* nothing more */
	ck_assert_uint_eq(bus_sub_rejected(sub), 0);
	bus_sub_destroy(&sub);
	bus_pub_destroy(&pub);
	ck_assert_ptr_null(sub);
	ck_assert_ptr_null(pub);
}
END_TEST

START_TEST(subscriber_gets_only_the_topics_under_its_prefix)
{
	struct bus_pub *pub = bus_pub_new(s_zctx, s_dir, "testd");
	struct bus_sub *sub = bus_sub_new(s_zctx);
	ck_assert_int_eq(bus_sub_connect(sub, s_dir, "testd"), 0);
	ck_assert_int_eq(bus_sub_subscribe(sub, "meter/"), 0);
	s_join(sub, s_pub_send, pub, "meter/join", "meter/marker");

	const char *topics[] = { "temp/28-0316a2799aff", "meterd/x", "status/meterd", "meter", "meter/1/rt" };
	for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++) {
		json_t *p = json_pack("{s:s}", "sent_as", topics[i]);
		ck_assert_int_eq(bus_pub_send(pub, topics[i], p), 0);
		json_decref(p);
	}
	/* in order from one publisher: had any other got through, it would come first */
	char *topic = NULL, err[256] = "";
	json_t *p = NULL;
	ck_assert_int_eq(s_recv_wait(sub, DEADLINE_MS, &topic, &p, err, sizeof err), 1);
	ck_assert_str_eq(topic, "meter/1/rt");
	ck_assert_str_eq(json_string_value(json_object_get(p, "sent_as")), "meter/1/rt");
	free(topic);
	json_decref(p);
	bus_sub_destroy(&sub);
	bus_pub_destroy(&pub);
}
END_TEST

/* --- malformed messages from a raw PUB --- */

static void s_raw_frames(void *pub, const char *const *frames, const size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_int_ge(zmq_send(pub, frames[i], lens[i], i + 1 < n ? ZMQ_SNDMORE : 0), 0);
}

static void s_raw_good(void *pub, const char *topic, int n)
{
	json_t *p = json_pack("{s:i}", "n", n);
	size_t len;
	char err[160];
	char *text = msg_encode(p, (uint64_t)(n < 0 ? 1000 : n), clock_wall(), &len, err, sizeof err);
	ck_assert_ptr_nonnull(text);
	const char *frames[] = { topic, text };
	const size_t lens[] = { strlen(topic), len };
	s_raw_frames(pub, frames, lens, 2);
	free(text);
	json_decref(p);
}

struct bad_row {
	const char *name;
	const char *frames[3];
	size_t nframes;
	const char *err_has;
};

static const struct bad_row s_bad[] = {
	{ "one frame", { "raw/x" }, 1, "one frame" },
	{ "three frames", { "raw/x", "{\"ts\":1,\"seq\":1}", "extra" }, 3, "more than two frames" },
	{ "not JSON", { "raw/x", "not json" }, 2, "raw/x" },
	{ "missing seq", { "raw/x", "{\"ts\":1}" }, 2, "\"seq\"" },
	{ "missing ts", { "raw/x", "{\"seq\":1}" }, 2, "\"ts\"" },
	{ "an array", { "raw/x", "[{\"ts\":1,\"seq\":1}]" }, 2, "object" },
	{ "bad topic", { "raw//x", "{\"ts\":1,\"seq\":1}" }, 2, "topic" },
	{ "empty topic", { "", "{\"ts\":1,\"seq\":1}" }, 2, "topic" },
};

#define NBAD (sizeof s_bad / sizeof s_bad[0])

START_TEST(malformed_messages_are_rejected_with_a_reason_counted_and_skipped)
{
	void *raw = zmq_socket(s_zctx, ZMQ_PUB);
	int linger = 0;
	zmq_setsockopt(raw, ZMQ_LINGER, &linger, sizeof linger);
	char endpoint[512];
	snprintf(endpoint, sizeof endpoint, "ipc://%s/raw.pub", s_dir);
	ck_assert_int_eq(zmq_bind(raw, endpoint), 0);
	struct bus_sub *sub = bus_sub_new(s_zctx);
	ck_assert_int_eq(bus_sub_connect(sub, s_dir, "raw"), 0);
	ck_assert_int_eq(bus_sub_subscribe(sub, ""), 0);
	s_join(sub, s_raw_good, raw, "raw/join", "raw/marker");
	uint64_t rejected = bus_sub_rejected(sub);

	for (size_t i = 0; i < NBAD; i++) {
		size_t lens[3];
		for (size_t f = 0; f < s_bad[i].nframes; f++)
			lens[f] = strlen(s_bad[i].frames[f]);
		s_raw_frames(raw, s_bad[i].frames, lens, s_bad[i].nframes);
	}
	s_raw_good(raw, "raw/good", 42);

	for (size_t i = 0; i < NBAD; i++) {
		char *topic = NULL, err[256] = "";
		json_t *p = NULL;
		int rc = s_recv_wait(sub, DEADLINE_MS, &topic, &p, err, sizeof err);
		ck_assert_msg(rc == -1, "%s: got %d (%s)", s_bad[i].name, rc, rc == 1 ? topic : err);
		ck_assert_msg(strstr(err, s_bad[i].err_has) != NULL, "%s: reason \"%s\" lacks %s", s_bad[i].name, err,
			      s_bad[i].err_has);
		ck_assert_uint_eq(bus_sub_rejected(sub), rejected + i + 1);
	}
	/* the good message after them all still arrives, whole */
	char *topic = NULL, err[256] = "";
	json_t *p = NULL;
	ck_assert_msg(s_recv_wait(sub, DEADLINE_MS, &topic, &p, err, sizeof err) == 1, "%s", err);
	ck_assert_str_eq(topic, "raw/good");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "n")), 42);
	ck_assert_uint_eq(bus_sub_rejected(sub), rejected + NBAD);
	free(topic);
	json_decref(p);
	bus_sub_destroy(&sub);
	zmq_close(raw);
}
END_TEST

START_TEST(publisher_refuses_a_bad_topic_or_payload_without_counting_it)
{
	struct bus_pub *pub = bus_pub_new(s_zctx, s_dir, "testd");
	ck_assert_ptr_nonnull(pub);
	json_t *ok = json_object(), *arr = json_array();
	ck_assert_int_eq(bus_pub_send(pub, "meter//rt", ok), -1);
	ck_assert_int_eq(bus_pub_send(pub, "", ok), -1);
	ck_assert_int_eq(bus_pub_send(pub, "meter/1/rt", arr), -1);
	ck_assert_uint_eq(bus_pub_sent(pub), 0);
	/* with no subscriber a send still succeeds: PUB drops, never blocks */
	ck_assert_int_eq(bus_pub_send(pub, "meter/1/rt", ok), 0);
	ck_assert_uint_eq(bus_pub_sent(pub), 1);
	json_decref(ok);
	json_decref(arr);
	bus_pub_destroy(&pub);
}
END_TEST

START_TEST(publisher_creates_its_rundir_replaces_a_stale_socket_and_removes_it)
{
	char *rundir = scratch_path(s_dir, "run");
	char *sock = scratch_path(rundir, "testd.pub");
	struct bus_pub *pub = bus_pub_new(s_zctx, rundir, "testd");
	ck_assert_ptr_nonnull(pub);
	struct stat st;
	ck_assert_int_eq(stat(sock, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	/* its group (the run directory's: the web side's user) may connect */
	ck_assert_int_eq(st.st_mode & 0777, 0660);
	bus_pub_destroy(&pub);
	ck_assert_int_eq(access(sock, F_OK), -1);

	scratch_write(sock, "left by a killed daemon");
	pub = bus_pub_new(s_zctx, rundir, "testd");
	ck_assert_ptr_nonnull(pub);
	ck_assert_int_eq(stat(sock, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	bus_pub_destroy(&pub);
	free(sock);
	free(rundir);
}
END_TEST

START_TEST(a_subscriber_may_connect_before_the_publisher_exists)
{
	struct bus_sub *sub = bus_sub_new(s_zctx);
	ck_assert_int_eq(bus_sub_connect(sub, s_dir, "laterd"), 0);
	ck_assert_int_eq(bus_sub_subscribe(sub, ""), 0);
	char *topic = NULL, err[256] = "";
	json_t *p = NULL;
	ck_assert_int_eq(bus_sub_recv(sub, &topic, &p, err, sizeof err), 0);
	struct bus_pub *pub = bus_pub_new(s_zctx, s_dir, "laterd");
	ck_assert_ptr_nonnull(pub);
	s_join(sub, s_pub_send, pub, "late/join", "late/marker");
	bus_pub_destroy(&pub);
	bus_sub_destroy(&sub);
}
END_TEST

START_TEST(an_endpoint_too_long_for_a_unix_socket_is_refused)
{
	char rundir[200];
	memset(rundir, 'd', sizeof rundir - 1);
	rundir[0] = '/';
	rundir[sizeof rundir - 1] = '\0';
	ck_assert_ptr_null(bus_pub_new(s_zctx, rundir, "testd"));
	struct bus_sub *sub = bus_sub_new(s_zctx);
	ck_assert_int_eq(bus_sub_connect(sub, rundir, "testd"), -1);
	bus_sub_destroy(&sub);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("bus");
	TCase *tc = tcase_create("bus");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, subscriber_gets_topic_and_payload_with_ts_and_consecutive_seq);
	tcase_add_test(tc, subscriber_gets_only_the_topics_under_its_prefix);
	tcase_add_test(tc, malformed_messages_are_rejected_with_a_reason_counted_and_skipped);
	tcase_add_test(tc, publisher_refuses_a_bad_topic_or_payload_without_counting_it);
	tcase_add_test(tc, publisher_creates_its_rundir_replaces_a_stale_socket_and_removes_it);
	tcase_add_test(tc, a_subscriber_may_connect_before_the_publisher_exists);
	tcase_add_test(tc, an_endpoint_too_long_for_a_unix_socket_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

/* check_ctl_client: the control client that never stops a loop (ctl.h).
 * A call returns at once and its answer comes as an event of the daemon's
 * loop; a peer that is not running, or answers too late, gives a reason
 * from the loop and a late answer is dropped; a slow peer does not delay
 * a fast one; a cancelled call is never answered.  Everything runs on one
 * daemon loop (daemon.h) in the test: the peers are a ctl_server and a
 * ROUTER that answers when a timer says so, both watched by that loop. */
#include <check.h>

#include "clock.h"
#include "ctl.h"
#include "daemon.h"
#include "scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

static char *s_dir;
static struct daemon *s_d;
static struct ctl_server *s_fast;
static void *s_slow; /* ROUTER: holds each request until s_slow_due */
static zmq_msg_t s_held[4]; /* [identity][call id][empty][body] */
static int s_nheld;

/* what the calls got */
struct got {
	int calls;
	bool ok;
	char err[128];
	char echo[32];
	int64_t at_ms;
};

static json_t *s_handler(const char *cmd, json_t *request, void *ud, char *err, size_t errlen)
{
	(void)ud;
	if (!strcmp(cmd, "echo"))
		return json_deep_copy(request);
	snprintf(err, errlen, "unknown command \"%s\"", cmd);
	return NULL;
}

static void s_serve_fast(struct daemon *d, void *ud)
{
	(void)d;
	ctl_server_serve(ud);
}

/* Keeps the slow peer's one request ([id][empty][body]) to answer later. */
static void s_slow_read(struct daemon *d, void *ud)
{
	(void)d;
	(void)ud;
	int more = 1;
	while (more) {
		zmq_msg_t m;
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, s_slow, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			return;
		}
		more = zmq_msg_more(&m);
		if (s_nheld < 4) {
			zmq_msg_init(&s_held[s_nheld]);
			zmq_msg_move(&s_held[s_nheld++], &m);
		}
		zmq_msg_close(&m);
	}
}

/* The slow peer answers what it holds: the envelope, then a reply. */
static void s_slow_answer(struct daemon *d, void *ud)
{
	(void)d;
	(void)ud;
	for (int k = 0; k + 1 < s_nheld; k++)
		zmq_msg_send(&s_held[k], s_slow, ZMQ_SNDMORE);
	const char *reply = "{\"ok\":true,\"late\":true}";
	if (s_nheld == 4)
		zmq_send(s_slow, reply, strlen(reply), 0);
	for (int k = 0; k < s_nheld; k++)
		zmq_msg_close(&s_held[k]);
	s_nheld = 0;
}

static void s_stop(struct daemon *d, void *ud)
{
	(void)ud;
	daemon_stop(d);
}

static void s_setup(void)
{
	s_dir = scratch_dir_new("check_ctl_client");
	setenv("ENISCOPE_RUNDIR", s_dir, 1);
	char conf[512];
	snprintf(conf, sizeof conf, "%s/none.json", s_dir); /* no config: the loop runs anyway */
	static const struct daemon_ops ops = { 0 };
	s_d = daemon_new("clientd", conf, &ops, NULL);
	s_fast = ctl_server_new(daemon_zctx(s_d), s_dir, "fastd", s_handler, NULL);
	ck_assert_ptr_nonnull(s_fast);
	ck_assert_int_eq(daemon_watch_socket(s_d, ctl_server_socket(s_fast), s_serve_fast, s_fast), 0);
	s_slow = zmq_socket(daemon_zctx(s_d), ZMQ_ROUTER);
	char endpoint[600];
	snprintf(endpoint, sizeof endpoint, "ipc://%s/slowd.ctl", s_dir);
	int linger = 0;
	zmq_setsockopt(s_slow, ZMQ_LINGER, &linger, sizeof linger);
	ck_assert_int_eq(zmq_bind(s_slow, endpoint), 0);
	ck_assert_int_eq(daemon_watch_socket(s_d, s_slow, s_slow_read, NULL), 0);
	s_nheld = 0;
	/* the first run loads the config (none: defaults), which takes long
	 * under valgrind: done here, so the cases time only the client */
	struct daemon_timer *t = daemon_timer_new(s_d, 1, s_stop, NULL);
	ck_assert_ptr_nonnull(t);
	daemon_run(s_d);
	daemon_timer_destroy(s_d, &t);
}

static void s_teardown(void)
{
	for (int k = 0; k < s_nheld; k++)
		zmq_msg_close(&s_held[k]);
	daemon_unwatch(s_d, s_slow, -1);
	zmq_close(s_slow);
	daemon_unwatch(s_d, ctl_server_socket(s_fast), -1);
	ctl_server_destroy(&s_fast);
	daemon_destroy(&s_d);
	scratch_dir_remove(s_dir);
	s_dir = NULL;
}

static void s_got(json_t *answer, const char *err, void *ud)
{
	struct got *g = ud;
	g->calls++;
	g->at_ms = clock_mono_ms();
	g->ok = answer && json_is_true(json_object_get(answer, "ok"));
	snprintf(g->err, sizeof g->err, "%s", err ? err : "");
	const char *echo = json_string_value(json_object_get(answer, "word"));
	snprintf(g->echo, sizeof g->echo, "%s", echo ? echo : "");
}

/* runs the loop for ms */
static void s_run(int64_t ms)
{
	struct daemon_timer *t = daemon_timer_new(s_d, ms, s_stop, NULL);
	daemon_run(s_d);
	daemon_timer_destroy(s_d, &t);
}

START_TEST(test_the_answer_comes_from_the_loop)
{
	struct ctl_client *c = ctl_client_new(s_d, s_dir, "fastd");
	ck_assert_ptr_nonnull(c);
	struct got g = { 0 };
	json_t *req = json_pack("{s:s,s:s}", "cmd", "echo", "word", "hello");
	uint64_t id = ctl_client_call(c, req, 2000, s_got, &g);
	json_decref(req);
	ck_assert_uint_gt(id, 0);
	ck_assert_int_eq(g.calls, 0); /* not before it returns */
	ck_assert_uint_eq(ctl_client_pending(c), 1);
	s_run(300);
	ck_assert_int_eq(g.calls, 1);
	ck_assert(g.ok);
	ck_assert_str_eq(g.echo, "hello");
	ck_assert_uint_eq(ctl_client_pending(c), 0);
	ctl_client_destroy(&c);
	ck_assert_ptr_null(c);
}
END_TEST

START_TEST(test_not_running_is_said_from_the_loop)
{
	struct ctl_client *c = ctl_client_new(s_d, s_dir, "nosuchd");
	struct got g = { 0 };
	json_t *req = json_pack("{s:s}", "cmd", "status");
	ctl_client_call(c, req, 2000, s_got, &g);
	json_decref(req);
	ck_assert_int_eq(g.calls, 0);
	int64_t t0 = clock_mono_ms();
	s_run(300);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_str_eq(g.err, "not running");
	ck_assert_int_lt(g.at_ms - t0, 100); /* at once, not at the timeout */
	ctl_client_destroy(&c);
}
END_TEST

START_TEST(test_a_late_answer_times_out_and_is_dropped)
{
	struct ctl_client *c = ctl_client_new(s_d, s_dir, "slowd");
	struct got g = { 0 };
	struct daemon_timer *answer = daemon_timer_new(s_d, 400, s_slow_answer, NULL);
	json_t *req = json_pack("{s:s}", "cmd", "status");
	int64_t t0 = clock_mono_ms();
	ctl_client_call(c, req, 150, s_got, &g);
	json_decref(req);
	s_run(700); /* the answer comes at 400 ms, after the 150 ms timeout */
	daemon_timer_destroy(s_d, &answer);
	ck_assert_int_eq(g.calls, 1);
	ck_assert(!g.ok);
	ck_assert_str_eq(g.err, "no answer within 150 ms");
	ck_assert_int_ge(g.at_ms - t0, 150);
	ck_assert_int_lt(g.at_ms - t0, 400);
	ctl_client_destroy(&c);
}
END_TEST

START_TEST(test_a_slow_peer_does_not_delay_a_fast_one)
{
	struct ctl_client *slow = ctl_client_new(s_d, s_dir, "slowd"), *fast = ctl_client_new(s_d, s_dir, "fastd");
	struct got gs = { 0 }, gf = { 0 };
	struct daemon_timer *answer = daemon_timer_new(s_d, 500, s_slow_answer, NULL);
	json_t *st = json_pack("{s:s}", "cmd", "status"), *echo = json_pack("{s:s,s:s}", "cmd", "echo", "word", "quick");
	int64_t t0 = clock_mono_ms();
	ctl_client_call(slow, st, 2000, s_got, &gs);
	ctl_client_call(fast, echo, 2000, s_got, &gf);
	json_decref(st);
	json_decref(echo);
	s_run(800);
	daemon_timer_destroy(s_d, &answer);
	ck_assert_int_eq(gf.calls, 1);
	ck_assert_str_eq(gf.echo, "quick");
	ck_assert_int_lt(gf.at_ms - t0, 250); /* not after the slow one */
	ck_assert_int_eq(gs.calls, 1);
	ck_assert(gs.ok); /* the slow one's answer, in time */
	ck_assert_int_ge(gs.at_ms - t0, 500);
	ctl_client_destroy(&slow);
	ctl_client_destroy(&fast);
}
END_TEST

/* A request over CTL_REQUEST_MAX is not sent (the peer would refuse it,
 * and past 1 MiB not answer at all): it fails from the loop at once, in
 * the server's words, and the client carries on. */
START_TEST(test_an_oversized_request_fails_at_once_unsent)
{
	struct ctl_client *c = ctl_client_new(s_d, s_dir, "fastd");
	struct got g = { 0 }, g2 = { 0 };
	char *pad = malloc(CTL_REQUEST_MAX + 1);
	memset(pad, 'x', CTL_REQUEST_MAX);
	pad[CTL_REQUEST_MAX] = '\0';
	json_t *big = json_pack("{s:s,s:s}", "cmd", "echo", "word", pad);
	json_t *small = json_pack("{s:s,s:s}", "cmd", "echo", "word", "after");
	char *text = json_dumps(big, JSON_COMPACT);
	char expect[128];
	snprintf(expect, sizeof expect, "request too large: %zu bytes (limit %d bytes)", strlen(text), CTL_REQUEST_MAX);
	int64_t t0 = clock_mono_ms();
	ctl_client_call(c, big, 2000, s_got, &g);
	ctl_client_call(c, small, 2000, s_got, &g2);
	ck_assert_int_eq(g.calls, 0); /* from the loop, not in the call */
	s_run(300);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_str_eq(g.err, expect);
	ck_assert_int_lt(g.at_ms - t0, 100);
	ck_assert_int_eq(g2.calls, 1);
	ck_assert_str_eq(g2.echo, "after");
	free(text);
	free(pad);
	json_decref(big);
	json_decref(small);
	ctl_client_destroy(&c);
}
END_TEST

START_TEST(test_a_cancelled_call_is_never_answered)
{
	struct ctl_client *c = ctl_client_new(s_d, s_dir, "fastd");
	struct got g = { 0 }, g2 = { 0 };
	json_t *req = json_pack("{s:s,s:s}", "cmd", "echo", "word", "x");
	uint64_t id = ctl_client_call(c, req, 2000, s_got, &g);
	ctl_client_call(c, req, 2000, s_got, &g2);
	json_decref(req);
	ctl_client_cancel(c, id);
	ctl_client_cancel(c, 12345); /* not one: nothing happens */
	s_run(300);
	ck_assert_int_eq(g.calls, 0);
	ck_assert_int_eq(g2.calls, 1); /* the other is answered */
	ctl_client_destroy(&c);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("ctl_client");
	TCase *tc = tcase_create("ctl_client");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, test_the_answer_comes_from_the_loop);
	tcase_add_test(tc, test_not_running_is_said_from_the_loop);
	tcase_add_test(tc, test_a_late_answer_times_out_and_is_dropped);
	tcase_add_test(tc, test_a_slow_peer_does_not_delay_a_fast_one);
	tcase_add_test(tc, test_a_cancelled_call_is_never_answered);
	tcase_add_test(tc, test_an_oversized_request_fails_at_once_unsent);
	suite_add_tcase(s, tc);
	return s;
}

/* check_ctl: the control protocol (ctl.h).  The client must never hang:
 * without a daemon it says "not running" at once, and with a socket nobody
 * answers it gives up after its timeout.  The server must answer every
 * request exactly once, garbage included, and stay usable afterwards.
 *
 * The server runs in a thread of the test: its loop is one zmq_poll over the
 * control socket and a pipe the test writes to stop it (no sleeps). */
#include <check.h>

#include "clock.h"
#include "ctl.h"
#include "scratch.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <zmq.h>

#define TIMEOUT_MS 500
#define MARGIN_MS 1000

static char *s_dir;

static void s_setup(void)
{
	s_dir = scratch_dir_new("check_ctl");
}

static void s_teardown(void)
{
	scratch_dir_remove(s_dir);
	s_dir = NULL;
}

/* --- a server in a thread --- */

struct server {
	void *zctx;
	struct ctl_server *srv;
	int stop[2];
	pthread_t thread;
	int calls; /* handler calls; read only after the thread is joined */
};

static json_t *s_handler(const char *cmd, json_t *request, void *ud, char *err, size_t errlen)
{
	struct server *sv = ud;
	sv->calls++;
	if (!strcmp(cmd, "status"))
		return json_pack("{s:s,s:i}", "name", "testd", "calls", sv->calls);
	if (!strcmp(cmd, "echo"))
		return json_deep_copy(request);
	if (!strcmp(cmd, "refuse"))
		return json_pack("{s:b,s:s}", "ok", 0, "error", "refused politely");
	if (!strcmp(cmd, "fail_silently"))
		return NULL;
	snprintf(err, errlen, "unknown command \"%s\"", cmd);
	return NULL;
}

static void *s_serve(void *arg)
{
	struct server *sv = arg;
	for (;;) {
		zmq_pollitem_t items[2] = {
			{ .socket = ctl_server_socket(sv->srv), .events = ZMQ_POLLIN },
			{ .fd = sv->stop[0], .events = ZMQ_POLLIN },
		};
		if (zmq_poll(items, 2, -1) < 0)
			continue; /* EINTR */
		if (items[1].revents)
			return NULL;
		if (items[0].revents)
			ctl_server_serve(sv->srv);
	}
}

static void s_server_start(struct server *sv, void *zctx)
{
	memset(sv, 0, sizeof *sv);
	sv->zctx = zctx;
	sv->srv = ctl_server_new(zctx, s_dir, "testd", s_handler, sv);
	ck_assert_ptr_nonnull(sv->srv);
	ck_assert_int_eq(pipe(sv->stop), 0);
	/* the socket moves to the thread; pthread_create is the barrier */
	ck_assert_int_eq(pthread_create(&sv->thread, NULL, s_serve, sv), 0);
}

static void s_server_stop(struct server *sv)
{
	ck_assert_int_eq(write(sv->stop[1], "x", 1), 1);
	ck_assert_int_eq(pthread_join(sv->thread, NULL), 0);
	close(sv->stop[0]);
	close(sv->stop[1]);
	ctl_server_destroy(&sv->srv);
	ck_assert_ptr_null(sv->srv);
}

static json_t *s_request(void *zctx, const char *req_text, char *err, size_t errlen)
{
	json_t *req = json_loads(req_text, 0, NULL);
	ck_assert_ptr_nonnull(req);
	json_t *resp = ctl_request(zctx, s_dir, "testd", req, 5000, err, errlen);
	json_decref(req);
	return resp;
}

static void s_assert_status_works(void *zctx)
{
	char err[256] = "";
	json_t *resp = s_request(zctx, "{\"cmd\":\"status\"}", err, sizeof err);
	ck_assert_msg(resp != NULL, "status after garbage: %s", err);
	ck_assert(json_is_true(json_object_get(resp, "ok")));
	ck_assert_str_eq(json_string_value(json_object_get(resp, "name")), "testd");
	json_decref(resp);
}

/* --- no daemon --- */

/* connect(2) needs write permission on the socket file: the group (the
 * run directory's, the web side's user) gets it, others do not */
START_TEST(the_control_socket_lets_its_group_connect)
{
	void *zctx = zmq_ctx_new();
	struct ctl_server *srv = ctl_server_new(zctx, s_dir, "testd", s_handler, NULL);
	ck_assert_ptr_nonnull(srv);
	char path[512];
	snprintf(path, sizeof path, "%s/testd.ctl", s_dir);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0660);
	ctl_server_destroy(&srv);
	zmq_ctx_term(zctx);
}
END_TEST

START_TEST(request_without_a_socket_file_says_not_running_at_once)
{
	void *zctx = zmq_ctx_new();
	json_t *req = json_pack("{s:s}", "cmd", "status");
	char *gone = scratch_path(s_dir, "no-such-rundir");
	const char *rundirs[] = { s_dir, gone };
	for (size_t i = 0; i < 2; i++) {
		char err[256] = "";
		int64_t t0 = clock_mono_ms();
		json_t *resp = ctl_request(zctx, rundirs[i], "nosuchd", req, 5000, err, sizeof err);
		int64_t elapsed = clock_mono_ms() - t0;
		ck_assert_ptr_null(resp);
		ck_assert_str_eq(err, "not running");
		ck_assert_msg(elapsed < 200, "took %lld ms", (long long)elapsed);
	}
	free(gone);
	json_decref(req);
	zmq_ctx_term(zctx);
}
END_TEST

/* Things that can sit at <name>.ctl without answering. */
enum silent { SILENT_PLAIN_FILE, SILENT_NOT_LISTENING, SILENT_NEVER_ACCEPTS, SILENT_HUNG_REP, SILENT_COUNT };
static const char *const s_silent_names[] = { "a plain file", "a socket nobody listens on",
					      "a listening socket that never accepts", "a REP socket never served" };

static int s_unix_socket(const char *path, bool listening)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	ck_assert_uint_lt(strlen(path), sizeof a.sun_path);
	strcpy(a.sun_path, path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	if (listening)
		ck_assert_int_eq(listen(fd, 1), 0);
	return fd;
}

START_TEST(request_to_a_socket_nobody_answers_gives_up_after_the_timeout)
{
	void *zctx = zmq_ctx_new();
	char *path = scratch_path(s_dir, "silentd.ctl");
	int fd = -1;
	void *rep = NULL;
	switch ((enum silent)_i) {
	case SILENT_PLAIN_FILE:
		scratch_write(path, "");
		break;
	case SILENT_NOT_LISTENING:
		fd = s_unix_socket(path, false);
		break;
	case SILENT_NEVER_ACCEPTS:
		fd = s_unix_socket(path, true);
		break;
	case SILENT_HUNG_REP: {
		rep = zmq_socket(zctx, ZMQ_REP);
		int linger = 0;
		zmq_setsockopt(rep, ZMQ_LINGER, &linger, sizeof linger);
		char endpoint[512];
		snprintf(endpoint, sizeof endpoint, "ipc://%s", path);
		ck_assert_int_eq(zmq_bind(rep, endpoint), 0);
		break;
	}
	case SILENT_COUNT:
		break;
	}
	json_t *req = json_pack("{s:s}", "cmd", "status");
	char err[256] = "";
	int64_t t0 = clock_mono_ms();
	json_t *resp = ctl_request(zctx, s_dir, "silentd", req, TIMEOUT_MS, err, sizeof err);
	int64_t elapsed = clock_mono_ms() - t0;
	ck_assert_msg(resp == NULL, "%s answered", s_silent_names[_i]);
	char expect[64];
	snprintf(expect, sizeof expect, "no answer within %d ms", TIMEOUT_MS);
	ck_assert_msg(!strncmp(err, expect, strlen(expect)), "%s: \"%s\"", s_silent_names[_i], err);
	ck_assert_msg(elapsed < TIMEOUT_MS + MARGIN_MS, "%s: took %lld ms", s_silent_names[_i], (long long)elapsed);
	json_decref(req);
	if (fd >= 0)
		close(fd);
	if (rep)
		zmq_close(rep);
	zmq_ctx_term(zctx);
	free(path);
}
END_TEST

/* --- a real server --- */

START_TEST(server_answers_status_and_adds_ok)
{
	void *zctx = zmq_ctx_new();
	struct server sv;
	s_server_start(&sv, zctx);
	for (int i = 1; i <= 3; i++) {
		char err[256] = "";
		json_t *resp = s_request(zctx, "{\"cmd\":\"status\"}", err, sizeof err);
		ck_assert_msg(resp != NULL, "%s", err);
		ck_assert(json_is_true(json_object_get(resp, "ok")));
		ck_assert_str_eq(json_string_value(json_object_get(resp, "name")), "testd");
		ck_assert_int_eq(json_integer_value(json_object_get(resp, "calls")), i);
		json_decref(resp);
	}
	char err[256] = "";
	json_t *resp = s_request(zctx, "{\"cmd\":\"echo\",\"n\":[1,2,{\"x\":\"y\"}]}", err, sizeof err);
	ck_assert_msg(resp != NULL, "%s", err);
	json_t *expect = json_loads("{\"ok\":true,\"cmd\":\"echo\",\"n\":[1,2,{\"x\":\"y\"}]}", 0, NULL);
	ck_assert(json_equal(resp, expect));
	json_decref(expect);
	json_decref(resp);
	s_server_stop(&sv);
	ck_assert_int_eq(sv.calls, 4);
	zmq_ctx_term(zctx);
}
END_TEST

struct cmd_row {
	const char *request;
	const char *error; /* the "error" the answer must carry */
};

static const struct cmd_row s_failing_cmds[] = {
	{ "{\"cmd\":\"nonsense\"}", "unknown command \"nonsense\"" },
	{ "{\"cmd\":\"\"}", "unknown command \"\"" },
	{ "{\"cmd\":\"refuse\"}", "refused politely" },
	{ "{\"cmd\":\"fail_silently\"}", "command failed" },
};

START_TEST(server_answers_a_failing_command_with_ok_false_and_the_reason)
{
	void *zctx = zmq_ctx_new();
	struct server sv;
	s_server_start(&sv, zctx);
	const struct cmd_row *r = &s_failing_cmds[_i];
	char err[256] = "";
	json_t *resp = s_request(zctx, r->request, err, sizeof err);
	ck_assert_msg(resp != NULL, "%s: %s", r->request, err);
	ck_assert_msg(json_is_false(json_object_get(resp, "ok")), "%s: ok is not false", r->request);
	ck_assert_str_eq(json_string_value(json_object_get(resp, "error")), r->error);
	json_decref(resp);
	s_assert_status_works(zctx);
	s_server_stop(&sv);
	zmq_ctx_term(zctx);
}
END_TEST

/* Requests ctl_request cannot produce, sent from a raw REQ socket. */
struct raw_row {
	const char *name;
	const char *frames[3]; /* NULL-terminated */
	const char *error_has;
};

static const struct raw_row s_garbage[] = {
	{ "not JSON", { "garbage", NULL }, "not JSON" },
	{ "empty", { "", NULL }, "not JSON" },
	{ "truncated", { "{\"cmd\":", NULL }, "not JSON" },
	{ "duplicate keys", { "{\"cmd\":\"status\",\"cmd\":\"status\"}", NULL }, "not JSON" },
	{ "a JSON array", { "[\"status\"]", NULL }, "\"cmd\"" },
	{ "a JSON string", { "\"status\"", NULL }, "not JSON" },
	{ "missing cmd", { "{\"command\":\"status\"}", NULL }, "\"cmd\"" },
	{ "cmd not a string", { "{\"cmd\":5}", NULL }, "\"cmd\"" },
	{ "cmd null", { "{\"cmd\":null}", NULL }, "\"cmd\"" },
	{ "two frames", { "{\"cmd\":\"status\"}", "more", NULL }, "one frame" },
	{ "three frames", { "a", "b", "c" }, "one frame" },
};

/* Sends frames on a fresh REQ socket; the reply, malloc'd, or NULL. */
static char *s_raw_request(void *zctx, const char *const *frames, size_t nframes)
{
	void *req = zmq_socket(zctx, ZMQ_REQ);
	int linger = 0, timeout = 5000;
	zmq_setsockopt(req, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(req, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
	char endpoint[512];
	snprintf(endpoint, sizeof endpoint, "ipc://%s/testd.ctl", s_dir);
	ck_assert_int_eq(zmq_connect(req, endpoint), 0);
	for (size_t i = 0; i < nframes; i++)
		ck_assert_int_ge(zmq_send(req, frames[i], strlen(frames[i]), i + 1 < nframes ? ZMQ_SNDMORE : 0), 0);
	char *reply = NULL;
	zmq_msg_t m;
	zmq_msg_init(&m);
	if (zmq_msg_recv(&m, req, 0) >= 0)
		reply = strndup(zmq_msg_data(&m), zmq_msg_size(&m));
	zmq_msg_close(&m);
	zmq_close(req);
	return reply;
}

START_TEST(server_answers_garbage_with_an_error_and_stays_usable)
{
	void *zctx = zmq_ctx_new();
	struct server sv;
	s_server_start(&sv, zctx);
	const struct raw_row *r = &s_garbage[_i];
	size_t n = 0;
	while (n < 3 && r->frames[n])
		n++;
	char *reply = s_raw_request(zctx, r->frames, n);
	ck_assert_msg(reply != NULL, "%s: no answer", r->name);
	json_t *resp = json_loads(reply, 0, NULL);
	ck_assert_msg(json_is_object(resp), "%s: answer \"%s\" is not an object", r->name, reply);
	ck_assert_msg(json_is_false(json_object_get(resp, "ok")), "%s: answer %s", r->name, reply);
	const char *error = json_string_value(json_object_get(resp, "error"));
	ck_assert_msg(error && strstr(error, r->error_has), "%s: error \"%s\" lacks %s", r->name, error, r->error_has);
	json_decref(resp);
	free(reply);
	s_assert_status_works(zctx);
	s_server_stop(&sv);
	ck_assert_int_eq(sv.calls, 1); /* only the status: garbage never reaches the handler */
	zmq_ctx_term(zctx);
}
END_TEST

/* A request of exactly len bytes of JSON: {"cmd":"status","pad":"xx..."}. */
static char *s_padded(size_t len)
{
	const char *head = "{\"cmd\":\"status\",\"pad\":\"", *tail = "\"}";
	size_t fixed = strlen(head) + strlen(tail);
	ck_assert_uint_ge(len, fixed);
	char *text = malloc(len + 1);
	ck_assert_ptr_nonnull(text);
	strcpy(text, head);
	memset(text + strlen(head), 'x', len - fixed);
	strcpy(text + len - strlen(tail), tail);
	ck_assert_uint_eq(strlen(text), len);
	return text;
}

/* The answer's "error", "" for ok:true, or NULL when there is none. */
static char *s_said(char *reply)
{
	if (!reply)
		return NULL;
	json_t *resp = json_loads(reply, 0, NULL);
	ck_assert_msg(resp != NULL, "answer \"%.80s\" is not JSON", reply);
	free(reply);
	char *said = strdup(json_is_true(json_object_get(resp, "ok")) ? ""
								    : json_string_value(json_object_get(resp, "error")));
	json_decref(resp);
	return said;
}

/* Request sizes around the limits, and the answer each gets: a request
 * over CTL_REQUEST_MAX is answered "too large" (once it got no answer at
 * all, and the daemon logged nothing: it looked hung); over 1 MiB ZeroMQ
 * drops the peer unanswered, and the server carries on. */
static const struct {
	size_t len;
	const char *said; /* "" ok, NULL no answer */
} s_sizes[] = {
	{ CTL_REQUEST_MAX, "" },
	{ CTL_REQUEST_MAX + 1, "request too large: 65537 bytes (limit 65536 bytes)" },
	{ 16 * CTL_REQUEST_MAX, "request too large: 1048576 bytes (limit 65536 bytes)" },
	{ 16 * CTL_REQUEST_MAX + 1, NULL },
};

START_TEST(a_request_over_the_limit_is_answered_too_large_and_the_server_carries_on)
{
	void *zctx = zmq_ctx_new();
	struct server sv;
	s_server_start(&sv, zctx);
	char *text = s_padded(s_sizes[_i].len);
	char *said = s_said(s_raw_request(zctx, (const char *const[]){ text }, 1));
	if (s_sizes[_i].said)
		ck_assert_msg(said && !strcmp(said, s_sizes[_i].said), "%zu bytes: \"%s\"", s_sizes[_i].len,
			      said ? said : "(no answer)");
	else
		ck_assert_msg(said == NULL, "%zu bytes: \"%s\"", s_sizes[_i].len, said);
	free(said);
	free(text);
	s_assert_status_works(zctx);
	s_server_stop(&sv);
	zmq_ctx_term(zctx);
}
END_TEST

/* ctl_request does not send what the daemon would refuse, and says so in
 * the same words.  Past 1 MiB the daemon would not answer at all, so a
 * reason before the timeout shows nothing was sent. */
START_TEST(ctl_request_refuses_an_oversized_request_itself_at_once)
{
	void *zctx = zmq_ctx_new();
	struct server sv;
	s_server_start(&sv, zctx);
	char *text = s_padded(16 * CTL_REQUEST_MAX + 1);
	json_t *req = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(req);
	char err[256] = "";
	int64_t t0 = clock_mono_ms();
	json_t *resp = ctl_request(zctx, s_dir, "testd", req, 5000, err, sizeof err);
	int64_t elapsed = clock_mono_ms() - t0;
	ck_assert_ptr_null(resp);
	ck_assert_str_eq(err, "request too large: 1048577 bytes (limit 65536 bytes)");
	ck_assert_msg(elapsed < 5000, "took %lld ms: it was sent", (long long)elapsed);
	json_decref(resp);
	json_decref(req);
	free(text);
	s_assert_status_works(zctx);
	s_server_stop(&sv);
	ck_assert_int_eq(sv.calls, 1); /* only the status */
	zmq_ctx_term(zctx);
}
END_TEST

START_TEST(a_new_server_replaces_a_stale_socket_file)
{
	char *path = scratch_path(s_dir, "testd.ctl");
	scratch_write(path, "left by a killed daemon");
	void *zctx = zmq_ctx_new();
	struct server sv;
	s_server_start(&sv, zctx);
	s_assert_status_works(zctx);
	s_server_stop(&sv);
	ck_assert_msg(access(path, F_OK) < 0, "destroy left the socket file");
	zmq_ctx_term(zctx);
	free(path);
}
END_TEST

START_TEST(ctl_error_builds_ok_false_with_the_message)
{
	json_t *e = ctl_error("boom");
	json_t *expect = json_loads("{\"ok\":false,\"error\":\"boom\"}", 0, NULL);
	ck_assert(json_equal(e, expect));
	json_decref(expect);
	json_decref(e);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc = tcase_create("client");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, request_without_a_socket_file_says_not_running_at_once);
	tcase_add_test(tc, the_control_socket_lets_its_group_connect);
	tcase_add_loop_test(tc, request_to_a_socket_nobody_answers_gives_up_after_the_timeout, 0, SILENT_COUNT);
	suite_add_tcase(s, tc);

	tc = tcase_create("server");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, server_answers_status_and_adds_ok);
	tcase_add_loop_test(tc, server_answers_a_failing_command_with_ok_false_and_the_reason, 0,
			    (int)(sizeof s_failing_cmds / sizeof s_failing_cmds[0]));
	tcase_add_loop_test(tc, server_answers_garbage_with_an_error_and_stays_usable, 0,
			    (int)(sizeof s_garbage / sizeof s_garbage[0]));
	tcase_add_loop_test(tc, a_request_over_the_limit_is_answered_too_large_and_the_server_carries_on, 0,
			    (int)(sizeof s_sizes / sizeof s_sizes[0]));
	tcase_add_test(tc, ctl_request_refuses_an_oversized_request_itself_at_once);
	tcase_add_test(tc, a_new_server_replaces_a_stale_socket_file);
	tcase_add_test(tc, ctl_error_builds_ok_false_with_the_message);
	suite_add_tcase(s, tc);
	return s;
}

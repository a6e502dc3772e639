/* ctl: see ctl.h. */
#include "ctl.h"

#include "clock.h"
#include "daemon.h"
#include "ipc.h"
#include "log.h"
#include "msg.h"
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

/* What the server's socket takes before ZeroMQ drops the peer: requests
 * over CTL_REQUEST_MAX up to this size are still received, to be answered
 * "too large" rather than left to time out. */
#define CTL_RECEIVE_MAX (16 * CTL_REQUEST_MAX)

struct ctl_server {
	void *sock;
	char *path;
	ctl_handler_fn handler;
	void *ud;
};

struct ctl_server *ctl_server_new(void *zctx, const char *rundir, const char *name, ctl_handler_fn handler,
				  void *ud)
{
	struct ctl_server *srv = calloc(1, sizeof *srv);
	if (!srv)
		return NULL;
	srv->handler = handler;
	srv->ud = ud;
	srv->sock = ipc_bind(zctx, ZMQ_REP, rundir, name, "ctl", CTL_RECEIVE_MAX, &srv->path);
	if (!srv->sock) {
		free(srv);
		return NULL;
	}
	return srv;
}

void ctl_server_destroy(struct ctl_server **srvp)
{
	struct ctl_server *srv = *srvp;
	if (!srv)
		return;
	ipc_close(&srv->sock, &srv->path);
	free(srv);
	*srvp = NULL;
}

void *ctl_server_socket(struct ctl_server *srv)
{
	return srv->sock;
}

json_t *ctl_error(const char *msg)
{
	return json_pack("{s:b,s:s}", "ok", 0, "error", msg);
}

static void s_too_large_text(char *msg, size_t msglen, size_t len)
{
	snprintf(msg, msglen, "request too large: %zu bytes (limit %d bytes)", len, CTL_REQUEST_MAX);
}

static json_t *s_too_large(size_t len)
{
	char msg[128];
	s_too_large_text(msg, sizeof msg, len);
	return ctl_error(msg);
}

/* Whether a request may go to the socket at path: 0, or -1 with why.
 * ZeroMQ would happily wait for a socket that never appears, or retry a
 * connection refused for want of permission until the timeout: both are
 * known now (connecting to a Unix socket needs write access to it,
 * unix(7)). */
static int s_may_connect(const char *path, char *why, size_t whylen)
{
	if (access(path, W_OK) == 0)
		return 0;
	if (errno == ENOENT)
		snprintf(why, whylen, "not running");
	else if (errno == EACCES)
		snprintf(why, whylen, "permission denied: %s (this user may not connect to it)", path);
	else
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
	return -1;
}

json_t *ctl_answer(const void *data, size_t len, ctl_handler_fn handler, void *ud)
{
	if (len > CTL_REQUEST_MAX) {
		log_warn("control request of %zu bytes refused (limit %d)", len, CTL_REQUEST_MAX);
		return s_too_large(len);
	}
	json_error_t jerr;
	json_t *req = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req) {
		char msg[256];
		snprintf(msg, sizeof msg, "request is not JSON: %s", jerr.text);
		return ctl_error(msg);
	}
	json_t *resp;
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	if (!json_is_object(req) || !cmd) {
		resp = ctl_error("request must be an object with a string \"cmd\"");
	} else {
		char err[512] = "";
		resp = handler(cmd, req, ud, err, sizeof err);
		if (!resp)
			resp = ctl_error(err[0] ? err : "command failed");
		else if (!json_object_get(resp, "ok"))
			json_object_set_new(resp, "ok", json_true());
	}
	json_decref(req);
	return resp;
}

void ctl_server_serve(struct ctl_server *srv)
{
	for (;;) {
		zmq_msg_t m;
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, srv->sock, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			return;
		}
		/* a REQ peer sends one frame; anything more is drained and
		 * answered as an error so the REP state machine stays sane */
		bool multi = zmq_msg_more(&m);
		json_t *resp = multi ? ctl_error("request must be one frame")
				     : ctl_answer(zmq_msg_data(&m), zmq_msg_size(&m), srv->handler, srv->ud);
		zmq_msg_close(&m);
		while (multi) {
			zmq_msg_t rest;
			zmq_msg_init(&rest);
			zmq_msg_recv(&rest, srv->sock, 0);
			multi = zmq_msg_more(&rest);
			zmq_msg_close(&rest);
		}
		char *text = json_dumps(resp, MSG_JSON_FLAGS);
		json_decref(resp);
		if (!text)
			text = strdup("{\"ok\":false,\"error\":\"response cannot be serialised\"}");
		if (zmq_send(srv->sock, text, strlen(text), 0) < 0)
			log_warn("control reply: %s", zmq_strerror(zmq_errno()));
		free(text);
	}
}

/* An answer's bytes as the response object, or NULL with the reason. */
static json_t *s_parse_answer(const void *data, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *resp = json_loadb(data, len, 0, &jerr);
	if (!resp) {
		snprintf(err, errlen, "answer is not JSON: %s", jerr.text);
	} else if (!json_is_object(resp) || !json_is_boolean(json_object_get(resp, "ok"))) {
		snprintf(err, errlen, "answer is not an object with \"ok\"");
		json_decref(resp);
		resp = NULL;
	}
	return resp;
}

json_t *ctl_request(void *zctx, const char *rundir, const char *name, json_t *request, int timeout_ms,
		    char *err, size_t errlen)
{
	char endpoint[256];
	if (paths_endpoint(endpoint, sizeof endpoint, rundir, name, "ctl") < 0) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return NULL;
	}
	if (s_may_connect(endpoint + strlen("ipc://"), err, errlen) < 0)
		return NULL;
	char *text = json_dumps(request, MSG_JSON_FLAGS);
	if (!text) {
		snprintf(err, errlen, "request cannot be serialised");
		return NULL;
	}
	size_t len = strlen(text);
	if (len > CTL_REQUEST_MAX) { /* what the daemon would refuse */
		s_too_large_text(err, errlen, len);
		free(text);
		return NULL;
	}
	json_t *resp = NULL;
	void *sock = zmq_socket(zctx, ZMQ_REQ);
	if (!sock) {
		snprintf(err, errlen, "socket: %s", zmq_strerror(zmq_errno()));
		free(text);
		return NULL;
	}
	int linger = 0;
	zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(sock, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms);
	zmq_setsockopt(sock, ZMQ_SNDTIMEO, &timeout_ms, sizeof timeout_ms);
	if (zmq_connect(sock, endpoint) < 0) {
		snprintf(err, errlen, "connect %s: %s", endpoint, zmq_strerror(zmq_errno()));
		goto out;
	}
	if (zmq_send(sock, text, len, 0) < 0) {
		snprintf(err, errlen, "no answer within %d ms (send)", timeout_ms);
		goto out;
	}
	zmq_msg_t m;
	zmq_msg_init(&m);
	if (zmq_msg_recv(&m, sock, 0) < 0) {
		snprintf(err, errlen, zmq_errno() == EAGAIN ? "no answer within %d ms" : "receive failed (%d ms)",
			 timeout_ms);
		zmq_msg_close(&m);
		goto out;
	}
	resp = s_parse_answer(zmq_msg_data(&m), zmq_msg_size(&m), err, errlen);
	zmq_msg_close(&m);
out:
	free(text);
	zmq_close(sock);
	return resp;
}

/* ---- the client that never stops a loop ---- */

/* requests queued for a peer that does not read them (hung, not dead):
 * beyond this a call fails at once instead of piling up */
#define CLIENT_QUEUE_MAX 64

struct ctl_call {
	uint64_t id;
	int64_t deadline_ms;
	int timeout_ms;
	char failed[384]; /* not sent: fails with this at its deadline (now) */
	ctl_answer_fn fn;
	void *ud;
};

struct ctl_client {
	struct daemon *d;
	void *sock;
	char *path; /* the peer's socket file: missing means not running */
	struct daemon_timer *timer;
	uint64_t last_id;
	struct ctl_call *calls;
	size_t n, cap;
};

/* Sets the one-shot timer for the earliest deadline; none without calls. */
static void s_arm(struct ctl_client *c)
{
	if (!c->n) {
		daemon_timer_cancel(c->timer);
		return;
	}
	int64_t now = clock_mono_ms(), next = c->calls[0].deadline_ms;
	for (size_t i = 1; i < c->n; i++)
		if (c->calls[i].deadline_ms < next)
			next = c->calls[i].deadline_ms;
	daemon_timer_reset(c->timer, next > now ? next - now : 0, 0);
}

/* Takes call i out of the list (its fn is the caller's to call). */
static struct ctl_call s_take(struct ctl_client *c, size_t i)
{
	struct ctl_call call = c->calls[i];
	c->calls[i] = c->calls[--c->n];
	return call;
}

/* Every answer waiting on the socket: [id][empty][body], as REP returns
 * the envelope it was sent. */
static void s_on_answer(struct daemon *d, void *ud)
{
	(void)d;
	struct ctl_client *c = ud;
	for (;;) {
		zmq_msg_t part[3];
		int nparts = 0, more = 1;
		while (more) {
			zmq_msg_t m;
			zmq_msg_init(&m);
			if (zmq_msg_recv(&m, c->sock, ZMQ_DONTWAIT) < 0) {
				zmq_msg_close(&m);
				for (int k = 0; k < nparts; k++)
					zmq_msg_close(&part[k]);
				return; /* nothing (more) waiting */
			}
			more = zmq_msg_more(&m);
			if (nparts < 3)
				part[nparts++] = m;
			else
				zmq_msg_close(&m);
		}
		uint64_t id = 0;
		if (nparts == 3 && zmq_msg_size(&part[0]) == sizeof id && zmq_msg_size(&part[1]) == 0)
			memcpy(&id, zmq_msg_data(&part[0]), sizeof id);
		size_t i = 0;
		while (i < c->n && c->calls[i].id != id)
			i++;
		if (id && i < c->n) { /* else late (timed out, cancelled) or not ours */
			struct ctl_call call = s_take(c, i);
			s_arm(c);
			char err[256] = "";
			json_t *answer = s_parse_answer(zmq_msg_data(&part[2]), zmq_msg_size(&part[2]), err, sizeof err);
			call.fn(answer, answer ? NULL : err, call.ud);
			json_decref(answer);
		}
		for (int k = 0; k < nparts; k++)
			zmq_msg_close(&part[k]);
	}
}

/* Fails every call whose deadline passed, one at a time: a fn may start
 * or cancel calls. */
static void s_on_deadline(struct daemon *d, void *ud)
{
	(void)d;
	struct ctl_client *c = ud;
	for (;;) {
		int64_t now = clock_mono_ms();
		size_t i = 0;
		while (i < c->n && c->calls[i].deadline_ms > now)
			i++;
		if (i == c->n)
			break;
		struct ctl_call call = s_take(c, i);
		char err[sizeof call.failed];
		if (call.failed[0])
			snprintf(err, sizeof err, "%s", call.failed);
		else
			snprintf(err, sizeof err, "no answer within %d ms", call.timeout_ms);
		call.fn(NULL, err, call.ud);
	}
	s_arm(c);
}

struct ctl_client *ctl_client_new(struct daemon *d, const char *rundir, const char *name)
{
	char endpoint[256];
	if (paths_endpoint(endpoint, sizeof endpoint, rundir, name, "ctl") < 0)
		return NULL;
	struct ctl_client *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->d = d;
	c->path = strdup(endpoint + strlen("ipc://"));
	c->sock = zmq_socket(daemon_zctx(d), ZMQ_DEALER);
	if (!c->path || !c->sock)
		goto fail;
	int linger = 0, hwm = CLIENT_QUEUE_MAX;
	zmq_setsockopt(c->sock, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(c->sock, ZMQ_SNDHWM, &hwm, sizeof hwm);
	if (zmq_connect(c->sock, endpoint) < 0) {
		errno = zmq_errno();
		goto fail;
	}
	if (!(c->timer = daemon_timer_once(d, s_on_deadline, c)))
		goto fail;
	if (daemon_watch_socket(d, c->sock, s_on_answer, c) < 0) {
		daemon_timer_destroy(d, &c->timer);
		goto fail;
	}
	return c;
fail:
	if (c->sock)
		zmq_close(c->sock);
	free(c->path);
	free(c);
	return NULL;
}

void ctl_client_destroy(struct ctl_client **cp)
{
	struct ctl_client *c = *cp;
	if (!c)
		return;
	daemon_unwatch(c->d, c->sock, -1);
	daemon_timer_destroy(c->d, &c->timer);
	zmq_close(c->sock);
	free(c->calls);
	free(c->path);
	free(c);
	*cp = NULL;
}

/* Sends [id][empty][text] without waiting; -1 with the reason. */
static int s_send_call(struct ctl_client *c, uint64_t id, const json_t *request, char *why, size_t whylen)
{
	/* ZeroMQ would queue for a peer that never comes */
	if (s_may_connect(c->path, why, whylen) < 0)
		return -1;
	char *text = json_dumps(request, MSG_JSON_FLAGS);
	if (!text) {
		snprintf(why, whylen, "request cannot be serialised");
		return -1;
	}
	if (strlen(text) > CTL_REQUEST_MAX) { /* what the peer would refuse */
		s_too_large_text(why, whylen, strlen(text));
		free(text);
		return -1;
	}
	int rc = zmq_send(c->sock, &id, sizeof id, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
			 zmq_send(c->sock, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
			 zmq_send(c->sock, text, strlen(text), ZMQ_DONTWAIT) < 0
		 ? -1
		 : 0;
	if (rc < 0)
		snprintf(why, whylen, "cannot send: %s", zmq_errno() == EAGAIN ? "too many requests waiting"
									     : zmq_strerror(zmq_errno()));
	free(text);
	return rc;
}

uint64_t ctl_client_call(struct ctl_client *c, const json_t *request, int timeout_ms, ctl_answer_fn fn, void *ud)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct ctl_call *p = realloc(c->calls, cap * sizeof *p);
		if (!p)
			log_fatal(EXIT_TEMPORARY, "out of memory for a control call");
		c->calls = p;
		c->cap = cap;
	}
	struct ctl_call *call = &c->calls[c->n++];
	*call = (struct ctl_call){ .id = ++c->last_id, .timeout_ms = timeout_ms, .fn = fn, .ud = ud,
				   .deadline_ms = clock_mono_ms() + timeout_ms };
	/* a call that cannot go fails from the loop too, never in here */
	if (s_send_call(c, call->id, request, call->failed, sizeof call->failed) < 0)
		call->deadline_ms = clock_mono_ms();
	s_arm(c);
	return call->id;
}

void ctl_client_cancel(struct ctl_client *c, uint64_t id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->calls[i].id == id) {
			s_take(c, i);
			s_arm(c);
			return;
		}
}

size_t ctl_client_pending(const struct ctl_client *c)
{
	return c->n;
}

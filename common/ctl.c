/* ctl: see ctl.h. */
#include "ctl.h"

#include "log.h"
#include "msg.h"
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

struct ctl_server {
	void *sock;
	char *path;
	ctl_handler_fn handler;
	void *ud;
};

struct ctl_server *ctl_server_new(void *zctx, const char *rundir, const char *name, ctl_handler_fn handler,
				  void *ud)
{
	char endpoint[256];
	if (paths_endpoint(endpoint, sizeof endpoint, rundir, name, "ctl") < 0) {
		log_error("control endpoint for %s in %s: %s", name, rundir, strerror(errno));
		return NULL;
	}
	if (mkdir(rundir, 0755) < 0 && errno != EEXIST) {
		log_error("cannot create %s: %s", rundir, strerror(errno));
		return NULL;
	}
	struct ctl_server *srv = calloc(1, sizeof *srv);
	if (!srv)
		return NULL;
	srv->handler = handler;
	srv->ud = ud;
	srv->path = strdup(endpoint + strlen("ipc://"));
	srv->sock = zmq_socket(zctx, ZMQ_REP);
	if (!srv->path || !srv->sock)
		goto fail;
	int linger = 0;
	zmq_setsockopt(srv->sock, ZMQ_LINGER, &linger, sizeof linger);
	int64_t maxmsg = CTL_REQUEST_MAX;
	zmq_setsockopt(srv->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
	unlink(srv->path);
	if (zmq_bind(srv->sock, endpoint) < 0) {
		log_error("cannot bind %s: %s", endpoint, zmq_strerror(zmq_errno()));
		goto fail;
	}
	return srv;
fail:
	if (srv->sock)
		zmq_close(srv->sock);
	free(srv->path);
	free(srv);
	return NULL;
}

void ctl_server_destroy(struct ctl_server **srvp)
{
	struct ctl_server *srv = *srvp;
	if (!srv)
		return;
	zmq_close(srv->sock);
	unlink(srv->path);
	free(srv->path);
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

json_t *ctl_answer(const void *data, size_t len, ctl_handler_fn handler, void *ud)
{
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

json_t *ctl_request(void *zctx, const char *rundir, const char *name, json_t *request, int timeout_ms,
		    char *err, size_t errlen)
{
	char endpoint[256];
	if (paths_endpoint(endpoint, sizeof endpoint, rundir, name, "ctl") < 0) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return NULL;
	}
	/* ZeroMQ would happily wait for a socket that never appears */
	if (access(endpoint + strlen("ipc://"), F_OK) < 0) {
		snprintf(err, errlen, "not running");
		return NULL;
	}
	json_t *resp = NULL;
	char *text = NULL;
	void *sock = zmq_socket(zctx, ZMQ_REQ);
	if (!sock) {
		snprintf(err, errlen, "socket: %s", zmq_strerror(zmq_errno()));
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
	text = json_dumps(request, MSG_JSON_FLAGS);
	if (!text || zmq_send(sock, text, strlen(text), 0) < 0) {
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
	json_error_t jerr;
	resp = json_loadb(zmq_msg_data(&m), zmq_msg_size(&m), 0, &jerr);
	zmq_msg_close(&m);
	if (!resp) {
		snprintf(err, errlen, "answer is not JSON: %s", jerr.text);
	} else if (!json_is_object(resp) || !json_is_boolean(json_object_get(resp, "ok"))) {
		snprintf(err, errlen, "answer is not an object with \"ok\"");
		json_decref(resp);
		resp = NULL;
	}
out:
	free(text);
	zmq_close(sock);
	return resp;
}

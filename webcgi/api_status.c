/* api_status: System Status, the probes tempd sees and the Alarms page's
 * state and test e-mail, asked of the
 * daemons on their control sockets (common/ctl.h).  A daemon that is down
 * answers "not running" at once (its socket is gone); one that hangs gets
 * at most S_ASK_MS, and all of them together S_BUDGET_MS, so a page never
 * waits more than a second. */
#include "api.h"

#include "body.h"
#include "bus.h"
#include "clock.h"
#include "ctl.h"
#include "disk.h"
#include "paths.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#define S_ASK_MS 300
#define S_BUDGET_MS 900

struct ask {
	void *zctx;
	int64_t deadline_ms;
};

static json_t *s_ask(struct ask *q, const char *name, char *err, size_t errlen)
{
	int64_t left = q->deadline_ms - clock_mono_ms();
	if (left <= 0) {
		snprintf(err, errlen, "not asked: the others took a second");
		return NULL;
	}
	json_t *req = json_pack("{s:s}", "cmd", "status");
	json_t *resp = ctl_request(q->zctx, paths_rundir(), name, req, left < S_ASK_MS ? (int)left : S_ASK_MS, err,
				   errlen);
	json_decref(req);
	return resp;
}

/* The fields of each element of list named in keys, as a new list. */
static json_t *s_pick(const json_t *list, const char *const *keys)
{
	json_t *out = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		json_t *o = json_object();
		for (const char *const *k = keys; *k; k++) {
			json_t *v = json_object_get(e, *k);
			json_object_set(o, *k, v ? v : json_null());
		}
		json_array_append_new(out, o);
	}
	return out;
}

static json_t *s_daemon(const char *name, json_t *st, const char *err)
{
	if (!st)
		return json_pack("{s:s,s:b,s:s}", "name", name, "running", 0, "error", err);
	json_t *o = json_pack("{s:s,s:b}", "name", name, "running", 1);
	static const char *const keys[] = { "uptime_s", "state", "config", "fault", "pid", "version", NULL };
	for (const char *const *k = keys; *k; k++) {
		json_t *v = json_object_get(st, *k);
		json_object_set(o, *k, v ? v : json_null());
	}
	return o;
}

void api_status(struct api *a)
{
	struct ask q = { .zctx = zmq_ctx_new(), .deadline_ms = clock_mono_ms() + S_BUDGET_MS };
	json_t *daemons = json_array(), *uploads = NULL, *mqtt = NULL;
	for (const char *const *n = bus_daemon_names; *n; n++) {
		char err[256];
		json_t *st = s_ask(&q, *n, err, sizeof err);
		json_array_append_new(daemons, s_daemon(*n, st, err));
		if (!strcmp(*n, "uploadd")) {
			static const char *const keys[] = { "name", "enabled", "state", "backlog", "last_success",
							    "last_error", NULL };
			uploads = st ? s_pick(json_object_get(st, "targets"), keys)
				     : json_pack("{s:s}", "error", err);
		} else if (!strcmp(*n, "mqttd")) {
			static const char *const keys[] = { "title", "enabled", "connected", "state", "last_error",
							    NULL };
			mqtt = st ? s_pick(json_object_get(st, "instances"), keys) : json_pack("{s:s}", "error", err);
		}
		json_decref(st);
	}
	zmq_ctx_term(q.zctx);
	json_t *clock = json_pack("{s:I,s:b,s:b}", "time", (json_int_t)floor(clock_wall()), "synchronised",
				  clock_wall_synchronised(true), "plausible", clock_wall_synchronised(false));
	api_reply(a, 200, json_pack("{s:o,s:o,s:o,s:o,s:o}", "daemons", daemons, "disk", disk_usage(paths_datadir()), "uploads", uploads,
				    "mqtt", mqtt, "clock", clock));
}

json_t *api_daemon_status(struct api *a, const char *name)
{
	struct ask q = { .zctx = zmq_ctx_new(), .deadline_ms = clock_mono_ms() + S_BUDGET_MS };
	char err[256], msg[300];
	json_t *st = s_ask(&q, name, err, sizeof err);
	zmq_ctx_term(q.zctx);
	if (!st) {
		snprintf(msg, sizeof msg, "%s: %s", name, err);
		api_error(a, 503, msg, NULL, NULL);
	}
	return st;
}

void api_probes(struct api *a)
{
	json_t *st = api_daemon_status(a, "tempd");
	if (!st)
		return;
	static const char *const keys[] = { "id", "state", "configured", "T", "first_seen", NULL };
	static const char *const found[] = { "id", "first_seen", NULL };
	json_t *doc = json_pack("{s:o,s:o}", "probes", s_pick(json_object_get(st, "probes"), keys), "found",
				s_pick(json_object_get(st, "found"), found));
	json_decref(st);
	api_reply(a, 200, doc);
}

void api_alarms(struct api *a)
{
	json_t *st = api_daemon_status(a, "alarmd");
	if (!st)
		return;
	json_t *doc = json_object();
	static const char *const keys[] = { "rules", "log", "deliveries", "smtp", "test_email", "fault", NULL };
	for (const char *const *k = keys; *k; k++) {
		json_t *v = json_object_get(st, *k);
		if (v)
			json_object_set(doc, *k, v);
	}
	json_decref(st);
	api_reply(a, 200, doc);
}

void api_alarms_test_email(struct api *a)
{
	json_t *body;
	char err[256];
	if (body_json(a->body, a->body_len, &body, err, sizeof err)) {
		api_error(a, 400, err, NULL, NULL);
		return;
	}
	json_t *to = json_object_get(body, "to");
	if (!json_is_string(to)) {
		json_decref(body);
		api_error(a, 400, "to: must be an e-mail address", "to", NULL);
		return;
	}
	json_t *req = json_pack("{s:s,s:O}", "cmd", "test-email", "to", to);
	json_decref(body);
	api_daemon_command(a, "alarmd", req, "to");
}

void api_daemon_command(struct api *a, const char *name, json_t *req, const char *field)
{
	char err[256], msg[300];
	void *zctx = zmq_ctx_new();
	json_t *resp = ctl_request(zctx, paths_rundir(), name, req, S_BUDGET_MS, err, sizeof err);
	zmq_ctx_term(zctx);
	json_decref(req);
	if (!resp) {
		snprintf(msg, sizeof msg, "%s: %s", name, err);
		api_error(a, 503, msg, NULL, NULL);
		return;
	}
	if (!json_is_true(json_object_get(resp, "ok"))) {
		const char *e = json_string_value(json_object_get(resp, "error"));
		e = e ? e : "refused";
		size_t n = field ? strlen(field) : 0;
		bool on_field = n && !strncmp(e, field, n) && e[n] == ':';
		api_error(a, strncmp(e, "busy", 4) ? 400 : 409, e, on_field ? field : NULL, NULL);
		json_decref(resp);
		return;
	}
	json_object_del(resp, "ok");
	api_reply(a, 202, resp);
}

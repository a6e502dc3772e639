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
#include "config_keys.h"
#include "ctl.h"
#include "disk.h"
#include "paths.h"

#include "form.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The fields of st named in keys (null when absent), as a new object. */
static json_t *s_fields(const json_t *st, const char *const *keys)
{
	json_t *o = json_object();
	for (const char *const *k = keys; *k; k++) {
		json_t *v = json_object_get(st, *k);
		json_object_set(o, *k, v ? v : json_null());
	}
	return o;
}

/* The fields of each element of list named in keys, as a new list. */
static json_t *s_pick(const json_t *list, const char *const *keys)
{
	json_t *out = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) json_array_append_new(out, s_fields(e, keys));
	return out;
}

static json_t *s_daemon(const char *name, json_t *st, const char *err)
{
	if (!st)
		return json_pack("{s:s,s:b,s:s}", "name", name, "running", 0, "error", err);
	static const char *const keys[] = { "uptime_s", "state", "config", "fault", "pid", "version", NULL };
	json_t *o = s_fields(st, keys);
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "running", json_true());
	return o;
}

/* The clock as the daemons judge it (common/clock.h, the one rule, with
 * the config's network.require_ntp_sync), and the time now. */
static json_t *s_clock(void)
{
	struct config *cfg = config_load(paths_config(), NULL);
	struct clock_sync cs;
	clock_sync_read(&cs, cfg && cfg_network_require_ntp_sync(cfg));
	config_destroy(&cfg);
	json_t *o = clock_sync_json(&cs);
	json_object_set_new(o, "time", json_integer((json_int_t)floor(clock_wall())));
	json_object_set_new(o, "synchronised", json_boolean(cs.state == CLOCK_SYNCHRONISED));
	json_object_set_new(o, "plausible", json_boolean(cs.state != CLOCK_IMPLAUSIBLE));
	return o;
}

void api_status(struct api *a)
{
	struct ask q = { .zctx = zmq_ctx_new(), .deadline_ms = clock_mono_ms() + S_BUDGET_MS };
	json_t *daemons = json_array(), *uploads = NULL, *mqtt = NULL, *panel = NULL, *update = NULL;
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
		} else if (!strcmp(*n, "updated")) {
			static const char *const keys[] = { "package", "installed", "candidate", "update_available",
							    "checked", "check_error", "next_check", "job", "update",
							    NULL };
			update = st ? s_fields(st, keys) : json_pack("{s:s}", "error", err);
		} else if (!strcmp(*n, "paneld")) {
			json_t *led = json_object_get(st, "led");
			panel = led ? json_pack("{s:O?,s:O?}", "pattern", json_object_get(led, "pattern"), "reason",
						json_object_get(led, "reason"))
				    : json_pack("{s:s}", "error", st ? "no LED state" : err);
		}
		json_decref(st);
	}
	zmq_ctx_term(q.zctx);
	json_t *clock = s_clock();
	api_reply(a, 200, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "daemons", daemons, "disk",
				    disk_usage(paths_datadir()), "uploads", uploads, "mqtt", mqtt, "clock", clock, "panel",
				    panel, "update", update));
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
	static const char *const keys[] = { "rules", "alarm_log", "deliveries", "smtp", "test_email", "fault", NULL };
	for (const char *const *k = keys; *k; k++) {
		json_t *v = json_object_get(st, *k);
		if (v)
			json_object_set(doc, *k, v);
	}
	json_decref(st);
	api_reply(a, 200, doc);
}

/* Sends req (taken) to the daemon name.  Its answer, without "ok", when
 * it says ok; NULL with its error in why when it refuses; NULL with why
 * empty after answering 503 "<name>: why" when it does not answer. */
static json_t *s_command(struct api *a, const char *name, json_t *req, char *why, size_t whylen)
{
	char err[256], msg[300];
	why[0] = '\0';
	void *zctx = zmq_ctx_new();
	json_t *resp = ctl_request(zctx, paths_rundir(), name, req, S_BUDGET_MS, err, sizeof err);
	zmq_ctx_term(zctx);
	json_decref(req);
	if (!resp) {
		snprintf(msg, sizeof msg, "%s: %s", name, err);
		api_error(a, 503, msg, NULL, NULL);
		return NULL;
	}
	if (!json_is_true(json_object_get(resp, "ok"))) {
		const char *e = json_string_value(json_object_get(resp, "error"));
		snprintf(why, whylen, "%s", e && *e ? e : "refused");
		json_decref(resp);
		return NULL;
	}
	json_object_del(resp, "ok");
	return resp;
}

/* A whole number query parameter in [min, max]: 1 and *out when given,
 * 0 when absent, -1 after answering 400 naming it. */
static int s_query_int(struct api *a, const char *name, long long min, long long max, long long *out)
{
	char v[32], *end, msg[160];
	const char *q = a->w.req.query;
	int rc = form_get(q, strlen(q), name, v, sizeof v);
	if (rc == 0)
		return 0;
	errno = 0;
	long long x = rc > 0 ? strtoll(v, &end, 10) : 0;
	if (rc < 0 || !v[0] || *end || errno || x < min || x > max) {
		snprintf(msg, sizeof msg, "%s: must be a whole number %lld..%lld", name, min, max);
		api_error(a, 400, msg, name, NULL);
		return -1;
	}
	*out = x;
	return 1;
}

void api_alarms_log(struct api *a)
{
	long long max = 100, before = 0;
	if (s_query_int(a, "max", 1, 100, &max) < 0 || s_query_int(a, "before", 1, LLONG_MAX, &before) < 0)
		return;
	json_t *req = json_pack("{s:s,s:I}", "cmd", "alarm-log", "max", (json_int_t)max);
	if (before)
		json_object_set_new(req, "before", json_integer(before));
	char why[256], msg[300];
	json_t *resp = s_command(a, "storaged", req, why, sizeof why);
	if (resp) {
		api_reply(a, 200, resp);
	} else if (why[0]) {
		snprintf(msg, sizeof msg, "storaged: %s", why);
		api_error(a, 503, msg, NULL, NULL);
	}
}

void api_alarms_test_email(struct api *a)
{
	api_daemon_field_command(a, "alarmd", "test-email", "to", "an e-mail address");
}

void api_daemon_field_command(struct api *a, const char *name, const char *cmd, const char *field, const char *what)
{
	json_t *body;
	char err[256];
	if (body_json(a->body, a->body_len, &body, err, sizeof err)) {
		api_error(a, 400, err, NULL, NULL);
		return;
	}
	json_t *v = json_object_get(body, field);
	if (!json_is_string(v)) {
		json_decref(body);
		snprintf(err, sizeof err, "%s: must be %s", field, what);
		api_error(a, 400, err, field, NULL);
		return;
	}
	json_t *req = json_pack("{s:s,s:O}", "cmd", cmd, field, v);
	json_decref(body);
	api_daemon_command(a, name, req, field);
}

void api_update(struct api *a)
{
	char why[256];
	json_t *req = json_pack("{s:s}", "cmd", "update");
	json_t *resp = s_command(a, "updated", req, why, sizeof why);
	if (resp)
		api_reply(a, 202, resp);
	else if (why[0]) /* one update at a time: the one running is in /api/status */
		api_error(a, strncmp(why, "busy", 4) ? 500 : 409, why, NULL, NULL);
}

void api_daemon_command(struct api *a, const char *name, json_t *req, const char *field)
{
	char why[256];
	json_t *resp = s_command(a, name, req, why, sizeof why);
	if (resp) {
		api_reply(a, 202, resp);
	} else if (why[0]) {
		size_t n = field ? strlen(field) : 0;
		bool on_field = n && !strncmp(why, field, n) && why[n] == ':';
		api_error(a, strncmp(why, "busy", 4) ? 400 : 409, why, on_field ? field : NULL, NULL);
	}
}

/* readingsd: see readingsd.h. */
#include "readingsd.h"

#include "atomic_file.h"
#include "bus.h"
#include "clock.h"
#include "config_keys.h"
#include "log.h"
#include "msg.h"
#include "paths.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const s_sources[3][2] = {
	{ "meterd", "meter/" },
	{ "pulsed", "pulse/" },
	{ "tempd", "temp/" },
};

static void s_set(struct readingsd_latest *l, json_t *msg, int64_t now_ms)
{
	json_decref(l->msg);
	l->msg = json_incref(msg);
	l->at_ms = now_ms;
}

static long s_slot(const char *s, const char *suffix)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (end == s || strcmp(end, suffix) || n < 1 || n > CONFIG_SLOTS)
		return 0;
	return n;
}

static void s_take_probe(struct readingsd *r, json_t *msg, int64_t now_ms)
{
	const char *id = json_string_value(json_object_get(msg, "id"));
	if (!id)
		return;
	struct readingsd_latest *free_slot = NULL, *oldest = &r->probes[0];
	for (size_t i = 0; i < READINGSD_PROBES; i++) {
		struct readingsd_latest *p = &r->probes[i];
		if (p->msg && !strcmp(json_string_value(json_object_get(p->msg, "id")), id)) {
			s_set(p, msg, now_ms);
			return;
		}
		if (!p->msg && !free_slot)
			free_slot = p;
		if (p->msg && p->at_ms < oldest->at_ms)
			oldest = p;
	}
	s_set(free_slot ? free_slot : oldest, msg, now_ms);
}

void readingsd_take(struct readingsd *r, const char *topic, json_t *msg, int64_t now_ms)
{
	long n;
	if (!strncmp(topic, "meter/", 6) && (n = s_slot(topic + 6, "/rt"))) {
		s_set(&r->meters[n - 1], msg, now_ms);
		r->heard_ms[0] = now_ms;
	} else if (!strncmp(topic, "pulse/", 6) && (n = s_slot(topic + 6, ""))) {
		s_set(&r->pulses[n - 1], msg, now_ms);
		r->heard_ms[1] = now_ms;
	} else if (!strncmp(topic, "temp/", 5) && strcmp(topic, "temp/found")) {
		s_take_probe(r, msg, now_ms);
		r->heard_ms[2] = now_ms;
	} else if (!strcmp(topic, "status/meterd")) {
		json_t *w = json_object_get(msg, "wiring");
		json_decref(r->wiring);
		r->wiring = json_is_array(w) ? json_incref(w) : NULL;
	}
}

/* A bus payload as the MQTT payload has it (mqttd/payload.c): without the
 * bus's own "seq" and "simulated", "ts" in whole seconds. */
static json_t *s_as_payload(const json_t *msg)
{
	json_t *o = json_deep_copy(msg);
	json_object_del(o, "seq");
	json_object_del(o, "simulated");
	/* msg_decode checked the range already; msg_ts is the one conversion */
	int64_t ts;
	char why[8];
	if (msg_ts(json_object_get(o, "ts"), "ts", &ts, why, sizeof why) == 0)
		json_object_set_new(o, "ts", json_integer((json_int_t)ts));
	return o;
}

static json_t *s_meter(const struct readingsd *r, const struct config *cfg, size_t i)
{
	json_t *o = s_as_payload(r->meters[i].msg);
	json_object_set_new(o, "name", json_string(cfg_meters_name(cfg, (int)i)));
	json_t *w = NULL, *e;
	size_t k;
	json_array_foreach(r->wiring, k, e) {
		if (json_integer_value(json_object_get(e, "meter")) != (json_int_t)i + 1)
			continue;
		if (!w)
			w = json_array();
		json_array_append(w, e);
	}
	if (w)
		json_object_set_new(o, "wiring", w);
	return o;
}

static json_t *s_source_state(const struct readingsd *r, size_t i, int64_t now_ms, const char *rundir)
{
	char sock[PATH_MAX];
	struct stat st;
	snprintf(sock, sizeof sock, "%s/%s.ctl", rundir, s_sources[i][0]);
	if (stat(sock, &st) < 0)
		return json_string("not running");
	if (!r->heard_ms[i])
		return json_string("no readings yet");
	int64_t fresh = i == 2 ? r->probe_fresh_ms : READINGSD_FRESH_MS;
	int64_t quiet = now_ms - r->heard_ms[i];
	if (quiet > fresh)
		return json_sprintf("no readings for %lld s", (long long)(quiet / 1000));
	return json_string("ok");
}

json_t *readingsd_snapshot(const struct readingsd *r, const struct config *cfg, int64_t now_ms, double wall,
			   const char *rundir)
{
	json_t *meters = json_array(), *pulses = json_array(), *probes = json_array();
	for (size_t i = 0; i < CONFIG_SLOTS; i++) {
		if (r->meters[i].msg && now_ms - r->meters[i].at_ms <= READINGSD_FRESH_MS && cfg_meters_enabled(cfg, (int)i))
			json_array_append_new(meters, s_meter(r, cfg, i));
		if (r->pulses[i].msg && now_ms - r->pulses[i].at_ms <= READINGSD_FRESH_MS)
			json_array_append_new(pulses, s_as_payload(r->pulses[i].msg));
	}
	for (size_t i = 0; i < READINGSD_PROBES; i++)
		if (r->probes[i].msg && now_ms - r->probes[i].at_ms <= r->probe_fresh_ms)
			json_array_append_new(probes, s_as_payload(r->probes[i].msg));
	json_t *sources = json_object();
	for (size_t i = 0; i < 3; i++)
		json_object_set_new(sources, s_sources[i][0], s_source_state(r, i, now_ms, rundir));
	return json_pack("{s:I,s:o,s:o,s:o,s:o}", "ts", (json_int_t)floor(wall), "rtdata", meters, "pulses", pulses,
			 "probes", probes, "sources", sources);
}

void readingsd_write(struct daemon *d, void *ud)
{
	struct readingsd *r = ud;
	const struct config *cfg = daemon_config(d);
	if (!cfg)
		return;
	json_t *snap = readingsd_snapshot(r, cfg, clock_mono_ms(), clock_wall(), paths_rundir());
	char *text = json_dumps(snap, MSG_JSON_FLAGS);
	json_decref(snap);
	char err[256] = "";
	/* tmpfs: atomic for readers, an fsync would add nothing */
	if (!text || atomic_file_write_flags(r->path, text, strlen(text), 0644, ATOMIC_FILE_NO_SYNC, err,
					     sizeof err) < 0) {
		if (strcmp(err, r->last_error))
			log_error("snapshot %s: %s", r->path, err);
		snprintf(r->last_error, sizeof r->last_error, "%s", err);
	} else {
		r->written++;
		r->last_error[0] = '\0';
	}
	free(text);
}

/* One bus message (bus_msg_fn). */
static void s_take(const char *topic, json_t *msg, void *ud)
{
	readingsd_take(ud, topic, msg, clock_mono_ms());
}

static void s_on_bus(struct daemon *d, void *ud)
{
	(void)d;
	struct readingsd *r = ud;
	bus_sub_each(r->sub, s_take, r);
}

int readingsd_open(struct readingsd *r, struct daemon *d)
{
	r->daemon = d;
	snprintf(r->path, sizeof r->path, "%s/readings.json", paths_rundir());
	r->sub = bus_sub_new(daemon_zctx(d));
	if (!r->sub)
		return -1;
	const char *rundir = paths_rundir();
	for (size_t i = 0; i < 3; i++)
		if (bus_sub_connect(r->sub, rundir, s_sources[i][0]) < 0 ||
		    bus_sub_subscribe(r->sub, s_sources[i][1]) < 0)
			return -1;
	if (bus_sub_subscribe(r->sub, "status/meterd") < 0)
		return -1;
	return daemon_watch_socket(d, bus_sub_socket(r->sub), s_on_bus, r);
}

void readingsd_close(struct readingsd *r)
{
	for (size_t i = 0; i < CONFIG_SLOTS; i++) {
		json_decref(r->meters[i].msg);
		json_decref(r->pulses[i].msg);
	}
	for (size_t i = 0; i < READINGSD_PROBES; i++)
		json_decref(r->probes[i].msg);
	json_decref(r->wiring);
	bus_sub_destroy(&r->sub);
	memset(r, 0, sizeof *r);
}

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	(void)err;
	(void)errlen;
	struct readingsd *r = ud;
	r->probe_fresh_ms = 2000 * cfg_temps_interval_s(cfg) + 1000;
	return 0;
}

static void s_status(struct daemon *d, json_t *status, void *ud)
{
	(void)d;
	struct readingsd *r = ud;
	json_object_set_new(status, "snapshot", json_string(r->path));
	json_object_set_new(status, "written", json_integer((json_int_t)r->written));
	if (r->last_error[0])
		json_object_set_new(status, "fault", json_string(r->last_error));
}

const struct daemon_ops readingsd_ops = { .apply = s_apply, .status = s_status };

/* readingsd: see readingsd.h. */
#include "readingsd.h"

#include "atomic_file.h"
#include "bus.h"
#include "clock.h"
#include "config_keys.h"
#include "log.h"
#include "msg.h"
#include "paths.h"
#include "rtdata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int readingsd_new_cache(struct readingsd *r)
{
	r->cache = reading_cache_new(READINGSD_PROBES);
	return r->cache ? 0 : -1;
}

void readingsd_take(struct readingsd *r, const char *topic, json_t *msg, int64_t now_ms)
{
	char n[READING_N_MAX];
	enum reading_kind kind = reading_topic_parse(topic, n, sizeof n);
	if (kind) {
		/* a name that is no source of its kind (meter/9/rt) finds no slot */
		if (reading_cache_put(r->cache, kind, n, json_incref(msg), now_ms))
			r->heard_ms[kind - 1] = now_ms;
	} else if (!strcmp(topic, "status/meterd")) {
		json_t *w = json_object_get(msg, "wiring");
		json_decref(r->wiring);
		r->wiring = json_is_array(w) ? json_incref(w) : NULL;
	}
}

/* Meter i's rtdata object with its name and wiring verdicts, or NULL when
 * its reading lacks a field the payload needs. */
static json_t *s_meter(const struct readingsd *r, const struct config *cfg, size_t i, const json_t *msg)
{
	char err[128];
	json_t *o = rtdata_meter(msg, err, sizeof err);
	if (!o)
		return NULL;
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

static json_t *s_source_state(const struct readingsd *r, enum reading_kind kind, int64_t now_ms,
			      const char *rundir)
{
	char sock[PATH_MAX];
	struct stat st;
	snprintf(sock, sizeof sock, "%s/%s.ctl", rundir, reading_publisher(kind));
	if (stat(sock, &st) < 0)
		return json_string("not running");
	int64_t heard = r->heard_ms[kind - 1];
	if (!heard)
		return json_string("no readings yet");
	if (now_ms - heard > reading_fresh_ms(kind, r->probe_interval_s))
		return json_sprintf("no readings for %lld s", (long long)((now_ms - heard) / 1000));
	return json_string("ok");
}

static void s_append(json_t *list, json_t *o)
{
	if (o)
		json_array_append_new(list, o);
}

json_t *readingsd_snapshot(const struct readingsd *r, const struct config *cfg, int64_t now_ms, double wall,
			   const char *rundir)
{
	/* a daemon that is not running has nothing new to say, however
	 * recent its last reading: its readings go as soon as it stops */
	json_t *sources = json_object();
	bool running[READING_KINDS + 1];
	for (enum reading_kind k = READING_METER; k <= READING_TEMP; k++) {
		json_t *state = s_source_state(r, k, now_ms, rundir);
		running[k] = strcmp(json_string_value(state), "not running") != 0;
		json_object_set_new(sources, reading_publisher(k), state);
	}
	json_t *meters = json_array(), *pulses = json_array(), *probes = json_array();
	char err[128], n[8];
	for (size_t i = 0; i < CONFIG_SLOTS; i++) {
		snprintf(n, sizeof n, "%zu", i + 1);
		const json_t *m = reading_cache_fresh(r->cache, READING_METER, n, now_ms);
		if (m && running[READING_METER] && cfg_meters_enabled(cfg, (int)i))
			s_append(meters, s_meter(r, cfg, i, m));
		const json_t *p = reading_cache_fresh(r->cache, READING_PULSE, n, now_ms);
		if (p && running[READING_PULSE])
			s_append(pulses, rtdata_pulse(p, err, sizeof err));
	}
	for (size_t i = 0; i < reading_cache_count(r->cache) && running[READING_TEMP]; i++) {
		const struct reading_entry *e = reading_cache_entry(r->cache, i);
		if (e->kind == READING_TEMP && reading_fresh(r->cache, e, now_ms))
			s_append(probes, rtdata_probe(e->obj, err, sizeof err));
	}
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
	if (!r->sub || readingsd_new_cache(r) < 0)
		return -1;
	const char *rundir = paths_rundir();
	for (enum reading_kind k = READING_METER; k <= READING_TEMP; k++)
		if (bus_sub_connect(r->sub, rundir, reading_publisher(k)) < 0 ||
		    bus_sub_subscribe(r->sub, reading_topic_prefix(k)) < 0)
			return -1;
	if (bus_sub_subscribe(r->sub, "status/meterd") < 0)
		return -1;
	return daemon_watch_socket(d, bus_sub_socket(r->sub), s_on_bus, r);
}

void readingsd_close(struct readingsd *r)
{
	reading_cache_destroy(&r->cache);
	json_decref(r->wiring);
	bus_sub_destroy(&r->sub);
}

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	struct readingsd *r = ud;
	r->probe_interval_s = cfg_temps_interval_s(cfg);
	reading_cache_set_probe_interval(r->cache, r->probe_interval_s);
	return readingsd_write_access(cfg, paths_rundir(), err, errlen);
}

int readingsd_write_access(const struct config *cfg, const char *rundir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/display-access", rundir);
	const char *text = cfg_security_display_login(cfg) ? "login\n" : "open\n";
	return atomic_file_write_flags(path, text, strlen(text), 0644, ATOMIC_FILE_NO_SYNC, err, errlen) < 0 ? -1 : 0;
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

/* meterd: applying the config, moving samples from the source through the
 * engine, publishing each second's readings and the status.
 *
 * The source is opened from the config (adc.source, or --source); when it
 * cannot be opened, fails while running or (with a descriptor) goes silent,
 * meterd says why in its status, keeps answering, and tries again on a
 * timer with a doubling delay: a missing ADC is a state, never a reason to
 * exit.  The fault clears, and the delay starts over, only once samples
 * flow again: a device that opens but never delivers must not flap between
 * fault and no fault, nor be retried every second for ever. */
#include "meterd.h"

#include "clock.h"
#include "config_keys.h"
#include "log.h"
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *s_spec(const struct meterd *m, const struct config *cfg)
{
	return m->source_override ? m->source_override : cfg_adc_source(cfg);
}

/* What the source depends on: reopened when this changes. */
static json_t *s_source_key(const struct meterd *m, const struct config *cfg)
{
	const char *spec = s_spec(m, cfg);
	json_t *key = json_pack("{s:s,s:O}", "spec", spec, "adc", cfg_adc(cfg));
	if (!strcmp(spec, "sim")) /* the simulated building follows the meters */
		json_object_set(key, "meters", (json_t *)cfg_meters(cfg));
	return key;
}

static void s_set_source_fault(struct meterd *m, const char *why)
{
	fault_set(&m->source_fault, m->daemon, "source", why);
}

static void s_close_source(struct meterd *m)
{
	if (m->source_fd >= 0)
		daemon_unwatch(m->daemon, NULL, m->source_fd);
	m->source_fd = -1;
	source_destroy(&m->source);
}

static void s_pump(struct daemon *d, void *ud);
static void s_paced(struct daemon *d, void *ud);
static void s_links(struct daemon *d, void *ud);

static void s_schedule_retry(struct meterd *m)
{
	int64_t wait = backoff_failed(&m->retry_backoff);
	daemon_timer_reset(m->retry, wait, wait);
}

static void s_open_source(struct meterd *m, const struct config *cfg)
{
	char err[512];
	s_close_source(m);
	m->source = source_open(s_spec(m, cfg), cfg, err, sizeof err);
	if (!m->source) {
		s_set_source_fault(m, err);
		s_schedule_retry(m);
		return;
	}
	m->last_samples_ms = clock_mono_ms();
	m->ecfg.rate_hz = m->source->rate_hz;
	engine_configure(m->engine, &m->ecfg);
	int fd = m->source->ops->fd ? m->source->ops->fd(m->source) : -1;
	if (fd >= 0 && daemon_watch_fd(m->daemon, fd, s_pump, m) == 0)
		m->source_fd = fd;
	log_info("source %s open at %g samples/s", m->source->kind, m->source->rate_hz);
}

static void s_source_failed(struct meterd *m, const char *why)
{
	s_close_source(m);
	s_set_source_fault(m, why);
	s_schedule_retry(m);
}

static void s_retry(struct daemon *d, void *ud)
{
	struct meterd *m = ud;
	const struct config *cfg = daemon_config(d);
	if (m->source || !cfg)
		return;
	s_open_source(m, cfg);
}

int meterd_init(struct meterd *m, struct daemon *d)
{
	m->daemon = d;
	m->source_fd = -1;
	m->frames = malloc(METERD_FRAMES * ENGINE_CHANNELS * sizeof *m->frames);
	m->ecfg.rate_hz = 4000;
	m->engine = engine_new(&m->ecfg);
	m->links = links_new(daemon_zctx(d), paths_rundir());
	if (!m->frames || !m->engine || !m->links)
		return -1;
	m->retry = daemon_timer_new(d, METERD_RETRY_MAX_MS, s_retry, m);
	m->retry_backoff = (struct backoff)BACKOFF_INIT(METERD_RETRY_MIN_MS, METERD_RETRY_MAX_MS);
	if (daemon_watch_socket(d, links_socket(m->links), s_links, m) < 0 ||
	    !daemon_timer_new(d, METERD_PACE_MS, s_paced, m) || !m->retry)
		return -1;
	return 0;
}

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	(void)err;
	(void)errlen;
	struct meterd *m = ud;
	identity_mac(cfg, m->mac);
	links_set_probe_interval(m->links, (int)cfg_temps_interval_s(cfg));
	double rate = m->ecfg.rate_hz;
	engine_cfg_from_config(&m->ecfg, cfg);
	if (m->source)
		m->ecfg.rate_hz = rate; /* the source's own */
	for (int i = 0; i < ENGINE_METERS; i++) {
		m->consumable[i] = !strcmp(cfg_meters_purpose(cfg, i), "consumable");
		const char *t = cfg_meters_temp_sensor(cfg, i);
		snprintf(m->temp_sensor[i], sizeof m->temp_sensor[i], "%s", t ? t : "");
	}
	engine_configure(m->engine, &m->ecfg);
	json_t *key = s_source_key(m, cfg);
	if (!m->source_key || !json_equal(key, m->source_key) || !m->source) {
		json_decref(m->source_key);
		m->source_key = key;
		backoff_reset(&m->retry_backoff);
		s_open_source(m, cfg);
	} else {
		json_decref(key);
	}
	return 0;
}

static void s_status(struct daemon *d, json_t *st, void *ud)
{
	(void)d;
	struct meterd *m = ud;
	json_t *enabled = json_array(), *reversed = json_array(), *wiring = json_array();
	for (int i = 0; i < ENGINE_METERS; i++) {
		if (!m->ecfg.meter[i].enabled)
			continue;
		json_array_append_new(enabled, json_integer(i + 1));
		ctcheck_json(&m->ctcheck[i], i + 1, m->ecfg.meter[i].phases, wiring);
		for (int p = 0; p < m->ecfg.meter[i].phases; p++)
			if (ctcheck_verdict(&m->ctcheck[i], p) == CTCHECK_REVERSED)
				json_array_append_new(reversed, json_pack("{s:i,s:i,s:s}", "meter", i + 1, "phase", p + 1,
									  "why", m->ctcheck[i].phase[p].why));
	}
	const char *spec = daemon_config(d) ? s_spec(m, daemon_config(d)) : "none";
	json_object_set_new(st, "source", json_string(m->source ? m->source->kind : spec));
	json_object_set_new(st, "simulated", json_boolean(m->source && m->source->simulated));
	if (m->source)
		json_object_set_new(st, "sample_rate_hz", json_real(m->source->rate_hz));
	json_object_set_new(st, "meters", enabled);
	json_object_set_new(st, "readings_published", json_integer((json_int_t)m->readings_published));
	json_object_set_new(st, "wiring", wiring);
	if (json_array_size(reversed))
		json_object_set_new(st, "reversed_ct", reversed);
	else
		json_decref(reversed);
	char fault[1100] = "";
	if (fault_active(&m->source_fault) && fault_active(&m->fault))
		snprintf(fault, sizeof fault, "%s; %s", m->source_fault.why, m->fault.why);
	else
		snprintf(fault, sizeof fault, "%s", fault_active(&m->source_fault) ? m->source_fault.why : m->fault.why);
	if (fault[0])
		json_object_set_new(st, "fault", json_string(fault));
}

const struct daemon_ops meterd_ops = {
	.apply = s_apply,
	.status = s_status,
};

/* One closed window: every enabled meter's reading on the bus. */
static void s_publish(struct meterd *m)
{
	double t = clock_wall(), dt = engine_window_s(m->engine);
	int64_t now = clock_mono_ms();
	bool flags_changed = false;
	for (int i = 0; i < ENGINE_METERS; i++) {
		if (!m->ecfg.meter[i].enabled)
			continue;
		struct meter_reading r;
		engine_reading(m->engine, i, &r);
		links_fill(m->links, &r, m->ecfg.meter[i].ct_input, m->temp_sensor[i][0] ? m->temp_sensor[i] : NULL, now);
		registers_accumulate(m->regs, i + 1, &r, dt);
		const struct ctcheck_meter cm = { .phases = m->ecfg.meter[i].phases, .may_export = !m->consumable[i],
						  .ct_rating_a = m->ecfg.meter[i].ct_rating_a };
		flags_changed |= ctcheck_update(&m->ctcheck[i], &r, &cm);
		char uid[IDENTITY_UID_LEN], topic[32];
		identity_meter_uid(m->mac, i + 1, uid);
		json_t *o = reading_to_json(&r, i + 1, uid, m->source->simulated);
		json_object_set_new(o, "ts", json_real(t));
		snprintf(topic, sizeof topic, "meter/%d/rt", i + 1);
		if (bus_pub_send(daemon_pub(m->daemon), topic, o) == 0)
			m->readings_published++;
		json_decref(o);
	}
	if (flags_changed)
		daemon_publish_status(m->daemon);
	char err[512];
	bool failed = registers_save(m->regs, false, err, sizeof err) < 0;
	if (failed && !m->volatile_save_failed)
		log_warn("%s (a crash of meterd would lose the energy since the last SD card save)", err);
	m->volatile_save_failed = failed;
}

/* Moves what the source has through the engine. */
static void s_pump(struct daemon *d, void *ud)
{
	struct meterd *m = ud;
	if (!m->source || !daemon_config(d))
		return;
	for (;;) {
		char err[512];
		long n = m->source->ops->read(m->source, m->frames, METERD_FRAMES, err, sizeof err);
		if (n < 0) {
			s_source_failed(m, err);
			return;
		}
		if (n > 0) {
			m->last_samples_ms = clock_mono_ms();
			backoff_reset(&m->retry_backoff);
			s_set_source_fault(m, "");
		}
		for (size_t off = 0; off < (size_t)n;) {
			bool done;
			off += engine_feed(m->engine, m->frames + off * ENGINE_CHANNELS, (size_t)n - off, &done);
			if (done)
				s_publish(m);
		}
		if (n < METERD_FRAMES)
			return;
	}
}

static void s_paced(struct daemon *d, void *ud)
{
	struct meterd *m = ud;
	if (m->source && m->source_fd < 0) {
		s_pump(d, ud);
	} else if (m->source && clock_mono_ms() - m->last_samples_ms > METERD_SILENT_MS) {
		/* A device that stops (driver unbound, trigger or ADC dead)
		 * need not fail a read nor even become readable: an unbound
		 * IIO buffer polls as never ready.  Silence is the only sign. */
		char why[128];
		snprintf(why, sizeof why, "source %s: no samples for %d s", m->source->kind, METERD_SILENT_MS / 1000);
		s_source_failed(m, why);
	}
}

static void s_links(struct daemon *d, void *ud)
{
	(void)d;
	struct meterd *m = ud;
	links_receive(m->links, clock_mono_ms());
}

void meterd_stop(struct meterd *m)
{
	s_close_source(m);
	links_destroy(&m->links);
	engine_destroy(&m->engine);
	json_decref(m->source_key);
	m->source_key = NULL;
	free(m->frames);
	m->frames = NULL;
}

/* The SD card copy; the tmpfs copy is written after every second. */
void meterd_save(struct daemon *d, void *ud)
{
	(void)d;
	struct meterd *m = ud;
	char err[512];
	fault_set(&m->fault, m->daemon, "energy registers", registers_save(m->regs, true, err, sizeof err) < 0 ? err : "");
}

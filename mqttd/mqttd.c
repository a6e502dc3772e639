/* mqttd: applying the config (instances matched by title: a link whose
 * connection settings did not change keeps its connection), the bus
 * readings, the periodic publication, discovery upkeep and status. */
#include "mqttd.h"

#include "clock.h"
#include "config_keys.h"
#include "discovery.h"
#include "log.h"
#include "msg.h"
#include "paths.h"
#include "rtdata.h"
#include "reading_cache.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct mqttd_instance *s_instance_of(struct mqttd *m, const struct link *l)
{
	for (size_t i = 0; i < m->ninst; i++)
		if (m->inst[i].link == l)
			return &m->inst[i];
	return NULL;
}

static struct discovery_hub s_hub(const struct mqttd *m, const struct mqttd_instance *in)
{
	return (struct discovery_hub){ .mac = m->mac, .prefix = in->prefix, .base = in->topic };
}

/* ---- discovery upkeep ---- */

static json_t *s_wanted_configs(struct mqttd *m, const struct mqttd_instance *in)
{
	if (!in->discovery)
		return json_object();
	struct discovery_meter meters[8];
	struct discovery_pulse pulses[8];
	struct discovery_probe probes[MQTTD_PROBES + 8];
	char uids[8][IDENTITY_UID_LEN];
	size_t nm = 0, np = 0, nt = 0;
	for (int i = 0; i < 8; i++) {
		if (!in->meters[i] || !m->meter_enabled[i])
			continue;
		identity_meter_uid(m->mac, i + 1, uids[i]);
		meters[nm++] = (struct discovery_meter){ .did = i + 1, .uid = uids[i], .name = m->meter_name[i] };
	}
	for (int i = 0; i < 8; i++)
		if (m->pulse_enabled[i])
			pulses[np++] = (struct discovery_pulse){ .n = i + 1, .name = m->pulse_name[i],
								 .unit = m->pulse_unit[i] };
	/* probes seen on the bus, and those meters name before they are seen */
	const char *ids[MQTTD_PROBES + 8];
	size_t nids = 0;
	/* (the first config is applied before mqttd_open makes the cache) */
	for (size_t i = 0; m->latest && i < reading_cache_count(m->latest); i++) {
		const struct reading_entry *e = reading_cache_entry(m->latest, i);
		if (e->kind == READING_TEMP)
			ids[nids++] = e->n;
	}
	for (int i = 0; i < 8; i++) {
		if (!m->meter_enabled[i] || !m->meter_probe[i][0])
			continue;
		bool seen = false;
		for (size_t k = 0; k < nids; k++)
			seen |= !strcmp(ids[k], m->meter_probe[i]);
		if (!seen)
			ids[nids++] = m->meter_probe[i];
	}
	for (size_t k = 0; k < nids; k++) {
		const char *name = NULL;
		for (int i = 0; i < 8; i++)
			if (m->meter_enabled[i] && !strcmp(m->meter_probe[i], ids[k]))
				name = m->meter_name[i];
		probes[nt++] = (struct discovery_probe){ .id = ids[k], .name = name };
	}
	struct discovery_hub hub = s_hub(m, in);
	json_t *objs = discovery_configs(&hub, meters, nm, pulses, np, probes, nt);
	/* kept as text: what was sent is compared as sent */
	json_t *out = json_object();
	const char *topic;
	json_t *c;
	json_object_foreach(objs, topic, c) {
		char *s = json_dumps(c, MSG_JSON_FLAGS);
		json_object_set_new(out, topic, json_string(s));
		free(s);
	}
	json_decref(objs);
	return out;
}

/* Brings the broker's retained configs in line with what is wanted now:
 * clears those no longer wanted, puts new or changed ones.  The link sends
 * them before any reading, and again on every connection until the broker
 * acknowledged them, connected now or not. */
static void s_discovery_sync(struct mqttd *m, struct mqttd_instance *in)
{
	json_t *wanted = s_wanted_configs(m, in);
	const char *topic;
	json_t *v;
	json_object_foreach(in->discovery_cfg, topic, v)
		if (!json_object_get(wanted, topic) && link_put(in->link, topic, "", 0) != 0)
			log_warn("%s: out of memory: cannot clear %s", in->title, topic);
	json_object_foreach(wanted, topic, v) {
		const char *s = json_string_value(v);
		if (link_put(in->link, topic, s, strlen(s)) != 0)
			log_warn("%s: out of memory: cannot announce %s", in->title, topic);
	}
	json_decref(in->discovery_cfg);
	in->discovery_cfg = wanted;
}

/* The configs wanted now that the broker acknowledged. */
static size_t s_discovery_acked(const struct mqttd_instance *in)
{
	size_t n = 0;
	const char *topic;
	json_t *v;
	json_object_foreach(in->discovery_cfg, topic, v)
		n += link_put_acked(in->link, topic);
	return n;
}

static void s_on_connected(struct link *l, void *ud)
{
	struct mqttd *m = ud;
	struct mqttd_instance *in = s_instance_of(m, l);
	if (!in)
		return;
	/* the broker tells us, as retained messages, which configs an earlier
	 * run left: s_on_message clears those no longer wanted */
	char filter[DISCOVERY_TOPIC_MAX];
	struct discovery_hub hub = s_hub(m, in);
	discovery_subscription(&hub, filter, sizeof filter);
	link_subscribe(l, filter);
	s_discovery_sync(m, in);
	daemon_publish_status(m->daemon);
}

static void s_on_message(struct link *l, const char *topic, const char *data, size_t len, bool retained, void *ud)
{
	struct mqttd *m = ud;
	struct mqttd_instance *in = s_instance_of(m, l);
	if (!in || !retained || !len || json_object_get(in->discovery_cfg, topic))
		return;
	struct discovery_hub hub = s_hub(m, in);
	if (!discovery_owned(&hub, data, len))
		return;
	log_info("%s: clearing the discovery config %s (no longer wanted)", in->title, topic);
	if (link_put(l, topic, "", 0) != 0)
		log_warn("%s: out of memory: cannot clear %s", in->title, topic);
}

/* ---- config ---- */

static void s_link_settings(const struct config *cfg, int i, const char *mac, struct link_settings *s)
{
	memset(s, 0, sizeof *s);
	snprintf(s->title, sizeof s->title, "%s", cfg_mqtt_title(cfg, i));
	snprintf(s->host, sizeof s->host, "%s", cfg_mqtt_host(cfg, i));
	s->port = (int)cfg_mqtt_port(cfg, i);
	snprintf(s->username, sizeof s->username, "%s", cfg_mqtt_username(cfg, i));
	snprintf(s->password, sizeof s->password, "%s", cfg_mqtt_password(cfg, i));
	snprintf(s->client_id, sizeof s->client_id, "%s", cfg_mqtt_client_id(cfg, i));
	if (!s->client_id[0]) {
		/* eniscope-<12 hex of the MAC>-<n>: 23 characters, MQTT 3.1.1's
		 * guaranteed maximum, and unique per hub and instance */
		char hex[13] = "";
		size_t n = 0;
		for (const char *c = mac; *c && n < 12; c++)
			if (*c != ':')
				hex[n++] = *c;
		hex[n] = '\0';
		snprintf(s->client_id, sizeof s->client_id, "eniscope-%s-%d", hex, i + 1);
	}
	s->tls = cfg_mqtt_tls(cfg, i);
	s->tls_insecure = cfg_mqtt_tls_insecure(cfg, i);
	snprintf(s->ca_file, sizeof s->ca_file, "%s", cfg_mqtt_ca_file(cfg, i));
	snprintf(s->cert_file, sizeof s->cert_file, "%s", cfg_mqtt_cert_file(cfg, i));
	snprintf(s->key_file, sizeof s->key_file, "%s", cfg_mqtt_key_file(cfg, i));
	s->keepalive_s = (int)cfg_mqtt_keepalive_s(cfg, i);
	snprintf(s->topic, sizeof s->topic, "%s", cfg_mqtt_topic(cfg, i));
	s->queue_len = (size_t)cfg_mqtt_queue_len(cfg, i);
}

static void s_retire(struct mqttd *m, struct link *l)
{
	if (!l)
		return;
	link_close(l, clock_mono_ms());
	if (m->nretiring == sizeof m->retiring / sizeof m->retiring[0]) {
		link_destroy(&l); /* a storm of reloads: no goodbye for this one */
		return;
	}
	m->retiring[m->nretiring++] = l;
}

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	struct mqttd *m = ud;
	size_t n = cfg_mqtt_count(cfg);
	if (n > MQTTD_INSTANCES) {
		snprintf(err, errlen, "mqtt: at most %d instances", MQTTD_INSTANCES);
		return -1;
	}
	/* everything is built aside first: a link that cannot be made leaves
	 * the running config whole (names, meters, instances) */
	char mac[IDENTITY_MAC_LEN];
	bool meter_enabled[8], pulse_enabled[8];
	char meter_name[8][sizeof m->meter_name[0]], meter_probe[8][sizeof m->meter_probe[0]];
	char pulse_name[8][sizeof m->pulse_name[0]], pulse_unit[8][sizeof m->pulse_unit[0]];
	identity_mac(cfg, mac);
	for (int i = 0; i < 8; i++) {
		meter_enabled[i] = cfg_meters_enabled(cfg, i);
		snprintf(meter_name[i], sizeof meter_name[i], "%s", cfg_meters_name(cfg, i));
		const char *probe = cfg_meters_temp_sensor(cfg, i);
		snprintf(meter_probe[i], sizeof meter_probe[i], "%s", probe ? probe : "");
		pulse_enabled[i] = cfg_pulses_enabled(cfg, i);
		snprintf(pulse_name[i], sizeof pulse_name[i], "%s", cfg_pulses_name(cfg, i));
		snprintf(pulse_unit[i], sizeof pulse_unit[i], "%s", cfg_pulses_unit(cfg, i));
	}

	/* build the new set completely, then swap */
	struct mqttd_instance next[MQTTD_INSTANCES];
	bool taken[MQTTD_INSTANCES] = { false };
	memset(next, 0, sizeof next);
	for (size_t i = 0; i < n; i++) {
		struct mqttd_instance *in = &next[i];
		int ii = (int)i;
		struct link_settings s;
		s_link_settings(cfg, ii, mac, &s);
		snprintf(in->title, sizeof in->title, "%s", s.title);
		snprintf(in->topic, sizeof in->topic, "%s", s.topic);
		snprintf(in->prefix, sizeof in->prefix, "%s", cfg_mqtt_discovery_prefix(cfg, ii));
		in->interval_s = (int)cfg_mqtt_interval_s(cfg, ii);
		in->qos = (int)cfg_mqtt_qos(cfg, ii);
		in->retain = cfg_mqtt_retain(cfg, ii);
		in->discovery = cfg_mqtt_ha_discovery(cfg, ii);
		size_t nids = cfg_mqtt_meters_count(cfg, ii);
		in->all_meters = nids == 0;
		for (int mi = 0; mi < 8; mi++)
			in->meters[mi] = in->all_meters && meter_enabled[mi];
		for (size_t x = 0; x < nids; x++)
			in->meters[cfg_mqtt_meters_at(cfg, ii, (int)x) - 1] = true;
		if (!cfg_mqtt_enabled(cfg, ii))
			continue;
		/* the same instance (by title) with the same connection keeps it */
		for (size_t o = 0; o < m->ninst; o++) {
			struct mqttd_instance *old = &m->inst[o];
			if (taken[o] || !old->link || strcmp(old->title, in->title) ||
			    memcmp(link_settings(old->link), &s, sizeof s))
				continue;
			taken[o] = true;
			in->link = old->link;
			in->next_publish_ms = old->next_publish_ms;
			if (old->interval_s != in->interval_s) /* the new interval starts now */
				in->next_publish_ms = clock_mono_ms() + in->interval_s * 1000LL;
			in->published = old->published;
			in->skipped = old->skipped;
			memcpy(in->sent_at, old->sent_at, sizeof in->sent_at);
			in->discovery_cfg = json_incref(old->discovery_cfg);
			break;
		}
		if (!in->link) {
			struct link_hooks hooks = { .connected = s_on_connected, .message = s_on_message, .ud = m };
			char why[256];
			in->link = link_new(&s, ++m->next_link_id, m->events[1], &hooks, why, sizeof why);
			if (!in->link) {
				snprintf(err, errlen, "mqtt[%zu]: %s", i, why);
				for (size_t j = 0; j < i; j++)
					if (next[j].link && !s_instance_of(m, next[j].link))
						link_destroy(&next[j].link);
				for (size_t j = 0; j < i; j++)
					json_decref(next[j].discovery_cfg);
				return -1;
			}
			in->next_publish_ms = clock_mono_ms() + in->interval_s * 1000LL;
		}
	}
	/* the swap */
	for (size_t o = 0; o < m->ninst; o++) {
		if (!taken[o])
			s_retire(m, m->inst[o].link);
		json_decref(m->inst[o].discovery_cfg);
	}
	memcpy(m->inst, next, sizeof next);
	m->ninst = n;
	memcpy(m->mac, mac, sizeof mac);
	memcpy(m->meter_enabled, meter_enabled, sizeof meter_enabled);
	memcpy(m->meter_name, meter_name, sizeof meter_name);
	memcpy(m->meter_probe, meter_probe, sizeof meter_probe);
	memcpy(m->pulse_enabled, pulse_enabled, sizeof pulse_enabled);
	memcpy(m->pulse_name, pulse_name, sizeof pulse_name);
	memcpy(m->pulse_unit, pulse_unit, sizeof pulse_unit);
	m->probe_interval_s = (int)cfg_temps_interval_s(cfg);
	if (m->latest)
		reading_cache_set_probe_interval(m->latest, m->probe_interval_s);
	for (size_t i = 0; i < m->ninst; i++)
		if (m->inst[i].link)
			s_discovery_sync(m, &m->inst[i]);
	return 0;
}

/* ---- the bus ---- */

void mqttd_on_reading(struct mqttd *m, const char *topic, json_t *msg)
{
	char err[256] = "", n[READING_N_MAX];
	json_t *obj = NULL;
	bool new_probe = false;
	int64_t now = clock_mono_ms();
	enum reading_kind kind = reading_topic_parse(topic, n, sizeof n);
	if (kind && !reading_n_valid(kind, n, err, sizeof err)) {
		/* not published, as it is no reading of this hub */
	} else if (!kind && !strcmp(topic, "temp/found")) {
		/* a probe to announce before its first reading; its id goes into
		 * topics, so it passes the same check as a temp/<id> topic */
		const char *id = json_string_value(json_object_get(msg, "id"));
		if (id && reading_n_valid(READING_TEMP, id, err, sizeof err))
			reading_cache_slot(m->latest, READING_TEMP, id, now, &new_probe);
	} else if (kind == READING_METER) {
		obj = rtdata_meter(msg, err, sizeof err);
	} else if (kind == READING_PULSE) {
		obj = rtdata_pulse(msg, err, sizeof err);
	} else if (kind == READING_TEMP) {
		reading_cache_slot(m->latest, kind, n, now, &new_probe);
		obj = rtdata_probe(msg, err, sizeof err);
	}
	if (obj)
		reading_cache_put(m->latest, kind, n, obj, now);
	if (err[0]) {
		m->bus_rejected++;
		log_debug("%s: not published: %s", topic, err);
	}
	if (new_probe)
		for (size_t i = 0; i < m->ninst; i++)
			if (m->inst[i].link && m->inst[i].discovery)
				s_discovery_sync(m, &m->inst[i]);
}

/* One bus message (bus_msg_fn). */
static void s_on_reading(const char *topic, json_t *msg, void *ud)
{
	mqttd_on_reading(ud, topic, msg);
}

static void s_on_bus(struct daemon *d, void *ud)
{
	(void)d;
	struct mqttd *m = ud;
	bus_sub_each(m->sub, s_on_reading, m);
}

/* ---- link events ---- */

static struct link *s_link_by_id(struct mqttd *m, uint32_t id)
{
	for (size_t i = 0; i < m->ninst; i++)
		if (m->inst[i].link && link_id(m->inst[i].link) == id)
			return m->inst[i].link;
	for (size_t i = 0; i < m->nretiring; i++)
		if (link_id(m->retiring[i]) == id)
			return m->retiring[i];
	return NULL;
}

static void s_drain_events(struct mqttd *m)
{
	static struct link_event ev; /* 3 KB: not on the stack of every caller */
	int rc;
	while ((rc = link_events_read(m->events[0], &ev)) != 0) {
		if (rc < 0)
			break;
		struct link *l = s_link_by_id(m, ev.link);
		if (!l)
			continue; /* for a link already gone */
		bool was = link_connected(l);
		link_on_event(l, &ev);
		if (was != link_connected(l))
			daemon_publish_status(m->daemon);
	}
}

static void s_on_events(struct daemon *d, void *ud)
{
	(void)d;
	s_drain_events(ud);
}

int mqttd_open(struct mqttd *m, struct daemon *d)
{
	m->daemon = d;
	if (link_events_open(m->events) < 0)
		return -1;
	m->sub = bus_sub_new(daemon_zctx(d));
	m->latest = reading_cache_new(MQTTD_PROBES);
	if (!m->sub || !m->latest)
		return -1;
	if (m->probe_interval_s)
		reading_cache_set_probe_interval(m->latest, m->probe_interval_s);
	for (int k = 1; k <= READING_KINDS; k++)
		if (bus_sub_readings(m->sub, paths_rundir(), k) < 0)
			return -1;
	if (daemon_watch_socket(d, bus_sub_socket(m->sub), s_on_bus, m) < 0 ||
	    daemon_watch_fd(d, m->events[0], s_on_events, m) < 0)
		return -1;
	return 0;
}

/* ---- publishing ---- */

/* Meter or pulse input i's entry when its reading is fresh, else NULL. */
static const struct reading_entry *s_fresh(const struct mqttd *m, enum reading_kind kind, int i, int64_t now)
{
	const struct reading_entry *e = reading_cache_number(m->latest, kind, i + 1);
	return reading_fresh(m->latest, e, now) ? e : NULL;
}

static void s_send_json(struct mqttd_instance *in, const char *topic, json_t *o)
{
	char *s = json_dumps(o, MSG_JSON_FLAGS);
	if (s)
		link_publish(in->link, topic, s, strlen(s), in->qos, in->retain);
	free(s);
}

/* Whether meter i of the instance has a fresh reading it has not sent. */
static bool s_unsent(const struct mqttd *m, const struct mqttd_instance *in, int i, int64_t now)
{
	/* by arrival, not ts: a clock stepped back must not silence a meter */
	const struct reading_entry *e = in->meters[i] ? s_fresh(m, READING_METER, i, now) : NULL;
	return e && e->at_ms != in->sent_at[i];
}

/* Sends the instance's rtdata: every selected meter's new reading.  A
 * reading never goes out twice; when some meter's next one has not come
 * yet (the interval fell a few ms before meterd's second), the payload
 * waits for it, up to MQTTD_LATE_MS after the interval, then goes
 * with what is new. */
static void s_publish(struct mqttd *m, struct mqttd_instance *in, int64_t now)
{
	size_t fresh = 0, unsent = 0;
	for (int i = 0; i < 8; i++) {
		fresh += in->meters[i] && s_fresh(m, READING_METER, i, now);
		unsent += s_unsent(m, in, i, now);
	}
	if (!fresh) {
		in->owed_since = 0;
		in->skipped++; /* nothing to say: meterd is not running */
		return;
	}
	if (!in->owed_since)
		in->owed_since = now;
	if (!unsent || (unsent < fresh && now - in->owed_since < MQTTD_LATE_MS))
		return; /* owed: tried again every tick */
	in->owed_since = 0;
	json_t *objs[8];
	size_t n = 0;
	for (int i = 0; i < 8; i++)
		if (s_unsent(m, in, i, now)) {
			const struct reading_entry *e = s_fresh(m, READING_METER, i, now);
			in->sent_at[i] = e->at_ms;
			objs[n++] = e->obj;
		}
	json_t *rt = rtdata_list(objs, n);
	s_send_json(in, in->topic, rt);
	json_decref(rt);
	in->published++;
	if (!in->discovery)
		return;
	char topic[DISCOVERY_TOPIC_MAX];
	/* each selected meter's and enabled pulse input's state */
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 8; i++) {
			bool meter = k == 0, wanted = meter ? in->meters[i] : m->pulse_enabled[i];
			const struct reading_entry *e =
				wanted ? s_fresh(m, meter ? READING_METER : READING_PULSE, i, now) : NULL;
			if (!e)
				continue;
			(meter ? discovery_meter_topic : discovery_pulse_topic)(in->topic, i + 1, topic, sizeof topic);
			s_send_json(in, topic, e->obj);
		}
	for (size_t i = 0; i < reading_cache_count(m->latest); i++) {
		const struct reading_entry *e = reading_cache_entry(m->latest, i);
		if (e->kind != READING_TEMP || !reading_fresh(m->latest, e, now))
			continue;
		discovery_probe_topic(in->topic, e->n, topic, sizeof topic);
		s_send_json(in, topic, e->obj);
	}
}

void mqttd_tick(struct daemon *d, void *ud)
{
	(void)d;
	struct mqttd *m = ud;
	int64_t now = clock_mono_ms();
	for (size_t i = 0; i < m->ninst; i++) {
		struct mqttd_instance *in = &m->inst[i];
		if (!in->link)
			continue;
		if (now >= in->next_publish_ms) {
			int64_t period = in->interval_s * 1000LL;
			in->next_publish_ms += period;
			if (in->next_publish_ms <= now) /* fell behind: skip, never burst */
				in->next_publish_ms = now + period;
			in->owed_since = 0; /* a new interval: what it owes starts now */
			s_publish(m, in, now);
		} else if (in->owed_since) {
			s_publish(m, in, now);
		}
		link_tick(in->link, now);
	}
	for (size_t i = 0; i < m->nretiring;) {
		if (link_closed(m->retiring[i], now)) {
			link_destroy(&m->retiring[i]);
			m->retiring[i] = m->retiring[--m->nretiring];
		} else {
			i++;
		}
	}
}

void mqttd_close(struct mqttd *m)
{
	int64_t now = clock_mono_ms();
	for (size_t i = 0; i < m->ninst; i++) {
		if (m->inst[i].link)
			s_retire(m, m->inst[i].link);
		m->inst[i].link = NULL;
		json_decref(m->inst[i].discovery_cfg);
		m->inst[i].discovery_cfg = NULL;
	}
	m->ninst = 0;
	/* wait for the goodbyes on the event socket, never longer than the
	 * links' own deadline */
	for (;;) {
		now = clock_mono_ms();
		bool all = true;
		for (size_t i = 0; i < m->nretiring; i++)
			all &= link_closed(m->retiring[i], now);
		if (all)
			break;
		struct pollfd p = { .fd = m->events[0], .events = POLLIN };
		poll(&p, 1, 100);
		s_drain_events(m);
	}
	for (size_t i = 0; i < m->nretiring; i++)
		link_destroy(&m->retiring[i]);
	m->nretiring = 0;
	bus_sub_destroy(&m->sub);
	reading_cache_destroy(&m->latest);
	if (m->events[0] >= 0) {
		close(m->events[0]);
		close(m->events[1]);
	}
}

/* ---- status ---- */

static void s_status(struct daemon *d, json_t *st, void *ud)
{
	(void)d;
	struct mqttd *m = ud;
	json_t *list = json_array();
	size_t up = 0, enabled = 0;
	for (size_t i = 0; i < m->ninst; i++) {
		struct mqttd_instance *in = &m->inst[i];
		json_t *o = in->link ? link_status(in->link) : json_pack("{s:b,s:s}", "connected", 0, "state", "disabled");
		json_object_set_new(o, "title", json_string(in->title));
		json_object_set_new(o, "enabled", json_boolean(in->link != NULL));
		json_object_set_new(o, "topic", json_string(in->topic));
		if (in->link) {
			const struct link_settings *s = link_settings(in->link);
			char broker[300];
			snprintf(broker, sizeof broker, "%s:%d", s->host, s->port);
			json_object_set_new(o, "broker", json_string(broker));
			json_object_set_new(o, "tls", json_boolean(s->tls));
			json_object_set_new(o, "client_id", json_string(s->client_id));
			json_object_set_new(o, "interval_s", json_integer(in->interval_s));
			json_object_set_new(o, "rtdata_published", json_integer((json_int_t)in->published));
			json_object_set_new(o, "intervals_without_readings", json_integer((json_int_t)in->skipped));
			json_object_set_new(o, "ha_discovery", json_boolean(in->discovery));
			size_t acked = s_discovery_acked(in);
			json_object_set_new(o, "discovery_configs", json_integer((json_int_t)acked));
			json_object_set_new(o, "discovery_configs_waiting",
					    json_integer((json_int_t)(json_object_size(in->discovery_cfg) - acked)));
			enabled++;
			up += link_connected(in->link);
		}
		json_array_append_new(list, o);
	}
	json_object_set_new(st, "instances", list);
	json_object_set_new(st, "instances_enabled", json_integer((json_int_t)enabled));
	json_object_set_new(st, "instances_connected", json_integer((json_int_t)up));
	json_object_set_new(st, "readings_rejected", json_integer((json_int_t)m->bus_rejected));
	if (link_events_lost())
		json_object_set_new(st, "events_lost", json_integer((json_int_t)link_events_lost()));
	if (enabled && up < enabled) {
		char fault[256];
		snprintf(fault, sizeof fault, "%zu of %zu MQTT instances not connected", enabled - up, enabled);
		json_object_set_new(st, "fault", json_string(fault));
	}
}

const struct daemon_ops mqttd_ops = {
	.apply = s_apply,
	.status = s_status,
};

/* mqttd: the application state main.c wires into the daemon skeleton.
 *
 * It keeps the newest reading of each meter, pulse input and probe from the
 * bus (meter/, pulse/, temp/) and, for each enabled mqtt[] instance, sends
 * every interval_s the manual's {"rtdata":[...]} to the instance's topic
 * through its own link (link.h) to its own broker; with Home Assistant
 * discovery on, also the per-meter state topics and retained discovery
 * configs (discovery.h).  Instances share nothing but the readings: one
 * broker down never delays another. */
#ifndef MQTTD_MQTTD_H
#define MQTTD_MQTTD_H

#include "daemon.h"
#include "identity.h"
#include "link.h"
#include "reading_cache.h"

#include <stdbool.h>
#include <stdint.h>

#define MQTTD_INSTANCES 8
#define MQTTD_PROBES 16
#define MQTTD_TICK_MS 200
/* How long an interval waits for meters whose new reading has not come
 * yet (meterd publishes them a few ms apart) before it goes without them */
#define MQTTD_LATE_MS 600

struct mqttd_instance {
	char title[65];
	char topic[257];
	char prefix[65];
	bool meters[8]; /* selected meters (from "meters", or every enabled one) */
	bool all_meters;
	int interval_s, qos;
	bool retain, discovery;
	struct link *link;
	int64_t next_publish_ms;
	uint64_t published, skipped;
	int64_t sent_at[8]; /* at_ms of each meter's reading last sent: none goes twice */
	int64_t owed_since; /* 0, or when an interval found a meter's new reading not there yet */
	json_t *discovery_cfg; /* the configs wanted now: topic -> payload text */
};

struct mqttd {
	struct daemon *daemon;
	struct bus_sub *sub;
	int events[2];
	char mac[IDENTITY_MAC_LEN];
	bool meter_enabled[8];
	char meter_name[8][65];
	char meter_probe[8][16];
	bool pulse_enabled[8];
	char pulse_name[8][65], pulse_unit[8][17];
	/* what is published (rtdata_meter/pulse/probe) of each source, and
	 * the probes announced before their first reading; a stale reading
	 * is not sent: its daemon has stopped */
	struct reading_cache *latest;
	int probe_interval_s; /* temps.interval_s: how long a probe's reading is fresh */
	struct mqttd_instance inst[MQTTD_INSTANCES];
	size_t ninst;
	struct link *retiring[MQTTD_INSTANCES * 4]; /* closing, destroyed when done */
	size_t nretiring;
	uint32_t next_link_id;
	uint64_t bus_rejected;
};

extern const struct daemon_ops mqttd_ops;

/* Opens the links' event socket and the bus subscriptions on d, before
 * the first config is applied (it makes links that write to the event
 * socket); -1 with errno. */
int mqttd_open(struct mqttd *m, struct daemon *d);
/* Reconnects, drains queues and publishes what is due (every MQTTD_TICK_MS). */
void mqttd_tick(struct daemon *d, void *ud);
/* Takes one decoded bus message: the newest reading of a meter
 * (meter/<n>/rt), pulse input (pulse/<n>) or probe (temp/<id>, temp/found);
 * one that lacks a field is counted in readings_rejected.  A new probe
 * brings the discovery configs up to date.  Exposed for fuzzing. */
void mqttd_on_reading(struct mqttd *m, const char *topic, json_t *msg);
/* Says goodbye to every broker, waiting at most a few seconds in all. */
void mqttd_close(struct mqttd *m);

#endif

/* discovery: Home Assistant MQTT discovery for one mqttd instance, as pure
 * functions (table-tested in tests/mqttd/check_discovery.c).
 *
 * Topics, for an instance whose topic is BASE on a hub with MAC m:
 *   BASE/status                   "online"/"offline", retained (last will)
 *   BASE/meter/<did>              one meter's rtdata object (common/rtdata.h)
 *   BASE/pulse/<n>                a pulse input: n, name, unit, count, total, rate, ts
 *   BASE/temp/<probe id>          a probe: id, T, ts
 *   PREFIX/sensor/<node>/<object>/config   retained discovery configs, where
 *       node = "eniscope_" + the MAC's 12 hex digits and object names the
 *       meter/input/probe and the quantity ("meter1_power").
 * One Home Assistant device per meter (identifiers from its uid, name from
 * its config name), per pulse input and per probe; every entity's
 * availability is BASE/status.  docs/MQTT.md shows every payload. */
#ifndef MQTTD_DISCOVERY_H
#define MQTTD_DISCOVERY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define DISCOVERY_TOPIC_MAX 400

struct discovery_hub {
	const char *mac;    /* "00:01:02:03:04:05" */
	const char *prefix; /* discovery prefix, "homeassistant" */
	const char *base;   /* the instance's topic */
};

struct discovery_meter {
	int did;
	const char *uid;
	const char *name;
};

struct discovery_pulse {
	int n;
	const char *name;
	const char *unit; /* as configured: "m3", "L", "Wh", ... */
};

struct discovery_probe {
	const char *id;   /* "28-0316a2799aff" */
	const char *name; /* the meter it is linked to, or NULL */
};

/* The sensors each meter gets: bus field, entity name, device_class,
 * state_class; the unit is the field's (common/reading_schema.h).
 * NULL-terminated by .field. */
struct discovery_sensor {
	const char *field, *key, *name, *device_class, *state_class;
};
extern const struct discovery_sensor discovery_meter_sensors[];

void discovery_status_topic(const char *base, char *buf, size_t len);
void discovery_meter_topic(const char *base, int did, char *buf, size_t len);
void discovery_pulse_topic(const char *base, int n, char *buf, size_t len);
void discovery_probe_topic(const char *base, const char *id, char *buf, size_t len);
/* PREFIX/sensor/<node>/+/config: every config this hub may have left */
void discovery_subscription(const struct discovery_hub *hub, char *buf, size_t len);

/* Every config this instance should have retained on its broker: an object
 * mapping config topic -> payload object. */
json_t *discovery_configs(const struct discovery_hub *hub, const struct discovery_meter *meters, size_t nmeters,
			  const struct discovery_pulse *pulses, size_t npulses, const struct discovery_probe *probes,
			  size_t nprobes);

/* True when a retained message on topic (from discovery_subscription) is a
 * config this instance published: its state_topic is under BASE/.  Those
 * that are no longer wanted are cleared with an empty retained payload; a
 * config another instance owns is left alone. */
bool discovery_owned(const struct discovery_hub *hub, const char *payload, size_t len);

/* The Home Assistant classes for a pulse input: from its unit (m3 -> gas,
 * or water when the input's name says water; L, gal -> water; Wh, kWh, MWh
 * -> energy; anything else: none) and the unit as Home Assistant spells it
 * ("m3" -> "m³").  *device_class is NULL for none. */
void discovery_pulse_class(const char *name, const char *unit, const char **device_class, const char **ha_unit);

#endif

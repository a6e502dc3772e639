/* discovery: see discovery.h.  The config payloads use Home Assistant's
 * long key names (no abbreviations) so that docs and tests read plainly;
 * they are a few hundred bytes each, retained once per connection. */
#include "discovery.h"

#include "reading_schema.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const struct discovery_sensor discovery_meter_sensors[] = {
	{ "P", "power", "Power", "power", "measurement" },
	{ "E", "energy_import", "Energy import", "energy", "total_increasing" },
	{ "Ex", "energy_export", "Energy export", "energy", "total_increasing" },
	{ "V", "voltage", "Voltage", "voltage", "measurement" },
	{ "I", "current", "Current", "current", "measurement" },
	{ "PF", "power_factor", "Power factor", "power_factor", "measurement" },
	{ "F", "frequency", "Frequency", "frequency", "measurement" },
	{ NULL, NULL, NULL, NULL, NULL },
};

void discovery_status_topic(const char *base, char *buf, size_t len)
{
	snprintf(buf, len, "%s/status", base);
}

void discovery_meter_topic(const char *base, int did, char *buf, size_t len)
{
	snprintf(buf, len, "%s/meter/%d", base, did);
}

void discovery_pulse_topic(const char *base, int n, char *buf, size_t len)
{
	snprintf(buf, len, "%s/pulse/%d", base, n);
}

void discovery_probe_topic(const char *base, const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/temp/%s", base, id);
}

/* Lower-case hex digits only: "00:01:0A" -> "00010a".  Home Assistant's
 * node and object ids allow [a-zA-Z0-9_-]. */
static void s_hex(const char *s, char *out, size_t len)
{
	size_t n = 0;
	for (; *s && n + 1 < len; s++)
		if (isxdigit((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

static void s_node(const struct discovery_hub *hub, char *buf, size_t len)
{
	char hex[32];
	s_hex(hub->mac, hex, sizeof hex);
	snprintf(buf, len, "eniscope_%s", hex);
}

void discovery_subscription(const struct discovery_hub *hub, char *buf, size_t len)
{
	char node[48];
	s_node(hub, node, sizeof node);
	snprintf(buf, len, "%s/sensor/%s/+/config", hub->prefix, node);
}

/* A probe id as an object id: "28-0316a2799aff" -> "28_0316a2799aff" */
static void s_object_safe(const char *s, char *out, size_t len)
{
	size_t n = 0;
	for (; *s && n + 1 < len; s++)
		out[n++] = isalnum((unsigned char)*s) ? (char)tolower((unsigned char)*s) : '_';
	out[n] = '\0';
}

struct entity {
	const char *object;     /* object id, unique under the node */
	const char *name;       /* entity name, shown after the device's */
	const char *state;      /* state topic */
	const char *field;      /* value_json key */
	const char *device_class, *state_class, *unit;
	json_t *device;         /* borrowed */
};

static void s_add(json_t *out, const struct discovery_hub *hub, const struct entity *e)
{
	char node[48], topic[DISCOVERY_TOPIC_MAX], uniq[128], tmpl[64], status[DISCOVERY_TOPIC_MAX];
	s_node(hub, node, sizeof node);
	snprintf(topic, sizeof topic, "%s/sensor/%s/%s/config", hub->prefix, node, e->object);
	snprintf(uniq, sizeof uniq, "%s_%s", node, e->object);
	snprintf(tmpl, sizeof tmpl, "{{ value_json.%s }}", e->field);
	discovery_status_topic(hub->base, status, sizeof status);
	json_t *c = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:O}", "name", e->name, "unique_id", uniq, "state_topic",
			      e->state, "value_template", tmpl, "availability_topic", status, "payload_available",
			      "online", "payload_not_available", "offline", "device", e->device);
	if (e->device_class)
		json_object_set_new(c, "device_class", json_string(e->device_class));
	if (e->state_class)
		json_object_set_new(c, "state_class", json_string(e->state_class));
	if (e->unit)
		json_object_set_new(c, "unit_of_measurement", json_string(e->unit));
	json_object_set_new(out, topic, c);
}

/* A field's unit as Home Assistant takes it: NULL for none. */
static const char *s_unit(enum reading_kind kind, const char *field)
{
	const struct reading_field *f = reading_field(kind, field);
	return f && f->unit && f->unit[0] ? f->unit : NULL;
}

static json_t *s_device(const char *ident, const char *name, const char *model)
{
	return json_pack("{s:[s],s:s,s:s,s:s}", "identifiers", ident, "name", name, "manufacturer", "eniscope-hub",
			 "model", model);
}

void discovery_pulse_class(const char *name, const char *unit, const char **device_class, const char **ha_unit)
{
	static const struct {
		const char *unit, *ha_unit, *device_class;
	} units[] = {
		{ "m3", "m³", "gas" }, { "m³", "m³", "gas" }, { "ft3", "ft³", "gas" }, { "ft³", "ft³", "gas" },
		{ "L", "L", "water" }, { "l", "L", "water" }, { "gal", "gal", "water" },
		{ "Wh", "Wh", "energy" }, { "kWh", "kWh", "energy" }, { "MWh", "MWh", "energy" },
	};
	*device_class = NULL;
	*ha_unit = unit;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(unit, units[i].unit))
			continue;
		*ha_unit = units[i].ha_unit;
		*device_class = units[i].device_class;
		/* a volume in m3 or ft3 is gas unless the input says water */
		if (!strcmp(*device_class, "gas") && name && strcasestr(name, "water"))
			*device_class = "water";
		return;
	}
}

json_t *discovery_configs(const struct discovery_hub *hub, const struct discovery_meter *meters, size_t nmeters,
			  const struct discovery_pulse *pulses, size_t npulses, const struct discovery_probe *probes,
			  size_t nprobes)
{
	json_t *out = json_object();
	char hex[32], ident[96], object[96], name[160], state[DISCOVERY_TOPIC_MAX];
	s_hex(hub->mac, hex, sizeof hex);
	for (size_t i = 0; i < nmeters; i++) {
		const struct discovery_meter *m = &meters[i];
		char uidhex[40];
		s_hex(m->uid, uidhex, sizeof uidhex);
		snprintf(ident, sizeof ident, "eniscope_%s", uidhex);
		snprintf(name, sizeof name, "Eniscope meter %d", m->did);
		json_t *dev = s_device(ident, m->name, name);
		discovery_meter_topic(hub->base, m->did, state, sizeof state);
		for (const struct discovery_sensor *s = discovery_meter_sensors; s->field; s++) {
			snprintf(object, sizeof object, "meter%d_%s", m->did, s->key);
			s_add(out, hub,
			      &(struct entity){ object, s->name, state, s->field, s->device_class, s->state_class,
						s_unit(READING_METER, s->field), dev });
		}
		json_decref(dev);
	}
	for (size_t i = 0; i < npulses; i++) {
		const struct discovery_pulse *p = &pulses[i];
		const char *dc, *unit;
		discovery_pulse_class(p->name, p->unit, &dc, &unit);
		snprintf(ident, sizeof ident, "eniscope_%s_pulse%d", hex, p->n);
		snprintf(name, sizeof name, "Eniscope pulse input %d", p->n);
		json_t *dev = s_device(ident, p->name, name);
		discovery_pulse_topic(hub->base, p->n, state, sizeof state);
		snprintf(object, sizeof object, "pulse%d_total", p->n);
		s_add(out, hub, &(struct entity){ object, "Total", state, "total", dc, "total_increasing", unit, dev });
		json_decref(dev);
	}
	for (size_t i = 0; i < nprobes; i++) {
		const struct discovery_probe *t = &probes[i];
		char safe[64];
		s_object_safe(t->id, safe, sizeof safe);
		snprintf(ident, sizeof ident, "eniscope_%s_probe_%s", hex, safe);
		if (t->name)
			snprintf(name, sizeof name, "%s temperature", t->name);
		else
			snprintf(name, sizeof name, "Temperature %s", t->id);
		json_t *dev = s_device(ident, name, "Eniscope 1-wire probe");
		discovery_probe_topic(hub->base, t->id, state, sizeof state);
		snprintf(object, sizeof object, "probe_%s_temperature", safe);
		s_add(out, hub,
		      &(struct entity){ object, "Temperature", state, "T", "temperature", "measurement",
					s_unit(READING_TEMP, "T"), dev });
		json_decref(dev);
	}
	return out;
}

bool discovery_owned(const struct discovery_hub *hub, const char *payload, size_t len)
{
	json_t *c = json_loadb(payload, len, 0, NULL);
	const char *st = json_string_value(json_object_get(c, "state_topic"));
	size_t n = strlen(hub->base);
	bool owned = st && !strncmp(st, hub->base, n) && st[n] == '/';
	json_decref(c);
	return owned;
}

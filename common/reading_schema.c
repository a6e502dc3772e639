/* reading_schema: see reading_schema.h.  The rows below are the one place a
 * reading's fields are written down; docs/BUS.md shows the same table. */
#include "reading_schema.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define B READING_BUS
#define ST(s, k) ((s) < 0 ? -1 : (s) + (k))
/* one field; src is the field itself */
#define F(name, q, ph, unit, label, flags, bdp, udp, store, agg, width) \
	{ name, q, ph, unit, label, flags, bdp, udp, store, name, agg, width }
/* X1 X2 X3 (stored from bit s on, when s >= 0) */
#define PHASES(q, unit, label, bdp, udp, s, agg, w)                                 \
	F(q "1", q, 1, unit, label " L1", B, bdp, udp, ST(s, 0), agg, w),           \
	F(q "2", q, 2, unit, label " L2", B, bdp, udp, ST(s, 1), agg, w),           \
	F(q "3", q, 3, unit, label " L3", B, bdp, udp, ST(s, 2), agg, w)
/* X1 X2 X3 and the system X at bit s + 3 */
#define SYSTEM(q, unit, label, flags, bdp, udp, s, agg, w) \
	PHASES(q, unit, label, bdp, udp, s, agg, w), F(q, q, 0, unit, label, B | (flags), bdp, udp, ST(s, 3), agg, w)
#define REGISTER(q, unit, label, s) SYSTEM(q, unit, label, READING_SUMMED, 5, 0, s, READING_LAST, 8)

static const struct reading_field s_meter[] = {
	SYSTEM("V", "V", "Voltage", 0, 2, 1, 0, READING_AVG, 4),
	SYSTEM("U", "V", "Line voltage", 0, 2, 1, -1, READING_AVG, 4),
	SYSTEM("I", "A", "Current", READING_SUMMED, 4, 2, 4, READING_AVG, 4),
	F("In", "In", 0, "A", "Neutral current", B, 4, 2, 8, READING_AVG, 4),
	SYSTEM("P", "W", "Active power", READING_SUMMED, 2, 0, 9, READING_AVG, 4),
	SYSTEM("Q", "var", "Reactive power", READING_SUMMED, 2, 0, 13, READING_AVG, 4),
	SYSTEM("S", "VA", "Apparent power", READING_SUMMED, 2, 0, 17, READING_AVG, 4),
	SYSTEM("PF", "", "Power factor", 0, 5, 3, 21, READING_AVG, 4),
	PHASES("A", "°", "Voltage angle", 2, 1, -1, READING_AVG, 4),
	F("F", "F", 0, "Hz", "Frequency", B, 3, 2, 25, READING_AVG, 4),
	REGISTER("E", "Wh", "Energy imported", 28),
	REGISTER("Ex", "Wh", "Energy exported", 32),
	REGISTER("RE", "varh", "Reactive energy lagging", 36),
	REGISTER("REx", "varh", "Reactive energy leading", 40),
	REGISTER("AE", "VAh", "Apparent energy", 44),
	/* the minute's extremes of P: stored, never on the bus */
	{ "Pmin", "Pmin", 0, "W", "Active power, minute's minimum", 0, 2, 0, 26, "P", READING_MIN, 4 },
	{ "Pmax", "Pmax", 0, "W", "Active power, minute's maximum", 0, 2, 0, 27, "P", READING_MAX, 4 },
	/* the meter's linked pulse input and probe (docs/METERING.md) */
	F("Pulse", "Pulse", 0, "", "Linked pulse count", B | READING_OPTIONAL | READING_INTEGER, -1, 0, -1, READING_LAST, 8),
	F("T", "T", 0, "°C", "Linked probe temperature", B | READING_OPTIONAL, 3, 2, -1, READING_AVG, 4),
};

static const struct reading_field s_pulse[] = {
	F("n", "n", 0, "", "Input", B | READING_LABEL, -1, 0, -1, READING_LAST, 8),
	F("name", "name", 0, "", "Name", B | READING_LABEL, -1, 0, -1, READING_LAST, 8),
	F("unit", "unit", 0, "", "Unit", B | READING_LABEL, -1, 0, -1, READING_LAST, 8),
	F("count", "count", 0, "", "Pulses counted", B | READING_INTEGER, -1, 0, 0, READING_LAST, 8),
	F("total", "total", 0, NULL, "Total", B, -1, 3, 1, READING_LAST, 8),
	/* units an hour; none before the second pulse */
	F("rate", "rate", 0, NULL, "Rate per hour", B | READING_OPTIONAL, -1, 3, -1, READING_AVG, 4),
};

static const struct reading_field s_temp[] = {
	F("id", "id", 0, "", "Probe", B | READING_LABEL, -1, 0, -1, READING_LAST, 8),
	F("T", "T", 0, "°C", "Temperature", B, 3, 2, 0, READING_AVG, 4),
};

#define COUNT(a) (sizeof a / sizeof a[0])

/* per kind: its name, the prefix of its topics, who publishes it */
static const struct {
	const char *name, *prefix, *publisher;
	const struct reading_field *fields;
	size_t nfields;
} s_kinds[READING_KINDS + 1] = {
	[READING_METER] = { "meter", "meter/", "meterd", s_meter, COUNT(s_meter) },
	[READING_PULSE] = { "pulse", "pulse/", "pulsed", s_pulse, COUNT(s_pulse) },
	[READING_TEMP] = { "temp", "temp/", "tempd", s_temp, COUNT(s_temp) },
};

static bool s_is_kind(enum reading_kind kind)
{
	return kind >= READING_METER && kind <= READING_KINDS;
}

const struct reading_field *reading_fields(enum reading_kind kind, size_t *count)
{
	*count = s_is_kind(kind) ? s_kinds[kind].nfields : 0;
	return s_is_kind(kind) ? s_kinds[kind].fields : NULL;
}

const struct reading_field *reading_field(enum reading_kind kind, const char *name)
{
	size_t n;
	const struct reading_field *f = reading_fields(kind, &n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			return &f[i];
	return NULL;
}

/* The blob order is the store bits', which is not the manual's (U and A
 * came later and are not kept): sorted once, on first use.  The daemons
 * and CGIs are single-threaded; two threads would write the same bytes. */
static struct {
	bool done;
	size_t n;
	struct reading_field f[READING_STORED_MAX];
} s_stored[READING_KINDS + 1];

const struct reading_field *reading_stored(enum reading_kind kind, size_t *count)
{
	size_t nf;
	const struct reading_field *f = reading_fields(kind, &nf);
	if (!f) {
		*count = 0;
		return NULL;
	}
	if (!s_stored[kind].done) {
		size_t n = 0;
		for (size_t i = 0; i < nf; i++)
			if (f[i].store >= 0 && f[i].store < READING_STORED_MAX) {
				s_stored[kind].f[f[i].store] = f[i];
				n++;
			}
		s_stored[kind].n = n;
		s_stored[kind].done = true;
	}
	*count = s_stored[kind].n;
	return s_stored[kind].f;
}

const char *reading_kind_name(enum reading_kind kind)
{
	return s_is_kind(kind) ? s_kinds[kind].name : "?";
}

enum reading_kind reading_kind_parse(const char *name)
{
	for (int k = 1; name && k <= READING_KINDS; k++)
		if (!strcmp(name, reading_kind_name(k)))
			return k;
	return 0;
}

bool reading_n_valid(enum reading_kind kind, const char *n, char *err, size_t errlen)
{
	if (kind == READING_TEMP) {
		size_t len = strlen(n);
		bool ok = len == 15 && n[2] == '-';
		for (size_t i = 0; ok && i < len; i++)
			if (i != 2 && !strchr("0123456789abcdef", n[i]))
				ok = false;
		/* lower-case only, as the kernel names them: the id goes into MQTT
		 * topics and Home Assistant object ids, where two spellings of one
		 * probe would make two entities */
		if (!ok)
			snprintf(err, errlen, "\"%.40s\" is not a 1-wire probe id as the kernel names it (like 28-0316a2799aff)", n);
		return ok;
	}
	if (strlen(n) == 1 && n[0] >= '1' && n[0] <= '8')
		return true;
	snprintf(err, errlen, "%s number \"%.40s\" is not 1..8", reading_kind_name(kind), n);
	return false;
}

const char *reading_topic_prefix(enum reading_kind kind)
{
	return s_is_kind(kind) ? s_kinds[kind].prefix : NULL;
}

const char *reading_publisher(enum reading_kind kind)
{
	return s_is_kind(kind) ? s_kinds[kind].publisher : NULL;
}

int reading_topic(enum reading_kind kind, const char *n, char *buf, size_t len)
{
	const char *prefix = reading_topic_prefix(kind);
	if (!prefix)
		return -1;
	int w = snprintf(buf, len, "%s%s%s", prefix, n, kind == READING_METER ? "/rt" : "");
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

enum reading_kind reading_topic_parse(const char *topic, char *n, size_t nlen)
{
	for (int k = 1; k <= READING_KINDS; k++) {
		const char *prefix = reading_topic_prefix(k);
		size_t pl = strlen(prefix);
		if (strncmp(topic, prefix, pl))
			continue;
		const char *rest = topic + pl, *slash = strchr(rest, '/');
		size_t len = slash ? (size_t)(slash - rest) : strlen(rest);
		/* meter/<n>/rt; pulse/<n> and temp/<id> end at the name */
		bool tail_ok = k == READING_METER ? slash && !strcmp(slash, "/rt") : !slash;
		if (!tail_ok || len >= nlen || (k == READING_TEMP && !strcmp(rest, "found")))
			return 0;
		memcpy(n, rest, len);
		n[len] = '\0';
		return k;
	}
	return 0;
}

double reading_round(const struct reading_field *f, double v)
{
	static const double step[] = { 1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6 };
	if (f->bus_dp < 0 || f->bus_dp >= (int)COUNT(step))
		return v;
	double r = round(v / step[f->bus_dp]) * step[f->bus_dp];
	return r == 0 ? 0 : r; /* never "-0" */
}

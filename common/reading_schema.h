/* reading_schema: what a reading is, written down once.  The hub's three
 * kinds of source (a meter, a pulse input, a 1-wire probe) each publish a
 * reading on the bus; this table says, for every field of each kind, its
 * name, unit, phase, resolution and how a stored minute keeps it, and the
 * topics carry them.  Every program that makes, checks, stores, sends or
 * shows a reading works from it: meterd rounds to it, storaged's records and
 * blobs are laid out by it, mqttd copies by it, uploadd's series and line
 * protocol are encoded by it, the pages and alarmd name and label by it.
 *
 * Names, units and the bus resolution are the manual's rtdata (its MQTT
 * section's example; docs/BUS.md); a meter's fields are in the example's
 * order.  Two resolutions stand beside each other on purpose: the bus
 * carries what the manual shows (0.01 V, 0.0001 A ...), uploadd's series
 * send what a class 0.5 meter can stand behind in fewer digits (0.1 V,
 * 0.01 A, 1 W ...; docs/UPLOAD.md).  Adding a field is adding a row; a
 * stored field's `store` bit is its place in storaged's blob and never
 * changes (docs/STORE.md). */
#ifndef COMMON_READING_SCHEMA_H
#define COMMON_READING_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

enum reading_kind { READING_METER = 1, READING_PULSE = 2, READING_TEMP = 3 };
#define READING_KINDS 3

/* How a stored minute keeps a field. */
enum reading_agg {
	READING_AVG,  /* the minute's average */
	READING_MIN,  /* the minute's minimum of .src */
	READING_MAX,  /* the minute's maximum of .src */
	READING_LAST, /* the value at the minute's end (registers, counters) */
};

/* flags */
#define READING_BUS 1u      /* on the bus: the publisher sends it */
#define READING_OPTIONAL 2u /* on the bus only when known (a meter's linked Pulse and T, a pulse rate) */
#define READING_LABEL 4u    /* text or a number naming the source, not a measurement */
#define READING_SUMMED 8u   /* a system value that is the sum of its phases X1+X2+X3 */
#define READING_INTEGER 16u /* a whole number >= 0 (a count), sent as a JSON integer */

struct reading_field {
	const char *name;     /* on the bus, in stored "values", CSV headers and uploads: "V1" */
	const char *quantity; /* the name without its phase digit: "V" */
	int phase;            /* 1..3; 0: a system value or not per phase */
	const char *unit;     /* SI symbol; "" none; NULL: the source's configured unit (a pulse total) */
	const char *label;    /* for pages and alarm rules: "Voltage L1-N" */
	unsigned flags;
	int bus_dp;    /* decimal places on the bus (the manual's resolution); -1: none fixed
			 * (an integer count, a label, pulsed's 12 significant digits) */
	int upload_dp; /* decimal places in uploadd's series (common/columns.h) */
	/* storaged's minute record; store < 0: not stored */
	int store;            /* bit in the blob's presence mask, index in struct record's v[] */
	const char *src;      /* the bus field the minute is made of (Pmin from P) */
	enum reading_agg agg; /* how */
	int width;            /* on disk: 4 float32 (7 digits: more than the ADC resolves), 8 float64 */
};

/* Every field of a kind, in the manual's order, and how many.  NULL and 0
 * for a kind that is not one. */
const struct reading_field *reading_fields(enum reading_kind kind, size_t *count);
/* The field called name of kind; NULL when the kind has none. */
const struct reading_field *reading_field(enum reading_kind kind, const char *name);
/* The fields storaged keeps of a kind, in blob order (element i has
 * store == i), and how many (at most READING_STORED_MAX). */
const struct reading_field *reading_stored(enum reading_kind kind, size_t *count);
#define READING_STORED_MAX 48

/* "meter", "pulse", "temp", or "?" */
const char *reading_kind_name(enum reading_kind kind);
/* 0 when name is none of them (NULL too). */
enum reading_kind reading_kind_parse(const char *name);
/* Checks a source's name for its kind: "1".."8" for meters and pulse
 * inputs (the hub's inputs), a 1-wire id for probes (family byte, '-', 12
 * hex digits, lower-case: "28-0316a2799aff", the w1 sysfs name).  false
 * with a reason in err. */
bool reading_n_valid(enum reading_kind kind, const char *n, char *err, size_t errlen);
#define READING_N_MAX 24 /* "8" or a probe id, with its NUL */

/* ---- topics (docs/BUS.md) ---- */

/* The topic of a source's reading: "meter/3/rt", "pulse/2", "temp/<id>";
 * -1 when it does not fit in len. */
int reading_topic(enum reading_kind kind, const char *n, char *buf, size_t len);
/* The kind and source of a reading's topic, its source name copied to n;
 * 0 when the topic is not a reading (temp/found, status/..., a name longer
 * than nlen - 1 or with a '/').  The name is not checked for its kind:
 * reading_n_valid says what is wrong with "pulse/9". */
enum reading_kind reading_topic_parse(const char *topic, char *n, size_t nlen);
/* The prefix to subscribe to for a kind's readings ("meter/", "pulse/",
 * "temp/") and the daemon that publishes them ("meterd", "pulsed", "tempd"). */
const char *reading_topic_prefix(enum reading_kind kind);
const char *reading_publisher(enum reading_kind kind);

/* ---- values ---- */

/* v rounded to f's bus resolution, never "-0". */
double reading_round(const struct reading_field *f, double v);

#endif

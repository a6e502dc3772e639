/* lineproto: see lineproto.h. */
#include "lineproto.h"

#include "reading_schema.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void lineproto_escape(struct buf *out, const char *s, enum lp_part part)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			c = ' '; /* and escaped as one below */
		if (part == LP_STRING) {
			if (c == '"' || c == '\\')
				buf_putc(out, '\\');
			buf_putc(out, (char)c);
			continue;
		}
		if (c == '\\') {
			buf_putc(out, '/');
			continue;
		}
		if (c == ',' || c == ' ' || (c == '=' && part == LP_TAG))
			buf_putc(out, '\\');
		buf_putc(out, (char)c);
	}
}

static void s_tag(struct buf *out, const char *key, const char *value)
{
	if (!value || !value[0])
		return; /* InfluxDB refuses an empty tag value: leave the tag out */
	buf_putc(out, ',');
	lineproto_escape(out, key, LP_TAG);
	buf_putc(out, '=');
	lineproto_escape(out, value, LP_TAG);
}

/* Appends ",key=value" or " key=value" (first); false when the value is
 * not a finite number or a string. */
static bool s_field(struct buf *out, bool first, const char *key, const json_t *v)
{
	if (json_is_number(v)) {
		double d = json_number_value(v);
		if (!isfinite(d))
			return false;
		buf_putc(out, first ? ' ' : ',');
		lineproto_escape(out, key, LP_TAG);
		buf_printf(out, "=%.15g", d);
		return true;
	}
	if (json_is_string(v)) {
		buf_putc(out, first ? ' ' : ',');
		lineproto_escape(out, key, LP_TAG);
		buf_puts(out, "=\"");
		lineproto_escape(out, json_string_value(v), LP_STRING);
		buf_putc(out, '"');
		return true;
	}
	return false;
}

static bool s_is_time_known(const char *t)
{
	return t && (!strcmp(t, "synced") || !strcmp(t, "restamped"));
}

int lineproto_record(struct buf *out, const json_t *rec, const struct hubinfo *hub, char *err, size_t errlen)
{
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	const json_t *jn = json_object_get(rec, "n");
	const json_t *values = json_object_get(rec, "values");
	const json_t *jts = json_object_get(rec, "ts");
	char n[32];
	if (json_is_integer(jn))
		snprintf(n, sizeof n, "%lld", (long long)json_integer_value(jn));
	else if (json_is_string(jn) && json_string_length(jn) < sizeof n)
		snprintf(n, sizeof n, "%s", json_string_value(jn));
	else {
		snprintf(err, errlen, "record has no usable \"n\"");
		return -1;
	}
	if (!kind || !json_is_object(values) || !json_is_integer(jts) || json_integer_value(jts) <= 0) {
		snprintf(err, errlen, "record lacks kind, values or a positive integer ts");
		return -1;
	}
	if (!s_is_time_known(json_string_value(json_object_get(rec, "time")))) {
		snprintf(err, errlen, "record's time is not known");
		return -1;
	}
	long long ts = (long long)json_integer_value(jts);
	size_t start = out->len;
	int lines = 0;
	const char *key;
	const json_t *v;

	if (!strcmp(kind, "meter")) {
		/* each value's field, looked up once for the four lines; a value
		 * the schema does not know goes on the total line */
		const struct reading_field *field[64];
		size_t nv = 0;
		json_object_foreach ((json_t *)values, key, v) {
			if (nv == sizeof field / sizeof field[0])
				break;
			field[nv++] = reading_field(READING_METER, key);
		}
		/* phase 0 = total */
		for (int phase = 1; phase <= 4; phase++) {
			int want = phase == 4 ? 0 : phase;
			size_t line_start = out->len;
			buf_puts(out, "meter");
			s_tag(out, "hub", hub->mac);
			s_tag(out, "meter", n);
			s_tag(out, "name", hubinfo_meter_name(hub, n));
			char ph[8];
			snprintf(ph, sizeof ph, "%d", want);
			s_tag(out, "phase", want ? ph : "total");
			bool first = true;
			size_t i = 0;
			json_object_foreach ((json_t *)values, key, v) {
				const struct reading_field *f = i < nv ? field[i] : reading_field(READING_METER, key);
				i++;
				int p = f ? f->phase : 0;
				if (p != want)
					continue;
				if (s_field(out, first, p ? f->quantity : key, v))
					first = false;
			}
			if (first) { /* no field for this phase (a single-phase meter) */
				buf_truncate(out, line_start);
				continue;
			}
			buf_printf(out, " %lld\n", ts);
			lines++;
		}
	} else if (!strcmp(kind, "pulse") || !strcmp(kind, "temp")) {
		bool pulse = kind[0] == 'p';
		buf_puts(out, pulse ? "pulse" : "temperature");
		s_tag(out, "hub", hub->mac);
		s_tag(out, pulse ? "input" : "probe", n);
		if (pulse) {
			s_tag(out, "name", hubinfo_pulse_name(hub, n));
			s_tag(out, "unit", json_string_value(json_object_get(values, "unit")));
		}
		bool first = true;
		json_object_foreach ((json_t *)values, key, v) {
			if (pulse && !strcmp(key, "unit"))
				continue;
			if (s_field(out, first, key, v))
				first = false;
		}
		if (!first) {
			buf_printf(out, " %lld\n", ts);
			lines++;
		}
	} else {
		snprintf(err, errlen, "unknown record kind \"%.20s\"", kind);
		return -1;
	}
	if (!lines) {
		buf_truncate(out, start);
		snprintf(err, errlen, "record has no values");
		return -1;
	}
	return lines;
}

/* record: see record.h. */
#include "record.h"

#include "msg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AVG4(n) { n, n, FIELD_AVG, 4 }
#define REG8(n) { n, n, FIELD_LAST, 8 }

static const struct record_field s_meter[] = {
	AVG4("V1"), AVG4("V2"), AVG4("V3"), AVG4("V"),
	AVG4("I1"), AVG4("I2"), AVG4("I3"), AVG4("I"), AVG4("In"),
	AVG4("P1"), AVG4("P2"), AVG4("P3"), AVG4("P"),
	AVG4("Q1"), AVG4("Q2"), AVG4("Q3"), AVG4("Q"),
	AVG4("S1"), AVG4("S2"), AVG4("S3"), AVG4("S"),
	AVG4("PF1"), AVG4("PF2"), AVG4("PF3"), AVG4("PF"),
	AVG4("F"),
	{ "Pmin", "P", FIELD_MIN, 4 }, { "Pmax", "P", FIELD_MAX, 4 },
	REG8("E1"), REG8("E2"), REG8("E3"), REG8("E"),
	REG8("Ex1"), REG8("Ex2"), REG8("Ex3"), REG8("Ex"),
	REG8("RE1"), REG8("RE2"), REG8("RE3"), REG8("RE"),
	REG8("REx1"), REG8("REx2"), REG8("REx3"), REG8("REx"),
	REG8("AE1"), REG8("AE2"), REG8("AE3"), REG8("AE"),
};

static const struct record_field s_pulse[] = {
	REG8("count"),
	REG8("total"),
};

static const struct record_field s_temp[] = {
	AVG4("T"),
};

_Static_assert(sizeof s_meter / sizeof s_meter[0] <= RECORD_FIELDS_MAX, "meter fields fit the mask");

const struct record_field *record_fields(enum record_kind kind, size_t *count)
{
	switch (kind) {
	case RECORD_METER: *count = sizeof s_meter / sizeof s_meter[0]; return s_meter;
	case RECORD_PULSE: *count = sizeof s_pulse / sizeof s_pulse[0]; return s_pulse;
	case RECORD_TEMP: *count = sizeof s_temp / sizeof s_temp[0]; return s_temp;
	}
	*count = 0;
	return NULL;
}

int record_field_index(enum record_kind kind, const char *name)
{
	size_t nf;
	const struct record_field *f = record_fields(kind, &nf);
	for (size_t i = 0; i < nf; i++)
		if (!strcmp(f[i].name, name))
			return (int)i;
	return -1;
}

const char *record_kind_name(enum record_kind kind)
{
	switch (kind) {
	case RECORD_METER: return "meter";
	case RECORD_PULSE: return "pulse";
	case RECORD_TEMP: return "temp";
	}
	return "?";
}

enum record_kind record_kind_parse(const char *name)
{
	if (!name)
		return 0;
	if (!strcmp(name, "meter"))
		return RECORD_METER;
	if (!strcmp(name, "pulse"))
		return RECORD_PULSE;
	if (!strcmp(name, "temp"))
		return RECORD_TEMP;
	return 0;
}

bool record_n_valid(enum record_kind kind, const char *n, char *err, size_t errlen)
{
	if (kind == RECORD_TEMP) {
		/* a 1-wire id: family byte, '-', 12 hex digits */
		size_t len = strlen(n);
		bool ok = len == 15 && n[2] == '-';
		for (size_t i = 0; ok && i < len; i++)
			if (i != 2 && !strchr("0123456789abcdefABCDEF", n[i]))
				ok = false;
		if (!ok)
			snprintf(err, errlen, "\"%.40s\" is not a 1-wire probe id (like 28-0316a2799aff)", n);
		return ok;
	}
	if (strlen(n) == 1 && n[0] >= '1' && n[0] <= '8')
		return true;
	snprintf(err, errlen, "%s number \"%.40s\" is not 1..8", record_kind_name(kind), n);
	return false;
}

static size_t s_mask_bytes(size_t nf)
{
	return (nf + 7) / 8;
}

size_t record_encode(const struct record *r, uint8_t *buf)
{
	size_t nf;
	const struct record_field *f = record_fields(r->kind, &nf);
	size_t pos = 0;
	buf[pos++] = 1;
	for (size_t b = 0; b < s_mask_bytes(nf); b++)
		buf[pos++] = (uint8_t)(r->mask >> (8 * b));
	for (size_t i = 0; i < nf; i++) {
		if (!(r->mask & (UINT64_C(1) << i)))
			continue;
		uint64_t bits;
		if (f[i].width == 4) {
			float x = (float)r->v[i];
			uint32_t b32;
			memcpy(&b32, &x, 4);
			bits = b32;
		} else {
			memcpy(&bits, &r->v[i], 8);
		}
		for (int b = 0; b < f[i].width; b++)
			buf[pos++] = (uint8_t)(bits >> (8 * b));
	}
	size_t ul = strnlen(r->unit, RECORD_UNIT_MAX - 1);
	memcpy(buf + pos, r->unit, ul);
	return pos + ul;
}

int record_decode(struct record *r, const void *blob, size_t len, char *err, size_t errlen)
{
	const uint8_t *p = blob;
	size_t nf;
	const struct record_field *f = record_fields(r->kind, &nf);
	if (!f || len < 1 + s_mask_bytes(nf) || p[0] != 1) {
		snprintf(err, errlen, "record %lld: value blob of %zu bytes is not format 1 for a %s", (long long)r->id,
			 len, record_kind_name(r->kind));
		return -1;
	}
	size_t pos = 1;
	r->mask = 0;
	for (size_t b = 0; b < s_mask_bytes(nf); b++)
		r->mask |= (uint64_t)p[pos++] << (8 * b);
	if (nf < 64 && (r->mask >> nf)) {
		snprintf(err, errlen, "record %lld: value blob names fields a %s does not have", (long long)r->id,
			 record_kind_name(r->kind));
		return -1;
	}
	for (size_t i = 0; i < nf; i++) {
		if (!(r->mask & (UINT64_C(1) << i)))
			continue;
		if (pos + (size_t)f[i].width > len) {
			snprintf(err, errlen, "record %lld: value blob is truncated at %s", (long long)r->id,
				 f[i].name);
			return -1;
		}
		uint64_t bits = 0;
		for (int b = 0; b < f[i].width; b++)
			bits |= (uint64_t)p[pos++] << (8 * b);
		if (f[i].width == 4) {
			uint32_t b32 = (uint32_t)bits;
			float x;
			memcpy(&x, &b32, 4);
			r->v[i] = x;
		} else {
			memcpy(&r->v[i], &bits, 8);
		}
		/* only bus values were stored (msg.h's range): anything else,
		 * NaN and infinity included, is damage no answer can carry */
		if (!(fabs(r->v[i]) <= MSG_VALUE_MAX)) {
			snprintf(err, errlen, "record %lld: value blob has %s %g, beyond +-%g", (long long)r->id,
				 f[i].name, r->v[i], MSG_VALUE_MAX);
			return -1;
		}
	}
	size_t ul = len - pos;
	if (ul >= RECORD_UNIT_MAX) {
		snprintf(err, errlen, "record %lld: unit of %zu bytes is too long", (long long)r->id, ul);
		return -1;
	}
	json_t *unit = json_stringn((const char *)p + pos, ul);
	json_decref(unit);
	if (!unit || memchr(p + pos, 0, ul)) {
		snprintf(err, errlen, "record %lld: unit is not UTF-8 text", (long long)r->id);
		return -1;
	}
	memcpy(r->unit, p + pos, ul);
	r->unit[ul] = '\0';
	return 0;
}

int record_check_row(const struct record *r, char *err, size_t errlen)
{
	char why[128];
	size_t nf;
	bool known = record_fields(r->kind, &nf) != NULL;
	if (!known || !record_n_valid(r->kind, r->n, why, sizeof why)) {
		snprintf(err, errlen, "record %lld: %s", (long long)r->id, known ? why : "kind is not meter, pulse or temp");
		return -1;
	}
	if (r->ts < 0 || r->ts > (int64_t)MSG_TS_MAX || r->count < 0) {
		snprintf(err, errlen, "record %lld: ts %lld or count %d out of range (ts 0..%.0f, count >= 0)",
			 (long long)r->id, (long long)r->ts, r->count, MSG_TS_MAX);
		return -1;
	}
	return 0;
}

void record_rid(const struct record *r, const char *mac, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s/%lld", mac, record_kind_name(r->kind), r->n, (long long)r->ts);
}

double record_value(const struct record *r, size_t field)
{
	size_t nf;
	const struct record_field *f = record_fields(r->kind, &nf);
	double x = r->v[field];
	if (field < nf && f[field].width == 4 && isfinite(x) && x != 0) {
		char buf[32];
		snprintf(buf, sizeof buf, "%.7g", x);
		x = strtod(buf, NULL);
	}
	return x;
}

void record_to_row(const struct record *r, struct columns_row *row, const char **names, double *vals)
{
	size_t nf;
	const struct record_field *f = record_fields(r->kind, &nf);
	*row = (struct columns_row){ .kind = record_kind_name(r->kind), .n = r->n, .n_is_text = r->kind == RECORD_TEMP,
				     .time = r->restamped ? "restamped" : "synced", .unit = r->unit[0] ? r->unit : NULL,
				     .id = r->id, .ts = r->ts, .count = r->count, .names = names, .vals = vals };
	for (size_t i = 0; i < nf; i++)
		if (r->mask & (UINT64_C(1) << i)) {
			names[row->nvals] = f[i].name;
			vals[row->nvals++] = record_value(r, i);
		}
}

json_t *record_to_json(const struct record *r, const char *mac)
{
	char rid[128];
	record_rid(r, mac, rid, sizeof rid);
	json_t *n = r->kind == RECORD_TEMP ? json_string(r->n) : json_integer(atoi(r->n));
	json_t *o = json_pack("{s:I,s:s,s:s,s:o,s:I,s:s,s:i}", "id", (json_int_t)r->id, "rid", rid, "kind",
			      record_kind_name(r->kind), "n", n, "ts", (json_int_t)r->ts, "time",
			      r->restamped ? "restamped" : "synced", "count", r->count);
	json_t *values = json_object();
	size_t nf;
	const struct record_field *f = record_fields(r->kind, &nf);
	for (size_t i = 0; i < nf; i++)
		if (r->mask & (UINT64_C(1) << i)) {
			double x = record_value(r, i);
			/* a pulse count is a whole number, as on the bus */
			bool whole = !strcmp(f[i].name, "count") && x == floor(x) && fabs(x) < 9e15;
			json_object_set_new(values, f[i].name, whole ? json_integer((json_int_t)x) : json_real(x));
		}
	if (r->unit[0])
		json_object_set_new(values, "unit", json_string(r->unit));
	json_object_set_new(o, "values", values);
	return o;
}

void record_merge(struct record *a, const struct record *b)
{
	size_t nf;
	const struct record_field *f = record_fields(a->kind, &nf);
	int total = a->count + b->count;
	for (size_t i = 0; i < nf; i++) {
		uint64_t bit = UINT64_C(1) << i;
		bool ha = a->mask & bit, hb = b->mask & bit;
		if (!hb)
			continue;
		if (!ha) {
			a->v[i] = b->v[i];
			continue;
		}
		switch (f[i].agg) {
		case FIELD_AVG:
			if (total > 0)
				a->v[i] = (a->v[i] * a->count + b->v[i] * b->count) / total;
			break;
		case FIELD_MIN: a->v[i] = fmin(a->v[i], b->v[i]); break;
		case FIELD_MAX: a->v[i] = fmax(a->v[i], b->v[i]); break;
		case FIELD_LAST: a->v[i] = b->v[i]; break;
		}
	}
	a->mask |= b->mask;
	if (b->unit[0])
		memcpy(a->unit, b->unit, sizeof a->unit);
	a->count = total;
	a->restamped = a->restamped || b->restamped;
}

/* record: see record.h.  The fields of each kind and their place in the
 * blob are common/reading_schema.c's. */
#include "record.h"

#include "msg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(READING_STORED_MAX <= RECORD_FIELDS_MAX, "stored fields fit the mask");

const struct reading_field *record_fields(enum reading_kind kind, size_t *count)
{
	return reading_stored(kind, count);
}

int record_field_index(enum reading_kind kind, const char *name)
{
	const struct reading_field *f = reading_field(kind, name);
	return f ? f->store : -1;
}

static size_t s_mask_bytes(size_t nf)
{
	return (nf + 7) / 8;
}

size_t record_encode(const struct record *r, uint8_t *buf)
{
	size_t nf;
	const struct reading_field *f = record_fields(r->kind, &nf);
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
	const struct reading_field *f = record_fields(r->kind, &nf);
	if (!f || len < 1 + s_mask_bytes(nf) || p[0] != 1) {
		snprintf(err, errlen, "record %lld: value blob of %zu bytes is not format 1 for a %s", (long long)r->id,
			 len, reading_kind_name(r->kind));
		return -1;
	}
	size_t pos = 1;
	r->mask = 0;
	for (size_t b = 0; b < s_mask_bytes(nf); b++)
		r->mask |= (uint64_t)p[pos++] << (8 * b);
	if (nf < 64 && (r->mask >> nf)) {
		snprintf(err, errlen, "record %lld: value blob names fields a %s does not have", (long long)r->id,
			 reading_kind_name(r->kind));
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
	if (!known || !reading_n_valid(r->kind, r->n, why, sizeof why)) {
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
	snprintf(buf, len, "%s/%s/%s/%lld", mac, reading_kind_name(r->kind), r->n, (long long)r->ts);
}

double record_shown(const struct reading_field *f, double x)
{
	if (f->width == 4 && isfinite(x) && x != 0) {
		char buf[32];
		snprintf(buf, sizeof buf, "%.7g", x);
		x = strtod(buf, NULL);
	}
	return x;
}

double record_value(const struct record *r, size_t field)
{
	size_t nf;
	const struct reading_field *f = record_fields(r->kind, &nf);
	return field < nf ? record_shown(&f[field], r->v[field]) : r->v[field];
}

void record_to_row(const struct record *r, struct columns_row *row, const char **names, double *vals)
{
	size_t nf;
	const struct reading_field *f = record_fields(r->kind, &nf);
	*row = (struct columns_row){ .kind = reading_kind_name(r->kind), .n = r->n, .n_is_text = r->kind == READING_TEMP,
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
	json_t *n = r->kind == READING_TEMP ? json_string(r->n) : json_integer(atoi(r->n));
	json_t *o = json_pack("{s:I,s:s,s:s,s:o,s:I,s:s,s:i}", "id", (json_int_t)r->id, "rid", rid, "kind",
			      reading_kind_name(r->kind), "n", n, "ts", (json_int_t)r->ts, "time",
			      r->restamped ? "restamped" : "synced", "count", r->count);
	json_t *values = json_object();
	size_t nf;
	const struct reading_field *f = record_fields(r->kind, &nf);
	for (size_t i = 0; i < nf; i++)
		if (r->mask & (UINT64_C(1) << i)) {
			double x = record_value(r, i);
			/* a count is a whole number, as on the bus */
			bool whole = (f[i].flags & READING_INTEGER) && x == floor(x) && fabs(x) < 9e15;
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
	const struct reading_field *f = record_fields(a->kind, &nf);
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
		case READING_AVG:
			if (total > 0)
				a->v[i] = (a->v[i] * a->count + b->v[i] * b->count) / total;
			break;
		case READING_MIN: a->v[i] = fmin(a->v[i], b->v[i]); break;
		case READING_MAX: a->v[i] = fmax(a->v[i], b->v[i]); break;
		case READING_LAST: a->v[i] = b->v[i]; break;
		}
	}
	a->mask |= b->mask;
	if (b->unit[0])
		memcpy(a->unit, b->unit, sizeof a->unit);
	a->count = total;
	a->restamped = a->restamped || b->restamped;
}

/* rollup: see rollup.h. */
#include "rollup.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int64_t rollup_period(int64_t ts)
{
	return ts - ((ts % ROLLUP_PERIOD) + ROLLUP_PERIOD) % ROLLUP_PERIOD;
}

void rollup_init(struct rollup *ro, enum reading_kind kind)
{
	memset(ro, 0, sizeof *ro);
	ro->kind = kind;
}

/* Folds field i's value x (from a minute or rollup at ts, weight w) in. */
static void s_fold(struct rollup *ro, const struct reading_field *f, size_t i, double x, int64_t w, int64_t ts)
{
	uint64_t bit = UINT64_C(1) << i;
	bool first = !(ro->mask & bit);
	switch (f->agg) {
	case READING_AVG:
		ro->v[i] = (first ? 0 : ro->v[i]) + x;
		ro->w[i] = (first ? 0 : ro->w[i]) + w;
		break;
	case READING_MIN: ro->v[i] = first ? x : fmin(ro->v[i], x); break;
	case READING_MAX: ro->v[i] = first ? x : fmax(ro->v[i], x); break;
	case READING_LAST:
		if (first || ts >= ro->vts[i]) {
			ro->v[i] = x;
			ro->vts[i] = ts;
		}
		break;
	}
	ro->mask |= bit;
}

void rollup_add(struct rollup *ro, const struct record *r)
{
	size_t nf;
	const struct reading_field *f = record_fields(ro->kind, &nf);
	for (size_t i = 0; i < nf; i++)
		if (r->mask & (UINT64_C(1) << i))
			s_fold(ro, &f[i], i, f[i].agg == READING_AVG ? r->v[i] * r->count : r->v[i], r->count, r->ts);
	if (r->unit[0] && r->ts >= ro->last_ts)
		memcpy(ro->unit, r->unit, sizeof ro->unit);
	ro->count += r->count;
	if (r->ts > ro->last_ts)
		ro->last_ts = r->ts;
}

void rollup_merge(struct rollup *a, const struct rollup *b)
{
	size_t nf;
	const struct reading_field *f = record_fields(a->kind, &nf);
	for (size_t i = 0; i < nf; i++)
		if (b->mask & (UINT64_C(1) << i))
			s_fold(a, &f[i], i, b->v[i], b->w[i], b->vts[i]);
	if (b->unit[0] && b->last_ts >= a->last_ts)
		memcpy(a->unit, b->unit, sizeof a->unit);
	a->count += b->count;
	if (b->last_ts > a->last_ts)
		a->last_ts = b->last_ts;
}

static size_t s_mask_bytes(size_t nf)
{
	return (nf + 7) / 8;
}

/* A field's width in the blob: sums are float64 whatever the minute's. */
static int s_width(const struct reading_field *f)
{
	return f->agg == READING_AVG ? 8 : f->width;
}

static void s_put(uint8_t *buf, size_t *pos, uint64_t bits, int width)
{
	for (int b = 0; b < width; b++)
		buf[(*pos)++] = (uint8_t)(bits >> (8 * b));
}

size_t rollup_encode(const struct rollup *ro, uint8_t *buf)
{
	size_t nf;
	const struct reading_field *f = record_fields(ro->kind, &nf);
	uint64_t partial = 0;
	for (size_t i = 0; i < nf; i++)
		if ((ro->mask & (UINT64_C(1) << i)) && f[i].agg == READING_AVG && ro->w[i] != ro->count)
			partial |= UINT64_C(1) << i;
	size_t pos = 0;
	buf[pos++] = 1;
	s_put(buf, &pos, ro->mask, (int)s_mask_bytes(nf));
	s_put(buf, &pos, partial, (int)s_mask_bytes(nf));
	for (size_t i = 0; i < nf; i++) {
		if (!(ro->mask & (UINT64_C(1) << i)))
			continue;
		uint64_t bits;
		if (s_width(&f[i]) == 4) {
			float x = (float)ro->v[i];
			uint32_t b32;
			memcpy(&b32, &x, 4);
			bits = b32;
		} else {
			memcpy(&bits, &ro->v[i], 8);
		}
		s_put(buf, &pos, bits, s_width(&f[i]));
	}
	for (size_t i = 0; i < nf; i++)
		if (partial & (UINT64_C(1) << i))
			s_put(buf, &pos, (uint64_t)ro->w[i], 4);
	size_t ul = strnlen(ro->unit, RECORD_UNIT_MAX - 1);
	memcpy(buf + pos, ro->unit, ul);
	return pos + ul;
}

static uint64_t s_get(const uint8_t *p, size_t *pos, int width)
{
	uint64_t bits = 0;
	for (int b = 0; b < width; b++)
		bits |= (uint64_t)p[(*pos)++] << (8 * b);
	return bits;
}

int rollup_decode(struct rollup *ro, const void *blob, size_t len, uint64_t want, char *err, size_t errlen)
{
	const uint8_t *p = blob;
	size_t nf;
	const struct reading_field *f = record_fields(ro->kind, &nf);
	size_t mb = s_mask_bytes(nf);
	if (!f || len < 1 + 2 * mb || p[0] != 1) {
		snprintf(err, errlen, "rollup blob of %zu bytes is not format 1 for a %s", len, reading_kind_name(ro->kind));
		return -1;
	}
	size_t pos = 1;
	ro->mask = s_get(p, &pos, (int)mb);
	uint64_t partial = s_get(p, &pos, (int)mb);
	if ((nf < 64 && (ro->mask >> nf)) || (partial & ~ro->mask)) {
		snprintf(err, errlen, "rollup blob names fields a %s does not have", reading_kind_name(ro->kind));
		return -1;
	}
	for (size_t i = 0; i < nf; i++) {
		if (!(ro->mask & (UINT64_C(1) << i)))
			continue;
		int width = s_width(&f[i]);
		if (pos + (size_t)width > len) {
			snprintf(err, errlen, "rollup blob is truncated at %s", f[i].name);
			return -1;
		}
		if (!(want & (UINT64_C(1) << i))) {
			pos += (size_t)width;
			continue;
		}
		uint64_t bits = s_get(p, &pos, width);
		if (width == 4) {
			uint32_t b32 = (uint32_t)bits;
			float x;
			memcpy(&x, &b32, 4);
			ro->v[i] = x;
		} else {
			memcpy(&ro->v[i], &bits, 8);
		}
		/* a sum may exceed one value's range, never be NaN or infinite */
		if (!isfinite(ro->v[i])) {
			snprintf(err, errlen, "rollup blob has %s %g", f[i].name, ro->v[i]);
			return -1;
		}
		ro->w[i] = f[i].agg == READING_AVG ? ro->count : 0;
		ro->vts[i] = ro->last_ts;
	}
	for (size_t i = 0; i < nf; i++) {
		if (!(partial & (UINT64_C(1) << i)))
			continue;
		if (pos + 4 > len) {
			snprintf(err, errlen, "rollup blob is truncated at the weight of %s", f[i].name);
			return -1;
		}
		ro->w[i] = (int64_t)s_get(p, &pos, 4);
	}
	ro->mask &= want;
	size_t ul = len - pos;
	if (ul >= RECORD_UNIT_MAX || memchr(p + pos, 0, ul)) {
		snprintf(err, errlen, "rollup blob's unit of %zu bytes is not one", ul);
		return -1;
	}
	memcpy(ro->unit, p + pos, ul);
	ro->unit[ul] = '\0';
	return 0;
}

/* agg: see agg.h. */
#include "agg.h"

#include "msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct agg_source *s_source(struct agg *a, enum reading_kind kind, const char *n)
{
	for (size_t i = 0; i < a->nsrc; i++)
		if (a->src[i].kind == kind && !strcmp(a->src[i].n, n))
			return &a->src[i];
	if (a->nsrc == AGG_SOURCES_MAX)
		return NULL;
	struct agg_source *s = &a->src[a->nsrc++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	snprintf(s->n, sizeof s->n, "%s", n);
	return s;
}

int agg_feed(struct agg *a, const char *topic, const json_t *payload, char *err, size_t errlen)
{
	char n[READING_N_MAX];
	enum reading_kind kind = reading_topic_parse(topic, n, sizeof n);
	if (!kind)
		return 0;
	if (!reading_n_valid(kind, n, err, errlen))
		return -1;
	size_t nf;
	const struct reading_field *f = record_fields(kind, &nf);
	/* check the whole reading before touching the accumulator */
	double x[RECORD_FIELDS_MAX];
	uint64_t have = 0;
	for (size_t i = 0; i < nf; i++) {
		json_t *v = json_object_get(payload, f[i].src);
		if (!v)
			continue;
		/* within the bus's range, so that a minute's sum stays finite */
		char why[160];
		if (msg_real(v, f[i].src, -MSG_VALUE_MAX, MSG_VALUE_MAX, &x[i], why, sizeof why) != 0) {
			snprintf(err, errlen, "%s: %s", topic, why);
			return -1;
		}
		have |= UINT64_C(1) << i;
	}
	const char *unit = NULL;
	json_t *u = json_object_get(payload, "unit");
	if (kind == READING_PULSE && u) {
		if (!json_is_string(u) || strlen(json_string_value(u)) >= RECORD_UNIT_MAX) {
			snprintf(err, errlen, "%s: unit is not a string of at most %d bytes", topic,
				 RECORD_UNIT_MAX - 1);
			return -1;
		}
		unit = json_string_value(u);
	}
	if (!have) {
		snprintf(err, errlen, "%s: no field storaged keeps (%s...)", topic, f[0].src);
		return -1;
	}
	struct agg_source *s = s_source(a, kind, n);
	if (!s) {
		snprintf(err, errlen, "%s: more than %d sources in one minute; reading dropped", topic,
			 AGG_SOURCES_MAX);
		return -1;
	}
	for (size_t i = 0; i < nf; i++) {
		uint64_t bit = UINT64_C(1) << i;
		if (!(have & bit))
			continue;
		bool first = !(s->mask & bit);
		switch (f[i].agg) {
		case READING_AVG: s->acc[i] = (first ? 0 : s->acc[i]) + x[i]; break;
		case READING_MIN: s->acc[i] = first || x[i] < s->acc[i] ? x[i] : s->acc[i]; break;
		case READING_MAX: s->acc[i] = first || x[i] > s->acc[i] ? x[i] : s->acc[i]; break;
		case READING_LAST: s->acc[i] = x[i]; break;
		}
		s->nacc[i] = (first ? 0 : s->nacc[i]) + 1;
		s->mask |= bit;
	}
	if (unit)
		snprintf(s->unit, sizeof s->unit, "%s", unit);
	s->count++;
	return 1;
}

size_t agg_close(struct agg *a, struct record *out, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < a->nsrc && k < max; i++) {
		const struct agg_source *s = &a->src[i];
		if (!s->count)
			continue;
		struct record *r = &out[k++];
		memset(r, 0, sizeof *r);
		r->kind = s->kind;
		memcpy(r->n, s->n, sizeof r->n);
		r->count = s->count;
		r->mask = s->mask;
		memcpy(r->unit, s->unit, sizeof r->unit);
		size_t nf;
		const struct reading_field *f = record_fields(s->kind, &nf);
		for (size_t j = 0; j < nf; j++)
			if (s->mask & (UINT64_C(1) << j))
				r->v[j] = f[j].agg == READING_AVG ? s->acc[j] / s->nacc[j] : s->acc[j];
	}
	a->nsrc = 0;
	return k;
}

int agg_readings(const struct agg *a)
{
	int n = 0;
	for (size_t i = 0; i < a->nsrc; i++)
		n += a->src[i].count;
	return n;
}

void agg_carry_add(struct agg_carry *c, const struct record *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct record *into = NULL;
		for (size_t j = 0; j < c->n && !into; j++)
			if (c->r[j].kind == recs[i].kind && !strcmp(c->r[j].n, recs[i].n))
				into = &c->r[j];
		if (into)
			record_merge(into, &recs[i]);
		else if (c->n < AGG_SOURCES_MAX)
			c->r[c->n++] = recs[i];
		else
			c->dropped++;
	}
	c->minutes++;
}

size_t agg_carry_into(struct agg_carry *c, struct record *recs, size_t n, size_t max)
{
	for (size_t j = 0; j < c->n; j++) {
		struct record *cr = &c->r[j], *r = NULL;
		for (size_t i = 0; i < n && !r; i++)
			if (recs[i].kind == cr->kind && !strcmp(recs[i].n, cr->n))
				r = &recs[i];
		if (r) {
			struct record merged = *cr;
			record_merge(&merged, r);
			merged.ts = r->ts;
			*r = merged;
		} else if (n < max) {
			r = &recs[n++];
			*r = *cr;
		} else {
			c->dropped++;
			continue;
		}
		r->restamped = true;
	}
	c->n = 0;
	c->minutes = 0;
	return n;
}

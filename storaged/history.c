/* history: see history.h. */
#include "history.h"

#include "zone.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const *history_columns(const struct reading_field *f)
{
	static const char *const mean[] = { "mean", NULL }, *const min[] = { "min", NULL },
				 *const max[] = { "max", NULL }, *const last[] = { "delta", "end", NULL };
	switch (f->agg) {
	case READING_AVG: return mean;
	case READING_MIN: return min;
	case READING_MAX: return max;
	case READING_LAST: return last;
	}
	return mean;
}

int history_begin(struct history *h, enum reading_kind kind, const char *field, int64_t step, const char *tz,
		  char *err, size_t errlen)
{
	memset(h, 0, sizeof *h);
	int fi = record_field_index(kind, field ? field : "");
	if (fi < 0) {
		snprintf(err, errlen, "field: a %s has no field \"%s\"", reading_kind_name(kind), field ? field : "");
		return -1;
	}
	if (step != 60 && step != 3600 && step != 86400) {
		snprintf(err, errlen, "resolution: %lld s is not a minute, an hour or a day", (long long)step);
		return -1;
	}
	if (!tz)
		tz = "UTC";
	if (!zone_known(tz)) {
		snprintf(err, errlen, "tz: \"%.64s\" is not a time zone of the zone database (e.g. Europe/London, UTC)",
			 tz);
		return -1;
	}
	size_t nf;
	h->kind = kind;
	h->field = fi;
	h->f = &record_fields(kind, &nf)[fi];
	h->step = step;
	zone_use(tz, &h->saved);
	h->points = json_array();
	rollup_init(&h->acc, kind);
	return 0;
}

void history_prev(struct history *h, double end)
{
	h->have_prev = true;
	h->prev = end;
}

/* A register's rise, to the digits its values have: the bus's decimals,
 * or 12 significant digits (a pulse total), so 0.1 + 0.2 reads 0.3. */
static double s_delta(const struct reading_field *f, double d)
{
	char buf[40];
	if (f->bus_dp >= 0)
		snprintf(buf, sizeof buf, "%.*f", f->bus_dp, d);
	else
		snprintf(buf, sizeof buf, "%.12g", d);
	double r = strtod(buf, NULL);
	return r == 0 ? 0 : r; /* never "-0" */
}

static json_t *s_number(const struct reading_field *f, double x)
{
	if ((f->flags & READING_INTEGER) && x == floor(x) && fabs(x) < 9e15)
		return json_integer((json_int_t)x);
	return json_real(x);
}

/* Appends the bucket being filled, when it has the field, and empties it. */
static void s_flush(struct history *h)
{
	uint64_t bit = UINT64_C(1) << h->field;
	if (!(h->acc.mask & bit)) {
		rollup_init(&h->acc, h->kind);
		return;
	}
	int i = h->field;
	json_t *pt = json_array();
	json_array_append_new(pt, json_integer(h->bs));
	switch (h->f->agg) {
	case READING_AVG:
		json_array_append_new(pt, h->acc.w[i] > 0 ? json_real(record_shown(h->f, h->acc.v[i] / (double)h->acc.w[i]))
							   : json_null());
		break;
	case READING_MIN:
	case READING_MAX: json_array_append_new(pt, json_real(record_shown(h->f, h->acc.v[i]))); break;
	case READING_LAST:
		json_array_append_new(pt, h->have_prev ? s_number(h->f, s_delta(h->f, h->acc.v[i] - h->prev))
						       : json_null());
		json_array_append_new(pt, s_number(h->f, record_shown(h->f, h->acc.v[i])));
		h->have_prev = true;
		h->prev = h->acc.v[i];
		break;
	}
	json_array_append_new(h->points, pt);
	rollup_init(&h->acc, h->kind);
}

bool history_splits(const struct history *h, int64_t ts, int64_t len)
{
	int64_t bs, be;
	zone_bucket(ts, h->step, &bs, &be);
	return be < ts + len;
}

void history_feed(struct history *h, int64_t ts, const struct rollup *part)
{
	if (!(part->mask & (UINT64_C(1) << h->field)))
		return;
	if (part->unit[0])
		memcpy(h->unit, part->unit, sizeof h->unit);
	if (h->be == 0 || ts >= h->be || ts < h->bs) {
		if (h->be)
			s_flush(h);
		zone_bucket(ts, h->step, &h->bs, &h->be);
	}
	rollup_merge(&h->acc, part);
}

json_t *history_end(struct history *h, bool abort)
{
	json_t *res = NULL;
	if (!abort) {
		if (h->be)
			s_flush(h);
		json_t *cols = json_array();
		json_array_append_new(cols, json_string("ts"));
		for (const char *const *c = history_columns(h->f); *c; c++)
			json_array_append_new(cols, json_string(*c));
		res = json_pack("{s:o,s:s,s:O}", "columns", cols, "unit", h->f->unit ? h->f->unit : h->unit, "points", h->points);
	}
	json_decref(h->points);
	h->points = NULL;
	zone_restore(&h->saved);
	return res;
}

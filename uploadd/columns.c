/* columns: see columns.h. */
#include "columns.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS_MAX 64
/* 2^52: every value, difference and sum a receiver computes stays exact
 * in a double (JavaScript's only number) */
#define Q_MAX 4503599627370496.0

/* System values that are the sum of their phases X1+X2+X3. */
static const char *const s_summed[] = { "I", "P", "Q", "S", "E", "Ex", "RE", "REx", "AE" };

int columns_dp(const char *field)
{
	static const struct {
		const char *base;
		int dp;
	} table[] = {
		{ "V", 1 }, { "U", 1 }, { "A", 1 }, { "I", 2 }, { "In", 2 }, { "P", 0 }, { "Q", 0 }, { "S", 0 },
		{ "Pmin", 0 }, { "Pmax", 0 }, { "PF", 3 }, { "F", 2 }, { "E", 0 }, { "Ex", 0 }, { "RE", 0 },
		{ "REx", 0 }, { "AE", 0 }, { "count", 0 }, { "total", 3 }, { "T", 2 },
	};
	size_t len = strlen(field);
	if (len > 1 && field[len - 1] >= '1' && field[len - 1] <= '3')
		len--; /* a phase: V1 is sent as V is */
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strlen(table[i].base) == len && !strncmp(table[i].base, field, len))
			return table[i].dp;
	return 3;
}

struct series {
	const char *kind, *time, *unit; /* borrowed from the records */
	const json_t *n;
	const char *key[FIELDS_MAX];   /* in the first record's order */
	const char *field[FIELDS_MAX]; /* sorted: the order they are sent in */
	int slot[FIELDS_MAX];          /* key[i] is field[slot[i]] */
	int nfields;
	size_t *row;
	double *val; /* nrows x nfields, in field order */
	size_t nrows, cap;
};

struct work {
	struct series *s;
	size_t ns, cap;
};

static int s_cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void s_record_name(const json_t *r, char *buf, size_t len)
{
	const json_t *n = json_object_get(r, "n");
	char nbuf[64];
	if (json_is_integer(n))
		snprintf(nbuf, sizeof nbuf, "%lld", (long long)json_integer_value(n));
	else
		snprintf(nbuf, sizeof nbuf, "%.40s", json_string_value(n) ?: "?");
	snprintf(buf, len, "record %lld (%.20s/%s/%lld)", (long long)json_integer_value(json_object_get(r, "id")),
		 json_string_value(json_object_get(r, "kind")) ?: "?", nbuf,
		 (long long)json_integer_value(json_object_get(r, "ts")));
}

/* r's source, time quality and unit into t (no fields yet); -1 with the
 * reason it is not a record. */
static int s_head(const json_t *r, struct series *t, char *why, size_t whylen)
{
	memset(t, 0, sizeof *t);
	t->kind = json_string_value(json_object_get(r, "kind"));
	t->time = json_string_value(json_object_get(r, "time"));
	t->n = json_object_get(r, "n");
	const json_t *values = json_object_get(r, "values");
	if (!t->kind || !t->time || !(json_is_integer(t->n) || json_is_string(t->n)) || !json_is_object(values)) {
		snprintf(why, whylen, "kind, n, time or values missing");
		return -1;
	}
	static const char *const ints[] = { "id", "ts", "count" };
	for (size_t i = 0; i < 3; i++)
		if (!json_is_integer(json_object_get(r, ints[i]))) {
			snprintf(why, whylen, "\"%s\" is not an integer", ints[i]);
			return -1;
		}
	t->unit = json_string_value(json_object_get(values, "unit"));
	return 0;
}

/* The fields of r's values into t: key[] in the record's order, field[]
 * sorted, slot[] from one to the other; r's values into vals, in field
 * order.  Done once per series; the rows after it are matched key by key
 * in order (s_fits), as looking every name up, or sorting every record's
 * names, cost more than all the rest. */
static int s_fields(const json_t *r, struct series *t, double *vals, char *why, size_t whylen)
{
	double in_order[FIELDS_MAX];
	const char *key;
	const json_t *v;
	json_object_foreach(json_object_get(r, "values"), key, v)
	{
		if (!strcmp(key, "unit") && json_is_string(v))
			continue;
		if (!json_is_number(v)) {
			snprintf(why, whylen, "value \"%.40s\" is not a number", key);
			return -1;
		}
		if (t->nfields == FIELDS_MAX) {
			snprintf(why, whylen, "more than %d values", FIELDS_MAX);
			return -1;
		}
		in_order[t->nfields] = json_number_value(v);
		t->key[t->nfields] = t->field[t->nfields] = key;
		t->nfields++;
	}
	qsort(t->field, (size_t)t->nfields, sizeof t->field[0], s_cmp_name);
	for (int i = 0; i < t->nfields; i++) {
		t->slot[i] = (int)((const char **)bsearch(&t->key[i], t->field, (size_t)t->nfields, sizeof t->field[0],
							   s_cmp_name) -
				   t->field);
		vals[t->slot[i]] = in_order[i];
	}
	return 0;
}

/* Whether record r (its head in t) continues series s: the same source,
 * time quality and unit, and s's fields in s's order, each a number;
 * then its values are in vals, in field order. */
static bool s_fits(const struct series *s, const struct series *t, const json_t *r, double *vals)
{
	if (strcmp(s->kind, t->kind) || strcmp(s->time, t->time) || !json_equal((json_t *)s->n, (json_t *)t->n) ||
	    (s->unit == NULL) != (t->unit == NULL) || (s->unit && strcmp(s->unit, t->unit)))
		return false;
	int i = 0;
	const char *key;
	const json_t *v;
	json_object_foreach(json_object_get(r, "values"), key, v)
	{
		if (s->unit && !strcmp(key, "unit"))
			continue;
		if (i == s->nfields || strcmp(key, s->key[i]) || !json_is_number(v))
			return false;
		vals[s->slot[i++]] = json_number_value(v);
	}
	return i == s->nfields;
}

static bool s_add_row(struct series *s, size_t row, const double *vals)
{
	size_t nf = (size_t)s->nfields;
	if (s->nrows == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		size_t *p = realloc(s->row, cap * sizeof *p);
		if (p)
			s->row = p;
		double *q = realloc(s->val, cap * (nf ? nf : 1) * sizeof *q);
		if (q)
			s->val = q;
		if (!p || !q)
			return false;
		s->cap = cap;
	}
	memcpy(s->val + s->nrows * nf, vals, nf * sizeof *vals);
	s->row[s->nrows++] = row;
	return true;
}

/* Sorts records[lo..hi) into series, in order of first appearance. */
static int s_group(struct work *w, const json_t *records, size_t lo, size_t hi, char *err, size_t errlen)
{
	for (size_t i = lo; i < hi; i++) {
		const json_t *r = json_array_get(records, i);
		struct series t;
		char why[128];
		double vals[FIELDS_MAX];
		int rc = s_head(r, &t, why, sizeof why);
		size_t k = 0;
		while (rc == 0 && k < w->ns && !s_fits(&w->s[k], &t, r, vals))
			k++;
		if (rc == 0 && k == w->ns)
			rc = s_fields(r, &t, vals, why, sizeof why);
		if (rc < 0) {
			char name[160];
			s_record_name(r, name, sizeof name);
			snprintf(err, errlen, "%s: %s", name, why);
			return -1;
		}
		if (k == w->ns) {
			if (w->ns == w->cap) {
				size_t cap = w->cap ? 2 * w->cap : 16;
				struct series *p = realloc(w->s, cap * sizeof *p);
				if (!p)
					goto oom;
				w->s = p;
				w->cap = cap;
			}
			w->s[w->ns++] = t;
		}
		if (!s_add_row(&w->s[k], i, vals))
			goto oom;
	}
	return 0;
oom:
	snprintf(err, errlen, "out of memory grouping the batch");
	return -1;
}

static void s_put_string(struct buf *out, const char *s)
{
	json_t *j = json_string(s);
	buf_put_json(out, j, JSON_ENCODE_ANY);
	json_decref(j);
}

static void s_put_int(struct buf *out, long long v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_append(out, p, (size_t)(tmp + sizeof tmp - p));
}

/* A column as differences from the previous row (the first from 0). */
static void s_put_deltas(struct buf *out, const long long *col, size_t n, size_t stride)
{
	long long prev = 0;
	buf_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, ',');
		s_put_int(out, col[i * stride] - prev);
		prev = col[i * stride];
	}
	buf_putc(out, ']');
}

static int s_field_index(const struct series *s, const char *name)
{
	const char **hit = bsearch(&name, s->field, (size_t)s->nfields, sizeof s->field[0], s_cmp_name);
	return hit ? (int)(hit - s->field) : -1;
}

/* One series; q (nrows x nfields) and head (nrows x 3) are its scratch. */
static int s_put_series(struct buf *out, const struct series *s, const json_t *records, long long *q,
			long long *head, char *err, size_t errlen)
{
	size_t nf = (size_t)s->nfields;
	static const char *const heads[] = { "id", "ts", "count" };
	double scale[FIELDS_MAX];
	for (size_t f = 0; f < nf; f++)
		scale[f] = pow(10, columns_dp(s->field[f]));
	for (size_t i = 0; i < s->nrows; i++) {
		const json_t *r = json_array_get(records, s->row[i]);
		for (size_t h = 0; h < 3; h++)
			head[i * 3 + h] = (long long)json_integer_value(json_object_get(r, heads[h]));
		for (size_t f = 0; f < nf; f++) {
			double x = s->val[i * nf + f] * scale[f];
			if (!(fabs(x) <= Q_MAX)) {
				char name[160];
				s_record_name(r, name, sizeof name);
				snprintf(err, errlen, "%s: value \"%s\" is out of range", name, s->field[f]);
				return -1;
			}
			q[i * nf + f] = llround(x);
		}
	}
	buf_puts(out, "{\"kind\":");
	s_put_string(out, s->kind);
	buf_puts(out, ",\"n\":");
	buf_put_json(out, s->n, JSON_ENCODE_ANY);
	buf_puts(out, ",\"time\":");
	s_put_string(out, s->time);
	if (s->unit) {
		buf_puts(out, ",\"unit\":");
		s_put_string(out, s->unit);
	}
	for (size_t h = 0; h < 3; h++) {
		buf_printf(out, ",\"%s\":", heads[h]);
		s_put_deltas(out, head + h, s->nrows, 3);
	}
	buf_puts(out, ",\"dp\":{");
	for (size_t f = 0; f < nf; f++)
		buf_printf(out, "%s\"%s\":%d", f ? "," : "", s->field[f], columns_dp(s->field[f]));
	buf_puts(out, "},\"sum\":[");
	int nsum = 0;
	for (size_t k = 0; k < sizeof s_summed / sizeof s_summed[0]; k++) {
		char name[8];
		int idx[4];
		idx[0] = s_field_index(s, s_summed[k]);
		for (int p = 1; p <= 3; p++) {
			snprintf(name, sizeof name, "%s%d", s_summed[k], p);
			idx[p] = s_field_index(s, name);
		}
		if (idx[0] < 0 || idx[1] < 0 || idx[2] < 0 || idx[3] < 0)
			continue;
		for (size_t i = 0; i < s->nrows; i++) {
			long long *row = q + i * nf;
			row[idx[0]] -= row[idx[1]] + row[idx[2]] + row[idx[3]];
		}
		buf_printf(out, "%s\"%s\"", nsum++ ? "," : "", s_summed[k]);
	}
	buf_puts(out, "],\"values\":{");
	for (size_t f = 0; f < nf; f++) {
		buf_printf(out, "%s\"%s\":", f ? "," : "", s->field[f]);
		s_put_deltas(out, q + f, s->nrows, nf);
	}
	buf_puts(out, "}}");
	return 0;
}

int columns_write(struct buf *out, const json_t *records, size_t lo, size_t hi, char *err, size_t errlen)
{
	struct work w = { 0 };
	long long *q = NULL, *head = NULL;
	int rc = s_group(&w, records, lo, hi, err, errlen);
	if (rc == 0) {
		q = malloc((hi - lo) * FIELDS_MAX * sizeof *q);
		head = malloc((hi - lo) * 3 * sizeof *head);
		if (!q || !head) {
			snprintf(err, errlen, "out of memory encoding the batch");
			rc = -1;
		}
	}
	if (rc == 0)
		buf_putc(out, '[');
	for (size_t k = 0; rc == 0 && k < w.ns; k++) {
		if (k)
			buf_putc(out, ',');
		rc = s_put_series(out, &w.s[k], records, q, head, err, errlen);
	}
	if (rc == 0)
		buf_putc(out, ']');
	for (size_t k = 0; k < w.ns; k++) {
		free(w.s[k].row);
		free(w.s[k].val);
	}
	free(w.s);
	free(q);
	free(head);
	return rc;
}

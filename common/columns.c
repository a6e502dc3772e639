/* columns: see columns.h. */
#include "columns.h"

#include "reading_schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS_MAX 64
/* 2^52: every value, difference and sum a receiver computes stays exact
 * in a double (JavaScript's only number) */
#define Q_MAX 4503599627370496.0

int columns_dp(const char *field)
{
	/* the name is enough: no two kinds have a field of one name at two
	 * resolutions (a meter's linked T is sent as a probe's) */
	for (int k = 1; k <= READING_KINDS; k++) {
		const struct reading_field *f = reading_field(k, field);
		if (f)
			return f->upload_dp;
	}
	return 3;
}

struct series {
	char kind[8], n[48], time[16], unit[64];
	bool n_is_text, has_unit;
	const char *key[FIELDS_MAX];   /* in the first row's order */
	const char *field[FIELDS_MAX]; /* sorted: the order they are sent in */
	int slot[FIELDS_MAX];          /* key[i] is field[slot[i]] */
	int dp[FIELDS_MAX];            /* per field */
	int nfields;
	long long *head; /* nrows x 3: id, ts, count */
	long long *q;    /* nrows x nfields: the values as integers, field order */
	size_t nrows, cap;
};

struct columns {
	struct series *s;
	size_t ns, cap, rows;
};

struct columns *columns_new(void)
{
	return calloc(1, sizeof(struct columns));
}

void columns_free(struct columns **cp)
{
	struct columns *c = *cp;
	if (!c)
		return;
	for (size_t k = 0; k < c->ns; k++) {
		free(c->s[k].head);
		free(c->s[k].q);
	}
	free(c->s);
	free(c);
	*cp = NULL;
}

size_t columns_count(const struct columns *c)
{
	return c->rows;
}

static int s_cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool s_same(const char *a, const char *b)
{
	return a == b || !strcmp(a, b);
}

/* Whether row continues series s: the same source, time quality and unit,
 * and s's fields in s's order. */
static bool s_fits(const struct series *s, const struct columns_row *row)
{
	if (strcmp(s->kind, row->kind) || strcmp(s->n, row->n) || s->n_is_text != row->n_is_text ||
	    strcmp(s->time, row->time) || s->has_unit != (row->unit != NULL) || (row->unit && strcmp(s->unit, row->unit)) ||
	    s->nfields != row->nvals)
		return false;
	for (int i = 0; i < row->nvals; i++)
		if (!s_same(s->key[i], row->names[i]))
			return false;
	return true;
}

static int s_copy(char *dst, size_t len, const char *src, const char *what, char *why, size_t whylen)
{
	if (strlen(src) >= len) {
		snprintf(why, whylen, "%s longer than %zu bytes", what, len - 1);
		return -1;
	}
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/* A series shaped after row into t: names sorted once here, so the rows
 * after it are matched name by name in their own order. */
static int s_shape(struct series *t, const struct columns_row *row, char *why, size_t whylen)
{
	memset(t, 0, sizeof *t);
	if (row->nvals > FIELDS_MAX) {
		snprintf(why, whylen, "more than %d values", FIELDS_MAX);
		return -1;
	}
	if (s_copy(t->kind, sizeof t->kind, row->kind, "kind", why, whylen) < 0 ||
	    s_copy(t->n, sizeof t->n, row->n, "n", why, whylen) < 0 ||
	    s_copy(t->time, sizeof t->time, row->time, "time", why, whylen) < 0 ||
	    (row->unit && s_copy(t->unit, sizeof t->unit, row->unit, "unit", why, whylen) < 0))
		return -1;
	t->n_is_text = row->n_is_text;
	t->has_unit = row->unit != NULL;
	t->nfields = row->nvals;
	for (int i = 0; i < row->nvals; i++)
		t->key[i] = t->field[i] = row->names[i];
	qsort(t->field, (size_t)t->nfields, sizeof t->field[0], s_cmp_name);
	for (int i = 0; i < t->nfields; i++) {
		t->slot[i] = (int)((const char **)bsearch(&t->key[i], t->field, (size_t)t->nfields,
							   sizeof t->field[0], s_cmp_name) -
				   t->field);
		t->dp[i] = columns_dp(t->field[i]);
	}
	return 0;
}

/* The row's values as integers in s's field order; -1 when one is out
 * of range. */
static int s_quantize(const struct series *s, const struct columns_row *row, long long *q, char *why,
		      size_t whylen)
{
	static const double pow10[] = { 1, 10, 100, 1000 };
	for (int i = 0; i < row->nvals; i++) {
		int f = s->slot[i];
		double x = row->vals[i] * pow10[s->dp[f]];
		if (!(fabs(x) <= Q_MAX)) {
			snprintf(why, whylen, "value \"%s\" is out of range", row->names[i]);
			return -1;
		}
		q[f] = llround(x);
	}
	return 0;
}

static bool s_grow(struct series *s)
{
	if (s->nrows < s->cap)
		return true;
	size_t cap = s->cap ? 2 * s->cap : 64;
	long long *h = realloc(s->head, cap * 3 * sizeof *h);
	if (h)
		s->head = h;
	long long *q = realloc(s->q, cap * (size_t)(s->nfields ? s->nfields : 1) * sizeof *q);
	if (q)
		s->q = q;
	if (!h || !q)
		return false;
	s->cap = cap;
	return true;
}

int columns_add(struct columns *c, const struct columns_row *row, char *why, size_t whylen)
{
	size_t k = 0;
	while (k < c->ns && !s_fits(&c->s[k], row))
		k++;
	struct series fresh;
	struct series *s = k < c->ns ? &c->s[k] : &fresh;
	if (s == &fresh && s_shape(&fresh, row, why, whylen) < 0)
		return -1;
	long long q[FIELDS_MAX];
	if (s_quantize(s, row, q, why, whylen) < 0)
		return -1;
	if (s == &fresh) {
		if (c->ns == c->cap) {
			size_t cap = c->cap ? 2 * c->cap : 16;
			struct series *p = realloc(c->s, cap * sizeof *p);
			if (!p)
				goto oom;
			c->s = p;
			c->cap = cap;
		}
		c->s[c->ns] = fresh;
		s = &c->s[c->ns++];
	}
	if (!s_grow(s))
		goto oom;
	long long *h = s->head + s->nrows * 3;
	h[0] = row->id;
	h[1] = row->ts;
	h[2] = row->count;
	memcpy(s->q + s->nrows * (size_t)s->nfields, q, (size_t)s->nfields * sizeof *q);
	s->nrows++;
	c->rows++;
	return 0;
oom:
	snprintf(why, whylen, "out of memory");
	return -1;
}

int columns_add_record(struct columns *c, const json_t *r, char *why, size_t whylen)
{
	const char *kind = json_string_value(json_object_get(r, "kind"));
	const char *time = json_string_value(json_object_get(r, "time"));
	const json_t *jn = json_object_get(r, "n"), *values = json_object_get(r, "values");
	if (!kind || !time || !(json_is_integer(jn) || json_is_string(jn)) || !json_is_object(values)) {
		snprintf(why, whylen, "kind, n, time or values missing");
		return -1;
	}
	static const char *const ints[] = { "id", "ts", "count" };
	long long head[3];
	for (size_t i = 0; i < 3; i++) {
		const json_t *v = json_object_get(r, ints[i]);
		if (!json_is_integer(v)) {
			snprintf(why, whylen, "\"%s\" is not an integer", ints[i]);
			return -1;
		}
		head[i] = (long long)json_integer_value(v);
	}
	char n[32];
	if (json_is_integer(jn))
		snprintf(n, sizeof n, "%lld", (long long)json_integer_value(jn));
	const char *names[FIELDS_MAX];
	double vals[FIELDS_MAX];
	struct columns_row row = { .kind = kind, .n = json_is_string(jn) ? json_string_value(jn) : n,
				   .n_is_text = json_is_string(jn), .time = time, .id = head[0], .ts = head[1],
				   .count = head[2], .names = names, .vals = vals };
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)values, key, v)
	{
		if (!strcmp(key, "unit") && json_is_string(v)) {
			row.unit = json_string_value(v);
			continue;
		}
		if (!json_is_number(v)) {
			snprintf(why, whylen, "value \"%.40s\" is not a number", key);
			return -1;
		}
		if (row.nvals == FIELDS_MAX) {
			snprintf(why, whylen, "more than %d values", FIELDS_MAX);
			return -1;
		}
		names[row.nvals] = key;
		vals[row.nvals++] = json_number_value(v);
	}
	return columns_add(c, &row, why, whylen);
}

/* A column as differences from the previous row (the first from 0). */
static json_t *s_deltas(const long long *col, size_t n, size_t stride)
{
	json_t *a = json_array();
	long long prev = 0;
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(a, json_integer((json_int_t)(col[i * stride] - prev)));
		prev = col[i * stride];
	}
	return a;
}

static int s_field_index(const struct series *s, const char *name)
{
	const char **hit = bsearch(&name, s->field, (size_t)s->nfields, sizeof s->field[0], s_cmp_name);
	return hit ? (int)(hit - s->field) : -1;
}

static json_t *s_series_json(const struct series *s)
{
	size_t nf = (size_t)s->nfields;
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(s->kind));
	json_object_set_new(o, "n", s->n_is_text ? json_string(s->n) : json_integer(atoll(s->n)));
	json_object_set_new(o, "time", json_string(s->time));
	if (s->has_unit)
		json_object_set_new(o, "unit", json_string(s->unit));
	static const char *const heads[] = { "id", "ts", "count" };
	for (size_t h = 0; h < 3; h++)
		json_object_set_new(o, heads[h], s_deltas(s->head + h, s->nrows, 3));
	json_t *dp = json_object(), *sum = json_array(), *values = json_object();
	for (size_t f = 0; f < nf; f++)
		json_object_set_new(dp, s->field[f], json_integer(s->dp[f]));
	long long *q = malloc((s->nrows ? s->nrows : 1) * (nf ? nf : 1) * sizeof *q);
	if (q) {
		memcpy(q, s->q, s->nrows * nf * sizeof *q);
		size_t nm;
		const struct reading_field *m = reading_fields(READING_METER, &nm);
		for (size_t k = 0; k < nm; k++) {
			if (!(m[k].flags & READING_SUMMED))
				continue;
			char name[8];
			int idx[4];
			idx[0] = s_field_index(s, m[k].name);
			for (int p = 1; p <= 3; p++) {
				snprintf(name, sizeof name, "%s%d", m[k].quantity, p);
				idx[p] = s_field_index(s, name);
			}
			if (idx[0] < 0 || idx[1] < 0 || idx[2] < 0 || idx[3] < 0)
				continue;
			for (size_t i = 0; i < s->nrows; i++) {
				long long *row = q + i * nf;
				row[idx[0]] -= row[idx[1]] + row[idx[2]] + row[idx[3]];
			}
			json_array_append_new(sum, json_string(m[k].name));
		}
		for (size_t f = 0; f < nf; f++)
			json_object_set_new(values, s->field[f], s_deltas(q + f, s->nrows, nf));
		free(q);
	}
	json_object_set_new(o, "dp", dp);
	json_object_set_new(o, "sum", sum);
	json_object_set_new(o, "values", values);
	if (!q) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *columns_series(const struct columns *c)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < c->ns; k++) {
		json_t *s = s_series_json(&c->s[k]);
		if (!s || json_array_append_new(a, s) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

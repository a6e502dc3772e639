/* reading_cache: see reading_cache.h.  A few dozen entries at most, so a
 * linear search: no hashing to get wrong. */
#include "reading_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* temps.interval_s's default (common/config_schema.c) */
#define PROBE_INTERVAL_DEFAULT_S 5

struct reading_cache {
	size_t n, cap, probes;
	int probe_interval_s;
	struct reading_entry e[];
};

int64_t reading_fresh_ms(enum reading_kind kind, int probe_interval_s)
{
	int64_t period_ms = kind == READING_TEMP ? 1000LL * (probe_interval_s > 0 ? probe_interval_s : 1) : 1000;
	return 2 * period_ms + 1000;
}

bool reading_fresh(const struct reading_cache *c, const struct reading_entry *e, int64_t now_ms)
{
	return e && e->obj && e->at_ms > 0 && now_ms - e->at_ms <= reading_fresh_ms(e->kind, c->probe_interval_s);
}

void reading_cache_set_probe_interval(struct reading_cache *c, int interval_s)
{
	c->probe_interval_s = interval_s;
}

struct reading_cache *reading_cache_new(size_t probes)
{
	size_t cap = 16 + probes;
	struct reading_cache *c = calloc(1, sizeof *c + cap * sizeof c->e[0]);
	if (c) {
		c->cap = cap;
		c->probes = probes;
		c->probe_interval_s = PROBE_INTERVAL_DEFAULT_S;
	}
	return c;
}

void reading_cache_destroy(struct reading_cache **cp)
{
	struct reading_cache *c = *cp;
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		json_decref(c->e[i].obj);
	free(c);
	*cp = NULL;
}

const struct reading_entry *reading_cache_find(const struct reading_cache *c, enum reading_kind kind, const char *n)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i].kind == kind && !strcmp(c->e[i].n, n))
			return &c->e[i];
	return NULL;
}

const struct reading_entry *reading_cache_number(const struct reading_cache *c, enum reading_kind kind, int n)
{
	char name[8];
	snprintf(name, sizeof name, "%d", n);
	return reading_cache_find(c, kind, name);
}

struct reading_entry *reading_cache_slot(struct reading_cache *c, enum reading_kind kind, const char *n,
					 int64_t now_ms, bool *added)
{
	*added = false;
	const struct reading_entry *found = reading_cache_find(c, kind, n);
	if (found)
		return (struct reading_entry *)found;
	char why[96];
	if (!reading_n_valid(kind, n, why, sizeof why))
		return NULL;
	size_t have = 0, limit = kind == READING_TEMP ? c->probes : 8;
	struct reading_entry *stalest = NULL;
	for (size_t i = 0; i < c->n; i++) {
		struct reading_entry *e = &c->e[i];
		if (e->kind != kind)
			continue;
		have++;
		if (!reading_fresh(c, e, now_ms) && (!stalest || e->at_ms < stalest->at_ms))
			stalest = e;
	}
	struct reading_entry *e;
	if (have < limit && c->n < c->cap)
		e = &c->e[c->n++];
	else if (stalest)
		e = stalest;
	else
		return NULL;
	json_decref(e->obj);
	*e = (struct reading_entry){ .kind = kind };
	snprintf(e->n, sizeof e->n, "%s", n);
	*added = true;
	return e;
}

struct reading_entry *reading_cache_put(struct reading_cache *c, enum reading_kind kind, const char *n, json_t *obj,
					int64_t now_ms)
{
	bool added;
	struct reading_entry *e = reading_cache_slot(c, kind, n, now_ms, &added);
	if (!e) {
		json_decref(obj);
		return NULL;
	}
	json_decref(e->obj);
	e->obj = obj;
	e->at_ms = now_ms;
	return e;
}

const json_t *reading_cache_fresh(const struct reading_cache *c, enum reading_kind kind, const char *n, int64_t now_ms)
{
	const struct reading_entry *e = reading_cache_find(c, kind, n);
	return reading_fresh(c, e, now_ms) ? e->obj : NULL;
}

size_t reading_cache_count(const struct reading_cache *c)
{
	return c->n;
}

const struct reading_entry *reading_cache_entry(const struct reading_cache *c, size_t i)
{
	return i < c->n ? &c->e[i] : NULL;
}

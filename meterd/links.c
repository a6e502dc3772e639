/* links: see links.h. */
#include "links.h"

#include "bus.h"
#include "log.h"
#include "msg.h"
#include "reading_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct links {
	struct bus_sub *sub;
	struct reading_cache *latest; /* pulse/<n> and temp/<id> payloads */
	int64_t now_ms;               /* of the messages being taken */
};

struct links *links_new(void *zctx, const char *rundir)
{
	struct links *l = calloc(1, sizeof *l);
	if (!l || !(l->sub = bus_sub_new(zctx)) || !(l->latest = reading_cache_new(LINKS_PROBES))) {
		if (l)
			bus_sub_destroy(&l->sub);
		free(l);
		return NULL;
	}
	if (bus_sub_readings(l->sub, rundir, READING_PULSE) < 0 || bus_sub_readings(l->sub, rundir, READING_TEMP) < 0)
		log_warn("cannot subscribe to pulsed and tempd in %s: readings will have no Pulse or T", rundir);
	return l;
}

void links_destroy(struct links **lp)
{
	struct links *l = *lp;
	if (!l)
		return;
	bus_sub_destroy(&l->sub);
	reading_cache_destroy(&l->latest);
	free(l);
	*lp = NULL;
}

void *links_socket(struct links *l)
{
	return bus_sub_socket(l->sub);
}

/* The numbers of pulse/<n> and temp/<id> are checked by msg.h's getters
 * before they are taken: a bad one is dropped with the reason in err (a
 * message without them leaves the last good one standing). */
int links_take(struct links *l, const char *topic, const json_t *o, int64_t now_ms, char *err, size_t errlen)
{
	char n[READING_N_MAX];
	enum reading_kind kind = reading_topic_parse(topic, n, sizeof n);
	if (kind != READING_PULSE && kind != READING_TEMP)
		return 0;
	if (!reading_n_valid(kind, n, err, errlen))
		return -1;
	if (kind == READING_PULSE) {
		int64_t count;
		if (msg_int(json_object_get(o, "count"), "count", 0, (int64_t)MSG_VALUE_MAX, &count, err, errlen) != 0)
			return -1;
	} else {
		double t;
		if (msg_real(json_object_get(o, "T"), "T", -MSG_VALUE_MAX, MSG_VALUE_MAX, &t, err, errlen) != 0)
			return -1;
	}
	reading_cache_put(l->latest, kind, n, json_incref((json_t *)o), now_ms);
	return 0;
}

/* One bus message (bus_msg_fn). */
static void s_take(const char *topic, json_t *o, void *ud)
{
	struct links *l = ud;
	char err[256];
	if (links_take(l, topic, o, l->now_ms, err, sizeof err) < 0)
		log_debug("links: %s: %s", topic, err);
}

void links_receive(struct links *l, int64_t now_ms)
{
	l->now_ms = now_ms;
	bus_sub_each(l->sub, s_take, l);
}

void links_set_probe_interval(struct links *l, int interval_s)
{
	reading_cache_set_probe_interval(l->latest, interval_s);
}

void links_fill(const struct links *l, struct meter_reading *r, int ct_input, const char *temp_sensor, int64_t now_ms)
{
	r->has_pulse = r->has_T = false;
	const struct reading_entry *p = ct_input >= 1 && ct_input <= 8
						? reading_cache_number(l->latest, READING_PULSE, ct_input)
						: NULL;
	if (reading_fresh(l->latest, p, now_ms)) {
		r->has_pulse = true;
		r->pulse = json_integer_value(json_object_get(p->obj, "count"));
	}
	const json_t *t = temp_sensor ? reading_cache_fresh(l->latest, READING_TEMP, temp_sensor, now_ms) : NULL;
	if (t) {
		r->has_T = true;
		r->T = json_number_value(json_object_get(t, "T"));
	}
}

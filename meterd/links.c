/* links: see links.h. */
#include "links.h"

#include "bus.h"
#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct links {
	struct bus_sub *sub;
	struct {
		long long count;
		int64_t at_ms; /* 0: never */
	} pulse[8];
	struct {
		char id[32];
		double T;
		int64_t at_ms;
	} probe[LINKS_PROBES];
};

struct links *links_new(void *zctx, const char *rundir)
{
	struct links *l = calloc(1, sizeof *l);
	if (!l || !(l->sub = bus_sub_new(zctx))) {
		free(l);
		return NULL;
	}
	if (bus_sub_connect(l->sub, rundir, "pulsed") < 0 || bus_sub_connect(l->sub, rundir, "tempd") < 0 ||
	    bus_sub_subscribe(l->sub, "pulse/") < 0 || bus_sub_subscribe(l->sub, "temp/") < 0)
		log_warn("cannot subscribe to pulsed and tempd in %s: readings will have no Pulse or T", rundir);
	return l;
}

void links_destroy(struct links **lp)
{
	struct links *l = *lp;
	if (!l)
		return;
	bus_sub_destroy(&l->sub);
	free(l);
	*lp = NULL;
}

void *links_socket(struct links *l)
{
	return bus_sub_socket(l->sub);
}

static void s_pulse(struct links *l, const char *n, json_t *o, int64_t now_ms)
{
	char *end;
	long id = strtol(n, &end, 10);
	json_t *count = json_object_get(o, "count");
	if (*end || id < 1 || id > 8 || !json_is_integer(count) || json_integer_value(count) < 0)
		return;
	l->pulse[id - 1].count = json_integer_value(count);
	l->pulse[id - 1].at_ms = now_ms;
}

static void s_temp(struct links *l, const char *id, json_t *o, int64_t now_ms)
{
	json_t *t = json_object_get(o, "T");
	if (!json_is_number(t) || !isfinite(json_number_value(t)) || strlen(id) >= sizeof l->probe[0].id)
		return;
	int slot = -1, oldest = 0;
	for (int i = 0; i < LINKS_PROBES; i++) {
		if (!strcmp(l->probe[i].id, id)) {
			slot = i;
			break;
		}
		if (l->probe[i].at_ms < l->probe[oldest].at_ms)
			oldest = i;
	}
	if (slot < 0) {
		slot = oldest;
		snprintf(l->probe[slot].id, sizeof l->probe[slot].id, "%s", id);
	}
	l->probe[slot].T = json_number_value(t);
	l->probe[slot].at_ms = now_ms;
}

void links_receive(struct links *l, int64_t now_ms)
{
	for (;;) {
		char *topic = NULL, err[256];
		json_t *o = NULL;
		int rc = bus_sub_recv(l->sub, &topic, &o, err, sizeof err);
		if (rc == 0)
			return;
		if (rc < 0) {
			log_debug("links: %s", err);
			continue;
		}
		if (!strncmp(topic, "pulse/", 6))
			s_pulse(l, topic + 6, o, now_ms);
		else if (!strncmp(topic, "temp/", 5) && strcmp(topic + 5, "found"))
			s_temp(l, topic + 5, o, now_ms);
		free(topic);
		json_decref(o);
	}
}

static bool s_fresh(int64_t at_ms, int64_t now_ms)
{
	return at_ms > 0 && now_ms - at_ms <= LINKS_FRESH_MS;
}

void links_fill(const struct links *l, struct meter_reading *r, int ct_input, const char *temp_sensor, int64_t now_ms)
{
	r->has_pulse = r->has_T = false;
	if (ct_input >= 1 && ct_input <= 8 && s_fresh(l->pulse[ct_input - 1].at_ms, now_ms)) {
		r->has_pulse = true;
		r->pulse = l->pulse[ct_input - 1].count;
	}
	if (!temp_sensor)
		return;
	for (int i = 0; i < LINKS_PROBES; i++)
		if (!strcmp(l->probe[i].id, temp_sensor) && s_fresh(l->probe[i].at_ms, now_ms)) {
			r->has_T = true;
			r->T = l->probe[i].T;
		}
}

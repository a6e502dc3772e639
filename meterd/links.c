/* links: see links.h. */
#include "links.h"

#include "bus.h"
#include "log.h"
#include "msg.h"

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

/* The numbers of pulse/<n> and temp/<id> are checked by msg.h's getters
 * before they are taken: a bad one is dropped with the reason in err. */
static int s_pulse(struct links *l, const char *n, const json_t *o, int64_t now_ms, char *err, size_t errlen)
{
	char *end;
	long id = strtol(n, &end, 10);
	int64_t count;
	if (*end || id < 1 || id > 8) {
		snprintf(err, errlen, "pulse/%.20s: not an input 1..8", n);
		return -1;
	}
	if (msg_int(json_object_get(o, "count"), "count", 0, (int64_t)MSG_VALUE_MAX, &count, err, errlen) != 0)
		return -1;
	l->pulse[id - 1].count = count;
	l->pulse[id - 1].at_ms = now_ms;
	return 0;
}

static int s_temp(struct links *l, const char *id, const json_t *o, int64_t now_ms, char *err, size_t errlen)
{
	double t;
	if (strlen(id) >= sizeof l->probe[0].id) {
		snprintf(err, errlen, "temp/%.20s...: probe id longer than %zu", id, sizeof l->probe[0].id - 1);
		return -1;
	}
	if (msg_real(json_object_get(o, "T"), "T", -MSG_VALUE_MAX, MSG_VALUE_MAX, &t, err, errlen) != 0)
		return -1;
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
	l->probe[slot].T = t;
	l->probe[slot].at_ms = now_ms;
	return 0;
}

int links_take(struct links *l, const char *topic, const json_t *o, int64_t now_ms, char *err, size_t errlen)
{
	if (!strncmp(topic, "pulse/", 6))
		return s_pulse(l, topic + 6, o, now_ms, err, errlen);
	if (!strncmp(topic, "temp/", 5) && strcmp(topic + 5, "found"))
		return s_temp(l, topic + 5, o, now_ms, err, errlen);
	return 0;
}

void links_receive(struct links *l, int64_t now_ms)
{
	for (;;) {
		char *topic = NULL, err[256];
		json_t *o = NULL;
		int rc = bus_sub_recv(l->sub, &topic, &o, err, sizeof err);
		if (rc == 0)
			return;
		if (rc < 0 || links_take(l, topic, o, now_ms, err, sizeof err) < 0)
			log_debug("links: %s%s%s", topic ? topic : "", topic ? ": " : "", err);
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

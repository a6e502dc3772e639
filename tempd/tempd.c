/* tempd: applying the config, the read rounds, publication and status.
 *
 * Responsiveness: the kernel's w1-therm driver converts inside read(): a
 * read of w1_slave blocks for ~750 ms per probe on real hardware, and
 * sysfs offers no non-blocking read.  So a round only lists the directory
 * and queues the probes; a short timer then reads ONE probe per tick.
 * Between two reads the loop answers status requests and signals, so the
 * daemon is never unresponsive for longer than one probe's conversion,
 * whatever the number of probes.  A round that comes while probes of the
 * previous one are still queued does not queue them twice. */
#include "tempd.h"

#include "clock.h"
#include "config_keys.h"
#include "log.h"
#include "msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void s_emit(struct tempd *t, const char *topic, json_t *o)
{
	if (t->once_out) {
		json_object_set_new(o, "ts", json_real(clock_wall()));
		char *text = json_dumps(o, MSG_JSON_FLAGS);
		if (text)
			fprintf(t->once_out, "%s\n", text);
		free(text);
	} else if (bus_pub_send(daemon_pub(t->daemon), topic, o) == 0)
		t->published++;
	json_decref(o);
}

int tempd_apply(struct tempd *t, const struct config *cfg, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	const char *ids[PROBES_MAX + 1] = { 0 };
	int n = 0;
	for (int i = 0; i < CONFIG_SLOTS && n < PROBES_MAX; i++) {
		const char *id = cfg_meters_temp_sensor(cfg, i);
		if (id)
			ids[n++] = id;
	}
	probes_configure(&t->probes, cfg_temps_w1_root(cfg), ids);
	memset(t->pending, 0, sizeof t->pending);
	t->interval_ms = cfg_temps_interval_s(cfg) * 1000;
	if (t->round)
		daemon_timer_reset(t->round, 0, t->interval_ms); /* a round now, on the new settings */
	return 0;
}

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	return tempd_apply(ud, cfg, err, errlen);
}

static void s_scan(struct tempd *t)
{
	struct probes *ps = &t->probes;
	char before[sizeof ps->root_fault];
	snprintf(before, sizeof before, "%s", ps->root_fault);
	int nignored = ps->nignored;
	probes_scan(ps, clock_wall());
	if (strcmp(before, ps->root_fault)) {
		if (ps->root_fault[0])
			log_error("%s", ps->root_fault);
		else
			log_info("%s readable again", ps->root);
	}
	if (ps->nignored > nignored)
		log_warn("%d probes beyond the %d read: ignoring %s%s", ps->nignored, PROBES_MAX, ps->ignored[0],
			 ps->nignored > 1 ? " and others" : "");
	for (int i = 0; i < ps->n; i++) {
		struct probe *p = &ps->p[i];
		if (p->present && !p->announced) {
			log_info("found probe %s (%s)", p->id, p->family);
			s_emit(t, "temp/found", probes_found_json(p));
			p->announced = true;
		}
		if (p->present)
			t->pending[i] = true;
	}
}

void tempd_round(struct daemon *d, void *ud)
{
	if (!daemon_config(d))
		return;
	s_scan(ud);
}

static void s_read(struct tempd *t, int i)
{
	struct probe *p = &t->probes.p[i];
	enum probe_state was = p->state;
	char fault[sizeof p->fault];
	snprintf(fault, sizeof fault, "%s", p->fault);
	probes_read(&t->probes, i);
	if (p->state == PROBE_OK) {
		char topic[32];
		snprintf(topic, sizeof topic, "temp/%s", p->id);
		s_emit(t, topic, probes_reading_json(p));
		if (was == PROBE_FAULT)
			log_info("probe %s reads again", p->id);
	} else if (p->state != was || strcmp(fault, p->fault)) {
		log_warn("probe %s: %s", p->id, p->fault);
	}
}

void tempd_read_next(struct daemon *d, void *ud)
{
	(void)d;
	struct tempd *t = ud;
	for (int i = 0; i < t->probes.n; i++)
		if (t->pending[i]) {
			t->pending[i] = false;
			s_read(t, i);
			return;
		}
}

static void s_status(struct daemon *d, json_t *st, void *ud)
{
	(void)d;
	struct tempd *t = ud;
	const struct probes *ps = &t->probes;
	json_object_set_new(st, "w1_root", json_string(ps->root));
	json_object_set_new(st, "probes", probes_status_json(ps));
	json_t *found = json_array(), *ignored = json_array();
	for (int i = 0; i < ps->n; i++)
		if (ps->p[i].first_seen > 0 && !ps->p[i].configured)
			json_array_append_new(found, probes_found_json(&ps->p[i]));
	for (int i = 0; i < ps->nignored; i++)
		json_array_append_new(ignored, json_string(ps->ignored[i]));
	json_object_set_new(st, "found", found);
	json_object_set_new(st, "ignored", ignored);
	json_object_set_new(st, "published", json_integer((json_int_t)t->published));
	if (ps->root_fault[0])
		json_object_set_new(st, "fault", json_string(ps->root_fault));
	else if (ps->nignored)
		json_object_set_new(st, "fault", json_sprintf("more than %d probes on the bus: %d ignored", PROBES_MAX,
							       ps->nignored));
}

const struct daemon_ops tempd_ops = {
	.apply = s_apply,
	.status = s_status,
};

int tempd_once(struct tempd *t, const struct config *cfg, FILE *out)
{
	char err[256];
	t->once_out = out;
	tempd_apply(t, cfg, err, sizeof err);
	s_scan(t);
	bool bad = t->probes.root_fault[0] || t->probes.nignored;
	for (int i = 0; i < t->probes.n; i++) {
		if (t->pending[i])
			s_read(t, i);
		if (t->probes.p[i].state != PROBE_OK)
			bad = true;
	}
	fflush(out);
	return bad ? 1 : 0;
}

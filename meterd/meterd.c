/* meterd: applying the config, the once-a-second publication of every
 * enabled meter's readings, and the status it reports. */
#include "meterd.h"

#include "clock.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	struct meterd *m = ud;
	const char *source = config_string(cfg, "adc.source");
	if (strcmp(source, "sim")) {
		snprintf(err, errlen, "adc.source \"%s\": this build of meterd reads only the simulator (sim)", source);
		return -1;
	}
	identity_mac(cfg, m->mac);
	for (int i = 0; i < REGISTERS_METERS; i++) {
		char key[64];
		snprintf(key, sizeof key, "meters[%d].enabled", i);
		m->enabled[i] = config_bool(cfg, key);
		snprintf(key, sizeof key, "meters[%d].phase_type", i);
		snprintf(m->phase_type[i], sizeof m->phase_type[i], "%s", config_string(cfg, key));
		snprintf(key, sizeof key, "meters[%d].purpose", i);
		snprintf(m->purpose[i], sizeof m->purpose[i], "%s", config_string(cfg, key));
		snprintf(key, sizeof key, "meters[%d].ct_rating_a", i);
		m->meters[i] = (struct sim_meter){ .id = i + 1, .ct_rating_a = config_number(cfg, key),
						   .phase_type = m->phase_type[i], .purpose = m->purpose[i] };
	}
	return 0;
}

static void s_status(struct daemon *d, json_t *st, void *ud)
{
	(void)d;
	struct meterd *m = ud;
	json_t *enabled = json_array();
	for (int i = 0; i < REGISTERS_METERS; i++)
		if (m->enabled[i])
			json_array_append_new(enabled, json_integer(i + 1));
	json_object_set_new(st, "source", json_string("sim"));
	json_object_set_new(st, "simulated", json_true());
	json_object_set_new(st, "meters", enabled);
	json_object_set_new(st, "readings_published", json_integer((json_int_t)m->readings_published));
	if (m->fault[0])
		json_object_set_new(st, "fault", json_string(m->fault));
}

const struct daemon_ops meterd_ops = {
	.apply = s_apply,
	.status = s_status,
};

void meterd_tick(struct daemon *d, void *ud)
{
	struct meterd *m = ud;
	int64_t now_ns = clock_mono_ns();
	/* energy integrates over the time that really passed, so a late tick
	 * neither loses nor invents energy */
	double dt = m->last_tick_ns ? (double)(now_ns - m->last_tick_ns) / 1e9 : 0;
	m->last_tick_ns = now_ns;
	if (!daemon_config(d))
		return;
	double t = clock_wall();
	for (int i = 0; i < REGISTERS_METERS; i++) {
		if (!m->enabled[i])
			continue;
		struct meter_reading r;
		sim_reading(&m->meters[i], t, &r);
		registers_accumulate(m->regs, i + 1, &r, dt);
		char uid[IDENTITY_UID_LEN], topic[32];
		identity_meter_uid(m->mac, i + 1, uid);
		json_t *o = reading_to_json(&r, i + 1, uid, true);
		json_object_set_new(o, "ts", json_real(t));
		snprintf(topic, sizeof topic, "meter/%d/rt", i + 1);
		if (bus_pub_send(daemon_pub(d), topic, o) == 0)
			m->readings_published++;
		json_decref(o);
	}
	char err[512];
	bool failed = registers_save(m->regs, false, err, sizeof err) < 0;
	if (failed && !m->volatile_save_failed)
		log_warn("%s (a crash of meterd would lose up to a minute of energy)", err);
	m->volatile_save_failed = failed;
}

/* The SD card copy; the tmpfs copy is written after every tick. */
void meterd_save(struct daemon *d, void *ud)
{
	(void)d;
	struct meterd *m = ud;
	char err[512];
	if (registers_save(m->regs, true, err, sizeof err) < 0) {
		if (strcmp(m->fault, err))
			log_error("%s", err);
		snprintf(m->fault, sizeof m->fault, "%s", err);
	} else if (m->fault[0]) {
		log_info("energy registers saved again");
		m->fault[0] = '\0';
	}
}

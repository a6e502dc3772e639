/* alarmd: applying the config (rules matched by id keep their state), the
 * readings and statuses it watches, the evaluation tick, what an event
 * sends, the status and the commands. */
#include "alarmd.h"

#include "bus.h"
#include "clock.h"
#include "config_keys.h"
#include "health.h"
#include "log.h"
#include "msg.h"
#include "paths.h"
#include "state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY(buf, fmt, ...) (snprintf(buf, sizeof buf, fmt, __VA_ARGS__), buf)

/* The status of daemon name when it is recent, else NULL. */
static const json_t *s_status_of(const struct alarmd *a, const char *name, int64_t now);
static void s_emit(struct alarmd *a, struct alarm_rule *r, enum rule_event ev);

/* ---- config ---- */

static int s_phases(const char *phase_type)
{
	return !strcmp(phase_type, "LN") ? 1 : !strcmp(phase_type, "2LN") ? 2 : 3;
}

static void s_emails(struct alarm_rule *r, const json_t *list)
{
	size_t i;
	const json_t *e;
	r->nemails = 0;
	json_array_foreach(list, i, e)
		if (r->nemails < sizeof r->emails / sizeof r->emails[0])
			snprintf(r->emails[r->nemails++], sizeof r->emails[0], "%s", json_string_value(e));
}

static struct alarm_rule *s_health(struct alarm_rule *rules, size_t *n, const struct config *cfg, const char *id,
				   enum watch w, const char *name, double high)
{
	struct alarm_rule *r = &rules[(*n)++];
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", id);
	snprintf(r->name, sizeof r->name, "%s", name);
	r->watch = w;
	r->enabled = true;
	s_emails(r, cfg_health_alarms_emails(cfg));
	snprintf(r->webhook, sizeof r->webhook, "%s", cfg_health_alarms_webhook(cfg));
	struct rule_limits lim = {
		.has_high = true, .high = high,
		.recovery_ms = cfg_health_alarms_recovery_s(cfg) * 1000,
		.reminder_ms = cfg_health_alarms_reminder_s(cfg) * 1000,
	};
	rule_init(&r->r, &lim);
	return r;
}

/* The SMTP settings and the site: before the rules, so that what a new
 * config ends (removed alarms) is sent with the settings in force. */
static void s_apply_smtp(struct alarmd *a, const struct config *cfg)
{
	struct smtp_settings *s = &a->smtp;
	snprintf(s->host, sizeof s->host, "%s", cfg_smtp_host(cfg));
	s->port = (int)cfg_smtp_port(cfg);
	const char *sec = cfg_smtp_security(cfg);
	s->security = !strcmp(sec, "none") ? MAIL_PLAIN : !strcmp(sec, "tls") ? MAIL_TLS : MAIL_STARTTLS;
	snprintf(s->username, sizeof s->username, "%s", cfg_smtp_username(cfg));
	snprintf(s->password, sizeof s->password, "%s", cfg_smtp_password(cfg));
	snprintf(s->from, sizeof s->from, "%s", cfg_smtp_from(cfg));
	snprintf(s->ca_file, sizeof s->ca_file, "%s", cfg_smtp_ca_file(cfg));
	snprintf(a->site, sizeof a->site, "%s", cfg_hub_site(cfg));
	a->require_ntp_sync = cfg_network_require_ntp_sync(cfg);
}

static bool s_same_rule(const struct alarm_rule *x, const struct alarm_rule *y)
{
	return !strcmp(x->id, y->id) && x->watch == y->watch && x->meter == y->meter && x->phase == y->phase &&
	       !strcmp(x->quantity, y->quantity);
}

/* An alarm raised under old that the new rules end without a recovery:
 * its rule is gone (deleted, its health alarm switched off, its meter
 * disabled, or it watches another meter, phase or quantity now) or is
 * disabled.  "removed" is sent to the old rule's addresses. */
static void s_removed(struct alarmd *a, struct alarm_rule *old, const char *why)
{
	snprintf(old->detail, sizeof old->detail, "%s", why);
	old->value = old->r.value;
	s_emit(a, old, RULE_REMOVED);
	old->r.raised = false;
	a->state_dirty = true;
}

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	struct alarmd *a = ud;
	s_apply_smtp(a, cfg);
	if (a->restore_outbox) {
		outbox_restore(a->outbox, a->restore_outbox);
		json_decref(a->restore_outbox);
		a->restore_outbox = NULL;
	}
	struct alarm_rule *rules = calloc(ALARMD_RULES_MAX, sizeof *rules);
	if (!rules) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t n = 0;
	char id[NOTICE_ID_MAX], name[160];
	const json_t *alarms = cfg_alarms(cfg);
	for (size_t i = 0; i < json_array_size(alarms) && n < ALARMD_RULES_MAX; i++) {
		struct alarm_rule *r = &rules[n++];
		r->watch = WATCH_READING;
		snprintf(r->id, sizeof r->id, "%lld", cfg_alarms_id(cfg, (int)i));
		r->enabled = cfg_alarms_enabled(cfg, (int)i);
		r->meter = (int)cfg_alarms_meter(cfg, (int)i);
		r->phase = (int)cfg_alarms_phase(cfg, (int)i);
		r->phases = s_phases(cfg_meters_phase_type(cfg, r->meter - 1));
		snprintf(r->quantity, sizeof r->quantity, "%s", cfg_alarms_quantity(cfg, (int)i));
		snprintf(r->name, sizeof r->name, "%s", cfg_alarms_title(cfg, (int)i));
		s_emails(r, cfg_alarms_emails(cfg, (int)i));
		snprintf(r->webhook, sizeof r->webhook, "%s", cfg_alarms_webhook(cfg, (int)i));
		const json_t *hi = cfg_alarms_high(cfg, (int)i);
		const json_t *lo = cfg_alarms_low(cfg, (int)i);
		struct rule_limits lim = {
			.has_high = json_is_number(hi), .high = json_number_value(hi),
			.has_low = json_is_number(lo), .low = json_number_value(lo),
			.recovery_ms = cfg_alarms_recovery_s(cfg, (int)i) * 1000,
			.reminder_ms = cfg_alarms_reminder_s(cfg, (int)i) * 1000,
		};
		rule_init(&r->r, &lim);
	}
	int probe_s = (int)cfg_temps_interval_s(cfg);
	reading_cache_set_probe_interval(a->latest, probe_s);
	if (cfg_health_alarms_upload_backlog(cfg))
		s_health(rules, &n, cfg, "upload-backlog", WATCH_UPLOAD_BACKLOG, "Upload backlog",
			 (double)cfg_health_alarms_upload_backlog_s(cfg));
	for (int m = 1; m <= CONFIG_SLOTS; m++) {
		if (!cfg_meters_enabled(cfg, m - 1))
			continue;
		const char *mname = cfg_meters_name(cfg, m - 1);
		if (cfg_health_alarms_meter_silent(cfg)) {
			snprintf(name, sizeof name, "%s silent", mname);
			s_health(rules, &n, cfg, KEY(id, "meter-silent:%d", m), WATCH_METER_SILENT, name,
				 reading_fresh_ms(READING_METER, probe_s) / 1000.0)
				->meter = m;
			const char *probe = cfg_meters_temp_sensor(cfg, m - 1);
			if (probe) {
				snprintf(name, sizeof name, "Probe %s silent", probe);
				struct alarm_rule *r = s_health(rules, &n, cfg, KEY(id, "probe-silent:%s", probe),
								WATCH_PROBE_SILENT, name,
								reading_fresh_ms(READING_TEMP, probe_s) / 1000.0);
				snprintf(r->probe, sizeof r->probe, "%s", probe);
			}
		}
		if (cfg_health_alarms_wiring(cfg)) {
			snprintf(name, sizeof name, "%s wiring fault", mname);
			s_health(rules, &n, cfg, KEY(id, "wiring:%d", m), WATCH_WIRING, name, 0)->meter = m;
		}
	}
	if (cfg_health_alarms_disk_full(cfg))
		s_health(rules, &n, cfg, "disk-full", WATCH_DISK_FULL, "SD card nearly full or failing",
			 (double)cfg_health_alarms_disk_full_pct(cfg));
	if (cfg_health_alarms_clock(cfg))
		s_health(rules, &n, cfg, "clock", WATCH_CLOCK, "Clock not synchronised", 0);
	a->restart_window_s = (double)cfg_health_alarms_restart_window_s(cfg);
	for (size_t p = 0; p < ALARMD_POLLED && cfg_health_alarms_restart_loop(cfg) && n < ALARMD_RULES_MAX; p++) {
		snprintf(name, sizeof name, "%s restarting over and over", a->poll[p].daemon);
		struct alarm_rule *r = s_health(rules, &n, cfg, KEY(id, "restarts:%s", a->poll[p].daemon), WATCH_RESTARTS,
						name, (double)cfg_health_alarms_restart_max(cfg));
		snprintf(r->daemon, sizeof r->daemon, "%s", a->poll[p].daemon);
	}

	/* a rule that stays keeps its state (a raised alarm is not raised
	 * twice); a new one is watched from now; a raised alarm whose rule
	 * went, or was disabled, says so */
	int64_t now_ms = clock_mono_ms();
	for (size_t i = 0; i < n; i++)
		rules[i].watched_ms = now_ms;
	for (size_t j = 0; j < a->nrules; j++) {
		struct alarm_rule *old = &a->rules[j];
		struct alarm_rule *now = NULL;
		for (size_t i = 0; i < n && !now; i++)
			if (s_same_rule(&rules[i], old))
				now = &rules[i];
		if (!now) {
			if (old->r.raised)
				s_removed(a, old, "The rule was deleted or changed to watch something else.");
			continue;
		}
		if (old->r.raised && !now->enabled) {
			s_removed(a, old, "The rule was disabled.");
			continue;
		}
		struct rule_limits lim = now->r.lim;
		now->r = old->r;
		rule_set_limits(&now->r, &lim);
		now->raised_ts = old->raised_ts;
		now->watched_ms = old->watched_ms;
	}
	free(a->rules);
	a->rules = rules;
	a->nrules = n;
	return 0;
}

/* ---- input ---- */

static void s_on_bus(struct daemon *d, void *ud)
{
	(void)d;
	struct alarmd *a = ud;
	char *topic;
	json_t *msg;
	char err[256], n[READING_N_MAX];
	int rc;
	while ((rc = bus_sub_recv(a->sub, &topic, &msg, err, sizeof err)) != 0) {
		if (rc < 0)
			continue;
		enum reading_kind kind = reading_topic_parse(topic, n, sizeof n);
		if (kind && reading_n_valid(kind, n, err, sizeof err))
			reading_cache_put(a->latest, kind, n, msg, clock_mono_ms());
		else
			json_decref(msg);
		free(topic);
	}
}

static void s_on_status(json_t *answer, const char *err, void *ud)
{
	struct status_poll *p = ud;
	p->call = 0;
	if (!answer || !json_is_true(json_object_get(answer, "ok"))) {
		(void)err; /* a daemon not running: its alarms see no value */
		return;
	}
	json_decref(p->last);
	p->last = json_incref(answer);
	p->at_ms = clock_mono_ms();
	health_starts_seen(&p->starts, (int)json_integer_value(json_object_get(answer, "pid")),
			   json_number_value(json_object_get(answer, "uptime_s")), clock_wall(),
			   p->a->restart_window_s);
}

void alarmd_poll(struct daemon *d, void *ud)
{
	(void)d;
	struct alarmd *a = ud;
	json_t *status = json_pack("{s:s}", "cmd", "status");
	for (size_t i = 0; i < ALARMD_POLLED; i++)
		if (a->poll[i].ctl && !a->poll[i].call)
			a->poll[i].call = ctl_client_call(a->poll[i].ctl, status, ALARMD_POLL_MS - 500, s_on_status,
							  &a->poll[i]);
	json_decref(status);
}

static struct status_poll *s_poll(struct alarmd *a, const char *name)
{
	for (size_t i = 0; i < ALARMD_POLLED; i++)
		if (a->poll[i].daemon && !strcmp(a->poll[i].daemon, name))
			return &a->poll[i];
	return NULL;
}

/* (recent: within 3 polls) */
static const json_t *s_status_of(const struct alarmd *a, const char *name, int64_t now)
{
	const struct status_poll *p = s_poll((struct alarmd *)a, name);
	return p && p->last && now - p->at_ms <= 3 * ALARMD_POLL_MS ? p->last : NULL;
}

/* ---- evaluation ---- */

/* The value a reading rule watches now: one phase's, or for phase 0 the
 * phase furthest outside its limits (or phase 1's when all are inside). */
static bool s_reading_value(struct alarmd *a, struct alarm_rule *r, int64_t now)
{
	char n[4];
	snprintf(n, sizeof n, "%d", r->meter);
	const json_t *obj = reading_cache_fresh(a->latest, READING_METER, n, now);
	if (!obj)
		return false;
	int first = r->phase ? r->phase : 1, last = r->phase ? r->phase : r->phases;
	bool have = false, out = false;
	double best = 0;
	for (int p = first; p <= last; p++) {
		char f[8];
		snprintf(f, sizeof f, "%s%d", r->quantity, p);
		const json_t *v = json_object_get(obj, f);
		if (!json_is_number(v))
			continue;
		double x = json_number_value(v), limit;
		bool high, o = rule_outside(&r->r.lim, x, &high, &limit);
		double excess = o ? fabs(x - limit) : 0;
		if (!have || (o && (!out || excess > best))) {
			r->value = x;
			r->value_phase = p;
			best = excess;
			out = o;
		}
		have = true;
	}
	return have;
}

static bool s_value(struct alarmd *a, struct alarm_rule *r, int64_t now)
{
	r->detail[0] = '\0';
	switch (r->watch) {
	case WATCH_READING:
		return s_reading_value(a, r, now);
	case WATCH_UPLOAD_BACKLOG: {
		const json_t *st = s_status_of(a, "uploadd", now);
		if (!st)
			return false;
		r->value = health_upload_backlog(st, clock_wall(), a->backlog_since, a->backlog_name, r->detail,
						 sizeof r->detail);
		return true;
	}
	case WATCH_METER_SILENT:
	case WATCH_PROBE_SILENT: {
		char n[READING_N_MAX];
		enum reading_kind kind = r->watch == WATCH_METER_SILENT ? READING_METER : READING_TEMP;
		if (kind == READING_METER)
			snprintf(n, sizeof n, "%d", r->meter);
		else
			snprintf(n, sizeof n, "%s", r->probe);
		const struct reading_entry *e = reading_cache_find(a->latest, kind, n);
		r->value = health_silent_s(e ? e->at_ms : 0, r->watched_ms, now);
		snprintf(r->detail, sizeof r->detail, "%s %s: no reading for %.0f s", kind == READING_METER ? "Meter" : "Probe",
			 n, r->value);
		return true;
	}
	case WATCH_WIRING: {
		const json_t *st = s_status_of(a, "meterd", now);
		if (!st)
			return false;
		r->value = health_wiring(st, r->meter, r->detail, sizeof r->detail);
		return true;
	}
	case WATCH_DISK_FULL: {
		const json_t *st = s_status_of(a, "storaged", now);
		return st && health_disk(st, &r->value, r->detail, sizeof r->detail);
	}
	case WATCH_CLOCK:
		r->value = clock_wall_synchronised(a->require_ntp_sync) ? 0 : 1;
		return true;
	case WATCH_RESTARTS: {
		/* known whether or not it answers now: a daemon in a loop is
		 * down part of the time */
		struct status_poll *p = s_poll(a, r->daemon);
		if (!p)
			return false;
		r->value = health_starts_seen(&p->starts, 0, 0, clock_wall(), a->restart_window_s);
		snprintf(r->detail, sizeof r->detail, "%s started %.0f times in the last %.0f s (pid %d).", r->daemon,
			 r->value, a->restart_window_s, p->starts.pid);
		return true;
	}
	}
	return false;
}

static const char *s_unit(const struct alarm_rule *r, const char **label, char *buf, size_t len)
{
	switch (r->watch) {
	case WATCH_READING: {
		char f[8];
		snprintf(f, sizeof f, "%s%d", r->quantity, r->value_phase ? r->value_phase : 1);
		const struct reading_field *rf = reading_field(READING_METER, f);
		snprintf(buf, len, "%s", rf ? rf->label : f);
		*label = buf;
		return rf ? rf->unit : "";
	}
	case WATCH_UPLOAD_BACKLOG: *label = "Oldest undelivered for"; return "s";
	case WATCH_METER_SILENT:
	case WATCH_PROBE_SILENT: *label = "Silent for"; return "s";
	case WATCH_WIRING: *label = "Wiring faults"; return "";
	case WATCH_DISK_FULL: *label = "Store used"; return "%";
	case WATCH_CLOCK: *label = "Not synchronised"; return "";
	case WATCH_RESTARTS: *label = "Starts"; return "";
	}
	*label = "";
	return "";
}


static void s_send(struct alarmd *a, const struct alarm_rule *r, const struct notice *n, json_t *event)
{
	char err[256];
	if (r->nemails) {
		const char *to[16];
		for (size_t i = 0; i < r->nemails; i++)
			to[i] = r->emails[i];
		char *mail = notice_mail(n, a->smtp.from, to, r->nemails, a->host);
		if (!mail || outbox_mail(a->outbox, mail, to, r->nemails, OUTBOX_TRIES, NULL, NULL, err, sizeof err) < 0)
			log_error("alarm %s: no e-mail: %s", r->id, mail ? err : "out of memory");
	}
	if (r->webhook[0]) {
		char *body = json_dumps(event, MSG_JSON_FLAGS);
		if (!body || outbox_webhook(a->outbox, r->webhook, body, OUTBOX_TRIES, err, sizeof err) < 0)
			log_error("alarm %s: no webhook: %s", r->id, body ? err : "out of memory");
	}
}

static void s_emit(struct alarmd *a, struct alarm_rule *r, enum rule_event ev)
{
	char labelbuf[64], topic[NOTICE_ID_MAX + 8];
	const char *label;
	const char *unit = s_unit(r, &label, labelbuf, sizeof labelbuf);
	char quantity[8];
	snprintf(quantity, sizeof quantity, "%s%.0d", r->quantity, r->value_phase);
	struct notice n = {
		.event = rule_event_name(ev), .name = r->name, .meter = r->meter,
		.phase = r->watch == WATCH_READING ? r->value_phase : 0,
		.quantity = r->watch == WATCH_READING ? quantity : NULL, .label = label, .unit = unit,
		.value = ev == RULE_RECOVERED ? r->value : r->r.value, .limit = r->r.limit, .high = r->r.high,
		.detail = r->detail, .ts = clock_wall(), .site = a->site,
	};
	snprintf(n.id, sizeof n.id, "%s", r->id);
	if (ev == RULE_RAISED)
		r->raised_ts = n.ts;
	json_t *event = notice_json(&n);
	log_info("alarm %s (%s) %s: %g %s, limit %g", r->id, r->name, n.event, n.value, unit, n.limit);
	snprintf(topic, sizeof topic, "alarm/%s", r->id);
	bus_pub_send(daemon_pub(a->daemon), topic, event);
	logbook_add(&a->logbook, event);
	a->events++;
	a->state_dirty = true;
	s_send(a, r, &n, event);
	json_decref(event);
}

/* Writes the state file when a raised alarm or the owed log changed. */
static void s_save(struct alarmd *a)
{
	if (!a->outbox || !a->state_path[0]) /* not open */
		return;
	uint64_t gen = outbox_generation(a->outbox);
	if (!a->state_dirty && !a->logbook.changed && gen == a->outbox_saved)
		return;
	char err[512];
	json_t *deliveries = a->restore_outbox ? json_incref(a->restore_outbox) : outbox_owed(a->outbox);
	json_t *doc = state_json(a->rules, a->nrules, a->logbook.owed, deliveries, clock_wall(), clock_mono_ms());
	json_decref(deliveries);
	if (state_save(a->state_path, doc, err, sizeof err) < 0) {
		log_error("alarm state not saved (a restart would forget it): %s", err);
	} else {
		a->state_dirty = a->logbook.changed = false;
		a->outbox_saved = gen;
	}
	json_decref(doc);
}

static void s_delivered(void *ud)
{
	s_save(ud);
}

void alarmd_tick(struct daemon *d, void *ud)
{
	struct alarmd *a = ud;
	int64_t now = clock_mono_ms();
	/* no config applied yet: the rules are the state file's raised ones,
	 * without their limits, which would all "recover" at once */
	for (size_t i = 0; daemon_config(d) && i < a->nrules; i++) {
		struct alarm_rule *r = &a->rules[i];
		if (!r->enabled)
			continue;
		r->have = s_value(a, r, now);
		enum rule_event ev = rule_step(&r->r, r->have, r->value, now);
		if (ev != RULE_NONE)
			s_emit(a, r, ev);
	}
	outbox_run(a->outbox);
	logbook_run(&a->logbook, now);
	s_save(a);
}

/* ---- status and commands ---- */

static void s_status(struct daemon *d, json_t *st, void *ud)
{
	(void)d;
	struct alarmd *a = ud;
	json_t *rules = json_array();
	for (size_t i = 0; i < a->nrules; i++) {
		const struct alarm_rule *r = &a->rules[i];
		json_t *o = json_pack("{s:s,s:s,s:b,s:s}", "id", r->id, "name", r->name, "enabled", r->enabled, "state",
				      !r->enabled ? "disabled" : r->r.raised ? "raised" : "normal");
		if (r->have)
			json_object_set_new(o, "value", json_real(r->value));
		if (r->r.raised) {
			json_object_set_new(o, "since", json_real(r->raised_ts));
			json_object_set_new(o, "limit", json_real(r->r.limit));
			json_object_set_new(o, "limit_kind", json_string(r->r.high ? "high" : "low"));
			json_object_set_new(o, "recovering", json_boolean(r->r.inside_since_ms >= 0));
		}
		json_array_append_new(rules, o);
	}
	json_object_set_new(st, "rules", rules);
	json_object_set_new(st, "events", json_integer((json_int_t)a->events));
	json_object_set_new(st, "alarm_log", logbook_status(&a->logbook));
	json_object_set_new(st, "deliveries", outbox_status(a->outbox));
	json_object_set_new(st, "smtp", json_boolean(a->smtp.host[0] && a->smtp.from[0]));
	if (a->test_mail)
		json_object_set(st, "test_email", a->test_mail);
	const char *fault = NULL;
	if (!a->smtp.host[0] && a->nrules)
		for (size_t i = 0; i < a->nrules && !fault; i++)
			if (a->rules[i].enabled && a->rules[i].nemails)
				fault = "alarms have e-mail addresses but no SMTP server is set";
	if (fault)
		json_object_set_new(st, "fault", json_string(fault));
}

static void s_test_done(bool ok, const char *err, void *ud)
{
	struct alarmd *a = ud;
	json_object_set_new(a->test_mail, "state", json_string(ok ? "sent" : "failed"));
	if (!ok)
		json_object_set_new(a->test_mail, "error", json_string(err));
	daemon_publish_status(a->daemon);
}

static json_t *s_command(struct daemon *d, const char *cmd, json_t *req, void *ud, char *err, size_t errlen)
{
	(void)d;
	struct alarmd *a = ud;
	if (!strcmp(cmd, "test-email")) {
		const char *to = json_string_value(json_object_get(req, "to"));
		char why[128];
		if (!to || !cfg_fmt_email.check(to, why, sizeof why) || !to[0]) {
			snprintf(err, errlen, "to: must be an e-mail address (is %s)", to ? "not one" : "missing");
			return NULL;
		}
		struct notice n = { .event = "test", .name = "Eniscope alarm e-mail", .ts = clock_wall(),
				    .site = a->site };
		snprintf(n.id, sizeof n.id, "test");
		const char *list[1] = { to };
		char *mail = notice_mail(&n, a->smtp.from, list, 1, a->host);
		outbox_forget(a->outbox, a);
		if (!mail || outbox_mail(a->outbox, mail, list, 1, 1, s_test_done, a, err, errlen) < 0) {
			if (!mail)
				snprintf(err, errlen, "out of memory");
			return NULL;
		}
		json_decref(a->test_mail);
		a->test_mail = json_pack("{s:s,s:s,s:f}", "to", to, "state", "sending", "time", n.ts);
		outbox_run(a->outbox);
		return json_pack("{s:b,s:s}", "ok", 1, "state", "sending");
	}
	snprintf(err, errlen, "unknown command \"%s\" (known: status, reload, test-email)", cmd);
	return NULL;
}

const struct daemon_ops alarmd_ops = { .apply = s_apply, .status = s_status, .command = s_command };

/* The raised alarms and the owed log of the state file, before the first
 * config: s_apply then matches them like a reload's rules. */
static int s_restore(struct alarmd *a, char *err, size_t errlen)
{
	snprintf(a->state_path, sizeof a->state_path, "%s/%s", paths_datadir(), ALARMD_STATE_FILE);
	if (!(a->rules = calloc(ALARMD_RULES_MAX, sizeof *a->rules))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	char why[512];
	json_t *doc = state_load(a->state_path, why, sizeof why);
	if (!doc) {
		if (why[0])
			log_error("alarm state not restored: %s", why);
		return 0;
	}
	a->nrules = state_rules(doc, a->rules, ALARMD_RULES_MAX, clock_wall(), clock_mono_ms());
	logbook_restore(&a->logbook, json_object_get(doc, "log"));
	if (json_array_size(json_object_get(doc, "outbox")))
		a->restore_outbox = json_incref(json_object_get(doc, "outbox"));
	if (a->nrules || json_array_size(a->logbook.owed) || a->restore_outbox)
		log_info("restored %zu raised alarms, %zu events for the alarm log and %zu deliveries from %s",
			 a->nrules, json_array_size(a->logbook.owed), json_array_size(a->restore_outbox),
			 a->state_path);
	json_decref(doc);
	return 0;
}

int alarmd_open(struct alarmd *a, struct daemon *d, char *err, size_t errlen)
{
	a->daemon = d;
	if (gethostname(a->host, sizeof a->host) < 0)
		snprintf(a->host, sizeof a->host, "eniscope");
	a->host[sizeof a->host - 1] = '\0';
	a->sub = bus_sub_new(daemon_zctx(d));
	a->latest = reading_cache_new(ALARMD_PROBES);
	a->outbox = outbox_new(d, &a->smtp);
	if (!a->sub || !a->latest || !a->outbox) {
		snprintf(err, errlen, "out of memory setting up");
		return -1;
	}
	outbox_on_delivered(a->outbox, s_delivered, a);
	if (bus_sub_readings(a->sub, paths_rundir(), READING_METER) < 0 ||
	    bus_sub_readings(a->sub, paths_rundir(), READING_TEMP) < 0 ||
	    daemon_watch_socket(d, bus_sub_socket(a->sub), s_on_bus, a) < 0) {
		snprintf(err, errlen, "cannot subscribe to the readings");
		return -1;
	}
	size_t np = 0;
	for (const char *const *name = bus_daemon_names; *name && np < ALARMD_POLLED; name++) {
		if (!strcmp(*name, "alarmd"))
			continue;
		struct status_poll *p = &a->poll[np++];
		*p = (struct status_poll){ .daemon = *name, .a = a };
		if (!(p->ctl = ctl_client_new(d, paths_rundir(), *name))) {
			snprintf(err, errlen, "cannot make a control client for %s", *name);
			return -1;
		}
	}
	struct status_poll *storaged = s_poll(a, "storaged");
	logbook_init(&a->logbook, storaged ? storaged->ctl : NULL);
	return s_restore(a, err, errlen);
}

void alarmd_close(struct alarmd *a)
{
	s_save(a);
	logbook_fini(&a->logbook);
	outbox_destroy(&a->outbox);
	for (size_t i = 0; i < ALARMD_POLLED; i++) {
		ctl_client_destroy(&a->poll[i].ctl);
		json_decref(a->poll[i].last);
	}
	reading_cache_destroy(&a->latest);
	bus_sub_destroy(&a->sub);
	json_decref(a->test_mail);
	json_decref(a->restore_outbox);
	free(a->rules);
}

/* paneld: see paneld.h. */
#include "paneld.h"

#include "clock.h"
#include "config_keys.h"
#include "log.h"
#include "paths.h"
#include "command.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

void paneld_init(struct paneld *p, const struct gpio_ops *gpio_ops)
{
	memset(p, 0, sizeof *p);
	p->gpio_ops = gpio_ops;
	p->pattern = LED_NORMAL;
	snprintf(p->reason, sizeof p->reason, "starting");
}

static void s_close_button(struct paneld *p)
{
	if (p->gpio) {
		daemon_unwatch(p->daemon, NULL, source_gpio_fd(p->gpio, 1));
		source_gpio_destroy(&p->gpio);
	}
	if (p->file) {
		if (source_file_fd(p->file) >= 0)
			daemon_unwatch(p->daemon, NULL, source_file_fd(p->file));
		source_file_destroy(&p->file);
	}
}

void paneld_fini(struct paneld *p)
{
	s_close_button(p);
	ctl_client_destroy(&p->uploadd);
	json_decref(p->reboot_cmd);
	json_decref(p->reset_cmd);
}

/* ---- the LED ---- */

/* Chooses the pattern (the button's first, then the hub's state), shows
 * its colour now and arms the one wake-up for whichever comes first: the
 * LED's next step or the button's next deadline. */
static void s_update(struct paneld *p)
{
	int64_t now = clock_mono_ms();
	enum led_pattern_id want;
	int64_t start;
	char why[512];
	if (p->button_started && button_pattern(&p->button, now, &want, &start)) {
		snprintf(why, sizeof why, "USER button: %s", button_state_name(p->button.state));
	} else {
		want = led_pattern_choose(p->ntp_failed, p->upload_pending);
		start = want == p->pattern ? p->pattern_start_ms : now;
		if (want == LED_NTP_FAILED)
			snprintf(why, sizeof why, "the clock is not synchronised (NTP)");
		else if (want == LED_UPLOAD_PENDING)
			snprintf(why, sizeof why, "%s", p->upload_why);
		else
			snprintf(why, sizeof why, "normal operation");
	}
	bool changed = want != p->pattern || strcmp(why, p->reason);
	p->pattern = want;
	p->pattern_start_ms = start;
	snprintf(p->reason, sizeof p->reason, "%s", why);
	if (changed) {
		log_info("LED: %s (%s)", led_pattern_name(want), why);
		daemon_publish_status(p->daemon);
	}
	led_sysfs_show(&p->leds, led_pattern_colour(want, now - start));
	int64_t next = led_pattern_next_change(want, now - start);
	int64_t b = p->button_started ? button_next_ms(&p->button, now) : -1;
	if (b >= 0 && (next < 0 || b < next))
		next = b;
	if (next >= 0)
		daemon_timer_reset(p->wake, next, 0);
	else
		daemon_timer_cancel(p->wake);
}

/* ---- the button's commands ---- */

/* Starts a command (common/command.h); the child is reaped by paneld_poll.
 * -1 when it could not be started (a fault, and last_action says why). */
static int s_run(struct paneld *p, const char *what, const json_t *cmd)
{
	char why[512];
	pid_t pid = command_spawn(cmd, NULL, -1, -1, 0, why, sizeof why);
	if (pid < 0) {
		fault_set(&p->command_fault, p->daemon, what, why);
		snprintf(p->last_action, sizeof p->last_action, "%s: %s", what, why);
		return -1;
	}
	fault_set(&p->command_fault, p->daemon, what, "");
	p->child = pid;
	snprintf(p->child_what, sizeof p->child_what, "%s", what);
	snprintf(p->last_action, sizeof p->last_action, "%s: %s started (pid %d)", what,
		 json_string_value(json_array_get(cmd, 0)), (int)pid);
	log_info("%s", p->last_action);
	return 0;
}

/* Runs a button's command; when it cannot start, nothing happened and the
 * button is usable again. */
static void s_run_button(struct paneld *p, const char *what, const json_t *cmd)
{
	if (s_run(p, what, cmd) < 0)
		button_init(&p->button, &p->button.t, clock_mono_ms(), false);
}

static void s_act(struct paneld *p, enum button_action a)
{
	switch (a) {
	case BUTTON_NOTHING:
		return;
	case BUTTON_REBOOT:
		log_info("USER button held %lld ms: reboot", (long long)p->button.t.reboot_ms);
		s_run_button(p, "reboot", p->reboot_cmd);
		break;
	case BUTTON_FACTORY_RESET:
		log_info("USER button held %lld ms from power-on: factory reset (All Settings and Data)",
			 (long long)p->button.t.reset_ms);
		s_run_button(p, "factory reset", p->reset_cmd);
		break;
	case BUTTON_CANCELLED:
		snprintf(p->last_action, sizeof p->last_action, "factory reset cancelled: released before %lld ms",
			 (long long)p->button.t.reset_ms);
		log_info("%s", p->last_action);
		break;
	}
	daemon_publish_status(p->daemon);
}

/* ---- the button's source ---- */

static void s_edge(void *ud, const struct pulse_edge *e)
{
	struct paneld *p = ud;
	if (e->input != 1) {
		log_warn("USER button: edge of input %d ignored (the button is input 1)", e->input);
		return;
	}
	p->level = e->level;
	if (p->button_started)
		s_act(p, button_edge(&p->button, clock_mono_ms(), e->level));
}

static void s_read_file(struct paneld *p)
{
	char err[512];
	if (source_file_read(p->file, false, err, sizeof err) < 0)
		fault_set(&p->button_fault, p->daemon, "USER button", err);
}

static void s_on_file(struct daemon *d, void *ud)
{
	(void)d;
	struct paneld *p = ud;
	s_read_file(p);
	s_update(p);
}

static void s_on_gpio(struct daemon *d, void *ud)
{
	(void)d;
	struct paneld *p = ud;
	char err[512];
	if (source_gpio_read(p->gpio, 1, s_edge, p, err, sizeof err) < 0)
		fault_set(&p->button_fault, p->daemon, "USER button", err);
	s_update(p);
}

/* Opens the source panel.button names; the first one opened starts the
 * button with its level then (pressed: a hold from power-on). */
static int s_open_button(struct paneld *p, const struct config *cfg, char *err, size_t errlen)
{
	const char *src = cfg_panel_button(cfg);
	char key[sizeof p->button_key];
	snprintf(key, sizeof key, "%s|%s|%lld|%d", src, cfg_panel_gpio_chip(cfg), (long long)cfg_panel_gpio_line(cfg),
		 cfg_panel_active_low(cfg));
	if (!strcmp(key, p->button_key))
		return 0;
	s_close_button(p);
	p->level = false;
	if (!strncmp(src, "file:", 5)) {
		p->file = source_file_open(src + 5, s_edge, p, err, errlen);
		if (p->file) {
			int fd = source_file_fd(p->file);
			if (fd >= 0 && daemon_watch_fd(p->daemon, fd, s_on_file, p) < 0) {
				snprintf(err, errlen, "cannot watch %s: %s", src + 5, strerror(errno));
				source_file_destroy(&p->file);
			} else {
				s_read_file(p); /* what is there now is the level at start */
			}
		}
		if (!p->file)
			return -1;
	} else if (!strcmp(src, "gpio")) {
		unsigned lines[EDGE_INPUTS] = { (unsigned)cfg_panel_gpio_line(cfg) };
		bool want[EDGE_INPUTS] = { true };
		p->gpio = source_gpio_open(p->gpio_ops, "paneld", "USER button", cfg_panel_gpio_chip(cfg), lines, want,
					   cfg_panel_active_low(cfg), err, errlen);
		if (!p->gpio)
			return -1;
		if (daemon_watch_fd(p->daemon, source_gpio_fd(p->gpio, 1), s_on_gpio, p) < 0) {
			snprintf(err, errlen, "cannot watch the USER button's line: %s", strerror(errno));
			source_gpio_destroy(&p->gpio);
			return -1;
		}
		p->level = source_gpio_closed(p->gpio, 1);
	}
	snprintf(p->button_key, sizeof p->button_key, "%s", key);
	return 0;
}

/* ---- the skeleton's calls ---- */

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	(void)err;
	(void)errlen;
	struct paneld *p = ud;
	json_decref(p->reboot_cmd);
	json_decref(p->reset_cmd);
	p->reboot_cmd = json_deep_copy(cfg_panel_reboot_command(cfg));
	p->reset_cmd = json_deep_copy(cfg_panel_reset_command(cfg));
	p->require_sync = cfg_network_require_ntp_sync(cfg);
	p->ntp_failed = !clock_wall_synchronised(p->require_sync);

	char key[sizeof p->leds_key];
	snprintf(key, sizeof key, "%s|%s|%s|%s", cfg_panel_leds_dir(cfg), cfg_panel_led_red(cfg),
		 cfg_panel_led_green(cfg), cfg_panel_led_blue(cfg));
	if (strcmp(key, p->leds_key)) {
		const char *names[3] = { cfg_panel_led_red(cfg), cfg_panel_led_green(cfg), cfg_panel_led_blue(cfg) };
		led_sysfs_open(&p->leds, cfg_panel_leds_dir(cfg), names);
		snprintf(p->leds_key, sizeof p->leds_key, "%s", key);
	}

	/* a source that cannot be opened is a fault, not a refused config:
	 * the LED still has its jobs */
	char why[1024] = "";
	bool had = p->gpio || p->file;
	if (s_open_button(p, cfg, why, sizeof why) < 0)
		p->button_key[0] = '\0';
	fault_set(&p->button_fault, p->daemon, "USER button", why);
	struct button_timing t = button_timing_scaled(cfg_panel_time_scale(cfg));
	if (!p->button_started && (p->gpio || p->file || !strcmp(cfg_panel_button(cfg), "none"))) {
		button_init(&p->button, &t, clock_mono_ms(), p->level);
		p->button_started = true;
		if (p->level)
			log_info("USER button held at start: the factory reset sequence runs (release before %lld ms "
				 "to cancel)", (long long)t.reset_ms);
	} else if (p->button_started) {
		p->button.t = t;
		if (!had && (p->gpio || p->file) && !p->level)
			button_init(&p->button, &t, clock_mono_ms(), false);
	}
	s_update(p);
	return 0;
}

static void s_answer(json_t *answer, const char *err, void *ud)
{
	struct paneld *p = ud;
	p->uploadd_call = 0;
	bool pending = false;
	char why[256] = "";
	json_t *targets = answer ? json_object_get(answer, "targets") : NULL;
	size_t i;
	json_t *t;
	json_array_foreach(targets, i, t) {
		json_t *b = json_object_get(t, "backlog");
		if (json_is_integer(b) && json_integer_value(b) > 0) {
			if (!pending)
				snprintf(why, sizeof why, "upload target %s: %lld records pending",
					 json_string_value(json_object_get(t, "name")), (long long)json_integer_value(b));
			pending = true;
		}
	}
	if (err)
		log_debug("uploadd: %s", err);
	p->upload_pending = pending;
	snprintf(p->upload_why, sizeof p->upload_why, "%s", why);
	s_update(p);
}

void paneld_ask_uploadd(struct daemon *d, void *ud)
{
	struct paneld *p = ud;
	if (!p->uploadd) {
		p->uploadd = ctl_client_new(d, paths_rundir(), "uploadd");
		if (!p->uploadd)
			return;
	}
	if (p->uploadd_call)
		return;
	json_t *req = json_pack("{s:s}", "cmd", "status");
	p->uploadd_call = ctl_client_call(p->uploadd, req, PANELD_UPLOADD_TIMEOUT_MS, s_answer, p);
	json_decref(req);
}

void paneld_poll(struct daemon *d, void *ud)
{
	(void)d;
	struct paneld *p = ud;
	p->ntp_failed = !clock_wall_synchronised(p->require_sync);
	if (p->file && source_file_fd(p->file) < 0)
		s_read_file(p);
	int status;
	if (p->child > 0 && waitpid(p->child, &status, WNOHANG) == p->child) {
		if (WIFEXITED(status))
			snprintf(p->last_action, sizeof p->last_action, "%s: exited with status %d", p->child_what,
				 WEXITSTATUS(status));
		else
			snprintf(p->last_action, sizeof p->last_action, "%s: killed by signal %d", p->child_what,
				 WTERMSIG(status));
		log_info("%s", p->last_action);
		p->child = 0;
		daemon_publish_status(p->daemon);
	}
	s_update(p);
}

void paneld_wake(struct daemon *d, void *ud)
{
	(void)d;
	struct paneld *p = ud;
	if (p->button_started)
		s_act(p, button_tick(&p->button, clock_mono_ms()));
	s_update(p);
}

static void s_status(struct daemon *d, json_t *st, void *ud)
{
	(void)d;
	struct paneld *p = ud;
	json_object_set_new(st, "led", json_pack("{s:s,s:s,s:i,s:i}", "pattern", led_pattern_name(p->pattern), "reason",
						  p->reason, "leds_missing", (int)p->leds.missing, "writes",
						  (int)p->leds.writes));
	json_object_set_new(st, "button",
			    json_pack("{s:s,s:b,s:s}", "state",
				      p->button_started ? button_state_name(p->button.state) : "not read", "pressed",
				      p->level, "last_action", p->last_action));
	json_object_set_new(st, "command_running", p->child > 0 ? json_string(p->child_what) : json_null());
	json_object_set_new(st, "upload_pending", json_boolean(p->upload_pending));
	json_object_set_new(st, "ntp_synchronised", json_boolean(!p->ntp_failed));
	const struct fault *f = fault_active(&p->command_fault) ? &p->command_fault : &p->button_fault;
	if (fault_active(f))
		json_object_set_new(st, "fault", json_string(f->why));
}

/* The admin's Reboot and Reset Hub (docs/PANEL.md, docs/API.md): the
 * CGIs run as the web's user and may not reboot or erase, so they ask
 * paneld, which runs them as the button does, one command at a time.
 *   {"cmd":"reboot"}                   panel.reboot_command
 *   {"cmd":"reset","kind":"data|all"}  eniscopectl reset KIND (the one reset path)
 * Answers {"started":what,"pid":N} once the command runs; its end shows in
 * the status's button.last_action. */
static json_t *s_command(struct daemon *d, const char *cmd, json_t *req, void *ud, char *err, size_t errlen)
{
	struct paneld *p = ud;
	bool reboot = !strcmp(cmd, "reboot");
	if (!reboot && strcmp(cmd, "reset")) {
		snprintf(err, errlen, "unknown command \"%s\" (paneld takes status, reload, reboot, reset)", cmd);
		return NULL;
	}
	const char *kind = json_string_value(json_object_get(req, "kind"));
	if (!reboot && (!kind || (strcmp(kind, "data") && strcmp(kind, "all")))) {
		snprintf(err, errlen, "kind: must be \"data\" or \"all\"");
		return NULL;
	}
	if (p->child > 0) {
		snprintf(err, errlen, "busy: %s is running (pid %d)", p->child_what, (int)p->child);
		return NULL;
	}
	char what[32];
	snprintf(what, sizeof what, reboot ? "reboot" : "reset %s", kind);
	json_t *argv = reboot ? json_incref(p->reboot_cmd) : json_pack("[s,s,s]", "eniscopectl", "reset", kind);
	log_info("%s asked on the control socket", what);
	int rc = s_run(p, what, argv);
	json_decref(argv);
	daemon_publish_status(d);
	if (rc < 0) {
		snprintf(err, errlen, "%s", p->last_action);
		return NULL;
	}
	return json_pack("{s:s,s:i}", "started", what, "pid", (int)p->child);
}

const struct daemon_ops paneld_ops = {
	.apply = s_apply,
	.status = s_status,
	.command = s_command,
};

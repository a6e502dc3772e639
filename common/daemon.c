/* daemon: see daemon.h.  One thread, one zmq_poll: the signalfd, the
 * inotify descriptor, the control socket and whatever the daemon watches;
 * the poll timeout is the time to the next due timer. */
#include "daemon.h"

#include "clock.h"
#include "config_watch.h"
#include "ctl.h"
#include "log.h"
#include "paths.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <zmq.h>

#define MAX_WATCHES 32
#define MAX_TIMERS 32

struct watch {
	void *sock;
	int fd;
	daemon_cb cb;
	void *ud;
};

struct daemon_timer {
	bool used;
	int64_t due_ms, period_ms;
	daemon_cb cb;
	void *ud;
};

struct daemon {
	const char *name;
	char *conf_path;
	const struct daemon_ops *ops;
	void *ud;
	void *zctx;
	int sigfd;
	struct bus_pub *pub;
	struct ctl_server *ctl;
	struct config_watch *watch;
	struct config *cfg;
	json_t *config_errors; /* why the last load failed; NULL when it did not */
	struct watch watches[MAX_WATCHES];
	size_t nwatches;
	struct daemon_timer timers[MAX_TIMERS];
	struct daemon_timer *status_timer;
	int64_t started_ms;
	uint64_t reloads;
	bool running;
};

static void s_set_config_errors(struct daemon *d, json_t *errors)
{
	json_decref(d->config_errors);
	d->config_errors = errors;
}

/* Loads the file and applies it; on any failure the running config stays.
 * Returns 0 or -1; the reasons are kept for status. */
static int s_reload(struct daemon *d)
{
	json_t *errors = NULL;
	struct config *cfg = config_reload(d->conf_path, d->cfg, &errors);
	if (!cfg) {
		config_errors_print(errors, log_prog(), stderr);
		log_error("%s: not applied; %s", d->conf_path,
			  d->cfg ? "keeping the running configuration" : "waiting for a valid configuration");
		s_set_config_errors(d, errors);
		return -1;
	}
	if (d->cfg && json_equal(cfg->root, d->cfg->root)) {
		config_destroy(&cfg); /* the same settings: nothing to apply */
		s_set_config_errors(d, NULL);
		return 0;
	}
	char why[512] = "";
	if (d->ops->apply && d->ops->apply(d, cfg, d->ud, why, sizeof why) < 0) {
		log_error("%s: cannot apply: %s; %s", d->conf_path, why[0] ? why : "unknown reason",
			  d->cfg ? "keeping the running configuration" : "waiting for a valid configuration");
		s_set_config_errors(d, json_pack("[{s:s,s:s}]", "field", "", "error", why));
		config_destroy(&cfg);
		return -1;
	}
	if (d->cfg)
		log_info("configuration reloaded from %s", d->conf_path);
	config_destroy(&d->cfg);
	d->cfg = cfg;
	d->reloads++;
	s_set_config_errors(d, NULL);
	return 0;
}

static json_t *s_status(struct daemon *d)
{
	json_t *st = json_pack("{s:s,s:i,s:s,s:I,s:s}", "daemon", d->name, "pid", (int)getpid(), "version", HUB_VERSION,
			       "uptime_s", (json_int_t)((clock_mono_ms() - d->started_ms) / 1000), "config",
			       d->config_errors ? "error" : "ok");
	json_object_set_new(st, "state", json_string(d->cfg ? "running" : "waiting-for-config"));
	if (d->config_errors)
		json_object_set(st, "config_errors", d->config_errors);
	if (d->cfg && d->ops->status)
		d->ops->status(d, st, d->ud);
	return st;
}

void daemon_publish_status(struct daemon *d)
{
	json_t *st = s_status(d);
	char topic[64];
	snprintf(topic, sizeof topic, "status/%s", d->name);
	bus_pub_send(d->pub, topic, st);
	json_decref(st);
}

static void s_status_tick(struct daemon *d, void *ud)
{
	(void)ud;
	daemon_publish_status(d);
}

static json_t *s_command(const char *cmd, json_t *req, void *ud, char *err, size_t errlen)
{
	struct daemon *d = ud;
	if (!strcmp(cmd, "status"))
		return s_status(d);
	if (!strcmp(cmd, "reload")) {
		if (s_reload(d) < 0) {
			json_t *resp = ctl_error("configuration not applied");
			json_object_set(resp, "errors", d->config_errors);
			return resp;
		}
		daemon_publish_status(d);
		return json_object();
	}
	if (d->ops->command) {
		if (!d->cfg) {
			snprintf(err, errlen, "waiting for a valid configuration");
			return NULL;
		}
		return d->ops->command(d, cmd, req, d->ud, err, errlen);
	}
	snprintf(err, errlen, "unknown command \"%s\"", cmd);
	return NULL;
}

struct daemon *daemon_new(const char *name, const char *conf_path, const struct daemon_ops *ops, void *ud)
{
	log_init(name);
	struct daemon *d = calloc(1, sizeof *d);
	if (!d)
		log_fatal(EXIT_TEMPORARY, "out of memory");
	d->name = name;
	d->ops = ops;
	d->ud = ud;
	d->started_ms = clock_mono_ms();
	d->conf_path = strdup(conf_path ? conf_path : paths_config());

	/* before zmq_ctx_new, so ZeroMQ's I/O threads never take them */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		log_fatal(EXIT_TEMPORARY, "signalfd: %s", strerror(errno));

	d->zctx = zmq_ctx_new();
	if (!d->zctx)
		log_fatal(EXIT_TEMPORARY, "zmq_ctx_new: %s", zmq_strerror(zmq_errno()));
	const char *rundir = paths_rundir();
	d->pub = bus_pub_new(d->zctx, rundir, name);
	d->ctl = ctl_server_new(d->zctx, rundir, name, s_command, d);
	if (!d->pub || !d->ctl)
		log_fatal(EXIT_TEMPORARY, "cannot open the bus in %s", rundir);
	d->watch = config_watch_new(d->conf_path);
	if (!d->watch)
		log_warn("cannot watch %s for changes (%s); reload with SIGHUP or eniscopectl", d->conf_path,
			 strerror(errno));
	s_reload(d);
	d->status_timer = daemon_timer_new(d, DAEMON_STATUS_PERIOD_MS, s_status_tick, NULL);
	return d;
}

void daemon_destroy(struct daemon **dp)
{
	struct daemon *d = *dp;
	if (!d)
		return;
	config_watch_destroy(&d->watch);
	ctl_server_destroy(&d->ctl);
	bus_pub_destroy(&d->pub);
	zmq_ctx_term(d->zctx);
	close(d->sigfd);
	config_destroy(&d->cfg);
	json_decref(d->config_errors);
	free(d->conf_path);
	free(d);
	*dp = NULL;
}

const char *daemon_name(const struct daemon *d)
{
	return d->name;
}

void *daemon_zctx(struct daemon *d)
{
	return d->zctx;
}

struct bus_pub *daemon_pub(struct daemon *d)
{
	return d->pub;
}

const struct config *daemon_config(const struct daemon *d)
{
	return d->cfg;
}

static int s_add_watch(struct daemon *d, void *sock, int fd, daemon_cb cb, void *ud)
{
	if (d->nwatches == MAX_WATCHES) {
		errno = ENOSPC;
		return -1;
	}
	d->watches[d->nwatches++] = (struct watch){ .sock = sock, .fd = fd, .cb = cb, .ud = ud };
	return 0;
}

int daemon_watch_socket(struct daemon *d, void *zsock, daemon_cb cb, void *ud)
{
	return s_add_watch(d, zsock, -1, cb, ud);
}

int daemon_watch_fd(struct daemon *d, int fd, daemon_cb cb, void *ud)
{
	return s_add_watch(d, NULL, fd, cb, ud);
}

void daemon_unwatch(struct daemon *d, void *zsock, int fd)
{
	for (size_t i = 0; i < d->nwatches; i++) {
		if ((zsock && d->watches[i].sock == zsock) || (!zsock && d->watches[i].fd == fd)) {
			d->watches[i] = d->watches[--d->nwatches];
			return;
		}
	}
}

struct daemon_timer *daemon_timer_new(struct daemon *d, int64_t period_ms, daemon_cb cb, void *ud)
{
	for (size_t i = 0; i < MAX_TIMERS; i++) {
		struct daemon_timer *t = &d->timers[i];
		if (!t->used) {
			*t = (struct daemon_timer){ .used = true, .cb = cb, .ud = ud };
			daemon_timer_reset(t, period_ms, period_ms);
			return t;
		}
	}
	log_fatal(EXIT_TEMPORARY, "more than %d timers", MAX_TIMERS);
}

void daemon_timer_reset(struct daemon_timer *t, int64_t delay_ms, int64_t period_ms)
{
	t->due_ms = clock_mono_ms() + delay_ms;
	t->period_ms = period_ms > 0 ? period_ms : 1;
}

void daemon_timer_destroy(struct daemon *d, struct daemon_timer **tp)
{
	(void)d;
	if (*tp)
		(*tp)->used = false;
	*tp = NULL;
}

void daemon_stop(struct daemon *d)
{
	d->running = false;
}

static void s_on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;
	while (read(d->sigfd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo == SIGHUP) {
			log_info("SIGHUP: reloading %s", d->conf_path);
			s_reload(d);
			daemon_publish_status(d);
		} else {
			log_info("signal %u: stopping", si.ssi_signo);
			d->running = false;
		}
	}
}

/* Fires due timers; returns ms until the next one. */
static long s_run_timers(struct daemon *d)
{
	int64_t now = clock_mono_ms();
	for (size_t i = 0; i < MAX_TIMERS; i++) {
		struct daemon_timer *t = &d->timers[i];
		if (t->used && t->due_ms <= now) {
			t->due_ms += t->period_ms;
			if (t->due_ms <= now) /* fell behind: skip, never burst */
				t->due_ms = now + t->period_ms - (now - t->due_ms) % t->period_ms;
			t->cb(d, t->ud);
			now = clock_mono_ms();
		}
	}
	/* after all callbacks: one may have reset a timer already passed over */
	int64_t next = now + 60000;
	for (size_t i = 0; i < MAX_TIMERS; i++)
		if (d->timers[i].used && d->timers[i].due_ms < next)
			next = d->timers[i].due_ms;
	return next > now ? (long)(next - now) : 0;
}

int daemon_run(struct daemon *d)
{
	d->running = true;
	daemon_publish_status(d);
	log_info("running (config %s, bus %s)", d->conf_path, paths_rundir());
	while (d->running) {
		long timeout = s_run_timers(d);
		zmq_pollitem_t items[MAX_WATCHES + 3];
		size_t n = 0;
		items[n++] = (zmq_pollitem_t){ .fd = d->sigfd, .events = ZMQ_POLLIN };
		items[n++] = (zmq_pollitem_t){ .socket = ctl_server_socket(d->ctl), .events = ZMQ_POLLIN };
		items[n++] = (zmq_pollitem_t){ .fd = d->watch ? config_watch_fd(d->watch) : -1, .events = ZMQ_POLLIN };
		size_t nw = d->nwatches;
		struct watch snapshot[MAX_WATCHES];
		memcpy(snapshot, d->watches, nw * sizeof *snapshot);
		for (size_t i = 0; i < nw; i++)
			items[n++] = (zmq_pollitem_t){ .socket = snapshot[i].sock, .fd = snapshot[i].fd, .events = ZMQ_POLLIN };
		int rc = zmq_poll(items, (int)n, timeout);
		if (rc < 0) {
			if (zmq_errno() == EINTR)
				continue;
			log_error("zmq_poll: %s", zmq_strerror(zmq_errno()));
			return EXIT_TEMPORARY;
		}
		if (items[0].revents & ZMQ_POLLIN)
			s_on_signal(d);
		if (items[1].revents & ZMQ_POLLIN)
			ctl_server_serve(d->ctl);
		if ((items[2].revents & ZMQ_POLLIN) && config_watch_changed(d->watch)) {
			s_reload(d);
			daemon_publish_status(d);
		}
		for (size_t i = 0; i < nw; i++)
			if (items[3 + i].revents & ZMQ_POLLIN)
				snapshot[i].cb(d, snapshot[i].ud);
	}
	log_info("stopped");
	return 0;
}

/* daemon: see daemon.h.  One thread, one zmq_poll: the signalfd, the
 * inotify descriptor, the control socket and whatever the daemon watches;
 * the poll timeout is the time to the next due timer. */
#include "daemon.h"

#include "clock.h"
#include "config_keys.h"
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

struct watch {
	void *sock;
	int fd;
	short events; /* ZMQ_POLLIN or ZMQ_POLLOUT */
	bool removed; /* never called again; freed between rounds */
	daemon_cb cb;
	void *ud;
};

struct daemon_timer {
	int64_t due_ms, period_ms; /* period 0: once */
	bool armed, removed;
	daemon_cb cb;
	void *ud;
};

/* A growing array of pointers (watches, timers). */
struct ptrs {
	void **p;
	size_t n, cap;
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
	struct ptrs watches, timers;
	bool garbage;             /* something removed, to free between rounds */
	zmq_pollitem_t *items;    /* one round's poll set ... */
	struct watch **polled;    /* ... and the watches behind its items */
	size_t items_cap;
	struct daemon_timer *status_timer;
	int64_t started_ms;
	uint64_t reloads;
	bool running;
	bool started; /* the first config was loaded (by the first daemon_run) */
};

static int s_ptrs_add(struct ptrs *v, void *x)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void **p = realloc(v->p, cap * sizeof *p);
		if (!p) {
			errno = ENOMEM;
			return -1;
		}
		v->p = p;
		v->cap = cap;
	}
	v->p[v->n++] = x;
	return 0;
}

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
	/* the one rule of "time known", in every daemon's status */
	struct clock_sync cs;
	clock_sync_read(&cs, d->cfg && cfg_network_require_ntp_sync(d->cfg));
	json_object_set_new(st, "clock", clock_sync_json(&cs));
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
	d->status_timer = daemon_timer_new(d, DAEMON_STATUS_PERIOD_MS, s_status_tick, NULL);
	if (!d->status_timer)
		log_fatal(EXIT_TEMPORARY, "out of memory");
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
	for (size_t i = 0; i < d->watches.n; i++)
		free(d->watches.p[i]);
	for (size_t i = 0; i < d->timers.n; i++)
		free(d->timers.p[i]);
	free(d->watches.p);
	free(d->timers.p);
	free(d->items);
	free(d->polled);
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

static short s_events(enum daemon_io io)
{
	return io == DAEMON_WRITABLE ? ZMQ_POLLOUT : ZMQ_POLLIN;
}

static struct watch *s_find_watch(struct daemon *d, void *zsock, int fd, short events)
{
	for (size_t i = 0; i < d->watches.n; i++) {
		struct watch *w = d->watches.p[i];
		if (!w->removed && w->events == events && (zsock ? w->sock == zsock : !w->sock && w->fd == fd))
			return w;
	}
	return NULL;
}

int daemon_watch(struct daemon *d, void *zsock, int fd, enum daemon_io io, daemon_cb cb, void *ud)
{
	if (s_find_watch(d, zsock, fd, s_events(io))) {
		errno = EEXIST;
		return -1;
	}
	struct watch *w = malloc(sizeof *w);
	if (!w || s_ptrs_add(&d->watches, w) < 0) {
		free(w);
		errno = ENOMEM;
		return -1;
	}
	*w = (struct watch){ .sock = zsock, .fd = zsock ? -1 : fd, .events = s_events(io), .cb = cb, .ud = ud };
	return 0;
}

int daemon_watch_socket(struct daemon *d, void *zsock, daemon_cb cb, void *ud)
{
	return daemon_watch(d, zsock, -1, DAEMON_READABLE, cb, ud);
}

int daemon_watch_fd(struct daemon *d, int fd, daemon_cb cb, void *ud)
{
	return daemon_watch(d, NULL, fd, DAEMON_READABLE, cb, ud);
}

void daemon_unwatch_io(struct daemon *d, void *zsock, int fd, enum daemon_io io)
{
	struct watch *w = s_find_watch(d, zsock, fd, s_events(io));
	if (w) {
		w->removed = true;
		d->garbage = true;
	}
}

void daemon_unwatch(struct daemon *d, void *zsock, int fd)
{
	daemon_unwatch_io(d, zsock, fd, DAEMON_READABLE);
	daemon_unwatch_io(d, zsock, fd, DAEMON_WRITABLE);
}

static struct daemon_timer *s_timer_add(struct daemon *d, daemon_cb cb, void *ud)
{
	struct daemon_timer *t = malloc(sizeof *t);
	if (!t || s_ptrs_add(&d->timers, t) < 0) {
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	*t = (struct daemon_timer){ .cb = cb, .ud = ud };
	return t;
}

struct daemon_timer *daemon_timer_new(struct daemon *d, int64_t period_ms, daemon_cb cb, void *ud)
{
	struct daemon_timer *t = s_timer_add(d, cb, ud);
	if (t)
		daemon_timer_reset(t, period_ms, period_ms > 0 ? period_ms : 1);
	return t;
}

struct daemon_timer *daemon_timer_once(struct daemon *d, daemon_cb cb, void *ud)
{
	return s_timer_add(d, cb, ud);
}

void daemon_timer_reset(struct daemon_timer *t, int64_t delay_ms, int64_t period_ms)
{
	t->due_ms = clock_mono_ms() + (delay_ms > 0 ? delay_ms : 0);
	t->period_ms = period_ms > 0 ? period_ms : 0;
	t->armed = true;
}

void daemon_timer_cancel(struct daemon_timer *t)
{
	t->armed = false;
}

bool daemon_timer_armed(const struct daemon_timer *t)
{
	return t->armed && !t->removed;
}

void daemon_timer_destroy(struct daemon *d, struct daemon_timer **tp)
{
	if (*tp) {
		(*tp)->removed = true;
		(*tp)->armed = false;
		d->garbage = true;
	}
	*tp = NULL;
}

/* Frees what was removed; only between rounds, when no callback runs
 * and no poll set points at it. */
static void s_collect(struct daemon *d)
{
	if (!d->garbage)
		return;
	size_t k = 0;
	for (size_t i = 0; i < d->watches.n; i++) {
		struct watch *w = d->watches.p[i];
		if (w->removed)
			free(w);
		else
			d->watches.p[k++] = w;
	}
	d->watches.n = k;
	k = 0;
	for (size_t i = 0; i < d->timers.n; i++) {
		struct daemon_timer *t = d->timers.p[i];
		if (t->removed)
			free(t);
		else
			d->timers.p[k++] = t;
	}
	d->timers.n = k;
	d->garbage = false;
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
	/* by index: a callback may add timers (the array may move) */
	for (size_t i = 0; i < d->timers.n; i++) {
		struct daemon_timer *t = d->timers.p[i];
		if (!t->armed || t->removed || t->due_ms > now)
			continue;
		if (!t->period_ms) {
			t->armed = false; /* before the call, which may re-arm it */
		} else {
			t->due_ms += t->period_ms;
			if (t->due_ms <= now) /* fell behind: skip, never burst */
				t->due_ms = now + t->period_ms - (now - t->due_ms) % t->period_ms;
		}
		t->cb(d, t->ud);
		now = clock_mono_ms();
	}
	/* after all callbacks: one may have reset a timer already passed over */
	int64_t next = now + 60000;
	for (size_t i = 0; i < d->timers.n; i++) {
		struct daemon_timer *t = d->timers.p[i];
		if (t->armed && !t->removed && t->due_ms < next)
			next = t->due_ms;
	}
	return next > now ? (long)(next - now) : 0;
}

/* The round's poll set: the skeleton's three items, then every watch. */
static int s_poll_set(struct daemon *d, size_t *n)
{
	size_t want = 3 + d->watches.n;
	if (want > d->items_cap) {
		zmq_pollitem_t *items = realloc(d->items, want * sizeof *items);
		if (items)
			d->items = items;
		struct watch **polled = items ? realloc(d->polled, want * sizeof *polled) : NULL;
		if (polled)
			d->polled = polled;
		if (!items || !polled)
			return -1;
		d->items_cap = want;
	}
	zmq_pollitem_t *items = d->items;
	size_t k = 0;
	items[k++] = (zmq_pollitem_t){ .fd = d->sigfd, .events = ZMQ_POLLIN };
	items[k++] = (zmq_pollitem_t){ .socket = ctl_server_socket(d->ctl), .events = ZMQ_POLLIN };
	items[k++] = (zmq_pollitem_t){ .fd = d->watch ? config_watch_fd(d->watch) : -1, .events = ZMQ_POLLIN };
	for (size_t i = 0; i < d->watches.n; i++) {
		struct watch *w = d->watches.p[i];
		d->polled[k] = w;
		items[k++] = (zmq_pollitem_t){ .socket = w->sock, .fd = w->fd, .events = w->events };
	}
	*n = k;
	return 0;
}

int daemon_run(struct daemon *d)
{
	d->running = true;
	if (!d->started) { /* the first config; later ones come by reload */
		d->started = true;
		s_reload(d);
	}
	daemon_publish_status(d);
	log_info("running (config %s, bus %s)", d->conf_path, paths_rundir());
	while (d->running) {
		s_collect(d);
		long timeout = s_run_timers(d);
		size_t n;
		if (!d->running)
			break;
		if (s_poll_set(d, &n) < 0) {
			log_error("out of memory for the poll set");
			return EXIT_TEMPORARY;
		}
		int rc = zmq_poll(d->items, (int)n, timeout);
		if (rc < 0) {
			if (zmq_errno() == EINTR)
				continue;
			log_error("zmq_poll: %s", zmq_strerror(zmq_errno()));
			return EXIT_TEMPORARY;
		}
		if (d->items[0].revents & ZMQ_POLLIN)
			s_on_signal(d);
		if (d->items[1].revents & ZMQ_POLLIN)
			ctl_server_serve(d->ctl);
		if ((d->items[2].revents & ZMQ_POLLIN) && config_watch_changed(d->watch)) {
			s_reload(d);
			daemon_publish_status(d);
		}
		/* a watch removed by an earlier callback of this round is skipped */
		for (size_t i = 3; i < n; i++)
			if ((d->items[i].revents & d->polled[i]->events) && !d->polled[i]->removed)
				d->polled[i]->cb(d, d->polled[i]->ud);
	}
	log_info("stopped");
	return 0;
}

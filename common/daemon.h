/* daemon: the skeleton every hub daemon runs on, so each main.c stays a
 * table of contents.  It owns:
 *  - signals: TERM and INT stop the loop cleanly, HUP reloads the config.
 *    They are blocked before the ZeroMQ context exists (so its threads
 *    inherit the mask) and read from a signalfd inside the one zmq_poll;
 *  - the ZeroMQ context, the daemon's PUB socket (<name>.pub) and its
 *    control socket (<name>.ctl) with the built-in commands "status" and
 *    "reload" and the daemon's own;
 *  - the configuration: loaded by daemon_run, once the daemon has set up
 *    its own state on the skeleton (watches, timers), and again whenever
 *    the file is replaced (inotify), on HUP or on "reload".  So the first
 *    apply finds everything it configures already there, like every
 *    later one.  A new config is validated
 *    whole and handed to ops->apply; if either fails the running config
 *    stays and the reason is logged and shown in the status.  A daemon
 *    whose config is bad at start waits, answering "status", until a good
 *    one is saved: a typo never becomes a restart loop.  A file deleted
 *    while running is such a failure too (config_reload), not a switch to
 *    the defaults;
 *  - watches of sockets and descriptors (readable or writable) and timers
 *    on CLOCK_MONOTONIC (periodic, never bursting after a stall, or
 *    one-shot), as many as the daemon needs;
 *  - "status/<name>" on the bus every DAEMON_STATUS_PERIOD_MS and whenever
 *    the config state changes. */
#ifndef HUB_DAEMON_H
#define HUB_DAEMON_H

#include "bus.h"
#include "config.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DAEMON_STATUS_PERIOD_MS 10000

struct daemon;

struct daemon_ops {
	/* Takes a new, valid config.  The daemon either switches to it
	 * completely or returns -1 with a reason and keeps the old one.  The
	 * config lives until the next successful apply. */
	int (*apply)(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen);
	/* Adds the daemon's own fields to its status object (may be NULL). */
	void (*status)(struct daemon *d, json_t *status, void *ud);
	/* Answers a command other than status/reload; NULL with err set when
	 * unknown or failed (may be NULL: then every other command is unknown). */
	json_t *(*command)(struct daemon *d, const char *cmd, json_t *request, void *ud, char *err, size_t errlen);
};

/* Sets up the process (signals, log) and the bus, without loading the
 * configuration: the daemon then makes its own state with d (watches,
 * timers, subscriptions), and daemon_run applies the first config to it.
 * Exits with 111 (temporary failure) when the bus sockets cannot be bound.
 * conf_path NULL means paths_config(). */
struct daemon *daemon_new(const char *name, const char *conf_path, const struct daemon_ops *ops, void *ud);
void daemon_destroy(struct daemon **d);
/* The first time: loads and applies the configuration (or, when it is
 * bad, waits for a good one).  Then publishes the status and runs the loop
 * until TERM or INT (or daemon_stop); returns the exit code.  A test may
 * run the loop again: the config is not loaded twice. */
int daemon_run(struct daemon *d);
void daemon_stop(struct daemon *d);

const char *daemon_name(const struct daemon *d);
void *daemon_zctx(struct daemon *d);
struct bus_pub *daemon_pub(struct daemon *d);
/* The config in force; NULL while waiting for a valid one. */
const struct config *daemon_config(const struct daemon *d);

typedef void (*daemon_cb)(struct daemon *d, void *ud);

/* Watches and timers: there is no fixed number of them; registering one
 * fails only when out of memory, and says so (the result must be checked).
 * One removed (unwatched, destroyed, cancelled) inside a callback is never
 * called again, also not later in the same poll round; one added inside a
 * callback takes part from the next round. */

/* What a watch waits for. */
enum daemon_io { DAEMON_READABLE, DAEMON_WRITABLE };

/* Calls cb while the ZeroMQ socket (zsock not NULL) or the descriptor fd
 * is readable or writable; one watch per socket or descriptor and
 * direction.  0, or -1 with errno ENOMEM, or EEXIST for a second watch of
 * the same thing. */
int daemon_watch(struct daemon *d, void *zsock, int fd, enum daemon_io io, daemon_cb cb, void *ud)
	__attribute__((warn_unused_result));
/* daemon_watch(..., DAEMON_READABLE, ...) of a socket or a descriptor. */
int daemon_watch_socket(struct daemon *d, void *zsock, daemon_cb cb, void *ud) __attribute__((warn_unused_result));
int daemon_watch_fd(struct daemon *d, int fd, daemon_cb cb, void *ud) __attribute__((warn_unused_result));
/* Ends the watch of the socket (zsock not NULL) or descriptor in that
 * direction; daemon_unwatch ends both.  Nothing when there is none. */
void daemon_unwatch_io(struct daemon *d, void *zsock_or_null, int fd, enum daemon_io io);
void daemon_unwatch(struct daemon *d, void *zsock_or_null, int fd);

struct daemon_timer;
/* A periodic timer, first due period_ms (> 0) from now.  When the loop
 * falls behind, missed periods are skipped, never fired in a burst.  NULL
 * with errno ENOMEM. */
struct daemon_timer *daemon_timer_new(struct daemon *d, int64_t period_ms, daemon_cb cb, void *ud)
	__attribute__((warn_unused_result));
/* A one-shot timer, created disarmed: it fires once per daemon_timer_reset
 * (period 0).  NULL with errno ENOMEM. */
struct daemon_timer *daemon_timer_once(struct daemon *d, daemon_cb cb, void *ud) __attribute__((warn_unused_result));
/* Next due delay_ms (>= 0) from now, then every period_ms, or, with
 * period_ms 0, only that once.  Callable from the timer's own callback. */
void daemon_timer_reset(struct daemon_timer *t, int64_t delay_ms, int64_t period_ms);
/* Disarms the timer until the next reset. */
void daemon_timer_cancel(struct daemon_timer *t);
/* Whether the timer will fire (armed and not destroyed). */
bool daemon_timer_armed(const struct daemon_timer *t);
/* Removes the timer and sets *t to NULL; NULL is allowed. */
void daemon_timer_destroy(struct daemon *d, struct daemon_timer **t);

/* Publishes the status object now (e.g. after a fault appears or clears). */
void daemon_publish_status(struct daemon *d);

#endif

/* readingsd: keeps the latest reading of every meter, pulse input and
 * probe from the bus and writes them each second as one JSON snapshot,
 * $ENISCOPE_RUNDIR/readings.json (tmpfs), which GET /api/readings sends
 * as it is (docs/API.md).  A CGI forked per request cannot subscribe to
 * the bus and wait for a second's readings; reading one small file is the
 * cheapest answer there is (see docs/ARCHITECTURE.md). */
#ifndef WEB_READINGSD_H
#define WEB_READINGSD_H

#include "config.h"
#include "daemon.h"
#include "reading_cache.h"

#include <jansson.h>
#include <limits.h>
#include <stdint.h>

#define READINGSD_PROBES 16

struct readingsd {
	struct daemon *daemon;
	struct bus_sub *sub;
	struct reading_cache *cache; /* the latest of each source; fresh: reading_cache.h */
	json_t *wiring;              /* meterd's status "wiring" list, or NULL */
	int64_t heard_ms[READING_KINDS]; /* last reading of each kind (meterd, pulsed, tempd); 0 never */
	int probe_interval_s;            /* tempd's temps.interval_s in force (set by the first apply) */
	char path[PATH_MAX];         /* the snapshot */
	uint64_t written;
	char last_error[256];
};

extern const struct daemon_ops readingsd_ops;

/* Makes the cache (readingsd_new_cache) and subscribes to the bus
 * (meter/, pulse/, temp/, status/meterd).  -1 when the sockets cannot be
 * made. */
int readingsd_open(struct readingsd *r, struct daemon *d);
/* The cache alone, for a test: 0, or -1 when out of memory. */
int readingsd_new_cache(struct readingsd *r);
/* Takes one bus message (topic, payload borrowed) heard at now_ms. */
void readingsd_take(struct readingsd *r, const char *topic, json_t *msg, int64_t now_ms);
/* The snapshot at now_ms (monotonic) and wall (Unix s): the fresh
 * readings as rtdata objects (rtdata.h; cfg's enabled meters, each with
 * its name and wiring verdicts), and per daemon why none are fresh;
 * rundir is where to look for the daemons' control sockets. */
json_t *readingsd_snapshot(const struct readingsd *r, const struct config *cfg, int64_t now_ms, double wall,
			   const char *rundir);
/* Writes rundir/display-access, which the display's CGIs read (web.h,
 * web_display_auth): "login" when security.display_login is set, else
 * "open" (at each config in force, so a change applies within a moment).
 * -1 with err when it cannot be written. */
int readingsd_write_access(const struct config *cfg, const char *rundir, char *err, size_t errlen);
/* Writes the snapshot now (the daemon's timer, every second). */
void readingsd_write(struct daemon *d, void *ud);
/* Frees what readingsd_open made (before daemon_destroy, which ends the bus
 * context its subscriber is on); r->daemon stays the caller's. */
void readingsd_close(struct readingsd *r);

#endif

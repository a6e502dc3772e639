/* checkin: the daily diagnostics document (the manual's "checkin"), POSTed
 * to <url>/checkin of each http-json target with checkin on:
 *
 *   {"format":"eniscope-checkin/1","hub":{...},"time":T,"version":"0.1.0",
 *    "uptime_s":<system>,"disk":{"path","total_bytes","free_bytes"},
 *    "backlog":{"<target>":N,...},"store":{storaged's stats},
 *    "daemons":{"meterd":{its status},"pulsed":{"state":"not running"},...}}
 *
 * Each daemon's status is asked over its control socket with a short
 * timeout; one that is down costs nothing (its socket file is gone). */
#ifndef UPLOADD_CHECKIN_H
#define UPLOADD_CHECKIN_H

#include "hubinfo.h"

#include <jansson.h>

#define CHECKIN_FORMAT "eniscope-checkin/1"
#define CHECKIN_STATUS_TIMEOUT_MS 500

/* backlog and store are borrowed (may be NULL); the daemon named self is
 * the caller, whose status (borrowed) is given rather than asked for. */
json_t *checkin_document(void *zctx, const char *rundir, const char *datadir, const struct hubinfo *hub,
			 const json_t *backlog, const json_t *store, const char *self, const json_t *self_status);

#endif

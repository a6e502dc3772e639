/* uploadd: the application state main.c wires into the daemon skeleton:
 * the targets (target.h), the HTTP engine they share (http.h), storaged's
 * client, and the daily check-in (checkin.h). */
#ifndef UPLOADD_UPLOADD_H
#define UPLOADD_UPLOADD_H

#include "daemon.h"
#include "curl_loop.h"
#include "hubinfo.h"
#include "storecli.h"
#include "target.h"

#define UPLOADD_TARGETS_MAX 8
#define UPLOADD_STATS_PERIOD_MS 10000
#define UPLOADD_CHECKIN_PERIOD_MS (3600 * 1000) /* looks each hour; sends daily */

struct uploadd {
	struct daemon *daemon;
	struct curl_loop *http;
	struct storecli store;
	struct hubinfo hub;
	struct target *targets[UPLOADD_TARGETS_MAX];
	size_t ntargets;
	char store_error[512]; /* why the last stats request failed; "" when it worked */
	json_t *stats;         /* storaged's last stats, NULL before the first */
	uint64_t stats_call;   /* the stats request in flight; 0: none */
};

extern const struct daemon_ops uploadd_ops;

/* Makes what uploadd needs beyond the skeleton (the HTTP engine, the
 * control client to storaged) on d, before the first config is applied;
 * -1 with the reason in err when either cannot be set up. */
int uploadd_init(struct uploadd *u, struct daemon *d, char *err, size_t errlen);
/* Asks storaged for every target's backlog (the answer comes later). */
void uploadd_refresh_stats(struct daemon *d, void *ud);
/* Sends a check-in to every target that is due one. */
void uploadd_checkin(struct daemon *d, void *ud);
void uploadd_cleanup(struct uploadd *u);

#endif

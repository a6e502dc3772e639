/* tempd: the application state main.c wires into the daemon skeleton. */
#ifndef TEMPD_TEMPD_H
#define TEMPD_TEMPD_H

#include "daemon.h"
#include "probes.h"

#include <stdbool.h>
#include <stdint.h>

/* Pause between two probe reads: the loop serves its sockets in between. */
#define TEMPD_READ_GAP_MS 50

struct tempd {
	struct daemon *daemon; /* NULL in --once */
	struct probes probes;
	struct daemon_timer *round; /* every temps.interval_s */
	int64_t interval_ms;
	bool pending[PROBES_MAX];   /* still to read in this round */
	uint64_t published;
	FILE *once_out; /* --once: where the objects go instead of the bus */
};

extern const struct daemon_ops tempd_ops;

int tempd_apply(struct tempd *t, const struct config *cfg, char *err, size_t errlen);
/* Every interval: rescans the w1 root, announces new probes, and queues
 * every present probe for reading. */
void tempd_round(struct daemon *d, void *ud);
/* Every TEMPD_READ_GAP_MS: reads the next queued probe, if any. */
void tempd_read_next(struct daemon *d, void *ud);
/* --once: one round, every probe read, objects printed as JSON lines; 0,
 * or 1 when the root or any probe is at fault. */
int tempd_once(struct tempd *t, const struct config *cfg, FILE *out);

#endif

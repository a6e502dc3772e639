/* meterd: the application state main.c wires into the daemon skeleton. */
#ifndef METERD_METERD_H
#define METERD_METERD_H

#include "backoff.h"
#include "ctcheck.h"
#include "daemon.h"
#include "engine.h"
#include "fault.h"
#include "identity.h"
#include "links.h"
#include "registers.h"
#include "source.h"

#include <stdbool.h>
#include <stdint.h>

#define METERD_FRAMES 8192        /* frames read from a source at a time */
#define METERD_PACE_MS 100        /* how often a paced source (sim, replay) is read */
#define METERD_RETRY_MIN_MS 1000  /* first retry of a failed source, doubling ... */
#define METERD_RETRY_MAX_MS 30000 /* ... up to this */
#define METERD_SILENT_MS 2000     /* a source with a descriptor and no samples this long has failed */

struct meterd {
	struct daemon *daemon;
	struct registers *regs;
	struct engine *engine;
	struct links *links;
	struct source *source;        /* NULL while it cannot be opened */
	const char *source_override;  /* --source, or NULL for adc.source */
	json_t *source_key;           /* what the open source was made from */
	int source_fd;                /* watched, or -1 */
	struct daemon_timer *retry;
	struct backoff retry_backoff; /* of the source */
	int64_t last_samples_ms;      /* when the source last delivered, or was opened */
	float *frames;
	char mac[IDENTITY_MAC_LEN];
	struct engine_cfg ecfg;
	bool consumable[ENGINE_METERS];
	char temp_sensor[ENGINE_METERS][32];
	struct ctcheck ctcheck[ENGINE_METERS];
	uint64_t readings_published;
	struct fault source_fault;    /* why the source is not delivering */
	struct fault fault;           /* the registers' fault */
	bool volatile_save_failed;
};

extern const struct daemon_ops meterd_ops;

/* Makes what meterd needs beyond the skeleton (engine, links, timers) on
 * d, before the first config is applied; -1 when out of memory. */
int meterd_init(struct meterd *m, struct daemon *d);
/* Closes the source and the links. */
void meterd_stop(struct meterd *m);
/* Saves the energy registers to the SD card (every REGISTERS_SAVE_PERIOD_MS
 * and at exit); the readings then carry what it saved. */
void meterd_save(struct daemon *d, void *ud);

#endif

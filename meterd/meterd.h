/* meterd: the application state main.c wires into the daemon skeleton. */
#ifndef METERD_METERD_H
#define METERD_METERD_H

#include "daemon.h"
#include "identity.h"
#include "registers.h"
#include "sim.h"

#include <stdbool.h>
#include <stdint.h>

struct meterd {
	struct daemon *daemon;
	struct registers *regs;
	char mac[IDENTITY_MAC_LEN];
	struct sim_meter meters[REGISTERS_METERS];
	bool enabled[REGISTERS_METERS];
	char phase_type[REGISTERS_METERS][4];
	char purpose[REGISTERS_METERS][12];
	int64_t last_tick_ns;
	uint64_t readings_published;
	char fault[512]; /* the current fault, "" when none */
	bool volatile_save_failed;
};

extern const struct daemon_ops meterd_ops;

/* Publishes one second's readings for every enabled meter. */
void meterd_tick(struct daemon *d, void *ud);
/* Saves the energy registers to the SD card (every minute and at exit). */
void meterd_save(struct daemon *d, void *ud);

#endif

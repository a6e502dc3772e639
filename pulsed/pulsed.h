/* pulsed: the application state main.c wires into the daemon skeleton:
 * the eight inputs, the one source in use, the persisted counts. */
#ifndef PULSED_PULSED_H
#define PULSED_PULSED_H

#include "counter_store.h"
#include "daemon.h"
#include "fault.h"
#include "input.h"
#include "source_file.h"
#include "source_gpio.h"
#include "source_sim.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PULSED_SAVE_PERIOD_MS 10000 /* also how long a count may take to show */

enum pulsed_source { SOURCE_NONE, SOURCE_GPIO, SOURCE_SIM, SOURCE_FILE };

struct pulsed {
	struct daemon *daemon; /* NULL in --once */
	const struct gpio_ops *gpio_ops;
	struct counter_store *store;
	struct input in[EDGE_INPUTS];
	enum pulsed_source kind;
	char source[4200];  /* pulse_input.source as configured */
	struct pulsed_gpio_cfg {
		char chip[65];
		bool active_low;
		unsigned lines[EDGE_INPUTS];
		bool want[EDGE_INPUTS];
	} gpio_cfg; /* what the open gpio source was opened with */
	struct source_file *file;
	struct source_gpio *gpio;
	struct source_sim sim;
	struct pulsed_line { struct pulsed *p; int n; } gpio_ud[EDGE_INPUTS];
	struct fault source_fault; /* why the source is not delivering */
	struct fault save_fault;   /* why the counts cannot be saved */
	bool card_current;         /* the SD card copy has caught up with the tmpfs one at start */
	uint64_t edges, edges_ignored, edges_backwards, published;
};

extern const struct daemon_ops pulsed_ops;

/* Loads the persisted counts; NULL only when out of memory. */
int pulsed_init(struct pulsed *p, const struct gpio_ops *gpio_ops);
void pulsed_fini(struct pulsed *p);
/* Takes cfg's settings (the skeleton's apply, also used by --once). */
int pulsed_apply(struct pulsed *p, const struct config *cfg, char *err, size_t errlen);
/* Once a second: lets the source catch up, counts closures that reached
 * their minimum, publishes every enabled input (its count as the SD card
 * copy holds it: the first tick brings that copy up to the tmpfs one),
 * writes the tmpfs copy. */
void pulsed_tick(struct daemon *d, void *ud);
/* The SD card copy of the counts (every PULSED_SAVE_PERIOD_MS and at
 * exit); the counts shown move up to what it wrote. */
void pulsed_save(struct daemon *d, void *ud);
/* --once: reads what the source has now, prints each enabled input's
 * pulse/<n> object as a JSON line (with every pulse counted: it saves
 * nothing); 0, or 1 when anything is at fault. */
int pulsed_once(struct pulsed *p, const struct config *cfg, FILE *out);

#endif

/* registers: the energy registers of the eight metering points.  They only
 * ever grow, and what is published never goes backwards, power cuts
 * included (Home Assistant's total_increasing and every billing system
 * assume it).  They live in common/counter_store's two copies of
 * meterd-registers.json: the tmpfs one written every second, the SD card
 * one fsynced every REGISTERS_SAVE_PERIOD_MS; at start each register takes
 * the larger.  Readings carry the registers as the SD card copy holds them
 * (counter_store.h says why), so they lag what was measured by up to that
 * period.  The writes skip work when nothing changed. */
#ifndef METERD_REGISTERS_H
#define METERD_REGISTERS_H

#include "reading.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REGISTERS_METERS 8
#define REGISTERS_SAVE_PERIOD_MS 10000

struct registers;

/* Loads meterd-registers.json from datadir and rundir, or starts at zero
 * when there is none.  A file that cannot be parsed is moved aside
 * (….corrupt) and reported in *warning, never silently replaced.  With
 * datadir and rundir NULL the registers live in memory only and start at
 * zero (meterd --replay). */
struct registers *registers_open(const char *datadir, const char *rundir, char *warning, size_t warnlen);
void registers_destroy(struct registers **regs);

/* Adds dt_s seconds of r's powers to meter (1..8) and copies the
 * registers to be shown into r: as the SD card copy holds them (in memory
 * only: as they are).  Import and export are separate registers fed by the
 * sign of P (and of Q); per phase from that phase's power, for the system
 * from the summed power. */
void registers_accumulate(struct registers *regs, int meter, struct meter_reading *r, double dt_s);

/* Writes the rundir copy, and with durable also the SD card copy, if
 * anything changed since that copy was written; a durable save moves the
 * registers shown to what it wrote.  0 or -1 with a reason. */
int registers_save(struct registers *regs, bool durable, char *err, size_t errlen);

#endif

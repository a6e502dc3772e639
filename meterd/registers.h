/* registers: the energy registers of the eight metering points.  They only
 * ever grow (Home Assistant and every billing system assume it), survive
 * restarts through an atomically replaced file in $ENISCOPE_DATA, and are
 * saved at least once a minute, so a power cut loses at most a minute of
 * accumulation and never a whole register. */
#ifndef METERD_REGISTERS_H
#define METERD_REGISTERS_H

#include "reading.h"

#include <stddef.h>
#include <stdint.h>

#define REGISTERS_METERS 8
#define REGISTERS_SAVE_PERIOD_MS 60000

struct registers;

/* Loads <datadir>/meterd-registers.json, or starts at zero when there is
 * none.  A file that cannot be parsed is moved aside (….corrupt) and
 * reported in *warning, never silently replaced. */
struct registers *registers_open(const char *datadir, char *warning, size_t warnlen);
void registers_destroy(struct registers **regs);

/* Adds dt_s seconds of r's powers to meter (1..8) and copies the updated
 * registers into r.  Import and export are separate registers fed by the
 * sign of P (and of Q); per phase from that phase's power, for the system
 * from the summed power. */
void registers_accumulate(struct registers *regs, int meter, struct meter_reading *r, double dt_s);

/* Writes the file if anything changed since the last save; 0 or -1 with a
 * reason. */
int registers_save(struct registers *regs, char *err, size_t errlen);

#endif

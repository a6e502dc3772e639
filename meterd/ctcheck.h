/* ctcheck: the installer's help for a CT clipped on backwards.  A reversed
 * CT reads as export, as the manual says; on a meter whose purpose is
 * `consumable` steady export cannot be real, so a phase that exports for
 * CTCHECK_EXPORT_S seconds in a row is flagged (in meterd's status) as a
 * likely reversed CT, until it imports again. */
#ifndef METERD_CTCHECK_H
#define METERD_CTCHECK_H

#include "reading.h"

#include <stdbool.h>

#define CTCHECK_EXPORT_S 60

struct ctcheck {
	int export_s[3]; /* consecutive seconds of export per phase */
};

/* Takes one second's reading of a meter; returns true when a phase's flag
 * changed. */
bool ctcheck_update(struct ctcheck *c, const struct meter_reading *r, bool consumable);
bool ctcheck_flagged(const struct ctcheck *c, int phase);

#endif

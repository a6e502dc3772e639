/* ctcheck: the wiring check, the installer's help at commissioning.  From
 * each second's reading of a meter it judges the phase rotation of the
 * voltages and, per phase, how its CT is wired, and says why:
 *
 *  - rotation (3LN: from A2, A3; 2LN: A2): L1-L2-L3 (A2 120°, A3 240°),
 *    L1-L3-L2 (A2 240°, A3 120°: two voltage leads swapped), or neither
 *    (a lead missing, or not a three-phase supply), each within ±20°;
 *  - per phase, from phi, the angle by which the phase's current lags its
 *    own voltage (atan2(Q, P)):
 *      ok           |phi| <= 60°: a load of PF 0.5 or better;
 *      wrong_phase  60° < |phi| < 150°: the CT is on another phase's cable,
 *                   its current ~120° from this voltage (it reads roughly
 *                   -0.5x the power at PF 1); + behind: the next phase's
 *                   current, - ahead: the previous phase's;
 *      reversed     |phi| >= 150°: the CT is clipped on backwards (its
 *                   current ~180° from its voltage: P and PF negative);
 *    which holds for every wiring while the load's own angle is within
 *    ±30° (PF 0.87 or better), as in most buildings; beyond that a verdict
 *    may be wrong, so each says the angle it saw.  A meter whose purpose is
 *    grid or renewable may export: there the angle is taken modulo 180°,
 *    |phi| <= 45° (either way) is ok, more is wrong_phase, and a reversed
 *    CT cannot be told from export;
 *      no_ct        voltage, no current (below the starting current) while
 *                   another phase of the meter carries at least 1% of the
 *                   CT rating: the CT is missing or not plugged in (or this
 *                   one phase really is idle);
 *      idle         voltage and no current anywhere on the meter: nothing
 *                   to judge;
 *      no_voltage   less than half the meter's highest phase voltage (or
 *                   under 1 V): the voltage lead is not connected.
 *  - A verdict is shown once the same one has held CTCHECK_HOLD_S seconds
 *    in a row (a load switching on must not flash a fault); until the
 *    first one holds a phase is "judging". */
#ifndef METERD_CTCHECK_H
#define METERD_CTCHECK_H

#include "reading.h"

#include <jansson.h>
#include <stdbool.h>

#define CTCHECK_HOLD_S 10
#define CTCHECK_ROTATION_TOL_DEG 20.0
#define CTCHECK_OK_DEG 60.0          /* |phi| up to this: ok (consumable) */
#define CTCHECK_REVERSED_DEG 150.0   /* |phi| from this: reversed (consumable) */
#define CTCHECK_EXPORT_OK_DEG 45.0   /* |phi mod 180| up to this: ok (may export) */
#define CTCHECK_LOADED_FRACTION 0.01 /* of the CT rating: a phase that shows a CT works */
#define CTCHECK_VOLTAGE_MIN_V 1.0

enum ctcheck_verdict {
	CTCHECK_JUDGING,
	CTCHECK_OK,
	CTCHECK_IDLE,
	CTCHECK_NO_VOLTAGE,
	CTCHECK_NO_CT,
	CTCHECK_REVERSED,
	CTCHECK_WRONG_PHASE,
	/* rotation */
	CTCHECK_L1_L2_L3,
	CTCHECK_L1_L3_L2,
	CTCHECK_SPLIT_PHASE,
	CTCHECK_UNKNOWN_ROTATION,
};

/* One judged thing (a phase, or the rotation): what is shown and what
 * is on its way to being shown. */
struct ctcheck_item {
	enum ctcheck_verdict shown, pending;
	int pending_s;  /* seconds the pending verdict has held */
	char why[200];  /* the reason of the last judgement equal to shown */
};

struct ctcheck {
	struct ctcheck_item phase[3], rotation;
};

/* What the check needs to know of a meter's configuration. */
struct ctcheck_meter {
	int phases;         /* 3, 2, 1 */
	bool may_export;    /* purpose grid or renewable */
	double ct_rating_a;
};

/* Takes one second's reading of a meter; true when a shown verdict
 * changed (the status is worth publishing now). */
bool ctcheck_update(struct ctcheck *c, const struct meter_reading *r, const struct ctcheck_meter *m);
/* The shown verdict of phase p (0..2). */
enum ctcheck_verdict ctcheck_verdict(const struct ctcheck *c, int phase);
/* "ok", "wrong_phase", "L1-L2-L3" ... */
const char *ctcheck_name(enum ctcheck_verdict v);
/* Appends the meter's entries of meterd's status "wiring" (docs/BUS.md)
 * to list: for 3LN and 2LN first the voltages' {"meter":n,"phase":0,
 * "verdict","rotation","why"} (verdict "ok" for L1-L2-L3 and split_phase,
 * "rotation_reversed" for L1-L3-L2, "unknown", "judging"), then per phase
 * in use {"meter":n,"phase":p,"verdict","why"}. */
void ctcheck_json(const struct ctcheck *c, int meter, int phases, json_t *list);

#endif
